use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::{DateTime, Utc};
use crimeboard_domain::access::{self, Action, Role};
use crimeboard_service::{Clock, Registry, demo_units};
use crimeboard_store::testing::{TestStore, backends};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::future::Future;
use std::sync::Arc;
use tower::ServiceExt;

/// "Now" for every test.
pub const NOW: &str = "2024-04-19T10:00:00Z";

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// The card key of the tests' registries.
pub const CARD_KEY: &[u8] = b"the API tests' card key, 32 bytes";

/// The real router over a real registry with the demo units and a fixed clock.
#[derive(Clone)]
pub struct App {
    pub backend: &'static str,
    pub router: Router,
    pub registry: Arc<Registry>,
    pub db: Arc<TestStore>,
    /// An API token per role, each at the root unit, for requests that bring no credentials.
    pub tokens: std::collections::BTreeMap<Role, String>,
}

/// A user of a role at a unit, with an API token for everything the role may do.
/// Made straight in the store: these users never sign in with a password.
pub fn user_with_token(registry: &Registry, login: &str, role: Role, unit: &str, grants: &[&str]) -> String {
    let row = crimeboard_store::accounts::UserRow {
        login: login.into(),
        display_name: login.into(),
        role: role.as_str().into(),
        home_unit: unit.into(),
        grants: grants.iter().map(|g| g.to_string()).collect(),
        password_hash: "no password".into(),
        totp_secret: None,
        totp_enrolled: true,
        disabled: false,
        created_at: at(NOW),
    };
    registry.store().accounts().add_user(&row).unwrap();
    let actions: Vec<Action> = Action::ALL.into_iter().filter(|a| access::allows(role, *a)).collect();
    registry.create_token(login, "tests", &actions, &registry.console()).unwrap().1
}

/// Which role's token a request made without credentials is sent with: one
/// whose work it is, so the tests of other rules are not refused for access.
fn role_for(method: &axum::http::Method, uri: &axum::http::Uri, body: &[u8]) -> Role {
    let text = String::from_utf8_lossy(body);
    let (path, query) = (uri.path(), uri.query().unwrap_or(""));
    let page = !path.starts_with("/api");
    match (method.as_str(), path) {
        // The pages: the queue is a chief's or a duty officer's home, a file of records a chief's.
        ("GET", "/") | ("GET", "/report") => Role::UnitChief,
        ("GET", _) if page && (query.contains("format=csv") || query.contains("format=xlsx")) => Role::UnitChief,
        (_, p) if page && p.ends_with("/complete") => Role::ForensicExpert,
        // The Board's pages: the owner's chief reports back, the controller decides, the secretary keeps the rest.
        (_, p) if page && p.starts_with("/tasks/") && p.ends_with("/report") => Role::UnitChief,
        (_, p) if page && p.starts_with("/tasks/") && p.ends_with("/control") => Role::Controller,
        (_, p) if page && (p.starts_with("/meetings") || p.starts_with("/tasks/")) => Role::BoardSecretary,
        ("GET", p) if p.starts_with("/api/report") || p.starts_with("/api/verify") => Role::HqAnalyst,
        ("GET", p) if p.starts_with("/api/signals") || p.starts_with("/signals") => Role::HqAnalyst,
        ("GET", p) if p.starts_with("/api/publications") => Role::HqAnalyst,
        // Inspection: the inspector draws, reviews and reads the samples.
        ("POST", _) if text.contains("\"draw_sample\"") || text.contains("\"review_sample\"") => Role::Inspector,
        (_, p) if p.starts_with("/api/samples") || p.starts_with("/samples") => Role::Inspector,
        ("GET", p) if p.starts_with("/api/briefing") || p.starts_with("/board/") => Role::HqAnalyst,
        ("GET", p) if p.starts_with("/api/journal") => Role::UnitChief,
        ("GET", p) if p.starts_with("/api/audit") => Role::Administrator,
        ("POST", _) if text.contains("\"annul\"") => Role::UnitChief,
        ("POST", _) if text.contains("\"complete_examination\"") => Role::ForensicExpert,
        // The Board's work: the secretary keeps it, chiefs report back, the controller decides.
        ("POST", _) if text.contains("\"report_on_task\"") => Role::UnitChief,
        ("POST", _) if text.contains("\"control_task\"") => Role::Controller,
        ("POST", _) if ["schedule_meeting", "record_minutes", "issue_task"].iter().any(|a| text.contains(a)) => {
            Role::BoardSecretary
        }
        // The press release: the press officer drafts, edits, approves, publishes and reads it.
        ("POST", _)
            if [
                "draft_release",
                "write_release",
                "edit_release",
                "approve_release",
                "publish_release",
                "publish_report",
            ]
            .iter()
            .any(|a| text.contains(a)) =>
        {
            Role::PressOfficer
        }
        (_, p) if p.starts_with("/api/releases") || p.starts_with("/releases") => Role::PressOfficer,
        // Citizens' appeals: the unit's appeals office.
        ("POST", _) if text.contains("_appeal\"") => Role::AppealsOfficer,
        ("GET", p) if p.starts_with("/api/appeals") || p.ends_with("/appeals") => Role::AppealsOfficer,
        ("GET", p) if p.starts_with("/api/meetings") || p.starts_with("/api/tasks") || p.ends_with("/tasks") => {
            Role::BoardSecretary
        }
        // A chief's receptions of citizens: the chief keeps and reads them.
        ("POST", _) if text.contains("_reception\"") || text.contains("\"cancel_booking\"") => Role::UnitChief,
        (_, p) if p.starts_with("/api/receptions") || p.ends_with("/receptions") => Role::UnitChief,
        _ => Role::Investigator,
    }
}

