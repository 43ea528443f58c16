//! Backup, restore and clinic settings shapes.

use ketachart_core::backup::{BackupContents, BackupListing, BackupProgress, BackupReport};
use ketachart_core::settings::ClinicSettings;
use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupContentsDto {
    pub clinic_name: String,
    pub created_at: String,
    #[specta(type = specta_typescript::Number)]
    pub schema_version: i64,
    #[specta(type = specta_typescript::Number)]
    pub patients: i64,
    #[specta(type = specta_typescript::Number)]
    pub users: i64,
    #[specta(type = specta_typescript::Number)]
    pub audit_entries: i64,
}

impl From<BackupContents> for BackupContentsDto {
    fn from(c: BackupContents) -> Self {
        BackupContentsDto {
            clinic_name: c.manifest.label,
            created_at: c.manifest.created_at,
            schema_version: c.manifest.schema_version,
            patients: c.patients,
            users: c.users,
            audit_entries: c.audit_entries,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupResult {
    pub path: String,
    pub bytes: f64,
    pub contents: BackupContentsDto,
    pub removed_old: u32,
}

impl From<BackupReport> for BackupResult {
    fn from(r: BackupReport) -> Self {
        BackupResult {
            path: r.path.display().to_string(),
            bytes: r.bytes as f64,
            contents: r.contents.into(),
            removed_old: r.removed.len() as u32,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum BackupPhase {
    Copying,
    Writing,
    Verifying,
    Done,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupProgressDto {
    pub phase: BackupPhase,
    /// 0 – 100.
    pub percent: u32,
}

impl From<BackupProgress> for BackupProgressDto {
    fn from(p: BackupProgress) -> Self {
        use ketachart_core::backup::create::Phase;
        BackupProgressDto {
            phase: match p.phase {
                Phase::Copying => BackupPhase::Copying,
                Phase::Writing => BackupPhase::Writing,
                Phase::Verifying => BackupPhase::Verifying,
                Phase::Done => BackupPhase::Done,
            },
            percent: (p.fraction.clamp(0.0, 1.0) * 100.0).round() as u32,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupFile {
    pub path: String,
    pub file_name: String,
    pub bytes: f64,
    pub created_at: Option<String>,
    pub clinic_name: Option<String>,
    pub this_vault: bool,
    pub problem: Option<String>,
}

impl From<BackupListing> for BackupFile {
    fn from(l: BackupListing) -> Self {
        BackupFile {
            file_name: l
                .path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path: l.path.display().to_string(),
            bytes: l.bytes as f64,
            created_at: l.manifest.as_ref().map(|m| m.created_at.clone()),
            clinic_name: l.manifest.as_ref().map(|m| m.label.clone()),
            this_vault: l.this_vault,
            problem: l.problem,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RestoreResult {
    pub contents: BackupContentsDto,
    pub safety_copy: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RestoreNewVaultForm {
    pub path: String,
    pub username: String,
    pub passphrase: String,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsDto {
    pub idle_lock_minutes: u32,
    pub backup_folder: Option<String>,
    pub backup_daily: bool,
    pub backup_keep: u32,
    pub last_backup_at: Option<String>,
}

impl From<ClinicSettings> for SettingsDto {
    fn from(s: ClinicSettings) -> Self {
        SettingsDto {
            idle_lock_minutes: s.idle_lock_minutes,
            backup_folder: s.backup_folder.map(|p| p.display().to_string()),
            backup_daily: s.backup_daily,
            backup_keep: s.backup_keep,
            last_backup_at: s.last_backup_at,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsForm {
    /// Text as typed, validated in the core.
    pub idle_lock_minutes: String,
    pub backup_folder: String,
    pub backup_daily: bool,
    pub backup_keep: String,
}
