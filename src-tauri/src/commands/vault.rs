//! Status, clinic setup, unlock and lock.

use ketachart_core::clinic::ClinicSetup;
use ketachart_core::demo;
use ketachart_core::passphrase;
use ketachart_core::vault::{KdfParams, VaultState};
use tauri::State;
use zeroize::Zeroize;

use crate::dto::vault::{
    AppStatus, ClinicSetupForm, DemoCredentials, PassphraseStrength, SessionInfo, VaultStatus,
};
use crate::error::IpcError;
use crate::state::AppState;

/// Where the app stands: set-up needed, locked, unlocked, or unavailable (and why).
#[tauri::command]
#[specta::specta]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, IpcError> {
    let data_dir = state.vault.path().display().to_string();
    let problem = state.problem();
    let unavailable = problem.is_some();
    let base = AppStatus {
        status: VaultStatus::Unavailable,
        clinic_name: None,
        data_dir,
        demo: None,
        session: None,
        problem,
    };
    if unavailable {
        return Ok(base);
    }
    if let Some(info) = state.session_summary(|s| SessionInfo::from(s)) {
        return Ok(AppStatus {
            status: VaultStatus::Unlocked,
            clinic_name: Some(info.clinic_name.clone()),
            session: Some(info),
            ..base
        });
    }
    match state.vault.inspect() {
        Ok(VaultState::Empty) => Ok(AppStatus {
            status: VaultStatus::Setup,
            ..base
        }),
        Ok(VaultState::Present {
            label,
            demo: is_demo,
        }) => Ok(AppStatus {
            status: VaultStatus::Locked,
            clinic_name: Some(label),
            demo: is_demo.then(|| DemoCredentials {
                username: demo::DEMO_USERNAME.into(),
                passphrase: demo::DEMO_PASSPHRASE.into(),
            }),
            ..base
        }),
        Err(e) => Ok(AppStatus {
            problem: Some(e.to_string()),
            ..base
        }),
    }
}

/// Live strength of a passphrase being typed on the setup screen.
#[tauri::command]
#[specta::specta]
pub async fn passphrase_strength(
    passphrase: String,
    context: Vec<String>,
) -> Result<PassphraseStrength, IpcError> {
    let words: Vec<&str> = context.iter().map(String::as_str).collect();
    let mut passphrase = passphrase;
    let result = passphrase::assess(&passphrase, &words).into();
    passphrase.zeroize();
    Ok(result)
}

/// First launch: creates the clinic's vault and unlocks it as the admin.
#[tauri::command]
#[specta::specta]
pub async fn create_clinic(
    state: State<'_, AppState>,
    form: ClinicSetupForm,
) -> Result<SessionInfo, IpcError> {
    let session = state
        .blocking(move |vault| {
            let mut setup = ClinicSetup {
                clinic_name: form.clinic_name,
                admin_display_name: form.admin_display_name,
                admin_username: form.admin_username,
                passphrase: form.passphrase,
                passphrase_confirmation: form.passphrase_confirmation,
            };
            let result = vault.create(&setup, KdfParams::DEFAULT);
            setup.passphrase.zeroize();
            setup.passphrase_confirmation.zeroize();
            Ok(result?)
        })
        .await?;
    let info = SessionInfo::from(&session);
    state.set_session(session)?;
    tracing::info!("clinic vault created and unlocked");
    Ok(info)
}

/// Unlocks with a user name and passphrase. A wrong passphrase changes nothing.
#[tauri::command]
#[specta::specta]
pub async fn unlock(
    state: State<'_, AppState>,
    username: String,
    passphrase: String,
) -> Result<SessionInfo, IpcError> {
    let session = state
        .blocking(move |vault| {
            let mut passphrase = passphrase;
            let result = vault.unlock(&username, &passphrase);
            passphrase.zeroize();
            if result.is_err() {
                tracing::warn!("unlock refused");
            }
            Ok(result?)
        })
        .await?;
    let info = SessionInfo::from(&session);
    state.set_session(session)?;
    tracing::info!("vault unlocked");
    Ok(info)
}

/// Locks: closes the database and forgets the key.
#[tauri::command]
#[specta::specta]
pub async fn lock(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.lock()?;
    tracing::info!("vault locked");
    Ok(())
}
