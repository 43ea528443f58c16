//! Safety alerts: raised with the score that caused them, shown on the patient and in a
//! clinic-wide list, and open until a provider acknowledges them with a documented action,
//! re-entering their passphrase. The acknowledgement is hashed like a signature and audited;
//! an acknowledged alert never changes (the database refuses).

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::record::patient_mrn;
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::user::manage::confirm_passphrase;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertLevel {
    /// A safety item answered above 0 (PHQ-9 item 9).
    Flag,
    Moderate,
    High,
}

impl AlertLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertLevel::Flag => "flag",
            AlertLevel::Moderate => "moderate",
            AlertLevel::High => "high",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "flag" => Some(AlertLevel::Flag),
            "moderate" => Some(AlertLevel::Moderate),
            "high" => Some(AlertLevel::High),
            _ => None,
        }
    }
}

/// What the acknowledging clinician did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckAction {
    SafetyPlan,
    RiskAssessment,
    Referral,
    Emergency,
}

impl AckAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AckAction::SafetyPlan => "safety_plan",
            AckAction::RiskAssessment => "risk_assessment",
            AckAction::Referral => "referral",
            AckAction::Emergency => "emergency",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "safety_plan" => Some(AckAction::SafetyPlan),
            "risk_assessment" => Some(AckAction::RiskAssessment),
            "referral" => Some(AckAction::Referral),
            "emergency" => Some(AckAction::Emergency),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AckAction::SafetyPlan => "Safety plan made or reviewed",
            AckAction::RiskAssessment => "Suicide risk assessment done",
            AckAction::Referral => "Referred",
            AckAction::Emergency => "Emergency response",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Acknowledgement {
    pub at: String,
    pub by: String,
    pub by_name: String,
    pub action: AckAction,
    pub note: Option<String>,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SafetyAlert {
    pub id: i64,
    pub patient_id: i64,
    pub patient_mrn: String,
    /// `FAMILY, Given`, for the clinic-wide list.
    pub patient_name: String,
    pub administration_id: i64,
    pub instrument_name: String,
    pub administered_at: String,
    pub level: AlertLevel,
    pub reason: String,
    pub raised_at: String,
    pub acknowledged: Option<Acknowledgement>,
}

pub(crate) fn raise(
    conn: &Connection,
    patient_id: i64,
    administration_id: i64,
    level: AlertLevel,
    reason: &str,
) -> CoreResult<()> {
    conn.execute(
        "INSERT INTO safety_alert (patient_id, administration_id, level, reason, raised_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            patient_id,
            administration_id,
            level.as_str(),
            reason,
            now_utc()
        ],
    )?;
    Ok(())
}

const SELECT: &str = "SELECT a.id, a.patient_id, p.mrn, p.family_name, p.given_name, a.administration_id, \
    s.instrument, s.administered_at, a.level, a.reason, a.raised_at, a.acknowledged_at, a.acknowledged_by, \
    a.acknowledged_by_name, a.action, a.note, a.ack_sha256 \
    FROM safety_alert a JOIN patient p ON p.id = a.patient_id \
    JOIN score_administration s ON s.id = a.administration_id";

/// Every open alert in the clinic, oldest first (the longest-waiting at the top).
pub fn open(session: &Session) -> CoreResult<Vec<SafetyAlert>> {
    session.require(Permission::ReadClinical)?;
    query(
        session.conn(),
        &format!("{SELECT} WHERE a.acknowledged_at IS NULL ORDER BY a.raised_at, a.id"),
        params![],
    )
}

/// A patient's alerts, open and acknowledged, newest first.
pub fn for_patient(session: &Session, patient_id: i64) -> CoreResult<Vec<SafetyAlert>> {
    session.require(Permission::ReadClinical)?;
    patient_mrn(session.conn(), patient_id)?;
    query(
        session.conn(),
        &format!("{SELECT} WHERE a.patient_id = ?1 ORDER BY a.raised_at DESC, a.id DESC"),
        params![patient_id],
    )
}

