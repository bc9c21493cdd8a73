//! The staff's web pages, rendered on the server, working without
//! JavaScript. Every write goes through `Registry::record`, the path the JSON
//! API uses; every text comes from the locale files.

mod admin;
mod appeals;
mod assets;
mod briefing;
mod cache;
mod cancellations;
mod case_page;
mod cases;
mod display;
mod export;
mod feeds;
mod figures;
pub(crate) mod form;
mod format;
pub mod freezes;
pub mod guard;
mod held;
mod home;
mod identifiers;
pub(crate) mod layout;
mod lists;
mod meetings;
mod news;
mod online;
mod paths;
mod prefs;
mod publications;
mod receptions;
mod records;
mod registers;
mod releases;
mod report;
mod reports;
mod respond;
mod rows;
mod samples;
pub mod series;
pub mod series_list;
mod sign_in;
mod signals;
mod site;
mod task_lines;
mod tasks;
mod timeline;
mod units;
pub(crate) mod viewer;
mod write;

pub use respond::error_page;
pub use viewer::{PublicSite, Viewer};

use crate::load::{Load, limit_heavy};
use crate::problem::Problem;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use crimeboard_domain::access::Action;
use crimeboard_service::Registry;
use std::sync::Arc;

/// The pages' routes, each with what it needs (see [`guard`]): the same
/// action the equivalent API route needs.
/// The report and the figures are heavy: they wait for a permit ([`crate::load`]).
pub fn routes(registry: &Arc<Registry>, load: &Arc<Load>) -> Router<Arc<Registry>> {
    use Action::*;
    use guard::Need::{self, SignedIn};
    let on = |need: Need, route| guard::needs(registry, need, route);
    let act = |action: Action, route| guard::needs(registry, Need::Action(action), route);
    let heavy = || axum::middleware::from_fn_with_state(load.clone(), limit_heavy);
    Router::new()
        .merge(public_pages(registry, load))
        // Signing in and out answers anyone: each step checks its own session.
        .route(paths::LOGIN_PATH, get(sign_in::login_page).post(sign_in::login))
        .route(paths::TOTP_PATH, get(sign_in::totp_page).post(sign_in::totp))
        .route(paths::ENROL_PATH, get(sign_in::enrol_page).post(sign_in::enrol))
        .route(paths::LOGOUT_PATH, post(sign_in::logout))
        .route(paths::LOGOUT_EVERYWHERE_PATH, post(sign_in::logout_everywhere))
        .route("/", on(SignedIn, get(home::home)))
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
        .route(
            "/cases/{id}/cancellation/request",
            act(WorkCase, get(cancellations::request_form).post(cancellations::request)),
        )
        .route(
            "/cases/{id}/cancellation/decide",
            act(ApproveCancellation, get(cancellations::decide_form).post(cancellations::decide)),
        )
        .route(cancellations::QUEUE_PATH, act(ApproveCancellation, get(cancellations::queue)))
        .route("/persons", act(ReadPersonalData, get(lists::persons)))
        // Digital identifiers: attached on a report's, case's or person's page, looked up by a post.
        .route(
            "/reports/{id}/identifiers/new",
            act(RecordIdentifiers, get(identifiers::attach_form_page).post(identifiers::attach)),
        )
        .route(
            "/cases/{id}/identifiers/new",
            act(RecordIdentifiers, get(identifiers::attach_form_page).post(identifiers::attach)),
        )
        .route(
            "/persons/{id}/identifiers/new",
            act(RecordIdentifiers, get(identifiers::attach_form_page).post(identifiers::attach)),
        )
        .route(
            "/reports/{id}/identifiers/remove",
            act(RecordIdentifiers, get(identifiers::remove_form).post(identifiers::remove)),
        )
        .route(
            "/cases/{id}/identifiers/remove",
            act(RecordIdentifiers, get(identifiers::remove_form).post(identifiers::remove)),
        )
        .route(
            "/persons/{id}/identifiers/remove",
            act(RecordIdentifiers, get(identifiers::remove_form).post(identifiers::remove)),
        )
        .route(identifiers::LOOKUP_PATH, act(ReadPersonalData, get(identifiers::lookup_form).post(identifiers::lookup)))
        .route(identifiers::ACCESS_PATH, act(ReadPersonalData, post(identifiers::request_access)))
        .route("/identifiers/{kind}/{key}", act(ReadPersonalData, get(identifiers::show)))
        .route("/identifiers/{kind}/{key}/linking", act(AnalyseSeries, post(identifiers::decide_linking)))
        // A series: read by whoever reads personal data, worked by the analyst.
        // The list of series names units and counts only, and the registry
        // asks read_personal_data and keeps to the series the reader may
        // see (an analyst's without grants too): a unit asked is a filter.
        .route("/series", on(SignedIn, get(series_list::list)))
        .route("/series/{id}", act(ReadPersonalData, get(series::show)))
        .route("/series/{id}/confirm", act(AnalyseSeries, post(series::confirm)))
        .route("/series/{id}/acknowledge", act(DecideReport, get(series::acknowledge_form).post(series::acknowledge)))
        .route("/series/{id}/split", act(AnalyseSeries, get(series::split_form).post(series::split)))
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
        .route("/releases", act(ReadFigures, get(lists::releases)))
        .route("/releases/new", act(DraftReleases, get(releases::new_form).post(releases::draft)))
        .route(releases::WRITE_PATH, act(DraftReleases, get(releases::write_form).post(releases::write)))
        .route("/releases/{id}", act(ReadFigures, get(releases::show)))
        .route("/releases/{id}/preview", act(DraftReleases, get(releases::preview)))
        .route("/releases/{id}/edit", act(DraftReleases, get(releases::edit_form).post(releases::edit)))
        .route("/releases/{id}/approve", act(ApproveReleases, get(releases::approve_form).post(releases::approve)))
        .route("/releases/{id}/publish", act(PublishFigures, get(releases::publish_form).post(releases::publish)))
        .route("/publications", act(ReadFigures, get(lists::publications)))
        .route(publications::NEW_PATH, act(PublishFigures, get(publications::new_form).post(publications::publish)))
        .route("/publications/{id}", act(ReadFigures, get(publications::show)))
        .route("/freezes", act(ReadPersonalData, get(lists::freezes)))
        .route(records::FREEZE_QUEUE_PATH, act(ReadPersonalData, get(records::freeze_queue)))
        .route("/freezes/{id}", act(ReadPersonalData, get(records::freeze)))
        .route("/cases/{id}/freeze", act(WorkCase, get(freezes::request_form).post(freezes::request)))
        .route("/freezes/{id}/answer", act(WorkCase, get(freezes::answer_form).post(freezes::answer)))
        .route("/freezes/{id}/return", act(WorkCase, get(freezes::return_form).post(freezes::give_back)))
        .route("/report", act(ReadFigures, get(report::show)).route_layer(heavy()))
        .route("/signals", act(ReadSignals, get(signals::show)).route_layer(heavy()))
        .route(signals::CANCELLATIONS_PATH, act(ReadSignals, get(signals::cancellations)).route_layer(heavy()))
        .route("/samples", act(ReadSamples, get(lists::samples)))
        .route(samples::NEW_PATH, act(DrawSample, get(samples::new_form).post(samples::draw)))
        .route("/samples/{id}", act(ReadSamples, get(samples::show)))
        .route("/samples/{id}/review", act(ReviewSample, get(samples::review_form).post(samples::review)))
        .route(briefing::PATH, act(ReadFigures, get(briefing::show)).route_layer(heavy()))
        .route("/meetings", act(ReadTasks, get(lists::meetings)))
        .route(meetings::NEW_PATH, act(ManageMeetings, get(meetings::schedule_form).post(meetings::schedule)))
        .route("/meetings/{id}", act(ReadTasks, get(meetings::show)))
        .route("/meetings/{id}/commitments", act(ReadTasks, get(meetings::commitments)))
        .route(
            "/meetings/{id}/minutes",
            act(ManageMeetings, get(meetings::minutes_form).post(meetings::record_minutes)),
        )
        .route("/meetings/{id}/tasks/new", act(ManageMeetings, get(meetings::task_form).post(meetings::issue_task)))
        .route("/tasks/{id}", act(ReadTasks, get(tasks::show)))
        .route("/tasks/{id}/report", act(ReportOnTasks, get(tasks::report_form).post(tasks::report)))
        .route("/tasks/{id}/control", act(ControlTasks, get(tasks::control_form).post(tasks::control)))
        .route(tasks::QUEUE_PATH, act(ReadTasks, get(tasks::queue)))
        .route(tasks::SHEET_PATH, act(ReadTasks, get(tasks::sheet)))
        .route("/appeals", act(ReadAppeals, get(lists::appeals)))
        .route(appeals::QUEUE_PATH, act(ReadAppeals, get(appeals::queue)))
        .route(appeals::NEW_PATH, act(HandleAppeals, get(appeals::new_form).post(appeals::register)))
        .route("/appeals/{id}", act(ReadAppeals, get(appeals::show)))
        .route("/appeals/{id}/extend", act(HandleAppeals, get(appeals::extend_form).post(appeals::extend)))
        .route("/appeals/{id}/refer", act(HandleAppeals, get(appeals::refer_form).post(appeals::refer)))
        .route("/appeals/{id}/answer", act(HandleAppeals, get(appeals::answer_form).post(appeals::answer)))
        .route("/appeals/{id}/rate", act(HandleAppeals, get(appeals::rate_form).post(appeals::rate)))
        .route("/appeals/{id}/report", act(HandleAppeals, get(appeals::report_form).post(appeals::report)))
        .route("/receptions", act(ReadPersonalData, get(lists::receptions)))
        .route(receptions::SCHEDULE_PATH, act(BookReceptions, get(receptions::schedule)))
        .route(receptions::NEW_PATH, act(ManageReceptions, get(receptions::new_form).post(receptions::create)))
        .route("/receptions/{id}", act(ReadPersonalData, get(receptions::show)))
        .route("/receptions/{id}/book", act(BookReceptions, get(receptions::book_form).post(receptions::book)))
        .route("/receptions/{id}/give-up", act(BookReceptions, get(receptions::give_up_form).post(receptions::give_up)))
        .route(
            "/receptions/{id}/call-off",
            act(ManageReceptions, get(receptions::call_off_form).post(receptions::call_off)),
        )
        .route(
            "/receptions/{id}/record",
            act(ManageReceptions, get(receptions::record_form).post(receptions::record_session)),
        )
        .route(paths::AUDIT, act(ReadAudit, get(admin::audit)))
        .route(paths::USERS, act(AdministerUsers, get(admin::users).post(admin::add)))
        .route("/admin/users/{login}", act(AdministerUsers, get(admin::user)))
        .route("/admin/users/{login}/disable", act(AdministerUsers, post(admin::disable)))
        .route("/admin/users/{login}/enable", act(AdministerUsers, post(admin::enable)))
        .route("/admin/users/{login}/totp", act(AdministerUsers, post(admin::reset_totp)))
        .route("/admin/users/{login}/tokens", act(AdministerUsers, get(admin::user).post(admin::add_token)))
        .route("/admin/users/{login}/tokens/{id}/revoke", act(AdministerUsers, post(admin::revoke_token)))
}

