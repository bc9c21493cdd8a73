//! The sign-in pages: password, second factor, enrolment of a second factor,
//! signing out. Plain HTML forms that work without script, in the pages'
//! shared layout, with each message next to its field. Every text comes from
//! the locale files and every value is escaped. `?next=` (a local path only)
//! is carried through the steps to the page that sent the user to sign in.

use super::form::{self, Form, csrf_field, field};
use super::guard;
use super::layout;
use super::paths::{self, ENROL_PATH, LOGIN_PATH, TOTP_PATH};
use super::respond::error_page;
use super::viewer::{Viewer, query_value};
use crate::auth::cookies::{self, LOGIN_COOKIE, SESSION_COOKIE};
use crate::auth::{CSRF_FIELD, Caller, Settings, Via, peer_address};
use crate::problem::unauthenticated;
use crate::state::{Shared, blocking};
use axum::Extension;
use axum::extract::{RawQuery, Request, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use crimeboard_domain::Violation;
use crimeboard_service::Registry;
use crimeboard_service::accounts::{AuthError, Enrolment, Stage};
use maud::{Markup, PreEscaped, html};
use std::sync::Arc;

/// Where a signed-in user lands.
pub const HOME_PATH: &str = "/";

/// Text made inert in HTML, in text and in attribute values alike.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A sign-in step's page in the shared layout (language switch, view switch).
fn page(v: &Viewer, status: StatusCode, title_key: &'static str, body: Markup) -> Response {
    let title = v.t(title_key);
    layout::page_with_status(v, status, title, html! { h1 { (title) } (body) })
}

fn redirect(to: &str, cookies: &[String]) -> Response {
    let mut res =
        (StatusCode::SEE_OTHER, [(LOCATION, HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/")))])
            .into_response();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}

/// The message key and status of a failed step.
fn failure(e: &AuthError) -> (StatusCode, &'static str) {
    match e {
        AuthError::LockedOut => (StatusCode::TOO_MANY_REQUESTS, "auth.error.locked"),
        AuthError::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "auth.error.rate_limited"),
        AuthError::SessionEnded | AuthError::WrongStep => (StatusCode::UNAUTHORIZED, "auth.error.session"),
        AuthError::BadCredentials => (StatusCode::UNAUTHORIZED, "auth.error.credentials"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// A fresh random token for the login form, kept in a cookie as well.
fn login_token() -> String {
    crimeboard_service::accounts::random_secret().unwrap_or_default()
}

/// Where to go once signed in: `?next=`, if it is a path on this server.
fn next_of(query: Option<&str>) -> String {
    guard::next_or_home(query_value(query, "next").as_deref())
}

/// A step's address carrying where to go once signed in.
fn with_next(path: &str, next: &str) -> String {
    if next == HOME_PATH { path.to_string() } else { paths::link(path, &[("next", next)]) }
}

/// The password form. What was typed for the login comes back; the password never does.
fn login_form(v: &Viewer, status: StatusCode, form: &Form, next: &str, settings: &Settings) -> Response {
    let token = login_token();
    let fields = html! {
        (csrf_field(&token))
        (field("login", "auth.login.login").required().autocomplete("username").input(v, form, "text"))
        (field("password", "auth.login.password").required().autocomplete("current-password").input(v, form, "password"))
        button type="submit" { (v.t("auth.login.submit")) }
    };
    let body = html! {
        (form::summary(v, form))
        form method="post" action=(with_next(LOGIN_PATH, next)) novalidate { (fields) }
    };
    let mut res = page(v, status, "auth.login.title", body);
    if let Ok(value) = HeaderValue::from_str(&cookies::set(LOGIN_COOKIE, &token, settings.secure_cookies)) {
        res.headers_mut().append(SET_COOKIE, value);
    }
    res
}

pub async fn login_page(v: Viewer, Extension(settings): Extension<Arc<Settings>>, RawQuery(q): RawQuery) -> Response {
    login_form(&v, StatusCode::OK, &Form::default(), &next_of(q.as_deref()), &settings)
}

/// The fields of a posted form, within the body limit.
async fn posted(req: Request) -> (HeaderMap, Option<String>, Form) {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, crate::body::MAX_BODY_BYTES).await.unwrap_or_default();
    (parts.headers, parts.uri.query().map(String::from), Form::parse(&bytes))
}

/// A failed step's form: the message next to the field it is about.
fn refused(field: &str, key: &str) -> Violation {
    Violation::new(field, key)
}

pub async fn login(
    v: Viewer,
    State(registry): Shared,
    Extension(settings): Extension<Arc<Settings>>,
    req: Request,
) -> Response {
    let address = peer_address(&req);
    let (headers, query, form) = posted(req).await;
    let next = next_of(query.as_deref());
    let mut shown = Form::default().with("login", form.get("login").chars().take(64).collect::<String>());
    // Double submit: the form's token must be the one this browser was given.
    let expected = cookies::cookie_value(&headers, LOGIN_COOKIE).unwrap_or_default();
    let given = form.get(CSRF_FIELD);
    if expected.is_empty() || !crimeboard_service::totp::constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        shown.reject(refused("", "access.csrf"));
        return login_form(&v, StatusCode::FORBIDDEN, &shown, &next, &settings);
    }
    let (login, password) = (form.text("login"), form.get("password").to_string());
    if login.len() > 64 || password.len() > 1024 {
        shown.reject(refused("password", "auth.error.credentials"));
        return login_form(&v, StatusCode::UNAUTHORIZED, &shown, &next, &settings);
    }
    // A session the browser already holds is ended, not kept beside the new one.
    let held = cookies::cookie_value(&headers, SESSION_COOKIE);
    let signed = match blocking(&registry, move |r| {
        Ok(r.sign_in(&login, &password, &address).and_then(|signed| match held {
            Some(old) => r.sign_out(&old, &address).map(|()| signed),
            None => Ok(signed),
        }))
    })
    .await
    {
        Ok(s) => s,
        Err(p) => return error_page(&v, &p),
    };
    match signed {
        Ok(s) => {
            let to = match s.stage {
                Stage::Password => with_next(TOTP_PATH, &next),
                Stage::Enrol => with_next(ENROL_PATH, &next),
                Stage::Full => next,
            };
            let secure = settings.secure_cookies;
            redirect(&to, &[cookies::set(SESSION_COOKIE, &s.token, secure), cookies::clear(LOGIN_COOKIE, secure)])
        }
        Err(e) => {
            let (status, key) = failure(&e);
            shown.reject(refused("password", key));
            login_form(&v, status, &shown, &next, &settings)
        }
    }
}

/// The half-signed-in session of the request, at the step a page needs.
async fn pending(registry: &Arc<Registry>, headers: &HeaderMap, stage: Stage) -> Option<(String, String)> {
    let token = cookies::cookie_value(headers, SESSION_COOKIE)?;
    let t = token.clone();
    let session = blocking(registry, move |r| Ok(r.session(&t))).await.ok()?.ok()?;
    (session.stage == stage).then_some((token, session.csrf_token))
}

/// The code field and its button, posted with the half-signed-in session's CSRF token.
fn code_form(v: &Viewer, action: &str, csrf: &str, form: &Form) -> Markup {
    html! {
        (form::summary(v, form))
        form method="post" action=(action) novalidate {
            (csrf_field(csrf))
            (field("code", "auth.totp.code").required().autocomplete("one-time-code").input(v, form, "text"))
            button type="submit" { (v.t("auth.totp.submit")) }
        }
    }
}

pub async fn totp_page(v: Viewer, State(registry): Shared, req: Request) -> Response {
    let next = next_of(req.uri().query());
    match pending(&registry, req.headers(), Stage::Password).await {
        Some((_, csrf)) => page(
            &v,
            StatusCode::OK,
            "auth.totp.title",
            code_form(&v, &with_next(TOTP_PATH, &next), &csrf, &Form::default()),
        ),
        None => redirect(&with_next(LOGIN_PATH, &next), &[]),
    }
}

pub async fn totp(
    v: Viewer,
    State(registry): Shared,
    Extension(settings): Extension<Arc<Settings>>,
    req: Request,
) -> Response {
    let address = peer_address(&req);
    let (headers, query, form) = posted(req).await;
    let next = next_of(query.as_deref());
    let Some((token, csrf)) = pending(&registry, &headers, Stage::Password).await else {
        return redirect(&with_next(LOGIN_PATH, &next), &[]);
    };
    let code = form.get("code").chars().take(64).collect::<String>();
    match blocking(&registry, move |r| Ok(r.second_factor(&token, &code, &address))).await {
        Ok(Ok(session)) => redirect(&next, &[cookies::set(SESSION_COOKIE, &session.token, settings.secure_cookies)]),
        Ok(Err(e)) => {
            let (status, key) = failure(&e);
            let mut shown = Form::default();
            shown.reject(refused("code", key));
            page(&v, status, "auth.totp.title", code_form(&v, &with_next(TOTP_PATH, &next), &csrf, &shown))
        }
        Err(p) => error_page(&v, &p),
    }
}

pub async fn enrol_page(v: Viewer, State(registry): Shared, req: Request) -> Response {
    let next = next_of(req.uri().query());
    let Some((token, csrf)) = pending(&registry, req.headers(), Stage::Enrol).await else {
        return redirect(&with_next(LOGIN_PATH, &next), &[]);
    };
    let enrolment = match blocking(&registry, move |r| Ok(r.begin_enrolment(&token))).await {
        Ok(Ok(e)) => e,
        Ok(Err(_)) => return redirect(&with_next(LOGIN_PATH, &next), &[]),
        Err(p) => return error_page(&v, &p),
    };
    page(&v, StatusCode::OK, "auth.enrol.title", enrol_body(&v, &enrolment, &next, &csrf, &Form::default()))
}

/// The `otpauth://` URI as a QR code for an authenticator app to scan,
/// drawn on the server as inline SVG: `role="img"` with a title that names
/// it, colours as attributes (the CSP allows no `style`), no script. The URI
/// and the secret are shown as text beside it for whoever cannot scan.
pub fn qr_code(v: &Viewer, uri: &str) -> Markup {
    use qrcode::render::svg;
    let Ok(code) = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M) else {
        return html! {};
    };
    let drawn = code
        .render::<svg::Color>()
        .module_dimensions(4, 4)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // The renderer writes a standalone document: drop the XML declaration
    // and name the picture for assistive technology.
    let Some(start) = drawn.find("<svg ") else { return html! {} };
    let Some(open_end) = drawn[start..].find('>').map(|i| start + i + 1) else { return html! {} };
    let label = escape(v.t("auth.enrol.qr"));
    let svg = format!(
        "<svg role=\"img\" aria-label=\"{label}\" class=\"qr\" {}<title>{label}</title>{}",
        &drawn[start + 5..open_end],
        &drawn[open_end..]
    );
    html! { p.qr { (PreEscaped(svg)) } }
}

fn enrol_body(v: &Viewer, enrolment: &Enrolment, next: &str, csrf: &str, form: &Form) -> Markup {
    html! {
        p { (v.t("auth.enrol.intro")) }
        (qr_code(v, &enrolment.uri))
        p { code.secret { (enrolment.uri) } }
        p { (v.t("auth.enrol.secret")) " " code.secret { (enrolment.secret) } }
        (code_form(v, &with_next(ENROL_PATH, next), csrf, form))
    }
}

pub async fn enrol(
    v: Viewer,
    State(registry): Shared,
    Extension(settings): Extension<Arc<Settings>>,
    req: Request,
) -> Response {
    let address = peer_address(&req);
    let (headers, query, form) = posted(req).await;
    let next = next_of(query.as_deref());
    let Some((token, _)) = pending(&registry, &headers, Stage::Enrol).await else {
        return redirect(&with_next(LOGIN_PATH, &next), &[]);
    };
    let code = form.get("code").chars().take(64).collect::<String>();
    match blocking(&registry, move |r| Ok(r.confirm_enrolment(&token, &code, &address))).await {
        Ok(Ok((session, codes))) => {
            let body = html! {
                p { (v.t("auth.enrol.codes")) }
                ol { @for c in &codes { li { code { (c) } } } }
                p { a.button href=(next) { (v.t("auth.enrol.continue")) } }
            };
            let mut res = page(&v, StatusCode::OK, "auth.enrol.title", body);
            let cookie = cookies::set(SESSION_COOKIE, &session.token, settings.secure_cookies);
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(SET_COOKIE, value);
            }
            res
        }
        Ok(Err(e)) => {
            let (status, key) = failure(&e);
            let body = html! {
                div.error-summary role="alert" { p { (v.t(key)) } }
                p { a href=(with_next(ENROL_PATH, &next)) { (v.t("auth.enrol.title")) } }
            };
            page(&v, status, "auth.enrol.title", body)
        }
        Err(p) => error_page(&v, &p),
    }
}

/// Ends this session (its CSRF token was checked on the way in).
pub async fn logout(
    State(registry): Shared,
    Extension(settings): Extension<Arc<Settings>>,
    caller: Caller,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = cookies::cookie_value(&headers, SESSION_COOKIE) {
        let address = caller.address.clone();
        let _ = blocking(&registry, move |r| Ok(r.sign_out(&token, &address))).await;
    }
    redirect(LOGIN_PATH, &[cookies::clear(SESSION_COOKIE, settings.secure_cookies)])
}

/// Ends every session of the signed-in user, this one included.
pub async fn logout_everywhere(
    State(registry): Shared,
    Extension(settings): Extension<Arc<Settings>>,
    caller: Caller,
) -> Response {
    if !caller.is_signed_in() || caller.via == Via::ApiToken {
        return unauthenticated().into_response();
    }
    let (login, by) = (caller.principal.login.clone(), caller.by());
    let _ = blocking(&registry, move |r| Ok(r.sign_out_everywhere(&login, &by))).await;
    redirect(LOGIN_PATH, &[cookies::clear(SESSION_COOKIE, settings.secure_cookies)])
}
