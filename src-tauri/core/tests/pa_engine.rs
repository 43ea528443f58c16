//! The prior-authorization engine on a real vault: charts built through the core APIs (trials,
//! records, scores, profiles), read back with `pa::facts::gather` or `pa::check::run`, and
//! evaluated against small rule sets written in the test, every parameter at its boundary.
//!
//! Every date is fixed: the date of service and "today" are both `ON` (21-Nov-2026), so an
//! ongoing trial is counted to the same day whenever the test runs.

use chrono::{Days, NaiveDate};
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::pa::attestation::{Attestation, AttestationKind};
use ketachart_core::pa::check::{self, CheckRequest};
use ketachart_core::pa::facts::{self, PaFacts};
use ketachart_core::pa::outcome::TrialCheck;
use ketachart_core::pa::rules::CoverageStatus;
use ketachart_core::pa::{
    self, registry, CriterionResult, Evaluation, EvidenceKind, RuleSet, Service, Status, Verdict,
};
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::profile::clinic::{self as clinic_profile, ClinicProfileInput};
use ketachart_core::profile::provider::{self, ProviderProfileInput, Specialty};
use ketachart_core::record::diagnosis::{Diagnosis, DiagnosisStatus};
use ketachart_core::record::episode::{ConfirmedBy, Course, Episode, Severity};
use ketachart_core::record::psychotherapy::{Modality, Psychotherapy, TherapyOutcome};
use ketachart_core::record::screening::{
    Answer, BloodPressure, Screening, ScreeningAnswer, ScreeningModality,
};
use ketachart_core::record::{self, Record, RecordBody};
use ketachart_core::reference::screening as screening_ref;
use ketachart_core::scores::{self, Administration, Mode, ScoreInput};
use ketachart_core::trial::{self, duration::Flag, DoseInput, Trial, TrialInput};
use ketachart_core::user::manage;
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";

/// The date of service, and "today" for everything the chart records.
fn on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn ymd(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// `n` days before the date of service.
fn before_on(n: u64) -> NaiveDate {
    on() - Days::new(n)
}

/// A full date `n` days after `date` (`YYYY-MM-DD`).
fn plus(date: &str, n: u64) -> String {
    (ymd(date) + Days::new(n)).to_string()
}

// ---------------------------------------------------------------------------------------------
// The clinic, its charts and the rule sets
// ---------------------------------------------------------------------------------------------

struct Clinic {
    s: Session,
    /// The psychiatrist (admin + provider) who records everything and orders.
    doc: i64,
    _tmp: tempfile::TempDir,
}

fn clinic() -> Clinic {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = VaultDir::new(tmp.path())
        .create(
            &ClinicSetup {
                clinic_name: "Engine Clinic".into(),
                admin_display_name: "Dr Inés Vidal".into(),
                admin_username: "doc".into(),
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap()
        .session;
    let doc = s.user().id;
    manage::set_roles(&mut s, doc, &[Role::Admin, Role::Provider]).unwrap();
    provider::update(
        &mut s,
        "doc",
        &ProviderProfileInput {
            given_name: "Inés".into(),
            family_name: "Vidal".into(),
            credentials: "MD".into(),
            npi: "1999999992".into(),
            phone: "(978) 555 0144".into(),
            email: "i.vidal@harbour.example".into(),
            prescriber: true,
            specialty: Some(Specialty::Psychiatrist),
        },
    )
    .unwrap();
    Clinic { s, doc, _tmp: tmp }
}

impl Clinic {
    fn patient(&mut self, birth: NaiveDate) -> i64 {
        patient::create(
            &mut self.s,
            &PatientInput {
                given_name: "Łucja".into(),
                family_name: "Ødegård".into(),
                birth_date: DateParts::from_date(birth),
                ..Default::default()
            },
            on(),
        )
        .unwrap()
        .id
        .0
    }

    /// An adult patient.
    fn adult(&mut self) -> i64 {
        self.patient(ymd("1979-02-03"))
    }

    fn trial(&mut self, pid: i64, t: TrialInput) -> Trial {
        trial::create(&mut self.s, pid, &t, on()).unwrap()
    }

    fn record(&mut self, pid: i64, body: RecordBody) -> Record {
        record::create(&mut self.s, pid, &body, on()).unwrap()
    }

    fn score(&mut self, pid: i64, instrument: &str, total: i32, date: NaiveDate) -> Administration {
        scores::record(
            &mut self.s,
            pid,
            &ScoreInput {
                instrument: instrument.into(),
                administered_at: format!("{date}T09:30"),
                mode: Some(Mode::SelfReport),
                total: Some(total),
                ..Default::default()
            },
            on().and_hms_opt(23, 59, 0).unwrap(),
        )
        .unwrap()
    }

    fn facts_with(&self, pid: i64, attestations: Vec<Attestation>) -> PaFacts {
        facts::gather(&self.s, pid, Some(self.doc), attestations, on()).unwrap()
    }

    fn facts(&self, pid: i64) -> PaFacts {
        self.facts_with(pid, Vec::new())
    }

    /// Reads the chart and evaluates it on the date of service.
    fn eval(&self, pid: i64, rules: &RuleSet) -> Evaluation {
        pa::evaluate(&self.facts(pid), rules, on())
    }

    fn attestation(&self, kind: AttestationKind) -> Attestation {
        Attestation {
            kind,
            by: self.doc,
            by_name: "Dr Inés Vidal".into(),
            at: "2026-11-21T10:00:00Z".into(),
        }
    }
}

/// A rule-set file holding the given rule sets (JSON objects), citing source `T1`.
fn rules_file(rule_sets: &[String]) -> String {
    format!(
        r#"{{"format": "ketachart-pa-rules", "schemaVersion": 1, "published": "2026-01-01",
  "sources": {{"T1": "Test payer policy, 2024 edition"}},
  "ruleSets": [{}]}}"#,
        rule_sets.join(",\n")
    )
}

/// One covered Spravato TRD rule set (JSON) with these criteria, pathways and extra fields.
fn rule_set_json(id: &str, criteria: &str, pathways: &str, extra: &str) -> String {
    format!(
        r#"{{"id": "{id}", "version": "1", "payer": "Testpayer", "policy": "TP-1",
  "service": "spravato_trd", "effectiveFrom": "2024-01-01", "sources": ["T1"],
  "verified": true, "coverage": "covered",
  "criteria": {criteria}, "pathways": {pathways}{extra}}}"#
    )
}

fn parse_one(text: &str) -> RuleSet {
    pa::parse(text)
        .unwrap_or_else(|p| panic!("{p:?}\n{text}"))
        .remove(0)
}

fn rules(criteria: &str, pathways: &str, extra: &str) -> RuleSet {
    parse_one(&rules_file(&[rule_set_json(
        "test-policy",
        criteria,
        pathways,
        extra,
    )]))
}

fn criteria_only(criteria: &str) -> RuleSet {
    rules(criteria, "[]", "")
}

/// A rule set whose only requirement is one pathway of antidepressant trials.
fn trials_rule(trial_rule: &str) -> RuleSet {
    rules(
        "{}",
        &format!(
            r#"[{{"id": "trials", "label": "Failed antidepressant trials", "antidepressantTrials": {trial_rule}}}]"#
        ),
        "",
    )
}

fn crit<'a>(e: &'a Evaluation, id: &str) -> &'a CriterionResult {
    e.criteria
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no criterion \"{id}\" in {:#?}", e.criteria))
}

fn trial_check(e: &Evaluation, trial_id: i64) -> &TrialCheck {
    e.pathways
        .iter()
        .flat_map(|p| &p.trial_checks)
        .find(|c| c.trial_id == trial_id)
        .unwrap_or_else(|| panic!("trial {trial_id} not checked in {:#?}", e.pathways))
}

#[track_caller]
fn assert_has(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected «{needle}» in «{text}»");
}

#[track_caller]
fn assert_status(c: &CriterionResult, status: Status) {
    assert_eq!(c.status, status, "{c:#?}");
}

fn dose(from: &str, daily: &str) -> DoseInput {
    DoseInput {
        from: from.into(),
        daily: daily.into(),
    }
}

/// A failed trial (no response) at one dose from `start` to `stop`, adherent, current episode.
fn failed(drug: &str, daily: &str, start: &str, stop: &str) -> TrialInput {
    TrialInput {
        drug: drug.into(),
        role: "monotherapy".into(),
        start_date: start.into(),
        stop_date: stop.into(),
        doses: vec![dose(start, daily)],
        adherence_percent: "90".into(),
        adherence_source: "pharmacy_fills".into(),
        outcome: "no_response".into(),
        reason_stopped: "No response".into(),
        current_episode: true,
        source_note: "Pharmacy fill history".into(),
        ..Default::default()
    }
}

/// A failed trial lasting `days` days from `start`.
fn failed_for(drug: &str, daily: &str, start: &str, days: u64) -> TrialInput {
    failed(drug, daily, start, &plus(start, days))
}

