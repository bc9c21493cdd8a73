//! Errors as RFC 9457 problem details. A handler returns a [`Problem`]: a
//! status, a problem type and the violated rules, with no text. The
//! [`problem_details`] middleware, which knows the request, renders it in the
//! user's language with the request id and path, and logs internal causes.

use crate::i18n::{Lang, Offer};
use axum::extract::Request;
use axum::http::header::{CONTENT_LANGUAGE, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use crimeboard_domain::Violation;
use crimeboard_domain::access::Denied;
use crimeboard_service::ServiceError;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

pub const TYPE_BASE: &str = "https://crimeboard.example/problems/";
pub const PROBLEM_JSON: &str = "application/problem+json";
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The shapes of a value a violation's `found` and `expected` can name (a
/// message says them in words, `json.type.<code>` in the locales).
pub const SHAPES: [&str; 11] =
    ["text", "integer", "whole_number", "number", "boolean", "list", "object", "null", "date_time", "uuid", "value"];

/// The kinds of problem, each a stable `type` URI with its own title.
pub mod kind {
    /// Rules of the registers broken by what was submitted.
    pub const VALIDATION: &str = "validation";
    pub const NOT_FOUND: &str = "not_found";
    pub const ROUTE_NOT_FOUND: &str = "route.not_found";
    pub const METHOD_NOT_ALLOWED: &str = "method.not_allowed";
    pub const INTERNAL: &str = "internal";
    pub const CONTENT_TYPE: &str = "request.content_type";
    pub const UTF8: &str = "request.utf8";
    pub const TOO_LARGE: &str = "request.too_large";
    pub const BODY: &str = "request.body";
    /// Not JSON at all, or ambiguous JSON (a key given twice).
    pub const JSON_SYNTAX: &str = "json.syntax";
    /// JSON of the wrong shape: unknown or missing fields, wrong types or values.
    pub const JSON_INVALID: &str = "json.invalid";
    /// A bad query string or path parameter.
    pub const PARAM_INVALID: &str = "param.invalid";
    /// Nobody is signed in, and the route needs someone (401).
    pub const UNAUTHENTICATED: &str = "access.unauthenticated";
    /// The signed-in user may not do this, or not here (403).
    pub const FORBIDDEN: &str = "access.forbidden";
    /// The request took longer than the server allows (503).
    pub const TIMEOUT: &str = "request.timeout";
    /// Too many heavy requests at once; `Retry-After` says when to ask again (503).
    pub const BUSY: &str = "request.busy";

    pub const ALL: [&str; 16] = [
        VALIDATION,
        NOT_FOUND,
        ROUTE_NOT_FOUND,
        METHOD_NOT_ALLOWED,
        INTERNAL,
        CONTENT_TYPE,
        UTF8,
        TOO_LARGE,
        BODY,
        JSON_SYNTAX,
        JSON_INVALID,
        PARAM_INVALID,
        UNAUTHENTICATED,
        FORBIDDEN,
        TIMEOUT,
        BUSY,
    ];

    /// Kinds whose detail is a fixed sentence, not the messages of their errors.
    pub const WITHOUT_ERRORS: [&str; 7] =
        [NOT_FOUND, ROUTE_NOT_FOUND, METHOD_NOT_ALLOWED, INTERNAL, UNAUTHENTICATED, TIMEOUT, BUSY];
}

/// What went wrong with a request, before it is put into words.
#[derive(Debug, Clone)]
pub struct Problem {
    pub status: StatusCode,
    pub kind: &'static str,
    pub errors: Vec<Violation>,
    /// The internal cause of a 500, for the log only: never sent.
    pub cause: Option<String>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &'static str, errors: Vec<Violation>) -> Problem {
        Problem { status, kind, errors, cause: None }
    }

    pub fn one(status: StatusCode, kind: &'static str, error: Violation) -> Problem {
        Problem::new(status, kind, vec![error])
    }

    pub fn not_found() -> Problem {
        Problem::new(StatusCode::NOT_FOUND, kind::NOT_FOUND, vec![])
    }

    pub fn internal(cause: impl Into<String>) -> Problem {
        Problem { cause: Some(cause.into()), ..Problem::new(StatusCode::INTERNAL_SERVER_ERROR, kind::INTERNAL, vec![]) }
    }

    pub fn param(error: Violation) -> Problem {
        Problem::one(StatusCode::BAD_REQUEST, kind::PARAM_INVALID, error)
    }

    /// A refused submission; `nest` turns the service's field names into
    /// paths in the request body.
    pub fn from_submission(err: ServiceError, nest: Nesting) -> Problem {
        match err {
            ServiceError::Rejected(r) => Problem::validation(r.0.into_iter().map(|v| nest.apply(None, v)).collect()),
            ServiceError::BatchItem { index, rejected } => {
                Problem::validation(rejected.0.into_iter().map(|v| nest.apply(Some(index), v)).collect())
            }
            other => Problem::from_service(other),
        }
    }

    /// A refused query: its fields are query parameters, so it is a 400.
    pub fn from_query(err: ServiceError) -> Problem {
        match err {
            ServiceError::Rejected(r) => Problem::new(StatusCode::BAD_REQUEST, kind::PARAM_INVALID, r.0),
            other => Problem::from_service(other),
        }
    }

    pub fn from_service(err: ServiceError) -> Problem {
        match err {
            ServiceError::Rejected(r) | ServiceError::BatchItem { rejected: r, .. } => Problem::validation(r.0),
            ServiceError::Denied(denied) => self::denied(denied),
            ServiceError::NotFound => Problem::not_found(),
            // A source identity already recorded is the caller's duplicate, not our fault.
            ServiceError::Store(crimeboard_store::StoreError::AlreadyImported { system, id }) => Problem::new(
                StatusCode::CONFLICT,
                kind::VALIDATION,
                vec![Violation::new("source.id", "source.already_imported").with("system", system).with("id", id)],
            ),
            ServiceError::Store(e) => Problem::internal(format!("store: {e}")),
        }
    }

    fn validation(errors: Vec<Violation>) -> Problem {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, kind::VALIDATION, errors)
    }

    /// The body the user sees.
    pub fn body(&self, lang: Lang, request_id: Uuid, instance: &str) -> ProblemBody {
        let errors: Vec<FieldError> = self.errors.iter().map(|v| FieldError::of(v, lang)).collect();
        let detail = if errors.is_empty() {
            lang.text(self.kind).to_string()
        } else {
            errors.iter().map(FieldError::summary).collect::<Vec<_>>().join("; ")
        };
        ProblemBody {
            problem_type: format!("{TYPE_BASE}{}", self.kind),
            title: lang.text(&format!("title.{}", self.kind)).to_string(),
            status: self.status.as_u16(),
            detail,
            instance: Some(instance.to_string()),
            request_id: request_id.to_string(),
            errors,
        }
    }
}

