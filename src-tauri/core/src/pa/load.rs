//! Reading a rule-set file: strict parsing (unknown fields refused), then the checks a schema
//! cannot express. Every problem names the line it is on, so a clinic editing a file in a text
//! editor can find it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::rules::{
    CoverageStatus, Provenance, RuleSet, RuleSetFile, TrialRule, FORMAT, SCHEMA_VERSION,
};
use crate::error::{CoreError, CoreResult};
use crate::scales;

const BUNDLED: &str = include_str!("../../reference/pa-rules.v1.json");

/// One thing wrong with a rule-set file, with the line (1-based) it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for RuleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The rule sets shipped with this build, parsed and checked once.
pub fn bundled() -> CoreResult<&'static [RuleSet]> {
    static SETS: OnceLock<Result<Vec<RuleSet>, Vec<RuleProblem>>> = OnceLock::new();
    SETS.get_or_init(|| parse(BUNDLED))
        .as_deref()
        .map_err(|_| CoreError::Crypto("the bundled payer rule sets are damaged"))
}

/// The bundled file's text (offered to clinics as the starting point for their own).
pub fn bundled_text() -> &'static str {
    BUNDLED
}

/// Parses and checks a rule-set file. All problems are reported, each with its line.
pub fn parse(text: &str) -> Result<Vec<RuleSet>, Vec<RuleProblem>> {
    let file: RuleSetFile = serde_json::from_str(text).map_err(|e| {
        vec![RuleProblem {
            line: e.line().max(1),
            message: plain_serde_message(&e),
        }]
    })?;
    // The same text again, keeping each rule set's raw slice so problems can name its line.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Spans<'a> {
        #[serde(borrow)]
        rule_sets: Vec<&'a RawValue>,
    }
    let spans: Spans<'_> = serde_json::from_str(text).map_err(|e| {
        vec![RuleProblem {
            line: e.line().max(1),
            message: plain_serde_message(&e),
        }]
    })?;
    let line_of = |raw: &RawValue, needle: &str| -> usize {
        let start = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        let offset = raw.get().find(needle).map_or(start, |i| start + i);
        text[..offset].matches('\n').count() + 1
    };

    let mut problems = Vec::new();
    if file.format != FORMAT {
        problems.push(RuleProblem {
            line: find_line(text, "\"format\""),
            message: format!("\"format\" must be \"{FORMAT}\""),
        });
    }
    if file.schema_version != SCHEMA_VERSION {
        problems.push(RuleProblem {
            line: find_line(text, "\"schemaVersion\""),
            message: format!(
                "schema version {} is not supported (this KetaChart reads version {SCHEMA_VERSION})",
                file.schema_version
            ),
        });
    }
    let instruments = scales::definition::bundled().ok();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (set, raw) in file.rule_sets.iter().zip(spans.rule_sets.iter()) {
        let mut p = |needle: &str, message: String| {
            problems.push(RuleProblem {
                line: line_of(raw, needle),
                message: format!("rule set \"{}\": {message}", set.id),
            })
        };
        check_rule_set(set, &file.sources, instruments, &mut p);
        let key = (set.id.clone(), set.version.clone());
        if let Some(first) = seen.insert(key, line_of(raw, "\"id\"")) {
            p(
                "\"version\"",
                format!(
                    "version \"{}\" appears twice (first on line {first})",
                    set.version
                ),
            );
        }
    }
    // Versions of one policy must not overlap in time.
    let mut by_id: BTreeMap<&str, Vec<(usize, NaiveDate, NaiveDate)>> = BTreeMap::new();
    for (set, raw) in file.rule_sets.iter().zip(spans.rule_sets.iter()) {
        if let Some((from, to)) = period(set) {
            by_id.entry(set.id.as_str()).or_default().push((
                line_of(raw, "\"effectiveFrom\""),
                from,
                to,
            ));
        }
    }
    for (id, mut v) in by_id {
        v.sort_by_key(|x| x.1);
        for w in v.windows(2) {
            if w[1].1 <= w[0].2 {
                problems.push(RuleProblem {
                    line: w[1].0,
                    message: format!(
                        "rule set \"{id}\": this version starts before the version on line {} ends; versions of one policy must not overlap",
                        w[0].0
                    ),
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(file.rule_sets)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

fn find_line(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(1, |i| text[..i].matches('\n').count() + 1)
}

/// serde's message without its trailing " at line L column C" (the line is reported apart).
fn plain_serde_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The first and last day a rule set applies (open-ended = far future).
pub fn period(set: &RuleSet) -> Option<(NaiveDate, NaiveDate)> {
    let from = parse_date(&set.effective_from)?;
    let to = match &set.effective_to {
        Some(t) => parse_date(t)?,
        None => NaiveDate::MAX,
    };
    Some((from, to))
}

const PSYCHOTHERAPY_MODALITIES: [&str; 6] = [
    "cbt",
    "ipt",
    "behavioural_activation",
    "psychodynamic",
    "dbt",
    "other",
];

fn check_rule_set(
    set: &RuleSet,
    sources: &BTreeMap<String, String>,
    instruments: Option<&scales::definition::InstrumentReference>,
    p: &mut impl FnMut(&str, String),
) {
    let id_ok = !set.id.is_empty()
        && set
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        p(
            "\"id\"",
            "the id must be lower-case letters, digits and dashes".into(),
        );
    }
    for (field, v) in [
        ("version", &set.version),
        ("payer", &set.payer),
        ("policy", &set.policy),
    ] {
        if v.trim().is_empty() {
            p(&format!("\"{field}\""), format!("\"{field}\" is empty"));
        }
    }
    let from = parse_date(&set.effective_from);
    if from.is_none() {
        p(
            "\"effectiveFrom\"",
            format!(
                "\"effectiveFrom\" \"{}\" is not a date (YYYY-MM-DD)",
                set.effective_from
            ),
        );
    }
    if let Some(to) = &set.effective_to {
        match parse_date(to) {
            None => p(
                "\"effectiveTo\"",
                format!("\"effectiveTo\" \"{to}\" is not a date (YYYY-MM-DD)"),
            ),
            Some(t) if from.is_some_and(|f| t < f) => p(
                "\"effectiveTo\"",
                "\"effectiveTo\" is before \"effectiveFrom\"".into(),
            ),
            _ => {}
        }
    }
    if set.sources.is_empty() {
        p("\"sources\"", "cite at least one source".into());
    }
    let cite = |needle: &str, tags: &[String], p: &mut dyn FnMut(&str, String)| {
        for t in tags {
            if !sources.contains_key(t) {
                p(
                    needle,
                    format!("source \"{t}\" is not in the file's \"sources\""),
                );
            }
        }
    };
    cite("\"sources\"", &set.sources, p);
    if set.coverage == CoverageStatus::NotCovered
        && set
            .not_covered_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        p(
            "\"coverage\"",
            "a service that is not covered needs a \"notCoveredReason\"".into(),
        );
    }
    let c = &set.criteria;
    let provenances: [(&str, Option<&Provenance>); 13] = [
        ("\"age\"", c.age.as_ref().map(|r| &r.provenance)),
        (
            "\"prescriber\"",
            c.prescriber.as_ref().map(|r| &r.provenance),
        ),
        ("\"diagnosis\"", c.diagnosis.as_ref().map(|r| &r.provenance)),
        ("\"episode\"", c.episode.as_ref().map(|r| &r.provenance)),
        ("\"psychosis\"", c.psychosis.as_ref().map(|r| &r.provenance)),
        (
            "\"substanceUse\"",
            c.substance_use.as_ref().map(|r| &r.provenance),
        ),
        (
            "\"baselineScore\"",
            c.baseline_score.as_ref().map(|r| &r.provenance),
        ),
        (
            "\"suicidalIdeation\"",
            c.suicidal_ideation.as_ref().map(|r| &r.provenance),
        ),
        (
            "\"contraindications\"",
            c.contraindications.as_ref().map(|r| &r.provenance),
        ),
        (
            "\"concomitantOralAntidepressant\"",
            c.concomitant_oral_antidepressant
                .as_ref()
                .map(|r| &r.provenance),
        ),
        ("\"rems\"", c.rems.as_ref().map(|r| &r.provenance)),
        ("\"pdmp\"", c.pdmp.as_ref().map(|r| &r.provenance)),
        ("\"pregnancy\"", c.pregnancy.as_ref().map(|r| &r.provenance)),
    ];
    for (needle, prov) in provenances {
        if let Some(prov) = prov {
            cite(needle, &prov.sources, p);
        }
    }
    if let Some(a) = &c.age {
        if a.min.is_none() && a.under.is_none() {
            p("\"age\"", "an age rule needs \"min\" or \"under\"".into());
        }
        if let (Some(min), Some(under)) = (a.min, a.under) {
            if under <= min {
                p(
                    "\"age\"",
                    format!("\"under\" ({under}) must be above \"min\" ({min})"),
                );
            }
        }
    }
    if let Some(pr) = &c.prescriber {
        if pr.allowed.is_empty() {
            p(
                "\"prescriber\"",
                "\"allowed\" lists no prescriber type".into(),
            );
        }
    }
    if let Some(d) = &c.diagnosis {
        for code in d.include.iter().chain(&d.exclude) {
            if !icd10_pattern(code) {
                p(
                    "\"diagnosis\"",
                    format!("\"{code}\" is not an ICD-10-CM code or prefix (like F33.1 or F31*)"),
                );
            }
        }
        if d.include.is_empty() && d.exclude.is_empty() {
            p("\"diagnosis\"", "the diagnosis rule lists no codes".into());
        }
    }
    if let Some(b) = &c.baseline_score {
        for t in &b.any_of {
            match instruments.and_then(|r| r.get(&t.instrument)) {
                None => p(
                    "\"baselineScore\"",
                    format!("\"{}\" is not a rating scale KetaChart knows", t.instrument),
                ),
                Some(i) => {
                    if let Some(range) = &i.total {
                        if t.at_least < range.min || t.at_least > range.max {
                            p(
                                "\"baselineScore\"",
                                format!(
                                    "{} threshold {} is outside its range {}-{}",
                                    i.short_name, t.at_least, range.min, range.max
                                ),
                            );
                        }
                    } else {
                        p(
                            "\"baselineScore\"",
                            format!("{} has no total score", i.short_name),
                        );
                    }
                }
            }
        }
    }
    let mut ids = BTreeSet::new();
    for pw in &set.pathways {
        if !ids.insert(pw.id.as_str()) {
            p(
                &format!("\"{}\"", pw.id),
                format!("pathway \"{}\" appears twice", pw.id),
            );
        }
        if pw.antidepressant_trials.is_none()
            && pw.augmentation_trials.is_none()
            && pw.psychotherapy.is_none()
        {
            p(
                &format!("\"{}\"", pw.id),
                format!("pathway \"{}\" has no requirement", pw.id),
            );
        }
        for t in [&pw.antidepressant_trials, &pw.augmentation_trials]
            .into_iter()
            .flatten()
        {
            check_trial_rule(t, &pw.id, p);
            cite("\"pathways\"", &t.provenance.sources, p);
        }
        if let Some(ps) = &pw.psychotherapy {
            for m in &ps.modalities {
                if !PSYCHOTHERAPY_MODALITIES.contains(&m.as_str()) {
                    p(
                        &format!("\"{m}\""),
                        format!(
                            "psychotherapy modality \"{m}\" is not one of {}",
                            PSYCHOTHERAPY_MODALITIES.join(", ")
                        ),
                    );
                }
            }
            cite("\"pathways\"", &ps.provenance.sources, p);
        }
    }
}

fn check_trial_rule(t: &TrialRule, pathway: &str, p: &mut impl FnMut(&str, String)) {
    let needle = "\"minTrials\"";
    if t.min_trials == 0 {
        p(
            needle,
            format!("pathway \"{pathway}\": \"minTrials\" must be at least 1"),
        );
    }
    if t.distinct_classes > t.min_trials {
        p(
            needle,
            format!(
                "pathway \"{pathway}\": {} distinct classes cannot come from {} trials",
                t.distinct_classes, t.min_trials
            ),
        );
    }
    if t.min_weeks > 52 {
        p(
            "\"minWeeks\"",
            format!(
                "pathway \"{pathway}\": {} weeks is more than a year",
                t.min_weeks
            ),
        );
    }
    if t.min_adherence_percent.is_some_and(|a| a > 100) {
        p(
            "\"minAdherencePercent\"",
            format!("pathway \"{pathway}\": adherence is a percentage (0-100)"),
        );
    }
    if t.non_response_max_improvement_percent
        .is_some_and(|x| !(0.0..=100.0).contains(&x))
    {
        p(
            "\"nonResponseMaxImprovementPercent\"",
            format!("pathway \"{pathway}\": improvement is a percentage (0-100)"),
        );
    }
}

/// `F33.1`, `F32.A`, `R45.851`, or a prefix ending in `*`.
fn icd10_pattern(code: &str) -> bool {
    let c = code.strip_suffix('*').unwrap_or(code);
    let b = c.as_bytes();
    if b.len() < 3 || !b[0].is_ascii_uppercase() || !b[1].is_ascii_digit() {
        return false;
    }
    if !(b[2].is_ascii_digit() || b[2].is_ascii_uppercase()) {
        return false;
    }
    match c.get(3..) {
        Some("") => true,
        Some(rest) => {
            rest.starts_with('.')
                && rest.len() >= 2
                && rest.len() <= 5
                && rest[1..]
                    .chars()
                    .all(|ch| ch.is_ascii_digit() || ch.is_ascii_uppercase())
        }
        None => false,
    }
}

/// Whether `code` is matched by a rule entry (exact, or prefix with `*`).
pub fn code_matches(entry: &str, code: &str) -> bool {
    match entry.strip_suffix('*') {
        Some(prefix) => code.starts_with(prefix),
        None => entry == code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_prefixes() {
        assert!(icd10_pattern("F33.1"));
        assert!(icd10_pattern("F31*"));
        assert!(icd10_pattern("F32.A"));
        assert!(icd10_pattern("R45.851"));
        assert!(!icd10_pattern("f33.1"));
        assert!(!icd10_pattern("F3"));
        assert!(!icd10_pattern("F33-1"));
        assert!(code_matches("F31*", "F31.4"));
        assert!(!code_matches("F31*", "F33.1"));
        assert!(code_matches("F33.1", "F33.1"));
        assert!(!code_matches("F33.1", "F33.10"));
    }
}
