import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import type { RecordView } from "../../lib/bindings";
import { liveRegion } from "../../lib/announce.svelte";
import { chartRecord, otherTreatment, psychotherapy } from "../../test/chart";
import { callsOf, ipcError, mockCommands, type Handler } from "../../test/ipc";
import { ChartEditor } from "./editor.svelte";
import { RecordStore } from "./store.svelte";
import TreatmentsSection from "./TreatmentsSection.svelte";

afterEach(() => clearMocks());

const cbt = chartRecord(psychotherapy(), { id: 61, version: 3 });
const supportive = chartRecord(
  psychotherapy({
    modality: "other",
    modalityOther: "Supportive counselling",
    start: "2023",
    end: null,
    ongoing: true,
    sessions: null,
    therapist: null,
    outcome: "unknown",
    currentEpisode: false,
    sourceNote: "Referral letter",
  }),
  { id: 62 },
);
const ect = chartRecord(otherTreatment(), { id: 63, version: 2 });
const tms = chartRecord(
  otherTreatment({
    treatment: "tms",
    status: "done",
    reason: null,
    start: "2022-03",
    end: "2022-05",
    sessions: "36",
    response: "partial",
    currentEpisode: false,
  }),
  { id: 64 },
);

function setup(
  opts: { records?: RecordView[]; canEdit?: boolean; handlers?: Record<string, Handler> } = {},
) {
  const calls = mockCommands({
    list_records: () => opts.records ?? [cbt, supportive, ect, tms],
    ...opts.handlers,
  });
  const store = new RecordStore(7);
  const editor = new ChartEditor();
  render(TreatmentsSection, { patientId: 7, store, editor, canEdit: opts.canEdit ?? true });
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

test("lists psychotherapy and other treatments with dates, sessions and outcomes in words", async () => {
  setup();
  await waitFor(() => byId("psychotherapy-table"));
  const [a, b] = rowsOf("psychotherapy-table");
  expect(cells(a as Element)).toEqual([
    "Cognitive behavioural therapy (CBT)",
    "Lakeside Counselling",
    "Sep-2024 to Mar-2025",
    "16",
    "Partial response",
    "Yes",
    "Edit",
  ]);
  expect(cells(b as Element)).toEqual([
    "Supportive counselling Referral letter",
    "Not recorded",
    "2023 to now",
    "Not known",
    "Not known",
    "No",
    "Edit",
  ]);

  const [c, d] = rowsOf("other-treatment-table");
  expect(cells(c as Element)).toEqual([
    "Electroconvulsive therapy (ECT)",
    "Declined Worried about memory effects",
    "Not recorded",
    "Not known",
    "Not applicable",
    "Yes",
    "Edit",
  ]);
  expect(cells(d as Element)).toEqual([
    "Transcranial magnetic stimulation (TMS)",
    "Done",
    "Mar-2022 to May-2022",
    "36",
    "Partial response",
    "No",
    "Edit",
  ]);
});

test("a course of psychotherapy is added with a named 'other' therapy", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    records: [],
    handlers: { create_record: (args) => chartRecord(args["content"] as never, { id: 70 }) },
  });
  await user.click(await screen.findByRole("button", { name: "Add psychotherapy" }));
  expect(screen.getByRole("heading", { level: 3, name: "Add psychotherapy" })).toHaveFocus();
  expect(screen.queryByLabelText("Name of the therapy")).toBeNull();
  await user.click(screen.getByRole("radio", { name: "Other" }));
  await user.type(screen.getByLabelText("Name of the therapy"), "Group therapy");
  await user.type(byId("psychotherapy-start"), "2021");
  await user.click(screen.getByLabelText("The patient is still in this therapy"));
  await user.type(byId("psychotherapy-sessions"), "12");
  await user.click(screen.getByRole("radio", { name: "Stopped early" }));
  await user.click(screen.getByLabelText("Part of the current depressive episode"));
  await user.click(screen.getByRole("button", { name: "Save psychotherapy" }));

  await waitFor(() => expect(callsOf(calls, "create_record")).toHaveLength(1));
  expect(callsOf(calls, "create_record")[0]).toEqual({
    patientId: 7,
    content: {
      kind: "psychotherapy",
      modality: "other",
      modalityOther: "Group therapy",
      start: "2021",
      end: null,
      ongoing: true,
      sessions: "12",
      therapist: null,
      outcome: "discontinued",
      currentEpisode: true,
      sourceNote: null,
    },
  });
  await waitFor(() => expect(rowsOf("psychotherapy-table")).toHaveLength(1));
  expect(cells(rowsOf("psychotherapy-table")[0] as Element)[0]).toBe("Group therapy");
  await waitFor(() => expect(liveRegion.text).toBe("Psychotherapy saved"));
  await waitFor(() => expect(byId("add-psychotherapy")).toHaveFocus());
});

test("psychotherapy field errors from the core are shown in the summary and inline", async () => {
  const user = userEvent.setup();
  setup({
    records: [],
    handlers: {
      create_record: () =>
        ipcError("Validation", "The psychotherapy has 2 problems", [
          { field: "modality", message: "Select the kind of therapy" },
          { field: "sessions", message: "Number of sessions must be a number, like 12" },
        ]),
    },
  });
  await user.click(await screen.findByRole("button", { name: "Add psychotherapy" }));
  await user.type(byId("psychotherapy-sessions"), "twelve");
  await user.click(screen.getByRole("button", { name: "Save psychotherapy" }));
  const summary = await screen.findByRole("alert");
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => a.getAttribute("href")),
  ).toEqual(["#psychotherapy-modality", "#psychotherapy-sessions"]);
  expect(byId("psychotherapy-modality-error")).toHaveTextContent(
    "Error: Select the kind of therapy",
  );
  expect(byId("psychotherapy-sessions")).toHaveValue("twelve");
  // The summary link for a radio group focuses its first radio.
  await user.click(within(summary).getByRole("link", { name: "Select the kind of therapy" }));
  expect(byId("psychotherapy-modality")).toHaveFocus();
});

