//! The Board's pages: its meetings, a meeting's memo of commitments, its
//! tasks with the report back and the controller's decision, a unit's queue
//! and the controller's sheet, in each language for whom they are for and
//! refused to the others; a task walked from the meeting to its closure
//! through the forms alone.

use crate::helpers::*;
use crate::support::{App, each_backend};
use axum::http::StatusCode;
use crimeboard_domain::access::Role;
use serde_json::{Value, json};

async fn recorded(app: &App, command: Value) -> String {
    let body = json!({"actor": "secretary", "legal_ground": "Kollegiyanın əsasnaməsi", "command": command});
    let reply = app.post("/api/acts", &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()["entity_id"].as_str().unwrap().to_string()
}

/// A meeting held on `held_on` with one agenda item, its minutes recorded.
pub async fn meeting(app: &App, held_on: &str) -> String {
    let id = scheduled(app, held_on).await;
    recorded(app, json!({"act": "record_minutes", "meeting_id": id, "minutes": "Protokol", "attendance": []})).await;
    id
}

/// A meeting scheduled for `held_on` with one agenda item.
pub async fn scheduled(app: &App, held_on: &str) -> String {
    recorded(
        app,
        json!({"act": "schedule_meeting", "unit": "AZ", "held_on": held_on, "kind": "quarterly",
            "period_from": "2024-01-01", "period_to": "2024-03-31", "title": "Birinci rübün yekunları",
            "agenda": [{"topic": "Mənzil oğurluqları", "indicators": ["crimes_recorded"], "units": ["BAK"]}],
            "rapporteurs": [{"full_name": "Polkovnik Əliyev", "position": "Rəis", "unit": "BAK", "item": 0}]}),
    )
    .await
}

/// A district's task is shared with its neighbour Yasamal; any other's with nobody.
fn co_executors(owner: &str) -> Value {
    if owner == "BAK-NSM" { json!(["BAK-YAS"]) } else { json!([]) }
}

pub async fn task(app: &App, meeting: &str, owner: &str, controller: &str, due_on: &str) -> String {
    recorded(
        app,
        json!({"act": "issue_task", "meeting_id": meeting, "text": "Oğurluqları azaltmaq", "authority": "Nazir",
            "owner": owner, "co_executors": co_executors(owner), "controller": controller, "due_on": due_on, "control_level": "deputy_minister",
            "targets": [{"indicator": "crimes_recorded", "expected": {"kind": "at_most", "value": 10}}]}),
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

#[test]
fn each_board_page_shows_in_every_language_to_whom_it_is_for_and_is_refused_to_the_others() {
    each_backend(|app| async move {
        let m = meeting(&app, "2024-04-18").await;
        let t = task(&app, &m, "BAK-NSM", "ctl", "2024-06-30").await;
        let secretary = sign_in(&app, "sec", Role::BoardSecretary, "AZ", &[]).await;
        let controller = sign_in(&app, "ctl", Role::Controller, "AZ", &[]).await;
        let other_controller = sign_in(&app, "ctl-2", Role::Controller, "AZ", &[]).await;
        let chief = sign_in(&app, "nsm-chief", Role::UnitChief, "BAK-NSM", &[]).await;
        let investigator = sign_in(&app, "inv", Role::Investigator, "BAK-NSM", &[]).await;
        let pages: [(String, &Session, &str); 11] = [
            ("/meetings".into(), &secretary, "Birinci"),
            (format!("/meetings/{m}"), &secretary, "Polkovnik Əliyev"),
            (format!("/meetings/{m}/commitments"), &secretary, "Oğurluqları azaltmaq"),
            ("/meetings/new".into(), &secretary, "agenda.4.topic"),
            (format!("/meetings/{m}/minutes"), &secretary, "attendance.9.full_name"),
            (format!("/meetings/{m}/tasks/new"), &secretary, "targets.0.indicator"),
            (format!("/tasks/{t}"), &chief, "Oğurluqları azaltmaq"),
            (format!("/tasks/{t}/report"), &chief, "ask_extension"),
            (format!("/tasks/{t}/control"), &controller, "decision.justification"),
            ("/board/tasks?unit=BAK-NSM".into(), &chief, "BT-BAK-NSM-2024-"),
            ("/board/sheet".into(), &controller, "BT-BAK-NSM-2024-"),
        ];
        for (path, session, shows) in &pages {
            for lang in ["az", "ru", "en"] {
                let sep = if path.contains('?') { '&' } else { '?' };
                let reply = get_as(&app, &format!("{path}{sep}lang={lang}"), Some(session)).await;
                let page = html(&reply, StatusCode::OK, lang);
                assert!(page.contains(shows), "{path} in {lang} lacks {shows}: {page}");
            }
            let refused = get_as(&app, path, Some(&investigator)).await;
            html(&refused, StatusCode::FORBIDDEN, "az");
        }
        // The decision is the task's controller's alone: another controller is refused, and not offered it.
        let refused = get_as(&app, &format!("/tasks/{t}/control?lang=en"), Some(&other_controller)).await;
        let page = html(&refused, StatusCode::FORBIDDEN, "en");
        assert!(
            page.contains("Only the task&#39;s controller may close") || page.contains("Only the task's controller"),
            "{page}"
        );
        let seen = html(&get_as(&app, &format!("/tasks/{t}"), Some(&other_controller)).await, StatusCode::OK, "az");
        assert!(!seen.contains(&format!("/tasks/{t}/control")), "the decision is offered to its controller only");
        let seen = html(&get_as(&app, &format!("/tasks/{t}"), Some(&controller)).await, StatusCode::OK, "az");
        assert!(seen.contains(&format!("/tasks/{t}/control")), "{seen}");
        // A co-executor's chief reads the task, as the unit's queue lists it, but reports on it only as the owner.
        let yas = sign_in(&app, "yas-chief", Role::UnitChief, "BAK-YAS", &[]).await;
        let queue = html(&get_as(&app, "/board/tasks?unit=BAK-YAS", Some(&yas)).await, StatusCode::OK, "az");
        assert!(queue.contains(&format!("href=\"/tasks/{t}\"")), "{queue}");
        html(&get_as(&app, &format!("/tasks/{t}"), Some(&yas)).await, StatusCode::OK, "az");
        html(&get_as(&app, &format!("/tasks/{t}/report"), Some(&yas)).await, StatusCode::FORBIDDEN, "az");
        // A chief of a unit with no part in the task is refused its page and its report form.
        let gnc = sign_in(&app, "gnc-chief", Role::UnitChief, "GNC", &[]).await;
        for path in [format!("/tasks/{t}"), format!("/tasks/{t}/report")] {
            html(&get_as(&app, &path, Some(&gnc)).await, StatusCode::FORBIDDEN, "az");
        }
        // The Board's entries are in the menu of those who may open them only.
        let nav = html(&get_as(&app, "/board/sheet", Some(&secretary)).await, StatusCode::OK, "az");
        assert!(nav.contains("href=\"/meetings") && nav.contains("href=\"/board/tasks"), "{nav}");
        let nav = html(&get_as(&app, "/cases", Some(&investigator)).await, StatusCode::OK, "az");
        assert!(!nav.contains("href=\"/meetings") && !nav.contains("href=\"/board/sheet"), "{nav}");
    });
}

/// The status, the extensions counted and the due date in force, as the task's page shows them.
fn task_facts(page: &str) -> (String, String, String) {
    let at = |id: &str| {
        let rest = page.split(&format!("id=\"{id}\">")).nth(1).unwrap_or_else(|| panic!("no {id}: {page}"));
        rest.split("</dd>").next().unwrap().to_string()
    };
    (at("task-status"), at("task-extensions"), at("task-due"))
}

/// The secretary schedules a meeting, records its minutes and issues a task;
/// the owner's chief reports back and asks an extension, which the
/// controller grants; the chief asks closure and the controller closes it:
/// all through the pages' forms, the task's page saying where it stands.
#[test]
fn a_task_is_walked_from_its_meeting_to_its_closure_through_the_forms() {
    each_backend(|app| async move {
        let secretary = sign_in(&app, "sec", Role::BoardSecretary, "AZ", &[]).await;
        let chief = sign_in(&app, "nsm-chief", Role::UnitChief, "BAK-NSM", &[]).await;
        let controller = sign_in(&app, "ctl", Role::Controller, "AZ", &[]).await;
        let ground = ("legal_ground", "Kollegiyanın əsasnaməsi");
        let scheduled = post_as(
            &app,
            "/meetings/new",
            &[
                ("unit", "AZ"),
                ("title", "Birinci rübün yekunları"),
                ("kind", "quarterly"),
                ("held_on", "2024-04-18"),
                ("period_from", "2024-01-01"),
                ("period_to", "2024-03-31"),
                ("agenda.0.topic", "Mənzil oğurluqları"),
                ("agenda.0.indicators", "crimes_recorded"),
                ("agenda.0.units", "BAK, GNC"),
                ("rapporteurs.0.full_name", "Polkovnik Əliyev"),
                ("rapporteurs.0.position", "Rəis"),
                ("rapporteurs.0.unit", "BAK"),
                ("rapporteurs.0.item", "0"),
                ground,
            ],
            Some(&secretary),
        )
        .await;
        let meeting = location(&scheduled);
        assert!(meeting.starts_with("/meetings/"), "{meeting}");
        let page = html(&get_as(&app, &meeting, Some(&secretary)).await, StatusCode::OK, "az");
        assert!(page.contains("Polkovnik Əliyev") && page.contains("period=2024-01-01..2024-03-31"), "{page}");
        let minutes = post_as(
            &app,
            &format!("{meeting}/minutes"),
            &[
                ("minutes", "Kollegiya tapşırıq verdi."),
                ("attendance.0.full_name", "General Məmmədov"),
                ("attendance.0.position", "Nazir müavini"),
                ("attendance.0.present", "true"),
                ground,
            ],
            Some(&secretary),
        )
        .await;
        assert_eq!(location(&minutes), meeting);
        let page = html(&get_as(&app, &meeting, Some(&secretary)).await, StatusCode::OK, "az");
        assert!(page.contains("General Məmmədov") && page.contains("Kollegiya tapşırıq verdi."), "{page}");
        let issued = post_as(
            &app,
            &format!("{meeting}/tasks/new"),
            &[
                ("text", "Mənzil oğurluqlarını azaltmaq"),
                ("authority", "Nazir"),
                ("owner", "BAK-NSM"),
                ("co_executors", "BAK-YAS"),
                ("controller", "ctl"),
                ("due_on", "2024-06-30"),
                ("control_level", "deputy_minister"),
                ("targets.0.indicator", "crimes_recorded"),
                ("targets.0.expected", "decrease"),
                ground,
            ],
            Some(&secretary),
        )
        .await;
        let task = location(&issued);
        assert!(task.starts_with("/tasks/"), "{task}");
        let look = |session: &'static str| {
            let (app, task) = (app.clone(), task.clone());
            let s = match session {
                "chief" => chief.clone(),
                _ => controller.clone(),
            };
            async move { task_facts(&html(&get_as(&app, &format!("{task}?lang=en"), Some(&s)).await, StatusCode::OK, "en")) }
        };
        assert_eq!(look("chief").await, ("Open".into(), "0".into(), "30/06/2024".into()));

        let report = |kind: &'static str, extra: Vec<(&'static str, &'static str)>| {
            let (app, task, chief) = (app.clone(), task.clone(), chief.clone());
            async move {
                let mut fields = vec![("kind", kind), ("text", "Görülən işlər"), ("confidence", "at_risk"), ground];
                fields.extend(extra);
                location(&post_as(&app, &format!("{task}/report"), &fields, Some(&chief)).await)
            }
        };
        let decide = |kind: &'static str, extra: Vec<(&'static str, &'static str)>| {
            let (app, task, controller) = (app.clone(), task.clone(), controller.clone());
            async move {
                let mut fields = vec![("decision.kind", kind), ("confidence", "on_track"), ground];
                fields.extend(extra);
                location(&post_as(&app, &format!("{task}/control"), &fields, Some(&controller)).await)
            }
        };
        assert_eq!(report("interim", vec![]).await, task);
        assert_eq!(look("chief").await, ("Open".into(), "0".into(), "30/06/2024".into()));
        let asked = vec![("kind.new_due_on", "2024-07-31"), ("kind.reason", "Əlavə vaxt lazımdır")];
        assert_eq!(report("ask_extension", asked).await, task);
        assert_eq!(look("controller").await, ("Extension asked".into(), "0".into(), "30/06/2024".into()));
        let extend = vec![("decision.new_due_on", "2024-07-31"), ("decision.reason", "Əsaslıdır")];
        assert_eq!(decide("extend", extend).await, task);
        assert_eq!(look("chief").await, ("Open".into(), "1".into(), "31/07/2024 (extensions: 1)".into()));
        assert_eq!(report("ask_closure", vec![]).await, task);
        let page = html(&get_as(&app, &format!("{task}?lang=en"), Some(&controller)).await, StatusCode::OK, "en");
        assert!(page.contains("Closure is asked") && page.contains("Baseline"), "the targets evaluated: {page}");
        assert_eq!(decide("close", vec![("decision.justification", "İcra olunub")]).await, task);
        let page = html(&get_as(&app, &format!("{task}?lang=en"), Some(&chief)).await, StatusCode::OK, "en");
        assert_eq!(task_facts(&page), ("Closed".into(), "1".into(), "31/07/2024 (extensions: 1)".into()));
        assert!(!page.contains(&format!("{task}/report")), "a closed task takes no report");
        // The reports back and the decisions, in order, with what each said.
        let history = &page[page.find("id=\"history\"").unwrap()..];
        let mut from = 0;
        for said in ["Interim report", "Extension asked", "Extend", "Closure asked", "Close"] {
            let at = history[from..].find(said).unwrap_or_else(|| panic!("{said} not after {from} in {history}"));
            from += at + said.len();
        }
        // The memo of commitments lists the task with its owner, controller and due date.
        let memo = html(
            &get_as(&app, &format!("{meeting}/commitments?lang=en"), Some(&secretary)).await,
            StatusCode::OK,
            "en",
        );
        assert!(
            memo.contains("Mənzil oğurluqlarını azaltmaq") && memo.contains("ctl") && memo.contains("18/04/2024"),
            "{memo}"
        );
    });
}

