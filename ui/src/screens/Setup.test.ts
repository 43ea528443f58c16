import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { PassphraseStrength } from "../lib/bindings";
import { callsOf, ipcError, mockCommands, session } from "../test/ipc";
import Setup from "./Setup.svelte";

afterEach(() => clearMocks());

const KEY = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567";

function strength(passphrase: string): PassphraseStrength {
  const long = passphrase.length >= 12;
  return {
    score: long ? 4 : 1,
    label: long ? "Very strong" : "Weak",
    acceptable: long,
    problem: long ? null : "Passphrase must be 12 characters or more",
    suggestions: [],
    minLength: 12,
  };
}

async function fill(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText("Clinic name"), "Harbour Mind Clinic");
  await user.type(screen.getByLabelText("Your full name"), "Dr Amara Okafor");
  await user.type(screen.getByLabelText("User name"), "a.okafor");
}

test("the strength meter follows the passphrase, in words, with the clinic details as context", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    passphrase_strength: ({ passphrase }) => strength(`${passphrase}`),
  });
  render(Setup, { oncreated: vi.fn(), onunlocked: vi.fn() });
  await fill(user);

  await user.type(screen.getByLabelText("Passphrase"), "short");
  const meter = document.getElementById("passphrase-strength") as HTMLElement;
  const words = within(meter).getByRole("status");
  await waitFor(() => expect(words).toHaveTextContent("Strength: Weak"));
  expect(words).toHaveTextContent("Passphrase must be 12 characters or more");

  await user.type(screen.getByLabelText("Passphrase"), " harbour kettle violet");
  await waitFor(() => expect(words).toHaveTextContent("Strength: Very strong"));
  expect(words).toHaveTextContent("Meets the minimum");

  const last = callsOf(calls, "passphrase_strength").at(-1);
  expect(last).toEqual({
    passphrase: "short harbour kettle violet",
    context: ["Harbour Mind Clinic", "a.okafor", "Dr Amara Okafor"],
  });
  // Debounced: far fewer calls than keystrokes.
  expect(callsOf(calls, "passphrase_strength").length).toBeLessThan(10);
});

test("creating the clinic sends the form and hands on the session and recovery key", async () => {
  const user = userEvent.setup();
  const created = { session, recoveryKey: KEY };
  const calls = mockCommands({
    passphrase_strength: ({ passphrase }) => strength(`${passphrase}`),
    create_clinic: () => created,
  });
  const oncreated = vi.fn();
  render(Setup, { oncreated, onunlocked: vi.fn() });
  await fill(user);
  await user.type(screen.getByLabelText("Passphrase"), "harbour kettle violet");
  await user.type(screen.getByLabelText("Confirm passphrase"), "harbour kettle violet");
  await user.click(screen.getByRole("button", { name: "Create clinic" }));

  await waitFor(() => expect(oncreated).toHaveBeenCalledWith(created));
  expect(callsOf(calls, "create_clinic")).toEqual([
    {
      form: {
        clinicName: "Harbour Mind Clinic",
        adminDisplayName: "Dr Amara Okafor",
        adminUsername: "a.okafor",
        passphrase: "harbour kettle violet",
        passphraseConfirmation: "harbour kettle violet",
      },
    },
  ]);
});

test("setup errors link to the setup fields", async () => {
  const user = userEvent.setup();
  mockCommands({
    passphrase_strength: ({ passphrase }) => strength(`${passphrase}`),
    create_clinic: () => {
      throw {
        code: "Validation",
        message: "2 problems",
        fields: [
          { field: "clinicName", message: "Enter the clinic name" },
          { field: "passphraseConfirmation", message: "The passphrases do not match" },
        ],
      };
    },
  });
  render(Setup, { oncreated: vi.fn(), onunlocked: vi.fn() });
  await user.click(screen.getByRole("button", { name: "Create clinic" }));
  const summary = await screen.findByRole("alert");
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => a.getAttribute("href")),
  ).toEqual(["#setup-clinic-name", "#setup-passphrase-confirm"]);
  expect(document.getElementById("setup-clinic-name-error")).toHaveTextContent(
    "Error: Enter the clinic name",
  );
});

const BACKUP = "/media/usb/KetaChart-2026-11-20-180000.kcbackup";

