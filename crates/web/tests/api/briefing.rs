//! The briefing pack through the API: its figures are the Board's report's,
//! at the current position and at a stated one, its JSON the document's
//! description, its files, and every bad parameter named.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

const PACK: &str = "/api/briefing?period=2024Q1&agenda=Reports%3A%20reports_received%2C%20reports_decided%3B%20Crimes%3A%20crimes_recorded&units=BAK-NSM,BAK-YAS";

/// The figure of `code` for `unit` under the pack's first item that has it: (current, previous, rank place).
fn figure(pack: &Value, unit: &str, code: &str) -> (i64, i64, i64) {
    for item in pack["items"].as_array().unwrap() {
        let Some(i) = item["indicators"].as_array().unwrap().iter().position(|x| x["code"] == code) else { continue };
        let row = item["rows"].as_array().unwrap().iter().find(|r| r["unit"] == unit).unwrap();
        let f = &row["figures"][i];
        assert_eq!(f["code"], code);
        return (
            f["change"]["current"].as_i64().unwrap(),
            f["change"]["previous"].as_i64().unwrap(),
            f["rank"]["place"].as_i64().unwrap(),
        );
    }
    panic!("no {code} in {pack}");
}

fn in_report(report: &Value, unit: &str, code: &str) -> (i64, i64) {
    let unit = report["units"].as_array().unwrap().iter().find(|u| u["unit"] == unit).unwrap();
    let f = unit["figures"].as_array().unwrap().iter().find(|f| f["code"] == code).unwrap();
    (f["change"]["current"].as_i64().unwrap(), f["change"]["previous"].as_i64().unwrap())
}

fn names(value: &Value) -> Vec<String> {
    let mut names: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    names.sort();
    names
}

fn described(doc: &Value, schema: &str) -> Vec<String> {
    let s = &doc["components"]["schemas"][schema];
    assert_eq!(s["additionalProperties"], false, "{schema} is closed");
    names(&s["properties"])
}

#[test]
fn the_briefing_has_the_reports_figures_now_and_at_a_stated_position() {
    each_backend(|app| async move {
        for day in ["2023-02-10", "2024-01-15", "2024-02-20"] {
            report(&app, &format!("{day}T09:00:00Z")).await;
        }
        let reply = app.get(PACK).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", String::from_utf8_lossy(&reply.body));
        assert_eq!(reply.header("content-type"), "application/json");
        let pack = reply.json();
        let board = app.get("/api/report?period=2024Q1").await.json();
        assert_eq!(pack["position"], board["position"]);
        for unit in ["BAK-NSM", "BAK-YAS"] {
            for code in ["reports_received", "reports_decided", "crimes_recorded"] {
                let (now, before, _) = figure(&pack, unit, code);
                assert_eq!((now, before), in_report(&board, unit, code), "{unit} {code}");
            }
        }
        assert_eq!(figure(&pack, "BAK-NSM", "reports_received"), (2, 1, 1));
        assert_eq!(figure(&pack, "BAK-YAS", "reports_received").0, 0);

        // More reports later: the pack at its position reads as it did.
        let position = pack["position"].as_i64().unwrap();
        report(&app, "2024-03-01T09:00:00Z").await;
        let again = app.get(&format!("{PACK}&at={position}")).await.json();
        assert_eq!(again, pack);
        assert_eq!(figure(&app.get(PACK).await.json(), "BAK-NSM", "reports_received").0, 3);

        // The JSON is what the document describes, schema by schema.
        let doc = app.get("/api/openapi.json").await.json();
        let content = &doc["paths"]["/api/briefing"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(content["schema"]["$ref"], "#/components/schemas/BriefingDocument");
        assert_eq!(names(&pack), described(&doc, "BriefingDocument"));
        assert_eq!(names(&pack["units"][0]), described(&doc, "BriefingUnit"));
        assert_eq!(names(&pack["units"][0]["deadlines_kept"]), described(&doc, "BriefingDeadlines"));
        assert_eq!(pack["units"][0]["tasks"], json!({"open": 0, "overdue": 0}), "from the register, which is empty");
        let item = &pack["items"][0];
        assert_eq!(names(item), described(&doc, "BriefingItem"));
        assert_eq!(names(&item["indicators"][0]), described(&doc, "BriefingIndicator"));
        assert_eq!(names(&item["rows"][0]), described(&doc, "BriefingRow"));
        assert_eq!(names(&item["rows"][0]["figures"][0]), described(&doc, "BriefingFigure"));
        assert_eq!(names(&item["rows"][0]["figures"][0]["rank"]), described(&doc, "BriefingRank"));
    });
}

#[test]
fn the_briefing_as_files() {
    each_backend(|app| async move {
        report(&app, "2024-01-15T09:00:00Z").await;
        let pdf = app.get(&format!("{PACK}&format=pdf&lang=ru")).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(pdf.header("content-type"), "application/pdf");
        assert_eq!(pdf.header("content-disposition"), "attachment; filename=\"crimeboard-briefing-2024Q1.pdf\"");
        assert!(pdf.body.starts_with(b"%PDF-"));
        let xlsx = app.get(&format!("{PACK}&format=xlsx")).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.body.starts_with(b"PK\x03\x04"));
    });
}

