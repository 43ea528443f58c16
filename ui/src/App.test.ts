import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { emit } from "@tauri-apps/api/event";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import App from "./App.svelte";
import type { SessionInfo } from "./lib/bindings";
import { appStatus, callsOf, mockCommands, nurseSession, session } from "./test/ipc";
import { preloadLazyViews } from "./test/lazy";

// The shell loads these views on demand; load them once up front.
beforeAll(preloadLazyViews, 60_000);

afterEach(() => clearMocks());

test("a locked vault opens on the unlock screen, with no demo panel for a real clinic", async () => {
  mockCommands({ app_status: () => appStatus() });
  render(App);
  expect(
    await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" }),
  ).toBeInTheDocument();
  expect(screen.getByText("Harbour Mind Clinic")).toBeInTheDocument();
  expect(document.getElementById("demo-credentials")).toBeNull();
});

test("the demo clinic's unlock screen shows its credentials", async () => {
  mockCommands({
    app_status: () =>
      appStatus({ clinicName: "Demo clinic", demo: { username: "demo", passphrase: "demo pass" } }),
  });
  render(App);
  await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" });
  expect(document.getElementById("demo-credentials")).toHaveTextContent("demo pass");
});

test("first launch shows clinic setup", async () => {
  mockCommands({ app_status: () => appStatus({ status: "setup", clinicName: null }) });
  render(App);
  expect(
    await screen.findByRole("heading", { level: 1, name: "Set up your clinic" }),
  ).toHaveFocus();
});

test("an unavailable vault says why, where, and what to do next", async () => {
  mockCommands({
    app_status: () =>
      appStatus({
        status: "unavailable",
        clinicName: null,
        problem: "The vault was made by a newer KetaChart (schema 9; this one reads up to 3)",
      }),
  });
  render(App);
  expect(
    await screen.findByRole("heading", { level: 1, name: "KetaChart cannot open this vault" }),
  ).toBeInTheDocument();
  expect(screen.getByText(/made by a newer KetaChart/)).toBeInTheDocument();
  expect(document.getElementById("vault-data-dir")).toHaveTextContent(
    "/home/clinic/.local/share/ketachart",
  );
  expect(screen.getByRole("heading", { name: "What to do next" })).toBeInTheDocument();
});

test("unlocking opens the patient list; Lock returns to the unlock screen", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    app_status: () => appStatus(),
    unlock: () => session,
    search_patients: () => ({ patients: [], more: false }),
    lock: () => null,
    record_activity: () => null,
  });
  render(App);
  await user.type(await screen.findByLabelText("User name"), "a.okafor");
  await user.type(screen.getByLabelText("Passphrase"), "correct horse battery staple");
  await user.click(screen.getByRole("button", { name: "Unlock" }));

  expect(await screen.findByRole("heading", { level: 1, name: "Patients" })).toBeInTheDocument();
  expect(screen.getByText("Dr Amara Okafor")).toBeInTheDocument();

  await user.click(screen.getByRole("button", { name: "Lock / Switch user" }));
  expect(
    await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" }),
  ).toBeInTheDocument();
  expect(callsOf(calls, "lock")).toHaveLength(1);
  // A manual lock with nothing unsaved hides the chart completely.
  expect(document.getElementById("patient-search")).toBeNull();
  expect(document.getElementById("idle-locked-notice")).toBeNull();
});

test("a command answered Locked goes back to the unlock screen", async () => {
  mockCommands({
    app_status: () => appStatus({ status: "unlocked", session }),
    search_patients: () => {
      throw { code: "Locked", message: "KetaChart is locked" };
    },
  });
  render(App);
  expect(
    await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" }),
  ).toBeInTheDocument();
});

