//! The parts of a case's page, and the facts of the simple registers'
//! entries: state, persons, money, and what hangs off the case.

use super::format;
use super::rows::{columns, row_of, table};
use super::viewer::Viewer;
use crimeboard_domain::EntityKind;
use crimeboard_domain::act::Entity;
use crimeboard_domain::case::CriminalCase;
use crimeboard_service::Registry;
use crimeboard_store::Record;
use maud::{Markup, html};

pub fn facts(v: &Viewer, registry: &Registry, c: &CriminalCase, reports: &[(uuid::Uuid, String)]) -> Markup {
    let rules = &registry.jurisdiction().rules;
    let units = registry.units();
    let articles: Vec<String> = c.articles.iter().map(ToString::to_string).collect();
    let flags = flag_words(v, c);
    html! {
        dl.facts {
            dt { (v.t("ui.col.status")) } dd { (format::enum_label(v, "status", &c.status)) }
            dt { (v.t("ui.col.unit")) } dd { (format::unit_name(v, &units, c.unit.as_str())) }
            dt { (v.t("ui.field.agency")) } dd { (format::enum_label(v, "agency", &c.agency)) }
            dt { (v.t("ui.col.articles")) } dd { (articles.join(", ")) }
            @if let Some(gravity) = &c.gravity {
                dt { (v.t("ui.record.gravity")) } dd { (format::enum_label(v, "gravity", gravity)) }
            }
            dt { (v.t("ui.col.occurred")) } dd { (format::instant(v, rules, c.occurred_at)) }
            dt { (v.t("ui.col.registered")) } dd { (format::instant(v, rules, c.registered_at)) }
            @if !c.place.address.is_empty() {
                dt { (v.t("ui.field.place.address")) } dd { (c.place.address) }
            }
            dt { (v.t("ui.record.flags")) } dd { @if flags.is_empty() { "—" } @else { (flags.join(", ")) } }
            @if !c.description.is_empty() {
                dt { (v.t("ui.col.description")) } dd { (c.description) }
            }
            @if let Some(solved) = c.solved_at {
                dt { (v.t("ui.record.solved_at")) } dd { (format::instant(v, rules, solved)) }
            }
            dt { (v.t("ui.record.reports")) } dd {
                @if reports.is_empty() { (v.t("ui.field.detected_by_police")) }
                @for (i, (id, number)) in reports.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href={ "/reports/" (id) } { (number) }
                }
            }
        }
    }
}

fn flag_words(v: &Viewer, c: &CriminalCase) -> Vec<&'static str> {
    let f = &c.flags;
    [
        (f.it_enabled, "ui.flag.it_enabled"),
        (f.group, "ui.flag.group"),
        (f.family_conflict, "ui.flag.family_conflict"),
        (f.public_place, "ui.flag.public_place"),
        (f.intoxication, "ui.flag.intoxication"),
        (f.non_obvious, "ui.flag.non_obvious"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, key)| v.t(key))
    .collect()
}

pub fn persons(v: &Viewer, c: &CriminalCase) -> Markup {
    html! {
        h2 #persons { (v.t("ui.record.persons")) }
        @if c.persons.is_empty() {
            p { (v.t("ui.record.no_persons")) }
        } @else {
            div.table-wrap role="region" tabindex="0" aria-labelledby="persons" { table aria-labelledby="persons" {
                thead { tr {
                    th scope="col" { (v.t("ui.col.name")) }
                    th scope="col" { (v.t("ui.col.role")) }
                    th scope="col" { (v.t("ui.col.fin")) }
                    th scope="col" { (v.t("ui.col.birth_date")) }
                } }
                tbody { @for p in &c.persons { tr {
                    td { a href={ "/persons/" (p.id) } { (p.input.full_name) } }
                    td { (format::enum_label(v, "status", &p.input.role)) }
                    td { (p.input.fin.as_ref().map(|f| f.as_str()).unwrap_or("—")) }
                    td { @match p.input.birth_date { Some(d) => (format::date(v, d)), None => "—" } }
                } } }
            } }
        }
    }
}

pub fn money(v: &Viewer, registry: &Registry, c: &CriminalCase) -> Markup {
    let rules = &registry.jurisdiction().rules;
    let damage = c.damage_qepik();
    let reimbursed = c.reimbursed_qepik();
    let share = (damage > 0).then(|| reimbursed as f64 * 100.0 / damage as f64);
    html! {
        h2 #money { (v.t("ui.record.money")) }
        dl.facts {
            dt { (v.t("ui.col.damage")) } dd { (format::money(v, damage)) }
            dt { (v.t("ui.record.reimbursed")) } dd { (format::money(v, reimbursed)) }
            dt { (v.t("ui.record.reimbursed_share")) } dd {
                @match share { Some(s) => { (format::decimal(v, s)) " %" }, None => "—" }
            }
        }
        @if !c.damage.is_empty() || !c.reimbursements.is_empty() {
            div.table-wrap role="region" tabindex="0" aria-labelledby="money" { table aria-labelledby="money" {
                thead { tr {
                    th scope="col" { (v.t("ui.col.day")) }
                    th scope="col" { (v.t("ui.col.money_kind")) }
                    th scope="col" .num { (v.t("ui.col.amount")) }
                } }
                tbody {
                    @for m in &c.damage { tr {
                        td { (format::instant(v, rules, m.at)) }
                        td { (v.t("ui.money.damage")) }
                        td.num { (format::money(v, m.amount_qepik)) }
                    } }
                    @for m in &c.reimbursements { tr {
                        td { (format::instant(v, rules, m.at)) }
                        td { (v.t("ui.money.reimbursement")) }
                        td.num { (format::money(v, m.amount_qepik)) }
                    } }
                }
            } }
        }
    }
}

