import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { Permissions } from "../../lib/bindings";
import { kiosk } from "../../lib/kiosk.svelte";
import { BILLING, CLINICIAN, callsOf, mockCommands, record } from "../../test/ipc";
import { GAD7, kioskView, PHQ9 } from "../../test/kiosk";
import PatientRecordView from "../PatientRecordView.svelte";
import StartKioskButton from "./StartKioskButton.svelte";

afterEach(() => {
  clearMocks();
  kiosk.end();
});

const dana = record({ id: 7 });

function renderButton(unsaved = false) {
  const onstarted = vi.fn();
  render(StartKioskButton, { patient: dana, unsaved, onstarted });
  return { onstarted };
}

async function openDialog(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("button", { name: "Hand to patient" }));
  return screen.getByRole("dialog", { name: "Hand the laptop to the patient" });
}

function box(id: string) {
  return document.getElementById(`kiosk-instrument-${id}`) as HTMLInputElement;
}

test("the dialog names the patient, offers the questionnaires with PHQ-9 ticked, and explains", async () => {
  const user = userEvent.setup();
  mockCommands({});
  renderButton();
  const dialog = await openDialog(user);
  expect(dialog).toHaveAttribute("id", "kiosk-dialog");
  expect(within(dialog).getByRole("heading", { level: 2 })).toHaveFocus();
  expect(document.getElementById("kiosk-dialog-patient")).toHaveTextContent("ROSSI, Dana");
  expect(document.getElementById("kiosk-dialog-patient")).toHaveTextContent("KC-000007");
  expect(within(dialog).getByRole("group", { name: "Questionnaires for today" })).toBeVisible();
  expect(box("phq9")).toBeChecked();
  expect(box("gad7")).not.toBeChecked();
  expect(box("qids_sr16")).not.toBeChecked();
  expect(dialog).toHaveTextContent(
    "The patient will see only these questions. To return, a staff member unlocks with their passphrase.",
  );
});

test("confirming sends exactly the chosen questionnaires and reports the kiosk upward", async () => {
  const user = userEvent.setup();
  const view = kioskView([PHQ9, GAD7]);
  const calls = mockCommands({ start_kiosk: () => view });
  const { onstarted } = renderButton();
  await openDialog(user);
  await user.click(box("gad7"));
  await user.click(document.getElementById("confirm-start-kiosk") as HTMLElement);

  expect(callsOf(calls, "start_kiosk")).toEqual([{ patientId: 7, instruments: ["phq9", "gad7"] }]);
  await waitFor(() => expect(onstarted).toHaveBeenCalledWith(view));
  expect(screen.queryByRole("dialog")).toBeNull();
});

test("nothing ticked: the dialog asks for a questionnaire and starts nothing", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({ start_kiosk: () => kioskView([PHQ9]) });
  const { onstarted } = renderButton();
  const dialog = await openDialog(user);
  await user.click(box("phq9"));
  await user.click(within(dialog).getByRole("button", { name: "Start patient self-entry" }));

  expect(within(dialog).getByRole("alert")).toHaveTextContent(
    "Select at least one questionnaire for the patient",
  );
  expect(dialog).toHaveTextContent("Error: Select at least one questionnaire for the patient");
  expect(callsOf(calls, "start_kiosk")).toEqual([]);
  expect(onstarted).not.toHaveBeenCalled();
});

test("the core's refusal of a questionnaire is shown in the dialog", async () => {
  const user = userEvent.setup();
  const message = "The QIDS-SR16 is not answered by the patient on screen";
  mockCommands({
    start_kiosk: () => {
      throw { code: "Validation", message, fields: [{ field: "instruments", message }] };
    },
  });
  const { onstarted } = renderButton();
  const dialog = await openDialog(user);
  await user.click(box("qids_sr16"));
  await user.click(document.getElementById("confirm-start-kiosk") as HTMLElement);

  expect(await within(dialog).findByRole("alert")).toHaveTextContent(message);
  expect(dialog).toHaveTextContent(`Error: ${message}`);
  expect(box("qids_sr16")).toBeChecked();
  expect(onstarted).not.toHaveBeenCalled();
});

test("with a chart form unsaved, the laptop cannot be handed over yet", async () => {
  const user = userEvent.setup();
  mockCommands({});
  renderButton(true);
  const dialog = await openDialog(user);
  expect(document.getElementById("kiosk-unsaved")).toHaveTextContent(
    "Save or cancel it before handing the laptop to the patient",
  );
  expect(document.getElementById("confirm-start-kiosk")).toBeNull();
  await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
  expect(screen.queryByRole("dialog")).toBeNull();
});

test("Esc closes the dialog and focus goes back to the button", async () => {
  const user = userEvent.setup();
  mockCommands({});
  renderButton();
  await openDialog(user);
  await user.keyboard("{Escape}");
  expect(screen.queryByRole("dialog")).toBeNull();
  expect(screen.getByRole("button", { name: "Hand to patient" })).toHaveFocus();
});

function renderChart(permissions: Permissions) {
  const calls = mockCommands({
    list_trials: () => [],
    list_records: () => [],
    list_payers: () => [],
    patient_timeline: () => [],
    screening_items: () => [],
    list_instruments: () => [PHQ9, GAD7],
    list_scores: () => [],
    score_trends: () => [],
    patient_alerts: () => [],
    start_kiosk: () => kioskView([PHQ9]),
  });
  render(PatientRecordView, {
    id: 7,
    record: dana,
    readClinical: permissions.readClinical,
    editClinical: permissions.editClinical,
    onedit: vi.fn(),
    onback: vi.fn(),
  });
  return calls;
}

test("the chart offers Hand to patient to providers and nurses and starts the kiosk for it", async () => {
  const user = userEvent.setup();
  const calls = renderChart(CLINICIAN);
  await user.click(await screen.findByRole("button", { name: "Hand to patient" }));
  await user.click(document.getElementById("confirm-start-kiosk") as HTMLElement);

  expect(callsOf(calls, "start_kiosk")).toEqual([{ patientId: 7, instruments: ["phq9"] }]);
  await waitFor(() => expect(kiosk.view).toEqual(kioskView([PHQ9])));
  expect(kiosk.patientId).toBe(7);
});

test("users who may not change the clinical record are not offered it", async () => {
  renderChart(BILLING);
  await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" });
  expect(document.getElementById("start-kiosk")).toBeNull();
});
