//! Field shapes shared by the clinic and provider profiles: US state, ZIP code, US phone and
//! fax numbers, TIN, NPI and email. Each check names the problem on its field, in the UI
//! guide's words, and returns the value as it is stored (normalised), or `None` when empty.

use super::npi::is_valid_npi;
use crate::validation::{clean_line, ValidationErrors};

/// US states, DC, the territories and the military "states" (USPS codes).
const US_STATES: [&str; 59] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP",
];

/// One line of text: trimmed, on one line, at most `max` characters. When `missing` is given
/// the field is required and that is the message for an empty one. `None` when empty or
/// refused (the field's one message is then already added).
pub(crate) fn line(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    raw: &str,
    max: usize,
    missing: Option<&str>,
) -> Option<String> {
    let v = clean_line(e, field, label, raw, max);
    if e.has(field) {
        // Too long or not on one line: one message per field is enough.
        return None;
    }
    if v.is_empty() {
        if let Some(m) = missing {
            e.add(field, m);
        }
        return None;
    }
    Some(v)
}

/// A two-letter USPS state code, stored in capitals.
pub(crate) fn us_state(e: &mut ValidationErrors, field: &str, raw: &str) -> Option<String> {
    let v = raw.trim().to_ascii_uppercase();
    if v.is_empty() {
        e.add(field, "Enter the state");
        return None;
    }
    if v.len() != 2 || !v.bytes().all(|b| b.is_ascii_uppercase()) {
        e.add(field, "State must be 2 letters, like MA");
    } else if !US_STATES.contains(&v.as_str()) {
        e.add(field, "Enter a real US state code, like MA");
    }
    Some(v)
}

/// A ZIP code: 5 digits or ZIP+4 (`02139-4307`; 9 digits without the hyphen are accepted).
pub(crate) fn zip(e: &mut ValidationErrors, field: &str, raw: &str) -> Option<String> {
    let v = raw.trim();
    if v.is_empty() {
        e.add(field, "Enter the ZIP code");
        return None;
    }
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if digits(v, 5) {
        return Some(v.to_string());
    }
    if digits(v, 9) {
        return Some(format!("{}-{}", &v[..5], &v[5..]));
    }
    if let Some((five, four)) = v.split_once('-') {
        if digits(five, 5) && digits(four, 4) {
            return Some(v.to_string());
        }
    }
    e.add(field, "Enter a real ZIP code, like 02139 or 02139-4307");
    Some(v.to_string())
}

/// The digits of `raw` when it holds only digits and phone punctuation (spaces, `+ - . ( ) /`).
fn digits_only(raw: &str) -> Option<String> {
    raw.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')' | '/'))
        .then(|| raw.chars().filter(char::is_ascii_digit).collect())
}

/// A US (NANP) phone or fax number: 10 digits after removing punctuation (a leading country
/// code 1 is dropped), stored as `(617) 555-0142`. `label` is the field's name in sentence
/// case ("Phone number"); `missing` makes it required.
pub(crate) fn us_phone(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    raw: &str,
    missing: Option<&str>,
) -> Option<String> {
    let v = line(e, field, label, raw, 30, missing)?;
    let Some(mut d) = digits_only(&v) else {
        e.add(
            field,
            format!("{label} must only include numbers, spaces and ( ) -"),
        );
        return Some(v);
    };
    if d.len() == 11 && d.starts_with('1') {
        d.remove(0);
    }
    let b = d.as_bytes();
    if b.len() != 10 {
        e.add(
            field,
            format!("{label} must be 10 digits, like (617) 555-0142"),
        );
        return Some(v);
    }
    // Area codes and exchanges never start with 0 or 1.
    if b[0] < b'2' || b[3] < b'2' {
        e.add(
            field,
            format!(
                "Enter a real US {}, like (617) 555-0142",
                label.to_lowercase()
            ),
        );
        return Some(v);
    }
    Some(format!("({}) {}-{}", &d[..3], &d[3..6], &d[6..]))
}

/// A Taxpayer Identification Number (EIN or SSN shape): 9 digits, stored as `12-3456789`.
pub(crate) fn tin(e: &mut ValidationErrors, field: &str, raw: &str) -> Option<String> {
    let v = line(e, field, "TIN", raw, 20, None)?;
    let d: String = v.chars().filter(char::is_ascii_digit).collect();
    let only_digits_and_separators = v
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' '));
    if !only_digits_and_separators || d.len() != 9 {
        e.add(field, "TIN must be 9 digits, like 12-3456789");
        return Some(v);
    }
    Some(format!("{}-{}", &d[..2], &d[2..]))
}

/// A National Provider Identifier: 10 digits whose last is the check digit (see `npi`).
/// Spaces and hyphens between the digits are ignored.
pub(crate) fn npi(e: &mut ValidationErrors, field: &str, raw: &str) -> Option<String> {
    let v = line(e, field, "NPI", raw, 20, None)?;
    let d: String = v.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if d.len() != 10 || !d.bytes().all(|b| b.is_ascii_digit()) {
        e.add(field, "NPI must be 10 digits, like 1234567893");
        return Some(v);
    }
    if !is_valid_npi(&d) {
        e.add(
            field,
            "NPI is not a real NPI: its last digit does not match. Check each digit against the NPI registry",
        );
        return Some(v);
    }
    Some(d)
}

