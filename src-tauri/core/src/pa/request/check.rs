//! Field checks shared by the request forms: billing-code and NDC shapes, code lines, and the
//! local date-times staff type (`YYYY-MM-DDTHH:MM`). Each problem is named on its field and
//! the cleaned value is returned, so what is stored is normalised.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, Timelike};

use super::CodeLine;
use crate::validation::ValidationErrors;

/// Date-times as staff enter them: local wall-clock time, to the minute.
pub const AT_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// More code lines than any request needs.
pub(crate) const MAX_LINES: usize = 20;
pub(crate) const MAX_UNITS: u32 = 999;

/// A CPT or HCPCS Level II code: 5 digits (90868), a letter and 4 digits (G2082, J0013), or 4
/// digits and a letter (CPT category II/III codes such as 0889T). Upper-cased.
pub(crate) fn code_shape(code: &str) -> Option<String> {
    let c = code.trim().to_ascii_uppercase();
    let b = c.as_bytes();
    let ok = b.len() == 5
        && (b.iter().all(u8::is_ascii_digit)
            || (b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit))
            || (b[..4].iter().all(u8::is_ascii_digit) && b[4].is_ascii_uppercase()));
    ok.then_some(c)
}

pub(crate) const CODE_HINT: &str =
    "Enter a CPT or HCPCS code: 5 digits (90868) or a letter and 4 digits (G2082)";

/// An 11-digit NDC, typed as 5-4-2 with dashes or as 11 digits; returned as 5-4-2.
pub(crate) fn ndc_shape(ndc: &str) -> Option<String> {
    let n = ndc.trim();
    let digits: String = n.chars().filter(char::is_ascii_digit).collect();
    let groups: Vec<&str> = n.split('-').collect();
    let shaped = match groups.as_slice() {
        [all] => all.len() == 11 && all.bytes().all(|b| b.is_ascii_digit()),
        [a, b, c] => {
            a.len() == 5
                && b.len() == 4
                && c.len() == 2
                && [a, b, c]
                    .iter()
                    .all(|g| g.bytes().all(|x| x.is_ascii_digit()))
        }
        _ => false,
    };
    shaped.then(|| format!("{}-{}-{}", &digits[..5], &digits[5..9], &digits[9..]))
}

/// Code lines (`field.N.code`, `field.N.units`, `field.N.ndc`), cleaned. A code may appear
/// once.
pub(crate) fn lines(e: &mut ValidationErrors, field: &str, input: &[CodeLine]) -> Vec<CodeLine> {
    if input.len() > MAX_LINES {
        e.add(field, format!("List at most {MAX_LINES} codes"));
        return Vec::new();
    }
    let mut out: Vec<CodeLine> = Vec::new();
    for (i, l) in input.iter().enumerate() {
        let code_field = format!("{field}.{i}.code");
        let code = if l.code.trim().is_empty() {
            e.add(&code_field, "Enter a billing code");
            None
        } else {
            match code_shape(&l.code) {
                None => {
                    e.add(&code_field, CODE_HINT);
                    None
                }
                Some(c) if out.iter().any(|o| o.code == c) => {
                    e.add(
                        &code_field,
                        format!("{c} is listed twice; put all its units on one line"),
                    );
                    None
                }
                Some(c) => Some(c),
            }
        };
        if l.units == 0 || l.units > MAX_UNITS {
            e.add(
                &format!("{field}.{i}.units"),
                format!("Units must be from 1 to {MAX_UNITS}"),
            );
        }
        let ndc = match l.ndc.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            None => None,
            Some(n) => match ndc_shape(n) {
                Some(n) => Some(n),
                None => {
                    e.add(
                        &format!("{field}.{i}.ndc"),
                        "The NDC must be 11 digits, as 5-4-2 (for example 50458-0028-02)",
                    );
                    None
                }
            },
        };
        if let Some(code) = code {
            out.push(CodeLine {
                code,
                units: l.units,
                ndc,
            });
        }
    }
    out
}

pub(crate) fn parse_at(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s.trim(), AT_FORMAT).ok()
}

pub(crate) fn format_at(t: NaiveDateTime) -> String {
    t.format(AT_FORMAT).to_string()
}

/// A required local date-time, not after `now`.
pub(crate) fn past_at(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    if value.trim().is_empty() {
        e.add(field, format!("Enter {}", label.to_lowercase()));
        return None;
    }
    match parse_at(value) {
        None => {
            e.add(
                field,
                format!("{label} must be a date and time, like 2026-11-21T09:30"),
            );
            None
        }
        Some(t) if t > now => {
            e.add(field, format!("{label} cannot be in the future"));
            None
        }
        Some(t) => Some(t),
    }
}

/// `12-Dec-2026`, as the app shows dates.
pub(crate) fn show_date(d: NaiveDate) -> String {
    d.format("%d-%b-%Y").to_string()
}

pub(crate) fn show_at(t: NaiveDateTime) -> String {
    t.format("%d-%b-%Y %H:%M").to_string()
}

pub(crate) fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A stored UTC timestamp as local wall-clock time, to the minute (for comparing with what
/// staff type).
pub(crate) fn utc_text_to_local_minute(s: &str) -> Option<NaiveDateTime> {
    let t = DateTime::parse_from_rfc3339(s).ok()?;
    let local = t.with_timezone(&Local).naive_local();
    local.with_second(0)?.with_nanosecond(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_shapes() {
        for ok in ["90868", "g2082", " J0013 ", "0889T"] {
            assert!(code_shape(ok).is_some(), "{ok}");
        }
        assert_eq!(code_shape("g2082").as_deref(), Some("G2082"));
        for bad in ["9086", "908688", "GG082", "G208A", "", "9O868", "G2-82"] {
            assert!(code_shape(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn ndc_shapes() {
        assert_eq!(ndc_shape("50458-0028-02").as_deref(), Some("50458-0028-02"));
        assert_eq!(ndc_shape("50458002802").as_deref(), Some("50458-0028-02"));
        for bad in [
            "50458-028-02",
            "5045800280",
            "50458-0028-2",
            "50458-0028-0A",
            "x",
        ] {
            assert!(ndc_shape(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn lines_are_checked_on_their_fields() {
        let mut e = ValidationErrors::new();
        let out = lines(
            &mut e,
            "requestedLines",
            &[
                CodeLine::new("g2082", 8),
                CodeLine::new("G2082", 1),
                CodeLine::new("BAD", 1),
                CodeLine::new("90868", 0),
                CodeLine {
                    code: "J0013".into(),
                    units: 1000,
                    ndc: Some("1234".into()),
                },
            ],
        );
        assert_eq!(out[0], CodeLine::new("G2082", 8));
        for f in [
            "requestedLines.1.code",
            "requestedLines.2.code",
            "requestedLines.3.units",
            "requestedLines.4.units",
            "requestedLines.4.ndc",
        ] {
            assert!(e.has(f), "{f}: {e:?}");
        }
        assert!(!e.has("requestedLines.0.code"));
    }

    #[test]
    fn date_times_are_local_minutes_not_in_the_future() {
        let now = parse_at("2026-03-02T10:00").unwrap();
        let mut e = ValidationErrors::new();
        assert!(past_at(&mut e, "at", "The time", "2026-03-02T10:00", now).is_some());
        assert!(past_at(&mut e, "at", "The time", "2026-03-02T10:01", now).is_none());
        assert!(past_at(&mut e, "b", "The time", "2026-03-02 10:00", now).is_none());
        assert!(past_at(&mut e, "c", "The time", " ", now).is_none());
        assert_eq!(e.0.len(), 3);
        assert!(e.0[0].message.contains("future"));
    }
}
