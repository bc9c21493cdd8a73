//! Digital identifiers on the pages: attached from a case's and a report's
//! page (a malformed value shown again with its rule in the page's language,
//! a card's typed number never written back), listed there with who
//! attached them, found by the lookup typed in another form, counted for a
//! unit outside one's scope with the request for access written to the
//! audit trail, an identifier's own page by its key, and a removal with its
//! reason.

use crate::helpers::*;
use crate::support::{App, each_backend};
use axum::http::StatusCode;
use crimeboard_domain::access::Role;

const CARD: &str = "4916 3389 0115 2263";
const GROUND: (&str, &str) = ("legal_ground", "CPC art. 207");

/// A report of Nasimi and the case opened from it: their pages.
async fn report_and_case(app: &App) -> (String, String) {
    let (report, case, _) = report_case_and_applicant(app).await;
    (report, case)
}

/// A report of Nasimi, the case opened from it and the report's applicant: their pages.
async fn report_case_and_applicant(app: &App) -> (String, String, String) {
    let r = crate::support::report(app, "2024-04-02T08:00:00Z").await;
    let report_id = r["entity_id"].as_str().unwrap().to_string();
    let applicant = format!("/persons/{}", r["person_ids"][0].as_str().unwrap());
    let case = crate::support::new_case(&[&report_id], &["177.2"]);
    let filed = app.post("/api/cases", &crate::support::filing(case)).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&filed.body));
    let case_id = filed.json()["entity_id"].as_str().unwrap().to_string();
    (format!("/reports/{report_id}"), format!("/cases/{case_id}"), applicant)
}

/// The value of a hidden field of a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page.split(&marker).nth(1).unwrap_or_else(|| panic!("no {name}: {page}"));
    at[..at.find('"').unwrap()].to_string()
}

