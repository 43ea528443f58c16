//! Storing clinical records. Every write is one transaction with its audit entry; edits name the
//! version they started from; rules that span records (one primary coverage at a time, Excludes1
//! between diagnoses, one current episode) are checked inside the same transaction.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::body::RecordBody;
use super::canonical;
use super::coverage::Coverage;
use super::kind::RecordKind;
use super::{Addendum, Record, Signature};
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::payer;
use crate::reference::icd10::{self, CodeProblem};
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::treatment;
use crate::validation::ValidationErrors;

pub(crate) fn read_permission(kind: RecordKind) -> Permission {
    if kind.is_clinical() {
        Permission::ReadClinical
    } else {
        Permission::ReadPatients
    }
}

pub(crate) fn edit_permission(kind: RecordKind) -> Permission {
    if kind.is_clinical() {
        Permission::EditClinical
    } else {
        Permission::EditCoverage
    }
}

pub(crate) fn patient_mrn(conn: &Connection, patient_id: i64) -> CoreResult<String> {
    conn.query_row("SELECT mrn FROM patient WHERE id = ?1", [patient_id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or(CoreError::NotFound {
        what: "The patient",
    })
}

fn others(
    conn: &Connection,
    patient_id: i64,
    kind: RecordKind,
    except: Option<i64>,
) -> CoreResult<Vec<RecordBody>> {
    let mut stmt =
        conn.prepare("SELECT id, body FROM clinical_record WHERE patient_id = ?1 AND kind = ?2")?;
    let rows = stmt.query_map(params![patient_id, kind.as_str()], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, text) = row?;
        if Some(id) != except {
            out.push(with_alias(conn, id, parse_body(&text)?)?);
        }
    }
    Ok(out)
}

/// A signed session imported from another vault names its course by that vault's id inside
/// its signed content; the import records the course it now belongs to beside it.
fn with_alias(conn: &Connection, id: i64, body: RecordBody) -> CoreResult<RecordBody> {
    Ok(match body {
        RecordBody::Session(mut s) => {
            if let Some(c) = course_alias(conn, id)? {
                s.course_id = c;
            }
            RecordBody::Session(s)
        }
        other => other,
    })
}

pub(crate) fn course_alias(conn: &Connection, record_id: i64) -> CoreResult<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT course_id FROM record_course_alias WHERE record_id = ?1",
            [record_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn parse_body(text: &str) -> CoreResult<RecordBody> {
    serde_json::from_str(text)
        .map_err(|_| CoreError::Crypto("a stored clinical record is not readable"))
}

/// Rules between this record and the patient's others of the same kind.
fn check_with_others(
    conn: &Connection,
    patient_id: i64,
    body: &RecordBody,
    except: Option<i64>,
    previous: Option<&RecordBody>,
) -> CoreResult<()> {
    let mut e = ValidationErrors::new();
    match body {
        RecordBody::Coverage(c) => {
            let p = payer::get(conn, c.payer_id).map_err(|err| match err {
                CoreError::NotFound { .. } => {
                    ValidationErrors::single("payerId", "Select a payer from the list").into()
                }
                other => other,
            })?;
            let same_payer =
                matches!(previous, Some(RecordBody::Coverage(old)) if old.payer_id == c.payer_id);
            if !p.active && !same_payer {
                e.add("payerId", format!("{} is marked inactive on the payer list; choose another payer or reactivate it", p.name));
            }
            for other in others(conn, patient_id, RecordKind::Coverage, except)? {
                let RecordBody::Coverage(o) = other else {
                    continue;
                };
                if !c.overlaps(&o) {
                    continue;
                }
                if o.priority == c.priority {
                    e.add(
                        "priority",
                        format!(
                            "The patient already has {} coverage for these dates (effective {}); end it first or choose another priority",
                            priority_word(&o),
                            o.effective_from
                        ),
                    );
                }
                if o.payer_id == c.payer_id && o.member_id.eq_ignore_ascii_case(&c.member_id) {
                    e.add(
                        "memberId",
                        "This member ID is already on the patient's coverage for these dates",
                    );
                }
            }
        }
        RecordBody::Diagnosis(d) if d.is_active() => {
            let reference = icd10::bundled()?;
            let mut active: Vec<String> = Vec::new();
            for other in others(conn, patient_id, RecordKind::Diagnosis, except)? {
                if let RecordBody::Diagnosis(o) = other {
                    if o.is_active() {
                        if d.primary && o.primary {
                            e.add(
                                "primary",
                                format!(
                                    "{} is already the primary diagnosis; change that one first",
                                    o.code
                                ),
                            );
                        }
                        active.push(o.code);
                    }
                }
            }
            let mut codes: Vec<&str> = active.iter().map(String::as_str).collect();
            codes.push(&d.code);
            for p in reference.check(&codes) {
                if let CodeProblem::Excludes1 {
                    code,
                    with,
                    message,
                } = p
                {
                    if code == d.code || with == d.code {
                        e.add("code", message);
                    }
                }
            }
        }
        RecordBody::Episode(ep) if ep.current => {
            let current = others(conn, patient_id, RecordKind::Episode, except)?
                .into_iter()
                .any(|o| matches!(o, RecordBody::Episode(x) if x.current));
            if current {
                e.add(
                    "current",
                    "Another episode is marked current; give it an end date first",
                );
            }
        }
        _ => {}
    }
    Ok(e.into_result()?)
}

fn priority_word(c: &Coverage) -> &'static str {
    match c.priority {
        Some(super::coverage::Priority::Primary) => "primary",
        Some(super::coverage::Priority::Secondary) => "secondary",
        Some(super::coverage::Priority::Tertiary) => "tertiary",
        None => "other",
    }
}

/// Who is writing, for the treatment rules that stamp a provider's override.
pub(crate) struct AuthorInfo {
    username: String,
    display_name: String,
    can_sign: bool,
}

fn author_of(session: &Session) -> AuthorInfo {
    AuthorInfo {
        username: session.user().username.clone(),
        display_name: session.user().display_name.clone(),
        can_sign: session.can(Permission::SignClinical),
    }
}

/// Rules for courses and sessions that need the rest of the chart and the clinic's settings.
fn with_chart(
    conn: &Connection,
    patient_id: i64,
    body: RecordBody,
    id: Option<i64>,
    previous: Option<&RecordBody>,
    author: &AuthorInfo,
) -> CoreResult<RecordBody> {
    let at = now_utc();
    let author = treatment::Author {
        username: &author.username,
        display_name: &author.display_name,
        can_sign: author.can_sign,
        at: &at,
    };
    Ok(match body {
        RecordBody::Session(s) => {
            let prev = match previous {
                Some(RecordBody::Session(p)) => Some(p),
                _ => None,
            };
            RecordBody::Session(treatment::prepare_session(
                conn,
                patient_id,
                &s,
                id,
                prev,
                &author,
                treatment::local_now(),
            )?)
        }
        RecordBody::Course(c) => {
            let prev = match previous {
                Some(RecordBody::Course(p)) => Some(p),
                _ => None,
            };
            RecordBody::Course(treatment::prepare_course(conn, patient_id, &c, id, prev)?)
        }
        other => other,
    })
}

/// The bodies of a patient's records of one kind (no permission check: for rules).
pub(crate) fn list_bodies(
    conn: &Connection,
    patient_id: i64,
    kind: RecordKind,
) -> CoreResult<Vec<RecordBody>> {
    others(conn, patient_id, kind, None)
}

/// Adds a record for a patient (a draft, for kinds that are signed).
pub fn create(
    session: &mut Session,
    patient_id: i64,
    input: &RecordBody,
    today: NaiveDate,
) -> CoreResult<Record> {
    let kind = input.kind();
    session.require(edit_permission(kind))?;
    let body = input.validate(today)?;
    let actor = session.actor();
    let author = author_of(session);
    let tx = session.conn_mut().transaction()?;
    let mrn = patient_mrn(&tx, patient_id)?;
    let body = with_chart(&tx, patient_id, body, None, None, &author)?;
    check_with_others(&tx, patient_id, &body, None, None)?;
    let now = now_utc();
    tx.execute(
        "INSERT INTO clinical_record (patient_id, kind, body, sort_date, created_at, created_by, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
        params![patient_id, kind.as_str(), to_json(&body)?, body.sort_date(), now, actor.username],
    )?;
    let id = tx.last_insert_rowid();
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::RecordCreate)
            .patient(patient_id, &mrn)
            .record(kind.as_str(), id.to_string()),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}

