//! The clinical record around the trials, on a real vault: coverage and the payer list,
//! diagnoses (Excludes1), episodes, psychotherapy, other treatments, screenings with sign & lock,
//! clinic dose floors, trial scores, the timeline, and patient export/import.

use chrono::NaiveDate;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::payer::{self, PayerInput, PayerType};
use ketachart_core::record::coverage::{Benefit, Coverage, Priority, Relationship};
use ketachart_core::record::diagnosis::{Diagnosis, DiagnosisStatus};
use ketachart_core::record::episode::{ConfirmedBy, Course, Episode, Severity};
use ketachart_core::record::evaluation::Evaluation;
use ketachart_core::record::other_treatment::{OtherTreatment, Treatment, TreatmentStatus};
use ketachart_core::record::psychotherapy::{Modality, Psychotherapy, TherapyOutcome};
use ketachart_core::record::screening::{
    Answer, BloodPressure, Screening, ScreeningAnswer, ScreeningModality,
};
use ketachart_core::record::{self, RecordBody, RecordKind};
use ketachart_core::reference::screening as screening_ref;
use ketachart_core::timeline::{self, Lane};
use ketachart_core::transfer;
use ketachart_core::trial::{self, duration::Flag, DoseInput, TrialInput};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn vault(dir: &std::path::Path, clinic: &str) -> Session {
    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: clinic.into(),
                admin_display_name: "Dr Émile O'Brien".into(),
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
    s
}

fn clinic(dir: &std::path::Path) -> (Session, i64) {
    let mut s = vault(dir, "Record Clinic");
    let p = patient::create(
        &mut s,
        &PatientInput {
            given_name: "Łucja \"Lu\"".into(),
            family_name: "Ødegård <b>".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1979, 2, 3).unwrap()),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    (s, p.id.0)
}

