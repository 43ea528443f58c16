//! Insurance coverage: who pays, under which member ID, for which benefit, and when.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    #[serde(rename = "self")]
    Self_,
    Spouse,
    Child,
    Other,
}

/// Spravato can be billed under the medical or the pharmacy benefit; the PA goes to whichever
/// covers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    Medical,
    Pharmacy,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Primary,
    Secondary,
    Tertiary,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Coverage {
    /// An entry of the clinic's payer list.
    pub payer_id: i64,
    pub plan_name: String,
    pub member_id: String,
    pub group_number: Option<String>,
    pub relationship: Option<Relationship>,
    /// Required unless the patient is the subscriber.
    pub subscriber_name: Option<String>,
    pub benefit: Option<Benefit>,
    pub priority: Option<Priority>,
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    /// `YYYY-MM-DD`; none while the coverage is open-ended.
    pub effective_to: Option<String>,
    /// Where prior-authorization requests go for this plan (defaults to the payer's).
    pub pa_phone: Option<String>,
    pub pa_fax: Option<String>,
}

impl Coverage {
    pub(crate) fn validate(&self, today: NaiveDate) -> Result<Coverage, ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.payer_id <= 0 {
            e.add("payerId", "Select the payer");
        }
        let plan_name =
            check::required_line(&mut e, "planName", "The plan name", &self.plan_name, 100);
        let member_id =
            check::required_line(&mut e, "memberId", "The member ID", &self.member_id, 40);
        let group_number = check::optional_line(
            &mut e,
            "groupNumber",
            "The group number",
            &self.group_number,
            40,
        );
        if self.relationship.is_none() {
            e.add(
                "relationship",
                "Select the patient's relationship to the subscriber",
            );
        }
        let subscriber_name = check::optional_line(
            &mut e,
            "subscriberName",
            "The subscriber's name",
            &self.subscriber_name,
            100,
        );
        if subscriber_name.is_none()
            && !matches!(self.relationship, None | Some(Relationship::Self_))
            && !e.has("subscriberName")
        {
            e.add(
                "subscriberName",
                "Enter the subscriber's name (the patient is not the subscriber)",
            );
        }
        if self.benefit.is_none() {
            e.add("benefit", "Select the benefit: medical, pharmacy or both");
        }
        if self.priority.is_none() {
            e.add("priority", "Select primary, secondary or tertiary");
        }
        let from = check::full_date(
            &mut e,
            "effectiveFrom",
            "The effective date",
            &self.effective_from,
            today,
            true,
        );
        let to = check::optional_full_date(
            &mut e,
            "effectiveTo",
            "The end date",
            &self.effective_to,
            today,
            true,
        );
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                e.add(
                    "effectiveTo",
                    "The end date must be the same as or after the effective date",
                );
            }
        }
        let pa_phone =
            check::optional_line(&mut e, "paPhone", "The PA phone number", &self.pa_phone, 30);
        let pa_fax = check::optional_line(&mut e, "paFax", "The PA fax number", &self.pa_fax, 30);
        e.into_result()?;
        Ok(Coverage {
            payer_id: self.payer_id,
            plan_name,
            member_id,
            group_number,
            relationship: self.relationship,
            subscriber_name,
            benefit: self.benefit,
            priority: self.priority,
            effective_from: from.map(check::iso).unwrap_or_default(),
            effective_to: to.map(check::iso),
            pa_phone,
            pa_fax,
        })
    }

    fn start_day(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.effective_from, "%Y-%m-%d").ok()
    }

    fn end_day(&self) -> Option<NaiveDate> {
        self.effective_to
            .as_deref()
            .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
    }

    /// Whether the two coverages are in force on at least one common day.
    pub fn overlaps(&self, other: &Coverage) -> bool {
        let (Some(a0), Some(b0)) = (self.start_day(), other.start_day()) else {
            return false;
        };
        let a1 = self.end_day().unwrap_or(NaiveDate::MAX);
        let b1 = other.end_day().unwrap_or(NaiveDate::MAX);
        a0 <= b1 && b0 <= a1
    }

    /// In force on `day`.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.start_day().is_some_and(|f| f <= day) && self.end_day().is_none_or(|t| t >= day)
    }
}
