//! The OpenAPI document describes the API as built.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

#[test]
fn the_openapi_document_is_3_1_and_lists_every_route() {
    each_backend(|app| async move {
        let reply = app.get("/api/openapi.json").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("content-type"), "application/json");
        let doc = reply.json();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1."), "{}", doc["openapi"]);
        let paths = doc["paths"].as_object().unwrap();
        for path in [
            "/api/acts",
            "/api/acts/batch",
            "/api/reports",
            "/api/reports/{id}",
            "/api/cases",
            "/api/cases/{id}",
            "/api/seizures",
            "/api/accountability",
            "/api/accidents",
            "/api/examinations",
            "/api/persons",
            "/api/persons/{id}",
            "/api/journal",
            "/api/report",
            "/api/units",
            "/api/verify",
            "/api/health",
            "/api/openapi.json",
        ] {
            assert!(paths.contains_key(path), "{path} is missing from the document");
        }
        let create = &doc["paths"]["/api/reports"]["post"];
        assert!(create["requestBody"]["content"]["application/json"]["schema"].is_object());
        assert!(create["responses"]["201"].is_object());
        assert!(create["responses"]["422"]["content"]["application/problem+json"].is_object());
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for schema in ["Problem", "Command", "NewReport", "Receipt"] {
            assert!(schemas.contains_key(schema), "schema {schema} is missing");
        }
        assert_eq!(schemas["ArticleRef"]["type"], "string", "an article is written as text");
    });
}

/// The document as the server gives it.
async fn document(app: &App) -> Value {
    let reply = app.get("/api/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json()
}

/// Every operation of the document: (path, method, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            found.push((path.clone(), method.clone(), op.clone()));
        }
    }
    found
}

fn schema<'a>(doc: &'a Value, reference: &Value) -> &'a Value {
    let name = reference["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
    &doc["components"]["schemas"][name]
}

#[test]
fn a_command_is_one_of_the_acts_told_apart_by_act_and_each_can_be_met() {
    each_backend(|app| async move {
        let doc = document(&app).await;
        let command = &doc["components"]["schemas"]["Command"];
        assert_eq!(command["discriminator"]["propertyName"], "act", "{command}");
        let variants = command["oneOf"].as_array().unwrap();
        let mapping = command["discriminator"]["mapping"].as_object().unwrap();
        assert_eq!(variants.len(), crimeboard_web::body::ACTS.len());
        for act in crimeboard_web::body::ACTS {
            let variant = schema(&doc, &json!({"$ref": mapping[act]}));
            // One closed object with `act` among its own fields: an allOf of a closed
            // schema and `act` can never be met.
            assert!(variant.get("allOf").is_none(), "{act}: {variant}");
            assert_eq!(variant["additionalProperties"], false, "{act}");
            assert_eq!(variant["properties"]["act"]["const"], act, "{act}");
            assert_eq!(variant["properties"]["act"]["enum"], json!([act]), "{act}");
            assert!(variant["required"].as_array().unwrap().contains(&json!("act")), "{act}");
            assert!(variants.contains(&json!({"$ref": mapping[act]})), "{act} is not among the oneOf");
        }

        // A record's history holds the commands as recorded: each fits its act's schema.
        let receipt = report(&app, "2024-04-02T08:00:00Z").await;
        let record = app.get(&format!("/api/reports/{}", receipt["entity_id"].as_str().unwrap())).await.json();
        let recorded = &record["history"][0]["act"]["command"];
        let variant = schema(&doc, &json!({"$ref": mapping[recorded["act"].as_str().unwrap()]}));
        let properties = variant["properties"].as_object().unwrap();
        for key in recorded.as_object().unwrap().keys() {
            assert!(properties.contains_key(key), "{key} of the recorded command is not in its schema");
        }
        for key in variant["required"].as_array().unwrap() {
            assert!(recorded.get(key.as_str().unwrap()).is_some(), "{key} is required but not recorded");
        }
    });
}

#[test]
fn every_limit_a_parameter_has_is_stated() {
    each_backend(|app| async move {
        let doc = document(&app).await;
        let mut seen = std::collections::BTreeSet::new();
        for (path, method, op) in operations(&doc) {
            for param in op["parameters"].as_array().into_iter().flatten() {
                let name = param["name"].as_str().unwrap();
                let s = &param["schema"];
                let at = format!("{method} {path} {name}");
                match name {
                    "page" | "per_page" | "limit" => {
                        assert!(s["minimum"].as_u64() >= Some(1), "{at}: {s}");
                        assert!(s["maximum"].is_u64(), "{at}: {s}");
                    }
                    "unit" => assert_eq!(s["pattern"], "^[A-Z0-9-]{1,32}$", "{at}"),
                    "lang" => assert_eq!(s["enum"], json!(["az", "ru", "en"]), "{at}"),
                    "format" | "sort" => assert!(s["enum"].is_array(), "{at}: {s}"),
                    // A closed list of statuses (the Board's tasks) needs no pattern.
                    "status" if s["enum"].is_array() => {}
                    // Every parameter is refused with U+0000 in it (`text.nul`).
                    "status" | "number" | "q" | "article" | "flag" | "actor" | "action" | "target" => {
                        assert_eq!(s["pattern"], "^[^\\x00]*$", "{at}")
                    }
                    _ => {}
                }
                seen.insert(name.to_string());
            }
        }
        for name in ["page", "per_page", "limit", "unit", "lang", "format", "sort", "q", "target"] {
            assert!(seen.contains(name), "no operation has {name}");
        }
        assert_eq!(doc["paths"]["/api/open-data"]["get"]["parameters"][1]["schema"]["enum"], json!(["json", "csv"]));
    });
}