fn fields(e: CoreError) -> Vec<String> {
    match e {
        CoreError::Validation(v) => v.0.into_iter().map(|f| f.field).collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

fn add_payer(s: &mut Session, name: &str) -> i64 {
    payer::create(
        s,
        &PayerInput {
            name: name.into(),
            payer_type: Some(PayerType::Commercial),
            pa_fax: Some("555-0100".into()),
            active: true,
            ..Default::default()
        },
    )
    .unwrap()
    .id
}

fn coverage(payer_id: i64) -> Coverage {
    Coverage {
        payer_id,
        plan_name: "Open Access Plus".into(),
        member_id: "U1234567".into(),
        group_number: Some("G-77".into()),
        relationship: Some(Relationship::Self_),
        subscriber_name: None,
        benefit: Some(Benefit::Both),
        priority: Some(Priority::Primary),
        effective_from: "2026-01-01".into(),
        effective_to: None,
        pa_phone: None,
        pa_fax: None,
    }
}

fn diagnosis(code: &str) -> RecordBody {
    RecordBody::Diagnosis(Diagnosis {
        code: code.into(),
        onset: Some("2024-09".into()),
        status: Some(DiagnosisStatus::Active),
        primary: false,
        note: None,
    })
}

fn episode(current: bool, onset: &str) -> RecordBody {
    RecordBody::Episode(Episode {
        onset: onset.into(),
        end: None,
        current,
        course: Some(Course::Recurrent),
        severity: Some(Severity::Severe),
        psychotic_features: Some(false),
        confirmed_by: Some(ConfirmedBy::StructuredInterview),
        instrument: Some("SCID-5-CV".into()),
        confirming_clinician: "Dr Émile O'Brien".into(),
        confirmed_on: Some("2026-10-01".into()),
        note: None,
    })
}

fn spravato_screening(complete: bool) -> Screening {
    let reference = screening_ref::bundled().unwrap();
    let answers = reference
        .items("spravato")
        .iter()
        .enumerate()
        .filter(|(i, _)| complete || *i > 0)
        .map(|(_, it)| ScreeningAnswer {
            item: it.id.clone(),
            answer: Some(if it.id == "med_benzodiazepines" {
                Answer::Yes
            } else {
                Answer::No
            }),
            detail: (it.id == "med_benzodiazepines")
                .then(|| "Lorazepam 0.5 mg at night".to_string()),
        })
        .collect();
    Screening {
        modality: Some(ScreeningModality::Spravato),
        date: "2026-11-20".into(),
        answers,
        blood_pressure: vec![BloodPressure {
            date: "2026-11-20".into(),
            systolic: "128".into(),
            diastolic: "82".into(),
        }],
        pdmp_checked_on: Some("2026-11-19".into()),
        pdmp_result: Some("No controlled substances other than lorazepam".into()),
        no_known_allergies: true,
        allergies: None,
        current_medications: Some("Sertraline 200 mg daily\nLorazepam 0.5 mg at night".into()),
        note: None,
    }
}

#[test]
fn coverage_needs_its_fields_and_a_patient_has_one_primary_at_a_time() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let cigna = add_payer(&mut s, "Cigna");
    let aetna = add_payer(&mut s, "Aetna");
    // Payer names are unique regardless of case.
    let dup = payer::create(
        &mut s,
        &PayerInput {
            name: "CIGNA".into(),
            payer_type: Some(PayerType::Commercial),
            active: true,
            ..Default::default()
        },
    );
    assert_eq!(fields(dup.unwrap_err()), vec!["name"]);

    let mut bad = coverage(cigna);
    bad.member_id = "  ".into();
    bad.relationship = Some(Relationship::Spouse);
    bad.effective_to = Some("2025-12-31".into());
    bad.benefit = None;
    let f = fields(record::create(&mut s, pid, &RecordBody::Coverage(bad), today()).unwrap_err());
    assert_eq!(
        f,
        vec!["memberId", "subscriberName", "benefit", "effectiveTo"]
    );

    record::create(&mut s, pid, &RecordBody::Coverage(coverage(cigna)), today()).unwrap();
    // A second primary coverage for overlapping dates is refused; secondary is fine.
    let mut second = coverage(aetna);
    second.member_id = "A-99".into();
    let f = fields(
        record::create(&mut s, pid, &RecordBody::Coverage(second.clone()), today()).unwrap_err(),
    );
    assert_eq!(f, vec!["priority"]);
    second.priority = Some(Priority::Secondary);
    record::create(&mut s, pid, &RecordBody::Coverage(second), today()).unwrap();
    // The same member ID twice at the same payer is refused, whatever the priority.
    let mut again = coverage(cigna);
    again.priority = Some(Priority::Tertiary);
    assert_eq!(
        fields(record::create(&mut s, pid, &RecordBody::Coverage(again), today()).unwrap_err()),
        vec!["memberId"]
    );
    // An unknown payer is a field error, not a crash.
    let f = fields(
        record::create(&mut s, pid, &RecordBody::Coverage(coverage(999)), today()).unwrap_err(),
    );
    assert_eq!(f, vec!["payerId"]);
    assert_eq!(
        record::list(&s, pid, Some(RecordKind::Coverage))
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn diagnoses_come_from_the_reference_and_excludes1_pairs_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let f = fields(record::create(&mut s, pid, &diagnosis("F99.9"), today()).unwrap_err());
    assert_eq!(f, vec!["code"]);
    let d = record::create(&mut s, pid, &diagnosis("f33.2"), today()).unwrap();
    assert!(
        matches!(&d.body, RecordBody::Diagnosis(x) if x.code == "F33.2"),
        "codes are normalised"
    );
    // F33 excludes bipolar disorder (F31) while both are active.
    let e = record::create(&mut s, pid, &diagnosis("F31.4"), today()).unwrap_err();
    assert!(e.to_string().contains("Excludes1"), "{e}");
    // A resolved bipolar code next to F33 is history, not a coding conflict.
    let mut resolved = diagnosis("F31.4");
    if let RecordBody::Diagnosis(x) = &mut resolved {
        x.status = Some(DiagnosisStatus::Resolved);
    }
    record::create(&mut s, pid, &resolved, today()).unwrap();
    // F32.A is a valid code the reference flags as usually insufficient for a PA.
    let weak = ketachart_core::reference::icd10::bundled()
        .unwrap()
        .get("F32.A")
        .unwrap();
    assert!(weak
        .pa_note
        .as_deref()
        .unwrap_or("")
        .contains("insufficient"));
    // Future onset is refused.
    let mut future = diagnosis("F41.1");
    if let RecordBody::Diagnosis(x) = &mut future {
        x.code = "F32.2".into();
        x.onset = Some("2027-01".into());
    }
    assert_eq!(
        fields(record::create(&mut s, pid, &future, today()).unwrap_err()),
        vec!["onset"]
    );
}

#[test]
fn one_current_episode_and_structured_interviews_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let mut unnamed = episode(true, "2025-06");
    if let RecordBody::Episode(e) = &mut unnamed {
        e.instrument = None;
        e.end = Some("2025-01".into());
    }
    assert_eq!(
        fields(record::create(&mut s, pid, &unnamed, today()).unwrap_err()),
        vec!["end", "end", "instrument"]
    );
    record::create(&mut s, pid, &episode(true, "2025-06"), today()).unwrap();
    let second = record::create(&mut s, pid, &episode(true, "2022"), today());
    assert_eq!(fields(second.unwrap_err()), vec!["current"]);
    record::create(&mut s, pid, &episode(false, "2022"), today()).unwrap();
}

#[test]
fn psychotherapy_and_other_treatments_check_what_a_payer_asks() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let mut cbt = Psychotherapy {
        modality: Some(Modality::Other),
        modality_other: None,
        start: "2025-02".into(),
        end: Some("2025-01-15".into()),
        ongoing: false,
        sessions: Some("twelve".into()),
        therapist: Some("Ana Ruiz, LCSW".into()),
        outcome: None,
        current_episode: true,
        source_note: None,
    };
    let f = fields(
        record::create(
            &mut s,
            pid,
            &RecordBody::Psychotherapy(cbt.clone()),
            today(),
        )
        .unwrap_err(),
    );
    assert_eq!(f, vec!["modalityOther", "end", "sessions", "outcome"]);
    cbt.modality = Some(Modality::Cbt);
    cbt.end = Some("2025-06".into());
    cbt.sessions = Some("012".into());
    cbt.outcome = Some(TherapyOutcome::PartialResponse);
    let r = record::create(&mut s, pid, &RecordBody::Psychotherapy(cbt), today()).unwrap();
    assert!(matches!(&r.body, RecordBody::Psychotherapy(p) if p.sessions.as_deref() == Some("12")));

    let mut ect = OtherTreatment {
        treatment: Some(Treatment::Ect),
        status: Some(TreatmentStatus::Contraindicated),
        reason: None,
        start: None,
        end: None,
        sessions: None,
        response: None,
        current_episode: true,
        note: None,
    };
    assert_eq!(
        fields(
            record::create(
                &mut s,
                pid,
                &RecordBody::OtherTreatment(ect.clone()),
                today()
            )
            .unwrap_err()
        ),
        vec!["reason"]
    );
    ect.reason = Some("Patient declined general anaesthesia risk; prior cardiac arrhythmia".into());
    record::create(&mut s, pid, &RecordBody::OtherTreatment(ect), today()).unwrap();
    let done = OtherTreatment {
        treatment: Some(Treatment::Tms),
        status: Some(TreatmentStatus::Done),
        reason: None,
        start: None,
        end: None,
        sessions: Some("36".into()),
        response: None,
        current_episode: false,
        note: None,
    };
    assert_eq!(
        fields(
            record::create(&mut s, pid, &RecordBody::OtherTreatment(done), today()).unwrap_err()
        ),
        vec!["start", "response"]
    );
}

