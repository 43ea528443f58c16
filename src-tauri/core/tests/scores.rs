//! Rating-scale administrations on a real vault: scoring on save, nothing half-saved, safety
//! alerts raised and acknowledged (signed, audited, frozen), trends against the baseline.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::scales::ResponseClass;
use ketachart_core::scores::{self, alert, AckAction, AlertLevel, Mode, ScoreInput};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 21)
        .unwrap()
        .and_hms_opt(15, 0, 0)
        .unwrap()
}

fn clinic(dir: &std::path::Path) -> (Session, i64) {
    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: "Scores Clinic".into(),
                admin_display_name: "Dr Paz".into(),
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
    for (name, role) in [("nurse", Role::Nurse), ("bill", Role::Billing)] {
        manage::create(
            &mut s,
            PASS,
            &NewUser {
                username: name.into(),
                display_name: format!("The {name}"),
                roles: vec![role],
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
        )
        .unwrap();
    }
    let p = patient::create(
        &mut s,
        &PatientInput {
            given_name: "Ana".into(),
            family_name: "Ødegård".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()),
            ..Default::default()
        },
        now().date(),
    )
    .unwrap();
    (s, p.id.0)
}

fn phq9(at: &str, answers: [i32; 9]) -> ScoreInput {
    let mut map: BTreeMap<String, i32> = answers
        .iter()
        .enumerate()
        .map(|(i, v)| ((i + 1).to_string(), *v))
        .collect();
    map.insert("10".into(), 1);
    ScoreInput {
        instrument: "phq9".into(),
        administered_at: at.into(),
        mode: Some(Mode::SelfReport),
        answers: map,
        ..Default::default()
    }
}

fn fields(e: CoreError) -> Vec<String> {
    match e {
        CoreError::Validation(v) => v.0.into_iter().map(|f| f.field).collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

fn count(s: &Session, pid: i64) -> usize {
    scores::list(s, pid, None).unwrap().len()
}

#[test]
fn a_phq9_is_scored_on_save_and_item_9_raises_an_open_alert() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let a = scores::record(
        &mut s,
        pid,
        &phq9("2026-11-21T09:30", [3, 3, 2, 2, 2, 2, 2, 2, 1]),
        now(),
    )
    .unwrap();
    assert_eq!(a.total, Some(19), "the difficulty item is not counted");
    assert_eq!(a.band.as_deref(), Some("Moderately severe"));
    assert_eq!(a.mode, Mode::SelfReport);
    assert_eq!(a.result.flags.len(), 1, "{:?}", a.result);

    let open = alert::open(&s).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].level, AlertLevel::Flag);
    assert_eq!(open[0].patient_name, "ØDEGÅRD, Ana");
    assert!(open[0].acknowledged.is_none());

    // A score with item 9 = 0 raises nothing.
    scores::record(
        &mut s,
        pid,
        &phq9("2026-11-21T10:30", [1, 1, 1, 1, 1, 1, 1, 1, 0]),
        now(),
    )
    .unwrap();
    assert_eq!(alert::open(&s).unwrap().len(), 1);
}

#[test]
fn bad_input_is_refused_with_the_field_and_nothing_is_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    // The future, an impossible time, an unknown scale, nobody said who answered.
    let mut future = phq9("2026-11-21T15:01", [0; 9]);
    assert_eq!(
        fields(scores::record(&mut s, pid, &future, now()).unwrap_err()),
        vec!["administeredAt"]
    );
    future.administered_at = "2026-02-30T10:00".into();
    assert_eq!(
        fields(scores::record(&mut s, pid, &future, now()).unwrap_err()),
        vec!["administeredAt"]
    );
    let unknown = ScoreInput {
        instrument: "phq10".into(),
        administered_at: "2026-11-21T09:00".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(scores::record(&mut s, pid, &unknown, now()).unwrap_err()),
        vec!["instrument", "mode"]
    );
    // A missing item is named; an out-of-range item is refused.
    let mut missing = phq9("2026-11-21T09:00", [0; 9]);
    missing.answers.remove("4");
    let e = scores::record(&mut s, pid, &missing, now()).unwrap_err();
    assert!(e.to_string().contains("question 4"), "{e}");
    let mut high = phq9("2026-11-21T09:00", [0; 9]);
    high.answers.insert("2".into(), 4);
    assert!(
        fields(scores::record(&mut s, pid, &high, now()).unwrap_err())
            .iter()
            .any(|f| f == "items.2")
    );
    // A MADRS total out of range; a CADSS without its time point.
    let madrs = ScoreInput {
        instrument: "madrs".into(),
        administered_at: "2026-11-21T09:00".into(),
        mode: Some(Mode::Clinician),
        rater: Some("Dr Paz".into()),
        total: Some(61),
        ..Default::default()
    };
    assert_eq!(
        fields(scores::record(&mut s, pid, &madrs, now()).unwrap_err()),
        vec!["total"]
    );
    let cadss = ScoreInput {
        instrument: "cadss".into(),
        total: Some(4),
        ..madrs.clone()
    };
    assert_eq!(
        fields(scores::record(&mut s, pid, &cadss, now()).unwrap_err()),
        vec!["timepoint"]
    );
    // Items for a score-only scale.
    let mut items_for_total = madrs.clone();
    items_for_total.total = None;
    items_for_total.answers.insert("1".into(), 3);
    assert!(scores::record(&mut s, pid, &items_for_total, now()).is_err());
    assert_eq!(count(&s, pid), 0);
    assert!(alert::open(&s).unwrap().is_empty());

    // Billing reads but never records.
    drop(s);
    let mut bill = VaultDir::new(tmp.path()).unlock("bill", PASS).unwrap();
    let r = scores::record(&mut bill, pid, &phq9("2026-11-21T09:00", [0; 9]), now());
    assert!(matches!(r, Err(CoreError::Forbidden(_))), "{r:?}");
    assert_eq!(count(&bill, pid), 0);
}

