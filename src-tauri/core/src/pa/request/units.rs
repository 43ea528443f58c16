//! Units used against an approval, counted from the chart every time: the billing lines of the
//! patient's signed sessions in the approved dates, in a course that delivers the service (or
//! the course the request names). Signing a session is what "uses" a unit, and nothing is
//! stored that could drift from the signed record.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::{CodeLine, Request};
use crate::billing::BillingLine;
use crate::error::{CoreError, CoreResult};
use crate::record::{course_alias, RecordBody};
use crate::treatment::Modality;

/// One approved code: approved, used, and what is left (negative: used beyond the approval).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitsLine {
    pub code: String,
    pub approved: u32,
    pub used: u32,
    pub remaining: i64,
}

/// The arithmetic: for each approved code, the units of that code on the sessions dated within
/// `[start, end]`.
pub fn tally(
    approved: &[CodeLine],
    start: NaiveDate,
    end: NaiveDate,
    sessions: &[(NaiveDate, &[BillingLine])],
) -> Vec<UnitsLine> {
    approved
        .iter()
        .map(|a| {
            let used: u32 = sessions
                .iter()
                .filter(|(d, _)| start <= *d && *d <= end)
                .flat_map(|(_, lines)| lines.iter())
                .filter(|l| l.code.trim().eq_ignore_ascii_case(&a.code))
                .map(|l| l.units)
                .sum();
            UnitsLine {
                code: a.code.clone(),
                approved: a.units,
                used,
                remaining: i64::from(a.units) - i64::from(used),
            }
        })
        .collect()
}

fn unreadable() -> CoreError {
    CoreError::Crypto("a stored treatment record is not readable")
}

/// The modality of a course record (cached: many sessions share a course).
fn modality_of(
    conn: &Connection,
    cache: &mut HashMap<i64, Option<Modality>>,
    course_id: i64,
) -> CoreResult<Option<Modality>> {
    if let Some(m) = cache.get(&course_id) {
        return Ok(*m);
    }
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM clinical_record WHERE id = ?1 AND kind = 'course'",
            [course_id],
            |r| r.get(0),
        )
        .ok();
    let m = match body.as_deref().map(serde_json::from_str::<RecordBody>) {
        Some(Ok(RecordBody::Course(c))) => c.modality,
        Some(_) => return Err(unreadable()),
        None => None,
    };
    cache.insert(course_id, m);
    Ok(m)
}

/// Units used against `request`'s approval (empty until it is approved).
pub(crate) fn units_used(conn: &Connection, request: &Request) -> CoreResult<Vec<UnitsLine>> {
    let (Some(start), Some(end)) = (request.approved_start, request.approved_end) else {
        return Ok(Vec::new());
    };
    if !request.is_approved() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String)> = conn
        .prepare(
            "SELECT id, body FROM clinical_record \
             WHERE patient_id = ?1 AND kind = 'session' AND signed_at IS NOT NULL ORDER BY id",
        )?
        .query_map([request.patient_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut courses = HashMap::new();
    let mut sessions: Vec<(NaiveDate, Vec<BillingLine>)> = Vec::new();
    for (id, body) in rows {
        let RecordBody::Session(s) = serde_json::from_str(&body).map_err(|_| unreadable())? else {
            continue;
        };
        let course_id = course_alias(conn, id)?.unwrap_or(s.course_id);
        let counts = match request.course_record_id {
            Some(c) => c == course_id,
            None => modality_of(conn, &mut courses, course_id)?
                .is_some_and(|m| request.service.delivered_by(m)),
        };
        let Ok(date) = NaiveDate::parse_from_str(&s.date, "%Y-%m-%d") else {
            continue;
        };
        if counts {
            sessions.push((date, s.billing));
        }
    }
    let view: Vec<(NaiveDate, &[BillingLine])> =
        sessions.iter().map(|(d, l)| (*d, l.as_slice())).collect();
    Ok(tally(&request.approved_lines, start, end, &view))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn units_in_the_window_are_counted_per_code() {
        let g82 = [BillingLine::new("G2082", 1)];
        let g83 = [BillingLine::new("g2083", 1), BillingLine::new("99213", 1)];
        let sessions: Vec<(NaiveDate, &[BillingLine])> = vec![
            (d(3, 1), &g82),  // first day: counted
            (d(3, 10), &g82), // inside
            (d(3, 31), &g83), // last day: counted
            (d(2, 28), &g82), // before
            (d(4, 1), &g82),  // after
        ];
        let out = tally(
            &[CodeLine::new("G2082", 2), CodeLine::new("G2083", 8)],
            d(3, 1),
            d(3, 31),
            &sessions,
        );
        assert_eq!(
            out,
            [
                UnitsLine {
                    code: "G2082".into(),
                    approved: 2,
                    used: 2,
                    remaining: 0
                },
                UnitsLine {
                    code: "G2083".into(),
                    approved: 8,
                    used: 1,
                    remaining: 7
                }
            ]
        );
    }

    #[test]
    fn using_more_than_approved_goes_negative() {
        let l = [BillingLine::new("90868", 1)];
        let sessions: Vec<(NaiveDate, &[BillingLine])> =
            (1..=5).map(|day| (d(5, day), &l[..])).collect();
        let out = tally(&[CodeLine::new("90868", 3)], d(5, 1), d(5, 31), &sessions);
        assert_eq!(out[0].used, 5);
        assert_eq!(out[0].remaining, -2);
    }
}