#[test]
fn a_signed_screening_is_frozen_for_every_command_and_in_the_database() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let draft = record::create(
        &mut s,
        pid,
        &RecordBody::Screening(spravato_screening(false)),
        today(),
    )
    .unwrap();
    assert!(draft.signature.is_none());
    // Incomplete: every question must be answered before signing.
    let e = record::sign(&mut s, draft.id, draft.version, PASS).unwrap_err();
    assert_eq!(fields(e), vec!["answers"]);
    let draft = record::update(
        &mut s,
        draft.id,
        draft.version,
        &RecordBody::Screening(spravato_screening(true)),
        today(),
    )
    .unwrap();
    assert_eq!(draft.version, 2);
    // Wrong passphrase: a field error, nothing signed.
    assert_eq!(
        fields(record::sign(&mut s, draft.id, draft.version, "wrong").unwrap_err()),
        vec!["passphrase"]
    );
    // A stale version is refused.
    assert!(matches!(
        record::sign(&mut s, draft.id, 1, PASS),
        Err(CoreError::Conflict(_))
    ));
    let signed = record::sign(&mut s, draft.id, draft.version, PASS).unwrap();
    let sig = signed.signature.clone().unwrap();
    assert_eq!(sig.by, "doc");
    assert_eq!(sig.sha256.len(), 64);
    assert!(sig.intact);

    // Every mutating command refuses a signed record.
    let e = record::update(
        &mut s,
        signed.id,
        signed.version,
        &RecordBody::Screening(spravato_screening(true)),
        today(),
    )
    .unwrap_err();
    assert!(
        matches!(&e, CoreError::Conflict(m) if m.contains("signed")),
        "{e:?}"
    );
    assert!(matches!(
        record::sign(&mut s, signed.id, signed.version, PASS),
        Err(CoreError::Conflict(_))
    ));
    // (The database refuses too: see `record::frozen_tests`.) Signing survives a reopen.
    let path = tmp.path().to_path_buf();
    drop(s);
    let mut s = VaultDir::new(&path).unlock("doc", PASS).unwrap();
    assert!(
        record::get(&s, signed.id)
            .unwrap()
            .signature
            .unwrap()
            .intact
    );

    // Changes after signing are addenda; the original stays as it was.
    assert_eq!(
        fields(record::add_addendum(&mut s, signed.id, "  ", PASS).unwrap_err()),
        vec!["text"]
    );
    let amended =
        record::add_addendum(&mut s, signed.id, "Lorazepam stopped 2026-11-21.", PASS).unwrap();
    assert_eq!(amended.addenda.len(), 1);
    assert_eq!(amended.body, signed.body);
    assert_eq!(amended.signature.as_ref().unwrap().sha256, sig.sha256);
    let findings = match &amended.body {
        RecordBody::Screening(x) => x.findings(screening_ref::bundled().unwrap()),
        _ => unreachable!(),
    };
    assert_eq!(
        findings.warnings,
        vec!["Taking benzodiazepines".to_string()]
    );
    assert!(findings.contraindications.is_empty());
}

