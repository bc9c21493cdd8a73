//! The Board's tasks: a task's page (what, who, when, its sub-tasks rolled
//! up, its targets against their baseline, its reports back and decisions),
//! the owner's report back, the controller's decision (for the task's
//! controller alone), a unit's queue and the controller's sheet.

use super::export;
use super::form::{self, Form, field, options};
use super::format;
use super::layout::{page, page_with_status};
use super::paths::link;
use super::report::significance;
use super::reports::record;
use super::respond::{PageId, error_page};
use super::rows::table;
use super::task_lines::{self, Lines, columns, row};
use super::timeline::timeline;
use super::viewer::Viewer;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use crimeboard_domain::access::{Action, Denied};
use crimeboard_domain::journal::JournalEntry;
use crimeboard_domain::task::{ControlDecision, Expected, ReportKind, Task, TaskControl, TaskReport, TaskStatus};
use crimeboard_domain::{Command, EntityKind, Violation};
use crimeboard_export::sheet::Cell;
use crimeboard_service::{ListParams, Registry, SheetFilter, TaskPage, TaskProgress};
use maud::{Markup, html};
use std::sync::Arc;

pub const QUEUE_PATH: &str = "/board/tasks";
pub const SHEET_PATH: &str = "/board/sheet";
const PER_PAGE: u64 = 50;

const CONFIDENCES: [(&str, &str); 3] = [
    ("on_track", "ui.confidence.on_track"),
    ("at_risk", "ui.confidence.at_risk"),
    ("off_track", "ui.confidence.off_track"),
];

const REPORT_KINDS: [(&str, &str); 3] = [
    ("interim", "ui.report_kind.interim"),
    ("ask_closure", "ui.report_kind.ask_closure"),
    ("ask_extension", "ui.report_kind.ask_extension"),
];

const DECISIONS: [(&str, &str); 3] =
    [("close", "ui.task_decision.close"), ("extend", "ui.task_decision.extend"), ("return", "ui.task_decision.return")];

fn login(v: &Viewer) -> &str {
    v.caller.as_ref().map_or("", |c| c.principal.login.as_str())
}

// A task's page.

struct Shown {
    progress: TaskProgress,
    history: Vec<(JournalEntry, bool)>,
    meeting_number: Option<String>,
    parent_number: Option<String>,
}

pub async fn show(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let loaded = blocking(&registry, move |r| {
        let progress = r.task_progress(id).map_err(Problem::from_service)?;
        let history = r.history(id).map_err(Problem::from_service)?;
        let meeting_number = progress.task.meeting_id.and_then(|m| r.get(m).ok()).map(|m| m.number);
        let parent_number = progress.task.issued.parent_task_id.and_then(|p| r.get(p).ok()).map(|p| p.number);
        Ok(Shown { progress, history, meeting_number, parent_number })
    })
    .await;
    match loaded {
        Ok(shown) => task_page(&v, &registry, &shown),
        Err(p) => error_page(&v, &p),
    }
}

