//! Statistical disclosure control for open data: which cells of the
//! published figures (unit x month x indicator) are hidden, and why.
//!
//! The rule, applied to each month and each indicator (a group of a grouped
//! indicator counts as an indicator of its own) separately:
//!
//! 1. **Small cells** (`small`): a cell of a counted indicator (measure
//!    `count`, and `killed` / `injured`, which count persons) whose value is
//!    above 0 and below the threshold (3 by default) is hidden. Zero is
//!    published.
//! 2. **Companion amounts** (`companion`): an amount (money, score, ...) is
//!    hidden in a unit and month where the count it sums over is hidden. The
//!    companion is the unfiltered, ungrouped count indicator of the same
//!    register and date (damage: crimes recorded; the sum of scores: the
//!    handlings rated; people killed or injured: the accidents). An amount
//!    without one (narcotics seized, in grams) is published as counted.
//! 3. **Complementary cells** (`complementary`): every unit's figure is the sum
//!    of its children's figures and of what it records itself. Where, among a
//!    unit and its children, exactly one cell is hidden, it could be
//!    recomputed as the parent's total less the other children (or the
//!    parent as the sum of its children); so another is hidden: the smallest
//!    non-zero published child, or the parent when no child is left. Repeated
//!    until no unit and its children have exactly one hidden cell (hiding a
//!    parent may call for a second hidden cell among its own siblings). A
//!    unit's own records are treated as unknown, which only hides more.
//!
//! Relations between different indicators (e.g. crimes recorded by the MIA
//! plus those recorded by the Prosecutor's Office make the crimes recorded)
//! and between months are not protected: each indicator and month is a
//! table of its own.

use crate::Period;
use crate::board::{Sums, roll_up};
use crate::indicators::{Indicator, IndicatorSet, Measure, ValueUnit, group_code, split_group_code};
use chrono::{DateTime, Utc};
use crimeboard_domain::units::{Names, UnitCode, UnitTree};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Cells above zero and below this are hidden unless set otherwise.
pub const DEFAULT_THRESHOLD: i64 = 3;

/// Why a cell is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A count above zero and below the threshold.
    Small,
    /// An amount whose companion count is hidden in the same unit and month.
    Companion,
    /// Hidden so that another hidden cell cannot be recomputed from totals.
    Complementary,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::Small => "small",
            Reason::Companion => "companion",
            Reason::Complementary => "complementary",
        }
    }
}

/// One cell of the open data: a unit's figure (itself and every unit below
/// it) for an indicator in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenCell {
    /// `YYYY-MM`.
    pub month: String,
    pub unit: UnitCode,
    /// The indicator's code, or `<code>/<value>[/<value>]` for one group.
    pub indicator: String,
    /// None when hidden.
    pub value: Option<i64>,
    /// Why it is hidden, when it is.
    pub suppressed: Option<Reason>,
}

/// A unit as the open data names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenUnit {
    pub code: UnitCode,
    pub parent: Option<UnitCode>,
    pub name: Names,
}

/// An indicator (or one group of a grouped indicator) as the open data names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenIndicator {
    pub code: String,
    pub name: Names,
    pub measure: Measure,
    pub unit: ValueUnit,
    /// Whether its small cells are hidden (counts of events or persons).
    pub counted: bool,
    /// The count whose hidden cells hide this amount's, if any.
    pub companion: Option<String>,
}

/// The open data of a period: one cell per month, unit and indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenData {
    pub period: Period,
    /// The months of the period, `YYYY-MM`.
    pub months: Vec<String>,
    /// The journal position the counters reflected.
    pub position: i64,
    /// How many times the open data of this period has been published for
    /// the whole tree (`publish_report`, kind `open_data`): 0 before the
    /// first, and each publication of the period again adds one.
    pub revision: u32,
    pub counting_rules: String,
    /// What its amounts (`ValueUnit::Qepik`, in minor units) are counted in.
    pub currency: crimeboard_domain::jurisdiction::Currency,
    pub threshold: i64,
    pub generated_at: DateTime<Utc>,
    /// Parents before children.
    pub units: Vec<OpenUnit>,
    /// In the order of the counting rules; groups sorted.
    pub indicators: Vec<OpenIndicator>,
    /// Month, then unit (parents first), then indicator.
    pub cells: Vec<OpenCell>,
    /// The order a name missing in a language falls back in: the
    /// jurisdiction's default language first.
    #[serde(skip)]
    pub name_fallback: [crimeboard_domain::units::Language; 3],
}

