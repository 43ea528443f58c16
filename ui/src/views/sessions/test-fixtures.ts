// Test fixtures for courses and sessions, as the core sends them (only imported by tests).
import type {
  CourseForm,
  CourseView,
  RecordView,
  SessionEvaluation,
  SessionFactsView,
  SessionForm,
  TreatmentOptions,
} from "../../lib/bindings";

export function treatmentOptions(overrides: Partial<TreatmentOptions> = {}): TreatmentOptions {
  const tp = (id: string, label: string, minutes: number | null) => ({ id, label, minutes });
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
        verified: false,
      },
      {
        id: "spravato_trd",
        modality: "spravato",
        indication: "trd",
        label: "Spravato TRD: weeks 1-4 twice weekly, weeks 5-8 weekly",
        phases: [
          { label: "Induction", weeks: 4, perWeek: 2, everyWeeks: 1 },
          { label: "Optimisation", weeks: 4, perWeek: 1, everyWeeks: 1 },
        ],
        verified: true,
      },
      {
        id: "spravato_mdsi",
        modality: "spravato",
        indication: "mdsi",
        label: "Spravato MDSI: 84 mg twice weekly for 4 weeks",
        phases: [{ label: "Treatment", weeks: 4, perWeek: 2, everyWeeks: 1 }],
        verified: true,
      },
    ],
    timepoints: [
      {
        modality: "spravato",
        timepoints: [
          tp("pre", "Pre-dose", null),
          tp("m40", "40 min", 40),
          tp("m90", "90 min", 90),
          tp("discharge", "Pre-discharge", null),
        ],
      },
      {
        modality: "iv_ketamine",
        timepoints: [tp("pre", "Pre-dose", null), tp("m40", "40 min", 40)],
      },
      { modality: "tms", timepoints: [tp("pre", "Pre-session", null)] },
    ],
    dischargeCriteria: [
      { id: "mental_status", label: "Back to baseline mental status" },
      { id: "escort", label: "Leaving with a responsible adult" },
    ],
    adverseEvents: [
      { id: "dissociation", label: "Dissociation" },
      { id: "nausea_vomiting", label: "Nausea or vomiting" },
      { id: "other", label: "Other" },
    ],
    spravatoDosesMg: [56, 84],
    observationMinutes: 120,
    warnAboveMgPerKg: 1,
    stopAboveMgPerKg: 1.5,
    limitsVerified: false,
    ...overrides,
  };
}

export function courseContent(overrides: Partial<CourseForm> = {}): CourseForm {
  return {
    modality: "spravato",
    indication: "trd",
    protocolId: "spravato_trd",
    phases: [
      { label: "Induction", weeks: 4, perWeek: 2, everyWeeks: 1 },
      { label: "Optimisation", weeks: 4, perWeek: 1, everyWeeks: 1 },
    ],
    startDate: "2026-03-02",
    status: "active",
    statusReason: null,
    endDate: null,
    authorizedUnits: "8",
    authorizationNumber: "PA-55102",
    note: null,
    ...overrides,
  };
}

export function storedRecord(
  content: RecordView["content"],
  overrides: Partial<RecordView> = {},
): RecordView {
  return {
    id: 5,
    version: 1,
    content,
    createdAt: "2026-03-02T10:00:00Z",
    createdBy: "j.reyes",
    updatedAt: "2026-03-02T10:00:00Z",
    signature: null,
    addenda: [],
    signable: content.kind === "session",
    notes: [],
    title: content.kind === "course" ? "Spravato (esketamine) course" : "Spravato session",
    ...overrides,
  };
}

