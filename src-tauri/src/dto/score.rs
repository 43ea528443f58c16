//! Wire shapes for rating scales: the instruments (from the core's versioned reference), an
//! administration as entered and as stored, trends, and safety alerts.

use std::collections::BTreeMap;

use ketachart_core::scales::definition::Rater;
use ketachart_core::scales::{self, EntryMode, Instrument};
use ketachart_core::scores::{self, alert, Administration, Trend};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::patient::PatientId;

/// A safety alert's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct AlertId(#[specta(type = specta_typescript::Number)] pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ScoreMode {
    Clinician,
    SelfReport,
}

impl From<ScoreMode> for scores::Mode {
    fn from(m: ScoreMode) -> Self {
        match m {
            ScoreMode::Clinician => scores::Mode::Clinician,
            ScoreMode::SelfReport => scores::Mode::SelfReport,
        }
    }
}

impl From<scores::Mode> for ScoreMode {
    fn from(m: scores::Mode) -> Self {
        match m {
            scores::Mode::Clinician => ScoreMode::Clinician,
            scores::Mode::SelfReport => ScoreMode::SelfReport,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AnswerOptionView {
    pub value: i32,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InstrumentItemView {
    /// The question number ("1", "6a"): the key of its answer.
    pub id: String,
    /// Full wording where the licence allows it, otherwise a short neutral label.
    pub label: String,
    pub options: Vec<AnswerOptionView>,
    /// Counts towards the total.
    pub scored: bool,
    pub required: bool,
    /// Asked only when question `item` was answered `equals` (C-SSRS branching).
    pub asked_if_item: Option<String>,
    pub asked_if_equals: Option<i32>,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BandView {
    pub label: String,
    pub min: i32,
    pub max: i32,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InstrumentView {
    pub id: String,
    pub name: String,
    pub short_name: String,
    /// `items`: every answer entered and scored; `total`: the total only (licensed item text).
    pub entry: String,
    /// `self`, `clinician` or `clinician_or_self`.
    pub rater: String,
    pub recall_period: Option<String>,
    pub stem: Option<String>,
    pub items: Vec<InstrumentItemView>,
    pub total_min: Option<i32>,
    pub total_max: Option<i32>,
    pub bands: Vec<BandView>,
    /// "Response: 50 % or more below baseline; remission: below 5" (from the reference).
    pub change_rule: Option<String>,
    pub licence_note: String,
    /// False when any part of the definition awaits clinical review.
    pub verified: bool,
    /// Rated at a time point (CADSS: before the dose or at the peak).
    pub needs_timepoint: bool,
}

impl From<&Instrument> for InstrumentView {
    fn from(i: &Instrument) -> Self {
        let bands: Vec<BandView> = i
            .bands
            .as_ref()
            .map(|b| {
                b.bands
                    .iter()
                    .map(|x| BandView {
                        label: x.label.clone(),
                        min: x.min,
                        max: x.max,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let change_rule = i.change.as_ref().map(|c| {
            let mut s = format!(
                "Response: {} % or more below baseline; partial response: {} % or more",
                c.response.min_reduction_percent, c.partial_response.min_reduction_percent
            );
            if let Some(r) = &c.remission {
                s.push_str(&format!("; remission: {}", r.threshold.text()));
            }
            s
        });
        let verified = i.licence.verified
            && i.items.iter().all(|x| x.verified)
            && i.total.as_ref().is_none_or(|t| t.verified)
            && i.bands.as_ref().is_none_or(|b| b.verified);
        InstrumentView {
            id: i.id.clone(),
            name: i.name.clone(),
            short_name: i.short_name.clone(),
            entry: match i.entry_mode {
                EntryMode::Items => "items".into(),
                EntryMode::Total => "total".into(),
            },
            rater: match i.rater {
                Rater::SelfReport => "self".into(),
                Rater::Clinician => "clinician".into(),
                Rater::ClinicianOrSelf => "clinician_or_self".into(),
            },
            recall_period: i.recall_period.clone(),
            stem: i.stem.clone(),
            items: i
                .items
                .iter()
                .map(|x| InstrumentItemView {
                    id: x.id.clone(),
                    label: x.label.clone(),
                    options: x
                        .answers
                        .options
                        .iter()
                        .map(|o| AnswerOptionView {
                            value: o.value,
                            label: o.label.clone(),
                        })
                        .collect(),
                    scored: x.scored,
                    required: x.required,
                    asked_if_item: x.asked_if.as_ref().map(|c| c.item.clone()),
                    asked_if_equals: x.asked_if.as_ref().map(|c| c.equals),
                    verified: x.verified,
                })
                .collect(),
            total_min: i.total.as_ref().map(|t| t.min),
            total_max: i.total.as_ref().map(|t| t.max),
            bands,
            change_rule,
            licence_note: i.licence.note.clone(),
            verified,
            needs_timepoint: i.id == "cadss",
        }
    }
}

/// One administration as entered.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ScoreForm {
    pub instrument: String,
    /// Local date and time, `YYYY-MM-DDTHH:MM`.
    pub administered_at: String,
    pub mode: Option<ScoreMode>,
    pub rater: Option<String>,
    /// CADSS: `pre_dose` or `peak`.
    pub timepoint: Option<String>,
    /// Answers by question number, for instruments entered item by item.
    pub answers: BTreeMap<String, i32>,
    /// The total, for score-only instruments (or a total from outside records).
    pub total: Option<i32>,
    /// The treatment session it was given in (same patient, same day).
    #[specta(type = Option<specta_typescript::Number>)]
    pub session_id: Option<i64>,
}

impl From<ScoreForm> for scores::ScoreInput {
    fn from(f: ScoreForm) -> Self {
        scores::ScoreInput {
            instrument: f.instrument,
            administered_at: f.administered_at,
            mode: f.mode.map(Into::into),
            rater: f.rater,
            timepoint: f.timepoint,
            answers: f.answers,
            total: f.total,
            session_id: f.session_id,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ScoreView {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    pub patient_id: PatientId,
    pub instrument: String,
    pub instrument_name: String,
    pub administered_at: String,
    pub mode: ScoreMode,
    pub rater: Option<String>,
    pub timepoint: Option<String>,
    pub answers: BTreeMap<String, i32>,
    pub total: Option<i32>,
    pub total_entered: bool,
    pub band: Option<String>,
    pub flags: Vec<String>,
    pub triage: Option<String>,
    pub unchecked: Vec<String>,
    pub verified: bool,
    pub entered_by: String,
    /// The treatment session it was given in.
    #[specta(type = Option<specta_typescript::Number>)]
    pub session_id: Option<i64>,
}

impl From<Administration> for ScoreView {
    fn from(a: Administration) -> Self {
        ScoreView {
            id: a.id,
            patient_id: PatientId(a.patient_id),
            instrument: a.instrument,
            instrument_name: a.instrument_name,
            administered_at: a.administered_at,
            mode: a.mode.into(),
            rater: a.rater,
            timepoint: a.timepoint,
            answers: a.answers,
            total: a.total,
            total_entered: a.total_entered,
            band: a.band,
            flags: a.result.flags,
            triage: a.result.triage,
            unchecked: a.result.unchecked,
            verified: a.result.verified,
            entered_by: a.entered_by,
            session_id: a.session_id,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ResponseLabel {
    Response,
    PartialResponse,
    NonResponse,
    NotComputable,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChangeView {
    pub baseline: i32,
    pub current: i32,
    /// Reduction from baseline in percent (negative: worse); null when the baseline is 0.
    pub reduction_percent: Option<f64>,
    pub response: ResponseLabel,
    /// "Response", "Partial response", …, in words.
    pub response_text: String,
    pub worsened: bool,
    /// Null when the instrument defines no remission threshold.
    pub remission: Option<bool>,
    /// "below 5", "10 or less".
    pub remission_threshold: Option<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrendView {
    pub instrument: String,
    pub instrument_name: String,
    /// Every score with a total, oldest first.
    pub points: Vec<ScoreView>,
    /// The second-to-last score when there are three or more.
    #[specta(type = Option<specta_typescript::Number>)]
    pub prior_id: Option<i64>,
    pub change: Option<ChangeView>,
    pub bands: Vec<BandView>,
    pub total_min: Option<i32>,
    pub total_max: Option<i32>,
}

impl TrendView {
    pub fn new(t: Trend) -> Self {
        let def = scales::bundled()
            .ok()
            .and_then(|r| r.get(&t.instrument))
            .map(InstrumentView::from);
        let prior_id = t.prior().map(|p| p.id);
        TrendView {
            instrument: t.instrument,
            instrument_name: t.instrument_name,
            prior_id,
            change: t.change.map(|c| ChangeView {
                baseline: c.baseline,
                current: c.current,
                reduction_percent: c.reduction_percent,
                response: match c.response {
                    scales::ResponseClass::Response => ResponseLabel::Response,
                    scales::ResponseClass::PartialResponse => ResponseLabel::PartialResponse,
                    scales::ResponseClass::NonResponse => ResponseLabel::NonResponse,
                    scales::ResponseClass::NotComputable => ResponseLabel::NotComputable,
                },
                response_text: c.response.label().to_string(),
                worsened: c.worsened,
                remission: c.remission,
                remission_threshold: c.remission_threshold.map(|x| x.text()),
                verified: c.verified,
            }),
            points: t.points.into_iter().map(Into::into).collect(),
            bands: def.as_ref().map(|d| d.bands.clone()).unwrap_or_default(),
            total_min: def.as_ref().and_then(|d| d.total_min),
            total_max: def.as_ref().and_then(|d| d.total_max),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum AckActionName {
    SafetyPlan,
    RiskAssessment,
    Referral,
    Emergency,
}

impl From<AckActionName> for alert::AckAction {
    fn from(a: AckActionName) -> Self {
        match a {
            AckActionName::SafetyPlan => alert::AckAction::SafetyPlan,
            AckActionName::RiskAssessment => alert::AckAction::RiskAssessment,
            AckActionName::Referral => alert::AckAction::Referral,
            AckActionName::Emergency => alert::AckAction::Emergency,
        }
    }
}

impl From<alert::AckAction> for AckActionName {
    fn from(a: alert::AckAction) -> Self {
        match a {
            alert::AckAction::SafetyPlan => AckActionName::SafetyPlan,
            alert::AckAction::RiskAssessment => AckActionName::RiskAssessment,
            alert::AckAction::Referral => AckActionName::Referral,
            alert::AckAction::Emergency => AckActionName::Emergency,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AcknowledgeForm {
    pub action: Option<AckActionName>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AcknowledgementView {
    pub at: String,
    pub by_name: String,
    pub action: AckActionName,
    pub action_text: String,
    pub note: Option<String>,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AlertView {
    pub id: AlertId,
    pub patient_id: PatientId,
    pub patient_mrn: String,
    pub patient_name: String,
    #[specta(type = specta_typescript::Number)]
    pub score_id: i64,
    pub instrument_name: String,
    pub administered_at: String,
    /// `flag` (a safety item above 0), `moderate` or `high` (C-SSRS triage).
    pub level: String,
    pub reason: String,
    pub raised_at: String,
    pub acknowledged: Option<AcknowledgementView>,
}

impl From<alert::SafetyAlert> for AlertView {
    fn from(a: alert::SafetyAlert) -> Self {
        AlertView {
            id: AlertId(a.id),
            patient_id: PatientId(a.patient_id),
            patient_mrn: a.patient_mrn,
            patient_name: a.patient_name,
            score_id: a.administration_id,
            instrument_name: a.instrument_name,
            administered_at: a.administered_at,
            level: a.level.as_str().into(),
            reason: a.reason,
            raised_at: a.raised_at,
            acknowledged: a.acknowledged.map(|k| AcknowledgementView {
                at: k.at,
                by_name: k.by_name,
                action: k.action.into(),
                action_text: k.action.label().into(),
                note: k.note,
                sha256: k.sha256,
            }),
        }
    }
}
