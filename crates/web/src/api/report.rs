//! `GET /api/report`: the Board's report in every format it is written in.

use super::dto::{Download, ReportDocument, ReportQuery};
use crate::auth::Caller;
use crate::i18n::Offer;
use crate::load::{Load, ReportKey, accepts_gzip};
use crate::params::decode_query;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use crimeboard_domain::access::Action;
use crimeboard_export::Format;
use std::sync::Arc;

/// The Board's report: every indicator for a unit and each unit below it,
/// for a period against the same days a year before, stamped with the
/// journal position it reflects. As JSON (with the narrative), the narrative
/// as text, the figures as CSV or an Excel workbook, or the printable report as
/// PDF (A4, fonts embedded), in the language asked
/// for (`?lang=`, else `Accept-Language`, else the pack's default language). With `at`, the
/// report as it read at that journal position, to reproduce a published one.
/// The same report at an unchanged journal position is computed once and
/// kept; while too many reports are being computed a request is answered 503
/// with `Retry-After`.
#[utoipa::path(get, path = "/api/report", tag = "figures", params(ReportQuery),
    responses((status = 200, description = "The report, in the format asked for",
        headers(("Content-Disposition" = String,
            description = "For csv, xlsx and pdf only: `attachment; filename=\"crimeboard-report-<period>.<ext>\"`")),
        content(
            (ReportDocument = "application/json"),
            (String = "text/plain; charset=utf-8"),
            (String = "text/csv; charset=utf-8"),
            (Download = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (Download = "application/pdf"),
        ))))]
pub async fn report(
    State(registry): Shared,
    Extension(load): Extension<Arc<Load>>,
    Extension(offer): Extension<Offer>,
    read: Option<Extension<crate::load::PositionRead>>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let q: ReportQuery = decode_query(query.as_deref())?;
    let period = crate::params::period(q.period.as_deref())?;
    let format: Format = q.format.unwrap_or_default().into();
    let lang: crimeboard_export::Lang = offer.negotiate(query.as_deref(), &headers).into();
    let (unit, at) = (q.unit, q.at);
    let structure: crimeboard_service::Structure = q.structure.unwrap_or_default().into();
    let export = format.is_file();
    let period_text = q.period.clone().unwrap_or_default();
    // Text compresses to a tenth; the workbook and the PDF are compressed already.
    let gzip = accepts_gzip(&headers) && matches!(format, Format::Text | Format::Json | Format::Csv) && at.is_none();
    let bytes = blocking(&registry, move |r| {
        let scope = unit.clone().unwrap_or_else(|| r.anonymous().home.to_string());
        caller.require(r, Action::ReadFigures, Some(&scope))?;
        if export {
            caller.require(r, Action::ExportFigures, Some(&scope))?;
            caller.audit(r, "export.report", &scope, &format!("period={period_text} format={}", format.extension()))?;
        }
        match at {
            Some(position) => render(r.report_at_under(period, unit.as_deref(), position, structure), lang, format),
            // The report as it stands: kept per journal position, so never stale.
            None => {
                let mut key = ReportKey {
                    scope: unit.clone().unwrap_or_default(),
                    period,
                    lang,
                    format,
                    gzip,
                    counting_rules: r.jurisdiction().indicators.version.clone(),
                    units: r.units().len(),
                    position: match read {
                        Some(Extension(read)) => read.0,
                        None => r.store().position().map_err(|e| Problem::from_service(e.into()))?,
                    },
                    structure,
                };
                if let Some(bytes) = load.reports.get(&key) {
                    return Ok(bytes);
                }
                let report = r.report_under(period, unit.as_deref(), structure);
                // Kept under the position the report was counted at, which a
                // write since the position was read may have moved on.
                key.position = report.as_ref().map_or(key.position, |report| report.position);
                let mut bytes = render(report, lang, format)?;
                if gzip {
                    // Compressed once here, not for every answer the way the router's layer would.
                    bytes = crate::load::gzip(&bytes).map_err(|e| Problem::internal(format!("gzip: {e}")))?;
                }
                load.reports.insert(key, bytes.clone(), bytes.len());
                Ok(bytes)
            }
        }
    })
    .await?;
    let mut response = ([(CONTENT_TYPE, HeaderValue::from_static(format.content_type()))], bytes).into_response();
    response.headers_mut().insert(VARY, HeaderValue::from_static("accept-encoding"));
    if gzip {
        response.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    if export {
        let name =
            format!("crimeboard-report-{}.{}", file_name_part(q.period.as_deref().unwrap_or("")), format.extension());
        if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            response.headers_mut().insert(CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}

/// The report, or the problem the registry found with what was asked, in the format asked for.
fn render(
    report: crimeboard_service::Result<crimeboard_stats::board::BoardReport>,
    lang: crimeboard_export::Lang,
    format: Format,
) -> Result<Bytes, Problem> {
    let report = report.map_err(|e| {
        // The service names the position `position`; here it is `at`.
        let mut p = Problem::from_query(e);
        p.errors.iter_mut().filter(|v| v.field == "position").for_each(|v| v.field = "at".into());
        p
    })?;
    // Rendering a workbook takes a while too: keep it off the async workers.
    let bytes =
        crimeboard_export::try_render(&report, lang, format).map_err(|e| Problem::internal(format!("report: {e}")))?;
    Ok(Bytes::from(bytes))
}

/// The period as typed, made safe for a file name: letters, digits and
/// dashes kept, every other run of characters one underscore
/// (`ytd:2024-04-19` -> `ytd_2024-04-19`, `2024-01-01..2024-03-31` -> `2024-01-01_2024-03-31`).
fn file_name_part(period: &str) -> String {
    let mut out = String::with_capacity(period.len());
    for c in period.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::file_name_part;

    #[test]
    fn a_period_becomes_part_of_a_file_name() {
        assert_eq!(file_name_part("2024Q1"), "2024Q1");
        assert_eq!(file_name_part(" ytd:2024-04-19 "), "ytd_2024-04-19");
        assert_eq!(file_name_part("2024-01-01..2024-03-31"), "2024-01-01_2024-03-31");
        assert_eq!(file_name_part("week:2024-04-15\"; x=\\"), "week_2024-04-15_x_");
    }
}
