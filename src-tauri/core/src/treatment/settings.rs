//! The clinic's own treatment settings: protocol templates, dose limits, the weight check,
//! vital-sign timepoints, alert ranges and pre-dose hold thresholds. Until a provider changes
//! them they are the reference's defaults; a change is validated in full, stored as one
//! document and audited.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::modality::Modality;
use super::reference::{
    self, DoseLimits, HoldThreshold, HoldThresholds, Protocol, Ranges, Timepoints, WeightRule,
};
use crate::access::Permission;
use crate::audit::{AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TreatmentSettings {
    pub protocols: Vec<Protocol>,
    pub dose_limits: DoseLimits,
    pub weight: WeightRule,
    pub timepoints: Timepoints,
    pub alert_ranges: Ranges,
    pub hold_thresholds: HoldThresholds,
}

/// The settings in force and who last changed them (None: the reference's defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveSettings {
    pub settings: TreatmentSettings,
    pub changed_by: Option<String>,
    pub changed_at: Option<String>,
}

pub fn defaults() -> CoreResult<TreatmentSettings> {
    let r = reference::bundled()?;
    Ok(TreatmentSettings {
        protocols: r.protocols.clone(),
        dose_limits: r.dose_limits.clone(),
        weight: r.weight.clone(),
        timepoints: r.timepoints.clone(),
        alert_ranges: r.alert_ranges.clone(),
        hold_thresholds: r.hold_thresholds.clone(),
    })
}

pub(crate) fn load(conn: &Connection) -> CoreResult<EffectiveSettings> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT body, updated_by, updated_at FROM treatment_settings WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match row {
        None => Ok(EffectiveSettings {
            settings: defaults()?,
            changed_by: None,
            changed_at: None,
        }),
        Some((body, by, at)) => Ok(EffectiveSettings {
            settings: serde_json::from_str(&body)
                .map_err(|_| CoreError::Crypto("the stored treatment settings are not readable"))?,
            changed_by: Some(by),
            changed_at: Some(at),
        }),
    }
}

/// Anyone who charts or reads sessions needs the limits and ranges in force.
pub fn get(session: &Session) -> CoreResult<EffectiveSettings> {
    session.require(Permission::ReadClinical)?;
    load(session.conn())
}

/// Replaces the settings (providers: these are clinical decisions).
pub fn update(session: &mut Session, input: &TreatmentSettings) -> CoreResult<EffectiveSettings> {
    session.require(Permission::SignClinical)?;
    validate(input)?;
    let actor = session.actor();
    let text = serde_json::to_string(input)
        .map_err(|_| CoreError::Crypto("the treatment settings could not be encoded"))?;
    let tx = session.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO treatment_settings (id, body, updated_by, updated_at) VALUES (1, ?1, ?2, ?3) \
         ON CONFLICT(id) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
        params![text, actor.username, now_utc()],
    )?;
    crate::audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::TreatmentSettingsUpdate),
    )?;
    tx.commit()?;
    load(session.conn())
}

fn range_inside(e: &mut ValidationErrors, field: &str, what: &str, r: [u32; 2], limit: [u32; 2]) {
    if r[0] >= r[1] {
        e.add(
            field,
            format!("{what}: the low value must be below the high value"),
        );
    } else if r[0] < limit[0] || r[1] > limit[1] {
        e.add(
            field,
            format!("{what} must lie within {}–{}", limit[0], limit[1]),
        );
    }
}

fn hold_inside(e: &mut ValidationErrors, field: &str, t: &HoldThreshold, physio: &Ranges) {
    for (name, v, lim) in [
        ("systolic", t.systolic, physio.systolic),
        ("diastolic", t.diastolic, physio.diastolic),
        ("heartRate", t.heart_rate, physio.heart_rate),
    ] {
        if let Some(v) = v {
            if v < lim[0] || v > lim[1] {
                e.add(
                    &format!("{field}.{name}"),
                    format!("Enter a value between {} and {}", lim[0], lim[1]),
                );
            }
        }
    }
}

