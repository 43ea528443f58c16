import { clearMocks } from "@tauri-apps/api/mocks";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import type {
  Permissions,
  SessionInfo,
  TsHoldThreshold,
  TsSettings,
  TsSettingsView,
} from "../../lib/bindings";
import Shell from "../../screens/Shell.svelte";
import { callsOf, ipcError, mockCommands } from "../../test/ipc";
import TreatmentSettingsView from "./TreatmentSettingsView.svelte";
import { preloadLazyViews } from "../../test/lazy";

// The shell loads these views on demand; load them once up front.
beforeAll(preloadLazyViews, 60_000);

afterEach(() => clearMocks());

function hold(systolic: number | null, verified = false): TsHoldThreshold {
  return {
    systolic,
    diastolic: systolic === null ? null : 90,
    heartRate: systolic === null ? null : 110,
    sources: systolic === null ? ["KC1"] : ["S15g"],
    verified,
  };
}

function settings(): TsSettings {
  const ketamine = [
    { id: "pre", label: "Pre-dose", minutes: null },
    { id: "m15", label: "15 min", minutes: 15 },
    { id: "m40", label: "40 min", minutes: 40 },
    { id: "discharge", label: "Pre-discharge", minutes: null },
  ];
  return {
    protocols: [
      {
        id: "iv_ketamine_induction",
        modality: "iv_ketamine",
        indication: "trd",
        label: "IV ketamine: induction 6 infusions over 2 weeks, then maintenance",
        phases: [
          { label: "Induction", weeks: 2, perWeek: 3, everyWeeks: 1 },
          { label: "Maintenance", weeks: null, perWeek: 1, everyWeeks: 4 },
        ],
        sources: ["S46c"],
        verified: false,
      },
      {
        id: "spravato_trd",
        modality: "spravato",
        indication: "trd",
        label: "Spravato TRD",
        phases: [{ label: "Induction (weeks 1-4)", weeks: 4, perWeek: 2, everyWeeks: 1 }],
        sources: ["S15c"],
        verified: true,
      },
    ],
    doseLimits: {
      warnAboveMgPerKg: 0.5,
      stopAboveMgPerKg: 1,
      sources: ["S46a", "S46b"],
      verified: false,
    },
    weight: { minKg: 30, maxKg: 300, questionChangePercent: 20, sources: ["KC1"], verified: false },
    timepoints: {
      ivKetamine: ketamine,
      imKetamine: ketamine,
      spravato: [
        { id: "pre", label: "Pre-dose", minutes: null },
        { id: "m40", label: "40 min", minutes: 40 },
        { id: "m90", label: "90 min", minutes: 90 },
        { id: "discharge", label: "Pre-discharge", minutes: null },
      ],
      tms: [{ id: "pre", label: "Pre-session", minutes: null }],
      sources: ["S15", "S46g"],
      verified: false,
    },
    alertRanges: {
      systolic: [90, 160],
      diastolic: [50, 100],
      heartRate: [50, 110],
      spo2: [94, 100],
      respiratoryRate: [10, 24],
      moaas: [4, 5],
      sources: ["S46a"],
      verified: false,
    },
    holdThresholds: {
      spravato: hold(140),
      ivKetamine: hold(180),
      imKetamine: hold(180),
      tms: hold(null),
    },
  };
}

