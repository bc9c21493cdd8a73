//! Published figures (docs/integrity.md, "On the pages"): a publication's
//! page, with what it published and, under it, every figure that changed
//! since and the acts that changed it with their reasons; and the form that
//! publishes a period's figures, opened from the Board's report. The
//! register's list is a list like the others (`lists::PUBLICATIONS`).

use super::form::Form;
use super::format;
use super::layout::{page, page_with_status};
use super::paths::record_path;
use super::report::publish_fields;
use super::reports::record;
use super::respond::{PageId, error_page};
use super::timeline::timeline;
use super::viewer::Viewer;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::journal::JournalEntry;
use crimeboard_domain::publication::{NewPublication, Publication};
use crimeboard_domain::{Command, EntityKind, Violation};
use crimeboard_service::{Registry, Revisions};
use maud::{Markup, html};

/// The form that publishes a period's figures.
pub const NEW_PATH: &str = "/publications/new";

/// A publication's page: its revisions (a recount at its position against
/// the figures now) and its journal.
pub async fn show(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let found = blocking(&registry, move |r| {
        if r.get(id).map_err(Problem::from_service)?.kind != EntityKind::Publication {
            return Err(Problem::not_found());
        }
        let revisions = r.revisions(id).map_err(Problem::from_service)?;
        let history = r.history(id).map_err(Problem::from_service)?;
        Ok((revisions, history))
    })
    .await;
    let (revisions, history) = match found {
        Ok(found) => found,
        Err(p) => return error_page(&v, &p),
    };
    let p = &revisions.publication;
    let title = v.fill("ui.record.publication", &[("number", &p.number)]);
    let body = html! {
        h1 { (title) }
        (facts(&v, &registry, p, history.first().map(|(e, _)| e)))
        ul.actions aria-label=(v.t("ui.export.label")) {
            li { a href={ "/api/publications/" (p.id) "/revisions?format=csv" } { (v.t("ui.publication.revisions_csv")) } }
            li { a href={ "/api/publications/" (p.id) "/revisions?format=xlsx" } { (v.t("ui.publication.revisions_xlsx")) } }
        }
        (revised(&v, &registry, &revisions))
        h2 { (v.t("ui.record.history")) }
        (timeline(&v, &registry, &history))
    };
    page(&v, &title, body)
}

/// What was published, when and by whom (the act that published it).
fn facts(v: &Viewer, registry: &Registry, p: &Publication, published: Option<&JournalEntry>) -> Markup {
    let rules = &registry.jurisdiction().rules;
    let units = registry.units();
    html! {
        dl.facts {
            dt { (v.t("ui.publication.scope")) } dd { (format::unit_name(v, &units, p.scope.as_str())) }
            dt { (v.t("ui.publication.period")) } dd { (format::date(v, p.period_from)) " – " (format::date(v, p.period_to)) }
            dt { (v.t("ui.publication.kind")) } dd { (format::label(v, "publication.kind", p.kind.as_str())) }
            dt { (v.t("ui.publication.revision")) } dd { (p.revision) }
            dt { (v.t("ui.release.position")) } dd { (p.position) }
            @if let Some(e) = published {
                dt { (v.t("ui.publication.published_by")) } dd { (e.actor) ", " (format::instant(v, rules, e.recorded_at)) }
            }
            @if !p.note.is_empty() {
                dt { (v.t("ui.publication.note")) } dd { (p.note) }
            }
        }
    }
}

