//! Diagnoses: ICD-10-CM codes from the bundled reference (`reference::icd10`), checked together
//! (Excludes1) when stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check;
use crate::reference::icd10::Icd10Reference;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosisStatus {
    Active,
    Resolved,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Diagnosis {
    /// An ICD-10-CM code in the reference, e.g. `F33.2`.
    pub code: String,
    /// Partial date allowed (history from outside records).
    pub onset: Option<String>,
    pub status: Option<DiagnosisStatus>,
    /// The diagnosis a prior authorization is requested for.
    pub primary: bool,
    pub note: Option<String>,
}

impl Diagnosis {
    pub(crate) fn validate(
        &self,
        reference: &Icd10Reference,
        today: NaiveDate,
    ) -> Result<Diagnosis, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let typed = self.code.trim().to_uppercase();
        let code = if typed.is_empty() {
            e.add("code", "Choose a diagnosis code");
            String::new()
        } else {
            match reference.get(&typed) {
                Some(c) => c.code.clone(),
                None => {
                    e.add(
                        "code",
                        format!("{typed} is not in the diagnosis reference; choose a code from the list"),
                    );
                    String::new()
                }
            }
        };
        let onset = check::optional_past_partial_date(
            &mut e,
            "onset",
            "The onset date",
            &self.onset,
            today,
        );
        if self.status.is_none() {
            e.add(
                "status",
                "Select whether the diagnosis is active or resolved",
            );
        }
        let note = check::optional_text(&mut e, "note", "The note", &self.note, 2000);
        e.into_result()?;
        Ok(Diagnosis {
            code,
            onset: onset.map(|d| d.to_iso()),
            status: self.status,
            primary: self.primary,
            note,
        })
    }

    pub fn is_active(&self) -> bool {
        self.status == Some(DiagnosisStatus::Active)
    }
}
