//! Inspection (docs/integrity.md, "How an inspector samples and reviews"):
//! the form that draws a sample of a unit's decisions (opened pre-filled
//! from the signals page), a sample's page with each decision drawn, its
//! finding and the estimate in words, and the form that reviews one
//! decision. The register's list is a list like the others
//! (`lists::SAMPLES`).

use super::form::{Form, field};
use super::format;
use super::layout::{page, page_with_status};
use super::paths::record_path;
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
use crimeboard_domain::inspection::{DrawSample, Estimate, ReviewSample, Sample, SampledDecision, Share};
use crimeboard_domain::{Command, EntityKind, Violation};
use crimeboard_service::Registry;
use maud::{Markup, html};

/// The form that draws a sample.
pub const NEW_PATH: &str = "/samples/new";

/// The kinds of decision a sample is drawn from, with their words.
pub const KINDS: [(&str, &str); 4] = [
    ("refusals", "ui.sample_kind.refusals"),
    ("reclassifications", "ui.sample_kind.reclassifications"),
    ("annulments", "ui.sample_kind.annulments"),
    ("cancellations", "ui.sample_kind.cancellations"),
];

/// The findings a review records, with their words.
const FINDINGS: [(&str, &str); 3] =
    [("correct", "ui.finding.correct"), ("wrong", "ui.finding.wrong"), ("unclear", "ui.finding.unclear")];

/// The address of the form that draws a sample of `kind` in `unit` over a period.
pub fn draw_link(unit: &str, kind: &str, from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    super::paths::link(
        NEW_PATH,
        &[("unit", unit), ("kind", kind), ("period_from", &from.to_string()), ("period_to", &to.to_string())],
    )
}

fn read(id: uuid::Uuid) -> impl FnOnce(&Registry) -> Result<ReadSample, Problem> {
    move |r| {
        if r.get(id).map_err(Problem::from_service)?.kind != EntityKind::Sample {
            return Err(Problem::not_found());
        }
        let view = r.sample(id).map_err(Problem::from_service)?;
        let history = r.history(id).map_err(Problem::from_service)?;
        Ok(ReadSample { sample: view.sample, estimate: view.estimate, history })
    }
}

struct ReadSample {
    sample: Sample,
    estimate: Estimate,
    history: Vec<(crimeboard_domain::journal::JournalEntry, bool)>,
}

/// A sample's page: what was drawn from what, the estimate in words, each
/// decision with its finding and a link to review it, and its journal.
pub async fn show(v: Viewer, State(registry): Shared, PageId(id): PageId) -> Response {
    let found = blocking(&registry, read(id)).await;
    let ReadSample { sample: s, estimate, history } = match found {
        Ok(found) => found,
        Err(p) => return error_page(&v, &p),
    };
    let title = v.fill("ui.record.sample", &[("number", &s.number)]);
    let may_review = v.may(crimeboard_domain::access::Action::ReviewSample);
    let body = html! {
        h1 { (title) }
        (facts(&v, &registry, &s))
        section aria-labelledby="estimate-title" {
            h2 #estimate-title { (v.t("ui.sample.estimate")) }
            p #estimate { (estimate_words(&v, &registry, &s, &estimate)) }
        }
        ul.actions aria-label=(v.t("ui.export.label")) {
            li { a href={ "/api/samples/" (s.id) "/findings?format=csv" } { (v.t("ui.sample.findings_csv")) } }
            li { a href={ "/api/samples/" (s.id) "/findings?format=xlsx" } { (v.t("ui.sample.findings_xlsx")) } }
        }
        (decisions(&v, &s, may_review))
        h2 { (v.t("ui.record.history")) }
        (timeline(&v, &registry, &history))
    };
    page(&v, &title, body)
}

fn facts(v: &Viewer, registry: &Registry, s: &Sample) -> Markup {
    let units = registry.units();
    html! {
        dl.facts {
            dt { (v.t("ui.col.unit")) } dd { (format::unit_name(v, &units, s.unit.as_str())) }
            dt { (v.t("ui.sample.kind")) } dd { (format::label(v, "sample_kind", s.kind.as_str())) }
            dt { (v.t("ui.publication.period")) } dd { (format::date(v, s.period_from)) " – " (format::date(v, s.period_to)) }
            dt { (v.t("ui.sample.population")) } dd { (format::integer(v, i64::from(s.population))) }
            dt { (v.t("ui.sample.size")) } dd { (s.items.len()) }
            dt { (v.t("ui.sample.seed")) } dd { code { (s.seed) } }
            dt { (v.t("ui.sample.drawn_on")) } dd { (format::date(v, s.drawn_on)) }
        }
    }
}

fn percent(v: &Viewer, x: f64) -> String {
    format!("{} %", format::integer(v, (x * 100.0).round() as i64))
}

