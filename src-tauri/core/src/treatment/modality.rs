//! The treatments a course can be: IV or IM racemic ketamine, Spravato (esketamine nasal spray)
//! and TMS, and what a course treats.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    IvKetamine,
    ImKetamine,
    Spravato,
    Tms,
}

impl Modality {
    pub const ALL: [Modality; 4] = [
        Modality::IvKetamine,
        Modality::ImKetamine,
        Modality::Spravato,
        Modality::Tms,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Modality::IvKetamine => "iv_ketamine",
            Modality::ImKetamine => "im_ketamine",
            Modality::Spravato => "spravato",
            Modality::Tms => "tms",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Modality::IvKetamine => "IV ketamine",
            Modality::ImKetamine => "IM ketamine",
            Modality::Spravato => "Spravato (esketamine)",
            Modality::Tms => "TMS",
        }
    }

    /// Weight-based racemic ketamine (IV infusion or IM injection).
    pub fn is_ketamine(self) -> bool {
        matches!(self, Modality::IvKetamine | Modality::ImKetamine)
    }

    /// Sessions that end with an observation period and a discharge assessment.
    pub fn has_discharge(self) -> bool {
        !matches!(self, Modality::Tms)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indication {
    /// Treatment-resistant depression.
    Trd,
    /// Major depressive disorder with acute suicidal ideation or behaviour (Spravato only).
    Mdsi,
}

impl Indication {
    pub fn label(self) -> &'static str {
        match self {
            Indication::Trd => "Treatment-resistant depression",
            Indication::Mdsi => "MDD with acute suicidal ideation or behaviour",
        }
    }
}
