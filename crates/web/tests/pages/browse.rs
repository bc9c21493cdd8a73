//! Every page answers in the chosen language, with data behind it; lists
//! filter, page and export.

use crate::forms::register;
use crate::helpers::*;
use crate::support::{App, each_backend, filing, new_case, report};
use axum::http::StatusCode;
use serde_json::json;

/// A report, a case opened from another, a seizure: something on every page.
async fn some_records(app: &App) -> (String, String) {
    let report_path = register(app, "Velosiped oğurlanıb").await;
    let other = report(app, "2024-04-02T08:00:00Z").await;
    let other_id = other["entity_id"].as_str().unwrap();
    let case = app.post("/api/cases", &filing(new_case(&[other_id], &["177.2"]))).await;
    assert_eq!(case.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&case.body));
    let case_path = format!("/cases/{}", case.json()["entity_id"].as_str().unwrap());
    (report_path, case_path)
}

#[test]
fn every_page_renders_in_each_language() {
    each_backend(|app| async move {
        let (report_path, case_path) = some_records(&app).await;
        let case_id = case_path.trim_start_matches("/cases/");
        let mut pages = vec![
            "/".to_string(),
            "/?unit=BAK".into(),
            "/reports".into(),
            "/reports/new".into(),
            report_path.clone(),
            format!("{report_path}/decide"),
            "/cases".into(),
            "/cases/new".into(),
            case_path.clone(),
            format!("{case_path}/persons/new"),
            format!("{case_path}/money"),
            format!("{case_path}/decide"),
            format!("{case_path}/reclassify"),
            "/persons".into(),
            "/seizures".into(),
            format!("/seizures/new?case={case_id}"),
            "/accidents".into(),
            "/accidents/new".into(),
            "/examinations".into(),
            format!("/examinations/new?case={case_id}"),
            "/search".into(),
            "/search?q=velosiped".into(),
            "/report".into(),
            "/report?period=2024Q1&unit=BAK".into(),
            "/board/briefing".into(),
            format!("/board/briefing?period=2024Q2&agenda={BRIEFING_AGENDA}&units=BAK-NSM%2C+BAK-YAS"),
        ];
        let held = serde_json::json!({"unit": "BAK-NSM", "full_name": "Elvin Həsənov", "liability": "administrative",
            "offence": "CAO 206", "narcotics": true, "decided_at": "2024-04-10T09:00:00Z"});
        let held = app.post("/api/accountability", &filing(held)).await;
        assert_eq!(held.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&held.body));
        pages.push("/accountability".into());
        pages.push(format!("/accountability/{}", held.json()["entity_id"].as_str().unwrap()));
        let persons = app.get("/api/persons").await.json();
        pages.push(format!("/persons/{}", persons["items"][0]["id"].as_str().unwrap()));
        for lang in ["az", "ru", "en"] {
            for path in &pages {
                let reply = get_with_cookie(&app, path, &format!("lang={lang}")).await;
                html(&reply, StatusCode::OK, lang);
            }
        }
    });
}

#[test]
fn an_unknown_page_or_record_is_a_page_not_found_and_the_api_keeps_its_problems() {
    each_backend(|app| async move {
        html(&app.get("/nowhere").await, StatusCode::NOT_FOUND, "az");
        html(&app.get("/cases/not-a-uuid").await, StatusCode::NOT_FOUND, "az");
        let missing = get_with_cookie(&app, "/cases/0190a7e4-0000-7000-8000-000000000000", "lang=en").await;
        assert!(html(&missing, StatusCode::NOT_FOUND, "en").contains("Not found"));
        app.get("/api/nowhere").await.problem(404);
        let wrong_method = app.post_raw("/cases", Some(FORM), b"x=1".to_vec()).await;
        html(&wrong_method, StatusCode::METHOD_NOT_ALLOWED, "az");
        app.post_raw("/api/health", None, vec![]).await.problem(405);
    });
}

