//! Payer prior-authorization rule sets: the bundled file (`core/reference/pa-rules.v1.json`)
//! parses and carries every policy the domain reference summarises (§1.2, §1.6, §1.7), with the
//! reference's values written out here (not read back from the JSON) so a wrong edit fails; the
//! published JSON Schema is current; and a broken clinic file is refused with the line of each
//! problem.

use std::collections::BTreeSet;
use std::path::Path;

use ketachart_core::pa::load::{bundled, bundled_text, parse, RuleProblem};
use ketachart_core::pa::rules::{
    CoverageStatus, EpisodeScope, MinSeverity, PrescriberType, Provenance, PsychosisHandling,
    RuleSet, RuleSetFile, ScoreThreshold, TrialRule,
};
use ketachart_core::pa::Service;

// ---------------------------------------------------------------------------------------------
// The bundled rule sets

const PLACEHOLDER_DATE: &str = "2024-01-01";
const PLACEHOLDER_NOTE: &str =
    "Effective date not in the reference; set to 2024-01-01 — check the policy.";

fn sets() -> &'static [RuleSet] {
    bundled().expect("the bundled rule sets parse")
}

fn set(id: &str) -> &'static RuleSet {
    let found: Vec<_> = sets().iter().filter(|s| s.id == id).collect();
    assert_eq!(found.len(), 1, "exactly one version of {id}");
    found[0]
}

fn ad_trials<'a>(s: &'a RuleSet, pathway: &str) -> &'a TrialRule {
    s.pathways
        .iter()
        .find(|p| p.id == pathway)
        .and_then(|p| p.antidepressant_trials.as_ref())
        .unwrap_or_else(|| panic!("{}: pathway {pathway} has antidepressant trials", s.id))
}

fn aug_trials<'a>(s: &'a RuleSet, pathway: &str) -> &'a TrialRule {
    s.pathways
        .iter()
        .find(|p| p.id == pathway)
        .and_then(|p| p.augmentation_trials.as_ref())
        .unwrap_or_else(|| panic!("{}: pathway {pathway} has augmentation trials", s.id))
}

fn thresholds(s: &RuleSet) -> Vec<(&str, i32)> {
    s.criteria
        .baseline_score
        .as_ref()
        .map(|b| {
            b.any_of
                .iter()
                .map(
                    |ScoreThreshold {
                         instrument,
                         at_least,
                     }| (instrument.as_str(), *at_least),
                )
                .collect()
        })
        .unwrap_or_default()
}

/// Every provenance in a rule set, named by where it is.
fn provenances(s: &RuleSet) -> Vec<(String, &Provenance)> {
    let c = &s.criteria;
    let named: [(&str, Option<&Provenance>); 13] = [
        ("age", c.age.as_ref().map(|r| &r.provenance)),
        ("prescriber", c.prescriber.as_ref().map(|r| &r.provenance)),
        ("diagnosis", c.diagnosis.as_ref().map(|r| &r.provenance)),
        ("episode", c.episode.as_ref().map(|r| &r.provenance)),
        ("psychosis", c.psychosis.as_ref().map(|r| &r.provenance)),
        (
            "substanceUse",
            c.substance_use.as_ref().map(|r| &r.provenance),
        ),
        (
            "baselineScore",
            c.baseline_score.as_ref().map(|r| &r.provenance),
        ),
        (
            "suicidalIdeation",
            c.suicidal_ideation.as_ref().map(|r| &r.provenance),
        ),
        (
            "contraindications",
            c.contraindications.as_ref().map(|r| &r.provenance),
        ),
        (
            "concomitantOralAntidepressant",
            c.concomitant_oral_antidepressant
                .as_ref()
                .map(|r| &r.provenance),
        ),
        ("rems", c.rems.as_ref().map(|r| &r.provenance)),
        ("pdmp", c.pdmp.as_ref().map(|r| &r.provenance)),
        ("pregnancy", c.pregnancy.as_ref().map(|r| &r.provenance)),
    ];
    let mut out: Vec<(String, &Provenance)> = named
        .into_iter()
        .filter_map(|(n, p)| p.map(|p| (n.to_string(), p)))
        .collect();
    for pw in &s.pathways {
        if let Some(t) = &pw.antidepressant_trials {
            out.push((format!("{}.antidepressantTrials", pw.id), &t.provenance));
        }
        if let Some(t) = &pw.augmentation_trials {
            out.push((format!("{}.augmentationTrials", pw.id), &t.provenance));
        }
        if let Some(t) = &pw.psychotherapy {
            out.push((format!("{}.psychotherapy", pw.id), &t.provenance));
        }
    }
    if let Some(a) = &s.approval {
        out.push(("approval".into(), &a.provenance));
    }
    if let Some(r) = &s.reauthorization {
        out.push(("reauthorization".into(), &r.provenance));
    }
    out
}

