import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { PayerForm, PayerView, Permissions, SessionInfo } from "../lib/bindings";
import Shell from "../screens/Shell.svelte";
import { callsOf, mockCommands } from "../test/ipc";
import PayersView from "./PayersView.svelte";

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
