//! Rating scales: the bundled definitions, exact scoring, C-SSRS branching and triage, and
//! response/remission. Expected values are written out from the domain reference (§3.1–3.3,
//! §6.5), not read back from the JSON, so a wrong edit to the data fails here.

use std::collections::BTreeMap;

use ketachart_core::scales::definition::{EntryMode, ScoringMethod};
use ketachart_core::scales::{
    self, change, classify, compare, AnswerProblem, Entry, ResponseClass, RiskLevel, ScoreError,
    Threshold, TotalField,
};
use ketachart_core::CoreError;

fn answers(pairs: &[(&str, i32)]) -> BTreeMap<String, i32> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// `n` questions numbered 1..=n, filled greedily with up to `max` points each to reach `total`.
fn filled(n: usize, max: i32, total: i32) -> BTreeMap<String, i32> {
    let mut left = total;
    (1..=n)
        .map(|i| {
            let v = left.min(max);
            left -= v;
            (i.to_string(), v)
        })
        .collect()
}

fn score_err(id: &str, entry: Entry) -> ScoreError {
    let ins = scales::bundled().unwrap().get(id).unwrap();
    ins.score(&entry).unwrap_err()
}

fn band_id(id: &str, entry: Entry) -> String {
    scales::score(id, &entry).unwrap().band.unwrap().id
}

// ---- the reference file -------------------------------------------------------------------

#[test]
fn the_reference_loads_with_every_instrument_in_its_entry_mode() {
    let r = scales::bundled().unwrap();
    assert_eq!(r.format, "ketachart-instrument-reference");
    assert_eq!(r.version, 1);
    assert!(r.requires_clinical_review);
    let modes: Vec<(&str, EntryMode)> = r
        .instruments
        .iter()
        .map(|i| (i.id.as_str(), i.entry_mode))
        .collect();
    assert_eq!(
        modes,
        [
            ("phq9", EntryMode::Items),
            ("gad7", EntryMode::Items),
            ("qids_sr16", EntryMode::Items),
            ("cssrs_screener", EntryMode::Items),
            ("madrs", EntryMode::Total),
            ("hamd17", EntryMode::Total),
            ("bdi2", EntryMode::Total),
            ("cadss", EntryMode::Total),
        ]
    );
    let range = |id: &str| {
        let t = r.get(id).unwrap().total.as_ref().unwrap();
        (t.min, t.max)
    };
    assert_eq!(range("phq9"), (0, 27));
    assert_eq!(range("gad7"), (0, 21));
    assert_eq!(range("qids_sr16"), (0, 27));
    assert_eq!(range("madrs"), (0, 60));
    assert_eq!(range("hamd17"), (0, 52));
    assert_eq!(range("bdi2"), (0, 63));
    assert_eq!(range("cadss"), (0, 92));
    assert!(r.get("cssrs_screener").unwrap().total.is_none());
    assert_eq!(
        r.get("phq9").unwrap().items.len(),
        10,
        "9 scored + difficulty"
    );
    assert_eq!(r.get("qids_sr16").unwrap().items.len(), 16);
    assert_eq!(r.get("hamd17").unwrap().items.len(), 17);
    assert_eq!(r.get("bdi2").unwrap().items.len(), 21);
    assert_eq!(r.get("cadss").unwrap().items.len(), 23);
}

