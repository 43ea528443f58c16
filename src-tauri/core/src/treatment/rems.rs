//! The Spravato REMS paperwork: an outpatient setting files a Patient Monitoring Form within 7
//! days of every session. A signed Spravato session is "due" until someone records that its
//! form was submitted (online or by fax), which is kept apart from the signed record (a signed
//! session never changes) and never edited or deleted.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::reference;
use crate::access::Permission;
use crate::audit::{AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::record::{self, RecordBody};
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmissionMethod {
    Online,
    Fax,
}

impl SubmissionMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionMethod::Online => "online",
            SubmissionMethod::Fax => "fax",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "online" => Some(Self::Online),
            "fax" => Some(Self::Fax),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub submitted_on: String,
    pub method: SubmissionMethod,
    pub confirmation: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone)]
pub struct SubmissionInput {
    pub submitted_on: String,
    pub method: Option<SubmissionMethod>,
    pub confirmation: Option<String>,
}

/// A Spravato session (dosed) whose form is not yet marked submitted; an unsigned one must be
/// signed before its form can be produced, and its 7 days run all the same.
#[derive(Debug, Clone, PartialEq)]
pub struct RemsDue {
    pub record_id: i64,
    pub patient_id: i64,
    pub mrn: String,
    pub patient_name: String,
    pub session_date: String,
    pub due_date: String,
    /// Negative when overdue.
    pub days_left: i64,
    /// Empty while the session is not signed.
    pub signed_by_name: String,
    pub signed: bool,
}

pub(crate) fn submission(conn: &Connection, record_id: i64) -> CoreResult<Option<Submission>> {
    let row = conn
        .query_row(
            "SELECT submitted_on, method, confirmation, recorded_by, recorded_at FROM rems_submission WHERE record_id = ?1",
            [record_id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
        )
        .optional()?;
    row.map(|(on, m, c, by, at)| {
        Ok(Submission {
            submitted_on: on,
            method: SubmissionMethod::parse(&m).ok_or(CoreError::Crypto(
                "a stored REMS submission is not readable",
            ))?,
            confirmation: c,
            recorded_by: by,
            recorded_at: at,
        })
    })
    .transpose()
}

fn due_date(session_date: NaiveDate) -> CoreResult<NaiveDate> {
    let days = reference::bundled()?.spravato.rems_form_due_days;
    Ok(session_date
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(session_date))
}

/// Records that the REMS form of signed Spravato session `record_id` was submitted.
pub fn mark_submitted(
    session: &mut Session,
    record_id: i64,
    input: &SubmissionInput,
    today: NaiveDate,
) -> CoreResult<Submission> {
    session.require(Permission::SubmitForms)?;
    let rec = record::get(session, record_id)?;
    let RecordBody::Session(s) = &rec.body else {
        return Err(CoreError::NotFound {
            what: "The Spravato session",
        });
    };
    if s.spravato.is_none() {
        return Err(CoreError::Conflict(
            "Only Spravato sessions have a REMS monitoring form".into(),
        ));
    }
    if rec.signature.is_none() {
        return Err(CoreError::Conflict(
            "Sign the session first: the REMS form is filed from the signed session".into(),
        ));
    }
    let mut e = ValidationErrors::new();
    let on = record::check::full_date(
        &mut e,
        "submittedOn",
        "The submission date",
        &input.submitted_on,
        today,
        false,
    );
    let session_date = NaiveDate::parse_from_str(&s.date, "%Y-%m-%d").ok();
    if let (Some(on), Some(sd)) = (on, session_date) {
        if on < sd {
            e.add(
                "submittedOn",
                "The form cannot be submitted before the session",
            );
        }
    }
    if input.method.is_none() {
        e.add("method", "Choose online or fax");
    }
    let confirmation = record::check::optional_line(
        &mut e,
        "confirmation",
        "The confirmation number",
        &input.confirmation,
        60,
    );
    e.into_result()?;
    let (Some(on), Some(method)) = (on, input.method) else {
        return Err(CoreError::Crypto("validated submission lost its values"));
    };
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    if let Some(existing) = submission(&tx, record_id)? {
        return Err(CoreError::Conflict(format!(
            "This form was already marked submitted on {}",
            existing.submitted_on
        )));
    }
    tx.execute(
        "INSERT INTO rems_submission (record_id, submitted_on, method, confirmation, recorded_by, recorded_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![record_id, record::check::iso(on), method.as_str(), confirmation, actor.username, now_utc()],
    )?;
    let mrn = record::patient_mrn(&tx, rec.patient_id)?;
    crate::audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::RemsFormSubmitted)
            .patient(rec.patient_id, &mrn)
            .record("session", record_id.to_string()),
    )?;
    tx.commit()?;
    submission(session.conn(), record_id)?.ok_or(CoreError::Crypto("the submission was not stored"))
}

/// Every dosed Spravato session in the clinic whose REMS form is not marked submitted (signed or
/// still to be signed), most urgent first.
pub fn due(session: &Session, today: NaiveDate) -> CoreResult<Vec<RemsDue>> {
    session.require(Permission::ReadClinical)?;
    let mut stmt = session.conn().prepare(
        "SELECT r.id, r.patient_id, p.mrn, p.family_name, p.given_name, r.body, r.signed_by_name \
         FROM clinical_record r JOIN patient p ON p.id = r.patient_id \
         WHERE r.kind = 'session' \
         AND json_extract(r.body, '$.spravato') IS NOT NULL \
         AND (r.signed_at IS NOT NULL OR json_array_length(r.body, '$.spravato.deviceTimes') > 0) \
         AND NOT EXISTS (SELECT 1 FROM rems_submission s WHERE s.record_id = r.id)",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, pid, mrn, family, given, body, by) = row?;
        let RecordBody::Session(s) =
            serde_json::from_str::<RecordBody>(&body).map_err(|_| super::unreadable())?
        else {
            continue;
        };
        let Ok(date) = NaiveDate::parse_from_str(&s.date, "%Y-%m-%d") else {
            continue;
        };
        let due = due_date(date)?;
        out.push(RemsDue {
            record_id: id,
            patient_id: pid,
            mrn,
            patient_name: format!("{}, {}", family.to_uppercase(), given),
            session_date: s.date.clone(),
            due_date: record::check::iso(due),
            days_left: (due - today).num_days(),
            signed: by.is_some(),
            signed_by_name: by.unwrap_or_default(),
        });
    }
    out.sort_by_key(|d| (d.days_left, d.record_id));
    Ok(out)
}

pub fn submission_for(session: &Session, record_id: i64) -> CoreResult<Option<Submission>> {
    session.require(Permission::ReadClinical)?;
    submission(session.conn(), record_id)
}