#[test]
fn the_bundled_file_parses_without_problems() {
    let parsed = parse(bundled_text());
    assert!(parsed.is_ok(), "{:?}", parsed.err());
    assert_eq!(parsed.unwrap().len(), sets().len());
}

#[test]
fn every_policy_in_the_reference_is_present() {
    let expected: BTreeSet<&str> = [
        // Spravato (§1.2)
        "cigna-spravato-trd",
        "cigna-spravato-mdsi",
        "evicore-spravato-trd",
        "evicore-spravato-mdsi",
        "uhc-spravato-mdsi",
        "carefirst-spravato-trd",
        "bcbsnd-spravato-trd-a",
        "bcbsnd-spravato-trd-b",
        "bcbsok-spravato-trd",
        "triples-spravato-trd",
        "qualchoice-spravato-trd",
        "westernhealth-spravato-trd",
        "texas-medicaid-spravato-mdsi",
        "mercycare-spravato-trd",
        "wyhealth-medicaid-spravato-trd",
        "wyhealth-medicaid-spravato-mdsi",
        "aetna-spravato-trd",
        // TMS (§1.6)
        "aetna-cpb0469-tms",
        "ambetter-cpbh200-tms",
        "medicare-l37086-tms",
        "medicare-l34998-tms",
        // IV ketamine (§1.7)
        "aetna-cpb0938-iv-ketamine",
        "bcbsma-iv-ketamine",
    ]
    .into_iter()
    .collect();
    let ids: BTreeSet<&str> = sets().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, expected);
    // One version each (no dates in the reference to split versions on).
    assert_eq!(sets().len(), expected.len());

    let service = |id: &str| set(id).service;
    for id in &expected {
        let want = if id.ends_with("-tms") {
            Service::Tms
        } else if id.ends_with("-iv-ketamine") {
            Service::IvKetamine
        } else if id.ends_with("-mdsi") {
            Service::SpravatoMdsi
        } else {
            Service::SpravatoTrd
        };
        assert_eq!(service(id), want, "{id}");
    }
}

#[test]
fn every_source_cited_exists_and_every_source_listed_is_cited() {
    let file: RuleSetFile = serde_json::from_str(bundled_text()).unwrap();
    let mut cited = BTreeSet::new();
    for s in &file.rule_sets {
        assert!(!s.sources.is_empty(), "{} cites no source", s.id);
        cited.extend(s.sources.iter().cloned());
        for (where_, p) in provenances(s) {
            for tag in &p.sources {
                assert!(
                    file.sources.contains_key(tag),
                    "{} {where_}: source {tag} is not listed",
                    s.id
                );
            }
            cited.extend(p.sources.iter().cloned());
        }
    }
    for tag in &cited {
        assert!(file.sources.contains_key(tag), "source {tag} is not listed");
    }
    let listed: BTreeSet<String> = file.sources.keys().cloned().collect();
    assert_eq!(listed, cited, "every listed source is cited by a rule set");
}

