import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import type { DiagnosisOption, RecordView } from "../../lib/bindings";
import { liveRegion } from "../../lib/announce.svelte";
import { chartRecord, diagnosis, diagnosisOption, episode } from "../../test/chart";
import { callsOf, ipcError, mockCommands, type Handler } from "../../test/ipc";
import DiagnosesSection from "./DiagnosesSection.svelte";
import { ChartEditor } from "./editor.svelte";
import { RecordStore } from "./store.svelte";

afterEach(() => clearMocks());

const INSUFFICIENT = "Usually insufficient for prior authorization: document a specific MDD code";
const EXCLUDES1 =
  "F33 (recurrent major depressive disorder) cannot be coded with bipolar disorder (F31) or a manic episode (F30): ICD-10-CM Excludes1";

const CODES: DiagnosisOption[] = [
  diagnosisOption({ code: "F33.1", title: "Major depressive disorder, recurrent, moderate" }),
  diagnosisOption(),
  diagnosisOption({
    code: "F33.3",
    title: "Major depressive disorder, recurrent, severe with psychotic symptoms",
  }),
  diagnosisOption({ code: "F32.A", title: "Depression, unspecified", paNote: INSUFFICIENT }),
  diagnosisOption({
    code: "F31.4",
    title: "Bipolar disorder, current episode depressed, severe, without psychotic features",
    paNote: "Spravato and TMS are generally not covered for bipolar depression",
  }),
];

/** The reference's search: a code prefix, or every word starting a word of the title. */
function searchDiagnoses(args: Record<string, unknown>): DiagnosisOption[] {
  const q = String(args["query"] ?? "")
    .trim()
    .toLowerCase();
  const words = q.split(/\s+/).filter(Boolean);
  return CODES.filter(
    (c) =>
      c.code.toLowerCase().startsWith(q) ||
      words.every((w) =>
        c.title
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .some((t) => t.startsWith(w)),
      ),
  );
}

const f33 = chartRecord(diagnosis(), {
  id: 31,
  version: 2,
  title: "F33.2 Major depressive disorder, recurrent, severe without psychotic features",
});
const f32a = chartRecord(diagnosis({ code: "F32.A", onset: null, status: null, primary: false }), {
  id: 32,
  title: "F32.A Depression, unspecified",
  notes: [INSUFFICIENT],
});
const current = chartRecord(episode(), { id: 33, version: 5 });
const earlier = chartRecord(
  episode({
    onset: "2019",
    end: "2020-02",
    current: false,
    course: null,
    severity: "moderate",
    psychoticFeatures: null,
    confirmedBy: "clinical_interview",
    instrument: null,
    confirmingClinician: "Dr Lee",
    confirmedOn: null,
    note: "From the referral letter",
  }),
  { id: 34 },
);