#[test]
fn the_queue_is_sorted_by_deadline_and_marks_overdue_and_due_today_in_words_as_well_as_colour() {
    each_backend(|app| async move {
        // Received on 1 April: its three days ran out long before "now" (19 April).
        report(&app, "2024-04-01T08:00:00Z").await;
        // Received on 16 April: due by midnight tonight.
        report(&app, "2024-04-16T08:00:00Z").await;
        // Received today: due in three days, not marked.
        report(&app, "2024-04-19T08:00:00Z").await;
        let page = html(&get_with_cookie(&app, "/", "lang=en").await, StatusCode::OK, "en");
        assert_eq!(page.matches("class=\"mark overdue\"").count(), 1, "{page}");
        assert_eq!(page.matches("class=\"mark today\"").count(), 1, "{page}");
        assert!(page.contains("Overdue") && page.contains("Due today"));
        assert!(page.contains("Waiting: 3; overdue: 1; due today: 1."), "{page}");
        assert!(page.contains("19/04/2024 24:00"), "a deadline at midnight is the end of the day before: {page}");
        let first = page.find("M-BAK-NSM-2024-000001").unwrap();
        let second = page.find("M-BAK-NSM-2024-000002").unwrap();
        let third = page.find("M-BAK-NSM-2024-000003").unwrap();
        assert!(first < second && second < third, "nearest deadline first");
    });
}

#[test]
fn lists_filter_and_a_bad_filter_is_shown_at_its_field() {
    each_backend(|app| async move {
        some_records(&app).await;
        let all = html(&app.get("/reports").await, StatusCode::OK, "az");
        assert!(all.contains("M-BAK-NSM-2024-000001") && all.contains("M-BAK-NSM-2024-000002"));
        // 000001 was received on 18 April, 000002 on 2 April.
        let newest = all.find("M-BAK-NSM-2024-000001").unwrap() < all.find("M-BAK-NSM-2024-000002").unwrap();
        assert!(newest, "newest first by default");
        let oldest = html(&app.get("/reports?sort=oldest").await, StatusCode::OK, "az");
        assert!(oldest.find("M-BAK-NSM-2024-000002").unwrap() < oldest.find("M-BAK-NSM-2024-000001").unwrap());
        let decided = html(&app.get("/reports?status=case_opened").await, StatusCode::OK, "az");
        assert!(decided.contains("M-BAK-NSM-2024-000002") && !decided.contains("M-BAK-NSM-2024-000001"));
        let by_article = html(&app.get("/cases?article=177.2").await, StatusCode::OK, "az");
        assert!(by_article.contains("C-BAK-NSM-2024-000001"), "{by_article}");
        let bad = get_with_cookie(&app, "/reports?from=2024-13-01&unit=NOWHERE", "lang=en").await;
        let text = html(&bad, StatusCode::OK, "en");
        assert!(text.contains("Enter a date, e.g. 2024-04-19."), "{text}");
        assert!(text.contains("value=\"2024-13-01\""));
    });
}

#[test]
fn a_list_exports_as_csv_with_a_bom_and_as_a_workbook() {
    each_backend(|app| async move {
        some_records(&app).await;
        let csv = get_with_cookie(&app, "/reports?format=csv", "lang=az").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.header("content-type").starts_with("text/csv"));
        assert!(csv.header("content-disposition").contains("crimeboard-reports.csv"));
        assert!(csv.body.starts_with("\u{feff}".as_bytes()), "UTF-8 with a byte-order mark");
        let text = String::from_utf8(csv.body.clone()).unwrap();
        assert!(text.contains("Nömrə") && text.contains("M-BAK-NSM-2024-000002"), "{text}");
        let xlsx = app.get("/cases?format=xlsx").await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.body.starts_with(b"PK"), "a zip");
    });
}