#[test]
fn unverified_values_are_flagged_and_the_rule_set_with_them() {
    for s in sets() {
        for (where_, p) in provenances(s) {
            if !p.verified {
                assert!(
                    !s.verified,
                    "{}: {where_} is unverified, so the rule set must be too",
                    s.id
                );
                assert!(
                    p.note.as_deref().is_some_and(|n| !n.trim().is_empty()),
                    "{}: unverified {where_} says why",
                    s.id
                );
            }
        }
        // A placeholder effective date is never presented as verified.
        if s.effective_from == PLACEHOLDER_DATE {
            assert!(!s.verified, "{}", s.id);
            assert!(
                s.note
                    .as_deref()
                    .is_some_and(|n| n.contains(PLACEHOLDER_NOTE)),
                "{}: the note says the date is a placeholder",
                s.id
            );
        }
    }
}

#[test]
fn bcbs_oklahoma_ships_the_medsop_thresholds_flagged_as_conflicting() {
    let s = set("bcbsok-spravato-trd");
    assert_eq!(s.effective_from, "2026-01-01");
    assert!(!s.verified);
    assert_eq!(
        thresholds(s),
        [
            ("madrs", 28),
            ("hamd17", 17),
            ("phq9", 10),
            ("qids_sr16", 11)
        ]
    );
    let b = s.criteria.baseline_score.as_ref().unwrap();
    assert!(!b.provenance.verified);
    let note = b.provenance.note.as_deref().unwrap();
    assert!(note.contains("CONFLICT") && note.contains("PHQ-9 ≥15") && note.contains("QIDS ≥16"));
    let e = s.criteria.episode.as_ref().unwrap();
    assert!(e.current_required && e.structured_interview);
    assert_eq!(e.min_severity, Some(MinSeverity::Moderate));
    assert_eq!(
        s.criteria.substance_use.as_ref().unwrap().remission_months,
        1
    );
    let t = ad_trials(s, "trials");
    assert_eq!((t.min_trials, t.min_weeks), (1, 6));
    assert_eq!(s.approval.as_ref().unwrap().initial_months, Some(3));
    assert_eq!(s.reauthorization.as_ref().unwrap().approval_months, Some(6));
}

#[test]
fn aetna_spravato_is_unverified_throughout() {
    let s = set("aetna-spravato-trd");
    assert!(!s.verified);
    assert!(s.note.as_deref().unwrap().contains("UNVERIFIED"));
    let provs = provenances(s);
    assert!(!provs.is_empty());
    for (where_, p) in provs {
        assert!(!p.verified, "aetna-spravato-trd {where_}");
    }
    let t = ad_trials(s, "trials");
    assert_eq!(
        (t.min_trials, t.min_weeks, t.episode),
        (2, 6, EpisodeScope::All)
    );
    assert_eq!(s.reauthorization.as_ref().unwrap().approval_months, Some(6));
}

#[test]
fn iv_ketamine_is_not_covered_by_aetna_and_covered_by_bcbs_massachusetts() {
    let aetna = set("aetna-cpb0938-iv-ketamine");
    assert_eq!(aetna.coverage, CoverageStatus::NotCovered);
    let reason = aetna.not_covered_reason.as_deref().unwrap();
    assert!(reason.contains("experimental"));
    assert!(aetna.pathways.is_empty());

    let ma = set("bcbsma-iv-ketamine");
    assert_eq!(ma.coverage, CoverageStatus::Covered);
    assert_eq!(ma.effective_from, "2023-08-21");
    let note = ma.note.as_deref().unwrap();
    for needle in ["087", "G2082", "J3490", "infusion"] {
        assert!(note.contains(needle), "BCBS MA note mentions {needle}");
    }
    assert!(!ma.verified);
}

