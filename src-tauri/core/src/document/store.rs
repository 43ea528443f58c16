//! Storing and reading documents. Bytes live in `document_blob` inside the SQLCipher database
//! (encrypted with the database key, carried by backups), once per distinct content; nothing is
//! ever written to disk in plaintext except an export to the place the user chose. Every write is
//! one transaction with its audit entry; every view and export is audited. Audit entries carry
//! ids, kinds and counts, never titles, file names or reasons.

use std::io::Read;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::content::{self, Inspected, MAX_DOCUMENT_BYTES};
use super::kind::{DocumentKind, LinkTarget, MediaType};
use super::model::{
    Document, DocumentContent, DocumentImportInput, DocumentLink, DocumentMeta, DocumentRef,
    GeneratedDocument, LinkDetail, TrialSource,
};
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::partial_date::PartialDate;
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

/// Longest title (characters).
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest source and removal reason (characters).
pub const MAX_SOURCE_CHARS: usize = 200;
pub const MAX_REASON_CHARS: usize = 500;

const NOT_FOUND: CoreError = CoreError::NotFound {
    what: "The document",
};

fn patient_mrn(conn: &Connection, patient_id: i64) -> CoreResult<String> {
    conn.query_row("SELECT mrn FROM patient WHERE id = ?1", [patient_id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or(CoreError::NotFound {
        what: "The patient",
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Title, date and source, checked as the form shows them.
struct ValidMeta {
    title: String,
    date: Option<PartialDate>,
    source: Option<String>,
}

fn check_meta(
    errors: &mut ValidationErrors,
    title: &str,
    date: &str,
    source: &str,
    today: NaiveDate,
) -> ValidMeta {
    let title = title.trim().to_string();
    if title.is_empty() {
        errors.add("title", "Enter a title (e.g. \"CVS fills 2024\")");
    } else if title.chars().count() > MAX_TITLE_CHARS {
        errors.add(
            "title",
            format!("Keep the title to {MAX_TITLE_CHARS} characters"),
        );
    } else if title.chars().any(|c| c.is_control()) {
        errors.add("title", "The title must be one line of text");
    }
    let date = match date.trim() {
        "" => None,
        d => match PartialDate::parse(d) {
            Ok(p) if p.is_future(today) => {
                errors.add(
                    "documentDate",
                    "The document's date cannot be in the future",
                );
                None
            }
            Ok(p) => Some(p),
            Err(m) => {
                errors.add("documentDate", m);
                None
            }
        },
    };
    let source = source.trim();
    let source = if source.is_empty() {
        None
    } else {
        if source.chars().count() > MAX_SOURCE_CHARS {
            errors.add(
                "source",
                format!("Keep the source to {MAX_SOURCE_CHARS} characters"),
            );
        }
        Some(source.to_string())
    };
    ValidMeta {
        title,
        date,
        source,
    }
}

/// The patient a linked record belongs to, or `None` when there is no such record.
fn target_patient(conn: &Connection, target: LinkTarget, id: i64) -> CoreResult<Option<i64>> {
    let (sql, kind) = match target {
        LinkTarget::Trial => ("SELECT patient_id FROM med_trial WHERE id = ?1", None),
        LinkTarget::PaRequest => ("SELECT patient_id FROM pa_request WHERE id = ?1", None),
        LinkTarget::Episode => (
            "SELECT patient_id FROM clinical_record WHERE id = ?1 AND kind = ?2",
            Some("episode"),
        ),
        LinkTarget::Coverage => (
            "SELECT patient_id FROM clinical_record WHERE id = ?1 AND kind = ?2",
            Some("coverage"),
        ),
        LinkTarget::Course => (
            "SELECT patient_id FROM clinical_record WHERE id = ?1 AND kind = ?2",
            Some("course"),
        ),
    };
    let found = match kind {
        Some(k) => conn
            .query_row(sql, params![id, k], |r| r.get(0))
            .optional()?,
        None => conn.query_row(sql, [id], |r| r.get(0)).optional()?,
    };
    Ok(found)
}

/// Each link must point at a record of this patient, once; a page must exist in the PDF.
fn check_links(
    conn: &Connection,
    errors: &mut ValidationErrors,
    patient_id: i64,
    links: &[DocumentLink],
    media_type: Option<MediaType>,
    page_count: Option<u32>,
) -> CoreResult<()> {
    let mut seen = std::collections::HashSet::new();
    for (i, l) in links.iter().enumerate() {
        let what = l.target.label();
        match target_patient(conn, l.target, l.target_id)? {
            Some(p) if p == patient_id => {}
            // Another patient's record is reported exactly like a missing one: nothing about
            // the other chart leaks.
            _ => errors.add(
                &format!("links.{i}.targetId"),
                format!(
                    "There is no such {} in this patient's chart",
                    what.to_lowercase()
                ),
            ),
        }
        if !seen.insert((l.target, l.target_id)) {
            errors.add(
                &format!("links.{i}.targetId"),
                format!("This {} is linked twice", what.to_lowercase()),
            );
        }
        if let Some(page) = l.page {
            match (media_type, page_count) {
                _ if page == 0 => errors.add(&format!("links.{i}.page"), "Pages start at 1"),
                (Some(MediaType::Pdf), Some(n)) if page > n => errors.add(
                    &format!("links.{i}.page"),
                    format!(
                        "This PDF has {n} page{}; page {page} does not exist",
                        if n == 1 { "" } else { "s" }
                    ),
                ),
                (Some(m), _) if m.is_image() && page != 1 => errors.add(
                    &format!("links.{i}.page"),
                    "An image has one page; leave the page empty",
                ),
                _ => {}
            }
        }
    }
    Ok(())
}

/// A live document of this patient with the same bytes.
struct Existing {
    id: i64,
    title: String,
    date: Option<String>,
    created_at: String,
}

/// A live document of this patient with the same bytes: its title and date, for the refusal.
fn duplicate_of(conn: &Connection, patient_id: i64, sha: &str) -> CoreResult<Option<Existing>> {
    Ok(conn
        .query_row(
            "SELECT id, title, document_date, created_at FROM document \
             WHERE patient_id = ?1 AND sha256 = ?2 AND removed_at IS NULL",
            params![patient_id, sha],
            |r| {
                Ok(Existing {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    date: r.get(2)?,
                    created_at: r.get(3)?,
                })
            },
        )
        .optional()?)
}

fn duplicate_message(title: &str, date: Option<&str>, created_at: &str) -> String {
    let when = date
        .and_then(|d| PartialDate::parse(d).ok())
        .map(|d| format!(" dated {}", d.display()))
        .unwrap_or_default();
    let imported = created_at.get(..10).unwrap_or(created_at);
    format!(
        "This file is already in this patient's documents as \"{title}\"{when} (stored {imported}). Nothing was imported"
    )
}

fn write_links(conn: &Connection, document_id: i64, links: &[DocumentLink]) -> CoreResult<()> {
    conn.execute(
        "DELETE FROM document_link WHERE document_id = ?1",
        [document_id],
    )?;
    for l in links {
        conn.execute(
            "INSERT INTO document_link (document_id, target, target_id, page) VALUES (?1, ?2, ?3, ?4)",
            params![document_id, l.target.as_str(), l.target_id, l.page],
        )?;
    }
    Ok(())
}

/// Adds links a document does not have yet (one it has, for the same record, is kept as it
/// is). Returns the links actually added.
fn add_links(
    conn: &Connection,
    document_id: i64,
    links: &[DocumentLink],
) -> CoreResult<Vec<DocumentLink>> {
    let mut added = Vec::new();
    for l in links {
        let n = conn.execute(
            "INSERT OR IGNORE INTO document_link (document_id, target, target_id, page) VALUES (?1, ?2, ?3, ?4)",
            params![document_id, l.target.as_str(), l.target_id, l.page],
        )?;
        if n > 0 {
            added.push(*l);
        }
    }
    Ok(added)
}

/// "course 4, trial 7": links as the audit names them (ids only).
fn link_targets(links: &[DocumentLink]) -> String {
    links
        .iter()
        .map(|l| format!("{} {}", l.target.as_str(), l.target_id))
        .collect::<Vec<_>>()
        .join(", ")
}

struct NewRow<'a> {
    patient_id: i64,
    kind: DocumentKind,
    inspected: Inspected,
    sha: &'a str,
    bytes: &'a [u8],
    meta: &'a ValidMeta,
    file_name: Option<&'a str>,
    generated: bool,
    user_id: i64,
}

fn insert(conn: &Connection, row: &NewRow<'_>) -> CoreResult<i64> {
    conn.execute(
        "INSERT OR IGNORE INTO document_blob (sha256, bytes) VALUES (?1, ?2)",
        params![row.sha, row.bytes],
    )?;
    conn.execute(
        "INSERT INTO document (patient_id, kind, media_type, sha256, size, page_count, width, height, \
         title, file_name, document_date, source, generated, created_by, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            row.patient_id,
            row.kind.as_str(),
            row.inspected.media_type.as_str(),
            row.sha,
            row.bytes.len() as i64,
            row.inspected.page_count,
            row.inspected.width,
            row.inspected.height,
            row.meta.title,
            row.file_name,
            row.meta.date.map(|d| d.to_iso()),
            row.meta.source,
            row.generated as i64,
            row.user_id,
            now_utc(),
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn describe_for_audit(kind: DocumentKind, i: &Inspected, size: usize, links: usize) -> String {
    let shape = match (i.page_count, i.width, i.height) {
        (Some(p), _, _) => format!("{p} page(s)"),
        (_, Some(w), Some(h)) => format!("{w}x{h} px"),
        _ => String::new(),
    };
    format!(
        "kind {}, {}, {shape}, {size} bytes, {links} link(s)",
        kind.as_str(),
        i.media_type.as_str()
    )
}

/// Reads a file the user chose: its size from the metadata first (a 2 GB file is refused
/// without reading a byte), then at most the limit.
fn read_chosen_file(raw: &str) -> Result<(Vec<u8>, Option<String>), ValidationErrors> {
    let refuse = |m: String| ValidationErrors::single("path", m);
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(refuse("Choose a file to import".into()));
    }
    let path = std::path::Path::new(raw);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refuse("There is no file at that path".into()))
        }
        Err(_) => {
            return Err(refuse(
                "That file cannot be read (check its permissions)".into(),
            ))
        }
    };
    if meta.is_dir() {
        return Err(refuse("That is a folder; choose a file".into()));
    }
    if !meta.is_file() {
        return Err(refuse("That is not an ordinary file".into()));
    }
    if meta.len() > MAX_DOCUMENT_BYTES {
        return Err(content::too_large("path", meta.len()));
    }
    if meta.len() == 0 {
        return Err(refuse("This file is empty. Nothing was imported".into()));
    }
    let file = std::fs::File::open(path)
        .map_err(|_| refuse("That file cannot be read (check its permissions)".into()))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // One byte past the limit is enough to know a file that grew meanwhile is too big.
    file.take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| refuse("That file could not be read to the end".into()))?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(content::too_large("path", bytes.len() as u64));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(255).collect());
    Ok((bytes, name))
}

