//! Patient list, search, record, create and edit.

use ketachart_core::patient;
use tauri::State;

use super::today;
use crate::dto::patient::{
    AllergyStatus, PatientForm, PatientId, PatientPage, PatientRecord, PatientRow, PatientSearch,
    RecordVersion,
};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_patients(
    state: State<'_, AppState>,
    offset: u32,
    limit: u32,
) -> Result<PatientPage, IpcError> {
    state
        .with_session(move |s| {
            let today = today();
            let rows = patient::list(s, offset, limit)?;
            Ok(PatientPage {
                total: patient::count(s)?,
                patients: rows
                    .into_iter()
                    .map(|p| PatientRow::new(p, today))
                    .collect(),
            })
        })
        .await
}

/// Search by name (accents and case ignored, prefixes match), MRN or date of birth.
#[tauri::command]
#[specta::specta]
pub async fn search_patients(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
) -> Result<PatientSearch, IpcError> {
    state
        .with_session(move |s| {
            let today = today();
            let r = patient::search(s, &query, limit)?;
            Ok(PatientSearch {
                patients: r
                    .patients
                    .into_iter()
                    .map(|p| PatientRow::new(p, today))
                    .collect(),
                more: r.more,
            })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_patient(
    state: State<'_, AppState>,
    id: PatientId,
) -> Result<PatientRecord, IpcError> {
    state
        .with_session(move |s| {
            let allergies = AllergyStatus::read(s, id.0)?;
            Ok(PatientRecord::new(
                patient::get(s, patient::PatientId(id.0))?,
                today(),
                allergies,
            ))
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn create_patient(
    state: State<'_, AppState>,
    form: PatientForm,
) -> Result<PatientRecord, IpcError> {
    state
        .with_session(move |s| {
            let today = today();
            let p = patient::create(s, &form.into(), today)?;
            let allergies = AllergyStatus::read(s, p.id.0)?;
            Ok(PatientRecord::new(p, today, allergies))
        })
        .await
}

/// Saves an edit made from `version`; refused with `Conflict` if the record changed since.
#[tauri::command]
#[specta::specta]
pub async fn update_patient(
    state: State<'_, AppState>,
    id: PatientId,
    version: RecordVersion,
    form: PatientForm,
) -> Result<PatientRecord, IpcError> {
    state
        .with_session(move |s| {
            let today = today();
            let p = patient::update(s, patient::PatientId(id.0), version.0, &form.into(), today)?;
            let allergies = AllergyStatus::read(s, p.id.0)?;
            Ok(PatientRecord::new(p, today, allergies))
        })
        .await
}
