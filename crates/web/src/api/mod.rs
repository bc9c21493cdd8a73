//! The JSON API: every route under `/api`, answering with JSON or a file,
//! and with a problem (RFC 9457) when it refuses. Every registry call runs on
//! the blocking pool ([`crate::state::blocking`]).

mod acts;
mod appeals;
mod audit;
mod board;
mod briefing;
pub mod dto;
mod identifiers;
mod journal;
mod open_data;
pub mod openapi;
mod publications;
mod receptions;
mod registers;
mod releases;
mod report;
mod required;
mod samples;
mod series;
mod signals;
mod system;

use crate::i18n::{Lang, lang_parameter};
use crate::load::{Load, limit_heavy};
use crate::problem::{Problem, kind};
use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use crimeboard_domain::Violation;
use crimeboard_service::Registry;
use std::sync::Arc;

/// The API's routes; each handler checks what its caller may do. The
/// report, the open data and the chains' verification are heavy: they wait
/// for a permit ([`crate::load`]).
pub fn routes(load: &Arc<Load>) -> Router<Arc<Registry>> {
    use registers::{accidents, accountability, cases, examinations, meetings, persons, reports, seizures};
    let heavy = || axum::middleware::from_fn_with_state(load.clone(), limit_heavy);
    Router::new()
        .merge(public_routes(load))
        .route("/api/audit", get(audit::search))
        .route("/api/acts", post(acts::submit_act))
        .route("/api/acts/batch", post(acts::submit_batch))
        .route("/api/reports", post(reports::create).get(reports::list))
        .route("/api/reports/{id}", get(reports::get))
        .route("/api/cases", post(cases::create).get(cases::list))
        .route("/api/cases/{id}", get(cases::get))
        .route("/api/seizures", post(seizures::create).get(seizures::list))
        .route("/api/seizures/{id}", get(seizures::get))
        .route("/api/accountability", post(accountability::create).get(accountability::list))
        .route("/api/accountability/{id}", get(accountability::get))
        .route("/api/accidents", post(accidents::create).get(accidents::list))
        .route("/api/accidents/{id}", get(accidents::get))
        .route("/api/examinations", post(examinations::create).get(examinations::list))
        .route("/api/examinations/{id}", get(examinations::get))
        .route("/api/persons", get(persons::list))
        .route("/api/persons/{id}", get(persons::get))
        .route("/api/identifiers/attachments", post(identifiers::attach))
        .route("/api/identifiers/removals", post(identifiers::remove))
        .route("/api/identifiers/lookup", post(identifiers::lookup))
        .route("/api/identifiers/access-requests", post(identifiers::request_access))
        .route("/api/series", get(series::list))
        .route("/api/series/{id}", get(series::get))
        .route("/api/units/{code}/series-alerts", get(series::alerts))
        .route("/api/meetings", get(meetings::list))
        .route("/api/meetings/{id}", get(meetings::get))
        .route("/api/meetings/{id}/commitments", get(board::commitments))
        .route("/api/tasks", get(board::sheet))
        .route("/api/tasks/{id}", get(board::task))
        .route("/api/units/{code}/tasks", get(board::queue))
        .route("/api/appeals", get(registers::appeals::list))
        .route("/api/appeals/{id}", get(registers::appeals::get))
        .route("/api/units/{code}/appeals", get(appeals::queue))
        .route("/api/releases", get(releases::list))
        .route("/api/releases/{id}", get(releases::get))
        .route("/api/receptions", get(receptions::list))
        .route("/api/receptions/{id}", get(receptions::get))
        .route("/api/units/{code}/receptions", get(receptions::schedule))
        .route("/api/publications", get(registers::publications::list))
        .route("/api/publications/{id}", get(registers::publications::get))
        .route("/api/freezes", get(registers::freezes::list))
        .route("/api/freezes/{id}", get(registers::freezes::get))
        .route("/api/publications/{id}/revisions", get(publications::revisions).route_layer(heavy()))
        .route("/api/samples", get(registers::samples::list))
        .route("/api/samples/{id}", get(registers::samples::get))
        .route("/api/samples/{id}/findings", get(samples::findings))
        .route("/api/journal", get(journal::journal))
        .route("/api/report", get(report::report).route_layer(heavy()))
        .route("/api/briefing", get(briefing::briefing).route_layer(heavy()))
        .route("/api/signals", get(signals::signals).route_layer(heavy()))
        .route("/api/units", get(system::units))
        .route("/api/verify", get(system::verify).route_layer(heavy()))
        .route("/api/health", get(system::health))
        .route("/api/openapi.json", get(openapi::openapi))
        .layer(axum::middleware::from_fn(offered_language))
}

/// What the public site's listener serves of the API: the open data its
/// figures link to, which anyone may read.
pub fn public_routes(load: &Arc<Load>) -> Router<Arc<Registry>> {
    let heavy = || axum::middleware::from_fn_with_state(load.clone(), limit_heavy);
    Router::new()
        .route(PUBLIC_OPEN_DATA, get(open_data::open_data).route_layer(heavy()))
        .layer(axum::middleware::from_fn(offered_language))
}

/// The open data's address, on both listeners.
pub const PUBLIC_OPEN_DATA: &str = "/api/open-data";

/// A `lang` the system speaks but the installation's pack does not offer is
/// refused (422, naming `lang` and the languages offered), the problem said
/// in the language negotiated without it: `Accept-Language` among those
/// offered, else the pack's default. An unknown one is each route's to
/// refuse as its query's shape (400).
async fn offered_language(req: Request, next: Next) -> Response {
    let offer = crate::problem::offer(&req);
    let asked = req.uri().query().and_then(lang_parameter).and_then(|l| Lang::parse(&l));
    if let Some(lang) = asked.filter(|l| !offer.offers(*l)) {
        let offered = offer.languages.iter().map(|l| l.code()).collect::<Vec<_>>().join(", ");
        let refused = Violation::new("lang", "lang.not_offered").with("value", lang.code()).with("offered", offered);
        return Problem::one(StatusCode::UNPROCESSABLE_ENTITY, kind::PARAM_INVALID, refused).into_response();
    }
    next.run(req).await
}

/// An address under `/api` that is none of the routes.
pub fn route_not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, kind::ROUTE_NOT_FOUND, vec![])
}

/// A method an address under `/api` does not take.
pub fn method_not_allowed() -> Problem {
    Problem::new(StatusCode::METHOD_NOT_ALLOWED, kind::METHOD_NOT_ALLOWED, vec![])
}
