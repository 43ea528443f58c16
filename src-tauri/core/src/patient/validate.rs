//! Patient validation: every rule lives here, so the app, the CLI and imports agree.
//! Messages follow the UI guide's formulas and name the field they belong to.

use chrono::NaiveDate;

use super::{Address, EmergencyContact, PatientInput, ValidPatient};
use crate::date_input::parse_exact;
use crate::validation::{clean_line, optional_line, ValidationErrors};

const NAME_MAX: usize = 100;

fn required_name(e: &mut ValidationErrors, field: &str, label: &str, value: &str) -> String {
    let v = clean_line(e, field, label, value, NAME_MAX);
    if v.is_empty() && !e.has(field) {
        e.add(
            field,
            format!("Enter the patient's {}", label.to_lowercase()),
        );
    } else if !v.is_empty() && !v.chars().any(char::is_alphabetic) && !e.has(field) {
        e.add(field, format!("{label} must include at least one letter"));
    }
    v
}

/// Phone numbers: digits with optional spaces, `+`, `-`, `.`, brackets and an `x` extension;
/// 7 to 15 digits (E.164 allows 15). Hand-written: the `phonenumber` crate pulls in the whole
/// libphonenumber metadata set for what is a shape check.
fn phone(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: Option<&str>,
) -> Option<String> {
    let v = optional_line(e, field, label, value, 30)?;
    let (main, ext) = match v.to_lowercase().split_once('x') {
        Some((m, x)) => (m.to_string(), Some(x.trim().to_string())),
        None => (v.clone(), None),
    };
    let ok_chars = main
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'));
    let digits = main.chars().filter(char::is_ascii_digit).count();
    let ext_ok = ext.is_none_or(|x| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit()));
    if !ok_chars || !ext_ok {
        e.add(
            field,
            format!("{label} must only include numbers, spaces and + - ( )"),
        );
    } else if !(7..=15).contains(&digits) {
        e.add(
            field,
            format!(
                "Enter a {} with 7 to 15 digits, like 555 201 3344",
                label.to_lowercase()
            ),
        );
    }
    Some(v)
}

fn email(e: &mut ValidationErrors, value: Option<&str>) -> Option<String> {
    let v = optional_line(e, "email", "Email address", value, 254)?;
    let domain_has_dot = v
        .rsplit_once('@')
        .is_some_and(|(_, d)| d.contains('.') && !d.ends_with('.'));
    if !email_address::EmailAddress::is_valid(&v) || !domain_has_dot || v.contains(' ') {
        e.add(
            "email",
            "Enter an email address in the correct format, like name@example.com",
        );
    }
    Some(v)
}

fn postal_code(e: &mut ValidationErrors, value: Option<&str>) -> Option<String> {
    let v = optional_line(e, "address.postalCode", "ZIP code", value, 10)?;
    let b = v.as_bytes();
    let five = |s: &[u8]| s.len() == 5 && s.iter().all(u8::is_ascii_digit);
    let ok = five(b)
        || (b.len() == 10
            && five(&b[..5])
            && b[5] == b'-'
            && b[6..].iter().all(u8::is_ascii_digit));
    if !ok {
        e.add(
            "address.postalCode",
            "Enter a real ZIP code, like 02139 or 02139-4307",
        );
    }
    Some(v)
}

