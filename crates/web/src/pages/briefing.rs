//! The briefing pack before a Board meeting: a GET form (the period under
//! review, the agenda as topics with the indicators' codes, the reporting
//! units, or a stored meeting instead; optionally a journal position), the pack below it (per agenda item
//! each unit's figures against the year before with their significance and
//! rank; the units' tasks and deadlines kept), and the same pack as PDF or
//! XLSX.

use super::export::attachment;
use super::form::{self, Form, field};
use super::format;
use super::layout::page;
use super::paths::link;
use super::report::{counted_days, period_choices_with, significance, value};
use super::respond::error_page;
use super::viewer::Viewer;
use crate::params::{briefing_fields, briefing_meeting, briefing_request};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::Violation;
use crimeboard_domain::access::Action;
use crimeboard_export::Format;
use crimeboard_stats::Period;
use crimeboard_stats::briefing::{BriefedItem, Briefing, DeadlinesKept};
use crimeboard_stats::period::default_quarter;
use maud::{Markup, html};

pub const PATH: &str = "/board/briefing";

pub async fn show(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let today = registry.jurisdiction().rules.local_date(registry.now());
    let counted = match counted_days(&registry).await {
        Ok(counted) => counted,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    form.reject_control_characters();
    // The pack is made once the agenda, the units or a meeting are sent; the form opens empty.
    let asked = ["agenda", "units", "meeting"].iter().any(|k| !form.get(k).is_empty());
    if form.get("period").is_empty() {
        form = form.with("period", default_quarter(today, counted));
    }
    let pack = if asked { make(&v, &registry, &mut form).await } else { Ok(None) };
    let pack = match pack {
        Ok(pack) => pack,
        Err(p) => return error_page(&v, &p),
    };
    let format = match form.get("format") {
        "pdf" => Some(Format::Pdf),
        "xlsx" => Some(Format::Xlsx),
        _ => None,
    };
    if let (Some(pack), Some(format)) = (&pack, format) {
        // A meeting's pack is named by its period's days, a typed one's by the period chosen.
        let period = if form.get("meeting").is_empty() { form.text("period") } else { pack.period.to_string() };
        return file(&v, &registry, pack, format, period).await;
    }
    let choices = period_choices_with(&v, today, counted, form.get("period"));
    // Drawn before the summary, which links only to the controls drawn.
    let controls = html! {
        form.filters method="get" action=(PATH) aria-label=(v.t("ui.briefing.form")) {
            (field("period", "ui.field.period").select(&v, &form, &choices))
            (field("agenda", "ui.briefing.agenda").help(v.t("ui.briefing.agenda_help")).required().textarea(&v, &form))
            (field("units", "ui.briefing.units").help(v.t("ui.briefing.units_help")).required().input(&v, &form, "text"))
            (field("meeting", "ui.briefing.meeting").help(v.t("ui.briefing.meeting_help")).input(&v, &form, "text"))
            (field("at", "ui.briefing.at").help(v.t("ui.briefing.at_help")).input(&v, &form, "text"))
            button type="submit" { (v.t("ui.action.show")) }
        }
    };
    let title = v.t("ui.briefing.title");
    let body = html! {
        h1 { (title) }
        p { (v.t("ui.briefing.intro")) }
        (form::summary(&v, &form))
        (controls)
        (indicator_list(&v))
        @if let Some(pack) = &pack { (shown(&v, pack, &form)) }
    };
    page(&v, title, body)
}

/// The pack the form asks for, or the form's problems put at its controls
/// (then None). Every reporting unit's figures must be the viewer's to read.
async fn make(
    v: &Viewer,
    registry: &std::sync::Arc<crimeboard_service::Registry>,
    form: &mut Form,
) -> Result<Option<Briefing>, Problem> {
    let typed = !form.get("agenda").is_empty() || !form.get("units").is_empty();
    let meeting = match briefing_meeting(form.optional_text("meeting").as_deref(), typed) {
        Ok(meeting) => meeting,
        Err(violation) => {
            form.reject(violation);
            return Ok(None);
        }
    };
    let period = match Period::parse(&form.text("period")) {
        Ok(p) => Some(p),
        Err(_) => {
            let (min, max) = crimeboard_stats::period::YEARS;
            form.reject(Violation::new("period", "form.period").with("min", min).with("max", max));
            None
        }
    };
    let at = form.optional_text("at").map(|_| form.integer("at"));
    let request = match meeting {
        Some(_) => None,
        None => match period.map(|p| briefing_request(p, form.get("agenda"), form.get("units"))) {
            Some(Ok(request)) => Some(request),
            Some(Err(violations)) => {
                form.reject_all(violations);
                return Ok(None);
            }
            None => return Ok(None),
        },
    };
    let at = match at {
        Some(None) => return Ok(None),
        Some(Some(at)) => Some(at),
        None => None,
    };
    if form.has_errors() {
        return Ok(None);
    }
    let viewer = v.clone();
    let made = blocking(registry, move |r| {
        let caller = viewer.caller.as_ref().ok_or_else(crate::problem::unauthenticated)?;
        let (request, tasks_on) = r.briefing_request(request, meeting).map_err(Problem::from_query)?;
        let tree = r.units();
        // A unit that does not exist is the pack's to name, with the rest of what is wrong.
        for unit in request.units.iter().filter(|u| tree.get(u).is_some()) {
            caller.require(r, Action::ReadFigures, Some(unit.as_str()))?;
        }
        r.briefing_with_tasks(&request, tasks_on, at).map_err(Problem::from_query)
    })
    .await;
    match made {
        Ok(pack) => Ok(Some(pack)),
        Err(p) if p.status == StatusCode::BAD_REQUEST => {
            form.reject_all(briefing_fields(p.errors));
            Ok(None)
        }
        Err(p) => Err(p),
    }
}

/// The pack as a file: the figures' export, allowed in every reporting unit
/// and written to the audit trail.
async fn file(
    v: &Viewer,
    registry: &std::sync::Arc<crimeboard_service::Registry>,
    pack: &Briefing,
    format: Format,
    period: String,
) -> Response {
    let (viewer, units) = (v.clone(), pack.units.iter().map(|u| u.unit.to_string()).collect::<Vec<_>>());
    let detail = format!("period={period} units={} format={}", units.join(","), format.extension());
    let allowed = blocking(registry, move |r| {
        let caller = viewer.caller.as_ref().ok_or_else(crate::problem::unauthenticated)?;
        for unit in &units {
            caller.require(r, Action::ExportFigures, Some(unit))?;
        }
        viewer.audit(r, "export.briefing", "", &detail)
    })
    .await;
    if let Err(p) = allowed {
        return error_page(v, &p);
    }
    let written = match format {
        Format::Pdf => crimeboard_export::briefing_pdf(pack, v.export_lang()),
        _ => crimeboard_export::briefing_xlsx(pack, v.export_lang()),
    };
    match written {
        Ok(bytes) => {
            let safe: String =
                period.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
            attachment(bytes, format, &format!("crimeboard-briefing-{safe}.{}", format.extension()))
        }
        Err(e) => error_page(v, &Problem::internal(format!("briefing: {e}"))),
    }
}

/// The indicators an agenda may name: the counting rules' own, ungrouped.
fn indicator_list(v: &Viewer) -> Markup {
    html! {
        details.help {
            summary { (v.t("ui.briefing.indicators")) }
            div.table-wrap role="region" tabindex="0" aria-labelledby="indicator-codes" {
                table {
                    caption #indicator-codes { (v.t("ui.briefing.indicators")) }
                    thead { tr { th scope="col" { (v.t("ui.briefing.code")) } th scope="col" { (v.t("ui.report.indicator")) } } }
                    tbody {
                        @for ind in v.pack.indicators.indicators.iter().filter(|i| !i.is_grouped()) {
                            tr { td { code { (ind.code) } } td { (format::names(v, &ind.name)) } }
                        }
                    }
                }
            }
        }
    }
}

fn shown(v: &Viewer, pack: &Briefing, form: &Form) -> Markup {
    let here = |format: &str| {
        let mut params: Vec<(&str, String)> =
            ["period", "agenda", "units", "meeting", "at"].iter().map(|k| (*k, form.get(k).to_string())).collect();
        params.retain(|(_, value)| !value.is_empty());
        params.push(("format", format.to_string()));
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, value)| (*k, value.as_str())).collect();
        link(PATH, &pairs)
    };
    let lang = v.export_lang();
    html! {
        h2 #pack { (format::period_words(v, &pack.period)) }
        p { (v.t("ui.report.compared")) " " (crimeboard_export::display::compared_with(lang, &pack.previous)) "." }
        ul.actions aria-label=(v.t("ui.export.label")) {
            li { a href=(here("pdf")) { (v.t("ui.export.pdf")) } }
            li { a href=(here("xlsx")) { (v.t("ui.export.xlsx")) } }
        }
        @for (i, item) in pack.items.iter().enumerate() { (item_table(v, pack, item, i)) }
        (units_table(v, pack))
        p.help { (v.t("ui.briefing.rank_rule")) }
        p.help { (v.fill("ui.report.stamp", &[("position", &pack.position.to_string()), ("rules", &pack.counting_rules), ("catalogue", &pack.catalogue)])) }
    }
}

