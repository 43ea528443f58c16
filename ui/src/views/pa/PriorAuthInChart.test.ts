// The prior authorization section inside the open chart: who gets it, where it sits, and how its
// evidence links reach the records the other sections show.
import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import type { Permissions } from "../../lib/bindings";
import { chartRecord, coverage, diagnosis, payer, timelineSpan } from "../../test/chart";
import {
  BILLING,
  CLINICIAN,
  PROVIDER,
  callsOf,
  mockCommands,
  record,
  trialRow,
} from "../../test/ipc";
import { phq9 } from "../../test/scores";
import PatientRecordView from "../PatientRecordView.svelte";
import { ALL_RULE_SETS, criterion, evaluation } from "./test-fixtures";

const scrollIntoView = vi.fn();
const original = Element.prototype.scrollIntoView;

beforeEach(() => {
  scrollIntoView.mockClear();
  Element.prototype.scrollIntoView = scrollIntoView;
});

afterEach(() => {
  clearMocks();
  Element.prototype.scrollIntoView = original;
});

const RECORDS = [
  chartRecord(diagnosis(), { id: 31, title: "F33.2 Major depressive disorder" }),
  chartRecord(coverage(), { id: 21 }),
];

const diagnosed = evaluation({
  criteria: [
    criterion({
      id: "diagnosis",
      label: "Diagnosis of major depression",
      explanation: "F33.2 is recorded.",
      evidence: [{ kind: "diagnosis", id: 31, date: "2019", label: "F33.2 recurrent, severe" }],
    }),
  ],
  verdict: "ready",
  verdictLabel: "Ready to submit",
  summary: "All 1 criteria met: ready to submit.",
  met: 1,
  notMet: 0,
  insufficient: 0,
});

function renderChart(permissions: Permissions, extra: { manageAuthorizations?: boolean } = {}) {
  const calls = mockCommands({
    list_trials: () => [trialRow()],
    list_records: () => RECORDS,
    list_payers: () => [payer()],
    patient_timeline: () => [timelineSpan()],
    screening_items: () => [],
    list_instruments: () => [phq9],
    list_scores: () => [],
    score_trends: () => [],
    list_rule_sets: () => ALL_RULE_SETS,
    payer_rule_links: () => ({ payerId: 1, ruleSetIds: [] }),
    pa_check: () => diagnosed,
  });
  render(PatientRecordView, {
    id: 7,
    record: record({ id: 7 }),
    canEdit: permissions.editPatients,
    readClinical: permissions.readClinical,
    editClinical: permissions.editClinical,
    signClinical: permissions.signClinical,
    editCoverage: permissions.editCoverage,
    ...extra,
    onedit: vi.fn(),
    onback: vi.fn(),
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

async function checkCigna() {
  const user = userEvent.setup();
  await user.selectOptions(await screen.findByLabelText("Service"), "spravato_trd");
  await user.selectOptions(screen.getByLabelText("Payer policy"), "cigna-spravato-trd");
  await user.click(screen.getByRole("button", { name: "Check" }));
  await waitFor(() => byId("pa-criteria"));
  return user;
}

test("billing staff get the section after coverage, with its link in the section list", async () => {
  renderChart(BILLING);
  await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" });
  const section = byId("chart-prior-auth");
  expect(within(section).getByRole("heading", { level: 2 })).toHaveTextContent(
    "Prior authorization",
  );
  expect(sectionLinks().slice(-3)).toEqual([
    "#chart-coverage",
    "#chart-prior-auth",
    "#personal-details",
  ]);
  expect(byId("chart-coverage").compareDocumentPosition(section)).toBe(
    Node.DOCUMENT_POSITION_FOLLOWING,
  );
});

test("nurses do not get the section, and no rule sets are read for them", async () => {
  const calls = renderChart(CLINICIAN);
  await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" });
  await waitFor(() => byId("coverage-table"));
  expect(document.getElementById("chart-prior-auth")).toBeNull();
  expect(sectionLinks()).not.toContain("#chart-prior-auth");
  expect(callsOf(calls, "list_rule_sets")).toEqual([]);
});

test("the caller can say who works on authorizations", async () => {
  renderChart(PROVIDER, { manageAuthorizations: false });
  await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" });
  expect(document.getElementById("chart-prior-auth")).toBeNull();
});

test("for a provider, evidence focuses the diagnosis row itself", async () => {
  renderChart(PROVIDER);
  await waitFor(() => byId("diagnosis-table"));
  const user = await checkCigna();
  await user.click(screen.getByRole("button", { name: /F33.2 recurrent, severe/ }));
  const row = byId("edit-diagnosis-31").closest("tr") as HTMLElement;
  expect(row).toHaveFocus();
  expect(scrollIntoView.mock.contexts[0]).toBe(row);
});

test("for billing (no row actions), evidence focuses the diagnoses heading", async () => {
  renderChart(BILLING);
  await waitFor(() => byId("diagnosis-table"));
  const user = await checkCigna();
  await user.click(screen.getByRole("button", { name: /F33.2 recurrent, severe/ }));
  expect(byId("chart-diagnoses-title")).toHaveFocus();
  expect(byId("chart-diagnoses-title")).toHaveTextContent("Diagnoses and episodes");
});
