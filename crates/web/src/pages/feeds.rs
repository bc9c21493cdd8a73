//! The public site for machines: the news as an Atom 1.0 feed per language
//! (`/news/feed.atom?lang=az`: the releases the list shows in that
//! language, newest first, each with its text) and the sitemap
//! (`/sitemap.xml`: the public pages, each in every language the pack
//! offers with its `hreflang` alternates, since the language travels in the
//! address as `?lang=`). Both are XML written with maud, which escapes every
//! text and attribute. Their addresses are absolute, made from the request's
//! `Host` (and `X-Forwarded-Proto` behind a proxy that ends TLS): the
//! installation has no other name for itself.

use super::news::{self, public_day, release_path, summary, title};
use super::paths::{APPEAL_PATH, FIGURES, METHODS, NEWS, NEWS_FEED, REPORT_PATH, STATUS_PATH, UNITS, link};
use super::respond::error_page;
use super::viewer::Viewer;
use crate::i18n::Lang;
use crate::state::{Shared, blocking};
use axum::extract::State;
use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use crimeboard_domain::release::Release;
use crimeboard_domain::units::Language;
use maud::{Markup, PreEscaped, html};

const XML_DECLARATION: PreEscaped<&str> = PreEscaped("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");

/// `https://host` as the request names the site.
fn origin(headers: &HeaderMap) -> String {
    let host = headers.get(HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let https = headers.get("x-forwarded-proto").is_some_and(|p| p.as_bytes().eq_ignore_ascii_case(b"https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

fn xml(content_type: &'static str, body: Markup) -> Response {
    let mut res = body.into_string().into_response();
    res.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// The news in the viewer's language (`?lang=` chooses it) as Atom 1.0.
pub async fn atom(v: Viewer, State(registry): Shared, headers: HeaderMap) -> Response {
    let lang: Language = v.lang.into();
    let viewer = v.clone();
    let read = blocking(&registry, move |r| {
        let rules = r.jurisdiction().rules.clone();
        let written: Vec<Release> = news::visible(r)?.into_iter().filter(|x| x.languages().contains(&lang)).collect();
        let entries = written
            .into_iter()
            .take(news::PER_PAGE)
            .map(|x| {
                let at = rules.from_local(x.public_from().unwrap_or_default());
                let text = r.release_text(&x, lang);
                (title(&viewer, &x, lang), x, text, at)
            })
            .collect::<Vec<_>>();
        Ok((entries, r.now()))
    })
    .await;
    let (entries, now) = match read {
        Ok(read) => read,
        Err(p) => return error_page(&v, &p),
    };
    let base = origin(&headers);
    let code = v.lang.code();
    let stamp = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let updated = entries.first().map_or(now, |e| e.3);
    let body = html! {
        (XML_DECLARATION)
        feed xmlns="http://www.w3.org/2005/Atom" xml:lang=(code) {
            id { (base) (link(NEWS_FEED, &[("lang", code)])) }
            title { (v.t("ui.site.title")) " — " (v.t("ui.news.title")) }
            updated { (stamp(updated)) }
            author { name { (v.t("ui.site.title")) } }
            link rel="self" type="application/atom+xml" href={ (base) (link(NEWS_FEED, &[("lang", code)])) } {}
            link rel="alternate" type="text/html" href={ (base) (link(NEWS, &[("lang", code)])) } {}
            @for (heading, r, text, at) in &entries {
                entry {
                    id { "urn:uuid:" (r.id) }
                    title { (heading) }
                    published { (stamp(*at)) }
                    updated { (stamp(*at)) }
                    link rel="alternate" type="text/html" href={ (base) (link(&release_path(r), &[("lang", code)])) } {}
                    @for t in &r.tags.topics { category term=(t) label=(super::format::label(&v, "topic", t)) {} }
                    summary { (summary(text)) }
                    content type="text" { (text) }
                }
            }
        }
    };
    xml("application/atom+xml; charset=utf-8", body)
}

/// The public pages in every language offered, each with its alternates.
pub async fn sitemap(v: Viewer, State(registry): Shared, headers: HeaderMap) -> Response {
    let read = blocking(&registry, |r| {
        let today = r.jurisdiction().rules.local_date(r.now());
        let tree = r.dated_units().as_of(today);
        let units: Vec<String> = tree
            .all()
            .filter(|u| tree.merged_into(&u.code).is_none())
            .map(|u| format!("{UNITS}/{}", u.code.as_str()))
            .collect();
        Ok((units, news::visible(r)?))
    })
    .await;
    let (units, releases) = match read {
        Ok(read) => read,
        Err(p) => return error_page(&v, &p),
    };
    let offered: Vec<Lang> = v.offer.languages.clone();
    let mut pages: Vec<(String, Vec<Lang>, Option<chrono::NaiveDate>)> =
        ["/", UNITS, FIGURES, METHODS, NEWS, REPORT_PATH, APPEAL_PATH, STATUS_PATH]
            .into_iter()
            .map(|p| (p.to_string(), offered.clone(), None))
            .collect();
    pages.extend(units.into_iter().map(|p| (p, offered.clone(), None)));
    for r in &releases {
        let langs = offered.iter().copied().filter(|l| r.languages().contains(&(*l).into())).collect();
        pages.push((release_path(r), langs, Some(public_day(r))));
    }
    let base = origin(&headers);
    let body = html! {
        (XML_DECLARATION)
        urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml" {
            @for (path, langs, day) in &pages {
                @for lang in langs {
                    url {
                        loc { (base) (link(path, &[("lang", lang.code())])) }
                        @if let Some(day) = day { lastmod { (day) } }
                        @for alt in langs {
                            xhtml:link rel="alternate" hreflang=(alt.code()) href={ (base) (link(path, &[("lang", alt.code())])) } {}
                        }
                    }
                }
            }
        }
    };
    xml("application/xml; charset=utf-8", body)
}
