//! The structural units' public pages: a directory of every unit in force
//! today as nested lists, searchable by name in any script, and each unit's
//! own page: where it sits in the structure, its chief's reception hours
//! and how to book one, its public figures for the latest quarter against a
//! year before, and its latest news. Everything is read from the
//! unit tree in force, so a reorganisation (a unit renamed, moved or
//! merged) shows on the pages the day it takes effect.

use super::figures::{change_table, open_data, unit_figures};
use super::format;
use super::layout::page;
use super::paths::{FIGURES, UNITS, link};
use super::respond::error_page;
use super::viewer::{Viewer, query_value};
use crate::load::Load;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Days, NaiveDate};
use crimeboard_domain::search::search_keys;
use crimeboard_domain::units::{Contacts, Unit, UnitCode, UnitTree};
use crimeboard_service::reception::ScheduledSession;
use crimeboard_service::{Registry, Structure};
use crimeboard_stats::Period;
use maud::{Markup, html};
use std::sync::Arc;

/// How far ahead the reception hours are shown.
const RECEPTION_DAYS: u64 = 28;

/// The unit tree in force on the registry's civil day, and that day.
fn in_force(r: &Registry) -> (Arc<UnitTree>, NaiveDate) {
    let today = r.jurisdiction().rules.local_date(r.now());
    (r.dated_units().as_of(today), today)
}

pub async fn directory(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let asked = query_value(query.as_deref(), "q").unwrap_or_default();
    let (tree, _) = in_force(&registry);
    let matches = (!asked.trim().is_empty()).then(|| matching(&tree, &asked));
    let body = html! {
        h1 { (v.t("ui.units.title")) }
        form.filters method="get" action=(UNITS) role="search" {
            div.field {
                label for="units-q" { (v.t("ui.units.search")) }
                input #units-q type="search" name="q" value=(asked);
            }
            button type="submit" { (v.t("ui.action.search")) }
        }
        @match &matches {
            Some(found) if found.is_empty() => p { (v.t("ui.units.none_found")) },
            Some(found) => {
                h2 { (v.fill("ui.units.found", &[("count", &format::integer(&v, found.len() as i64))])) }
                ul.units-found { @for unit in found { li { (unit_link(&v, unit)) (within(&v, &tree, unit)) } } }
            }
            None => {}
        }
        h2 { (v.t("ui.units.structure")) }
        (nested(&v, &tree, tree.all().filter(|u| u.parent.is_none()).collect()))
    };
    page(&v, v.t("ui.units.title"), body)
}

/// The units whose names, in any of the languages, hold every word typed:
/// each word matched as the beginning of a name's word by its search key,
/// so Məmmədov, Мамедов and Mammadov find one another.
fn matching<'a>(tree: &'a UnitTree, asked: &str) -> Vec<&'a Unit> {
    let wanted = search_keys(asked);
    let wanted: Vec<&str> = wanted.split_whitespace().collect();
    tree.all()
        .filter(|u| tree.merged_into(&u.code).is_none())
        .filter(|u| {
            let n = &u.names;
            let keys = search_keys(&format!("{} {} {} {}", n.az, n.ru, n.en, u.code.as_str()));
            wanted.iter().all(|w| keys.split_whitespace().any(|k| k.starts_with(w)))
        })
        .collect()
}

/// The units as nested lists, each under its parent; a merged unit is no
/// longer listed.
fn nested(v: &Viewer, tree: &UnitTree, units: Vec<&Unit>) -> Markup {
    html! {
        ul.unit-tree {
            @for unit in units {
                li {
                    (unit_link(v, unit))
                    @let children: Vec<&Unit> = tree.children(&unit.code).collect();
                    @if !children.is_empty() { (nested(v, tree, children)) }
                }
            }
        }
    }
}

fn unit_link(v: &Viewer, unit: &Unit) -> Markup {
    html! { a href=(format!("{UNITS}/{}", unit.code.as_str())) { (format::names(v, &unit.names)) } }
}

/// ", within X, Y": the unit's ancestors, nearest first.
fn within(v: &Viewer, tree: &UnitTree, unit: &Unit) -> Markup {
    let names: Vec<&str> = tree.ancestors(&unit.code).skip(1).map(|u| format::names(v, &u.names)).collect();
    html! { @if !names.is_empty() { " — " span.within { (names.join(" / ")) } } }
}