/// "Of 20 refusals reviewed, 3 were wrong: an estimated 15 % (95 % interval
/// 5 % to 35 %) of the unit's 240 refusals from … to …", and the unclear
/// ones apart.
fn estimate_words(v: &Viewer, registry: &Registry, s: &Sample, e: &Estimate) -> String {
    let Some(wrong) = e.wrong_share else { return v.t("ui.sample.none_reviewed").to_string() };
    let units = registry.units();
    let shares = |share: &Share| [percent(v, share.rate), percent(v, share.low), percent(v, share.high)];
    let [rate, low, high] = shares(&wrong);
    let mut words = v.fill(
        "ui.sample.estimate_words",
        &[
            ("reviewed", &e.reviewed.to_string()),
            ("kind", &format::label(v, "sample_kind", s.kind.as_str()).to_lowercase()),
            ("wrong", &e.wrong.to_string()),
            ("rate", &rate),
            ("low", &low),
            ("high", &high),
            ("unit", &format::unit_name(v, &units, s.unit.as_str())),
            ("population", &e.population.to_string()),
            ("from", &format::day(v, s.period_from)),
            ("to", &format::day(v, s.period_to)),
        ],
    );
    if let (true, Some(pessimistic)) = (e.unclear > 0, e.wrong_or_unclear_share) {
        let [rate, low, high] = shares(&pessimistic);
        words.push(' ');
        words.push_str(&v.fill(
            "ui.sample.unclear_words",
            &[("unclear", &e.unclear.to_string()), ("rate", &rate), ("low", &low), ("high", &high)],
        ));
    }
    words
}

