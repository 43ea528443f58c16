//! Storing requests: create, edit a draft, read one or a patient's list. Every write is one
//! transaction with its audit entry (and, for a status change, its history row); edits name the
//! version they started from and a stale one is refused (`Conflict`).

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::check::{iso, parse_date};
use super::status::RequestStatus;
use super::validate::{self, Valid};
use super::warnings::{self, Warning};
use super::{
    clocks, units, Attestation, CodeLine, Override, Request, RequestEvent, RequestInput,
    RequestKind, SubmissionMethod, UnitsLine,
};
use crate::access::Permission;
use crate::audit::{self, Actor, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::pa::service::Service;
use crate::payer::PayerType;
use crate::record::patient_mrn;
use crate::session::Session;
use crate::timestamp::now_utc;

pub(super) fn unreadable() -> CoreError {
    CoreError::Crypto("a stored authorization request is not readable")
}

pub(super) fn stale() -> CoreError {
    CoreError::Conflict(
        "This request was changed by someone else since you opened it. Reload it and try again"
            .into(),
    )
}

const SELECT: &str = "SELECT r.id, r.patient_id, r.kind, r.previous_id, r.service, r.rule_set_id, \
    r.rule_set_version, r.payer_id, p.name, p.payer_type, r.coverage_record_id, r.course_record_id, \
    r.ordering_provider_id, op.display_name, r.expedited, r.status, r.requested_lines, \
    r.diagnosis_codes, r.requested_start, r.requested_end, r.requested_sessions, r.attestations, \
    r.letter, r.override_reason, r.override_by, ob.display_name, r.override_at, r.submitted_at, \
    r.submission_method, r.submission_reference, r.decided_at, r.auth_number, r.approved_lines, \
    r.approved_start, r.approved_end, r.denial_reason, r.appeal_letter, r.appealed_at, r.version, \
    r.created_at, r.created_by, cb.display_name, r.updated_at \
    FROM pa_request r JOIN payer p ON p.id = r.payer_id \
    LEFT JOIN app_user op ON op.id = r.ordering_provider_id \
    LEFT JOIN app_user ob ON ob.id = r.override_by \
    JOIN app_user cb ON cb.id = r.created_by";

type Text = Option<String>;

/// A row as stored, before parsing.
struct Raw {
    id: i64,
    patient_id: i64,
    kind: String,
    previous_id: Option<i64>,
    service: String,
    rule_set_id: String,
    rule_set_version: String,
    payer_id: i64,
    payer_name: String,
    payer_type: String,
    coverage_record_id: Option<i64>,
    course_record_id: Option<i64>,
    ordering_provider_id: Option<i64>,
    ordering_provider_name: Text,
    expedited: bool,
    status: String,
    requested_lines: String,
    diagnosis_codes: String,
    requested_start: Text,
    requested_end: Text,
    requested_sessions: Option<u32>,
    attestations: String,
    letter: Text,
    override_reason: Text,
    override_by: Option<i64>,
    override_by_name: Text,
    override_at: Text,
    submitted_at: Text,
    submission_method: Text,
    submission_reference: Text,
    decided_at: Text,
    auth_number: Text,
    approved_lines: String,
    approved_start: Text,
    approved_end: Text,
    denial_reason: Text,
    appeal_letter: Text,
    appealed_at: Text,
    version: i64,
    created_at: String,
    created_by: i64,
    created_by_name: String,
    updated_at: String,
}

fn raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok(Raw {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        kind: r.get(2)?,
        previous_id: r.get(3)?,
        service: r.get(4)?,
        rule_set_id: r.get(5)?,
        rule_set_version: r.get(6)?,
        payer_id: r.get(7)?,
        payer_name: r.get(8)?,
        payer_type: r.get(9)?,
        coverage_record_id: r.get(10)?,
        course_record_id: r.get(11)?,
        ordering_provider_id: r.get(12)?,
        ordering_provider_name: r.get(13)?,
        expedited: r.get::<_, i64>(14)? != 0,
        status: r.get(15)?,
        requested_lines: r.get(16)?,
        diagnosis_codes: r.get(17)?,
        requested_start: r.get(18)?,
        requested_end: r.get(19)?,
        requested_sessions: r.get(20)?,
        attestations: r.get(21)?,
        letter: r.get(22)?,
        override_reason: r.get(23)?,
        override_by: r.get(24)?,
        override_by_name: r.get(25)?,
        override_at: r.get(26)?,
        submitted_at: r.get(27)?,
        submission_method: r.get(28)?,
        submission_reference: r.get(29)?,
        decided_at: r.get(30)?,
        auth_number: r.get(31)?,
        approved_lines: r.get(32)?,
        approved_start: r.get(33)?,
        approved_end: r.get(34)?,
        denial_reason: r.get(35)?,
        appeal_letter: r.get(36)?,
        appealed_at: r.get(37)?,
        version: r.get(38)?,
        created_at: r.get(39)?,
        created_by: r.get(40)?,
        created_by_name: r.get(41)?,
        updated_at: r.get(42)?,
    })
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> CoreResult<T> {
    serde_json::from_str(text).map_err(|_| unreadable())
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> CoreResult<String> {
    serde_json::to_string(value)
        .map_err(|_| CoreError::Crypto("an authorization request could not be encoded"))
}

fn date(text: &Option<String>) -> CoreResult<Option<NaiveDate>> {
    text.as_deref()
        .map(|t| parse_date(t).ok_or_else(unreadable))
        .transpose()
}

fn parse(r: Raw, events: Vec<RequestEvent>) -> CoreResult<Request> {
    let override_reason = match (r.override_reason, r.override_by, r.override_at) {
        (Some(reason), Some(by), Some(at)) => Some(Override {
            reason,
            by,
            by_name: r.override_by_name.unwrap_or_default(),
            at,
        }),
        _ => None,
    };
    Ok(Request {
        id: r.id,
        patient_id: r.patient_id,
        kind: RequestKind::parse(&r.kind).ok_or_else(unreadable)?,
        previous_id: r.previous_id,
        service: Service::parse(&r.service).ok_or_else(unreadable)?,
        rule_set_id: r.rule_set_id,
        rule_set_version: r.rule_set_version,
        payer_id: r.payer_id,
        payer_name: r.payer_name,
        payer_type: PayerType::parse(&r.payer_type).ok_or_else(unreadable)?,
        coverage_record_id: r.coverage_record_id,
        course_record_id: r.course_record_id,
        ordering_provider_id: r.ordering_provider_id,
        ordering_provider_name: r.ordering_provider_name,
        expedited: r.expedited,
        status: RequestStatus::parse(&r.status).ok_or_else(unreadable)?,
        requested_lines: json::<Vec<CodeLine>>(&r.requested_lines)?,
        diagnosis_codes: json::<Vec<String>>(&r.diagnosis_codes)?,
        requested_start: date(&r.requested_start)?,
        requested_end: date(&r.requested_end)?,
        requested_sessions: r.requested_sessions,
        attestations: json::<Vec<Attestation>>(&r.attestations)?,
        letter: r.letter,
        override_reason,
        submitted_at: r.submitted_at,
        submission_method: r
            .submission_method
            .as_deref()
            .map(|m| SubmissionMethod::parse(m).ok_or_else(unreadable))
            .transpose()?,
        submission_reference: r.submission_reference,
        decided_at: r.decided_at,
        auth_number: r.auth_number,
        approved_lines: json::<Vec<CodeLine>>(&r.approved_lines)?,
        approved_start: date(&r.approved_start)?,
        approved_end: date(&r.approved_end)?,
        denial_reason: r.denial_reason,
        appeal_letter: r.appeal_letter,
        appealed_at: r.appealed_at,
        version: r.version,
        created_at: r.created_at,
        created_by: r.created_by,
        created_by_name: r.created_by_name,
        updated_at: r.updated_at,
        events,
    })
}

/// id, at, user id, user name, from, to, note.
type EventRow = (
    i64,
    String,
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
);

fn events(conn: &Connection, request_id: i64) -> CoreResult<Vec<RequestEvent>> {
    let rows: Vec<EventRow> = conn
        .prepare(
            "SELECT e.id, e.at, e.user_id, u.display_name, e.from_status, e.to_status, e.note \
             FROM pa_request_event e JOIN app_user u ON u.id = e.user_id \
             WHERE e.request_id = ?1 ORDER BY e.id",
        )?
        .query_map([request_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(id, at, user_id, user_name, from, to, note)| {
            Ok(RequestEvent {
                id,
                at,
                user_id,
                user_name,
                from: from
                    .as_deref()
                    .map(|f| RequestStatus::parse(f).ok_or_else(unreadable))
                    .transpose()?,
                to: RequestStatus::parse(&to).ok_or_else(unreadable)?,
                note,
            })
        })
        .collect()
}

/// One request with its history (no permission check: for the module's own use).
pub(crate) fn load(conn: &Connection, id: i64) -> CoreResult<Request> {
    let r = conn
        .query_row(&format!("{SELECT} WHERE r.id = ?1"), [id], raw)
        .optional()?
        .ok_or(CoreError::NotFound {
            what: "The authorization request",
        })?;
    let ev = events(conn, id)?;
    parse(r, ev)
}

/// Every request, oldest first (for the work queue).
pub(super) fn load_all(conn: &Connection) -> CoreResult<Vec<Request>> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM pa_request ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.into_iter().map(|id| load(conn, id)).collect()
}

/// Loads a request to change it, refusing a stale version.
pub(super) fn for_change(conn: &Connection, id: i64, expected_version: i64) -> CoreResult<Request> {
    let current = load(conn, id)?;
    if current.version != expected_version {
        return Err(stale());
    }
    Ok(current)
}

/// Moves the version on (guarded by the version read, so two writers cannot both succeed).
pub(super) fn bump(conn: &Connection, id: i64, expected_version: i64) -> CoreResult<()> {
    let n = conn.execute(
        "UPDATE pa_request SET version = version + 1, updated_at = ?3 WHERE id = ?1 AND version = ?2",
        params![id, expected_version, now_utc()],
    )?;
    if n == 1 {
        Ok(())
    } else {
        Err(stale())
    }
}

/// Appends a history row.
pub(super) fn add_event(
    conn: &Connection,
    request_id: i64,
    user_id: i64,
    from: Option<RequestStatus>,
    to: RequestStatus,
    note: Option<&str>,
) -> CoreResult<()> {
    conn.execute(
        "INSERT INTO pa_request_event (request_id, at, user_id, from_status, to_status, note) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            request_id,
            now_utc(),
            user_id,
            from.map(RequestStatus::as_str),
            to.as_str(),
            note
        ],
    )?;
    Ok(())
}

/// The audit entry of a change to request `id` of `patient_id` (ids and MRN only).
pub(super) fn audit_change(
    conn: &Connection,
    actor: &Actor,
    action: AuditAction,
    patient_id: i64,
    id: i64,
    detail: Option<String>,
) -> CoreResult<()> {
    let mrn = patient_mrn(conn, patient_id)?;
    let mut e = NewEvent::new(action)
        .patient(patient_id, &mrn)
        .record("pa_request", id.to_string());
    if let Some(d) = detail {
        e = e.detail(d);
    }
    audit::append(conn, actor, &e)?;
    Ok(())
}

/// Starts a request (a draft).
pub fn create(
    session: &mut Session,
    input: &RequestInput,
    today: NaiveDate,
) -> CoreResult<Request> {
    session.require(Permission::ManageAuthorizations)?;
    let actor = session.actor();
    let user_id = session.user().id;
    let tx = session.conn_mut().transaction()?;
    let v = validate::validate(&tx, input, None, today)?;
    let now = now_utc();
    tx.execute(
        "INSERT INTO pa_request (patient_id, kind, previous_id, service, rule_set_id, rule_set_version, \
         payer_id, coverage_record_id, course_record_id, ordering_provider_id, expedited, status, \
         requested_lines, diagnosis_codes, requested_start, requested_end, requested_sessions, \
         created_at, created_by, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'draft', ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?17)",
        params![
            input.patient_id,
            v.kind.as_str(),
            v.previous_id,
            v.service.as_str(),
            v.rule_set_id,
            v.rule_set_version,
            v.payer_id,
            v.coverage_record_id,
            v.course_record_id,
            v.ordering_provider_id,
            v.expedited as i64,
            to_json(&v.requested_lines)?,
            to_json(&v.diagnosis_codes)?,
            v.requested_start.map(iso),
            v.requested_end.map(iso),
            v.requested_sessions,
            now,
            user_id,
        ],
    )?;
    let id = tx.last_insert_rowid();
    add_event(&tx, id, user_id, None, RequestStatus::Draft, None)?;
    audit_change(
        &tx,
        &actor,
        AuditAction::PaRequestCreate,
        input.patient_id,
        id,
        None,
    )?;
    tx.commit()?;
    load(session.conn(), id)
}

/// Changes a request that has not gone to the payer yet (draft or ready). The status stays as
/// it was.
pub fn update_draft(
    session: &mut Session,
    id: i64,
    expected_version: i64,
    input: &RequestInput,
    today: NaiveDate,
) -> CoreResult<Request> {
    session.require(Permission::ManageAuthorizations)?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let current = for_change(&tx, id, expected_version)?;
    if !current.status.is_open() {
        return Err(CoreError::Conflict(format!(
            "This request is {}: it has been submitted and cannot be edited; record the payer's decision instead",
            current.status.label().to_lowercase()
        )));
    }
    if input.patient_id != current.patient_id {
        return Err(crate::validation::ValidationErrors::single(
            "patientId",
            "A request stays with its patient; start a new one for another patient",
        )
        .into());
    }
    let v: Valid = validate::validate(&tx, input, Some(id), today)?;
    tx.execute(
        "UPDATE pa_request SET kind = ?2, previous_id = ?3, service = ?4, rule_set_id = ?5, \
         rule_set_version = ?6, payer_id = ?7, coverage_record_id = ?8, course_record_id = ?9, \
         ordering_provider_id = ?10, expedited = ?11, requested_lines = ?12, diagnosis_codes = ?13, \
         requested_start = ?14, requested_end = ?15, requested_sessions = ?16 WHERE id = ?1",
        params![
            id,
            v.kind.as_str(),
            v.previous_id,
            v.service.as_str(),
            v.rule_set_id,
            v.rule_set_version,
            v.payer_id,
            v.coverage_record_id,
            v.course_record_id,
            v.ordering_provider_id,
            v.expedited as i64,
            to_json(&v.requested_lines)?,
            to_json(&v.diagnosis_codes)?,
            v.requested_start.map(iso),
            v.requested_end.map(iso),
            v.requested_sessions,
        ],
    )?;
    bump(&tx, id, expected_version)?;
    audit_change(
        &tx,
        &actor,
        AuditAction::PaRequestUpdate,
        current.patient_id,
        id,
        None,
    )?;
    tx.commit()?;
    load(session.conn(), id)
}

pub fn get(session: &Session, id: i64) -> CoreResult<Request> {
    session.require(Permission::ManageAuthorizations)?;
    load(session.conn(), id)
}

/// A patient's requests, newest first.
pub fn list_for_patient(session: &Session, patient_id: i64) -> CoreResult<Vec<Request>> {
    session.require(Permission::ManageAuthorizations)?;
    patient_mrn(session.conn(), patient_id)?;
    let ids: Vec<i64> = session
        .conn()
        .prepare("SELECT id FROM pa_request WHERE patient_id = ?1 ORDER BY id DESC")?
        .query_map([patient_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.into_iter().map(|id| load(session.conn(), id)).collect()
}

/// Units used against an approval and what needs attention.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    pub units: Vec<UnitsLine>,
    pub warnings: Vec<Warning>,
}

/// The units used so far (from signed sessions) and the warnings for a request on `today`.
pub fn usage(session: &Session, id: i64, today: NaiveDate) -> CoreResult<Usage> {
    session.require(Permission::ManageAuthorizations)?;
    let r = load(session.conn(), id)?;
    let units = units::units_used(session.conn(), &r)?;
    let rules = &clocks::bundled()?.warnings;
    let warnings = warnings::warnings(r.status, r.approved_end, &units, today, rules);
    Ok(Usage { units, warnings })
}
