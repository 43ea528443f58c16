//! The SPRAVATO® REMS Patient Enrollment Form as a printable PDF: the fields the patient's
//! enrollment captured (patient, prescriber, healthcare setting, status), the counselling
//! acknowledgements, blank signature and date lines for the patient and the prescriber, and
//! the note that the field set is UNVERIFIED against the current official form.

use std::path::PathBuf;

use chrono::NaiveDate;
use ketachart_core::export_file::{check_target, save_for_user};
use ketachart_core::rems_enrollment::{self as core, RemsEnrollment, FIELDS_NOTE};
use ketachart_core::{CoreResult, Session};

use crate::session::{generated, render_error};
use crate::{render, Block, Document, PageHeader};

/// The document title (and PDF title metadata).
pub const TITLE: &str = "SPRAVATO® REMS Patient Enrollment Form";

/// What the patient is counselled on before enrolling, one acknowledgement each.
pub const ACKNOWLEDGEMENTS: [&str; 6] = [
    "Sedation: SPRAVATO can make me very sleepy or cause me to pass out; I will be watched by a healthcare provider for at least 2 hours after each dose.",
    "Dissociation: I may feel disconnected from myself, my thoughts, feelings, space and time.",
    "Respiratory depression: SPRAVATO can slow or stop my breathing; my breathing and oxygen will be monitored.",
    "Blood pressure increase: my blood pressure will be checked before and after each dose.",
    "I will not drive or operate machinery until the next day after a restful sleep.",
    "I will arrange safe transport home after each treatment session.",
];

const NOT_RECORDED: &str = "Not recorded";

fn or_not(v: &Option<String>) -> String {
    v.as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(NOT_RECORDED)
        .to_string()
}

fn day(d: NaiveDate) -> String {
    d.format("%d-%b-%Y").to_string()
}

/// Reads the patient's enrollment, renders the form and saves it to `path` (owner-only,
/// outside the vault, atomically), then audits the export.
pub fn export(session: &Session, patient_id: i64, path: &str) -> CoreResult<PathBuf> {
    // Permission and the record first: someone who may not export learns nothing from the
    // path check.
    let (e, mrn) = core::for_export(session, patient_id)?;
    check_target("path", path)?;
    let bytes = render(&document(
        &e,
        session.clinic_name(),
        &mrn,
        &generated(session),
    ))
    .map_err(render_error)?;
    let written = save_for_user(session, path, &bytes)?;
    core::record_export(session, patient_id)?;
    Ok(written)
}

/// The form for `e`; `clinic` heads every page with the patient line (name, DOB, `mrn`) and
/// `generated_at` follows "Generated" in the footer.
pub fn document(e: &RemsEnrollment, clinic: &str, mrn: &str, generated_at: &str) -> Document {
    let name = format!(
        "{}, {}{}",
        e.last_name.to_uppercase(),
        e.first_name,
        e.middle_initial
            .as_deref()
            .map(|m| format!(" {m}"))
            .unwrap_or_default()
    );
    let mut b = vec![Block::Note(FIELDS_NOTE.into())];

    b.push(Block::Heading("Patient".into()));
    let address = [
        e.address_line1.clone(),
        e.address_line2.clone(),
        Some(
            [e.city.clone(), e.state.clone(), e.zip.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        )
        .filter(|s| !s.is_empty()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n");
    b.push(Block::Fields {
        per_row: 3,
        fields: vec![
            ("First name".into(), e.first_name.clone()),
            ("Middle initial".into(), or_not(&e.middle_initial)),
            ("Last name".into(), e.last_name.clone()),
            ("Date of birth".into(), day(e.birth_date)),
            (
                "Sex".into(),
                e.sex
                    .map_or_else(|| NOT_RECORDED.to_string(), |s| capital(s.as_str())),
            ),
            (
                "Preferred contact".into(),
                e.preferred_contact
                    .map_or_else(|| NOT_RECORDED.to_string(), |p| p.label().to_string()),
            ),
            ("Phone".into(), or_not(&e.phone)),
            ("Email".into(), or_not(&e.email)),
        ],
    });
    b.push(Block::KeyValues(vec![(
        "Address".into(),
        if address.is_empty() {
            NOT_RECORDED.into()
        } else {
            address
        },
    )]));

    b.push(Block::Heading("Prescriber".into()));
    b.push(Block::Fields {
        per_row: 2,
        fields: vec![
            ("Prescriber name".into(), or_not(&e.prescriber_name)),
            ("NPI".into(), or_not(&e.prescriber_npi)),
        ],
    });

    b.push(Block::Heading("Healthcare setting".into()));
    b.push(Block::Fields {
        per_row: 2,
        fields: vec![
            ("Setting name".into(), or_not(&e.setting_name)),
            ("REMS setting ID".into(), or_not(&e.rems_setting_id)),
        ],
    });

    b.push(Block::Heading("Enrollment".into()));
    b.push(Block::Fields {
        per_row: 3,
        fields: vec![
            ("Status".into(), e.status.label().into()),
            (
                "Enrolled on".into(),
                e.enrolled_on.map_or_else(|| NOT_RECORDED.to_string(), day),
            ),
            ("REMS patient ID".into(), or_not(&e.rems_patient_id)),
        ],
    });
    if let (Some(by), Some(at)) = (&e.recorded_by_name, &e.recorded_at) {
        b.push(Block::Note(format!(
            "Recorded in KetaChart by {by}, {}",
            crate::summary::stamp(at)
        )));
    }

    b.push(Block::Heading("Counselling acknowledgements".into()));
    b.push(Block::Note(
        "The patient initials each statement after it has been explained.".into(),
    ));
    for a in ACKNOWLEDGEMENTS {
        b.push(Block::Paragraph(format!("_____  {a}")));
    }

    b.push(Block::KeepTogether(vec![
        Block::Heading("Signatures".into()),
        Block::Fields {
            per_row: 2,
            fields: vec![
                (
                    "Patient signature".into(),
                    "\n\n____________________________________".into(),
                ),
                ("Date".into(), "\n\n____________________".into()),
                (
                    "Prescriber signature".into(),
                    "\n\n____________________________________".into(),
                ),
                ("Date".into(), "\n\n____________________".into()),
            ],
        },
    ]));

    Document {
        header: PageHeader {
            clinic_name: clinic.into(),
            document_title: TITLE.into(),
            patient_line: format!("{name} · DOB {} · MRN {mrn}", day(e.birth_date))
                + &e.rems_patient_id
                    .as_deref()
                    .map(|id| format!(" · REMS patient ID {id}"))
                    .unwrap_or_default(),
            generated_line: format!("Generated {generated_at}"),
            signed_line: None,
        },
        blocks: b,
        watermark: None,
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
