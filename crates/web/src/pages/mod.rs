//! The staff's web pages, rendered on the server, working without
//! JavaScript. Every write goes through `Registry::submit`, the path the JSON
//! API uses; every text comes from the locale files.

mod admin;
mod assets;
mod case_page;
mod cases;
mod export;
mod figures;
pub(crate) mod form;
mod format;
pub mod guard;
mod home;
pub(crate) mod layout;
mod lists;
mod prefs;
mod records;
mod registers;
mod report;
mod reports;
mod rows;
mod sign_in;
mod timeline;
pub(crate) mod viewer;

pub use viewer::Viewer;

use crate::auth::Caller;
use crate::load::{Load, limit_heavy};
use crate::problem::Problem;
use crate::state::blocking;
use axum::Router;
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use crimeboard_domain::Violation;
use crimeboard_domain::access::Action;
use crimeboard_service::{Receipt, Registry, ServiceError, Submission};
use maud::html;
use std::sync::Arc;

/// The pages' routes, each with what it needs (see [`guard`]): the same
/// action the equivalent API route needs.
/// The report and the figures are heavy: they wait for a permit ([`crate::load`]).
pub fn routes(registry: &Arc<Registry>, load: &Arc<Load>) -> Router<Arc<Registry>> {
    use Action::*;
    use guard::Need::{self, Anyone, SignedIn};
    let on = |need: Need, route| guard::needs(registry, need, route);
    let act = |action: Action, route| guard::needs(registry, Need::Action(action), route);
    let heavy = || axum::middleware::from_fn_with_state(load.clone(), limit_heavy);
    Router::new()
        // Signing in and out answers anyone: each step checks its own session.
        .route(sign_in::LOGIN_PATH, get(sign_in::login_page).post(sign_in::login))
        .route(sign_in::TOTP_PATH, get(sign_in::totp_page).post(sign_in::totp))
        .route(sign_in::ENROL_PATH, get(sign_in::enrol_page).post(sign_in::enrol))
        .route(sign_in::LOGOUT_PATH, post(sign_in::logout))
        .route(sign_in::LOGOUT_EVERYWHERE_PATH, post(sign_in::logout_everywhere))
        .route("/", on(SignedIn, get(home::home)))
        .route(assets::CSS_PATH, get(assets::css))
        .route("/prefs", on(Anyone, get(prefs::switch)))
        .route("/search", act(ReadPersonalData, get(lists::search)))
        .route("/reports", act(ReadPersonalData, get(lists::reports)))
        .route("/reports/new", act(RegisterReport, get(reports::new_form).post(reports::register)))
        .route("/reports/{id}", act(ReadPersonalData, get(records::report)))
        .route("/reports/{id}/decide", act(DecideReport, get(reports::decide_form).post(reports::decide)))
        .route("/cases", act(ReadPersonalData, get(lists::cases)))
        .route("/cases/new", act(WorkCase, get(cases::open_form).post(cases::open)))
        .route("/cases/{id}", act(ReadPersonalData, get(records::case)))
        .route("/cases/{id}/persons/new", act(WorkCase, get(cases::person_form).post(cases::add_person)))
        .route("/cases/{id}/money", act(WorkCase, get(cases::money_form).post(cases::money)))
        .route("/cases/{id}/decide", act(WorkCase, get(cases::decide_form).post(cases::decide)))
        .route("/cases/{id}/reclassify", act(WorkCase, get(cases::reclassify_form).post(cases::reclassify)))
        .route("/persons", act(ReadPersonalData, get(lists::persons)))
        .route("/persons/{id}", act(ReadPersonalData, get(records::person)))
        .route("/seizures", act(ReadRecords, get(lists::seizures)))
        .route("/seizures/new", act(WorkCase, get(registers::seizure_form).post(registers::seizure)))
        .route("/seizures/{id}", act(ReadRecords, get(records::seizure)))
        .route("/accidents", act(ReadRecords, get(lists::accidents)))
        .route("/accidents/new", act(RecordAccident, get(registers::accident_form).post(registers::accident)))
        .route("/accidents/{id}", act(ReadRecords, get(records::accident)))
        .route("/examinations", act(ReadRecords, get(lists::examinations)))
        .route("/examinations/new", act(WorkCase, get(registers::examination_form).post(registers::examination)))
        .route("/examinations/{id}", act(ReadRecords, get(records::examination)))
        .route(
            "/examinations/{id}/complete",
            act(RecordExamination, get(registers::complete_form).post(registers::complete)),
        )
        .route("/accountability", act(ReadPersonalData, get(lists::accountability)))
        .route("/accountability/{id}", act(ReadPersonalData, get(records::accountability)))
        .route("/report", act(ReadFigures, get(report::show)).route_layer(heavy()))
        .route(figures::PATH, act(ReadPublicFigures, get(figures::show)).route_layer(heavy()))
        .route(admin::AUDIT, act(ReadAudit, get(admin::audit)))
        .route(admin::USERS, act(AdministerUsers, get(admin::users).post(admin::add)))
        .route("/admin/users/{login}", act(AdministerUsers, get(admin::user)))
        .route("/admin/users/{login}/disable", act(AdministerUsers, post(admin::disable)))
        .route("/admin/users/{login}/enable", act(AdministerUsers, post(admin::enable)))
        .route("/admin/users/{login}/totp", act(AdministerUsers, post(admin::reset_totp)))
        .route("/admin/users/{login}/tokens", act(AdministerUsers, get(admin::user).post(admin::add_token)))
        .route("/admin/users/{login}/tokens/{id}/revoke", act(AdministerUsers, post(admin::revoke_token)))
}

