//! The public's figures: the Board's indicators for a period and a unit,
//! month by month, from the open data (`Registry::open_data`) with small
//! cells and those that would reveal them hidden at the default threshold.
//! No sign-in and nothing personal; the same cells as a CSV file.

use super::export::attachment;
use super::form::{Form, field};
use super::format;
use super::layout::{page, page_with_status};
use super::paths::{FIGURES as PATH, METHODS, OPEN_DATA, link};
use super::respond::error_page;
use super::viewer::Viewer;
use crate::load::{FiguresKey, Load};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_export::chart;
use crimeboard_service::{Registry, Structure};
use crimeboard_stats::Period;
use crimeboard_stats::disclosure::{DEFAULT_THRESHOLD, OpenCell, OpenData, OpenIndicator};
use crimeboard_stats::indicators::ValueUnit;
use crimeboard_stats::trend::{MonthFigure, Trend};
use maud::{Markup, PreEscaped, html};
use std::collections::HashMap;
use std::sync::Arc;

/// The open data at the default threshold under a unit tree, computed once
/// per journal position (its "generated at" is when it was first computed there).
pub(super) fn open_data(
    r: &Registry,
    load: &Load,
    period: crimeboard_stats::Period,
    structure: Structure,
) -> Result<Arc<OpenData>, Problem> {
    let mut key = FiguresKey {
        structure,
        period,
        threshold: DEFAULT_THRESHOLD,
        counting_rules: r.jurisdiction().indicators.version.clone(),
        units: r.units().len(),
        position: r.store().position().map_err(|e| Problem::from_service(e.into()))?,
    };
    if let Some(data) = load.figures.get(&key) {
        return Ok(data);
    }
    let data = Arc::new(r.open_data(period, DEFAULT_THRESHOLD, structure).map_err(Problem::from_query)?);
    key.position = data.position;
    // About what the cells take, with their strings.
    let bytes = data.cells.len() * (std::mem::size_of::<OpenCell>() + 32) + 4096;
    load.figures.insert(key, data.clone(), bytes);
    Ok(data)
}

pub async fn show(
    v: Viewer,
    State(registry): Shared,
    Extension(load): Extension<Arc<Load>>,
    RawQuery(query): RawQuery,
) -> Response {
    let mut form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    form.reject_control_characters();
    let structure = super::report::structure(&mut form);
    if form.has_errors() {
        return again(
            &v,
            &registry,
            form,
            Problem::new(StatusCode::BAD_REQUEST, crate::problem::kind::VALIDATION, vec![]),
        );
    }
    if form.get("period").is_empty() {
        let today = registry.jurisdiction().rules.local_date(registry.now());
        let counted = match super::report::counted_days(&registry).await {
            Ok(counted) => counted,
            Err(p) => return error_page(&v, &p),
        };
        form = form.with("period", crimeboard_stats::period::default_quarter(today, counted));
    }
    let root = registry.anonymous().home.to_string();
    if form.get("unit").is_empty() {
        form = form.with("unit", root);
    }
    let period = match crate::params::period(Some(form.get("period"))) {
        Ok(p) => p,
        Err(p) => return again(&v, &registry, form, p),
    };
    let loaded = blocking(&registry, move |r| {
        let now = open_data(r, &load, period, structure)?;
        let before = open_data(r, &load, period.year_before(), structure)?;
        Ok((now, before))
    })
    .await;
    let (data, before) = match loaded {
        Ok(d) => d,
        Err(p) if p.status.is_client_error() => return again(&v, &registry, form, p),
        Err(p) => return error_page(&v, &p),
    };
    if form.get("format") == "csv" {
        let bytes = crimeboard_export::open_data::figures_csv(&data);
        return attachment(bytes, crimeboard_export::Format::Csv, &format!("crimeboard-figures-{}.csv", data.period));
    }
    let unit = form.get("unit").to_string();
    if !data.units.iter().any(|u| u.code.as_str() == unit) {
        let mut p = Problem::param(crimeboard_domain::Violation::new("unit", "unit.unknown"));
        p.status = StatusCode::BAD_REQUEST;
        return again(&v, &registry, form, p);
    }
    let indicator = match charted(&data, form.get("indicator")) {
        Some(i) => i,
        None => {
            let mut p = Problem::param(crimeboard_domain::Violation::new("indicator", "form.choice"));
            p.status = StatusCode::BAD_REQUEST;
            return again(&v, &registry, form, p);
        }
    };
    let figures = unit_figures(&data, &before, &unit);
    let caption = v.fill("ui.units.figures_caption", &[("period", &format::period_words(&v, &period))]);
    let kept = [("period", form.get("period")), ("structure", super::report::structure_param(structure))];
    let body = html! {
        h1 { (v.t("ui.figures.title")) }
        (picker(&v, &registry, &form, &data))
        p { (v.fill("ui.figures.suppressed", &[("threshold", &format::integer(&v, data.threshold))])) }
        (super::report::structure_note(&v, &registry, period, structure))
        (change_table(&v, &figures, &caption))
        (chart(&v, &data, &before, &unit, indicator))
        (table(&v, &data, &unit))
        h2 { (v.t("ui.figures.downloads")) }
        ul.actions {
            @let own = [("period", form.get("period")), ("unit", &unit), ("structure", kept[1].1), ("format", "csv")];
            li { a href=(link(PATH, &own)) { (v.t("ui.export.csv")) } }
            li { a href=(link(OPEN_DATA, &[&kept[..], &[("format", "csv")]].concat())) { (v.t("ui.figures.open_csv")) } }
            li { a href=(link(OPEN_DATA, &[&kept[..], &[("format", "json")]].concat())) { (v.t("ui.figures.open_json")) } }
            li { a href=(METHODS) { (v.t("ui.figures.methods")) } }
        }
    };
    page(&v, v.t("ui.figures.title"), body)
}

