//! Cancelling a recorded crime on the pages (docs/integrity.md,
//! "Cancellations"): the investigator's request on a case, the second
//! approver's decision, a case's section of its requests, and the
//! approvers' queue of requests awaiting a decision, the oldest first.

use super::cases::{case_form_page, load_case};
use super::form::{self, Form, field, local_value, options};
use super::format;
use super::layout::page;
use super::paths::link;
use super::reports::record;
use super::respond::{PageId, error_page};
use super::viewer::Viewer;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::access::Action;
use crimeboard_domain::act::Entity;
use crimeboard_domain::cancellation::{
    Cancellation, DecideCancellation, RequestCancellation, TellingMeans, VictimTold, check_approver,
};
use crimeboard_domain::case::CriminalCase;
use crimeboard_domain::{Command, Violation};
use crimeboard_service::{QueueParams, Queued, Registry};
use maud::{Markup, html};

/// Where the requests awaiting a second approver are listed.
pub const QUEUE_PATH: &str = "/cancellations/queue";
/// Requests a page of the queue shows.
const PER_PAGE: u64 = 50;

const MEANS: [(&str, &str); 4] = [
    ("letter", "ui.telling.letter"),
    ("telephone", "ui.telling.telephone"),
    ("in_person", "ui.telling.in_person"),
    ("email", "ui.telling.email"),
];

const DECISIONS: [(&str, &str); 2] = [("true", "ui.cancellation.approve"), ("false", "ui.cancellation.refuse")];

/// The ground's name in the viewer's language, its code when the rules no longer list it.
fn ground_name(v: &Viewer, registry: &Registry, code: &str) -> String {
    let rules = &registry.jurisdiction().rules;
    let grounds = rules.cancellation.as_ref().map(|c| c.grounds.as_slice()).unwrap_or_default();
    grounds.iter().find(|g| g.code == code).map_or(code.to_string(), |g| v.name_of(&g.name).to_string())
}

/// Why the viewer may not decide the case's pending request, if they may
/// not: the rules' second approver, said before they type anything.
fn approver_refusal(v: &Viewer, registry: &Registry, c: &CriminalCase) -> Option<Violation> {
    let (caller, pending) = (v.caller.as_ref()?, c.pending_cancellation()?);
    let rule = registry.jurisdiction().rules.cancellation.as_ref()?.second_approver;
    check_approver(rule, &pending.requested_by, &caller.principal, &c.unit, &registry.units()).err()
}

/// A case's section: each request with its state and decision, and the
/// form the viewer may use next (to ask, or to decide).
pub fn section(v: &Viewer, registry: &Registry, c: &CriminalCase) -> Markup {
    let may_request = v.may(Action::WorkCase) && c.cancellation().is_none() && c.pending_cancellation().is_none();
    let may_decide = c.pending_cancellation().is_some() && v.may(Action::ApproveCancellation);
    html! {
        h2 #cancellation { (v.t("ui.cancellation.section")) }
        @if c.cancellations.is_empty() { p { (v.t("ui.cancellation.none")) } }
        @for request in c.cancellations.iter().rev() { (request_facts(v, registry, request)) }
        @if may_request {
            ul.actions { li { a.button.secondary href={ "/cases/" (c.id) "/cancellation/request" } { (v.t("ui.cancellation.request")) } } }
        }
        @if may_decide {
            @match approver_refusal(v, registry, c) {
                None => ul.actions { li { a.button href={ "/cases/" (c.id) "/cancellation/decide" } { (v.t("ui.cancellation.decide")) } } },
                Some(refusal) => p.help { (v.message(&refusal)) },
            }
        }
    }
}

fn request_facts(v: &Viewer, registry: &Registry, r: &Cancellation) -> Markup {
    let rules = &registry.jurisdiction().rules;
    let state = match &r.decision {
        None => "ui.cancellation.pending",
        Some(d) if d.approved => "ui.cancellation.approved",
        Some(_) => "ui.cancellation.refused",
    };
    html! {
        dl.facts {
            dt { (v.t("ui.col.status")) } dd { (v.t(state)) }
            dt { (v.t("ui.field.cancellation_ground")) } dd { (ground_name(v, registry, &r.ground)) }
            dt { (v.t("ui.field.cancellation_text")) } dd { (r.text) }
            dt { (v.t("ui.field.evidence")) } dd { (r.evidence) }
            dt { (v.t("ui.cancellation.requested_by")) } dd { (r.requested_by) ", " (format::instant(v, rules, r.requested_at)) }
            @if let Some(d) = &r.decision {
                dt { (v.t("ui.cancellation.decided_by")) } dd { (d.by) ", " (format::instant(v, rules, d.at)) }
                @if !d.note.is_empty() { dt { (v.t("ui.field.note")) } dd { (d.note) } }
                dt { (v.t("ui.cancellation.victim_told")) } dd {
                    @match &d.victim_told {
                        Some(told) => { (format::label(v, "telling", told.how.as_str())) ", " (format::instant(v, rules, told.at)) }
                        None => "—",
                    }
                }
            }
        }
    }
}

