//! The figures as rows, one per (unit, indicator) and per (unit, share), the
//! scope's rows first: the common ground of the CSV and the spreadsheet.
//! Money is shown in the jurisdiction pack's currency (its units, not the
//! minor units stored) and weights in kilograms, so every value column reads
//! in the unit named beside it.

use crate::locale::{Catalog, catalog};
use crate::{Lang, name_in};
use crimeboard_domain::jurisdiction::Currency;
use crimeboard_domain::units::Language;
use crimeboard_stats::board::{BoardReport, Figure, Share, UnitFigures};
use crimeboard_stats::indicators::ValueUnit;

/// What a row's values are measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Count,
    /// The currency's units, with this many decimal places.
    Money {
        minor_units: u8,
    },
    Kilogram,
    /// Per cent; the absolute change is in percentage points.
    Share,
}

impl Measure {
    pub(crate) fn of(unit: ValueUnit, currency: &Currency) -> Measure {
        match unit {
            ValueUnit::Number => Measure::Count,
            ValueUnit::Qepik => Measure::Money { minor_units: currency.minor_units },
            ValueUnit::Grams => Measure::Kilogram,
        }
    }

    /// What the values are measured in, as the column beside them names it.
    pub(crate) fn label<'a>(self, c: &'a Catalog, currency: &'a Currency, fallback: &[Language]) -> &'a str {
        match self {
            Measure::Count => c.text("table.count"),
            Measure::Money { .. } => name_in(&currency.unit, c.lang(), fallback),
            Measure::Kilogram => c.text("table.kg"),
            Measure::Share => c.text("table.share"),
        }
    }

    /// A stored amount (minor units of money, grams) in the unit shown.
    pub(crate) fn shown(self, stored: i64) -> f64 {
        match self {
            Measure::Money { minor_units } => stored as f64 / 10f64.powi(i32::from(minor_units)),
            Measure::Kilogram => stored as f64 / 1_000.0,
            Measure::Count | Measure::Share => stored as f64,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub unit_code: &'a str,
    pub unit_name: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    pub measure: Measure,
    /// What `measure` is called in the report's language: "manat", "kg".
    pub measure_label: &'a str,
    pub current: Option<f64>,
    pub previous: Option<f64>,
    pub absolute: Option<f64>,
    pub percent: Option<f64>,
    pub significant: Option<bool>,
}

/// The column headers, in the order `Row` fills them.
pub const HEADER_KEYS: [&str; 10] = [
    "table.unit_code",
    "table.unit_name",
    "table.indicator_code",
    "table.indicator",
    "table.measure",
    "table.current",
    "table.previous",
    "table.absolute",
    "table.percent",
    "table.significant",
];

pub fn rows(report: &BoardReport, lang: Lang) -> Vec<Row<'_>> {
    report.units.iter().flat_map(|unit| unit_rows(unit, report, lang)).collect()
}

fn unit_rows<'a>(unit: &'a UnitFigures, report: &'a BoardReport, lang: Lang) -> impl Iterator<Item = Row<'a>> {
    let figures = unit.figures.iter().map(move |f| figure_row(unit, f, report, lang));
    let shares = unit.shares.iter().map(move |s| share_row(unit, s, &report.name_fallback, lang));
    figures.chain(shares)
}

fn figure_row<'a>(unit: &'a UnitFigures, f: &'a Figure, report: &'a BoardReport, lang: Lang) -> Row<'a> {
    let measure = Measure::of(f.unit, &report.currency);
    let c = &f.change;
    let fallback = &report.name_fallback;
    Row {
        measure_label: measure.label(catalog(lang), &report.currency, &report.name_fallback),
        unit_code: unit.unit.as_str(),
        unit_name: name_in(&unit.name, lang, fallback),
        code: &f.code,
        name: name_in(&f.name, lang, fallback),
        measure,
        current: Some(measure.shown(c.current)),
        previous: Some(measure.shown(c.previous)),
        absolute: Some(measure.shown(c.absolute)),
        percent: c.percent.map(one_decimal),
        significant: c.significant,
    }
}

fn share_row<'a>(unit: &'a UnitFigures, s: &'a Share, fallback: &[Language], lang: Lang) -> Row<'a> {
    let points = s.current.zip(s.previous).map(|(now, before)| one_decimal(now - before));
    Row {
        unit_code: unit.unit.as_str(),
        unit_name: name_in(&unit.name, lang, fallback),
        code: &s.code,
        name: name_in(&s.name, lang, fallback),
        measure: Measure::Share,
        measure_label: catalog(lang).text("table.share"),
        current: s.current.map(one_decimal),
        previous: s.previous.map(one_decimal),
        absolute: points,
        percent: None,
        significant: None,
    }
}

/// Rounded as the narrative prints it; never "-0".
pub(crate) fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0 + 0.0
}
