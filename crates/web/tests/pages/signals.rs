//! The inspector's page: each signal as its question, the units worth
//! asking about, its funnel plot, reading and table, in each language.

use crate::helpers::*;
use crate::support::*;
use axum::http::StatusCode;
use serde_json::json;

async fn open_case(app: &App, unit: &str, registered_at: &str) -> String {
    let case = json!({
        "unit": unit, "agency": "mia", "detected_by_police": true, "articles": ["177.2"],
        "occurred_at": "2024-01-02T20:00:00Z", "registered_at": registered_at, "description": "Mənzil oğurluğu"
    });
    let reply = app.post("/api/cases", &filing(case)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()["entity_id"].as_str().unwrap().to_string()
}

#[test]
fn the_signals_page_asks_about_the_unit_that_bunches_its_registrations() {
    each_backend(|app| async move {
        for (unit, at) in [
            ("BAK-NSM", "2024-03-26T09:00:00Z"),
            ("BAK-NSM", "2024-03-30T09:00:00Z"),
            ("BAK-YAS", "2024-02-10T09:00:00Z"),
        ] {
            open_case(&app, unit, at).await;
        }
        let en = html(&get_with_cookie(&app, "/signals?period=2024Q1&unit=BAK", "lang=en").await, StatusCode::OK, "en");
        assert!(en.contains("<h1>Signs of under-recording</h1>"), "{en}");
        assert!(
            en.contains("Are more crimes recorded here in the last days of the quarter than the calendar explains?"),
            "{en}"
        );
        let bunching = &en[en.find("id=\"signal-quarter_end\"").expect("the signal's section")..];
        assert!(bunching.contains("Worth asking about: Nasimi"), "{bunching}");
        assert!(bunching.contains("class=\"chart chart-funnel\""), "drawn inline: {bunching}");
        assert!(bunching.contains("The calendar: 7.7 %"), "against the calendar: {bunching}");
        assert!(en.contains("href=\"/signals?period=2024Q1&amp;unit=BAK&amp;format=csv\""), "{en}");
        let solving = &en[en.find("id=\"solving-against-recording\"").expect("the solving question's section")..];
        assert!(solving.contains("Is the solved share here higher than its peers"), "{solving}");
        assert!(solving.contains("No unit below the one chosen is beyond both limits."), "{solving}");
        let ru = html(&get_with_cookie(&app, "/signals?period=2024Q1&unit=BAK", "lang=ru").await, StatusCode::OK, "ru");
        assert!(ru.contains("Регистрируют ли здесь в последние дни квартала больше преступлений"), "{ru}");
        let az = html(&get_with_cookie(&app, "/signals?period=2024Q1&unit=BAK", "lang=az").await, StatusCode::OK, "az");
        assert!(az.contains("Soruşmağa dəyər: Nəsimi"), "{az}");
        let district =
            html(&get_with_cookie(&app, "/signals?period=2024Q1&unit=BAK-NSM", "lang=en").await, StatusCode::OK, "en");
        assert!(district.contains("id=\"no-units-below\""), "{district}");
        assert!(!district.contains("id=\"solving-against-recording\""), "nothing below to compare: {district}");
        // An inspector is offered a sample of the unit's refusals in the period; an analyst is not.
        let draw =
            "href=\"/samples/new?unit=BAK-NSM&amp;kind=refusals&amp;period_from=2024-01-01&amp;period_to=2024-03-31\"";
        assert!(!bunching.contains(draw), "{bunching}");
        let inspector = sign_in(&app, "inspector-desk", crimeboard_domain::access::Role::Inspector, "AZ", &[]).await;
        let offered = html(
            &get_as(&app, "/signals?period=2024Q1&unit=BAK&lang=en", Some(&inspector)).await,
            StatusCode::OK,
            "en",
        );
        assert!(offered.contains(draw) && offered.contains("Draw a sample of the refusals of Nasimi"), "{offered}");
    });
}

/// The cancellations decided in the period, linked from the signals page:
/// a refused request in Nasimi with its ground's name, who asked and decided,
/// in the quarter of the decision only.
#[test]
fn the_cancellations_decided_are_listed_beside_the_signals() {
    each_backend(|app| async move {
        let case = open_case(&app, "BAK-NSM", "2024-02-10T09:00:00Z").await;
        for command in [
            json!({"act": "request_cancellation", "case_id": case, "ground": "recorded_twice",
                "text": "İki dəfə qeydə alınıb", "evidence": "Eyni hadisə başqa işdə", "requested_at": "2024-03-01T08:00:00Z"}),
            json!({"act": "decide_cancellation", "case_id": case, "approve": false,
                "note": "Fərqli hadisələrdir", "decided_at": "2024-04-02T08:00:00Z"}),
        ] {
            let submission: crimeboard_service::Submission =
                serde_json::from_value(json!({"actor": "tests", "legal_ground": "CPC art. 207", "command": command}))
                    .unwrap();
            let registry = app.registry.clone();
            tokio::task::spawn_blocking(move || {
                registry.record(&registry.system("tests"), &submission, &crimeboard_service::audit::Audited::No)
            })
            .await
            .unwrap()
            .unwrap();
        }
        let signals =
            html(&get_with_cookie(&app, "/signals?period=2024Q2&unit=BAK", "lang=en").await, StatusCode::OK, "en");
        assert!(signals.contains("href=\"/signals/cancellations?period=2024Q2&amp;unit=BAK\""), "{signals}");
        let en = html(
            &get_with_cookie(&app, "/signals/cancellations?period=2024Q2&unit=BAK", "lang=en").await,
            StatusCode::OK,
            "en",
        );
        let table = &en[en.find("id=\"cancellations\"").expect("the table")..];
        assert!(table.contains(&format!("href=\"/cases/{case}\"")), "{table}");
        assert!(table.contains("Cancellation refused") && table.contains("Nasimi"), "{table}");
        assert!(table.contains("Not told"), "{table}");
        let ru = html(
            &get_with_cookie(&app, "/signals/cancellations?period=2024Q2&unit=BAK", "lang=ru").await,
            StatusCode::OK,
            "ru",
        );
        assert!(ru.contains("Решения об отмене учёта в периоде"), "{ru}");
        let march = html(
            &get_with_cookie(&app, "/signals/cancellations?period=2024Q1&unit=BAK", "lang=en").await,
            StatusCode::OK,
            "en",
        );
        assert!(march.contains("id=\"no-cancellations\""), "decided in April, not March: {march}");
    });
}
