//! Who may open which page, signed in through the service as a browser is:
//! every role against every page route (GET and POST) by the matrix and the
//! unit tree, the public sent to sign in and back, a district's user kept to
//! their district, the CSRF token on every form, hostile text sent to every
//! form refused and shown inert, and a look at a person in the audit trail.

use crate::helpers::*;
use crate::support::*;
use axum::http::{Method, StatusCode};
use crimeboard_domain::access::{Action, Role};
use serde_json::{Value, json};

#[path = "../../../domain/tests/expected/access.rs"]
#[allow(dead_code)]
mod matrix;

/// The demo's units the routes name, as (child, parent).
const DEMO_PARENTS: [(&str, &str); 4] = [("BAK-NSM", "BAK"), ("BAK-YAS", "BAK"), ("BAK", "MIA"), ("MIA", "AZ")];

const HOME: &str = "BAK-NSM";

/// Records in two districts, made through the API.
struct Data {
    /// The series of Nasimi's report and case.
    series: String,
    nsm_report: String,
    nsm_case: String,
    nsm_person: String,
    yas_report: String,
    yas_case: String,
    yas_person: String,
}

fn in_unit(mut data: Value, unit: &str) -> Value {
    data["unit"] = json!(unit);
    data
}

async fn open_case(app: &App, report: &str) -> String {
    let case = app.post("/api/cases", &filing(in_unit(new_case(&[report], &["177.2"]), "BAK-NSM"))).await;
    assert_eq!(case.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&case.body));
    case.json()["entity_id"].as_str().unwrap().to_string()
}

async fn data(app: &App) -> Data {
    let nsm = report(app, "2024-04-02T08:00:00Z").await;
    let yas = app.post("/api/reports", &filing(in_unit(new_report("2024-04-02T09:00:00Z"), "BAK-YAS"))).await.json();
    let yas_opened = app.post("/api/reports", &filing(in_unit(new_report("2024-04-02T10:00:00Z"), "BAK-YAS"))).await;
    let yas_opened = yas_opened.json()["entity_id"].as_str().unwrap().to_string();
    let nsm_report = nsm["entity_id"].as_str().unwrap().to_string();
    let mut yas_case = filing(new_case(&[&yas_opened], &["177.2"]));
    yas_case["data"]["unit"] = json!("BAK-YAS");
    let yas_case = app.post("/api/cases", &yas_case).await;
    assert_eq!(yas_case.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&yas_case.body));
    let nsm_opened = report(app, "2024-04-02T11:00:00Z").await;
    let nsm_case = open_case(app, nsm_opened["entity_id"].as_str().unwrap()).await;
    // Nasimi's report and case share a number: a series.
    for (kind, id) in [("report", nsm_report.as_str()), ("case", nsm_case.as_str())] {
        let attach = json!({"subject": {"kind": kind, "id": id}, "identifier": {"kind": "phone", "input": "050 123 45 67"},
            "legal_ground": "CPC art. 207"});
        let attached = app.post("/api/identifiers/attachments", &attach).await;
        assert_eq!(attached.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&attached.body));
    }
    Data {
        series: nsm_report.as_str().min(nsm_case.as_str()).to_string(),
        nsm_case,
        nsm_person: nsm["person_ids"][0].as_str().unwrap().to_string(),
        yas_report: yas["entity_id"].as_str().unwrap().to_string(),
        yas_case: yas_case.json()["entity_id"].as_str().unwrap().to_string(),
        yas_person: yas["person_ids"][0].as_str().unwrap().to_string(),
        nsm_report,
    }
}

/// One page route with what it needs: the action and the unit of the data.
struct Route {
    method: Method,
    uri: String,
    action: Action,
    unit: Option<&'static str>,
}

fn get(uri: impl Into<String>, action: Action, unit: Option<&'static str>) -> Route {
    Route { method: Method::GET, uri: uri.into(), action, unit }
}

fn post(uri: impl Into<String>, action: Action, unit: Option<&'static str>) -> Route {
    Route { method: Method::POST, uri: uri.into(), action, unit }
}

