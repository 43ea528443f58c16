//! The patient's SPRAVATO REMS enrollment: the form as recorded (or prefilled from the chart)
//! and what the enrollment form sends.

use ketachart_core::rems_enrollment::{
    RemsEnrollment, RemsEnrollmentInput, RemsEnrollmentVersion, FIELDS_NOTE,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::dto::patient::PatientId;

/// Dates are `YYYY-MM-DD`. `version` 0 means nothing is recorded yet (the fields are prefilled
/// from the patient's record and the clinic profile). `fieldsNote` is the UNVERIFIED label
/// to show next to the fields.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemsEnrollmentView {
    pub patient_id: PatientId,
    /// `not_enrolled` | `form_completed` | `enrolled`.
    pub status: String,
    pub status_label: String,
    pub enrolled_on: Option<String>,
    pub rems_patient_id: Option<String>,
    pub first_name: String,
    pub middle_initial: Option<String>,
    pub last_name: String,
    pub birth_date: String,
    /// `female` | `male` | `intersex` | `unknown`.
    pub sex: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `phone` | `email` | `mail`.
    pub preferred_contact: Option<String>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub prescriber_user_id: Option<i64>,
    pub prescriber_name: Option<String>,
    pub prescriber_npi: Option<String>,
    pub setting_name: Option<String>,
    pub rems_setting_id: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub version: i64,
    pub recorded_by_name: Option<String>,
    pub recorded_at: Option<String>,
    pub fields_note: String,
    /// Every save, newest first (empty before the first). Always sent; optional in TypeScript
    /// only so views built before it need no change.
    #[specta(optional)]
    pub history: Vec<RemsEnrollmentVersionView>,
}

/// One save of the enrollment as stored. `enrolledOn` is `YYYY-MM-DD`; `recordedAt` is UTC.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemsEnrollmentVersionView {
    #[specta(type = specta_typescript::Number)]
    pub version: i64,
    /// `not_enrolled` | `form_completed` | `enrolled`.
    pub status: String,
    pub status_label: String,
    pub enrolled_on: Option<String>,
    pub recorded_by_name: String,
    pub recorded_at: String,
}

impl From<RemsEnrollmentVersion> for RemsEnrollmentVersionView {
    fn from(v: RemsEnrollmentVersion) -> Self {
        RemsEnrollmentVersionView {
            version: v.version,
            status: v.status.as_str().into(),
            status_label: v.status.label().into(),
            enrolled_on: v.enrolled_on.map(|d| d.format("%Y-%m-%d").to_string()),
            recorded_by_name: v.recorded_by_name,
            recorded_at: v.recorded_at,
        }
    }
}

impl From<RemsEnrollment> for RemsEnrollmentView {
    fn from(e: RemsEnrollment) -> Self {
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        RemsEnrollmentView {
            patient_id: PatientId(e.patient_id),
            status: e.status.as_str().into(),
            status_label: e.status.label().into(),
            enrolled_on: e.enrolled_on.map(day),
            rems_patient_id: e.rems_patient_id,
            first_name: e.first_name,
            middle_initial: e.middle_initial,
            last_name: e.last_name,
            birth_date: day(e.birth_date),
            sex: e.sex.map(|s| s.as_str().into()),
            address_line1: e.address_line1,
            address_line2: e.address_line2,
            city: e.city,
            state: e.state,
            zip: e.zip,
            phone: e.phone,
            email: e.email,
            preferred_contact: e.preferred_contact.map(|p| p.as_str().into()),
            prescriber_user_id: e.prescriber_user_id,
            prescriber_name: e.prescriber_name,
            prescriber_npi: e.prescriber_npi,
            setting_name: e.setting_name,
            rems_setting_id: e.rems_setting_id,
            version: e.version,
            recorded_by_name: e.recorded_by_name,
            recorded_at: e.recorded_at,
            fields_note: FIELDS_NOTE.into(),
            history: e.history.into_iter().map(Into::into).collect(),
        }
    }
}

/// The enrollment form as typed (empty text = not given). The core stamps the prescriber's
/// name and NPI from their profile and the setting from the clinic profile.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemsEnrollmentInputDto {
    pub patient_id: PatientId,
    /// The version the form was opened at (0 for the first save).
    #[specta(type = specta_typescript::Number)]
    pub version: i64,
    pub status: String,
    pub enrolled_on: String,
    pub rems_patient_id: String,
    pub first_name: String,
    pub middle_initial: String,
    pub last_name: String,
    pub birth_date: String,
    pub sex: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: String,
    pub email: String,
    pub preferred_contact: String,
    #[specta(type = Option<specta_typescript::Number>)]
    pub prescriber_user_id: Option<i64>,
}

impl From<RemsEnrollmentInputDto> for RemsEnrollmentInput {
    fn from(d: RemsEnrollmentInputDto) -> Self {
        RemsEnrollmentInput {
            patient_id: d.patient_id.0,
            version: d.version,
            status: d.status,
            enrolled_on: d.enrolled_on,
            rems_patient_id: d.rems_patient_id,
            first_name: d.first_name,
            middle_initial: d.middle_initial,
            last_name: d.last_name,
            birth_date: d.birth_date,
            sex: d.sex,
            address_line1: d.address_line1,
            address_line2: d.address_line2,
            city: d.city,
            state: d.state,
            zip: d.zip,
            phone: d.phone,
            email: d.email,
            preferred_contact: d.preferred_contact,
            prescriber_user_id: d.prescriber_user_id,
        }
    }
}
