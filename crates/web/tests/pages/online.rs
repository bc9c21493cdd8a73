//! The public site's online crime report and appeal: sent by a form, a
//! receipt at once, followed by reference and secret, rated once closed;
//! refused input, a filled honeypot and a client past its limit write nothing.

use crate::helpers::*;
use crate::public_site::{get_public, public_router, send_public};
use crate::support::{App, NOW, Reply, at, each_backend};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use crimeboard_domain::Command;
use crimeboard_domain::report::{DecideReport, ReportOutcome};
use crimeboard_service::Submission;
use crimeboard_service::audit::Audited;

async fn post_public(router: &Router, uri: &str, fields: &[(&str, &str)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, FORM)
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::from(body))
        .unwrap();
    send_public(router, req).await
}

fn text(reply: &Reply) -> String {
    String::from_utf8(reply.body.clone()).unwrap()
}

/// The value shown after `label` in the receipt's facts.
fn fact(page: &str, label: &str) -> String {
    let after = &page[page.find(&format!("<dt>{label}</dt>")).unwrap_or_else(|| panic!("no {label}: {page}"))..];
    let start = after.find("class=\"reference\">").unwrap() + "class=\"reference\">".len();
    let value = after[start..].trim_start_matches("<code>");
    value[..value.find('<').unwrap()].to_string()
}

const REPORT: [(&str, &str); 6] = [
    ("summary", "My bicycle was stolen from the yard."),
    ("when", "Yesterday evening"),
    ("where", "Nizami street 5"),
    ("unit", "BAK-NSM"),
    ("applicant.full_name", "Leyla Aliyeva"),
    ("contact", "+994 50 123 45 67"),
];

async fn sent_report(app: &App, public: &Router) -> (String, String) {
    let before = position(app).await;
    let receipt = post_public(public, "/online/report", &REPORT).await;
    let page = html(&receipt, StatusCode::OK, "en");
    assert!(page.contains("Your report has been received"), "{page}");
    assert!(page.contains("What happens next") && page.contains("Legal deadline"), "{page}");
    assert_eq!(receipt.header("cache-control"), "no-store");
    assert_eq!(position(app).await, before + 1, "one act recorded");
    (fact(&page, "Reference"), fact(&page, "Secret"))
}

async fn status(public: &Router, reference: &str, secret: &str) -> Reply {
    post_public(public, "/online/status", &[("reference", reference), ("secret", secret)]).await
}

#[test]
fn a_report_sent_online_is_registered_at_once_and_followed_by_reference_and_secret() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let form = get_public(&public, "/online/report").await;
        let form = html(&form, StatusCode::OK, "az");
        assert!(form.contains("name=\"summary\"") && form.contains("name=\"website\""), "{form}");
        assert!(!form.contains("exit-page"), "no exit control on the general form");
        let (reference, secret) = sent_report(&app, &public).await;
        assert!(reference.starts_with("M-BAK-NSM-"), "{reference}");
        // The registry's reads block (PostgreSQL's client): off the runtime's threads.
        let registry = app.registry.clone();
        let (r, s) = (reference.clone(), secret.clone());
        let (report, entry) = tokio::task::spawn_blocking(move || {
            let report = match registry.follow_online(&r, &s).unwrap() {
                Some(crimeboard_service::Followed::Report(report)) => report,
                other => panic!("the registry holds it: {other:?}"),
            };
            let entry = registry.history(report.id).unwrap().remove(0).0;
            (report, entry)
        })
        .await
        .unwrap();
        assert!(report.summary.contains("Yesterday evening") && report.summary.contains("+994 50 123 45 67"));
        assert_eq!(entry.actor, "public-site", "the journal names the site, not the address");

        let page = html(&status(&public, &reference, &secret).await, StatusCode::OK, "en");
        assert!(page.contains("Registered and being checked."), "{page}");
        assert!(!page.contains("How satisfied"), "no survey before it is decided");

        // A duty officer's decision shows at once, and the survey is offered once.
        let decision = Command::DecideReport(DecideReport {
            report_id: report.id,
            decided_at: at(NOW),
            outcome: ReportOutcome::Refuse { ground: "CPC art. 39.1.1".into() },
            late_reason: None,
        });
        let s = Submission { actor: "t".into(), legal_ground: "CPC".into(), command: decision, late: None };
        let registry = app.registry.clone();
        tokio::task::spawn_blocking(move || registry.record(&registry.system("tests"), &s, &Audited::No).unwrap())
            .await
            .unwrap();
        let page = html(&status(&public, &reference, &secret).await, StatusCode::OK, "en");
        assert!(page.contains("Decided: opening a criminal case was refused"), "{page}");
        assert!(page.contains("How satisfied") && page.contains("action=\"/online/status/rate\""), "{page}");
        let rated = post_public(
            &public,
            "/online/status/rate",
            &[("reference", &reference), ("secret", &secret), ("score", "4")],
        )
        .await;
        let page = html(&rated, StatusCode::OK, "en");
        assert!(page.contains("Thank you"), "{page}");
        let page = html(&status(&public, &reference, &secret).await, StatusCode::OK, "en");
        assert!(!page.contains("How satisfied"), "offered once: {page}");
        let again = post_public(
            &public,
            "/online/status/rate",
            &[("reference", &reference), ("secret", &secret), ("score", "2")],
        )
        .await;
        let page = html(&again, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(page.contains("error-summary"), "{page}");
    });
}

#[test]
fn a_wrong_secret_and_an_unknown_reference_get_the_same_answer() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let (reference, secret) = sent_report(&app, &public).await;
        let wrong = status(&public, &reference, "0000-0000-0000-0000").await;
        let unknown = status(&public, "M-BAK-NSM-2024-999999", &secret).await;
        for reply in [&wrong, &unknown] {
            let page = html(reply, StatusCode::NOT_FOUND, "en");
            assert!(page.contains("No report or appeal has this reference and secret"), "{page}");
            assert!(!page.contains("Where it stands"), "{page}");
        }
    });
}

