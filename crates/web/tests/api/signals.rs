//! The signs of under-recording through the API: each signal's funnel over
//! the units below the one asked for, from acts whose answer is known, and
//! the same as CSV and a workbook.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// A crime the police detected themselves in `unit`, registered at `registered_at`.
async fn open_case(app: &App, unit: &str, registered_at: &str) {
    let case = json!({
        "unit": unit, "agency": "mia", "detected_by_police": true, "articles": ["177.2"],
        "occurred_at": "2024-01-02T20:00:00Z", "registered_at": registered_at, "description": "Mənzil oğurluğu"
    });
    let reply = app.post("/api/cases", &filing(case)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
}

fn signal<'a>(doc: &'a Value, code: &str) -> &'a Value {
    doc["signals"].as_array().unwrap().iter().find(|s| s["code"] == code).unwrap_or_else(|| panic!("no {code}"))
}

/// Nasimi records 2 of its 3 crimes of 2024Q1 in the quarter's last 7
/// days, Yasamal none of its 2: Nasimi is worth asking about, against the
/// calendar's 7 days of 91.
#[test]
fn the_signals_name_the_unit_that_bunches_its_registrations_at_the_quarters_end() {
    each_backend(|app| async move {
        for (unit, at) in [
            ("BAK-NSM", "2024-01-15T09:00:00Z"),
            ("BAK-NSM", "2024-03-26T09:00:00Z"),
            ("BAK-NSM", "2024-03-30T09:00:00Z"),
            ("BAK-YAS", "2024-02-10T09:00:00Z"),
            ("BAK-YAS", "2024-03-05T09:00:00Z"),
        ] {
            open_case(&app, unit, at).await;
        }
        let doc = app.get("/api/signals?period=2024Q1&unit=BAK").await.json();
        assert_eq!(doc["unit"], "BAK");
        let bunching = signal(&doc, "quarter_end");
        assert_eq!(bunching["worth_asking"], json!(["BAK-NSM"]));
        assert_eq!(bunching["against"], "calendar");
        assert_eq!(bunching["funnel"]["target"].as_f64(), Some(7.0 / 91.0));
        let points: Vec<(String, i64, i64)> = bunching["funnel"]["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["unit"].as_str().unwrap().to_string(),
                    p["numerator"].as_i64().unwrap(),
                    p["denominator"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(points, [("BAK-NSM".to_string(), 2, 3), ("BAK-YAS".to_string(), 0, 2)]);
        assert_eq!(
            bunching["question"]["en"],
            "Are more crimes recorded here in the last days of the quarter than the calendar explains?"
        );
        assert_eq!(signal(&doc, "refusals")["worth_asking"], json!([]), "nothing decided");

        let csv = app.get("/api/signals?period=2024Q1&unit=BAK&format=csv&lang=en").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.header("content-disposition"), "attachment; filename=\"crimeboard-signals.csv\"");
        let text = String::from_utf8(csv.body.clone()).unwrap();
        assert!(text.starts_with("\u{feff}Signal,Question,"), "{text}");
        assert!(
            text.lines().any(|l| l.starts_with("quarter_end,") && l.contains(",2,3,") && l.ends_with(",yes")),
            "{text}"
        );
        let xlsx = app.get("/api/signals?period=2024Q1&unit=BAK&format=xlsx").await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.body.starts_with(b"PK"), "a workbook is a zip");
    });
}

#[test]
fn a_period_or_format_not_understood_is_refused_naming_it() {
    each_backend(|app| async move {
        let errors = app.get("/api/signals?period=2024Q5").await.errors(400);
        assert!(errors.iter().any(|(field, _)| field == "period"), "{errors:?}");
        app.get("/api/signals?period=2024Q1&format=pdf").await.problem(400);
    });
}
