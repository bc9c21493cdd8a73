//! A series on the pages (docs/identifiers.md, "How an analyst works a
//! series"): its records by unit, the other units' counts, each link with
//! its reason, the hubs, a diagram of the links (server-rendered SVG with
//! the table of links as its text equivalent), its confirmation and what
//! changed since, and the analyst's forms to confirm it or split it.

use super::form::{self, Form, field};
use super::format;
use super::held::{identifier_path, kind_name};
use super::layout::page_with_status;
use super::paths::{record_path, series_path};
use super::respond::{PageId, error_page, see_other};
use super::viewer::Viewer;
use super::write::{Submitted, submit};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::Command;
use crimeboard_domain::access::Action;
use crimeboard_domain::identifier::IdentifierKey;
use crimeboard_domain::series::{AcknowledgeSeriesAlert, ConfirmSeries, SplitSeries};
use crimeboard_service::series::{LinkEnd, SeriesView};
use crimeboard_service::{Registry, ServiceError, Submission};
use maud::{Markup, PreEscaped, html};
use std::sync::Arc;
use uuid::Uuid;

/// What a series' address finds: the series, or the series now holding the
/// record whose id the address names (a retired series id).
enum Found {
    Series(Box<SeriesView>),
    MovedTo(Uuid),
}

async fn find(v: &Viewer, registry: &Arc<Registry>, id: Uuid) -> Result<Found, Problem> {
    let Some(caller) = v.caller.clone() else { return Err(crate::problem::unauthenticated()) };
    blocking(registry, move |r| match r.series(&caller.principal, id) {
        Ok(view) => Ok(Found::Series(Box::new(view))),
        Err(ServiceError::NotFound) => match r.series_now_holding(&caller.principal, id) {
            Ok(Some(now)) => Ok(Found::MovedTo(now)),
            Ok(None) => Err(Problem::not_found()),
            Err(e) => Err(Problem::from_service(e)),
        },
        Err(e) => Err(Problem::from_service(e)),
    })
    .await
}

pub async fn show(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    match find(&v, &registry, id).await {
        Ok(Found::Series(view)) => series_page(&v, &registry, &view, &Form::default(), StatusCode::OK),
        Ok(Found::MovedTo(now)) => see_other(&series_path(now)),
        Err(p) => error_page(&v, &p),
    }
}

fn series_page(v: &Viewer, registry: &Registry, view: &SeriesView, form: &Form, status: StatusCode) -> Response {
    let title = v.fill("ui.series.title", &[("n", &format::integer(v, members(view) as i64))]);
    let units = registry.units();
    let rules = &registry.jurisdiction().rules;
    let unit = |code: &str| format::unit_name(v, &units, code);
    let body = html! {
        h1 { (title) }
        (confirmation(v, rules, view, &unit))
        (form::summary(v, form))
        section aria-labelledby="members-title" {
            h2 #members-title { (v.t("ui.series.members")) }
            table #members {
                thead { tr { th scope="col" { (v.t("ui.field.unit")) } th scope="col" { (v.t("ui.series.record")) } } }
                tbody {
                    @for m in &view.visible {
                        tr { td { (unit(m.unit.as_str())) } td { a href=(record_path(m.kind, m.record)) { (m.number) } } }
                    }
                }
            }
            @if !view.elsewhere.is_empty() {
                h3 { (v.t("ui.identifier.elsewhere")) }
                ul #series-elsewhere {
                    @for e in &view.elsewhere {
                        li { (unit(e.unit.as_str())) ": "
                            (v.fill("ui.identifier.records_n", &[("n", &format::integer(v, e.count as i64))])) }
                    }
                }
            }
        }
        section aria-labelledby="diagram-title" {
            h2 #diagram-title { (v.t("ui.series.diagram")) }
            (PreEscaped(diagram(v, view, &unit)))
        }
        section aria-labelledby="links-title" {
            h2 #links-title { (v.t("ui.series.links")) }
            (links_table(v, rules, view, &unit))
            @if view.hidden_links > 0 {
                p #hidden-links { (v.fill("ui.series.hidden_links", &[("n", &format::integer(v, view.hidden_links as i64))])) }
            }
        }
        @if !view.hubs.is_empty() {
            section aria-labelledby="hubs-title" {
                h2 #hubs-title { (v.t("ui.series.hubs")) }
                p.help { (v.t("ui.series.hubs_help")) }
                ul #hubs {
                    @for h in &view.hubs {
                        li { (kind_name(v, h.key.kind)) " " a href=(identifier_path(&h.key)) { (h.display) } " — "
                            (v.fill("ui.identifier.records_n", &[("n", &format::integer(v, h.holders as i64))]))
                            (decide_link(v, &h.key, &h.display)) }
                    }
                }
            }
        }
        @if v.may(Action::AnalyseSeries) { (analyst_forms(v, view, form)) }
    };
    page_with_status(v, status, &title, body)
}