#[test]
fn the_report_page_shows_figures_drills_down_and_exports() {
    each_backend(|app| async move {
        some_records(&app).await;
        let page = html(&get_with_cookie(&app, "/report?period=2024Q2", "lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("id=\"charts\""), "the charts' section");
        assert!(page.contains("Same period last year"));
        for chart in ["chart-trend", "chart-units"] {
            assert!(page.contains(&format!("id=\"{chart}\" class=\"chart {chart}\"")), "{chart} drawn inline: {page}");
            assert!(page.contains(&format!("<caption id=\"{chart}-table\"")), "{chart}'s data table: {page}");
        }
        assert!(page.contains("aria-labelledby=\"chart-trend-title chart-trend-desc\""), "{page}");
        assert!(page.contains("/report?period=2024Q2&amp;unit=MIA"), "a drill-down link from the country: {page}");
        let mia = html(&app.get("/report?period=2024Q2&unit=MIA").await, StatusCode::OK, "az");
        assert!(mia.contains("/report?period=2024Q2&amp;unit=BAK"), "and on to the main departments");
        let bad = html(&get_with_cookie(&app, "/report?custom=1850", "lang=en").await, StatusCode::OK, "en");
        assert!(bad.contains("1900"), "{bad}");
        let csv = app.get("/report?period=2024Q2&format=csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.starts_with("\u{feff}".as_bytes()));
        let xlsx = app.get("/report?period=2024Q2&format=xlsx").await;
        assert!(xlsx.body.starts_with(b"PK"));
        let pdf = app.get("/report?period=2024Q2&format=pdf").await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert!(pdf.header("content-type").starts_with("application/pdf"));
        assert!(pdf.body.starts_with(b"%PDF"));
    });
}

/// The demo's counting rules mark the solved share for a funnel plot: a
/// unit with units below it shows it with its table and reading, a district
/// has nothing to compare.
#[test]
fn the_report_page_compares_the_units_below_on_a_funnel_plot() {
    each_backend(|app| async move {
        some_records(&app).await;
        let page =
            html(&get_with_cookie(&app, "/report?period=2024Q2&unit=MIA", "lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("<section class=\"charts funnels\" id=\"funnels\""), "{page}");
        assert!(page.contains("id=\"funnel-solved_share\" class=\"chart chart-funnel\""), "drawn inline: {page}");
        assert!(page.contains("aria-labelledby=\"funnel-solved_share-title funnel-solved_share-desc\""));
        assert!(page.contains("<caption id=\"funnel-0-table\">Solved share: each unit against all units"), "{page}");
        assert!(page.contains("Against the limits"), "the band column: {page}");
        // Nothing solved or suspended yet: every unit below is listed as left out.
        assert!(page.contains("left out: nothing counted"), "{page}");
        let ru = html(&get_with_cookie(&app, "/report?period=2024Q2&unit=MIA", "lang=ru").await, StatusCode::OK, "ru");
        assert!(ru.contains("Каждое подразделение в сравнении с остальными"), "{ru}");
        let district =
            html(&get_with_cookie(&app, "/report?period=2024Q2&unit=BAK-NSM", "lang=en").await, StatusCode::OK, "en");
        assert!(!district.contains("id=\"funnels\""), "no units below a district: {district}");
    });
}

/// A case solved in Nasimi is the one point of the solved share's funnel
/// under Baku: drawn and titled from the counters, with nothing to vary.
#[test]
fn a_solved_case_is_a_point_on_its_departments_funnel() {
    each_backend(|app| async move {
        let received = report(&app, "2024-04-02T08:00:00Z").await;
        let act = |command: serde_json::Value| json!({"actor": "officer-1", "legal_ground": "CPC", "command": command});
        let suspect =
            json!({"role": "suspect", "full_name": "İsmayılov Rəşad", "birth_date": "1990-03-01", "sex": "male"});
        let opened = app
            .post(
                "/api/acts",
                &act(json!({"act": "open_case", "unit": "BAK-NSM", "agency": "mia",
                    "report_ids": [received["entity_id"]], "articles": ["177.2"],
                    "occurred_at": "2024-04-01T02:00:00Z", "registered_at": "2024-04-03T12:00:00Z",
                    "description": "Mənzil oğurluğu", "persons": [suspect]})),
            )
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&opened.body));
        let solved = app
            .post(
                "/api/acts",
                &act(json!({"act": "decide_case", "case_id": opened.json()["entity_id"],
                    "decided_at": "2024-04-10T08:00:00Z",
                    "decision": {"kind": "solved", "how": "Barmaq izləri", "forensic_methods": ["fingerprints"]}})),
            )
            .await;
        assert_eq!(solved.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&solved.body));
        let page =
            html(&get_with_cookie(&app, "/report?period=2024Q2&unit=BAK", "lang=en").await, StatusCode::OK, "en");
        // The solved share's plot alone: the signals' shares have plots of their own.
        let solved = &page[page.find("id=\"funnel-solved_share\"").expect("the solved share's plot")..];
        let solved = &solved[..solved.find("</svg>").unwrap()];
        assert_eq!(solved.matches("class=\"funnel-point funnel-within\"").count(), 1, "{page}");
        assert!(
            page.contains("<title>Nasimi District Police Department: 1 of 1, 100 %; within the limits</title>"),
            "{page}"
        );
        assert!(page.contains("Every unit's share is 100 %: nothing varies, so the plot has no limits."), "{page}");
        assert!(!solved.contains("class=\"funnel-limit-95\""), "no limits: {page}");
    });
}

