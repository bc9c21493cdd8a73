//! Every refusal is an RFC 9457 problem naming the input and the rule, in
//! the user's language, and a refused request writes nothing.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

#[test]
fn a_malformed_fin_is_refused_naming_its_path_and_writes_nothing() {
    each_backend(|app| async move {
        let before = app.position().await;
        let mut data = new_report("2024-04-02T08:00:00Z");
        data["applicant"]["fin"] = json!("5AB-12");
        let reply = app.post("/api/reports", &filing(data)).await;
        let p = reply.problem(422);
        assert_eq!(p["type"], "https://crimeboard.example/problems/json.invalid");
        assert_eq!(p["instance"], "/api/reports");
        assert_error(&reply.errors(422), "data.applicant.fin", "fin.format");
        assert_eq!(app.position().await, before);
        assert!(app.get("/api/reports").await.json()["items"].as_array().unwrap().is_empty());
        assert!(app.get("/api/persons").await.json()["items"].as_array().unwrap().is_empty());
    });
}

#[test]
fn a_body_that_is_not_utf8_is_refused_and_writes_nothing() {
    each_backend(|app| async move {
        let before = app.position().await;
        let mut body = serde_json::to_vec(&filing(new_report("2024-04-02T08:00:00Z"))).unwrap();
        let at = body.iter().position(|b| *b == b'M').unwrap();
        body[at] = 0xFF;
        let reply = app.post_raw("/api/reports", Some("application/json"), body).await;
        assert_error(&reply.errors(400), "", "request.utf8");
        assert_eq!(reply.problem(400)["errors"][0]["params"]["offset"], at.to_string());
        assert_eq!(app.position().await, before);
    });
}

#[test]
fn a_body_that_is_not_declared_json_is_415() {
    each_backend(|app| async move {
        let body = serde_json::to_vec(&filing(new_report("2024-04-02T08:00:00Z"))).unwrap();
        for content_type in [Some("text/plain"), Some("application/json; charset=latin1"), None] {
            let reply = app.post_raw("/api/reports", content_type, body.clone()).await;
            assert_error(&reply.errors(415), "Content-Type", "request.content_type");
        }
        let fine = app.post_raw("/api/reports", Some("application/json; charset=utf-8"), body).await;
        assert_eq!(fine.status, StatusCode::CREATED);
    });
}

#[test]
fn a_body_over_one_mebibyte_is_413() {
    each_backend(|app| async move {
        let before = app.position().await;
        let mut data = new_report("2024-04-02T08:00:00Z");
        data["summary"] = json!("x".repeat(crimeboard_web::MAX_BODY_BYTES));
        let reply = app.post("/api/reports", &filing(data)).await;
        assert_error(&reply.errors(413), "", "request.too_large");
        assert_eq!(app.position().await, before);
    });
}

#[test]
fn an_unknown_article_is_named_in_the_language_asked_for() {
    each_backend(|app| async move {
        let before = app.position().await;
        let body = serde_json::to_vec(&filing(json!({
            "unit": "BAK-NSM", "agency": "mia", "detected_by_police": true, "articles": ["999.9"],
            "occurred_at": "2024-04-01T20:00:00Z", "registered_at": "2024-04-03T09:00:00Z", "description": "?"
        })))
        .unwrap();
        let request = |uri: &str, lang: &str| {
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT_LANGUAGE, lang)
                .body(Body::from(body.clone()))
                .unwrap()
        };

        let ru = app.send(request("/api/cases", "ru-RU,ru;q=0.9,en;q=0.5")).await;
        assert_error(&ru.errors(422), "data.articles[0]", "article.unknown");
        assert_eq!(ru.header("content-language"), "ru");
        let p = ru.problem(422);
        assert_eq!(p["type"], "https://crimeboard.example/problems/validation");
        assert_eq!(p["errors"].as_array().unwrap().len(), 1, "{p}");
        assert_eq!(p["errors"][0]["message"], "Состава 999.9 нет в каталоге.");
        assert_eq!(p["errors"][0]["params"]["article"], "999.9");
        assert_eq!(p["title"], "Данные нарушают правила реестров");

        let en = app.send(request("/api/cases?lang=en", "ru")).await.problem(422);
        assert_eq!(en["errors"][0]["message"], "Offence 999.9 is not in the catalogue.");
        let az = app.send(request("/api/cases", "de")).await;
        assert_eq!(az.header("content-language"), "az");
        assert_eq!(az.problem(422)["errors"][0]["message"], "999.9 cinayət tərkibi kataloqda yoxdur.");
        assert_eq!(app.position().await, before);
    });
}

