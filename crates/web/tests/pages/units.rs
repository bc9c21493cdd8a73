//! The structural units' public pages, on both backends: the directory
//! follows the unit tree in force and finds a unit by a name typed in any
//! script; a unit's page shows where it sits, its chief's reception hours,
//! how to book, its figures against a year before and the place for its
//! news; a reorganisation shows on both the day it takes effect.

use crate::helpers::*;
use crate::public_site::{get_public, public_router};
use crate::support::{App, each_backend};
use axum::http::StatusCode;
use crimeboard_service::Submission;
use crimeboard_service::audit::Audited;
use serde_json::{Value, json};

/// Records an act as the system, which alone may change the unit tree.
async fn as_system(app: &App, command: Value) {
    recorded_as_system(app, command).await.unwrap();
}

async fn recorded_as_system(
    app: &App,
    command: Value,
) -> Result<crimeboard_service::Receipt, crimeboard_service::ServiceError> {
    let submission: Submission =
        serde_json::from_value(json!({"actor": "tests", "legal_ground": "MIA order No. 12", "command": command}))
            .unwrap();
    let registry = app.registry.clone();
    tokio::task::spawn_blocking(move || registry.record(&registry.system("tests"), &submission, &Audited::No))
        .await
        .unwrap()
}

fn nasimi_contacts(telephone: &str) -> Value {
    json!({"act": "set_unit_contacts", "unit": "BAK-NSM", "effective_from": "2024-04-19", "contacts": {
        "address": {"az": "Bakı, Nəsimi rayonu, S. Vurğun küçəsi 5", "en": "5 S. Vurgun Street, Nasimi, Baku"},
        "head": "Polkovnik Əliyev Rauf", "head_position": {"en": "Head of the department"},
        "telephone": telephone}})
}

/// The unit's address, head and telephone come from its contacts act,
/// checked field by field: a wrong one is refused naming its field and
/// rule, and nothing is written.
#[test]
fn a_units_contacts_are_set_by_an_act_and_shown_on_its_page() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let before = html(&get_public(&public, "/units/BAK-NSM?lang=en").await, StatusCode::OK, "en");
        assert!(before.contains("address and telephone are not given yet"), "{before}");
        let position = app.position().await;
        let refused = recorded_as_system(&app, nasimi_contacts("call the desk")).await.unwrap_err();
        let crimeboard_service::ServiceError::Rejected(rejected) = refused else { panic!("{refused:?}") };
        let rules: Vec<(&str, &str)> = rejected.0.iter().map(|v| (v.field.as_str(), v.rule.as_str())).collect();
        assert_eq!(rules, [("contacts.telephone", "unit.telephone_invalid")]);
        assert_eq!(app.position().await, position, "nothing is written");

        as_system(&app, nasimi_contacts("+994 12 590 00 00")).await;
        let page = html(&get_public(&public, "/units/BAK-NSM?lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("5 S. Vurgun Street, Nasimi, Baku"), "{page}");
        assert!(page.contains("Polkovnik Əliyev Rauf, Head of the department"));
        assert!(page.contains("href=\"tel:+994125900000\">+994 12 590 00 00</a>"), "{page}");
        let az = html(&get_public(&public, "/units/BAK-NSM").await, StatusCode::OK, "az");
        assert!(az.contains("Bakı, Nəsimi rayonu, S. Vurğun küçəsi 5"), "the address in the reader's language");
    });
}

#[test]
fn the_directory_nests_the_units_and_finds_a_name_in_any_script() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let page = html(&get_public(&public, "/units").await, StatusCode::OK, "az");
        let baku = page.find("href=\"/units/BAK\"").expect("Baku is listed");
        let nasimi = page.find("href=\"/units/BAK-NSM\"").expect("Nasimi is listed");
        let nested = &page[baku..nasimi];
        assert!(nested.contains("<ul class=\"unit-tree\">"), "Nasimi is in a list nested under Baku");
        for typed in ["Nəsimi", "Насими", "nasimi"] {
            let uri = format!("/units?q={}", form_urlencoded::byte_serialize(typed.as_bytes()).collect::<String>());
            let found = html(&get_public(&public, &uri).await, StatusCode::OK, "az");
            let list = &found[found.find("units-found").expect(typed)..];
            let list = &list[..list.find("</ul>").unwrap()];
            assert!(list.contains("/units/BAK-NSM"), "{typed} finds Nasimi: {list}");
            assert!(!list.contains("/units/BAK-YAS"), "{typed} finds Nasimi alone: {list}");
        }
        let none = html(&get_public(&public, "/units?q=Atlantida").await, StatusCode::OK, "az");
        assert!(none.contains("Bu adda bölmə yoxdur."));
    });
}

