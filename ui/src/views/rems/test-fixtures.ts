// A patient's REMS enrollment as the core returns it, for tests.
import type { RemsEnrollmentView } from "../../lib/bindings";

export const FIELDS_NOTE =
  "UNVERIFIED: fields per the REMS requirements; compare with the current official SPRAVATO REMS Patient Enrollment Form before relying on this printout.";

/** Nothing recorded yet: the form prefilled from the chart (version 0). */
export function remsEnrollmentView(
  overrides: Partial<RemsEnrollmentView> = {},
): RemsEnrollmentView {
  return {
    patientId: 7,
    status: "not_enrolled",
    statusLabel: "Not enrolled",
    enrolledOn: null,
    remsPatientId: null,
    firstName: "Dana",
    middleInitial: null,
    lastName: "Rossi",
    birthDate: "1975-03-03",
    sex: "female",
    addressLine1: "12 Harbour Road",
    addressLine2: null,
    city: "Portland",
    state: "ME",
    zip: "04101",
    phone: "207-555-0134",
    email: null,
    preferredContact: null,
    prescriberUserId: null,
    prescriberName: null,
    prescriberNpi: null,
    settingName: "Harbour Mind Clinic",
    remsSettingId: "RS-00417",
    version: 0,
    recordedByName: null,
    recordedAt: null,
    fieldsNote: FIELDS_NOTE,
    ...overrides,
  };
}

/** Enrolled on 08-Nov-2026, recorded by a nurse. */
export function enrolledView(overrides: Partial<RemsEnrollmentView> = {}): RemsEnrollmentView {
  return remsEnrollmentView({
    status: "enrolled",
    statusLabel: "Enrolled",
    enrolledOn: "2026-11-08",
    remsPatientId: "P-448812",
    prescriberUserId: 1,
    prescriberName: "Dr Amara Okafor, MD",
    prescriberNpi: "1234567893",
    version: 2,
    recordedByName: "Jo Reyes",
    recordedAt: "2026-11-08T15:04:00Z",
    ...overrides,
  });
}
