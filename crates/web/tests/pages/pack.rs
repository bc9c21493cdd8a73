//! The pages follow the jurisdiction pack in force: the languages it offers
//! and the one it shows by default.

use crate::helpers::*;
use crate::support::{App, NOW, adopt_pack, at, demo_pack_with, each_backend, english_and_russian_pack, filing};
use axum::http::StatusCode;
use crimeboard_service::{Clock, Registry};
use serde_json::json;
use std::sync::Arc;

#[test]
fn the_pages_offer_the_packs_languages_and_open_in_its_default() {
    each_backend(|app| async move {
        adopt_pack(&app, english_and_russian_pack()).await;
        let home = html(&app.get("/reports").await, StatusCode::OK, "en");
        assert!(home.contains("href=\"/prefs?lang=ru&amp;back=%2Freports\""), "a switch to Russian: {home}");
        assert!(!home.contains("lang=\"az\""), "no switch to a language the pack does not offer: {home}");
        let switcher = home.split("class=\"langs\"").nth(1).and_then(|s| s.split("</ul>").next()).unwrap_or_default();
        assert_eq!(switcher.matches("<li>").count(), 2, "two languages in the switcher: {switcher}");

        // A language not offered is passed over, whichever way it is asked for.
        html(&app.get("/reports?lang=az").await, StatusCode::OK, "en");
        html(&get_with_cookie(&app, "/reports", "lang=az").await, StatusCode::OK, "en");
        html(&get_with_cookie(&app, "/reports?lang=az", "lang=ru").await, StatusCode::OK, "ru");
        html(&get_with_cookie(&app, "/reports?lang=ru", "lang=en").await, StatusCode::OK, "ru");
        let switch = app.get("/prefs?lang=az&back=%2Freports").await;
        assert!(switch.header("set-cookie").is_empty(), "a language not offered is not kept");
        assert!(app.get("/prefs?lang=ru&back=%2Freports").await.header("set-cookie").starts_with("lang=ru;"));
    });
}

/// A server that has not written since another process adopted a pack
/// (`crimeboard jurisdiction apply` beside it) shows its next page under it.
#[test]
fn the_pages_follow_a_pack_another_process_adopted() {
    each_backend(|app| async move {
        let store = app.db.store.clone();
        let clock: Clock = Arc::new(|| at(NOW));
        let beside = tokio::task::spawn_blocking(move || Registry::new(store, clock).unwrap()).await.unwrap();
        let beside = Arc::new(beside);
        let server = App { router: crimeboard_web::router(beside.clone()), registry: beside, ..app.clone() };
        html(&server.get("/reports").await, StatusCode::OK, "az");
        adopt_pack(&app, english_and_russian_pack()).await;
        html(&server.get("/reports").await, StatusCode::OK, "en");
    });
}

/// An amount on a page is shown in the currency of the pack in force.
#[test]
fn an_amount_is_shown_in_the_packs_currency() {
    each_backend(|app| async move {
        let case = json!({"unit": "BAK-NSM", "agency": "mia", "detected_by_police": true, "articles": ["177.2"],
            "occurred_at": "2024-04-01T20:00:00Z", "registered_at": "2024-04-03T09:00:00Z",
            "description": "Mənzil oğurluğu"});
        let opened = app.post("/api/cases", &filing(case)).await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&opened.body));
        let id = opened.json()["entity_id"].as_str().unwrap().to_string();
        let damage = json!({"act": "record_damage", "case_id": id, "amount_qepik": 1_250_050,
            "assessed_at": "2024-04-04T00:00:00Z"});
        let body = json!({"actor": "officer-1", "legal_ground": "CPC art. 207", "command": damage});
        assert_eq!(app.post("/api/acts", &body).await.status, StatusCode::CREATED);
        let page = format!("/cases/{id}");
        let in_manats = html(&get_with_cookie(&app, &page, "lang=en").await, StatusCode::OK, "en");
        assert!(in_manats.contains("12,500.50\u{a0}₼"), "{in_manats}");

        let england = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/jurisdictions/england-wales/jurisdiction.toml"
        ))
        .unwrap();
        let pounds = format!("[currency]{}", england.split("[currency]").nth(1).unwrap());
        let demo = crimeboard_service::demo_files().0["jurisdiction.toml"].clone();
        let manats = format!("[currency]{}", demo.split("[currency]").nth(1).unwrap());
        adopt_pack(&app, demo_pack_with(&[(&manats, &pounds)])).await;
        let in_pounds = html(&get_with_cookie(&app, &page, "lang=en").await, StatusCode::OK, "en");
        assert!(in_pounds.contains("£12,500.50") && !in_pounds.contains('₼'), "{in_pounds}");
        let form = html(&get_with_cookie(&app, &format!("{page}/money"), "lang=en").await, StatusCode::OK, "en");
        assert!(form.contains("In pound sterling (£), with at most 2 decimals."), "{form}");
    });
}

/// A figure grouped by the catalogue's groupings shows each grouping's name
/// in the page's language, not its code.
#[test]
fn a_figure_grouped_by_a_grouping_shows_the_groupings_name() {
    each_backend(|app| async move {
        let mut files = crimeboard_service::demo_files();
        let indicators = files.0["indicators.toml"].replacen("version = \"counting-2024.4\"", "version = \"tags\"", 1)
            + "\n[[indicator]]\ncode = \"cases_by_grouping\"\n\
               name = { az = \"Qruplar üzrə\", ru = \"По группам\", en = \"By grouping\" }\n\
               counts = \"case\"\nby = \"registered\"\nmeasure = \"count\"\ngroup_by = \"tag\"\n";
        files.0.insert("indicators.toml".into(), indicators);
        adopt_pack(&app, files).await;
        let case = json!({"unit": "BAK-NSM", "agency": "mia", "detected_by_police": true, "articles": ["177.2"],
            "occurred_at": "2024-04-01T20:00:00Z", "registered_at": "2024-04-03T09:00:00Z",
            "description": "Mənzil oğurluğu"});
        assert_eq!(app.post("/api/cases", &filing(case)).await.status, StatusCode::CREATED);
        for (lang, indicator, theft) in
            [("az", "Qruplar üzrə", "Oğurluq"), ("ru", "По группам", "Кражи"), ("en", "By grouping", "Theft")]
        {
            let page = get_with_cookie(&app, "/report?period=2024-04&unit=BAK-NSM", &format!("lang={lang}")).await;
            let page = html(&page, StatusCode::OK, lang);
            assert!(page.contains(&format!("{indicator}: {theft}<")), "{lang}: {page}");
            for code in ["theft", "property"] {
                assert!(!page.contains(&format!("{indicator}: {code}<")), "{lang}: the code {code} shown: {page}");
            }
        }
    });
}
