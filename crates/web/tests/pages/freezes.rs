//! Freeze requests on the pages and in the API: a request naming a card,
//! recorded through the acts, is shown masked on its page, in its case's
//! page, the register's list and its CSV and XLSX files and the API's entry;
//! the clear number is in none of them.

use crate::helpers::*;
use crate::support::{App, each_backend};
use axum::http::StatusCode;
use crimeboard_domain::access::Role;
use serde_json::{Value, json};
use std::io::Read;

const CARD: &str = "4916 3389 0115 2263";
const MASKED: &str = "491633******2263";

fn clear_forms() -> [String; 3] {
    [CARD.to_string(), CARD.replace(' ', ""), CARD.replace(' ', "-")]
}

fn assert_no_clear_number(place: &str, text: &str) {
    for clear in clear_forms() {
        assert!(!text.contains(&clear), "{place} holds the clear number {clear}");
    }
}

/// The text of every entry of a zip file (a workbook), each inflated.
fn unzipped(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(4).position(|w| w == b"PK\x03\x04") {
        let header = at + found;
        let word = |o: usize| usize::from(u16::from_le_bytes([bytes[header + o], bytes[header + o + 1]]));
        let data = header + 30 + word(26) + word(28);
        let mut text = Vec::new();
        match word(8) {
            8 => {
                let _ = flate2::read::DeflateDecoder::new(&bytes[data..]).read_to_end(&mut text);
            }
            _ => text.extend_from_slice(&bytes[data..]),
        }
        out.push_str(&String::from_utf8_lossy(&text));
        at = header + 4;
    }
    out
}

async fn act(app: &App, command: Value) -> Value {
    let filing = json!({"actor": "officer-1", "legal_ground": "CPC art. 207", "command": command});
    let reply = app.post("/api/acts", &filing).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()
}

#[test]
fn a_request_naming_a_card_shows_it_masked_everywhere_and_its_number_nowhere() {
    each_backend(|app| async move {
        let r = crate::support::report(&app, "2024-04-02T08:00:00Z").await;
        let report_id = r["entity_id"].as_str().unwrap().to_string();
        let mut case = crate::support::new_case(&[&report_id], &["177.2"]);
        case["persons"] = json!([{"role": "victim", "full_name": "Əliyeva Nərmin", "birth_date": "1980-01-01"}]);
        let filed = app.post("/api/cases", &crate::support::filing(case)).await;
        assert_eq!(filed.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&filed.body));
        let case_id = filed.json()["entity_id"].as_str().unwrap().to_string();
        let card = [("identifier.kind", "card"), ("identifier.input", CARD), ("legal_ground", "CPC art. 207")];
        location(&post_form(&app, &format!("/cases/{case_id}/identifiers/new"), &card).await);
        let state = app.get(&format!("/api/cases/{case_id}")).await.json();
        let key = state["state"]["identifiers"][0]["identifier"]["value"].as_str().unwrap().to_string();
        let request = act(
            &app,
            json!({"act": "request_freeze", "unit": "BAK-NSM", "case_id": case_id, "institution": "Kapital Bank",
                "identifier": {"kind": "card", "value": key}, "amount_qepik": 150000,
                "sent_at": "2024-04-18T08:00:00Z"}),
        )
        .await;
        let id = request["entity_id"].as_str().unwrap().to_string();
        assert!(request["number"].as_str().unwrap().starts_with("FZ-BAK-NSM-2024-"), "{request}");
        // Sent yesterday morning, a day's deadline passed: first in the unit's queue, marked overdue.
        let chief = sign_in(&app, "chief-nsm", Role::UnitChief, "BAK-NSM", &[]).await;
        let queue_uri = "/freezes/queue?unit=BAK-NSM&lang=en";
        let queue = html(&get_as(&app, queue_uri, Some(&chief)).await, StatusCode::OK, "en");
        assert!(queue.contains(&format!("/freezes/{id}")) && queue.contains("class=\"overdue\""), "{queue}");
        assert_no_clear_number("queue", &queue);
        act(
            &app,
            json!({"act": "answer_freeze", "request_id": id, "answered_at": "2024-04-18T12:00:00Z",
                "outcome": "frozen", "amount_frozen_qepik": 150000}),
        )
        .await;
        let answered = html(&get_as(&app, queue_uri, Some(&chief)).await, StatusCode::OK, "en");
        assert!(!answered.contains(&format!("/freezes/{id}")), "an answered request leaves the queue");
        let page = html(&get_as(&app, &format!("/freezes/{id}?lang=en"), Some(&chief)).await, StatusCode::OK, "en");
        assert!(page.contains(MASKED) && page.contains("Kapital Bank") && page.contains("Frozen"), "{page}");
        let case_page =
            html(&get_as(&app, &format!("/cases/{case_id}?lang=en"), Some(&chief)).await, StatusCode::OK, "en");
        assert!(case_page.contains(&format!("/freezes/{id}")), "the case lists its request");
        let list = html(&get_as(&app, "/freezes?status=frozen&lang=en", Some(&chief)).await, StatusCode::OK, "en");
        assert!(list.contains(&format!("/freezes/{id}")) && list.contains(MASKED), "{list}");
        let csv = get_as(&app, "/freezes?format=csv", Some(&chief)).await;
        assert_eq!(csv.status, StatusCode::OK);
        let csv = String::from_utf8(csv.body).unwrap();
        assert!(csv.contains(MASKED) && csv.contains("Kapital Bank"), "{csv}");
        let xlsx = get_as(&app, "/freezes?format=xlsx", Some(&chief)).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        let workbook = unzipped(&xlsx.body);
        assert!(workbook.contains(MASKED), "the workbook holds the masked card");
        let api = String::from_utf8(app.get(&format!("/api/freezes/{id}")).await.body).unwrap();
        assert!(api.contains(MASKED), "{api}");
        let journal = String::from_utf8(app.get("/api/journal?limit=1000").await.body).unwrap();
        for (place, text) in
            [("page", &page), ("case page", &case_page), ("list", &list), ("csv", &csv), ("xlsx", &workbook)]
        {
            assert_no_clear_number(place, text);
        }
        assert_no_clear_number("api", &api);
        assert!(journal.contains(MASKED), "the journal read is the one the card went into");
        assert_no_clear_number("journal", &journal);
    });
}

