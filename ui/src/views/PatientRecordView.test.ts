import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, expect, test, vi } from "vitest";
import type { Permissions } from "../lib/bindings";
import {
  chartRecord,
  coverage,
  diagnosis,
  episode,
  otherTreatment,
  payer,
  psychotherapy,
  timelineSpan,
} from "../test/chart";
import { ADMIN, BILLING, CLINICIAN, callsOf, mockCommands, record, trialRow } from "../test/ipc";
import { phq9 } from "../test/scores";
import PatientRecordView from "./PatientRecordView.svelte";
import { courseContent, storedRecord } from "./sessions/test-fixtures";

afterEach(() => clearMocks());

const dana = record({ id: 7 });

const RECORDS = [
  chartRecord(diagnosis(), { id: 31, title: "F33.2 Major depressive disorder" }),
  chartRecord(episode(), { id: 33 }),
  chartRecord(psychotherapy(), { id: 61 }),
  chartRecord(otherTreatment(), { id: 63 }),
  chartRecord(coverage(), { id: 21 }),
  storedRecord({ kind: "course", ...courseContent() }, { id: 50 }),
];

const CLINICAL_SECTIONS = [
  "treatment-history",
  "chart-scores",
  "chart-diagnoses",
  "chart-treatments",
  "chart-screenings",
  "chart-evaluations",
  "section-courses",
  "rems-enrollment",
  "chart-documents",
  "chart-consents",
  "chart-timeline",
];

const CLINICAL_ADD_BUTTONS = [
  "add-trial",
  "add-score",
  "add-diagnosis",
  "add-episode",
  "add-psychotherapy",
  "add-other-treatment",
  "add-screening",
  "add-evaluation",
];

function renderRecord(permissions: Permissions, records = RECORDS) {
  const calls = mockCommands({
    list_trials: () => [trialRow()],
    // The core returns only the kinds the user may read.
    list_records: () =>
      permissions.readClinical ? records : records.filter((r) => r.content.kind === "coverage"),
    list_payers: () => [payer()],
    patient_timeline: () => [timelineSpan()],
    screening_items: () => [],
    list_instruments: () => [phq9],
    list_scores: () => [],
    score_trends: () => [],
    list_consents: () => ({ signed: [], missing: [] }),
  });
  render(PatientRecordView, {
    id: 7,
    record: dana,
    canEdit: permissions.editPatients,
    readClinical: permissions.readClinical,
    editClinical: permissions.editClinical,
    signClinical: permissions.signClinical,
    editCoverage: permissions.editCoverage,
    onedit: vi.fn(),
    onback: vi.fn(),
    onaddtrial: vi.fn(),
    onedittrial: vi.fn(),
  });
  return calls;
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

function sectionLinks(): (string | null)[] {
  const nav = screen.getByRole("navigation", { name: "Chart sections" });
  return within(nav)
    .getAllByRole("link")
    .map((a) => a.getAttribute("href"));
}

test("a clinician sees every chart section, in the order of the section links", async () => {
  const calls = renderRecord(CLINICIAN);
  expect(await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" })).toHaveFocus();
  await waitFor(() => byId("diagnosis-table"));
  await waitFor(() => byId("timeline-table"));

  const expected = [...CLINICAL_SECTIONS, "chart-coverage", "personal-details"];
  expect(sectionLinks()).toEqual(expected.map((id) => `#${id}`));
  // Every link has its target, and the targets come in the same order down the page.
  const targets = expected.map(byId);
  for (let i = 1; i < targets.length; i += 1) {
    const prev = targets[i - 1] as HTMLElement;
    expect(prev.compareDocumentPosition(targets[i] as HTMLElement)).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
  }
  for (const id of [...CLINICAL_ADD_BUTTONS, "add-coverage"]) expect(byId(id)).toBeVisible();
  expect(screen.getByRole("link", { name: "Timeline" })).toHaveAttribute("href", "#chart-timeline");

  // The records are read once for the whole chart.
  expect(callsOf(calls, "list_records")).toEqual([{ patientId: 7, kind: null }]);
  expect(callsOf(calls, "patient_timeline")).toEqual([{ patientId: 7 }]);
});

test("the summary export sits with the page actions, before Edit patient", async () => {
  renderRecord(CLINICIAN);
  const exportButton = await screen.findByRole("button", { name: "Export summary PDF" });
  expect(exportButton).toHaveAttribute("id", "export-summary");
  const edit = byId("edit-patient");
  expect(exportButton.compareDocumentPosition(edit)).toBe(Node.DOCUMENT_POSITION_FOLLOWING);
  expect(exportButton.closest(".page-actions")).toBe(edit.closest(".page-actions"));
});

test("billing reads the clinical sections but has no way to add or change them", async () => {
  const calls = renderRecord(BILLING);
  await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" });
  await waitFor(() => byId("diagnosis-table"));
  await waitFor(() => byId("trial-table"));
  await waitFor(() => byId("timeline-table"));

  for (const id of CLINICAL_SECTIONS) expect(byId(id)).toBeInTheDocument();
  for (const id of CLINICAL_ADD_BUTTONS) expect(document.getElementById(id)).toBeNull();
  expect(
    document.querySelectorAll(
      ".edit-trial, .edit-diagnosis, .edit-episode, .edit-psychotherapy, .edit-other-treatment",
    ),
  ).toHaveLength(0);
  expect(byId("psychotherapy-table")).toBeInTheDocument();
  expect(byId("other-treatment-table")).toBeInTheDocument();
  // Billing keeps coverage (it builds prior authorizations) and can export the summary.
  expect(byId("add-coverage")).toBeVisible();
  expect(byId("export-summary")).toBeVisible();
  expect(document.getElementById("edit-patient")).toBeNull();
  expect(callsOf(calls, "patient_timeline")).toEqual([{ patientId: 7 }]);
});

test("an administrator without clinical access sees coverage but no clinical section", async () => {
  const calls = renderRecord(ADMIN);
  await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" });
  await waitFor(() => byId("coverage-table"));

  for (const id of CLINICAL_SECTIONS) expect(document.getElementById(id)).toBeNull();
  for (const id of CLINICAL_ADD_BUTTONS) expect(document.getElementById(id)).toBeNull();
  expect(sectionLinks()).toEqual(["#chart-coverage", "#personal-details"]);
  expect(document.getElementById("export-summary")).toBeNull();
  expect(byId("add-coverage")).toBeVisible();
  expect(byId("edit-patient")).toBeVisible();
  expect(within(byId("coverage-table")).getAllByRole("row")).toHaveLength(2);

  // Nothing clinical is even asked for.
  expect(callsOf(calls, "list_trials")).toEqual([]);
  expect(callsOf(calls, "patient_timeline")).toEqual([]);
  expect(callsOf(calls, "screening_items")).toEqual([]);
});

test("without the coverage permission, coverage is read-only", async () => {
  renderRecord({ ...BILLING, editCoverage: false });
  await waitFor(() => byId("coverage-table"));
  expect(document.getElementById("add-coverage")).toBeNull();
  expect(document.querySelector(".edit-coverage")).toBeNull();
});

test("the Spravato REMS enrollment shows only for a patient with a Spravato course", async () => {
  renderRecord(
    CLINICIAN,
    RECORDS.filter((r) => r.content.kind !== "course"),
  );
  await screen.findByRole("heading", { name: "Documents" });
  expect(document.getElementById("rems-enrollment")).toBeNull();
  expect(sectionLinks()).not.toContain("#rems-enrollment");
});
