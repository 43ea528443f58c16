//! A vault is a folder: the SQLCipher database, the key-envelope file beside it, and an
//! instance lock. This module creates vaults, inspects what is in a folder, and unlocks.
//!
//! Nothing here overwrites a file it did not create: a folder holding something that is not
//! a KetaChart vault is reported as `NotAVault` and left alone.

pub mod envelope;
pub mod instance_lock;
pub mod kdf;
pub mod key;
pub mod pending_audit;
pub mod recovery;
pub mod signin_throttle;

use std::path::{Path, PathBuf};

use rusqlite::params;

use crate::audit::{self, Actor, AuditAction, NewEvent};
use crate::clinic::{self, ClinicSetup};
use crate::error::{CoreError, CoreResult};
use crate::session::Session;
use crate::storage::connection::{open_keyed, OpenMode};
use crate::storage::migrations;
use crate::timestamp::now_utc;
use crate::user::{self, Role};
use crate::validation::ValidationErrors;
use envelope::{KeyEnvelope, WrapKind};
pub use instance_lock::InstanceLock;
pub use kdf::KdfParams;
use key::DatabaseKey;
pub use recovery::RecoveryKey;

/// A vault just created: unlocked as its first admin, with the recovery key to print.
#[derive(Debug)]
pub struct CreatedVault {
    pub session: Session,
    pub recovery_key: RecoveryKey,
}

pub const DB_FILE: &str = "ketachart.db";
pub const KEYS_FILE: &str = "ketachart-keys.json";
pub const LOCK_FILE: &str = ".ketachart.lock";

/// What a folder holds, as far as can be told without a passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultState {
    /// No vault yet: first launch.
    Empty,
    /// A vault, locked. `label` is the clinic name from the key file.
    Present { label: String, demo: bool },
}

#[derive(Debug, Clone)]
pub struct VaultDir {
    dir: PathBuf,
}

impl VaultDir {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    pub fn keys_path(&self) -> PathBuf {
        self.dir.join(KEYS_FILE)
    }

    fn not_vault(&self, reason: &str) -> CoreError {
        CoreError::NotAVault {
            path: self.dir.clone(),
            reason: reason.into(),
        }
    }

