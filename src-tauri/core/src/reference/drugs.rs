//! Antidepressants and augmentation agents: class, role, and the minimum therapeutic daily
//! dose used to count "weeks at an adequate dose" (`reference/antidepressants.v1.json`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{CoreError, CoreResult};

const BUNDLED: &str = include_str!("../../reference/antidepressants.v1.json");
pub const FORMAT: &str = "ketachart-drug-reference";

/// Pharmacological class. The antidepressant classes count towards "distinct classes"; the
/// augmentation classes are a separate category (decisions.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrugClass {
    Ssri,
    Snri,
    Tca,
    Maoi,
    Ndri,
    Nassa,
    Sms,
    Sari,
    Other,
    AtypicalAntipsychotic,
    Lithium,
    Thyroid,
    Buspirone,
}

impl DrugClass {
    /// As a treatment-failure table shows it.
    pub fn label(self) -> &'static str {
        match self {
            DrugClass::Ssri => "SSRI",
            DrugClass::Snri => "SNRI",
            DrugClass::Tca => "TCA",
            DrugClass::Maoi => "MAOI",
            DrugClass::Ndri => "NDRI (bupropion)",
            DrugClass::Nassa => "NaSSA (mirtazapine)",
            DrugClass::Sms => "Serotonin modulator",
            DrugClass::Sari => "SARI",
            DrugClass::Other => "Other antidepressant",
            DrugClass::AtypicalAntipsychotic => "Atypical antipsychotic",
            DrugClass::Lithium => "Lithium",
            DrugClass::Thyroid => "Thyroid hormone",
            DrugClass::Buspirone => "Buspirone",
        }
    }

    /// Counted for a payer's "antidepressants from different classes".
    pub fn is_antidepressant_class(self) -> bool {
        !matches!(
            self,
            DrugClass::AtypicalAntipsychotic
                | DrugClass::Lithium
                | DrugClass::Thyroid
                | DrugClass::Buspirone
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Antidepressant,
    Augmentation,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Drug {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub class: DrugClass,
    pub category: Category,
    pub fda_labelled_for_mdd: bool,
    /// Minimum therapeutic daily dose in `unit`; `None` when adequacy is judged otherwise
    /// (serum level, a fixed course, tablets).
    pub min_therapeutic: Option<f64>,
    /// A defensible higher floor, for payers that read "adequate" strictly.
    pub strict_min_therapeutic: Option<f64>,
    /// How the floor was derived (E, T, S, O, LVL, course; see the file's `about`).
    pub rule: String,
    pub max_daily: Option<f64>,
    pub unit: String,
    /// False where the reference marks the figure UNVERIFIED.
    pub verified: bool,
    pub note: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DrugReference {
    pub format: String,
    pub version: u32,
    pub published: String,
    pub requires_clinical_review: bool,
    pub about: String,
    pub classes: BTreeMap<String, String>,
    pub sources: BTreeMap<String, String>,
    pub drugs: Vec<Drug>,
}

fn parse_and_check(text: &str) -> Result<DrugReference, String> {
    let r: DrugReference = serde_json::from_str(text).map_err(|e| {
        format!(
            "the drug reference is not valid (line {}, column {}): {e}",
            e.line(),
            e.column()
        )
    })?;
    if r.format != FORMAT {
        return Err("the drug reference has the wrong format tag".into());
    }
    let mut ids = std::collections::HashSet::new();
    for d in &r.drugs {
        if !ids.insert(d.id.as_str()) {
            return Err(format!("drug {} is listed twice", d.id));
        }
        if d.sources.is_empty() || d.sources.iter().any(|s| !r.sources.contains_key(s)) {
            return Err(format!("drug {} cites a source that is not listed", d.id));
        }
        if let (Some(min), Some(max)) = (d.min_therapeutic, d.max_daily) {
            if !(min > 0.0 && min <= max) {
                return Err(format!(
                    "drug {}: the floor must be above 0 and at most the maximum",
                    d.id
                ));
            }
        }
        if let (Some(min), Some(strict)) = (d.min_therapeutic, d.strict_min_therapeutic) {
            if strict < min {
                return Err(format!(
                    "drug {}: the strict floor is below the floor",
                    d.id
                ));
            }
        }
    }
    Ok(r)
}

/// The reference shipped with this build.
pub fn bundled() -> CoreResult<&'static DrugReference> {
    static REF: OnceLock<Result<DrugReference, String>> = OnceLock::new();
    REF.get_or_init(|| parse_and_check(BUNDLED))
        .as_ref()
        .map_err(|_| CoreError::Crypto("the bundled drug reference is damaged"))
}

impl DrugReference {
    pub fn get(&self, id: &str) -> Option<&Drug> {
        self.drugs.iter().find(|d| d.id == id)
    }

    /// Drugs whose name or a brand name starts with, or contains a word starting with, the
    /// query (case-insensitive): "zol" finds sertraline by Zoloft.
    pub fn search(&self, query: &str) -> Vec<&Drug> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return self.drugs.iter().collect();
        }
        let matches = |s: &str| {
            let s = s.to_lowercase();
            s.starts_with(&q)
                || s.split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.starts_with(&q))
        };
        self.drugs
            .iter()
            .filter(|d| matches(&d.name) || matches(&d.id) || d.aliases.iter().any(|a| matches(a)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_reference_loads_and_every_drug_cites_its_sources() {
        let r = bundled().unwrap();
        assert!(r.requires_clinical_review);
        assert!(r.drugs.len() >= 40);
        assert_eq!(r.get("sertraline").unwrap().min_therapeutic, Some(50.0));
        assert_eq!(r.get("bupropion").unwrap().class, DrugClass::Ndri);
        assert!(
            !r.get("fluvoxamine").unwrap().verified,
            "UNVERIFIED for MDD"
        );
        assert_eq!(
            r.get("lithium").unwrap().min_therapeutic,
            None,
            "judged by level"
        );
    }

    #[test]
    fn augmentation_classes_do_not_count_as_antidepressant_classes() {
        let r = bundled().unwrap();
        for d in &r.drugs {
            if d.category == Category::Augmentation {
                assert!(!d.class.is_antidepressant_class(), "{}", d.id);
            }
        }
        assert!(DrugClass::Sms.is_antidepressant_class());
    }

    #[test]
    fn search_finds_generic_and_brand_names() {
        let r = bundled().unwrap();
        let ids = |q: &str| r.search(q).iter().map(|d| d.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids("zolo"), ["sertraline"]);
        assert!(ids("bupro").contains(&"bupropion".to_string()));
        assert!(ids("wellb").contains(&"bupropion".to_string()));
        assert!(ids("qqq").is_empty());
    }

    #[test]
    fn a_broken_reference_is_refused_with_where_and_why() {
        let e = parse_and_check("{\"format\": 1").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
        let mut v: serde_json::Value = serde_json::from_str(BUNDLED).unwrap();
        v["drugs"][0]["sources"] = serde_json::json!(["999"]);
        let e = parse_and_check(&v.to_string()).unwrap_err();
        assert!(e.contains("cites a source"), "{e}");
        let mut v: serde_json::Value = serde_json::from_str(BUNDLED).unwrap();
        v["drugs"][0]["minTherapeutic"] = serde_json::json!(0);
        assert!(parse_and_check(&v.to_string()).is_err());
    }
}
