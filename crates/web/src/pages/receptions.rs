//! Chiefs' receptions of citizens on the staff pages: a unit's schedule of
//! sessions with the places booked and free, the form that schedules one,
//! and a session's page with its bookings and the form that books a place.
//! The register's list is a register list like any other (`lists::RECEPTIONS`).

use super::form::{self, Form, field, options};
use super::format;
use super::layout::{page, page_with_status};
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
use chrono::{Days, NaiveTime};
use crimeboard_domain::access::Action;
use crimeboard_domain::reception::{
    Booking, CancelBooking, CancelReception, Chief, Heard, NewReception, Outcome, Reception, ReceptionRecord, Visitor,
};
use crimeboard_domain::{Command, Violation};
use crimeboard_service::Registry;
use maud::{Markup, html};
use std::sync::Arc;

pub const SCHEDULE_PATH: &str = "/receptions/schedule";
pub const NEW_PATH: &str = "/receptions/new";
/// How far ahead a unit's schedule looks.
const SCHEDULE_DAYS: u64 = 90;

const BOOKED_VIA: [(&str, &str); 3] =
    [("telephone", "ui.booked_via.telephone"), ("online", "ui.booked_via.online"), ("desk", "ui.booked_via.desk")];

// A unit's schedule.

pub async fn schedule(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let mut form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    form.reject_control_characters();
    if form.get("unit").is_empty() {
        form = form.with("unit", v.unit.clone().unwrap_or_default());
    }
    let rules = registry.jurisdiction().rules.clone();
    let today = rules.local_date(registry.now());
    let until = today.checked_add_days(Days::new(SCHEDULE_DAYS)).unwrap_or(today);
    let unit = form.text("unit");
    let found = if form.has_errors() || unit.is_empty() {
        None
    } else {
        match blocking(&registry, move |r| r.reception_schedule(&unit, today, until).map_err(Problem::from_query)).await
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
    let title = v.t("ui.reception.schedule");
    let body = html! {
        h1 { (title) }
        @if v.may(Action::ManageReceptions) {
            ul.actions { li { a.button href=(NEW_PATH) { (v.t("ui.reception.schedule_one")) } } }
        }
        p.help { (v.fill("ui.reception.schedule_help", &[("days", &SCHEDULE_DAYS.to_string())])) }
        (form::summary(&v, &form))
        form.filters method="get" action=(SCHEDULE_PATH) aria-label=(v.t("ui.filters")) {
            (field("unit", "ui.field.unit").select(&v, &form, &format::unit_options(&v, &units, format::Blank::Choose)))
            button type="submit" { (v.t("ui.action.show")) }
        }
        @if let Some(sessions) = &found {
            table {
                caption { (title) }
                thead { tr {
                    th scope="col" { (v.t("ui.col.number")) }
                    th scope="col" { (v.t("ui.col.day")) }
                    th scope="col" { (v.t("ui.reception.hours")) }
                    th scope="col" { (v.t("ui.reception.chief")) }
                    th scope="col" { (v.t("ui.col.status")) }
                    th scope="col" { (v.t("ui.reception.booked")) }
                    th scope="col" { (v.t("ui.reception.free")) }
                } }
                tbody {
                    @for s in sessions {
                        tr {
                            // Who books without reading the register's names goes to the booking form.
                            @let href = if v.may(Action::ReadPersonalData) { format!("/receptions/{}", s.id) } else { format!("/receptions/{}/book", s.id) };
                            td { a href=(href) { (s.number) } }
                            td { (format::date(&v, s.day)) }
                            td { (s.from.format("%H:%M")) "–" (s.to.format("%H:%M")) }
                            td { (s.chief.full_name) }
                            td { (format::label(&v, "status", s.status)) }
                            td.num { (format::integer(&v, i64::from(s.booked))) }
                            td.num { (format::integer(&v, i64::from(s.free))) }
                        }
                    }
                }
            }
        }
    };
    page(&v, title, body)
}

// Scheduling a session.

pub async fn new_form(v: Viewer, State(registry): Shared) -> Response {
    let form = Form::default().with("unit", v.unit.clone().unwrap_or_default());
    new_page(&v, &registry, &form, StatusCode::OK)
}

fn new_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let units = format::unit_options(v, &registry.units(), format::Blank::Choose);
    let fields = html! {
        (field("unit", "ui.field.unit").required().select(v, form, &units))
        (field("chief.full_name", "ui.reception.chief").required().input(v, form, "text"))
        (field("chief.position", "ui.reception.position").required().input(v, form, "text"))
        (field("day", "ui.col.day").required().input(v, form, "date"))
        (field("from", "ui.reception.from").required().input(v, form, "time"))
        (field("to", "ui.reception.to").required().input(v, form, "time"))
        (field("place", "ui.reception.place").required().input(v, form, "text"))
        (field("capacity", "ui.reception.capacity").required().input(v, form, "number"))
        (field("note", "ui.reception.note").textarea(v, form))
        (form::envelope(v, form))
    };
    let title = v.t("ui.reception.schedule_one");
    let body = html! {
        h1 { (title) }
        (form::summary(v, form))
        (form::post(v, NEW_PATH, "ui.action.save", fields))
    };
    page_with_status(v, status, title, body)
}

