//! The unit queue: every report awaiting a decision, in deadline order by
//! the database, paged, and counted over all of them, whatever the queue's
//! size; a decided report leaves it, an annulled decision brings it back.

use crate::support::*;
use chrono::{DateTime, Utc};
use crimeboard_domain::act::Annul;
use crimeboard_domain::report::{DecideReport, ExtendCheck, ReportOutcome};
use crimeboard_domain::rules::{Authority, Procedure};
use crimeboard_domain::{Command, Entity, EntityKind};
use crimeboard_service::{ListParams, QueueParams, Registry, Submission, demo_units};
use crimeboard_store::QueueCount;
use crimeboard_store::testing::backends;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// A registry whose clock the test moves (microseconds since the epoch).
fn each_backend_with_clock(test: impl Fn(&Env, &AtomicI64)) {
    for db in backends() {
        let now = Arc::new(AtomicI64::new(at(NOW).timestamp_micros()));
        let read = now.clone();
        let clock = Arc::new(move || DateTime::from_timestamp_micros(read.load(Ordering::SeqCst)).unwrap());
        let registry = Registry::new(db.store.clone(), clock).unwrap();
        registry.add_units(&as_system(&registry), &demo_units(), &registry.units_added_today("tests")).unwrap();
        let env = Env { db, registry };
        eprintln!("-- backend: {}", env.db.name);
        test(&env, &now);
    }
}

fn submission(command: Command) -> Submission {
    Submission { actor: "officer-1".into(), legal_ground: "CPC art. 207".into(), command, late: None }
}

/// The whole queue, page by page, as (register number, deadline).
fn walk(env: &Env, params: &QueueParams) -> Vec<(String, DateTime<Utc>)> {
    let mut all = Vec::new();
    for page in 1.. {
        let q = env.registry.queue(&QueueParams { page: Some(page), ..params.clone() }).unwrap();
        for r in &q.items {
            let Entity::Report(report) = crimeboard_service::entity_of(r).unwrap() else { panic!("not a report") };
            assert!(report.decision.is_none(), "{} is decided", report.register_no);
            all.push((report.register_no, report.deadline));
        }
        if !q.has_more {
            break;
        }
    }
    all
}

/// The counts by hand: every report awaiting a decision, read through the
/// list, its deadline compared with the registry's "now" and the end of the
/// Baku day.
fn direct_counts(env: &Env) -> BTreeMap<String, (i64, i64, i64)> {
    let now = env.registry.now();
    let rules = &env.registry.jurisdiction().rules;
    let due_by = rules.start_of_day(rules.local_date(now).succ_opt().unwrap());
    let mut counts = BTreeMap::new();
    for page in 1.. {
        let params = ListParams {
            kind: Some(EntityKind::Report),
            status: Some("awaiting_decision".into()),
            page: Some(page),
            per_page: Some(200),
            ..Default::default()
        };
        let found = env.registry.list(&params).unwrap();
        for r in &found.items {
            let Entity::Report(report) = crimeboard_service::entity_of(r).unwrap() else { panic!() };
            let c: &mut (i64, i64, i64) = counts.entry(r.unit.clone()).or_default();
            c.0 += 1;
            if report.deadline <= now {
                c.1 += 1;
            } else if report.deadline <= due_by {
                c.2 += 1;
            }
        }
        if !found.has_more {
            break;
        }
    }
    counts
}

fn as_map(counts: &[QueueCount]) -> BTreeMap<String, (i64, i64, i64)> {
    counts.iter().map(|c| (c.unit.clone(), (c.waiting, c.overdue, c.due_today))).collect()
}

#[test]
fn the_queue_orders_every_waiting_report_by_deadline_and_counts_them_all() {
    each_backend(|env| {
        // 220 citizens' appeals, received first (1 April) and registered
        // first: 15 working days, due long after the crime reports below.
        let appeals: Vec<Submission> = (0..220)
            .map(|i| {
                let mut r = new_report(&format!("2024-04-01T{:02}:{:02}:00Z", 5 + i / 60, i % 60));
                r.procedure = Procedure::CitizenAppeal;
                if i % 2 == 1 {
                    r.unit = unit("BAK-NRM");
                }
                submission(Command::RegisterReport(r))
            })
            .collect();
        record_all(&env.registry, &appeals).unwrap();
        // 30 crime reports received 14 to 18 April, registered last: three
        // calendar days, so overdue, due today, or due in a day or two.
        let reports: Vec<Submission> = (0..30)
            .map(|i| {
                let mut r = new_report(&format!("2024-04-{:02}T08:{:02}:00Z", 18 - i % 5, i));
                if i % 3 == 0 {
                    r.unit = unit("BAK-NRM");
                }
                submission(Command::RegisterReport(r))
            })
            .collect();
        let crime = record_all(&env.registry, &reports).unwrap();

        let params = QueueParams { per_page: Some(50), ..Default::default() };
        let first = env.registry.queue(&params).unwrap();
        assert_eq!(first.items.len(), 50);
        assert!(first.has_more);
        let crime_numbers: Vec<String> = crime.iter().map(|r| r.number.clone().unwrap()).collect();
        assert!(
            first.items[..30].iter().all(|r| crime_numbers.contains(&r.number)),
            "the crime reports, registered last, have the earliest deadlines on {}",
            env.db.name
        );

        let all = walk(env, &params);
        assert_eq!(all.len(), 250, "every waiting report, once");
        assert!(all.windows(2).all(|w| w[0].1 <= w[1].1), "deadline order across pages on {}", env.db.name);
        let distinct: std::collections::HashSet<_> = all.iter().map(|(n, _)| n).collect();
        assert_eq!(distinct.len(), 250, "no report on two pages");

        let direct = direct_counts(env);
        assert_eq!(as_map(&first.by_unit), direct, "per unit on {}", env.db.name);
        let (waiting, overdue, today) = direct.values().fold((0, 0, 0), |t, c| (t.0 + c.0, t.1 + c.1, t.2 + c.2));
        assert_eq!((first.total.waiting, first.total.overdue, first.total.due_today), (waiting, overdue, today));
        // Received 14 and 15 April: overdue; 16 April: due by midnight tonight.
        assert_eq!((waiting, overdue, today), (250, 12, 6), "on {}", env.db.name);

        // One unit (and those below it) within the asker's scope.
        let nsm = QueueParams { unit: Some("BAK-NSM".into()), per_page: Some(200), ..Default::default() };
        let one = env.registry.queue(&nsm).unwrap();
        assert_eq!(as_map(&one.by_unit).keys().collect::<Vec<_>>(), vec!["BAK-NSM"]);
        assert_eq!(one.total.waiting, direct["BAK-NSM"].0);
        assert!(one.items.iter().all(|r| r.unit == "BAK-NSM"));
        let scoped = QueueParams { within: Some(vec!["BAK-NRM".into()]), ..Default::default() };
        assert_eq!(as_map(&env.registry.queue(&scoped).unwrap().by_unit).keys().collect::<Vec<_>>(), vec!["BAK-NRM"]);
        let outside = QueueParams { unit: Some("BAK-NSM".into()), within: Some(vec!["BAK-NRM".into()]), ..nsm };
        assert_eq!(env.registry.queue(&outside).unwrap().total.waiting, 0);
    });
}