fn routes(d: &Data) -> Vec<Route> {
    use Action::*;
    let (nsm, yas) = (Some("BAK-NSM"), Some("BAK-YAS"));
    let nobody = uuid::Uuid::nil();
    let mut all = vec![];
    for (path, action) in [
        ("reports", ReadPersonalData),
        ("cases", ReadPersonalData),
        ("persons", ReadPersonalData),
        ("accountability", ReadPersonalData),
        ("seizures", ReadRecords),
        ("accidents", ReadRecords),
        ("examinations", ReadRecords),
    ] {
        all.push(get(format!("/{path}"), action, None));
        all.push(get(format!("/{path}?unit=BAK-NSM"), action, nsm));
        all.push(get(format!("/{path}?unit=BAK-YAS"), action, yas));
    }
    all.extend([
        get("/search?q=bicycle", ReadPersonalData, None),
        get(format!("/reports/{}", d.nsm_report), ReadPersonalData, nsm),
        get(format!("/reports/{}", d.yas_report), ReadPersonalData, yas),
        get(format!("/cases/{}", d.nsm_case), ReadPersonalData, nsm),
        get(format!("/cases/{}", d.yas_case), ReadPersonalData, yas),
        get(format!("/persons/{}", d.nsm_person), ReadPersonalData, nsm),
        get(format!("/persons/{}", d.yas_person), ReadPersonalData, yas),
        get("/report?period=2024Q1&unit=BAK-NSM", ReadFigures, nsm),
        get("/report?period=2024Q1&unit=BAK-YAS", ReadFigures, yas),
        get("/signals?period=2024Q1&unit=BAK-NSM", ReadSignals, nsm),
        get("/signals?period=2024Q1&unit=BAK-YAS", ReadSignals, yas),
        get("/board/briefing?period=2024Q1&agenda=Crimes%3A+crimes_recorded&units=BAK-NSM", ReadFigures, nsm),
        get("/board/briefing?period=2024Q1&agenda=Crimes%3A+crimes_recorded&units=BAK-YAS", ReadFigures, yas),
        get("/figures?period=2024Q1", ReadPublicFigures, None),
        get("/reports/new", RegisterReport, None),
        get("/accidents/new", RecordAccident, None),
        get("/cases/new", WorkCase, None),
        get("/seizures/new", WorkCase, None),
        get("/examinations/new", WorkCase, None),
        get(format!("/examinations/{nobody}/complete"), RecordExamination, None),
        post("/reports/new", RegisterReport, None),
        post("/accidents/new", RecordAccident, None),
        post("/cases/new", WorkCase, None),
        post("/seizures/new", WorkCase, None),
        post("/examinations/new", WorkCase, None),
        post(format!("/examinations/{nobody}/complete"), RecordExamination, None),
        get("/admin/users", AdministerUsers, None),
        get("/admin/users/u-administrator", AdministerUsers, None),
        post("/admin/users", AdministerUsers, None),
        post("/admin/users/u-administrator/tokens", AdministerUsers, None),
        get("/admin/audit?actor=u-administrator", ReadAudit, None),
        get("/publications", ReadFigures, None),
        get("/publications/new?scope=BAK-NSM&period_from=2024-01-01&period_to=2024-03-31", PublishFigures, None),
        post("/publications/new", PublishFigures, None),
        get("/samples", ReadSamples, None),
        get("/samples/new?unit=BAK-NSM&kind=refusals&period_from=2024-01-01&period_to=2024-03-31", DrawSample, None),
        post("/samples/new", DrawSample, None),
        get("/identifiers", ReadPersonalData, None),
        post("/identifiers", ReadPersonalData, None),
        post("/identifiers/access", ReadPersonalData, None),
        get("/identifiers/phone/%2B994501234567", ReadPersonalData, None),
        post("/identifiers/phone/%2B994501234567/linking", AnalyseSeries, None),
        get("/series", ReadPersonalData, None),
        get(format!("/series/{}", d.series), ReadPersonalData, None),
        post(format!("/series/{}/confirm", d.series), AnalyseSeries, None),
        get(format!("/series/{}/acknowledge?unit=BAK-NSM", d.series), DecideReport, nsm),
        get(format!("/series/{}/split", d.series), AnalyseSeries, None),
        post(format!("/series/{}/split", d.series), AnalyseSeries, None),
    ]);
    for (register, id, unit) in [
        ("reports", &d.nsm_report, nsm),
        ("reports", &d.yas_report, yas),
        ("cases", &d.nsm_case, nsm),
        ("cases", &d.yas_case, yas),
        ("persons", &d.nsm_person, nsm),
        ("persons", &d.yas_person, yas),
    ] {
        all.push(get(format!("/{register}/{id}/identifiers/new"), RecordIdentifiers, unit));
        all.push(post(format!("/{register}/{id}/identifiers/new"), RecordIdentifiers, unit));
        all.push(post(format!("/{register}/{id}/identifiers/remove"), RecordIdentifiers, unit));
    }
    for (report, unit) in [(&d.nsm_report, nsm), (&d.yas_report, yas)] {
        all.push(get(format!("/reports/{report}/decide"), DecideReport, unit));
        all.push(post(format!("/reports/{report}/decide"), DecideReport, unit));
    }
    for (case, unit) in [(&d.nsm_case, nsm), (&d.yas_case, yas)] {
        for form in ["persons/new", "money", "decide", "reclassify", "freeze"] {
            all.push(get(format!("/cases/{case}/{form}"), WorkCase, unit));
            all.push(post(format!("/cases/{case}/{form}"), WorkCase, unit));
        }
    }
    all
}

/// A staff user of each role at the home district, and the public.
async fn people(app: &App) -> Vec<(Role, Option<Session>)> {
    let mut out = vec![(Role::Public, None)];
    for role in Role::ALL.into_iter().filter(|r| r.is_staff()) {
        out.push((role, Some(sign_in(app, &format!("u-{}", role.as_str().replace('_', "-")), role, HOME, &[]).await)));
    }
    out
}

