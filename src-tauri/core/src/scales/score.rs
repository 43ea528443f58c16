//! Scoring one administration of a rating scale: total, severity band, safety flags.
//!
//! The rules are data from `reference/instruments.v1.json` (see `definition.rs` for sources):
//! PHQ-9 and GAD-7 totals are sums of their items (the PHQ-9 difficulty question is recorded but
//! not scored); the QIDS-SR16 total is max(items 1–4) + item 5 + max(items 6–9) + items 10–14 +
//! max(items 15–16) (§3.1, [S40a]); MADRS, HAM-D-17, BDI-II and CADSS are entered as totals and
//! only their range is checked; the C-SSRS screener has no total and gets a triage level
//! (`cssrs.rs`). PHQ-9 question 9 above 0 raises a safety flag (§3.1, [S36a]).
//!
//! Input errors are specific and name the question, so a form can show them all at once:
//! an unknown instrument, a missing answer ("Answer question 4 (Feeling tired or having little
//! energy)"), an answer or total out of range, answers given for a total-only instrument, or an
//! answer to a question that was not asked.
//!
//! Decision — a total alone is also accepted for an instrument whose total the app computes
//! (e.g. a PHQ-9 score copied from an outside record). Its safety rules cannot be checked then;
//! they are listed in [`Scored::unchecked_safety`] so the UI can say so and ask.

use std::collections::BTreeMap;
use std::fmt;

use super::cssrs::{self, Triage};
use super::definition::{
    bundled, Combine, EntryMode, Instrument, InstrumentReference, ScoringMethod, Threshold,
};
use crate::error::{CoreError, CoreResult};
use crate::validation::ValidationErrors;

/// What was recorded: the answer to each question (keyed by question id, "1", "6a"), or a total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Items(BTreeMap<String, i32>),
    Total(i32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartScore {
    pub id: String,
    pub label: String,
    pub score: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscoreValue {
    pub id: String,
    pub name: String,
    pub score: i32,
    pub loinc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandResult {
    /// The band set used (e.g. `zimmerman_2013` for the HAM-D-17).
    pub set_id: String,
    pub id: String,
    pub label: String,
    pub min: i32,
    pub max: i32,
    pub verified: bool,
    pub sources: Vec<String>,
}

/// Something that needs attention now: a safety question crossed its threshold, or a C-SSRS
/// triage level at or above the alert level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafetyFlag {
    pub rule_id: String,
    /// The question that raised it (for a triage alert: the questions, comma-separated).
    pub item: String,
    pub message: String,
    /// The instrument to give next, e.g. `cssrs_screener`.
    pub follow_up: Option<String>,
    pub verified: bool,
}

/// A safety rule that could not be checked because only a total was entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UncheckedSafety {
    pub rule_id: String,
    pub item: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub instrument_id: String,
    /// `None` for an instrument without a total (C-SSRS screener).
    pub total: Option<i32>,
    /// True when the total was entered rather than computed from answers.
    pub total_entered: bool,
    /// The answers as given (empty when a total was entered).
    pub answers: BTreeMap<String, i32>,
    /// For a computed total: the score of each part (QIDS-SR16 domains).
    pub parts: Vec<PartScore>,
    pub subscores: Vec<SubscoreValue>,
    /// `None` when the instrument has no bands (CADSS) or no total.
    pub band: Option<BandResult>,
    pub flags: Vec<SafetyFlag>,
    pub unchecked_safety: Vec<UncheckedSafety>,
    /// C-SSRS screener only.
    pub triage: Option<Triage>,
}

/// One problem with one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblem {
    /// A required question that was asked has no answer.
    Missing {
        item: String,
        label: String,
    },
    OutOfRange {
        item: String,
        label: String,
        value: i32,
        /// "between 0 and 3", "0 or 1".
        allowed: String,
    },
    /// An answer to a question that is skipped given another answer (C-SSRS branching).
    NotAsked {
        item: String,
        label: String,
        depends_on: String,
        depends_on_label: String,
        expected: String,
    },
    UnknownQuestion {
        item: String,
        instrument: String,
    },
}

