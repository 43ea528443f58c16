//! Response and remission: a current total compared with a baseline on the same instrument.
//!
//! Definitions (domain reference §3.2, stored per instrument in `instruments.v1.json` so a clinic
//! can change them — none is a constant here):
//!
//! * Response: a reduction from baseline of at least 50 % ([S9][S46d]; per instrument [S25c],
//!   [S40a], [S41]). Exactly 50 % is a response.
//! * Partial response: at least 25 % and below the response threshold. Not in the reference
//!   (source `KC`, `verified: false`); Cigna [S1] calls "≤25 % improvement" non-response, so a
//!   clinic following Cigna sets it to 26 %.
//! * Non-response: below the partial-response threshold, including any worsening.
//! * Remission: the current total alone meets the instrument's threshold — PHQ-9 < 5, MADRS ≤ 10,
//!   HAM-D-17 ≤ 7, QIDS-SR16 ≤ 5, BDI-II < 9 (one payer form, unverified). No threshold in the
//!   reference for the GAD-7: remission is then "not defined" (`None`), not "no".
//!
//! The comparison is exact: `(baseline − current) × 100 ≥ threshold × baseline` in integers, so a
//! boundary never flips on floating-point rounding. The percentage is reported for display only.
//!
//! Decision — a baseline of 0 leaves the percentage undefined: the class is
//! [`ResponseClass::NotComputable`] ("Baseline 0: response not computable"), never a division by
//! zero. Any rise from 0 is still reported as worsening, and remission is still judged on the
//! current total.

use super::definition::{bundled, Instrument, Threshold};
use super::score::{ScoreError, Scored, TotalField};
use crate::error::CoreResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseClass {
    Response,
    PartialResponse,
    NonResponse,
    /// The baseline is 0, so no percentage change exists.
    NotComputable,
}

impl ResponseClass {
    pub fn label(self) -> &'static str {
        match self {
            ResponseClass::Response => "Response",
            ResponseClass::PartialResponse => "Partial response",
            ResponseClass::NonResponse => "Non-response",
            ResponseClass::NotComputable => "Baseline 0: response not computable",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub instrument_id: String,
    pub baseline: i32,
    pub current: i32,
    /// `current − baseline`: negative means fewer symptoms (every scale here scores symptoms).
    pub difference: i32,
    /// Reduction from baseline in percent (positive = improvement, negative = worsening);
    /// `None` when the baseline is 0. For display; the class is decided exactly.
    pub reduction_percent: Option<f64>,
    pub response: ResponseClass,
    /// The current total is higher than the baseline.
    pub worsened: bool,
    /// `None` when the instrument defines no remission threshold.
    pub remission: Option<bool>,
    pub remission_threshold: Option<Threshold>,
    /// The thresholds applied are all verified (false: "requires clinical review").
    pub verified: bool,
}

/// Classifies a change between two totals on the same instrument, with its stored rules.
pub fn classify(
    instrument: &Instrument,
    baseline: i32,
    current: i32,
) -> Result<Change, ScoreError> {
    let Some(rules) = &instrument.change else {
        return Err(ScoreError::NoChangeRules {
            instrument: instrument.short_name.clone(),
        });
    };
    instrument.check_total(TotalField::Baseline, baseline)?;
    instrument.check_total(TotalField::Current, current)?;

    let reduction = i64::from(baseline) - i64::from(current);
    let base = i64::from(baseline);
    let reaches = |percent: u32| reduction * 100 >= i64::from(percent) * base;
    let response = if baseline == 0 {
        ResponseClass::NotComputable
    } else if reaches(rules.response.min_reduction_percent) {
        ResponseClass::Response
    } else if reaches(rules.partial_response.min_reduction_percent) {
        ResponseClass::PartialResponse
    } else {
        ResponseClass::NonResponse
    };
    let remission_rule = rules.remission.as_ref();
    let verified = match response {
        ResponseClass::Response => rules.response.verified,
        ResponseClass::PartialResponse | ResponseClass::NonResponse => {
            rules.response.verified && rules.partial_response.verified
        }
        ResponseClass::NotComputable => true,
    } && remission_rule.is_none_or(|r| r.verified);

    Ok(Change {
        instrument_id: instrument.id.clone(),
        baseline,
        current,
        difference: current - baseline,
        reduction_percent: (baseline != 0).then(|| reduction as f64 * 100.0 / base as f64),
        response,
        worsened: current > baseline,
        remission: remission_rule.map(|r| r.threshold.is_met(current)),
        remission_threshold: remission_rule.map(|r| r.threshold),
        verified,
    })
}

/// [`classify`] with the bundled reference.
pub fn change(instrument_id: &str, baseline: i32, current: i32) -> CoreResult<Change> {
    let ins = bundled()?.instrument(instrument_id)?;
    Ok(classify(ins, baseline, current)?)
}

/// Compares two scored administrations; they must be on the same instrument and have totals.
pub fn compare(baseline: &Scored, current: &Scored) -> CoreResult<Change> {
    if baseline.instrument_id != current.instrument_id {
        let name = |id: &str| {
            bundled()
                .ok()
                .and_then(|r| r.get(id))
                .map_or(id.to_string(), |i| i.short_name.clone())
        };
        return Err(ScoreError::DifferentInstruments {
            baseline: name(&baseline.instrument_id),
            current: name(&current.instrument_id),
        }
        .into());
    }
    let ins = bundled()?.instrument(&baseline.instrument_id)?;
    match (baseline.total, current.total) {
        (Some(b), Some(c)) => Ok(classify(ins, b, c)?),
        _ => Err(ScoreError::NoTotal {
            instrument: ins.short_name.clone(),
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boundaries_are_exact_in_integers() {
        let r = bundled().unwrap();
        let madrs = r.get("madrs").unwrap();
        // 30 → 15 is exactly 50 %; 59 → 30 is 49.15 %.
        assert_eq!(
            classify(madrs, 30, 15).unwrap().response,
            ResponseClass::Response
        );
        assert_eq!(
            classify(madrs, 59, 30).unwrap().response,
            ResponseClass::PartialResponse
        );
        // 3 → 2 is 33.3 %, which floating point would also get right; 100 × 1 ≥ 25 × 3.
        assert_eq!(
            classify(madrs, 3, 2).unwrap().response,
            ResponseClass::PartialResponse
        );
    }

    #[test]
    fn an_instrument_without_rules_is_refused() {
        let r = bundled().unwrap();
        let e = classify(r.get("cadss").unwrap(), 10, 5).unwrap_err();
        assert!(matches!(e, ScoreError::NoChangeRules { .. }));
        let e = classify(r.get("cssrs_screener").unwrap(), 1, 0).unwrap_err();
        assert!(matches!(e, ScoreError::NoChangeRules { .. }));
    }
}
