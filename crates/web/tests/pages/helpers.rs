//! Requests as a browser sends them: forms, cookies, following nothing.

use crate::support::{App, Reply};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

pub const FORM: &str = "application/x-www-form-urlencoded";

pub async fn get_with_cookie(app: &App, uri: &str, cookie: &str) -> Reply {
    app.send(Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
}

pub async fn post_form(app: &App, uri: &str, fields: &[(&str, &str)]) -> Reply {
    post_form_with_cookie(app, uri, fields, "").await
}

pub async fn post_form_with_cookie(app: &App, uri: &str, fields: &[(&str, &str)], cookie: &str) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    let mut req = Request::post(uri).header(header::CONTENT_TYPE, FORM);
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

/// The page as text, checked to be a whole HTML page in `lang` with status `status`.
pub fn html(reply: &Reply, status: StatusCode, lang: &str) -> String {
    let text = String::from_utf8(reply.body.clone()).unwrap();
    assert_eq!(reply.status, status, "{text}");
    assert!(reply.header("content-type").starts_with("text/html"), "{}", reply.header("content-type"));
    assert!(text.starts_with("<!DOCTYPE html>"), "{text}");
    assert!(text.contains(&format!("<html lang=\"{lang}\"")), "expected lang {lang}: {}", &text[..200.min(text.len())]);
    assert!(text.contains("href=\"#main\""), "no skip link");
    assert!(!text.contains(" style=\""), "an inline style attribute");
    assert!(!text.contains("<script"), "a script");
    text
}

/// Where a 303 sends the browser.
pub fn location(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", String::from_utf8_lossy(&reply.body));
    reply.header("location").to_string()
}

/// The journal's length, to show that a refused form wrote nothing.
pub async fn position(app: &App) -> i64 {
    app.position().await
}