fn query(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
) -> CoreResult<Vec<SafetyAlert>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt
        .query_map(args, from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().collect()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<CoreResult<SafetyAlert>> {
    let level: String = r.get(8)?;
    let action: Option<String> = r.get(14)?;
    let instrument: String = r.get(6)?;
    let family: String = r.get(3)?;
    let given: String = r.get(4)?;
    let acknowledged_at: Option<String> = r.get(11)?;
    let ack = match (acknowledged_at, action) {
        (Some(at), Some(action)) => Some((
            at,
            r.get::<_, Option<String>>(12)?.unwrap_or_default(),
            r.get::<_, Option<String>>(13)?.unwrap_or_default(),
            action,
            r.get::<_, Option<String>>(15)?,
            r.get::<_, Option<String>>(16)?.unwrap_or_default(),
        )),
        _ => None,
    };
    let base = (
        r.get::<_, i64>(0)?,
        r.get::<_, i64>(1)?,
        r.get::<_, String>(2)?,
        r.get::<_, i64>(5)?,
        r.get::<_, String>(7)?,
        r.get::<_, String>(9)?,
        r.get::<_, String>(10)?,
    );
    Ok((|| {
        let bad = || CoreError::Crypto("a stored safety alert is not readable");
        let instrument_name = crate::scales::bundled()?
            .get(&instrument)
            .map(|i| i.short_name.clone())
            .unwrap_or(instrument);
        let acknowledged = match ack {
            Some((at, by, by_name, action, note, sha256)) => Some(Acknowledgement {
                at,
                by,
                by_name,
                action: AckAction::parse(&action).ok_or_else(bad)?,
                note,
                sha256,
            }),
            None => None,
        };
        Ok(SafetyAlert {
            id: base.0,
            patient_id: base.1,
            patient_mrn: base.2,
            patient_name: format!("{}, {}", family.to_uppercase(), given),
            administration_id: base.3,
            instrument_name,
            administered_at: base.4,
            level: AlertLevel::parse(&level).ok_or_else(bad)?,
            reason: base.5,
            raised_at: base.6,
            acknowledged,
        })
    })())
}

/// Acknowledges an open alert with what was done, confirmed by the provider's passphrase.
pub fn acknowledge(
    session: &mut Session,
    alert_id: i64,
    action: Option<AckAction>,
    note: Option<&str>,
    passphrase: &str,
) -> CoreResult<SafetyAlert> {
    session.require(Permission::SignClinical)?;
    let mut e = ValidationErrors::new();
    if action.is_none() {
        e.add("action", "Select what was done about this alert");
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 2000) {
        e.add("note", "The note must be 2,000 characters or fewer");
    }
    e.into_result()?;
    let Some(action) = action else {
        return Err(CoreError::Crypto(
            "a checked acknowledgement lost its action",
        ));
    };
    let current: Option<(i64, Option<String>)> = session
        .conn()
        .query_row(
            "SELECT patient_id, acknowledged_at FROM safety_alert WHERE id = ?1",
            [alert_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((patient_id, acknowledged_at)) = current else {
        return Err(CoreError::NotFound {
            what: "The safety alert",
        });
    };
    if acknowledged_at.is_some() {
        return Err(CoreError::Conflict(
            "This alert has already been acknowledged".into(),
        ));
    }
    confirm_passphrase(session, "passphrase", passphrase)?;
    let (username, display_name) = (
        session.user().username.clone(),
        session.user().display_name.clone(),
    );
    let actor = session.actor();
    let at = now_utc();
    let hash = crate::record::canonical::content_hash(&serde_json::json!({
        "alert": alert_id,
        "action": action.as_str(),
        "note": note,
        "at": at,
        "by": username,
    }));
    let tx = session.conn_mut().transaction()?;
    let changed = tx.execute(
        "UPDATE safety_alert SET acknowledged_at = ?2, acknowledged_by = ?3, acknowledged_by_name = ?4, \
         action = ?5, note = ?6, ack_sha256 = ?7 WHERE id = ?1 AND acknowledged_at IS NULL",
        params![alert_id, at, username, display_name, action.as_str(), note, hash],
    )?;
    if changed != 1 {
        return Err(CoreError::Conflict(
            "This alert was acknowledged by someone else just now".into(),
        ));
    }
    let mrn = patient_mrn(&tx, patient_id)?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::AlertAcknowledge)
            .patient(patient_id, &mrn)
            .record("safety_alert", alert_id.to_string())
            .detail(action.as_str()),
    )?;
    tx.commit()?;
    let mut all = query(
        session.conn(),
        &format!("{SELECT} WHERE a.id = ?1"),
        params![alert_id],
    )?;
    all.pop().ok_or(CoreError::NotFound {
        what: "The safety alert",
    })
}
