//! Signing in through the pages with a password and a second factor, the
//! session cookie's attributes, its CSRF token on every unsafe request, and
//! a cookie that stops working once its session is signed out.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use crimeboard_domain::access::Role;
use crimeboard_service::accounts::NewUser;
use crimeboard_service::totp;

const PASSWORD: &str = "Xəzər dənizi sahili 2024";

fn set_cookies(reply: &Reply) -> Vec<String> {
    reply.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

/// `name=value` of the cookie a reply sets.
fn cookie(reply: &Reply, name: &str) -> String {
    let set = set_cookies(reply);
    let line =
        set.iter().find(|c| c.starts_with(&format!("{name}="))).unwrap_or_else(|| panic!("no {name} in {set:?}"));
    line.split(';').next().unwrap().to_string()
}

/// The value of the hidden CSRF field of a page.
fn hidden_csrf(reply: &Reply) -> String {
    let html = String::from_utf8_lossy(&reply.body);
    let at = html.find("name=\"csrf\" value=\"").unwrap_or_else(|| panic!("no csrf field in {html}")) + 19;
    html[at..].split('"').next().unwrap().to_string()
}

fn form(uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}

fn with_cookie(req: axum::http::request::Builder, cookie: &str) -> axum::http::request::Builder {
    req.header(header::COOKIE, cookie)
}

#[test]
fn sign_in_with_a_second_factor_then_every_change_carries_the_csrf_token() {
    each_backend(|app| async move {
        let r = app.registry.clone();
        let secret = tokio::task::spawn_blocking(move || {
            let new = NewUser {
                login: "duty".into(),
                display_name: "Duty officer".into(),
                role: Role::DutyOfficer,
                home_unit: "BAK-NSM".into(),
                grants: vec![],
                password: PASSWORD.into(),
            };
            r.add_user(&new, &r.console()).unwrap();
            totp::base32_decode(&r.reset_totp("duty", &r.console()).unwrap().secret).unwrap()
        })
        .await
        .unwrap();

        // The login form and its double-submit token.
        let page = app.send_as_is(Request::get("/auth/login?lang=en").body(Body::empty()).unwrap()).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(String::from_utf8_lossy(&page.body).contains("<html lang=\"en\">"));
        let login_cookie = cookie(&page, "cb_login");
        let login_token = hidden_csrf(&page);
        assert_eq!(login_cookie, format!("cb_login={login_token}"));
        let forged =
            form("/auth/login", &login_cookie, &[("csrf", "forged"), ("login", "duty"), ("password", PASSWORD)]);
        assert_eq!(app.send_as_is(forged).await.status, StatusCode::FORBIDDEN);
        let wrong =
            form("/auth/login", &login_cookie, &[("csrf", &login_token), ("login", "duty"), ("password", "nope")]);
        assert_eq!(app.send_as_is(wrong).await.status, StatusCode::UNAUTHORIZED);

        let signed = app
            .send_as_is(form(
                "/auth/login",
                &login_cookie,
                &[("csrf", &login_token), ("login", "duty"), ("password", PASSWORD)],
            ))
            .await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER);
        assert_eq!(signed.header("location"), "/auth/totp");
        let line = set_cookies(&signed).into_iter().find(|c| c.starts_with("cb_session=")).unwrap();
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Secure"] {
            assert!(line.contains(attribute), "{line} lacks {attribute}");
        }
        let session = cookie(&signed, "cb_session");

        // Half signed in opens nothing.
        let read = |c: &str| with_cookie(Request::get("/api/reports"), c).body(Body::empty()).unwrap();
        app.send_as_is(read(&session)).await.problem(401);

        let totp_page =
            app.send_as_is(with_cookie(Request::get("/auth/totp"), &session).body(Body::empty()).unwrap()).await;
        let csrf = hidden_csrf(&totp_page);
        let code = totp::code(&secret, at(NOW));
        // The second step is a form too: without the token it is refused.
        let no_token = app.send_as_is(form("/auth/totp", &session, &[("code", &code)])).await;
        assert_error(&no_token.errors(403), "csrf", "access.csrf");
        let done = app.send_as_is(form("/auth/totp", &session, &[("csrf", &csrf), ("code", &code)])).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", String::from_utf8_lossy(&done.body));
        assert_eq!(done.header("location"), "/");
        // The second factor gives a new session id and voids the half-signed-in one,
        // so a cookie planted or seen before the code is worth nothing after it.
        let half = session;
        let session = cookie(&done, "cb_session");
        assert_ne!(session, half, "the session id is the same after the second factor");
        app.send_as_is(read(&half)).await.problem(401);
        let totp_again =
            app.send_as_is(with_cookie(Request::get("/auth/totp"), &half).body(Body::empty()).unwrap()).await;
        assert_eq!(totp_again.header("location"), "/auth/login", "the old id still reaches the second step");
        assert_eq!(app.send_as_is(read(&session)).await.status, StatusCode::OK);
        let home = app.send_as_is(with_cookie(Request::get("/"), &session).body(Body::empty()).unwrap()).await;
        let old_csrf = csrf;
        let csrf = hidden_csrf(&home);
        assert_ne!(csrf, old_csrf, "the CSRF token is the same after the second factor");

        // A change made with the cookie needs the session's CSRF token.
        let before = app.position().await;
        let report = serde_json::to_vec(&filing(new_report("2024-04-02T08:00:00Z"))).unwrap();
        let post = |token: Option<&str>| {
            let mut req =
                with_cookie(Request::post("/api/reports"), &session).header(header::CONTENT_TYPE, "application/json");
            if let Some(t) = token {
                req = req.header("x-csrf-token", t);
            }
            req.body(Body::from(report.clone())).unwrap()
        };
        assert_error(&app.send_as_is(post(None)).await.errors(403), "csrf", "access.csrf");
        assert_error(&app.send_as_is(post(Some("forged"))).await.errors(403), "csrf", "access.csrf");
        assert_error(&app.send_as_is(post(Some(&old_csrf))).await.errors(403), "csrf", "access.csrf");
        assert_eq!(app.position().await, before, "a refused change writes nothing");
        let created = app.send_as_is(post(Some(&csrf))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&created.body));

        // Signed out, the same cookie is worth nothing.
        let out = app.send_as_is(form("/auth/logout", &session, &[("csrf", &csrf)])).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(set_cookies(&out).iter().any(|c| c.starts_with("cb_session=;") && c.contains("Max-Age=0")));
        app.send_as_is(read(&session)).await.problem(401);
        app.send_as_is(read("cb_session=0123456789abcdef")).await.problem(401);

        let signed_in = app.get("/api/audit?action=sign_in").await.json();
        assert_eq!(signed_in["items"][0]["actor"], "duty");
    });
}
