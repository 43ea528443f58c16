//! Treatment courses and sessions on a real vault: dose arithmetic and limits at their
//! boundaries, lb/kg, the weight plausibility question, vitals ranges, the pre-dose hold, the
//! Spravato REMS gate and 120-minute rule, billing-code rules, sign & lock, the REMS due list.

#[path = "support/consents.rs"]
#[allow(dead_code)]
mod consent_support;
#[path = "support/rems.rs"]
#[allow(dead_code)]
mod rems_support;

use chrono::{Days, NaiveDate};
use ketachart_core::billing::{BillingLine, MtDetermination};
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::record::{self, RecordBody};
use ketachart_core::treatment::rems::{self, SubmissionInput, SubmissionMethod};
use ketachart_core::treatment::session::{
    Concomitant, Discharge, KetamineDose, ProviderOverride, SpravatoDose, TmsDelivery, TmsProtocol,
    TreatmentSession, VitalsRow, Weight, WeightUnit,
};
use ketachart_core::treatment::validate::DoseLevel;
use ketachart_core::treatment::{view, Course, CourseStatus, Indication, Modality};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn days_ago(n: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(n)).unwrap()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn clinic(dir: &std::path::Path) -> (Session, i64) {
    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: "Sessions Clinic".into(),
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
    manage::create(
        &mut s,
        PASS,
        &NewUser {
            username: "nurse".into(),
            display_name: "The nurse".into(),
            roles: vec![Role::Nurse],
            passphrase: PASS.into(),
            passphrase_confirmation: PASS.into(),
        },
    )
    .unwrap();
    let p = patient::create(
        &mut s,
        &PatientInput {
            given_name: "Ana".into(),
            family_name: "O'Brien <b>".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    // Every consent the first-session gate asks for, signed long before any session here.
    let long_ago = NaiveDate::from_ymd_opt(2000, 1, 3).unwrap();
    for m in Modality::ALL {
        consent_support::sign_required(&s, p.id.0, m, long_ago, PASS);
    }
    // Enrolled in the SPRAVATO REMS long before any session here (the gate's own test
    // changes this).
    rems_support::enroll(&mut s, p.id.0, long_ago);
    (s, p.id.0)
}

fn fields(e: CoreError) -> Vec<(String, String)> {
    match e {
        CoreError::Validation(v) => v.0.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn has(e: &[(String, String)], field: &str) -> bool {
    e.iter().any(|(f, _)| f == field)
}

fn message<'a>(e: &'a [(String, String)], field: &str) -> &'a str {
    e.iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
        .unwrap_or("")
}

fn course(s: &mut Session, pid: i64, modality: Modality, protocol: &str) -> i64 {
    let c = Course {
        modality: Some(modality),
        indication: Some(Indication::Trd),
        protocol_id: Some(protocol.into()),
        phases: vec![],
        start_date: iso(days_ago(30)),
        status: CourseStatus::Active,
        status_reason: None,
        end_date: None,
        authorized_units: Some("8".into()),
        authorization_number: None,
        note: None,
    };
    record::create(s, pid, &RecordBody::Course(c), today())
        .unwrap()
        .id
}

fn vitals(tp: &str, time: &str, bp: (u32, u32)) -> VitalsRow {
    VitalsRow {
        timepoint: tp.into(),
        time: Some(time.into()),
        systolic: Some(bp.0.to_string()),
        diastolic: Some(bp.1.to_string()),
        heart_rate: Some("72".into()),
        spo2: Some("98".into()),
        respiratory_rate: Some("14".into()),
        moaas: Some("5".into()),
    }
}

fn ketamine_session(
    course_id: i64,
    date: NaiveDate,
    weight: &str,
    unit: WeightUnit,
    per_kg: &str,
) -> TreatmentSession {
    TreatmentSession {
        course_id,
        date: iso(date),
        weight: Some(Weight {
            value: weight.into(),
            unit,
            kg: None,
            confirmed: false,
        }),
        ketamine: Some(KetamineDose {
            mg_per_kg: per_kg.into(),
            concentration_mg_per_ml: "10".into(),
            diluent_ml: Some("100".into()),
            infusion_minutes: Some("40".into()),
            lot: Some("KT-1234".into()),
            expiry: Some(iso(today().checked_add_days(Days::new(200)).unwrap())),
            ndc: None,
            start_time: Some("09:00".into()),
            stop_time: Some("09:40".into()),
            limit_override: None,
        }),
        spravato: None,
        tms: None,
        vitals: vec![vitals("pre", "08:50", (128, 80))],
        hold_override: None,
        adverse_events: vec![],
        discharge: Discharge::default(),
        billing: vec![],
        note: None,
    }
}

fn spravato_session(course_id: i64, date: NaiveDate, complete: bool) -> TreatmentSession {
    TreatmentSession {
        course_id,
        date: iso(date),
        weight: None,
        ketamine: None,
        spravato: Some(SpravatoDose {
            rems_enrolled: Some(true),
            concomitant: Concomitant {
                benzodiazepines: Some(false),
                non_benzodiazepine_hypnotics: Some(false),
                psychostimulants: Some(false),
                maois: Some(false),
                opioids: Some(false),
            },
            dose_mg: Some(56),
            device_times: vec!["09:00".into(), "09:05".into()],
            lot: Some("SPR-LOT-77".into()),
            expiry: None,
            ready_to_leave_minutes: complete.then(|| "90".into()),
            vitals_acceptable_before: Some(true),
            vitals_acceptable_at_end: complete.then_some(true),
            sedation: complete.then_some(false),
            dissociation: complete.then_some(true),
            respiratory_depression: complete.then_some(false),
        }),
        tms: None,
        vitals: if complete {
            vec![
                vitals("pre", "08:50", (132, 84)),
                vitals("m40", "09:40", (138, 86)),
                vitals("discharge", "11:00", (126, 80)),
            ]
        } else {
            vec![vitals("pre", "08:50", (132, 84))]
        },
        hold_override: None,
        adverse_events: vec![],
        discharge: if complete {
            Discharge {
                criteria: [
                    "mental_status",
                    "vitals_near_baseline",
                    "ambulatory",
                    "escort",
                    "no_driving",
                ]
                .map(String::from)
                .to_vec(),
                time: Some("11:00".into()),
                escort_name: Some("Sam O'Brien".into()),
                note: None,
            }
        } else {
            Discharge::default()
        },
        billing: vec![],
        note: None,
    }
}

#[test]
fn dose_arithmetic_and_limits_at_their_boundaries() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let c = course(&mut s, pid, Modality::IvKetamine, "iv_ketamine_induction");

    // 0.5 mg/kg × 70 kg = 35 mg: within the limits, the arithmetic shown.
    let (facts, errors) = view::evaluate(
        &s,
        pid,
        &ketamine_session(c, days_ago(5), "70", WeightUnit::Kg, "0.5"),
        None,
    )
    .unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(facts.dose_mg, Some(35.0));
    assert_eq!(
        facts.dose_arithmetic.as_deref(),
        Some("0.5 mg/kg × 70 kg = 35 mg")
    );
    assert_eq!(facts.dose_level, DoseLevel::Within);
    assert_eq!(facts.volume_ml, Some(3.5));
    // (3.5 + 100) mL over 40 min = 155.25 → 155.3 mL/h
    assert_eq!(facts.rate_ml_per_hour, Some(155.3));
    assert_eq!(facts.infusion_minutes, Some(40));

    // Just above the warning: flagged, still saved.
    let (facts, errors) = view::evaluate(
        &s,
        pid,
        &ketamine_session(c, days_ago(5), "70", WeightUnit::Kg, "0.51"),
        None,
    )
    .unwrap();
    assert!(errors.is_empty());
    assert_eq!(facts.dose_level, DoseLevel::AboveWarning);
    assert!(facts.warnings.iter().any(|w| w.contains("0.51 mg/kg")));

    // Exactly the hard stop is allowed; just above it is refused without an override.
    let at_stop = record::create(
        &mut s,
        pid,
        &RecordBody::Session(ketamine_session(
            c,
            days_ago(5),
            "70",
            WeightUnit::Kg,
            "1.0",
        )),
        today(),
    );
    assert!(at_stop.is_ok(), "{at_stop:?}");
    let over = record::create(
        &mut s,
        pid,
        &RecordBody::Session(ketamine_session(
            c,
            days_ago(4),
            "70",
            WeightUnit::Kg,
            "1.01",
        )),
        today(),
    )
    .unwrap_err();
    let e = fields(over);
    assert!(
        message(&e, "ketamine.mgPerKg").contains("hard stop of 1 mg/kg"),
        "{e:?}"
    );

    // A nurse cannot override; a provider can, and is named on it.
    let mut with_override = ketamine_session(c, days_ago(4), "70", WeightUnit::Kg, "1.01");
    with_override.ketamine.as_mut().unwrap().limit_override = Some(ProviderOverride {
        reason: "Titrated per protocol after partial response".into(),
        by: Some("someone-else".into()),
        by_name: None,
        at: None,
    });
    let mut nurse = VaultDir::new(tmp.path()).unlock("nurse", PASS).unwrap();
    let e = fields(
        record::create(
            &mut nurse,
            pid,
            &RecordBody::Session(with_override.clone()),
            today(),
        )
        .unwrap_err(),
    );
    assert!(message(&e, "ketamine.limitOverride.reason").contains("Only a provider"));
    drop(nurse);
    let mut s = VaultDir::new(tmp.path()).unlock("doc", PASS).unwrap();
    let saved = record::create(&mut s, pid, &RecordBody::Session(with_override), today()).unwrap();
    let RecordBody::Session(body) = saved.body else {
        panic!()
    };
    let o = body.ketamine.unwrap().limit_override.unwrap();
    assert_eq!(
        o.by.as_deref(),
        Some("doc"),
        "the core stamps the signed-in provider"
    );
    assert!(o.at.is_some());
}

#[test]
fn pounds_are_converted_and_a_weight_typed_in_the_wrong_unit_is_questioned() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let c = course(&mut s, pid, Modality::IvKetamine, "iv_ketamine_induction");
    let first = record::create(
        &mut s,
        pid,
        &RecordBody::Session(ketamine_session(
            c,
            days_ago(10),
            "154",
            WeightUnit::Lb,
            "0.5",
        )),
        today(),
    )
    .unwrap();
    let RecordBody::Session(body) = first.body else {
        panic!()
    };
    assert_eq!(
        body.weight.as_ref().unwrap().kg.as_deref(),
        Some("69.9"),
        "stored as kg"
    );
    let facts = view::facts(&s, first.id).unwrap();
    assert_eq!(
        facts.weight_arithmetic.as_deref(),
        Some("154 lb ÷ 2.2046 = 69.9 kg")
    );
    assert_eq!(
        facts.dose_arithmetic.as_deref(),
        Some("0.5 mg/kg × 69.9 kg = 35 mg")
    );

    // 154 "kg" a week later, when the last weight was 69.9 kg: questioned, nothing stored.
    let before = record::list(&s, pid, None).unwrap().len();
    let e = fields(
        record::create(
            &mut s,
            pid,
            &RecordBody::Session(ketamine_session(
                c,
                days_ago(3),
                "154",
                WeightUnit::Kg,
                "0.5",
            )),
            today(),
        )
        .unwrap_err(),
    );
    let m = message(&e, "weight.value");
    assert!(
        m.contains("154 kg is 120% more than the last weight (69.9 kg"),
        "{m}"
    );
    assert!(
        m.contains("If it was weighed in pounds it is 69.9 kg"),
        "{m}"
    );
    assert_eq!(record::list(&s, pid, None).unwrap().len(), before);

    let (facts, _) = view::evaluate(
        &s,
        pid,
        &ketamine_session(c, days_ago(3), "154", WeightUnit::Kg, "0.5"),
        None,
    )
    .unwrap();
    assert!(
        facts.weight_needs_confirmation,
        "the form offers 'Weight checked'"
    );
    // Confirmed by the nurse: kept.
    let mut confirmed = ketamine_session(c, days_ago(3), "154", WeightUnit::Kg, "0.5");
    confirmed.weight.as_mut().unwrap().confirmed = true;
    assert!(record::create(&mut s, pid, &RecordBody::Session(confirmed), today()).is_ok());

    // Missing weight: no dose computed, listed as missing for the signature.
    let mut no_weight = ketamine_session(c, days_ago(2), "", WeightUnit::Kg, "0.5");
    no_weight.weight = None;
    let saved = record::create(&mut s, pid, &RecordBody::Session(no_weight), today()).unwrap();
    let facts = view::facts(&s, saved.id).unwrap();
    assert_eq!(facts.dose_mg, None);
    assert!(facts.missing.iter().any(|(f, _)| f == "weight.value"));
    let e = fields(record::sign(&mut s, saved.id, saved.version, PASS).unwrap_err());
    assert!(
        message(&e, "weight.value") == "Missing: Weight measured today",
        "{e:?}"
    );
}

