//! Statements a provider makes on a prior-authorization request, which some payer criteria
//! accept in place of a clinical fact (Cigna: psychosis allowed when the prescriber attests
//! benefit outweighs risk). Stamped by the core with who and when, never taken from a form.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttestationKind {
    PsychosisBenefitOutweighsRisk,
    SubstanceUseInRemission,
}

impl AttestationKind {
    pub const ALL: [AttestationKind; 2] = [
        AttestationKind::PsychosisBenefitOutweighsRisk,
        AttestationKind::SubstanceUseInRemission,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttestationKind::PsychosisBenefitOutweighsRisk => "psychosis_benefit_outweighs_risk",
            AttestationKind::SubstanceUseInRemission => "substance_use_in_remission",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The sentence printed on the packet above the provider's name.
    pub fn statement(self) -> &'static str {
        match self {
            AttestationKind::PsychosisBenefitOutweighsRisk => {
                "I have assessed the patient's history of psychosis and judge that the expected benefit of this treatment outweighs the risk."
            }
            AttestationKind::SubstanceUseInRemission => {
                "The patient's substance use disorder is in remission, with the period of abstinence documented in the chart."
            }
        }
    }
}

/// An attestation as stored on a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attestation {
    pub kind: AttestationKind,
    /// The provider's user id.
    pub by: i64,
    pub by_name: String,
    /// RFC 3339 UTC.
    pub at: String,
}
