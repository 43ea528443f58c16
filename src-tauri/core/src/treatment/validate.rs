//! Checking a session against the clinic's settings and the patient's context, and computing
//! what the flowsheet shows: the weight in kg, the dose arithmetic, pump volume and rate,
//! vitals out of range, the pre-dose hold, the monitoring clock and what is still missing
//! before a provider may sign. Saving refuses what is wrong (an impossible value, a dose above
//! the hard stop, dosing on hold, Spravato discharge before 120 minutes); what is merely
//! incomplete is listed and stops only the signature.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::course::CourseStatus;
use super::entry::{self, hhmm, minutes_between, round_to, trim};
use super::modality::{Indication, Modality};
use super::reference::TreatmentReference;
use super::session::{
    KetamineDose, ProviderOverride, SpravatoDose, TmsDelivery, TreatmentSession, VitalsRow, Weight,
    WeightUnit,
};
use super::settings::TreatmentSettings;
use crate::billing::{self, BillingFacts, MtDetermination, PayerClass};
use crate::record::check;
use crate::validation::ValidationErrors;

pub const LB_PER_KG: f64 = 2.204_622_62;

/// What the session's validation needs to know beyond its own content.
#[derive(Debug, Clone)]
pub struct SessionContext {
    pub modality: Modality,
    pub indication: Indication,
    pub course_status: CourseStatus,
    pub course_start: Option<NaiveDate>,
    /// This session's place in its course (1-based, by date).
    pub session_number: u32,
    pub planned_total: u32,
    pub authorized_units: Option<u32>,
    /// The most recent weight recorded before this session, with its date.
    pub last_weight: Option<(f64, NaiveDate)>,
    /// Spravato sessions of this patient dated before this one (any course).
    pub prior_spravato_sessions: u32,
    /// Spravato sessions in this course dated before this one.
    pub prior_sessions_in_course: u32,
    pub initial_mapping_billed_in_course: bool,
    /// The patient's open safety alerts: reason and when the score that raised it was given
    /// (local `YYYY-MM-DDTHH:MM`).
    pub open_alerts: Vec<(String, String)>,
    /// The patient's SPRAVATO REMS enrollment: the gate for a Spravato dose, and what the
    /// session's own `remsEnrolled` field is filled from.
    pub rems_enrollment: crate::rems_enrollment::EnrollmentGate,
    pub payer: PayerClass,
    pub established_patient: bool,
    pub now: NaiveDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoseLevel {
    Within,
    AboveWarning,
    AboveStop,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VitalsFlag {
    pub row: usize,
    pub field: String,
    pub message: String,
}

/// Everything the flowsheet and the PDFs show that is computed, not typed.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionFacts {
    pub modality: Modality,
    pub session_number: u32,
    pub planned_total: u32,
    pub authorized_units: Option<u32>,
    pub weight_kg: Option<f64>,
    pub weight_arithmetic: Option<String>,
    pub dose_mg: Option<f64>,
    pub dose_arithmetic: Option<String>,
    pub dose_level: DoseLevel,
    pub volume_ml: Option<f64>,
    pub volume_arithmetic: Option<String>,
    pub rate_ml_per_hour: Option<f64>,
    pub rate_arithmetic: Option<String>,
    /// IV: minutes from start to stop.
    pub infusion_minutes: Option<u32>,
    pub vitals_flags: Vec<VitalsFlag>,
    /// Why dosing is on hold (pre-dose vitals at or above the clinic's thresholds, an open
    /// safety alert); empty when nothing holds it.
    pub hold_reasons: Vec<String>,
    /// How a hold was resolved: a recheck below the thresholds or a provider override.
    pub hold_resolution: Option<String>,
    /// HH:MM the monitoring clock started (first Spravato device, ketamine start).
    pub monitoring_start: Option<NaiveTime>,
    /// Spravato: the earliest permitted discharge.
    pub earliest_discharge: Option<NaiveTime>,
    /// First device (or dose) to discharge, minutes.
    pub monitoring_minutes: Option<u32>,
    pub warnings: Vec<String>,
    /// What must be filled before a provider may sign (field, message).
    pub missing: Vec<(String, String)>,
    pub suggested_billing: Vec<billing::BillingLine>,
    pub billing_notes: Vec<String>,
    pub first_spravato_session: bool,
    /// Spravato: how many devices the dose takes (one per 28 mg).
    pub devices_needed: Option<u32>,
    /// The weight is far from the last one: the nurse confirms it ("Weight checked").
    pub weight_needs_confirmation: bool,
}

impl SessionFacts {
    fn new(ctx: &SessionContext) -> Self {
        SessionFacts {
            modality: ctx.modality,
            session_number: ctx.session_number,
            planned_total: ctx.planned_total,
            authorized_units: ctx.authorized_units,
            weight_kg: None,
            weight_arithmetic: None,
            dose_mg: None,
            dose_arithmetic: None,
            dose_level: DoseLevel::Within,
            volume_ml: None,
            volume_arithmetic: None,
            rate_ml_per_hour: None,
            rate_arithmetic: None,
            infusion_minutes: None,
            vitals_flags: Vec::new(),
            hold_reasons: Vec::new(),
            hold_resolution: None,
            monitoring_start: None,
            earliest_discharge: None,
            monitoring_minutes: None,
            warnings: Vec::new(),
            missing: Vec::new(),
            suggested_billing: Vec::new(),
            billing_notes: Vec::new(),
            first_spravato_session: ctx.modality == Modality::Spravato
                && ctx.prior_spravato_sessions == 0,
            devices_needed: None,
            weight_needs_confirmation: false,
        }
    }