/// The indicator asked for, else the first the counting rules list; a
/// group of a grouped indicator is not charted on its own.
fn charted<'a>(data: &'a OpenData, asked: &str) -> Option<&'a OpenIndicator> {
    let whole = || data.indicators.iter().filter(|i| !i.code.contains('/'));
    match asked {
        "" => whole().next(),
        code => whole().find(|i| i.code == code),
    }
}

/// One indicator of the unit month by month against a year before, drawn
/// by the report's chart code with its data table, when no month of either
/// year is hidden; a chart with a hidden month would give it away by its
/// shape, so then the table above says it all.
fn chart(v: &Viewer, now: &OpenData, before: &OpenData, unit: &str, indicator: &OpenIndicator) -> Markup {
    match trend(now, before, unit, indicator) {
        Some(trend) => html! {
            div.charts {
                figure.chart {
                    (PreEscaped(chart::trend_svg(&trend, v.export_lang(), "chart-trend")))
                    figcaption { (super::report::data_table(&chart::trend_table(&trend, v.export_lang()), "chart-trend-table")) }
                }
            }
        },
        None => html! { p.notice { (v.t("ui.figures.no_chart")) } },
    }
}

/// The open data's cells of one unit and indicator as the report's
/// [`Trend`], or `None` when a month of either year is hidden.
fn trend(now: &OpenData, before: &OpenData, unit: &str, indicator: &OpenIndicator) -> Option<Trend> {
    let cell = |data: &OpenData, month: &str| -> Option<i64> {
        match data.cells.iter().find(|c| c.unit.as_str() == unit && c.indicator == indicator.code && c.month == month) {
            Some(c) => c.value,
            None => Some(0),
        }
    };
    let owner = now.units.iter().find(|u| u.code.as_str() == unit)?;
    let mut months = Vec::new();
    for (month, earlier) in now.months.iter().zip(&before.months) {
        months.push(MonthFigure {
            month: Period::parse(month).ok()?,
            value: cell(now, month)?,
            year_before: cell(before, earlier)?,
        });
    }
    Some(Trend {
        unit: owner.code.clone(),
        unit_name: owner.name.clone(),
        code: indicator.code.clone(),
        name: indicator.name.clone(),
        value_unit: indicator.unit,
        currency: now.currency.clone(),
        months,
        position: now.position,
        name_fallback: now.name_fallback,
    })
}

