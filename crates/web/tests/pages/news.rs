//! The public site's news: a release the press officer writes on its page,
//! previews in the public frame, approves and publishes (or schedules) is
//! listed on /news in the languages it is written in, filtered and paged,
//! read on its own page with its tags linking back, listed by its unit's
//! page and the home page, in the Atom feed of its language and in the
//! sitemap; a scheduled one only once its moment has passed, even on a page
//! kept before.

use crate::helpers::*;
use crate::public_site::{get_public, public_router};
use crate::support::{App, NOW, at, each_backend};
use axum::http::StatusCode;
use crimeboard_service::{Clock, Registry};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

const GROUND: (&str, &str) = ("legal_ground", "Mətbuat xidmətinin əsasnaməsi");

async fn act(app: &App, command: Value) -> Value {
    let reply = app.post("/api/acts", &json!({"actor": "press", "legal_ground": "Əsasnamə", "command": command})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
    reply.json()
}

/// Writes, approves and publishes (at `at`, civil time, or at once) a
/// release in English and Azerbaijani; its id and number.
async fn published(app: &App, title: &str, topic: &str, at: Option<&str>) -> (String, String) {
    let written = act(
        app,
        json!({"act": "write_release", "unit": "BAK", "titles": {"en": title, "az": format!("{title} (az)")},
            "texts": {"en": format!("{title}: the text."), "az": "Mətn."},
            "tags": {"units": ["BAK-NSM"], "topics": [topic]}}),
    )
    .await;
    let id = written["entity_id"].as_str().unwrap().to_string();
    act(app, json!({"act": "approve_release", "release_id": id})).await;
    let mut publish = json!({"act": "publish_release", "release_id": id});
    if let Some(at) = at {
        publish["at"] = json!(at);
    }
    act(app, publish).await;
    let number = app.get(&format!("/api/releases/{id}")).await.json()["number"].as_str().unwrap().to_string();
    (id, number)
}

#[test]
fn a_release_written_on_its_page_is_previewed_then_public_in_its_languages_with_its_tags() {
    each_backend(|app| async move {
        let fields = [
            ("unit", "BAK"),
            ("titles.en", "Road check in Nasimi"),
            ("texts.en", "Officers checked 200 drivers.\n\nNone was drunk."),
            ("titles.ru", "Рейд в Насими"),
            ("texts.ru", ""),
            ("tags.units", "BAK-NSM"),
            ("tags.topics.traffic", "1"),
            GROUND,
        ];
        let before = position(&app).await;
        let refused = html(
            &post_form_with_cookie(&app, "/releases/write", &fields, "lang=en").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "en",
        );
        assert!(refused.contains("id=\"f-texts-ru-error\""), "a title with no text is refused at the text: {refused}");
        assert_eq!(position(&app).await, before, "nothing written");
        let fields: Vec<_> = fields.into_iter().filter(|(k, _)| *k != "titles.ru").collect();
        let page = location(&post_form(&app, "/releases/write", &fields).await);
        let shown = html(&get_with_cookie(&app, &page, "lang=en").await, StatusCode::OK, "en");
        assert!(shown.contains(&format!("href=\"{page}/preview?lang=en\"")), "{shown}");
        assert!(!shown.contains(&format!("{page}/preview?lang=ru")), "no preview of a language not written: {shown}");

        let preview =
            html(&get_with_cookie(&app, &format!("{page}/preview?lang=en"), "lang=az").await, StatusCode::OK, "en");
        assert!(
            preview.contains("<h1>Road check in Nasimi</h1>") && preview.contains("<p>None was drunk.</p>"),
            "{preview}"
        );
        assert!(preview.contains("href=\"/news?topic=traffic\""), "the public page's tags: {preview}");

        let id = page.trim_start_matches("/releases/").to_string();
        let number = app.get(&format!("/api/releases/{id}")).await.json()["number"].as_str().unwrap().to_string();
        let public = public_router(&app);
        let release_page = format!("/news/{number}?lang=en");
        assert_eq!(
            get_public(&public, &release_page).await.status,
            StatusCode::NOT_FOUND,
            "not public before publication"
        );
        location(&post_form(&app, &format!("{page}/approve"), &[GROUND]).await);
        location(&post_form(&app, &format!("{page}/publish"), &[("at", ""), GROUND]).await);

        let read = html(&get_public(&public, &release_page).await, StatusCode::OK, "en");
        let body = &read[read.find("<main").unwrap()..];
        let previewed = &preview[preview.find("<main").unwrap()..];
        let article = |page: &str| page[page.find("<article").unwrap()..page.find("</article>").unwrap()].to_string();
        assert_eq!(article(body), article(previewed), "the preview is the public page");
        assert!(read.contains("href=\"/news?unit=BAK-NSM\""), "{read}");
        let in_russian = html(&get_public(&public, &format!("/news/{number}?lang=ru")).await, StatusCode::OK, "ru");
        assert!(in_russian.contains("hreflang=\"en\""), "it says where to read it: {in_russian}");

        for (query, listed) in [
            ("lang=en", true),
            ("lang=ru", false),
            ("lang=en&topic=traffic", true),
            ("lang=en&topic=narcotics", false),
            ("lang=en&unit=BAK-NSM", true),
            ("lang=en&unit=BAK", true),
            ("lang=en&unit=AZ", false),
            ("lang=en&year=2024", true),
            ("lang=en&year=2023", false),
        ] {
            let list = html(&get_public(&public, &format!("/news?{query}")).await, StatusCode::OK, &query[5..7]);
            assert_eq!(list.contains("Road check in Nasimi"), listed, "{query}: {list}");
        }
        let unit_page = html(&get_public(&public, "/units/BAK-NSM?lang=en").await, StatusCode::OK, "en");
        assert!(unit_page.contains(&format!("href=\"/news/{number}\"")), "the unit's latest news: {unit_page}");
        let home = html(&get_public(&public, "/?lang=en").await, StatusCode::OK, "en");
        assert!(home.contains(&format!("href=\"/news/{number}\"")), "the home's latest news: {home}");
        let view = app.get(&format!("/api/releases/{id}")).await.json();
        assert_eq!(
            (view["titles"]["en"].as_str(), view["tags"]["topics"][0].as_str()),
            (Some("Road check in Nasimi"), Some("traffic"))
        );
        assert_eq!(view["languages"], json!(["en"]));
    });
}

#[test]
fn the_list_is_newest_first_in_pages_of_twenty() {
    each_backend(|app| async move {
        for n in 1..=21 {
            published(&app, &format!("Release number {n:02}"), "prevention", None).await;
        }
        let public = public_router(&app);
        let first = html(&get_public(&public, "/news?lang=en").await, StatusCode::OK, "en");
        assert!(first.contains("Release number 21") && first.contains("Release number 02"), "{first}");
        assert!(!first.contains("Release number 01"), "the 21st from the top is on the next page");
        assert!(first.find("Release number 21") < first.find("Release number 20"), "newest first");
        assert!(first.contains("href=\"/news?page=2\""), "{first}");
        let second = html(&get_public(&public, "/news?lang=en&page=2").await, StatusCode::OK, "en");
        assert!(second.contains("Release number 01") && !second.contains("Release number 02"), "{second}");
    });
}

/// Every start and end tag of an XML document, in order; it fails on a
/// document that is not well formed.
fn xml_names(text: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut names = Vec::new();
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("not well formed: {e}\n{text}")) {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                names.push(e.name().into_inner().to_string())
            }
            quick_xml::events::Event::Eof => return names,
            _ => {}
        }
    }
}