/// Imports a file into a patient's documents: size, content type by magic bytes, a readable
/// unencrypted PDF or a sane image, not already stored for this patient; title, date, source
/// and links checked; one transaction with its audit entry.
pub fn import(
    session: &Session,
    input: &DocumentImportInput,
    today: NaiveDate,
) -> CoreResult<Document> {
    session.require(Permission::ManageDocuments)?;
    let conn = session.conn();
    let mrn = patient_mrn(conn, input.patient_id)?;
    let mut errors = ValidationErrors::new();
    let meta = check_meta(
        &mut errors,
        &input.title,
        &input.document_date,
        &input.source,
        today,
    );
    let file = read_chosen_file(&input.path)
        .and_then(|(bytes, name)| content::inspect("path", &bytes).map(|i| (bytes, name, i)));
    let (bytes, file_name, inspected) = match file {
        Ok(f) => f,
        Err(e) => {
            errors.0.extend(e.0);
            // The links cannot be checked against pages of a file that was refused; the
            // records they name still can.
            check_links(
                conn,
                &mut errors,
                input.patient_id,
                &input.links,
                None,
                None,
            )?;
            return Err(errors.into());
        }
    };
    check_links(
        conn,
        &mut errors,
        input.patient_id,
        &input.links,
        Some(inspected.media_type),
        inspected.page_count,
    )?;
    let sha = sha256_hex(&bytes);
    if let Some(e) = duplicate_of(conn, input.patient_id, &sha)? {
        errors.add(
            "path",
            duplicate_message(&e.title, e.date.as_deref(), &e.created_at),
        );
    }
    errors.into_result()?;

    let tx = conn.unchecked_transaction()?;
    let id = insert(
        &tx,
        &NewRow {
            patient_id: input.patient_id,
            kind: input.kind,
            inspected,
            sha: &sha,
            bytes: &bytes,
            meta: &meta,
            file_name: file_name.as_deref(),
            generated: false,
            user_id: session.user().id,
        },
    )?;
    write_links(&tx, id, &input.links)?;
    audit::append(
        &tx,
        &session.actor(),
        &NewEvent::new(AuditAction::DocumentImport)
            .patient(input.patient_id, &mrn)
            .record("document", id.to_string())
            .detail(describe_for_audit(
                input.kind,
                &inspected,
                bytes.len(),
                input.links.len(),
            )),
    )?;
    tx.commit()?;
    load(conn, id)
}

