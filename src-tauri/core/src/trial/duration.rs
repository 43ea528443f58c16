//! Days at or above the therapeutic dose, from a dose history with possibly partial dates.
//!
//! Every duration is a range `[min, max]` of days: a partial date contributes its whole
//! period, so "started 2021, stopped 2021-06" is 0 to 181 days, never a guessed midpoint.
//! Payers count whole weeks at the dose (`weeks = floor(days / 7)`; payer rules use ≥), so
//! the minimum is what can be claimed with certainty and the range says how uncertain it is.

use chrono::NaiveDate;

use crate::partial_date::PartialDate;

/// A dose in effect from a date until the next step (or the end of the trial).
#[derive(Debug, Clone, PartialEq)]
pub struct DoseStep {
    pub from: PartialDate,
    /// Total daily dose in the drug's reference unit.
    pub daily: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    pub min: i64,
    pub max: i64,
}

impl DayRange {
    pub const ZERO: DayRange = DayRange { min: 0, max: 0 };

    pub fn is_exact(&self) -> bool {
        self.min == self.max
    }

    /// Whole weeks that are certain (floor of the minimum).
    pub fn certain_weeks(&self) -> i64 {
        self.min / 7
    }

    pub fn max_weeks(&self) -> i64 {
        self.max / 7
    }

    fn plus(self, o: DayRange) -> DayRange {
        DayRange {
            min: self.min + o.min,
            max: self.max + o.max,
        }
    }
}

/// Days between two possibly partial dates: at least (earliest end − latest start), at most
/// (latest end − earliest start).
pub fn between(start: &PartialDate, end: &PartialDate) -> DayRange {
    let min = (end.earliest() - start.latest()).num_days().max(0);
    let max = (end.latest() - start.earliest()).num_days().max(0);
    DayRange { min, max }
}

/// What can be said about a trial's adequacy from its dates and doses.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialDurations {
    /// From start to stop (or today while ongoing).
    pub total: DayRange,
    /// At or above the therapeutic floor; `None` when the drug has no dose floor (not in the
    /// reference, or judged by level or course).
    pub at_therapeutic: Option<DayRange>,
    pub max_daily: Option<f64>,
    pub flags: Vec<Flag>,
}

/// Missing or doubtful facts, shown in place in the treatment-failure table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    NoStopDate,
    DurationUncertain,
    BelowTherapeuticMinimum,
    NoTherapeuticFloor,
    NoDoseRecorded,
}

impl Flag {
    pub fn text(self) -> &'static str {
        match self {
            Flag::NoStopDate => "no stop date",
            Flag::DurationUncertain => "duration uncertain (partial dates)",
            Flag::BelowTherapeuticMinimum => "dose below therapeutic minimum",
            Flag::NoTherapeuticFloor => "no therapeutic dose in the reference",
            Flag::NoDoseRecorded => "no dose recorded",
        }
    }
}