fn time(form: &mut Form, name: &str) -> Option<NaiveTime> {
    let typed = form.text(name);
    if typed.is_empty() {
        form.reject(Violation::new(name, "text.required"));
        return None;
    }
    let parsed = NaiveTime::parse_from_str(&typed, "%H:%M").ok();
    if parsed.is_none() {
        form.reject(Violation::new(name, "form.time"));
    }
    parsed
}

pub async fn create(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let unit = form.unit("unit");
    let day = if form.text("day").is_empty() {
        form.reject(Violation::new("day", "text.required"));
        None
    } else {
        form.optional_date("day")
    };
    let (from, to) = (time(&mut form, "from"), time(&mut form, "to"));
    let capacity = form.integer("capacity").and_then(|c| {
        let c = u32::try_from(c).ok();
        if c.is_none() {
            form.reject(Violation::new("capacity", "number.range").with("min", 1));
        }
        c
    });
    let (Some(unit), Some(day), Some(from), Some(to), Some(capacity), false) =
        (unit, day, from, to, capacity, form.has_errors())
    else {
        form.require_texts(&["chief.full_name", "chief.position", "place", "legal_ground"]);
        return new_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::ScheduleReception(NewReception {
        unit,
        chief: Chief { full_name: form.text("chief.full_name"), position: form.text("chief.position") },
        day,
        from,
        to,
        place: form.text("place"),
        capacity,
        note: form.text("note"),
    });
    record(&v, &registry, form, command, |f, s| new_page(&v, &registry, f, s)).await
}

// A session's page.

async fn load_reception(registry: &Arc<Registry>, id: uuid::Uuid) -> Result<Reception, Problem> {
    blocking(registry, move |r| r.reception(id).map(|view| view.reception).map_err(Problem::from_service)).await
}

pub async fn show(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let loaded = match super::records::load(&v, &registry, crimeboard_domain::EntityKind::Reception, id).await {
        Ok(l) => l,
        Err(p) => return error_page(&v, &p),
    };
    let Some(crimeboard_domain::act::Entity::Reception(rc)) = &loaded.entity else {
        return error_page(&v, &Problem::not_found());
    };
    let s = &rc.scheduled;
    let units = registry.units();
    let title = v.fill("ui.reception.title", &[("number", &rc.number)]);
    let open = rc.status() == "scheduled";
    let today = registry.jurisdiction().rules.local_date(registry.now());
    let bookable = open && rc.free_places() > 0 && v.may(Action::BookReceptions);
    let booked = open && rc.active_bookings().next().is_some() && v.may(Action::BookReceptions);
    let manageable = open && v.may(Action::ManageReceptions);
    let body = html! {
        h1 { (title) }
        ul.actions {
            @if bookable { li { a.button href={ "/receptions/" (rc.id) "/book" } { (v.t("ui.reception.book")) } } }
            @if booked { li { a.button href={ "/receptions/" (rc.id) "/give-up" } { (v.t("ui.reception.give_up")) } } }
            @if manageable && s.day <= today { li { a.button href={ "/receptions/" (rc.id) "/record" } { (v.t("ui.reception.record")) } } }
            @if manageable { li { a.button href={ "/receptions/" (rc.id) "/call-off" } { (v.t("ui.reception.call_off")) } } }
        }
        dl.facts {
            dt { (v.t("ui.col.status")) } dd #reception-status { (format::label(&v, "status", rc.status())) }
            dt { (v.t("ui.col.unit")) } dd { (format::unit_name(&v, &units, s.unit.as_str())) }
            dt { (v.t("ui.reception.chief")) } dd { (s.chief.full_name) ", " (s.chief.position) }
            dt { (v.t("ui.col.day")) } dd { (format::date(&v, s.day)) }
            dt { (v.t("ui.reception.hours")) } dd { (s.from.format("%H:%M")) "–" (s.to.format("%H:%M")) }
            dt { (v.t("ui.reception.place")) } dd { (s.place) }
            dt { (v.t("ui.reception.booked")) } dd #reception-booked { (rc.active_bookings().count()) " / " (s.capacity) }
            dt { (v.t("ui.reception.free")) } dd #reception-free { (rc.free_places()) }
        }
        h2 { (v.t("ui.reception.bookings")) }
        table {
            caption { (v.t("ui.reception.bookings")) }
            thead { tr {
                th scope="col" { (v.t("ui.reception.place_no")) }
                th scope="col" { (v.t("ui.field.full_name")) }
                th scope="col" { (v.t("ui.appeal.subject")) }
                th scope="col" { (v.t("ui.reception.booked_via")) }
                th scope="col" { (v.t("ui.col.status")) }
            } }
            tbody {
                @for b in &rc.bookings {
                    tr {
                        td.num { (b.place) }
                        td { (b.visitor.full_name) }
                        td { (b.subject) }
                        td { (format::enum_label(&v, "booked_via", &b.booked_via)) }
                        td { @match &b.cancelled { Some(reason) => { (v.t("ui.reception.given_up")) ": " (reason) }, None => { (v.t("ui.reception.booked")) } } }
                    }
                }
            }
        }
        @if let Some(held) = &rc.record {
            h2 { (v.t("ui.reception.record")) }
            p { (v.t("ui.reception.chief")) ": " (held.held_by.full_name) ", " (held.held_by.position) }
            table {
                caption { (v.t("ui.reception.record")) }
                thead { tr {
                    th scope="col" { (v.t("ui.reception.place_no")) }
                    th scope="col" { (v.t("ui.field.full_name")) }
                    th scope="col" { (v.t("ui.appeal.subject")) }
                    th scope="col" { (v.t("ui.reception.outcome")) }
                } }
                tbody {
                    @for h in &held.visitors {
                        tr {
                            td.num { @if let Some(place) = h.place { (place) } }
                            td { (h.full_name) }
                            td { (h.subject) }
                            td { (outcome_label(&v, &h.outcome)) }
                        }
                    }
                    @for place in &held.absent {
                        tr { td.num { (place) } td colspan="3" { (v.t("ui.reception.outcome.absent")) } }
                    }
                }
            }
        }
        h2 { (v.t("ui.record.history")) }
        (timeline(&v, &registry, &loaded.history))
    };
    page(&v, &title, body)
}

// Booking a place.

pub async fn book_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let rc = match load_reception(&registry, id).await {
        Ok(rc) => rc,
        Err(p) => return error_page(&v, &p),
    };
    book_page(&v, &rc, &Form::default().with("booked_via", "telephone"), StatusCode::OK)
}