test("a declined treatment is saved with its reason and no response", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    records: [],
    handlers: { create_record: (args) => chartRecord(args["content"] as never, { id: 71 }) },
  });
  await user.click(await screen.findByRole("button", { name: "Add another treatment" }));
  expect(screen.getByRole("heading", { level: 3, name: "Add another treatment" })).toHaveFocus();
  await user.click(screen.getByRole("radio", { name: "esketamine (Spravato)" }));
  await user.click(screen.getByRole("radio", { name: "Done" }));
  expect(screen.getByRole("group", { name: "Response" })).toBeInTheDocument();
  await user.click(screen.getByRole("radio", { name: "Remission" }));
  // Changing the answer to "Declined" asks for the reason and drops the response.
  await user.click(screen.getByRole("radio", { name: "Declined" }));
  expect(screen.queryByRole("group", { name: "Response" })).toBeNull();
  await user.type(screen.getByLabelText("Reason it was not done"), "Cost");
  await user.click(screen.getByRole("button", { name: "Save treatment" }));

  await waitFor(() => expect(callsOf(calls, "create_record")).toHaveLength(1));
  expect(callsOf(calls, "create_record")[0]).toEqual({
    patientId: 7,
    content: {
      kind: "other_treatment",
      treatment: "esketamine",
      status: "declined",
      reason: "Cost",
      start: null,
      end: null,
      sessions: null,
      response: null,
      currentEpisode: false,
      note: null,
    },
  });
  await waitFor(() => expect(rowsOf("other-treatment-table")).toHaveLength(1));
  await waitFor(() => expect(liveRegion.text).toBe("Treatment saved"));
  await waitFor(() => expect(byId("add-other-treatment")).toHaveFocus());
});

test("a treatment that was done is edited with its id and version", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    handlers: { update_record: (args) => chartRecord(args["content"] as never, { id: 64 }) },
  });
  await user.click(
    await screen.findByRole("button", { name: "Edit Transcranial magnetic stimulation (TMS)" }),
  );
  expect(screen.getByRole("heading", { level: 3, name: "Edit other treatment" })).toHaveFocus();
  expect(byId("other-start")).toHaveValue("2022-03");
  expect(screen.getByRole("radio", { name: "Partial response" })).toBeChecked();
  await user.click(screen.getByRole("radio", { name: "Response" }));
  await user.click(screen.getByRole("button", { name: "Save treatment" }));
  await waitFor(() => expect(callsOf(calls, "update_record")).toHaveLength(1));
  expect(callsOf(calls, "update_record")[0]).toMatchObject({
    id: 64,
    version: 1,
    content: { kind: "other_treatment", treatment: "tms", status: "done", response: "response" },
  });
});

test("opening another form while a treatment form has changes warns in that form", async () => {
  const user = userEvent.setup();
  setup();
  await user.click(await screen.findByRole("button", { name: "Add another treatment" }));
  await user.type(byId("other-sessions"), "6");
  await user.click(screen.getByRole("button", { name: "Add psychotherapy" }));
  const warning = await waitFor(() => byId("other_treatment-leave-warning"));
  expect(warning).toHaveTextContent("This treatment has not been saved");
  await waitFor(() => expect(warning).toHaveFocus());
  expect(screen.queryByRole("heading", { name: "Add psychotherapy" })).toBeNull();
  expect(byId("other-sessions")).toHaveValue("6");
  // Asking again for the same form brings focus back to its heading.
  await user.click(screen.getByRole("button", { name: "Add another treatment" }));
  await waitFor(() =>
    expect(screen.getByRole("heading", { level: 3, name: "Add another treatment" })).toHaveFocus(),
  );
});

test("the other-treatment errors point at the right controls", async () => {
  const user = userEvent.setup();
  setup({
    records: [],
    handlers: {
      create_record: () =>
        ipcError("Validation", "The treatment has 2 problems", [
          { field: "treatment", message: "Select the treatment" },
          { field: "reason", message: "Enter the reason it was not done" },
        ]),
    },
  });
  await user.click(await screen.findByRole("button", { name: "Add another treatment" }));
  await user.click(screen.getByRole("radio", { name: "Contraindicated" }));
  await user.click(screen.getByRole("button", { name: "Save treatment" }));
  const summary = await screen.findByRole("alert");
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => a.getAttribute("href")),
  ).toEqual(["#other-treatment", "#other-reason"]);
  expect(byId("other-reason-error")).toHaveTextContent("Error: Enter the reason it was not done");
  expect(byId("other-reason")).toHaveAttribute("aria-invalid", "true");
});

test("without edit permission the treatments are read-only", async () => {
  setup({ canEdit: false });
  await waitFor(() => byId("psychotherapy-table"));
  expect(document.getElementById("add-psychotherapy")).toBeNull();
  expect(document.getElementById("add-other-treatment")).toBeNull();
  expect(document.querySelector(".edit-psychotherapy, .edit-other-treatment")).toBeNull();
  expect(rowsOf("other-treatment-table")).toHaveLength(2);
});

test("empty lists say how to add the first entry", async () => {
  setup({ records: [] });
  expect(await screen.findByText(/No psychotherapy recorded yet/)).toHaveAttribute(
    "id",
    "psychotherapy-empty",
  );
  expect(byId("other-treatment-empty")).toHaveTextContent(
    "Add ECT, TMS or ketamine treatment, including ones considered but not done.",
  );
});
