//! The appeals office's pages: the register's list with its filters and
//! files, a unit's queue by deadline, the registration form and an appeal's
//! page with the forms of its acts, in each language for whom they are for
//! and refused to the others; an appeal walked from its registration to the
//! applicant's rating through the forms alone.

use crate::helpers::*;
use crate::support::{App, each_backend};
use axum::http::StatusCode;
use crimeboard_domain::access::Role;
use serde_json::{Value, json};

const GROUND: (&str, &str) = ("legal_ground", "Vətəndaşların müraciətləri haqqında Qanun");

async fn recorded(app: &App, command: Value) -> String {
    let body = json!({"actor": "appeals", "legal_ground": GROUND.1, "command": command});
    let reply = app.post("/api/acts", &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()["entity_id"].as_str().unwrap().to_string()
}

/// A collective complaint to Nasimi, received online on `received_at`.
async fn appeal(app: &App, received_at: &str, mentions_offence: bool) -> String {
    recorded(
        app,
        json!({"act": "register_appeal", "unit": "BAK-NSM", "addressed_to": "BAK", "channel": "online",
            "kind": "complaint", "received_at": received_at,
            "applicants": {"kind": "collective", "people": [
                {"full_name": "Məmmədov Rauf", "address": "Bakı, Nəsimi r."}, {"full_name": "Həsənova Aygün"}]},
            "subject": "Həyətdə səs-küy", "text": "Gecələr səs-küy salınır", "attachments": ["Foto, 2 ədəd"],
            "mentions_offence": mentions_offence}),
    )
    .await
}

/// An application by letter from one person to Nasimi.
async fn letter(app: &App, received_at: &str, name: &str) -> String {
    recorded(
        app,
        json!({"act": "register_appeal", "unit": "BAK-NSM", "addressed_to": "BAK-NSM", "channel": "written",
            "kind": "application", "received_at": received_at,
            "applicants": {"kind": "person", "person": {"full_name": name}},
            "subject": "Arayış", "text": "Arayış verilməsini xahiş edirəm", "mentions_offence": false}),
    )
    .await
}

/// What a page says at a control: its error message.
fn error_at(page: &str, control: &str) -> String {
    let at = page
        .split(&format!("id=\"f-{control}-error\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no error at {control}: {page}"));
    at.split("</p>").next().unwrap().to_string()
}

/// The page's text between `id="{id}">` and the end of its element.
fn fact(page: &str, id: &str) -> String {
    let rest = page.split(&format!("id=\"{id}\">")).nth(1).unwrap_or_else(|| panic!("no {id}: {page}"));
    rest.split("</dd>").next().unwrap().to_string()
}

#[test]
fn each_appeals_page_shows_in_every_language_to_whom_it_is_for_and_is_refused_to_the_others() {
    each_backend(|app| async move {
        let id = appeal(&app, "2024-04-15T08:00:00Z", true).await;
        let officer = sign_in(&app, "apl", Role::AppealsOfficer, "BAK-NSM", &[]).await;
        let investigator = sign_in(&app, "inv", Role::Investigator, "BAK-NSM", &[]).await;
        let pages: [(String, &str); 9] = [
            ("/appeals".into(), "Həyətdə səs-küy"),
            ("/appeals/queue?unit=BAK-NSM".into(), "AP-BAK-NSM-2024-"),
            ("/appeals/new".into(), "applicants.people.4.full_name"),
            (format!("/appeals/{id}"), "Məmmədov Rauf; Həsənova Aygün"),
            (format!("/appeals/{id}/extend"), "extension.days"),
            (format!("/appeals/{id}/refer"), "to.unit"),
            (format!("/appeals/{id}/answer"), "late_reason"),
            (format!("/appeals/{id}/rate"), "AP-BAK-NSM-2024-"),
            (format!("/appeals/{id}/report"), "report.summary"),
        ];
        for (path, shows) in &pages {
            for lang in ["az", "ru", "en"] {
                let sep = if path.contains('?') { '&' } else { '?' };
                let reply = get_as(&app, &format!("{path}{sep}lang={lang}"), Some(&officer)).await;
                let page = html(&reply, StatusCode::OK, lang);
                assert!(page.contains(shows), "{path} in {lang} lacks {shows}: {page}");
            }
            html(&get_as(&app, path, Some(&investigator)).await, StatusCode::FORBIDDEN, "az");
        }
        // The forms' help says the deadlines of the rule in force, in the user's language.
        let help = html(&get_as(&app, "/appeals/new?lang=en", Some(&officer)).await, StatusCode::OK, "en");
        assert!(help.contains("within 15 working days of receipt, 30 where more checking"), "{help}");
        // Another district's office is refused the appeal, its forms and its unit's queue.
        let gnc = sign_in(&app, "apl-gnc", Role::AppealsOfficer, "GNC", &[]).await;
        for path in [format!("/appeals/{id}"), format!("/appeals/{id}/answer"), "/appeals/queue?unit=BAK-NSM".into()] {
            html(&get_as(&app, &path, Some(&gnc)).await, StatusCode::FORBIDDEN, "az");
        }
        let list = html(&get_as(&app, "/appeals", Some(&gnc)).await, StatusCode::OK, "az");
        assert!(!list.contains(&format!("/appeals/{id}")), "another district's appeal listed: {list}");
        // The appeals are in the menu of those who may read them only.
        let nav = html(&get_as(&app, "/appeals", Some(&officer)).await, StatusCode::OK, "az");
        assert!(
            nav.contains("href=\"/appeals/queue?unit=BAK-NSM\"") && nav.contains("href=\"/appeals?unit=BAK-NSM\""),
            "{nav}"
        );
        let nav = html(&get_as(&app, "/cases", Some(&investigator)).await, StatusCode::OK, "az");
        assert!(!nav.contains("href=\"/appeals"), "{nav}");
    });
}

/// The office registers a collective complaint, gives it an extension,
/// answers it and records the rating; another appeal is referred; every
/// step through the pages' forms, the appeal's page saying where it stands
/// and its timeline holding each act in order.
#[test]
fn an_appeal_is_walked_from_its_registration_to_its_rating_through_the_forms() {
    each_backend(|app| async move {
        let officer = sign_in(&app, "apl", Role::AppealsOfficer, "BAK-NSM", &[]).await;
        let registered = post_as(
            &app,
            "/appeals/new",
            &[
                ("unit", "BAK-NSM"),
                ("addressed_to", "BAK"),
                ("channel", "written"),
                ("kind", "complaint"),
                ("received_at", "2024-04-15T09:30"),
                ("applicants.kind", "collective"),
                ("applicants.people.0.full_name", "Məmmədov Rauf"),
                ("applicants.people.2.full_name", "Həsənova Aygün"),
                ("applicants.people.2.address", "aygun@example.az"),
                ("subject", "Həyətdə səs-küy"),
                ("text", "Gecələr səs-küy salınır"),
                ("attachments", "Foto, 2 ədəd\n\nƏrizənin surəti, 1 vərəq"),
                GROUND,
            ],
            Some(&officer),
        )
        .await;
        let appeal = location(&registered);
        assert!(appeal.starts_with("/appeals/"), "{appeal}");
        let page = html(&get_as(&app, &appeal, Some(&officer)).await, StatusCode::OK, "az");
        assert!(page.contains("Məmmədov Rauf; Həsənova Aygün") && page.contains("Ərizənin surəti, 1 vərəq"), "{page}");
        assert!(page.contains(&format!("{appeal}/extend")) && !page.contains(&format!("{appeal}/rate")), "{page}");
        assert!(!page.contains(&format!("{appeal}/report")), "no offence mentioned, nothing to pass on: {page}");
        let extended = post_as(
            &app,
            &format!("{appeal}/extend"),
            &[
                ("extension.kind", "extension"),
                ("extension.days", "10"),
                ("extension.reason", "Sənədlər sorğulanıb"),
                ("granted_at", "2024-04-16T10:00"),
                ("granted_by", "Rəis"),
                ("applicant_told", "post"),
                GROUND,
            ],
            Some(&officer),
        )
        .await;
        assert_eq!(location(&extended), appeal);
        let page = html(&get_as(&app, &format!("{appeal}?lang=en"), Some(&officer)).await, StatusCode::OK, "en");
        assert!(fact(&page, "appeal-status").contains("Extended"), "{page}");
        assert!(!page.contains(&format!("{appeal}/extend")), "a second extension is not offered: {page}");
        let answered = post_as(
            &app,
            &format!("{appeal}/answer"),
            &[
                ("decision", "partly"),
                ("text", "Tədbir görülüb"),
                ("signed_by", "Polkovnik Əliyev"),
                ("delivered_by", "post"),
                ("answered_at", "2024-04-18T11:00"),
                GROUND,
            ],
            Some(&officer),
        )
        .await;
        assert_eq!(location(&answered), appeal);
        let rated = post_as(
            &app,
            &format!("{appeal}/rate"),
            &[("score", "4"), ("rated_at", "2024-04-19T09:00"), GROUND],
            Some(&officer),
        )
        .await;
        assert_eq!(location(&rated), appeal);
        let page = html(&get_as(&app, &format!("{appeal}?lang=en"), Some(&officer)).await, StatusCode::OK, "en");
        assert!(fact(&page, "appeal-status").contains("Answered"), "{page}");
        assert_eq!(fact(&page, "appeal-score"), "4");
        let order: Vec<usize> = ["Appeal registered", "deadline extended", "Appeal answered", "handling rated"]
            .iter()
            .map(|act| page.find(act).unwrap_or_else(|| panic!("no {act} in the timeline: {page}")))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "the timeline is out of order: {order:?}");
        // Another appeal is referred to the competent body within its days.
        let other = letter(&app, "2024-04-17T08:00:00Z", "Quliyev Tural").await;
        let referred = post_as(
            &app,
            &format!("/appeals/{other}/refer"),
            &[
                ("to.kind", "body"),
                ("to.name", "Bakı Şəhər İcra Hakimiyyəti"),
                ("referred_at", "2024-04-18T12:00"),
                ("applicant_told", "post"),
                GROUND,
            ],
            Some(&officer),
        )
        .await;
        assert_eq!(location(&referred), format!("/appeals/{other}"));
        let page =
            html(&get_as(&app, &format!("/appeals/{other}?lang=ru"), Some(&officer)).await, StatusCode::OK, "ru");
        assert!(page.contains("Bakı Şəhər İcra Hakimiyyəti"), "{page}");
        assert!(page.contains(&format!("/appeals/{other}/rate")), "a referred appeal is rated: {page}");
    });
}