/// How many records the series holds, the asker's and the others.
fn members(view: &SeriesView) -> usize {
    view.visible.len() + view.elsewhere.iter().map(|e| e.count).sum::<usize>()
}

fn confirmation(
    v: &Viewer,
    rules: &crimeboard_domain::rules::Rules,
    view: &SeriesView,
    unit: &dyn Fn(&str) -> String,
) -> Markup {
    let Some(c) = &view.confirmation else {
        return html! { p #confirmation { (v.t("ui.series.not_confirmed")) } };
    };
    let changed = !(c.joined.is_empty() && c.left.is_empty() && c.links_added == 0 && c.links_gone == 0);
    html! {
        p #confirmation {
            (v.fill("ui.series.confirmed_by", &[("by", &c.by)])) " " (format::instant(v, rules, c.at)) ". " (c.note)
        }
        @if changed {
            p #changed-since {
                (v.t("ui.series.changed_since")) " "
                @for e in &c.joined { "+ " (end_name(v, e, unit)) "; " }
                @for e in &c.left { "− " (end_name(v, e, unit)) "; " }
                @if c.links_added > 0 { "+ " (v.fill("ui.series.links_n", &[("n", &c.links_added.to_string())])) "; " }
                @if c.links_gone > 0 { "− " (v.fill("ui.series.links_n", &[("n", &c.links_gone.to_string())])) }
            }
        }
    }
}

/// A record by its number, or, outside the asker's scope, its unit.
fn end_name(v: &Viewer, end: &LinkEnd, unit: &dyn Fn(&str) -> String) -> String {
    match &end.number {
        Some(n) => n.clone(),
        None => v.fill("ui.series.record_of", &[("unit", &unit(end.unit.as_str()))]),
    }
}

