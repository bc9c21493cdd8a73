//! The sign-in pages: password, second factor, enrolment of a second factor,
//! signing out. Plain HTML forms that work without script; the shared
//! layout is applied to them elsewhere. Every text comes from the locale
//! files and every value is escaped.

use super::cookies::{self, LOGIN_COOKIE, SESSION_COOKIE};
use super::{CSRF_FIELD, Caller, Settings, csrf_field, peer_address};
use crate::i18n::Lang;
use axum::Extension;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use crimeboard_service::Registry;
use crimeboard_service::accounts::{AuthError, Stage};
use std::sync::Arc;

pub const LOGIN_PATH: &str = "/auth/login";
pub const TOTP_PATH: &str = "/auth/totp";
pub const ENROL_PATH: &str = "/auth/enrol";
pub const LOGOUT_PATH: &str = "/auth/logout";
pub const LOGOUT_EVERYWHERE_PATH: &str = "/auth/logout-everywhere";
/// Where a signed-in user lands.
pub const HOME_PATH: &str = "/";

/// Text made inert in HTML, in text and in attribute values alike.
pub fn escape(text: &str) -> String {
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

fn page(lang: Lang, status: StatusCode, title_key: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1>{body}</main></body></html>",
        code = lang.code(),
        title = escape(lang.text(title_key)),
    );
    (status, [(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))], html).into_response()
}

fn error_line(lang: Lang, key: Option<&str>) -> String {
    key.map(|k| format!("<p role=\"alert\">{}</p>", escape(lang.text(k)))).unwrap_or_default()
}

fn field(lang: Lang, name: &str, key: &str, kind: &str, autocomplete: &str) -> String {
    format!(
        "<p><label for=\"{name}\">{label}</label> \
         <input id=\"{name}\" name=\"{name}\" type=\"{kind}\" autocomplete=\"{autocomplete}\" required></p>",
        label = escape(lang.text(key)),
    )
}

