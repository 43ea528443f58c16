-- Schema 10: prior authorization. Rule sets the clinic imports, which rule sets apply to each
-- payer, authorization requests with their status history, chart tasks (billing asks a
-- provider to record a fact), the clinic's fee schedule for self-pay superbills, and the
-- ordering provider's specialty (payers ask for a psychiatrist).

ALTER TABLE provider_profile ADD COLUMN specialty TEXT
    CHECK (specialty IN ('psychiatrist', 'psychiatric_nurse_practitioner', 'other_mental_health', 'other'));

-- A rule-set file as the clinic imported it (checked before it is stored). A rule set here with
-- the id and version of a bundled one replaces it.
CREATE TABLE pa_rule_file (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    content      TEXT NOT NULL,
    sha256       TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    imported_at  TEXT NOT NULL,
    imported_by  INTEGER NOT NULL REFERENCES app_user(id)
) STRICT;

-- Which policies apply to which payer (rule-set ids, all versions).
CREATE TABLE payer_rule_set (
    payer_id     INTEGER NOT NULL REFERENCES payer(id),
    rule_set_id  TEXT NOT NULL CHECK (length(rule_set_id) BETWEEN 1 AND 100),
    PRIMARY KEY (payer_id, rule_set_id)
) STRICT;

CREATE TABLE pa_request (
    id                    INTEGER PRIMARY KEY,
    patient_id            INTEGER NOT NULL REFERENCES patient(id),
    kind                  TEXT NOT NULL CHECK (kind IN ('initial', 'reauthorization')),
    -- A re-authorization continues an earlier request.
    previous_id           INTEGER REFERENCES pa_request(id),
    service               TEXT NOT NULL CHECK (service IN ('spravato_trd', 'spravato_mdsi', 'tms', 'iv_ketamine')),
    rule_set_id           TEXT NOT NULL,
    rule_set_version      TEXT NOT NULL,
    payer_id              INTEGER NOT NULL REFERENCES payer(id),
    coverage_record_id    INTEGER REFERENCES clinical_record(id),
    course_record_id      INTEGER REFERENCES clinical_record(id),
    ordering_provider_id  INTEGER REFERENCES app_user(id),
    expedited             INTEGER NOT NULL DEFAULT 0 CHECK (expedited IN (0, 1)),
    status                TEXT NOT NULL CHECK (status IN ('draft', 'ready', 'submitted', 'pending',
                              'approved', 'partially_approved', 'denied', 'appealed')),
    -- JSON: [{code, units, ndc?}] requested; ICD-10 codes; dates; sessions.
    requested_lines       TEXT NOT NULL DEFAULT '[]',
    diagnosis_codes       TEXT NOT NULL DEFAULT '[]',
    requested_start       TEXT,
    requested_end         TEXT,
    requested_sessions    INTEGER CHECK (requested_sessions BETWEEN 1 AND 500),
    -- JSON: provider attestations [{kind, by, byName, at}].
    attestations          TEXT NOT NULL DEFAULT '[]',
    -- The letter of medical necessity as edited before finalizing (NULL = generated).
    letter                TEXT,
    -- A provider's reason to finalize a packet with gaps (decisions.md "PDFs").
    override_reason       TEXT,
    override_by           INTEGER REFERENCES app_user(id),
    override_at           TEXT,
    submitted_at          TEXT,
    submission_method     TEXT CHECK (submission_method IN ('fax', 'portal', 'phone', 'mail', 'electronic')),
    submission_reference  TEXT,
    decided_at            TEXT,
    auth_number           TEXT,
    -- JSON: [{code, units}] approved.
    approved_lines        TEXT NOT NULL DEFAULT '[]',
    approved_start        TEXT,
    approved_end          TEXT,
    denial_reason         TEXT,
    appeal_letter         TEXT,
    appealed_at           TEXT,
    version               INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at            TEXT NOT NULL,
    created_by            INTEGER NOT NULL REFERENCES app_user(id),
    updated_at            TEXT NOT NULL
) STRICT;
CREATE INDEX pa_request_patient ON pa_request(patient_id, service);
CREATE INDEX pa_request_status ON pa_request(status);

-- Every status change, who made it and what they noted. Never changed, never deleted.
CREATE TABLE pa_request_event (
    id           INTEGER PRIMARY KEY,
    request_id   INTEGER NOT NULL REFERENCES pa_request(id),
    at           TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES app_user(id),
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    note         TEXT
) STRICT;
CREATE INDEX pa_request_event_request ON pa_request_event(request_id, id);
CREATE TRIGGER pa_request_event_is_frozen BEFORE UPDATE ON pa_request_event
BEGIN
    SELECT RAISE(ABORT, 'a request history entry cannot be changed');
END;
CREATE TRIGGER pa_request_event_no_delete BEFORE DELETE ON pa_request_event
BEGIN
    SELECT RAISE(ABORT, 'a request history entry cannot be deleted');
END;

-- Billing asks for a clinical fact they may not record themselves (a task on the chart).
CREATE TABLE chart_task (
    id            INTEGER PRIMARY KEY,
    patient_id    INTEGER NOT NULL REFERENCES patient(id),
    request_id    INTEGER REFERENCES pa_request(id),
    criterion     TEXT,
    text          TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
    created_at    TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES app_user(id),
    done_at       TEXT,
    done_by       INTEGER REFERENCES app_user(id),
    done_note     TEXT
) STRICT;
CREATE INDEX chart_task_open ON chart_task(patient_id, done_at);

-- The clinic's self-pay fees per code (superbills).
CREATE TABLE fee_schedule (
    code         TEXT PRIMARY KEY CHECK (length(code) BETWEEN 3 AND 10),
    description  TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
    fee_cents    INTEGER NOT NULL CHECK (fee_cents BETWEEN 0 AND 100000000),
    updated_at   TEXT NOT NULL
) STRICT;
