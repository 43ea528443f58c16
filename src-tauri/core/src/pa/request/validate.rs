//! The request form against the chart: every problem on its field, nothing stored until all is
//! well. Runs inside the writing transaction, so what it checks is what gets stored.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use super::check;
use super::{CodeLine, RequestInput, RequestKind, RequestStatus};
use crate::error::{CoreError, CoreResult};
use crate::pa::registry;
use crate::pa::service::Service;
use crate::record::{check as record_check, RecordBody};
use crate::reference::icd10;
use crate::user::Role;
use crate::validation::ValidationErrors;

/// Claim forms carry at most 12 diagnosis codes.
const MAX_DIAGNOSES: usize = 12;

/// A checked request form, normalised.
pub(super) struct Valid {
    pub kind: RequestKind,
    pub previous_id: Option<i64>,
    pub service: Service,
    pub rule_set_id: String,
    pub rule_set_version: String,
    pub payer_id: i64,
    pub coverage_record_id: Option<i64>,
    pub course_record_id: Option<i64>,
    pub ordering_provider_id: Option<i64>,
    pub expedited: bool,
    pub requested_lines: Vec<CodeLine>,
    pub diagnosis_codes: Vec<String>,
    pub requested_start: Option<NaiveDate>,
    pub requested_end: Option<NaiveDate>,
    pub requested_sessions: Option<u32>,
}

/// Checks `input`; `editing` is the id of the request being changed (none for a new one).
pub(super) fn validate(
    conn: &Connection,
    input: &RequestInput,
    editing: Option<i64>,
    today: NaiveDate,
) -> CoreResult<Valid> {
    let mut e = ValidationErrors::new();
    let patient_known: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM patient WHERE id = ?1)",
        [input.patient_id],
        |r| r.get(0),
    )?;
    if !patient_known {
        e.add("patientId", "Choose a patient");
    }
    let pid = input.patient_id;

    let payer_id = match input.payer_id {
        None => {
            e.add("payerId", "Select the payer");
            None
        }
        Some(id) => match crate::payer::get(conn, id) {
            Ok(p) => Some(p.id),
            Err(CoreError::NotFound { .. }) => {
                e.add("payerId", "Select a payer from the list");
                None
            }
            Err(other) => return Err(other),
        },
    };

    rule_set(conn, &mut e, input)?;
    coverage(conn, &mut e, pid, input.coverage_record_id)?;
    course(conn, &mut e, pid, input.service, input.course_record_id)?;
    ordering_provider(conn, &mut e, input.ordering_provider_id)?;
    previous(conn, &mut e, input, editing)?;

    let requested_lines = check::lines(&mut e, "requestedLines", &input.requested_lines);
    let diagnosis_codes = diagnoses(&mut e, &input.diagnosis_codes)?;
    let start = record_check::optional_full_date(
        &mut e,
        "requestedStart",
        "The first date requested",
        &input.requested_start,
        today,
        true,
    );
    let end = record_check::optional_full_date(
        &mut e,
        "requestedEnd",
        "The last date requested",
        &input.requested_end,
        today,
        true,
    );
    if let (Some(s), Some(en)) = (start, end) {
        if en < s {
            e.add(
                "requestedEnd",
                "The last date must be the same as or after the first date",
            );
        }
    }
    let sessions = record_check::optional_count(
        &mut e,
        "requestedSessions",
        "The number of sessions",
        &input.requested_sessions,
        1,
        500,
    );
    e.into_result()?;
    Ok(Valid {
        kind: input.kind,
        previous_id: input.previous_id,
        service: input.service,
        rule_set_id: input.rule_set_id.trim().to_string(),
        rule_set_version: input.rule_set_version.trim().to_string(),
        payer_id: payer_id.ok_or(CoreError::Crypto("a validated payer was lost"))?,
        coverage_record_id: input.coverage_record_id,
        course_record_id: input.course_record_id,
        ordering_provider_id: input.ordering_provider_id,
        expedited: input.expedited,
        requested_lines,
        diagnosis_codes,
        requested_start: start,
        requested_end: end,
        requested_sessions: sessions,
    })
}

fn rule_set(conn: &Connection, e: &mut ValidationErrors, input: &RequestInput) -> CoreResult<()> {
    let id = input.rule_set_id.trim();
    let version = input.rule_set_version.trim();
    if id.is_empty() || version.is_empty() {
        e.add("ruleSetId", "Choose the payer rule set");
        return Ok(());
    }
    match registry::find(conn, id, version) {
        Ok(r) if r.service != input.service => e.add(
            "ruleSetId",
            format!(
                "Rule set \"{id}\" is for {}, not {}",
                r.service.label(),
                input.service.label()
            ),
        ),
        Ok(_) => {}
        Err(CoreError::NotFound { .. }) => e.add(
            "ruleSetId",
            format!("There is no rule set \"{id}\" version \"{version}\""),
        ),
        Err(other) => return Err(other),
    }
    Ok(())
}