#[test]
fn impossible_values_are_refused_on_their_field() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let c = course(&mut s, pid, Modality::IvKetamine, "iv_ketamine_induction");
    let mut bad = ketamine_session(c, days_ago(1), "70", WeightUnit::Kg, "0.5");
    bad.vitals = vec![VitalsRow {
        spo2: Some("101".into()),
        ..vitals("pre", "08:50", (70, 90))
    }];
    bad.ketamine.as_mut().unwrap().stop_time = Some("08:30".into());
    bad.ketamine.as_mut().unwrap().expiry = Some(iso(days_ago(40)));
    let e = fields(record::create(&mut s, pid, &RecordBody::Session(bad), today()).unwrap_err());
    assert!(
        message(&e, "vitals.0.spo2").contains("between 50 and 100"),
        "{e:?}"
    );
    assert!(message(&e, "vitals.0.diastolic").contains("lower than the systolic"));
    assert_eq!(
        message(&e, "ketamine.stopTime"),
        "The stop time must be after the start time"
    );
    assert!(message(&e, "ketamine.expiry").contains("expired"));
    let mut future = ketamine_session(
        c,
        today().checked_add_days(Days::new(2)).unwrap(),
        "70",
        WeightUnit::Kg,
        "0.5",
    );
    future.vitals.clear();
    let e = fields(record::create(&mut s, pid, &RecordBody::Session(future), today()).unwrap_err());
    assert!(has(&e, "date"));
    assert!(record::list(&s, pid, Some(record::RecordKind::Session))
        .unwrap()
        .is_empty());
}

