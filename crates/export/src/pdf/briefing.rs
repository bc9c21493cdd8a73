//! The briefing pack as a printable A4 PDF, in the report's layout and
//! fonts: the title and the period, per agenda item a table of its units
//! and indicators (the figure, the year before, the change, beyond chance,
//! the rank), then the units' tasks and deadlines kept, the rules the
//! columns follow, and the stamp of rules, catalogue and journal position
//! on every page.

use super::{Column, Face, Fonts, Layout, PdfError, Style, TABLE_LEADING, TABLE_SIZE, fit_columns, number, write_pdf};
use crate::Lang;
use crate::briefing::{deadlines_texts, figure_lines, rank_text, tasks_texts, unit_lines};
use crate::locale::{Args, Catalog, catalog};
use crate::period_phrase::date;
use crimeboard_stats::briefing::Briefing;

pub fn pdf(b: &Briefing, lang: Lang) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let c = catalog(lang);
    let mut layout = Layout::new(&fonts);
    let title = c.text("briefing.title");
    layout.paragraph(title, Style { face: Face::Bold, size: 18.0, leading: 24.0, colour: super::INK });
    layout.gap(4.0);
    let args = Args::new()
        .text("from", date(c, b.period.from))
        .text("to", date(c, b.period.to))
        .text("previous_from", date(c, b.previous.from))
        .text("previous_to", date(c, b.previous.to));
    layout.paragraph(&c.fill("pdf.period", &args), Style::body());
    for (i, item) in b.items.iter().enumerate() {
        layout.gap(10.0);
        let number = (i + 1).to_string();
        layout
            .heading(&c.fill("briefing.item", &Args::new().text("number", number).text("topic", item.topic.as_str())));
        let rows: Vec<Vec<String>> = figure_lines(b, item, lang, c).iter().map(|l| item_cells(c, l)).collect();
        layout.table(&item_columns(&fonts, c, &rows), &rows);
    }
    layout.gap(10.0);
    layout.heading(c.text("briefing.units"));
    let rows: Vec<Vec<String>> = unit_lines(b, lang)
        .into_iter()
        .map(|u| {
            let [open, overdue] = tasks_texts(c, u.tasks);
            let [kept, of] = deadlines_texts(c, u.deadlines_kept);
            vec![format!("{} ({})", u.unit_name, u.unit_code), open, overdue, kept, of]
        })
        .collect();
    let keys = [
        "table.unit_name",
        "briefing.tasks_open",
        "briefing.tasks_overdue",
        "briefing.deadlines_kept",
        "briefing.decided",
    ];
    let headers = keys.iter().map(|k| c.text(k).to_string()).collect();
    layout.table(&fit_columns(&fonts, headers, &[false, true, true, true, true], &rows), &rows);
    layout.gap(6.0);
    let small = Style { size: TABLE_SIZE, leading: TABLE_LEADING, ..Style::body() };
    for key in ["pdf.beyond_chance", "briefing.rank_rule", "briefing.deadlines_rule", "briefing.tasks_rule"] {
        layout.paragraph(c.text(key), small);
    }
    let stamp = c.fill(
        "pdf.stamp",
        &Args::new()
            .text("rules", b.counting_rules.as_str())
            .text("catalogue", b.catalogue.as_str())
            .text("position", b.position.to_string()),
    );
    layout.footers(c, &stamp);
    write_pdf(&fonts, &layout.pages, title, lang)
}

/// The unit, the indicator, this period, the year before, the change in
/// per cent, beyond chance, the rank.
fn item_columns(fonts: &Fonts, c: &Catalog, rows: &[Vec<String>]) -> Vec<Column> {
    let keys = [
        "table.unit_name",
        "table.indicator",
        "table.current",
        "table.previous",
        "table.percent",
        "table.significant",
        "briefing.rank",
    ];
    let headers: Vec<String> = keys.iter().map(|k| c.text(k).to_string()).collect();
    let mut columns = fit_columns(fonts, headers, &[false, false, true, true, true, false, true], rows);
    // The unit and the indicator share what the figures leave.
    let figures: f32 = columns.iter().skip(2).map(|c| c.width).sum();
    let left = super::RIGHT - super::LEFT - figures;
    columns[0].width = left * 0.4;
    columns[1].width = left * 0.6;
    columns
}

fn item_cells(c: &Catalog, l: &crate::briefing::FigureLine) -> Vec<String> {
    let name = if l.measure_label.is_empty() { l.name.to_string() } else { format!("{}, {}", l.name, l.measure_label) };
    let percent = l.percent.map(|p| {
        let text = number(c, crate::table::Measure::Share, p);
        if p > 0.0 { format!("+{text}") } else { text }
    });
    let significant = match l.significant {
        Some(true) => c.text("table.yes"),
        Some(false) => c.text("table.no"),
        None => "",
    };
    vec![
        l.unit_name.to_string(),
        name,
        number(c, l.measure, l.current),
        number(c, l.measure, l.previous),
        percent.unwrap_or_default(),
        significant.to_string(),
        rank_text(c, l.rank),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::tests::extracted;
    use crate::tests::seed_briefing;

    #[test]
    fn the_briefing_pdf_prints_the_figures_ranks_tasks_and_stamp_in_az_and_ru() {
        let b = seed_briefing();
        let az = pdf(&b, Lang::Az).unwrap();
        assert!(az.starts_with(b"%PDF-"));
        let Some(text) = extracted(&az, "briefing-az") else { return };
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Kollegiya iclası üçün arayış",
            "Məsələ 1: Oğurluqlar",
            "Nəsimi RPİ",
            // Nasimi's crimes recorded, a year before, and its rank among Baku's two districts.
            "5 000 5 500",
            "2 bölmədən 1",
            "2 bölmədən 2",
            // Its tasks and deadlines kept: 3,800 of 4,000 decided in time; Yasamal's none.
            "95 3 800 / 4 000",
            "verilməyib",
            "qərar yoxdur",
            "jurnal mövqeyi 12345",
        ] {
            assert!(text.contains(expected), "{expected:?} in {text}");
        }
        let ru = pdf(&b, Lang::Ru).unwrap();
        let text = extracted(&ru, "briefing-ru").unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Справочные материалы к заседанию коллегии",
            "Насиминское РУП",
            "1 из 2",
            "Соблюдение сроков",
            "позиция журнала 12345",
        ] {
            assert!(text.contains(expected), "{expected:?} in {text}");
        }
    }
}
