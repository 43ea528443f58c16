//! Recording and listing administrations.

use chrono::NaiveDateTime;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{alert, Administration, Mode, ScoreInput, StoredResult};
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::record::patient_mrn;
use crate::scales::{self, Entry, RiskLevel};
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

/// The administration time as entered: `YYYY-MM-DDTHH:MM`.
const AT_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// Scores and stores one administration, and raises its safety alerts, in one transaction.
/// `now` is the local time, against which future times are refused.
pub fn record(
    session: &mut Session,
    patient_id: i64,
    input: &ScoreInput,
    now: NaiveDateTime,
) -> CoreResult<Administration> {
    session.require(Permission::EditClinical)?;
    let reference = scales::bundled()?;
    let mut e = ValidationErrors::new();
    let instrument = reference.get(input.instrument.trim());
    if instrument.is_none() {
        e.add("instrument", "Choose a rating scale");
    }
    let at = input.administered_at.trim();
    match NaiveDateTime::parse_from_str(at, AT_FORMAT) {
        Err(_) => e.add(
            "administeredAt",
            "Enter the date and time it was given, like 2026-11-21T09:30",
        ),
        Ok(t) if t > now => e.add(
            "administeredAt",
            "The date and time cannot be in the future",
        ),
        Ok(_) => {}
    }
    let mode = input.mode;
    if mode.is_none() {
        e.add("mode", "Select who answered");
    }
    let rater = input
        .rater
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if rater.is_some_and(|r| r.chars().count() > 100) {
        e.add("rater", "The rater's name must be 100 characters or fewer");
    }
    let is_cadss = instrument.is_some_and(|i| i.id == "cadss");
    let timepoint = input
        .timepoint
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match (is_cadss, timepoint) {
        (true, None) => e.add(
            "timepoint",
            "Select when the CADSS was rated: before the dose or at the peak",
        ),
        (true, Some(t)) if t != "pre_dose" && t != "peak" => {
            e.add("timepoint", "Select before the dose or at the peak")
        }
        (false, Some(_)) if instrument.is_some() => {
            e.add("timepoint", "Only the CADSS is rated at a time point")
        }
        _ => {}
    }
    if !input.answers.is_empty() && input.total.is_some() {
        e.add("total", "Enter either the answers or the total, not both");
    }
    e.into_result()?;
    let (Some(instrument), Some(mode)) = (instrument, mode) else {
        return Err(CoreError::Crypto(
            "a checked score input lost its instrument",
        ));
    };
    let entry = match input.total {
        Some(t) => Entry::Total(t),
        None => Entry::Items(input.answers.clone()),
    };
    let scored = instrument.score(&entry)?;
    let result = StoredResult {
        flags: scored.flags.iter().map(|f| f.message.clone()).collect(),
        triage: scored.triage.as_ref().map(|t| t.level.label().to_string()),
        unchecked: scored
            .unchecked_safety
            .iter()
            .map(|u| u.message.clone())
            .collect(),
        verified: scored.band.as_ref().is_none_or(|b| b.verified)
            && scored.flags.iter().all(|f| f.verified)
            && scored.triage.as_ref().is_none_or(|t| t.verified),
    };
    // One alert per administration: the highest level reached, with every reason.
    let mut reasons: Vec<String> = scored.flags.iter().map(|f| f.message.clone()).collect();
    let mut level = (!reasons.is_empty()).then_some(alert::AlertLevel::Flag);
    if let Some(t) = scored.triage.as_ref().filter(|t| t.alert) {
        level = Some(if t.level == RiskLevel::High {
            alert::AlertLevel::High
        } else {
            alert::AlertLevel::Moderate
        });
        reasons.insert(0, format!("{}: {}", instrument.short_name, t.level.label()));
    }
    let alert = level.map(|l| (l, reasons.join("; ")));

    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let mrn = patient_mrn(&tx, patient_id)?;
    if let Some(sid) = input.session_id {
        check_session_link(&tx, patient_id, sid, at)?;
    }
    let answers_json = if scored.answers.is_empty() {
        None
    } else {
        Some(json(&scored.answers)?)
    };
    tx.execute(
        "INSERT INTO score_administration (patient_id, instrument, reference_version, administered_at, \
         mode, rater, timepoint, answers, total, total_entered, band, result, entered_by, created_at, \
         session_record_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            patient_id,
            instrument.id,
            reference.version,
            at,
            mode.as_str(),
            rater,
            timepoint,
            answers_json,
            scored.total,
            scored.total_entered,
            scored.band.as_ref().map(|b| b.label.clone()),
            json(&result)?,
            actor.username,
            now_utc(),
            input.session_id,
        ],
    )?;
    let id = tx.last_insert_rowid();
    if let Some((level, reason)) = &alert {
        alert::raise(&tx, patient_id, id, *level, reason)?;
    }
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::ScoreRecord)
            .patient(patient_id, &mrn)
            .record("score", id.to_string())
            .detail(format!(
                "{}{}",
                instrument.short_name,
                if alert.is_none() {
                    ""
                } else {
                    "; safety alert raised"
                }
            )),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}

