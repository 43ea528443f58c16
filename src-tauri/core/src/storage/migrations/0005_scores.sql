-- Schema 5: measurement-based care. Rating-scale administrations (scored by the core from the
-- versioned instrument reference; the answers and the result are stored as given and scored) and
-- safety alerts raised by them, which stay open until a provider acknowledges them with a
-- documented action. Neither is ever deleted; a score never changes; an acknowledged alert never
-- changes.

CREATE TABLE score_administration (
    id                  INTEGER PRIMARY KEY,
    patient_id          INTEGER NOT NULL REFERENCES patient(id),
    instrument          TEXT NOT NULL,
    reference_version   INTEGER NOT NULL,
    administered_at     TEXT NOT NULL,          -- local date and time, YYYY-MM-DDTHH:MM
    mode                TEXT NOT NULL CHECK (mode IN ('clinician', 'self_report')),
    rater               TEXT,                   -- who rated (clinician-rated scales)
    timepoint           TEXT,                   -- e.g. CADSS 'pre_dose' / 'peak'
    answers             TEXT CHECK (answers IS NULL OR json_valid(answers)),
    total               INTEGER,
    total_entered       INTEGER NOT NULL CHECK (total_entered IN (0, 1)),
    band                TEXT,
    result              TEXT NOT NULL CHECK (json_valid(result)),  -- flags, triage, unchecked rules
    entered_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL
) STRICT;

CREATE INDEX score_by_patient ON score_administration (patient_id, instrument, administered_at);

CREATE TRIGGER score_is_frozen BEFORE UPDATE ON score_administration
BEGIN
    SELECT RAISE(ABORT, 'a recorded score cannot be changed');
END;

CREATE TRIGGER score_no_delete BEFORE DELETE ON score_administration
BEGIN
    SELECT RAISE(ABORT, 'scores cannot be deleted');
END;

CREATE TABLE safety_alert (
    id                      INTEGER PRIMARY KEY,
    patient_id              INTEGER NOT NULL REFERENCES patient(id),
    administration_id       INTEGER NOT NULL REFERENCES score_administration(id),
    level                   TEXT NOT NULL CHECK (level IN ('flag', 'moderate', 'high')),
    reason                  TEXT NOT NULL,
    raised_at               TEXT NOT NULL,
    acknowledged_at         TEXT,
    acknowledged_by         TEXT,
    acknowledged_by_name    TEXT,
    action                  TEXT CHECK (action IS NULL OR action IN
                                ('safety_plan', 'risk_assessment', 'referral', 'emergency')),
    note                    TEXT,
    ack_sha256              TEXT,
    CHECK ((acknowledged_at IS NULL) = (action IS NULL)),
    CHECK ((acknowledged_at IS NULL) = (ack_sha256 IS NULL))
) STRICT;

CREATE INDEX safety_alert_open ON safety_alert (acknowledged_at, raised_at);
CREATE INDEX safety_alert_by_patient ON safety_alert (patient_id, raised_at);

CREATE TRIGGER safety_alert_acknowledged_is_frozen BEFORE UPDATE ON safety_alert
WHEN OLD.acknowledged_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'an acknowledged alert cannot be changed');
END;

CREATE TRIGGER safety_alert_no_delete BEFORE DELETE ON safety_alert
BEGIN
    SELECT RAISE(ABORT, 'alerts cannot be deleted');
END;
