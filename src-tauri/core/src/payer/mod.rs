//! The clinic's payer list: each payer's type (which decides where CMS-0057-F clocks apply,
//! later) and where prior-authorization requests go. Coverage records point at an entry.

mod store;

use serde::{Deserialize, Serialize};

pub(crate) use store::find_or_add;
pub use store::{create, get, list, update};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayerType {
    Commercial,
    Medicare,
    MedicareAdvantage,
    MedicaidFfs,
    MedicaidManaged,
    Exchange,
    Other,
}

impl PayerType {
    pub const ALL: [PayerType; 7] = [
        PayerType::Commercial,
        PayerType::Medicare,
        PayerType::MedicareAdvantage,
        PayerType::MedicaidFfs,
        PayerType::MedicaidManaged,
        PayerType::Exchange,
        PayerType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PayerType::Commercial => "commercial",
            PayerType::Medicare => "medicare",
            PayerType::MedicareAdvantage => "medicare_advantage",
            PayerType::MedicaidFfs => "medicaid_ffs",
            PayerType::MedicaidManaged => "medicaid_managed",
            PayerType::Exchange => "exchange",
            PayerType::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            PayerType::Commercial => "Commercial",
            PayerType::Medicare => "Medicare",
            PayerType::MedicareAdvantage => "Medicare Advantage",
            PayerType::MedicaidFfs => "Medicaid / CHIP fee-for-service",
            PayerType::MedicaidManaged => "Medicaid / CHIP managed care",
            PayerType::Exchange => "Exchange plan",
            PayerType::Other => "Other",
        }
    }
}

/// What the payer form sends.
#[derive(Debug, Clone, Default)]
pub struct PayerInput {
    pub name: String,
    pub payer_type: Option<PayerType>,
    pub pa_phone: Option<String>,
    pub pa_fax: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Payer {
    pub id: i64,
    pub name: String,
    pub payer_type: PayerType,
    pub pa_phone: Option<String>,
    pub pa_fax: Option<String>,
    /// An inactive payer stays on existing coverage but is not offered for new coverage.
    pub active: bool,
    pub version: i64,
}