/// Stores app-generated bytes (a signed consent, an ABN, a REMS form) inside the caller's
/// transaction: the same checks as an import (magic bytes, size, PDF parses), deduplicated by
/// hash (the same bytes already stored for this patient: that document, with these links
/// added), returns the document id. Audits "document.store".
pub fn store_generated(
    tx: &rusqlite::Transaction<'_>,
    session: &Session,
    new: GeneratedDocument<'_>,
) -> CoreResult<i64> {
    session.require(Permission::ManageDocuments)?;
    let conn: &Connection = tx;
    let mrn = patient_mrn(conn, new.patient_id)?;
    let mut errors = ValidationErrors::new();
    let today = chrono::Local::now().date_naive();
    let meta = check_meta(&mut errors, new.title, new.document_date, new.source, today);
    if meta
        .date
        .is_some_and(|d| d.precision() != crate::partial_date::Precision::Day)
    {
        errors.add("documentDate", "A generated document needs its full date");
    }
    let inspected = match content::inspect("document", new.bytes) {
        Ok(i) => Some(i),
        Err(e) => {
            errors.0.extend(e.0);
            None
        }
    };
    check_links(
        conn,
        &mut errors,
        new.patient_id,
        new.links,
        inspected.map(|i| i.media_type),
        inspected.and_then(|i| i.page_count),
    )?;
    errors.into_result()?;
    let Some(inspected) = inspected else {
        return Err(CoreError::Crypto("document checks failed without a reason"));
    };
    let sha = sha256_hex(new.bytes);
    if let Some(Existing { id, .. }) = duplicate_of(conn, new.patient_id, &sha)? {
        // The same bytes are already this patient's document: it gains these links (a link it
        // already has stays as it is), and the links it gains are audited like any others.
        let added = add_links(conn, id, new.links)?;
        if !added.is_empty() {
            audit::append(
                conn,
                &session.actor(),
                &NewEvent::new(AuditAction::DocumentLinks)
                    .patient(new.patient_id, &mrn)
                    .record("document", id.to_string())
                    .detail(format!(
                        "added links: {} (the same generated file stored again)",
                        link_targets(&added)
                    )),
            )?;
        }
        return Ok(id);
    }
    let id = insert(
        conn,
        &NewRow {
            patient_id: new.patient_id,
            kind: new.kind,
            inspected,
            sha: &sha,
            bytes: new.bytes,
            meta: &meta,
            file_name: None,
            generated: true,
            user_id: session.user().id,
        },
    )?;
    write_links(conn, id, new.links)?;
    audit::append(
        conn,
        &session.actor(),
        &NewEvent::new(AuditAction::DocumentStore)
            .patient(new.patient_id, &mrn)
            .record("document", id.to_string())
            .detail(describe_for_audit(
                new.kind,
                &inspected,
                new.bytes.len(),
                new.links.len(),
            )),
    )?;
    Ok(id)
}

