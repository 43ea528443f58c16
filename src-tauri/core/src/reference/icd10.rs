//! Depression-relevant ICD-10-CM codes with titles, PA notes and the Excludes1 pairs the app
//! enforces (`reference/icd10.v1.json`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{CoreError, CoreResult};

const BUNDLED: &str = include_str!("../../reference/icd10.v1.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Code {
    pub code: String,
    pub title: String,
    /// mdd_single, mdd_recurrent, bipolar, postpartum, unspecified, other_depressive, symptom
    pub group: String,
    /// What a biller should know (e.g. "usually insufficient for prior authorization").
    pub pa_note: Option<String>,
    pub sources: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Excludes1 {
    /// A category prefix, e.g. `F33`.
    pub code: String,
    pub excludes: Vec<String>,
    pub message: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Icd10Reference {
    pub format: String,
    pub version: u32,
    pub published: String,
    pub edition: String,
    pub about: String,
    pub sources: BTreeMap<String, String>,
    pub excludes1: Vec<Excludes1>,
    pub codes: Vec<Code>,
}

/// A problem with a set of diagnosis codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeProblem {
    /// Two codes that must not be used together.
    Excludes1 {
        code: String,
        with: String,
        message: String,
    },
    /// A valid code a payer will probably not accept (F32.A).
    WeakForPa {
        code: String,
        note: String,
    },
    NotInReference {
        code: String,
    },
}

fn parse(text: &str) -> Result<Icd10Reference, String> {
    let r: Icd10Reference = serde_json::from_str(text)
        .map_err(|e| format!("the ICD-10 reference is not valid (line {}): {e}", e.line()))?;
    let mut seen = std::collections::HashSet::new();
    for c in &r.codes {
        if !seen.insert(c.code.as_str()) {
            return Err(format!("{} is listed twice", c.code));
        }
        if c.sources.iter().any(|s| !r.sources.contains_key(s)) {
            return Err(format!("{} cites a source that is not listed", c.code));
        }
    }
    Ok(r)
}

pub fn bundled() -> CoreResult<&'static Icd10Reference> {
    static REF: OnceLock<Result<Icd10Reference, String>> = OnceLock::new();
    REF.get_or_init(|| parse(BUNDLED))
        .as_ref()
        .map_err(|_| CoreError::Crypto("the bundled ICD-10 reference is damaged"))
}

impl Icd10Reference {
    pub fn get(&self, code: &str) -> Option<&Code> {
        let code = code.trim().to_uppercase();
        self.codes.iter().find(|c| c.code == code)
    }

    /// By code prefix ("f33") or by words in the title ("recurrent severe").
    pub fn search(&self, query: &str) -> Vec<&Code> {
        let q = query.trim().to_lowercase();
        let words: Vec<&str> = q.split_whitespace().collect();
        self.codes
            .iter()
            .filter(|c| {
                c.code.to_lowercase().starts_with(&q)
                    || (!words.is_empty()
                        && words.iter().all(|w| {
                            c.title
                                .to_lowercase()
                                .split(|ch: char| !ch.is_alphanumeric())
                                .any(|t| t.starts_with(w))
                        }))
            })
            .collect()
    }

    /// Checks a patient's set of diagnosis codes together.
    pub fn check(&self, codes: &[&str]) -> Vec<CodeProblem> {
        let codes: Vec<String> = codes.iter().map(|c| c.trim().to_uppercase()).collect();
        let mut out = Vec::new();
        for c in &codes {
            match self.get(c) {
                None => out.push(CodeProblem::NotInReference { code: c.clone() }),
                Some(r) if r.group == "unspecified" => out.push(CodeProblem::WeakForPa {
                    code: c.clone(),
                    note: r.pa_note.clone().unwrap_or_default(),
                }),
                Some(_) => {}
            }
        }
        for rule in &self.excludes1 {
            for a in codes.iter().filter(|c| c.starts_with(&rule.code)) {
                for b in codes
                    .iter()
                    .filter(|c| rule.excludes.iter().any(|x| c.starts_with(x.as_str())))
                {
                    out.push(CodeProblem::Excludes1 {
                        code: a.clone(),
                        with: b.clone(),
                        message: rule.message.clone(),
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_with_titles_and_sources() {
        let r = bundled().unwrap();
        assert_eq!(
            r.get("f33.2").unwrap().title,
            "Major depressive disorder, recurrent, severe without psychotic features"
        );
        assert!(r.get("R45.851").is_some());
        assert!(!r.get("F32.81").unwrap().verified);
    }

    #[test]
    fn search_by_code_or_words() {
        let r = bundled().unwrap();
        let codes = |q: &str| {
            r.search(q)
                .iter()
                .map(|c| c.code.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(codes("F33.4"), ["F33.40", "F33.41", "F33.42"]);
        assert!(codes("recurrent severe psychotic").contains(&"F33.3".to_string()));
        assert_eq!(codes("postpartum"), ["F53.0"]);
    }

    #[test]
    fn recurrent_mdd_with_bipolar_is_an_excludes1_conflict() {
        let r = bundled().unwrap();
        let p = r.check(&["F33.2", "F31.4"]);
        assert!(
            matches!(&p[..], [CodeProblem::Excludes1 { code, with, .. }] if code == "F33.2" && with == "F31.4"),
            "{p:?}"
        );
        assert!(r.check(&["F33.2", "R45.851"]).is_empty());
    }

    #[test]
    fn unspecified_depression_is_flagged_for_pa_and_unknown_codes_are_named() {
        let r = bundled().unwrap();
        assert!(matches!(
            &r.check(&["F32.A"])[..],
            [CodeProblem::WeakForPa { .. }]
        ));
        assert!(matches!(
            &r.check(&["Z99.9"])[..],
            [CodeProblem::NotInReference { .. }]
        ));
    }
}