#[test]
fn every_band_list_covers_its_range_without_gaps_or_overlaps() {
    let r = scales::bundled().unwrap();
    let mut checked = 0;
    for ins in &r.instruments {
        let Some(total) = &ins.total else {
            assert!(ins.bands.is_none(), "{}", ins.id);
            continue;
        };
        for set in ins.bands.iter().chain(&ins.alternative_bands) {
            let first = set.bands.first().unwrap();
            let last = set.bands.last().unwrap();
            assert_eq!((first.min, last.max), (total.min, total.max), "{}", set.id);
            for w in set.bands.windows(2) {
                assert_eq!(w[1].min, w[0].max + 1, "{} {}", set.id, w[1].id);
            }
            // Every possible total lands in exactly one band.
            for t in total.min..=total.max {
                let n = set
                    .bands
                    .iter()
                    .filter(|b| b.min <= t && t <= b.max)
                    .count();
                assert_eq!(n, 1, "{} total {t}", set.id);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 7, "PHQ-9, GAD-7, QIDS, MADRS, HAM-D x2, BDI-II");
    assert!(
        r.get("cadss").unwrap().bands.is_none(),
        "CADSS: scores only"
    );
}

#[test]
fn every_cited_source_is_listed_and_kc_is_never_verified() {
    let r = scales::bundled().unwrap();
    assert!(r.source("S44").is_some_and(|s| s.in_reference));
    assert!(r.source("KC").is_some_and(|s| !s.in_reference));
    for ins in &r.instruments {
        for item in &ins.items {
            assert!(!item.sources.is_empty(), "{} {}", ins.id, item.id);
            if item.sources.iter().any(|s| s == "KC") {
                assert!(
                    !item.verified,
                    "{} {}: KC values need review",
                    ins.id, item.id
                );
            }
        }
        if let Some(c) = &ins.change {
            assert!(
                !c.partial_response.verified,
                "partial response is KetaChart's default"
            );
        }
    }
}

#[test]
fn what_the_reference_marks_unverified_is_not_verified() {
    let r = scales::bundled().unwrap();
    let gad7 = r.get("gad7").unwrap();
    let code = |i: &str| gad7.item(i).unwrap().loinc.clone().unwrap();
    assert_eq!(
        (code("1").code.as_str(), code("1").verified),
        ("69725-0", false)
    );
    assert_eq!(
        (code("2").code.as_str(), code("2").verified),
        ("68509-9", false)
    );
    assert_eq!(
        (code("3").code.as_str(), code("3").verified),
        ("69733-4", true)
    );
    let nearly = r.answer_sets["phq_frequency"].option(3).unwrap();
    assert_eq!(
        nearly.loinc.as_ref().map(|c| (c.code.as_str(), c.verified)),
        Some(("LA6571-9", false))
    );
    assert!(
        !r.get("cadss").unwrap().total.as_ref().unwrap().verified,
        "0-92 arithmetic"
    );
    assert!(
        !r.get("cssrs_screener")
            .unwrap()
            .triage
            .as_ref()
            .unwrap()
            .verified
    );
    for id in ["madrs", "hamd17", "cssrs_screener", "cadss", "qids_sr16"] {
        assert!(!r.get(id).unwrap().licence.verified, "{id} licence");
    }
    assert!(r.get("phq9").unwrap().licence.verified);
}

#[test]
fn licensed_text_is_not_embedded_and_loinc_codes_are_only_those_in_the_reference() {
    use ketachart_core::scales::ItemText;
    let r = scales::bundled().unwrap();
    for id in ["bdi2", "madrs", "hamd17", "cadss", "cssrs_screener"] {
        let ins = r.get(id).unwrap();
        assert_eq!(ins.licence.item_text, ItemText::Neutral, "{id}");
        assert!(ins.stem.is_none(), "{id}");
        assert!(
            ins.items.iter().all(|i| i.label.chars().count() <= 40),
            "{id}: short labels"
        );
    }
    assert_eq!(r.get("phq9").unwrap().licence.item_text, ItemText::Full);
    let phq9 = r.get("phq9").unwrap();
    assert_eq!(phq9.loinc.panel.as_ref().unwrap().code, "44249-1");
    assert_eq!(phq9.loinc.total.as_ref().unwrap().code, "44261-6");
    let item_codes: Vec<&str> = phq9
        .items
        .iter()
        .map(|i| i.loinc.as_ref().unwrap().code.as_str())
        .collect();
    assert_eq!(
        item_codes,
        [
            "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
            "44260-8", "69722-7"
        ]
    );
    let gad7 = r.get("gad7").unwrap();
    assert_eq!(gad7.loinc.panel.as_ref().unwrap().code, "69737-5");
    assert_eq!(gad7.loinc.total.as_ref().unwrap().code, "70274-6");
    for id in [
        "qids_sr16",
        "cssrs_screener",
        "madrs",
        "hamd17",
        "bdi2",
        "cadss",
    ] {
        let ins = r.get(id).unwrap();
        assert!(
            ins.loinc.panel.is_none() && ins.loinc.total.is_none(),
            "{id}: absent"
        );
        assert!(ins.items.iter().all(|i| i.loinc.is_none()), "{id}: absent");
    }
}

// ---- PHQ-9 and GAD-7 -----------------------------------------------------------------------

fn phq9_band(total: i32) -> &'static str {
    match total {
        0..=4 => "none_minimal",
        5..=9 => "mild",
        10..=14 => "moderate",
        15..=19 => "moderately_severe",
        _ => "severe",
    }
}

fn gad7_band(total: i32) -> &'static str {
    match total {
        0..=4 => "minimal",
        5..=9 => "mild",
        10..=14 => "moderate",
        _ => "severe",
    }
}

