//! The registers' lists and the search: a GET form of filters (unit, period,
//! status, article, text), sorting, pages, and the same rows as CSV or XLSX.

use super::form::{Form, field};
use super::layout::page;
use super::paths::link;
use super::respond::error_page;
use super::rows::{Column, Register, Shown, columns, row_of, table};
use super::viewer::Viewer;
use super::{export, format};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use crimeboard_domain::access::Action;
use crimeboard_domain::{EntityKind, Violation};
use crimeboard_service::{ListPage, ListParams, ListSort, Registry};
use maud::{Markup, html};
use std::sync::Arc;

const PER_PAGE: u64 = 50;

pub const REPORTS: Register = Register {
    kind: EntityKind::Report,
    path: "/reports",
    title: "ui.list.reports",
    statuses: &["awaiting_decision", "case_opened", "refused", "transferred", "attached"],
    articles: false,
    new: Some(("/reports/new", "ui.nav.register", Action::RegisterReport)),
};
pub const CASES: Register = Register {
    kind: EntityKind::Case,
    path: "/cases",
    title: "ui.list.cases",
    statuses: &["investigating", "solved", "suspended", "terminated", "sent_to_court"],
    articles: true,
    new: Some(("/cases/new", "ui.action.open_case", Action::WorkCase)),
};
pub const PERSONS: Register = Register {
    kind: EntityKind::Person,
    path: "/persons",
    title: "ui.list.persons",
    statuses: &["suspect", "accused", "victim", "applicant"],
    articles: false,
    new: None,
};
pub const SEIZURES: Register = Register {
    kind: EntityKind::Seizure,
    path: "/seizures",
    title: "ui.list.seizures",
    statuses: &[],
    articles: false,
    new: Some(("/seizures/new", "ui.action.new_seizure", Action::WorkCase)),
};
pub const ACCIDENTS: Register = Register {
    kind: EntityKind::Accident,
    path: "/accidents",
    title: "ui.list.accidents",
    statuses: &[],
    articles: false,
    new: Some(("/accidents/new", "ui.action.new_accident", Action::RecordAccident)),
};
pub const EXAMINATIONS: Register = Register {
    kind: EntityKind::Examination,
    path: "/examinations",
    title: "ui.list.examinations",
    statuses: &["requested", "done"],
    articles: false,
    new: Some(("/examinations/new", "ui.action.new_examination", Action::WorkCase)),
};

pub const ACCOUNTABILITY: Register = Register {
    kind: EntityKind::Accountability,
    path: "/accountability",
    title: "ui.list.accountability",
    statuses: &["criminal", "administrative"],
    articles: false,
    new: None,
};

pub const MEETINGS: Register = Register {
    kind: EntityKind::Meeting,
    path: "/meetings",
    title: "ui.list.meetings",
    statuses: &["scheduled", "held"],
    articles: false,
    new: Some(("/meetings/new", "ui.meeting.schedule", Action::ManageMeetings)),
};

pub const APPEALS: Register = Register {
    kind: EntityKind::Appeal,
    path: "/appeals",
    title: "ui.list.appeals",
    statuses: &["open", "extended", "answered", "referred", "not_examined", "passed_to_police"],
    articles: false,
    new: Some((super::appeals::NEW_PATH, "ui.appeal.register", Action::HandleAppeals)),
};

pub const RECEPTIONS: Register = Register {
    kind: EntityKind::Reception,
    path: "/receptions",
    title: "ui.list.receptions",
    statuses: &["scheduled", "held", "cancelled"],
    articles: false,
    new: Some((super::receptions::NEW_PATH, "ui.reception.schedule_one", Action::ManageReceptions)),
};

pub async fn appeals(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &APPEALS, q).await
}
pub async fn receptions(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &RECEPTIONS, q).await
}