fn diagnosis(code: &str, status: DiagnosisStatus) -> RecordBody {
    RecordBody::Diagnosis(Diagnosis {
        code: code.into(),
        onset: Some("2025-06".into()),
        status: Some(status),
        primary: status == DiagnosisStatus::Active,
        note: None,
    })
}

fn episode(psychotic: bool) -> RecordBody {
    RecordBody::Episode(Episode {
        onset: "2025-06".into(),
        end: None,
        current: true,
        course: Some(Course::Recurrent),
        severity: Some(Severity::Severe),
        psychotic_features: Some(psychotic),
        confirmed_by: Some(ConfirmedBy::StructuredInterview),
        instrument: Some("SCID-5-CV".into()),
        confirming_clinician: "Dr Inés Vidal".into(),
        confirmed_on: Some("2025-07-01".into()),
        note: None,
    })
}

fn cbt(outcome: TherapyOutcome) -> RecordBody {
    RecordBody::Psychotherapy(Psychotherapy {
        modality: Some(Modality::Cbt),
        modality_other: None,
        start: "2025-03".into(),
        end: Some("2025-06".into()),
        ongoing: false,
        sessions: Some("12".into()),
        therapist: Some("Ana Ruiz, LCSW".into()),
        outcome: Some(outcome),
        current_episode: true,
        source_note: None,
    })
}

/// A Spravato screening on `date`: the items in `yes` answered yes (with a detail), those in
/// `unanswered` left out, every other item no.
fn screening(
    date: NaiveDate,
    yes: &[&str],
    unanswered: &[&str],
    pdmp: Option<NaiveDate>,
) -> RecordBody {
    let reference = screening_ref::bundled().unwrap();
    let answers = reference
        .items("spravato")
        .iter()
        .filter(|it| !unanswered.contains(&it.id.as_str()))
        .map(|it| {
            let y = yes.contains(&it.id.as_str());
            ScreeningAnswer {
                item: it.id.clone(),
                answer: Some(if y { Answer::Yes } else { Answer::No }),
                detail: y.then(|| "Documented at intake".to_string()),
            }
        })
        .collect();
    RecordBody::Screening(Screening {
        modality: Some(ScreeningModality::Spravato),
        date: date.to_string(),
        answers,
        blood_pressure: vec![BloodPressure {
            date: date.to_string(),
            systolic: "128".into(),
            diastolic: "82".into(),
        }],
        pdmp_checked_on: pdmp.map(|d| d.to_string()),
        pdmp_result: pdmp.map(|_| "No other controlled substances".to_string()),
        no_known_allergies: true,
        allergies: None,
        current_medications: Some("Escitalopram 20 mg daily".into()),
        note: None,
    })
}

// ---------------------------------------------------------------------------------------------
// 1. Weeks at a therapeutic dose
// ---------------------------------------------------------------------------------------------

