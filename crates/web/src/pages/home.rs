//! The home page: the unit's queue of crime reports awaiting a decision,
//! nearest deadline first, with those due today and overdue marked.

use super::form::{Form, field};
use super::format::{self, short};
use super::layout::page;
use super::paths::{FIGURES, USERS, link};
use super::respond::{error_page, see_other};
use super::viewer::{Access, Viewer};
use crate::state::{Shared, blocking};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use crimeboard_domain::access::{Action, Role};
use crimeboard_domain::report::CrimeReport;
use crimeboard_service::{QueueParams, Registry};
use crimeboard_store::QueueCount;
use maud::{Markup, html};

/// How a deadline stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Overdue,
    DueToday,
    Later,
}

pub fn urgency(registry: &Registry, deadline: DateTime<Utc>) -> Urgency {
    let now = registry.now();
    let rules = &registry.jurisdiction().rules;
    // A deadline falls at the start of a day: one at midnight tonight is due today.
    let tomorrow = rules.local_date(now).succ_opt().map_or(now, |d| rules.start_of_day(d));
    urgency_at(now, tomorrow, deadline)
}

/// Overdue at or before `now`, due today up to `due_by` (the start of tomorrow):
/// the same bounds the database counts the queue by.
pub fn urgency_at(now: DateTime<Utc>, due_by: DateTime<Utc>, deadline: DateTime<Utc>) -> Urgency {
    if deadline <= now {
        Urgency::Overdue
    } else if deadline <= due_by {
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

/// A page of the queue, the reports read back from their state.
struct Loaded {
    reports: Vec<CrimeReport>,
    queue: crimeboard_service::Queue,
    /// For a chief, the unit's queue of the Board's tasks: how many, how many overdue.
    tasks: Option<(usize, usize)>,
    alerts: Vec<crimeboard_service::series::SeriesAlert>,
}

/// Reports on a page of the queue.
const PER_PAGE: u64 = 50;

/// Each role lands on its work: the queue for whoever decides on reports,
/// the unit's cases under investigation (newest first) for an investigator,
/// the Board's figures for an analyst, the public figures for a press
/// officer, requested examinations for an expert, the users for an administrator.
pub async fn home(v: Viewer, state: Shared, RawQuery(query): RawQuery) -> Response {
    let unit = v.unit.as_deref().unwrap_or("");
    match v.role() {
        Role::DutyOfficer | Role::UnitChief => match queue_access(&state.0, &v) {
            Ok(access) => queue(Viewer { access: Some(access), ..v }, state, query).await,
            Err(p) => error_page(&v, &p),
        },
        Role::Investigator => see_other(&link("/cases", &[("status", "investigating"), ("unit", unit)])),
        Role::ForensicExpert => see_other(&link("/examinations", &[("status", "requested"), ("unit", unit)])),
        Role::HqAnalyst => see_other("/report"),
        // The Board's staff land on its work: the secretary on the meetings, a
        // controller on the sheet of the tasks they control.
        Role::BoardSecretary => see_other("/meetings"),
        Role::Controller => {
            let login = v.caller.as_ref().map_or("", |c| c.principal.login.as_str());
            see_other(&link("/board/sheet", &[("controller", login)]))
        }
        // The appeals office has no pages of its own yet: its work is the API's.
        Role::PressOfficer | Role::AppealsOfficer | Role::Public | Role::System => see_other(FIGURES),
        Role::Administrator => see_other(USERS),
        // An inspector lands on the samples drawn for review.
        Role::Inspector => see_other("/samples"),
    }
}

/// The queue names applicants: it is personal data, shown within the user's units.
fn queue_access(registry: &Registry, v: &Viewer) -> Result<Access, crate::problem::Problem> {
    let caller = v.caller.as_ref().ok_or_else(crate::problem::unauthenticated)?;
    if v.unit.as_deref().is_some_and(|u| u.chars().any(char::is_control)) {
        return Err(crate::problem::Problem::param(crimeboard_domain::Violation::new("unit", "form.control")));
    }
    caller.require(registry, Action::ReadPersonalData, v.unit.as_deref())?;
    let within = registry.visible_units(&caller.principal, Action::ReadPersonalData);
    Ok(Access { within })
}

async fn queue(v: Viewer, State(registry): Shared, query: Option<String>) -> Response {
    let unit = v.unit.clone();
    let within = v.within();
    // A page number that is no number is the first page, as on the lists.
    let asked = Form::parse(query.as_deref().unwrap_or("").as_bytes()).text("page").parse::<u64>().ok();
    let page_no = asked.filter(|p| (1..=100_000).contains(p)).unwrap_or(1);
    let board_tasks = v.role() == Role::UnitChief && v.may(Action::ReadTasks);
    let principal = v.caller.as_ref().map(|c| c.principal.clone());
    let loaded = blocking(&registry, move |r| {
        let alerts = series_alerts(r, principal.as_ref(), unit.as_deref())?;
        let tasks = match (&unit, board_tasks) {
            (Some(unit), true) => Some(task_counts(r, unit)?),
            _ => None,
        };
        let params =
            QueueParams { within, unit, page: Some(page_no), per_page: Some(PER_PAGE), ..QueueParams::default() };
        let queue = r.queue(&params).map_err(crate::problem::Problem::from_query)?;
        let mut reports = Vec::with_capacity(queue.items.len());
        for record in &queue.items {
            if let crimeboard_domain::act::Entity::Report(report) =
                crimeboard_service::entity_of(record).map_err(crate::problem::Problem::from_service)?
            {
                reports.push(report);
            }
        }
        Ok(Loaded { reports, queue, tasks, alerts })
    })
    .await;
    let units = registry.units();
    let picker = unit_picker(&v, &units);
    let Loaded { reports, queue, tasks, alerts } = match loaded {
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
    let rules = &registry.jurisdiction().rules;
    let body = html! {
        h1 { (v.t("ui.home.title")) }
        (picker)
        h2 #queue { (v.t("ui.queue.title")) }
        (counts(&v, &queue.total))
        @if v.role() == Role::UnitChief { (by_unit(&v, &units, &queue.by_unit)) }
        (alert_list(&v, &units, v.unit.as_deref().unwrap_or_default(), &alerts))
        @if let Some((open, overdue)) = tasks {
            h2 #board-tasks { (v.t("ui.home.board_tasks")) }
            p {
                (v.fill("ui.home.board_tasks_count", &[("open", &format::integer(&v, open as i64)), ("overdue", &format::integer(&v, overdue as i64))]))
                " " a href=(link("/board/tasks", &[("unit", v.unit.as_deref().unwrap_or(""))])) { (v.t("ui.home.board_tasks_open")) }
            }
        }
        @if reports.is_empty() {
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
                        // Only those who decide see a column of decisions.
                        @if v.may(Action::DecideReport) { th scope="col" { (v.t("ui.col.action")) } }
                    } }
                    tbody {
                        @for r in &reports {
                            @let u = urgency_at(queue.now, queue.due_by, r.deadline);
                            tr class=[match u { Urgency::Overdue => Some("overdue"), Urgency::DueToday => Some("today"), Urgency::Later => None }] {
                                td { (format::deadline(&v, rules, r.deadline)) " " (mark(&v, u)) }
                                td.nowrap { a href={ "/reports/" (r.id) } { (r.register_no) } }
                                td { (format::instant(&v, rules, r.received_at)) }
                                td { (format::enum_label(&v, "channel", &r.channel)) }
                                td { (short(&r.summary)) }
                                td { (format::unit_name(&v, &units, r.unit.as_str())) }
                                @if v.may(Action::DecideReport) { td { a href={ "/reports/" (r.id) "/decide" } { (v.t("ui.action.decide")) } } }
                            }
                        }
                    }
                }
            }
        }
        (pager(&v, &queue))
    };
    page(&v, v.t("ui.home.title"), body)
}