function setup(
  opts: { records?: RecordView[]; canEdit?: boolean; handlers?: Record<string, Handler> } = {},
) {
  const calls = mockCommands({
    list_records: () => opts.records ?? [f33, f32a, current, earlier],
    search_diagnoses: searchDiagnoses,
    ...opts.handlers,
  });
  const store = new RecordStore(7);
  const editor = new ChartEditor();
  render(DiagnosesSection, {
    patientId: 7,
    store,
    editor,
    canEdit: opts.canEdit ?? true,
    searchDelayMs: 0,
  });
  void store.load();
  return { calls, store, editor };
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

function cells(row: Element): string[] {
  return Array.from((row as HTMLTableRowElement).cells).map(
    (c) => c.textContent?.replace(/\s+/g, " ").trim() ?? "",
  );
}

function rowsOf(tableId: string): Element[] {
  return Array.from(byId(tableId).querySelectorAll("tbody tr"));
}

test("lists diagnoses with their flags and episodes with how they were confirmed", async () => {
  setup();
  await waitFor(() => byId("diagnosis-table"));
  const [a, b] = rowsOf("diagnosis-table");
  expect(cells(a as Element)).toEqual([
    "F33.2 Major depressive disorder, recurrent, severe without psychotic features",
    "2019",
    "Active",
    "Primary",
    "Not recorded",
    "Edit",
  ]);
  // F32.A is valid but usually not enough for a prior authorization: a text flag says so.
  const flags = within(b as HTMLElement).getByRole("list", { name: "Flags" });
  expect(flags).toHaveTextContent(INSUFFICIENT);
  expect(within(flags).getByText(/Usually insufficient/)).toHaveClass("tag");
  expect(cells(b as Element).slice(1, 4)).toEqual(["Not recorded", "Not recorded", "No"]);
  expect(within(a as HTMLElement).queryByRole("list")).toBeNull();

  const [cur, old] = rowsOf("episode-table");
  expect(cells(cur as Element)).toEqual([
    "Jun-2025 Current",
    "Recurrent",
    "Severe",
    "No",
    "Structured interview (SCID-5-CV) Dr Amara Okafor, 14-Jul-2025",
    "Not recorded",
    "Edit",
  ]);
  expect(cells(old as Element)).toEqual([
    "2019 to Feb-2020",
    "Not recorded",
    "Moderate",
    "Not recorded",
    "Clinical interview Dr Lee",
    "From the referral letter",
    "Edit",
  ]);
  expect(screen.getByRole("button", { name: "Edit diagnosis F32.A" })).toHaveAttribute(
    "id",
    "edit-diagnosis-32",
  );
});

test("a code is found by typing its start, chosen from the matches, and saved", async () => {
  const user = userEvent.setup();
  const saved = chartRecord(diagnosis({ code: "F33.1", onset: "2021-05", primary: false }), {
    id: 40,
    title: "F33.1 Major depressive disorder, recurrent, moderate",
  });
  const { calls } = setup({ records: [], handlers: { create_record: () => saved } });
  await user.click(await screen.findByRole("button", { name: "Add a diagnosis" }));
  expect(screen.getByRole("heading", { level: 3, name: "Add a diagnosis" })).toHaveFocus();

  await user.type(byId("diagnosis-code"), "f33");
  const matches = await screen.findByRole("list", { name: "Matching codes" });
  await waitFor(() => expect(within(matches).getAllByRole("listitem")).toHaveLength(3));
  expect(callsOf(calls, "search_diagnoses").at(-1)).toEqual({ query: "f33" });
  await user.click(
    within(matches).getByRole("button", {
      name: "F33.1 Major depressive disorder, recurrent, moderate",
    }),
  );
  expect(byId("diagnosis-code")).toHaveValue("F33.1");
  expect(byId("diagnosis-code-info")).toHaveTextContent(
    "F33.1 Major depressive disorder, recurrent, moderate",
  );
  await waitFor(() => expect(screen.queryByRole("list", { name: "Matching codes" })).toBeNull());

  await user.type(byId("diagnosis-onset"), "2021-05");
  await user.click(screen.getByRole("radio", { name: "Active" }));
  await user.click(screen.getByRole("button", { name: "Save diagnosis" }));
  await waitFor(() => expect(callsOf(calls, "create_record")).toHaveLength(1));
  expect(callsOf(calls, "create_record")[0]).toEqual({
    patientId: 7,
    content: {
      kind: "diagnosis",
      code: "F33.1",
      onset: "2021-05",
      status: "active",
      primary: false,
      note: null,
    },
  });
  await waitFor(() => expect(document.getElementById("diagnosis-form")).toBeNull());
  expect(rowsOf("diagnosis-table")).toHaveLength(1);
  await waitFor(() => expect(liveRegion.text).toBe("Diagnosis saved"));
  await waitFor(() => expect(byId("add-diagnosis")).toHaveFocus());
});

test("words find codes by their title, with prior-auth notes beside the matches", async () => {
  const user = userEvent.setup();
  const { calls } = setup({ records: [] });
  await user.click(await screen.findByRole("button", { name: "Add a diagnosis" }));
  await user.type(byId("diagnosis-code"), "recurrent severe");
  const matches = await screen.findByRole("list", { name: "Matching codes" });
  await waitFor(() =>
    expect(
      within(matches)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual(["F33.2", "F33.3"]),
  );
  expect(callsOf(calls, "search_diagnoses").at(-1)).toEqual({ query: "recurrent severe" });

  await user.clear(byId("diagnosis-code"));
  await user.type(byId("diagnosis-code"), "bipolar");
  await waitFor(() =>
    expect(screen.getByRole("list", { name: "Matching codes" })).toHaveTextContent(
      "Spravato and TMS are generally not covered for bipolar depression",
    ),
  );

  await user.clear(byId("diagnosis-code"));
  await user.type(byId("diagnosis-code"), "zzz");
  expect(await screen.findByText("No codes match “zzz”.")).toBeVisible();
});

test("choosing F32.A warns that it is usually insufficient for prior authorization", async () => {
  const user = userEvent.setup();
  setup({ records: [] });
  await user.click(await screen.findByRole("button", { name: "Add a diagnosis" }));
  await user.type(byId("diagnosis-code"), "F32.A");
  const info = await waitFor(() => byId("diagnosis-code-info"));
  expect(info).toHaveTextContent("F32.A Depression, unspecified");
  expect(within(info).getByText(/Usually insufficient/)).toHaveClass("tag");
  expect(byId("diagnosis-code").getAttribute("aria-describedby")).toContain("diagnosis-code-info");
});

test("an Excludes1 clash (F33 with F31) is shown on the code, keeping the form", async () => {
  const user = userEvent.setup();
  setup({
    records: [f33],
    handlers: {
      create_record: () =>
        ipcError("Validation", "The diagnosis has a problem", [
          { field: "code", message: EXCLUDES1 },
        ]),
    },
  });
  await user.click(await screen.findByRole("button", { name: "Add a diagnosis" }));
  await user.type(byId("diagnosis-code"), "F31.4");
  await user.click(screen.getByRole("radio", { name: "Active" }));
  await user.click(screen.getByRole("button", { name: "Save diagnosis" }));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveFocus();
  const link = within(summary).getByRole("link");
  expect(link).toHaveTextContent(EXCLUDES1);
  expect(link).toHaveAttribute("href", "#diagnosis-code");
  expect(byId("diagnosis-code-error")).toHaveTextContent(`Error: ${EXCLUDES1}`);
  expect(byId("diagnosis-code")).toHaveAttribute("aria-invalid", "true");
  expect(byId("diagnosis-code").getAttribute("aria-describedby")).toContain("diagnosis-code-error");
  expect(byId("diagnosis-code")).toHaveValue("F31.4");
  expect(rowsOf("diagnosis-table")).toHaveLength(1);
  await user.click(link);
  expect(byId("diagnosis-code")).toHaveFocus();
});

test("an episode is added with partial dates and the structured interview named", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    records: [],
    handlers: { create_record: (args) => chartRecord(args["content"] as never, { id: 50 }) },
  });
  await user.click(await screen.findByRole("button", { name: "Add an episode" }));
  expect(screen.getByRole("heading", { level: 3, name: "Add a depressive episode" })).toHaveFocus();
  await user.type(byId("episode-onset"), "2025-06");
  await user.click(screen.getByLabelText("This is the current episode"));
  await user.click(screen.getByRole("radio", { name: "Recurrent" }));
  await user.click(screen.getByRole("radio", { name: "Severe" }));
  await user.click(
    within(screen.getByRole("group", { name: "Psychotic features" })).getByRole("radio", {
      name: "No",
    }),
  );
  expect(screen.queryByLabelText("Structured interview used")).toBeNull();
  await user.click(screen.getByRole("radio", { name: "Structured interview" }));
  await user.type(screen.getByLabelText("Structured interview used"), "MINI");
  await user.type(byId("episode-confirmingClinician"), "Dr Amara Okafor");
  await user.type(byId("episode-confirmedOn"), "7/14/2025");
  await user.click(screen.getByRole("button", { name: "Save episode" }));

  await waitFor(() => expect(callsOf(calls, "create_record")).toHaveLength(1));
  expect(callsOf(calls, "create_record")[0]).toEqual({
    patientId: 7,
    content: {
      kind: "episode",
      onset: "2025-06",
      end: null,
      current: true,
      course: "recurrent",
      severity: "severe",
      psychoticFeatures: false,
      confirmedBy: "structured_interview",
      instrument: "MINI",
      confirmingClinician: "Dr Amara Okafor",
      confirmedOn: "2025-07-14",
      note: null,
    },
  });
  await waitFor(() => expect(rowsOf("episode-table")).toHaveLength(1));
  expect(cells(rowsOf("episode-table")[0] as Element)[0]).toBe("Jun-2025 Current");
});

