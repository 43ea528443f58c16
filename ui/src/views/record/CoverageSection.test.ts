import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import type { PayerView, RecordView } from "../../lib/bindings";
import { liveRegion } from "../../lib/announce.svelte";
import { chartRecord, coverage, payer } from "../../test/chart";
import { callsOf, ipcError, mockCommands, type Handler } from "../../test/ipc";
import CoverageSection from "./CoverageSection.svelte";
import { ChartEditor } from "./editor.svelte";
import { RecordStore } from "./store.svelte";

afterEach(() => clearMocks());

const aetna = payer();
const cigna = payer({ id: 2, name: "Cigna", paPhone: null, paFax: "800 555 0177" });
const oldPlan = payer({ id: 3, name: "Harbor Health", active: false });

const primary = chartRecord(coverage(), { id: 21, version: 4 });
const secondary = chartRecord(
  coverage({
    payerId: 2,
    planName: "Open Access Plus",
    memberId: "U88120",
    groupNumber: null,
    relationship: "spouse",
    subscriberName: "Marco Rossi",
    benefit: "pharmacy",
    priority: "secondary",
    effectiveFrom: "2025-07-01",
    effectiveTo: "2026-06-30",
    paPhone: "800 555 0101",
  }),
  { id: 22, version: 1 },
);