pub fn validate(s: &TreatmentSettings) -> Result<(), ValidationErrors> {
    let physio = &reference::bundled()
        .map_err(|_| ValidationErrors::single("settings", "The treatment reference is damaged"))?
        .physiological;
    let mut e = ValidationErrors::new();
    let d = &s.dose_limits;
    if !(d.warn_above_mg_per_kg > 0.0 && d.warn_above_mg_per_kg <= 2.0) {
        e.add(
            "doseLimits.warnAboveMgPerKg",
            "The warning limit must be above 0 and at most 2 mg/kg",
        );
    }
    if !(d.stop_above_mg_per_kg > d.warn_above_mg_per_kg && d.stop_above_mg_per_kg <= 3.0) {
        e.add(
            "doseLimits.stopAboveMgPerKg",
            "The hard stop must be above the warning limit and at most 3 mg/kg",
        );
    }
    let w = &s.weight;
    if !(w.min_kg >= 1.0 && w.max_kg > w.min_kg && w.max_kg <= 500.0) {
        e.add(
            "weight",
            "The weight range must be 1–500 kg, low below high",
        );
    }
    if !(5.0..=100.0).contains(&w.question_change_percent) {
        e.add(
            "weight.questionChangePercent",
            "The weight change that is questioned must be 5–100%",
        );
    }
    for m in Modality::ALL {
        let tps = s.timepoints.for_modality(m);
        let field = format!("timepoints.{}", m.as_str());
        if tps.first().map(|t| t.id.as_str()) != Some("pre") {
            e.add(&field, "The first timepoint must be the pre-dose reading");
        }
        if m.has_discharge() && tps.last().map(|t| t.id.as_str()) != Some("discharge") {
            e.add(
                &field,
                "The last timepoint must be the pre-discharge reading",
            );
        }
        if m == Modality::Spravato && !tps.iter().any(|t| t.id == "m40") {
            e.add(
                &field,
                "Spravato needs the 40-minute reading (id m40): the REMS form asks for it",
            );
        }
        let mut last = 0;
        let mut ids = std::collections::HashSet::new();
        for t in tps {
            if t.id == "recheck" {
                e.add(
                    &field,
                    "The id recheck is kept for repeated pre-dose readings",
                );
                break;
            }
            if !ids.insert(t.id.as_str()) || t.label.trim().is_empty() || t.label.len() > 40 {
                e.add(&field, "Each timepoint needs its own id and a short label");
                break;
            }
            if let Some(min) = t.minutes {
                if min <= last || min > 480 {
                    e.add(
                        &field,
                        "Timed readings must be in increasing minutes, at most 480",
                    );
                    break;
                }
                last = min;
            }
        }
    }
    let a = &s.alert_ranges;
    range_inside(
        &mut e,
        "alertRanges.systolic",
        "Systolic",
        a.systolic,
        physio.systolic,
    );
    range_inside(
        &mut e,
        "alertRanges.diastolic",
        "Diastolic",
        a.diastolic,
        physio.diastolic,
    );
    range_inside(
        &mut e,
        "alertRanges.heartRate",
        "Heart rate",
        a.heart_rate,
        physio.heart_rate,
    );
    range_inside(&mut e, "alertRanges.spo2", "SpO2", a.spo2, physio.spo2);
    range_inside(
        &mut e,
        "alertRanges.respiratoryRate",
        "Respiratory rate",
        a.respiratory_rate,
        physio.respiratory_rate,
    );
    let h = &s.hold_thresholds;
    hold_inside(&mut e, "holdThresholds.spravato", &h.spravato, physio);
    hold_inside(&mut e, "holdThresholds.ivKetamine", &h.iv_ketamine, physio);
    hold_inside(&mut e, "holdThresholds.imKetamine", &h.im_ketamine, physio);
    hold_inside(&mut e, "holdThresholds.tms", &h.tms, physio);
    let mut ids = std::collections::HashSet::new();
    for (i, p) in s.protocols.iter().enumerate() {
        let field = format!("protocols.{i}");
        if !ids.insert(p.id.as_str()) {
            e.add(&field, "Two protocols share an id");
        }
        if p.label.trim().is_empty() || p.label.len() > 120 {
            e.add(&field, "Give the protocol a name of at most 120 characters");
        }
        if p.phases.is_empty() {
            e.add(&field, "A protocol needs at least one phase");
        }
        super::reference::check_phases(&mut e, &format!("{field}."), &p.phases);
    }
    for m in Modality::ALL {
        if !s.protocols.iter().any(|p| p.modality == m) {
            e.add(
                "protocols",
                format!("Keep at least one protocol for {}", m.label()),
            );
        }
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid() {
        validate(&defaults().unwrap()).unwrap();
    }

    #[test]
    fn a_hard_stop_below_the_warning_is_refused() {
        let mut s = defaults().unwrap();
        s.dose_limits.stop_above_mg_per_kg = 0.4;
        let e = validate(&s).unwrap_err();
        assert!(e.has("doseLimits.stopAboveMgPerKg"));
    }

    #[test]
    fn timepoints_must_start_pre_and_increase() {
        let mut s = defaults().unwrap();
        s.timepoints.spravato.swap(1, 2);
        assert!(validate(&s).unwrap_err().has("timepoints.spravato"));
    }
}
