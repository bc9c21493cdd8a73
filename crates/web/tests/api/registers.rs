//! Entries registered, read back and listed through the API.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

#[test]
fn a_report_is_registered_read_back_and_listed_with_its_applicant() {
    each_backend(|app| async move {
        let receipt = report(&app, "2024-04-02T08:00:00Z").await;
        assert_eq!(receipt["act"], "register_report");
        assert_eq!(receipt["number"], "M-BAK-NSM-2024-000001");
        let id = receipt["entity_id"].as_str().unwrap();

        let read = app.get(&format!("/api/reports/{id}")).await;
        assert_eq!(read.status, StatusCode::OK);
        let record = read.json();
        assert_eq!(record["kind"], "report");
        assert_eq!(record["status"], "awaiting_decision");
        assert_eq!(record["state"]["summary"], "Mənzildən zinət əşyaları oğurlanıb");
        assert_eq!(record["state"]["applicant"]["input"]["fin"], "5ABC12D");
        let history = record["history"].as_array().unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0]["kind"], "register_report");
        assert_eq!(history[0]["actor"], "officer-1");
        assert_eq!(history[0]["annulled"], false);
        assert_eq!(history[0]["act"]["command"]["act"], "register_report");

        let persons = app.get(&format!("/api/persons?parent={id}")).await.json();
        assert_eq!(persons["items"].as_array().unwrap().len(), 1);
        assert_eq!(persons["items"][0]["status"], "applicant");
        let person_id = persons["items"][0]["id"].as_str().unwrap();
        assert_eq!(app.get(&format!("/api/persons/{person_id}")).await.status, StatusCode::OK);

        // The path names the register: a report is not found among cases.
        app.get(&format!("/api/cases/{id}")).await.problem(404);
    });
}

fn numbers(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap().to_string()).collect()
}

#[test]
fn lists_filter_by_unit_dates_status_and_text_and_page() {
    each_backend(|app| async move {
        for day in ["2024-04-02", "2024-04-05", "2024-04-08"] {
            report(&app, &format!("{day}T08:00:00Z")).await;
        }
        let all = app.get("/api/reports?unit=BAK").await.json();
        assert_eq!(numbers(&all).len(), 3, "a unit covers the units below it");
        assert!(numbers(&app.get("/api/reports?unit=GNC").await.json()).is_empty());

        let april_4_to_7 = app.get("/api/reports?from=2024-04-04&to=2024-04-07").await.json();
        assert_eq!(numbers(&april_4_to_7), ["M-BAK-NSM-2024-000002"]);
        assert_eq!(numbers(&app.get("/api/reports?status=awaiting_decision&q=ZINƏT").await.json()).len(), 3);
        assert!(numbers(&app.get("/api/reports?status=refused").await.json()).is_empty());
        let by_number = app.get("/api/reports?number=M-BAK-NSM-2024-000003").await.json();
        assert_eq!(numbers(&by_number), ["M-BAK-NSM-2024-000003"]);

        let first = app.get("/api/reports?per_page=2&page=1").await.json();
        assert_eq!(
            (first["page"].as_u64(), first["per_page"].as_u64(), first["has_more"].as_bool()),
            (Some(1), Some(2), Some(true))
        );
        let second = app.get("/api/reports?per_page=2&page=2").await.json();
        assert_eq!(second["has_more"], false);
        let mut seen = numbers(&first);
        seen.extend(numbers(&second));
        seen.sort();
        assert_eq!(seen, ["M-BAK-NSM-2024-000001", "M-BAK-NSM-2024-000002", "M-BAK-NSM-2024-000003"]);
        assert!(first["items"][0].get("history").is_none(), "lists carry no history");
    });
}

