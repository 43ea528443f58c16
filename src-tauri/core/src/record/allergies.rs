//! The patient's allergy state for the banner, from the most recent screening that recorded
//! allergies (signed or draft: a draft's allergy list is still the best safety information there
//! is, and the banner says which screening it came from).

use crate::access::Permission;
use crate::error::CoreResult;
use crate::session::Session;

use super::{RecordBody, RecordKind};

/// One of the banner's states (ui-guide: known, none known, not recorded; "unavailable" is the
/// shell's, for users who may not read the clinical record).
#[derive(Debug, Clone, PartialEq)]
pub enum AllergyState {
    NotRecorded,
    NoneKnown {
        /// The screening's date, `YYYY-MM-DD`.
        on: String,
        signed: bool,
    },
    Known {
        substances: Vec<String>,
        on: String,
        signed: bool,
    },
}

pub fn latest(session: &Session, patient_id: i64) -> CoreResult<AllergyState> {
    session.require(Permission::ReadClinical)?;
    let screenings = super::list(session, patient_id, Some(RecordKind::Screening))?;
    // Oldest first by screening date, then as entered: the last one that says anything wins.
    let latest = screenings.iter().rev().find_map(|r| match &r.body {
        RecordBody::Screening(s) => {
            let substances: Vec<String> = s
                .allergies
                .as_deref()
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            let signed = r.signature.is_some();
            if !substances.is_empty() {
                Some(AllergyState::Known {
                    substances,
                    on: s.date.clone(),
                    signed,
                })
            } else if s.no_known_allergies {
                Some(AllergyState::NoneKnown {
                    on: s.date.clone(),
                    signed,
                })
            } else {
                None
            }
        }
        _ => None,
    });
    Ok(latest.unwrap_or(AllergyState::NotRecorded))
}
