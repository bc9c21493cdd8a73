//! The Board's series figures (docs/methods.md, "Series figures"): on a
//! crafted set whose answer is known, each unit counts the series its
//! records are in once, the region above two districts counts a series
//! spanning both once, a hub links nothing, the report at a past position
//! and the scan say the same as the report from the series table, and
//! `stats verify` is clean until the series table is tampered with.

use crate::support::*;
use chrono::NaiveDate;
use crimeboard_domain::Command;
use crimeboard_domain::case::CaseDecision;
use crimeboard_domain::case::Procedural;
use crimeboard_domain::identifier::{AttachIdentifier, Subject, SubjectKind};
use crimeboard_domain::jurisdiction::Adoption;
use crimeboard_service::demo_files;
use crimeboard_stats::Period;
use crimeboard_stats::board::BoardReport;
use uuid::Uuid;

fn report_in(env: &Env, unit_code: &str, received_at: &str) -> Uuid {
    let mut r = new_report(received_at);
    r.unit = unit(unit_code);
    ok(env, Command::RegisterReport(r)).entity_id
}

fn case_in(env: &Env, unit_code: &str, registered_at: &str) -> Uuid {
    let mut c = new_case(vec![], registered_at);
    c.unit = unit(unit_code);
    c.detected_by_police = true;
    c.flags.it_enabled = true;
    c.persons.push(suspect("Orxan Quliyev", "1990-05-01"));
    ok(env, Command::OpenCase(c)).entity_id
}

fn attach(env: &Env, record: Uuid, kind: SubjectKind, number: &str) {
    let subject = Subject { kind, id: record };
    ok(env, Command::AttachIdentifier(AttachIdentifier { subject, record, identifier: phone(number), note: None }));
}

fn solve(env: &Env, case_id: Uuid, decided_at: &str) {
    let decision = Procedural::Solved { how: "Operative measures".into(), forensic_methods: vec![] };
    ok(env, Command::DecideCase(CaseDecision { case_id, decided_at: at(decided_at), decision }));
}

/// The demo pack with a hub threshold of 3, so four holders make a hub.
fn adopt_hub_threshold_of_three(env: &Env) {
    let mut files = demo_files();
    let rules = files.0["rules.toml"].replace("hub_threshold = 20", "hub_threshold = 3");
    files.0.insert("rules.toml".into(), rules);
    let adoption = Adoption { files, effective_from: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap() };
    env.registry.adopt_jurisdiction(&as_system(&env.registry), "Order No. 7", adoption).unwrap();
}

/// (found, cross-unit, solved) of a unit, this period and a year before.
fn series_of(report: &BoardReport, unit_code: &str) -> [(i64, i64); 3] {
    let u = report.units.iter().find(|u| u.unit.as_str() == unit_code).expect("the unit is in the report");
    ["series_found", "series_cross_unit", "series_solved"].map(|code| {
        let f = u.figures.iter().find(|f| f.code == code).expect("the figure is in the report");
        (f.change.current, f.change.previous)
    })
}

/// Two series: NSM's report and YAS's case share a number (found on 5
/// April, when the second was registered); two of NSM's cases share
/// another (found on 10 April), one of them solved. A bank's hotline held
/// by four records is a hub: had it linked, the two series would be one.
fn crafted(env: &Env) -> (Uuid, Uuid) {
    adopt_hub_threshold_of_three(env);
    let a = report_in(env, "BAK-NSM", "2024-04-02T08:00:00Z");
    let b = case_in(env, "BAK-YAS", "2024-04-05T08:00:00Z");
    let c = case_in(env, "BAK-NSM", "2024-04-03T08:00:00Z");
    let d = case_in(env, "BAK-NSM", "2024-04-10T08:00:00Z");
    attach(env, a, SubjectKind::Report, "+994 50 111 11 11");
    attach(env, b, SubjectKind::Case, "+994 50 111 11 11");
    attach(env, c, SubjectKind::Case, "+994 55 222 22 22");
    attach(env, d, SubjectKind::Case, "+994 55 222 22 22");
    for (record, kind) in
        [(a, SubjectKind::Report), (b, SubjectKind::Case), (c, SubjectKind::Case), (d, SubjectKind::Case)]
    {
        attach(env, record, kind, "+994 12 498 00 00");
    }
    solve(env, d, "2024-04-12T10:00:00Z");
    (b, d)
}