function view(overrides: Partial<TsSettingsView> = {}): TsSettingsView {
  return {
    settings: settings(),
    changedBy: null,
    changedAt: null,
    defaults: settings(),
    ...overrides,
  };
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

function box(id: string): HTMLInputElement {
  const el = byId(id);
  if (!(el instanceof HTMLInputElement)) throw new Error(`#${id} is not an input`);
  return el;
}

async function opened(canEdit = true, data: TsSettingsView = view()) {
  const calls = mockCommands({
    get_treatment_settings: () => data,
    update_treatment_settings: (args) => ({
      ...data,
      settings: args["settings"],
      changedBy: "a.okafor",
      changedAt: "2026-03-03T14:05:00Z",
    }),
  });
  render(TreatmentSettingsView, { canEdit });
  await waitFor(() => byId("ts-doseLimits-warnAboveMgPerKg"));
  return calls;
}

test("shows every section with the values in force, labelled boxes and the reference defaults line", async () => {
  await opened();
  expect(screen.getByRole("heading", { level: 1, name: "Treatment settings" })).toHaveFocus();
  expect(document.title).toBe("Treatment settings – KetaChart");
  expect(screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent?.trim())).toEqual([
    "Dose limits",
    "Weight check",
    "Pre-dose hold thresholds",
    "Vitals alert ranges",
    "Vitals timepoints",
    "Protocol templates",
  ]);
  expect(byId("ts-changed")).toHaveTextContent(
    "Reference defaults: no provider has changed these settings yet.",
  );

  expect(screen.getByLabelText("Warning above, in mg/kg")).toBe(
    box("ts-doseLimits-warnAboveMgPerKg"),
  );
  expect(box("ts-doseLimits-warnAboveMgPerKg")).toHaveValue("0.5");
  expect(box("ts-doseLimits-warnAboveMgPerKg")).toHaveAttribute("type", "text");
  expect(box("ts-doseLimits-warnAboveMgPerKg")).toHaveAttribute("inputmode", "decimal");
  expect(box("ts-doseLimits-stopAboveMgPerKg")).toHaveValue("1");
  expect(box("ts-weight-questionChangePercent")).toHaveValue("20");
  expect(box("ts-holdThresholds-spravato-systolic")).toHaveValue("140");
  // Not checked: an empty box.
  expect(box("ts-holdThresholds-tms-systolic")).toHaveValue("");
  expect(box("ts-alertRanges-systolic-0")).toHaveValue("90");
  expect(box("ts-alertRanges-systolic-1")).toHaveValue("160");
  expect(byId("ts-alertRanges-moaas")).toHaveTextContent("4 to 5");
  expect(box("ts-protocols-0-phases-1-weeks")).toHaveValue("");
  expect(box("ts-protocols-0-phases-0-perWeek")).toHaveValue("3");

  // Every box has a label (its accessible name).
  for (const input of document.querySelectorAll("form input")) {
    expect(input.id, "an id").not.toBe("");
    expect(document.querySelector(`label[for="${input.id}"]`), input.id).not.toBeNull();
  }

  // Timepoints: pre-dose first and pre-discharge last are fixed; the timed ones are editable.
  const spravato = byId("ts-timepoints-spravato");
  expect(within(spravato).getByText("Pre-dose")).toBeInTheDocument();
  expect(within(spravato).getByText("Pre-discharge")).toBeInTheDocument();
  expect(box("ts-timepoints-spravato-1-label")).toHaveValue("40 min");
  expect(box("ts-timepoints-spravato-1-minutes")).toHaveValue("40");
  expect(document.getElementById("ts-timepoints-spravato-0-label")).toBeNull();
  expect(document.getElementById("ts-timepoints-spravato-3-label")).toBeNull();
});

test("unverified parts say they require clinical review, with their sources", async () => {
  await opened();
  const dose = byId("ts-dose-title").closest("section") as HTMLElement;
  expect(within(dose).getByText("Requires clinical review")).toHaveClass("tag");
  expect(within(dose).getByText("Source S46a")).toHaveClass("tag");
  expect(within(dose).getByText("Source S46b")).toHaveClass("tag");
  // A verified protocol has no review tag; the unverified one has.
  expect(within(byId("ts-protocols-1")).queryByText("Requires clinical review")).toBeNull();
  expect(within(byId("ts-protocols-0")).getByText("Requires clinical review")).toBeInTheDocument();
  expect(within(byId("ts-protocols-0")).getByText("Source S46c")).toBeInTheDocument();
  expect(within(byId("ts-holdThresholds-tms")).getByText("Source KC1")).toBeInTheDocument();
});

test("says who changed the settings last and when", async () => {
  await opened(true, view({ changedBy: "a.okafor", changedAt: "2026-03-03T14:05:00Z" }));
  expect(byId("ts-changed")).toHaveTextContent(
    /^Last changed by a\.okafor on 03-Mar-2026 \d\d:\d\d/,
  );
});

test("saving sends the whole document with the numbers as numbers", async () => {
  const user = userEvent.setup();
  const calls = await opened();
  await user.clear(box("ts-doseLimits-warnAboveMgPerKg"));
  await user.type(box("ts-doseLimits-warnAboveMgPerKg"), "0.6 mg/kg");
  await user.clear(box("ts-holdThresholds-spravato-systolic"));
  await user.clear(box("ts-protocols-0-phases-0-weeks"));
  await user.type(box("ts-protocols-0-phases-0-weeks"), "3");
  await user.click(screen.getByRole("button", { name: "Save treatment settings" }));

  await waitFor(() => expect(callsOf(calls, "update_treatment_settings")).toHaveLength(1));
  const sent = callsOf(calls, "update_treatment_settings")[0]?.["settings"] as TsSettings;
  const expected = settings();
  expected.doseLimits.warnAboveMgPerKg = 0.6;
  expected.holdThresholds.spravato.systolic = null;
  (expected.protocols[0]?.phases[0] ?? { weeks: 0 }).weeks = 3;
  expect(sent).toEqual(expected);

  const banner = await waitFor(() => byId("ts-success"));
  expect(banner).toHaveTextContent("Treatment settings saved.");
  expect(byId("ts-changed")).toHaveTextContent(/^Last changed by a\.okafor on 03-Mar-2026/);
  expect(box("ts-doseLimits-warnAboveMgPerKg")).toHaveValue("0.6");
});