fn task_page(v: &Viewer, registry: &Registry, shown: &Shown) -> Response {
    let units = registry.units();
    let t = &shown.progress.task;
    let unit = |code: &str| format::unit_name(v, &units, code);
    let co: Vec<String> = t.issued.co_executors.iter().map(|u| unit(u.as_str())).collect();
    let open = t.status != TaskStatus::Closed;
    let title = format!("{} — {}", v.t("ui.kind.task"), t.number);
    let body = html! {
        h1 { (title) }
        ul.actions {
            @if open && v.may(Action::ReportOnTasks) { li { a.button href={ "/tasks/" (t.id) "/report" } { (v.t("ui.task.report_back")) } } }
            @if open && login(v) == t.issued.controller { li { a.button href={ "/tasks/" (t.id) "/control" } { (v.t("ui.task.decide")) } } }
            @if let (true, true, Some(m)) = (open, v.may(Action::ManageMeetings), t.meeting_id) {
                li { a href=(link(&format!("/meetings/{m}/tasks/new"), &[("parent", &t.id.to_string())])) { (v.t("ui.task.issue_subtask")) } }
            }
        }
        p.prose { (t.issued.text) }
        dl.facts {
            dt { (v.t("ui.col.status")) } dd #task-status { (format::label(v, "status", t.status.as_str())) }
            dt { (v.t("ui.task.due_on")) } dd #task-due { (task_lines::due_with_extensions(v, t.due_on, t.extensions)) }
            dt { (v.t("ui.task.extensions")) } dd #task-extensions { (t.extensions) }
            dt { (v.t("ui.task.step")) } dd { @match shown.progress.step {
                Some(step) => { span.mark.overdue[step.levels_up() > 0] { (task_lines::step(v, Some(step))) } },
                None => { "—" },
            } }
            dt { (v.t("ui.task.owner")) } dd { (unit(t.owner().as_str())) }
            dt { (v.t("ui.task.co_executors")) } dd { @if co.is_empty() { "—" } @else { (co.join(", ")) } }
            dt { (v.t("ui.task.controller")) } dd { (t.issued.controller) }
            dt { (v.t("ui.task.control_level")) } dd { (format::enum_label(v, "control_level", &t.issued.control_level)) }
            dt { (v.t("ui.task.authority")) } dd { (t.issued.authority) }
            dt { (v.t("ui.task.issued_on")) } dd { (format::date(v, t.issued_on)) }
            @if let (Some(m), Some(number)) = (t.meeting_id, &shown.meeting_number) {
                dt { (v.t("ui.kind.meeting")) } dd { a href={ "/meetings/" (m) } { (number) } }
            }
            @if let (Some(p), Some(number)) = (t.issued.parent_task_id, &shown.parent_number) {
                dt { (v.t("ui.task.subtask_of")) } dd { a href={ "/tasks/" (p) } { (number) } }
            }
            dt { (v.t("ui.task.owner_confidence")) } dd { (task_lines::confidence(v, t.owner_confidence())) }
            dt { (v.t("ui.task.controller_confidence")) } dd { (task_lines::confidence(v, t.controller_confidence())) }
        }
        h2 #subtasks { (v.t("ui.task.subtasks")) }
        ul { @for (status, count) in &shown.progress.subtasks {
            li { (format::label(v, "status", status.as_str())) ": " (count) }
        } }
        @if !shown.progress.targets.is_empty() { (targets(v, &shown.progress)) }
        h2 #history { (v.t("ui.task.history")) }
        (timeline(v, registry, &shown.history))
    };
    page(v, &title, body)
}

fn expected(v: &Viewer, e: Expected) -> String {
    match e {
        Expected::Decrease => v.t("ui.expected.decrease").to_string(),
        Expected::Increase => v.t("ui.expected.increase").to_string(),
        Expected::AtMost { value } => format!("{} {}", v.t("ui.expected.at_most"), format::integer(v, value)),
        Expected::AtLeast { value } => format!("{} {}", v.t("ui.expected.at_least"), format::integer(v, value)),
    }
}

/// Each target against its baseline: the indicator now, the change with the
/// Board report's significance mark, met or not, and, once closure was
/// asked, what the owner's request read.
fn targets(v: &Viewer, progress: &TaskProgress) -> Markup {
    let name = |code: &str| -> String {
        v.pack
            .indicators
            .indicators
            .iter()
            .find(|i| i.code == code)
            .map_or(code, |i| format::names(v, &i.name))
            .to_string()
    };
    let asked = progress.task.status == TaskStatus::ClosureAsked;
    html! {
        h2 #targets { (v.t("ui.task.targets")) }
        @if asked { p.notice { (v.t("ui.task.evaluation_for_closure")) } }
        div.table-wrap role="region" tabindex="0" aria-labelledby="targets" { table aria-labelledby="targets" {
            thead { tr {
                th scope="col" { (v.t("ui.report.indicator")) }
                th scope="col" { (v.t("ui.task.expected")) }
                th scope="col" .num { (v.t("ui.task.baseline")) }
                th scope="col" .num { (v.t("ui.task.now")) }
                th scope="col" .num { (v.t("ui.report.percent")) }
                th scope="col" { (v.t("ui.report.significance")) }
                th scope="col" { (v.t("ui.task.met")) }
            } }
            tbody { @for t in &progress.targets { tr {
                th scope="row" { (name(&t.target.indicator)) }
                td { (expected(v, t.target.expected)) }
                td.num { (format::integer(v, t.target.baseline.value)) }
                td.num { (format::integer(v, t.now.value)) }
                td.num { @match t.change.percent { Some(p) => { (format::decimal(v, p)) " %" }, None => "—" } }
                td { (significance(v, &t.change)) }
                td { @if t.met { "✓ " (v.t("ui.task.met_yes")) } @else { "✗ " (v.t("ui.task.met_no")) } }
            } } }
        } }
    }
}

