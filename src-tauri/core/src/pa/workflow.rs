//! Where a stored request meets the evaluation: checking a request against its own rule-set
//! version, date of service, ordering provider and attestations; marking it ready only when
//! the core's own evaluation has no gaps (or a provider recorded an override — never on the
//! caller's word); and the packet a request produces.

use chrono::{NaiveDate, NaiveDateTime};

use super::check::{self, CheckRequest};
use super::facts::PaFacts;
use super::outcome::Evaluation;
use super::packet::{PacketKind, PacketSpec, RequestedLine};
use super::request::{self, Request, RequestKind, RequestStatus, Transition};
use crate::error::CoreResult;
use crate::session::Session;

/// The check a request stands for.
pub fn check_of(r: &Request, today: NaiveDate) -> CheckRequest {
    CheckRequest {
        patient_id: r.patient_id,
        rule_set_id: r.rule_set_id.clone(),
        rule_set_version: Some(r.rule_set_version.clone()),
        service: r.service,
        on: r.requested_start.unwrap_or(today),
        ordering_provider: r.ordering_provider_id,
        attestations: r.attestations.clone(),
    }
}

/// Evaluates a stored request.
pub fn evaluate(
    session: &Session,
    id: i64,
    today: NaiveDate,
) -> CoreResult<(Request, Evaluation, PaFacts)> {
    let r = request::get(session, id)?;
    let (e, facts) = check::run(session, &check_of(&r, today), today)?;
    Ok((r, e, facts))
}

/// Draft → ready, with readiness decided here by evaluating the request.
pub fn mark_ready(
    session: &mut Session,
    id: i64,
    version: i64,
    now: NaiveDateTime,
) -> CoreResult<Request> {
    let (_, e, _) = evaluate(session, id, now.date())?;
    request::transition(
        session,
        id,
        version,
        &Transition::MarkReady {
            ready: !e.has_gaps(),
        },
        now,
    )
}

/// The packet a request produces: a re-authorization packet for a re-authorization, an appeal
/// for a denied or appealed request, else the initial packet.
pub fn packet_spec(r: &Request, today: NaiveDate) -> PacketSpec {
    let kind = if matches!(r.status, RequestStatus::Denied | RequestStatus::Appealed) {
        PacketKind::Appeal
    } else if r.kind == RequestKind::Reauthorization {
        PacketKind::Reauthorization
    } else {
        PacketKind::Initial
    };
    PacketSpec {
        kind,
        check: check_of(r, today),
        request_id: Some(r.id),
        course_record_id: r.course_record_id,
        rendering_provider: r.ordering_provider_id,
        lines: r
            .requested_lines
            .iter()
            .map(|l| RequestedLine {
                code: l.code.clone(),
                units: l.units,
                ndc: l.ndc.clone(),
            })
            .collect(),
        diagnosis_codes: r.diagnosis_codes.clone(),
        start: r.requested_start,
        end: r.requested_end,
        sessions: r.requested_sessions,
        letter: r.letter.clone(),
        override_reason: r
            .override_reason
            .as_ref()
            .map(|o| (o.reason.clone(), o.by_name.clone(), o.at.clone())),
        reference: r.submission_reference.clone(),
        auth_number: r.auth_number.clone(),
        denial_reason: r.denial_reason.clone(),
        appeal_letter: r.appeal_letter.clone(),
        previous_authorized_sessions: None,
    }
}
