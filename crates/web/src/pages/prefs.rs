//! The language switch and the display settings for the visually impaired:
//! a link or a form sent by GET sets a cookie and goes back to the page it
//! came from, so both work without JavaScript and are kept across pages.
//! The settings' panel is a page of its own, the first link of every page's
//! header.

use super::display::{ACCESSIBLE, Display, FONTS, IMAGES, SCHEMES, SIZES, SPACINGS, STANDARD};
use super::guard::is_local;
use super::layout::page;
use super::paths::PREFS;
use super::viewer::{LANG_COOKIE, VIEW_COOKIE, Viewer, query_value};
use crate::i18n::Offer;
use axum::Extension;
use axum::extract::RawQuery;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::html;

/// A year: a preference outlives a session.
const MAX_AGE: u32 = 365 * 24 * 3600;

/// A language the pack does not offer is not kept: the pages would pass over it.
/// The display settings start from the viewer's own, so a link that sets
/// one (`?size=200`) keeps the others; `view=standard` and
/// `view=accessible` set them all at once.
pub async fn switch(v: Viewer, Extension(offer): Extension<Offer>, RawQuery(query): RawQuery) -> Response {
    let query = query.as_deref();
    let mut headers = HeaderMap::new();
    if let Some(lang) = query_value(query, "lang").and_then(|l| offer.pick(&l)) {
        headers.append(SET_COOKIE, preference(LANG_COOKIE, lang.code()));
    }
    if let Some(display) = chosen_display(v.display, query) {
        headers.append(SET_COOKIE, preference(VIEW_COOKIE, &display.cookie_value()));
    }
    let back = query_value(query, "back").filter(|b| is_local(b)).unwrap_or_else(|| "/".to_string());
    let back = without_lang(&back);
    if let Ok(location) = HeaderValue::from_str(&back) {
        headers.insert(LOCATION, location);
    }
    (StatusCode::SEE_OTHER, headers).into_response()
}

/// The display a switch asks for, if it asks for one.
fn chosen_display(current: Display, query: Option<&str>) -> Option<Display> {
    let mut display = match query_value(query, "view").as_deref() {
        Some(ACCESSIBLE) => Some(Display::accessible()),
        Some(STANDARD) => Some(Display::default()),
        _ => None,
    };
    for name in SETTINGS {
        if let Some(value) = query_value(query, name) {
            display.get_or_insert(current).set(name, &value);
        }
    }
    display
}

/// The settings, in the order the panel shows them.
const SETTINGS: [&str; 5] = ["size", "scheme", "spacing", "font", "images"];

/// The settings' panel: one group of choices per setting, the current one
/// checked, sent by GET to the switch, and a way back to the standard view.
pub async fn display_form(v: Viewer, RawQuery(query): RawQuery) -> Response {
    let back = query_value(query.as_deref(), "back").filter(|b| is_local(b)).unwrap_or_else(|| "/".to_string());
    let choices = |name: &'static str| -> Vec<(&'static str, &'static str)> {
        let values: Vec<&'static str> = match name {
            "size" => SIZES.iter().map(|(_, n)| *n).collect(),
            "scheme" => SCHEMES.iter().map(|(_, n)| *n).collect(),
            "spacing" => SPACINGS.iter().map(|(_, n)| *n).collect(),
            "font" => FONTS.iter().map(|(_, n)| *n).collect(),
            _ => IMAGES.iter().map(|(_, n)| *n).collect(),
        };
        values.into_iter().map(|value| (value, label(name, value))).collect()
    };
    let body = html! {
        h1 { (v.t("ui.display.title")) }
        p { (v.t("ui.display.intro")) }
        form.display-settings method="get" action=(PREFS) {
            input type="hidden" name="back" value=(back);
            @for name in SETTINGS {
                fieldset {
                    legend { (v.t(legend(name))) }
                    @for (value, key) in choices(name) {
                        @let id = format!("display-{name}-{value}");
                        div.field.check {
                            input type="radio" id=(id) name=(name) value=(value) checked[v.display.value_of(name) == value];
                            label for=(id) { (v.t(key)) }
                        }
                    }
                }
            }
            button type="submit" { (v.t("ui.display.apply")) }
        }
        ul.actions {
            li { a href=(super::paths::link(PREFS, &[("view", STANDARD), ("back", &back)])) { (v.t("ui.view.standard")) } }
            li { a href=(back) { (v.t("ui.display.back")) } }
        }
    };
    page(&v, v.t("ui.display.title"), body)
}

fn legend(name: &str) -> &'static str {
    match name {
        "size" => "ui.display.size",
        "scheme" => "ui.display.scheme",
        "spacing" => "ui.display.spacing",
        "font" => "ui.display.font",
        _ => "ui.display.images",
    }
}

/// The label key of one value of a setting.
fn label(name: &str, value: &str) -> &'static str {
    match (name, value) {
        ("size", "100") => "ui.display.size_100",
        ("size", "150") => "ui.display.size_150",
        ("size", _) => "ui.display.size_200",
        ("scheme", "standard") => "ui.display.scheme_standard",
        ("scheme", "bw") => "ui.display.scheme_bw",
        ("scheme", "wb") => "ui.display.scheme_wb",
        ("scheme", _) => "ui.display.scheme_beige",
        ("spacing", "normal") => "ui.display.spacing_normal",
        ("spacing", _) => "ui.display.spacing_wide",
        ("font", "standard") => "ui.display.font_standard",
        ("font", _) => "ui.display.font_readable",
        (_, "on") => "ui.display.images_on",
        _ => "ui.display.images_off",
    }
}

fn preference(name: &str, value: &str) -> HeaderValue {
    let cookie = format!("{name}={value}; Path=/; Max-Age={MAX_AGE}; SameSite=Lax; HttpOnly");
    HeaderValue::from_str(&cookie).expect("cookie values are ASCII")
}

/// The address without a `lang` parameter, which would override the new choice.
fn without_lang(back: &str) -> String {
    let Some((path, query)) = back.split_once('?') else { return back.to_string() };
    let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "lang")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        return path.to_string();
    }
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(kept).finish();
    format!("{path}?{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_gone_back_to() {
        assert!(is_local("/cases?page=2"));
        assert!(!is_local("//evil.example/"));
        assert!(!is_local("https://evil.example/"));
        assert!(!is_local("/\\evil.example"));
        assert!(!is_local("cases"));
    }

    #[test]
    fn the_language_parameter_is_dropped() {
        assert_eq!(without_lang("/cases?lang=en&page=2"), "/cases?page=2");
        assert_eq!(without_lang("/cases?lang=en"), "/cases");
        assert_eq!(without_lang("/"), "/");
    }
}
