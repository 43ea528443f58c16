-- Schema 4: the clinical record around the trials. Payers (a clinic list), clinical records
-- kept as validated JSON documents (coverage, diagnoses, episodes, psychotherapy, other
-- treatments, screenings, evaluations), signatures and addenda, clinic dose-floor overrides,
-- and pre/post scores on trials.

CREATE TABLE payer (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    payer_type  TEXT NOT NULL CHECK (payer_type IN ('commercial', 'medicare', 'medicare_advantage',
                    'medicaid_ffs', 'medicaid_managed', 'exchange', 'other')),
    pa_phone    TEXT,
    pa_fax      TEXT,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX payer_name ON payer (lower(name));

CREATE TABLE clinical_record (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patient(id),
    kind            TEXT NOT NULL CHECK (kind IN ('coverage', 'diagnosis', 'episode', 'psychotherapy',
                        'other_treatment', 'screening', 'evaluation')),
    body            TEXT NOT NULL CHECK (json_valid(body)),
    sort_date       TEXT,           -- partial ISO date for ordering
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    signed_at       TEXT,
    signed_by       TEXT,           -- user name
    signed_by_name  TEXT,           -- display name at the time of signing
    content_sha256  TEXT,           -- hex SHA-256 of the canonical signed content
    CHECK ((signed_at IS NULL) = (content_sha256 IS NULL)),
    CHECK ((signed_at IS NULL) = (signed_by IS NULL))
) STRICT;

CREATE INDEX clinical_record_by_patient ON clinical_record (patient_id, kind, sort_date);

-- A signed record never changes and no record is ever deleted: the database refuses, whatever
-- code asks.
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

CREATE TABLE record_addendum (
    id              INTEGER PRIMARY KEY,
    record_id       INTEGER NOT NULL REFERENCES clinical_record(id),
    text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
    signed_at       TEXT NOT NULL,
    signed_by       TEXT NOT NULL,
    signed_by_name  TEXT NOT NULL,
    content_sha256  TEXT NOT NULL
) STRICT;

CREATE INDEX record_addendum_by_record ON record_addendum (record_id, id);

CREATE TRIGGER record_addendum_no_update
BEFORE UPDATE ON record_addendum
BEGIN
    SELECT RAISE(ABORT, 'an addendum cannot be changed');
END;

CREATE TRIGGER record_addendum_no_delete
BEFORE DELETE ON record_addendum
BEGIN
    SELECT RAISE(ABORT, 'an addendum cannot be deleted');
END;

-- The clinic's own minimum therapeutic dose for a reference drug (strict or lenient floor),
-- replacing the bundled value; who changed it and why is kept.
CREATE TABLE drug_floor (
    drug_id     TEXT PRIMARY KEY,
    min_daily   REAL NOT NULL CHECK (min_daily > 0),
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

ALTER TABLE med_trial ADD COLUMN score_instrument TEXT;
ALTER TABLE med_trial ADD COLUMN pre_score REAL CHECK (pre_score IS NULL OR pre_score >= 0);
ALTER TABLE med_trial ADD COLUMN post_score REAL CHECK (post_score IS NULL OR post_score >= 0);