#[test]
fn high_pre_dose_vitals_or_an_open_safety_alert_hold_dosing() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let c = course(&mut s, pid, Modality::Spravato, "spravato_trd");
    let mut high = spravato_session(c, days_ago(2), false);
    high.vitals = vec![vitals("pre", "08:50", (152, 92))];
    // Before dosing: saved, and the hold is shown.
    let mut not_dosed = high.clone();
    not_dosed.spravato.as_mut().unwrap().device_times.clear();
    let draft = record::create(&mut s, pid, &RecordBody::Session(not_dosed), today()).unwrap();
    let facts = view::facts(&s, draft.id).unwrap();
    assert!(
        facts.hold_reasons[0].contains("152/92"),
        "{:?}",
        facts.hold_reasons
    );
    // Dosing while on hold is refused.
    let e = fields(
        record::update(
            &mut s,
            draft.id,
            draft.version,
            &RecordBody::Session(high.clone()),
            today(),
        )
        .unwrap_err(),
    );
    assert!(
        message(&e, "holdOverride").contains("Dosing is on hold"),
        "{e:?}"
    );
    // A recheck below the threshold releases it.
    let mut rechecked = high.clone();
    rechecked.vitals.push(vitals("recheck", "08:58", (134, 84)));
    let saved = record::update(
        &mut s,
        draft.id,
        draft.version,
        &RecordBody::Session(rechecked),
        today(),
    )
    .unwrap();
    assert_eq!(
        view::facts(&s, saved.id)
            .unwrap()
            .hold_resolution
            .as_deref(),
        Some("Recheck below the hold thresholds")
    );
    // A provider override releases it too (a nurse's does not).
    let mut overridden = high;
    overridden.hold_override = Some(ProviderOverride {
        reason: "Baseline BP, cardiology cleared".into(),
        by: None,
        by_name: None,
        at: None,
    });
    let mut nurse = VaultDir::new(tmp.path()).unlock("nurse", PASS).unwrap();
    let e = fields(
        record::update(
            &mut nurse,
            saved.id,
            saved.version,
            &RecordBody::Session(overridden.clone()),
            today(),
        )
        .unwrap_err(),
    );
    assert!(has(&e, "holdOverride.reason"));
    drop(nurse);
    let mut s = VaultDir::new(tmp.path()).unlock("doc", PASS).unwrap();
    assert!(record::update(
        &mut s,
        saved.id,
        saved.version,
        &RecordBody::Session(overridden),
        today()
    )
    .is_ok());
}