#[test]
fn an_identifier_is_attached_on_a_case_page_refused_when_malformed_and_a_card_is_never_echoed() {
    each_backend(|app| async move {
        let (_, case) = report_and_case(&app).await;
        let page = html(&get_with_cookie(&app, &case, "lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("Digital identifiers") && page.contains("No identifier is attached."), "{page}");
        assert!(page.contains(&format!("action=\"{case}/identifiers/new\"")), "{page}");

        let attach = format!("{case}/identifiers/new");
        let before = position(&app).await;
        let bad_card = "4916 3389 0115 2264";
        for (lang, message) in [("en", "check digit (Luhn)"), ("ru", "(Луна)"), ("az", "(Luhn)")] {
            let fields = [("identifier.kind", "card"), ("identifier.input", bad_card), GROUND];
            let refused = post_form_with_cookie(&app, &attach, &fields, &format!("lang={lang}")).await;
            let refused = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, lang);
            let at = refused.split("id=\"f-identifier-input-error\"").nth(1).expect("the error at the value");
            assert!(at.split("</p>").next().unwrap().contains(message), "{lang}: {refused}");
            assert!(
                !refused.contains(bad_card) && !refused.contains(&bad_card.replace(' ', "")),
                "a card is not echoed"
            );
        }
        let phone = [("identifier.kind", "phone"), ("identifier.input", "12"), GROUND];
        let refused = html(
            &post_form_with_cookie(&app, &attach, &phone, "lang=en").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "en",
        );
        assert!(refused.contains("value=\"12\""), "any other kind keeps what was typed: {refused}");
        let port = [("identifier.kind", "ip"), ("identifier.input", "203.0.113.5"), ("port", "70000"), GROUND];
        let refused =
            html(&post_form_with_cookie(&app, &attach, &port, "lang=en").await, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(refused.contains("id=\"f-port-error\""), "{refused}");
        assert_eq!(position(&app).await, before, "nothing refused was written");

        let card = [("identifier.kind", "card"), ("identifier.input", CARD), ("note", "The victim's card"), GROUND];
        assert_eq!(location(&post_form(&app, &attach, &card).await), case);
        let ip = [
            ("identifier.kind", "ip"),
            ("identifier.input", "203.0.113.5"),
            ("port", "443"),
            ("seen_at", "2024-03-01T10:00"),
            GROUND,
        ];
        assert_eq!(location(&post_form(&app, &attach, &ip).await), case);
        let page = html(&get_with_cookie(&app, &case, "lang=en").await, StatusCode::OK, "en");
        let table = page.split("id=\"identifiers\"").nth(1).expect("the identifiers").split("</table>").next().unwrap();
        assert!(
            table.contains("491633******2263") && table.contains("Bank card") && table.contains("officer-1"),
            "{table}"
        );
        assert!(table.contains("203.0.113.5:443 2024-03-01T06:00:00Z"), "the port and the time seen, in UTC: {table}");
        assert!(!page.contains(&CARD.replace(' ', "")) && !page.contains(CARD), "the number is in no page");

        // Removed with its reason, from its own form.
        let remove = hidden_link(&page, "/identifiers/remove?kind=card");
        let form = html(&get_with_cookie(&app, &remove, "lang=en").await, StatusCode::OK, "en");
        assert!(form.contains("491633******2263"), "{form}");
        let (kind, key) = (hidden(&form, "kind"), hidden(&form, "key"));
        let post_to = remove.split('?').next().unwrap().to_string();
        let refused = post_form_with_cookie(&app, &post_to, &[("kind", &kind), ("key", &key), GROUND], "lang=en").await;
        assert!(html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en").contains("id=\"f-reason-error\""));
        let removed = [("kind", kind.as_str()), ("key", key.as_str()), ("reason", "Typed on the wrong case"), GROUND];
        assert_eq!(location(&post_form(&app, &post_to, &removed).await), case);
        let page = html(&get_with_cookie(&app, &case, "lang=en").await, StatusCode::OK, "en");
        let table = page.split("id=\"identifiers\"").nth(1).expect("the identifiers").split("</table>").next().unwrap();
        assert!(!table.contains("491633******2263") && table.contains("203.0.113.5"), "{table}");
    });
}

/// The first link of a page holding `part`, its `&amp;` read back.
fn hidden_link(page: &str, part: &str) -> String {
    let at = page.find(part).unwrap_or_else(|| panic!("no link with {part}: {page}"));
    let start = page[..at].rfind("href=\"").unwrap() + "href=\"".len();
    let end = start + page[start..].find('"').unwrap();
    page[start..end].replace("&amp;", "&")
}

#[test]
fn the_lookup_finds_an_identifier_typed_otherwise_and_outside_ones_scope_counts_it_and_asks_for_access() {
    each_backend(|app| async move {
        let (report, case, applicant) = report_case_and_applicant(&app).await;
        let phone = [("identifier.kind", "phone"), ("identifier.input", "+994 50 123 45 67"), GROUND];
        location(&post_form(&app, &format!("{report}/identifiers/new"), &phone).await);
        // A person's identifier, attached from the person's page and listed there.
        let email = [("identifier.kind", "email"), ("identifier.input", "Leyla@Example.AZ"), GROUND];
        assert_eq!(location(&post_form(&app, &format!("{applicant}/identifiers/new"), &email).await), applicant);
        let person = html(&get_with_cookie(&app, &applicant, "lang=en").await, StatusCode::OK, "en");
        let table =
            person.split("id=\"identifiers\"").nth(1).expect("the identifiers").split("</table>").next().unwrap();
        assert!(
            table.contains("E-mail address") && table.contains("Leyla@example.az") && table.contains("officer-1"),
            "{table}"
        );
        let card = [("identifier.kind", "card"), ("identifier.input", CARD), GROUND];
        location(&post_form(&app, &format!("{case}/identifiers/new"), &card).await);

        let nasimi = sign_in(&app, "nsm-desk", Role::Investigator, "BAK-NSM", &[]).await;
        for (lang, title) in
            [("az", "İdentifikatorun axtarışı"), ("ru", "Поиск по идентификатору"), ("en", "Identifier lookup")]
        {
            let form =
                html(&get_as(&app, &format!("/identifiers?lang={lang}"), Some(&nasimi)).await, StatusCode::OK, lang);
            assert!(form.contains(title) && form.contains("method=\"post\" action=\"/identifiers\""), "{lang}: {form}");
        }
        let found =
            post_as(&app, "/identifiers?lang=en", &[("kind", "phone"), ("value", "050 123 45 67")], Some(&nasimi))
                .await;
        let found = html(&found, StatusCode::OK, "en");
        assert!(found.contains(&format!("href=\"{report}\"")), "the report, in scope: {found}");
        let found = post_as(
            &app,
            "/identifiers?lang=en",
            &[("kind", "card"), ("value", &CARD.replace(' ', "-"))],
            Some(&nasimi),
        )
        .await;
        let found = html(&found, StatusCode::OK, "en");
        assert!(found.contains(&format!("href=\"{case}\"")) && found.contains("491633******2263"), "{found}");
        assert!(
            !found.contains(&CARD.replace(' ', "-")) && !found.contains(&CARD.replace(' ', "")),
            "no number echoed"
        );
        let bad = post_as(&app, "/identifiers?lang=en", &[("kind", "iban"), ("value", "AZ00")], Some(&nasimi)).await;
        assert!(html(&bad, StatusCode::UNPROCESSABLE_ENTITY, "en").contains("id=\"f-value-error\""));

        // The card's own page, by its key.
        let own = hidden_link(&found, "/identifiers/card/");
        let shown = html(&get_as(&app, &format!("{own}?lang=en"), Some(&nasimi)).await, StatusCode::OK, "en");
        assert!(
            shown.contains(&format!("href=\"{case}\"")) && shown.contains("Bank card: 491633******2263"),
            "{shown}"
        );

        // Outside Nasimi: the unit and how many, and a request for access.
        let yasamal = sign_in(&app, "yas-desk", Role::Investigator, "BAK-YAS", &[]).await;
        let counted = post_as(&app, "/identifiers?lang=en", &[("kind", "card"), ("value", CARD)], Some(&yasamal)).await;
        let counted = html(&counted, StatusCode::OK, "en");
        assert!(!counted.contains(&format!("href=\"{case}\"")), "no record of another unit: {counted}");
        let elsewhere =
            counted.split("id=\"elsewhere\"").nth(1).expect("the units elsewhere").split("</ul>").next().unwrap();
        assert!(elsewhere.contains("1 records"), "{elsewhere}");
        let (kind, key) = (hidden(&counted, "kind"), hidden(&counted, "key"));
        let ask = |reason: &'static str| {
            let (kind, key) = (kind.clone(), key.clone());
            let (app, yasamal) = (&app, &yasamal);
            async move {
                let fields = [("kind", kind.as_str()), ("key", key.as_str()), ("unit", "BAK-NSM"), ("reason", reason)];
                post_as(app, "/identifiers/access?lang=en", &fields, Some(yasamal)).await
            }
        };
        assert!(html(&ask("").await, StatusCode::UNPROCESSABLE_ENTITY, "en").contains("id=\"f-reason-error\""));
        let asked = html(&ask("A series of card frauds").await, StatusCode::OK, "en");
        assert!(asked.contains("id=\"requested\"") && asked.contains("audit trail"), "{asked}");
        let trail = app.get("/api/audit?action=request_identifier_access").await;
        let trail = String::from_utf8_lossy(&trail.body).into_owned();
        assert!(trail.contains("yas-desk") && trail.contains("A series of card frauds"), "{trail}");
        assert!(!trail.contains(&CARD.replace(' ', "")), "the trail names the card's key, not its number");
    });
}

