//! Clinical-record shapes. The forms mirror the core's record bodies field for field (same
//! camelCase names and snake_case enum values) and are converted through serde, so a form that
//! drifts from the core fails `dto::record::tests`, not a clinic.

use ketachart_core::record::{Record, RecordBody, RecordKind};
use ketachart_core::reference::{icd10, screening as screening_ref};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::IpcError;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct RecordId(#[specta(type = specta_typescript::Number)] pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RecordKindName {
    Coverage,
    Diagnosis,
    Episode,
    Psychotherapy,
    OtherTreatment,
    Screening,
    Evaluation,
    Course,
    Session,
}

impl From<RecordKindName> for RecordKind {
    fn from(k: RecordKindName) -> Self {
        match k {
            RecordKindName::Coverage => RecordKind::Coverage,
            RecordKindName::Diagnosis => RecordKind::Diagnosis,
            RecordKindName::Episode => RecordKind::Episode,
            RecordKindName::Psychotherapy => RecordKind::Psychotherapy,
            RecordKindName::OtherTreatment => RecordKind::OtherTreatment,
            RecordKindName::Screening => RecordKind::Screening,
            RecordKindName::Evaluation => RecordKind::Evaluation,
            RecordKindName::Course => RecordKind::Course,
            RecordKindName::Session => RecordKind::Session,
        }
    }
}

