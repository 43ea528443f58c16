-- Schema 1: the vault's identity, the clinic, users and patients.
-- Every table is STRICT. Text dates are ISO 8601. Timestamps are UTC RFC 3339.

CREATE TABLE vault_meta (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    vault_id    TEXT NOT NULL CHECK (length(vault_id) = 32),
    created_at  TEXT NOT NULL,
    next_mrn    INTEGER NOT NULL DEFAULT 1 CHECK (next_mrn >= 1)
) STRICT;

CREATE TABLE clinic (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE app_user (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 2 AND 32),
    display_name  TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE app_user_role (
    user_id  INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('admin', 'provider', 'nurse', 'billing')),
    PRIMARY KEY (user_id, role)
) STRICT;

CREATE TABLE patient (
    id                               INTEGER PRIMARY KEY,
    mrn                              TEXT NOT NULL UNIQUE,
    given_name                       TEXT NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
    family_name                      TEXT NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
    preferred_name                   TEXT,
    birth_date                       TEXT NOT NULL
        CHECK (birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    sex_at_birth                     TEXT CHECK (sex_at_birth IN ('female', 'male', 'intersex', 'unknown')),
    gender_identity                  TEXT,
    phone                            TEXT,
    email                            TEXT,
    address_line1                    TEXT,
    address_line2                    TEXT,
    city                             TEXT,
    region                           TEXT,
    postal_code                      TEXT,
    emergency_contact_name           TEXT,
    emergency_contact_relationship   TEXT,
    emergency_contact_phone          TEXT,
    -- family + given, case- and accent-folded, for a stable alphabetical list
    sort_key                         TEXT NOT NULL,
    version                          INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at                       TEXT NOT NULL,
    updated_at                       TEXT NOT NULL
) STRICT;

CREATE INDEX patient_by_sort_key ON patient (sort_key, id);
CREATE INDEX patient_by_birth_date ON patient (birth_date);

-- Name and MRN search. External content: the index stores tokens, the text stays in `patient`.
-- remove_diacritics 2 makes "mül" find "Müller"; prefix indexes keep type-ahead fast.
CREATE VIRTUAL TABLE patient_fts USING fts5 (
    given_name, family_name, preferred_name, mrn,
    content = 'patient', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TRIGGER patient_fts_insert AFTER INSERT ON patient BEGIN
    INSERT INTO patient_fts (rowid, given_name, family_name, preferred_name, mrn)
    VALUES (new.id, new.given_name, new.family_name, new.preferred_name, new.mrn);
END;

CREATE TRIGGER patient_fts_delete AFTER DELETE ON patient BEGIN
    INSERT INTO patient_fts (patient_fts, rowid, given_name, family_name, preferred_name, mrn)
    VALUES ('delete', old.id, old.given_name, old.family_name, old.preferred_name, old.mrn);
END;

CREATE TRIGGER patient_fts_update AFTER UPDATE OF given_name, family_name, preferred_name, mrn ON patient BEGIN
    INSERT INTO patient_fts (patient_fts, rowid, given_name, family_name, preferred_name, mrn)
    VALUES ('delete', old.id, old.given_name, old.family_name, old.preferred_name, old.mrn);
    INSERT INTO patient_fts (rowid, given_name, family_name, preferred_name, mrn)
    VALUES (new.id, new.given_name, new.family_name, new.preferred_name, new.mrn);
END;
