//! The API under a jurisdiction pack that is not the demo's: the languages
//! it offers and its default.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[test]
fn the_api_speaks_the_packs_languages_and_refuses_the_others() {
    each_backend(|app| async move {
        adopt_pack(&app, english_and_russian_pack()).await;
        let report = app.get("/api/report?period=2024Q1").await;
        assert_eq!(report.status, StatusCode::OK);
        assert_eq!(report.json()["lang"], "en", "the pack's default language");
        assert_eq!(app.get("/api/report?period=2024Q1&lang=ru").await.json()["lang"], "ru");

        let refused = app.get("/api/report?period=2024Q1&lang=az").await;
        let problem = refused.problem(422);
        assert_eq!(refused.header("content-language"), "en", "said in the default language");
        let error = &problem["errors"][0];
        assert_eq!((error["field"].as_str(), error["rule"].as_str()), (Some("lang"), Some("lang.not_offered")));
        assert_eq!(error["params"]["offered"], "en, ru");
        assert!(error["message"].as_str().unwrap().contains("does not offer the language “az”"), "{problem}");

        // Asked in Russian, the refusal is said in Russian, a language offered.
        let in_russian = Request::get("/api/open-data?period=2024Q1&lang=az")
            .header(header::ACCEPT_LANGUAGE, "az, ru;q=0.5")
            .body(Body::empty())
            .unwrap();
        let refused = app.send(in_russian).await;
        refused.problem(422);
        assert_eq!(refused.header("content-language"), "ru");
    });
}
