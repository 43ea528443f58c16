//! Reading courses and sessions for the chart, the flowsheet and the PDFs: a course with its
//! counters and plan, a session's computed facts, and a new session's draft prefilled from
//! the previous one in the course.

use chrono::NaiveDate;

use super::context;
use super::course::Course;
use super::schedule::{self, PlannedSession};
use super::session::{
    Concomitant, Discharge, KetamineDose, SpravatoDose, TmsDelivery, TreatmentSession, VitalsRow,
    Weight, WeightUnit,
};
use super::settings;
use super::validate::SessionFacts;
use super::Modality;
use crate::access::Permission;
use crate::billing::MtDetermination;
use crate::error::{CoreError, CoreResult};
use crate::record::{self, Record, RecordBody, RecordKind};
use crate::session::Session;
use crate::validation::ValidationErrors;

#[derive(Debug, Clone)]
pub struct CourseOverview {
    pub record: Record,
    pub course: Course,
    /// Sessions charted in the course (drafts included) and signed.
    pub sessions: u32,
    pub signed: u32,
    pub planned_total: u32,
    /// The last session number authorized today: from the approval in effect when one is
    /// recorded on an authorization request (after the sessions given before it started),
    /// else the units typed on the course (see `pa::request::course_authorization`).
    pub authorized: Option<u32>,
    /// The approval the count comes from (none: typed on the course, or no authorization).
    pub authorization: Option<crate::pa::request::CourseAuthorization>,
    /// The plan, with a few sessions of an open-ended phase.
    pub plan: Vec<PlannedSession>,
    /// Rating scales given in this course's sessions that have no baseline (no score on that
    /// instrument on or before the course start, nor in its first session): a payer's
    /// before/after comparison cannot be made for them.
    pub unbaselined: Vec<String>,
}

