//! Consent and ABN shapes: templates and their versions, the requirements per treatment, a
//! consent prepared for reading, the signing forms (with the signature pad's strokes), signed
//! consents and ABNs.

use ketachart_core::abn::{AbnNeed, SignedAbn};
use ketachart_core::consent::{
    ConsentDraft, ConsentOverview, ConsentTemplate, Requirement, SignatureInput, SignedConsent,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::treatment::{to_core, TreatmentModality};
use crate::error::IpcError;

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsentTemplateView {
    pub key: String,
    pub version: u32,
    pub title: String,
    pub body: String,
    /// "Sample text: the clinic must review with its counsel before use" while the template is
    /// the bundled sample; shown in the app, never printed.
    pub review_note: Option<String>,
    pub created_by: String,
    pub created_at: String,
    /// The placeholders the text may use, e.g. `{{patient.name}}`.
    pub placeholders: Vec<String>,
}

fn version(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

impl From<ConsentTemplate> for ConsentTemplateView {
    fn from(t: ConsentTemplate) -> Self {
        Self {
            review_note: t.review_note().map(str::to_string),
            key: t.key,
            version: version(t.version),
            title: t.title,
            body: t.body,
            created_by: t.created_by,
            created_at: t.created_at,
            placeholders: ketachart_core::consent::template::PLACEHOLDERS
                .iter()
                .map(|(p, _)| format!("{{{{{p}}}}}"))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsentTemplateInput {
    pub key: String,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsentRequirementView {
    pub modality: TreatmentModality,
    pub modality_label: String,
    pub template_keys: Vec<String>,
}

impl ConsentRequirementView {
    pub fn from_core(r: Requirement) -> Result<Self, IpcError> {
        Ok(Self {
            modality: to_core(&r.modality)?,
            modality_label: r.modality.label().into(),
            template_keys: r.template_keys,
        })
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsentRequirementInput {
    pub modality: TreatmentModality,
    pub template_keys: Vec<String>,
}

impl ConsentRequirementInput {
    pub fn to_core(&self) -> Result<Requirement, IpcError> {
        Ok(Requirement {
            modality: to_core(&self.modality)?,
            template_keys: self.template_keys.clone(),
        })
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsentDraftView {
    pub template_key: String,
    pub template_version: u32,
    pub title: String,
    pub text: String,
    pub review_note: Option<String>,
}

impl From<ConsentDraft> for ConsentDraftView {
    fn from(d: ConsentDraft) -> Self {
        Self {
            template_key: d.template_key,
            template_version: version(d.template_version),
            title: d.title,
            text: d.text,
            review_note: d.review_note.map(str::to_string),
        }
    }
}

/// A signature pad's content: strokes of `[x, y]` points in CSS pixels of a pad of the given
/// size (`signature_pad`'s `toData()` mapped to points).
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SignatureForm {
    pub width: f64,
    pub height: f64,
    pub strokes: Vec<Vec<Vec<f64>>>,
}

impl From<SignatureForm> for SignatureInput {
    fn from(s: SignatureForm) -> Self {
        SignatureInput {
            width: s.width,
            height: s.height,
            strokes: s.strokes,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsentSignForm {
    #[specta(type = specta_typescript::Number)]
    pub patient_id: i64,
    pub template_key: String,
    pub template_version: u32,
    pub patient_signer_name: String,
    pub patient_signature: SignatureForm,
    pub witness_signature: SignatureForm,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsentView {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    #[specta(type = specta_typescript::Number)]
    pub patient_id: i64,
    pub template_key: String,
    pub template_version: u32,
    pub title: String,
    /// The signed PDF in the document store (open it with `document_content`).
    #[specta(type = specta_typescript::Number)]
    pub document_id: i64,
    /// `YYYY-MM-DD`.
    pub signed_on: String,
    /// e.g. `03-Mar-2025`.
    pub signed_on_display: String,
    pub patient_signer_name: String,
    pub witness_name: String,
    pub signed_at: String,
}

fn display(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map_or_else(|_| iso.to_string(), |d| d.format("%d-%b-%Y").to_string())
}

impl From<SignedConsent> for ConsentView {
    fn from(c: SignedConsent) -> Self {
        Self {
            id: c.id,
            patient_id: c.patient_id,
            template_key: c.template_key,
            template_version: version(c.template_version),
            title: c.title,
            document_id: c.document_id,
            signed_on_display: display(&c.signed_on),
            signed_on: c.signed_on,
            patient_signer_name: c.patient_signer_name,
            witness_name: c.witness_name,
            signed_at: c.signed_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MissingConsentView {
    #[specta(type = specta_typescript::Number)]
    pub course_id: i64,
    pub course_title: String,
    pub template_key: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsentOverviewView {
    pub signed: Vec<ConsentView>,
    pub missing: Vec<MissingConsentView>,
}

impl From<ConsentOverview> for ConsentOverviewView {
    fn from(o: ConsentOverview) -> Self {
        Self {
            signed: o.signed.into_iter().map(Into::into).collect(),
            missing: o
                .missing
                .into_iter()
                .map(|m| MissingConsentView {
                    course_id: m.course_id,
                    course_title: m.course_title,
                    template_key: m.template_key,
                    title: m.title,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AbnNeedView {
    pub needed: bool,
    pub reason: Option<String>,
    pub service: String,
    pub rule_set_title: Option<String>,
}

impl From<AbnNeed> for AbnNeedView {
    fn from(n: AbnNeed) -> Self {
        Self {
            needed: n.needed,
            reason: n.reason,
            service: n.service,
            rule_set_title: n.rule_set_title,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AbnSignForm {
    #[specta(type = specta_typescript::Number)]
    pub patient_id: i64,
    #[specta(type = specta_typescript::Number)]
    pub course_id: i64,
    pub service: String,
    pub reason: String,
    /// Dollars as typed, e.g. `1250.00`.
    pub estimated_cost: String,
    /// 1, 2 or 3; null until the patient chooses.
    pub option: Option<u8>,
    pub additional_info: String,
    pub patient_signer_name: String,
    pub patient_signature: SignatureForm,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AbnView {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    #[specta(type = specta_typescript::Number)]
    pub patient_id: i64,
    #[specta(type = specta_typescript::Number)]
    pub course_id: i64,
    #[specta(type = specta_typescript::Number)]
    pub document_id: i64,
    pub service: String,
    pub reason: String,
    /// e.g. `$1,250.00`.
    pub estimated_cost: String,
    pub option: u8,
    pub additional_info: Option<String>,
    pub patient_signer_name: String,
    pub witness_name: String,
    pub signed_on: String,
    pub signed_on_display: String,
    pub signed_at: String,
    /// e.g. signed less than a day before the course start (a warning, not a refusal).
    pub warnings: Vec<String>,
}

impl From<SignedAbn> for AbnView {
    fn from(a: SignedAbn) -> Self {
        Self {
            id: a.id,
            patient_id: a.patient_id,
            course_id: a.course_id,
            document_id: a.document_id,
            service: a.service,
            reason: a.reason,
            estimated_cost: ketachart_core::abn::dollars(a.estimated_cost_cents),
            option: a.option,
            additional_info: a.additional_info,
            patient_signer_name: a.patient_signer_name,
            witness_name: a.witness_name,
            signed_on_display: display(&a.signed_on),
            signed_on: a.signed_on,
            signed_at: a.signed_at,
            warnings: a.warnings,
        }
    }
}