/// [`store_generated`] in a transaction of its own (a form stored with nothing else).
pub fn store_generated_alone(session: &Session, new: GeneratedDocument<'_>) -> CoreResult<i64> {
    session.require(Permission::ManageDocuments)?;
    let tx = session.conn().unchecked_transaction()?;
    let id = store_generated(&tx, session, new)?;
    tx.commit()?;
    Ok(id)
}

/// A live (not removed) document's patient, kind, media type, pages and whether it was generated.
struct Head {
    patient_id: i64,
    kind: DocumentKind,
    media_type: MediaType,
    page_count: Option<u32>,
    generated: bool,
}

fn head(conn: &Connection, id: i64) -> CoreResult<Head> {
    let row: Option<(i64, String, String, Option<u32>, bool)> = conn
        .query_row(
            "SELECT patient_id, kind, media_type, page_count, generated FROM document \
             WHERE id = ?1 AND removed_at IS NULL",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let (patient_id, kind, media_type, page_count, generated) = row.ok_or(NOT_FOUND)?;
    Ok(Head {
        patient_id,
        kind: DocumentKind::parse(&kind).ok_or(CoreError::Crypto("unknown document kind"))?,
        media_type: MediaType::parse(&media_type)
            .ok_or(CoreError::Crypto("unknown document media type"))?,
        page_count,
        generated,
    })
}

fn signed_original(h: &Head) -> bool {
    h.generated && h.kind.is_signed_form()
}

/// Changes a document's kind, title, date and source (its bytes never change). A signed form
/// the app generated keeps what it was signed as.
pub fn update_meta(
    session: &Session,
    id: i64,
    meta: &DocumentMeta,
    today: NaiveDate,
) -> CoreResult<Document> {
    session.require(Permission::ManageDocuments)?;
    let conn = session.conn();
    let h = head(conn, id)?;
    if signed_original(&h) {
        return Err(CoreError::Conflict(format!(
            "This {} was signed in KetaChart; its details are kept as signed",
            h.kind.label().to_lowercase()
        )));
    }
    if meta.kind.is_signed_form() && meta.kind != h.kind && h.generated {
        return Err(CoreError::Conflict(
            "A generated document cannot become a signed form".into(),
        ));
    }
    let mrn = patient_mrn(conn, h.patient_id)?;
    let mut errors = ValidationErrors::new();
    let v = check_meta(
        &mut errors,
        &meta.title,
        &meta.document_date,
        &meta.source,
        today,
    );
    errors.into_result()?;
    let before = load(conn, id)?;
    let mut changed = Vec::new();
    if before.kind != meta.kind {
        changed.push("kind");
    }
    if before.title != v.title {
        changed.push("title");
    }
    if before.document_date != v.date {
        changed.push("documentDate");
    }
    if before.source != v.source {
        changed.push("source");
    }
    if changed.is_empty() {
        return Ok(before);
    }
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "UPDATE document SET kind = ?2, title = ?3, document_date = ?4, source = ?5 WHERE id = ?1",
        params![
            id,
            meta.kind.as_str(),
            v.title,
            v.date.map(|d| d.to_iso()),
            v.source
        ],
    )?;
    audit::append(
        &tx,
        &session.actor(),
        &NewEvent::new(AuditAction::DocumentUpdate)
            .patient(h.patient_id, &mrn)
            .record("document", id.to_string())
            .detail(format!("changed {}", changed.join(", "))),
    )?;
    tx.commit()?;
    load(conn, id)
}

