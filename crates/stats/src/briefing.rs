//! The briefing pack before a Board meeting: for each agenda item and each
//! reporting unit, the item's indicators against the same period a year
//! before with their significance, the unit's rank among its peers, its open
//! and overdue tasks from earlier meetings and its deadlines kept.
//!
//! Every figure is read from the [`BoardReport`] of the period, never counted
//! again: the pack says what the Board's report at the same journal position
//! says. Ranks are among the unit's peers, the units with the same parent in
//! that report, by the figure of the period: rank 1 is the highest value,
//! whether a high value is good or bad (crimes recorded, crimes solved) is
//! the reader's to weigh; peers with equal values share a rank and the next
//! rank skips as many places (1, 1, 3).

use crate::board::{BoardReport, UnitFigures};
use crate::compare::Change;
use crate::indicators::ValueUnit;
use crate::period::Period;
use crimeboard_domain::error::{Checks, Rejected, Violation};
use crimeboard_domain::jurisdiction::Currency;
use crimeboard_domain::units::{Language, Names, UnitCode};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The indicator counting reports decided within their deadline; with
/// [`DECIDED`], what "deadlines kept" is made of. A pack whose counting
/// rules lack either has its deadlines kept "not counted".
pub const DECIDED_IN_TIME: &str = "reports_decided_in_time";
/// The indicator counting every report decided.
pub const DECIDED: &str = "reports_decided";

/// One item of the meeting's agenda: its topic and the indicators (codes of
/// the counting rules, ungrouped) the Board looks at under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefingItem {
    pub topic: String,
    pub indicators: Vec<String>,
}

/// A unit's tasks from earlier meetings, as the task register counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitTasks {
    pub open: u32,
    pub overdue: u32,
}

/// What a briefing pack is asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct BriefingRequest {
    /// The period under review, compared with the same period a year before.
    pub period: Period,
    pub items: Vec<BriefingItem>,
    /// The reporting units, in the order the pack lists them.
    pub units: Vec<UnitCode>,
    /// Each unit's tasks, given by the caller: the register of the Board's
    /// tasks supplies them. A unit without an entry shows its tasks as not
    /// given, never as none.
    pub tasks: BTreeMap<UnitCode, UnitTasks>,
}

/// The most agenda items and reporting units a pack holds.
pub const MAX_ITEMS: usize = 20;
pub const MAX_UNITS: usize = 100;

/// The agenda as typed on a page, at the API or the command line: one item
/// a line (or between semicolons), its topic, a colon, and the indicators'
/// codes separated by commas (`Theft: theft, robbery`). The codes follow the
/// last colon, so a topic may hold one. A line without a colon is refused
/// naming it (`agenda.line`, `line` from 1); what the codes name is
/// [`brief`]'s to check.
pub fn parse_agenda(text: &str) -> Result<Vec<BriefingItem>, Rejected> {
    let mut checks = Checks::default();
    let mut items = Vec::new();
    let lines = text.split(['\n', ';']).map(str::trim).filter(|l| !l.is_empty());
    for (i, line) in lines.enumerate() {
        let Some((topic, codes)) = line.rsplit_once(':') else {
            checks.push(Violation::new("agenda", "agenda.line").with("line", i + 1));
            continue;
        };
        let indicators = codes.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect();
        items.push(BriefingItem { topic: topic.trim().to_string(), indicators });
    }
    checks.check(items.len() <= MAX_ITEMS, || Violation::new("agenda", "list.too_long").with("max", MAX_ITEMS));
    checks.finish()?;
    Ok(items)
}

/// Unit codes separated by commas or spaces (`BAK-NSM, GNC`), at most
/// [`MAX_UNITS`]; a code of the wrong form is refused naming `units`.
pub fn parse_units(text: &str) -> Result<Vec<UnitCode>, Rejected> {
    let mut checks = Checks::default();
    let mut units = Vec::new();
    for code in text.split([',', ' ', '\n']).map(str::trim).filter(|c| !c.is_empty()) {
        match UnitCode::parse(code) {
            Ok(unit) => units.push(unit),
            Err(v) => checks.push(Violation { field: "units".into(), ..v }),
        }
    }
    checks.check(units.len() <= MAX_UNITS, || Violation::new("units", "list.too_long").with("max", MAX_UNITS));
    checks.finish()?;
    Ok(units)
}

