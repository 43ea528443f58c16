//! What a session's checks need from the rest of the chart, read inside the writing
//! transaction: its course, its place in the course, the last weight, earlier Spravato
//! sessions, 90867 already billed, open safety alerts and the payer on the session date.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use super::course::Course;
use super::schedule;
use super::session::TreatmentSession;
use super::validate::SessionContext;
use crate::billing::PayerClass;
use crate::error::{CoreError, CoreResult};
use crate::payer::{self, PayerType};
use crate::record::{self, RecordBody};
use crate::validation::ValidationErrors;

/// A stored session with its id and date.
pub(crate) struct SessionRow {
    pub id: i64,
    pub date: Option<NaiveDate>,
    pub signed: bool,
    pub session: TreatmentSession,
}

fn parse(text: &str) -> CoreResult<RecordBody> {
    serde_json::from_str(text)
        .map_err(|_| CoreError::Crypto("a stored clinical record is not readable"))
}

pub(crate) fn course(conn: &Connection, patient_id: i64, course_id: i64) -> CoreResult<Course> {
    let row: Option<(i64, String)> = conn
        .query_row(
            "SELECT patient_id, body FROM clinical_record WHERE id = ?1 AND kind = 'course'",
            [course_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok();
    match row {
        Some((p, body)) if p == patient_id => match parse(&body)? {
            RecordBody::Course(c) => Ok(c),
            _ => Err(CoreError::Crypto("a stored course is not readable")),
        },
        _ => Err(ValidationErrors::single(
            "courseId",
            "Choose one of this patient's treatment courses",
        )
        .into()),
    }
}

pub(crate) fn sessions(conn: &Connection, patient_id: i64) -> CoreResult<Vec<SessionRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, body, signed_at IS NOT NULL FROM clinical_record WHERE patient_id = ?1 AND kind = 'session' ORDER BY sort_date, id",
    )?;
    let rows = stmt.query_map([patient_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, bool>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, text, signed) = row?;
        if let RecordBody::Session(mut s) = parse(&text)? {
            if let Some(c) = record::course_alias(conn, id)? {
                s.course_id = c;
            }
            out.push(SessionRow {
                id,
                date: NaiveDate::parse_from_str(&s.date, "%Y-%m-%d").ok(),
                signed,
                session: s,
            });
        }
    }
    Ok(out)
}

/// Ordering inside a course: by date, then by id (a new session comes after its day's others).
fn before(other: &SessionRow, date: Option<NaiveDate>, id: Option<i64>) -> bool {
    match (other.date, date) {
        (Some(a), Some(b)) if a != b => a < b,
        (Some(_), Some(_)) => id.is_none_or(|me| other.id < me),
        _ => false,
    }
}

fn payer_class(
    conn: &Connection,
    patient_id: i64,
    on: Option<NaiveDate>,
) -> CoreResult<PayerClass> {
    let Some(on) = on else {
        return Ok(PayerClass::SelfPay);
    };
    for r in record::list_bodies(conn, patient_id, record::RecordKind::Coverage)? {
        let RecordBody::Coverage(c) = r else { continue };
        let from = NaiveDate::parse_from_str(&c.effective_from, "%Y-%m-%d").ok();
        let to = c
            .effective_to
            .as_deref()
            .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok());
        let primary = matches!(c.priority, Some(crate::record::coverage::Priority::Primary));
        if primary && from.is_some_and(|f| f <= on) && to.is_none_or(|t| t >= on) {
            let p = payer::get(conn, c.payer_id)?;
            return Ok(match p.payer_type {
                PayerType::Medicare | PayerType::MedicareAdvantage => PayerClass::Medicare,
                _ => PayerClass::Commercial,
            });
        }
    }
    Ok(PayerClass::SelfPay)
}

/// Open alerts with the local time of the score that raised them (`YYYY-MM-DDTHH:MM`).
fn open_alerts(conn: &Connection, patient_id: i64) -> CoreResult<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT a.reason, s.administered_at FROM safety_alert a \
         JOIN score_administration s ON s.id = a.administration_id \
         WHERE a.patient_id = ?1 AND a.acknowledged_at IS NULL ORDER BY a.raised_at",
    )?;
    let rows = stmt.query_map([patient_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The context for `session` (stored as `id`, or new), as of `now`.
pub(crate) fn build(
    conn: &Connection,
    patient_id: i64,
    session: &TreatmentSession,
    id: Option<i64>,
    now: NaiveDateTime,
) -> CoreResult<SessionContext> {
    let course = course(conn, patient_id, session.course_id)?;
    let (Some(modality), Some(indication)) = (course.modality, course.indication) else {
        return Err(CoreError::Crypto("a stored course has no modality"));
    };
    let date = NaiveDate::parse_from_str(session.date.trim(), "%Y-%m-%d").ok();
    let all = sessions(conn, patient_id)?;
    let others: Vec<&SessionRow> = all.iter().filter(|r| Some(r.id) != id).collect();
    let in_course: Vec<&&SessionRow> = others
        .iter()
        .filter(|r| r.session.course_id == session.course_id)
        .collect();
    let prior_in_course = in_course.iter().filter(|r| before(r, date, id)).count() as u32;
    let last_weight = others
        .iter()
        .filter(|r| before(r, date, id))
        .filter_map(|r| {
            let kg = r
                .session
                .weight
                .as_ref()?
                .kg
                .as_deref()?
                .parse::<f64>()
                .ok()?;
            Some((kg, r.date?))
        })
        .next_back();
    let prior_spravato = others
        .iter()
        .filter(|r| r.session.spravato.is_some() && before(r, date, id))
        .count() as u32;
    let mapping = in_course
        .iter()
        .filter(|r| before(r, date, id))
        .any(|r| r.session.billing.iter().any(|b| b.code == "90867"));
    let established = !others.is_empty()
        || record::list_bodies(conn, patient_id, record::RecordKind::Evaluation)?
            .iter()
            .any(|b| matches!(b, RecordBody::Evaluation(ev) if date.is_some_and(|d| ev.date.as_str() < d.format("%Y-%m-%d").to_string().as_str())));
    Ok(SessionContext {
        modality,
        indication,
        course_status: course.status,
        course_start: course.start(),
        session_number: prior_in_course + 1,
        planned_total: schedule::planned_total(&course.phases),
        authorized_units: crate::pa::request::sessions_for(
            conn,
            patient_id,
            session.course_id,
            &course,
            date.unwrap_or(now.date()),
        )?,
        last_weight,
        prior_spravato_sessions: prior_spravato,
        prior_sessions_in_course: prior_in_course,
        initial_mapping_billed_in_course: mapping,
        open_alerts: open_alerts(conn, patient_id)?,
        rems_enrollment: crate::rems_enrollment::gate(conn, patient_id)?,
        payer: payer_class(conn, patient_id, date)?,
        established_patient: established,
        now,
    })
}

/// Sessions of a course, for its counter (all, and signed).
pub(crate) fn course_counts(
    conn: &Connection,
    patient_id: i64,
    course_id: i64,
) -> CoreResult<(u32, u32)> {
    let all = sessions(conn, patient_id)?;
    let mine: Vec<_> = all
        .iter()
        .filter(|r| r.session.course_id == course_id)
        .collect();
    Ok((
        mine.len() as u32,
        mine.iter().filter(|r| r.signed).count() as u32,
    ))
}
