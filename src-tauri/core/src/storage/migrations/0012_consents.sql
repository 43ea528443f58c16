-- Consents (issue 8): clinic-editable consent templates with immutable versions, which
-- templates each treatment requires before a course's first session, signed consents (the
-- flattened PDF lives in the document store) and Advance Beneficiary Notices.

-- One row per version; saving a template adds version + 1 and never changes an older one.
CREATE TABLE consent_template (
    key TEXT NOT NULL CHECK (length(key) BETWEEN 2 AND 40),
    version INTEGER NOT NULL CHECK (version >= 1),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body TEXT NOT NULL,
    -- 1 for the bundled sample text (shown with "the clinic must review it with its counsel").
    sample INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1)),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (key, version)
) WITHOUT ROWID;

CREATE TRIGGER consent_template_immutable_update BEFORE UPDATE ON consent_template
BEGIN
    SELECT RAISE(ABORT, 'consent template versions never change');
END;
CREATE TRIGGER consent_template_immutable_delete BEFORE DELETE ON consent_template
BEGIN
    SELECT RAISE(ABORT, 'consent template versions are never deleted');
END;

-- The templates a patient must have signed before the first session of a course of a modality.
CREATE TABLE consent_requirement (
    modality TEXT NOT NULL CHECK (modality IN ('iv_ketamine', 'im_ketamine', 'spravato', 'tms')),
    template_key TEXT NOT NULL,
    -- Order in which the consents are listed (and named in the gate's message).
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (modality, template_key)
) WITHOUT ROWID;

-- Which versions of the bundled reference data (templates, default requirements) were seeded,
-- so a clinic's later changes (a requirement removed) are never undone by seeding again.
CREATE TABLE consent_seed (
    reference_version INTEGER PRIMARY KEY,
    seeded_at TEXT NOT NULL
);

CREATE TABLE consent (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient(id),
    template_key TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    document_id INTEGER NOT NULL REFERENCES document(id),
    signed_on TEXT NOT NULL,            -- YYYY-MM-DD (clinic local date)
    patient_signer_name TEXT NOT NULL,
    witness_user TEXT NOT NULL,
    witness_name TEXT NOT NULL,
    signed_at TEXT NOT NULL,            -- UTC timestamp
    FOREIGN KEY (template_key, template_version) REFERENCES consent_template(key, version)
);
CREATE INDEX consent_patient ON consent(patient_id, template_key);

CREATE TRIGGER consent_immutable_update BEFORE UPDATE ON consent
BEGIN
    SELECT RAISE(ABORT, 'a signed consent never changes');
END;
CREATE TRIGGER consent_immutable_delete BEFORE DELETE ON consent
BEGIN
    SELECT RAISE(ABORT, 'a signed consent is never deleted');
END;

-- Advance Beneficiary Notices of Noncoverage, signed by the patient for a course.
CREATE TABLE abn (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient(id),
    course_id INTEGER NOT NULL REFERENCES clinical_record(id),
    document_id INTEGER NOT NULL REFERENCES document(id),
    service TEXT NOT NULL,
    reason TEXT NOT NULL,
    estimated_cost_cents INTEGER NOT NULL CHECK (estimated_cost_cents > 0),
    option INTEGER NOT NULL CHECK (option IN (1, 2, 3)),
    additional_info TEXT,
    patient_signer_name TEXT NOT NULL,
    witness_user TEXT NOT NULL,
    witness_name TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signed_at TEXT NOT NULL
);
CREATE INDEX abn_patient ON abn(patient_id, course_id);

CREATE TRIGGER abn_immutable_update BEFORE UPDATE ON abn
BEGIN
    SELECT RAISE(ABORT, 'a signed ABN never changes');
END;
CREATE TRIGGER abn_immutable_delete BEFORE DELETE ON abn
BEGIN
    SELECT RAISE(ABORT, 'a signed ABN is never deleted');
END;
