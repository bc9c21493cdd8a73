//! The OpenAPI document describes the API as built.

use crate::support::*;
use axum::http::StatusCode;

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
