//! The report as JSON: the report's stamp, each indicator's and share's
//! name and method once (in the language asked for), each unit's figures by
//! indicator code, and the narrative, so that one document serves both a
//! program and a reader. Compact: a country's report is read by programs far
//! more often than by eyes, and whitespace was a third of its bytes.

use crate::narrative::narrative;
use crate::{Lang, name_in};
use crimeboard_domain::units::UnitCode;
use crimeboard_stats::board::BoardReport;
use crimeboard_stats::compare::Change;
use crimeboard_stats::indicators::ValueUnit;
use crimeboard_stats::period::Period;
use serde::Serialize;
use std::collections::HashSet;

#[derive(Serialize)]
struct Document<'a> {
    lang: Lang,
    period: Period,
    previous: Period,
    position: i64,
    counting_rules: &'a str,
    catalogue: &'a str,
    catalogue_illustrative: bool,
    /// What amounts (`unit` `qepik`) are counted in: whole minor units of this currency.
    currency: CurrencyEntry<'a>,
    /// What each figure's code counts, once for the whole report.
    indicators: Vec<IndicatorEntry<'a>>,
    /// What each share's code divides, once for the whole report.
    shares: Vec<ShareEntry<'a>>,
    units: Vec<UnitEntry<'a>>,
    narrative: String,
}

#[derive(Serialize)]
struct CurrencyEntry<'a> {
    code: &'a str,
    symbol: &'a str,
    minor_units: u8,
}

#[derive(Serialize)]
struct IndicatorEntry<'a> {
    code: &'a str,
    name: &'a str,
    unit: ValueUnit,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    group: &'a [String],
}

#[derive(Serialize)]
struct ShareEntry<'a> {
    code: &'a str,
    name: &'a str,
    method: &'a str,
}

#[derive(Serialize)]
struct UnitEntry<'a> {
    unit: &'a UnitCode,
    name: &'a str,
    parent: Option<&'a UnitCode>,
    figures: Vec<FigureEntry<'a>>,
    shares: Vec<ShareValue<'a>>,
}

#[derive(Serialize)]
struct FigureEntry<'a> {
    code: &'a str,
    change: &'a Change,
}

#[derive(Serialize)]
struct ShareValue<'a> {
    code: &'a str,
    current: Option<f64>,
    previous: Option<f64>,
}

fn document(report: &BoardReport, lang: Lang) -> Document<'_> {
    let (mut indicators, mut shares) = (Vec::new(), Vec::new());
    let (mut seen_figures, mut seen_shares) = (HashSet::new(), HashSet::new());
    for unit in &report.units {
        for f in unit.figures.iter().filter(|f| seen_figures.insert(f.code.as_str())) {
            indicators.push(IndicatorEntry {
                code: &f.code,
                name: name_in(&f.name, lang, &report.name_fallback),
                unit: f.unit,
                group: &f.group,
            });
        }
        for s in unit.shares.iter().filter(|s| seen_shares.insert(s.code.as_str())) {
            shares.push(ShareEntry {
                code: &s.code,
                name: name_in(&s.name, lang, &report.name_fallback),
                method: name_in(&s.method, lang, &report.name_fallback),
            });
        }
    }
    let units = report
        .units
        .iter()
        .map(|u| UnitEntry {
            unit: &u.unit,
            name: name_in(&u.name, lang, &report.name_fallback),
            parent: u.parent.as_ref(),
            figures: u.figures.iter().map(|f| FigureEntry { code: &f.code, change: &f.change }).collect(),
            shares: u
                .shares
                .iter()
                .map(|s| ShareValue { code: &s.code, current: s.current, previous: s.previous })
                .collect(),
        })
        .collect();
    Document {
        lang,
        period: report.period,
        previous: report.previous,
        position: report.position,
        counting_rules: &report.counting_rules,
        catalogue: &report.catalogue,
        catalogue_illustrative: report.catalogue_illustrative,
        currency: CurrencyEntry {
            code: &report.currency.code,
            symbol: &report.currency.symbol,
            minor_units: report.currency.minor_units,
        },
        indicators,
        shares,
        units,
        narrative: narrative(report, lang),
    }
}

pub fn json(report: &BoardReport, lang: Lang) -> Vec<u8> {
    // The report has only string keys and writes non-finite numbers as null,
    // so serialising cannot fail; should it ever, say so in JSON.
    serde_json::to_vec(&document(report, lang))
        .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string().into_bytes())
}