test("an internal error is shown in words in a banner that stays until dismissed", async () => {
  const user = userEvent.setup();
  mockCommands({
    app_status: () => appStatus({ status: "unlocked", session }),
    search_patients: () => {
      throw { code: "Internal", message: "Something went wrong inside KetaChart" };
    },
    record_activity: () => null,
  });
  render(App);
  const banner = await screen.findByRole("alert");
  expect(banner).toHaveTextContent("KetaChart could not finish that");
  expect(banner).toHaveTextContent("Something went wrong inside KetaChart");
  expect(banner).not.toHaveTextContent("[object Object]");
  await user.click(screen.getByRole("button", { name: "Dismiss" }));
  await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
});

describe("locking without losing unsaved entries", () => {
  /** A clinic whose vault locks and unlocks like the core: the status follows the calls. */
  function clinic() {
    let current: SessionInfo | null = session;
    const calls = mockCommands({
      app_status: () =>
        current ? appStatus({ status: "unlocked", session: current }) : appStatus(),
      search_patients: () => ({ patients: [], more: false }),
      record_activity: () => null,
      unlock: ({ username }) => {
        current = username === "j.reyes" ? nurseSession : session;
        return current;
      },
    });
    return {
      calls,
      lockForIdle: async () => {
        current = null;
        await emit("vault-locked", { reason: "idle" });
      },
    };
  }

  async function startForm(user: ReturnType<typeof userEvent.setup>) {
    render(App);
    await user.click(await screen.findByRole("button", { name: "Add patient" }));
    await user.type(screen.getByLabelText("Given name"), "Ann");
    await user.type(screen.getByLabelText("Family name"), "Lee");
  }

  async function signIn(user: ReturnType<typeof userEvent.setup>, username: string) {
    await user.type(document.getElementById("unlock-username") as HTMLElement, username);
    await user.type(document.getElementById("unlock-passphrase") as HTMLElement, "a passphrase");
    await user.click(screen.getByRole("button", { name: "Unlock" }));
  }

  test("an idle lock keeps the form hidden under the unlock screen, and says why", async () => {
    const user = userEvent.setup();
    const { lockForIdle } = clinic();
    await startForm(user);
    await lockForIdle();

    expect(
      await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" }),
    ).toBeInTheDocument();
    expect(document.getElementById("idle-locked-notice")).toHaveTextContent(
      "Locked after 10 minutes without activity. Sign in to continue — any user can sign in here.",
    );
    const kept = document.getElementById("givenName") as HTMLInputElement;
    expect(kept).toHaveValue("Ann");
    const slot = kept.closest(".shell-slot") as HTMLElement;
    expect(slot).toHaveAttribute("hidden");
    // jsdom keeps `inert` as a property; browsers reflect it as the attribute.
    expect(slot.inert || slot.hasAttribute("inert")).toBe(true);
    // Nothing of the chart is reachable by role while locked.
    expect(screen.queryByRole("heading", { name: "Add patient" })).toBeNull();
  });

  test("the same user gets the form back exactly as it was", async () => {
    const user = userEvent.setup();
    const { lockForIdle } = clinic();
    await startForm(user);
    await lockForIdle();
    await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" });
    await signIn(user, "a.okafor");

    expect(await screen.findByRole("heading", { level: 1, name: "Add patient" })).toBeVisible();
    expect(screen.getByLabelText("Given name")).toHaveValue("Ann");
    expect(screen.getByLabelText("Family name")).toHaveValue("Lee");
    expect(document.getElementById("idle-locked-notice")).toBeNull();
    expect(document.querySelector(".shell-slot")).not.toHaveAttribute("hidden");
  });

  test("a different user gets a fresh window, without the other user's draft", async () => {
    const user = userEvent.setup();
    const { lockForIdle } = clinic();
    await startForm(user);
    await lockForIdle();
    await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" });
    await signIn(user, "j.reyes");

    expect(await screen.findByRole("heading", { level: 1, name: "Patients" })).toBeVisible();
    expect(document.getElementById("givenName")).toBeNull();
    expect(document.getElementById("signed-in-user")).toHaveTextContent("Jo Reyes");
    expect(document.querySelector("[data-nav='users']")).toBeNull();
  });
});

