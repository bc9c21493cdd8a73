//! Cancelling a recorded crime on the pages: the investigator's request on
//! the case page, the approvers' queue oldest first, a decision from inside
//! the unit or without the victim told refused with the rule's words and
//! nothing written, and the approval from above shown on the case.

use crate::helpers::*;
use crate::support::{App, each_backend};
use axum::http::StatusCode;
use crimeboard_domain::access::Role;
use serde_json::json;

/// A case of `unit` with a victim, opened through the API; its id and number.
async fn case_in(app: &App, unit: &str) -> (String, String) {
    let mut report = crate::support::new_report("2024-04-02T08:00:00Z");
    report["unit"] = json!(unit);
    let filed = app.post("/api/reports", &crate::support::filing(report)).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&filed.body));
    let report_id = filed.json()["entity_id"].as_str().unwrap().to_string();
    let mut case = crate::support::new_case(&[&report_id], &["177.2"]);
    case["unit"] = json!(unit);
    case["persons"] = json!([{"role": "victim", "full_name": "Əliyeva Nərmin", "birth_date": "1980-01-01"}]);
    let opened = app.post("/api/cases", &crate::support::filing(case)).await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&opened.body));
    let opened = opened.json();
    (opened["entity_id"].as_str().unwrap().to_string(), opened["number"].as_str().unwrap().to_string())
}

const REQUEST: [(&str, &str); 5] = [
    ("ground", "recorded_twice"),
    ("text", "The same burglary is recorded in another case"),
    ("evidence", "The victim's two statements name the same night and flat"),
    ("requested_at", "2024-04-18T10:00"),
    ("legal_ground", "CPC art. 207"),
];

fn with<'a>(base: &[(&'a str, &'a str)], more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all: Vec<(&str, &str)> = base.iter().filter(|(k, _)| !more.iter().any(|(m, _)| m == k)).copied().collect();
    all.extend_from_slice(more);
    all
}

#[test]
fn a_request_waits_in_the_approvers_queue_and_only_an_approver_from_above_with_the_victim_told_cancels() {
    each_backend(|app| async move {
        let (case_id, number) = case_in(&app, "BAK-NSM").await;
        let investigator = sign_in(&app, "inv-nsm", Role::Investigator, "BAK-NSM", &[]).await;
        let case_uri = format!("/cases/{case_id}?lang=en");
        let page = html(&get_as(&app, &case_uri, Some(&investigator)).await, StatusCode::OK, "en");
        assert!(
            page.contains(&format!("/cases/{case_id}/cancellation/request")),
            "the investigator is offered the request"
        );

        let request_uri = format!("/cases/{case_id}/cancellation/request?lang=en");
        let form = html(&get_as(&app, &request_uri, Some(&investigator)).await, StatusCode::OK, "en");
        assert!(form.contains("The same crime recorded twice"), "the rules' grounds are offered: {form}");
        let before = position(&app).await;
        let missing =
            post_as(&app, &request_uri, &with(&REQUEST, &[("evidence", ""), ("ground", "")]), Some(&investigator))
                .await;
        let missing = html(&missing, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(missing.contains("href=\"#f-evidence\"") && missing.contains("href=\"#f-ground\""), "{missing}");
        assert_eq!(position(&app).await, before, "a refused request wrote nothing");
        location(&post_as(&app, &request_uri, &REQUEST, Some(&investigator)).await);

        // An older request in another district of the city comes first in the city's queue.
        let (older_id, older_number) = case_in(&app, "BAK-YAS").await;
        let older = json!({"actor": "officer-1", "legal_ground": "CPC art. 207", "command": {
            "act": "request_cancellation", "case_id": older_id, "ground": "another_units_crime",
            "text": "Khatai's crime", "evidence": "The place lies in Khatai", "requested_at": "2024-04-17T08:00:00Z"}});
        assert_eq!(app.post("/api/acts", &older).await.status, StatusCode::CREATED);
        let city_chief = sign_in(&app, "chief-bak", Role::UnitChief, "BAK", &[]).await;
        let queue_uri = "/cancellations/queue?unit=BAK&lang=en";
        let queue = html(&get_as(&app, queue_uri, Some(&city_chief)).await, StatusCode::OK, "en");
        let (first, second) =
            (queue.find(&older_number).expect("the older request"), queue.find(&number).expect("the request"));
        assert!(first < second, "the oldest request first: {queue}");
        assert!(queue.contains("2 waiting"), "{queue}");
        let home = html(&get_as(&app, "/?lang=en", Some(&city_chief)).await, StatusCode::OK, "en");
        assert!(home.contains("href=\"/cancellations/queue?unit=BAK\""), "an approver's navigation links the queue");
        for lang in ["az", "ru"] {
            html(
                &get_as(&app, &format!("/cancellations/queue?lang={lang}"), Some(&city_chief)).await,
                StatusCode::OK,
                lang,
            );
        }

        // The district's own chief is inside the unit: told so, and refused with the rule's words.
        let own_chief = sign_in(&app, "chief-nsm", Role::UnitChief, "BAK-NSM", &[]).await;
        let own_view = html(&get_as(&app, &case_uri, Some(&own_chief)).await, StatusCode::OK, "en");
        assert!(own_view.contains("Awaiting the second approver"), "{own_view}");
        assert!(own_view.contains("The rules require an approver from outside"), "{own_view}");
        let decide_uri = format!("/cases/{case_id}/cancellation/decide?lang=en");
        let approval = [
            ("approve", "true"),
            ("note", "Checked against the other case"),
            ("victim_told.how", "telephone"),
            ("victim_told.at", "2024-04-19T09:00"),
            ("decided_at", "2024-04-19T11:00"),
            ("legal_ground", "CPC art. 207"),
        ];
        let before = position(&app).await;
        let inside = html(
            &post_as(&app, &decide_uri, &approval, Some(&own_chief)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "en",
        );
        assert!(inside.contains("The rules require an approver from outside"), "{inside}");
        let untold = with(&approval, &[("victim_told.how", ""), ("victim_told.at", "")]);
        let untold =
            html(&post_as(&app, &decide_uri, &untold, Some(&city_chief)).await, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(
            untold.contains("only once the victim has been told") && untold.contains("href=\"#f-victim_told-how\""),
            "{untold}"
        );
        let ru = format!("/cases/{case_id}/cancellation/decide?lang=ru");
        let inside_ru =
            html(&post_as(&app, &ru, &approval, Some(&own_chief)).await, StatusCode::UNPROCESSABLE_ENTITY, "ru");
        assert!(!inside_ru.contains("The rules require"), "the rule in the user's language");
        assert_eq!(position(&app).await, before, "a refused decision wrote nothing");

        let city_view = html(&get_as(&app, &case_uri, Some(&city_chief)).await, StatusCode::OK, "en");
        assert!(city_view.contains(&format!("/cases/{case_id}/cancellation/decide")), "the city's chief may decide");
        location(&post_as(&app, &decide_uri, &approval, Some(&city_chief)).await);
        let decided = html(&get_as(&app, &case_uri, Some(&city_chief)).await, StatusCode::OK, "en");
        assert!(decided.contains("Cancellation approved") && decided.contains("By telephone"), "{decided}");
        assert!(decided.contains("chief-bak") && decided.contains("inv-nsm"), "who asked and who decided: {decided}");
        let after = html(&get_as(&app, queue_uri, Some(&city_chief)).await, StatusCode::OK, "en");
        assert!(!after.contains(&number) && after.contains(&older_number), "a decided request leaves the queue");
    });
}
