//! What a prior authorization is for: the four services the clinic delivers.

use serde::{Deserialize, Serialize};

use crate::record::screening::ScreeningModality;
use crate::treatment::Modality;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Esketamine nasal spray for treatment-resistant depression.
    SpravatoTrd,
    /// Esketamine for MDD with acute suicidal ideation or behaviour.
    SpravatoMdsi,
    /// Transcranial magnetic stimulation.
    Tms,
    /// Racemic ketamine infusion (off-label).
    IvKetamine,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::SpravatoTrd,
        Service::SpravatoMdsi,
        Service::Tms,
        Service::IvKetamine,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Service::SpravatoTrd => "spravato_trd",
            Service::SpravatoMdsi => "spravato_mdsi",
            Service::Tms => "tms",
            Service::IvKetamine => "iv_ketamine",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Service::SpravatoTrd => "Spravato (esketamine) for treatment-resistant depression",
            Service::SpravatoMdsi => "Spravato (esketamine) for MDD with acute suicidal ideation",
            Service::Tms => "Transcranial magnetic stimulation (TMS)",
            Service::IvKetamine => "IV ketamine infusion",
        }
    }

    /// The safety screening that applies to this service.
    pub fn screening(self) -> ScreeningModality {
        match self {
            Service::SpravatoTrd | Service::SpravatoMdsi => ScreeningModality::Spravato,
            Service::Tms => ScreeningModality::Tms,
            Service::IvKetamine => ScreeningModality::IvKetamine,
        }
    }

    /// Whether a treatment course of this modality delivers the service.
    pub fn delivered_by(self, modality: Modality) -> bool {
        match self {
            Service::SpravatoTrd | Service::SpravatoMdsi => modality == Modality::Spravato,
            Service::Tms => modality == Modality::Tms,
            Service::IvKetamine => matches!(modality, Modality::IvKetamine | Modality::ImKetamine),
        }
    }

    /// A drug (Spravato) rather than a medical service: CMS-0057-F's decision clocks do not
    /// apply to drugs (domain reference 6.3).
    pub fn is_drug(self) -> bool {
        matches!(self, Service::SpravatoTrd | Service::SpravatoMdsi)
    }
}
