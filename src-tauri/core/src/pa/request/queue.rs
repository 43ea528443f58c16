//! The billing work queue: every request with its patient, payer, status, age, warnings and —
//! where CMS-0057-F binds the payer — the decision clock (72 hours expedited, 7 calendar days
//! standard, from the submission). Also the approvals due for re-authorization and those
//! expiring soon. Rules and thresholds come from `pa-clocks.v1.json`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, FixedOffset, Local, TimeZone, Utc};

use super::check::parse_at;
use super::clocks::{self, DecisionClockRule};
use super::status::RequestStatus;
use super::store::load_all;
use super::units::{units_used, UnitsLine};
use super::warnings::{warnings, Warning};
use super::{Request, RequestKind};
use crate::access::Permission;
use crate::error::CoreResult;
use crate::pa::service::Service;
use crate::payer::PayerType;
use crate::session::Session;

/// When the payer owes a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionClock {
    /// The rule that sets it (`CMS-0057-F`).
    pub rule: String,
    pub expedited: bool,
    /// The time the payer has, in hours (72, or 7 days = 168).
    pub hours: u32,
    pub started: DateTime<Utc>,
    pub due: DateTime<Utc>,
    pub overdue: bool,
    /// Minutes until due (negative: overdue by).
    pub minutes_left: i64,
    /// Source tags of `pa-clocks.v1.json`.
    pub sources: Vec<String>,
}

/// The decision clock for a request, or `None` where the rule does not bind: a payer type it
/// does not name (commercial, traditional Medicare, exchange plans), a drug (Spravato), a
/// request submitted before the rule took effect, or a status in which no decision is owed.
/// `submitted` is the submission time with the offset it was entered in.
pub fn decision_clock(
    rule: &DecisionClockRule,
    payer_type: PayerType,
    service: Service,
    expedited: bool,
    status: RequestStatus,
    submitted: Option<DateTime<FixedOffset>>,
    now: DateTime<Utc>,
) -> Option<DecisionClock> {
    let submitted = submitted?;
    if !rule.impacted_payer_types.contains(&payer_type)
        || (rule.excludes_drugs && service.is_drug())
        || !rule.runs_while.contains(&status)
        || rule
            .applies_from_date()
            .is_none_or(|from| submitted.date_naive() < from)
    {
        return None;
    }
    let hours = if expedited {
        rule.expedited_hours
    } else {
        rule.standard_days.saturating_mul(24)
    };
    let started = submitted.with_timezone(&Utc);
    let due = started + Duration::hours(i64::from(hours));
    Some(DecisionClock {
        rule: rule.rule.clone(),
        expedited,
        hours,
        started,
        due,
        overdue: now > due,
        minutes_left: (due - now).num_minutes(),
        sources: rule.sources.clone(),
    })
}

/// One request in the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueItem {
    pub request_id: i64,
    pub patient_id: i64,
    /// `FAMILY, Given`.
    pub patient_name: String,
    pub mrn: String,
    pub payer_id: i64,
    pub payer_name: String,
    pub payer_type: PayerType,
    pub service: Service,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub expedited: bool,
    /// Whole days since the request was started.
    pub age_days: i64,
    pub submitted_at: Option<String>,
    pub auth_number: Option<String>,
    pub approved_end: Option<chrono::NaiveDate>,
    pub units: Vec<UnitsLine>,
    pub warnings: Vec<Warning>,
    pub clock: Option<DecisionClock>,
    /// A later re-authorization request already continues this one.
    pub reauthorization_started: bool,
    /// RFC 3339 UTC.
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Queue {
    /// Every request: overdue decisions first, then by when a decision is due, then by status.
    pub items: Vec<QueueItem>,
    /// Approvals ending within the re-authorization window or with few units left, and no
    /// re-authorization started.
    pub reauthorizations_due: Vec<QueueItem>,
    /// Approvals ending within the warning window.
    pub expiring: Vec<QueueItem>,
}

