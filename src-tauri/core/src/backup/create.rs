//! Making a backup: `VACUUM INTO` a temporary encrypted copy in the vault folder, package it
//! with the key file into the chosen folder (written as `.partial`, renamed when complete),
//! read it back and check it, then apply the retention count.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rusqlite::params;

use super::archive;
use super::manifest::{self, Manifest};
use super::verify::{extract_and_check, remove_temp, scan, temp_in, BackupContents};
use crate::access::Permission;
use crate::audit::{Actor, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::session::Session;
use crate::settings;
use crate::storage::migrations;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Copying,
    Writing,
    Verifying,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackupProgress {
    pub phase: Phase,
    /// 0.0 – 1.0 over the whole backup.
    pub fraction: f32,
}

#[derive(Debug, Clone)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub contents: BackupContents,
    /// Older backups of this vault removed by the retention count.
    pub removed: Vec<PathBuf>,
}

/// A backup the user asked for, into `folder`.
pub fn create(
    session: &mut Session,
    folder: &str,
    progress: &(dyn Fn(BackupProgress) + Sync),
) -> CoreResult<BackupReport> {
    session.require(Permission::ManageBackups)?;
    let mut e = ValidationErrors::new();
    let folder = settings::check_backup_folder(&mut e, "folder", folder, session.vault().path());
    e.into_result()?;
    let folder = folder.ok_or(CoreError::NotFound { what: "The folder" })?;
    let s = settings::load(session.conn())?;
    let keep = (s.backup_folder.as_deref() == Some(folder.as_path())).then_some(s.backup_keep);
    let actor = session.actor();
    run(session, &folder, &actor, keep, progress)
}

/// The daily backup, when one is due: the clinic's policy, not a user's action, so it runs
/// whoever is signed in and is attributed to `system`. `None` when none is due.
pub fn create_scheduled(
    session: &mut Session,
    now: chrono::DateTime<chrono::Utc>,
    progress: &(dyn Fn(BackupProgress) + Sync),
) -> CoreResult<Option<BackupReport>> {
    let s = settings::load(session.conn())?;
    let Some(folder) = s.backup_folder.filter(|_| s.backup_daily) else {
        return Ok(None);
    };
    let due = match s
        .last_backup_at
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
    {
        Some(last) => now.signed_duration_since(last) >= chrono::Duration::hours(24),
        None => true,
    };
    if !due {
        return Ok(None);
    }
    if !folder.is_dir() {
        let _ = session.audit_as(
            &Actor::system(),
            NewEvent::new(AuditAction::BackupFailed)
                .detail("scheduled backup: the folder is not available"),
        );
        return Err(CoreError::Validation(ValidationErrors::single(
            "backupFolder",
            "The backup folder is not available. Connect the drive or choose another folder",
        )));
    }
    run(
        session,
        &folder,
        &Actor::system(),
        Some(s.backup_keep),
        progress,
    )
    .map(Some)
}

fn file_name_for(folder: &Path) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let mut p = folder.join(format!("KetaChart-{stamp}.{}", super::EXTENSION));
    let mut n = 2;
    while p.exists() {
        p = folder.join(format!("KetaChart-{stamp}-{n}.{}", super::EXTENSION));
        n += 1;
    }
    p
}

fn run(
    session: &mut Session,
    folder: &Path,
    actor: &Actor,
    keep: Option<u32>,
    progress: &(dyn Fn(BackupProgress) + Sync),
) -> CoreResult<BackupReport> {
    let result = run_inner(session, folder, keep, progress);
    match &result {
        Ok(r) => {
            let name = r
                .path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tx = session.conn_mut().transaction()?;
            tx.execute(
                "UPDATE clinic SET last_backup_at = ?1 WHERE id = 1",
                params![r.contents.manifest.created_at],
            )?;
            crate::audit::append(
                &tx,
                actor,
                &NewEvent::new(AuditAction::BackupCreate).detail(format!(
                    "{name}: {} patients, {} users, {} audit entries{}",
                    r.contents.patients,
                    r.contents.users,
                    r.contents.audit_entries,
                    if r.removed.is_empty() {
                        String::new()
                    } else {
                        format!("; {} older backups removed", r.removed.len())
                    }
                )),
            )?;
            tx.commit()?;
        }
        Err(e) => {
            let _ = session.audit_as(
                actor,
                NewEvent::new(AuditAction::BackupFailed).detail(e.to_string()),
            );
        }
    }
    result
}

