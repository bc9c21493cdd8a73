//! A list as a file: the rows the page shows, every page of them up to a
//! limit, as CSV (UTF-8 with BOM) or an Excel workbook, written by the
//! export crate.

use super::form::Form;
use super::respond::error_page;
use super::rows::{Register, columns, row_of};
use super::viewer::Viewer;
use crate::problem::Problem;
use crate::state::blocking;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use crimeboard_domain::access::Action;
use crimeboard_export::Format;
use crimeboard_export::sheet::{self, Cell};
use crimeboard_service::{ListParams, Registry};
use std::sync::Arc;

/// Rows a file holds at most; a bigger list is narrowed by its filters first.
pub const MAX_ROWS: u64 = 20_000;

/// `?format=csv` or `?format=xlsx`.
pub fn requested(form: &Form) -> Option<Format> {
    match form.get("format") {
        "csv" => Some(Format::Csv),
        "xlsx" => Some(Format::Xlsx),
        _ => None,
    }
}

pub async fn list(
    v: &Viewer,
    registry: &Arc<Registry>,
    register: &Register,
    params: ListParams,
    format: Format,
) -> Response {
    let kind = register.kind;
    let viewer = v.clone();
    let records = blocking(registry, move |r| {
        // A file of records leaves the system: its own action, and a line in the audit trail.
        let caller = viewer.caller.as_ref().ok_or_else(crate::problem::unauthenticated)?;
        if super::rows::names_people(kind) {
            caller.require(r, Action::ExportRecords, params.unit.as_deref())?;
        }
        let query = viewer.here.split_once('?').map_or("", |(_, q)| q);
        viewer.audit(r, &format!("export.{}", kind.as_str()), "", query)?;
        r.list_for_export(&params, MAX_ROWS).map(|page| page.items).map_err(Problem::from_query)
    })
    .await;
    let records = match records {
        Ok(r) => r,
        Err(p) => return error_page(v, &p),
    };
    let units = registry.units();
    let header: Vec<String> = columns(register.kind).iter().map(|c| v.t(c.key).to_string()).collect();
    let rows: Vec<Vec<Cell>> = records
        .iter()
        .map(|r| {
            let (_, cells) = row_of(v, &units, r);
            cells.into_iter().map(|c| c.number.map_or(Cell::Text(c.text), Cell::Number)).collect()
        })
        .collect();
    let name = register.path.trim_start_matches('/');
    file(v, v.t(register.title), name, &header, &rows, format)
}

/// The table as an attachment named `crimeboard-<name>.<ext>`.
pub fn file(v: &Viewer, title: &str, name: &str, header: &[String], rows: &[Vec<Cell>], format: Format) -> Response {
    let bytes = match format {
        Format::Xlsx => match sheet::xlsx(title, header, rows) {
            Ok(b) => b,
            Err(e) => return error_page(v, &Problem::internal(format!("list as xlsx: {e}"))),
        },
        _ => sheet::csv(header, rows),
    };
    attachment(bytes, format, &format!("crimeboard-{name}.{}", format.extension()))
}

pub fn attachment(bytes: Vec<u8>, format: Format, file_name: &str) -> Response {
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    res
}
