//! Consents and ABNs: the clinic's templates and the consents each treatment requires (admins),
//! preparing and signing a consent or an ABN with the patient (providers, nurses, billing: the
//! signed-in user witnesses with their passphrase), and a patient's signed forms. The PDFs are
//! rendered by `ketachart-pdf` through the core's render callback and stored in the vault.

use ketachart_core::abn::{self, AbnSignInput};
use ketachart_core::consent::{self, requirement, template, ConsentSignInput};
use tauri::State;
use zeroize::Zeroize;

use crate::dto::consents::{
    AbnNeedView, AbnSignForm, AbnView, ConsentDraftView, ConsentOverviewView,
    ConsentRequirementInput, ConsentRequirementView, ConsentSignForm, ConsentTemplateInput,
    ConsentTemplateView, ConsentView,
};
use crate::dto::patient::PatientId;
use crate::dto::record::RecordId;
use crate::error::IpcError;
use crate::state::AppState;

/// Every template's current version.
#[tauri::command]
#[specta::specta]
pub async fn list_consent_templates(
    state: State<'_, AppState>,
) -> Result<Vec<ConsentTemplateView>, IpcError> {
    state
        .with_session(|s| Ok(template::list(s)?.into_iter().map(Into::into).collect()))
        .await
}

/// Saves a new version of a template (admins); older versions are kept.
#[tauri::command]
#[specta::specta]
pub async fn save_consent_template(
    state: State<'_, AppState>,
    input: ConsentTemplateInput,
) -> Result<ConsentTemplateView, IpcError> {
    state
        .with_session(move |s| {
            let saved = template::save(
                s,
                &template::TemplateInput {
                    key: input.key,
                    title: input.title,
                    body: input.body,
                },
            )?;
            Ok(saved.into())
        })
        .await
}

/// The consents each treatment requires before a course's first session.
#[tauri::command]
#[specta::specta]
pub async fn consent_requirements(
    state: State<'_, AppState>,
) -> Result<Vec<ConsentRequirementView>, IpcError> {
    state
        .with_session(|s| {
            requirement::list(s)?
                .into_iter()
                .map(ConsentRequirementView::from_core)
                .collect()
        })
        .await
}

/// Replaces the requirements of the treatments listed (admins).
#[tauri::command]
#[specta::specta]
pub async fn set_consent_requirements(
    state: State<'_, AppState>,
    items: Vec<ConsentRequirementInput>,
) -> Result<Vec<ConsentRequirementView>, IpcError> {
    state
        .with_session(move |s| {
            let items = items
                .iter()
                .map(ConsentRequirementInput::to_core)
                .collect::<Result<Vec<_>, _>>()?;
            requirement::set(s, &items)?
                .into_iter()
                .map(ConsentRequirementView::from_core)
                .collect()
        })
        .await
}

/// The current version of a consent rendered for the patient, to read together.
#[tauri::command]
#[specta::specta]
pub async fn prepare_consent(
    state: State<'_, AppState>,
    patient_id: PatientId,
    template_key: String,
) -> Result<ConsentDraftView, IpcError> {
    state
        .with_session(move |s| Ok(consent::prepare(s, patient_id.0, &template_key)?.into()))
        .await
}

/// Signs a consent: both signatures, the witness's passphrase; the PDF is stored in the vault.
#[tauri::command]
#[specta::specta]
pub async fn sign_consent(
    state: State<'_, AppState>,
    input: ConsentSignForm,
) -> Result<ConsentView, IpcError> {
    state
        .with_session(move |s| {
            let mut input = input;
            let mut core = ConsentSignInput {
                patient_id: input.patient_id,
                template_key: std::mem::take(&mut input.template_key),
                template_version: i64::from(input.template_version),
                patient_signer_name: std::mem::take(&mut input.patient_signer_name),
                patient_signature: input.patient_signature.clone().into(),
                witness_signature: input.witness_signature.clone().into(),
                password: std::mem::take(&mut input.password),
                course_id: None,
            };
            let result = consent::sign(s, &core, ketachart_pdf::consent::render_for_signing);
            core.password.zeroize();
            Ok(result?.into())
        })
        .await
}

/// A patient's signed consents and those their running courses still need.
#[tauri::command]
#[specta::specta]
pub async fn list_consents(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Result<ConsentOverviewView, IpcError> {
    state
        .with_session(move |s| Ok(consent::list(s, patient_id.0)?.into()))
        .await
}

/// Whether a course needs an ABN (Medicare, a service likely not covered), with what to print.
#[tauri::command]
#[specta::specta]
pub async fn abn_need(
    state: State<'_, AppState>,
    patient_id: PatientId,
    course_id: RecordId,
) -> Result<AbnNeedView, IpcError> {
    state
        .with_session(move |s| Ok(abn::need(s, patient_id.0, course_id.0)?.into()))
        .await
}

/// Signs an ABN (the patient's option and signature; the staff member's passphrase); the PDF
/// is stored in the vault, linked to the course.
#[tauri::command]
#[specta::specta]
pub async fn sign_abn(state: State<'_, AppState>, input: AbnSignForm) -> Result<AbnView, IpcError> {
    state
        .with_session(move |s| {
            let mut input = input;
            let mut core = AbnSignInput {
                patient_id: input.patient_id,
                course_id: input.course_id,
                service: std::mem::take(&mut input.service),
                reason: std::mem::take(&mut input.reason),
                estimated_cost: std::mem::take(&mut input.estimated_cost),
                option: input.option,
                additional_info: std::mem::take(&mut input.additional_info),
                patient_signer_name: std::mem::take(&mut input.patient_signer_name),
                patient_signature: input.patient_signature.clone().into(),
                password: std::mem::take(&mut input.password),
            };
            let result = abn::sign(s, &core, ketachart_pdf::abn::render_for_signing);
            core.password.zeroize();
            Ok(result?.into())
        })
        .await
}

/// A patient's signed ABNs, newest first, with their warnings.
#[tauri::command]
#[specta::specta]
pub async fn list_abns(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Result<Vec<AbnView>, IpcError> {
    state
        .with_session(move |s| {
            Ok(abn::list(s, patient_id.0)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
}
