//! The press service's releases: a Board meeting's, drafted by the system
//! for a held meeting, or one the press officer writes from scratch; its
//! page (each language's title and text with the figures written out, its
//! tags, and under them each figure's indicator, unit, period, value and
//! journal position), the preview of each language as the public site will
//! draw it (the public page's own renderer, in the public frame), the press
//! officer's edit of one language with the figures' tokens explained and the
//! tags, approval, and publication at once or at a civil date and time.
//! Every write goes through the one write path.

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
    ApproveRelease, DraftRelease, EditRelease, PublishRelease, Release, ReleaseStatus, TOPICS, Tags, Texts,
    WriteRelease, token,
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
            @if v.may(Action::DraftReleases) {
            @for lang in r.languages() {
                li { a.button href={ "/releases/" (id) "/preview?lang=" (lang.code()) } {
                    (v.t("ui.action.preview_release")) " (" (language_name(&v, lang)) ")" } }
            }
        }
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
            @if let (Some(meeting), Some(held_on)) = (r.meeting_id, r.held_on) {
                dt { (v.t("ui.release.meeting")) } dd { a href={ "/meetings/" (meeting) } { (format::day(&v, held_on)) } }
            }
            dt { (v.t("ui.col.unit")) } dd { (r.unit) }
            @if let Some(at) = r.publish_at {
                dt { (v.t("ui.release.publish_at")) } dd { (format::local_time(&v, at)) }
            }
            dt { (v.t("ui.news.tags")) }
            dd { (tag_words(&v, &r.tags)) }
        }
        @for (lang, text) in &shown.rendered {
            section lang=(lang.code()) aria-labelledby={ "text-" (lang.code()) } {
                h2 id={ "text-" (lang.code()) } { (language_name(&v, *lang)) }
                @let title = r.titles.get(*lang);
                @if !title.is_empty() { p { strong { (title) } } }
                @if text.trim().is_empty() { p { (v.t("ui.release.not_written")) } }
                @for paragraph in text.split("\n\n") { @if !paragraph.trim().is_empty() { p { (paragraph) } } }
            }
        }
        (figures_table(&v, r, &shown.values))
        h2 { (v.t("ui.record.history")) }
        (timeline(&v, &registry, &shown.history))
    };
    page(&v, &title, body)
}

/// The tags in words: the units' codes and the topics' names.
fn tag_words(v: &Viewer, tags: &Tags) -> String {
    let topics = tags.topics.iter().map(|t| format::label(v, "topic", t));
    tags.units.iter().map(ToString::to_string).chain(topics).collect::<Vec<_>>().join(", ")
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
            let form = with_tags(
                Form::default()
                    .with("text", shown.release.texts.get(lang))
                    .with("title", shown.release.titles.get(lang)),
                &shown.release.tags,
            );
            edit_page(&v, &shown.release, lang, &form, StatusCode::OK)
        }
        Err(p) => error_page(&v, &p),
    }
}

