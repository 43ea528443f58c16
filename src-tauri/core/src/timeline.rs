//! The patient's history on one time axis: medication trials, depressive episodes,
//! psychotherapy courses and other treatments, each a span (possibly with partial dates and no
//! known end), oldest first. The UI draws it; the summary lists it.

use chrono::NaiveDate;

use crate::error::CoreResult;
use crate::partial_date::PartialDate;
use crate::record::other_treatment::TreatmentStatus;
use crate::record::{self, RecordBody, RecordKind};
use crate::session::Session;
use crate::trial;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    Episode,
    Medication,
    Psychotherapy,
    OtherTreatment,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub lane: Lane,
    pub label: String,
    pub start: PartialDate,
    /// `None` with `ongoing` false: the end is not known.
    pub end: Option<PartialDate>,
    pub ongoing: bool,
    /// The trial or record it comes from.
    pub source_id: i64,
}

fn pd(s: &str) -> Option<PartialDate> {
    PartialDate::parse(s).ok()
}

pub fn build(session: &Session, patient_id: i64, today: NaiveDate) -> CoreResult<Vec<Span>> {
    let mut spans = Vec::new();
    for t in trial::list(session, patient_id, today)? {
        spans.push(Span {
            lane: Lane::Medication,
            label: t.data.drug_name.clone(),
            start: t.data.start,
            end: t.data.stop,
            ongoing: t.data.ongoing,
            source_id: t.id,
        });
    }
    for r in record::list(session, patient_id, None)? {
        let span = match &r.body {
            RecordBody::Episode(e) => pd(&e.onset).map(|start| Span {
                lane: Lane::Episode,
                label: format!("Episode{}", if e.current { " (current)" } else { "" }),
                start,
                end: e.end.as_deref().and_then(pd),
                ongoing: e.current,
                source_id: r.id,
            }),
            RecordBody::Psychotherapy(p) => pd(&p.start).map(|start| Span {
                lane: Lane::Psychotherapy,
                label: p
                    .modality_other
                    .clone()
                    .or_else(|| p.modality.map(|m| m.label().to_string()))
                    .unwrap_or_default(),
                start,
                end: p.end.as_deref().and_then(pd),
                ongoing: p.ongoing,
                source_id: r.id,
            }),
            RecordBody::OtherTreatment(o) if o.status == Some(TreatmentStatus::Done) => {
                o.start.as_deref().and_then(pd).map(|start| Span {
                    lane: Lane::OtherTreatment,
                    label: o
                        .treatment
                        .map(|t| t.label().to_string())
                        .unwrap_or_default(),
                    start,
                    end: o.end.as_deref().and_then(pd),
                    ongoing: false,
                    source_id: r.id,
                })
            }
            _ => None,
        };
        if let Some(s) = span {
            if r.body.kind() != RecordKind::Coverage {
                spans.push(s);
            }
        }
    }
    spans.sort_by_key(|s| (s.start.earliest(), s.lane as u8, s.source_id));
    Ok(spans)
}
