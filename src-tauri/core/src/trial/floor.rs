//! The clinic's own minimum therapeutic dose per reference drug. The bundled floor is marked
//! "requires clinical review"; a provider may set a stricter or more lenient one (with a
//! reason), which then counts for every trial of that drug.

use rusqlite::{params, Connection, OptionalExtension};

use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::reference::drugs;
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

/// A reference drug with the floor in force.
#[derive(Debug, Clone, PartialEq)]
pub struct DrugFloor {
    pub drug_id: String,
    pub drug_name: String,
    pub unit: String,
    pub reference_floor: Option<f64>,
    pub strict_floor: Option<f64>,
    pub clinic_floor: Option<f64>,
    pub clinic_reason: Option<String>,
    pub clinic_updated_by: Option<String>,
    pub clinic_updated_at: Option<String>,
    /// False where the reference marks the figure unverified.
    pub verified: bool,
    pub rule: String,
}

pub(crate) fn clinic_floor(conn: &Connection, drug_id: &str) -> CoreResult<Option<f64>> {
    Ok(conn
        .query_row(
            "SELECT min_daily FROM drug_floor WHERE drug_id = ?1",
            [drug_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every reference drug with its bundled and clinic floors.
pub fn list(session: &Session) -> CoreResult<Vec<DrugFloor>> {
    session.require(Permission::ReadClinical)?;
    let reference = drugs::bundled()?;
    let mut out = Vec::new();
    for d in &reference.drugs {
        let row: Option<(f64, String, String, String)> = session
            .conn()
            .query_row(
                "SELECT min_daily, reason, updated_by, updated_at FROM drug_floor WHERE drug_id = ?1",
                [&d.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        out.push(DrugFloor {
            drug_id: d.id.clone(),
            drug_name: d.name.clone(),
            unit: d.unit.clone(),
            reference_floor: d.min_therapeutic,
            strict_floor: d.strict_min_therapeutic,
            clinic_floor: row.as_ref().map(|r| r.0),
            clinic_reason: row.as_ref().map(|r| r.1.clone()),
            clinic_updated_by: row.as_ref().map(|r| r.2.clone()),
            clinic_updated_at: row.map(|r| r.3),
            verified: d.verified,
            rule: d.rule.clone(),
        });
    }
    Ok(out)
}

/// Sets (or, with an empty `min_daily`, removes) the clinic's floor for a drug.
pub fn set(
    session: &mut Session,
    drug_id: &str,
    min_daily: &str,
    reason: &str,
) -> CoreResult<DrugFloor> {
    session.require(Permission::SignClinical)?;
    let reference = drugs::bundled()?;
    let drug = reference.get(drug_id).ok_or(CoreError::NotFound {
        what: "The medication",
    })?;
    let mut e = ValidationErrors::new();
    let value = match min_daily.trim() {
        "" => None,
        s => match s.replace(',', ".").parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 => {
                if drug.max_daily.is_some_and(|m| v > m) {
                    e.add(
                        "minDaily",
                        format!(
                            "The minimum cannot be above the maximum daily dose ({} {})",
                            drug.max_daily.unwrap_or_default(),
                            drug.unit
                        ),
                    );
                }
                Some(v)
            }
            _ => {
                e.add(
                    "minDaily",
                    format!(
                        "Enter the minimum daily dose in {} as a number more than 0",
                        drug.unit
                    ),
                );
                None
            }
        },
    };
    let mut reason_errors = ValidationErrors::new();
    let reason = crate::record::check::required_line(
        &mut reason_errors,
        "reason",
        "The reason",
        reason,
        500,
    );
    if value.is_some() {
        e.0.extend(reason_errors.0);
    }
    e.into_result()?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    match value {
        Some(v) => tx.execute(
            "INSERT INTO drug_floor (drug_id, min_daily, reason, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT(drug_id) DO UPDATE SET min_daily = ?2, reason = ?3, updated_by = ?4, updated_at = ?5",
            params![drug.id, v, reason, actor.username, now_utc()],
        )?,
        None => tx.execute("DELETE FROM drug_floor WHERE drug_id = ?1", [&drug.id])?,
    };
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::DrugFloorChange).record("drug", drug.id.clone()),
    )?;
    tx.commit()?;
    list(session)?
        .into_iter()
        .find(|f| f.drug_id == drug.id)
        .ok_or(CoreError::NotFound {
            what: "The medication",
        })
}