/// Runs an async test once per backend. The stores are made and dropped
/// outside the runtime: the PostgreSQL client blocks, which a runtime forbids.
pub fn each_backend<F, Fut>(test: F)
where
    F: Fn(App) -> Fut,
    Fut: Future<Output = ()>,
{
    for db in backends() {
        let db = Arc::new(db);
        let clock: Clock = Arc::new(|| at(NOW));
        let key = crimeboard_service::seal::SecretKey::generate("test key").unwrap();
        let registry = Arc::new(
            Registry::new(db.store.clone(), clock).unwrap().with_secret_key(key).with_card_key(CARD_KEY.to_vec()),
        );
        registry.add_units(&registry.system("tests"), &demo_units(), &registry.units_added_today("tests")).unwrap();
        let tokens = [
            // The investigator's login is the actor the tests' filings name.
            ("officer-1", Role::Investigator),
            ("analyst", Role::HqAnalyst),
            ("chief", Role::UnitChief),
            ("expert", Role::ForensicExpert),
            ("admin", Role::Administrator),
            ("secretary", Role::BoardSecretary),
            ("controller", Role::Controller),
            ("press", Role::PressOfficer),
            ("appeals", Role::AppealsOfficer),
            ("inspector", Role::Inspector),
        ]
        .into_iter()
        .map(|(login, role)| (role, user_with_token(&registry, login, role, "AZ", &["AZ"])))
        .collect();
        let app = App {
            backend: db.name,
            router: crimeboard_web::router(registry.clone()),
            registry: registry.clone(),
            db: db.clone(),
            tokens,
        };
        eprintln!("-- backend: {}", db.name);
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(test(app));
        drop(runtime);
        drop(registry);
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body, checked to be an RFC 9457 problem with the expected status.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "{}", String::from_utf8_lossy(&self.body));
        assert_eq!(self.header(header::CONTENT_TYPE.as_str()), "application/problem+json");
        let p = self.json();
        assert_eq!(p["status"], status);
        for key in ["type", "title", "detail", "request_id"] {
            assert!(p[key].as_str().is_some_and(|s| !s.is_empty()), "problem without {key}: {p}");
        }
        assert!(p["type"].as_str().unwrap().starts_with("https://crimeboard.example/problems/"));
        p
    }

    /// The (field, rule) pairs of a problem.
    pub fn errors(&self, status: u16) -> Vec<(String, String)> {
        let p = self.problem(status);
        p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["field"].as_str().unwrap().to_string(), e["rule"].as_str().unwrap().to_string()))
            .collect()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

pub fn assert_error(found: &[(String, String)], field: &str, rule: &str) {
    assert!(found.iter().any(|(f, r)| f == field && r == rule), "expected {field}: {rule}, found {found:?}");
}

impl App {
    /// The same routes, behind these trusted reverse proxies.
    pub fn router_behind(&self, proxies: &[&str]) -> Router {
        let trusted_proxies = proxies.iter().map(|p| p.parse().unwrap()).collect();
        crimeboard_web::router_with(
            self.registry.clone(),
            crimeboard_web::auth::Settings { trusted_proxies, ..Default::default() },
        )
    }

    /// Sends a request; one without credentials goes with the token of a
    /// role whose work it is (see `role_for`).
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let (mut parts, body) = req.into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        let session =
            parts.headers.get_all(header::COOKIE).iter().any(|c| c.to_str().unwrap_or("").contains("cb_session="));
        let bare = !parts.headers.contains_key(header::AUTHORIZATION) && !session;
        if bare {
            let token = &self.tokens[&role_for(&parts.method, &parts.uri, &body)];
            parts.headers.insert(header::AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
        }
        self.send_as_is(Request::from_parts(parts, Body::from(body))).await
    }

