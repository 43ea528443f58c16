// Test fixtures for the chart sections around the trials: records as the core sends them
// (coverage, diagnoses, episodes, psychotherapy, other treatments), payers and timeline spans.
import type {
  CoverageForm,
  DiagnosisForm,
  DiagnosisOption,
  EpisodeForm,
  OtherTreatmentForm,
  PayerView,
  PsychotherapyForm,
  RecordContent,
  RecordView,
  TimelineSpan,
} from "../lib/bindings";

/** A stored chart record of a kind that is not signed. */
export function chartRecord(
  content: RecordContent,
  overrides: Partial<RecordView> = {},
): RecordView {
  return {
    id: 20,
    version: 1,
    content,
    createdAt: "2026-03-02T10:00:00Z",
    createdBy: "j.reyes",
    updatedAt: "2026-03-02T10:00:00Z",
    signature: null,
    addenda: [],
    signable: false,
    notes: [],
    title: content.kind,
    ...overrides,
  };
}

export function coverage(overrides: Partial<CoverageForm> = {}): RecordContent {
  return {
    kind: "coverage",
    payerId: 1,
    planName: "Choice POS II",
    memberId: "W123456789",
    groupNumber: "0099812",
    relationship: "self",
    subscriberName: null,
    benefit: "medical",
    priority: "primary",
    effectiveFrom: "2026-01-01",
    effectiveTo: null,
    paPhone: null,
    paFax: null,
    ...overrides,
  };
}

export function diagnosis(overrides: Partial<DiagnosisForm> = {}): RecordContent {
  return {
    kind: "diagnosis",
    code: "F33.2",
    onset: "2019",
    status: "active",
    primary: true,
    note: null,
    ...overrides,
  };
}

export function episode(overrides: Partial<EpisodeForm> = {}): RecordContent {
  return {
    kind: "episode",
    onset: "2025-06",
    end: null,
    current: true,
    course: "recurrent",
    severity: "severe",
    psychoticFeatures: false,
    confirmedBy: "structured_interview",
    instrument: "SCID-5-CV",
    confirmingClinician: "Dr Amara Okafor",
    confirmedOn: "2025-07-14",
    note: null,
    ...overrides,
  };
}

export function psychotherapy(overrides: Partial<PsychotherapyForm> = {}): RecordContent {
  return {
    kind: "psychotherapy",
    modality: "cbt",
    modalityOther: null,
    start: "2024-09",
    end: "2025-03",
    ongoing: false,
    sessions: "16",
    therapist: "Lakeside Counselling",
    outcome: "partial_response",
    currentEpisode: true,
    sourceNote: null,
    ...overrides,
  };
}

export function otherTreatment(overrides: Partial<OtherTreatmentForm> = {}): RecordContent {
  return {
    kind: "other_treatment",
    treatment: "ect",
    status: "declined",
    reason: "Worried about memory effects",
    start: null,
    end: null,
    sessions: null,
    response: null,
    currentEpisode: true,
    note: null,
    ...overrides,
  };
}

export function payer(overrides: Partial<PayerView> = {}): PayerView {
  return {
    id: 1,
    version: 1,
    name: "Aetna",
    payerType: "commercial",
    payerTypeLabel: "Commercial",
    paPhone: "800 555 0134",
    paFax: null,
    active: true,
    ...overrides,
  };
}

export function diagnosisOption(overrides: Partial<DiagnosisOption> = {}): DiagnosisOption {
  return {
    code: "F33.2",
    title: "Major depressive disorder, recurrent, severe without psychotic features",
    paNote: null,
    verified: true,
    ...overrides,
  };
}

export function timelineSpan(overrides: Partial<TimelineSpan> = {}): TimelineSpan {
  return {
    lane: "medication",
    label: "sertraline",
    start: "2024-10-01",
    startDisplay: "01-Oct-2024",
    startEarliest: "2024-10-01",
    end: "2024-12-20",
    endDisplay: "20-Dec-2024",
    endLatest: "2024-12-20",
    ongoing: false,
    ...overrides,
  };
}