#[test]
fn a_units_page_has_its_place_receptions_booking_figures_and_news() {
    each_backend(|app| async move {
        // A session next week, recorded as the API records it.
        let session = json!({"actor": "chief", "legal_ground": "Vətəndaşların qəbulu qaydaları", "command":
            {"act": "schedule_reception", "unit": "BAK-NSM", "day": "2024-04-24", "from": "10:00", "to": "12:00",
             "place": "Şöbənin qəbul otağı", "capacity": 5,
             "chief": {"full_name": "Əliyev Rauf", "position": "Polis şöbəsinin rəisi"}}});
        let reply = app.post("/api/acts", &session).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
        crate::support::report(&app, "2024-01-10T09:00:00Z").await;

        let public = public_router(&app);
        let page = html(&get_public(&public, "/units/BAK-NSM?lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("<h1>Nasimi District Police Department</h1>"), "{page}");
        assert!(page.contains("href=\"/units/BAK\""), "the way up to Baku");
        assert!(page.contains("Əliyev Rauf, Polis şöbəsinin rəisi") && page.contains("10:00–12:00"), "{page}");
        assert!(page.contains("How to book a reception"));
        assert!(page.contains("against the same period a year before") && page.contains("A year before"), "{page}");
        assert!(page.contains("href=\"/figures?unit=BAK-NSM&amp;period="), "a link to every month's figures");
        assert!(page.contains("id=\"news\""), "the place for the unit's news");
        // One report is a small count: hidden, as the open data hides it, and so is its change.
        let received = &page[page.find("Crime reports received").expect("the reports' row")..];
        let row = &received[..received.find("</tr>").unwrap()];
        assert!(row.contains("<abbr title=\"Hidden"), "a small count is hidden: {row}");

        let unknown = get_public(&public, "/units/NOWHERE").await;
        html(&unknown, StatusCode::NOT_FOUND, "az");
    });
}

/// A unit renamed today, and one merged into another, show so on the pages
/// at once: the directory and the page read the tree in force.
#[test]
fn a_reorganisation_shows_on_the_units_pages() {
    each_backend(|app| async move {
        as_system(
            &app,
            json!({"act": "rename_unit", "unit": "BAK-NSM", "names": {"en": "Nasimi Police"},
                "effective_from": "2024-04-19"}),
        )
        .await;
        as_system(
            &app,
            json!({"act": "merge_units", "absorbed": "BAK-YAS", "into": "BAK-NSM", "effective_from": "2024-04-19"}),
        )
        .await;
        let public = public_router(&app);
        let page = html(&get_public(&public, "/units/BAK-NSM?lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("<h1>Nasimi Police</h1>"), "{page}");
        let directory = html(&get_public(&public, "/units?lang=en").await, StatusCode::OK, "en");
        assert!(directory.contains(">Nasimi Police</a>"));
        assert!(!directory.contains("href=\"/units/BAK-YAS\""), "a merged unit is no longer listed");
        let merged = html(&get_public(&public, "/units/BAK-YAS?lang=en").await, StatusCode::OK, "en");
        assert!(merged.contains("merged into") && merged.contains("href=\"/units/BAK-NSM\""), "{merged}");
    });
}

/// A public page is rendered once per journal position, language and
/// display settings and then served from memory; an act moves the position,
/// so the page served after it is the new one; staff are served afresh.
#[test]
fn a_kept_public_page_is_never_older_than_the_journal() {
    each_backend(|app| async move {
        let public = public_router(&app);
        let uri = "/units/BAK-NSM?lang=en";
        let first = get_public(&public, uri).await;
        assert_eq!(first.header("x-cache"), "miss");
        let again = get_public(&public, uri).await;
        assert_eq!(again.header("x-cache"), "hit");
        assert_eq!(again.body, first.body, "the kept page is the page");
        html(&again, StatusCode::OK, "en");
        // Gzipped once when kept, not again for every client that accepts it.
        let zipped = crate::public_site::send_public(
            &public,
            axum::http::Request::get(uri).header("accept-encoding", "gzip").body(axum::body::Body::empty()).unwrap(),
        )
        .await;
        assert_eq!((zipped.header("x-cache"), zipped.header("content-encoding")), ("hit", "gzip"));
        let mut unzipped = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&zipped.body[..]), &mut unzipped).unwrap();
        assert_eq!(unzipped, first.body, "the kept page, gzipped");
        let asked = axum::http::Request::get(uri).header("accept-encoding", "gzip").body(axum::body::Body::empty());
        let res = tower::ServiceExt::oneshot(public.clone(), asked.unwrap()).await.unwrap();
        let size = axum::body::HttpBody::size_hint(res.body()).exact();
        assert_eq!(size, Some(zipped.body.len() as u64), "sent as kept, not streamed through the compression layer");
        let larger = crate::public_site::send_public(
            &public,
            axum::http::Request::get(uri).header("cookie", "view=size-200").body(axum::body::Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(larger.header("x-cache"), "miss", "other display settings are another page");

        as_system(
            &app,
            json!({"act": "rename_unit", "unit": "BAK-NSM", "names": {"en": "Nasimi Police"},
                "effective_from": "2024-04-19"}),
        )
        .await;
        let after = get_public(&public, uri).await;
        assert_eq!(after.header("x-cache"), "miss", "an act moves the journal: the page is rendered again");
        assert!(html(&after, StatusCode::OK, "en").contains("<h1>Nasimi Police</h1>"));

        let staff = app.get(uri).await;
        assert_eq!(staff.header("x-cache"), "", "a member of staff is served afresh");
    });
}
