//! Vault, session and passphrase shapes.

use ketachart_core::passphrase::Strength;
use ketachart_core::Session;
use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum VaultStatus {
    /// No vault yet: show clinic setup.
    Setup,
    Locked,
    Unlocked,
    /// The vault cannot be used (see `problem`).
    Unavailable,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DemoCredentials {
    pub username: String,
    pub passphrase: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionUser {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub clinic_name: String,
    pub user: SessionUser,
    pub demo: bool,
}

impl From<&Session> for SessionInfo {
    fn from(s: &Session) -> Self {
        SessionInfo {
            clinic_name: s.clinic_name().to_string(),
            user: SessionUser {
                username: s.user().username.clone(),
                display_name: s.user().display_name.clone(),
                roles: s
                    .user()
                    .roles
                    .iter()
                    .map(|r| r.as_str().to_string())
                    .collect(),
            },
            demo: s.is_demo(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub status: VaultStatus,
    /// The clinic's name from the key file (shown on the unlock screen).
    pub clinic_name: Option<String>,
    pub data_dir: String,
    /// Only for the demo clinic: the published credentials.
    pub demo: Option<DemoCredentials>,
    pub session: Option<SessionInfo>,
    /// Why the vault is unavailable, in words for the user.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClinicSetupForm {
    pub clinic_name: String,
    pub admin_display_name: String,
    pub admin_username: String,
    pub passphrase: String,
    pub passphrase_confirmation: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PassphraseStrength {
    /// 0 (very weak) to 4 (very strong).
    pub score: u8,
    pub label: String,
    pub acceptable: bool,
    pub problem: Option<String>,
    pub suggestions: Vec<String>,
    pub min_length: u32,
}

impl From<Strength> for PassphraseStrength {
    fn from(s: Strength) -> Self {
        PassphraseStrength {
            score: s.score,
            label: s.label.into(),
            acceptable: s.acceptable,
            problem: s.problem,
            suggestions: s.suggestions,
            min_length: ketachart_core::passphrase::MIN_LENGTH as u32,
        }
    }
}
