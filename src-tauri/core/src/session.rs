//! An unlocked vault: the open SQLCipher connection, which vault it is, and who unlocked it.
//! Dropping the session closes the connection; SQLCipher wipes its copy of the key on close,
//! and our copy of the key was zeroized as soon as the connection was keyed.
//!
//! Every core operation asks the session for permission first (`require`) and records what it
//! did in the audit log (`audit`), in the same transaction as the change where there is one.

use rusqlite::Connection;

use crate::access::{self, Permission};
use crate::audit::{self, Actor, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::user::User;
use crate::vault::VaultDir;

pub struct Session {
    conn: Connection,
    vault: VaultDir,
    user: User,
    clinic_name: String,
    demo: bool,
}

/// Why a session ends; each is audited differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// The user pressed Lock (or switched user).
    Lock,
    /// Nobody touched the app for the clinic's idle time.
    Idle,
    /// The window was closed or the process is ending.
    Exit,
}

impl Session {
    pub(crate) fn new(
        conn: Connection,
        vault: VaultDir,
        user: User,
        clinic_name: String,
        demo: bool,
    ) -> Self {
        Self {
            conn,
            vault,
            user,
            clinic_name,
            demo,
        }
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    pub(crate) fn set_user(&mut self, user: User) {
        self.user = user;
    }

    pub fn vault(&self) -> &VaultDir {
        &self.vault
    }

    pub fn clinic_name(&self) -> &str {
        &self.clinic_name
    }

    /// After the clinic profile renamed the clinic.
    pub(crate) fn set_clinic_name(&mut self, name: String) {
        self.clinic_name = name;
    }

    pub fn is_demo(&self) -> bool {
        self.demo
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Whether the signed-in user's roles include `p` (for showing or hiding UI).
    pub fn can(&self, p: Permission) -> bool {
        access::allows(&self.user.roles, p)
    }

    /// `Forbidden` unless the signed-in user's roles include `p`.
    pub fn require(&self, p: Permission) -> CoreResult<()> {
        if self.can(p) {
            Ok(())
        } else {
            Err(CoreError::Forbidden(p.describe()))
        }
    }

    pub(crate) fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user.id),
            username: self.user.username.clone(),
        }
    }

    /// Appends an audit entry attributed to the signed-in user.
    pub(crate) fn audit(&self, e: NewEvent<'_>) -> CoreResult<i64> {
        audit::append(&self.conn, &self.actor(), &e)
    }

    /// Appends an audit entry attributed to someone else (the `system` for scheduled work).
    pub(crate) fn audit_as(&self, actor: &Actor, e: NewEvent<'_>) -> CoreResult<i64> {
        audit::append(&self.conn, actor, &e)
    }

    /// Ends the session, recording why. The connection closes when `self` is dropped here.
    pub fn close(self, reason: CloseReason) {
        let action = match reason {
            CloseReason::Lock => AuditAction::Lock,
            CloseReason::Idle => AuditAction::IdleLock,
            CloseReason::Exit => AuditAction::Logout,
        };
        if let Err(e) = self.audit(NewEvent::new(action)) {
            tracing::warn!(error = %e, "could not record the end of the session");
        }
    }

    /// SQLite's `integrity_check` and SQLCipher's `cipher_integrity_check` (every page's
    /// HMAC): an empty list means the database is sound.
    pub fn integrity_problems(&self) -> CoreResult<Vec<String>> {
        let mut problems = Vec::new();
        let mut st = self.conn.prepare("PRAGMA integrity_check")?;
        for r in st.query_map([], |r| r.get::<_, String>(0))? {
            let r = r?;
            if r != "ok" {
                problems.push(r);
            }
        }
        let mut st = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        for r in st.query_map([], |r| r.get::<_, String>(0))? {
            problems.push(r?);
        }
        Ok(problems)
    }

    /// Schema version of the open database (for diagnostics and tests).
    pub fn schema_version(&self) -> CoreResult<i64> {
        crate::storage::migrations::schema_version(&self.conn)
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user", &self.user.username)
            .finish_non_exhaustive()
    }
}
