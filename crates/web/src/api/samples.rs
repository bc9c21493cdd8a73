//! Inspection samples (recorded through `POST /api/acts`, `draw_sample` and
//! `review_sample`): a sample's decisions with their findings and the
//! estimated error rate, as JSON, CSV or XLSX.

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
use crimeboard_domain::inspection::Sample;
use crimeboard_export::sheet::{self, Cell};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FindingsQuery {
    /// `json` (default: the sample and its estimate), `csv` or `xlsx`
    /// (one line per decision drawn, with its finding).
    #[param(inline)]
    pub format: Option<FindingsFormat>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FindingsFormat {
    #[default]
    Json,
    Csv,
    Xlsx,
}

/// A sample's findings: every decision drawn (its place in the unit's
/// journal, its day, the record it decided on) with its review, and the
/// estimate: the share found wrong among the population with its 95 %
/// interval (Wilson's, with the finite population correction), the unclear
/// ones apart and counted wrong in the pessimistic share.
#[utoipa::path(get, path = "/api/samples/{id}/findings", tag = "inspection",
    params(("id" = uuid::Uuid, Path, description = "The sample's id"), FindingsQuery),
    responses((status = 200, description = "The findings, in the format asked for",
        content((SampleFindings = "application/json"), (String = "text/csv; charset=utf-8"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn findings(
    State(registry): Shared,
    caller: Caller,
    EntityId(id): EntityId,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let q: FindingsQuery = decode_query(query.as_deref())?;
    let format = q.format.unwrap_or_default();
    let bytes = blocking(&registry, move |r| {
        let action = Action::to_read(EntityKind::Sample);
        caller.require(r, action, None)?;
        let record = r.get(id).map_err(Problem::from_service)?;
        if record.kind != EntityKind::Sample {
            return Err(Problem::not_found());
        }
        caller.require(r, action, Some(&record.unit))?;
        let view = r.sample(id).map_err(Problem::from_service)?;
        let body = SampleFindings { sample: view.sample, estimate: view.estimate };
        let (header, rows) = table(&body.sample);
        Ok(match format {
            FindingsFormat::Json => serde_json::to_vec(&body).map_err(|e| Problem::internal(e.to_string()))?,
            FindingsFormat::Csv => sheet::csv(&header, &rows),
            FindingsFormat::Xlsx => {
                sheet::xlsx(&body.sample.number, &header, &rows).map_err(|e| Problem::internal(e.to_string()))?
            }
        })
    })
    .await?;
    let (content_type, file) = match format {
        FindingsFormat::Json => ("application/json", None),
        FindingsFormat::Csv => ("text/csv; charset=utf-8", Some("findings.csv")),
        FindingsFormat::Xlsx => {
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Some("findings.xlsx"))
        }
    };
    let mut response = ([(CONTENT_TYPE, HeaderValue::from_static(content_type))], bytes).into_response();
    if let Some(name) = file {
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).expect("a plain name");
        response.headers_mut().insert(CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}

/// A sample with what its reviews say of its population.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SampleFindings {
    pub sample: Sample,
    pub estimate: crimeboard_domain::inspection::Estimate,
}

/// One line per decision drawn, in the journal's order.
pub fn table(s: &Sample) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header =
        ["sample", "unit", "kind", "seq", "day", "record", "finding", "note", "reviewed_on"].map(String::from).to_vec();
    let rows = s
        .items
        .iter()
        .map(|i| {
            let review = i.review.as_ref();
            vec![
                s.number.as_str().into(),
                s.unit.as_str().into(),
                s.kind.as_str().into(),
                Cell::Number(i.drawn.seq as f64),
                i.drawn.on.to_string().into(),
                i.drawn.record.map(|id| id.to_string()).unwrap_or_default().into(),
                review.map_or("", |r| r.finding.as_str()).into(),
                review.map_or("", |r| r.note.as_str()).into(),
                review.map(|r| r.on.to_string()).unwrap_or_default().into(),
            ]
        })
        .collect();
    (header, rows)
}
