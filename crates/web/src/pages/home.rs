//! The home page: the unit's queue of crime reports awaiting a decision,
//! nearest deadline first, with those due today and overdue marked.

use super::form::{Form, field};
use super::layout::{link, page};
use super::viewer::{Access, Viewer};
use super::{blocking, error_page, format, see_other};
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use crimeboard_domain::EntityKind;
use crimeboard_domain::access::{Action, Role};
use crimeboard_domain::report::CrimeReport;
use crimeboard_service::{ListParams, MAX_PER_PAGE, Registry};
use maud::{Markup, html};
use std::sync::Arc;

/// How a deadline stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Overdue,
    DueToday,
    Later,
}

pub fn urgency(registry: &Registry, deadline: DateTime<Utc>) -> Urgency {
    let now = registry.now();
    let rules = &registry.reference().rules;
    // A deadline falls at the start of a day: one at midnight tonight is due today.
    let tomorrow = rules.local_date(now).succ_opt().map(|d| rules.start_of_day(d));
    if deadline <= now {
        Urgency::Overdue
    } else if tomorrow.is_some_and(|t| deadline <= t) {
        Urgency::DueToday
    } else {
        Urgency::Later
    }
}

/// The mark of a deadline: an icon and a word, so colour is never the only sign.
pub fn mark(v: &Viewer, u: Urgency) -> Markup {
    match u {
        Urgency::Overdue => html! { span.mark.overdue { span aria-hidden="true" { "⚠ " } (v.t("ui.queue.overdue")) } },
        Urgency::DueToday => html! { span.mark.today { span aria-hidden="true" { "⏰ " } (v.t("ui.queue.today")) } },
        Urgency::Later => html! {},
    }
}

struct Queue {
    reports: Vec<CrimeReport>,
    more: bool,
}

/// Each role lands on its work: the queue for whoever decides on reports,
/// the unit's cases under investigation (newest first) for an investigator,
/// the Board's figures for an analyst, the public figures for a press
/// officer, requested examinations for an expert, the users for an administrator.
pub async fn home(v: Viewer, state: State<Arc<Registry>>) -> Response {
    let unit = v.unit.as_deref().unwrap_or("");
    match v.role() {
        Role::DutyOfficer | Role::UnitChief => match queue_access(&state.0, &v) {
            Ok(access) => queue(Viewer { access: Some(access), ..v }, state).await,
            Err(p) => error_page(&v, &p),
        },
        Role::Investigator => see_other(&link("/cases", &[("status", "investigating"), ("unit", unit)])),
        Role::ForensicExpert => see_other(&link("/examinations", &[("status", "requested"), ("unit", unit)])),
        Role::HqAnalyst => see_other("/report"),
        Role::PressOfficer | Role::Public => see_other(super::figures::PATH),
        Role::Administrator => see_other(super::admin::USERS),
    }
}

/// The queue names applicants: it is personal data, shown within the user's units.
fn queue_access(registry: &Registry, v: &Viewer) -> Result<Access, crate::problem::Problem> {
    let caller = v.caller.as_ref().ok_or_else(crate::auth::unauthenticated)?;
    if v.unit.as_deref().is_some_and(|u| u.chars().any(char::is_control)) {
        return Err(crate::problem::Problem::param(crimeboard_domain::Violation::new("unit", "form.control")));
    }
    caller.require(registry, Action::ReadPersonalData, v.unit.as_deref())?;
    let within = registry.visible_units(&caller.principal, Action::ReadPersonalData);
    Ok(Access { within })
}

