//! A chief's receptions of citizens through the API, on both backends: a
//! schedule of sessions recorded as one batch, places booked and given up,
//! the unit's schedule with its free places, a visitor found by a name
//! written in another script, the record of a session and a session called
//! off; a full session refused at its field in the user's language; a role
//! that may not keep receptions refused, writing nothing, and one that may
//! not read names refused the session.

use crate::support::*;
use axum::http::StatusCode;
use crimeboard_domain::access::Role;
use serde_json::{Value, json};

fn act(command: Value) -> Value {
    json!({"actor": "chief", "legal_ground": "Vətəndaşların qəbulu qaydaları", "command": command})
}

async fn recorded(app: &App, command: Value) -> Value {
    let reply = app.post("/api/acts", &act(command)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()
}

fn session(day: &str, from: &str, to: &str, capacity: u32) -> Value {
    json!({"act": "schedule_reception", "unit": "BAK-NSM", "day": day, "from": from, "to": to,
        "place": "Şöbənin qəbul otağı", "capacity": capacity,
        "chief": {"full_name": "Əliyev Rauf", "position": "Polis şöbəsinin rəisi"}})
}

fn booking(id: &str, name: &str) -> Value {
    json!({"act": "book_reception", "reception_id": id, "subject": "Torpaq mübahisəsi", "booked_via": "online",
        "visitor": {"full_name": name, "email": "vetendas@example.az"}})
}

async fn as_role(app: &App, role: Role, req: axum::http::request::Builder, body: Option<Value>) -> Reply {
    let req = req.header("authorization", format!("Bearer {}", app.tokens[&role]));
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(axum::body::Body::from(serde_json::to_vec(&b).unwrap()))
            .unwrap(),
        None => req.body(axum::body::Body::empty()).unwrap(),
    };
    app.send_as_is(req).await
}

#[test]
fn a_schedule_is_booked_read_held_and_called_off_through_the_api() {
    each_backend(|app| async move {
        // Today from 16:00 (now is 14:00 in Baku) and next week: a schedule, one batch.
        let batch = json!({"submissions": [act(session("2024-04-19", "16:00", "18:00", 2)),
            act(session("2024-04-24", "10:00", "12:00", 5))]});
        let reply = app.post("/api/acts/batch", &batch).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
        let receipts = reply.json()["receipts"].as_array().unwrap().clone();
        let today = receipts[0]["entity_id"].as_str().unwrap().to_string();
        let later = receipts[1]["entity_id"].as_str().unwrap().to_string();
        assert!(receipts[0]["number"].as_str().unwrap().starts_with("RC-BAK-NSM-2024-"), "{receipts:?}");

        recorded(&app, booking(&today, "Məmmədov Elçin")).await;
        recorded(&app, booking(&today, "Quliyeva Sevinc")).await;
        let full = app.post("/api/acts?lang=ru", &act(booking(&today, "Rzayev Anar"))).await;
        assert_error(&full.errors(422), "command.reception_id", "reception.full");
        let message = full.json()["errors"][0]["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains("места"), "{message}");
        recorded(&app, json!({"act": "cancel_booking", "reception_id": today, "place": 2, "reason": "İmtina"})).await;

        let schedule = app.get("/api/units/BAK-NSM/receptions?from=2024-04-19&to=2024-04-30").await;
        assert_eq!(schedule.status, StatusCode::OK, "{}", String::from_utf8_lossy(&schedule.body));
        let sessions = schedule.json()["sessions"].clone();
        let places: Vec<(Value, Value, Value)> = sessions
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["id"].clone(), s["booked"].clone(), s["free"].clone()))
            .collect();
        assert_eq!(places, [(json!(today), json!(1), json!(1)), (json!(later), json!(0), json!(5))]);
        let reversed = app.get("/api/units/BAK-NSM/receptions?from=2024-04-30&to=2024-04-19").await;
        assert_error(&reversed.errors(400), "from", "date.range_reversed");

        let found = app.get("/api/receptions?q=Мамедов").await.json();
        let ids: Vec<&Value> = found["items"].as_array().unwrap().iter().map(|i| &i["id"]).collect();
        assert_eq!(ids, [&json!(today)], "{found}");

        let visitors = json!([
            {"place": 1, "full_name": "Məmmədov Elçin", "subject": "Torpaq mübahisəsi",
                "outcome": {"kind": "appeal_to_register"}},
            {"full_name": "Hüseynova Aynur", "subject": "Oğlunun işi",
                "outcome": {"kind": "referred_elsewhere", "body": "Prokurorluq"}}]);
        let record = json!({"act": "record_reception", "reception_id": today, "visitors": visitors, "absent": [],
            "held_by": {"full_name": "Həsənov Tural", "position": "Rəis müavini"}});
        recorded(&app, record.clone()).await;
        let held = app.get(&format!("/api/receptions/{today}")).await;
        assert_eq!(held.status, StatusCode::OK, "{}", String::from_utf8_lossy(&held.body));
        let held = held.json();
        assert_eq!((&held["status"], &held["appeals_to_register"]), (&json!("held"), &json!(1)), "{held}");
        assert_eq!(held["record"]["held_by"]["full_name"], "Həsənov Tural");
        assert_eq!(held["bookings"][1]["cancelled"], "İmtina");
        assert_eq!(held["produced"], json!([]));
        let twice = app.post("/api/acts", &act(record)).await;
        assert_error(&twice.errors(422), "command.reception_id", "reception.already_held");

        recorded(
            &app,
            json!({"act": "cancel_reception", "reception_id": later, "reason": "Ezamiyyət",
            "visitors_told": true}),
        )
        .await;
        let listed = app.get("/api/receptions?status=cancelled").await.json();
        assert_eq!(listed["items"][0]["id"], json!(later), "{listed}");
    });
}

#[test]
fn only_those_who_keep_receptions_record_them_and_only_those_who_read_names_read_them() {
    each_backend(|app| async move {
        let before = app.position().await;
        let post = || axum::http::Request::post("/api/acts");
        let refused = as_role(&app, Role::Investigator, post(), Some(act(session("2024-04-22", "10:00", "12:00", 5))));
        assert_eq!(refused.await.status, StatusCode::FORBIDDEN);
        let refused = as_role(&app, Role::Administrator, post(), Some(act(session("2024-04-22", "10:00", "12:00", 5))));
        assert_eq!(refused.await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.position().await, before, "nothing written");

        let id =
            recorded(&app, session("2024-04-22", "10:00", "12:00", 5)).await["entity_id"].as_str().unwrap().to_string();
        let get = || axum::http::Request::get(format!("/api/receptions/{id}"));
        assert_eq!(as_role(&app, Role::PressOfficer, get(), None).await.status, StatusCode::FORBIDDEN);
        assert_eq!(as_role(&app, Role::Investigator, get(), None).await.status, StatusCode::OK);
        let schedule = || axum::http::Request::get("/api/units/BAK-NSM/receptions");
        assert_eq!(as_role(&app, Role::Investigator, schedule(), None).await.status, StatusCode::FORBIDDEN);
        assert_eq!(as_role(&app, Role::UnitChief, schedule(), None).await.status, StatusCode::OK);
        let unknown = app.get("/api/units/NOWHERE/receptions").await;
        assert_error(&unknown.errors(400), "unit", "unit.unknown");
    });
}