test("a Forbidden answer is shown in a banner saying the role does not allow it", async () => {
  const user = userEvent.setup();
  mockCommands({
    app_status: () => appStatus({ status: "unlocked", session }),
    search_patients: () => ({ patients: [], more: false }),
    record_activity: () => null,
    list_users: () => {
      throw {
        code: "Forbidden",
        message:
          "Your role does not allow you to manage users. Ask a clinic administrator if you need to",
      };
    },
  });
  render(App);
  await user.click(await screen.findByRole("button", { name: "Users" }));
  const banner = await screen.findByRole("alert");
  expect(banner).toHaveTextContent("Your role does not allow this");
  expect(banner).toHaveTextContent("Your role does not allow you to manage users");
});

test("after a restore everyone signs in again; the old window is gone and the notice says why", async () => {
  const user = userEvent.setup();
  let unlocked = true;
  const contents = {
    clinicName: "Harbour Mind Clinic",
    createdAt: "2026-11-20T18:00:00.000Z",
    schemaVersion: 3,
    patients: 212,
    users: 6,
    auditEntries: 4810,
  };
  const backup = {
    path: "/media/usb/KetaChart-2026-11-20-180000.kcbackup",
    fileName: "KetaChart-2026-11-20-180000.kcbackup",
    bytes: 3_400_000,
    createdAt: "2026-11-20T18:00:00.000Z",
    clinicName: "Harbour Mind Clinic",
    thisVault: true,
    problem: null,
  };
  mockCommands({
    app_status: () => (unlocked ? appStatus({ status: "unlocked", session }) : appStatus()),
    search_patients: () => ({ patients: [], more: false }),
    record_activity: () => null,
    get_settings: () => ({
      idleLockMinutes: 10,
      backupFolder: "/media/usb",
      backupDaily: false,
      backupKeep: 14,
      lastBackupAt: null,
    }),
    list_backups: () => [backup],
    verify_backup: () => contents,
    restore_backup: () => {
      unlocked = false;
      return { contents, safetyCopy: "/home/clinic/.local/share/ketachart/before-restore.db" };
    },
  });
  render(App);
  await user.click(await screen.findByRole("button", { name: "Backups" }));
  await user.click(await screen.findByRole("button", { name: `Restore ${backup.fileName}` }));
  await user.click(await screen.findByRole("button", { name: "Restore this backup" }));

  expect(
    await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" }),
  ).toBeInTheDocument();
  const notice = document.getElementById("restore-notice");
  expect(notice).toHaveTextContent(/The backup from 20-Nov-2026 \d\d:00 was restored/);
  expect(notice).toHaveTextContent("before-restore.db");
  expect(document.querySelector(".shell-slot")).toBeNull();
});

test("saving settings asks the core again, so a new idle time applies at once", async () => {
  const user = userEvent.setup();
  let idle = 600;
  const calls = mockCommands({
    app_status: () =>
      appStatus({ status: "unlocked", session: { ...session, idleLockSeconds: idle } }),
    search_patients: () => ({ patients: [], more: false }),
    record_activity: () => null,
    get_settings: () => ({
      idleLockMinutes: 10,
      backupFolder: null,
      backupDaily: false,
      backupKeep: 14,
      lastBackupAt: null,
    }),
    update_settings: () => {
      idle = 120;
      return {
        idleLockMinutes: 2,
        backupFolder: null,
        backupDaily: false,
        backupKeep: 14,
        lastBackupAt: null,
      };
    },
  });
  render(App);
  await user.click(await screen.findByRole("button", { name: "Settings" }));
  await waitFor(() =>
    expect(screen.getByLabelText(/Lock after this many minutes/)).toHaveValue("10"),
  );
  const before = callsOf(calls, "app_status").length;
  await user.click(screen.getByRole("button", { name: "Save settings" }));
  await waitFor(() => expect(callsOf(calls, "app_status").length).toBe(before + 1));
  // Still the same window: the settings view stays where it was.
  expect(screen.getByRole("heading", { level: 1, name: "Settings" })).toBeInTheDocument();
});
