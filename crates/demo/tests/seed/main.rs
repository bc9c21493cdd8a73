//! The seed data set, recorded through the real write path into a real
//! SQLite registry, must make the Board's report for 2024Q1 state the press
//! release's figures exactly, and run on to the registry's clock with work
//! waiting in every role's queue. SQLite only: the data set is large and the
//! store's behaviour is tested on both backends elsewhere.

use chrono::{DateTime, NaiveDate, Utc};
use crimeboard_demo::{DemoOptions, DemoSize, generate};
use crimeboard_domain::EntityKind;
use crimeboard_service::{ListParams, QueueParams, Registry, demo_units, system_clock};
use crimeboard_stats::Period;
use crimeboard_stats::board::BoardReport;
use crimeboard_stats::period::default_quarter;
use crimeboard_store::testing::TestStore;
use std::sync::Arc;
use std::time::Instant;

/// The registry's clock: a Wednesday in October 2024, noon in Baku. A whole
/// quarter after the story and two weeks of the next, which is what every
/// default view and queue needs, for a sixth more data than the story alone.
const NOW: &str = "2024-10-16T08:00:00Z";
/// The demo accounts' unit (`crimeboard demo` gives every staff account it).
const DEMO_UNIT: &str = "BAK-NSM";

fn current(report: &BoardReport, code: &str) -> i64 {
    report.figure(code).unwrap_or_else(|| panic!("no figure {code}")).change.current
}

fn previous(report: &BoardReport, code: &str) -> i64 {
    report.figure(code).unwrap_or_else(|| panic!("no figure {code}")).change.previous
}

