//! The OpenAPI 3.1 document, generated from the handlers and types. The
//! problem responses every operation can give are added in one place
//! ([`ProblemResponses`]) rather than repeated on each handler.

use super::{
    acts, appeals, audit, board, briefing, identifiers, journal, open_data, publications, receptions, registers,
    releases, report, samples, series, signals, system,
};
use crate::auth::{CSRF_HEADER, SESSION_COOKIE};
use crate::problem::{FieldError, PROBLEM_JSON, ProblemBody};
use std::sync::LazyLock;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{Discriminator, Object, OneOf, Schema, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "crimeboard",
        description = "Registers of crime reports, criminal cases and the registers the figures need. \
            Every change is an act appended to its unit's hash-chained journal.\n\n\
            Every operation but health, the units, the open data and this document needs a signed-in session (cookie \
            `cb_session`, with its CSRF token in `X-CSRF-Token` on changes) or an API token \
            (`Authorization: Bearer cbt_...`); what each role may do, and in which units, is in \
            docs/access.md. 401 without credentials, 403 when they do not allow it.\n\n\
            Errors are RFC 9457 problem details (`application/problem+json`), each rule broken named \
            by its field and a stable rule code. Messages are in Azerbaijani, Russian or English, of \
            those the installation's jurisdiction pack offers (it may offer fewer): `?lang=az|ru|en`, else \
            `Accept-Language`, else the pack's default language. A `lang` the pack does not offer is refused \
            with 422, naming `lang` (rule `lang.not_offered`)."
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
        identifiers::attach,
        identifiers::remove,
        identifiers::lookup,
        identifiers::request_access,
        series::get,
        series::alerts,
        series::list,
        registers::meetings::list,
        registers::meetings::get,
        board::commitments,
        board::sheet,
        board::task,
        board::queue,
        releases::list,
        releases::get,
        receptions::list,
        receptions::get,
        receptions::schedule,
        registers::appeals::list,
        registers::appeals::get,
        appeals::queue,
        registers::publications::list,
        registers::publications::get,
        publications::revisions,
        registers::freezes::list,
        registers::freezes::get,
        registers::samples::list,
        registers::samples::get,
        samples::findings,
        journal::journal,
        report::report,
        signals::signals,
        briefing::briefing,
        system::units,
        system::verify,
        system::health,
        openapi,
        audit::search,
        open_data::open_data,
    ),
    components(schemas(ProblemBody, FieldError)),
    modifiers(&TaggedCommands, &Security, &ProblemResponses),
    tags(
        (name = "acts", description = "Any act, alone or in an all-or-nothing batch"),
        (name = "reports", description = "Crime reports"),
        (name = "cases", description = "Criminal cases"),
        (name = "seizures", description = "Narcotics seizures"),
        (name = "accountability", description = "Persons held accountable"),
        (name = "accidents", description = "Traffic accidents"),
        (name = "examinations", description = "Forensic examinations"),
        (name = "persons", description = "Persons of cases and reports"),
        (name = "identifiers", description = "Digital identifiers on reports, cases and persons, and the lookup across units (typed values travel in bodies, never in addresses)"),
        (name = "board", description = "The Board at work: meetings, tasks and their follow-up, the meetings' press releases (recorded through the acts)"),
        (name = "receptions", description = "Chiefs' receptions of citizens: sessions, bookings, their records (recorded through the acts)"),
        (name = "appeals", description = "Citizens' appeals: the register, a unit's queue by deadline (recorded through the acts)"),
        (name = "freezes", description = "Requests to banks and payment services to freeze a case's account: the register, open ones by `status=sent` (recorded through the acts)"),
        (name = "journal", description = "The acts in the order they were recorded"),
        (name = "figures", description = "The Board's report: indicators against the same period a year before"),
        (name = "inspection", description = "Samples of a unit's refusals, reclassifications, annulments or cancellations drawn for review, their findings and the estimated error rate (recorded through the acts)"),
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

/// The document's named schemas: what the acts' routes walk a body against
/// to name every field it lacks.
static SCHEMAS: LazyLock<super::required::Schemas> =
    LazyLock::new(|| ApiDoc::openapi().components.map(|c| c.schemas).unwrap_or_default());

/// Every required field `value` lacks by the document's schema `name`.
pub fn missing_fields(name: &str, value: &serde_json::Value) -> Vec<crimeboard_domain::Violation> {
    let root = RefOr::Ref(Ref::from_schema_name(name));
    super::required::missing_fields(&root, &SCHEMAS, value)
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "system",
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json", body = Object)))]
pub async fn openapi() -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], document())
}

/// Routes anyone may call: they declare no security requirement.
const PUBLIC: [&str; 4] = ["/api/health", "/api/openapi.json", "/api/units", "/api/open-data"];