#[test]
fn every_bad_parameter_of_a_briefing_is_named() {
    each_backend(|app| async move {
        let base = "/api/briefing?period=2024Q1";
        for (query, field, rule) in [
            ("/api/briefing?agenda=A%3Acrimes_recorded&units=GNC", "period", "param.period"),
            ("&agenda=no%20colon&units=GNC", "agenda", "agenda.line"),
            ("&agenda=A%3Ano_such&units=GNC", "agenda", "indicator.unknown"),
            ("&units=GNC", "agenda", "text.required"),
            ("&agenda=A%3Acrimes_recorded&units=gnc", "units", "unit.code_format"),
            ("&agenda=A%3Acrimes_recorded&units=GNC,XX", "units", "unit.unknown"),
            ("&agenda=A%3Acrimes_recorded&units=GNC,GNC", "units", "list.duplicate"),
            ("&agenda=A%3Acrimes_recorded", "units", "text.required"),
            ("&agenda=A%3Acrimes_recorded&units=GNC&at=99999", "at", "number.range"),
            ("&agenda=A%3Acrimes_recorded&units=GNC&at=x", "at", "param.integer"),
            ("&agenda=A%3Acrimes_recorded&units=GNC&format=docx", "format", "param.variant"),
            ("&agenda=A%3Acrimes_recorded&units=GNC&topic=x", "topic", "param.unknown"),
            ("/api/briefing", "meeting", "param.meeting_or_agenda"),
            ("/api/briefing?meeting=x", "meeting", "param.uuid"),
            (
                "/api/briefing?meeting=5f0c6a52-8e1a-4f6e-9d3b-0a4f3c2b1e7d&agenda=A%3Acrimes_recorded&units=GNC",
                "meeting",
                "param.meeting_or_agenda",
            ),
            ("&meeting=5f0c6a52-8e1a-4f6e-9d3b-0a4f3c2b1e7d", "meeting", "param.meeting_or_agenda"),
            // A meeting the register does not hold is the parameter's fault, not an address's.
            ("/api/briefing?meeting=5f0c6a52-8e1a-4f6e-9d3b-0a4f3c2b1e7d", "meeting", "reference.not_found"),
        ] {
            let uri = if query.starts_with('/') { query.to_string() } else { format!("{base}{query}") };
            assert_error(&app.get(&uri).await.errors(400), field, rule);
        }
    });
}

async fn recorded(app: &App, command: Value) -> String {
    let act = json!({"actor": "secretary", "legal_ground": "Kollegiyanın əsasnaməsi", "command": command});
    let reply = app.post("/api/acts", &act).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()["entity_id"].as_str().unwrap().to_string()
}

fn meeting(held_on: &str, agenda: Value, rapporteurs: Value) -> Value {
    json!({"act": "schedule_meeting", "unit": "AZ", "held_on": held_on, "kind": "quarterly",
        "period_from": "2024-01-01", "period_to": "2024-03-31", "title": "Rüb", "agenda": agenda,
        "rapporteurs": rapporteurs})
}

#[test]
fn the_briefing_for_a_stored_meeting_counts_the_tasks_of_earlier_meetings() {
    each_backend(|app| async move {
        report(&app, "2024-01-15T09:00:00Z").await;
        let earlier = meeting(
            "2024-04-18",
            json!([{"topic": "Oğurluqlar", "indicators": ["crimes_recorded"], "units": ["BAK"]}]),
            json!([]),
        );
        let earlier = recorded(&app, earlier).await;
        recorded(
            &app,
            json!({"act": "issue_task", "meeting_id": earlier, "text": "Müraciətlərə həssas baxmaq",
                "authority": "Nazir", "owner": "BAK-NSM", "co_executors": ["GNC"], "controller": "controller",
                "due_on": "2024-04-20", "control_level": "minister"}),
        )
        .await;
        let next = meeting(
            "2024-04-25",
            json!([{"topic": "Reports", "indicators": ["reports_received"], "units": ["GNC"]}]),
            json!([{"full_name": "Polkovnik Əliyev", "position": "Rəis", "unit": "BAK-NSM", "item": 0}]),
        );
        let next = recorded(&app, next).await;

        let reply = app.get(&format!("/api/briefing?meeting={next}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", String::from_utf8_lossy(&reply.body));
        let pack = reply.json();
        let units: Vec<&str> = pack["units"].as_array().unwrap().iter().map(|u| u["unit"].as_str().unwrap()).collect();
        assert_eq!(units, ["BAK-NSM", "GNC"], "the rapporteur's unit, then the item's");
        // Issued on 19 April, due on the 20th: open and overdue when the 25th begins, for owner and co-executor.
        for unit in [0, 1] {
            assert_eq!(pack["units"][unit]["tasks"], json!({"open": 1, "overdue": 1}), "{}", app.backend);
        }
        assert_eq!(pack["items"][0]["topic"], "Reports");
        assert_eq!(figure(&pack, "BAK-NSM", "reports_received").0, 1);
        // The earlier meeting's own pack: its task was issued after its day began.
        let own = app.get(&format!("/api/briefing?meeting={earlier}")).await.json();
        assert_eq!(own["units"][0]["tasks"], json!({"open": 0, "overdue": 0}));
        let pdf = app.get(&format!("/api/briefing?meeting={next}&format=pdf")).await;
        assert_eq!(
            pdf.header("content-disposition"),
            "attachment; filename=\"crimeboard-briefing-2024-01-01__2024-03-31.pdf\""
        );

        let doc = app.get("/api/openapi.json").await.json();
        let params = doc["paths"]["/api/briefing"]["get"]["parameters"].as_array().unwrap();
        let named = params.iter().find(|p| p["name"] == "meeting").expect("meeting is documented");
        assert!(named["description"].as_str().unwrap().contains("both or neither"));
        for name in ["meeting", "period", "agenda", "units"] {
            let param = params.iter().find(|p| p["name"] == name).unwrap();
            assert_ne!(param["required"], true, "{name}: each of the two ways leaves out the other's");
        }
    });
}
