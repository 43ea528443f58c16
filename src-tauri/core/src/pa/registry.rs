//! Which rule sets this clinic has: the bundled ones, replaced or added to by files the clinic
//! imported (a rule set with a bundled one's id and version replaces it), and which apply to
//! each payer on the clinic's payer list.

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};

use super::load::{self, period, RuleProblem};
use super::rules::RuleSet;
use super::service::Service;
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

/// A rule set and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Available {
    pub rule_set: RuleSet,
    /// `None` for a bundled rule set; else the imported file's name.
    pub clinic_file: Option<String>,
}

/// Every rule set this clinic has, bundled first, sorted by payer, service, id and date.
pub fn all(conn: &Connection) -> CoreResult<Vec<Available>> {
    let mut out: Vec<Available> = load::bundled()?
        .iter()
        .map(|r| Available {
            rule_set: r.clone(),
            clinic_file: None,
        })
        .collect();
    let files: Vec<(String, String)> = conn
        .prepare("SELECT name, content FROM pa_rule_file ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, content) in files {
        // Checked on import; a file that no longer parses (a newer KetaChart's) is skipped
        // rather than guessed at.
        let Ok(sets) = load::parse(&content) else {
            continue;
        };
        for s in sets {
            out.retain(|a| !(a.rule_set.id == s.id && a.rule_set.version == s.version));
            out.push(Available {
                rule_set: s,
                clinic_file: Some(name.clone()),
            });
        }
    }
    out.sort_by(|a, b| {
        (
            &a.rule_set.payer,
            a.rule_set.service,
            &a.rule_set.id,
            &a.rule_set.effective_from,
        )
            .cmp(&(
                &b.rule_set.payer,
                b.rule_set.service,
                &b.rule_set.id,
                &b.rule_set.effective_from,
            ))
    });
    Ok(out)
}

/// Rule sets the user may see (anyone who works on authorizations or keeps the rules).
pub fn list(session: &Session) -> CoreResult<Vec<Available>> {
    if !session.can(Permission::ManagePayerRules) {
        session.require(Permission::ManageAuthorizations)?;
    }
    all(session.conn())
}

/// One version of a rule set.
pub fn find(conn: &Connection, id: &str, version: &str) -> CoreResult<RuleSet> {
    all(conn)?
        .into_iter()
        .map(|a| a.rule_set)
        .find(|r| r.id == id && r.version == version)
        .ok_or(CoreError::NotFound {
            what: "The payer rule set",
        })
}

/// The version of a policy in effect on a date (the newest one starting on or before it).
pub fn in_effect(conn: &Connection, id: &str, on: NaiveDate) -> CoreResult<RuleSet> {
    let mut versions: Vec<RuleSet> = all(conn)?
        .into_iter()
        .map(|a| a.rule_set)
        .filter(|r| r.id == id)
        .collect();
    if versions.is_empty() {
        return Err(CoreError::NotFound {
            what: "The payer rule set",
        });
    }
    versions.retain(|r| period(r).is_some_and(|(from, to)| from <= on && on <= to));
    versions.sort_by(|a, b| a.effective_from.cmp(&b.effective_from));
    versions.pop().ok_or_else(|| {
        let mut e = ValidationErrors::new();
        e.add(
            "on",
            format!("No version of rule set \"{id}\" is in effect on {on}"),
        );
        CoreError::Validation(e)
    })
}

/// Checks and stores a clinic rule-set file. Nothing is stored if any problem is found; each
/// problem names its line.
pub fn import(session: &Session, name: &str, content: &str) -> CoreResult<Vec<RuleSet>> {
    session.require(Permission::ManagePayerRules)?;
    let sets = load::parse(content).map_err(problems_error)?;
    let sha = hex::encode(Sha256::digest(content.as_bytes()));
    let name = name.trim();
    let name = if name.is_empty() { "rule sets" } else { name };
    let tx = session.conn().unchecked_transaction()?;
    let taken: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM pa_rule_file WHERE sha256 = ?1)",
        [&sha],
        |r| r.get(0),
    )?;
    if taken {
        return Err(CoreError::Conflict(
            "This rule-set file has already been imported".into(),
        ));
    }
    tx.execute(
        "INSERT INTO pa_rule_file (name, content, sha256, imported_at, imported_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name.chars().take(200).collect::<String>(), content, sha, now_utc(), session.user().id],
    )?;
    audit::append(
        &tx,
        &session.actor(),
        &NewEvent::new(AuditAction::PaRulesImport).detail(format!("{} rule sets", sets.len())),
    )?;
    tx.commit()?;
    Ok(sets)
}

/// Problems as one validation error on the `file` field, a line each.
pub fn problems_error(problems: Vec<RuleProblem>) -> CoreError {
    let mut e = ValidationErrors::new();
    for p in problems {
        e.add("file", p.to_string());
    }
    CoreError::Validation(e)
}

/// Rule-set ids linked to a payer (anyone who may see the payer list).
pub fn payer_links(session: &Session, payer_id: i64) -> CoreResult<Vec<String>> {
    session.require(Permission::ReadPatients)?;
    crate::payer::get(session.conn(), payer_id)?;
    for_payer(session.conn(), payer_id)
}

/// Rule-set ids linked to a payer.
pub fn for_payer(conn: &Connection, payer_id: i64) -> CoreResult<Vec<String>> {
    Ok(conn
        .prepare("SELECT rule_set_id FROM payer_rule_set WHERE payer_id = ?1 ORDER BY rule_set_id")?
        .query_map([payer_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

/// Replaces the rule sets linked to a payer. Unknown ids are refused.
pub fn link_payer(session: &Session, payer_id: i64, rule_set_ids: &[String]) -> CoreResult<()> {
    session.require(Permission::ManagePayerRules)?;
    crate::payer::get(session.conn(), payer_id)?;
    let known = all(session.conn())?;
    let mut e = ValidationErrors::new();
    for id in rule_set_ids {
        if !known.iter().any(|a| &a.rule_set.id == id) {
            e.add("ruleSetIds", format!("There is no rule set \"{id}\""));
        }
    }
    e.into_result()?;
    let tx = session.conn().unchecked_transaction()?;
    tx.execute("DELETE FROM payer_rule_set WHERE payer_id = ?1", [payer_id])?;
    for id in rule_set_ids {
        tx.execute(
            "INSERT OR IGNORE INTO payer_rule_set (payer_id, rule_set_id) VALUES (?1, ?2)",
            params![payer_id, id],
        )?;
    }
    audit::append(
        &tx,
        &session.actor(),
        &NewEvent::new(AuditAction::PayerRulesLink).detail(format!("payer {payer_id}")),
    )?;
    tx.commit()?;
    Ok(())
}

/// The rule sets for a service, in effect on a date, preferring those linked to the payer.
pub fn for_service(conn: &Connection, service: Service, on: NaiveDate) -> CoreResult<Vec<RuleSet>> {
    Ok(all(conn)?
        .into_iter()
        .map(|a| a.rule_set)
        .filter(|r| {
            r.service == service && period(r).is_some_and(|(from, to)| from <= on && on <= to)
        })
        .collect())
}
