//! The public site's online services (docs/public-site.md): a crime report
//! and an appeal sent online, each answered at once with a receipt (the
//! register number, a secret shown once, what happens next and the legal
//! deadline), and the status page that reads the registry by reference and
//! secret and offers the satisfaction survey once the matter is closed.
//!
//! Every post is counted against its client address first
//! (`load::Load::online`, 429 beyond it), a filled honeypot is refused, and
//! the registry records the rest through the one write path
//! (`Registry::submit_online`), so nothing is written for a refused request.
//! None of these pages is kept by the public page cache: they are served on
//! the public listener outside it, `no-store`.

use super::form::{self, Form, field};
use super::format;
use super::layout::{exit_page, page_with_status};
use super::paths::{APPEAL_PATH, RATE_PATH, REPORT_PATH, STATUS_PATH};
use super::respond::error_page;
use super::viewer::{Viewer, query_value};
use crate::load::Load;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use crimeboard_domain::appeal::{AppealChannel, AppealKind, Applicant, Applicants, NewAppeal};
use crimeboard_domain::person::{PersonInput, PersonRole};
use crimeboard_domain::report::{Channel, NewReport, ReportOutcome};
use crimeboard_domain::rules::Procedure;
use crimeboard_domain::units::{UnitCode, UnitTree};
use crimeboard_domain::{Command, Violation};
use crimeboard_service::{Followed, OnlineReceipt, Registry, ServiceError};
use maud::{Markup, html};
use std::sync::Arc;

/// A post to the online forms carries at most this many bytes: the longest
/// texts the rules allow (4,000 characters of a report, an appeal's text)
/// written in two-byte letters and encoded, with room for the short fields.
pub const ONLINE_BODY_BYTES: usize = 64 * 1024;

/// The short fields the site asks beside the registry's own: when, where,
/// how to reach the citizen. The registry's fields are held to its rules.
const SHORT_TEXT: usize = 300;

/// The field people leave empty and robots fill in: hidden from sight and
/// from assistive technology alike.
const HONEYPOT: &str = "website";

/// The topics of a report whose pages offer "exit this page".
const SENSITIVE: [&str; 2] = ["domestic_violence", "sexual_offence"];

fn sensitive(topic: &str) -> Option<&'static str> {
    SENSITIVE.into_iter().find(|t| *t == topic)
}

// The forms.

pub async fn report_form(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let topic = query_value(query.as_deref(), "topic").and_then(|t| sensitive(&t)).unwrap_or("");
    report_page(&v, &registry, &Form::default().with("topic", topic), StatusCode::OK)
}

fn report_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let topic = sensitive(form.get("topic"));
    let units = registry.units();
    let fields = html! {
        @if let Some(topic) = topic { input type="hidden" name="topic" value=(topic); }
        (field("summary", "ui.online.what").required().help(v.t("ui.online.what_help")).textarea(v, form))
        (field("when", "ui.online.when").help(v.t("ui.online.when_help")).input(v, form, "text"))
        (field("where", "ui.online.where").help(v.t("ui.online.where_help")).input(v, form, "text"))
        (field("unit", "ui.online.unit").help(v.t("ui.online.unit_help")).select(v, form, &unit_choices(v, &units)))
        fieldset {
            legend { (v.t("ui.online.about_you")) }
            p.help { (v.t("ui.online.anonymous_report")) }
            (field("applicant.full_name", "ui.online.full_name").autocomplete("name").input(v, form, "text"))
            (field("contact", "ui.online.contact").help(v.t("ui.online.contact_help")).autocomplete("tel").input(v, form, "text"))
        }
        (honeypot())
    };
    let body = html! {
        h1 { (v.t("ui.online.report_title")) }
        @if topic.is_none() {
            p { (v.t("ui.online.report_intro")) }
            p { a href=(super::paths::link(REPORT_PATH, &[("topic", "domestic_violence")])) { (v.t("ui.online.sensitive_link")) } }
        } @else {
            p { (v.t("ui.online.sensitive_intro")) }
        }
        p { (v.t("ui.online.emergency")) }
        (form::summary(v, form))
        (form::post(v, REPORT_PATH, "ui.online.send_report", fields))
    };
    framed(v, status, v.t("ui.online.report_title"), body, topic.is_some())
}

pub async fn appeal_form(v: Viewer, State(registry): Shared) -> Response {
    appeal_page(&v, &registry, &Form::default().with("kind", "application"), StatusCode::OK)
}

