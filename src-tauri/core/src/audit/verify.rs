//! Checking the chain. Walks every entry in order and reports, with the entry number, each
//! place where the log was edited, cut, extended or reordered outside KetaChart.

use rusqlite::OptionalExtension;

use super::chain::{self, Fields};
use crate::access::Permission;
use crate::audit::{AuditAction, NewEvent, CHECKPOINT_EVERY};
use crate::error::CoreResult;
use crate::session::Session;

/// Verification stops listing after this many problems (the first ones say where it starts).
const MAX_PROBLEMS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The entry where the problem shows, when there is one.
    pub seq: Option<i64>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: i64,
    pub checkpoints: i64,
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn summary(&self) -> String {
        if self.is_intact() {
            format!(
                "The audit log is intact: {} entries, {} checkpoints, every hash matches",
                self.entries, self.checkpoints
            )
        } else {
            let n = self.problems.len();
            format!(
                "The audit log was altered outside KetaChart: {}{n} problem{} found",
                if n >= MAX_PROBLEMS { "at least " } else { "" },
                if n == 1 { "" } else { "s" }
            )
        }
    }
}

struct Row {
    seq: i64,
    at: String,
    user_id: Option<i64>,
    username: String,
    action: String,
    patient_id: Option<i64>,
    record_type: Option<String>,
    record_id: Option<String>,
    detail: Option<String>,
    prev_hash: String,
    hash: String,
}

/// Verifies the chain and records that it was checked (the check itself is audited after the
/// walk, so it never changes what it verified).
pub fn verify(session: &Session) -> CoreResult<VerifyReport> {
    session.require(Permission::ReadAudit)?;
    let report = verify_conn(session.conn())?;
    session.audit(
        NewEvent::new(AuditAction::AuditVerify).detail(if report.is_intact() {
            format!("intact, {} entries", report.entries)
        } else {
            format!("{} problems", report.problems.len())
        }),
    )?;
    Ok(report)
}

pub(crate) fn verify_conn(conn: &rusqlite::Connection) -> CoreResult<VerifyReport> {
    let (vault_id, head_seq, head_hash): (String, i64, String) = conn.query_row(
        "SELECT vault_id, audit_head_seq, audit_head_hash FROM vault_meta WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut problems: Vec<Problem> = Vec::new();
    let mut add = |seq: Option<i64>, message: String| {
        if problems.len() < MAX_PROBLEMS {
            problems.push(Problem { seq, message });
        }
    };

    let mut stmt = conn.prepare(
        "SELECT seq, at, user_id, username, action, patient_id, record_type, record_id, detail, \
         prev_hash, hash FROM audit_event ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Row {
            seq: r.get(0)?,
            at: r.get(1)?,
            user_id: r.get(2)?,
            username: r.get(3)?,
            action: r.get(4)?,
            patient_id: r.get(5)?,
            record_type: r.get(6)?,
            record_id: r.get(7)?,
            detail: r.get(8)?,
            prev_hash: r.get(9)?,
            hash: r.get(10)?,
        })
    })?;

    let mut expected = 1i64;
    let mut prev = chain::genesis(&vault_id);
    let mut last_hash = String::new();
    let mut count = 0i64;
    for row in rows {
        let row = row?;
        count += 1;
        if row.seq > expected {
            let range = if row.seq - 1 == expected {
                format!("Entry {expected} is missing")
            } else {
                format!("Entries {expected} to {} are missing", row.seq - 1)
            };
            add(Some(expected), format!("{range}: deleted from the log"));
        }
        if row.prev_hash != prev {
            let owner: Option<i64> = conn
                .query_row(
                    "SELECT seq FROM audit_event WHERE hash = ?1 AND seq <> ?2",
                    rusqlite::params![row.prev_hash, row.seq],
                    |r| r.get(0),
                )
                .optional()?;
            match owner {
                Some(o) if o > row.seq => add(
                    Some(row.seq),
                    format!("Entry {} is out of order: it should come after entry {o}", row.seq),
                ),
                _ if row.seq == expected => add(
                    Some(row.seq),
                    format!(
                        "Entry {} does not follow entry {}: an entry between them was inserted, removed or replaced",
                        row.seq,
                        row.seq - 1
                    ),
                ),
                _ => {}
            }
        }
        let fields = Fields {
            seq: row.seq,
            at: &row.at,
            user_id: row.user_id,
            username: &row.username,
            action: &row.action,
            patient_id: row.patient_id,
            record_type: row.record_type.as_deref(),
            record_id: row.record_id.as_deref(),
            detail: row.detail.as_deref(),
        };
        if chain::entry_hash(&fields, &row.prev_hash) != row.hash {
            add(
                Some(row.seq),
                format!(
                    "Entry {} was changed after it was written (its contents no longer match its hash)",
                    row.seq
                ),
            );
        }
        prev = row.hash.clone();
        last_hash = row.hash;
        expected = row.seq + 1;
    }
    let last = expected - 1;
    if last < head_seq {
        add(
            Some(last + 1),
            format!(
                "The log ends at entry {last} but KetaChart wrote {head_seq}: the last entries were deleted"
            ),
        );
    } else if last > head_seq {
        add(
            Some(head_seq + 1),
            format!(
                "The log should end at entry {head_seq} but continues to {last}: entries were added outside KetaChart"
            ),
        );
    } else if last > 0 && last_hash != head_hash {
        add(
            Some(last),
            format!("Entry {last} is not the entry KetaChart last wrote: it was replaced"),
        );
    }

    let mut checkpoints = 0i64;
    let mut cps = conn.prepare(
        "SELECT c.seq, c.hash, e.hash FROM audit_checkpoint c LEFT JOIN audit_event e ON e.seq = c.seq ORDER BY c.seq",
    )?;
    let mut seen = std::collections::BTreeSet::new();
    for cp in cps.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })? {
        let (seq, cp_hash, entry_hash) = cp?;
        checkpoints += 1;
        seen.insert(seq);
        if entry_hash.as_deref() != Some(cp_hash.as_str()) {
            add(
                Some(seq),
                format!("Entry {seq} no longer matches the checkpoint taken when it was written"),
            );
        }
    }
    let mut s = CHECKPOINT_EVERY;
    while s <= head_seq.min(last) {
        if !seen.contains(&s) {
            add(Some(s), format!("The checkpoint at entry {s} was deleted"));
        }
        s += CHECKPOINT_EVERY;
    }

    Ok(VerifyReport {
        entries: count,
        checkpoints,
        problems,
    })
}
