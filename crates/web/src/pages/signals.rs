//! The inspector's page (`/signals`): for a period and a unit, each signal
//! of the counting rules as its question, the units below the unit on its
//! funnel plot with the plot's table and reading, and the units worth asking
//! about named in the report's order, never ranked; the same as CSV or a
//! workbook (docs/integrity.md, "How an inspector uses the signals").

use super::export::{attachment, requested};
use super::form::{Form, field};
use super::format;
use super::layout::page;
use super::paths::link;
use super::report::{FiguresQuery, figures_query, funnel_table, period_choices_with};
use super::respond::error_page;
use super::viewer::Viewer;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::Violation;
use crimeboard_domain::access::Action;
use crimeboard_export::Format;
use crimeboard_export::funnel::signal_chart;
use crimeboard_service::Registry;
use crimeboard_stats::Period;
use crimeboard_stats::board::BoardReport;
use crimeboard_stats::signals::{self, SignalReading, SolvingAgainstRecordingReading};
use maud::{Markup, PreEscaped, html};

pub async fn show(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let FiguresQuery { mut form, today, counted } = match figures_query(&v, &registry, query.as_deref()).await {
        Ok(asked) => asked,
        Err(refused) => return refused,
    };
    let period_text = form.text("period");
    let period = match Period::parse(&period_text) {
        Ok(p) => Some(p),
        Err(_) => {
            let (min, max) = crimeboard_stats::period::YEARS;
            form.reject(Violation::new("period", "form.period").with("min", min).with("max", max));
            None
        }
    };
    let unit = form.optional_text("unit");
    let read = match period.filter(|_| !form.has_errors()) {
        Some(period) => {
            match blocking(&registry, move |r| r.signals(period, unit.as_deref()).map_err(Problem::from_query)).await {
                Ok(read) => Some(read),
                Err(p) if p.status == StatusCode::BAD_REQUEST => {
                    form.reject_all(p.errors);
                    None
                }
                Err(p) => return error_page(&v, &p),
            }
        }
        None => None,
    };
    if let (Some((report, signals)), Some(format)) = (&read, requested(&form)) {
        return file(&v, &registry, report, signals, format, &period_text).await;
    }
    let title = v.t("ui.signals.title");
    let body = html! {
        h1 { (title) }
        p.help { (v.t("ui.signals.intro")) }
        (super::form::summary(&v, &form))
        (pickers(&v, &registry, &form, today, counted))
        @if let Some((report, signals)) = &read {
            (readings(&v, report, signals, &period_text))
            @if let Some(asked) = signals::solving_against_recording(report, &registry.jurisdiction().indicators) {
                (solving_against_recording(&v, report, &asked))
            }
        }
    };
    page(&v, title, body)
}

/// The signals as a file: the figures' export, audited.
async fn file(
    v: &Viewer,
    registry: &std::sync::Arc<Registry>,
    report: &BoardReport,
    signals: &[SignalReading],
    format: Format,
    period: &str,
) -> Response {
    let (viewer, scope, detail) =
        (v.clone(), report.scope().unit.to_string(), format!("period={period} format={}", format.extension()));
    let allowed = blocking(registry, move |r| {
        let caller = viewer.caller.as_ref().ok_or_else(crate::problem::unauthenticated)?;
        caller.require(r, Action::ExportFigures, Some(&scope))?;
        viewer.audit(r, "export.signals", &scope, &detail)
    })
    .await;
    if let Err(p) = allowed {
        return error_page(v, &p);
    }
    let lang = v.export_lang();
    let bytes = match format {
        Format::Xlsx => match crimeboard_export::signals::xlsx(report, signals, lang) {
            Ok(bytes) => bytes,
            Err(e) => return error_page(v, &Problem::internal(format!("signals: {e}"))),
        },
        _ => crimeboard_export::signals::csv(report, signals, lang),
    };
    attachment(bytes, format, &format!("crimeboard-signals.{}", format.extension()))
}

fn pickers(
    v: &Viewer,
    registry: &Registry,
    form: &Form,
    today: chrono::NaiveDate,
    counted: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
) -> Markup {
    let units = registry.units();
    let choices = period_choices_with(v, today, counted, form.get("period"));
    html! {
        form.filters method="get" action="/signals" aria-label=(v.t("ui.signals.pickers")) {
            (field("period", "ui.field.period").select(v, form, &choices))
            (field("unit", "ui.field.unit").select(v, form, &format::unit_options(v, &units, format::Blank::Everything("ui.unit.country"))))
            button type="submit" { (v.t("ui.action.show")) }
        }
    }
}