/// The links as a table: the diagram's text equivalent.
fn links_table(
    v: &Viewer,
    rules: &crimeboard_domain::rules::Rules,
    view: &SeriesView,
    unit: &dyn Fn(&str) -> String,
) -> Markup {
    html! {
        table #links {
            thead { tr {
                th scope="col" { (v.t("ui.identifier.identifier")) }
                th scope="col" { (v.t("ui.series.held_by")) }
                th scope="col" { (v.t("ui.identifier.attached")) }
            } }
            tbody {
                @for link in &view.links {
                    @for (i, end) in link.ends.iter().enumerate() {
                        tr {
                            @if i == 0 {
                                th scope="rowgroup" rowspan=(link.ends.len()) {
                                    (kind_name(v, link.key.kind)) " " a href=(identifier_path(&link.key)) { (link.display) }
                                    @if link.weak { " " strong.weak { (v.t("ui.series.weak")) } }
                                    (decide_link(v, &link.key, &link.display))
                                }
                            }
                            td { @match end.record {
                                Some(_) => { (unit(end.unit.as_str())) ": " (end.number.clone().unwrap_or_default()) }
                                None => { (end_name(v, end, unit)) }
                            } }
                            td {
                                @if let Some(by) = &end.attached_by { (by) ", " }
                                @if let Some(at) = end.attached_at { (format::instant(v, rules, at)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// For an analyst, beside an identifier: the way to its linking decision
/// on its page, named with the identifier for a screen reader.
fn decide_link(v: &Viewer, key: &IdentifierKey, display: &str) -> Markup {
    html! {
        @if v.may(Action::AnalyseSeries) {
            " " a.decide-linking href=(format!("{}#linking", identifier_path(key))) {
                "(" (v.t("ui.linking.beside")) span.visually-hidden { ": " (display) } ")"
            }
        }
    }
}

/// The confirmation's form, and the way to the split's, for an analyst.
fn analyst_forms(v: &Viewer, view: &SeriesView, form: &Form) -> Markup {
    let confirm = html! {
        (field("note", "ui.series.note").required().textarea(v, form))
        (form::envelope(v, form))
    };
    html! {
        section aria-labelledby="confirm-title" {
            h2 #confirm-title { (v.t("ui.series.confirm")) }
            (form::post(v, &format!("{}/confirm", series_path(view.id)), "ui.series.confirm", confirm))
        }
        @if view.links.iter().any(|l| l.weak) {
            p #split-link { a href=(format!("{}/split", series_path(view.id))) { (v.t("ui.series.split")) } }
        }
    }
}

/// The split's page: the weak link to cut, why, and the envelope.
fn split_page(v: &Viewer, view: &SeriesView, form: &Form, status: StatusCode) -> Response {
    let weak: Vec<(String, String)> = std::iter::once((String::new(), v.t("ui.choose").to_string()))
        .chain(
            view.links
                .iter()
                .filter(|l| l.weak)
                .map(|l| (key_choice(&l.key), format!("{} {}", kind_name(v, l.key.kind), l.display))),
        )
        .collect();
    let fields = html! {
        (field("key", "ui.series.split_at").required().help(v.t("ui.series.split_help")).select(v, form, &weak))
        (field("reason", "ui.series.reason").required().textarea(v, form))
        (form::envelope(v, form))
    };
    let title = v.t("ui.series.split");
    let body = html! {
        h1 { (title) }
        p { a href=(series_path(view.id)) { (v.t("ui.series.back")) } }
        (form::summary(v, form))
        (form::post(v, &format!("{}/split", series_path(view.id)), "ui.series.split", fields))
    };
    page_with_status(v, status, title, body)
}

pub async fn split_form(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    match find(&v, &registry, id).await {
        Ok(Found::Series(view)) => split_page(&v, &view, &Form::default(), StatusCode::OK),
        Ok(Found::MovedTo(now)) => see_other(&format!("{}/split", series_path(now))),
        Err(p) => error_page(&v, &p),
    }
}

/// A key as a choice of the split's form: its kind's code and its value.
fn key_choice(key: &IdentifierKey) -> String {
    format!("{}:{}", key.kind.code(), key.value)
}

fn key_chosen(form: &Form) -> Option<IdentifierKey> {
    let typed = form.text("key");
    let (kind, value) = typed.split_once(':')?;
    let kind = serde_json::from_value(serde_json::Value::String(kind.into())).ok()?;
    Some(IdentifierKey { kind, value: value.into() })
}

pub async fn confirm(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let Some(caller) = v.caller.clone() else { return error_page(&v, &crate::problem::unauthenticated()) };
    let unit = caller.principal.home.clone();
    let command = Command::ConfirmSeries(ConfirmSeries { unit, series: id, note: form.text("note") });
    act(v, registry, id, form, Some(command), Which::Confirm).await
}

pub async fn split(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let Some(caller) = v.caller.clone() else { return error_page(&v, &crate::problem::unauthenticated()) };
    let unit = caller.principal.home.clone();
    let command = match key_chosen(&form) {
        Some(key) => Some(Command::SplitSeries(SplitSeries { unit, series: id, key, reason: form.text("reason") })),
        None => {
            form.reject(crimeboard_domain::Violation::new("key", "text.required"));
            None
        }
    };
    act(v, registry, id, form, command, Which::Split).await
}

/// Which form an act came from, to show again with its errors.
#[derive(Clone, Copy)]
enum Which {
    Confirm,
    Split,
}

/// Records an analyst's act on the series: back to the series (under the
/// id it has after the act) when recorded, to its page with the broken
/// rules when not.
async fn act(
    v: Viewer,
    registry: Arc<Registry>,
    id: Uuid,
    mut form: Form,
    command: Option<Command>,
    which: Which,
) -> Response {
    form.reject_control_characters();
    let Some(caller) = v.caller.clone() else { return error_page(&v, &crate::problem::unauthenticated()) };
    let refused = match command.filter(|_| !form.has_errors()) {
        None => Vec::new(),
        Some(command) => {
            let (actor, legal_ground, late) = (caller.principal.login.clone(), form.legal_ground(), form.late());
            match submit(&registry, &caller, Submission { actor, legal_ground, command, late }).await {
                Ok(Submitted::Recorded(_)) => return see_other(&series_path(id)),
                Ok(Submitted::Refused(violations)) => violations,
                Err(p) => return error_page(&v, &p),
            }
        }
    };
    form.reject_all(refused.clone());
    match find(&v, &registry, id).await {
        Ok(Found::Series(view)) => match which {
            Which::Confirm => series_page(&v, &registry, &view, &form, StatusCode::UNPROCESSABLE_ENTITY),
            Which::Split => split_page(&v, &view, &form, StatusCode::UNPROCESSABLE_ENTITY),
        },
        // Refused for a series there is no page of: the rules it broke, on the error page.
        Ok(Found::MovedTo(_)) | Err(_) if !refused.is_empty() => {
            error_page(&v, &Problem::new(StatusCode::UNPROCESSABLE_ENTITY, crate::problem::kind::VALIDATION, refused))
        }
        Ok(Found::MovedTo(now)) => see_other(&series_path(now)),
        Err(p) => error_page(&v, &p),
    }
}

/// The acknowledgement of a unit's alert on a series (`?unit=` the unit
/// whose queue showed it): what is acknowledged, and the envelope.
fn acknowledge_page(v: &Viewer, id: Uuid, form: &Form, status: StatusCode) -> Response {
    let unit = form.get("unit").to_string();
    let fields = html! {
        input type="hidden" name="unit" value=(unit);
        (form::envelope(v, form))
    };
    let title = v.t("ui.series.acknowledge_title");
    let body = html! {
        h1 { (title) }
        p { (v.t("ui.series.acknowledge_help")) }
        p { a href=(series_path(id)) { (v.t("ui.series.open")) } }
        (form::summary(v, form))
        (form::post(v, &format!("{}/acknowledge", series_path(id)), "ui.series.acknowledge", fields))
    };
    page_with_status(v, status, title, body)
}

pub async fn acknowledge_form(
    v: Viewer,
    PageId(id): PageId,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    acknowledge_page(&v, id, &Form::default().with("unit", form.get("unit")), StatusCode::OK)
}

/// Records the unit's acknowledgement: back to the unit's queue, where the
/// alert shows no more; refused, the form again with the rules broken.
pub async fn acknowledge(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    form.reject_control_characters();
    let Some(caller) = v.caller.clone() else { return error_page(&v, &crate::problem::unauthenticated()) };
    let unit = form.unit("unit");
    if let Some(unit) = unit.filter(|_| !form.has_errors()) {
        let command = Command::AcknowledgeSeriesAlert(AcknowledgeSeriesAlert { unit: unit.clone(), series: id });
        let (actor, legal_ground, late) = (caller.principal.login.clone(), form.legal_ground(), form.late());
        match submit(&registry, &caller, Submission { actor, legal_ground, command, late }).await {
            Ok(Submitted::Recorded(_)) => return see_other(&super::paths::link("/", &[("unit", unit.as_str())])),
            Ok(Submitted::Refused(violations)) => form.reject_all(violations),
            Err(p) => return error_page(&v, &p),
        }
    }
    acknowledge_page(&v, id, &form, StatusCode::UNPROCESSABLE_ENTITY)
}

/// The diagram: the asker's records and one node per other unit on a
/// circle, in the order of the members' table, and a line per pair of
/// records a key links (a key held by several records drawn as a star
/// from its first holder); weak links dashed. Its `<title>` and `<desc>`
/// say what it shows; the links' table beside it is its text equivalent.
fn diagram(v: &Viewer, view: &SeriesView, unit: &dyn Fn(&str) -> String) -> String {
    let mut nodes: Vec<(String, Option<Uuid>, String)> =
        view.visible.iter().map(|m| (m.number.clone(), Some(m.record), m.unit.to_string())).collect();
    nodes.extend(view.elsewhere.iter().map(|e| {
        let label = format!("{} ({})", unit(e.unit.as_str()), e.count);
        (label, None, e.unit.to_string())
    }));
    let place = |end: &LinkEnd| -> Option<usize> {
        match end.record {
            Some(r) => nodes.iter().position(|n| n.1 == Some(r)),
            None => nodes.iter().position(|n| n.1.is_none() && n.2 == end.unit.as_str()),
        }
    };
    let mut edges = Vec::new();
    for link in &view.links {
        let ends: Vec<usize> = link.ends.iter().filter_map(place).collect();
        if let Some((first, rest)) = ends.split_first() {
            for other in rest.iter().filter(|o| *o != first) {
                edges.push(Edge { from: *first, to: *other, weak: link.weak, label: link.display.clone() });
            }
        }
    }
    let labels: Vec<String> = nodes.into_iter().map(|n| n.0).collect();
    let title = v.t("ui.series.diagram").to_string();
    let desc = v
        .fill("ui.series.diagram_desc", &[("records", &labels.len().to_string()), ("links", &edges.len().to_string())]);
    let legend = [v.t("ui.series.legend_link").to_string(), v.t("ui.series.legend_weak").to_string()];
    draw(&labels, &edges, &title, &desc, &legend)
}

/// A line of the diagram between two nodes.
struct Edge {
    from: usize,
    to: usize,
    weak: bool,
    label: String,
}

const SIZE: f64 = 480.0;
const RADIUS: f64 = 170.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Draws nodes evenly on a circle (the first at the top, clockwise) and the
/// edges between them: the same series gives the same picture.
fn draw(labels: &[String], edges: &[Edge], title: &str, desc: &str, legend: &[String; 2]) -> String {
    use std::fmt::Write;
    let centre = SIZE / 2.0;
    let at = |i: usize| {
        let angle = std::f64::consts::TAU * i as f64 / labels.len().max(1) as f64 - std::f64::consts::FRAC_PI_2;
        (centre + RADIUS * angle.cos(), centre + RADIUS * angle.sin())
    };
    let height = SIZE + 50.0;
    let mut out = format!(
        "<svg id=\"series-diagram\" class=\"series-diagram\" role=\"img\" aria-labelledby=\"series-diagram-title series-diagram-desc\" viewBox=\"0 0 {SIZE} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"series-diagram-title\">{}</title><desc id=\"series-diagram-desc\">{}</desc>",
        escape(title),
        escape(desc)
    );
    for e in edges {
        let ((x1, y1), (x2, y2)) = (at(e.from), at(e.to));
        let (class, dash) =
            if e.weak { ("series-link series-weak", " stroke-dasharray=\"8 5\"") } else { ("series-link", "") };
        let _ = write!(
            out,
            "<line class=\"{class}\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"currentColor\" stroke-width=\"2\"{dash}><title>{}</title></line>",
            escape(&e.label)
        );
    }
    for (i, label) in labels.iter().enumerate() {
        let (x, y) = at(i);
        let anchor = if x < centre - 1.0 {
            "end"
        } else if x > centre + 1.0 {
            "start"
        } else {
            "middle"
        };
        let dx = match anchor {
            "end" => -10.0,
            "start" => 10.0,
            _ => 0.0,
        };
        let dy = if y < centre { -10.0 } else { 18.0 };
        let _ = write!(
            out,
            "<g class=\"series-node\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"7\" fill=\"currentColor\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" font-size=\"13\" fill=\"currentColor\">{}</text></g>",
            x + dx,
            y + dy,
            escape(label)
        );
    }
    let y = SIZE + 20.0;
    let _ = write!(
        out,
        "<g class=\"series-legend\"><line x1=\"10\" y1=\"{y}\" x2=\"50\" y2=\"{y}\" stroke=\"currentColor\" stroke-width=\"2\"/><text x=\"58\" y=\"{}\" font-size=\"13\" fill=\"currentColor\">{}</text><line x1=\"240\" y1=\"{y}\" x2=\"280\" y2=\"{y}\" stroke=\"currentColor\" stroke-width=\"2\" stroke-dasharray=\"8 5\"/><text x=\"288\" y=\"{}\" font-size=\"13\" fill=\"currentColor\">{}</text></g></svg>",
        y + 4.0,
        escape(&legend[0]),
        y + 4.0,
        escape(&legend[1])
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(weak: bool) -> String {
        let labels = vec!["CR-1 <a>".to_string(), "CR-2".into(), "Yasamal (2)".into()];
        let edges = vec![
            Edge { from: 0, to: 1, weak: false, label: "+994 50".into() },
            Edge { from: 1, to: 2, weak, label: "**** 1111".into() },
        ];
        draw(&labels, &edges, "Links", "3 records, 2 links", &["link".into(), "weak link".into()])
    }

    #[test]
    fn the_diagram_draws_a_node_per_record_a_line_per_link_and_dashes_the_weak_ones() {
        let svg = drawn(true);
        assert_eq!(svg.matches("class=\"series-node\"").count(), 3);
        assert_eq!(svg.matches("class=\"series-link\"").count(), 1);
        assert_eq!(svg.matches("class=\"series-link series-weak\"").count(), 1, "the weak link dashed");
        assert!(svg.contains("role=\"img\"") && svg.contains("<title id=\"series-diagram-title\">Links</title>"));
        assert!(svg.contains("<desc id=\"series-diagram-desc\">3 records, 2 links</desc>"));
        assert!(svg.contains("CR-1 &lt;a&gt;") && !svg.contains("<a>"), "labels escaped");
        assert_eq!(drawn(false).matches("series-weak").count(), 0);
        assert_eq!(drawn(true), drawn(true), "the same series, the same picture");
    }

    #[test]
    fn a_split_names_its_key_by_kind_and_value() {
        let key =
            IdentifierKey { kind: crimeboard_domain::identifier::IdentifierKind::Phone, value: "+994501:2".into() };
        let form = Form::default().with("key", key_choice(&key));
        assert_eq!(key_chosen(&form), Some(key));
        assert_eq!(key_chosen(&Form::default().with("key", "nonsense")), None);
    }
}
