//! The seed data set, recorded through the real write path into a real
//! SQLite registry, must make the Board's report for 2024Q1 state the press
//! release's figures exactly. SQLite only: the data set is large and the
//! store's behaviour is tested on both backends elsewhere.

use crimeboard_demo::{DemoOptions, DemoSize, generate};
use crimeboard_service::{ReferenceData, Registry, demo_units, system_clock};
use crimeboard_stats::Period;
use crimeboard_stats::board::BoardReport;
use crimeboard_store::testing::TestStore;
use std::time::Instant;

fn current(report: &BoardReport, code: &str) -> i64 {
    report.figure(code).unwrap_or_else(|| panic!("no figure {code}")).change.current
}

fn previous(report: &BoardReport, code: &str) -> i64 {
    report.figure(code).unwrap_or_else(|| panic!("no figure {code}")).change.previous
}

fn share(report: &BoardReport, code: &str) -> f64 {
    report.share(code).and_then(|s| s.current).unwrap_or_else(|| panic!("no share {code}"))
}

#[test]
fn sqlite_seed_states_the_press_release_figures_exactly() {
    let db = TestStore::sqlite();
    let registry = Registry::new(db.store.clone(), ReferenceData::defaults(), system_clock()).unwrap();
    registry.add_units(&registry.system("tests"), &demo_units()).unwrap();
    let began = Instant::now();
    let summary = generate(&registry, &DemoOptions::default(), &mut |_| {}).unwrap();
    eprintln!("seed recorded in {:.1} s: {summary:?}", began.elapsed().as_secs_f64());

    let r = registry.report(Period::parse("2024Q1").unwrap(), None).unwrap();
    eprintln!(
        "2024Q1: {} solved, {} suspended, cohort share {:.2} %, reports {}",
        current(&r, "solved_in_period"),
        current(&r, "suspended_unidentified"),
        share(&r, "cohort_solved_share"),
        current(&r, "reports_received"),
    );
    headline_figures(&r);
    lower_than_a_year_before(&r);
    better_detection(&r);
    report_handling(&r);

    let began = Instant::now();
    assert_eq!(registry.verify_counters().unwrap(), vec![]);
    assert!(registry.verify().unwrap().ok());
    eprintln!("verified in {:.1} s", began.elapsed().as_secs_f64());
}

fn headline_figures(r: &BoardReport) {
    assert_eq!(current(r, "crimes_recorded"), 8930);
    assert!(current(r, "crimes_recorded_prosecutor") > 0, "the Prosecutor's Office records crimes too");
    assert_eq!(current(r, "crimes_recorded_mia") + current(r, "crimes_recorded_prosecutor"), 8930);
    assert_eq!(share(r, "solved_share"), 85.0);
    assert_eq!(share(r, "cohort_solved_share").round(), 85.0);
    assert_eq!(current(r, "narcotics_grams"), 1_329_000);
    assert_eq!(current(r, "drug_persons_accountable"), 1572);
    let accidents = r.figure("traffic_accidents").unwrap().change;
    assert_eq!((accidents.percent.unwrap() * 10.0).round(), -122.0, "{accidents:?}");
    assert_eq!(current(r, "traffic_killed"), 14);
    assert_eq!(current(r, "traffic_injured"), 39);
    assert_eq!(current(r, "damage"), 7_766_899_600);
    assert_eq!(current(r, "damage_reimbursed"), 6_213_519_680);
    assert_eq!(share(r, "reimbursed_share"), 80.0);
}

fn lower_than_a_year_before(r: &BoardReport) {
    for code in [
        "serious",
        "serious_harm",
        "property",
        "theft",
        "robbery",
        "it_enabled",
        "group",
        "family_conflict",
        "by_previously_convicted",
        "by_minors",
    ] {
        assert!(
            current(r, code) < previous(r, code),
            "{code}: {} in 2024Q1, {} in 2023Q1",
            current(r, code),
            previous(r, code)
        );
        assert!(current(r, code) > 0, "{code} is zero");
    }
}

fn better_detection(r: &BoardReport) {
    for tag in ["against_person", "hooliganism", "property", "theft", "fraud", "robbery", "extortion"] {
        let code = format!("non_obvious_solved_{tag}");
        assert!(
            current(r, &code) > previous(r, &code),
            "{code}: {} in 2024Q1, {} in 2023Q1",
            current(r, &code),
            previous(r, &code)
        );
    }
}

fn report_handling(r: &BoardReport) {
    let received = current(r, "reports_received");
    assert!(received > 8930, "{received} reports received");
    let (in_time, late) = (current(r, "reports_decided_in_time"), current(r, "reports_decided_late"));
    assert!(late > 0 && in_time > 20 * late, "{in_time} in time, {late} late");
    assert!(current(r, "reports_refused") > 0);
    let satisfied = share(r, "satisfied_share");
    assert!((68.0..82.0).contains(&satisfied), "{satisfied} % satisfied");
    assert!(current(r, "examinations_done") > current(r, "examinations_identified"));
    assert!(current(r, "examinations_identified") > 0);
}

#[test]
fn sqlite_large_size_records_the_cases_asked_for() {
    let db = TestStore::sqlite();
    let registry = Registry::new(db.store.clone(), ReferenceData::defaults(), system_clock()).unwrap();
    let opts = DemoOptions { seed: 7, size: DemoSize::Large { years: 2, units: 10, cases: 2_000 } };
    let mut calls = 0;
    let summary = generate(&registry, &opts, &mut |p| {
        calls += 1;
        assert!(p.done <= p.total && p.total == 2_000);
    })
    .unwrap();
    assert_eq!(summary.cases, 2_000);
    assert!(calls >= 24, "progress reported {calls} times");
    assert_eq!(registry.units().len(), 10);
    let year = registry.report(Period::parse("2023").unwrap(), None).unwrap();
    assert!(year.figure("crimes_recorded").unwrap().change.current > 800);
    assert_eq!(registry.verify_counters().unwrap(), vec![]);
}
