//! The Board's report for people: the narrative in Azerbaijani, Russian or
//! English, and the figures as JSON, CSV, an Excel workbook or a printable
//! PDF; and the report pages' charts as inline SVG ([`chart`]).
//!
//! This is the outer layer: `crimeboard-stats` computes the report and knows
//! nothing of languages or file formats; everything a reader sees is worded
//! here, from the translation files in `locales/`.

mod briefing;
mod case;
pub mod chart;
mod csv;
pub mod display;
pub mod funnel;
pub mod it;
mod json;
mod locale;
mod memo;
mod narrative;
mod numbers;
pub mod open_data;
mod pdf;
mod period_phrase;
mod plural;
mod release;
pub mod sheet;
pub mod signals;
mod table;
mod xlsx;

pub use memo::{memo_csv, memo_text};
pub use release::{figure_value, release_draft, render_release};

use crimeboard_domain::units::{Language, Names};
use crimeboard_stats::board::BoardReport;
use crimeboard_stats::briefing::Briefing;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The language of the text and of the names in the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Az,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Az, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Az => "az",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
}

impl FromStr for Lang {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Lang, ParseError> {
        let wanted = s.trim().to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == wanted).ok_or_else(|| ParseError::new("language", s, "az, ru or en"))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// The narrative, plain UTF-8 text.
    #[default]
    Text,
    Json,
    Csv,
    Xlsx,
    /// The printable report, A4, fonts embedded.
    Pdf,
}

impl Format {
    pub const ALL: [Format; 5] = [Format::Text, Format::Json, Format::Csv, Format::Xlsx, Format::Pdf];

    /// The file name extension, also the name `from_str` accepts.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    /// Whether the format is a file to download (an export), not a reading.
    pub fn is_file(self) -> bool {
        matches!(self, Format::Csv | Format::Xlsx | Format::Pdf)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain; charset=utf-8",
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
        }
    }
}

impl FromStr for Format {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Format, ParseError> {
        let wanted = s.trim().to_ascii_lowercase();
        if wanted == "text" {
            return Ok(Format::Text);
        }
        Format::ALL
            .into_iter()
            .find(|f| f.extension() == wanted)
            .ok_or_else(|| ParseError::new("format", s, "text, json, csv, xlsx or pdf"))
    }
}

/// A language or format name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    what: &'static str,
    input: String,
    expected: &'static str,
}

impl ParseError {
    fn new(what: &'static str, input: &str, expected: &'static str) -> ParseError {
        ParseError { what, input: input.to_string(), expected }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}: expected {}", self.what, self.input, self.expected)
    }
}

impl std::error::Error for ParseError {}

/// The Board's narrative of the report's scope unit, ending with the line
/// that says under which rules, catalogue and journal position it was counted.
pub fn narrative(report: &BoardReport, lang: Lang) -> String {
    narrative::narrative(report, lang)
}

/// The report as a file of the given format.
///
/// Panics only if the workbook writer fails on data this crate has already
/// bounded (cell texts are cut to the cell limit, rows to the sheet limit),
/// or the PDF writer on the fonts shipped with it; call [`try_render`] to get
/// that failure as an error instead.
pub fn render(report: &BoardReport, lang: Lang, format: Format) -> Vec<u8> {
    try_render(report, lang, format).unwrap_or_else(|e| panic!("rendering the report as {}: {e}", format.extension()))
}

/// The report as a file of the given format; only XLSX and PDF can fail.
pub fn try_render(report: &BoardReport, lang: Lang, format: Format) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        Format::Text => narrative::narrative(report, lang).into_bytes(),
        Format::Json => json::json(report, lang),
        Format::Csv => csv::csv(report, lang),
        Format::Xlsx => xlsx::xlsx(report, lang).map_err(|e| RenderError(format!("writing the workbook: {e}")))?,
        Format::Pdf => pdf::pdf(report, lang).map_err(|e| RenderError(format!("writing the PDF: {e}")))?,
    })
}

/// The briefing pack before a Board meeting as JSON, names in `lang`.
pub fn briefing_json(briefing: &Briefing, lang: Lang) -> Vec<u8> {
    briefing::json(briefing, lang)
}

/// The briefing pack before a Board meeting as a printable PDF.
pub fn briefing_pdf(briefing: &Briefing, lang: Lang) -> Result<Vec<u8>, RenderError> {
    pdf::briefing::pdf(briefing, lang).map_err(|e| RenderError(format!("writing the PDF: {e}")))
}

/// The briefing pack before a Board meeting as an Excel workbook.
pub fn briefing_xlsx(briefing: &Briefing, lang: Lang) -> Result<Vec<u8>, RenderError> {
    xlsx::briefing::xlsx(briefing, lang).map_err(|e| RenderError(format!("writing the workbook: {e}")))
}

/// The workbook or PDF writer refused the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError(pub(crate) String);

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RenderError {}

/// A name in the language, or in another by the fallback order of the
/// jurisdiction the figures were counted under (its default language first)
/// when that one was not given.
fn name_in<'a>(names: &'a Names, lang: Lang, fallback: &[Language]) -> &'a str {
    names.get(lang.into(), fallback)
}

impl From<Lang> for Language {
    fn from(lang: Lang) -> Language {
        match lang {
            Lang::Az => Language::Az,
            Lang::Ru => Language::Ru,
            Lang::En => Language::En,
        }
    }
}

#[cfg(test)]
mod tests;
