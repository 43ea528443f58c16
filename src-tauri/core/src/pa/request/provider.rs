//! What only a provider may put on a request: an attestation (a statement some payer criteria
//! accept in place of a chart fact) and the reason to finalize a packet that still has gaps
//! (decisions.md "PDFs"). Who and when are stamped by the core from the signed-in provider,
//! never taken from the form.

use super::store::{audit_change, bump, for_change, load, to_json};
use super::{Attestation, AttestationKind, Request};
use crate::access::Permission;
use crate::audit::AuditAction;
use crate::error::{CoreError, CoreResult};
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

const REASON_MIN: usize = 10;
const REASON_MAX: usize = 1000;

fn not_after_submission(r: &Request, what: &str) -> CoreResult<()> {
    if r.status.is_open() {
        Ok(())
    } else {
        Err(CoreError::Conflict(format!(
            "This request is {}: {what} can only be recorded before it is submitted",
            r.status.label().to_lowercase()
        )))
    }
}

/// Records the signed-in provider's attestation of `kind`, replacing an earlier one of the
/// same kind. Only before the request is submitted.
pub fn add_attestation(
    session: &mut Session,
    id: i64,
    expected_version: i64,
    kind: AttestationKind,
) -> CoreResult<Request> {
    session.require(Permission::SignClinical)?;
    let actor = session.actor();
    let user = session.user().clone();
    let tx = session.conn_mut().transaction()?;
    let current = for_change(&tx, id, expected_version)?;
    not_after_submission(&current, "an attestation")?;
    let mut list: Vec<Attestation> = current
        .attestations
        .into_iter()
        .filter(|a| a.kind != kind)
        .collect();
    list.push(Attestation {
        kind,
        by: user.id,
        by_name: user.display_name,
        at: now_utc(),
    });
    tx.execute(
        "UPDATE pa_request SET attestations = ?2 WHERE id = ?1",
        rusqlite::params![id, to_json(&list)?],
    )?;
    bump(&tx, id, expected_version)?;
    audit_change(
        &tx,
        &actor,
        AuditAction::PaAttestation,
        current.patient_id,
        id,
        Some(kind.as_str().into()),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}

/// Records the signed-in provider's reason to finalize the packet with gaps (10 to 1000
/// characters), replacing an earlier one. Only before the request is submitted.
pub fn set_override(
    session: &mut Session,
    id: i64,
    expected_version: i64,
    reason: &str,
) -> CoreResult<Request> {
    session.require(Permission::SignClinical)?;
    let actor = session.actor();
    let user_id = session.user().id;
    let tx = session.conn_mut().transaction()?;
    let current = for_change(&tx, id, expected_version)?;
    not_after_submission(&current, "an override reason")?;
    let reason = reason.replace("\r\n", "\n").trim().to_string();
    let n = reason.chars().count();
    let mut e = ValidationErrors::new();
    if reason
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        e.add(
            "overrideReason",
            "The reason contains characters that cannot be stored",
        );
    } else if n < REASON_MIN {
        e.add(
            "overrideReason",
            format!("Say why the packet may go with its gaps (at least {REASON_MIN} characters)"),
        );
    } else if n > REASON_MAX {
        e.add(
            "overrideReason",
            format!("The reason must be {REASON_MAX} characters or fewer"),
        );
    }
    e.into_result()?;
    tx.execute(
        "UPDATE pa_request SET override_reason = ?2, override_by = ?3, override_at = ?4 WHERE id = ?1",
        rusqlite::params![id, reason, user_id, now_utc()],
    )?;
    bump(&tx, id, expected_version)?;
    audit_change(
        &tx,
        &actor,
        AuditAction::PaRequestUpdate,
        current.patient_id,
        id,
        Some("override reason".into()),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}
