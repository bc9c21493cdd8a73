//! The briefing pack before a Board meeting as lines for people: one per
//! agenda item, unit and indicator with the figure, its change, its
//! significance and the unit's rank, and one per unit with its tasks and
//! deadlines kept. The PDF and the workbook lay out the same lines.

use crate::locale::{Args, Catalog};
use crate::numbers::decimal;
use crate::table::{Measure, one_decimal};
use crate::{Lang, name_in};
use crimeboard_stats::briefing::{BriefedItem, Briefing, DeadlinesKept, Rank, UnitTasks};

/// One indicator of one unit under an agenda item.
pub(crate) struct FigureLine<'a> {
    pub unit_code: &'a str,
    pub unit_name: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    pub measure: Measure,
    pub measure_label: &'a str,
    pub current: f64,
    pub previous: f64,
    pub absolute: f64,
    pub percent: Option<f64>,
    pub significant: Option<bool>,
    pub rank: Rank,
}

/// What the pack says of a unit beside its figures.
pub(crate) struct UnitLine<'a> {
    pub unit_code: &'a str,
    pub unit_name: &'a str,
    pub tasks: Option<UnitTasks>,
    pub deadlines_kept: DeadlinesKept,
}

/// An item's lines: its units in the pack's order, each with the item's indicators.
pub(crate) fn figure_lines<'a>(
    b: &'a Briefing,
    item: &'a BriefedItem,
    lang: Lang,
    c: &'a Catalog,
) -> Vec<FigureLine<'a>> {
    let mut lines = Vec::new();
    for row in &item.rows {
        let unit_name = b.unit(&row.unit).map_or("", |u| name_in(&u.name, lang));
        for (f, indicator) in row.figures.iter().zip(&item.indicators) {
            let measure = Measure::of(indicator.unit, &b.currency);
            lines.push(FigureLine {
                unit_code: row.unit.as_str(),
                unit_name,
                code: &f.code,
                name: name_in(&indicator.name, lang),
                measure,
                measure_label: measure.label(c, &b.currency),
                current: measure.shown(f.change.current),
                previous: measure.shown(f.change.previous),
                absolute: measure.shown(f.change.absolute),
                percent: f.change.percent.map(one_decimal),
                significant: f.change.significant,
                rank: f.rank,
            });
        }
    }
    lines
}

pub(crate) fn unit_lines(b: &Briefing, lang: Lang) -> Vec<UnitLine<'_>> {
    b.units
        .iter()
        .map(|u| UnitLine {
            unit_code: u.unit.as_str(),
            unit_name: name_in(&u.name, lang),
            tasks: u.tasks,
            deadlines_kept: u.deadlines_kept,
        })
        .collect()
}

/// "2 of 12".
pub(crate) fn rank_text(c: &Catalog, rank: Rank) -> String {
    c.fill("briefing.rank_of", &Args::new().text("place", rank.place.to_string()).text("of", rank.of.to_string()))
}

/// A unit's tasks as a reader sees them: the counts, or "not given".
pub(crate) fn tasks_texts(c: &Catalog, tasks: Option<UnitTasks>) -> [String; 2] {
    match tasks {
        Some(t) => [t.open.to_string(), t.overdue.to_string()],
        None => [c.text("briefing.not_given").to_string(), c.text("briefing.not_given").to_string()],
    }
}

/// The share kept and what it is made of: "66,7" and "2 / 3", or "not
/// counted", or "none decided".
pub(crate) fn deadlines_texts(c: &Catalog, kept: DeadlinesKept) -> [String; 2] {
    match kept {
        DeadlinesKept::NotCounted => [c.text("briefing.not_counted").to_string(), String::new()],
        DeadlinesKept::Counted { in_time, decided } => {
            let share = kept
                .percent()
                .map_or_else(|| c.text("briefing.none_decided").to_string(), |p| decimal(c, one_decimal(p)).text);
            let count = |n: i64| decimal(c, n as f64).text;
            [share, format!("{} / {}", count(in_time), count(decided))]
        }
    }
}
