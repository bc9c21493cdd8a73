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
        let unit_name = b.unit(&row.unit).map_or("", |u| name_in(&u.name, lang, &b.name_fallback));
        for (f, indicator) in row.figures.iter().zip(&item.indicators) {
            let measure = Measure::of(indicator.unit, &b.currency);
            lines.push(FigureLine {
                unit_code: row.unit.as_str(),
                unit_name,
                code: &f.code,
                name: name_in(&indicator.name, lang, &b.name_fallback),
                measure,
                measure_label: measure.label(c, &b.currency, &b.name_fallback),
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
            unit_name: name_in(&u.name, lang, &b.name_fallback),
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

/// The pack as JSON: its stamp, the units with their tasks and deadlines
/// kept (`null`: not given, not counted), and each item's indicators (named
/// once, in the language asked for) and rows of figures by code.
pub(crate) fn json(b: &Briefing, lang: Lang) -> Vec<u8> {
    let document = Document {
        lang: lang.code(),
        period: Span { from: b.period.from, to: b.period.to },
        previous: Span { from: b.previous.from, to: b.previous.to },
        position: b.position,
        counting_rules: &b.counting_rules,
        catalogue: &b.catalogue,
        catalogue_illustrative: b.catalogue_illustrative,
        currency: CurrencyJson {
            code: &b.currency.code,
            symbol: &b.currency.symbol,
            minor_units: b.currency.minor_units,
        },
        units: b
            .units
            .iter()
            .map(|u| UnitJson {
                unit: u.unit.as_str(),
                name: name_in(&u.name, lang, &b.name_fallback),
                parent: u.parent.as_ref().map(|p| p.as_str()),
                tasks: u.tasks,
                deadlines_kept: match u.deadlines_kept {
                    DeadlinesKept::NotCounted => None,
                    kept @ DeadlinesKept::Counted { in_time, decided } => {
                        Some(KeptJson { in_time, decided, percent: kept.percent() })
                    }
                },
            })
            .collect(),
        items: b
            .items
            .iter()
            .map(|item| ItemJson {
                topic: &item.topic,
                indicators: item
                    .indicators
                    .iter()
                    .map(|i| IndicatorJson {
                        code: &i.code,
                        name: name_in(&i.name, lang, &b.name_fallback),
                        unit: i.unit,
                    })
                    .collect(),
                rows: &item.rows,
            })
            .collect(),
    };
    serde_json::to_vec(&document).expect("a briefing serialises")
}

#[derive(serde::Serialize)]
struct Document<'a> {
    lang: &'static str,
    period: Span,
    previous: Span,
    position: i64,
    counting_rules: &'a str,
    catalogue: &'a str,
    catalogue_illustrative: bool,
    currency: CurrencyJson<'a>,
    units: Vec<UnitJson<'a>>,
    items: Vec<ItemJson<'a>>,
}

#[derive(serde::Serialize)]
struct Span {
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
}

#[derive(serde::Serialize)]
struct CurrencyJson<'a> {
    code: &'a str,
    symbol: &'a str,
    minor_units: u8,
}

#[derive(serde::Serialize)]
struct UnitJson<'a> {
    unit: &'a str,
    name: &'a str,
    parent: Option<&'a str>,
    tasks: Option<UnitTasks>,
    deadlines_kept: Option<KeptJson>,
}

#[derive(serde::Serialize)]
struct KeptJson {
    in_time: i64,
    decided: i64,
    percent: Option<f64>,
}

#[derive(serde::Serialize)]
struct ItemJson<'a> {
    topic: &'a str,
    indicators: Vec<IndicatorJson<'a>>,
    rows: &'a [crimeboard_stats::briefing::ItemRow],
}

#[derive(serde::Serialize)]
struct IndicatorJson<'a> {
    code: &'a str,
    name: &'a str,
    unit: crimeboard_stats::indicators::ValueUnit,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::seed_briefing;

    #[test]
    fn the_json_names_each_indicator_once_and_says_null_for_what_is_not_given() {
        let doc: serde_json::Value = serde_json::from_slice(&json(&seed_briefing(), Lang::Ru)).unwrap();
        assert_eq!((doc["lang"].as_str(), doc["position"].as_i64()), (Some("ru"), Some(12_345)));
        let item = &doc["items"][0];
        assert_eq!(item["indicators"][0]["name"], "Зарегистрировано преступлений");
        let nasimi = &item["rows"][0]["figures"][0];
        assert_eq!(
            (nasimi["change"]["current"].as_i64(), nasimi["change"]["previous"].as_i64()),
            (Some(5000), Some(5500))
        );
        assert_eq!(nasimi["rank"], serde_json::json!({"place": 1, "of": 2}));
        assert_eq!(doc["units"][0]["tasks"], serde_json::json!({"open": 4, "overdue": 1}));
        assert_eq!(
            doc["units"][0]["deadlines_kept"],
            serde_json::json!({"in_time": 3800, "decided": 4000, "percent": 95.0})
        );
        assert!(doc["units"][1]["tasks"].is_null());
        assert_eq!(doc["units"][1]["deadlines_kept"]["percent"], serde_json::Value::Null);
    }
}
