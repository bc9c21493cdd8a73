//! A register's list (`Register`) and each entry as a row of it: the same
//! cells for the page's table and for the CSV and XLSX files, so an export
//! shows what the page shows.

use super::format;
use super::viewer::Viewer;
use crimeboard_domain::EntityKind;
use crimeboard_domain::access::Action;
use crimeboard_domain::act::Entity;
use crimeboard_domain::person::Person;
use crimeboard_domain::units::UnitTree;
use crimeboard_store::Record;
use maud::{Markup, html};

/// A register's list page: where it lives and what it filters by.
pub struct Register {
    pub kind: EntityKind,
    pub path: &'static str,
    pub title: &'static str,
    /// Status codes to filter by, as the index records them (`ui.status.<code>` words them).
    pub statuses: &'static [&'static str],
    /// Whether its entries have articles (cases).
    pub articles: bool,
    /// The form that adds an entry, if the register takes entries of its own,
    /// and the action it needs.
    pub new: Option<(&'static str, &'static str, Action)>,
}

/// Whether a register's entries name people: each look at them is audited,
/// and a file of them is an export of records.
pub fn names_people(kind: EntityKind) -> bool {
    matches!(Action::to_read(kind), Action::ReadPersonalData | Action::ReadAppeals)
}

pub struct Column {
    pub key: &'static str,
    pub numeric: bool,
}

const fn text(key: &'static str) -> Column {
    Column { key, numeric: false }
}

const fn number(key: &'static str) -> Column {
    Column { key, numeric: true }
}

/// A cell as shown, with its number for a spreadsheet and a link if it has one.
pub struct Shown {
    pub text: String,
    pub number: Option<f64>,
    pub href: Option<String>,
}

fn cell(text: impl Into<String>) -> Shown {
    Shown { text: text.into(), number: None, href: None }
}

fn num(text: String, value: f64) -> Shown {
    Shown { text, number: Some(value), href: None }
}

fn linked(text: impl Into<String>, href: String) -> Shown {
    Shown { text: text.into(), number: None, href: Some(href) }
}

/// A release in a list: its lead (the meeting's day and agenda) in the
/// viewer's language, its figures' tokens left out.
fn release_summary(v: &Viewer, release: &crimeboard_domain::release::Release) -> String {
    use crimeboard_domain::release::{Piece, pieces};
    let text = release.texts.get(v.lang.into());
    let lead = text.lines().next().unwrap_or("");
    pieces(lead).into_iter().map(|p| if let Piece::Words(w) = p { w } else { "…" }).collect()
}

pub fn columns(kind: EntityKind) -> Vec<Column> {
    match kind {
        EntityKind::Report => vec![
            text("ui.col.number"),
            text("ui.col.received"),
            text("ui.col.status"),
            text("ui.col.channel"),
            text("ui.col.summary"),
            text("ui.col.unit"),
        ],
        EntityKind::Case => vec![
            text("ui.col.number"),
            text("ui.col.registered"),
            text("ui.col.status"),
            text("ui.col.articles"),
            text("ui.col.description"),
            text("ui.col.unit"),
            number("ui.col.damage"),
        ],
        EntityKind::Person => vec![
            text("ui.col.name"),
            text("ui.col.role"),
            text("ui.col.fin"),
            text("ui.col.birth_date"),
            text("ui.col.belongs_to"),
            text("ui.col.unit"),
        ],
        EntityKind::Seizure => vec![
            text("ui.col.number"),
            text("ui.col.seized"),
            text("ui.col.substance"),
            number("ui.col.weight"),
            text("ui.col.unit"),
            text("ui.col.case"),
        ],
        EntityKind::Accident => vec![
            text("ui.col.number"),
            text("ui.col.occurred"),
            number("ui.col.killed"),
            number("ui.col.injured"),
            text("ui.col.cause"),
            text("ui.col.unit"),
        ],
        EntityKind::Examination => vec![
            text("ui.col.number"),
            text("ui.col.requested"),
            text("ui.col.exam_kind"),
            text("ui.col.status"),
            text("ui.col.unit"),
            text("ui.col.case"),
        ],
        EntityKind::Accountability => vec![
            text("ui.col.number"),
            text("ui.col.day"),
            text("ui.col.name"),
            text("ui.col.offence"),
            text("ui.col.status"),
            text("ui.col.unit"),
        ],
        // A meeting's day is when it is held, a task's its due date, a reception's the session's.
        EntityKind::Meeting
        | EntityKind::Task
        | EntityKind::Release
        | EntityKind::Reception
        | EntityKind::Appeal
        | EntityKind::Publication
        | EntityKind::Sample => {
            vec![
                text("ui.col.number"),
                text("ui.col.day"),
                text("ui.col.status"),
                text("ui.col.summary"),
                text("ui.col.unit"),
            ]
        }
        // A request's day is when it was sent; its account is shown masked.
        EntityKind::Freeze => vec![
            text("ui.col.number"),
            text("ui.col.sent"),
            text("ui.col.status"),
            text("ui.col.institution"),
            text("ui.col.account"),
            number("ui.col.asked"),
            number("ui.col.frozen"),
            number("ui.col.returned"),
            text("ui.col.deadline"),
            text("ui.col.unit"),
            text("ui.col.case"),
        ],
    }
}

