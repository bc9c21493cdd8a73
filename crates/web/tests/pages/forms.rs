//! Forms: a bad one is shown again with each error at its field, in the
//! user's language, with what was typed, and writes nothing; a good one
//! records through the registry and sends the browser to the record.

use crate::helpers::*;
use crate::support::{App, each_backend};
use axum::http::StatusCode;

const ENVELOPE: [(&str, &str); 2] = [("actor", "officer-7"), ("legal_ground", "CPC art. 207")];

fn with_envelope<'a>(fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().copied().chain(ENVELOPE).collect()
}

/// Registers a report through its form and returns the report page's address.
pub async fn register(app: &App, summary: &str) -> String {
    let fields = with_envelope(&[
        ("unit", "BAK-NSM"),
        ("channel", "in_person"),
        ("received_at", "2024-04-18T12:00"),
        ("officer", "Duty officer Məmmədov"),
        ("summary", summary),
        ("applicant.full_name", "Leyla Əliyeva"),
        ("applicant.fin", "5abc12d"),
        ("applicant.sex", "female"),
    ]);
    let reply = post_form(app, "/reports/new", &fields).await;
    let to = location(&reply);
    assert!(to.starts_with("/reports/"), "{to}");
    to
}

#[test]
fn a_bad_report_form_shows_each_error_at_its_field_in_russian_keeps_what_was_typed_and_writes_nothing() {
    each_backend(|app| async move {
        let before = position(&app).await;
        let fields = with_envelope(&[
            ("unit", "BAK-NSM"),
            ("channel", ""),
            ("received_at", "2024-04-18T12:00"),
            ("officer", "Дежурный"),
            ("summary", "Кража велосипеда у подъезда"),
            ("applicant.full_name", "Лейла Алиева"),
            ("applicant.fin", "12"),
        ]);
        let reply = post_form_with_cookie(&app, "/reports/new", &fields, "lang=ru").await;
        let page = html(&reply, StatusCode::UNPROCESSABLE_ENTITY, "ru");
        assert!(page.contains("class=\"error-summary\""), "{page}");
        assert!(page.contains("href=\"#f-applicant-fin\""), "the summary links to the field");
        // The message sits with its field and the control points at it.
        let fin = page.split("for=\"f-applicant-fin\"").nth(1).unwrap();
        let fin = &fin[..fin.find("</div>").unwrap()];
        assert!(fin.contains("ФИН состоит из семи латинских букв и цифр."), "{fin}");
        assert!(fin.contains("aria-describedby=\"f-applicant-fin-help f-applicant-fin-error\""), "{fin}");
        assert!(fin.contains("aria-invalid=\"true\""), "{fin}");
        assert!(fin.contains("value=\"12\""), "the FIN as typed: {fin}");
        let channel = page.split("for=\"f-channel\"").nth(1).unwrap();
        assert!(channel[..channel.find("</div>").unwrap()].contains("Поле обязательно для заполнения."));
        assert!(page.contains("Кража велосипеда у подъезда</textarea>"), "the summary as typed");
        assert!(page.contains("value=\"Лейла Алиева\""));
        assert_eq!(position(&app).await, before, "a refused form records nothing");
    });
}

/// An empty register form names every field it lacks in one answer (it once
/// took three submissions to learn them all), and a form whose typed values
/// all read names what the registry's checks and the envelope's find together.
#[test]
fn an_empty_report_form_names_every_missing_field_at_once() {
    each_backend(|app| async move {
        let before = position(&app).await;
        let page = html(&post_form(&app, "/reports/new", &[]).await, StatusCode::UNPROCESSABLE_ENTITY, "az");
        let summary = &page[page.find("class=\"error-summary\"").expect("an error summary")..];
        let summary = &summary[..summary.find("</div>").unwrap()];
        let mut linked: Vec<&str> = summary.split("href=\"#f-").skip(1).map(|s| s.split('"').next().unwrap()).collect();
        linked.sort_unstable();
        linked.dedup();
        assert_eq!(linked, ["channel", "legal_ground", "officer", "received_at", "summary", "unit"], "{summary}");
        // Everything typed but the texts: the registry's rules and the envelope's, together.
        let fields = [("unit", "BAK-NSM"), ("channel", "online"), ("received_at", "2024-04-18T12:00")];
        let page = html(&post_form(&app, "/reports/new", &fields).await, StatusCode::UNPROCESSABLE_ENTITY, "az");
        for control in ["f-officer", "f-summary", "f-legal_ground"] {
            assert!(page.contains(&format!("href=\"#{control}\"")), "{control} not named: {page}");
        }
        assert_eq!(position(&app).await, before, "a refused form records nothing");
    });
}

