//! When an ABN is due: the patient's primary coverage on the course's start (or today, if
//! later) is with a payer of type Medicare (Original Medicare; Medicare Advantage plans use
//! other notices), and a rule set linked to that payer either does not cover the course's
//! service or, evaluated against the chart, finds the patient not eligible (likely not covered).

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::access::Permission;
use crate::error::CoreResult;
use crate::pa::rules::CoverageStatus;
use crate::pa::{self, registry, Service, Status, Verdict};
use crate::patient::{self, PatientId};
use crate::payer::{self, PayerType};
use crate::record::{self, coverage::Priority, RecordBody, RecordKind};
use crate::session::Session;
use crate::treatment::{consent_gate, Course, Indication, Modality};

/// Whether the course needs an ABN, and what to print on it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AbnNeed {
    pub needed: bool,
    /// Why Medicare may not pay (box E), when needed.
    pub reason: Option<String>,
    /// The service (box D).
    pub service: String,
    /// "Payer — policy (version)" of the rule set that decided it.
    pub rule_set_title: Option<String>,
}

fn service_of(modality: Modality, indication: Option<Indication>) -> Service {
    match modality {
        Modality::Spravato if indication == Some(Indication::Mdsi) => Service::SpravatoMdsi,
        Modality::Spravato => Service::SpravatoTrd,
        Modality::Tms => Service::Tms,
        Modality::IvKetamine | Modality::ImKetamine => Service::IvKetamine,
    }
}

/// The service as box D prints it.
pub(crate) fn service_text(course: &Course) -> String {
    let what = match course.modality {
        Some(Modality::IvKetamine) => "Ketamine infusion (IV), off-label, for depression",
        Some(Modality::ImKetamine) => "Ketamine injection (IM), off-label, for depression",
        Some(Modality::Spravato) => "Spravato (esketamine) nasal spray treatment with monitoring",
        Some(Modality::Tms) => "Transcranial magnetic stimulation (TMS) for depression",
        None => "Treatment course",
    };
    match course.start() {
        Some(d) => format!("{what}: treatment course starting {}", d.format("%d-%b-%Y")),
        None => what.to_string(),
    }
}

/// The primary coverage's payer on `on`, if any.
fn primary_payer(
    conn: &Connection,
    patient_id: i64,
    on: NaiveDate,
) -> CoreResult<Option<payer::Payer>> {
    for body in record::list_bodies(conn, patient_id, RecordKind::Coverage)? {
        let RecordBody::Coverage(c) = body else {
            continue;
        };
        let from = NaiveDate::parse_from_str(&c.effective_from, "%Y-%m-%d").ok();
        let to = c
            .effective_to
            .as_deref()
            .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok());
        if matches!(c.priority, Some(Priority::Primary))
            && from.is_some_and(|f| f <= on)
            && to.is_none_or(|t| t >= on)
        {
            return Ok(Some(payer::get(conn, c.payer_id)?));
        }
    }
    Ok(None)
}

/// Whether `course_id` needs an ABN (staff who prepare consents and ABNs).
pub fn need(session: &Session, patient_id: i64, course_id: i64) -> CoreResult<AbnNeed> {
    session.require(Permission::ManageDocuments)?;
    let conn = session.conn();
    patient::load(conn, PatientId(patient_id))?;
    let course = consent_gate::course(conn, patient_id, course_id)?;
    let mut out = AbnNeed {
        service: service_text(&course),
        ..AbnNeed::default()
    };
    let Some(modality) = course.modality else {
        return Ok(out);
    };
    let today = chrono::Local::now().date_naive();
    let on = course.start().map_or(today, |s| s.max(today));
    let Some(p) = primary_payer(conn, patient_id, on)? else {
        return Ok(out);
    };
    if p.payer_type != PayerType::Medicare {
        return Ok(out);
    }
    let service = service_of(modality, course.indication);
    let mut rule_sets = Vec::new();
    for id in registry::for_payer(conn, p.id)? {
        if let Ok(r) = registry::in_effect(conn, &id, on) {
            if r.service == service {
                rule_sets.push(r);
            }
        }
    }
    let title = |r: &pa::RuleSet| format!("{} — {} ({})", r.payer, r.policy, r.version);
    if let Some(r) = rule_sets
        .iter()
        .find(|r| r.coverage == CoverageStatus::NotCovered)
    {
        out.needed = true;
        out.reason = Some(match r.not_covered_reason.as_deref() {
            Some(why) if !why.trim().is_empty() => {
                format!("Medicare does not cover this service: {}", why.trim())
            }
            _ => "Medicare does not cover this service under the policy that applies".into(),
        });
        out.rule_set_title = Some(title(r));
        return Ok(out);
    }
    // Covered in principle: evaluated against the chart, a criterion that decides eligibility
    // not met means Medicare is not likely to pay (needs the clinical record).
    if !session.can(Permission::ReadClinical) || rule_sets.is_empty() {
        return Ok(out);
    }
    let facts = pa::facts::gather(session, patient_id, None, Vec::new(), today)?;
    for r in &rule_sets {
        let e = pa::evaluate(&facts, r, on);
        if e.verdict != Verdict::NotEligible {
            continue;
        }
        let unmet: Vec<&str> = e
            .criteria
            .iter()
            .filter(|c| c.status == Status::NotMet && c.decides_eligibility)
            .map(|c| c.label.as_str())
            .collect();
        out.needed = true;
        out.reason = Some(if unmet.is_empty() {
            "Medicare is not likely to pay: the coverage criteria for this service are not met"
                .into()
        } else {
            format!(
                "Medicare is not likely to pay: the coverage criteria are not met ({})",
                unmet.join("; ")
            )
        });
        out.rule_set_title = Some(title(r));
        return Ok(out);
    }
    Ok(out)
}
