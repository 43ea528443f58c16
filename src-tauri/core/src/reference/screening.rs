//! Safety and eligibility screening items per treatment, with their kind (contraindication or
//! warning) and sources (`reference/screening.v1.json`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{CoreError, CoreResult};

const BUNDLED: &str = include_str!("../../reference/screening.v1.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A "yes" means the treatment should not be given.
    Contraindication,
    /// A "yes" needs a documented benefit/risk judgement.
    Warning,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub label: String,
    pub kind: ItemKind,
    pub detail_prompt: String,
    pub sources: Vec<String>,
    /// False when the item comes from practice convention or a payer summary rather than a
    /// label: shown as "requires clinical review".
    pub verified: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScreeningReference {
    pub format: String,
    pub version: u32,
    pub published: String,
    pub about: String,
    pub sources: BTreeMap<String, String>,
    /// Asked in every screening (concomitant sedating medications).
    pub common: Vec<Item>,
    /// Keyed by `spravato`, `iv_ketamine`, `tms`.
    pub modalities: BTreeMap<String, Vec<Item>>,
}

fn parse(text: &str) -> Result<ScreeningReference, String> {
    let r: ScreeningReference = serde_json::from_str(text).map_err(|e| {
        format!(
            "the screening reference is not valid (line {}): {e}",
            e.line()
        )
    })?;
    for (m, items) in &r.modalities {
        let mut seen = std::collections::HashSet::new();
        for i in r.common.iter().chain(items) {
            if !seen.insert(i.id.as_str()) {
                return Err(format!("{m}: item {} is listed twice", i.id));
            }
            if i.sources.iter().any(|s| !r.sources.contains_key(s)) {
                return Err(format!(
                    "{m}: item {} cites a source that is not listed",
                    i.id
                ));
            }
        }
    }
    Ok(r)
}

pub fn bundled() -> CoreResult<&'static ScreeningReference> {
    static REF: OnceLock<Result<ScreeningReference, String>> = OnceLock::new();
    REF.get_or_init(|| parse(BUNDLED))
        .as_ref()
        .map_err(|_| CoreError::Crypto("the bundled screening reference is damaged"))
}

impl ScreeningReference {
    /// Every item asked for a modality: its own, then the common ones.
    pub fn items(&self, modality: &str) -> Vec<&Item> {
        self.modalities
            .get(modality)
            .map(|own| own.iter().chain(&self.common).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_reference_parses_and_covers_each_treatment() {
        let r = bundled().unwrap();
        for m in ["spravato", "iv_ketamine", "tms"] {
            assert!(r.items(m).len() > r.common.len(), "{m}");
        }
        let spravato: Vec<_> = r.items("spravato").iter().map(|i| i.id.as_str()).collect();
        assert!(spravato.contains(&"aneurysm_avm") && spravato.contains(&"med_benzodiazepines"));
        assert!(r.items("nope").is_empty());
    }

    #[test]
    fn a_duplicate_item_or_unknown_source_is_refused() {
        let dup = BUNDLED.replacen("\"id\": \"ich_history\"", "\"id\": \"aneurysm_avm\"", 1);
        assert!(parse(&dup).unwrap_err().contains("twice"));
        let src = BUNDLED.replacen("\"sources\": [\"S23\"]", "\"sources\": [\"S99\"]", 1);
        assert!(parse(&src).unwrap_err().contains("source"));
    }
}