function setup(
  opts: {
    records?: RecordView[];
    payers?: PayerView[];
    canEdit?: boolean;
    handlers?: Record<string, Handler>;
  } = {},
) {
  const calls = mockCommands({
    list_records: () => opts.records ?? [primary, secondary],
    list_payers: () => opts.payers ?? [aetna, cigna, oldPlan],
    ...opts.handlers,
  });
  const store = new RecordStore(7);
  const editor = new ChartEditor();
  render(CoverageSection, { patientId: 7, store, editor, canEdit: opts.canEdit ?? true });
  void store.load();
  return { calls, store, editor };
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

function cells(row: HTMLElement): string[] {
  return Array.from((row as HTMLTableRowElement).cells).map(
    (c) => c.textContent?.replace(/\s+/g, " ").trim() ?? "",
  );
}

async function rows(): Promise<HTMLElement[]> {
  const table = await screen.findByRole("table");
  return Array.from(table.querySelectorAll<HTMLElement>("tr.coverage-row"));
}

test("lists each plan with its payer, numbers, subscriber and prior auth contact", async () => {
  setup();
  const table = await screen.findByRole("table");
  expect(table).toHaveAttribute("id", "coverage-table");
  expect(table.querySelector("caption")).toHaveTextContent("Insurance coverage: 2 plans");
  const [first, second] = await rows();
  // The plan's own PA numbers are blank, so the payer list's are shown and said to be so.
  expect(cells(first as HTMLElement)).toEqual([
    "Aetna Choice POS II",
    "W123456789 Group 0099812",
    "Primary Medical benefit",
    "Self",
    "From 01-Jan-2026",
    "Phone 800 555 0134 From the payer list",
    "Edit",
  ]);
  expect(cells(second as HTMLElement)).toEqual([
    "Cigna Open Access Plus",
    "U88120 Group not recorded",
    "Secondary Pharmacy benefit",
    "Marco Rossi Spouse or partner",
    "01-Jul-2025 to 30-Jun-2026",
    "Phone 800 555 0101",
    "Edit",
  ]);
  expect(screen.getByRole("button", { name: "Edit Cigna coverage" })).toHaveAttribute(
    "id",
    "edit-coverage-22",
  );
});

test("adding coverage offers active payers only and sends the typed form", async () => {
  const user = userEvent.setup();
  const saved = chartRecord(
    coverage({ payerId: 2, planName: "Open Access Plus", memberId: "U1", groupNumber: null }),
    { id: 30 },
  );
  const { calls } = setup({ records: [], handlers: { create_record: () => saved } });
  expect(await screen.findByText(/No coverage recorded yet/)).toHaveTextContent(
    "Add the patient's insurance from their card.",
  );
  await user.click(screen.getByRole("button", { name: "Add coverage" }));

  expect(screen.getByRole("heading", { level: 3, name: "Add coverage" })).toHaveFocus();
  const payerBox = byId("coverage-payerId");
  expect(
    within(payerBox)
      .getAllByRole("option")
      .map((o) => o.textContent),
  ).toEqual(["Choose a payer", "Aetna", "Cigna"]);
  await user.selectOptions(payerBox, "2");
  // The PA hints name the chosen payer's own numbers.
  expect(byId("coverage-paFax-hint")).toHaveTextContent(
    "Leave blank to use the payer's fax, 800 555 0177",
  );
  await user.type(byId("coverage-planName"), "Open Access Plus");
  await user.type(byId("coverage-memberId"), "U1");
  await user.click(screen.getByRole("radio", { name: "Spouse or partner" }));
  await user.type(screen.getByLabelText("Subscriber's full name"), "Marco Rossi");
  await user.click(screen.getByRole("radio", { name: "Medical and pharmacy" }));
  await user.click(screen.getByRole("radio", { name: "Primary" }));
  await user.type(byId("coverage-effectiveFrom"), "3/7/2026");
  await user.type(byId("coverage-paPhone"), "800 555 0101");
  await user.click(screen.getByRole("button", { name: "Save coverage" }));

  await waitFor(() => expect(callsOf(calls, "create_record")).toHaveLength(1));
  expect(callsOf(calls, "create_record")[0]).toEqual({
    patientId: 7,
    content: {
      kind: "coverage",
      payerId: 2,
      planName: "Open Access Plus",
      memberId: "U1",
      groupNumber: null,
      relationship: "spouse",
      subscriberName: "Marco Rossi",
      benefit: "both",
      priority: "primary",
      effectiveFrom: "2026-03-07",
      effectiveTo: null,
      paPhone: "800 555 0101",
      paFax: null,
    },
  });
  // The form closes, the new plan is listed, focus returns to the button and it is announced.
  await waitFor(() => expect(document.getElementById("coverage-form")).toBeNull());
  expect(await rows()).toHaveLength(1);
  await waitFor(() => expect(byId("add-coverage")).toHaveFocus());
  await waitFor(() => expect(liveRegion.text).toBe("Coverage saved"));
});

test("the core's field errors show in one summary and inline, keeping what was typed", async () => {
  const user = userEvent.setup();
  setup({
    records: [],
    handlers: {
      create_record: () =>
        ipcError("Validation", "The coverage has 3 problems", [
          { field: "payerId", message: "Select the payer" },
          { field: "memberId", message: "Enter the member ID" },
          {
            field: "effectiveFrom",
            message: "Effective from must be a real date",
          },
        ]),
    },
  });
  await user.click(await screen.findByRole("button", { name: "Add coverage" }));
  await user.type(byId("coverage-planName"), "Choice POS II");
  await user.type(byId("coverage-effectiveFrom"), "2026-02-30");
  await user.click(screen.getByRole("button", { name: "Save coverage" }));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveAttribute("id", "error-summary");
  expect(summary).toHaveFocus();
  expect(within(summary).getByRole("heading")).toHaveTextContent("There is a problem");
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => [a.textContent, a.getAttribute("href")]),
  ).toEqual([
    ["Select the payer", "#coverage-payerId"],
    ["Enter the member ID", "#coverage-memberId"],
    ["Effective from must be a real date", "#coverage-effectiveFrom"],
  ]);
  expect(byId("coverage-memberId-error")).toHaveTextContent("Error: Enter the member ID");
  expect(byId("coverage-memberId")).toHaveAttribute("aria-invalid", "true");
  expect(byId("coverage-planName")).not.toHaveAttribute("aria-invalid");
  expect(byId("coverage-planName")).toHaveValue("Choice POS II");
  expect(byId("coverage-effectiveFrom")).toHaveValue("2026-02-30");
  expect(document.title).toBe("Error: Patient record – KetaChart");

  await user.click(within(summary).getByRole("link", { name: "Enter the member ID" }));
  expect(byId("coverage-memberId")).toHaveFocus();
});

