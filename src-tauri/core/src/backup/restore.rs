//! Restoring a backup. The backup is checked completely before anything is touched; then the
//! session is closed and the files are swapped following a journal
//! (`ketachart-restore.json`), so a crash half-way is finished at the next start instead of
//! leaving a vault without a database. The live database and key file are kept beside the
//! vault as `*.before-restore-<time>` safety copies.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::archive;
use super::verify::{check_db, extract_and_check, remove_temp, temp_in, BackupContents};
use crate::access::Permission;
use crate::audit::{AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::session::{CloseReason, Session};
use crate::storage::connection::{open_keyed, OpenMode};
use crate::timestamp::now_utc;
use crate::user;
use crate::validation::ValidationErrors;
use crate::vault::envelope::WrapKind;
use crate::vault::pending_audit::{self, PendingEntry};
use crate::vault::{signin_throttle, VaultDir, VaultState};

pub const JOURNAL: &str = "ketachart-restore.json";

#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub contents: BackupContents,
    /// Where the database that was live before the restore was kept.
    pub safety_copy: Option<PathBuf>,
}

/// Renames to perform in order; each step is skipped when already done.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    steps: Vec<(PathBuf, PathBuf)>,
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// Performs the renames in order. A step whose target already exists was done before (the
/// journal is being finished after a crash) and is skipped: a rename never overwrites.
fn run_journal(dir: &Path, j: &Journal) -> CoreResult<()> {
    for (from, to) in &j.steps {
        if from.exists() && !to.exists() {
            std::fs::rename(from, to)?;
        }
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    std::fs::remove_file(dir.join(JOURNAL))?;
    Ok(())
}

/// Completes a restore that was interrupted after its journal was written. Called before the
/// vault is opened or locked for writing.
pub fn finish_interrupted(dir: &Path) -> CoreResult<bool> {
    let path = dir.join(JOURNAL);
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(false);
    };
    let j: Journal = serde_json::from_slice(&bytes).map_err(|_| CoreError::NotAVault {
        path: dir.to_path_buf(),
        reason: "an interrupted restore left a damaged journal (ketachart-restore.json)".into(),
    })?;
    run_journal(dir, &j)?;
    Ok(true)
}

/// Swaps the checked database and key file into place, keeping the live ones as safety copies.
fn swap_in(vault: &VaultDir, new_db: &Path, new_keys: &[u8]) -> CoreResult<Option<PathBuf>> {
    let (j, safety) = plan_swap(vault, new_db, new_keys)?;
    run_journal(vault.path(), &j)?;
    Ok(safety)
}

/// Writes the new key file beside the vault and the journal of renames; performs none.
fn plan_swap(
    vault: &VaultDir,
    new_db: &Path,
    new_keys: &[u8],
) -> CoreResult<(Journal, Option<PathBuf>)> {
    let dir = vault.path();
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let keys_tmp = dir.join(format!(".restoring-keys-{stamp}.json"));
    crate::export_file::write_atomically(&keys_tmp, new_keys)?;
    let live_db = vault.db_path();
    let live_keys = vault.keys_path();
    let safety_db = dir.join(format!("ketachart.db.before-restore-{stamp}"));
    let safety_keys = dir.join(format!("ketachart-keys.json.before-restore-{stamp}"));
    let had_live = live_db.exists();
    let mut steps = Vec::new();
    if had_live {
        steps.push((live_db.clone(), safety_db.clone()));
        steps.push((
            with_suffix(&live_db, "-wal"),
            with_suffix(&safety_db, "-wal"),
        ));
        steps.push((
            with_suffix(&live_db, "-shm"),
            with_suffix(&safety_db, "-shm"),
        ));
        steps.push((live_keys.clone(), safety_keys));
    }
    steps.push((new_db.to_path_buf(), live_db));
    steps.push((keys_tmp, live_keys));
    let j = Journal { steps };
    let json = serde_json::to_vec_pretty(&j).map_err(std::io::Error::other)?;
    crate::export_file::write_atomically(&dir.join(JOURNAL), &json)?;
    Ok((j, had_live.then_some(safety_db)))
}

