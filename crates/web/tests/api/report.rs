//! The Board's report through the API: its figures, its formats and
//! languages, a published report reproduced, and the parameters refused.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use crimeboard_export::{Format, Lang};
use crimeboard_stats::Period;
use serde_json::{Value, json};

/// A case the police detected themselves (no report), registered at `registered_at`.
fn detected_case(occurred_at: &str, registered_at: &str) -> Value {
    json!({
        "unit": "BAK-NSM",
        "agency": "mia",
        "detected_by_police": true,
        "articles": ["177.2"],
        "occurred_at": occurred_at,
        "registered_at": registered_at,
        "description": "Mənzil oğurluğu"
    })
}

async fn open_case(app: &App, registered_at: &str) {
    let reply = app.post("/api/cases", &filing(detected_case("2023-01-02T20:00:00Z", registered_at))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
}

/// Three crimes registered in 2024Q1, one in 2023Q1, one in 2024Q2 (outside both).
async fn record_crimes(app: &App) {
    for day in ["2023-02-10", "2024-01-15", "2024-02-20", "2024-03-30", "2024-04-02"] {
        open_case(app, &format!("{day}T09:00:00Z")).await;
    }
}

/// (current, previous) of an indicator for a unit of a JSON report.
fn figure(report: &Value, unit: &str, code: &str) -> (i64, i64) {
    let unit =
        report["units"].as_array().unwrap().iter().find(|u| u["unit"] == unit).unwrap_or_else(|| panic!("no {unit}"));
    let f =
        unit["figures"].as_array().unwrap().iter().find(|f| f["code"] == code).unwrap_or_else(|| panic!("no {code}"));
    (f["change"]["current"].as_i64().unwrap(), f["change"]["previous"].as_i64().unwrap())
}

/// The report rendered straight from the registry, off the runtime (the PostgreSQL client blocks).
async fn rendered(app: &App, period: &str, lang: Lang, format: Format) -> Vec<u8> {
    let registry = app.registry.clone();
    let period = Period::parse(period).unwrap();
    let report = tokio::task::spawn_blocking(move || registry.report(period, None).unwrap()).await.unwrap();
    crimeboard_export::render(&report, lang, format)
}

fn text(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::OK, "{}", String::from_utf8_lossy(&reply.body));
    String::from_utf8(reply.body.clone()).unwrap()
}

async fn get_with_language(app: &App, uri: &str, accept_language: &str) -> Reply {
    app.send(Request::get(uri).header(header::ACCEPT_LANGUAGE, accept_language).body(Body::empty()).unwrap()).await
}

#[test]
fn the_report_counts_what_was_recorded_against_the_year_before() {
    each_backend(|app| async move {
        record_crimes(&app).await;
        let reply = app.get("/api/report?period=2024Q1&format=json").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", String::from_utf8_lossy(&reply.body));
        assert_eq!(reply.header("content-type"), "application/json");
        assert_eq!(reply.header("content-disposition"), "", "JSON is shown, not downloaded");
        let report = reply.json();
        assert_eq!(report["units"][0]["unit"], "AZ", "the whole country by default");
        assert_eq!(figure(&report, "AZ", "crimes_recorded"), (3, 1));
        assert_eq!(figure(&report, "BAK-NSM", "crimes_recorded"), (3, 1));
        assert_eq!(
            (report["period"]["from"].as_str(), report["period"]["to"].as_str()),
            (Some("2024-01-01"), Some("2024-03-31"))
        );
        assert_eq!(report["position"], app.position().await);
        assert_eq!(report["lang"], "az", "Azerbaijani unless asked otherwise");
        assert_eq!(reply.body, rendered(&app, "2024Q1", Lang::Az, Format::Json).await);

        // JSON is the default format; other periods and a unit.
        assert_eq!(app.get("/api/report?period=2024Q1").await.body, reply.body);
        let ytd = app.get("/api/report?period=ytd:2024-04-19").await.json();
        assert_eq!(figure(&ytd, "AZ", "crimes_recorded"), (4, 1));
        let baku = app.get("/api/report?period=2024Q1&unit=BAK").await.json();
        assert_eq!(baku["units"][0]["unit"], "BAK");
        assert!(baku["units"].as_array().unwrap().iter().all(|u| u["unit"].as_str().unwrap().starts_with("BAK")));
        assert_eq!(figure(&baku, "BAK", "crimes_recorded"), (3, 1));
        let ganja = app.get("/api/report?period=2024Q1&unit=GNC").await.json();
        assert_eq!(figure(&ganja, "GNC", "crimes_recorded"), (0, 0));
    });
}

