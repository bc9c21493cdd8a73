//! The Board's meetings: a meeting's page (agenda, rapporteurs, attendance,
//! minutes, its tasks), the forms that schedule one, record its minutes and
//! issue the tasks it decided, and its memo of commitments. Lists with many
//! items (the agenda, the rapporteurs, the attendance, a task's targets) are
//! typed in a fixed number of numbered rows, blank rows left out.

use super::form::{self, Form, field, options};
use super::format;
use super::layout::{page, page_with_status};
use super::paths::link;
use super::reports::record;
use super::respond::{PageId, error_page};
use super::rows::table;
use super::task_lines::{Lines, columns, row};
use super::viewer::{Viewer, query_value};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::access::Action;
use crimeboard_domain::meeting::{AgendaItem, Attendee, Meeting, MeetingMinutes, NewMeeting, Rapporteur};
use crimeboard_domain::task::{Expected, NewTask, Target, Task};
use crimeboard_domain::units::UnitCode;
use crimeboard_domain::{Command, Violation};
use crimeboard_service::{CommitmentsMemo, Registry};
use maud::{Markup, html};
use std::sync::Arc;

/// Rows offered for the agenda, the rapporteurs and a task's targets.
pub const ROWS: usize = 5;
/// Rows offered for the attendance.
pub const ATTENDANCE_ROWS: usize = 10;

pub const NEW_PATH: &str = "/meetings/new";

const KINDS: [(&str, &str); 3] = [
    ("quarterly", "ui.meeting_kind.quarterly"),
    ("extended", "ui.meeting_kind.extended"),
    ("field", "ui.meeting_kind.field"),
];

pub const CONTROL_LEVELS: [(&str, &str); 3] = [
    ("minister", "ui.control_level.minister"),
    ("deputy_minister", "ui.control_level.deputy_minister"),
    ("department", "ui.control_level.department"),
];

const EXPECTATIONS: [(&str, &str); 4] = [
    ("decrease", "ui.expected.decrease"),
    ("increase", "ui.expected.increase"),
    ("at_most", "ui.expected.at_most"),
    ("at_least", "ui.expected.at_least"),
];

fn row_name(list: &str, row: usize, name: &str) -> String {
    format!("{list}.{row}.{name}")
}

/// The rows of `list` (out of `count`) where any of the controls holds something.
fn filled(form: &Form, list: &str, count: usize, names: &[&str]) -> Vec<usize> {
    (0..count).filter(|row| names.iter().any(|n| !form.text(&row_name(list, *row, n)).is_empty())).collect()
}

/// Codes typed between commas, blanks dropped.
fn codes(typed: &str) -> Vec<String> {
    typed.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect()
}

/// Unit codes typed between commas; one that cannot be a code is named at `control`.
fn unit_codes(form: &mut Form, control: &str) -> Vec<UnitCode> {
    let mut units = Vec::new();
    for typed in codes(&form.text(control)) {
        match UnitCode::parse(&typed) {
            Ok(code) => units.push(code),
            Err(v) => form.reject(Violation { field: control.to_string(), ..v }),
        }
    }
    units
}

async fn load_meeting(registry: &Arc<Registry>, id: uuid::Uuid) -> Result<Meeting, Problem> {
    blocking(registry, move |r| r.meeting(id).map_err(Problem::from_service)).await
}

fn units(v: &Viewer, registry: &Registry) -> Vec<(String, String)> {
    format::unit_options(v, &registry.units(), format::Blank::Choose)
}

// Scheduling a meeting.

pub async fn schedule_form(v: Viewer, State(registry): Shared) -> Response {
    let root = registry.units().all().next().map(|u| u.code.to_string()).unwrap_or_default();
    let form = Form::default().with("unit", root).with("kind", "quarterly");
    schedule_page(&v, &registry, &form, StatusCode::OK)
}