fn submitted_with_offset(r: &Request) -> Option<DateTime<FixedOffset>> {
    let t = parse_at(r.submitted_at.as_deref()?)?;
    Some(match Local.from_local_datetime(&t).earliest() {
        Some(l) => l.fixed_offset(),
        None => Utc.from_utc_datetime(&t).fixed_offset(),
    })
}

/// The work queue as of `now`.
pub fn work_queue(session: &Session, now: DateTime<Utc>) -> CoreResult<Queue> {
    session.require(Permission::ManageAuthorizations)?;
    let conn = session.conn();
    let reference = clocks::bundled()?;
    let today = now.with_timezone(&Local).date_naive();
    let requests = load_all(conn)?;
    let continued: HashSet<i64> = requests.iter().filter_map(|r| r.previous_id).collect();
    let patients: HashMap<i64, (String, String)> = conn
        .prepare("SELECT p.id, p.family_name, p.given_name, p.mrn FROM patient p WHERE p.id IN (SELECT patient_id FROM pa_request)")?
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                (
                    format!(
                        "{}, {}",
                        r.get::<_, String>(1)?.to_uppercase(),
                        r.get::<_, String>(2)?
                    ),
                    r.get::<_, String>(3)?,
                ),
            ))
        })?
        .collect::<Result<_, _>>()?;

    let mut queue = Queue::default();
    for r in requests {
        let units = units_used(conn, &r)?;
        let warn = warnings(r.status, r.approved_end, &units, today, &reference.warnings);
        let clock = decision_clock(
            &reference.decision_clock,
            r.payer_type,
            r.service,
            r.expedited,
            r.status,
            submitted_with_offset(&r),
            now,
        );
        let created = DateTime::parse_from_rfc3339(&r.created_at)
            .map(|c| c.with_timezone(&Utc))
            .unwrap_or(now);
        let (name, mrn) = patients.get(&r.patient_id).cloned().unwrap_or_default();
        let item = QueueItem {
            request_id: r.id,
            patient_id: r.patient_id,
            patient_name: name,
            mrn,
            payer_id: r.payer_id,
            payer_name: r.payer_name.clone(),
            payer_type: r.payer_type,
            service: r.service,
            kind: r.kind,
            status: r.status,
            expedited: r.expedited,
            age_days: (now - created).num_days().max(0),
            submitted_at: r.submitted_at.clone(),
            auth_number: r.auth_number.clone(),
            approved_end: r.approved_end,
            reauthorization_started: continued.contains(&r.id),
            units,
            warnings: warn,
            clock,
            updated_at: r.updated_at.clone(),
        };
        if r.is_approved() {
            let days_left = r.approved_end.map(|end| (end - today).num_days());
            let w = &reference.warnings;
            let few_units = item
                .units
                .iter()
                .any(|u| u.remaining < i64::from(w.units_left_below));
            let ending_for_reauth = days_left
                .is_some_and(|d| (0..=i64::from(w.reauthorization_within_days)).contains(&d));
            if !item.reauthorization_started && (ending_for_reauth || few_units) {
                queue.reauthorizations_due.push(item.clone());
            }
            if days_left.is_some_and(|d| (0..=i64::from(w.ends_within_days)).contains(&d)) {
                queue.expiring.push(item.clone());
            }
        }
        queue.items.push(item);
    }
    queue.items.sort_by_key(|i| {
        (
            !i.clock.as_ref().is_some_and(|c| c.overdue),
            i.clock.as_ref().map_or(DateTime::<Utc>::MAX_UTC, |c| c.due),
            i.status.queue_rank(),
            i.request_id,
        )
    });
    let by_end = |a: &QueueItem, b: &QueueItem| {
        (a.approved_end, a.request_id).cmp(&(b.approved_end, b.request_id))
    };
    queue.reauthorizations_due.sort_by(by_end);
    queue.expiring.sort_by(by_end);
    Ok(queue)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<FixedOffset> {
        FixedOffset::west_opt(5 * 3600)
            .unwrap()
            .from_local_datetime(
                &NaiveDate::from_ymd_opt(y, m, d)
                    .unwrap()
                    .and_hms_opt(h, 0, 0)
                    .unwrap(),
            )
            .unwrap()
    }

    fn clock(
        payer: PayerType,
        service: Service,
        expedited: bool,
        status: RequestStatus,
        submitted: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
    ) -> Option<DecisionClock> {
        let rule = &clocks::bundled().unwrap().decision_clock;
        decision_clock(
            rule,
            payer,
            service,
            expedited,
            status,
            Some(submitted),
            now.with_timezone(&Utc),
        )
    }

    #[test]
    fn standard_is_seven_days_and_expedited_72_hours() {
        let sub = at(2026, 3, 2, 9);
        let c = clock(
            PayerType::MedicaidManaged,
            Service::Tms,
            false,
            RequestStatus::Submitted,
            sub,
            at(2026, 3, 9, 8),
        )
        .unwrap();
        assert_eq!(c.due, at(2026, 3, 9, 9).with_timezone(&Utc));
        assert_eq!(c.hours, 168);
        assert!(!c.overdue);
        assert_eq!(c.minutes_left, 60);
        let c = clock(
            PayerType::MedicaidManaged,
            Service::Tms,
            false,
            RequestStatus::Pending,
            sub,
            at(2026, 3, 9, 10),
        )
        .unwrap();
        assert!(c.overdue);
        assert_eq!(c.minutes_left, -60);
        let c = clock(
            PayerType::MedicareAdvantage,
            Service::IvKetamine,
            true,
            RequestStatus::Submitted,
            sub,
            at(2026, 3, 5, 9),
        )
        .unwrap();
        assert_eq!(c.due, at(2026, 3, 5, 9).with_timezone(&Utc));
        assert!(!c.overdue, "due exactly now is not yet overdue");
        assert_eq!(c.rule, "CMS-0057-F");
        assert_eq!(c.sources, ["S48"]);
    }

    #[test]
    fn where_the_rule_does_not_bind_there_is_no_clock() {
        let sub = at(2026, 3, 2, 9);
        let now = at(2026, 3, 3, 9);
        for p in [
            PayerType::Commercial,
            PayerType::Medicare,
            PayerType::Exchange,
            PayerType::Other,
        ] {
            assert!(
                clock(p, Service::Tms, false, RequestStatus::Submitted, sub, now).is_none(),
                "{p:?}"
            );
        }
        for s in [Service::SpravatoTrd, Service::SpravatoMdsi] {
            assert!(clock(
                PayerType::MedicaidFfs,
                s,
                false,
                RequestStatus::Submitted,
                sub,
                now
            )
            .is_none());
        }
        for st in [
            RequestStatus::Draft,
            RequestStatus::Ready,
            RequestStatus::Approved,
            RequestStatus::Denied,
            RequestStatus::Appealed,
        ] {
            assert!(clock(PayerType::MedicaidFfs, Service::Tms, false, st, sub, now).is_none());
        }
        // Submitted on the last day of 2025 (local): before the rule.
        let late_2025 = at(2025, 12, 31, 23);
        assert!(clock(
            PayerType::MedicaidFfs,
            Service::Tms,
            false,
            RequestStatus::Submitted,
            late_2025,
            now
        )
        .is_none());
        assert!(clock(
            PayerType::MedicaidFfs,
            Service::Tms,
            false,
            RequestStatus::Submitted,
            at(2026, 1, 1, 0),
            now
        )
        .is_some());
        let rule = &clocks::bundled().unwrap().decision_clock;
        assert!(decision_clock(
            rule,
            PayerType::MedicaidFfs,
            Service::Tms,
            false,
            RequestStatus::Submitted,
            None,
            now.with_timezone(&Utc)
        )
        .is_none());
    }
}