/// The record's page and its cells; a state that does not read shows its number only.
pub fn row_of(v: &Viewer, units: &UnitTree, r: &Record) -> (String, Vec<Shown>) {
    let href = super::paths::record_path(r.kind, r.id);
    let unit = cell(format::unit_name(v, units, &r.unit));
    let day = cell(format::day(v, r.day));
    let status = cell(format::label(v, "status", &r.status));
    let case_link = |id: Option<uuid::Uuid>| match id {
        Some(id) => linked(v.t("ui.col.case"), format!("/cases/{id}")),
        None => cell(""),
    };
    if r.kind == EntityKind::Person {
        let Ok(p) = serde_json::from_str::<Person>(&r.state) else { return (href, vec![cell(&r.number)]) };
        let parent = r.parent.map(|id| {
            let kind = if r.number.starts_with("M-") { EntityKind::Report } else { EntityKind::Case };
            super::paths::record_path(kind, id)
        });
        let belongs = match parent {
            Some(h) => linked(&r.number, h),
            None => cell(&r.number),
        };
        let birth = p.input.birth_date.map(|d| format::day(v, d)).unwrap_or_default();
        let fin = p.input.fin.as_ref().map(|f| f.as_str().to_string()).unwrap_or_default();
        return (href, vec![cell(&p.input.full_name), status, cell(fin), cell(birth), belongs, unit]);
    }
    let Ok(entity) = Entity::from_state(r.kind, &r.state) else { return (href, vec![cell(&r.number)]) };
    let cells = match entity {
        Entity::Report(rep) => vec![
            cell(&r.number),
            day,
            status,
            cell(format::enum_label(v, "channel", &rep.channel)),
            cell(format::short(&rep.summary)),
            unit,
        ],
        Entity::Case(c) => {
            let articles: Vec<String> = c.articles.iter().map(ToString::to_string).collect();
            let damage = c.damage_qepik();
            vec![
                cell(&r.number),
                day,
                status,
                cell(articles.join(", ")),
                cell(format::short(&c.description)),
                unit,
                num(format::money(v, damage), damage as f64 / 100.0),
            ]
        }
        Entity::Seizure(s) => vec![
            cell(&r.number),
            day,
            cell(&s.entry.substance),
            num(format::kilograms(v, s.entry.net_grams), s.entry.net_grams as f64 / 1000.0),
            unit,
            case_link(s.entry.case_id),
        ],
        Entity::Accident(a) => vec![
            cell(&r.number),
            day,
            num(format::integer(v, a.entry.killed), a.entry.killed as f64),
            num(format::integer(v, a.entry.injured), a.entry.injured as f64),
            cell(format::short(&a.entry.cause)),
            unit,
        ],
        Entity::Examination(e) => vec![
            cell(&r.number),
            day,
            cell(format::enum_label(v, "exam_kind", &e.request.kind)),
            status,
            unit,
            case_link(Some(e.request.case_id)),
        ],
        Entity::Accountability(a) => {
            vec![cell(&r.number), day, cell(&a.entry.full_name), cell(&a.entry.offence), status, unit]
        }
        Entity::Meeting(m) => vec![cell(&r.number), day, status, cell(format::short(&m.scheduled.title)), unit],
        Entity::Task(t) => vec![cell(&r.number), day, status, cell(format::short(&t.issued.text)), unit],
        // A release's day is its meeting's; its summary the start of its text in the viewer's language.
        Entity::Release(release) => {
            vec![cell(&r.number), day, status, cell(format::short(&release_summary(v, &release))), unit]
        }
        // A session's summary is who holds it, from when to when.
        Entity::Reception(rc) => {
            let s = &rc.scheduled;
            let summary = format!("{}, {}–{}", s.chief.full_name, s.from.format("%H:%M"), s.to.format("%H:%M"));
            vec![cell(&r.number), day, status, cell(summary), unit]
        }
        Entity::Appeal(a) => vec![cell(&r.number), day, status, cell(format::short(&a.subject)), unit],
        // A publication's day is its period's last; its summary the period and revision.
        Entity::Publication(p) => {
            let summary =
                format!("{} – {} ({})", format::day(v, p.period_from), format::day(v, p.period_to), p.revision);
            vec![cell(&r.number), day, status, cell(summary), unit]
        }
        Entity::Freeze(f) => {
            let rules = &v.pack.rules;
            let local = rules.local_time(f.deadline);
            let deadline = match f.answer {
                None => format!("{} {}", format::day(v, local.date()), local.format("%H:%M")),
                Some(_) => String::new(),
            };
            let amount = |minor: i64| num(format::money(v, minor), minor as f64 / 100.0);
            vec![
                cell(&r.number),
                day,
                status,
                cell(&f.request.institution),
                cell(&f.display),
                amount(f.request.amount_qepik),
                amount(f.frozen_qepik()),
                amount(f.returned_qepik()),
                cell(deadline),
                unit,
                case_link(Some(f.request.case_id)),
            ]
        }
        // A sample's day is the day it was drawn; its summary the kind and period.
        Entity::Sample(s) => {
            let kind = format::label(v, "sample_kind", s.kind.as_str());
            let period = format!("{} – {}", format::day(v, s.period_from), format::day(v, s.period_to));
            vec![cell(&r.number), day, status, cell(format!("{kind}, {period}")), unit]
        }
    };
    (href, cells)
}

