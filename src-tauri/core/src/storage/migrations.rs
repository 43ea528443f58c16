//! Schema migrations via `PRAGMA user_version`: every pending step runs in one transaction,
//! so a vault is either fully on the new schema or untouched. A database from a newer
//! KetaChart is refused, never "downgraded".
//!
//! (rusqlite_migration does not support rusqlite 0.41 yet, hence this small migrator.)

use rusqlite::Connection;

use crate::error::{CoreError, CoreResult};

/// One SQL script per schema version; index 0 takes an empty database to version 1.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_security.sql"),
    include_str!("migrations/0003_trials.sql"),
    include_str!("migrations/0004_record.sql"),
    include_str!("migrations/0005_scores.sql"),
    include_str!("migrations/0006_search_fold.sql"),
    include_str!("migrations/0007_treatment.sql"),
    include_str!("migrations/0008_profiles.sql"),
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn schema_version(conn: &Connection) -> CoreResult<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Applies pending migrations. Returns the number applied (0 when already current).
pub fn migrate(conn: &mut Connection) -> CoreResult<usize> {
    migrate_with(conn, MIGRATIONS)
}

pub(crate) fn migrate_with(conn: &mut Connection, steps: &[&str]) -> CoreResult<usize> {
    let current = schema_version(conn)?;
    let supported = steps.len() as i64;
    if current > supported {
        return Err(CoreError::NewerSchema {
            found: current,
            supported,
        });
    }
    let tx = conn.transaction()?;
    let mut applied = 0;
    for (i, sql) in steps.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        applied += 1;
    }
    tx.commit()?;
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_step_leaves_the_schema_untouched() {
        let mut conn = Connection::open_in_memory().unwrap();
        let steps = [
            "CREATE TABLE a (x INTEGER) STRICT;",
            "CREATE TABLE b (y INTEGER) STRICT; SELECT nope FROM nowhere;",
        ];
        assert!(migrate_with(&mut conn, &steps).is_err());
        assert_eq!(schema_version(&conn).unwrap(), 0);
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type='table'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0, "table a must have been rolled back too");
    }
}