pub(crate) fn to_json(body: &RecordBody) -> CoreResult<String> {
    serde_json::to_string(body)
        .map_err(|_| CoreError::Crypto("a clinical record could not be encoded"))
}

/// Saves an edit made from `expected_version`. A signed record is never changed: the answer is
/// a `Conflict` naming the addendum route, and the database refuses too.
pub fn update(
    session: &mut Session,
    id: i64,
    expected_version: i64,
    input: &RecordBody,
    today: NaiveDate,
) -> CoreResult<Record> {
    let kind = input.kind();
    session.require(edit_permission(kind))?;
    let actor = session.actor();
    let author = author_of(session);
    let tx = session.conn_mut().transaction()?;
    let current = load(&tx, id)?;
    if current.body.kind() != kind {
        return Err(CoreError::Conflict(format!(
            "This record is a {}, not a {}",
            current.body.kind().label(),
            kind.label()
        )));
    }
    if current.signature.is_some() {
        return Err(signed_conflict(kind));
    }
    if current.version != expected_version {
        return Err(CoreError::Conflict(format!(
            "This {} was changed by someone else since you opened it. Reload it and make your changes again",
            kind.label()
        )));
    }
    let body = input.validate(today)?;
    let body = with_chart(
        &tx,
        current.patient_id,
        body,
        Some(id),
        Some(&current.body),
        &author,
    )?;
    check_with_others(
        &tx,
        current.patient_id,
        &body,
        Some(id),
        Some(&current.body),
    )?;
    let mrn = patient_mrn(&tx, current.patient_id)?;
    tx.execute(
        "UPDATE clinical_record SET body = ?2, sort_date = ?3, version = version + 1, updated_at = ?4 WHERE id = ?1",
        params![id, to_json(&body)?, body.sort_date(), now_utc()],
    )?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::RecordUpdate)
            .patient(current.patient_id, &mrn)
            .record(kind.as_str(), id.to_string()),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}

