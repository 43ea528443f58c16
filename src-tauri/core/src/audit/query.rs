//! Reading the log for the admin viewer: newest first, filtered, a page at a time.

use chrono::{Local, NaiveDate, TimeZone};
use rusqlite::types::Value;

use crate::access::Permission;
use crate::error::CoreResult;
use crate::session::Session;

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub username: Option<String>,
    pub patient_id: Option<i64>,
    pub action: Option<String>,
    /// Local calendar days, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub username: String,
    pub action: String,
    pub patient_id: Option<i64>,
    pub patient_mrn: Option<String>,
    pub patient_name: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before_seq` to get the next (older) page; `None` at the end.
    pub next_before: Option<i64>,
}

/// UTC timestamp text of local midnight starting `d`.
fn local_midnight_utc(d: NaiveDate) -> String {
    let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    let local = Local
        .from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| Local.from_utc_datetime(&naive));
    local
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn where_clause(f: &AuditFilter) -> (String, Vec<Value>) {
    let mut clauses = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(u) = f.username.as_ref().filter(|u| !u.trim().is_empty()) {
        clauses.push("a.username = ?");
        args.push(Value::Text(u.trim().to_lowercase()));
    }
    if let Some(p) = f.patient_id {
        clauses.push("a.patient_id = ?");
        args.push(Value::Integer(p));
    }
    if let Some(a) = f.action.as_ref().filter(|a| !a.is_empty()) {
        clauses.push("a.action = ?");
        args.push(Value::Text(a.clone()));
    }
    if let Some(d) = f.from {
        clauses.push("a.at >= ?");
        args.push(Value::Text(local_midnight_utc(d)));
    }
    if let Some(d) = f.to.and_then(|d| d.succ_opt()) {
        clauses.push("a.at < ?");
        args.push(Value::Text(local_midnight_utc(d)));
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, args)
}

pub(crate) const SELECT: &str = "SELECT a.seq, a.at, a.username, a.action, a.patient_id, p.mrn, \
    CASE WHEN p.id IS NULL THEN NULL ELSE p.family_name || ', ' || p.given_name END, \
    a.record_type, a.record_id, a.detail FROM audit_event a LEFT JOIN patient p ON p.id = a.patient_id";

pub(crate) fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        username: r.get(2)?,
        action: r.get(3)?,
        patient_id: r.get(4)?,
        patient_mrn: r.get(5)?,
        patient_name: r.get(6)?,
        record_type: r.get(7)?,
        record_id: r.get(8)?,
        detail: r.get(9)?,
    })
}

pub fn list(
    session: &Session,
    filter: &AuditFilter,
    before_seq: Option<i64>,
    limit: u32,
) -> CoreResult<AuditPage> {
    session.require(Permission::ReadAudit)?;
    let limit = limit.clamp(1, 500);
    let (mut where_sql, mut args) = where_clause(filter);
    if let Some(b) = before_seq {
        where_sql = if where_sql.is_empty() {
            "WHERE a.seq < ?".into()
        } else {
            format!("{where_sql} AND a.seq < ?")
        };
        args.push(Value::Integer(b));
    }
    args.push(Value::Integer(limit as i64 + 1));
    let mut stmt = session
        .conn()
        .prepare(&format!("{SELECT} {where_sql} ORDER BY a.seq DESC LIMIT ?"))?;
    let mut entries: Vec<AuditEntry> = stmt
        .query_map(rusqlite::params_from_iter(args), from_row)?
        .collect::<Result<_, _>>()?;
    let next_before = if entries.len() > limit as usize {
        entries.truncate(limit as usize);
        entries.last().map(|e| e.seq)
    } else {
        None
    };
    Ok(AuditPage {
        entries,
        next_before,
    })
}