#[test]
fn an_appeal_telling_of_an_offence_is_passed_on_as_a_crime_report_from_its_page() {
    each_backend(|app| async move {
        let officer = sign_in(&app, "apl", Role::AppealsOfficer, "BAK-NSM", &[]).await;
        let id = appeal(&app, "2024-04-15T08:00:00Z", true).await;
        let passed = post_as(
            &app,
            &format!("/appeals/{id}/report"),
            &[
                ("report.unit", "BAK-NSM"),
                ("report.received_at", "2024-04-16T09:00"),
                ("report.officer", "Növbətçi"),
                ("report.summary", "Hədə-qorxu"),
                GROUND,
            ],
            Some(&officer),
        )
        .await;
        assert_eq!(location(&passed), format!("/appeals/{id}"));
        let page = html(&get_as(&app, &format!("/appeals/{id}"), Some(&officer)).await, StatusCode::OK, "az");
        assert!(page.contains("href=\"/reports/") && page.contains("M-BAK-NSM-2024-"), "{page}");
        assert!(!page.contains(&format!("/appeals/{id}/report")), "passed on once: {page}");
    });
}

/// A form refused shows each problem at its field in the user's language,
/// the rule the domain broke or the value the form could not read, and
/// writes nothing.
#[test]
fn a_refused_appeal_form_names_each_problem_at_its_field_and_writes_nothing() {
    each_backend(|app| async move {
        let officer = sign_in(&app, "apl", Role::AppealsOfficer, "BAK-NSM", &[]).await;
        let before = position(&app).await;
        let refused = post_as(
            &app,
            "/appeals/new?lang=en",
            &[
                ("unit", "BAK-NSM"),
                ("addressed_to", "BAK"),
                ("channel", "written"),
                ("kind", "complaint"),
                ("received_at", "2024-04-15T09:30"),
                ("applicants.kind", "collective"),
                ("applicants.people.1.full_name", "Məmmədov Rauf"),
                ("text", "Gecələr səs-küy salınır"),
                GROUND,
            ],
            Some(&officer),
        )
        .await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(error_at(&page, "subject").contains("required"), "{page}");
        assert!(error_at(&page, "applicants-kind").contains("at least 2 people"), "{page}");
        assert!(page.contains("value=\"Məmmədov Rauf\""), "what was typed is kept: {page}");
        assert_eq!(position(&app).await, before);
        // A repeat of a number no appeal has, in Russian.
        let refused = post_as(
            &app,
            "/appeals/new?lang=ru",
            &[
                ("unit", "BAK-NSM"),
                ("addressed_to", "BAK"),
                ("channel", "written"),
                ("kind", "complaint"),
                ("received_at", "2024-04-15T09:30"),
                ("applicants.kind", "anonymous"),
                ("subject", "Səs-küy"),
                ("text", "Gecələr səs-küy salınır"),
                ("repeat_of", "AP-BAK-NSM-2024-999999"),
                GROUND,
            ],
            Some(&officer),
        )
        .await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "ru");
        assert!(!error_at(&page, "repeat_of").is_empty(), "{page}");
        assert_eq!(position(&app).await, before);
        // An extension longer than the law allows, refused by the domain's rule at its field.
        let id = letter(&app, "2024-04-15T08:00:00Z", "Quliyev Tural").await;
        let before = position(&app).await;
        let refused = post_as(
            &app,
            &format!("/appeals/{id}/extend?lang=en"),
            &[
                ("extension.kind", "extension"),
                ("extension.days", "45"),
                ("extension.reason", "Sənədlər"),
                ("granted_at", "2024-04-16T10:00"),
                ("granted_by", "Rəis"),
                ("applicant_told", "post"),
                GROUND,
            ],
            Some(&officer),
        )
        .await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(error_at(&page, "extension-days").contains("at most 30 working days"), "{page}");
        assert_eq!(position(&app).await, before);
        // A rating with no score chosen, in Azerbaijani.
        let refused = post_as(
            &app,
            &format!("/appeals/{id}/rate?lang=az"),
            &[("rated_at", "2024-04-16T10:00"), GROUND],
            Some(&officer),
        )
        .await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "az");
        assert!(!error_at(&page, "score").is_empty(), "{page}");
        assert_eq!(position(&app).await, before);
    });
}

