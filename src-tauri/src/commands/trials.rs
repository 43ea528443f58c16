//! Medication-trial history (read: clinical roles and billing; edit: providers and nurses;
//! the core checks).

use ketachart_core::document;
use ketachart_core::reference::drugs;
use ketachart_core::trial;
use tauri::State;

use super::today;
use crate::dto::patient::{PatientId, RecordVersion};
use crate::dto::trial::{DrugOption, TrialForm, TrialId, TrialRow};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_trials(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Result<Vec<TrialRow>, IpcError> {
    state
        .with_session(move |s| {
            let trials = trial::list(s, patient_id.0, today())?;
            let sources = document::trial_sources(s, patient_id.0)?;
            Ok(trials
                .into_iter()
                .map(|t| TrialRow::with_sources(t, &sources))
                .collect())
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn create_trial(
    state: State<'_, AppState>,
    patient_id: PatientId,
    form: TrialForm,
) -> Result<TrialRow, IpcError> {
    state
        .with_session(move |s| {
            let t = trial::create(s, patient_id.0, &form.into(), today())?;
            let sources = document::trial_sources(s, t.patient_id)?;
            Ok(TrialRow::with_sources(t, &sources))
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn update_trial(
    state: State<'_, AppState>,
    id: TrialId,
    version: RecordVersion,
    form: TrialForm,
) -> Result<TrialRow, IpcError> {
    state
        .with_session(move |s| {
            let t = trial::update(s, id.0, version.0, &form.into(), today())?;
            let sources = document::trial_sources(s, t.patient_id)?;
            Ok(TrialRow::with_sources(t, &sources))
        })
        .await
}

/// Reference drugs matching a name or brand (all when empty), for the medication picker.
#[tauri::command]
#[specta::specta]
pub async fn search_drugs(query: String) -> Result<Vec<DrugOption>, IpcError> {
    let reference = drugs::bundled()?;
    Ok(reference
        .search(&query)
        .into_iter()
        .map(Into::into)
        .collect())
}