pub fn search_columns() -> Vec<Column> {
    vec![text("ui.col.found"), text("ui.col.register"), text("ui.col.number"), text("ui.col.day"), text("ui.col.unit")]
}

/// A search hit: what it is, in which register, its number, day and unit.
pub fn search_row(v: &Viewer, units: &UnitTree, r: &Record) -> (String, Vec<Shown>) {
    let (href, cells) = row_of(v, units, r);
    let what = match r.kind {
        EntityKind::Person => cells.first().map(|c| c.text.clone()).unwrap_or_default(),
        EntityKind::Report | EntityKind::Case => cells.get(4).map(|c| c.text.clone()).unwrap_or_default(),
        EntityKind::Seizure | EntityKind::Accountability | EntityKind::Accident | EntityKind::Examination => {
            cells.get(2).map(|c| c.text.clone()).unwrap_or_default()
        }
        EntityKind::Meeting
        | EntityKind::Task
        | EntityKind::Release
        | EntityKind::Reception
        | EntityKind::Appeal
        | EntityKind::Publication
        | EntityKind::Freeze
        | EntityKind::Sample => cells.get(3).map(|c| c.text.clone()).unwrap_or_default(),
    };
    let what = if what.is_empty() { r.number.clone() } else { what };
    let register = format::label(v, "kind", r.kind.as_str());
    (
        href,
        vec![
            cell(what),
            cell(register),
            cell(&r.number),
            cell(format::day(v, r.day)),
            cell(format::unit_name(v, units, &r.unit)),
        ],
    )
}

/// Rows as a table: the first cell links to the record.
pub fn table(v: &Viewer, caption: &str, cols: &[Column], rows: &[(String, Vec<Shown>)]) -> Markup {
    html! {
        @if rows.is_empty() {
            p { (v.t("ui.list.empty")) }
        } @else {
            div.table-wrap role="region" tabindex="0" aria-label=(caption) {
                table {
                    // The heading above says it to the eye; the caption names the table for a screen reader.
                    caption.visually-hidden { (caption) }
                    thead { tr {
                        @for c in cols { th scope="col" class=[c.numeric.then_some("num")] { (v.t(c.key)) } }
                    } }
                    tbody {
                        @for (href, cells) in rows {
                            tr {
                                @for (i, (c, cell)) in cols.iter().zip(cells).enumerate() {
                                    td class=[if c.numeric { Some("num") } else if i == 0 { Some("nowrap") } else { None }] {
                                        @if i == 0 { a href=(href) { (cell.text) } }
                                        @else if let Some(h) = &cell.href { a href=(h) { (cell.text) } }
                                        @else { (cell.text) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
