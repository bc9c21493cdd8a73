//! The report as an Excel workbook: a sheet of figures laid out like the
//! CSV (numbers as numbers, so they can be summed and charted), a sheet
//! with the narrative, a paragraph a row, and, when the counting rules mark
//! shares for a funnel plot and the scope has units below it, a sheet of
//! each such share's units with their limits and bands (the plots' tables).

use crate::Lang;
use crate::locale::{Args, Catalog, catalog};
use crate::narrative::narrative;
use crate::table::{HEADER_KEYS, Measure, Row, rows};
use crimeboard_stats::board::{BoardReport, Share};
use crimeboard_stats::funnel::{Exclusion, Funnel};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

pub mod briefing;

/// Rows a sheet holds (Excel's limit), the header included.
const SHEET_ROWS: usize = 1_048_576;
/// Characters (UTF-16 units) a cell holds.
const CELL_TEXT: usize = 32_767;

pub fn xlsx(report: &BoardReport, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let c = catalog(lang);
    let mut workbook = Workbook::new();
    workbook.push_worksheet(figures_sheet(report, lang, c)?);
    workbook.push_worksheet(narrative_sheet(report, lang, c)?);
    if let Some(sheet) = funnel_sheet(report, lang, c)? {
        workbook.push_worksheet(sheet);
    }
    if let Some(sheet) = it_sheet(report, lang, c)? {
        workbook.push_worksheet(sheet);
    }
    workbook.save_to_buffer()
}

fn figures_sheet(report: &BoardReport, lang: Lang, c: &Catalog) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(c.text("sheet.figures"))?;
    let bold = Format::new().set_bold();
    for (col, key) in HEADER_KEYS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, cell_text(c.text(key)), &bold)?;
    }
    let all = rows(report, lang);
    // One row is kept for the note on what did not fit.
    let room = SHEET_ROWS - 2;
    for (i, row) in all.iter().take(room).enumerate() {
        write_row(&mut sheet, i as u32 + 1, row, c)?;
    }
    if all.len() > room {
        let note = c.fill("table.truncated", &Args::new().text("rows", (all.len() - room).to_string()));
        sheet.write_string((room + 1) as u32, 0, cell_text(&note))?;
    }
    for (col, width) in [14.0, 36.0, 28.0, 48.0, 10.0, 14.0, 14.0, 12.0, 10.0, 12.0].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

fn write_row(sheet: &mut Worksheet, r: u32, row: &Row, c: &Catalog) -> Result<(), XlsxError> {
    let texts = [row.unit_code, row.unit_name, row.code, row.name, row.measure_label];
    for (col, text) in texts.into_iter().enumerate() {
        sheet.write_string(r, col as u16, cell_text(text))?;
    }
    let value_format = number_format(row.measure);
    let values = [row.current, row.previous, row.absolute];
    for (col, value) in values.into_iter().enumerate() {
        if let Some(v) = value {
            sheet.write_number_with_format(r, (5 + col) as u16, v, &value_format)?;
        }
    }
    if let Some(p) = row.percent {
        sheet.write_number_with_format(r, 8, p, &Format::new().set_num_format("0.0"))?;
    }
    let significant = match row.significant {
        Some(true) => c.text("table.yes"),
        Some(false) => c.text("table.no"),
        None => "",
    };
    if !significant.is_empty() {
        sheet.write_string(r, 9, significant)?;
    }
    Ok(())
}

/// The section on crimes committed with information technologies: the
/// figures sheet's rows of its figures, for the scope and each unit
/// directly below it; none when the report page and the PDF have no such
/// section.
fn it_sheet(report: &BoardReport, lang: Lang, c: &Catalog) -> Result<Option<Worksheet>, XlsxError> {
    if crate::it::tables(report, lang).is_empty() {
        return Ok(None);
    }
    let shown: Vec<&str> = crate::it::units(report).iter().map(|u| u.unit.as_str()).collect();
    let it_rows: Vec<Row> = rows(report, lang)
        .into_iter()
        .filter(|r| shown.contains(&r.unit_code) && crate::it::is_it_code(r.code))
        .collect();
    if it_rows.is_empty() {
        return Ok(None);
    }
    let mut sheet = Worksheet::new();
    sheet.set_name(c.text("it.sheet"))?;
    let bold = Format::new().set_bold();
    for (col, key) in HEADER_KEYS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, cell_text(c.text(key)), &bold)?;
    }
    for (i, row) in it_rows.iter().enumerate() {
        write_row(&mut sheet, i as u32 + 1, row, c)?;
    }
    for (col, width) in [14.0, 36.0, 20.0, 48.0, 10.0, 14.0, 14.0, 12.0, 10.0, 12.0].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(Some(sheet))
}