test("the core's field errors show inline and in the summary, and keep what was typed", async () => {
  const user = userEvent.setup();
  const calls = mockCommands({
    get_treatment_settings: () => view(),
    update_treatment_settings: () =>
      ipcError("Validation", "There are 4 problems", [
        {
          field: "doseLimits.stopAboveMgPerKg",
          message: "The hard stop must be above the warning limit and at most 3 mg/kg",
        },
        {
          field: "timepoints.spravato",
          message: "Timed readings must be in increasing minutes, at most 480",
        },
        { field: "holdThresholds.spravato.systolic", message: "Enter a value between 50 and 260" },
        {
          field: "protocols.0.phases.0",
          message: "A phase needs a name, 1–7 sessions a week, every 1–12 weeks",
        },
      ]),
  });
  render(TreatmentSettingsView, { canEdit: true });
  await waitFor(() => byId("ts-doseLimits-stopAboveMgPerKg"));
  await user.clear(box("ts-doseLimits-stopAboveMgPerKg"));
  await user.type(box("ts-doseLimits-stopAboveMgPerKg"), "0.4");
  await user.click(screen.getByRole("button", { name: "Save treatment settings" }));

  const summary = await waitFor(() => byId("error-summary"));
  expect(summary).toHaveFocus();
  expect(within(summary).getByText("There is a problem")).toBeInTheDocument();
  expect(callsOf(calls, "update_treatment_settings")).toHaveLength(1);
  expect(document.title).toBe("Error: Treatment settings – KetaChart");

  // Inline, with the same words, the box marked and described by its message.
  expect(byId("ts-doseLimits-stopAboveMgPerKg-error")).toHaveTextContent(
    "Error: The hard stop must be above the warning limit and at most 3 mg/kg",
  );
  expect(box("ts-doseLimits-stopAboveMgPerKg")).toHaveAttribute("aria-invalid", "true");
  expect(box("ts-doseLimits-stopAboveMgPerKg")).toHaveAccessibleDescription(
    /The hard stop must be above the warning limit/,
  );
  expect(box("ts-doseLimits-stopAboveMgPerKg")).toHaveValue("0.4");
  expect(byId("ts-holdThresholds-spravato-systolic-error")).toHaveTextContent(
    "Enter a value between 50 and 260",
  );
  expect(byId("ts-timepoints-spravato-error")).toHaveTextContent("Timed readings must be");
  expect(byId("ts-protocols-0-phases-0-error")).toHaveTextContent("A phase needs a name");

  // Each summary link goes to its box (a list's first editable reading, a phase's name).
  const links = within(summary).getAllByRole("link");
  expect(links.map((a) => a.getAttribute("href"))).toEqual([
    "#ts-doseLimits-stopAboveMgPerKg",
    "#ts-timepoints-spravato-1-label",
    "#ts-holdThresholds-spravato-systolic",
    "#ts-protocols-0-phases-0-label",
  ]);
  await user.click(links[1] as HTMLElement);
  expect(box("ts-timepoints-spravato-1-label")).toHaveFocus();
});

test("a box that does not hold a number is reported without calling the core", async () => {
  const user = userEvent.setup();
  const calls = await opened();
  await user.clear(box("ts-alertRanges-heartRate-1"));
  await user.type(box("ts-alertRanges-heartRate-1"), "lots");
  await user.clear(box("ts-doseLimits-warnAboveMgPerKg"));
  await user.click(screen.getByRole("button", { name: "Save treatment settings" }));

  const summary = await waitFor(() => byId("error-summary"));
  expect(
    within(summary)
      .getAllByRole("link")
      .map((a) => a.textContent),
  ).toEqual([
    "The high end of the heart rate range must be a whole number, like 110",
    "Enter the warning limit",
  ]);
  expect(byId("ts-alertRanges-heartRate-1-error")).toHaveTextContent(
    "The high end of the heart rate range must be a whole number, like 110",
  );
  expect(callsOf(calls, "update_treatment_settings")).toHaveLength(0);
});