#[test]
fn csv_is_an_attachment_with_a_byte_order_mark() {
    each_backend(|app| async move {
        record_crimes(&app).await;
        let reply = app.get("/api/report?period=2024Q1&format=csv&lang=en").await;
        let csv = text(&reply);
        assert!(reply.body.starts_with(b"\xEF\xBB\xBF"), "no UTF-8 byte-order mark: {csv}");
        assert_eq!(reply.header("content-type"), "text/csv; charset=utf-8");
        assert_eq!(reply.header("content-disposition"), "attachment; filename=\"crimeboard-report-2024Q1.csv\"");
        assert!(csv.contains("\r\nAZ,Republic of Azerbaijan,crimes_recorded,Crimes recorded,,3,1,2,"), "{csv}");
        assert_eq!(reply.body, rendered(&app, "2024Q1", Lang::En, Format::Csv).await);

        // The period as typed, made safe for a file name.
        let ytd = app.get("/api/report?period=ytd:2024-04-19&format=csv").await;
        assert_eq!(ytd.status, StatusCode::OK);
        assert_eq!(ytd.header("content-disposition"), "attachment; filename=\"crimeboard-report-ytd_2024-04-19.csv\"");
        let days = app.get("/api/report?period=2024-01-01..2024-03-31&format=csv").await;
        assert_eq!(
            days.header("content-disposition"),
            "attachment; filename=\"crimeboard-report-2024-01-01_2024-03-31.csv\""
        );
    });
}

#[test]
fn text_is_the_narrative_in_the_language_asked_for() {
    each_backend(|app| async move {
        record_crimes(&app).await;
        let position = app.position().await;
        let reply = app.get("/api/report?period=2024Q1&format=text&lang=ru").await;
        let ru = text(&reply);
        assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
        assert_eq!(reply.header("content-language"), "ru");
        assert_eq!(reply.header("content-disposition"), "");
        assert!(ru.contains("Правила подсчёта:"), "{ru}");
        assert!(ru.contains(&format!("рассчитано по журналу на позиции {position}.")), "{ru}");
        assert_eq!(ru, String::from_utf8(rendered(&app, "2024Q1", Lang::Ru, Format::Text).await).unwrap());

        // Azerbaijani by default; Accept-Language when there is no ?lang=; ?lang= wins.
        let az = text(&app.get("/api/report?period=2024Q1&format=text").await);
        assert!(az.contains("Hesablama qaydaları:") && !az.contains("Правила"), "{az}");
        let by_header = text(&get_with_language(&app, "/api/report?period=2024Q1&format=text", "ru-RU,ru;q=0.9").await);
        assert_eq!(by_header, ru);
        let en = text(&get_with_language(&app, "/api/report?period=2024Q1&format=text&lang=en", "ru").await);
        assert!(en.contains("Counting rules:"), "{en}");
    });
}

