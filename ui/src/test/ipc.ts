// Test helpers: answer Tauri commands by name (the Rust, snake_case name) and record every call.
import { mockIPC } from "@tauri-apps/api/mocks";
import type {
  AppStatus,
  DrugOption,
  PatientRecord,
  PatientRow,
  Permissions,
  SessionInfo,
  TrialRow,
  UserRow,
} from "../lib/bindings";

export type Args = Record<string, unknown>;
export type Handler = (args: Args) => unknown;
export type Call = { cmd: string; args: Args };

/**
 * Mocks the IPC; a command without a handler fails the way an unexpected command would. Events
 * are mocked too: `emit` from "@tauri-apps/api/event" reaches the app's listeners.
 */
export function mockCommands(handlers: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Args;
      calls.push({ cmd, args });
      const handler = handlers[cmd];
      if (!handler) throw { code: "Internal", message: `No mock for ${cmd}` };
      return handler(args);
    },
    { shouldMockEvents: true },
  );
  return calls;
}

export function callsOf(calls: Call[], cmd: string): Args[] {
  return calls.filter((c) => c.cmd === cmd).map((c) => c.args);
}

/** A failure as the core sends it. */
export function ipcError(
  code: string,
  message: string,
  fields?: { field: string; message: string }[],
): never {
  throw fields ? { code, message, fields } : { code, message };
}

export const ADMIN: Permissions = {
  editPatients: true,
  readClinical: false,
  editClinical: false,
  signClinical: false,
  editCoverage: true,
  managePayers: true,
  manageUsers: true,
  readAudit: true,
  manageBackups: true,
  restore: true,
  manageSettings: true,
  manageAuthorizations: false,
  managePayerRules: true,
  manageDocuments: false,
  submitForms: false,
};

export const CLINICIAN: Permissions = {
  editPatients: true,
  readClinical: true,
  editClinical: true,
  signClinical: false,
  editCoverage: true,
  managePayers: false,
  manageUsers: false,
  readAudit: false,
  manageBackups: false,
  restore: false,
  manageSettings: false,
  manageAuthorizations: false,
  managePayerRules: false,
  /** Documents, consents and ABNs: provider, nurse and billing. */
  manageDocuments: true,
  submitForms: true,
};

/** A provider: a clinician who also signs screenings and evaluations. */
export const PROVIDER: Permissions = {
  ...CLINICIAN,
  signClinical: true,
  manageAuthorizations: true,
};

/** Billing staff: read the clinical record, never change it; coverage and the payer list. */
export const BILLING: Permissions = {
  ...CLINICIAN,
  editPatients: false,
  editClinical: false,
  managePayers: true,
  manageAuthorizations: true,
  managePayerRules: true,
};

export const session: SessionInfo = {
  clinicName: "Harbour Mind Clinic",
  user: {
    id: 1,
    username: "a.okafor",
    displayName: "Dr Amara Okafor",
    roles: ["admin", "provider"],
  },
  demo: false,
  permissions: ADMIN,
  idleLockSeconds: 600,
};

/** A nurse: patients only, no administration. */
export const nurseSession: SessionInfo = {
  clinicName: "Harbour Mind Clinic",
  user: { id: 2, username: "j.reyes", displayName: "Jo Reyes", roles: ["nurse"] },
  demo: false,
  permissions: CLINICIAN,
  idleLockSeconds: 600,
};

export function appStatus(overrides: Partial<AppStatus> = {}): AppStatus {
  return {
    status: "locked",
    clinicName: "Harbour Mind Clinic",
    dataDir: "/home/clinic/.local/share/ketachart",
    demo: null,
    session: null,
    problem: null,
    ...overrides,
  };
}

export function userRow(overrides: Partial<UserRow> = {}): UserRow {
  return {
    id: 1,
    username: "a.okafor",
    displayName: "Dr Amara Okafor",
    roles: ["admin", "provider"],
    disabled: false,
    createdAt: "2026-04-01T09:00:00.000Z",
    ...overrides,
  };
}

export function row(overrides: Partial<PatientRow> = {}): PatientRow {
  return {
    id: 1,
    mrn: "KC-000142",
    givenName: "Margaret",
    familyName: "O'Neil",
    preferredName: "Peggy",
    birthDate: "1975-03-27",
    age: 50,
    ...overrides,
  };
}

export function record(overrides: Partial<PatientRecord> = {}): PatientRecord {
  return {
    id: 7,
    mrn: "KC-000007",
    givenName: "Dana",
    familyName: "Rossi",
    preferredName: null,
    birthDate: "1981-02-14",
    age: 45,
    sexAtBirth: null,
    genderIdentity: null,
    phone: "555 201 3344",
    email: null,
    address: {
      line1: "12 Harbour Road",
      line2: null,
      city: "Salem",
      region: "MA",
      postalCode: null,
    },
    emergencyContact: { name: null, relationship: null, phone: null },
    allergies: { state: "not_recorded", substances: [], recordedOn: null, signed: false },
    version: 3,
    createdAt: "2026-04-01T09:00:00Z",
    updatedAt: "2026-04-06T14:05:00Z",
    ...overrides,
  };
}