#[test]
fn the_appeals_list_is_filtered_and_searched_across_scripts_and_its_files_hold_the_filtered_rows() {
    each_backend(|app| async move {
        let complaint = appeal(&app, "2024-04-10T08:00:00Z", false).await;
        let application = letter(&app, "2024-04-11T08:00:00Z", "Quliyev Tural").await;
        let chief = sign_in(&app, "nsm-chief", Role::UnitChief, "BAK-NSM", &[]).await;
        // Гасанова in Cyrillic finds Həsənova's complaint only.
        let found = html(
            &get_as(&app, "/appeals?q=%D0%93%D0%B0%D1%81%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0", Some(&chief)).await,
            StatusCode::OK,
            "az",
        );
        assert!(found.contains(&format!("/appeals/{complaint}")), "{found}");
        assert!(!found.contains(&format!("/appeals/{application}")), "{found}");
        let written = html(
            &get_as(&app, "/appeals?appeal_channel=written&appeal_kind=application", Some(&chief)).await,
            StatusCode::OK,
            "az",
        );
        assert!(
            written.contains(&format!("/appeals/{application}")) && !written.contains(&format!("/appeals/{complaint}")),
            "{written}"
        );
        let refused = get_as(&app, "/appeals?appeal_kind=petition&lang=en", Some(&chief)).await;
        let page = html(&refused, StatusCode::OK, "en");
        assert!(!error_at(&page, "appeal_kind").is_empty(), "{page}");
        // The file of the filtered list holds its rows, and only them.
        let csv = get_as(&app, "/appeals?appeal_kind=application&format=csv", Some(&chief)).await;
        assert_eq!(csv.status, StatusCode::OK);
        let text = String::from_utf8(csv.body.clone()).unwrap();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(rows.len(), 1, "{text}");
        assert!(rows[0].contains("Arayış"), "{text}");
        let xlsx = get_as(&app, "/appeals?appeal_kind=complaint&format=xlsx", Some(&chief)).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.header("content-type").contains("spreadsheetml"), "{}", xlsx.header("content-type"));
        assert!(xlsx.body.starts_with(b"PK"), "an xlsx is a zip");
        // A file of records is the chief's: the office reads the list but does not export it.
        let officer = sign_in(&app, "apl", Role::AppealsOfficer, "BAK-NSM", &[]).await;
        let refused = get_as(&app, "/appeals?format=csv", Some(&officer)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    });
}

