//! The briefing pack as an Excel workbook: a sheet of the agenda items'
//! figures, a line per item, unit and indicator (numbers as numbers), and a
//! sheet of the units' tasks and deadlines kept, ending with the stamp of
//! rules, catalogue and journal position.

use super::{cell_text, number_format};
use crate::Lang;
use crate::briefing::{deadlines_texts, figure_lines, tasks_texts, unit_lines};
use crate::locale::{Args, Catalog, catalog};
use crimeboard_stats::briefing::{Briefing, DeadlinesKept};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

const ITEM_HEADERS: [&str; 13] = [
    "briefing.topic",
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
    "briefing.rank",
    "briefing.rank_of",
];

const UNIT_HEADERS: [&str; 6] = [
    "table.unit_code",
    "table.unit_name",
    "briefing.tasks_open",
    "briefing.tasks_overdue",
    "briefing.deadlines_kept",
    "briefing.decided",
];

pub fn xlsx(b: &Briefing, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let c = catalog(lang);
    let mut workbook = Workbook::new();
    workbook.push_worksheet(items_sheet(b, lang, c)?);
    workbook.push_worksheet(units_sheet(b, lang, c)?);
    workbook.save_to_buffer()
}

fn header(sheet: &mut Worksheet, c: &Catalog, keys: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (col, key) in keys.iter().enumerate() {
        // The rank's peers are headed by what they count, not by the template.
        let text = if *key == "briefing.rank_of" { String::new() } else { c.text(key).to_string() };
        sheet.write_string_with_format(0, col as u16, cell_text(&text), &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn items_sheet(b: &Briefing, lang: Lang, c: &Catalog) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(c.text("briefing.sheet_items"))?;
    header(&mut sheet, c, &ITEM_HEADERS)?;
    let mut r = 1;
    for item in &b.items {
        for l in figure_lines(b, item, lang, c) {
            let texts = [item.topic.as_str(), l.unit_code, l.unit_name, l.code, l.name, l.measure_label];
            for (col, text) in texts.into_iter().enumerate() {
                sheet.write_string(r, col as u16, cell_text(text))?;
            }
            let value_format = number_format(l.measure);
            for (col, v) in [l.current, l.previous, l.absolute].into_iter().enumerate() {
                sheet.write_number_with_format(r, (6 + col) as u16, v, &value_format)?;
            }
            if let Some(p) = l.percent {
                sheet.write_number_with_format(r, 9, p, &Format::new().set_num_format("0.0"))?;
            }
            match l.significant {
                Some(true) => sheet.write_string(r, 10, c.text("table.yes"))?,
                Some(false) => sheet.write_string(r, 10, c.text("table.no"))?,
                None => &mut sheet,
            };
            sheet.write_number(r, 11, l.rank.place as f64)?;
            sheet.write_string(r, 12, cell_text(&crate::briefing::rank_text(c, l.rank)))?;
            r += 1;
        }
    }
    for (col, width) in
        [28.0, 12.0, 32.0, 24.0, 40.0, 10.0, 14.0, 14.0, 12.0, 10.0, 12.0, 8.0, 12.0].into_iter().enumerate()
    {
        sheet.set_column_width(col as u16, width)?;
    }
    Ok(sheet)
}

fn units_sheet(b: &Briefing, lang: Lang, c: &Catalog) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(c.text("briefing.sheet_units"))?;
    header(&mut sheet, c, &UNIT_HEADERS)?;
    let mut r = 1;
    for u in unit_lines(b, lang) {
        sheet.write_string(r, 0, cell_text(u.unit_code))?;
        sheet.write_string(r, 1, cell_text(u.unit_name))?;
        match u.tasks {
            Some(t) => {
                sheet.write_number(r, 2, f64::from(t.open))?;
                sheet.write_number(r, 3, f64::from(t.overdue))?;
            }
            None => {
                let [open, overdue] = tasks_texts(c, None);
                sheet.write_string(r, 2, cell_text(&open))?;
                sheet.write_string(r, 3, cell_text(&overdue))?;
            }
        }
        let [kept, of] = deadlines_texts(c, u.deadlines_kept);
        match (u.deadlines_kept, u.deadlines_kept.percent()) {
            (DeadlinesKept::Counted { .. }, Some(p)) => sheet.write_number_with_format(
                r,
                4,
                crate::table::one_decimal(p),
                &Format::new().set_num_format("0.0"),
            )?,
            _ => sheet.write_string(r, 4, cell_text(&kept))?,
        };
        sheet.write_string(r, 5, cell_text(&of))?;
        r += 1;
    }
    let stamp = c.fill(
        "pdf.stamp",
        &Args::new()
            .text("rules", b.counting_rules.as_str())
            .text("catalogue", b.catalogue.as_str())
            .text("position", b.position.to_string()),
    );
    sheet.write_string(r + 1, 0, cell_text(&stamp))?;
    for (col, width) in [12.0, 36.0, 14.0, 14.0, 14.0, 18.0].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{entry, seed_briefing, unzip};

    #[test]
    fn the_briefing_workbook_has_the_items_figures_and_the_units() {
        let bytes = xlsx(&seed_briefing(), Lang::En).unwrap();
        let mut archive = unzip(&bytes);
        let workbook = entry(&mut archive, "xl/workbook.xml");
        assert!(workbook.contains("name=\"Agenda items\"") && workbook.contains("name=\"Units\""), "{workbook}");
        let items = entry(&mut archive, "xl/worksheets/sheet1.xml");
        for figure in ["<v>5000</v>", "<v>5500</v>", "<v>3930</v>", "<v>400</v>", "<v>520</v>"] {
            assert!(items.contains(figure), "{figure} in the items sheet");
        }
        let units = entry(&mut archive, "xl/worksheets/sheet2.xml");
        assert!(units.contains("<v>4</v>") && units.contains("<v>95</v>"), "{units}");
        let strings = entry(&mut archive, "xl/sharedStrings.xml");
        for text in
            ["Oğurluqlar", "Yasamal District Police Department", "not given", "none decided", "journal position 12345"]
        {
            assert!(strings.contains(text), "{text} in {strings}");
        }
    }
}
