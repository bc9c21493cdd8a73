//! Digital identifiers on the pages (docs/identifiers.md, "On the pages"):
//! the forms that attach one to a report, case or person and remove one,
//! the lookup (a POST, so a card's number stays out of addresses, logs and
//! histories) with its matches grouped by unit, the request for access to
//! a unit outside one's scope, and an identifier's own page by its key,
//! with how it links and the analyst's form deciding it.
//! A card's typed number is never written back into a page.

use super::form::{self, Form, field};
use super::format;
use super::held::{attach_form, identifier_path, kind_name, kind_options, subject_path};
use super::layout::{page, page_with_status};
use super::respond::{PageId, error_page, see_other};
use super::viewer::Viewer;
use super::write::{self, Removal, Submitted};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use crimeboard_domain::access::Action;
use crimeboard_domain::act::Entity;
use crimeboard_domain::identifier::{Held, IdentifierKey, IdentifierKind, Subject, SubjectKind};
use crimeboard_domain::person::Person;
use crimeboard_domain::rules::Rules;
use crimeboard_domain::series::{DecideLinking, Linking};
use crimeboard_domain::{Command, Violation};
use crimeboard_service::series::LinkingDecision;
use crimeboard_service::{Attachment, Lookup, Registry, Submission, TypedIdentifier};
use maud::{Markup, html};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The lookup's form and its answers.
pub const LOOKUP_PATH: &str = "/identifiers";
/// Where a request for access to another unit's records is posted.
pub const ACCESS_PATH: &str = "/identifiers/access";

/// The subject an address names: its register (`/reports/…`, `/cases/…`,
/// `/persons/…`) and id.
fn subject_of(uri: &Uri, id: uuid::Uuid) -> Option<Subject> {
    let kind = match uri.path().split('/').nth(1)? {
        "reports" => SubjectKind::Report,
        "cases" => SubjectKind::Case,
        "persons" => SubjectKind::Person,
        _ => return None,
    };
    Some(Subject { kind, id })
}

/// The subject's register number (a person's, its record's) and the identifiers it holds.
async fn held_by(registry: &Arc<Registry>, subject: Subject) -> Result<(String, Vec<Held>), Problem> {
    blocking(registry, move |r| {
        let record = r.get(subject.id).map_err(Problem::from_service)?;
        if record.kind != subject.kind.entity_kind() {
            return Err(Problem::not_found());
        }
        let held = match crimeboard_service::entity_of(&record) {
            Ok(Entity::Report(rep)) => rep.identifiers,
            Ok(Entity::Case(c)) => c.identifiers,
            _ => serde_json::from_str::<Person>(&record.state).map(|p| p.identifiers).unwrap_or_default(),
        };
        Ok((record.number, held))
    })
    .await
}

/// What a form may show again of what was typed: a card's number never.
fn shown_again(form: Form) -> Form {
    let typed_kind = serde_json::from_value::<IdentifierKind>(serde_json::Value::String(form.text("identifier.kind")));
    let kind = serde_json::from_value::<IdentifierKind>(serde_json::Value::String(form.text("kind")));
    let card = |k: Result<IdentifierKind, _>| !matches!(k, Ok(k) if k != IdentifierKind::Card);
    let form = if card(typed_kind) { form.without("identifier.input") } else { form };
    if card(kind) { form.without("value") } else { form }
}

fn attach_page(v: &Viewer, subject: Subject, number: &str, form: &Form, status: StatusCode) -> Response {
    let title = v.fill("ui.identifier.attach_to", &[("number", number)]);
    let drawn = attach_form(v, subject, form);
    let body = html! {
        h1 { (title) }
        p { a href=(subject_path(subject)) { (v.t("ui.identifier.back")) } }
        (form::summary(v, form))
        (drawn)
    };
    page_with_status(v, status, &title, body)
}