macro_rules! wire_enum {
    ($name:ident { $($v:ident),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($v),+ }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum Relationship {
    #[serde(rename = "self")]
    Self_,
    #[serde(rename = "spouse")]
    Spouse,
    #[serde(rename = "child")]
    Child,
    #[serde(rename = "other")]
    Other,
}
wire_enum!(Benefit {
    Medical,
    Pharmacy,
    Both
});
wire_enum!(Priority {
    Primary,
    Secondary,
    Tertiary
});
wire_enum!(DiagnosisStatus { Active, Resolved });
wire_enum!(Course { Single, Recurrent });
wire_enum!(Severity {
    Mild,
    Moderate,
    Severe
});
wire_enum!(ConfirmedBy {
    ClinicalInterview,
    StructuredInterview
});
wire_enum!(Modality {
    Cbt,
    Ipt,
    BehaviouralActivation,
    Psychodynamic,
    Dbt,
    Other
});
wire_enum!(TherapyOutcome {
    NoResponse,
    PartialResponse,
    Response,
    Remission,
    Discontinued,
    Unknown
});
wire_enum!(Treatment {
    Ect,
    Tms,
    Esketamine,
    Ketamine
});
wire_enum!(TreatmentStatus {
    Done,
    Considered,
    Contraindicated,
    Declined
});
wire_enum!(TreatmentResponse {
    None,
    Partial,
    Response,
    Remission,
    Unknown
});
wire_enum!(ScreeningModality {
    Spravato,
    IvKetamine,
    Tms
});
wire_enum!(Answer { Yes, No });
wire_enum!(PayerType {
    Commercial,
    Medicare,
    MedicareAdvantage,
    MedicaidFfs,
    MedicaidManaged,
    Exchange,
    Other
});

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CoverageForm {
    #[specta(type = specta_typescript::Number)]
    pub payer_id: i64,
    pub plan_name: String,
    pub member_id: String,
    pub group_number: Option<String>,
    pub relationship: Option<Relationship>,
    pub subscriber_name: Option<String>,
    pub benefit: Option<Benefit>,
    pub priority: Option<Priority>,
    pub effective_from: String,
    pub effective_to: Option<String>,
    pub pa_phone: Option<String>,
    pub pa_fax: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosisForm {
    pub code: String,
    pub onset: Option<String>,
    pub status: Option<DiagnosisStatus>,
    pub primary: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EpisodeForm {
    pub onset: String,
    pub end: Option<String>,
    pub current: bool,
    pub course: Option<Course>,
    pub severity: Option<Severity>,
    pub psychotic_features: Option<bool>,
    pub confirmed_by: Option<ConfirmedBy>,
    pub instrument: Option<String>,
    pub confirming_clinician: String,
    pub confirmed_on: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PsychotherapyForm {
    pub modality: Option<Modality>,
    pub modality_other: Option<String>,
    pub start: String,
    pub end: Option<String>,
    pub ongoing: bool,
    pub sessions: Option<String>,
    pub therapist: Option<String>,
    pub outcome: Option<TherapyOutcome>,
    pub current_episode: bool,
    pub source_note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OtherTreatmentForm {
    pub treatment: Option<Treatment>,
    pub status: Option<TreatmentStatus>,
    pub reason: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub sessions: Option<String>,
    pub response: Option<TreatmentResponse>,
    pub current_episode: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ScreeningAnswerForm {
    pub item: String,
    pub answer: Option<Answer>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BloodPressureForm {
    pub date: String,
    pub systolic: String,
    pub diastolic: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ScreeningForm {
    pub modality: Option<ScreeningModality>,
    pub date: String,
    pub answers: Vec<ScreeningAnswerForm>,
    pub blood_pressure: Vec<BloodPressureForm>,
    pub pdmp_checked_on: Option<String>,
    pub pdmp_result: Option<String>,
    pub no_known_allergies: bool,
    pub allergies: Option<String>,
    pub current_medications: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationForm {
    pub date: String,
    pub history: Option<String>,
    pub examination: Option<String>,
    pub symptoms: Option<String>,
    pub treatment_history_review: Option<String>,
    pub plan: Option<String>,
}

/// A record's content: the same shape the form sends and the chart receives.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // one form per IPC call
pub enum RecordContent {
    Coverage(CoverageForm),
    Diagnosis(DiagnosisForm),
    Episode(EpisodeForm),
    Psychotherapy(PsychotherapyForm),
    OtherTreatment(OtherTreatmentForm),
    Screening(ScreeningForm),
    Evaluation(EvaluationForm),
    Course(super::treatment::CourseForm),
    Session(super::treatment::SessionForm),
}

impl TryFrom<RecordContent> for RecordBody {
    type Error = IpcError;
    fn try_from(c: RecordContent) -> Result<Self, IpcError> {
        let v =
            serde_json::to_value(c).map_err(|_| IpcError::internal("record form not encodable"))?;
        serde_json::from_value(v)
            .map_err(|_| IpcError::internal("record form does not match the core"))
    }
}

impl TryFrom<&RecordBody> for RecordContent {
    type Error = IpcError;
    fn try_from(b: &RecordBody) -> Result<Self, IpcError> {
        let v = serde_json::to_value(b).map_err(|_| IpcError::internal("record not encodable"))?;
        serde_json::from_value(v)
            .map_err(|_| IpcError::internal("record does not match the wire shape"))
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SignatureView {
    pub by: String,
    pub by_name: String,
    pub at: String,
    pub sha256: String,
    /// False if the stored content no longer matches what was signed.
    pub intact: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AddendumView {
    pub text: String,
    pub by: String,
    pub by_name: String,
    pub at: String,
}

/// One stored record with what the rules say about it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordView {
    pub id: RecordId,
    #[specta(type = specta_typescript::Number)]
    pub version: i64,
    pub content: RecordContent,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    /// `None` while a signable record is a draft (and always for kinds that are not signed).
    pub signature: Option<SignatureView>,
    pub addenda: Vec<AddendumView>,
    pub signable: bool,
    /// Findings and notes from the reference: contraindications and warnings answered yes,
    /// unanswered questions, a diagnosis code's PA note.
    pub notes: Vec<String>,
    /// Plain-words title, e.g. "F33.2 Major depressive disorder, recurrent severe …".
    pub title: String,
}

pub fn view(r: Record) -> Result<RecordView, IpcError> {
    let mut notes = Vec::new();
    let title = match &r.body {
        RecordBody::Diagnosis(d) => {
            let reference = icd10::bundled()?;
            let code = reference.get(&d.code);
            if let Some(n) = code.and_then(|c| c.pa_note.clone()) {
                notes.push(n);
            }
            format!(
                "{} {}",
                d.code,
                code.map(|c| c.title.as_str()).unwrap_or("")
            )
        }
        RecordBody::Screening(s) => {
            let f = s.findings(screening_ref::bundled()?);
            notes.extend(
                f.contraindications
                    .iter()
                    .map(|c| format!("Contraindication: {c}")),
            );
            notes.extend(f.warnings.iter().map(|w| format!("Warning: {w}")));
            if f.unanswered > 0 {
                notes.push(format!("{} questions not answered", f.unanswered));
            }
            format!(
                "{} screening",
                s.modality.map(|m| m.label()).unwrap_or("Safety")
            )
        }
        RecordBody::Course(c) => c.title(),
        RecordBody::Session(s) => {
            let what = if s.spravato.is_some() {
                "Spravato session"
            } else if s.tms.is_some() {
                "TMS session"
            } else {
                "Ketamine session"
            };
            what.to_string()
        }
        other => other.kind().label().to_string(),
    };
    Ok(RecordView {
        id: RecordId(r.id),
        version: r.version,
        content: (&r.body).try_into()?,
        created_at: r.created_at,
        created_by: r.created_by,
        updated_at: r.updated_at,
        signable: r.body.kind().is_signable(),
        signature: r.signature.map(|s| SignatureView {
            by: s.by,
            by_name: s.by_name,
            at: s.at,
            sha256: s.sha256,
            intact: s.intact,
        }),
        addenda: r
            .addenda
            .into_iter()
            .map(|a| AddendumView {
                text: a.text,
                by: a.by,
                by_name: a.by_name,
                at: a.at,
            })
            .collect(),
        notes,
        title,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PayerForm {
    pub name: String,
    pub payer_type: Option<PayerType>,
    pub pa_phone: Option<String>,
    pub pa_fax: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PayerView {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    #[specta(type = specta_typescript::Number)]
    pub version: i64,
    pub name: String,
    pub payer_type: PayerType,
    pub payer_type_label: String,
    pub pa_phone: Option<String>,
    pub pa_fax: Option<String>,
    pub active: bool,
}

pub fn payer_type_in(t: PayerType) -> ketachart_core::payer::PayerType {
    use ketachart_core::payer::PayerType as P;
    match t {
        PayerType::Commercial => P::Commercial,
        PayerType::Medicare => P::Medicare,
        PayerType::MedicareAdvantage => P::MedicareAdvantage,
        PayerType::MedicaidFfs => P::MedicaidFfs,
        PayerType::MedicaidManaged => P::MedicaidManaged,
        PayerType::Exchange => P::Exchange,
        PayerType::Other => P::Other,
    }
}

impl From<ketachart_core::payer::Payer> for PayerView {
    fn from(p: ketachart_core::payer::Payer) -> Self {
        use ketachart_core::payer::PayerType as P;
        let t = match p.payer_type {
            P::Commercial => PayerType::Commercial,
            P::Medicare => PayerType::Medicare,
            P::MedicareAdvantage => PayerType::MedicareAdvantage,
            P::MedicaidFfs => PayerType::MedicaidFfs,
            P::MedicaidManaged => PayerType::MedicaidManaged,
            P::Exchange => PayerType::Exchange,
            P::Other => PayerType::Other,
        };
        PayerView {
            id: p.id,
            version: p.version,
            name: p.name,
            payer_type: t,
            payer_type_label: p.payer_type.label().into(),
            pa_phone: p.pa_phone,
            pa_fax: p.pa_fax,
            active: p.active,
        }
    }
}

/// A diagnosis code for the picker.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosisOption {
    pub code: String,
    pub title: String,
    pub pa_note: Option<String>,
    pub verified: bool,
}

/// A screening question from the reference.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ScreeningItemView {
    pub id: String,
    pub label: String,
    /// `contraindication` or `warning`.
    pub kind: String,
    pub detail_prompt: String,
    /// False: from practice convention or a payer summary, "requires clinical review".
    pub verified: bool,
    pub common: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DrugFloorView {
    pub drug_id: String,
    pub drug_name: String,
    pub unit: String,
    pub reference_floor: Option<f64>,
    pub strict_floor: Option<f64>,
    pub clinic_floor: Option<f64>,
    pub clinic_reason: Option<String>,
    pub clinic_updated_by: Option<String>,
    pub clinic_updated_at: Option<String>,
    pub verified: bool,
    pub rule: String,
}

impl From<ketachart_core::trial::floor::DrugFloor> for DrugFloorView {
    fn from(f: ketachart_core::trial::floor::DrugFloor) -> Self {
        DrugFloorView {
            drug_id: f.drug_id,
            drug_name: f.drug_name,
            unit: f.unit,
            reference_floor: f.reference_floor,
            strict_floor: f.strict_floor,
            clinic_floor: f.clinic_floor,
            clinic_reason: f.clinic_reason,
            clinic_updated_by: f.clinic_updated_by,
            clinic_updated_at: f.clinic_updated_at,
            verified: f.verified,
            rule: f.rule,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TimelineSpan {
    /// `episode`, `medication`, `psychotherapy`, `other_treatment`.
    pub lane: String,
    pub label: String,
    pub start: String,
    pub start_display: String,
    /// Earliest and latest day the start and end can mean (partial dates are ranges).
    pub start_earliest: String,
    pub end: Option<String>,
    pub end_display: Option<String>,
    pub end_latest: Option<String>,
    pub ongoing: bool,
}

impl From<ketachart_core::timeline::Span> for TimelineSpan {
    fn from(s: ketachart_core::timeline::Span) -> Self {
        use ketachart_core::timeline::Lane;
        TimelineSpan {
            lane: match s.lane {
                Lane::Episode => "episode",
                Lane::Medication => "medication",
                Lane::Psychotherapy => "psychotherapy",
                Lane::OtherTreatment => "other_treatment",
            }
            .into(),
            label: s.label,
            start: s.start.to_iso(),
            start_display: s.start.display(),
            start_earliest: s.start.earliest().to_string(),
            end: s.end.map(|e| e.to_iso()),
            end_display: s.end.map(|e| e.display()),
            end_latest: s.end.map(|e| e.latest().to_string()),
            ongoing: s.ongoing,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportedFile {
    /// Where the file was written.
    pub path: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ketachart_core::record::coverage::{
        Benefit as B, Coverage, Priority as P, Relationship as R,
    };
    use ketachart_core::record::episode::{ConfirmedBy as C, Course as Co, Episode, Severity as S};
    use ketachart_core::record::other_treatment::{
        OtherTreatment, Response, Treatment as T, TreatmentStatus as TS,
    };
    use ketachart_core::record::psychotherapy::{
        Modality as M, Psychotherapy, TherapyOutcome as O,
    };
    use ketachart_core::record::screening::{
        Answer as A, BloodPressure, Screening, ScreeningAnswer, ScreeningModality as SM,
    };

    /// Every kind, with every enum value somewhere, converts core → wire → core unchanged.
    #[test]
    fn every_kind_round_trips_through_the_wire_shape() {
        let mut bodies = Vec::new();
        for (r, b, p) in [
            (R::Self_, B::Medical, P::Primary),
            (R::Spouse, B::Pharmacy, P::Secondary),
            (R::Child, B::Both, P::Tertiary),
            (R::Other, B::Both, P::Primary),
        ] {
            bodies.push(RecordBody::Coverage(Coverage {
                payer_id: 3,
                plan_name: "P".into(),
                member_id: "M".into(),
                group_number: None,
                relationship: Some(r),
                subscriber_name: Some("S".into()),
                benefit: Some(b),
                priority: Some(p),
                effective_from: "2026-01-01".into(),
                effective_to: Some("2026-12-31".into()),
                pa_phone: None,
                pa_fax: Some("1".into()),
            }));
        }
        for (c, s, by) in [
            (Co::Single, S::Mild, C::ClinicalInterview),
            (Co::Recurrent, S::Moderate, C::StructuredInterview),
            (Co::Recurrent, S::Severe, C::StructuredInterview),
        ] {
            bodies.push(RecordBody::Episode(Episode {
                onset: "2025".into(),
                end: None,
                current: true,
                course: Some(c),
                severity: Some(s),
                psychotic_features: Some(false),
                confirmed_by: Some(by),
                instrument: None,
                confirming_clinician: "Dr".into(),
                confirmed_on: None,
                note: None,
            }));
        }
        for (m, o) in [
            (M::Cbt, O::NoResponse),
            (M::Ipt, O::PartialResponse),
            (M::BehaviouralActivation, O::Response),
            (M::Psychodynamic, O::Remission),
            (M::Dbt, O::Discontinued),
            (M::Other, O::Unknown),
        ] {
            bodies.push(RecordBody::Psychotherapy(Psychotherapy {
                modality: Some(m),
                modality_other: None,
                start: "2024".into(),
                end: None,
                ongoing: true,
                sessions: Some("3".into()),
                therapist: None,
                outcome: Some(o),
                current_episode: false,
                source_note: None,
            }));
        }
        for (t, st, r) in [
            (T::Ect, TS::Done, Response::None),
            (T::Tms, TS::Considered, Response::Partial),
            (T::Esketamine, TS::Contraindicated, Response::Response),
            (T::Ketamine, TS::Declined, Response::Remission),
            (T::Ect, TS::Done, Response::Unknown),
        ] {
            bodies.push(RecordBody::OtherTreatment(OtherTreatment {
                treatment: Some(t),
                status: Some(st),
                reason: None,
                start: None,
                end: None,
                sessions: None,
                response: Some(r),
                current_episode: true,
                note: None,
            }));
        }
        for m in [SM::Spravato, SM::IvKetamine, SM::Tms] {
            bodies.push(RecordBody::Screening(Screening {
                modality: Some(m),
                date: "2026-11-20".into(),
                answers: vec![
                    ScreeningAnswer {
                        item: "x".into(),
                        answer: Some(A::Yes),
                        detail: Some("d".into()),
                    },
                    ScreeningAnswer {
                        item: "y".into(),
                        answer: Some(A::No),
                        detail: None,
                    },
                ],
                blood_pressure: vec![BloodPressure {
                    date: "2026-11-20".into(),
                    systolic: "120".into(),
                    diastolic: "80".into(),
                }],
                pdmp_checked_on: None,
                pdmp_result: None,
                no_known_allergies: true,
                allergies: None,
                current_medications: None,
                note: None,
            }));
        }
        for b in bodies {
            let wire: RecordContent = (&b).try_into().unwrap();
            let back: RecordBody = wire.try_into().unwrap();
            assert_eq!(back, b);
        }
    }
}
