//! The language and view switches are remembered in cookies.

use crate::helpers::*;
use crate::support::each_backend;
use axum::http::StatusCode;

#[test]
fn the_language_is_azerbaijani_by_default_and_a_switch_is_remembered() {
    each_backend(|app| async move {
        let home = html(&app.get("/").await, StatusCode::OK, "az");
        assert!(home.contains("Qərar gözləyən müraciətlər"), "{home}");
        assert!(home.contains("href=\"/prefs?lang=ru&amp;back=%2F\""), "a switch to Russian on the page");

        let switch = app.get("/prefs?lang=en&back=%2Fcases%3Fpage%3D2").await;
        assert_eq!(location(&switch), "/cases?page=2");
        let cookie = switch.header("set-cookie");
        assert!(cookie.starts_with("lang=en;") && cookie.contains("Path=/") && cookie.contains("Max-Age="), "{cookie}");

        let later = get_with_cookie(&app, "/cases", "lang=en").await;
        let text = html(&later, StatusCode::OK, "en");
        assert!(text.contains("Criminal cases"), "{text}");
        assert_eq!(later.header("content-language"), "en");
        // ?lang= wins over the cookie, for a link shared in another language.
        html(&get_with_cookie(&app, "/cases?lang=ru", "lang=en").await, StatusCode::OK, "ru");
    });
}

#[test]
fn the_view_for_the_visually_impaired_is_remembered() {
    each_backend(|app| async move {
        let standard = html(&app.get("/reports").await, StatusCode::OK, "az");
        assert!(!standard.contains("class=\"accessible\""));
        let switch = app.get("/prefs?view=accessible&back=%2Freports").await;
        assert_eq!(location(&switch), "/reports");
        assert!(switch.header("set-cookie").starts_with("view=accessible;"));
        let large = html(&get_with_cookie(&app, "/reports", "view=accessible").await, StatusCode::OK, "az");
        assert!(large.contains("<html lang=\"az\" class=\"accessible\">"), "{large}");
        assert!(large.contains("/prefs?view=standard"), "a way back to the standard view");
        let both = html(&get_with_cookie(&app, "/", "lang=ru; view=accessible").await, StatusCode::OK, "ru");
        assert!(both.contains("class=\"accessible\""));
    });
}

#[test]
fn a_switch_goes_back_only_to_this_server() {
    each_backend(|app| async move {
        assert_eq!(location(&app.get("/prefs?lang=ru&back=%2F%2Fevil.example%2F").await), "/");
        assert_eq!(location(&app.get("/prefs?lang=ru&back=https%3A%2F%2Fevil.example").await), "/");
        let unknown = app.get("/prefs?lang=fr&back=%2F").await;
        assert_eq!(location(&unknown), "/");
        assert!(unknown.header("set-cookie").is_empty(), "an unknown language is not kept");
    });
}

#[test]
fn the_stylesheet_is_served_from_the_binary_with_a_cache_header() {
    each_backend(|app| async move {
        let css = app.get("/assets/app.css").await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(css.header("content-type").starts_with("text/css"));
        assert!(css.header("cache-control").contains("max-age="));
        assert!(String::from_utf8_lossy(&css.body).contains(":focus-visible"));
    });
}

/// The manat sign (U+20BC) comes from a font of our own, since many readers'
/// fonts lack it and show an empty box: the stylesheet names it for that one
/// character, and the font is served from the binary and has a glyph for it.
#[test]
fn the_manat_sign_has_a_font_of_its_own_served_from_the_binary() {
    each_backend(|app| async move {
        let css = String::from_utf8(app.get("/assets/app.css").await.body).unwrap();
        let face = &css[css.find("@font-face").expect("a font face")..];
        let face = &face[..face.find('}').unwrap()];
        let url = face.split("url(\"").nth(1).and_then(|s| s.split('"').next()).expect("a font url");
        assert!(face.contains("unicode-range: U+20BC;"), "only the manat sign: {face}");
        let family = face.split("font-family: ").nth(1).unwrap().split(';').next().unwrap();
        assert!(css.contains(&format!("html {{ font-family: {family},")), "the pages use {family}");
        let font = app.get(url).await;
        assert_eq!(font.status, StatusCode::OK);
        assert_eq!(font.header("content-type"), "font/ttf");
        let face = ttf_parser::Face::parse(&font.body, 0).expect("a TrueType font");
        let glyph = face.glyph_index('\u{20bc}').expect("a glyph for the manat sign");
        assert_ne!(glyph.0, 0);
        assert!(face.glyph_bounding_box(glyph).is_some(), "the glyph has an outline");
        assert!(font.body.len() < 4096, "{} bytes: the sign alone", font.body.len());
    });
}