#[test]
fn a_decided_report_leaves_the_queue_and_an_annulled_decision_brings_it_back() {
    each_backend(|env| {
        let first = report(env, "2024-04-15T08:00:00Z");
        let second = report(env, "2024-04-17T08:00:00Z");
        let numbers = |env: &Env| walk(env, &QueueParams::default()).into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        assert_eq!(numbers(env), vec![first.number.clone().unwrap(), second.number.clone().unwrap()]);

        // An extension moves the deadline (the row is updated), and the order with it.
        let extend = ExtendCheck {
            report_id: first.entity_id,
            granted_at: at("2024-04-16T08:00:00Z"),
            granted_by: Authority::UnitChief,
            reference: "Order 17/2024".into(),
        };
        ok(env, Command::ExtendCheck(extend));
        assert_eq!(numbers(env), vec![second.number.clone().unwrap(), first.number.clone().unwrap()]);

        let decided = ok(
            env,
            Command::DecideReport(DecideReport {
                report_id: second.entity_id,
                decided_at: at("2024-04-18T08:00:00Z"),
                outcome: ReportOutcome::Refuse { ground: "CPC art. 39.1.1: no crime".into() },
                late_reason: None,
            }),
        );
        assert_eq!(numbers(env), vec![first.number.clone().unwrap()], "on {}", env.db.name);
        assert_eq!(env.registry.queue(&QueueParams::default()).unwrap().total.waiting, 1);

        ok(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: decided.seq, reason: "Decided in error".into() }));
        assert_eq!(numbers(env).len(), 2, "back in the queue on {}", env.db.name);
        assert_eq!(as_map(&env.registry.queue(&QueueParams::default()).unwrap().by_unit), direct_counts(env));
    });
}

#[test]
fn due_today_and_overdue_turn_at_the_baku_midnight_and_the_deadline_itself() {
    each_backend_with_clock(|env, clock| {
        // Received 16 April: three calendar days, due at the start of 20 April
        // in Baku, 20:00 UTC on 19 April.
        report(env, "2024-04-16T08:00:00Z");
        let deadline = at("2024-04-19T20:00:00Z");
        let counts = |now: DateTime<Utc>| {
            clock.store(now.timestamp_micros(), Ordering::SeqCst);
            let q = env.registry.queue(&QueueParams::default()).unwrap();
            assert_eq!(
                mark_counts(q.now, q.due_by, deadline),
                (q.total.overdue, q.total.due_today),
                "the page's mark and the count agree at {now}"
            );
            (q.total.overdue, q.total.due_today)
        };
        let second = chrono::Duration::seconds(1);
        // 23:59:59 on 18 April in Baku: due tomorrow, not today.
        assert_eq!(counts(at("2024-04-18T19:59:59Z")), (0, 0), "on {}", env.db.name);
        // Midnight: 19 April has begun in Baku, the deadline falls tonight.
        assert_eq!(counts(at("2024-04-18T20:00:00Z")), (0, 1), "on {}", env.db.name);
        assert_eq!(counts(deadline - second), (0, 1), "on {}", env.db.name);
        // At the deadline it has passed.
        assert_eq!(counts(deadline), (1, 0), "on {}", env.db.name);
        assert_eq!(counts(deadline + second), (1, 0), "on {}", env.db.name);
    });
}

/// The page's rule for a row's mark, as (overdue, due today) counts of one report.
fn mark_counts(now: DateTime<Utc>, due_by: DateTime<Utc>, deadline: DateTime<Utc>) -> (i64, i64) {
    if deadline <= now {
        (1, 0)
    } else if deadline <= due_by {
        (0, 1)
    } else {
        (0, 0)
    }
}