/// The share of reports decided within their deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeadlinesKept {
    /// The counting rules have no indicators of reports decided in time.
    NotCounted,
    Counted {
        in_time: i64,
        decided: i64,
    },
}

impl DeadlinesKept {
    /// Per cent; None when not counted or nothing was decided.
    pub fn percent(&self) -> Option<f64> {
        match *self {
            DeadlinesKept::Counted { in_time, decided } if decided != 0 => {
                Some(in_time as f64 * 100.0 / decided as f64)
            }
            _ => None,
        }
    }
}

/// A unit's place among its peers by one figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rank {
    /// 1 for the highest value; ties share the place.
    pub place: usize,
    /// How many peers (the unit included) are ranked.
    pub of: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BriefedUnit {
    pub unit: UnitCode,
    pub name: Names,
    pub parent: Option<UnitCode>,
    /// None when the caller gave no tasks for the unit.
    pub tasks: Option<UnitTasks>,
    pub deadlines_kept: DeadlinesKept,
}

/// An indicator as a column of an item's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BriefedIndicator {
    pub code: String,
    pub name: Names,
    pub unit: ValueUnit,
}

/// One indicator's figure for one unit, as the Board's report has it, and
/// the unit's rank by it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedFigure {
    pub code: String,
    pub change: Change,
    pub rank: Rank,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRow {
    pub unit: UnitCode,
    /// In the item's order of indicators.
    pub figures: Vec<RankedFigure>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BriefedItem {
    pub topic: String,
    pub indicators: Vec<BriefedIndicator>,
    /// One row per reporting unit, in the request's order.
    pub rows: Vec<ItemRow>,
}

/// The briefing pack, stamped like the Board's report it is read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Briefing {
    pub period: Period,
    pub previous: Period,
    /// The journal position the figures reflect.
    pub position: i64,
    pub counting_rules: String,
    pub catalogue: String,
    pub catalogue_illustrative: bool,
    pub currency: Currency,
    /// The order a name missing in a language falls back in: the report's.
    #[serde(skip)]
    pub name_fallback: [Language; 3],
    pub units: Vec<BriefedUnit>,
    pub items: Vec<BriefedItem>,
}

impl Briefing {
    pub fn unit(&self, code: &UnitCode) -> Option<&BriefedUnit> {
        self.units.iter().find(|u| &u.unit == code)
    }
}

/// The briefing pack for `request` from the Board's report of its period,
/// which must cover every reporting unit and its peers (the whole tree's
/// report does). Every problem of the request is named at once: an empty
/// agenda or topic, an indicator the counting rules lack or that is split
/// into groups (it has no figure of its own), a unit not in the report, the
/// same indicator or unit twice.
pub fn brief(request: &BriefingRequest, report: &BoardReport) -> Result<Briefing, Rejected> {
    check(request, report)?;
    let units = request.units.iter().map(|code| briefed_unit(request, report, code)).collect();
    let items = request.items.iter().map(|item| briefed_item(item, request, report)).collect();
    Ok(Briefing {
        period: report.period,
        previous: report.previous,
        position: report.position,
        counting_rules: report.counting_rules.clone(),
        catalogue: report.catalogue.clone(),
        catalogue_illustrative: report.catalogue_illustrative,
        currency: report.currency.clone(),
        name_fallback: report.name_fallback,
        units,
        items,
    })
}

