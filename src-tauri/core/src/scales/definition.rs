//! Typed form of the rating-scale reference shipped with the app
//! (`reference/instruments.v1.json`), checked once when first loaded.
//!
//! Everything clinical in it comes from the KetaChart domain reference
//! (`interventional-psychiatry.md` §3.1 instruments, §3.2 response/remission, §3.3 licensing,
//! §6.5 LOINC), and every value cites the source ids listed in the file's `sources` (the
//! reference's own `[Sn]` tags, plus `REF` for a statement the reference makes without a tag and
//! `KC` for what KetaChart added). `verified: false` marks what the reference calls UNVERIFIED or
//! asks to verify, and everything under `KC`: the UI shows it as "requires clinical review" and the
//! clinic may change it. A LOINC code the reference does not give is `None`, never guessed.
//!
//! The checks at load ([`parse`]) make the scoring code's assumptions true: severity bands are
//! contiguous and cover the whole total range, a computed total's parts add up to exactly the
//! declared range, every cited source and referenced item exists, and so on.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{CoreError, CoreResult};

const BUNDLED: &str = include_str!("../../reference/instruments.v1.json");
pub const FORMAT: &str = "ketachart-instrument-reference";

/// One source as the domain reference lists it (§9).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    /// The address as the reference gives it (without a scheme), when it gives one.
    pub url: Option<String>,
    /// False for KetaChart's own entry (`KC`), which is not a source in the domain reference.
    pub in_reference: bool,
}

/// A code (LOINC) with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Coded {
    pub code: String,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnswerOption {
    /// The points this answer scores (for yes/no questions: 0 = no, 1 = yes).
    pub value: i32,
    pub label: String,
    /// LOINC answer code, where the reference gives one.
    pub loinc: Option<Coded>,
}

/// The possible answers shared by several questions (e.g. the PHQ frequency scale).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnswerSet {
    /// In ascending order of value; values are unique.
    pub options: Vec<AnswerOption>,
    pub sources: Vec<String>,
    pub verified: bool,
}

impl AnswerSet {
    pub fn min(&self) -> i32 {
        self.options.first().map_or(0, |o| o.value)
    }

    pub fn max(&self) -> i32 {
        self.options.last().map_or(0, |o| o.value)
    }

    pub fn option(&self, value: i32) -> Option<&AnswerOption> {
        self.options.iter().find(|o| o.value == value)
    }