#[test]
fn spravato_rems_gate_and_the_120_minute_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let c = course(&mut s, pid, Modality::Spravato, "spravato_trd");

    // A dose without the patient's REMS enrollment cannot be saved, whatever the session's
    // own checkbox says: the patient's enrollment is the gate.
    rems_support::set_status(&mut s, pid, "form_completed", None);
    let not_enrolled = spravato_session(c, days_ago(3), false);
    assert_eq!(
        not_enrolled.spravato.as_ref().unwrap().rems_enrolled,
        Some(true)
    );
    let e = fields(
        record::create(&mut s, pid, &RecordBody::Session(not_enrolled), today()).unwrap_err(),
    );
    let m = message(&e, "spravato.remsEnrolled");
    assert!(
        m.contains("enrolled in the SPRAVATO REMS on or before the session date"),
        "{m}"
    );
    assert!(
        m.contains("Record the REMS patient enrollment on the patient's chart (REMS enrollment)"),
        "{m}"
    );
    rems_support::enroll(&mut s, pid, NaiveDate::from_ymd_opt(2000, 1, 3).unwrap());

    // 84 mg on day 1 of a TRD course is refused; devices 3 minutes apart too.
    let mut wrong = spravato_session(c, days_ago(3), false);
    wrong.spravato.as_mut().unwrap().dose_mg = Some(84);
    wrong.spravato.as_mut().unwrap().device_times = vec!["09:00".into(), "09:03".into()];
    let e = fields(record::create(&mut s, pid, &RecordBody::Session(wrong), today()).unwrap_err());
    assert!(message(&e, "spravato.doseMg").contains("first dose of a TRD course is 56 mg"));
    assert!(message(&e, "spravato.deviceTimes.1").contains("at least 5 minutes apart"));

    // A partial session saves, but cannot be signed: the missing REMS fields are listed.
    let draft = record::create(
        &mut s,
        pid,
        &RecordBody::Session(spravato_session(c, days_ago(3), false)),
        today(),
    )
    .unwrap();
    let e = fields(record::sign(&mut s, draft.id, draft.version, PASS).unwrap_err());
    assert!(message(&e, "sign").contains("cannot be signed yet"));
    let m = e
        .iter()
        .map(|(_, m)| m.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for expected in [
        "Blood pressure about 40 minutes after the dose",
        "Pre-discharge blood pressure",
        "Discharge time",
        "When the patient would have been ready to leave",
        "Sedation (yes/no)",
    ] {
        assert!(m.contains(expected), "{expected} not in {m}");
    }
    assert!(record::get(&s, draft.id).unwrap().signature.is_none());

    // Discharge at 119 minutes after the first device is refused; at 120 it is accepted.
    let mut early = spravato_session(c, days_ago(3), true);
    early.discharge.time = Some("10:59".into());
    let e = fields(
        record::update(
            &mut s,
            draft.id,
            draft.version,
            &RecordBody::Session(early),
            today(),
        )
        .unwrap_err(),
    );
    let m = message(&e, "discharge.time");
    assert!(
        m.contains("119 minutes") && m.contains("not before 11:00"),
        "{m}"
    );
    let mut on_time = spravato_session(c, days_ago(3), true);
    on_time.discharge.time = Some("11:00".into());
    let saved = record::update(
        &mut s,
        draft.id,
        draft.version,
        &RecordBody::Session(on_time),
        today(),
    )
    .unwrap();
    let facts = view::facts(&s, saved.id).unwrap();
    assert_eq!(facts.monitoring_minutes, Some(120));
    assert_eq!(facts.devices_needed, Some(2), "56 mg is two devices");
    assert!(facts.missing.is_empty(), "{:?}", facts.missing);
    let signed = record::sign(&mut s, saved.id, saved.version, PASS).unwrap();
    assert!(signed.signature.is_some());
    // Signed sessions are frozen.
    let again = record::update(
        &mut s,
        saved.id,
        signed.version,
        &RecordBody::Session(spravato_session(c, days_ago(3), true)),
        today(),
    );
    assert!(matches!(again, Err(CoreError::Conflict(_))));

    // The REMS due list: due 7 days after the session, gone once marked submitted.
    let due = rems::due(&s, today()).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].record_id, saved.id);
    assert_eq!(due[0].days_left, 4);
    assert_eq!(
        due[0].due_date,
        iso(days_ago(3).checked_add_days(Days::new(7)).unwrap())
    );
    let e = fields(
        rems::mark_submitted(
            &mut s,
            saved.id,
            &SubmissionInput {
                submitted_on: iso(days_ago(5)),
                method: Some(SubmissionMethod::Fax),
                confirmation: None,
            },
            today(),
        )
        .unwrap_err(),
    );
    assert!(message(&e, "submittedOn").contains("before the session"));
    rems::mark_submitted(
        &mut s,
        saved.id,
        &SubmissionInput {
            submitted_on: iso(today()),
            method: Some(SubmissionMethod::Online),
            confirmation: Some("RX-991".into()),
        },
        today(),
    )
    .unwrap();
    assert!(rems::due(&s, today()).unwrap().is_empty());
    let twice = rems::mark_submitted(
        &mut s,
        saved.id,
        &SubmissionInput {
            submitted_on: iso(today()),
            method: Some(SubmissionMethod::Online),
            confirmation: None,
        },
        today(),
    );
    assert!(matches!(twice, Err(CoreError::Conflict(_))));

    // The next session's draft carries the stable fields forward.
    let next = view::new_draft(&s, pid, c, today()).unwrap();
    let sp = next.spravato.unwrap();
    assert_eq!(sp.rems_enrolled, Some(true));
    assert_eq!(sp.dose_mg, Some(56));
    assert_eq!(sp.lot.as_deref(), Some("SPR-LOT-77"));
    assert!(sp.device_times.is_empty());
    assert_eq!(
        next.vitals
            .iter()
            .map(|v| v.timepoint.as_str())
            .collect::<Vec<_>>(),
        ["pre", "m40", "m90", "discharge"]
    );
}

