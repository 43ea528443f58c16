//! A course's planned sessions from its protocol phases: the sessions of each finite phase on
//! target dates spread over the week, then a few of the open-ended phase (maintenance) so the
//! next ones are visible. Target dates are a plan, not appointments.

use chrono::{Days, NaiveDate};

use super::reference::Phase;

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSession {
    /// 1-based across the course.
    pub number: u32,
    pub phase: String,
    /// 1-based week of the course.
    pub week: u32,
    pub target: NaiveDate,
    /// In an open-ended phase (not counted in the planned total).
    pub open_ended: bool,
}

/// Sessions planned by the finite phases (maintenance that runs on is not counted).
pub fn planned_total(phases: &[Phase]) -> u32 {
    phases
        .iter()
        .filter_map(|p| p.weeks.map(|w| sessions_in(w, p)))
        .sum()
}

fn sessions_in(weeks: u32, p: &Phase) -> u32 {
    let every = p.every_weeks.max(1);
    weeks.div_ceil(every) * p.per_week
}

/// Day offsets inside a week for `n` sessions: as evenly spread over Monday–Friday as `n`
/// allows (3 a week → days 0, 2, 4), then the weekend.
fn day_offsets(n: u32) -> Vec<u64> {
    match n {
        0 | 1 => vec![0],
        2 => vec![0, 3],
        3 => vec![0, 2, 4],
        4 => vec![0, 1, 3, 4],
        n => (0..u64::from(n.min(7))).collect(),
    }
}

/// The plan from `start`, with `open_ended_count` sessions of a final open-ended phase.
pub fn generate(start: NaiveDate, phases: &[Phase], open_ended_count: u32) -> Vec<PlannedSession> {
    let mut out = Vec::new();
    let mut week_start: u32 = 0; // weeks since the course start
    for p in phases {
        let every = p.every_weeks.max(1);
        let offsets = day_offsets(p.per_week);
        let (weeks, open) = match p.weeks {
            Some(w) => (w, false),
            None => (open_ended_count.div_ceil(p.per_week.max(1)) * every, true),
        };
        let mut w = 0;
        let mut made_in_open = 0;
        while w < weeks {
            for d in &offsets {
                if open && made_in_open >= open_ended_count {
                    break;
                }
                let days = u64::from(week_start + w) * 7 + d;
                if let Some(target) = start.checked_add_days(Days::new(days)) {
                    out.push(PlannedSession {
                        number: out.len() as u32 + 1,
                        phase: p.label.clone(),
                        week: week_start + w + 1,
                        target,
                        open_ended: open,
                    });
                    made_in_open += 1;
                }
            }
            w += every;
        }
        week_start += weeks;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::treatment::reference::bundled;

    fn phases(id: &str) -> Vec<Phase> {
        bundled()
            .unwrap()
            .protocols
            .iter()
            .find(|p| p.id == id)
            .unwrap()
            .phases
            .clone()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn spravato_trd_is_eight_induction_then_four_weekly() {
        let p = phases("spravato_trd");
        assert_eq!(planned_total(&p), 12);
        let plan = generate(d("2026-11-02"), &p, 2);
        let induction: Vec<_> = plan
            .iter()
            .filter(|s| s.phase.starts_with("Induction"))
            .collect();
        assert_eq!(induction.len(), 8);
        // twice weekly: Monday and Thursday of weeks 1-4
        assert_eq!(induction[0].target, d("2026-11-02"));
        assert_eq!(induction[1].target, d("2026-11-05"));
        assert_eq!(induction[7].week, 4);
        let maint: Vec<_> = plan
            .iter()
            .filter(|s| s.phase.starts_with("Maintenance"))
            .collect();
        assert_eq!(maint.len(), 4);
        assert_eq!(maint[0].week, 5);
        assert_eq!(maint[0].target, d("2026-11-30"));
        // then every two weeks, not counted in the total
        let cont: Vec<_> = plan.iter().filter(|s| s.open_ended).collect();
        assert_eq!(cont.len(), 2);
        assert_eq!(cont[0].week, 9);
        assert_eq!(cont[1].week, 11);
        assert_eq!(plan.last().unwrap().number, 14);
    }

    #[test]
    fn mdsi_is_eight_sessions_in_four_weeks() {
        let p = phases("spravato_mdsi");
        assert_eq!(planned_total(&p), 8);
        let plan = generate(d("2026-11-02"), &p, 3);
        assert_eq!(plan.len(), 8, "no open-ended phase");
        assert_eq!(plan.last().unwrap().target, d("2026-11-26"));
    }

    #[test]
    fn tms_is_thirty_plus_six_taper() {
        let p = phases("tms_standard");
        assert_eq!(planned_total(&p), 36);
        let plan = generate(d("2026-11-02"), &p, 0);
        assert_eq!(plan.len(), 36);
        assert_eq!(plan[29].week, 6);
        assert_eq!(plan[30].phase, "Taper week 7");
        assert_eq!(plan[35].week, 9);
    }

    #[test]
    fn iv_ketamine_induction_is_six_over_two_weeks() {
        let p = phases("iv_ketamine_induction");
        assert_eq!(planned_total(&p), 6);
        let plan = generate(d("2026-11-02"), &p, 1);
        assert_eq!(plan[5].target, d("2026-11-13"));
        assert!(plan[6].open_ended);
        assert_eq!(plan[6].week, 3);
    }
}
