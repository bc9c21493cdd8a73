//! The public figures, on both backends: a unit and a period picked by a
//! form, each indicator beside a year before with its change, one charted
//! month by month with its data table unless a month of it is hidden, the
//! open data's files and the methods in plain words.

use crate::helpers::*;
use crate::public_site::{get_public, public_router};
use crate::support::{each_backend, report};
use axum::http::StatusCode;

#[test]
fn the_figures_compare_a_year_before_and_chart_an_indicator_with_its_table() {
    each_backend(|app| async move {
        for day in ["2024-01-10", "2024-01-11", "2024-01-12"] {
            report(&app, &format!("{day}T09:00:00Z")).await;
        }
        let public = public_router(&app);
        let uri = "/figures?period=2024Q1&unit=BAK-NSM&indicator=reports_received&lang=en";
        let page = html(&get_public(&public, uri).await, StatusCode::OK, "en");
        let received = &page[page.find("<th scope=\"row\">Crime reports received").expect("the row")..];
        let row = &received[..received.find("</tr>").unwrap()];
        let cells: Vec<&str> = row.split("<td class=\"num\">").skip(1).map(|c| c.split('<').next().unwrap()).collect();
        assert_eq!(cells, ["3", "0", "+3"], "this quarter, a year before, the change: {row}");
        assert!(page.contains("<select") && page.contains("name=\"indicator\""), "an indicator to chart is picked");
        assert!(page.contains("<svg") && page.contains("id=\"chart-trend\""), "the chart: {page}");
        assert!(page.contains("id=\"chart-trend-table\""), "with its data table");
        assert!(page.contains("href=\"/api/open-data?period=2024Q1&amp;format=csv\""), "{page}");
        assert!(page.contains("href=\"/api/open-data?period=2024Q1&amp;format=json\""));
        assert!(page.contains("href=\"/figures/methods\""));

        // One report in Ganja is a small count: its month is hidden and no chart gives it away.
        let mut one = crate::support::new_report("2024-02-03T09:00:00Z");
        one["unit"] = "GNC".into();
        let filed = app.post("/api/reports", &crate::support::filing(one)).await;
        assert_eq!(filed.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&filed.body));
        let ganja = "/figures?period=2024Q1&unit=GNC&indicator=reports_received&lang=en";
        let page = html(&get_public(&public, ganja).await, StatusCode::OK, "en");
        assert!(!page.contains("<svg"), "no chart of a hidden month: {page}");
        assert!(page.contains("a month of it is hidden"), "{page}");
        let unknown = get_public(&public, "/figures?period=2024Q1&unit=GNC&indicator=nothing").await;
        html(&unknown, StatusCode::BAD_REQUEST, "az");
    });
}

#[test]
fn the_methods_are_said_plainly_in_each_language() {
    each_backend(|app| async move {
        let public = public_router(&app);
        for (lang, words) in [
            ("az", "Bəzi göstəricilər niyə gizlədilir"),
            ("ru", "Почему некоторые показатели скрыты"),
            ("en", "Why some figures are hidden"),
        ] {
            let page = html(&get_public(&public, &format!("/figures/methods?lang={lang}")).await, StatusCode::OK, lang);
            assert!(page.contains(words), "{lang}: {page}");
            assert!(page.contains(" 3"), "the threshold the open data hides below: {page}");
        }
    });
}
