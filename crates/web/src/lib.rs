//! The HTTP interface: a JSON API over the registry, described by an
//! OpenAPI 3.1 document, with errors as RFC 9457 problem details in the
//! user's language.
//!
//! Every route names the action it needs ([`auth`]); [`serve`] refuses any
//! address but loopback until an administrator can sign in with a second factor.

mod api;
pub mod auth;
/// Public so that the fuzz targets read bodies exactly as the handlers do.
pub mod body;
pub mod i18n;
pub mod load;
mod pages;
mod params;
pub mod problem;
#[cfg(test)]
mod source_rules;
mod state;

pub use api::dto::Filing;
pub use api::openapi::ApiDoc;
pub use body::{MAX_BATCH, MAX_BODY_BYTES};

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Request, State};
use axum::http::Uri;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use crimeboard_service::Registry;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The API's and the pages' routes, with body limit, problem rendering and
/// language, and cookies marked `Secure`.
pub fn router(registry: Arc<Registry>) -> Router {
    router_with(registry, auth::Settings::default())
}

/// The routes with the caller resolved on every request, security headers
/// and a time limit.
pub fn router_with(registry: Arc<Registry>, settings: auth::Settings) -> Router {
    router_limited(registry, settings, load::Limits::default())
}

/// [`router_with`], with these limits on heavy work. Answers are compressed
/// (gzip) for a client that accepts it. The staff's listener serves the
/// public site's pages too, in the staff's frame.
pub fn router_limited(registry: Arc<Registry>, settings: auth::Settings, limits: load::Limits) -> Router {
    let load = Arc::new(load::Load::new(&limits));
    let routes = Router::new()
        .merge(api::routes(&load))
        .merge(pages::routes(&registry, &load))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(registry.clone(), auth::authenticate))
        .layer(axum::middleware::from_fn(render_refusal));
    outer_layers(routes, registry, settings, load)
}

/// The public site alone, for a listener of its own that faces the
/// internet while the staff's stays on an internal network: the public
/// pages, their assets and switches, and the open data they link to. Every
/// other address, a staff route included, is the public site's 404 page;
/// every request is the public's, whatever credentials it carries, so no
/// staff session or token does anything here.
pub fn public_router(registry: Arc<Registry>, settings: auth::Settings, limits: load::Limits) -> Router {
    let load = Arc::new(load::Load::new(&limits));
    let routes = Router::new()
        .merge(api::public_routes(&load))
        .merge(pages::public_site(&registry, &load))
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(axum::Extension(pages::PublicSite))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(registry.clone(), auth::anonymous_only));
    outer_layers(routes, registry, settings, load)
}

/// What both listeners do around their routes: settings, time limit,
/// problems, the pack in force, security headers, the load's limits and
/// compression.
fn outer_layers(
    routes: Router<Arc<Registry>>,
    registry: Arc<Registry>,
    settings: auth::Settings,
    load: Arc<load::Load>,
) -> Router {
    let limit = settings.request_timeout;
    routes
        .layer(axum::Extension(Arc::new(settings)))
        .layer(axum::middleware::from_fn(move |req, next| auth::headers::time_limit(limit, req, next)))
        .layer(axum::middleware::from_fn(problem::problem_details))
        .layer(axum::middleware::from_fn_with_state(registry.clone(), pack_in_force))
        .layer(axum::middleware::from_fn(auth::headers::security_headers))
        .layer(axum::Extension(load))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(registry)
}

/// Reads the jurisdiction pack in force once, as a request comes in,
/// following a pack another process adopted (`crimeboard jurisdiction
/// apply` beside the server), and hands it on: the languages it offers
/// ([`i18n::Offer`]) for the pages, the API and its problems, and the pack
/// itself for what they show (its currency). Reading it again failing, the
/// request is served under the pack last read: its own reads report the
/// store's failure.
async fn pack_in_force(State(registry): State<Arc<Registry>>, mut req: Request, next: Next) -> Response {
    let pack = match state::blocking(&registry, |r| Ok(r.follow_adoptions())).await {
        Ok(Ok((pack, position))) => {
            // Read with the pack, so a cached report needs no read of its own.
            req.extensions_mut().insert(load::PositionRead(position));
            pack
        }
        Ok(Err(e)) => {
            eprintln!("crimeboard: reading the jurisdiction pack in force: {e}");
            registry.jurisdiction()
        }
        Err(problem) => return problem.into_response(),
    };
    req.extensions_mut().insert(i18n::Offer::of(&pack.languages, &pack.default_language));
    req.extensions_mut().insert(pack);
    next.run(req).await
}

/// An unknown address: a problem under /api, a page elsewhere.
async fn not_found(viewer: pages::Viewer, uri: Uri) -> Response {
    if is_api(&uri) { api::route_not_found().into_response() } else { pages::not_found(viewer).await }
}

/// A method an address does not take: a problem under /api, a page elsewhere.
async fn method_not_allowed(viewer: pages::Viewer, uri: Uri) -> Response {
    if is_api(&uri) { api::method_not_allowed().into_response() } else { pages::method_not_allowed(viewer).await }
}

