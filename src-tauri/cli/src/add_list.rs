//! `patients add-list`: JSON Lines, one patient per line, each committed on its own and
//! acknowledged on stdout (`added <MRN>`) only after the commit, so whatever was
//! acknowledged is in the vault even if the process is killed right after.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::{CoreError, Session, ValidationErrors};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Line {
    given_name: String,
    family_name: String,
    /// `YYYY-MM-DD`.
    birth_date: String,
    preferred_name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

fn parts(iso: &str) -> DateParts {
    let mut it = iso.trim().splitn(3, '-');
    let year = it.next().unwrap_or_default().to_string();
    let month = it.next().unwrap_or_default().to_string();
    let day = it.next().unwrap_or_default().to_string();
    DateParts { day, month, year }
}

pub fn patients(
    session: &mut Session,
    file: &Path,
    today: chrono::NaiveDate,
) -> Result<usize, CoreError> {
    let reader = BufReader::new(std::fs::File::open(file)?);
    let stdout = std::io::stdout();
    let mut n = 0;
    for (i, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let at_line = |msg: String| {
            CoreError::Validation(ValidationErrors::single(
                "file",
                format!("Line {}: {msg}", i + 1),
            ))
        };
        let l: Line = serde_json::from_str(&line)
            .map_err(|e| at_line(format!("not a patient record ({})", e.classify_name())))?;
        let input = PatientInput {
            given_name: l.given_name,
            family_name: l.family_name,
            preferred_name: l.preferred_name,
            birth_date: parts(&l.birth_date),
            phone: l.phone,
            email: l.email,
            ..Default::default()
        };
        let p = patient::create(session, &input, today).map_err(|e| match e {
            CoreError::Validation(v) => at_line(v.to_string()),
            other => other,
        })?;
        let mut out = stdout.lock();
        writeln!(out, "added {}", p.mrn)?;
        out.flush()?;
        n += 1;
    }
    Ok(n)
}

trait Classify {
    fn classify_name(&self) -> &'static str;
}

impl Classify for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "could not be read",
            serde_json::error::Category::Syntax => "invalid JSON",
            serde_json::error::Category::Data => "missing or unexpected fields",
            serde_json::error::Category::Eof => "incomplete JSON",
        }
    }
}
