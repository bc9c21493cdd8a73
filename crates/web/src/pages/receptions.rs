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
use crimeboard_domain::reception::{Booking, Chief, NewReception, Reception, Visitor};
use crimeboard_domain::{Command, Violation};
use crimeboard_service::Registry;
use maud::html;
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
    let bookable = rc.status() == "scheduled" && rc.free_places() > 0 && v.may(Action::BookReceptions);
    let body = html! {
        h1 { (title) }
        @if bookable {
            ul.actions { li { a.button href={ "/receptions/" (rc.id) "/book" } { (v.t("ui.reception.book")) } } }
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
