import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import type { PayerForm, PayerView, Permissions, SessionInfo } from "../lib/bindings";
import Shell from "../screens/Shell.svelte";
import { callsOf, mockCommands } from "../test/ipc";
import { ALL_RULE_SETS } from "./pa/test-fixtures";
import PayersView from "./PayersView.svelte";
import { preloadLazyViews } from "../test/lazy";

// The shell loads these views on demand; load them once up front.
beforeAll(preloadLazyViews, 60_000);

afterEach(() => clearMocks());

function payer(overrides: Partial<PayerView> = {}): PayerView {
  return {
    id: 1,
    version: 1,
    name: "Aetna",
    payerType: "commercial",
    payerTypeLabel: "Commercial",
    paPhone: "800 555 0134",
    paFax: null,
    active: true,
    ...overrides,
  };
}

const aetna = payer();
const medicaid = payer({
  id: 2,
  version: 4,
  name: "State Medicaid",
  payerType: "medicaid_ffs",
  payerTypeLabel: "Medicaid / CHIP fee-for-service",
  paPhone: null,
  paFax: "800 555 0199",
  active: false,
});

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

function rowsOf(table: HTMLElement): HTMLElement[] {
  return within(table).getAllByRole("row").slice(1);
}

test("lists payers with type, prior auth numbers and status in words", async () => {
  mockCommands({ list_payers: () => [medicaid, aetna] });
  render(PayersView);
  expect(await screen.findByRole("heading", { level: 1, name: "Payers" })).toHaveFocus();
  const table = await waitFor(() => byId("payers-table"));
  expect(table.querySelector("caption")).toHaveTextContent("2 payers, A to Z");
  const rows = rowsOf(table);
  // A to Z whatever order the core sent.
  expect(rows[0]).toHaveTextContent(/^Aetna\s*Commercial\s*800 555 0134\s*Not recorded\s*Active/);
  expect(rows[1]).toHaveTextContent("Medicaid / CHIP fee-for-service");
  expect(within(rows[1] as HTMLElement).getByText("Not recorded")).toHaveClass("secondary");
  expect(within(rows[1] as HTMLElement).getByText("Inactive")).toHaveClass("tag");
  expect(within(rows[0] as HTMLElement).queryByText("Inactive")).toBeNull();
  expect(within(rows[1] as HTMLElement).getByRole("button", { name: "Edit State Medicaid" })).toBe(
    byId("edit-payer-2"),
  );
  expect(document.title).toBe("Payers – KetaChart");
});

test("an empty list says how to add the first payer", async () => {
  const user = userEvent.setup();
  mockCommands({ list_payers: () => [] });
  render(PayersView);
  await user.click(await screen.findByRole("button", { name: "Add the first payer." }));
  expect(screen.getByRole("heading", { level: 1, name: "Add payer" })).toHaveFocus();
});

test("the core's errors show in the summary and inline, keeping what was typed", async () => {
  const user = userEvent.setup();
  const messages = {
    name: "Aetna is already on the payer list",
    payerType: "Select the payer type",
    paPhone: "The PA phone number must be 30 characters or fewer",
    paFax: "The PA fax number must be on one line",
  };
  const calls = mockCommands({
    list_payers: () => [aetna],
    create_payer: () => {
      throw {
        code: "Validation",
        message: "4 problems",
        fields: Object.entries(messages).map(([field, message]) => ({ field, message })),
      };
    },
  });
  render(PayersView);
  await user.click(await screen.findByRole("button", { name: "Add payer" }));
  expect(screen.getByRole("heading", { level: 1, name: "Add payer" })).toHaveFocus();
  // Nothing is pre-selected, and "Active" is only offered when editing.
  for (const radio of screen.getAllByRole("radio")) expect(radio).not.toBeChecked();
  expect(screen.getAllByRole("radio").map((r) => r.nextElementSibling?.textContent)).toEqual([
    "Commercial",
    "Medicare",
    "Medicare Advantage",
    "Medicaid / CHIP fee-for-service",
    "Medicaid / CHIP managed care",
    "Exchange plan",
    "Other",
  ]);
  expect(document.getElementById("payer-active")).toBeNull();

  await user.type(byId("payer-name"), "aetna");
  await user.type(byId("payer-paPhone"), "800 555 0134");
  await user.click(byId("save-payer"));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveTextContent("There is a problem");
  expect(summary).toHaveFocus();
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => [a.textContent, a.getAttribute("href")]),
  ).toEqual([
    [messages.name, "#payer-name"],
    [messages.payerType, "#payer-payerType"],
    [messages.paPhone, "#payer-paPhone"],
    [messages.paFax, "#payer-paFax"],
  ]);
  expect(byId("payer-name-error")).toHaveTextContent(`Error: ${messages.name}`);
  expect(byId("payer-payerType-error")).toHaveTextContent(`Error: ${messages.payerType}`);
  expect(byId("payer-paPhone-error")).toHaveTextContent(messages.paPhone);
  expect(byId("payer-paFax-error")).toHaveTextContent(messages.paFax);
  expect(byId("payer-name")).toHaveAttribute("aria-invalid", "true");
  expect(byId("payer-name")).toHaveValue("aetna");
  expect(byId("payer-paPhone")).toHaveValue("800 555 0134");
  expect(document.title).toBe("Error: Add payer – KetaChart");

  // The payer type link goes to the first radio.
  await user.click(within(summary).getByRole("link", { name: messages.payerType }));
  expect(byId("payer-payerType")).toHaveFocus();
  expect(byId("payer-payerType")).toHaveAttribute("type", "radio");

  const [{ form }] = callsOf(calls, "create_payer") as [{ form: PayerForm }];
  expect(form).toEqual({
    name: "aetna",
    payerType: null,
    paPhone: "800 555 0134",
    paFax: null,
    active: true,
  });
});

