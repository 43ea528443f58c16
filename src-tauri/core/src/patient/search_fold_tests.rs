//! Searching names whose letters have no Unicode decomposition (Ø, Ł, Æ, ß …), on a real vault:
//! both spellings find the patient, and the database's `search_name` column spells names exactly
//! as [`super::fold::transliterate`] does.

use chrono::NaiveDate;

use super::fold::{transliterate, TRANSLITERATION};
use super::{create, search, PatientInput};
use crate::clinic::ClinicSetup;
use crate::date_input::DateParts;
use crate::vault::{KdfParams, VaultDir};

const PASS: &str = "copper kettle moonlit harbour";

fn add(s: &mut crate::Session, given: &str, family: &str, preferred: Option<&str>) {
    create(
        s,
        &PatientInput {
            given_name: given.into(),
            family_name: family.into(),
            preferred_name: preferred.map(Into::into),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1980, 1, 2).unwrap()),
            ..Default::default()
        },
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    )
    .unwrap();
}

#[test]
fn letters_without_a_decomposition_are_found_by_either_spelling() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = VaultDir::new(tmp.path())
        .create(
            &ClinicSetup {
                clinic_name: "C".into(),
                admin_display_name: "Dr A".into(),
                admin_username: "doc".into(),
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap()
        .session;
    add(&mut s, "Łucja", "Ødegård", None);
    add(&mut s, "Hans", "Strauß", Some("Æbbe"));
    add(&mut s, "Otto", "Odell", None);
    fn names(s: &crate::Session, q: &str) -> Vec<String> {
        search(s, q, 10)
            .unwrap()
            .patients
            .into_iter()
            .map(|p| p.family_name)
            .collect()
    }
    assert_eq!(names(&s, "odeg"), vec!["Ødegård"]);
    assert_eq!(names(&s, "Ødeg"), vec!["Ødegård"]);
    assert_eq!(names(&s, "lucja odegard"), vec!["Ødegård"]);
    assert_eq!(names(&s, "strauss"), vec!["Strauß"]);
    assert_eq!(names(&s, "aebbe"), vec!["Strauß"], "preferred names too");
    assert_eq!(
        names(&s, "ode"),
        vec!["Odell", "Ødegård"],
        "alphabetical among equals"
    );

    // The column and the Rust table agree letter for letter.
    let every: String = TRANSLITERATION.iter().map(|(from, _)| *from).collect();
    add(&mut s, &every, "X", None);
    let stored: String = s
        .conn()
        .query_row(
            "SELECT search_name FROM patient WHERE family_name = 'X'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, transliterate(&format!("{every} X ")));
    // Renaming keeps the index in step.
    let id: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM patient WHERE family_name = 'Odell'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    s.conn()
        .execute(
            "UPDATE patient SET family_name = 'Øvre' WHERE id = ?1",
            [id],
        )
        .unwrap();
    assert_eq!(names(&s, "ovre"), vec!["Øvre"]);
    assert!(names(&s, "odell").is_empty());
}
