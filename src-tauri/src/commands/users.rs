//! User administration (admins only; the core checks).

use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use tauri::State;
use zeroize::Zeroize;

use crate::dto::users::{NewUserForm, PasswordResetForm, UserId, UserRow};
use crate::dto::vault::RoleName;
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_users(state: State<'_, AppState>) -> Result<Vec<UserRow>, IpcError> {
    state
        .with_session(|s| Ok(manage::list(s)?.into_iter().map(Into::into).collect()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn create_user(
    state: State<'_, AppState>,
    form: NewUserForm,
) -> Result<UserRow, IpcError> {
    state
        .with_session(move |s| {
            let mut form = form;
            let mut new = NewUser {
                username: form.username.clone(),
                display_name: form.display_name.clone(),
                roles: form.roles.iter().map(|r| Role::from(*r)).collect(),
                passphrase: std::mem::take(&mut form.passphrase),
                passphrase_confirmation: std::mem::take(&mut form.passphrase_confirmation),
            };
            let r = manage::create(s, &form.admin_passphrase, &new);
            form.admin_passphrase.zeroize();
            new.passphrase.zeroize();
            new.passphrase_confirmation.zeroize();
            Ok(r?.into())
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_user_roles(
    state: State<'_, AppState>,
    user_id: UserId,
    roles: Vec<RoleName>,
) -> Result<UserRow, IpcError> {
    state
        .with_session(move |s| {
            let roles: Vec<Role> = roles.into_iter().map(Into::into).collect();
            Ok(manage::set_roles(s, user_id.0, &roles)?.into())
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn disable_user(
    state: State<'_, AppState>,
    user_id: UserId,
) -> Result<UserRow, IpcError> {
    state
        .with_session(move |s| Ok(manage::disable(s, user_id.0)?.into()))
        .await
}

/// Sets a new passphrase for a user (re-enabling a disabled account).
#[tauri::command]
#[specta::specta]
pub async fn reset_user_password(
    state: State<'_, AppState>,
    form: PasswordResetForm,
) -> Result<UserRow, IpcError> {
    state
        .with_session(move |s| {
            let mut form = form;
            let r = manage::reset_password(
                s,
                form.user_id,
                &form.admin_passphrase,
                &form.passphrase,
                &form.passphrase_confirmation,
            );
            form.admin_passphrase.zeroize();
            form.passphrase.zeroize();
            form.passphrase_confirmation.zeroize();
            Ok(r?.into())
        })
        .await
}

/// Replaces the recovery key; the answer is the new key, shown once for printing.
#[tauri::command]
#[specta::specta]
pub async fn replace_recovery_key(
    state: State<'_, AppState>,
    admin_passphrase: String,
) -> Result<String, IpcError> {
    state
        .with_session(move |s| {
            let mut p = admin_passphrase;
            let r = manage::replace_recovery_key(s, &p);
            p.zeroize();
            Ok(r?.grouped())
        })
        .await
}