/// Restores `path` over the unlocked vault in `slot`. The backup must come from this vault.
/// On success the session is closed (everyone signs in again, with the passwords the backup
/// knew); on any failure the session and the live files are untouched.
pub fn restore(slot: &mut Option<Session>, path: &Path) -> CoreResult<RestoreReport> {
    let session = slot
        .as_ref()
        .ok_or_else(|| CoreError::Conflict("Unlock the vault first".into()))?;
    session.require(Permission::Restore)?;
    let (checked, env, contents) = extract_and_check(session, path)?;
    let name = crate::audit::file_label(path);
    let detail = format!(
        "{name}, made {}: {} patients, {} users",
        contents.manifest.created_at, contents.patients, contents.users
    );
    let vault = session.vault().clone();
    // Everything that can fail is prepared before anything is recorded or closed.
    let prepared = serde_json::to_vec_pretty(&env)
        .map_err(|_| CoreError::Crypto("key file could not be serialised"))
        .and_then(|keys| plan_swap(&vault, &checked, &keys));
    let (journal, safety_copy) = match prepared {
        Ok(p) => p,
        Err(e) => {
            remove_temp(&checked);
            return Err(e);
        }
    };
    let abandon = |e: CoreError| {
        remove_temp(&checked);
        for (from, _) in &journal.steps {
            if from.starts_with(vault.path())
                && from
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(".restoring-keys-"))
            {
                let _ = std::fs::remove_file(from);
            }
        }
        let _ = std::fs::remove_file(vault.path().join(JOURNAL));
        e
    };
    // Recorded in the database being replaced (kept as the safety copy)…
    if let Err(e) = session.audit(NewEvent::new(AuditAction::Restore).detail(detail.clone())) {
        return Err(abandon(e));
    }
    let me = session.user().clone();
    if let Some(s) = slot.take() {
        s.close(CloseReason::Lock);
    }
    run_journal(vault.path(), &journal)?;
    // …and, at the next sign-in, in the restored one.
    if pending_audit::add(
        vault.path(),
        PendingEntry {
            at: now_utc(),
            user_id: None,
            username: me.username.clone(),
            action: AuditAction::Restore.as_str().into(),
            detail: Some(detail),
        },
    )
    .is_err()
    {
        tracing::warn!("the restore could not be queued for the restored audit log");
    }
    Ok(RestoreReport {
        contents,
        safety_copy,
    })
}