#[test]
fn through_the_acts_endpoint_fields_sit_under_command() {
    each_backend(|app| async move {
        let mut command = new_report("2024-04-02T08:00:00Z");
        command["act"] = json!("register_report");
        command["received_at"] = json!("2024-05-01T08:00:00Z");
        command["applicant"]["fin"] = json!("5ABC12D");
        command["officer"] = json!(" ");
        let body = json!({"actor": "", "legal_ground": "CPC art. 207", "command": command});
        let found = app.post("/api/acts", &body).await.errors(422);
        assert_error(&found, "actor", "text.required");

        let body = json!({"actor": "a", "legal_ground": "CPC art. 207", "command": command});
        let found = app.post("/api/acts", &body).await.errors(422);
        assert_error(&found, "command.received_at", "date.in_future");
        assert_error(&found, "command.officer", "text.required");

        command["applicant"]["fin"] = json!("no");
        let body = json!({"actor": "a", "legal_ground": "g", "command": command});
        assert_error(&app.post("/api/acts", &body).await.errors(422), "command.applicant.fin", "fin.format");
        let unknown_act = json!({"actor": "a", "legal_ground": "g", "command": {"act": "arrest"}});
        assert_error(&app.post("/api/acts", &unknown_act).await.errors(422), "command.act", "json.unknown_variant");
    });
}