#[test]
fn only_providers_sign_and_a_draft_evaluation_needs_its_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    manage::create(
        &mut s,
        PASS,
        &NewUser {
            display_name: "Nurse Kim".into(),
            username: "kim".into(),
            roles: vec![Role::Nurse],
            passphrase: "lantern orchard velvet quarry".into(),
            passphrase_confirmation: "lantern orchard velvet quarry".into(),
        },
    )
    .unwrap();
    let eval = Evaluation {
        date: "2026-11-20".into(),
        history: Some("Recurrent MDD since 2015.".into()),
        examination: None,
        symptoms: None,
        treatment_history_review: None,
        plan: Some("Spravato induction.".into()),
    };
    let r = record::create(&mut s, pid, &RecordBody::Evaluation(eval), today()).unwrap();
    assert_eq!(
        fields(record::sign(&mut s, r.id, r.version, PASS).unwrap_err()),
        vec!["examination"]
    );
    drop(s);
    let mut nurse = VaultDir::new(tmp.path())
        .unlock("kim", "lantern orchard velvet quarry")
        .unwrap();
    assert!(matches!(
        record::sign(&mut nurse, r.id, r.version, "lantern orchard velvet quarry"),
        Err(CoreError::Forbidden(_))
    ));
}

#[test]
fn clinic_floors_and_scores_change_what_a_trial_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let input = TrialInput {
        drug: "sertraline".into(),
        role: "monotherapy".into(),
        start_date: "2026-01-05".into(),
        stop_date: "2026-03-30".into(),
        doses: vec![
            DoseInput {
                from: "2026-01-05".into(),
                daily: "50".into(),
            },
            DoseInput {
                from: "2026-02-02".into(),
                daily: "100".into(),
            },
        ],
        outcome: "no_response".into(),
        pre_score: "22".into(),
        post_score: "19".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(trial::create(&mut s, pid, &input, today()).unwrap_err()),
        vec!["scoreInstrument"]
    );
    let t = trial::create(
        &mut s,
        pid,
        &TrialInput {
            score_instrument: "PHQ-9".into(),
            ..input.clone()
        },
        today(),
    )
    .unwrap();
    let change = t.data.score_change_percent().unwrap();
    assert!((change - 13.636).abs() < 0.01, "{change}");
    let reference_days = t.durations.at_therapeutic.unwrap();
    assert!(!t.floor_from_clinic);

    // A stricter clinic floor (100 mg) counts only the 100 mg weeks.
    assert_eq!(
        fields(trial::floor::set(&mut s, "sertraline", "100", "").unwrap_err()),
        vec!["reason"]
    );
    assert_eq!(
        fields(trial::floor::set(&mut s, "sertraline", "5000", "typo").unwrap_err()),
        vec!["minDaily"]
    );
    trial::floor::set(&mut s, "sertraline", "100", "Strict floor for Cigna").unwrap();
    let t = trial::list(&s, pid, today()).unwrap().remove(0);
    assert!(t.floor_from_clinic);
    assert_eq!(t.min_therapeutic, Some(100.0));
    assert!(t.durations.at_therapeutic.unwrap().min < reference_days.min);
    // Removing it restores the reference floor.
    trial::floor::set(&mut s, "sertraline", "", "").unwrap();
    let t = trial::list(&s, pid, today()).unwrap().remove(0);
    assert_eq!(t.durations.at_therapeutic.unwrap(), reference_days);
    assert!(!t.durations.flags.contains(&Flag::BelowTherapeuticMinimum));
}

