import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { ClinicProfileDto, SettingsDto } from "../lib/bindings";
import { callsOf, mockCommands } from "../test/ipc";
import SettingsView from "./SettingsView.svelte";

afterEach(() => clearMocks());

const clinicProfile: ClinicProfileDto = {
  name: "Harbour Mind Clinic",
  addressLine1: null,
  addressLine2: null,
  city: null,
  state: null,
  zip: null,
  phone: null,
  fax: null,
  tin: null,
  npi: null,
  remsSettingId: null,
};

const saved: SettingsDto = {
  idleLockMinutes: 10,
  backupFolder: null,
  backupDaily: false,
  backupKeep: 14,
  lastBackupAt: null,
};

function byId(id: string): HTMLInputElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLInputElement)) throw new Error(`no input #${id}`);
  return el;
}

test("the form starts from the saved settings", async () => {
  mockCommands({
    get_settings: () => ({ ...saved, backupFolder: "/media/usb", backupDaily: true }),
    get_clinic_profile: () => clinicProfile,
  });
  render(SettingsView);
  await waitFor(() => expect(byId("idleLockMinutes")).toHaveValue("10"));
  expect(byId("backupFolder")).toHaveValue("/media/usb");
  expect(byId("backupDaily")).toBeChecked();
  expect(byId("backupKeep")).toHaveValue("14");
  expect(screen.getByLabelText("Back up automatically every day while KetaChart is open")).toBe(
    byId("backupDaily"),
  );
  // Numbers are text boxes with a numeric keyboard, never type=number.
  expect(byId("idleLockMinutes")).toHaveAttribute("type", "text");
  expect(byId("idleLockMinutes")).toHaveAttribute("inputmode", "numeric");
});

test("errors from the core are summarised, shown inline and keep what was typed", async () => {
  const user = userEvent.setup();
  const messages = {
    idleLockMinutes: "Idle lock time must be between 1 and 60",
    backupFolder: "Enter the folder to back up to",
    backupKeep: "Number of backups to keep must be a whole number, like 1",
  };
  const calls = mockCommands({
    get_settings: () => saved,
    get_clinic_profile: () => clinicProfile,
    update_settings: () => {
      throw {
        code: "Validation",
        message: "3 problems",
        fields: Object.entries(messages).map(([field, message]) => ({ field, message })),
      };
    },
  });
  const onsaved = vi.fn();
  render(SettingsView, { onsaved });
  await waitFor(() => expect(byId("idleLockMinutes")).toHaveValue("10"));
  await user.clear(byId("idleLockMinutes"));
  await user.type(byId("idleLockMinutes"), "90");
  await user.click(byId("backupDaily"));
  await user.clear(byId("backupKeep"));
  await user.type(byId("backupKeep"), "lots");
  await user.click(screen.getByRole("button", { name: "Save settings" }));

  const summary = await screen.findByRole("alert");
  expect(summary).toHaveFocus();
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => [a.textContent, a.getAttribute("href")]),
  ).toEqual([
    [messages.idleLockMinutes, "#idleLockMinutes"],
    [messages.backupFolder, "#backupFolder"],
    [messages.backupKeep, "#backupKeep"],
  ]);
  for (const [field, message] of Object.entries(messages)) {
    expect(document.getElementById(`${field}-error`)).toHaveTextContent(`Error: ${message}`);
  }
  expect(byId("idleLockMinutes")).toHaveValue("90");
  expect(byId("backupKeep")).toHaveValue("lots");
  expect(byId("backupDaily")).toBeChecked();
  expect(document.title).toBe("Error: Settings – KetaChart");
  expect(document.getElementById("settings-success")).toBeNull();
  expect(onsaved).not.toHaveBeenCalled();
  expect(callsOf(calls, "update_settings")).toEqual([
    {
      form: { idleLockMinutes: "90", backupFolder: "", backupDaily: true, backupKeep: "lots" },
    },
  ]);
});

test("saving confirms it and hands the new settings on (the idle time applies at once)", async () => {
  const user = userEvent.setup();
  mockCommands({
    get_settings: () => saved,
    get_clinic_profile: () => clinicProfile,
    update_settings: () => ({ ...saved, idleLockMinutes: 5 }),
  });
  const onsaved = vi.fn();
  render(SettingsView, { onsaved });
  await waitFor(() => expect(byId("idleLockMinutes")).toHaveValue("10"));
  await user.clear(byId("idleLockMinutes"));
  await user.type(byId("idleLockMinutes"), "5");
  await user.click(screen.getByRole("button", { name: "Save settings" }));
  expect(await screen.findByText(/Settings saved/)).toBeInTheDocument();
  expect(onsaved).toHaveBeenCalledWith({ ...saved, idleLockMinutes: 5 });
});