/// A score linked to a session belongs to the same patient and was given on the session's date.
fn check_session_link(
    conn: &Connection,
    patient_id: i64,
    session_id: i64,
    at: &str,
) -> CoreResult<()> {
    let row: Option<(i64, String)> = conn
        .query_row(
            "SELECT patient_id, json_extract(body, '$.date') FROM clinical_record WHERE id = ?1 AND kind = 'session'",
            [session_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((p, date)) if p == patient_id => {
            if !at.starts_with(&date) {
                return Err(ValidationErrors::single(
                    "administeredAt",
                    format!("A score given in a session is dated on the session's day ({date})"),
                )
                .into());
            }
            Ok(())
        }
        _ => Err(
            ValidationErrors::single("sessionId", "Choose one of this patient's sessions").into(),
        ),
    }
}

fn json<T: serde::Serialize>(v: &T) -> CoreResult<String> {
    serde_json::to_string(v).map_err(|_| CoreError::Crypto("a score could not be encoded"))
}

/// A patient's administrations, oldest first; one instrument's when `instrument` is given.
pub fn list(
    session: &Session,
    patient_id: i64,
    instrument: Option<&str>,
) -> CoreResult<Vec<Administration>> {
    session.require(Permission::ReadClinical)?;
    patient_mrn(session.conn(), patient_id)?;
    let mut stmt = session.conn().prepare(&format!(
        "SELECT {COLUMNS} FROM score_administration WHERE patient_id = ?1 AND (?2 IS NULL OR instrument = ?2) \
         ORDER BY administered_at, id"
    ))?;
    let rows = stmt
        .query_map(params![patient_id, instrument], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().collect()
}

pub(crate) fn load(conn: &Connection, id: i64) -> CoreResult<Administration> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM score_administration WHERE id = ?1"),
        [id],
        from_row,
    )?
}

const COLUMNS: &str =
    "id, patient_id, instrument, administered_at, mode, rater, timepoint, answers, \
    total, total_entered, band, result, entered_by, created_at, session_record_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<CoreResult<Administration>> {
    let instrument: String = r.get(2)?;
    let mode: String = r.get(4)?;
    let answers: Option<String> = r.get(7)?;
    let result: String = r.get(11)?;
    let id: i64 = r.get(0)?;
    let patient_id: i64 = r.get(1)?;
    let administered_at: String = r.get(3)?;
    let rater: Option<String> = r.get(5)?;
    let timepoint: Option<String> = r.get(6)?;
    let total: Option<i32> = r.get(8)?;
    let total_entered: bool = r.get(9)?;
    let band: Option<String> = r.get(10)?;
    let entered_by: String = r.get(12)?;
    let created_at: String = r.get(13)?;
    let session_id: Option<i64> = r.get(14)?;
    Ok((|| {
        let unreadable = || CoreError::Crypto("a stored score is not readable");
        let name = scales::bundled()?
            .get(&instrument)
            .map(|i| i.short_name.clone())
            .unwrap_or_else(|| instrument.clone());
        Ok(Administration {
            id,
            patient_id,
            instrument_name: name,
            instrument,
            administered_at,
            mode: Mode::parse(&mode)
                .ok_or(CoreError::Crypto("a stored score has an unknown mode"))?,
            rater,
            timepoint,
            answers: match answers {
                Some(a) => serde_json::from_str(&a).map_err(|_| unreadable())?,
                None => Default::default(),
            },
            total,
            total_entered,
            band,
            result: serde_json::from_str(&result).map_err(|_| unreadable())?,
            entered_by,
            created_at,
            session_id,
        })
    })())
}
