//! CSV export of (a filtered view of) the log. Patients appear by MRN only (minimum
//! necessary); cells that a spreadsheet would run as a formula are neutralised.

use super::query::{from_row, where_clause, SELECT};
use super::{AuditAction, NewEvent};
use crate::access::Permission;
use crate::error::{CoreError, CoreResult};
use crate::export_file::write_atomically;
use crate::session::Session;

/// A cell starting with `=`, `+`, `-`, `@` (or a tab/CR that some spreadsheets skip) is
/// prefixed with `'` so it is shown as text, never evaluated.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Writes the entries matching `filter` (oldest first) to `path`. Returns how many.
pub fn export_csv(session: &Session, filter: &super::AuditFilter, path: &str) -> CoreResult<usize> {
    session.require(Permission::ReadAudit)?;
    let path = crate::export_file::check_target("path", path)?;
    crate::export_file::check_outside("path", &path, session.vault().path())?;
    let path = path.as_path();
    let (where_sql, args) = where_clause(filter);
    let mut stmt = session
        .conn()
        .prepare(&format!("{SELECT} {where_sql} ORDER BY a.seq"))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| CoreError::Io(std::io::Error::other(e.to_string()));
    w.write_record([
        "entry",
        "time_utc",
        "user",
        "action",
        "action_label",
        "patient_mrn",
        "record_type",
        "record_id",
        "detail",
    ])
    .map_err(csv_err)?;
    let mut n = 0usize;
    for e in stmt.query_map(rusqlite::params_from_iter(args), from_row)? {
        let e = e?;
        let label = AuditAction::parse(&e.action)
            .map(AuditAction::label)
            .unwrap_or("");
        let cells = [
            e.seq.to_string(),
            e.at,
            e.username,
            e.action,
            label.to_string(),
            e.patient_mrn.unwrap_or_default(),
            e.record_type.unwrap_or_default(),
            e.record_id.unwrap_or_default(),
            e.detail.unwrap_or_default(),
        ];
        w.write_record(cells.iter().map(|c| neutralise(c)))
            .map_err(csv_err)?;
        n += 1;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| CoreError::Io(std::io::Error::other(e.to_string())))?;
    write_atomically(path, &bytes)?;
    let name = super::file_label(path);
    session
        .audit(NewEvent::new(AuditAction::AuditExport).detail(format!("{n} entries to {name}")))?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+SUM(A1)"), "'+SUM(A1)");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("login"), "login");
        assert_eq!(neutralise(""), "");
    }
}
