//! The clinic's treatment settings on the wire. These mirror the core's
//! `treatment::settings::TreatmentSettings` (and the reference parts it is made of) field for
//! field, in camelCase with snake_case enum values, and are converted through serde like the
//! record forms, so drift fails `tests` below. Names carry a `Ts` prefix to stay clear of the
//! other generated TypeScript names.

use ketachart_core::treatment::settings::{EffectiveSettings, TreatmentSettings};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::treatment::{to_core, IndicationName, TreatmentModality};
use crate::error::IpcError;

/// `perWeek` sessions every `everyWeeks` weeks, for `weeks` weeks (null: open-ended).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TsPhase {
    pub label: String,
    pub weeks: Option<u32>,
    pub per_week: u32,
    pub every_weeks: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TsProtocol {
    pub id: String,
    pub modality: TreatmentModality,
    pub indication: IndicationName,
    pub label: String,
    pub phases: Vec<TsPhase>,
    pub sources: Vec<String>,
    pub verified: bool,
}

/// IV/IM ketamine, in mg/kg: above `warn` the dose is flagged, above `stop` it is refused
/// unless a provider records an override. (Numbers here are always finite: the core refuses
/// anything else, so TypeScript sees `number`, not `number | null`.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TsDoseLimits {
    #[specta(type = specta_typescript::Number)]
    pub warn_above_mg_per_kg: f64,
    #[specta(type = specta_typescript::Number)]
    pub stop_above_mg_per_kg: f64,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TsWeightRule {
    #[specta(type = specta_typescript::Number)]
    pub min_kg: f64,
    #[specta(type = specta_typescript::Number)]
    pub max_kg: f64,
    /// A weight differing from the last one by more than this is questioned.
    #[specta(type = specta_typescript::Number)]
    pub question_change_percent: f64,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TsTimepoint {
    pub id: String,
    pub label: String,
    /// Minutes after the dose; null for pre-dose and pre-discharge.
    pub minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TsTimepoints {
    pub iv_ketamine: Vec<TsTimepoint>,
    pub im_ketamine: Vec<TsTimepoint>,
    pub spravato: Vec<TsTimepoint>,
    pub tms: Vec<TsTimepoint>,
    pub sources: Vec<String>,
    pub verified: bool,
}

/// Inclusive `[low, high]` per vital sign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TsRanges {
    pub systolic: [u32; 2],
    pub diastolic: [u32; 2],
    pub heart_rate: [u32; 2],
    pub spo2: [u32; 2],
    pub respiratory_rate: [u32; 2],
    pub moaas: [u32; 2],
    pub sources: Vec<String>,
    pub verified: bool,
}

/// Pre-dose values at or above which dosing is held (null: not checked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TsHoldThreshold {
    pub systolic: Option<u32>,
    pub diastolic: Option<u32>,
    pub heart_rate: Option<u32>,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TsHoldThresholds {
    pub spravato: TsHoldThreshold,
    pub iv_ketamine: TsHoldThreshold,
    pub im_ketamine: TsHoldThreshold,
    pub tms: TsHoldThreshold,
}

/// The whole editable document; saving sends all of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TsSettings {
    pub protocols: Vec<TsProtocol>,
    pub dose_limits: TsDoseLimits,
    pub weight: TsWeightRule,
    pub timepoints: TsTimepoints,
    pub alert_ranges: TsRanges,
    pub hold_thresholds: TsHoldThresholds,
}

/// The settings in force, who last changed them (null: the reference's defaults) and the
/// defaults a provider may restore.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TsSettingsView {
    pub settings: TsSettings,
    pub changed_by: Option<String>,
    /// UTC timestamp.
    pub changed_at: Option<String>,
    pub defaults: TsSettings,
}

impl TsSettings {
    pub fn to_core(&self) -> Result<TreatmentSettings, IpcError> {
        to_core(self)
    }
}

pub fn settings_view(
    effective: EffectiveSettings,
    defaults: &TreatmentSettings,
) -> Result<TsSettingsView, IpcError> {
    Ok(TsSettingsView {
        settings: to_core(&effective.settings)?,
        changed_by: effective.changed_by,
        changed_at: effective.changed_at,
        defaults: to_core(defaults)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ketachart_core::treatment::settings;

    #[test]
    fn the_wire_shape_matches_the_core_settings() {
        // Core → wire → core keeps every value (the core refuses unknown fields, so a field
        // missing on either side fails here).
        let core = settings::defaults().unwrap();
        let wire: TsSettings = to_core(&core).unwrap();
        let back: TreatmentSettings = wire.to_core().unwrap();
        assert_eq!(back, core);
        assert_eq!(
            serde_json::to_value(&wire).unwrap(),
            serde_json::to_value(&core).unwrap()
        );
        // And a wire document with the optional parts empty goes the other way too.
        let mut edited = wire.clone();
        edited.protocols[0].phases[0].weeks = None;
        edited.hold_thresholds.spravato.systolic = None;
        edited.timepoints.tms.clear();
        edited.alert_ranges.moaas = [3, 5];
        let core: TreatmentSettings = edited.to_core().unwrap();
        let again: TsSettings = to_core(&core).unwrap();
        assert_eq!(again, edited);
    }
}
