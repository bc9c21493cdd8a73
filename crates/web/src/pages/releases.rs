//! A Board meeting's press release: drafted by the system for a held
//! meeting, its page (each language's text with the figures written out,
//! and under it each figure's indicator, unit, period, value and journal
//! position), the press officer's edit of one language with the figures'
//! tokens explained, approval and publication. Every write goes through
//! the one write path.

use super::form::{self, Form, field};
use super::format;
use super::layout::{page, page_with_status};
use super::reports::record;
use super::respond::{PageId, error_page};
use super::timeline::timeline;
use super::viewer::{Viewer, query_value};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::access::Action;
use crimeboard_domain::journal::JournalEntry;
use crimeboard_domain::release::{
    ApproveRelease, DraftRelease, EditRelease, PublishRelease, Release, ReleaseStatus, token,
};
use crimeboard_domain::units::{Language, UnitCode};
use crimeboard_domain::{Command, Violation};
use crimeboard_service::Registry;
use maud::{Markup, html};
use std::sync::Arc;

/// A release as its page shows it: texts written out, each figure's value per language.
struct Shown {
    release: Release,
    rendered: Vec<(Language, String)>,
    values: Vec<String>,
    history: Vec<(JournalEntry, bool)>,
}

async fn load(v: &Viewer, registry: &Arc<Registry>, id: uuid::Uuid) -> Result<Shown, Problem> {
    let lang: Language = v.lang.into();
    blocking(registry, move |r| {
        let release = r.release(id).map_err(Problem::from_service)?;
        let rendered = Language::ALL.iter().map(|l| (*l, r.release_text(&release, *l))).collect();
        let values = release.figures.iter().map(|f| r.figure_text(f, lang)).collect();
        let history = r.history(id).map_err(Problem::from_service)?;
        Ok(Shown { release, rendered, values, history })
    })
    .await
}

fn language_name(v: &Viewer, lang: Language) -> &'static str {
    match lang {
        Language::Az => v.t("ui.release.lang.az"),
        Language::Ru => v.t("ui.release.lang.ru"),
        Language::En => v.t("ui.release.lang.en"),
    }
}

pub async fn show(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let shown = match load(&v, &registry, id).await {
        Ok(s) => s,
        Err(p) => return error_page(&v, &p),
    };
    let r = &shown.release;
    let title = v.fill("ui.record.release", &[("number", &r.number)]);
    let status = format::label(&v, "status", r.status.as_str());
    let body = html! {
        h1 { (title) }
        ul.actions {
            @if r.status == ReleaseStatus::Draft && v.may(Action::DraftReleases) {
                @for lang in Language::ALL {
                    li { a.button href={ "/releases/" (id) "/edit?lang=" (lang.code()) } {
                        (v.t("ui.action.edit_release")) " (" (language_name(&v, lang)) ")" } }
                }
            }
            @if r.status == ReleaseStatus::Draft && v.may(Action::ApproveReleases) {
                li { a.button href={ "/releases/" (id) "/approve" } { (v.t("ui.action.approve_release")) } }
            }
            @if r.status == ReleaseStatus::Approved && v.may(Action::PublishFigures) {
                li { a.button href={ "/releases/" (id) "/publish" } { (v.t("ui.action.publish_release")) } }
            }
        }
        dl {
            dt { (v.t("ui.col.status")) } dd { (status) }
            dt { (v.t("ui.release.meeting")) } dd { a href={ "/meetings/" (r.meeting_id) } { (format::day(&v, r.held_on)) } }
            dt { (v.t("ui.col.unit")) } dd { (r.unit) }
        }
        @for (lang, text) in &shown.rendered {
            section lang=(lang.code()) aria-labelledby={ "text-" (lang.code()) } {
                h2 id={ "text-" (lang.code()) } { (language_name(&v, *lang)) }
                @for paragraph in text.split("\n\n") { p { (paragraph) } }
            }
        }
        (figures_table(&v, r, &shown.values))
        h2 { (v.t("ui.record.history")) }
        (timeline(&v, &registry, &shown.history))
    };
    page(&v, &title, body)
}

/// Each figure with where it comes from: the provenance an approved release keeps.
fn figures_table(v: &Viewer, r: &Release, values: &[String]) -> Markup {
    html! {
        table {
            caption { (v.t("ui.release.figures")) }
            thead { tr {
                th scope="col" { (v.t("ui.release.token")) }
                th scope="col" { (v.t("ui.release.indicator")) }
                th scope="col" { (v.t("ui.col.unit")) }
                th scope="col" { (v.t("ui.release.period")) }
                th scope="col" { (v.t("ui.release.value")) }
                th scope="col" { (v.t("ui.release.position")) }
            } }
            tbody {
                @for (i, f) in r.figures.iter().enumerate() {
                    tr {
                        td { code { (token(i)) } }
                        td { code { (f.indicator) } }
                        td { (f.unit) }
                        td { (format::day(v, f.period_from)) " – " (format::day(v, f.period_to)) }
                        td.num { (values.get(i).map_or("", String::as_str)) }
                        td.num { (f.position) }
                    }
                }
            }
        }
    }
}

fn text_lang(query: Option<&str>) -> Language {
    let code = query_value(query, "lang").unwrap_or_default();
    Language::ALL.into_iter().find(|l| l.code() == code).unwrap_or(Language::En)
}

