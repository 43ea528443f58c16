//! Exact dates typed as three parts (month, day, year), as the UI guide asks for dates of birth.
//!
//! Produces the guide's error messages ("Date of birth must include a month", "… must be a real
//! date") against the part that is wrong, so the UI can focus it. Partial dates (trials from
//! outside records) are a different type and arrive with the clinical-record issue.

use chrono::{Datelike, NaiveDate};

use crate::validation::ValidationErrors;

/// What the person typed, part by part. Parts are strings so that "jan", "03" or " 3 " survive
/// to validation and get a helpful message instead of a type error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateParts {
    pub fn from_date(d: NaiveDate) -> Self {
        Self {
            day: d.day().to_string(),
            month: d.month().to_string(),
            year: d.year().to_string(),
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Month as 1–12 from "3", "03", "mar", "March" (any case).
fn parse_month(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let lower = s.to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&lower) || (lower.len() >= 3 && lower == m[..3]))
        .map(|i| i as u32 + 1)
}

/// Parses an exact date. `field` is the UI field id (e.g. `birthDate`), `label` the question
/// ("Date of birth"). Errors point at `field.month`, `field.day` or `field.year`.
pub fn parse_exact(
    errors: &mut ValidationErrors,
    field: &str,
    label: &str,
    parts: &DateParts,
) -> Option<NaiveDate> {
    let (d, m, y) = (parts.day.trim(), parts.month.trim(), parts.year.trim());
    if d.is_empty() && m.is_empty() && y.is_empty() {
        errors.add(
            &format!("{field}.month"),
            format!("Enter {}", label.to_lowercase()),
        );
        return None;
    }
    for (part, value, name) in [
        ("month", m, "month"),
        ("day", d, "day"),
        ("year", y, "year"),
    ] {
        if value.is_empty() {
            errors.add(
                &format!("{field}.{part}"),
                format!("{label} must include a {name}"),
            );
            return None;
        }
    }
    let Some(month) = parse_month(m) else {
        errors.add(
            &format!("{field}.month"),
            format!("{label} must be a real date"),
        );
        return None;
    };
    let Ok(day) = d.parse::<u32>() else {
        errors.add(
            &format!("{field}.day"),
            format!("{label} must be a real date"),
        );
        return None;
    };
    if y.len() != 4 || !y.chars().all(|c| c.is_ascii_digit()) {
        errors.add(&format!("{field}.year"), "Year must include 4 numbers");
        return None;
    }
    let year: i32 = y.parse().ok()?;
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => Some(date),
        None => {
            errors.add(
                &format!("{field}.day"),
                format!("{label} must be a real date"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(m: &str, d: &str, y: &str) -> DateParts {
        DateParts {
            day: d.into(),
            month: m.into(),
            year: y.into(),
        }
    }

    #[test]
    fn accepts_numbers_and_month_names() {
        let mut e = ValidationErrors::new();
        let want = NaiveDate::from_ymd_opt(1975, 3, 27);
        assert_eq!(
            parse_exact(&mut e, "d", "Date", &parts("3", "27", "1975")),
            want
        );
        assert_eq!(
            parse_exact(&mut e, "d", "Date", &parts("mar", "27", "1975")),
            want
        );
        assert_eq!(
            parse_exact(&mut e, "d", "Date", &parts("March", "27", "1975")),
            want
        );
        assert_eq!(
            parse_exact(&mut e, "d", "Date", &parts(" 03 ", "27", "1975")),
            want
        );
        assert!(e.is_empty());
    }

    #[test]
    fn impossible_and_missing_parts_name_the_part() {
        let mut e = ValidationErrors::new();
        assert_eq!(
            parse_exact(&mut e, "dob", "Date of birth", &parts("2", "30", "1990")),
            None
        );
        assert_eq!(e.0[0].field, "dob.day");
        assert_eq!(e.0[0].message, "Date of birth must be a real date");

        let mut e = ValidationErrors::new();
        parse_exact(&mut e, "dob", "Date of birth", &parts("", "3", "1990"));
        assert_eq!(e.0[0].field, "dob.month");
        assert_eq!(e.0[0].message, "Date of birth must include a month");

        let mut e = ValidationErrors::new();
        parse_exact(&mut e, "dob", "Date of birth", &parts("13", "3", "1990"));
        assert_eq!(e.0[0].field, "dob.month");

        let mut e = ValidationErrors::new();
        parse_exact(&mut e, "dob", "Date of birth", &parts("1", "3", "90"));
        assert_eq!(e.0[0].message, "Year must include 4 numbers");

        let mut e = ValidationErrors::new();
        parse_exact(&mut e, "dob", "Date of birth", &parts("", "", ""));
        assert_eq!(e.0[0].message, "Enter date of birth");
    }
}