    /// Creates the folder if needed and takes the one-instance lock. Reports a read-only
    /// folder, a file where the folder should be, and a second running instance.
    pub fn lock_exclusive(&self) -> CoreResult<InstanceLock> {
        if self.dir.exists() && !self.dir.is_dir() {
            return Err(self.not_vault("it is a file, not a folder"));
        }
        if let Err(e) = std::fs::create_dir_all(&self.dir) {
            return Err(match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    CoreError::ReadOnly(self.dir.clone())
                }
                _ => CoreError::Io(e),
            });
        }
        // Root ignores permission bits, so honour a folder explicitly marked read-only.
        if std::fs::metadata(&self.dir)?.permissions().readonly() {
            return Err(CoreError::ReadOnly(self.dir.clone()));
        }
        let lock = InstanceLock::acquire(&self.dir, &self.dir.join(LOCK_FILE))?;
        crate::backup::restore::finish_interrupted(&self.dir)?;
        Ok(lock)
    }

    /// Looks at the folder without a passphrase.
    pub fn inspect(&self) -> CoreResult<VaultState> {
        if !self.dir.exists() {
            return Ok(VaultState::Empty);
        }
        if !self.dir.is_dir() {
            return Err(self.not_vault("it is a file, not a folder"));
        }
        let keys = self.keys_path();
        let db = self.db_path();
        match (keys.exists(), db.exists()) {
            (false, false) => Ok(VaultState::Empty),
            (false, true) => Err(self.not_vault(
                "it holds a database file but no KetaChart key file (was the key file moved or deleted?)",
            )),
            (true, false) => Err(self.not_vault(
                "it holds a key file but no database file (was the database moved or deleted?)",
            )),
            (true, true) => {
                let env = KeyEnvelope::load(&keys)?;
                Ok(VaultState::Present {
                    label: env.label,
                    demo: env.demo,
                })
            }
        }
    }

    /// Creates a new vault for a clinic and returns it unlocked as the admin user, with the
    /// recovery key to show once. The caller holds the instance lock. Refuses if anything is
    /// already there.
    pub fn create(&self, setup: &ClinicSetup, kdf: KdfParams) -> CoreResult<CreatedVault> {
        self.create_inner(setup, kdf, false)
    }

    /// Creates the demo clinic (its published passphrase skips the strength policy).
    pub(crate) fn create_demo(
        &self,
        setup: &ClinicSetup,
        kdf: KdfParams,
    ) -> CoreResult<CreatedVault> {
        self.create_inner(setup, kdf, true)
    }

    fn create_inner(
        &self,
        setup: &ClinicSetup,
        kdf: KdfParams,
        demo: bool,
    ) -> CoreResult<CreatedVault> {
        let valid = setup.validate(!demo)?;
        match self.inspect()? {
            VaultState::Empty => {}
            VaultState::Present { .. } => return Err(CoreError::VaultExists(self.dir.clone())),
        }
        std::fs::create_dir_all(&self.dir)?;

        let dek = DatabaseKey::generate()?;
        let mut env = KeyEnvelope::new(&valid.clinic_name, demo, kdf)?;
        env.wrap(
            WrapKind::User,
            &valid.admin_username,
            setup.passphrase.as_bytes(),
            &dek,
            kdf,
        )?;
        let recovery_key = RecoveryKey::generate()?;
        env.wrap(
            WrapKind::Recovery,
            recovery::WRAP_ID,
            recovery_key.secret(),
            &dek,
            kdf,
        )?;

        // Build the database under a temporary name; only a complete vault gets the real names.
        let tmp_db = self.dir.join(format!("{DB_FILE}.creating"));
        remove_if_exists(&tmp_db)?;
        let result = (|| -> CoreResult<()> {
            let mut conn = open_keyed(&tmp_db, &dek, OpenMode::Create)?;
            migrations::migrate(&mut conn)?;
            let now = now_utc();
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO vault_meta (id, vault_id, created_at) VALUES (1, ?1, ?2)",
                params![env.vault_id, now],
            )?;
            clinic::insert(&tx, &valid.clinic_name, &now)?;
            let admin = user::insert(
                &tx,
                &valid.admin_username,
                &valid.admin_display_name,
                &[Role::Admin],
                &now,
            )?;
            audit::append(
                &tx,
                &Actor {
                    user_id: Some(admin.id),
                    username: admin.username.clone(),
                },
                &NewEvent::new(AuditAction::UserCreate)
                    .record("user", admin.username.clone())
                    .detail("clinic set up; roles: admin"),
            )?;
            tx.commit()?;
            // Fold the WAL back so the renamed file is self-contained.
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = remove_db_files(&tmp_db);
            return Err(e);
        }
        let _ = std::fs::remove_file(wal_sidecar(&tmp_db, "-wal"));
        let _ = std::fs::remove_file(wal_sidecar(&tmp_db, "-shm"));
        std::fs::rename(&tmp_db, self.db_path())?;
        env.save(&self.keys_path())?;
        drop(dek);
        let session = self.unlock(&valid.admin_username, &setup.passphrase)?;
        Ok(CreatedVault {
            session,
            recovery_key,
        })
    }

    /// Unlocks with a user name and passphrase. Wrong credentials change nothing on disk.
    pub fn unlock(&self, username: &str, passphrase: &str) -> CoreResult<Session> {
        let mut errors = ValidationErrors::new();
        crate::backup::restore::finish_interrupted(&self.dir)?;
        let username = user::normalize_username(&mut errors, "username", username);
        if passphrase.is_empty() {
            errors.add("passphrase", "Enter your passphrase");
        }
        if username.is_empty() {
            errors.into_result()?;
        } else if !errors.is_empty() {
            // A malformed user name cannot exist in the vault: same answer as a wrong one.
            if errors.has("passphrase") {
                errors.into_result()?;
            }
            signin_throttle::check(&self.dir, "(invalid user name)", chrono::Utc::now())?;
            signin_throttle::record_failure(&self.dir, "(invalid user name)", chrono::Utc::now());
            return Err(CoreError::WrongCredentials);
        }
        signin_throttle::check(&self.dir, &username, chrono::Utc::now())?;
        let env = self.load_envelope()?;
        let dek = match env.unwrap(WrapKind::User, &username, passphrase.as_bytes()) {
            Ok(k) => k,
            Err(CoreError::WrongCredentials) => {
                signin_throttle::record_failure(&self.dir, &username, chrono::Utc::now());
                return Err(CoreError::WrongCredentials);
            }
            Err(e) => return Err(e),
        };
        let conn = self.open_checked(&env, &dek)?;
        drop(dek);
        let Some(user) = user::find_enabled(&conn, &username)? else {
            signin_throttle::record_failure(&self.dir, &username, chrono::Utc::now());
            return Err(CoreError::WrongCredentials);
        };
        self.start_session(conn, user, &env, AuditAction::Login)
    }

    /// Opens with the printed recovery key when every password is forgotten: sets a new
    /// passphrase for an administrator and signs them in.
    pub fn unlock_with_recovery_key(
        &self,
        recovery_key: &str,
        admin_username: &str,
        new_passphrase: &str,
        confirmation: &str,
    ) -> CoreResult<Session> {
        let mut errors = ValidationErrors::new();
        let key = match RecoveryKey::parse("recoveryKey", recovery_key) {
            Ok(k) => Some(k),
            Err(e) => {
                errors.0.extend(e.0);
                None
            }
        };
        let username = user::normalize_username(&mut errors, "username", admin_username);
        crate::passphrase::check_new(
            &mut errors,
            "passphrase",
            "passphraseConfirmation",
            new_passphrase,
            confirmation,
            &[&username],
        );
        errors.into_result()?;
        let key = key.ok_or(CoreError::WrongCredentials)?;
        signin_throttle::check(&self.dir, "(recovery key)", chrono::Utc::now())?;
        let mut env = self.load_envelope()?;
        let dek = match env.unwrap(WrapKind::Recovery, recovery::WRAP_ID, key.secret()) {
            Ok(k) => k,
            Err(CoreError::WrongCredentials) => {
                signin_throttle::record_failure(&self.dir, "(recovery key)", chrono::Utc::now());
                return Err(CoreError::Validation(ValidationErrors::single(
                    "recoveryKey",
                    "This recovery key does not open this vault. Check it against the printout",
                )));
            }
            Err(e) => return Err(e),
        };
        let conn = self.open_checked(&env, &dek)?;
        let user = user::find_enabled(&conn, &username)?
            .filter(|u| u.roles.contains(&Role::Admin))
            .ok_or_else(|| {
                CoreError::Validation(ValidationErrors::single(
                    "username",
                    "Enter the user name of an administrator whose account is enabled",
                ))
            })?;
        let kdf = env.kdf;
        env.wrap(
            WrapKind::User,
            &user.username,
            new_passphrase.as_bytes(),
            &dek,
            kdf,
        )?;
        drop(dek);
        // The new passphrase takes effect only once the sign-in is recorded.
        let staged = env.stage(&self.keys_path())?;
        let session = self.start_session(conn, user, &env, AuditAction::LoginWithRecoveryKey)?;
        session.audit(
            NewEvent::new(AuditAction::UserPasswordReset)
                .record("user", session.user().username.clone())
                .detail("with the recovery key"),
        )?;
        staged.install()?;
        Ok(session)
    }

    pub(crate) fn load_envelope(&self) -> CoreResult<KeyEnvelope> {
        match self.inspect()? {
            VaultState::Empty => Err(CoreError::NoVault(self.dir.clone())),
            VaultState::Present { .. } => KeyEnvelope::load(&self.keys_path()),
        }
    }

    /// Opens the database with the key, checks it belongs to this key file, migrates.
    fn open_checked(
        &self,
        env: &KeyEnvelope,
        dek: &DatabaseKey,
    ) -> CoreResult<rusqlite::Connection> {
        let mut conn = open_keyed(&self.db_path(), dek, OpenMode::Existing)?;
        let found: String = conn
            .query_row("SELECT vault_id FROM vault_meta WHERE id = 1", [], |r| {
                r.get(0)
            })
            .map_err(|_| self.not_vault("its database has no vault identity"))?;
        if found != env.vault_id {
            return Err(self.not_vault("its key file belongs to a different vault"));
        }
        migrations::migrate(&mut conn)?;
        Ok(conn)
    }

    /// Records the sign-in (and the failed ones before it) and hands out the session.
    fn start_session(
        &self,
        conn: rusqlite::Connection,
        user: user::User,
        env: &KeyEnvelope,
        how: AuditAction,
    ) -> CoreResult<Session> {
        let clinic_name = clinic::name(&conn)?;
        let mut session = Session::new(conn, self.clone(), user, clinic_name, env.demo);
        let (failures, dropped) = signin_throttle::pending(&self.dir);
        {
            let tx = session.conn_mut().transaction()?;
            // Only a restore is ever queued; anything else in the (unprotected) file is ignored,
            // and what is taken is marked as recorded late, from outside the database.
            for p in pending_audit::load(&self.dir) {
                if AuditAction::parse(&p.action) != Some(AuditAction::Restore) {
                    continue;
                }
                let mut ev = NewEvent::new(AuditAction::Restore).at(p.at.clone());
                ev.detail = Some(format!(
                    "{} (recorded at the next sign-in)",
                    p.detail.clone().unwrap_or_default()
                ));
                audit::append(
                    &tx,
                    &Actor {
                        user_id: p.user_id,
                        username: p.username.clone(),
                    },
                    &ev,
                )?;
            }
            if dropped > 0 {
                audit::append(
                    &tx,
                    &Actor::system(),
                    &NewEvent::new(AuditAction::LoginFailed)
                        .detail(format!("{dropped} more failed sign-ins, not listed")),
                )?;
            }
            for f in &failures {
                audit::append(
                    &tx,
                    &Actor {
                        user_id: None,
                        username: f.username.clone(),
                    },
                    &NewEvent::new(AuditAction::LoginFailed).at(f.at.clone()),
                )?;
            }
            tx.commit()?;
        }
        session.audit(NewEvent::new(how))?;
        signin_throttle::signed_in(&self.dir, &session.user().username);
        pending_audit::clear(&self.dir);
        Ok(session)
    }
}

