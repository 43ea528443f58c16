//! One treatment session's content: the flowsheet a nurse charts and a provider signs. Numbers
//! are kept as typed (and normalised by the checks) so a form round-trips what was entered;
//! derived values (kg, mg, mL, mL/h, minutes) are computed by the core, never by the UI.

use serde::{Deserialize, Serialize};

use crate::billing::{BillingLine, MtDetermination};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightUnit {
    Kg,
    Lb,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Weight {
    pub value: String,
    pub unit: WeightUnit,
    /// Stored as kilograms (computed by the core from `value` and `unit`).
    pub kg: Option<String>,
    /// The nurse confirmed a weight far from the last one is right.
    pub confirmed: bool,
}

/// A provider's documented decision to go ahead despite a rule (dose above the hard stop,
/// dosing on hold). `by`/`at` are stamped by the core from the signed-in provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProviderOverride {
    pub reason: String,
    pub by: Option<String>,
    pub by_name: Option<String>,
    pub at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KetamineDose {
    pub mg_per_kg: String,
    /// Vial concentration, mg/mL.
    pub concentration_mg_per_ml: String,
    /// IV: the bag the dose is diluted in, mL.
    pub diluent_ml: Option<String>,
    /// IV: planned infusion time, minutes.
    pub infusion_minutes: Option<String>,
    pub lot: Option<String>,
    pub expiry: Option<String>,
    pub ndc: Option<String>,
    /// HH:MM (IV: infusion start; IM: injection).
    pub start_time: Option<String>,
    /// HH:MM (IV: infusion stop).
    pub stop_time: Option<String>,
    pub limit_override: Option<ProviderOverride>,
}

/// The REMS form's concomitant-medication questions (yes/no each).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Concomitant {
    pub benzodiazepines: Option<bool>,
    pub non_benzodiazepine_hypnotics: Option<bool>,
    pub psychostimulants: Option<bool>,
    pub maois: Option<bool>,
    pub opioids: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpravatoDose {
    /// Patient enrolled in the Spravato REMS (required before a first treatment).
    pub rems_enrolled: Option<bool>,
    pub concomitant: Concomitant,
    pub dose_mg: Option<u32>,
    /// HH:MM each device was used; the first starts the monitoring clock.
    pub device_times: Vec<String>,
    pub lot: Option<String>,
    pub expiry: Option<String>,
    /// REMS question: minutes from the first device when the patient would have been ready to
    /// leave without the 2-hour requirement.
    pub ready_to_leave_minutes: Option<String>,
    pub vitals_acceptable_before: Option<bool>,
    pub vitals_acceptable_at_end: Option<bool>,
    pub sedation: Option<bool>,
    pub dissociation: Option<bool>,
    pub respiratory_depression: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TmsProtocol {
    /// High-frequency left DLPFC.
    Hz10,
    /// Intermittent theta burst.
    Itbs,
    /// Low-frequency right DLPFC.
    Hz1Right,
    Other,
}

impl TmsProtocol {
    pub fn label(self) -> &'static str {
        match self {
            TmsProtocol::Hz10 => "10 Hz left DLPFC",
            TmsProtocol::Itbs => "iTBS",
            TmsProtocol::Hz1Right => "1 Hz right DLPFC",
            TmsProtocol::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TmsDelivery {
    pub mt_determination: MtDetermination,
    /// Machine output (%) at the motor threshold, when determined this session.
    pub motor_threshold_percent: Option<String>,
    pub coil_location: Option<String>,
    /// Stimulation intensity as % of motor threshold.
    pub intensity_percent_mt: Option<String>,
    pub protocol: Option<TmsProtocol>,
    pub frequency_hz: Option<String>,
    pub trains: Option<String>,
    pub pulses_per_train: Option<String>,
    /// Computed from trains × pulses per train when left empty.
    pub total_pulses: Option<String>,
    pub start_time: Option<String>,
    pub stop_time: Option<String>,
}

/// One row of the timed vitals grid.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VitalsRow {
    /// A timepoint id from the clinic's settings (`pre`, `m40`, `discharge`, …); `recheck` for
    /// a repeated pre-dose reading.
    pub timepoint: String,
    /// HH:MM.
    pub time: Option<String>,
    pub systolic: Option<String>,
    pub diastolic: Option<String>,
    pub heart_rate: Option<String>,
    pub spo2: Option<String>,
    pub respiratory_rate: Option<String>,
    /// Sedation, MOAA/S 0–5.
    pub moaas: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Mild,
    Moderate,
    Severe,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdverseEvent {
    /// An id from the reference's adverse-event list.
    pub event: String,
    pub severity: Option<Severity>,
    pub action: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Discharge {
    /// Ids of the discharge criteria that are met.
    pub criteria: Vec<String>,
    /// HH:MM (Spravato: end of monitoring).
    pub time: Option<String>,
    pub escort_name: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TreatmentSession {
    /// The course (a record id of kind `course`, same patient).
    pub course_id: i64,
    pub date: String,
    pub weight: Option<Weight>,
    pub ketamine: Option<KetamineDose>,
    pub spravato: Option<SpravatoDose>,
    pub tms: Option<TmsDelivery>,
    pub vitals: Vec<VitalsRow>,
    pub hold_override: Option<ProviderOverride>,
    pub adverse_events: Vec<AdverseEvent>,
    pub discharge: Discharge,
    pub billing: Vec<BillingLine>,
    pub note: Option<String>,
}
