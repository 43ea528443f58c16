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