test("a second current episode is refused on the checkbox, with each message once", async () => {
  const user = userEvent.setup();
  setup({
    records: [current],
    handlers: {
      create_record: () =>
        ipcError("Validation", "The episode has 3 problems", [
          { field: "end", message: "End must be the same as or after Jun-2025" },
          { field: "end", message: "End cannot be given for the current episode" },
          {
            field: "current",
            message: "Another episode is marked current; give it an end date first",
          },
        ]),
    },
  });
  await user.click(await screen.findByRole("button", { name: "Add an episode" }));
  await user.type(byId("episode-onset"), "2022");
  await user.type(byId("episode-end"), "2021");
  await user.click(screen.getByLabelText("This is the current episode"));
  await user.click(screen.getByRole("button", { name: "Save episode" }));

  const summary = await screen.findByRole("alert");
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => a.getAttribute("href")),
  ).toEqual(["#episode-end", "#episode-current"]);
  expect(byId("episode-current-error")).toHaveTextContent(
    "Error: Another episode is marked current; give it an end date first",
  );
  expect(byId("episode-end-error")).toHaveTextContent(
    "Error: End must be the same as or after Jun-2025",
  );
  expect(byId("episode-onset")).toHaveValue("2022");
  expect(byId("episode-current")).toBeChecked();
});

