//! The audit log viewer, its verification and CSV export (admins only; the core checks).

use std::path::PathBuf;

use ketachart_core::audit::{self, AuditAction};
use tauri::State;

use crate::dto::audit::{
    AuditActionOption, AuditFilterForm, AuditPageDto, AuditSeq, AuditVerification, ExportResult,
};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_audit(
    state: State<'_, AppState>,
    filter: AuditFilterForm,
    before_seq: Option<AuditSeq>,
) -> Result<AuditPageDto, IpcError> {
    let filter: audit::AuditFilter = filter.try_into()?;
    state
        .with_session(move |s| {
            let page = audit::query::list(s, &filter, before_seq.map(|b| b.0), 100)?;
            Ok(AuditPageDto {
                entries: page.entries.into_iter().map(Into::into).collect(),
                next_before: page.next_before,
            })
        })
        .await
}

/// The actions the filter offers.
#[tauri::command]
#[specta::specta]
pub async fn audit_actions() -> Result<Vec<AuditActionOption>, IpcError> {
    Ok(AuditAction::ALL
        .iter()
        .map(|a| AuditActionOption {
            value: a.as_str().into(),
            label: a.label().into(),
        })
        .collect())
}

#[tauri::command]
#[specta::specta]
pub async fn verify_audit(state: State<'_, AppState>) -> Result<AuditVerification, IpcError> {
    state.with_session(|s| Ok(audit::verify(s)?.into())).await
}

/// Where exports go when the app was started with `KETACHART_EXPORT_DIR` (tests, managed
/// machines): the UI then skips the save dialog.
#[tauri::command]
#[specta::specta]
pub async fn export_folder() -> Result<Option<String>, IpcError> {
    Ok(std::env::var_os("KETACHART_EXPORT_DIR").map(|d| PathBuf::from(d).display().to_string()))
}

#[tauri::command]
#[specta::specta]
pub async fn export_audit_csv(
    state: State<'_, AppState>,
    filter: AuditFilterForm,
    path: String,
) -> Result<ExportResult, IpcError> {
    let filter: audit::AuditFilter = filter.try_into()?;
    state
        .with_session(move |s| {
            let n = audit::export::export_csv(s, &filter, &path)?;
            Ok(ExportResult {
                path: path.trim().to_string(),
                entries: n as u32,
            })
        })
        .await
}
