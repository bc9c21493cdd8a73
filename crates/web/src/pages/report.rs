//! The Board's report: period and unit pickers, the figures against the same
//! period a year before with change and significance marks, drill-down from
//! the country to its districts, the narrative, and the files.

use super::export::attachment;
use super::form::{self, Form, field};
use super::format;
use super::layout::page;
use super::paths::link;
use super::respond::error_page;
use super::viewer::Viewer;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use crimeboard_domain::Violation;
use crimeboard_domain::access::Action;
use crimeboard_domain::publication::Publication;
use crimeboard_export::Format;
use crimeboard_export::chart;
use crimeboard_export::funnel::{FunnelChart, funnel_chart};
use crimeboard_service::{Registry, Structure};
use crimeboard_stats::Period;
use crimeboard_stats::board::{BoardReport, Figure, UnitFigures};
use crimeboard_stats::compare::Change;
use crimeboard_stats::indicators::ValueUnit;
use crimeboard_stats::period::default_quarter;
use crimeboard_stats::trend::Trend;
use maud::{Markup, PreEscaped, html};
use std::sync::Arc;

/// Figures shown per unit in the drill-down table.
const DRILL_FIGURES: usize = 3;

pub async fn show(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let FiguresQuery { mut form, today, counted } = match figures_query(&v, &registry, query.as_deref()).await {
        Ok(asked) => asked,
        Err(refused) => return refused,
    };
    let chosen = form.optional_text("custom").map(|c| ("custom", c)).unwrap_or(("period", form.text("period")));
    let period = match Period::parse(&chosen.1) {
        Ok(p) => Some(p),
        Err(e) => {
            let rule = match e.kind {
                crimeboard_stats::period::PeriodErrorKind::Years => "form.period_years",
                _ => "form.period",
            };
            let (min, max) = crimeboard_stats::period::YEARS;
            form.reject(Violation::new(chosen.0, rule).with("min", min).with("max", max));
            None
        }
    };
    let unit = form.optional_text("unit");
    let structure = structure(&mut form);
    let report = match period.filter(|_| !form.has_errors()) {
        Some(period) => {
            let unit = unit.clone();
            let found = blocking(&registry, move |r| {
                let report = r.report_under(period, unit.as_deref(), structure).map_err(Problem::from_query)?;
                let trend = r.trend(CHARTED, unit.as_deref(), period).map_err(Problem::from_query)?;
                let published = r.publications_of(report.period, &report.scope().unit).map_err(Problem::from_query)?;
                Ok((report, trend, published))
            })
            .await;
            match found {
                Ok(found) => Some(found),
                Err(p) if p.status == StatusCode::BAD_REQUEST => {
                    form.reject_all(p.errors);
                    None
                }
                Err(p) => return error_page(&v, &p),
            }
        }
        None => None,
    };
    let format = super::export::requested(&form).or((form.get("format") == "pdf").then_some(Format::Pdf));
    if let (Some((report, _, _)), Some(format)) = (&report, format) {
        // The figures as a file: their own action, and a line in the audit trail.
        let (viewer, scope, period) = (v.clone(), report.scope().unit.to_string(), chosen.1.clone());
        let allowed = blocking(&registry, move |r| {
            let caller = viewer.caller.as_ref().ok_or_else(crate::problem::unauthenticated)?;
            caller.require(r, Action::ExportFigures, Some(&scope))?;
            let detail = format!("period={period} format={} structure={}", format.extension(), structure.as_str());
            viewer.audit(r, "export.report", &scope, &detail)
        })
        .await;
        if let Err(p) = allowed {
            return error_page(&v, &p);
        }
        return file(&v, report, format, &chosen.1);
    }
    let pickers = pickers(&v, &registry, &form, today, counted);
    let title = v.t("ui.report.title");
    let body = html! {
        h1 { (title) }
        (form::summary(&v, &form))
        (pickers)
        @if let Some((report, trend, published)) = &report {
            (structure_note(&v, &registry, report.period, structure))
            (publications(&v, published))
            (figures(&v, report, trend, &Kept { period: &chosen.1, structure }))
            (publish_section(&v, &registry, report))
        }
    };
    page(&v, title, body)
}

