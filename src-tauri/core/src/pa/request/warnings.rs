//! What needs attention on an approval: units running out, the end date near, the approval
//! expired, or more units used than approved. Pure: the thresholds come from
//! `pa-clocks.v1.json` (clinic-facing defaults), the units from `units.rs`.

use chrono::NaiveDate;

use super::check::show_date;
use super::clocks::WarningRules;
use super::status::RequestStatus;
use super::UnitsLine;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningKind {
    /// Fewer units left than the threshold on an approved code.
    UnitsLow,
    /// More units used than approved.
    OverUsed,
    /// The approval ends within the threshold.
    EndsSoon,
    /// The approval's last day has passed.
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub kind: WarningKind,
    /// The code it is about, for unit warnings.
    pub code: Option<String>,
    pub message: String,
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Warnings for a request in `status` whose approval ends on `end`, with `units` used, on
/// `today`. Only approvals (in full or in part) have any.
pub fn warnings(
    status: RequestStatus,
    end: Option<NaiveDate>,
    units: &[UnitsLine],
    today: NaiveDate,
    rules: &WarningRules,
) -> Vec<Warning> {
    if !matches!(
        status,
        RequestStatus::Approved | RequestStatus::PartiallyApproved
    ) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for u in units {
        if u.remaining < 0 {
            out.push(Warning {
                kind: WarningKind::OverUsed,
                code: Some(u.code.clone()),
                message: format!(
                    "{}: {} used, {} approved ({} over)",
                    u.code,
                    plural(i64::from(u.used), "unit", "units"),
                    u.approved,
                    -u.remaining
                ),
            });
        } else if u.remaining < i64::from(rules.units_left_below) {
            let left = if u.remaining == 0 {
                format!("No units of {} left", u.code)
            } else {
                format!(
                    "{} of {} left",
                    plural(u.remaining, "unit", "units"),
                    u.code
                )
            };
            out.push(Warning {
                kind: WarningKind::UnitsLow,
                code: Some(u.code.clone()),
                message: left,
            });
        }
    }
    if let Some(end) = end {
        let days = (end - today).num_days();
        if days < 0 {
            out.push(Warning {
                kind: WarningKind::Expired,
                code: None,
                message: format!("Authorization expired on {}", show_date(end)),
            });
        } else if days <= i64::from(rules.ends_within_days) {
            let when = match days {
                0 => "today".to_string(),
                n => format!("in {}", plural(n, "day", "days")),
            };
            out.push(Warning {
                kind: WarningKind::EndsSoon,
                code: None,
                message: format!("Authorization ends {when} ({})", show_date(end)),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pa::request::clocks;

    fn line(code: &str, approved: u32, used: u32) -> UnitsLine {
        UnitsLine {
            code: code.into(),
            approved,
            used,
            remaining: i64::from(approved) - i64::from(used),
        }
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn messages(w: &[Warning]) -> Vec<&str> {
        w.iter().map(|w| w.message.as_str()).collect()
    }

    #[test]
    fn units_and_dates_at_their_thresholds() {
        let rules = &clocks::bundled().unwrap().warnings;
        let today = day(11, 28);
        let w = warnings(
            RequestStatus::Approved,
            Some(day(12, 12)),
            &[
                line("G2083", 8, 7),
                line("G2082", 8, 6),
                line("90868", 3, 3),
            ],
            today,
            rules,
        );
        assert_eq!(
            messages(&w),
            [
                "1 unit of G2083 left",
                "No units of 90868 left",
                "Authorization ends in 14 days (12-Dec-2026)"
            ]
        );
        let w = warnings(
            RequestStatus::PartiallyApproved,
            Some(day(12, 13)),
            &[line("G2083", 8, 9)],
            today,
            rules,
        );
        assert_eq!(messages(&w), ["G2083: 9 units used, 8 approved (1 over)"]);
        assert_eq!(w[0].kind, WarningKind::OverUsed);
        let w = warnings(RequestStatus::Approved, Some(today), &[], today, rules);
        assert_eq!(messages(&w), ["Authorization ends today (28-Nov-2026)"]);
        let w = warnings(
            RequestStatus::Approved,
            Some(day(11, 29)),
            &[],
            today,
            rules,
        );
        assert_eq!(messages(&w), ["Authorization ends in 1 day (29-Nov-2026)"]);
        let w = warnings(
            RequestStatus::Approved,
            Some(day(11, 27)),
            &[],
            today,
            rules,
        );
        assert_eq!(messages(&w), ["Authorization expired on 27-Nov-2026"]);
        assert_eq!(w[0].kind, WarningKind::Expired);
    }

    #[test]
    fn only_approvals_warn() {
        let rules = &clocks::bundled().unwrap().warnings;
        for s in [
            RequestStatus::Draft,
            RequestStatus::Submitted,
            RequestStatus::Denied,
        ] {
            assert!(warnings(
                s,
                Some(day(1, 1)),
                &[line("G2083", 1, 1)],
                day(11, 28),
                rules
            )
            .is_empty());
        }
    }
}
