//! Patients on a real SQLCipher vault: create, read, edit, validation that writes nothing,
//! stale edits, and search (accents, prefixes, quotes and operators as plain text, DOB, MRN).

use chrono::NaiveDate;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientId, PatientInput};
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";

fn vault() -> (tempfile::TempDir, Session) {
    let tmp = tempfile::tempdir().unwrap();
    let setup = ClinicSetup {
        clinic_name: "Clinic".into(),
        admin_display_name: "Admin".into(),
        admin_username: "admin".into(),
        passphrase: PASS.into(),
        passphrase_confirmation: PASS.into(),
    };
    let s = VaultDir::new(tmp.path())
        .create(&setup, KdfParams::FAST_FOR_TESTS)
        .unwrap()
        .session;
    (tmp, s)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn person(given: &str, family: &str, dob: (i32, u32, u32)) -> PatientInput {
    PatientInput {
        given_name: given.into(),
        family_name: family.into(),
        birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(dob.0, dob.1, dob.2).unwrap()),
        ..Default::default()
    }
}

fn names(s: &Session, q: &str) -> Vec<String> {
    patient::search(s, q, 50)
        .unwrap()
        .patients
        .into_iter()
        .map(|p| format!("{} {}", p.given_name, p.family_name))
        .collect()
}

#[test]
fn create_get_and_edit() {
    let (_t, mut s) = vault();
    let mut input = person("Ana", "Sampleton", (1975, 3, 27));
    input.email = Some("ana@example.org".into());
    let p = patient::create(&mut s, &input, today()).unwrap();
    assert!(patient::is_valid_mrn(&p.mrn), "{}", p.mrn);
    assert_eq!(p.version, 1);
    assert_eq!(patient::get(&s, p.id).unwrap(), p);

    input.preferred_name = Some("Annie".into());
    let edited = patient::update(&mut s, p.id, p.version, &input, today()).unwrap();
    assert_eq!(edited.version, 2);
    assert_eq!(edited.preferred_name.as_deref(), Some("Annie"));
    assert_eq!(edited.mrn, p.mrn, "an edit never changes the MRN");
    assert_eq!(patient::age_on(edited.birth_date, today()), 51);
}

#[test]
fn mrns_are_unique_and_sequential() {
    let (_t, mut s) = vault();
    let a = patient::create(&mut s, &person("A", "One", (1980, 1, 1)), today()).unwrap();
    let b = patient::create(&mut s, &person("B", "Two", (1980, 1, 1)), today()).unwrap();
    assert_ne!(a.mrn, b.mrn);
    assert_eq!(a.mrn, patient::format_mrn(1));
    assert_eq!(b.mrn, patient::format_mrn(2));
}

#[test]
fn invalid_input_writes_nothing_not_even_an_mrn() {
    let (_t, mut s) = vault();
    let mut bad = person("Ana", "", (1975, 3, 27));
    bad.birth_date.day = "31".into();
    bad.birth_date.month = "2".into();
    let Err(CoreError::Validation(v)) = patient::create(&mut s, &bad, today()) else {
        panic!("expected a validation error")
    };
    let fields: Vec<_> =
        v.0.iter()
            .map(|f| (f.field.as_str(), f.message.as_str()))
            .collect();
    assert_eq!(
        fields,
        [
            ("familyName", "Enter the patient's family name"),
            ("birthDate.day", "Date of birth must be a real date")
        ]
    );
    assert_eq!(patient::count(&s).unwrap(), 0);
    let next = patient::create(&mut s, &person("Ana", "Okay", (1975, 3, 27)), today()).unwrap();
    assert_eq!(
        next.mrn,
        patient::format_mrn(1),
        "the failed attempt consumed no MRN"
    );
}

#[test]
fn a_batch_with_one_bad_patient_stores_none() {
    let (_t, mut s) = vault();
    let batch = vec![
        person("Good", "One", (1970, 1, 1)),
        person("Bad", "Future", (2030, 1, 1)),
    ];
    assert!(matches!(
        patient::create_batch(&mut s, &batch, today()),
        Err(CoreError::Validation(_))
    ));
    assert_eq!(patient::count(&s).unwrap(), 0);
}

