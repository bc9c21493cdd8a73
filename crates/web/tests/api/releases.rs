//! A Board meeting's press release through the API, on both backends: the
//! press officer has the system draft it (`draft_release`), edits a language
//! with its tokens kept, approves and publishes it; `GET /api/releases/{id}`
//! shows the texts written out and as kept and each figure's provenance; a
//! token naming no figure and an edit after approval are refused at their
//! field; an investigator is refused and writes nothing.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn act(command: Value) -> Value {
    json!({"actor": "press", "legal_ground": "Mətbuat xidmətinin əsasnaməsi", "command": command})
}

async fn recorded(app: &App, command: Value) -> Value {
    let reply = app.post("/api/acts", &act(command)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()
}

/// A case of the first quarter and a meeting of the Board reviewing it, held.
async fn held_meeting(app: &App) -> String {
    let r = report(app, "2024-02-01T08:00:00Z").await;
    let mut case = new_case(&[r["entity_id"].as_str().unwrap()], &["177.2"]);
    case["occurred_at"] = json!("2024-01-31T20:00:00Z");
    case["registered_at"] = json!("2024-02-02T09:00:00Z");
    let opened = app.post("/api/cases", &filing(case)).await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&opened.body));
    let m = recorded(
        app,
        json!({"act": "schedule_meeting", "unit": "AZ", "held_on": "2024-04-18", "kind": "quarterly",
        "period_from": "2024-01-01", "period_to": "2024-03-31", "title": "Birinci rübün yekunları",
        "agenda": [{"topic": "Mənzil oğurluqları", "indicators": ["crimes_recorded"], "units": ["BAK"]}]}),
    )
    .await;
    let id = m["entity_id"].as_str().unwrap().to_string();
    recorded(
        app,
        json!({"act": "record_minutes", "meeting_id": id, "minutes": "Protokol",
        "attendance": [{"full_name": "General Məmmədov", "position": "Nazir müavini", "present": true}]}),
    )
    .await;
    id
}

#[test]
fn a_release_goes_round_the_api_with_its_figures_provenance() {
    each_backend(|app| async move {
        let meeting = held_meeting(&app).await;
        let drafted = recorded(&app, json!({"act": "draft_release", "meeting_id": meeting, "unit": "AZ"})).await;
        let id = drafted["entity_id"].as_str().unwrap().to_string();
        assert!(drafted["number"].as_str().unwrap().starts_with("PR-AZ-2024-"), "{drafted}");

        let read = app.get(&format!("/api/releases/{id}")).await;
        assert_eq!(read.status, StatusCode::OK, "{}", String::from_utf8_lossy(&read.body));
        let release = read.json();
        assert_eq!(release["status"], "draft");
        let figures = release["figures"].as_array().unwrap().clone();
        let recorded_crimes = figures.iter().find(|f| f["indicator"] == "crimes_recorded").unwrap();
        assert_eq!(
            (&recorded_crimes["unit"], &recorded_crimes["value"], &recorded_crimes["period_from"]),
            (&json!("AZ"), &json!(1), &json!("2024-01-01"))
        );
        assert!(recorded_crimes["position"].as_i64().unwrap() > 0);
        let token = recorded_crimes["token"].as_str().unwrap();
        assert!(release["texts"]["en"].as_str().unwrap().contains(token), "{release}");
        let en = release["rendered"]["en"].as_str().unwrap();
        assert!(en.contains("1 crime") && !en.contains("{{"), "{en}");

        // An edit keeps the figures; a token naming none is refused at its field.
        let text = format!("One meeting, {token} crime recorded.");
        recorded(&app, json!({"act": "edit_release", "release_id": id, "lang": "en", "text": text})).await;
        let invented = json!({"act": "edit_release", "release_id": id, "lang": "en", "text": "{{fig:99}}"});
        let refused = app.post("/api/acts", &act(invented)).await;
        assert_error(&refused.errors(422), "command.text", "release.unknown_figure");
        let edited = app.get(&format!("/api/releases/{id}")).await.json();
        assert_eq!(edited["figures"], json!(figures), "the figures and their provenance stay");
        assert_eq!(edited["rendered"]["en"], "One meeting, 1 crime recorded.");

        // Published only once approved; approved, it is frozen.
        let publish = json!({"act": "publish_release", "release_id": id});
        assert_error(
            &app.post("/api/acts", &act(publish.clone())).await.errors(422),
            "command.release_id",
            "release.not_approved",
        );
        recorded(&app, json!({"act": "approve_release", "release_id": id})).await;
        let late = json!({"act": "edit_release", "release_id": id, "lang": "ru", "text": "Текст"});
        assert_error(&app.post("/api/acts", &act(late)).await.errors(422), "command.release_id", "release.frozen");
        recorded(&app, publish).await;
        let listed = app.get("/api/releases").await.json();
        assert_eq!(listed["items"][0]["status"], "published", "{listed}");

        // An investigator may not draft one: 403, nothing written.
        let before = app.position().await;
        let req = axum::http::Request::post("/api/acts")
            .header("authorization", format!("Bearer {}", app.tokens[&crimeboard_domain::access::Role::Investigator]))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                serde_json::to_vec(&act(json!({"act": "draft_release", "meeting_id": meeting, "unit": "AZ"}))).unwrap(),
            ))
            .unwrap();
        assert_eq!(app.send_as_is(req).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.position().await, before);
    });
}