#[test]
fn json_of_the_wrong_shape_names_the_path() {
    each_backend(|app| async move {
        let mut data = new_report("2024-04-02T08:00:00Z");
        data["colour"] = json!("red");
        assert_error(&app.post("/api/reports", &filing(data)).await.errors(422), "data.colour", "json.unknown_field");

        let mut data = new_report("2024-04-02T08:00:00Z");
        data.as_object_mut().unwrap().remove("summary");
        assert_error(&app.post("/api/reports", &filing(data)).await.errors(422), "data.summary", "json.missing_field");

        let mut data = new_report("2024-04-02T08:00:00Z");
        data["channel"] = json!("carrier_pigeon");
        assert_error(
            &app.post("/api/reports", &filing(data)).await.errors(422),
            "data.channel",
            "json.unknown_variant",
        );

        let mut data = new_report("2024-04-02T08:00:00Z");
        data["received_at"] = json!(20240402);
        assert_error(
            &app.post("/api/reports", &filing(data)).await.errors(422),
            "data.received_at",
            "json.invalid_type",
        );

        let reply = app.post_raw("/api/reports", Some("application/json"), b"{\"actor\": ".to_vec()).await;
        assert_error(&reply.errors(400), "actor", "json.syntax");
        let reply = app.post_raw("/api/reports", Some("application/json"), b"{} {}".to_vec()).await;
        assert_error(&reply.errors(400), "", "json.syntax");
        let reply =
            app.post_raw("/api/reports", Some("application/json"), br#"{"actor": "a", "actor": "b"}"#.to_vec()).await;
        assert_error(&reply.errors(400), "actor", "json.duplicate_key");
    });
}

#[test]
fn missing_ids_bad_ids_and_bad_query_parameters() {
    each_backend(|app| async move {
        let missing = app.get("/api/reports/018f0000-0000-7000-8000-000000000000").await;
        let p = missing.problem(404);
        assert_eq!(p["type"], "https://crimeboard.example/problems/not_found");
        assert_error(&app.get("/api/reports/not-a-uuid").await.errors(400), "id", "param.uuid");
        assert_error(&app.get("/api/reports?from=2024-13-01").await.errors(400), "from", "param.date");
        assert_error(&app.get("/api/reports?parent=nope").await.errors(400), "parent", "param.uuid");
        assert_error(&app.get("/api/reports?per-page=5").await.errors(400), "per-page", "param.unknown");
        assert_error(&app.get("/api/reports?per_page=500").await.errors(400), "per_page", "number.range");
        assert_error(
            &app.get("/api/reports?from=2024-05-01&to=2024-04-01").await.errors(400),
            "from",
            "date.range_reversed",
        );
        app.get("/api/nothing-here").await.problem(404);
        let wrong_method = app.send(Request::delete("/api/reports").body(Body::empty()).unwrap()).await;
        wrong_method.problem(405);
        assert!(wrong_method.header("allow").contains("POST"), "{:?}", wrong_method.headers);
    });
}

#[test]
fn a_store_failure_is_a_500_that_tells_nothing_of_the_store() {
    each_backend(|app| async move {
        let id = report(&app, "2024-04-02T08:00:00Z").await["entity_id"].as_str().unwrap().to_string();
        app.tamper("UPDATE records SET kind = 'secret_kind_xyz'").await;
        let reply = app.get(&format!("/api/reports/{id}")).await;
        let p = reply.problem(500);
        let text = String::from_utf8_lossy(&reply.body);
        assert!(!text.contains("secret_kind_xyz") && !text.to_lowercase().contains("corrupt"), "{text}");
        assert_eq!(p["type"], "https://crimeboard.example/problems/internal");
        assert_eq!(reply.header("x-request-id"), p["request_id"].as_str().unwrap());
    });
}

#[test]
fn a_record_imported_twice_is_a_conflict_naming_its_source() {
    each_backend(|app| async move {
        let case = filing(json!({
            "unit": "BAK-NSM", "agency": "mia", "detected_by_police": true, "articles": ["177.1"],
            "occurred_at": "2024-04-01T08:00:00Z", "registered_at": "2024-04-03T09:00:00Z", "description": "x",
            "source": { "system": "legacy", "id": "A-17" }
        }));
        app.post("/api/cases", &case).await.json();
        let before = app.position().await;
        let again = app.post("/api/cases?lang=en", &case).await;
        assert_error(&again.errors(409), "source.id", "source.already_imported");
        assert_eq!(again.problem(409)["errors"][0]["message"], "Record A-17 from legacy has already been imported.");
        assert_eq!(app.position().await, before, "the duplicate wrote nothing");
    });
}

/// Words and marks of serde's own English that must never reach a message.
const SERDE_WORDS: [&str; 13] = [
    "invalid type",
    "invalid value",
    "sequence",
    "string",
    "struct",
    " map",
    "unit value",
    "floating point",
    "a boolean",
    "one of",
    "u64",
    "`",
    "expected",
];

/// Each malformed body is answered wholly in the language asked for: what was
/// found and expected said in its words, never serde's English ("a sequence
/// gözlənilir" was once answered).
#[test]
fn a_malformed_body_is_answered_wholly_in_the_language_asked_for() {
    each_backend(|app| async move {
        let report = |field: &str, value: serde_json::Value| {
            let mut data = new_report("2024-04-02T08:00:00Z");
            data[field] = value;
            ("/api/reports", filing(data))
        };
        let case = |field: &str, value: serde_json::Value| {
            let mut data = new_case(&[], &["177.2"]);
            data[field] = value;
            ("/api/cases", filing(data))
        };
        // (request, path, rule, the words for what was found, the words for what was expected) in az, ru, en
        let table = [
            (report("received_at", json!(20240402)), "data.received_at", "json.invalid_type"),
            (report("summary", json!(true)), "data.summary", "json.invalid_type"),
            (report("summary", json!(null)), "data.summary", "json.invalid_type"),
            (report("applicant", json!("Leyla")), "data.applicant", "json.invalid_type"),
            (report("channel", json!(["online"])), "data.channel", "json.invalid_type"),
            (case("report_ids", json!("not a list")), "data.report_ids", "json.invalid_type"),
            (case("articles", json!({"a": 1})), "data.articles", "json.invalid_type"),
            (report("channel", json!("carrier_pigeon")), "data.channel", "json.unknown_variant"),
            (report("colour", json!("red")), "data.colour", "json.unknown_field"),
            (
                ("/api/acts", json!({"actor": "a", "legal_ground": "g", "command": {"act": 5}})),
                "command.act",
                "json.invalid_type",
            ),
        ];
        for lang in ["az", "ru", "en"] {
            for ((uri, body), path, rule) in &table {
                let req = Request::post(*uri)
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::ACCEPT_LANGUAGE, lang)
                    .body(Body::from(serde_json::to_vec(body).unwrap()))
                    .unwrap();
                let reply = app.send(req).await;
                assert_error(&reply.errors(422), path, rule);
                let error = &reply.problem(422)["errors"][0];
                let message = error["message"].as_str().unwrap();
                // What is the user's own (the path, the value sent, the names allowed) is left as sent.
                let words = message.replace(*path, "").replace("carrier_pigeon", "");
                for serde_word in SERDE_WORDS.iter().filter(|w| lang != "en" || **w != "expected") {
                    assert!(!words.contains(serde_word), "{lang}: {serde_word:?} in {message:?}");
                }
                if lang == "ru" && *rule == "json.invalid_type" {
                    let latin = words.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() > 1);
                    let latin: Vec<&str> = latin.filter(|w| !["null", "true", "false", "UUID"].contains(w)).collect();
                    assert!(latin.is_empty(), "{lang}: English words {latin:?} in {message:?}");
                }
            }
        }
        // What was found and expected is said, each in the language's own words.
        let (uri, body) = case("report_ids", json!("x"));
        for (lang, said) in [
            ("az", "mətn verilib, siyahı"),
            ("ru", "дано — текст, ожидается — список"),
            ("en", "text given, a list expected"),
        ] {
            let req = Request::post(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT_LANGUAGE, lang)
                .body(Body::from(serde_json::to_vec(&body).unwrap()))
                .unwrap();
            let message = app.send(req).await.problem(422)["errors"][0]["message"].as_str().unwrap().to_string();
            assert!(message.contains(said), "{lang}: {message}");
        }
        // A bad query parameter is said without serde's words too.
        for lang in ["az", "ru", "en"] {
            let req = Request::get("/api/reports?per-page=5&sort=sideways")
                .header(header::ACCEPT_LANGUAGE, lang)
                .body(Body::empty())
                .unwrap();
            let reply = app.send(req).await;
            let message = reply.problem(400)["errors"][0]["message"].as_str().unwrap().to_string();
            assert!(
                !message.contains("one of") && !message.contains('`') && !message.contains("expected"),
                "{message}"
            );
        }
    });
}

