import { clearMocks } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { liveRegion } from "../lib/announce.svelte";
import type { DrugFloorView, Permissions, SessionInfo } from "../lib/bindings";
import Shell from "../screens/Shell.svelte";
import { callsOf, mockCommands } from "../test/ipc";
import DrugFloorsView from "./DrugFloorsView.svelte";
import { cleanDose } from "./floors/floors";
import { preloadLazyViews } from "../test/lazy";

// The shell loads these views on demand; load them once up front.
beforeAll(preloadLazyViews, 60_000);

afterEach(() => clearMocks());

function floor(overrides: Partial<DrugFloorView> = {}): DrugFloorView {
  return {
    drugId: "sertraline",
    drugName: "Sertraline",
    unit: "mg/day",
    referenceFloor: 50,
    strictFloor: null,
    clinicFloor: null,
    clinicReason: null,
    clinicUpdatedBy: null,
    clinicUpdatedAt: null,
    verified: true,
    rule: "E",
    ...overrides,
  };
}

const sertraline = floor();
const citalopram = floor({
  drugId: "citalopram",
  drugName: "Citalopram",
  referenceFloor: 20,
  strictFloor: 40,
  clinicFloor: 30,
  clinicReason: "Main payers accept 30 mg",
  clinicUpdatedBy: "a.okafor",
  clinicUpdatedAt: "2026-03-03T14:05:00.000Z",
  rule: "S",
});
const fluvoxamine = floor({
  drugId: "fluvoxamine",
  drugName: "Fluvoxamine",
  referenceFloor: 100,
  verified: false,
  rule: "O",
});
const lithium = floor({
  drugId: "lithium",
  drugName: "Lithium",
  unit: "serum level",
  referenceFloor: null,
  verified: false,
  rule: "LVL",
});
const ALL = [sertraline, lithium, fluvoxamine, citalopram];

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

function rows(): HTMLElement[] {
  return within(byId("floors-table")).getAllByRole("row").slice(1);
}

function row(drugId: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`tr[data-drug-id="${drugId}"]`);
  if (!el) throw new Error(`no row for ${drugId}`);
  return el;
}

function cell(drugId: string, col: string): HTMLElement {
  const el = row(drugId).querySelector<HTMLElement>(`[data-col="${col}"]`);
  if (!el) throw new Error(`no ${col} cell for ${drugId}`);
  return el;
}

test("lists every drug A to Z with its reference, strict and clinic floors, and review tags", async () => {
  mockCommands({ list_drug_floors: () => ALL });
  render(DrugFloorsView, { canEdit: true });
  expect(
    await screen.findByRole("heading", { level: 1, name: "Minimum therapeutic doses" }),
  ).toHaveFocus();
  expect(byId("floors-intro")).toHaveTextContent(
    "The bundled floors are reference data for the clinic to review. A clinic floor, when set, replaces the reference floor for counting weeks at a therapeutic dose for every patient.",
  );
  await waitFor(() => byId("floors-table"));
  expect(byId("floors-table").querySelector("caption")).toHaveTextContent("4 drugs, A to Z");
  expect(rows().map((r) => r.dataset["drugId"])).toEqual([
    "citalopram",
    "fluvoxamine",
    "lithium",
    "sertraline",
  ]);
  expect(
    within(byId("floors-table"))
      .getAllByRole("columnheader")
      .map((th) => th.textContent?.trim()),
  ).toEqual([
    "Drug",
    "Unit",
    "Reference floor",
    "Strict floor",
    "Clinic floor",
    "Reference review",
    "Actions",
  ]);

  expect(cell("citalopram", "reference")).toHaveTextContent("20");
  expect(cell("citalopram", "strict")).toHaveTextContent("40");
  expect(cell("citalopram", "clinic")).toHaveTextContent(
    /^30 mg\/day\s*Main payers accept 30 mg\s*Set by a\.okafor on \d\d-Mar-2026 \d\d:\d\d/,
  );
  expect(cell("sertraline", "strict")).toHaveTextContent("Not applicable");
  expect(cell("sertraline", "clinic")).toHaveTextContent("Not set; the reference floor counts");
  expect(cell("lithium", "reference")).toHaveTextContent("Not applicable: judged by serum level");

  // Every reference figure needs clinical review; only unverified ones say so as well.
  for (const r of rows()) {
    expect(within(r).getByText("Requires clinical review")).toHaveClass("tag");
  }
  expect(within(row("fluvoxamine")).getByText("Unverified")).toHaveClass("tag");
  expect(within(row("lithium")).getByText("Unverified")).toBeInTheDocument();
  expect(within(row("sertraline")).queryByText("Unverified")).toBeNull();
  expect(within(row("citalopram")).queryByText("Unverified")).toBeNull();
});

