//! Requests as a browser sends them: forms, cookies, following nothing.

use crate::support::{App, NOW, Reply, at};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use crimeboard_domain::access::Role;
use crimeboard_service::accounts::NewUser;
use crimeboard_service::totp;

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

/// A signed-in browser: its session cookie and the CSRF token its forms carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub const PASSWORD: &str = "Xəzər dənizi sahili 2024";

/// Makes a user through the service with [`PASSWORD`] and a second factor;
/// returns the factor's secret.
pub async fn add_user(app: &App, login: &str, role: Role, unit: &str, grants: &[&str]) -> Vec<u8> {
    let r = app.registry.clone();
    let (login, unit) = (login.to_string(), unit.to_string());
    let grants: Vec<String> = grants.iter().map(|g| g.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let new = NewUser {
            login: login.clone(),
            display_name: login.clone(),
            role,
            home_unit: unit,
            grants,
            password: PASSWORD.into(),
        };
        r.add_user(&new, &r.console()).unwrap();
        totp::base32_decode(&r.reset_totp(&login, &r.console()).unwrap().secret).unwrap()
    })
    .await
    .unwrap()
}

/// Makes a user through the service and signs them in through it to the
/// end: the session a browser would hold.
pub async fn sign_in(app: &App, login: &str, role: Role, unit: &str, grants: &[&str]) -> Session {
    let secret = add_user(app, login, role, unit, grants).await;
    let r = app.registry.clone();
    let login = login.to_string();
    tokio::task::spawn_blocking(move || {
        let s = r.sign_in(&login, PASSWORD, "127.0.0.1").unwrap();
        let s = r.second_factor(&s.token, &totp::code(&secret, at(NOW)), "127.0.0.1").unwrap();
        Session { cookie: format!("cb_session={}", s.token), csrf: s.csrf_token }
    })
    .await
    .unwrap()
}

pub async fn get_as(app: &App, uri: &str, session: Option<&Session>) -> Reply {
    let mut req = Request::get(uri);
    if let Some(s) = session {
        req = req.header(header::COOKIE, &s.cookie);
    }
    app.send_as_is(req.body(Body::empty()).unwrap()).await
}

/// Posts a form as a signed-in browser does, its CSRF token added.
pub async fn post_as(app: &App, uri: &str, fields: &[(&str, &str)], session: Option<&Session>) -> Reply {
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    if let Some(s) = session {
        all.push(("csrf", &s.csrf));
    }
    post_raw_as(app, uri, &all, session.map(|s| s.cookie.as_str())).await
}

/// Posts exactly these fields with this cookie, or none.
pub async fn post_raw_as(app: &App, uri: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    let mut req = Request::post(uri).header(header::CONTENT_TYPE, FORM);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send_as_is(req.body(Body::from(body)).unwrap()).await
}
