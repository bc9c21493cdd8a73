//! Who may do what, through the real router on both backends: every role
//! against every route, checked against the matrix and the unit tree; a
//! district investigator never sees another district's case; every view of
//! a person leaves an audit record; the session cookie, its CSRF token and
//! signing out; security headers on every answer.

use crate::support::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use crimeboard_domain::access::{Action, Denied, Principal, Role};
use crimeboard_domain::units::UnitCode;
use serde_json::{Value, json};

#[path = "../../../domain/tests/expected/access.rs"]
#[allow(dead_code)]
mod matrix;

/// The demo's units the routes name, as (child, parent).
const DEMO_PARENTS: [(&str, &str); 4] = [("BAK-NSM", "BAK"), ("BAK-YAS", "BAK"), ("BAK", "MIA"), ("MIA", "AZ")];

/// One route with what it needs: the action and the unit of the data.
struct Route {
    method: Method,
    uri: String,
    body: Option<Value>,
    action: Action,
    unit: Option<&'static str>,
    /// The status when allowed.
    ok: u16,
}

fn get(uri: String, action: Action, unit: Option<&'static str>) -> Route {
    Route { method: Method::GET, uri, body: None, action, unit, ok: 200 }
}

fn post(uri: &str, body: Value, action: Action, unit: Option<&'static str>, ok: u16) -> Route {
    Route { method: Method::POST, uri: uri.into(), body: Some(body), action, unit, ok }
}

