// Test helpers: answer Tauri commands by name (the Rust, snake_case name) and record every call.
import { mockIPC } from "@tauri-apps/api/mocks";
import type { AppStatus, PatientRecord, PatientRow, SessionInfo } from "../lib/bindings";

export type Args = Record<string, unknown>;
export type Handler = (args: Args) => unknown;
export type Call = { cmd: string; args: Args };

/** Mocks the IPC; a command without a handler fails the way an unexpected command would. */
export function mockCommands(handlers: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Args;
    calls.push({ cmd, args });
    const handler = handlers[cmd];
    if (!handler) throw { code: "Internal", message: `No mock for ${cmd}` };
    return handler(args);
  });
  return calls;
}

export function callsOf(calls: Call[], cmd: string): Args[] {
  return calls.filter((c) => c.cmd === cmd).map((c) => c.args);
}

export const session: SessionInfo = {
  clinicName: "Harbour Mind Clinic",
  user: { username: "a.okafor", displayName: "Dr Amara Okafor", roles: ["admin", "provider"] },
  demo: false,
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
    version: 3,
    createdAt: "2026-04-01T09:00:00Z",
    updatedAt: "2026-04-06T14:05:00Z",
    ...overrides,
  };
}
