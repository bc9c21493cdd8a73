//! Published periods over the API: a report registered late needs its reason
//! in the envelope; a publication recorded through the acts, listed and read
//! back; a backdated report in its period refused without a reason and
//! accepted with one; the revisions as JSON and CSV, and the quarter's
//! report stating them.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn act(command: Value, late: Option<Value>) -> Value {
    let mut body = json!({"actor": "officer-1", "legal_ground": "CPC art. 207", "command": command});
    if let Some(late) = late {
        body["late"] = late;
    }
    body
}

fn register_report(received_at: &str) -> Value {
    let mut command = new_report(received_at);
    command["act"] = json!("register_report");
    command
}

fn reason() -> Value {
    json!({"reason": "found_in_inspection", "text": "Found unregistered in the April inspection"})
}

#[test]
fn a_late_report_needs_its_reason_in_the_envelope_said_in_the_language_asked() {
    each_backend(|app| async move {
        let before = app.position().await;
        let refused = app
            .post(
                "/api/reports?lang=en",
                &json!({"actor": "officer-1", "legal_ground": "CPC art. 207",
            "data": new_report("2024-04-02T08:00:00Z")}),
            )
            .await;
        let problem = refused.problem(422);
        assert_eq!(problem["errors"][0]["field"], "late.reason", "{problem}");
        assert_eq!(problem["errors"][0]["rule"], "registration.late");
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("72 hours"), "{problem}");
        let unknown = app
            .post(
                "/api/acts",
                &act(register_report("2024-04-02T08:00:00Z"), Some(json!({"reason": "forgot", "text": "x"}))),
            )
            .await;
        assert_error(&unknown.errors(422), "late.reason", "late.unknown_reason");
        let shape = app.post("/api/acts", &act(register_report("2024-04-02T08:00:00Z"), Some(json!({"why": 1})))).await;
        assert!(shape.errors(422).iter().any(|(f, _)| f.starts_with("late")), "{:?}", shape.errors(422));
        assert_eq!(app.position().await, before, "nothing refused was written");
        let filed = app.post("/api/acts", &act(register_report("2024-04-02T08:00:00Z"), Some(reason()))).await;
        assert_eq!(filed.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&filed.body));
        let id = filed.json()["entity_id"].as_str().unwrap().to_string();
        let state = app.get(&format!("/api/reports/{id}")).await.json();
        assert_eq!(state["state"]["late_registration"]["reason"], "found_in_inspection", "{state}");
    });
}

#[test]
fn a_publication_goes_round_the_api_and_its_revisions_name_the_late_act() {
    each_backend(|app| async move {
        report(&app, "2024-02-01T08:00:00Z").await;
        let publish = json!({"act": "publish_report", "scope": "BAK", "period_from": "2024-01-01",
            "period_to": "2024-03-31", "kind": "board_report", "note": "Q1"});
        let published = app.post("/api/acts", &act(publish, None)).await;
        assert_eq!(published.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&published.body));
        let id = published.json()["entity_id"].as_str().unwrap().to_string();
        let listed = app.get("/api/publications").await.json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
        let read = app.get(&format!("/api/publications/{id}")).await.json();
        assert_eq!(
            (read["state"]["revision"].as_i64(), read["state"]["kind"].as_str()),
            (Some(1), Some("board_report"))
        );

        let backdated = act(register_report("2024-01-15T09:00:00Z"), None);
        let refused = app.post("/api/acts", &backdated).await;
        assert_error(&refused.errors(422), "late.reason", "registration.late");
        let accepted = app.post("/api/acts", &act(register_report("2024-01-15T09:00:00Z"), Some(reason()))).await;
        assert_eq!(accepted.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&accepted.body));
        let position = accepted.json()["position"].as_i64().unwrap();

        let view = app.get(&format!("/api/publications/{id}/revisions")).await.json();
        let bak = view["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["unit"] == "BAK" && f["indicator"] == "reports_received")
            .cloned()
            .unwrap_or_else(|| panic!("no revised figure of BAK: {view}"));
        assert_eq!(
            (bak["published"].as_i64(), bak["current"].as_i64(), bak["difference"].as_i64()),
            (Some(1), Some(2), Some(1))
        );
        assert_eq!(bak["acts"], json!([position]));
        assert_eq!(view["acts"][0]["late"]["reason"], "found_in_inspection", "{view}");
        let csv = app.get(&format!("/api/publications/{id}/revisions?format=csv")).await;
        assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
        let text = String::from_utf8(csv.body.clone()).unwrap();
        assert!(
            text.lines().any(|l| l.starts_with("BAK,reports_received,1,2,1,") && l.contains("found_in_inspection")),
            "{text}"
        );
        // The quarter's report states the revision (the page and the PDF print the same narrative).
        let text = app.get("/api/report?period=2024Q1&unit=BAK&format=text&lang=en").await;
        let text = String::from_utf8(text.body).unwrap();
        assert!(
            text.contains("Revised since its publication on 19 April 2024") && text.contains("+1 in Baku"),
            "{text}"
        );
        let missing = app.get(&format!("/api/publications/{}/revisions", uuid::Uuid::nil())).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    });
}
