//! Per instrument: the baseline (the first score), the prior and the latest, with the change
//! from baseline classified by the instrument's response/remission rules.

use super::{store, Administration};
use crate::error::CoreResult;
use crate::scales::{self, Change};
use crate::session::Session;

#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub instrument: String,
    pub instrument_name: String,
    /// Every administration with a total, oldest first (the chart's points).
    pub points: Vec<Administration>,
    /// `None` for instruments without response rules (CADSS, C-SSRS screener) or one score.
    pub change: Option<Change>,
}

impl Trend {
    pub fn baseline(&self) -> Option<&Administration> {
        self.points.first()
    }

    pub fn latest(&self) -> Option<&Administration> {
        self.points.last()
    }

    /// The score before the latest, when there are at least three (with two, it is the baseline).
    pub fn prior(&self) -> Option<&Administration> {
        (self.points.len() >= 3).then(|| &self.points[self.points.len() - 2])
    }
}

/// One trend per instrument the patient has a total on, in the reference's instrument order.
pub fn trends(session: &Session, patient_id: i64) -> CoreResult<Vec<Trend>> {
    let all = store::list(session, patient_id, None)?;
    let reference = scales::bundled()?;
    let mut out = Vec::new();
    for ins in &reference.instruments {
        let points: Vec<Administration> = all
            .iter()
            .filter(|a| a.instrument == ins.id && a.total.is_some())
            .cloned()
            .collect();
        if points.is_empty() {
            continue;
        }
        let change = match (points.first(), points.last()) {
            (Some(b), Some(l)) if points.len() >= 2 && ins.change.is_some() => {
                Some(scales::classify(
                    ins,
                    b.total.unwrap_or_default(),
                    l.total.unwrap_or_default(),
                )?)
            }
            _ => None,
        };
        out.push(Trend {
            instrument: ins.id.clone(),
            instrument_name: ins.short_name.clone(),
            points,
            change,
        });
    }
    Ok(out)
}