#[derive(Debug, PartialEq)]
enum Expect {
    Allowed,
    Forbidden,
    SignIn,
}

/// What the matrix written out as data and the demo's tree say a user of the role at
/// `HOME` meets.
fn expected(role: Role, route: &Route) -> Expect {
    if role == Role::Public {
        return if route.action == Action::ReadPublicFigures { Expect::Allowed } else { Expect::SignIn };
    }
    match matrix::expected(role, HOME, &[], route.action, route.unit, &matrix::Tree(&DEMO_PARENTS)) {
        Ok(()) => Expect::Allowed,
        Err(_) => Expect::Forbidden,
    }
}

async fn send(app: &App, route: &Route, session: Option<&Session>) -> Reply {
    match route.method {
        Method::GET => get_as(app, &route.uri, session).await,
        _ => post_as(app, &route.uri, &[], session).await,
    }
}

#[test]
fn every_role_against_every_page_by_the_matrix_and_the_units() {
    each_backend(|app| async move {
        let d = data(&app).await;
        let people = people(&app).await;
        let before = position(&app).await;
        for route in routes(&d) {
            for (role, session) in &people {
                let reply = send(&app, &route, session.as_ref()).await;
                let what = format!("{role} {} {}", route.method, route.uri);
                let body = String::from_utf8_lossy(&reply.body);
                match expected(*role, &route) {
                    Expect::Allowed => {
                        // An empty form is allowed and refused by its rules; a page is shown.
                        let ok = if route.method == Method::GET { vec![200] } else { vec![422] };
                        assert!(ok.contains(&reply.status.as_u16()), "{what}: {} {body}", reply.status);
                    }
                    Expect::Forbidden => {
                        let page = html(&reply, StatusCode::FORBIDDEN, "az");
                        assert!(page.contains("<main"), "{what}: a page in the layout");
                    }
                    Expect::SignIn => {
                        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{what}: {body}");
                        let to = reply.header("location");
                        assert!(to.starts_with("/auth/login?next=%2F"), "{what}: {to}");
                    }
                }
            }
        }
        assert_eq!(position(&app).await, before, "no page answer wrote anything");
    });
}

#[test]
fn a_district_investigator_sees_only_their_district() {
    each_backend(|app| async move {
        let d = data(&app).await;
        let inv = sign_in(&app, "inv", Role::Investigator, HOME, &[]).await;
        html(&get_as(&app, &format!("/cases/{}", d.nsm_case), Some(&inv)).await, StatusCode::OK, "az");
        let other = get_as(&app, &format!("/cases/{}", d.yas_case), Some(&inv)).await;
        let page = html(&other, StatusCode::FORBIDDEN, "az");
        assert!(!page.contains("C-BAK-YAS"), "a refusal names nothing of the case");
        // `?unit=` beyond their units is refused, never widened.
        html(&get_as(&app, "/cases?unit=BAK-YAS", Some(&inv)).await, StatusCode::FORBIDDEN, "az");
        html(&get_as(&app, "/cases?unit=BAK", Some(&inv)).await, StatusCode::FORBIDDEN, "az");
        // The list keeps to their units and the picker offers only them.
        let list = html(&get_as(&app, "/cases", Some(&inv)).await, StatusCode::OK, "az");
        assert!(list.contains("C-BAK-NSM"), "{list}");
        assert!(!list.contains("C-BAK-YAS"), "{list}");
        assert!(list.contains("value=\"BAK-NSM\""));
        assert!(!list.contains("value=\"BAK-YAS\"") && !list.contains("value=\"BAK\""), "{list}");
        let search = html(&get_as(&app, "/search?q=C-BAK", Some(&inv)).await, StatusCode::OK, "az");
        assert!(!search.contains("C-BAK-YAS"), "{search}");
    });
}

const REPORT_FORM: [(&str, &str); 9] = [
    ("unit", "BAK-NSM"),
    ("channel", "in_person"),
    ("received_at", "2024-04-18T12:00"),
    ("officer", "Duty officer Məmmədov"),
    ("summary", "Stolen bicycle"),
    ("applicant.full_name", "Leyla Əliyeva"),
    ("applicant.fin", "5abc12d"),
    ("actor", "someone else"),
    ("legal_ground", "CPC art. 207"),
];

fn report_form(unit: &'static str) -> Vec<(&'static str, &'static str)> {
    REPORT_FORM.iter().map(|&(k, v)| if k == "unit" { (k, unit) } else { (k, v) }).collect()
}

