//! Inspection over the API: a sample drawn and reviewed through the acts,
//! refused with the field and the rule in the language asked, listed, read
//! back with its history, and its findings with the estimate as JSON and CSV.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn act(command: Value) -> Value {
    json!({"actor": "inspector", "legal_ground": "Inspection order 4/2024", "command": command})
}

fn draw(kind: &str, size: u32) -> Value {
    act(json!({"act": "draw_sample", "unit": "BAK-NSM", "kind": kind, "period_from": "2024-04-01",
        "period_to": "2024-04-19", "size": size, "seed": 5}))
}

/// Three reports of BAK-NSM refused in April.
async fn refusals(app: &App) {
    for day in ["16", "17", "18"] {
        let receipt = report(app, &format!("2024-04-{day}T08:00:00Z")).await;
        let decide = act(json!({"act": "decide_report", "report_id": receipt["entity_id"],
            "decided_at": format!("2024-04-{day}T12:00:00Z"), "outcome": {"kind": "refuse", "ground": "No crime"}}));
        let decided = app.post("/api/acts", &decide).await;
        assert_eq!(decided.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&decided.body));
    }
}

#[test]
fn a_draw_is_refused_naming_the_field_and_the_rule_in_the_language_asked() {
    each_backend(|app| async move {
        refusals(&app).await;
        let before = app.position().await;
        let unknown = app.post("/api/acts?lang=ru", &draw("arrests", 1)).await.problem(422);
        assert_eq!(unknown["errors"][0]["field"], "command.kind", "{unknown}");
        assert_eq!(unknown["errors"][0]["rule"], "json.unknown_variant", "{unknown}");
        let larger = app.post("/api/acts?lang=en", &draw("refusals", 4)).await.problem(422);
        assert_eq!(larger["errors"][0]["field"], "command.size", "{larger}");
        assert_eq!(larger["errors"][0]["rule"], "sample.larger_than_population");
        let message = larger["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("has 3 such decisions"), "{message}");
        let az = app.post("/api/acts?lang=az", &draw("refusals", 0)).await.problem(422);
        assert_eq!(
            (az["errors"][0]["field"].as_str(), az["errors"][0]["rule"].as_str()),
            (Some("command.size"), Some("number.range"))
        );
        assert_eq!(app.position().await, before, "nothing refused was written");
    });
}

#[test]
fn a_sample_goes_round_the_api_and_its_findings_carry_the_estimate() {
    each_backend(|app| async move {
        refusals(&app).await;
        let drawn = app.post("/api/acts", &draw("refusals", 2)).await;
        assert_eq!(drawn.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&drawn.body));
        let id = drawn.json()["entity_id"].as_str().unwrap().to_string();
        let listed = app.get("/api/samples?unit=BAK-NSM").await.json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
        let read = app.get(&format!("/api/samples/{id}")).await.json();
        assert_eq!(
            (read["state"]["population"].as_i64(), read["state"]["seed"].as_i64()),
            (Some(3), Some(5)),
            "{read}"
        );
        let seq = read["state"]["items"][0]["seq"].as_i64().unwrap();
        let outside = app
            .post(
                "/api/acts",
                &act(json!({"act": "review_sample", "sample_id": id, "seq": 1,
            "finding": "correct"})),
            )
            .await;
        assert_error(&outside.errors(422), "command.seq", "sample.not_in_sample");
        let reviewed = app
            .post(
                "/api/acts",
                &act(json!({"act": "review_sample", "sample_id": id, "seq": seq,
            "finding": "wrong", "note": "A theft refused as a civil dispute"})),
            )
            .await;
        assert_eq!(reviewed.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reviewed.body));
        let findings = app.get(&format!("/api/samples/{id}/findings")).await.json();
        let estimate = &findings["estimate"];
        assert_eq!((estimate["reviewed"].as_i64(), estimate["wrong"].as_i64()), (Some(1), Some(1)), "{findings}");
        assert_eq!(estimate["wrong_share"]["rate"].as_f64(), Some(1.0));
        assert_eq!(findings["sample"]["items"][0]["review"]["finding"], "wrong");
        let csv = app.get(&format!("/api/samples/{id}/findings?format=csv")).await;
        assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
        let text = String::from_utf8_lossy(&csv.body);
        assert!(text.contains("sample,unit,kind,seq,day,record,finding,note,reviewed_on"), "{text}");
        assert!(text.contains("A theft refused as a civil dispute"), "{text}");
        let history = app.get(&format!("/api/samples/{id}")).await.json();
        assert_eq!(history["history"].as_array().unwrap().len(), 2, "the draw and the review");
    });
}
