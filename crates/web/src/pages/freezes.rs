//! The forms of freeze requests (docs/identifiers.md, "Freeze requests"):
//! a request made from a case, naming one of its account identifiers as the
//! case shows it (a card masked, never clear), its deadline the rules';
//! the institution's answer on the request's page; the money returned to a
//! victim. Each posts through the one write path: a refused form comes back
//! with each field's rule.

use super::form::{self, Form, field, local_value};
use super::format;
use super::held::kind_name;
use super::layout::page_with_status;
use super::reports::record;
use super::respond::{PageId, error_page};
use super::viewer::Viewer;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::act::Entity;
use crimeboard_domain::case::CriminalCase;
use crimeboard_domain::freeze::{self, AnswerFreeze, FreezeOutcome, FreezeRequest, NewFreeze, ReturnFrozen};
use crimeboard_domain::identifier::IdentifierKey;
use crimeboard_domain::person::PersonRole;
use crimeboard_domain::{Command, Violation};
use crimeboard_service::Registry;
use maud::{Markup, html};
use std::sync::Arc;

async fn load_case(registry: &Arc<Registry>, id: uuid::Uuid) -> Result<CriminalCase, Problem> {
    blocking(registry, move |r| match r.entity(id).map_err(Problem::from_service)? {
        Entity::Case(c) => Ok(c),
        _ => Err(Problem::not_found()),
    })
    .await
}

/// A request and the case it was made from.
async fn load_request(registry: &Arc<Registry>, id: uuid::Uuid) -> Result<(FreezeRequest, CriminalCase), Problem> {
    blocking(registry, move |r| {
        let Entity::Freeze(f) = r.entity(id).map_err(Problem::from_service)? else { return Err(Problem::not_found()) };
        match r.entity(f.request.case_id).map_err(Problem::from_service)? {
            Entity::Case(c) => Ok((f, c)),
            _ => Err(Problem::not_found()),
        }
    })
    .await
}