/// The picker again, with what was wrong next to its field.
fn again(v: &Viewer, registry: &Registry, mut form: Form, p: Problem) -> Response {
    form.reject_all(p.errors);
    let body = html! {
        h1 { (v.t("ui.figures.title")) }
        (super::form::summary(v, &form))
        (picker_without_indicators(v, registry, &form))
    };
    page_with_status(v, StatusCode::BAD_REQUEST, v.t("ui.figures.title"), body)
}

/// The form that picks the unit, the period and the indicator charted: a
/// server-side form, sent by GET.
fn picker(v: &Viewer, registry: &Registry, form: &Form, data: &OpenData) -> Markup {
    let indicators: Vec<(String, String)> = data
        .indicators
        .iter()
        .filter(|i| !i.code.contains('/'))
        .map(|i| (i.code.clone(), format::names(v, &i.name).to_string()))
        .collect();
    picker_with(v, registry, form, &indicators)
}

/// The picker when the open data could not be read: no indicator to offer.
fn picker_without_indicators(v: &Viewer, registry: &Registry, form: &Form) -> Markup {
    picker_with(v, registry, form, &[])
}

fn picker_with(v: &Viewer, registry: &Registry, form: &Form, indicators: &[(String, String)]) -> Markup {
    let units = registry.units();
    let options = format::unit_options(v, &units, format::Blank::Choose);
    html! {
        form.filters method="get" action=(PATH) {
            (field("period", "ui.field.period").help(v.t("ui.help.period_months")).input(v, form, "text"))
            (field("unit", "ui.field.unit").select(v, form, &options[1..]))
            @if !indicators.is_empty() {
                (field("indicator", "ui.figures.indicator").select(v, form, indicators))
            }
            (super::report::structure_picker(v, form))
            button type="submit" { (v.t("ui.action.show")) }
        }
    }
}