pub async fn attach_form_page(v: Viewer, State(registry): Shared, uri: Uri, PageId(id): PageId) -> Response {
    let Some(subject) = subject_of(&uri, id) else { return error_page(&v, &Problem::not_found()) };
    match held_by(&registry, subject).await {
        Ok((number, _)) => attach_page(&v, subject, &number, &Form::default(), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

/// What was typed for an IP address's port and time seen, written after
/// the address as the parser reads them (`203.0.113.5:443 2024-03-01T06:00:00Z`).
fn typed_input(form: &mut Form, kind: Option<IdentifierKind>, rules: &Rules) -> String {
    let mut input = form.text("identifier.input");
    if kind != Some(IdentifierKind::Ip) {
        return input;
    }
    let port = form.text("port");
    if !port.is_empty() {
        match port.parse::<u16>() {
            Ok(p) if p > 0 && input.contains(':') => input = format!("[{input}]:{p}"),
            Ok(p) if p > 0 => input = format!("{input}:{p}"),
            _ => form.reject(Violation::new("port", "identifier.ip.port")),
        }
    }
    if !form.text("seen_at").is_empty()
        && let Some(at) = form.instant("seen_at", rules)
    {
        input = format!("{input} {}", at.to_rfc3339());
    }
    input
}

pub async fn attach(v: Viewer, State(registry): Shared, uri: Uri, PageId(id): PageId, body: Bytes) -> Response {
    let Some(subject) = subject_of(&uri, id) else { return error_page(&v, &Problem::not_found()) };
    let number = match held_by(&registry, subject).await {
        Ok((number, _)) => number,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    form.reject_control_characters();
    let kind: Option<IdentifierKind> = form.choice("identifier.kind");
    let input = typed_input(&mut form, kind, &registry.jurisdiction().rules);
    let (Some(kind), false) = (kind, form.has_errors()) else {
        form.require_texts(&["identifier.input", "legal_ground"]);
        return attach_page(&v, subject, &number, &shown_again(form), StatusCode::UNPROCESSABLE_ENTITY);
    };
    let Some(caller) = v.caller.clone() else { return error_page(&v, &crate::problem::unauthenticated()) };
    let attachment = Attachment {
        subject,
        identifier: TypedIdentifier { kind, input },
        note: form.optional_text("note"),
        legal_ground: form.legal_ground(),
    };
    match write::attach(&registry, &caller, attachment).await {
        Ok(Submitted::Recorded(_)) => see_other(&subject_path(subject)),
        Ok(Submitted::Refused(violations)) => {
            form.reject_all(violations);
            attach_page(&v, subject, &number, &shown_again(form), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(p) => error_page(&v, &p),
    }
}

/// The identifier a removal names: the kind and key of the address's query or the form.
fn named_key(form: &Form) -> Option<IdentifierKey> {
    let kind = serde_json::from_value(serde_json::Value::String(form.text("kind"))).ok()?;
    let value = form.text("key");
    (!value.is_empty()).then_some(IdentifierKey { kind, value })
}

fn remove_page(
    v: &Viewer,
    subject: Subject,
    number: &str,
    held: Option<&Held>,
    form: &Form,
    status: StatusCode,
) -> Response {
    let title = v.fill("ui.identifier.remove_from", &[("number", number)]);
    let action = format!("{}/identifiers/remove", subject_path(subject));
    let fields = html! {
        input type="hidden" name="kind" value=(form.get("kind"));
        input type="hidden" name="key" value=(form.get("key"));
        (field("reason", "ui.identifier.reason").required().textarea(v, form))
        (form::envelope(v, form))
    };
    let body = html! {
        h1 { (title) }
        p { a href=(subject_path(subject)) { (v.t("ui.identifier.back")) } }
        @if let Some(h) = held {
            p { (kind_name(v, h.identifier.kind())) ": " strong { (h.identifier.display()) } }
        }
        (form::summary(v, form))
        (form::post(v, &action, "ui.identifier.remove", fields))
    };
    page_with_status(v, status, &title, body)
}

pub async fn remove_form(
    v: Viewer,
    State(registry): Shared,
    uri: Uri,
    PageId(id): PageId,
    RawQuery(q): RawQuery,
) -> Response {
    let Some(subject) = subject_of(&uri, id) else { return error_page(&v, &Problem::not_found()) };
    let asked = Form::parse(q.as_deref().unwrap_or("").as_bytes());
    let (number, held) = match held_by(&registry, subject).await {
        Ok(found) => found,
        Err(p) => return error_page(&v, &p),
    };
    let Some(key) = named_key(&asked) else { return error_page(&v, &Problem::not_found()) };
    let Some(one) = held.iter().find(|h| IdentifierKey::of(&h.identifier) == key) else {
        return error_page(&v, &Problem::not_found());
    };
    let form = Form::default().with("kind", key.kind.code()).with("key", key.value.clone());
    remove_page(&v, subject, &number, Some(one), &form, StatusCode::OK)
}

pub async fn remove(v: Viewer, State(registry): Shared, uri: Uri, PageId(id): PageId, body: Bytes) -> Response {
    let Some(subject) = subject_of(&uri, id) else { return error_page(&v, &Problem::not_found()) };
    let (number, held) = match held_by(&registry, subject).await {
        Ok(found) => found,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    form.reject_control_characters();
    let key = named_key(&form);
    let one = key.as_ref().and_then(|k| held.iter().find(|h| IdentifierKey::of(&h.identifier) == *k));
    let (Some(key), false) = (key.clone(), form.has_errors()) else {
        form.require_texts(&["reason", "legal_ground"]);
        return remove_page(&v, subject, &number, one, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let Some(caller) = v.caller.clone() else { return error_page(&v, &crate::problem::unauthenticated()) };
    let removal = Removal { subject, key, reason: form.text("reason"), legal_ground: form.legal_ground() };
    match write::remove(&registry, &caller, removal).await {
        Ok(Submitted::Recorded(_)) => see_other(&subject_path(subject)),
        Ok(Submitted::Refused(violations)) => {
            form.reject_all(violations);
            remove_page(&v, subject, &number, one, &form, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(p) => error_page(&v, &p),
    }
}

/// The lookup's form: a kind and the value in any common form, posted.
fn lookup_fields(v: &Viewer, form: &Form) -> Markup {
    let fields = html! {
        (field("kind", "ui.identifier.kind").required().select(v, form, &kind_options(v)))
        (field("value", "ui.identifier.value").required().help(v.t("ui.help.identifier_value")).input(v, form, "search"))
    };
    html! {
        form method="post" action=(LOOKUP_PATH) role="search" aria-label=(v.t("ui.identifier.lookup")) novalidate {
            (form::csrf(v))
            (fields)
            button type="submit" { (v.t("ui.action.search")) }
        }
    }
}

fn lookup_page(v: &Viewer, registry: &Registry, form: &Form, found: Option<&Lookup>, status: StatusCode) -> Response {
    let title = v.t("ui.identifier.lookup");
    let drawn = lookup_fields(v, form);
    let body = html! {
        h1 { (title) }
        p.help { (v.t("ui.identifier.lookup_help")) }
        (form::summary(v, form))
        (drawn)
        @if let Some(found) = found { (matches(v, registry, found)) }
    };
    page_with_status(v, status, title, body)
}

pub async fn lookup_form(v: Viewer, State(registry): Shared) -> Response {
    lookup_page(&v, &registry, &Form::default(), None, StatusCode::OK)
}

pub async fn lookup(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    form.reject_control_characters();
    let kind: Option<IdentifierKind> = form.choice("kind");
    form.require_texts(&["value"]);
    let (Some(kind), false) = (kind, form.has_errors()) else {
        return lookup_page(&v, &registry, &shown_again(form), None, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let Some(caller) = v.caller.clone() else { return error_page(&v, &crate::problem::unauthenticated()) };
    let value = form.text("value");
    let found = blocking(&registry, move |r| {
        r.lookup_identifier(&caller.principal, &caller.actor(), kind, &value).map_err(Problem::from_service)
    })
    .await;
    match found {
        Ok(found) => lookup_page(&v, &registry, &shown_again(form), Some(&found), StatusCode::OK),
        Err(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => {
            form.reject_all(p.errors);
            lookup_page(&v, &registry, &shown_again(form), None, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(p) => error_page(&v, &p),
    }
}

/// An identifier's own page: its holders by its kind and key.
pub async fn show(v: Viewer, State(registry): Shared, Path((kind, key)): Path<(String, String)>) -> Response {
    let Some(key) = key_of(kind, key) else { return error_page(&v, &Problem::not_found()) };
    identifier_page(v, &registry, key, Form::default(), StatusCode::OK).await
}

/// An identifier's key from its address: the kind's code and the key.
fn key_of(kind: String, value: String) -> Option<IdentifierKey> {
    let kind = serde_json::from_value::<IdentifierKind>(serde_json::Value::String(kind)).ok()?;
    Some(IdentifierKey { kind, value })
}

/// An identifier's page: who holds it, and how it links with the analysts'
/// form to decide it; `form` the decision as typed, with its errors.
async fn identifier_page(
    v: Viewer,
    registry: &Arc<Registry>,
    key: IdentifierKey,
    form: Form,
    status: StatusCode,
) -> Response {
    let Some(caller) = v.caller.clone() else { return error_page(&v, &crate::problem::unauthenticated()) };
    let kind = key.kind;
    let found = blocking(registry, move |r| {
        let found = r.lookup_identifier_key(&caller.principal, &caller.actor(), &key).map_err(Problem::from_service)?;
        let decision = r.linking_decision(&caller.principal, &key).map_err(Problem::from_service)?;
        Ok((found, decision, key))
    })
    .await;
    let (found, decision, key) = match found {
        Ok(found) => found,
        Err(p) => return error_page(&v, &p),
    };
    let title = v.fill("ui.identifier.page", &[("kind", &kind_name(&v, kind)), ("identifier", &found.display)]);
    let body = html! {
        h1 { (title) }
        p { a href=(LOOKUP_PATH) { (v.t("ui.identifier.lookup")) } }
        (form::summary(&v, &form))
        (matches(&v, registry, &found))
        (linking_section(&v, &registry.jurisdiction().rules, &key, decision.as_ref(), &form))
    };
    page_with_status(&v, status, &title, body)
}

/// The choices of a linking decision, as the act names them.
const LINKINGS: [(&str, &str); 3] =
    [("excluded", "ui.linking.excluded"), ("by_rules", "ui.linking.by_rules"), ("always", "ui.linking.always")];

fn linking_label(linking: Linking) -> &'static str {
    match linking {
        Linking::Excluded => "ui.linking.excluded",
        Linking::ByRules => "ui.linking.by_rules",
        Linking::Always => "ui.linking.always",
    }
}

/// How the identifier links now (the decision in force with who, when and
/// why, or the rules), and for an analyst the form that decides it.
fn linking_section(
    v: &Viewer,
    rules: &Rules,
    key: &IdentifierKey,
    decision: Option<&LinkingDecision>,
    form: &Form,
) -> Markup {
    let fields = html! {
        (form::radios(v, form, "linking", "ui.linking.choice", &LINKINGS))
        (field("reason", "ui.linking.reason").required().textarea(v, form))
        (form::envelope(v, form))
    };
    html! {
        section #linking aria-labelledby="linking-title" {
            h2 #linking-title { (v.t("ui.linking.title")) }
            @match decision {
                Some(d) => p #linking-decision {
                    (v.t(linking_label(d.linking))) ". "
                    (v.fill("ui.linking.decided_by", &[("by", &d.by)])) " " (format::instant(v, rules, d.at)) ": " (d.reason)
                },
                None => p #linking-decision { (v.t("ui.linking.by_rules")) ". " (v.t("ui.linking.never_decided")) },
            }
            @if v.may(Action::AnalyseSeries) {
                (form::post(v, &format!("{}/linking", identifier_path(key)), "ui.linking.decide", fields))
            }
        }
    }
}

/// An analyst's decision on how the identifier links, recorded in the
/// analyst's home unit; refused, the page again with the rules broken.
pub async fn decide_linking(
    v: Viewer,
    State(registry): Shared,
    Path((kind, key)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let Some(key) = key_of(kind, key) else { return error_page(&v, &Problem::not_found()) };
    let Some(caller) = v.caller.clone() else { return error_page(&v, &crate::problem::unauthenticated()) };
    let mut form = Form::parse(&body);
    form.reject_control_characters();
    let linking = form.choice::<Linking>("linking");
    if let Some(linking) = linking.filter(|_| !form.has_errors()) {
        let command = Command::DecideLinking(DecideLinking {
            unit: caller.principal.home.clone(),
            key: key.clone(),
            linking,
            reason: form.text("reason"),
        });
        let (actor, legal_ground, late) = (caller.principal.login.clone(), form.legal_ground(), form.late());
        match write::submit(&registry, &caller, Submission { actor, legal_ground, command, late }).await {
            Ok(Submitted::Recorded(_)) => return see_other(&format!("{}#linking", identifier_path(&key))),
            Ok(Submitted::Refused(violations)) => form.reject_all(violations),
            Err(p) => return error_page(&v, &p),
        }
    }
    identifier_page(v, &registry, key, form, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// A holder's page and what it is: a report or case by its number, a person in theirs.
fn holder(v: &Viewer, row: &crimeboard_domain::identifier::IdentifierRow) -> Markup {
    let subject = Subject { kind: row.subject_kind, id: row.subject_id };
    let what = format::label(v, "kind", row.subject_kind.as_str());
    html! {
        a href=(subject_path(subject)) { (what) " " (row.number) }
        " — " (row.display)
    }
}

/// The matches: within the viewer's scope by unit, with their records; of
/// the other units, which and how many, and the form that asks for access.
fn matches(v: &Viewer, registry: &Registry, found: &Lookup) -> Markup {
    let units = registry.units();
    let mut by_unit: BTreeMap<&str, Vec<&crimeboard_domain::identifier::IdentifierRow>> = BTreeMap::new();
    for row in &found.visible {
        by_unit.entry(row.unit.as_str()).or_default().push(row);
    }
    let key = IdentifierKey { kind: found.kind, value: found.key.clone() };
    html! {
        section #matches aria-labelledby="matches-title" {
            h2 #matches-title {
                (v.t("ui.identifier.matches")) ": " (kind_name(v, found.kind)) " "
                a href=(identifier_path(&key)) { (found.display) }
            }
            @if found.visible.is_empty() && found.elsewhere.is_empty() {
                p #no-match { (v.t("ui.identifier.no_match")) }
            }
            @for (unit, rows) in &by_unit {
                h3 { (format::unit_name(v, &units, unit)) }
                ul.holders { @for row in rows { li { (holder(v, row)) } } }
            }
            @if !found.elsewhere.is_empty() {
                h3 #elsewhere-title { (v.t("ui.identifier.elsewhere")) }
                ul #elsewhere {
                    @for e in &found.elsewhere {
                        li { (format::unit_name(v, &units, e.unit.as_str())) ": "
                            (v.fill("ui.identifier.records_n", &[("n", &format::integer(v, e.count as i64))])) }
                    }
                }
                (access_form(v, registry, &key, found.elsewhere.iter().map(|e| e.unit.to_string()).collect(), &Form::default()))
            }
        }
    }
}

/// The request for access to a unit's records holding the identifier.
fn access_form(v: &Viewer, registry: &Registry, key: &IdentifierKey, offered: Vec<String>, form: &Form) -> Markup {
    let units = registry.units();
    let choices: Vec<(String, String)> =
        offered.into_iter().map(|code| (code.clone(), format::unit_name(v, &units, &code))).collect();
    let fields = html! {
        input type="hidden" name="kind" value=(key.kind.code());
        input type="hidden" name="key" value=(key.value);
        (field("unit", "ui.field.unit").required().select(v, form, &choices))
        (field("reason", "ui.identifier.access_reason").required().help(v.t("ui.help.access_reason")).textarea(v, form))
    };
    html! {
        h3 #access-title { (v.t("ui.identifier.request_access")) }
        (form::post(v, ACCESS_PATH, "ui.identifier.request_access", fields))
    }
}

pub async fn request_access(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    form.reject_control_characters();
    // The kind and key come from the lookup's answer; a post without them asks for nothing.
    let Some(key) = named_key(&form) else {
        let missing = vec![Violation::new("key", "text.required")];
        return error_page(
            &v,
            &Problem::new(StatusCode::UNPROCESSABLE_ENTITY, crate::problem::kind::VALIDATION, missing),
        );
    };
    let Some(caller) = v.caller.clone() else { return error_page(&v, &crate::problem::unauthenticated()) };
    let (unit, reason, asked) = (form.text("unit"), form.text("reason"), key.clone());
    let done = if form.has_errors() {
        Ok(())
    } else {
        blocking(&registry, move |r| {
            r.request_identifier_access(&caller.principal, &caller.actor(), &asked, &unit, &reason)
                .map_err(Problem::from_service)
        })
        .await
    };
    let refused = match done {
        Ok(()) if !form.has_errors() => {
            let title = v.t("ui.identifier.access_requested");
            let unit = format::unit_name(&v, &registry.units(), &form.text("unit"));
            let body = html! {
                h1 { (title) }
                p #requested { (v.fill("ui.identifier.access_requested_text", &[("unit", &unit)])) }
                p { a href=(identifier_path(&key)) { (v.t("ui.identifier.back_to_identifier")) } }
            };
            return page(&v, title, body);
        }
        Ok(()) => StatusCode::UNPROCESSABLE_ENTITY,
        Err(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => {
            form.reject_all(p.errors);
            p.status
        }
        Err(p) => return error_page(&v, &p),
    };
    let title = v.t("ui.identifier.request_access");
    let drawn = access_form(&v, &registry, &key, vec![form.text("unit")], &form);
    let body = html! {
        h1 { (title) }
        p { a href=(identifier_path(&key)) { (v.t("ui.identifier.back_to_identifier")) } }
        (form::summary(&v, &form))
        (drawn)
    };
    page_with_status(&v, refused, title, body)
}
