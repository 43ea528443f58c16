//! The billing codes and their rules (`reference/billing.v1.json`), checked when loaded: every
//! code cited by `excludes`, `addOnTo` or `replacedBy` is in the file, excluded pairs are
//! listed on both sides, every source is listed, every NDC is well formed.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{BillingModality, PayerClass};
use crate::error::{CoreError, CoreResult};

const BUNDLED: &str = include_str!("../../reference/billing.v1.json");
const FORMAT: &str = "ketachart-billing-reference";
const VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    /// HCPCS level II G-code (Medicare).
    HcpcsG,
    /// HCPCS level II J-code (drugs).
    HcpcsJ,
    /// HCPCS level II S-code (commercial and Medicaid only).
    HcpcsS,
    Cpt,
}

/// How a code's units are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitRule {
    /// Once per session: always 1 unit.
    #[serde(rename = "per_session")]
    PerSession,
    /// One unit per mg of drug given.
    #[serde(rename = "per_mg")]
    PerMg,
    /// One unit per hour beyond the first; a final part-hour counts when over 30 minutes.
    #[serde(rename = "per_additional_hour")]
    PerAdditionalHour,
    /// One unit per 30 minutes beyond the primary code's time.
    #[serde(rename = "per_additional_30_minutes")]
    PerAdditional30Minutes,
    /// One unit per 15 minutes.
    #[serde(rename = "per_15_minutes")]
    Per15Minutes,
}

/// The payers that use a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayerScope {
    Any,
    /// Medicare and Medicare Advantage only.
    Medicare,
    /// Every payer except Medicare, and self-pay superbills.
    Commercial,
}

impl PayerScope {
    pub fn allows(self, payer: PayerClass) -> bool {
        match self {
            PayerScope::Any => true,
            PayerScope::Medicare => payer == PayerClass::Medicare,
            PayerScope::Commercial => payer != PayerClass::Medicare,
        }
    }
}

/// A full package NDC the app can fill in (a Spravato kit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PackageNdc {
    pub ndc: String,
    pub label: String,
    /// The dose the package gives, when one package is one dose.
    pub dose_mg: Option<f64>,
    pub sources: Vec<String>,
}

/// A labeler-product code shown as an example; the package digits depend on the vial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NdcExample {
    pub product_code: String,
    pub label: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BillingCode {
    pub code: String,
    /// Short, plain words (not the licensed CPT descriptor).
    pub descriptor: String,
    pub kind: CodeKind,
    pub modalities: Vec<BillingModality>,
    /// First day the code may be billed; `None`: no known start.
    pub effective_from: Option<NaiveDate>,
    /// Last day the code may be billed; `None`: still in effect.
    pub effective_to: Option<NaiveDate>,
    pub unit: UnitRule,
    pub requires_ndc: bool,
    /// The code is an add-on: one of these must be on the same session.
    pub add_on_to: Vec<String>,
    /// Codes that cannot be billed on the same session (listed on both sides).
    pub excludes: Vec<String>,
    /// Billed at most once per treatment course.
    pub once_per_course: bool,
    /// One unit of this code is one treatment session (G2082/G2083, 96365, 90868, …): an
    /// authorization's approved units of these codes are the sessions it authorizes.
    #[serde(default)]
    pub counts_as_session: bool,
    pub payer: PayerScope,
    /// The code that replaces this one after `effective_to`.
    #[serde(default)]
    pub replaced_by: Option<String>,
    /// For doses up to and including this many mg.
    #[serde(default)]
    pub dose_up_to_mg: Option<f64>,
    /// For doses of more than this many mg.
    #[serde(default)]
    pub dose_over_mg: Option<f64>,
    /// The least time (minutes) the service must last.
    #[serde(default)]
    pub min_minutes: Option<u32>,
    /// Most units per session (e.g. a payer's MUE).
    #[serde(default)]
    pub max_units: Option<u32>,
    #[serde(default)]
    pub ndcs: Vec<PackageNdc>,
    #[serde(default)]
    pub ndc_examples: Vec<NdcExample>,
    /// What a biller should know.
    #[serde(default)]
    pub note: Option<String>,
    pub sources: Vec<String>,
    /// False when the descriptor or a rule was not retrieved from a primary source: shown as
    /// "requires review".
    pub verified: bool,
}

impl BillingCode {
    pub fn applies_to(&self, modality: BillingModality) -> bool {
        self.modalities.contains(&modality)
    }