pub(crate) fn signed_conflict(kind: RecordKind) -> CoreError {
    CoreError::Conflict(format!(
        "This {} is signed and cannot be changed. Add an addendum instead",
        kind.label()
    ))
}

/// A patient's records of one kind (or every kind the user may read), oldest first.
pub fn list(
    session: &Session,
    patient_id: i64,
    kind: Option<RecordKind>,
) -> CoreResult<Vec<Record>> {
    match kind {
        Some(k) => session.require(read_permission(k))?,
        None => session.require(Permission::ReadPatients)?,
    }
    patient_mrn(session.conn(), patient_id)?;
    let ids: Vec<(i64, String)> = session
        .conn()
        .prepare(
            "SELECT id, kind FROM clinical_record WHERE patient_id = ?1 AND (?2 IS NULL OR kind = ?2) \
             ORDER BY sort_date, id",
        )?
        .query_map(params![patient_id, kind.map(RecordKind::as_str)], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (id, k) in ids {
        let k = RecordKind::parse(&k).ok_or(CoreError::Crypto(
            "a stored clinical record has an unknown kind",
        ))?;
        if session.can(read_permission(k)) {
            out.push(load(session.conn(), id)?);
        }
    }
    Ok(out)
}

pub fn get(session: &Session, id: i64) -> CoreResult<Record> {
    let r = load(session.conn(), id)?;
    session.require(read_permission(r.body.kind()))?;
    Ok(r)
}

pub(crate) fn load(conn: &Connection, id: i64) -> CoreResult<Record> {
    let row = conn
        .query_row(
            "SELECT patient_id, body, version, created_at, created_by, updated_at, signed_at, signed_by, \
             signed_by_name, content_sha256 FROM clinical_record WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, Option<String>>(9)?,
                ))
            },
        )
        .optional()?
        .ok_or(CoreError::NotFound { what: "The record" })?;
    let (patient_id, text, version, created_at, created_by, updated_at, s_at, s_by, s_name, s_hash) =
        row;
    let body = with_alias(conn, id, parse_body(&text)?)?;
    let signature = match (s_at, s_by, s_hash) {
        (Some(at), Some(by), Some(sha256)) => {
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|_| CoreError::Crypto("a stored clinical record is not readable"))?;
            let intact = canonical::content_hash(&value) == sha256;
            Some(Signature {
                by_name: s_name.unwrap_or_else(|| by.clone()),
                by,
                at,
                sha256,
                intact,
            })
        }
        _ => None,
    };
    let addenda = conn
        .prepare(
            "SELECT id, text, signed_at, signed_by, signed_by_name, content_sha256 FROM record_addendum \
             WHERE record_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok(Addendum {
                id: r.get(0)?,
                text: r.get(1)?,
                at: r.get(2)?,
                by: r.get(3)?,
                by_name: r.get(4)?,
                sha256: r.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Record {
        id,
        patient_id,
        version,
        body,
        created_at,
        created_by,
        updated_at,
        signature,
        addenda,
    })
}

