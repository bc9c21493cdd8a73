//! The enrolment page shows the second factor's address as a QR code drawn
//! on the server (inline SVG named for assistive technology, nothing the
//! CSP forbids), with the address and the secret as text beside it.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use crimeboard_domain::access::Role;
use crimeboard_service::accounts::NewUser;

const PASSWORD: &str = "Xəzər dənizi sahili 2024";

fn cookie(reply: &Reply, name: &str) -> String {
    let line = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"));
    line.split(';').next().unwrap().to_string()
}

#[test]
fn the_enrolment_page_shows_a_qr_code_of_the_address() {
    each_backend(|app| async move {
        let r = app.registry.clone();
        tokio::task::spawn_blocking(move || {
            let new = NewUser {
                login: "newbie".into(),
                display_name: "New investigator".into(),
                role: Role::Investigator,
                home_unit: "BAK-NSM".into(),
                grants: vec![],
                password: PASSWORD.into(),
            };
            r.add_user(&new, &r.console()).unwrap();
        })
        .await
        .unwrap();
        let page = app.send_as_is(Request::get("/auth/login?lang=en").body(Body::empty()).unwrap()).await;
        let login_cookie = cookie(&page, "cb_login");
        let token = login_cookie.trim_start_matches("cb_login=").to_string();
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("csrf", token.as_str()), ("login", "newbie"), ("password", PASSWORD)])
            .finish();
        let signed = app
            .send_as_is(
                Request::post("/auth/login")
                    .header(header::COOKIE, &login_cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER);
        assert!(signed.header("location").starts_with("/auth/enrol"), "{}", signed.header("location"));
        let session = cookie(&signed, "cb_session");
        let enrol = app
            .send_as_is(
                Request::get("/auth/enrol?lang=en").header(header::COOKIE, &session).body(Body::empty()).unwrap(),
            )
            .await;
        assert_eq!(enrol.status, StatusCode::OK);
        let html = String::from_utf8_lossy(&enrol.body).to_string();
        let svg_at = html.find("<svg role=\"img\" aria-label=\"QR code of the authenticator app address\"");
        let svg = &html[svg_at.unwrap_or_else(|| panic!("no named QR code in {html}"))..];
        let svg = &svg[..svg.find("</svg>").unwrap()];
        assert!(svg.contains("<title>QR code of the authenticator app address</title>"), "{svg}");
        assert!(svg.contains("<path fill=\"#000000\" d=\"M"), "{svg}");
        assert!(!html.contains("<?xml") && !svg.contains("style") && !svg.contains("<script"), "{svg}");
        // Still as text, for whoever cannot scan.
        assert!(html.contains("otpauth://totp/Crimeboard:newbie?secret="), "{html}");
        let secret = html.split("secret=").nth(1).unwrap().split('&').next().unwrap();
        assert!(html.matches(secret).count() >= 2, "the secret shown on its own too");
        // And the CSP still forbids inline style and script.
        let csp = enrol.header("content-security-policy");
        assert!(csp.contains("default-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");

        // Confirming the code signs in under a new session id; the enrolment's id is void.
        let key = crimeboard_service::totp::base32_decode(secret).unwrap();
        let code = crimeboard_service::totp::code(&key, at(NOW));
        let at_csrf = html.find("name=\"csrf\" value=\"").unwrap() + 19;
        let csrf = html[at_csrf..].split('"').next().unwrap();
        let body: String =
            form_urlencoded::Serializer::new(String::new()).extend_pairs([("csrf", csrf), ("code", &code)]).finish();
        let confirmed = app
            .send_as_is(
                Request::post("/auth/enrol")
                    .header(header::COOKIE, &session)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(confirmed.status, StatusCode::OK, "{}", String::from_utf8_lossy(&confirmed.body));
        let signed_in = cookie(&confirmed, "cb_session");
        assert_ne!(signed_in, session);
        let read = |c: &str| Request::get("/api/reports").header(header::COOKIE, c).body(Body::empty()).unwrap();
        app.send_as_is(read(&session)).await.problem(401);
        assert_eq!(app.send_as_is(read(&signed_in)).await.status, StatusCode::OK);
    });
}
