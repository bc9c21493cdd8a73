//! The Board's figures of series (docs/methods.md, "Series figures"): how
//! many series of linked records were found in a period, how many of them
//! span more than one unit and how many are solved.
//!
//! A series is no entity of its own (it is a component of the records over
//! the identifiers they share), so it adds nothing to the counters: the
//! figures are counted from the series as they stand, each unit counting a
//! series once when its own records or those of a unit below it are in it.
//! Summing the units would count a series spanning two districts twice in
//! their region; counting by subtree counts it once at every level.

use crate::board::{BoardReport, Figure};
use crate::compare::Change;
use crate::indicators::ValueUnit;
use crate::period::Period;
use chrono::NaiveDate;
use crimeboard_domain::units::{Names, UnitCode, UnitTree};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// What a series figure counts of the series found in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesCount {
    /// Every series found.
    Found,
    /// Those whose records are in more than one unit.
    CrossUnit,
    /// Those holding a solved case.
    Solved,
}

/// A figure of series (`[[series_indicator]]` of the counting rules).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesIndicator {
    pub code: String,
    pub name: Names,
    pub counts: SeriesCount,
}

/// The facts of one series the figures read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesFacts {
    /// The units its records are in (each record's own unit).
    pub units: BTreeSet<UnitCode>,
    /// The day it was found: the day its second record was registered (a
    /// report received, a case registered), the first day it held two.
    pub found_on: NaiveDate,
    /// Whether one of its cases is solved.
    pub solved: bool,
}

/// One record of a series, as the series table and the register give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesMember<S> {
    pub series: S,
    pub unit: UnitCode,
    /// The day it was registered.
    pub day: NaiveDate,
    /// A case solved (a report, or a case not solved: false).
    pub solved: bool,
}

/// The series the members form, each with its facts: found on the second
/// earliest day of its records (a series of one record is none).
pub fn facts<S: Ord>(members: Vec<SeriesMember<S>>) -> Vec<SeriesFacts> {
    let mut by_series: BTreeMap<S, Vec<(UnitCode, NaiveDate, bool)>> = BTreeMap::new();
    for m in members {
        by_series.entry(m.series).or_default().push((m.unit, m.day, m.solved));
    }
    by_series
        .into_values()
        .filter_map(|records| {
            let mut days: Vec<NaiveDate> = records.iter().map(|r| r.1).collect();
            days.sort();
            Some(SeriesFacts {
                found_on: *days.get(1)?,
                solved: records.iter().any(|r| r.2),
                units: records.into_iter().map(|r| r.0).collect(),
            })
        })
        .collect()
}

impl SeriesFacts {
    /// Whether a unit counts the series: a record of it is the unit's or
    /// a unit's below it.
    fn held_within(&self, tree: &UnitTree, unit: &UnitCode) -> bool {
        self.units.iter().any(|u| tree.is_within(u, unit))
    }

    fn counted_by(&self, what: SeriesCount) -> bool {
        match what {
            SeriesCount::Found => true,
            SeriesCount::CrossUnit => self.units.len() > 1,
            SeriesCount::Solved => self.solved,
        }
    }
}

/// How many series found in the period a unit counts (see [`SeriesFacts`]).
pub fn count(series: &[SeriesFacts], what: SeriesCount, tree: &UnitTree, unit: &UnitCode, period: &Period) -> i64 {
    let counted =
        series.iter().filter(|s| period.contains(s.found_on) && s.counted_by(what) && s.held_within(tree, unit));
    counted.count() as i64
}

/// How many series each unit counts by its own records alone (not those of
/// the units below it), by indicator and day found: what `stats verify`
/// compares between the series as kept and as worked out afresh.
pub fn by_unit_and_day(
    series: &[SeriesFacts],
    indicators: &[SeriesIndicator],
) -> BTreeMap<(UnitCode, String, NaiveDate), i64> {
    let mut counts = BTreeMap::new();
    for s in series {
        for ind in indicators.iter().filter(|i| s.counted_by(i.counts)) {
            for unit in &s.units {
                *counts.entry((unit.clone(), ind.code.clone(), s.found_on)).or_default() += 1;
            }
        }
    }
    counts
}

