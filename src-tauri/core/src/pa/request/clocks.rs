//! The decision-clock rule and the warning thresholds as data (`core/reference/pa-clocks.v1.json`):
//! which payer types CMS-0057-F binds, from when, how long they have, and when KetaChart warns
//! that an authorization runs out. Parsed strictly (unknown fields refused) and checked once.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Deserialize;

use super::status::RequestStatus;
use crate::error::{CoreError, CoreResult};
use crate::payer::PayerType;

const BUNDLED: &str = include_str!("../../../reference/pa-clocks.v1.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClockReference {
    /// Always `ketachart-pa-clocks`.
    pub format: String,
    pub version: u32,
    pub published: String,
    pub about: String,
    /// Source tags with their citation.
    pub sources: BTreeMap<String, String>,
    pub decision_clock: DecisionClockRule,
    pub warnings: WarningRules,
}

/// When a payer must decide (CMS-0057-F).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionClockRule {
    /// The rule's name as shown beside the clock.
    pub rule: String,
    /// Requests submitted on or after this day (`YYYY-MM-DD`, local).
    pub applies_from: String,
    pub impacted_payer_types: Vec<PayerType>,
    /// Payer types deliberately left out, with why (shown when someone asks).
    pub not_impacted: Vec<NotImpacted>,
    /// Drugs (Spravato) are outside the rule's prior-authorization provisions.
    pub excludes_drugs: bool,
    /// The statuses during which the payer owes a decision.
    pub runs_while: Vec<RequestStatus>,
    pub expedited_hours: u32,
    pub standard_days: u32,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotImpacted {
    pub payer_type: PayerType,
    pub reason: String,
    pub sources: Vec<String>,
}

/// When an approval needs attention. Clinic-facing defaults, not a payer's rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WarningRules {
    /// Warn when fewer than this many units of an approved code are left.
    pub units_left_below: u32,
    /// Warn when the approval ends within this many days.
    pub ends_within_days: u32,
    /// List for re-authorization when the approval ends within this many days.
    pub reauthorization_within_days: u32,
    pub note: String,
    pub sources: Vec<String>,
    pub verified: bool,
}

impl DecisionClockRule {
    pub fn applies_from_date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.applies_from, "%Y-%m-%d").ok()
    }
}

fn parse(text: &str) -> Result<ClockReference, String> {
    let r: ClockReference = serde_json::from_str(text)
        .map_err(|e| format!("the clock reference is not valid (line {}): {e}", e.line()))?;
    if r.format != "ketachart-pa-clocks" {
        return Err("the clock reference has the wrong format".into());
    }
    let c = &r.decision_clock;
    if c.applies_from_date().is_none() {
        return Err("appliesFrom is not a date".into());
    }
    if c.expedited_hours == 0 || c.standard_days == 0 {
        return Err("a decision time is zero".into());
    }
    if c.impacted_payer_types.is_empty() || c.runs_while.is_empty() {
        return Err("the decision clock names no payer type or status".into());
    }
    if c.not_impacted
        .iter()
        .any(|n| c.impacted_payer_types.contains(&n.payer_type))
    {
        return Err("a payer type is both impacted and not impacted".into());
    }
    let cited = c
        .sources
        .iter()
        .chain(c.not_impacted.iter().flat_map(|n| n.sources.iter()))
        .chain(r.warnings.sources.iter());
    for s in cited {
        if !r.sources.contains_key(s) {
            return Err(format!("source {s} is cited but not listed"));
        }
    }
    if c.sources.is_empty() || r.warnings.sources.is_empty() {
        return Err("a value cites no source".into());
    }
    Ok(r)
}

/// The bundled rules, parsed and checked once.
pub fn bundled() -> CoreResult<&'static ClockReference> {
    static REF: OnceLock<Result<ClockReference, String>> = OnceLock::new();
    REF.get_or_init(|| parse(BUNDLED))
        .as_ref()
        .map_err(|_| CoreError::Crypto("the bundled decision-clock reference is damaged"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_rules_load_with_their_sources() {
        let r = bundled().unwrap();
        let c = &r.decision_clock;
        assert_eq!(c.expedited_hours, 72);
        assert_eq!(c.standard_days, 7);
        assert_eq!(c.applies_from_date(), NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(
            c.impacted_payer_types,
            [
                PayerType::MedicareAdvantage,
                PayerType::MedicaidFfs,
                PayerType::MedicaidManaged
            ]
        );
        assert!(c
            .not_impacted
            .iter()
            .any(|n| n.payer_type == PayerType::Exchange && n.sources == ["S48-QHP"]));
        assert!(r.sources["S48"].starts_with("Federal Register 2024-00895 (CMS-0057-F)"));
        assert_eq!(r.warnings.units_left_below, 2);
        assert_eq!(r.warnings.ends_within_days, 14);
        assert!(!r.warnings.verified, "thresholds come from the issue");
    }

    #[test]
    fn unknown_fields_and_uncited_sources_are_refused() {
        let extra = BUNDLED.replacen("\"version\": 1,", "\"version\": 1, \"extra\": 2,", 1);
        assert!(parse(&extra).is_err());
        let uncited = BUNDLED.replace("\"sources\": [\"ISSUE\"]", "\"sources\": [\"S99\"]");
        assert!(parse(&uncited).unwrap_err().contains("S99"));
    }
}