export function courseView(overrides: Partial<CourseView> = {}): CourseView {
  return {
    record: storedRecord({ kind: "course", ...courseContent() }),
    title: "Spravato (esketamine) course",
    sessions: 2,
    signed: 1,
    plannedTotal: 12,
    authorized: 8,
    authorization: {
      requestId: 4,
      authNumber: "AUTH-4471",
      sessions: 8,
      start: "2026-03-01",
      end: "2026-08-31",
      used: 2,
    },
    unbaselined: [],
    plan: [
      { number: 1, phase: "Induction", week: 1, target: "2026-03-02", openEnded: false },
      { number: 2, phase: "Induction", week: 1, target: "2026-03-05", openEnded: false },
      { number: 3, phase: "Induction", week: 2, target: "2026-03-09", openEnded: false },
      { number: 4, phase: "Induction", week: 2, target: "2026-03-12", openEnded: false },
    ],
    ...overrides,
  };
}

function row(timepoint: string) {
  return {
    timepoint,
    time: null,
    systolic: null,
    diastolic: null,
    heartRate: null,
    spo2: null,
    respiratoryRate: null,
    moaas: null,
  };
}

/** A new Spravato session as newSessionDraft returns it. */
export function spravatoDraft(overrides: Partial<SessionForm> = {}): SessionForm {
  return {
    courseId: 5,
    date: "2026-03-09",
    weight: null,
    ketamine: null,
    spravato: {
      remsEnrolled: true,
      concomitant: {
        benzodiazepines: false,
        nonBenzodiazepineHypnotics: false,
        psychostimulants: false,
        maois: false,
        opioids: null,
      },
      doseMg: 56,
      deviceTimes: [],
      lot: "24K117A",
      expiry: "2027-01-31",
      readyToLeaveMinutes: null,
      vitalsAcceptableBefore: null,
      vitalsAcceptableAtEnd: null,
      sedation: null,
      dissociation: null,
      respiratoryDepression: null,
    },
    tms: null,
    vitals: ["pre", "m40", "m90", "discharge"].map(row),
    holdOverride: null,
    adverseEvents: [],
    discharge: { criteria: [], time: null, escortName: null, note: null },
    billing: [],
    note: null,
    ...overrides,
  };
}

export function sessionFacts(overrides: Partial<SessionFactsView> = {}): SessionFactsView {
  return {
    modality: "spravato",
    sessionNumber: 3,
    plannedTotal: 12,
    authorizedUnits: 8,
    weightKg: null,
    weightArithmetic: null,
    doseMg: 56,
    doseArithmetic: "2 devices × 28 mg = 56 mg",
    doseLevel: "within",
    volumeMl: null,
    volumeArithmetic: null,
    rateMlPerHour: null,
    rateArithmetic: null,
    infusionMinutes: null,
    vitalsFlags: [],
    holdReasons: [],
    holdResolution: null,
    monitoringStart: null,
    earliestDischarge: null,
    monitoringMinutes: null,
    warnings: [],
    missing: [],
    suggestedBilling: [],
    billingNotes: [],
    firstSpravatoSession: false,
    devicesNeeded: 2,
    weightNeedsConfirmation: false,
    ...overrides,
  };
}

export function evaluation(
  facts: Partial<SessionFactsView> = {},
  problems: SessionEvaluation["problems"] = [],
): SessionEvaluation {
  return { facts: sessionFacts(facts), problems };
}

/** A new IV ketamine session as newSessionDraft returns it. */
export function ketamineDraft(overrides: Partial<SessionForm> = {}): SessionForm {
  return {
    ...spravatoDraft(),
    courseId: 6,
    weight: { value: "", unit: "kg", kg: null, confirmed: false },
    spravato: null,
    ketamine: {
      mgPerKg: "0.5",
      concentrationMgPerMl: "10",
      diluentMl: "100",
      infusionMinutes: "40",
      lot: null,
      expiry: null,
      ndc: null,
      startTime: null,
      stopTime: null,
      limitOverride: null,
    },
    vitals: ["pre", "m40"].map(row),
    ...overrides,
  };
}

export function ketamineCourse(): CourseView {
  return courseView({
    record: storedRecord(
      {
        kind: "course",
        ...courseContent({ modality: "iv_ketamine", protocolId: "iv_ketamine_induction" }),
      },
      { id: 6, title: "IV ketamine course" },
    ),
    title: "IV ketamine course",
  });
}