/// The address of a page's link to its record's series.
fn series_link(page: &str) -> String {
    let at = page.split("id=\"series-link\"").nth(1).expect("a link to the series");
    let href = at.split("href=\"").nth(1).unwrap();
    href[..href.find('"').unwrap()].to_string()
}

#[test]
fn a_series_page_draws_its_links_and_an_analyst_confirms_and_splits_it_there() {
    each_backend(|app| async move {
        let (report, case) = report_and_case(&app).await;
        for record in [&report, &case] {
            let phone = [("identifier.kind", "phone"), ("identifier.input", "050 123 45 67"), GROUND];
            assert_eq!(location(&post_form(&app, &format!("{record}/identifiers/new"), &phone).await), *record);
        }
        let on_case = html(&get_with_cookie(&app, &case, "lang=en").await, StatusCode::OK, "en");
        let series = series_link(&on_case);
        let on_report = html(&get_with_cookie(&app, &report, "lang=en").await, StatusCode::OK, "en");
        assert_eq!(series_link(&on_report), series, "one series for both");
        for lang in ["az", "ru", "en"] {
            let page = html(&get_with_cookie(&app, &series, &format!("lang={lang}")).await, StatusCode::OK, lang);
            assert!(page.contains("role=\"img\"") && page.contains("id=\"series-diagram-desc\""), "{lang}: {page}");
            assert_eq!(page.matches("class=\"series-node\"").count(), 2, "a node per record");
            assert_eq!(page.matches("series-link series-weak").count(), 1, "the one link holds them: weak");
            assert!(page.contains("id=\"links\"") && page.contains("+994 50 123 45 67"), "the text equivalent");
        }
        let analyst = sign_in(&app, "series-analyst", Role::HqAnalyst, "MIA", &["BAK-NSM"]).await;
        let page = html(&get_as(&app, &format!("{series}?lang=en"), Some(&analyst)).await, StatusCode::OK, "en");
        assert!(page.contains("Not confirmed") && page.contains(&format!("action=\"{series}/confirm\"")), "{page}");
        let confirmed = post_as(
            &app,
            &format!("{series}/confirm"),
            &[("note", "One ring: the same caller"), GROUND],
            Some(&analyst),
        )
        .await;
        assert_eq!(location(&confirmed), series);
        let page = html(&get_as(&app, &format!("{series}?lang=en"), Some(&analyst)).await, StatusCode::OK, "en");
        assert!(page.contains("Confirmed by series-analyst") && page.contains("One ring: the same caller"), "{page}");
        assert!(page.contains(&format!("href=\"{series}/split\"")), "the way to the split: {page}");
        let split = html(&get_as(&app, &format!("{series}/split?lang=en"), Some(&analyst)).await, StatusCode::OK, "en");
        assert!(split.contains("value=\"phone:+994501234567\""), "the weak link offered: {split}");
        // A key that joins nothing here splits nothing: refused, with the rule in words.
        let elsewhere = [("key", "phone:+994559999999"), ("reason", "Not theirs"), GROUND];
        let refused = post_as(&app, &format!("{series}/split?lang=en"), &elsewhere, Some(&analyst)).await;
        let refused = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        assert!(refused.contains("would split nothing"), "{refused}");
        let cut = [("key", "phone:+994501234567"), ("reason", "A shared landlord's number"), GROUND];
        assert_eq!(location(&post_as(&app, &format!("{series}/split"), &cut, Some(&analyst)).await), series);
        assert_eq!(get_as(&app, &series, Some(&analyst)).await.status, StatusCode::NOT_FOUND, "no series any more");
        let on_case = html(&get_with_cookie(&app, &case, "lang=en").await, StatusCode::OK, "en");
        assert!(!on_case.contains("id=\"series-link\""), "the case is in no series");
    });
}