test("the filter finds a drug by name and says when nothing matches", async () => {
  const user = userEvent.setup();
  mockCommands({ list_drug_floors: () => ALL });
  render(DrugFloorsView, { canEdit: true, announceDelayMs: 0 });
  await waitFor(() => byId("floors-table"));
  const box = screen.getByLabelText("Find a drug");
  expect(box).toBe(byId("floor-filter"));

  await user.type(box, "LUV");
  expect(rows().map((r) => r.dataset["drugId"])).toEqual(["fluvoxamine"]);
  expect(byId("floors-table").querySelector("caption")).toHaveTextContent("1 drug matching “LUV”");
  // The number of matches is announced without moving focus.
  await waitFor(() => expect(liveRegion.text).toBe("1 drug matches"));

  // Down arrow goes from the box to the first row's Edit button.
  await fireEvent.keyDown(box, { key: "ArrowDown" });
  expect(byId("edit-floor-fluvoxamine")).toHaveFocus();

  await user.clear(box);
  await user.type(box, "zzz");
  expect(document.getElementById("floors-table")).toBeNull();
  expect(byId("floors-no-match")).toHaveTextContent("No drugs match “zzz”");

  await user.clear(box);
  expect(rows()).toHaveLength(4);
});

test("a provider sets a clinic floor; the table then shows it", async () => {
  const user = userEvent.setup();
  const saved = floor({
    clinicFloor: 100,
    clinicReason: "Payer requires 100 mg",
    clinicUpdatedBy: "a.okafor",
    clinicUpdatedAt: "2026-05-02T10:30:00.000Z",
  });
  const calls = mockCommands({ list_drug_floors: () => ALL, set_drug_floor: () => saved });
  render(DrugFloorsView, { canEdit: true });
  await user.click(await screen.findByRole("button", { name: "Edit the floor for Sertraline" }));
  expect(
    screen.getByRole("heading", { level: 1, name: "Minimum dose for Sertraline" }),
  ).toHaveFocus();
  const dose = screen.getByLabelText("Minimum daily dose, in mg/day");
  expect(dose).toBe(byId("floor-minDaily"));
  expect(dose).toHaveAttribute("type", "text");
  expect(dose).toHaveAttribute("inputmode", "decimal");
  expect(dose).toHaveValue("");
  // The unit is shown as a suffix next to the box.
  expect(dose.nextElementSibling).toHaveTextContent("mg/day");
  // Sertraline has no strict figure, and no clinic floor to remove.
  expect(document.getElementById("use-strict-floor")).toBeNull();
  expect(document.getElementById("restore-floor")).toBeNull();

  await user.type(dose, "100");
  await user.type(byId("floor-reason"), "Payer requires 100 mg");
  await user.click(byId("save-floor"));

  await waitFor(() => expect(callsOf(calls, "set_drug_floor")).toHaveLength(1));
  expect(callsOf(calls, "set_drug_floor")[0]).toEqual({
    drugId: "sertraline",
    minDaily: "100",
    reason: "Payer requires 100 mg",
  });
  expect(await waitFor(() => byId("floors-success"))).toHaveTextContent(
    "The clinic floor for Sertraline is 100 mg/day. It counts for every patient from now on.",
  );
  expect(
    screen.getByRole("heading", { level: 1, name: "Minimum therapeutic doses" }),
  ).toHaveFocus();
  expect(cell("sertraline", "clinic")).toHaveTextContent(/^100 mg\/day\s*Payer requires 100 mg/);
});

test("the core's errors show in the summary and inline; Use strict floor fills the box", async () => {
  const user = userEvent.setup();
  const messages = {
    minDaily: "The minimum cannot be above the maximum daily dose (40 mg/day)",
    reason: "Enter the reason",
  };
  const calls = mockCommands({
    list_drug_floors: () => ALL,
    set_drug_floor: () => {
      throw {
        code: "Validation",
        message: "2 problems",
        fields: Object.entries(messages).map(([field, message]) => ({ field, message })),
      };
    },
  });
  render(DrugFloorsView, { canEdit: true });
  await user.click(await screen.findByRole("button", { name: "Edit the floor for Citalopram" }));
  // The clinic's floor and reason are there to change.
  expect(byId("floor-minDaily")).toHaveValue("30");
  expect(byId("floor-reason")).toHaveValue("Main payers accept 30 mg");

  await user.click(screen.getByRole("button", { name: "Use strict floor (40 mg/day)" }));
  expect(byId("floor-minDaily")).toHaveValue("40");
  await user.clear(byId("floor-minDaily"));
  await user.type(byId("floor-minDaily"), "45 mg");
  await user.clear(byId("floor-reason"));
  await user.click(byId("save-floor"));

  // A typed unit is accepted: the core gets the number.
  await waitFor(() => expect(callsOf(calls, "set_drug_floor")).toHaveLength(1));
  expect(callsOf(calls, "set_drug_floor")[0]).toEqual({
    drugId: "citalopram",
    minDaily: "45",
    reason: "",
  });
  const summary = await screen.findByRole("alert");
  expect(summary).toHaveFocus();
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => [a.textContent, a.getAttribute("href")]),
  ).toEqual([
    [messages.minDaily, "#floor-minDaily"],
    [messages.reason, "#floor-reason"],
  ]);
  expect(byId("floor-minDaily-error")).toHaveTextContent(`Error: ${messages.minDaily}`);
  expect(byId("floor-reason-error")).toHaveTextContent(`Error: ${messages.reason}`);
  expect(byId("floor-minDaily")).toHaveAttribute("aria-invalid", "true");
  expect(byId("floor-minDaily")).toHaveValue("45 mg");
  expect(document.title).toBe("Error: Edit minimum therapeutic dose – KetaChart");
});