#[test]
fn every_phq9_total_from_0_to_27_gets_its_band_from_answers_and_from_a_total() {
    for total in 0..=27 {
        let s = scales::score("phq9", &Entry::Items(filled(9, 3, total))).unwrap();
        assert_eq!(s.total, Some(total));
        assert!(!s.total_entered);
        assert_eq!(
            s.band.as_ref().unwrap().id,
            phq9_band(total),
            "total {total}"
        );
        assert_eq!(
            band_id("phq9", Entry::Total(total)),
            phq9_band(total),
            "entered {total}"
        );
    }
}

#[test]
fn every_gad7_total_from_0_to_21_gets_its_band_from_answers_and_from_a_total() {
    for total in 0..=21 {
        let s = scales::score("gad7", &Entry::Items(filled(7, 3, total))).unwrap();
        assert_eq!(s.total, Some(total));
        assert_eq!(
            s.band.as_ref().unwrap().id,
            gad7_band(total),
            "total {total}"
        );
        assert_eq!(
            band_id("gad7", Entry::Total(total)),
            gad7_band(total),
            "entered {total}"
        );
        assert!(s.flags.is_empty());
    }
}

#[test]
fn every_value_of_phq9_question_9_is_checked_for_the_safety_flag() {
    for v in 0..=3 {
        let mut a = filled(9, 3, 0);
        a.insert("9".into(), v);
        let s = scales::score("phq9", &Entry::Items(a)).unwrap();
        assert_eq!(s.total, Some(v));
        assert!(s.unchecked_safety.is_empty());
        if v == 0 {
            assert!(s.flags.is_empty(), "0 raises nothing");
        } else {
            assert_eq!(s.flags.len(), 1, "value {v}");
            let f = &s.flags[0];
            assert_eq!((f.rule_id.as_str(), f.item.as_str()), ("phq9_item9", "9"));
            assert_eq!(f.follow_up.as_deref(), Some("cssrs_screener"));
            assert!(f.message.contains("C-SSRS"));
        }
    }
    // Question 9 flags even when the total is in the lowest band.
    let s = scales::score(
        "phq9",
        &Entry::Items(answers(&[
            ("1", 0),
            ("2", 0),
            ("3", 0),
            ("4", 0),
            ("5", 0),
            ("6", 0),
            ("7", 0),
            ("8", 0),
            ("9", 1),
        ])),
    )
    .unwrap();
    assert_eq!(s.band.unwrap().id, "none_minimal");
    assert_eq!(s.flags.len(), 1);
}

#[test]
fn the_phq9_difficulty_question_is_recorded_but_not_counted() {
    let mut a = filled(9, 1, 9);
    let without = scales::score("phq9", &Entry::Items(a.clone())).unwrap();
    assert_eq!(without.total, Some(9));
    for d in 0..=3 {
        a.insert("10".into(), d);
        let with = scales::score("phq9", &Entry::Items(a.clone())).unwrap();
        assert_eq!(with.total, Some(9), "difficulty {d}");
        assert_eq!(with.answers.get("10"), Some(&d), "recorded");
    }
    a.insert("10".into(), 4);
    let e = score_err("phq9", Entry::Items(a));
    assert!(e.to_string().contains("question 10"), "{e}");
}

#[test]
fn the_phq2_subscore_is_items_1_and_2() {
    let mut a = filled(9, 0, 0);
    a.insert("1".into(), 2);
    a.insert("2".into(), 3);
    a.insert("3".into(), 1);
    let s = scales::score("phq9", &Entry::Items(a)).unwrap();
    assert_eq!(s.subscores.len(), 1);
    assert_eq!(
        (s.subscores[0].name.as_str(), s.subscores[0].score),
        ("PHQ-2", 5)
    );
    assert_eq!(s.subscores[0].loinc.as_deref(), Some("55758-7"));
    assert_eq!(s.total, Some(6));
}

// ---- QIDS-SR16 ----------------------------------------------------------------------------

fn qids(values: [i32; 16]) -> scales::Scored {
    let a = values
        .iter()
        .enumerate()
        .map(|(i, v)| ((i + 1).to_string(), *v))
        .collect();
    scales::score("qids_sr16", &Entry::Items(a)).unwrap()
}