fn full_record(s: &mut Session, pid: i64) {
    let cigna = add_payer(s, "Cigna");
    record::create(s, pid, &RecordBody::Coverage(coverage(cigna)), today()).unwrap();
    record::create(s, pid, &diagnosis("F33.2"), today()).unwrap();
    record::create(s, pid, &episode(true, "2025-06"), today()).unwrap();
    trial::create(
        s,
        pid,
        &TrialInput {
            drug: "Zoloft".into(),
            role: "monotherapy".into(),
            start_date: "2025-07".into(),
            stop_date: "2025-10-01".into(),
            doses: vec![DoseInput {
                from: "2025-07".into(),
                daily: "150".into(),
            }],
            adherence_percent: "90".into(),
            adherence_source: "pharmacy_fills".into(),
            outcome: "no_response".into(),
            current_episode: true,
            source_note: "Outside records, Dr \"X\" <clinic>, received 2026-03-02".into(),
            score_instrument: "PHQ-9".into(),
            pre_score: "21".into(),
            post_score: "19.5".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    trial::create(
        s,
        pid,
        &TrialInput {
            drug: "St John's wort".into(),
            role: "monotherapy".into(),
            start_date: "2024".into(),
            ongoing: false,
            doses: vec![DoseInput {
                from: "2024".into(),
                daily: "900".into(),
            }],
            outcome: "no_response".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let scr = record::create(
        s,
        pid,
        &RecordBody::Screening(spravato_screening(true)),
        today(),
    )
    .unwrap();
    record::sign(s, scr.id, scr.version, PASS).unwrap();
    record::add_addendum(s, scr.id, "Checked again by phone.", PASS).unwrap();
}

#[test]
fn the_timeline_puts_episodes_and_treatments_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    full_record(&mut s, pid);
    let spans = timeline::build(&s, pid, today()).unwrap();
    let lanes: Vec<(Lane, String)> = spans.iter().map(|x| (x.lane, x.label.clone())).collect();
    assert_eq!(
        lanes,
        vec![
            (Lane::Medication, "St John's wort".to_string()),
            (Lane::Episode, "Episode (current)".to_string()),
            (Lane::Medication, "Sertraline".to_string()),
        ]
    );
    assert!(spans[1].ongoing && spans[1].end.is_none());
}

#[test]
fn export_then_import_round_trips_exactly_and_remaps_a_taken_mrn() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, pid) = clinic(&tmp.path().join("a"));
    full_record(&mut a, pid);
    let first = transfer::export_patient(&mut a, pid, today()).unwrap();
    let text = transfer::to_json(&first).unwrap();

    // Into another vault that already has a patient with the same MRN.
    let mut b = vault(&tmp.path().join("b"), "Other Clinic");
    add_payer(&mut b, "Aetna");
    let other = patient::create(
        &mut b,
        &PatientInput {
            given_name: "Ann".into(),
            family_name: "Lee".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap()),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    assert_eq!(
        other.mrn, first.patient.mrn,
        "both vaults start their MRNs at 1"
    );
    let out = transfer::import_patient(&mut b, &text, today()).unwrap();
    assert_eq!(
        out.mrn_replaced.as_deref(),
        Some(first.patient.mrn.as_str())
    );
    assert_ne!(out.mrn, first.patient.mrn);
    assert_eq!((out.trials, out.records), (2, 4));

    let second = transfer::export_patient(&mut b, out.patient_id, today()).unwrap();
    let mut expected = first.clone();
    expected.exported_at = second.exported_at.clone();
    expected.patient.mrn = second.patient.mrn.clone();
    assert_eq!(second, expected, "the clinical content round-trips exactly");
    // The signature still verifies in the new vault.
    let screening = record::list(&b, out.patient_id, Some(RecordKind::Screening))
        .unwrap()
        .remove(0);
    assert!(screening.signature.unwrap().intact);
    // The new vault's next patient does not collide with anything.
    patient::create(
        &mut b,
        &PatientInput {
            given_name: "Bo".into(),
            family_name: "Ng".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1991, 1, 1).unwrap()),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
}

#[test]
fn a_bad_file_is_refused_with_its_reason_and_imports_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, pid) = clinic(&tmp.path().join("a"));
    full_record(&mut a, pid);
    let text = transfer::to_json(&transfer::export_patient(&mut a, pid, today()).unwrap()).unwrap();
    let mut b = vault(&tmp.path().join("b"), "Other Clinic");
    let count = |s: &Session| patient::count(s).unwrap();

    let cases: Vec<(String, &str)> = vec![
        ("{ not json".into(), "not valid JSON"),
        (
            r#"{"format":"something-else","version":1}"#.into(),
            "not a KetaChart patient export",
        ),
        (
            text.replacen("\"version\": 1", "\"version\": 2", 1),
            "newer KetaChart",
        ),
        (
            text.replacen("\"exportedAt\"", "\"surprise\": 1, \"exportedAt\"", 1),
            "documented format",
        ),
        (
            text.replacen(
                "Lorazepam 0.5 mg at night\"",
                "Lorazepam 5 mg at night\"",
                1,
            ),
            "does not match its signature",
        ),
        (
            text.replacen("\"daily\": 150.0", "\"daily\": -150.0", 1),
            "trial 2",
        ),
        (
            text.replacen(
                "\"stopDate\": \"2025-10-01\"",
                "\"stopDate\": \"2025-01-01\"",
                1,
            ),
            "trial 2",
        ),
        (
            text.replacen("\"code\": \"F33.2\"", "\"code\": \"F99.9\"", 1),
            "record 1 (diagnosis) is not valid",
        ),
        (
            text.replacen("\"payerId\": 1", "\"payerId\": 7", 1),
            "not in the file's payer list",
        ),
    ];
    for (bad, reason) in cases {
        let e = transfer::import_patient(&mut b, &bad, today()).unwrap_err();
        assert!(
            matches!(&e, CoreError::ImportRefused(m) if m.contains(reason)),
            "{reason}: {e}"
        );
        assert!(e.to_string().ends_with("Nothing was imported"), "{e}");
        assert_eq!(count(&b), 0, "{reason}: nothing imported");
    }
    assert!(
        payer::list(&b).unwrap().is_empty(),
        "no payer was added by a refused file"
    );
}