test("adding a payer sends the form and shows the new payer in the list", async () => {
  const user = userEvent.setup();
  const created = payer({
    id: 9,
    name: "Blue Shield",
    payerType: "medicare_advantage",
    payerTypeLabel: "Medicare Advantage",
    paPhone: "800 555 0100",
    paFax: "800 555 0101",
  });
  const calls = mockCommands({ list_payers: () => [aetna], create_payer: () => created });
  render(PayersView);
  await user.click(await screen.findByRole("button", { name: "Add payer" }));
  await user.type(byId("payer-name"), "Blue Shield");
  await user.click(screen.getByLabelText("Medicare Advantage"));
  await user.type(byId("payer-paPhone"), "800 555 0100");
  await user.type(byId("payer-paFax"), "800 555 0101");
  await user.click(byId("save-payer"));

  await waitFor(() => expect(callsOf(calls, "create_payer")).toHaveLength(1));
  expect(callsOf(calls, "create_payer")[0]).toEqual({
    form: {
      name: "Blue Shield",
      payerType: "medicare_advantage",
      paPhone: "800 555 0100",
      paFax: "800 555 0101",
      active: true,
    },
  });
  const banner = await waitFor(() => byId("payers-success"));
  expect(banner).toHaveTextContent("Blue Shield was added to the payer list.");
  expect(screen.getByRole("heading", { level: 1, name: "Payers" })).toHaveFocus();
  const rows = rowsOf(byId("payers-table"));
  expect(rows).toHaveLength(2);
  expect(rows[1]).toHaveTextContent(
    /^Blue Shield\s*Medicare Advantage\s*800 555 0100\s*800 555 0101\s*Active/,
  );
  expect(document.querySelector("caption")).toHaveTextContent("2 payers");
});

test("editing sends the id and version and can make a payer inactive", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    list_payers: () => [aetna, medicaid],
    update_payer: (args) => ({
      ...medicaid,
      version: 5,
      ...(args.form as PayerForm),
      payerType: "medicaid_managed",
      payerTypeLabel: "Medicaid / CHIP managed care",
      active: true,
    }),
  });
  render(PayersView);
  await user.click(await screen.findByRole("button", { name: "Edit State Medicaid" }));
  expect(screen.getByRole("heading", { level: 1, name: "Edit payer" })).toHaveFocus();
  expect(byId("payer-name")).toHaveValue("State Medicaid");
  expect(screen.getByLabelText("Medicaid / CHIP fee-for-service")).toBeChecked();
  expect(byId("payer-paPhone")).toHaveValue("");
  expect(byId("payer-paFax")).toHaveValue("800 555 0199");
  expect(byId("payer-active")).not.toBeChecked();
  expect(screen.getByText(/not offered for new coverage/)).toBeInTheDocument();

  await user.click(screen.getByLabelText("Medicaid / CHIP managed care"));
  await user.click(byId("payer-active"));
  await user.clear(byId("payer-paFax"));
  await user.click(screen.getByRole("button", { name: "Save payer" }));

  await waitFor(() => expect(callsOf(calls, "update_payer")).toHaveLength(1));
  expect(callsOf(calls, "update_payer")[0]).toEqual({
    id: 2,
    version: 4,
    form: {
      name: "State Medicaid",
      payerType: "medicaid_managed",
      paPhone: null,
      paFax: null,
      active: true,
    },
  });
  expect(await screen.findByText("State Medicaid was saved.")).toBeInTheDocument();
  const row = rowsOf(byId("payers-table"))[1] as HTMLElement;
  expect(row).toHaveTextContent("Medicaid / CHIP managed care");
  expect(within(row).queryByText("Inactive")).toBeNull();
});