#[test]
fn a_form_writes_only_in_the_users_units_and_as_the_user() {
    each_backend(|app| async move {
        let duty = sign_in(&app, "duty", Role::DutyOfficer, HOME, &[]).await;
        let before = position(&app).await;
        let refused = post_as(&app, "/reports/new", &report_form("BAK-YAS"), Some(&duty)).await;
        html(&refused, StatusCode::FORBIDDEN, "az");
        assert_eq!(position(&app).await, before, "nothing written");
        let done = post_as(&app, "/reports/new", &report_form("BAK-NSM"), Some(&duty)).await;
        let to = location(&done);
        let page = html(&get_as(&app, &to, Some(&duty)).await, StatusCode::OK, "az");
        assert!(page.contains(">duty<"), "recorded as the signed-in user: {page}");
        assert!(!page.contains("someone else"));
        // A duty officer registers but does not decide: no button to a form they may not use.
        assert!(!page.contains("/decide\""), "{page}");
        assert!(!page.contains("href=\"/cases/new"), "{page}");
    });
}

/// The form routes, each with a role that may post it.
fn forms(d: &Data) -> Vec<(String, Role)> {
    let mut out: Vec<(String, Role)> = [
        ("/reports/new", Role::DutyOfficer),
        ("/accidents/new", Role::DutyOfficer),
        ("/cases/new", Role::Investigator),
        ("/seizures/new", Role::Investigator),
        ("/examinations/new", Role::Investigator),
    ]
    .into_iter()
    .map(|(p, r)| (p.to_string(), r))
    .collect();
    out.push((format!("/reports/{}/decide", d.nsm_report), Role::Investigator));
    for form in ["persons/new", "money", "decide", "reclassify"] {
        out.push((format!("/cases/{}/{form}", d.nsm_case), Role::Investigator));
    }
    out.push((format!("/examinations/{}/complete", uuid::Uuid::nil()), Role::ForensicExpert));
    out.push((format!("/cases/{}/identifiers/new", d.nsm_case), Role::Investigator));
    out.push((format!("/persons/{}/identifiers/new", d.nsm_person), Role::Investigator));
    out.push(("/identifiers".into(), Role::Investigator));
    out.push(("/publications/new".into(), Role::PressOfficer));
    out.push(("/samples/new".into(), Role::Inspector));
    out.push(("/admin/users".into(), Role::Administrator));
    out.push(("/admin/users/s-administrator/tokens".into(), Role::Administrator));
    out
}

async fn sessions(app: &App) -> std::collections::BTreeMap<Role, Session> {
    let mut out = std::collections::BTreeMap::new();
    for role in [
        Role::DutyOfficer,
        Role::Investigator,
        Role::ForensicExpert,
        Role::Administrator,
        Role::PressOfficer,
        Role::Inspector,
    ] {
        out.insert(role, sign_in(app, &format!("s-{}", role.as_str().replace('_', "-")), role, HOME, &[]).await);
    }
    out
}

#[test]
fn every_page_form_refuses_a_missing_or_forged_csrf_token_and_writes_nothing() {
    each_backend(|app| async move {
        let d = data(&app).await;
        let sessions = sessions(&app).await;
        let before = position(&app).await;
        for (uri, role) in forms(&d) {
            let s = &sessions[&role];
            // The form carries the token.
            let form = html(&get_as(&app, &uri, Some(s)).await, StatusCode::OK, "az");
            assert!(form.contains(&format!("name=\"csrf\" value=\"{}\"", s.csrf)), "{uri}: {form}");
            // A whole report, which would be recorded with the right token.
            let fields: Vec<(&str, &str)> = if uri == "/reports/new" { report_form("BAK-NSM") } else { vec![] };
            let mut forged = fields.clone();
            forged.push(("csrf", "forged-token"));
            for sent in [fields.clone(), forged] {
                let reply = post_raw_as(&app, &uri, &sent, Some(&s.cookie)).await;
                let page = html(&reply, StatusCode::FORBIDDEN, "az");
                assert!(page.contains("təhlükəsizlik tokeni"), "{uri}: {page}");
            }
        }
        assert_eq!(position(&app).await, before);
    });
}

/// The names of a form page's controls, the CSRF field aside.
fn field_names(page: &str) -> Vec<String> {
    let form = &page[page.find("<form method=\"post\"").expect("a form")..];
    let mut names: Vec<String> = form
        .split("name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .filter(|n| n != "csrf")
        .collect();
    names.dedup();
    names
}

#[test]
fn hostile_text_in_every_page_form_is_refused_cleanly_and_shown_inert() {
    each_backend(|app| async move {
        let d = data(&app).await;
        let sessions = sessions(&app).await;
        let before = position(&app).await;
        let corpus = [
            "' OR '1'='1",
            "1; DROP TABLE journal; --",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "../../../../etc/passwd",
            "\u{0000}",
            "\u{202e}gnp.exe",
            "99999999999999999999999999999",
            "-1",
            "1e309",
            "NaN",
        ];
        let long = "A".repeat(20_000);
        for (uri, role) in forms(&d) {
            let s = &sessions[&role];
            let names = field_names(&html(&get_as(&app, &uri, Some(s)).await, StatusCode::OK, "az"));
            assert!(!names.is_empty(), "{uri}");
            for text in corpus.iter().copied().chain([long.as_str()]) {
                let fields: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), text)).collect();
                let reply = post_as(&app, &uri, &fields, Some(s)).await;
                let status = reply.status.as_u16();
                assert!((400..500).contains(&status), "{uri} {text:.40}: {status}");
                let page = String::from_utf8_lossy(&reply.body);
                assert!(!page.contains("<script>alert") && !page.contains("<img src=x"), "{uri} echoed markup");
                if uri == "/reports/new" && text.starts_with("<script>") {
                    // What was typed comes back as text, for the user to correct.
                    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
                }
            }
        }
        assert_eq!(position(&app).await, before, "nothing written");
    });
}