/// The route's path as the API document names it: ids become `{id}`, a
/// unit's code before `/tasks`, `/receptions` or `/appeals` `{code}`, no query.
fn template(uri: &str) -> String {
    let path = uri.split('?').next().unwrap();
    let segments: Vec<&str> = path.split('/').collect();
    segments
        .iter()
        .enumerate()
        .map(|(i, seg)| match *seg {
            _ if uuid::Uuid::parse_str(seg).is_ok() => "{id}",
            _ if i == 3
                && segments[2] == "units"
                && matches!(segments.get(4), Some(&"tasks" | &"receptions" | &"appeals" | &"series-alerts")) =>
            {
                "{code}"
            }
            seg => seg,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn in_unit(mut data: Value, unit: &str) -> Value {
    data["unit"] = json!(unit);
    data
}

/// Records in two districts, made by the test's investigator at the root.
struct Data {
    nsm_report: String,
    nsm_case: String,
    nsm_person: String,
    yas_report: String,
    yas_person: String,
}

async fn data(app: &App) -> Data {
    let nsm = report(app, "2024-04-02T08:00:00Z").await;
    let yas = app.post("/api/reports", &filing(in_unit(new_report("2024-04-02T09:00:00Z"), "BAK-YAS"))).await.json();
    let nsm_report = nsm["entity_id"].as_str().unwrap().to_string();
    let case = app.post("/api/cases", &filing(new_case(&[&nsm_report], &["177.2"]))).await;
    assert_eq!(case.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&case.body));
    Data {
        nsm_case: case.json()["entity_id"].as_str().unwrap().to_string(),
        nsm_person: nsm["person_ids"][0].as_str().unwrap().to_string(),
        yas_report: yas["entity_id"].as_str().unwrap().to_string(),
        yas_person: yas["person_ids"][0].as_str().unwrap().to_string(),
        nsm_report,
    }
}

/// A briefing pack of one item, its units still to say.
const BRIEFING: &str = "/api/briefing?period=2024Q1&agenda=Crimes%3A+crimes_recorded";

fn routes(d: &Data) -> Vec<Route> {
    use Action::*;
    let mut all = vec![];
    for (path, action) in [
        ("reports", ReadPersonalData),
        ("cases", ReadPersonalData),
        ("persons", ReadPersonalData),
        ("accountability", ReadPersonalData),
        ("seizures", ReadRecords),
        ("accidents", ReadRecords),
        ("examinations", ReadRecords),
    ] {
        all.push(get(format!("/api/{path}"), action, None));
        all.push(get(format!("/api/{path}?unit=BAK-NSM"), action, Some("BAK-NSM")));
    }
    all.extend([
        get(format!("/api/reports/{}", d.nsm_report), ReadPersonalData, Some("BAK-NSM")),
        get(format!("/api/reports/{}", d.yas_report), ReadPersonalData, Some("BAK-YAS")),
        get(format!("/api/cases/{}", d.nsm_case), ReadPersonalData, Some("BAK-NSM")),
        get(format!("/api/persons/{}", d.nsm_person), ReadPersonalData, Some("BAK-NSM")),
        get(format!("/api/persons/{}", d.yas_person), ReadPersonalData, Some("BAK-YAS")),
        get("/api/report?period=2024Q1&unit=BAK-NSM".into(), ReadFigures, Some("BAK-NSM")),
        get("/api/report?period=2024Q1&unit=BAK-YAS".into(), ReadFigures, Some("BAK-YAS")),
        get("/api/report?period=2024Q1&unit=BAK-NSM&format=csv".into(), ExportFigures, Some("BAK-NSM")),
        get("/api/signals?period=2024Q1&unit=BAK-NSM".into(), ReadSignals, Some("BAK-NSM")),
        get("/api/signals?period=2024Q1&unit=BAK-YAS".into(), ReadSignals, Some("BAK-YAS")),
        get(format!("{BRIEFING}&units=BAK-NSM"), ReadFigures, Some("BAK-NSM")),
        get(format!("{BRIEFING}&units=BAK-YAS"), ReadFigures, Some("BAK-YAS")),
        get(format!("{BRIEFING}&units=BAK-NSM&format=pdf"), ExportFigures, Some("BAK-NSM")),
        get("/api/journal?unit=BAK-NSM".into(), ReadJournal, Some("BAK-NSM")),
        get("/api/verify".into(), VerifyChains, None),
        get("/api/audit".into(), ReadAudit, None),
        get("/api/units".into(), ReadPublicFigures, None),
        get("/api/open-data?period=2024Q1".into(), ReadPublicFigures, None),
    ]);
    for unit in ["BAK-NSM", "BAK-YAS"] {
        all.push(post(
            "/api/reports",
            filing(in_unit(new_report("2024-04-03T08:00:00Z"), unit)),
            RegisterReport,
            Some(unit),
            201,
        ));
    }
    // Detected by the police themselves, so each role that may opens its own.
    let mut case = filing(new_case(&[], &["177.2"]));
    case["data"]["detected_by_police"] = json!(true);
    all.push(post("/api/cases", case, WorkCase, Some("BAK-NSM"), 201));
    let mut command = new_report("2024-04-18T10:00:00Z");
    command["act"] = json!("register_report");
    let act = json!({"actor": "someone", "legal_ground": "CPC art. 207", "command": command});
    all.push(post("/api/acts", act.clone(), RegisterReport, Some("BAK-NSM"), 201));
    all.push(post("/api/acts/batch", json!({"submissions": [act]}), RegisterReport, Some("BAK-NSM"), 201));
    // The other registers: the role is checked before the body (422 when allowed) and the id (404).
    let nobody = uuid::Uuid::nil();
    for (path, action, read) in [
        ("seizures", WorkCase, ReadRecords),
        ("accountability", WorkCase, ReadPersonalData),
        ("accidents", RecordAccident, ReadRecords),
        ("examinations", WorkCase, ReadRecords),
    ] {
        all.push(post(&format!("/api/{path}"), json!({}), action, None, 422));
        all.push(Route { ok: 404, ..get(format!("/api/{path}/{nobody}"), read, None) });
    }
    // The Board's follow-up: lists narrowed to the caller's units, a unit's queue in that unit.
    all.extend([
        get("/api/meetings".into(), ReadTasks, None),
        get("/api/meetings?unit=BAK-NSM".into(), ReadTasks, Some("BAK-NSM")),
        Route { ok: 404, ..get(format!("/api/meetings/{nobody}"), ReadTasks, None) },
        Route { ok: 404, ..get(format!("/api/meetings/{nobody}/commitments"), ReadTasks, None) },
        get("/api/tasks".into(), ReadTasks, None),
        get("/api/tasks?unit=BAK-NSM".into(), ReadTasks, Some("BAK-NSM")),
        Route { ok: 404, ..get(format!("/api/tasks/{nobody}"), ReadTasks, None) },
        get("/api/units/BAK-NSM/tasks".into(), ReadTasks, Some("BAK-NSM")),
        get("/api/units/BAK-YAS/tasks".into(), ReadTasks, Some("BAK-YAS")),
        get("/api/releases".into(), ReadFigures, None),
        get("/api/releases?unit=BAK-NSM".into(), ReadFigures, Some("BAK-NSM")),
        Route { ok: 404, ..get(format!("/api/releases/{nobody}"), ReadFigures, None) },
        // Receptions name their visitors; a unit's schedule is read by those who book.
        get("/api/receptions".into(), ReadPersonalData, None),
        get("/api/receptions?unit=BAK-NSM".into(), ReadPersonalData, Some("BAK-NSM")),
        Route { ok: 404, ..get(format!("/api/receptions/{nobody}"), ReadPersonalData, None) },
        get("/api/units/BAK-NSM/receptions".into(), BookReceptions, Some("BAK-NSM")),
        get("/api/units/BAK-YAS/receptions".into(), BookReceptions, Some("BAK-YAS")),
        // Citizens' appeals: the register narrowed to the caller's units, a unit's queue in that unit.
        get("/api/appeals".into(), ReadAppeals, None),
        get("/api/appeals?unit=BAK-NSM".into(), ReadAppeals, Some("BAK-NSM")),
        Route { ok: 404, ..get(format!("/api/appeals/{nobody}"), ReadAppeals, None) },
        get("/api/units/BAK-NSM/appeals".into(), ReadAppeals, Some("BAK-NSM")),
        get("/api/units/BAK-YAS/appeals".into(), ReadAppeals, Some("BAK-YAS")),
        get("/api/publications".into(), ReadFigures, None),
        get("/api/publications?unit=BAK-NSM".into(), ReadFigures, Some("BAK-NSM")),
        Route { ok: 404, ..get(format!("/api/publications/{nobody}"), ReadFigures, None) },
        Route { ok: 404, ..get(format!("/api/publications/{nobody}/revisions"), ReadFigures, None) },
        // Freeze requests name a victim's account: read as personal data.
        get("/api/freezes".into(), ReadPersonalData, None),
        get("/api/freezes?unit=BAK-NSM&status=sent".into(), ReadPersonalData, Some("BAK-NSM")),
        Route { ok: 404, ..get(format!("/api/freezes/{nobody}"), ReadPersonalData, None) },
        get("/api/samples".into(), ReadSamples, None),
        get("/api/samples?unit=BAK-NSM".into(), ReadSamples, Some("BAK-NSM")),
        Route { ok: 404, ..get(format!("/api/samples/{nobody}"), ReadSamples, None) },
        Route { ok: 404, ..get(format!("/api/samples/{nobody}/findings"), ReadSamples, None) },
    ]);
    let appeal = json!({"act": "register_appeal", "unit": "BAK-NSM", "addressed_to": "BAK-NSM", "channel": "written",
        "kind": "application", "received_at": "2024-04-03T08:00:00Z",
        "applicants": {"kind": "person", "person": {"full_name": "Məmmədov Rauf"}},
        "subject": "Sənəd", "text": "Arayış lazımdır"});
    let appeal = json!({"actor": "someone", "legal_ground": "Law on Citizens' Appeals", "command": appeal});
    all.push(post("/api/acts", appeal, HandleAppeals, Some("BAK-NSM"), 201));
    // Identifiers: the role is checked before the body; a malformed identifier,
    // a removal without its fields and a request for a unit holding no match
    // are refused by the rules (422 when allowed).
    let attach = json!({"subject": {"kind": "case", "id": d.nsm_case},
        "identifier": {"kind": "imei", "input": "490154203237519"}, "legal_ground": "CPC art. 207"});
    all.push(post("/api/identifiers/attachments", attach, RecordIdentifiers, None, 422));
    all.push(post("/api/identifiers/removals", json!({}), RecordIdentifiers, None, 422));
    let lookup = json!({"kind": "phone", "value": "050 123 45 67"});
    all.push(post("/api/identifiers/lookup", lookup, ReadPersonalData, None, 200));
    let ask = json!({"key": {"kind": "phone", "value": "+994501234567"}, "unit": "BAK-NSM", "reason": "A series"});
    all.push(post("/api/identifiers/access-requests", ask, ReadPersonalData, None, 422));
    // Series: one read by whoever reads personal data somewhere, a unit's alerts in that unit.
    all.push(Route { ok: 404, ..get(format!("/api/series/{nobody}"), ReadPersonalData, None) });
    all.push(get("/api/series".into(), ReadPersonalData, None));
    all.push(get("/api/units/BAK-NSM/series-alerts".into(), ReadPersonalData, Some("BAK-NSM")));
    all.push(get("/api/units/BAK-YAS/series-alerts".into(), ReadPersonalData, Some("BAK-YAS")));
    all.push(get("/api/health".into(), ReadPublicFigures, None));
    all.push(get("/api/openapi.json".into(), ReadPublicFigures, None));
    all
}

/// What the matrix written out as data and the demo's tree say the answer must be.
fn expected(principal: &Principal, route: &Route) -> u16 {
    let grants: Vec<&str> = principal.grants.iter().map(UnitCode::as_str).collect();
    let tree = matrix::Tree(&DEMO_PARENTS);
    // A list without a unit is narrowed to the caller's units, not refused.
    let answer = |action| matrix::expected(principal.role, principal.home.as_str(), &grants, action, route.unit, &tree);
    let mut result = answer(route.action);
    if route.action == Action::ExportFigures && result.is_ok() {
        result = answer(Action::ReadFigures);
    }
    match result {
        Ok(()) => route.ok,
        Err(Denied::Unauthenticated) => 401,
        Err(_) => 403,
    }
}

async fn send(app: &App, route: &Route, token: Option<&str>) -> Reply {
    let mut req = Request::builder().method(route.method.clone()).uri(&route.uri);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = match &route.body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(serde_json::to_vec(b).unwrap())
        }
        None => Body::empty(),
    };
    app.send_as_is(req.body(body).unwrap()).await
}