#[test]
fn a_unit_s_queue_shows_a_series_holding_another_unit_s_records_once() {
    each_backend(|app| async move {
        let (report, case) = report_and_case(&app).await;
        let mut elsewhere = crate::support::new_report("2024-04-03T08:00:00Z");
        elsewhere["unit"] = "BAK-YAS".into();
        let yasamal = app.post("/api/reports", &crate::support::filing(elsewhere)).await.json();
        let yasamal = format!("/reports/{}", yasamal["entity_id"].as_str().unwrap());
        let phone = [("identifier.kind", "phone"), ("identifier.input", "050 123 45 67"), GROUND];
        let chief = sign_in(&app, "nsm-chief", Role::UnitChief, "BAK-NSM", &[]).await;
        let queue =
            || async { html(&get_as(&app, "/?unit=BAK-NSM&lang=en", Some(&chief)).await, StatusCode::OK, "en") };
        location(&post_form(&app, &format!("{report}/identifiers/new"), &phone).await);
        location(&post_form(&app, &format!("{case}/identifiers/new"), &phone).await);
        assert!(!queue().await.contains("series-alert"), "a unit's own series alerts nobody");
        location(&post_form(&app, &format!("{yasamal}/identifiers/new"), &phone).await);
        let page = queue().await;
        assert_eq!(page.matches("class=\"series-alert\"").count(), 1, "{page}");
        assert!(page.contains("A series holding 2 of this unit's records"), "{page}");
        let other = [("identifier.kind", "email"), ("identifier.input", "ring@example.com"), GROUND];
        location(&post_form(&app, &format!("{case}/identifiers/new"), &other).await);
        location(&post_form(&app, &format!("{yasamal}/identifiers/new"), &other).await);
        assert_eq!(queue().await.matches("class=\"series-alert\"").count(), 1, "once, however the series grows");
    });
}