fn appeal_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let units = registry.units();
    let kinds: Vec<(&str, &'static str)> = AppealKind::ALL.iter().map(|k| (k.as_str(), kind_label(*k))).collect();
    let fields = html! {
        (form::radios(v, form, "kind", "ui.online.appeal_kind", &kinds))
        (field("unit", "ui.online.addressed").help(v.t("ui.online.unit_help")).select(v, form, &unit_choices(v, &units)))
        (field("subject", "ui.online.subject").required().input(v, form, "text"))
        (field("text", "ui.online.text").required().help(v.t("ui.online.text_help")).textarea(v, form))
        (field("mentions_offence", "ui.online.mentions_offence").checkbox(v, form, "true"))
        fieldset {
            legend { (v.t("ui.online.about_you")) }
            p.help { (v.t("ui.online.anonymous_appeal")) }
            (field("applicants.person.full_name", "ui.online.full_name").autocomplete("name").input(v, form, "text"))
            (field("applicants.person.address", "ui.online.address").help(v.t("ui.online.address_help")).autocomplete("street-address").input(v, form, "text"))
        }
        (honeypot())
    };
    let body = html! {
        h1 { (v.t("ui.online.appeal_title")) }
        p { (v.t("ui.online.appeal_intro")) }
        (form::summary(v, form))
        (form::post(v, APPEAL_PATH, "ui.online.send_appeal", fields))
    };
    framed(v, status, v.t("ui.online.appeal_title"), body, false)
}

fn kind_label(k: AppealKind) -> &'static str {
    match k {
        AppealKind::Application => "ui.online.kind_application",
        AppealKind::Proposal => "ui.online.kind_proposal",
        AppealKind::Complaint => "ui.online.kind_complaint",
    }
}

/// "I don't know" first (headquarters, whose duty unit passes it on), then
/// every unit in force, parents before children.
fn unit_choices(v: &Viewer, units: &UnitTree) -> Vec<(String, String)> {
    let mut choices = vec![(String::new(), v.t("ui.online.unit_unknown").to_string())];
    choices.extend(format::unit_options(v, units, format::Blank::Choose).into_iter().skip(1));
    choices
}

/// A field for robots: out of sight and out of the accessibility tree
/// (`display: none`), so neither a sighted person nor a screen reader's
/// user meets it.
fn honeypot() -> Markup {
    html! {
        div.hp {
            label for="f-website" { "Website" }
            input #f-website type="text" name=(HONEYPOT) value="" autocomplete="off" tabindex="-1";
        }
    }
}

// The posts.

