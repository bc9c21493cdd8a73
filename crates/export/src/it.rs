//! The section of the Board's report on crimes committed with information
//! technologies (docs/board.md, "Crimes committed with information
//! technologies"): for the scope and each unit directly below it, the IT
//! crimes recorded and solved, their damage and the money frozen and
//! returned, and the series of linked records found, spanning several
//! units and solved, each this period and the same period a year before.
//! Every format reads its figures from here: the page's and the PDF's
//! tables, the workbook's sheet and the narrative's paragraph. A report
//! whose counting rules have none of these figures has no such section.

use crate::chart::{DataRow, DataTable};
use crate::locale::{Args, Catalog, catalog};
use crate::numbers::{amount, integer};
use crate::table::Measure;
use crate::{Lang, name_in};
use crimeboard_stats::board::{BoardReport, Figure, UnitFigures};

/// The IT crimes and the money: the counting rules' codes, in the order shown.
pub const CRIMES: [&str; 5] = ["it_enabled", "it_solved", "it_damage", "freeze_frozen", "freeze_returned"];
/// The series of linked records.
pub const SERIES: [&str; 3] = ["series_found", "series_cross_unit", "series_solved"];

/// Whether a figure belongs to the section.
pub fn is_it_code(code: &str) -> bool {
    CRIMES.contains(&code) || SERIES.contains(&code)
}

/// The units the section shows: the scope, then each unit directly below it.
pub(crate) fn units(report: &BoardReport) -> Vec<&UnitFigures> {
    let Some(scope) = report.units.first() else { return Vec::new() };
    std::iter::once(scope).chain(report.units.iter().filter(|u| u.parent.as_ref() == Some(&scope.unit))).collect()
}

/// The section's tables, the crimes' then the series': a row per unit, a
/// column per figure the report has, each cell "this period (a year
/// before)". None of a group whose figures the report lacks or counted
/// nothing in either period.
pub fn tables(report: &BoardReport, lang: Lang) -> Vec<DataTable> {
    [("it.crimes_title", &CRIMES[..]), ("it.series_title", &SERIES[..])]
        .into_iter()
        .filter_map(|(title, codes)| table(report, lang, title, codes))
        .collect()
}

fn table(report: &BoardReport, lang: Lang, title: &str, codes: &[&str]) -> Option<DataTable> {
    let c = catalog(lang);
    let units = units(report);
    let scope = units.first()?;
    let present: Vec<&Figure> =
        codes.iter().filter_map(|code| scope.figures.iter().find(|f| f.code == *code)).collect();
    let counted = |f: &&Figure| f.change.current != 0 || f.change.previous != 0;
    if !units.iter().any(|u| u.figures.iter().filter(|f| codes.contains(&f.code.as_str())).any(|f| counted(&f))) {
        // Nothing counted in either period: nothing to set out.
        return None;
    }
    let fallback = &report.name_fallback;
    let mut columns = vec![c.text("table.unit_name").to_string()];
    columns.extend(present.iter().map(|f| {
        let measure = Measure::of(f.unit, &report.currency);
        let label = measure.label(c, &report.currency, fallback);
        let name = name_in(&f.name, lang, fallback);
        if label.is_empty() { name.to_string() } else { format!("{name}, {label}") }
    }));
    let rows = units
        .iter()
        .map(|u| DataRow {
            label: name_in(&u.name, lang, fallback).to_string(),
            values: present
                .iter()
                .map(|wanted| match u.figures.iter().find(|f| f.code == wanted.code) {
                    Some(f) => cell(c, report, f),
                    None => String::new(),
                })
                .collect(),
        })
        .collect();
    Some(DataTable { caption: c.text(title).to_string(), columns, rows })
}

/// "12 (9)": this period and, in brackets, the same period a year before.
fn cell(c: &Catalog, report: &BoardReport, f: &Figure) -> String {
    let shown = |stored: i64| match Measure::of(f.unit, &report.currency) {
        Measure::Money { minor_units } => amount(c, minor_units, stored).text,
        Measure::Count | Measure::Kilogram | Measure::Share => integer(c, stored).text,
    };
    c.fill("it.cell", &Args::new().text("current", shown(f.change.current)).text("previous", shown(f.change.previous)))
}