#[test]
fn billing_codes_follow_their_rules_and_courses_count_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let c = course(&mut s, pid, Modality::Tms, "tms_standard");
    let tms = |codes: &[&str]| TreatmentSession {
        course_id: c,
        date: iso(days_ago(2)),
        weight: None,
        ketamine: None,
        spravato: None,
        tms: Some(TmsDelivery {
            mt_determination: MtDetermination::Initial,
            motor_threshold_percent: Some("52".into()),
            coil_location: Some("Left DLPFC (Beam F3)".into()),
            intensity_percent_mt: Some("120".into()),
            protocol: Some(TmsProtocol::Hz10),
            frequency_hz: Some("10".into()),
            trains: Some("75".into()),
            pulses_per_train: Some("40".into()),
            total_pulses: None,
            start_time: Some("10:00".into()),
            stop_time: Some("10:37".into()),
        }),
        vitals: vec![vitals("pre", "09:55", (120, 78))],
        hold_override: None,
        adverse_events: vec![],
        discharge: Discharge::default(),
        billing: codes
            .iter()
            .map(|c| BillingLine {
                code: (*c).into(),
                units: 1,
                ndc: None,
                modifier: None,
            })
            .collect(),
        note: None,
    };
    let e = fields(
        record::create(
            &mut s,
            pid,
            &RecordBody::Session(tms(&["90867", "90868"])),
            today(),
        )
        .unwrap_err(),
    );
    assert!(
        e.iter()
            .any(|(f, m)| f.starts_with("billing") && m.contains("90867") && m.contains("90868")),
        "{e:?}"
    );
    let first =
        record::create(&mut s, pid, &RecordBody::Session(tms(&["90867"])), today()).unwrap();
    let RecordBody::Session(b) = &first.body else {
        panic!()
    };
    assert_eq!(
        b.tms.as_ref().unwrap().total_pulses.as_deref(),
        Some("3000"),
        "75 × 40"
    );
    let facts = view::facts(&s, first.id).unwrap();
    assert_eq!(facts.suggested_billing[0].code, "90867");
    // 90867 is once per course.
    let e = fields(
        record::create(&mut s, pid, &RecordBody::Session(tms(&["90867"])), today()).unwrap_err(),
    );
    assert!(e.iter().any(|(f, _)| f.starts_with("billing")), "{e:?}");
    let courses = view::courses(&s, pid).unwrap();
    assert_eq!(courses[0].sessions, 1);
    assert_eq!(courses[0].planned_total, 36);
    assert_eq!(courses[0].authorized, Some(8));
}

