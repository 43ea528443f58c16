//! Rating scales for measurement-based care: instrument definitions, exact scoring, C-SSRS
//! screener branching and triage, and response/remission against a baseline.
//!
//! Every clinical rule is data in `reference/instruments.v1.json`, taken from the KetaChart
//! domain reference (§3.1–3.3 instruments, scoring, bands, response/remission, licensing; §6.5
//! LOINC) with its source ids and a `verified` flag per value; values the reference marks
//! UNVERIFIED, and everything KetaChart added (source `KC`), are `verified: false` and shown as
//! "requires clinical review". Item wording is shown in full only where the licence allows it
//! (PHQ-9, GAD-7); BDI-II, MADRS, HAM-D, CADSS and C-SSRS carry short neutral labels
//! (decisions.md, "Rating scales").

pub mod change;
pub mod cssrs;
pub mod definition;
pub mod score;

pub use change::{change, classify, compare, Change, ResponseClass};
pub use cssrs::{asked, is_asked, triage, Triage, TriageReason};
pub use definition::{
    bundled, parse, AnswerOption, AnswerSet, Band, BandSet, EntryMode, Instrument,
    InstrumentReference, Item, ItemText, RiskLevel, Threshold,
};
pub use score::{
    score, AnswerProblem, BandResult, Entry, PartScore, SafetyFlag, ScoreError, Scored,
    SubscoreValue, TotalField, UncheckedSafety,
};
