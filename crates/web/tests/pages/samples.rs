//! Inspection on the pages: the inspector draws a sample from its form
//! (a sample larger than its population refused at its field, saying the
//! population), reviews a decision (a wrong one refused without its note),
//! and reads the estimate in words on the sample's page; the register's
//! list filters by kind.

use crate::helpers::*;
use crate::support::{App, each_backend};
use axum::http::StatusCode;
use crimeboard_domain::access::Role;
use serde_json::json;

const GROUND: (&str, &str) = ("legal_ground", "Inspection order 4/2024");

/// Three reports of BAK-NSM refused in April, recorded by the system.
async fn refusals(app: &App) {
    for day in ["16", "17", "18"] {
        let receipt = crate::support::report(app, &format!("2024-04-{day}T08:00:00Z")).await;
        let decide = json!({"actor": "officer-1", "legal_ground": "CPC art. 207", "command": {"act": "decide_report",
            "report_id": receipt["entity_id"], "decided_at": format!("2024-04-{day}T12:00:00Z"),
            "outcome": {"kind": "refuse", "ground": "No crime"}}});
        let decided = app.post("/api/acts", &decide).await;
        assert_eq!(decided.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&decided.body));
    }
}

fn draw(size: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("unit", "BAK-NSM"),
        ("kind", "refusals"),
        ("period_from", "2024-04-01"),
        ("period_to", "2024-04-19"),
        ("size", size),
        ("seed", "5"),
        GROUND,
    ]
}

#[test]
fn an_inspector_draws_a_sample_reviews_a_decision_and_reads_the_estimate_in_words() {
    each_backend(|app| async move {
        refusals(&app).await;
        let inspector = sign_in(&app, "inspector-desk", Role::Inspector, "AZ", &[]).await;
        let form = get_as(
            &app,
            "/samples/new?unit=BAK-NSM&kind=refusals&period_from=2024-04-01&period_to=2024-04-19&lang=en",
            Some(&inspector),
        )
        .await;
        let form = html(&form, StatusCode::OK, "en");
        assert!(form.contains("value=\"2024-04-01\"") && form.contains("value=\"2024-04-19\""), "pre-filled: {form}");

        let before = position(&app).await;
        let larger = html(
            &post_as(&app, "/samples/new?lang=en", &draw("4"), Some(&inspector)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "en",
        );
        assert!(larger.contains("id=\"f-size-error\"") && larger.contains("has 3 such decisions"), "{larger}");
        assert_eq!(position(&app).await, before, "a refused draw records nothing");

        let at = location(&post_as(&app, "/samples/new", &draw("2"), Some(&inspector)).await);
        assert!(at.starts_with("/samples/"), "{at}");
        let shown = html(&get_as(&app, &format!("{at}?lang=en"), Some(&inspector)).await, StatusCode::OK, "en");
        assert!(shown.contains("No decision of the sample has been reviewed yet."), "{shown}");
        let review = shown
            .split("href=\"")
            .filter_map(|s| s.split('"').next())
            .find(|h| h.contains("/review?seq="))
            .expect("a review link")
            .replace("&amp;", "&");

        let page = html(&get_as(&app, &format!("{review}&lang=en"), Some(&inspector)).await, StatusCode::OK, "en");
        assert!(page.contains("name=\"finding\""), "{page}");
        let seq = review.rsplit('=').next().unwrap().to_string();
        let action = review.split('?').next().unwrap().to_string();
        let unexplained = [("seq", seq.as_str()), ("finding", "wrong"), GROUND];
        let refused = html(
            &post_as(&app, &format!("{action}?lang=en"), &unexplained, Some(&inspector)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "en",
        );
        assert!(refused.contains("id=\"f-note-error\"") && refused.contains("a note is required"), "{refused}");
        let explained =
            [("seq", seq.as_str()), ("finding", "wrong"), ("note", "A theft refused as a civil dispute"), GROUND];
        assert_eq!(location(&post_as(&app, &action, &explained, Some(&inspector)).await), at);
        let shown = html(&get_as(&app, &format!("{at}?lang=en"), Some(&inspector)).await, StatusCode::OK, "en");
        assert!(shown.contains("Of 1 refusals reviewed, 1 were wrong: an estimated 100 % (95 % interval"), "{shown}");
        assert!(shown.contains("A theft refused as a civil dispute"), "{shown}");
        let ru = html(&get_as(&app, &format!("{at}?lang=ru"), Some(&inspector)).await, StatusCode::OK, "ru");
        assert!(ru.contains("Из 1 проверенных решений"), "{ru}");

        let listed =
            html(&get_as(&app, "/samples?sample_kind=refusals&lang=en", Some(&inspector)).await, StatusCode::OK, "en");
        assert!(listed.contains(&format!("href=\"{at}\"")), "{listed}");
        let none = html(
            &get_as(&app, "/samples?sample_kind=annulments&lang=en", Some(&inspector)).await,
            StatusCode::OK,
            "en",
        );
        assert!(!none.contains(&format!("href=\"{at}\"")), "{none}");
    });
}

#[test]
fn a_duty_officer_may_not_draw_a_sample() {
    each_backend(|app| async move {
        let duty = sign_in(&app, "duty", Role::DutyOfficer, "BAK-NSM", &[]).await;
        let refused = get_as(&app, "/samples/new", Some(&duty)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    });
}