/// The pages anyone may open, on both listeners: their assets, the
/// language and display switches, the figures. The public site's later
/// pages (news, awareness material, reports and appeals online) join here.
fn public_pages(registry: &Arc<Registry>, load: &Arc<Load>) -> Router<Arc<Registry>> {
    use guard::Need::Anyone;
    let on = |need, route| guard::needs(registry, need, route);
    let act = |action: Action, route| guard::needs(registry, guard::Need::Action(action), route);
    let heavy = || axum::middleware::from_fn_with_state(load.clone(), limit_heavy);
    Router::new()
        .route(assets::CSS_PATH, get(assets::css))
        .route(assets::MANAT_FONT_PATH, get(assets::manat_font))
        .route(assets::EXIT_JS_PATH, get(assets::exit_js))
        .route(paths::PREFS, on(Anyone, get(prefs::switch)))
        .route(paths::DISPLAY, on(Anyone, get(prefs::display_form)))
        .route(paths::FIGURES, act(Action::ReadPublicFigures, get(figures::show)).route_layer(heavy()))
        .route(paths::METHODS, act(Action::ReadPublicFigures, get(figures::methods)))
        .route(paths::UNITS, act(Action::ReadPublicFigures, get(units::directory)))
        .route("/units/{code}", act(Action::ReadPublicFigures, get(units::show)).route_layer(heavy()))
        .route(paths::NEWS, act(Action::ReadPublicFigures, get(news::list)))
        .route(paths::NEWS_FEED, act(Action::ReadPublicFigures, get(feeds::atom)))
        .route(paths::SITEMAP, act(Action::ReadPublicFigures, get(feeds::sitemap)))
        .route("/news/{number}", act(Action::ReadPublicFigures, get(news::show)))
        .layer(axum::middleware::from_fn_with_state((registry.clone(), load.clone()), cache::keep))
}

