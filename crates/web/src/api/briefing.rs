//! `GET /api/briefing`: the briefing pack before a Board meeting, as JSON
//! or as a file.

use super::dto::{BriefingDocument, BriefingFormat, BriefingQuery, Download};
use crate::auth::Caller;
use crate::i18n::Offer;
use crate::params::{briefing_fields, briefing_meeting, briefing_request, decode_query};
use crate::problem::{Problem, kind};
use crate::state::{Shared, blocking};
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use crimeboard_domain::access::Action;
use crimeboard_export::Format;

/// The briefing pack before a Board meeting: for each agenda item and each reporting unit,
/// the item's indicators against the same period a year before with their significance
/// and the unit's rank among the units with the same parent; for each unit its deadlines
/// kept and its open and overdue tasks from earlier meetings, from the register of the
/// Board's tasks. Asked for a stored `meeting` (its period, agenda and reporting units, the
/// tasks as they stood on its day) or typed (`period`, `agenda`, `units`, the tasks as they
/// stood at the period's end). The figures are the Board's report's: with `at`, the report
/// and the task register recounted at that journal position. Needs the figures of every reporting unit; a file also their
/// export, and is written to the audit trail.
#[utoipa::path(get, path = "/api/briefing", tag = "figures", params(BriefingQuery),
    responses((status = 200, description = "The briefing pack, in the format asked for",
        headers(("Content-Disposition" = String,
            description = "For xlsx and pdf only: `attachment; filename=\"crimeboard-briefing-<period>.<ext>\"`")),
        content(
            (BriefingDocument = "application/json"),
            (Download = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (Download = "application/pdf"),
        ))))]
pub async fn briefing(
    State(registry): Shared,
    Extension(offer): Extension<Offer>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let q: BriefingQuery = decode_query(query.as_deref())?;
    let given = |p: &Option<String>| p.as_deref().is_some_and(|s| !s.trim().is_empty());
    let typed = given(&q.period) || given(&q.agenda) || given(&q.units);
    let meeting = briefing_meeting(q.meeting.as_deref(), typed).map_err(Problem::param)?;
    let typed = match meeting {
        Some(_) => None,
        None => {
            let period = crate::params::period(q.period.as_deref())?;
            let request = briefing_request(period, q.agenda.as_deref().unwrap_or(""), q.units.as_deref().unwrap_or(""))
                .map_err(|errors| Problem::new(StatusCode::BAD_REQUEST, kind::PARAM_INVALID, errors))?;
            Some(request)
        }
    };
    let format = match q.format.unwrap_or_default() {
        BriefingFormat::Json => Format::Json,
        BriefingFormat::Xlsx => Format::Xlsx,
        BriefingFormat::Pdf => Format::Pdf,
    };
    let lang: crimeboard_export::Lang = offer.negotiate(query.as_deref(), &headers).into();
    let (at, typed_period) = (q.at, q.period.clone().filter(|p| !p.trim().is_empty()));
    let bytes = blocking(&registry, move |r| {
        let (request, tasks_on) = r.briefing_request(typed, meeting).map_err(Problem::from_query)?;
        // A unit that does not exist is the pack's to name, with the rest of what is wrong.
        let tree = r.units();
        for unit in request.units.iter().filter(|u| tree.get(u).is_some()) {
            caller.require(r, Action::ReadFigures, Some(unit.as_str()))?;
            if format.is_file() {
                caller.require(r, Action::ExportFigures, Some(unit.as_str()))?;
            }
        }
        let pack = r.briefing_with_tasks(&request, tasks_on, at).map_err(|e| {
            let mut p = Problem::from_query(e);
            p.errors = briefing_fields(std::mem::take(&mut p.errors));
            p
        })?;
        if format.is_file() {
            let units = request.units.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(",");
            let asked = match meeting {
                Some(id) => format!("meeting={id}"),
                None => format!("period={}", typed_period.as_deref().unwrap_or_default()),
            };
            let detail = format!("{asked} units={units} format={}", format.extension());
            caller.audit(r, "export.briefing", "", &detail)?;
        }
        // A file is named by the period as typed, or a meeting's by its days.
        let file_period = typed_period.map_or_else(|| pack.period.to_string(), |p| p.trim().to_string());
        Ok((render(&pack, lang, format)?, file_period))
    })
    .await?;
    let (bytes, file_period) = bytes;
    let mut response = ([(CONTENT_TYPE, HeaderValue::from_static(format.content_type()))], bytes).into_response();
    if format.is_file() {
        let safe: String =
            file_period.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        let name = format!("attachment; filename=\"crimeboard-briefing-{safe}.{}\"", format.extension());
        if let Ok(value) = HeaderValue::from_str(&name) {
            response.headers_mut().insert(CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}

fn render(
    pack: &crimeboard_stats::briefing::Briefing,
    lang: crimeboard_export::Lang,
    format: Format,
) -> Result<Vec<u8>, Problem> {
    let written = match format {
        Format::Pdf => crimeboard_export::briefing_pdf(pack, lang),
        Format::Xlsx => crimeboard_export::briefing_xlsx(pack, lang),
        _ => Ok(crimeboard_export::briefing_json(pack, lang)),
    };
    written.map_err(|e| Problem::internal(format!("briefing: {e}")))
}