#[test]
fn cigna_and_evicore_spravato() {
    let s = set("cigna-spravato-trd");
    assert!(s.verified);
    assert_eq!(s.criteria.age.as_ref().unwrap().min, Some(18));
    assert_eq!(
        s.criteria.prescriber.as_ref().unwrap().allowed,
        [PrescriberType::Psychiatrist]
    );
    assert_eq!(
        s.criteria.psychosis.as_ref().unwrap().handling,
        PsychosisHandling::Attestation
    );
    assert!(s.criteria.pdmp.is_some());
    // Monotherapy: no concomitant oral antidepressant requirement.
    assert!(
        !s.criteria
            .concomitant_oral_antidepressant
            .as_ref()
            .unwrap()
            .required
    );
    let t = ad_trials(s, "trials");
    assert_eq!(
        (t.min_trials, t.distinct_classes, t.min_weeks, t.episode),
        (2, 2, 6, EpisodeScope::All)
    );
    assert_eq!(t.non_response_max_improvement_percent, Some(25.0));
    assert_eq!(s.approval.as_ref().unwrap().initial_months, Some(6));
    assert_eq!(
        set("cigna-spravato-mdsi")
            .approval
            .as_ref()
            .unwrap()
            .initial_months,
        Some(2)
    );

    let e = set("evicore-spravato-trd");
    let t = ad_trials(e, "trials");
    assert_eq!((t.min_trials, t.distinct_classes, t.min_weeks), (2, 2, 6));
    assert_eq!(t.non_response_max_improvement_percent, Some(25.0));
    assert!(e.criteria.pdmp.is_some());
    assert_eq!(e.approval.as_ref().unwrap().initial_months, Some(6));
    let m = set("evicore-spravato-mdsi");
    assert_eq!(m.approval.as_ref().unwrap().initial_months, Some(2));
    assert_eq!(m.approval.as_ref().unwrap().max_sessions, Some(8));
}

#[test]
fn mdsi_rule_sets_default_the_suicidal_ideation_window_and_flag_it() {
    let mdsi: Vec<_> = sets()
        .iter()
        .filter(|s| s.service == Service::SpravatoMdsi)
        .collect();
    assert_eq!(mdsi.len(), 5);
    for s in mdsi {
        let si = s
            .criteria
            .suicidal_ideation
            .as_ref()
            .unwrap_or_else(|| panic!("{} has a suicidal ideation rule", s.id));
        assert_eq!(si.within_days, 30, "{}", s.id);
        assert!(!si.provenance.verified, "{}", s.id);
    }
}

#[test]
fn texas_medicaid_lists_exactly_its_eligible_diagnoses() {
    let s = set("texas-medicaid-spravato-mdsi");
    assert_eq!(s.effective_from, "2021-01-01");
    let d = s.criteria.diagnosis.as_ref().unwrap();
    assert_eq!(
        d.include,
        [
            "F32.0", "F32.1", "F32.2", "F32.4", "F32.5", "F32.9", "F33.0", "F33.1", "F33.2",
            "F33.40", "F33.41", "F33.42", "F33.9"
        ]
    );
    assert!(!d.include.iter().any(|c| c == "F32.3" || c == "F33.3"));
    assert!(
        s.criteria
            .concomitant_oral_antidepressant
            .as_ref()
            .unwrap()
            .required
    );
    assert!(s
        .criteria
        .baseline_score
        .as_ref()
        .unwrap()
        .any_of
        .is_empty());
    assert!(s.not_in_rule_set.iter().any(|n| n.contains("TRD criteria")));
}

#[test]
fn carefirst_has_an_augmentation_and_a_psychotherapy_pathway() {
    let s = set("carefirst-spravato-trd");
    let ids: Vec<&str> = s.pathways.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["augmentation", "psychotherapy"]);
    for p in ["augmentation", "psychotherapy"] {
        let t = ad_trials(s, p);
        assert_eq!(
            (t.min_trials, t.distinct_classes, t.min_weeks, t.episode),
            (2, 2, 8, EpisodeScope::All)
        );
        assert_eq!(t.lookback_years, Some(5));
    }
    assert_eq!(aug_trials(s, "augmentation").min_weeks, 8);
    let pt = s.pathways[1].psychotherapy.as_ref().unwrap();
    assert_eq!(pt.modalities, ["cbt", "ipt", "other"]);
    assert_eq!(
        s.criteria.episode.as_ref().unwrap().min_severity,
        Some(MinSeverity::Severe)
    );
}