/// A form's page: heading, the way back, the errors, the form.
fn form_page(
    v: &Viewer,
    title: String,
    back: (String, &'static str),
    action: &str,
    form: &Form,
    fields: Markup,
    status: StatusCode,
) -> Response {
    let body = html! {
        h1 { (title) }
        p { a href=(back.0) { (v.t(back.1)) } }
        (form::summary(v, form))
        (form::post(v, action, "ui.action.save", fields))
    };
    page_with_status(v, status, &title, body)
}

/// What the amount is typed in: the pack's currency and its decimal places.
fn amount_help(v: &Viewer) -> String {
    let currency = &v.pack.currency;
    let decimals = currency.minor_units.to_string();
    v.fill(
        "ui.help.amount",
        &[("currency", format::names(v, &currency.unit)), ("symbol", &currency.symbol), ("decimals", &decimals)],
    )
}

/// An account identifier as a choice: its kind's code and key; shown as the case shows it.
fn key_choice(key: &IdentifierKey) -> String {
    format!("{}:{}", key.kind.code(), key.value)
}

pub async fn request_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    match load_case(&registry, id).await {
        Ok(c) => request_page(&v, &registry, &c, &Form::default().with("sent_at", now), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn request_page(v: &Viewer, registry: &Registry, c: &CriminalCase, form: &Form, status: StatusCode) -> Response {
    let accounts: Vec<(String, String)> = std::iter::once((String::new(), v.t("ui.choose").to_string()))
        .chain(freeze::accounts_of(c).into_iter().map(|h| {
            let key = IdentifierKey::of(&h.identifier);
            (key_choice(&key), format!("{} {}", kind_name(v, key.kind), h.identifier.display()))
        }))
        .collect();
    let deadline = match registry.jurisdiction().rules.freeze {
        Some(rule) => {
            v.fill("ui.freeze.deadline_help", &[("hours", &format::integer(v, i64::from(rule.answer_within_hours)))])
        }
        None => v.t("ui.freeze.no_rule").to_string(),
    };
    let fields = html! {
        (field("institution", "ui.col.institution").required().input(v, form, "text"))
        (field("identifier", "ui.freeze.account").required().help(v.t("ui.freeze.account_help")).select(v, form, &accounts))
        (field("amount", "ui.freeze.amount_asked").required().help(amount_help(v)).input(v, form, "text"))
        (field("sent_at", "ui.freeze.sent_at").required().help(deadline).input(v, form, "datetime-local"))
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.freeze.request"), c.number);
    let back = (format!("/cases/{}", c.id), "ui.form.back_to_case");
    form_page(v, title, back, &format!("/cases/{}/freeze", c.id), form, fields, status)
}

pub async fn request(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let c = match load_case(&registry, id).await {
        Ok(c) => c,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    let rules = registry.jurisdiction().rules.clone();
    let institution = form.text("institution");
    let typed = form.text("identifier");
    let identifier =
        freeze::accounts_of(&c).into_iter().map(|h| IdentifierKey::of(&h.identifier)).find(|k| key_choice(k) == typed);
    if identifier.is_none() {
        form.reject(Violation::new("identifier", if typed.is_empty() { "text.required" } else { "form.choice" }));
    }
    let amount = form.amount("amount", v.pack.currency.minor_units);
    let sent_at = form.instant("sent_at", &rules);
    let (Some(identifier), Some(amount_qepik), Some(sent_at), false) = (identifier, amount, sent_at, form.has_errors())
    else {
        form.require_texts(&["institution", "legal_ground"]);
        return request_page(&v, &registry, &c, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::RequestFreeze(NewFreeze {
        unit: c.unit.clone(),
        case_id: c.id,
        institution,
        identifier,
        amount_qepik,
        sent_at,
    });
    let form = form.renamed(&[("amount_qepik", "amount")]);
    record(&v, &registry, form, command, |f, s| request_page(&v, &registry, &c, f, s)).await
}

const OUTCOMES: [(&str, &str); 4] = [
    ("frozen", "ui.status.frozen"),
    ("partly_frozen", "ui.status.partly_frozen"),
    ("refused", "ui.status.refused"),
    ("no_funds", "ui.status.no_funds"),
];

/// A request's summary above its forms: what was asked of whom, and by when.
fn asked(v: &Viewer, registry: &Registry, f: &FreezeRequest) -> Markup {
    let rules = &registry.jurisdiction().rules;
    html! {
        dl.facts {
            dt { (v.t("ui.col.institution")) } dd { (f.request.institution) }
            dt { (v.t("ui.col.account")) } dd { (f.display) }
            dt { (v.t("ui.col.asked")) } dd { (format::money(v, f.request.amount_qepik)) }
            dt { (v.t("ui.col.deadline")) } dd { (format::deadline(v, rules, f.deadline)) }
        }
    }
}

pub async fn answer_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    match load_request(&registry, id).await {
        Ok((f, _)) => answer_page(&v, &registry, &f, &Form::default().with("answered_at", now), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn answer_page(v: &Viewer, registry: &Registry, f: &FreezeRequest, form: &Form, status: StatusCode) -> Response {
    let fields = html! {
        (asked(v, registry, f))
        (form::radios(v, form, "outcome", "ui.freeze.outcome", &OUTCOMES))
        (field("amount_frozen", "ui.freeze.amount_frozen").help(v.t("ui.freeze.amount_frozen_help")).input(v, form, "text"))
        (field("answered_at", "ui.freeze.answered_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (field("note", "ui.freeze.note").textarea(v, form))
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.freeze.record_answer"), f.number);
    form_page(
        v,
        title,
        (format!("/freezes/{}", f.id), "ui.freeze.back"),
        &format!("/freezes/{}/answer", f.id),
        form,
        fields,
        status,
    )
}

pub async fn answer(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let (f, _) = match load_request(&registry, id).await {
        Ok(found) => found,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    let rules = registry.jurisdiction().rules.clone();
    let outcome = form.choice::<FreezeOutcome>("outcome");
    let amount = if form.text("amount_frozen").trim().is_empty() {
        Some(0)
    } else {
        form.amount("amount_frozen", v.pack.currency.minor_units)
    };
    let answered_at = form.instant("answered_at", &rules);
    let (Some(outcome), Some(amount_frozen_qepik), Some(answered_at), false) =
        (outcome, amount, answered_at, form.has_errors())
    else {
        form.require_texts(&["legal_ground"]);
        return answer_page(&v, &registry, &f, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::AnswerFreeze(AnswerFreeze {
        request_id: f.id,
        answered_at,
        outcome,
        amount_frozen_qepik,
        note: form.optional_text("note"),
    });
    let form = form.renamed(&[("amount_frozen_qepik", "amount_frozen")]);
    record(&v, &registry, form, command, |form, s| answer_page(&v, &registry, &f, form, s)).await
}

pub async fn return_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    match load_request(&registry, id).await {
        Ok((f, c)) => return_page(&v, &registry, &f, &c, &Form::default().with("returned_at", now), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn return_page(
    v: &Viewer,
    registry: &Registry,
    f: &FreezeRequest,
    c: &CriminalCase,
    form: &Form,
    status: StatusCode,
) -> Response {
    let victims: Vec<(String, String)> = std::iter::once((String::new(), v.t("ui.choose").to_string()))
        .chain(
            c.persons
                .iter()
                .filter(|p| p.input.role == PersonRole::Victim)
                .map(|p| (p.id.to_string(), p.input.full_name.clone())),
        )
        .collect();
    let left = format::money(v, f.frozen_qepik() - f.returned_qepik());
    let fields = html! {
        (asked(v, registry, f))
        (field("victim_id", "ui.field.victim").required().select(v, form, &victims))
        (field("amount", "ui.freeze.amount_returned").required().help(v.fill("ui.freeze.amount_returned_help", &[("left", &left)])).input(v, form, "text"))
        (field("returned_at", "ui.freeze.returned_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.freeze.record_return"), f.number);
    form_page(
        v,
        title,
        (format!("/freezes/{}", f.id), "ui.freeze.back"),
        &format!("/freezes/{}/return", f.id),
        form,
        fields,
        status,
    )
}

pub async fn give_back(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let (f, c) = match load_request(&registry, id).await {
        Ok(found) => found,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    let rules = registry.jurisdiction().rules.clone();
    let typed = form.text("victim_id");
    let victim_id = c
        .persons
        .iter()
        .filter(|p| p.input.role == PersonRole::Victim)
        .map(|p| p.id)
        .find(|id| id.to_string() == typed);
    if victim_id.is_none() {
        form.reject(Violation::new("victim_id", if typed.is_empty() { "text.required" } else { "form.choice" }));
    }
    let amount = form.amount("amount", v.pack.currency.minor_units);
    let returned_at = form.instant("returned_at", &rules);
    let (Some(victim_id), Some(amount_qepik), Some(returned_at), false) =
        (victim_id, amount, returned_at, form.has_errors())
    else {
        form.require_texts(&["legal_ground"]);
        return return_page(&v, &registry, &f, &c, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command =
        Command::ReturnFrozen(ReturnFrozen { case_id: c.id, request_id: f.id, victim_id, amount_qepik, returned_at });
    let form = form.renamed(&[("amount_qepik", "amount")]);
    record(&v, &registry, form, command, |form, s| return_page(&v, &registry, &f, &c, form, s)).await
}

/// The ways to a request's forms on its page, for whoever works the case:
/// the answer until there is one, a return while frozen money is left.
pub fn actions(v: &Viewer, f: &FreezeRequest) -> Markup {
    html! {
        ul.actions {
            @if f.answer.is_none() {
                li { a.button href={ "/freezes/" (f.id) "/answer" } { (v.t("ui.freeze.record_answer")) } }
            }
            @if f.frozen_qepik() > f.returned_qepik() {
                li { a.button.secondary href={ "/freezes/" (f.id) "/return" } { (v.t("ui.freeze.record_return")) } }
            }
        }
    }
}