/// The narrative's paragraph on the scope's IT crimes and series, each
/// said when counted in either period: none when neither was.
pub(crate) fn sentence(report: &BoardReport, lang: Lang) -> Option<String> {
    let c = catalog(lang);
    let scope = report.units.first()?;
    let value = |code: &str| scope.figures.iter().find(|f| f.code == code).map(|f| f.change);
    let number = |n: i64| integer(c, n).text;
    let mut said = Vec::new();
    let counted = |c: &crimeboard_stats::Change| c.current != 0 || c.previous != 0;
    if let (Some(recorded), Some(solved)) = (value("it_enabled"), value("it_solved"))
        && counted(&recorded)
    {
        let args = Args::new()
            .text("recorded", number(recorded.current))
            .text("recorded_before", number(recorded.previous))
            .text("solved", number(solved.current))
            .text("solved_before", number(solved.previous));
        said.push(c.fill("it.crimes", &args));
    }
    if let (Some(found), Some(cross), Some(solved)) =
        (value("series_found"), value("series_cross_unit"), value("series_solved"))
        && counted(&found)
    {
        let args = Args::new()
            .text("found", number(found.current))
            .text("found_before", number(found.previous))
            .text("cross_unit", number(cross.current))
            .text("solved", number(solved.current));
        said.push(c.fill("it.series", &args));
    }
    (!said.is_empty()).then(|| said.join(" "))
}

/// The section's heading, as every format names it.
pub fn heading(lang: Lang) -> &'static str {
    catalog(lang).text("it.heading")
}