/// A request the authenticate middleware turned away: a page in the
/// viewer's language at a page's address, a problem under /api and /auth.
async fn render_refusal(req: Request, next: Next) -> Response {
    let is_page = !(is_api(req.uri()) || req.uri().path().starts_with("/auth/"));
    let (mut parts, body) = req.into_parts();
    // Read before the request goes on: the answer no longer has its cookies.
    let viewer = match is_page {
        true => Some(pages::Viewer::from_request_parts(&mut parts, &()).await),
        false => None,
    };
    let mut res = next.run(Request::from_parts(parts, body)).await;
    match (res.extensions_mut().remove::<auth::Refusal>(), viewer) {
        (None, _) => res,
        (Some(refusal), Some(Ok(v))) => pages::error_page(&v, &refusal.problem()),
        (Some(refusal), _) => refusal.problem().into_response(),
    }
}

fn is_api(uri: &Uri) -> bool {
    uri.path() == "/api" || uri.path().starts_with("/api/")
}

/// Binds an address. One beyond loopback is refused until at least one
/// enabled administrator has a second factor: until then nobody could
/// manage the accounts of a server that faces a network.
pub async fn bind(registry: &Arc<Registry>, addr: SocketAddr) -> std::io::Result<TcpListener> {
    if !addr.ip().is_loopback() {
        let r = registry.clone();
        let ready = tokio::task::spawn_blocking(move || r.may_face_network())
            .await
            .map_err(std::io::Error::other)?
            .map_err(std::io::Error::other)?;
        if !ready {
            let msg = format!(
                "refusing to serve on {addr}: no enabled administrator has a second factor yet \
                 (create one with `crimeboard user add --role admin ...`); loopback addresses are allowed"
            );
            return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, msg));
        }
    }
    TcpListener::bind(addr).await
}

/// Serves until Ctrl-C.
pub async fn serve(registry: Arc<Registry>, addr: SocketAddr) -> std::io::Result<()> {
    serve_behind(registry, addr, Vec::new()).await
}

/// Serves until Ctrl-C, taking the client's address from `X-Forwarded-For`
/// when the peer is one of these reverse proxies.
pub async fn serve_behind(
    registry: Arc<Registry>,
    addr: SocketAddr,
    trusted_proxies: Vec<auth::client::TrustedNet>,
) -> std::io::Result<()> {
    let listener = bind(&registry, addr).await?;
    serve_on_behind(listener, registry, trusted_proxies, ctrl_c()).await
}

/// Serves on a bound listener until `shutdown` completes, then lets the
/// requests in flight finish.
pub async fn serve_on(
    listener: TcpListener,
    registry: Arc<Registry>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_on_behind(listener, registry, Vec::new(), shutdown).await
}

/// [`serve_on`], behind these trusted reverse proxies.
pub async fn serve_on_behind(
    listener: TcpListener,
    registry: Arc<Registry>,
    trusted_proxies: Vec<auth::client::TrustedNet>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_sites(listener, None, registry, trusted_proxies, load::Limits::default(), shutdown).await
}

/// Serves the staff's application on one listener and, when given one, the
/// public site alone ([`public_router`]) on another, under `public_limits`
/// (its online forms' posts per address among them), until `shutdown`
/// completes; then both let the requests in flight finish.
pub async fn serve_sites(
    staff: TcpListener,
    public: Option<TcpListener>,
    registry: Arc<Registry>,
    trusted_proxies: Vec<auth::client::TrustedNet>,
    public_limits: load::Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let until_stopped = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|s| *s).await;
        }
    };
    let staff_app = router_with(registry.clone(), settings_for(&staff, &trusted_proxies)?);
    let staff_served = serve_app(staff, staff_app, "", until_stopped());
    let served = match public {
        Some(public) => {
            let public_app = public_router(registry.clone(), settings_for(&public, &trusted_proxies)?, public_limits);
            let (a, b) = tokio::join!(staff_served, serve_app(public, public_app, "the public site ", until_stopped()));
            a.and(b)
        }
        None => staff_served.await,
    };
    // The PostgreSQL client blocks when its connections close: if this is the
    // last handle on the registry, drop it where blocking is allowed.
    let _ = tokio::task::spawn_blocking(move || drop(registry)).await;
    served
}

/// Over plain HTTP on loopback a browser drops Secure cookies; anywhere
/// else the server sits behind TLS.
fn settings_for(
    listener: &TcpListener,
    trusted_proxies: &[auth::client::TrustedNet],
) -> std::io::Result<auth::Settings> {
    let bound = listener.local_addr()?;
    Ok(auth::Settings {
        secure_cookies: !bound.ip().is_loopback(),
        trusted_proxies: trusted_proxies.to_vec(),
        ..auth::Settings::default()
    })
}

async fn serve_app(
    listener: TcpListener,
    app: Router,
    what: &str,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    eprintln!("crimeboard: serving {what}on http://{}", listener.local_addr()?);
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        // No signal handler: serve until the process is killed.
        std::future::pending::<()>().await;
    }
}