    pub fn in_effect(&self, date: NaiveDate) -> bool {
        self.effective_from.is_none_or(|from| date >= from)
            && self.effective_to.is_none_or(|to| date <= to)
    }

    /// Whether the code's dose band (if it has one) includes `dose_mg`.
    pub fn dose_fits(&self, dose_mg: f64) -> bool {
        self.dose_up_to_mg.is_none_or(|max| dose_mg <= max)
            && self.dose_over_mg.is_none_or(|min| dose_mg > min)
    }

    pub fn has_dose_band(&self) -> bool {
        self.dose_up_to_mg.is_some() || self.dose_over_mg.is_some()
    }

    /// The package NDC that gives exactly this dose (a Spravato kit).
    pub fn package_for_dose(&self, dose_mg: f64) -> Option<&PackageNdc> {
        self.ndcs.iter().find(|p| p.dose_mg == Some(dose_mg))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BillingReference {
    pub format: String,
    pub version: u32,
    pub published: NaiveDate,
    pub about: String,
    pub sources: BTreeMap<String, String>,
    pub codes: Vec<BillingCode>,
}

impl BillingReference {
    pub fn code(&self, code: &str) -> Option<&BillingCode> {
        self.codes.iter().find(|c| c.code == code)
    }

    /// Whether `a` and `b` cannot be billed on the same session.
    pub fn excluded(&self, a: &str, b: &str) -> bool {
        self.code(a)
            .is_some_and(|c| c.excludes.iter().any(|x| x == b))
    }

    /// The code that `code` replaced (S0013 for J0013).
    pub fn predecessor_of(&self, code: &str) -> Option<&BillingCode> {
        self.codes
            .iter()
            .find(|c| c.replaced_by.as_deref() == Some(code))
    }
}

/// The 11-digit (5-4-2) billing form of an NDC written as 4-4-2, 5-3-2, 5-4-1 or 5-4-2 digit
/// groups, or already as 11 digits; `None` when it is not a well-formed NDC.
pub fn ndc_11(ndc: &str) -> Option<String> {
    let s = ndc.trim();
    if s.len() == 11 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(s.to_string());
    }
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    match (parts[0].len(), parts[1].len(), parts[2].len()) {
        (4, 4, 2) | (5, 3, 2) | (5, 4, 1) | (5, 4, 2) => {
            Some(format!("{:0>5}{:0>4}{:0>2}", parts[0], parts[1], parts[2]))
        }
        _ => None,
    }
}

/// A labeler-product code: 4-4, 5-3 or 5-4 digits.
fn is_product_code(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 2
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && matches!((parts[0].len(), parts[1].len()), (4, 4) | (5, 3) | (5, 4))
}

fn parse(text: &str) -> Result<BillingReference, String> {
    let r: BillingReference = serde_json::from_str(text).map_err(|e| {
        format!(
            "the billing reference is not valid (line {}): {e}",
            e.line()
        )
    })?;
    if r.format != FORMAT || r.version != VERSION {
        return Err(format!(
            "the billing reference is {} version {}, expected {FORMAT} version {VERSION}",
            r.format, r.version
        ));
    }
    let known: HashSet<&str> = r.codes.iter().map(|c| c.code.as_str()).collect();
    if known.len() != r.codes.len() {
        return Err("a code is listed twice".to_string());
    }
    let cites_unlisted = |sources: &[String]| sources.iter().any(|s| !r.sources.contains_key(s));
    for c in &r.codes {
        let code = c.code.as_str();
        if code.is_empty()
            || !code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(format!(
                "{code:?} is not a code (capital letters and digits)"
            ));
        }
        if c.modalities.is_empty() {
            return Err(format!("{code} applies to no treatment"));
        }
        if c.sources.is_empty() || cites_unlisted(&c.sources) {
            return Err(format!(
                "{code} cites no source or a source that is not listed"
            ));
        }
        if let (Some(from), Some(to)) = (c.effective_from, c.effective_to) {
            if from > to {
                return Err(format!("{code} ends before it starts"));
            }
        }
        for other in c.excludes.iter().chain(&c.add_on_to).chain(&c.replaced_by) {
            if !known.contains(other.as_str()) {
                return Err(format!(
                    "{code} refers to {other}, which is not in the reference"
                ));
            }
            if other == code {
                return Err(format!("{code} refers to itself"));
            }
        }
        for other in &c.excludes {
            if !r.excluded(other, code) {
                return Err(format!(
                    "{code} excludes {other} but {other} does not exclude {code}"
                ));
            }
        }
        if c.replaced_by.is_some() && c.effective_to.is_none() {
            return Err(format!("{code} is replaced but has no end date"));
        }
        if c.dose_up_to_mg.is_some_and(|d| !d.is_finite() || d <= 0.0)
            || c.dose_over_mg.is_some_and(|d| !d.is_finite() || d < 0.0)
        {
            return Err(format!(
                "{code} has a dose band that is not a positive dose"
            ));
        }
        if c.max_units.is_some_and(|m| m == 0 || m > 999) {
            return Err(format!("{code} has a unit limit outside 1-999"));
        }
        for p in &c.ndcs {
            if ndc_11(&p.ndc).is_none() {
                return Err(format!("{code}: {} is not a well-formed NDC", p.ndc));
            }
            if cites_unlisted(&p.sources) {
                return Err(format!(
                    "{code}: NDC {} cites a source that is not listed",
                    p.ndc
                ));
            }
        }
        for e in &c.ndc_examples {
            if !is_product_code(&e.product_code) {
                return Err(format!(
                    "{code}: {} is not a labeler-product code (4-4, 5-3 or 5-4 digits)",
                    e.product_code
                ));
            }
            if cites_unlisted(&e.sources) {
                return Err(format!(
                    "{code}: NDC example {} cites a source that is not listed",
                    e.product_code
                ));
            }
        }
        if (!c.ndcs.is_empty() || !c.ndc_examples.is_empty()) && !c.requires_ndc {
            return Err(format!("{code} lists NDCs but does not require one"));
        }
    }
    Ok(r)
}