pub async fn show(
    v: Viewer,
    State(registry): Shared,
    Extension(load): Extension<Arc<Load>>,
    Path(code): Path<String>,
) -> Response {
    let (tree, today) = in_force(&registry);
    let Some(unit) = UnitCode::parse(&code).ok().and_then(|c| tree.get(&c).cloned()) else {
        return error_page(&v, &Problem::new(StatusCode::NOT_FOUND, crate::problem::kind::NOT_FOUND, vec![]));
    };
    if let Some(survivor) = tree.merged_into(&unit.code).and_then(|s| tree.get(s)).cloned() {
        return merged(&v, &unit, &survivor);
    }
    let quarter = match super::report::counted_days(&registry).await {
        Ok(counted) => crimeboard_stats::period::default_quarter(today, counted),
        Err(p) => return error_page(&v, &p),
    };
    let period = Period::parse(&quarter).expect("a quarter the figures give is a period");
    let code = unit.code.to_string();
    let read = blocking(&registry, move |r| {
        let sessions =
            r.reception_schedule(&code, today, today + Days::new(RECEPTION_DAYS)).map_err(Problem::from_query)?;
        let now = open_data(r, &load, period, Structure::InForce)?;
        let before = open_data(r, &load, period.year_before(), Structure::InForce)?;
        Ok((sessions, now, before, super::news::visible(r)?))
    })
    .await;
    let (sessions, now, before, releases) = match read {
        Ok(read) => read,
        Err(p) => return error_page(&v, &p),
    };
    let name = format::names(&v, &unit.names).to_string();
    let figures = unit_figures(&now, &before, unit.code.as_str());
    let caption = v.fill("ui.units.figures_caption", &[("period", &format::period_words(&v, &period))]);
    let body = html! {
        (breadcrumbs(&v, &tree, &unit))
        h1 { (name) }
        (contacts(&v, tree.contacts(&unit.code)))
        (structure(&v, &tree, &unit))
        section aria-labelledby="reception" {
            h2 #reception { (v.t("ui.units.reception")) }
            (reception_hours(&v, &sessions))
            h3 { (v.t("ui.units.how_to_book")) }
            p { (v.t("ui.units.booking")) }
        }
        section aria-labelledby="figures" {
            h2 #figures { (v.t("ui.units.figures")) }
            (change_table(&v, &figures, &caption))
            p { a href=(link(FIGURES, &[("unit", unit.code.as_str()), ("period", &quarter)])) { (v.t("ui.units.all_figures")) } }
        }
        // The unit's latest news: the releases tagged with it or issued by it.
        section aria-labelledby="news" {
            h2 #news { (v.t("ui.units.news")) }
            (super::news::latest(&v, &releases, Some(&unit.code), "ui.units.no_news"))
        }
    };
    page(&v, &name, body)
}

/// A unit merged into another: where its work went.
fn merged(v: &Viewer, unit: &Unit, survivor: &Unit) -> Response {
    let body = html! {
        h1 { (format::names(v, &unit.names)) }
        p { (v.t("ui.units.merged")) " " (unit_link(v, survivor)) }
    };
    page(v, format::names(v, &unit.names), body)
}

/// The way down from the top of the structure to the unit.
fn breadcrumbs(v: &Viewer, tree: &UnitTree, unit: &Unit) -> Markup {
    let mut above: Vec<&Unit> = tree.ancestors(&unit.code).skip(1).collect();
    above.reverse();
    html! {
        nav.breadcrumbs aria-label=(v.t("ui.units.breadcrumbs")) {
            ol {
                li { a href=(UNITS) { (v.t("ui.units.title")) } }
                @for u in above { li { (unit_link(v, u)) } }
            }
        }
    }
}

/// How to reach the unit, as its latest contacts act in force says.
fn contacts(v: &Viewer, contacts: Option<&Contacts>) -> Markup {
    html! {
        @match contacts {
            Some(c) => dl.facts {
                dt { (v.t("ui.units.address")) } dd { (format::names(v, &c.address)) }
                dt { (v.t("ui.units.head")) } dd { (c.head) ", " (format::names(v, &c.head_position)) }
                dt { (v.t("ui.units.telephone")) }
                dd { a href=(format!("tel:{}", c.telephone.chars().filter(|ch| ch.is_ascii_digit() || *ch == '+').collect::<String>())) { (c.telephone) } }
            },
            None => p { (v.t("ui.units.no_contacts")) },
        }
    }
}

/// The units directly below.
fn structure(v: &Viewer, tree: &UnitTree, unit: &Unit) -> Markup {
    let children: Vec<&Unit> = tree.children(&unit.code).collect();
    html! {
        @if !children.is_empty() {
            section aria-labelledby="below" {
                h2 #below { (v.t("ui.units.below")) }
                ul { @for c in children { li { (unit_link(v, c)) } } }
            }
        }
    }
}

/// The chief's sessions still to come, with the places left.
fn reception_hours(v: &Viewer, sessions: &[ScheduledSession]) -> Markup {
    let open: Vec<&ScheduledSession> = sessions.iter().filter(|s| s.status == "scheduled").collect();
    html! {
        @if open.is_empty() {
            p { (v.fill("ui.units.no_reception", &[("days", &RECEPTION_DAYS.to_string())])) }
        } @else {
            div.table-wrap role="region" tabindex="0" aria-labelledby="reception-caption" {
                table {
                    caption #reception-caption { (v.fill("ui.units.reception_caption", &[("days", &RECEPTION_DAYS.to_string())])) }
                    thead { tr {
                        th scope="col" { (v.t("ui.units.day")) }
                        th scope="col" { (v.t("ui.units.hours")) }
                        th scope="col" { (v.t("ui.units.chief")) }
                        th scope="col" { (v.t("ui.units.place")) }
                        th scope="col" class="num" { (v.t("ui.units.free")) }
                    } }
                    tbody {
                        @for s in open {
                            tr {
                                td { (format::date(v, s.day)) }
                                td.nowrap { (s.from.format("%H:%M")) "–" (s.to.format("%H:%M")) }
                                td { (s.chief.full_name) ", " (s.chief.position) }
                                td { (s.place) }
                                td class="num" { (format::integer(v, i64::from(s.free))) }
                            }
                        }
                    }
                }
            }
        }
    }
}
