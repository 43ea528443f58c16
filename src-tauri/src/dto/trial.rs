//! Medication-trial shapes: the form as typed, and a trial as the treatment-failure table
//! shows it (durations as ranges, flags in words).

use ketachart_core::document::TrialSource;
use ketachart_core::reference::drugs::{Category, Drug};
use ketachart_core::trial::duration::DayRange;
use ketachart_core::trial::{DoseInput, Trial, TrialInput};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::documents::TrialSourceView;

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DoseForm {
    pub from: String,
    pub daily: String,
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrialForm {
    pub drug: String,
    pub role: String,
    pub start_date: String,
    pub stop_date: String,
    pub ongoing: bool,
    pub doses: Vec<DoseForm>,
    pub adherence_percent: String,
    pub adherent: Option<bool>,
    pub adherence_source: String,
    pub outcome: String,
    pub adverse_effect: String,
    pub reason_stopped: String,
    pub current_episode: bool,
    pub source_note: String,
    pub score_instrument: String,
    pub pre_score: String,
    pub post_score: String,
}

impl From<TrialForm> for TrialInput {
    fn from(f: TrialForm) -> Self {
        TrialInput {
            drug: f.drug,
            role: f.role,
            start_date: f.start_date,
            stop_date: f.stop_date,
            ongoing: f.ongoing,
            doses: f
                .doses
                .into_iter()
                .map(|d| DoseInput {
                    from: d.from,
                    daily: d.daily,
                })
                .collect(),
            adherence_percent: f.adherence_percent,
            adherent: f.adherent,
            adherence_source: f.adherence_source,
            outcome: f.outcome,
            adverse_effect: f.adverse_effect,
            reason_stopped: f.reason_stopped,
            current_episode: f.current_episode,
            source_note: f.source_note,
            score_instrument: f.score_instrument,
            pre_score: f.pre_score,
            post_score: f.post_score,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DaysRange {
    pub min_days: u32,
    pub max_days: u32,
    /// Whole weeks that are certain.
    pub certain_weeks: u32,
    pub max_weeks: u32,
}

impl From<DayRange> for DaysRange {
    fn from(r: DayRange) -> Self {
        DaysRange {
            min_days: r.min.max(0) as u32,
            max_days: r.max.max(0) as u32,
            certain_weeks: r.certain_weeks().max(0) as u32,
            max_weeks: r.max_weeks().max(0) as u32,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DoseRow {
    /// Stored form (`2021`, `2021-05`, `2021-05-17`) and display form (`May-2021`).
    pub from: String,
    pub from_display: String,
    pub daily: f64,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrialRow {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    #[specta(type = specta_typescript::Number)]
    pub version: i64,
    pub drug_id: Option<String>,
    pub drug_name: String,
    /// `None` for a drug not in the reference ("class unknown").
    pub class_label: Option<String>,
    pub augmentation_agent: bool,
    pub unit: Option<String>,
    pub min_therapeutic: Option<f64>,
    pub role: String,
    pub start_date: String,
    pub start_display: String,
    pub stop_date: Option<String>,
    pub stop_display: Option<String>,
    pub ongoing: bool,
    pub doses: Vec<DoseRow>,
    pub max_daily: Option<f64>,
    pub total: DaysRange,
    pub at_therapeutic: Option<DaysRange>,
    pub adherence_percent: Option<u8>,
    pub adherent: Option<bool>,
    pub adherence_source: Option<String>,
    pub outcome: Option<String>,
    pub adverse_effect: Option<String>,
    pub reason_stopped: Option<String>,
    pub current_episode: bool,
    pub source_note: Option<String>,
    pub score_instrument: Option<String>,
    pub pre_score: Option<f64>,
    pub post_score: Option<f64>,
    /// Improvement from pre to post score in percent of the pre score (positive = better).
    pub score_change_percent: Option<f64>,
    /// The dose floor is the clinic's own, not the bundled reference's.
    pub floor_from_clinic: bool,
    /// Missing or doubtful facts, in words ("no stop date", "dose below therapeutic minimum").
    pub flags: Vec<String>,
    /// Stored documents cited as this trial's evidence (document and page).
    pub sources: Vec<TrialSourceView>,
}

impl TrialRow {
    /// The trial with its source documents (from `document::trial_sources`).
    pub fn with_sources(t: Trial, sources: &[TrialSource]) -> Self {
        let id = t.id;
        let mut row = TrialRow::from(t);
        row.sources = sources
            .iter()
            .filter(|s| s.trial_id == id)
            .map(Into::into)
            .collect();
        row
    }
}

impl From<Trial> for TrialRow {
    fn from(t: Trial) -> Self {
        let mut flags: Vec<String> = t
            .durations
            .flags
            .iter()
            .map(|f| f.text().to_string())
            .collect();
        if !t.in_reference() {
            flags.insert(0, "not in reference, class unknown".into());
        }
        let score_change_percent = t.data.score_change_percent();
        let d = t.data;
        TrialRow {
            id: t.id,
            version: t.version,
            drug_id: d.drug_id,
            drug_name: d.drug_name,
            class_label: t.class.map(|c| c.label().to_string()),
            augmentation_agent: t.category == Some(Category::Augmentation),
            unit: t.unit,
            min_therapeutic: t.min_therapeutic,
            role: d.role.as_str().into(),
            start_date: d.start.to_iso(),
            start_display: d.start.display(),
            stop_date: d.stop.map(|s| s.to_iso()),
            stop_display: d.stop.map(|s| s.display()),
            ongoing: d.ongoing,
            doses: d
                .doses
                .iter()
                .map(|s| DoseRow {
                    from: s.from.to_iso(),
                    from_display: s.from.display(),
                    daily: s.daily,
                })
                .collect(),
            max_daily: t.durations.max_daily,
            total: t.durations.total.into(),
            at_therapeutic: t.durations.at_therapeutic.map(Into::into),
            adherence_percent: d.adherence_percent,
            adherent: d.adherent,
            adherence_source: d.adherence_source.map(|s| s.as_str().into()),
            outcome: d.outcome.map(|o| o.as_str().into()),
            adverse_effect: d.adverse_effect,
            reason_stopped: d.reason_stopped,
            current_episode: d.current_episode,
            source_note: d.source_note,
            score_instrument: d.score_instrument,
            pre_score: d.pre_score,
            post_score: d.post_score,
            score_change_percent,
            floor_from_clinic: t.floor_from_clinic,
            flags,
            sources: Vec::new(),
        }
    }
}

/// A reference drug for the medication picker.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DrugOption {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub class_label: String,
    pub augmentation_agent: bool,
    pub min_therapeutic: Option<f64>,
    pub unit: String,
    /// False where the reference marks the figure UNVERIFIED (label it so).
    pub verified: bool,
    pub note: String,
}

impl From<&Drug> for DrugOption {
    fn from(d: &Drug) -> Self {
        DrugOption {
            id: d.id.clone(),
            name: d.name.clone(),
            aliases: d.aliases.clone(),
            class_label: d.class.label().into(),
            augmentation_agent: d.category == Category::Augmentation,
            min_therapeutic: d.min_therapeutic,
            unit: d.unit.clone(),
            verified: d.verified,
            note: d.note.clone(),
        }
    }
}

/// A trial's id on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct TrialId(#[specta(type = specta_typescript::Number)] pub i64);