/// One row per indicator, one column per month; a hidden cell says so.
fn table(v: &Viewer, data: &OpenData, unit: &str) -> Markup {
    // The unit's cells by (indicator, month), read once: looking each up among
    // every unit's cells made a country's page cost milliseconds.
    let cells: HashMap<(&str, &str), &OpenCell> = data
        .cells
        .iter()
        .filter(|c| c.unit.as_str() == unit)
        .map(|c| ((c.indicator.as_str(), c.month.as_str()), c))
        .collect();
    let cell = |indicator: &str, month: &str| -> Option<&OpenCell> { cells.get(&(indicator, month)).copied() };
    html! {
        div.table-wrap role="region" tabindex="0" aria-labelledby="figures-caption" {
            table {
                caption #figures-caption { (v.t("ui.figures.caption")) }
                thead { tr {
                    th scope="col" { (v.t("ui.figures.indicator")) }
                    @for m in &data.months { th scope="col" class="num" { (m) } }
                } }
                tbody {
                    @for i in &data.indicators {
                        tr {
                            th scope="row" { (format::names(v, &i.name)) }
                            @for m in &data.months {
                                td class="num" {
                                    @match cell(&i.code, m) {
                                        Some(OpenCell { value: Some(n), .. }) => (value(v, i.unit, *n)),
                                        Some(OpenCell { suppressed: Some(_), .. }) => abbr title=(v.t("ui.figures.hidden")) { "—" },
                                        _ => "0",
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

fn value(v: &Viewer, unit: ValueUnit, n: i64) -> String {
    match unit {
        ValueUnit::Number => format::integer(v, n),
        ValueUnit::Qepik => format::money(v, n),
        ValueUnit::Grams => format::kilograms(v, n),
    }
}

/// One indicator of a unit over a period and the same period a year
/// before, from the open data: each the sum of its months, or `None` when
/// a month is hidden, so a total never gives a hidden cell away.
#[derive(Debug, Clone)]
pub(super) struct UnitFigure<'a> {
    pub indicator: &'a OpenIndicator,
    pub current: Option<i64>,
    pub previous: Option<i64>,
}

/// A unit's figures, the indicators without their groups, in the counting
/// rules' order.
pub(super) fn unit_figures<'a>(now: &'a OpenData, before: &OpenData, unit: &str) -> Vec<UnitFigure<'a>> {
    let total = |data: &OpenData, indicator: &str| -> Option<i64> {
        data.cells
            .iter()
            .filter(|c| c.unit.as_str() == unit && c.indicator == indicator)
            .try_fold(0i64, |sum, c| c.value.map(|v| sum + v))
    };
    now.indicators
        .iter()
        .filter(|i| !i.code.contains('/'))
        .map(|i| UnitFigure { indicator: i, current: total(now, &i.code), previous: total(before, &i.code) })
        .collect()
}

/// The figures beside a year before, with the change in numbers and per
/// cent (none on a zero base); a hidden total says so.
pub(super) fn change_table(v: &Viewer, figures: &[UnitFigure], caption: &str) -> Markup {
    let shown = |unit: ValueUnit, n: Option<i64>| -> Markup {
        match n {
            Some(n) => html! { (value(v, unit, n)) },
            None => html! { abbr title=(v.t("ui.figures.hidden")) { "—" } },
        }
    };
    html! {
        div.table-wrap role="region" tabindex="0" aria-label=(caption) {
            table {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (v.t("ui.figures.indicator")) }
                    th scope="col" class="num" { (v.t("ui.figures.current")) }
                    th scope="col" class="num" { (v.t("ui.figures.year_before")) }
                    th scope="col" class="num" { (v.t("ui.figures.change")) }
                } }
                tbody {
                    @for f in figures {
                        tr {
                            th scope="row" { (format::names(v, &f.indicator.name)) }
                            td class="num" { (shown(f.indicator.unit, f.current)) }
                            td class="num" { (shown(f.indicator.unit, f.previous)) }
                            td class="num" { (change(v, f)) }
                        }
                    }
                }
            }
        }
    }
}

/// The change as the report counts it (`compare::Change`): in numbers, and
/// in per cent on a base above zero.
fn change(v: &Viewer, f: &UnitFigure) -> String {
    let (Some(now), Some(before)) = (f.current, f.previous) else { return "—".to_string() };
    let change = crimeboard_stats::compare::Change::of_amounts(now, before);
    let sign = if change.absolute > 0 { "+" } else { "" };
    let amount = format!("{sign}{}", value(v, f.indicator.unit, change.absolute));
    match change.percent {
        Some(percent) => format!("{amount} ({sign}{} %)", format::decimal(v, percent)),
        None => amount,
    }
}

/// The figures' methods in plain words: where they come from, how they are
/// counted and compared, how the units add up, why some are hidden and
/// what the files hold (docs/methods.md and the open data's rule, said
/// for everyone).
pub async fn methods(v: Viewer) -> Response {
    let threshold = format::integer(&v, DEFAULT_THRESHOLD);
    let sections: [(&str, String); 6] = [
        ("ui.methods.source_title", v.t("ui.methods.source").to_string()),
        ("ui.methods.counting_title", v.t("ui.methods.counting").to_string()),
        ("ui.methods.compare_title", v.t("ui.methods.compare").to_string()),
        ("ui.methods.units_title", v.t("ui.methods.units").to_string()),
        ("ui.methods.hidden_title", v.fill("ui.methods.hidden", &[("threshold", &threshold)])),
        ("ui.methods.files_title", v.t("ui.methods.files").to_string()),
    ];
    let body = html! {
        h1 { (v.t("ui.methods.title")) }
        @for (title, text) in &sections {
            h2 { (v.t(title)) }
            p { (text) }
        }
        p { a href=(PATH) { (v.t("ui.nav.figures")) } }
    };
    page(&v, v.t("ui.methods.title"), body)
}