impl AnswerProblem {
    pub fn item(&self) -> &str {
        match self {
            AnswerProblem::Missing { item, .. }
            | AnswerProblem::OutOfRange { item, .. }
            | AnswerProblem::NotAsked { item, .. }
            | AnswerProblem::UnknownQuestion { item, .. } => item,
        }
    }
}

impl fmt::Display for AnswerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerProblem::Missing { item, label } => {
                write!(f, "Answer question {item} ({})", short(label))
            }
            AnswerProblem::OutOfRange {
                item,
                label,
                value,
                allowed,
            } => write!(
                f,
                "The answer to question {item} ({}) must be {allowed}; {value} is not a possible answer",
                short(label)
            ),
            AnswerProblem::NotAsked {
                item,
                label,
                depends_on,
                depends_on_label,
                expected,
            } => write!(
                f,
                "Question {item} ({}) is asked only when question {depends_on} ({}) is answered {expected}: remove its answer or change question {depends_on}",
                short(label),
                short(depends_on_label)
            ),
            AnswerProblem::UnknownQuestion { item, instrument } => {
                write!(f, "The {instrument} has no question {item}")
            }
        }
    }
}

/// Which of the baseline/current/entered totals was out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalField {
    Total,
    Baseline,
    Current,
}

impl TotalField {
    pub fn field(self) -> &'static str {
        match self {
            TotalField::Total => "total",
            TotalField::Baseline => "baseline",
            TotalField::Current => "current",
        }
    }

    fn lead(self) -> &'static str {
        match self {
            TotalField::Total => "A",
            TotalField::Baseline => "The baseline",
            TotalField::Current => "The current",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("KetaChart does not know the rating scale \"{0}\"")]
    UnknownInstrument(String),
    #[error("The {instrument} is recorded as a total score only: enter the total, not answers to its questions")]
    ItemsForTotalOnly { instrument: String },
    #[error("The {instrument} has no total score: answer its questions")]
    NoTotal { instrument: String },
    #[error("{}", join(.0))]
    Answers(Vec<AnswerProblem>),
    #[error("{} {instrument} total must be between {min} and {max}; {value} is outside that range", .field.lead())]
    TotalOutOfRange {
        field: TotalField,
        instrument: String,
        value: i32,
        min: i32,
        max: i32,
    },
    #[error("Response and remission are not defined for the {instrument}")]
    NoChangeRules { instrument: String },
    #[error("The baseline is a {baseline} score and the current one a {current} score: compare scores on the same scale")]
    DifferentInstruments { baseline: String, current: String },
}

fn join(problems: &[AnswerProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A label short enough for an error message: long PHQ-9 wording is cut at a word with "…".
fn short(label: &str) -> String {
    const MAX: usize = 60;
    if label.chars().count() <= MAX {
        return label.to_string();
    }
    let cut: String = label.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ' ', '—', '-']))
}

impl ScoreError {
    /// Field errors for a form: `instrument`, `total`, `baseline`, `current`, `items`, or
    /// `items.<question>` (e.g. `items.4`).
    pub fn to_validation(&self) -> ValidationErrors {
        match self {
            ScoreError::Answers(problems) => {
                let mut v = ValidationErrors::new();
                for p in problems {
                    v.add(&format!("items.{}", p.item()), p.to_string());
                }
                v
            }
            ScoreError::TotalOutOfRange { field, .. } => {
                ValidationErrors::single(field.field(), self.to_string())
            }
            ScoreError::ItemsForTotalOnly { .. } => {
                ValidationErrors::single("items", self.to_string())
            }
            ScoreError::NoTotal { .. } => ValidationErrors::single("total", self.to_string()),
            ScoreError::UnknownInstrument(_)
            | ScoreError::NoChangeRules { .. }
            | ScoreError::DifferentInstruments { .. } => {
                ValidationErrors::single("instrument", self.to_string())
            }
        }
    }
}

impl From<ScoreError> for CoreError {
    fn from(e: ScoreError) -> Self {
        CoreError::Validation(e.to_validation())
    }
}

