//! Field checks shared by the clinical record kinds: every problem is named on its field, in the
//! UI guide's words, and the cleaned value is returned so a valid record is stored normalised.

use chrono::NaiveDate;

use crate::partial_date::PartialDate;
use crate::validation::ValidationErrors;

/// A required single line of text (trimmed, no control characters, at most `max` characters).
pub(crate) fn required_line(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let v = line(e, field, label, value, max);
    if v.is_empty() && !e.has(field) {
        e.add(field, format!("Enter {}", label.to_lowercase()));
    }
    v
}

/// An optional single line: empty means not recorded.
pub(crate) fn optional_line(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &Option<String>,
    max: usize,
) -> Option<String> {
    let v = line(e, field, label, value.as_deref().unwrap_or(""), max);
    (!v.is_empty()).then_some(v)
}

fn line(e: &mut ValidationErrors, field: &str, label: &str, value: &str, max: usize) -> String {
    let v = value.trim().to_string();
    if v.chars().any(char::is_control) {
        e.add(field, format!("{label} must be on one line"));
    } else if v.chars().count() > max {
        e.add(field, format!("{label} must be {max} characters or fewer"));
    }
    v
}

/// Optional multi-line text (line breaks allowed, other control characters not).
pub(crate) fn optional_text(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &Option<String>,
    max: usize,
) -> Option<String> {
    let raw = value.as_deref().unwrap_or("").replace("\r\n", "\n");
    let v = raw.trim().to_string();
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        e.add(
            field,
            format!("{label} contains characters that cannot be stored"),
        );
    } else if v.chars().count() > max {
        e.add(field, format!("{label} must be {max} characters or fewer"));
    }
    (!v.is_empty()).then_some(v)
}

/// A required partial date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) that is not in the future.
pub(crate) fn past_partial_date(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
    today: NaiveDate,
) -> Option<PartialDate> {
    if value.trim().is_empty() {
        e.add(field, format!("Enter {}", label.to_lowercase()));
        return None;
    }
    match PartialDate::parse(value) {
        Ok(d) if d.is_future(today) => {
            e.add(field, format!("{label} must be today or in the past"));
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            e.add(field, m);
            None
        }
    }
}

/// An optional partial date in the past; empty means not known.
pub(crate) fn optional_past_partial_date(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &Option<String>,
    today: NaiveDate,
) -> Option<PartialDate> {
    match value.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => past_partial_date(e, field, label, v, today),
    }
}

/// A required full date (`YYYY-MM-DD`); `allow_future` for things like coverage that starts
/// next month.
pub(crate) fn full_date(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
    today: NaiveDate,
    allow_future: bool,
) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, format!("Enter {}", label.to_lowercase()));
        return None;
    }
    match PartialDate::parse(v) {
        Ok(d) if d.precision() != crate::partial_date::Precision::Day => {
            e.add(
                field,
                format!("{label} must be a full date, including the day"),
            );
            None
        }
        Ok(d) if !allow_future && d.is_future(today) => {
            e.add(field, format!("{label} must be today or in the past"));
            None
        }
        Ok(d) => Some(d.earliest()),
        Err(m) => {
            e.add(field, m);
            None
        }
    }
}

pub(crate) fn optional_full_date(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &Option<String>,
    today: NaiveDate,
    allow_future: bool,
) -> Option<NaiveDate> {
    match value.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => full_date(e, field, label, v, today, allow_future),
    }
}

/// An optional whole number typed as text, within `min..=max`; returned normalised.
pub(crate) fn optional_count(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &Option<String>,
    min: u32,
    max: u32,
) -> Option<u32> {
    let v = value.as_deref().unwrap_or("").trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        Ok(_) => {
            e.add(field, format!("{label} must be between {min} and {max}"));
            None
        }
        Err(_) => {
            e.add(field, format!("{label} must be a whole number, like 12"));
            None
        }
    }
}

/// The end of a span must not come before its start (partial dates compare by the widest
/// reading: "2023" may end in "2023-05").
pub(crate) fn end_not_before_start(
    e: &mut ValidationErrors,
    field: &str,
    start: Option<&PartialDate>,
    end: Option<&PartialDate>,
) {
    if let (Some(s), Some(en)) = (start, end) {
        if en.latest() < s.earliest() {
            e.add(
                field,
                "The end date must be the same as or after the start date",
            );
        }
    }
}

pub(crate) fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
