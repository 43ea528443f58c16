//! The patient's SPRAVATO REMS enrollment (the gate for Spravato sessions): read it (clinical
//! readers; audited), record it (those who file REMS forms) and print the enrollment form.

use ketachart_core::rems_enrollment;
use tauri::State;

use super::today;
use crate::dto::patient::PatientId;
use crate::dto::rems_enrollment::{RemsEnrollmentInputDto, RemsEnrollmentView};
use crate::error::IpcError;
use crate::state::AppState;

/// The patient's enrollment, or the form prefilled from the chart (`version` 0).
#[tauri::command]
#[specta::specta]
pub async fn rems_enrollment(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Result<RemsEnrollmentView, IpcError> {
    state
        .with_session(move |s| Ok(rems_enrollment::get(s, patient_id.0)?.into()))
        .await
}

/// Records the enrollment form and status; refused fields come back on their camelCase ids.
#[tauri::command]
#[specta::specta]
pub async fn save_rems_enrollment(
    state: State<'_, AppState>,
    input: RemsEnrollmentInputDto,
) -> Result<RemsEnrollmentView, IpcError> {
    state
        .with_session(move |s| Ok(rems_enrollment::save(s, &input.into(), today())?.into()))
        .await
}

/// Writes the printable SPRAVATO REMS Patient Enrollment Form to `path` (audited).
#[tauri::command]
#[specta::specta]
pub async fn export_rems_enrollment_pdf(
    state: State<'_, AppState>,
    patient_id: PatientId,
    path: String,
) -> Result<(), IpcError> {
    state
        .with_session(move |s| {
            ketachart_pdf::rems_enrollment::export(s, patient_id.0, &path)?;
            Ok(())
        })
        .await
}