/// Replaces a document's links (the records it supports, with pages for trial evidence).
///
/// A consent, ABN or REMS form signed in KetaChart keeps every link it has: the ones made when
/// it was signed say what was signed for (an ABN's course, a consent's course), so removing or
/// retargeting one would change the signed record's meaning. New links may be added (e.g. the
/// consent as evidence for an authorization request). The app does not tell apart links added
/// later from those made at signing, so all of a signed form's links only ever grow; the
/// database refuses deleting or changing them too.
pub fn set_links(session: &Session, id: i64, links: &[DocumentLink]) -> CoreResult<Document> {
    session.require(Permission::ManageDocuments)?;
    let conn = session.conn();
    let h = head(conn, id)?;
    let mrn = patient_mrn(conn, h.patient_id)?;
    let mut errors = ValidationErrors::new();
    check_links(
        conn,
        &mut errors,
        h.patient_id,
        links,
        Some(h.media_type),
        h.page_count,
    )?;
    errors.into_result()?;
    let signed = signed_original(&h);
    if signed {
        let kept = links_of(conn, id)?;
        if kept.iter().any(|k| !links.contains(k)) {
            return Err(CoreError::Conflict(format!(
                "This {} was signed in KetaChart; the links it has stay as they are. You can add links",
                h.kind.label().to_lowercase()
            )));
        }
    }
    let tx = conn.unchecked_transaction()?;
    let detail = if signed {
        let added = add_links(&tx, id, links)?;
        if added.is_empty() {
            return load(conn, id);
        }
        format!("added links: {}", link_targets(&added))
    } else {
        write_links(&tx, id, links)?;
        if links.is_empty() {
            "no links".to_string()
        } else {
            format!("links: {}", link_targets(links))
        }
    };
    audit::append(
        &tx,
        &session.actor(),
        &NewEvent::new(AuditAction::DocumentLinks)
            .patient(h.patient_id, &mrn)
            .record("document", id.to_string())
            .detail(detail),
    )?;
    tx.commit()?;
    load(conn, id)
}

