//! Digital identifiers through the API: attached as typed, found by another
//! common form, only counted outside the caller's units with an access
//! request in the audit trail, removed, and a card's clear number nowhere:
//! not in the database file, the journal, the audit trail, an error answer,
//! a record's view or an export.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use crimeboard_domain::access::Role;
use serde_json::{Value, json};

/// A Luhn-valid test card, typed with spaces.
const CARD: &str = "4916 3389 0115 2263";

fn clear_forms() -> [String; 3] {
    [CARD.to_string(), CARD.replace(' ', ""), CARD.replace(' ', "-")]
}

/// A case of BAK-NSM with a suspect; its id and the suspect's.
async fn case(app: &App) -> (String, String) {
    let r = report(app, "2024-04-02T08:00:00Z").await;
    let mut data = new_case(&[r["entity_id"].as_str().unwrap()], &["177.2"]);
    data["persons"] = json!([{"role": "suspect", "full_name": "Orxan Quliyev", "birth_date": "1990-05-01"}]);
    let reply = app.post("/api/cases", &filing(data)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    let c = reply.json();
    (c["entity_id"].as_str().unwrap().to_string(), c["person_ids"][0].as_str().unwrap().to_string())
}

fn attach_body(kind: &str, id: &str, identifier_kind: &str, input: &str) -> Value {
    json!({"subject": {"kind": kind, "id": id}, "identifier": {"kind": identifier_kind, "input": input},
        "legal_ground": "CPC art. 207"})
}

async fn post_as(app: &App, token: &str, uri: &str, body: &Value) -> Reply {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(serde_json::to_vec(body).unwrap()))
        .unwrap();
    app.send_as_is(req).await
}

#[test]
fn an_identifier_round_trips_through_the_api() {
    each_backend(|app| async move {
        let (case_id, suspect) = case(&app).await;
        let reply =
            app.post("/api/identifiers/attachments", &attach_body("person", &suspect, "phone", "050 123 45 67")).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
        assert_eq!(
            (reply.json()["act"].as_str(), reply.json()["entity_id"].as_str()),
            (Some("attach_identifier"), Some(case_id.as_str()))
        );
        // Found by another form, with a link to the person.
        let found = app.post("/api/identifiers/lookup", &json!({"kind": "phone", "value": "+994501234567"})).await;
        assert_eq!(found.status, StatusCode::OK, "{}", String::from_utf8_lossy(&found.body));
        let found = found.json();
        assert_eq!(found["key"], "+994501234567");
        assert_eq!(found["found"][0]["subject_kind"], "person");
        assert_eq!(found["found"][0]["link"], format!("/api/persons/{suspect}"));
        assert_eq!(found["found"][0]["display"], "+994 50 123 45 67");
        // The case's view holds it in its person's state.
        let view = app.get(&format!("/api/cases/{case_id}")).await.json();
        assert_eq!(view["state"]["persons"][0]["identifiers"][0]["identifier"]["value"], "+994501234567", "{view}");
        // A malformed one names the field and the rule.
        let bad =
            app.post("/api/identifiers/attachments", &attach_body("case", &case_id, "imei", "490154203237519")).await;
        assert_eq!(bad.errors(422), vec![("identifier.input".to_string(), "identifier.imei.luhn".to_string())]);
        // Removed, it is found no more.
        let removal = json!({"subject": {"kind": "person", "id": suspect}, "key": {"kind": "phone", "value": "+994501234567"},
            "reason": "Typed on the wrong person", "legal_ground": "CPC art. 207"});
        assert_eq!(app.post("/api/identifiers/removals", &removal).await.status, StatusCode::CREATED);
        let again = app.post("/api/identifiers/lookup", &json!({"kind": "phone", "value": "0501234567"})).await.json();
        assert_eq!(again["found"], json!([]));
        // The lookup takes no query: a typed value never travels in an address.
        let in_address = app.get("/api/identifiers/lookup?kind=phone&value=0501234567").await;
        assert_eq!(in_address.status, StatusCode::METHOD_NOT_ALLOWED);
    });
}