fn share(report: &BoardReport, code: &str) -> f64 {
    report.share(code).and_then(|s| s.current).unwrap_or_else(|| panic!("no share {code}"))
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn sqlite_seed_states_the_press_release_figures_exactly_and_runs_to_the_clock() {
    let db = TestStore::sqlite();
    let now: DateTime<Utc> = NOW.parse().unwrap();
    let registry = Registry::new(db.store.clone(), Arc::new(move || now)).unwrap();
    registry.add_units(&registry.system("tests"), &demo_units(), &registry.units_added_today("tests")).unwrap();
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
    appeals_as_planned(&registry, &r);
    receptions_held_and_to_come(&registry);
    every_quarter_has_crimes_on_the_trend(&registry);
    work_waits_in_every_queue(&registry);
    the_boards_follow_up_has_work(&registry);
    pages_open_on_the_last_whole_quarter(&registry);
    fraud_rings_are_series(&registry);
    the_inspector_finds_the_standing_out_districts(&registry);

    let began = Instant::now();
    assert_eq!(registry.verify_counters().unwrap(), vec![]);
    assert!(registry.verify().unwrap().ok());
    eprintln!("verified in {:.1} s", began.elapsed().as_secs_f64());
}

/// The quarter's appeals, counted from the demo's plan: received, answered
/// or referred out and of those before the deadline, rated and satisfied
/// (4 or 5), each dated as the counting rules date it (a rating by the
/// reply it rates); the report states the same, and its shares follow.
fn appeals_as_planned(registry: &Registry, r: &BoardReport) {
    let plan = crimeboard_demo::planned_appeals(registry, DemoOptions::default().seed).unwrap();
    let in_q1 = |d: NaiveDate| (day("2024-01-01")..=day("2024-03-31")).contains(&d);
    let replied: Vec<_> = plan.iter().filter(|a| a.replied.is_some_and(in_q1)).collect();
    let count = |n: usize| n as i64;
    let received = count(plan.iter().filter(|a| in_q1(a.received)).count());
    let on_time = count(replied.iter().filter(|a| a.replied_on_time).count());
    let rated = count(replied.iter().filter(|a| a.score.is_some()).count());
    let satisfied = count(replied.iter().filter(|a| a.score.is_some_and(|s| s >= 4)).count());
    let reported = count(plan.iter().filter(|a| in_q1(a.received) && a.reported).count());
    assert_eq!(current(r, "appeals_received"), received);
    assert_eq!(current(r, "appeals_answered"), count(replied.len()));
    assert_eq!(current(r, "appeals_answered_on_time"), on_time);
    assert_eq!(current(r, "appeals_rated"), rated);
    assert_eq!(current(r, "appeals_satisfied"), satisfied);
    assert_eq!(current(r, "appeals_led_to_report"), reported);
    assert!((300..1000).contains(&received), "{received} appeals in the quarter");
    let percent = |part: i64, whole: i64| 100.0 * part as f64 / whole as f64;
    assert!((share(r, "appeals_on_time_share") - percent(on_time, count(replied.len()))).abs() < 0.01);
    assert!((share(r, "appeals_satisfied_share") - percent(satisfied, rated)).abs() < 0.01);
    eprintln!(
        "2024Q1 appeals: {received} received, {on_time} of {} answered on time, {satisfied} of {rated} satisfied",
        replied.len()
    );
    // The less satisfied district stands below the pooled share of Baku's districts on the funnel plot.
    let baku = registry.report(Period::parse("2024Q1").unwrap(), Some("BAK")).unwrap();
    let funnel = baku.funnel("appeals_satisfied_share").expect("a funnel of the satisfied share");
    assert_eq!(funnel.points.len(), 12, "every Baku district had its handling rated: {funnel:?}");
    let sabunchu = funnel.points.iter().find(|p| p.unit == "BAK-SAB").expect("BAK-SAB on the plot");
    assert!(sabunchu.share < funnel.target.unwrap() - 0.1, "{sabunchu:?} against {:?}", funnel.target);
}

/// Every district's chief held sessions, some appeals were made at them,
/// and the schedule has sessions to come.
fn receptions_held_and_to_come(registry: &Registry) {
    let list = |kind, status: Option<&str>, appeal_channel: Option<&str>| {
        let params = ListParams {
            kind: Some(kind),
            status: status.map(Into::into),
            appeal_channel: appeal_channel.map(Into::into),
            per_page: Some(200),
            ..ListParams::default()
        };
        let page = registry.list(&params).unwrap();
        (page.items.len(), page.has_more)
    };
    assert_eq!(list(EntityKind::Reception, Some("held"), None), (200, true), "hundreds of sessions held");
    assert!(list(EntityKind::Reception, Some("cancelled"), None).0 > 0);
    assert!(list(EntityKind::Reception, Some("scheduled"), None).0 > 0, "sessions to come");
    assert_eq!(list(EntityKind::Appeal, None, Some("reception")), (200, true), "appeals made at receptions");
}

/// From 2023Q1 to the clock's last whole quarter, each quarter has crimes,
/// and those after the story stay near the year before: no cliff.
fn every_quarter_has_crimes_on_the_trend(registry: &Registry) {
    for quarter in ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3"] {
        let r = registry.report(Period::parse(quarter).unwrap(), None).unwrap();
        let (now, before) = (current(&r, "crimes_recorded"), previous(&r, "crimes_recorded"));
        assert!(now > 8_000, "{quarter}: {now} crimes");
        if quarter.starts_with("2024") {
            let trend = now as f64 / before as f64;
            assert!((0.9..1.0).contains(&trend), "{quarter}: {now} crimes, {before} a year before");
        }
        assert!(current(&r, "solved_in_period") > 0 && current(&r, "reports_received") > now, "{quarter}");
    }
    // The current quarter so far: 15 of its 92 days.
    let october = registry.report(Period::parse("2024-10").unwrap(), None).unwrap();
    let crimes = current(&october, "crimes_recorded");
    assert!((1_000..2_000).contains(&crimes), "{crimes} crimes in October 2024 to the 15th");
}

/// The duty officer's and chief's queue has reports awaiting a decision, due
/// later, today and overdue; the expert has examinations to do; the
/// investigator has open cases, new ones among them.
fn work_waits_in_every_queue(registry: &Registry) {
    let params = QueueParams { unit: Some(DEMO_UNIT.into()), ..QueueParams::default() };
    let queue = registry.queue(&params).unwrap();
    let total = &queue.total;
    assert!(total.overdue > 0 && total.due_today > 0, "{total:?}");
    assert!(total.waiting > 2 * (total.overdue + total.due_today), "most are within their deadline: {total:?}");
    let list = |kind, status: &str, from: Option<&str>| {
        let params = ListParams {
            kind: Some(kind),
            unit: Some(DEMO_UNIT.into()),
            status: Some(status.into()),
            from: from.map(day),
            ..ListParams::default()
        };
        registry.list(&params).unwrap().items.len()
    };
    assert!(list(EntityKind::Examination, "requested", None) > 0, "no examination awaits the expert");
    assert!(list(EntityKind::Case, "investigating", Some("2024-10-01")) > 0, "no new case is under investigation");
}

