//! How a sentence names the report's period ("in the first quarter of 2024",
//! "в первом квартале 2024 года", "2024-cü ilin birinci rübündə") and the
//! period it is compared with ("the same period of 2023").

use crate::locale::{Args, Catalog, Value};
use crate::plural::{self, Operand};
use chrono::{Datelike, Days, NaiveDate};
use crimeboard_stats::Period;

/// The calendar shape of a period, which decides its phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Year(i32),
    Half(i32, u32),
    Quarter(i32, u32),
    Month(i32, u32),
    /// January through the given month, e.g. "the first 4 months of 2024".
    FirstMonths(i32, u32),
    Range(NaiveDate, NaiveDate),
}

pub fn shape(p: &Period) -> Shape {
    let whole_months = p.from.day() == 1 && is_month_end(p.to) && p.from.year() == p.to.year();
    if !whole_months {
        return Shape::Range(p.from, p.to);
    }
    let (year, first) = (p.from.year(), p.from.month());
    match (p.to.month() - first + 1, first) {
        (12, 1) => Shape::Year(year),
        (6, 1 | 7) => Shape::Half(year, first.div_ceil(6)),
        (3, 1 | 4 | 7 | 10) => Shape::Quarter(year, first.div_ceil(3)),
        (1, _) => Shape::Month(year, first),
        (n, 1) => Shape::FirstMonths(year, n),
        _ => Shape::Range(p.from, p.to),
    }
}

fn is_month_end(d: NaiveDate) -> bool {
    d.checked_add_days(Days::new(1)).is_some_and(|next| next.day() == 1)
}

/// "in the first quarter of 2024": the period as the time of the events.
pub fn during(c: &Catalog, p: &Period) -> String {
    match shape(p) {
        Shape::Year(y) => c.fill("period.year", &year_args(c, y)),
        Shape::Half(y, h) => c.fill("period.half", &year_args(c, y).text("nth", c.text(&format!("nth.{h}")))),
        Shape::Quarter(y, q) => c.fill("period.quarter", &year_args(c, y).text("nth", c.text(&format!("nth.{q}")))),
        Shape::Month(y, m) => c.fill("period.month", &year_args(c, y).text("month", c.text(&format!("month_in.{m}")))),
        Shape::FirstMonths(y, n) => {
            let months = Value { text: n.to_string(), count: Some(Operand::whole(u64::from(n))) };
            c.fill("period.first_months", &year_args(c, y).with("months", months))
        }
        Shape::Range(from, to) => {
            c.fill("period.range", &Args::new().text("from", date(c, from)).text("to", date(c, to)))
        }
    }
}

/// "the same period of 2023" (or "a year earlier" when it spans two years).
pub fn compared_with(c: &Catalog, previous: &Period) -> String {
    if previous.from.year() == previous.to.year() {
        c.fill("period.same_of_year", &year_args(c, previous.from.year()))
    } else {
        c.text("period.same_year_before").to_string()
    }
}

/// "15 January 2024", "15 января 2024 года", "15 yanvar 2024-cü il".
pub fn date(c: &Catalog, d: NaiveDate) -> String {
    let month_key = format!("month.{}", d.month());
    let month = c.text(&month_key);
    let args = year_args(c, d.year()).text("day", d.day().to_string()).text("month", month);
    c.fill("period.date", &args)
}

/// The year bare (`{year}`) and with its ordinal suffix (`{year_ord}`,
/// "2024-cü"); a year is never digit-grouped.
fn year_args(c: &Catalog, year: i32) -> Args {
    let category = plural::ordinal(c.lang(), u64::from(year.unsigned_abs()));
    let suffix = c.form("grammar.ordinal_suffix", category);
    Args::new().text("year", year.to_string()).text("year_ord", format!("{year}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::locale::catalog;

    fn during_in(lang: Lang, p: &str) -> String {
        during(catalog(lang), &Period::parse(p).unwrap())
    }

    #[test]
    fn recognises_calendar_shapes() {
        let s = |p: &str| shape(&Period::parse(p).unwrap());
        assert_eq!(s("2024"), Shape::Year(2024));
        assert_eq!(s("2024H2"), Shape::Half(2024, 2));
        assert_eq!(s("2024Q3"), Shape::Quarter(2024, 3));
        assert_eq!(s("2024-02"), Shape::Month(2024, 2));
        assert_eq!(s("2024-01-01..2024-04-30"), Shape::FirstMonths(2024, 4));
        assert!(matches!(s("2024-02-01..2024-04-30"), Shape::Range(..)));
        assert!(matches!(s("ytd:2024-04-19"), Shape::Range(..)));
    }

    #[test]
    fn names_periods_in_each_language() {
        assert_eq!(during_in(Lang::En, "2024Q1"), "in the first quarter of 2024");
        assert_eq!(during_in(Lang::Ru, "2024Q1"), "в первом квартале 2024 года");
        assert_eq!(during_in(Lang::Az, "2024Q1"), "2024-cü ilin birinci rübündə");
        assert_eq!(during_in(Lang::En, "2024H1"), "in the first half of 2024");
        assert_eq!(during_in(Lang::Ru, "2024H2"), "во втором полугодии 2024 года");
        assert_eq!(during_in(Lang::Az, "2025"), "2025-ci ildə");
        assert_eq!(during_in(Lang::Ru, "2024-03"), "в марте 2024 года");
        assert_eq!(during_in(Lang::En, "2024-01-01..2024-04-30"), "in the first 4 months of 2024");
        assert_eq!(during_in(Lang::Ru, "2024-01-01..2024-05-31"), "за 5 месяцев 2024 года");
        assert_eq!(during_in(Lang::En, "2024-01-10..2024-01-20"), "between 10 January 2024 and 20 January 2024");
        let range = "в период с 10 января 2024 года по 20 января 2024 года";
        assert_eq!(during_in(Lang::Ru, "2024-01-10..2024-01-20"), range);
    }

    #[test]
    fn names_the_period_compared_with() {
        let prev = Period::parse("2024Q1").unwrap().year_before();
        assert_eq!(compared_with(catalog(Lang::En), &prev), "the same period of 2023");
        assert_eq!(compared_with(catalog(Lang::Az), &prev), "2023-cü ilin müvafiq dövrü");
        let spanning = Period::parse("2023-12-15..2024-01-14").unwrap().year_before();
        assert_eq!(compared_with(catalog(Lang::En), &spanning), "the same period a year earlier");
    }
}