#[test]
fn six_weeks_means_42_days_at_or_above_the_drugs_therapeutic_floor() {
    let mut c = clinic();
    let rule = trials_rule(r#"{"minTrials": 1, "minWeeks": 6, "episode": "any"}"#);

    // Sertraline's floor is 50 mg/day: exactly 42 days at exactly 50 mg is 6 weeks.
    let p42 = c.adult();
    let t42 = c.trial(p42, failed_for("sertraline", "50", "2026-01-05", 42));
    let e = c.eval(p42, &rule);
    assert_status(crit(&e, "trials"), Status::Met);
    assert_eq!(trial_check(&e, t42.id).status, Status::Met);
    assert_has(
        &trial_check(&e, t42.id).reasons.join("; "),
        "6 weeks at a therapeutic dose (≥ 6)",
    );
    assert_eq!(e.verdict, Verdict::Ready);

    // 41 days is 5 whole weeks.
    let p41 = c.adult();
    let t41 = c.trial(p41, failed_for("sertraline", "50", "2026-01-05", 41));
    let e = c.eval(p41, &rule);
    let trials = crit(&e, "trials");
    assert_status(trials, Status::NotMet);
    assert_has(
        &trials.explanation,
        "5 weeks at a therapeutic dose (the policy needs 6)",
    );
    assert_has(&trials.explanation, "0 of 1 counted");
    assert_eq!(trial_check(&e, t41.id).status, Status::NotMet);
    assert!(trials.decides_eligibility);
    assert_eq!(e.verdict, Verdict::NotEligible);

    // Titrated: two weeks at 25 mg (below the floor), then exactly 42 days at 50 mg.
    let titrate = |days_at_floor: u64| TrialInput {
        doses: vec![dose("2026-01-05", "25"), dose("2026-01-19", "50")],
        ..failed(
            "sertraline",
            "50",
            "2026-01-05",
            &plus("2026-01-19", days_at_floor),
        )
    };
    let pt = c.adult();
    let tt = c.trial(pt, titrate(42));
    assert_eq!(tt.durations.total.min, 56);
    assert_eq!(tt.durations.at_therapeutic.unwrap().min, 42);
    assert_status(crit(&c.eval(pt, &rule), "trials"), Status::Met);
    // One day less at the floor: 55 days in all (7 weeks), but only 41 at a therapeutic dose.
    let pt41 = c.adult();
    let tt41 = c.trial(pt41, titrate(41));
    assert_eq!(tt41.durations.total.certain_weeks(), 7);
    let e = c.eval(pt41, &rule);
    assert_status(crit(&e, "trials"), Status::NotMet);
    assert_has(
        &trial_check(&e, tt41.id).reasons.join("; "),
        "5 weeks at a therapeutic dose (the policy needs 6)",
    );

    // 45 mg for 90 days never reaches the floor: nothing counts.
    let pb = c.adult();
    let tb = c.trial(pb, failed_for("sertraline", "45", "2026-01-05", 90));
    assert!(tb.durations.flags.contains(&Flag::BelowTherapeuticMinimum));
    let e = c.eval(pb, &rule);
    assert_status(crit(&e, "trials"), Status::NotMet);
    assert_has(
        &crit(&e, "trials").explanation,
        "0 weeks at a therapeutic dose (the policy needs 6)",
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Distinct classes
// ---------------------------------------------------------------------------------------------

#[test]
fn two_ssris_are_one_class_and_an_ssri_with_bupropion_are_two() {
    let mut c = clinic();
    let rule =
        trials_rule(r#"{"minTrials": 2, "distinctClasses": 2, "minWeeks": 6, "episode": "any"}"#);

    let p = c.adult();
    let s = c.trial(p, failed_for("Zoloft", "100", "2026-01-05", 56));
    let x = c.trial(p, failed_for("Lexapro", "20", "2026-03-09", 56));
    let e = c.eval(p, &rule);
    assert_eq!(trial_check(&e, s.id).status, Status::Met);
    assert_eq!(trial_check(&e, x.id).status, Status::Met);
    let trials = crit(&e, "trials");
    assert_status(trials, Status::NotMet);
    assert_has(&trials.label, "from 2 different classes");
    assert_has(&trials.explanation, "2 of 2 counted, 1 of 2 classes (SSRI)");
    assert_has(
        &trials.explanation,
        "Sertraline and Escitalopram are all SSRI: one class",
    );
    assert_eq!(e.verdict, Verdict::NotEligible);

    let p = c.adult();
    c.trial(p, failed_for("sertraline", "100", "2026-01-05", 56));
    c.trial(p, failed_for("Wellbutrin XL", "300", "2026-03-09", 56));
    let e = c.eval(p, &rule);
    let trials = crit(&e, "trials");
    assert_status(trials, Status::Met);
    assert_has(&trials.explanation, "2 of 2 counted, 2 of 2 classes");
    assert_has(&trials.explanation, "NDRI (bupropion)");
    assert!(!trials.explanation.contains("one class"));
    assert_eq!(e.verdict, Verdict::Ready);
}

// ---------------------------------------------------------------------------------------------
// 3. Partial dates
// ---------------------------------------------------------------------------------------------

#[test]
fn partial_dates_that_may_or_may_not_reach_six_weeks_are_insufficient() {
    let mut c = clinic();
    let rule = trials_rule(r#"{"minTrials": 1, "minWeeks": 6, "episode": "any"}"#);
    let month_trial = |start: &str, stop: &str| TrialInput {
        doses: vec![dose(start, "100")],
        ..failed("sertraline", "100", start, stop)
    };

    // Jan 2025 to Mar 2025: at least 29 days (4 weeks), at most 89 (12 weeks).
    let p = c.adult();
    let t = c.trial(p, month_trial("2025-01", "2025-03"));
    assert!(t.durations.flags.contains(&Flag::DurationUncertain));
    let e = c.eval(p, &rule);
    assert_eq!(trial_check(&e, t.id).status, Status::Insufficient);
    let trials = crit(&e, "trials");
    assert_status(trials, Status::Insufficient);
    assert_has(
        &trials.explanation,
        "between 4 and 12 weeks at a therapeutic dose (dates are partial; the policy needs 6)",
    );
    assert_has(&trials.explanation, "Sertraline (SSRI): may count");
    let fix = trials.fix.as_deref().unwrap();
    assert_has(fix, "Complete the trial records — Sertraline:");
    assert_has(fix, "partial");
    assert!(
        !trials.decides_eligibility,
        "a documentation gap, not ineligibility"
    );
    assert_eq!(trials.evidence.len(), 1);
    assert_eq!(trials.evidence[0].id, t.id);
    assert_eq!(e.verdict, Verdict::GapsToFix);

    // Jan 2025 to Apr 2025: at least 60 days, 8 certain weeks.
    let p = c.adult();
    c.trial(p, month_trial("2025-01", "2025-04"));
    assert_status(crit(&c.eval(p, &rule), "trials"), Status::Met);

    // 20 Jan 2025 to Feb 2025: at most 39 days, so never 6 weeks.
    let p = c.adult();
    c.trial(p, month_trial("2025-01-20", "2025-02"));
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "trials"), Status::NotMet);
    assert_has(
        &crit(&e, "trials").explanation,
        "5 weeks at a therapeutic dose (the policy needs 6)",
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Baseline score
// ---------------------------------------------------------------------------------------------

#[test]
fn a_baseline_score_must_reach_the_threshold_and_be_at_most_max_age_days_old() {
    let mut c = clinic();
    let rule = criteria_only(
        r#"{"baselineScore": {"anyOf": [{"instrument": "phq9", "atLeast": 16}], "maxAgeDays": 28}}"#,
    );

    // 28 days old: in the window.
    let p = c.adult();
    let a = c.score(p, "phq9", 18, before_on(28));
    let e = c.eval(p, &rule);
    let b = crit(&e, "baseline_score");
    assert_status(b, Status::Met);
    assert_eq!(b.label, "Baseline severity: PHQ-9 ≥ 16 within 28 days");
    assert_eq!(
        b.explanation,
        "PHQ-9 of 18 on 24-Oct-2026 (28 days before 21-Nov-2026)."
    );
    assert_eq!(b.evidence.len(), 1);
    assert_eq!(b.evidence[0].kind, EvidenceKind::Score);
    assert_eq!(b.evidence[0].id, a.id);
    assert_eq!(b.evidence[0].date.as_deref(), Some("2026-10-24"));
    assert_eq!(e.verdict, Verdict::Ready);

    // 29 days old: a new score is needed, not ineligibility.
    let p = c.adult();
    c.score(p, "phq9", 18, before_on(29));
    let e = c.eval(p, &rule);
    let b = crit(&e, "baseline_score");
    assert_status(b, Status::Insufficient);
    assert_has(&b.explanation, "is 29 days old");
    assert_has(&b.explanation, "from the last 28 days");
    assert_eq!(b.fix.as_deref(), Some("Record a new PHQ-9 (rating scales)"));
    assert!(!b.decides_eligibility);
    assert_eq!(e.verdict, Verdict::GapsToFix);

    // Recent but below the threshold.
    let p = c.adult();
    c.score(p, "phq9", 15, before_on(3));
    let e = c.eval(p, &rule);
    let b = crit(&e, "baseline_score");
    assert_status(b, Status::NotMet);
    assert_has(&b.explanation, "The latest PHQ-9 is 15 on 18-Nov-2026");
    assert_has(&b.explanation, "this policy needs 16 or more");
    assert_eq!(e.verdict, Verdict::NotEligible);

    // Exactly at the threshold.
    let p = c.adult();
    c.score(p, "phq9", 16, before_on(3));
    assert_status(crit(&c.eval(p, &rule), "baseline_score"), Status::Met);

    // Another instrument is not the one asked for.
    let p = c.adult();
    c.score(p, "madrs", 40, before_on(3));
    let b = c.eval(p, &rule);
    let b = crit(&b, "baseline_score");
    assert_status(b, Status::Insufficient);
    assert_eq!(
        b.explanation,
        "No qualifying rating-scale score is recorded."
    );

    // No score at all.
    let p = c.adult();
    let e = c.eval(p, &rule);
    let b = crit(&e, "baseline_score");
    assert_status(b, Status::Insufficient);
    assert_eq!(
        b.explanation,
        "No qualifying rating-scale score is recorded."
    );
    assert_eq!(b.fix.as_deref(), Some("Record a baseline PHQ-9"));
    assert!(b.evidence.is_empty());
}

// ---------------------------------------------------------------------------------------------
// 5. Psychosis
// ---------------------------------------------------------------------------------------------

#[test]
fn psychosis_is_excluded_or_allowed_with_the_prescribers_attestation() {
    let mut c = clinic();
    let attest = criteria_only(r#"{"psychosis": {"handling": "attestation"}}"#);
    let exclude = criteria_only(r#"{"psychosis": {"handling": "exclude"}}"#);

    let p = c.adult();
    let ep = c.record(p, episode(true));
    let e = c.eval(p, &attest);
    let ps = crit(&e, "psychosis");
    assert_status(ps, Status::Insufficient);
    assert_has(
        &ps.explanation,
        "this policy accepts it only with the prescriber's attestation",
    );
    assert_has(ps.fix.as_deref().unwrap(), "attestation");
    assert!(ps.needs_provider);
    assert_eq!(ps.evidence[0].kind, EvidenceKind::Episode);
    assert_eq!(ps.evidence[0].id, ep.id);
    assert_eq!(e.verdict, Verdict::GapsToFix);

    // The other attestation does not do.
    let facts = c.facts_with(
        p,
        vec![c.attestation(AttestationKind::SubstanceUseInRemission)],
    );
    assert_status(
        crit(&pa::evaluate(&facts, &attest, on()), "psychosis"),
        Status::Insufficient,
    );

    let facts = c.facts_with(
        p,
        vec![c.attestation(AttestationKind::PsychosisBenefitOutweighsRisk)],
    );
    let e = pa::evaluate(&facts, &attest, on());
    let ps = crit(&e, "psychosis");
    assert_status(ps, Status::Met);
    assert_has(
        &ps.explanation,
        "the prescriber attests that the benefit outweighs the risk",
    );
    let att = ps
        .evidence
        .iter()
        .find(|x| x.kind == EvidenceKind::Attestation)
        .expect("the attestation is cited");
    assert_eq!(att.id, c.doc);
    assert_eq!(att.date.as_deref(), Some("2026-11-21"));
    assert_eq!(e.verdict, Verdict::Ready);

    // Excluded: no attestation helps.
    let e = pa::evaluate(&facts, &exclude, on());
    let ps = crit(&e, "psychosis");
    assert_status(ps, Status::NotMet);
    assert_eq!(
        ps.explanation,
        "Psychosis is recorded; this policy excludes it."
    );
    assert!(ps.decides_eligibility);
    assert_eq!(e.verdict, Verdict::NotEligible);
    assert_eq!(e.summary, "Not met: No psychotic features.");

    // Psychosis answered yes on the Spravato screening, no episode recorded.
    let p = c.adult();
    c.record(
        p,
        screening(before_on(2), &["psychosis"], &[], Some(before_on(2))),
    );
    let e = c.eval(p, &exclude);
    assert_status(crit(&e, "psychosis"), Status::NotMet);
    assert_eq!(
        crit(&e, "psychosis").evidence[0].kind,
        EvidenceKind::Screening
    );

    // Recorded as absent.
    let p = c.adult();
    c.record(p, episode(false));
    let e = c.eval(p, &exclude);
    assert_status(crit(&e, "psychosis"), Status::Met);
    assert_eq!(
        crit(&e, "psychosis").explanation,
        "No psychotic features are recorded."
    );

    // Nothing recorded either way.
    let p = c.adult();
    for r in [&attest, &exclude] {
        let e = c.eval(p, r);
        let ps = crit(&e, "psychosis");
        assert_status(ps, Status::Insufficient);
        assert_has(
            &ps.explanation,
            "Neither the current episode nor a screening records whether there are psychotic features",
        );
        assert_eq!(e.verdict, Verdict::GapsToFix);
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Age
// ---------------------------------------------------------------------------------------------

#[test]
fn age_is_counted_in_whole_years_on_the_date_of_service() {
    let mut c = clinic();
    let adult = criteria_only(r#"{"age": {"min": 18}}"#);

    let p = c.patient(ymd("2008-11-21"));
    let f = c.facts(p);
    let e = pa::evaluate(&f, &adult, ymd("2026-11-20"));
    let age = crit(&e, "age");
    assert_status(age, Status::NotMet);
    assert_eq!(age.label, "Age 18 or older");
    assert_eq!(age.explanation, "The patient is 17 on 20-Nov-2026.");
    assert!(age.decides_eligibility);
    assert_eq!(age.evidence[0].kind, EvidenceKind::Patient);
    assert_eq!(age.evidence[0].date.as_deref(), Some("2008-11-21"));
    assert_eq!(e.verdict, Verdict::NotEligible);
    let e = pa::evaluate(&f, &adult, ymd("2026-11-21"));
    assert_status(crit(&e, "age"), Status::Met);
    assert_eq!(
        crit(&e, "age").explanation,
        "The patient is 18 on 21-Nov-2026."
    );
    assert_eq!(e.verdict, Verdict::Ready);

    let band = criteria_only(r#"{"age": {"min": 18, "under": 65}}"#);
    let p = c.patient(ymd("1961-11-21"));
    let f = c.facts(p);
    let e = pa::evaluate(&f, &band, ymd("2026-11-20"));
    assert_status(crit(&e, "age"), Status::Met);
    assert_eq!(crit(&e, "age").label, "Age 18 or older and under 65");
    assert_eq!(
        crit(&e, "age").explanation,
        "The patient is 64 on 20-Nov-2026."
    );
    let e = pa::evaluate(&f, &band, ymd("2026-11-21"));
    assert_status(crit(&e, "age"), Status::NotMet);
    assert_eq!(
        crit(&e, "age").explanation,
        "The patient is 65 on 21-Nov-2026."
    );
    assert_eq!(e.verdict, Verdict::NotEligible);
}

// ---------------------------------------------------------------------------------------------
// 7. Alternative pathways
// ---------------------------------------------------------------------------------------------

const PATH_AUG: &str = r#"{"id": "augmentation", "label": "Two antidepressants and an augmentation",
  "antidepressantTrials": {"minTrials": 2, "minWeeks": 6, "episode": "any"},
  "augmentationTrials": {"minTrials": 1, "minWeeks": 8, "episode": "any"}}"#;
const PATH_PSY: &str = r#"{"id": "psychotherapy", "label": "Two antidepressants and psychotherapy",
  "antidepressantTrials": {"minTrials": 2, "minWeeks": 6, "episode": "any"},
  "psychotherapy": {}}"#;

#[test]
fn the_best_pathway_is_reported_with_its_own_criteria() {
    let mut c = clinic();
    let both = rules("{}", &format!("[{PATH_AUG}, {PATH_PSY}]"), "");
    let reversed = rules("{}", &format!("[{PATH_PSY}, {PATH_AUG}]"), "");
    let two_trials = |c: &mut Clinic, p: i64| {
        c.trial(p, failed_for("sertraline", "100", "2026-01-05", 56));
        c.trial(p, failed_for("bupropion", "300", "2026-03-09", 56));
    };

    // Psychotherapy but no augmentation: the psychotherapy option, fully met.
    let p = c.adult();
    two_trials(&mut c, p);
    let cbt_rec = c.record(p, cbt(TherapyOutcome::NoResponse));
    let e = c.eval(p, &both);
    assert_eq!(e.best_pathway.as_deref(), Some("psychotherapy"));
    assert_eq!(e.pathways.len(), 2);
    assert_eq!(e.pathways[0].status, Status::NotMet);
    assert_eq!(e.pathways[1].status, Status::Met);
    let ids: Vec<&str> = e.criteria.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["trials", "psychotherapy"], "B's criteria, not A's");
    for cr in &e.criteria {
        assert_status(cr, Status::Met);
        assert_has(
            &cr.label,
            "(option \"Two antidepressants and psychotherapy\")",
        );
        assert_has(
            cr.note.as_deref().unwrap(),
            "Other options: \"Two antidepressants and an augmentation\": not met.",
        );
    }
    let ps = crit(&e, "psychotherapy");
    assert_has(&ps.explanation, "CBT from Mar-2025: counts");
    assert_eq!(ps.evidence[0].kind, EvidenceKind::Psychotherapy);
    assert_eq!(ps.evidence[0].id, cbt_rec.id);
    assert_eq!(e.verdict, Verdict::Ready);
    assert_eq!(e.summary, "All 2 criteria met: ready to submit.");

    // An augmentation trial of 8 weeks (56 days) but no psychotherapy: the augmentation option.
    let p = c.adult();
    two_trials(&mut c, p);
    let aug = c.trial(
        p,
        TrialInput {
            role: "augmentation".into(),
            ..failed_for("aripiprazole", "5", "2026-05-11", 56)
        },
    );
    let e = c.eval(p, &both);
    assert_eq!(e.best_pathway.as_deref(), Some("augmentation"));
    let a = crit(&e, "augmentation");
    assert_status(a, Status::Met);
    assert_has(
        &a.label,
        "1 failed augmentation trial, each ≥ 8 weeks at a therapeutic dose",
    );
    assert_eq!(a.evidence[0].id, aug.id);
    assert!(
        !crit(&e, "trials").evidence.iter().any(|x| x.id == aug.id),
        "an augmentation trial is not an antidepressant trial"
    );
    assert_eq!(e.verdict, Verdict::Ready);
    // …one day short of 8 weeks, it is not enough.
    let p = c.adult();
    two_trials(&mut c, p);
    c.trial(
        p,
        TrialInput {
            role: "augmentation".into(),
            ..failed_for("aripiprazole", "5", "2026-05-11", 55)
        },
    );
    let e = c.eval(p, &both);
    assert_eq!(e.pathways[0].status, Status::NotMet);

    // Neither: the psychotherapy option has one gap to document, the augmentation option one
    // criterion not met, so psychotherapy is reported whichever order the policy lists them.
    let p = c.adult();
    two_trials(&mut c, p);
    for r in [&both, &reversed] {
        let e = c.eval(p, r);
        assert_eq!(e.best_pathway.as_deref(), Some("psychotherapy"));
        let ps = crit(&e, "psychotherapy");
        assert_status(ps, Status::Insufficient);
        assert_has(&ps.explanation, "No psychotherapy is recorded.");
        assert!(e.criteria.iter().all(|c| c.id != "augmentation"));
        assert_has(
            ps.note.as_deref().unwrap(),
            "\"Two antidepressants and an augmentation\": not met",
        );
        assert_eq!(e.verdict, Verdict::GapsToFix);
        assert_eq!(
            e.summary,
            "1 met, 0 not met, 1 need documentation: gaps to fix."
        );
    }

    // A single pathway's labels carry no option suffix.
    let one = rules("{}", &format!("[{PATH_PSY}]"), "");
    let e = c.eval(p, &one);
    assert!(e.criteria.iter().all(|c| !c.label.contains("option")));
}

// ---------------------------------------------------------------------------------------------
// 8. Adherence
// ---------------------------------------------------------------------------------------------

#[test]
fn adherence_of_80_percent_counts_and_79_does_not() {
    let mut c = clinic();
    let rule = trials_rule(
        r#"{"minTrials": 1, "minWeeks": 6, "minAdherencePercent": 80, "episode": "any"}"#,
    );
    let with = |pct: &str| TrialInput {
        adherence_percent: pct.into(),
        ..failed_for("sertraline", "100", "2026-01-05", 56)
    };

    let p = c.adult();
    let t = c.trial(p, with("80"));
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "trials"), Status::Met);
    assert_has(&crit(&e, "trials").label, "≥ 80% adherent");
    assert_has(
        &trial_check(&e, t.id).reasons.join("; "),
        "80% adherent (≥ 80%)",
    );

    let p = c.adult();
    c.trial(p, with("79"));
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "trials"), Status::NotMet);
    assert_has(
        &crit(&e, "trials").explanation,
        "79% adherent (the policy needs 80%)",
    );

    // "Adherent" as a yes/no, without a percentage.
    let p = c.adult();
    c.trial(
        p,
        TrialInput {
            adherence_percent: String::new(),
            adherent: Some(true),
            adherence_source: "patient_report".into(),
            ..failed_for("sertraline", "100", "2026-01-05", 56)
        },
    );
    let e = c.eval(p, &rule);
    let trials = crit(&e, "trials");
    assert_status(trials, Status::Insufficient);
    assert_has(
        &trials.explanation,
        "adherence not recorded as a percentage (the policy needs 80%)",
    );
    assert_has(trials.fix.as_deref().unwrap(), "not recorded");
}

// ---------------------------------------------------------------------------------------------
// 9. Current episode and look-back
// ---------------------------------------------------------------------------------------------

#[test]
fn trials_outside_the_current_episode_count_only_as_the_policy_allows() {
    let mut c = clinic();
    let scope = |s: &str| {
        trials_rule(&format!(
            r#"{{"minTrials": 2, "minWeeks": 6, "episode": "{s}"}}"#
        ))
    };
    let earlier = |t: TrialInput| TrialInput {
        current_episode: false,
        ..t
    };

    // One of the two trials was in an earlier episode.
    let p = c.adult();
    let old = c.trial(
        p,
        earlier(failed_for("sertraline", "100", "2024-01-08", 56)),
    );
    c.trial(p, failed_for("bupropion", "300", "2026-03-09", 56));
    let e = c.eval(p, &scope("all"));
    assert_has(&crit(&e, "trials").label, ", in the current episode");
    assert_status(crit(&e, "trials"), Status::NotMet);
    assert_eq!(trial_check(&e, old.id).status, Status::NotMet);
    assert_has(
        &trial_check(&e, old.id).reasons.join("; "),
        "not in the current episode",
    );
    assert_has(&crit(&e, "trials").explanation, "1 of 2 counted");
    let e = c.eval(p, &scope("at_least_one"));
    assert_has(
        &crit(&e, "trials").label,
        ", at least one in the current episode",
    );
    assert_status(crit(&e, "trials"), Status::Met);
    assert_status(crit(&c.eval(p, &scope("any")), "trials"), Status::Met);

    // Neither trial in the current episode.
    let p = c.adult();
    c.trial(
        p,
        earlier(failed_for("sertraline", "100", "2024-01-08", 56)),
    );
    c.trial(p, earlier(failed_for("bupropion", "300", "2024-04-01", 56)));
    assert_status(
        crit(&c.eval(p, &scope("at_least_one")), "trials"),
        Status::NotMet,
    );
    assert_status(crit(&c.eval(p, &scope("all")), "trials"), Status::NotMet);
    assert_status(crit(&c.eval(p, &scope("any")), "trials"), Status::Met);
}

#[test]
fn a_five_year_look_back_counts_a_trial_that_ended_exactly_five_years_ago() {
    let mut c = clinic();
    let rule =
        trials_rule(r#"{"minTrials": 1, "minWeeks": 6, "episode": "any", "lookbackYears": 5}"#);

    let p = c.adult();
    let t = c.trial(p, failed("sertraline", "100", "2021-09-01", "2021-11-21"));
    let e = c.eval(p, &rule);
    assert_has(&crit(&e, "trials").label, ", within 5 years");
    assert_status(crit(&e, "trials"), Status::Met);
    assert_eq!(trial_check(&e, t.id).status, Status::Met);

    let p = c.adult();
    let t = c.trial(p, failed("sertraline", "100", "2021-09-01", "2021-11-20"));
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "trials"), Status::NotMet);
    assert_has(
        &trial_check(&e, t.id).reasons.join("; "),
        "ended more than 5 years before 21-Nov-2026",
    );

    // Started long ago but still going on: it has not ended.
    let p = c.adult();
    c.trial(
        p,
        TrialInput {
            stop_date: String::new(),
            ongoing: true,
            reason_stopped: String::new(),
            ..failed("sertraline", "100", "2019-03-04", "")
        },
    );
    assert_status(crit(&c.eval(p, &rule), "trials"), Status::Met);
}

// ---------------------------------------------------------------------------------------------
// 10. Nonresponse
// ---------------------------------------------------------------------------------------------

#[test]
fn nonresponse_is_25_percent_improvement_or_less() {
    let mut c = clinic();
    let rule = trials_rule(
        r#"{"minTrials": 1, "minWeeks": 6, "episode": "any", "nonResponseMaxImprovementPercent": 25}"#,
    );
    let scored = |pre: &str, post: &str, outcome: &str| TrialInput {
        score_instrument: "PHQ-9".into(),
        pre_score: pre.into(),
        post_score: post.into(),
        outcome: outcome.into(),
        ..failed_for("sertraline", "100", "2026-01-05", 56)
    };

    let p = c.adult();
    let t = c.trial(p, scored("20", "15", "no_response"));
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "trials"), Status::Met);
    assert_has(
        &trial_check(&e, t.id).reasons.join("; "),
        "improved 25% (≤ 25%)",
    );

    let p = c.adult();
    let t = c.trial(p, scored("20", "14", "partial_response"));
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "trials"), Status::NotMet);
    assert_has(
        &trial_check(&e, t.id).reasons.join("; "),
        "improved 30% on PHQ-9 (the policy counts 25% or less as nonresponse)",
    );

    // Without scores the clinician's "no response" stands.
    let p = c.adult();
    let t = c.trial(p, scored("", "", "no_response"));
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "trials"), Status::Met);
    assert_has(
        &trial_check(&e, t.id).reasons.join("; "),
        "no pre/post scores: nonresponse as recorded by the clinician",
    );

    // A response is not a failed trial.
    let p = c.adult();
    c.trial(p, scored("", "", "response"));
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "trials"), Status::NotMet);
    assert_has(
        &crit(&e, "trials").explanation,
        "the patient responded (not a failed trial)",
    );
}