#[test]
fn qids_counts_only_the_highest_sleep_appetite_and_psychomotor_item() {
    // Sleep items all different: only the 3 counts; appetite/weight 0,2,1,1: only the 2;
    // psychomotor 2,3: only the 3. Plus item 5 (2) and items 10-14 (1 each = 5).
    let s = qids([3, 1, 2, 0, 2, 0, 2, 1, 1, 1, 1, 1, 1, 1, 2, 3]);
    let part = |id: &str| s.parts.iter().find(|p| p.id == id).unwrap().score;
    assert_eq!(part("sleep"), 3);
    assert_eq!(part("sad_mood"), 2);
    assert_eq!(part("appetite_weight"), 2);
    assert_eq!(part("psychomotor"), 3);
    assert_eq!(s.parts.len(), 9, "nine domains");
    assert_eq!(s.total, Some(3 + 2 + 2 + 5 + 3));
    assert_eq!(s.band.unwrap().id, "moderate");
    // A plain sum of the same answers would be 22; the rule gives 15.
    // The order within a domain does not matter.
    assert_eq!(
        qids([0, 2, 1, 3, 2, 1, 1, 0, 2, 1, 1, 1, 1, 1, 3, 2]).total,
        Some(15)
    );
    // All four sleep items at 3 still count 3 once; a single 1 on item 4 counts 1.
    assert_eq!(
        qids([3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).total,
        Some(3)
    );
    assert_eq!(
        qids([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).total,
        Some(1)
    );
}

#[test]
fn qids_extremes_and_band_edges() {
    assert_eq!(qids([0; 16]).total, Some(0));
    assert_eq!(qids([3; 16]).total, Some(27));
    assert_eq!(qids([3; 16]).band.unwrap().id, "very_severe");
    // Items 10-14 alone: 5 (none) and 6 (mild) either side of the first edge.
    let mut v = [0; 16];
    v[9..14].copy_from_slice(&[1, 1, 1, 1, 1]);
    assert_eq!(qids(v).band.unwrap().id, "none");
    v[4] = 1;
    assert_eq!(qids(v).band.unwrap().id, "mild");
    for (total, band) in [
        (10, "mild"),
        (11, "moderate"),
        (15, "moderate"),
        (16, "severe"),
        (20, "severe"),
        (21, "very_severe"),
    ] {
        assert_eq!(band_id("qids_sr16", Entry::Total(total)), band, "{total}");
    }
}

// ---- clinician / licensed scales entered as totals --------------------------------------

#[test]
fn every_total_of_the_total_only_scales_gets_the_reference_band() {
    let madrs = |t| match t {
        0..=6 => "normal",
        7..=19 => "mild",
        20..=34 => "moderate",
        _ => "severe",
    };
    let hamd = |t| match t {
        0..=7 => "none",
        8..=16 => "mild",
        17..=23 => "moderate",
        _ => "severe",
    };
    let bdi = |t| match t {
        0..=13 => "minimal",
        14..=19 => "mild",
        20..=28 => "moderate",
        _ => "severe",
    };
    for t in 0..=60 {
        assert_eq!(band_id("madrs", Entry::Total(t)), madrs(t), "MADRS {t}");
    }
    for t in 0..=52 {
        assert_eq!(band_id("hamd17", Entry::Total(t)), hamd(t), "HAM-D {t}");
    }
    for t in 0..=63 {
        assert_eq!(band_id("bdi2", Entry::Total(t)), bdi(t), "BDI-II {t}");
    }
    let hamd17 = scales::bundled().unwrap().get("hamd17").unwrap();
    let alt = &hamd17.alternative_bands[0];
    let edges: Vec<(i32, i32)> = alt.bands.iter().map(|b| (b.min, b.max)).collect();
    assert_eq!(edges, [(0, 7), (8, 13), (14, 19), (20, 25), (26, 52)]);
}

#[test]
fn cadss_is_a_score_without_bands() {
    for t in [0, 1, 46, 92] {
        let s = scales::score("cadss", &Entry::Total(t)).unwrap();
        assert_eq!(s.total, Some(t));
        assert!(s.band.is_none() && s.flags.is_empty());
    }
    let e = score_err("cadss", Entry::Total(93));
    assert!(
        matches!(
            e,
            ScoreError::TotalOutOfRange {
                value: 93,
                max: 92,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn answers_are_refused_for_a_total_only_instrument() {
    for id in ["madrs", "hamd17", "bdi2", "cadss"] {
        let e = score_err(id, Entry::Items(filled(10, 1, 3)));
        assert!(
            matches!(e, ScoreError::ItemsForTotalOnly { .. }),
            "{id}: {e:?}"
        );
        assert!(e.to_string().contains("total score only"), "{e}");
        assert!(e.to_validation().has("items"));
    }
}

#[test]
fn a_total_alone_leaves_the_item_safety_rules_unchecked_and_says_so() {
    let s = scales::score("bdi2", &Entry::Total(30)).unwrap();
    assert!(s.total_entered);
    assert_eq!(s.band.as_ref().unwrap().id, "severe");
    assert!(s.flags.is_empty());
    assert_eq!(s.unchecked_safety.len(), 1);
    assert_eq!(s.unchecked_safety[0].rule_id, "bdi2_item9");
    assert!(s.unchecked_safety[0].message.contains("ask about it"));
    let s = scales::score("phq9", &Entry::Total(3)).unwrap();
    assert_eq!(s.unchecked_safety[0].rule_id, "phq9_item9");
}

// ---- errors ---------------------------------------------------------------------------------

#[test]
fn a_missing_answer_names_the_question() {
    let mut a = filled(9, 3, 10);
    a.remove("4");
    let e = score_err("phq9", Entry::Items(a.clone()));
    assert_eq!(
        e.to_string(),
        "Answer question 4 (Feeling tired or having little energy)"
    );
    let v = e.to_validation();
    assert!(v.has("items.4"));
    assert_eq!(
        v.0.len(),
        1,
        "the optional difficulty question is not required"
    );

    a.remove("9");
    let e = score_err("phq9", Entry::Items(a));
    let ScoreError::Answers(problems) = &e else {
        panic!("{e:?}")
    };
    let missing: Vec<&str> = problems.iter().map(AnswerProblem::item).collect();
    assert_eq!(missing, ["4", "9"], "every missing question, in order");
    assert!(e
        .to_string()
        .contains("Answer question 9 (Thoughts that you would be better off dead"));

    // A long label is shortened, not dropped.
    let mut a = filled(9, 3, 10);
    a.remove("8");
    let msg = score_err("phq9", Entry::Items(a)).to_string();
    assert!(
        msg.starts_with("Answer question 8 (Moving or speaking so slowly") && msg.ends_with("…)"),
        "{msg}"
    );

    let e = score_err("qids_sr16", Entry::Items(BTreeMap::new()));
    let ScoreError::Answers(problems) = e else {
        panic!()
    };
    assert_eq!(problems.len(), 16);
}

#[test]
fn out_of_range_answers_and_totals_are_refused() {
    let mut a = filled(9, 3, 0);
    a.insert("3".into(), 4);
    a.insert("5".into(), -1);
    let e = score_err("phq9", Entry::Items(a));
    let text = e.to_string();
    assert!(text.contains("question 3 (Trouble falling or staying asleep, or sleeping too much) must be between 0 and 3; 4 is not a possible answer"), "{text}");
    assert!(text.contains("-1 is not a possible answer"), "{text}");
    assert!(e.to_validation().has("items.3") && e.to_validation().has("items.5"));

    for (id, bad) in [
        ("phq9", 28),
        ("phq9", -1),
        ("gad7", 22),
        ("qids_sr16", 28),
        ("madrs", 61),
        ("hamd17", 53),
        ("bdi2", 64),
    ] {
        let e = score_err(id, Entry::Total(bad));
        assert!(
            matches!(e, ScoreError::TotalOutOfRange { field: TotalField::Total, value, .. } if value == bad),
            "{id} {bad}"
        );
        assert!(e.to_validation().has("total"));
    }
    let e = score_err("phq9", Entry::Total(28));
    assert_eq!(
        e.to_string(),
        "A PHQ-9 total must be between 0 and 27; 28 is outside that range"
    );
}

#[test]
fn an_answer_to_a_question_the_instrument_does_not_have_is_refused() {
    let mut a = filled(7, 3, 5);
    a.insert("8".into(), 0);
    let e = score_err("gad7", Entry::Items(a));
    assert_eq!(e.to_string(), "The GAD-7 has no question 8");
}

#[test]
fn an_unknown_instrument_is_a_validation_error_naming_it() {
    let e = scales::score("phq-10", &Entry::Total(3)).unwrap_err();
    let CoreError::Validation(v) = &e else {
        panic!("{e:?}")
    };
    assert!(v.has("instrument"));
    assert!(e.to_string().contains("\"phq-10\""), "{e}");
    assert!(change("nope", 10, 5).is_err());
    assert!(matches!(
        scales::bundled().unwrap().instrument("nope"),
        Err(ScoreError::UnknownInstrument(_))
    ));
}

// ---- C-SSRS screener -----------------------------------------------------------------------

fn cssrs(pairs: &[(&str, i32)]) -> Result<scales::Scored, ScoreError> {
    let ins = scales::bundled().unwrap().get("cssrs_screener").unwrap();
    ins.score(&Entry::Items(answers(pairs)))
}

fn level(pairs: &[(&str, i32)]) -> RiskLevel {
    cssrs(pairs).unwrap().triage.unwrap().level
}

#[test]
fn cssrs_triage_follows_the_reference_for_each_branch() {
    let none = cssrs(&[("1", 0), ("2", 0), ("6", 0)]).unwrap();
    assert_eq!(none.total, None);
    assert!(none.band.is_none());
    assert_eq!(none.triage.as_ref().unwrap().level, RiskLevel::None);
    assert!(none.flags.is_empty());

    // Q1-2 yes → low (no alert).
    assert_eq!(level(&[("1", 1), ("2", 0), ("6", 0)]), RiskLevel::Low);
    assert_eq!(
        level(&[("1", 1), ("2", 1), ("3", 0), ("4", 0), ("5", 0), ("6", 0)]),
        RiskLevel::Low
    );
    assert!(cssrs(&[("1", 1), ("2", 0), ("6", 0)])
        .unwrap()
        .flags
        .is_empty());
    // Q3 → moderate.
    assert_eq!(
        level(&[("1", 1), ("2", 1), ("3", 1), ("4", 0), ("5", 0), ("6", 0)]),
        RiskLevel::Moderate
    );
    // Q4 or Q5 → high.
    assert_eq!(
        level(&[("1", 1), ("2", 1), ("3", 0), ("4", 1), ("5", 0), ("6", 0)]),
        RiskLevel::High
    );
    assert_eq!(
        level(&[("1", 0), ("2", 1), ("3", 0), ("4", 0), ("5", 1), ("6", 0)]),
        RiskLevel::High
    );
    // Q6 lifetime only → moderate; within the past 3 months → high.
    assert_eq!(
        level(&[("1", 0), ("2", 0), ("6", 1), ("6a", 0)]),
        RiskLevel::Moderate
    );
    assert_eq!(
        level(&[("1", 0), ("2", 0), ("6", 1), ("6a", 1)]),
        RiskLevel::High
    );
    // The highest level wins.
    assert_eq!(
        level(&[
            ("1", 1),
            ("2", 1),
            ("3", 1),
            ("4", 0),
            ("5", 0),
            ("6", 1),
            ("6a", 1)
        ]),
        RiskLevel::High
    );
}

#[test]
fn cssrs_moderate_and_high_raise_an_alert_flag() {
    let s = cssrs(&[("1", 1), ("2", 1), ("3", 1), ("4", 0), ("5", 0), ("6", 0)]).unwrap();
    let t = s.triage.as_ref().unwrap();
    assert!(t.alert && !t.verified);
    assert_eq!(s.flags.len(), 1);
    assert_eq!(s.flags[0].item, "3");
    assert!(
        s.flags[0].message.contains("moderate risk"),
        "{}",
        s.flags[0].message
    );
    let s = cssrs(&[("1", 0), ("2", 0), ("6", 1), ("6a", 1)]).unwrap();
    assert_eq!(s.flags[0].item, "6a");
    assert!(!s.flags[0].verified);
}

#[test]
fn cssrs_questions_3_to_5_are_required_after_a_yes_to_question_2() {
    let e = cssrs(&[("1", 1), ("2", 1), ("6", 0)]).unwrap_err();
    let ScoreError::Answers(p) = &e else {
        panic!("{e:?}")
    };
    let ids: Vec<&str> = p.iter().map(AnswerProblem::item).collect();
    assert_eq!(ids, ["3", "4", "5"]);
    assert!(e.to_string().starts_with("Answer question 3 ("), "{e}");
    // Question 6 is always asked; 6a after a yes to 6.
    let e = cssrs(&[("1", 0), ("2", 0)]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Answer question 6 (Suicidal behavior (lifetime))"
    );
    let e = cssrs(&[("1", 0), ("2", 0), ("6", 1)]).unwrap_err();
    assert!(e.to_string().starts_with("Answer question 6a ("), "{e}");
}

/// Decision: answers to questions that were not asked are refused (not ignored) — a "yes" to
/// question 4 beside a "no" to question 2 contradicts it, and dropping it could hide risk.
#[test]
fn cssrs_answers_to_questions_that_were_not_asked_are_refused() {
    let e = cssrs(&[("1", 0), ("2", 0), ("4", 1), ("6", 0)]).unwrap_err();
    let ScoreError::Answers(p) = &e else {
        panic!("{e:?}")
    };
    assert!(
        matches!(&p[0], AnswerProblem::NotAsked { item, depends_on, expected, .. } if item == "4" && depends_on == "2" && expected == "Yes")
    );
    assert!(
        e.to_string()
            .contains("is asked only when question 2 (Suicidal thoughts) is answered Yes"),
        "{e}"
    );
    assert!(e.to_validation().has("items.4"));
    // Even a "no" to a skipped question is refused: the form must not send hidden answers.
    assert!(cssrs(&[("1", 0), ("2", 0), ("3", 0), ("6", 0)]).is_err());
    let e = cssrs(&[("1", 0), ("2", 0), ("6", 0), ("6a", 1)]).unwrap_err();
    assert!(
        e.to_string().starts_with(
            "Question 6a (Suicidal behavior, past 3 months) is asked only when question 6"
        ),
        "{e}"
    );
}

#[test]
fn cssrs_answers_must_be_yes_or_no_and_there_is_no_total() {
    let e = cssrs(&[("1", 2), ("2", 0), ("6", 0)]).unwrap_err();
    assert!(
        e.to_string()
            .contains("must be 0 or 1; 2 is not a possible answer"),
        "{e}"
    );
    let e = score_err("cssrs_screener", Entry::Total(1));
    assert!(matches!(e, ScoreError::NoTotal { .. }));
    assert!(e.to_validation().has("total"));
}

#[test]
fn cssrs_branching_is_visible_to_the_form() {
    let ins = scales::bundled().unwrap().get("cssrs_screener").unwrap();
    let shown = |a: &[(&str, i32)]| {
        scales::asked(ins, &answers(a))
            .iter()
            .map(|i| i.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(shown(&[("2", 0)]), ["1", "2", "6"]);
    assert_eq!(
        shown(&[("2", 1), ("6", 1)]),
        ["1", "2", "3", "4", "5", "6", "6a"]
    );
    assert_eq!(ins.scoring.method, ScoringMethod::NoTotal);
}

// ---- response and remission ----------------------------------------------------------------

#[test]
fn exactly_50_percent_is_a_response() {
    let c = change("phq9", 20, 10).unwrap();
    assert_eq!(c.response, ResponseClass::Response);
    assert_eq!(c.reduction_percent, Some(50.0));
    assert_eq!(c.difference, -10);
    assert!(!c.worsened);
    let c = change("madrs", 30, 15).unwrap();
    assert_eq!(c.response, ResponseClass::Response);
    assert_eq!(
        change("hamd17", 17, 8).unwrap().response,
        ResponseClass::Response,
        "52.9 %"
    );
}

#[test]
fn just_under_50_percent_is_a_partial_response() {
    let c = change("madrs", 59, 30).unwrap();
    assert_eq!(c.response, ResponseClass::PartialResponse);
    let pct = c.reduction_percent.unwrap();
    assert!((49.0..50.0).contains(&pct), "{pct}");
    assert_eq!(
        change("phq9", 21, 11).unwrap().response,
        ResponseClass::PartialResponse,
        "47.6 %"
    );
}

#[test]
fn exactly_25_percent_is_partial_and_below_is_non_response() {
    let c = change("phq9", 20, 15).unwrap();
    assert_eq!(c.response, ResponseClass::PartialResponse);
    assert_eq!(c.reduction_percent, Some(25.0));
    assert!(!c.verified, "the partial band is KetaChart's default");
    assert_eq!(
        change("phq9", 21, 16).unwrap().response,
        ResponseClass::NonResponse,
        "23.8 %"
    );
    assert_eq!(
        change("phq9", 12, 12).unwrap().response,
        ResponseClass::NonResponse
    );
}

#[test]
fn a_higher_score_than_baseline_is_worsening() {
    let c = change("phq9", 10, 14).unwrap();
    assert_eq!(c.response, ResponseClass::NonResponse);
    assert!(c.worsened);
    assert_eq!(c.difference, 4);
    assert_eq!(c.reduction_percent, Some(-40.0));
}

#[test]
fn a_baseline_of_0_gives_no_percentage() {
    let c = change("phq9", 0, 0).unwrap();
    assert_eq!(c.response, ResponseClass::NotComputable);
    assert_eq!(c.response.label(), "Baseline 0: response not computable");
    assert_eq!(c.reduction_percent, None);
    assert!(!c.worsened);
    assert_eq!(c.remission, Some(true));
    let c = change("phq9", 0, 6).unwrap();
    assert_eq!(c.response, ResponseClass::NotComputable);
    assert!(c.worsened);
    assert_eq!(c.remission, Some(false));
}

#[test]
fn remission_uses_each_instruments_threshold() {
    let cases = [
        ("phq9", 4, true),
        ("phq9", 5, false),
        ("madrs", 10, true),
        ("madrs", 11, false),
        ("hamd17", 7, true),
        ("hamd17", 8, false),
        ("qids_sr16", 5, true),
        ("qids_sr16", 6, false),
        ("bdi2", 8, true),
        ("bdi2", 9, false),
    ];
    for (id, current, expected) in cases {
        let c = change(id, 25, current).unwrap();
        assert_eq!(c.remission, Some(expected), "{id} {current}");
    }
    assert_eq!(
        change("phq9", 20, 4).unwrap().remission_threshold,
        Some(Threshold::Below(5))
    );
    assert_eq!(
        change("madrs", 20, 4).unwrap().remission_threshold,
        Some(Threshold::AtMost(10))
    );
    let gad = change("gad7", 15, 4).unwrap();
    assert_eq!(
        gad.remission, None,
        "no GAD-7 remission threshold in the reference"
    );
    assert_eq!(gad.response, ResponseClass::Response);
}

#[test]
fn thresholds_are_data_not_constants() {
    let text = include_str!("../reference/instruments.v1.json");
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    let phq9 = v["instruments"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["id"] == "phq9")
        .unwrap();
    phq9["change"]["response"]["minReductionPercent"] = 60.into();
    phq9["change"]["partialResponse"]["minReductionPercent"] = 26.into();
    phq9["change"]["remission"]["threshold"] = serde_json::json!({"atMost": 5});
    let r = scales::parse(&v.to_string()).unwrap();
    let ins = r.get("phq9").unwrap();
    assert_eq!(
        classify(ins, 20, 10).unwrap().response,
        ResponseClass::PartialResponse
    );
    assert_eq!(
        classify(ins, 20, 8).unwrap().response,
        ResponseClass::Response
    );
    assert_eq!(
        classify(ins, 20, 15).unwrap().response,
        ResponseClass::NonResponse,
        "Cigna: 25 % is non-response"
    );
    assert_eq!(classify(ins, 20, 5).unwrap().remission, Some(true));
}

#[test]
fn change_totals_are_range_checked_and_named() {
    let e = change("phq9", 30, 10).unwrap_err();
    let CoreError::Validation(v) = &e else {
        panic!("{e:?}")
    };
    assert!(v.has("baseline"));
    assert!(
        e.to_string()
            .starts_with("The baseline PHQ-9 total must be between 0 and 27"),
        "{e}"
    );
    let e = change("phq9", 20, -2).unwrap_err();
    assert!(e.to_string().starts_with("The current PHQ-9 total"), "{e}");
    assert!(change("cadss", 30, 10)
        .unwrap_err()
        .to_string()
        .contains("not defined for the CADSS"));
}

#[test]
fn scored_administrations_compare_only_on_the_same_instrument() {
    let before = scales::score("phq9", &Entry::Items(filled(9, 3, 18))).unwrap();
    let after = scales::score("phq9", &Entry::Total(4)).unwrap();
    let c = compare(&before, &after).unwrap();
    assert_eq!(
        (c.baseline, c.current, c.response, c.remission),
        (18, 4, ResponseClass::Response, Some(true))
    );
    let gad = scales::score("gad7", &Entry::Total(4)).unwrap();
    let e = compare(&before, &gad).unwrap_err();
    assert!(
        e.to_string()
            .contains("a PHQ-9 score and the current one a GAD-7 score"),
        "{e}"
    );
    let screener = cssrs(&[("1", 0), ("2", 0), ("6", 0)]).unwrap();
    assert!(compare(&screener, &screener).is_err());
}
