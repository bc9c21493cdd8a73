//! Any table (a page of a register's list, a search) as CSV or as an Excel
//! workbook, written the same way as the report's figures: CSV in UTF-8 with
//! a byte-order mark and CRLF line ends, numbers as numbers in the workbook.
//! The caller words the header; this module only writes. Text that looks like
//! a formula is made inert in the CSV (`crate::csv::inert`); the workbook
//! holds it as a string cell, which no spreadsheet evaluates.

use crate::RenderError;
use crate::csv::{BOM, push_record};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

/// One cell: text as is, or a number a spreadsheet can sum.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn csv_text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            // Shortest exact decimal with a full stop whatever the language, as in the report's CSV.
            Cell::Number(x) => x.to_string(),
        }
    }
}

impl From<String> for Cell {
    fn from(t: String) -> Cell {
        Cell::Text(t)
    }
}

impl From<&str> for Cell {
    fn from(t: &str) -> Cell {
        Cell::Text(t.to_string())
    }
}

/// A table with a header row.
pub fn csv(header: &[String], rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut out = String::from(BOM);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    push_record(&mut out, &header);
    for row in rows {
        let texts: Vec<String> = row.iter().map(Cell::csv_text).collect();
        let fields: Vec<&str> = texts.iter().map(String::as_str).collect();
        push_record(&mut out, &fields);
    }
    out.into_bytes()
}

/// A workbook of one sheet named `name` (cut to Excel's 31 characters).
pub fn xlsx(name: &str, header: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, RenderError> {
    write_xlsx(name, header, rows).map_err(|e| RenderError(e.to_string()))
}

fn write_xlsx(name: &str, header: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut sheet = Worksheet::new();
    let name: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    sheet.set_name(if name.is_empty() { "1" } else { &name })?;
    let bold = Format::new().set_bold();
    for (col, title) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, crate::xlsx::cell_text(title), &bold)?;
        sheet.set_column_width(col as u16, 18.0)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(t) => sheet.write_string(r, col as u16, crate::xlsx::cell_text(t))?,
                Cell::Number(x) => sheet.write_number(r, col as u16, *x)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut workbook = Workbook::new();
    workbook.push_worksheet(sheet);
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_the_bom_the_header_and_quoted_fields() {
        let header = vec!["Nömrə".to_string(), "Məbləğ".to_string()];
        let rows = vec![vec![Cell::from("M-1, Bakı"), Cell::Number(12.5)]];
        let text = String::from_utf8(csv(&header, &rows)).unwrap();
        assert_eq!(text, "\u{feff}Nömrə,Məbləğ\r\n\"M-1, Bakı\",12.5\r\n");
    }

    #[test]
    fn a_cell_that_looks_like_a_formula_is_text_in_the_csv() {
        // A person's name or an address typed as `=cmd|...` must not run when a list is opened.
        let rows = vec![vec![Cell::from("=cmd|' /C calc'!A0"), Cell::from("@SUM(A1)"), Cell::Number(-1.5)]];
        let text = String::from_utf8(csv(&["A".into(), "B".into(), "C".into()], &rows)).unwrap();
        assert_eq!(text, "\u{feff}A,B,C\r\n'=cmd|' /C calc'!A0,'@SUM(A1),-1.5\r\n");
    }

    #[test]
    fn xlsx_is_a_zip() {
        let bytes = xlsx("Cinayət işləri: 2024", &["A".into()], &[vec![Cell::Number(1.0)]]).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