export function trialRow(overrides: Partial<TrialRow> = {}): TrialRow {
  return {
    id: 11,
    sources: [],
    version: 2,
    drugId: "sertraline",
    drugName: "sertraline",
    classLabel: "SSRI",
    augmentationAgent: false,
    unit: "mg",
    minTherapeutic: 50,
    role: "monotherapy",
    startDate: "2024-10-01",
    startDisplay: "01-Oct-2024",
    stopDate: "2024-12-20",
    stopDisplay: "20-Dec-2024",
    ongoing: false,
    doses: [
      { from: "2024-10-01", fromDisplay: "01-Oct-2024", daily: 50 },
      { from: "2024-10-15", fromDisplay: "15-Oct-2024", daily: 200 },
    ],
    maxDaily: 200,
    total: { minDays: 80, maxDays: 80, certainWeeks: 11, maxWeeks: 11 },
    atTherapeutic: { minDays: 80, maxDays: 80, certainWeeks: 11, maxWeeks: 11 },
    adherencePercent: null,
    adherent: true,
    adherenceSource: "pharmacy_fills",
    outcome: "no_response",
    adverseEffect: null,
    reasonStopped: "No benefit",
    currentEpisode: true,
    sourceNote: null,
    scoreInstrument: null,
    preScore: null,
    postScore: null,
    scoreChangePercent: null,
    floorFromClinic: false,
    flags: [],
    ...overrides,
  };
}

export function drugOption(overrides: Partial<DrugOption> = {}): DrugOption {
  return {
    id: "sertraline",
    name: "sertraline",
    aliases: ["Zoloft"],
    classLabel: "SSRI",
    augmentationAgent: false,
    minTherapeutic: 50,
    unit: "mg",
    verified: true,
    note: "",
    ...overrides,
  };
}

// ---------- chart records: screenings and evaluations ----------

type RecordViewT = import("../lib/bindings").RecordView;
type ScreeningFormT = import("../lib/bindings").ScreeningForm;
type EvaluationFormT = import("../lib/bindings").EvaluationForm;
type SignatureViewT = import("../lib/bindings").SignatureView;
type ScreeningItemViewT = import("../lib/bindings").ScreeningItemView;

/** A draft screening's content (Spravato, nothing answered yet). */
export function screeningContent(overrides: Partial<ScreeningFormT> = {}): ScreeningFormT & {
  kind: "screening";
} {
  return {
    kind: "screening",
    modality: "spravato",
    date: "2026-03-02",
    answers: [],
    bloodPressure: [],
    pdmpCheckedOn: null,
    pdmpResult: null,
    noKnownAllergies: false,
    allergies: null,
    currentMedications: null,
    note: null,
    ...overrides,
  };
}

/** A draft evaluation's content. */
export function evaluationContent(overrides: Partial<EvaluationFormT> = {}): EvaluationFormT & {
  kind: "evaluation";
} {
  return {
    kind: "evaluation",
    date: "2026-03-01",
    history: null,
    examination: null,
    symptoms: null,
    treatmentHistoryReview: null,
    plan: null,
    ...overrides,
  };
}

/** A signature as the core reports it. */
export function signatureView(overrides: Partial<SignatureViewT> = {}): SignatureViewT {
  return {
    by: "a.okafor",
    byName: "Dr Amara Okafor",
    at: "2026-03-02T14:05:00Z",
    sha256: "9f2c".padEnd(64, "0"),
    intact: true,
    ...overrides,
  };
}

/** A signable chart record (screening or evaluation), a draft unless `signature` is given. */
export function signableRecord(
  content: RecordViewT["content"],
  overrides: Partial<RecordViewT> = {},
): RecordViewT {
  return {
    id: 40,
    version: 1,
    content,
    createdAt: "2026-03-02T10:00:00Z",
    createdBy: "j.reyes",
    updatedAt: "2026-03-02T10:00:00Z",
    signature: null,
    addenda: [],
    signable: true,
    notes: [],
    title: content.kind === "screening" ? "Spravato (esketamine) screening" : "Evaluation",
    ...overrides,
  };
}

/** A screening question from the reference. */
export function screeningItem(overrides: Partial<ScreeningItemViewT> = {}): ScreeningItemViewT {
  return {
    id: "aneurysm_avm",
    label: "Aneurysmal vascular disease or arteriovenous malformation",
    kind: "contraindication",
    detailPrompt: "Describe the condition and when it was diagnosed",
    verified: true,
    common: false,
    ...overrides,
  };
}
