//! A treatment course: one modality for one indication, on a protocol whose phases are copied
//! from the clinic's template when the course is created (a later template change does not
//! rewrite a running course), with a status and, until prior-authorization tracking arrives,
//! the authorized units as entered from the payer's approval.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::modality::{Indication, Modality};
use super::reference::Phase;
use crate::record::check;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseStatus {
    Active,
    Paused,
    Completed,
    Stopped,
}

impl CourseStatus {
    pub fn label(self) -> &'static str {
        match self {
            CourseStatus::Active => "Active",
            CourseStatus::Paused => "Paused",
            CourseStatus::Completed => "Completed",
            CourseStatus::Stopped => "Stopped",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Course {
    pub modality: Option<Modality>,
    pub indication: Option<Indication>,
    /// The clinic protocol template it was planned from.
    pub protocol_id: Option<String>,
    /// The plan; filled from the template when empty.
    pub phases: Vec<Phase>,
    pub start_date: String,
    pub status: CourseStatus,
    /// Why the course is paused or stopped.
    pub status_reason: Option<String>,
    pub end_date: Option<String>,
    /// Units the payer authorized (entered by hand until prior-authorization tracking).
    pub authorized_units: Option<String>,
    pub authorization_number: Option<String>,
    pub note: Option<String>,
}

impl Course {
    pub(crate) fn validate(&self, today: NaiveDate) -> Result<Course, ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.modality.is_none() {
            e.add("modality", "Select the treatment");
        }
        match (self.modality, self.indication) {
            (_, None) => e.add("indication", "Select what the course treats"),
            (Some(m), Some(Indication::Mdsi)) if m != Modality::Spravato => e.add(
                "indication",
                "Only Spravato is indicated for MDD with acute suicidal ideation or behaviour",
            ),
            _ => {}
        }
        let horizon = today
            .checked_add_days(chrono::Days::new(366))
            .unwrap_or(today);
        let start = check::full_date(
            &mut e,
            "startDate",
            "The start date",
            &self.start_date,
            horizon,
            true,
        );
        if let Some(s) = start {
            if s > horizon {
                e.add("startDate", "The start date must be within the next year");
            }
        }
        let end = check::optional_full_date(
            &mut e,
            "endDate",
            "The end date",
            &self.end_date,
            today,
            false,
        );
        if let (Some(s), Some(en)) = (start, end) {
            if en < s {
                e.add(
                    "endDate",
                    "The end date must be the same as or after the start date",
                );
            }
        }
        let reason = check::optional_line(
            &mut e,
            "statusReason",
            "The reason",
            &self.status_reason,
            300,
        );
        match self.status {
            CourseStatus::Stopped | CourseStatus::Paused if reason.is_none() => e.add(
                "statusReason",
                format!(
                    "Say why the course is {}",
                    self.status.label().to_lowercase()
                ),
            ),
            _ => {}
        }
        if matches!(self.status, CourseStatus::Stopped | CourseStatus::Completed) && end.is_none() {
            e.add("endDate", "Enter the date the course ended");
        }
        if matches!(self.status, CourseStatus::Active | CourseStatus::Paused) && end.is_some() {
            e.add(
                "endDate",
                "An active or paused course has no end date; mark it completed or stopped",
            );
        }
        let units = check::optional_count(
            &mut e,
            "authorizedUnits",
            "Authorized units",
            &self.authorized_units,
            1,
            999,
        );
        let auth = check::optional_line(
            &mut e,
            "authorizationNumber",
            "The authorization number",
            &self.authorization_number,
            60,
        );
        let note = check::optional_text(&mut e, "note", "The note", &self.note, 4000);
        super::reference::check_phases(&mut e, "", &self.phases);
        e.into_result()?;
        Ok(Course {
            modality: self.modality,
            indication: self.indication,
            protocol_id: self
                .protocol_id
                .as_ref()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            phases: self.phases.clone(),
            start_date: start.map(check::iso).unwrap_or_default(),
            status: self.status,
            status_reason: reason,
            end_date: end.map(check::iso),
            authorized_units: units.map(|u| u.to_string()),
            authorization_number: auth,
            note,
        })
    }

    pub fn start(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.start_date, "%Y-%m-%d").ok()
    }

    pub fn authorized(&self) -> Option<u32> {
        self.authorized_units
            .as_deref()
            .and_then(|u| u.parse().ok())
    }

    pub fn title(&self) -> String {
        format!(
            "{} course",
            self.modality.map(Modality::label).unwrap_or("Treatment")
        )
    }
}
