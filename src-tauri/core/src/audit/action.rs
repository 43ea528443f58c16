//! The closed set of audited actions. Their text form is what the log stores and the viewer
//! filters on; renaming one would break verification of old entries, so never rename.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    Login,
    LoginFailed,
    LoginWithRecoveryKey,
    Logout,
    Lock,
    IdleLock,
    PatientView,
    PatientCreate,
    PatientUpdate,
    TrialCreate,
    TrialUpdate,
    UserCreate,
    UserDisable,
    UserEnable,
    UserRolesChange,
    UserPasswordReset,
    PasswordChange,
    RecoveryKeyReplace,
    SettingsUpdate,
    BackupCreate,
    BackupFailed,
    BackupVerify,
    Restore,
    AuditVerify,
    AuditExport,
    RecordCreate,
    RecordUpdate,
    RecordSign,
    RecordAddendum,
    PayerCreate,
    PayerUpdate,
    DrugFloorChange,
    PatientSummary,
    PatientExport,
    PatientImport,
    ScoreRecord,
    AlertAcknowledge,
}

impl AuditAction {
    pub const ALL: [AuditAction; 37] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::LoginWithRecoveryKey,
        AuditAction::Logout,
        AuditAction::Lock,
        AuditAction::IdleLock,
        AuditAction::PatientView,
        AuditAction::PatientCreate,
        AuditAction::PatientUpdate,
        AuditAction::TrialCreate,
        AuditAction::TrialUpdate,
        AuditAction::UserCreate,
        AuditAction::UserDisable,
        AuditAction::UserEnable,
        AuditAction::UserRolesChange,
        AuditAction::UserPasswordReset,
        AuditAction::PasswordChange,
        AuditAction::RecoveryKeyReplace,
        AuditAction::SettingsUpdate,
        AuditAction::BackupCreate,
        AuditAction::BackupFailed,
        AuditAction::BackupVerify,
        AuditAction::Restore,
        AuditAction::AuditVerify,
        AuditAction::AuditExport,
        AuditAction::RecordCreate,
        AuditAction::RecordUpdate,
        AuditAction::RecordSign,
        AuditAction::RecordAddendum,
        AuditAction::PayerCreate,
        AuditAction::PayerUpdate,
        AuditAction::DrugFloorChange,
        AuditAction::PatientSummary,
        AuditAction::PatientExport,
        AuditAction::PatientImport,
        AuditAction::ScoreRecord,
        AuditAction::AlertAcknowledge,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login.failed",
            AuditAction::LoginWithRecoveryKey => "login.recovery_key",
            AuditAction::Logout => "logout",
            AuditAction::Lock => "lock",
            AuditAction::IdleLock => "lock.idle",
            AuditAction::PatientView => "patient.view",
            AuditAction::PatientCreate => "patient.create",
            AuditAction::PatientUpdate => "patient.update",
            AuditAction::TrialCreate => "trial.create",
            AuditAction::TrialUpdate => "trial.update",
            AuditAction::UserCreate => "user.create",
            AuditAction::UserDisable => "user.disable",
            AuditAction::UserEnable => "user.enable",
            AuditAction::UserRolesChange => "user.roles",
            AuditAction::UserPasswordReset => "user.password_reset",
            AuditAction::PasswordChange => "user.password_change",
            AuditAction::RecoveryKeyReplace => "recovery_key.replace",
            AuditAction::SettingsUpdate => "settings.update",
            AuditAction::BackupCreate => "backup.create",
            AuditAction::BackupFailed => "backup.failed",
            AuditAction::BackupVerify => "backup.verify",
            AuditAction::Restore => "restore",
            AuditAction::AuditVerify => "audit.verify",
            AuditAction::AuditExport => "audit.export",
            AuditAction::RecordCreate => "record.create",
            AuditAction::RecordUpdate => "record.update",
            AuditAction::RecordSign => "record.sign",
            AuditAction::RecordAddendum => "record.addendum",
            AuditAction::PayerCreate => "payer.create",
            AuditAction::PayerUpdate => "payer.update",
            AuditAction::DrugFloorChange => "drug_floor.change",
            AuditAction::PatientSummary => "patient.summary",
            AuditAction::PatientExport => "patient.export",
            AuditAction::PatientImport => "patient.import",
            AuditAction::ScoreRecord => "score.record",
            AuditAction::AlertAcknowledge => "alert.acknowledge",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Plain words for the viewer.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::Login => "Signed in",
            AuditAction::LoginFailed => "Failed sign-in",
            AuditAction::LoginWithRecoveryKey => "Signed in with the recovery key",
            AuditAction::Logout => "Signed out (window closed)",
            AuditAction::Lock => "Locked",
            AuditAction::IdleLock => "Locked after inactivity",
            AuditAction::PatientView => "Opened a chart",
            AuditAction::PatientCreate => "Registered a patient",
            AuditAction::PatientUpdate => "Changed patient details",
            AuditAction::TrialCreate => "Recorded a medication trial",
            AuditAction::TrialUpdate => "Changed a medication trial",
            AuditAction::UserCreate => "Added a user",
            AuditAction::UserDisable => "Disabled a user",
            AuditAction::UserEnable => "Re-enabled a user",
            AuditAction::UserRolesChange => "Changed a user's roles",
            AuditAction::UserPasswordReset => "Reset a user's password",
            AuditAction::PasswordChange => "Changed own password",
            AuditAction::RecoveryKeyReplace => "Created a new recovery key",
            AuditAction::SettingsUpdate => "Changed clinic settings",
            AuditAction::BackupCreate => "Backed up",
            AuditAction::BackupFailed => "Backup failed",
            AuditAction::BackupVerify => "Checked a backup",
            AuditAction::Restore => "Restored a backup",
            AuditAction::AuditVerify => "Checked the audit log",
            AuditAction::AuditExport => "Exported the audit log",
            AuditAction::RecordCreate => "Added a clinical record",
            AuditAction::RecordUpdate => "Changed a clinical record",
            AuditAction::RecordSign => "Signed a record",
            AuditAction::RecordAddendum => "Added an addendum",
            AuditAction::PayerCreate => "Added a payer",
            AuditAction::PayerUpdate => "Changed a payer",
            AuditAction::DrugFloorChange => "Changed a minimum therapeutic dose",
            AuditAction::PatientSummary => "Produced a patient summary PDF",
            AuditAction::PatientExport => "Exported a patient record",
            AuditAction::PatientImport => "Imported a patient record",
            AuditAction::ScoreRecord => "Recorded a rating-scale score",
            AuditAction::AlertAcknowledge => "Acknowledged a safety alert",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_are_unique_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for a in AuditAction::ALL {
            assert!(seen.insert(a.as_str()), "duplicate {}", a.as_str());
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
        }
    }
}