#[test]
fn a_rule_the_registry_checks_on_a_board_form_comes_back_at_its_field() {
    each_backend(|app| async move {
        let m = meeting(&app, "2024-04-18").await;
        let t = task(&app, &m, "BAK-NSM", "controller", "2024-06-30").await;
        let before = position(&app).await;
        // An extension to an earlier date is named at the new date.
        let fields = [
            ("kind", "ask_extension"),
            ("kind.new_due_on", "2024-06-01"),
            ("kind.reason", "Vaxt"),
            ("text", "Görülən işlər"),
            ("confidence", "at_risk"),
            ("legal_ground", "Əsasnamə"),
        ];
        let page = html(
            &post_form_with_cookie(&app, &format!("/tasks/{t}/report"), &fields, "lang=en").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "en",
        );
        assert!(
            error_at(&page, "kind-new_due_on").contains("The new due date must be after the current one"),
            "{page}"
        );
        assert!(page.contains("value=\"2024-06-01\""), "what was typed is kept");
        // Closing what nobody asked to close is named at the decision.
        let fields = [("decision.kind", "close"), ("confidence", "on_track"), ("legal_ground", "Əsasnamə")];
        let page = html(
            &post_form_with_cookie(&app, &format!("/tasks/{t}/control"), &fields, "lang=en").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "en",
        );
        assert!(error_at(&page, "decision-kind").contains("Only a task whose closure was asked"), "{page}");
        // An unknown indicator in the third agenda row, the second blank, is named in that row.
        let meeting = |item: &'static str| {
            vec![
                ("unit", "AZ"),
                ("title", "Yekunlar"),
                ("kind", "quarterly"),
                ("held_on", "2024-04-18"),
                ("period_from", "2024-01-01"),
                ("period_to", "2024-03-31"),
                ("agenda.0.topic", "Oğurluqlar"),
                ("agenda.0.indicators", "crimes_recorded"),
                ("agenda.2.topic", "Yollar"),
                ("agenda.2.indicators", "no_such_indicator"),
                ("rapporteurs.1.full_name", "Polkovnik Əliyev"),
                ("rapporteurs.1.position", "Rəis"),
                ("rapporteurs.1.unit", "BAK"),
                ("rapporteurs.1.item", item),
                ("legal_ground", "Əsasnamə"),
            ]
        };
        let reply = post_form_with_cookie(&app, "/meetings/new", &meeting("2"), "lang=ru").await;
        let page = html(&reply, StatusCode::UNPROCESSABLE_ENTITY, "ru");
        assert!(error_at(&page, "agenda-2-indicators").contains("no_such_indicator"), "{page}");
        assert!(
            !page.contains("id=\"f-agenda-1-indicators-error\"") && !page.contains("rapporteurs-1-item-error"),
            "{page}"
        );
        // A rapporteur on the blank row reports on no item.
        let reply = post_form_with_cookie(&app, "/meetings/new", &meeting("1"), "lang=en").await;
        let page = html(&reply, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(error_at(&page, "rapporteurs-1-item").contains("There is no such agenda item"), "{page}");
        assert_eq!(position(&app).await, before, "a refused form records nothing");
    });
}

