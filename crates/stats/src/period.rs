//! Reporting periods: a quarter, a month, a half-year, a year, the year to
//! date, 28 days, a week or any range of days; and the same period one year
//! earlier, to compare against.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("period {input:?}: {reason}")]
pub struct PeriodError {
    pub input: String,
    pub reason: &'static str,
    pub kind: PeriodErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodErrorKind {
    /// Not one of the forms.
    Form,
    /// A range that ends before it starts.
    Reversed,
    /// Outside the years reports cover.
    Years,
}

/// The years a period may cover, so shifting it by a year or a week never
/// leaves the calendar.
pub const YEARS: (i32, i32) = (1900, 2999);

const FORMS: &str =
    "expected 2024Q1, 2024H1, 2024-03, 2024, ytd:2024-04-19, 28d:2024-04-19, week:2024-04-15 or 2024-01-01..2024-03-31";

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<Period> {
        (from <= to).then_some(Period { from, to })
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Parses the forms a user types; `FORMS` lists them.
    pub fn parse(s: &str) -> Result<Period, PeriodError> {
        let err = |reason| PeriodError { input: s.to_string(), reason, kind: PeriodErrorKind::Form };
        let s = s.trim();
        let date = |d: &str| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d").ok().filter(|d| d.year().abs() < 10_000).ok_or_else(|| err(FORMS))
        };
        let year = |y: &str| y.parse::<i32>().ok().filter(|y| (1..10_000).contains(y)).ok_or_else(|| err(FORMS));
        let period = Period::parse_form(s, &date, &year, &err)?;
        let (min, max) = YEARS;
        if !(min..=max).contains(&period.from.year()) || !(min..=max).contains(&period.to.year()) {
            return Err(PeriodError {
                input: s.to_string(),
                reason: "outside the years 1900 to 2999",
                kind: PeriodErrorKind::Years,
            });
        }
        Ok(period)
    }