test("editing an episode sends its id and version", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    handlers: { update_record: (args) => chartRecord(args["content"] as never, { id: 33 }) },
  });
  await user.click(await screen.findByRole("button", { name: "Edit episode from Jun-2025" }));
  expect(byId("episode-onset")).toHaveValue("2025-06");
  expect(screen.getByLabelText("Structured interview used")).toHaveValue("SCID-5-CV");
  await user.type(byId("episode-end"), "2026-01");
  await user.click(screen.getByLabelText("This is the current episode"));
  await user.click(screen.getByRole("button", { name: "Save episode" }));
  await waitFor(() => expect(callsOf(calls, "update_record")).toHaveLength(1));
  expect(callsOf(calls, "update_record")[0]).toMatchObject({
    id: 33,
    version: 5,
    content: { kind: "episode", end: "2026-01", current: false, instrument: "SCID-5-CV" },
  });
});

test("billing reads diagnoses and episodes without any way to change them", async () => {
  setup({ canEdit: false });
  await waitFor(() => byId("diagnosis-table"));
  expect(rowsOf("diagnosis-table")).toHaveLength(2);
  expect(rowsOf("episode-table")).toHaveLength(2);
  expect(document.getElementById("add-diagnosis")).toBeNull();
  expect(document.getElementById("add-episode")).toBeNull();
  expect(document.querySelector(".edit-diagnosis, .edit-episode")).toBeNull();
});

test("empty lists say what belongs there", async () => {
  setup({ records: [] });
  expect(await screen.findByText(/No diagnoses recorded yet/)).toHaveTextContent(
    "Add the working diagnosis with its ICD-10 code.",
  );
  expect(byId("episode-empty")).toHaveTextContent("No episodes recorded yet.");
  expect(document.getElementById("diagnosis-table")).toBeNull();
});
