//! The letters on a request: the letter of medical necessity as edited before the packet goes
//! out (none = the generated one is used), and the appeal letter once the payer has denied.

use super::store::{audit_change, bump, for_change, load};
use super::{Request, RequestStatus};
use crate::access::Permission;
use crate::audit::AuditAction;
use crate::error::{CoreError, CoreResult};
use crate::record::check::optional_text;
use crate::session::Session;
use crate::validation::ValidationErrors;

/// Longest letter kept (about eight pages).
pub const LETTER_MAX: usize = 20_000;

fn clean(field: &str, label: &str, text: Option<String>) -> CoreResult<Option<String>> {
    let mut e = ValidationErrors::new();
    let v = optional_text(&mut e, field, label, &text, LETTER_MAX);
    e.into_result()?;
    Ok(v)
}

/// Keeps the edited letter of medical necessity (`None` or blank: use the generated one).
/// Only before the request is submitted.
pub fn set_letter(
    session: &mut Session,
    id: i64,
    expected_version: i64,
    letter: Option<String>,
) -> CoreResult<Request> {
    session.require(Permission::ManageAuthorizations)?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let current = for_change(&tx, id, expected_version)?;
    if !current.status.is_open() {
        return Err(CoreError::Conflict(format!(
            "This request is {}: the letter that went to the payer cannot change",
            current.status.label().to_lowercase()
        )));
    }
    let letter = clean("letter", "The letter", letter)?;
    tx.execute(
        "UPDATE pa_request SET letter = ?2 WHERE id = ?1",
        rusqlite::params![id, letter],
    )?;
    bump(&tx, id, expected_version)?;
    audit_change(
        &tx,
        &actor,
        AuditAction::PaRequestUpdate,
        current.patient_id,
        id,
        Some("letter".into()),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}

/// Keeps the appeal letter. Only once the payer has denied the request (or it is under appeal).
pub fn set_appeal_letter(
    session: &mut Session,
    id: i64,
    expected_version: i64,
    letter: Option<String>,
) -> CoreResult<Request> {
    session.require(Permission::ManageAuthorizations)?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let current = for_change(&tx, id, expected_version)?;
    if !matches!(
        current.status,
        RequestStatus::Denied | RequestStatus::Appealed
    ) {
        return Err(CoreError::Conflict(format!(
            "This request is {}: an appeal letter is written after a denial",
            current.status.label().to_lowercase()
        )));
    }
    let letter = clean("appealLetter", "The appeal letter", letter)?;
    tx.execute(
        "UPDATE pa_request SET appeal_letter = ?2 WHERE id = ?1",
        rusqlite::params![id, letter],
    )?;
    bump(&tx, id, expected_version)?;
    audit_change(
        &tx,
        &actor,
        AuditAction::PaRequestUpdate,
        current.patient_id,
        id,
        Some("appeal letter".into()),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}