fn file(v: &Viewer, report: &BoardReport, format: Format, period: &str) -> Response {
    match crimeboard_export::try_render(report, v.export_lang(), format) {
        Ok(bytes) => {
            let safe: String =
                period.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
            attachment(bytes, format, &format!("crimeboard-report-{safe}.{}", format.extension()))
        }
        Err(e) => error_page(v, &Problem::internal(format!("report: {e}"))),
    }
}

/// The first and the last day with figures: pages open on the last whole
/// quarter with figures (`default_quarter`) and offer every year with any.
/// What a figures page is asked: its query as a form, the latest quarter
/// with figures and the viewer's unit where none is named, with today and
/// the days counted, which the period choices read.
pub(super) struct FiguresQuery {
    pub form: Form,
    pub today: NaiveDate,
    pub counted: Option<(NaiveDate, NaiveDate)>,
}

pub(super) async fn figures_query(
    v: &Viewer,
    registry: &Arc<Registry>,
    query: Option<&str>,
) -> Result<FiguresQuery, Response> {
    let today = registry.jurisdiction().rules.local_date(registry.now());
    let counted = counted_days(registry).await.map_err(|p| error_page(v, &p))?;
    let mut form = Form::parse(query.unwrap_or("").as_bytes());
    form.reject_control_characters();
    if form.get("period").is_empty() {
        form = form.with("period", default_quarter(today, counted));
    }
    if let Some(unit) = v.unit.as_ref().filter(|_| form.get("unit").is_empty()) {
        form = form.with("unit", unit.clone());
    }
    Ok(FiguresQuery { form, today, counted })
}

pub async fn counted_days(registry: &Arc<Registry>) -> Result<Option<(NaiveDate, NaiveDate)>, Problem> {
    blocking(registry, |r| r.counted_days().map_err(Problem::from_query)).await
}

/// The periods to pick from, and the one chosen when a link (a drill-down,
/// an older quarter) reached a period not among them.
pub(super) fn period_choices_with(
    v: &Viewer,
    today: NaiveDate,
    counted: Option<(NaiveDate, NaiveDate)>,
    chosen: &str,
) -> Vec<(String, String)> {
    let mut choices = period_choices(v, today, counted);
    if let Some(p) = Period::parse(chosen).ok().filter(|_| !choices.iter().any(|(code, _)| code == chosen)) {
        choices.insert(0, (chosen.to_string(), format::period_words(v, &p)));
    }
    choices
}

/// Periods to pick from: the quarters, half-years and months up to the last
/// day with figures, every year with figures, and the year, 28 days and
/// week to today.
pub(super) fn period_choices(
    v: &Viewer,
    today: NaiveDate,
    counted: Option<(NaiveDate, NaiveDate)>,
) -> Vec<(String, String)> {
    let mut codes = Vec::new();
    let latest = counted.map_or(today, |(_, last)| last.min(today));
    let (y, m) = (latest.year(), latest.month());
    let quarter = (m - 1) / 3 + 1;
    for back in 0..8 {
        let index = (y * 4 + quarter as i32 - 1) - back;
        codes.push(format!("{}Q{}", index / 4, index % 4 + 1));
    }
    for back in 0..4 {
        let index = (y * 2 + if m > 6 { 1 } else { 0 }) - back;
        codes.push(format!("{}H{}", index / 2, index % 2 + 1));
    }
    let (first_year, last_year) = counted.map_or((today.year() - 2, today.year()), |(f, l)| (f.year(), l.year()));
    codes.extend((first_year..=last_year).rev().map(|year| year.to_string()));
    for back in 0..12 {
        let index = (y * 12 + m as i32 - 1) - back;
        codes.push(format!("{}-{:02}", index / 12, index % 12 + 1));
    }
    let day = today.format("%Y-%m-%d");
    codes.extend([format!("ytd:{day}"), format!("28d:{day}"), format!("week:{day}")]);
    codes
        .into_iter()
        .filter_map(|code| Period::parse(&code).ok().map(|p| (code, p)))
        .map(|(code, p)| {
            let words = format::period_words(v, &p);
            (code, words)
        })
        .collect()
}