/// A patient's documents (removed ones are gone from the list), newest document date first.
pub fn list(session: &Session, patient_id: i64) -> CoreResult<Vec<Document>> {
    session.require(Permission::ReadClinical)?;
    let conn = session.conn();
    patient_mrn(conn, patient_id)?;
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT id FROM document WHERE patient_id = ?1 AND removed_at IS NULL \
             ORDER BY coalesce(document_date, substr(created_at, 1, 10)) DESC, id DESC",
        )?
        .query_map([patient_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.into_iter().map(|id| load(conn, id)).collect()
}

/// One document's details (no audit: the list shows the same; `content` is the audited view).
pub fn get(session: &Session, id: i64) -> CoreResult<Document> {
    session.require(Permission::ReadClinical)?;
    head(session.conn(), id)?;
    load(session.conn(), id)
}

/// The refusal when stored bytes no longer hash to the key they are stored under.
pub const ALTERED: &str =
    "The stored file does not match its fingerprint; it may have been altered";

/// A live document's bytes, for viewing, export and merging. The bytes are hashed again and
/// must match the SHA-256 they are stored under (the triggers stop changes through SQL; this
/// catches a change made with the triggers dropped): altered bytes are never handed out.
fn blob(conn: &Connection, id: i64) -> CoreResult<(MediaType, Vec<u8>, Option<u32>)> {
    type Row = (String, String, Vec<u8>, Option<u32>);
    let (mt, key, bytes, pages): Row = conn
        .query_row(
            "SELECT d.media_type, b.sha256, b.bytes, d.page_count FROM document d \
             JOIN document_blob b ON b.sha256 = d.sha256 WHERE d.id = ?1 AND d.removed_at IS NULL",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or(NOT_FOUND)?;
    if sha256_hex(&bytes) != key.to_ascii_lowercase() {
        return Err(CoreError::Conflict(ALTERED.into()));
    }
    let mt = MediaType::parse(&mt).ok_or(CoreError::Crypto("unknown document media type"))?;
    Ok((mt, bytes, pages))
}

/// The bytes for the in-app viewer. Audited as a view.
pub fn content(session: &Session, id: i64) -> CoreResult<DocumentContent> {
    session.require(Permission::ReadClinical)?;
    let conn = session.conn();
    let h = head(conn, id)?;
    let mrn = patient_mrn(conn, h.patient_id)?;
    let (media_type, bytes, page_count) = blob(conn, id)?;
    session.audit(
        NewEvent::new(AuditAction::DocumentView)
            .patient(h.patient_id, &mrn)
            .record("document", id.to_string()),
    )?;
    Ok(DocumentContent {
        media_type,
        bytes,
        page_count,
    })
}

/// Bytes and media type of one live document for merging into a packet (no audit: the caller
/// audits the export it is part of; the caller has checked the clinical read permission).
pub fn content_for_export(conn: &Connection, id: i64) -> CoreResult<(MediaType, Vec<u8>)> {
    let (mt, bytes, _) = blob(conn, id)?;
    Ok((mt, bytes))
}

/// Writes a document's bytes where the user chose (absolute path, existing folder, outside the
/// vault, owner-only, atomically). Audited; the entry names the file only if KetaChart named it.
pub fn export(session: &Session, id: i64, raw_path: &str) -> CoreResult<std::path::PathBuf> {
    session.require(Permission::ReadClinical)?;
    let conn = session.conn();
    let h = head(conn, id)?;
    let mrn = patient_mrn(conn, h.patient_id)?;
    let (_, bytes, _) = blob(conn, id)?;
    let path = crate::export_file::save_for_user(session, raw_path, &bytes)?;
    session.audit(
        NewEvent::new(AuditAction::DocumentExport)
            .patient(h.patient_id, &mrn)
            .record("document", id.to_string())
            .detail(format!("to {}", audit::file_label(&path))),
    )?;
    Ok(path)
}

/// Removes a document from the patient's lists and packets, with a reason. The row, its bytes
/// and the audit entries stay; a consent, ABN or REMS form signed in KetaChart cannot be removed.
pub fn remove(session: &Session, id: i64, reason: &str) -> CoreResult<()> {
    session.require(Permission::ManageDocuments)?;
    let conn = session.conn();
    let h = head(conn, id)?;
    if signed_original(&h) {
        return Err(CoreError::Conflict(format!(
            "This {} was signed in KetaChart and is part of the record; it cannot be removed",
            h.kind.label().to_lowercase()
        )));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ValidationErrors::single("reason", "Say why the document is removed").into());
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(ValidationErrors::single(
            "reason",
            format!("Keep the reason to {MAX_REASON_CHARS} characters"),
        )
        .into());
    }
    let mrn = patient_mrn(conn, h.patient_id)?;
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "UPDATE document SET removed_at = ?2, removed_by = ?3, removed_reason = ?4 WHERE id = ?1",
        params![id, now_utc(), session.user().id, reason],
    )?;
    audit::append(
        &tx,
        &session.actor(),
        &NewEvent::new(AuditAction::DocumentRemove)
            .patient(h.patient_id, &mrn)
            .record("document", id.to_string())
            .detail("reason kept with the document"),
    )?;
    tx.commit()?;
    Ok(())
}

