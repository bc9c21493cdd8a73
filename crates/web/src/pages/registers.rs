//! The simple registers' forms: a narcotics seizure, a traffic accident, a
//! forensic examination requested for a case.

use super::form::{self, Form, field, local_value, options};
use super::format;
use super::layout::page_with_status;
use super::reports::{by_number, record};
use super::respond::{PageId, error_page};
use super::viewer::{Viewer, query_value};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::case::Place;
use crimeboard_domain::registers::{CompleteExamination, NewAccident, NewExamination, NewSeizure};
use crimeboard_domain::{Command, EntityKind, Violation};
use crimeboard_service::Registry;
use maud::{Markup, html};
use std::sync::Arc;

/// A new-entry form page.
fn entry_page(
    v: &Viewer,
    title: &'static str,
    action: &str,
    form: &Form,
    fields: Markup,
    status: StatusCode,
) -> Response {
    let title = v.t(title);
    let body = html! {
        h1 { (title) }
        (form::summary(v, form))
        (form::post(v, action, "ui.action.save", fields))
    };
    page_with_status(v, status, title, body)
}

/// A form opened from a case (`?case=<id>`) starts with its number and unit.
async fn start(v: &Viewer, registry: &Arc<Registry>, query: Option<&str>, at: &str) -> Result<Form, Problem> {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    let mut form = Form::default().with(at, now).with("unit", v.unit.clone().unwrap_or_default());
    if let Some(case) = query_value(query, "case").and_then(|c| uuid::Uuid::parse_str(&c).ok()) {
        let rec = blocking(registry, move |r| r.get(case).map_err(Problem::from_service)).await?;
        if rec.kind == EntityKind::Case {
            form = form.with("case_number", rec.number).with("unit", rec.unit);
        }
    }
    Ok(form)
}

/// The case named by its number in `case_number`; None if none was typed.
async fn case_of(registry: &Arc<Registry>, form: &mut Form) -> Result<Option<uuid::Uuid>, Problem> {
    let number = form.text("case_number").to_uppercase();
    if number.is_empty() {
        return Ok(None);
    }
    let found = by_number(registry, EntityKind::Case, number.clone()).await?;
    if found.is_none() {
        form.reject(Violation::new("case_number", "reference.not_found").with("id", number));
    }
    Ok(found)
}

fn units(v: &Viewer, registry: &Registry) -> Vec<(String, String)> {
    format::unit_options(v, &registry.units(), format::Blank::Choose)
}

// Seizures.

