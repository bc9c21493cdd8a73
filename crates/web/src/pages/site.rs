//! The public site's home page on its own listener: what the site offers
//! and where each part is, with the latest news. The parts later work adds
//! (awareness material, galleries) are listed here too.

use super::layout::page;
use super::news;
use super::paths;
use super::respond::error_page;
use super::viewer::Viewer;
use crate::state::{Shared, blocking};
use axum::extract::State;
use axum::response::Response;
use maud::html;

pub async fn home(v: Viewer, State(registry): Shared) -> Response {
    let releases = match blocking(&registry, news::visible).await {
        Ok(releases) => releases,
        Err(p) => return error_page(&v, &p),
    };
    let body = html! {
        h1 { (v.t("ui.site.title")) }
        p { (v.t("ui.site.intro")) }
        ul.sections {
            li { a href=(paths::NEWS) { (v.t("ui.news.title")) } }
            li { a href=(paths::UNITS) { (v.t("ui.nav.units")) } }
            li { a href=(paths::FIGURES) { (v.t("ui.nav.figures")) } }
            li { a href=(paths::REPORT_PATH) { (v.t("ui.site.online_report")) } }
            li { a href=(paths::APPEAL_PATH) { (v.t("ui.site.online_appeal")) } }
            li { a href=(paths::STATUS_PATH) { (v.t("ui.site.online_status")) } }
        }
        section aria-labelledby="latest-news" {
            h2 #latest-news { (v.t("ui.news.latest")) }
            (news::latest(&v, &releases, None, "ui.news.none"))
        }
    };
    page(&v, v.t("ui.site.home"), body)
}
