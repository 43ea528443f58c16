//! The clinic profile (read by everyone, changed by administrators) and staff profiles (read
//! by everyone; changed by the person themselves or an administrator). The core checks.

use ketachart_core::profile::{clinic, provider};
use tauri::State;

use crate::dto::profile::{
    ClinicProfileDto, ClinicProfileForm, ProviderProfileDto, ProviderProfileForm,
};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_clinic_profile(state: State<'_, AppState>) -> Result<ClinicProfileDto, IpcError> {
    state.with_session(|s| Ok(clinic::get(s)?.into())).await
}

/// Saves the clinic profile; a new clinic name also shows in the session from now on.
#[tauri::command]
#[specta::specta]
pub async fn update_clinic_profile(
    state: State<'_, AppState>,
    form: ClinicProfileForm,
) -> Result<ClinicProfileDto, IpcError> {
    state
        .with_session(move |s| Ok(clinic::update(s, &form.into())?.into()))
        .await
}

/// Enabled providers and nurses with their profiles, for choosing who is named on a form.
#[tauri::command]
#[specta::specta]
pub async fn list_provider_profiles(
    state: State<'_, AppState>,
) -> Result<Vec<ProviderProfileDto>, IpcError> {
    state
        .with_session(|s| Ok(provider::list(s)?.into_iter().map(Into::into).collect()))
        .await
}

/// The signed-in user's own profile.
#[tauri::command]
#[specta::specta]
pub async fn get_my_profile(state: State<'_, AppState>) -> Result<ProviderProfileDto, IpcError> {
    state
        .with_session(|s| {
            let me = s.user().username.clone();
            Ok(provider::get(s, &me)?.into())
        })
        .await
}

/// Saves `username`'s profile: one's own, or anyone's for an administrator.
#[tauri::command]
#[specta::specta]
pub async fn update_provider_profile(
    state: State<'_, AppState>,
    username: String,
    form: ProviderProfileForm,
) -> Result<ProviderProfileDto, IpcError> {
    state
        .with_session(move |s| Ok(provider::update(s, &username, &form.into())?.into()))
        .await
}
