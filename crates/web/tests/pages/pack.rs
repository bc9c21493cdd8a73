//! The pages follow the jurisdiction pack in force: the languages it offers
//! and the one it shows by default.

use crate::helpers::*;
use crate::support::{App, NOW, adopt_pack, at, each_backend, english_and_russian_pack};
use axum::http::StatusCode;
use crimeboard_service::{Clock, Registry};
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