/// Each signal: its question, the units worth asking about, its plot, reading and table.
fn readings(v: &Viewer, report: &BoardReport, signals: &[SignalReading], period: &str) -> Markup {
    let lang = v.export_lang();
    let scope = report.scope();
    let file =
        |format: &str| link("/signals", &[("period", period), ("unit", scope.unit.as_str()), ("format", format)]);
    let has_units_below = report.units.iter().any(|u| u.parent.as_ref() == Some(&scope.unit));
    html! {
        h2 { (format::period_words(v, &report.period)) ": " (format::names(v, &scope.name)) }
        ul.actions aria-label=(v.t("ui.export.label")) {
            li { a href=(file("csv")) { (v.t("ui.export.csv")) } }
            li { a href=(file("xlsx")) { (v.t("ui.export.xlsx")) } }
        }
        @if !has_units_below {
            p #no-units-below { (v.t("ui.signals.no_units_below")) }
        } @else {
            @for (i, signal) in signals.iter().enumerate() {
                @let id = format!("signal-{}", signal.code);
                section.signal #(id) aria-labelledby=(format!("{id}-question")) {
                    h3 #(format!("{id}-question")) { (crimeboard_export::signals::question(report, signal, lang)) }
                    p.worth-asking { strong { (crimeboard_export::signals::worth_asking(report, signal, lang)) } }
                    (draw_links(v, report, signal))
                    @if let Some(chart) = signal_chart(report, signal, lang, &format!("signal-funnel-{i}")) {
                        figure.chart aria-labelledby=(format!("{id}-question")) {
                            (PreEscaped(chart.svg.as_str()))
                            div.reading { @for para in &chart.reading { p { (para) } } }
                            (funnel_table(&chart.table, &format!("{id}-table")))
                        }
                    }
                }
            }
        }
        p #cancellations-link { a href=(link(CANCELLATIONS_PATH, &[("period", period), ("unit", scope.unit.as_str())])) { (v.t("ui.signals.cancellations.link")) } }
        p.help { (v.fill("ui.report.stamp", &[("position", &report.position.to_string()), ("rules", &report.counting_rules), ("catalogue", &report.catalogue)])) }
    }
}

/// The cancellations decided in a period, listed beside the signals.
pub const CANCELLATIONS_PATH: &str = "/signals/cancellations";

