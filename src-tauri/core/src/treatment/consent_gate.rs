//! The first-session gate: a course's first session cannot be saved until the patient has
//! signed (any version, on or before the session date) every consent the clinic requires for
//! the course's treatment (`consent::requirement`). Called from `prepare_session` (refused on
//! save) and `evaluate_session` (shown while the nurse types).

use chrono::NaiveDate;
use rusqlite::Connection;

use super::context;
use super::course::Course;
use super::session::TreatmentSession;
use crate::error::CoreResult;

/// The field the gate's message is reported on.
pub const FIELD: &str = "consents";

/// A patient's course (a validation error on `courseId` when it is not theirs).
pub(crate) fn course(conn: &Connection, patient_id: i64, course_id: i64) -> CoreResult<Course> {
    context::course(conn, patient_id, course_id)
}

/// Whether `session` (stored as `id`, or new) is the first of its course: no other session of
/// the course is dated before it (on the same day, one saved earlier comes first).
fn is_first(
    conn: &Connection,
    patient_id: i64,
    session: &TreatmentSession,
    id: Option<i64>,
    date: NaiveDate,
) -> CoreResult<bool> {
    let all = context::sessions(conn, patient_id)?;
    Ok(!all.iter().any(|r| {
        Some(r.id) != id
            && r.session.course_id == session.course_id
            && r.date
                .is_some_and(|d| d < date || (d == date && id.is_none_or(|me| r.id < me)))
    }))
}

/// The refusal message when `session` is its course's first and consents are missing.
pub(crate) fn check(
    conn: &Connection,
    patient_id: i64,
    session: &TreatmentSession,
    id: Option<i64>,
) -> CoreResult<Option<String>> {
    // An unreadable date or course is reported by the session's own checks.
    let Ok(date) = NaiveDate::parse_from_str(session.date.trim(), "%Y-%m-%d") else {
        return Ok(None);
    };
    let Ok(course) = context::course(conn, patient_id, session.course_id) else {
        return Ok(None);
    };
    let Some(modality) = course.modality else {
        return Ok(None);
    };
    if !is_first(conn, patient_id, session, id, date)? {
        return Ok(None);
    }
    let missing = crate::consent::sign::missing_titles(conn, patient_id, modality, date)?;
    if missing.is_empty() {
        return Ok(None);
    }
    let names: Vec<String> = missing.into_iter().map(|(_, title)| title).collect();
    Ok(Some(format!(
        "Before the first session of this course, the patient must sign: {}. Open Consents on the patient's chart.",
        names.join(", ")
    )))
}