/// An imported record: its content, who entered it and when, and its signature and addenda as
/// they were in the other vault (checked by the caller).
pub(crate) struct ImportedRecord<'a> {
    pub body: &'a RecordBody,
    pub body_text: String,
    pub created_at: &'a str,
    pub created_by: &'a str,
    pub signature: Option<(&'a str, &'a str, &'a str, &'a str)>,
    pub addenda: Vec<(&'a str, &'a str, &'a str, &'a str, &'a str)>,
}

/// Stores an imported record inside the caller's transaction, with the same rules between
/// records as a new one.
pub(crate) fn insert_imported(
    conn: &Connection,
    patient_id: i64,
    r: &ImportedRecord<'_>,
) -> CoreResult<i64> {
    check_with_others(conn, patient_id, r.body, None, None)?;
    let (s_at, s_by, s_name, s_hash) = match r.signature {
        Some((at, by, name, hash)) => (Some(at), Some(by), Some(name), Some(hash)),
        None => (None, None, None, None),
    };
    conn.execute(
        "INSERT INTO clinical_record (patient_id, kind, body, sort_date, created_at, created_by, updated_at, \
         signed_at, signed_by, signed_by_name, content_sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?7, ?8, ?9, ?10)",
        params![
            patient_id,
            r.body.kind().as_str(),
            r.body_text,
            r.body.sort_date(),
            r.created_at,
            r.created_by,
            s_at,
            s_by,
            s_name,
            s_hash
        ],
    )?;
    let id = conn.last_insert_rowid();
    for (text, at, by, name, hash) in &r.addenda {
        conn.execute(
            "INSERT INTO record_addendum (record_id, text, signed_at, signed_by, signed_by_name, content_sha256) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, text, at, by, name, hash],
        )?;
    }
    Ok(id)
}

/// The stored JSON of a record, exactly (what a signature covers).
pub(crate) fn body_text(conn: &Connection, id: i64) -> CoreResult<String> {
    Ok(conn.query_row(
        "SELECT body FROM clinical_record WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?)
}
