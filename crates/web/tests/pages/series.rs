//! An analyst's pages for series: the list of series with its filters,
//! pages and files.

use crate::helpers::*;
use crate::support::{App, each_backend};
use axum::http::StatusCode;
use crimeboard_domain::access::Role;

const GROUND: (&str, &str) = ("legal_ground", "CPC art. 207");

/// A report registered in a unit: its page.
async fn report_in(app: &App, unit: &str, received_at: &str) -> String {
    let mut report = crate::support::new_report(received_at);
    report["unit"] = unit.into();
    let filed = app.post("/api/reports", &crate::support::filing(report)).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&filed.body));
    format!("/reports/{}", filed.json()["entity_id"].as_str().unwrap())
}

async fn attach(app: &App, record: &str, kind: &str, typed: &str) {
    let fields = [("identifier.kind", kind), ("identifier.input", typed), GROUND];
    assert_eq!(location(&post_form(app, &format!("{record}/identifiers/new"), &fields).await), record);
}

fn id_of(page: &str) -> &str {
    page.rsplit('/').next().unwrap()
}

#[test]
fn the_list_of_series_shows_those_across_units_first_filters_them_and_writes_them_to_a_file() {
    each_backend(|app| async move {
        let a = report_in(&app, "BAK-NSM", "2024-04-02T08:00:00Z").await;
        let b = report_in(&app, "BAK-YAS", "2024-04-03T08:00:00Z").await;
        let c = report_in(&app, "BAK-NSM", "2024-04-04T08:00:00Z").await;
        let d = report_in(&app, "BAK-NSM", "2024-04-05T08:00:00Z").await;
        attach(&app, &a, "phone", "050 111 11 11").await;
        attach(&app, &b, "phone", "050 111 11 11").await;
        attach(&app, &c, "email", "ring@example.com").await;
        attach(&app, &d, "email", "ring@example.com").await;
        let across = id_of(&a).min(id_of(&b)).to_string();
        let own = id_of(&c).min(id_of(&d)).to_string();
        let analyst = sign_in(&app, "list-analyst", Role::HqAnalyst, "MIA", &[]).await;
        for lang in ["az", "ru", "en"] {
            let all = format!("/series?unit=MIA&lang={lang}");
            let page = html(&get_as(&app, &all, Some(&analyst)).await, StatusCode::OK, lang);
            assert!(page.contains("href=\"/series?unit=MIA\""), "in the navigation: {page}");
            let first = page.find(&format!("href=\"/series/{across}\"")).expect("the series across units");
            let second = page.find(&format!("href=\"/series/{own}\"")).expect("Nasimi's own series");
            assert!(first < second, "across units first ({lang})");
        }
        let yasamal = html(&get_as(&app, "/series?unit=BAK-YAS&lang=en", Some(&analyst)).await, StatusCode::OK, "en");
        assert!(yasamal.contains(&format!("/series/{across}")) && !yasamal.contains(&format!("/series/{own}")));
        assert!(yasamal.contains("1 series in all"), "{yasamal}");
        let weak = html(&get_as(&app, "/series?weak=yes&min_size=3", Some(&analyst)).await, StatusCode::OK, "az");
        assert!(weak.contains("id=\"series-none\""), "no series of three: {weak}");
        let refused = html(&get_as(&app, "/series?min_size=many&lang=en", Some(&analyst)).await, StatusCode::OK, "en");
        assert!(refused.contains("id=\"f-min_size-error\""), "the bad filter named at its field: {refused}");
        let csv = get_as(&app, "/series?format=csv&lang=en", Some(&analyst)).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.header("content-disposition").contains("crimeboard-series.csv"));
        let text = String::from_utf8_lossy(&csv.body);
        assert!(text.contains("Series,Records,Units,Confirmed,Hubs,Weak links"), "{text}");
        assert!(text.contains(&across) && text.contains(&own), "every series, ids whole: {text}");
        let xlsx = get_as(&app, "/series?format=xlsx&unit=BAK-YAS", Some(&analyst)).await;
        assert!(xlsx.status == StatusCode::OK && xlsx.body.starts_with(b"PK"));
        // An investigator of Yasamal is shown the series holding Yasamal's records only.
        let investigator = sign_in(&app, "yas-investigator", Role::Investigator, "BAK-YAS", &[]).await;
        let theirs = html(&get_as(&app, "/series?lang=en", Some(&investigator)).await, StatusCode::OK, "en");
        assert!(theirs.contains(&format!("/series/{across}")) && !theirs.contains(&format!("/series/{own}")));
    });
}

