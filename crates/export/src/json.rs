//! The report as JSON: every field of the `BoardReport`, plus the language
//! and the narrative in it, so that one document serves both a program and
//! a reader.

use crate::Lang;
use crate::narrative::narrative;
use crimeboard_stats::board::BoardReport;
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    lang: Lang,
    #[serde(flatten)]
    report: &'a BoardReport,
    narrative: String,
}

pub fn json(report: &BoardReport, lang: Lang) -> Vec<u8> {
    let document = Document { lang, report, narrative: narrative(report, lang) };
    // The report has only string keys and writes non-finite numbers as null,
    // so serialising cannot fail; should it ever, say so in JSON.
    serde_json::to_vec_pretty(&document)
        .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string().into_bytes())
}