fn decisions(v: &Viewer, s: &Sample, may_review: bool) -> Markup {
    let record_kind = |d: &SampledDecision| match s.kind {
        crimeboard_domain::inspection::SampleKind::Refusals => {
            d.drawn.record.map(|id| record_path(EntityKind::Report, id))
        }
        crimeboard_domain::inspection::SampleKind::Reclassifications
        | crimeboard_domain::inspection::SampleKind::Cancellations => {
            d.drawn.record.map(|id| record_path(EntityKind::Case, id))
        }
        crimeboard_domain::inspection::SampleKind::Annulments => None,
    };
    html! {
        div.table-wrap role="region" tabindex="0" aria-labelledby="decisions-title" {
            table #decisions {
                caption #decisions-title { (v.t("ui.sample.decisions")) }
                thead { tr {
                    th scope="col" { (v.t("ui.sample.seq")) }
                    th scope="col" { (v.t("ui.col.day")) }
                    th scope="col" { (v.t("ui.sample.record")) }
                    th scope="col" { (v.t("ui.sample.finding")) }
                    th scope="col" { (v.t("ui.sample.note")) }
                    @if may_review { th scope="col" { (v.t("ui.sample.review")) } }
                } }
                tbody {
                    @for d in &s.items {
                        tr {
                            td.num { "#" (d.drawn.seq) }
                            td { (format::date(v, d.drawn.on)) }
                            td { @match record_kind(d) {
                                Some(href) => a href=(href) { (v.t("ui.sample.open_record")) },
                                None => a href=(super::paths::link("/journal", &[("unit", s.unit.as_str())])) { (v.t("ui.sample.open_journal")) },
                            } }
                            td { @match &d.review {
                                Some(r) => (format::label(v, "finding", r.finding.as_str())),
                                None => (v.t("ui.sample.not_reviewed")),
                            } }
                            td { @if let Some(r) = &d.review { (r.note) } }
                            @if may_review {
                                td { a href=(review_path(s.id, d.drawn.seq)) aria-label=(v.fill("ui.sample.review_n", &[("seq", &d.drawn.seq.to_string())])) { (v.t("ui.sample.review")) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn review_path(id: uuid::Uuid, seq: i64) -> String {
    super::paths::link(&format!("/samples/{id}/review"), &[("seq", &seq.to_string())])
}

/// The form alone, opened with a unit, kind and period (from the signals
/// page), and shown again when refused.
fn new_page(v: &Viewer, registry: &Registry, form: &Form, status: StatusCode) -> Response {
    let title = v.t("ui.sample.draw");
    let units = registry.units();
    let fields = html! {
        (field("unit", "ui.field.unit").required().select(v, form, &format::unit_options(v, &units, format::Blank::Choose)))
        (field("kind", "ui.sample.kind").required().select(v, form, &super::form::options(v, None, &KINDS)))
        (field("period_from", "ui.field.from").required().input(v, form, "date"))
        (field("period_to", "ui.field.to").required().input(v, form, "date"))
        (field("size", "ui.sample.size").required().input(v, form, "number"))
        (field("seed", "ui.sample.seed").help(v.t("ui.sample.seed_help")).input(v, form, "number"))
        (super::form::envelope(v, form))
    };
    let body = html! {
        h1 { (title) }
        p.help { (v.t("ui.sample.draw_help")) }
        (super::form::summary(v, form))
        (super::form::post(v, NEW_PATH, "ui.sample.draw", fields))
    };
    page_with_status(v, status, title, body)
}

pub async fn new_form(v: Viewer, State(registry): Shared, RawQuery(q): RawQuery) -> Response {
    let typed = Form::parse(q.as_deref().unwrap_or("").as_bytes());
    let mut form = Form::default().with("kind", "refusals").with("size", "20");
    for name in ["unit", "kind", "period_from", "period_to"] {
        if !typed.get(name).is_empty() {
            form = form.with(name, typed.get(name));
        }
    }
    new_page(&v, &registry, &form, StatusCode::OK)
}

pub async fn draw(v: Viewer, State(registry): Shared, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let unit = form.unit("unit");
    let kind = form.choice("kind");
    let period_from = required_date(&mut form, "period_from");
    let period_to = required_date(&mut form, "period_to");
    let size = form.integer("size").and_then(|n| in_range(&mut form, "size", n));
    let seed = match form.text("seed").trim() {
        "" => Some(None),
        _ => form
            .integer("seed")
            .and_then(|n| {
                u64::try_from(n).ok().or_else(|| {
                    form.reject(
                        Violation::new("seed", "number.range")
                            .with("min", 0)
                            .with("max", crimeboard_domain::inspection::MAX_SEED),
                    );
                    None
                })
            })
            .map(Some),
    };
    let (Some(unit), Some(kind), Some(period_from), Some(period_to), Some(size), Some(seed), false) =
        (unit, kind, period_from, period_to, size, seed, form.has_errors())
    else {
        form.require_texts(&["legal_ground"]);
        return new_page(&v, &registry, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let command = Command::DrawSample(DrawSample { unit, kind, period_from, period_to, size, seed });
    record(&v, &registry, form, command, |f, s| new_page(&v, &registry, f, s)).await
}

/// A size as the domain reads it: a number it can hold, the rules saying the rest.
fn in_range(form: &mut Form, name: &str, n: i64) -> Option<u32> {
    let size = u32::try_from(n).ok();
    if size.is_none() {
        form.reject(
            Violation::new(name, "number.range").with("min", 1).with("max", crimeboard_domain::inspection::MAX_SIZE),
        );
    }
    size
}

/// A date that must be given.
fn required_date(form: &mut Form, name: &str) -> Option<chrono::NaiveDate> {
    if form.text(name).is_empty() {
        form.reject(Violation::new(name, "text.required"));
        return None;
    }
    form.optional_date(name)
}

/// The form that reviews one decision of a sample (`?seq=`), with the
/// decision and its earlier finding, if any.
fn review_page(v: &Viewer, s: &Sample, form: &Form, status: StatusCode) -> Response {
    let seq = form.get("seq").to_string();
    let title = v.fill("ui.sample.review_title", &[("number", &s.number), ("seq", &seq)]);
    let action = format!("/samples/{}/review", s.id);
    let fields = html! {
        input type="hidden" name="seq" value=(seq);
        (super::form::radios(v, form, "finding", "ui.sample.finding", &FINDINGS))
        (field("note", "ui.sample.note").help(v.t("ui.sample.note_help")).textarea(v, form))
        (super::form::envelope(v, form))
    };
    let body = html! {
        h1 { (title) }
        p { a href={ "/samples/" (s.id) } { (v.fill("ui.record.sample", &[("number", &s.number)])) } }
        (super::form::summary(v, form))
        (super::form::post(v, &action, "ui.sample.record_finding", fields))
    };
    page_with_status(v, status, &title, body)
}

pub async fn review_form(v: Viewer, State(registry): Shared, PageId(id): PageId, RawQuery(q): RawQuery) -> Response {
    let typed = Form::parse(q.as_deref().unwrap_or("").as_bytes());
    let found = blocking(&registry, read(id)).await;
    let s = match found {
        Ok(found) => found.sample,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::default().with("seq", typed.get("seq"));
    let earlier = s.items.iter().find(|d| d.drawn.seq.to_string() == typed.get("seq")).and_then(|d| d.review.as_ref());
    if let Some(r) = earlier {
        form = form.with("finding", r.finding.as_str()).with("note", &r.note);
    }
    review_page(&v, &s, &form, StatusCode::OK)
}

pub async fn review(v: Viewer, State(registry): Shared, PageId(id): PageId, body: Bytes) -> Response {
    let found = blocking(&registry, read(id)).await;
    let s = match found {
        Ok(found) => found.sample,
        Err(p) => return error_page(&v, &p),
    };
    let mut form = Form::parse(&body);
    let seq = form.integer("seq");
    let finding = form.choice("finding");
    let (Some(seq), Some(finding), false) = (seq, finding, form.has_errors()) else {
        form.require_texts(&["legal_ground"]);
        return review_page(&v, &s, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let note = form.text("note");
    let command = Command::ReviewSample(ReviewSample { sample_id: id, seq, finding, note });
    record(&v, &registry, form, command, |f, st| review_page(&v, &s, f, st)).await
}