test("a stale edit shows the core's message and reloads the latest saved payer", async () => {
  const user = userEvent.setup();
  const conflict =
    "This payer was changed by someone else since you opened it. Reload and try again";
  let lists = 0;
  const calls = mockCommands({
    list_payers: () => {
      lists += 1;
      return lists === 1 ? [aetna] : [{ ...aetna, version: 2, paFax: "800 555 0222" }];
    },
    update_payer: () => {
      throw { code: "Conflict", message: conflict };
    },
  });
  render(PayersView);
  await user.click(await screen.findByRole("button", { name: "Edit Aetna" }));
  await user.clear(byId("payer-paPhone"));
  await user.type(byId("payer-paPhone"), "800 555 0999");
  await user.click(byId("save-payer"));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveTextContent(conflict);
  expect(summary).toHaveFocus();
  await waitFor(() => expect(callsOf(calls, "list_payers")).toHaveLength(2));
  // The form now holds what was saved meanwhile, and says so.
  await waitFor(() => expect(byId("payer-paFax")).toHaveValue("800 555 0222"));
  expect(byId("payer-paPhone")).toHaveValue("800 555 0134");
  expect(byId("payer-reloaded")).toHaveTextContent("latest saved details");

  // Saving again sends the new version.
  await user.click(byId("save-payer"));
  await waitFor(() => expect(callsOf(calls, "update_payer")).toHaveLength(2));
  expect(callsOf(calls, "update_payer")[1]).toMatchObject({ id: 1, version: 2 });
});

const ALL_OFF: Permissions = {
  editPatients: false,
  readClinical: false,
  editClinical: false,
  signClinical: false,
  editCoverage: false,
  managePayers: false,
  manageUsers: false,
  readAudit: false,
  manageBackups: false,
  restore: false,
  manageSettings: false,
  manageAuthorizations: false,
  managePayerRules: false,
  manageDocuments: false,
  submitForms: false,
};

function sessionWith(permissions: Partial<Permissions>): SessionInfo {
  return {
    clinicName: "Harbour Mind Clinic",
    user: { id: 3, username: "s.patel", displayName: "Sam Patel", roles: ["billing"] },
    demo: false,
    permissions: { ...ALL_OFF, ...permissions },
    idleLockSeconds: 600,
  };
}

function mockShell() {
  return mockCommands({
    search_patients: () => ({ patients: [], more: false }),
    list_payers: () => [aetna],
    list_rule_sets: () => ALL_RULE_SETS,
    payer_rule_links: (args) => ({ payerId: args.payerId, ruleSetIds: [] }),
  });
}

test("the Payers area is offered only to users who manage payers", async () => {
  const user = userEvent.setup();
  mockShell();
  const nurse = render(Shell, {
    session: sessionWith({ editPatients: true, readClinical: true, editClinical: true }),
    onlocked: vi.fn(),
  });
  expect(screen.getByRole("navigation", { name: "Main" })).not.toHaveTextContent("Payers");
  expect(document.getElementById("nav-payers")).toBeNull();
  nurse.unmount();

  render(Shell, {
    session: sessionWith({ readClinical: true, editCoverage: true, managePayers: true }),
    onlocked: vi.fn(),
  });
  const item = screen.getByRole("button", { name: "Payers" });
  await user.click(item);
  expect(item).toHaveAttribute("aria-current", "page");
  expect(screen.getByRole("heading", { level: 1, name: "Payers" })).toHaveFocus();
  expect(await screen.findByText("800 555 0134")).toBeInTheDocument();
});

// ---------- payer rule sets ----------

const LINKS: Record<number, string[]> = {
  1: ["aetna-spravato-trd", "aetna-cpb0938-iv-ketamine"],
  2: [],
};

function mockRules(extra: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  return mockCommands({
    list_payers: () => [aetna, medicaid],
    list_rule_sets: () => ALL_RULE_SETS,
    payer_rule_links: (args) => ({
      payerId: args.payerId,
      ruleSetIds: LINKS[args.payerId as number] ?? [],
    }),
    ...extra,
  });
}

function ruleCell(payerId: number): HTMLElement {
  return byId(`payer-rule-sets-${payerId}`);
}

test("the list shows the rule sets each payer uses", async () => {
  mockRules();
  render(PayersView);
  const table = await waitFor(() => byId("payers-table"));
  expect(
    within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent?.trim()),
  ).toContain("Rule sets");
  await waitFor(() =>
    expect(
      within(ruleCell(1))
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Aetna — Spravato (esketamine), 3rd-party summaries", "Aetna — CPB 0938 Ketamine"]),
  );
  expect(ruleCell(2)).toHaveTextContent("None linked");
  expect(within(ruleCell(2)).getByText("None linked")).toHaveClass("secondary");
  expect(screen.getByRole("button", { name: "Rule sets for State Medicaid" })).toBe(
    byId("payer-rules-2"),
  );
  expect(screen.getByRole("button", { name: "Payer rule sets" })).toBeVisible();
});