/// A unit's alerts on series that hold its records and other units': in
/// its queue, each series once (raised when it first spanned them), for as
/// long as the series holds both and the unit has not acknowledged it.
fn series_alerts(
    r: &Registry,
    principal: Option<&crimeboard_domain::access::Principal>,
    unit: Option<&str>,
) -> Result<Vec<crimeboard_service::series::SeriesAlert>, crate::problem::Problem> {
    let (Some(principal), Some(unit)) = (principal, unit) else { return Ok(Vec::new()) };
    let Ok(code) = crimeboard_domain::units::UnitCode::parse(unit) else { return Ok(Vec::new()) };
    r.series_alerts(principal, &code).map_err(crate::problem::Problem::from_service)
}

fn alert_list(
    v: &Viewer,
    units: &crimeboard_domain::units::UnitTree,
    unit: &str,
    alerts: &[crimeboard_service::series::SeriesAlert],
) -> Markup {
    if alerts.is_empty() {
        return html! {};
    }
    html! {
        h2 #series-alerts { (v.t("ui.home.series_alerts")) }
        ul aria-labelledby="series-alerts" {
            @for a in alerts {
                li.series-alert {
                    a href=(super::paths::series_path(a.series)) {
                        (v.fill("ui.home.series_alert", &[("own", &format::integer(v, a.own as i64))]))
                    }
                    " — "
                    @for (i, e) in a.elsewhere.iter().enumerate() {
                        @if i > 0 { ", " }
                        (format::unit_name(v, units, e.unit.as_str())) " (" (format::integer(v, e.count as i64)) ")"
                    }
                    " "
                    @if v.may(Action::DecideReport) { a.acknowledge href=(super::paths::link(&format!("{}/acknowledge", super::paths::series_path(a.series)), &[("unit", unit)])) {
                        (v.t("ui.series.acknowledge")) span.visually-hidden { ": " (v.fill("ui.home.series_alert", &[("own", &format::integer(v, a.own as i64))])) }
                    } }
                }
            }
        }
    }
}