/// Two agenda items, as a secretary types them.
const BRIEFING_AGENDA: &str = "Reports%3A+reports_received%2C+reports_decided%0D%0ACrimes%3A+crimes_recorded";

#[test]
fn the_briefing_page_shows_the_pack_links_its_files_and_names_a_bad_field() {
    each_backend(|app| async move {
        some_records(&app).await;
        let uri = format!("/board/briefing?period=2024Q2&agenda={BRIEFING_AGENDA}&units=BAK-NSM%2C+BAK-YAS");
        let page = html(&get_with_cookie(&app, &uri, "lang=en").await, StatusCode::OK, "en");
        for expected in
            ["Item 1: Reports", "Item 2: Crimes", "Crime reports received", "1 of 12", "Open tasks", "Deadlines kept"]
        {
            assert!(page.contains(expected), "{expected}: {page}");
        }
        let ru = html(&get_with_cookie(&app, &uri, "lang=ru").await, StatusCode::OK, "ru");
        assert!(ru.contains("Вопрос 1: Reports") && ru.contains("1 из 12"), "{ru}");
        let az = html(&get_with_cookie(&app, &uri, "lang=az").await, StatusCode::OK, "az");
        assert!(az.contains("Məsələ 2: Crimes") && az.contains("12 bölmədən 1"), "{az}");
        // The files, from the links on the page.
        assert!(page.contains("format=pdf") && page.contains("format=xlsx"), "{page}");
        let pdf = app.get(&format!("{uri}&format=pdf")).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert!(pdf.body.starts_with(b"%PDF"));
        let xlsx = app.get(&format!("{uri}&format=xlsx")).await;
        assert!(xlsx.body.starts_with(b"PK"));
        // A bad indicator and a unit that does not exist are named at their fields.
        let bad = "/board/briefing?period=2024Q2&agenda=Theft%3A+no_such&units=BAK-NSM%2C+XX";
        let page = html(&get_with_cookie(&app, bad, "lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("no indicator no_such"), "{page}");
        assert!(page.contains("Unit XX does not exist."), "{page}");
        assert!(
            page.contains("href=\"#f-agenda\"") && page.contains("href=\"#f-units\""),
            "the summary links to both: {page}"
        );
        let bad = "/board/briefing?period=2024Q2&agenda=no+colon&units=BAK-NSM";
        let page = html(&get_with_cookie(&app, bad, "lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("Line 1 of the agenda"), "{page}");
        // A position is a whole number within the journal, named at its field.
        for (at, message) in [("x", "Enter a whole number."), ("99999", "Allowed values: 0…")] {
            let bad = format!("{uri}&at={at}");
            let page = html(&get_with_cookie(&app, &bad, "lang=en").await, StatusCode::OK, "en");
            assert!(page.contains(message) && page.contains("href=\"#f-at\""), "{at}: {page}");
        }
        assert!(!page.contains("not given"), "the register gives every unit's tasks: {page}");
    });
}

#[test]
fn the_briefing_page_makes_a_stored_meetings_pack_and_refuses_a_meeting_with_an_agenda() {
    use crimeboard_domain::Command;
    use crimeboard_domain::meeting::{AgendaItem, MeetingKind, NewMeeting};
    let unit = |code: &str| crimeboard_domain::units::UnitCode::parse(code).unwrap();
    each_backend(|app| async move {
        let meeting = NewMeeting {
            unit: unit("AZ"),
            held_on: "2024-04-25".parse().unwrap(),
            kind: MeetingKind::Quarterly,
            period_from: "2024-01-01".parse().unwrap(),
            period_to: "2024-03-31".parse().unwrap(),
            title: "Rüb".into(),
            agenda: vec![AgendaItem {
                topic: "Müraciətlər".into(),
                indicators: vec!["reports_received".into()],
                units: vec![unit("BAK-NSM"), unit("GNC")],
            }],
            rapporteurs: vec![],
        };
        let submission = crimeboard_service::Submission {
            actor: "secretary".into(),
            legal_ground: "Kollegiyanın əsasnaməsi".into(),
            command: Command::ScheduleMeeting(meeting),
            late: None,
        };
        let registry = app.registry.clone();
        let id = tokio::task::spawn_blocking(move || {
            registry.record(&registry.system("tests"), &submission, &crimeboard_service::audit::Audited::No)
        })
        .await
        .unwrap()
        .unwrap()
        .entity_id;
        let uri = format!("/board/briefing?meeting={id}");
        let page = html(&get_with_cookie(&app, &uri, "lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("Item 1: Müraciətlər") && page.contains("Open tasks"), "{page}");
        assert!(page.contains(&format!("meeting={id}&amp;format=pdf")), "the files keep the meeting: {page}");
        let pdf = app.get(&format!("{uri}&format=pdf")).await;
        assert!(pdf.body.starts_with(b"%PDF"));
        let both = format!("{uri}&agenda=A%3A+crimes_recorded&units=GNC");
        let page = html(&get_with_cookie(&app, &both, "lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("Give either a meeting") && page.contains("href=\"#f-meeting\""), "{page}");
    });
}

#[test]
fn search_finds_summaries_and_persons_and_narrows_to_a_register() {
    each_backend(|app| async move {
        some_records(&app).await;
        let everywhere = html(&get_with_cookie(&app, "/search?q=%C6%8Fliyeva", "lang=en").await, StatusCode::OK, "en");
        assert!(everywhere.contains("Leyla Əliyeva") && everywhere.contains(">Person<"), "{everywhere}");
        let summary = html(&app.get("/search?q=velosiped").await, StatusCode::OK, "az");
        assert!(summary.contains("Velosiped oğurlanıb"), "{summary}");
        let cases_only =
            html(&get_with_cookie(&app, "/search?q=%C6%8Fliyeva&kind=case", "lang=en").await, StatusCode::OK, "en");
        assert!(cases_only.contains("Nothing found."), "{cases_only}");
    });
}

/// Reports registered straight through the registry: `appeals` citizens'
/// appeals received on 1 April (due weeks later), then one crime report
/// received on each of 15 April (overdue) and 16 April (due today).
async fn many_reports(app: &App, appeals: usize) {
    use crimeboard_domain::Command;
    let report = |received: String, appeal: bool| {
        let mut r: crimeboard_domain::report::NewReport =
            serde_json::from_value(crate::support::new_report(&received)).unwrap();
        if appeal {
            r.procedure = crimeboard_domain::rules::Procedure::CitizenAppeal;
        }
        crimeboard_service::Submission {
            actor: "officer-1".into(),
            legal_ground: "CPC art. 207".into(),
            command: Command::RegisterReport(r),
            late: None,
        }
    };
    let mut batch: Vec<_> =
        (0..appeals).map(|i| report(format!("2024-04-01T08:{:02}:{:02}Z", i / 60, i % 60), true)).collect();
    batch.push(report("2024-04-15T08:00:00Z".into(), false));
    batch.push(report("2024-04-16T08:00:00Z".into(), false));
    // The registry blocks (PostgreSQL's client runs a runtime of its own): off the test's runtime.
    let registry = app.registry.clone();
    tokio::task::spawn_blocking(move || {
        let audited = crimeboard_service::audit::Audited::No;
        registry.record_batch(&registry.system("tests"), &batch, None, &audited).unwrap()
    })
    .await
    .unwrap();
}

#[test]
fn the_queue_counts_every_waiting_report_and_pages_past_the_first_fifty() {
    each_backend(|app| async move {
        many_reports(&app, 60).await;
        let page = html(&get_with_cookie(&app, "/", "lang=en").await, StatusCode::OK, "en");
        assert!(page.contains("Waiting: 62; overdue: 1; due today: 1."), "{page}");
        // The crime reports, registered last, have the nearest deadlines.
        let rows = |page: &str| page[page.find("<tbody>").unwrap()..].to_string();
        let first = rows(&page);
        let leading: Vec<&str> = first.split("M-BAK-NSM-2024-").skip(1).take(2).map(|s| &s[..6]).collect();
        assert_eq!(leading, ["000061", "000062"], "overdue, then due today, then the appeals");
        assert_eq!(first.matches("M-BAK-NSM-2024-").count(), 50, "a page of fifty");
        assert!(page.contains("href=\"/?page=2#queue\" rel=\"next\""), "{page}");
        let next = html(&get_with_cookie(&app, "/?page=2", "lang=en").await, StatusCode::OK, "en");
        assert_eq!(rows(&next).matches("M-BAK-NSM-2024-").count(), 12, "the rest on the next page");
        let numbers = |rows: &str| {
            rows.split("M-BAK-NSM-2024-").skip(1).map(|s| s[..6].to_string()).collect::<std::collections::BTreeSet<_>>()
        };
        assert_eq!(numbers(&first).union(&numbers(&rows(&next))).count(), 62, "none twice, none left out");
        assert!(next.contains("Waiting: 62; overdue: 1; due today: 1."), "the counts are of the whole queue");
        assert!(next.contains("rel=\"prev\""));
        // A page number that is no number is the first page.
        html(&get_with_cookie(&app, "/?page=x", "lang=en").await, StatusCode::OK, "en");
    });
}

#[test]
fn lists_sort_by_number_and_deadline_and_the_order_is_kept_in_page_and_export_links() {
    each_backend(|app| async move {
        many_reports(&app, 49).await;
        // 51 reports: the control, in each language.
        for (lang, label) in
            [("en", "Number, descending"), ("ru", "Номер, по убыванию"), ("az", "Nömrə, azalan sıra ilə")]
        {
            let page = html(&get_with_cookie(&app, "/reports", &format!("lang={lang}")).await, StatusCode::OK, lang);
            assert!(page.contains(&format!("<option value=\"number_desc\">{label}</option>")), "{page}");
            assert!(page.contains("<option value=\"deadline\">"), "reports sort by deadline");
        }
        let cases = html(&get_with_cookie(&app, "/cases", "lang=en").await, StatusCode::OK, "en");
        assert!(cases.contains("<option value=\"unit_desc\">") && !cases.contains("<option value=\"deadline\">"));

        let desc = html(&get_with_cookie(&app, "/reports?sort=number_desc", "lang=en").await, StatusCode::OK, "en");
        assert!(desc.contains("<option value=\"number_desc\" selected>"), "{desc}");
        let at = |n: &str| desc.find(n).unwrap();
        assert!(at("M-BAK-NSM-2024-000051") < at("M-BAK-NSM-2024-000050"));
        assert!(!desc.contains("M-BAK-NSM-2024-000001<"), "the lowest number is on the next page");
        assert!(desc.contains("href=\"/reports?sort=number_desc&amp;page=2\" rel=\"next\""), "{desc}");
        assert!(desc.contains("href=\"/reports?sort=number_desc&amp;format=csv\""), "{desc}");
        assert!(desc.contains("href=\"/reports?sort=number_desc&amp;format=xlsx\""), "{desc}");
        let next =
            html(&get_with_cookie(&app, "/reports?sort=number_desc&page=2", "lang=en").await, StatusCode::OK, "en");
        assert!(next.contains("M-BAK-NSM-2024-000001<"), "{next}");

        let asc = html(&app.get("/reports?sort=number").await, StatusCode::OK, "az");
        assert!(asc.find("M-BAK-NSM-2024-000001<").unwrap() < asc.find("M-BAK-NSM-2024-000002<").unwrap());
        let by_deadline = html(&app.get("/reports?sort=deadline").await, StatusCode::OK, "az");
        assert!(
            by_deadline.find("M-BAK-NSM-2024-000050<").unwrap() < by_deadline.find("M-BAK-NSM-2024-000051<").unwrap()
        );
        assert!(
            by_deadline.find("M-BAK-NSM-2024-000051<").unwrap() < by_deadline.find("M-BAK-NSM-2024-000001<").unwrap()
        );

        let csv = get_with_cookie(&app, "/reports?sort=number_desc&format=csv", "lang=en").await;
        let text = String::from_utf8(csv.body.clone()).unwrap();
        assert!(text.find("M-BAK-NSM-2024-000051").unwrap() < text.find("M-BAK-NSM-2024-000001").unwrap());

        // An order not offered is said at its field, in the user's language.
        let bad = html(&get_with_cookie(&app, "/reports?sort=bogus", "lang=ru").await, StatusCode::OK, "ru");
        assert!(bad.contains("Выберите из списка."), "{bad}");
        let bad = html(&get_with_cookie(&app, "/cases?sort=deadline", "lang=en").await, StatusCode::OK, "en");
        assert!(bad.contains("Choose from the list."), "{bad}");
    });
}

/// With figures in 2023 only (the clock is in April 2024), the report page
/// opens on their last whole quarter rather than the calendar's empty one
/// and offers the years with figures alone; the public figures open on the
/// same quarter.
#[test]
fn the_report_and_the_public_figures_open_on_the_last_quarter_with_figures() {
    each_backend(|app| async move {
        report(&app, "2023-05-10T08:00:00Z").await;
        report(&app, "2023-11-20T08:00:00Z").await;
        let page = html(&app.get("/report").await, StatusCode::OK, "az");
        assert!(page.contains("<option value=\"2023Q4\" selected>"), "{page}");
        assert!(page.contains("<option value=\"2023\">"), "{page}");
        for year in ["2022", "2024"] {
            assert!(!page.contains(&format!("<option value=\"{year}\"")), "{year} has no figures: {page}");
        }
        let public = html(&app.get("/figures").await, StatusCode::OK, "az");
        assert!(public.contains("value=\"2023Q4\""), "{public}");
    });
}

/// A unit named in English alone shows its English name on an Azerbaijani
/// page (its picker and its report), by the stated fallback order.
#[test]
fn a_unit_named_in_english_alone_is_named_so_on_an_azerbaijani_page() {
    each_backend(|app| async move {
        let mut english = crimeboard_service::demo_units().pop().unwrap();
        english.code = crimeboard_domain::units::UnitCode::parse("BAK-NSM-EN").unwrap();
        english.parent = Some(crimeboard_domain::units::UnitCode::parse("BAK-NSM").unwrap());
        english.names = crimeboard_domain::units::Names { en: "Harbour Police".into(), ..Default::default() };
        // Off the runtime: the PostgreSQL client blocks.
        let registry = app.registry.clone();
        // In force from the first day of the quarter whose report names it.
        let from_january = crimeboard_service::UnitsAddition {
            effective_from: crimeboard_domain::units::UnitInForce::From(
                chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            ),
            legal_ground: "tests".into(),
        };
        tokio::task::spawn_blocking(move || {
            registry.add_units(&registry.system("tests"), &[english], &from_january).unwrap()
        })
        .await
        .unwrap();
        let picker = html(&get_with_cookie(&app, "/reports/new", "lang=az").await, StatusCode::OK, "az");
        assert!(picker.contains("Harbour Police (BAK-NSM-EN)"), "{picker}");
        let report = get_with_cookie(&app, "/report?period=2024Q1&unit=BAK-NSM-EN", "lang=az").await;
        assert!(html(&report, StatusCode::OK, "az").contains("Harbour Police"));
    });
}

/// A name missing in the page's language is shown in the pack's default
/// language before the others.
#[test]
fn a_missing_name_falls_back_to_the_packs_default_language_first() {
    each_backend(|app| async move {
        let mut unit = crimeboard_service::demo_units().pop().unwrap();
        unit.code = crimeboard_domain::units::UnitCode::parse("BAK-NSM-RE").unwrap();
        unit.parent = Some(crimeboard_domain::units::UnitCode::parse("BAK-NSM").unwrap());
        unit.names = crimeboard_domain::units::Names {
            ru: "Портовая полиция".into(),
            en: "Harbour Police".into(),
            ..Default::default()
        };
        let registry = app.registry.clone();
        tokio::task::spawn_blocking(move || {
            registry.add_units(&registry.system("tests"), &[unit], &registry.units_added_today("tests")).unwrap()
        })
        .await
        .unwrap();
        let picker = html(&get_with_cookie(&app, "/reports/new", "lang=az").await, StatusCode::OK, "az");
        assert!(picker.contains("Портовая полиция (BAK-NSM-RE)"), "az, ru, en under the demo pack: {picker}");
        crate::support::adopt_pack(
            &app,
            crate::support::demo_pack_with(&[("default_language = \"az\"", "default_language = \"en\"")]),
        )
        .await;
        let picker = html(&get_with_cookie(&app, "/reports/new", "lang=az").await, StatusCode::OK, "az");
        assert!(picker.contains("Harbour Police (BAK-NSM-RE)"), "the pack's default first: {picker}");
    });
}

/// A case registered in `unit` on `registered_at`, detected by the police.
async fn detected_case_in(app: &App, unit: &str, registered_at: &str) {
    let mut case = new_case(&[], &["177.2"]);
    case["unit"] = serde_json::json!(unit);
    case["detected_by_police"] = serde_json::json!(true);
    case["occurred_at"] = serde_json::json!("2024-01-02T20:00:00Z");
    case["registered_at"] = serde_json::json!(registered_at);
    let reply = app.post("/api/cases", &filing(case)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
}

/// The cells of one unit and indicator in January from the public figures' CSV.
fn january_value(csv: &[u8], unit: &str) -> String {
    let text = String::from_utf8(csv.to_vec()).unwrap();
    let prefix = format!("2024-01,{unit},");
    let line = text.lines().find(|l| l.starts_with(&prefix) && l.contains(",crimes_recorded,"));
    line.unwrap_or_else(|| panic!("no January line of {unit}: {text}")).split(',').nth(7).unwrap().to_string()
}

/// Yasamal merged into Nasimi from 1 March: the report and the public
/// figures roll January up under the tree in force then unless asked for the
/// current one, say which when a change is dated inside or after the period,
/// and keep the choice in every link; an unknown structure is refused at its field.
#[test]
fn the_report_and_the_figures_pages_roll_up_under_the_structure_asked_for() {
    each_backend(|app| async move {
        for at in ["2024-01-15T09:00:00Z", "2024-01-16T09:00:00Z", "2024-01-17T09:00:00Z"] {
            detected_case_in(&app, "BAK-YAS", at).await;
        }
        for at in ["2024-01-18T09:00:00Z", "2024-01-19T09:00:00Z", "2024-01-20T09:00:00Z", "2024-01-21T09:00:00Z"] {
            detected_case_in(&app, "BAK-NSM", at).await;
        }
        let registry = app.registry.clone();
        tokio::task::spawn_blocking(move || {
            let merge = serde_json::json!({"act": "merge_units", "absorbed": "BAK-YAS", "into": "BAK-NSM",
                "effective_from": "2024-03-01"});
            let command = serde_json::from_value(merge).unwrap();
            let s = crimeboard_service::Submission {
                actor: "tests".into(),
                legal_ground: "Order".into(),
                command,
                late: None,
            };
            registry.record(&registry.system("tests"), &s, &crimeboard_service::audit::Audited::No).unwrap();
        })
        .await
        .unwrap();

        let app = &app;
        let page =
            |uri: String| async move { html(&get_with_cookie(app, &uri, "lang=en").await, StatusCode::OK, "en") };
        let in_force = page("/report?period=2024-01&unit=BAK".into()).await;
        assert!(in_force.contains("/report?period=2024-01&amp;unit=BAK-YAS\""), "Yasamal below Baku then: {in_force}");
        assert!(in_force.contains("as they stood on 31 January 2024"), "{in_force}");
        let current = page("/report?period=2024-01&unit=BAK&structure=current".into()).await;
        assert!(!current.contains("unit=BAK-YAS"), "merged away under today's units: {current}");
        assert!(current.contains("/report?period=2024-01&amp;unit=BAK-NSM&amp;structure=current\""), "{current}");
        assert!(current.contains("&amp;structure=current&amp;format=csv"), "the files keep it: {current}");
        assert!(current.contains("every change of the units is applied"), "{current}");
        assert!(current.contains("<option value=\"current\" selected"), "{current}");
        // A merge inside the quarter: the quarter's last day already has it, and the page says so.
        let quarter = page("/report?period=2024Q1&unit=BAK".into()).await;
        assert!(quarter.contains("as they stood on 31 March 2024"), "{quarter}");
        let april = page("/report?period=2024-04&unit=BAK".into()).await;
        assert!(!april.contains("id=\"structure-note\""), "no change dated inside or after April: {april}");
        let bad = page("/report?period=2024-01&structure=today".into()).await;
        assert!(bad.contains("class=\"error-summary\"") && bad.contains("Unit structure: "), "{bad}");

        let figures = page("/figures?period=2024-01&unit=BAK-NSM&structure=current".into()).await;
        assert!(figures.contains("every change of the units is applied"), "{figures}");
        assert!(figures.contains("unit=BAK-NSM&amp;structure=current&amp;format=csv"), "{figures}");
        let csv = |structure: &'static str| async move {
            app.get(&format!("/figures?period=2024-01&format=csv&structure={structure}")).await.body
        };
        let (in_force, current) = (csv("in_force").await, csv("current").await);
        assert_eq!(
            (january_value(&in_force, "BAK-YAS"), january_value(&in_force, "BAK-NSM")),
            ("3".into(), "4".into())
        );
        assert_eq!(january_value(&current, "BAK-NSM"), "7", "Yasamal's January counts for Nasimi");
        assert_eq!(
            get_with_cookie(app, "/figures?period=2024-01&structure=today", "lang=en").await.status,
            StatusCode::BAD_REQUEST
        );
    });
}
