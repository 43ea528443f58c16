import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import type { AuditRow } from "../lib/bindings";
import { callsOf, mockCommands, row } from "../test/ipc";
import AuditLogView from "./AuditLogView.svelte";

afterEach(() => clearMocks());

function entry(seq: number, overrides: Partial<AuditRow> = {}): AuditRow {
  return {
    seq,
    at: "2026-11-21T14:03:05.123Z",
    username: "a.okafor",
    action: "patient.view",
    actionLabel: "Viewed a patient",
    patientId: 7,
    patientMrn: "KC-000007",
    patientName: "ROSSI, Dana",
    recordType: "patient",
    recordId: "7",
    detail: null,
    ...overrides,
  };
}

const ACTIONS = [
  { value: "login", label: "Signed in" },
  { value: "patient.view", label: "Viewed a patient" },
];

const NO_FILTER = { username: null, patientId: null, action: null, from: null, to: null };

function table(): HTMLTableElement {
  const t = document.getElementById("audit-table");
  if (!(t instanceof HTMLTableElement)) throw new Error("no audit table yet");
  return t;
}

test("entries show local time, user, action, patient with MRN, record and detail; no empty cells", async () => {
  mockCommands({
    audit_actions: () => ACTIONS,
    list_audit: () => ({
      entries: [
        entry(12),
        entry(11, {
          action: "login",
          actionLabel: "Signed in",
          patientId: null,
          patientMrn: null,
          patientName: null,
          recordType: null,
          recordId: null,
          detail: "from this computer",
        }),
      ],
      nextBefore: null,
    }),
  });
  render(AuditLogView);
  const t = await waitFor(table);
  const [first, second] = within(t).getAllByRole("row").slice(1);
  expect(first).toHaveTextContent(/21-Nov-2026 \d\d:03:05/);
  expect(first).toHaveTextContent("a.okafor");
  expect(first).toHaveTextContent("Viewed a patient");
  expect(first).toHaveTextContent("ROSSI, Dana");
  expect(first).toHaveTextContent("MRN KC-000007");
  expect(first).toHaveTextContent("patient 7");
  expect(first).toHaveTextContent("None");
  expect(second).toHaveTextContent("Signed in");
  expect(second).toHaveTextContent("Not applicable");
  expect(second).toHaveTextContent("from this computer");
  for (const cell of t.querySelectorAll("td, th")) expect(cell.textContent?.trim()).not.toBe("");
});

test("filters go to the core; bad dates come back as errors on From and To", async () => {
  const user = userEvent.setup();
  const message = "Enter a real date, like 2026-11-21";
  const order = "The end date must be the same as or after the start date";
  const calls = mockCommands({
    audit_actions: () => ACTIONS,
    search_patients: () => ({
      patients: [
        row({
          id: 7,
          familyName: "Rossi",
          givenName: "Dana",
          preferredName: null,
          mrn: "KC-000007",
        }),
      ],
      more: false,
    }),
    list_audit: ({ filter }) => {
      const f = filter as { from: string | null };
      if (f.from === "2026-13-01") {
        throw {
          code: "Validation",
          message,
          fields: [
            { field: "from", message },
            { field: "to", message: order },
          ],
        };
      }
      return { entries: [entry(3)], nextBefore: null };
    },
  });
  render(AuditLogView, { patientDelayMs: 0 });
  await waitFor(table);

  await user.type(screen.getByLabelText("User name (optional)"), "a.okafor");
  await user.selectOptions(screen.getByLabelText("Action (optional)"), "patient.view");
  await user.type(screen.getByLabelText("Patient (optional)"), "ross");
  await user.click(await screen.findByRole("button", { name: "ROSSI, Dana" }));
  expect(document.getElementById("audit-patient-chosen")).toHaveTextContent(
    "ROSSI, Dana, MRN KC-000007",
  );
  await user.type(screen.getByLabelText("From (optional)"), "2026-13-01");
  await user.type(screen.getByLabelText("To (optional)"), "2026-01-01");
  await user.click(screen.getByRole("button", { name: "Show entries" }));

  const summary = await screen.findByRole("alert");
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => [a.textContent, a.getAttribute("href")]),
  ).toEqual([
    [message, "#audit-from"],
    [order, "#audit-to"],
  ]);
  expect(document.getElementById("audit-from-error")).toHaveTextContent(`Error: ${message}`);
  expect(document.getElementById("audit-to-error")).toHaveTextContent(`Error: ${order}`);
  expect(screen.getByLabelText("From (optional)")).toHaveValue("2026-13-01");
  expect(callsOf(calls, "list_audit").at(-1)).toEqual({
    filter: {
      username: "a.okafor",
      patientId: 7,
      action: "patient.view",
      from: "2026-13-01",
      to: "2026-01-01",
    },
    beforeSeq: null,
  });
});