#[test]
fn an_open_safety_alert_holds_dosing_until_a_provider_overrides() {
    use ketachart_core::scores::{self, Mode, ScoreInput};
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let c = course(&mut s, pid, Modality::Spravato, "spravato_trd");
    // A PHQ-9 with item 9 endorsed raises a safety alert that stays open.
    let answers = (1..=9)
        .map(|i| (i.to_string(), if i == 9 { 1 } else { 2 }))
        .chain([("10".to_string(), 1)])
        .collect();
    scores::record(
        &mut s,
        pid,
        &ScoreInput {
            instrument: "phq9".into(),
            administered_at: format!("{}T08:30", iso(days_ago(2))),
            mode: Some(Mode::SelfReport),
            answers,
            ..Default::default()
        },
        chrono::Local::now().naive_local(),
    )
    .unwrap();
    let session = spravato_session(c, days_ago(2), false);
    let e = fields(
        record::create(&mut s, pid, &RecordBody::Session(session.clone()), today()).unwrap_err(),
    );
    assert!(
        message(&e, "holdOverride").contains("Open safety alert"),
        "{e:?}"
    );
    // A normal recheck does not release an alert hold; a provider's documented override does.
    let mut rechecked = session.clone();
    rechecked.vitals.push(vitals("recheck", "08:58", (120, 78)));
    assert!(record::create(&mut s, pid, &RecordBody::Session(rechecked), today()).is_err());
    let mut overridden = session;
    overridden.hold_override = Some(ProviderOverride {
        reason: "Passive ideation reviewed; safety plan current; proceed".into(),
        by: None,
        by_name: None,
        at: None,
    });
    let saved = record::create(&mut s, pid, &RecordBody::Session(overridden), today()).unwrap();
    let facts = view::facts(&s, saved.id).unwrap();
    assert_eq!(facts.hold_resolution.as_deref(), Some("Provider override"));
}