#[test]
fn a_units_queue_puts_the_nearest_deadline_first_marks_the_overdue_and_counts_working_days_left() {
    each_backend(|app| async move {
        // 15 March: due by 17 April, overdue on 19 April; 10 April: due by the end of 3 May.
        let late = appeal(&app, "2024-03-15T08:00:00Z", false).await;
        let fresh = appeal(&app, "2024-04-10T08:00:00Z", false).await;
        let officer = sign_in(&app, "apl", Role::AppealsOfficer, "BAK-NSM", &[]).await;
        let page = html(&get_as(&app, "/appeals/queue?lang=en", Some(&officer)).await, StatusCode::OK, "en");
        let (at_late, at_fresh) = (page.find(&format!("/appeals/{late}")), page.find(&format!("/appeals/{fresh}")));
        assert!(at_late.unwrap() < at_fresh.unwrap(), "{page}");
        let rows: Vec<&str> = page.split("<tr").skip(2).collect();
        assert!(rows[0].contains("class=\"overdue\"") && rows[0].contains("Overdue"), "{}", rows[0]);
        assert!(!rows[1].contains("Overdue"), "{}", rows[1]);
        assert!(page.contains("Open: 2; overdue: 1"), "{page}");
        assert!(rows[0].contains("<td class=\"num\">0</td>"), "{}", rows[0]);
        assert!(rows[1].contains("<td class=\"num\">11</td>"), "19 April to 3 May, weekends out: {}", rows[1]);
    });
}