// The request.

pub async fn request_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    match load_case(&registry, id).await {
        Ok(c) => request_page(&v, &registry, &c, &Form::default().with("requested_at", now), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn request_page(v: &Viewer, registry: &Registry, c: &CriminalCase, form: &Form, status: StatusCode) -> Response {
    let rules = &registry.jurisdiction().rules;
    let grounds = rules.cancellation.as_ref().map(|c| c.grounds.as_slice()).unwrap_or_default();
    let mut choices = vec![(String::new(), v.t("ui.choose").to_string())];
    choices.extend(grounds.iter().map(|g| (g.code.clone(), v.name_of(&g.name).to_string())));
    let fields = html! {
        p.help { (v.t("ui.help.cancellation_request")) }
        (field("ground", "ui.field.cancellation_ground").required().select(v, form, &choices))
        (field("text", "ui.field.cancellation_text").required().textarea(v, form))
        (field("evidence", "ui.field.evidence").required().help(v.t("ui.help.evidence")).textarea(v, form))
        (field("requested_at", "ui.field.requested_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (form::envelope(v, form))
    };
    case_form_page(v, c, "ui.cancellation.request", "cancellation/request", form, fields, status)
}

pub async fn request(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let c = match load_case(&registry, id).await {
        Ok(c) => c,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    let requested_at = form.instant("requested_at", &registry.jurisdiction().rules);
    let (Some(requested_at), false) = (requested_at, form.has_errors()) else {
        form.require_texts(&["ground", "text", "evidence", "legal_ground"]);
        return request_page(&v, &registry, &c, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::RequestCancellation(RequestCancellation {
        case_id: id,
        ground: form.text("ground"),
        text: form.text("text"),
        evidence: form.text("evidence"),
        requested_at,
    });
    record(&v, &registry, form, command, |f, s| request_page(&v, &registry, &c, f, s)).await
}

// The second approver's decision.

pub async fn decide_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let now = local_value(&registry.jurisdiction().rules, registry.now());
    match load_case(&registry, id).await {
        Ok(c) => decide_page(&v, &registry, &c, &Form::default().with("decided_at", now), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn decide_page(v: &Viewer, registry: &Registry, c: &CriminalCase, form: &Form, status: StatusCode) -> Response {
    let means = options(v, Some("ui.choose"), &MEANS);
    let fields = html! {
        @if let Some(pending) = c.pending_cancellation() { (request_facts(v, registry, pending)) }
        (form::radios(v, form, "approve", "ui.field.cancellation_decision", &DECISIONS))
        (field("note", "ui.field.note").textarea(v, form))
        fieldset {
            legend { (v.t("ui.cancellation.victim_told")) }
            p.help { (v.t("ui.help.victim_told")) }
            (field("victim_told.how", "ui.field.victim_told_how").select(v, form, &means))
            (field("victim_told.at", "ui.field.victim_told_at").help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        }
        (field("decided_at", "ui.field.decided_at").required().help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        (form::envelope(v, form))
    };
    case_form_page(v, c, "ui.cancellation.decide", "cancellation/decide", form, fields, status)
}

pub async fn decide(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let c = match load_case(&registry, id).await {
        Ok(c) => c,
        Err(p) => return error_page(&v, &p),
    };
    // The rule that the victim was not told is drawn at the means' control.
    let mut form = Form::parse(&body).renamed(&[("victim_told", "victim_told.how")]);
    let rules = registry.jurisdiction().rules.clone();
    let approve = match form.get("approve") {
        "true" => Some(true),
        "false" => Some(false),
        _ => {
            form.reject(Violation::new("approve", "text.required"));
            None
        }
    };
    let decided_at = form.instant("decided_at", &rules);
    let told = victim_told(&mut form, &rules);
    let (Some(approve), Some(decided_at), Some(victim_told), false) = (approve, decided_at, told, form.has_errors())
    else {
        form.require_texts(&["legal_ground"]);
        return decide_page(&v, &registry, &c, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::DecideCancellation(DecideCancellation {
        case_id: id,
        approve,
        note: form.text("note"),
        victim_told,
        decided_at,
    });
    record(&v, &registry, form, command, |f, s| decide_page(&v, &registry, &c, f, s)).await
}

/// How and when the victim was told: none when neither is typed (the
/// registry then refuses an approval), both required once one is.
fn victim_told(form: &mut Form, rules: &crimeboard_domain::rules::Rules) -> Option<Option<VictimTold>> {
    if form.text("victim_told.how").is_empty() && form.text("victim_told.at").is_empty() {
        return Some(None);
    }
    let how: Option<TellingMeans> = form.choice("victim_told.how");
    let at = form.instant("victim_told.at", rules);
    Some(Some(VictimTold { how: how?, at: at? }))
}

// The approvers' queue.

pub async fn queue(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let mut form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    form.reject_control_characters();
    if form.get("unit").is_empty() {
        form = form.with("unit", v.unit.clone().unwrap_or_default());
    }
    let page_no = form.text("page").parse::<u64>().ok().filter(|p| *p >= 1).unwrap_or(1);
    let params = QueueParams {
        register: Queued::Cancellations,
        unit: form.optional_text("unit"),
        page: Some(page_no),
        per_page: Some(PER_PAGE),
        within: v.within(),
    };
    let found = if form.has_errors() {
        None
    } else {
        let viewer = v.clone();
        let unit = form.text("unit");
        match blocking(&registry, move |r| {
            let queue = r.queue(&params).map_err(Problem::from_query)?;
            viewer.audit(r, "list.cancellation_queue", &unit, "")?;
            let cases = queue
                .items
                .iter()
                .map(|rec| match crimeboard_service::entity_of(rec).map_err(Problem::from_service)? {
                    Entity::Case(c) => Ok(c),
                    _ => Err(Problem::internal("a queue of cancellations holds something else")),
                })
                .collect::<Result<Vec<_>, Problem>>()?;
            Ok((queue, cases))
        })
        .await
        {
            Ok(found) => Some(found),
            Err(p) if p.status == StatusCode::BAD_REQUEST => {
                form.reject_all(p.errors);
                None
            }
            Err(p) => return error_page(&v, &p),
        }
    };
    let units = registry.units();
    let title = v.t("ui.cancellation.queue");
    let body = html! {
        h1 { (title) }
        p.help { (v.t("ui.cancellation.queue_help")) }
        (form::summary(&v, &form))
        form.filters method="get" action=(QUEUE_PATH) aria-label=(v.t("ui.filters")) {
            (field("unit", "ui.field.unit").select(&v, &form, &format::unit_options(&v, &units, format::Blank::Choose)))
            button type="submit" { (v.t("ui.action.show")) }
        }
        @if let Some((queue, cases)) = &found {
            p { (v.fill("ui.cancellation.queue_count", &[("waiting", &format::integer(&v, queue.total.waiting))])) }
            (queue_table(&v, &registry, title, cases))
            nav aria-label=(v.t("ui.pager.label")) {
                ul.pager {
                    @if queue.page > 1 {
                        li { a href=(link(QUEUE_PATH, &[("unit", form.get("unit")), ("page", &(queue.page - 1).to_string())])) rel="prev" { "← " (v.t("ui.pager.prev")) } }
                    }
                    li { (v.fill("ui.pager.page", &[("page", &format::integer(&v, queue.page as i64))])) }
                    @if queue.has_more {
                        li { a href=(link(QUEUE_PATH, &[("unit", form.get("unit")), ("page", &(queue.page + 1).to_string())])) rel="next" { (v.t("ui.pager.next")) " →" } }
                    }
                }
            }
        }
    };
    page(&v, title, body)
}

fn queue_table(v: &Viewer, registry: &Registry, title: &str, cases: &[CriminalCase]) -> Markup {
    let rules = &registry.jurisdiction().rules;
    let units = registry.units();
    if cases.is_empty() {
        return html! { p { (v.t("ui.list.empty")) } };
    }
    html! {
        div.table-wrap role="region" tabindex="0" aria-label=(title) {
            table {
                caption { (title) }
                thead { tr {
                    th scope="col" { (v.t("ui.col.case")) }
                    th scope="col" { (v.t("ui.col.requested")) }
                    th scope="col" { (v.t("ui.field.cancellation_ground")) }
                    th scope="col" { (v.t("ui.cancellation.requested_by")) }
                    th scope="col" { (v.t("ui.col.unit")) }
                } }
                tbody {
                    @for c in cases {
                        @if let Some(pending) = c.pending_cancellation() {
                            tr {
                                td { a href={ "/cases/" (c.id) "#cancellation" } { (c.number) } }
                                td { (format::instant(v, rules, pending.requested_at)) }
                                td { (ground_name(v, registry, &pending.ground)) }
                                td { (pending.requested_by) }
                                td { (format::unit_name(v, &units, c.unit.as_str())) }
                            }
                        }
                    }
                }
            }
        }
    }
}
