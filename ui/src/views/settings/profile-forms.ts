// The clinic and staff profile forms start from what is saved: every value as text, "" for
// nothing saved (the core validates and normalises what comes back).
import type {
  ClinicProfileDto,
  ClinicProfileForm,
  ProviderProfileDto,
  ProviderProfileForm,
} from "../../lib/bindings";

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
  };
}
