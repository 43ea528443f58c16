//! Checking a trial form: every problem named on its field, nothing stored until all pass.

use chrono::NaiveDate;

use super::duration::DoseStep;
use super::model::{AdherenceSource, Outcome, TrialInput, TrialRole, ValidTrial};
use crate::partial_date::PartialDate;
use crate::reference::drugs::DrugReference;
use crate::validation::{optional_line, ValidationErrors};

/// A dose above this multiple of the labelled maximum is taken for a unit mistake.
const ABSURD_MULTIPLE_OF_MAX: f64 = 4.0;

/// Above every depression scale's maximum (BDI-II 63, MADRS 60, HAM-D-17 52).
const MAX_SCORE: f64 = 100.0;

fn date(e: &mut ValidationErrors, field: &str, raw: &str, today: NaiveDate) -> Option<PartialDate> {
    match PartialDate::parse(raw) {
        Ok(d) if d.is_future(today) => {
            e.add(field, "The date must be today or in the past");
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            e.add(field, m);
            None
        }
    }
}

pub fn validate(
    input: &TrialInput,
    reference: &DrugReference,
    today: NaiveDate,
) -> Result<ValidTrial, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let typed = input.drug.trim();
    let exact = |s: &str| s.eq_ignore_ascii_case(typed);
    let known = reference
        .drugs
        .iter()
        .find(|d| exact(&d.id) || exact(&d.name) || d.aliases.iter().any(|a| exact(a)));
    let (drug_id, drug_name) = match known {
        Some(d) => (Some(d.id.clone()), d.name.clone()),
        None if typed.is_empty() => {
            e.add("drug", "Enter the medication");
            (None, String::new())
        }
        None if typed.chars().count() > 100 => {
            e.add(
                "drug",
                "The medication name must be 100 characters or fewer",
            );
            (None, String::new())
        }
        None => (None, typed.to_string()),
    };
    let role = TrialRole::parse(input.role.trim());
    if role.is_none() {
        e.add(
            "role",
            "Select whether it was monotherapy, augmentation or a combination",
        );
    }
    let start = if input.start_date.trim().is_empty() {
        e.add(
            "startDate",
            "Enter when the trial started, at least the year",
        );
        None
    } else {
        date(&mut e, "startDate", &input.start_date, today)
    };
    let stop = if input.stop_date.trim().is_empty() {
        None
    } else {
        date(&mut e, "stopDate", &input.stop_date, today)
    };
    if input.ongoing && !input.stop_date.trim().is_empty() {
        e.add(
            "stopDate",
            "A trial that is still going on has no stop date: clear one of them",
        );
    }
    if let (Some(a), Some(b)) = (start, stop) {
        if b.latest() < a.earliest() {
            e.add(
                "stopDate",
                "The stop date must be the same as or after the start date",
            );
        }
    }
    let drug_ref = drug_id.as_deref().and_then(|id| reference.get(id));
    let mut doses = Vec::new();
    if input.doses.is_empty() {
        e.add("doses", "Enter at least one dose and when it started");
    }
    for (i, d) in input.doses.iter().enumerate() {
        let from_field = format!("doses.{i}.from");
        let daily_field = format!("doses.{i}.daily");
        let from = date(&mut e, &from_field, &d.from, today);
        if let (Some(f), Some(s)) = (from, start) {
            if f.latest() < s.earliest() {
                e.add(&from_field, "A dose cannot start before the trial started");
            }
        }
        if let (Some(f), Some(s)) = (from, stop) {
            if f.earliest() > s.latest() {
                e.add(&from_field, "A dose cannot start after the trial stopped");
            }
        }
        let daily = match d.daily.trim().replace(',', ".").parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 => Some(v),
            Ok(_) => {
                e.add(&daily_field, "The daily dose must be more than 0");
                None
            }
            Err(_) => {
                e.add(
                    &daily_field,
                    "Enter the total daily dose as a number, like 50",
                );
                None
            }
        };
        if let (Some(v), Some(r)) = (daily, drug_ref) {
            if let Some(max) = r.max_daily {
                if v > max * ABSURD_MULTIPLE_OF_MAX {
                    e.add(
                        &daily_field,
                        format!(
                            "{v} {} is more than {} times the maximum daily dose of {} ({max} {}): check the dose and its unit",
                            r.unit, ABSURD_MULTIPLE_OF_MAX, r.name, r.unit
                        ),
                    );
                }
            }
        }
        if let (Some(from), Some(daily)) = (from, daily) {
            doses.push(DoseStep { from, daily });
        }
    }
    let adherence_percent = match input.adherence_percent.trim() {
        "" => None,
        s => match s.trim_end_matches('%').trim().parse::<u8>() {
            Ok(p) if p <= 100 => Some(p),
            _ => {
                e.add(
                    "adherencePercent",
                    "Adherence must be a whole number from 0 to 100",
                );
                None
            }
        },
    };
    let adherence_source = match input.adherence_source.trim() {
        "" => None,
        s => {
            let v = AdherenceSource::parse(s);
            if v.is_none() {
                e.add(
                    "adherenceSource",
                    "Select where the adherence information comes from",
                );
            }
            v
        }
    };
    if (adherence_percent.is_some() || input.adherent.is_some()) && adherence_source.is_none() {
        e.add(
            "adherenceSource",
            "Select where the adherence information comes from (patient report, pharmacy fills or outside records)",
        );
    }
    let outcome = match input.outcome.trim() {
        "" => None,
        s => {
            let v = Outcome::parse(s);
            if v.is_none() {
                e.add("outcome", "Select the outcome");
            }
            v
        }
    };
    let adverse_effect = optional_line(
        &mut e,
        "adverseEffect",
        "Adverse effect",
        Some(&input.adverse_effect),
        200,
    );
    if outcome == Some(Outcome::Intolerance) && adverse_effect.is_none() && !e.has("adverseEffect")
    {
        e.add(
            "adverseEffect",
            "Name the adverse effect that made the medication intolerable",
        );
    }
    let reason_stopped = optional_line(
        &mut e,
        "reasonStopped",
        "Reason stopped",
        Some(&input.reason_stopped),
        200,
    );
    let source_note = optional_line(
        &mut e,
        "sourceNote",
        "Source",
        Some(&input.source_note),
        500,
    );
    let score_instrument = optional_line(
        &mut e,
        "scoreInstrument",
        "The rating scale",
        Some(&input.score_instrument),
        40,
    );
    let mut score = |field: &str, raw: &str| -> Option<f64> {
        match raw.trim() {
            "" => None,
            s => match s.replace(',', ".").parse::<f64>() {
                Ok(v) if v.is_finite() && (0.0..=MAX_SCORE).contains(&v) => Some(v),
                _ => {
                    e.add(
                        field,
                        format!("Enter the score as a number from 0 to {MAX_SCORE}"),
                    );
                    None
                }
            },
        }
    };
    let pre_score = score("preScore", &input.pre_score);
    let post_score = score("postScore", &input.post_score);
    if (pre_score.is_some() || post_score.is_some())
        && score_instrument.is_none()
        && !e.has("scoreInstrument")
    {
        e.add(
            "scoreInstrument",
            "Name the rating scale the scores are on, like PHQ-9 or MADRS",
        );
    }
    e.into_result()?;
    Ok(ValidTrial {
        drug_id,
        drug_name,
        role: role.unwrap_or(TrialRole::Monotherapy),
        start: start.unwrap_or(PartialDate::year(1900)),
        stop,
        ongoing: input.ongoing,
        doses,
        adherence_percent,
        adherent: input.adherent,
        adherence_source,
        outcome,
        adverse_effect,
        reason_stopped,
        current_episode: input.current_episode,
        source_note,
        score_instrument,
        pre_score,
        post_score,
    })
}
