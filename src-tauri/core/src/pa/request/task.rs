//! Chart tasks: billing staff may read the chart but never change it, so when a payer asks for
//! a fact the chart lacks, they ask a clinician to record it. A task is created by whoever
//! works on authorizations, seen by anyone who reads the clinical record, and completed by
//! someone who may edit it. Completed tasks are kept.

use rusqlite::{params, Connection, OptionalExtension};

use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::record::check as record_check;
use crate::record::patient_mrn;
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

const TEXT_MAX: usize = 1000;
const CRITERION_MAX: usize = 100;
const NOTE_MAX: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartTask {
    pub id: i64,
    pub patient_id: i64,
    /// The request that needs the fact, if any.
    pub request_id: Option<i64>,
    /// The rule-set criterion it is for (`baselineScore`, …), if any.
    pub criterion: Option<String>,
    pub text: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub created_by: i64,
    pub created_by_name: String,
    pub done_at: Option<String>,
    pub done_by: Option<i64>,
    pub done_by_name: Option<String>,
    pub done_note: Option<String>,
}

impl ChartTask {
    pub fn is_done(&self) -> bool {
        self.done_at.is_some()
    }
}

const SELECT: &str = "SELECT t.id, t.patient_id, t.request_id, t.criterion, t.text, t.created_at, \
    t.created_by, c.display_name, t.done_at, t.done_by, d.display_name, t.done_note \
    FROM chart_task t JOIN app_user c ON c.id = t.created_by LEFT JOIN app_user d ON d.id = t.done_by";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChartTask> {
    Ok(ChartTask {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        request_id: r.get(2)?,
        criterion: r.get(3)?,
        text: r.get(4)?,
        created_at: r.get(5)?,
        created_by: r.get(6)?,
        created_by_name: r.get(7)?,
        done_at: r.get(8)?,
        done_by: r.get(9)?,
        done_by_name: r.get(10)?,
        done_note: r.get(11)?,
    })
}

fn load(conn: &Connection, id: i64) -> CoreResult<ChartTask> {
    conn.query_row(&format!("{SELECT} WHERE t.id = ?1"), [id], row)
        .optional()?
        .ok_or(CoreError::NotFound {
            what: "The chart task",
        })
}

/// Asks for a clinical fact on `patient_id`'s chart (optionally for a request and criterion).
pub fn create_task(
    session: &mut Session,
    patient_id: i64,
    request_id: Option<i64>,
    criterion: Option<String>,
    text: &str,
) -> CoreResult<ChartTask> {
    session.require(Permission::ManageAuthorizations)?;
    let actor = session.actor();
    let user_id = session.user().id;
    let tx = session.conn_mut().transaction()?;
    let mrn = patient_mrn(&tx, patient_id)?;
    let mut e = ValidationErrors::new();
    let text =
        record_check::optional_text(&mut e, "text", "The task", &Some(text.into()), TEXT_MAX);
    if text.is_none() && !e.has("text") {
        e.add("text", "Say what needs to be recorded");
    }
    let criterion = record_check::optional_line(
        &mut e,
        "criterion",
        "The criterion",
        &criterion,
        CRITERION_MAX,
    );
    if let Some(rid) = request_id {
        let of: Option<i64> = tx
            .query_row(
                "SELECT patient_id FROM pa_request WHERE id = ?1",
                [rid],
                |r| r.get(0),
            )
            .optional()?;
        if of != Some(patient_id) {
            e.add("requestId", "Choose one of this patient's requests");
        }
    }
    e.into_result()?;
    tx.execute(
        "INSERT INTO chart_task (patient_id, request_id, criterion, text, created_at, created_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![patient_id, request_id, criterion, text, now_utc(), user_id],
    )?;
    let id = tx.last_insert_rowid();
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::ChartTaskCreate)
            .patient(patient_id, &mrn)
            .record("chart_task", id.to_string()),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}

/// A patient's tasks: open ones oldest first, then (if asked) completed ones, newest first.
pub fn list_tasks(
    session: &Session,
    patient_id: i64,
    include_done: bool,
) -> CoreResult<Vec<ChartTask>> {
    session.require(Permission::ReadClinical)?;
    patient_mrn(session.conn(), patient_id)?;
    let mut stmt = session.conn().prepare(&format!(
        "{SELECT} WHERE t.patient_id = ?1 AND (?2 OR t.done_at IS NULL) \
         ORDER BY t.done_at IS NOT NULL, \
         CASE WHEN t.done_at IS NULL THEN t.id ELSE -t.id END"
    ))?;
    let rows = stmt.query_map(params![patient_id, include_done], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Marks a task done (by someone who may record the fact), with an optional note.
pub fn complete_task(
    session: &mut Session,
    id: i64,
    note: Option<String>,
) -> CoreResult<ChartTask> {
    session.require(Permission::EditClinical)?;
    let actor = session.actor();
    let user_id = session.user().id;
    let tx = session.conn_mut().transaction()?;
    let task = load(&tx, id)?;
    if task.is_done() {
        return Err(CoreError::Conflict(format!(
            "This task was already completed by {}",
            task.done_by_name.as_deref().unwrap_or("someone else")
        )));
    }
    let mut e = ValidationErrors::new();
    let note = record_check::optional_text(&mut e, "note", "The note", &note, NOTE_MAX);
    e.into_result()?;
    let n = tx.execute(
        "UPDATE chart_task SET done_at = ?2, done_by = ?3, done_note = ?4 WHERE id = ?1 AND done_at IS NULL",
        params![id, now_utc(), user_id, note],
    )?;
    if n != 1 {
        return Err(CoreError::Conflict(
            "This task was completed by someone else just now".into(),
        ));
    }
    let mrn = patient_mrn(&tx, task.patient_id)?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::ChartTaskDone)
            .patient(task.patient_id, &mrn)
            .record("chart_task", id.to_string()),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}
