import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import { liveRegion } from "../../lib/announce.svelte";
import { acknowledgement, alertView, highRiskAlert } from "../../test/alerts";
import { callsOf, ipcError, mockCommands, record, type Handler } from "../../test/ipc";
import AcknowledgeDialog from "./AcknowledgeDialog.svelte";

afterEach(() => clearMocks());

const dana = record({ id: 7 });

function setup(handlers: Record<string, Handler>, withPatient = true) {
  const calls = mockCommands({ get_patient: () => dana, ...handlers });
  const onacknowledged = vi.fn();
  const onclose = vi.fn();
  render(AcknowledgeDialog, {
    alert: highRiskAlert(),
    patient: withPatient ? dana : null,
    onacknowledged,
    onclose,
  });
  return { calls, onacknowledged, onclose };
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

test("shows the patient, the alert, the four actions with nothing chosen, a note and the passphrase", () => {
  setup({});
  const dialog = screen.getByRole("dialog", { name: "Acknowledge safety alert" });
  expect(screen.getByRole("heading", { level: 2, name: "Acknowledge safety alert" })).toHaveFocus();
  expect(within(dialog).getByLabelText("Patient")).toHaveTextContent(
    /ROSSI, Dana.*Born.*14-Feb-1981.*MRN.*KC-000007/,
  );
  const summary = byId("ack-dialog-alert");
  expect(summary).toHaveTextContent("High risk (C-SSRS)");
  expect(summary).toHaveTextContent("act on the clinic's suicide-risk protocol now");
  expect(summary).toHaveTextContent("03-Mar-2026 09:30");

  const group = within(dialog).getByRole("group", { name: "What was done" });
  const radios = within(group).getAllByRole("radio");
  expect(radios.map((r) => r.id)).toEqual([
    "ack-action-safety_plan",
    "ack-action-risk_assessment",
    "ack-action-referral",
    "ack-action-emergency",
  ]);
  expect(radios.map((r) => (r as HTMLInputElement).checked)).toEqual([false, false, false, false]);
  expect(screen.getByLabelText("Safety plan made or reviewed")).toBe(radios[0]);
  expect(screen.getByLabelText("Suicide risk assessment done")).toBe(radios[1]);
  expect(screen.getByLabelText("Referred")).toBe(radios[2]);
  expect(screen.getByLabelText("Emergency response")).toBe(radios[3]);
  expect(screen.getByLabelText("Note (optional)")).toHaveAttribute("id", "ack-note");
  expect(screen.getByLabelText("Your passphrase")).toHaveAttribute("id", "ack-passphrase");
  expect(byId("confirm-acknowledge")).toHaveTextContent("Acknowledge alert");
  expect(dialog.querySelector("form")).toHaveAttribute("novalidate");
});

test("a missing action from the core is shown in the summary and beside the choices", async () => {
  const user = userEvent.setup();
  const { onacknowledged } = setup({
    acknowledge_alert: () =>
      ipcError("Validation", "Check the acknowledgement", [
        { field: "action", message: "Select what was done about this alert" },
      ]),
  });
  await user.type(screen.getByLabelText("Your passphrase"), "correct horse");
  await user.click(byId("confirm-acknowledge"));

  const summary = await waitFor(() => byId("ack-error-summary"));
  expect(summary).toHaveTextContent("There is a problem");
  expect(summary).toHaveFocus();
  const link = within(summary).getByRole("link", { name: "Select what was done about this alert" });
  expect(link).toHaveAttribute("href", "#ack-action-safety_plan");
  const group = screen.getByRole("group", { name: "What was done" });
  expect(group).toHaveAccessibleDescription("Error: Select what was done about this alert");
  expect(onacknowledged).not.toHaveBeenCalled();

  await user.click(link);
  expect(byId("ack-action-safety_plan")).toHaveFocus();
});

test("a wrong passphrase is shown inline on the passphrase, which is cleared", async () => {
  const user = userEvent.setup();
  const { onacknowledged } = setup({
    acknowledge_alert: () =>
      ipcError("Validation", "Check the passphrase", [
        { field: "passphrase", message: "Your passphrase is not correct" },
      ]),
  });
  await user.click(screen.getByLabelText("Referred"));
  await user.type(screen.getByLabelText("Your passphrase"), "wrong");
  await user.click(byId("confirm-acknowledge"));

  const box = screen.getByLabelText("Your passphrase");
  await waitFor(() => expect(box).toHaveAttribute("aria-invalid", "true"));
  expect(byId("ack-passphrase-error")).toHaveTextContent("Your passphrase is not correct");
  expect(within(byId("ack-error-summary")).getByRole("link")).toHaveAttribute(
    "href",
    "#ack-passphrase",
  );
  expect(box).toHaveValue("");
  // The choice is kept.
  expect(screen.getByLabelText("Referred")).toBeChecked();
  expect(onacknowledged).not.toHaveBeenCalled();
});

test("success sends exactly the alert, the action, the note and the passphrase", async () => {
  const user = userEvent.setup();
  const done = highRiskAlert({ acknowledged: acknowledgement({ action: "emergency" }) });
  const { calls, onacknowledged } = setup({ acknowledge_alert: () => done });
  await user.click(screen.getByLabelText("Emergency response"));
  await user.type(screen.getByLabelText("Note (optional)"), "  911 called; ambulance attended  ");
  await user.type(screen.getByLabelText("Your passphrase"), "correct horse");
  await user.click(byId("confirm-acknowledge"));

  await waitFor(() => expect(onacknowledged).toHaveBeenCalledWith(done));
  expect(callsOf(calls, "acknowledge_alert")).toEqual([
    {
      id: 502,
      form: { action: "emergency", note: "911 called; ambulance attended" },
      passphrase: "correct horse",
    },
  ]);
  await waitFor(() => expect(liveRegion.text).toBe("Safety alert acknowledged"));
});

test("an empty note is sent as null", async () => {
  const user = userEvent.setup();
  const { calls } = setup({ acknowledge_alert: () => highRiskAlert() });
  await user.click(screen.getByLabelText("Safety plan made or reviewed"));
  await user.type(screen.getByLabelText("Your passphrase"), "correct horse");
  await user.click(byId("confirm-acknowledge"));
  await waitFor(() => expect(callsOf(calls, "acknowledge_alert")).toHaveLength(1));
  expect(callsOf(calls, "acknowledge_alert")[0]?.form).toEqual({
    action: "safety_plan",
    note: null,
  });
});

test("an alert someone else acknowledged meanwhile is explained", async () => {
  const user = userEvent.setup();
  setup({
    acknowledge_alert: () => ipcError("Conflict", "This alert has already been acknowledged"),
  });
  await user.click(screen.getByLabelText("Referred"));
  await user.type(screen.getByLabelText("Your passphrase"), "correct horse");
  await user.click(byId("confirm-acknowledge"));
  const summary = await waitFor(() => byId("ack-error-summary"));
  expect(summary).toHaveTextContent("This alert has already been acknowledged");
});

test("Cancel and Esc close without acknowledging", async () => {
  const user = userEvent.setup();
  const { calls, onclose } = setup({});
  await user.click(byId("cancel-acknowledge"));
  expect(onclose).toHaveBeenCalledTimes(1);
  await user.keyboard("{Escape}");
  expect(onclose).toHaveBeenCalledTimes(2);
  expect(callsOf(calls, "acknowledge_alert")).toHaveLength(0);
});

test("opened from the clinic list, the patient is read so the date of birth is shown", async () => {
  const { calls } = setup({}, false);
  // Name and MRN from the alert at once; the date of birth once the record is read.
  expect(byId("ack-dialog-patient")).toHaveTextContent(/ROSSI, Dana.*KC-000007/);
  await waitFor(() =>
    expect(byId("ack-dialog-patient")).toHaveTextContent(
      /ROSSI, Dana.*Born.*14-Feb-1981.*KC-000007/,
    ),
  );
  expect(callsOf(calls, "get_patient")).toEqual([{ id: 7 }]);
});

test("a PHQ-9 flag is named in words", () => {
  mockCommands({});
  render(AcknowledgeDialog, {
    alert: alertView(),
    patient: dana,
    onacknowledged: vi.fn(),
    onclose: vi.fn(),
  });
  expect(byId("ack-dialog-alert")).toHaveTextContent("Safety question answered above 0 (PHQ-9)");
});
