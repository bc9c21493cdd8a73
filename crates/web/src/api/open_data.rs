//! `GET /api/open-data`: the figures anyone may see, with small cells and
//! what would reveal them hidden. The threshold is the default and not the
//! caller's to lower: a threshold of 1 would undo the protection.

use super::dto::{Language, ReportStructure};
use crate::auth::Caller;
use crate::params::decode_query;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::extract::{RawQuery, State};
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use crimeboard_domain::access::Action;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpenDataQuery {
    /// Whole months: `2024Q1`, `2024H1`, `2024-03`, `2024` or a range of whole months.
    #[param(required = true, value_type = String, example = "2024Q1")]
    pub period: Option<String>,
    /// `json` (default) or `csv`.
    #[param(inline)]
    pub format: Option<OpenDataFormat>,
    /// The unit tree the figures roll up under: `in_force` (default), the tree on the period's
    /// last day; or `current`, every change recorded, as for `/api/report`.
    #[param(inline)]
    pub structure: Option<ReportStructure>,
    /// Language of messages: az, ru or en, of those the installation's jurisdiction pack offers
    /// (another is refused, 422), its default language if not given.
    #[allow(dead_code)] // read through `Lang::negotiate`; here so it is checked and documented
    #[param(inline)]
    pub lang: Option<Language>,
}

/// The file of the open data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OpenDataFormat {
    /// figures.json
    #[default]
    Json,
    /// figures.csv
    Csv,
}

/// Figures per unit, month and indicator for the public, small cells suppressed.
#[utoipa::path(get, path = "/api/open-data", tag = "figures", params(OpenDataQuery),
    responses((status = 200, description = "figures.json or figures.csv of the open data",
        content((Object = "application/json"), (String = "text/csv; charset=utf-8")))))]
pub async fn open_data(
    State(registry): Shared,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let q: OpenDataQuery = decode_query(query.as_deref())?;
    let period = crate::params::period(q.period.as_deref())?;
    let csv = q.format.unwrap_or_default() == OpenDataFormat::Csv;
    let structure = q.structure.unwrap_or_default().into();
    let bytes = blocking(&registry, move |r| {
        caller.require(r, Action::ReadPublicFigures, None)?;
        let threshold = crimeboard_stats::disclosure::DEFAULT_THRESHOLD;
        let data = r.open_data(period, threshold, structure).map_err(Problem::from_query)?;
        Ok(if csv {
            crimeboard_export::open_data::figures_csv(&data)
        } else {
            crimeboard_export::open_data::figures_json(&data)
        })
    })
    .await?;
    let content_type = if csv { "text/csv; charset=utf-8" } else { "application/json" };
    Ok(([(CONTENT_TYPE, HeaderValue::from_static(content_type))], bytes).into_response())
}
