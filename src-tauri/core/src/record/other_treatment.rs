//! Other treatments a payer asks about: ECT (done, considered, contraindicated), and prior TMS,
//! esketamine or ketamine courses with their response (retreatment criteria).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    Ect,
    Tms,
    Esketamine,
    Ketamine,
}

impl Treatment {
    pub fn label(self) -> &'static str {
        match self {
            Treatment::Ect => "ECT",
            Treatment::Tms => "TMS",
            Treatment::Esketamine => "Esketamine",
            Treatment::Ketamine => "Ketamine",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TreatmentStatus {
    Done,
    Considered,
    Contraindicated,
    Declined,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    None,
    Partial,
    Response,
    Remission,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OtherTreatment {
    pub treatment: Option<Treatment>,
    pub status: Option<TreatmentStatus>,
    /// Required when considered, contraindicated or declined: why it was not done.
    pub reason: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub sessions: Option<String>,
    /// Required when done.
    pub response: Option<Response>,
    pub current_episode: bool,
    pub note: Option<String>,
}

impl OtherTreatment {
    pub(crate) fn validate(&self, today: NaiveDate) -> Result<OtherTreatment, ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.treatment.is_none() {
            e.add("treatment", "Select the treatment");
        }
        if self.status.is_none() {
            e.add(
                "status",
                "Select whether it was done, considered, contraindicated or declined",
            );
        }
        let done = self.status == Some(TreatmentStatus::Done);
        let reason = check::optional_text(&mut e, "reason", "The reason", &self.reason, 1000);
        if !done && self.status.is_some() && reason.is_none() && !e.has("reason") {
            e.add("reason", "Give the reason it was not done");
        }
        let start = check::optional_past_partial_date(
            &mut e,
            "start",
            "The start date",
            &self.start,
            today,
        );
        let end =
            check::optional_past_partial_date(&mut e, "end", "The end date", &self.end, today);
        check::end_not_before_start(&mut e, "end", start.as_ref(), end.as_ref());
        if done && start.is_none() && !e.has("start") {
            e.add("start", "Enter when it started (a year is enough)");
        }
        let sessions = check::optional_count(
            &mut e,
            "sessions",
            "The number of sessions",
            &self.sessions,
            1,
            1000,
        );
        if done && self.response.is_none() {
            e.add(
                "response",
                "Select the response (choose \"unknown\" if it is not recorded)",
            );
        }
        let note = check::optional_text(&mut e, "note", "The note", &self.note, 2000);
        e.into_result()?;
        Ok(OtherTreatment {
            treatment: self.treatment,
            status: self.status,
            reason,
            start: start.map(|d| d.to_iso()),
            end: end.map(|d| d.to_iso()),
            sessions: sessions.map(|n| n.to_string()),
            response: if done { self.response } else { None },
            current_episode: self.current_episode,
            note,
        })
    }
}