/// The reference shipped with the app, parsed and checked once.
pub fn bundled() -> CoreResult<&'static BillingReference> {
    static REF: OnceLock<Result<BillingReference, String>> = OnceLock::new();
    REF.get_or_init(|| parse(BUNDLED))
        .as_ref()
        .map_err(|_| CoreError::Crypto("the bundled billing reference is damaged"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn the_bundled_reference_parses_with_every_required_code() {
        let r = bundled().unwrap();
        assert_eq!(r.format, FORMAT);
        for c in [
            "G2082", "G2083", "S0013", "J0013", "99212", "99213", "99214", "99215", "99417",
            "G2212", "99415", "99416", "96365", "96366", "96374", "96372", "J3490", "90867",
            "90868", "90869",
        ] {
            assert!(r.code(c).is_some(), "{c} missing");
        }
        assert!(
            r.code("J0222").is_none(),
            "J0222 is not the esketamine code"
        );
    }

    #[test]
    fn facts_from_the_domain_reference_are_encoded() {
        let r = bundled().unwrap();
        let c = |x: &str| r.code(x).unwrap();
        assert_eq!(c("S0013").effective_to, Some(d(2025, 12, 31)));
        assert_eq!(c("S0013").replaced_by.as_deref(), Some("J0013"));
        assert_eq!(c("J0013").effective_from, Some(d(2026, 1, 1)));
        assert_eq!(r.predecessor_of("J0013").unwrap().code, "S0013");
        for x in ["J0013", "S0013"] {
            assert_eq!(c(x).unit, UnitRule::PerMg);
            assert_eq!(c(x).payer, PayerScope::Commercial);
            assert!(c(x).requires_ndc);
            assert_eq!(c(x).package_for_dose(56.0).unwrap().ndc, "50458-028-02");
            assert_eq!(c(x).package_for_dose(84.0).unwrap().ndc, "50458-028-03");
        }
        assert!(c("J3490").requires_ndc && !c("96365").requires_ndc);
        assert_eq!(c("J3490").ndc_examples.len(), 2);
        assert_eq!(c("96366").unit, UnitRule::PerAdditionalHour);
        assert_eq!(c("96366").add_on_to, ["96365"]);
        assert_eq!(c("96365").min_minutes, Some(16));
        assert!(c("90867").once_per_course && !c("90868").once_per_course);
        for (a, b) in [
            ("90867", "90868"),
            ("90867", "90869"),
            ("90868", "90869"),
            ("G2082", "G2083"),
            ("G2082", "99214"),
            ("G2083", "99417"),
            ("G2082", "G2212"),
            ("G2083", "99415"),
            ("G2082", "99416"),
        ] {
            assert!(r.excluded(a, b) && r.excluded(b, a), "{a} {b}");
        }
        assert!(!r.excluded("96365", "96366"));
        for x in ["G2082", "G2083", "G2212"] {
            assert_eq!(c(x).payer, PayerScope::Medicare, "{x}");
        }
        assert_eq!(c("99417").payer, PayerScope::Commercial);
        assert!(c("G2082").dose_fits(56.0) && !c("G2082").dose_fits(84.0));
        assert!(!c("G2083").dose_fits(56.0) && c("G2083").dose_fits(84.0));
        // Marked UNVERIFIED in the domain reference.
        for x in ["96372", "99212", "99213", "99214", "99215"] {
            assert!(!c(x).verified, "{x}");
        }
        assert!(c("G2082").verified && c("90867").verified && c("J0013").verified);
    }

    #[test]
    fn effective_dates_are_inclusive() {
        let r = bundled().unwrap();
        let s = r.code("S0013").unwrap();
        let j = r.code("J0013").unwrap();
        assert!(s.in_effect(d(2025, 12, 31)) && !s.in_effect(d(2026, 1, 1)));
        assert!(!j.in_effect(d(2025, 12, 31)) && j.in_effect(d(2026, 1, 1)));
        assert!(r.code("90868").unwrap().in_effect(d(2001, 1, 1)));
    }

    #[test]
    fn ndc_shapes() {
        assert_eq!(ndc_11("50458-028-02").as_deref(), Some("50458002802"));
        assert_eq!(ndc_11("0409-2051-05").as_deref(), Some("00409205105"));
        assert_eq!(ndc_11("42023-0113-1").as_deref(), Some("42023011301"));
        assert_eq!(ndc_11("42023-0113-10").as_deref(), Some("42023011310"));
        assert_eq!(ndc_11(" 50458002802 ").as_deref(), Some("50458002802"));
        for bad in [
            "",
            "5045802802",
            "50458-28-02",
            "50458-028-002",
            "504580-028-02",
            "50458-028",
            "50458-028-0x",
            "50458--02",
            "42023-113-xx",
        ] {
            assert_eq!(ndc_11(bad), None, "{bad}");
        }
        assert!(is_product_code("42023-113") && is_product_code("0409-2051"));
        assert!(!is_product_code("42023-113-01") && !is_product_code("123-45"));
    }

    #[test]
    fn every_code_and_ndc_cites_a_listed_source() {
        let r = bundled().unwrap();
        for c in &r.codes {
            assert!(!c.sources.is_empty(), "{}", c.code);
            for s in c
                .sources
                .iter()
                .chain(c.ndcs.iter().flat_map(|n| &n.sources))
                .chain(c.ndc_examples.iter().flat_map(|n| &n.sources))
            {
                assert!(r.sources.contains_key(s), "{}: {s}", c.code);
            }
        }
    }

    #[test]
    fn inconsistent_files_are_refused() {
        let unknown_exclude = BUNDLED.replacen(
            "\"excludes\": [\"90868\", \"90869\"]",
            "\"excludes\": [\"90868\", \"95860\"]",
            1,
        );
        assert!(parse(&unknown_exclude).unwrap_err().contains("95860"));

        let unknown_add_on =
            BUNDLED.replacen("\"addOnTo\": [\"96365\"]", "\"addOnTo\": [\"96999\"]", 1);
        assert!(parse(&unknown_add_on).unwrap_err().contains("96999"));

        let one_sided = BUNDLED.replacen(
            "\"excludes\": [\"90867\", \"90869\"]",
            "\"excludes\": [\"90869\"]",
            1,
        );
        assert!(parse(&one_sided).unwrap_err().contains("does not exclude"));

        let unknown_field = BUNDLED.replacen(
            "\"oncePerCourse\": true",
            "\"oncePerCourse\": true, \"oncePerYear\": true",
            1,
        );
        assert!(parse(&unknown_field).unwrap_err().contains("not valid"));

        let unlisted_source =
            BUNDLED.replacen("\"sources\": [\"S32\"]", "\"sources\": [\"S99\"]", 1);
        assert!(parse(&unlisted_source).unwrap_err().contains("source"));

        let bad_ndc = BUNDLED.replacen("50458-028-03", "50458-28-03", 1);
        assert!(parse(&bad_ndc).unwrap_err().contains("NDC"));

        let twice = BUNDLED.replacen("\"code\": \"90869\"", "\"code\": \"90868\"", 1);
        assert!(parse(&twice).unwrap_err().contains("twice"));

        let newer = BUNDLED.replacen("\"version\": 1", "\"version\": 2", 1);
        assert!(parse(&newer).unwrap_err().contains("version"));
    }
}
