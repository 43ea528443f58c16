//! A medication trial as entered and as stored.

use crate::partial_date::PartialDate;
use crate::reference::drugs::{Category, DrugClass};

use super::duration::{DoseStep, TrialDurations};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialRole {
    Monotherapy,
    Augmentation,
    Combination,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    NoResponse,
    PartialResponse,
    Intolerance,
    Response,
    Remission,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdherenceSource {
    PatientReport,
    PharmacyFills,
    OutsideRecords,
}

macro_rules! text_enum {
    ($t:ty { $($v:ident => $s:literal),+ $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$v),)+ _ => None }
            }
        }
    };
}

text_enum!(TrialRole {
    Monotherapy => "monotherapy",
    Augmentation => "augmentation",
    Combination => "combination",
});
text_enum!(Outcome {
    NoResponse => "no_response",
    PartialResponse => "partial_response",
    Intolerance => "intolerance",
    Response => "response",
    Remission => "remission",
});
text_enum!(AdherenceSource {
    PatientReport => "patient_report",
    PharmacyFills => "pharmacy_fills",
    OutsideRecords => "outside_records",
});

/// One dose step as typed.
#[derive(Debug, Clone, Default)]
pub struct DoseInput {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub from: String,
    /// Total daily dose in the drug's unit, as typed.
    pub daily: String,
}

/// What the trial form sends. Text as typed; the core validates everything.
#[derive(Debug, Clone, Default)]
pub struct TrialInput {
    /// A reference drug (id, name or brand) or, if not in the reference, free text.
    pub drug: String,
    pub role: String,
    pub start_date: String,
    pub stop_date: String,
    pub ongoing: bool,
    pub doses: Vec<DoseInput>,
    pub adherence_percent: String,
    pub adherent: Option<bool>,
    pub adherence_source: String,
    pub outcome: String,
    pub adverse_effect: String,
    pub reason_stopped: String,
    pub current_episode: bool,
    pub source_note: String,
    /// The rating scale the pre/post scores are on (e.g. "PHQ-9", "MADRS").
    pub score_instrument: String,
    pub pre_score: String,
    pub post_score: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidTrial {
    pub drug_id: Option<String>,
    pub drug_name: String,
    pub role: TrialRole,
    pub start: PartialDate,
    pub stop: Option<PartialDate>,
    pub ongoing: bool,
    pub doses: Vec<DoseStep>,
    pub adherence_percent: Option<u8>,
    pub adherent: Option<bool>,
    pub adherence_source: Option<AdherenceSource>,
    pub outcome: Option<Outcome>,
    pub adverse_effect: Option<String>,
    pub reason_stopped: Option<String>,
    pub current_episode: bool,
    pub source_note: Option<String>,
    pub score_instrument: Option<String>,
    pub pre_score: Option<f64>,
    pub post_score: Option<f64>,
}

impl ValidTrial {
    /// Improvement from the pre to the post score, in percent of the pre score (positive =
    /// better; Cigna's "nonresponse" is 25 or less). `None` unless both are known and pre > 0.
    pub fn score_change_percent(&self) -> Option<f64> {
        match (self.pre_score, self.post_score) {
            (Some(pre), Some(post)) if pre > 0.0 => Some((pre - post) / pre * 100.0),
            _ => None,
        }
    }
}

/// A stored trial with what the rules say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    pub id: i64,
    pub patient_id: i64,
    pub version: i64,
    pub data: ValidTrial,
    /// From the reference; `None` for a drug not in it ("class unknown").
    pub class: Option<DrugClass>,
    pub category: Option<Category>,
    pub unit: Option<String>,
    pub min_therapeutic: Option<f64>,
    /// True when `min_therapeutic` is the clinic's own floor rather than the reference's.
    pub floor_from_clinic: bool,
    pub durations: TrialDurations,
}

impl Trial {
    pub fn in_reference(&self) -> bool {
        self.data.drug_id.is_some()
    }
}