fn link_label(conn: &Connection, l: &DocumentLink) -> CoreResult<String> {
    let date = |s: Option<String>| {
        s.and_then(|s| PartialDate::parse(&s).ok())
            .map(|d| d.display())
    };
    let label = match l.target {
        LinkTarget::Trial => conn
            .query_row(
                "SELECT drug_name, start_date FROM med_trial WHERE id = ?1",
                [l.target_id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)),
            )
            .optional()?
            .map(|(drug, start)| match date(start) {
                Some(d) => format!("Medication trial: {drug} ({d})"),
                None => format!("Medication trial: {drug}"),
            }),
        LinkTarget::Episode | LinkTarget::Course => {
            let key = if l.target == LinkTarget::Episode {
                "$.onset"
            } else {
                "$.startDate"
            };
            conn.query_row(
                "SELECT json_extract(body, ?2) FROM clinical_record WHERE id = ?1",
                params![l.target_id, key],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .map(|d| match date(d) {
                Some(d) => format!("{} from {d}", l.target.label()),
                None => l.target.label().to_string(),
            })
        }
        LinkTarget::Coverage => conn
            .query_row(
                "SELECT p.name FROM clinical_record r \
                 LEFT JOIN payer p ON p.id = json_extract(r.body, '$.payerId') WHERE r.id = ?1",
                [l.target_id],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .map(|p| match p {
                Some(p) => format!("Coverage: {p}"),
                None => "Coverage".to_string(),
            }),
        LinkTarget::PaRequest => Some(format!("Authorization request #{}", l.target_id)),
    };
    let mut label = label.unwrap_or_else(|| format!("{} #{}", l.target.label(), l.target_id));
    if let Some(p) = l.page {
        label.push_str(&format!(", p. {p}"));
    }
    Ok(label)
}

fn links_of(conn: &Connection, id: i64) -> CoreResult<Vec<DocumentLink>> {
    let rows: Vec<(String, i64, Option<u32>)> = conn
        .prepare(
            "SELECT target, target_id, page FROM document_link WHERE document_id = ?1 \
             ORDER BY target, target_id",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(t, target_id, page)| {
            Ok(DocumentLink {
                target: LinkTarget::parse(&t).ok_or(CoreError::Crypto("unknown link target"))?,
                target_id,
                page,
            })
        })
        .collect()
}

fn load(conn: &Connection, id: i64) -> CoreResult<Document> {
    let mut d = conn
        .query_row(
            "SELECT d.id, d.patient_id, d.kind, d.media_type, d.sha256, d.size, d.page_count, \
             d.width, d.height, d.title, d.file_name, d.document_date, d.source, d.generated, \
             d.created_by, coalesce(u.display_name, ''), d.created_at \
             FROM document d LEFT JOIN app_user u ON u.id = d.created_by WHERE d.id = ?1",
            [id],
            |r| {
                let bad = |what: &str| {
                    rusqlite::Error::InvalidColumnType(0, what.into(), rusqlite::types::Type::Text)
                };
                let kind: String = r.get(2)?;
                let mt: String = r.get(3)?;
                let date: Option<String> = r.get(11)?;
                Ok(Document {
                    id: r.get(0)?,
                    patient_id: r.get(1)?,
                    kind: DocumentKind::parse(&kind).ok_or_else(|| bad("kind"))?,
                    media_type: MediaType::parse(&mt).ok_or_else(|| bad("media_type"))?,
                    sha256: r.get(4)?,
                    size: r.get::<_, i64>(5)?.max(0) as u64,
                    page_count: r.get(6)?,
                    width: r.get(7)?,
                    height: r.get(8)?,
                    title: r.get(9)?,
                    file_name: r.get(10)?,
                    document_date: match date {
                        Some(s) => Some(PartialDate::parse(&s).map_err(|_| bad("document_date"))?),
                        None => None,
                    },
                    source: r.get(12)?,
                    generated: r.get(13)?,
                    created_by: r.get(14)?,
                    created_by_name: r.get(15)?,
                    created_at: r.get(16)?,
                    links: Vec::new(),
                })
            },
        )
        .optional()?
        .ok_or(NOT_FOUND)?;
    d.links = links_of(conn, id)?
        .into_iter()
        .map(|link| {
            Ok(LinkDetail {
                label: link_label(conn, &link)?,
                link,
            })
        })
        .collect::<CoreResult<_>>()?;
    Ok(d)
}

/// Documents linked to a patient's records (live ones with at least one link), oldest document
/// date first, for packets and summaries.
pub fn linked_documents(conn: &Connection, patient_id: i64) -> CoreResult<Vec<DocumentRef>> {
    /// id, kind, title, document date, media type, pages.
    type Row = (i64, String, String, Option<String>, String, Option<u32>);
    let rows: Vec<Row> = conn
        .prepare(
            "SELECT id, kind, title, document_date, media_type, page_count FROM document d \
             WHERE patient_id = ?1 AND removed_at IS NULL \
               AND EXISTS (SELECT 1 FROM document_link l WHERE l.document_id = d.id) \
             ORDER BY coalesce(document_date, substr(created_at, 1, 10)), id",
        )?
        .query_map([patient_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(id, kind, title, date, mt, page_count)| {
            Ok(DocumentRef {
                id,
                kind: DocumentKind::parse(&kind)
                    .ok_or(CoreError::Crypto("unknown document kind"))?,
                title,
                document_date: date
                    .and_then(|s| PartialDate::parse(&s).ok())
                    .map(|d| d.display()),
                media_type: MediaType::parse(&mt)
                    .ok_or(CoreError::Crypto("unknown document media type"))?,
                page_count,
                links: links_of(conn, id)?,
            })
        })
        .collect()
}

/// [`linked_documents`] for a signed-in user who may read the clinical record.
pub fn linked(session: &Session, patient_id: i64) -> CoreResult<Vec<DocumentRef>> {
    session.require(Permission::ReadClinical)?;
    patient_mrn(session.conn(), patient_id)?;
    linked_documents(session.conn(), patient_id)
}

/// Each trial's source documents (with the page), for the trial table in the app.
pub fn trial_sources(session: &Session, patient_id: i64) -> CoreResult<Vec<TrialSource>> {
    session.require(Permission::ReadClinical)?;
    let mut out = Vec::new();
    for d in linked_documents(session.conn(), patient_id)? {
        for l in d.links.iter().filter(|l| l.target == LinkTarget::Trial) {
            out.push(TrialSource {
                trial_id: l.target_id,
                document_id: d.id,
                title: d.title.clone(),
                kind: d.kind,
                page: l.page,
            });
        }
    }
    Ok(out)
}
