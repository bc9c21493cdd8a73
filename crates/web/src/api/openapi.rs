//! The OpenAPI 3.1 document, generated from the handlers and types. The
//! problem responses every operation can give are added in one place
//! ([`ProblemResponses`]) rather than repeated on each handler.

use super::{acts, audit, journal, open_data, registers, report, system};
use crate::problem::{FieldError, PROBLEM_JSON, ProblemBody};
use std::sync::LazyLock;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "crimeboard",
        description = "Registers of crime reports, criminal cases and the registers the figures need. \
            Every change is an act appended to its unit's hash-chained journal.\n\n\
            Every operation but health, the units and this document needs a signed-in session (cookie \
            `cb_session`, with its CSRF token in `X-CSRF-Token` on changes) or an API token \
            (`Authorization: Bearer cbt_...`); what each role may do, and in which units, is in \
            docs/access.md. 401 without credentials, 403 when they do not allow it.\n\n\
            Errors are RFC 9457 problem details (`application/problem+json`), each rule broken named \
            by its field and a stable rule code. Messages are in Azerbaijani (default), Russian or \
            English: `?lang=az|ru|en`, else `Accept-Language`."
    ),
    paths(
        acts::submit_act,
        acts::submit_batch,
        registers::reports::create,
        registers::reports::list,
        registers::reports::get,
        registers::cases::create,
        registers::cases::list,
        registers::cases::get,
        registers::seizures::create,
        registers::seizures::list,
        registers::seizures::get,
        registers::accountability::create,
        registers::accountability::list,
        registers::accountability::get,
        registers::accidents::create,
        registers::accidents::list,
        registers::accidents::get,
        registers::examinations::create,
        registers::examinations::list,
        registers::examinations::get,
        registers::persons::list,
        registers::persons::get,
        journal::journal,
        report::report,
        system::units,
        system::verify,
        system::health,
        openapi,
        audit::search,
        open_data::open_data,
    ),
    components(schemas(ProblemBody, FieldError)),
    modifiers(&ProblemResponses),
    tags(
        (name = "acts", description = "Any act, alone or in an all-or-nothing batch"),
        (name = "reports", description = "Crime reports"),
        (name = "cases", description = "Criminal cases"),
        (name = "seizures", description = "Narcotics seizures"),
        (name = "accountability", description = "Persons held accountable"),
        (name = "accidents", description = "Traffic accidents"),
        (name = "examinations", description = "Forensic examinations"),
        (name = "persons", description = "Persons of cases and reports"),
        (name = "journal", description = "The acts in the order they were recorded"),
        (name = "figures", description = "The Board's report: indicators against the same period a year before"),
        (name = "system", description = "Units, chain verification, health"),
        (name = "audit", description = "The audit trail: who did or looked at what, when and from where"),
    )
)]
pub struct ApiDoc;

static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| ApiDoc::openapi().to_json().expect("the OpenAPI document serialises"));

pub fn document() -> &'static str {
    &DOCUMENT
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "system",
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json", body = Object)))]
pub async fn openapi() -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], document())
}

/// Adds the problem responses an operation can give, by what it takes.
struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let has_id = path.contains("{id}");
            let public = matches!(path.as_str(), "/api/health" | "/api/openapi.json" | "/api/units" | "/api/open-data");
            if let Some(op) = item.get.as_mut() {
                let has_query = op.parameters.as_ref().is_some_and(|ps| !ps.is_empty());
                if has_id || has_query {
                    add(op, 400, "A parameter is invalid or unknown");
                }
                if has_id {
                    add(op, 404, "No such entry in this register");
                }
                add(op, 500, "Internal error; quote the request id");
            }
            for op in [item.get.as_mut(), item.post.as_mut()].into_iter().flatten().filter(|_| !public) {
                add(op, 401, "No credentials, or they do not open (ended session, revoked token)");
                add(op, 403, "The role, the token or the unit does not allow it, or the CSRF token is wrong");
            }
            if let Some(op) = item.post.as_mut() {
                add(op, 400, "Not JSON, not UTF-8, or a key given twice");
                add(op, 413, "Body over 1 MiB");
                add(op, 415, "Content-Type is not application/json");
                add(op, 422, "JSON of the wrong shape, or rules of the registers broken");
                add(op, 500, "Internal error; quote the request id");
            }
        }
    }
}

fn add(op: &mut Operation, status: u16, description: &str) {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
    let response = ResponseBuilder::new().description(description).content(PROBLEM_JSON, content).build();
    op.responses.responses.insert(status.to_string(), response.into());
}
