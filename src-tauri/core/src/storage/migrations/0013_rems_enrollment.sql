-- Schema 13: the patient's SPRAVATO REMS enrollment (one row per patient, the gate for Spravato
-- sessions). The form fields are kept as the enrollment form was filled in (names literally,
-- quotes and markup included); the core validates them. Each save overwrites the row and
-- appends a copy of it to rems_enrollment_history (same transaction), so an earlier status or
-- enrollment date — the facts the session gate decided on — is never lost.

CREATE TABLE rems_enrollment (
    patient_id          INTEGER PRIMARY KEY REFERENCES patient(id),
    status              TEXT NOT NULL
        CHECK (status IN ('not_enrolled', 'form_completed', 'enrolled')),
    enrolled_on         TEXT
        CHECK (enrolled_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    rems_patient_id     TEXT CHECK (length(rems_patient_id) BETWEEN 1 AND 40),
    first_name          TEXT NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    middle_initial      TEXT CHECK (length(middle_initial) BETWEEN 1 AND 4),
    last_name           TEXT NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    birth_date          TEXT NOT NULL
        CHECK (birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    sex                 TEXT CHECK (sex IN ('female', 'male', 'intersex', 'unknown')),
    address_line1       TEXT CHECK (length(address_line1) BETWEEN 1 AND 120),
    address_line2       TEXT CHECK (length(address_line2) BETWEEN 1 AND 120),
    city                TEXT CHECK (length(city) BETWEEN 1 AND 60),
    state               TEXT CHECK (length(state) BETWEEN 1 AND 60),
    zip                 TEXT CHECK (length(zip) BETWEEN 1 AND 20),
    phone               TEXT CHECK (length(phone) BETWEEN 1 AND 40),
    email               TEXT CHECK (length(email) BETWEEN 3 AND 254),
    preferred_contact   TEXT CHECK (preferred_contact IN ('phone', 'email', 'mail')),
    prescriber_user_id  INTEGER REFERENCES app_user(id),
    prescriber_name     TEXT CHECK (length(prescriber_name) BETWEEN 1 AND 200),
    prescriber_npi      TEXT CHECK (length(prescriber_npi) = 10 AND prescriber_npi NOT GLOB '*[^0-9]*'),
    setting_name        TEXT CHECK (length(setting_name) BETWEEN 1 AND 200),
    rems_setting_id     TEXT CHECK (length(rems_setting_id) BETWEEN 1 AND 40),
    version             INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    recorded_by         INTEGER NOT NULL REFERENCES app_user(id),
    recorded_by_name    TEXT NOT NULL,
    recorded_at         TEXT NOT NULL,
    CHECK (status <> 'enrolled' OR enrolled_on IS NOT NULL)
) STRICT;

-- One row per save of rems_enrollment: every stored field as that save wrote it (copied from the
-- row in the save's transaction). Never changed, never deleted.
CREATE TABLE rems_enrollment_history (
    id                  INTEGER PRIMARY KEY,
    patient_id          INTEGER NOT NULL REFERENCES patient(id),
    version             INTEGER NOT NULL CHECK (version >= 1),
    status              TEXT NOT NULL
        CHECK (status IN ('not_enrolled', 'form_completed', 'enrolled')),
    enrolled_on         TEXT,
    rems_patient_id     TEXT,
    first_name          TEXT NOT NULL,
    middle_initial      TEXT,
    last_name           TEXT NOT NULL,
    birth_date          TEXT NOT NULL,
    sex                 TEXT,
    address_line1       TEXT,
    address_line2       TEXT,
    city                TEXT,
    state               TEXT,
    zip                 TEXT,
    phone               TEXT,
    email               TEXT,
    preferred_contact   TEXT,
    prescriber_user_id  INTEGER REFERENCES app_user(id),
    prescriber_name     TEXT,
    prescriber_npi      TEXT,
    setting_name        TEXT,
    rems_setting_id     TEXT,
    recorded_by         INTEGER NOT NULL REFERENCES app_user(id),
    recorded_by_name    TEXT NOT NULL,
    recorded_at         TEXT NOT NULL,
    UNIQUE (patient_id, version),
    CHECK (status <> 'enrolled' OR enrolled_on IS NOT NULL)
) STRICT;
CREATE TRIGGER rems_enrollment_history_is_frozen BEFORE UPDATE ON rems_enrollment_history
BEGIN
    SELECT RAISE(ABORT, 'a REMS enrollment history entry cannot be changed');
END;
CREATE TRIGGER rems_enrollment_history_no_delete BEFORE DELETE ON rems_enrollment_history
BEGIN
    SELECT RAISE(ABORT, 'a REMS enrollment history entry cannot be deleted');
END;
