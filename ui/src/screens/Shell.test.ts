import { clearMocks } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { callsOf, mockCommands, nurseSession, record, row, session } from "../test/ipc";
import Shell from "./Shell.svelte";
import { preloadLazyViews } from "../test/lazy";

// The shell loads these views on demand; load them once up front.
beforeAll(preloadLazyViews, 60_000);

afterEach(() => clearMocks());

const dana = record({ id: 7 });

function mockClinic() {
  return mockCommands({
    search_patients: () => ({ patients: [row({ id: 7, familyName: "Rossi" })], more: false }),
    get_patient: () => dana,
    list_trials: () => [],
    lock: () => null,
  });
}

test("shows the clinic, the signed-in user and the areas, with Patients current", async () => {
  mockClinic();
  render(Shell, { session, onlocked: vi.fn() });
  expect(screen.getByText("Harbour Mind Clinic")).toBeInTheDocument();
  expect(screen.getByText("Dr Amara Okafor")).toBeInTheDocument();
  const nav = screen.getByRole("navigation", { name: "Main" });
  expect(nav).toHaveTextContent(/Today.*Patients.*Reports.*Settings/);
  expect(screen.getByRole("button", { name: "Patients" })).toHaveAttribute("aria-current", "page");
  expect(document.querySelector("[data-nav='patients']")).toHaveTextContent("Patients");
  const h1 = await screen.findByRole("heading", { level: 1, name: "Patients" });
  expect(h1).toHaveFocus();
  // The shortcuts list is always at the foot of the sidebar.
  expect(nav).toHaveTextContent("Keyboard shortcuts");
  expect(nav).toHaveTextContent(/Ctrl\s*\+\s*K\s*Search patients/);
});

test("areas not built yet say what will appear there, and take focus to their heading", async () => {
  const user = userEvent.setup();
  mockClinic();
  render(Shell, { session, onlocked: vi.fn() });
  await user.click(screen.getByRole("button", { name: "Reports" }));
  const h1 = screen.getByRole("heading", { level: 1, name: "Reports" });
  expect(h1).toHaveFocus();
  expect(screen.getByText(/Not available yet/)).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Reports" })).toHaveAttribute("aria-current", "page");
  expect(screen.getByRole("button", { name: "Patients" })).not.toHaveAttribute("aria-current");
});

test("Ctrl+K focuses the patient search from anywhere", async () => {
  const user = userEvent.setup();
  mockClinic();
  render(Shell, { session, onlocked: vi.fn() });
  await screen.findByRole("heading", { level: 1, name: "Patients" });

  await fireEvent.keyDown(window, { key: "k", ctrlKey: true });
  expect(document.getElementById("patient-search")).toHaveFocus();

  await user.click(screen.getByRole("button", { name: "Reports" }));
  expect(document.getElementById("patient-search")).toBeNull();
  await fireEvent.keyDown(document.activeElement ?? window, { key: "k", ctrlKey: true });
  await waitFor(() => expect(document.getElementById("patient-search")).toHaveFocus());
  expect(screen.getByRole("button", { name: "Patients" })).toHaveAttribute("aria-current", "page");
});

test("Ctrl+/ opens the keyboard shortcuts list", async () => {
  mockClinic();
  render(Shell, { session, onlocked: vi.fn() });
  const details = document.querySelector("details.shortcuts") as HTMLDetailsElement;
  expect(details.open).toBe(false);
  await fireEvent.keyDown(window, { key: "/", ctrlKey: true });
  await waitFor(() => expect(details.open).toBe(true));
  expect(document.getElementById("shortcuts-toggle")).toHaveFocus();
});

test("opening a patient shows the banner and the record; Edit opens the form", async () => {
  const user = userEvent.setup();
  const calls = mockClinic();
  render(Shell, { session, onlocked: vi.fn() });
  const link = await screen.findByRole("button", { name: "ROSSI, Margaret (Peggy)" });
  await user.click(link);

  const banner = await waitFor(() => {
    const el = document.getElementById("patient-banner");
    if (!el) throw new Error("no banner yet");
    return el;
  });
  expect(callsOf(calls, "get_patient")).toEqual([{ id: 7 }]);
  // Identity in the fixed order: name, born, sex, MRN.
  expect(banner).toHaveTextContent(
    /^ROSSI, Dana Born 14-Feb-1981.*\(45y\).* Sex at birth Not known MRN KC-000007/,
  );
  expect(document.getElementById("patient-mrn")).toHaveTextContent("KC-000007");
  expect(screen.getByRole("heading", { level: 1, name: "ROSSI, Dana" })).toHaveFocus();
  expect(screen.getAllByText("Not recorded").length).toBeGreaterThan(0);

  await user.click(screen.getByRole("button", { name: "Edit patient" }));
  expect(screen.getByRole("heading", { level: 1, name: "Edit patient" })).toHaveFocus();
});