/// The Board's meeting of 19 April is held and its tasks followed up: the
/// demo chief's district has an overdue sub-task, the controller's sheet
/// every task, one of them extended. Its acts moved no figure: the
/// headline figures above are the press release's.
fn the_boards_follow_up_has_work(registry: &Registry) {
    use crimeboard_domain::task::EscalationStep;
    let queue = registry.task_queue(DEMO_UNIT, None, None).unwrap();
    assert!(queue.items.iter().any(|l| l.step == Some(EscalationStep::Overdue14)), "{queue:?}");
    let sheet = registry.task_sheet(&crimeboard_service::SheetFilter::default()).unwrap();
    assert_eq!(sheet.total, 6);
    assert!(sheet.items.iter().any(|l| l.extensions == 1));
    // The Board's release on the quarter states the press release's figures, each tied to its indicator.
    let kind = Some(crimeboard_domain::act::EntityKind::Release);
    let releases = registry.list(&crimeboard_service::ListParams { kind, ..Default::default() }).unwrap();
    let releases: Vec<_> = releases.items.iter().map(|r| registry.release(r.id).unwrap()).collect();
    let (board, written): (Vec<_>, Vec<_>) = releases.into_iter().partition(|r| r.meeting_id.is_some());
    assert_eq!(board.len(), 1);
    let release = &board[0];
    assert_eq!(release.status, crimeboard_domain::release::ReleaseStatus::Published);
    // The press service's own releases: published, one of them for a week later.
    assert_eq!(written.len(), 5);
    let now = registry.jurisdiction().rules.local_time(registry.now());
    let public = written.iter().filter(|r| r.is_public_at(now)).count();
    assert_eq!((public, written.iter().filter(|r| r.publish_at.is_some()).count()), (4, 1));
    let stated = |code: &str| release.figures.iter().find(|f| f.indicator == code).map(|f| f.value);
    assert_eq!(stated("crimes_recorded"), Some(8930), "{:?}", release.figures);
    assert_eq!(stated("narcotics_grams"), Some(1_329_000));
    assert_eq!(stated("drug_persons_accountable"), Some(1572));
}

/// On the signals of the quarter the pages open on, over Baku's districts,
/// as `/signals?unit=BAK` reads them, each of the three demo districts
/// stands out beyond the upper control limit on its own signal and no other
/// district does; the approvers' queue holds the pending cancellation, and
/// the inspector's sample of the downgrading district is partly reviewed.
fn the_inspector_finds_the_standing_out_districts(registry: &Registry) {
    let today = registry.jurisdiction().rules.local_date(registry.now());
    let (first, last) = crimeboard_demo::quarter_before(today);
    assert_eq!((first, last), (day("2024-07-01"), day("2024-09-30")));
    let (_, readings) = registry.signals(Period::parse("2024Q3").unwrap(), Some("BAK")).unwrap();
    let flagged = |code: &str| -> Vec<String> {
        readings.iter().find(|r| r.code == code).unwrap_or_else(|| panic!("no signal {code}")).worth_asking.clone()
    };
    assert_eq!(flagged("downgrades"), vec![crimeboard_demo::DOWNGRADES.to_string()]);
    assert_eq!(flagged("late_registration"), vec![crimeboard_demo::LATE.to_string()]);
    assert_eq!(flagged("quarter_end"), vec![crimeboard_demo::QUARTER_END.to_string()]);
    let queue = QueueParams {
        register: crimeboard_service::Queued::Cancellations,
        unit: Some("BAK".into()),
        ..QueueParams::default()
    };
    assert_eq!(registry.queue(&queue).unwrap().total.waiting, 1, "one request awaits the city");
    let kind = Some(EntityKind::Sample);
    let samples = registry.list(&ListParams { kind, ..ListParams::default() }).unwrap();
    assert_eq!(samples.items.len(), 1);
    let sample = match crimeboard_service::entity_of(&samples.items[0]).unwrap() {
        crimeboard_domain::Entity::Sample(s) => s,
        other => panic!("not a sample: {other:?}"),
    };
    let reviewed = sample.items.iter().filter(|i| i.review.is_some()).count();
    assert_eq!((sample.items.len(), reviewed, sample.status()), (10, 4, "open"));
}