fn schedule_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let unit_choices = units(v, registry);
    let items: Vec<(String, String)> = std::iter::once((String::new(), v.t("ui.choose").to_string()))
        .chain(
            (0..ROWS).map(|i| (i.to_string(), v.fill("ui.meeting.item_number", &[("number", &(i + 1).to_string())]))),
        )
        .collect();
    let fields = html! {
        (field("unit", "ui.meeting.unit").required().help(v.t("ui.meeting.unit_help")).select(v, form, &unit_choices))
        (field("title", "ui.meeting.title").required().input(v, form, "text"))
        (field("kind", "ui.meeting.kind").required().select(v, form, &options(v, Some("ui.choose"), &KINDS)))
        (field("held_on", "ui.meeting.held_on").required().input(v, form, "date"))
        (field("period_from", "ui.meeting.period_from").required().input(v, form, "date"))
        (field("period_to", "ui.meeting.period_to").required().input(v, form, "date"))
        @for i in 0..ROWS {
            fieldset {
                legend { (v.fill("ui.meeting.item_number", &[("number", &(i + 1).to_string())])) }
                @let topic_name = row_name("agenda", i, "topic");
                @let topic = field(&topic_name, "ui.meeting.topic");
                (if i == 0 { topic.required() } else { topic }.input(v, form, "text"))
                (field(&row_name("agenda", i, "indicators"), "ui.meeting.indicators").help(v.t("ui.meeting.indicators_help")).input(v, form, "text"))
                (field(&row_name("agenda", i, "units"), "ui.meeting.units").help(v.t("ui.briefing.units_help")).input(v, form, "text"))
            }
        }
        @for i in 0..ROWS {
            fieldset {
                legend { (v.fill("ui.meeting.rapporteur_number", &[("number", &(i + 1).to_string())])) }
                (field(&row_name("rapporteurs", i, "full_name"), "ui.field.full_name").input(v, form, "text"))
                (field(&row_name("rapporteurs", i, "position"), "ui.meeting.position").input(v, form, "text"))
                (field(&row_name("rapporteurs", i, "unit"), "ui.field.unit").select(v, form, &unit_choices))
                (field(&row_name("rapporteurs", i, "item"), "ui.meeting.item").select(v, form, &items))
            }
        }
        (form::envelope(v, form))
    };
    let title = v.t("ui.meeting.schedule");
    let body = html! {
        h1 { (title) }
        p.help { (v.t("ui.meeting.rows_help")) }
        (form::summary(v, form))
        (form::post(v, NEW_PATH, "ui.action.save", fields))
    };
    page_with_status(v, status, title, body)
}

