-- Schema 2: clinic security settings, backups, the tamper-evident audit log.

ALTER TABLE clinic ADD COLUMN idle_lock_minutes INTEGER NOT NULL DEFAULT 10
    CHECK (idle_lock_minutes BETWEEN 1 AND 60);
ALTER TABLE clinic ADD COLUMN backup_folder TEXT;
ALTER TABLE clinic ADD COLUMN backup_schedule TEXT NOT NULL DEFAULT 'daily'
    CHECK (backup_schedule IN ('off', 'daily'));
ALTER TABLE clinic ADD COLUMN backup_keep INTEGER NOT NULL DEFAULT 14
    CHECK (backup_keep BETWEEN 1 AND 365);
ALTER TABLE clinic ADD COLUMN last_backup_at TEXT;

-- Append-only audit log. `seq` counts from 1 without gaps; each entry's `hash` is SHA-256 over
-- its canonical fields and the previous entry's hash (see audit/chain.rs).
CREATE TABLE audit_event (
    seq          INTEGER PRIMARY KEY CHECK (seq >= 1),
    at           TEXT NOT NULL,
    user_id      INTEGER,            -- NULL: the system (scheduled backup) or an unknown user
    username     TEXT NOT NULL,
    action       TEXT NOT NULL,
    patient_id   INTEGER,            -- no foreign key: the log outlives what it describes
    record_type  TEXT,
    record_id    TEXT,
    detail       TEXT,
    prev_hash    TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash         TEXT NOT NULL CHECK (length(hash) = 64)
) STRICT;

CREATE INDEX audit_by_patient ON audit_event (patient_id, seq);
CREATE INDEX audit_by_user ON audit_event (username, seq);
CREATE INDEX audit_by_action ON audit_event (action, seq);
CREATE INDEX audit_by_at ON audit_event (at);

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Every 100th entry's hash, written with it: verification can say which stretch was altered,
-- and a rewrite of the chain from some point must also rewrite these.
CREATE TABLE audit_checkpoint (
    seq   INTEGER PRIMARY KEY,
    hash  TEXT NOT NULL CHECK (length(hash) = 64),
    at    TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The chain head, updated in the same transaction as every append: deleting entries from the
-- end of the log is detected because the head no longer matches.
ALTER TABLE vault_meta ADD COLUMN audit_head_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vault_meta ADD COLUMN audit_head_hash TEXT NOT NULL DEFAULT '';
