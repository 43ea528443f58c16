//! Treatment courses and sessions: IV/IM ketamine, Spravato (with its REMS) and TMS. Courses
//! and sessions are clinical records (`record::RecordBody::{Course, Session}`), so they share
//! versioned writes, the audit trail, sign & lock and addenda; this module holds their content,
//! the rules that need the rest of the chart, the clinic's settings and the REMS form workflow.

pub(crate) mod consent_gate;
pub(crate) mod context;
pub mod course;
pub mod document;
pub mod entry;
pub mod modality;
pub mod reference;
pub mod rems;
pub mod schedule;
pub mod session;
pub mod settings;
pub mod validate;
pub mod view;

use chrono::NaiveDateTime;
use rusqlite::Connection;

pub use course::{Course, CourseStatus};
pub use modality::{Indication, Modality};
pub use session::TreatmentSession;
pub use validate::{SessionContext, SessionFacts};

use crate::error::{CoreError, CoreResult};
use crate::validation::ValidationErrors;

/// Who is saving, for stamping provider overrides.
pub(crate) struct Author<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub can_sign: bool,
    pub at: &'a str,
}

fn stamp(
    e: &mut ValidationErrors,
    field: &str,
    new: &mut Option<session::ProviderOverride>,
    old: Option<&session::ProviderOverride>,
    author: &Author<'_>,
) {
    let Some(o) = new.as_mut() else { return };
    if o.reason.trim().is_empty() {
        *new = None;
        return;
    }
    match old {
        Some(prev) if prev.reason.trim() == o.reason.trim() => {
            o.by = prev.by.clone();
            o.by_name = prev.by_name.clone();
            o.at = prev.at.clone();
        }
        _ if !author.can_sign => e.add(
            &format!("{field}.reason"),
            "Only a provider can record an override; ask the provider on site",
        ),
        _ => {
            o.by = Some(author.username.to_string());
            o.by_name = Some(author.display_name.to_string());
            o.at = Some(author.at.to_string());
        }
    }
}

/// Checks a session against the chart and the clinic's settings inside the writing
/// transaction; returns the content to store.
pub(crate) fn prepare_session(
    conn: &Connection,
    patient_id: i64,
    input: &TreatmentSession,
    id: Option<i64>,
    previous: Option<&TreatmentSession>,
    author: &Author<'_>,
    now: NaiveDateTime,
) -> CoreResult<TreatmentSession> {
    let mut s = input.clone();
    if let Some(p) = previous {
        if p.course_id != s.course_id {
            return Err(ValidationErrors::single(
                "courseId",
                "A session cannot move to another course",
            )
            .into());
        }
    }
    let mut e = ValidationErrors::new();
    stamp(
        &mut e,
        "holdOverride",
        &mut s.hold_override,
        previous.and_then(|p| p.hold_override.as_ref()),
        author,
    );
    if let Some(k) = s.ketamine.as_mut() {
        let old = previous
            .and_then(|p| p.ketamine.as_ref())
            .and_then(|k| k.limit_override.as_ref());
        stamp(
            &mut e,
            "ketamine.limitOverride",
            &mut k.limit_override,
            old,
            author,
        );
    }
    e.into_result()?;
    if let Some(m) = consent_gate::check(conn, patient_id, &s, id)? {
        return Err(ValidationErrors::single(consent_gate::FIELD, m).into());
    }
    let ctx = context::build(conn, patient_id, &s, id, now)?;
    let settings = settings::load(conn)?.settings;
    let (clean, _) = validate::validate(&s, &ctx, &settings, reference::bundled()?)?;
    Ok(clean)
}

/// The facts of a draft session as typed, and its problems (nothing is stored).
pub(crate) fn evaluate_session(
    conn: &Connection,
    patient_id: i64,
    input: &TreatmentSession,
    id: Option<i64>,
    now: NaiveDateTime,
) -> CoreResult<(SessionFacts, ValidationErrors)> {
    let ctx = context::build(conn, patient_id, input, id, now)?;
    let settings = settings::load(conn)?.settings;
    let (facts, mut errors) = validate::evaluate(input, &ctx, &settings, reference::bundled()?);
    if let Some(m) = consent_gate::check(conn, patient_id, input, id)? {
        errors.add(consent_gate::FIELD, m);
    }
    Ok((facts, errors))
}

/// Before a provider signs: everything the session needs (for Spravato, every REMS form field)
/// must be filled, and the rules must still hold.
pub(crate) fn ready_to_sign(
    conn: &Connection,
    patient_id: i64,
    id: i64,
    s: &TreatmentSession,
    now: NaiveDateTime,
) -> CoreResult<()> {
    let (facts, errors) = evaluate_session(conn, patient_id, s, Some(id), now)?;
    let mut e = errors;
    if !facts.missing.is_empty() {
        let n = facts.missing.len();
        e.add(
            "sign",
            format!(
                "This session cannot be signed yet: {n} required {} missing",
                if n == 1 { "item is" } else { "items are" }
            ),
        );
        for (field, m) in facts.missing {
            e.add(&field, format!("Missing: {m}"));
        }
    }
    Ok(e.into_result()?)
}

/// Courses: the plan is copied from the clinic's template when none is given; the treatment
/// of a course with sessions cannot change.
pub(crate) fn prepare_course(
    conn: &Connection,
    patient_id: i64,
    input: &Course,
    id: Option<i64>,
    previous: Option<&Course>,
) -> CoreResult<Course> {
    let mut c = input.clone();
    if let (Some(prev), Some(id)) = (previous, id) {
        let (n, _) = context::course_counts(conn, patient_id, id)?;
        if n > 0 && (prev.modality != c.modality || prev.indication != c.indication) {
            return Err(ValidationErrors::single(
                "modality",
                "This course has sessions; its treatment and indication cannot change. Stop it and start a new course",
            )
            .into());
        }
    }
    if c.phases.is_empty() {
        let settings = settings::load(conn)?.settings;
        let found = c
            .protocol_id
            .as_deref()
            .and_then(|pid| settings.protocols.iter().find(|p| p.id == pid));
        match found {
            Some(p) if Some(p.modality) == c.modality && Some(p.indication) == c.indication => {
                c.phases = p.phases.clone();
            }
            Some(_) => {
                return Err(ValidationErrors::single(
                    "protocolId",
                    "This protocol is for another treatment or indication",
                )
                .into())
            }
            None => return Err(ValidationErrors::single("protocolId", "Choose a protocol").into()),
        }
    }
    Ok(c)
}

pub(crate) fn local_now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

pub(crate) fn unreadable() -> CoreError {
    CoreError::Crypto("a stored treatment record is not readable")
}