// ---------------------------------------------------------------------------------------------
// 11. Intolerance
// ---------------------------------------------------------------------------------------------

#[test]
fn intolerance_counts_whatever_the_duration_only_when_the_policy_says_so() {
    let mut c = clinic();
    let with = |counts: bool| {
        trials_rule(&format!(
            r#"{{"minTrials": 1, "minWeeks": 6, "episode": "any", "intoleranceCounts": {counts}}}"#
        ))
    };
    let p = c.adult();
    let t = c.trial(
        p,
        TrialInput {
            outcome: "intolerance".into(),
            adverse_effect: "Severe nausea and vomiting".into(),
            reason_stopped: "Intolerance".into(),
            ..failed_for("sertraline", "50", "2026-03-02", 10)
        },
    );
    let e = c.eval(p, &with(true));
    assert_status(crit(&e, "trials"), Status::Met);
    assert_has(
        &trial_check(&e, t.id).reasons.join("; "),
        "intolerance (Severe nausea and vomiting) counts",
    );
    assert_eq!(e.verdict, Verdict::Ready);

    let e = c.eval(p, &with(false));
    assert_status(crit(&e, "trials"), Status::NotMet);
    let why = trial_check(&e, t.id).reasons.join("; ");
    assert_has(&why, "1 week at a therapeutic dose (the policy needs 6)");
    assert!(!why.contains("intolerance"), "{why}");
}

