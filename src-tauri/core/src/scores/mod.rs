//! Rating-scale administrations for a patient: recorded (scored by [`crate::scales`] from the
//! versioned instrument reference), listed, summed up as trends against the baseline, and the
//! safety alerts they raise (PHQ-9 item 9, C-SSRS moderate/high) until a provider acknowledges
//! them with a documented action. Scores are never changed or deleted (the database refuses).

pub mod alert;
pub mod store;
pub mod trend;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use alert::{acknowledge, AckAction, AlertLevel, SafetyAlert};
pub use store::{list, record};
pub use trend::{trends, Trend};

/// Who gave the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Entered or rated by a clinician.
    Clinician,
    /// The patient answered (the "hand the laptop to the patient" view).
    SelfReport,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Clinician => "clinician",
            Mode::SelfReport => "self_report",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "clinician" => Some(Mode::Clinician),
            "self_report" => Some(Mode::SelfReport),
            _ => None,
        }
    }
}

/// One administration as entered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoreInput {
    pub instrument: String,
    /// Local date and time, `YYYY-MM-DDTHH:MM`.
    pub administered_at: String,
    pub mode: Option<Mode>,
    pub rater: Option<String>,
    /// CADSS only: `pre_dose` or `peak`.
    pub timepoint: Option<String>,
    /// Item answers (instruments entered item by item)…
    pub answers: BTreeMap<String, i32>,
    /// …or the total (score-only instruments, or a total copied from outside records).
    pub total: Option<i32>,
    /// The treatment session it was given in (a session record of the same patient, same day).
    pub session_id: Option<i64>,
}

/// A stored administration with its result.
#[derive(Debug, Clone, PartialEq)]
pub struct Administration {
    pub id: i64,
    pub patient_id: i64,
    pub instrument: String,
    pub instrument_name: String,
    pub administered_at: String,
    pub mode: Mode,
    pub rater: Option<String>,
    pub timepoint: Option<String>,
    pub answers: BTreeMap<String, i32>,
    pub total: Option<i32>,
    pub total_entered: bool,
    /// Severity band label, when the instrument has bands.
    pub band: Option<String>,
    pub result: StoredResult,
    pub entered_by: String,
    pub created_at: String,
    /// The treatment session it was given in.
    pub session_id: Option<i64>,
}

/// What scoring found besides the total, as stored with the administration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredResult {
    /// Safety flags raised (e.g. PHQ-9 item 9 answered above 0).
    pub flags: Vec<String>,
    /// C-SSRS screener: the triage level ("Low risk", "Moderate risk", "High risk").
    pub triage: Option<String>,
    /// Safety rules that could not be checked because only a total was entered.
    pub unchecked: Vec<String>,
    /// Whether the band and rules applied are verified ("requires clinical review" otherwise).
    pub verified: bool,
}