test("Restore reference floor sends an empty dose and reason", async () => {
  const user = userEvent.setup();
  const restored = floor({ ...citalopram, clinicFloor: null, clinicReason: null });
  const calls = mockCommands({ list_drug_floors: () => ALL, set_drug_floor: () => restored });
  render(DrugFloorsView, { canEdit: true });
  await user.click(await screen.findByRole("button", { name: "Edit the floor for Citalopram" }));
  expect(screen.getByText(/The reference floor of 20 mg\/day counts again/)).toBeInTheDocument();

  await user.click(screen.getByRole("button", { name: "Restore reference floor" }));
  await waitFor(() => expect(callsOf(calls, "set_drug_floor")).toHaveLength(1));
  expect(callsOf(calls, "set_drug_floor")[0]).toEqual({
    drugId: "citalopram",
    minDaily: "",
    reason: "",
  });
  expect(await waitFor(() => byId("floors-success"))).toHaveTextContent(
    "The reference floor is restored for Citalopram: 20 mg/day.",
  );
  expect(cell("citalopram", "clinic")).toHaveTextContent("Not set");
});

test("someone who is not a provider reads the floors but cannot change them", async () => {
  const calls = mockCommands({ list_drug_floors: () => ALL });
  render(DrugFloorsView, { canEdit: false });
  await waitFor(() => byId("floors-table"));
  expect(byId("floors-read-only")).toHaveTextContent("Only providers can change the floors.");
  expect(document.querySelector(".floor-edit")).toBeNull();
  expect(screen.queryByRole("button", { name: /Edit/ })).toBeNull();
  expect(
    within(byId("floors-table"))
      .getAllByRole("columnheader")
      .map((th) => th.textContent?.trim()),
  ).not.toContain("Actions");
  expect(cell("citalopram", "clinic")).toHaveTextContent("30 mg/day");
  expect(callsOf(calls, "set_drug_floor")).toHaveLength(0);
});

test("a dose typed with its unit, spaces or thousands commas becomes a plain number", () => {
  expect(cleanDose(" 100 ", "mg/day")).toBe("100");
  expect(cleanDose("100 mg", "mg/day")).toBe("100");
  expect(cleanDose("62.5 MG/DAY", "mg/day")).toBe("62.5");
  expect(cleanDose("1,200", "mg/day")).toBe("1200");
  expect(cleanDose("6 mg/24 h", "mg/24 h")).toBe("6");
  // Anything else goes to the core as typed, to be explained there.
  expect(cleanDose("12,5", "mg/day")).toBe("12,5");
  expect(cleanDose("lots", "mg/day")).toBe("lots");
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
    user: { id: 4, username: "a.okafor", displayName: "Dr Amara Okafor", roles: ["provider"] },
    demo: false,
    permissions: { ...ALL_OFF, ...permissions },
    idleLockSeconds: 600,
  };
}

test("Dose floors is offered with the clinical record, editable only by providers", async () => {
  const user = userEvent.setup();
  mockCommands({
    search_patients: () => ({ patients: [], more: false }),
    list_drug_floors: () => ALL,
  });
  // An administrator without the clinical record does not see it.
  const admin = render(Shell, {
    session: sessionWith({ editPatients: true, manageUsers: true, manageSettings: true }),
    onlocked: vi.fn(),
  });
  expect(document.getElementById("nav-floors")).toBeNull();
  admin.unmount();

  // A nurse reads the floors.
  const nurse = render(Shell, {
    session: sessionWith({ editPatients: true, readClinical: true, editClinical: true }),
    onlocked: vi.fn(),
  });
  await user.click(screen.getByRole("button", { name: "Dose floors" }));
  expect(
    screen.getByRole("heading", { level: 1, name: "Minimum therapeutic doses" }),
  ).toHaveFocus();
  await waitFor(() => byId("floors-table"));
  expect(document.querySelector(".floor-edit")).toBeNull();
  nurse.unmount();

  // A provider can change them.
  render(Shell, {
    session: sessionWith({ readClinical: true, editClinical: true, signClinical: true }),
    onlocked: vi.fn(),
  });
  await user.click(screen.getByRole("button", { name: "Dose floors" }));
  expect(await screen.findByRole("button", { name: "Edit the floor for Lithium" })).toBeVisible();
});
