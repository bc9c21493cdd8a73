//! The public site's news: the releases the press service has published
//! whose moment has come (a scheduled one is nobody's news before its civil
//! date and time), newest first. `/news` lists those written in the
//! reader's language, 20 to a page, filtered by unit, topic and year;
//! `/news/{number}` is one release, its figures written out as the staff
//! page writes them and its tags linking back to the filtered list (in a
//! language it is not written in, it says which languages it is in). The
//! same renderer draws the staff's preview, in the public frame. The Atom
//! feeds and the sitemap are in `feeds`.

use super::format;
use super::layout::{lang_name, page};
use super::paths::{NEWS, NEWS_FEED, UNITS, encode, link};
use super::respond::error_page;
use super::viewer::{Viewer, query_value};
use crate::i18n::Lang;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use crimeboard_domain::release::{Release, TOPICS};
use crimeboard_domain::units::{Language, UnitCode, UnitTree};
use crimeboard_service::Registry;
use maud::{Markup, html};

/// Releases to a page of the list.
pub const PER_PAGE: usize = 20;

/// How many of the latest the public home and a unit's page list.
pub const LATEST: usize = 5;

/// The releases the public sees at the registry's civil time, newest first.
pub fn visible(r: &Registry) -> Result<Vec<Release>, Problem> {
    let now = r.jurisdiction().rules.local_time(r.now());
    let mut list: Vec<Release> =
        r.published_releases().map_err(Problem::from_service)?.into_iter().filter(|x| x.is_public_at(now)).collect();
    list.sort_by(|a, b| b.public_from().cmp(&a.public_from()).then_with(|| b.number.cmp(&a.number)));
    Ok(list)
}

/// The civil day the public has a release from.
pub fn public_day(r: &Release) -> NaiveDate {
    r.public_from().map_or(r.drafted_on, |m| m.date())
}

/// What the list is filtered by, read from the address.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Filters {
    unit: Option<UnitCode>,
    topic: Option<String>,
    year: Option<i32>,
    page: usize,
}