pub async fn reports(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &REPORTS, q).await
}
pub async fn cases(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &CASES, q).await
}
pub async fn persons(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &PERSONS, q).await
}
pub async fn seizures(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &SEIZURES, q).await
}
pub async fn accidents(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &ACCIDENTS, q).await
}
pub async fn examinations(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &EXAMINATIONS, q).await
}
pub async fn meetings(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &MEETINGS, q).await
}

pub const RELEASES: Register = Register {
    kind: EntityKind::Release,
    path: "/releases",
    title: "ui.list.releases",
    statuses: &["draft", "approved", "published"],
    articles: false,
    new: Some(("/releases/new", "ui.action.draft_release", Action::DraftReleases)),
};
pub async fn releases(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &RELEASES, q).await
}
pub const PUBLICATIONS: Register = Register {
    kind: EntityKind::Publication,
    path: "/publications",
    title: "ui.list.publications",
    statuses: &[],
    articles: false,
    new: None,
};
pub async fn publications(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &PUBLICATIONS, q).await
}

/// Requests to freeze a case's account: made from the case, so no form here.
pub const FREEZES: Register = Register {
    kind: EntityKind::Freeze,
    path: "/freezes",
    title: "ui.list.freezes",
    statuses: &["sent", "frozen", "partly_frozen", "refused", "no_funds"],
    articles: false,
    new: None,
};

pub async fn freezes(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &FREEZES, q).await
}

pub const SAMPLES: Register = Register {
    kind: EntityKind::Sample,
    path: "/samples",
    title: "ui.list.samples",
    statuses: &["open", "reviewed"],
    articles: false,
    new: Some((super::samples::NEW_PATH, "ui.sample.draw", Action::DrawSample)),
};
pub async fn samples(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &SAMPLES, q).await
}
pub async fn accountability(v: Viewer, State(r): Shared, RawQuery(q): RawQuery) -> Response {
    list(v, r, &ACCOUNTABILITY, q).await
}

/// The orders a register's list offers: by day, number and unit; reports by deadline too.
fn sorts(kind: Option<EntityKind>) -> Vec<ListSort> {
    let by_deadline = |s: &ListSort| matches!(s, ListSort::Deadline | ListSort::DeadlineDesc);
    ListSort::ALL.into_iter().filter(|s| kind == Some(EntityKind::Report) || !by_deadline(s)).collect()
}

fn sort_label(s: ListSort) -> &'static str {
    match s {
        ListSort::Newest => "ui.sort.newest",
        ListSort::Oldest => "ui.sort.oldest",
        ListSort::Number => "ui.sort.number",
        ListSort::NumberDesc => "ui.sort.number_desc",
        ListSort::Unit => "ui.sort.unit",
        ListSort::UnitDesc => "ui.sort.unit_desc",
        ListSort::Deadline => "ui.sort.deadline",
        ListSort::DeadlineDesc => "ui.sort.deadline_desc",
    }
}

/// The filters as typed, read into the service's list parameters.
fn params(form: &mut Form, kind: Option<EntityKind>, articles: bool) -> ListParams {
    form.reject_control_characters();
    let from = form.optional_date("from");
    let to = form.optional_date("to");
    let q = form.optional_text("q");
    let article = form.optional_text("article").filter(|_| articles);
    let flag = form.optional_text("flag").filter(|_| articles);
    if flag.as_deref().is_some_and(|f| crimeboard_domain::search::flag_key(f).is_none()) {
        form.reject(Violation::new("flag", "form.choice"));
    }
    if article.as_deref().is_some_and(|a| crimeboard_domain::catalogue::ArticleRef::parse(a).is_none()) {
        form.reject(Violation::new("article", "article.format"));
    }
    let (appeal_kind, appeal_channel) = appeal_filters(form, kind);
    let q = with_kind_words(form, kind, q);
    let page = match form.text("page").parse::<u64>() {
        Ok(p) if p >= 1 => p,
        _ => 1,
    };
    let sort = match form.get("sort") {
        "" => None,
        typed => {
            let sort = ListSort::parse(typed).filter(|s| sorts(kind).contains(s));
            if sort.is_none() {
                form.reject(Violation::new("sort", "form.choice"));
            }
            sort
        }
    };
    ListParams {
        kind,
        unit: form.optional_text("unit"),
        from,
        to,
        status: form.optional_text("status"),
        q,
        article,
        flag,
        appeal_kind,
        appeal_channel,
        sort,
        page: Some(page),
        per_page: Some(PER_PAGE),
        ..Default::default()
    }
}