#[test]
fn a_stale_edit_is_refused_and_changes_nothing() {
    let (_t, mut s) = vault();
    let input = person("Ana", "Sampleton", (1975, 3, 27));
    let p = patient::create(&mut s, &input, today()).unwrap();
    let first = patient::update(
        &mut s,
        p.id,
        1,
        &person("Anna", "Sampleton", (1975, 3, 27)),
        today(),
    )
    .unwrap();
    let err = patient::update(
        &mut s,
        p.id,
        1,
        &person("Hannah", "Sampleton", (1975, 3, 27)),
        today(),
    )
    .unwrap_err();
    assert!(matches!(err, CoreError::Conflict(_)), "{err:?}");
    assert_eq!(patient::get(&s, p.id).unwrap(), first);
}

#[test]
fn missing_patients_are_not_found() {
    let (_t, mut s) = vault();
    assert!(matches!(
        patient::get(&s, PatientId(42)),
        Err(CoreError::NotFound { .. })
    ));
    assert!(matches!(
        patient::update(
            &mut s,
            PatientId(42),
            1,
            &person("A", "B", (1970, 1, 1)),
            today()
        ),
        Err(CoreError::NotFound { .. })
    ));
}

fn searchable() -> (tempfile::TempDir, Session) {
    let (t, mut s) = vault();
    let people = [
        person("Anna", "Müller", (1975, 3, 27)),
        person("Jonas", "Muller", (1980, 6, 1)),
        person("Seán", "O'Neil", (1990, 12, 13)),
        person("Grace", "O'Neil-Smith", (1991, 1, 2)),
        person("Bob", "<b>Bold</b>", (1960, 5, 5)),
        person("Ken", "Lee", (1970, 7, 7)),
        person("Amy", "Leeds", (1971, 8, 8)),
        person("Zoë", "Abernathy", (1975, 3, 27)),
    ];
    patient::create_batch(&mut s, &people, today()).unwrap();
    (t, s)
}

#[test]
fn search_ignores_accents_and_case_and_matches_prefixes() {
    let (_t, s) = searchable();
    assert_eq!(names(&s, "mül"), ["Anna Müller", "Jonas Muller"]);
    assert_eq!(names(&s, "mul"), ["Anna Müller", "Jonas Muller"]);
    assert_eq!(names(&s, "MULLER").len(), 2);
    assert_eq!(names(&s, "zoe"), ["Zoë Abernathy"]);
    assert_eq!(names(&s, "sean o"), ["Seán O'Neil"]);
    assert_eq!(names(&s, "anna mü"), ["Anna Müller"]);
    assert_eq!(names(&s, "Müller, Anna"), ["Anna Müller"]);
}

#[test]
fn search_treats_quotes_dashes_and_operators_as_text() {
    let (_t, s) = searchable();
    assert_eq!(names(&s, "O'Neil"), ["Seán O'Neil", "Grace O'Neil-Smith"]);
    assert_eq!(names(&s, "o'neil-sm"), ["Grace O'Neil-Smith"]);
    for q in [
        "-", "\"", "'", "*", "(", ")", "NOT", "AND", "OR", "NEAR(", "a\"b", "^", ":", "{}",
    ] {
        assert!(
            patient::search(&s, q, 50).is_ok(),
            "query {q:?} must not break"
        );
    }
    assert!(names(&s, "-").is_empty());
    assert_eq!(names(&s, "<b>"), ["Bob <b>Bold</b>"]);
}

#[test]
fn exact_family_name_ranks_before_longer_names() {
    let (_t, s) = searchable();
    assert_eq!(names(&s, "lee"), ["Ken Lee", "Amy Leeds"]);
}

#[test]
fn search_by_date_of_birth_and_mrn() {
    let (_t, s) = searchable();
    for q in ["1975-03-27", "3/27/1975", "03-27-1975", "27-Mar-1975"] {
        assert_eq!(names(&s, q), ["Zoë Abernathy", "Anna Müller"], "{q}");
    }
    let mrn = patient::format_mrn(3);
    assert_eq!(names(&s, &mrn), ["Seán O'Neil"]);
    assert_eq!(names(&s, &mrn.to_lowercase()), ["Seán O'Neil"]);
}

#[test]
fn empty_search_lists_alphabetically_and_says_when_there_is_more() {
    let (_t, s) = searchable();
    let r = patient::search(&s, "  ", 3).unwrap();
    assert!(r.more);
    let fam: Vec<_> = r.patients.iter().map(|p| p.family_name.as_str()).collect();
    assert_eq!(fam, ["<b>Bold</b>", "Abernathy", "Lee"]);
    let all = patient::list(&s, 0, 100).unwrap();
    assert_eq!(all.len(), 8);
    assert_eq!(patient::list(&s, 7, 100).unwrap().len(), 1);
}
