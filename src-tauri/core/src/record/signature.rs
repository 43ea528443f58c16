//! Sign & lock. A provider re-enters their passphrase; the record's content is frozen with the
//! SHA-256 of its canonical form, their name and the time. Later changes are signed addenda that
//! leave the original as it was. The database refuses any change to a signed row as well.

use rusqlite::params;

use super::canonical;
use super::store::{load, patient_mrn};
use super::Record;
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::user::manage::confirm_passphrase;
use crate::validation::ValidationErrors;

/// Signs the draft as it was at `expected_version`.
pub fn sign(
    session: &mut Session,
    id: i64,
    expected_version: i64,
    passphrase: &str,
) -> CoreResult<Record> {
    session.require(Permission::SignClinical)?;
    let current = load(session.conn(), id)?;
    let kind = current.body.kind();
    if !kind.is_signable() {
        return Err(CoreError::Conflict(format!(
            "A {} is not signed",
            kind.label()
        )));
    }
    if current.signature.is_some() {
        return Err(CoreError::Conflict(format!(
            "This {} is already signed",
            kind.label()
        )));
    }
    if current.version != expected_version {
        return Err(CoreError::Conflict(format!(
            "This {} changed since you opened it. Review the current version, then sign",
            kind.label()
        )));
    }
    current.body.ready_to_sign()?;
    if let super::RecordBody::Session(s) = &current.body {
        crate::treatment::ready_to_sign(
            session.conn(),
            current.patient_id,
            id,
            s,
            crate::treatment::local_now(),
        )?;
    }
    confirm_passphrase(session, "passphrase", passphrase)?;
    let (username, display_name) = (
        session.user().username.clone(),
        session.user().display_name.clone(),
    );
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let text: String = tx.query_row(
        "SELECT body FROM clinical_record WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|_| CoreError::Crypto("a stored clinical record is not readable"))?;
    let hash = canonical::content_hash(&value);
    let changed = tx.execute(
        "UPDATE clinical_record SET signed_at = ?2, signed_by = ?3, signed_by_name = ?4, content_sha256 = ?5 \
         WHERE id = ?1 AND version = ?6 AND signed_at IS NULL",
        params![id, now_utc(), username, display_name, hash, expected_version],
    )?;
    if changed != 1 {
        return Err(CoreError::Conflict(format!(
            "This {} changed while you were signing it",
            kind.label()
        )));
    }
    let mrn = patient_mrn(&tx, current.patient_id)?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::RecordSign)
            .patient(current.patient_id, &mrn)
            .record(kind.as_str(), id.to_string()),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}

/// Adds a signed addendum to a signed record.
pub fn add_addendum(
    session: &mut Session,
    id: i64,
    text: &str,
    passphrase: &str,
) -> CoreResult<Record> {
    session.require(Permission::SignClinical)?;
    let current = load(session.conn(), id)?;
    let Some(sig) = &current.signature else {
        return Err(CoreError::Conflict(
            "Only a signed record takes addenda; edit the draft instead".into(),
        ));
    };
    let mut e = ValidationErrors::new();
    let text = super::check::optional_text(
        &mut e,
        "text",
        "The addendum",
        &Some(text.to_string()),
        20_000,
    );
    if text.is_none() && !e.has("text") {
        e.add("text", "Enter the addendum");
    }
    e.into_result()?;
    let text = text.unwrap_or_default();
    confirm_passphrase(session, "passphrase", passphrase)?;
    let (username, display_name) = (
        session.user().username.clone(),
        session.user().display_name.clone(),
    );
    let actor = session.actor();
    let hash = canonical::addendum_hash(&sig.sha256, &text);
    let tx = session.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO record_addendum (record_id, text, signed_at, signed_by, signed_by_name, content_sha256) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, text, now_utc(), username, display_name, hash],
    )?;
    let mrn = patient_mrn(&tx, current.patient_id)?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::RecordAddendum)
            .patient(current.patient_id, &mrn)
            .record(current.body.kind().as_str(), id.to_string()),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}
