-- Schema 7: treatment courses and sessions. Courses and sessions are clinical records (two new
-- kinds), so the kind CHECK is widened by rebuilding the table (SQLite cannot alter a CHECK);
-- the migrator runs with foreign keys off and checks every reference before committing, so
-- record_addendum's rows resolve to the rebuilt table with the same ids. The freeze and
-- no-delete triggers are recreated unchanged. Also: the clinic's treatment settings (one document),
-- REMS form submissions (kept apart from the signed session, never changed), and the session
-- a rating-scale administration belongs to.

CREATE TABLE clinical_record_v7 (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patient(id),
    kind            TEXT NOT NULL CHECK (kind IN ('coverage', 'diagnosis', 'episode', 'psychotherapy',
                        'other_treatment', 'screening', 'evaluation', 'course', 'session')),
    body            TEXT NOT NULL CHECK (json_valid(body)),
    sort_date       TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    signed_at       TEXT,
    signed_by       TEXT,
    signed_by_name  TEXT,
    content_sha256  TEXT,
    CHECK ((signed_at IS NULL) = (content_sha256 IS NULL)),
    CHECK ((signed_at IS NULL) = (signed_by IS NULL))
) STRICT;

INSERT INTO clinical_record_v7 (id, patient_id, kind, body, sort_date, version, created_at,
    created_by, updated_at, signed_at, signed_by, signed_by_name, content_sha256)
SELECT id, patient_id, kind, body, sort_date, version, created_at, created_by, updated_at,
    signed_at, signed_by, signed_by_name, content_sha256 FROM clinical_record;

DROP TABLE clinical_record;
ALTER TABLE clinical_record_v7 RENAME TO clinical_record;

CREATE INDEX clinical_record_by_patient ON clinical_record (patient_id, kind, sort_date);

CREATE TRIGGER clinical_record_signed_is_frozen
BEFORE UPDATE ON clinical_record
WHEN OLD.signed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed record cannot be changed');
END;

CREATE TRIGGER clinical_record_no_delete
BEFORE DELETE ON clinical_record
BEGIN
    SELECT RAISE(ABORT, 'clinical records cannot be deleted');
END;

CREATE TABLE treatment_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    body        TEXT NOT NULL CHECK (json_valid(body)),
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE rems_submission (
    record_id       INTEGER PRIMARY KEY REFERENCES clinical_record(id),
    submitted_on    TEXT NOT NULL,
    method          TEXT NOT NULL CHECK (method IN ('online', 'fax')),
    confirmation    TEXT,
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
) STRICT;

CREATE TRIGGER rems_submission_is_frozen BEFORE UPDATE ON rems_submission
BEGIN
    SELECT RAISE(ABORT, 'a REMS submission cannot be changed');
END;

CREATE TRIGGER rems_submission_no_delete BEFORE DELETE ON rems_submission
BEGIN
    SELECT RAISE(ABORT, 'a REMS submission cannot be deleted');
END;

ALTER TABLE score_administration ADD COLUMN session_record_id INTEGER REFERENCES clinical_record(id);