#[test]
fn an_analyst_decides_how_an_identifier_links_on_its_page_the_rule_shown_when_refused() {
    each_backend(|app| async move {
        let a = report_in(&app, "BAK-NSM", "2024-04-02T08:00:00Z").await;
        let b = report_in(&app, "BAK-YAS", "2024-04-03T08:00:00Z").await;
        attach(&app, &a, "phone", "050 111 11 11").await;
        attach(&app, &b, "phone", "050 111 11 11").await;
        let series = format!("/series/{}", id_of(&a).min(id_of(&b)));
        let identifier = "/identifiers/phone/%2B994501111111";
        let analyst = sign_in(&app, "linking-analyst", Role::HqAnalyst, "MIA", &["BAK-NSM"]).await;
        let on_series = html(&get_as(&app, &format!("{series}?lang=en"), Some(&analyst)).await, StatusCode::OK, "en");
        assert!(on_series.contains(&format!("href=\"{identifier}#linking\"")), "beside the link: {on_series}");
        for lang in ["az", "ru", "en"] {
            let page =
                html(&get_as(&app, &format!("{identifier}?lang={lang}"), Some(&analyst)).await, StatusCode::OK, lang);
            assert!(
                page.contains("id=\"linking-decision\"") && page.contains(&format!("action=\"{identifier}/linking\""))
            );
        }
        let before = position(&app).await;
        let blank = [("linking", "excluded"), ("reason", " "), GROUND];
        let refused = post_as(&app, &format!("{identifier}/linking?lang=en"), &blank, Some(&analyst)).await;
        let refused = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(refused.contains("id=\"f-reason-error\""), "the reason named: {refused}");
        let unchosen = [("reason", "A bank's hotline"), GROUND];
        let refused = post_as(&app, &format!("{identifier}/linking?lang=en"), &unchosen, Some(&analyst)).await;
        assert!(html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en").contains("id=\"f-linking-error\""));
        assert_eq!(position(&app).await, before, "nothing refused was written");
        let exclude = [("linking", "excluded"), ("reason", "A bank's hotline"), GROUND];
        let done = post_as(&app, &format!("{identifier}/linking"), &exclude, Some(&analyst)).await;
        assert_eq!(location(&done), format!("{identifier}#linking"));
        let page = html(&get_as(&app, &format!("{identifier}?lang=en"), Some(&analyst)).await, StatusCode::OK, "en");
        assert!(page.contains("Excluded from linking. Decided by linking-analyst on"), "{page}");
        assert!(page.contains("A bank&#39;s hotline") || page.contains("A bank's hotline"), "{page}");
        assert_eq!(get_as(&app, &series, Some(&analyst)).await.status, StatusCode::NOT_FOUND, "the series is gone");
        // Whoever only reads sees the decision and no form.
        let reader = sign_in(&app, "nsm-reader", Role::Investigator, "BAK-NSM", &[]).await;
        let page = html(&get_as(&app, &format!("{identifier}?lang=en"), Some(&reader)).await, StatusCode::OK, "en");
        assert!(page.contains("Excluded from linking") && !page.contains(&format!("action=\"{identifier}/linking\"")));
    });
}

#[test]
fn a_unit_acknowledges_its_series_alert_from_its_queue_and_the_alert_shows_no_more() {
    each_backend(|app| async move {
        let a = report_in(&app, "BAK-NSM", "2024-04-02T08:00:00Z").await;
        let b = report_in(&app, "BAK-YAS", "2024-04-03T08:00:00Z").await;
        attach(&app, &a, "phone", "050 111 11 11").await;
        attach(&app, &b, "phone", "050 111 11 11").await;
        let series = format!("/series/{}", id_of(&a).min(id_of(&b)));
        let chief = sign_in(&app, "ack-chief", Role::UnitChief, "BAK-NSM", &[]).await;
        let queue = html(&get_as(&app, "/?unit=BAK-NSM&lang=en", Some(&chief)).await, StatusCode::OK, "en");
        let form = format!("{series}/acknowledge?unit=BAK-NSM");
        assert!(queue.contains(&format!("href=\"{}\"", form.replace('&', "&amp;"))), "{queue}");
        for lang in ["az", "ru", "en"] {
            let page = html(&get_as(&app, &format!("{form}&lang={lang}"), Some(&chief)).await, StatusCode::OK, lang);
            assert!(page.contains("name=\"unit\" value=\"BAK-NSM\""), "{page}");
        }
        let before = position(&app).await;
        let refused =
            post_as(&app, &format!("{series}/acknowledge?lang=en"), &[("unit", "BAK-NSM")], Some(&chief)).await;
        assert!(html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en").contains("id=\"f-legal_ground-error\""));
        assert_eq!(position(&app).await, before, "nothing refused was written");
        let done = post_as(&app, &format!("{series}/acknowledge"), &[("unit", "BAK-NSM"), GROUND], Some(&chief)).await;
        assert_eq!(location(&done), "/?unit=BAK-NSM");
        let queue = html(&get_as(&app, "/?unit=BAK-NSM&lang=en", Some(&chief)).await, StatusCode::OK, "en");
        assert!(!queue.contains("class=\"series-alert\""), "shown once: {queue}");
        let yasamal = sign_in(&app, "ack-yas-chief", Role::UnitChief, "BAK-YAS", &[]).await;
        let theirs = html(&get_as(&app, "/?unit=BAK-YAS&lang=en", Some(&yasamal)).await, StatusCode::OK, "en");
        assert_eq!(theirs.matches("class=\"series-alert\"").count(), 1, "the other unit's stays: {theirs}");
    });
}
