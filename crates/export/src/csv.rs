//! CSV as RFC 4180 writes it: comma-separated, CRLF line ends, a field
//! quoted when it holds a comma, quote or line break, quotes doubled. UTF-8
//! with a byte-order mark, so that spreadsheet programs read the Azerbaijani
//! and Russian letters right. Numbers use a full stop as the decimal sign
//! whatever the language, so that they parse as numbers everywhere. Text that
//! a spreadsheet program would run as a formula (`=`, `+`, `-`, `@` first)
//! is written after an apostrophe, so it shows as the text it is.

use crate::Lang;
use crate::locale::catalog;
use crate::table::{HEADER_KEYS, Row, rows};
use crimeboard_stats::board::BoardReport;

pub(crate) const BOM: &str = "\u{feff}";

pub fn csv(report: &BoardReport, lang: Lang) -> Vec<u8> {
    let c = catalog(lang);
    let mut out = String::from(BOM);
    let header: Vec<&str> = HEADER_KEYS.iter().map(|k| c.text(k)).collect();
    push_record(&mut out, &header);
    for row in rows(report, lang) {
        let significant = match row.significant {
            Some(true) => c.text("table.yes"),
            Some(false) => c.text("table.no"),
            None => "",
        };
        let values = [row.current, row.previous, row.absolute, row.percent].map(number);
        let record = record(&row, row.measure_label, &values, significant);
        push_record(&mut out, &record);
    }
    out.into_bytes()
}

fn record<'a>(row: &Row<'a>, measure: &'a str, values: &'a [String; 4], significant: &'a str) -> [&'a str; 10] {
    [
        row.unit_code,
        row.unit_name,
        row.code,
        row.name,
        measure,
        &values[0],
        &values[1],
        &values[2],
        &values[3],
        significant,
    ]
}

/// A number as its shortest exact decimal ("8930", "12.2"); empty when absent.
fn number(x: Option<f64>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

pub(crate) fn push_record(out: &mut String, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(&inert(field)));
    }
    out.push_str("\r\n");
}

/// Text a spreadsheet would take for a formula (`=HYPERLINK(...)`, `@SUM(...)`,
/// `-2+3`, a leading tab or carriage return) gets an apostrophe before it,
/// which spreadsheet programs read as "this is text" and do not show. A
/// number keeps its sign and stays a number.
pub fn inert(field: &str) -> std::borrow::Cow<'_, str> {
    let risky = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !field.parse::<f64>().is_ok_and(f64::is_finite) { format!("'{field}").into() } else { field.into() }
}

/// The field as CSV writes it: quoted only when it must be.
pub fn quote(field: &str) -> std::borrow::Cow<'_, str> {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\"")).into()
    } else {
        field.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(quote("Thefts"), "Thefts");
        assert_eq!(quote("Nasimi, Baku"), "\"Nasimi, Baku\"");
        assert_eq!(quote("the \"Old\" district"), "\"the \"\"Old\"\" district\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote(""), "");
    }

    #[test]
    fn formulas_are_written_as_text_and_numbers_as_numbers() {
        for formula in ["=cmd|' /C calc'!A0", "@SUM(A1:A9)", "+1+1", "-2+3", "=HYPERLINK(\"http://x\")", "\t=1", "-inf"]
        {
            assert_eq!(inert(formula), format!("'{formula}"), "{formula}");
        }
        for plain in ["-12.2", "+5", "8930", "Thefts", "", "a=b", "'quoted"] {
            assert_eq!(inert(plain), plain, "{plain}");
        }
        let mut out = String::new();
        push_record(&mut out, &["=1+1", "-3", "x,=y"]);
        assert_eq!(out, "'=1+1,-3,\"x,=y\"\r\n");
    }

    #[test]
    fn numbers_print_exactly() {
        assert_eq!(number(Some(8930.0)), "8930");
        assert_eq!(number(Some(-12.2)), "-12.2");
        assert_eq!(number(Some(77_668_996.0)), "77668996");
        assert_eq!(number(Some(1234.5)), "1234.5");
        assert_eq!(number(None), "");
    }
}
