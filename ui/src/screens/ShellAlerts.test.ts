import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import type { AlertView, SessionInfo } from "../lib/bindings";
import { alertView, highRiskAlert } from "../test/alerts";
import { PROVIDER, callsOf, mockCommands, nurseSession, record, row, session } from "../test/ipc";
import Shell from "./Shell.svelte";
import { preloadLazyViews } from "../test/lazy";

// The shell loads these views on demand; load them once up front.
beforeAll(preloadLazyViews, 60_000);

afterEach(() => clearMocks());

const providerSession: SessionInfo = {
  ...nurseSession,
  user: { id: 3, username: "a.okafor", displayName: "Dr Amara Okafor", roles: ["provider"] },
  permissions: PROVIDER,
};

function mockClinic(alerts: () => AlertView[] = () => [alertView(), highRiskAlert()]) {
  return mockCommands({
    search_patients: () => ({ patients: [row({ id: 7, familyName: "Rossi" })], more: false }),
    get_patient: () => record({ id: 7 }),
    list_trials: () => [],
    list_records: () => [],
    list_payers: () => [],
    patient_timeline: () => [],
    screening_items: () => [],
    patient_alerts: () => [],
    open_alerts: alerts,
  });
}

function today(): HTMLElement {
  const el = document.querySelector<HTMLElement>("[data-nav='today']");
  if (!el) throw new Error("no Today item");
  return el;
}

test("Today carries the number of open safety alerts for users who read the clinical record", async () => {
  mockClinic();
  render(Shell, { session: nurseSession, onlocked: vi.fn() });
  await waitFor(() => expect(document.getElementById("today-alert-count")).toHaveTextContent("2"));
  expect(today()).toHaveAccessibleName("Today (2 open safety alerts)");
});

test("users who may not read the clinical record get no count, no alerts read, and Today as before", async () => {
  const user = userEvent.setup();
  const calls = mockClinic();
  render(Shell, { session, onlocked: vi.fn() });
  await screen.findByRole("heading", { level: 1, name: "Patients" });
  await user.click(today());
  expect(screen.getByRole("heading", { level: 1, name: "Today" })).toHaveFocus();
  expect(screen.getByText(/Not available yet/)).toBeInTheDocument();
  expect(document.getElementById("today-alert-count")).toBeNull();
  expect(callsOf(calls, "open_alerts")).toHaveLength(0);
});

test("Today lists the open alerts; a patient's name opens their chart", async () => {
  const user = userEvent.setup();
  const calls = mockClinic();
  render(Shell, { session: nurseSession, onlocked: vi.fn() });
  await user.click(today());
  expect(screen.getByRole("heading", { level: 1, name: "Safety alerts" })).toHaveFocus();
  expect(today()).toHaveAttribute("aria-current", "page");
  await waitFor(() => expect(document.querySelectorAll("#alerts-table tbody tr")).toHaveLength(2));
  // Nurses see the alerts but do not acknowledge them.
  expect(document.querySelector("button.acknowledge-alert")).toBeNull();

  await user.click(screen.getAllByRole("button", { name: "ROSSI, Dana" })[0] as HTMLElement);
  expect(await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" })).toHaveFocus();
  expect(screen.getByRole("button", { name: "Patients" })).toHaveAttribute("aria-current", "page");
  expect(callsOf(calls, "get_patient")).toEqual([{ id: 7 }]);
});

test("providers can acknowledge from Today", async () => {
  const user = userEvent.setup();
  mockClinic();
  render(Shell, { session: providerSession, onlocked: vi.fn() });
  await user.click(today());
  await waitFor(() =>
    expect(document.querySelectorAll("button.acknowledge-alert")).toHaveLength(2),
  );
});

test("the count is read again on navigation", async () => {
  const user = userEvent.setup();
  let alerts = [alertView()];
  const calls = mockClinic(() => alerts);
  render(Shell, { session: nurseSession, onlocked: vi.fn() });
  await waitFor(() => expect(document.getElementById("today-alert-count")).toHaveTextContent("1"));

  alerts = [];
  await user.click(screen.getByRole("button", { name: "Reports" }));
  await waitFor(() => expect(document.getElementById("today-alert-count")).toBeNull());
  expect(callsOf(calls, "open_alerts").length).toBeGreaterThanOrEqual(2);
});
