//! Reading a [`PatientFile`] back: everything is checked first (format, version, every field by
//! the same rules as the forms, signatures against their content), then stored in one
//! transaction, so a refused file imports nothing.

use chrono::NaiveDate;

use super::format::*;
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::date_input::DateParts;
use crate::error::{CoreError, CoreResult};
use crate::patient::{self, Address, EmergencyContact, PatientInput, SexAtBirth};
use crate::payer;
use crate::record::{self, canonical, ImportedRecord, RecordBody};
use crate::reference::drugs;
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::trial::{self, DoseInput, TrialInput};

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    pub patient_id: i64,
    pub mrn: String,
    /// The MRN in the file, when it was taken here and a new one was given.
    pub mrn_replaced: Option<String>,
    pub trials: usize,
    pub records: usize,
}

fn refused(why: impl Into<String>) -> CoreError {
    CoreError::ImportRefused(why.into())
}

/// Parses and checks the file's text without storing anything.
pub fn parse(text: &str) -> CoreResult<PatientFile> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        refused(format!(
            "it is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(refused("it is not a KetaChart patient export"));
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == VERSION as u64 => {}
        Some(v) if v > VERSION as u64 => {
            return Err(refused(format!(
                "it was written by a newer KetaChart (format version {v}; this version reads version {VERSION}). Update KetaChart first"
            )))
        }
        _ => return Err(refused("its format version is missing or not one KetaChart knows")),
    }
    serde_json::from_value(value)
        .map_err(|e| refused(format!("it does not match the documented format: {e}")))
}

fn patient_input(p: &PatientPart) -> CoreResult<PatientInput> {
    let birth = NaiveDate::parse_from_str(&p.birth_date, "%Y-%m-%d")
        .map_err(|_| refused("the patient's date of birth is not a YYYY-MM-DD date"))?;
    let sex = match p.sex_at_birth.as_deref() {
        None => None,
        Some(s) => Some(
            SexAtBirth::parse(s)
                .ok_or_else(|| refused(format!("\"{s}\" is not a sex at birth KetaChart knows")))?,
        ),
    };
    Ok(PatientInput {
        given_name: p.given_name.clone(),
        family_name: p.family_name.clone(),
        preferred_name: p.preferred_name.clone(),
        birth_date: DateParts::from_date(birth),
        sex_at_birth: sex,
        gender_identity: p.gender_identity.clone(),
        phone: p.phone.clone(),
        email: p.email.clone(),
        address: Address {
            line1: p.address.line1.clone(),
            line2: p.address.line2.clone(),
            city: p.address.city.clone(),
            region: p.address.region.clone(),
            postal_code: p.address.postal_code.clone(),
        },
        emergency_contact: EmergencyContact {
            name: p.emergency_contact.name.clone(),
            relationship: p.emergency_contact.relationship.clone(),
            phone: p.emergency_contact.phone.clone(),
        },
    })
}

fn trial_input(t: &TrialPart) -> TrialInput {
    let num = |v: f64| v.to_string();
    TrialInput {
        drug: t.drug.clone(),
        role: t.role.clone(),
        start_date: t.start_date.clone(),
        stop_date: t.stop_date.clone().unwrap_or_default(),
        ongoing: t.ongoing,
        doses: t
            .doses
            .iter()
            .map(|d| DoseInput {
                from: d.from.clone(),
                daily: num(d.daily),
            })
            .collect(),
        adherence_percent: t
            .adherence_percent
            .map(|p| p.to_string())
            .unwrap_or_default(),
        adherent: t.adherent,
        adherence_source: t.adherence_source.clone().unwrap_or_default(),
        outcome: t.outcome.clone().unwrap_or_default(),
        adverse_effect: t.adverse_effect.clone().unwrap_or_default(),
        reason_stopped: t.reason_stopped.clone().unwrap_or_default(),
        current_episode: t.current_episode,
        source_note: t.source_note.clone().unwrap_or_default(),
        score_instrument: t.score_instrument.clone().unwrap_or_default(),
        pre_score: t.pre_score.map(num).unwrap_or_default(),
        post_score: t.post_score.map(num).unwrap_or_default(),
    }
}