fn pickers(
    v: &Viewer,
    registry: &Registry,
    form: &Form,
    today: NaiveDate,
    counted: Option<(NaiveDate, NaiveDate)>,
) -> Markup {
    let units = registry.units();
    let choices = period_choices_with(v, today, counted, form.get("period"));
    html! {
        form.filters method="get" action="/report" aria-label=(v.t("ui.report.pickers")) {
            (field("period", "ui.field.period").select(v, form, &choices))
            (field("custom", "ui.field.custom_period").help(v.t("ui.help.custom_period")).input(v, form, "text"))
            (field("unit", "ui.field.unit").select(v, form, &format::unit_options(v, &units, format::Blank::Everything("ui.unit.country"))))
            (structure_picker(v, form))
            button type="submit" { (v.t("ui.action.show")) }
        }
    }
}

/// The unit tree the figures roll up under, as the filter form asks
/// (`structure`, named as the API names it): the tree in force on the
/// period's last day unless `current`; another value is refused on its field.
pub fn structure(form: &mut Form) -> Structure {
    let asked = form.get("structure");
    match Structure::parse(asked) {
        Some(structure) => structure,
        None if asked.is_empty() => Structure::default(),
        None => {
            form.reject(Violation::new("structure", "form.choice"));
            Structure::default()
        }
    }
}

/// The filter form's control choosing the unit tree.
pub fn structure_picker(v: &Viewer, form: &Form) -> Markup {
    let choices = [("in_force", "ui.structure.in_force"), ("current", "ui.structure.current")];
    field("structure", "ui.field.structure").select(v, form, &form::options(v, None, &choices))
}

/// A link's `structure`: none for the default, so its links stay as they were.
pub fn structure_param(structure: Structure) -> &'static str {
    match structure {
        Structure::InForce => "",
        Structure::Current => structure.as_str(),
    }
}

/// Which tree the figures roll up under, said when a change of the tree is
/// dated inside or after the period and the two differ for it.
pub fn structure_note(v: &Viewer, registry: &Registry, period: Period, structure: Structure) -> Markup {
    if !registry.structure_matters(period) {
        return html! {};
    }
    let said = match structure {
        Structure::InForce => {
            let day = crimeboard_export::display::date(v.export_lang(), period.to);
            v.fill("ui.report.structure_in_force", &[("day", &day)])
        }
        Structure::Current => v.t("ui.report.structure_current").to_string(),
    };
    html! { p.help #structure-note { (said) } }
}

/// What every link of the report keeps: the period and the unit tree.
struct Kept<'a> {
    period: &'a str,
    structure: Structure,
}

impl Kept<'_> {
    /// The report of `unit` (as a file when `format` is given).
    fn link(&self, unit: &str, format: &str) -> String {
        let structure = structure_param(self.structure);
        link("/report", &[("period", self.period), ("unit", unit), ("structure", structure), ("format", format)])
    }
}

fn figures(v: &Viewer, report: &BoardReport, trend: &Trend, kept: &Kept) -> Markup {
    let scope = report.scope();
    let lang = v.export_lang();
    let narrative = crimeboard_export::narrative(report, lang);
    let unit_code = scope.unit.as_str();
    let here = |unit: &str, format: &str| kept.link(unit, format);
    html! {
        h2 { (format::period_words(v, &report.period)) ": " (format::names(v, &scope.name)) }
        p { (v.t("ui.report.compared")) " " (crimeboard_export::display::compared_with(lang, &report.previous)) "." }
        (breadcrumbs(v, report, kept))
        ul.actions aria-label=(v.t("ui.export.label")) {
            li { a href=(here(unit_code, "csv")) { (v.t("ui.export.csv")) } }
            li { a href=(here(unit_code, "xlsx")) { (v.t("ui.export.xlsx")) } }
            li { a href=(here(unit_code, "pdf")) { (v.t("ui.export.pdf")) } }
        }
        section aria-labelledby="narrative" {
            h2 #narrative { (v.t("ui.report.narrative")) }
            div.narrative { @for para in narrative.split("\n\n").filter(|p| !p.trim().is_empty()) { p { (para.trim()) } } }
        }
        (charts(v, report, trend))
        (funnels(v, report))
        (it_section(v, report))
        (figure_table(v, scope))
        (share_table(v, scope))
        (drill_down(v, report, kept))
        p.help { (v.fill("ui.report.stamp", &[("position", &report.position.to_string()), ("rules", &report.counting_rules), ("catalogue", &report.catalogue)])) }
    }
}