test("Load older entries asks for the page before the last one shown", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    audit_actions: () => ACTIONS,
    list_audit: ({ beforeSeq }) =>
      beforeSeq === null
        ? { entries: [entry(200), entry(199)], nextBefore: 199 }
        : { entries: [entry(198)], nextBefore: null },
  });
  render(AuditLogView);
  await waitFor(table);
  await user.click(screen.getByRole("button", { name: "Load older entries" }));
  await waitFor(() => expect(table().querySelectorAll("tbody tr")).toHaveLength(3));
  expect(callsOf(calls, "list_audit").at(-1)).toEqual({ filter: NO_FILTER, beforeSeq: 199 });
  expect(screen.queryByRole("button", { name: "Load older entries" })).toBeNull();
});

test("an intact log is reported as intact, in words as well as colour", async () => {
  const user = userEvent.setup();
  mockCommands({
    audit_actions: () => ACTIONS,
    list_audit: () => ({ entries: [entry(1)], nextBefore: null }),
    verify_audit: () => ({
      intact: true,
      summary: "All 1,204 entries are intact and in order",
      entries: 1204,
      checkpoints: 12,
      problems: [],
    }),
  });
  render(AuditLogView);
  await user.click(screen.getByRole("button", { name: "Check integrity" }));
  const result = await waitFor(() => {
    const el = document.getElementById("audit-verify-result");
    if (!el) throw new Error("no result yet");
    return el;
  });
  expect(result).toHaveClass("result-panel--success");
  expect(result).toHaveTextContent("Integrity check: ✓ Intact");
  expect(result).toHaveTextContent("All 1,204 entries are intact and in order");
  expect(result).toHaveTextContent("1,204 entries and 12 checkpoints checked");
  expect(document.getElementById("audit-problems")).toBeNull();
});

test("an altered log lists each problem with its entry number", async () => {
  const user = userEvent.setup();
  mockCommands({
    audit_actions: () => ACTIONS,
    list_audit: () => ({ entries: [entry(1)], nextBefore: null }),
    verify_audit: () => ({
      intact: false,
      summary: "2 problems found: the log was changed after it was written",
      entries: 310,
      checkpoints: 3,
      problems: [
        { seq: 42, message: "The entry's content does not match its hash" },
        { seq: null, message: "The last checkpoint is missing" },
      ],
    }),
  });
  render(AuditLogView);
  await user.click(screen.getByRole("button", { name: "Check integrity" }));
  const result = await waitFor(() => {
    const el = document.getElementById("audit-verify-result");
    if (!el) throw new Error("no result yet");
    return el;
  });
  expect(result).toHaveClass("result-panel--error");
  expect(result).not.toHaveClass("result-panel--success");
  expect(result).toHaveTextContent("Integrity check: ✗ Altered");
  expect(result).toHaveTextContent("2 problems found");
  const problems = within(document.getElementById("audit-problems") as HTMLElement).getAllByRole(
    "listitem",
  );
  expect(problems[0]).toHaveTextContent("Entry 42: The entry's content does not match its hash");
  expect(problems[1]).toHaveTextContent("Whole log: The last checkpoint is missing");
});

test("with an export folder set, Export CSV writes there without a dialog", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    audit_actions: () => ACTIONS,
    list_audit: () => ({ entries: [entry(1)], nextBefore: null }),
    export_folder: () => "/tmp/exports",
    export_audit_csv: ({ path }) => ({ path, entries: 1 }),
  });
  render(AuditLogView);
  await waitFor(table);
  await user.click(screen.getByRole("button", { name: "Export CSV" }));
  const result = await waitFor(() => {
    const el = document.getElementById("audit-export-result");
    if (!el) throw new Error("no result yet");
    return el;
  });
  const [args] = callsOf(calls, "export_audit_csv") as [{ path: string; filter: unknown }];
  expect(args.path).toMatch(/^\/tmp\/exports\/ketachart-audit-\d{4}-\d\d-\d\d-\d{6}\.csv$/);
  expect(args.filter).toEqual(NO_FILTER);
  expect(result).toHaveTextContent(`Exported 1 entry to ${args.path}`);
  expect(callsOf(calls, "plugin:dialog|save")).toHaveLength(0);
});

test("without an export folder, Export CSV asks where to save", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    audit_actions: () => ACTIONS,
    list_audit: () => ({ entries: [entry(1)], nextBefore: null }),
    export_folder: () => null,
    "plugin:dialog|save": () => "/home/clinic/audit.csv",
    export_audit_csv: ({ path }) => ({ path, entries: 57 }),
  });
  render(AuditLogView);
  await waitFor(table);
  await user.click(screen.getByRole("button", { name: "Export CSV" }));
  expect(await screen.findByText(/Exported 57 entries to/)).toHaveTextContent(
    "Exported 57 entries to /home/clinic/audit.csv",
  );
  const [dialog] = callsOf(calls, "plugin:dialog|save") as [{ options: { defaultPath: string } }];
  expect(dialog.options.defaultPath).toMatch(/^ketachart-audit-\d{4}-\d\d-\d\d-\d{6}\.csv$/);
});