#[test]
fn viewing_a_person_page_leaves_an_audit_record() {
    each_backend(|app| async move {
        let d = data(&app).await;
        let inv = sign_in(&app, "inv", Role::Investigator, HOME, &[]).await;
        let audit = |query: String| {
            let app = &app;
            async move {
                let reply = app.get(&format!("/api/audit?{query}")).await;
                assert_eq!(reply.status, StatusCode::OK);
                reply.json()["items"].as_array().unwrap().clone()
            }
        };
        assert!(audit("action=view.person".into()).await.is_empty());
        html(&get_as(&app, &format!("/persons/{}", d.nsm_person), Some(&inv)).await, StatusCode::OK, "az");
        let records = audit("action=view.person".into()).await;
        assert_eq!(records.len(), 1, "{records:?}");
        assert_eq!(records[0]["actor"], "inv");
        assert_eq!(records[0]["target"], d.nsm_person);
        // A refused look is not a view; a case page, a list and an export are recorded.
        get_as(&app, &format!("/persons/{}", d.yas_person), Some(&inv)).await;
        assert_eq!(audit("action=view.person".into()).await.len(), 1);
        get_as(&app, &format!("/cases/{}", d.nsm_case), Some(&inv)).await;
        assert_eq!(audit(format!("action=view.case&target={}", d.nsm_case)).await.len(), 1);
        get_as(&app, "/cases", Some(&inv)).await;
        assert_eq!(audit("action=list.case&actor=inv".into()).await.len(), 1);
        let chief = sign_in(&app, "chief-nsm", Role::UnitChief, HOME, &[]).await;
        let file = get_as(&app, "/cases?format=csv", Some(&chief)).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(audit("action=export.case".into()).await.len(), 1);
        let figures = get_as(&app, "/report?period=2024Q1&format=xlsx", Some(&chief)).await;
        assert_eq!(figures.status, StatusCode::OK);
        assert_eq!(audit("action=export.report&actor=chief-nsm".into()).await.len(), 1);
        // An investigator may read cases but not take them away as a file.
        html(&get_as(&app, "/cases?format=csv", Some(&inv)).await, StatusCode::FORBIDDEN, "az");
    });
}

#[test]
fn each_role_lands_on_its_work() {
    each_backend(|app| async move {
        data(&app).await;
        let anonymous = get_as(&app, "/", None).await;
        assert_eq!(location(&anonymous), "/auth/login?next=%2F");
        for (role, landing) in [
            (Role::DutyOfficer, None),
            (Role::UnitChief, None),
            (Role::Investigator, Some("/cases?status=investigating&unit=BAK-NSM")),
            (Role::ForensicExpert, Some("/examinations?status=requested&unit=BAK-NSM")),
            (Role::HqAnalyst, Some("/report")),
            (Role::BoardSecretary, Some("/meetings")),
            (Role::Controller, Some("/board/sheet?controller=h-controller")),
            (Role::PressOfficer, Some("/figures")),
            (Role::Administrator, Some("/admin/users")),
        ] {
            let s = sign_in(&app, &format!("h-{}", role.as_str().replace('_', "-")), role, HOME, &[]).await;
            let reply = get_as(&app, "/", Some(&s)).await;
            match landing {
                None => {
                    let page = html(&reply, StatusCode::OK, "az");
                    assert!(page.contains("id=\"queue\""), "{role}: {page}");
                    assert!(page.contains("action=\"/auth/logout\""), "sign-out in the header");
                    assert!(!page.contains("C-BAK-YAS") && !page.contains("M-BAK-YAS"), "their units only: {page}");
                    // A chief also sees how the units below stand.
                    assert_eq!(page.contains("id=\"by-unit\""), role == Role::UnitChief, "{role}");
                }
                Some(to) => assert_eq!(location(&reply), to, "{role}"),
            }
        }
    });
}

/// `name=value` of a cookie a reply sets.
fn set_cookie(reply: &Reply, name: &str) -> String {
    let line = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"));
    line.split(';').next().unwrap().to_string()
}

fn hidden_csrf(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    page[at..].split('"').next().unwrap().to_string()
}