pub async fn report(
    v: Viewer,
    State(registry): Shared,
    Extension(load): Extension<Arc<Load>>,
    body: Posted,
) -> Response {
    let mut form = match admitted(&v, &load, &body) {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let unit = chosen_unit(&mut form, &registry);
    let summary = report_summary(&v, &mut form);
    if form.has_errors() {
        return report_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let applicant = form.optional_text("applicant.full_name").map(|full_name| PersonInput {
        role: PersonRole::Applicant,
        full_name,
        fin: None,
        birth_date: None,
        sex: None,
        previously_convicted: false,
    });
    let command = Command::RegisterReport(NewReport {
        unit,
        procedure: Procedure::CrimeReport,
        // The registry sets the channel, the time and who received it.
        channel: Channel::Online,
        received_at: registry.now(),
        officer: String::new(),
        applicant,
        summary,
        category: sensitive(form.get("topic")).map(String::from),
        source: None,
    });
    match submitted(&registry, command).await {
        Ok(Ok(receipt)) => receipt_page(&v, &registry, &receipt, sensitive(form.get("topic")).is_some()).await,
        Ok(Err(violations)) => {
            form.reject_all(violations);
            report_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(p) => error_page(&v, &p),
    }
}

/// What happened, with when and where as the citizen wrote them, as one
/// summary in the citizen's words.
fn report_summary(v: &Viewer, form: &mut Form) -> String {
    let mut summary = form.text("summary");
    for (name, label) in [("when", "ui.online.when"), ("where", "ui.online.where"), ("contact", "ui.online.contact")] {
        if let Some(typed) = form.optional_text(name) {
            summary.push_str(&format!("\n{}: {typed}", v.t(label)));
        }
    }
    if form.text("summary").is_empty() {
        // The registry would say so too; said here, every problem is named at once.
        form.reject(Violation::new("summary", "text.required"));
    }
    summary
}

pub async fn appeal(
    v: Viewer,
    State(registry): Shared,
    Extension(load): Extension<Arc<Load>>,
    body: Posted,
) -> Response {
    let mut form = match admitted(&v, &load, &body) {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let unit = chosen_unit(&mut form, &registry);
    let kind = form.choice::<AppealKind>("kind");
    let (Some(kind), false) = (kind, form.has_errors()) else {
        form.require_texts(&["subject", "text"]);
        return appeal_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let applicants = match form.optional_text("applicants.person.full_name") {
        Some(full_name) => {
            Applicants::Person { person: Applicant { full_name, address: form.text("applicants.person.address") } }
        }
        None => Applicants::Anonymous,
    };
    let command = Command::RegisterAppeal(NewAppeal {
        unit: unit.clone(),
        addressed_to: unit,
        channel: AppealChannel::Online,
        kind,
        received_at: registry.now(),
        applicants,
        subject: form.text("subject"),
        text: form.text("text"),
        attachments: Vec::new(),
        repeat_of: None,
        mentions_offence: form.is_checked("mentions_offence", "true"),
        reception_id: None,
    });
    match submitted(&registry, command).await {
        Ok(Ok(receipt)) => receipt_page(&v, &registry, &receipt, false).await,
        Ok(Err(violations)) => {
            form.reject_all(violations);
            appeal_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(p) => error_page(&v, &p),
    }
}

/// A post's body, or why it could not be read (past [`ONLINE_BODY_BYTES`]).
type Posted = Result<Bytes, BytesRejection>;

/// A post let in: within its address's limit (else 429, nothing read), its
/// body within the size limit, its honeypot empty (else refused, nothing
/// written), no control characters and the site's own short fields within
/// their length.
#[expect(clippy::result_large_err, reason = "the refusal is the page answered")]
fn admitted(v: &Viewer, load: &Load, body: &Posted) -> Result<Form, Response> {
    let address = v.caller.as_ref().map_or("unknown", |c| c.address.as_str());
    if let Err(wait) = load.online.take(address, std::time::Instant::now()) {
        let mut res = refusal(v, StatusCode::TOO_MANY_REQUESTS, "ui.online.too_many");
        if let Ok(secs) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            res.headers_mut().insert(RETRY_AFTER, secs);
        }
        return Err(res);
    }
    // A post past the limit is refused as a page in the citizen's language,
    // not the framework's plain text.
    let body = match body {
        Ok(body) => body,
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(refusal(v, StatusCode::PAYLOAD_TOO_LARGE, "ui.online.too_large"));
        }
        Err(_) => return Err(refusal(v, StatusCode::BAD_REQUEST, "ui.online.not_accepted")),
    };
    let mut form = Form::parse(body);
    if !form.get(HONEYPOT).is_empty() {
        return Err(refusal(v, StatusCode::BAD_REQUEST, "ui.online.not_accepted"));
    }
    form.reject_control_characters();
    for name in ["when", "where", "contact"] {
        if form.get(name).chars().count() > SHORT_TEXT {
            form.reject(Violation::new(name, "text.too_long").with("max", SHORT_TEXT));
        }
    }
    Ok(form)
}

fn refusal(v: &Viewer, status: StatusCode, key: &'static str) -> Response {
    let body = html! {
        h1 { (v.t("ui.online.refused_title")) }
        p { (v.t(key)) }
        p { a href="/" { (v.t("ui.site.home")) } }
    };
    page_with_status(v, status, v.t("ui.online.refused_title"), body)
}

/// The unit chosen, or headquarters (the root) for "I don't know".
fn chosen_unit(form: &mut Form, registry: &Registry) -> UnitCode {
    let root = registry.units().all().find(|u| u.parent.is_none()).map(|u| u.code.clone());
    let root = root.unwrap_or_else(|| UnitCode::parse("AZ").expect("a unit code"));
    if form.text("unit").is_empty() { root } else { form.unit("unit").unwrap_or(root) }
}

async fn submitted(
    registry: &Arc<Registry>,
    command: Command,
) -> Result<Result<OnlineReceipt, Vec<Violation>>, Problem> {
    blocking(registry, move |r| match r.submit_online(command) {
        Ok(receipt) => Ok(Ok(receipt)),
        Err(ServiceError::Rejected(rejected)) | Err(ServiceError::BatchItem { rejected, .. }) => Ok(Err(rejected.0)),
        Err(other) => Err(Problem::from_service(other)),
    })
    .await
}

// The receipt.

async fn receipt_page(v: &Viewer, registry: &Arc<Registry>, given: &OnlineReceipt, exit: bool) -> Response {
    let (reference, secret) = (given.reference.clone(), given.secret.clone());
    let followed =
        match blocking(registry, move |r| r.follow_online(&reference, &secret).map_err(Problem::from_service)).await {
            Ok(Some(f)) => f,
            Ok(None) => return error_page(v, &Problem::not_found()),
            Err(p) => return error_page(v, &p),
        };
    let rules = &v.pack.rules;
    let (title, next, received, deadline) = match &followed {
        Followed::Report(r) => ("ui.online.report_received", "ui.online.report_next", r.received_at, r.deadline),
        Followed::Appeal(a) => ("ui.online.appeal_received", "ui.online.appeal_next", a.received_at, a.deadline),
    };
    let body = html! {
        div.receipt role="status" {
            h1 { (v.t(title)) }
            dl.facts {
                dt { (v.t("ui.online.reference")) } dd { strong.reference { (given.reference) } }
                dt { (v.t("ui.online.secret")) } dd { strong.reference { code { (given.secret) } } }
                dt { (v.t("ui.online.received_at")) } dd { (format::instant(v, rules, received)) }
                dt { (v.t("ui.online.deadline")) } dd { (format::deadline(v, rules, deadline)) }
            }
        }
        p { strong { (v.t("ui.online.keep_secret")) } }
        h2 { (v.t("ui.online.next_title")) }
        p { (v.t(next)) }
        p { (v.t("ui.online.follow_hint")) " " a href=(STATUS_PATH) { (v.t("ui.online.status_title")) } }
        p.noprint { (v.t("ui.online.print_hint")) }
    };
    framed(v, StatusCode::OK, v.t(title), body, exit)
}

// Following it.

pub async fn status_form(v: Viewer) -> Response {
    status_page(&v, &Form::default(), None, StatusCode::OK)
}

pub async fn status(
    v: Viewer,
    State(registry): Shared,
    Extension(load): Extension<Arc<Load>>,
    body: Posted,
) -> Response {
    let mut form = match admitted(&v, &load, &body) {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let lookup = follow(&registry, form.text("reference"), form.text("secret"));
    match lookup.await {
        Ok(Some(f)) => status_page(&v, &form, Some(&f), StatusCode::OK),
        Ok(None) => {
            not_found(&mut form);
            status_page(&v, &form, None, StatusCode::NOT_FOUND)
        }
        Err(p) => error_page(&v, &p),
    }
}

pub async fn rate(v: Viewer, State(registry): Shared, Extension(load): Extension<Arc<Load>>, body: Posted) -> Response {
    let mut form = match admitted(&v, &load, &body) {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let score = form.text("score").parse::<i64>().unwrap_or(0);
    let (reference, secret) = (form.text("reference"), form.text("secret"));
    let rated = blocking(&registry, move |r| match r.rate_online(&reference, &secret, score) {
        Ok(_) => Ok(Ok(())),
        Err(ServiceError::NotFound) => Ok(Err(None)),
        Err(ServiceError::Rejected(rejected)) => Ok(Err(Some(rejected.0))),
        Err(other) => Err(Problem::from_service(other)),
    })
    .await;
    match rated {
        Ok(Ok(())) => form = form.with("rated", "true"),
        Ok(Err(None)) => not_found(&mut form),
        // The rules' refusals name the entry's field; the survey's one control is the score.
        Ok(Err(Some(violations))) => {
            violations.into_iter().for_each(|v| form.reject(Violation { field: "score".into(), ..v }))
        }
        Err(p) => return error_page(&v, &p),
    }
    let lookup = follow(&registry, form.text("reference"), form.text("secret"));
    match lookup.await {
        Ok(found) => {
            let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
            status_page(&v, &form, found.as_ref(), status)
        }
        Err(p) => error_page(&v, &p),
    }
}

/// A wrong secret and an unknown reference are one answer, at the reference.
fn not_found(form: &mut Form) {
    form.reject(Violation::new("reference", "online.not_found"));
}

/// Looked up by what was typed (taken out of the form first: a form is not `Sync`).
async fn follow(registry: &Arc<Registry>, reference: String, secret: String) -> Result<Option<Followed>, Problem> {
    blocking(registry, move |r| r.follow_online(&reference, &secret).map_err(Problem::from_service)).await
}

fn status_page(v: &Viewer, form: &Form, found: Option<&Followed>, status: StatusCode) -> Response {
    let lookup = html! {
        (field("reference", "ui.online.reference").required().help(v.t("ui.online.reference_help")).input(v, form, "text"))
        (field("secret", "ui.online.secret").required().help(v.t("ui.online.secret_help")).input(v, form, "text"))
    };
    // The controls are drawn before the summary, which links only to those drawn.
    let rest = match found {
        Some(found) => html! { (standing(v, found)) (survey(v, form, found)) },
        None => html! {
            p { (v.t("ui.online.status_intro")) }
            (form::post(v, STATUS_PATH, "ui.online.look_up", lookup))
        },
    };
    let body = html! {
        h1 { (v.t("ui.online.status_title")) }
        (form::summary(v, form))
        (rest)
    };
    let exit = matches!(found, Some(Followed::Report(r)) if r.category.as_deref().and_then(sensitive).is_some());
    framed(v, status, v.t("ui.online.status_title"), body, exit)
}

/// Where it stands, in plain words, with its deadline and what was decided.
fn standing(v: &Viewer, found: &Followed) -> Markup {
    let rules = &v.pack.rules;
    let (number, received, deadline, stage, closed) = match found {
        Followed::Report(r) => {
            let stage = match r.decision.as_ref().map(|d| &d.outcome) {
                None if r.extensions.is_empty() => "ui.online.stage.report_checking",
                None => "ui.online.stage.report_extended",
                Some(ReportOutcome::OpenCase { .. }) => "ui.online.stage.report_case_opened",
                Some(ReportOutcome::Refuse { .. }) => "ui.online.stage.report_refused",
                Some(ReportOutcome::Transfer { .. }) => "ui.online.stage.report_transferred",
                Some(ReportOutcome::Attach { .. }) => "ui.online.stage.report_attached",
            };
            (&r.register_no, r.received_at, r.deadline, stage, r.decision.is_some())
        }
        Followed::Appeal(a) => {
            let stage = match a.status() {
                "answered" => "ui.online.stage.appeal_answered",
                "referred" => "ui.online.stage.appeal_referred",
                "extended" => "ui.online.stage.appeal_extended",
                "passed_to_police" => "ui.online.stage.appeal_passed_to_police",
                "not_examined" => "ui.online.stage.appeal_not_examined",
                _ => "ui.online.stage.appeal_open",
            };
            (&a.register_no, a.received_at, a.deadline, stage, a.is_closed())
        }
    };
    html! {
        dl.facts {
            dt { (v.t("ui.online.reference")) } dd { strong.reference { (number) } }
            dt { (v.t("ui.online.received_at")) } dd { (format::instant(v, rules, received)) }
            dt { (v.t("ui.online.stands")) } dd.stage { (v.t(stage)) }
            @if !closed { dt { (v.t("ui.online.deadline")) } dd { (format::deadline(v, rules, deadline)) } }
        }
    }
}

/// The survey, offered once a closed matter that names its applicant is
/// not yet rated; the rules refuse any other rating anyway.
fn survey(v: &Viewer, form: &Form, found: &Followed) -> Markup {
    let (closed, rated, anonymous) = match found {
        Followed::Report(r) => (r.decision.is_some(), r.satisfaction.is_some(), r.is_anonymous()),
        Followed::Appeal(a) => (a.is_closed(), a.satisfaction.is_some(), a.is_anonymous()),
    };
    if form.get("rated") == "true" {
        return html! { p.notice role="status" { (v.t("ui.online.thanks")) } };
    }
    if !closed || rated || anonymous {
        return html! {};
    }
    let scores: [(&str, &'static str); 5] = [
        ("5", "ui.online.score_5"),
        ("4", "ui.online.score_4"),
        ("3", "ui.online.score_3"),
        ("2", "ui.online.score_2"),
        ("1", "ui.online.score_1"),
    ];
    let fields = html! {
        input type="hidden" name="reference" value=(form.text("reference"));
        input type="hidden" name="secret" value=(form.text("secret"));
        (form::radios(v, form, "score", "ui.online.survey_question", &scores))
    };
    html! {
        h2 { (v.t("ui.online.survey_title")) }
        (form::post(v, RATE_PATH, "ui.online.send_survey", fields))
    }
}

/// A page of these services: with "exit this page" first on a sensitive one.
fn framed(v: &Viewer, status: StatusCode, title: &str, body: Markup, exit: bool) -> Response {
    if exit { exit_page(v, status, title, body) } else { page_with_status(v, status, title, body) }.into_response()
}