pub async fn schedule(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let unit = form.unit("unit");
    let kind = form.choice("kind");
    let held_on = required_date(&mut form, "held_on");
    let period_from = required_date(&mut form, "period_from");
    let period_to = required_date(&mut form, "period_to");
    let (agenda, agenda_rows) = agenda(&mut form);
    let rapporteurs = rapporteurs(&mut form, &agenda_rows);
    let (Some(unit), Some(kind), Some(held_on), Some(period_from), Some(period_to), Some(rapporteurs), false) =
        (unit, kind, held_on, period_from, period_to, rapporteurs, form.has_errors())
    else {
        form.require_texts(&["title", "legal_ground"]);
        return schedule_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::ScheduleMeeting(NewMeeting {
        unit,
        held_on,
        kind,
        period_from,
        period_to,
        title: form.text("title"),
        agenda,
        rapporteurs,
    });
    record(&v, &registry, form, command, |f, s| schedule_page(&v, &registry, f, s)).await
}

fn required_date(form: &mut Form, name: &str) -> Option<chrono::NaiveDate> {
    if form.text(name).is_empty() {
        form.reject(Violation::new(name, "text.required"));
        return None;
    }
    form.optional_date(name)
}

/// The agenda's filled rows, and the row of each item; no item at all is
/// the first row's topic missing.
fn agenda(form: &mut Form) -> (Vec<AgendaItem>, Vec<usize>) {
    let (mut items, mut rows) = (Vec::new(), Vec::new());
    for i in filled(form, "agenda", ROWS, &["topic", "indicators", "units"]) {
        let units = unit_codes(form, &row_name("agenda", i, "units"));
        let topic = form.text(&row_name("agenda", i, "topic"));
        items.push(AgendaItem { topic, indicators: codes(&form.text(&row_name("agenda", i, "indicators"))), units });
        rows.push(i);
    }
    if items.is_empty() {
        form.reject(Violation::new(row_name("agenda", 0, "topic"), "text.required"));
    }
    form.numbered("agenda", rows.clone());
    (items, rows)
}

/// The rapporteurs' filled rows; each names the agenda row it reports on.
/// None when one cannot be read (the problems are on the form).
fn rapporteurs(form: &mut Form, agenda_rows: &[usize]) -> Option<Vec<Rapporteur>> {
    let (mut all, mut rows, mut complete) = (Vec::new(), Vec::new(), true);
    for i in filled(form, "rapporteurs", ROWS, &["full_name", "position", "unit", "item"]) {
        let unit = form.unit(&row_name("rapporteurs", i, "unit"));
        let item_control = row_name("rapporteurs", i, "item");
        let item = match form.text(&item_control).parse::<usize>() {
            Ok(row) => agenda_rows.iter().position(|r| *r == row).or_else(|| {
                form.reject(Violation::new(&item_control, "meeting.no_such_item").with("items", agenda_rows.len()));
                None
            }),
            Err(_) => {
                form.reject(Violation::new(&item_control, "text.required"));
                None
            }
        };
        let full_name = form.text(&row_name("rapporteurs", i, "full_name"));
        let position = form.text(&row_name("rapporteurs", i, "position"));
        match (unit, item) {
            (Some(unit), Some(item)) => all.push(Rapporteur { full_name, position, unit, item }),
            _ => complete = false,
        }
        rows.push(i);
    }
    form.numbered("rapporteurs", rows);
    complete.then_some(all)
}

// A meeting's page.

pub async fn show(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let memo = match blocking(&registry, move |r| r.commitments_memo(id).map_err(Problem::from_service)).await {
        Ok(memo) => memo,
        Err(p) => return error_page(&v, &p),
    };
    let units = registry.units();
    let m = &memo.meeting;
    let s = &m.scheduled;
    let title = format!("{} — {}", m.number, s.title);
    let manages = v.may(Action::ManageMeetings);
    let body = html! {
        h1 { (title) }
        ul.actions {
            @if manages && m.minutes.is_none() { li { a.button href={ "/meetings/" (id) "/minutes" } { (v.t("ui.meeting.record_minutes")) } } }
            @if manages { li { a.button href={ "/meetings/" (id) "/tasks/new" } { (v.t("ui.meeting.issue_task")) } } }
            li { a href={ "/meetings/" (id) "/commitments" } { (v.t("ui.meeting.commitments")) } }
            @if v.may(Action::ReadFigures) { li { a href=(briefing_link(m)) { (v.t("ui.meeting.briefing")) } } }
        }
        dl.facts {
            dt { (v.t("ui.col.status")) } dd { (format::label(&v, "status", m.status())) }
            dt { (v.t("ui.meeting.kind")) } dd { (format::enum_label(&v, "meeting_kind", &s.kind)) }
            dt { (v.t("ui.meeting.held_on")) } dd { (format::date(&v, s.held_on)) }
            dt { (v.t("ui.meeting.period")) } dd { (format::day(&v, s.period_from)) " — " (format::day(&v, s.period_to)) }
            dt { (v.t("ui.meeting.unit")) } dd { (format::unit_name(&v, &units, s.unit.as_str())) }
        }
        h2 #agenda { (v.t("ui.meeting.agenda")) }
        ol {
            @for (i, item) in s.agenda.iter().enumerate() {
                li {
                    strong { (item.topic) }
                    @if !item.indicators.is_empty() { " · " (v.t("ui.meeting.indicators")) ": " (item.indicators.join(", ")) }
                    @if !item.units.is_empty() {
                        @let names: Vec<String> = item.units.iter().map(|u| format::unit_name(&v, &units, u.as_str())).collect();
                        " · " (v.t("ui.meeting.units")) ": " (names.join(", "))
                    }
                    @let speakers: Vec<&Rapporteur> = s.rapporteurs.iter().filter(|r| r.item == i).collect();
                    @if !speakers.is_empty() {
                        ul { @for r in speakers {
                            li { (v.t("ui.meeting.rapporteur")) ": " (r.full_name) ", " (r.position) " (" (format::unit_name(&v, &units, r.unit.as_str())) ")" }
                        } }
                    }
                }
            }
        }
        @if let Some(minutes) = &m.minutes {
            h2 #minutes { (v.t("ui.meeting.minutes")) }
            p { (v.t("ui.meeting.recorded_on")) ": " (format::date(&v, minutes.recorded_on)) }
            p.prose { (minutes.minutes) }
            @if !minutes.attendance.is_empty() {
                h3 { (v.t("ui.meeting.attendance")) }
                ul { @for a in &minutes.attendance {
                    li {
                        (a.full_name) ", " (a.position)
                        @if let Some(u) = &a.unit { " (" (format::unit_name(&v, &units, u.as_str())) ")" }
                        " — " (v.t(if a.present { "ui.meeting.present" } else { "ui.meeting.absent" }))
                    }
                } }
            }
        }
        h2 #tasks { (v.t("ui.meeting.tasks")) }
        (tasks_table(&v, &registry, &memo))
    };
    page(&v, &title, body)
}

/// The briefing pack for this meeting's agenda over its period under review.
fn briefing_link(m: &Meeting) -> String {
    let s = &m.scheduled;
    let period = format!("{}..{}", s.period_from, s.period_to);
    let agenda: Vec<String> = s
        .agenda
        .iter()
        .filter(|i| !i.indicators.is_empty())
        .map(|i| format!("{}: {}", i.topic.replace([':', ';', '\n'], " "), i.indicators.join(", ")))
        .collect();
    let mut units: Vec<&str> = s.agenda.iter().flat_map(|i| i.units.iter().map(UnitCode::as_str)).collect();
    units.dedup();
    link(super::briefing::PATH, &[("period", &period), ("agenda", &agenda.join("\n")), ("units", &units.join(", "))])
}

fn tasks_table(v: &Viewer, registry: &Registry, memo: &CommitmentsMemo) -> Markup {
    let units = registry.units();
    let rows: Vec<_> = memo.tasks.iter().map(|t| row(v, &units, t, Lines::Commitments)).collect();
    table(v, v.t("ui.meeting.tasks"), &columns(Lines::Commitments), &rows)
}

/// The memo of commitments: every task the meeting created, dated the
/// meeting's day, laid out to print.
pub async fn commitments(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let memo = match blocking(&registry, move |r| r.commitments_memo(id).map_err(Problem::from_service)).await {
        Ok(memo) => memo,
        Err(p) => return error_page(&v, &p),
    };
    let title = format!("{} — {}", v.t("ui.meeting.commitments"), memo.meeting.number);
    let body = html! {
        article.memo {
            h1 { (title) }
            p { strong { (memo.meeting.scheduled.title) } }
            p { (v.t("ui.meeting.dated")) ": " (format::date(&v, memo.dated)) }
            (tasks_table(&v, &registry, &memo))
            p.noprint { a href={ "/meetings/" (id) } { (v.t("ui.meeting.back")) } }
        }
    };
    page(&v, &title, body)
}

// The minutes.

pub async fn minutes_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let meeting = match load_meeting(&registry, id).await {
        Ok(m) => m,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::default();
    for i in 0..ATTENDANCE_ROWS {
        form = form.with(&row_name("attendance", i, "present"), "true");
    }
    minutes_page(&v, &registry, &meeting, &form, StatusCode::OK)
}

fn minutes_page(v: &Viewer, registry: &Registry, meeting: &Meeting, form: &Form, status: StatusCode) -> Response {
    let id = meeting.id;
    let unit_choices = format::unit_options(v, &registry.units(), format::Blank::Choose);
    let fields = html! {
        (field("minutes", "ui.meeting.minutes").required().textarea(v, form))
        @for i in 0..ATTENDANCE_ROWS {
            fieldset {
                legend { (v.fill("ui.meeting.attendee_number", &[("number", &(i + 1).to_string())])) }
                (field(&row_name("attendance", i, "full_name"), "ui.field.full_name").input(v, form, "text"))
                (field(&row_name("attendance", i, "position"), "ui.meeting.position").input(v, form, "text"))
                (field(&row_name("attendance", i, "unit"), "ui.field.unit").select(v, form, &unit_choices))
                (field(&row_name("attendance", i, "present"), "ui.meeting.present").checkbox(v, form, "true"))
            }
        }
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.meeting.record_minutes"), meeting.number);
    let body = html! {
        h1 { (title) }
        p { a href={ "/meetings/" (id) } { (v.t("ui.meeting.back")) } }
        (form::summary(v, form))
        (form::post(v, &format!("/meetings/{id}/minutes"), "ui.action.save", fields))
    };
    page_with_status(v, status, &title, body)
}

pub async fn record_minutes(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let mut form = Form::parse(&body).renamed(&[("meeting_id", "minutes")]);
    let meeting = match load_meeting(&registry, id).await {
        Ok(m) => m,
        Err(p) => return error_page(&v, &p),
    };
    let (mut attendance, mut rows) = (Vec::new(), Vec::new());
    for i in filled(&form, "attendance", ATTENDANCE_ROWS, &["full_name", "position", "unit"]) {
        let unit_control = row_name("attendance", i, "unit");
        let unit = match form.optional_text(&unit_control) {
            None => None,
            Some(_) => form.unit(&unit_control),
        };
        attendance.push(Attendee {
            full_name: form.text(&row_name("attendance", i, "full_name")),
            position: form.text(&row_name("attendance", i, "position")),
            unit,
            present: form.is_checked(&row_name("attendance", i, "present"), "true"),
        });
        rows.push(i);
    }
    form.numbered("attendance", rows);
    if form.has_errors() {
        form.require_texts(&["minutes", "legal_ground"]);
        return minutes_page(&v, &registry, &meeting, &form, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let command = Command::RecordMinutes(MeetingMinutes { meeting_id: id, attendance, minutes: form.text("minutes") });
    record(&v, &registry, form, command, |f, s| minutes_page(&v, &registry, &meeting, f, s)).await
}

// Issuing a task the meeting decided (or a part of one, for a unit below its owner).

pub async fn task_form(v: Viewer, State(registry): Shared, PageId(id): PageId, RawQuery(q): RawQuery) -> Response {
    let parent = query_value(q.as_deref(), "parent").unwrap_or_default();
    let (meeting, parent_task) = match load_for_task(&registry, id, &parent).await {
        Ok(loaded) => loaded,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::default().with("parent_task_id", parent);
    if let Some(p) = &parent_task {
        form = form.with("due_on", p.due_on.to_string()).with("controller", p.issued.controller.clone());
    }
    task_page(&v, &registry, &meeting, parent_task.as_ref(), &form, StatusCode::OK)
}

/// The meeting, and the parent task when one is named (an id of no task is not found).
async fn load_for_task(
    registry: &Arc<Registry>,
    meeting: uuid::Uuid,
    parent: &str,
) -> Result<(Meeting, Option<Task>), Problem> {
    let parent = match parent.trim() {
        "" => None,
        id => Some(uuid::Uuid::parse_str(id).map_err(|_| Problem::not_found())?),
    };
    blocking(registry, move |r| {
        let m = r.meeting(meeting).map_err(Problem::from_service)?;
        let p = parent.map(|p| r.task(p)).transpose().map_err(Problem::from_service)?;
        Ok((m, p))
    })
    .await
}

fn task_page(
    v: &Viewer,
    registry: &Registry,
    meeting: &Meeting,
    parent: Option<&Task>,
    form: &Form,
    status: StatusCode,
) -> Response {
    let id = meeting.id;
    let unit_choices = units(v, registry);
    let indicators: Vec<(String, String)> = std::iter::once((String::new(), v.t("ui.choose").to_string()))
        .chain(
            v.pack
                .indicators
                .indicators
                .iter()
                .filter(|i| !i.is_grouped())
                .map(|i| (i.code.clone(), format::names(v, &i.name).to_string())),
        )
        .collect();
    let fields = html! {
        input type="hidden" name="parent_task_id" value=(form.get("parent_task_id"));
        (field("text", "ui.task.text").required().textarea(v, form))
        (field("authority", "ui.task.authority").required().help(v.t("ui.task.authority_help")).input(v, form, "text"))
        (field("owner", "ui.task.owner").required().select(v, form, &unit_choices))
        (field("co_executors", "ui.task.co_executors").help(v.t("ui.briefing.units_help")).input(v, form, "text"))
        (field("controller", "ui.task.controller").required().help(v.t("ui.task.controller_help")).input(v, form, "text"))
        (field("due_on", "ui.task.due_on").required().input(v, form, "date"))
        (field("control_level", "ui.task.control_level").required().select(v, form, &options(v, Some("ui.choose"), &CONTROL_LEVELS)))
        @for i in 0..ROWS {
            fieldset {
                legend { (v.fill("ui.task.target_number", &[("number", &(i + 1).to_string())])) }
                (field(&row_name("targets", i, "indicator"), "ui.report.indicator").select(v, form, &indicators))
                (field(&row_name("targets", i, "expected"), "ui.task.expected").select(v, form, &options(v, Some("ui.choose"), &EXPECTATIONS)))
                (field(&row_name("targets", i, "value"), "ui.task.target_value").help(v.t("ui.task.target_value_help")).input(v, form, "number"))
            }
        }
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.meeting.issue_task"), meeting.number);
    let body = html! {
        h1 { (title) }
        p { a href={ "/meetings/" (id) } { (v.t("ui.meeting.back")) } }
        @if let Some(p) = parent {
            p { (v.t("ui.task.subtask_of")) ": " a href={ "/tasks/" (p.id) } { (p.number) } " — " (format::short(&p.issued.text)) }
        }
        (form::summary(v, form))
        (form::post(v, &format!("/meetings/{id}/tasks/new"), "ui.action.save", fields))
    };
    page_with_status(v, status, &title, body)
}

pub async fn issue_task(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let mut form = Form::parse(&body).renamed(&[("meeting_id", "text"), ("parent_task_id", "owner")]);
    let (meeting, parent) = match load_for_task(&registry, id, &form.text("parent_task_id")).await {
        Ok(loaded) => loaded,
        Err(p) => return error_page(&v, &p),
    };
    let owner = form.unit("owner");
    let co_executors = unit_codes(&mut form, "co_executors");
    let due_on = required_date(&mut form, "due_on");
    let control_level = form.choice("control_level");
    let targets = targets(&mut form);
    let (Some(owner), Some(due_on), Some(control_level), Some(targets), false) =
        (owner, due_on, control_level, targets, form.has_errors())
    else {
        form.require_texts(&["text", "authority", "controller", "legal_ground"]);
        return task_page(&v, &registry, &meeting, parent.as_ref(), &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::IssueTask(NewTask {
        meeting_id: Some(id),
        parent_task_id: parent.as_ref().map(|p| p.id),
        text: form.text("text"),
        authority: form.text("authority"),
        owner,
        co_executors,
        controller: form.text("controller"),
        due_on,
        control_level,
        targets,
    });
    record(&v, &registry, form, command, |f, s| task_page(&v, &registry, &meeting, parent.as_ref(), f, s)).await
}

/// The targets' filled rows; a value is needed by "at most" and "at least" alone.
fn targets(form: &mut Form) -> Option<Vec<Target>> {
    let (mut all, mut rows, mut complete) = (Vec::new(), Vec::new(), true);
    for i in filled(form, "targets", ROWS, &["indicator", "expected", "value"]) {
        let indicator = form.text(&row_name("targets", i, "indicator"));
        if indicator.is_empty() {
            form.reject(Violation::new(row_name("targets", i, "indicator"), "text.required"));
        }
        let value_control = row_name("targets", i, "value");
        let expected = match form.text(&row_name("targets", i, "expected")).as_str() {
            "decrease" => Some(Expected::Decrease),
            "increase" => Some(Expected::Increase),
            "at_most" => form.integer(&value_control).map(|value| Expected::AtMost { value }),
            "at_least" => form.integer(&value_control).map(|value| Expected::AtLeast { value }),
            "" => {
                form.reject(Violation::new(row_name("targets", i, "expected"), "text.required"));
                None
            }
            _ => {
                form.reject(Violation::new(row_name("targets", i, "expected"), "form.choice"));
                None
            }
        };
        match expected {
            Some(expected) if !indicator.is_empty() => all.push(Target { indicator, expected }),
            _ => complete = false,
        }
        rows.push(i);
    }
    form.numbered("targets", rows);
    complete.then_some(all)
}