#[test]
fn bcbs_north_dakota_two_versions_are_two_ids() {
    let a = set("bcbsnd-spravato-trd-a");
    let t = ad_trials(a, "trials-augmentation");
    assert_eq!(
        (t.min_trials, t.min_weeks, t.episode, t.intolerance_counts),
        (3, 4, EpisodeScope::AtLeastOne, true)
    );
    assert_eq!(aug_trials(a, "trials-augmentation").min_trials, 1);
    assert!(a.criteria.rems.as_ref().unwrap().certified_setting);
    assert!(
        a.criteria
            .concomitant_oral_antidepressant
            .as_ref()
            .unwrap()
            .required
    );
    assert!(a
        .criteria
        .prescriber
        .as_ref()
        .unwrap()
        .allowed
        .contains(&PrescriberType::MentalHealthPrescriber));
    let b = set("bcbsnd-spravato-trd-b");
    assert_eq!(ad_trials(b, "trials").min_trials, 2);
    assert!(b.reauthorization.is_some());
    for s in [a, b] {
        assert!(s.note.as_deref().unwrap().contains("Two versions"));
    }
}

#[test]
fn triple_s_qualchoice_and_western_health() {
    let t = set("triples-spravato-trd");
    let tr = ad_trials(t, "trials");
    assert_eq!(
        (tr.min_trials, tr.distinct_classes, tr.min_weeks),
        (2, 2, 6)
    );
    assert_eq!(tr.min_adherence_percent, Some(80));
    assert_eq!(thresholds(t), [("madrs", 28), ("hamd17", 17)]);
    assert!(t.criteria.episode.as_ref().unwrap().structured_interview);
    assert_eq!(
        t.criteria.substance_use.as_ref().unwrap().remission_months,
        0
    );
    assert_eq!(t.approval.as_ref().unwrap().initial_days, Some(28));

    let q = set("qualchoice-spravato-trd");
    let age = q.criteria.age.as_ref().unwrap();
    assert_eq!((age.min, age.under), (Some(18), Some(65)));
    assert!(!age.provenance.verified);
    assert_eq!(thresholds(q), [("phq9", 16)]);
    assert_eq!(
        q.criteria.baseline_score.as_ref().unwrap().max_age_days,
        Some(28)
    );
    let qt = ad_trials(q, "trials-augmentation");
    assert_eq!(
        (
            qt.min_trials,
            qt.distinct_classes,
            qt.min_weeks,
            qt.intolerance_counts
        ),
        (2, 2, 4, true)
    );
    assert_eq!(aug_trials(q, "trials-augmentation").min_trials, 2);
    assert_eq!(q.approval.as_ref().unwrap().initial_months, Some(3));
    assert!(q
        .approval
        .as_ref()
        .unwrap()
        .provenance
        .note
        .as_deref()
        .unwrap()
        .contains("23 devices"));
    assert_eq!(
        q.reauthorization.as_ref().unwrap().min_improvement_percent,
        Some(50.0)
    );

    let w = set("westernhealth-spravato-trd");
    let ids: Vec<&str> = w.pathways.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["option-1", "option-2", "option-3"]);
    let o1 = ad_trials(w, "option-1");
    assert_eq!(
        (o1.min_trials, o1.distinct_classes, o1.min_weeks, o1.episode),
        (2, 2, 6, EpisodeScope::All)
    );
    let o2 = aug_trials(w, "option-2");
    assert_eq!((o2.min_trials, o2.min_weeks), (2, 4));
    assert!(w.pathways[1].antidepressant_trials.is_none());
    assert_eq!(aug_trials(w, "option-3").min_weeks, 8);
    assert_eq!(ad_trials(w, "option-3").min_weeks, 8);
    assert_eq!(
        w.criteria.psychosis.as_ref().unwrap().handling,
        PsychosisHandling::Attestation
    );
    assert!(w.criteria.contraindications.is_some());
    let r = w.reauthorization.as_ref().unwrap();
    assert_eq!(r.approval_months, Some(12));
    assert!(r.concomitant_oral_antidepressant);
}