/// Imports a patient file as a new patient. All or nothing.
pub fn import_patient(
    session: &mut Session,
    text: &str,
    today: NaiveDate,
) -> CoreResult<ImportOutcome> {
    session.require(Permission::EditClinical)?;
    session.require(Permission::EditPatients)?;
    let file = parse(text)?;
    let valid_patient = patient::validate(&patient_input(&file.patient)?, today)
        .map_err(|e| refused(format!("the patient's details are not valid: {e}")))?;
    let reference = drugs::bundled()?;
    let mut trials = Vec::new();
    for (i, t) in file.trials.iter().enumerate() {
        let v = trial::validate::validate(&trial_input(t), reference, today)
            .map_err(|e| refused(format!("trial {} ({}) is not valid: {e}", i + 1, t.drug)))?;
        trials.push(v);
    }
    let mut bodies = Vec::new();
    for (i, r) in file.records.iter().enumerate() {
        let n = i + 1;
        let body: RecordBody = serde_json::from_value(r.body.clone()).map_err(|e| {
            refused(format!(
                "record {n} does not match the documented format: {e}"
            ))
        })?;
        if let RecordBody::Session(ses) = &body {
            let course_ref = r.course.unwrap_or(ses.course_id);
            let found = file.records.iter().any(|o| {
                o.reference == Some(course_ref)
                    && o.body.get("kind").and_then(|k| k.as_str()) == Some("course")
            });
            if !found {
                return Err(refused(format!(
                    "record {n} (treatment session) names course {course_ref}, which is not in the file"
                )));
            }
        }
        if let RecordBody::Coverage(c) = &body {
            if !file.payers.iter().any(|p| p.reference == c.payer_id) {
                return Err(refused(format!(
                    "record {n} (coverage) names payer {} which is not in the file's payer list",
                    c.payer_id
                )));
            }
        }
        let normalised = body.validate(today).map_err(|e| {
            refused(format!(
                "record {n} ({}) is not valid: {e}",
                body.kind().label()
            ))
        })?;
        match &r.signature {
            Some(sig) => {
                if !body.kind().is_signable() {
                    return Err(refused(format!(
                        "record {n} is a {} and cannot carry a signature",
                        body.kind().label()
                    )));
                }
                if canonical::content_hash(&r.body) != sig.sha256 || normalised != body {
                    return Err(refused(format!(
                        "the signed {} (record {n}) does not match its signature: the file was altered after export",
                        body.kind().label()
                    )));
                }
                for a in &r.addenda {
                    if canonical::addendum_hash(&sig.sha256, &a.text) != a.sha256 {
                        return Err(refused(format!(
                            "an addendum of record {n} does not match its signature"
                        )));
                    }
                }
            }
            None if !r.addenda.is_empty() => {
                return Err(refused(format!("record {n} has addenda but no signature")));
            }
            None => {}
        }
        bodies.push((normalised, r));
    }

    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let now = now_utc();
    let (pid, mrn) = patient::insert_imported(&tx, &valid_patient, &file.patient.mrn, &now)?;
    let mut payer_ids = std::collections::BTreeMap::new();
    for p in &file.payers {
        payer_ids.insert(
            p.reference,
            payer::find_or_add(
                &tx,
                &p.name,
                p.payer_type,
                p.pa_phone.as_deref(),
                p.pa_fax.as_deref(),
            )?,
        );
    }
    for v in &trials {
        trial::insert(&tx, pid.0, v, &now)?;
    }
    // Courses (and everything else) first, so each session's course has its new id.
    let mut order: Vec<usize> = (0..bodies.len()).collect();
    order.sort_by_key(|&i| matches!(bodies[i].0, RecordBody::Session(_)));
    let mut new_ids = std::collections::BTreeMap::new();
    for i in order {
        let (body, part) = &bodies[i];
        let mut body = body.clone();
        let mut alias = None;
        if let RecordBody::Session(ses) = &mut body {
            let course_ref = part.course.unwrap_or(ses.course_id);
            let new_course = *new_ids.get(&course_ref).ok_or_else(|| {
                refused(format!("record {} names a course not in the file", i + 1))
            })?;
            if part.signature.is_some() {
                alias = (ses.course_id != new_course).then_some(new_course);
            }
            ses.course_id = new_course;
        }
        let text = if part.signature.is_some() {
            // Stored exactly as signed, so the hash still verifies here.
            serde_json::to_string(&part.body)
                .map_err(|_| CoreError::Crypto("a record could not be encoded"))?
        } else {
            if let RecordBody::Coverage(c) = &mut body {
                c.payer_id = payer_ids.get(&c.payer_id).copied().unwrap_or_default();
            }
            serde_json::to_string(&body)
                .map_err(|_| CoreError::Crypto("a record could not be encoded"))?
        };
        let imported = ImportedRecord {
            body: &body,
            body_text: text,
            created_at: &part.created_at,
            created_by: &part.created_by,
            signature: part.signature.as_ref().map(|s| {
                (
                    s.at.as_str(),
                    s.by.as_str(),
                    s.by_name.as_str(),
                    s.sha256.as_str(),
                )
            }),
            addenda: part
                .addenda
                .iter()
                .map(|a| {
                    (
                        a.text.as_str(),
                        a.at.as_str(),
                        a.by.as_str(),
                        a.by_name.as_str(),
                        a.sha256.as_str(),
                    )
                })
                .collect(),
        };
        let new_id = record::insert_imported(&tx, pid.0, &imported).map_err(|e| match e {
            CoreError::Validation(v) => refused(format!(
                "record {} conflicts with another in the file: {v}",
                i + 1
            )),
            other => other,
        })?;
        if let Some(reference) = part.reference {
            new_ids.insert(reference, new_id);
        }
        if let Some(course) = alias {
            tx.execute(
                "INSERT INTO record_course_alias (record_id, course_id) VALUES (?1, ?2)",
                rusqlite::params![new_id, course],
            )?;
        }
    }
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::PatientImport).patient(pid.0, &mrn),
    )?;
    tx.commit()?;
    Ok(ImportOutcome {
        patient_id: pid.0,
        mrn_replaced: (mrn != file.patient.mrn).then(|| file.patient.mrn.clone()),
        mrn,
        trials: trials.len(),
        records: bodies.len(),
    })
}