fn item_table(v: &Viewer, pack: &Briefing, item: &BriefedItem, index: usize) -> Markup {
    let id = format!("item-{}", index + 1);
    let number = (index + 1).to_string();
    html! {
        h2 #(id) { (v.fill("ui.briefing.item", &[("number", &number), ("topic", &item.topic)])) }
        div.table-wrap role="region" tabindex="0" aria-labelledby=(id) { table aria-labelledby=(id) {
            thead { tr {
                th scope="col" { (v.t("ui.col.unit")) }
                th scope="col" { (v.t("ui.report.indicator")) }
                th scope="col" .num { (v.t("ui.report.current")) }
                th scope="col" .num { (v.t("ui.report.previous")) }
                th scope="col" .num { (v.t("ui.report.percent")) }
                th scope="col" { (v.t("ui.report.significance")) }
                th scope="col" .num { (v.t("ui.briefing.rank")) }
            } }
            tbody {
                @for row in &item.rows {
                    @let unit = pack.unit(&row.unit).map(|u| format::names(v, &u.name)).unwrap_or(row.unit.as_str());
                    @for (f, ind) in row.figures.iter().zip(&item.indicators) {
                        tr {
                            th scope="row" { (unit) }
                            td { (format::names(v, &ind.name)) }
                            td.num { (value(v, ind.unit, f.change.current)) }
                            td.num { (value(v, ind.unit, f.change.previous)) }
                            td.num { @match f.change.percent { Some(p) => { (format::decimal(v, p)) " %" }, None => "—" } }
                            td { (significance(v, &f.change)) }
                            td.num { (v.fill("ui.briefing.rank_of", &[("place", &f.rank.place.to_string()), ("of", &f.rank.of.to_string())])) }
                        }
                    }
                }
            }
        } }
    }
}

