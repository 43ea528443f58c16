// Test fixtures for the authorization tracker: requests, queue items, chart tasks and fees as the
// core sends them.
import type {
  ChartTaskView,
  CourseView,
  FeeView,
  PaRequestView,
  ProviderProfileDto,
  QueueItemView,
} from "../../../lib/bindings";

export function paRequest(overrides: Partial<PaRequestView> = {}): PaRequestView {
  return {
    id: 31,
    patientId: 7,
    kind: "initial",
    previousId: null,
    service: "spravato_trd",
    serviceLabel: "Spravato (esketamine) for treatment-resistant depression",
    ruleSetId: "cigna-spravato-trd",
    ruleSetVersion: "2025-01",
    payerId: 1,
    payerName: "Cigna",
    coverageRecordId: 21,
    courseRecordId: null,
    orderingProviderId: 1,
    orderingProviderName: "Dr Amara Okafor",
    expedited: false,
    status: "draft",
    statusLabel: "Draft",
    requestedLines: [{ code: "J0013", units: 224, ndc: "50458-0028-02" }],
    diagnosisCodes: ["F33.2"],
    requestedStart: "2026-03-27",
    requestedEnd: "2026-06-26",
    requestedSessions: 8,
    attestations: [],
    letter: null,
    overrideReason: null,
    overrideBy: null,
    overrideAt: null,
    submittedAt: null,
    submissionMethod: null,
    submissionReference: null,
    decidedAt: null,
    authNumber: null,
    approvedLines: [],
    approvedStart: null,
    approvedEnd: null,
    denialReason: null,
    appealLetter: null,
    appealedAt: null,
    version: 3,
    createdAt: "2026-03-02T10:00:00Z",
    createdByName: "Bea Biller",
    events: [
      { at: "2026-03-02T10:00:00Z", userName: "Bea Biller", from: null, to: "draft", note: null },
    ],
    units: [],
    warnings: [],
    ...overrides,
  };
}

/** An approved request with units partly used and a low-units warning. */
export function approvedRequest(overrides: Partial<PaRequestView> = {}): PaRequestView {
  return paRequest({
    id: 30,
    status: "approved",
    statusLabel: "Approved",
    requestedLines: [{ code: "G2082", units: 8, ndc: null }],
    submittedAt: "2026-01-05T09:30",
    submissionMethod: "fax",
    decidedAt: "2026-01-08T15:00",
    authNumber: "AUTH-7781",
    approvedLines: [{ code: "G2082", units: 8, ndc: null }],
    approvedStart: "2026-01-10",
    approvedEnd: "2026-04-09",
    units: [{ code: "G2082", approved: 8, used: 7, remaining: 1 }],
    warnings: [{ kind: "units_low", code: "G2082", message: "Only 1 unit of G2082 left" }],
    createdAt: "2026-01-02T10:00:00Z",
    events: [
      { at: "2026-01-02T10:00:00Z", userName: "Bea Biller", from: null, to: "draft", note: null },
      {
        at: "2026-01-04T10:00:00Z",
        userName: "Bea Biller",
        from: "draft",
        to: "ready",
        note: null,
      },
      {
        at: "2026-01-05T14:30:00Z",
        userName: "Bea Biller",
        from: "ready",
        to: "submitted",
        note: null,
      },
      {
        at: "2026-01-08T20:00:00Z",
        userName: "Bea Biller",
        from: "submitted",
        to: "approved",
        note: "Approved by phone",
      },
    ],
    ...overrides,
  });
}

export function provider(overrides: Partial<ProviderProfileDto> = {}): ProviderProfileDto {
  return {
    userId: 1,
    username: "a.okafor",
    displayName: "Dr Amara Okafor",
    givenName: "Amara",
    familyName: "Okafor",
    credentials: "MD",
    npi: "1234567893",
    phone: null,
    email: null,
    prescriber: true,
    specialty: "psychiatrist",
    ...overrides,
  };
}

export function course(overrides: Partial<CourseView> = {}): CourseView {
  return {
    record: {
      id: 50,
      version: 1,
      content: {
        kind: "course",
        modality: "spravato",
        indication: "trd",
        protocolId: null,
        phases: [],
        startDate: "2026-03-27",
        status: "active",
        statusReason: null,
        endDate: null,
        authorizedUnits: null,
        authorizationNumber: null,
        note: null,
      },
      createdAt: "2026-03-20T10:00:00Z",
      createdBy: "a.okafor",
      updatedAt: "2026-03-20T10:00:00Z",
      signature: null,
      addenda: [],
      signable: false,
      notes: [],
      title: "Spravato course from 27-Mar-2026",
    },
    title: "Spravato course from 27-Mar-2026",
    sessions: 0,
    signed: 0,
    plannedTotal: 0,
    authorized: null,
    authorization: null,
    plan: [],
    unbaselined: [],
    ...overrides,
  };
}

export function queueItem(overrides: Partial<QueueItemView> = {}): QueueItemView {
  return {
    requestId: 31,
    patientId: 7,
    patientName: "ROSSI, Dana",
    mrn: "KC-000007",
    payerName: "Harbour Medicare Advantage",
    payerType: "Medicare Advantage",
    service: "tms",
    serviceLabel: "Transcranial magnetic stimulation (TMS)",
    kind: "initial",
    status: "submitted",
    statusLabel: "Submitted",
    expedited: false,
    ageDays: 3,
    submittedAt: "2026-11-18T14:00",
    authNumber: null,
    approvedEnd: null,
    units: [],
    warnings: [],
    clock: null,
    reauthorizationStarted: false,
    ...overrides,
  };
}

export function chartTask(overrides: Partial<ChartTaskView> = {}): ChartTaskView {
  return {
    id: 61,
    requestId: 31,
    criterion: "baseline_score",
    text: "Record a PHQ-9 within 30 days before the date of service",
    createdAt: "2026-03-02T15:00:00Z",
    createdByName: "Bea Biller",
    doneAt: null,
    doneByName: null,
    doneNote: null,
    ...overrides,
  };
}

export function fee(overrides: Partial<FeeView> = {}): FeeView {
  return {
    code: "90868",
    description: "TMS treatment session",
    amount: "350.00",
    ...overrides,
  };
}