#[test]
fn series_are_counted_once_per_unit_and_once_above_and_verify_finds_a_tampered_row() {
    each_backend(|env| {
        let (cross_unit_case, _) = crafted(env);
        let q2 = Period::parse("2024Q2").unwrap();
        let report = env.registry.report(q2, None).unwrap();
        let on = &env.db.name;
        assert_eq!(series_of(&report, "BAK-NSM"), [(2, 0), (1, 0), (1, 0)], "NSM holds both, on {on}");
        assert_eq!(series_of(&report, "BAK-YAS"), [(1, 0), (1, 0), (0, 0)], "YAS the cross-unit one, on {on}");
        assert_eq!(series_of(&report, "BAK"), [(2, 0), (1, 0), (1, 0)], "Baku counts each once, on {on}");
        let root = report.units[0].unit.to_string();
        assert_eq!(series_of(&report, &root), [(2, 0), (1, 0), (1, 0)], "and so the ministry, on {on}");
        let april = env.registry.report(Period::parse("2024-04").unwrap(), Some("BAK")).unwrap();
        let march = env.registry.report(Period::parse("2024-03").unwrap(), Some("BAK")).unwrap();
        assert_eq!(series_of(&april, "BAK")[0].0, 2, "both found in April, on {on}");
        assert_eq!(series_of(&march, "BAK")[0].0, 0, "none in March, on {on}");
        // The same figures from the journal replayed and from a scan of the registers.
        let at_now = env.registry.report_at(q2, None, report.position).unwrap();
        assert_eq!(series_of(&at_now, "BAK-YAS"), series_of(&report, "BAK-YAS"), "on {on}");
        assert_eq!(series_of(&at_now, &root), series_of(&report, &root), "on {on}");
        let scanned = env.registry.report_by_scan(q2, None).unwrap();
        assert_eq!(series_of(&scanned, &root), series_of(&report, &root), "on {on}");
        assert_eq!(env.registry.verify_counters().unwrap(), vec![], "clean on {on}");
        // The cross-unit case's row taken out of the series table.
        let tampered = env.db.tamper(&format!("DELETE FROM series WHERE record_id = '{cross_unit_case}'")).unwrap();
        assert_eq!(tampered, 1);
        let found: Vec<(String, String, NaiveDate, i64, i64)> = env
            .registry
            .verify_counters()
            .unwrap()
            .into_iter()
            .map(|m| (m.unit, m.indicator, m.day, m.counter, m.recount))
            .collect();
        let day = NaiveDate::from_ymd_opt(2024, 4, 5).unwrap();
        for (unit_code, code) in [
            ("BAK-NSM", "series_found"),
            ("BAK-NSM", "series_cross_unit"),
            ("BAK-YAS", "series_found"),
            ("BAK-YAS", "series_cross_unit"),
        ] {
            let expected = (unit_code.to_string(), code.to_string(), day, 0, 1);
            assert!(found.contains(&expected), "{expected:?} in {found:?} on {on}");
        }
        assert_eq!(found.len(), 4, "nothing else differs, on {on}: {found:?}");
    });
}

#[test]
fn a_report_at_a_past_position_counts_the_series_as_they_stood_then() {
    each_backend(|env| {
        adopt_hub_threshold_of_three(env);
        let a = report_in(env, "BAK-NSM", "2024-04-02T08:00:00Z");
        let b = case_in(env, "BAK-YAS", "2024-04-05T08:00:00Z");
        attach(env, a, SubjectKind::Report, "+994 50 111 11 11");
        let before = env.registry.store().position().unwrap();
        attach(env, b, SubjectKind::Case, "+994 50 111 11 11");
        let q2 = Period::parse("2024Q2").unwrap();
        let then = env.registry.report_at(q2, None, before).unwrap();
        let now = env.registry.report(q2, None).unwrap();
        let root = now.units[0].unit.to_string();
        assert_eq!(series_of(&then, &root)[0], (0, 0), "no series yet, on {}", env.db.name);
        assert_eq!(series_of(&now, &root)[0], (1, 0), "on {}", env.db.name);
    });
}
