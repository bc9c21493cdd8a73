//! Citizens' appeals through `POST /api/acts` and their routes, on both
//! backends: each act round the API, the register's list with its filters
//! and search, an appeal with its timeline, a unit's queue by deadline, and
//! a rule broken named in the caller's language.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn act(command: Value) -> Value {
    json!({"actor": "appeals", "legal_ground": "Vətəndaşların müraciətləri haqqında Qanun", "command": command})
}

async fn recorded(app: &App, command: Value) -> Value {
    let reply = app.post("/api/acts", &act(command)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()
}

fn appeal(received_at: &str, mentions_offence: bool) -> Value {
    json!({"act": "register_appeal", "unit": "BAK-NSM", "addressed_to": "BAK", "channel": "online",
        "kind": "complaint", "received_at": received_at,
        "applicants": {"kind": "collective", "people": [
            {"full_name": "Məmmədov Rauf", "address": "Bakı, Nəsimi r."}, {"full_name": "Həsənova Aygün"}]},
        "subject": "Həyətdə səs-küy", "text": "Gecələr səs-küy salınır", "attachments": ["Foto, 2 ədəd"],
        "mentions_offence": mentions_offence})
}

#[test]
fn every_act_of_an_appeal_goes_round_the_api_and_its_timeline_shows_them() {
    each_backend(|app| async move {
        let r = recorded(&app, appeal("2024-04-01T08:00:00Z", true)).await;
        let id = r["entity_id"].as_str().unwrap().to_string();
        assert!(r["number"].as_str().unwrap().starts_with("AP-"), "{r}");
        recorded(
            &app,
            json!({"act": "extend_appeal", "appeal_id": id, "granted_at": "2024-04-02T08:00:00Z",
            "extension": {"kind": "more_checking"}, "granted_by": "Rəis", "applicant_told": "e_mail"}),
        )
        .await;
        let report = recorded(
            &app,
            json!({"act": "report_from_appeal", "appeal_id": id, "report": new_report("2024-04-03T08:00:00Z")}),
        )
        .await;
        assert!(report["number"].as_str().unwrap().starts_with("M-"), "{report}");
        recorded(
            &app,
            json!({"act": "answer_appeal", "appeal_id": id, "answered_at": "2024-04-04T08:00:00Z",
            "decision": "partly", "text": "Tədbir görülüb", "signed_by": "Rəis", "delivered_by": "online"}),
        )
        .await;
        recorded(&app, json!({"act": "rate_appeal", "appeal_id": id, "rated_at": "2024-04-05T08:00:00Z", "score": 4}))
            .await;
        let other = recorded(&app, appeal("2024-04-08T08:00:00Z", false)).await;
        let other_id = other["entity_id"].as_str().unwrap().to_string();
        recorded(
            &app,
            json!({"act": "refer_appeal", "appeal_id": other_id, "referred_at": "2024-04-09T08:00:00Z",
            "to": {"kind": "body", "name": "Bakı Şəhər İcra Hakimiyyəti"}, "applicant_told": "post"}),
        )
        .await;

        let read = app.get(&format!("/api/appeals/{id}")).await;
        assert_eq!(read.status, StatusCode::OK, "{}", String::from_utf8_lossy(&read.body));
        let read = read.json();
        assert_eq!(read["status"], "answered");
        assert_eq!(read["state"]["satisfaction"], 4);
        assert_eq!(read["state"]["report"]["report_id"], report["entity_id"]);
        let timeline: Vec<&str> =
            read["history"].as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap()).collect();
        assert_eq!(
            timeline,
            ["register_appeal", "extend_appeal", "report_from_appeal", "answer_appeal", "rate_appeal"]
        );
        // The register's list, filtered by status and found by a name in Cyrillic.
        let referred = app.get("/api/appeals?status=referred").await.json();
        let ids: Vec<&str> = referred["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [other_id.as_str()]);
        let found = app.get("/api/appeals?q=%D0%93%D0%B0%D1%81%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0").await.json();
        assert_eq!(found["items"].as_array().unwrap().len(), 2, "Гасанова finds Həsənova: {found}");
        let online = app.get("/api/appeals?appeal_kind=complaint&appeal_channel=online").await.json();
        assert_eq!(online["items"].as_array().unwrap().len(), 2);
        let by_phone = app.get("/api/appeals?appeal_channel=telephone").await.json();
        assert!(by_phone["items"].as_array().unwrap().is_empty());
        assert_error(&app.get("/api/appeals?appeal_kind=petition").await.errors(400), "appeal_kind", "form.choice");
        let april = app.get("/api/appeals?from=2024-04-02&to=2024-04-30").await.json();
        assert_eq!(april["items"].as_array().unwrap().len(), 1);
        // A report's id is not an appeal.
        assert_eq!(
            app.get(&format!("/api/appeals/{}", report["entity_id"].as_str().unwrap())).await.status,
            StatusCode::NOT_FOUND
        );
    });
}

#[test]
fn a_units_queue_lists_open_appeals_nearest_deadline_first_overdue_marked() {
    each_backend(|app| async move {
        // 15 March: due 17 April, overdue on 19 April; 10 April: due 2 May.
        let late = recorded(&app, appeal("2024-03-15T08:00:00Z", false)).await;
        let fresh = recorded(&app, appeal("2024-04-10T08:00:00Z", false)).await;
        let queue = app.get("/api/units/BAK/appeals").await;
        assert_eq!(queue.status, StatusCode::OK, "{}", String::from_utf8_lossy(&queue.body));
        let queue = queue.json();
        let items = queue["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["appeal"]["id"], late["entity_id"]);
        assert_eq!((items[0]["overdue"].as_bool(), items[1]["overdue"].as_bool()), (Some(true), Some(false)));
        assert_eq!(items[1]["appeal"]["id"], fresh["entity_id"]);
        assert_eq!((queue["waiting"].as_i64(), queue["overdue"].as_i64()), (Some(2), Some(1)));
        let elsewhere = app.get("/api/units/BAK-YAS/appeals").await.json();
        assert!(elsewhere["items"].as_array().unwrap().is_empty());
        let bad = app.get("/api/units/bak%20x/appeals").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    });
}

#[test]
fn a_late_answer_is_refused_naming_the_field_in_the_callers_language() {
    each_backend(|app| async move {
        let r = recorded(&app, appeal("2024-03-15T08:00:00Z", false)).await;
        let id = r["entity_id"].as_str().unwrap();
        let late = json!({"act": "answer_appeal", "appeal_id": id, "answered_at": "2024-04-18T08:00:00Z",
            "decision": "explained", "text": "İzah", "signed_by": "Rəis", "delivered_by": "post"});
        let before = app.position().await;
        let reply = app.post("/api/acts?lang=en", &act(late)).await;
        let errors = reply.errors(422);
        assert_error(&errors, "command.answered_at", "appeal.deadline_passed");
        assert!(reply.json()["errors"][0]["message"].as_str().unwrap().contains("deadline"), "{}", reply.json());
        assert_eq!(app.position().await, before, "nothing written");
        let unknown = json!({"act": "answer_appeal", "appeal_id": id, "answered_at": "2024-04-10T08:00:00Z",
            "decision": "explained", "text": "İzah", "signed_by": "Rəis", "delivered_by": "post", "mood": "calm"});
        let errors = app.post("/api/acts", &act(unknown)).await.errors(422);
        assert!(errors.iter().any(|(field, _)| field == "command.mood"), "the schema is closed: {errors:?}");
    });
}

#[test]
fn an_appeal_referred_to_another_unit_goes_to_its_queue_round_the_api() {
    each_backend(|app| async move {
        let r = recorded(&app, appeal("2024-04-01T08:00:00Z", false)).await;
        let id = r["entity_id"].as_str().unwrap().to_string();
        let to_unit = |unit: &str, extra: Value| {
            let mut to = json!({"kind": "unit", "unit": unit});
            if let (Some(to), Some(extra)) = (to.as_object_mut(), extra.as_object()) {
                to.extend(extra.clone());
            }
            json!({"act": "refer_appeal", "appeal_id": id, "referred_at": "2024-04-03T08:00:00Z",
                "to": to, "applicant_told": "post"})
        };
        // The referral's schema is closed, and the handling unit is refused in the caller's language.
        let errors = app.post("/api/acts", &act(to_unit("BAK-YAS", json!({"note": "x"})))).await.errors(422);
        assert_error(&errors, "command.to", "json.unknown_field");
        let same = app.post("/api/acts?lang=en", &act(to_unit("BAK-NSM", json!({})))).await;
        assert_error(&same.errors(422), "command.to.unit", "appeal.referral_same_unit");
        assert!(same.json()["errors"][0]["message"].as_str().unwrap().contains("BAK-NSM"), "{}", same.json());
        recorded(&app, to_unit("BAK-YAS", json!({}))).await;

        let queued = |code: &'static str| {
            let app = &app;
            async move {
                let q = app.get(&format!("/api/units/{code}/appeals")).await.json();
                q["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["appeal"]["id"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(queued("BAK-YAS").await, [id.as_str()]);
        assert!(queued("BAK-NSM").await.is_empty(), "it left Nasimi's queue");
        let read = app.get(&format!("/api/appeals/{id}")).await.json();
        assert_eq!(read["status"], "open");
        assert_eq!(read["unit"], "BAK-YAS", "{read}");
        assert_eq!(read["state"]["referrals"][0]["to"], json!({"kind": "unit", "unit": "BAK-YAS"}));
        assert_eq!(read["state"]["referrals"][0]["from"], "BAK-NSM");
        // The OpenAPI document describes both referrals.
        let doc = app.get("/api/openapi.json").await.json();
        let referral = doc["components"]["schemas"]["Referral"].to_string();
        assert!(referral.contains("\"body\"") && referral.contains("\"unit\""), "{referral}");
    });
}