#[test]
fn xlsx_is_a_workbook_as_an_attachment() {
    each_backend(|app| async move {
        record_crimes(&app).await;
        let reply = app.get("/api/report?period=2024Q1&format=xlsx").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", String::from_utf8_lossy(&reply.body));
        assert!(reply.body.starts_with(b"PK"), "not a zip archive");
        assert_eq!(reply.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assert_eq!(reply.header("content-disposition"), "attachment; filename=\"crimeboard-report-2024Q1.xlsx\"");
    });
}

#[test]
fn at_a_past_position_the_published_report_is_reproduced() {
    each_backend(|app| async move {
        record_crimes(&app).await;
        let published = app.get("/api/report?period=2024Q1").await.json();
        let position = published["position"].as_i64().unwrap();
        assert_eq!(figure(&published, "AZ", "crimes_recorded"), (3, 1));

        open_case(&app, "2024-03-05T09:00:00Z").await;
        let now = app.get("/api/report?period=2024Q1").await.json();
        assert_eq!(figure(&now, "AZ", "crimes_recorded"), (4, 1), "the counters moved on");

        let reproduced = app.get(&format!("/api/report?period=2024Q1&at={position}")).await;
        assert_eq!(reproduced.status, StatusCode::OK, "{}", String::from_utf8_lossy(&reproduced.body));
        let reproduced = reproduced.json();
        assert_eq!(reproduced["position"], position);
        assert_eq!(reproduced["units"], published["units"], "the figures differ from the published ones");
        assert_eq!(reproduced, published);

        // A position the journal has not reached, or none at all, is refused and named.
        assert_error(&app.get("/api/report?period=2024Q1&at=-1").await.errors(400), "at", "number.range");
        let beyond = app.get(&format!("/api/report?period=2024Q1&at={}", app.position().await + 1)).await;
        assert_error(&beyond.errors(400), "at", "number.range");
        assert_error(&app.get("/api/report?period=2024Q1&at=first").await.errors(400), "at", "param.integer");
    });
}

#[test]
fn a_bad_or_missing_period_is_refused_naming_it_and_its_forms() {
    each_backend(|app| async move {
        for uri in ["/api/report?period=2024Q5", "/api/report?period=spring", "/api/report", "/api/report?period="] {
            let reply = app.get(&format!("{uri}{}lang=en", if uri.contains('?') { '&' } else { '?' })).await;
            assert_error(&reply.errors(400), "period", "param.period");
            let message = reply.problem(400)["errors"][0]["message"].as_str().unwrap().to_string();
            for form in [
                "2024Q1",
                "2024H1",
                "2024-03",
                "ytd:2024-04-19",
                "28d:2024-04-19",
                "week:2024-04-15",
                "2024-01-01..2024-03-31",
            ] {
                assert!(message.contains(form), "{uri}: {message}");
            }
        }
        let ru = app.get("/api/report?period=2024Q5&lang=ru").await.problem(400);
        assert!(
            ru["errors"][0]["message"].as_str().unwrap().starts_with("Параметр period должен быть периодом"),
            "{ru}"
        );

        let reversed = app.get("/api/report?period=2024-03-31..2024-01-01").await;
        assert_error(&reversed.errors(400), "period", "date.range_reversed");
        assert_error(&app.get("/api/report?period=1850").await.errors(400), "period", "param.period_years");
        assert_error(&app.get("/api/report?period=28d:1900-01-05").await.errors(400), "period", "param.period_years");
        // Near the ends of the calendar: refused, not a panic.
        assert_error(&app.get("/api/report?period=week:%2B262142-12-31").await.errors(400), "period", "param.period");

        assert_error(&app.get("/api/report?period=2024Q1&format=docx").await.errors(400), "format", "param.variant");
        assert_error(&app.get("/api/report?period=2024Q1&scope=AZ").await.errors(400), "scope", "param.unknown");
    });
}

#[test]
fn an_unknown_unit_is_refused_naming_it() {
    each_backend(|app| async move {
        let unknown = app.get("/api/report?period=2024Q1&unit=XYZ").await;
        assert_error(&unknown.errors(400), "unit", "unit.unknown");
        let malformed = app.get("/api/report?period=2024Q1&unit=bak&format=csv").await;
        assert_error(&malformed.errors(400), "unit", "unit.code_format");
        // Also when reproducing a past report.
        assert_error(&app.get("/api/report?period=2024Q1&unit=XYZ&at=0").await.errors(400), "unit", "unit.unknown");
    });
}

#[test]
fn the_report_is_documented_with_its_parameters_and_content_types() {
    each_backend(|app| async move {
        let doc = app.get("/api/openapi.json").await.json();
        let op = &doc["paths"]["/api/report"]["get"];
        assert!(op.is_object(), "/api/report is missing from the document");
        let params = op["parameters"].as_array().unwrap();
        let param =
            |name: &str| params.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("no parameter {name}"));
        assert_eq!(param("period")["required"], true);
        for name in ["unit", "format", "at", "lang"] {
            assert_eq!(param(name)["in"], "query");
            assert_ne!(param(name)["required"], true, "{name}");
        }
        let content = op["responses"]["200"]["content"].as_object().unwrap();
        for format in Format::ALL {
            assert!(content.contains_key(format.content_type()), "no {} response", format.content_type());
        }
        assert!(op["responses"]["200"]["headers"]["Content-Disposition"].is_object());
        assert!(op["responses"]["400"]["content"]["application/problem+json"].is_object());
    });
}

