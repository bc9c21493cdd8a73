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

/// What was wrong with a typed period. Its text names the input and, for
/// one not in any of the forms, lists the forms, so the person who typed it
/// sees what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("period {input:?}: {reason}{}", if *.kind == PeriodErrorKind::Form { FORMS } else { "" })]
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

/// Every form `Period::parse` accepts, ending each error of the kind `Form`.
pub const FORMS: &str = "; a period is written 2024Q1 (a quarter), 2024H1 (a half-year), 2024-03 (a month), \
     2024 (a year), ytd:2024-04-19 (the year to a day), 28d:2024-04-19 (28 days to a day), \
     week:2024-04-15 (the week of a day) or 2024-01-01..2024-03-31 (a range of days)";

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<Period> {
        (from <= to).then_some(Period { from, to })
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Parses the forms a user types; [`FORMS`] lists them.
    pub fn parse(s: &str) -> Result<Period, PeriodError> {
        let err = |reason| PeriodError { input: s.to_string(), reason, kind: PeriodErrorKind::Form };
        let s = s.trim();
        let date = |d: &str| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .ok()
                .filter(|d| d.year().abs() < 10_000)
                .ok_or_else(|| err("not a day written as 2024-04-19"))
        };
        let year = |y: &str| {
            y.parse::<i32>()
                .ok()
                .filter(|y| (1..10_000).contains(y))
                .ok_or_else(|| err("not one of the accepted forms"))
        };
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
            // The year first: "Q1 2024" is not a quarter out of range but no form at all.
            let y = year(y)?;
            let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q)).ok_or_else(|| err("a quarter is 1 to 4"))?;
            return Ok(months(y, (q - 1) * 3 + 1, 3));
        }
        if let Some((y, h)) = s.split_once(['H', 'h']) {
            let y = year(y)?;
            let h: u32 = h.parse().ok().filter(|h| (1..=2).contains(h)).ok_or_else(|| err("a half-year is 1 or 2"))?;
            return Ok(months(y, (h - 1) * 6 + 1, 6));
        }
        if let Some((y, m)) = s.split_once('-') {
            let y = year(y)?;
            let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m)).ok_or_else(|| err("a month is 01 to 12"))?;
            return Ok(months(y, m, 1));
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

/// The calendar quarter a day falls in.
pub fn quarter_of(day: NaiveDate) -> Period {
    months(day.year(), day.month0() / 3 * 3 + 1, 3)
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.from, self.to)
    }
}

/// The quarter a page shows first, as `2024Q1`: the last whole quarter
/// with figures, or the current one when only it has any. `counted` is the
/// first and the last day with figures (`Store::counted_days`), so a data
/// set that ended long ago still opens on its last quarter; with nothing
/// counted, the last whole quarter before `today`.
pub fn default_quarter(today: NaiveDate, counted: Option<(NaiveDate, NaiveDate)>) -> String {
    let quarter_of = |d: NaiveDate| (d.year(), d.month0() / 3 + 1);
    let before = |(y, q): (i32, u32)| if q == 1 { (y - 1, 4) } else { (y, q - 1) };
    let current = quarter_of(today);
    let (year, quarter) = match counted {
        None => before(current),
        Some((_, last)) if quarter_of(last) < current => quarter_of(last),
        Some((first, _)) if quarter_of(first) <= before(current) => before(current),
        Some(_) => current,
    };
    format!("{year}Q{quarter}")
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

    #[test]
    fn pages_open_on_the_last_whole_quarter_with_figures() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let today = d("2025-01-22");
        // Figures up to yesterday: the quarter before this one, across the year.
        assert_eq!(default_quarter(today, Some((d("2022-10-01"), d("2025-01-21")))), "2024Q4");
        // A data set that ended long ago: its last quarter, not an empty one.
        assert_eq!(default_quarter(d("2026-12-05"), Some((d("2022-10-01"), d("2024-06-30")))), "2024Q2");
        assert_eq!(default_quarter(d("2024-07-01"), Some((d("2022-10-01"), d("2024-06-30")))), "2024Q2");
        // Only this quarter has figures.
        assert_eq!(default_quarter(today, Some((d("2025-01-03"), d("2025-01-21")))), "2025Q1");
        // Nothing counted: the calendar's last whole quarter.
        assert_eq!(default_quarter(today, None), "2024Q4");
        assert_eq!(default_quarter(d("2024-04-19"), None), "2024Q1");
    }

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

    /// A period in none of the forms is answered with every form, whatever
    /// part of it failed, so the person sees what to type instead.
    #[test]
    fn an_unparseable_period_lists_the_accepted_forms() {
        for bad in ["Q1 2024", "2024Q5", "x", "ytd:2024-02-30", "2024-13", "first quarter"] {
            let err = Period::parse(bad).unwrap_err();
            assert_eq!(err.kind, PeriodErrorKind::Form, "{bad}");
            let text = err.to_string();
            for form in ["2024Q1", "2024H1", "2024-03", "2024 (a year)", "ytd:2024-04-19", "28d:2024-04-19"] {
                assert!(text.contains(form), "{bad}: {text}");
            }
            assert!(text.contains("week:2024-04-15") && text.contains("2024-01-01..2024-03-31"), "{text}");
        }
        let quarter = Period::parse("Q1 2024").unwrap_err().to_string();
        assert!(!quarter.contains("a quarter is 1 to 4"), "the quarter's number is not what is wrong: {quarter}");
        let reversed = Period::parse("2024-02-10..2024-01-01").unwrap_err();
        assert_eq!(reversed.kind, PeriodErrorKind::Reversed);
        assert!(!reversed.to_string().contains("a period is written"), "{reversed}");
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