fn units_table(v: &Viewer, pack: &Briefing) -> Markup {
    html! {
        h2 #units { (v.t("ui.briefing.units_title")) }
        div.table-wrap role="region" tabindex="0" aria-labelledby="units" { table aria-labelledby="units" {
            thead { tr {
                th scope="col" { (v.t("ui.col.unit")) }
                th scope="col" .num { (v.t("ui.briefing.tasks_open")) }
                th scope="col" .num { (v.t("ui.briefing.tasks_overdue")) }
                th scope="col" .num { (v.t("ui.briefing.deadlines_kept")) }
            } }
            tbody { @for u in &pack.units { tr {
                th scope="row" { (format::names(v, &u.name)) }
                @match u.tasks {
                    Some(t) => { td.num { (t.open) } td.num { (t.overdue) } }
                    None => { td.num { (v.t("ui.briefing.not_given")) } td.num { (v.t("ui.briefing.not_given")) } }
                }
                td.num { @match (u.deadlines_kept, u.deadlines_kept.percent()) {
                    (DeadlinesKept::NotCounted, _) => { (v.t("ui.briefing.not_counted")) },
                    (DeadlinesKept::Counted { in_time, decided }, Some(p)) => {
                        (format::decimal(v, p)) " % (" (format::integer(v, in_time)) " / " (format::integer(v, decided)) ")"
                    },
                    (DeadlinesKept::Counted { .. }, None) => { (v.t("ui.briefing.none_decided")) },
                } }
            } } }
        } }
    }
}