#[test]
fn what_the_document_forbids_in_a_parameter_the_server_refuses() {
    each_backend(|app| async move {
        for (uri, field, rule) in [
            ("/api/reports?lang=fr", "lang", "param.variant"),
            ("/api/journal?lang=%01", "lang", "param.variant"),
            ("/api/open-data?period=2024Q1&format=docx", "format", "param.variant"),
            ("/api/audit?page=0", "page", "number.range"),
            ("/api/audit?per_page=501", "per_page", "number.range"),
            ("/api/reports?per_page=201", "per_page", "number.range"),
            ("/api/journal?limit=0", "limit", "number.range"),
            ("/api/reports?q=a%00b", "q", "text.nul"),
            ("/api/reports?unit=bak", "unit", "unit.code_format"),
        ] {
            assert_error(&app.get(uri).await.errors(400), field, rule);
        }
        assert_eq!(app.get("/api/audit?page=1&per_page=500&lang=ru").await.status, StatusCode::OK);
    });
}

#[test]
fn the_ways_to_sign_in_are_declared_and_each_route_names_its_own() {
    each_backend(|app| async move {
        let doc = document(&app).await;
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(
            (schemes["bearer"]["type"].as_str(), schemes["bearer"]["scheme"].as_str()),
            (Some("http"), Some("bearer"))
        );
        assert_eq!(
            schemes["session"],
            json!({"type": "apiKey", "in": "cookie", "name": "cb_session",
            "description": schemes["session"]["description"]})
        );
        assert_eq!(
            (schemes["csrf"]["in"].as_str(), schemes["csrf"]["name"].as_str()),
            (Some("header"), Some("x-csrf-token"))
        );
        for (path, method, op) in operations(&doc) {
            let public = ["/api/health", "/api/openapi.json", "/api/units", "/api/open-data"].contains(&path.as_str());
            if public {
                assert!(op.get("security").is_none(), "{method} {path} is public");
                continue;
            }
            let session = if method == "post" { json!({"session": [], "csrf": []}) } else { json!({"session": []}) };
            assert_eq!(op["security"], json!([{"bearer": []}, session]), "{method} {path}");
        }
        // What the document says needs credentials is refused without them.
        let bare =
            app.send_as_is(axum::http::Request::get("/api/reports").body(axum::body::Body::empty()).unwrap()).await;
        bare.problem(401);
    });
}

#[test]
fn every_refusal_an_operation_can_give_is_declared_with_the_problem() {
    each_backend(|app| async move {
        let doc = document(&app).await;
        for (path, method, op) in operations(&doc) {
            let mut statuses = vec!["401", "500", "503"];
            if !["/api/health", "/api/openapi.json"].contains(&path.as_str()) {
                statuses.push("403");
            }
            if method == "post" {
                statuses.extend(["400", "409", "413", "415", "422"]);
            } else if op["parameters"].as_array().is_some_and(|p| !p.is_empty()) {
                statuses.push("400");
            }
            if path.contains("{id}") {
                statuses.push("404");
            }
            for status in statuses {
                let problem = &op["responses"][status]["content"]["application/problem+json"]["schema"]["$ref"];
                assert_eq!(problem, "#/components/schemas/Problem", "{method} {path} {status}");
            }
        }
    });
}

/// Every `$ref` names a schema the document holds: a type only an act
/// carries (a jurisdiction pack's files) is described too.
#[test]
fn every_reference_names_a_schema_of_the_document() {
    each_backend(|app| async move {
        let doc = document(&app).await;
        let mut refs = Vec::new();
        collect_refs(&doc, &mut refs);
        assert!(refs.iter().any(|r| r == "#/components/schemas/Command_adopt_jurisdiction"), "the adoption is an act");
        for reference in refs {
            let name = reference.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{reference}"));
            assert!(doc["components"]["schemas"].get(name).is_some(), "{reference} names no schema");
        }
    });
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::String(r)) = fields.get("$ref") {
                refs.push(r.clone());
            }
            fields.values().for_each(|v| collect_refs(v, refs));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}
