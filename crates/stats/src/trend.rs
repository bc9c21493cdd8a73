//! An indicator month by month for one unit and every unit below it, each
//! month against the same days a year before: what a trend chart draws.

use crate::board::{Naming, Sums, group_name};
use crate::indicators::{IndicatorSet, ValueUnit, split_group_code};
use crate::period::Period;
use crimeboard_domain::jurisdiction::Currency;
use crimeboard_domain::units::{Language, Names, UnitCode, UnitTree};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthFigure {
    /// The month's days within the range asked for (a whole month but at its ends).
    pub month: Period,
    pub value: i64,
    /// The same days a year before.
    pub year_before: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub unit: UnitCode,
    pub unit_name: Names,
    /// The counter code: an indicator's, or one group's of a grouped indicator.
    pub code: String,
    pub name: Names,
    pub value_unit: ValueUnit,
    /// What an amount (`ValueUnit::Qepik`, in minor units) is counted in.
    pub currency: Currency,
    pub months: Vec<MonthFigure>,
    /// The journal position the counters reflected.
    pub position: i64,
    /// The order a name missing in a language falls back in: the
    /// jurisdiction's default language first.
    #[serde(skip)]
    pub name_fallback: [Language; 3],
}

/// The name and value unit of a counter code: an ungrouped indicator's code,
/// or `<code>/<value>...` of a grouped one with as many values as it groups by.
pub fn counter(set: &IndicatorSet, code: &str, naming: &Naming) -> Option<(Names, ValueUnit)> {
    match split_group_code(code) {
        None => set.get(code).filter(|i| !i.is_grouped()).map(|i| (i.name.clone(), i.unit)),
        Some((base, values)) => {
            let ind = set.get(base).filter(|i| i.group_by.len() == values.len())?;
            Some((group_name(ind, &values, naming), ind.unit))
        }
    }
}

/// The counter's value for `scope` and every unit below it, from per-unit sums.
pub fn value_within(tree: &UnitTree, scope: &UnitCode, code: &str, sums: &Sums) -> i64 {
    sums.iter()
        .filter(|((unit, indicator), _)| indicator == code && is_within(tree, unit, scope))
        .map(|(_, value)| value)
        .sum()
}

fn is_within(tree: &UnitTree, unit: &str, scope: &UnitCode) -> bool {
    UnitCode::parse(unit).is_ok_and(|u| tree.is_within(&u, scope))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crimeboard_domain::units::{Agency, Unit, UnitKind};

    fn naming() -> Naming {
        Naming::new(Language::Az, Default::default())
    }

    fn set() -> IndicatorSet {
        IndicatorSet::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml")).unwrap()
    }

    #[test]
    fn a_counter_code_names_an_ungrouped_indicator_or_one_group() {
        let set = set();
        let (name, unit) = counter(&set, "damage", &naming()).unwrap();
        assert_eq!((name.en.as_str(), unit), ("Material damage caused by crimes", ValueUnit::Qepik));
        assert!(counter(&set, "no_such", &naming()).is_none());
        let grouped = set.indicators.iter().find(|i| i.is_grouped()).expect("a grouped indicator");
        assert!(counter(&set, &grouped.code, &naming()).is_none(), "a grouped indicator is counted per group only");
        let values = vec!["x".to_string(); grouped.group_by.len()];
        let code = crate::indicators::group_code(&grouped.code, &values);
        assert!(counter(&set, &code, &naming()).unwrap().0.en.ends_with(": x"));
    }

    #[test]
    fn the_value_within_a_unit_adds_every_unit_below_it() {
        let unit = |code: &str, parent: Option<&str>| Unit {
            code: UnitCode::parse(code).unwrap(),
            parent: parent.map(|p| UnitCode::parse(p).unwrap()),
            kind: UnitKind::District,
            agency: Agency::Mia,
            names: Names { az: code.into(), ru: code.into(), en: code.into() },
        };
        let tree = UnitTree::new(vec![unit("AZ", None), unit("BAK", Some("AZ")), unit("GNC", Some("AZ"))]).unwrap();
        let sums: Sums = [
            (("AZ".to_string(), "theft".to_string()), 1),
            (("BAK".into(), "theft".into()), 5),
            (("GNC".into(), "theft".into()), 3),
            (("BAK".into(), "fraud".into()), 100),
        ]
        .into();
        let code = |c: &str| UnitCode::parse(c).unwrap();
        assert_eq!(value_within(&tree, &code("AZ"), "theft", &sums), 9);
        assert_eq!(value_within(&tree, &code("BAK"), "theft", &sums), 5);
        assert_eq!(value_within(&tree, &code("GNC"), "fraud", &sums), 0);
    }
}
