import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { AlertView, Permissions } from "../../lib/bindings";
import { acknowledgement, alertView, highRiskAlert } from "../../test/alerts";
import {
  ADMIN,
  BILLING,
  CLINICIAN,
  PROVIDER,
  callsOf,
  mockCommands,
  record,
  type Handler,
} from "../../test/ipc";
import PatientRecordView from "../PatientRecordView.svelte";
import AlertsPanel from "./AlertsPanel.svelte";

afterEach(() => clearMocks());

const dana = record({ id: 7 });

const OPEN = [highRiskAlert(), alertView()];
const DONE = alertView({
  id: 480,
  raisedAt: "2026-02-01T10:00:00Z",
  administeredAt: "2026-02-01T09:45",
  acknowledged: acknowledgement(),
});

function setup(
  opts: { alerts?: AlertView[]; canAcknowledge?: boolean; handlers?: Record<string, Handler> } = {},
) {
  const calls = mockCommands({
    patient_alerts: () => opts.alerts ?? [...OPEN, DONE],
    ...opts.handlers,
  });
  const view = render(AlertsPanel, {
    patient: dana,
    canAcknowledge: opts.canAcknowledge ?? false,
    refresh: 0,
  });
  return { calls, ...view };
}

async function panel(): Promise<HTMLElement> {
  return waitFor(() => {
    const el = document.getElementById("patient-alerts");
    if (!el) throw new Error("no alerts panel yet");
    return el;
  });
}

test("open alerts stand out with their level, scale, reason and time; providers may acknowledge", async () => {
  const { calls } = setup({ canAcknowledge: true });
  const box = await panel();
  expect(callsOf(calls, "patient_alerts")).toEqual([{ patientId: 7 }]);

  // Already there when the chart opened: a labelled region, not an interruption.
  const callout = within(box).getByRole("region", { name: "2 safety alerts" });
  expect(screen.queryByRole("alert")).toBeNull();

  const items = callout.querySelectorAll("li.open-alert");
  expect(items).toHaveLength(2);
  expect(items[0]).toHaveTextContent("High risk (C-SSRS)");
  expect(items[0]).toHaveTextContent("act on the clinic's suicide-risk protocol now");
  expect(items[0]).toHaveTextContent(/C-SSRS answered 03-Mar-2026 09:30/);
  expect(items[1]).toHaveTextContent("Safety question answered above 0 (PHQ-9)");
  expect(items[1]).toHaveTextContent("Question 9 (thoughts of being better off dead");
  expect(items[1]).toHaveTextContent(/PHQ-9 answered 02-Mar-2026 14:05/);

  const buttons = callout.querySelectorAll("button.acknowledge-alert");
  expect(buttons).toHaveLength(2);
  expect(buttons[0]).toHaveAccessibleName("Acknowledge alert: High risk (C-SSRS)");
});

test("users who are not providers see the alerts but no Acknowledge button", async () => {
  setup({ canAcknowledge: false });
  const box = await panel();
  expect(within(box).getByRole("region", { name: "2 safety alerts" })).toHaveTextContent(
    "Tell a provider now.",
  );
  expect(box.querySelectorAll(".open-alert")).toHaveLength(2);
  expect(box.querySelector("button.acknowledge-alert")).toBeNull();
});

test("one open alert is headed in the singular", async () => {
  setup({ alerts: [alertView()] });
  const box = await panel();
  expect(within(box).getByRole("heading", { level: 2 })).toHaveTextContent(/^!?\s*Safety alert$/);
});

test("acknowledged alerts are listed, folded, with who acknowledged, when, the action and note", async () => {
  const user = userEvent.setup();
  setup({ canAcknowledge: true });
  const box = await panel();
  const details = box.querySelector("details#acknowledged-alerts") as HTMLDetailsElement;
  expect(details.open).toBe(false);
  expect(details.querySelector("summary")).toHaveTextContent("Acknowledged alerts (1)");
  await user.click(screen.getByText(/Acknowledged alerts \(1\)/));
  expect(details.open).toBe(true);
  const item = details.querySelector("li.acknowledged-alert") as HTMLElement;
  expect(item).toHaveTextContent("Safety question answered above 0 (PHQ-9)");
  expect(item).toHaveTextContent(
    /Acknowledged by Dr Amara Okafor on 02-Mar-2026 \d\d:10.*: Safety plan made or reviewed\./,
  );
  expect(item).toHaveTextContent("Note Crisis line numbers given; reviewed with partner");
  expect(item.querySelector("button")).toBeNull();
});

