//! Static files, compiled into the binary: nothing is loaded from elsewhere.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

pub const CSS_PATH: &str = "/assets/app.css";

const CSS: &str = include_str!("../../assets/app.css");

/// The manat sign alone, which the stylesheet's `@font-face` names.
pub const MANAT_FONT_PATH: &str = "/assets/fonts/manat.ttf";

const MANAT_FONT: &[u8] = include_bytes!("../../../export/fonts/NotoSans-manat.ttf");

/// "Exit this page": replaces the page in the history as it leaves.
pub const EXIT_JS_PATH: &str = "/assets/exit.js";

const EXIT_JS: &str = include_str!("../../assets/exit.js");

pub async fn exit_js() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "public, max-age=3600")], EXIT_JS)
}

pub async fn css() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "public, max-age=3600")], CSS)
}

pub async fn manat_font() -> impl IntoResponse {
    ([(CONTENT_TYPE, "font/ttf"), (CACHE_CONTROL, "public, max-age=3600")], MANAT_FONT)
}