#[test]
fn scores_link_to_a_session_and_an_outcome_without_baseline_is_flagged() {
    use ketachart_core::scores::{self, Mode, ScoreInput};
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let c = course(&mut s, pid, Modality::Spravato, "spravato_trd");
    let day = days_ago(2);
    let saved = record::create(
        &mut s,
        pid,
        &RecordBody::Session(spravato_session(c, day, false)),
        today(),
    )
    .unwrap();
    let now = chrono::Local::now().naive_local();
    let cadss = |at: NaiveDate| ScoreInput {
        instrument: "cadss".into(),
        administered_at: format!("{}T09:45", iso(at)),
        mode: Some(Mode::Clinician),
        rater: Some("Dr Paz".into()),
        timepoint: Some("peak".into()),
        total: Some(12),
        session_id: Some(saved.id),
        ..Default::default()
    };
    // Given on another day than the session: refused on the date.
    let e = fields(scores::record(&mut s, pid, &cadss(days_ago(3)), now).unwrap_err());
    assert!(
        message(&e, "administeredAt").contains("session's day"),
        "{e:?}"
    );
    let linked = scores::record(&mut s, pid, &cadss(day), now).unwrap();
    assert_eq!(linked.session_id, Some(saved.id));
    // A CADSS needs no baseline; a MADRS first given mid-course does.
    assert!(view::courses(&s, pid).unwrap()[0].unbaselined.is_empty());
    let madrs = |at: NaiveDate, session_id: Option<i64>| ScoreInput {
        instrument: "madrs".into(),
        administered_at: format!("{}T08:40", iso(at)),
        mode: Some(Mode::Clinician),
        rater: Some("Dr Paz".into()),
        total: Some(30),
        session_id,
        ..Default::default()
    };
    let second = record::create(
        &mut s,
        pid,
        &RecordBody::Session(spravato_session(c, days_ago(1), false)),
        today(),
    )
    .unwrap();
    scores::record(&mut s, pid, &madrs(days_ago(1), Some(second.id)), now).unwrap();
    let flags = view::courses(&s, pid).unwrap()[0].unbaselined.clone();
    assert_eq!(flags.len(), 1);
    assert!(flags[0].starts_with("MADRS"), "{flags:?}");
    // A MADRS before the course started is its baseline.
    scores::record(&mut s, pid, &madrs(days_ago(31), None), now).unwrap();
    assert!(view::courses(&s, pid).unwrap()[0].unbaselined.is_empty());
}

