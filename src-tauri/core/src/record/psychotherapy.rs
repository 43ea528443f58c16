//! Psychotherapy courses (most TMS policies and some Spravato policies require one).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    Cbt,
    Ipt,
    BehaviouralActivation,
    Psychodynamic,
    Dbt,
    Other,
}

impl Modality {
    pub fn label(self) -> &'static str {
        match self {
            Modality::Cbt => "CBT",
            Modality::Ipt => "IPT",
            Modality::BehaviouralActivation => "Behavioural activation",
            Modality::Psychodynamic => "Psychodynamic",
            Modality::Dbt => "DBT",
            Modality::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TherapyOutcome {
    NoResponse,
    PartialResponse,
    Response,
    Remission,
    /// Stopped early (name why in the note).
    Discontinued,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Psychotherapy {
    pub modality: Option<Modality>,
    /// Required when the modality is "other".
    pub modality_other: Option<String>,
    pub start: String,
    pub end: Option<String>,
    pub ongoing: bool,
    /// Whole number, as typed.
    pub sessions: Option<String>,
    pub therapist: Option<String>,
    pub outcome: Option<TherapyOutcome>,
    pub current_episode: bool,
    pub source_note: Option<String>,
}

impl Psychotherapy {
    pub(crate) fn validate(&self, today: NaiveDate) -> Result<Psychotherapy, ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.modality.is_none() {
            e.add("modality", "Select the kind of psychotherapy");
        }
        let modality_other = check::optional_line(
            &mut e,
            "modalityOther",
            "The kind of therapy",
            &self.modality_other,
            80,
        );
        if self.modality == Some(Modality::Other)
            && modality_other.is_none()
            && !e.has("modalityOther")
        {
            e.add("modalityOther", "Name the kind of therapy");
        }
        let start = check::past_partial_date(&mut e, "start", "The start date", &self.start, today);
        let end =
            check::optional_past_partial_date(&mut e, "end", "The end date", &self.end, today);
        check::end_not_before_start(&mut e, "end", start.as_ref(), end.as_ref());
        if self.ongoing && end.is_some() {
            e.add(
                "end",
                "An ongoing course has no end date; clear it or untick \"ongoing\"",
            );
        }
        let sessions = check::optional_count(
            &mut e,
            "sessions",
            "The number of sessions",
            &self.sessions,
            1,
            1000,
        );
        let therapist =
            check::optional_line(&mut e, "therapist", "The therapist", &self.therapist, 100);
        if self.outcome.is_none() {
            e.add(
                "outcome",
                "Select the outcome (choose \"unknown\" if it is not recorded)",
            );
        }
        let source_note =
            check::optional_text(&mut e, "sourceNote", "The source", &self.source_note, 1000);
        e.into_result()?;
        Ok(Psychotherapy {
            modality: self.modality,
            modality_other: if self.modality == Some(Modality::Other) {
                modality_other
            } else {
                None
            },
            start: start.map(|d| d.to_iso()).unwrap_or_default(),
            end: end.map(|d| d.to_iso()),
            ongoing: self.ongoing,
            sessions: sessions.map(|n| n.to_string()),
            therapist,
            outcome: self.outcome,
            current_episode: self.current_episode,
            source_note,
        })
    }
}
