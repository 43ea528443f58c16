//! Medication trials on a real vault: the treatment history a prior authorization counts.

use chrono::NaiveDate;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::reference::drugs::DrugClass;
use ketachart_core::trial::{self, duration::Flag, DoseInput, TrialInput};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// A vault whose admin is also a provider, with one patient.
fn clinic(dir: &std::path::Path) -> (Session, i64) {
    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: "Trial Clinic".into(),
                admin_display_name: "Dr Trial".into(),
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
    let p = patient::create(
        &mut s,
        &PatientInput {
            given_name: "Łucja".into(),
            family_name: "Ødegård".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1979, 2, 3).unwrap()),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    (s, p.id.0)
}

fn dose(from: &str, daily: &str) -> DoseInput {
    DoseInput {
        from: from.into(),
        daily: daily.into(),
    }
}

fn sertraline() -> TrialInput {
    TrialInput {
        drug: "Zoloft".into(),
        role: "monotherapy".into(),
        start_date: "2026-01-05".into(),
        stop_date: "2026-03-30".into(),
        doses: vec![dose("2026-01-05", "50"), dose("2026-02-02", "100")],
        adherence_percent: "90".into(),
        adherence_source: "pharmacy_fills".into(),
        outcome: "no_response".into(),
        current_episode: true,
        source_note: "Pharmacy fill history, received 2026-04-02".into(),
        ..Default::default()
    }
}

fn fields(e: CoreError) -> Vec<String> {
    match e {
        CoreError::Validation(v) => v.0.into_iter().map(|f| f.field).collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

#[test]
fn two_failed_trials_with_classes_weeks_at_dose_and_outcomes() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let t = trial::create(&mut s, pid, &sertraline(), today()).unwrap();
    assert_eq!(
        t.data.drug_id.as_deref(),
        Some("sertraline"),
        "brand names resolve"
    );
    assert_eq!(t.class, Some(DrugClass::Ssri));
    let at = t.durations.at_therapeutic.unwrap();
    assert_eq!((at.min, at.certain_weeks()), (84, 12));
    assert_eq!(t.durations.max_daily, Some(100.0));

    let bupropion = TrialInput {
        drug: "bupropion".into(),
        role: "monotherapy".into(),
        start_date: "2026-04-06".into(),
        stop_date: "2026-06-01".into(),
        doses: vec![dose("2026-04-06", "150"), dose("2026-04-13", "300")],
        adherent: Some(true),
        adherence_source: "patient_report".into(),
        outcome: "intolerance".into(),
        adverse_effect: "insomnia and agitation".into(),
        reason_stopped: "intolerance".into(),
        current_episode: true,
        ..Default::default()
    };
    let b = trial::create(&mut s, pid, &bupropion, today()).unwrap();
    assert_eq!(b.class, Some(DrugClass::Ndri));
    assert_eq!(b.durations.at_therapeutic.unwrap().certain_weeks(), 7);

    let all = trial::list(&s, pid, today()).unwrap();
    assert_eq!(all.len(), 2);
    let classes: std::collections::BTreeSet<_> = all.iter().filter_map(|t| t.class).collect();
    assert_eq!(classes.len(), 2, "two distinct antidepressant classes");
}

#[test]
fn bad_input_names_each_field_and_stores_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let bad = TrialInput {
        drug: "sertraline".into(),
        role: "".into(),
        start_date: "2026-03-01".into(),
        stop_date: "2026-02-01".into(),
        doses: vec![dose("2026-03-01", "0"), dose("2027-01-01", "5000")],
        adherence_percent: "120".into(),
        outcome: "intolerance".into(),
        ..Default::default()
    };
    let f = fields(trial::create(&mut s, pid, &bad, today()).unwrap_err());
    for expected in [
        "role",
        "stopDate",
        "doses.0.daily",
        "doses.1.from",
        "doses.1.daily",
        "adherencePercent",
        "adverseEffect",
    ] {
        assert!(
            f.contains(&expected.to_string()),
            "{expected} missing from {f:?}"
        );
    }
    let no_source = TrialInput {
        adherence_source: "".into(),
        ..sertraline()
    };
    let f = fields(trial::create(&mut s, pid, &no_source, today()).unwrap_err());
    assert_eq!(f, ["adherenceSource"], "adherence needs its source");
    let ongoing_and_stopped = TrialInput {
        ongoing: true,
        ..sertraline()
    };
    let f = fields(trial::create(&mut s, pid, &ongoing_and_stopped, today()).unwrap_err());
    assert_eq!(f, ["stopDate"]);
    let impossible = TrialInput {
        start_date: "2026-02-30".into(),
        ..sertraline()
    };
    let f = fields(trial::create(&mut s, pid, &impossible, today()).unwrap_err());
    assert!(f.contains(&"startDate".to_string()));
    assert!(
        trial::list(&s, pid, today()).unwrap().is_empty(),
        "nothing half-saved"
    );
}

#[test]
fn a_drug_not_in_the_reference_is_kept_as_typed_with_class_unknown() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let t = trial::create(
        &mut s,
        pid,
        &TrialInput {
            drug: "Agomelatine".into(),
            ..sertraline()
        },
        today(),
    )
    .unwrap();
    assert!(!t.in_reference());
    assert_eq!(t.data.drug_name, "Agomelatine");
    assert_eq!(t.class, None);
    assert!(t.durations.flags.contains(&Flag::NoTherapeuticFloor));
}

#[test]
fn outside_records_with_partial_dates_give_an_uncertain_range() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let t = trial::create(
        &mut s,
        pid,
        &TrialInput {
            drug: "escitalopram".into(),
            role: "monotherapy".into(),
            start_date: "2019".into(),
            stop_date: "2019-06".into(),
            doses: vec![dose("2019", "10")],
            outcome: "partial_response".into(),
            source_note: "Outside records, Dr X, received 2026-03-02".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    assert_eq!(t.data.start.display(), "2019");
    assert_eq!(t.data.stop.unwrap().display(), "Jun-2019");
    let at = t.durations.at_therapeutic.unwrap();
    assert_eq!((at.min, at.max), (0, 180));
    assert!(t.durations.flags.contains(&Flag::DurationUncertain));
}

#[test]
fn edits_are_versioned_and_audited_and_billing_only_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let t = trial::create(&mut s, pid, &sertraline(), today()).unwrap();
    let changed = TrialInput {
        outcome: "partial_response".into(),
        ..sertraline()
    };
    let t2 = trial::update(&mut s, t.id, t.version, &changed, today()).unwrap();
    assert_eq!(t2.version, t.version + 1);
    assert!(matches!(
        trial::update(&mut s, t.id, t.version, &sertraline(), today()),
        Err(CoreError::Conflict(_))
    ));
    manage::create(
        &mut s,
        PASS,
        &NewUser {
            username: "bill".into(),
            display_name: "Bill".into(),
            roles: vec![Role::Billing],
            passphrase: PASS.into(),
            passphrase_confirmation: PASS.into(),
        },
    )
    .unwrap();
    drop(s);
    let mut billing = VaultDir::new(tmp.path()).unlock("bill", PASS).unwrap();
    assert_eq!(trial::list(&billing, pid, today()).unwrap().len(), 1);
    assert!(matches!(
        trial::create(&mut billing, pid, &sertraline(), today()),
        Err(CoreError::Forbidden(_))
    ));
    assert!(matches!(
        trial::update(&mut billing, t.id, t2.version, &sertraline(), today()),
        Err(CoreError::Forbidden(_))
    ));
}
