//! Static files, compiled into the binary: nothing is loaded from elsewhere.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

pub const CSS_PATH: &str = "/assets/app.css";

const CSS: &str = include_str!("../../assets/app.css");

pub async fn css() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "public, max-age=3600")], CSS)
}