test("a reading added to a list is saved between the others and pre-discharge", async () => {
  const user = userEvent.setup();
  const calls = await opened();
  await user.click(screen.getByRole("button", { name: "Add a reading for esketamine (Spravato)" }));
  const label = box("ts-timepoints-spravato-3-label");
  expect(label).toHaveFocus();
  await user.type(label, "120 min");
  await user.type(box("ts-timepoints-spravato-3-minutes"), "120");
  // The fixed pre-discharge reading moved down and is still last.
  expect(byId("ts-timepoints-spravato-4")).toHaveTextContent("Pre-discharge");
  await user.click(screen.getByRole("button", { name: "Remove 40 min from IV ketamine" }));
  await user.click(screen.getByRole("button", { name: "Save treatment settings" }));

  await waitFor(() => expect(callsOf(calls, "update_treatment_settings")).toHaveLength(1));
  const sent = callsOf(calls, "update_treatment_settings")[0]?.["settings"] as TsSettings;
  expect(sent.timepoints.spravato.map((t) => [t.id, t.label, t.minutes])).toEqual([
    ["pre", "Pre-dose", null],
    ["m40", "40 min", 40],
    ["m90", "90 min", 90],
    ["m120", "120 min", 120],
    ["discharge", "Pre-discharge", null],
  ]);
  expect(sent.timepoints.ivKetamine.map((t) => t.id)).toEqual(["pre", "m15", "discharge"]);
  expect(sent.timepoints.imKetamine.map((t) => t.id)).toEqual(["pre", "m15", "m40", "discharge"]);
});

test("restore reference defaults fills the form; nothing is saved until Save", async () => {
  const user = userEvent.setup();
  const current = settings();
  current.doseLimits.warnAboveMgPerKg = 0.7;
  const calls = await opened(
    true,
    view({ settings: current, changedBy: "a.okafor", changedAt: "2026-03-03T14:05:00Z" }),
  );
  expect(box("ts-doseLimits-warnAboveMgPerKg")).toHaveValue("0.7");
  await user.click(screen.getByRole("button", { name: "Restore reference defaults" }));
  expect(box("ts-doseLimits-warnAboveMgPerKg")).toHaveValue("0.5");
  expect(byId("ts-restored")).toHaveTextContent("Nothing changes until you save.");
  expect(callsOf(calls, "update_treatment_settings")).toHaveLength(0);

  await user.click(screen.getByRole("button", { name: "Save treatment settings" }));
  await waitFor(() => expect(callsOf(calls, "update_treatment_settings")).toHaveLength(1));
  expect(callsOf(calls, "update_treatment_settings")[0]?.["settings"]).toEqual(settings());
});

test("users who are not providers read the settings without changing them", async () => {
  await opened(false);
  expect(byId("ts-read-only")).toHaveTextContent(
    "Only providers can change the treatment settings.",
  );
  expect(box("ts-doseLimits-warnAboveMgPerKg")).toHaveAttribute("readonly");
  expect(screen.queryByRole("button", { name: "Save treatment settings" })).toBeNull();
  expect(screen.queryByRole("button", { name: "Restore reference defaults" })).toBeNull();
  expect(screen.queryByRole("button", { name: /Add a reading/ })).toBeNull();
  expect(
    within(byId("ts-dose-title").closest("section") as HTMLElement).getByText(
      "Requires clinical review",
    ),
  ).toBeInTheDocument();
});

const ALL_OFF: Permissions = {
  editPatients: false,
  readClinical: false,
  editClinical: false,
  signClinical: false,
  editCoverage: false,
  managePayers: false,
  manageUsers: false,
  readAudit: false,
  manageBackups: false,
  restore: false,
  manageSettings: false,
  manageAuthorizations: false,
  managePayerRules: false,
  manageDocuments: false,
  submitForms: false,
};

function sessionWith(permissions: Partial<Permissions>): SessionInfo {
  return {
    clinicName: "Harbour Mind Clinic",
    user: { id: 4, username: "a.okafor", displayName: "Dr Amara Okafor", roles: ["provider"] },
    demo: false,
    permissions: { ...ALL_OFF, ...permissions },
    idleLockSeconds: 600,
  };
}

test("Treatment settings is offered with the clinical record, editable only by providers", async () => {
  const user = userEvent.setup();
  mockCommands({
    search_patients: () => ({ patients: [], more: false }),
    get_treatment_settings: () => view(),
  });
  // An administrator without the clinical record does not see it.
  const admin = render(Shell, {
    session: sessionWith({ editPatients: true, manageUsers: true, manageSettings: true }),
    onlocked: vi.fn(),
  });
  expect(document.getElementById("nav-treatmentSettings")).toBeNull();
  admin.unmount();

  // A nurse reads them.
  const nurse = render(Shell, {
    session: sessionWith({ editPatients: true, readClinical: true, editClinical: true }),
    onlocked: vi.fn(),
  });
  await user.click(screen.getByRole("button", { name: "Treatment settings" }));
  expect(screen.getByRole("heading", { level: 1, name: "Treatment settings" })).toHaveFocus();
  await waitFor(() => byId("ts-read-only"));
  nurse.unmount();

  // A provider can change them.
  render(Shell, {
    session: sessionWith({ readClinical: true, editClinical: true, signClinical: true }),
    onlocked: vi.fn(),
  });
  await user.click(screen.getByRole("button", { name: "Treatment settings" }));
  expect(await screen.findByRole("button", { name: "Save treatment settings" })).toBeVisible();
});