/// Restores onto a machine with no vault (the disk died): the backup is opened with a user
/// name and passphrase it knows, which must be an administrator's, checked, then installed.
/// Returns the signed-in session.
pub fn restore_into_empty_vault(
    vault: &VaultDir,
    path: &Path,
    username: &str,
    passphrase: &str,
) -> CoreResult<(Session, BackupContents)> {
    let mut e = ValidationErrors::new();
    let username = user::normalize_username(&mut e, "username", username);
    if passphrase.is_empty() {
        e.add("passphrase", "Enter the passphrase");
    }
    e.into_result()?;
    if vault.inspect()? != VaultState::Empty {
        return Err(CoreError::VaultExists(vault.path().to_path_buf()));
    }
    std::fs::create_dir_all(vault.path())?;
    signin_throttle::check(vault.path(), &username, chrono::Utc::now())?;
    let tmp = temp_in(vault.path(), "restoring");
    let result = (|| -> CoreResult<(crate::vault::envelope::KeyEnvelope, BackupContents)> {
        let (manifest, env) = archive::extract(path, &tmp)?;
        let dek = match env.unwrap(WrapKind::User, &username, passphrase.as_bytes()) {
            Ok(k) => k,
            Err(CoreError::WrongCredentials) => {
                signin_throttle::record_failure(vault.path(), &username, chrono::Utc::now());
                return Err(CoreError::WrongCredentials);
            }
            Err(e) => return Err(e),
        };
        let conn = open_keyed(&tmp, &dek, OpenMode::Existing).map_err(|_| {
            CoreError::BackupRefused("its database does not open with its own key file".into())
        })?;
        drop(dek);
        let contents = check_db(&conn, "main", &manifest)?;
        let admin = user::find_enabled(&conn, &username)?
            .is_some_and(|u| u.roles.contains(&user::Role::Admin));
        if !admin {
            return Err(CoreError::Validation(ValidationErrors::single(
                "username",
                "Restoring needs the user name and passphrase of an administrator in the backup",
            )));
        }
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        drop(conn);
        Ok((env, contents))
    })();
    let (env, contents) = match result {
        Ok(v) => v,
        Err(e) => {
            remove_temp(&tmp);
            return Err(e);
        }
    };
    let keys = serde_json::to_vec_pretty(&env).map_err(std::io::Error::other)?;
    pending_audit::add(
        vault.path(),
        PendingEntry {
            at: now_utc(),
            user_id: None,
            username: username.clone(),
            action: AuditAction::Restore.as_str().into(),
            detail: Some(format!(
                "{} onto a new machine, made {}",
                crate::audit::file_label(path),
                contents.manifest.created_at
            )),
        },
    )?;
    swap_in(vault, &tmp, &keys)?;
    let session = vault.unlock(&username, passphrase)?;
    Ok((session, contents))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::{archive, manifest};
    use crate::clinic::ClinicSetup;
    use crate::patient::{self, PatientInput};
    use crate::storage::migrations::SCHEMA_VERSION;
    use crate::vault::KdfParams;

    const PASS: &str = "copper kettle moonlit harbour";

    fn vault(dir: &Path) -> Session {
        let setup = ClinicSetup {
            clinic_name: "Clinic".into(),
            admin_display_name: "Admin".into(),
            admin_username: "admin".into(),
            passphrase: PASS.into(),
            passphrase_confirmation: PASS.into(),
        };
        VaultDir::new(dir)
            .create(&setup, KdfParams::FAST_FOR_TESTS)
            .unwrap()
            .session
    }

    fn person(family: &str) -> PatientInput {
        PatientInput {
            given_name: "Test".into(),
            family_name: family.into(),
            birth_date: crate::date_input::DateParts::from_date(
                chrono::NaiveDate::from_ymd_opt(1990, 1, 2).unwrap(),
            ),
            ..Default::default()
        }
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    /// A backup archive of the session's vault whose database claims `user_version`.
    fn archive_with_version(s: &Session, out: &Path, user_version: i64) {
        let copy = s.vault().path().join(".copy.db");
        s.conn()
            .execute("VACUUM INTO ?1", [copy.to_str().unwrap()])
            .unwrap();
        s.conn()
            .execute("ATTACH ?1 AS bk", [copy.to_str().unwrap()])
            .unwrap();
        s.conn()
            .execute_batch(&format!(
                "PRAGMA bk.user_version = {user_version}; DETACH bk;"
            ))
            .unwrap();
        let (sha, bytes) = archive::sha256_file(&copy).unwrap();
        let vault_id: String = s
            .conn()
            .query_row("SELECT vault_id FROM vault_meta", [], |r| r.get(0))
            .unwrap();
        let m = manifest::Manifest {
            format: manifest::FORMAT.into(),
            version: manifest::VERSION,
            vault_id,
            label: "Clinic".into(),
            created_at: now_utc(),
            schema_version: user_version,
            app_version: "9.9.9".into(),
            db_sha256: sha,
            db_bytes: bytes,
            keys_sha256: None,
        };
        let keys = std::fs::read(s.vault().keys_path()).unwrap();
        archive::write(out, &m, &keys, &copy).unwrap();
        std::fs::remove_file(copy).unwrap();
    }

    #[test]
    fn a_backup_from_a_newer_schema_is_refused_and_nothing_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = vault(tmp.path());
        patient::create(&mut s, &person("Kept"), today()).unwrap();
        let file = tmp.path().join("newer.kcbackup");
        archive_with_version(&s, &file, SCHEMA_VERSION + 1);
        let mut slot = Some(s);
        let err = restore(&mut slot, &file).unwrap_err();
        assert!(
            matches!(&err, CoreError::BackupRefused(r) if r.contains("newer version")),
            "{err:?}"
        );
        let s = slot.unwrap();
        assert_eq!(patient::count(&s).unwrap(), 1);
        assert!(!tmp.path().join(JOURNAL).exists());
    }

    /// Dies after each step in turn (and after all of them, before the journal is removed):
    /// the next start always ends with the backup live and the old database kept.
    #[test]
    fn a_restore_interrupted_after_any_step_is_finished_without_losing_anything() {
        for done in 0..=6 {
            let tmp = tempfile::tempdir().unwrap();
            let mut s = vault(tmp.path());
            patient::create(&mut s, &person("InBackup"), today()).unwrap();
            let file = tmp.path().join("b.kcbackup");
            archive_with_version(&s, &file, SCHEMA_VERSION);
            patient::create(&mut s, &person("AfterBackup"), today()).unwrap();
            let vault = s.vault().clone();
            s.conn()
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
                .unwrap();
            let extracted = tmp.path().join(".restoring-test.db");
            let (_, env) = archive::extract(&file, &extracted).unwrap();
            drop(s);
            let keys = serde_json::to_vec(&env).unwrap();
            let (j, safety) = plan_swap(&vault, &extracted, &keys).unwrap();
            for (from, to) in j.steps.iter().take(done) {
                if from.exists() {
                    std::fs::rename(from, to).unwrap();
                }
            }
            let lock = vault.lock_exclusive().unwrap();
            assert!(!tmp.path().join(JOURNAL).exists(), "after {done} steps");
            let s = vault.unlock("admin", PASS).unwrap();
            assert_eq!(
                patient::count(&s).unwrap(),
                1,
                "after {done} steps: backup live"
            );
            drop(s);
            drop(lock);
            // The safety copy is the pre-restore database, with both patients.
            let safety = safety.unwrap();
            std::fs::rename(vault.db_path(), tmp.path().join("restored.db")).unwrap();
            std::fs::rename(&safety, vault.db_path()).unwrap();
            let s = vault.unlock("admin", PASS).unwrap();
            assert_eq!(
                patient::count(&s).unwrap(),
                2,
                "after {done} steps: safety copy intact"
            );
        }
    }

    #[test]
    fn an_interrupted_restore_is_finished_at_the_next_start() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = vault(tmp.path());
        patient::create(&mut s, &person("InBackup"), today()).unwrap();
        let file = tmp.path().join("b.kcbackup");
        archive_with_version(&s, &file, SCHEMA_VERSION);
        patient::create(&mut s, &person("AfterBackup"), today()).unwrap();
        let vault = s.vault().clone();
        let extracted = tmp.path().join(".restoring-test.db");
        let (_, env) = archive::extract(&file, &extracted).unwrap();
        drop(s);
        let keys = serde_json::to_vec(&env).unwrap();
        let (j, _) = plan_swap(&vault, &extracted, &keys).unwrap();
        // The process dies after the first rename: no live database any more.
        std::fs::rename(&j.steps[0].0, &j.steps[0].1).unwrap();
        assert!(!vault.db_path().exists());
        let lock = vault.lock_exclusive().unwrap();
        assert!(!tmp.path().join(JOURNAL).exists());
        let s = vault.unlock("admin", PASS).unwrap();
        assert_eq!(
            patient::count(&s).unwrap(),
            1,
            "the backup's content is live"
        );
        drop(lock);
    }
}
