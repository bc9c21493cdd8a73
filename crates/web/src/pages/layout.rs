//! The frame of every page: language, skip link, header with the product's
//! name, navigation, the language and view switches, and the main region.
//! No inline script or style: the stylesheet is served from the binary.

use super::paths::{self, encode, link};
use super::viewer::Need;
use super::viewer::Viewer;
use crate::i18n::Lang;
use axum::http::header::{CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use crimeboard_domain::access::{self, Action};
use maud::{DOCTYPE, Markup, html};

/// The main navigation: path, label key and what its route needs (each user
/// sees only the entries their role may open: the public, the public figures).
const NAV: [(&str, &str, Need); 27] = [
    ("/", "ui.nav.home", Need::SignedIn),
    ("/reports/new", "ui.nav.register", Need::Action(Action::RegisterReport)),
    ("/reports", "ui.nav.reports", Need::Action(Action::ReadPersonalData)),
    ("/cases", "ui.nav.cases", Need::Action(Action::ReadPersonalData)),
    ("/persons", "ui.nav.persons", Need::Action(Action::ReadPersonalData)),
    ("/seizures", "ui.nav.seizures", Need::Action(Action::ReadRecords)),
    ("/accidents", "ui.nav.accidents", Need::Action(Action::ReadRecords)),
    ("/examinations", "ui.nav.examinations", Need::Action(Action::ReadRecords)),
    ("/search", "ui.nav.search", Need::Action(Action::ReadPersonalData)),
    ("/identifiers", "ui.nav.identifiers", Need::Action(Action::ReadPersonalData)),
    ("/series", "ui.nav.series", Need::Action(Action::ReadPersonalData)),
    ("/appeals/queue", "ui.nav.appeal_queue", Need::Action(Action::ReadAppeals)),
    ("/appeals", "ui.nav.appeals", Need::Action(Action::ReadAppeals)),
    ("/receptions/schedule", "ui.nav.receptions", Need::Action(Action::BookReceptions)),
    ("/report", "ui.nav.report", Need::Action(Action::ReadFigures)),
    ("/signals", "ui.nav.signals", Need::Action(Action::ReadSignals)),
    ("/samples", "ui.nav.samples", Need::Action(Action::ReadSamples)),
    ("/cancellations/queue", "ui.nav.cancellation_queue", Need::Action(Action::ApproveCancellation)),
    ("/board/briefing", "ui.nav.briefing", Need::Action(Action::ReadFigures)),
    ("/meetings", "ui.nav.meetings", Need::Action(Action::ReadTasks)),
    ("/board/tasks", "ui.nav.task_queue", Need::Action(Action::ReadTasks)),
    ("/board/sheet", "ui.nav.task_sheet", Need::Action(Action::ReadTasks)),
    ("/releases", "ui.nav.releases", Need::Action(Action::DraftReleases)),
    ("/publications", "ui.nav.publications", Need::Action(Action::ReadFigures)),
    (paths::FIGURES, "ui.nav.figures", Need::Action(Action::ReadPublicFigures)),
    (paths::USERS, "ui.admin.users", Need::Action(Action::AdministerUsers)),
    (paths::AUDIT, "ui.admin.audit", Need::Action(Action::ReadAudit)),
];

/// The public site's navigation, on its own listener. The sections later
/// work adds (news, awareness material, reporting a crime, appeals) take
/// their place here.
const PUBLIC_NAV: [(&str, &str); 4] = [
    ("/", "ui.site.home"),
    (paths::UNITS, "ui.nav.units"),
    (paths::FIGURES, "ui.nav.figures"),
    (paths::METHODS, "ui.methods.title"),
];

/// A whole page with status 200.
pub fn page(v: &Viewer, title: &str, main: Markup) -> Response {
    page_with_status(v, StatusCode::OK, title, main)
}

pub fn page_with_status(v: &Viewer, status: StatusCode, title: &str, main: Markup) -> Response {
    frame(v, status, title, main, false)
}

/// A page of a sensitive service (a report of domestic violence or a sexual
/// offence): "exit this page" comes first, before the skip link, so a
/// keyboard reaches it at once. It is a plain link to the site's home
/// page; with JavaScript, `exit.js` replaces this page in the history too,
/// so Back does not return to it (the GOV.UK pattern).
pub fn exit_page(v: &Viewer, status: StatusCode, title: &str, main: Markup) -> Response {
    frame(v, status, title, main, true)
}

fn frame(v: &Viewer, status: StatusCode, title: &str, main: Markup, exit: bool) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang=(v.lang.code()) class=[v.display.classes()] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (v.t("ui.product")) }
                link rel="stylesheet" href=(super::assets::CSS_PATH);
                @if exit { script src=(super::assets::EXIT_JS_PATH) defer {} }
            }
            body {
                @if exit { a.exit-page href="/" rel="nofollow noreferrer" { (v.t("ui.online.exit")) } }
                a.skip href="#main" { (v.t("ui.skip")) }
                // The first link of every page after the skip link, so a
                // reader who needs the settings reaches them at once.
                a.display-link href=(paths::display_path(&v.here)) { (v.t("ui.view.accessible")) }
                @if v.public { (public_header(v)) } @else { (header(v)) }
                main #main tabindex="-1" {
                    (main)
                }
                (footer(v))
            }
        }
    };
    let mut res = (status, markup.into_string()).into_response();
    let headers = res.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(CONTENT_LANGUAGE, HeaderValue::from_static(v.lang.code()));
    // Registers change by the minute and hold personal data: never keep a copy.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Staff are reminded the pages are for official use; the public, on the
