//! Safety and eligibility screening for one treatment, on one date: the reference's items
//! answered yes/no, blood-pressure readings, the PDMP check, allergies and current medications.
//! A draft until a provider signs it; signing needs every item answered.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check;
use crate::reference::screening::{ItemKind, ScreeningReference};
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScreeningModality {
    Spravato,
    IvKetamine,
    Tms,
}

impl ScreeningModality {
    pub fn as_str(self) -> &'static str {
        match self {
            ScreeningModality::Spravato => "spravato",
            ScreeningModality::IvKetamine => "iv_ketamine",
            ScreeningModality::Tms => "tms",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ScreeningModality::Spravato => "Spravato (esketamine)",
            ScreeningModality::IvKetamine => "IV ketamine",
            ScreeningModality::Tms => "TMS",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScreeningAnswer {
    /// An item id from the screening reference.
    pub item: String,
    /// None while not yet asked.
    pub answer: Option<Answer>,
    /// Required for a "yes".
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BloodPressure {
    pub date: String,
    pub systolic: String,
    pub diastolic: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Screening {
    pub modality: Option<ScreeningModality>,
    pub date: String,
    pub answers: Vec<ScreeningAnswer>,
    pub blood_pressure: Vec<BloodPressure>,
    /// When the prescription drug monitoring program was checked.
    pub pdmp_checked_on: Option<String>,
    pub pdmp_result: Option<String>,
    pub no_known_allergies: bool,
    pub allergies: Option<String>,
    /// One medication per line, with dose.
    pub current_medications: Option<String>,
    pub note: Option<String>,
}

/// What a screening found, for the chart and the summary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScreeningFindings {
    pub contraindications: Vec<String>,
    pub warnings: Vec<String>,
    pub unanswered: usize,
}

impl Screening {
    pub(crate) fn validate(
        &self,
        reference: &ScreeningReference,
        today: NaiveDate,
    ) -> Result<Screening, ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.modality.is_none() {
            e.add("modality", "Select the treatment this screening is for");
        }
        let date = check::full_date(
            &mut e,
            "date",
            "The screening date",
            &self.date,
            today,
            false,
        );
        let items = self
            .modality
            .map(|m| reference.items(m.as_str()))
            .unwrap_or_default();
        let mut answers = Vec::new();
        for (i, a) in self.answers.iter().enumerate() {
            let field = format!("answers.{i}");
            if !items.iter().any(|it| it.id == a.item) {
                e.add(
                    &field,
                    "This question is not part of the screening for this treatment",
                );
                continue;
            }
            if answers.iter().any(|x: &ScreeningAnswer| x.item == a.item) {
                e.add(&field, "This question is answered twice");
                continue;
            }
            let detail = check::optional_text(
                &mut e,
                &format!("{field}.detail"),
                "The detail",
                &a.detail,
                1000,
            );
            if a.answer == Some(Answer::Yes)
                && detail.is_none()
                && !e.has(&format!("{field}.detail"))
            {
                e.add(&format!("{field}.detail"), "Give the details for a \"yes\"");
            }
            answers.push(ScreeningAnswer {
                item: a.item.clone(),
                answer: a.answer,
                detail,
            });
        }
        // Stored in the reference's order so two equal screenings hash the same.
        answers.sort_by_key(|a| items.iter().position(|it| it.id == a.item));
        let mut blood_pressure = Vec::new();
        for (i, bp) in self.blood_pressure.iter().enumerate() {
            let f = format!("bloodPressure.{i}");
            let d = check::full_date(
                &mut e,
                &format!("{f}.date"),
                "The reading date",
                &bp.date,
                today,
                false,
            );
            let s = check::optional_count(
                &mut e,
                &format!("{f}.systolic"),
                "Systolic pressure",
                &Some(bp.systolic.clone()),
                50,
                300,
            );
            let di = check::optional_count(
                &mut e,
                &format!("{f}.diastolic"),
                "Diastolic pressure",
                &Some(bp.diastolic.clone()),
                20,
                200,
            );
            if bp.systolic.trim().is_empty() {
                e.add(&format!("{f}.systolic"), "Enter the systolic pressure");
            }
            if bp.diastolic.trim().is_empty() {
                e.add(&format!("{f}.diastolic"), "Enter the diastolic pressure");
            }
            if let (Some(s), Some(di)) = (s, di) {
                if di >= s {
                    e.add(
                        &format!("{f}.diastolic"),
                        "The diastolic pressure must be lower than the systolic",
                    );
                }
            }
            blood_pressure.push(BloodPressure {
                date: d.map(check::iso).unwrap_or_default(),
                systolic: s.map(|n| n.to_string()).unwrap_or_default(),
                diastolic: di.map(|n| n.to_string()).unwrap_or_default(),
            });
        }
        blood_pressure.sort_by(|a, b| a.date.cmp(&b.date));
        let pdmp_checked_on = check::optional_full_date(
            &mut e,
            "pdmpCheckedOn",
            "The PDMP check date",
            &self.pdmp_checked_on,
            today,
            false,
        );
        let pdmp_result = check::optional_text(
            &mut e,
            "pdmpResult",
            "The PDMP result",
            &self.pdmp_result,
            1000,
        );
        let allergies =
            check::optional_text(&mut e, "allergies", "The allergies", &self.allergies, 2000);
        if self.no_known_allergies && allergies.is_some() {
            e.add(
                "allergies",
                "Either list allergies or tick \"no known drug allergies\", not both",
            );
        }
        let current_medications = check::optional_text(
            &mut e,
            "currentMedications",
            "The medication list",
            &self.current_medications,
            4000,
        );
        let note = check::optional_text(&mut e, "note", "The note", &self.note, 4000);
        e.into_result()?;
        Ok(Screening {
            modality: self.modality,
            date: date.map(check::iso).unwrap_or_default(),
            answers,
            blood_pressure,
            pdmp_checked_on: pdmp_checked_on.map(check::iso),
            pdmp_result,
            no_known_allergies: self.no_known_allergies,
            allergies,
            current_medications,
            note,
        })
    }

    /// Contraindications and warnings answered "yes", and how many items are not answered.
    pub fn findings(&self, reference: &ScreeningReference) -> ScreeningFindings {
        let items = self
            .modality
            .map(|m| reference.items(m.as_str()))
            .unwrap_or_default();
        let mut f = ScreeningFindings::default();
        for it in &items {
            match self
                .answers
                .iter()
                .find(|a| a.item == it.id)
                .and_then(|a| a.answer)
            {
                None => f.unanswered += 1,
                Some(Answer::No) => {}
                Some(Answer::Yes) => match it.kind {
                    ItemKind::Contraindication => f.contraindications.push(it.label.clone()),
                    ItemKind::Warning => f.warnings.push(it.label.clone()),
                },
            }
        }
        f
    }

    /// A screening is signed only when it is complete.
    pub(crate) fn ready_to_sign(
        &self,
        reference: &ScreeningReference,
    ) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        let unanswered = self.findings(reference).unanswered;
        if unanswered > 0 {
            e.add(
                "answers",
                format!("Answer every question before signing ({unanswered} not answered)"),
            );
        }
        if !self.no_known_allergies && self.allergies.is_none() {
            e.add(
                "allergies",
                "Record the allergies, or tick \"no known drug allergies\", before signing",
            );
        }
        if self.blood_pressure.is_empty() && self.modality != Some(ScreeningModality::Tms) {
            e.add(
                "bloodPressure",
                "Record at least one blood-pressure reading before signing",
            );
        }
        e.into_result()
    }
}
