//! Who is looking, and how they want to see it: language, the "for the
//! visually impaired" view, and the unit they work in. One extractor, so the
//! accounts can later fill the unit and role from the session in one place.

use crate::i18n::Lang;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use std::convert::Infallible;

pub const LANG_COOKIE: &str = "lang";
pub const VIEW_COOKIE: &str = "view";
/// The value of [`VIEW_COOKIE`] for high contrast and large text.
pub const ACCESSIBLE: &str = "accessible";

/// What a user may do. Until accounts exist everyone is staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // read once accounts exist
pub enum Role {
    Staff,
}

#[derive(Debug, Clone)]
pub struct Viewer {
    pub lang: Lang,
    /// High contrast and large text.
    pub accessible: bool,
    /// The unit whose work is shown first (its queue, its lists). Chosen by
    /// `?unit=` until accounts give each user theirs.
    pub unit: Option<String>,
    #[allow(dead_code)] // read once accounts exist
    pub role: Role,
    /// The path and query of this request, to come back to after a switch.
    pub here: String,
    /// The signed-in session's CSRF token, which every posted form carries.
    pub csrf: Option<String>,
}

impl Viewer {
    /// The text of a key in the viewer's language.
    pub fn t(&self, key: &'static str) -> &'static str {
        self.lang.text(key)
    }

    /// A key's text with `{placeholders}` filled.
    pub fn fill(&self, key: &'static str, values: &[(&str, &str)]) -> String {
        let params: Vec<(String, String)> = values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.lang.message(key, "", &params)
    }

    /// The message of a broken rule, in the viewer's language.
    pub fn message(&self, v: &crimeboard_domain::Violation) -> String {
        self.lang.message(&v.rule, &v.field, &v.params)
    }

    pub fn export_lang(&self) -> crimeboard_export::Lang {
        self.lang.into()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Viewer, Infallible> {
        let query = parts.uri.query();
        let lang = query_value(query, "lang")
            .and_then(|l| Lang::parse(&l))
            .or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(|l| Lang::parse(&l)))
            .unwrap_or_else(|| Lang::negotiate(None, &parts.headers));
        let accessible = cookie(&parts.headers, VIEW_COOKIE).is_some_and(|v| v == ACCESSIBLE);
        let unit = query_value(query, "unit").map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
        let here = parts.uri.path_and_query().map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
        let csrf = parts.extensions.get::<crate::auth::Caller>().and_then(|c| c.csrf_token().map(String::from));
        Ok(Viewer { lang, accessible, unit, role: Role::Staff, here, csrf })
    }
}

/// The first value of a query parameter.
pub fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}