/// Whether an indicator counts events or persons (hidden when small), as
/// opposed to summing an amount.
pub fn is_counted(measure: Measure) -> bool {
    matches!(measure, Measure::Count | Measure::Killed | Measure::Injured)
}

/// The count an amount indicator sums over, if there is an obvious one: the
/// unfiltered, ungrouped `count` indicator of the same register and date.
pub fn companion<'a>(set: &'a IndicatorSet, amount: &Indicator) -> Option<&'a Indicator> {
    if amount.measure == Measure::Count || amount.is_grouped() {
        return None;
    }
    set.indicators.iter().find(|i| {
        i.measure == Measure::Count
            && !i.is_grouped()
            && i.counts == amount.counts
            && i.by == amount.by
            && unfiltered(&i.filter)
    })
}

fn unfiltered(f: &crate::indicators::Filter) -> bool {
    f.agency.is_none()
        && f.any_tag.is_empty()
        && f.gravity.is_empty()
        && f.flags.is_empty()
        && f.solved_now.is_none()
        && f.outcome.is_none()
        && f.late.is_none()
        && f.liability.is_none()
        && f.narcotics.is_none()
        && f.identified_person.is_none()
        && f.min_score.is_none()
}

/// Hidden cells of one table (one month, one indicator): unit -> reason.
pub type Hidden = BTreeMap<String, Reason>;

/// A unit and its children, for each unit that has children: the sums that
/// tie the published figures together. A unit merged into another is one of
/// its children here (its cells are published and roll up into it).
pub fn families(tree: &UnitTree) -> Vec<(String, Vec<String>)> {
    tree.all()
        .filter_map(|u| {
            let below = tree.all().filter(|c| c.parent.as_ref() == Some(&u.code));
            let kids: Vec<String> = below.map(|c| c.code.to_string()).collect();
            (!kids.is_empty()).then(|| (u.code.to_string(), kids))
        })
        .collect()
}