/// An empty body names every required field in one answer, at every depth,
/// not the first one serde meets; nothing is written.
#[test]
fn an_empty_body_names_every_missing_field_at_once() {
    each_backend(|app| async move {
        let before = app.position().await;
        let fields = |reply: Reply| {
            let mut found: Vec<String> = reply
                .errors(422)
                .into_iter()
                .filter(|(_, rule)| rule == "json.missing_field")
                .map(|(f, _)| f)
                .collect();
            found.sort();
            found
        };
        assert_eq!(fields(app.post("/api/reports", &json!({})).await), ["actor", "data", "legal_ground"]);
        let empty_report = json!({"actor": "a", "legal_ground": "g", "data": {}});
        assert_eq!(
            fields(app.post("/api/reports", &empty_report).await),
            ["data.channel", "data.officer", "data.received_at", "data.summary", "data.unit"]
        );
        // Missing fields inside a nested (optional) object are named with the rest.
        let nested = json!({"actor": "a", "data": {"unit": "BAK-NSM", "applicant": {"fin": "5ABC12D"}}});
        let reply = app.post("/api/reports", &nested).await;
        let errors = reply.errors(422);
        for field in ["legal_ground", "data.channel", "data.applicant.role", "data.applicant.full_name"] {
            assert_error(&errors, field, "json.missing_field");
        }
        assert_eq!(app.position().await, before);
    });
}