    /// "between 0 and 3" or "0, 2 or 4": what a person may answer.
    pub fn allowed_text(&self) -> String {
        let values: Vec<i32> = self.options.iter().map(|o| o.value).collect();
        let contiguous = values.windows(2).all(|w| w[1] == w[0] + 1);
        match values.as_slice() {
            [] => "nothing".into(),
            [one] => one.to_string(),
            [a, b] => format!("{a} or {b}"),
            _ if contiguous => format!("between {} and {}", self.min(), self.max()),
            [init @ .., last] => format!(
                "{} or {last}",
                init.iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// How the app's form records the instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EntryMode {
    /// Each question is answered in the app (PHQ-9, GAD-7, QIDS-SR16, C-SSRS screener).
    Items,
    /// Only the total is entered (MADRS, HAM-D-17, BDI-II, CADSS: licensed or unverified text).
    Total,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Rater {
    #[serde(rename = "self")]
    SelfReport,
    Clinician,
    ClinicianOrSelf,
}

/// Whether the item wording may be shown as published (§3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ItemText {
    /// The labels are the published wording (PHQ-9, GAD-7).
    Full,
    /// The labels are short neutral names; the clinic may paste its licensed text.
    Neutral,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Licence {
    pub item_text: ItemText,
    pub note: String,
    pub sources: Vec<String>,
    pub verified: bool,
}

/// "This question is asked only when question `item` was answered `equals`."
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    pub item: String,
    pub equals: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Item {
    /// The question number as printed ("1", "6a"); the key of an answer.
    pub id: String,
    /// Full wording where the licence allows it, otherwise a short neutral label.
    pub label: String,
    /// Key into the file's answer sets; resolved into [`Item::answers`] at load.
    pub answer_set: String,
    /// Counts towards the total (the PHQ-9 difficulty question does not).
    pub scored: bool,
    /// Must be answered whenever it is asked.
    pub required: bool,
    /// Asked only when an earlier question has a given answer (C-SSRS branching).
    pub asked_if: Option<Condition>,
    pub loinc: Option<Coded>,
    pub sources: Vec<String>,
    /// False when the label, or which answers the item takes, is not from the reference.
    pub verified: bool,
    /// The answer set named by `answer_set`, filled in at load.
    #[serde(skip)]
    pub answers: AnswerSet,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TotalRange {
    pub min: i32,
    pub max: i32,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ScoringMethod {
    /// The app adds up the parts from the item answers.
    Computed,
    /// The rater enters the total; the app checks its range.
    EnteredTotal,
    /// There is no total (C-SSRS screener): the answers give a triage level.
    NoTotal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Combine {
    /// The part scores the sum of its items.
    Sum,
    /// The part scores its highest item (QIDS-SR16 sleep, appetite/weight, psychomotor).
    Max,
}

/// A part of a computed total: a symptom domain, or a plain run of items.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Part {
    pub id: String,
    pub label: String,
    pub combine: Combine,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scoring {
    pub method: ScoringMethod,
    pub description: String,
    /// For [`ScoringMethod::Computed`]: the total is the sum of the parts. Empty otherwise.
    pub parts: Vec<Part>,
    pub sources: Vec<String>,
    pub verified: bool,
}

/// A sum over a few items reported beside the total (PHQ-2 = PHQ-9 items 1 + 2).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subscore {
    pub id: String,
    pub name: String,
    pub items: Vec<String>,
    pub loinc: Option<Coded>,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Band {
    pub id: String,
    pub label: String,
    /// Inclusive.
    pub min: i32,
    /// Inclusive.
    pub max: i32,
}

/// Severity bands; checked at load to be contiguous and to cover the total range exactly.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BandSet {
    pub id: String,
    pub name: String,
    pub sources: Vec<String>,
    pub verified: bool,
    pub bands: Vec<Band>,
}

impl BandSet {
    /// The band holding `total`, if `total` is within the covered range.
    pub fn band_for(&self, total: i32) -> Option<&Band> {
        self.bands.iter().find(|b| b.min <= total && total <= b.max)
    }
}

/// "Question `item` answered `at_least` or more raises a safety flag" (PHQ-9 item 9 > 0).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SafetyRule {
    pub id: String,
    pub item: String,
    pub at_least: i32,
    pub message: String,
    /// The instrument to give next (the C-SSRS screener).
    pub follow_up: Option<String>,
    pub sources: Vec<String>,
    pub verified: bool,
}

/// C-SSRS screener triage level, lowest first (so the highest matching level is the `max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RiskLevel {
    /// No question answered yes.
    None,
    Low,
    Moderate,
    High,
}

impl RiskLevel {
    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::None => "No risk identified",
            RiskLevel::Low => "Low risk",
            RiskLevel::Moderate => "Moderate risk",
            RiskLevel::High => "High risk",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriageRule {
    pub item: String,
    pub equals: i32,
    pub level: RiskLevel,
}

/// The screener's triage mapping (see `cssrs.rs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriageRules {
    pub rules: Vec<TriageRule>,
    /// A level at or above this raises a safety flag.
    pub alert_from: RiskLevel,
    pub note: String,
    pub sources: Vec<String>,
    pub verified: bool,
}

/// A percentage reduction from baseline at or above which a class applies.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReductionRule {
    pub min_reduction_percent: u32,
    #[serde(default)]
    pub note: Option<String>,
    pub sources: Vec<String>,
    pub verified: bool,
}

/// A remission cut-off on the current total, in the reference's own words: "< 5" or "≤ 10".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Threshold {
    Below(i32),
    AtMost(i32),
}

impl Threshold {
    pub fn is_met(self, total: i32) -> bool {
        match self {
            Threshold::Below(v) => total < v,
            Threshold::AtMost(v) => total <= v,
        }
    }

    /// "below 5" / "10 or less".
    pub fn text(self) -> String {
        match self {
            Threshold::Below(v) => format!("below {v}"),
            Threshold::AtMost(v) => format!("{v} or less"),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RemissionRule {
    pub threshold: Threshold,
    pub note: Option<String>,
    pub sources: Vec<String>,
    pub verified: bool,
}

/// Response / remission definitions (§3.2), per instrument and configurable.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangeRules {
    pub response: ReductionRule,
    pub partial_response: ReductionRule,
    /// `None` where the reference gives no remission threshold (GAD-7).
    pub remission: Option<RemissionRule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstrumentLoinc {
    pub panel: Option<Coded>,
    /// `None` where the reference confirms no code (e.g. the MADRS total).
    pub total: Option<Coded>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Instrument {
    /// Stable key, e.g. `phq9`, `cssrs_screener`.
    pub id: String,
    pub name: String,
    /// As shown in tables: "PHQ-9".
    pub short_name: String,
    pub rater: Rater,
    pub recall_period: Option<String>,
    pub entry_mode: EntryMode,
    /// The question stem, where the wording may be shown in full.
    pub stem: Option<String>,
    pub licence: Licence,
    pub items: Vec<Item>,
    /// `None` when the instrument has no total (C-SSRS screener).
    pub total: Option<TotalRange>,
    pub scoring: Scoring,
    pub subscores: Vec<Subscore>,
    /// `None` when there are no standard bands (CADSS, C-SSRS screener).
    pub bands: Option<BandSet>,
    /// Other published band sets, for a clinic that prefers them.
    pub alternative_bands: Vec<BandSet>,
    pub safety: Vec<SafetyRule>,
    pub triage: Option<TriageRules>,
    /// `None` where response/remission are not defined (CADSS, C-SSRS screener).
    pub change: Option<ChangeRules>,
    pub loinc: InstrumentLoinc,
    pub note: String,
}

impl Instrument {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The default severity band for a total, if the instrument has bands.
    pub fn band_for(&self, total: i32) -> Option<&Band> {
        self.bands.as_ref().and_then(|b| b.band_for(total))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstrumentReference {
    pub format: String,
    pub version: u32,
    pub published: String,
    pub requires_clinical_review: bool,
    pub about: String,
    pub sources: Vec<Source>,
    pub answer_sets: BTreeMap<String, AnswerSet>,
    pub instruments: Vec<Instrument>,
}

impl InstrumentReference {
    pub fn get(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}

/// The reference shipped with this build, parsed and checked once.
pub fn bundled() -> CoreResult<&'static InstrumentReference> {
    static REF: OnceLock<Result<InstrumentReference, String>> = OnceLock::new();
    REF.get_or_init(|| parse(BUNDLED))
        .as_ref()
        .map_err(|_| CoreError::Crypto("the bundled rating-scale reference is damaged"))
}

/// Parses and checks an instrument reference (the bundled one, or a clinic's edited copy).
/// The error says where and why, for the person maintaining the file.
pub fn parse(text: &str) -> Result<InstrumentReference, String> {
    let mut r: InstrumentReference = serde_json::from_str(text).map_err(|e| {
        format!(
            "the rating-scale reference is not valid (line {}, column {}): {e}",
            e.line(),
            e.column()
        )
    })?;
    if r.format != FORMAT {
        return Err("the rating-scale reference has the wrong format tag".into());
    }
    let mut source_ids = HashSet::new();
    for s in &r.sources {
        if !source_ids.insert(s.id.as_str()) {
            return Err(format!("source {} is listed twice", s.id));
        }
    }
    let cites = |what: &str, sources: &[String]| -> Result<(), String> {
        if sources.is_empty() {
            return Err(format!("{what} cites no source"));
        }
        match sources.iter().find(|s| !source_ids.contains(s.as_str())) {
            Some(s) => Err(format!("{what} cites source {s}, which is not listed")),
            None => Ok(()),
        }
    };
    for (id, set) in &r.answer_sets {
        let what = format!("answer set {id}");
        cites(&what, &set.sources)?;
        if set.options.is_empty() {
            return Err(format!("{what} has no options"));
        }
        if set.options.first().is_some_and(|o| o.value < 0) {
            return Err(format!("{what} has a negative value"));
        }
        if set.options.windows(2).any(|w| w[1].value <= w[0].value) {
            return Err(format!("{what}: values must be unique and ascending"));
        }
        for o in &set.options {
            if let Some(c) = &o.loinc {
                cites(&format!("{what} option {}", o.value), &c.sources)?;
            }
        }
    }
    let ids: Vec<String> = r.instruments.iter().map(|i| i.id.clone()).collect();
    let mut seen = HashSet::new();
    for id in &ids {
        if !seen.insert(id.as_str()) {
            return Err(format!("instrument {id} is listed twice"));
        }
    }
    for ins in &mut r.instruments {
        for item in &mut ins.items {
            item.answers = r
                .answer_sets
                .get(&item.answer_set)
                .cloned()
                .ok_or_else(|| {
                    format!(
                        "{} question {}: there is no answer set {}",
                        ins.id, item.id, item.answer_set
                    )
                })?;
        }
        check_instrument(ins, &ids, &cites).map_err(|e| format!("{}: {e}", ins.id))?;
    }
    Ok(r)
}

type Cites<'a> = dyn Fn(&str, &[String]) -> Result<(), String> + 'a;

fn check_instrument(ins: &Instrument, ids: &[String], cites: &Cites) -> Result<(), String> {
    cites("the licence note", &ins.licence.sources)?;
    cites("the scoring rule", &ins.scoring.sources)?;
    if let Some(c) = &ins.loinc.panel {
        cites("the panel code", &c.sources)?;
    }
    if let Some(c) = &ins.loinc.total {
        cites("the total code", &c.sources)?;
    }

    let mut item_ids = HashSet::new();
    for (pos, item) in ins.items.iter().enumerate() {
        let what = format!("question {}", item.id);
        if item.id.trim().is_empty() || item.label.trim().is_empty() {
            return Err(format!("question {} needs an id and a label", pos + 1));
        }
        if !item_ids.insert(item.id.as_str()) {
            return Err(format!("{what} is listed twice"));
        }
        cites(&what, &item.sources)?;
        if let Some(c) = &item.loinc {
            cites(&format!("{what} code"), &c.sources)?;
        }
        if let Some(cond) = &item.asked_if {
            // Only an earlier question can decide whether this one is asked.
            let earlier = ins.items[..pos].iter().find(|i| i.id == cond.item);
            match earlier {
                None => {
                    return Err(format!(
                        "{what} depends on {}, which is not an earlier question",
                        cond.item
                    ))
                }
                Some(e) if e.answers.option(cond.equals).is_none() => {
                    return Err(format!(
                        "{what} depends on an answer question {} cannot have",
                        cond.item
                    ))
                }
                Some(_) => {}
            }
        }
    }
    let find = |id: &str, what: &str| {
        ins.item(id)
            .ok_or_else(|| format!("{what} refers to question {id}, which does not exist"))
    };

    // Total range and scoring method agree with each other and with the entry mode.
    match (ins.scoring.method, &ins.total) {
        (ScoringMethod::NoTotal, None) => {
            if ins.bands.is_some() || !ins.alternative_bands.is_empty() || ins.change.is_some() {
                return Err("without a total there can be no bands or response rules".into());
            }
            if !ins.subscores.is_empty() {
                return Err("without a total there can be no subscores".into());
            }
        }
        (ScoringMethod::NoTotal, Some(_)) => {
            return Err("a total range is given but the scoring has no total".into())
        }
        (_, None) => return Err("the total range is missing".into()),
        (_, Some(t)) => {
            cites("the total range", &t.sources)?;
            if t.min < 0 || t.min > t.max {
                return Err(format!("the total range {}-{} is not valid", t.min, t.max));
            }
        }
    }
    match (ins.entry_mode, ins.scoring.method) {
        (EntryMode::Items, ScoringMethod::Computed | ScoringMethod::NoTotal)
        | (EntryMode::Total, ScoringMethod::EnteredTotal) => {}
        _ => return Err("the entry mode does not fit the scoring method".into()),
    }
    if ins.scoring.method == ScoringMethod::Computed {
        if ins.items.iter().any(|i| i.asked_if.is_some()) {
            return Err("a computed total cannot have questions that are sometimes skipped".into());
        }
        if ins.scoring.parts.is_empty() {
            return Err("a computed total needs parts".into());
        }
        let mut in_parts = BTreeSet::new();
        let (mut lo, mut hi) = (0, 0);
        let mut part_ids = HashSet::new();
        for p in &ins.scoring.parts {
            if !part_ids.insert(p.id.as_str()) {
                return Err(format!("part {} is listed twice", p.id));
            }
            if p.items.is_empty() {
                return Err(format!("part {} has no questions", p.id));
            }
            let mut p_lo = Vec::new();
            let mut p_hi = Vec::new();
            for id in &p.items {
                let item = find(id, &format!("part {}", p.id))?;
                if !item.scored {
                    return Err(format!(
                        "part {} counts question {id}, which is not scored",
                        p.id
                    ));
                }
                if !item.required {
                    return Err(format!(
                        "part {} counts question {id}, which is optional",
                        p.id
                    ));
                }
                if !in_parts.insert(id.as_str()) {
                    return Err(format!("question {id} is counted twice"));
                }
                p_lo.push(item.answers.min());
                p_hi.push(item.answers.max());
            }
            match p.combine {
                Combine::Sum => {
                    lo += p_lo.iter().sum::<i32>();
                    hi += p_hi.iter().sum::<i32>();
                }
                Combine::Max => {
                    lo += p_lo.iter().copied().max().unwrap_or(0);
                    hi += p_hi.iter().copied().max().unwrap_or(0);
                }
            }
        }
        if let Some(i) = ins
            .items
            .iter()
            .find(|i| i.scored && !in_parts.contains(i.id.as_str()))
        {
            return Err(format!("question {} is scored but in no part", i.id));
        }
        if let Some(t) = &ins.total {
            if (lo, hi) != (t.min, t.max) {
                return Err(format!(
                    "the parts add up to {lo}-{hi}, but the total range is {}-{}",
                    t.min, t.max
                ));
            }
        }
    } else {
        if !ins.scoring.parts.is_empty() {
            return Err("only a computed total has parts".into());
        }
        if ins.scoring.method == ScoringMethod::EnteredTotal && !ins.items.is_empty() {
            // The items are not entered, but their ranges must still add up to the total's.
            let scored = ins.items.iter().filter(|i| i.scored);
            let lo: i32 = scored.clone().map(|i| i.answers.min()).sum();
            let hi: i32 = scored.map(|i| i.answers.max()).sum();
            if let Some(t) = &ins.total {
                if (lo, hi) != (t.min, t.max) {
                    return Err(format!(
                        "the questions add up to {lo}-{hi}, but the total range is {}-{}",
                        t.min, t.max
                    ));
                }
            }
        }
    }

    for s in &ins.subscores {
        let what = format!("subscore {}", s.id);
        cites(&what, &s.sources)?;
        if let Some(c) = &s.loinc {
            cites(&format!("{what} code"), &c.sources)?;
        }
        if s.items.is_empty() {
            return Err(format!("{what} has no questions"));
        }
        for id in &s.items {
            if !find(id, &what)?.scored {
                return Err(format!("{what} counts question {id}, which is not scored"));
            }
        }
    }

    let mut band_sets = ins.bands.iter().chain(&ins.alternative_bands);
    if let Some(t) = &ins.total {
        band_sets.try_for_each(|set| check_bands(set, t, cites))?;
    }

    for rule in &ins.safety {
        let what = format!("safety rule {}", rule.id);
        cites(&what, &rule.sources)?;
        let item = find(&rule.item, &what)?;
        if rule.at_least <= item.answers.min() || rule.at_least > item.answers.max() {
            return Err(format!(
                "{what}: {} is not a threshold question {} can cross",
                rule.at_least, item.id
            ));
        }
        if let Some(f) = &rule.follow_up {
            if !ids.contains(f) {
                return Err(format!(
                    "{what} follows up with {f}, which is not an instrument"
                ));
            }
        }
    }

    if let Some(t) = &ins.triage {
        cites("the triage rules", &t.sources)?;
        if t.rules.is_empty() {
            return Err("the triage has no rules".into());
        }
        for rule in &t.rules {
            let item = find(&rule.item, "a triage rule")?;
            if item.answers.option(rule.equals).is_none() {
                return Err(format!(
                    "a triage rule expects an answer question {} cannot have",
                    rule.item
                ));
            }
            if rule.level == RiskLevel::None {
                return Err("a triage rule must raise the level".into());
            }
        }
    }

    if let Some(c) = &ins.change {
        cites("the response rule", &c.response.sources)?;
        cites("the partial-response rule", &c.partial_response.sources)?;
        let (r, p) = (
            c.response.min_reduction_percent,
            c.partial_response.min_reduction_percent,
        );
        if !(0 < p && p < r && r <= 100) {
            return Err(format!(
                "response ({r}%) must be above partial response ({p}%), within 1-100%"
            ));
        }
        if let (Some(rem), Some(t)) = (&c.remission, &ins.total) {
            cites("the remission rule", &rem.sources)?;
            let v = match rem.threshold {
                Threshold::Below(v) | Threshold::AtMost(v) => v,
            };
            if v < t.min || v > t.max {
                return Err("the remission threshold is outside the total range".into());
            }
        }
    }
    Ok(())
}

/// Bands must be non-empty, in order, contiguous, and cover the total range exactly.
fn check_bands(set: &BandSet, total: &TotalRange, cites: &Cites) -> Result<(), String> {
    let what = format!("band set {}", set.id);
    cites(&what, &set.sources)?;
    let (Some(first), Some(last)) = (set.bands.first(), set.bands.last()) else {
        return Err(format!("{what} has no bands"));
    };
    if first.min != total.min || last.max != total.max {
        return Err(format!(
            "{what} covers {}-{}, but the total range is {}-{}",
            first.min, last.max, total.min, total.max
        ));
    }
    let mut ids = HashSet::new();
    for b in &set.bands {
        if b.min > b.max {
            return Err(format!("{what}: band {} runs backwards", b.id));
        }
        if !ids.insert(b.id.as_str()) {
            return Err(format!("{what}: band {} is listed twice", b.id));
        }
    }
    if let Some(w) = set.bands.windows(2).find(|w| w[1].min != w[0].max + 1) {
        return Err(format!(
            "{what}: band {} ends at {} but band {} starts at {} (gap or overlap)",
            w[0].id, w[0].max, w[1].id, w[1].min
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broken(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut v: serde_json::Value = serde_json::from_str(BUNDLED).unwrap();
        edit(&mut v);
        parse(&v.to_string()).unwrap_err()
    }

    fn instrument<'a>(v: &'a mut serde_json::Value, id: &str) -> &'a mut serde_json::Value {
        v["instruments"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|i| i["id"] == id)
            .unwrap()
    }

    #[test]
    fn the_bundled_reference_loads_with_resolved_answer_sets() {
        let r = bundled().unwrap();
        assert_eq!(r.instruments.len(), 8);
        let phq9 = r.get("phq9").unwrap();
        assert_eq!(phq9.item("9").unwrap().answers.max(), 3);
        assert_eq!(
            phq9.item("10").unwrap().answers.options[0].label,
            "Not difficult at all"
        );
        assert!(r.source("KC").is_some_and(|s| !s.in_reference));
    }

    #[test]
    fn a_gap_or_overlap_between_bands_is_refused() {
        let e = broken(|v| instrument(v, "phq9")["bands"]["bands"][1]["min"] = 6.into());
        assert!(e.contains("gap or overlap"), "{e}");
        let e = broken(|v| instrument(v, "gad7")["bands"]["bands"][1]["min"] = 4.into());
        assert!(e.contains("gap or overlap"), "{e}");
    }

    #[test]
    fn bands_that_do_not_reach_the_ends_of_the_range_are_refused() {
        let e = broken(|v| instrument(v, "madrs")["bands"]["bands"][3]["max"] = 59.into());
        assert!(e.contains("covers 0-59"), "{e}");
        let e = broken(|v| {
            instrument(v, "hamd17")["alternativeBands"][0]["bands"][0]["min"] = 1.into()
        });
        assert!(e.contains("ids_qids_map"), "{e}");
    }

    #[test]
    fn parts_that_do_not_add_up_to_the_range_are_refused() {
        // Turning a QIDS max-domain into a sum would make the maximum 36, not 27.
        let e =
            broken(|v| instrument(v, "qids_sr16")["scoring"]["parts"][0]["combine"] = "sum".into());
        assert!(e.contains("add up to 0-36"), "{e}");
        let e = broken(|v| instrument(v, "hamd17")["items"][3]["answerSet"] = "hamd_0_4".into());
        assert!(e.contains("add up to 0-54"), "{e}");
    }

    #[test]
    fn unknown_sources_items_and_follow_ups_are_refused() {
        let e =
            broken(|v| instrument(v, "phq9")["items"][0]["sources"] = serde_json::json!(["S99"]));
        assert!(e.contains("S99"), "{e}");
        let e = broken(|v| instrument(v, "phq9")["safety"][0]["item"] = "11".into());
        assert!(e.contains("question 11"), "{e}");
        let e = broken(|v| instrument(v, "phq9")["safety"][0]["followUp"] = "nope".into());
        assert!(e.contains("nope"), "{e}");
        let e =
            broken(|v| instrument(v, "cssrs_screener")["items"][2]["askedIf"]["item"] = "6".into());
        assert!(e.contains("earlier question"), "{e}");
    }

    #[test]
    fn a_scored_item_outside_every_part_or_in_two_is_refused() {
        let e = broken(|v| {
            instrument(v, "phq9")["scoring"]["parts"][0]["items"]
                .as_array_mut()
                .unwrap()
                .pop();
        });
        assert!(e.contains("in no part"), "{e}");
        let e = broken(|v| {
            instrument(v, "phq9")["scoring"]["parts"][0]["items"]
                .as_array_mut()
                .unwrap()
                .push("10".into());
        });
        assert!(e.contains("not scored"), "{e}");
    }

    #[test]
    fn response_thresholds_must_be_ordered() {
        let e = broken(|v| {
            instrument(v, "phq9")["change"]["partialResponse"]["minReductionPercent"] = 50.into()
        });
        assert!(e.contains("must be above partial"), "{e}");
    }

    #[test]
    fn the_answer_text_lists_what_is_allowed() {
        let r = bundled().unwrap();
        let yes_no = &r.answer_sets["yes_no"];
        assert_eq!(yes_no.allowed_text(), "0 or 1");
        assert_eq!(r.answer_sets["madrs_0_6"].allowed_text(), "between 0 and 6");
    }
}
