//! The report page's section on crimes committed with information
//! technologies: the scope and each unit below it with this period and,
//! in brackets, a year before, in the language asked for; none where
//! nothing of it was counted.

use crate::helpers::*;
use crate::support::{App, each_backend, filing, new_case, report};
use axum::http::StatusCode;
use serde_json::json;

/// An IT-enabled case registered in Nasimi from a report of its own.
async fn it_case(app: &App) {
    let received = report(app, "2024-04-02T08:00:00Z").await;
    let mut case = new_case(&[received["entity_id"].as_str().unwrap()], &["177.2"]);
    case["flags"] = json!({"it_enabled": true});
    let reply = app.post("/api/cases", &filing(case)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
}

#[test]
fn the_report_page_sets_out_the_it_crimes_of_each_unit_below() {
    each_backend(|app| async move {
        let uri = "/report?period=2024Q2&unit=BAK";
        let before = html(&get_with_cookie(&app, uri, "lang=en").await, StatusCode::OK, "en");
        assert!(!before.contains("id=\"it\""), "nothing counted, no section: {before}");
        it_case(&app).await;
        let page = html(&get_with_cookie(&app, uri, "lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("<h2 id=\"it-title\">Crimes committed with information technologies</h2>"), "{page}");
        assert!(page.contains("<caption id=\"it-table-0\">IT crimes, their damage and the money frozen, by unit"));
        let section = &page[page.find("id=\"it\"").unwrap()..];
        let row =
            &section[section.find("<th scope=\"row\">Nasimi District Police Department</th>").expect("Nasimi's row")..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(
            row.starts_with("<th scope=\"row\">Nasimi District Police Department</th><td class=\"num\">1 (0)</td>"),
            "{row}"
        );
        let ru = html(&get_with_cookie(&app, uri, "lang=ru").await, StatusCode::OK, "ru");
        assert!(ru.contains("Преступления с использованием информационных технологий</h2>"), "{ru}");
        let az = html(&get_with_cookie(&app, uri, "lang=az").await, StatusCode::OK, "az");
        assert!(az.contains("İnformasiya texnologiyalarından istifadə etməklə törədilmiş cinayətlər</h2>"), "{az}");
    });
}
