//! Clinic profile and staff profile shapes.

use ketachart_core::profile::{
    provider::Specialty, ClinicProfile, ClinicProfileInput, ProviderProfile, ProviderProfileInput,
};
use serde::{Deserialize, Serialize};
use specta::Type;

/// The clinic as forms print it. Values are stored normalised (state in capitals, phone and fax
/// as `(617) 555-0142`, TIN as `12-3456789`, NPI as 10 digits).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClinicProfileDto {
    pub name: String,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub tin: Option<String>,
    pub npi: Option<String>,
    pub rems_setting_id: Option<String>,
}

impl From<ClinicProfile> for ClinicProfileDto {
    fn from(c: ClinicProfile) -> Self {
        ClinicProfileDto {
            name: c.name,
            address_line1: c.address_line1,
            address_line2: c.address_line2,
            city: c.city,
            state: c.state,
            zip: c.zip,
            phone: c.phone,
            fax: c.fax,
            tin: c.tin,
            npi: c.npi,
            rems_setting_id: c.rems_setting_id,
        }
    }
}

/// The clinic profile form: text as typed ("" for not given), validated in the core.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClinicProfileForm {
    pub name: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: String,
    pub fax: String,
    pub tin: String,
    pub npi: String,
    pub rems_setting_id: String,
}

impl From<ClinicProfileForm> for ClinicProfileInput {
    fn from(f: ClinicProfileForm) -> Self {
        ClinicProfileInput {
            name: f.name,
            address_line1: f.address_line1,
            address_line2: f.address_line2,
            city: f.city,
            state: f.state,
            zip: f.zip,
            phone: f.phone,
            fax: f.fax,
            tin: f.tin,
            npi: f.npi,
            rems_setting_id: f.rems_setting_id,
        }
    }
}

/// A staff member and their profile (profile fields empty until filled in).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderProfileDto {
    #[specta(type = specta_typescript::Number)]
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub credentials: Option<String>,
    pub npi: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub prescriber: bool,
    pub specialty: Option<SpecialtyDto>,
}

/// A provider's specialty as payer rules name it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SpecialtyDto {
    Psychiatrist,
    PsychiatricNursePractitioner,
    OtherMentalHealth,
    Other,
}

impl From<Specialty> for SpecialtyDto {
    fn from(s: Specialty) -> Self {
        match s {
            Specialty::Psychiatrist => SpecialtyDto::Psychiatrist,
            Specialty::PsychiatricNursePractitioner => SpecialtyDto::PsychiatricNursePractitioner,
            Specialty::OtherMentalHealth => SpecialtyDto::OtherMentalHealth,
            Specialty::Other => SpecialtyDto::Other,
        }
    }
}

impl From<SpecialtyDto> for Specialty {
    fn from(s: SpecialtyDto) -> Self {
        match s {
            SpecialtyDto::Psychiatrist => Specialty::Psychiatrist,
            SpecialtyDto::PsychiatricNursePractitioner => Specialty::PsychiatricNursePractitioner,
            SpecialtyDto::OtherMentalHealth => Specialty::OtherMentalHealth,
            SpecialtyDto::Other => Specialty::Other,
        }
    }
}

impl From<ProviderProfile> for ProviderProfileDto {
    fn from(p: ProviderProfile) -> Self {
        ProviderProfileDto {
            user_id: p.user_id,
            username: p.username,
            display_name: p.display_name,
            given_name: p.given_name,
            family_name: p.family_name,
            credentials: p.credentials,
            npi: p.npi,
            phone: p.phone,
            email: p.email,
            prescriber: p.prescriber,
            specialty: p.specialty.map(Into::into),
        }
    }
}

/// The profile form: text as typed ("" for not given), validated in the core.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderProfileForm {
    pub given_name: String,
    pub family_name: String,
    pub credentials: String,
    pub npi: String,
    pub phone: String,
    pub email: String,
    pub prescriber: bool,
    pub specialty: Option<SpecialtyDto>,
}

impl From<ProviderProfileForm> for ProviderProfileInput {
    fn from(f: ProviderProfileForm) -> Self {
        ProviderProfileInput {
            given_name: f.given_name,
            family_name: f.family_name,
            credentials: f.credentials,
            npi: f.npi,
            phone: f.phone,
            email: f.email,
            prescriber: f.prescriber,
            specialty: f.specialty.map(Into::into),
        }
    }
}