test("editing prefills the plan and saves with its id and version", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    handlers: { update_record: (args) => chartRecord(args["content"] as never, { id: 22 }) },
  });
  await user.click(await screen.findByRole("button", { name: "Edit Cigna coverage" }));
  expect(screen.getByRole("heading", { level: 3, name: "Change coverage" })).toHaveFocus();
  expect(byId("coverage-payerId")).toHaveValue("2");
  expect(byId("coverage-memberId")).toHaveValue("U88120");
  expect(screen.getByRole("radio", { name: "Spouse or partner" })).toBeChecked();
  expect(screen.getByLabelText("Subscriber's full name")).toHaveValue("Marco Rossi");
  expect(byId("coverage-effectiveTo")).toHaveValue("2026-06-30");

  // The subscriber is the patient now: the name is no longer asked for or sent.
  await user.click(screen.getByRole("radio", { name: "Self" }));
  expect(screen.queryByLabelText("Subscriber's full name")).toBeNull();
  await user.click(screen.getByRole("button", { name: "Save coverage" }));

  await waitFor(() => expect(callsOf(calls, "update_record")).toHaveLength(1));
  const [args] = callsOf(calls, "update_record");
  expect(args).toMatchObject({
    id: 22,
    version: 1,
    content: { kind: "coverage", payerId: 2, relationship: "self", subscriberName: null },
  });
  await waitFor(() => expect(byId("edit-coverage-22")).toHaveFocus());
});

test("an inactive payer stays on the list when editing coverage that uses it", async () => {
  const user = userEvent.setup();
  setup({ records: [chartRecord(coverage({ payerId: 3 }), { id: 23 })] });
  await user.click(await screen.findByRole("button", { name: "Edit Harbor Health coverage" }));
  const options = within(byId("coverage-payerId")).getAllByRole("option");
  expect(options.map((o) => o.textContent)).toEqual([
    "Choose a payer",
    "Aetna",
    "Cigna",
    "Harbor Health (inactive)",
  ]);
  expect(byId("coverage-payerId")).toHaveValue("3");
});

test("a stale edit shows the conflict and keeps the form open", async () => {
  const user = userEvent.setup();
  setup({
    handlers: {
      update_record: () => ipcError("Conflict", "This coverage was changed by Jo Reyes"),
    },
  });
  await user.click(await screen.findByRole("button", { name: "Edit Aetna coverage" }));
  await user.click(screen.getByRole("button", { name: "Save coverage" }));
  const conflict = await waitFor(() => byId("coverage-conflict"));
  expect(conflict).toHaveTextContent("This coverage could not be saved");
  expect(conflict).toHaveTextContent("This coverage was changed by Jo Reyes");
  expect(document.getElementById("error-summary")).toBeNull();
  expect(byId("coverage-form")).toBeInTheDocument();
});

test("opening another form with unsaved changes keeps them and warns instead", async () => {
  const user = userEvent.setup();
  setup();
  await user.click(await screen.findByRole("button", { name: "Add coverage" }));
  await user.type(byId("coverage-memberId"), "X1");
  await user.click(screen.getByRole("button", { name: "Edit Aetna coverage" }));
  const warning = await waitFor(() => byId("coverage-leave-warning"));
  expect(warning).toHaveTextContent("This coverage has not been saved");
  await waitFor(() => expect(warning).toHaveFocus());
  expect(screen.getByRole("heading", { level: 3, name: "Add coverage" })).toBeInTheDocument();
  expect(byId("coverage-memberId")).toHaveValue("X1");

  await user.click(screen.getByRole("button", { name: "Cancel" }));
  expect(document.getElementById("coverage-form")).toBeNull();
  await waitFor(() => expect(byId("add-coverage")).toHaveFocus());
});

test("with no active payers, coverage cannot be added and the section says why", async () => {
  setup({ records: [], payers: [oldPlan] });
  expect(await screen.findByText(/payer list is empty/)).toHaveAttribute(
    "id",
    "coverage-no-payers",
  );
  expect(document.getElementById("add-coverage")).toBeNull();
  expect(byId("coverage-empty")).toHaveTextContent("No coverage recorded yet.");
  expect(byId("coverage-empty")).not.toHaveTextContent("Add the patient's insurance");
});

test("without the coverage permission the plans are read-only", async () => {
  setup({ canEdit: false });
  expect(await rows()).toHaveLength(2);
  expect(document.getElementById("add-coverage")).toBeNull();
  expect(document.querySelector(".edit-coverage")).toBeNull();
  expect(screen.queryByRole("columnheader", { name: "Actions" })).toBeNull();
});
