import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { AlertView } from "../lib/bindings";
import { acknowledgement, alertView, highRiskAlert } from "../test/alerts";
import { callsOf, mockCommands, record, type Handler } from "../test/ipc";
import AlertsView from "./AlertsView.svelte";
import { waitingFor } from "./alerts/alerts";

afterEach(() => clearMocks());

// Oldest first, as the core sends them.
const ALERTS = [
  alertView(),
  highRiskAlert({
    id: 610,
    patientId: 9,
    patientName: "LEE, Ann",
    patientMrn: "KC-000009",
  }),
];

function setup(
  opts: { alerts?: AlertView[]; canAcknowledge?: boolean; handlers?: Record<string, Handler> } = {},
) {
  const calls = mockCommands({
    open_alerts: () => opts.alerts ?? ALERTS,
    get_patient: () => record({ id: 7 }),
    ...opts.handlers,
  });
  const onopen = vi.fn();
  const onchanged = vi.fn();
  render(AlertsView, { canAcknowledge: opts.canAcknowledge ?? false, onopen, onchanged });
  return { calls, onopen, onchanged };
}

async function table(): Promise<HTMLElement> {
  return waitFor(() => {
    const el = document.getElementById("alerts-table");
    if (!el) throw new Error("no alerts table yet");
    return el;
  });
}

test("lists the open alerts, longest waiting first, with patient, scale, level, reason and times", async () => {
  setup({ canAcknowledge: true });
  expect(screen.getByRole("heading", { level: 1, name: "Safety alerts" })).toHaveFocus();
  expect(document.title).toBe("Safety alerts – KetaChart");
  const t = await table();
  expect(t.querySelector("caption")).toHaveTextContent(
    "2 open safety alerts, longest waiting first",
  );
  const headers = within(t)
    .getAllByRole("columnheader")
    .map((h) => h.textContent?.trim());
  expect(headers).toEqual([
    "Patient",
    "Scale",
    "Level",
    "Reason",
    "Answered",
    "Waiting since",
    "Actions",
  ]);
  const rows = t.querySelectorAll("tbody tr");
  expect(rows).toHaveLength(2);
  expect(rows[0]).toHaveTextContent(/ROSSI, Dana\s*MRN KC-000007/);
  expect(rows[0]).toHaveTextContent("PHQ-9");
  expect(rows[0]).toHaveTextContent("Safety question answered above 0");
  expect(rows[0]).toHaveTextContent("Question 9 (thoughts of being better off dead");
  expect(rows[0]).toHaveTextContent("02-Mar-2026 14:05");
  expect(rows[1]).toHaveTextContent(/LEE, Ann\s*MRN KC-000009/);
  expect(rows[1]).toHaveTextContent("C-SSRS");
  expect(rows[1]).toHaveTextContent("High risk");
  const buttons = t.querySelectorAll("button.acknowledge-alert");
  expect(buttons).toHaveLength(2);
  expect(buttons[1]).toHaveAccessibleName("Acknowledge alert for LEE, Ann: High risk (C-SSRS)");
});

test("the patient's name opens their chart", async () => {
  const user = userEvent.setup();
  const { onopen } = setup();
  await table();
  await user.click(screen.getByRole("button", { name: "LEE, Ann" }));
  expect(onopen).toHaveBeenCalledWith(9);
});

test("users who are not providers get no Acknowledge button or column", async () => {
  setup({ canAcknowledge: false });
  const t = await table();
  expect(t.querySelector("button.acknowledge-alert")).toBeNull();
  expect(within(t).queryByRole("columnheader", { name: "Actions" })).toBeNull();
  expect(t.querySelectorAll("tbody tr")).toHaveLength(2);
});

test("with no open alerts the table gives way to one message", async () => {
  setup({ alerts: [] });
  expect(await screen.findByText("No open safety alerts.")).toBeInTheDocument();
  expect(document.getElementById("alerts-table")).toBeNull();
});

test("a provider acknowledges from the list: the row goes, the count follows, focus moves on", async () => {
  const user = userEvent.setup();
  let open = [...ALERTS];
  const { calls, onchanged } = setup({
    canAcknowledge: true,
    handlers: {
      open_alerts: () => open,
      acknowledge_alert: () => {
        open = open.slice(1);
        return alertView({ acknowledged: acknowledgement() });
      },
    },
  });
  const t = await table();
  await user.click(within(t).getAllByRole("button", { name: /^Acknowledge/ })[0] as HTMLElement);
  const dialog = screen.getByRole("dialog", { name: "Acknowledge safety alert" });
  // Only the name and MRN come with the alert: the record is read for the date of birth.
  await waitFor(() =>
    expect(within(dialog).getByLabelText("Patient")).toHaveTextContent(/Born.*14-Feb-1981/),
  );
  await user.click(screen.getByLabelText("Safety plan made or reviewed"));
  await user.type(screen.getByLabelText("Note (optional)"), "Plan reviewed by phone");
  await user.type(screen.getByLabelText("Your passphrase"), "correct horse");
  await user.click(screen.getByRole("button", { name: "Acknowledge alert" }));

  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  expect(callsOf(calls, "acknowledge_alert")).toEqual([
    {
      id: 501,
      form: { action: "safety_plan", note: "Plan reviewed by phone" },
      passphrase: "correct horse",
    },
  ]);
  await waitFor(() => expect(document.querySelectorAll("#alerts-table tbody tr")).toHaveLength(1));
  expect(onchanged).toHaveBeenCalled();
  await waitFor(() => expect(screen.getByRole("button", { name: "LEE, Ann" })).toHaveFocus());
});

test("after the last alert is acknowledged, focus goes to the heading", async () => {
  const user = userEvent.setup();
  let open = [alertView()];
  setup({
    canAcknowledge: true,
    alerts: open,
    handlers: {
      open_alerts: () => open,
      acknowledge_alert: () => {
        open = [];
        return alertView({ acknowledged: acknowledgement() });
      },
    },
  });
  await user.click(await screen.findByRole("button", { name: /^Acknowledge/ }));
  await user.click(screen.getByLabelText("Referred"));
  await user.type(screen.getByLabelText("Your passphrase"), "correct horse");
  await user.click(screen.getByRole("button", { name: "Acknowledge alert" }));
  expect(await screen.findByText("No open safety alerts.")).toBeInTheDocument();
  await waitFor(() =>
    expect(screen.getByRole("heading", { level: 1, name: "Safety alerts" })).toHaveFocus(),
  );
});

test("how long an alert has waited is said in words", () => {
  const now = new Date("2026-03-05T12:00:00Z");
  expect(waitingFor("2026-03-05T11:30:00Z", now)).toBe("under 1 hour");
  expect(waitingFor("2026-03-05T11:00:00Z", now)).toBe("1 hour");
  expect(waitingFor("2026-03-04T13:00:00Z", now)).toBe("23 hours");
  expect(waitingFor("2026-03-02T12:00:00Z", now)).toBe("3 days");
  expect(waitingFor("not a time", now)).toBeNull();
});
