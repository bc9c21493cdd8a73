//! The briefing pack through the API: its figures are the Board's report's,
//! at the current position and at a stated one, its JSON the document's
//! description, its files, and every bad parameter named.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::Value;

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
        assert!(pack["units"][0]["tasks"].is_null(), "no register of tasks gives them yet");
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
        ] {
            let uri = if query.starts_with('/') { query.to_string() } else { format!("{base}{query}") };
            assert_error(&app.get(&uri).await.errors(400), field, rule);
        }
    });
}