#[test]
fn the_banner_allergy_state_comes_from_the_latest_screening_that_recorded_one() {
    use ketachart_core::record::allergies::{latest, AllergyState};
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    assert_eq!(latest(&s, pid).unwrap(), AllergyState::NotRecorded);

    let mut older = spravato_screening(true);
    older.date = "2026-10-01".into();
    older.no_known_allergies = false;
    older.allergies = Some("Penicillin\n\n  Latex  \n".into());
    record::create(&mut s, pid, &RecordBody::Screening(older), today()).unwrap();
    assert_eq!(
        latest(&s, pid).unwrap(),
        AllergyState::Known {
            substances: vec!["Penicillin".into(), "Latex".into()],
            on: "2026-10-01".into(),
            signed: false,
        }
    );

    // A later screening that says nothing about allergies does not hide the earlier answer.
    let mut silent = spravato_screening(true);
    silent.date = "2026-11-01".into();
    silent.no_known_allergies = false;
    silent.allergies = None;
    record::create(&mut s, pid, &RecordBody::Screening(silent), today()).unwrap();
    assert!(matches!(
        latest(&s, pid).unwrap(),
        AllergyState::Known { .. }
    ));

    // The newest screening with an answer wins, and its signature is reported.
    let newer = record::create(
        &mut s,
        pid,
        &RecordBody::Screening(spravato_screening(true)),
        today(),
    )
    .unwrap();
    record::sign(&mut s, newer.id, newer.version, PASS).unwrap();
    assert_eq!(
        latest(&s, pid).unwrap(),
        AllergyState::NoneKnown {
            on: "2026-11-20".into(),
            signed: true,
        }
    );
}