#[test]
fn an_appeal_sent_online_gets_its_receipt_and_its_deadline_in_working_days() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let fields = [
            ("kind", "complaint"),
            ("unit", "BAK-NSM"),
            ("subject", "No answer from the district officer"),
            ("text", "I wrote twice and had no answer."),
            ("applicants.person.full_name", "Rauf Mammadov"),
            ("applicants.person.address", "Baku, Nasimi, 5"),
        ];
        let page = html(&post_public(&public, "/online/appeal", &fields).await, StatusCode::OK, "en");
        assert!(page.contains("Your appeal has been received") && page.contains("working days"), "{page}");
        let (reference, secret) = (fact(&page, "Reference"), fact(&page, "Secret"));
        assert!(reference.starts_with("AP-BAK-NSM-"), "{reference}");
        let page = html(&status(&public, &reference, &secret).await, StatusCode::OK, "en");
        assert!(page.contains("Received and being examined."), "{page}");
    });
}

#[test]
fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let before = position(&app).await;
        let long = "x".repeat(301);
        let reply =
            post_public(&public, "/online/report", &[("summary", ""), ("where", &long), ("unit", "NOWHERE")]).await;
        let page = html(&reply, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(page.contains("href=\"#f-summary\">What happened: This field is required."), "{page}");
        assert!(page.contains("href=\"#f-where\">Where it happened: At most 300 characters."), "{page}");
        let reply =
            post_public(&public, "/online/appeal", &[("kind", "complaint"), ("subject", ""), ("text", "")]).await;
        let page = html(&reply, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(page.contains("href=\"#f-subject\">Subject: This field is required."), "{page}");
        assert_eq!(position(&app).await, before, "nothing written");
    });
}

#[test]
fn a_filled_honeypot_and_a_client_past_its_limit_write_nothing() {
    each_backend(|app| async move {
        let limits = crimeboard_web::load::Limits { online_burst: 2, online_per_hour: 0, ..Default::default() };
        let public = crimeboard_web::public_router(app.registry.clone(), Default::default(), limits);
        let before = position(&app).await;
        let mut robot = REPORT.to_vec();
        robot.push(("website", "http://spam.example"));
        let refused = post_public(&public, "/online/report", &robot).await;
        let page = html(&refused, StatusCode::BAD_REQUEST, "en");
        assert!(page.contains("Nothing was recorded"), "{page}");
        assert_eq!(position(&app).await, before, "the honeypot wrote nothing");
        // The second post of the burst is a lookup: wrong secrets count too.
        status(&public, "M-BAK-NSM-2024-000001", "0000000000000000").await;
        let limited = post_public(&public, "/online/report", &REPORT).await;
        let page = html(&limited, StatusCode::TOO_MANY_REQUESTS, "en");
        assert!(page.contains("Too many forms were sent from your connection"), "{page}");
        assert_eq!(limited.header("retry-after"), "3600");
        assert_eq!(position(&app).await, before, "nothing written past the limit");
    });
}

#[test]
fn a_post_past_the_size_limit_is_refused_in_the_citizens_language_and_writes_nothing() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let before = position(&app).await;
        // Past the 64 KiB the online forms take.
        let long = "x".repeat(65 * 1024);
        let refused = post_public(&public, "/online/report", &[("summary", &long), ("unit", "BAK-NSM")]).await;
        let page = html(&refused, StatusCode::PAYLOAD_TOO_LARGE, "en");
        assert!(page.contains("longer than this form takes (64 KB)"), "{page}");
        assert_eq!(position(&app).await, before, "nothing written");
    });
}

#[test]
fn a_sensitive_report_offers_exit_this_page_first() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let reply = get_public(&public, "/online/report?topic=domestic_violence&lang=en").await;
        assert_eq!(reply.status, StatusCode::OK);
        let page = text(&reply);
        let body = &page[page.find("<body>").unwrap()..];
        assert!(body.starts_with("<body><a class=\"exit-page\" href=\"/\""), "the first thing in the page: {body}");
        assert!(page.contains("Exit this page") && page.contains("src=\"/assets/exit.js\""), "{page}");
        assert!(page.contains("name=\"topic\" value=\"domestic_violence\""), "{page}");
        let script = get_public(&public, "/assets/exit.js").await;
        assert!(String::from_utf8_lossy(&script.body).contains("location.replace"));
        let mut fields = REPORT.to_vec();
        fields.push(("topic", "domestic_violence"));
        let receipt = post_public(&public, "/online/report", &fields).await;
        assert_eq!(receipt.status, StatusCode::OK);
        assert!(text(&receipt).contains("class=\"exit-page\""), "the receipt keeps the control");
    });
}

#[test]
fn the_online_forms_are_the_public_listeners_alone() {
    each_backend(|app| async move {
        for path in ["/online/report", "/online/appeal", "/online/status"] {
            let reply = app.send_as_is(Request::get(path).body(Body::empty()).unwrap()).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path} on the staff's listener");
        }
    });
}

#[test]
fn a_report_for_an_unknown_unit_goes_to_headquarters() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let mut fields = REPORT.to_vec();
        fields.retain(|(name, _)| *name != "unit");
        fields.push(("unit", ""));
        let page = html(&post_public(&public, "/online/report", &fields).await, StatusCode::OK, "en");
        let reference = fact(&page, "Reference");
        let root = app.registry.units().all().find(|u| u.parent.is_none()).unwrap().code.to_string();
        assert!(reference.starts_with(&format!("M-{root}-")), "{reference} in {root}");
    });
}
