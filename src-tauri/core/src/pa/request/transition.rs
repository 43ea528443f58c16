//! Status changes, each with the facts it needs: ready (no gaps, or a provider's override),
//! back to draft, submitted (how and when), pending, the payer's decision (approved in full or in
//! part, with the authorization number, codes, units and dates; or denied, with the reason) and
//! the appeal. Each is one transaction: the new status and facts, a history row, the audit entry
//! and the next version. A change the status table does not allow is refused naming the
//! current status and what is possible from it.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::Value;

use super::check::{self, parse_at, past_at, show_at, utc_text_to_local_minute};
use super::status::RequestStatus;
use super::store::{add_event, audit_change, bump, for_change, load, to_json};
use super::{CodeLine, Request, SubmissionMethod};
use crate::access::Permission;
use crate::audit::AuditAction;
use crate::error::{CoreError, CoreResult};
use crate::record::check as record_check;
use crate::session::Session;
use crate::validation::ValidationErrors;

const NOTE_MAX: usize = 1000;
const REFERENCE_MAX: usize = 100;
const AUTH_NUMBER_MAX: usize = 40;
const DENIAL_MAX: usize = 2000;

/// The payer's approval (in full or in part).
#[derive(Debug, Clone, Default)]
pub struct Decision {
    pub auth_number: String,
    /// At least one; each code must be among the requested codes.
    pub approved_lines: Vec<CodeLine>,
    /// `YYYY-MM-DD`.
    pub approved_start: String,
    /// `YYYY-MM-DD`.
    pub approved_end: String,
    /// Local `YYYY-MM-DDTHH:MM`; not before the submission, not in the future.
    pub decided_at: String,
    /// Required for a partial approval: what the payer cut.
    pub note: Option<String>,
}

/// A status change and the facts it records.
#[derive(Debug, Clone)]
pub enum Transition {
    /// Draft → ready. `ready`: the evaluation has no open gaps (the caller evaluated it);
    /// without it a provider's override reason must be recorded.
    MarkReady { ready: bool },
    /// Ready → draft.
    Reopen { note: Option<String> },
    /// Ready → submitted.
    Submit {
        method: Option<SubmissionMethod>,
        /// Local `YYYY-MM-DDTHH:MM`; not in the future, not before the request was created.
        submitted_at: String,
        /// The payer's or portal's reference, up to 100 characters.
        reference: Option<String>,
    },
    /// Submitted → pending (the payer is reviewing or asked for more).
    MarkPending { note: Option<String> },
    /// Submitted, pending or appealed → approved.
    Approve(Decision),
    /// Submitted, pending or appealed → partially approved.
    PartiallyApprove(Decision),
    /// Submitted, pending or appealed → denied.
    Deny {
        denial_reason: String,
        /// Local `YYYY-MM-DDTHH:MM`.
        decided_at: String,
        note: Option<String>,
    },
    /// Denied → appealed.
    Appeal {
        /// Local `YYYY-MM-DDTHH:MM`; not before the denial.
        appealed_at: String,
        note: Option<String>,
    },
}

impl Transition {
    pub fn target(&self) -> RequestStatus {
        match self {
            Transition::MarkReady { .. } => RequestStatus::Ready,
            Transition::Reopen { .. } => RequestStatus::Draft,
            Transition::Submit { .. } => RequestStatus::Submitted,
            Transition::MarkPending { .. } => RequestStatus::Pending,
            Transition::Approve(_) => RequestStatus::Approved,
            Transition::PartiallyApprove(_) => RequestStatus::PartiallyApproved,
            Transition::Deny { .. } => RequestStatus::Denied,
            Transition::Appeal { .. } => RequestStatus::Appealed,
        }
    }
}

/// What a checked change writes: columns with their values, and the history note.
struct Plan {
    sets: Vec<(&'static str, Value)>,
    note: Option<String>,
}

fn text(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::Text)
}

fn note(e: &mut ValidationErrors, value: &Option<String>) -> Option<String> {
    record_check::optional_text(e, "note", "The note", value, NOTE_MAX)
}

