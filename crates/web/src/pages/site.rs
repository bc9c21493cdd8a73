//! The public site's home page on its own listener: what the site offers
//! and where each part is. The parts later work adds (news, awareness
//! material, reporting a crime and appeals online) are listed here too.

use super::layout::page;
use super::paths;
use super::viewer::Viewer;
use axum::response::Response;
use maud::html;

pub async fn home(v: Viewer) -> Response {
    let body = html! {
        h1 { (v.t("ui.site.title")) }
        p { (v.t("ui.site.intro")) }
        ul.sections {
            li { a href=(paths::UNITS) { (v.t("ui.nav.units")) } }
            li { a href=(paths::FIGURES) { (v.t("ui.nav.figures")) } }
            li { a href=(paths::REPORT_PATH) { (v.t("ui.site.online_report")) } }
            li { a href=(paths::APPEAL_PATH) { (v.t("ui.site.online_appeal")) } }
            li { a href=(paths::STATUS_PATH) { (v.t("ui.site.online_status")) } }
        }
    };
    page(&v, v.t("ui.site.home"), body)
}