/// The indicator the charts draw: the month-by-month trend and the units side by side.
const CHARTED: &str = "crimes_recorded";

/// Each chart as inline SVG (titled and described for screen readers) followed
/// by the table of the figures it draws.
fn charts(v: &Viewer, report: &BoardReport, trend: &Trend) -> Markup {
    let lang = v.export_lang();
    let units = !report.children(CHARTED).is_empty();
    html! {
        section.charts #charts aria-labelledby="charts-title" {
            h2 #charts-title { (v.t("ui.report.charts")) }
            p.help { (v.t("ui.report.charts_pending")) }
            figure.chart {
                (PreEscaped(chart::trend_svg(trend, lang, "chart-trend")))
                (data_table(&chart::trend_table(trend, lang), "chart-trend-table"))
            }
            @if units {
                figure.chart {
                    (PreEscaped(chart::units_svg(report, CHARTED, lang, "chart-units")))
                    (data_table(&chart::units_table(report, CHARTED, lang), "chart-units-table"))
                }
            }
        }
    }
}

/// Each share the counting rules mark for a funnel plot: the units directly
/// below the one shown against all of them, with the plot's table and its
/// reading. A unit with none below it has nothing to compare.
fn funnels(v: &Viewer, report: &BoardReport) -> Markup {
    let lang = v.export_lang();
    let scope = &report.scope().unit;
    let has_units_below = report.units.iter().any(|u| u.parent.as_ref() == Some(scope));
    let charts: Vec<FunnelChart> = report
        .funnel_shares()
        .filter_map(|s| funnel_chart(report, &s.code, lang, &format!("funnel-{}", s.code)))
        .collect();
    html! {
        @if has_units_below && !charts.is_empty() {
            section.charts.funnels #funnels aria-labelledby="funnels-title" {
                h2 #funnels-title { (v.t("ui.report.funnels")) }
                p.help { (v.t("ui.report.funnels_help")) }
                @for (i, chart) in charts.iter().enumerate() {
                    @let id = format!("funnel-{i}");
                    figure.chart aria-labelledby=(format!("{id}-heading")) {
                        h3 #(format!("{id}-heading")) { (chart.title) }
                        (PreEscaped(chart.svg.as_str()))
                        div.reading { @for para in &chart.reading { p { (para) } } }
                        (funnel_table(&chart.table, &format!("{id}-table")))
                    }
                }
            }
        }
    }
}

/// The crimes committed with information technologies and their series,
/// the scope and each unit directly below it, as every format of the
/// report shows them (`crimeboard_export::it`).
fn it_section(v: &Viewer, report: &BoardReport) -> Markup {
    let lang = v.export_lang();
    let tables = crimeboard_export::it::tables(report, lang);
    html! {
        @if !tables.is_empty() {
            section #it aria-labelledby="it-title" {
                h2 #it-title { (crimeboard_export::it::heading(lang)) }
                p.help { (crimeboard_export::it::note(lang)) }
                @for (i, table) in tables.iter().enumerate() {
                    (data_table(table, &format!("it-table-{i}")))
                }
            }
        }
    }
}

/// A funnel's table: the counts and the share as numbers, the band in words.
pub(super) fn funnel_table(table: &chart::DataTable, id: &str) -> Markup {
    let last = table.columns.len().saturating_sub(1);
    html! {
        div.table-wrap role="region" tabindex="0" aria-labelledby=(id) {
            table {
                caption #(id) { (table.caption) }
                thead { tr { @for (i, c) in table.columns.iter().enumerate() {
                    @if i == 0 || i == last { th scope="col" { (c) } } @else { th.num scope="col" { (c) } }
                } } }
                tbody { @for row in &table.rows { tr {
                    th scope="row" { (row.label) }
                    @for (i, value) in row.values.iter().enumerate() {
                        @if i + 1 == last { td { (value) } } @else { td.num { (value) } }
                    }
                } } }
            }
        }
    }
}