    /// Sends a request with exactly the credentials it carries, or none.
    pub async fn send_as_is(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply { status, headers, body }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    pub async fn post(&self, uri: &str, body: &Value) -> Reply {
        self.post_raw(uri, Some("application/json"), serde_json::to_vec(body).unwrap()).await
    }

    pub async fn post_raw(&self, uri: &str, content_type: Option<&str>, body: Vec<u8>) -> Reply {
        let mut req = Request::post(uri);
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Runs SQL behind the API's back, off the runtime (the PostgreSQL client blocks).
    pub async fn tamper(&self, sql: &'static str) {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || db.tamper(sql)).await.unwrap().unwrap();
    }

    /// The last journal position, read through the API.
    pub async fn position(&self) -> i64 {
        let reply = self.get("/api/health").await;
        assert_eq!(reply.status, StatusCode::OK);
        reply.json()["position"].as_i64().unwrap()
    }
}

pub fn applicant(fin: &str) -> Value {
    json!({"role": "applicant", "full_name": "Leyla Əliyeva", "fin": fin, "sex": "female"})
}

/// What a duty officer types for a report received at `received_at`.
pub fn new_report(received_at: &str) -> Value {
    json!({
        "unit": "BAK-NSM",
        "channel": "in_person",
        "received_at": received_at,
        "officer": "Duty officer Məmmədov",
        "applicant": applicant("5ABC12D"),
        "summary": "Mənzildən zinət əşyaları oğurlanıb"
    })
}

/// A register's entry as filed. A report received more than the demo
/// rules' 72 hours before NOW is filed with the reason those rules ask for
/// (the rule itself is held by `late.rs`).
pub fn filing(data: Value) -> Value {
    let mut filed = json!({"actor": "officer-1", "legal_ground": "CPC art. 207", "data": data});
    if let Some(late) = late_reason_for(&filed["data"]) {
        filed["late"] = late;
    }
    filed
}

/// The late reason a report's `received_at` calls for, if any.
pub fn late_reason_for(report: &Value) -> Option<Value> {
    let received = chrono::DateTime::parse_from_rfc3339(report["received_at"].as_str()?).ok()?;
    let late = at(NOW) - received.with_timezone(&chrono::Utc) > chrono::Duration::hours(72);
    late.then(|| json!({"reason": "applicant_came_late", "text": "Written report brought in later"}))
}

pub fn new_case(report_ids: &[&str], articles: &[&str]) -> Value {
    json!({
        "unit": "BAK-NSM",
        "agency": "mia",
        "report_ids": report_ids,
        "articles": articles,
        "occurred_at": "2024-04-01T20:00:00Z",
        "registered_at": "2024-04-03T09:00:00Z",
        "description": "Mənzil oğurluğu"
    })
}

/// Registers a report through the API and returns its receipt.
pub async fn report(app: &App, received_at: &str) -> Value {
    let reply = app.post("/api/reports", &filing(new_report(received_at))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()
}

/// The demo pack with its `jurisdiction.toml` changed by `edit` (a text in
/// it and its replacement, each found exactly once).
pub fn demo_pack_with(edits: &[(&str, &str)]) -> crimeboard_service::PackFiles {
    let mut files = crimeboard_service::demo_files();
    let mut about = files.0["jurisdiction.toml"].clone();
    for (from, to) in edits {
        assert_eq!(about.matches(from).count(), 1, "{from:?} once in the demo's jurisdiction.toml");
        about = about.replace(from, to);
    }
    files.0.insert("jurisdiction.toml".into(), about);
    files
}

/// The demo pack offering English and Russian, English by default.
pub fn english_and_russian_pack() -> crimeboard_service::PackFiles {
    demo_pack_with(&[
        ("languages = [\"az\", \"ru\", \"en\"]", "languages = [\"en\", \"ru\"]"),
        ("default_language = \"az\"", "default_language = \"en\""),
    ])
}

/// Adopts a pack as the system, as `crimeboard jurisdiction apply` does.
pub async fn adopt_pack(app: &App, files: crimeboard_service::PackFiles) {
    let r = app.registry.clone();
    tokio::task::spawn_blocking(move || {
        let adoption = crimeboard_domain::jurisdiction::Adoption {
            files,
            effective_from: chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
        };
        r.adopt_jurisdiction(&r.system("tests"), "Order No. 1", adoption).expect("the pack is adopted");
    })
    .await
    .unwrap();
}