fn wal_sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

fn remove_if_exists(p: &Path) -> CoreResult<()> {
    match std::fs::remove_file(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn remove_db_files(db: &Path) -> CoreResult<()> {
    remove_if_exists(db)?;
    remove_if_exists(&wal_sidecar(db, "-wal"))?;
    remove_if_exists(&wal_sidecar(db, "-shm"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: &str = "copper kettle moonlit harbour";

    fn new_vault(dir: &Path) {
        let setup = ClinicSetup {
            clinic_name: "Clinic".into(),
            admin_display_name: "Admin".into(),
            admin_username: "admin".into(),
            passphrase: PASS.into(),
            passphrase_confirmation: PASS.into(),
        };
        drop(
            VaultDir::new(dir)
                .create(&setup, KdfParams::FAST_FOR_TESTS)
                .unwrap(),
        );
    }

    /// Opens the raw connection with the real key, as only the core can.
    fn raw(dir: &Path) -> rusqlite::Connection {
        let v = VaultDir::new(dir);
        let env = KeyEnvelope::load(&v.keys_path()).unwrap();
        let dek = env
            .unwrap(WrapKind::User, "admin", PASS.as_bytes())
            .unwrap();
        open_keyed(&v.db_path(), &dek, OpenMode::Existing).unwrap()
    }

    #[test]
    fn migrations_are_idempotent() {
        let tmp = tempfile::tempdir().unwrap();
        new_vault(tmp.path());
        let mut c = raw(tmp.path());
        assert_eq!(migrations::migrate(&mut c).unwrap(), 0);
        assert_eq!(migrations::migrate(&mut c).unwrap(), 0);
        assert_eq!(
            migrations::schema_version(&c).unwrap(),
            migrations::SCHEMA_VERSION
        );
        drop(c);
        VaultDir::new(tmp.path()).unlock("admin", PASS).unwrap();
        assert_eq!(
            migrations::schema_version(&raw(tmp.path())).unwrap(),
            migrations::SCHEMA_VERSION
        );
    }

    #[test]
    fn a_vault_from_a_newer_version_is_refused_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        new_vault(tmp.path());
        let newer = migrations::SCHEMA_VERSION + 1;
        {
            let c = raw(tmp.path());
            c.pragma_update(None, "user_version", newer).unwrap();
            c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
        }
        let err = VaultDir::new(tmp.path()).unlock("admin", PASS).unwrap_err();
        assert!(
            matches!(err, CoreError::NewerSchema { found, supported } if found == newer && supported == migrations::SCHEMA_VERSION),
            "{err:?}"
        );
        assert!(err.to_string().contains("newer version of KetaChart"));
        assert_eq!(migrations::schema_version(&raw(tmp.path())).unwrap(), newer);
    }

    #[test]
    fn settings_every_connection_needs() {
        let tmp = tempfile::tempdir().unwrap();
        new_vault(tmp.path());
        let c = raw(tmp.path());
        let mode: String = c
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let fk: i64 = c
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
        let err = c.execute(
            "INSERT INTO app_user_role (user_id, role) VALUES (999, 'admin')",
            [],
        );
        assert!(err.is_err(), "foreign keys are enforced");
        let strict = c.execute(
            "INSERT INTO app_user (username, display_name, created_at, disabled) VALUES ('x1', 'X', 'now', 'no')",
            [],
        );
        assert!(
            strict.is_err(),
            "STRICT tables refuse text in an INTEGER column"
        );
    }
}
