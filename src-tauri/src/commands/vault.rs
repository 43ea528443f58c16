//! Status, clinic setup, unlock and lock.

use ketachart_core::clinic::ClinicSetup;
use ketachart_core::demo;
use ketachart_core::passphrase;
use ketachart_core::session::CloseReason;
use ketachart_core::user::manage;
use ketachart_core::vault::{KdfParams, VaultState};
use tauri::State;
use zeroize::Zeroize;

use crate::dto::vault::{
    AppStatus, ClinicCreated, ClinicSetupForm, DemoCredentials, PassphraseStrength,
    PasswordChangeForm, RecoveryUnlockForm, SessionInfo, VaultStatus,
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
    let idle = state.idle_limit().as_secs() as u32;
    if let Some(info) = state.session_summary(|s| SessionInfo::new(s, idle)) {
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

/// Installs a session and describes it for the UI.
pub(crate) fn install(
    state: &AppState,
    session: ketachart_core::Session,
) -> Result<SessionInfo, IpcError> {
    let limit = state.idle_limit_for(&session);
    let info = SessionInfo::new(&session, limit.as_secs() as u32);
    state.set_session(session, limit)?;
    Ok(info)
}

/// First launch: creates the clinic's vault and unlocks it as the admin. The recovery key in
/// the answer is shown once for printing.
#[tauri::command]
#[specta::specta]
pub async fn create_clinic(
    state: State<'_, AppState>,
    form: ClinicSetupForm,
) -> Result<ClinicCreated, IpcError> {
    let created = state
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
    let recovery_key = created.recovery_key.grouped();
    let session = install(&state, created.session)?;
    tracing::info!("clinic vault created and unlocked");
    Ok(ClinicCreated {
        session,
        recovery_key,
    })
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
    let info = install(&state, session)?;
    tracing::info!("vault unlocked");
    Ok(info)
}

/// Every password forgotten: the printed recovery key opens the vault and sets a new
/// passphrase for an administrator, who is then signed in.
#[tauri::command]
#[specta::specta]
pub async fn unlock_with_recovery_key(
    state: State<'_, AppState>,
    form: RecoveryUnlockForm,
) -> Result<SessionInfo, IpcError> {
    let session = state
        .blocking(move |vault| {
            let mut form = form;
            let result = vault.unlock_with_recovery_key(
                &form.recovery_key,
                &form.username,
                &form.passphrase,
                &form.passphrase_confirmation,
            );
            form.recovery_key.zeroize();
            form.passphrase.zeroize();
            form.passphrase_confirmation.zeroize();
            Ok(result?)
        })
        .await?;
    let info = install(&state, session)?;
    tracing::info!("vault unlocked with the recovery key");
    Ok(info)
}

/// Locks (also "switch user"): closes the database and forgets the key.
#[tauri::command]
#[specta::specta]
pub async fn lock(state: State<'_, AppState>) -> Result<(), IpcError> {
    // Waits for a running operation (a backup) to finish, off the async runtime.
    tauri::async_runtime::spawn_blocking(state.lock_task(CloseReason::Lock))
        .await
        .map_err(|_| IpcError::internal("blocking task failed"))??;
    tracing::info!("vault locked");
    Ok(())
}

/// The UI saw input (key, pointer, touch): restarts the idle-lock clock. `Locked` when the
/// vault already locked itself.
#[tauri::command]
#[specta::specta]
pub async fn record_activity(state: State<'_, AppState>) -> Result<(), IpcError> {
    if !state.is_unlocked() {
        return Err(IpcError::locked());
    }
    state.touch();
    Ok(())
}

/// The signed-in user changes their own passphrase (re-wraps the key; no re-encryption).
#[tauri::command]
#[specta::specta]
pub async fn change_own_password(
    state: State<'_, AppState>,
    form: PasswordChangeForm,
) -> Result<(), IpcError> {
    state
        .with_session(move |s| {
            let mut form = form;
            let r = manage::change_own_password(
                s,
                &form.current_passphrase,
                &form.passphrase,
                &form.passphrase_confirmation,
            );
            form.current_passphrase.zeroize();
            form.passphrase.zeroize();
            form.passphrase_confirmation.zeroize();
            Ok(r?)
        })
        .await
}
