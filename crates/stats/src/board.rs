//! The Board's report: every indicator for a unit and each unit below it,
//! rolled up the tree, for a period against the same period a year before,
//! stamped with the journal position and the counting-rule version.

use crate::compare::Change;
use crate::funnel::{Funnel, FunnelRow};
use crate::indicators::{GroupKey, Indicator, IndicatorSet, Measure, ValueUnit, group_code, split_group_code};
use crate::period::Period;
use crimeboard_domain::jurisdiction::Currency;
use crimeboard_domain::units::{Language, Names, UnitCode, UnitTree, name_fallback};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Summed counters of one period: (unit, indicator) -> value, per unit (not rolled up).
pub type Sums = HashMap<(String, String), i64>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The indicator's code; for one group of a grouped indicator,
    /// `<code>/<value>[/<value>]` as [`group_code`] writes it.
    pub code: String,
    pub name: Names,
    pub unit: ValueUnit,
    pub change: Change,
    /// The group's values, verbatim, for a figure of a grouped indicator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub code: String,
    pub name: Names,
    pub method: Names,
    /// Per cent; None when the denominator is zero.
    pub current: Option<f64>,
    pub previous: Option<f64>,
    /// The indicator counted over the denominator.
    #[serde(skip)]
    pub numerator: String,
    /// The indicators the denominator adds up, so a text can say what the share is made of.
    #[serde(skip)]
    pub denominator: Vec<String>,
    /// The current period's numerator and denominator as counted.
    #[serde(skip)]
    pub counts: ShareCounts,
    /// Whether the units below the scope are compared on a funnel plot
    /// (the ratio's `funnel = true`).
    #[serde(skip)]
    pub funnel: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShareCounts {
    pub numerator: i64,
    pub denominator: i64,
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
    /// The share the narrative's headline states (`[headline] share` of the
    /// counting rules), None for the count alone.
    pub headline_share: Option<String>,
    pub catalogue: String,
    pub catalogue_illustrative: bool,
    /// Who records the figures (the jurisdiction pack's institution), as
    /// the narrative names them for the whole country.
    pub recorded_by: Names,
    /// What its amounts (`ValueUnit::Qepik`, in minor units) are counted in.
    pub currency: Currency,
    /// The order a name missing in a language falls back in: the
    /// jurisdiction's default language first. How the report reads, not a figure.
    #[serde(skip)]
    pub name_fallback: [Language; 3],
    /// The unit the report is for, then every unit below it, parents first.
    pub units: Vec<UnitFigures>,
    /// For a published period, what changed since its latest publication,
    /// which the report states; None when nothing did or it is unpublished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised: Option<Revision>,
}

/// A published report's figures that changed since it was published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    /// The publication's register number.
    pub publication: String,
    pub revision: u32,
    pub published_on: chrono::NaiveDate,
    /// Each unit's indicator that changed, in the report's order.
    pub changes: Vec<RevisedFigure>,
}

/// One figure changed since publication: its unit and indicator by code and
/// name, and by how much.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevisedFigure {
    pub unit: UnitCode,
    pub unit_name: Names,
    pub indicator: String,
    pub name: Names,
    pub difference: i64,
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

    /// Each unit directly below the scope, in the report's order, with its
    /// figure of the indicator: the units side by side. A grouped figure is
    /// None where the group has no counts in either period.
    pub fn children(&self, code: &str) -> Vec<(&UnitFigures, Option<&Figure>)> {
        let Some(scope) = self.units.first() else { return Vec::new() };
        self.units
            .iter()
            .filter(|u| u.parent.as_ref() == Some(&scope.unit))
            .map(|u| (u, u.figures.iter().find(|f| f.code == code)))
            .collect()
    }

    /// The shares the counting rules compare across units, in their order.
    pub fn funnel_shares(&self) -> impl Iterator<Item = &Share> {
        self.units.first().into_iter().flat_map(|u| u.shares.iter().filter(|s| s.funnel))
    }

    /// The funnel of a share marked `funnel = true` over the units directly
    /// below the scope, from their counts of the current period; None for
    /// another share.
    pub fn funnel(&self, code: &str) -> Option<Funnel> {
        Some(Funnel::of(&self.funnel_rows(code)?))
    }

    /// Each unit directly below the scope with its counts of a share marked
    /// `funnel = true`, in the report's order; None for another share.
    pub fn funnel_rows(&self, code: &str) -> Option<Vec<FunnelRow>> {
        self.funnel_shares().find(|s| s.code == code)?;
        let scope = self.units.first()?;
        let rows: Vec<FunnelRow> = self
            .units
            .iter()
            .filter(|u| u.parent.as_ref() == Some(&scope.unit))
            .filter_map(|u| {
                let counts = u.shares.iter().find(|s| s.code == code)?.counts;
                Some(FunnelRow {
                    unit: u.unit.to_string(),
                    numerator: counts.numerator,
                    denominator: counts.denominator,
                })
            })
            .collect();
        Some(rows)
    }
}

