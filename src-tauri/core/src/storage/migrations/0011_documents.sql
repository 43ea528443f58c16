-- Schema 11: the document store. Outside records, pharmacy fill histories, insurance cards,
-- payer letters and the app's own signed consents, ABNs and REMS forms, kept INSIDE the
-- encrypted database (never a plaintext copy on disk), with what they are and the records they
-- support.

-- The bytes, once per distinct content (two patients' identical blank form share one row).
CREATE TABLE document_blob (
    sha256  TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    bytes   BLOB NOT NULL
) STRICT;

CREATE TABLE document (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patient(id),
    kind            TEXT NOT NULL CHECK (kind IN ('outside_records', 'pharmacy_history',
                        'insurance_card_front', 'insurance_card_back', 'payer_approval',
                        'payer_denial', 'payer_rfi', 'lab_ecg', 'consent', 'rems_enrollment',
                        'abn', 'other')),
    media_type      TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    sha256          TEXT NOT NULL REFERENCES document_blob(sha256),
    size            INTEGER NOT NULL CHECK (size > 0),
    -- PDFs: pages; images: pixel dimensions.
    page_count      INTEGER CHECK (page_count IS NULL OR page_count >= 1),
    width           INTEGER CHECK (width IS NULL OR width >= 1),
    height          INTEGER CHECK (height IS NULL OR height >= 1),
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    -- The file's own name as imported (NULL for documents the app generated).
    file_name       TEXT,
    -- Partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD.
    document_date   TEXT CHECK (document_date IS NULL OR length(document_date) IN (4, 7, 10)),
    source          TEXT,
    -- 1 = produced by KetaChart from a signature (consent, ABN, REMS enrollment).
    generated       INTEGER NOT NULL DEFAULT 0 CHECK (generated IN (0, 1)),
    created_by      INTEGER NOT NULL REFERENCES app_user(id),
    created_at      TEXT NOT NULL,
    -- Soft removal: the row (and the audit entries naming it) stay.
    removed_at      TEXT,
    removed_by      INTEGER REFERENCES app_user(id),
    removed_reason  TEXT,
    CHECK ((removed_at IS NULL) = (removed_by IS NULL)),
    CHECK ((removed_at IS NULL) = (removed_reason IS NULL))
) STRICT;

CREATE INDEX document_by_patient ON document (patient_id, created_at);
-- The same file twice for one patient is a duplicate (a removed copy may be imported again).
CREATE UNIQUE INDEX document_live_unique ON document (patient_id, sha256) WHERE removed_at IS NULL;

-- Which records a document supports: a medication trial (with the page that shows it), an
-- episode, a coverage, an authorization request, a treatment course.
CREATE TABLE document_link (
    document_id  INTEGER NOT NULL REFERENCES document(id),
    target       TEXT NOT NULL CHECK (target IN ('trial', 'episode', 'coverage', 'pa_request', 'course')),
    target_id    INTEGER NOT NULL,
    page         INTEGER CHECK (page IS NULL OR page >= 1),
    PRIMARY KEY (document_id, target, target_id)
) STRICT;

CREATE INDEX document_link_by_target ON document_link (target, target_id);