test("leaving a form with unsaved changes is stopped and explained", async () => {
  const user = userEvent.setup();
  mockClinic();
  render(Shell, { session, onlocked: vi.fn() });
  await user.click(await screen.findByRole("button", { name: "Add patient" }));
  await user.type(screen.getByLabelText("Given name"), "Ann");

  await fireEvent.keyDown(window, { key: "k", ctrlKey: true });
  expect(await screen.findByText("This patient has not been saved")).toBeInTheDocument();
  expect(screen.getByLabelText("Given name")).toHaveValue("Ann");

  await user.click(screen.getByRole("button", { name: "Cancel" }));
  expect(screen.getByRole("heading", { level: 1, name: "Patients" })).toBeInTheDocument();
});

test("Lock / Switch user locks the vault and returns to the unlock screen", async () => {
  const user = userEvent.setup();
  const calls = mockClinic();
  const onlocked = vi.fn();
  render(Shell, { session, onlocked });
  const button = screen.getByRole("button", { name: "Lock / Switch user" });
  expect(button).toHaveAttribute("id", "lock-button");
  await user.click(button);
  await waitFor(() => expect(onlocked).toHaveBeenCalledWith(false));
  expect(callsOf(calls, "lock")).toHaveLength(1);
});

test("locking with an unsaved patient form asks the app to keep it for the same user", async () => {
  const user = userEvent.setup();
  mockClinic();
  const onlocked = vi.fn();
  render(Shell, { session, onlocked });
  await user.click(await screen.findByRole("button", { name: "Add patient" }));
  await user.type(screen.getByLabelText("Given name"), "Ann");
  await user.click(screen.getByRole("button", { name: "Lock / Switch user" }));
  await waitFor(() => expect(onlocked).toHaveBeenCalledWith(true));
});

test("an administrator sees the administration areas", () => {
  mockClinic();
  render(Shell, { session, onlocked: vi.fn() });
  for (const key of ["users", "audit", "backups", "settings", "account"]) {
    expect(document.querySelector(`[data-nav='${key}']`)).not.toBeNull();
  }
  const nav = screen.getByRole("navigation", { name: "Main" });
  expect(nav).toHaveTextContent(/Users.*Audit log.*Backups.*Settings.*My account/);
});

test("a nurse sees no administration areas but has My account", async () => {
  mockClinic();
  render(Shell, { session: nurseSession, onlocked: vi.fn() });
  for (const key of ["users", "audit", "backups", "settings"]) {
    expect(document.querySelector(`[data-nav='${key}']`)).toBeNull();
  }
  expect(document.querySelector("[data-nav='account']")).toHaveTextContent("My account");
  expect(await screen.findByRole("heading", { level: 1, name: "Patients" })).toBeInTheDocument();
  // Nurses register patients too.
  expect(document.getElementById("new-patient")).not.toBeNull();
});

test("without the right to edit patients, Add patient and Edit patient are not offered", async () => {
  const user = userEvent.setup();
  mockClinic();
  const billing = {
    ...nurseSession,
    user: { ...nurseSession.user, roles: ["billing" as const] },
    permissions: { ...nurseSession.permissions, editPatients: false },
  };
  render(Shell, { session: billing, onlocked: vi.fn() });
  await user.click(await screen.findByRole("button", { name: "ROSSI, Margaret (Peggy)" }));
  await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" });
  expect(document.getElementById("edit-patient")).toBeNull();
  await user.click(screen.getByRole("button", { name: "Back to patients" }));
  await screen.findByRole("heading", { level: 1, name: "Patients" });
  expect(document.getElementById("new-patient")).toBeNull();
});

test("a clinician adds a trial from the chart and comes back to it with Trial saved", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    search_patients: () => ({ patients: [row({ id: 7, familyName: "Rossi" })], more: false }),
    get_patient: () => dana,
    list_trials: () => [],
    search_drugs: () => [],
    create_trial: () => ({}),
  });
  render(Shell, { session: nurseSession, onlocked: vi.fn() });
  await user.click(await screen.findByRole("button", { name: "ROSSI, Margaret (Peggy)" }));
  await user.click(await screen.findByRole("button", { name: "Add a medication trial" }));
  await screen.findByRole("heading", { level: 1, name: "Add a medication trial" });
  await user.type(screen.getByLabelText("Medication"), "sertraline");
  await user.click(screen.getByRole("button", { name: "Save trial" }));
  await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" });
  expect(screen.getByText("Trial saved")).toBeInTheDocument();
  expect(callsOf(calls, "create_trial")).toHaveLength(1);
  expect(callsOf(calls, "list_trials").length).toBeGreaterThanOrEqual(2);
});