impl InstrumentReference {
    /// The instrument, or [`ScoreError::UnknownInstrument`].
    pub fn instrument(&self, id: &str) -> Result<&Instrument, ScoreError> {
        self.get(id)
            .ok_or_else(|| ScoreError::UnknownInstrument(id.to_string()))
    }
}

/// Scores an administration against the bundled reference.
pub fn score(instrument_id: &str, entry: &Entry) -> CoreResult<Scored> {
    Ok(bundled()?.instrument(instrument_id)?.score(entry)?)
}

impl Instrument {
    /// Scores an administration of this instrument.
    pub fn score(&self, entry: &Entry) -> Result<Scored, ScoreError> {
        match entry {
            Entry::Total(total) => self.score_total(*total),
            Entry::Items(answers) => self.score_items(answers),
        }
    }

    /// Checks a total against the range; `field` says which total it is in an error.
    pub(crate) fn check_total(&self, field: TotalField, value: i32) -> Result<(), ScoreError> {
        let Some(range) = &self.total else {
            return Err(ScoreError::NoTotal {
                instrument: self.short_name.clone(),
            });
        };
        if value < range.min || value > range.max {
            return Err(ScoreError::TotalOutOfRange {
                field,
                instrument: self.short_name.clone(),
                value,
                min: range.min,
                max: range.max,
            });
        }
        Ok(())
    }

    fn score_total(&self, total: i32) -> Result<Scored, ScoreError> {
        self.check_total(TotalField::Total, total)?;
        let unchecked_safety = self
            .safety
            .iter()
            .map(|r| UncheckedSafety {
                rule_id: r.id.clone(),
                item: r.item.clone(),
                message: format!(
                    "Only the total was entered, so question {} ({}) was not checked: ask about it separately",
                    r.item,
                    self.item(&r.item).map_or("", |i| i.label.as_str())
                ),
            })
            .collect();
        Ok(Scored {
            instrument_id: self.id.clone(),
            total: Some(total),
            total_entered: true,
            answers: BTreeMap::new(),
            parts: Vec::new(),
            subscores: Vec::new(),
            band: self.band_result(total),
            flags: Vec::new(),
            unchecked_safety,
            triage: None,
        })
    }

    fn score_items(&self, answers: &BTreeMap<String, i32>) -> Result<Scored, ScoreError> {
        if self.entry_mode == EntryMode::Total {
            return Err(ScoreError::ItemsForTotalOnly {
                instrument: self.short_name.clone(),
            });
        }
        self.check_answers(answers)?;
        let value = |id: &str| answers.get(id).copied().unwrap_or(0);

        let parts: Vec<PartScore> = self
            .scoring
            .parts
            .iter()
            .map(|p| {
                let values = p.items.iter().map(|i| value(i));
                PartScore {
                    id: p.id.clone(),
                    label: p.label.clone(),
                    score: match p.combine {
                        Combine::Sum => values.sum(),
                        Combine::Max => values.max().unwrap_or(0),
                    },
                }
            })
            .collect();
        let total = (self.scoring.method == ScoringMethod::Computed)
            .then(|| parts.iter().map(|p| p.score).sum::<i32>());
        let subscores = self
            .subscores
            .iter()
            .map(|s| SubscoreValue {
                id: s.id.clone(),
                name: s.name.clone(),
                score: s.items.iter().map(|i| value(i)).sum(),
                loinc: s.loinc.as_ref().map(|c| c.code.clone()),
            })
            .collect();

        let mut flags = Vec::new();
        let mut unchecked_safety = Vec::new();
        for rule in &self.safety {
            match answers.get(&rule.item) {
                Some(v) if *v >= rule.at_least => flags.push(SafetyFlag {
                    rule_id: rule.id.clone(),
                    item: rule.item.clone(),
                    message: rule.message.clone(),
                    follow_up: rule.follow_up.clone(),
                    verified: rule.verified,
                }),
                Some(_) => {}
                None => unchecked_safety.push(UncheckedSafety {
                    rule_id: rule.id.clone(),
                    item: rule.item.clone(),
                    message: format!(
                        "Question {} was not answered, so it was not checked",
                        rule.item
                    ),
                }),
            }
        }
        let triage = self
            .triage
            .as_ref()
            .map(|rules| cssrs::triage(rules, answers));
        if let Some(t) = triage.as_ref().filter(|t| t.alert) {
            let items: Vec<&str> = t
                .reasons
                .iter()
                .filter(|r| r.level == t.level)
                .map(|r| r.item.as_str())
                .collect();
            flags.push(SafetyFlag {
                rule_id: format!("{}_triage", self.id),
                item: items.join(", "),
                message: format!(
                    "{} triage: {} (question {}): act on the clinic's suicide-risk protocol now",
                    self.short_name,
                    t.level.label().to_lowercase(),
                    items.join(", ")
                ),
                follow_up: None,
                verified: t.verified,
            });
        }

        Ok(Scored {
            instrument_id: self.id.clone(),
            total,
            total_entered: false,
            answers: answers.clone(),
            parts,
            subscores,
            band: total.and_then(|t| self.band_result(t)),
            flags,
            unchecked_safety,
            triage,
        })
    }