/// The value of the first option of a select whose label holds `shown`.
fn option_for(page: &str, shown: &str) -> String {
    let before = page.split(shown).next().unwrap();
    let at = before.rsplit("<option value=\"").next().unwrap();
    at[..at.find('"').unwrap()].to_string()
}

#[test]
fn a_freeze_is_requested_from_its_case_answered_and_returned_on_the_pages_each_refused_field_named() {
    each_backend(|app| async move {
        let r = crate::support::report(&app, "2024-04-02T08:00:00Z").await;
        let report_id = r["entity_id"].as_str().unwrap().to_string();
        let mut case = crate::support::new_case(&[&report_id], &["177.2"]);
        case["persons"] = json!([{"role": "victim", "full_name": "Əliyeva Nərmin", "birth_date": "1980-01-01"}]);
        let filed = app.post("/api/cases", &crate::support::filing(case)).await;
        let case_id = filed.json()["entity_id"].as_str().unwrap().to_string();
        let card = [("identifier.kind", "card"), ("identifier.input", CARD), ("legal_ground", "CPC art. 207")];
        location(&post_form(&app, &format!("/cases/{case_id}/identifiers/new"), &card).await);
        let damage =
            [("kind", "damage"), ("amount", "1500"), ("at", "2024-04-10T10:00"), ("legal_ground", "CPC art. 207")];
        location(&post_form(&app, &format!("/cases/{case_id}/money"), &damage).await);
        let officer = sign_in(&app, "freeze-officer", Role::Investigator, "BAK-NSM", &[]).await;
        let case_page =
            html(&get_as(&app, &format!("/cases/{case_id}?lang=en"), Some(&officer)).await, StatusCode::OK, "en");
        let form_uri = format!("/cases/{case_id}/freeze");
        assert!(case_page.contains(&format!("href=\"{form_uri}\"")), "from the case: {case_page}");
        let form = html(&get_as(&app, &format!("{form_uri}?lang=en"), Some(&officer)).await, StatusCode::OK, "en");
        assert!(form.contains(MASKED) && form.contains("24 hours"), "the card masked, the deadline's rule: {form}");
        assert_no_clear_number("request form", &form);
        let account = option_for(&form, MASKED);
        assert!(account.starts_with("card:"), "{account}");
        let before = position(&app).await;
        let bad = [
            ("institution", ""),
            ("identifier", account.as_str()),
            ("amount", "a lot"),
            ("sent_at", "2024-04-18T12:00"),
            ("legal_ground", "CPC art. 207"),
        ];
        let refused = post_as(&app, &format!("{form_uri}?lang=en"), &bad, Some(&officer)).await;
        let refused = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(
            refused.contains("id=\"f-institution-error\"") && refused.contains("id=\"f-amount-error\""),
            "{refused}"
        );
        let unknown = [
            ("institution", "Kapital Bank"),
            ("identifier", "card:nonsense"),
            ("amount", "1500"),
            ("sent_at", "2024-04-18T12:00"),
            ("legal_ground", "CPC art. 207"),
        ];
        let refused = post_as(&app, &format!("{form_uri}?lang=en"), &unknown, Some(&officer)).await;
        assert!(html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en").contains("id=\"f-identifier-error\""));
        let future = [
            ("institution", "Kapital Bank"),
            ("identifier", account.as_str()),
            ("amount", "1500"),
            ("sent_at", "2030-01-01T12:00"),
            ("legal_ground", "CPC art. 207"),
        ];
        let refused = post_as(&app, &format!("{form_uri}?lang=en"), &future, Some(&officer)).await;
        assert!(
            html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en").contains("id=\"f-sent_at-error\""),
            "the rules' refusal at its field"
        );
        assert_eq!(position(&app).await, before, "nothing refused was written");
        let good = [
            ("institution", "Kapital Bank"),
            ("identifier", account.as_str()),
            ("amount", "1500"),
            ("sent_at", "2024-04-18T12:00"),
            ("legal_ground", "CPC art. 207"),
        ];
        let request = location(&post_as(&app, &form_uri, &good, Some(&officer)).await);
        assert!(request.starts_with("/freezes/"), "{request}");
        let page = html(&get_as(&app, &format!("{request}?lang=en"), Some(&officer)).await, StatusCode::OK, "en");
        assert!(
            page.contains(&format!("href=\"{request}/answer\"")) && !page.contains(&format!("{request}/return")),
            "{page}"
        );
        // The answer: the outcome is required; partly frozen, less than asked.
        let unanswered =
            [("amount_frozen", "900"), ("answered_at", "2024-04-18T15:00"), ("legal_ground", "CPC art. 207")];
        let refused = post_as(&app, &format!("{request}/answer?lang=en"), &unanswered, Some(&officer)).await;
        assert!(html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en").contains("id=\"f-outcome-error\""));
        let partly = [
            ("outcome", "partly_frozen"),
            ("amount_frozen", "900"),
            ("answered_at", "2024-04-18T15:00"),
            ("legal_ground", "CPC art. 207"),
        ];
        assert_eq!(location(&post_as(&app, &format!("{request}/answer"), &partly, Some(&officer)).await), request);
        let page = html(&get_as(&app, &format!("{request}?lang=en"), Some(&officer)).await, StatusCode::OK, "en");
        assert!(page.contains("Partly frozen") && page.contains(&format!("href=\"{request}/return\"")), "{page}");
        assert!(!page.contains(&format!("href=\"{request}/answer\"")), "answered once");
        // A return beyond what is frozen is refused by the rule, at the amount.
        let return_form =
            html(&get_as(&app, &format!("{request}/return?lang=en"), Some(&officer)).await, StatusCode::OK, "en");
        let victim = option_for(&return_form, "Əliyeva Nərmin");
        let too_much = [
            ("victim_id", victim.as_str()),
            ("amount", "1000"),
            ("returned_at", "2024-04-19T09:00"),
            ("legal_ground", "CPC art. 207"),
        ];
        let refused = post_as(&app, &format!("{request}/return?lang=en"), &too_much, Some(&officer)).await;
        let refused = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(refused.contains("id=\"f-amount-error\""), "{refused}");
        let back = [
            ("victim_id", victim.as_str()),
            ("amount", "900"),
            ("returned_at", "2024-04-19T09:00"),
            ("legal_ground", "CPC art. 207"),
        ];
        location(&post_as(&app, &format!("{request}/return"), &back, Some(&officer)).await);
        let state = app.get(&format!("/api/cases/{case_id}")).await.json();
        let reimbursed = &state["state"]["reimbursements"];
        assert_eq!(reimbursed[0]["amount_qepik"], 90000, "returned money reimburses the case: {reimbursed}");
        let page = html(&get_as(&app, &format!("{request}?lang=en"), Some(&officer)).await, StatusCode::OK, "en");
        assert!(!page.contains(&format!("href=\"{request}/return\"")), "nothing left to return");
        assert_no_clear_number("request page", &page);
    });
}