pub async fn edit_form(v: Viewer, State(registry): Shared, PageId(id): PageId, RawQuery(q): RawQuery) -> Response {
    let lang = text_lang(q.as_deref());
    match load(&v, &registry, id).await {
        Ok(shown) => {
            let form = Form::default().with("text", shown.release.texts.get(lang));
            edit_page(&v, &shown.release, lang, &form, StatusCode::OK)
        }
        Err(p) => error_page(&v, &p),
    }
}

fn edit_page(v: &Viewer, r: &Release, lang: Language, form: &Form, status: StatusCode) -> Response {
    let title = v.fill("ui.form.edit_release", &[("number", &r.number), ("lang", language_name(v, lang))]);
    let fields = html! {
        (field("text", "ui.field.release_text").required().help(v.t("ui.help.release_tokens")).textarea(v, form))
        (form::envelope(v, form))
    };
    let body = html! {
        h1 { (title) }
        p { a href={ "/releases/" (r.id) } { (v.t("ui.form.back_to_release")) } }
        (form::summary(v, form))
        (form::post(v, &format!("/releases/{}/edit?lang={}", r.id, lang.code()), "ui.action.save", fields))
        (figures_table(v, r, &[]))
    };
    page_with_status(v, status, &title, body)
}

pub async fn edit(
    v: Viewer,
    State(registry): Shared,
    PageId(id): PageId,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let lang = text_lang(q.as_deref());
    let shown = match load(&v, &registry, id).await {
        Ok(s) => s,
        Err(p) => return error_page(&v, &p),
    };
    let form = Form::parse(&body);
    let command = Command::EditRelease(EditRelease { release_id: id, lang, text: form.text("text") });
    let release = shown.release;
    record(&v, &registry, form, command, |f, s| edit_page(&v, &release, lang, f, s)).await
}

/// Approving or publishing: a confirmation with the legal ground.
fn confirm_page(v: &Viewer, id: uuid::Uuid, step: &'static str, form: &Form, status: StatusCode) -> Response {
    let (title_key, button) = match step {
        "publish" => ("ui.form.publish_release", "ui.action.publish_release"),
        _ => ("ui.form.approve_release", "ui.action.approve_release"),
    };
    let title = v.t(title_key);
    let body = html! {
        h1 { (title) }
        p { a href={ "/releases/" (id) } { (v.t("ui.form.back_to_release")) } }
        (form::summary(v, form))
        (form::post(v, &format!("/releases/{id}/{step}"), button, html! { (form::envelope(v, form)) }))
    };
    page_with_status(v, status, title, body)
}

pub async fn approve_form(v: Viewer, PageId(id): PageId) -> Response {
    confirm_page(&v, id, "approve", &Form::default(), StatusCode::OK)
}

pub async fn approve(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let command = Command::ApproveRelease(ApproveRelease { release_id: id });
    record(&v, &registry, Form::parse(&body), command, |f, s| confirm_page(&v, id, "approve", f, s)).await
}

pub async fn publish_form(v: Viewer, PageId(id): PageId) -> Response {
    confirm_page(&v, id, "publish", &Form::default(), StatusCode::OK)
}

pub async fn publish(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let command = Command::PublishRelease(PublishRelease { release_id: id });
    record(&v, &registry, Form::parse(&body), command, |f, s| confirm_page(&v, id, "publish", f, s)).await
}

/// Asking the system for a held meeting's draft: the meeting by its id.
fn new_page(v: &Viewer, form: &Form, status: StatusCode) -> Response {
    let title = v.t("ui.form.draft_release");
    let fields = html! {
        (field("meeting_id", "ui.field.meeting_id").required().help(v.t("ui.help.meeting_id")).input(v, form, "text"))
        (form::envelope(v, form))
    };
    let body = html! {
        h1 { (title) }
        (form::summary(v, form))
        (form::post(v, "/releases/new", "ui.action.draft_release", fields))
    };
    page_with_status(v, status, title, body)
}

pub async fn new_form(v: Viewer, RawQuery(q): RawQuery) -> Response {
    let meeting = query_value(q.as_deref(), "meeting_id").unwrap_or_default();
    new_page(&v, &Form::default().with("meeting_id", meeting), StatusCode::OK)
}

pub async fn draft(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let Ok(meeting_id) = uuid::Uuid::parse_str(form.text("meeting_id").trim()) else {
        form.reject(Violation::new("meeting_id", "reference.not_found"));
        form.require_texts(&["legal_ground"]);
        return new_page(&v, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    // The release goes into the journal of the unit that held the meeting.
    let unit = blocking(&registry, move |r| Ok(r.meeting(meeting_id).ok().map(|m| m.scheduled.unit))).await;
    let unit: UnitCode = match unit {
        Ok(Some(unit)) => unit,
        Ok(None) => {
            form.reject(Violation::new("meeting_id", "reference.not_found").with("id", meeting_id));
            form.require_texts(&["legal_ground"]);
            return new_page(&v, &form, StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(p) => return error_page(&v, &p),
    };
    let command = Command::DraftRelease(DraftRelease { meeting_id, unit });
    record(&v, &registry, form, command, |f, s| new_page(&v, f, s)).await
}