pub async fn seizure_form(v: Viewer, State(registry): Shared, RawQuery(q): RawQuery) -> Response {
    match start(&v, &registry, q.as_deref(), "seized_at").await {
        Ok(form) => seizure_page(&v, &registry, &form, StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn seizure_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let fields = html! {
        (field("unit", "ui.field.unit").required().select(v, form, &units(v, registry)))
        (field("case_number", "ui.field.case_number").help(v.t("ui.help.case_number_optional")).input(v, form, "text"))
        (field("substance", "ui.field.substance").required().input(v, form, "text"))
        (field("net_grams", "ui.field.net_grams").required().help(v.t("ui.help.net_grams")).input(v, form, "number"))
        (field("seized_at", "ui.field.seized_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (form::envelope(v, form))
    };
    entry_page(v, "ui.form.seizure", "/seizures/new", form, fields, status)
}

pub async fn seizure(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body).renamed(&[("case_id", "case_number")]);
    let rules = registry.jurisdiction().rules.clone();
    let case_id = match case_of(&registry, &mut form).await {
        Ok(c) => c,
        Err(p) => return error_page(&v, &p),
    };
    let unit = form.unit("unit");
    let net_grams = form.integer("net_grams");
    let seized_at = form.instant("seized_at", &rules);
    let (Some(unit), Some(net_grams), Some(seized_at), false) = (unit, net_grams, seized_at, form.has_errors()) else {
        form.require_texts(&["substance", "legal_ground"]);
        return seizure_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command =
        Command::RecordSeizure(NewSeizure { unit, case_id, substance: form.text("substance"), net_grams, seized_at });
    record(&v, &registry, form, command, |f, s| seizure_page(&v, &registry, f, s)).await
}

// Accidents.

pub async fn accident_form(v: Viewer, State(registry): Shared, RawQuery(q): RawQuery) -> Response {
    match start(&v, &registry, q.as_deref(), "occurred_at").await {
        Ok(form) => accident_page(&v, &registry, &form.with("killed", "0").with("injured", "0"), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn accident_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let fields = html! {
        (field("unit", "ui.field.unit").required().select(v, form, &units(v, registry)))
        (field("occurred_at", "ui.field.occurred_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (field("place.address", "ui.field.place.address").input(v, form, "text"))
        (field("killed", "ui.field.killed").required().input(v, form, "number"))
        (field("injured", "ui.field.injured").required().input(v, form, "number"))
        (field("cause", "ui.field.cause").required().textarea(v, form))
        (form::envelope(v, form))
    };
    entry_page(v, "ui.form.accident", "/accidents/new", form, fields, status)
}

pub async fn accident(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let rules = registry.jurisdiction().rules.clone();
    let unit = form.unit("unit");
    let occurred_at = form.instant("occurred_at", &rules);
    let killed = form.integer("killed");
    let injured = form.integer("injured");
    let (Some(unit), Some(occurred_at), Some(killed), Some(injured), false) =
        (unit, occurred_at, killed, injured, form.has_errors())
    else {
        form.require_texts(&["cause", "legal_ground"]);
        return accident_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let place = Place { address: form.text("place.address"), latitude: None, longitude: None };
    let command =
        Command::RecordAccident(NewAccident { unit, occurred_at, place, killed, injured, cause: form.text("cause") });
    record(&v, &registry, form, command, |f, s| accident_page(&v, &registry, f, s)).await
}

// Examinations.

const KINDS: [(&str, &str); 7] = [
    ("fingerprints", "ui.exam_kind.fingerprints"),
    ("dna", "ui.exam_kind.dna"),
    ("ballistics", "ui.exam_kind.ballistics"),
    ("digital", "ui.exam_kind.digital"),
    ("handwriting", "ui.exam_kind.handwriting"),
    ("narcotics_chemistry", "ui.exam_kind.narcotics_chemistry"),
    ("traces", "ui.exam_kind.traces"),
];

pub async fn examination_form(v: Viewer, State(registry): Shared, RawQuery(q): RawQuery) -> Response {
    match start(&v, &registry, q.as_deref(), "requested_at").await {
        Ok(form) => examination_page(&v, &registry, &form, StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn examination_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let fields = html! {
        (field("unit", "ui.field.unit").required().select(v, form, &units(v, registry)))
        (field("case_number", "ui.field.case_number").required().help(v.t("ui.help.case_number")).input(v, form, "text"))
        (field("kind", "ui.field.exam_kind").required().select(v, form, &options(v, Some("ui.choose"), &KINDS)))
        (field("requested_at", "ui.field.requested_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (field("question", "ui.field.question").textarea(v, form))
        (form::envelope(v, form))
    };
    entry_page(v, "ui.form.examination", "/examinations/new", form, fields, status)
}

pub async fn examination(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body).renamed(&[("case_id", "case_number")]);
    let rules = registry.jurisdiction().rules.clone();
    let case_id = match case_of(&registry, &mut form).await {
        Ok(c) => c,
        Err(p) => return error_page(&v, &p),
    };
    if case_id.is_none() && form.text("case_number").is_empty() {
        form.reject(Violation::new("case_number", "text.required"));
    }
    let unit = form.unit("unit");
    let kind = form.choice("kind");
    let requested_at = form.instant("requested_at", &rules);
    let (Some(unit), Some(case_id), Some(kind), Some(requested_at), false) =
        (unit, case_id, kind, requested_at, form.has_errors())
    else {
        form.require_texts(&["legal_ground"]);
        return examination_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::RequestExamination(NewExamination {
        unit,
        case_id,
        kind,
        requested_at,
        question: form.text("question"),
    });
    record(&v, &registry, form, command, |f, s| examination_page(&v, &registry, f, s)).await
}

// An examination's result.

pub async fn complete_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    complete_page(&v, id, &Form::default().with("done_at", now), StatusCode::OK)
}

fn complete_page(v: &Viewer, id: uuid::Uuid, form: &Form, status: StatusCode) -> Response {
    let title = v.t("ui.form.complete_examination");
    // The controls first: the summary links to the ones drawn.
    let fields = html! {
        (field("done_at", "ui.field.done_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (field("result", "ui.field.result").required().textarea(v, form))
        (field("identified_person", "ui.field.identified_person").checkbox(v, form, "true"))
        (form::envelope(v, form))
    };
    let body = html! {
        h1 { (title) }
        p { a href={ "/examinations/" (id) } { (v.t("ui.form.back_to_examination")) } }
        (form::summary(v, form))
        (form::post(v, &format!("/examinations/{id}/complete"), "ui.action.save", fields))
    };
    page_with_status(v, status, title, body)
}

pub async fn complete(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let rules = registry.jurisdiction().rules.clone();
    let done_at = form.instant("done_at", &rules);
    let (Some(done_at), false) = (done_at, form.has_errors()) else {
        form.require_texts(&["result", "legal_ground"]);
        return complete_page(&v, id, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::CompleteExamination(CompleteExamination {
        examination_id: id,
        done_at,
        result: form.text("result"),
        identified_person: form.is_checked("identified_person", "true"),
    });
    record(&v, &registry, form, command, |f, s| complete_page(&v, id, f, s)).await
}