    fn need(&mut self, field: &str, message: impl Into<String>) {
        self.missing.push((field.to_string(), message.into()));
    }
}

fn show_date(d: NaiveDate) -> String {
    d.format("%d-%b-%Y").to_string()
}

struct Checked {
    session: TreatmentSession,
    facts: SessionFacts,
}

/// Checks `s` and computes its facts; the normalised session is what gets stored.
pub fn validate(
    s: &TreatmentSession,
    ctx: &SessionContext,
    settings: &TreatmentSettings,
    reference: &TreatmentReference,
) -> Result<(TreatmentSession, SessionFacts), ValidationErrors> {
    let mut e = ValidationErrors::new();
    let c = run(&mut e, s, ctx, settings, reference);
    e.into_result()?;
    Ok((c.session, c.facts))
}

/// The facts of a draft even when it does not validate yet (the form shows them as it is
/// typed), with the errors.
pub fn evaluate(
    s: &TreatmentSession,
    ctx: &SessionContext,
    settings: &TreatmentSettings,
    reference: &TreatmentReference,
) -> (SessionFacts, ValidationErrors) {
    let mut e = ValidationErrors::new();
    let c = run(&mut e, s, ctx, settings, reference);
    (c.facts, e)
}

fn run(
    e: &mut ValidationErrors,
    s: &TreatmentSession,
    ctx: &SessionContext,
    settings: &TreatmentSettings,
    reference: &TreatmentReference,
) -> Checked {
    let mut f = SessionFacts::new(ctx);
    let mut out = s.clone();
    let today = ctx.now.date();
    let date = check::full_date(e, "date", "The session date", &s.date, today, false);
    if let Some(d) = date {
        out.date = check::iso(d);
        if ctx.course_start.is_some_and(|st| d < st) {
            e.add("date", "The session is dated before the course started");
        }
    }
    if matches!(
        ctx.course_status,
        CourseStatus::Stopped | CourseStatus::Completed
    ) {
        f.warnings.push(format!(
            "The course is {}; this session is outside it",
            ctx.course_status.label().to_lowercase()
        ));
    }
    if ctx.authorized_units.is_some_and(|a| ctx.session_number > a) {
        f.warnings.push(format!(
            "Session {} is beyond the {} authorized",
            ctx.session_number,
            ctx.authorized_units.unwrap_or(0)
        ));
    }

    // The detail block must match the course.
    let m = ctx.modality;
    if m.is_ketamine() != s.ketamine.is_some()
        || (m == Modality::Spravato) != s.spravato.is_some()
        || (m == Modality::Tms) != s.tms.is_some()
    {
        e.add(
            "modality",
            format!(
                "This session's details do not match the {} course",
                m.label()
            ),
        );
    }

    out.weight = weight(e, &mut f, s.weight.as_ref(), ctx, settings);
    if m.is_ketamine() && f.weight_kg.is_none() && !e.has("weight.value") {
        f.need("weight.value", "Weight measured today");
    }

    if let Some(k) = &s.ketamine {
        out.ketamine = Some(ketamine(e, &mut f, k, m, date, settings));
    }
    if let Some(sp) = &s.spravato {
        out.spravato = Some(spravato(e, &mut f, sp, ctx, reference, date));
    }
    if let Some(t) = &s.tms {
        out.tms = Some(tms(e, &mut f, t));
    }

    out.vitals = vitals(e, &mut f, &s.vitals, m, settings, reference);
    hold(e, &mut f, &s.vitals, s, ctx, settings, date);
    out.hold_override = s
        .hold_override
        .as_ref()
        .map(|o| clean_override(e, "holdOverride", o));

    let mut events = Vec::new();
    for (i, a) in s.adverse_events.iter().enumerate() {
        let field = format!("adverseEvents.{i}");
        if reference.adverse_event_label(&a.event).is_none() {
            e.add(
                &format!("{field}.event"),
                "Choose the adverse event from the list",
            );
        }
        if a.severity.is_none() {
            e.add(&format!("{field}.severity"), "Choose the severity");
        }
        let mut a2 = a.clone();
        a2.action = check::optional_line(
            e,
            &format!("{field}.action"),
            "The action taken",
            &a.action,
            300,
        );
        a2.detail =
            check::optional_line(e, &format!("{field}.detail"), "The detail", &a.detail, 300);
        if a.event == "other" && a2.detail.is_none() {
            e.add(&format!("{field}.detail"), "Describe the adverse event");
        }
        events.push(a2);
    }
    out.adverse_events = events;

    discharge(e, &mut f, &mut out, s, ctx, reference, date);
    out.note = check::optional_text(e, "note", "The note", &s.note, 8000);

    // Pre-dose vitals are needed for every session.
    if !s.vitals.iter().any(|r| r.timepoint == "pre" && has_bp(r)) {
        f.need("vitals", "Pre-dose blood pressure");
    }

    billing_rules(e, &mut f, &out, ctx, date);
    Checked {
        session: out,
        facts: f,
    }
}

fn weight(
    e: &mut ValidationErrors,
    f: &mut SessionFacts,
    w: Option<&Weight>,
    ctx: &SessionContext,
    settings: &TreatmentSettings,
) -> Option<Weight> {
    let w = w?;
    let rule = &settings.weight;
    let (lo, hi, unit_word) = match w.unit {
        WeightUnit::Kg => (rule.min_kg, rule.max_kg, "kg"),
        WeightUnit::Lb => (rule.min_kg * LB_PER_KG, rule.max_kg * LB_PER_KG, "lb"),
    };
    let raw = w.value.trim();
    if raw.is_empty() {
        return Some(Weight {
            value: String::new(),
            unit: w.unit,
            kg: None,
            confirmed: w.confirmed,
        });
    }
    let value = entry::number(
        e,
        "weight.value",
        "The weight",
        &Some(raw.to_string()),
        0.1,
        2000.0,
    )?;
    let kg = match w.unit {
        WeightUnit::Kg => round_to(value, 1),
        WeightUnit::Lb => round_to(value / LB_PER_KG, 1),
    };
    if value < round_to(lo, 0) || value > round_to(hi, 0) {
        e.add(
            "weight.value",
            format!(
                "A weight of {} {unit_word} is outside {}–{} {unit_word}; check the number and the unit",
                trim(value),
                trim(round_to(lo, 0)),
                trim(round_to(hi, 0))
            ),
        );
        return None;
    }
    if w.unit == WeightUnit::Lb {
        f.weight_arithmetic = Some(format!("{} lb ÷ 2.2046 = {} kg", trim(value), trim(kg)));
    }
    if let Some((last, on)) = ctx.last_weight {
        let change = (kg - last).abs() / last * 100.0;
        f.weight_needs_confirmation = change > rule.question_change_percent;
        if change > rule.question_change_percent && !w.confirmed {
            let mut msg = format!(
                "{} kg is {}% {} than the last weight ({} kg on {}).",
                trim(kg),
                trim(round_to(change, 0)),
                if kg > last { "more" } else { "less" },
                trim(last),
                show_date(on)
            );
            let as_lb = round_to(value / LB_PER_KG, 1);
            if w.unit == WeightUnit::Kg
                && (as_lb - last).abs() / last * 100.0 <= rule.question_change_percent
            {
                msg.push_str(&format!(
                    " If it was weighed in pounds it is {} kg: choose lb.",
                    trim(as_lb)
                ));
            }
            msg.push_str(" Otherwise weigh again, or tick 'Weight checked' to keep it.");
            e.add("weight.value", msg);
        }
    }
    f.weight_kg = Some(kg);
    Some(Weight {
        value: trim(value),
        unit: w.unit,
        kg: Some(trim(kg)),
        confirmed: w.confirmed,
    })
}

fn clean_override(e: &mut ValidationErrors, field: &str, o: &ProviderOverride) -> ProviderOverride {
    let reason = check::required_line(
        e,
        &format!("{field}.reason"),
        "The override reason",
        &o.reason,
        300,
    );
    ProviderOverride {
        reason,
        by: o.by.clone(),
        by_name: o.by_name.clone(),
        at: o.at.clone(),
    }
}

fn ketamine(
    e: &mut ValidationErrors,
    f: &mut SessionFacts,
    k: &KetamineDose,
    m: Modality,
    date: Option<NaiveDate>,
    settings: &TreatmentSettings,
) -> KetamineDose {
    let mut out = k.clone();
    let per_kg = entry::number(
        e,
        "ketamine.mgPerKg",
        "The dose",
        &Some(k.mg_per_kg.clone()),
        0.01,
        5.0,
    );
    out.mg_per_kg = per_kg.map(trim).unwrap_or_default();
    if per_kg.is_none() && !e.has("ketamine.mgPerKg") {
        f.need("ketamine.mgPerKg", "Dose in mg/kg");
    }
    let limits = &settings.dose_limits;
    if let Some(p) = per_kg {
        if p > limits.stop_above_mg_per_kg {
            f.dose_level = DoseLevel::AboveStop;
            let has_reason = k
                .limit_override
                .as_ref()
                .is_some_and(|o| !o.reason.trim().is_empty());
            if !has_reason {
                e.add(
                    "ketamine.mgPerKg",
                    format!(
                        "{} mg/kg is above the clinic's hard stop of {} mg/kg. A provider must record an override reason to give it",
                        trim(p),
                        trim(limits.stop_above_mg_per_kg)
                    ),
                );
            }
        } else if p > limits.warn_above_mg_per_kg {
            f.dose_level = DoseLevel::AboveWarning;
            f.warnings.push(format!(
                "{} mg/kg is above the clinic's usual limit of {} mg/kg: check the order",
                trim(p),
                trim(limits.warn_above_mg_per_kg)
            ));
        }
    }
    out.limit_override = k
        .limit_override
        .as_ref()
        .map(|o| clean_override(e, "ketamine.limitOverride", o));
    if let (Some(p), Some(kg)) = (per_kg, f.weight_kg) {
        let mg = round_to(p * kg, 1);
        f.dose_mg = Some(mg);
        f.dose_arithmetic = Some(format!(
            "{} mg/kg × {} kg = {} mg",
            trim(p),
            trim(kg),
            trim(mg)
        ));
    }
    let conc = entry::number(
        e,
        "ketamine.concentrationMgPerMl",
        "The concentration",
        &Some(k.concentration_mg_per_ml.clone()),
        0.1,
        100.0,
    );
    out.concentration_mg_per_ml = conc.map(trim).unwrap_or_default();
    if conc.is_none() && !e.has("ketamine.concentrationMgPerMl") {
        f.need(
            "ketamine.concentrationMgPerMl",
            "Vial concentration (mg/mL)",
        );
    }
    if let (Some(mg), Some(c)) = (f.dose_mg, conc) {
        let ml = round_to(mg / c, 2);
        f.volume_ml = Some(ml);
        f.volume_arithmetic = Some(format!(
            "{} mg ÷ {} mg/mL = {} mL",
            trim(mg),
            trim(c),
            trim(ml)
        ));
    }
    let diluent = entry::number(
        e,
        "ketamine.diluentMl",
        "The bag volume",
        &k.diluent_ml,
        0.0,
        1000.0,
    );
    out.diluent_ml = diluent.map(trim);
    let planned = entry::whole(
        e,
        "ketamine.infusionMinutes",
        "The infusion time",
        &k.infusion_minutes,
        1,
        240,
    );
    out.infusion_minutes = planned.map(|n| n.to_string());
    if m == Modality::IvKetamine {
        if let (Some(ml), Some(min)) = (f.volume_ml, planned) {
            let total = ml + diluent.unwrap_or(0.0);
            let rate = round_to(total / f64::from(min) * 60.0, 1);
            f.rate_ml_per_hour = Some(rate);
            f.rate_arithmetic = Some(format!(
                "({} mL + {} mL) ÷ {} min × 60 = {} mL/h",
                trim(ml),
                trim(diluent.unwrap_or(0.0)),
                min,
                trim(rate)
            ));
        }
        if planned.is_none() {
            f.need("ketamine.infusionMinutes", "Infusion time (minutes)");
        }
    }
    out.lot = check::optional_line(e, "ketamine.lot", "The lot number", &k.lot, 40);
    if out.lot.is_none() {
        f.need("ketamine.lot", "Drug lot number");
    }
    let expiry = check::optional_full_date(
        e,
        "ketamine.expiry",
        "The expiry date",
        &k.expiry,
        NaiveDate::MAX,
        true,
    );
    out.expiry = expiry.map(check::iso);
    if let (Some(x), Some(d)) = (expiry, date) {
        if x < d {
            e.add(
                "ketamine.expiry",
                format!("This lot expired on {}: do not use it", show_date(x)),
            );
        }
    }
    if expiry.is_none() && !e.has("ketamine.expiry") {
        f.need("ketamine.expiry", "Drug expiry date");
    }
    out.ndc = check::optional_line(e, "ketamine.ndc", "The NDC", &k.ndc, 20);
    let start = entry::clock(e, "ketamine.startTime", "The start time", &k.start_time);
    let stop = entry::clock(e, "ketamine.stopTime", "The stop time", &k.stop_time);
    out.start_time = start.map(hhmm);
    out.stop_time = stop.map(hhmm);
    f.monitoring_start = start;
    if start.is_none() {
        f.need(
            "ketamine.startTime",
            if m == Modality::IvKetamine {
                "Infusion start time"
            } else {
                "Injection time"
            },
        );
    }
    if m == Modality::IvKetamine {
        match (start, stop) {
            (Some(a), Some(b)) if minutes_between(a, b) <= 0 => {
                e.add(
                    "ketamine.stopTime",
                    "The stop time must be after the start time",
                );
            }
            (Some(a), Some(b)) => f.infusion_minutes = Some(minutes_between(a, b) as u32),
            (_, None) => f.need("ketamine.stopTime", "Infusion stop time"),
            _ => {}
        }
    }
    out
}

fn spravato(
    e: &mut ValidationErrors,
    f: &mut SessionFacts,
    sp: &SpravatoDose,
    ctx: &SessionContext,
    reference: &TreatmentReference,
    date: Option<NaiveDate>,
) -> SpravatoDose {
    let rules = &reference.spravato;
    let mut out = sp.clone();
    // The session's field is kept for the REMS form and older sessions, but filled from the
    // patient's enrollment on the session date (never typed).
    out.rems_enrolled = Some(date.is_some_and(|d| ctx.rems_enrollment.enrolled_by(d)));
    let c = &sp.concomitant;
    for (field, label, v) in [
        ("benzodiazepines", "Benzodiazepines", c.benzodiazepines),
        (
            "nonBenzodiazepineHypnotics",
            "Non-benzodiazepine sedative hypnotics",
            c.non_benzodiazepine_hypnotics,
        ),
        ("psychostimulants", "Psychostimulants", c.psychostimulants),
        ("maois", "MAOIs", c.maois),
        ("opioids", "Opioids", c.opioids),
    ] {
        if v.is_none() {
            f.need(
                &format!("spravato.concomitant.{field}"),
                format!("Concomitant medication: {label}"),
            );
        }
    }
    match sp.dose_mg {
        None => f.need("spravato.doseMg", "Dose (56 or 84 mg)"),
        Some(d) if !rules.allowed_doses_mg.contains(&d) => e.add(
            "spravato.doseMg",
            format!(
                "Spravato is given as {} mg",
                rules
                    .allowed_doses_mg
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        ),
        Some(d) => {
            f.dose_mg = Some(f64::from(d));
            f.dose_arithmetic = Some(format!(
                "{} devices × {} mg = {} mg",
                d / rules.mg_per_device,
                rules.mg_per_device,
                d
            ));
            if ctx.indication == Indication::Trd
                && ctx.prior_sessions_in_course == 0
                && d != rules.first_dose_mg
            {
                e.add(
                    "spravato.doseMg",
                    format!(
                        "The first dose of a TRD course is {} mg (84 mg only after a 56 mg start)",
                        rules.first_dose_mg
                    ),
                );
            }
        }
    }
    let devices_needed = sp
        .dose_mg
        .filter(|d| rules.allowed_doses_mg.contains(d))
        .map(|d| (d / rules.mg_per_device) as usize);
    f.devices_needed = devices_needed.map(|n| n as u32);
    let mut times = Vec::new();
    for (i, t) in sp.device_times.iter().enumerate() {
        let field = format!("spravato.deviceTimes.{i}");
        match entry::clock(
            e,
            &field,
            &format!("Device {} time", i + 1),
            &Some(t.clone()),
        ) {
            Some(tt) => times.push(tt),
            None if t.trim().is_empty() => {
                e.add(&field, format!("Enter when device {} was used", i + 1))
            }
            None => {}
        }
    }
    out.device_times = times.iter().map(|t| hhmm(*t)).collect();
    if let Some(n) = devices_needed {
        if sp.device_times.len() > n {
            e.add(
                "spravato.deviceTimes",
                format!(
                    "{} mg is {n} devices; {} times are entered",
                    sp.dose_mg.unwrap_or(0),
                    sp.device_times.len()
                ),
            );
        } else if sp.device_times.len() < n {
            f.need(
                "spravato.deviceTimes",
                format!("Device times ({} of {n} entered)", sp.device_times.len()),
            );
        }
    }
    for (i, w) in times.windows(2).enumerate() {
        let gap = minutes_between(w[0], w[1]);
        if gap < i64::from(rules.minutes_between_devices) {
            e.add(
                &format!("spravato.deviceTimes.{}", i + 1),
                format!(
                    "Devices must be at least {} minutes apart (device {} was {} min after device {})",
                    rules.minutes_between_devices,
                    i + 2,
                    gap,
                    i + 1
                ),
            );
        }
    }
    // A dose (a device used, or a dose entered) needs the patient enrolled by the session date.
    if !times.is_empty() || sp.dose_mg.is_some() {
        if let Some(why) = ctx.rems_enrollment.refusal(date) {
            e.add("spravato.remsEnrolled", why);
        }
    }
    f.monitoring_start = times.first().copied();
    if let Some(first) = times.first() {
        let obs = chrono::Duration::minutes(i64::from(rules.observation_minutes));
        let (end, wrapped) = first.overflowing_add_signed(obs);
        if wrapped != 0 {
            e.add(
                "spravato.deviceTimes.0",
                format!(
                    "The {} minutes of observation would run past midnight; a session is charted on one date",
                    rules.observation_minutes
                ),
            );
        } else {
            f.earliest_discharge = Some(end);
        }
    }
    out.lot = check::optional_line(e, "spravato.lot", "The lot number", &sp.lot, 40);
    if out.lot.is_none() {
        f.need("spravato.lot", "Lot number");
    }
    let expiry = check::optional_full_date(
        e,
        "spravato.expiry",
        "The expiry date",
        &sp.expiry,
        NaiveDate::MAX,
        true,
    );
    if let (Some(x), Some(d)) = (expiry, date) {
        if x < d {
            e.add(
                "spravato.expiry",
                format!("This lot expired on {}: do not use it", show_date(x)),
            );
        }
    }
    out.expiry = expiry.map(check::iso);
    let ready = entry::whole(
        e,
        "spravato.readyToLeaveMinutes",
        "Minutes until ready to leave",
        &sp.ready_to_leave_minutes,
        0,
        600,
    );
    out.ready_to_leave_minutes = ready.map(|n| n.to_string());
    if ready.is_none() && !e.has("spravato.readyToLeaveMinutes") {
        f.need(
            "spravato.readyToLeaveMinutes",
            "When the patient would have been ready to leave",
        );
    }
    for (field, label, v) in [
        (
            "vitalsAcceptableBefore",
            "Vital signs acceptable before the dose",
            sp.vitals_acceptable_before,
        ),
        (
            "vitalsAcceptableAtEnd",
            "Vital signs acceptable before the session ended",
            sp.vitals_acceptable_at_end,
        ),
        ("sedation", "Sedation (yes/no)", sp.sedation),
        ("dissociation", "Dissociation (yes/no)", sp.dissociation),
        (
            "respiratoryDepression",
            "Respiratory depression (yes/no)",
            sp.respiratory_depression,
        ),
    ] {
        if v.is_none() {
            f.need(&format!("spravato.{field}"), label);
        }
    }
    out
}

fn tms(e: &mut ValidationErrors, f: &mut SessionFacts, t: &TmsDelivery) -> TmsDelivery {
    let mut out = t.clone();
    let mt = entry::number(
        e,
        "tms.motorThresholdPercent",
        "The motor threshold",
        &t.motor_threshold_percent,
        1.0,
        100.0,
    );
    out.motor_threshold_percent = mt.map(trim);
    if t.mt_determination != MtDetermination::None
        && mt.is_none()
        && !e.has("tms.motorThresholdPercent")
    {
        f.need(
            "tms.motorThresholdPercent",
            "Motor threshold (% machine output)",
        );
    }
    out.coil_location = check::optional_line(
        e,
        "tms.coilLocation",
        "The coil location",
        &t.coil_location,
        80,
    );
    if out.coil_location.is_none() {
        f.need("tms.coilLocation", "Coil location");
    }
    let intensity = entry::number(
        e,
        "tms.intensityPercentMt",
        "The intensity",
        &t.intensity_percent_mt,
        50.0,
        150.0,
    );
    out.intensity_percent_mt = intensity.map(trim);
    if intensity.is_none() && !e.has("tms.intensityPercentMt") {
        f.need("tms.intensityPercentMt", "Intensity (% of motor threshold)");
    }
    if t.protocol.is_none() {
        f.need("tms.protocol", "Protocol");
    }
    let hz = entry::number(
        e,
        "tms.frequencyHz",
        "The frequency",
        &t.frequency_hz,
        0.1,
        50.0,
    );
    out.frequency_hz = hz.map(trim);
    if hz.is_none() && !e.has("tms.frequencyHz") {
        f.need("tms.frequencyHz", "Frequency (Hz)");
    }
    let trains = entry::whole(e, "tms.trains", "The number of trains", &t.trains, 1, 300);
    let per = entry::whole(
        e,
        "tms.pulsesPerTrain",
        "Pulses per train",
        &t.pulses_per_train,
        1,
        300,
    );
    let total = entry::whole(
        e,
        "tms.totalPulses",
        "Total pulses",
        &t.total_pulses,
        1,
        20000,
    );
    out.trains = trains.map(|n| n.to_string());
    out.pulses_per_train = per.map(|n| n.to_string());
    let computed = trains.zip(per).map(|(a, b)| a * b);
    match (total, computed) {
        (Some(tot), Some(c)) if tot != c => e.add(
            "tms.totalPulses",
            format!(
                "{} trains × {} pulses is {c}, not {tot}",
                trains.unwrap_or(0),
                per.unwrap_or(0)
            ),
        ),
        _ => {}
    }
    let total = total.or(computed);
    out.total_pulses = total.map(|n| n.to_string());
    if total.is_none() && !e.has("tms.totalPulses") {
        f.need("tms.totalPulses", "Total pulses");
    }
    let start = entry::clock(e, "tms.startTime", "The start time", &t.start_time);
    let stop = entry::clock(e, "tms.stopTime", "The stop time", &t.stop_time);
    out.start_time = start.map(hhmm);
    out.stop_time = stop.map(hhmm);
    if let (Some(a), Some(b)) = (start, stop) {
        if minutes_between(a, b) <= 0 {
            e.add("tms.stopTime", "The stop time must be after the start time");
        }
    }
    if start.is_none() {
        f.need("tms.startTime", "Start time");
    }
    f.monitoring_start = start;
    out
}

fn has_bp(r: &VitalsRow) -> bool {
    let filled = |v: &Option<String>| v.as_deref().is_some_and(|x| !x.trim().is_empty());
    filled(&r.systolic) && filled(&r.diastolic)
}

struct Reading {
    systolic: Option<f64>,
    diastolic: Option<f64>,
    heart_rate: Option<f64>,
}

fn read_row(r: &VitalsRow) -> Reading {
    let p = |v: &Option<String>| v.as_deref().and_then(|x| x.trim().parse::<f64>().ok());
    Reading {
        systolic: p(&r.systolic),
        diastolic: p(&r.diastolic),
        heart_rate: p(&r.heart_rate),
    }
}

fn vitals(
    e: &mut ValidationErrors,
    f: &mut SessionFacts,
    rows: &[VitalsRow],
    m: Modality,
    settings: &TreatmentSettings,
    reference: &TreatmentReference,
) -> Vec<VitalsRow> {
    let physio = &reference.physiological;
    let alert = &settings.alert_ranges;
    let tps = settings.timepoints.for_modality(m);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, r) in rows.iter().enumerate() {
        let base = format!("vitals.{i}");
        if r.timepoint != "recheck" && !seen.insert(r.timepoint.as_str()) {
            e.add(
                &format!("{base}.timepoint"),
                "This timepoint is already in the grid; add a recheck row for a repeated reading",
            );
        }
        if r.timepoint != "recheck" && !tps.iter().any(|t| t.id == r.timepoint) {
            e.add(
                &format!("{base}.timepoint"),
                "This timepoint is not in the clinic's vitals schedule",
            );
        }
        let time = entry::clock(e, &format!("{base}.time"), "The time", &r.time);
        let mut n = |field: &str, label: &str, v: &Option<String>, lim: [u32; 2], al: [u32; 2]| {
            let x = entry::number(
                e,
                &format!("{base}.{field}"),
                label,
                v,
                f64::from(lim[0]),
                f64::from(lim[1]),
            );
            if let Some(x) = x {
                if x < f64::from(al[0]) || x > f64::from(al[1]) {
                    f.vitals_flags.push(VitalsFlag {
                        row: i,
                        field: field.to_string(),
                        message: format!("{label} {} is outside {}–{}", trim(x), al[0], al[1]),
                    });
                }
            }
            x
        };
        let sys = n(
            "systolic",
            "Systolic",
            &r.systolic,
            physio.systolic,
            alert.systolic,
        );
        let dia = n(
            "diastolic",
            "Diastolic",
            &r.diastolic,
            physio.diastolic,
            alert.diastolic,
        );
        let hr = n(
            "heartRate",
            "Heart rate",
            &r.heart_rate,
            physio.heart_rate,
            alert.heart_rate,
        );
        let spo2 = n("spo2", "SpO2", &r.spo2, physio.spo2, alert.spo2);
        let rr = n(
            "respiratoryRate",
            "Respiratory rate",
            &r.respiratory_rate,
            physio.respiratory_rate,
            alert.respiratory_rate,
        );
        let moaas = n("moaas", "MOAA/S", &r.moaas, physio.moaas, alert.moaas);
        if let (Some(s), Some(d)) = (sys, dia) {
            if s <= d {
                e.add(
                    &format!("{base}.diastolic"),
                    "The diastolic must be lower than the systolic; check the two numbers",
                );
            }
        }
        if sys.is_some() != dia.is_some()
            && !e.has(&format!("{base}.systolic"))
            && !e.has(&format!("{base}.diastolic"))
        {
            e.add(
                &format!("{base}.systolic"),
                "Enter both systolic and diastolic",
            );
        }
        let any = [sys, dia, hr, spo2, rr, moaas].iter().any(Option::is_some);
        if any && time.is_none() && !e.has(&format!("{base}.time")) {
            e.add(&format!("{base}.time"), "Enter the time of this reading");
        }
        let fmt = |x: Option<f64>| x.map(trim);
        out.push(VitalsRow {
            timepoint: r.timepoint.clone(),
            time: time.map(hhmm),
            systolic: fmt(sys),
            diastolic: fmt(dia),
            heart_rate: fmt(hr),
            spo2: fmt(spo2),
            respiratory_rate: fmt(rr),
            moaas: fmt(moaas),
        });
    }
    out
}

fn dose_started(s: &TreatmentSession) -> bool {
    let set = |v: &Option<String>| v.as_deref().is_some_and(|x| !x.trim().is_empty());
    s.ketamine.as_ref().is_some_and(|k| set(&k.start_time))
        || s.spravato
            .as_ref()
            .is_some_and(|sp| !sp.device_times.is_empty())
        || s.tms.as_ref().is_some_and(|t| set(&t.start_time))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    BloodPressure,
    HeartRate,
}

/// The measures of a reading at or above the hold thresholds, with the reason in words.
fn over(r: &Reading, t: &super::reference::HoldThreshold) -> Vec<(Measure, String)> {
    let mut out = Vec::new();
    let sys_over = matches!((t.systolic, r.systolic), (Some(l), Some(v)) if v >= f64::from(l));
    let dia_over = matches!((t.diastolic, r.diastolic), (Some(l), Some(v)) if v >= f64::from(l));
    if sys_over || dia_over {
        let show = |v: Option<f64>| v.map(trim).unwrap_or_else(|| "–".into());
        let lim = |v: Option<u32>| v.map(|x| x.to_string()).unwrap_or_else(|| "–".into());
        out.push((
            Measure::BloodPressure,
            format!(
                "Pre-dose BP {}/{} is at or above the clinic's hold threshold of {}/{}",
                show(r.systolic),
                show(r.diastolic),
                lim(t.systolic),
                lim(t.diastolic)
            ),
        ));
    }
    if let (Some(lim), Some(h)) = (t.heart_rate, r.heart_rate) {
        if h >= f64::from(lim) {
            out.push((
                Measure::HeartRate,
                format!(
                    "Pre-dose heart rate {} is at or above the hold threshold of {lim}",
                    trim(h)
                ),
            ));
        }
    }
    out
}

/// A recheck releases a vitals hold only when it measured again everything that was high and
/// all of it is now below the thresholds.
fn recheck_clears(
    r: &Reading,
    held: &[(Measure, String)],
    t: &super::reference::HoldThreshold,
) -> bool {
    let measured = held.iter().all(|(m, _)| match m {
        Measure::BloodPressure => r.systolic.is_some() && r.diastolic.is_some(),
        Measure::HeartRate => r.heart_rate.is_some(),
    });
    measured && over(r, t).is_empty()
}

fn hold(
    e: &mut ValidationErrors,
    f: &mut SessionFacts,
    rows: &[VitalsRow],
    s: &TreatmentSession,
    ctx: &SessionContext,
    settings: &TreatmentSettings,
    date: Option<NaiveDate>,
) {
    let t = settings.hold_thresholds.for_modality(ctx.modality);
    let pre = rows.iter().find(|r| r.timepoint == "pre").map(read_row);
    let held = pre.as_ref().map(|p| over(p, t)).unwrap_or_default();
    f.hold_reasons.extend(held.iter().map(|(_, m)| m.clone()));
    // Alerts count when raised by a score given before the dose (one raised later in the
    // session does not retroactively hold a dose already given).
    let dose_at = date
        .zip(f.monitoring_start)
        .map(|(d, t)| format!("{}T{}", d.format("%Y-%m-%d"), hhmm(t)));
    let alerts: Vec<&String> = ctx
        .open_alerts
        .iter()
        .filter(|(_, at)| dose_at.as_deref().is_none_or(|d| at.as_str() < d))
        .map(|(reason, _)| reason)
        .collect();
    f.hold_reasons.extend(
        alerts
            .iter()
            .map(|a| format!("Open safety alert: {a} (acknowledge it or record an override)")),
    );
    if f.hold_reasons.is_empty() {
        return;
    }
    let rechecked = !held.is_empty()
        && alerts.is_empty()
        && rows
            .iter()
            .filter(|r| r.timepoint == "recheck")
            .map(read_row)
            .next_back()
            .is_some_and(|r| recheck_clears(&r, &held, t));
    let overridden = s
        .hold_override
        .as_ref()
        .is_some_and(|o| !o.reason.trim().is_empty());
    if rechecked {
        f.hold_resolution = Some("Recheck below the hold thresholds".into());
    } else if overridden {
        f.hold_resolution = Some("Provider override".into());
    } else if dose_started(s) {
        e.add(
            "holdOverride",
            format!(
                "Dosing is on hold: {}. Recheck the vital signs (add a recheck row with every reading that was high) or have a provider record an override reason before dosing",
                f.hold_reasons.join("; ")
            ),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn discharge(
    e: &mut ValidationErrors,
    f: &mut SessionFacts,
    out: &mut TreatmentSession,
    s: &TreatmentSession,
    ctx: &SessionContext,
    reference: &TreatmentReference,
    date: Option<NaiveDate>,
) {
    let d = &s.discharge;
    for (i, c) in d.criteria.iter().enumerate() {
        if reference.discharge_label(c).is_none() {
            e.add(
                &format!("discharge.criteria.{i}"),
                "Unknown discharge criterion",
            );
        }
    }
    let time = entry::clock(e, "discharge.time", "The discharge time", &d.time);
    out.discharge.time = time.map(hhmm);
    out.discharge.escort_name = check::optional_line(
        e,
        "discharge.escortName",
        "The escort's name",
        &d.escort_name,
        100,
    );
    out.discharge.note =
        check::optional_text(e, "discharge.note", "The discharge note", &d.note, 2000);
    if !ctx.modality.has_discharge() {
        return;
    }
    if let Some(t) = time {
        if date.is_some_and(|d| d.and_time(t) > ctx.now + chrono::Duration::minutes(1)) {
            e.add("discharge.time", "The discharge time is later than now");
        }
        if let Some(start) = f.monitoring_start {
            let mins = minutes_between(start, t);
            if mins < 0 {
                e.add(
                    "discharge.time",
                    "Discharge is before the dose. Every time is on the session date: a session cannot run past midnight",
                );
            } else {
                f.monitoring_minutes = Some(mins as u32);
            }
            let obs = reference.spravato.observation_minutes;
            if ctx.modality == Modality::Spravato && mins >= 0 && (mins as u32) < obs {
                e.add(
                    "discharge.time",
                    format!(
                        "Discharge at {} is {mins} minutes after the first device ({}); Spravato needs at least {obs} minutes of observation — not before {}",
                        hhmm(t),
                        hhmm(start),
                        f.earliest_discharge.map(hhmm).unwrap_or_default()
                    ),
                );
            }
        }
        if let Some(k) = s.ketamine.as_ref() {
            let stop = k
                .stop_time
                .as_deref()
                .and_then(|x| NaiveTime::parse_from_str(x.trim(), "%H:%M").ok());
            if stop.is_some_and(|st| t < st) {
                e.add(
                    "discharge.time",
                    "Discharge cannot be before the infusion stopped",
                );
            }
        }
    } else {
        f.need("discharge.time", "Discharge time");
    }
    for c in &reference.discharge {
        if !d.criteria.contains(&c.id) {
            f.need("discharge.criteria", format!("Discharge: {}", c.label));
        }
    }
    if !s
        .vitals
        .iter()
        .any(|r| r.timepoint == "discharge" && has_bp(r))
    {
        f.need("vitals", "Pre-discharge blood pressure");
    }
    if ctx.modality == Modality::Spravato {
        let rules = &reference.spravato;
        match s.vitals.iter().find(|r| r.timepoint == "m40" && has_bp(r)) {
            None => f.need(
                "vitals",
                format!(
                    "Blood pressure about {} minutes after the dose",
                    rules.bp_after_dose_minutes
                ),
            ),
            Some(r) => {
                let t = r
                    .time
                    .as_deref()
                    .and_then(|x| NaiveTime::parse_from_str(x.trim(), "%H:%M").ok());
                if let (Some(t), Some(st)) = (t, f.monitoring_start) {
                    let m = minutes_between(st, t);
                    let [lo, hi] = rules.bp_after_dose_window;
                    if m < i64::from(lo) || m > i64::from(hi) {
                        f.warnings.push(format!(
                            "The 40-minute blood pressure was taken {m} minutes after the first device (expected {lo}–{hi})"
                        ));
                    }
                }
            }
        }
    }
}

fn billing_rules(
    e: &mut ValidationErrors,
    f: &mut SessionFacts,
    s: &TreatmentSession,
    ctx: &SessionContext,
    date: Option<NaiveDate>,
) {
    let Ok(reference) = billing::bundled() else {
        e.add("billing", "The billing reference is damaged");
        return;
    };
    let Some(date) = date else { return };
    let modality = match ctx.modality {
        Modality::IvKetamine => billing::BillingModality::IvKetamine,
        Modality::ImKetamine => billing::BillingModality::ImKetamine,
        Modality::Spravato => billing::BillingModality::Spravato,
        Modality::Tms => billing::BillingModality::Tms,
    };
    let facts = BillingFacts {
        modality,
        payer: ctx.payer,
        service_date: date,
        dose_mg: f.dose_mg,
        infusion_minutes: f.infusion_minutes,
        mt_determination: s
            .tms
            .as_ref()
            .map(|t| t.mt_determination)
            .unwrap_or(MtDetermination::None),
        initial_mapping_billed_in_course: ctx.initial_mapping_billed_in_course,
        established_patient: ctx.established_patient,
    };
    let suggestion = billing::suggest(reference, &facts);
    f.suggested_billing = suggestion.lines;
    f.billing_notes = suggestion.notes;
    if let Err(errs) = billing::check(reference, &facts, &s.billing) {
        for fe in errs.0 {
            e.add(&fe.field, fe.message);
        }
    }
}