/// A page for an address that is not one (the API answers its own with a problem).
pub async fn not_found(v: Viewer) -> Response {
    error_page(&v, &Problem::new(StatusCode::NOT_FOUND, crate::problem::kind::ROUTE_NOT_FOUND, vec![]))
}

pub async fn method_not_allowed(v: Viewer) -> Response {
    error_page(&v, &Problem::new(StatusCode::METHOD_NOT_ALLOWED, crate::problem::kind::METHOD_NOT_ALLOWED, vec![]))
}

/// A problem as a page in the viewer's language; an internal cause is logged, never shown.
pub fn error_page(v: &Viewer, problem: &Problem) -> Response {
    if let Some(cause) = &problem.cause {
        eprintln!("crimeboard: page {}: {cause}", v.here);
    }
    let title = v.lang.text(&format!("title.{}", problem.kind)).to_string();
    let body = html! {
        h1 { (title) }
        @if problem.errors.is_empty() {
            p { (v.lang.text(problem.kind)) }
        } @else {
            ul { @for e in &problem.errors { li { (v.message(e)) } } }
        }
        p { a href="/" { (v.t("ui.nav.home")) } }
    };
    layout::page_with_status(v, problem.status, &title, body)
}

/// What became of a form's submission.
pub enum Submitted {
    Recorded(Receipt),
    /// The registry refused it: the rules it broke, for the form.
    Refused(Vec<Violation>),
}

/// Records a submission through the one write path, checked and audited as
/// the API does: the act's action in its unit and the units of the entries
/// it reads, recorded as the caller's.
pub async fn submit(
    registry: &Arc<Registry>,
    caller: &Caller,
    mut submission: Submission,
) -> Result<Submitted, Problem> {
    let caller = caller.clone();
    blocking(registry, move |r| {
        crate::submission::authorize_submission(r, &caller, &mut submission)?;
        match r.submit_as(&caller.actor(), &submission) {
            Ok(receipt) => Ok(Submitted::Recorded(receipt)),
            Err(ServiceError::Rejected(rejected)) | Err(ServiceError::BatchItem { rejected, .. }) => {
                Ok(Submitted::Refused(rejected.0))
            }
            Err(other) => Err(Problem::from_service(other)),
        }
    })
    .await
}

/// After a recorded form: see the record (303, so a reload does not post again).
pub fn see_other(location: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        res.headers_mut().insert(LOCATION, value);
    }
    res
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
    };
    format!("/{register}/{id}")
}

/// The id in a record's address; anything else is a page not found, in the viewer's language.
pub struct PageId(pub uuid::Uuid);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<PageId, Response> {
        let raw = axum::extract::Path::<String>::from_request_parts(parts, state).await.map(|p| p.0);
        match raw.ok().and_then(|r| uuid::Uuid::parse_str(&r).ok()) {
            Some(id) => Ok(PageId(id)),
            None => {
                let Ok(v) = Viewer::from_request_parts(parts, state).await;
                Err(error_page(&v, &Problem::not_found()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, catalogue};

    /// Every `ui.*` key the pages name is in every locale; the sets a label is
    /// picked from by code (statuses, acts, …) are checked by their members.
    #[test]
    fn every_key_the_pages_use_is_translated() {
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages")];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() { dirs.push(path) } else { files.push(path) }
            }
        }
        let mut keys = std::collections::BTreeSet::new();
        for file in files {
            let text = std::fs::read_to_string(file).unwrap();
            for piece in text.split("\"ui.").skip(1) {
                let key: String =
                    piece.chars().take_while(|c| c.is_ascii_alphanumeric() || "_.".contains(*c)).collect();
                if !key.is_empty() && !key.ends_with('.') && piece[key.len()..].starts_with('"') {
                    keys.insert(format!("ui.{key}"));
                }
            }
        }
        let acts = crate::body::ACTS.map(|a| format!("ui.act.{a}"));
        let kinds = crimeboard_domain::EntityKind::ALL.map(|k| format!("ui.kind.{}", k.as_str()));
        keys.extend(acts);
        keys.extend(kinds);
        assert!(keys.len() > 200, "{}", keys.len());
        for lang in Lang::ALL {
            let missing: Vec<_> = keys.iter().filter(|k| !catalogue(lang).contains_key(k.as_str())).collect();
            assert!(missing.is_empty(), "locales/{}.toml lacks {missing:?}", lang.code());
        }
    }
}
