//! Treatment course and session shapes. The forms mirror the core's `treatment::Course` and
//! `treatment::TreatmentSession` field for field (camelCase, snake_case enum values) and are
//! converted through serde like the other record kinds, so drift fails `tests` below.

use ketachart_core::treatment::rems::{RemsDue, Submission, SubmissionMethod};
use ketachart_core::treatment::schedule::PlannedSession;
use ketachart_core::treatment::validate::{DoseLevel, SessionFacts};
use ketachart_core::treatment::view::CourseOverview;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::record::{view, RecordId, RecordView};
use crate::error::IpcError;

macro_rules! wire_enum {
    ($name:ident { $($v:ident),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($v),+ }
    };
}

wire_enum!(TreatmentModality {
    IvKetamine,
    ImKetamine,
    Spravato,
    Tms
});
wire_enum!(IndicationName { Trd, Mdsi });
wire_enum!(CourseStatusName {
    Active,
    Paused,
    Completed,
    Stopped
});
wire_enum!(WeightUnitName { Kg, Lb });
wire_enum!(TmsProtocolName {
    Hz10,
    Itbs,
    Hz1Right,
    Other
});
wire_enum!(MtDeterminationName {
    None,
    Initial,
    Redetermination
});
wire_enum!(EventSeverity {
    Mild,
    Moderate,
    Severe
});
wire_enum!(RemsMethod { Online, Fax });

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PhaseForm {
    pub label: String,
    pub weeks: Option<u32>,
    pub per_week: u32,
    pub every_weeks: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CourseForm {
    pub modality: Option<TreatmentModality>,
    pub indication: Option<IndicationName>,
    pub protocol_id: Option<String>,
    /// Empty: copied from the protocol template by the core.
    pub phases: Vec<PhaseForm>,
    pub start_date: String,
    pub status: CourseStatusName,
    pub status_reason: Option<String>,
    pub end_date: Option<String>,
    pub authorized_units: Option<String>,
    pub authorization_number: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WeightForm {
    pub value: String,
    pub unit: WeightUnitName,
    /// Computed by the core; ignored on input.
    pub kg: Option<String>,
    pub confirmed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OverrideForm {
    pub reason: String,
    /// Stamped by the core from the signed-in provider.
    pub by: Option<String>,
    pub by_name: Option<String>,
    pub at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KetamineForm {
    pub mg_per_kg: String,
    pub concentration_mg_per_ml: String,
    pub diluent_ml: Option<String>,
    pub infusion_minutes: Option<String>,
    pub lot: Option<String>,
    pub expiry: Option<String>,
    pub ndc: Option<String>,
    pub start_time: Option<String>,
    pub stop_time: Option<String>,
    pub limit_override: Option<OverrideForm>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConcomitantForm {
    pub benzodiazepines: Option<bool>,
    pub non_benzodiazepine_hypnotics: Option<bool>,
    pub psychostimulants: Option<bool>,
    pub maois: Option<bool>,
    pub opioids: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SpravatoForm {
    pub rems_enrolled: Option<bool>,
    pub concomitant: ConcomitantForm,
    pub dose_mg: Option<u32>,
    pub device_times: Vec<String>,
    pub lot: Option<String>,
    pub expiry: Option<String>,
    pub ready_to_leave_minutes: Option<String>,
    pub vitals_acceptable_before: Option<bool>,
    pub vitals_acceptable_at_end: Option<bool>,
    pub sedation: Option<bool>,
    pub dissociation: Option<bool>,
    pub respiratory_depression: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TmsForm {
    pub mt_determination: MtDeterminationName,
    pub motor_threshold_percent: Option<String>,
    pub coil_location: Option<String>,
    pub intensity_percent_mt: Option<String>,
    pub protocol: Option<TmsProtocolName>,
    pub frequency_hz: Option<String>,
    pub trains: Option<String>,
    pub pulses_per_train: Option<String>,
    pub total_pulses: Option<String>,
    pub start_time: Option<String>,
    pub stop_time: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VitalsRowForm {
    pub timepoint: String,
    pub time: Option<String>,
    pub systolic: Option<String>,
    pub diastolic: Option<String>,
    pub heart_rate: Option<String>,
    pub spo2: Option<String>,
    pub respiratory_rate: Option<String>,
    pub moaas: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AdverseEventForm {
    pub event: String,
    pub severity: Option<EventSeverity>,
    pub action: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DischargeForm {
    pub criteria: Vec<String>,
    pub time: Option<String>,
    pub escort_name: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BillingLineForm {
    pub code: String,
    pub units: u32,
    pub ndc: Option<String>,
    pub modifier: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionForm {
    #[specta(type = specta_typescript::Number)]
    pub course_id: i64,
    pub date: String,
    pub weight: Option<WeightForm>,
    pub ketamine: Option<KetamineForm>,
    pub spravato: Option<SpravatoForm>,
    pub tms: Option<TmsForm>,
    pub vitals: Vec<VitalsRowForm>,
    pub hold_override: Option<OverrideForm>,
    pub adverse_events: Vec<AdverseEventForm>,
    pub discharge: DischargeForm,
    pub billing: Vec<BillingLineForm>,
    pub note: Option<String>,
}

pub fn to_core<T: Serialize, U: serde::de::DeserializeOwned>(v: &T) -> Result<U, IpcError> {
    let j = serde_json::to_value(v).map_err(|_| IpcError::internal("form not encodable"))?;
    serde_json::from_value(j).map_err(|_| IpcError::internal("form does not match the core"))
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlannedSessionView {
    pub number: u32,
    pub phase: String,
    pub week: u32,
    pub target: String,
    pub open_ended: bool,
}

impl From<&PlannedSession> for PlannedSessionView {
    fn from(p: &PlannedSession) -> Self {
        PlannedSessionView {
            number: p.number,
            phase: p.phase.clone(),
            week: p.week,
            target: p.target.format("%Y-%m-%d").to_string(),
            open_ended: p.open_ended,
        }
    }
}

/// The approval (an authorization request) a course's session count comes from.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CourseAuthorizationView {
    #[specta(type = specta_typescript::Number)]
    pub request_id: i64,
    pub auth_number: Option<String>,
    pub sessions: u32,
    /// `YYYY-MM-DD`.
    pub start: String,
    pub end: String,
    /// The course's sessions charted within the approval's dates.
    pub used: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CourseView {
    pub record: RecordView,
    pub title: String,
    pub sessions: u32,
    pub signed: u32,
    pub planned_total: u32,
    /// Sessions authorized: from the approval in effect today when one is recorded, else the
    /// units typed on the course.
    pub authorized: Option<u32>,
    /// The approval the count comes from.
    pub authorization: Option<CourseAuthorizationView>,
    pub plan: Vec<PlannedSessionView>,
    /// Outcome scales given in the course without a baseline.
    pub unbaselined: Vec<String>,
}

pub fn course_view(c: CourseOverview) -> Result<CourseView, IpcError> {
    Ok(CourseView {
        title: c.course.title(),
        sessions: c.sessions,
        signed: c.signed,
        planned_total: c.planned_total,
        authorized: c.authorized,
        authorization: c.authorization.map(|a| CourseAuthorizationView {
            request_id: a.request_id,
            auth_number: a.auth_number,
            sessions: a.sessions,
            start: a.start.format("%Y-%m-%d").to_string(),
            end: a.end.format("%Y-%m-%d").to_string(),
            used: a.used,
        }),
        plan: c.plan.iter().map(Into::into).collect(),
        unbaselined: c.unbaselined,
        record: view(c.record)?,
    })
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VitalsFlagView {
    pub row: u32,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MissingView {
    pub field: String,
    pub message: String,
}

wire_enum!(DoseLevelName {
    Within,
    AboveWarning,
    AboveStop
});

/// What the core computed for a session: the flowsheet shows it as it is typed.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionFactsView {
    pub modality: TreatmentModality,
    pub session_number: u32,
    pub planned_total: u32,
    pub authorized_units: Option<u32>,
    pub weight_kg: Option<f64>,
    pub weight_arithmetic: Option<String>,
    pub dose_mg: Option<f64>,
    pub dose_arithmetic: Option<String>,
    pub dose_level: DoseLevelName,
    pub volume_ml: Option<f64>,
    pub volume_arithmetic: Option<String>,
    pub rate_ml_per_hour: Option<f64>,
    pub rate_arithmetic: Option<String>,
    pub infusion_minutes: Option<u32>,
    pub vitals_flags: Vec<VitalsFlagView>,
    pub hold_reasons: Vec<String>,
    pub hold_resolution: Option<String>,
    /// HH:MM.
    pub monitoring_start: Option<String>,
    /// HH:MM: Spravato's earliest permitted discharge.
    pub earliest_discharge: Option<String>,
    pub monitoring_minutes: Option<u32>,
    pub warnings: Vec<String>,
    pub missing: Vec<MissingView>,
    pub suggested_billing: Vec<BillingLineForm>,
    pub billing_notes: Vec<String>,
    pub first_spravato_session: bool,
    /// Spravato: device boxes the dose needs.
    pub devices_needed: Option<u32>,
    /// Show "Weight checked": the weight is far from the last one.
    pub weight_needs_confirmation: bool,
}

pub fn facts_view(f: SessionFacts) -> Result<SessionFactsView, IpcError> {
    let hm = |t: Option<chrono::NaiveTime>| t.map(|t| t.format("%H:%M").to_string());
    Ok(SessionFactsView {
        modality: to_core(&f.modality)?,
        session_number: f.session_number,
        planned_total: f.planned_total,
        authorized_units: f.authorized_units,
        weight_kg: f.weight_kg,
        weight_arithmetic: f.weight_arithmetic,
        dose_mg: f.dose_mg,
        dose_arithmetic: f.dose_arithmetic,
        dose_level: match f.dose_level {
            DoseLevel::Within => DoseLevelName::Within,
            DoseLevel::AboveWarning => DoseLevelName::AboveWarning,
            DoseLevel::AboveStop => DoseLevelName::AboveStop,
        },
        volume_ml: f.volume_ml,
        volume_arithmetic: f.volume_arithmetic,
        rate_ml_per_hour: f.rate_ml_per_hour,
        rate_arithmetic: f.rate_arithmetic,
        infusion_minutes: f.infusion_minutes,
        vitals_flags: f
            .vitals_flags
            .into_iter()
            .map(|v| VitalsFlagView {
                row: v.row as u32,
                field: v.field,
                message: v.message,
            })
            .collect(),
        hold_reasons: f.hold_reasons,
        hold_resolution: f.hold_resolution,
        monitoring_start: hm(f.monitoring_start),
        earliest_discharge: hm(f.earliest_discharge),
        monitoring_minutes: f.monitoring_minutes,
        warnings: f.warnings,
        missing: f
            .missing
            .into_iter()
            .map(|(field, message)| MissingView { field, message })
            .collect(),
        suggested_billing: f
            .suggested_billing
            .iter()
            .map(to_core)
            .collect::<Result<_, _>>()?,
        billing_notes: f.billing_notes,
        first_spravato_session: f.first_spravato_session,
        devices_needed: f.devices_needed,
        weight_needs_confirmation: f.weight_needs_confirmation,
    })
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// A draft's facts and its problems (nothing saved).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionEvaluation {
    pub facts: SessionFactsView,
    pub problems: Vec<FieldProblem>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LabelOption {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TimepointView {
    pub id: String,
    pub label: String,
    pub minutes: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolView {
    pub id: String,
    pub modality: TreatmentModality,
    pub indication: IndicationName,
    pub label: String,
    pub phases: Vec<PhaseForm>,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ModalityTimepoints {
    pub modality: TreatmentModality,
    pub timepoints: Vec<TimepointView>,
}

/// What the course and session forms offer, from the reference and the clinic's settings.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TreatmentOptions {
    pub protocols: Vec<ProtocolView>,
    pub timepoints: Vec<ModalityTimepoints>,
    pub discharge_criteria: Vec<LabelOption>,
    pub adverse_events: Vec<LabelOption>,
    pub spravato_doses_mg: Vec<u32>,
    pub observation_minutes: u32,
    pub warn_above_mg_per_kg: f64,
    pub stop_above_mg_per_kg: f64,
    /// False when the clinic's limits are still the unverified reference defaults.
    pub limits_verified: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemsDueView {
    pub id: RecordId,
    #[specta(type = specta_typescript::Number)]
    pub patient_id: i64,
    pub mrn: String,
    pub patient_name: String,
    pub session_date: String,
    pub due_date: String,
    #[specta(type = specta_typescript::Number)]
    pub days_left: i64,
    pub signed_by_name: String,
    /// False: the session must be signed before its form can be produced.
    pub signed: bool,
}

impl From<RemsDue> for RemsDueView {
    fn from(d: RemsDue) -> Self {
        RemsDueView {
            id: RecordId(d.record_id),
            patient_id: d.patient_id,
            mrn: d.mrn,
            patient_name: d.patient_name,
            session_date: d.session_date,
            due_date: d.due_date,
            days_left: d.days_left,
            signed_by_name: d.signed_by_name,
            signed: d.signed,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemsSubmissionForm {
    pub submitted_on: String,
    pub method: Option<RemsMethod>,
    pub confirmation: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemsSubmissionView {
    pub submitted_on: String,
    pub method: RemsMethod,
    pub confirmation: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl From<Submission> for RemsSubmissionView {
    fn from(s: Submission) -> Self {
        RemsSubmissionView {
            submitted_on: s.submitted_on,
            method: match s.method {
                SubmissionMethod::Online => RemsMethod::Online,
                SubmissionMethod::Fax => RemsMethod::Fax,
            },
            confirmation: s.confirmation,
            recorded_by: s.recorded_by,
            recorded_at: s.recorded_at,
        }
    }
}

pub fn method_in(m: RemsMethod) -> SubmissionMethod {
    match m {
        RemsMethod::Online => SubmissionMethod::Online,
        RemsMethod::Fax => SubmissionMethod::Fax,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ketachart_core::treatment::{Course, TreatmentSession};

    #[test]
    fn forms_match_the_core_shapes() {
        let s = SessionForm {
            course_id: 3,
            date: "2026-11-20".into(),
            weight: Some(WeightForm {
                value: "70".into(),
                unit: WeightUnitName::Kg,
                kg: None,
                confirmed: false,
            }),
            ketamine: None,
            spravato: Some(SpravatoForm {
                rems_enrolled: Some(true),
                concomitant: ConcomitantForm {
                    benzodiazepines: Some(false),
                    non_benzodiazepine_hypnotics: None,
                    psychostimulants: None,
                    maois: None,
                    opioids: None,
                },
                dose_mg: Some(56),
                device_times: vec!["09:00".into()],
                lot: None,
                expiry: None,
                ready_to_leave_minutes: None,
                vitals_acceptable_before: None,
                vitals_acceptable_at_end: None,
                sedation: None,
                dissociation: None,
                respiratory_depression: None,
            }),
            tms: Some(TmsForm {
                mt_determination: MtDeterminationName::Initial,
                motor_threshold_percent: None,
                coil_location: None,
                intensity_percent_mt: None,
                protocol: Some(TmsProtocolName::Hz1Right),
                frequency_hz: None,
                trains: None,
                pulses_per_train: None,
                total_pulses: None,
                start_time: None,
                stop_time: None,
            }),
            vitals: vec![VitalsRowForm {
                timepoint: "pre".into(),
                time: None,
                systolic: None,
                diastolic: None,
                heart_rate: None,
                spo2: None,
                respiratory_rate: None,
                moaas: None,
            }],
            hold_override: Some(OverrideForm {
                reason: "x".into(),
                by: None,
                by_name: None,
                at: None,
            }),
            adverse_events: vec![AdverseEventForm {
                event: "other".into(),
                severity: Some(EventSeverity::Mild),
                action: None,
                detail: None,
            }],
            discharge: DischargeForm {
                criteria: vec![],
                time: None,
                escort_name: None,
                note: None,
            },
            billing: vec![BillingLineForm {
                code: "G2082".into(),
                units: 1,
                ndc: None,
                modifier: None,
            }],
            note: None,
        };
        let core: TreatmentSession = to_core(&s).unwrap();
        let back: SessionForm = to_core(&core).unwrap();
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            serde_json::to_value(&s).unwrap()
        );
        let c = CourseForm {
            modality: Some(TreatmentModality::IvKetamine),
            indication: Some(IndicationName::Trd),
            protocol_id: Some("p".into()),
            phases: vec![PhaseForm {
                label: "a".into(),
                weeks: None,
                per_week: 1,
                every_weeks: 2,
            }],
            start_date: "2026-11-01".into(),
            status: CourseStatusName::Stopped,
            status_reason: None,
            end_date: None,
            authorized_units: None,
            authorization_number: None,
            note: None,
        };
        let core: Course = to_core(&c).unwrap();
        let back: CourseForm = to_core(&core).unwrap();
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            serde_json::to_value(&c).unwrap()
        );
    }
}
