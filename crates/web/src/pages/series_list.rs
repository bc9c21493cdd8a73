//! The list of series (docs/identifiers.md, "How an analyst works a
//! series"): those spanning the most units first, filtered by unit, size,
//! confirmation, hubs and weak links, by pages, and the same series as CSV
//! or XLSX. A series is named by its units and counts only; its page says
//! what the reader may see of its records.

use super::export;
use super::form::{Form, field, options};
use super::format;
use super::layout::page;
use super::paths::{link, series_path};
use super::respond::error_page;
use super::viewer::Viewer;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use crimeboard_domain::Violation;
use crimeboard_export::sheet::Cell;
use crimeboard_service::series::{SeriesFilter, SeriesPage, SeriesSummary};
use maud::{Markup, html};

pub const PATH: &str = "/series";
const PER_PAGE: u64 = 50;
/// The filters' names, kept in the pager's and the files' addresses.
const FILTERS: [&str; 6] = ["unit", "min_size", "max_size", "confirmed", "hub", "weak"];
const YES_NO: [(&str, &str); 2] = [("yes", "ui.yes"), ("no", "ui.no")];

/// The filters as typed; each refused one named at its field.
fn filter_of(form: &mut Form) -> SeriesFilter {
    form.reject_control_characters();
    let unit = form.optional_text("unit").and_then(|_| form.unit("unit"));
    let mut size = |name: &str| {
        let typed = form.optional_text(name)?;
        let parsed = typed.parse::<usize>().ok();
        if parsed.is_none() {
            form.reject(Violation::new(name, "form.number"));
        }
        parsed
    };
    let (min_size, max_size) = (size("min_size"), size("max_size"));
    let mut yes_no = |name: &str| match form.get(name) {
        "" => None,
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            form.reject(Violation::new(name, "form.choice"));
            None
        }
    };
    let (confirmed, hub, weak) = (yes_no("confirmed"), yes_no("hub"), yes_no("weak"));
    SeriesFilter { unit, min_size, max_size, confirmed, hub, weak }
}

fn href_with(form: &Form, extra: &[(&str, String)]) -> String {
    let mut pairs: Vec<(&str, &str)> = FILTERS.iter().map(|k| (*k, form.get(k))).collect();
    pairs.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
    link(PATH, &pairs)
}

pub async fn list(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let mut form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    let filter = filter_of(&mut form);
    let page_no = form.get("page").parse::<u64>().ok().filter(|p| (1..=100_000).contains(p)).unwrap_or(1);
    let file = export::requested(&form);
    let found = if form.has_errors() {
        None
    } else {
        let viewer = v.clone();
        let (page_no, per_page) = if file.is_some() { (1, export::MAX_ROWS) } else { (page_no, PER_PAGE) };
        let found = blocking(&registry, move |r| {
            let caller = viewer.caller.as_ref().ok_or_else(crate::problem::unauthenticated)?;
            if file.is_some() {
                viewer.audit(r, "export.series", "", viewer.here.split_once('?').map_or("", |(_, q)| q))?;
            }
            r.series_list(&caller.principal, &filter, page_no, per_page).map_err(Problem::from_service)
        })
        .await;
        match found {
            Ok(found) => Some(found),
            Err(p) => return error_page(&v, &p),
        }
    };
    let units = registry.units();
    let unit_name = |code: &str| format::unit_name(&v, &units, code);
    if let (Some(format), Some(found)) = (file, &found) {
        let (header, rows) = file_rows(&v, found, &unit_name);
        return export::file(&v, v.t("ui.series.list_title"), "series", &header, &rows, format);
    }
    let title = v.t("ui.series.list_title");
    let body = html! {
        h1 { (title) }
        p.help { (v.t("ui.series.list_help")) }
        (super::form::summary(&v, &form))
        form.filters method="get" action=(PATH) aria-label=(v.t("ui.filters")) {
            (field("unit", "ui.field.unit").select(&v, &form, &format::unit_options(&v, &units, format::Blank::Everything("ui.unit.all"))))
            (field("min_size", "ui.series.min_size").input(&v, &form, "number"))
            (field("max_size", "ui.series.max_size").input(&v, &form, "number"))
            (field("confirmed", "ui.series.confirmed").select(&v, &form, &options(&v, Some("ui.status.any"), &YES_NO)))
            (field("hub", "ui.series.has_hub").select(&v, &form, &options(&v, Some("ui.status.any"), &YES_NO)))
            (field("weak", "ui.series.has_weak").select(&v, &form, &options(&v, Some("ui.status.any"), &YES_NO)))
            button type="submit" { (v.t("ui.action.filter")) }
        }
        @if let Some(found) = &found {
            (table(&v, title, &found.items, &unit_name))
            (pager(&v, &form, page_no, found))
            ul.actions aria-label=(v.t("ui.export.label")) {
                li { a href=(href_with(&form, &[("format", "csv".into())])) { (v.t("ui.export.csv")) } }
                li { a href=(href_with(&form, &[("format", "xlsx".into())])) { (v.t("ui.export.xlsx")) } }
            }
        }
    };
    page(&v, title, body)
}