    fn parse_form(
        s: &str,
        date: &dyn Fn(&str) -> Result<NaiveDate, PeriodError>,
        year: &dyn Fn(&str) -> Result<i32, PeriodError>,
        err: &dyn Fn(&'static str) -> PeriodError,
    ) -> Result<Period, PeriodError> {
        if let Some((a, b)) = s.split_once("..") {
            return Period::new(date(a)?, date(b)?).ok_or_else(|| PeriodError {
                input: s.to_string(),
                reason: "the range ends before it starts",
                kind: PeriodErrorKind::Reversed,
            });
        }
        if let Some(d) = s.strip_prefix("ytd:") {
            let d = date(d)?;
            return Ok(Period { from: ymd(d.year(), 1, 1), to: d });
        }
        if let Some(d) = s.strip_prefix("28d:") {
            let d = date(d)?;
            return Ok(Period { from: d - Days::new(27), to: d });
        }
        if let Some(d) = s.strip_prefix("week:") {
            let d = date(d)?;
            let monday = d - Days::new(u64::from(d.weekday().num_days_from_monday()));
            return Ok(Period { from: monday, to: monday + Days::new(6) });
        }
        if let Some((y, q)) = s.split_once(['Q', 'q']) {
            let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q)).ok_or_else(|| err("a quarter is 1 to 4"))?;
            return Ok(months(year(y)?, (q - 1) * 3 + 1, 3));
        }
        if let Some((y, h)) = s.split_once(['H', 'h']) {
            let h: u32 = h.parse().ok().filter(|h| (1..=2).contains(h)).ok_or_else(|| err("a half-year is 1 or 2"))?;
            return Ok(months(year(y)?, (h - 1) * 6 + 1, 6));
        }
        if let Some((y, m)) = s.split_once('-') {
            let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m)).ok_or_else(|| err("a month is 01 to 12"))?;
            return Ok(months(year(y)?, m, 1));
        }
        Ok(months(year(s)?, 1, 12))
    }

    /// The same days one year earlier (29 February maps to 28 February).
    pub fn year_before(&self) -> Period {
        let back = |d: NaiveDate| d.checked_sub_months(Months::new(12)).expect("dates within range");
        Period { from: back(self.from), to: back(self.to) }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Splits the period into whole calendar months and the loose days at
    /// either end, so a sum can read monthly counters where it may.
    pub fn split_months(&self) -> (Vec<(i32, u32)>, Vec<Period>) {
        let mut whole = Vec::new();
        let mut loose = Vec::new();
        let mut cursor = self.from;
        while cursor <= self.to {
            let month_start = ymd(cursor.year(), cursor.month(), 1);
            let month_end = month_start.checked_add_months(Months::new(1)).expect("in range") - Days::new(1);
            if cursor == month_start && month_end <= self.to {
                whole.push((cursor.year(), cursor.month()));
            } else {
                loose.push(Period { from: cursor, to: month_end.min(self.to) });
            }
            cursor = month_end + Days::new(1);
        }
        (whole, loose)
    }

    /// The calendar months the period touches, each cut to the period's days,
    /// in order: the points of a trend by month.
    pub fn months(&self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut cursor = self.from;
        while cursor <= self.to {
            let next_month =
                ymd(cursor.year(), cursor.month(), 1).checked_add_months(Months::new(1)).expect("in range");
            let end = (next_month - Days::new(1)).min(self.to);
            out.push(Period { from: cursor, to: end });
            cursor = next_month;
        }
        out
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.from, self.to)
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn months(year: i32, first: u32, count: u32) -> Period {
    let from = ymd(year, first, 1);
    let to = from.checked_add_months(Months::new(count)).expect("in range") - Days::new(1);
    Period { from, to }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        Period::parse(s).unwrap().to_string()
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(p("2024Q1"), "2024-01-01..2024-03-31");
        assert_eq!(p("2024H2"), "2024-07-01..2024-12-31");
        assert_eq!(p("2024-02"), "2024-02-01..2024-02-29");
        assert_eq!(p("2023"), "2023-01-01..2023-12-31");
        assert_eq!(p("ytd:2024-04-19"), "2024-01-01..2024-04-19");
        assert_eq!(p("28d:2024-04-19"), "2024-03-23..2024-04-19");
        assert_eq!(p("week:2024-04-19"), "2024-04-15..2024-04-21");
        assert_eq!(p("2024-01-10..2024-01-20"), "2024-01-10..2024-01-20");
        for bad in [
            "2024Q5",
            "2024-13",
            "x",
            "2024-02-10..2024-01-01",
            "ytd:2024-02-30",
            "week:+262142-12-31",
            "28d:-262143-01-01",
            "0001Q1",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_same_period_a_year_before() {
        assert_eq!(Period::parse("2024Q1").unwrap().year_before().to_string(), "2023-01-01..2023-03-31");
        assert_eq!(Period::parse("2024-02").unwrap().year_before().to_string(), "2023-02-01..2023-02-28");
    }

    #[test]
    fn lists_the_months_it_touches_cut_to_its_days() {
        let months = Period::parse("2024-01-15..2024-03-10").unwrap().months();
        let shown: Vec<String> = months.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown, ["2024-01-15..2024-01-31", "2024-02-01..2024-02-29", "2024-03-01..2024-03-10"]);
        assert_eq!(Period::parse("2024").unwrap().months().len(), 12);
        assert_eq!(Period::parse("2024-12-31..2025-01-01").unwrap().months().len(), 2);
    }

    #[test]
    fn splits_into_whole_months_and_loose_days() {
        let (whole, loose) = Period::parse("2024-01-15..2024-04-10").unwrap().split_months();
        assert_eq!(whole, vec![(2024, 2), (2024, 3)]);
        assert_eq!(
            loose.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            vec!["2024-01-15..2024-01-31", "2024-04-01..2024-04-10"]
        );
    }
}