#[test]
fn tms_policies() {
    let aetna = set("aetna-cpb0469-tms");
    assert_eq!(aetna.effective_from, "2026-01-01");
    assert_eq!(aetna.criteria.age.as_ref().unwrap().min, Some(15));
    assert_eq!(aetna.approval.as_ref().unwrap().max_sessions, Some(36));
    assert_eq!(
        aetna
            .reauthorization
            .as_ref()
            .unwrap()
            .min_improvement_percent,
        Some(50.0)
    );
    assert!(aug_trials(aetna, "trials-augmentation").min_trials >= 1);
    // "each ≥8 wk" is from a clinic summary only.
    assert!(!ad_trials(aetna, "trials-augmentation").provenance.verified);

    let ambetter = set("ambetter-cpbh200-tms");
    assert_eq!(thresholds(ambetter), [("phq9", 15)]);
    assert_eq!(ambetter.approval.as_ref().unwrap().max_sessions, Some(36));
    assert_eq!(
        ambetter.criteria.diagnosis.as_ref().unwrap().exclude,
        ["F31*"]
    );
    assert!(ambetter.pathways[0].psychotherapy.is_some());

    let l37086 = set("medicare-l37086-tms");
    assert!(l37086.pathways[0].psychotherapy.is_some());
    assert!(ad_trials(l37086, "trials-psychotherapy").intolerance_counts);

    let l34998 = set("medicare-l34998-tms");
    let t = ad_trials(l34998, "trial");
    assert_eq!((t.min_trials, t.intolerance_counts), (1, true));

    for s in sets().iter().filter(|s| s.service == Service::Tms) {
        let e = s.criteria.episode.as_ref().unwrap();
        assert_eq!(e.min_severity, Some(MinSeverity::Severe), "{}", s.id);
        if let Some(p) = &s.criteria.psychosis {
            assert_eq!(p.handling, PsychosisHandling::Exclude, "{}", s.id);
        }
        assert!(s.criteria.rems.is_none(), "{}", s.id);
    }
    for id in ["aetna-cpb0469-tms", "medicare-l37086-tms"] {
        let d = set(id).criteria.diagnosis.as_ref().unwrap();
        assert_eq!(d.exclude, ["F32.3", "F33.3"], "{id}");
    }
}

#[test]
fn the_guides_example_parses() {
    let guide = include_str!("../reference/PA-RULES.md");
    let start = guide
        .rfind("```json\n")
        .expect("the guide has a JSON example")
        + "```json\n".len();
    let end = start + guide[start..].find("```").unwrap();
    let sets = parse(&guide[start..end]).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].pathways.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// The JSON Schema

#[test]
fn the_json_schema_is_current() {
    let mut schema = schemars::schema_for!(RuleSetFile);
    schema.insert(
        "title".into(),
        serde_json::Value::String("KetaChart payer prior-authorization rule sets".into()),
    );
    let fresh = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("reference/pa-rules.schema.json");
    let before = std::fs::read_to_string(&path).unwrap_or_default();
    if fresh != before {
        std::fs::write(&path, &fresh).unwrap();
        panic!(
            "core/reference/pa-rules.schema.json was stale and has been regenerated; review and commit it"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Files with problems: each is refused with the line the problem is on.

/// Lines 1-6 of every test file; the rule sets start on line 7.
const HEAD: [&str; 6] = [
    r#"{"#,
    r#"  "format": "ketachart-pa-rules","#,
    r#"  "schemaVersion": 1,"#,
    r#"  "published": "2026-11-22","#,
    r#"  "sources": {"S1": "A policy — example.org/policy"},"#,
    r#"  "ruleSets": ["#,
];

/// A file whose rule sets are `lines` (line 7 onwards).
fn file(lines: &[&str]) -> String {
    let mut all: Vec<&str> = HEAD.to_vec();
    all.extend_from_slice(lines);
    all.extend_from_slice(&["  ]", "}"]);
    all.join("\n")
}

/// The one problem reported for a file.
fn only_problem(text: &str) -> RuleProblem {
    let problems = parse(text).expect_err("the file is refused");
    assert_eq!(problems.len(), 1, "{problems:?}");
    problems.into_iter().next().unwrap()
}

fn assert_problem(text: &str, line: usize, message_part: &str) {
    let p = only_problem(text);
    assert_eq!(p.line, line, "{p}");
    assert!(
        p.message.contains(message_part),
        "{p} should mention {message_part:?}"
    );
}

#[test]
fn a_well_formed_test_file_parses() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S1"], "verified": true,"#,       // 8
        r#"     "coverage": "covered"}"#,                                                    // 9
    ]);
    let sets = parse(&text).unwrap();
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].id, "a");
}