/// Yes or no in the viewer's language.
fn yes_no(v: &Viewer, b: bool) -> String {
    v.t(if b { "ui.yes" } else { "ui.no" }).to_string()
}

fn units_cell(v: &Viewer, s: &SeriesSummary, unit_name: &dyn Fn(&str) -> String) -> String {
    let each: Vec<String> = s
        .units
        .iter()
        .map(|e| format!("{} ({})", unit_name(e.unit.as_str()), format::integer(v, e.count as i64)))
        .collect();
    each.join(", ")
}

fn table(v: &Viewer, caption: &str, items: &[SeriesSummary], unit_name: &dyn Fn(&str) -> String) -> Markup {
    html! {
        @if items.is_empty() {
            p #series-none { (v.t("ui.list.empty")) }
        } @else {
            div.table-wrap role="region" tabindex="0" aria-label=(caption) {
                table #series-list {
                    caption.visually-hidden { (caption) }
                    thead { tr {
                        th scope="col" { (v.t("ui.series.series")) }
                        th scope="col" class="num" { (v.t("ui.series.size")) }
                        th scope="col" { (v.t("ui.series.units")) }
                        th scope="col" { (v.t("ui.series.confirmed")) }
                        th scope="col" class="num" { (v.t("ui.series.hubs")) }
                        th scope="col" class="num" { (v.t("ui.series.weak_links")) }
                    } }
                    tbody {
                        @for s in items {
                            tr {
                                td.nowrap { a href=(series_path(s.id)) { (short_id(s)) } }
                                td.num { (format::integer(v, s.size as i64)) }
                                td { (units_cell(v, s, unit_name)) }
                                td { (yes_no(v, s.confirmed)) }
                                td.num { (format::integer(v, s.hubs as i64)) }
                                td.num { (format::integer(v, s.weak as i64)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A series' id as a link shows it: its first eight hex digits, enough to
/// tell series apart on a page; the address holds it whole.
fn short_id(s: &SeriesSummary) -> String {
    s.id.simple().to_string()[..8].to_string()
}

fn pager(v: &Viewer, form: &Form, page_no: u64, found: &SeriesPage) -> Markup {
    let pages = (found.total as u64).div_ceil(PER_PAGE).max(1);
    let prev = (page_no > 1).then(|| href_with(form, &[("page", (page_no - 1).to_string())]));
    let next = (page_no < pages).then(|| href_with(form, &[("page", (page_no + 1).to_string())]));
    html! {
        p #series-total { (v.fill("ui.series.total", &[("n", &format::integer(v, found.total as i64))])) }
        nav aria-label=(v.t("ui.pager.label")) {
            ul.pager {
                @if let Some(h) = prev { li { a href=(h) rel="prev" { "← " (v.t("ui.pager.prev")) } } }
                li { (v.fill("ui.pager.page", &[("page", &format::integer(v, page_no as i64))])) }
                @if let Some(h) = next { li { a href=(h) rel="next" { (v.t("ui.pager.next")) " →" } } }
            }
        }
    }
}

/// The file's header and lines in the viewer's language: the id whole.
fn file_rows(v: &Viewer, found: &SeriesPage, unit_name: &dyn Fn(&str) -> String) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header = [
        "ui.series.series",
        "ui.series.size",
        "ui.series.units",
        "ui.series.confirmed",
        "ui.series.hubs",
        "ui.series.weak_links",
    ]
    .map(|k| v.t(k).to_string())
    .to_vec();
    let rows = found
        .items
        .iter()
        .map(|s| {
            vec![
                s.id.to_string().into(),
                Cell::Number(s.size as f64),
                units_cell(v, s, unit_name).into(),
                yes_no(v, s.confirmed).into(),
                Cell::Number(s.hubs as f64),
                Cell::Number(s.weak as f64),
            ]
        })
        .collect();
    (header, rows)
}
