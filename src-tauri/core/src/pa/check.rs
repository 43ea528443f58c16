//! A gap check as the app and the CLI run it: read the chart, pick the rule-set version in
//! effect, evaluate, and audit that the chart was read for it.

use chrono::NaiveDate;

use super::attestation::Attestation;
use super::evaluate::evaluate;
use super::facts::{self, PaFacts};
use super::outcome::Evaluation;
use super::registry;
use super::rules::RuleSet;
use super::service::Service;
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::session::Session;
use crate::validation::ValidationErrors;

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub patient_id: i64,
    pub rule_set_id: String,
    /// A specific version; `None` = the version in effect on `on`.
    pub rule_set_version: Option<String>,
    pub service: Service,
    pub on: NaiveDate,
    pub ordering_provider: Option<i64>,
    pub attestations: Vec<Attestation>,
}

/// The rule set a check uses, refused when it is for another service.
pub fn rule_set_for(session: &Session, req: &CheckRequest) -> CoreResult<RuleSet> {
    let rules = match &req.rule_set_version {
        Some(v) => registry::find(session.conn(), &req.rule_set_id, v)?,
        None => registry::in_effect(session.conn(), &req.rule_set_id, req.on)?,
    };
    if rules.service != req.service {
        let mut e = ValidationErrors::new();
        e.add(
            "service",
            format!(
                "{} ({}) is a policy for {}, not {}",
                rules.policy,
                rules.payer,
                rules.service.label(),
                req.service.label()
            ),
        );
        return Err(CoreError::Validation(e));
    }
    Ok(rules)
}

/// Evaluates the patient against the rule set and audits the read (ids only).
pub fn run(
    session: &Session,
    req: &CheckRequest,
    today: NaiveDate,
) -> CoreResult<(Evaluation, PaFacts)> {
    run_with_rules(session, req, today).map(|(e, f, _)| (e, f))
}

/// As `run`, also giving the rule-set version used (documents print it).
pub fn run_with_rules(
    session: &Session,
    req: &CheckRequest,
    today: NaiveDate,
) -> CoreResult<(Evaluation, PaFacts, RuleSet)> {
    session.require(Permission::ManageAuthorizations)?;
    let rules = rule_set_for(session, req)?;
    let facts = facts::gather(
        session,
        req.patient_id,
        req.ordering_provider,
        req.attestations.clone(),
        today,
    )?;
    let evaluation = evaluate(&facts, &rules, req.on);
    audit::append(
        session.conn(),
        &session.actor(),
        &NewEvent::new(AuditAction::PaCheck)
            .patient(req.patient_id, &facts.patient.mrn)
            .detail(format!("{} {}", rules.id, rules.version)),
    )?;
    Ok((evaluation, facts, rules))
}
