//! Hostile input against every route and form: SQL and script injection,
//! path traversal, overlong and malformed UTF-8 text, huge numbers, deeply
//! nested JSON, forged CSRF tokens, stolen and made-up session cookies.
//! Every answer is clean (no 5xx; an API refusal is a problem document; a
//! search finds nothing), nothing is written to the registers, no account is
//! made, and no page echoes markup.

use crate::support::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

/// Text that tries to be something other than text.
fn corpus() -> Vec<String> {
    vec![
        "' OR '1'='1".into(),
        "1; DROP TABLE journal; --".into(),
        "%' OR 1=1 --".into(),
        "\\\\'; SELECT pg_sleep(5); --".into(),
        "<script>alert(1)</script>".into(),
        "\"><img src=x onerror=alert(1)>".into(),
        "../../../../etc/passwd".into(),
        "..\\\\..\\\\windows\\\\win.ini".into(),
        "\u{0000}".into(),
        "\u{202e}gnp.exe".into(),
        "A".repeat(20_000),
        "99999999999999999999999999999".into(),
        "-1".into(),
        "1e309".into(),
        "NaN".into(),
    ]
}

fn encoded(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

const QUERY_PARAMS: [&str; 10] = ["unit", "q", "status", "number", "parent", "from", "to", "page", "per_page", "sort"];
const REGISTERS: [&str; 7] = ["reports", "cases", "persons", "seizures", "accountability", "accidents", "examinations"];

fn assert_clean(reply: &Reply, what: &str) {
    assert!(reply.status.as_u16() < 500, "{what}: {} {}", reply.status, String::from_utf8_lossy(&reply.body));
    if reply.status.is_client_error() {
        assert_eq!(reply.header("content-type"), "application/problem+json", "{what}");
    }
    if reply.status == StatusCode::OK
        && reply.header("content-type").starts_with("application/json")
        && let Some(items) = reply.json().get("items")
    {
        assert!(items.as_array().unwrap().is_empty(), "{what} found something: {items}");
    }
}

#[test]
fn hostile_text_in_every_query_and_path_finds_nothing_and_breaks_nothing() {
    each_backend(|app| async move {
        report(&app, "2024-04-02T08:00:00Z").await;
        let before = app.position().await;
        for text in corpus() {
            let e = encoded(&text);
            for register in REGISTERS {
                for param in QUERY_PARAMS {
                    let uri = format!("/api/{register}?{param}={e}");
                    assert_clean(&app.get(&uri).await, &uri);
                }
                let uri = format!("/api/{register}/{e}");
                assert_clean(&app.get(&uri).await, &uri);
            }
            for uri in [
                format!("/api/report?period={e}"),
                format!("/api/report?period=2024Q1&unit={e}"),
                format!("/api/report?period=2024Q1&at={e}"),
                format!("/api/report?period=2024Q1&format={e}"),
                format!("/api/journal?unit={e}"),
                format!("/api/journal?after={e}"),
                format!("/api/journal?limit={e}"),
                format!("/api/audit?actor={e}"),
                format!("/api/audit?from={e}"),
                format!("/api/audit?page={e}"),
                format!("/api/{e}"),
            ] {
                assert_clean(&app.get(&uri).await, &uri);
            }
        }
        assert_eq!(app.position().await, before, "a read wrote to the journal");
    });
}

#[test]
fn an_unknown_sort_is_a_400_naming_it_in_the_language_asked_for() {
    each_backend(|app| async move {
        for register in REGISTERS {
            let uri = format!("/api/{register}?sort=name%3B%20DROP%20TABLE%20records");
            assert_error(&app.get(&uri).await.errors(400), "sort", "param.variant");
        }
        let ru = app.get("/api/reports?sort=bogus&lang=ru").await.problem(400);
        assert_eq!(
            ru["errors"][0]["message"],
            "Параметр sort не может быть «bogus»; допустимо: newest, oldest, number, number_desc, unit, unit_desc, \
             deadline, deadline_desc."
        );
        // A deadline runs on reports only.
        assert_error(&app.get("/api/cases?sort=deadline").await.errors(400), "sort", "form.choice");
        let en = app.get("/api/cases?sort=deadline&lang=en").await.problem(400);
        assert_eq!(en["errors"][0]["message"], "Choose from the list.");
        assert_eq!(app.get("/api/reports?sort=deadline_desc").await.status, StatusCode::OK);
        // A known order pages: the second by number is the second registered.
        report(&app, "2024-04-03T08:00:00Z").await;
        report(&app, "2024-04-02T08:00:00Z").await;
        let second = app.get("/api/reports?sort=number&per_page=1&page=2").await.json();
        assert_eq!(second["items"][0]["number"], "M-BAK-NSM-2024-000002", "{second}");
        let first_desc = app.get("/api/reports?sort=number_desc&per_page=1").await.json();
        assert_eq!(first_desc["items"][0]["number"], "M-BAK-NSM-2024-000002", "{first_desc}");
    });
}

/// Bodies that are not what they claim: bad UTF-8, bombs, huge numbers,
/// hostile values where codes and ids go.
fn hostile_bodies() -> Vec<Vec<u8>> {
    let mut bodies = vec![
        vec![0xc0, 0xaf, 0xff, 0xfe],
        b"{\"actor\": \"\xc0\xaf\"}".to_vec(),
        "[".repeat(100_000).into_bytes(),
        format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)).into_bytes(),
        b"{\"actor\":\"a\",\"legal_ground\":\"g\",\"data\":{\"unit\":\"BAK-NSM\",\"amount_qepik\":1e400}}".to_vec(),
        b"{\"actor\":\"a\",\"actor\":\"b\"}".to_vec(),
        b"null".to_vec(),
        Vec::new(),
    ];
    let mut nul = new_report("2024-04-02T08:00:00Z");
    nul["summary"] = serde_json::json!("before\u{0000}after");
    bodies.push(serde_json::to_vec(&filing(nul)).unwrap());
    for text in corpus() {
        let mut r = new_report("2024-04-02T08:00:00Z");
        r["unit"] = serde_json::json!(text);
        bodies.push(serde_json::to_vec(&filing(r)).unwrap());
        let mut r = new_report("2024-04-02T08:00:00Z");
        r["received_at"] = serde_json::json!(text);
        bodies.push(serde_json::to_vec(&filing(r)).unwrap());
        let mut c = new_case(&[&text], &[&text]);
        c["unit"] = serde_json::json!("BAK-NSM");
        bodies.push(serde_json::to_vec(&filing(c)).unwrap());
    }
    bodies
}