/// The missing fields of `reply`'s answer, sorted.
fn missing_fields(reply: &Reply) -> Vec<String> {
    let mut found: Vec<String> =
        reply.errors(422).into_iter().filter(|(_, rule)| rule == "json.missing_field").map(|(f, _)| f).collect();
    found.sort();
    found
}

/// Any act, alone or in a batch, names every field it lacks in one answer:
/// the act's own fields, chosen by its `act`, at every depth, and in a batch
/// each item's with the item's index.
#[test]
fn an_act_alone_or_in_a_batch_names_every_missing_field_at_once() {
    each_backend(|app| async move {
        let before = app.position().await;
        let act = json!({"legal_ground": "g", "command": {"act": "register_report", "unit": "BAK-NSM",
            "applicant": {"fin": "5ABC12D"}}});
        assert_eq!(
            missing_fields(&app.post("/api/acts", &act).await),
            [
                "actor",
                "command.applicant.full_name",
                "command.applicant.role",
                "command.channel",
                "command.officer",
                "command.received_at",
                "command.summary",
            ]
        );
        // Another act is walked against its own fields.
        let decide = json!({"actor": "a", "legal_ground": "g", "command": {"act": "decide_case"}});
        assert_eq!(
            missing_fields(&app.post("/api/acts", &decide).await),
            ["command.case_id", "command.decided_at", "command.decision"]
        );
        let good = json!({"actor": "a", "legal_ground": "g", "command": {"act": "register_report",
            "unit": "BAK-NSM", "channel": "online", "received_at": "2024-04-18T10:00:00Z", "officer": "o",
            "summary": "s"}});
        let batch = json!({"submissions": [
            good,
            {"actor": "a", "legal_ground": "g", "command": {"act": "record_seizure", "unit": "BAK-NSM"}},
            {"command": {"act": "record_accident", "killed": 0}},
        ]});
        assert_eq!(
            missing_fields(&app.post("/api/acts/batch", &batch).await),
            [
                "submissions[1].command.net_grams",
                "submissions[1].command.seized_at",
                "submissions[1].command.substance",
                "submissions[2].actor",
                "submissions[2].command.cause",
                "submissions[2].command.injured",
                "submissions[2].command.occurred_at",
                "submissions[2].command.unit",
                "submissions[2].legal_ground",
            ]
        );
        assert_eq!(app.position().await, before, "nothing is written");
    });
}

/// When every field reads but the registry's rules refuse several, the answer
/// names each of them, for an act alone and for a batch's item.
#[test]
fn every_rule_an_act_breaks_is_named_in_one_answer() {
    each_backend(|app| async move {
        let before = app.position().await;
        let command = json!({"act": "register_report", "unit": "BAK-NSM", "channel": "online",
            "received_at": "2099-01-01T10:00:00Z", "officer": " ", "summary": ""});
        let reply = app.post("/api/acts", &json!({"actor": "a", "legal_ground": "", "command": command})).await;
        let errors = reply.errors(422);
        for (field, rule) in [
            ("legal_ground", "text.required"),
            ("command.officer", "text.required"),
            ("command.summary", "text.required"),
            ("command.received_at", "date.in_future"),
        ] {
            assert_error(&errors, field, rule);
        }
        let good = json!({"actor": "a", "legal_ground": "g", "command": {"act": "register_report",
            "unit": "BAK-NSM", "channel": "online", "received_at": "2024-04-18T10:00:00Z", "officer": "o",
            "summary": "s"}});
        let batch = json!({"submissions": [good, {"actor": "a", "legal_ground": "", "command": command}]});
        let errors = app.post("/api/acts/batch", &batch).await.errors(422);
        for (field, rule) in [
            ("submissions[1].legal_ground", "text.required"),
            ("submissions[1].command.officer", "text.required"),
            ("submissions[1].command.summary", "text.required"),
            ("submissions[1].command.received_at", "date.in_future"),
        ] {
            assert_error(&errors, field, rule);
        }
        assert_eq!(app.position().await, before, "nothing is written");
    });
}