#[test]
fn a_case_opened_from_a_report_and_acts_recorded_through_the_acts_endpoint() {
    each_backend(|app| async move {
        let r = report(&app, "2024-04-02T08:00:00Z").await;
        let report_id = r["entity_id"].as_str().unwrap();
        let opened = app.post("/api/cases", &filing(new_case(&[report_id], &["177.2"]))).await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&opened.body));
        let case_id = opened.json()["entity_id"].as_str().unwrap().to_string();

        let add = json!({"actor": "investigator-7", "legal_ground": "CPC art. 222", "command": {
            "act": "add_person", "case_id": case_id,
            "person": {"role": "suspect", "full_name": "Orxan Quliyev", "birth_date": "1990-05-01"}}});
        let added = app.post("/api/acts", &add).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&added.body));
        assert_eq!(added.json()["person_ids"].as_array().unwrap().len(), 1);

        let case = app.get(&format!("/api/cases/{case_id}")).await.json();
        assert_eq!(case["state"]["persons"][0]["input"]["full_name"], "Orxan Quliyev");
        let kinds: Vec<&str> =
            case["history"].as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["open_case", "add_person"]);
        assert_eq!(app.get(&format!("/api/reports/{report_id}")).await.json()["status"], "case_opened");
    });
}

#[test]
fn a_batch_lands_whole_or_not_at_all() {
    each_backend(|app| async move {
        let submission = |unit: &str| {
            let mut data = new_report("2024-04-18T08:00:00Z");
            data["unit"] = json!(unit);
            data["act"] = json!("register_report");
            json!({"actor": "officer-1", "legal_ground": "CPC art. 207", "command": data})
        };
        let before = app.position().await;
        let refused =
            app.post("/api/acts/batch", &json!({"submissions": [submission("BAK-NSM"), submission("BAK-XXX")]})).await;
        assert_error(&refused.errors(422), "submissions[1].command.unit", "unit.unknown");
        assert_eq!(app.position().await, before, "a refused batch wrote to the journal");

        let landed =
            app.post("/api/acts/batch", &json!({"submissions": [submission("BAK-NSM"), submission("BAK-SAB")]})).await;
        assert_eq!(landed.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&landed.body));
        assert_eq!(landed.json()["receipts"].as_array().unwrap().len(), 2);
        // Positions may skip (PostgreSQL's sequence keeps what a rollback took): count entries.
        let journal = app.get(&format!("/api/journal?after={before}")).await.json();
        assert_eq!(journal["entries"].as_array().unwrap().len(), 2);

        let empty = app.post("/api/acts/batch", &json!({"submissions": []})).await;
        assert_error(&empty.errors(422), "submissions", "batch.size");
    });
}

#[test]
fn journal_units_verify_and_health() {
    each_backend(|app| async move {
        report(&app, "2024-04-02T08:00:00Z").await;
        report(&app, "2024-04-03T08:00:00Z").await;
        let journal = app.get("/api/journal?unit=BAK-NSM&after=0&limit=1").await.json();
        let entries = journal["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0]["seq"], 1);
        assert_eq!(entries[0]["act"]["command"]["act"], "register_report");
        let next = app.get(&format!("/api/journal?after={}", journal["next_after"])).await.json();
        assert_eq!(next["entries"][0]["seq"], 2);
        app.get("/api/journal?limit=0").await.errors(400);
        // An empty or malformed unit is a bad parameter, not "no unit's journal".
        for unit in ["", "bak-nsm"] {
            assert_error(&app.get(&format!("/api/journal?unit={unit}")).await.errors(400), "unit", "unit.code_format");
        }

        let units = app.get("/api/units").await.json();
        let codes: Vec<&str> = units.as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
        assert_eq!(codes[0], "AZ", "parents come first");
        assert!(codes.contains(&"BAK-NSM"));

        let verified = app.get("/api/verify").await.json();
        assert_eq!(verified["ok"], true);
        assert_eq!(verified["entries"], 2);

        let health = app.get("/api/health").await.json();
        assert_eq!(health["status"], "ok");
        assert_eq!(health["backend"], app.backend);
    });
}

#[test]
fn verify_names_where_a_tampered_chain_breaks() {
    each_backend(|app| async move {
        report(&app, "2024-04-02T08:00:00Z").await;
        app.tamper("UPDATE journal SET actor = 'someone else' WHERE seq = 1").await;
        let verified = app.get("/api/verify").await.json();
        assert_eq!(verified["ok"], false);
        let broken = verified["chains"].as_array().unwrap().iter().find(|c| c["ok"] == false).unwrap();
        assert_eq!((broken["unit"].as_str(), broken["broken"]["seq"].as_i64()), (Some("BAK-NSM"), Some(1)));
        assert_eq!(broken["broken"]["problem"], "altered");
    });
}