// ---------------------------------------------------------------------------------------------
// 12. Diagnosis
// ---------------------------------------------------------------------------------------------

#[test]
fn an_excluded_diagnosis_decides_eligibility_an_unlisted_one_does_not() {
    let mut c = clinic();
    let rule = criteria_only(
        r#"{"diagnosis": {"include": ["F32.2", "F33.1", "F33.2", "F33.3"], "exclude": ["F31*"]}}"#,
    );

    let p = c.adult();
    let bip = c.record(p, diagnosis("F31.4", DiagnosisStatus::Active));
    let e = c.eval(p, &rule);
    let d = crit(&e, "diagnosis");
    assert_status(d, Status::NotMet);
    assert_eq!(d.explanation, "F31.4 is excluded by this policy.");
    assert!(d.decides_eligibility);
    assert_eq!(d.evidence[0].kind, EvidenceKind::Diagnosis);
    assert_eq!(d.evidence[0].id, bip.id);
    assert_eq!(e.verdict, Verdict::NotEligible);
    assert_has(&e.summary, "Not met: Diagnosis on the policy's list");

    let p = c.adult();
    c.record(p, diagnosis("F32.A", DiagnosisStatus::Active));
    let e = c.eval(p, &rule);
    let d = crit(&e, "diagnosis");
    assert_status(d, Status::NotMet);
    assert_eq!(
        d.explanation,
        "The active diagnoses (F32.A) are not on this policy's list."
    );
    assert!(!d.decides_eligibility, "an under-specified code is a gap");
    assert_eq!(e.verdict, Verdict::GapsToFix);

    // A resolved bipolar code is history; the active F33.2 is on the list.
    let p = c.adult();
    c.record(p, diagnosis("F31.4", DiagnosisStatus::Resolved));
    let mdd = c.record(p, diagnosis("F33.2", DiagnosisStatus::Active));
    let e = c.eval(p, &rule);
    let d = crit(&e, "diagnosis");
    assert_status(d, Status::Met);
    assert_eq!(d.explanation, "Active diagnosis F33.2.");
    assert_eq!(
        d.evidence.iter().map(|x| x.id).collect::<Vec<_>>(),
        [mdd.id]
    );

    let p = c.adult();
    assert_status(crit(&c.eval(p, &rule), "diagnosis"), Status::Insufficient);
}

// ---------------------------------------------------------------------------------------------
// 13. Screening, PDMP, concomitant antidepressant
// ---------------------------------------------------------------------------------------------

