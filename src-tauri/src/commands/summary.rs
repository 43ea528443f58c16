//! The patient summary PDF, saved where the user chose (a native save dialog in the UI, or the
//! export folder the app was started with).

use tauri::State;

use super::today;
use crate::dto::patient::PatientId;
use crate::dto::record::ExportedFile;
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn export_summary_pdf(
    state: State<'_, AppState>,
    patient_id: PatientId,
    path: String,
) -> Result<ExportedFile, IpcError> {
    state
        .with_session(move |s| {
            let written = ketachart_pdf::summary::export(s, patient_id.0, &path, today())?;
            Ok(ExportedFile {
                path: written.display().to_string(),
            })
        })
        .await
}