/// Adds complementary cells to `hidden` until no unit and its children
/// have exactly one hidden cell. `values` are rolled-up figures per unit
/// (missing = 0).
pub fn protect(families: &[(String, Vec<String>)], values: &HashMap<String, i64>, hidden: &mut Hidden) {
    let value = |u: &str| values.get(u).copied().unwrap_or(0);
    loop {
        let mut changed = false;
        for (parent, kids) in families {
            let count = std::iter::once(parent).chain(kids).filter(|u| hidden.contains_key(*u)).count();
            if count != 1 {
                continue;
            }
            let child = kids
                .iter()
                .filter(|k| !hidden.contains_key(*k) && value(k) > 0)
                .min_by(|a, b| (value(a), a.as_str()).cmp(&(value(b), b.as_str())));
            let pick = match child {
                Some(c) => Some(c),
                // Only the parent is left to hide the one hidden child; when the
                // parent is the hidden one and every child is zero, its value is
                // all its own records and cannot be recomputed.
                None => (!hidden.contains_key(parent) && value(parent) > 0).then_some(parent),
            };
            if let Some(u) = pick {
                hidden.insert(u.clone(), Reason::Complementary);
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// The cells to publish for each month (`YYYY-MM`, with each unit's own
/// sums), every unit of the tree, every indicator (every group present in
/// any month), small cells and what would reveal them hidden.
pub fn disclose(set: &IndicatorSet, tree: &UnitTree, months: &[(String, Sums)], threshold: i64) -> Vec<OpenCell> {
    let rolled: Vec<(&String, Sums)> = months.iter().map(|(m, own)| (m, roll_up(tree, own))).collect();
    let families = families(tree);
    // Indicator codes in the order of the counting rules; groups sorted.
    let mut codes: Vec<(&Indicator, String)> = Vec::new();
    for ind in &set.indicators {
        if !ind.is_grouped() {
            codes.push((ind, ind.code.clone()));
            continue;
        }
        let mut groups = BTreeSet::new();
        for (_, sums) in &rolled {
            for (_, code) in sums.keys() {
                let Some((base, values)) = split_group_code(code) else { continue };
                if base == ind.code && values.len() == ind.group_by.len() && group_code(&ind.code, &values) == *code {
                    groups.insert(code.clone());
                }
            }
        }
        codes.extend(groups.into_iter().map(|g| (ind, g)));
    }
    // (month, indicator code) -> hidden cells; counts first, so that amounts can follow their companions.
    let mut hidden: HashMap<(usize, String), Hidden> = HashMap::new();
    let table = |sums: &Sums, code: &str| -> HashMap<String, i64> {
        tree.all()
            .map(|u| {
                let v = sums.get(&(u.code.to_string(), code.to_string())).copied().unwrap_or(0);
                (u.code.to_string(), v)
            })
            .collect()
    };
    for counted in [true, false] {
        for (ind, code) in codes.iter().filter(|(i, _)| is_counted(i.measure) == counted) {
            let partner = if counted { None } else { companion(set, ind).map(|c| c.code.clone()) };
            for (m, (_, sums)) in rolled.iter().enumerate() {
                let values = table(sums, code);
                let mut h = Hidden::new();
                if counted {
                    for (u, v) in &values {
                        if *v > 0 && *v < threshold {
                            h.insert(u.clone(), Reason::Small);
                        }
                    }
                } else if let Some(p) = &partner
                    && let Some(ph) = hidden.get(&(m, p.clone()))
                {
                    for u in ph.keys() {
                        h.insert(u.clone(), Reason::Companion);
                    }
                }
                protect(&families, &values, &mut h);
                hidden.insert((m, code.clone()), h);
            }
        }
    }
    let mut units: Vec<&UnitCode> = tree.all().map(|u| &u.code).collect();
    units.sort_by_key(|u| (tree.ancestors(u).count(), (*u).clone()));
    let mut cells = Vec::with_capacity(rolled.len() * units.len() * codes.len());
    for (m, (month, sums)) in rolled.iter().enumerate() {
        for unit in &units {
            for (_, code) in &codes {
                let reason = hidden.get(&(m, code.clone())).and_then(|h| h.get(unit.as_str())).copied();
                let v = sums.get(&(unit.to_string(), code.clone())).copied().unwrap_or(0);
                cells.push(OpenCell {
                    month: (*month).clone(),
                    unit: (*unit).clone(),
                    indicator: code.clone(),
                    value: reason.is_none().then_some(v),
                    suppressed: reason,
                });
            }
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::unit;

    /// R -> A, B, C; A -> A1, A2.
    fn tree() -> UnitTree {
        UnitTree::new(vec![
            unit("R", None),
            unit("A", Some("R")),
            unit("B", Some("R")),
            unit("C", Some("R")),
            unit("A1", Some("A")),
            unit("A2", Some("A")),
        ])
        .unwrap()
    }

    /// A unit merged into another still ties its cells to the survivor's:
    /// it is one of the survivor's family.
    #[test]
    fn a_merged_unit_is_in_its_survivors_family() {
        use crimeboard_domain::units::{DatedChange, DatedTree, UnitChange};
        let merge = UnitChange::Merge { absorbed: UnitCode::parse("A2").unwrap(), into: UnitCode::parse("B").unwrap() };
        let change = DatedChange { effective_from: "2024-01-01".parse().unwrap(), change: merge };
        let merged = DatedTree::new(tree(), vec![change]).unwrap().current();
        let families = families(&merged);
        let of = |code: &str| families.iter().find(|(u, _)| u == code).map(|(_, kids)| kids.clone());
        assert_eq!(of("B"), Some(vec!["A2".to_string()]));
        assert_eq!(of("A"), Some(vec!["A1".to_string()]));
    }

    const SET: &str = r#"
version = "t"
[[indicator]]
code = "crimes"
name = { az = "a", ru = "r", en = "Crimes" }
counts = "case"
by = "registered"
measure = "count"

[[indicator]]
code = "thefts"
name = { az = "a", ru = "r", en = "Thefts" }
counts = "case"
by = "registered"
measure = "count"
filter = { any_tag = ["theft"] }

[[indicator]]
code = "damage"
name = { az = "a", ru = "r", en = "Damage" }
counts = "case"
by = "registered"
measure = "damage_qepik"
unit = "qepik"

[[indicator]]
code = "grams"
name = { az = "a", ru = "r", en = "Narcotics" }
counts = "seizure"
by = "seized"
measure = "net_grams"
unit = "grams"

[[indicator]]
code = "by_category"
name = { az = "a", ru = "r", en = "By category" }
counts = "case"
by = "registered"
measure = "count"
group_by = "category"
"#;

    fn sums(cells: &[(&str, &str, i64)]) -> Sums {
        cells.iter().map(|(u, i, v)| ((u.to_string(), i.to_string()), *v)).collect()
    }

    fn run(own: &[(&str, &str, i64)], threshold: i64) -> Vec<OpenCell> {
        let set = IndicatorSet::from_toml(SET).unwrap();
        disclose(&set, &tree(), &[("2024-01".into(), sums(own))], threshold)
    }

    fn cell<'a>(cells: &'a [OpenCell], unit: &str, indicator: &str) -> &'a OpenCell {
        cells.iter().find(|c| c.unit.as_str() == unit && c.indicator == indicator).unwrap()
    }

    /// No unit and its children have exactly one hidden cell, for any indicator.
    fn assert_no_lone_hidden(cells: &[OpenCell]) {
        for (parent, kids) in families(&tree()) {
            let codes: BTreeSet<&str> = cells.iter().map(|c| c.indicator.as_str()).collect();
            for code in codes {
                let hidden =
                    std::iter::once(&parent).chain(&kids).filter(|u| cell(cells, u, code).suppressed.is_some()).count();
                assert_ne!(hidden, 1, "{parent} and its children, {code}: one hidden cell can be recomputed");
            }
        }
    }

    #[test]
    fn counts_above_zero_and_below_the_threshold_are_hidden() {
        let cells = run(&[("A1", "crimes", 1), ("A2", "crimes", 2), ("B", "crimes", 3), ("C", "crimes", 40)], 3);
        assert_eq!(cell(&cells, "A1", "crimes").suppressed, Some(Reason::Small));
        assert_eq!(cell(&cells, "A1", "crimes").value, None);
        assert_eq!(cell(&cells, "A2", "crimes").suppressed, Some(Reason::Small));
        // A = 3: published, and then A1 + A2 = 3 reveals nothing more than each is 1 or 2.
        assert_eq!(cell(&cells, "A", "crimes").value, Some(3));
        assert_eq!(cell(&cells, "B", "crimes").value, Some(3));
        assert_eq!(cell(&cells, "R", "crimes").value, Some(46));
        assert_eq!(cell(&cells, "A1", "thefts").value, Some(0), "zero is published");
        assert_no_lone_hidden(&cells);
    }

    #[test]
    fn a_lone_hidden_child_takes_the_smallest_sibling_with_it() {
        let cells = run(&[("B", "crimes", 1), ("C", "crimes", 4), ("A1", "crimes", 9), ("A2", "crimes", 8)], 3);
        assert_eq!(cell(&cells, "B", "crimes").suppressed, Some(Reason::Small));
        assert_eq!(cell(&cells, "C", "crimes").suppressed, Some(Reason::Complementary));
        assert_eq!(cell(&cells, "A", "crimes").value, Some(17));
        assert_eq!(cell(&cells, "R", "crimes").value, Some(22), "the total stays published");
        assert_no_lone_hidden(&cells);
    }

    #[test]
    fn a_hidden_parent_is_protected_among_its_siblings() {
        // A1 = A2 = 1: A = 2 is small too; then A alone is hidden among R's children.
        let cells = run(&[("A1", "crimes", 1), ("A2", "crimes", 1), ("B", "crimes", 10), ("C", "crimes", 5)], 3);
        assert_eq!(cell(&cells, "A", "crimes").suppressed, Some(Reason::Small));
        assert_eq!(cell(&cells, "C", "crimes").suppressed, Some(Reason::Complementary));
        assert_eq!(cell(&cells, "B", "crimes").value, Some(10));
        assert_eq!(cell(&cells, "R", "crimes").value, Some(17));
        assert_no_lone_hidden(&cells);
    }

    #[test]
    fn with_no_sibling_to_hide_the_parent_is_hidden_and_protected_above() {
        // A1 = 1, A2 = 0 and A records 5 itself: A = 6 must go, then a sibling of A.
        let cells = run(&[("A1", "crimes", 1), ("A", "crimes", 5), ("B", "crimes", 7), ("C", "crimes", 9)], 3);
        assert_eq!(cell(&cells, "A1", "crimes").suppressed, Some(Reason::Small));
        assert_eq!(cell(&cells, "A2", "crimes").value, Some(0));
        assert_eq!(cell(&cells, "A", "crimes").suppressed, Some(Reason::Complementary));
        assert_eq!(cell(&cells, "B", "crimes").suppressed, Some(Reason::Complementary));
        assert_eq!(cell(&cells, "R", "crimes").value, Some(22));
        assert_no_lone_hidden(&cells);
    }

    #[test]
    fn amounts_follow_their_count_and_are_otherwise_published() {
        let cells = run(
            &[
                ("B", "crimes", 1),
                ("B", "damage", 50_000),
                ("C", "crimes", 6),
                ("C", "damage", 10_000),
                ("A1", "crimes", 12),
                ("A1", "damage", 90_000),
                ("B", "grams", 1),
            ],
            3,
        );
        assert_eq!(cell(&cells, "B", "damage").suppressed, Some(Reason::Companion));
        // B's damage alone hidden among R's children would be R - A - C: another goes.
        let c = cell(&cells, "C", "damage");
        let a = cell(&cells, "A", "damage");
        assert!(c.suppressed.is_some() || a.suppressed.is_some());
        assert_eq!(cell(&cells, "B", "grams").value, Some(1), "no count of seizures: grams are published");
        assert_no_lone_hidden(&cells);
    }

    #[test]
    fn groups_are_tables_of_their_own_and_the_threshold_is_a_setting() {
        let own = [("B", "by_category/Burglary", 2), ("C", "by_category/Burglary", 7), ("C", "by_category/Fraud", 30)];
        let cells = run(&own, 3);
        assert_eq!(cell(&cells, "B", "by_category/Burglary").suppressed, Some(Reason::Small));
        assert_eq!(cell(&cells, "C", "by_category/Burglary").suppressed, Some(Reason::Complementary));
        assert_eq!(cell(&cells, "C", "by_category/Fraud").value, Some(30));
        assert_eq!(cell(&cells, "A1", "by_category/Fraud").value, Some(0), "every unit has every group");
        assert!(!cells.iter().any(|c| c.indicator == "by_category"), "no figure for the grouped indicator itself");
        assert_no_lone_hidden(&cells);
        let cells = run(&own, 1);
        assert!(cells.iter().all(|c| c.suppressed.is_none()), "threshold 1 hides nothing");
    }

    #[test]
    fn the_companion_is_the_unfiltered_count_of_the_same_register_and_date() {
        let set = IndicatorSet::from_toml(SET).unwrap();
        assert_eq!(companion(&set, set.get("damage").unwrap()).map(|i| i.code.as_str()), Some("crimes"));
        assert!(companion(&set, set.get("grams").unwrap()).is_none());
        assert!(companion(&set, set.get("crimes").unwrap()).is_none());
    }
}