/// A registry on the app's store whose clock the test moves, and a public
/// listener of its own with its own page cache.
async fn beside_with_clock(app: &App) -> (axum::Router, Arc<AtomicI64>) {
    let now = Arc::new(AtomicI64::new(at(NOW).timestamp_micros()));
    let read = now.clone();
    let clock: Clock = Arc::new(move || chrono::DateTime::from_timestamp_micros(read.load(Ordering::SeqCst)).unwrap());
    let store = app.db.store.clone();
    let registry = tokio::task::spawn_blocking(move || Registry::new(store, clock).unwrap()).await.unwrap();
    (crimeboard_web::public_router(Arc::new(registry), Default::default(), Default::default()), now)
}

#[test]
fn a_scheduled_release_is_served_once_its_moment_passes_even_where_a_page_was_kept() {
    each_backend(|app| async move {
        let (public, clock) = beside_with_clock(&app).await;
        // The clock stands at 14:00 in Baku; the release is for 18:30.
        published(&app, "Tonight's <news> & more", "traffic", Some("2024-04-19T18:30:00")).await;
        published(&app, "Out already", "traffic", None).await;
        let before = get_public(&public, "/news?lang=en").await;
        assert_eq!(before.header("x-cache"), "miss");
        assert!(!html(&before, StatusCode::OK, "en").contains("Tonight"));
        assert_eq!(get_public(&public, "/news?lang=en").await.header("x-cache"), "hit", "kept");
        let feed = String::from_utf8(get_public(&public, "/news/feed.atom?lang=en").await.body).unwrap();
        assert_eq!(xml_names(&feed).iter().filter(|n| *n == "entry").count(), 1, "{feed}");
        let sitemap = String::from_utf8(get_public(&public, "/sitemap.xml").await.body).unwrap();
        assert!(!sitemap.contains("Tonight") && sitemap.matches("/news/PR-").count() == 6, "{sitemap}");

        clock.store(at("2024-04-19T14:30:00Z").timestamp_micros(), Ordering::SeqCst);
        let after = get_public(&public, "/news?lang=en").await;
        assert_eq!(after.header("x-cache"), "miss", "its moment passed: a new key");
        let list = html(&after, StatusCode::OK, "en");
        assert!(
            list.contains("Tonight&#39;s &lt;news&gt; &amp; more")
                || list.contains("Tonight's &lt;news&gt; &amp; more"),
            "{list}"
        );
        assert!(list.find("Tonight") < list.find("Out already"), "its moment is the newer");

        let reply = get_public(&public, "/news/feed.atom?lang=en").await;
        assert!(reply.header("content-type").starts_with("application/atom+xml"));
        let feed = String::from_utf8(reply.body).unwrap();
        let names = xml_names(&feed);
        assert_eq!(names.first().map(String::as_str), Some("feed"));
        for required in ["id", "title", "updated", "author", "entry", "link", "summary", "content"] {
            assert!(names.iter().any(|n| n == required), "{required}: {feed}");
        }
        assert_eq!(names.iter().filter(|n| *n == "entry").count(), 2, "what the list lists: {feed}");
        assert!(
            feed.contains("Tonight&#39;s &lt;news&gt; &amp; more")
                || feed.contains("Tonight's &lt;news&gt; &amp; more"),
            "{feed}"
        );
        assert!(feed.contains("<updated>2024-04-19T14:30:00Z</updated>"), "18:30 in Baku: {feed}");
        let in_russian = String::from_utf8(get_public(&public, "/news/feed.atom?lang=ru").await.body).unwrap();
        assert_eq!(xml_names(&in_russian).iter().filter(|n| *n == "entry").count(), 0, "none is in Russian");

        let sitemap = String::from_utf8(get_public(&public, "/sitemap.xml").await.body).unwrap();
        let names = xml_names(&sitemap);
        assert_eq!(names.first().map(String::as_str), Some("urlset"));
        // Two releases, each in its two languages, each entry naming both.
        assert_eq!(sitemap.matches("/news/PR-").count(), 12, "{sitemap}");
        for page in ["/units/BAK-NSM?lang=az", "/figures/methods?lang=ru", "/online/report?lang=en", "/news?lang=az"] {
            assert!(
                sitemap.contains(&format!("<loc>http://localhost{}</loc>", page.replace('&', "&amp;"))),
                "{page}: {sitemap}"
            );
        }
        assert!(sitemap.contains("hreflang=\"ru\""), "{sitemap}");
    });
}