#[test]
fn hostile_bodies_to_every_write_route_are_refused_and_write_nothing() {
    each_backend(|app| async move {
        let before = app.position().await;
        let mut uris: Vec<String> = ["reports", "cases", "seizures", "accountability", "accidents", "examinations"]
            .iter()
            .map(|r| format!("/api/{r}"))
            .collect();
        uris.extend(["/api/acts".to_string(), "/api/acts/batch".to_string()]);
        for uri in &uris {
            for body in hostile_bodies() {
                let reply = app.post_raw(uri, Some("application/json"), body.clone()).await;
                assert!(
                    reply.status.is_client_error(),
                    "{uri}: {} {}",
                    reply.status,
                    String::from_utf8_lossy(&reply.body)
                );
                assert_eq!(reply.header("content-type"), "application/problem+json", "{uri}");
            }
        }
        assert_eq!(app.position().await, before, "a refused body wrote to the journal");
    });
}

#[test]
fn hostile_forms_and_cookies_are_refused_and_echo_no_markup() {
    each_backend(|app| async move {
        let users_before = app.registry.clone();
        let count = tokio::task::spawn_blocking(move || users_before.users().unwrap().len()).await.unwrap();
        let before = app.position().await;
        for text in corpus() {
            let e = encoded(&text);
            for (uri, body) in [
                ("/auth/login", format!("csrf={e}&login={e}&password={e}")),
                ("/auth/totp", format!("csrf={e}&code={e}")),
                ("/auth/enrol", format!("csrf={e}&code={e}")),
                ("/auth/logout", format!("csrf={e}")),
                ("/auth/logout-everywhere", format!("csrf={e}")),
            ] {
                for cookie in [None, Some(format!("cb_session={e}")), Some(format!("cb_login={e}; cb_session=0"))] {
                    let mut req = Request::builder()
                        .method(Method::POST)
                        .uri(uri)
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                    if let Some(c) = &cookie {
                        req = req.header(header::COOKIE, c.as_str());
                    }
                    let reply = app.send_as_is(req.body(Body::from(body.clone())).unwrap()).await;
                    let status = reply.status.as_u16();
                    assert!((300..500).contains(&status), "{uri} {cookie:?}: {status}");
                    let page = String::from_utf8_lossy(&reply.body);
                    assert!(!page.contains("<script>") && !page.contains("<img"), "{uri} echoed markup: {page}");
                }
            }
            // A made-up session cookie and a forged CSRF header open nothing.
            let req = Request::post("/api/reports")
                .header(header::COOKIE, format!("cb_session={e}"))
                .header("x-csrf-token", e.as_str())
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::to_vec(&filing(new_report("2024-04-02T08:00:00Z"))).unwrap()))
                .unwrap();
            app.send_as_is(req).await.problem(401);
            let req =
                Request::get("/api/cases").header(header::AUTHORIZATION, format!("Bearer {e}")).body(Body::empty());
            app.send_as_is(req.unwrap()).await.problem(401);
        }
        assert_eq!(app.position().await, before);
        let r = app.registry.clone();
        assert_eq!(tokio::task::spawn_blocking(move || r.users().unwrap().len()).await.unwrap(), count);
    });
}
