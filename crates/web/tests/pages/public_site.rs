//! The public site on a listener of its own: its pages are there, and no
//! staff route is, whatever credentials a request carries.

use crate::helpers::*;
use crate::support::{App, Reply, each_backend};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use crimeboard_domain::access::Role;
use http_body_util::BodyExt;
use std::collections::BTreeMap;
use tower::ServiceExt;

pub fn public_router(app: &App) -> Router {
    crimeboard_web::public_router(app.registry.clone(), Default::default(), Default::default())
}

/// Sends a request to the public site's listener, as it comes.
pub async fn send_public(router: &Router, req: Request<Body>) -> Reply {
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, headers, body }
}

pub async fn get_public(router: &Router, uri: &str) -> Reply {
    send_public(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// The public site's frame: its name, and no way to sign in.
fn assert_public_frame(page: &str) {
    assert!(page.contains("Respublika polisi: ictimai sayt"), "the public site's name: {page}");
    assert!(!page.contains("/auth/login"), "no way to sign in on the public site: {page}");
}

#[test]
fn the_public_listener_serves_the_public_pages_in_their_frame() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let home = html(&get_public(&public, "/").await, StatusCode::OK, "az");
        assert_public_frame(&home);
        assert!(home.contains("href=\"/figures\""), "the home page leads to the figures: {home}");
        let figures = html(&get_public(&public, "/figures?period=2024Q1").await, StatusCode::OK, "az");
        assert_public_frame(&figures);
        let css = get_public(&public, "/assets/app.css").await;
        assert_eq!(css.status, StatusCode::OK);
        let switch = get_public(&public, "/prefs?lang=en&back=%2Ffigures").await;
        assert_eq!(location(&switch), "/figures");
        let open = get_public(&public, "/api/open-data?period=2024Q1&format=csv").await;
        assert_eq!(open.status, StatusCode::OK, "{}", String::from_utf8_lossy(&open.body));
        assert!(open.header("content-type").starts_with("text/csv"));
    });
}

#[test]
fn the_staff_listener_still_serves_the_public_pages() {
    each_backend(|app| async move {
        let bare = Request::get("/figures?period=2024Q1").body(Body::empty()).unwrap();
        let figures = app.send_as_is(bare).await;
        let page = html(&figures, StatusCode::OK, "az");
        assert!(page.contains("/auth/login"), "the staff's frame offers signing in: {page}");
    });
}

/// Every staff route, the API's from its document and the pages' from
/// their route table, is not found on the public listener: a page in the
/// public site's frame, even asked for with an administrator's token or a
/// session cookie. A new staff route is in these lists as soon as it is
/// routed, so it cannot leak onto the public listener unnoticed.
#[test]
fn no_staff_route_is_on_the_public_listener() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let token = app.tokens[&Role::Administrator].clone();
        let routes = staff_routes();
        assert!(routes.len() > 80, "the route table was read: {routes:?}");
        for route in &routes {
            let uri = sample(route);
            for credentials in [None, Some(format!("Bearer {token}"))] {
                let mut req = Request::get(&uri);
                if let Some(c) = &credentials {
                    req = req.header(header::AUTHORIZATION, c);
                }
                let reply = send_public(&public, req.body(Body::empty()).unwrap()).await;
                assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri} is on the public listener");
                let page = html(&reply, StatusCode::NOT_FOUND, "az");
                assert_public_frame(&page);
            }
            let post = Request::post(&uri).header(header::CONTENT_TYPE, FORM).body(Body::from("a=b")).unwrap();
            assert_eq!(send_public(&public, post).await.status, StatusCode::NOT_FOUND, "POST {uri}");
        }
    });
}

/// The public pages' routes, which the public listener does serve.
const PUBLIC: [&str; 18] = [
    "/figures/methods",
    "/assets/app.css",
    "/assets/fonts/manat.ttf",
    "/assets/exit.js",
    "/online/report",
    "/online/appeal",
    "/online/status",
    "/online/status/rate",
    "/prefs",
    "/prefs/display",
    "/figures",
    "/units",
    "/units/{code}",
    "/api/open-data",
    "/news",
    "/news/{number}",
    "/news/feed.atom",
    "/sitemap.xml",
];

/// The staff's routes: the API document's paths and the pages' routes as
/// `pages/mod.rs` declares them, less the public ones.
fn staff_routes() -> Vec<String> {
    use utoipa::OpenApi;
    let doc = crimeboard_web::ApiDoc::openapi();
    let mut routes: Vec<String> = doc.paths.paths.keys().cloned().collect();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let table = std::fs::read_to_string(src.join("pages/mod.rs")).unwrap();
    let consts = path_constants(&src);
    for piece in table.split(".route(").skip(1) {
        let first = piece.split(',').next().unwrap().trim();
        let path = match first.strip_prefix('"') {
            Some(literal) => literal.trim_end_matches('"').to_string(),
            None => {
                let name = first.rsplit("::").next().unwrap();
                consts.get(name).unwrap_or_else(|| panic!("the constant {first} is not found")).clone()
            }
        };
        routes.push(path);
    }
    routes.retain(|r| !PUBLIC.contains(&r.as_str()) && r != "/");
    routes.sort();
    routes.dedup();
    routes
}

/// Every `const NAME: &str = "/..."` of the crate, by name (each routed
/// constant's name is the crate's only one).
fn path_constants(dir: &std::path::Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(path_constants(&path));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("pub const ") else { continue };
            let Some((name, value)) = rest.split_once(": &str = \"") else { continue };
            if value.starts_with('/') {
                found.insert(name.to_string(), value.trim_end_matches("\";").to_string());
            }
        }
    }
    found
}

/// A route with each `{parameter}` given a value.
fn sample(route: &str) -> String {
    route
        .split('/')
        .map(|seg| match seg {
            "{id}" => "00000000-0000-4000-8000-000000000001",
            "{login}" => "admin",
            "{code}" => "AZ",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}
