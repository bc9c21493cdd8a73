//! Series through the API: a series read with its records in the caller's
//! units and only counts elsewhere, each link with its reason, and each
//! unit's alert; an analyst's decision through `POST /api/acts`.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use crimeboard_domain::access::Role;
use serde_json::{Value, json};

async fn report_in(app: &App, unit: &str, received_at: &str) -> String {
    let mut data = new_report(received_at);
    data["unit"] = json!(unit);
    let reply = app.post("/api/reports", &filing(data)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()["entity_id"].as_str().unwrap().to_string()
}

async fn attach(app: &App, report: &str, phone: &str) {
    let body = json!({"subject": {"kind": "report", "id": report}, "identifier": {"kind": "phone", "input": phone},
        "legal_ground": "CPC art. 207"});
    let reply = app.post("/api/identifiers/attachments", &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
}

async fn get_as(app: &App, token: &str, uri: &str) -> Reply {
    let req = Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
    app.send_as_is(req).await
}

async fn token(app: &App, login: &'static str, role: Role, unit: &'static str) -> String {
    let registry = app.registry.clone();
    tokio::task::spawn_blocking(move || user_with_token(&registry, login, role, unit, &[])).await.unwrap()
}

#[test]
fn a_series_and_its_alerts_read_through_the_api_within_the_callers_units() {
    each_backend(|app| async move {
        let a = report_in(&app, "BAK-NSM", "2024-04-16T08:00:00Z").await;
        let b = report_in(&app, "BAK-YAS", "2024-04-17T08:00:00Z").await;
        attach(&app, &a, "050 111 11 11").await;
        attach(&app, &b, "+994 50 111 11 11").await;
        let nasimi = token(&app, "nasimi", Role::Investigator, "BAK-NSM").await;
        let alerts = get_as(&app, &nasimi, "/api/units/BAK-NSM/series-alerts").await;
        assert_eq!(alerts.status, StatusCode::OK, "{}", String::from_utf8_lossy(&alerts.body));
        let alerts = alerts.json();
        assert_eq!(alerts.as_array().unwrap().len(), 1, "{alerts}");
        assert_eq!(
            (alerts[0]["own"].clone(), alerts[0]["elsewhere"].clone()),
            (json!(1), json!([{"unit": "BAK-YAS", "count": 1}]))
        );
        let link = alerts[0]["link"].as_str().unwrap().to_string();
        let series = get_as(&app, &nasimi, &link).await;
        assert_eq!(series.status, StatusCode::OK, "{}", String::from_utf8_lossy(&series.body));
        let series: Value = series.json();
        assert_eq!(series["records"].as_array().unwrap().len(), 1);
        assert_eq!(series["records"][0]["record"], json!(a));
        assert_eq!(series["elsewhere"], json!([{"unit": "BAK-YAS", "count": 1}]));
        assert_eq!(series["links"][0]["display"], "+994 50 111 11 11");
        assert_eq!(series["links"][0]["weak"], true, "the only link holds the two together");
        let ends = series["links"][0]["ends"].as_array().unwrap();
        let theirs = ends.iter().find(|e| e["unit"] == "BAK-YAS").unwrap();
        assert_eq!((theirs["record"].clone(), theirs["attached_by"].clone()), (Value::Null, Value::Null));
        // Another unit's chief reads no alerts of Nasimi's.
        let sabail = token(&app, "sabail", Role::UnitChief, "BAK-SAB").await;
        assert_eq!(get_as(&app, &sabail, "/api/units/BAK-NSM/series-alerts").await.status, StatusCode::FORBIDDEN);
        let missing = get_as(&app, &nasimi, &format!("/api/series/{}", uuid::Uuid::nil())).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    });
}