/// How the service's field names sit in a request body: a command's fields
/// under `command` (or `data` for a register's own endpoint), a batch's
/// under `submissions[i]`; the envelope's `actor`, `legal_ground` and
/// `late` stay at the top.
#[derive(Debug, Clone, Copy)]
pub enum Nesting {
    /// `{"actor","legal_ground","command":{...}}`, alone or in a batch.
    Command,
    /// `{"actor","legal_ground","data":{...}}`.
    Data,
}

impl Nesting {
    fn apply(self, batch_index: Option<usize>, mut v: Violation) -> Violation {
        let envelope = matches!(v.field.as_str(), "actor" | "legal_ground" | "late") || v.field.starts_with("late.");
        let inner = match (envelope, self) {
            (true, _) => String::new(),
            (false, Nesting::Command) => "command".into(),
            (false, Nesting::Data) => "data".into(),
        };
        let outer = batch_index.map(|i| format!("submissions[{i}]")).unwrap_or_default();
        v.field = join_path(&join_path(&outer, &inner), &v.field);
        v
    }
}

/// `a` + `b` as a dotted path; an index (`[0]`) needs no dot.
pub fn join_path(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ if b.starts_with('[') => format!("{a}{b}"),
        _ => format!("{a}.{b}"),
    }
}

/// An RFC 9457 problem as sent.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Problem)]
pub struct ProblemBody {
    /// `https://crimeboard.example/problems/<kind>`: a stable identifier of the kind of problem.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the kind, in the user's language.
    pub title: String,
    pub status: u16,
    /// What went wrong in this request, in the user's language.
    pub detail: String,
    /// The path of the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Quote it when reporting a problem: the server's log carries the same id.
    pub request_id: String,
    /// Every rule the request broke, each on the input it concerns.
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// Path of the input in the request, e.g. `data.applicant.fin` or `articles[0]`;
    /// a query parameter's name; empty for the body as a whole.
    pub field: String,
    /// Stable code of the rule, e.g. `article.unknown`.
    pub rule: String,
    /// The rule's message in the user's language.
    pub message: String,
    /// Values the message refers to.
    pub params: BTreeMap<String, String>,
}

impl FieldError {
    /// The message, led by the field unless it names the field itself.
    fn summary(&self) -> String {
        if self.field.is_empty() || self.message.contains(&self.field) {
            self.message.clone()
        } else {
            format!("{}: {}", self.field, self.message)
        }
    }

