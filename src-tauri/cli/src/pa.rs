//! `pa`: payer rule sets (list, validate a file), the gap check, packets and the work queue.

use std::path::PathBuf;

use clap::Subcommand;
use ketachart_core::pa::check::{self, CheckRequest};
use ketachart_core::pa::{self, registry, Service, Status};
use ketachart_core::{CoreError, Session, ValidationErrors};

#[derive(Debug, Subcommand)]
pub enum PaCommand {
    /// Payer rule sets.
    Policies {
        #[command(subcommand)]
        command: PoliciesCommand,
    },
    /// Check a patient against one rule set: every criterion MET / NOT MET / INSUFFICIENT /
    /// NOT APPLICABLE with its explanation and the ids of the records used.
    Check {
        /// MRN or internal id.
        #[arg(long)]
        patient: String,
        /// Rule-set id, e.g. `cigna-spravato-trd` (see `pa policies list`).
        #[arg(long)]
        policy: String,
        /// spravato_trd, spravato_mdsi, tms or iv_ketamine.
        #[arg(long)]
        service: String,
        /// Date of service (YYYY-MM-DD; default today). The rule-set version in effect then is used.
        #[arg(long)]
        on: Option<String>,
    },
    /// Write the prior-authorization packet PDF for a patient against a rule set (a draft
    /// watermark while gaps remain). Uses the chart's active diagnoses, the rule set's approval
    /// length and the service's usual codes.
    Packet {
        /// MRN or internal id.
        #[arg(long)]
        patient: String,
        #[arg(long)]
        policy: String,
        #[arg(long)]
        service: String,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        out: PathBuf,
        /// Append the stored documents the attachments index lists (linked to the trials, the
        /// coverage, the episode and the service's courses): PDF pages merged, images on pages.
        #[arg(long)]
        append_documents: bool,
    },
    /// The billing work queue: every request with its status, the CMS-0057-F decision clock
    /// where it applies, warnings, re-authorizations due and expiring authorizations.
    Queue,
}

#[derive(Debug, Subcommand)]
pub enum PoliciesCommand {
    /// Every rule set this clinic has (shipped and imported).
    List,
    /// Check a rule-set file without importing it; each problem is printed with its line.
    Validate { file: PathBuf },
}

fn bad(field: &str, message: String) -> CoreError {
    CoreError::Validation(ValidationErrors::single(field, message))
}

pub fn parse_service(s: &str) -> Result<Service, CoreError> {
    Service::parse(s.trim()).ok_or_else(|| {
        bad(
            "service",
            format!(
                "\"{s}\" is not a service: use {}",
                Service::ALL.map(Service::as_str).join(", ")
            ),
        )
    })
}

pub fn parse_on(
    on: &Option<String>,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, CoreError> {
    match on {
        None => Ok(today),
        Some(s) => chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| bad("on", format!("\"{s}\" is not a date (YYYY-MM-DD)"))),
    }
}

/// `pa policies validate FILE`: needs no vault.
pub fn validate_file(as_json: bool, file: &std::path::Path) -> Result<(), CoreError> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        bad(
            "file",
            format!("{} could not be read ({e})", file.display()),
        )
    })?;
    match pa::parse(&text) {
        Ok(sets) => {
            if as_json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "valid": true,
                        "ruleSets": sets.iter().map(|s| serde_json::json!({"id": s.id, "version": s.version})).collect::<Vec<_>>()
                    }))
                    .unwrap_or_default()
                );
            } else {
                println!("{}: valid, {} rule set(s)", file.display(), sets.len());
                for s in sets {
                    println!(
                        "  {} {} ({}, {})",
                        s.id,
                        s.version,
                        s.payer,
                        s.service.as_str()
                    );
                }
            }
            Ok(())
        }
        Err(problems) => Err(registry::problems_error(problems)),
    }
}