pub fn data_table(table: &chart::DataTable, id: &str) -> Markup {
    html! {
        div.table-wrap role="region" tabindex="0" aria-labelledby=(id) {
            table {
                caption #(id) { (table.caption) }
                thead {
                    tr {
                        @for (i, c) in table.columns.iter().enumerate() {
                            @if i == 0 { th scope="col" { (c) } } @else { th.num scope="col" { (c) } }
                        }
                    }
                }
                tbody {
                    @for row in &table.rows {
                        tr { th scope="row" { (row.label) } @for value in &row.values { td.num { (value) } } }
                    }
                }
            }
        }
    }
}

/// The way up from the unit shown to the country, each a link.
fn breadcrumbs(v: &Viewer, report: &BoardReport, kept: &Kept) -> Markup {
    let scope = report.scope();
    html! {
        @if let Some(parent) = &scope.parent {
            p { a href=(kept.link(parent.as_str(), "")) { "↑ " (v.t("ui.report.up")) } }
        }
    }
}

fn figure_table(v: &Viewer, unit: &UnitFigures) -> Markup {
    html! {
        h2 #figures { (v.t("ui.report.figures")) }
        div.table-wrap role="region" tabindex="0" aria-labelledby="figures" { table aria-labelledby="figures" {
            thead { tr {
                th scope="col" { (v.t("ui.report.indicator")) }
                th scope="col" .num { (v.t("ui.report.current")) }
                th scope="col" .num { (v.t("ui.report.previous")) }
                th scope="col" .num { (v.t("ui.report.change")) }
                th scope="col" .num { (v.t("ui.report.percent")) }
                th scope="col" { (v.t("ui.report.significance")) }
            } }
            tbody { @for f in &unit.figures { (figure_row(v, f)) } }
        } }
    }
}

fn figure_row(v: &Viewer, f: &Figure) -> Markup {
    let c = &f.change;
    html! {
        tr {
            th scope="row" { (format::names(v, &f.name)) }
            td.num { (value(v, f.unit, c.current)) }
            td.num { (value(v, f.unit, c.previous)) }
            td.num { (direction(v, c)) " " (signed(value(v, f.unit, c.absolute.abs()), c.absolute)) }
            td.num { @match c.percent { Some(p) => { (signed(format::decimal(v, p.abs()), p.signum() as i64)) " %" }, None => "—" } }
            td { (significance(v, c)) }
        }
    }
}

/// A stored figure as the page writes it: a count, money, kilograms.
pub(super) fn value(v: &Viewer, unit: ValueUnit, stored: i64) -> String {
    match unit {
        ValueUnit::Number => format::integer(v, stored),
        ValueUnit::Qepik => format::money(v, stored),
        ValueUnit::Grams => format::kilograms(v, stored),
    }
}

fn signed(text: String, sign: i64) -> String {
    match sign.signum() {
        1 => format!("+{text}"),
        -1 => format!("−{text}"),
        _ => text,
    }
}

/// An arrow with its word for screen readers: the direction is never colour alone.
fn direction(v: &Viewer, c: &Change) -> Markup {
    let (arrow, key) = match c.absolute.signum() {
        1 => ("▲", "ui.change.up"),
        -1 => ("▼", "ui.change.down"),
        _ => ("=", "ui.change.flat"),
    };
    html! { span aria-hidden="true" { (arrow) } span.visually-hidden { (v.t(key)) } }
}

pub(super) fn significance(v: &Viewer, c: &Change) -> Markup {
    match c.significant {
        Some(true) => html! { span.mark.significant { "★ " (v.t("ui.report.significant")) } },
        Some(false) => html! { (v.t("ui.report.not_significant")) },
        None => html! { "—" },
    }
}

