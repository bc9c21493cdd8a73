//! The answers every kind of page gives besides its own: a problem as a page,
//! the redirect after a recorded form, and a record's id read from the address.

use super::layout::page_with_status;
use super::viewer::Viewer;
use crate::problem::Problem;
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::html;

/// A problem as a page in the viewer's language; an internal cause is logged, never shown.
pub fn error_page(v: &Viewer, problem: &Problem) -> Response {
    if let Some(cause) = &problem.cause {
        eprintln!("crimeboard: page {}: {cause}", v.here);
    }
    let title = v.lang.text(&format!("title.{}", problem.kind)).to_string();
    let body = html! {
        h1 { (title) }
        @if problem.errors.is_empty() {
            p { (v.lang.text(problem.kind)) }
        } @else {
            ul { @for e in &problem.errors { li { (v.message(e)) } } }
        }
        p { a href="/" { (v.t("ui.nav.home")) } }
    };
    page_with_status(v, problem.status, &title, body)
}

/// After a recorded form: see the record (303, so a reload does not post again).
pub fn see_other(location: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        res.headers_mut().insert(LOCATION, value);
    }
    res
}

/// The id in a record's address; anything else is a page not found, in the viewer's language.
pub struct PageId(pub uuid::Uuid);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<PageId, Response> {
        let raw = axum::extract::Path::<String>::from_request_parts(parts, state).await.map(|p| p.0);
        match raw.ok().and_then(|r| uuid::Uuid::parse_str(&r).ok()) {
            Some(id) => Ok(PageId(id)),
            None => {
                let Ok(v) = Viewer::from_request_parts(parts, state).await;
                Err(error_page(&v, &Problem::not_found()))
            }
        }
    }
}
