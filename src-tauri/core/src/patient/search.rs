//! Patient search by name, MRN or date of birth.
//!
//! Names and MRNs go through the FTS5 index (accent-insensitive, prefix). Every word the
//! person typed is quoted as an FTS5 string, so `O'Neil`, `-`, `AND` or `"` are only ever
//! text, never query syntax. A query that reads as a date searches the date of birth.

use chrono::NaiveDate;
use rusqlite::params;

use super::fold::fold;
use super::store::{summary_from_row, SUMMARY_COLUMNS};
use super::PatientSummary;
use crate::error::CoreResult;
use crate::session::Session;

/// Most rows a caller may ask for at once.
pub const SEARCH_LIMIT_MAX: u32 = 100;

/// How many index hits are ranked before giving up on completeness (`more` is then true).
const CANDIDATES: u32 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResult {
    pub patients: Vec<PatientSummary>,
    /// More patients match than were returned: the person should type more.
    pub more: bool,
}

/// Dates as clinicians type them: 1975-03-27, 3/27/1975, 03-27-1975, 27-Mar-1975.
fn as_birth_date(q: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%d-%b-%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(q, f).ok())
}

/// Each word becomes a quoted FTS5 prefix string; words with no letter or digit are dropped.
/// A word with letters that have no decomposition ("Ødeg") is also looked for spelled out
/// ("Odeg"), which the `search_name` column holds, so both spellings find "Ødegård".
pub(crate) fn fts_query(q: &str) -> Option<String> {
    let quote = |w: &str| format!("\"{}\"*", w.replace('"', "\"\""));
    let terms: Vec<String> = q
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| {
            let spelled = super::fold::transliterate(w);
            if spelled == w {
                quote(w)
            } else {
                format!("({} OR {})", quote(w), quote(&spelled))
            }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

pub fn search(session: &Session, query: &str, limit: u32) -> CoreResult<SearchResult> {
    session.require(crate::access::Permission::ReadPatients)?;
    let limit = limit.clamp(1, SEARCH_LIMIT_MAX);
    let q = query.trim();
    let conn = session.conn();

    if q.is_empty() {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM patient ORDER BY sort_key, id LIMIT ?1"
        ))?;
        let mut patients: Vec<PatientSummary> = stmt
            .query_map([limit + 1], summary_from_row)?
            .collect::<Result<_, _>>()?;
        let more = patients.len() > limit as usize;
        patients.truncate(limit as usize);
        return Ok(SearchResult { patients, more });
    }

    if let Some(dob) = as_birth_date(q) {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM patient WHERE birth_date = ?1 ORDER BY sort_key, id LIMIT ?2"
        ))?;
        let mut patients: Vec<PatientSummary> = stmt
            .query_map(
                params![dob.format("%Y-%m-%d").to_string(), limit + 1],
                summary_from_row,
            )?
            .collect::<Result<_, _>>()?;
        let more = patients.len() > limit as usize;
        patients.truncate(limit as usize);
        return Ok(SearchResult { patients, more });
    }

    let Some(fts) = fts_query(q) else {
        return Ok(SearchResult {
            patients: Vec::new(),
            more: false,
        });
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS}, sort_key FROM patient WHERE id IN \
         (SELECT rowid FROM patient_fts WHERE patient_fts MATCH ?1 LIMIT ?2)"
    ))?;
    let mut rows: Vec<(PatientSummary, String)> = stmt
        .query_map(params![fts, CANDIDATES + 1], |r| {
            Ok((summary_from_row(r)?, r.get(6)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut more = rows.len() > CANDIDATES as usize;
    rows.truncate(CANDIDATES as usize);

    // Whole-word family-name matches first ("Lee" before "Leeds"), then alphabetical.
    let words: Vec<String> = q.split_whitespace().map(fold).collect();
    rows.sort_by_cached_key(|(p, key)| {
        let family = fold(&p.family_name);
        (!words.contains(&family), key.clone(), p.id.0)
    });
    more |= rows.len() > limit as usize;
    rows.truncate(limit as usize);
    Ok(SearchResult {
        patients: rows.into_iter().map(|(p, _)| p).collect(),
        more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_input_is_always_quoted() {
        assert_eq!(fts_query("O'Neil").as_deref(), Some("\"O'Neil\"*"));
        assert_eq!(fts_query("a\"b").as_deref(), Some("\"a\"\"b\"*"));
        assert_eq!(
            fts_query("Müller, Anna").as_deref(),
            Some("\"Müller\"* \"Anna\"*")
        );
        assert_eq!(fts_query(" - "), None);
        assert_eq!(
            fts_query("Ødeg").as_deref(),
            Some("(\"Ødeg\"* OR \"Odeg\"*)")
        );
        assert_eq!(
            fts_query("AND OR NOT").as_deref(),
            Some("\"AND\"* \"OR\"* \"NOT\"*")
        );
    }

    #[test]
    fn dates_in_clinic_formats() {
        let d = NaiveDate::from_ymd_opt(1975, 3, 27);
        assert_eq!(as_birth_date("1975-03-27"), d);
        assert_eq!(as_birth_date("3/27/1975"), d);
        assert_eq!(as_birth_date("03-27-1975"), d);
        assert_eq!(as_birth_date("27-Mar-1975"), d);
        assert_eq!(as_birth_date("Mar"), None);
    }
}
