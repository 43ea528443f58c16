//! Patient shapes. Dates travel as ISO `YYYY-MM-DD` strings; the UI formats them for display.

use chrono::NaiveDate;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{
    self, Address, EmergencyContact, Patient, PatientInput, PatientSummary, SexAtBirth,
};
use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Sex {
    Female,
    Male,
    Intersex,
    Unknown,
}

impl From<Sex> for SexAtBirth {
    fn from(s: Sex) -> Self {
        match s {
            Sex::Female => SexAtBirth::Female,
            Sex::Male => SexAtBirth::Male,
            Sex::Intersex => SexAtBirth::Intersex,
            Sex::Unknown => SexAtBirth::Unknown,
        }
    }
}

impl From<SexAtBirth> for Sex {
    fn from(s: SexAtBirth) -> Self {
        match s {
            SexAtBirth::Female => Sex::Female,
            SexAtBirth::Male => Sex::Male,
            SexAtBirth::Intersex => Sex::Intersex,
            SexAtBirth::Unknown => Sex::Unknown,
        }
    }
}

/// A patient's id (an SQLite rowid; always well inside a JS number's exact range).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct PatientId(#[specta(type = specta_typescript::Number)] pub i64);

/// A record's edit version (optimistic concurrency).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct RecordVersion(#[specta(type = specta_typescript::Number)] pub i64);

/// A date typed as three boxes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DateFields {
    pub day: String,
    pub month: String,
    pub year: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AddressFields {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyContactFields {
    pub name: Option<String>,
    pub relationship: Option<String>,
    pub phone: Option<String>,
}

impl From<AddressFields> for Address {
    fn from(a: AddressFields) -> Self {
        Address {
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            region: a.region,
            postal_code: a.postal_code,
        }
    }
}

impl From<Address> for AddressFields {
    fn from(a: Address) -> Self {
        AddressFields {
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            region: a.region,
            postal_code: a.postal_code,
        }
    }
}

impl From<EmergencyContactFields> for EmergencyContact {
    fn from(c: EmergencyContactFields) -> Self {
        EmergencyContact {
            name: c.name,
            relationship: c.relationship,
            phone: c.phone,
        }
    }
}

impl From<EmergencyContact> for EmergencyContactFields {
    fn from(c: EmergencyContact) -> Self {
        EmergencyContactFields {
            name: c.name,
            relationship: c.relationship,
            phone: c.phone,
        }
    }
}

/// Dates cross IPC as ISO `YYYY-MM-DD`.
fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The patient form as submitted.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PatientForm {
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub birth_date: DateFields,
    pub sex_at_birth: Option<Sex>,
    pub gender_identity: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: AddressFields,
    pub emergency_contact: EmergencyContactFields,
}

impl From<PatientForm> for PatientInput {
    fn from(f: PatientForm) -> Self {
        PatientInput {
            given_name: f.given_name,
            family_name: f.family_name,
            preferred_name: f.preferred_name,
            birth_date: DateParts {
                day: f.birth_date.day,
                month: f.birth_date.month,
                year: f.birth_date.year,
            },
            sex_at_birth: f.sex_at_birth.map(Into::into),
            gender_identity: f.gender_identity,
            phone: f.phone,
            email: f.email,
            address: f.address.into(),
            emergency_contact: f.emergency_contact.into(),
        }
    }
}

/// One row of the patient list.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PatientRow {
    pub id: PatientId,
    pub mrn: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    /// ISO date.
    pub birth_date: String,
    pub age: u32,
}

impl PatientRow {
    pub fn new(p: PatientSummary, today: NaiveDate) -> Self {
        PatientRow {
            id: PatientId(p.id.0),
            age: patient::age_on(p.birth_date, today),
            birth_date: iso(p.birth_date),
            mrn: p.mrn,
            given_name: p.given_name,
            family_name: p.family_name,
            preferred_name: p.preferred_name,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PatientPage {
    pub patients: Vec<PatientRow>,
    #[specta(type = specta_typescript::Number)]
    pub total: u64,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PatientSearch {
    pub patients: Vec<PatientRow>,
    /// More patients match than are shown.
    pub more: bool,
}

/// A whole patient record.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PatientRecord {
    pub id: PatientId,
    pub mrn: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    /// ISO date.
    pub birth_date: String,
    pub age: u32,
    pub sex_at_birth: Option<Sex>,
    pub gender_identity: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: AddressFields,
    pub emergency_contact: EmergencyContactFields,
    /// Send back unchanged with an edit (stale edits are refused).
    pub version: RecordVersion,
    pub created_at: String,
    pub updated_at: String,
    /// What the banner says about allergies.
    pub allergies: AllergyStatus,
}

/// The banner's allergy state (ui-guide: exactly one of four).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum AllergyStateName {
    Known,
    NoneKnown,
    NotRecorded,
    /// The user's roles do not include reading the clinical record.
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AllergyStatus {
    pub state: AllergyStateName,
    /// For `known`: the substances as recorded.
    pub substances: Vec<String>,
    /// The date (`YYYY-MM-DD`) of the screening it comes from.
    pub recorded_on: Option<String>,
    /// Whether that screening is signed (otherwise a draft).
    pub signed: bool,
}

impl AllergyStatus {
    /// The state for a user who may read the clinical record, or `Unavailable` otherwise.
    pub fn read(s: &ketachart_core::Session, patient_id: i64) -> ketachart_core::CoreResult<Self> {
        use ketachart_core::record::allergies::{latest, AllergyState};
        if !s.can(ketachart_core::access::Permission::ReadClinical) {
            return Ok(Self::of(AllergyStateName::Unavailable, vec![], None, false));
        }
        Ok(match latest(s, patient_id)? {
            AllergyState::NotRecorded => {
                Self::of(AllergyStateName::NotRecorded, vec![], None, false)
            }
            AllergyState::NoneKnown { on, signed } => {
                Self::of(AllergyStateName::NoneKnown, vec![], Some(on), signed)
            }
            AllergyState::Known {
                substances,
                on,
                signed,
            } => Self::of(AllergyStateName::Known, substances, Some(on), signed),
        })
    }

    fn of(
        state: AllergyStateName,
        substances: Vec<String>,
        recorded_on: Option<String>,
        signed: bool,
    ) -> Self {
        AllergyStatus {
            state,
            substances,
            recorded_on,
            signed,
        }
    }
}

impl PatientRecord {
    pub fn new(p: Patient, today: NaiveDate, allergies: AllergyStatus) -> Self {
        PatientRecord {
            allergies,
            id: PatientId(p.id.0),
            age: patient::age_on(p.birth_date, today),
            birth_date: iso(p.birth_date),
            mrn: p.mrn,
            given_name: p.given_name,
            family_name: p.family_name,
            preferred_name: p.preferred_name,
            sex_at_birth: p.sex_at_birth.map(Into::into),
            gender_identity: p.gender_identity,
            phone: p.phone,
            email: p.email,
            address: p.address.into(),
            emergency_contact: p.emergency_contact.into(),
            version: RecordVersion(p.version),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}
