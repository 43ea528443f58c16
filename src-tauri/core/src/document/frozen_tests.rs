//! Stored documents are frozen by the database itself: direct SQL (as someone with the key and
//! an SQLite shell could run) cannot change or delete bytes, delete a document, change what a
//! document is, or touch a signed form or its links; and bytes altered with the triggers
//! dropped are refused on every read instead of being served.

use chrono::NaiveDate;
use rusqlite::params;

use super::{
    content, content_for_export, export, import, remove, store_generated_alone, update_meta,
    DocumentImportInput, DocumentKind, DocumentLink, DocumentMeta, GeneratedDocument, LinkTarget,
};
use crate::clinic::ClinicSetup;
use crate::date_input::DateParts;
use crate::error::CoreError;
use crate::patient::{self, PatientInput};
use crate::trial::{self, DoseInput, TrialInput};
use crate::user::{manage, Role};
use crate::vault::{KdfParams, VaultDir};

const PASS: &str = "copper kettle moonlit harbour";

/// A one-page PDF showing `text`.
fn pdf(text: &str) -> Vec<u8> {
    use lopdf::{dictionary, Object, Stream};
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let c = doc.add_object(Stream::new(
        dictionary! {},
        format!("BT 72 720 Td ({text}) Tj ET").into_bytes(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => c,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![Object::Reference(page)], "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn refused(conn: &rusqlite::Connection, sql: &str, id: i64) {
    let e = conn.execute(sql, [id]).unwrap_err();
    assert!(e.to_string().contains("cannot"), "{sql}: {e}");
}

#[test]
fn the_database_refuses_to_alter_stored_documents_and_reads_recheck_the_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let mut s = VaultDir::new(tmp.path().join("vault"))
        .create(
            &ClinicSetup {
                clinic_name: "C".into(),
                admin_display_name: "Dr A".into(),
                admin_username: "doc".into(),
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap()
        .session;
    let me = s.user().id;
    manage::set_roles(&mut s, me, &[Role::Admin, Role::Provider]).unwrap();
    let pid = patient::create(
        &mut s,
        &PatientInput {
            given_name: "A".into(),
            family_name: "B".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()),
            ..Default::default()
        },
        today,
    )
    .unwrap()
    .id
    .0;
    let trial = trial::create(
        &mut s,
        pid,
        &TrialInput {
            drug: "Zoloft".into(),
            role: "monotherapy".into(),
            start_date: "2026-01-05".into(),
            stop_date: "2026-03-30".into(),
            doses: vec![DoseInput {
                from: "2026-01-05".into(),
                daily: "150".into(),
            }],
            outcome: "no_response".into(),
            current_episode: true,
            ..Default::default()
        },
        today,
    )
    .unwrap()
    .id;
    let path = tmp.path().join("fills.pdf");
    std::fs::write(&path, pdf("fills")).unwrap();
    let d = import(
        &s,
        &DocumentImportInput {
            patient_id: pid,
            path: path.to_string_lossy().into_owned(),
            kind: DocumentKind::PharmacyHistory,
            title: "Fills".into(),
            document_date: "2025".into(),
            source: String::new(),
            links: vec![],
        },
        today,
    )
    .unwrap();
    let signed = pdf("signed");
    let consent = store_generated_alone(
        &s,
        GeneratedDocument {
            patient_id: pid,
            kind: DocumentKind::Consent,
            title: "Consent",
            document_date: "2026-11-20",
            source: "Signed in KetaChart",
            bytes: &signed,
            links: &[DocumentLink {
                target: LinkTarget::Trial,
                target_id: trial,
                page: None,
            }],
        },
    )
    .unwrap();

    let c = s.conn();
    let blob_of = "(SELECT sha256 FROM document WHERE id = ?1)";
    for sql in [
        format!("UPDATE document_blob SET bytes = x'00' WHERE sha256 = {blob_of}"),
        format!("UPDATE document_blob SET sha256 = sha256 WHERE sha256 = {blob_of}"),
        format!("DELETE FROM document_blob WHERE sha256 = {blob_of}"),
        "DELETE FROM document WHERE id = ?1".into(),
        "UPDATE document SET size = size + 1 WHERE id = ?1".into(),
        "UPDATE document SET page_count = 2 WHERE id = ?1".into(),
        "UPDATE document SET generated = 1 WHERE id = ?1".into(),
        "UPDATE document SET patient_id = patient_id + 1 WHERE id = ?1".into(),
        "UPDATE document SET created_at = '2020-01-01T00:00:00Z' WHERE id = ?1".into(),
    ] {
        refused(c, &sql, d.id);
    }
    // A signed form: nothing changes, it is not removed, its links stay.
    for sql in [
        "UPDATE document SET title = 'changed' WHERE id = ?1",
        "UPDATE document SET removed_at = 'x', removed_by = created_by, removed_reason = 'x' WHERE id = ?1",
        "DELETE FROM document WHERE id = ?1",
        "DELETE FROM document_link WHERE document_id = ?1",
        "UPDATE document_link SET page = 1 WHERE document_id = ?1",
        "UPDATE document_link SET target_id = target_id + 1 WHERE document_id = ?1",
    ] {
        refused(c, sql, consent);
    }

    // The core's own changes still work: details and removal of an imported document.
    update_meta(
        &s,
        d.id,
        &DocumentMeta {
            kind: DocumentKind::OutsideRecords,
            title: "Renamed".into(),
            document_date: "2025".into(),
            source: String::new(),
        },
        today,
    )
    .unwrap();
    assert_eq!(content(&s, d.id).unwrap().bytes.len() as u64, d.size);

    // With the trigger dropped (a determined attacker), altered bytes are refused on every
    // read: the viewer, an export, a packet's merge.
    c.execute_batch("DROP TRIGGER document_blob_is_frozen")
        .unwrap();
    c.execute(
        &format!("UPDATE document_blob SET bytes = ?2 WHERE sha256 = {blob_of}"),
        params![d.id, pdf("forged")],
    )
    .unwrap();
    let altered = |e: CoreError| match e {
        CoreError::Conflict(m) => assert_eq!(m, super::store::ALTERED),
        other => panic!("expected a conflict, got {other:?}"),
    };
    altered(content(&s, d.id).unwrap_err());
    altered(content_for_export(c, d.id).unwrap_err());
    let target = tmp.path().join("out.pdf");
    altered(export(&s, d.id, &target.to_string_lossy()).unwrap_err());
    assert!(!target.exists());
    // The untouched consent still reads.
    assert_eq!(content(&s, consent).unwrap().bytes, signed);

    // Removal still works; a removed document is then frozen as removed.
    remove(&s, d.id, "Forged copy").unwrap();
    refused(
        c,
        "UPDATE document SET removed_at = NULL, removed_by = NULL, removed_reason = NULL WHERE id = ?1",
        d.id,
    );
}
