import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { SessionEvaluation, SessionForm } from "../../lib/bindings";
import { callsOf, ipcError, mockCommands, record, type Handler } from "../../test/ipc";
import { enrolledView, remsEnrollmentView } from "../rems/test-fixtures";
import SessionFlowsheet from "./SessionFlowsheet.svelte";
import {
  courseContent,
  courseView,
  evaluation,
  ketamineCourse,
  ketamineDraft,
  spravatoDraft,
  storedRecord,
  treatmentOptions,
} from "./test-fixtures";

afterEach(() => clearMocks());

const dana = record({ id: 7 });

function setup(
  opts: {
    draft?: SessionForm;
    evaluate?: (content: SessionForm) => SessionEvaluation;
    canSign?: boolean;
    handlers?: Record<string, Handler>;
  } = {},
) {
  const calls = mockCommands({
    new_session_draft: () => opts.draft ?? spravatoDraft(),
    rems_enrollment: () => enrolledView(),
    evaluate_session: (args) =>
      (
        opts.evaluate ??
        ((s: SessionForm) =>
          evaluation({ devicesNeeded: s.spravato?.doseMg === 84 ? 3 : s.spravato ? 2 : null }))
      )(args.content as SessionForm),
    ...opts.handlers,
  });
  const onsaved = vi.fn();
  render(SessionFlowsheet, {
    patient: dana,
    course: courseView(),
    options: treatmentOptions(),
    formKey: "session-new-5",
    canEdit: true,
    canSign: opts.canSign ?? false,
    onsaved,
    onclose: vi.fn(),
  });
  return { calls, onsaved };
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

function input(id: string): HTMLInputElement {
  return byId(id) as HTMLInputElement;
}

test("a new Spravato session opens from the core's draft with the specified ids and vitals rows", async () => {
  const user = userEvent.setup();
  const { calls } = setup({ canSign: true });
  expect(
    await screen.findByRole("heading", { name: "Spravato (esketamine) course: new session" }),
  ).toHaveFocus();
  expect(callsOf(calls, "new_session_draft")).toEqual([{ patientId: 7, courseId: 5 }]);
  // The draft is checked as soon as it is shown; the header takes the core's count.
  expect(await screen.findByText("Session 3 of 12 (authorized 8)")).toBeVisible();
  expect(callsOf(calls, "evaluate_session")[0]).toMatchObject({ patientId: 7, id: null });

  expect(input("session-date").value).toBe("2026-03-09");
  const grid = byId("session-vitals");
  expect(grid.tagName).toBe("TABLE");
  const rows = within(grid).getAllByRole("rowheader");
  expect(rows.map((r) => r.textContent?.trim())).toEqual([
    "Pre-dose",
    "40 min",
    "90 min",
    "Pre-discharge",
  ]);
  for (const id of [
    "session-vitals-0-time",
    "session-vitals-0-systolic",
    "session-vitals-0-diastolic",
    "session-vitals-0-heartRate",
    "session-vitals-0-spo2",
    "session-vitals-0-respiratoryRate",
    "session-vitals-0-moaas",
    "session-vitals-3-systolic",
  ]) {
    expect(input(id)).toHaveAttribute("inputmode", "numeric");
  }
  expect(input("session-vitals-1-systolic")).toHaveAccessibleName(
    "Systolic blood pressure, 40 min",
  );

  // Enrollment is not asked: the patient's REMS enrollment on the chart is shown read-only.
  await waitFor(() =>
    expect(byId("session-spravato-remsEnrolled")).toHaveTextContent(
      "REMS patient enrollment: Enrolled on 08-Nov-2026",
    ),
  );
  expect(callsOf(calls, "rems_enrollment")).toEqual([{ patientId: 7 }]);
  expect(document.getElementById("session-spravato-remsEnrolled-yes")).toBeNull();
  expect(document.getElementById("session-spravato-remsEnrolled-link")).toBeNull();
  // Spravato's questions, with the ids of their yes/no pairs.
  expect(input("session-spravato-concomitant-opioids-yes")).not.toBeChecked();
  expect(input("session-spravato-concomitant-opioids-no")).not.toBeChecked();
  expect(byId("session-spravato-doseMg").tagName).toBe("FIELDSET");
  expect(input("session-spravato-doseMg-56")).toBeChecked();
  expect(input("session-spravato-lot").value).toBe("24K117A");
  for (const id of [
    "session-spravato-expiry",
    "session-spravato-readyToLeaveMinutes",
    "session-spravato-vitalsAcceptableBefore-yes",
    "session-spravato-vitalsAcceptableAtEnd-no",
    "session-spravato-sedation-yes",
    "session-spravato-dissociation-no",
    "session-spravato-respiratoryDepression-yes",
    "session-discharge-time",
    "session-discharge-criteria-mental_status",
    "session-note",
    "session-save",
    "session-sign",
  ]) {
    byId(id);
  }
  // 56 mg is two devices, 84 mg three; each has a Now button.
  expect(document.getElementById("session-spravato-deviceTimes-1")).not.toBeNull();
  expect(document.getElementById("session-spravato-deviceTimes-2")).toBeNull();
  await user.click(input("session-spravato-doseMg-84"));
  // The number of devices is the core's fact, read again as the form changes.
  await waitFor(() => expect(input("session-spravato-deviceTimes-2")).toBeVisible());
  await user.click(byId("session-spravato-deviceTimes-0-now"));
  expect(input("session-spravato-deviceTimes-0").value).toMatch(/^\d{2}:\d{2}$/);
  // No ketamine or TMS fields on a Spravato session.
  expect(document.getElementById("session-weight-value")).toBeNull();
  expect(document.getElementById("session-tms-coilLocation")).toBeNull();
});

test("edits are sent to the core for checking, and Enter moves down a vitals column", async () => {
  const user = userEvent.setup();
  const { calls } = setup();
  await screen.findByText("Session 3 of 12 (authorized 8)");
  const before = callsOf(calls, "evaluate_session").length;

  await user.click(input("session-vitals-0-systolic"));
  await user.keyboard("150{Enter}");
  expect(input("session-vitals-1-systolic")).toHaveFocus();
  await waitFor(() => expect(callsOf(calls, "evaluate_session").length).toBeGreaterThan(before));
  const sent = callsOf(calls, "evaluate_session").at(-1)?.content as SessionForm;
  expect(sent.vitals[0]?.systolic).toBe("150");
  expect(sent.vitals).toHaveLength(4);

  // Esc puts back what the cell held.
  await user.keyboard("9");
  expect(input("session-vitals-1-systolic").value).toBe("9");
  await user.keyboard("{Escape}");
  expect(input("session-vitals-1-systolic").value).toBe("");
});

test("a refused save shows the core's problems in the summary and under the vitals cell", async () => {
  const user = userEvent.setup();
  const { calls, onsaved } = setup({
    handlers: {
      create_record: () =>
        ipcError("Validation", "Check the session", [
          { field: "vitals.0.spo2", message: "SpO2 must be between 50 and 100" },
          {
            field: "spravato.remsEnrolled",
            message:
              "Spravato can be given only to a patient enrolled in the SPRAVATO REMS on or before the session date: no enrollment is recorded for this patient. Record the REMS patient enrollment on the patient's chart (REMS enrollment).",
          },
        ]),
    },
  });
  await screen.findByText("Session 3 of 12 (authorized 8)");
  await user.type(input("session-vitals-0-spo2"), "140");
  await user.click(byId("session-save"));

  const summary = await screen.findByRole("alert", { name: "There is a problem" });
  expect(summary).toHaveFocus();
  const link = within(summary).getByRole("link", { name: "SpO2 must be between 50 and 100" });
  expect(link).toHaveAttribute("href", "#session-vitals-0-spo2");
  const gate = within(summary).getByRole("link", { name: /enrolled in the SPRAVATO REMS/ });
  expect(gate).toHaveAttribute("href", "#session-spravato-remsEnrolled");
  expect(byId("session-spravato-remsEnrolled-error")).toHaveTextContent(
    /^Error: Spravato can be given only to a patient enrolled/,
  );
  await user.click(gate);
  expect(byId("session-spravato-remsEnrolled")).toHaveFocus();
  const cell = input("session-vitals-0-spo2");
  expect(cell).toHaveAttribute("aria-invalid", "true");
  expect(cell.value).toBe("140");
  expect(byId("session-vitals-0-spo2-error")).toHaveTextContent(
    "Error: SpO2 must be between 50 and 100",
  );
  expect(cell).toHaveAccessibleDescription(/SpO2 must be between 50 and 100/);
  expect(document.title).toMatch(/^Error: /);

  const sent = callsOf(calls, "create_record")[0];
  expect(sent).toMatchObject({ patientId: 7, content: { kind: "session", courseId: 5 } });
  expect((sent?.content as SessionForm).vitals[0]?.spo2).toBe("140");
  expect(onsaved).not.toHaveBeenCalled();

  await user.click(link);
  expect(cell).toHaveFocus();
});

test("a patient not enrolled in the REMS: the line says so and links to the chart's enrollment", async () => {
  const user = userEvent.setup();
  // The chart's enrollment panel, as the patient record mounts it around the flowsheet.
  const panel = document.createElement("h2");
  panel.id = "rems-enrollment-title";
  panel.tabIndex = -1;
  panel.textContent = "Spravato REMS patient enrollment";
  document.body.append(panel);
  try {
    setup({ handlers: { rems_enrollment: () => remsEnrollmentView() } });
    await waitFor(() =>
      expect(byId("session-spravato-remsEnrolled")).toHaveTextContent(
        "REMS patient enrollment: Not enrolled",
      ),
    );
    const link = screen.getByRole("link", {
      name: "Record it under REMS enrollment on the chart",
    });
    expect(link).toHaveAttribute("href", "#rems-enrollment");
    await user.click(link);
    expect(panel).toHaveFocus();
  } finally {
    panel.remove();
  }
});

test("the hold prompt lists the core's reasons and Add recheck adds a recheck row", async () => {
  const user = userEvent.setup();
  const { calls } = setup({
    evaluate: () =>
      evaluation({
        holdReasons: ["Pre-dose BP 172/96 is at or above the clinic's hold threshold of 160/100"],
      }),
  });
  const hold = await screen.findByRole("alert");
  expect(hold).toHaveTextContent("Dosing is on hold");
  expect(hold).toHaveTextContent("Pre-dose BP 172/96 is at or above");
  expect(byId("session-holdOverride-reason")).toBeVisible();
  expect(
    screen.getByText("A provider must enter this; it is recorded with their name"),
  ).toBeVisible();

  await user.click(within(hold).getByRole("button", { name: "Add recheck" }));
  const rows = within(byId("session-vitals")).getAllByRole("rowheader");
  expect(rows.at(-1)).toHaveTextContent("Recheck");
  expect(input("session-vitals-4-time")).toHaveFocus();
  await waitFor(() => {
    const last = callsOf(calls, "evaluate_session").at(-1)?.content as SessionForm;
    expect(last.vitals.at(-1)).toEqual({
      timepoint: "recheck",
      time: null,
      systolic: null,
      diastolic: null,
      heartRate: null,
      spo2: null,
      respiratoryRate: null,
      moaas: null,
    });
  });
});

test("a resolved hold says how, without the alert", async () => {
  setup({
    evaluate: () =>
      evaluation({
        holdReasons: ["Pre-dose heart rate 118 is at or above the hold threshold of 110"],
        holdResolution: "Recheck below the hold thresholds",
      }),
  });
  expect(await screen.findByText(/Hold resolved: Recheck below the hold thresholds/)).toBeVisible();
  expect(screen.queryByRole("alert")).toBeNull();
});

test("Before signing lists what the core still needs, each linked to its field", async () => {
  const user = userEvent.setup();
  setup({
    evaluate: () =>
      evaluation({
        missing: [
          {
            field: "spravato.readyToLeaveMinutes",
            message: "When the patient would have been ready to leave",
          },
          { field: "spravato.sedation", message: "Sedation (yes/no)" },
          { field: "discharge.time", message: "Discharge time" },
        ],
      }),
  });
  const list = await screen.findByRole("list", { name: "Still needed before signing" });
  const links = within(list).getAllByRole("link");
  expect(links.map((a) => a.textContent)).toEqual([
    "When the patient would have been ready to leave",
    "Sedation (yes/no)",
    "Discharge time",
  ]);
  expect(links.map((a) => a.getAttribute("href"))).toEqual([
    "#session-spravato-readyToLeaveMinutes",
    "#session-spravato-sedation-yes",
    "#session-discharge-time",
  ]);
  expect(byId("session-missing")).toHaveTextContent("3 things are still needed");
  await user.click(links[2] as HTMLElement);
  expect(input("session-discharge-time")).toHaveFocus();
});

test("the monitoring clock shows the core's start and earliest discharge", async () => {
  const today = new Date();
  const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
  setup({
    draft: spravatoDraft({ date: iso }),
    evaluate: () => evaluation({ monitoringStart: "00:00", earliestDischarge: "02:00" }),
  });
  expect(await screen.findByText("02:00")).toBeVisible();
  expect(byId("session-earliest-discharge")).toHaveTextContent("Discharge not before 02:00");
  expect(screen.getByRole("timer")).toHaveTextContent(/^\s*\d+:\d{2}:\d{2}\s*$/);
});

test("a nurse saves but is not offered Sign; the save is a create, then an update", async () => {
  const user = userEvent.setup();
  const created = storedRecord({ kind: "session", ...spravatoDraft() }, { id: 90, version: 1 });
  const { calls, onsaved } = setup({
    handlers: {
      create_record: () => created,
      update_record: () => ({ ...created, version: 2 }),
    },
  });
  await screen.findByText("Session 3 of 12 (authorized 8)");
  expect(document.getElementById("session-sign")).toBeNull();
  await user.type(input("session-spravato-lot"), "B");
  await user.click(byId("session-save"));
  await waitFor(() => expect(onsaved).toHaveBeenCalledWith(created));
  expect(await screen.findByText(/Saved at/)).toBeVisible();
  await user.type(input("session-note"), "Tolerated well");
  await user.click(byId("session-save"));
  await waitFor(() => expect(callsOf(calls, "update_record")).toHaveLength(1));
  expect(callsOf(calls, "update_record")[0]).toMatchObject({
    id: 90,
    version: 1,
    content: { kind: "session", note: "Tolerated well" },
  });
});

test("IV ketamine: the core's arithmetic, a questioned weight and a dose above the hard stop", async () => {
  const user = userEvent.setup();
  const weightProblem =
    "180 kg is 100% more than the last weight (90 kg on 02-Mar-2026). Otherwise weigh again, or tick 'Weight checked' to keep it.";
  const calls = mockCommands({
    new_session_draft: () => ketamineDraft(),
    evaluate_session: (args) => {
      const s = args.content as SessionForm;
      const heavy = s.weight?.value === "180";
      return evaluation(
        {
          modality: "iv_ketamine",
          weightKg: heavy ? 180 : null,
          weightNeedsConfirmation: heavy,
          doseArithmetic: heavy ? "1.6 mg/kg × 180 kg = 288 mg" : null,
          doseLevel: s.ketamine?.mgPerKg === "1.6" ? "above_stop" : "within",
          volumeArithmetic: heavy ? "288 mg ÷ 10 mg/mL = 28.8 mL" : null,
          rateArithmetic: heavy ? "(28.8 mL + 100 mL) ÷ 40 min × 60 = 193.2 mL/h" : null,
        },
        heavy && !s.weight?.confirmed ? [{ field: "weight.value", message: weightProblem }] : [],
      );
    },
  });
  render(SessionFlowsheet, {
    patient: dana,
    course: ketamineCourse(),
    options: treatmentOptions(),
    formKey: "session-new-6",
    canEdit: true,
    canSign: true,
    onsaved: vi.fn(),
    onclose: vi.fn(),
  });
  const weight = (await screen.findByLabelText("Weight, in kg")) as HTMLInputElement;
  expect(weight.id).toBe("session-weight-value");
  expect(input("session-weight-unit-kg")).toBeChecked();
  byId("session-weight-unit-lb");
  for (const id of [
    "session-ketamine-mgPerKg",
    "session-ketamine-concentrationMgPerMl",
    "session-ketamine-diluentMl",
    "session-ketamine-infusionMinutes",
    "session-ketamine-lot",
    "session-ketamine-expiry",
    "session-ketamine-ndc",
    "session-ketamine-startTime",
    "session-ketamine-stopTime",
  ]) {
    byId(id);
  }
  const calc = await waitFor(() => byId("session-dose-calculation"));
  expect(calc).toHaveTextContent("Dose calculation");
  expect(calc).toHaveTextContent("Enter the weight and mg/kg");
  expect(document.getElementById("session-weight-confirmed")).toBeNull();
  expect(document.getElementById("session-ketamine-limitOverride-reason")).toBeNull();

  await user.type(weight, "180");
  const mgPerKg = input("session-ketamine-mgPerKg");
  await user.clear(mgPerKg);
  await user.type(mgPerKg, "1.6");
  // The weight's problem shows once the field has been left, with the box it asks for.
  await waitFor(() =>
    expect(byId("session-weight-value-error")).toHaveTextContent(`Error: ${weightProblem}`),
  );
  expect(byId("session-weight-confirmed")).not.toBeChecked();
  await waitFor(() => expect(calc).toHaveTextContent("Above the hard stop"));
  expect(calc).toHaveTextContent("1.6 mg/kg × 180 kg = 288 mg");
  expect(calc).toHaveTextContent("288 mg ÷ 10 mg/mL = 28.8 mL");
  expect(calc).toHaveTextContent("(28.8 mL + 100 mL) ÷ 40 min × 60 = 193.2 mL/h");
  expect(byId("session-ketamine-limitOverride-reason")).toHaveAccessibleDescription(
    "A provider must enter this; it is recorded with their name",
  );

  await user.click(byId("session-weight-confirmed"));
  await waitFor(() => expect(document.getElementById("session-weight-value-error")).toBeNull());
  const last = callsOf(calls, "evaluate_session").at(-1)?.content as SessionForm;
  expect(last.weight).toMatchObject({ value: "180", unit: "kg", confirmed: true });
});

test("the core's refusal of an early discharge shows once the time has been entered and left", async () => {
  const user = userEvent.setup();
  const refusal =
    "Discharge at 10:30 is 56 minutes after the first device (09:34); Spravato needs at least 120 minutes of observation — not before 11:34";
  const { calls } = setup({
    evaluate: (s) =>
      evaluation(
        { monitoringStart: "09:34", earliestDischarge: "11:34" },
        s.discharge.time === "10:30" ? [{ field: "discharge.time", message: refusal }] : [],
      ),
  });
  const time = (await screen.findByLabelText("Discharge time")) as HTMLInputElement;
  await waitFor(() =>
    expect(byId("session-discharge-time-hint")).toHaveTextContent("not before 11:34"),
  );
  await user.type(time, "10:30");
  // Not while typing, even once the core has answered …
  await waitFor(() =>
    expect(
      callsOf(calls, "evaluate_session").some(
        (c) => (c.content as SessionForm).discharge.time === "10:30",
      ),
    ).toBe(true),
  );
  await new Promise((done) => setTimeout(done, 50));
  expect(document.getElementById("session-discharge-time-error")).toBeNull();
  // … but as soon as the field is left.
  await user.tab();
  await waitFor(() =>
    expect(byId("session-discharge-time-error")).toHaveTextContent(`Error: ${refusal}`),
  );
  expect(time).toHaveAttribute("aria-invalid", "true");
});

test("a TMS session shows the delivery fields and no discharge", async () => {
  mockCommands({
    new_session_draft: () =>
      spravatoDraft({
        spravato: null,
        tms: {
          mtDetermination: "initial",
          motorThresholdPercent: null,
          coilLocation: "Left DLPFC",
          intensityPercentMt: "120",
          protocol: "hz10",
          frequencyHz: "10",
          trains: "75",
          pulsesPerTrain: "40",
          totalPulses: null,
          startTime: null,
          stopTime: null,
        },
        vitals: spravatoDraft().vitals.slice(0, 1),
      }),
    evaluate_session: () => evaluation({ modality: "tms" }),
  });
  render(SessionFlowsheet, {
    patient: dana,
    course: courseView({
      record: storedRecord({
        kind: "course",
        ...courseContent({ modality: "tms", protocolId: "tms_standard" }),
      }),
      title: "TMS course",
    }),
    options: treatmentOptions(),
    formKey: "session-new-5",
    canEdit: true,
    onsaved: vi.fn(),
    onclose: vi.fn(),
  });
  expect(await screen.findByRole("heading", { name: "TMS delivery" })).toBeVisible();
  expect(input("session-tms-mtDetermination-initial")).toBeChecked();
  expect(input("session-tms-motorThresholdPercent")).toBeVisible();
  expect((byId("session-tms-protocol") as HTMLSelectElement).value).toBe("hz10");
  expect(input("session-tms-totalPulses")).toHaveAttribute("placeholder", "computed");
  for (const id of ["session-tms-coilLocation", "session-tms-startTime", "session-tms-stopTime"]) {
    byId(id);
  }
  expect(within(byId("session-vitals")).getAllByRole("rowheader")[0]).toHaveTextContent(
    "Pre-session",
  );
  expect(document.getElementById("session-discharge-time")).toBeNull();
  expect(document.getElementById("session-monitoring")).toBeNull();
});

test("the first-session gate names the missing consents above the flowsheet and links to them", async () => {
  const user = userEvent.setup();
  setup({
    handlers: {
      create_record: () =>
        ipcError("Validation", "Check the session", [
          {
            field: "consents",
            message:
              "Before the first session of this course, the patient must sign: Spravato (esketamine) treatment consent. Open Consents on the patient's chart.",
          },
        ]),
    },
  });
  await screen.findByText("Session 3 of 12 (authorized 8)");
  await user.click(byId("session-save"));
  const summary = await screen.findByRole("alert", { name: "There is a problem" });
  const gate = within(summary).getByRole("link", { name: /must sign: Spravato/ });
  expect(gate).toHaveAttribute("href", "#session-consents");
  expect(byId("session-consents")).toHaveTextContent(
    /Error: Before the first session of this course, the patient must sign/,
  );
  await user.click(gate);
  expect(byId("session-consents")).toHaveFocus();
  expect(byId("session-consents-link")).toHaveAttribute("href", "#chart-consents");
});