/// What a cell's brackets hold and how a series spanning units counts.
pub fn note(lang: Lang) -> &'static str {
    catalog(lang).text("it.note")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{entry, report_of, tree, unzip};
    use crate::{Format, render};
    use chrono::NaiveDate;
    use crimeboard_domain::units::UnitCode;
    use crimeboard_stats::IndicatorSet;
    use crimeboard_stats::series::{SeriesFacts, add_to};
    use std::collections::BTreeSet;

    /// Baku's IT crimes in Q1 2024 against Q1 2023, and two series: one
    /// spanning Nasimi and Yasamal found this quarter and solved, one of
    /// Nasimi's alone found a year before.
    fn baku() -> BoardReport {
        let current = [
            ("BAK-NSM", "it_enabled", 12),
            ("BAK-YAS", "it_enabled", 3),
            ("BAK-NSM", "it_solved", 4),
            ("BAK-NSM", "it_damage", 150_000),
            ("BAK-NSM", "freeze_frozen", 60_000),
            ("BAK-NSM", "freeze_returned", 20_000),
        ];
        let previous = [("BAK-NSM", "it_enabled", 9)];
        let mut report = report_of("BAK", &current, &previous, false);
        let set =
            IndicatorSet::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml")).unwrap();
        let code = |c: &str| UnitCode::parse(c).unwrap();
        let series = [
            SeriesFacts {
                units: BTreeSet::from([code("BAK-NSM"), code("BAK-YAS")]),
                found_on: NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(),
                solved: true,
            },
            SeriesFacts {
                units: BTreeSet::from([code("BAK-NSM")]),
                found_on: NaiveDate::from_ymd_opt(2023, 2, 1).unwrap(),
                solved: false,
            },
        ];
        add_to(&mut report, &set.series, &series, &tree());
        report
    }

    fn cells(table: &DataTable, row: &str) -> Vec<String> {
        table.rows.iter().find(|r| r.label.contains(row)).expect("the unit's row").values.clone()
    }

    #[test]
    fn the_scope_and_each_unit_below_it_have_their_it_figures_against_a_year_before() {
        let tables = tables(&baku(), Lang::En);
        assert_eq!(tables.len(), 2);
        let (crimes, series) = (&tables[0], &tables[1]);
        assert_eq!(crimes.caption, "IT crimes, their damage and the money frozen, by unit");
        let labels: Vec<&str> = crimes.rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Baku City Main Police Department",
                "Nasimi District Police Department, \"Baku\"",
                "Yasamal District Police Department"
            ]
        );
        assert_eq!(crimes.columns.len(), 6, "the unit and five figures: {:?}", crimes.columns);
        assert!(crimes.columns[3].ends_with("manat"), "money names its currency: {:?}", crimes.columns);
        assert_eq!(cells(crimes, "Baku")[..2], ["15 (9)", "4 (0)"]);
        assert_eq!(cells(crimes, "Yasamal")[..2], ["3 (0)", "0 (0)"]);
        assert_eq!(cells(crimes, "Baku")[2], "1,500 (0)");
        // Found, cross-unit, solved: the series of both districts counts once in Baku.
        assert_eq!(cells(series, "Baku"), ["1 (1)", "1 (0)", "1 (0)"]);
        assert_eq!(cells(series, "Nasimi"), ["1 (1)", "1 (0)", "1 (0)"]);
        assert_eq!(cells(series, "Yasamal"), ["1 (0)", "1 (0)", "1 (0)"]);
    }

    #[test]
    fn a_report_that_counted_no_it_crime_or_series_has_no_section() {
        let seed = crate::tests::seed();
        assert!(tables(&seed, Lang::En).is_empty());
        assert_eq!(sentence(&seed, Lang::En), None);
        let workbook = entry(&mut unzip(&render(&seed, Lang::En, Format::Xlsx)), "xl/workbook.xml");
        assert!(!workbook.contains("IT crimes"), "{workbook}");
    }

    #[test]
    fn the_narrative_says_the_it_figures_in_each_language() {
        let report = baku();
        let en = String::from_utf8(render(&report, Lang::En, Format::Text)).unwrap();
        assert!(
            en.contains(
                "Crimes committed with information technologies: 15 recorded (9 a year earlier), 4 solved (0 a year earlier)."
            ),
            "{en}"
        );
        assert!(
            en.contains(
                "Series of linked crimes found: 1 (1 a year earlier), of which spanning several units: 1, solved: 1."
            ),
            "{en}"
        );
        let ru = String::from_utf8(render(&report, Lang::Ru, Format::Text)).unwrap();
        assert!(ru.contains("зарегистрировано — 15 (годом ранее — 9)"), "{ru}");
        let az = String::from_utf8(render(&report, Lang::Az, Format::Text)).unwrap();
        assert!(az.contains("qeydə alınıb — 15 (bir il əvvəl — 9)"), "{az}");
        for text in [en, ru, az] {
            assert!(!text.contains('{'), "no placeholder left: {text}");
        }
    }

    #[test]
    fn the_workbook_has_a_sheet_of_the_it_figures_named_in_the_language() {
        for (lang, name) in [(Lang::En, "IT crimes"), (Lang::Ru, "ИТ-преступления"), (Lang::Az, "İT cinayətləri")]
        {
            let bytes = render(&baku(), lang, Format::Xlsx);
            let mut archive = unzip(&bytes);
            let workbook = entry(&mut archive, "xl/workbook.xml");
            assert!(workbook.contains(&format!("name=\"{name}\"")), "{workbook}");
            let strings = entry(&mut archive, "xl/sharedStrings.xml");
            assert!(strings.contains("series_cross_unit") && strings.contains("freeze_returned"), "{strings}");
        }
        let bytes = render(&baku(), Lang::En, Format::Xlsx);
        let mut archive = unzip(&bytes);
        // The section's sheet comes last.
        let last = entry(&mut archive, "xl/workbook.xml").matches("<sheet ").count();
        let it = entry(&mut archive, &format!("xl/worksheets/sheet{last}.xml"));
        assert!(it.contains("<v>15</v>") && it.contains("<v>1500</v>"), "counts and manats as numbers: {it}");
    }

    #[test]
    fn the_pdf_prints_the_section_in_each_language() {
        for lang in Lang::ALL {
            let bytes = render(&baku(), lang, Format::Pdf);
            let Some(text) = crate::pdf::tests::extracted(&bytes, &format!("it-{lang}")) else { return };
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let heading = heading(lang).split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains(&heading), "{lang}: {flat}");
            assert!(flat.contains("15 (9)"), "{lang}: {flat}");
        }
    }
}