function backupFile() {
  return {
    path: BACKUP,
    fileName: "KetaChart-2026-11-20-180000.kcbackup",
    bytes: 3_400_000,
    createdAt: "2026-11-20T18:00:00.000Z",
    clinicName: "Harbour Mind Clinic",
    thisVault: false,
    problem: null,
  };
}

test("a replacement laptop restores the clinic from a backup chosen with the file chooser", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    "plugin:dialog|open": () => BACKUP,
    inspect_backup_file: () => backupFile(),
    restore_new_vault: () => session,
  });
  const onunlocked = vi.fn();
  render(Setup, { oncreated: vi.fn(), onunlocked });

  await user.click(screen.getByRole("button", { name: "Restore from a backup" }));
  expect(screen.getByRole("heading", { level: 1, name: "Restore from a backup" })).toHaveFocus();
  await user.click(screen.getByRole("button", { name: "Choose file…" }));

  const details = await waitFor(() => {
    const el = document.getElementById("restore-backup-details");
    if (!el) throw new Error("no details yet");
    return el;
  });
  expect(document.getElementById("restore-path")).toHaveValue(BACKUP);
  expect(details).toHaveTextContent("Harbour Mind Clinic");
  expect(details).toHaveTextContent(/20-Nov-2026 \d\d:\d\d/);
  expect(details).toHaveTextContent("3.4 MB");
  expect(callsOf(calls, "inspect_backup_file")).toEqual([{ path: BACKUP }]);

  await user.type(screen.getByLabelText("Administrator's user name"), "a.okafor");
  await user.type(screen.getByLabelText("Passphrase"), "harbour kettle violet");
  await user.click(screen.getByRole("button", { name: "Restore and sign in" }));
  await waitFor(() => expect(onunlocked).toHaveBeenCalledWith(session));
  expect(callsOf(calls, "restore_new_vault")).toEqual([
    { form: { path: BACKUP, username: "a.okafor", passphrase: "harbour kettle violet" } },
  ]);
});

test("a typed path that is not a usable backup shows the core's message on the path", async () => {
  const user = userEvent.setup();
  const message = "This backup cannot be used: the file is damaged. Nothing was changed";
  mockCommands({
    inspect_backup_file: () => ipcError("Validation", message, [{ field: "path", message }]),
  });
  render(Setup, { oncreated: vi.fn(), onunlocked: vi.fn() });
  await user.click(screen.getByRole("button", { name: "Restore from a backup" }));
  await user.type(screen.getByLabelText("Backup file"), "/tmp/broken.kcbackup");
  await user.click(screen.getByRole("button", { name: "Check backup file" }));

  const summary = await screen.findByRole("alert");
  expect(within(summary).getByRole("link", { name: message })).toHaveAttribute(
    "href",
    "#restore-path",
  );
  expect(document.getElementById("restore-path-error")).toHaveTextContent(`Error: ${message}`);
  expect(document.getElementById("restore-backup-details")).toBeNull();
  expect(screen.queryByLabelText("Administrator's user name")).toBeNull();
});

test("restoring needs an administrator of the backup", async () => {
  const user = userEvent.setup();
  const message = "Restoring needs the user name and passphrase of an administrator in the backup";
  mockCommands({
    inspect_backup_file: () => backupFile(),
    restore_new_vault: () => ipcError("Validation", message, [{ field: "username", message }]),
  });
  render(Setup, { oncreated: vi.fn(), onunlocked: vi.fn() });
  await user.click(screen.getByRole("button", { name: "Restore from a backup" }));
  await user.type(screen.getByLabelText("Backup file"), BACKUP);
  await user.click(screen.getByRole("button", { name: "Check backup file" }));
  await user.type(await screen.findByLabelText("Administrator's user name"), "j.reyes");
  await user.type(screen.getByLabelText("Passphrase"), "nurse passphrase here");
  await user.click(screen.getByRole("button", { name: "Restore and sign in" }));

  expect(await screen.findByRole("link", { name: message })).toHaveAttribute(
    "href",
    "#restore-username",
  );
  expect(screen.getByLabelText("Administrator's user name")).toHaveValue("j.reyes");
  expect(screen.getByLabelText("Passphrase")).toHaveValue("");
});
