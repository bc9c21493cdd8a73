//! The Board's report: every indicator for a unit and each unit below it,
//! rolled up the tree, for a period against the same period a year before,
//! stamped with the journal position and the counting-rule version.

use crate::compare::Change;
use crate::indicators::{IndicatorSet, Measure, ValueUnit};
use crate::period::Period;
use crimeboard_domain::units::{Names, UnitCode, UnitTree};
use serde::Serialize;
use std::collections::HashMap;

/// Summed counters of one period: (unit, indicator) -> value, per unit (not rolled up).
pub type Sums = HashMap<(String, String), i64>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub code: String,
    pub name: Names,
    pub unit: ValueUnit,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub code: String,
    pub name: Names,
    pub method: Names,
    /// Per cent; None when the denominator is zero.
    pub current: Option<f64>,
    pub previous: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitFigures {
    pub unit: UnitCode,
    pub name: Names,
    pub parent: Option<UnitCode>,
    pub figures: Vec<Figure>,
    pub shares: Vec<Share>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardReport {
    pub period: Period,
    pub previous: Period,
    /// The journal position the counters reflected.
    pub position: i64,
    pub counting_rules: String,
    pub catalogue: String,
    pub catalogue_illustrative: bool,
    /// The unit the report is for, then every unit below it, parents first.
    pub units: Vec<UnitFigures>,
}

impl BoardReport {
    pub fn scope(&self) -> &UnitFigures {
        &self.units[0]
    }

    pub fn figure(&self, code: &str) -> Option<&Figure> {
        self.scope().figures.iter().find(|f| f.code == code)
    }

    pub fn share(&self, code: &str) -> Option<&Share> {
        self.scope().shares.iter().find(|s| s.code == code)
    }
}

/// What a report is stamped with besides its figures.
pub struct Stamp<'a> {
    pub position: i64,
    pub catalogue: &'a str,
    pub catalogue_illustrative: bool,
}

/// Builds the report for `scope` and every unit below it from per-unit sums.
pub fn assemble(
    set: &IndicatorSet,
    tree: &UnitTree,
    scope: &UnitCode,
    period: Period,
    current: &Sums,
    previous: &Sums,
    stamp: Stamp,
) -> BoardReport {
    let now = roll_up(tree, current);
    let before = roll_up(tree, previous);
    let units = tree
        .all()
        .filter(|u| tree.is_within(&u.code, scope))
        .map(|u| unit_figures(set, &u.code, &now, &before, tree))
        .collect::<Vec<_>>();
    let mut units = units;
    // The scope first, then parents before children.
    units.sort_by_key(|u| (tree.ancestors(&u.unit).count(), u.unit.clone()));
    BoardReport {
        period,
        previous: period.year_before(),
        position: stamp.position,
        counting_rules: set.version.clone(),
        catalogue: stamp.catalogue.to_string(),
        catalogue_illustrative: stamp.catalogue_illustrative,
        units,
    }
}

/// Adds every unit's own sums to each of its ancestors.
fn roll_up(tree: &UnitTree, own: &Sums) -> Sums {
    let mut total = Sums::new();
    for ((unit, indicator), value) in own {
        let Ok(code) = UnitCode::parse(unit) else { continue };
        for ancestor in tree.ancestors(&code) {
            *total.entry((ancestor.code.to_string(), indicator.clone())).or_default() += value;
        }
    }
    total
}

fn unit_figures(set: &IndicatorSet, unit: &UnitCode, now: &Sums, before: &Sums, tree: &UnitTree) -> UnitFigures {
    let get = |sums: &Sums, code: &str| sums.get(&(unit.to_string(), code.to_string())).copied().unwrap_or(0);
    let figures = set
        .indicators
        .iter()
        .map(|ind| {
            let (c, p) = (get(now, &ind.code), get(before, &ind.code));
            // People killed or injured are counts of events too; money and weight are not.
            let counted = matches!(ind.measure, Measure::Count | Measure::Killed | Measure::Injured);
            let change = if counted { Change::of_counts(c, p) } else { Change::of_amounts(c, p) };
            Figure { code: ind.code.clone(), name: ind.name.clone(), unit: ind.unit, change }
        })
        .collect();
    let share = |sums: &Sums, num: &str, den: &[String]| {
        let d: i64 = den.iter().map(|c| get(sums, c)).sum();
        (d != 0).then(|| get(sums, num) as f64 * 100.0 / d as f64)
    };
    let shares = set
        .ratios
        .iter()
        .map(|r| Share {
            code: r.code.clone(),
            name: r.name.clone(),
            method: r.method.clone(),
            current: share(now, &r.numerator, &r.denominator),
            previous: share(before, &r.numerator, &r.denominator),
        })
        .collect();
    let u = tree.get(unit).expect("unit of the tree");
    UnitFigures { unit: unit.clone(), name: u.names.clone(), parent: u.parent.clone(), figures, shares }
}
