//! Published figures on the pages: the press officer publishes a quarter
//! from the Board's report (a period not over refused at its field), the
//! report then links its publications, an act that would change a
//! published figure is refused by its form until it gives a reason from the
//! rules' list, and the publication's page lists the figure that changed and
//! the act with its reason; the register's list filters by kind.

use crate::helpers::*;
use crate::support::{App, each_backend};
use axum::http::StatusCode;
use crimeboard_domain::access::Role;

const GROUND: (&str, &str) = ("legal_ground", "Kollegiyanın qərarı");

/// An accident in the published quarter, through its form.
fn accident<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("unit", "BAK-NSM"),
        ("occurred_at", "2024-02-10T08:00"),
        ("killed", "0"),
        ("injured", "1"),
        ("cause", "Speeding"),
        ("legal_ground", "CPC art. 207"),
    ];
    fields.extend_from_slice(extra);
    fields
}

async fn publish_first_quarter(app: &App, press: &Session) -> String {
    let fields = [
        ("scope", "BAK"),
        ("period_from", "2024-01-01"),
        ("period_to", "2024-03-31"),
        ("kind", "board_report"),
        ("note", "The first quarter"),
        GROUND,
    ];
    let at = location(&post_as(app, "/publications/new", &fields, Some(press)).await);
    assert!(at.starts_with("/publications/"), "{at}");
    at
}

#[test]
fn a_quarter_is_published_from_the_report_and_an_act_changing_it_needs_a_reason_on_its_form() {
    each_backend(|app| async move {
        crate::support::report(&app, "2024-02-01T08:00:00Z").await;
        let press = sign_in(&app, "press-desk", Role::PressOfficer, "AZ", &[]).await;
        let report = get_as(&app, "/report?period=2024Q1&unit=BAK&lang=en", Some(&press)).await;
        let report = html(&report, StatusCode::OK, "en");
        assert!(
            report.contains("Publish these figures") && report.contains("action=\"/publications/new\""),
            "{report}"
        );
        assert!(report.contains("value=\"2024-01-01\"") && report.contains("value=\"2024-03-31\""), "{report}");
        assert!(!report.contains("id=\"publications-of-period\""), "nothing published yet");

        let before = position(&app).await;
        let early = [
            ("scope", "BAK"),
            ("period_from", "2024-04-01"),
            ("period_to", "2024-06-30"),
            ("kind", "board_report"),
            GROUND,
        ];
        let refused = post_as(&app, "/publications/new?lang=en", &early, Some(&press)).await;
        let refused = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(refused.contains("id=\"f-period_to-error\"") && refused.contains("must be over"), "{refused}");
        assert_eq!(position(&app).await, before, "a refused publication records nothing");

        let at = publish_first_quarter(&app, &press).await;
        let report = get_as(&app, "/report?period=2024Q1&unit=BAK&lang=en", Some(&press)).await;
        let report = html(&report, StatusCode::OK, "en");
        assert!(
            report.contains("id=\"publications-of-period\"") && report.contains(&format!("href=\"{at}\"")),
            "{report}"
        );
        let shown = html(&get_as(&app, &format!("{at}?lang=en"), Some(&press)).await, StatusCode::OK, "en");
        assert!(shown.contains("No figure has changed since it was published."), "{shown}");
        assert!(
            shown.contains("The first quarter") && shown.contains("press-desk"),
            "the note and who published: {shown}"
        );

        // An accident of the published quarter changes its figures: refused with the reason's fields.
        let before = position(&app).await;
        let refused = post_form_with_cookie(&app, "/accidents/new", &accident(&[]), "lang=en").await;
        let refused = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        let reason = refused.split("for=\"f-late-reason\"").nth(1).expect("the reason is asked for");
        let reason = &reason[..reason.find("</div>").unwrap()];
        assert!(reason.contains("changes a figure of the published report"), "{reason}");
        assert!(
            reason.contains("value=\"found_in_inspection\"") && reason.contains("Found in an inspection"),
            "{reason}"
        );
        assert!(refused.contains("id=\"f-late-text\""), "{refused}");
        assert_eq!(position(&app).await, before, "a refused act records nothing");
        let with_reason =
            accident(&[("late.reason", "found_in_inspection"), ("late.text", "Found in the April inspection")]);
        let recorded = location(&post_form(&app, "/accidents/new", &with_reason).await);

        let shown = html(&get_as(&app, &format!("{at}?lang=en"), Some(&press)).await, StatusCode::OK, "en");
        let figures =
            shown.split("id=\"revised-table\"").nth(1).expect("the revised figures").split("</table>").next().unwrap();
        assert!(figures.contains("<code>traffic_accidents</code>") && figures.contains("+1"), "{figures}");
        let acts =
            shown.split("id=\"revising-table\"").nth(1).expect("the revising acts").split("</table>").next().unwrap();
        assert!(acts.contains(&format!("href=\"{recorded}\"")), "the act's entry is linked: {acts}");
        assert!(acts.contains("Found in an inspection") && acts.contains("Found in the April inspection"), "{acts}");
        assert!(shown.contains("/revisions?format=csv") && shown.contains("/revisions?format=xlsx"), "{shown}");
    });
}

#[test]
fn the_publications_list_filters_by_kind_in_three_languages() {
    each_backend(|app| async move {
        let press = sign_in(&app, "press-desk", Role::PressOfficer, "AZ", &[]).await;
        let at = publish_first_quarter(&app, &press).await;
        for (lang, title) in
            [("az", "Göstəricilərin dərcləri"), ("ru", "Публикации показателей"), ("en", "Publications of figures")]
        {
            let listed =
                html(&get_as(&app, &format!("/publications?lang={lang}"), Some(&press)).await, StatusCode::OK, lang);
            assert!(listed.contains(title) && listed.contains(&format!("href=\"{at}\"")), "{lang}: {listed}");
        }
        let reports = get_as(&app, "/publications?publication_kind=board_report&lang=en", Some(&press)).await;
        assert!(html(&reports, StatusCode::OK, "en").contains(&format!("href=\"{at}\"")));
        let open = get_as(&app, "/publications?publication_kind=open_data&lang=en", Some(&press)).await;
        assert!(
            !html(&open, StatusCode::OK, "en").contains(&format!("href=\"{at}\"")),
            "an open-data filter leaves it out"
        );
        let wrong = get_as(&app, "/publications?publication_kind=poster&lang=en", Some(&press)).await;
        assert!(html(&wrong, StatusCode::OK, "en").contains("id=\"f-publication_kind-error\""));
        let csv = get_as(&app, "/publications?format=csv", Some(&press)).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(String::from_utf8_lossy(&csv.body).contains("PB-"), "{}", String::from_utf8_lossy(&csv.body));
    });
}
