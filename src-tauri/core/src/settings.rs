//! Clinic-wide settings kept in the encrypted database: the idle lock time and the backup
//! schedule. Changing them is an administrator's job and is audited.

use std::path::{Path, PathBuf};

use rusqlite::params;

use crate::access::Permission;
use crate::audit::{AuditAction, NewEvent};
use crate::error::CoreResult;
use crate::session::Session;
use crate::validation::ValidationErrors;

pub const IDLE_LOCK_MINUTES_DEFAULT: u32 = 10;
pub const IDLE_LOCK_MINUTES_RANGE: (u32, u32) = (1, 60);
pub const BACKUP_KEEP_RANGE: (u32, u32) = (1, 365);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicSettings {
    pub idle_lock_minutes: u32,
    pub backup_folder: Option<PathBuf>,
    pub backup_daily: bool,
    pub backup_keep: u32,
    pub last_backup_at: Option<String>,
}

/// What the settings form sends.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub idle_lock_minutes: String,
    pub backup_folder: String,
    pub backup_daily: bool,
    pub backup_keep: String,
}

pub(crate) fn load(conn: &rusqlite::Connection) -> CoreResult<ClinicSettings> {
    Ok(conn.query_row(
        "SELECT idle_lock_minutes, backup_folder, backup_schedule, backup_keep, last_backup_at \
         FROM clinic WHERE id = 1",
        [],
        |r| {
            Ok(ClinicSettings {
                idle_lock_minutes: r.get(0)?,
                backup_folder: r.get::<_, Option<String>>(1)?.map(PathBuf::from),
                backup_daily: r.get::<_, String>(2)? == "daily",
                backup_keep: r.get(3)?,
                last_backup_at: r.get(4)?,
            })
        },
    )?)
}

/// The idle lock time applies to everyone, so any signed-in user may read it.
pub fn idle_lock_minutes(session: &Session) -> CoreResult<u32> {
    Ok(load(session.conn())?.idle_lock_minutes)
}

pub fn get(session: &Session) -> CoreResult<ClinicSettings> {
    session.require(Permission::ManageSettings)?;
    load(session.conn())
}

fn whole_number(
    e: &mut ValidationErrors,
    field: &str,
    what: &str,
    raw: &str,
    (lo, hi): (u32, u32),
) -> u32 {
    match raw.trim().parse::<u32>() {
        Ok(n) if (lo..=hi).contains(&n) => n,
        Ok(_) => {
            e.add(field, format!("{what} must be between {lo} and {hi}"));
            0
        }
        Err(_) if raw.trim().is_empty() => {
            e.add(field, format!("Enter {}", what.to_lowercase()));
            0
        }
        Err(_) => {
            e.add(field, format!("{what} must be a whole number, like {lo}"));
            0
        }
    }
}

/// Checks a backup folder: it must exist, be a folder, and not be inside the vault (a backup
/// beside the database is lost with the disk).
pub fn check_backup_folder(
    e: &mut ValidationErrors,
    field: &str,
    raw: &str,
    vault_dir: &Path,
) -> Option<PathBuf> {
    let raw = raw.trim();
    if raw.is_empty() {
        e.add(field, "Enter the folder to back up to");
        return None;
    }
    let p = PathBuf::from(raw);
    if !p.is_absolute() {
        e.add(field, "Enter the full path of the folder, starting with /");
        return None;
    }
    if !p.is_dir() {
        e.add(
            field,
            "This folder does not exist. Connect the drive or create the folder first",
        );
        return None;
    }
    let canon = p.canonicalize().unwrap_or(p.clone());
    let vault = vault_dir.canonicalize().unwrap_or(vault_dir.to_path_buf());
    if canon.starts_with(&vault) {
        e.add(
            field,
            "Choose a folder outside KetaChart's data folder, ideally on another drive",
        );
        return None;
    }
    Some(p)
}

pub fn update(session: &mut Session, input: &SettingsInput) -> CoreResult<ClinicSettings> {
    session.require(Permission::ManageSettings)?;
    let before = load(session.conn())?;
    let mut e = ValidationErrors::new();
    let idle = whole_number(
        &mut e,
        "idleLockMinutes",
        "Idle lock time",
        &input.idle_lock_minutes,
        IDLE_LOCK_MINUTES_RANGE,
    );
    let keep = whole_number(
        &mut e,
        "backupKeep",
        "Number of backups to keep",
        &input.backup_keep,
        BACKUP_KEEP_RANGE,
    );
    let folder = if input.backup_folder.trim().is_empty() && !input.backup_daily {
        None
    } else {
        check_backup_folder(
            &mut e,
            "backupFolder",
            &input.backup_folder,
            session.vault().path(),
        )
    };
    e.into_result()?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    tx.execute(
        "UPDATE clinic SET idle_lock_minutes = ?1, backup_folder = ?2, backup_schedule = ?3, \
         backup_keep = ?4 WHERE id = 1",
        params![
            idle,
            folder.as_ref().map(|p| p.display().to_string()),
            if input.backup_daily { "daily" } else { "off" },
            keep
        ],
    )?;
    let mut changed = Vec::new();
    if idle != before.idle_lock_minutes {
        changed.push(format!(
            "idle lock {} → {idle} min",
            before.idle_lock_minutes
        ));
    }
    if folder != before.backup_folder {
        changed.push("backup folder".into());
    }
    if input.backup_daily != before.backup_daily {
        changed.push(format!(
            "daily backups {}",
            if input.backup_daily { "on" } else { "off" }
        ));
    }
    if keep != before.backup_keep {
        changed.push(format!("keep {} → {keep} backups", before.backup_keep));
    }
    crate::audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::SettingsUpdate).detail(if changed.is_empty() {
            "no change".into()
        } else {
            changed.join("; ")
        }),
    )?;
    tx.commit()?;
    load(session.conn())
}