fn edit_page(v: &Viewer, r: &Release, lang: Language, form: &Form, status: StatusCode) -> Response {
    let title = v.fill("ui.form.edit_release", &[("number", &r.number), ("lang", language_name(v, lang))]);
    let fields = html! {
        (field("title", "ui.field.release_title").help(v.t("ui.help.release_title")).input(v, form, "text"))
        (field("text", "ui.field.release_text").required().help(v.t("ui.help.release_tokens")).textarea(v, form))
        (tag_fields(v, form))
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
    let mut form = Form::parse(&body);
    let command = Command::EditRelease(EditRelease {
        release_id: id,
        lang,
        text: form.text("text"),
        title: form.optional_text("title"),
        tags: Some(tags_of(&mut form)),
    });
    let release = shown.release;
    record(&v, &registry, form, command, |f, s| edit_page(&v, &release, lang, f, s)).await
}

/// Approving or publishing: a confirmation with the legal ground.
/// Publishing may name a civil date and time to come, before which the
/// public does not see the release.
fn confirm_page(v: &Viewer, id: uuid::Uuid, step: &'static str, form: &Form, status: StatusCode) -> Response {
    let (title_key, button) = match step {
        "publish" => ("ui.form.publish_release", "ui.action.publish_release"),
        _ => ("ui.form.approve_release", "ui.action.approve_release"),
    };
    let title = v.t(title_key);
    let fields = html! {
        @if step == "publish" {
            (field("at", "ui.field.publish_at").help(v.t("ui.help.publish_at")).input(v, form, "datetime-local"))
        }
        (form::envelope(v, form))
    };
    let body = html! {
        h1 { (title) }
        p { a href={ "/releases/" (id) } { (v.t("ui.form.back_to_release")) } }
        (form::summary(v, form))
        (form::post(v, &format!("/releases/{id}/{step}"), button, fields))
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
    let mut form = Form::parse(&body);
    let at = form.optional_local_time("at");
    let command = Command::PublishRelease(PublishRelease { release_id: id, at });
    record(&v, &registry, form, command, |f, s| confirm_page(&v, id, "publish", f, s)).await
}

/// A release in one language exactly as the public site will draw it: the
/// public page's renderer in the public frame, whatever its status.
pub async fn preview(v: Viewer, State(registry): Shared, PageId(id): PageId, RawQuery(q): RawQuery) -> Response {
    let lang = text_lang(q.as_deref());
    let public = Viewer { lang: crate::i18n::Lang::parse(lang.code()).unwrap_or(v.lang), public: true, ..v.clone() };
    let reader = public.clone();
    let read = blocking(&registry, move |r| {
        let release = r.release(id).map_err(Problem::from_service)?;
        Ok(super::news::article_of(r, &reader, release))
    })
    .await;
    match read {
        Ok(a) => {
            let title = super::news::title(&public, &a.release, lang);
            let body = html! {
                p.notice role="note" {
                    (v.t("ui.release.preview_note")) " "
                    a href={ "/releases/" (id) } { (v.t("ui.form.back_to_release")) }
                }
                (super::news::article(&public, &a))
            };
            page(&public, &title, body)
        }
        Err(p) => error_page(&v, &p),
    }
}

/// The tags' controls: the units by code, the topics as checkboxes.
fn tag_fields(v: &Viewer, form: &Form) -> Markup {
    html! {
        (field("tags.units", "ui.field.release_units").help(v.t("ui.help.release_units")).input(v, form, "text"))
        fieldset {
            legend { (v.t("ui.news.topic")) }
            @for t in TOPICS {
                @let name = format!("tags.topics.{t}");
                (field(&name, topic_key(t)).checkbox(v, form, "1"))
            }
        }
    }
}

/// A topic's label key: the locales name each of [`TOPICS`].
fn topic_key(topic: &str) -> &'static str {
    match topic {
        "board" => "ui.topic.board",
        "it_crime" => "ui.topic.it_crime",
        "traffic" => "ui.topic.traffic",
        "narcotics" => "ui.topic.narcotics",
        "appeals" => "ui.topic.appeals",
        "prevention" => "ui.topic.prevention",
        "missing_persons" => "ui.topic.missing_persons",
        _ => "ui.news.topic",
    }
}

fn with_tags(mut form: Form, tags: &Tags) -> Form {
    let units: Vec<&str> = tags.units.iter().map(UnitCode::as_str).collect();
    form = form.with("tags.units", units.join(" "));
    for t in &tags.topics {
        form = form.with(&format!("tags.topics.{t}"), "1");
    }
    form
}

/// The tags typed: unit codes apart by spaces or commas (a code the tree
/// lacks is refused by the rules, at `tags.units`), the topics ticked.
fn tags_of(form: &mut Form) -> Tags {
    let typed = form.text("tags.units");
    let mut units = Vec::new();
    for code in typed.split([' ', ',']).filter(|c| !c.is_empty()) {
        match UnitCode::parse(code) {
            Ok(code) => units.push(code),
            Err(_) => form.reject(Violation::new("tags.units", "unit.unknown").with("code", code)),
        }
    }
    let topics = TOPICS.iter().filter(|t| form.is_checked(&format!("tags.topics.{t}"), "1")).map(|t| t.to_string());
    Tags { units, topics: topics.collect() }
}

/// The press officer's own release: the issuing unit, a title and a text
/// in each language it is published in, and its tags.
fn write_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let title = v.t("ui.form.write_release");
    let units = registry.units();
    let fields = html! {
        (field("unit", "ui.field.unit").required().select(v, form, &format::unit_options(v, &units, format::Blank::Choose)))
        p { (v.t("ui.help.release_languages")) }
        @for lang in Language::ALL {
            fieldset lang=(lang.code()) {
                legend { (language_name(v, lang)) }
                @let (t, x) = (format!("titles.{}", lang.code()), format!("texts.{}", lang.code()));
                (field(&t, "ui.field.release_title").input(v, form, "text"))
                (field(&x, "ui.field.release_text").textarea(v, form))
            }
        }
        (tag_fields(v, form))
        (form::envelope(v, form))
    };
    let body = html! {
        h1 { (title) }
        (form::summary(v, form))
        (form::post(v, WRITE_PATH, "ui.action.write_release", fields))
    };
    page_with_status(v, status, title, body)
}

/// A text per language typed in `{prefix}.az`, `.ru`, `.en`.
fn typed_texts(form: &Form, prefix: &str) -> Texts {
    Texts {
        az: form.text(&format!("{prefix}.az")),
        ru: form.text(&format!("{prefix}.ru")),
        en: form.text(&format!("{prefix}.en")),
    }
}

/// Where the press officer writes a release from scratch.
pub const WRITE_PATH: &str = "/releases/write";

pub async fn write_form(v: Viewer, State(registry): Shared) -> Response {
    write_page(&v, &registry, &Form::default(), StatusCode::OK)
}

pub async fn write(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let (titles, texts) = (typed_texts(&form, "titles"), typed_texts(&form, "texts"));
    let unit = form.choice::<UnitCode>("unit");
    let tags = tags_of(&mut form);
    let Some(unit) = unit else {
        form.require_texts(&["legal_ground"]);
        return write_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::WriteRelease(WriteRelease { unit, titles, texts, tags });
    let reg = registry.clone();
    record(&v, &registry, form, command, |f, s| write_page(&v, &reg, f, s)).await
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
