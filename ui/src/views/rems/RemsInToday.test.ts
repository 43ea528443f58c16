// The REMS list lives in the Today area, below the safety alerts, for everyone who reads the
// clinical record (providers, nurses, billing); administrators without a clinical role never
// ask for it.
import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import type { Permissions, SessionInfo } from "../../lib/bindings";
import Shell from "../../screens/Shell.svelte";
import {
  BILLING,
  PROVIDER,
  callsOf,
  mockCommands,
  nurseSession,
  record,
  row,
  session,
} from "../../test/ipc";
import { preloadLazyViews } from "../../test/lazy";

// The shell loads these views on demand; load them once up front.
beforeAll(preloadLazyViews, 60_000);

afterEach(() => clearMocks());

function as(permissions: Permissions): SessionInfo {
  return { ...nurseSession, permissions };
}

function mockClinic() {
  return mockCommands({
    search_patients: () => ({ patients: [row({ id: 7, familyName: "Rossi" })], more: false }),
    get_patient: () => record({ id: 7 }),
    list_trials: () => [],
    list_records: () => [],
    list_payers: () => [],
    patient_timeline: () => [],
    screening_items: () => [],
    patient_alerts: () => [],
    open_alerts: () => [],
    rems_due: () => [
      {
        id: 301,
        patientId: 7,
        mrn: "KC-000007",
        patientName: "ROSSI, Dana",
        sessionDate: "2026-03-02",
        dueDate: "2026-03-09",
        daysLeft: -2,
        signedByName: "Dr Amara Okafor",
        signed: true,
      },
    ],
  });
}

function today(): HTMLElement {
  const el = document.querySelector<HTMLElement>("[data-nav='today']");
  if (!el) throw new Error("no Today item");
  return el;
}

test.each([
  ["a nurse", nurseSession],
  ["a provider", as(PROVIDER)],
  ["billing staff", as(BILLING)],
])("%s finds the REMS forms due in Today, by keyboard", async (_who, who) => {
  const user = userEvent.setup();
  mockClinic();
  render(Shell, { session: who, onlocked: vi.fn() });
  today().focus();
  await user.keyboard("{Enter}");
  expect(screen.getByRole("heading", { level: 1, name: "Safety alerts" })).toHaveFocus();
  const section = await waitFor(() => {
    const el = document.getElementById("rems-due");
    if (!el) throw new Error("no REMS section yet");
    return el;
  });
  // Below the safety alerts.
  expect(document.getElementById("alerts-heading")?.compareDocumentPosition(section) ?? 0).toBe(
    Node.DOCUMENT_POSITION_FOLLOWING,
  );
  await waitFor(() => expect(section).toHaveTextContent("2 days overdue"));
  expect(
    within(section).getByRole("button", { name: /^Mark submitted for ROSSI, Dana/ }),
  ).toBeInTheDocument();
});

test("the patient's name in the REMS list opens their chart", async () => {
  const user = userEvent.setup();
  mockClinic();
  render(Shell, { session: nurseSession, onlocked: vi.fn() });
  await user.click(today());
  const section = await waitFor(() => {
    const el = document.getElementById("rems-due-table");
    if (!el) throw new Error("no REMS table yet");
    return el;
  });
  await user.click(within(section).getByRole("button", { name: "ROSSI, Dana" }));
  expect(await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" })).toHaveFocus();
});

test("administrators without a clinical role neither see nor ask for the REMS list", async () => {
  const user = userEvent.setup();
  const calls = mockClinic();
  render(Shell, { session, onlocked: vi.fn() });
  await user.click(today());
  expect(screen.getByRole("heading", { level: 1, name: "Today" })).toHaveFocus();
  expect(document.getElementById("rems-due")).toBeNull();
  expect(callsOf(calls, "rems_due")).toHaveLength(0);
});
