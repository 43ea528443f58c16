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

-- Defence in depth: the core never changes stored bytes, deletes a document or alters a signed
-- form; these triggers make the database refuse it too (a bug, or someone with the key and an
-- SQLite shell). Reading also re-checks each blob's SHA-256 against its key.
CREATE TRIGGER document_blob_is_frozen BEFORE UPDATE ON document_blob
BEGIN
    SELECT RAISE(ABORT, 'stored document bytes cannot be changed');
END;

CREATE TRIGGER document_blob_no_delete BEFORE DELETE ON document_blob
BEGIN
    SELECT RAISE(ABORT, 'stored document bytes cannot be deleted');
END;

CREATE TRIGGER document_no_delete BEFORE DELETE ON document
BEGIN
    SELECT RAISE(ABORT, 'documents cannot be deleted (removal keeps the row)');
END;

-- What a document is never changes: its bytes and their shape, its patient, whether KetaChart
-- generated it, who stored it and when. (`update_meta` changes kind, title, date and source;
-- `remove` sets the removal columns; nothing else is ever updated.)
CREATE TRIGGER document_content_is_frozen BEFORE UPDATE ON document
WHEN NEW.id IS NOT OLD.id OR NEW.patient_id IS NOT OLD.patient_id
  OR NEW.media_type IS NOT OLD.media_type OR NEW.sha256 IS NOT OLD.sha256
  OR NEW.size IS NOT OLD.size OR NEW.page_count IS NOT OLD.page_count
  OR NEW.width IS NOT OLD.width OR NEW.height IS NOT OLD.height
  OR NEW.file_name IS NOT OLD.file_name OR NEW.generated IS NOT OLD.generated
  OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'a stored document''s content and origin cannot be changed');
END;

-- A removed document stays removed, as it was removed.
CREATE TRIGGER document_removed_is_frozen BEFORE UPDATE ON document
WHEN OLD.removed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a removed document cannot be changed');
END;

-- A consent, ABN or REMS form KetaChart generated from a signature is the signed record: not
-- one column changes (it cannot be removed either), and no other generated document becomes one.
CREATE TRIGGER document_signed_form_is_frozen BEFORE UPDATE ON document
WHEN OLD.generated = 1 AND OLD.kind IN ('consent', 'abn', 'rems_enrollment')
BEGIN
    SELECT RAISE(ABORT, 'a form signed in KetaChart cannot be changed or removed');
END;

CREATE TRIGGER document_generated_never_becomes_signed_form BEFORE UPDATE OF kind ON document
WHEN OLD.generated = 1 AND NEW.kind IS NOT OLD.kind
  AND NEW.kind IN ('consent', 'abn', 'rems_enrollment')
BEGIN
    SELECT RAISE(ABORT, 'a generated document cannot become a signed form');
END;

-- A signed form's links only grow: the ones it was signed with (an ABN's course) stay as they
-- are; new ones may be added.
CREATE TRIGGER document_link_signed_form_kept BEFORE DELETE ON document_link
WHEN EXISTS (SELECT 1 FROM document d WHERE d.id = OLD.document_id AND d.generated = 1
             AND d.kind IN ('consent', 'abn', 'rems_enrollment'))
BEGIN
    SELECT RAISE(ABORT, 'the links of a form signed in KetaChart cannot be removed');
END;

CREATE TRIGGER document_link_signed_form_frozen BEFORE UPDATE ON document_link
WHEN EXISTS (SELECT 1 FROM document d WHERE d.id = OLD.document_id AND d.generated = 1
             AND d.kind IN ('consent', 'abn', 'rems_enrollment'))
BEGIN
    SELECT RAISE(ABORT, 'the links of a form signed in KetaChart cannot be changed');
END;
