import type { Channel } from "@tauri-apps/api/core";
import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type {
  BackupContentsDto,
  BackupFile,
  BackupProgressDto,
  BackupResult,
  SettingsDto,
} from "../lib/bindings";
import { callsOf, mockCommands } from "../test/ipc";
import BackupsView from "./BackupsView.svelte";

afterEach(() => clearMocks());

const FOLDER = "/media/usb/KetaChart backups";

const settings: SettingsDto = {
  idleLockMinutes: 10,
  backupFolder: FOLDER,
  backupDaily: true,
  backupKeep: 14,
  lastBackupAt: "2026-11-20T18:00:00.000Z",
};

const contents: BackupContentsDto = {
  clinicName: "Harbour Mind Clinic",
  createdAt: "2026-11-20T18:00:00.000Z",
  schemaVersion: 3,
  patients: 212,
  users: 6,
  auditEntries: 4810,
};

function file(overrides: Partial<BackupFile> = {}): BackupFile {
  return {
    path: `${FOLDER}/KetaChart-2026-11-20-180000.kcbackup`,
    fileName: "KetaChart-2026-11-20-180000.kcbackup",
    bytes: 3_400_000,
    createdAt: "2026-11-20T18:00:00.000Z",
    clinicName: "Harbour Mind Clinic",
    thisVault: true,
    problem: null,
    ...overrides,
  };
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

test("shows the last backup and the folder from the settings, and lists the backups there", async () => {
  mockCommands({
    get_settings: () => settings,
    list_backups: () => [
      file(),
      file({
        path: `${FOLDER}/other.kcbackup`,
        fileName: "other.kcbackup",
        thisVault: false,
        clinicName: "Another clinic",
      }),
      file({
        path: `${FOLDER}/broken.kcbackup`,
        fileName: "broken.kcbackup",
        createdAt: null,
        bytes: 120,
        problem: "The file is damaged",
        thisVault: false,
      }),
    ],
  });
  render(BackupsView, { canRestore: true, onrestored: vi.fn() });
  await waitFor(() => expect(byId("backup-folder")).toHaveValue(FOLDER));
  expect(byId("backup-last")).toHaveTextContent(/20-Nov-2026 \d\d:00/);
  const rows = await waitFor(() => within(byId("backups-table")).getAllByRole("row").slice(1));
  expect(rows[0]).toHaveTextContent("This clinic");
  expect(rows[0]).toHaveTextContent("3.4 MB");
  expect(within(rows[0] as HTMLElement).getByRole("button", { name: /^Restore/ })).toBeVisible();
  expect(rows[1]).toHaveTextContent("Another vault");
  expect(within(rows[1] as HTMLElement).queryByRole("button", { name: /^Restore/ })).toBeNull();
  expect(rows[2]).toHaveTextContent("The file is damaged");
  expect(rows[2]).toHaveTextContent("Not known");
  expect(rows[2]).toHaveTextContent("120 bytes");
});

test("Back up now shows each phase from the progress channel, then what was written", async () => {
  const user = userEvent.setup();
  let send: (p: BackupProgressDto) => void = () => {};
  let finish: (r: BackupResult) => void = () => {};
  const calls = mockCommands({
    get_settings: () => settings,
    list_backups: () => [],
    create_backup: ({ onProgress }) => {
      const channel = onProgress as Channel<BackupProgressDto>;
      send = (p) => channel.onmessage(p);
      return new Promise<BackupResult>((resolve) => (finish = resolve));
    },
  });
  render(BackupsView, { canRestore: true, onrestored: vi.fn() });
  await waitFor(() => expect(byId("backup-folder")).toHaveValue(FOLDER));
  await user.click(byId("backup-now"));
  await waitFor(() => expect(callsOf(calls, "create_backup")).toHaveLength(1));
  expect(callsOf(calls, "create_backup")[0]?.folder).toBe(FOLDER);

  const progress = byId("backup-progress") as HTMLProgressElement;
  send({ phase: "copying", percent: 20 });
  await waitFor(() => expect(progress.value).toBe(20));
  expect(byId("backup-phase")).toHaveTextContent("Copying 20%");
  send({ phase: "writing", percent: 60 });
  await waitFor(() => expect(byId("backup-phase")).toHaveTextContent("Writing 60%"));
  send({ phase: "verifying", percent: 90 });
  await waitFor(() => expect(byId("backup-phase")).toHaveTextContent("Checking the backup 90%"));
  expect(progress.value).toBe(90);
  expect(byId("backup-now")).toBeDisabled();

  send({ phase: "done", percent: 100 });
  finish({
    path: `${FOLDER}/KetaChart-2026-11-21-140305.kcbackup`,
    bytes: 3_412_000,
    contents,
    removedOld: 1,
  });
  const result = await waitFor(() => byId("backup-result"));
  expect(byId("backup-phase")).toHaveTextContent("Done 100%");
  expect(result).toHaveTextContent(`${FOLDER}/KetaChart-2026-11-21-140305.kcbackup`);
  expect(result).toHaveTextContent("3.4 MB");
  expect(result).toHaveTextContent("212 patients, 6 users, 4,810 audit entries");
  expect(result).toHaveTextContent("Checked after writing");
  expect(result).toHaveTextContent("1 older backup removed");
});

test("a folder the core refuses is shown on the folder field", async () => {
  const user = userEvent.setup();
  const message = "This folder does not exist. Connect the drive or create the folder first";
  mockCommands({
    get_settings: () => ({ ...settings, backupFolder: null }),
    list_backups: () => [],
    create_backup: () => {
      throw { code: "Validation", message, fields: [{ field: "folder", message }] };
    },
  });
  render(BackupsView, { canRestore: true, onrestored: vi.fn() });
  await user.type(byId("backup-folder"), "/media/missing");
  await user.click(byId("backup-now"));
  const summary = await screen.findByRole("alert");
  expect(within(summary).getByRole("link", { name: message })).toHaveAttribute(
    "href",
    "#backup-folder",
  );
  expect(byId("backup-folder-error")).toHaveTextContent(`Error: ${message}`);
  expect(document.getElementById("backup-progress")).toBeNull();
});

test("Choose folder… uses the folder chooser and lists what is there", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    get_settings: () => ({ ...settings, backupFolder: null }),
    "plugin:dialog|open": () => "/media/usb2",
    list_backups: () => [],
  });
  render(BackupsView, { canRestore: true, onrestored: vi.fn() });
  await user.click(screen.getByRole("button", { name: "Choose folder…" }));
  await waitFor(() => expect(byId("backup-folder")).toHaveValue("/media/usb2"));
  const [dialog] = callsOf(calls, "plugin:dialog|open") as [{ options: { directory: boolean } }];
  expect(dialog.options.directory).toBe(true);
  expect(await screen.findByText(/No KetaChart backups in/)).toHaveTextContent("/media/usb2");
});