#[test]
fn invalid_json_is_reported_on_its_line() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2026-01-01" "sources": ["S1"], "verified": true,"#, // 8: no comma
        r#"     "coverage": "covered"}"#,                                             // 9
    ]);
    assert_problem(&text, 8, "expected `,` or `}`");
}

#[test]
fn an_unknown_field_in_the_second_rule_set_is_reported_on_its_line() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S1"], "verified": true,"#,       // 8
        r#"     "coverage": "covered"},"#,                                                   // 9
        r#"    {"id": "b", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 10
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S1"], "verified": true,"#,       // 11
        r#"     "colour": "red","#,                                                          // 12
        r#"     "coverage": "covered"}"#,                                                    // 13
    ]);
    assert_problem(&text, 12, "unknown field `colour`");
}

#[test]
fn an_unknown_field_inside_a_criterion_is_refused() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S1"], "verified": true,"#,       // 8
        r#"     "coverage": "covered","#,                                                    // 9
        r#"     "criteria": {"age": {"min": 18, "mni": 3}}}"#,                               // 10
    ]);
    assert_problem(&text, 10, "unknown field `mni`");
}

#[test]
fn an_unknown_instrument_is_reported_on_the_baseline_score_line() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S1"], "verified": true,"#,       // 8
        r#"     "coverage": "covered"},"#,                                                   // 9
        r#"    {"id": "b", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 10
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S1"], "verified": true,"#,       // 11
        r#"     "coverage": "covered","#,                                                    // 12
        r#"     "criteria": {"#,                                                             // 13
        r#"       "age": {"min": 18},"#,                                                     // 14
        r#"       "baselineScore": {"#,                                                      // 15
        r#"         "anyOf": [{"instrument": "phq9", "atLeast": 10},"#,                      // 16
        r#"                   {"instrument": "hads", "atLeast": 8}]}}}"#,                    // 17
    ]);
    assert_problem(
        &text,
        15,
        "rule set \"b\": \"hads\" is not a rating scale KetaChart knows",
    );
}

#[test]
fn a_bad_date_is_reported_on_its_line() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "sources": ["S1"], "verified": true, "coverage": "covered","#,               // 8
        r#"     "effectiveFrom": "2026-13-01"}"#,                                            // 9
    ]);
    assert_problem(
        &text,
        9,
        "\"effectiveFrom\" \"2026-13-01\" is not a date (YYYY-MM-DD)",
    );
}

#[test]
fn an_end_before_the_start_is_reported_on_the_end_line() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "sources": ["S1"], "verified": true, "coverage": "covered","#,               // 8
        r#"     "effectiveFrom": "2026-01-01","#,                                            // 9
        r#"     "effectiveTo": "2025-12-31"}"#,                                              // 10
    ]);
    assert_problem(&text, 10, "\"effectiveTo\" is before \"effectiveFrom\"");
}

#[test]
fn an_unknown_source_tag_is_reported_on_the_sources_line() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2026-01-01", "verified": true, "coverage": "covered","#,   // 8
        r#"     "sources": ["S1", "S99"]}"#,                                                 // 9
    ]);
    assert_problem(&text, 9, "source \"S99\" is not in the file's \"sources\"");
}

#[test]
fn a_criterion_citing_an_unknown_source_is_reported_on_its_line() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S1"], "verified": true,"#,       // 8
        r#"     "coverage": "covered","#,                                                    // 9
        r#"     "criteria": {"#,                                                             // 10
        r#"       "pdmp": {"sources": ["S7"]}}}"#,                                           // 11
    ]);
    assert_problem(&text, 11, "source \"S7\" is not in the file's \"sources\"");
}