async fn load_task(registry: &Arc<Registry>, id: uuid::Uuid) -> Result<Task, Problem> {
    blocking(registry, move |r| r.task(id).map_err(Problem::from_service)).await
}

fn facts(v: &Viewer, t: &Task) -> Markup {
    html! {
        p { a href={ "/tasks/" (t.id) } { (v.t("ui.task.back")) } }
        dl.facts {
            dt { (v.t("ui.task.text")) } dd { (format::short(&t.issued.text)) }
            dt { (v.t("ui.col.status")) } dd { (format::label(v, "status", t.status.as_str())) }
            dt { (v.t("ui.task.due_on")) } dd { (task_lines::due_with_extensions(v, t.due_on, t.extensions)) }
        }
    }
}

fn required_date(form: &mut Form, name: &str) -> Option<NaiveDate> {
    if form.text(name).is_empty() {
        form.reject(Violation::new(name, "text.required"));
        return None;
    }
    form.optional_date(name)
}

// The owner's report back.

pub async fn report_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    match load_task(&registry, id).await {
        Ok(t) => report_page(&v, &t, &Form::default(), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn report_page(v: &Viewer, t: &Task, form: &Form, status: StatusCode) -> Response {
    let fields = html! {
        (form::radios(v, form, "kind", "ui.task.report.kind", &REPORT_KINDS))
        (field("kind.new_due_on", "ui.task.new_due_on").help(v.t("ui.task.extension_help")).input(v, form, "date"))
        (field("kind.reason", "ui.task.reason").help(v.t("ui.task.extension_help")).textarea(v, form))
        (field("text", "ui.task.report.text").required().textarea(v, form))
        (field("confidence", "ui.task.confidence").required().select(v, form, &options(v, Some("ui.choose"), &CONFIDENCES)))
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.task.report_back"), t.number);
    let body = html! {
        h1 { (title) }
        (facts(v, t))
        (form::summary(v, form))
        (form::post(v, &format!("/tasks/{}/report", t.id), "ui.action.save", fields))
    };
    page_with_status(v, status, &title, body)
}

pub async fn report(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let mut form = Form::parse(&body).renamed(&[("task_id", "kind")]);
    let task = match load_task(&registry, id).await {
        Ok(t) => t,
        Err(p) => return error_page(&v, &p),
    };
    let kind = match form.get("kind") {
        "interim" => Some(ReportKind::Interim),
        "ask_closure" => Some(ReportKind::AskClosure),
        "ask_extension" => required_date(&mut form, "kind.new_due_on")
            .map(|new_due_on| ReportKind::AskExtension { new_due_on, reason: form.text("kind.reason") }),
        "" => {
            form.reject(Violation::new("kind", "text.required"));
            None
        }
        _ => {
            form.reject(Violation::new("kind", "form.choice"));
            None
        }
    };
    let confidence = form.choice("confidence");
    let (Some(kind), Some(confidence), false) = (kind, confidence, form.has_errors()) else {
        let reason: &[&str] = if form.get("kind") == "ask_extension" { &["kind.reason"] } else { &[] };
        form.require_texts(&[reason, &["text", "legal_ground"]].concat());
        return report_page(&v, &task, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::ReportOnTask(TaskReport { task_id: id, kind, text: form.text("text"), confidence });
    record(&v, &registry, form, command, |f, s| report_page(&v, &task, f, s)).await
}

// The controller's decision.

/// The task, if the viewer is its controller: the one who alone may decide on it.
async fn controlled(v: &Viewer, registry: &Arc<Registry>, id: uuid::Uuid) -> Result<Task, Problem> {
    let task = load_task(registry, id).await?;
    if login(v) != task.issued.controller {
        return Err(crate::problem::denied(Denied::NotController));
    }
    Ok(task)
}

pub async fn control_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    match controlled(&v, &registry, id).await {
        Ok(t) => control_page(&v, &t, &Form::default(), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn control_page(v: &Viewer, t: &Task, form: &Form, status: StatusCode) -> Response {
    let asked = t.reports.last().filter(|_| t.status != TaskStatus::Open);
    let fields = html! {
        (form::radios(v, form, "decision.kind", "ui.task.decision.kind", &DECISIONS))
        (field("decision.justification", "ui.task.justification").help(v.t("ui.task.justification_help")).textarea(v, form))
        (field("decision.new_due_on", "ui.task.new_due_on").help(v.t("ui.task.extend_help")).input(v, form, "date"))
        (field("decision.reason", "ui.task.reason").help(v.t("ui.task.reason_help")).textarea(v, form))
        (field("confidence", "ui.task.confidence").required().select(v, form, &options(v, Some("ui.choose"), &CONFIDENCES)))
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.task.decide"), t.number);
    let body = html! {
        h1 { (title) }
        (facts(v, t))
        @if let Some(r) = asked {
            p.notice { (format::label(v, "report_kind", kind_code(&r.kind))) ": " (r.text)
                @if let ReportKind::AskExtension { new_due_on, reason } = &r.kind { " — " (format::day(v, *new_due_on)) ", " (reason) } }
        }
        (form::summary(v, form))
        (form::post(v, &format!("/tasks/{}/control", t.id), "ui.action.save", fields))
    };
    page_with_status(v, status, &title, body)
}

fn kind_code(k: &ReportKind) -> &'static str {
    match k {
        ReportKind::Interim => "interim",
        ReportKind::AskClosure => "ask_closure",
        ReportKind::AskExtension { .. } => "ask_extension",
    }
}

pub async fn control(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let mut form = Form::parse(&body).renamed(&[("task_id", "decision.kind")]);
    let task = match controlled(&v, &registry, id).await {
        Ok(t) => t,
        Err(p) => return error_page(&v, &p),
    };
    let decision = match form.get("decision.kind") {
        "close" => Some(ControlDecision::Close { justification: form.text("decision.justification") }),
        "extend" => required_date(&mut form, "decision.new_due_on")
            .map(|new_due_on| ControlDecision::Extend { new_due_on, reason: form.text("decision.reason") }),
        "return" => Some(ControlDecision::Return { reason: form.text("decision.reason") }),
        "" => {
            form.reject(Violation::new("decision.kind", "text.required"));
            None
        }
        _ => {
            form.reject(Violation::new("decision.kind", "form.choice"));
            None
        }
    };
    let confidence = form.choice("confidence");
    let (Some(decision), Some(confidence), false) = (decision, confidence, form.has_errors()) else {
        let reason: &[&str] =
            if matches!(form.get("decision.kind"), "extend" | "return") { &["decision.reason"] } else { &[] };
        form.require_texts(&[reason, &["legal_ground"]].concat());
        return control_page(&v, &task, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::ControlTask(TaskControl { task_id: id, decision, confidence });
    record(&v, &registry, form, command, |f, s| control_page(&v, &task, f, s)).await
}

// A unit's queue.

fn page_number(form: &Form) -> u64 {
    form.text("page").parse::<u64>().ok().filter(|p| *p >= 1).unwrap_or(1)
}

pub async fn queue(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let mut form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    form.reject_control_characters();
    if form.get("unit").is_empty() {
        form = form.with("unit", v.unit.clone().unwrap_or_default());
    }
    let (unit, page_no) = (form.text("unit"), page_number(&form));
    let found = if form.has_errors() {
        None
    } else {
        match blocking(&registry, move |r| {
            r.task_queue(&unit, Some(page_no), Some(PER_PAGE)).map_err(Problem::from_query)
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
    let controls = html! {
        form.filters method="get" action=(QUEUE_PATH) aria-label=(v.t("ui.filters")) {
            (field("unit", "ui.field.unit").select(&v, &form, &format::unit_options(&v, &units, format::Blank::Choose)))
            button type="submit" { (v.t("ui.action.show")) }
        }
    };
    let title = v.t("ui.task.queue");
    let body = html! {
        h1 { (title) }
        p.help { (v.t("ui.task.ladder_help")) }
        (form::summary(&v, &form))
        (controls)
        @if let Some(found) = &found {
            p { (v.fill("ui.task.counted_on", &[("day", &format::day(&v, found.today)), ("total", &found.total.to_string())])) }
            @let rows: Vec<_> = found.items.iter().map(|l| row(&v, &units, l, Lines::Queue)).collect();
            (table(&v, title, &columns(Lines::Queue), &rows))
            (pager(&v, QUEUE_PATH, &form, &["unit"], found))
        }
    };
    page(&v, title, body)
}

fn pager(v: &Viewer, path: &str, form: &Form, keys: &[&str], found: &TaskPage) -> Markup {
    let href = |page: u64| {
        let page = page.to_string();
        let mut pairs: Vec<(&str, &str)> = keys.iter().map(|k| (*k, form.get(k))).collect();
        pairs.push(("page", &page));
        link(path, &pairs)
    };
    let page_no = format::integer(v, found.page as i64);
    html! {
        nav aria-label=(v.t("ui.pager.label")) {
            ul.pager {
                @if found.page > 1 { li { a href=(href(found.page - 1)) rel="prev" { "← " (v.t("ui.pager.prev")) } } }
                li { (v.fill("ui.pager.page", &[("page", &page_no)])) }
                @if found.has_more { li { a href=(href(found.page + 1)) rel="next" { (v.t("ui.pager.next")) " →" } } }
            }
        }
    }
}

// The controller's sheet.

/// A page of the sheet, or for a file every line the filters select.
fn sheet_lines(r: &Registry, mut filter: SheetFilter, every_page: bool) -> Result<TaskPage, Problem> {
    let mut found = r.task_sheet(&filter).map_err(Problem::from_query)?;
    while every_page && found.has_more {
        filter.page = Some(found.page + 1);
        let next = r.task_sheet(&filter).map_err(Problem::from_query)?;
        found.items.extend(next.items);
        (found.page, found.has_more) = (next.page, next.has_more);
    }
    Ok(found)
}

const SHEET_KEYS: [&str; 6] = ["status", "unit", "meeting_id", "controller", "due_from", "due_to"];

fn sheet_filter(v: &Viewer, form: &mut Form) -> SheetFilter {
    form.reject_control_characters();
    let status = match form.text("status").as_str() {
        "" => None,
        typed => TaskStatus::parse(typed).or_else(|| {
            form.reject(Violation::new("status", "form.choice"));
            None
        }),
    };
    let meeting_id = match form.text("meeting_id").as_str() {
        "" => None,
        typed => uuid::Uuid::parse_str(typed).ok().or_else(|| {
            form.reject(Violation::new("meeting_id", "form.choice"));
            None
        }),
    };
    SheetFilter {
        status,
        unit: form.optional_text("unit"),
        meeting_id,
        controller: form.optional_text("controller"),
        due_from: form.optional_date("due_from"),
        due_to: form.optional_date("due_to"),
        page: Some(page_number(form)),
        per_page: Some(PER_PAGE),
        within: v.within(),
    }
}

pub async fn sheet(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let mut form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    let mut filter = sheet_filter(&v, &mut form);
    let file = export::requested(&form);
    if file.is_some() {
        filter.page = Some(1);
        filter.per_page = Some(crimeboard_service::MAX_PER_PAGE);
    }
    let within = v.within();
    let found = if form.has_errors() {
        None
    } else {
        let asked = blocking(&registry, move |r| {
            let meetings = r.list(&ListParams {
                kind: Some(EntityKind::Meeting),
                per_page: Some(200),
                within,
                ..Default::default()
            });
            let meetings = meetings.map_err(Problem::from_query)?.items;
            Ok((sheet_lines(r, filter, file.is_some()), meetings))
        })
        .await;
        match asked {
            Ok((Ok(found), meetings)) => Some((found, meetings)),
            Ok((Err(p), _)) if p.status == StatusCode::BAD_REQUEST => {
                form.reject_all(p.errors);
                None
            }
            Ok((Err(p), _)) | Err(p) => return error_page(&v, &p),
        }
    };
    let units = registry.units();
    if let (Some(format), Some((found, _))) = (file, &found) {
        return sheet_file(&v, &registry, &units, found, format).await;
    }
    let meetings = found.as_ref().map(|(_, m)| m.as_slice()).unwrap_or_default();
    let statuses: Vec<(String, String)> = std::iter::once((String::new(), v.t("ui.status.any").to_string()))
        .chain(TaskStatus::ALL.iter().map(|s| (s.as_str().to_string(), format::label(&v, "status", s.as_str()))))
        .collect();
    let meeting_choices: Vec<(String, String)> =
        std::iter::once((String::new(), v.t("ui.task.any_meeting").to_string()))
            .chain(meetings.iter().map(|m| (m.id.to_string(), m.number.clone())))
            .collect();
    let controls = html! {
        form.filters method="get" action=(SHEET_PATH) aria-label=(v.t("ui.filters")) {
            (field("status", "ui.field.status").select(&v, &form, &statuses))
            (field("unit", "ui.field.unit").select(&v, &form, &format::unit_options(&v, &units, format::Blank::Everything("ui.unit.all"))))
            (field("meeting_id", "ui.kind.meeting").select(&v, &form, &meeting_choices))
            (field("controller", "ui.task.controller").input(&v, &form, "text"))
            (field("due_from", "ui.task.due_from").input(&v, &form, "date"))
            (field("due_to", "ui.task.due_to").input(&v, &form, "date"))
            button type="submit" { (v.t("ui.action.filter")) }
        }
    };
    let title = v.t("ui.task.sheet");
    let body = html! {
        h1 { (title) }
        (form::summary(&v, &form))
        (controls)
        @if let Some((found, _)) = &found {
            p { (v.fill("ui.task.counted_on", &[("day", &format::day(&v, found.today)), ("total", &found.total.to_string())])) }
            @let rows: Vec<_> = found.items.iter().map(|l| row(&v, &units, l, Lines::Sheet)).collect();
            (table(&v, title, &columns(Lines::Sheet), &rows))
            (pager(&v, SHEET_PATH, &form, &SHEET_KEYS, found))
            @let file_link = |format: &str| {
                let mut pairs: Vec<(&str, &str)> = SHEET_KEYS.iter().map(|k| (*k, form.get(k))).collect();
                pairs.push(("format", format));
                link(SHEET_PATH, &pairs)
            };
            ul.actions aria-label=(v.t("ui.export.label")) {
                li { a href=(file_link("csv")) { (v.t("ui.export.csv")) } }
                li { a href=(file_link("xlsx")) { (v.t("ui.export.xlsx")) } }
            }
        }
    };
    page(&v, title, body)
}

/// The sheet as a file: the lines the filters select, up to a page's most,
/// recorded in the audit trail as every export is.
async fn sheet_file(
    v: &Viewer,
    registry: &Arc<Registry>,
    units: &crimeboard_domain::units::UnitTree,
    found: &TaskPage,
    format: crimeboard_export::Format,
) -> Response {
    let viewer = v.clone();
    let audited = blocking(registry, move |r| {
        let query = viewer.here.split_once('?').map_or("", |(_, q)| q);
        viewer.audit(r, "export.tasks", "", query)
    })
    .await;
    if let Err(p) = audited {
        return error_page(v, &p);
    }
    let header: Vec<String> = columns(Lines::Sheet).iter().map(|c| v.t(c.key).to_string()).collect();
    let rows: Vec<Vec<Cell>> = found
        .items
        .iter()
        .map(|l| row(v, units, l, Lines::Sheet).1.into_iter().map(|c| Cell::Text(c.text)).collect())
        .collect();
    export::file(v, v.t("ui.task.sheet"), "tasks", &header, &rows, format)
}