fn run_inner(
    session: &Session,
    folder: &Path,
    keep: Option<u32>,
    progress: &(dyn Fn(BackupProgress) + Sync),
) -> CoreResult<BackupReport> {
    let conn = session.conn();
    let dir = session.vault().path().to_path_buf();
    let (vault_id, label): (String, String) = conn.query_row(
        "SELECT m.vault_id, c.name FROM vault_meta m, clinic c WHERE m.id = 1 AND c.id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // The copy ends up about as large as the database file (WAL folded in, free pages dropped).
    let expected = std::fs::metadata(session.vault().db_path())
        .map(|m| m.len())
        .unwrap_or(1)
        .max(1) as f32;
    let created_at = now_utc();

    let copy = temp_in(&dir, "backup");
    let copy_str = copy
        .to_str()
        .ok_or_else(|| CoreError::BackupRefused("the data folder path is not valid text".into()))?
        .to_string();
    progress(BackupProgress {
        phase: Phase::Copying,
        fraction: 0.0,
    });
    // VACUUM INTO gives no progress of its own: watch the copy grow (0 – 60 %).
    let done = AtomicBool::new(false);
    let vacuum = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                let len = std::fs::metadata(&copy).map(|m| m.len()).unwrap_or(0) as f32;
                progress(BackupProgress {
                    phase: Phase::Copying,
                    fraction: 0.6 * (len / expected).min(1.0),
                });
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let r = conn.execute("VACUUM INTO ?1", [&copy_str]);
        done.store(true, Ordering::Relaxed);
        r
    });
    let result = (|| -> CoreResult<BackupReport> {
        vacuum?;
        let (sha, bytes) = archive::sha256_file(&copy)?;
        let manifest = Manifest {
            format: manifest::FORMAT.into(),
            version: manifest::VERSION,
            vault_id,
            label,
            created_at,
            schema_version: migrations::schema_version(conn)?,
            app_version: env!("CARGO_PKG_VERSION").into(),
            db_sha256: sha,
            db_bytes: bytes,
            keys_sha256: None,
        };
        progress(BackupProgress {
            phase: Phase::Writing,
            fraction: 0.65,
        });
        let keys = std::fs::read(session.vault().keys_path())?;
        let out = file_name_for(folder);
        let partial = out.with_extension(format!("{}.partial", super::EXTENSION));
        if let Err(e) = archive::write(&partial, &manifest, &keys, &copy) {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        progress(BackupProgress {
            phase: Phase::Verifying,
            fraction: 0.8,
        });
        // Read back what is on the target drive, not what we meant to write.
        let (checked, _, contents) = match extract_and_check(session, &partial) {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        remove_temp(&checked);
        std::fs::rename(&partial, &out)?;
        if let Ok(d) = std::fs::File::open(folder) {
            let _ = d.sync_all();
        }
        let removed = match keep {
            Some(k) => prune(folder, &contents.manifest.vault_id, k as usize),
            None => Vec::new(),
        };
        let bytes = std::fs::metadata(&out)?.len();
        progress(BackupProgress {
            phase: Phase::Done,
            fraction: 1.0,
        });
        Ok(BackupReport {
            path: out,
            bytes,
            contents,
            removed,
        })
    })();
    remove_temp(&copy);
    result
}

/// Keeps the newest `keep` backups of this vault in `folder`; never touches other files.
fn prune(folder: &Path, vault_id: &str, keep: usize) -> Vec<PathBuf> {
    let ours: Vec<_> = scan(folder, Some(vault_id))
        .into_iter()
        .filter(|l| l.this_vault)
        .collect();
    let mut removed = Vec::new();
    for old in ours.into_iter().skip(keep) {
        if std::fs::remove_file(&old.path).is_ok() {
            removed.push(old.path);
        }
    }
    removed
}