/// Display formats; the spreadsheet program applies the reader's own separators.
fn number_format(measure: Measure) -> Format {
    let pattern = match measure {
        Measure::Count | Measure::Money { minor_units: 0 } => "#,##0".to_string(),
        Measure::Money { minor_units } => format!("#,##0.{}", "0".repeat(usize::from(minor_units))),
        // "#,##0.###" would leave a bare decimal point on whole kilograms.
        Measure::Kilogram => "General".to_string(),
        Measure::Share => "0.0".to_string(),
    };
    Format::new().set_num_format(pattern)
}

fn narrative_sheet(report: &BoardReport, lang: Lang, c: &Catalog) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(c.text("sheet.narrative"))?;
    sheet.set_column_width(0, 120.0)?;
    let wrap = Format::new().set_text_wrap();
    let text = narrative(report, lang);
    for (r, paragraph) in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        sheet.write_string_with_format(r as u32, 0, cell_text(paragraph), &wrap)?;
    }
    Ok(sheet)
}

/// Columns of the funnel sheet: the share, the unit, its counts, its share,
/// the target and the limits at its denominator (per cent), and its band.
const FUNNEL_HEADER_KEYS: [&str; 13] = [
    "table.indicator_code",
    "table.indicator",
    "table.unit_code",
    "table.unit_name",
    "funnel.numerator_column",
    "funnel.denominator_column",
    "funnel.share_column",
    "funnel.target_column",
    "funnel.low_998_column",
    "funnel.low_95_column",
    "funnel.high_95_column",
    "funnel.high_998_column",
    "funnel.band_column",
];

/// A row per unit below the scope of each share marked for a funnel plot,
/// in the report's order; a unit left out has its counts and why. None
/// when there is no such share or no unit below.
fn funnel_sheet(report: &BoardReport, lang: Lang, c: &Catalog) -> Result<Option<Worksheet>, XlsxError> {
    let funnels: Vec<(&Share, Funnel)> = report
        .funnel_shares()
        .filter_map(|s| report.funnel(&s.code).map(|f| (s, f)))
        .filter(|(_, f)| !f.points.is_empty() || !f.excluded.is_empty())
        .collect();
    if funnels.is_empty() {
        return Ok(None);
    }
    let mut sheet = Worksheet::new();
    sheet.set_name(c.text("funnel.sheet"))?;
    let bold = Format::new().set_bold();
    for (col, key) in FUNNEL_HEADER_KEYS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, cell_text(c.text(key)), &bold)?;
    }
    let per_cent = Format::new().set_num_format("0.0");
    let unit_name = |code: &str| {
        let unit = report.units.iter().find(|u| u.unit.as_str() == code);
        unit.map_or(code.to_string(), |u| crate::name_in(&u.name, lang, &report.name_fallback).to_string())
    };
    let mut r = 1;
    for (share, funnel) in &funnels {
        let share_name = crate::name_in(&share.name, lang, &report.name_fallback);
        for p in &funnel.points {
            for (col, text) in
                [share.code.as_str(), share_name, p.unit.as_str(), &unit_name(&p.unit)].into_iter().enumerate()
            {
                sheet.write_string(r, col as u16, cell_text(text))?;
            }
            sheet.write_number(r, 4, p.numerator as f64)?;
            sheet.write_number(r, 5, p.denominator as f64)?;
            let limits = funnel.limits_at(p.denominator);
            let values = [
                Some(p.share),
                funnel.target,
                limits.map(|l| l.low_998),
                limits.map(|l| l.low_95),
                limits.map(|l| l.high_95),
                limits.map(|l| l.high_998),
            ];
            for (col, value) in values.into_iter().enumerate() {
                if let Some(v) = value {
                    sheet.write_number_with_format(r, (6 + col) as u16, v * 100.0, &per_cent)?;
                }
            }
            sheet.write_string(r, 12, c.text(&format!("funnel.band.{}", p.band.as_str())))?;
            r += 1;
        }
        for e in &funnel.excluded {
            for (col, text) in
                [share.code.as_str(), share_name, e.unit.as_str(), &unit_name(&e.unit)].into_iter().enumerate()
            {
                sheet.write_string(r, col as u16, cell_text(text))?;
            }
            sheet.write_number(r, 4, e.numerator as f64)?;
            sheet.write_number(r, 5, e.denominator as f64)?;
            let why = match e.why {
                Exclusion::NoDenominator => "funnel.band.no_denominator",
                Exclusion::NotAShare => "funnel.band.not_a_share",
            };
            sheet.write_string(r, 12, c.text(why))?;
            r += 1;
        }
    }
    for (col, width) in
        [16.0, 28.0, 14.0, 36.0, 12.0, 12.0, 10.0, 10.0, 12.0, 12.0, 12.0, 12.0, 24.0].into_iter().enumerate()
    {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(Some(sheet))
}

/// The text cut to what a cell holds, which only a runaway name could exceed.
pub(crate) fn cell_text(text: &str) -> &str {
    let mut units = 0;
    for (i, ch) in text.char_indices() {
        units += ch.len_utf16();
        if units > CELL_TEXT {
            return &text[..i];
        }
    }
    text
}
