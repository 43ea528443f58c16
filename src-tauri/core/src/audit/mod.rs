//! The audit log: who did what to which record, when. Append-only inside the encrypted
//! database, each entry hash-chained to the one before (see `chain`), so an entry edited,
//! deleted, inserted or moved with an SQL tool is found by `verify`.
//!
//! Entries name records by id and MRN, never by patient name or clinical content: the log
//! says *that* a chart was opened, not what it holds.

pub mod action;
pub mod chain;
pub mod export;
pub mod query;
pub mod verify;

use rusqlite::{params, Connection};

pub use action::AuditAction;
pub use query::{AuditEntry, AuditFilter, AuditPage};
pub use verify::{verify, VerifyReport};

use crate::error::CoreResult;
use crate::timestamp::now_utc;

/// A checkpoint row is written with every this-many-th entry.
pub const CHECKPOINT_EVERY: i64 = 100;

/// How a user-chosen file is named in an entry. Names KetaChart generates (`KetaChart-…`) are
/// kept; any other name could carry a patient's name, so it is replaced by a neutral label.
pub fn file_label(path: &std::path::Path) -> String {
    let name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ours = name.starts_with("KetaChart-")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if ours {
        name
    } else {
        "a file named by the user".into()
    }
}

/// Who an entry is attributed to.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
}

impl Actor {
    pub fn system() -> Self {
        Self {
            user_id: None,
            username: "system".into(),
        }
    }
}

/// One entry to append.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub action: AuditAction,
    pub patient_id: Option<i64>,
    pub record_type: Option<&'a str>,
    pub record_id: Option<String>,
    /// Short, PHI-free detail (field names changed, a file name, a count).
    pub detail: Option<String>,
    /// When it happened, if not now (failed sign-ins recorded at the next successful one).
    pub at: Option<String>,
}

impl<'a> NewEvent<'a> {
    pub fn new(action: AuditAction) -> Self {
        Self {
            action,
            patient_id: None,
            record_type: None,
            record_id: None,
            detail: None,
            at: None,
        }
    }

    pub fn patient(mut self, id: i64, mrn: &str) -> Self {
        self.patient_id = Some(id);
        self.record_type = Some("patient");
        self.record_id = Some(mrn.to_string());
        self
    }

    pub fn record(mut self, kind: &'a str, id: impl Into<String>) -> Self {
        self.record_type = Some(kind);
        self.record_id = Some(id.into());
        self
    }

    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }

    pub fn at(mut self, at: impl Into<String>) -> Self {
        self.at = Some(at.into());
        self
    }
}

/// Appends one entry. Inside the caller's transaction it uses a savepoint (the entry commits
/// or rolls back with the change it describes); on its own it is one immediate transaction.
pub(crate) fn append(conn: &Connection, actor: &Actor, e: &NewEvent<'_>) -> CoreResult<i64> {
    // On its own, take the write lock up front (BEGIN IMMEDIATE): the entry reads the chain
    // head and then writes, which must not interleave with another process's append.
    let own = conn.is_autocommit();
    conn.execute_batch(if own {
        "BEGIN IMMEDIATE"
    } else {
        "SAVEPOINT audit_append"
    })?;
    let result = append_inner(conn, actor, e);
    match result {
        Ok(seq) => {
            conn.execute_batch(if own {
                "COMMIT"
            } else {
                "RELEASE audit_append"
            })?;
            Ok(seq)
        }
        Err(err) => {
            let _ = conn.execute_batch(if own {
                "ROLLBACK"
            } else {
                "ROLLBACK TO audit_append; RELEASE audit_append"
            });
            Err(err)
        }
    }
}

fn append_inner(conn: &Connection, actor: &Actor, e: &NewEvent<'_>) -> CoreResult<i64> {
    let (head_seq, head_hash, vault_id): (i64, String, String) = conn.query_row(
        "SELECT audit_head_seq, audit_head_hash, vault_id FROM vault_meta WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let prev_hash = if head_seq == 0 {
        chain::genesis(&vault_id)
    } else {
        head_hash
    };
    let seq = head_seq + 1;
    let at = e.at.clone().unwrap_or_else(now_utc);
    let fields = chain::Fields {
        seq,
        at: &at,
        user_id: actor.user_id,
        username: &actor.username,
        action: e.action.as_str(),
        patient_id: e.patient_id,
        record_type: e.record_type,
        record_id: e.record_id.as_deref(),
        detail: e.detail.as_deref(),
    };
    let hash = chain::entry_hash(&fields, &prev_hash);
    conn.execute(
        "INSERT INTO audit_event (seq, at, user_id, username, action, patient_id, record_type, \
         record_id, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            seq,
            at,
            actor.user_id,
            actor.username,
            e.action.as_str(),
            e.patient_id,
            e.record_type,
            e.record_id,
            e.detail,
            prev_hash,
            hash
        ],
    )?;
    if seq % CHECKPOINT_EVERY == 0 {
        conn.execute(
            "INSERT INTO audit_checkpoint (seq, hash, at) VALUES (?1, ?2, ?3)",
            params![seq, hash, now_utc()],
        )?;
    }
    conn.execute(
        "UPDATE vault_meta SET audit_head_seq = ?1, audit_head_hash = ?2 WHERE id = 1",
        params![seq, hash],
    )?;
    Ok(seq)
}

#[cfg(test)]
mod tamper_tests;
