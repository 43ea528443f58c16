//! Billing codes for one treatment session (Spravato, IV and IM ketamine, TMS).
//!
//! The codes and their rules are versioned reference data (`reference/billing.v1.json`, loaded by
//! [`reference`]): the treatment each code belongs to, the dates it is in effect (S0013 until
//! 31-Dec-2025, J0013 from 01-Jan-2026), how its units are counted, whether it needs the drug's
//! NDC, add-on and excluded pairs, once-per-course codes and the payers that use it.
//!
//! [`suggest`] proposes the lines for a session from its facts (treatment, payer, date, dose,
//! infusion time, TMS motor-threshold work) with notes for what a person must still decide
//! (the E/M level, the vial's NDC). [`check`] checks the lines a biller entered, with one field
//! error per problem (`billing`, `billing.N.code`, `billing.N.units`, `billing.N.ndc`,
//! `billing.N.modifier`, N counting from 0). Both are pure: no database, no clock.

mod check;
pub mod reference;
mod suggest;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::payer::PayerType;

pub use check::check;
pub use reference::{
    bundled, ndc_11, BillingCode, BillingReference, CodeKind, NdcExample, PackageNdc, PayerScope,
    UnitRule,
};
pub use suggest::{additional_infusion_hours, suggest, Suggestion};

/// The treatment given in the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingModality {
    IvKetamine,
    ImKetamine,
    Spravato,
    Tms,
}

impl BillingModality {
    /// As people say it, for messages.
    pub fn label(self) -> &'static str {
        match self {
            BillingModality::IvKetamine => "IV ketamine",
            BillingModality::ImKetamine => "IM ketamine",
            BillingModality::Spravato => "Spravato",
            BillingModality::Tms => "TMS",
        }
    }
}

/// Who is billed. Medicare and Medicare Advantage are `Medicare`; every other payer
/// (commercial, Medicaid, exchange, other) is `Commercial`; no coverage is `SelfPay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayerClass {
    Medicare,
    Commercial,
    SelfPay,
}

impl PayerClass {
    /// The class of the payer of the session's coverage (`None`: no coverage, self-pay).
    pub fn of(payer_type: Option<PayerType>) -> Self {
        match payer_type {
            None => PayerClass::SelfPay,
            Some(PayerType::Medicare | PayerType::MedicareAdvantage) => PayerClass::Medicare,
            Some(
                PayerType::Commercial
                | PayerType::MedicaidFfs
                | PayerType::MedicaidManaged
                | PayerType::Exchange
                | PayerType::Other,
            ) => PayerClass::Commercial,
        }
    }
}

/// TMS motor-threshold work done in the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MtDetermination {
    /// Treatment only, at the threshold already found.
    None,
    /// First mapping and motor threshold of the course.
    Initial,
    /// The motor threshold was determined again.
    Redetermination,
}

/// What the rules need to know about a session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BillingFacts {
    pub modality: BillingModality,
    pub payer: PayerClass,
    pub service_date: NaiveDate,
    /// Spravato 56 or 84 mg; ketamine in mg.
    pub dose_mg: Option<f64>,
    /// IV infusion, start to stop.
    pub infusion_minutes: Option<u32>,
    /// TMS only.
    pub mt_determination: MtDetermination,
    /// 90867 is already on another session of this treatment course.
    pub initial_mapping_billed_in_course: bool,
    pub established_patient: bool,
}

/// One line of a claim or superbill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingLine {
    pub code: String,
    pub units: u32,
    pub ndc: Option<String>,
    pub modifier: Option<String>,
}

impl BillingLine {
    /// One unit, no NDC, no modifier.
    pub fn new(code: &str, units: u32) -> Self {
        BillingLine {
            code: code.to_string(),
            units,
            ndc: None,
            modifier: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payer_types_map_to_classes() {
        assert_eq!(PayerClass::of(None), PayerClass::SelfPay);
        assert_eq!(
            PayerClass::of(Some(PayerType::MedicareAdvantage)),
            PayerClass::Medicare
        );
        assert_eq!(
            PayerClass::of(Some(PayerType::Medicare)),
            PayerClass::Medicare
        );
        for t in [
            PayerType::Commercial,
            PayerType::MedicaidFfs,
            PayerType::MedicaidManaged,
            PayerType::Exchange,
            PayerType::Other,
        ] {
            assert_eq!(PayerClass::of(Some(t)), PayerClass::Commercial, "{t:?}");
        }
    }

    #[test]
    fn wire_names_are_snake_and_camel_case() {
        assert_eq!(
            serde_json::to_string(&BillingModality::IvKetamine).unwrap(),
            "\"iv_ketamine\""
        );
        assert_eq!(
            serde_json::to_string(&PayerClass::SelfPay).unwrap(),
            "\"self_pay\""
        );
        let line: BillingLine = serde_json::from_str(
            r#"{"code":"J0013","units":56,"ndc":"50458-028-02","modifier":null}"#,
        )
        .unwrap();
        assert_eq!(line.units, 56);
    }
}