/// Adds the series figures to every unit of a report, for its period and
/// the same period a year before, after the counted figures.
pub fn add_to(report: &mut BoardReport, indicators: &[SeriesIndicator], series: &[SeriesFacts], tree: &UnitTree) {
    let (period, previous) = (report.period, report.previous);
    for unit in &mut report.units {
        for ind in indicators {
            let current = count(series, ind.counts, tree, &unit.unit, &period);
            let before = count(series, ind.counts, tree, &unit.unit, &previous);
            unit.figures.push(Figure {
                code: ind.code.clone(),
                name: ind.name.clone(),
                unit: ValueUnit::Number,
                change: Change::of_counts(current, before),
                group: Vec::new(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::unit;

    fn code(c: &str) -> UnitCode {
        UnitCode::parse(c).unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 2, d).unwrap()
    }

    fn member(series: u8, unit: &str, d: u32, solved: bool) -> SeriesMember<u8> {
        SeriesMember { series, unit: code(unit), day: day(d), solved }
    }

    /// AZ above BAK, which holds NSM and YAS; GNJ beside BAK.
    fn tree() -> UnitTree {
        UnitTree::new(vec![
            unit("AZ", None),
            unit("BAK", Some("AZ")),
            unit("NSM", Some("BAK")),
            unit("YAS", Some("BAK")),
            unit("GNJ", Some("AZ")),
        ])
        .unwrap()
    }

    #[test]
    fn a_series_is_found_on_the_day_of_its_second_record_and_solved_by_any_case() {
        let found = facts(vec![
            member(1, "NSM", 20, false),
            member(1, "YAS", 3, false),
            member(1, "NSM", 9, true),
            member(2, "GNJ", 5, false),
        ]);
        assert_eq!(found.len(), 1, "a record alone is no series");
        assert_eq!(found[0].found_on, day(9));
        assert!(found[0].solved);
        assert_eq!(found[0].units, BTreeSet::from([code("NSM"), code("YAS")]));
    }

    #[test]
    fn a_series_spanning_two_districts_counts_once_in_each_and_once_above_them() {
        let series = facts(vec![
            member(1, "NSM", 1, false),
            member(1, "YAS", 2, true),
            member(2, "GNJ", 3, false),
            member(2, "GNJ", 4, false),
        ]);
        let (tree, feb) = (tree(), Period::parse("2024-02").unwrap());
        let found = |u: &str| count(&series, SeriesCount::Found, &tree, &code(u), &feb);
        assert_eq!((found("NSM"), found("YAS"), found("BAK"), found("GNJ"), found("AZ")), (1, 1, 1, 1, 2));
        let cross = |u: &str| count(&series, SeriesCount::CrossUnit, &tree, &code(u), &feb);
        assert_eq!((cross("NSM"), cross("BAK"), cross("GNJ"), cross("AZ")), (1, 1, 0, 1));
        let solved = |u: &str| count(&series, SeriesCount::Solved, &tree, &code(u), &feb);
        assert_eq!((solved("NSM"), solved("GNJ"), solved("AZ")), (1, 0, 1));
        let march = Period::parse("2024-03").unwrap();
        assert_eq!(count(&series, SeriesCount::Found, &tree, &code("AZ"), &march), 0, "found in February only");
    }

    #[test]
    fn the_units_own_counts_are_by_day_found() {
        let series = facts(vec![member(1, "NSM", 1, false), member(1, "YAS", 2, false)]);
        let counts = by_unit_and_day(&series, &shipped());
        assert_eq!(counts.get(&(code("NSM"), "series_cross_unit".to_string(), day(2))), Some(&1));
        assert_eq!(counts.get(&(code("YAS"), "series_found".to_string(), day(2))), Some(&1));
        assert_eq!(counts.get(&(code("YAS"), "series_solved".to_string(), day(2))), None);
    }

    fn shipped() -> Vec<SeriesIndicator> {
        let text = include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml");
        crate::IndicatorSet::from_toml(text).unwrap().series
    }

    #[test]
    fn a_series_figure_takes_no_code_of_an_indicator() {
        let text = include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml");
        let doubled = format!(
            "{text}\n[[series_indicator]]\ncode = \"crimes_recorded\"\nname = {{ en = \"x\" }}\ncounts = \"found\"\n"
        );
        let refused = crate::IndicatorSet::from_toml(&doubled).unwrap_err();
        assert!(refused.contains("crimes_recorded"), "{refused}");
    }
}
