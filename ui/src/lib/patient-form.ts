// What the patient form edits (every box a string, as typed) and how it becomes a PatientForm.
import type { DateFields, PatientForm, PatientRecord, Sex } from "./bindings";
import { isoToDateParts } from "./format/date";

export type PatientFormValues = {
  givenName: string;
  familyName: string;
  preferredName: string;
  birthDate: DateFields;
  sexAtBirth: Sex | null;
  genderIdentity: string;
  phone: string;
  email: string;
  address: { line1: string; line2: string; city: string; region: string; postalCode: string };
  emergencyContact: { name: string; relationship: string; phone: string };
};

export function emptyPatientValues(): PatientFormValues {
  return {
    givenName: "",
    familyName: "",
    preferredName: "",
    birthDate: { month: "", day: "", year: "" },
    sexAtBirth: null,
    genderIdentity: "",
    phone: "",
    email: "",
    address: { line1: "", line2: "", city: "", region: "", postalCode: "" },
    emergencyContact: { name: "", relationship: "", phone: "" },
  };
}

export function valuesFromRecord(r: PatientRecord): PatientFormValues {
  const s = (v: string | null) => v ?? "";
  return {
    givenName: r.givenName,
    familyName: r.familyName,
    preferredName: s(r.preferredName),
    birthDate: isoToDateParts(r.birthDate),
    sexAtBirth: r.sexAtBirth,
    genderIdentity: s(r.genderIdentity),
    phone: s(r.phone),
    email: s(r.email),
    address: {
      line1: s(r.address.line1),
      line2: s(r.address.line2),
      city: s(r.address.city),
      region: s(r.address.region),
      postalCode: s(r.address.postalCode),
    },
    emergencyContact: {
      name: s(r.emergencyContact.name),
      relationship: s(r.emergencyContact.relationship),
      phone: s(r.emergencyContact.phone),
    },
  };
}

/** An optional box left empty (or only spaces) is sent as null; anything else as typed. */
function optional(v: string): string | null {
  return v.trim() === "" ? null : v;
}

/** The form as the core expects it. The core trims and validates; date parts go as typed. */
export function toPatientForm(v: PatientFormValues): PatientForm {
  return {
    givenName: v.givenName,
    familyName: v.familyName,
    preferredName: optional(v.preferredName),
    birthDate: { month: v.birthDate.month, day: v.birthDate.day, year: v.birthDate.year },
    sexAtBirth: v.sexAtBirth,
    genderIdentity: optional(v.genderIdentity),
    phone: optional(v.phone),
    email: optional(v.email),
    address: {
      line1: optional(v.address.line1),
      line2: optional(v.address.line2),
      city: optional(v.address.city),
      region: optional(v.address.region),
      postalCode: optional(v.address.postalCode),
    },
    emergencyContact: {
      name: optional(v.emergencyContact.name),
      relationship: optional(v.emergencyContact.relationship),
      phone: optional(v.emergencyContact.phone),
    },
  };
}