/// Changes the status of request `id` (read at `expected_version`). `now` is the local time,
/// against which future date-times are refused.
pub fn transition(
    session: &mut Session,
    id: i64,
    expected_version: i64,
    change: &Transition,
    now: NaiveDateTime,
) -> CoreResult<Request> {
    session.require(Permission::ManageAuthorizations)?;
    let actor = session.actor();
    let user_id = session.user().id;
    let tx = session.conn_mut().transaction()?;
    let current = for_change(&tx, id, expected_version)?;
    let from = current.status;
    let to = change.target();
    if !from.can_move_to(to) {
        return Err(CoreError::Conflict(from.refusal(to)));
    }
    let plan = plan(&current, change, now)?;
    let mut sql = String::from("UPDATE pa_request SET status = ?1");
    let mut args: Vec<Value> = vec![Value::Text(to.as_str().into())];
    for (column, value) in plan.sets {
        args.push(value);
        sql.push_str(&format!(", {column} = ?{}", args.len()));
    }
    args.push(Value::Integer(id));
    sql.push_str(&format!(" WHERE id = ?{}", args.len()));
    tx.execute(&sql, rusqlite::params_from_iter(args))?;
    bump(&tx, id, expected_version)?;
    add_event(&tx, id, user_id, Some(from), to, plan.note.as_deref())?;
    audit_change(
        &tx,
        &actor,
        AuditAction::PaRequestStatus,
        current.patient_id,
        id,
        Some(format!("{} → {}", from.as_str(), to.as_str())),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}

fn plan(current: &Request, change: &Transition, now: NaiveDateTime) -> CoreResult<Plan> {
    let mut e = ValidationErrors::new();
    let plan = match change {
        Transition::MarkReady { ready } => {
            if !ready && current.override_reason.is_none() {
                e.add(
                    "status",
                    "The evaluation still has gaps: fix them or record a provider's override reason",
                );
            }
            if current.requested_lines.is_empty() {
                e.add(
                    "requestedLines",
                    "Add the codes and units requested before marking the request ready",
                );
            }
            if current.diagnosis_codes.is_empty() {
                e.add(
                    "diagnosisCodes",
                    "Add the diagnosis codes before marking the request ready",
                );
            }
            Plan {
                sets: vec![],
                note: None,
            }
        }
        Transition::Reopen { note: n } | Transition::MarkPending { note: n } => Plan {
            sets: vec![],
            note: note(&mut e, n),
        },
        Transition::Submit {
            method,
            submitted_at,
            reference,
        } => {
            if method.is_none() {
                e.add("method", "Choose how the request was sent");
            }
            let at = past_at(
                &mut e,
                "submittedAt",
                "The submission time",
                submitted_at,
                now,
            );
            let created = utc_text_to_local_minute(&current.created_at);
            if let (Some(at), Some(created)) = (at, created) {
                if at < created {
                    e.add(
                        "submittedAt",
                        format!(
                            "The request cannot be submitted before it was created ({})",
                            show_at(created)
                        ),
                    );
                }
            }
            let reference = record_check::optional_line(
                &mut e,
                "reference",
                "The reference",
                reference,
                REFERENCE_MAX,
            );
            Plan {
                sets: vec![
                    ("submitted_at", text(at.map(check::format_at))),
                    ("submission_method", text(method.map(|m| m.as_str().into()))),
                    ("submission_reference", text(reference)),
                ],
                note: None,
            }
        }
        Transition::Approve(d) => decision(&mut e, current, d, false, now)?,
        Transition::PartiallyApprove(d) => decision(&mut e, current, d, true, now)?,
        Transition::Deny {
            denial_reason,
            decided_at,
            note: n,
        } => {
            let reason = record_check::optional_text(
                &mut e,
                "denialReason",
                "The denial reason",
                &Some(denial_reason.clone()),
                DENIAL_MAX,
            );
            if reason.is_none() && !e.has("denialReason") {
                e.add("denialReason", "Enter the payer's reason for the denial");
            }
            let at = decided(&mut e, current, decided_at, now);
            Plan {
                sets: vec![
                    ("denial_reason", text(reason)),
                    ("decided_at", text(at.map(check::format_at))),
                ],
                note: note(&mut e, n),
            }
        }
        Transition::Appeal {
            appealed_at,
            note: n,
        } => {
            let at = past_at(&mut e, "appealedAt", "The appeal time", appealed_at, now);
            let denied = current.decided_at.as_deref().and_then(parse_at);
            if let (Some(at), Some(denied)) = (at, denied) {
                if at < denied {
                    e.add(
                        "appealedAt",
                        format!(
                            "The appeal cannot be before the denial ({})",
                            show_at(denied)
                        ),
                    );
                }
            }
            Plan {
                sets: vec![("appealed_at", text(at.map(check::format_at)))],
                note: note(&mut e, n),
            }
        }
    };
    e.into_result()?;
    Ok(plan)
}

/// The decision time: not in the future, not before the submission (nor the appeal).
fn decided(
    e: &mut ValidationErrors,
    current: &Request,
    value: &str,
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    let at = past_at(e, "decidedAt", "The decision time", value, now)?;
    let submitted = current.submitted_at.as_deref().and_then(parse_at);
    if let Some(s) = submitted.filter(|s| at < *s) {
        e.add(
            "decidedAt",
            format!(
                "The decision cannot be before the request was submitted ({})",
                show_at(s)
            ),
        );
        return None;
    }
    let appealed = (current.status == RequestStatus::Appealed)
        .then(|| current.appealed_at.as_deref().and_then(parse_at))
        .flatten();
    if let Some(a) = appealed.filter(|a| at < *a) {
        e.add(
            "decidedAt",
            format!("The decision cannot be before the appeal ({})", show_at(a)),
        );
        return None;
    }
    Some(at)
}

fn decision(
    e: &mut ValidationErrors,
    current: &Request,
    d: &Decision,
    partial: bool,
    now: NaiveDateTime,
) -> CoreResult<Plan> {
    let auth = record_check::required_line(
        e,
        "authNumber",
        "The authorization number",
        &d.auth_number,
        AUTH_NUMBER_MAX,
    );
    let lines = check::lines(e, "approvedLines", &d.approved_lines);
    if d.approved_lines.is_empty() {
        e.add(
            "approvedLines",
            "Enter at least one approved code and its units",
        );
    }
    for (i, l) in d.approved_lines.iter().enumerate() {
        let Some(code) = check::code_shape(&l.code) else {
            continue;
        };
        if !current.requested_lines.iter().any(|r| r.code == code) {
            e.add(
                &format!("approvedLines.{i}.code"),
                format!("{code} was not requested; the approval can only cover requested codes"),
            );
        }
    }
    let today: NaiveDate = now.date();
    let start = record_check::full_date(
        e,
        "approvedStart",
        "The first approved date",
        &d.approved_start,
        today,
        true,
    );
    let end = record_check::full_date(
        e,
        "approvedEnd",
        "The last approved date",
        &d.approved_end,
        today,
        true,
    );
    if let (Some(s), Some(en)) = (start, end) {
        if en < s {
            e.add(
                "approvedEnd",
                "The last approved date must be the same as or after the first",
            );
        }
    }
    let at = decided(e, current, &d.decided_at, now);
    let note = note(e, &d.note);
    if partial && note.is_none() && !e.has("note") {
        e.add(
            "note",
            "Say what the payer cut (codes, units or dates) for a partial approval",
        );
    }
    Ok(Plan {
        sets: vec![
            ("auth_number", text(Some(auth).filter(|a| !a.is_empty()))),
            ("approved_lines", Value::Text(to_json(&lines)?)),
            ("approved_start", text(start.map(check::iso))),
            ("approved_end", text(end.map(check::iso))),
            ("decided_at", text(at.map(check::format_at))),
        ],
        note,
    })
}