/// The controls an error summary links to, each once, sorted.
fn linked_controls(page: &str) -> Vec<String> {
    let summary = &page[page.find("class=\"error-summary\"").expect("an error summary")..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    let mut linked: Vec<String> =
        summary.split("href=\"#f-").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect();
    linked.sort_unstable();
    linked.dedup();
    linked
}

/// The controls a form page marks as required.
fn required_controls(page: &str) -> Vec<String> {
    page.split('<')
        .filter(|tag| tag.contains("aria-required=\"true\""))
        .filter_map(|tag| tag.split("id=\"f-").nth(1).map(|rest| rest.split('"').next().unwrap().to_string()))
        .collect()
}

/// Every staff form that records an act, with the controls an empty
/// submission must name; `{report}`, `{case}`, `{examination}`, `{meeting}`
/// and `{task}` stand for entries made first.
const FORMS: [(&str, &[&str]); 16] = [
    ("/reports/new", &["channel", "legal_ground", "officer", "received_at", "summary", "unit"]),
    ("/reports/{report}/decide", &["decided_at", "legal_ground", "outcome-kind"]),
    ("/cases/new", &["agency", "articles", "legal_ground", "occurred_at", "registered_at", "unit"]),
    ("/cases/{case}/persons/new", &["legal_ground", "person-full_name", "person-role"]),
    ("/cases/{case}/money", &["amount", "at", "kind", "legal_ground"]),
    ("/cases/{case}/decide", &["decided_at", "decision-kind", "legal_ground"]),
    ("/cases/{case}/reclassify", &["articles", "decided_at", "legal_ground", "reason"]),
    ("/seizures/new", &["legal_ground", "net_grams", "seized_at", "substance", "unit"]),
    ("/accidents/new", &["cause", "injured", "killed", "legal_ground", "occurred_at", "unit"]),
    ("/examinations/new", &["case_number", "kind", "legal_ground", "requested_at", "unit"]),
    ("/examinations/{examination}/complete", &["done_at", "legal_ground", "result"]),
    (
        "/meetings/new",
        &["agenda-0-topic", "held_on", "kind", "legal_ground", "period_from", "period_to", "title", "unit"],
    ),
    ("/meetings/{meeting}/minutes", &["legal_ground", "minutes"]),
    (
        "/meetings/{meeting}/tasks/new",
        &["authority", "control_level", "controller", "due_on", "legal_ground", "owner", "text"],
    ),
    ("/tasks/{task}/report", &["confidence", "kind", "legal_ground", "text"]),
    ("/tasks/{task}/control", &["confidence", "decision-kind", "legal_ground"]),
];

/// Each form submitted empty names every field it requires in one answer,
/// each at its control, in the page's language, and records nothing; and
/// every control the form marks as required is among them.
#[test]
fn every_form_submitted_empty_names_every_missing_field_at_once() {
    each_backend(|app| async move {
        let report = crate::support::report(&app, "2024-04-02T08:00:00Z").await;
        let report_id = report["entity_id"].as_str().unwrap().to_string();
        let case =
            app.post("/api/cases", &crate::support::filing(crate::support::new_case(&[&report_id], &["177.2"]))).await;
        let case_id = case.json()["entity_id"].as_str().unwrap().to_string();
        let examination = serde_json::json!({"unit": "BAK-NSM", "case_id": case_id, "kind": "dna",
            "requested_at": "2024-04-18T08:00:00Z"});
        let examination = app.post("/api/examinations", &crate::support::filing(examination)).await;
        let examination_id = examination.json()["entity_id"].as_str().unwrap().to_string();
        // A fresh report to decide: the first is attached to the case.
        let undecided = crate::support::report(&app, "2024-04-03T08:00:00Z").await;
        let undecided = undecided["entity_id"].as_str().unwrap().to_string();
        // A meeting scheduled for today, its minutes not yet recorded, and a task its controller decides on.
        let meeting = crate::board::scheduled(&app, "2024-04-19").await;
        let task = crate::board::task(&app, &meeting, "BAK-NSM", "controller", "2024-06-30").await;
        let before = position(&app).await;
        for (template, expected) in FORMS {
            let path = template
                .replace("{report}", &undecided)
                .replace("{case}", &case_id)
                .replace("{examination}", &examination_id)
                .replace("{meeting}", &meeting)
                .replace("{task}", &task);
            let form = html(&get_with_cookie(&app, &path, "lang=en").await, StatusCode::OK, "en");
            for marked in required_controls(&form) {
                // The role of the first person of a case is asked only with the person.
                let only_with_a_person = template == "/cases/new" && marked == "persons-role";
                assert!(expected.contains(&marked.as_str()) || only_with_a_person, "{path}: {marked} is not named");
            }
            let reply = post_form_with_cookie(&app, &path, &[], "lang=en").await;
            let page = html(&reply, StatusCode::UNPROCESSABLE_ENTITY, "en");
            assert_eq!(linked_controls(&page), expected, "{path}");
            for control in expected {
                let at_control = page.split(&format!("id=\"f-{control}-error\"")).nth(1);
                let message = at_control.unwrap_or_else(|| panic!("{path}: no error at {control}"));
                assert!(message.split("</p>").next().unwrap().contains("This field is required."), "{path} {control}");
            }
        }
        assert_eq!(position(&app).await, before, "a refused form records nothing");
    });
}

/// Values that cannot be read and texts left empty are named together.
#[test]
fn several_wrong_fields_are_shown_at_once_in_the_pages_language() {
    each_backend(|app| async move {
        let fields = [("unit", "BAK-NSM"), ("net_grams", "a lot"), ("seized_at", "yesterday")];
        let page = html(
            &post_form_with_cookie(&app, "/seizures/new", &fields, "lang=ru").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "ru",
        );
        assert_eq!(linked_controls(&page), ["legal_ground", "net_grams", "seized_at", "substance"]);
        assert!(page.contains("value=\"a lot\""), "what was typed is kept");
        assert!(page.contains("Поле обязательно для заполнения."), "{page}");
    });
}

#[test]
fn a_rule_the_registry_checks_comes_back_to_its_field_too() {
    each_backend(|app| async move {
        let before = position(&app).await;
        // Every field reads, but a report made in person needs its applicant:
        // only the registry knows that rule.
        let fields = with_envelope(&[
            ("unit", "BAK-NSM"),
            ("channel", "in_person"),
            ("received_at", "2024-04-18T12:00"),
            ("officer", "Duty officer"),
            ("summary", "Stolen bicycle"),
        ]);
        let reply = post_form_with_cookie(&app, "/reports/new", &fields, "lang=en").await;
        let page = html(&reply, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(page.contains("A report made in person needs its applicant."), "{page}");
        assert!(page.contains("value=\"Duty officer\""));
        assert_eq!(position(&app).await, before);
    });
}

#[test]
fn a_good_report_form_registers_it_and_redirects_to_its_page() {
    each_backend(|app| async move {
        let page_path = register(&app, "Mənzildən zinət əşyaları oğurlanıb").await;
        let page = html(&app.get(&page_path).await, StatusCode::OK, "az");
        assert!(page.contains("M-BAK-NSM-2024-000001"), "{page}");
        assert!(page.contains("Mənzildən zinət əşyaları oğurlanıb"));
        // The act is the signed-in user's, whatever the form's actor says.
        assert!(page.contains("officer-1") && !page.contains("officer-7"), "the journal names who recorded it");
        assert!(page.contains("CPC art. 207"), "and on what legal ground");
        // It waits in the unit's queue, due in three days.
        let queue = html(&app.get("/?unit=BAK").await, StatusCode::OK, "az");
        assert!(queue.contains("M-BAK-NSM-2024-000001"), "{queue}");
    });
}

#[test]
fn a_report_is_refused_with_its_legal_ground() {
    each_backend(|app| async move {
        let page_path = register(&app, "Qonşular arasında mübahisə").await;
        let decide = format!("{page_path}/decide");
        html(&app.get(&decide).await, StatusCode::OK, "az");
        let fields = with_envelope(&[
            ("outcome.kind", "refuse"),
            ("decided_at", "2024-04-19T09:00"),
            ("outcome.ground", "CPC art. 39.1.1: no crime"),
        ]);
        assert_eq!(location(&post_form(&app, &decide, &fields).await), page_path);
        let page = html(&app.get(&page_path).await, StatusCode::OK, "az");
        assert!(page.contains("CPC art. 39.1.1: no crime"), "{page}");
        // A second decision is refused, on the form, in the chosen language.
        let again = post_form_with_cookie(&app, &decide, &fields, "lang=en").await;
        let text = html(&again, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(text.contains("The report has already been decided."), "{text}");
        let form_again = html(&get_with_cookie(&app, &decide, "lang=en").await, StatusCode::OK, "en");
        assert!(
            form_again.contains("This report has already been decided.") && !form_again.contains("method=\"post\"")
        );
    });
}

#[test]
fn a_case_is_opened_from_a_report_and_worked_through_its_forms() {
    each_backend(|app| async move {
        let report_path = register(&app, "Avtomobil oğurlanıb").await;
        let report_id = report_path.trim_start_matches("/reports/");
        let open_form = html(&app.get(&format!("/cases/new?report={report_id}")).await, StatusCode::OK, "az");
        assert!(open_form.contains("value=\"M-BAK-NSM-2024-000001\""), "the report's number is filled in");

        let opened = post_form(
            &app,
            "/cases/new",
            &with_envelope(&[
                ("report_numbers", "M-BAK-NSM-2024-000001"),
                ("unit", "BAK-NSM"),
                ("agency", "mia"),
                ("articles", "177.2"),
                ("occurred_at", "2024-04-17T22:00"),
                ("registered_at", "2024-04-19T10:00"),
                ("place.address", "Bakı, Nəsimi r-nu"),
                ("flags.public_place", "true"),
                ("description", "Avtomobil oğurluğu"),
            ]),
        )
        .await;
        let case_path = location(&opened);
        assert!(case_path.starts_with("/cases/"), "{case_path}");

        let person = post_form(
            &app,
            &format!("{case_path}/persons/new"),
            &with_envelope(&[
                ("person.role", "suspect"),
                ("person.full_name", "Rəşad Quliyev"),
                ("person.birth_date", "1990-02-03"),
            ]),
        )
        .await;
        assert_eq!(location(&person), case_path);

        let money = format!("{case_path}/money");
        let damage = with_envelope(&[("kind", "damage"), ("amount", "12 500,50"), ("at", "2024-04-19T11:00")]);
        assert_eq!(location(&post_form(&app, &money, &damage).await), case_path);
        // More back than was lost: the registry's rule, at the amount.
        let too_much = with_envelope(&[("kind", "reimbursement"), ("amount", "20000"), ("at", "2024-04-19T11:30")]);
        let refused = post_form_with_cookie(&app, &money, &too_much, "lang=en").await;
        let text = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        let amount = text.split("for=\"f-amount\"").nth(1).unwrap();
        assert!(amount[..amount.find("</div>").unwrap()].contains("exceeds the damage"), "{text}");
        assert!(text.contains("value=\"20000\""));

        let solved = with_envelope(&[
            ("decision.kind", "solved"),
            ("decided_at", "2024-04-19T12:00"),
            ("decision.how", "Video footage"),
            ("decision.forensic_methods", "video"),
        ]);
        assert_eq!(location(&post_form(&app, &format!("{case_path}/decide"), &solved).await), case_path);

        let reclassified = with_envelope(&[
            ("articles", "177.1"),
            ("reason", "The value was lower"),
            ("decided_at", "2024-04-19T12:30"),
        ]);
        assert_eq!(location(&post_form(&app, &format!("{case_path}/reclassify"), &reclassified).await), case_path);

        let page = html(&get_with_cookie(&app, &case_path, "lang=en").await, StatusCode::OK, "en");
        for expected in [
            "M-BAK-NSM-2024-000001",
            "Rəşad Quliyev",
            "Solved",
            "177.1",
            "The value was lower",
            "Person added",
            "Video footage",
        ] {
            assert!(page.contains(expected), "{expected} missing from the case page: {page}");
        }
        assert!(page.contains("12,500.50\u{a0}₼"), "money in the viewer's language: {page}");
    });
}

#[test]
fn seizures_accidents_and_examinations_are_recorded_through_their_forms() {
    each_backend(|app| async move {
        let seizure = post_form(
            &app,
            "/seizures/new",
            &with_envelope(&[
                ("unit", "BAK-NSM"),
                ("substance", "heroin"),
                ("net_grams", "1329000"),
                ("seized_at", "2024-04-18T08:00"),
            ]),
        )
        .await;
        let seizure_path = location(&seizure);
        let page = html(&app.get(&seizure_path).await, StatusCode::OK, "az");
        assert!(page.contains("1\u{a0}329\u{a0}kq"), "{page}");

        let accident = post_form(
            &app,
            "/accidents/new",
            &with_envelope(&[
                ("unit", "BAK-NSM"),
                ("occurred_at", "2024-04-18T08:00"),
                ("killed", "1"),
                ("injured", "2"),
                ("cause", "Speeding"),
            ]),
        )
        .await;
        html(&app.get(&location(&accident)).await, StatusCode::OK, "az");

        // An examination needs a case that exists.
        let before = position(&app).await;
        let fields = with_envelope(&[
            ("unit", "BAK-NSM"),
            ("case_number", "C-BAK-NSM-2024-999999"),
            ("kind", "dna"),
            ("requested_at", "2024-04-18T08:00"),
        ]);
        let refused = post_form_with_cookie(&app, "/examinations/new", &fields, "lang=en").await;
        let text = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(text.contains("The entry referred to does not exist."), "{text}");
        assert!(text.contains("value=\"C-BAK-NSM-2024-999999\""));
        assert_eq!(position(&app).await, before);
    });
}

#[test]
fn an_examination_is_requested_for_a_case_and_its_result_recorded() {
    each_backend(|app| async move {
        let report = crate::support::report(&app, "2024-04-02T08:00:00Z").await;
        let report_id = report["entity_id"].as_str().unwrap();
        let case =
            app.post("/api/cases", &crate::support::filing(crate::support::new_case(&[report_id], &["177.2"]))).await;
        let case_id = case.json()["entity_id"].as_str().unwrap().to_string();
        let form = html(&app.get(&format!("/examinations/new?case={case_id}")).await, StatusCode::OK, "az");
        assert!(form.contains("value=\"C-BAK-NSM-2024-000001\""), "the case's number is filled in");
        let requested = post_form(
            &app,
            "/examinations/new",
            &with_envelope(&[
                ("unit", "BAK-NSM"),
                ("case_number", "c-bak-nsm-2024-000001"),
                ("kind", "dna"),
                ("requested_at", "2024-04-18T08:00"),
                ("question", "Whose blood is it?"),
            ]),
        )
        .await;
        let exam_path = location(&requested);
        let complete = format!("{exam_path}/complete");
        let done =
            with_envelope(&[("done_at", "2024-04-19T09:00"), ("result", "A match"), ("identified_person", "true")]);
        assert_eq!(location(&post_form(&app, &complete, &done).await), exam_path);
        let page = html(&get_with_cookie(&app, &exam_path, "lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("A match") && page.contains("Examination completed"), "{page}");
        assert!(!page.contains(&format!("href=\"{complete}\"")), "no second result is offered");
        let case_page = html(&app.get(&format!("/cases/{case_id}")).await, StatusCode::OK, "az");
        assert!(case_page.contains("E-BAK-NSM-2024-000001"), "the case lists its examination: {case_page}");
    });
}

#[test]
fn a_report_received_long_ago_is_asked_its_reason_on_the_form_and_recorded_with_it() {
    each_backend(|app| async move {
        let before = position(&app).await;
        let typed = [
            ("unit", "BAK-NSM"),
            ("channel", "in_person"),
            ("received_at", "2024-04-01T12:00"),
            ("officer", "Duty officer Məmmədov"),
            ("summary", "Received at the desk, registered only now"),
            ("applicant.full_name", "Leyla Əliyeva"),
            ("applicant.sex", "female"),
        ];
        let reply = post_form_with_cookie(&app, "/reports/new", &with_envelope(&typed), "lang=en").await;
        let page = html(&reply, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert_eq!(position(&app).await, before, "nothing written");
        let reason = page.split("for=\"f-late-reason\"").nth(1).expect("the reason is asked for");
        let reason = &reason[..reason.find("</div>").unwrap()];
        assert!(reason.contains("more than 72 hours before it is registered"), "{reason}");
        assert!(
            reason.contains("value=\"found_in_inspection\"") && reason.contains("Found in an inspection"),
            "{reason}"
        );
        assert!(page.contains("Received at the desk, registered only now</textarea>"), "what was typed is kept");
        let mut with_reason = typed.to_vec();
        with_reason.extend([("late.reason", "applicant_came_late"), ("late.text", "She brought it in writing today")]);
        let recorded = post_form(&app, "/reports/new", &with_envelope(&with_reason)).await;
        let to = location(&recorded);
        assert!(to.starts_with("/reports/"), "{to}");
        let shown = get_with_cookie(&app, &to, "lang=en").await;
        let shown = html(&shown, StatusCode::OK, "en");
        assert!(
            shown.contains("The applicant came late: She brought it in writing today"),
            "the report is marked late"
        );
    });
}
