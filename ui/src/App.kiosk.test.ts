// Patient self-entry at the top level: the kiosk replaces the whole window, survives a reload,
// and ends with a staff member's unlock or the idle lock.
import { clearMocks } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test } from "vitest";
import App from "./App.svelte";
import type { KioskView, SessionInfo } from "./lib/bindings";
import { kiosk } from "./lib/kiosk.svelte";
import { appStatus, callsOf, mockCommands, nurseSession, record, row } from "./test/ipc";
import { GAD7, kioskView, PHQ9 } from "./test/kiosk";
import { preloadLazyViews } from "./test/lazy";

// The shell loads these views on demand; load them once up front.
beforeAll(preloadLazyViews, 60_000);

afterEach(() => {
  clearMocks();
  kiosk.end();
});

type User = ReturnType<typeof userEvent.setup>;

const dana = record({ id: 7 });
const danaRow = row({
  id: 7,
  givenName: "Dana",
  familyName: "Rossi",
  preferredName: null,
  birthDate: dana.birthDate,
  mrn: dana.mrn,
});
const WRONG = "The user name or passphrase is not correct";

/**
 * A clinic whose core behaves like the real one: a nurse is signed in, the kiosk (when running)
 * shortens the idle time to 3 minutes, and a staff unlock or a lock ends it.
 */
function clinic(running: KioskView | null = null) {
  let session: SessionInfo | null = nurseSession;
  let self: KioskView | null = running;
  const current = () =>
    session && self ? { ...session, idleLockSeconds: 180 } : (session ?? undefined);
  const calls = mockCommands({
    app_status: () => {
      const s = current();
      return s ? appStatus({ status: "unlocked", session: s }) : appStatus();
    },
    kiosk_status: () => self,
    record_activity: () => null,
    search_patients: () => ({ patients: [danaRow], more: false }),
    open_alerts: () => [],
    get_patient: () => dana,
    list_trials: () => [],
    list_records: () => [],
    list_payers: () => [],
    patient_timeline: () => [],
    screening_items: () => [],
    list_instruments: () => [PHQ9, GAD7],
    list_scores: () => [],
    score_trends: () => [],
    patient_alerts: () => [],
    start_kiosk: ({ instruments }) => {
      self = kioskView((instruments as string[]).includes("gad7") ? [PHQ9, GAD7] : [PHQ9]);
      return self;
    },
    kiosk_submit: () => {
      if (!self) throw { code: "Conflict", message: "Patient self-entry has ended" };
      self = kioskView(self.remaining.slice(1), self.total);
      return self;
    },
    unlock: ({ passphrase }) => {
      if (passphrase !== "a long passphrase") {
        throw {
          code: "Validation",
          message: WRONG,
          fields: [{ field: "passphrase", message: WRONG }],
        };
      }
      self = null;
      session = nurseSession;
      return nurseSession;
    },
  });
  return {
    calls,
    lockForIdle: async () => {
      session = null;
      self = null;
      await emit("vault-locked", { reason: "idle" });
    },
  };
}

async function staffUnlock(user: User, passphrase = "a long passphrase") {
  await user.click(screen.getByRole("button", { name: "Staff" }));
  await user.type(document.getElementById("kiosk-staff-username") as HTMLElement, "j.reyes");
  await user.type(document.getElementById("kiosk-staff-passphrase") as HTMLElement, passphrase);
  await user.click(document.getElementById("kiosk-staff-unlock") as HTMLElement);
}

/** Kiosk only: no header, no navigation, no clinic, no patient. */
function expectOnlyTheKiosk() {
  expect(document.getElementById("kiosk")).not.toBeNull();
  expect(document.getElementById("main")).toBeNull();
  expect(document.getElementById("signed-in-user")).toBeNull();
  expect(screen.queryByRole("navigation")).toBeNull();
  const text = document.body.textContent ?? "";
  for (const detail of ["Harbour Mind Clinic", "Dana", "Rossi", "ROSSI", dana.mrn, "Jo Reyes"]) {
    expect(text).not.toContain(detail);
  }
}

test("after a reload during self-entry, the app opens straight on the kiosk", async () => {
  const { calls } = clinic(kioskView([GAD7], 2));
  render(App);
  expect(
    await screen.findByRole("heading", { level: 1, name: "Generalized Anxiety Disorder-7" }),
  ).toHaveFocus();
  expect(document.getElementById("kiosk-progress")).toHaveTextContent("Questionnaire 2 of 2");
  expectOnlyTheKiosk();
  // The chart never opened behind it (the core would refuse it anyway).
  expect(callsOf(calls, "search_patients")).toEqual([]);
});

