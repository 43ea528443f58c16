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
    include_str!("migrations/0009_course_alias.sql"),
    include_str!("migrations/0010_prior_auth.sql"),
    include_str!("migrations/0011_documents.sql"),
    include_str!("migrations/0012_consents.sql"),
    include_str!("migrations/0013_rems_enrollment.sql"),
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
    if current == supported {
        return Ok(0);
    }
    // SQLite's way to rebuild a table other tables reference (schema 7 widens a CHECK): foreign
    // keys off around the transaction (the pragma is a no-op inside one), every reference
    // checked before committing, then back on whatever happened.
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = apply(conn, steps, current);
    if enforced {
        conn.pragma_update(None, "foreign_keys", "ON")?;
    }
    result
}

fn apply(conn: &mut Connection, steps: &[&str], current: i64) -> CoreResult<usize> {
    let tx = conn.transaction()?;
    let mut applied = 0;
    for (i, sql) in steps.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        applied += 1;
    }
    let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if broken > 0 {
        return Err(CoreError::Crypto(
            "a schema upgrade would leave records pointing at nothing; nothing was changed",
        ));
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

    /// Schema 7 rebuilds `clinical_record` to widen its kind CHECK: records, their signatures
    /// and addenda survive with the same ids, the freeze triggers still hold, and foreign keys
    /// still resolve.
    #[test]
    fn schema_7_keeps_records_addenda_and_the_freeze() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        migrate_with(&mut conn, &MIGRATIONS[..6]).unwrap();
        conn.execute_batch(
            "INSERT INTO patient (id, mrn, given_name, family_name, birth_date, sort_key, created_at, updated_at) \
             VALUES (1, 'KC-1', 'A', 'B', '1980-01-01', 'b a', 't', 't');
             INSERT INTO clinical_record (id, patient_id, kind, body, version, created_at, created_by, updated_at, \
               signed_at, signed_by, signed_by_name, content_sha256) \
             VALUES (7, 1, 'evaluation', '{\"kind\":\"evaluation\"}', 2, 't', 'doc', 't', 't', 'doc', 'Dr', 'abc');
             INSERT INTO record_addendum (record_id, text, signed_at, signed_by, signed_by_name, content_sha256) \
             VALUES (7, 'later', 't', 'doc', 'Dr', 'def');",
        )
        .unwrap();
        migrate_with(&mut conn, MIGRATIONS).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
        let (kind, version): (String, i64) = conn
            .query_row(
                "SELECT kind, version FROM clinical_record WHERE id = 7",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((kind.as_str(), version), ("evaluation", 2));
        let addenda: i64 = conn
            .query_row(
                "SELECT count(*) FROM record_addendum WHERE record_id = 7",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(addenda, 1);
        let fk_problems: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk_problems, 0);
        assert!(
            conn.execute("UPDATE clinical_record SET body = '{}' WHERE id = 7", [])
                .is_err(),
            "a signed record is still frozen"
        );
        assert!(conn
            .execute("DELETE FROM clinical_record WHERE id = 7", [])
            .is_err());
        conn.execute(
            "INSERT INTO clinical_record (patient_id, kind, body, created_at, created_by, updated_at) \
             VALUES (1, 'session', '{}', 't', 'doc', 't')",
            [],
        )
        .unwrap();
    }
}