fn share_table(v: &Viewer, unit: &UnitFigures) -> Markup {
    let pct = |x: Option<f64>| x.map_or_else(|| "—".to_string(), |x| format!("{} %", format::decimal(v, x)));
    html! {
        @if !unit.shares.is_empty() {
            h2 #shares { (v.t("ui.report.shares")) }
            div.table-wrap role="region" tabindex="0" aria-labelledby="shares" { table aria-labelledby="shares" {
                thead { tr {
                    th scope="col" { (v.t("ui.report.indicator")) }
                    th scope="col" .num { (v.t("ui.report.current")) }
                    th scope="col" .num { (v.t("ui.report.previous")) }
                } }
                tbody { @for s in &unit.shares { tr {
                    th scope="row" { (format::names(v, &s.name)) }
                    td.num { (pct(s.current)) }
                    td.num { (pct(s.previous)) }
                } } }
            } }
        }
    }
}

/// The units directly below the one shown, each a link to its own report.
fn drill_down(v: &Viewer, report: &BoardReport, kept: &Kept) -> Markup {
    let scope = report.scope();
    let children: Vec<&UnitFigures> = report.units.iter().filter(|u| u.parent.as_ref() == Some(&scope.unit)).collect();
    let shown: Vec<&Figure> = scope.figures.iter().take(DRILL_FIGURES).collect();
    html! {
        @if !children.is_empty() {
            h2 #below { (v.t("ui.report.below")) }
            div.table-wrap role="region" tabindex="0" aria-labelledby="below" { table aria-labelledby="below" {
                thead { tr {
                    th scope="col" { (v.t("ui.col.unit")) }
                    @for f in &shown { th scope="col" .num { (format::names(v, &f.name)) } }
                } }
                tbody { @for child in &children { tr {
                    th scope="row" {
                        a href=(kept.link(child.unit.as_str(), "")) { (format::names(v, &child.name)) }
                    }
                    @for f in &shown {
                        @let found = child.figures.iter().find(|cf| cf.code == f.code);
                        td.num { @match found {
                            Some(cf) => { (value(v, cf.unit, cf.change.current)) " " (direction(v, &cf.change)) }
                            None => "—",
                        } }
                    }
                } } }
            } }
        }
    }
}

/// The form that publishes a report's figures (`publish_report`): the scope
/// and period as the report shows them, the kind, a note and the envelope.
/// The report's page offers it to those who may publish; refused, it is
/// shown again on its own page.
pub fn publish_fields(v: &Viewer, registry: &Registry, form: &Form) -> Markup {
    let units = registry.units();
    let fields = html! {
        (field("scope", "ui.publication.scope").required().select(v, form, &format::unit_options(v, &units, format::Blank::Choose)))
        (field("period_from", "ui.field.from").required().input(v, form, "date"))
        (field("period_to", "ui.field.to").required().input(v, form, "date"))
        (field("kind", "ui.publication.kind").required().select(v, form, &form::options(v, None, &format::PUBLICATION_KINDS)))
        (field("note", "ui.publication.note").textarea(v, form))
        (form::envelope(v, form))
    };
    form::post(v, "/publications/new", "ui.publication.publish", fields)
}

/// The publications of the report's period and scope, each linked.
fn publications(v: &Viewer, published: &[Publication]) -> Markup {
    html! {
        @if !published.is_empty() {
            section aria-labelledby="publications-title" {
                h2 #publications-title { (v.t("ui.publication.of_period")) }
                ul #publications-of-period {
                    @for p in published {
                        li {
                            a href={ "/publications/" (p.id) } { (p.number) }
                            " — " (format::label(v, "publication.kind", p.kind.as_str()))
                            ", " (v.fill("ui.publication.revision_n", &[("n", &p.revision.to_string())]))
                            ", " (format::day(v, p.published_on))
                        }
                    }
                }
            }
        }
    }
}

/// The report's figures published: the form, for those who may publish.
fn publish_section(v: &Viewer, registry: &Registry, report: &BoardReport) -> Markup {
    if !v.may(Action::PublishFigures) {
        return html! {};
    }
    let form = Form::default()
        .with("scope", report.scope().unit.as_str())
        .with("period_from", report.period.from.to_string())
        .with("period_to", report.period.to.to_string())
        .with("kind", "board_report");
    html! {
        section aria-labelledby="publish-title" {
            h2 #publish-title { (v.t("ui.publication.publish")) }
            p.help { (v.t("ui.publication.publish_help")) }
            (publish_fields(v, registry, &form))
        }
    }
}