/// An appeals list's kind and channel, each one of its set or refused at its field.
fn appeal_filters(form: &mut Form, kind: Option<EntityKind>) -> (Option<String>, Option<String>) {
    if kind != Some(EntityKind::Appeal) {
        return (None, None);
    }
    let mut pick = |name: &str, set: &[(&str, &str)]| {
        let typed = form.optional_text(name)?;
        if set.iter().any(|(code, _)| *code == typed) {
            Some(typed)
        } else {
            form.reject(Violation::new(name, "form.choice"));
            None
        }
    };
    (pick("appeal_kind", &super::appeals::KINDS), pick("appeal_channel", &super::appeals::CHANNELS))
}

/// A kind filter: its field, its choices (code, label) and its label.
type KindWords = (&'static str, &'static [(&'static str, &'static str)], &'static str);

/// The filter of a register whose entries' kind is a word of their indexed
/// text: a publication's (`publication_kind`), a sample's (`sample_kind`),
/// with its choices and their label.
fn kind_words(kind: Option<EntityKind>) -> Option<KindWords> {
    match kind {
        Some(EntityKind::Publication) => Some(("publication_kind", &format::PUBLICATION_KINDS, "ui.publication.kind")),
        Some(EntityKind::Sample) => Some(("sample_kind", &super::samples::KINDS, "ui.sample.kind")),
        Some(
            EntityKind::Report
            | EntityKind::Case
            | EntityKind::Person
            | EntityKind::Seizure
            | EntityKind::Accountability
            | EntityKind::Accident
            | EntityKind::Examination
            | EntityKind::Meeting
            | EntityKind::Task
            | EntityKind::Release
            | EntityKind::Reception
            | EntityKind::Appeal
            | EntityKind::Freeze,
        )
        | None => None,
    }
}

/// A list's kind filter ([`kind_words`]), one of its set or refused at its
/// field, looked for as words of the entries' indexed text, which holds
/// their kind's code.
fn with_kind_words(form: &mut Form, kind: Option<EntityKind>, q: Option<String>) -> Option<String> {
    let Some((name, choices, _)) = kind_words(kind) else { return q };
    let Some(typed) = form.optional_text(name) else { return q };
    if !choices.iter().any(|(code, _)| *code == typed) {
        form.reject(Violation::new(name, "form.choice"));
        return q;
    }
    Some(q.map_or_else(|| typed.clone(), |q| format!("{q} {typed}")))
}

/// Runs a list query; the rules a filter breaks go to the form. A list that
/// names people is a look at personal data: audited with its filters.
async fn fetch(
    v: &Viewer,
    registry: &Arc<Registry>,
    params: ListParams,
    form: &mut Form,
) -> Result<Option<ListPage>, Problem> {
    let v = v.clone();
    let found = blocking(registry, move |r| {
        let page = r.list(&params).map_err(Problem::from_query)?;
        let what = params.kind.map_or("search", |k| k.as_str());
        if params.kind.is_none_or(super::rows::names_people) {
            v.audit(r, &format!("list.{what}"), "", v.here.split_once('?').map_or("", |(_, q)| q))?;
        }
        Ok(page)
    })
    .await;
    match found {
        Ok(page) => Ok(Some(page)),
        Err(p) if p.status == StatusCode::BAD_REQUEST => {
            form.reject_all(p.errors);
            Ok(None)
        }
        Err(p) => Err(p),
    }
}

async fn list(v: Viewer, registry: Arc<Registry>, register: &Register, query: Option<String>) -> Response {
    let mut form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    if v.unit.is_some() && form.get("unit").is_empty() {
        form = form.with("unit", v.unit.clone().unwrap_or_default());
    }
    let mut params = params(&mut form, Some(register.kind), register.articles);
    params.within = v.within();
    if let Some(format) = export::requested(&form).filter(|_| !form.has_errors()) {
        return export::list(&v, &registry, register, params, format).await;
    }
    let found = if form.has_errors() { Ok(None) } else { fetch(&v, &registry, params, &mut form).await };
    let found = match found {
        Ok(found) => found,
        Err(p) => return error_page(&v, &p),
    };
    let units = registry.units();
    let cols = columns(register.kind);
    let filters = filter_form(&v, &form, register, &units);
    let title = v.t(register.title);
    let body = html! {
        h1 { (title) }
        @if let Some((href, key, _)) = register.new.filter(|(_, _, action)| v.may(*action)) {
            ul.actions { li { a.button href=(href) { (v.t(key)) } } }
        }
        (super::form::summary(&v, &form))
        (filters)
        @if let Some(found) = &found {
            @let rows: Vec<(String, Vec<Shown>)> = found.items.iter().map(|r| row_of(&v, &units, r)).collect();
            (table(&v, title, &cols, &rows))
            (pager(&v, register.path, &form, found))
            (export_links(&v, register.path, &form))
        }
    };
    page(&v, title, body)
}

fn filter_form(v: &Viewer, form: &Form, register: &Register, units: &crimeboard_domain::units::UnitTree) -> Markup {
    let statuses: Vec<(String, String)> = std::iter::once((String::new(), v.t("ui.status.any").to_string()))
        .chain(register.statuses.iter().map(|s| (s.to_string(), format::label(v, "status", s))))
        .collect();
    let sorts: Vec<(String, String)> = sorts(Some(register.kind))
        .into_iter()
        .map(|s| (s.as_str().to_string(), v.t(sort_label(s)).to_string()))
        .collect();
    html! {
        form.filters method="get" action=(register.path) aria-label=(v.t("ui.filters")) {
            (field("unit", "ui.field.unit").select(v, form, &format::unit_options(v, units, format::Blank::Everything("ui.unit.all"))))
            (field("from", "ui.field.from").input(v, form, "date"))
            (field("to", "ui.field.to").input(v, form, "date"))
            @if !register.statuses.is_empty() {
                (field("status", "ui.field.status").select(v, form, &statuses))
            }
            @if register.kind == EntityKind::Appeal {
                (field("appeal_kind", "ui.appeal.kind").select(v, form, &super::form::options(v, Some("ui.status.any"), &super::appeals::KINDS)))
                (field("appeal_channel", "ui.field.channel").select(v, form, &super::form::options(v, Some("ui.status.any"), &super::appeals::CHANNELS)))
            }
            @if let Some((name, choices, label)) = kind_words(Some(register.kind)) {
                (field(name, label).select(v, form, &super::form::options(v, Some("ui.status.any"), choices)))
            }
            @if register.articles {
                (field("article", "ui.field.article").help(v.t("ui.help.article_filter")).input(v, form, "text"))
                (field("flag", "ui.field.flag").select(v, form, &flag_options(v)))
            }
            (field("q", "ui.field.q").input(v, form, "search"))
            (field("sort", "ui.field.sort").select(v, form, &sorts))
            button type="submit" { (v.t("ui.action.filter")) }
        }
    }
}

/// Any flag, or one of the flags the Board counts.
fn flag_options(v: &Viewer) -> Vec<(String, String)> {
    let labels = super::cases::FLAGS;
    debug_assert!(labels.iter().map(|(f, _)| *f).eq(crimeboard_domain::search::CASE_FLAGS));
    super::form::options(v, Some("ui.flag.any"), &labels)
}

/// The filters of this page as query pairs, without the page number and format.
fn filter_pairs(form: &Form) -> Vec<(&'static str, String)> {
    [
        "unit",
        "from",
        "to",
        "status",
        "article",
        "flag",
        "appeal_kind",
        "appeal_channel",
        "publication_kind",
        "sample_kind",
        "q",
        "sort",
        "kind",
    ]
    .into_iter()
    .map(|k| (k, form.get(k).to_string()))
    .filter(|(_, v)| !v.is_empty())
    .collect()
}

fn href_with(path: &str, form: &Form, extra: &[(&'static str, String)]) -> String {
    let mut pairs = filter_pairs(form);
    pairs.extend(extra.iter().cloned());
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    link(path, &borrowed)
}

fn pager(v: &Viewer, path: &str, form: &Form, found: &ListPage) -> Markup {
    let prev = (found.page > 1).then(|| href_with(path, form, &[("page", (found.page - 1).to_string())]));
    let next = found.has_more.then(|| href_with(path, form, &[("page", (found.page + 1).to_string())]));
    let page_no = format::integer(v, found.page as i64);
    html! {
        nav aria-label=(v.t("ui.pager.label")) {
            ul.pager {
                @if let Some(h) = prev { li { a href=(h) rel="prev" { "← " (v.t("ui.pager.prev")) } } }
                li { (v.fill("ui.pager.page", &[("page", &page_no)])) }
                @if let Some(h) = next { li { a href=(h) rel="next" { (v.t("ui.pager.next")) " →" } } }
            }
        }
    }
}

pub fn export_links(v: &Viewer, path: &str, form: &Form) -> Markup {
    html! {
        ul.actions aria-label=(v.t("ui.export.label")) {
            li { a href=(href_with(path, form, &[("format", "csv".into())])) { (v.t("ui.export.csv")) } }
            li { a href=(href_with(path, form, &[("format", "xlsx".into())])) { (v.t("ui.export.xlsx")) } }
        }
        p.help { (v.fill("ui.export.limit", &[("rows", &format::integer(v, super::export::MAX_ROWS as i64))])) }
    }
}

/// Search across every register: report summaries, case descriptions, persons.
pub async fn search(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let mut form = Form::parse(query.as_deref().unwrap_or("").as_bytes());
    let typed = form.optional_text("q");
    let kind = EntityKind::parse(form.get("kind")).filter(|k| SEARCHED.contains(k));
    let mut params = params(&mut form, kind, false);
    params.within = v.within();
    let found = match typed {
        Some(_) if !form.has_errors() => match fetch(&v, &registry, params, &mut form).await {
            Ok(found) => found,
            Err(p) => return error_page(&v, &p),
        },
        _ => None,
    };
    let units = registry.units();
    let cols = columns_for_search();
    let registers: Vec<(String, String)> = std::iter::once((String::new(), v.t("ui.search.everywhere").to_string()))
        .chain(SEARCHED.iter().map(|k| (k.as_str().to_string(), format::label(&v, "kind", k.as_str()))))
        .collect();
    let title = v.t("ui.search.title");
    let body = html! {
        h1 { (title) }
        (super::form::summary(&v, &form))
        form.filters method="get" action="/search" role="search" {
            (field("q", "ui.field.q").help(v.t("ui.help.search")).input(&v, &form, "search"))
            (field("kind", "ui.field.register").select(&v, &form, &registers))
            button type="submit" { (v.t("ui.action.search")) }
        }
        @if let Some(found) = &found {
            @let rows: Vec<(String, Vec<Shown>)> = found.items.iter().map(|r| super::rows::search_row(&v, &units, r)).collect();
            (table(&v, v.t("ui.search.results"), &cols, &rows))
            (pager(&v, "/search", &form, found))
        }
    };
    page(&v, title, body)
}

/// The registers a search can be narrowed to.
const SEARCHED: [EntityKind; 7] = [
    EntityKind::Report,
    EntityKind::Case,
    EntityKind::Person,
    EntityKind::Seizure,
    EntityKind::Accident,
    EntityKind::Examination,
    EntityKind::Accountability,
];

fn columns_for_search() -> Vec<Column> {
    super::rows::search_columns()
}