/// The report page and the public figures open on 2024Q3, the last whole
/// quarter with figures, asked of the store, which counted from 2022 on:
/// to the data set's last day, and on to the deadlines of the appeals still
/// open then (an open appeal is counted due, and overdue, on its deadline's
/// day), which fall within the weeks after it.
fn pages_open_on_the_last_whole_quarter(registry: &Registry) {
    let counted = registry.counted_days().unwrap();
    let (first, last) = counted.expect("figures are counted");
    assert_eq!(first.format("%Y").to_string(), "2022");
    assert!((day("2024-10-15")..day("2024-12-31")).contains(&last), "counted to {last}");
    let today = registry.jurisdiction().rules.local_date(registry.now());
    assert_eq!(default_quarter(today, counted), "2024Q3");
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

/// The fraud rings laid over 2024Q2's IT-enabled cases: two joined by one
/// weak link, so one series fewer than rings, each spanning several
/// districts; the bank's hotline a hub that links nothing; one series
/// confirmed; freeze requests answered and some money returned; the
/// Board's IT figures say so.
fn fraud_rings_are_series(registry: &Registry) {
    use crimeboard_demo::{FRAUD_HOTLINE, FRAUD_RINGS};
    use crimeboard_domain::identifier::{IdentifierKey, IdentifierKind};
    use crimeboard_domain::series;
    use std::collections::{BTreeMap, BTreeSet};
    let mut by_series: BTreeMap<uuid::Uuid, Vec<crimeboard_store::SeriesRow>> = BTreeMap::new();
    for row in registry.store().series_rows().unwrap() {
        by_series.entry(row.series).or_default().push(row);
    }
    assert_eq!(by_series.len(), FRAUD_RINGS - 1, "two rings joined by the courier's number");
    for members in by_series.values() {
        let units: BTreeSet<&str> = members.iter().map(|m| m.unit.as_str()).collect();
        assert!(units.len() >= 3, "a ring spans 3 to 6 districts: {units:?}");
    }
    let threshold = registry.jurisdiction().rules.series.hub_threshold;
    let hotline = registry.parse_identifier(IdentifierKind::Phone, FRAUD_HOTLINE, "identifier").unwrap();
    let hotline = IdentifierKey::of(&hotline);
    let holders: BTreeSet<uuid::Uuid> =
        registry.store().identifiers(hotline.kind, &hotline.value, 1000).unwrap().iter().map(|r| r.record_id).collect();
    assert!(holders.len() > threshold, "the hotline is a hub: {} holders", holders.len());
    let joined = by_series.values().max_by_key(|m| m.len()).unwrap();
    let mut holdings = Vec::new();
    for m in joined {
        for r in registry.store().identifiers_of(m.record).unwrap() {
            holdings.push((m.record, IdentifierKey { kind: r.kind, value: r.key }));
        }
    }
    let weak = series::weak_keys(&holdings, |k| *k != hotline);
    assert_eq!(weak.len(), 1, "one number alone joins the two rings: {weak:?}");
    let confirmed = by_series.values().flatten().any(|m| {
        let history = registry.store().history(series::confirmation_subject(m.record)).unwrap();
        history.iter().any(|(e, annulled)| e.kind == "confirm_series" && !annulled)
    });
    assert!(confirmed, "the analyst confirmed a series");
    let q2 = registry.report(Period::parse("2024Q2").unwrap(), None).unwrap();
    assert_eq!(current(&q2, "series_found"), (FRAUD_RINGS - 1) as i64);
    assert_eq!(current(&q2, "series_cross_unit"), (FRAUD_RINGS - 1) as i64);
    let year = registry.report(Period::parse("2024").unwrap(), None).unwrap();
    assert!(current(&year, "freeze_requests") > 0 && current(&year, "freeze_frozen") > 0);
    assert!(current(&year, "freeze_returned") > 0, "some frozen money went back to victims");
}

#[test]
fn sqlite_large_size_records_the_cases_asked_for() {
    let db = TestStore::sqlite();
    let registry = Registry::new(db.store.clone(), system_clock()).unwrap();
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
