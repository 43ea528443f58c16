//! The clinic's treatment settings: protocol templates, dose limits, the weight check, vital-sign
//! timepoints, alert ranges and pre-dose hold thresholds. Everyone with the clinical record reads
//! them; providers replace them as one validated, audited document.

use ketachart_core::treatment::settings;
use tauri::State;

use crate::dto::treatment_settings::{settings_view, TsSettings, TsSettingsView};
use crate::error::IpcError;
use crate::state::AppState;

/// The settings in force, who changed them last, and the reference defaults.
#[tauri::command]
#[specta::specta]
pub async fn get_treatment_settings(
    state: State<'_, AppState>,
) -> Result<TsSettingsView, IpcError> {
    state
        .with_session(|s| {
            let effective = settings::get(s)?;
            settings_view(effective, &settings::defaults()?)
        })
        .await
}

/// Replaces the whole document (providers only); the core's field errors come back as
/// `Validation` with paths like `doseLimits.stopAboveMgPerKg` or `protocols.2.phases.0`.
#[tauri::command]
#[specta::specta]
pub async fn update_treatment_settings(
    state: State<'_, AppState>,
    settings: TsSettings,
) -> Result<TsSettingsView, IpcError> {
    state
        .with_session(move |s| {
            let input = settings.to_core()?;
            let effective = settings::update(s, &input)?;
            settings_view(effective, &settings::defaults()?)
        })
        .await
}