/// An appeal referred to another district through the form stays open and
/// moves to that district: its queue lists it, the first district's no longer
/// does, and its office takes the next act; referring it to the unit that
/// already handles it is refused at the unit's field.
#[test]
fn an_appeal_referred_to_another_unit_moves_to_its_queue_and_stays_open() {
    each_backend(|app| async move {
        let id = letter(&app, "2024-04-17T08:00:00Z", "Quliyev Tural").await;
        let nasimi = sign_in(&app, "apl", Role::AppealsOfficer, "BAK-NSM", &[]).await;
        let yasamal = sign_in(&app, "apl-yas", Role::AppealsOfficer, "BAK-YAS", &[]).await;
        let before = position(&app).await;
        let to = |unit: &'static str| {
            [
                ("to.kind", "unit"),
                ("to.unit", unit),
                ("referred_at", "2024-04-18T12:00"),
                ("applicant_told", "post"),
                GROUND,
            ]
        };
        let refused = post_as(&app, &format!("/appeals/{id}/refer?lang=en"), &to("BAK-NSM"), Some(&nasimi)).await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(error_at(&page, "to-unit").contains("already handled by"), "{page}");
        assert_eq!(position(&app).await, before);
        let referred = post_as(&app, &format!("/appeals/{id}/refer"), &to("BAK-YAS"), Some(&nasimi)).await;
        assert_eq!(location(&referred), format!("/appeals/{id}"));
        let page = html(&get_as(&app, &format!("/appeals/{id}?lang=en"), Some(&yasamal)).await, StatusCode::OK, "en");
        assert!(fact(&page, "appeal-status").contains("Open"), "{page}");
        assert!(fact(&page, "appeal-unit").contains("Yasamal"), "{page}");
        assert!(page.contains(&format!("/appeals/{id}/answer")), "{page}");
        let queue = html(&get_as(&app, "/appeals/queue?unit=BAK-YAS", Some(&yasamal)).await, StatusCode::OK, "az");
        assert!(queue.contains(&format!("/appeals/{id}")), "{queue}");
        let queue = html(&get_as(&app, "/appeals/queue?unit=BAK-NSM", Some(&nasimi)).await, StatusCode::OK, "az");
        assert!(!queue.contains(&format!("/appeals/{id}")), "{queue}");
    });
}
