//! The Board's acts through `POST /api/acts` and its follow-up routes, on
//! both backends: a meeting scheduled and held, a task issued, reported on
//! and closed by its controller alone, read back as the sheet, the task with
//! its progress, the unit's queue and the meeting's commitments memo.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn act(command: Value) -> Value {
    json!({"actor": "secretary", "legal_ground": "Kollegiyanın əsasnaməsi", "command": command})
}

async fn recorded(app: &App, command: Value) -> Value {
    let reply = app.post("/api/acts", &act(command)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()
}

fn meeting() -> Value {
    json!({"act": "schedule_meeting", "unit": "AZ", "held_on": "2024-04-18", "kind": "quarterly",
        "period_from": "2024-01-01", "period_to": "2024-03-31", "title": "Birinci rübün yekunları",
        "agenda": [{"topic": "Mənzil oğurluqları", "indicators": ["crimes_recorded"], "units": ["BAK"]}],
        "rapporteurs": [{"full_name": "Polkovnik Əliyev", "position": "Rəis", "unit": "BAK", "item": 0}]})
}

#[test]
fn a_meeting_and_its_task_go_round_the_api() {
    each_backend(|app| async move {
        let m = recorded(&app, meeting()).await;
        let meeting_id = m["entity_id"].as_str().unwrap().to_string();
        assert!(m["number"].as_str().unwrap().starts_with("BM-AZ-2024-"));
        recorded(&app, json!({"act": "record_minutes", "meeting_id": meeting_id, "minutes": "Protokol",
            "attendance": [{"full_name": "General Məmmədov", "position": "Nazir müavini", "unit": "MIA", "present": true}]}))
        .await;
        let t = recorded(
            &app,
            json!({"act": "issue_task", "meeting_id": meeting_id, "text": "Oğurluqları azaltmaq",
            "authority": "Nazir", "owner": "BAK-NSM", "co_executors": ["BAK-YAS"], "controller": "controller",
            "due_on": "2024-06-30", "control_level": "deputy_minister",
            "targets": [{"indicator": "crimes_recorded", "expected": {"kind": "at_most", "value": 10}}]}),
        )
        .await;
        let task_id = t["entity_id"].as_str().unwrap().to_string();
        recorded(
            &app,
            json!({"act": "report_on_task", "task_id": task_id, "kind": {"kind": "ask_closure"},
            "text": "İcra olunub", "confidence": "on_track"}),
        )
        .await;

        let read = app.get(&format!("/api/meetings/{meeting_id}")).await;
        assert_eq!(read.status, StatusCode::OK, "{}", String::from_utf8_lossy(&read.body));
        assert_eq!(read.json()["status"], "held");
        let listed = app.get("/api/meetings").await.json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);

        let progress = app.get(&format!("/api/tasks/{task_id}")).await;
        assert_eq!(progress.status, StatusCode::OK, "{}", String::from_utf8_lossy(&progress.body));
        let progress = progress.json();
        assert_eq!(progress["status"], "closure_asked");
        assert_eq!(progress["targets"][0]["baseline"]["value"], 0);
        assert_eq!(progress["targets"][0]["met"], true);
        assert_eq!(progress["subtasks"]["open"], 0);

        // A co-executor's chief reads the task; a chief of another unit does not.
        let r = app.registry.clone();
        let (yas, gnc) = tokio::task::spawn_blocking(move || {
            let chief = crimeboard_domain::access::Role::UnitChief;
            (
                user_with_token(&r, "yas-chief", chief, "BAK-YAS", &[]),
                user_with_token(&r, "gnc-chief", chief, "GNC", &[]),
            )
        })
        .await
        .unwrap();
        for (token, status) in [(yas, StatusCode::OK), (gnc, StatusCode::FORBIDDEN)] {
            let req = axum::http::Request::get(format!("/api/tasks/{task_id}"))
                .header("authorization", format!("Bearer {token}"))
                .body(axum::body::Body::empty())
                .unwrap();
            assert_eq!(app.send_as_is(req).await.status, status);
        }
        let queue = app.get("/api/units/BAK-YAS/tasks").await.json();
        assert_eq!(queue["items"][0]["id"], task_id.as_str(), "a co-executor's queue holds it");
        let sheet = app.get("/api/tasks?status=closure_asked&unit=BAK").await.json();
        assert_eq!(
            (sheet["total"].as_u64(), sheet["items"][0]["owner_confidence"].as_str()),
            (Some(1), Some("on_track"))
        );
        assert_eq!(app.get("/api/tasks?status=nonsense").await.status, StatusCode::BAD_REQUEST);

        // Only the controller it names decides: another controller is refused, saying why.
        let close = json!({"act": "control_task", "task_id": task_id, "confidence": "on_track",
            "decision": {"kind": "close"}});
        let r = app.registry.clone();
        let other = tokio::task::spawn_blocking(move || {
            user_with_token(&r, "other-controller", crimeboard_domain::access::Role::Controller, "AZ", &[])
        })
        .await
        .unwrap();
        let refused = app
            .send_as_is(
                axum::http::Request::post("/api/acts?lang=en")
                    .header("content-type", "application/json")
                    .header("authorization", format!("Bearer {other}"))
                    .body(axum::body::Body::from(serde_json::to_vec(&act(close.clone())).unwrap()))
                    .unwrap(),
            )
            .await;
        let problem = refused.problem(403);
        assert_eq!(problem["errors"][0]["rule"], "access.not_controller", "{problem}");
        recorded(&app, close).await;
        assert_eq!(app.get(&format!("/api/tasks/{task_id}")).await.json()["status"], "closed");

        let memo = app.get(&format!("/api/meetings/{meeting_id}/commitments")).await;
        assert_eq!(memo.status, StatusCode::OK, "{}", String::from_utf8_lossy(&memo.body));
        let memo = memo.json();
        assert_eq!(memo["dated"], "2024-04-18");
        assert_eq!(memo["tasks"].as_array().unwrap().len(), 1);
        assert_eq!(memo["tasks"][0]["controller"], "controller");
    });
}

#[test]
fn a_meeting_without_an_agenda_is_refused_in_the_users_language() {
    each_backend(|app| async move {
        let mut m = meeting();
        m["agenda"] = json!([]);
        m["rapporteurs"] = json!([]);
        let reply = app.post("/api/acts?lang=ru", &act(m)).await;
        let errors = reply.errors(422);
        assert_error(&errors, "command.agenda", "meeting.agenda_required");
        let problem = reply.json();
        let detail = problem["errors"][0]["message"].as_str().unwrap_or_default().to_string();
        assert!(detail.contains("повестке"), "{problem}");
    });
}