#[test]
fn the_spravato_screening_decides_contraindications_and_must_be_complete_and_recent() {
    let mut c = clinic();
    let rule = criteria_only(r#"{"contraindications": {"maxAgeDays": 30}}"#);

    let p = c.adult();
    c.record(
        p,
        screening(before_on(2), &["aneurysm_avm"], &[], Some(before_on(2))),
    );
    let e = c.eval(p, &rule);
    let ci = crit(&e, "contraindications");
    assert_status(ci, Status::NotMet);
    assert_eq!(
        ci.label,
        "No contraindication on the Spravato (esketamine) screening (within 30 days)"
    );
    assert_has(
        &ci.explanation,
        "Contraindication recorded: Aneurysmal vascular disease",
    );
    assert!(ci.decides_eligibility);
    assert_eq!(e.verdict, Verdict::NotEligible);

    let p = c.adult();
    c.record(
        p,
        screening(
            before_on(2),
            &[],
            &["ich_history", "med_opioids"],
            Some(before_on(2)),
        ),
    );
    let e = c.eval(p, &rule);
    let ci = crit(&e, "contraindications");
    assert_status(ci, Status::Insufficient);
    assert_eq!(ci.explanation, "2 screening question(s) are not answered.");
    assert_eq!(e.verdict, Verdict::GapsToFix);

    // Exactly 30 days old is in time; 31 is not.
    let p = c.adult();
    c.record(p, screening(before_on(30), &[], &[], None));
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "contraindications"), Status::Met);
    assert_eq!(
        crit(&e, "contraindications").explanation,
        "No contraindications."
    );
    let p = c.adult();
    c.record(p, screening(before_on(31), &[], &[], None));
    let e = c.eval(p, &rule);
    let ci = crit(&e, "contraindications");
    assert_status(ci, Status::Insufficient);
    assert_eq!(
        ci.explanation,
        "The screening of 21-Oct-2026 is 31 days old (limit 30)."
    );
    assert_eq!(ci.fix.as_deref(), Some("Record a new safety screening"));

    // A warning (benzodiazepines) is noted, not a contraindication.
    let p = c.adult();
    c.record(
        p,
        screening(before_on(2), &["med_benzodiazepines"], &[], None),
    );
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "contraindications"), Status::Met);
    assert_has(
        &crit(&e, "contraindications").explanation,
        "warnings noted: Taking benzodiazepines",
    );

    // No screening at all.
    let p = c.adult();
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "contraindications"), Status::Insufficient);
    assert_eq!(
        crit(&e, "contraindications").explanation,
        "There is no Spravato (esketamine) screening."
    );

    // Pregnancy recorded on the screening.
    let preg = criteria_only(r#"{"pregnancy": {"excludes": true}}"#);
    let p = c.adult();
    c.record(p, screening(before_on(2), &["pregnancy"], &[], None));
    let e = c.eval(p, &preg);
    assert_status(crit(&e, "pregnancy"), Status::NotMet);
    assert_eq!(e.verdict, Verdict::NotEligible);
}

#[test]
fn the_pdmp_check_must_be_recent_enough() {
    let mut c = clinic();
    let rule = criteria_only(r#"{"pdmp": {"maxAgeDays": 30}}"#);

    let p = c.adult();
    c.record(p, screening(before_on(2), &[], &[], Some(before_on(30))));
    let e = c.eval(p, &rule);
    let pd = crit(&e, "pdmp");
    assert_status(pd, Status::Met);
    assert_eq!(
        pd.label,
        "Prescription drug monitoring program (PDMP) checked within 30 days"
    );
    assert_eq!(pd.explanation, "PDMP checked on 22-Oct-2026.");

    let p = c.adult();
    c.record(p, screening(before_on(2), &[], &[], Some(before_on(31))));
    let e = c.eval(p, &rule);
    let pd = crit(&e, "pdmp");
    assert_status(pd, Status::Insufficient);
    assert_eq!(
        pd.explanation,
        "The PDMP was last checked on 21-Oct-2026 (31 days ago)."
    );
    assert_eq!(
        pd.fix.as_deref(),
        Some("Check the PDMP again and record the date")
    );

    let p = c.adult();
    c.record(p, screening(before_on(2), &[], &[], None));
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "pdmp"), Status::Insufficient);
    assert_eq!(crit(&e, "pdmp").explanation, "No PDMP check is recorded.");
}

#[test]
fn a_concomitant_oral_antidepressant_must_be_ongoing() {
    let mut c = clinic();
    let rule = criteria_only(r#"{"concomitantOralAntidepressant": {"required": true}}"#);
    let ongoing = |drug: &str, daily: &str, role: &str| TrialInput {
        drug: drug.into(),
        role: role.into(),
        start_date: "2026-06-01".into(),
        ongoing: true,
        doses: vec![dose("2026-06-01", daily)],
        current_episode: true,
        ..Default::default()
    };

    let p = c.adult();
    c.trial(p, failed_for("sertraline", "100", "2026-01-05", 56));
    let esc = c.trial(p, ongoing("escitalopram", "20", "monotherapy"));
    let e = c.eval(p, &rule);
    let cc = crit(&e, "concomitant_oral_antidepressant");
    assert_status(cc, Status::Met);
    assert_eq!(cc.explanation, "Ongoing: Escitalopram.");
    assert_eq!(
        cc.evidence
            .iter()
            .map(|x| (x.kind, x.id))
            .collect::<Vec<_>>(),
        [(EvidenceKind::Trial, esc.id)]
    );

    // Only stopped antidepressants.
    let p = c.adult();
    c.trial(p, failed_for("sertraline", "100", "2026-01-05", 56));
    let e = c.eval(p, &rule);
    let cc = crit(&e, "concomitant_oral_antidepressant");
    assert_status(cc, Status::NotMet);
    assert_eq!(
        cc.explanation,
        "No oral antidepressant is recorded as ongoing."
    );
    assert_eq!(e.verdict, Verdict::GapsToFix, "a gap, not ineligibility");

    // An ongoing augmentation agent is not an oral antidepressant.
    let p = c.adult();
    c.trial(p, ongoing("aripiprazole", "5", "augmentation"));
    assert_status(
        crit(&c.eval(p, &rule), "concomitant_oral_antidepressant"),
        Status::NotMet,
    );
}

// ---------------------------------------------------------------------------------------------
// 14. Not covered, and criteria the rule set lacks
// ---------------------------------------------------------------------------------------------

#[test]
fn a_service_the_payer_does_not_cover_has_one_coverage_criterion() {
    let mut c = clinic();
    let p = c.adult();
    c.trial(p, failed_for("sertraline", "100", "2026-01-05", 56));
    let not_covered = parse_one(&rules_file(&[r#"{"id": "nocover-iv", "version": "1",
      "payer": "Nocover Health", "policy": "NC-9", "service": "iv_ketamine",
      "effectiveFrom": "2024-01-01", "sources": ["T1"], "verified": true,
      "coverage": "not_covered", "notCoveredReason": "Experimental and investigational",
      "criteria": {"age": {"min": 18}},
      "pathways": [{"id": "t", "label": "Two trials",
        "antidepressantTrials": {"minTrials": 2, "minWeeks": 6, "episode": "any"}}]}"#
        .to_string()]));
    let e = c.eval(p, &not_covered);
    assert_eq!(e.verdict, Verdict::NotCovered);
    assert_eq!(e.criteria.len(), 1);
    let cov = &e.criteria[0];
    assert_eq!(cov.id, "coverage");
    assert_status(cov, Status::NotMet);
    assert_eq!(cov.explanation, "Experimental and investigational");
    assert_has(cov.fix.as_deref().unwrap(), "self-pay");
    assert!(e.pathways.is_empty() && e.best_pathway.is_none());
    assert_eq!(
        e.not_covered_reason.as_deref(),
        Some("Experimental and investigational")
    );
    assert_eq!(
        e.summary,
        "Nocover Health does not cover IV ketamine infusion under NC-9: self-pay path."
    );

    // The bundled Aetna IV ketamine policy, through the gap check.
    let (e, _) = check::run(
        &c.s,
        &CheckRequest {
            patient_id: p,
            rule_set_id: "aetna-cpb0938-iv-ketamine".into(),
            rule_set_version: None,
            service: Service::IvKetamine,
            on: on(),
            ordering_provider: Some(c.doc),
            attestations: Vec::new(),
        },
        on(),
    )
    .unwrap();
    assert_eq!(e.verdict, Verdict::NotCovered);
    assert_eq!(
        e.criteria.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["coverage"]
    );
    assert_has(&e.summary, "self-pay path");
}

#[test]
fn criteria_not_in_the_rule_set_are_shown_as_not_applicable() {
    let mut c = clinic();
    let p = c.patient(ymd("1990-05-05"));
    let rule = rules(
        r#"{"age": {"min": 18}}"#,
        "[]",
        r#", "notInRuleSet": ["Reauthorization criteria", "Documentation the payer requires"]"#,
    );
    let e = c.eval(p, &rule);
    let nis: Vec<&CriterionResult> = e
        .criteria
        .iter()
        .filter(|c| c.id == "not_in_rule_set")
        .collect();
    assert_eq!(
        nis.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
        [
            "Reauthorization criteria",
            "Documentation the payer requires"
        ]
    );
    for n in nis {
        assert_status(n, Status::NotApplicable);
        assert_has(&n.explanation, "Not in rule set");
        assert!(!n.verified && n.fix.is_none() && !n.decides_eligibility);
    }
    assert_eq!(e.criteria.last().unwrap().id, "not_in_rule_set");
    assert_eq!(e.counts(), (1, 0, 0));
    assert_eq!(e.verdict, Verdict::Ready, "not-applicable items are no gap");
    assert_eq!(e.summary, "All 1 criteria met: ready to submit.");
}