/// The names of a schema's properties in the OpenAPI document, sorted.
fn properties(doc: &Value, schema: &str) -> Vec<String> {
    let props = doc["components"]["schemas"][schema]["properties"].as_object();
    let mut names: Vec<String> = props.unwrap_or_else(|| panic!("no schema {schema}")).keys().cloned().collect();
    names.sort();
    names
}

fn keys(value: &Value) -> Vec<String> {
    let mut names: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    names.sort();
    names
}

#[test]
fn the_json_report_is_the_one_the_openapi_document_describes() {
    each_backend(|app| async move {
        record_crimes(&app).await;
        let doc = app.get("/api/openapi.json").await.json();
        let content = &doc["paths"]["/api/report"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(content["schema"]["$ref"], "#/components/schemas/ReportDocument");
        let report = app.get("/api/report?period=2024Q1&format=json").await.json();
        assert_eq!(keys(&report), properties(&doc, "ReportDocument"));
        assert_eq!(keys(&report["period"]), properties(&doc, "ReportPeriod"));
        assert_eq!(
            keys(&report["indicators"][0]),
            properties(&doc, "ReportIndicator").into_iter().filter(|p| p != "group").collect::<Vec<_>>()
        );
        let grouped = report["indicators"].as_array().unwrap().iter().find(|i| i.get("group").is_some());
        if let Some(grouped) = grouped {
            assert_eq!(keys(grouped), properties(&doc, "ReportIndicator"));
        }
        assert_eq!(keys(&report["shares"][0]), properties(&doc, "ReportShare"));
        let unit = &report["units"][0];
        assert_eq!(keys(unit), properties(&doc, "ReportUnit"));
        assert_eq!(keys(&unit["figures"][0]), properties(&doc, "ReportFigure"));
        assert_eq!(keys(&unit["figures"][0]["change"]), properties(&doc, "ReportChange"));
        assert_eq!(keys(&unit["shares"][0]), properties(&doc, "ReportShareValue"));
        // Every code a unit's figure names is in the table, named once.
        let codes: Vec<&Value> = report["indicators"].as_array().unwrap().iter().map(|i| &i["code"]).collect();
        for f in unit["figures"].as_array().unwrap() {
            assert_eq!(codes.iter().filter(|c| **c == &f["code"]).count(), 1, "{}", f["code"]);
        }
    });
}

/// Nasimi merged into Yasamal from 1 March: January's crime in Nasimi is
/// Nasimi's under the tree in force then, Yasamal's under the current
/// structure (`structure=current`), and each is kept apart.
#[test]
fn structure_current_rolls_an_earlier_period_up_under_todays_units() {
    each_backend(|app| async move {
        open_case(&app, "2024-01-15T09:00:00Z").await;
        let registry = app.registry.clone();
        tokio::task::spawn_blocking(move || {
            let merge =
                json!({"act": "merge_units", "absorbed": "BAK-NSM", "into": "BAK-YAS", "effective_from": "2024-03-01"});
            let command = serde_json::from_value(merge).unwrap();
            let s = crimeboard_service::Submission {
                actor: "tests".into(),
                legal_ground: "Order".into(),
                command,
                late: None,
            };
            registry.record(&registry.system("tests"), &s, &crimeboard_service::audit::Audited::No).unwrap();
        })
        .await
        .unwrap();
        let in_force = app.get("/api/report?period=2024-01&unit=BAK").await.json();
        assert_eq!(figure(&in_force, "BAK-NSM", "crimes_recorded").0, 1);
        assert_eq!(figure(&in_force, "BAK-YAS", "crimes_recorded").0, 0);
        let current = app.get("/api/report?period=2024-01&unit=BAK&structure=current").await.json();
        assert_eq!(figure(&current, "BAK-YAS", "crimes_recorded").0, 1);
        assert!(current["units"].as_array().unwrap().iter().all(|u| u["unit"] != "BAK-NSM"), "merged away");
        assert_eq!(app.get("/api/report?period=2024-01&unit=BAK").await.json(), in_force, "kept apart");
        let bad = app.get("/api/report?period=2024-01&structure=today").await;
        assert!(bad.errors(400).iter().any(|(field, _)| field == "structure"), "{:?}", bad.errors(400));
    });
}
