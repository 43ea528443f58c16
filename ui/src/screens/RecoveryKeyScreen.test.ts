import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import App from "../App.svelte";
import { appStatus, mockCommands, session } from "../test/ipc";
import RecoveryKeyScreen from "./RecoveryKeyScreen.svelte";
import { preloadLazyViews } from "../test/lazy";

// The shell loads these views on demand; load them once up front.
beforeAll(preloadLazyViews, 60_000);

afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
});

const KEY = "7KQM-2XPA-D4RT-HJ6W-NB3C-ZLVE-QS5G-MYUF";

test("the key is shown large with the clinic, and Continue waits for the stored-key box", async () => {
  const user = userEvent.setup();
  const oncontinue = vi.fn();
  render(RecoveryKeyScreen, { clinicName: "Harbour Mind Clinic", recoveryKey: KEY, oncontinue });

  expect(screen.getByRole("heading", { level: 1, name: "Print your recovery key" })).toHaveFocus();
  expect(document.getElementById("recovery-key")).toHaveTextContent(KEY);
  expect(document.getElementById("recovery-key-clinic")).toHaveTextContent("Harbour Mind Clinic");
  expect(document.getElementById("recovery-key-date")).toHaveTextContent(
    /^\d\d-[A-Z][a-z]{2}-\d{4}$/,
  );
  expect(screen.getByText(/shows this key only once/)).toBeInTheDocument();
  expect(screen.getByText(/locked place away from this laptop/)).toBeInTheDocument();

  const confirm = screen.getByLabelText(/I have printed or stored the recovery key/);
  expect(confirm).toHaveAttribute("id", "recovery-key-confirm");
  expect(confirm).not.toBeChecked();
  const next = screen.getByRole("button", { name: "Continue to KetaChart" });
  expect(next).toHaveAttribute("id", "recovery-continue");
  expect(next).toBeDisabled();
  await user.click(next);
  expect(oncontinue).not.toHaveBeenCalled();

  await user.click(confirm);
  expect(next).toBeEnabled();
  await user.click(next);
  expect(oncontinue).toHaveBeenCalledTimes(1);

  // Unticking takes Continue away again.
  await user.click(confirm);
  expect(next).toBeDisabled();
});

test("Print opens the system print dialog", async () => {
  const user = userEvent.setup();
  const print = vi.spyOn(window, "print").mockImplementation(() => {});
  render(RecoveryKeyScreen, {
    clinicName: "Harbour Mind Clinic",
    recoveryKey: KEY,
    oncontinue: vi.fn(),
  });
  await user.click(screen.getByRole("button", { name: "Print recovery key" }));
  expect(print).toHaveBeenCalledTimes(1);
});

test("after setting up the clinic the recovery key comes before the app", async () => {
  const user = userEvent.setup();
  mockCommands({
    app_status: () => appStatus({ status: "setup", clinicName: null }),
    passphrase_strength: () => ({
      score: 4,
      label: "Very strong",
      acceptable: true,
      problem: null,
      suggestions: [],
      minLength: 12,
    }),
    create_clinic: () => ({ session, recoveryKey: KEY }),
    search_patients: () => ({ patients: [], more: false }),
    record_activity: () => null,
  });
  render(App);
  await user.type(await screen.findByLabelText("Clinic name"), "Harbour Mind Clinic");
  await user.type(screen.getByLabelText("Your full name"), "Dr Amara Okafor");
  await user.type(screen.getByLabelText("User name"), "a.okafor");
  await user.type(screen.getByLabelText("Passphrase"), "harbour kettle violet");
  await user.type(screen.getByLabelText("Confirm passphrase"), "harbour kettle violet");
  await user.click(screen.getByRole("button", { name: "Create clinic" }));

  expect(
    await screen.findByRole("heading", { level: 1, name: "Print your recovery key" }),
  ).toBeInTheDocument();
  expect(document.getElementById("recovery-key")).toHaveTextContent(KEY);
  expect(document.getElementById("patient-search")).toBeNull();

  await user.click(screen.getByLabelText(/I have printed or stored the recovery key/));
  await user.click(screen.getByRole("button", { name: "Continue to KetaChart" }));
  await waitFor(() => expect(document.getElementById("patient-search")).not.toBeNull());
  expect(document.getElementById("recovery-key")).toBeNull();
});