// ---------------------------------------------------------------------------------------------
// 15-17. A complete chart: evidence, check::run, determinism, the bundled rule sets
// ---------------------------------------------------------------------------------------------

struct Full {
    pid: i64,
    sertraline: i64,
    bupropion: i64,
    escitalopram: i64,
    phq9: i64,
    screening: i64,
}

/// A chart that meets a strict Spravato TRD policy: MDD recurrent severe confirmed by SCID,
/// sertraline and bupropion failed in this episode, escitalopram ongoing, CBT done, a recent
/// PHQ-9 of 21, a signed complete screening with a PDMP check, the clinic REMS-certified.
fn full_chart(c: &mut Clinic) -> Full {
    clinic_profile::update(
        &mut c.s,
        &ClinicProfileInput {
            name: "Engine Clinic".into(),
            address_line1: "12 Harbour Road".into(),
            city: "Salem".into(),
            state: "MA".into(),
            zip: "01970".into(),
            phone: "978 555 0142".into(),
            tin: "123456789".into(),
            npi: "1234 567 893".into(),
            rems_setting_id: "SPR-REMS-0042".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let pid = c.adult();
    c.record(pid, diagnosis("F33.2", DiagnosisStatus::Active));
    c.record(pid, episode(false));
    c.record(pid, cbt(TherapyOutcome::NoResponse));
    let sertraline = c
        .trial(
            pid,
            TrialInput {
                doses: vec![dose("2025-07-07", "50"), dose("2025-07-21", "150")],
                score_instrument: "PHQ-9".into(),
                pre_score: "20".into(),
                post_score: "18".into(),
                ..failed_for("sertraline", "150", "2025-07-07", 84)
            },
        )
        .id;
    let bupropion = c
        .trial(
            pid,
            TrialInput {
                adherence_percent: "85".into(),
                score_instrument: "PHQ-9".into(),
                pre_score: "19".into(),
                post_score: "17".into(),
                ..failed_for("bupropion", "300", "2025-10-13", 70)
            },
        )
        .id;
    let escitalopram = c
        .trial(
            pid,
            TrialInput {
                drug: "escitalopram".into(),
                role: "monotherapy".into(),
                start_date: "2026-01-12".into(),
                ongoing: true,
                doses: vec![dose("2026-01-12", "20")],
                current_episode: true,
                ..Default::default()
            },
        )
        .id;
    let phq9 = c.score(pid, "phq9", 21, before_on(7)).id;
    let scr = c.record(pid, screening(before_on(2), &[], &[], Some(before_on(2))));
    let scr = record::sign(&mut c.s, scr.id, scr.version, PASS).unwrap();
    Full {
        pid,
        sertraline,
        bupropion,
        escitalopram,
        phq9,
        screening: scr.id,
    }
}

/// Every criterion a Spravato TRD policy may carry, strictly.
fn strict_rule_set_json(id: &str) -> String {
    rule_set_json(
        id,
        r#"{
    "age": {"min": 18},
    "prescriber": {"allowed": ["psychiatrist"]},
    "diagnosis": {"include": ["F32.2", "F33.1", "F33.2", "F33.3"], "exclude": ["F31*"]},
    "episode": {"currentRequired": true, "minSeverity": "moderate", "structuredInterview": true},
    "psychosis": {"handling": "attestation"},
    "substanceUse": {"remissionMonths": 0},
    "pregnancy": {"excludes": true},
    "baselineScore": {"anyOf": [{"instrument": "phq9", "atLeast": 16}], "maxAgeDays": 30},
    "contraindications": {"maxAgeDays": 30},
    "concomitantOralAntidepressant": {"required": true},
    "rems": {"certifiedSetting": true},
    "pdmp": {"maxAgeDays": 30}
  }"#,
        r#"[{"id": "trials", "label": "Two failed antidepressants from different classes",
    "antidepressantTrials": {"minTrials": 2, "distinctClasses": 2, "minWeeks": 6,
      "minAdherencePercent": 80, "episode": "all", "lookbackYears": 5,
      "nonResponseMaxImprovementPercent": 25, "intoleranceCounts": true}}]"#,
        r#", "notInRuleSet": ["Documentation of a prior ECT discussion"]"#,
    )
}