#[test]
fn every_role_against_every_route() {
    each_backend(|app| async move {
        let d = data(&app).await;
        let r = app.registry.clone();
        // Every role at a district, and an analyst at headquarters without grants.
        let users = tokio::task::spawn_blocking(move || {
            let mut users: Vec<(String, Role, &str, Vec<&str>)> = Role::ALL
                .iter()
                .filter(|r| r.is_staff())
                .map(|role| (format!("d-{role}"), *role, "BAK-NSM", vec![]))
                .collect();
            users.push(("hq-analyst".into(), Role::HqAnalyst, "MIA", vec![]));
            users.push(("hq-analyst-granted".into(), Role::HqAnalyst, "MIA", vec!["BAK-YAS"]));
            users
                .into_iter()
                .map(|(login, role, unit, grants)| {
                    let token = user_with_token(&r, &login, role, unit, &grants);
                    let principal = Principal {
                        login,
                        role,
                        home: UnitCode::parse(unit).unwrap(),
                        grants: grants.iter().map(|g| UnitCode::parse(g).unwrap()).collect(),
                        token_scope: None,
                    };
                    (principal, Some(token))
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap();
        // Every route of the API is walked.
        let doc = app.get("/api/openapi.json").await.json();
        let walked: std::collections::BTreeSet<(String, String)> =
            routes(&d).iter().map(|r| (r.method.as_str().to_lowercase(), template(&r.uri))).collect();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for method in ops.as_object().unwrap().keys() {
                assert!(walked.contains(&(method.clone(), path.clone())), "{method} {path} is not walked");
            }
        }
        let public = (app.registry.anonymous(), None);
        let mut checked = 0;
        for (principal, token) in users.iter().chain(std::iter::once(&public)) {
            for route in routes(&d) {
                let want = expected(principal, &route);
                let reply = send(&app, &route, token.as_deref()).await;
                assert_eq!(
                    reply.status.as_u16(),
                    want,
                    "{} {} as {} at {}: {}",
                    route.method,
                    route.uri,
                    principal.role,
                    principal.home,
                    String::from_utf8_lossy(&reply.body)
                );
                if want >= 400 {
                    reply.problem(want);
                }
                checked += 1;
            }
        }
        assert!(checked > 300, "{checked}");
    });
}

#[test]
fn a_district_investigator_never_sees_another_districts_case() {
    each_backend(|app| async move {
        let d = data(&app).await;
        let r = app.registry.clone();
        let token =
            tokio::task::spawn_blocking(move || user_with_token(&r, "nsm-inv", Role::Investigator, "BAK-NSM", &[]))
                .await
                .unwrap();
        let as_inv = |uri: String| {
            let token = token.clone();
            let app = &app;
            async move {
                let req = Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {token}"));
                app.send_as_is(req.body(Body::empty()).unwrap()).await
            }
        };
        let seen = as_inv("/api/reports".into()).await.json();
        let units: Vec<&str> = seen["items"].as_array().unwrap().iter().map(|i| i["unit"].as_str().unwrap()).collect();
        assert_eq!(units, ["BAK-NSM"], "the list holds only the district's own");
        let errors = as_inv(format!("/api/reports/{}", d.yas_report)).await.errors(403);
        assert_error(&errors, "", "access.scope");
        as_inv("/api/reports?unit=BAK-YAS".into()).await.problem(403);
        as_inv("/api/persons?unit=BAK".into()).await.problem(403);
        let persons = as_inv("/api/persons?q=Leyla".into()).await.json();
        assert_eq!(persons["items"].as_array().unwrap().len(), 1);
        // Recording in the other district is refused, and nothing is written.
        let before = app.position().await;
        let body = serde_json::to_vec(&filing(in_unit(new_report("2024-04-03T08:00:00Z"), "BAK-YAS"))).unwrap();
        let req = Request::post("/api/reports")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json");
        app.send_as_is(req.body(Body::from(body)).unwrap()).await.problem(403);
        assert_eq!(app.position().await, before);
        // A case opened from the other district's report is refused too.
        let body = serde_json::to_vec(&filing(new_case(&[&d.yas_report], &["177.2"]))).unwrap();
        let req = Request::post("/api/cases")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json");
        app.send_as_is(req.body(Body::from(body)).unwrap()).await.problem(403);
        assert_eq!(app.position().await, before);
    });
}

async fn audit_records(app: &App, query: &str) -> Vec<Value> {
    let reply = app.get(&format!("/api/audit?{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()["items"].as_array().unwrap().clone()
}

#[test]
fn viewing_a_person_leaves_an_audit_record() {
    each_backend(|app| async move {
        let d = data(&app).await;
        assert!(audit_records(&app, "action=view.person").await.is_empty());
        assert_eq!(app.get(&format!("/api/persons/{}", d.nsm_person)).await.status, StatusCode::OK);
        let records = audit_records(&app, "action=view.person").await;
        assert_eq!(records.len(), 1);
        assert_eq!(records[0]["actor"], "officer-1");
        assert_eq!(records[0]["target"], d.nsm_person);
        // A case view, a list and a change are recorded too; a refused look is not a view.
        app.get(&format!("/api/cases/{}", d.nsm_case)).await;
        app.get("/api/cases").await;
        assert_eq!(audit_records(&app, &format!("target={}", d.nsm_case)).await.len(), 2, "opened, then viewed");
        assert_eq!(audit_records(&app, "action=list.case").await.len(), 1);
        assert_eq!(audit_records(&app, "action=act.register_report").await.len(), 2);
        // Exports too.
        app.get("/api/report?period=2024Q1&format=csv").await;
        assert_eq!(audit_records(&app, "action=export.report").await.len(), 1);
        let r = app.registry.clone();
        assert!(tokio::task::spawn_blocking(move || r.audit_verify().unwrap()).await.unwrap().is_ok());
    });
}

#[test]
fn no_credentials_is_401_and_a_bad_or_revoked_token_too() {
    each_backend(|app| async move {
        let bare = Request::get("/api/cases").body(Body::empty()).unwrap();
        let p = app.send_as_is(bare).await.problem(401);
        assert_eq!(p["type"], "https://crimeboard.example/problems/access.unauthenticated");
        let en = Request::get("/api/cases?lang=en").body(Body::empty()).unwrap();
        assert_eq!(app.send_as_is(en).await.problem(401)["title"], "Sign in first");
        let forged =
            Request::get("/api/cases").header(header::AUTHORIZATION, "Bearer cbt_00").body(Body::empty()).unwrap();
        app.send_as_is(forged).await.problem(401);
        // Health and the API document need nobody.
        assert_eq!(
            app.send_as_is(Request::get("/api/health").body(Body::empty()).unwrap()).await.status,
            StatusCode::OK
        );

        let r = app.registry.clone();
        let (id, secret) = tokio::task::spawn_blocking(move || {
            let _ = user_with_token(&r, "client", Role::UnitChief, "BAK", &[]);
            let (t, s) = r.create_token("client", "figures", &[Action::ReadFigures], &r.console()).unwrap();
            (t.id, s)
        })
        .await
        .unwrap();
        let with = |uri: &str| {
            Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {secret}")).body(Body::empty()).unwrap()
        };
        assert_eq!(app.send_as_is(with("/api/report?period=2024Q1&unit=BAK")).await.status, StatusCode::OK);
        assert_error(&app.send_as_is(with("/api/cases")).await.errors(403), "", "access.token");
        let r = app.registry.clone();
        tokio::task::spawn_blocking(move || r.revoke_token("client", id, &r.console()).unwrap()).await.unwrap();
        app.send_as_is(with("/api/report?period=2024Q1&unit=BAK")).await.problem(401);
    });
}

#[test]
fn every_answer_carries_the_security_headers() {
    each_backend(|app| async move {
        for uri in ["/api/health", "/api/nowhere", "/auth/login", "/api/cases"] {
            let reply = app.send_as_is(Request::get(uri).body(Body::empty()).unwrap()).await;
            let csp = reply.header("content-security-policy");
            assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
            assert!(!csp.contains("unsafe-inline"), "{csp}");
            assert_eq!(reply.header("x-content-type-options"), "nosniff", "{uri}");
            assert_eq!(reply.header("referrer-policy"), "no-referrer", "{uri}");
        }
    });
}

#[test]
fn the_public_sees_figures_only_with_small_cells_hidden() {
    each_backend(|app| async move {
        data(&app).await;
        let anonymous = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
        let open = app.send_as_is(anonymous("/api/open-data?period=2024Q2")).await;
        assert_eq!(open.status, StatusCode::OK, "{}", String::from_utf8_lossy(&open.body));
        let rows = open.json()["rows"].as_array().unwrap().clone();
        assert!(rows.iter().any(|r| r["suppressed"] == true), "one case in a district is a small cell");
        assert!(rows.iter().all(|r| !matches!(r["value"].as_i64(), Some(1 | 2))), "a small count is shown");
        // The figures as counted are not the public's.
        app.send_as_is(anonymous("/api/report?period=2024Q2")).await.problem(401);
        // The threshold is not the caller's to lower.
        app.send_as_is(anonymous("/api/open-data?period=2024Q2&threshold=1")).await.problem(400);
    });
}

#[test]
fn a_request_over_the_time_limit_is_a_503() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        use std::time::Duration;
        use tower::ServiceExt;
        let slow = || async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        };
        let limit = Duration::from_millis(20);
        let router = axum::Router::new().route("/slow", axum::routing::get(slow)).layer(axum::middleware::from_fn(
            move |req, next| crimeboard_web::auth::headers::time_limit(limit, req, next),
        ));
        let res = router.oneshot(Request::get("/slow").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    });
}