/// Each figure that changed since the publication, and under them the acts
/// that changed them with their reasons.
fn revised(v: &Viewer, registry: &Registry, r: &Revisions) -> Markup {
    let rules = &registry.jurisdiction().rules;
    let units = registry.units();
    let act_anchor = |position: i64| format!("act-{position}");
    html! {
        section aria-labelledby="revisions-title" {
            h2 #revisions-title { (v.t("ui.publication.revisions")) }
            @if r.is_empty() {
                p #no-revisions { (v.t("ui.publication.unchanged")) }
            } @else {
                div.table-wrap role="region" tabindex="0" aria-labelledby="revised-figures" {
                    table #revised-table {
                        caption #revised-figures { (v.t("ui.publication.revised_figures")) }
                        thead { tr {
                            th scope="col" { (v.t("ui.release.indicator")) }
                            th scope="col" { (v.t("ui.col.unit")) }
                            th scope="col" class="num" { (v.t("ui.publication.published_value")) }
                            th scope="col" class="num" { (v.t("ui.publication.current_value")) }
                            th scope="col" class="num" { (v.t("ui.publication.difference")) }
                            th scope="col" { (v.t("ui.publication.acts")) }
                        } }
                        tbody {
                            @for f in &r.figures {
                                tr {
                                    td { code { (f.indicator) } }
                                    td { (format::unit_name(v, &units, f.unit.as_str())) }
                                    td.num { (format::integer(v, f.published)) }
                                    td.num { (format::integer(v, f.current)) }
                                    td.num { @if f.difference > 0 { "+" } (format::integer(v, f.difference)) }
                                    td { @for (i, position) in f.acts.iter().enumerate() {
                                        @if i > 0 { ", " }
                                        a href={ "#" (act_anchor(*position)) } { "#" (position) }
                                    } }
                                }
                            }
                        }
                    }
                }
                div.table-wrap role="region" tabindex="0" aria-labelledby="revising-acts" {
                    table #revising-table {
                        caption #revising-acts { (v.t("ui.publication.revising_acts")) }
                        thead { tr {
                            th scope="col" { (v.t("ui.release.position")) }
                            th scope="col" { (v.t("ui.publication.act")) }
                            th scope="col" { (v.t("ui.col.number")) }
                            th scope="col" { (v.t("ui.field.actor")) }
                            th scope="col" { (v.t("ui.publication.recorded_at")) }
                            th scope="col" { (v.t("ui.field.late_code")) }
                            th scope="col" { (v.t("ui.field.late_text")) }
                        } }
                        tbody {
                            @for a in &r.acts {
                                tr id=(act_anchor(a.position)) {
                                    td.num { "#" (a.position) }
                                    td { (format::label(v, "act", &a.act)) }
                                    td { @match (&a.number, a.entry) {
                                        (Some(n), Some(e)) => a href=(record_path(e.kind, e.id)) { (n) },
                                        (Some(n), None) => (n),
                                        (None, _) => "—",
                                    } }
                                    td { (a.actor) }
                                    td { (format::instant(v, rules, a.recorded_at)) }
                                    @match &a.late {
                                        Some(late) => {
                                            td { (format::late_reason_name(v, rules, &late.reason)) }
                                            td { (late.text) }
                                        }
                                        None => { td { "—" } td { "—" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The form alone, opened with the scope and period of a report
/// (`?scope=&period_from=&period_to=`), and shown again when refused.
fn new_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let title = v.t("ui.publication.publish");
    let body = html! {
        h1 { (title) }
        p.help { (v.t("ui.publication.publish_help")) }
        (super::form::summary(v, form))
        (publish_fields(v, registry, form))
    };
    page_with_status(v, status, title, body)
}

pub async fn new_form(v: Viewer, State(registry): Shared, RawQuery(q): RawQuery) -> Response {
    let typed = Form::parse(q.as_deref().unwrap_or("").as_bytes());
    let mut form = Form::default().with("kind", "board_report");
    for name in ["scope", "period_from", "period_to", "kind"] {
        if !typed.get(name).is_empty() {
            form = form.with(name, typed.get(name));
        }
    }
    new_page(&v, &registry, &form, StatusCode::OK)
}

pub async fn publish(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let scope = form.unit("scope");
    let period_from = required_date(&mut form, "period_from");
    let period_to = required_date(&mut form, "period_to");
    let kind = form.choice("kind");
    let (Some(scope), Some(period_from), Some(period_to), Some(kind), false) =
        (scope, period_from, period_to, kind, form.has_errors())
    else {
        form.require_texts(&["legal_ground"]);
        return new_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let note = form.text("note");
    let command = Command::PublishReport(NewPublication { scope, period_from, period_to, kind, note });
    record(&v, &registry, form, command, |f, s| new_page(&v, &registry, f, s)).await
}

/// A date that must be given.
fn required_date(form: &mut Form, name: &str) -> Option<chrono::NaiveDate> {
    if form.text(name).is_empty() {
        form.reject(Violation::new(name, "text.required"));
        return None;
    }
    form.optional_date(name)
}
