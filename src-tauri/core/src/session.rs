//! An unlocked vault: the open SQLCipher connection and who unlocked it.
//! Dropping the session closes the connection; SQLCipher wipes its copy of the key on close,
//! and our copy of the key was zeroized as soon as the connection was keyed.

use rusqlite::Connection;

use crate::user::User;

pub struct Session {
    conn: Connection,
    user: User,
    clinic_name: String,
    demo: bool,
}

impl Session {
    pub(crate) fn new(conn: Connection, user: User, clinic_name: String, demo: bool) -> Self {
        Self {
            conn,
            user,
            clinic_name,
            demo,
        }
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    pub fn clinic_name(&self) -> &str {
        &self.clinic_name
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

    /// Schema version of the open database (for diagnostics and tests).
    pub fn schema_version(&self) -> crate::CoreResult<i64> {
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