/// Seizures, examinations and freeze requests of the case (its persons are shown above).
pub fn children(v: &Viewer, registry: &Registry, children: &[Record]) -> Markup {
    let units = registry.units();
    let sections = [
        (EntityKind::Seizure, "ui.list.seizures", "seizures"),
        (EntityKind::Examination, "ui.list.examinations", "examinations"),
        (EntityKind::Freeze, "ui.list.freezes", "freezes"),
    ];
    html! {
        @for (kind, title, anchor) in sections {
            @let rows: Vec<_> = children.iter().filter(|r| r.kind == kind).map(|r| row_of(v, &units, r)).collect();
            h2 id=(anchor) { (v.t(title)) }
            (table(v, v.t(title), &columns(kind), &rows))
        }
    }
}

/// The facts of a seizure, an accident or an examination.
pub fn register_facts(v: &Viewer, registry: &Registry, entity: &Entity) -> Markup {
    let rules = &registry.jurisdiction().rules;
    let units = registry.units();
    let unit = format::unit_name(v, &units, entity.unit().as_str());
    html! {
        dl.facts {
            dt { (v.t("ui.col.unit")) } dd { (unit) }
            @match entity {
                Entity::Seizure(s) => {
                    dt { (v.t("ui.col.seized")) } dd { (format::instant(v, rules, s.entry.seized_at)) }
                    dt { (v.t("ui.col.substance")) } dd { (s.entry.substance) }
                    dt { (v.t("ui.col.weight")) } dd { (format::kilograms(v, s.entry.net_grams)) }
                    @if let Some(case) = s.entry.case_id {
                        dt { (v.t("ui.col.case")) } dd { a href={ "/cases/" (case) } { (v.t("ui.record.open_case_page")) } }
                    }
                }
                Entity::Accident(a) => {
                    dt { (v.t("ui.col.occurred")) } dd { (format::instant(v, rules, a.entry.occurred_at)) }
                    @if !a.entry.place.address.is_empty() {
                        dt { (v.t("ui.field.place.address")) } dd { (a.entry.place.address) }
                    }
                    dt { (v.t("ui.col.killed")) } dd { (format::integer(v, a.entry.killed)) }
                    dt { (v.t("ui.col.injured")) } dd { (format::integer(v, a.entry.injured)) }
                    dt { (v.t("ui.col.cause")) } dd { (a.entry.cause) }
                }
                Entity::Examination(e) => {
                    dt { (v.t("ui.col.requested")) } dd { (format::instant(v, rules, e.request.requested_at)) }
                    dt { (v.t("ui.col.exam_kind")) } dd { (format::enum_label(v, "exam_kind", &e.request.kind)) }
                    dt { (v.t("ui.field.question")) } dd { (e.request.question) }
                    dt { (v.t("ui.col.case")) } dd { a href={ "/cases/" (e.request.case_id) } { (v.t("ui.record.open_case_page")) } }
                    @if let Some(result) = &e.result {
                        dt { (v.t("ui.record.result")) } dd { (result.result) }
                    }
                }
                Entity::Accountability(a) => {
                    dt { (v.t("ui.col.day")) } dd { (format::instant(v, rules, a.entry.decided_at)) }
                    dt { (v.t("ui.col.name")) } dd { (a.entry.full_name) }
                    dt { (v.t("ui.col.fin")) } dd { (a.entry.fin.as_ref().map(|f| f.as_str()).unwrap_or("—")) }
                    dt { (v.t("ui.col.offence")) } dd { (a.entry.offence) }
                    dt { (v.t("ui.col.status")) } dd { (format::enum_label(v, "status", &a.entry.liability)) }
                    @if let Some(case) = a.entry.case_id {
                        dt { (v.t("ui.col.case")) } dd { a href={ "/cases/" (case) } { (v.t("ui.record.open_case_page")) } }
                    }
                }
                Entity::Freeze(f) => {
                    dt { (v.t("ui.col.sent")) } dd { (format::instant(v, rules, f.request.sent_at)) }
                    dt { (v.t("ui.col.institution")) } dd { (f.request.institution) }
                    dt { (v.t("ui.col.account")) } dd { (f.display) }
                    dt { (v.t("ui.col.asked")) } dd { (format::money(v, f.request.amount_qepik)) }
                    dt { (v.t("ui.col.deadline")) } dd { (format::deadline(v, rules, f.deadline)) }
                    dt { (v.t("ui.col.status")) } dd { (format::label(v, "status", f.status())) }
                    @if let Some(answer) = &f.answer {
                        dt { (v.t("ui.freeze.answered")) } dd { (format::instant(v, rules, answer.answered_at)) }
                        dt { (v.t("ui.col.frozen")) } dd { (format::money(v, answer.amount_frozen_qepik)) }
                        @if let Some(note) = &answer.note { dt { (v.t("ui.freeze.note")) } dd { (note) } }
                    }
                    dt { (v.t("ui.col.returned")) } dd { (format::money(v, f.returned_qepik())) }
                    dt { (v.t("ui.col.case")) } dd { a href={ "/cases/" (f.request.case_id) } { (f.case_number) } }
                }
                _ => {}
            }
        }
    }
}