/// What a report is stamped with besides its figures.
pub struct Stamp<'a> {
    pub position: i64,
    pub catalogue: &'a str,
    pub catalogue_illustrative: bool,
    pub recorded_by: &'a Names,
    pub currency: &'a Currency,
    pub naming: &'a Naming,
}

/// How the jurisdiction in force names things: the order a name missing in
/// a language falls back in (its default language first), and the names of
/// the catalogue's groupings, which a figure grouped by them shows instead of
/// their codes.
#[derive(Debug, Clone, PartialEq)]
pub struct Naming {
    pub fallback: [Language; 3],
    /// Each grouping's (tag's) names, by its code.
    pub tags: BTreeMap<String, Names>,
}

impl Naming {
    /// Names falling back with `default` first, the groupings named by `tags`.
    pub fn new(default: Language, tags: BTreeMap<String, Names>) -> Naming {
        Naming { fallback: name_fallback(default), tags }
    }

    /// A group's value as shown in `lang`: a grouping's name, else the value
    /// as the source gave it (its category or outcome label, a flag, a status).
    fn value<'a>(&'a self, key: GroupKey, value: &'a str, lang: Language) -> &'a str {
        let named = match key {
            GroupKey::Tag => self.tags.get(value).map(|n| n.get(lang, &self.fallback)).filter(|n| !n.is_empty()),
            GroupKey::Category | GroupKey::Status | GroupKey::SourceOutcome | GroupKey::Flag => None,
        };
        named.unwrap_or(value)
    }
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
    let groups = groups_present(&now, &before);
    // A unit merged into another is a part of it, not a unit of its own.
    let units = tree
        .all()
        .filter(|u| tree.is_within(&u.code, scope) && (u.code == *scope || tree.merged_into(&u.code).is_none()))
        .map(|u| unit_figures(set, &u.code, &now, &before, &groups, tree, stamp.naming))
        .collect::<Vec<_>>();
    let mut units = units;
    // The scope first, then parents before children.
    units.sort_by_key(|u| (tree.ancestors(&u.unit).count(), u.unit.clone()));
    BoardReport {
        period,
        previous: period.year_before(),
        position: stamp.position,
        counting_rules: set.version.clone(),
        headline_share: set.headline_share.clone(),
        catalogue: stamp.catalogue.to_string(),
        catalogue_illustrative: stamp.catalogue_illustrative,
        recorded_by: stamp.recorded_by.clone(),
        currency: stamp.currency.clone(),
        name_fallback: stamp.naming.fallback,
        units,
        revised: None,
    }
}

/// "Crimes by category: Vehicle crime / Local resolution", in each language:
/// the indicator's name, then each value, a grouping by its name in that
/// language and a source's label verbatim; an empty value reads as a dash.
pub fn group_name(ind: &Indicator, values: &[String], naming: &Naming) -> Names {
    let in_lang = |lang| {
        let shown = ind
            .group_by
            .iter()
            .zip(values)
            .map(|(key, v)| if v.is_empty() { "—" } else { naming.value(*key, v, lang) })
            .collect::<Vec<_>>()
            .join(" / ");
        format!("{}: {shown}", ind.name.get(lang, &naming.fallback))
    };
    Names { az: in_lang(Language::Az), ru: in_lang(Language::Ru), en: in_lang(Language::En) }
}