pub fn run(
    as_json: bool,
    session: &Session,
    command: &PaCommand,
    patient_id: impl Fn(&str) -> Result<i64, CoreError>,
    today: chrono::NaiveDate,
) -> Result<(), CoreError> {
    match command {
        PaCommand::Policies {
            command: PoliciesCommand::List,
        } => {
            let all = registry::list(session)?;
            if as_json {
                let v: Vec<_> = all
                    .iter()
                    .map(|a| {
                        serde_json::json!({
                            "id": a.rule_set.id,
                            "version": a.rule_set.version,
                            "payer": a.rule_set.payer,
                            "policy": a.rule_set.policy,
                            "service": a.rule_set.service.as_str(),
                            "effectiveFrom": a.rule_set.effective_from,
                            "effectiveTo": a.rule_set.effective_to,
                            "verified": a.rule_set.verified,
                            "covered": a.rule_set.coverage == pa::rules::CoverageStatus::Covered,
                            "clinicFile": a.clinic_file,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                for a in all {
                    let r = &a.rule_set;
                    println!(
                        "{:<34} {:<10} {:<14} {:<22} {}{}",
                        r.id,
                        r.version,
                        r.service.as_str(),
                        r.payer,
                        r.policy,
                        if r.verified {
                            ""
                        } else {
                            "  [requires review]"
                        }
                    );
                }
            }
            Ok(())
        }
        PaCommand::Policies {
            command: PoliciesCommand::Validate { file },
        } => validate_file(as_json, file),
        PaCommand::Packet {
            patient,
            policy,
            service,
            on,
            out,
            append_documents,
        } => {
            let spec = ketachart_core::pa::packet::PacketSpec {
                request_id: None,
                course_record_id: None,
                kind: ketachart_core::pa::packet::PacketKind::Initial,
                check: CheckRequest {
                    patient_id: patient_id(patient)?,
                    rule_set_id: policy.clone(),
                    rule_set_version: None,
                    service: parse_service(service)?,
                    on: parse_on(on, today)?,
                    ordering_provider: None,
                    attestations: Vec::new(),
                },
                rendering_provider: None,
                lines: Vec::new(),
                diagnosis_codes: Vec::new(),
                start: None,
                end: None,
                sessions: None,
                letter: None,
                override_reason: None,
                reference: None,
                auth_number: None,
                denial_reason: None,
                appeal_letter: None,
                previous_authorized_sessions: None,
            };
            let path = std::path::absolute(out).unwrap_or_else(|_| out.clone());
            let written = ketachart_pdf::pa_packet::export(
                session,
                &spec,
                &path.display().to_string(),
                today,
                *append_documents,
            )?;
            eprintln!("Wrote {}", written.display());
            Ok(())
        }
        PaCommand::Queue => {
            let q = ketachart_core::pa::request::work_queue(session, chrono::Utc::now())?;
            queue(as_json, &q);
            Ok(())
        }
        PaCommand::Check {
            patient,
            policy,
            service,
            on,
        } => {
            let req = CheckRequest {
                patient_id: patient_id(patient)?,
                rule_set_id: policy.clone(),
                rule_set_version: None,
                service: parse_service(service)?,
                on: parse_on(on, today)?,
                ordering_provider: None,
                attestations: Vec::new(),
            };
            let (e, _) = check::run(session, &req, today)?;
            if as_json {
                println!("{}", serde_json::to_string_pretty(&e).unwrap_or_default());
            } else {
                println!(
                    "{} — {} ({} {}) on {}",
                    e.payer, e.policy, e.rule_set_id, e.rule_set_version, e.on
                );
                println!("{}: {}", e.verdict.label(), e.summary);
                for c in &e.criteria {
                    let mark = match c.status {
                        Status::Met => "MET",
                        Status::NotMet => "NOT MET",
                        Status::Insufficient => "INSUFFICIENT",
                        Status::NotApplicable => "N/A",
                    };
                    println!("[{mark:<12}] {}", c.label);
                    println!("               {}", c.explanation);
                    if let Some(f) = &c.fix {
                        println!("               To fix: {f}");
                    }
                    for ev in &c.evidence {
                        println!(
                            "               evidence: {:?} {} {}",
                            ev.kind, ev.id, ev.label
                        );
                    }
                }
            }
            Ok(())
        }
    }
}

fn queue_item_json(i: &ketachart_core::pa::request::QueueItem) -> serde_json::Value {
    serde_json::json!({
        "requestId": i.request_id,
        "patientId": i.patient_id,
        "mrn": i.mrn,
        "payer": i.payer_name,
        "payerType": i.payer_type.as_str(),
        "service": i.service.as_str(),
        "kind": i.kind.as_str(),
        "status": i.status.as_str(),
        "expedited": i.expedited,
        "ageDays": i.age_days,
        "submittedAt": i.submitted_at,
        "authNumber": i.auth_number,
        "approvedEnd": i.approved_end.map(|d| d.to_string()),
        "units": i.units.iter().map(|u| serde_json::json!({"code": u.code, "approved": u.approved, "used": u.used, "remaining": u.remaining})).collect::<Vec<_>>(),
        "warnings": i.warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>(),
        "clock": i.clock.as_ref().map(|c| serde_json::json!({
            "rule": c.rule,
            "expedited": c.expedited,
            "hours": c.hours,
            "due": c.due.to_rfc3339(),
            "overdue": c.overdue,
            "minutesLeft": c.minutes_left,
        })),
    })
}

/// The queue as JSON (ids and MRNs, no names: scripts rarely need them) or a table.
fn queue(as_json: bool, q: &ketachart_core::pa::request::Queue) {
    if as_json {
        let v = serde_json::json!({
            "items": q.items.iter().map(queue_item_json).collect::<Vec<_>>(),
            "reauthorizationsDue": q.reauthorizations_due.iter().map(queue_item_json).collect::<Vec<_>>(),
            "expiring": q.expiring.iter().map(queue_item_json).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return;
    }
    if q.items.is_empty() {
        println!("No prior-authorization requests.");
    }
    for i in &q.items {
        let clock = match &i.clock {
            Some(c) if c.overdue => format!("OVERDUE since {}", c.due.format("%d-%b-%Y %H:%M UTC")),
            Some(c) => format!("due {}", c.due.format("%d-%b-%Y %H:%M UTC")),
            None => "no federal clock".into(),
        };
        println!(
            "#{:<5} {:<13} {:<14} {:<20} {:<18} {}",
            i.request_id,
            i.mrn,
            i.service.as_str(),
            i.payer_name,
            i.status.label(),
            clock
        );
        for w in &i.warnings {
            println!("       ⚠ {}", w.message);
        }
    }
    if !q.reauthorizations_due.is_empty() {
        println!(
            "Re-authorizations due: {}",
            q.reauthorizations_due
                .iter()
                .map(|i| format!("#{}", i.request_id))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !q.expiring.is_empty() {
        println!(
            "Expiring within 14 days: {}",
            q.expiring
                .iter()
                .map(|i| format!("#{}", i.request_id))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}
