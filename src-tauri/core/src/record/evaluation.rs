//! The pre-treatment psychiatric evaluation (decisions.md: history, examination, symptoms,
//! treatment-history review, plan). A draft until a provider signs it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Evaluation {
    /// `YYYY-MM-DD`, not in the future.
    pub date: String,
    pub history: Option<String>,
    pub examination: Option<String>,
    pub symptoms: Option<String>,
    pub treatment_history_review: Option<String>,
    pub plan: Option<String>,
}

impl Evaluation {
    pub(crate) fn validate(&self, today: NaiveDate) -> Result<Evaluation, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let date = check::full_date(
            &mut e,
            "date",
            "The evaluation date",
            &self.date,
            today,
            false,
        );
        let mut text = |field: &str, label: &str, v: &Option<String>| {
            check::optional_text(&mut e, field, label, v, 20_000)
        };
        let history = text("history", "The history", &self.history);
        let examination = text("examination", "The examination", &self.examination);
        let symptoms = text("symptoms", "The symptoms", &self.symptoms);
        let treatment_history_review = text(
            "treatmentHistoryReview",
            "The treatment-history review",
            &self.treatment_history_review,
        );
        let plan = text("plan", "The plan", &self.plan);
        e.into_result()?;
        Ok(Evaluation {
            date: date.map(check::iso).unwrap_or_default(),
            history,
            examination,
            symptoms,
            treatment_history_review,
            plan,
        })
    }

    /// What must be filled in before it can be signed.
    pub(crate) fn ready_to_sign(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        for (field, label, v) in [
            ("history", "the history", &self.history),
            ("examination", "the examination", &self.examination),
            ("plan", "the plan", &self.plan),
        ] {
            if v.is_none() {
                e.add(field, format!("Enter {label} before signing"));
            }
        }
        e.into_result()
    }
}