/// Adds the problem responses an operation can give, by what it takes.
struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let has_id = path.contains("{id}");
            let system = matches!(path.as_str(), "/api/health" | "/api/openapi.json");
            if let Some(op) = item.get.as_mut() {
                let has_query = op.parameters.as_ref().is_some_and(|ps| ps.iter().any(|p| p.name != "id"));
                if has_id || has_query {
                    add(
                        op,
                        400,
                        "A parameter is invalid or unknown, or its value breaks a rule the schema cannot state",
                    );
                }
                if has_id {
                    add(op, 404, "No such entry in this register");
                }
            }
            for op in [item.get.as_mut(), item.post.as_mut()].into_iter().flatten() {
                // Credentials that are sent are checked on every route, public or not.
                add(
                    op,
                    401,
                    "No credentials where they are needed, or they do not open (ended session, revoked token)",
                );
                if !system {
                    add(op, 403, "The role, the token or the unit does not allow it, or the CSRF token is wrong");
                }
                add(op, 500, "Internal error; quote the request id");
                add(op, 503, "The request took longer than the server allows");
            }
            if let Some(op) = item.get.as_mut() {
                add(op, 422, "A `lang` the installation's jurisdiction pack does not offer");
            }
            if let Some(op) = item.post.as_mut() {
                add(op, 400, "Not JSON, not UTF-8, or a key given twice");
                add(op, 409, "The source record was imported already");
                add(op, 413, "Body over 1 MiB");
                add(op, 415, "Content-Type is not application/json");
                add(op, 422, "JSON of the wrong shape, rules of the registers broken, or a `lang` not offered");
            }
        }
    }
}

fn add(op: &mut Operation, status: u16, description: &str) {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
    let response = ResponseBuilder::new().description(description).content(PROBLEM_JSON, content).build();
    op.responses.responses.insert(status.to_string(), response.into());
}

/// The two ways to be signed in, and on which routes each is needed.
struct Security;

pub const BEARER: &str = "bearer";
pub const SESSION: &str = "session";
pub const CSRF: &str = "csrf";

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let bearer = Http::builder()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("cbt_...")
            .description(Some("An API token (`crimeboard user token-add`), limited to the actions it was made for"))
            .build();
        components.security_schemes.insert(BEARER.into(), SecurityScheme::Http(bearer));
        let session =
            ApiKeyValue::with_description(SESSION_COOKIE, "The session of a staff member signed in on the pages");
        components.security_schemes.insert(SESSION.into(), SecurityScheme::ApiKey(ApiKey::Cookie(session)));
        let csrf = ApiKeyValue::with_description(
            CSRF_HEADER.as_str(),
            "The session's CSRF token, needed with the cookie on changes",
        );
        components.security_schemes.insert(CSRF.into(), SecurityScheme::ApiKey(ApiKey::Header(csrf)));
        let none = Vec::<String>::new;
        for (_, item) in doc.paths.paths.iter_mut().filter(|(path, _)| !PUBLIC.contains(&path.as_str())) {
            if let Some(op) = item.get.as_mut() {
                op.security =
                    Some(vec![SecurityRequirement::new(BEARER, none()), SecurityRequirement::new(SESSION, none())]);
            }
            if let Some(op) = item.post.as_mut() {
                op.security = Some(vec![
                    SecurityRequirement::new(BEARER, none()),
                    SecurityRequirement::new(SESSION, none()).add(CSRF, none()),
                ]);
            }
        }
    }
}

/// serde writes a `Command` as its act's fields with `act` beside them (an
/// internally tagged enum). utoipa describes that as an `allOf` of the act's
/// schema and `{act}`, which nothing satisfies, the act's schema being closed
/// (`additionalProperties: false`). Each act becomes a schema of its own here,
/// its fields and `act` as a constant, and `Command` a `oneOf` of them told
/// apart by `act`.
struct TaggedCommands;

impl Modify for TaggedCommands {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let schemas = &mut doc.components.as_mut().expect("the document has components").schemas;
        let Some(RefOr::T(Schema::OneOf(command))) = schemas.get("Command") else {
            panic!("Command is a oneOf of its acts")
        };
        let mut acts = OneOf::new();
        acts.description = command.description.clone();
        let mut mapping = Vec::new();
        for variant in command.items.clone() {
            let (act, fields) = act_and_fields(&variant);
            let Some(RefOr::T(Schema::Object(fields))) = schemas.get(&fields) else {
                panic!("the fields of {act} are an object")
            };
            let mut schema = fields.clone();
            schema.properties.insert("act".into(), constant(&act).into());
            schema.required.insert(0, "act".into());
            let name = format!("Command_{act}");
            acts.items.push(Ref::from_schema_name(&name).into());
            mapping.push((act, format!("#/components/schemas/{name}")));
            schemas.insert(name, Schema::Object(schema).into());
        }
        let mut discriminator = Discriminator::new("act");
        discriminator.mapping = mapping.into_iter().collect();
        acts.discriminator = Some(discriminator);
        schemas.insert("Command".into(), Schema::OneOf(acts).into());
    }
}

/// The act's name and the schema of its fields, from utoipa's
/// `allOf: [{$ref: fields}, {properties: {act: {enum: [name]}}}]`.
fn act_and_fields(variant: &RefOr<Schema>) -> (String, String) {
    let RefOr::T(Schema::AllOf(all)) = variant else { panic!("a Command variant is an allOf") };
    let [RefOr::Ref(fields), RefOr::T(Schema::Object(tag))] = all.items.as_slice() else {
        panic!("a Command variant is its fields and its tag")
    };
    let Some(RefOr::T(Schema::Object(act))) = tag.properties.get("act") else { panic!("the tag is `act`") };
    let name = act.enum_values.as_ref().and_then(|v| v.first()).and_then(|v| v.as_str()).expect("the act's name");
    let fields = fields.ref_location.rsplit('/').next().expect("a schema's name").to_string();
    (name.to_string(), fields)
}

/// A string that is exactly `value`.
fn constant(value: &str) -> Schema {
    let mut object = Object::with_type(Type::String);
    object.enum_values = Some(vec![value.into()]);
    object.extensions = Some(Extensions::from_iter([("const", value)]));
    Schema::Object(object)
}
