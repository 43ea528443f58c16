//! A depressive episode: onset, course, severity, psychotic features and how it was confirmed
//! (payers ask for "current episode" trials and some for a structured interview).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Course {
    Single,
    Recurrent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Mild,
    Moderate,
    Severe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmedBy {
    ClinicalInterview,
    /// E.g. SCID-5; name it in `instrument`.
    StructuredInterview,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Episode {
    pub onset: String,
    /// Empty while the episode is current.
    pub end: Option<String>,
    pub current: bool,
    pub course: Option<Course>,
    pub severity: Option<Severity>,
    pub psychotic_features: Option<bool>,
    pub confirmed_by: Option<ConfirmedBy>,
    /// The structured interview used, e.g. "SCID-5-CV".
    pub instrument: Option<String>,
    pub confirming_clinician: String,
    pub confirmed_on: Option<String>,
    pub note: Option<String>,
}

impl Episode {
    pub(crate) fn validate(&self, today: NaiveDate) -> Result<Episode, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let onset = check::past_partial_date(&mut e, "onset", "The onset date", &self.onset, today);
        let end =
            check::optional_past_partial_date(&mut e, "end", "The end date", &self.end, today);
        check::end_not_before_start(&mut e, "end", onset.as_ref(), end.as_ref());
        if self.current && end.is_some() {
            e.add(
                "end",
                "A current episode has no end date; clear it or untick \"current episode\"",
            );
        }
        if self.course.is_none() {
            e.add("course", "Select single episode or recurrent");
        }
        if self.severity.is_none() {
            e.add("severity", "Select the severity");
        }
        if self.psychotic_features.is_none() {
            e.add(
                "psychoticFeatures",
                "Select whether there are psychotic features",
            );
        }
        if self.confirmed_by.is_none() {
            e.add("confirmedBy", "Select how the diagnosis was confirmed");
        }
        let instrument = check::optional_line(
            &mut e,
            "instrument",
            "The interview name",
            &self.instrument,
            60,
        );
        if self.confirmed_by == Some(ConfirmedBy::StructuredInterview)
            && instrument.is_none()
            && !e.has("instrument")
        {
            e.add(
                "instrument",
                "Name the structured interview, for example SCID-5-CV",
            );
        }
        let confirming_clinician = check::required_line(
            &mut e,
            "confirmingClinician",
            "The confirming clinician",
            &self.confirming_clinician,
            100,
        );
        let confirmed_on = check::optional_full_date(
            &mut e,
            "confirmedOn",
            "The date confirmed",
            &self.confirmed_on,
            today,
            false,
        );
        let note = check::optional_text(&mut e, "note", "The note", &self.note, 2000);
        e.into_result()?;
        Ok(Episode {
            onset: onset.map(|d| d.to_iso()).unwrap_or_default(),
            end: end.map(|d| d.to_iso()),
            current: self.current,
            course: self.course,
            severity: self.severity,
            psychotic_features: self.psychotic_features,
            confirmed_by: self.confirmed_by,
            instrument,
            confirming_clinician,
            confirmed_on: confirmed_on.map(check::iso),
            note,
        })
    }
}
