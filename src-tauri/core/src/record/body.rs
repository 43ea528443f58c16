//! A clinical record's content, one variant per kind; stored as JSON in that shape (and
//! exported in it), validated in full before every write.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::coverage::Coverage;
use super::diagnosis::Diagnosis;
use super::episode::Episode;
use super::evaluation::Evaluation;
use super::kind::RecordKind;
use super::other_treatment::OtherTreatment;
use super::psychotherapy::Psychotherapy;
use super::screening::Screening;
use crate::error::CoreResult;
use crate::reference::{icd10, screening};
use crate::treatment::{Course, TreatmentSession};
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
// A session is the largest document; records are read a handful at a time, so boxing buys
// nothing worth the noise at every match.
#[allow(clippy::large_enum_variant)]
pub enum RecordBody {
    Coverage(Coverage),
    Diagnosis(Diagnosis),
    Episode(Episode),
    Psychotherapy(Psychotherapy),
    OtherTreatment(OtherTreatment),
    Screening(Screening),
    Evaluation(Evaluation),
    Course(Course),
    Session(TreatmentSession),
}

impl RecordBody {
    pub fn kind(&self) -> RecordKind {
        match self {
            RecordBody::Coverage(_) => RecordKind::Coverage,
            RecordBody::Diagnosis(_) => RecordKind::Diagnosis,
            RecordBody::Episode(_) => RecordKind::Episode,
            RecordBody::Psychotherapy(_) => RecordKind::Psychotherapy,
            RecordBody::OtherTreatment(_) => RecordKind::OtherTreatment,
            RecordBody::Screening(_) => RecordKind::Screening,
            RecordBody::Evaluation(_) => RecordKind::Evaluation,
            RecordBody::Course(_) => RecordKind::Course,
            RecordBody::Session(_) => RecordKind::Session,
        }
    }

    /// Checks every field and returns the normalised content (trimmed text, ISO dates, numbers
    /// without leading zeros), or every problem named on its field.
    pub fn validate(&self, today: NaiveDate) -> CoreResult<RecordBody> {
        let r: Result<RecordBody, ValidationErrors> = match self {
            RecordBody::Coverage(c) => c.validate(today).map(RecordBody::Coverage),
            RecordBody::Diagnosis(d) => d
                .validate(icd10::bundled()?, today)
                .map(RecordBody::Diagnosis),
            RecordBody::Episode(x) => x.validate(today).map(RecordBody::Episode),
            RecordBody::Psychotherapy(x) => x.validate(today).map(RecordBody::Psychotherapy),
            RecordBody::OtherTreatment(x) => x.validate(today).map(RecordBody::OtherTreatment),
            RecordBody::Screening(x) => x
                .validate(screening::bundled()?, today)
                .map(RecordBody::Screening),
            RecordBody::Evaluation(x) => x.validate(today).map(RecordBody::Evaluation),
            RecordBody::Course(x) => x.validate(today).map(RecordBody::Course),
            // Sessions are checked against the chart and the clinic's settings in the
            // writing transaction (`treatment::prepare_session`).
            RecordBody::Session(x) => Ok(RecordBody::Session(x.clone())),
        };
        Ok(r?)
    }

    /// The date the chart sorts by (partial ISO).
    pub fn sort_date(&self) -> Option<String> {
        match self {
            RecordBody::Coverage(c) => Some(c.effective_from.clone()),
            RecordBody::Diagnosis(d) => d.onset.clone(),
            RecordBody::Episode(e) => Some(e.onset.clone()),
            RecordBody::Psychotherapy(p) => Some(p.start.clone()),
            RecordBody::OtherTreatment(o) => o.start.clone(),
            RecordBody::Screening(s) => Some(s.date.clone()),
            RecordBody::Evaluation(e) => Some(e.date.clone()),
            RecordBody::Course(c) => Some(c.start_date.clone()),
            RecordBody::Session(s) => Some(s.date.clone()),
        }
    }

    /// Extra conditions before a provider may sign (kinds that are signed at all).
    pub(crate) fn ready_to_sign(&self) -> CoreResult<()> {
        let r = match self {
            RecordBody::Screening(s) => s.ready_to_sign(screening::bundled()?),
            RecordBody::Evaluation(e) => e.ready_to_sign(),
            _ => Ok(()),
        };
        Ok(r?)
    }
}
