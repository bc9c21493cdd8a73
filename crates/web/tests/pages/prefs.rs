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
        assert!(!standard.contains("class=\"accessible"));
        assert!(!standard.contains("/prefs?view=standard"), "no way back from where one is");
        let switch = app.get("/prefs?view=accessible&back=%2Freports").await;
        assert_eq!(location(&switch), "/reports");
        assert!(switch.header("set-cookie").starts_with("view=size-150.scheme-bw;"), "{}", switch.header("set-cookie"));
        // The view's earlier value is still understood.
        let large = html(&get_with_cookie(&app, "/reports", "view=accessible").await, StatusCode::OK, "az");
        assert!(large.contains("<html lang=\"az\" class=\"accessible size-150 scheme-bw\">"), "{large}");
        assert!(large.contains("/prefs?view=standard"), "a way back to the standard view");
        let both = html(&get_with_cookie(&app, "/", "lang=ru; view=accessible").await, StatusCode::OK, "ru");
        assert!(both.contains("class=\"accessible size-150 scheme-bw\""));
    });
}

/// Each setting of the panel, set by the switch, comes back in the cookie
/// and shows as its class on a staff page and on a public one; a link that
/// sets one setting keeps the others.
#[test]
fn each_display_setting_goes_round_through_the_cookie_onto_the_page() {
    each_backend(|app| async move {
        let settings = [
            ("size=200", "size-200"),
            ("size=150", "size-150"),
            ("scheme=bw", "scheme-bw"),
            ("scheme=wb", "scheme-wb"),
            ("scheme=beige", "scheme-beige"),
            ("spacing=wide", "spacing-wide"),
            ("font=readable", "font-readable"),
            ("images=off", "images-off"),
        ];
        for (query, class) in settings {
            let switch = app.get(&format!("/prefs?{query}&back=%2Ffigures")).await;
            assert_eq!(location(&switch), "/figures");
            let cookie = switch.header("set-cookie").split(';').next().unwrap().to_string();
            assert_eq!(cookie, format!("view={class}"));
            for page in ["/reports", "/figures?period=2024Q1"] {
                let text = html(&get_with_cookie(&app, page, &cookie).await, StatusCode::OK, "az");
                assert!(text.contains(&format!("class=\"accessible {class}\"")), "{page} with {cookie}");
            }
        }
        let more = get_with_cookie(&app, "/prefs?font=readable&back=%2F", "view=size-200.scheme-wb").await;
        assert!(more.header("set-cookie").starts_with("view=size-200.scheme-wb.font-readable;"));
        let back = get_with_cookie(&app, "/prefs?view=standard&back=%2F", "view=size-200.scheme-wb").await;
        assert!(back.header("set-cookie").starts_with("view=standard;"));
        let none = html(&get_with_cookie(&app, "/reports", "view=standard").await, StatusCode::OK, "az");
        assert!(none.contains("<html lang=\"az\">"), "the standard view has no class");
    });
}

/// A cookie or a link that says something this version does not know
/// changes nothing: the page shows, in the settings it understood.
#[test]
fn display_settings_said_wrongly_are_passed_over() {
    each_backend(|app| async move {
        for junk in ["view=size-999", "view=scheme-pink", "view=%3Cscript%3E", "view=size-200-x.images-maybe"] {
            let text = html(&get_with_cookie(&app, "/reports", junk).await, StatusCode::OK, "az");
            assert!(text.contains("<html lang=\"az\">"), "{junk}: {}", &text[..120]);
        }
        let partly = html(&get_with_cookie(&app, "/reports", "view=size-999.scheme-wb").await, StatusCode::OK, "az");
        assert!(partly.contains("class=\"accessible scheme-wb\""));
        let switch = app.get("/prefs?size=300&scheme=pink&back=%2F").await;
        assert_eq!(switch.header("set-cookie"), "view=standard; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    });
}

/// The panel is the first link after the skip link on every page, staff
/// and public, and shows the settings as radio groups with the current
/// ones checked, sent by GET to the switch with the way back.
#[test]
fn the_settings_panel_is_the_first_link_and_shows_what_is_chosen() {
    each_backend(|app| async move {
        for page in ["/reports", "/figures?period=2024Q1"] {
            let text = html(&app.get(page).await, StatusCode::OK, "az");
            let links: Vec<&str> = text.split("<a ").skip(1).take(2).collect();
            assert!(links[0].contains("href=\"#main\""), "{page}: the skip link first");
            assert!(links[1].contains("href=\"/prefs/display?back="), "{page}: then the settings: {}", links[1]);
        }
        let panel = html(
            &get_with_cookie(&app, "/prefs/display?back=%2Ffigures", "view=size-200.scheme-beige; lang=en").await,
            StatusCode::OK,
            "en",
        );
        assert!(panel.contains("form class=\"display-settings\" method=\"get\" action=\"/prefs\""), "{panel}");
        assert!(panel.contains("name=\"back\" value=\"/figures\""));
        for checked in ["display-size-200", "display-scheme-beige", "display-spacing-normal", "display-images-on"] {
            let at = panel.find(&format!("id=\"{checked}\"")).unwrap_or_else(|| panic!("{checked}"));
            let input = &panel[panel[..at].rfind('<').unwrap()..at + panel[at..].find('>').unwrap()];
            assert!(input.contains("checked"), "{checked} is checked: {input}");
        }
        assert!(
            !panel[panel.find("id=\"display-size-100\"").unwrap()..].split('>').next().unwrap().contains("checked")
        );
        assert!(panel.contains("White on black") && panel.contains("Letter spacing"));
        let away = html(&app.get("/prefs/display?back=https%3A%2F%2Fevil.example").await, StatusCode::OK, "az");
        assert!(away.contains("name=\"back\" value=\"/\""), "only a local way back");
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
