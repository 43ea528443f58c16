//! Checking a backup before trusting it: manifest, checksum, that SQLCipher opens it with this
//! vault's key, `integrity_check`, schema version, and what it contains.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::archive;
use super::manifest::Manifest;
use crate::access::Permission;
use crate::audit::{AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::session::Session;
use crate::storage::migrations::SCHEMA_VERSION;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupContents {
    pub manifest: Manifest,
    pub patients: i64,
    pub users: i64,
    pub audit_entries: i64,
}

#[derive(Debug, Clone)]
pub struct BackupListing {
    pub path: PathBuf,
    pub bytes: u64,
    pub manifest: Option<Manifest>,
    /// Why it cannot be used, when it cannot.
    pub problem: Option<String>,
    /// Made from this vault (the only backups a restore inside the app accepts).
    pub this_vault: bool,
}

fn refused(reason: impl Into<String>) -> CoreError {
    CoreError::BackupRefused(reason.into())
}

/// A temporary file name inside the vault folder (same disk as the database, so a restore can
/// rename it into place; its contents are encrypted like the database).
pub(crate) fn temp_in(dir: &Path, what: &str) -> PathBuf {
    dir.join(format!(".{what}-{:016x}.db", fastrand::u64(..)))
}

pub(crate) fn remove_temp(db: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut s = db.as_os_str().to_os_string();
        s.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(s));
    }
}

/// Checks the database attached (or opened) as `schema` and counts what it holds.
pub(crate) fn check_db(
    conn: &Connection,
    schema: &str,
    manifest: &Manifest,
) -> CoreResult<BackupContents> {
    let wrong_key =
        |_| refused("it was made with a different key (is it another clinic's backup?)");
    conn.query_row(
        &format!("SELECT count(*) FROM {schema}.sqlite_master"),
        [],
        |r| r.get::<_, i64>(0),
    )
    .map_err(wrong_key)?;
    let integrity: String = conn
        .query_row(&format!("PRAGMA {schema}.integrity_check(1)"), [], |r| {
            r.get(0)
        })
        .map_err(|_| refused("its database is damaged"))?;
    if integrity != "ok" {
        return Err(refused("its database is damaged (integrity check failed)"));
    }
    let version: i64 =
        conn.query_row(&format!("PRAGMA {schema}.user_version"), [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(refused(format!(
            "it was made by a newer version of KetaChart (schema {version}); update KetaChart to restore it"
        )));
    }
    if version != manifest.schema_version {
        return Err(refused("its database does not match its manifest"));
    }
    let vault_id: String = conn
        .query_row(
            &format!("SELECT vault_id FROM {schema}.vault_meta WHERE id = 1"),
            [],
            |r| r.get(0),
        )
        .map_err(|_| refused("its database has no vault identity"))?;
    if vault_id != manifest.vault_id {
        return Err(refused(
            "its database belongs to a different vault than its manifest",
        ));
    }
    let count = |table: &str| -> CoreResult<i64> {
        Ok(
            conn.query_row(&format!("SELECT count(*) FROM {schema}.{table}"), [], |r| {
                r.get(0)
            })?,
        )
    };
    let audit_entries = if version >= 2 {
        count("audit_event")?
    } else {
        0
    };
    Ok(BackupContents {
        manifest: manifest.clone(),
        patients: count("patient")?,
        users: count("app_user")?,
        audit_entries,
    })
}

/// Extracts the archive into the vault folder and checks it with the session's key. On
/// success returns the extracted (encrypted) database path, which the caller removes or
/// restores; on failure nothing is left behind.
pub(crate) fn extract_and_check(
    session: &Session,
    path: &Path,
) -> CoreResult<(PathBuf, crate::vault::envelope::KeyEnvelope, BackupContents)> {
    let manifest = archive::read_manifest(path)?;
    let our_id: String =
        session
            .conn()
            .query_row("SELECT vault_id FROM vault_meta WHERE id = 1", [], |r| {
                r.get(0)
            })?;
    if manifest.vault_id != our_id {
        return Err(refused(format!(
            "it belongs to another vault (\"{}\")",
            manifest.label
        )));
    }
    let tmp = temp_in(session.vault().path(), "checking");
    let result = (|| {
        let (manifest, env) = archive::extract(path, &tmp)?;
        let tmp_str = tmp
            .to_str()
            .ok_or_else(|| refused("the data folder path is not valid text"))?;
        session
            .conn()
            .execute("ATTACH DATABASE ?1 AS bk", [tmp_str])?;
        let checked = check_db(session.conn(), "bk", &manifest);
        let _ = session.conn().execute_batch("DETACH DATABASE bk");
        Ok((env, checked?))
    })();
    match result {
        Ok((env, contents)) => Ok((tmp, env, contents)),
        Err(e) => {
            remove_temp(&tmp);
            Err(e)
        }
    }
}

/// Checks a backup file without restoring it.
pub fn verify_file(session: &Session, path: &Path) -> CoreResult<BackupContents> {
    session.require(Permission::ManageBackups)?;
    let name = crate::audit::file_label(path);
    match extract_and_check(session, path) {
        Ok((tmp, _, contents)) => {
            remove_temp(&tmp);
            session.audit(
                NewEvent::new(AuditAction::BackupVerify)
                    .detail(format!("{name}: intact, {} patients", contents.patients)),
            )?;
            Ok(contents)
        }
        Err(e) => {
            session
                .audit(NewEvent::new(AuditAction::BackupVerify).detail(format!("{name}: {e}")))?;
            Err(e)
        }
    }
}

/// The backup files in a folder, newest first, with what can be told without a key.
pub fn list(session: &Session, folder: &Path) -> CoreResult<Vec<BackupListing>> {
    session.require(Permission::ManageBackups)?;
    let our_id: String =
        session
            .conn()
            .query_row("SELECT vault_id FROM vault_meta WHERE id = 1", [], |r| {
                r.get(0)
            })?;
    Ok(scan(folder, Some(&our_id)))
}

pub(crate) fn scan(folder: &Path, our_id: Option<&str>) -> Vec<BackupListing> {
    let Ok(rd) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut out: Vec<BackupListing> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(super::EXTENSION))
        .map(|path| {
            let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            match archive::read_manifest(&path) {
                Ok(m) => BackupListing {
                    this_vault: our_id == Some(m.vault_id.as_str()),
                    path,
                    bytes,
                    manifest: Some(m),
                    problem: None,
                },
                Err(e) => BackupListing {
                    path,
                    bytes,
                    manifest: None,
                    problem: Some(e.to_string()),
                    this_vault: false,
                },
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let ka = a
            .manifest
            .as_ref()
            .map(|m| m.created_at.clone())
            .unwrap_or_default();
        let kb = b
            .manifest
            .as_ref()
            .map(|m| m.created_at.clone())
            .unwrap_or_default();
        kb.cmp(&ka).then_with(|| b.path.cmp(&a.path))
    });
    out
}