/// Instruments scored in the course's sessions without a baseline, as plain-words notes.
fn unbaselined(
    session: &Session,
    patient_id: i64,
    course_id: i64,
    start: Option<NaiveDate>,
) -> CoreResult<Vec<String>> {
    let all = context::sessions(session.conn(), patient_id)?;
    let mine: Vec<&context::SessionRow> = all
        .iter()
        .filter(|r| r.session.course_id == course_id)
        .collect();
    let first = mine.first().map(|r| r.id);
    let ids: Vec<i64> = mine.iter().map(|r| r.id).collect();
    let mut stmt = session.conn().prepare(
        "SELECT instrument, administered_at, session_record_id FROM score_administration WHERE patient_id = ?1",
    )?;
    let rows: Vec<(String, String, Option<i64>)> = stmt
        .query_map([patient_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let reference = crate::scales::bundled()?;
    let start_iso = start.map(|d| d.format("%Y-%m-%d").to_string());
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (instrument, _, sid) in &rows {
        // Only outcome measures (with response rules) need a baseline; CADSS is per session.
        let outcome = reference
            .get(instrument)
            .is_some_and(|i| i.change.is_some());
        if !outcome || !sid.is_some_and(|s| ids.contains(&s)) || !seen.insert(instrument.clone()) {
            continue;
        }
        let has_baseline = rows.iter().any(|(i, at, s)| {
            i == instrument
                && (s.is_some() && *s == first
                    || start_iso
                        .as_deref()
                        .is_some_and(|st| at.get(..10).is_some_and(|d| d <= st)))
        });
        if !has_baseline {
            let name = reference
                .get(instrument)
                .map(|i| i.short_name.clone())
                .unwrap_or_else(|| instrument.clone());
            out.push(format!(
                "{name} was given during this course but has no baseline (none on or before the course start or in its first session)"
            ));
        }
    }
    Ok(out)
}

/// A patient's courses, oldest first.
pub fn courses(session: &Session, patient_id: i64) -> CoreResult<Vec<CourseOverview>> {
    let mut out = Vec::new();
    for r in record::list(session, patient_id, Some(RecordKind::Course))? {
        let RecordBody::Course(c) = &r.body else {
            continue;
        };
        let (n, signed) = context::course_counts(session.conn(), patient_id, r.id)?;
        let plan = c
            .start()
            .map(|st| {
                schedule::generate(
                    st,
                    &c.phases,
                    n.saturating_sub(schedule::planned_total(&c.phases)) + 4,
                )
            })
            .unwrap_or_default();
        let unbaselined = unbaselined(session, patient_id, r.id, c.start())?;
        let (authorization, authorized) = crate::pa::request::course_authorization(
            session.conn(),
            patient_id,
            r.id,
            c,
            super::local_now().date(),
        )?;
        out.push(CourseOverview {
            unbaselined,
            course: c.clone(),
            sessions: n,
            signed,
            planned_total: schedule::planned_total(&c.phases),
            authorization,
            authorized,
            plan,
            record: r,
        });
    }
    Ok(out)
}

fn patient_of(session: &Session, record_id: i64) -> CoreResult<(i64, TreatmentSession)> {
    let r = record::get(session, record_id)?;
    match r.body {
        RecordBody::Session(s) => Ok((r.patient_id, s)),
        _ => Err(CoreError::NotFound {
            what: "The session",
        }),
    }
}

/// A stored session's computed facts (as of now).
pub fn facts(session: &Session, record_id: i64) -> CoreResult<SessionFacts> {
    session.require(Permission::ReadClinical)?;
    let (patient_id, s) = patient_of(session, record_id)?;
    Ok(super::evaluate_session(
        session.conn(),
        patient_id,
        &s,
        Some(record_id),
        super::local_now(),
    )?
    .0)
}

/// The facts and problems of a session as typed, before it is saved (`id`: the stored
/// session being edited).
pub fn evaluate(
    session: &Session,
    patient_id: i64,
    draft: &TreatmentSession,
    id: Option<i64>,
) -> CoreResult<(SessionFacts, ValidationErrors)> {
    session.require(Permission::ReadClinical)?;
    record::patient_mrn(session.conn(), patient_id)?;
    super::evaluate_session(session.conn(), patient_id, draft, id, super::local_now())
}

/// A new session for `course_id` on `date`: the clinic's vitals timepoints as empty rows, and
/// the stable fields of the course's previous session (dose, concentration, lot, REMS
/// enrollment and concomitant medications, TMS parameters) carried forward for checking.
pub fn new_draft(
    session: &Session,
    patient_id: i64,
    course_id: i64,
    date: NaiveDate,
) -> CoreResult<TreatmentSession> {
    session.require(Permission::ReadClinical)?;
    let course = context::course(session.conn(), patient_id, course_id)?;
    let modality = course.modality.ok_or_else(super::unreadable)?;
    let settings = settings::load(session.conn())?.settings;
    let all = context::sessions(session.conn(), patient_id)?;
    let prev_in_course = all
        .iter()
        .rev()
        .find(|r| r.session.course_id == course_id)
        .map(|r| &r.session);
    let prev_any = all.last().map(|r| &r.session);
    let vitals = settings
        .timepoints
        .for_modality(modality)
        .iter()
        .map(|t| VitalsRow {
            timepoint: t.id.clone(),
            ..Default::default()
        })
        .collect();
    let unit = prev_any
        .and_then(|p| p.weight.as_ref())
        .map(|w| w.unit)
        .unwrap_or(WeightUnit::Kg);
    let mut s = TreatmentSession {
        course_id,
        date: record::check::iso(date),
        weight: modality.is_ketamine().then_some(Weight {
            value: String::new(),
            unit,
            kg: None,
            confirmed: false,
        }),
        ketamine: None,
        spravato: None,
        tms: None,
        vitals,
        hold_override: None,
        adverse_events: Vec::new(),
        discharge: Discharge::default(),
        billing: Vec::new(),
        note: None,
    };
    match modality {
        Modality::IvKetamine | Modality::ImKetamine => {
            let p = prev_in_course.and_then(|p| p.ketamine.as_ref());
            s.ketamine = Some(KetamineDose {
                mg_per_kg: p.map(|k| k.mg_per_kg.clone()).unwrap_or_default(),
                concentration_mg_per_ml: p
                    .map(|k| k.concentration_mg_per_ml.clone())
                    .unwrap_or_default(),
                diluent_ml: p.and_then(|k| k.diluent_ml.clone()),
                infusion_minutes: p
                    .and_then(|k| k.infusion_minutes.clone())
                    .or_else(|| (modality == Modality::IvKetamine).then(|| "40".to_string())),
                lot: p.and_then(|k| k.lot.clone()),
                expiry: p.and_then(|k| k.expiry.clone()),
                ndc: p.and_then(|k| k.ndc.clone()),
                start_time: None,
                stop_time: None,
                limit_override: None,
            });
        }
        Modality::Spravato => {
            let p = all.iter().rev().find_map(|r| r.session.spravato.as_ref());
            let in_course = prev_in_course.and_then(|p| p.spravato.as_ref());
            s.spravato = Some(SpravatoDose {
                rems_enrolled: p.and_then(|x| x.rems_enrolled),
                concomitant: p
                    .map(|x| x.concomitant.clone())
                    .unwrap_or_else(Concomitant::default),
                dose_mg: in_course.and_then(|x| x.dose_mg),
                device_times: Vec::new(),
                lot: in_course.and_then(|x| x.lot.clone()),
                expiry: in_course.and_then(|x| x.expiry.clone()),
                ready_to_leave_minutes: None,
                vitals_acceptable_before: None,
                vitals_acceptable_at_end: None,
                sedation: None,
                dissociation: None,
                respiratory_depression: None,
            });
        }
        Modality::Tms => {
            let p = prev_in_course.and_then(|p| p.tms.as_ref());
            let first = prev_in_course.is_none();
            s.tms = Some(TmsDelivery {
                mt_determination: if first {
                    MtDetermination::Initial
                } else {
                    MtDetermination::None
                },
                motor_threshold_percent: None,
                coil_location: p.and_then(|t| t.coil_location.clone()),
                intensity_percent_mt: p.and_then(|t| t.intensity_percent_mt.clone()),
                protocol: p.and_then(|t| t.protocol),
                frequency_hz: p.and_then(|t| t.frequency_hz.clone()),
                trains: p.and_then(|t| t.trains.clone()),
                pulses_per_train: p.and_then(|t| t.pulses_per_train.clone()),
                total_pulses: None,
                start_time: None,
                stop_time: None,
            });
        }
    }
    Ok(s)
}