#[test]
fn a_cssrs_high_triage_raises_a_high_alert_that_a_provider_acknowledges_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let answers: BTreeMap<String, i32> =
        [("1", 1), ("2", 1), ("3", 1), ("4", 1), ("5", 0), ("6", 0)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
    let a = scores::record(
        &mut s,
        pid,
        &ScoreInput {
            instrument: "cssrs_screener".into(),
            administered_at: "2026-11-21T11:00".into(),
            mode: Some(Mode::Clinician),
            rater: Some("Dr Paz".into()),
            answers,
            ..Default::default()
        },
        now(),
    )
    .unwrap();
    assert_eq!(a.total, None);
    assert_eq!(a.result.triage.as_deref(), Some("High risk"));
    let open = alert::open(&s).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].level, AlertLevel::High);
    let id = open[0].id;

    // A nurse cannot acknowledge; a provider must say what was done and re-enter the passphrase.
    drop(s);
    let mut nurse = VaultDir::new(tmp.path()).unlock("nurse", PASS).unwrap();
    let r = scores::acknowledge(&mut nurse, id, Some(AckAction::SafetyPlan), None, PASS);
    assert!(matches!(r, Err(CoreError::Forbidden(_))), "{r:?}");
    drop(nurse);
    let mut s = VaultDir::new(tmp.path()).unlock("doc", PASS).unwrap();
    assert_eq!(
        fields(scores::acknowledge(&mut s, id, None, None, PASS).unwrap_err()),
        vec!["action"]
    );
    assert_eq!(
        fields(
            scores::acknowledge(&mut s, id, Some(AckAction::Emergency), None, "wrong").unwrap_err()
        ),
        vec!["passphrase"]
    );
    assert_eq!(
        alert::open(&s).unwrap().len(),
        1,
        "still open after refusals"
    );
    let done = scores::acknowledge(
        &mut s,
        id,
        Some(AckAction::Emergency),
        Some("  Sent to the ED with a family member <b>  "),
        PASS,
    )
    .unwrap();
    let ack = done.acknowledged.unwrap();
    assert_eq!(ack.action, AckAction::Emergency);
    assert_eq!(ack.by_name, "Dr Paz");
    assert_eq!(
        ack.note.as_deref(),
        Some("Sent to the ED with a family member <b>")
    );
    assert_eq!(ack.sha256.len(), 64);
    assert!(alert::open(&s).unwrap().is_empty());
    assert_eq!(alert::for_patient(&s, pid).unwrap().len(), 1);
    // Once only.
    let again = scores::acknowledge(&mut s, id, Some(AckAction::Referral), None, PASS);
    assert!(matches!(again, Err(CoreError::Conflict(_))), "{again:?}");
    // Audited.
    let page = ketachart_core::audit::query::list(
        &s,
        &ketachart_core::audit::AuditFilter {
            action: Some("alert.acknowledge".into()),
            ..Default::default()
        },
        None,
        10,
    )
    .unwrap();
    assert_eq!(page.entries.len(), 1, "{:?}", page.entries);
}

#[test]
fn trends_compare_the_latest_with_the_baseline_on_the_same_scale() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    for (at, a) in [
        ("2026-10-01T09:00", [3, 3, 2, 2, 2, 2, 2, 2, 0]), // 18
        ("2026-10-15T09:00", [2, 2, 2, 2, 1, 1, 1, 1, 0]), // 12
        ("2026-11-01T09:00", [1, 1, 1, 1, 1, 1, 1, 1, 0]), // 8
        ("2026-11-20T09:00", [1, 1, 1, 1, 1, 1, 1, 2, 0]), // 9: exactly 50 % down
    ] {
        scores::record(&mut s, pid, &phq9(at, a), now()).unwrap();
    }
    // A MADRS once: a trend with no change yet.
    scores::record(
        &mut s,
        pid,
        &ScoreInput {
            instrument: "madrs".into(),
            administered_at: "2026-11-20T10:00".into(),
            mode: Some(Mode::Clinician),
            rater: Some("Dr Paz".into()),
            total: Some(30),
            ..Default::default()
        },
        now(),
    )
    .unwrap();
    let trends = scores::trends(&s, pid).unwrap();
    let phq = trends.iter().find(|t| t.instrument == "phq9").unwrap();
    assert_eq!(phq.points.len(), 4);
    assert_eq!(phq.baseline().unwrap().total, Some(18));
    assert_eq!(phq.prior().unwrap().total, Some(8));
    assert_eq!(phq.latest().unwrap().total, Some(9));
    let change = phq.change.as_ref().unwrap();
    assert_eq!(
        change.response,
        ResponseClass::Response,
        "exactly 50 % is a response"
    );
    assert_eq!(change.remission, Some(false), "PHQ-9 remission is below 5");
    let madrs = trends.iter().find(|t| t.instrument == "madrs").unwrap();
    assert!(madrs.change.is_none());
    assert!(madrs.prior().is_none());
}
