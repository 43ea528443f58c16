//! Vault, session and passphrase shapes.

use ketachart_core::access::Permission;
use ketachart_core::passphrase::Strength;
use ketachart_core::user::Role;
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
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<RoleName>,
}

/// What the signed-in user may do, for showing or hiding parts of the UI. The core checks
/// every command again; this is never the access control itself.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    pub edit_patients: bool,
    /// The clinical record (treatment history): provider, nurse, billing.
    pub read_clinical: bool,
    /// Changing it: provider and nurse only.
    pub edit_clinical: bool,
    /// Signing screenings and evaluations, addenda, clinic dose floors: providers.
    pub sign_clinical: bool,
    /// A patient's insurance coverage: every role.
    pub edit_coverage: bool,
    /// The clinic's payer list: admin and billing.
    pub manage_payers: bool,
    pub manage_users: bool,
    pub read_audit: bool,
    pub manage_backups: bool,
    pub restore: bool,
    pub manage_settings: bool,
    /// Prior authorization (checks, requests, packets, chart tasks): providers and billing.
    pub manage_authorizations: bool,
    /// Payer rule sets and the self-pay fee schedule: admin and billing.
    pub manage_payer_rules: bool,
    /// The document store (import, link, remove) and preparing and signing consents and ABNs:
    /// providers, nurses and billing.
    pub manage_documents: bool,
    /// REMS paperwork: the patient enrollment and the monitoring forms' submissions: providers,
    /// nurses and billing.
    pub submit_forms: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub clinic_name: String,
    pub user: SessionUser,
    pub demo: bool,
    pub permissions: Permissions,
    /// Seconds without input before the app locks itself (it warns 30 s before).
    pub idle_lock_seconds: u32,
}

impl SessionInfo {
    pub fn new(s: &Session, idle_lock_seconds: u32) -> Self {
        SessionInfo {
            clinic_name: s.clinic_name().to_string(),
            user: SessionUser {
                id: s.user().id,
                username: s.user().username.clone(),
                display_name: s.user().display_name.clone(),
                roles: s.user().roles.iter().map(|r| (*r).into()).collect(),
            },
            demo: s.is_demo(),
            permissions: Permissions {
                edit_patients: s.can(Permission::EditPatients),
                read_clinical: s.can(Permission::ReadClinical),
                edit_clinical: s.can(Permission::EditClinical),
                sign_clinical: s.can(Permission::SignClinical),
                edit_coverage: s.can(Permission::EditCoverage),
                manage_payers: s.can(Permission::ManagePayers),
                manage_users: s.can(Permission::ManageUsers),
                read_audit: s.can(Permission::ReadAudit),
                manage_backups: s.can(Permission::ManageBackups),
                restore: s.can(Permission::Restore),
                manage_settings: s.can(Permission::ManageSettings),
                manage_authorizations: s.can(Permission::ManageAuthorizations),
                manage_payer_rules: s.can(Permission::ManagePayerRules),
                manage_documents: s.can(Permission::ManageDocuments),
                submit_forms: s.can(Permission::SubmitForms),
            },
            idle_lock_seconds,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum RoleName {
    Admin,
    Provider,
    Nurse,
    Billing,
}

impl From<Role> for RoleName {
    fn from(r: Role) -> Self {
        match r {
            Role::Admin => RoleName::Admin,
            Role::Provider => RoleName::Provider,
            Role::Nurse => RoleName::Nurse,
            Role::Billing => RoleName::Billing,
        }
    }
}

impl From<RoleName> for Role {
    fn from(r: RoleName) -> Self {
        match r {
            RoleName::Admin => Role::Admin,
            RoleName::Provider => Role::Provider,
            RoleName::Nurse => Role::Nurse,
            RoleName::Billing => Role::Billing,
        }
    }
}

/// Clinic set up: the admin is signed in, and the recovery key must be printed now (it is
/// never shown again).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClinicCreated {
    pub session: SessionInfo,
    /// `ABCD-EFGH-…`, 8 groups of 4.
    pub recovery_key: String,
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryUnlockForm {
    pub recovery_key: String,
    pub username: String,
    pub passphrase: String,
    pub passphrase_confirmation: String,
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PasswordChangeForm {
    pub current_passphrase: String,
    pub passphrase: String,
    pub passphrase_confirmation: String,
}

/// Why the vault locked itself (pushed to the UI as an event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum LockReason {
    /// Nobody touched the app for the clinic's idle time.
    Idle,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct VaultLocked {
    pub reason: LockReason,
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
