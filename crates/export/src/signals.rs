//! The signs of under-recording for people (`crimeboard_stats::signals`):
//! each signal as its question, the units worth asking about named in the
//! report's order, and every signal's units as one table for CSV and the
//! workbook. Worded as questions for an inspector, never as ranks.

use crate::locale::{Args, catalog};
use crate::sheet::Cell;
use crate::{Lang, RenderError, name_in};
use crimeboard_stats::board::BoardReport;
use crimeboard_stats::signals::SignalReading;

/// The signal's question in the language asked for.
pub fn question<'a>(report: &BoardReport, signal: &'a SignalReading, lang: Lang) -> &'a str {
    name_in(&signal.question, lang, &report.name_fallback)
}

/// The units beyond the limits on the side the question asks about, in one
/// sentence: "Worth asking about: Nasimi, Yasamal.", or that none is.
pub fn worth_asking(report: &BoardReport, signal: &SignalReading, lang: Lang) -> String {
    let c = catalog(lang);
    if signal.worth_asking.is_empty() {
        return c.text("signal.none").to_string();
    }
    let names: Vec<String> = signal.worth_asking.iter().map(|u| unit_name(report, u, lang)).collect();
    c.fill("signal.worth_asking", &Args::new().text("units", c.list(&names)))
}

fn unit_name(report: &BoardReport, code: &str, lang: Lang) -> String {
    let unit = report.units.iter().find(|u| u.unit.as_str() == code);
    unit.map_or(code, |u| name_in(&u.name, lang, &report.name_fallback)).to_string()
}

/// Every signal's units, one row each (the units left out too), in the
/// rules' order and the report's: the header and the rows.
pub fn table(report: &BoardReport, signals: &[SignalReading], lang: Lang) -> (Vec<String>, Vec<Vec<Cell>>) {
    let c = catalog(lang);
    let header = [
        "signal.code_column",
        "signal.question_column",
        "table.unit_name",
        "funnel.numerator_column",
        "funnel.denominator_column",
        "funnel.share_column",
        "signal.target_column",
        "funnel.band_column",
        "signal.worth_column",
    ]
    .map(|key| c.text(key).to_string())
    .to_vec();
    let mut rows = Vec::new();
    for s in signals {
        let target = s.funnel.target.map_or(Cell::Text(String::new()), |t| Cell::Number(t * 100.0));
        for p in &s.funnel.points {
            let worth = if s.worth_asking.contains(&p.unit) { c.text("signal.yes") } else { "" };
            rows.push(vec![
                Cell::from(s.code.as_str()),
                Cell::from(question(report, s, lang)),
                Cell::from(unit_name(report, &p.unit, lang)),
                Cell::Number(p.numerator as f64),
                Cell::Number(p.denominator as f64),
                Cell::Number(p.share * 100.0),
                target.clone(),
                Cell::from(c.text(&format!("funnel.band.{}", p.band.as_str()))),
                Cell::from(worth),
            ]);
        }
        for e in &s.funnel.excluded {
            rows.push(vec![
                Cell::from(s.code.as_str()),
                Cell::from(question(report, s, lang)),
                Cell::from(unit_name(report, &e.unit, lang)),
                Cell::Number(e.numerator as f64),
                Cell::Number(e.denominator as f64),
                Cell::from(""),
                target.clone(),
                Cell::from(c.text("funnel.band.no_denominator")),
                Cell::from(""),
            ]);
        }
    }
    (header, rows)
}

/// The table as CSV.
pub fn csv(report: &BoardReport, signals: &[SignalReading], lang: Lang) -> Vec<u8> {
    let (header, rows) = table(report, signals, lang);
    crate::sheet::csv(&header, &rows)
}

/// The table as a workbook of one sheet.
pub fn xlsx(report: &BoardReport, signals: &[SignalReading], lang: Lang) -> Result<Vec<u8>, RenderError> {
    let (header, rows) = table(report, signals, lang);
    crate::sheet::xlsx(catalog(lang).text("signal.sheet"), &header, &rows)
}
