//! The language and view switches: a link sets a cookie and goes back to the
//! page it came from, so both work without JavaScript and are kept across pages.

use super::guard::is_local;
use super::viewer::{ACCESSIBLE, LANG_COOKIE, VIEW_COOKIE, query_value};
use crate::i18n::Offer;
use axum::Extension;
use axum::extract::RawQuery;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A year: a preference outlives a session.
const MAX_AGE: u32 = 365 * 24 * 3600;

/// A language the pack does not offer is not kept: the pages would pass over it.
pub async fn switch(Extension(offer): Extension<Offer>, RawQuery(query): RawQuery) -> Response {
    let query = query.as_deref();
    let mut headers = HeaderMap::new();
    if let Some(lang) = query_value(query, "lang").and_then(|l| offer.pick(&l)) {
        headers.append(SET_COOKIE, preference(LANG_COOKIE, lang.code()));
    }
    match query_value(query, "view").as_deref() {
        Some(ACCESSIBLE) => {
            headers.append(SET_COOKIE, preference(VIEW_COOKIE, ACCESSIBLE));
        }
        Some("standard") => {
            headers.append(SET_COOKIE, preference(VIEW_COOKIE, "standard"));
        }
        _ => {}
    }
    let back = query_value(query, "back").filter(|b| is_local(b)).unwrap_or_else(|| "/".to_string());
    let back = without_lang(&back);
    if let Ok(location) = HeaderValue::from_str(&back) {
        headers.insert(LOCATION, location);
    }
    (StatusCode::SEE_OTHER, headers).into_response()
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