impl Filters {
    fn parse(query: Option<&str>) -> Filters {
        let value = |name| query_value(query, name).filter(|s| !s.is_empty());
        Filters {
            unit: value("unit").and_then(|u| UnitCode::parse(&u).ok()),
            topic: value("topic").filter(|t| TOPICS.contains(&t.as_str())),
            year: value("year").and_then(|y| y.parse().ok()),
            page: value("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    fn matches(&self, r: &Release, lang: Language) -> bool {
        !r.texts.get(lang).trim().is_empty()
            && self.unit.as_ref().is_none_or(|u| r.concerns(u))
            && self.topic.as_ref().is_none_or(|t| r.tags.topics.contains(t))
            && self.year.is_none_or(|y| public_day(r).year() == y)
    }

    fn href(&self, page: usize) -> String {
        let (unit, topic, year, page) = (
            self.unit.as_ref().map(|u| u.to_string()).unwrap_or_default(),
            self.topic.clone().unwrap_or_default(),
            self.year.map(|y| y.to_string()).unwrap_or_default(),
            if page > 1 { page.to_string() } else { String::new() },
        );
        link(NEWS, &[("unit", &unit), ("topic", &topic), ("year", &year), ("page", &page)])
    }
}

/// A release's address on the public site.
pub fn release_path(r: &Release) -> String {
    format!("{NEWS}/{}", encode(&r.number))
}

/// A release's title in `lang`; a meeting's release without one is named by its meeting.
pub fn title(v: &Viewer, r: &Release, lang: Language) -> String {
    match r.titles.get(lang).trim() {
        "" => v.fill("ui.news.board_title", &[("date", &format::day(v, r.held_on.unwrap_or(r.drafted_on)))]),
        given => given.to_string(),
    }
}

/// The first paragraph of a text, cut at 280 characters.
pub fn summary(text: &str) -> String {
    let first = text.split("\n\n").next().unwrap_or("").trim();
    if first.chars().count() > 280 {
        format!("{}…", first.chars().take(279).collect::<String>())
    } else {
        first.into()
    }
}

/// The latest releases in the reader's language, as a short list: the
/// public home's and a unit's page's (`concerning` one unit).
pub fn latest(v: &Viewer, releases: &[Release], concerning: Option<&UnitCode>, none: &'static str) -> Markup {
    let lang: Language = v.lang.into();
    let filters = Filters { unit: concerning.cloned(), ..Filters::default() };
    let shown: Vec<&Release> = releases.iter().filter(|r| filters.matches(r, lang)).take(LATEST).collect();
    html! {
        @if shown.is_empty() {
            p { (v.t(none)) }
        } @else {
            ul.news-latest {
                @for r in shown {
                    li { a href=(release_path(r)) { (title(v, r, lang)) } " — " (format::date(v, public_day(r))) }
                }
            }
        }
        p { a href=(filters.href(1)) { (v.t("ui.news.all")) } }
    }
}

pub async fn list(v: Viewer, State(registry): Shared, RawQuery(query): RawQuery) -> Response {
    let filters = Filters::parse(query.as_deref());
    let lang: Language = v.lang.into();
    let read = blocking(&registry, move |r| {
        let releases = visible(r)?;
        let texts: Vec<String> = releases.iter().map(|x| r.release_text(x, lang)).collect();
        Ok((releases, texts, tree_now(r)))
    })
    .await;
    let (releases, texts, tree) = match read {
        Ok(read) => read,
        Err(p) => return error_page(&v, &p),
    };
    let matching: Vec<(&Release, &String)> =
        releases.iter().zip(&texts).filter(|(r, _)| filters.matches(r, lang)).collect();
    let pages = matching.len().div_ceil(PER_PAGE).max(1);
    let page_no = filters.page.min(pages);
    let shown = matching.iter().skip((page_no - 1) * PER_PAGE).take(PER_PAGE);
    let body = html! {
        h1 { (v.t("ui.news.title")) }
        (filter_form(&v, &filters, &releases, &tree))
        @if matching.is_empty() {
            p { (v.t("ui.news.none_found")) }
        } @else {
            p { (v.fill("ui.news.found", &[("count", &format::integer(&v, matching.len() as i64))])) }
            ol.news-list {
                @for (r, text) in shown {
                    li { article {
                        h2 { a href=(release_path(r)) { (title(&v, r, lang)) } }
                        p.meta { (format::date(&v, public_day(r))) }
                        p { (summary(text)) }
                    } }
                }
            }
            @if pages > 1 {
                nav.pages aria-label=(v.t("ui.news.pages")) {
                    @if page_no > 1 { a rel="prev" href=(filters.href(page_no - 1)) { (v.t("ui.news.newer")) } " " }
                    span { (v.fill("ui.news.page_of", &[("page", &page_no.to_string()), ("pages", &pages.to_string())])) }
                    @if page_no < pages { " " a rel="next" href=(filters.href(page_no + 1)) { (v.t("ui.news.older")) } }
                }
            }
        }
        p { a href=(link(NEWS_FEED, &[("lang", v.lang.code())])) type="application/atom+xml" { (v.t("ui.news.feed")) } }
    };
    page(&v, v.t("ui.news.title"), body)
}

/// The unit tree in force on the registry's civil day.
fn tree_now(r: &Registry) -> std::sync::Arc<UnitTree> {
    r.dated_units().as_of(r.jurisdiction().rules.local_date(r.now()))
}

/// The filters: the units and years any release has, every topic.
fn filter_form(v: &Viewer, f: &Filters, releases: &[Release], tree: &UnitTree) -> Markup {
    let mut units: Vec<&UnitCode> =
        releases.iter().flat_map(|r| std::iter::once(&r.unit).chain(&r.tags.units)).collect();
    units.sort();
    units.dedup();
    let mut years: Vec<i32> = releases.iter().map(|r| public_day(r).year()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let chosen_unit = f.unit.as_ref().map(|u| u.to_string()).unwrap_or_default();
    let chosen_topic = f.topic.clone().unwrap_or_default();
    html! {
        form.filters method="get" action=(NEWS) role="search" aria-label=(v.t("ui.news.filters")) {
            div.field {
                label for="news-unit" { (v.t("ui.col.unit")) }
                select #news-unit name="unit" {
                    option value="" { (v.t("ui.news.any")) }
                    @for u in units {
                        option value=(u) selected[u.as_str() == chosen_unit] { (unit_name(v, tree, u)) }
                    }
                }
            }
            div.field {
                label for="news-topic" { (v.t("ui.news.topic")) }
                select #news-topic name="topic" {
                    option value="" { (v.t("ui.news.any")) }
                    @for t in TOPICS {
                        option value=(t) selected[t == chosen_topic] { (format::label(v, "topic", t)) }
                    }
                }
            }
            div.field {
                label for="news-year" { (v.t("ui.news.year")) }
                select #news-year name="year" {
                    option value="" { (v.t("ui.news.any")) }
                    @for y in years { option value=(y) selected[Some(y) == f.year] { (y) } }
                }
            }
            button type="submit" { (v.t("ui.action.filter")) }
        }
    }
}

