//! Test fixture for the Spravato session gate: records a patient's SPRAVATO REMS enrollment
//! (status and date) from what the chart already holds.

use chrono::NaiveDate;
use ketachart_core::rems_enrollment::{self, RemsEnrollment, RemsEnrollmentInput};
use ketachart_core::Session;

/// Saves the enrollment with `status` (`enrolled` needs `on`); returns what was stored.
pub fn set_status(
    s: &mut Session,
    patient_id: i64,
    status: &str,
    on: Option<NaiveDate>,
) -> RemsEnrollment {
    let form = rems_enrollment::get(s, patient_id).unwrap();
    rems_enrollment::save(
        s,
        &RemsEnrollmentInput {
            patient_id,
            version: form.version,
            status: status.into(),
            enrolled_on: on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            first_name: form.first_name,
            last_name: form.last_name,
            birth_date: form.birth_date.format("%Y-%m-%d").to_string(),
            ..Default::default()
        },
        chrono::Local::now().date_naive(),
    )
    .unwrap()
}

/// Enrolls the patient on `on`.
pub fn enroll(s: &mut Session, patient_id: i64, on: NaiveDate) -> RemsEnrollment {
    set_status(s, patient_id, "enrolled", Some(on))
}
