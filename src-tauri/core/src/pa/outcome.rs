//! What the evaluation says: a status per criterion with its explanation, what to record to fix
//! a gap, and pointers to the exact records used.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NotMet,
    /// The chart may meet it but does not show it (a missing date, dose, score or answer).
    Insufficient,
    /// Not asked by this policy for this patient, or not in the rule set.
    NotApplicable,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "Met",
            Status::NotMet => "Not met",
            Status::Insufficient => "Insufficient documentation",
            Status::NotApplicable => "Not applicable",
        }
    }

    /// Worse first: not met, insufficient, met, not applicable.
    fn rank(self) -> u8 {
        match self {
            Status::NotMet => 0,
            Status::Insufficient => 1,
            Status::Met => 2,
            Status::NotApplicable => 3,
        }
    }

    pub fn worst(a: Status, b: Status) -> Status {
        if a.rank() <= b.rank() {
            a
        } else {
            b
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
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
}

/// A record the evaluation used; the UI jumps to it, the packet cites its date and page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// The record, trial, score or user id (0 for the clinic and patient).
    pub id: i64,
    /// `YYYY-MM-DD` or a partial date, when the record has one.
    pub date: Option<String>,
    /// E.g. "Sertraline 150 mg/day, 10-Jan-2026 to 14-Mar-2026".
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CriterionResult {
    /// Stable id (`age`, `diagnosis`, `trials`, `augmentation`, `psychotherapy`, …).
    pub id: String,
    /// The requirement in words ("Age 18 or older").
    pub label: String,
    pub status: Status,
    /// Why, in plain language, naming the records.
    pub explanation: String,
    /// What to record to close a gap.
    pub fix: Option<String>,
    pub evidence: Vec<Evidence>,
    /// False when the rule's value is UNVERIFIED in the reference.
    pub verified: bool,
    pub note: Option<String>,
    /// A NOT MET here means the patient does not qualify (rather than a gap to document).
    pub decides_eligibility: bool,
    /// Whether a billing user can close this gap (false: a provider must record or attest).
    pub needs_provider: bool,
}

/// One trial as a trial rule saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrialCheck {
    pub trial_id: i64,
    pub status: Status,
    /// Why it counts or not.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathwayResult {
    pub id: String,
    pub label: String,
    pub status: Status,
    pub criteria: Vec<CriterionResult>,
    pub trial_checks: Vec<TrialCheck>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every criterion met: the packet can be finalized.
    Ready,
    /// Some criteria lack documentation or are fixable.
    GapsToFix,
    /// A criterion that decides eligibility is not met under this policy.
    NotEligible,
    /// The payer does not cover the service: the self-pay path.
    NotCovered,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ready => "Ready to submit",
            Verdict::GapsToFix => "Gaps to fix",
            Verdict::NotEligible => "Not eligible under this policy",
            Verdict::NotCovered => "Service not covered: self-pay",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub rule_set_id: String,
    pub rule_set_version: String,
    pub payer: String,
    pub policy: String,
    pub service: super::Service,
    pub on: chrono::NaiveDate,
    pub rule_set_verified: bool,
    /// Criteria outside the treatment history, then the best pathway's, then "not in rule set".
    pub criteria: Vec<CriterionResult>,
    pub pathways: Vec<PathwayResult>,
    /// The pathway reported (the first fully met, else the one with the fewest gaps).
    pub best_pathway: Option<String>,
    pub verdict: Verdict,
    /// One sentence for the top of the screen.
    pub summary: String,
    pub not_covered_reason: Option<String>,
}

impl Evaluation {
    /// Counts of (met, not met, insufficient).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for x in &self.criteria {
            match x.status {
                Status::Met => c.0 += 1,
                Status::NotMet => c.1 += 1,
                Status::Insufficient => c.2 += 1,
                Status::NotApplicable => {}
            }
        }
        c
    }

    /// No criterion NOT MET or INSUFFICIENT (decisions.md: the final packet needs this or a
    /// provider's override reason).
    pub fn has_gaps(&self) -> bool {
        self.criteria
            .iter()
            .any(|c| matches!(c.status, Status::NotMet | Status::Insufficient))
    }
}