/// `(patient_id, body)` of a clinical record of one kind.
fn record_of(conn: &Connection, id: i64, kind: &str) -> CoreResult<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT patient_id, body FROM clinical_record WHERE id = ?1 AND kind = ?2",
            rusqlite::params![id, kind],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

fn coverage(
    conn: &Connection,
    e: &mut ValidationErrors,
    patient_id: i64,
    id: Option<i64>,
) -> CoreResult<()> {
    let Some(id) = id else { return Ok(()) };
    match record_of(conn, id, "coverage")? {
        Some((p, _)) if p == patient_id => {}
        _ => e.add(
            "coverageRecordId",
            "Choose one of this patient's insurance coverages",
        ),
    }
    Ok(())
}

fn course(
    conn: &Connection,
    e: &mut ValidationErrors,
    patient_id: i64,
    service: Service,
    id: Option<i64>,
) -> CoreResult<()> {
    let Some(id) = id else { return Ok(()) };
    let Some((_, body)) = record_of(conn, id, "course")?.filter(|(p, _)| *p == patient_id) else {
        e.add(
            "courseRecordId",
            "Choose one of this patient's treatment courses",
        );
        return Ok(());
    };
    let modality = match serde_json::from_str::<RecordBody>(&body) {
        Ok(RecordBody::Course(c)) => c.modality,
        _ => return Err(CoreError::Crypto("a stored course is not readable")),
    };
    match modality {
        Some(m) if service.delivered_by(m) => {}
        Some(m) => e.add(
            "courseRecordId",
            format!(
                "This is a {} course; the request is for {}",
                m.label(),
                service.label()
            ),
        ),
        None => e.add(
            "courseRecordId",
            "This course has no treatment recorded; choose another",
        ),
    }
    Ok(())
}

fn ordering_provider(
    conn: &Connection,
    e: &mut ValidationErrors,
    id: Option<i64>,
) -> CoreResult<()> {
    let Some(id) = id else { return Ok(()) };
    let disabled: Option<bool> = conn
        .query_row("SELECT disabled FROM app_user WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    let ok = disabled == Some(false)
        && crate::user::store::roles_of(conn, id)?.contains(&Role::Provider);
    if !ok {
        e.add(
            "orderingProviderId",
            "Choose the ordering provider from the clinic's providers",
        );
    }
    Ok(())
}

fn previous(
    conn: &Connection,
    e: &mut ValidationErrors,
    input: &RequestInput,
    editing: Option<i64>,
) -> CoreResult<()> {
    match (input.kind, input.previous_id) {
        (RequestKind::Initial, None) => Ok(()),
        (RequestKind::Initial, Some(_)) => {
            e.add(
                "previousId",
                "Only a re-authorization continues an earlier request",
            );
            Ok(())
        }
        (RequestKind::Reauthorization, None) => {
            e.add(
                "previousId",
                "Choose the approved request this re-authorization continues",
            );
            Ok(())
        }
        (RequestKind::Reauthorization, Some(prev)) => {
            let row: Option<(i64, String, String)> = conn
                .query_row(
                    "SELECT patient_id, service, status FROM pa_request WHERE id = ?1",
                    [prev],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let earlier = editing.is_none_or(|me| prev < me);
            let fits = row.as_ref().is_some_and(|(p, s, st)| {
                *p == input.patient_id
                    && Service::parse(s) == Some(input.service)
                    && matches!(
                        RequestStatus::parse(st),
                        Some(RequestStatus::Approved | RequestStatus::PartiallyApproved)
                    )
            });
            if !(earlier && fits) {
                e.add(
                    "previousId",
                    "A re-authorization continues an earlier approved request for the same patient and service",
                );
            }
            Ok(())
        }
    }
}

fn diagnoses(e: &mut ValidationErrors, codes: &[String]) -> CoreResult<Vec<String>> {
    let reference = icd10::bundled()?;
    if codes.len() > MAX_DIAGNOSES {
        e.add(
            "diagnosisCodes",
            format!("List at most {MAX_DIAGNOSES} diagnosis codes"),
        );
        return Ok(Vec::new());
    }
    let mut out: Vec<String> = Vec::new();
    for (i, raw) in codes.iter().enumerate() {
        let field = format!("diagnosisCodes.{i}");
        let code = raw.trim().to_uppercase();
        if code.is_empty() {
            e.add(&field, "Enter an ICD-10 code");
        } else if reference.get(&code).is_none() {
            e.add(
                &field,
                format!("{code} is not in KetaChart's ICD-10 list; choose a code from the list"),
            );
        } else if out.contains(&code) {
            e.add(&field, format!("{code} is listed twice"));
        } else {
            out.push(code);
        }
    }
    Ok(out)
}
