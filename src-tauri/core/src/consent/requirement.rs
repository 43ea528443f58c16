//! Which consents each treatment requires before the first session of a course. Defaults come
//! with the bundled templates (ketamine → the off-label consent; Spravato → its treatment
//! consent; TMS → its consent; each with the privacy-notice acknowledgement); admins change them.

use rusqlite::{params, Connection};

use super::template::{self, ensure_seeded};
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::CoreResult;
use crate::session::Session;
use crate::treatment::Modality;
use crate::validation::ValidationErrors;

/// The templates required for one treatment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub modality: Modality,
    pub template_keys: Vec<String>,
}

/// The template keys required for `modality` (no permission check: for rules).
pub(crate) fn for_modality(conn: &Connection, modality: Modality) -> CoreResult<Vec<String>> {
    ensure_seeded(conn)?;
    let mut st = conn.prepare(
        "SELECT template_key FROM consent_requirement WHERE modality = ?1 ORDER BY position, template_key",
    )?;
    let rows = st.query_map([modality.as_str()], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn all(conn: &Connection) -> CoreResult<Vec<Requirement>> {
    Modality::ALL
        .into_iter()
        .map(|m| {
            Ok(Requirement {
                modality: m,
                template_keys: for_modality(conn, m)?,
            })
        })
        .collect()
}

/// Every treatment with its required consents (admins, and staff who prepare consents).
pub fn list(session: &Session) -> CoreResult<Vec<Requirement>> {
    if !session.can(Permission::ManageSettings) {
        session.require(Permission::ManageDocuments)?;
    }
    all(session.conn())
}

/// Replaces the requirements of each treatment listed (others stay). Admins.
pub fn set(session: &mut Session, items: &[Requirement]) -> CoreResult<Vec<Requirement>> {
    session.require(Permission::ManageSettings)?;
    let templates = template::current_all(session.conn())?;
    let mut e = ValidationErrors::new();
    for (i, item) in items.iter().enumerate() {
        if items[..i].iter().any(|o| o.modality == item.modality) {
            e.add(
                &format!("items.{i}.modality"),
                format!("{} is listed twice", item.modality.label()),
            );
        }
        for key in &item.template_keys {
            if !templates.iter().any(|t| &t.key == key) {
                e.add(
                    &format!("items.{i}.templateKeys"),
                    format!("There is no consent template \"{key}\""),
                );
            }
        }
    }
    e.into_result()?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    for item in items {
        tx.execute(
            "DELETE FROM consent_requirement WHERE modality = ?1",
            [item.modality.as_str()],
        )?;
        for (position, key) in item.template_keys.iter().enumerate() {
            tx.execute(
                "INSERT OR IGNORE INTO consent_requirement (modality, template_key, position) VALUES (?1, ?2, ?3)",
                params![item.modality.as_str(), key, position as i64],
            )?;
        }
    }
    let changed: Vec<&str> = items.iter().map(|i| i.modality.as_str()).collect();
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::ConsentRequirementsUpdate).detail(changed.join(",")),
    )?;
    tx.commit()?;
    all(session.conn())
}
