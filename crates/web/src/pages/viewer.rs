//! Who is looking, and how they want to see it: language, the "for the
//! visually impaired" view, who is signed in (the [`Caller`] the
//! authenticate middleware resolved), the unit they work in and the units
//! the page may show them (set by the pages' guard, [`super::guard`]).

use super::display::Display;
use crate::auth::{Caller, Via};
use crate::i18n::{Lang, Offer};
use crate::problem::Problem;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use crimeboard_domain::access::{Action, Role};
use crimeboard_service::{Jurisdiction, Registry};
use std::convert::Infallible;
use std::sync::Arc;

pub const LANG_COOKIE: &str = "lang";
/// The display settings for the visually impaired ([`Display`]).
pub const VIEW_COOKIE: &str = "view";

/// Marks a request as come to the public site's own listener: its pages
/// are drawn in the public site's frame.
#[derive(Debug, Clone, Copy)]
pub struct PublicSite;

/// What the pages' guard found the route's action allows: the units its
/// lists may show (`None` for every unit).
#[derive(Debug, Clone)]
pub struct Access {
    pub within: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Viewer {
    /// One of the languages the pack offers: `?lang=`, else the `lang`
    /// cookie, else `Accept-Language`, each when it names one offered; else
    /// the pack's default language.
    pub lang: Lang,
    /// The languages the pack offers, which the switcher shows.
    pub offer: Offer,
    /// The jurisdiction pack in force as the request came in (its currency
    /// for the amounts shown).
    pub pack: Arc<Jurisdiction>,
    /// The display settings for the visually impaired, from the view cookie.
    pub display: Display,
    /// The unit whose work is shown first (its queue, its lists): `?unit=`
    /// (the guard has checked it is within the user's units), else the
    /// signed-in user's home unit.
    pub unit: Option<String>,
    /// Who is asking; anonymous before the authenticate middleware has run.
    pub caller: Option<Caller>,
    /// Set by the guard on every staff page.
    pub access: Option<Access>,
    /// The path and query of this request, to come back to after a switch.
    pub here: String,
    /// Served by the public site's own listener: drawn in its frame.
    pub public: bool,
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

    /// A name in the viewer's language, or, when that one was not given, in
    /// the pack's default language, then the others (`name_fallback`).
    pub fn name_of<'a>(&self, n: &'a crimeboard_domain::units::Names) -> &'a str {
        n.get(self.lang.into(), &crimeboard_domain::units::name_fallback(self.offer.default.into()))
    }

    /// A signed-in user's role (the public's otherwise).
    pub fn role(&self) -> Role {
        self.caller.as_ref().filter(|c| c.is_signed_in()).map_or(Role::Public, |c| c.principal.role)
    }

    /// Whether the viewer's role may take an action at all: a button to a
    /// form they could not use is not offered (the guard refuses it anyway).
    pub fn may(&self, action: Action) -> bool {
        crimeboard_domain::access::allows(self.role(), action)
    }

    /// Signed in with the session cookie: the header offers signing out.
    pub fn has_session(&self) -> bool {
        self.csrf_token().is_some()
    }

    /// The session's CSRF token, which every form posts back.
    pub fn csrf_token(&self) -> Option<&str> {
        self.caller.as_ref().and_then(Caller::csrf_token)
    }

    /// The units this page's lists may show: `None` for every unit.
    pub fn within(&self) -> Option<Vec<String>> {
        self.access.as_ref().and_then(|a| a.within.clone())
    }

    /// Records in the audit trail what the viewer looked at, exported or changed.
    pub fn audit(&self, registry: &Registry, action: &str, target: &str, detail: &str) -> Result<(), Problem> {
        match &self.caller {
            Some(c) => c.audit(registry, action, target, detail),
            None => Err(Problem::internal("audit without a caller")),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Viewer, Infallible> {
        let query = parts.uri.query();
        let offer = parts.extensions.get::<Offer>().cloned().unwrap_or_else(Offer::every);
        let pack = parts.extensions.get::<Arc<Jurisdiction>>().cloned().unwrap_or_else(Jurisdiction::demo);
        let lang = query_value(query, "lang")
            .and_then(|l| offer.pick(&l))
            .or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(|l| offer.pick(&l)))
            .unwrap_or_else(|| offer.negotiate(None, &parts.headers));
        let display = cookie(&parts.headers, VIEW_COOKIE).map_or_else(Display::default, |v| Display::from_cookie(&v));
        let caller = parts.extensions.get::<Caller>().cloned();
        let home =
            caller.as_ref().filter(|c| matches!(c.via, Via::Session { .. })).map(|c| c.principal.home.to_string());
        let unit = query_value(query, "unit").map(|u| u.trim().to_string()).filter(|u| !u.is_empty()).or(home);
        let here = parts.uri.path_and_query().map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
        let access = parts.extensions.get::<Access>().cloned();
        let public = parts.extensions.get::<PublicSite>().is_some();
        Ok(Viewer { lang, offer, pack, display, unit, caller, access, here, public })
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

/// What a page route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, the public included.
    Anyone,
    /// Any signed-in user: the home page, which sends each role to its work.
    SignedIn,
    /// This action, in the unit asked for and the unit of the record named.
    Action(Action),
}