test("Check opens the backup completely and reports what it holds", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    get_settings: () => settings,
    list_backups: () => [file()],
    verify_backup: () => contents,
  });
  render(BackupsView, { canRestore: false, onrestored: vi.fn() });
  await user.click(await screen.findByRole("button", { name: `Check ${file().fileName}` }));
  const result = await waitFor(() => byId("backup-check-result"));
  expect(result).toHaveTextContent("212 patients, 6 users, 4,810 audit entries");
  expect(callsOf(calls, "verify_backup")).toEqual([{ path: file().path }]);
  // Without the restore permission, there is no Restore button.
  expect(screen.queryByRole("button", { name: /^Restore/ })).toBeNull();
});

test("restoring checks the backup, says what will happen, and needs a second, named press", async () => {
  const user = userEvent.setup();
  const restored = { contents, safetyCopy: "/home/clinic/.local/share/ketachart/safety-copy.db" };
  const calls = mockCommands({
    get_settings: () => settings,
    list_backups: () => [file()],
    verify_backup: () => contents,
    restore_backup: () => restored,
  });
  const onrestored = vi.fn();
  render(BackupsView, { canRestore: true, onrestored });
  await user.click(await screen.findByRole("button", { name: `Restore ${file().fileName}` }));

  expect(screen.getByRole("heading", { level: 1, name: "Restore this backup?" })).toHaveFocus();
  const summary = await waitFor(() => byId("restore-contents"));
  expect(callsOf(calls, "verify_backup")).toEqual([{ path: file().path }]);
  expect(callsOf(calls, "restore_backup")).toHaveLength(0);
  expect(summary).toHaveTextContent("Harbour Mind Clinic");
  expect(summary).toHaveTextContent("212");
  expect(summary).toHaveTextContent("4,810");
  const warning = byId("restore-warning");
  expect(warning).toHaveTextContent(
    /Everything entered since 20-Nov-2026 \d\d:00 will be replaced/,
  );
  expect(warning).toHaveTextContent("kept as a safety copy");
  expect(warning).toHaveTextContent(
    "signs in again with the passphrase that was valid when the backup was made",
  );

  const confirm = screen.getByRole("button", { name: "Restore this backup" });
  expect(confirm).toHaveClass("button--warning");
  await user.click(confirm);
  await waitFor(() => expect(onrestored).toHaveBeenCalledWith(restored));
  expect(callsOf(calls, "restore_backup")).toEqual([{ path: file().path }]);
});

test("a backup that fails its check cannot be restored", async () => {
  const user = userEvent.setup();
  const message = "This backup cannot be used: it belongs to another vault. Nothing was changed";
  const calls = mockCommands({
    get_settings: () => settings,
    list_backups: () => [file()],
    verify_backup: () => {
      throw { code: "Validation", message, fields: [{ field: "path", message }] };
    },
  });
  render(BackupsView, { canRestore: true, onrestored: vi.fn() });
  await user.click(await screen.findByRole("button", { name: `Restore ${file().fileName}` }));
  expect(await waitFor(() => byId("restore-problem"))).toHaveTextContent(message);
  expect(screen.queryByRole("button", { name: "Restore this backup" })).toBeNull();
  await user.click(screen.getAllByRole("button", { name: "Back to backups" })[0] as HTMLElement);
  expect(screen.getByRole("heading", { level: 1, name: "Backups" })).toBeInTheDocument();
  expect(callsOf(calls, "restore_backup")).toHaveLength(0);
});