    /// Every problem with the answers at once: unknown questions, then per question in order
    /// missing, out-of-range or not-asked answers.
    fn check_answers(&self, answers: &BTreeMap<String, i32>) -> Result<(), ScoreError> {
        let mut problems: Vec<AnswerProblem> = answers
            .keys()
            .filter(|id| self.item(id).is_none())
            .map(|id| AnswerProblem::UnknownQuestion {
                item: id.clone(),
                instrument: self.short_name.clone(),
            })
            .collect();
        for item in &self.items {
            let given = answers.get(&item.id);
            if !cssrs::is_asked(self, item, answers) {
                if let (Some(_), Some(cond)) = (given, &item.asked_if) {
                    let parent = self.item(&cond.item);
                    problems.push(AnswerProblem::NotAsked {
                        item: item.id.clone(),
                        label: item.label.clone(),
                        depends_on: cond.item.clone(),
                        depends_on_label: parent.map_or(String::new(), |p| p.label.clone()),
                        expected: parent
                            .and_then(|p| p.answers.option(cond.equals))
                            .map_or(cond.equals.to_string(), |o| o.label.clone()),
                    });
                }
                continue;
            }
            match given {
                None if item.required => problems.push(AnswerProblem::Missing {
                    item: item.id.clone(),
                    label: item.label.clone(),
                }),
                Some(v) if item.answers.option(*v).is_none() => {
                    problems.push(AnswerProblem::OutOfRange {
                        item: item.id.clone(),
                        label: item.label.clone(),
                        value: *v,
                        allowed: item.answers.allowed_text(),
                    })
                }
                _ => {}
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ScoreError::Answers(problems))
        }
    }

    fn band_result(&self, total: i32) -> Option<BandResult> {
        let set = self.bands.as_ref()?;
        let band = set.band_for(total)?;
        Some(BandResult {
            set_id: set.id.clone(),
            id: band.id.clone(),
            label: band.label.clone(),
            min: band.min,
            max: band.max,
            verified: set.verified,
            sources: set.sources.clone(),
        })
    }

    /// The remission threshold, if the instrument defines one.
    pub fn remission_threshold(&self) -> Option<Threshold> {
        self.change
            .as_ref()
            .and_then(|c| c.remission.as_ref())
            .map(|r| r.threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_cut_at_a_word() {
        let s = short(
            "Moving or speaking so slowly that other people could have noticed? Or the opposite",
        );
        assert!(s.ends_with('…') && s.chars().count() <= 61, "{s}");
        assert_eq!(short("Trouble relaxing"), "Trouble relaxing");
    }

    #[test]
    fn each_problem_becomes_a_field_error_on_its_question() {
        let e = ScoreError::Answers(vec![
            AnswerProblem::Missing {
                item: "4".into(),
                label: "Feeling tired".into(),
            },
            AnswerProblem::UnknownQuestion {
                item: "99".into(),
                instrument: "PHQ-9".into(),
            },
        ]);
        let v = e.to_validation();
        assert!(v.has("items.4") && v.has("items.99"));
        let c: CoreError = ScoreError::UnknownInstrument("x".into()).into();
        assert_eq!(c.kind(), "validation");
    }
}