fn check(request: &BriefingRequest, report: &BoardReport) -> Result<(), Rejected> {
    let mut checks = Checks::default();
    checks.check(!request.items.is_empty(), || Violation::new("items", "text.required"));
    for (i, item) in request.items.iter().enumerate() {
        checks.check(!item.topic.trim().is_empty(), || Violation::new(format!("items[{i}].topic"), "text.required"));
        checks.check(!item.indicators.is_empty(), || Violation::new(format!("items[{i}].indicators"), "text.required"));
        let mut seen = HashSet::new();
        for (j, code) in item.indicators.iter().enumerate() {
            let field = || format!("items[{i}].indicators[{j}]");
            let known = report.scope().figures.iter().any(|f| &f.code == code && f.group.is_empty());
            checks.check(known, || Violation::new(field(), "indicator.unknown").with("code", code));
            checks.check(seen.insert(code), || Violation::new(field(), "list.duplicate"));
        }
    }
    checks.check(!request.units.is_empty(), || Violation::new("units", "text.required"));
    let mut seen = HashSet::new();
    for (k, code) in request.units.iter().enumerate() {
        let in_report = report.units.iter().any(|u| &u.unit == code);
        checks.check(in_report, || Violation::new(format!("units[{k}]"), "unit.unknown").with("code", code));
        checks.check(seen.insert(code), || Violation::new(format!("units[{k}]"), "list.duplicate"));
    }
    checks.finish()
}

fn unit_in<'a>(report: &'a BoardReport, code: &UnitCode) -> &'a UnitFigures {
    report.units.iter().find(|u| &u.unit == code).expect("checked to be in the report")
}

/// The figure of an ungrouped indicator, which every unit of a report has.
fn change_of(unit: &UnitFigures, code: &str) -> Option<Change> {
    unit.figures.iter().find(|f| f.code == code && f.group.is_empty()).map(|f| f.change)
}

fn briefed_unit(request: &BriefingRequest, report: &BoardReport, code: &UnitCode) -> BriefedUnit {
    let unit = unit_in(report, code);
    let deadlines_kept = match (change_of(unit, DECIDED_IN_TIME), change_of(unit, DECIDED)) {
        (Some(in_time), Some(decided)) => DeadlinesKept::Counted { in_time: in_time.current, decided: decided.current },
        _ => DeadlinesKept::NotCounted,
    };
    BriefedUnit {
        unit: code.clone(),
        name: unit.name.clone(),
        parent: unit.parent.clone(),
        tasks: request.tasks.get(code).copied(),
        deadlines_kept,
    }
}

fn briefed_item(item: &BriefingItem, request: &BriefingRequest, report: &BoardReport) -> BriefedItem {
    let scope = report.scope();
    let indicators = item
        .indicators
        .iter()
        .filter_map(|code| scope.figures.iter().find(|f| &f.code == code))
        .map(|f| BriefedIndicator { code: f.code.clone(), name: f.name.clone(), unit: f.unit })
        .collect();
    let rows = request
        .units
        .iter()
        .map(|code| {
            let unit = unit_in(report, code);
            let figures = item
                .indicators
                .iter()
                .filter_map(|indicator| {
                    let change = change_of(unit, indicator)?;
                    Some(RankedFigure { code: indicator.clone(), change, rank: rank(report, unit, indicator) })
                })
                .collect();
            ItemRow { unit: code.clone(), figures }
        })
        .collect();
    BriefedItem { topic: item.topic.clone(), indicators, rows }
}