/// pages open to it, reads where its figures come from instead.
fn footer(v: &Viewer) -> Markup {
    let key = if v.role().is_staff() { "ui.footer" } else { "ui.footer.public" };
    html! { footer.site { p { (v.t(key)) } } }
}

/// Whether the viewer may open a route that needs `need`.
fn meets(v: &Viewer, need: Need) -> bool {
    match need {
        Need::Anyone => true,
        Need::SignedIn => v.role().is_staff(),
        Need::Action(action) => access::allows(v.role(), action),
    }
}

fn header(v: &Viewer) -> Markup {
    let path = v.here.split('?').next().unwrap_or("/");
    html! {
        header.site {
            div.bar {
                a.brand href="/" { (v.t("ui.product")) }
                (switches(v))
                (account(v))
            }
            nav aria-label=(v.t("ui.nav.label")) {
                ul {
                    @for (href, key, _) in NAV.into_iter().filter(|(_, _, need)| meets(v, *need)) {
                        li {
                            // The unit chosen goes along until accounts give each user theirs.
                            a href=(link(href, &[("unit", v.unit.as_deref().unwrap_or(""))]))
                                aria-current=[is_current(path, href).then_some("page")] { (v.t(key)) }
                        }
                    }
                }
            }
        }
    }
}

/// The public site's header: its name, the switches and its sections; no
/// way to sign in, which is the staff's listener's.
fn public_header(v: &Viewer) -> Markup {
    let path = v.here.split('?').next().unwrap_or("/");
    html! {
        header.site {
            div.bar {
                a.brand href="/" { (v.t("ui.site.title")) }
                (switches(v))
            }
            nav aria-label=(v.t("ui.nav.label")) {
                ul {
                    @for (href, key) in PUBLIC_NAV {
                        li { a href=(href) aria-current=[is_current(path, href).then_some("page")] { (v.t(key)) } }
                    }
                }
            }
        }
    }
}

/// The section a path belongs to: `/cases/…` is under "Cases", except the
/// register form, which has an entry of its own.
fn is_current(path: &str, href: &str) -> bool {
    match href {
        "/" => path == "/",
        "/reports" => path.starts_with("/reports") && path != "/reports/new",
        _ => path == href || path.starts_with(&format!("{href}/")),
    }
}

/// Who is signed in and the way out; the way in for anyone else.
fn account(v: &Viewer) -> Markup {
    let login = v.caller.as_ref().map_or("", |c| c.principal.login.as_str());
    html! {
        div.account {
            @if v.has_session() {
                span.who { (login) }
                form method="post" action=(paths::LOGOUT_PATH) {
                    (super::form::csrf(v))
                    button.link type="submit" { (v.t("ui.account.sign_out")) }
                }
            } @else if !v.here.starts_with("/auth/") {
                a href=(paths::sign_in_path(&v.here)) { (v.t("ui.account.sign_in")) }
            }
        }
    }
}

fn switches(v: &Viewer) -> Markup {
    let back = encode(&v.here);
    html! {
        div.switches {
            ul.langs aria-label=(v.t("ui.lang.label")) {
                @for lang in v.offer.languages.iter().copied() {
                    li {
                        @if lang == v.lang {
                            span.current aria-current="true" lang=(lang.code()) { (lang_name(lang)) }
                        } @else {
                            a href={ "/prefs?lang=" (lang.code()) "&back=" (back) } lang=(lang.code())
                                hreflang=(lang.code()) { (lang_name(lang)) }
                        }
                    }
                }
            }
            @if v.display.is_adjusted() {
                a.view href={ (paths::PREFS) "?view=standard&back=" (back) } { (v.t("ui.view.standard")) }
            }
        }
    }
}

/// Each language names itself, so a reader finds theirs whatever is shown.
pub(super) fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Az => "Azərbaycanca",
        Lang::Ru => "Русский",
        Lang::En => "English",
    }
}