/// Adds every unit's own sums to each of its ancestors (and itself): the
/// figures of a unit include every unit below it. Shared with the open-data
/// export ([`crate::disclosure`]).
pub fn roll_up(tree: &UnitTree, own: &Sums) -> Sums {
    let mut total = Sums::new();
    for ((unit, indicator), value) in own {
        let Ok(code) = UnitCode::parse(unit) else { continue };
        for ancestor in tree.ancestors(&code) {
            *total.entry((ancestor.code.to_string(), indicator.clone())).or_default() += value;
        }
    }
    total
}

/// The groups of grouped indicators that have counts, per unit, in either
/// period: (unit, indicator code) -> group counter codes, in order.
type Groups = HashMap<(String, String), BTreeSet<String>>;

fn groups_present(now: &Sums, before: &Sums) -> Groups {
    let mut groups = Groups::new();
    for (unit, code) in now.keys().chain(before.keys()) {
        // Ungrouped codes have no '/': most keys are passed over at once.
        if let Some(i) = code.find('/') {
            groups.entry((unit.clone(), code[..i].to_string())).or_default().insert(code.clone());
        }
    }
    groups
}

fn unit_figures(
    set: &IndicatorSet,
    unit: &UnitCode,
    now: &Sums,
    before: &Sums,
    groups: &Groups,
    tree: &UnitTree,
    naming: &Naming,
) -> UnitFigures {
    let get = |sums: &Sums, code: &str| sums.get(&(unit.to_string(), code.to_string())).copied().unwrap_or(0);
    let figure = |ind: &Indicator, code: String, name: Names, group: Vec<String>| {
        let (c, p) = (get(now, &code), get(before, &code));
        // People killed or injured are counts of events too; money and weight are not.
        let counted = matches!(ind.measure, Measure::Count | Measure::Killed | Measure::Injured);
        let change = if counted { Change::of_counts(c, p) } else { Change::of_amounts(c, p) };
        Figure { code, name, unit: ind.unit, change, group }
    };
    let mut figures = Vec::with_capacity(set.indicators.len());
    for ind in &set.indicators {
        if !ind.is_grouped() {
            figures.push(figure(ind, ind.code.clone(), ind.name.clone(), Vec::new()));
            continue;
        }
        let Some(codes) = groups.get(&(unit.to_string(), ind.code.clone())) else { continue };
        for code in codes {
            let Some((_, values)) = split_group_code(code) else { continue };
            if values.len() != ind.group_by.len() || group_code(&ind.code, &values) != *code {
                continue;
            }
            let name = group_name(ind, &values, naming);
            figures.push(figure(ind, code.clone(), name, values));
        }
    }
    let counts = |sums: &Sums, num: &str, den: &[String]| ShareCounts {
        numerator: get(sums, num),
        denominator: den.iter().map(|c| get(sums, c)).sum(),
    };
    let per_cent = |c: ShareCounts| (c.denominator != 0).then(|| c.numerator as f64 * 100.0 / c.denominator as f64);
    let shares = set
        .ratios
        .iter()
        .map(|r| {
            let current = counts(now, &r.numerator, &r.denominator);
            Share {
                code: r.code.clone(),
                name: r.name.clone(),
                method: r.method.clone(),
                current: per_cent(current),
                previous: per_cent(counts(before, &r.numerator, &r.denominator)),
                numerator: r.numerator.clone(),
                denominator: r.denominator.clone(),
                counts: current,
                funnel: r.funnel,
            }
        })
        .collect();
    let u = tree.get(unit).expect("unit of the tree");
    UnitFigures { unit: unit.clone(), name: u.names.clone(), parent: u.parent.clone(), figures, shares }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{demo_currency, unit};

    #[test]
    fn a_grouped_indicator_shows_one_figure_per_value_present_rolled_up() {
        let set = IndicatorSet::from_toml(
            r#"
version = "t"
[[indicator]]
code = "crimes"
name = { az = "a", ru = "r", en = "Crimes" }
counts = "case"
by = "registered"
measure = "count"

[[indicator]]
code = "by_category"
name = { az = "a", ru = "r", en = "Crimes by category" }
counts = "case"
by = "registered"
measure = "count"
group_by = "category"
"#,
        )
        .unwrap();
        let tree =
            UnitTree::new(vec![unit("EW", None), unit("WYP-LDS", Some("EW")), unit("WYP-BRD", Some("EW"))]).unwrap();
        let sums = |cells: &[(&str, &str, i64)]| -> Sums {
            cells.iter().map(|(u, i, v)| ((u.to_string(), i.to_string()), *v)).collect()
        };
        let now = sums(&[
            ("WYP-LDS", "crimes", 5),
            ("WYP-LDS", "by_category/Vehicle crime", 3),
            ("WYP-LDS", "by_category/a%2Fb", 2),
            ("WYP-BRD", "by_category/Vehicle crime", 1),
        ]);
        let before = sums(&[("WYP-BRD", "by_category/Burglary", 4)]);
        let recorded_by = Names::default();
        let currency = demo_currency();
        let stamp = Stamp {
            position: 1,
            catalogue: "c",
            catalogue_illustrative: true,
            recorded_by: &recorded_by,
            currency: &currency,
            naming: &Naming::new(Language::Az, BTreeMap::new()),
        };
        let root = UnitCode::parse("EW").unwrap();
        let r = assemble(&set, &tree, &root, Period::parse("2018-07").unwrap(), &now, &before, stamp);
        let shown: Vec<_> =
            r.scope().figures.iter().map(|f| (f.code.as_str(), f.change.current, f.change.previous)).collect();
        assert_eq!(
            shown,
            [
                ("crimes", 5, 0),
                ("by_category/Burglary", 0, 4),
                ("by_category/Vehicle crime", 4, 0),
                ("by_category/a%2Fb", 2, 0),
            ]
        );
        let slash = r.figure("by_category/a%2Fb").unwrap();
        assert_eq!(slash.group, ["a/b"]);
        assert_eq!(slash.name.en, "Crimes by category: a/b");
        let leeds = r.units.iter().find(|u| u.unit.as_str() == "WYP-LDS").unwrap();
        assert_eq!(leeds.figures.len(), 3, "a unit shows the groups it has");
        assert!(r.figure("by_category").is_none(), "a grouped indicator has no figure of its own");
    }

    #[test]
    fn children_are_the_units_directly_below_the_scope() {
        let set = IndicatorSet::from_toml(
            r#"
version = "t"
[[indicator]]
code = "crimes"
name = { az = "a", ru = "r", en = "Crimes" }
counts = "case"
by = "registered"
measure = "count"
"#,
        )
        .unwrap();
        let tree = UnitTree::new(vec![
            unit("EW", None),
            unit("WYP", Some("EW")),
            unit("WYP-LDS", Some("WYP")),
            unit("MPS", Some("EW")),
        ])
        .unwrap();
        let now: Sums =
            [(("WYP-LDS".to_string(), "crimes".to_string()), 7), (("MPS".into(), "crimes".into()), 2)].into();
        let recorded_by = Names::default();
        let currency = demo_currency();
        let stamp = Stamp {
            position: 1,
            catalogue: "c",
            catalogue_illustrative: true,
            recorded_by: &recorded_by,
            currency: &currency,
            naming: &Naming::new(Language::Az, BTreeMap::new()),
        };
        let root = UnitCode::parse("EW").unwrap();
        let r = assemble(&set, &tree, &root, Period::parse("2018-07").unwrap(), &now, &Sums::new(), stamp);
        let shown: Vec<_> =
            r.children("crimes").into_iter().map(|(u, f)| (u.unit.as_str(), f.map(|f| f.change.current))).collect();
        assert_eq!(shown, [("MPS", Some(2)), ("WYP", Some(7))], "rolled up, grandchildren left out");
        assert!(r.children("no_such").iter().all(|(_, f)| f.is_none()));
    }

    /// A share marked `funnel = true` gives the funnel of the units directly
    /// below the scope from their own counts; another share gives none.
    #[test]
    fn a_funnel_share_compares_the_units_below_the_scope() {
        let set = IndicatorSet::from_toml(
            r#"
version = "t"
[[indicator]]
code = "decided"
name = { az = "a", ru = "r", en = "Decided" }
counts = "report"
by = "decided"
measure = "count"

[[indicator]]
code = "in_time"
name = { az = "a", ru = "r", en = "In time" }
counts = "report"
by = "decided"
measure = "count"
filter = { late = false }

[[ratio]]
code = "in_time_share"
name = { az = "a", ru = "r", en = "In time" }
method = { az = "a", ru = "r", en = "m" }
numerator = "in_time"
denominator = ["decided"]
funnel = true

[[ratio]]
code = "plain"
name = { az = "a", ru = "r", en = "Plain" }
method = { az = "a", ru = "r", en = "m" }
numerator = "in_time"
denominator = ["decided"]
"#,
        )
        .unwrap();
        let tree = UnitTree::new(vec![
            unit("EW", None),
            unit("WYP", Some("EW")),
            unit("WYP-LDS", Some("WYP")),
            unit("MPS", Some("EW")),
            unit("GMP", Some("EW")),
        ])
        .unwrap();
        let cells =
            [("WYP-LDS", "decided", 40), ("WYP-LDS", "in_time", 30), ("MPS", "decided", 10), ("MPS", "in_time", 9)];
        let now: Sums = cells.iter().map(|(u, i, v)| ((u.to_string(), i.to_string()), *v)).collect();
        let recorded_by = Names::default();
        let currency = demo_currency();
        let stamp = Stamp {
            position: 1,
            catalogue: "c",
            catalogue_illustrative: true,
            recorded_by: &recorded_by,
            currency: &currency,
            naming: &Naming::new(Language::Az, BTreeMap::new()),
        };
        let root = UnitCode::parse("EW").unwrap();
        let r = assemble(&set, &tree, &root, Period::parse("2018-07").unwrap(), &now, &Sums::new(), stamp);
        assert_eq!(r.funnel_shares().map(|s| s.code.as_str()).collect::<Vec<_>>(), ["in_time_share"]);
        let funnel = r.funnel("in_time_share").unwrap();
        let shown: Vec<_> = funnel.points.iter().map(|p| (p.unit.as_str(), p.numerator, p.denominator)).collect();
        assert_eq!(shown, [("MPS", 9, 10), ("WYP", 30, 40)], "rolled up, grandchildren left out");
        assert_eq!(funnel.excluded.iter().map(|e| e.unit.as_str()).collect::<Vec<_>>(), ["GMP"], "nothing decided");
        assert_eq!(funnel.target, Some(39.0 / 50.0));
        assert_eq!(r.share("in_time_share").unwrap().counts, ShareCounts { numerator: 39, denominator: 50 });
        assert!(r.funnel("plain").is_none() && r.funnel("no_such").is_none());
    }

    /// A figure grouped by a grouping shows the grouping's name in each
    /// language, falling back with the jurisdiction's default language first;
    /// a source's label beside it stays as the source wrote it.
    #[test]
    fn a_grouping_is_shown_by_its_name_and_a_source_label_verbatim() {
        let set = IndicatorSet::from_toml(
            r#"
version = "t"
[[indicator]]
code = "by_tag"
name = { az = "Cinayətlər", ru = "Преступления", en = "Crimes" }
counts = "case"
by = "registered"
measure = "count"
group_by = ["tag", "category"]
"#,
        )
        .unwrap();
        let ind = &set.indicators[0];
        let tags = BTreeMap::from([
            ("theft".to_string(), Names { az: "Oğurluq".into(), ru: "Кража".into(), en: "Theft".into() }),
            ("fraud".to_string(), Names { ru: "Мошенничество".into(), en: "Fraud".into(), ..Names::default() }),
        ]);
        let english_first = Naming::new(Language::En, tags);
        let values = |tag: &str| vec![tag.to_string(), "theft".to_string()];
        let theft = group_name(ind, &values("theft"), &english_first);
        assert_eq!(theft.az, "Cinayətlər: Oğurluq / theft", "the category named like a tag stays the source's");
        assert_eq!(theft.ru, "Преступления: Кража / theft");
        let fraud = group_name(ind, &values("fraud"), &english_first);
        assert_eq!(fraud.az, "Cinayətlər: Fraud / theft", "the default language before ru");
        let az_first = Naming { fallback: name_fallback(Language::Az), ..english_first.clone() };
        assert_eq!(group_name(ind, &values("fraud"), &az_first).az, "Cinayətlər: Мошенничество / theft");
        assert_eq!(group_name(ind, &values("unknown"), &english_first).en, "Crimes: unknown / theft");
    }
}