/// The unit's place among the report's units with its parent, by the
/// indicator's figure in the period: 1 for the highest, ties sharing it.
fn rank(report: &BoardReport, unit: &UnitFigures, indicator: &str) -> Rank {
    let value = |u: &UnitFigures| change_of(u, indicator).map_or(0, |c| c.current);
    let own = value(unit);
    let peers: Vec<i64> = report.units.iter().filter(|u| u.parent == unit.parent).map(value).collect();
    Rank { place: 1 + peers.iter().filter(|v| **v > own).count(), of: peers.len() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::{Figure, Share};
    use crate::fixtures::demo_currency;

    fn code(s: &str) -> UnitCode {
        UnitCode::parse(s).unwrap()
    }

    fn names(s: &str) -> Names {
        Names { az: s.into(), ru: s.into(), en: s.into() }
    }

    fn figure(code: &str, current: i64, previous: i64) -> Figure {
        Figure {
            code: code.into(),
            name: names(code),
            unit: ValueUnit::Number,
            change: Change::of_counts(current, previous),
            group: Vec::new(),
        }
    }

    /// A report of three sibling districts under one region, each with the
    /// given (indicator, current, previous) figures; the region's are the sums.
    /// (indicator, current, previous)
    type Counts<'a> = &'a [(&'a str, i64, i64)];

    fn report(districts: &[(&str, Counts)]) -> BoardReport {
        let mut totals: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        let mut units = Vec::new();
        for (unit, figures) in districts {
            for (c, now, before) in *figures {
                let t = totals.entry(c).or_default();
                t.0 += now;
                t.1 += before;
            }
            units.push(UnitFigures {
                unit: code(unit),
                name: names(unit),
                parent: Some(code("R")),
                figures: figures.iter().map(|(c, n, b)| figure(c, *n, *b)).collect(),
                shares: Vec::<Share>::new(),
            });
        }
        let region = UnitFigures {
            unit: code("R"),
            name: names("Region"),
            parent: None,
            figures: totals.iter().map(|(c, (n, b))| figure(c, *n, *b)).collect(),
            shares: Vec::new(),
        };
        units.insert(0, region);
        let currency = demo_currency();
        BoardReport {
            revised: None,
            period: Period::parse("2024Q1").unwrap(),
            previous: Period::parse("2023Q1").unwrap(),
            position: 42,
            counting_rules: "rules-1".into(),
            headline_share: None,
            catalogue: "cat-1".into(),
            catalogue_illustrative: false,
            recorded_by: Names::default(),
            currency,
            name_fallback: crimeboard_domain::units::name_fallback(Language::Az),
            units,
        }
    }

    fn request(indicators: &[&str], units: &[&str]) -> BriefingRequest {
        BriefingRequest {
            period: Period::parse("2024Q1").unwrap(),
            items: vec![BriefingItem {
                topic: "Theft".into(),
                indicators: indicators.iter().map(|s| s.to_string()).collect(),
            }],
            units: units.iter().map(|u| code(u)).collect(),
            tasks: BTreeMap::new(),
        }
    }

    #[test]
    fn siblings_rank_by_value_highest_first_ties_sharing_a_place() {
        let r = report(&[
            ("A", &[("theft", 7, 3)]),
            ("B", &[("theft", 12, 12)]),
            ("C", &[("theft", 7, 9)]),
            ("D", &[("theft", 2, 0)]),
        ]);
        let b = brief(&request(&["theft"], &["A", "B", "C", "D", "R"]), &r).unwrap();
        let ranks: Vec<_> = b.items[0].rows.iter().map(|row| (row.unit.as_str(), row.figures[0].rank)).collect();
        let at = |place, of| Rank { place, of };
        assert_eq!(
            ranks,
            [("A", at(2, 4)), ("B", at(1, 4)), ("C", at(2, 4)), ("D", at(4, 4)), ("R", at(1, 1))],
            "7 and 7 share second place, 2 is fourth; the region has no peers"
        );
        let a = &b.items[0].rows[0].figures[0].change;
        assert_eq!((a.current, a.previous, a.absolute), (7, 3, 4));
        assert_eq!(a, &r.units[1].figures[0].change, "the report's change, significance and all");
    }

    #[test]
    fn deadlines_kept_are_the_report_decided_in_time_over_decided_or_not_counted() {
        let with = report(&[
            ("A", &[(DECIDED, 8, 5), (DECIDED_IN_TIME, 6, 5), ("theft", 1, 1)]),
            ("B", &[(DECIDED, 0, 2), (DECIDED_IN_TIME, 0, 2), ("theft", 1, 1)]),
        ]);
        let b = brief(&request(&["theft"], &["A", "B"]), &with).unwrap();
        let a = b.unit(&code("A")).unwrap().deadlines_kept;
        assert_eq!(a, DeadlinesKept::Counted { in_time: 6, decided: 8 });
        assert_eq!(a.percent(), Some(75.0));
        let none_decided = b.unit(&code("B")).unwrap().deadlines_kept;
        assert_eq!((none_decided, none_decided.percent()), (DeadlinesKept::Counted { in_time: 0, decided: 0 }, None));

        let without = report(&[("A", &[("theft", 1, 1)])]);
        let b = brief(&request(&["theft"], &["A"]), &without).unwrap();
        assert_eq!(b.unit(&code("A")).unwrap().deadlines_kept, DeadlinesKept::NotCounted);
    }

    #[test]
    fn tasks_are_the_callers_and_a_unit_without_them_shows_none_given() {
        let r = report(&[("A", &[("theft", 1, 1)]), ("B", &[("theft", 2, 1)])]);
        let mut req = request(&["theft"], &["A", "B"]);
        req.tasks.insert(code("B"), UnitTasks { open: 5, overdue: 2 });
        let b = brief(&req, &r).unwrap();
        assert_eq!(b.unit(&code("B")).unwrap().tasks, Some(UnitTasks { open: 5, overdue: 2 }));
        assert_eq!(b.unit(&code("A")).unwrap().tasks, None);
        assert_eq!((b.position, b.counting_rules.as_str(), b.catalogue.as_str()), (42, "rules-1", "cat-1"));
    }

    #[test]
    fn an_agenda_is_a_topic_and_codes_a_line_the_codes_after_the_last_colon() {
        let items = parse_agenda("Theft: results: theft, robbery\n\n  Roads:traffic_accidents ; Empty:").unwrap();
        let shown: Vec<_> = items.iter().map(|i| (i.topic.as_str(), i.indicators.join("|"))).collect();
        assert_eq!(
            shown,
            [
                ("Theft: results", "theft|robbery".to_string()),
                ("Roads", "traffic_accidents".into()),
                ("Empty", "".into())
            ]
        );
        let refused = parse_agenda("Theft: theft\nno colon here").unwrap_err().0;
        assert_eq!(
            (refused[0].field.as_str(), refused[0].rule.as_str(), refused[0].param("line")),
            ("agenda", "agenda.line", Some("2"))
        );
        let many = (0..=MAX_ITEMS).map(|i| format!("T{i}: theft")).collect::<Vec<_>>().join("\n");
        assert_eq!(parse_agenda(&many).unwrap_err().0[0].rule, "list.too_long");
    }

    #[test]
    fn units_are_codes_between_commas_or_spaces() {
        let units = parse_units(" BAK-NSM, GNC  BAK-YAS,").unwrap();
        assert_eq!(units, [code("BAK-NSM"), code("GNC"), code("BAK-YAS")]);
        let refused = parse_units("BAK-NSM, bak nsm").unwrap_err().0;
        assert!(refused.iter().all(|v| v.field == "units") && refused.len() == 2, "{refused:?}");
    }

    #[test]
    fn every_problem_of_a_request_is_named_by_its_field() {
        let mut r = report(&[("A", &[("theft", 1, 1)])]);
        r.units[1].figures.push(Figure { group: vec!["x".into()], ..figure("by_category/x", 1, 0) });
        r.units[0].figures.push(Figure { group: vec!["x".into()], ..figure("by_category/x", 1, 0) });
        let mut req = request(&["theft", "nope", "theft", "by_category/x"], &["A", "ZZ", "A"]);
        req.items.push(BriefingItem { topic: " ".into(), indicators: vec![] });
        let found: Vec<_> = brief(&req, &r).unwrap_err().0.into_iter().map(|v| (v.field, v.rule)).collect();
        let expected = [
            ("items[0].indicators[1]", "indicator.unknown"),
            ("items[0].indicators[2]", "list.duplicate"),
            ("items[0].indicators[3]", "indicator.unknown"),
            ("items[1].topic", "text.required"),
            ("items[1].indicators", "text.required"),
            ("units[1]", "unit.unknown"),
            ("units[2]", "list.duplicate"),
        ];
        let expected: Vec<_> = expected.iter().map(|(f, r)| (f.to_string(), r.to_string())).collect();
        assert_eq!(found, expected);
        let empty = BriefingRequest { items: vec![], units: vec![], ..request(&[], &[]) };
        let found: Vec<_> = brief(&empty, &r).unwrap_err().0.into_iter().map(|v| v.field).collect();
        assert_eq!(found, ["items", "units"]);
    }
}
