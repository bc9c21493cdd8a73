//! Published periods: the publications register (recorded through
//! `POST /api/acts`, `publish_report`) and a publication's revisions: every
//! figure that changed since it was published, by how much, and the acts
//! that changed it with their reasons, as JSON, CSV or XLSX.

use crate::auth::Caller;
use crate::params::{EntityId, decode_query};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::extract::{RawQuery, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use crimeboard_domain::EntityKind;
use crimeboard_domain::access::Action;
use crimeboard_export::sheet::{self, Cell};
use crimeboard_service::Revisions;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RevisionsQuery {
    /// `json` (default), `csv` or `xlsx`: the files hold one line per
    /// revised figure and act that changed it.
    #[param(inline)]
    pub format: Option<RevisionsFormat>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RevisionsFormat {
    #[default]
    Json,
    Csv,
    Xlsx,
}

/// The revisions of a publication: each figure of its report whose value now
/// differs from the value at its journal position (published, current,
/// difference, the acts that changed it) and those acts with their reasons.
#[utoipa::path(get, path = "/api/publications/{id}/revisions", tag = "figures",
    params(("id" = uuid::Uuid, Path, description = "The publication's id"), RevisionsQuery),
    responses((status = 200, description = "The revisions, in the format asked for",
        content((Object = "application/json"), (String = "text/csv; charset=utf-8"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn revisions(
    State(registry): Shared,
    caller: Caller,
    EntityId(id): EntityId,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let q: RevisionsQuery = decode_query(query.as_deref())?;
    let format = q.format.unwrap_or_default();
    let bytes = blocking(&registry, move |r| {
        let action = Action::to_read(EntityKind::Publication);
        caller.require(r, action, None)?;
        let record = r.get(id).map_err(Problem::from_service)?;
        if record.kind != EntityKind::Publication {
            return Err(Problem::not_found());
        }
        caller.require(r, action, Some(&record.unit))?;
        let revisions = r.revisions(id).map_err(Problem::from_service)?;
        let (header, rows) = table(&revisions);
        Ok(match format {
            RevisionsFormat::Json => serde_json::to_vec(&revisions).map_err(|e| Problem::internal(e.to_string()))?,
            RevisionsFormat::Csv => sheet::csv(&header, &rows),
            RevisionsFormat::Xlsx => sheet::xlsx(&revisions.publication.number, &header, &rows)
                .map_err(|e| Problem::internal(e.to_string()))?,
        })
    })
    .await?;
    let (content_type, file) = match format {
        RevisionsFormat::Json => ("application/json", None),
        RevisionsFormat::Csv => ("text/csv; charset=utf-8", Some("revisions.csv")),
        RevisionsFormat::Xlsx => {
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Some("revisions.xlsx"))
        }
    };
    let mut response = ([(CONTENT_TYPE, HeaderValue::from_static(content_type))], bytes).into_response();
    if let Some(name) = file {
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).expect("a plain name");
        response.headers_mut().insert(CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}

/// One line per revised figure and act that changed it (a figure no act
/// names, an act outside the replay, has one line with the act's cells empty).
pub fn table(v: &Revisions) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header = [
        "unit",
        "indicator",
        "published",
        "current",
        "difference",
        "position",
        "act",
        "number",
        "actor",
        "recorded_at",
        "reason",
        "text",
    ]
    .map(String::from)
    .to_vec();
    let mut rows = Vec::new();
    for f in &v.figures {
        let figure = |cells: Vec<Cell>| {
            let mut row: Vec<Cell> = vec![
                f.unit.as_str().into(),
                f.indicator.as_str().into(),
                Cell::Number(f.published as f64),
                Cell::Number(f.current as f64),
                Cell::Number(f.difference as f64),
            ];
            row.extend(cells);
            row
        };
        let acts: Vec<_> = v.acts.iter().filter(|a| f.acts.contains(&a.position)).collect();
        if acts.is_empty() {
            rows.push(figure((0..7).map(|_| Cell::from("")).collect()));
        }
        for a in acts {
            let late = a.late.as_ref();
            rows.push(figure(vec![
                Cell::Number(a.position as f64),
                a.act.as_str().into(),
                a.number.clone().unwrap_or_default().into(),
                a.actor.as_str().into(),
                a.recorded_at.to_rfc3339().into(),
                late.map_or("", |l| l.reason.as_str()).into(),
                late.map_or("", |l| l.text.as_str()).into(),
            ]));
        }
    }
    (header, rows)
}
