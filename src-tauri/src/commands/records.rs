//! The clinical record around the trials: coverage and the payer list, diagnoses, episodes,
//! psychotherapy, other treatments, screenings and evaluations (sign & lock), dose floors and
//! the timeline. Every rule and permission is the core's.

use ketachart_core::payer::{self, PayerInput};
use ketachart_core::record::{self, RecordBody};
use ketachart_core::reference::{icd10, screening as screening_ref};
use ketachart_core::timeline;
use ketachart_core::trial::floor;
use tauri::State;

use super::today;
use crate::dto::patient::{PatientId, RecordVersion};
use crate::dto::record::{
    payer_type_in, view, DiagnosisOption, DrugFloorView, PayerForm, PayerView, RecordContent,
    RecordId, RecordKindName, RecordView, ScreeningItemView, ScreeningModality, TimelineSpan,
};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_records(
    state: State<'_, AppState>,
    patient_id: PatientId,
    kind: Option<RecordKindName>,
) -> Result<Vec<RecordView>, IpcError> {
    state
        .with_session(move |s| {
            record::list(s, patient_id.0, kind.map(Into::into))?
                .into_iter()
                .map(view)
                .collect()
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn create_record(
    state: State<'_, AppState>,
    patient_id: PatientId,
    content: RecordContent,
) -> Result<RecordView, IpcError> {
    let body: RecordBody = content.try_into()?;
    state
        .with_session(move |s| view(record::create(s, patient_id.0, &body, today())?))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn update_record(
    state: State<'_, AppState>,
    id: RecordId,
    version: RecordVersion,
    content: RecordContent,
) -> Result<RecordView, IpcError> {
    let body: RecordBody = content.try_into()?;
    state
        .with_session(move |s| view(record::update(s, id.0, version.0, &body, today())?))
        .await
}

/// Signs a draft screening or evaluation; the signer re-enters their passphrase.
#[tauri::command]
#[specta::specta]
pub async fn sign_record(
    state: State<'_, AppState>,
    id: RecordId,
    version: RecordVersion,
    passphrase: String,
) -> Result<RecordView, IpcError> {
    state
        .with_session(move |s| view(record::sign(s, id.0, version.0, &passphrase)?))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn add_addendum(
    state: State<'_, AppState>,
    id: RecordId,
    text: String,
    passphrase: String,
) -> Result<RecordView, IpcError> {
    state
        .with_session(move |s| view(record::add_addendum(s, id.0, &text, &passphrase)?))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_payers(state: State<'_, AppState>) -> Result<Vec<PayerView>, IpcError> {
    state
        .with_session(|s| Ok(payer::list(s)?.into_iter().map(Into::into).collect()))
        .await
}

fn payer_input(f: PayerForm) -> PayerInput {
    PayerInput {
        name: f.name,
        payer_type: f.payer_type.map(payer_type_in),
        pa_phone: f.pa_phone,
        pa_fax: f.pa_fax,
        active: f.active,
    }
}

#[tauri::command]
#[specta::specta]
pub async fn create_payer(
    state: State<'_, AppState>,
    form: PayerForm,
) -> Result<PayerView, IpcError> {
    state
        .with_session(move |s| Ok(payer::create(s, &payer_input(form))?.into()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn update_payer(
    state: State<'_, AppState>,
    id: RecordId,
    version: RecordVersion,
    form: PayerForm,
) -> Result<PayerView, IpcError> {
    state
        .with_session(move |s| Ok(payer::update(s, id.0, version.0, &payer_input(form))?.into()))
        .await
}

/// Diagnosis codes matching a code or words (all when empty), for the picker.
#[tauri::command]
#[specta::specta]
pub async fn search_diagnoses(query: String) -> Result<Vec<DiagnosisOption>, IpcError> {
    Ok(icd10::bundled()?
        .search(&query)
        .into_iter()
        .map(|c| DiagnosisOption {
            code: c.code.clone(),
            title: c.title.clone(),
            pa_note: c.pa_note.clone(),
            verified: c.verified,
        })
        .collect())
}

/// The questions a screening for this treatment asks (its own, then the common ones).
#[tauri::command]
#[specta::specta]
pub async fn screening_items(
    modality: ScreeningModality,
) -> Result<Vec<ScreeningItemView>, IpcError> {
    let reference = screening_ref::bundled()?;
    let key = match modality {
        ScreeningModality::Spravato => "spravato",
        ScreeningModality::IvKetamine => "iv_ketamine",
        ScreeningModality::Tms => "tms",
    };
    Ok(reference
        .items(key)
        .into_iter()
        .map(|i| ScreeningItemView {
            common: reference.common.iter().any(|c| c.id == i.id),
            id: i.id.clone(),
            label: i.label.clone(),
            kind: match i.kind {
                screening_ref::ItemKind::Contraindication => "contraindication",
                screening_ref::ItemKind::Warning => "warning",
            }
            .into(),
            detail_prompt: i.detail_prompt.clone(),
            verified: i.verified,
        })
        .collect())
}

#[tauri::command]
#[specta::specta]
pub async fn list_drug_floors(state: State<'_, AppState>) -> Result<Vec<DrugFloorView>, IpcError> {
    state
        .with_session(|s| Ok(floor::list(s)?.into_iter().map(Into::into).collect()))
        .await
}

/// Sets the clinic's minimum therapeutic dose for a drug (empty `min_daily` restores the
/// reference's).
#[tauri::command]
#[specta::specta]
pub async fn set_drug_floor(
    state: State<'_, AppState>,
    drug_id: String,
    min_daily: String,
    reason: String,
) -> Result<DrugFloorView, IpcError> {
    state
        .with_session(move |s| Ok(floor::set(s, &drug_id, &min_daily, &reason)?.into()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn patient_timeline(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Result<Vec<TimelineSpan>, IpcError> {
    state
        .with_session(move |s| {
            Ok(timeline::build(s, patient_id.0, today())?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
}