test("a finished kiosk found on start-up shows the thank-you", async () => {
  clinic(kioskView([], 1));
  render(App);
  expect(await screen.findByRole("heading", { level: 1, name: "Thank you" })).toBeInTheDocument();
  expectOnlyTheKiosk();
});

test("handing the laptop over from the chart, answering, and staff taking it back", async () => {
  const user = userEvent.setup();
  const { calls } = clinic();
  render(App);
  await user.click(await screen.findByRole("button", { name: "ROSSI, Dana" }));
  await user.click(await screen.findByRole("button", { name: "Hand to patient" }));
  await user.click(document.getElementById("kiosk-instrument-gad7") as HTMLElement);
  await user.click(document.getElementById("confirm-start-kiosk") as HTMLElement);

  expect(callsOf(calls, "start_kiosk")).toEqual([{ patientId: 7, instruments: ["phq9", "gad7"] }]);
  expect(
    await screen.findByRole("heading", { level: 1, name: "Patient Health Questionnaire-9" }),
  ).toHaveFocus();
  expectOnlyTheKiosk();

  for (let i = 1; i <= 9; i += 1) {
    await user.click(document.getElementById(`kiosk-q-${i}-0`) as HTMLElement);
  }
  await user.click(screen.getByRole("button", { name: "Next questionnaire" }));
  await screen.findByRole("heading", { level: 1, name: "Generalized Anxiety Disorder-7" });
  for (let i = 1; i <= 7; i += 1) {
    await user.click(document.getElementById(`kiosk-q-${i}-1`) as HTMLElement);
  }
  await user.click(screen.getByRole("button", { name: "Done" }));
  await screen.findByRole("heading", { level: 1, name: "Thank you" });
  expect(callsOf(calls, "kiosk_submit").map((c) => c.instrument)).toEqual(["phq9", "gad7"]);

  await staffUnlock(user);
  // Back in KetaChart as the staff member who unlocked, at the patient's chart.
  expect(await screen.findByRole("heading", { level: 1, name: "ROSSI, Dana" })).toBeVisible();
  expect(document.getElementById("signed-in-user")).toHaveTextContent("Jo Reyes");
  expect(document.getElementById("kiosk")).toBeNull();
  expect(kiosk.view).toBeNull();
});

test("a wrong passphrase keeps the kiosk; the right one opens the app", async () => {
  const user = userEvent.setup();
  const { calls } = clinic(kioskView([PHQ9]));
  render(App);
  await screen.findByRole("heading", { level: 1, name: "Patient Health Questionnaire-9" });
  await staffUnlock(user, "wrong");

  const dialog = screen.getByRole("dialog");
  expect(await within(dialog).findByRole("alert")).toHaveTextContent(WRONG);
  expect(document.getElementById("kiosk")).not.toBeNull();
  expect(document.getElementById("main")).toBeNull();
  // The core's answer is in the form, not in an app-wide banner.
  expect(document.getElementById("error-banner-title")).toBeNull();

  await user.clear(document.getElementById("kiosk-staff-username") as HTMLElement);
  await user.type(document.getElementById("kiosk-staff-username") as HTMLElement, "j.reyes");
  await user.type(
    document.getElementById("kiosk-staff-passphrase") as HTMLElement,
    "a long passphrase",
  );
  await user.click(document.getElementById("kiosk-staff-unlock") as HTMLElement);
  // After a reload the patient is not known to the UI: the patient list opens.
  expect(await screen.findByRole("heading", { level: 1, name: "Patients" })).toBeVisible();
  expect(callsOf(calls, "unlock")).toHaveLength(2);
  expect(document.getElementById("kiosk")).toBeNull();
});

test("the idle lock ends self-entry and shows the lock screen", async () => {
  const user = userEvent.setup();
  const { lockForIdle } = clinic(kioskView([PHQ9]));
  render(App);
  await screen.findByRole("heading", { level: 1, name: "Patient Health Questionnaire-9" });
  await lockForIdle();

  expect(
    await screen.findByRole("heading", { level: 1, name: "Unlock KetaChart" }),
  ).toBeInTheDocument();
  expect(document.getElementById("idle-locked-notice")).toHaveTextContent(
    "Locked after 3 minutes without activity.",
  );
  expect(document.getElementById("kiosk")).toBeNull();
  expect(kiosk.view).toBeNull();

  await user.type(document.getElementById("unlock-username") as HTMLElement, "j.reyes");
  await user.type(document.getElementById("unlock-passphrase") as HTMLElement, "a long passphrase");
  await user.click(screen.getByRole("button", { name: "Unlock" }));
  expect(await screen.findByRole("heading", { level: 1, name: "Patients" })).toBeVisible();
  await waitFor(() => expect(document.getElementById("kiosk")).toBeNull());
});
