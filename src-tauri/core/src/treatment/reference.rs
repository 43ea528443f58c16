//! The bundled treatment reference (`core/reference/treatment.v1.json`): protocol templates,
//! dose limits, vital-sign timepoints and ranges, hold thresholds, discharge criteria and the
//! Spravato REMS session rules, each with its sources and a verified flag. The parts a clinic
//! may change are the defaults of [`super::settings::TreatmentSettings`].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::modality::{Indication, Modality};
use crate::error::{CoreError, CoreResult};

const BUNDLED: &str = include_str!("../../reference/treatment.v1.json");

/// One phase of a protocol: `per_week` sessions every `every_weeks` weeks, for `weeks` weeks
/// (`None`: open-ended, e.g. maintenance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Phase {
    pub label: String,
    pub weeks: Option<u32>,
    pub per_week: u32,
    pub every_weeks: u32,
}

/// Checks a plan's phases (a course's or a clinic template's), naming each bad one on
/// `{prefix}phases.{j}`.
pub(crate) fn check_phases(
    e: &mut crate::validation::ValidationErrors,
    prefix: &str,
    phases: &[Phase],
) {
    for (j, ph) in phases.iter().enumerate() {
        let open_ended_not_last = ph.weeks.is_none() && j + 1 != phases.len();
        if !(1..=7).contains(&ph.per_week)
            || !(1..=12).contains(&ph.every_weeks)
            || ph.weeks.is_some_and(|w| !(1..=52).contains(&w))
            || open_ended_not_last
            || ph.label.trim().is_empty()
        {
            e.add(
                &format!("{prefix}phases.{j}"),
                "A phase needs a name, 1–7 sessions a week, every 1–12 weeks, for 1–52 weeks (only the last phase may be open-ended)",
            );
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Protocol {
    pub id: String,
    pub modality: Modality,
    pub indication: Indication,
    pub label: String,
    pub phases: Vec<Phase>,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DoseLimits {
    /// Above this the dose is flagged for a second look.
    pub warn_above_mg_per_kg: f64,
    /// Above this the dose is refused unless a provider records an override reason.
    pub stop_above_mg_per_kg: f64,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WeightRule {
    pub min_kg: f64,
    pub max_kg: f64,
    /// A weight differing from the last one by more than this is questioned (lb typed as kg).
    pub question_change_percent: f64,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Timepoint {
    pub id: String,
    pub label: String,
    /// Minutes after the dose; `None` for pre-dose and pre-discharge.
    pub minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Timepoints {
    pub iv_ketamine: Vec<Timepoint>,
    pub im_ketamine: Vec<Timepoint>,
    pub spravato: Vec<Timepoint>,
    pub tms: Vec<Timepoint>,
    pub sources: Vec<String>,
    pub verified: bool,
}

impl Timepoints {
    pub fn for_modality(&self, m: Modality) -> &[Timepoint] {
        match m {
            Modality::IvKetamine => &self.iv_ketamine,
            Modality::ImKetamine => &self.im_ketamine,
            Modality::Spravato => &self.spravato,
            Modality::Tms => &self.tms,
        }
    }
}

/// Inclusive `[low, high]` per vital sign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Ranges {
    pub systolic: [u32; 2],
    pub diastolic: [u32; 2],
    pub heart_rate: [u32; 2],
    pub spo2: [u32; 2],
    pub respiratory_rate: [u32; 2],
    pub moaas: [u32; 2],
    pub sources: Vec<String>,
    pub verified: bool,
}

/// Pre-dose values at or above which dosing is held (None: not checked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HoldThreshold {
    pub systolic: Option<u32>,
    pub diastolic: Option<u32>,
    pub heart_rate: Option<u32>,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HoldThresholds {
    pub spravato: HoldThreshold,
    pub iv_ketamine: HoldThreshold,
    pub im_ketamine: HoldThreshold,
    pub tms: HoldThreshold,
}

impl HoldThresholds {
    pub fn for_modality(&self, m: Modality) -> &HoldThreshold {
        match m {
            Modality::IvKetamine => &self.iv_ketamine,
            Modality::ImKetamine => &self.im_ketamine,
            Modality::Spravato => &self.spravato,
            Modality::Tms => &self.tms,
        }
    }
}

/// Label and REMS facts for a Spravato session.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpravatoRules {
    pub mg_per_device: u32,
    pub allowed_doses_mg: Vec<u32>,
    pub first_dose_mg: u32,
    pub minutes_between_devices: u32,
    pub observation_minutes: u32,
    pub bp_after_dose_minutes: u32,
    /// Minutes after the first device within which the "40 minute" reading is accepted.
    pub bp_after_dose_window: [u32; 2],
    pub rems_form_due_days: u32,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Labelled {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TreatmentReference {
    pub format: String,
    pub version: u32,
    pub published: String,
    pub about: String,
    pub sources: BTreeMap<String, String>,
    pub protocols: Vec<Protocol>,
    pub dose_limits: DoseLimits,
    pub weight: WeightRule,
    pub timepoints: Timepoints,
    pub physiological: Ranges,
    pub alert_ranges: Ranges,
    pub hold_thresholds: HoldThresholds,
    pub spravato: SpravatoRules,
    pub discharge: Vec<Labelled>,
    pub discharge_sources: Vec<String>,
    pub adverse_events: Vec<Labelled>,
}

impl TreatmentReference {
    pub fn adverse_event_label(&self, id: &str) -> Option<&str> {
        self.adverse_events
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.label.as_str())
    }

    pub fn discharge_label(&self, id: &str) -> Option<&str> {
        self.discharge
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.label.as_str())
    }
}

fn parse(text: &str) -> Result<TreatmentReference, String> {
    let r: TreatmentReference = serde_json::from_str(text).map_err(|e| {
        format!(
            "the treatment reference is not valid (line {}): {e}",
            e.line()
        )
    })?;
    if r.format != "ketachart-treatment-reference" {
        return Err(format!("unexpected format {}", r.format));
    }
    let mut cited: Vec<&String> = r.protocols.iter().flat_map(|p| &p.sources).collect();
    cited.extend(&r.dose_limits.sources);
    cited.extend(&r.weight.sources);
    cited.extend(&r.timepoints.sources);
    cited.extend(&r.physiological.sources);
    cited.extend(&r.alert_ranges.sources);
    cited.extend(&r.spravato.sources);
    cited.extend(&r.discharge_sources);
    for t in [
        &r.hold_thresholds.spravato,
        &r.hold_thresholds.iv_ketamine,
        &r.hold_thresholds.im_ketamine,
        &r.hold_thresholds.tms,
    ] {
        cited.extend(&t.sources);
    }
    if let Some(s) = cited.iter().find(|s| !r.sources.contains_key(s.as_str())) {
        return Err(format!("source {s} is cited but not listed"));
    }
    for m in Modality::ALL {
        if !r.protocols.iter().any(|p| p.modality == m) {
            return Err(format!("no protocol for {}", m.as_str()));
        }
        let tps = r.timepoints.for_modality(m);
        if tps.first().map(|t| t.id.as_str()) != Some("pre") {
            return Err(format!("{}: the first timepoint must be pre", m.as_str()));
        }
    }
    Ok(r)
}

pub fn bundled() -> CoreResult<&'static TreatmentReference> {
    static REF: OnceLock<Result<TreatmentReference, String>> = OnceLock::new();
    REF.get_or_init(|| parse(BUNDLED))
        .as_ref()
        .map_err(|_| CoreError::Crypto("the bundled treatment reference is damaged"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_reference_loads_and_cites_its_sources() {
        let r = parse(BUNDLED).unwrap();
        assert_eq!(r.spravato.observation_minutes, 120);
        assert_eq!(r.spravato.rems_form_due_days, 7);
        assert_eq!(r.dose_limits.warn_above_mg_per_kg, 0.5);
        assert_eq!(r.dose_limits.stop_above_mg_per_kg, 1.0);
        assert!(
            !r.dose_limits.verified,
            "ketamine limits are practice convention"
        );
    }

    #[test]
    fn an_uncited_source_is_refused() {
        let bad = BUNDLED.replace("\"sources\": [\"S15e\"]", "\"sources\": [\"S999\"]");
        assert!(parse(&bad).unwrap_err().contains("S999"));
    }
}