#[test]
fn a_complete_chart_is_ready_to_submit_and_cites_its_records() {
    let mut c = clinic();
    let f = full_chart(&mut c);
    let rules = parse_one(&rules_file(&[strict_rule_set_json("strict-spravato-trd")]));
    let e = c.eval(f.pid, &rules);
    let gaps: Vec<_> = e
        .criteria
        .iter()
        .filter(|c| c.status != Status::Met && c.status != Status::NotApplicable)
        .collect();
    assert!(gaps.is_empty(), "{gaps:#?}");
    assert_eq!(e.verdict, Verdict::Ready);
    assert_eq!(e.summary, "All 13 criteria met: ready to submit.");
    assert_eq!(e.counts(), (13, 0, 0));
    assert!(!e.has_gaps());
    assert_eq!(e.best_pathway.as_deref(), Some("trials"));

    // The trials criterion cites the two trials that counted.
    let trials = crit(&e, "trials");
    assert!(trials
        .evidence
        .iter()
        .all(|x| x.kind == EvidenceKind::Trial));
    let cited: Vec<i64> = trials.evidence.iter().map(|x| x.id).collect();
    assert!(
        cited.contains(&f.sertraline) && cited.contains(&f.bupropion),
        "{cited:?}"
    );
    assert_has(&trials.explanation, "2 of 2 counted, 2 of 2 classes");
    let s = trials
        .evidence
        .iter()
        .find(|x| x.id == f.sertraline)
        .unwrap();
    assert_eq!(s.date.as_deref(), Some("2025-07-07"));
    assert_has(&s.label, "07-Jul-2025 to 29-Sep-2025");
    assert_eq!(trial_check(&e, f.escitalopram).status, Status::Insufficient);

    let b = crit(&e, "baseline_score");
    assert_eq!(
        b.evidence
            .iter()
            .map(|x| (x.kind, x.id))
            .collect::<Vec<_>>(),
        [(EvidenceKind::Score, f.phq9)]
    );
    assert_eq!(
        crit(&e, "prescriber").evidence[0].kind,
        EvidenceKind::ProviderProfile
    );
    assert_eq!(crit(&e, "prescriber").evidence[0].id, c.doc);
    assert_eq!(
        crit(&e, "prescriber").explanation,
        "Dr Inés Vidal (ordering provider on the request) is recorded as psychiatrist."
    );
    assert_eq!(
        crit(&e, "rems").explanation,
        "The clinic's REMS setting ID is SPR-REMS-0042."
    );
    let ci = crit(&e, "contraindications");
    assert_eq!(ci.evidence[0].id, f.screening);
    assert_has(&ci.evidence[0].label, "(signed)");
    assert_eq!(
        crit(&e, "concomitant_oral_antidepressant")
            .evidence
            .iter()
            .map(|x| x.id)
            .collect::<Vec<_>>(),
        [f.escitalopram]
    );

    // The same through the gap check, with the rule set imported as a clinic file.
    registry::import(
        &c.s,
        "strict.json",
        &rules_file(&[strict_rule_set_json("strict-spravato-trd")]),
    )
    .unwrap();
    let req = CheckRequest {
        patient_id: f.pid,
        rule_set_id: "strict-spravato-trd".into(),
        rule_set_version: None,
        service: Service::SpravatoTrd,
        on: on(),
        ordering_provider: Some(c.doc),
        attestations: Vec::new(),
    };
    let (checked, _) = check::run(&c.s, &req, on()).unwrap();
    assert_eq!(checked, e);

    // The bundled Cigna policy: ready as well.
    let cigna = CheckRequest {
        rule_set_id: "cigna-spravato-trd".into(),
        ..req.clone()
    };
    let (e, _) = check::run(&c.s, &cigna, on()).unwrap();
    assert_eq!(e.verdict, Verdict::Ready, "{:#?}", e.criteria);
    assert_has(&e.summary, "ready to submit");
    assert_eq!(e.payer, "Cigna");

    // A policy for another service is refused.
    let wrong = CheckRequest {
        service: Service::Tms,
        ..cigna
    };
    match check::run(&c.s, &wrong, on()) {
        Err(CoreError::Validation(v)) => assert_eq!(v.0[0].field, "service"),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn the_same_chart_rules_and_date_give_the_same_evaluation() {
    let mut c = clinic();
    let f = full_chart(&mut c);
    let rules = parse_one(&rules_file(&[strict_rule_set_json("strict-spravato-trd")]));
    let facts = c.facts(f.pid);
    let a = pa::evaluate(&facts, &rules, on());
    let b = pa::evaluate(&facts, &rules, on());
    assert_eq!(a, b);
    // Read again from the vault: still the same.
    assert_eq!(c.eval(f.pid, &rules), a);
    // And with a gap, including the option notes of several pathways.
    let p = c.adult();
    c.trial(p, failed_for("sertraline", "100", "2026-01-05", 56));
    c.trial(p, failed_for("bupropion", "300", "2026-03-09", 56));
    let both = rules_with_paths();
    assert_eq!(c.eval(p, &both), c.eval(p, &both));
}

fn rules_with_paths() -> RuleSet {
    rules("{}", &format!("[{PATH_AUG}, {PATH_PSY}]"), "")
}

#[test]
fn every_bundled_rule_set_evaluates_the_complete_chart() {
    let mut c = clinic();
    let f = full_chart(&mut c);
    let facts = c.facts(f.pid);
    let bundled = pa::bundled().unwrap();
    assert!(bundled.len() > 10);
    for r in bundled {
        let (from, to) = pa::load::period(r).unwrap();
        let mut dates = vec![from];
        if from <= on() && on() <= to {
            dates.push(on());
        }
        if to != NaiveDate::MAX {
            dates.push(to);
        }
        for d in dates {
            let e = pa::evaluate(&facts, r, d);
            let what = format!("{} {} on {d}", r.id, r.version);
            assert_eq!((e.rule_set_id.as_str(), e.on), (r.id.as_str(), d), "{what}");
            assert!(!e.summary.is_empty(), "{what}");
            if r.coverage == CoverageStatus::NotCovered {
                assert_eq!(e.verdict, Verdict::NotCovered, "{what}");
                continue;
            }
            assert_ne!(e.verdict, Verdict::NotCovered, "{what}");
            assert_eq!(e.pathways.len(), r.pathways.len(), "{what}");
            assert_eq!(e.best_pathway.is_some(), !r.pathways.is_empty(), "{what}");
            assert_eq!(
                e.criteria
                    .iter()
                    .filter(|c| c.id == "not_in_rule_set")
                    .count(),
                r.not_in_rule_set.len(),
                "{what}"
            );
            for cr in &e.criteria {
                assert!(
                    !cr.label.is_empty() && !cr.explanation.is_empty(),
                    "{what}: {cr:#?}"
                );
                if cr.status == Status::Met {
                    assert!(cr.fix.is_none(), "{what}: {cr:#?}");
                }
                if cr.status == Status::Insufficient {
                    assert!(
                        cr.fix.is_some(),
                        "{what}: a gap says how to close it: {cr:#?}"
                    );
                }
            }
            let (met, not_met, insufficient) = e.counts();
            assert_eq!(
                e.verdict == Verdict::Ready,
                not_met == 0 && insufficient == 0,
                "{what}"
            );
            assert!(met > 0, "{what}: the complete chart meets something");
            assert_eq!(e, pa::evaluate(&facts, r, d), "{what}: deterministic");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions: bugs a review of the engine found (each failed before its fix).
// ---------------------------------------------------------------------------------------------

/// `BaselineScoreRule::any_of` is documented as judging "the most recent administration of that
/// instrument". A PHQ-9 of 18 forty days ago (too old) and a PHQ-9 of 15 three days ago (recent,
/// below 16): the most recent PHQ-9 does not qualify, so NOT MET. The engine prefers the stale
/// qualifying score and answers INSUFFICIENT, "Record a new PHQ-9" — but a new PHQ-9 was
/// recorded three days ago and is below the threshold.
#[test]
fn bug_a_recent_score_below_the_threshold_outranks_an_old_qualifying_one() {
    let mut c = clinic();
    let rule = criteria_only(
        r#"{"baselineScore": {"anyOf": [{"instrument": "phq9", "atLeast": 16}], "maxAgeDays": 28}}"#,
    );
    let p = c.adult();
    c.score(p, "phq9", 18, before_on(40));
    let recent = c.score(p, "phq9", 15, before_on(3));
    let e = c.eval(p, &rule);
    let b = crit(&e, "baseline_score");
    assert_status(b, Status::NotMet);
    assert_eq!(b.evidence[0].id, recent.id);
}

/// Evidence is "the exact records used". A MET trials criterion cites the trials that counted;
/// the engine also cites every "may count" trial (here the ongoing escitalopram, outcome not
/// yet known), which the packet would then present as a failed trial.
#[test]
fn bug_a_met_trials_criterion_cites_only_the_trials_that_counted() {
    let mut c = clinic();
    let f = full_chart(&mut c);
    let rules = parse_one(&rules_file(&[strict_rule_set_json("strict-spravato-trd")]));
    let e = c.eval(f.pid, &rules);
    let trials = crit(&e, "trials");
    assert_status(trials, Status::Met);
    let mut cited: Vec<i64> = trials.evidence.iter().map(|x| x.id).collect();
    cited.sort();
    let mut used = vec![f.sertraline, f.bupropion];
    used.sort();
    assert_eq!(
        cited, used,
        "escitalopram ({}) did not count",
        f.escitalopram
    );
}

/// Episode scope "at_least_one" with both trials from an earlier episode: NOT MET (correct), but
/// the explanation reads "2 of 2 counted. Sertraline (SSRI): counts — …" and never says why it
/// is not met (no counted trial is in the current episode).
#[test]
fn bug_at_least_one_in_the_current_episode_explains_why_it_is_not_met() {
    let mut c = clinic();
    let rule = trials_rule(r#"{"minTrials": 2, "minWeeks": 6, "episode": "at_least_one"}"#);
    let p = c.adult();
    for (drug, daily, start) in [
        ("sertraline", "100", "2024-01-08"),
        ("bupropion", "300", "2024-04-01"),
    ] {
        c.trial(
            p,
            TrialInput {
                current_episode: false,
                ..failed_for(drug, daily, start, 56)
            },
        );
    }
    let e = c.eval(p, &rule);
    let trials = crit(&e, "trials");
    assert_status(trials, Status::NotMet);
    assert_has(&trials.explanation, "current episode");
}

/// Partial dates are judged by what is certain (`trial::duration`): a trial stopped in
/// "Nov 2021" may have ended on 1-20 Nov 2021, more than five years before 21-Nov-2026, or on
/// 21-30 Nov, within them. Whether it is inside a 5-year look-back is uncertain, so
/// INSUFFICIENT (record the exact stop date); the engine takes the latest possible day and
/// answers MET.
#[test]
fn bug_a_partial_stop_date_straddling_the_look_back_limit_is_insufficient() {
    let mut c = clinic();
    let rule =
        trials_rule(r#"{"minTrials": 1, "minWeeks": 6, "episode": "any", "lookbackYears": 5}"#);
    let p = c.adult();
    let t = c.trial(
        p,
        TrialInput {
            doses: vec![dose("2021-08", "100")],
            ..failed("sertraline", "100", "2021-08", "2021-11")
        },
    );
    // The duration itself is certain: at least 62 days.
    assert!(t.durations.at_therapeutic.unwrap().certain_weeks() >= 6);
    let e = c.eval(p, &rule);
    assert_status(crit(&e, "trials"), Status::Insufficient);
}

/// A stopped trial whose stop date was not recorded (not ongoing): the engine adds "stop date
/// not recorded" (INSUFFICIENT) but the duration, counted to the last known date, is 0 weeks,
/// which makes the trial NOT MET, the criterion NOT MET and the verdict "not eligible" — for a
/// gap that recording the stop date closes.
#[test]
fn bug_a_trial_without_its_stop_date_is_a_gap_not_ineligibility() {
    let mut c = clinic();
    let rule = trials_rule(r#"{"minTrials": 1, "minWeeks": 6, "episode": "any"}"#);
    let p = c.adult();
    let t = c.trial(p, failed("sertraline", "100", "2025-01-06", ""));
    assert!(t.durations.flags.contains(&Flag::NoStopDate));
    let e = c.eval(p, &rule);
    assert_has(
        &trial_check(&e, t.id).reasons.join("; "),
        "stop date not recorded",
    );
    assert_eq!(trial_check(&e, t.id).status, Status::Insufficient);
    assert_status(crit(&e, "trials"), Status::Insufficient);
    assert_eq!(e.verdict, Verdict::GapsToFix);
}

/// `Evidence::label` is documented as "Sertraline 150 mg/day, 10-Jan-2026 to 14-Mar-2026"; the
/// reference unit is already "mg/day" and the engine appends "/day" again: "150 mg/day/day".
#[test]
fn bug_a_trial_evidence_label_names_the_daily_dose_once() {
    let mut c = clinic();
    let rule = trials_rule(r#"{"minTrials": 1, "minWeeks": 6, "episode": "any"}"#);
    let p = c.adult();
    c.trial(p, failed("sertraline", "150", "2026-01-10", "2026-03-14"));
    let e = c.eval(p, &rule);
    assert_eq!(
        crit(&e, "trials").evidence[0].label,
        "Sertraline 150 mg/day, 10-Jan-2026 to 14-Mar-2026"
    );
}