fn book_page(v: &Viewer, rc: &Reception, form: &Form, status: StatusCode) -> Response {
    let fields = html! {
        (field("visitor.full_name", "ui.field.full_name").required().input(v, form, "text"))
        (field("visitor.phone", "ui.reception.phone").input(v, form, "tel"))
        (field("visitor.email", "ui.reception.email").input(v, form, "email"))
        (field("subject", "ui.appeal.subject").required().input(v, form, "text"))
        (field("booked_via", "ui.reception.booked_via").required().select(v, form, &options(v, Some("ui.choose"), &BOOKED_VIA)))
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.reception.book"), rc.number);
    let body = html! {
        h1 { (title) }
        p { a href={ "/receptions/" (rc.id) } { (v.t("ui.reception.back")) } }
        p { (v.fill("ui.reception.free_of", &[("free", &rc.free_places().to_string()), ("capacity", &rc.scheduled.capacity.to_string())])) }
        @if rc.active_bookings().next().is_some() {
            p { a href={ "/receptions/" (rc.id) "/give-up" } { (v.t("ui.reception.give_up")) } }
        }
        (form::summary(v, form))
        (form::post(v, &format!("/receptions/{}/book", rc.id), "ui.action.save", fields))
    };
    page_with_status(v, status, &title, body)
}

pub async fn book(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let rc = match load_reception(&registry, id).await {
        Ok(rc) => rc,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    let booked_via = form.choice("booked_via");
    let Some(booked_via) = booked_via.filter(|_| !form.has_errors()) else {
        form.require_texts(&["visitor.full_name", "subject", "legal_ground"]);
        return book_page(&v, &rc, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::BookReception(Booking {
        reception_id: id,
        visitor: Visitor {
            full_name: form.text("visitor.full_name"),
            phone: form.optional_text("visitor.phone"),
            email: form.optional_text("visitor.email"),
        },
        subject: form.text("subject"),
        booked_via,
    });
    record(&v, &registry, form, command, |f, s| book_page(&v, &rc, f, s)).await
}

// Giving a booked place up.

pub async fn give_up_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    match load_reception(&registry, id).await {
        Ok(rc) => give_up_page(&v, &rc, &Form::default(), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

/// The places still booked, each by its number, with the visitor's name
/// for those who read the register's names.
fn booked_places(v: &Viewer, rc: &Reception) -> Vec<(String, String)> {
    let named = v.may(Action::ReadPersonalData);
    let mut choices = vec![(String::new(), v.t("ui.choose").to_string())];
    choices.extend(rc.active_bookings().map(|b| {
        let label = if named { format!("{} — {}", b.place, b.visitor.full_name) } else { b.place.to_string() };
        (b.place.to_string(), label)
    }));
    choices
}

fn give_up_page(v: &Viewer, rc: &Reception, form: &Form, status: StatusCode) -> Response {
    let fields = html! {
        (field("place", "ui.reception.place_no").required().select(v, form, &booked_places(v, rc)))
        (field("reason", "ui.reception.reason").required().input(v, form, "text"))
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.reception.give_up"), rc.number);
    let body = html! {
        h1 { (title) }
        p { a href={ "/receptions/" (rc.id) } { (v.t("ui.reception.back")) } }
        (form::summary(v, form))
        (form::post(v, &format!("/receptions/{}/give-up", rc.id), "ui.action.save", fields))
    };
    page_with_status(v, status, &title, body)
}

pub async fn give_up(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let rc = match load_reception(&registry, id).await {
        Ok(rc) => rc,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    let place = place_of(&mut form, "place");
    let (Some(place), false) = (place, form.has_errors()) else {
        form.require_texts(&["reason", "legal_ground"]);
        return give_up_page(&v, &rc, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::CancelBooking(CancelBooking { reception_id: id, place, reason: form.text("reason") });
    record(&v, &registry, form, command, |f, s| give_up_page(&v, &rc, f, s)).await
}

/// A place's number, required.
fn place_of(form: &mut Form, name: &str) -> Option<u32> {
    if form.text(name).is_empty() {
        form.reject(Violation::new(name, "text.required"));
        return None;
    }
    let place = form.integer(name).and_then(|n| u32::try_from(n).ok());
    if place.is_none() && !form.has_errors() {
        form.reject(Violation::new(name, "form.choice"));
    }
    place
}

// Calling a session off.

pub async fn call_off_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    match load_reception(&registry, id).await {
        Ok(rc) => call_off_page(&v, &rc, &Form::default().with("visitors_told", "true"), StatusCode::OK),
        Err(p) => error_page(&v, &p),
    }
}

fn call_off_page(v: &Viewer, rc: &Reception, form: &Form, status: StatusCode) -> Response {
    let fields = html! {
        (field("reason", "ui.reception.reason").required().input(v, form, "text"))
        (field("visitors_told", "ui.reception.visitors_told").checkbox(v, form, "true"))
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.reception.call_off"), rc.number);
    let body = html! {
        h1 { (title) }
        p { a href={ "/receptions/" (rc.id) } { (v.t("ui.reception.back")) } }
        p { (v.fill("ui.reception.call_off_help", &[("booked", &rc.active_bookings().count().to_string())])) }
        (form::summary(v, form))
        (form::post(v, &format!("/receptions/{}/call-off", rc.id), "ui.action.save", fields))
    };
    page_with_status(v, status, &title, body)
}

pub async fn call_off(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let rc = match load_reception(&registry, id).await {
        Ok(rc) => rc,
        Err(p) => return error_page(&v, &p),
    };
    let form = Form::parse(&body);
    let command = Command::CancelReception(CancelReception {
        reception_id: id,
        reason: form.text("reason"),
        visitors_told: form.is_checked("visitors_told", "true"),
    });
    record(&v, &registry, form, command, |f, s| call_off_page(&v, &rc, f, s)).await
}

// The record of a session.

/// Rows for visitors who came without booking.
const WALK_IN_ROWS: usize = 3;
/// What came of a booked visitor's place: absent, or heard with an outcome.
const ABSENT: &str = "absent";
const OUTCOMES: [(&str, &str); 3] = [
    ("settled_on_the_spot", "ui.reception.outcome.settled_on_the_spot"),
    ("appeal_to_register", "ui.reception.outcome.appeal_to_register"),
    ("referred_elsewhere", "ui.reception.outcome.referred_elsewhere"),
];

pub async fn record_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let rc = match load_reception(&registry, id).await {
        Ok(rc) => rc,
        Err(p) => return error_page(&v, &p),
    };
    let chief = &rc.scheduled.chief;
    let form = Form::default()
        .with("held_by.full_name", chief.full_name.clone())
        .with("held_by.position", chief.position.clone());
    record_page(&v, &rc, &form, StatusCode::OK)
}

/// A row of the record: the booked places first (row = place), then the walk-ins.
fn rows_of(rc: &Reception) -> (Vec<u32>, std::ops::Range<usize>) {
    let places: Vec<u32> = rc.active_bookings().map(|b| b.place).collect();
    let first_walk_in = rc.bookings.len() + 1;
    (places, first_walk_in..first_walk_in + WALK_IN_ROWS)
}

fn outcome_fields(v: &Viewer, form: &Form, row: usize, booked: bool) -> Markup {
    let mut choices = vec![(String::new(), v.t("ui.choose").to_string())];
    if booked {
        choices.push((ABSENT.to_string(), v.t("ui.reception.outcome.absent").to_string()));
    }
    choices.extend(OUTCOMES.iter().map(|(value, key)| (value.to_string(), v.t(key).to_string())));
    html! {
        (field(&format!("visitors.{row}.outcome"), "ui.reception.outcome").select(v, form, &choices))
        (field(&format!("visitors.{row}.outcome.body"), "ui.reception.outcome_body").help(v.t("ui.reception.outcome_body_help")).input(v, form, "text"))
        (field(&format!("visitors.{row}.note"), "ui.reception.note").input(v, form, "text"))
    }
}

fn record_page(v: &Viewer, rc: &Reception, form: &Form, status: StatusCode) -> Response {
    let (places, walk_ins) = rows_of(rc);
    let fields = html! {
        (field("held_by.full_name", "ui.reception.chief").required().input(v, form, "text"))
        (field("held_by.position", "ui.reception.position").required().input(v, form, "text"))
        @for place in &places {
            @if let Some(b) = rc.bookings.get(*place as usize - 1) {
                fieldset {
                    legend { (v.fill("ui.reception.place_of", &[("place", &place.to_string()), ("name", &b.visitor.full_name)])) }
                    p.help { (b.subject) }
                    (outcome_fields(v, form, *place as usize, true))
                }
            }
        }
        @for (i, row) in walk_ins.clone().enumerate() {
            fieldset {
                legend { (v.fill("ui.reception.walk_in", &[("number", &(i + 1).to_string())])) }
                (field(&format!("visitors.{row}.full_name"), "ui.field.full_name").input(v, form, "text"))
                (field(&format!("visitors.{row}.subject"), "ui.appeal.subject").input(v, form, "text"))
                (outcome_fields(v, form, row, false))
            }
        }
        (form::envelope(v, form))
    };
    let title = format!("{} — {}", v.t("ui.reception.record"), rc.number);
    let body = html! {
        h1 { (title) }
        p { a href={ "/receptions/" (rc.id) } { (v.t("ui.reception.back")) } }
        p.help { (v.t("ui.reception.record_help")) }
        (form::summary(v, form))
        (form::post(v, &format!("/receptions/{}/record", rc.id), "ui.action.save", fields))
    };
    page_with_status(v, status, &title, body)
}

fn outcome_label(v: &Viewer, outcome: &Outcome) -> String {
    match outcome {
        Outcome::SettledOnTheSpot => v.t("ui.reception.outcome.settled_on_the_spot").to_string(),
        Outcome::AppealToRegister => v.t("ui.reception.outcome.appeal_to_register").to_string(),
        Outcome::ReferredElsewhere { body } => format!("{}: {body}", v.t("ui.reception.outcome.referred_elsewhere")),
    }
}

/// The outcome typed in a row; None (with the problem at its control) when none was chosen.
fn outcome_of(form: &mut Form, row: usize) -> Option<Outcome> {
    let name = format!("visitors.{row}.outcome");
    match form.get(&name) {
        "settled_on_the_spot" => Some(Outcome::SettledOnTheSpot),
        "appeal_to_register" => Some(Outcome::AppealToRegister),
        "referred_elsewhere" => Some(Outcome::ReferredElsewhere { body: form.text(&format!("{name}.body")) }),
        "" => {
            form.reject(Violation::new(&name, "text.required"));
            None
        }
        _ => {
            form.reject(Violation::new(&name, "form.choice"));
            None
        }
    }
}

pub async fn record_session(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let rc = match load_reception(&registry, id).await {
        Ok(rc) => rc,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    let (places, walk_ins) = rows_of(&rc);
    let (mut visitors, mut rows, mut absent) = (Vec::new(), Vec::new(), Vec::new());
    for place in places {
        let row = place as usize;
        if form.get(&format!("visitors.{row}.outcome")) == ABSENT {
            absent.push(place);
            continue;
        }
        let Some(outcome) = outcome_of(&mut form, row) else { continue };
        let booking = &rc.bookings[row - 1];
        visitors.push(Heard {
            place: Some(place),
            full_name: booking.visitor.full_name.clone(),
            subject: booking.subject.clone(),
            outcome,
            note: form.text(&format!("visitors.{row}.note")),
        });
        rows.push(row);
    }
    for row in walk_ins {
        let typed = ["full_name", "subject", "outcome", "outcome.body", "note"]
            .iter()
            .any(|f| !form.text(&format!("visitors.{row}.{f}")).is_empty());
        if !typed {
            continue;
        }
        let Some(outcome) = outcome_of(&mut form, row) else { continue };
        visitors.push(Heard {
            place: None,
            full_name: form.text(&format!("visitors.{row}.full_name")),
            subject: form.text(&format!("visitors.{row}.subject")),
            outcome,
            note: form.text(&format!("visitors.{row}.note")),
        });
        rows.push(row);
    }
    form.numbered("visitors", rows);
    if form.has_errors() {
        form.require_texts(&["held_by.full_name", "held_by.position", "legal_ground"]);
        return record_page(&v, &rc, &form, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let command = Command::RecordReception(ReceptionRecord {
        reception_id: id,
        held_by: Chief { full_name: form.text("held_by.full_name"), position: form.text("held_by.position") },
        visitors,
        absent,
    });
    record(&v, &registry, form, command, |f, s| record_page(&v, &rc, f, s)).await
}
