//! Signed records and addenda are frozen by the database itself: direct SQL (as someone with
//! the key and an SQLite shell could run) cannot change or delete them, and an altered body is
//! reported as no longer matching its signature.

use chrono::NaiveDate;

use super::evaluation::Evaluation;
use super::{add_addendum, create, get, sign, RecordBody};
use crate::clinic::ClinicSetup;
use crate::date_input::DateParts;
use crate::patient::{self, PatientInput};
use crate::user::{manage, Role};
use crate::vault::{KdfParams, VaultDir};

const PASS: &str = "copper kettle moonlit harbour";

#[test]
fn the_database_refuses_to_change_signed_records_and_addenda() {
    let tmp = tempfile::tempdir().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
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
    let me = s.user().id;
    manage::set_roles(&mut s, me, &[Role::Admin, Role::Provider]).unwrap();
    let pid = patient::create(
        &mut s,
        &PatientInput {
            given_name: "A".into(),
            family_name: "B".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()),
            ..Default::default()
        },
        today,
    )
    .unwrap()
    .id
    .0;
    let body = RecordBody::Evaluation(Evaluation {
        date: "2026-11-20".into(),
        history: Some("h".into()),
        examination: Some("e".into()),
        symptoms: None,
        treatment_history_review: None,
        plan: Some("p".into()),
    });
    let draft = create(&mut s, pid, &body, today).unwrap();
    // A draft can still be corrected directly (no trigger on drafts)…
    s.conn()
        .execute(
            "UPDATE clinical_record SET updated_at = updated_at WHERE id = ?1",
            [draft.id],
        )
        .unwrap();
    let r = sign(&mut s, draft.id, draft.version, PASS).unwrap();
    add_addendum(&mut s, r.id, "later note", PASS).unwrap();
    // …a signed one cannot, nor can it or an addendum be deleted.
    let c = s.conn();
    for sql in [
        "UPDATE clinical_record SET body = json_set(body, '$.plan', 'changed') WHERE id = ?1",
        "UPDATE clinical_record SET signed_at = NULL, signed_by = NULL, content_sha256 = NULL WHERE id = ?1",
        "DELETE FROM clinical_record WHERE id = ?1",
        "UPDATE record_addendum SET text = 'x' WHERE record_id = ?1",
        "DELETE FROM record_addendum WHERE record_id = ?1",
    ] {
        let e = c.execute(sql, [r.id]).unwrap_err();
        assert!(e.to_string().contains("cannot"), "{sql}: {e}");
    }
    // With the trigger dropped (a determined attacker), the altered content no longer matches.
    c.execute_batch("DROP TRIGGER clinical_record_signed_is_frozen")
        .unwrap();
    c.execute(
        "UPDATE clinical_record SET body = json_set(body, '$.plan', 'changed') WHERE id = ?1",
        [r.id],
    )
    .unwrap();
    assert!(!get(&s, r.id).unwrap().signature.unwrap().intact);
}