#[test]
fn a_service_not_covered_needs_a_reason() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X","#, // 7
        r#"     "service": "iv_ketamine", "effectiveFrom": "2026-01-01","#, // 8
        r#"     "sources": ["S1"], "verified": true,"#,                    // 9
        r#"     "coverage": "not_covered"}"#,                              // 10
    ]);
    assert_problem(
        &text,
        10,
        "a service that is not covered needs a \"notCoveredReason\"",
    );
}

#[test]
fn overlapping_versions_of_one_policy_are_refused_on_the_later_start() {
    let text = file(&[
        r#"    {"id": "a", "version": "2025", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2025-01-01", "sources": ["S1"], "verified": true,"#,          // 8
        r#"     "coverage": "covered"},"#,                                                      // 9
        r#"    {"id": "a", "version": "2026", "payer": "P", "policy": "X", "service": "tms","#, // 10
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S1"], "verified": true,"#, // 11
        r#"     "coverage": "covered"}"#,                                              // 12
    ]);
    assert_problem(
        &text,
        11,
        "this version starts before the version on line 8 ends; versions of one policy must not overlap",
    );
    // With the first version ended the day before, both are accepted.
    let fixed = text.replacen(
        r#""effectiveFrom": "2025-01-01","#,
        r#""effectiveFrom": "2025-01-01", "effectiveTo": "2025-12-31","#,
        1,
    );
    assert_eq!(parse(&fixed).unwrap().len(), 2);
}

#[test]
fn more_distinct_classes_than_trials_is_refused_on_the_trial_line() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S1"], "verified": true,"#,       // 8
        r#"     "coverage": "covered","#,                                                    // 9
        r#"     "pathways": ["#,                                                             // 10
        r#"       {"id": "trials", "label": "Two antidepressants","#,                        // 11
        r#"        "antidepressantTrials": {"minTrials": 2, "distinctClasses": 3,"#,         // 12
        r#"                                 "minWeeks": 6, "episode": "all"}}]}"#,           // 13
    ]);
    assert_problem(
        &text,
        12,
        "pathway \"trials\": 3 distinct classes cannot come from 2 trials",
    );
}

#[test]
fn a_bad_icd10_code_is_refused_on_the_diagnosis_line() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S1"], "verified": true,"#,       // 8
        r#"     "coverage": "covered","#,                                                    // 9
        r#"     "criteria": {"#,                                                             // 10
        r#"       "age": {"min": 18},"#,                                                     // 11
        r#"       "diagnosis": {"exclude": ["F32.3", "f33.3"]}}}"#,                          // 12
    ]);
    assert_problem(&text, 12, "\"f33.3\" is not an ICD-10-CM code or prefix");
}

#[test]
fn a_wrong_format_string_is_refused_on_line_2() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S1"], "verified": true,"#,       // 8
        r#"     "coverage": "covered"}"#,                                                    // 9
    ])
    .replacen("ketachart-pa-rules", "ketachart-billing-reference", 1);
    assert_problem(&text, 2, "\"format\" must be \"ketachart-pa-rules\"");
}

#[test]
fn every_problem_in_a_file_is_reported_in_line_order() {
    let text = file(&[
        r#"    {"id": "a", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 7
        r#"     "effectiveFrom": "2026-02-30", "sources": ["S1"], "verified": true,"#,       // 8
        r#"     "coverage": "covered"},"#,                                                   // 9
        r#"    {"id": "B", "version": "1", "payer": "P", "policy": "X", "service": "tms","#, // 10
        r#"     "effectiveFrom": "2026-01-01", "sources": ["S2"], "verified": true,"#,       // 11
        r#"     "coverage": "covered"}"#,                                                    // 12
    ]);
    let problems = parse(&text).unwrap_err();
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [8, 10, 11], "{problems:?}");
    assert!(problems[1].message.contains("lower-case letters"));
    assert!(problems[2].message.contains("\"S2\""));
}
