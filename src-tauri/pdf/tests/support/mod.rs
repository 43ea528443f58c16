//! Fixtures shared by the PDF tests that chart treatment sessions: the consents a treatment
//! requires before its first session (the first-session gate), signed with the real consent
//! PDF and backdated so sessions dated in the past pass the gate; and the patient's SPRAVATO
//! REMS enrollment (the gate for a Spravato dose).

use chrono::NaiveDate;
use ketachart_core::consent::{self, ConsentSignInput, SignatureInput};
use ketachart_core::rems_enrollment::{self, RemsEnrollmentInput};
use ketachart_core::treatment::Modality;
use ketachart_core::Session;

/// A signature: a zigzag across most of a 400 × 150 pad.
pub fn pad() -> SignatureInput {
    SignatureInput {
        width: 400.0,
        height: 150.0,
        strokes: vec![(0..20)
            .map(|i| {
                vec![
                    20.0 + f64::from(i) * 15.0,
                    if i % 2 == 0 { 40.0 } else { 110.0 },
                ]
            })
            .collect()],
    }
}

/// Signs, on `on`, every consent the clinic requires for `modality`; the signed-in user
/// witnesses with `password`.
pub fn sign_required_consents(
    s: &Session,
    patient_id: i64,
    modality: Modality,
    on: NaiveDate,
    password: &str,
) {
    let required = consent::requirement::list(s)
        .unwrap()
        .into_iter()
        .find(|r| r.modality == modality)
        .map(|r| r.template_keys)
        .unwrap_or_default();
    for key in required {
        let draft = consent::prepare(s, patient_id, &key).unwrap();
        consent::sign_as_of(
            s,
            &ConsentSignInput {
                patient_id,
                template_key: key,
                template_version: draft.template_version,
                patient_signer_name: String::new(),
                patient_signature: pad(),
                witness_signature: pad(),
                password: password.into(),
                course_id: None,
            },
            on,
            ketachart_pdf::consent::render_for_signing,
        )
        .unwrap();
    }
}

/// Records the patient's SPRAVATO REMS enrollment on `on` (`today` is the day it is recorded).
pub fn enroll_in_rems(s: &mut Session, pid: i64, on: NaiveDate, today: NaiveDate) {
    let form = rems_enrollment::get(s, pid).unwrap();
    rems_enrollment::save(
        s,
        &RemsEnrollmentInput {
            patient_id: pid,
            version: form.version,
            status: "enrolled".into(),
            enrolled_on: on.format("%Y-%m-%d").to_string(),
            first_name: form.first_name,
            last_name: form.last_name,
            birth_date: form.birth_date.format("%Y-%m-%d").to_string(),
            ..Default::default()
        },
        today,
    )
    .unwrap();
}
