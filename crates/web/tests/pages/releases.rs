//! The press release's pages: the press officer asks for a held meeting's
//! draft, reads it in az, ru and en with each figure's provenance under the
//! text, edits a language (a token naming no figure is shown at the text),
//! approves and publishes it; each refused form writes nothing.

use crate::helpers::*;
use crate::support::App;
use crate::support::each_backend;
use axum::http::StatusCode;
use serde_json::json;

/// A case of the first quarter and a Board meeting reviewing it, held; its id.
async fn held_meeting(app: &App) -> String {
    let act = |command| json!({"actor": "secretary", "legal_ground": "Əsasnamə", "command": command});
    let r = crate::support::report(app, "2024-02-01T08:00:00Z").await;
    let mut case = crate::support::new_case(&[r["entity_id"].as_str().unwrap()], &["177.2"]);
    case["occurred_at"] = json!("2024-01-31T20:00:00Z");
    case["registered_at"] = json!("2024-02-02T09:00:00Z");
    assert_eq!(app.post("/api/cases", &crate::support::filing(case)).await.status, StatusCode::CREATED);
    let m = app
        .post(
            "/api/acts",
            &act(json!({"act": "schedule_meeting", "unit": "AZ", "held_on": "2024-04-18",
            "kind": "quarterly", "period_from": "2024-01-01", "period_to": "2024-03-31", "title": "Kollegiya",
            "agenda": [{"topic": "Mənzil oğurluqları", "indicators": ["crimes_recorded"]}]})),
        )
        .await
        .json();
    let id = m["entity_id"].as_str().unwrap().to_string();
    let minutes = json!({"act": "record_minutes", "meeting_id": id, "minutes": "Protokol",
        "attendance": [{"full_name": "Nazir", "position": "Nazir", "present": true}]});
    assert_eq!(app.post("/api/acts", &act(minutes)).await.status, StatusCode::CREATED);
    id
}

#[test]
fn a_release_is_drafted_read_in_three_languages_edited_approved_and_published_through_its_pages() {
    each_backend(|app| async move {
        let meeting = held_meeting(&app).await;
        let ground = ("legal_ground", "Mətbuat xidmətinin əsasnaməsi");
        html(&get_with_cookie(&app, "/releases/new", "lang=ru").await, StatusCode::OK, "ru");
        let page = post_form_with_cookie(&app, "/releases/new", &[("meeting_id", "nonsense"), ground], "lang=en").await;
        assert!(html(&page, StatusCode::UNPROCESSABLE_ENTITY, "en").contains("id=\"f-meeting_id-error\""));
        let at = location(&post_form(&app, "/releases/new", &[("meeting_id", &meeting), ground]).await);
        assert!(at.starts_with("/releases/"), "{at}");

        for (lang, heading, value) in [
            ("az", "Relizdə verilən", "Jurnal mövqeyi"),
            ("ru", "Показатели, приведённые", "Позиция журнала"),
            ("en", "The figures the release states", "Journal position"),
        ] {
            let page = html(&get_with_cookie(&app, &at, &format!("lang={lang}")).await, StatusCode::OK, lang);
            assert!(page.contains(heading) && page.contains(value), "{lang}: {page}");
            assert!(page.contains("<code>{{fig:0}}</code>") && page.contains("<code>crimes_recorded</code>"), "{page}");
            assert!(page.contains("1 crime"), "the English text, written out: {page}");
            assert!(!page.contains("{{fig:0}} "), "no token in the texts shown: {page}");
        }
        let listed = html(&get_with_cookie(&app, "/releases", "lang=en").await, StatusCode::OK, "en");
        assert!(listed.contains(&at), "{listed}");

        let edit = format!("{at}/edit?lang=en");
        let form = html(&get_with_cookie(&app, &edit, "lang=en").await, StatusCode::OK, "en");
        assert!(form.contains("{{fig:0}}") && form.contains("which stands for the figure"), "{form}");
        let before = position(&app).await;
        let refused = post_form_with_cookie(&app, &edit, &[("text", "{{fig:99}} crimes"), ground], "lang=en").await;
        let refused = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(refused.contains("id=\"f-text-error\"") && refused.contains("names no figure"), "{refused}");
        assert_eq!(position(&app).await, before, "a refused edit records nothing");
        location(&post_form(&app, &edit, &[("text", "The Board met: {{fig:0}} crime."), ground]).await);
        let shown = html(&get_with_cookie(&app, &at, "lang=en").await, StatusCode::OK, "en");
        assert!(shown.contains("The Board met: 1 crime."), "{shown}");

        location(&post_form(&app, &format!("{at}/approve"), &[ground]).await);
        let frozen = post_form_with_cookie(&app, &edit, &[("text", "Other"), ground], "lang=en").await;
        html(&frozen, StatusCode::UNPROCESSABLE_ENTITY, "en");
        location(&post_form(&app, &format!("{at}/publish"), &[ground]).await);
        let published = html(&get_with_cookie(&app, &at, "lang=en").await, StatusCode::OK, "en");
        assert!(published.contains("Published"), "{published}");
    });
}
