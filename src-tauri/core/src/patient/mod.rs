//! Patients: identity, demographics and contact details, with an MRN generated per vault.

mod fold;
mod mrn;
mod search;
#[cfg(test)]
mod search_fold_tests;
mod store;
mod validate;

use chrono::NaiveDate;
use serde::Serialize;

use crate::date_input::DateParts;

pub use mrn::{format_mrn, is_valid_mrn};
pub use search::{search, SearchResult, SEARCH_LIMIT_MAX};
pub use store::{count, create, create_batch, get, get_by_mrn, list, update};
pub(crate) use store::{insert_imported, load};
pub use validate::validate;

/// Age in whole years on `today`.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> u32 {
    today.years_since(birth).unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PatientId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SexAtBirth {
    Female,
    Male,
    Intersex,
    /// Asked, and not known (not the same as "not recorded", which is `None`).
    Unknown,
}

impl SexAtBirth {
    pub fn as_str(self) -> &'static str {
        match self {
            SexAtBirth::Female => "female",
            SexAtBirth::Male => "male",
            SexAtBirth::Intersex => "intersex",
            SexAtBirth::Unknown => "unknown",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "female" => SexAtBirth::Female,
            "male" => SexAtBirth::Male,
            "intersex" => SexAtBirth::Intersex,
            "unknown" => SexAtBirth::Unknown,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    /// State or region.
    pub region: Option<String>,
    pub postal_code: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyContact {
    pub name: Option<String>,
    pub relationship: Option<String>,
    pub phone: Option<String>,
}

/// What a form submits to create or edit a patient. Text is as typed; `validate` cleans it.
#[derive(Debug, Clone, Default)]
pub struct PatientInput {
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub birth_date: DateParts,
    pub sex_at_birth: Option<SexAtBirth>,
    pub gender_identity: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Address,
    pub emergency_contact: EmergencyContact,
}

/// A validated patient ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPatient {
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub birth_date: NaiveDate,
    pub sex_at_birth: Option<SexAtBirth>,
    pub gender_identity: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Address,
    pub emergency_contact: EmergencyContact,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Patient {
    pub id: PatientId,
    pub mrn: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub birth_date: NaiveDate,
    pub sex_at_birth: Option<SexAtBirth>,
    pub gender_identity: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Address,
    pub emergency_contact: EmergencyContact,
    /// Increases on every edit; an edit must name the version it started from.
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// One row of the patient list or search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatientSummary {
    pub id: PatientId,
    pub mrn: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub birth_date: NaiveDate,
}