/// Computes a trial's durations. `stop` is `None` for an ongoing trial (counted to `today`)
/// unless `ongoing` is false, which flags the missing stop date and counts nothing after the
/// last known date. `floor` is the drug's minimum therapeutic daily dose.
pub fn compute(
    start: &PartialDate,
    stop: Option<&PartialDate>,
    ongoing: bool,
    doses: &[DoseStep],
    floor: Option<f64>,
    today: NaiveDate,
) -> TrialDurations {
    let mut flags = Vec::new();
    let today_pd = PartialDate::from_date(today);
    let end = match (stop, ongoing) {
        (Some(s), _) => *s,
        (None, true) => today_pd,
        (None, false) => {
            flags.push(Flag::NoStopDate);
            doses.last().map(|d| d.from).unwrap_or(*start)
        }
    };
    let total = between(start, &end);
    let mut steps: Vec<&DoseStep> = doses.iter().collect();
    steps.sort_by_key(|d| d.from.earliest());
    let max_daily = steps.iter().map(|d| d.daily).reduce(f64::max);
    if steps.is_empty() {
        flags.push(Flag::NoDoseRecorded);
    }
    let at_therapeutic = match floor {
        None => {
            flags.push(Flag::NoTherapeuticFloor);
            None
        }
        Some(f) => {
            let mut sum = DayRange::ZERO;
            for (i, step) in steps.iter().enumerate() {
                if step.daily + 1e-9 < f {
                    continue;
                }
                let seg_end = steps.get(i + 1).map(|n| n.from).unwrap_or(end);
                sum = sum.plus(between(&step.from, &seg_end));
            }
            // Never more than the whole trial.
            sum.max = sum.max.min(total.max);
            sum.min = sum.min.min(sum.max);
            if max_daily.is_some_and(|m| m + 1e-9 < f) {
                flags.push(Flag::BelowTherapeuticMinimum);
            }
            Some(sum)
        }
    };
    if !total.is_exact() || at_therapeutic.is_some_and(|r| !r.is_exact()) {
        flags.push(Flag::DurationUncertain);
    }
    TrialDurations {
        total,
        at_therapeutic,
        max_daily,
        flags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn step(from: &str, daily: f64) -> DoseStep {
        DoseStep {
            from: p(from),
            daily,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    #[test]
    fn days_at_dose_start_when_the_dose_reaches_the_floor() {
        // Sertraline 25 mg for 2 weeks, then 50 mg (the floor) for 8 weeks, then 100 mg for 4.
        let d = compute(
            &p("2026-01-01"),
            Some(&p("2026-04-09")),
            false,
            &[
                step("2026-01-01", 25.0),
                step("2026-01-15", 50.0),
                step("2026-03-12", 100.0),
            ],
            Some(50.0),
            today(),
        );
        assert_eq!(d.total, DayRange { min: 98, max: 98 });
        assert_eq!(d.at_therapeutic, Some(DayRange { min: 84, max: 84 }));
        assert_eq!(d.at_therapeutic.unwrap().certain_weeks(), 12);
        assert_eq!(d.max_daily, Some(100.0));
        assert!(d.flags.is_empty(), "{:?}", d.flags);
    }

    #[test]
    fn a_dose_that_never_reaches_the_floor_counts_nothing_and_is_flagged() {
        let d = compute(
            &p("2025-01-01"),
            Some(&p("2025-06-01")),
            false,
            &[step("2025-01-01", 25.0)],
            Some(50.0),
            today(),
        );
        assert_eq!(d.at_therapeutic, Some(DayRange::ZERO));
        assert!(d.flags.contains(&Flag::BelowTherapeuticMinimum));
    }

    #[test]
    fn partial_dates_give_a_range_never_a_rounded_up_figure() {
        // "Escitalopram 20 mg from 2021 until May 2021" (outside records).
        let d = compute(
            &p("2021"),
            Some(&p("2021-05")),
            false,
            &[step("2021", 20.0)],
            Some(10.0),
            today(),
        );
        // At least 0 days (started 31 Dec, stopped 1 May is impossible, so 0), at most
        // 1 Jan – 31 May = 150 days.
        assert_eq!(d.total, DayRange { min: 0, max: 150 });
        assert_eq!(d.at_therapeutic.unwrap().certain_weeks(), 0);
        assert_eq!(d.at_therapeutic.unwrap().max_weeks(), 21);
        assert!(d.flags.contains(&Flag::DurationUncertain));

        // Month precision at both ends: March to June 2022.
        let d = compute(
            &p("2022-03"),
            Some(&p("2022-06")),
            false,
            &[step("2022-03", 150.0)],
            Some(150.0),
            today(),
        );
        assert_eq!(d.total, DayRange { min: 62, max: 121 });
        assert_eq!(d.at_therapeutic.unwrap().certain_weeks(), 8);
    }

    #[test]
    fn ongoing_trials_count_to_today_and_a_missing_stop_is_flagged() {
        let d = compute(
            &p("2026-10-01"),
            None,
            true,
            &[step("2026-10-01", 60.0)],
            Some(60.0),
            today(),
        );
        assert_eq!(d.total, DayRange { min: 51, max: 51 });
        assert!(!d.flags.contains(&Flag::NoStopDate));
        let d = compute(
            &p("2024-01-01"),
            None,
            false,
            &[step("2024-01-01", 60.0)],
            Some(60.0),
            today(),
        );
        assert!(d.flags.contains(&Flag::NoStopDate));
        assert_eq!(
            d.total,
            DayRange::ZERO,
            "nothing is assumed after the last known date"
        );
    }

    #[test]
    fn drugs_without_a_floor_and_trials_without_doses_are_flagged() {
        let d = compute(
            &p("2024-01-01"),
            Some(&p("2024-03-01")),
            false,
            &[],
            None,
            today(),
        );
        assert_eq!(d.at_therapeutic, None);
        assert!(d.flags.contains(&Flag::NoTherapeuticFloor));
        assert!(d.flags.contains(&Flag::NoDoseRecorded));
    }
}