test("a payer's rule sets are ticked in a list and saved with the payer id", async () => {
  const user = userEvent.setup();
  const calls = mockRules({ set_payer_rule_links: () => null });
  render(PayersView);
  await user.click(await screen.findByRole("button", { name: "Rule sets for Aetna" }));

  expect(
    await screen.findByRole("heading", { level: 1, name: "Rule sets for Aetna" }),
  ).toHaveFocus();
  // The links are read afresh before the form opens.
  expect(callsOf(calls, "payer_rule_links").filter((a) => a.payerId === 1)).toHaveLength(2);
  // One group per service, in the service order; nothing but the saved links is ticked.
  expect(screen.getAllByRole("group").map((g) => g.querySelector("legend")?.textContent)).toEqual([
    "Spravato (esketamine) for treatment-resistant depression",
    "Transcranial magnetic stimulation (TMS)",
    "IV ketamine infusion",
  ]);
  const boxes = screen.getAllByRole("checkbox") as HTMLInputElement[];
  expect(boxes.map((b) => [b.value, b.checked])).toEqual([
    ["aetna-spravato-trd", true],
    ["carefirst-spravato-trd", false],
    ["cigna-spravato-trd", false],
    ["harbour-tms", false],
    ["aetna-cpb0938-iv-ketamine", true],
  ]);
  // Unverified and uncovered rule sets say so in words.
  expect(screen.getByLabelText(/^CareFirst/)).toHaveAccessibleDescription(
    "Version 1 · From 01-Jan-2024 · Requires review",
  );
  expect(screen.getByLabelText(/^Aetna — CPB 0938/)).toHaveAccessibleDescription(
    "Version 1 · From 01-Jan-2024 · Requires review · Not covered",
  );

  await user.click(screen.getByLabelText(/^Cigna/));
  await user.click(screen.getByLabelText(/^Aetna — CPB 0938/));
  await user.click(screen.getByRole("button", { name: "Save rule sets" }));

  await waitFor(() => expect(callsOf(calls, "set_payer_rule_links")).toHaveLength(1));
  expect(callsOf(calls, "set_payer_rule_links")[0]).toEqual({
    links: { payerId: 1, ruleSetIds: ["aetna-spravato-trd", "cigna-spravato-trd"] },
  });
  expect(await screen.findByText("Rule sets for Aetna were saved.")).toBeInTheDocument();
  expect(screen.getByRole("heading", { level: 1, name: "Payers" })).toHaveFocus();
  expect(
    within(ruleCell(1))
      .getAllByRole("listitem")
      .map((li) => li.textContent),
  ).toEqual([
    "Aetna — Spravato (esketamine), 3rd-party summaries",
    "Cigna — Spravato (esketamine nasal spray)",
  ]);
});

test("a refused save of rule links is summarised and keeps the ticks", async () => {
  const user = userEvent.setup();
  mockRules({
    set_payer_rule_links: () => {
      throw { code: "NotFound", message: "The payer rule set was not found" };
    },
  });
  render(PayersView);
  await user.click(await screen.findByRole("button", { name: "Rule sets for State Medicaid" }));
  await user.click(await screen.findByLabelText(/^Cigna/));
  await user.click(screen.getByRole("button", { name: "Save rule sets" }));
  const summary = await screen.findByRole("alert");
  expect(summary).toHaveTextContent("The payer rule set was not found");
  expect(summary).toHaveFocus();
  expect(screen.getByLabelText(/^Cigna/)).toBeChecked();
  expect(document.title).toBe("Error: Payer rule sets – KetaChart");
});

test("Payer rule sets opens the clinic's rule sets, and Back returns to the list", async () => {
  const user = userEvent.setup();
  mockRules();
  render(PayersView);
  await user.click(await screen.findByRole("button", { name: "Payer rule sets" }));
  expect(await screen.findByRole("heading", { level: 1, name: "Payer rule sets" })).toHaveFocus();
  await waitFor(() => byId("rule-sets-table"));
  await user.click(screen.getByRole("button", { name: "Back to payers" }));
  expect(screen.getByRole("heading", { level: 1, name: "Payers" })).toHaveFocus();
});

test("users who do not keep rule sets see no rule-set column or buttons", async () => {
  const calls = mockRules();
  render(PayersView, { manageRules: false });
  const table = await waitFor(() => byId("payers-table"));
  expect(
    within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent?.trim()),
  ).not.toContain("Rule sets");
  expect(screen.queryByRole("button", { name: "Payer rule sets" })).toBeNull();
  expect(screen.queryByRole("button", { name: /^Rule sets for/ })).toBeNull();
  expect(callsOf(calls, "list_rule_sets")).toEqual([]);
});