#[test]
fn outside_the_unit_the_lookup_counts_and_the_access_request_is_audited() {
    each_backend(|app| async move {
        let (case_id, _) = case(&app).await;
        let attached =
            app.post("/api/identifiers/attachments", &attach_body("case", &case_id, "domain", "fraud-shop.az")).await;
        assert_eq!(attached.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&attached.body));
        let registry = app.registry.clone();
        let token = tokio::task::spawn_blocking(move || {
            user_with_token(&registry, "yasamal", Role::Investigator, "BAK-YAS", &[])
        })
        .await
        .unwrap();
        let found =
            post_as(&app, &token, "/api/identifiers/lookup", &json!({"kind": "domain", "value": "FRAUD-SHOP.AZ."}))
                .await;
        assert_eq!(found.status, StatusCode::OK, "{}", String::from_utf8_lossy(&found.body));
        let found = found.json();
        assert_eq!(found["found"], json!([]), "no record of another unit");
        assert_eq!(found["elsewhere"], json!([{"unit": "BAK-NSM", "count": 1}]));
        let ask = json!({"key": {"kind": "domain", "value": found["key"]}, "unit": "BAK-NSM", "reason": "A series of frauds"});
        let asked = post_as(&app, &token, "/api/identifiers/access-requests", &ask).await;
        assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", String::from_utf8_lossy(&asked.body));
        let trail = app.get("/api/audit?action=request_identifier_access").await;
        assert_eq!(trail.status, StatusCode::OK, "{}", String::from_utf8_lossy(&trail.body));
        let text = String::from_utf8_lossy(&trail.body).into_owned();
        assert!(text.contains("yasamal") && text.contains("BAK-NSM") && text.contains("fraud-shop.az"), "{text}");
    });
}

#[test]
fn a_cards_clear_number_reaches_no_file_journal_trail_answer_or_export() {
    each_backend(|app| async move {
        let (case_id, suspect) = case(&app).await;
        let reply = app.post("/api/identifiers/attachments", &attach_body("person", &suspect, "card", CARD)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
        let found = app.post("/api/identifiers/lookup", &json!({"kind": "card", "value": CARD.replace(' ', "")})).await;
        assert_eq!(found.json()["found"][0]["display"], "491633******2263");
        // A malformed card's answer names the rule, not the number.
        let bad_card = CARD.replace("2263", "2264");
        let bad = app.post("/api/identifiers/attachments", &attach_body("case", &case_id, "card", &bad_card)).await;
        assert_eq!(bad.errors(422), vec![("identifier.input".to_string(), "identifier.card.luhn".to_string())]);
        let bad_lookup = app.post("/api/identifiers/lookup", &json!({"kind": "card", "value": bad_card})).await;
        let answers = [
            String::from_utf8_lossy(&bad.body).into_owned(),
            String::from_utf8_lossy(&bad_lookup.body).into_owned(),
            String::from_utf8_lossy(&found.body).into_owned(),
        ];
        for answer in &answers {
            assert!(!answer.contains(&bad_card.replace(' ', "")) && !answer.contains(&bad_card), "{answer}");
        }
        // Everything the system keeps or gives out about the record.
        let mut kept = answers.join("\n");
        for uri in [
            "/api/journal?unit=BAK-NSM".to_string(),
            "/api/audit?per_page=500".to_string(),
            format!("/api/cases/{case_id}"),
            format!("/api/persons/{suspect}"),
            "/cases?format=csv&lang=en".to_string(),
            "/persons?format=csv&lang=en".to_string(),
            "/api/open-data?period=2024Q2&format=csv".to_string(),
        ] {
            let reply = app.get(&uri).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&reply.body));
            kept.push_str(&String::from_utf8_lossy(&reply.body));
        }
        assert!(kept.contains("491633******2263"), "the journal and the views hold the masked card");
        let db = app.db.clone();
        let file = tokio::task::spawn_blocking(move || db.file_bytes()).await.unwrap();
        let file = String::from_utf8_lossy(&file).into_owned();
        for clear in clear_forms() {
            assert!(
                !kept.contains(&clear),
                "{clear} reached an answer, the journal, the trail or an export on {}",
                app.backend
            );
            assert!(!file.contains(&clear), "{clear} reached the database file");
        }
        if app.backend == "sqlite" {
            assert!(file.contains("491633******2263"), "the file read is the one the card went into");
        }
    });
}