#[test]
fn courses_and_signed_sessions_round_trip_through_export_and_import() {
    use ketachart_core::transfer;
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    // Ids in the target vault differ: it already holds another patient's course.
    let c = course(&mut s, pid, Modality::Spravato, "spravato_trd");
    let signed = record::create(
        &mut s,
        pid,
        &RecordBody::Session(spravato_session(c, days_ago(3), true)),
        today(),
    )
    .unwrap();
    record::sign(&mut s, signed.id, signed.version, PASS).unwrap();
    record::create(
        &mut s,
        pid,
        &RecordBody::Session(spravato_session(c, days_ago(1), false)),
        today(),
    )
    .unwrap();
    let text = transfer::to_json(&transfer::export_patient(&mut s, pid, today()).unwrap()).unwrap();

    let other = tempfile::tempdir().unwrap();
    let (mut b, first) = clinic(other.path());
    course(&mut b, first, Modality::Tms, "tms_standard");
    course(&mut b, first, Modality::IvKetamine, "iv_ketamine_induction");
    let out = transfer::import_patient(&mut b, &text, today()).unwrap();
    let courses = view::courses(&b, out.patient_id).unwrap();
    assert_eq!(courses.len(), 1);
    assert_eq!(
        (courses[0].sessions, courses[0].signed),
        (2, 1),
        "both sessions found their course"
    );
    let sessions = record::list(&b, out.patient_id, Some(record::RecordKind::Session)).unwrap();
    for r in &sessions {
        let RecordBody::Session(x) = &r.body else {
            panic!()
        };
        assert_eq!(x.course_id, courses[0].record.id);
        if let Some(sig) = &r.signature {
            assert!(sig.intact, "the signed content is stored exactly as signed");
        }
    }
    // A file naming a course it does not carry is refused, and nothing is imported.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for r in v["records"].as_array_mut().unwrap() {
        if r.get("course").is_some() {
            r["course"] = 99999.into();
        }
    }
    let before = ketachart_core::patient::list(&b, 0, 100).unwrap().len();
    let err = transfer::import_patient(&mut b, &v.to_string(), today()).unwrap_err();
    assert!(err.to_string().contains("not in the file"), "{err}");
    assert_eq!(
        ketachart_core::patient::list(&b, 0, 100).unwrap().len(),
        before
    );
}

#[test]
fn a_hold_is_not_slipped_past_and_an_alert_after_the_dose_does_not_hold_it() {
    use ketachart_core::scores::{self, Mode, ScoreInput};
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let c = course(&mut s, pid, Modality::Spravato, "spravato_trd");
    // A second "pre" row (a blank first one, a high second one) is refused.
    let mut twice = spravato_session(c, days_ago(3), false);
    twice.vitals = vec![
        VitalsRow {
            timepoint: "pre".into(),
            ..Default::default()
        },
        vitals("pre", "08:50", (190, 120)),
    ];
    let e = fields(record::create(&mut s, pid, &RecordBody::Session(twice), today()).unwrap_err());
    assert!(
        message(&e, "vitals.1.timepoint").contains("recheck row"),
        "{e:?}"
    );
    // A high heart rate is not released by a recheck that measured only the blood pressure.
    let mut fast = spravato_session(c, days_ago(3), false);
    fast.vitals = vec![VitalsRow {
        heart_rate: Some("128".into()),
        ..vitals("pre", "08:50", (124, 80))
    }];
    fast.vitals.push(VitalsRow {
        heart_rate: None,
        ..vitals("recheck", "08:56", (122, 78))
    });
    let e = fields(
        record::create(&mut s, pid, &RecordBody::Session(fast.clone()), today()).unwrap_err(),
    );
    assert!(
        message(&e, "holdOverride").contains("heart rate 128"),
        "{e:?}"
    );
    fast.vitals[1].heart_rate = Some("92".into());
    let saved = record::create(&mut s, pid, &RecordBody::Session(fast), today()).unwrap();
    // An expired Spravato lot is refused like a ketamine one.
    let mut expired = spravato_session(c, days_ago(3), false);
    expired.spravato.as_mut().unwrap().expiry = Some(iso(days_ago(10)));
    let e = fields(
        record::update(
            &mut s,
            saved.id,
            saved.version,
            &RecordBody::Session(expired),
            today(),
        )
        .unwrap_err(),
    );
    assert!(message(&e, "spravato.expiry").contains("expired"));
    // A PHQ-9 given after the first device (09:00) raises an alert that does not hold this dose.
    let answers = (1..=9)
        .map(|i| (i.to_string(), if i == 9 { 1 } else { 2 }))
        .chain([("10".to_string(), 1)])
        .collect();
    scores::record(
        &mut s,
        pid,
        &ScoreInput {
            instrument: "phq9".into(),
            administered_at: format!("{}T10:30", iso(days_ago(3))),
            mode: Some(Mode::SelfReport),
            answers,
            ..Default::default()
        },
        chrono::Local::now().naive_local(),
    )
    .unwrap();
    let facts = view::facts(&s, saved.id).unwrap();
    assert!(
        !facts
            .hold_reasons
            .iter()
            .any(|r| r.contains("safety alert")),
        "{:?}",
        facts.hold_reasons
    );
    // Unsigned but dosed: on the REMS due list, marked as not signed.
    let due = rems::due(&s, today()).unwrap();
    assert_eq!(due.len(), 1);
    assert!(!due[0].signed);
}