test("with only acknowledged alerts there is no red callout, just the folded list", async () => {
  setup({ alerts: [DONE] });
  const box = await panel();
  expect(box.querySelector(".alerts-callout")).toBeNull();
  expect(box.querySelector("summary")).toHaveTextContent("Acknowledged alerts (1)");
});

test("a patient without alerts shows nothing", async () => {
  const { calls } = setup({ alerts: [] });
  await waitFor(() => expect(callsOf(calls, "patient_alerts")).toHaveLength(1));
  expect(document.getElementById("patient-alerts")).toBeNull();
});

test("an alert raised while the chart is open is read again on refresh and announced", async () => {
  let alerts: AlertView[] = [DONE];
  const calls = mockCommands({ patient_alerts: () => alerts });
  const { rerender } = render(AlertsPanel, { patient: dana, canAcknowledge: true, refresh: 0 });
  const box = await panel();
  expect(box.querySelector(".alerts-callout")).toBeNull();

  // A score saved in the chart raised one.
  alerts = [highRiskAlert(), DONE];
  await rerender({ refresh: 1 });
  await waitFor(() => expect(callsOf(calls, "patient_alerts")).toHaveLength(2));
  const callout = await screen.findByRole("alert");
  expect(callout).toHaveTextContent("Safety alert");
  expect(callout).toHaveTextContent("High risk (C-SSRS)");
});

test("a provider acknowledges from the chart: the list is read again and focus stays sensible", async () => {
  const user = userEvent.setup();
  let alerts = [alertView()];
  const { calls } = setup({
    canAcknowledge: true,
    handlers: {
      patient_alerts: () => alerts,
      acknowledge_alert: ({ id }) => {
        const done = alertView({ acknowledged: acknowledgement({ note: null }) });
        alerts = [done];
        expect(id).toBe(501);
        return done;
      },
    },
  });
  const box = await panel();
  await user.click(within(box).getByRole("button", { name: /^Acknowledge/ }));
  const dialog = screen.getByRole("dialog", { name: "Acknowledge safety alert" });
  // The chart's record is used: name, date of birth and MRN, without reading the patient again.
  expect(within(dialog).getByLabelText("Patient")).toHaveTextContent(
    /ROSSI, Dana.*14-Feb-1981.*KC-000007/,
  );
  expect(callsOf(calls, "get_patient")).toHaveLength(0);

  await user.click(screen.getByLabelText("Suicide risk assessment done"));
  await user.type(screen.getByLabelText("Your passphrase"), "correct horse");
  await user.click(screen.getByRole("button", { name: "Acknowledge alert" }));

  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  expect(callsOf(calls, "acknowledge_alert")).toEqual([
    { id: 501, form: { action: "risk_assessment", note: null }, passphrase: "correct horse" },
  ]);
  expect(callsOf(calls, "patient_alerts")).toHaveLength(2);
  await waitFor(() => expect(document.querySelector(".alerts-callout")).toBeNull());
  expect(document.getElementById("acknowledged-alerts-summary")).toHaveFocus();
});

// ---------- in the chart ----------

function renderRecord(permissions: Permissions, alerts: AlertView[] = OPEN) {
  const calls = mockCommands({
    list_trials: () => [],
    list_records: () => [],
    list_payers: () => [],
    patient_timeline: () => [],
    screening_items: () => [],
    patient_alerts: () => alerts,
  });
  render(PatientRecordView, {
    id: 7,
    record: dana,
    readClinical: permissions.readClinical,
    editClinical: permissions.editClinical,
    signClinical: permissions.signClinical,
    onedit: vi.fn(),
    onback: vi.fn(),
  });
  return calls;
}

test("in the chart the alerts come right under the heading, before the section links", async () => {
  renderRecord(PROVIDER);
  const box = await panel();
  const heading = screen.getByRole("heading", { level: 1, name: "ROSSI, Dana" });
  const nav = screen.getByRole("navigation", { name: "Chart sections" });
  expect(heading.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  expect(box.compareDocumentPosition(nav) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  expect(box.querySelectorAll("button.acknowledge-alert")).toHaveLength(2);
});

test.each([
  ["a nurse", CLINICIAN],
  ["billing staff", BILLING],
])("in the chart %s see the alerts without Acknowledge", async (_who, permissions) => {
  renderRecord(permissions);
  const box = await panel();
  expect(box.querySelectorAll(".open-alert")).toHaveLength(2);
  expect(box.querySelector("button.acknowledge-alert")).toBeNull();
});

test("users who may not read the clinical record are not shown alerts and nothing is read", async () => {
  const calls = renderRecord(ADMIN);
  await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" });
  expect(document.getElementById("patient-alerts")).toBeNull();
  expect(callsOf(calls, "patient_alerts")).toHaveLength(0);
});
