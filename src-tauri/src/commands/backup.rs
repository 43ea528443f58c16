//! Backups, restore and clinic settings.

use std::path::PathBuf;

use ketachart_core::backup;
use ketachart_core::settings::{self, SettingsInput};
use tauri::ipc::Channel;
use tauri::State;
use zeroize::Zeroize;

use crate::dto::backup::{
    BackupContentsDto, BackupFile, BackupProgressDto, BackupResult, RestoreNewVaultForm,
    RestoreResult, SettingsDto, SettingsForm,
};
use crate::dto::vault::SessionInfo;
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_settings(state: State<'_, AppState>) -> Result<SettingsDto, IpcError> {
    state.with_session(|s| Ok(settings::get(s)?.into())).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_settings(
    state: State<'_, AppState>,
    form: SettingsForm,
) -> Result<SettingsDto, IpcError> {
    let saved: SettingsDto = state
        .with_session(move |s| {
            let input = SettingsInput {
                idle_lock_minutes: form.idle_lock_minutes,
                backup_folder: form.backup_folder,
                backup_daily: form.backup_daily,
                backup_keep: form.backup_keep,
            };
            Ok(settings::update(s, &input)?.into())
        })
        .await?;
    state.refresh_idle_limit();
    Ok(saved)
}

/// Backs up now into `folder`, streaming progress on `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn create_backup(
    state: State<'_, AppState>,
    folder: String,
    on_progress: Channel<BackupProgressDto>,
) -> Result<BackupResult, IpcError> {
    state
        .with_session(move |s| {
            let report = backup::create(s, &folder, &|p| {
                let _ = on_progress.send(p.into());
            })?;
            Ok(report.into())
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_backups(
    state: State<'_, AppState>,
    folder: String,
) -> Result<Vec<BackupFile>, IpcError> {
    state
        .with_session(move |s| {
            Ok(backup::list(s, &PathBuf::from(folder))?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
}

/// Checks a backup completely without restoring it.
#[tauri::command]
#[specta::specta]
pub async fn verify_backup(
    state: State<'_, AppState>,
    path: String,
) -> Result<BackupContentsDto, IpcError> {
    let path = PathBuf::from(path.trim());
    state
        .with_session(move |s| Ok(backup::verify_file(s, &path)?.into()))
        .await
}

/// Replaces the live database with a checked backup of this vault. The live one is kept as a
/// safety copy; the app is locked afterwards (sign in with the passwords the backup knew).
#[tauri::command]
#[specta::specta]
pub async fn restore_backup(
    state: State<'_, AppState>,
    path: String,
) -> Result<RestoreResult, IpcError> {
    let path = PathBuf::from(path.trim());
    state
        .with_slot(move |slot| {
            let r = backup::restore(slot, &path)?;
            Ok(RestoreResult {
                contents: r.contents.into(),
                safety_copy: r.safety_copy.map(|p| p.display().to_string()),
            })
        })
        .await
}

/// First launch on a new machine: what a backup file is, before asking for credentials.
#[tauri::command]
#[specta::specta]
pub async fn inspect_backup_file(path: String) -> Result<BackupFile, IpcError> {
    let path = PathBuf::from(path.trim());
    tauri::async_runtime::spawn_blocking(move || {
        let manifest = backup::archive::read_manifest(&path)?;
        Ok::<_, IpcError>(BackupFile {
            file_name: path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bytes: std::fs::metadata(&path)
                .map(|m| m.len() as f64)
                .unwrap_or(0.0),
            path: path.display().to_string(),
            created_at: Some(manifest.created_at),
            clinic_name: Some(manifest.label),
            this_vault: false,
            problem: None,
        })
    })
    .await
    .map_err(|_| IpcError::internal("blocking task failed"))?
}

/// First launch on a new machine: restores a backup as this machine's vault, opened with an
/// administrator's user name and passphrase from the backup, and signs them in.
#[tauri::command]
#[specta::specta]
pub async fn restore_new_vault(
    state: State<'_, AppState>,
    form: RestoreNewVaultForm,
) -> Result<SessionInfo, IpcError> {
    let path = PathBuf::from(form.path.trim());
    let session = state
        .blocking(move |vault| {
            let mut form = form;
            let r =
                backup::restore_into_empty_vault(&vault, &path, &form.username, &form.passphrase);
            form.passphrase.zeroize();
            Ok(r?.0)
        })
        .await?;
    super::vault::install(&state, session)
}
