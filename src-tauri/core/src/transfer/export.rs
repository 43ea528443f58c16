//! Writing a patient's whole record as a [`PatientFile`].

use std::collections::BTreeMap;

use super::format::*;
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::patient::{self, PatientId};
use crate::payer;
use crate::record::{self, RecordBody, RecordKind};
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::trial;

/// Reads the record and audits the export; the caller hands the JSON to the user (the CLI
/// prints it). To write a file, use [`export_patient_to`].
pub fn export_patient(
    session: &mut Session,
    patient_id: i64,
    today: chrono::NaiveDate,
) -> CoreResult<PatientFile> {
    session.require(Permission::ReadClinical)?;
    let file = build(session, patient_id, today)?;
    audit_export(session, patient_id, &file)?;
    Ok(file)
}

/// Writes the patient's file to `path` (owner-only, outside the vault, atomically), then audits.
pub fn export_patient_to(
    session: &mut Session,
    patient_id: i64,
    path: &str,
    today: chrono::NaiveDate,
) -> CoreResult<std::path::PathBuf> {
    session.require(Permission::ReadClinical)?;
    crate::export_file::check_target("path", path)?;
    let file = build(session, patient_id, today)?;
    let written = crate::export_file::save_for_user(session, path, to_json(&file)?.as_bytes())?;
    audit_export(session, patient_id, &file)?;
    Ok(written)
}

fn audit_export(session: &Session, patient_id: i64, file: &PatientFile) -> CoreResult<()> {
    let actor = session.actor();
    audit::append(
        session.conn(),
        &actor,
        &NewEvent::new(AuditAction::PatientExport).patient(patient_id, &file.patient.mrn),
    )?;
    Ok(())
}

fn build(session: &Session, patient_id: i64, today: chrono::NaiveDate) -> CoreResult<PatientFile> {
    let p = patient::load(session.conn(), PatientId(patient_id))?;
    let trials = trial::list(session, patient_id, today)?
        .into_iter()
        .map(|t| {
            let v = t.data;
            TrialPart {
                drug: v.drug_name,
                role: v.role.as_str().into(),
                start_date: v.start.to_iso(),
                stop_date: v.stop.map(|d| d.to_iso()),
                ongoing: v.ongoing,
                doses: v
                    .doses
                    .iter()
                    .map(|d| DosePart {
                        from: d.from.to_iso(),
                        daily: d.daily,
                    })
                    .collect(),
                adherence_percent: v.adherence_percent,
                adherent: v.adherent,
                adherence_source: v.adherence_source.map(|s| s.as_str().into()),
                outcome: v.outcome.map(|o| o.as_str().into()),
                adverse_effect: v.adverse_effect,
                reason_stopped: v.reason_stopped,
                current_episode: v.current_episode,
                source_note: v.source_note,
                score_instrument: v.score_instrument,
                pre_score: v.pre_score,
                post_score: v.post_score,
            }
        })
        .collect();
    let mut payers: Vec<PayerPart> = Vec::new();
    let mut refs: BTreeMap<i64, i64> = BTreeMap::new();
    let mut records = Vec::new();
    let listed = record::list(session, patient_id, None)?;
    // Records are referred to by their place in the file (1, 2, …), never by database id, so
    // the same record exports the same from any vault.
    let place: BTreeMap<i64, i64> = listed
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i as i64 + 1))
        .collect();
    for r in listed {
        let mut body: serde_json::Value =
            serde_json::from_str(&record::body_text(session.conn(), r.id)?)
                .map_err(|_| CoreError::Crypto("a stored clinical record is not readable"))?;
        if r.body.kind() == RecordKind::Coverage {
            let db_id = body
                .get("payerId")
                .and_then(|v| v.as_i64())
                .unwrap_or_default();
            let next = refs.len() as i64 + 1;
            let reference = *refs.entry(db_id).or_insert(next);
            if reference == next {
                let py = payer::get(session.conn(), db_id)?;
                payers.push(PayerPart {
                    reference,
                    name: py.name,
                    payer_type: py.payer_type,
                    pa_phone: py.pa_phone,
                    pa_fax: py.pa_fax,
                });
            }
            body["payerId"] = reference.into();
        }
        let course = match &r.body {
            RecordBody::Session(ses) => place.get(&ses.course_id).copied(),
            _ => None,
        };
        records.push(RecordPart {
            body,
            reference: place.get(&r.id).copied(),
            course,
            created_at: r.created_at,
            created_by: r.created_by,
            signature: r.signature.map(|s| SignaturePart {
                by: s.by,
                by_name: s.by_name,
                at: s.at,
                sha256: s.sha256,
            }),
            addenda: r
                .addenda
                .into_iter()
                .map(|a| AddendumPart {
                    text: a.text,
                    by: a.by,
                    by_name: a.by_name,
                    at: a.at,
                    sha256: a.sha256,
                })
                .collect(),
        });
    }
    Ok(PatientFile {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: now_utc(),
        patient: PatientPart {
            mrn: p.mrn,
            given_name: p.given_name,
            family_name: p.family_name,
            preferred_name: p.preferred_name,
            birth_date: p.birth_date.format("%Y-%m-%d").to_string(),
            sex_at_birth: p.sex_at_birth.map(|s| s.as_str().into()),
            gender_identity: p.gender_identity,
            phone: p.phone,
            email: p.email,
            address: AddressPart {
                line1: p.address.line1,
                line2: p.address.line2,
                city: p.address.city,
                region: p.address.region,
                postal_code: p.address.postal_code,
            },
            emergency_contact: EmergencyContactPart {
                name: p.emergency_contact.name,
                relationship: p.emergency_contact.relationship,
                phone: p.emergency_contact.phone,
            },
        },
        payers,
        trials,
        records,
    })
}

/// The file's JSON text (pretty-printed, stable field order).
pub fn to_json(file: &PatientFile) -> CoreResult<String> {
    serde_json::to_string_pretty(file)
        .map_err(|_| CoreError::Crypto("the export could not be encoded"))
}
