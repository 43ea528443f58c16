//! Opening the SQLCipher database with a raw key, and the per-connection settings every
//! connection must have (WAL, foreign keys, busy timeout).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{CoreError, CoreResult};
use crate::vault::key::DatabaseKey;

pub(crate) enum OpenMode {
    /// Create a new, empty database (the caller has checked nothing is there).
    Create,
    /// Open an existing database for reading and writing.
    Existing,
}

/// Opens the file and applies the key. SQLCipher very occasionally fails to set up its codec
/// ("An error occurred with PRAGMA key or rekey") when many connections are keyed at once on a
/// loaded machine (seen only with dozens of test vaults created in parallel); the key and file
/// are the same on a second attempt, so it is tried up to three times before giving up. A wrong
/// key never fails here — it fails on the first read below.
fn keyed_connection(path: &Path, key: &DatabaseKey, flags: OpenFlags) -> CoreResult<Connection> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let conn = Connection::open_with_flags(path, flags)?;
        // A wrong key is reported to the caller; SQLCipher's own stderr noise is not wanted.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        let literal = key.pragma_literal();
        match conn.execute_batch(&format!("PRAGMA key = {};", literal.as_str())) {
            Ok(()) => return Ok(conn),
            Err(e) if attempt < 3 && e.to_string().contains("PRAGMA key or rekey") => {
                tracing::warn!(attempt, "SQLCipher could not set up the key; trying again");
                drop(conn);
            }
            Err(e) => return Err(e.into()),
        }
    }
}

pub(crate) fn open_keyed(path: &Path, key: &DatabaseKey, mode: OpenMode) -> CoreResult<Connection> {
    let flags = match mode {
        OpenMode::Create => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        OpenMode::Existing => OpenFlags::SQLITE_OPEN_READ_WRITE,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = keyed_connection(path, key, flags)?;
    // Refuse to run on a build without SQLCipher: `PRAGMA key` would be silently ignored.
    let cipher: Option<String> = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .ok();
    if cipher.is_none() {
        return Err(CoreError::Crypto(
            "this build has no SQLCipher; refusing to store data unencrypted",
        ));
    }
    // The first real read is where a wrong key or a foreign file shows up.
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        return Err(match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => CoreError::NotAVault {
                path: path.to_path_buf(),
                reason: "its database file is damaged or does not match its key file".into(),
            },
            _ => CoreError::Db(e),
        });
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: every commit is on disk before it is acknowledged, power loss included.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "secure_delete", true)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // Writers take the write lock when their transaction begins, so the app and the CLI never
    // fail half-way with SQLITE_BUSY_SNAPSHOT when both touch the vault.
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    Ok(conn)
}
