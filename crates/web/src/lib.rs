//! The HTTP interface: a JSON API over the registry, described by an
//! OpenAPI 3.1 document, with errors as RFC 9457 problem details in the
//! user's language.
//!
//! There are no accounts yet, so [`serve`] refuses any address but loopback.

mod api;
mod body;
mod dto;
pub mod i18n;
mod openapi;
mod pages;
mod params;
pub mod problem;

pub use body::{MAX_BATCH, MAX_BODY_BYTES};
pub use openapi::ApiDoc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use crimeboard_service::Registry;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The API's and the pages' routes, with body limit, problem rendering and language.
pub fn router(registry: Arc<Registry>) -> Router {
    Router::new()
        .route("/api/acts", post(api::submit_act))
        .route("/api/acts/batch", post(api::submit_batch))
        .route("/api/reports", post(api::reports::create).get(api::reports::list))
        .route("/api/reports/{id}", get(api::reports::get))
        .route("/api/cases", post(api::cases::create).get(api::cases::list))
        .route("/api/cases/{id}", get(api::cases::get))
        .route("/api/seizures", post(api::seizures::create).get(api::seizures::list))
        .route("/api/seizures/{id}", get(api::seizures::get))
        .route("/api/accountability", post(api::accountability::create).get(api::accountability::list))
        .route("/api/accountability/{id}", get(api::accountability::get))
        .route("/api/accidents", post(api::accidents::create).get(api::accidents::list))
        .route("/api/accidents/{id}", get(api::accidents::get))
        .route("/api/examinations", post(api::examinations::create).get(api::examinations::list))
        .route("/api/examinations/{id}", get(api::examinations::get))
        .route("/api/persons", get(api::persons::list))
        .route("/api/persons/{id}", get(api::persons::get))
        .route("/api/journal", get(api::journal))
        .route("/api/report", get(api::report))
        .route("/api/units", get(api::units))
        .route("/api/verify", get(api::verify))
        .route("/api/health", get(api::health))
        .route("/api/openapi.json", get(api::openapi))
        .merge(pages::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(problem::problem_details))
        .with_state(registry)
}

/// An unknown address: a problem under /api, a page elsewhere.
async fn not_found(viewer: pages::Viewer, uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if is_api(&uri) { api::route_not_found().await.into_response() } else { pages::not_found(viewer).await }
}

/// A method an address does not take: a problem under /api, a page elsewhere.
async fn method_not_allowed(viewer: pages::Viewer, uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if is_api(&uri) { api::method_not_allowed().await.into_response() } else { pages::method_not_allowed(viewer).await }
}

fn is_api(uri: &axum::http::Uri) -> bool {
    uri.path() == "/api" || uri.path().starts_with("/api/")
}

/// Binds a loopback address; any other is refused, as nothing here checks
/// who is asking yet.
pub async fn bind_loopback(addr: SocketAddr) -> std::io::Result<TcpListener> {
    if !addr.ip().is_loopback() {
        let msg =
            format!("refusing to serve on {addr}: there are no accounts yet, so only loopback addresses are allowed");
        return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, msg));
    }
    TcpListener::bind(addr).await
}

/// Serves the API on a loopback address until Ctrl-C.
pub async fn serve(registry: Arc<Registry>, addr: SocketAddr) -> std::io::Result<()> {
    let listener = bind_loopback(addr).await?;
    serve_on(listener, registry, ctrl_c()).await
}

/// Serves on a bound listener until `shutdown` completes, then lets the
/// requests in flight finish.
pub async fn serve_on(
    listener: TcpListener,
    registry: Arc<Registry>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let bound = listener.local_addr()?;
    eprintln!("crimeboard: UNAUTHENTICATED — serving on http://{bound} (loopback only until accounts exist)");
    let app = router(registry.clone());
    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
    // The PostgreSQL client blocks when its connections close: if this is the
    // last handle on the registry, drop it where blocking is allowed.
    let _ = tokio::task::spawn_blocking(move || drop(registry)).await;
    served
}

async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        // No signal handler: serve until the process is killed.
        std::future::pending::<()>().await;
    }
}
