//! Tampering with the log directly in SQL (as someone with the key and an SQLite shell could)
//! must be found by `verify`, which must say where.

use super::verify::verify_conn;
use super::{AuditAction, NewEvent};
use crate::clinic::ClinicSetup;
use crate::session::Session;
use crate::vault::{KdfParams, VaultDir};

const PASS: &str = "copper kettle moonlit harbour";

fn session_with_entries(n: usize) -> (tempfile::TempDir, Session) {
    let tmp = tempfile::tempdir().unwrap();
    let setup = ClinicSetup {
        clinic_name: "Clinic".into(),
        admin_display_name: "Admin".into(),
        admin_username: "admin".into(),
        passphrase: PASS.into(),
        passphrase_confirmation: PASS.into(),
    };
    let s = VaultDir::new(tmp.path())
        .create(&setup, KdfParams::FAST_FOR_TESTS)
        .unwrap()
        .session;
    for i in 0..n {
        s.audit(NewEvent::new(AuditAction::PatientView).record("patient", format!("KC-{i}")))
            .unwrap();
    }
    (tmp, s)
}

/// seq, at, user_id, username, action, patient_id, record_type, record_id, detail
type ChainRow = (
    i64,
    String,
    Option<i64>,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn unprotect(s: &Session) {
    s.conn()
        .execute_batch(
            "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete; \
             DROP TRIGGER audit_checkpoint_no_update; DROP TRIGGER audit_checkpoint_no_delete;",
        )
        .unwrap();
}

fn problems(s: &Session) -> Vec<(Option<i64>, String)> {
    verify_conn(s.conn())
        .unwrap()
        .problems
        .into_iter()
        .map(|p| (p.seq, p.message))
        .collect()
}

#[test]
fn an_untouched_log_verifies_with_checkpoints() {
    let (_t, s) = session_with_entries(250);
    let r = verify_conn(s.conn()).unwrap();
    assert!(r.is_intact(), "{:?}", r.problems);
    assert!(r.entries >= 252, "setup + login + 250");
    assert_eq!(r.checkpoints, r.entries / 100);
}

#[test]
fn the_log_refuses_updates_and_deletes_through_sql() {
    let (_t, s) = session_with_entries(3);
    let e = s
        .conn()
        .execute("UPDATE audit_event SET action = 'x' WHERE seq = 2", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    assert!(s
        .conn()
        .execute("DELETE FROM audit_event WHERE seq = 2", [])
        .is_err());
    assert!(verify_conn(s.conn()).unwrap().is_intact());
}

#[test]
fn an_edited_entry_is_found() {
    let (_t, s) = session_with_entries(10);
    unprotect(&s);
    s.conn()
        .execute(
            "UPDATE audit_event SET username = 'someone-else' WHERE seq = 5",
            [],
        )
        .unwrap();
    let p = problems(&s);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, Some(5));
    assert!(p[0].1.contains("Entry 5 was changed"), "{p:?}");
}

#[test]
fn a_deleted_entry_is_found() {
    let (_t, s) = session_with_entries(10);
    unprotect(&s);
    s.conn()
        .execute("DELETE FROM audit_event WHERE seq = 6", [])
        .unwrap();
    let p = problems(&s);
    assert!(
        p.iter()
            .any(|(seq, m)| *seq == Some(6) && m.contains("Entry 6 is missing")),
        "{p:?}"
    );
}

#[test]
fn deleting_the_last_entries_is_found() {
    let (_t, s) = session_with_entries(10);
    let last: i64 = s
        .conn()
        .query_row("SELECT max(seq) FROM audit_event", [], |r| r.get(0))
        .unwrap();
    unprotect(&s);
    s.conn()
        .execute("DELETE FROM audit_event WHERE seq > ?1", [last - 2])
        .unwrap();
    let p = problems(&s);
    assert!(
        p.iter()
            .any(|(_, m)| m.contains("the last entries were deleted")),
        "{p:?}"
    );
}

#[test]
fn an_inserted_entry_is_found() {
    let (_t, s) = session_with_entries(10);
    unprotect(&s);
    // Make room at 4 by renumbering the later entries, then insert a forged entry that even
    // chains correctly to entry 3.
    s.conn()
        .execute_batch(
            "UPDATE audit_event SET seq = seq + 1000 WHERE seq >= 4; \
             UPDATE audit_event SET seq = seq - 999 WHERE seq >= 1000;",
        )
        .unwrap();
    let prev: String = s
        .conn()
        .query_row("SELECT hash FROM audit_event WHERE seq = 3", [], |r| {
            r.get(0)
        })
        .unwrap();
    let f = super::chain::Fields {
        seq: 4,
        at: "2026-11-21T09:00:00.000Z",
        user_id: Some(1),
        username: "admin",
        action: "patient.view",
        patient_id: None,
        record_type: None,
        record_id: None,
        detail: None,
    };
    let h = super::chain::entry_hash(&f, &prev);
    s.conn()
        .execute(
            "INSERT INTO audit_event (seq, at, user_id, username, action, prev_hash, hash) \
             VALUES (4, ?1, 1, 'admin', 'patient.view', ?2, ?3)",
            rusqlite::params![f.at, prev, h],
        )
        .unwrap();
    let p = problems(&s);
    assert!(
        p.iter()
            .any(|(seq, m)| *seq == Some(5) && m.contains("Entry 5")),
        "the entry after the forged one no longer fits: {p:?}"
    );
    assert!(
        p.iter().any(|(_, m)| m.contains("added outside KetaChart")),
        "the log is longer than the head says: {p:?}"
    );
}

#[test]
fn reordered_entries_are_found() {
    let (_t, s) = session_with_entries(10);
    unprotect(&s);
    s.conn()
        .execute_batch(
            "UPDATE audit_event SET seq = 100000 WHERE seq = 6; \
             UPDATE audit_event SET seq = 6 WHERE seq = 7; \
             UPDATE audit_event SET seq = 7 WHERE seq = 100000;",
        )
        .unwrap();
    let p = problems(&s);
    assert!(
        p.iter()
            .any(|(seq, m)| *seq == Some(6) && m.contains("out of order")),
        "{p:?}"
    );
}

#[test]
fn a_rewritten_tail_is_caught_by_its_checkpoint() {
    let (_t, s) = session_with_entries(120);
    unprotect(&s);
    // Rewrite entry 100 and recompute the whole chain from there, head included: only the
    // checkpoint taken when entry 100 was written still remembers the original.
    s.conn()
        .execute(
            "UPDATE audit_event SET detail = 'forged' WHERE seq = 100",
            [],
        )
        .unwrap();
    let rows: Vec<ChainRow> = {
        let mut st = s
            .conn()
            .prepare("SELECT seq, at, user_id, username, action, patient_id, record_type, record_id, detail FROM audit_event WHERE seq >= 100 ORDER BY seq")
            .unwrap();
        st.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let mut prev: String = s
        .conn()
        .query_row("SELECT hash FROM audit_event WHERE seq = 99", [], |r| {
            r.get(0)
        })
        .unwrap();
    for (seq, at, uid, user, action, pid, rt, rid, detail) in rows {
        let f = super::chain::Fields {
            seq,
            at: &at,
            user_id: uid,
            username: &user,
            action: &action,
            patient_id: pid,
            record_type: rt.as_deref(),
            record_id: rid.as_deref(),
            detail: detail.as_deref(),
        };
        let h = super::chain::entry_hash(&f, &prev);
        s.conn()
            .execute(
                "UPDATE audit_event SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
                rusqlite::params![seq, prev, h],
            )
            .unwrap();
        s.conn()
            .execute(
                "UPDATE vault_meta SET audit_head_hash = ?1 WHERE audit_head_seq = ?2",
                rusqlite::params![h, seq],
            )
            .unwrap();
        prev = h;
    }
    let p = problems(&s);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, Some(100));
    assert!(p[0].1.contains("checkpoint"), "{p:?}");
}
