//! Behind a trusted reverse proxy the client's address comes from
//! `X-Forwarded-For` (the right-most hop that is not a trusted proxy) for the
//! audit trail and for counting failed sign-ins; anyone else's header is
//! ignored and the TCP peer's address is used.

use crate::support::*;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use crimeboard_domain::access::Role;
use crimeboard_service::audit::AuditSearch;
use crimeboard_web::auth::Settings;
use std::net::SocketAddr;
use tower::ServiceExt as _;

const PROXY: &str = "10.0.0.1";

/// A request from a TCP peer, with forwarded hops.
async fn from(router: &axum::Router, peer: &str, xff: Option<&str>, req: axum::http::request::Builder) -> Reply {
    let mut req = req.extension(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 40000)));
    if let Some(v) = xff {
        req = req.header("x-forwarded-for", v);
    }
    let req = req.body(Body::empty()).unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes().to_vec();
    Reply { status, headers, body }
}

async fn audit_addresses(app: &App, action: &str) -> Vec<String> {
    let r = app.registry.clone();
    let action = action.to_string();
    tokio::task::spawn_blocking(move || {
        let found = r.audit_search(&AuditSearch { action: Some(action), ..Default::default() }).unwrap();
        found.items.into_iter().rev().map(|e| e.address).collect()
    })
    .await
    .unwrap()
}

async fn failures_from(app: &App, address: &str) -> u64 {
    let r = app.registry.clone();
    let address = address.to_string();
    tokio::task::spawn_blocking(move || {
        r.store().accounts().login_failures_since("nobody", &address, chrono::DateTime::UNIX_EPOCH).unwrap().1
    })
    .await
    .unwrap()
}

/// A failed sign-in through the login form (with its double-submit token).
async fn fail_sign_in(router: &axum::Router, peer: &str, xff: Option<&str>) {
    let page = from(router, peer, xff, Request::get("/auth/login")).await;
    let html = String::from_utf8_lossy(&page.body).to_string();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    let token = html[at..].split('"').next().unwrap().to_string();
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("csrf", token.as_str()), ("login", "chief"), ("password", "not the password")])
        .finish();
    let req = Request::post("/auth/login")
        .header(header::COOKIE, format!("cb_login={token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .extension(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 40000)));
    let req = match xff {
        Some(v) => req.header("x-forwarded-for", v),
        None => req,
    };
    let res = router.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[test]
fn a_trusted_proxy_names_the_client_and_nobody_else_can() {
    each_backend(|app| async move {
        let settings = Settings { trusted_proxies: vec![PROXY.parse().unwrap()], ..Settings::default() };
        let router = crimeboard_web::router_with(app.registry.clone(), settings);
        let journal = || {
            Request::get("/api/journal")
                .header(header::AUTHORIZATION, format!("Bearer {}", app.tokens[&Role::UnitChief]))
        };
        // Through the proxy: the right-most hop, not the one the client made up.
        let reply = from(&router, PROXY, Some("198.51.100.9, 203.0.113.7"), journal()).await;
        assert_eq!(reply.status, StatusCode::OK);
        // Straight from a peer that is no proxy: its header is ignored.
        from(&router, "192.0.2.50", Some("203.0.113.9"), journal()).await;
        // With no proxy trusted, the proxy's header is ignored too.
        from(&app.router_behind(&[]), PROXY, Some("203.0.113.10"), journal()).await;
        assert_eq!(audit_addresses(&app, "read.journal").await, ["203.0.113.7", "192.0.2.50", PROXY]);

        // Failed sign-ins count against the client's address, not the proxy's.
        fail_sign_in(&router, PROXY, Some("203.0.113.7")).await;
        fail_sign_in(&router, "192.0.2.50", Some("203.0.113.7")).await;
        assert_eq!(failures_from(&app, "203.0.113.7").await, 1);
        assert_eq!(failures_from(&app, "192.0.2.50").await, 1);
        assert_eq!(failures_from(&app, PROXY).await, 0);
        assert_eq!(audit_addresses(&app, "sign_in_failed").await, ["203.0.113.7", "192.0.2.50"]);
    });
}
