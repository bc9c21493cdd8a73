//! `GET /api/signals`: the signs of under-recording for the units directly
//! below one, each signal of the counting rules read on its funnel plot
//! (docs/integrity.md, "How an inspector uses the signals").

use super::dto::Language;
use crate::auth::Caller;
use crate::i18n::Offer;
use crate::params::decode_query;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use crimeboard_domain::access::Action;
use crimeboard_stats::Period;
use crimeboard_stats::signals::SignalReading;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SignalsQuery {
    /// The period, written as for `/api/report` (`2024Q1`, `2024-03`, ...).
    #[param(required = true, value_type = String, example = "2024Q1")]
    pub period: Option<String>,
    /// The unit whose units directly below are compared; the whole country if not given.
    #[param(pattern = "^[A-Z0-9-]{1,32}$")]
    pub unit: Option<String>,
    /// `json` (default), `csv` or `xlsx`: the files hold one line per signal and unit.
    #[param(inline)]
    pub format: Option<SignalsFormat>,
    /// Language of the files' words and of messages: az, ru or en, of those the installation's
    /// jurisdiction pack offers (another is refused, 422); else `Accept-Language`, else the pack's
    /// default language.
    #[allow(dead_code)] // read through `Offer::negotiate`; here so it is checked and documented
    #[param(inline)]
    pub lang: Option<Language>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SignalsFormat {
    #[default]
    Json,
    Csv,
    Xlsx,
}

/// The JSON answer: what was compared, as of which journal position and
/// counting rules, and each signal with its question in every language,
/// its funnel and the units worth asking about.
#[derive(Serialize)]
struct SignalsDocument<'a> {
    period: Period,
    unit: &'a str,
    position: i64,
    counting_rules: &'a str,
    signals: &'a [SignalReading],
}

/// The signs of under-recording: for each signal of the counting rules,
/// the units directly below `unit` on its funnel plot (each unit's counts,
/// share, z-score and band, the target, the over-dispersion estimate) and
/// the units beyond the limits on the side its question asks about, in the
/// report's order: questions for an inspector, never ranks.
#[utoipa::path(get, path = "/api/signals", tag = "figures", params(SignalsQuery),
    responses((status = 200, description = "The signals, in the format asked for",
        content((Object = "application/json"), (String = "text/csv; charset=utf-8"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn signals(
    State(registry): Shared,
    Extension(offer): Extension<Offer>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let q: SignalsQuery = decode_query(query.as_deref())?;
    let period = crate::params::period(q.period.as_deref())?;
    let format = q.format.unwrap_or_default();
    let lang: crimeboard_export::Lang = offer.negotiate(query.as_deref(), &headers).into();
    let unit = q.unit;
    let period_text = q.period.unwrap_or_default();
    let bytes = blocking(&registry, move |r| {
        let scope = unit.clone().unwrap_or_else(|| r.anonymous().home.to_string());
        caller.require(r, Action::ReadSignals, Some(&scope))?;
        if format != SignalsFormat::Json {
            caller.require(r, Action::ExportFigures, Some(&scope))?;
            let detail = format!("period={period_text} format={}", format_name(format));
            caller.audit(r, "export.signals", &scope, &detail)?;
        }
        let (report, signals) = r.signals(period, unit.as_deref()).map_err(Problem::from_query)?;
        Ok(match format {
            SignalsFormat::Json => serde_json::to_vec(&SignalsDocument {
                period: report.period,
                unit: report.scope().unit.as_str(),
                position: report.position,
                counting_rules: &report.counting_rules,
                signals: &signals,
            })
            .map_err(|e| Problem::internal(e.to_string()))?,
            SignalsFormat::Csv => crimeboard_export::signals::csv(&report, &signals, lang),
            SignalsFormat::Xlsx => crimeboard_export::signals::xlsx(&report, &signals, lang)
                .map_err(|e| Problem::internal(e.to_string()))?,
        })
    })
    .await?;
    let content_type = match format {
        SignalsFormat::Json => "application/json",
        SignalsFormat::Csv => "text/csv; charset=utf-8",
        SignalsFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    let mut response = ([(CONTENT_TYPE, HeaderValue::from_static(content_type))], bytes).into_response();
    if format != SignalsFormat::Json {
        let name = format!("attachment; filename=\"crimeboard-signals.{}\"", format_name(format));
        response.headers_mut().insert(CONTENT_DISPOSITION, HeaderValue::from_str(&name).expect("a plain name"));
    }
    Ok(response)
}

fn format_name(format: SignalsFormat) -> &'static str {
    match format {
        SignalsFormat::Json => "json",
        SignalsFormat::Csv => "csv",
        SignalsFormat::Xlsx => "xlsx",
    }
}
