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

async fn post_as(app: &App, token: &str, uri: &str, body: &Value) -> Reply {
    let req = Request::post(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::to_vec(body).unwrap()))
        .unwrap();
    app.send_as_is(req).await
}

#[test]
fn the_list_of_series_is_filtered_paged_and_written_as_csv_or_xlsx_and_a_series_says_its_confirmation() {
    each_backend(|app| async move {
        let a = report_in(&app, "BAK-NSM", "2024-04-16T08:00:00Z").await;
        let b = report_in(&app, "BAK-YAS", "2024-04-17T08:00:00Z").await;
        let c = report_in(&app, "BAK-NSM", "2024-04-18T08:00:00Z").await;
        let d = report_in(&app, "BAK-NSM", "2024-04-19T08:00:00Z").await;
        attach(&app, &a, "050 111 11 11").await;
        attach(&app, &b, "050 111 11 11").await;
        attach(&app, &c, "055 222 22 22").await;
        attach(&app, &d, "055 222 22 22").await;
        let across = a.as_str().min(b.as_str()).to_string();
        let analyst = token(&app, "series-analyst", Role::HqAnalyst, "AZ").await;
        let listed = get_as(&app, &analyst, "/api/series").await;
        assert_eq!(listed.status, StatusCode::OK, "{}", String::from_utf8_lossy(&listed.body));
        let listed = listed.json();
        assert_eq!(listed["total"], 2);
        assert_eq!(listed["items"][0]["id"], json!(across), "the series across two units first: {listed}");
        assert_eq!(
            listed["items"][0]["units"],
            json!([{"unit": "BAK-NSM", "count": 1}, {"unit": "BAK-YAS", "count": 1}])
        );
        assert_eq!(
            (listed["items"][0]["weak"].clone(), listed["items"][0]["confirmed"].clone()),
            (json!(1), json!(false))
        );
        let yasamal = get_as(&app, &analyst, "/api/series?unit=BAK-YAS&per_page=1").await.json();
        assert_eq!((yasamal["total"].clone(), yasamal["items"].as_array().unwrap().len()), (json!(1), 1));
        // Confirmed through the acts' route: the list filters by it, the series says who and when.
        let confirm = json!({"actor": "analyst", "legal_ground": "Order 12",
            "command": {"act": "confirm_series", "unit": "AZ", "series": across, "note": "One caller"}});
        let reply = post_as(&app, &analyst, "/api/acts", &confirm).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
        let confirmed = get_as(&app, &analyst, "/api/series?confirmed=true").await.json();
        assert_eq!(confirmed["items"].as_array().unwrap().len(), 1);
        assert_eq!(confirmed["items"][0]["id"], json!(across));
        let series = get_as(&app, &analyst, &format!("/api/series/{across}")).await.json();
        assert_eq!(
            (series["confirmation"]["by"].clone(), series["confirmation"]["note"].clone()),
            (json!("series-analyst"), json!("One caller"))
        );
        assert_eq!(series["confirmation"]["joined"], json!([]), "nothing changed since");
        // The same list as files, every series in them.
        let csv = get_as(&app, &analyst, "/api/series?format=csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
        let text = String::from_utf8_lossy(&csv.body);
        assert!(text.contains("series,size,units,confirmed,hubs,weak_links"), "{text}");
        assert!(text.contains(&format!("{across},2,\"BAK-NSM (1), BAK-YAS (1)\",yes,0,1")), "{text}");
        assert_eq!(text.lines().count(), 3, "a header and both series");
        let xlsx = get_as(&app, &analyst, "/api/series?format=xlsx").await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.body.starts_with(b"PK"), "a workbook is a zip");
        // A bad filter is named.
        let bad = get_as(&app, &analyst, "/api/series?per_page=0").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad.json()["errors"][0]["field"], "per_page", "{}", String::from_utf8_lossy(&bad.body));
        let bad = get_as(&app, &analyst, "/api/series?hub=perhaps").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    });
}
