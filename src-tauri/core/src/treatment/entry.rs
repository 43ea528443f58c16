//! Reading what a nurse typed into a flowsheet: decimal numbers within a range and clock
//! times (HH:MM), each problem named on its field and the value returned normalised.

use chrono::NaiveTime;

use crate::validation::ValidationErrors;

/// An optional decimal number within `min..=max`; empty means not recorded.
pub(crate) fn number(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &Option<String>,
    min: f64,
    max: f64,
) -> Option<f64> {
    let v = value.as_deref().unwrap_or("").trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= min && n <= max => Some(n),
        Ok(n) if n.is_finite() => {
            e.add(
                field,
                format!("{label} must be between {} and {}", trim(min), trim(max)),
            );
            None
        }
        _ => {
            e.add(
                field,
                format!("{label} must be a number, like {}", trim(min.max(1.0))),
            );
            None
        }
    }
}

/// An optional whole number within `min..=max`.
pub(crate) fn whole(
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
            e.add(
                field,
                format!("{label} must be a whole number between {min} and {max}"),
            );
            None
        }
    }
}

/// An optional clock time, `HH:MM` (24-hour; `9:05` is accepted and stored as `09:05`).
pub(crate) fn clock(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &Option<String>,
) -> Option<NaiveTime> {
    let v = value.as_deref().unwrap_or("").trim();
    if v.is_empty() {
        return None;
    }
    match NaiveTime::parse_from_str(v, "%H:%M") {
        Ok(t) => Some(t),
        Err(_) => {
            e.add(field, format!("{label} must be a 24-hour time like 09:05"));
            None
        }
    }
}

pub(crate) fn hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// Minutes from `a` to `b` on the same day (negative when `b` is earlier).
pub(crate) fn minutes_between(a: NaiveTime, b: NaiveTime) -> i64 {
    (b - a).num_minutes()
}

/// A number as people write it: no trailing zeros (`0.5`, `35`, `34.9`).
pub fn trim(n: f64) -> String {
    let s = format!("{:.2}", n);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

pub(crate) fn round_to(n: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (n * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_without_trailing_zeros() {
        assert_eq!(trim(0.5), "0.5");
        assert_eq!(trim(35.0), "35");
        assert_eq!(trim(34.95), "34.95");
        assert_eq!(trim(69.85), "69.85");
    }

    #[test]
    fn times_are_24_hour() {
        let mut e = ValidationErrors::new();
        assert_eq!(
            clock(&mut e, "t", "The time", &Some("9:05".into())).map(hhmm),
            Some("09:05".into())
        );
        assert!(clock(&mut e, "t", "The time", &Some("25:00".into())).is_none());
        assert!(e.has("t"));
    }
}