/// The way a browser signs in: the page it wanted, the password form, the
/// code form, and back to the page; only a local path is gone back to.
#[test]
fn signing_in_goes_back_to_the_page_asked_for_and_only_to_this_server() {
    each_backend(|app| async move {
        let secret = add_user(&app, "duty", Role::DutyOfficer, HOME, &[]).await;
        for (wanted, landing) in [("/reports?status=awaiting_decision", "/reports?status=awaiting_decision")] {
            let to_login = location(&get_as(&app, wanted, None).await);
            assert!(to_login.starts_with("/auth/login?next="), "{to_login}");
            let login_page = get_as(&app, &to_login, None).await;
            let page = html(&login_page, StatusCode::OK, "az");
            assert!(page.contains("autocomplete=\"username\"") && page.contains("for=\"f-password\""), "{page}");
            let login_cookie = set_cookie(&login_page, "cb_login");
            let fields = [("csrf", hidden_csrf(&page)), ("login", "duty".into()), ("password", PASSWORD.into())];
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            // The form posts to where it was opened, `next` and all.
            let signed = post_raw_as(&app, &to_login, &fields, Some(&login_cookie)).await;
            let to_totp = location(&signed);
            assert!(to_totp.starts_with("/auth/totp?next="), "{to_totp}");
            let session = set_cookie(&signed, "cb_session");
            let totp_page =
                get_as(&app, &to_totp, Some(&Session { cookie: session.clone(), csrf: String::new() })).await;
            let csrf = hidden_csrf(&html(&totp_page, StatusCode::OK, "az"));
            let code = crimeboard_service::totp::code(&secret, at(NOW));
            let done = post_raw_as(&app, &to_totp, &[("csrf", &csrf), ("code", &code)], Some(&session)).await;
            assert_eq!(location(&done), landing);
        }
        // A wrong password is said next to the password field, in the user's language.
        let page = get_as(&app, "/auth/login?lang=en", None).await;
        let cookie = set_cookie(&page, "cb_login");
        let token = hidden_csrf(&String::from_utf8_lossy(&page.body));
        let fields = [("csrf", token.as_str()), ("login", "duty"), ("password", "wrong")];
        let wrong = post_raw_as(&app, "/auth/login?lang=en", &fields, Some(&cookie)).await;
        let text = html(&wrong, StatusCode::UNAUTHORIZED, "en");
        let at_field = text.split("for=\"f-password\"").nth(1).unwrap();
        assert!(at_field[..at_field.find("</div>").unwrap()].contains("The login, password or code is wrong."));
        assert!(text.contains("value=\"duty\""), "the login as typed");
        // Anywhere but a path here is home instead.
        for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
            let uri =
                format!("/auth/login?next={}", form_urlencoded::byte_serialize(hostile.as_bytes()).collect::<String>());
            let page = get_as(&app, &uri, None).await;
            let text = html(&page, StatusCode::OK, "az");
            assert!(text.contains("<form method=\"post\" action=\"/auth/login\""), "{text}");
        }
    });
}

/// Accepting a password gives a new session id and voids the one the browser
/// held before (planted or left over), so nobody who knew it rides on the sign-in.
#[test]
fn a_password_accepted_voids_the_session_the_browser_held() {
    each_backend(|app| async move {
        let held = sign_in(&app, "duty", Role::DutyOfficer, HOME, &[]).await;
        assert_eq!(get_as(&app, "/reports", Some(&held)).await.status, StatusCode::OK);
        let login_page = get_as(&app, "/auth/login", None).await;
        let login_cookie = set_cookie(&login_page, "cb_login");
        let csrf = hidden_csrf(&String::from_utf8_lossy(&login_page.body));
        let fields = [("csrf", csrf.as_str()), ("login", "duty"), ("password", PASSWORD)];
        let both = format!("{login_cookie}; {}", held.cookie);
        let signed = post_raw_as(&app, "/auth/login", &fields, Some(&both)).await;
        assert!(location(&signed).starts_with("/auth/totp"));
        let fresh = set_cookie(&signed, "cb_session");
        assert_ne!(fresh, held.cookie);
        assert!(location(&get_as(&app, "/reports", Some(&held)).await).starts_with("/auth/login"));
    });
}

/// The public's figures: no sign-in, nothing personal, small cells hidden,
/// the same cells as a CSV file.
#[test]
fn the_public_sees_figures_with_small_cells_hidden_and_downloads_them() {
    each_backend(|app| async move {
        let d = data(&app).await;
        let reply = get_as(&app, "/figures?period=2024-04&unit=BAK-NSM&lang=en", None).await;
        let page = html(&reply, StatusCode::OK, "en");
        assert!(page.contains("Crime figures for the public"), "{page}");
        // Two reports this month in the district: below the threshold of 3, so hidden.
        assert!(page.contains("<abbr title=\"Hidden"), "{page}");
        for personal in ["Leyla", "5ABC12D", "C-BAK-NSM", d.nsm_person.as_str()] {
            assert!(!page.contains(personal), "{personal} on the public page");
        }
        let csv = get_as(&app, "/figures?period=2024-04&format=csv", None).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.header("content-type").starts_with("text/csv"));
        assert!(csv.body.starts_with("\u{feff}".as_bytes()), "a BOM for spreadsheet programs");
        // A period of loose days, or a unit that does not exist, is said at its field.
        let bad = html(
            &get_as(&app, "/figures?period=2024-04-01..2024-04-10&lang=en", None).await,
            StatusCode::BAD_REQUEST,
            "en",
        );
        assert!(bad.contains("class=\"error-summary\""), "{bad}");
        let bad = get_as(&app, "/figures?period=2024-04&unit=NOWHERE", None).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    });
}

