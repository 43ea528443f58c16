-- Schema 3: antidepressant and augmentation trials with their dose history.
-- Dates are partial ISO text: YYYY, YYYY-MM or YYYY-MM-DD (the precision is the length).

CREATE TABLE med_trial (
    id                 INTEGER PRIMARY KEY,
    patient_id         INTEGER NOT NULL REFERENCES patient(id),
    drug_id            TEXT,              -- reference id; NULL for a drug not in the reference
    drug_name          TEXT NOT NULL CHECK (length(drug_name) BETWEEN 1 AND 100),
    role               TEXT NOT NULL CHECK (role IN ('monotherapy', 'augmentation', 'combination')),
    start_date         TEXT NOT NULL CHECK (length(start_date) IN (4, 7, 10)),
    stop_date          TEXT CHECK (stop_date IS NULL OR length(stop_date) IN (4, 7, 10)),
    ongoing            INTEGER NOT NULL CHECK (ongoing IN (0, 1)),
    adherence_percent  INTEGER CHECK (adherence_percent BETWEEN 0 AND 100),
    adherent           INTEGER CHECK (adherent IN (0, 1)),
    adherence_source   TEXT CHECK (adherence_source IN ('patient_report', 'pharmacy_fills', 'outside_records')),
    outcome            TEXT CHECK (outcome IN ('no_response', 'partial_response', 'intolerance', 'response', 'remission')),
    adverse_effect     TEXT,
    reason_stopped     TEXT,
    current_episode    INTEGER NOT NULL CHECK (current_episode IN (0, 1)),
    source_note        TEXT,
    version            INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK (NOT (ongoing = 1 AND stop_date IS NOT NULL))
) STRICT;

CREATE INDEX med_trial_by_patient ON med_trial (patient_id, start_date);

CREATE TABLE med_trial_dose (
    trial_id    INTEGER NOT NULL REFERENCES med_trial(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL CHECK (seq >= 0),
    from_date   TEXT NOT NULL CHECK (length(from_date) IN (4, 7, 10)),
    daily_dose  REAL NOT NULL CHECK (daily_dose > 0),
    PRIMARY KEY (trial_id, seq)
) STRICT;
