//! The Advance Beneficiary Notice of Noncoverage (ABN, Form CMS-R-131) for Medicare patients:
//! `need` says when one is due (the patient's Medicare coverage and a rule set linked to that
//! payer that does not cover, or likely will not cover, the course's service); `sign` stores
//! the notice the patient signed (rendered by the caller) in the document store, linked to the
//! course. The option wording and the "at least 1 day before the start" rule are reference
//! data (`core/reference/abn.v1.json`), marked UNVERIFIED.

mod need;
mod sign;

use std::sync::OnceLock;

use serde::Deserialize;

pub use need::{need, AbnNeed};
pub use sign::{list, sign, AbnDocument, AbnSignInput, SignedAbn};

use crate::error::{CoreError, CoreResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sourced<T> {
    value: T,
    #[allow(dead_code)]
    sources: Vec<String>,
    verified: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OptionText {
    option: u8,
    text: String,
    #[allow(dead_code)]
    sources: Vec<String>,
    #[allow(dead_code)]
    verified: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReferenceFile {
    format: String,
    #[allow(dead_code)]
    version: u32,
    minimum_days_before_start: Sourced<u32>,
    form_note: String,
    notice_text: Sourced<String>,
    options: Vec<OptionText>,
    signature_text: Sourced<String>,
}

/// The ABN's reference data.
#[derive(Debug, Clone)]
pub struct AbnReference {
    /// Days before the course start the notice should be signed (a warning, never a refusal).
    pub minimum_days_before_start: u32,
    pub minimum_days_verified: bool,
    /// "Based on Form CMS-R-131; compare with the current CMS form before use."
    pub form_note: String,
    pub notice_text: String,
    /// Options 1–3 in order.
    pub options: Vec<(u8, String)>,
    pub signature_text: String,
    /// False: the wording is from memory (UNVERIFIED).
    pub wording_verified: bool,
}

pub fn reference() -> CoreResult<&'static AbnReference> {
    static REF: OnceLock<Option<AbnReference>> = OnceLock::new();
    REF.get_or_init(|| {
        let f: ReferenceFile =
            serde_json::from_str(include_str!("../../reference/abn.v1.json")).ok()?;
        let numbered = f.options.iter().map(|o| o.option).eq(1..=3);
        (f.format == "ketachart-abn-reference" && numbered).then(|| AbnReference {
            minimum_days_before_start: f.minimum_days_before_start.value,
            minimum_days_verified: f.minimum_days_before_start.verified,
            form_note: f.form_note,
            wording_verified: f.notice_text.verified
                && f.signature_text.verified
                && f.options.iter().all(|o| o.verified),
            notice_text: f.notice_text.value,
            options: f.options.into_iter().map(|o| (o.option, o.text)).collect(),
            signature_text: f.signature_text.value,
        })
    })
    .as_ref()
    .ok_or(CoreError::Crypto(
        "the bundled ABN reference is not readable",
    ))
}

/// Cents as dollars: `125000` → `$1,250.00`.
pub fn dollars(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reference_loads_unverified_and_dollars_group() {
        let r = super::reference().unwrap();
        assert_eq!(r.options.len(), 3);
        assert!(!r.wording_verified && !r.minimum_days_verified);
        assert_eq!(r.minimum_days_before_start, 1);
        assert_eq!(super::dollars(125_000), "$1,250.00");
        assert_eq!(super::dollars(5), "$0.05");
        assert_eq!(super::dollars(10_000_000), "$100,000.00");
    }
}