/// The public figures page shows a visitor the public's frame: no staff
/// navigation (the queue) and no "for official use" footer, in every language;
/// a signed-in chief on the same page still has both.
#[test]
fn the_public_figures_page_shows_a_visitor_only_the_public_frame() {
    // (language, the queue's link, the staff footer, the public footer)
    let frames = [
        ("az", ">Növbə</a>", "Daxili istifadə üçün", "Rəqəmlər qeydlər jurnalından"),
        ("ru", ">Очередь</a>", "Для служебного пользования", "Цифры подсчитаны по журналу"),
        ("en", ">Queue</a>", "For official use", "Figures are counted from the journal"),
    ];
    each_backend(|app| async move {
        let chief = sign_in(&app, "chief-nsm", Role::UnitChief, HOME, &[]).await;
        for (lang, queue, staff_footer, public_footer) in frames {
            let uri = format!("/figures?period=2024Q1&lang={lang}");
            let public = html(&get_as(&app, &uri, None).await, StatusCode::OK, lang);
            assert!(!public.contains(queue), "{lang}: the queue offered to a visitor");
            assert!(!public.contains(staff_footer), "{lang}: the staff footer shown to a visitor");
            assert!(public.contains(public_footer), "{lang}: no public footer");
            assert!(public.contains("href=\"/figures"), "{lang}: the figures link is public navigation");
            let staff = html(&get_as(&app, &uri, Some(&chief)).await, StatusCode::OK, lang);
            assert!(staff.contains(queue), "{lang}: the chief lost the queue");
            assert!(staff.contains(staff_footer), "{lang}: the chief lost the staff footer");
        }
    });
}

/// The values a page's `<select name="unit">` offers.
fn unit_choices(page: &str) -> Vec<String> {
    let start = page.find("<select id=\"f-unit\" name=\"unit\"").expect("a unit picker");
    let select = &page[start..start + page[start..].find("</select>").unwrap()];
    select.split("<option value=\"").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
}

/// A district chief's pickers offer the district and what is below it, never
/// "the whole country" or "all units" (which showed the district under a
/// name that promised more); an analyst who sees the country still has it.
#[test]
fn a_district_chief_is_offered_only_units_in_their_scope() {
    each_backend(|app| async move {
        let chief = sign_in(&app, "chief-nsm", Role::UnitChief, HOME, &[]).await;
        let analyst = sign_in(&app, "hq-analyst", Role::HqAnalyst, "MIA", &[]).await;
        let tree = app.registry.units();
        let home = crimeboard_domain::units::UnitCode::parse(HOME).unwrap();
        for uri in ["/report?period=2024Q1&lang=en", "/?lang=en", "/reports?lang=en"] {
            let page = html(&get_as(&app, uri, Some(&chief)).await, StatusCode::OK, "en");
            let offered = unit_choices(&page);
            assert!(offered.contains(&HOME.to_string()), "{uri}: {offered:?}");
            for code in &offered {
                let unit = crimeboard_domain::units::UnitCode::parse(code);
                assert!(unit.is_ok_and(|u| tree.is_within(&u, &home)), "{uri}: {code:?} offered outside the district");
            }
            assert!(!page.contains("The whole country") && !page.contains("All units"), "{uri}");
        }
        let page = html(&get_as(&app, "/report?period=2024Q1&lang=en", Some(&analyst)).await, StatusCode::OK, "en");
        assert!(unit_choices(&page).contains(&String::new()) && page.contains("The whole country"));
    });
}