async fn queue(v: Viewer, State(registry): State<Arc<Registry>>) -> Response {
    let unit = v.unit.clone();
    let within = v.within();
    let loaded = blocking(&registry, move |r| {
        let params = ListParams {
            within,
            kind: Some(EntityKind::Report),
            unit,
            status: Some("awaiting_decision".into()),
            oldest_first: true,
            per_page: Some(MAX_PER_PAGE),
            ..Default::default()
        };
        let page = r.list(&params).map_err(crate::problem::Problem::from_query)?;
        let mut reports = Vec::with_capacity(page.items.len());
        for record in &page.items {
            if let crimeboard_domain::act::Entity::Report(report) =
                crimeboard_service::entity_of(record).map_err(crate::problem::Problem::from_service)?
            {
                reports.push(report);
            }
        }
        reports.sort_by_key(|r| (r.deadline, r.register_no.clone()));
        Ok(Queue { reports, more: page.has_more })
    })
    .await;
    let units = registry.units();
    let picker = unit_picker(&v, &units);
    let queue = match loaded {
        Ok(q) => q,
        Err(p) if p.status.is_client_error() => {
            return page(
                &v,
                v.t("ui.home.title"),
                html! { h1 { (v.t("ui.home.title")) } (picker) (error_list(&v, &p)) },
            );
        }
        Err(p) => return error_page(&v, &p),
    };
    let rules = &registry.reference().rules;
    let body = html! {
        h1 { (v.t("ui.home.title")) }
        (picker)
        h2 #queue { (v.t("ui.queue.title")) }
        (counts(&v, &registry, &queue.reports))
        @if v.role() == Role::UnitChief { (by_unit(&v, &registry, &units, &queue.reports)) }
        @if queue.reports.is_empty() {
            p { (v.t("ui.queue.empty")) }
        } @else {
            div.table-wrap role="region" tabindex="0" aria-labelledby="queue" {
                table aria-labelledby="queue" {
                    thead { tr {
                        th scope="col" { (v.t("ui.col.deadline")) }
                        th scope="col" { (v.t("ui.col.number")) }
                        th scope="col" { (v.t("ui.col.received")) }
                        th scope="col" { (v.t("ui.col.channel")) }
                        th scope="col" { (v.t("ui.col.summary")) }
                        th scope="col" { (v.t("ui.col.unit")) }
                        th scope="col" { (v.t("ui.col.action")) }
                    } }
                    tbody {
                        @for r in &queue.reports {
                            @let u = urgency(&registry, r.deadline);
                            tr class=[match u { Urgency::Overdue => Some("overdue"), Urgency::DueToday => Some("today"), Urgency::Later => None }] {
                                td { (format::deadline(&v, rules, r.deadline)) " " (mark(&v, u)) }
                                td.nowrap { a href={ "/reports/" (r.id) } { (r.register_no) } }
                                td { (format::instant(&v, rules, r.received_at)) }
                                td { (format::enum_label(&v, "channel", &r.channel)) }
                                td { (short(&r.summary)) }
                                td { (format::unit_name(&v, &units, r.unit.as_str())) }
                                td { @if v.may(Action::DecideReport) { a href={ "/reports/" (r.id) "/decide" } { (v.t("ui.action.decide")) } } }
                            }
                        }
                    }
                }
            }
            @if queue.more {
                p.notice {
                    (v.t("ui.queue.more")) " "
                    a href=(link("/reports", &[("status", "awaiting_decision"), ("unit", v.unit.as_deref().unwrap_or(""))])) {
                        (v.t("ui.queue.all"))
                    }
                }
            }
        }
    };
    page(&v, v.t("ui.home.title"), body)
}

/// For a chief: how many wait, are overdue and are due today in each unit below.
fn by_unit(
    v: &Viewer,
    registry: &Registry,
    units: &crimeboard_domain::units::UnitTree,
    reports: &[CrimeReport],
) -> Markup {
    let mut rows: std::collections::BTreeMap<String, [i64; 3]> = std::collections::BTreeMap::new();
    for r in reports {
        let row = rows.entry(r.unit.to_string()).or_default();
        row[0] += 1;
        match urgency(registry, r.deadline) {
            Urgency::Overdue => row[1] += 1,
            Urgency::DueToday => row[2] += 1,
            Urgency::Later => {}
        }
    }
    html! {
        @if !rows.is_empty() {
            h2 #by-unit { (v.t("ui.queue.by_unit")) }
            div.table-wrap role="region" tabindex="0" aria-labelledby="by-unit" {
                table aria-labelledby="by-unit" {
                    thead { tr {
                        th scope="col" { (v.t("ui.col.unit")) }
                        th scope="col" class="num" { (v.t("ui.queue.waiting")) }
                        th scope="col" class="num" { (v.t("ui.queue.overdue")) }
                        th scope="col" class="num" { (v.t("ui.queue.today")) }
                    } }
                    tbody {
                        @for (unit, [waiting, overdue, today]) in &rows {
                            tr {
                                th scope="row" { (format::unit_name(v, units, unit)) }
                                td.num { (format::integer(v, *waiting)) }
                                td.num { (format::integer(v, *overdue)) }
                                td.num { (format::integer(v, *today)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// How many are overdue and due today, for a chief watching the deadlines.
fn counts(v: &Viewer, registry: &Registry, reports: &[CrimeReport]) -> Markup {
    let count = |wanted| reports.iter().filter(|r| urgency(registry, r.deadline) == wanted).count() as i64;
    let (overdue, today) = (count(Urgency::Overdue), count(Urgency::DueToday));
    html! {
        @if !reports.is_empty() {
            p {
                (v.fill("ui.queue.counts", &[
                    ("waiting", &format::integer(v, reports.len() as i64)),
                    ("overdue", &format::integer(v, overdue)),
                    ("today", &format::integer(v, today)),
                ]))
            }
        }
    }
}

fn unit_picker(v: &Viewer, units: &crimeboard_domain::units::UnitTree) -> Markup {
    let form = Form::default().with("unit", v.unit.clone().unwrap_or_default());
    html! {
        form.filters method="get" action="/" {
            (field("unit", "ui.field.unit").select(v, &form, &format::unit_options(v, units, "ui.unit.all")))
            button type="submit" { (v.t("ui.action.show")) }
        }
    }
}

/// A bad filter (an unknown unit) as a message on the page.
pub fn error_list(v: &Viewer, p: &crate::problem::Problem) -> Markup {
    html! {
        div.error-summary role="alert" {
            ul { @for e in &p.errors { li { (v.message(e)) } } }
        }
    }
}

/// The first line of a long text, cut at 120 characters.
pub fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > 120 { format!("{}…", line.chars().take(119).collect::<String>()) } else { line.into() }
}