/// Every cancellation decided in the period under the unit, approved or
/// refused: the case, the ground, who asked, who decided and whether the
/// victim was told (docs/integrity.md). Access as the signals page's.
pub async fn cancellations(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let FiguresQuery { mut form, .. } = match figures_query(&v, &registry, query.as_deref()).await {
        Ok(asked) => asked,
        Err(refused) => return refused,
    };
    let period_text = form.text("period");
    let Ok(period) = Period::parse(&period_text) else {
        let (min, max) = crimeboard_stats::period::YEARS;
        form.reject(Violation::new("period", "form.period").with("min", min).with("max", max));
        let title = v.t("ui.signals.cancellations.title");
        return page(&v, title, html! { h1 { (title) } (super::form::summary(&v, &form)) });
    };
    let unit = form.optional_text("unit");
    // The guard has checked `unit` against the viewer's units, as for the signals page.
    let listed = blocking(&registry, move |r| {
        let root = r.units().all().find(|u| u.parent.is_none()).map(|u| u.code.to_string()).unwrap_or_default();
        let scope = unit.clone().unwrap_or(root);
        let rows = r.cancellations_decided(period, Some(&scope)).map_err(Problem::from_query)?;
        Ok((scope, rows))
    })
    .await;
    let (scope, rows) = match listed {
        Ok(listed) => listed,
        Err(p) => return error_page(&v, &p),
    };
    let pack = registry.jurisdiction();
    let units = registry.units();
    let ground = |code: &str| {
        let grounds = pack.rules.cancellation.as_ref().map(|c| c.grounds.as_slice()).unwrap_or_default();
        grounds.iter().find(|g| g.code == code).map_or(code.to_string(), |g| format::names(&v, &g.name).to_string())
    };
    let title = v.t("ui.signals.cancellations.title");
    let day = |at| format::day(&v, pack.rules.local_date(at));
    let body = html! {
        h1 { (title) }
        h2 { (format::period_words(&v, &period)) ": " (format::unit_name(&v, &units, &scope)) }
        p.help { (v.t("ui.signals.cancellations.intro")) }
        p { a href=(link("/signals", &[("period", period_text.as_str()), ("unit", scope.as_str())])) { (v.t("ui.signals.title")) } }
        @if rows.is_empty() {
            p #no-cancellations { (v.t("ui.signals.cancellations.none")) }
        } @else {
            table #cancellations {
                caption { (v.t("ui.signals.cancellations.caption")) }
                thead { tr {
                    @for key in ["decided", "unit", "case", "ground", "requested_by", "decided_by", "decision", "victim_told"] {
                        th scope="col" { (format::label(&v, "signals.cancellations.column", key)) }
                    }
                } }
                tbody {
                    @for c in &rows {
                        tr {
                            td { (day(c.decided_at)) }
                            td { (format::unit_name(&v, &units, &c.unit)) }
                            th scope="row" { a href=(format!("/cases/{}", c.case_id)) { (c.case_number) } }
                            td { (ground(&c.ground)) }
                            td { (c.requested_by) " (" (day(c.requested_at)) ")" }
                            td { (c.decided_by) }
                            td { (format::label(&v, "cancellation", if c.approved { "approved" } else { "refused" })) }
                            td {
                                @match &c.victim_told {
                                    Some(told) => { (format::enum_label(&v, "signals.cancellations.told", &told.how)) ", " (day(told.at)) }
                                    None => { (v.t("ui.signals.cancellations.not_told")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(&v, title, body)
}

/// The question of a unit solving much while recording less than a year
/// before: each unit beyond both limits with the two numbers it rests on.
fn solving_against_recording(v: &Viewer, report: &BoardReport, asked: &SolvingAgainstRecordingReading) -> Markup {
    let scope = report.scope();
    if !report.units.iter().any(|u| u.parent.as_ref() == Some(&scope.unit)) {
        return html! {};
    }
    let name = |unit: &str| {
        report
            .units
            .iter()
            .find(|u| u.unit.as_str() == unit)
            .map_or(unit.to_string(), |u| format::names(v, &u.name).to_string())
    };
    html! {
        section.signal #solving-against-recording aria-labelledby="solving-against-recording-question" {
            h3 #solving-against-recording-question { (format::names(v, &asked.question)) }
            p.help { (v.t("ui.signals.solving_against_recording.how")) }
            @if asked.worth_asking.is_empty() {
                p.worth-asking { strong { (v.t("ui.signals.solving_against_recording.none")) } }
            } @else {
                table #solving-against-recording-table {
                    caption { (v.t("ui.signals.solving_against_recording.caption")) }
                    thead { tr {
                        th scope="col" { (v.t("ui.field.unit")) }
                        th scope="col" { (v.t("ui.signals.solving_against_recording.solved")) }
                        th scope="col" { (v.t("ui.signals.solving_against_recording.recorded")) }
                        th scope="col" { (v.t("ui.signals.solving_against_recording.year_before")) }
                    } }
                    tbody {
                        @for u in &asked.worth_asking {
                            tr {
                                th scope="row" { (name(&u.unit)) }
                                td { (v.fill("ui.signals.solving_against_recording.of", &[("solved", &format::integer(v, u.solved)), ("of", &format::integer(v, u.solved_of))])) }
                                td { (format::integer(v, u.recorded)) }
                                td { (format::integer(v, u.recorded_year_before)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// For an inspector, beside each unit worth asking about: the form that
/// draws a sample of its refusals in the period, pre-filled.
fn draw_links(v: &Viewer, report: &BoardReport, signal: &SignalReading) -> Markup {
    if signal.worth_asking.is_empty() || !v.may(crimeboard_domain::access::Action::DrawSample) {
        return html! {};
    }
    let (from, to) = (report.period.from, report.period.to);
    html! {
        ul.actions.draw-sample aria-label=(v.t("ui.sample.draw")) {
            @for unit in &signal.worth_asking {
                @let name = report.units.iter().find(|u| u.unit.as_str() == unit).map_or(unit.as_str(), |u| format::names(v, &u.name));
                li { a href=(super::samples::draw_link(unit, "refusals", from, to)) { (v.fill("ui.sample.draw_for", &[("unit", name)])) } }
            }
        }
    }
}