fn submit(lang: Lang, key: &str) -> String {
    format!("<p><button type=\"submit\">{}</button></p>", escape(lang.text(key)))
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

fn lang_of(req_query: Option<&str>, headers: &HeaderMap) -> Lang {
    Lang::negotiate(req_query, headers)
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

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Response> {
    tokio::task::spawn_blocking(f).await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// A fresh random token for the login form, kept in a cookie as well.
fn login_token() -> String {
    crimeboard_service::accounts::random_secret().unwrap_or_default()
}

fn login_form(lang: Lang, status: StatusCode, error: Option<&str>, settings: &Settings) -> Response {
    let token = login_token();
    let body = format!(
        "{err}<form method=\"post\" action=\"{LOGIN_PATH}\">{csrf}{login}{password}{button}</form>",
        err = error_line(lang, error),
        csrf = csrf_field(&token),
        login = field(lang, "login", "auth.login.login", "text", "username"),
        password = field(lang, "password", "auth.login.password", "password", "current-password"),
        button = submit(lang, "auth.login.submit"),
    );
    let mut res = page(lang, status, "auth.login.title", &body);
    if let Ok(v) = HeaderValue::from_str(&cookies::set(LOGIN_COOKIE, &token, settings.secure_cookies)) {
        res.headers_mut().append(SET_COOKIE, v);
    }
    res
}

pub async fn login_page(Extension(settings): Extension<Arc<Settings>>, req: Request) -> Response {
    login_form(lang_of(req.uri().query(), req.headers()), StatusCode::OK, None, &settings)
}

/// The fields of a posted form, within the body limit.
async fn form(req: Request) -> (HeaderMap, Option<String>, String, Vec<(String, String)>) {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await.unwrap_or_default();
    let fields = form_urlencoded::parse(&bytes).into_owned().collect();
    let address = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "unknown".into(), |c| c.0.ip().to_string());
    (parts.headers, parts.uri.query().map(String::from), address, fields)
}

fn value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

pub async fn login(
    State(registry): State<Arc<Registry>>,
    Extension(settings): Extension<Arc<Settings>>,
    req: Request,
) -> Response {
    let (headers, query, address, fields) = form(req).await;
    let lang = lang_of(query.as_deref(), &headers);
    // Double submit: the form's token must be the one this browser was given.
    let expected = cookies::cookie_value(&headers, LOGIN_COOKIE).unwrap_or_default();
    let given = value(&fields, CSRF_FIELD);
    if expected.is_empty() || !crimeboard_service::totp::constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        return login_form(lang, StatusCode::FORBIDDEN, Some("access.csrf"), &settings);
    }
    let (login, password) = (value(&fields, "login").to_string(), value(&fields, "password").to_string());
    if login.len() > 64 || password.len() > 1024 {
        return login_form(lang, StatusCode::UNAUTHORIZED, Some("auth.error.credentials"), &settings);
    }
    let r = registry.clone();
    let signed = match blocking(move || r.sign_in(&login, &password, &address)).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    match signed {
        Ok(s) => {
            let next = match s.stage {
                Stage::Password => TOTP_PATH,
                Stage::Enrol => ENROL_PATH,
                Stage::Full => HOME_PATH,
            };
            let secure = settings.secure_cookies;
            redirect(next, &[cookies::set(SESSION_COOKIE, &s.token, secure), cookies::clear(LOGIN_COOKIE, secure)])
        }
        Err(e) => {
            let (status, key) = failure(&e);
            login_form(lang, status, Some(key), &settings)
        }
    }
}

/// The half-signed-in session of the request, at the step a page needs.
async fn pending(registry: &Arc<Registry>, headers: &HeaderMap, stage: Stage) -> Option<(String, String)> {
    let token = cookies::cookie_value(headers, SESSION_COOKIE)?;
    let r = registry.clone();
    let t = token.clone();
    let session = blocking(move || r.session(&t)).await.ok()?.ok()?;
    (session.stage == stage).then_some((token, session.csrf_token))
}

fn totp_form(lang: Lang, status: StatusCode, csrf: &str, error: Option<&str>) -> Response {
    let body = format!(
        "{err}<form method=\"post\" action=\"{TOTP_PATH}\">{csrf}{code}{button}</form>",
        err = error_line(lang, error),
        csrf = csrf_field(csrf),
        code = field(lang, "code", "auth.totp.code", "text", "one-time-code"),
        button = submit(lang, "auth.totp.submit"),
    );
    page(lang, status, "auth.totp.title", &body)
}

pub async fn totp_page(State(registry): State<Arc<Registry>>, req: Request) -> Response {
    let lang = lang_of(req.uri().query(), req.headers());
    match pending(&registry, req.headers(), Stage::Password).await {
        Some((_, csrf)) => totp_form(lang, StatusCode::OK, &csrf, None),
        None => redirect(LOGIN_PATH, &[]),
    }
}

pub async fn totp(State(registry): State<Arc<Registry>>, req: Request) -> Response {
    let address = peer_address(&req);
    let (headers, query, _, fields) = form(req).await;
    let lang = lang_of(query.as_deref(), &headers);
    let Some((token, csrf)) = pending(&registry, &headers, Stage::Password).await else {
        return redirect(LOGIN_PATH, &[]);
    };
    let code = value(&fields, "code").chars().take(64).collect::<String>();
    let r = registry.clone();
    match blocking(move || r.second_factor(&token, &code, &address)).await {
        Ok(Ok(())) => redirect(HOME_PATH, &[]),
        Ok(Err(e)) => {
            let (status, key) = failure(&e);
            totp_form(lang, status, &csrf, Some(key))
        }
        Err(res) => res,
    }
}

pub async fn enrol_page(State(registry): State<Arc<Registry>>, req: Request) -> Response {
    let lang = lang_of(req.uri().query(), req.headers());
    let Some((token, csrf)) = pending(&registry, req.headers(), Stage::Enrol).await else {
        return redirect(LOGIN_PATH, &[]);
    };
    let r = registry.clone();
    let enrolment = match blocking(move || r.begin_enrolment(&token)).await {
        Ok(Ok(e)) => e,
        Ok(Err(_)) => return redirect(LOGIN_PATH, &[]),
        Err(res) => return res,
    };
    let body = format!(
        "<p>{intro}</p><p><code>{uri}</code></p><p>{secret_label} <code>{secret}</code></p>\
         <form method=\"post\" action=\"{ENROL_PATH}\">{csrf}{code}{button}</form>",
        intro = escape(lang.text("auth.enrol.intro")),
        uri = escape(&enrolment.uri),
        secret_label = escape(lang.text("auth.enrol.secret")),
        secret = escape(&enrolment.secret),
        csrf = csrf_field(&csrf),
        code = field(lang, "code", "auth.totp.code", "text", "one-time-code"),
        button = submit(lang, "auth.totp.submit"),
    );
    page(lang, StatusCode::OK, "auth.enrol.title", &body)
}

pub async fn enrol(State(registry): State<Arc<Registry>>, req: Request) -> Response {
    let address = peer_address(&req);
    let (headers, query, _, fields) = form(req).await;
    let lang = lang_of(query.as_deref(), &headers);
    let Some((token, _)) = pending(&registry, &headers, Stage::Enrol).await else {
        return redirect(LOGIN_PATH, &[]);
    };
    let code = value(&fields, "code").chars().take(64).collect::<String>();
    let r = registry.clone();
    match blocking(move || r.confirm_enrolment(&token, &code, &address)).await {
        Ok(Ok(codes)) => {
            let list: String = codes.iter().map(|c| format!("<li><code>{}</code></li>", escape(c))).collect();
            let body = format!(
                "<p>{}</p><ol>{list}</ol><p><a href=\"{HOME_PATH}\">{}</a></p>",
                escape(lang.text("auth.enrol.codes")),
                escape(lang.text("auth.enrol.continue"))
            );
            page(lang, StatusCode::OK, "auth.enrol.title", &body)
        }
        Ok(Err(e)) => {
            let (status, key) = failure(&e);
            let body = format!(
                "{}<p><a href=\"{ENROL_PATH}\">{}</a></p>",
                error_line(lang, Some(key)),
                escape(lang.text("auth.enrol.title"))
            );
            page(lang, status, "auth.enrol.title", &body)
        }
        Err(res) => res,
    }
}

/// Ends this session (its CSRF token was checked on the way in).
pub async fn logout(
    State(registry): State<Arc<Registry>>,
    Extension(settings): Extension<Arc<Settings>>,
    caller: Caller,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = cookies::cookie_value(&headers, SESSION_COOKIE) {
        let r = registry.clone();
        let address = caller.address.clone();
        let _ = blocking(move || r.sign_out(&token, &address)).await;
    }
    redirect(LOGIN_PATH, &[cookies::clear(SESSION_COOKIE, settings.secure_cookies)])
}

/// Ends every session of the signed-in user, this one included.
pub async fn logout_everywhere(
    State(registry): State<Arc<Registry>>,
    Extension(settings): Extension<Arc<Settings>>,
    caller: Caller,
) -> Response {
    if !caller.is_signed_in() || caller.via == super::Via::ApiToken {
        return super::unauthenticated().into_response();
    }
    let r = registry.clone();
    let (login, actor) = (caller.principal.login.clone(), caller.actor());
    let _ = blocking(move || r.sign_out_everywhere(&login, &actor)).await;
    redirect(LOGIN_PATH, &[cookies::clear(SESSION_COOKIE, settings.secure_cookies)])
}