/// The public site's listener: the public pages and its own home page,
/// where the staff's listener has the staff's.
pub fn public_site(registry: &Arc<Registry>, load: &Arc<Load>) -> Router<Arc<Registry>> {
    public_pages(registry, load)
        .route("/", guard::needs(registry, guard::Need::Anyone, get(site::home)))
        .merge(online_services(registry))
}

/// The online crime report, the online appeal and following them: on the
/// public site's listener alone (staff register what reaches them with
/// their own forms), outside the page cache, each post within its own body
/// limit.
fn online_services(registry: &Arc<Registry>) -> Router<Arc<Registry>> {
    let act = |route| guard::needs(registry, guard::Need::Action(Action::SubmitOnline), route);
    let limit = || axum::extract::DefaultBodyLimit::max(online::ONLINE_BODY_BYTES);
    Router::new()
        .route(paths::REPORT_PATH, act(get(online::report_form).post(online::report)).route_layer(limit()))
        .route(paths::APPEAL_PATH, act(get(online::appeal_form).post(online::appeal)).route_layer(limit()))
        .route(paths::STATUS_PATH, act(get(online::status_form).post(online::status)).route_layer(limit()))
        .route(paths::RATE_PATH, act(post(online::rate)).route_layer(limit()))
}

/// A page for an address that is not one (the API answers its own with a problem).
pub async fn not_found(v: Viewer) -> Response {
    error_page(&v, &Problem::new(StatusCode::NOT_FOUND, crate::problem::kind::ROUTE_NOT_FOUND, vec![]))
}

pub async fn method_not_allowed(v: Viewer) -> Response {
    error_page(&v, &Problem::new(StatusCode::METHOD_NOT_ALLOWED, crate::problem::kind::METHOD_NOT_ALLOWED, vec![]))
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