/// The administrator's pages: a user added through the form with their
/// second factor shown once, disabled and enabled, their factor reset, a
/// token issued and revoked, each in the audit trail, which is searched.
#[test]
fn an_administrator_manages_users_and_searches_the_audit_trail() {
    each_backend(|app| async move {
        let admin = sign_in(&app, "root-admin", Role::Administrator, "AZ", &[]).await;
        let add = [
            ("login", "new-inv"),
            ("display_name", "New <b>investigator</b>"),
            ("role", "investigator"),
            ("home_unit", "BAK-NSM"),
            ("password", "short"),
        ];
        // A password against the policy is said at its field and never sent back.
        let refused = post_as(&app, "/admin/users?lang=en", &add, Some(&admin)).await;
        let page = html(&refused, StatusCode::UNPROCESSABLE_ENTITY, "en");
        let at_password = page.split("for=\"f-password\"").nth(1).unwrap();
        assert!(at_password[..at_password.find("</div>").unwrap()].contains("class=\"error\""), "{page}");
        assert!(!page.contains("value=\"short\""));
        assert!(page.contains("New &lt;b&gt;investigator&lt;/b&gt;"), "typed text comes back inert");
        let mut good = add.to_vec();
        good[4] = ("password", PASSWORD);
        let made = html(&post_as(&app, "/admin/users?lang=en", &good, Some(&admin)).await, StatusCode::OK, "en");
        assert!(made.contains("otpauth://totp/"), "the second factor, shown once: {made}");
        assert_eq!(made.matches("<li><code>").count(), 10, "and the ten recovery codes");
        let list = html(&get_as(&app, "/admin/users", Some(&admin)).await, StatusCode::OK, "az");
        assert!(list.contains(">new-inv<"), "{list}");
        for (path, to) in [("disable", "/admin/users"), ("enable", "/admin/users")] {
            let reply = post_as(&app, &format!("/admin/users/new-inv/{path}"), &[], Some(&admin)).await;
            assert_eq!(location(&reply), to);
        }
        let reset = post_as(&app, "/admin/users/new-inv/totp", &[], Some(&admin)).await;
        assert!(html(&reset, StatusCode::OK, "az").contains("otpauth://totp/"));
        // A token within the role's actions; beyond them it is refused by name.
        let beyond = post_as(
            &app,
            "/admin/users/new-inv/tokens?lang=en",
            &[("name", "x"), ("scope", "read_audit")],
            Some(&admin),
        )
        .await;
        html(&beyond, StatusCode::UNPROCESSABLE_ENTITY, "en");
        let token =
            post_as(&app, "/admin/users/new-inv/tokens", &[("name", "sync"), ("scope", "read_records")], Some(&admin))
                .await;
        let token = html(&token, StatusCode::OK, "az");
        assert!(token.contains("<code class=\"secret\">"), "{token}");
        let tokens = app.registry.clone();
        let id = tokio::task::spawn_blocking(move || tokens.tokens("new-inv").unwrap()[0].id).await.unwrap();
        let revoked = post_as(&app, &format!("/admin/users/new-inv/tokens/{id}/revoke"), &[], Some(&admin)).await;
        assert_eq!(location(&revoked), "/admin/users/new-inv");
        // Every one of them in the audit trail, found by the search page.
        let trail = html(
            &get_as(&app, "/admin/audit?actor=root-admin&target=new-inv", Some(&admin)).await,
            StatusCode::OK,
            "az",
        );
        for action in ["user_add", "totp_reset", "user_disable", "user_enable", "token_create", "token_revoke"] {
            assert!(trail.contains(&format!(">{action}<")), "{action} not in the trail: {trail}");
        }
        let only = html(&get_as(&app, "/admin/audit?action=user_disable", Some(&admin)).await, StatusCode::OK, "az");
        assert!(!only.contains(">user_enable<"));
        // A date typed wrong is said at its field.
        html(&get_as(&app, "/admin/audit?from=yesterday", Some(&admin)).await, StatusCode::OK, "az");
    });
}

/// The GET forms too: hostile text in every filter of every list, the
/// search, the report, the public figures and the audit search is a clean
/// answer, shown inert, and writes nothing.
#[test]
fn hostile_text_in_every_filter_is_a_clean_answer_shown_inert() {
    each_backend(|app| async move {
        data(&app).await;
        let chief = sign_in(&app, "chief-az", Role::UnitChief, "AZ", &[]).await;
        let admin = sign_in(&app, "admin-az", Role::Administrator, "AZ", &[]).await;
        let before = position(&app).await;
        let corpus = [
            "' OR '1'='1",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "../../etc/passwd",
            "\u{0000}",
            "-1",
            "99999999999999999999999999999",
            "1e309",
        ];
        let long = "Ə".repeat(5_000);
        let params = [
            "unit", "from", "to", "status", "article", "q", "sort", "page", "kind", "period", "custom", "actor",
            "action", "target", "format",
        ];
        let pages = [
            ("/", Some(&chief)),
            ("/reports", Some(&chief)),
            ("/cases", Some(&chief)),
            ("/persons", Some(&chief)),
            ("/accountability", Some(&chief)),
            ("/seizures", Some(&chief)),
            ("/accidents", Some(&chief)),
            ("/examinations", Some(&chief)),
            ("/search", Some(&chief)),
            ("/report", Some(&chief)),
            ("/figures", None),
            ("/admin/audit", Some(&admin)),
        ];
        for text in corpus.iter().copied().chain([long.as_str()]) {
            let e: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
            for (path, session) in pages {
                for param in params {
                    let uri = format!("{path}?{param}={e}");
                    let reply = get_as(&app, &uri, session).await;
                    let status = reply.status.as_u16();
                    assert!(status < 500, "{uri:.80}: {status}");
                    let page = String::from_utf8_lossy(&reply.body);
                    assert!(!page.contains("<script>alert") && !page.contains("<img src=x"), "{uri:.80} echoed markup");
                }
            }
        }
        assert_eq!(position(&app).await, before);
    });
}