/// Checks a patient form. `today` bounds the date of birth.
pub fn validate(input: &PatientInput, today: NaiveDate) -> Result<ValidPatient, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let given_name = required_name(&mut e, "givenName", "Given name", &input.given_name);
    let family_name = required_name(&mut e, "familyName", "Family name", &input.family_name);
    let preferred_name = optional_line(
        &mut e,
        "preferredName",
        "Preferred name",
        input.preferred_name.as_deref(),
        NAME_MAX,
    );
    let birth_date = parse_exact(&mut e, "birthDate", "Date of birth", &input.birth_date);
    if let Some(d) = birth_date {
        if d > today {
            e.add(
                "birthDate.year",
                "Date of birth must be today or in the past",
            );
        } else if d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d) {
            e.add("birthDate.year", "Date of birth must be in 1900 or later");
        }
    }
    let gender_identity = optional_line(
        &mut e,
        "genderIdentity",
        "Gender identity",
        input.gender_identity.as_deref(),
        60,
    );
    let phone_v = phone(&mut e, "phone", "Phone number", input.phone.as_deref());
    let email_v = email(&mut e, input.email.as_deref());
    let a = &input.address;
    let address = Address {
        line1: optional_line(
            &mut e,
            "address.line1",
            "Address line 1",
            a.line1.as_deref(),
            120,
        ),
        line2: optional_line(
            &mut e,
            "address.line2",
            "Address line 2",
            a.line2.as_deref(),
            120,
        ),
        city: optional_line(
            &mut e,
            "address.city",
            "Town or city",
            a.city.as_deref(),
            80,
        ),
        region: optional_line(&mut e, "address.region", "State", a.region.as_deref(), 50),
        postal_code: postal_code(&mut e, a.postal_code.as_deref()),
    };
    let c = &input.emergency_contact;
    let emergency_contact = EmergencyContact {
        name: optional_line(
            &mut e,
            "emergencyContact.name",
            "Emergency contact name",
            c.name.as_deref(),
            NAME_MAX,
        ),
        relationship: optional_line(
            &mut e,
            "emergencyContact.relationship",
            "Relationship",
            c.relationship.as_deref(),
            60,
        ),
        phone: phone(
            &mut e,
            "emergencyContact.phone",
            "Emergency contact phone number",
            c.phone.as_deref(),
        ),
    };
    e.into_result()?;
    Ok(ValidPatient {
        given_name,
        family_name,
        preferred_name,
        birth_date: birth_date.unwrap_or_default(),
        sex_at_birth: input.sex_at_birth,
        gender_identity,
        phone: phone_v,
        email: email_v,
        address,
        emergency_contact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date_input::DateParts;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn base() -> PatientInput {
        PatientInput {
            given_name: "Ana".into(),
            family_name: "Sampleton".into(),
            birth_date: DateParts {
                day: "27".into(),
                month: "3".into(),
                year: "1975".into(),
            },
            ..Default::default()
        }
    }

    fn fields(r: Result<ValidPatient, ValidationErrors>) -> Vec<String> {
        r.err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn minimal_patient_is_valid_and_trimmed() {
        let mut p = base();
        p.given_name = "  Ana ".into();
        let v = validate(&p, today()).unwrap();
        assert_eq!(v.given_name, "Ana");
        assert_eq!(v.birth_date, NaiveDate::from_ymd_opt(1975, 3, 27).unwrap());
    }

    #[test]
    fn names_with_quotes_and_markup_are_kept_verbatim() {
        let mut p = base();
        p.family_name = "O'Neil-<b>Smith</b>\"".into();
        assert_eq!(
            validate(&p, today()).unwrap().family_name,
            "O'Neil-<b>Smith</b>\""
        );
    }

    #[test]
    fn required_names_and_every_error_at_once() {
        let mut p = base();
        p.given_name = "  ".into();
        p.family_name = "".into();
        p.email = Some("not-an-email".into());
        let f = fields(validate(&p, today()));
        assert_eq!(f, vec!["givenName", "familyName", "email"]);
    }

    #[test]
    fn birth_date_bounds() {
        let mut p = base();
        p.birth_date.year = "2027".into();
        assert_eq!(fields(validate(&p, today())), vec!["birthDate.year"]);
        p.birth_date.year = "1899".into();
        assert_eq!(fields(validate(&p, today())), vec!["birthDate.year"]);
        p.birth_date = DateParts::from_date(today());
        assert!(validate(&p, today()).is_ok(), "born today is possible");
    }

    #[test]
    fn phone_email_zip_shapes() {
        let mut p = base();
        p.phone = Some("(555) 201-3344 x12".into());
        p.email = Some("ana@example.org".into());
        p.address.postal_code = Some("02139-4307".into());
        assert!(validate(&p, today()).is_ok());
        p.phone = Some("555-CALL-NOW".into());
        p.email = Some("ana@localhost".into());
        p.address.postal_code = Some("2139".into());
        p.emergency_contact.phone = Some("12".into());
        assert_eq!(
            fields(validate(&p, today())),
            vec![
                "phone",
                "email",
                "address.postalCode",
                "emergencyContact.phone"
            ]
        );
    }

    #[test]
    fn control_characters_and_overlong_values_are_refused() {
        let mut p = base();
        p.given_name = "Ana\u{0}".into();
        p.family_name = "x".repeat(101);
        assert_eq!(
            fields(validate(&p, today())),
            vec!["givenName", "familyName"]
        );
    }
}