/// The Board's tasks in a unit's queue (its own and those escalated to it)
/// and how many of them are overdue, from the queue's first page, where the
/// overdue come first.
fn task_counts(r: &Registry, unit: &str) -> Result<(usize, usize), crate::problem::Problem> {
    let page = r
        .task_queue(unit, Some(1), Some(crimeboard_service::MAX_PER_PAGE))
        .map_err(crate::problem::Problem::from_query)?;
    let late = |l: &&crimeboard_service::TaskLine| {
        matches!(
            l.step,
            Some(crimeboard_domain::task::EscalationStep::Overdue | crimeboard_domain::task::EscalationStep::Overdue14)
        )
    };
    Ok((page.total, page.items.iter().filter(late).count()))
}

/// Earlier and later deadlines, the unit kept.
fn pager(v: &Viewer, queue: &crimeboard_service::Queue) -> Markup {
    let unit = v.unit.as_deref().unwrap_or("");
    let to = |page: u64| {
        let page = page.to_string();
        let mut pairs = vec![("page", page.as_str())];
        if !unit.is_empty() {
            pairs.insert(0, ("unit", unit));
        }
        format!("{}#queue", link("/", &pairs))
    };
    let prev = (queue.page > 1).then(|| to(queue.page - 1));
    let next = queue.has_more.then(|| to(queue.page + 1));
    html! {
        @if prev.is_some() || next.is_some() {
            nav aria-label=(v.t("ui.pager.label")) {
                ul.pager {
                    @if let Some(h) = prev { li { a href=(h) rel="prev" { "← " (v.t("ui.pager.prev")) } } }
                    li { (v.fill("ui.pager.page", &[("page", &format::integer(v, queue.page as i64))])) }
                    @if let Some(h) = next { li { a href=(h) rel="next" { (v.t("ui.pager.next")) " →" } } }
                }
            }
        }
    }
}

/// For a chief: how many wait, are overdue and are due today in each unit
/// below, counted by the database over the whole queue.
fn by_unit(v: &Viewer, units: &crimeboard_domain::units::UnitTree, rows: &[QueueCount]) -> Markup {
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
                        @for row in rows {
                            tr {
                                th scope="row" { (format::unit_name(v, units, &row.unit)) }
                                td.num { (format::integer(v, row.waiting)) }
                                td.num { (format::integer(v, row.overdue)) }
                                td.num { (format::integer(v, row.due_today)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// How many wait, are overdue and are due today, over the whole queue.
fn counts(v: &Viewer, total: &QueueCount) -> Markup {
    html! {
        @if total.waiting > 0 {
            p {
                (v.fill("ui.queue.counts", &[
                    ("waiting", &format::integer(v, total.waiting)),
                    ("overdue", &format::integer(v, total.overdue)),
                    ("today", &format::integer(v, total.due_today)),
                ]))
            }
        }
    }
}

fn unit_picker(v: &Viewer, units: &crimeboard_domain::units::UnitTree) -> Markup {
    let form = Form::default().with("unit", v.unit.clone().unwrap_or_default());
    html! {
        form.filters method="get" action="/" {
            (field("unit", "ui.field.unit").select(v, &form, &format::unit_options(v, units, format::Blank::Everything("ui.unit.all"))))
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
