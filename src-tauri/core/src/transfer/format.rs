//! The patient export file: one patient's whole record as versioned JSON.
//!
//! ```text
//! { "format": "ketachart-patient-export", "version": 1, "exportedAt": "<RFC 3339>",
//!   "patient":  { "mrn", "givenName", "familyName", "preferredName", "birthDate" (YYYY-MM-DD),
//!                 "sexAtBirth", "genderIdentity", "phone", "email", "address": {…},
//!                 "emergencyContact": {…} },
//!   "payers":   [ { "ref": 1, "name", "payerType", "paPhone", "paFax" } ],
//!   "trials":   [ { "drug", "role", "startDate", "stopDate", "ongoing", "doses": [{"from","daily"}],
//!                   "adherencePercent", "adherent", "adherenceSource", "outcome", "adverseEffect",
//!                   "reasonStopped", "currentEpisode", "sourceNote", "scoreInstrument",
//!                   "preScore", "postScore" } ],
//!   "records":  [ { "body": { "kind": "coverage" | "diagnosis" | …, …fields }, "createdAt",
//!                   "createdBy", "signature": { "by", "byName", "at", "sha256" } | null,
//!                   "addenda": [ { "text", "by", "byName", "at", "sha256" } ] } ] }
//! ```
//! A coverage body's `payerId` is a `ref` into `payers` (not a database id). Unknown fields are
//! refused. Version 1 is the only version; a file with a higher version is refused whole.

use serde::{Deserialize, Serialize};

use crate::payer::PayerType;

pub const FORMAT: &str = "ketachart-patient-export";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientFile {
    pub format: String,
    pub version: u32,
    pub exported_at: String,
    pub patient: PatientPart,
    pub payers: Vec<PayerPart>,
    pub trials: Vec<TrialPart>,
    pub records: Vec<RecordPart>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientPart {
    pub mrn: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub birth_date: String,
    pub sex_at_birth: Option<String>,
    pub gender_identity: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: AddressPart,
    pub emergency_contact: EmergencyContactPart,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddressPart {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmergencyContactPart {
    pub name: Option<String>,
    pub relationship: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PayerPart {
    #[serde(rename = "ref")]
    pub reference: i64,
    pub name: String,
    pub payer_type: PayerType,
    pub pa_phone: Option<String>,
    pub pa_fax: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DosePart {
    pub from: String,
    pub daily: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrialPart {
    /// The reference drug's name, or the free text typed for a drug not in the reference.
    pub drug: String,
    pub role: String,
    pub start_date: String,
    pub stop_date: Option<String>,
    pub ongoing: bool,
    pub doses: Vec<DosePart>,
    pub adherence_percent: Option<u8>,
    pub adherent: Option<bool>,
    pub adherence_source: Option<String>,
    pub outcome: Option<String>,
    pub adverse_effect: Option<String>,
    pub reason_stopped: Option<String>,
    pub current_episode: bool,
    pub source_note: Option<String>,
    pub score_instrument: Option<String>,
    pub pre_score: Option<f64>,
    pub post_score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordPart {
    /// The record's content exactly as stored (and, when signed, as hashed).
    pub body: serde_json::Value,
    pub created_at: String,
    pub created_by: String,
    pub signature: Option<SignaturePart>,
    pub addenda: Vec<AddendumPart>,
    /// This record's id in the exporting vault, so records that point at each other (a
    /// session at its course) can be linked again on import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<i64>,
    /// A treatment session's course, by its `reference` (a signed session's content may name
    /// the course by an older vault's id, which cannot be rewritten).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignaturePart {
    pub by: String,
    pub by_name: String,
    pub at: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddendumPart {
    pub text: String,
    pub by: String,
    pub by_name: String,
    pub at: String,
    pub sha256: String,
}
