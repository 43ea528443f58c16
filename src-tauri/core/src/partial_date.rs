//! Dates that may be known only to the year or month, as outside records often give them
//! ("started sertraline in 2019", "stopped May 2021"). The precision is kept, shown as such
//! (`03-Mar-2025`, `Mar-2021`, `2021`, per the UI guide) and carried into durations as a range
//! (`earliest` … `latest`), never silently rounded.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl PartialDate {
    pub fn from_date(d: NaiveDate) -> Self {
        Self {
            year: d.year(),
            month: Some(d.month()),
            day: Some(d.day()),
        }
    }

    pub fn year(y: i32) -> Self {
        Self {
            year: y,
            month: None,
            day: None,
        }
    }

    pub fn month(y: i32, m: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(y, m, 1).map(|_| Self {
            year: y,
            month: Some(m),
            day: None,
        })
    }

    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the stored form). The message says what is
    /// wrong in the UI guide's words.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.chars().all(|c| c.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let bad = || {
            format!("Enter a date as a year (2021), a month (2021-05) or a full date (2021-05-17); \"{s}\" is not one")
        };
        match parts.as_slice() {
            [y] => num(y, 4).map(|y| Self::year(y as i32)).ok_or_else(bad),
            [y, m] => {
                let (y, m) = (num(y, 4).ok_or_else(bad)?, num(m, 2).ok_or_else(bad)?);
                Self::month(y as i32, m).ok_or_else(|| "The month must be between 1 and 12".into())
            }
            [y, m, d] => {
                let (y, m, d) = (
                    num(y, 4).ok_or_else(bad)?,
                    num(m, 2).ok_or_else(bad)?,
                    num(d, 2).ok_or_else(bad)?,
                );
                NaiveDate::from_ymd_opt(y as i32, m, d)
                    .map(Self::from_date)
                    .ok_or_else(|| "Enter a real date".into())
            }
            _ => Err(bad()),
        }
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The first day it can mean.
    pub fn earliest(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The last day it can mean.
    pub fn latest(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => {
                let (ny, nm) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
        .unwrap_or(NaiveDate::MAX)
    }

    /// The stored form: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (sorts as text).
    pub fn to_iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// As people read it: `03-Mar-2025`, `Mar-2021`, `2021`.
    pub fn display(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d:02}-{}-{:04}", MONTHS[(m - 1) as usize], self.year),
            (Some(m), None) => format!("{}-{:04}", MONTHS[(m - 1) as usize], self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// Whether it is certainly after `today` (a partial date in the current month or year is
    /// not in the future).
    pub fn is_future(&self, today: NaiveDate) -> bool {
        self.earliest() > today
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn parses_each_precision_and_round_trips() {
        for s in ["2021", "2021-05", "2021-05-17", "2024-02-29"] {
            assert_eq!(PartialDate::parse(s).unwrap().to_iso(), s);
        }
        assert_eq!(
            PartialDate::parse("2021").unwrap().precision(),
            Precision::Year
        );
        assert_eq!(
            PartialDate::parse("2021-05").unwrap().precision(),
            Precision::Month
        );
    }

    #[test]
    fn refuses_impossible_and_malformed_dates() {
        for s in [
            "2023-02-29",
            "2021-13",
            "2021-00",
            "21",
            "2021-5",
            "2021/05/01",
            "",
            "May 2021",
        ] {
            assert!(PartialDate::parse(s).is_err(), "{s}");
        }
        assert_eq!(
            PartialDate::parse("2023-02-29").unwrap_err(),
            "Enter a real date"
        );
    }

    #[test]
    fn bounds_cover_the_whole_period() {
        let y = PartialDate::parse("2024").unwrap();
        assert_eq!((y.earliest(), y.latest()), (d(2024, 1, 1), d(2024, 12, 31)));
        let m = PartialDate::parse("2024-02").unwrap();
        assert_eq!((m.earliest(), m.latest()), (d(2024, 2, 1), d(2024, 2, 29)));
        let dec = PartialDate::parse("2023-12").unwrap();
        assert_eq!(dec.latest(), d(2023, 12, 31));
    }

    #[test]
    fn displays_per_the_ui_guide() {
        assert_eq!(
            PartialDate::parse("2025-03-03").unwrap().display(),
            "03-Mar-2025"
        );
        assert_eq!(PartialDate::parse("2021-03").unwrap().display(), "Mar-2021");
        assert_eq!(PartialDate::parse("2021").unwrap().display(), "2021");
    }

    #[test]
    fn the_current_month_is_not_the_future() {
        let today = d(2026, 11, 21);
        assert!(!PartialDate::parse("2026-11").unwrap().is_future(today));
        assert!(!PartialDate::parse("2026").unwrap().is_future(today));
        assert!(PartialDate::parse("2026-11-22").unwrap().is_future(today));
        assert!(PartialDate::parse("2027").unwrap().is_future(today));
    }
}