/// The queue shows a unit's own tasks nearest due first with their step in
/// words, and an overdue task of a unit below marked with where it comes
/// from; the sheet filters by controller and shows both confidences side
/// by side, and writes the same lines as CSV.
#[test]
fn the_queue_escalates_overdue_tasks_and_the_sheet_sets_both_confidences_side_by_side() {
    each_backend(|app| async move {
        let m = meeting(&app, "2024-04-01").await;
        let overdue = task(&app, &m, "BAK-NSM", "controller", "2024-04-10").await;
        task(&app, &m, "BAK", "other", "2024-04-22").await;
        recorded(
            &app,
            json!({"act": "report_on_task", "task_id": overdue, "kind": {"kind": "interim"},
            "text": "İşlər", "confidence": "off_track"}),
        )
        .await;
        let page = html(&app.get("/board/tasks?unit=BAK&lang=en").await, StatusCode::OK, "en");
        let soon = page.find("⏳ Due within 7 days").expect("the step in words");
        let late = page.find("⚠ Overdue").expect("the overdue step in words");
        assert!(late < soon, "nearest due first: {page}");
        let row = &page[page[..late].rfind("<tr>").unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains("BT-BAK-NSM-2024-") && row.contains("Nasimi"), "escalated, from its owner: {row}");
        // The city's chief lands on the reports' queue, with the Board's tasks counted and linked.
        let chief = sign_in(&app, "bak-chief", Role::UnitChief, "BAK", &[]).await;
        let home = html(&get_as(&app, "/?lang=en", Some(&chief)).await, StatusCode::OK, "en");
        let tasks = &home[home.find("id=\"board-tasks\"").expect("the Board's tasks on the home page")..];
        assert!(tasks.contains("2 in the unit") && tasks.contains("1 of them overdue"), "{tasks}");
        assert!(tasks.contains("href=\"/board/tasks?unit=BAK\""), "{tasks}");
        // Only the unit's own and those escalated to it: the root sees neither yet.
        let root = html(&app.get("/board/tasks?unit=AZ&lang=en").await, StatusCode::OK, "en");
        assert!(!root.contains("BT-BAK-NSM-2024-"), "{root}");

        let sheet = html(&app.get("/board/sheet?controller=controller&lang=en").await, StatusCode::OK, "en");
        assert!(sheet.contains("Owner&#39;s confidence") || sheet.contains("Owner's confidence"), "{sheet}");
        assert!(sheet.contains("Off track") && sheet.contains("not stated"), "both confidences: {sheet}");
        assert!(!sheet.contains("BT-BAK-2024-"), "another controller's task is filtered out: {sheet}");
        let file = app.get("/board/sheet?controller=controller&format=csv&lang=en").await;
        assert_eq!(file.status, StatusCode::OK);
        let csv = String::from_utf8_lossy(&file.body).to_string();
        assert!(
            csv.contains("Controller's confidence") && csv.contains("Off track") && !csv.contains("BT-BAK-2024-"),
            "{csv}"
        );
        // A reversed due range is named at its field.
        let page =
            html(&app.get("/board/sheet?due_from=2024-05-01&due_to=2024-04-01&lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("id=\"f-due_from-error\""), "{page}");
    });
}