fn unit_name(v: &Viewer, tree: &UnitTree, code: &UnitCode) -> String {
    tree.get(code).map_or_else(|| code.to_string(), |u| format::names(v, &u.names).to_string())
}

/// A release as the public reads it, with what its page needs.
pub struct Article {
    pub release: Release,
    /// Its text in the reader's language, each figure written out.
    pub text: String,
    /// Each figure: the indicator's name, its period and its value written out.
    pub figures: Vec<(String, String, String)>,
    pub tree: std::sync::Arc<UnitTree>,
}

/// Reads what a release's public page shows, in the viewer's language.
pub fn article_of(r: &Registry, v: &Viewer, release: Release) -> Article {
    let lang: Language = v.lang.into();
    let pack = r.jurisdiction();
    let text = r.release_text(&release, lang);
    let figures = release
        .figures
        .iter()
        .map(|f| {
            let name = pack.indicators.get(&f.indicator).map_or(f.indicator.clone(), |i| v.name_of(&i.name).into());
            let period = format!("{} – {}", format::day(v, f.period_from), format::day(v, f.period_to));
            (name, period, r.figure_text(f, lang))
        })
        .collect();
    Article { release, text, figures, tree: tree_now(r) }
}

/// The body of a release's public page; the staff's preview draws it too.
pub fn article(v: &Viewer, a: &Article) -> Markup {
    let (r, lang) = (&a.release, v.lang.into());
    let written = r.languages();
    html! {
        article.release {
            h1 { (title(v, r, lang)) }
            p.meta { (format::date(v, public_day(r))) " · " (unit_name(v, &a.tree, &r.unit)) }
            @if written.contains(&lang) {
                @for paragraph in a.text.split("\n\n") { p { (paragraph) } }
            } @else {
                p { (v.t("ui.news.not_in_language")) }
                ul { @for l in &written {
                    @let code = Lang::parse(l.code()).unwrap_or(v.lang);
                    li { a href=(link(&release_path(r), &[("lang", code.code())])) lang=(code.code()) hreflang=(code.code()) {
                        (lang_name(code)) } }
                } }
            }
            @if !a.figures.is_empty() {
                div.table-wrap role="region" tabindex="0" aria-labelledby="release-figures" {
                    table {
                        caption #release-figures { (v.t("ui.news.figures")) }
                        thead { tr {
                            th scope="col" { (v.t("ui.release.indicator")) }
                            th scope="col" { (v.t("ui.release.period")) }
                            th scope="col" class="num" { (v.t("ui.release.value")) }
                        } }
                        tbody { @for (name, period, value) in &a.figures {
                            tr { td { (name) } td { (period) } td class="num" { (value) } }
                        } }
                    }
                }
            }
            // A gallery of the release's photos will stand here.
            (tags(v, r, &a.tree))
        }
    }
}

/// The release's units and topics, each a link to the list filtered by it.
fn tags(v: &Viewer, r: &Release, tree: &UnitTree) -> Markup {
    html! {
        @if !r.tags.units.is_empty() || !r.tags.topics.is_empty() {
            section.tags aria-labelledby="release-tags" {
                h2 #release-tags { (v.t("ui.news.tags")) }
                ul {
                    @for u in &r.tags.units {
                        li { a href=(link(NEWS, &[("unit", u.as_str())])) { (unit_name(v, tree, u)) } }
                    }
                    @for t in &r.tags.topics {
                        li { a href=(link(NEWS, &[("topic", t)])) { (format::label(v, "topic", t)) } }
                    }
                }
                p { a href=(format!("{UNITS}/{}", r.unit.as_str())) { (v.t("ui.news.issuing_unit")) } }
            }
        }
    }
}

pub async fn show(v: Viewer, State(registry): Shared, Path(number): Path<String>) -> Response {
    let viewer = v.clone();
    let read = blocking(&registry, move |r| {
        let release = visible(r)?.into_iter().find(|x| x.number == number).ok_or_else(Problem::not_found)?;
        Ok(article_of(r, &viewer, release))
    })
    .await;
    match read {
        Ok(a) => {
            let title = title(&v, &a.release, v.lang.into());
            page(&v, &title, article(&v, &a))
        }
        Err(p) => error_page(&v, &p),
    }
}
