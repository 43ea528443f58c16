//! Prior-authorization shapes: rule sets, the evaluation (criteria, evidence, pathways,
//! verdict) and the arguments of a check.

use ketachart_core::pa::outcome::{PathwayResult, TrialCheck};
use ketachart_core::pa::registry::Available;
use ketachart_core::pa::rules::CoverageStatus;
use ketachart_core::pa::{
    CriterionResult, Evaluation, Evidence, EvidenceKind, Service, Status, Verdict,
};
use serde::{Deserialize, Serialize};
use specta::Type;

macro_rules! wire_enum {
    ($name:ident : $core:ty { $($v:ident),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($v),+ }
        impl From<$core> for $name {
            fn from(c: $core) -> Self {
                match c { $(<$core>::$v => $name::$v),+ }
            }
        }
        impl From<$name> for $core {
            fn from(c: $name) -> Self {
                match c { $($name::$v => <$core>::$v),+ }
            }
        }
    };
}

wire_enum!(ServiceName: Service { SpravatoTrd, SpravatoMdsi, Tms, IvKetamine });
wire_enum!(CriterionStatus: Status { Met, NotMet, Insufficient, NotApplicable });
wire_enum!(VerdictName: Verdict { Ready, GapsToFix, NotEligible, NotCovered });
wire_enum!(EvidenceKindName: EvidenceKind {
    Patient,
    Trial,
    Diagnosis,
    Episode,
    Psychotherapy,
    Screening,
    Evaluation,
    OtherTreatment,
    Score,
    ProviderProfile,
    ClinicProfile,
    Attestation,
});

/// A payer rule set as the lists show it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RuleSetView {
    pub id: String,
    pub version: String,
    pub payer: String,
    pub policy: String,
    pub service: ServiceName,
    pub service_label: String,
    pub effective_from: String,
    pub effective_to: Option<String>,
    pub verified: bool,
    pub covered: bool,
    pub not_covered_reason: Option<String>,
    pub note: Option<String>,
    /// The clinic file it came from; `None` = shipped with KetaChart.
    pub clinic_file: Option<String>,
    pub not_in_rule_set: Vec<String>,
}

impl From<Available> for RuleSetView {
    fn from(a: Available) -> Self {
        let r = a.rule_set;
        RuleSetView {
            service_label: r.service.label().to_string(),
            service: r.service.into(),
            covered: r.coverage == CoverageStatus::Covered,
            id: r.id,
            version: r.version,
            payer: r.payer,
            policy: r.policy,
            effective_from: r.effective_from,
            effective_to: r.effective_to,
            verified: r.verified,
            not_covered_reason: r.not_covered_reason,
            note: r.note,
            clinic_file: a.clinic_file,
            not_in_rule_set: r.not_in_rule_set,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceView {
    pub kind: EvidenceKindName,
    /// The record, trial, score or user id (0 for the clinic).
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    pub date: Option<String>,
    pub label: String,
}

impl From<Evidence> for EvidenceView {
    fn from(e: Evidence) -> Self {
        EvidenceView {
            kind: e.kind.into(),
            id: e.id,
            date: e.date,
            label: e.label,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CriterionView {
    pub id: String,
    pub label: String,
    pub status: CriterionStatus,
    pub status_label: String,
    pub explanation: String,
    pub fix: Option<String>,
    pub evidence: Vec<EvidenceView>,
    pub verified: bool,
    pub note: Option<String>,
    pub decides_eligibility: bool,
    /// A provider must record or attest (billing staff ask through a chart task).
    pub needs_provider: bool,
}

impl From<CriterionResult> for CriterionView {
    fn from(c: CriterionResult) -> Self {
        CriterionView {
            status_label: c.status.label().to_string(),
            status: c.status.into(),
            id: c.id,
            label: c.label,
            explanation: c.explanation,
            fix: c.fix,
            evidence: c.evidence.into_iter().map(Into::into).collect(),
            verified: c.verified,
            note: c.note,
            decides_eligibility: c.decides_eligibility,
            needs_provider: c.needs_provider,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrialCheckView {
    #[specta(type = specta_typescript::Number)]
    pub trial_id: i64,
    pub status: CriterionStatus,
    pub reasons: Vec<String>,
}

impl From<TrialCheck> for TrialCheckView {
    fn from(t: TrialCheck) -> Self {
        TrialCheckView {
            trial_id: t.trial_id,
            status: t.status.into(),
            reasons: t.reasons,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PathwayView {
    pub id: String,
    pub label: String,
    pub status: CriterionStatus,
    pub criteria: Vec<CriterionView>,
    pub trial_checks: Vec<TrialCheckView>,
}

impl From<PathwayResult> for PathwayView {
    fn from(p: PathwayResult) -> Self {
        PathwayView {
            id: p.id,
            label: p.label,
            status: p.status.into(),
            criteria: p.criteria.into_iter().map(Into::into).collect(),
            trial_checks: p.trial_checks.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationView {
    pub rule_set_id: String,
    pub rule_set_version: String,
    pub payer: String,
    pub policy: String,
    pub service: ServiceName,
    pub service_label: String,
    /// `YYYY-MM-DD`.
    pub on: String,
    pub rule_set_verified: bool,
    pub verdict: VerdictName,
    pub verdict_label: String,
    pub summary: String,
    pub criteria: Vec<CriterionView>,
    pub pathways: Vec<PathwayView>,
    pub best_pathway: Option<String>,
    pub not_covered_reason: Option<String>,
    pub met: u32,
    pub not_met: u32,
    pub insufficient: u32,
    /// Who the check assumed as ordering provider, and why.
    pub ordering_provider: Option<String>,
}

pub fn evaluation_view(e: Evaluation, ordering: Option<String>) -> EvaluationView {
    let (met, not_met, insufficient) = e.counts();
    EvaluationView {
        service_label: e.service.label().to_string(),
        service: e.service.into(),
        verdict_label: e.verdict.label().to_string(),
        verdict: e.verdict.into(),
        on: e.on.to_string(),
        rule_set_id: e.rule_set_id,
        rule_set_version: e.rule_set_version,
        payer: e.payer,
        policy: e.policy,
        rule_set_verified: e.rule_set_verified,
        summary: e.summary,
        criteria: e.criteria.into_iter().map(Into::into).collect(),
        pathways: e.pathways.into_iter().map(Into::into).collect(),
        best_pathway: e.best_pathway,
        not_covered_reason: e.not_covered_reason,
        met: met as u32,
        not_met: not_met as u32,
        insufficient: insufficient as u32,
        ordering_provider: ordering,
    }
}

/// What to check: a patient against one rule set for a service.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckArgs {
    #[specta(type = specta_typescript::Number)]
    pub patient_id: i64,
    pub rule_set_id: String,
    /// A specific version; omitted = the one in effect on the date.
    pub rule_set_version: Option<String>,
    pub service: ServiceName,
    /// `YYYY-MM-DD`; omitted = today.
    pub on: Option<String>,
    /// A user id; omitted = the provider who signed the latest evaluation.
    #[specta(type = Option<specta_typescript::Number>)]
    pub ordering_provider_id: Option<i64>,
}

/// The rule sets a payer links to.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PayerRuleLinks {
    #[specta(type = specta_typescript::Number)]
    pub payer_id: i64,
    pub rule_set_ids: Vec<String>,
}

/// Problems in an imported rule-set file, a line each, or the rule sets it added.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RuleImportResult {
    pub imported: Vec<RuleSetView>,
}
