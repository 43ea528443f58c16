//! The sessions a treatment course is authorized for, taken from the payer's approval recorded
//! on an authorization request — not typed on the course. A request covers a course when it
//! names it, or names no course and its service is the course's treatment; the approval in
//! effect on the day asked about counts (the latest one starting first when several overlap).
//! Its sessions are the approved units of the codes that are one session each
//! (`countsAsSession` in `billing.v1.json`: G2082/G2083, 96365, 90867/90868/90869, …); drug
//! units (J0013 per mg) and add-ons are not sessions.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::{store, Request};
use crate::billing::{reference as billing_reference, BillingModality};
use crate::error::CoreResult;
use crate::treatment::Modality;

/// An approval that authorizes sessions of a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseAuthorization {
    pub request_id: i64,
    pub auth_number: Option<String>,
    pub sessions: u32,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The course's sessions charted within the approval's dates (drafts included).
    pub used: u32,
    /// The course's sessions dated before the approval starts (an earlier approval's).
    pub before: u32,
}

fn billing_modality(m: Modality) -> BillingModality {
    match m {
        Modality::IvKetamine => BillingModality::IvKetamine,
        Modality::ImKetamine => BillingModality::ImKetamine,
        Modality::Spravato => BillingModality::Spravato,
        Modality::Tms => BillingModality::Tms,
    }
}

/// The sessions `request`'s approval authorizes for a course of `modality`.
pub fn authorized_sessions(request: &Request, modality: Modality) -> CoreResult<u32> {
    let reference = billing_reference::bundled()?;
    let bm = billing_modality(modality);
    Ok(request
        .approved_lines
        .iter()
        .filter(|l| {
            reference
                .code(l.code.trim())
                .is_some_and(|c| c.counts_as_session && c.applies_to(bm))
        })
        .map(|l| l.units)
        .sum())
}

/// Whether `request` covers the course `course_id` of `modality`.
fn covers(request: &Request, course_id: i64, modality: Modality) -> bool {
    match request.course_record_id {
        Some(c) => c == course_id,
        None => request.service.delivered_by(modality),
    }
}

/// The approvals recorded for the course (approved requests that cover it), oldest first.
fn approvals(
    conn: &Connection,
    patient_id: i64,
    course_id: i64,
    modality: Modality,
) -> CoreResult<Vec<Request>> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM pa_request WHERE patient_id = ?1 ORDER BY id")?
        .query_map([patient_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        let r = store::load(conn, id)?;
        if r.is_approved() && covers(&r, course_id, modality) {
            out.push(r);
        }
    }
    Ok(out)
}

/// Of `approvals`, the one in effect on `on` (the latest starting, when several overlap).
fn in_effect(
    conn: &Connection,
    patient_id: i64,
    course_id: i64,
    modality: Modality,
    approvals: &[Request],
    on: NaiveDate,
) -> CoreResult<Option<CourseAuthorization>> {
    let dates: Vec<NaiveDate> = crate::treatment::context::sessions(conn, patient_id)?
        .into_iter()
        .filter(|r| r.session.course_id == course_id)
        .filter_map(|r| r.date)
        .collect();
    let mut best: Option<CourseAuthorization> = None;
    for r in approvals {
        let (Some(start), Some(end)) = (r.approved_start, r.approved_end) else {
            continue;
        };
        if on < start || on > end {
            continue;
        }
        let candidate = CourseAuthorization {
            request_id: r.id,
            auth_number: r.auth_number.clone(),
            sessions: authorized_sessions(r, modality)?,
            start,
            end,
            used: dates.iter().filter(|d| start <= **d && **d <= end).count() as u32,
            before: dates.iter().filter(|d| **d < start).count() as u32,
        };
        if best.as_ref().is_none_or(|b| candidate.start >= b.start) {
            best = Some(candidate);
        }
    }
    Ok(best)
}

/// The approval in effect on `on` for the course, if any.
pub fn for_course(
    conn: &Connection,
    patient_id: i64,
    course_id: i64,
    modality: Option<Modality>,
    on: NaiveDate,
) -> CoreResult<Option<CourseAuthorization>> {
    let Some(modality) = modality else {
        return Ok(None);
    };
    let list = approvals(conn, patient_id, course_id, modality)?;
    in_effect(conn, patient_id, course_id, modality, &list, on)
}

/// The approval in effect on `on`, and the last session number of the course that is
/// authorized then, compared with a session's place in its course: the sessions charted
/// before the approval started (covered by an earlier one) plus the sessions it authorizes.
/// Without a recorded approval, the units typed on the course (clinics that do not track
/// authorizations here); when the course had approvals but none is in effect on `on`,
/// nothing is authorized (`None`), never the typed fallback.
pub(crate) fn course_authorization(
    conn: &Connection,
    patient_id: i64,
    course_id: i64,
    course: &crate::treatment::Course,
    on: NaiveDate,
) -> CoreResult<(Option<CourseAuthorization>, Option<u32>)> {
    let Some(modality) = course.modality else {
        return Ok((None, course.authorized()));
    };
    let list = approvals(conn, patient_id, course_id, modality)?;
    let current = in_effect(conn, patient_id, course_id, modality, &list, on)?;
    let last = match &current {
        Some(a) => Some(a.before + a.sessions),
        None if !list.is_empty() => None,
        None => course.authorized(),
    };
    Ok((current, last))
}

/// [`course_authorization`]'s last authorized session number alone.
pub(crate) fn sessions_for(
    conn: &Connection,
    patient_id: i64,
    course_id: i64,
    course: &crate::treatment::Course,
    on: NaiveDate,
) -> CoreResult<Option<u32>> {
    Ok(course_authorization(conn, patient_id, course_id, course, on)?.1)
}
