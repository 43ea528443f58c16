// The clinic and staff profile forms start from what is saved: every value as text, "" for
// nothing saved (the core validates and normalises what comes back).
import type {
  ClinicProfileDto,
  ClinicProfileForm,
  ProviderProfileDto,
  ProviderProfileForm,
  SpecialtyDto,
} from "../../lib/bindings";

/** The specialties payer rules name, in the order the form offers them. */
export const SPECIALTIES: readonly { value: SpecialtyDto; label: string }[] = [
  { value: "psychiatrist", label: "Psychiatrist" },
  { value: "psychiatric_nurse_practitioner", label: "Psychiatric nurse practitioner" },
  { value: "other_mental_health", label: "Other mental health prescriber" },
  { value: "other", label: "Other" },
];

/** The select's value as the core takes it: "" (not set) is null. */
export function toSpecialty(value: string): SpecialtyDto | null {
  return SPECIALTIES.find((s) => s.value === value)?.value ?? null;
}

export function clinicForm(p: ClinicProfileDto): ClinicProfileForm {
  return {
    name: p.name,
    addressLine1: p.addressLine1 ?? "",
    addressLine2: p.addressLine2 ?? "",
    city: p.city ?? "",
    state: p.state ?? "",
    zip: p.zip ?? "",
    phone: p.phone ?? "",
    fax: p.fax ?? "",
    tin: p.tin ?? "",
    npi: p.npi ?? "",
    remsSettingId: p.remsSettingId ?? "",
  };
}

export function providerForm(p: ProviderProfileDto): ProviderProfileForm {
  return {
    givenName: p.givenName ?? "",
    familyName: p.familyName ?? "",
    credentials: p.credentials ?? "",
    npi: p.npi ?? "",
    phone: p.phone ?? "",
    email: p.email ?? "",
    prescriber: p.prescriber,
    specialty: p.specialty,
  };
}