    fn of(v: &Violation, lang: Lang) -> FieldError {
        FieldError {
            field: v.field.clone(),
            rule: v.rule.clone(),
            message: lang.message(&v.rule, &v.field, &v.params),
            params: v.params.iter().cloned().collect(),
        }
    }
}

/// Until the middleware renders it, a problem travels in the response's
/// extensions: handlers and extractors do not know the request's language.
impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut res = self.status.into_response();
        res.extensions_mut().insert(self);
        res
    }
}

/// Gives every response its language and request id, and renders problems.
pub async fn problem_details(req: Request, next: Next) -> Response {
    let lang = offer(&req).negotiate(req.uri().query(), req.headers());
    let request_id = Uuid::now_v7();
    let instance = req.uri().path().to_string();
    let method = req.method().clone();
    let mut res = next.run(req).await;
    if let Some(problem) = res.extensions_mut().remove::<Problem>() {
        if let Some(cause) = &problem.cause {
            eprintln!("crimeboard: request {request_id} {method} {instance}: {cause}");
        }
        // The rendered problem replaces the answer; when to retry stays.
        let retry_after = res.headers().get(RETRY_AFTER).cloned();
        res = render(&problem, lang, request_id, &instance);
        if let Some(value) = retry_after {
            res.headers_mut().insert(RETRY_AFTER, value);
        }
    }
    let headers = res.headers_mut();
    // A page has already said which language it is in (its viewer's choice may be a cookie).
    if !headers.contains_key(CONTENT_LANGUAGE) {
        headers.insert(CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
    }
    if let Ok(id) = HeaderValue::from_str(&request_id.to_string()) {
        headers.insert(REQUEST_ID, id);
    }
    res
}

/// The languages the pack in force offers (every one the system speaks
/// before the router has read the pack).
pub fn offer(req: &Request) -> Offer {
    req.extensions().get::<Offer>().cloned().unwrap_or_else(Offer::every)
}

fn render(problem: &Problem, lang: Lang, request_id: Uuid, instance: &str) -> Response {
    let body = problem.body(lang, request_id, instance);
    let json = serde_json::to_vec(&body).unwrap_or_default();
    let mut res = (problem.status, json).into_response();
    res.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    res
}

/// A refusal as a problem: who is not signed in gets 401, anyone else 403.
pub fn denied(d: Denied) -> Problem {
    match d {
        Denied::Unauthenticated => unauthenticated(),
        // Each rule written out, so the locale test sees every code raised.
        Denied::Role => forbidden(Violation::new("", "access.role")),
        Denied::Token => forbidden(Violation::new("", "access.token")),
        Denied::Scope => forbidden(Violation::new("", "access.scope")),
        Denied::NotController => forbidden(Violation::new("", "access.not_controller")),
    }
}

fn forbidden(v: Violation) -> Problem {
    Problem::one(StatusCode::FORBIDDEN, kind::FORBIDDEN, v)
}

pub fn unauthenticated() -> Problem {
    Problem::new(StatusCode::UNAUTHORIZED, kind::UNAUTHENTICATED, vec![])
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_shape_is_said_in_every_language() {
        for lang in crate::i18n::Lang::ALL {
            for shape in super::SHAPES {
                let key = format!("json.type.{shape}");
                assert_ne!(lang.text(&key), key, "{lang:?} lacks {shape}");
            }
        }
    }

    use super::*;
    use crimeboard_domain::Rejected;

    #[test]
    fn batch_fields_nest_under_their_item_and_command() {
        let rejected =
            Rejected(vec![Violation::new("articles[0]", "article.unknown"), Violation::new("actor", "text.required")]);
        let p = Problem::from_submission(ServiceError::BatchItem { index: 3, rejected }, Nesting::Command);
        let fields: Vec<_> = p.errors.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["submissions[3].command.articles[0]", "submissions[3].actor"]);
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn store_errors_are_500_without_their_cause_in_the_body() {
        let p =
            Problem::from_service(ServiceError::Store(crimeboard_store::StoreError::Corrupt("secret table x".into())));
        let body = serde_json::to_string(&p.body(Lang::En, Uuid::nil(), "/api/x")).unwrap();
        assert_eq!(p.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!body.contains("secret"), "{body}");
        assert!(p.cause.as_deref().is_some_and(|c| c.contains("secret")));
    }

    #[test]
    fn every_problem_kind_has_a_title_and_the_fieldless_ones_a_detail() {
        use crate::i18n::catalogue;
        for lang in Lang::ALL {
            for kind in kind::ALL {
                assert!(catalogue(lang).contains_key(&format!("title.{kind}")), "{}: title.{kind}", lang.code());
            }
            for kind in kind::WITHOUT_ERRORS {
                assert!(catalogue(lang).contains_key(kind), "{}: {kind}", lang.code());
            }
        }
    }
}