/// An email address: one `@`, a dot in the domain, no spaces. `missing` makes it required.
pub(crate) fn email(
    e: &mut ValidationErrors,
    field: &str,
    raw: &str,
    missing: Option<&str>,
) -> Option<String> {
    let v = line(e, field, "Email address", raw, 254, missing)?;
    let one_at = v.matches('@').count() == 1;
    let domain_ok = v.rsplit_once('@').is_some_and(|(local, d)| {
        !local.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
    });
    if !one_at
        || !domain_ok
        || v.contains(char::is_whitespace)
        || !email_address::EmailAddress::is_valid(&v)
    {
        e.add(
            field,
            "Enter an email address in the correct format, like name@example.com",
        );
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<T>(f: impl FnOnce(&mut ValidationErrors) -> T) -> (T, Vec<String>) {
        let mut e = ValidationErrors::new();
        let v = f(&mut e);
        (v, e.0.into_iter().map(|f| f.message).collect())
    }

    #[test]
    fn phone_numbers_are_ten_digits_stored_formatted() {
        for raw in [
            "617 555 0142",
            "(617) 555-0142",
            "617.555.0142",
            "+1 617 555 0142",
            "1-617-555-0142",
            "6175550142",
        ] {
            let (v, errs) = run(|e| us_phone(e, "phone", "Phone number", raw, None));
            assert!(errs.is_empty(), "{raw}: {errs:?}");
            assert_eq!(v.as_deref(), Some("(617) 555-0142"), "{raw}");
        }
        let (v, errs) = run(|e| us_phone(e, "phone", "Phone number", "  ", None));
        assert_eq!((v, errs.len()), (None, 0), "optional and empty");
        let (_, errs) = run(|e| us_phone(e, "phone", "Phone number", "", Some("Enter x")));
        assert_eq!(errs, ["Enter x"]);
        for (raw, msg) in [
            (
                "555 0142",
                "Phone number must be 10 digits, like (617) 555-0142",
            ),
            (
                "617 555 01420",
                "Phone number must be 10 digits, like (617) 555-0142",
            ),
            (
                "617 555 0142 x12",
                "Phone number must only include numbers, spaces and ( ) -",
            ),
            (
                "117 555 0142",
                "Enter a real US phone number, like (617) 555-0142",
            ),
            (
                "617 055 0142",
                "Enter a real US phone number, like (617) 555-0142",
            ),
        ] {
            let (_, errs) = run(|e| us_phone(e, "phone", "Phone number", raw, None));
            assert_eq!(errs, [msg], "{raw}");
        }
    }

    #[test]
    fn states_zips_tins() {
        assert_eq!(
            run(|e| us_state(e, "state", " ma ")).0.as_deref(),
            Some("MA")
        );
        assert_eq!(
            run(|e| us_state(e, "state", "Mass")).1,
            ["State must be 2 letters, like MA"]
        );
        assert_eq!(
            run(|e| us_state(e, "state", "ZZ")).1,
            ["Enter a real US state code, like MA"]
        );
        assert_eq!(run(|e| us_state(e, "state", "")).1, ["Enter the state"]);
        assert_eq!(run(|e| zip(e, "zip", "02139")).0.as_deref(), Some("02139"));
        assert_eq!(
            run(|e| zip(e, "zip", "02139-4307")).0.as_deref(),
            Some("02139-4307")
        );
        assert_eq!(
            run(|e| zip(e, "zip", "021394307")).0.as_deref(),
            Some("02139-4307")
        );
        for bad in ["2139", "02139-43", "ABCDE", "02139 4307"] {
            assert_eq!(run(|e| zip(e, "zip", bad)).1.len(), 1, "{bad}");
        }
        assert_eq!(
            run(|e| tin(e, "tin", "123456789")).0.as_deref(),
            Some("12-3456789")
        );
        assert_eq!(
            run(|e| tin(e, "tin", "12-3456789")).0.as_deref(),
            Some("12-3456789")
        );
        assert_eq!(
            run(|e| tin(e, "tin", "12-345678")).1,
            ["TIN must be 9 digits, like 12-3456789"]
        );
        assert_eq!(run(|e| tin(e, "tin", "12-34S6789")).1.len(), 1);
    }

    #[test]
    fn npis_and_emails() {
        assert_eq!(
            run(|e| npi(e, "npi", "1234567893")).0.as_deref(),
            Some("1234567893")
        );
        assert_eq!(
            run(|e| npi(e, "npi", "1234 567 893")).0.as_deref(),
            Some("1234567893")
        );
        assert_eq!(
            run(|e| npi(e, "npi", "123456789")).1,
            ["NPI must be 10 digits, like 1234567893"]
        );
        assert!(run(|e| npi(e, "npi", "1234567890")).1[0].starts_with("NPI is not a real NPI"));
        assert!(run(|e| email(e, "email", "a.b@clinic.example", None))
            .1
            .is_empty());
        for bad in [
            "a@b",
            "a@@b.com",
            "a@b@c.com",
            "a b@c.com",
            "@c.com",
            "a@c.",
            "a@.com",
        ] {
            assert_eq!(run(|e| email(e, "email", bad, None)).1.len(), 1, "{bad}");
        }
    }
}
