//! The pages' addresses that more than one module names, and how a link is
//! written: a leaf, so the frame, the guard and the pages can all link to
//! each other's pages without importing each other.

pub use crate::auth::LOGIN_PATH;

pub const TOTP_PATH: &str = "/auth/totp";
pub const ENROL_PATH: &str = "/auth/enrol";
pub const LOGOUT_PATH: &str = "/auth/logout";
pub const LOGOUT_EVERYWHERE_PATH: &str = "/auth/logout-everywhere";

/// The language and display switches.
pub const PREFS: &str = "/prefs";
/// The display settings' panel for the visually impaired.
pub const DISPLAY: &str = "/prefs/display";
/// The directory of the structural units; a unit's page is below it.
pub const UNITS: &str = "/units";
/// The public's figures.
pub const FIGURES: &str = "/figures";
/// The figures' methods in plain words.
pub const METHODS: &str = "/figures/methods";
/// The open data the public figures come from, as files.
pub const OPEN_DATA: &str = "/api/open-data";
/// The online crime report's form.
pub const REPORT_PATH: &str = "/online/report";
/// The online appeal's form.
pub const APPEAL_PATH: &str = "/online/appeal";
/// Following a report or an appeal by reference and secret (posted, so the
/// secret is in no address or log).
pub const STATUS_PATH: &str = "/online/status";
/// The satisfaction survey, posted from the status page.
pub const RATE_PATH: &str = "/online/status/rate";
/// The public's news: the list; a release's page is below it.
pub const NEWS: &str = "/news";
/// The news as an Atom feed, one per language (`?lang=`).
pub const NEWS_FEED: &str = "/news/feed.atom";
/// The public site's pages for search engines.
pub const SITEMAP: &str = "/sitemap.xml";
/// The administrator's list of users; a user's page is below it.
pub const USERS: &str = "/admin/users";
pub const AUDIT: &str = "/admin/audit";

/// A value for a query string.
pub fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A path with query parameters, the empty ones left out.
pub fn link(path: &str, params: &[(&str, &str)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        if !v.is_empty() {
            out.append_pair(k, v);
        }
    }
    let query = out.finish();
    if query.is_empty() { path.to_string() } else { format!("{path}?{query}") }
}

/// The display settings' panel, coming back to `here`.
pub fn display_path(here: &str) -> String {
    link(DISPLAY, &[("back", here)])
}

/// The sign-in page, with where to come back to.
pub fn sign_in_path(here: &str) -> String {
    link(LOGIN_PATH, &[("next", here)])
}

/// The address of a record's page.
pub fn record_path(kind: crimeboard_domain::EntityKind, id: uuid::Uuid) -> String {
    use crimeboard_domain::EntityKind::*;
    let register = match kind {
        Report => "reports",
        Case => "cases",
        Person => "persons",
        Seizure => "seizures",
        Accountability => "accountability",
        Accident => "accidents",
        Examination => "examinations",
        Meeting => "meetings",
        Task => "tasks",
        Release => "releases",
        Reception => "receptions",
        Appeal => "appeals",
        Publication => "publications",
        Freeze => "freezes",
        Sample => "samples",
    };
    format!("/{register}/{id}")
}

/// A series' page.
pub fn series_path(id: uuid::Uuid) -> String {
    format!("/series/{id}")
}
