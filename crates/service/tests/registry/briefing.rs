//! The briefing pack before a Board meeting: its figures are the Board's
//! report's at the same journal position, its deadlines kept are counted
//! from reports decided on time and late.

use crate::support::*;
use crimeboard_domain::Command;
use crimeboard_domain::report::{DecideReport, ReportOutcome};
use crimeboard_service::ServiceError;
use crimeboard_stats::Period;
use crimeboard_stats::briefing::{BriefingItem, BriefingRequest, DeadlinesKept, UnitTasks};
use std::collections::BTreeMap;

fn report_in(env: &Env, unit_code: &str, received_at: &str) -> uuid::Uuid {
    let mut r = new_report(received_at);
    r.unit = unit(unit_code);
    ok(env, Command::RegisterReport(r)).entity_id
}

/// Refuses a report: within its three days, or after them with a reason.
fn decide(env: &Env, report_id: uuid::Uuid, decided_at: &str, late: bool) {
    ok(
        env,
        Command::DecideReport(DecideReport {
            report_id,
            decided_at: at(decided_at),
            outcome: ReportOutcome::Refuse { ground: "CPC art. 39.1.1: no crime".into() },
            late_reason: late.then(|| "Backlog".to_string()),
        }),
    );
}

fn request() -> BriefingRequest {
    let item = |topic: &str, codes: &[&str]| BriefingItem {
        topic: topic.into(),
        indicators: codes.iter().map(|c| c.to_string()).collect(),
    };
    BriefingRequest {
        period: Period::parse("2024Q1").unwrap(),
        items: vec![
            item("Crime reports", &["reports_received", "reports_decided"]),
            item("Refusals", &["reports_refused"]),
        ],
        units: vec![unit("BAK-NSM"), unit("BAK-YAS"), unit("GNC")],
        tasks: BTreeMap::from([(unit("BAK-NSM"), UnitTasks { open: 3, overdue: 1 })]),
    }
}

#[test]
fn the_briefing_at_a_position_has_the_board_reports_figures_at_that_position() {
    each_backend(|env| {
        for (u, day) in [("BAK-NSM", "2023-02-01"), ("BAK-NSM", "2024-02-01"), ("BAK-YAS", "2024-02-03")] {
            let id = report_in(env, u, &format!("{day}T08:00:00Z"));
            decide(env, id, &format!("{day}T12:00:00Z"), false);
        }
        report_in(env, "GNC", "2024-03-01T08:00:00Z");
        let taken = env.registry.briefing(&request(), None).unwrap();
        let position = taken.position;
        assert_eq!(position, env.registry.store().position().unwrap());

        // More acts in the period move today's figures, not the pack at its position.
        for day in ["2024-01-10", "2024-01-11", "2024-03-05"] {
            report_in(env, "BAK-YAS", &format!("{day}T08:00:00Z"));
        }
        let again = env.registry.briefing(&request(), Some(position)).unwrap();
        assert_eq!(again, taken, "on {}", env.db.name);
        let current = env.registry.briefing(&request(), None).unwrap();
        assert_ne!(current.items, taken.items);

        let board = env.registry.report_at(request().period, None, position).unwrap();
        assert_eq!(board.position, position);
        assert_eq!(
            (board.counting_rules.as_str(), board.catalogue.as_str()),
            (again.counting_rules.as_str(), again.catalogue.as_str())
        );
        let mut compared = 0;
        for item in &again.items {
            for row in &item.rows {
                let in_report = board.units.iter().find(|u| u.unit == row.unit).unwrap();
                for f in &row.figures {
                    let expected = in_report.figures.iter().find(|x| x.code == f.code).unwrap();
                    assert_eq!(f.change, expected.change, "{} of {}", f.code, row.unit.as_str());
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 3 * 3);
        let received = |b: &crimeboard_stats::briefing::Briefing, u: &str| {
            b.items[0].rows.iter().find(|r| r.unit.as_str() == u).unwrap().figures[0].change
        };
        assert_eq!((received(&taken, "BAK-NSM").current, received(&taken, "BAK-NSM").previous), (1, 1));
        assert_eq!(received(&taken, "BAK-YAS").current, 1);
        assert_eq!(received(&current, "BAK-YAS").current, 4);
        let rank = |b: &crimeboard_stats::briefing::Briefing, u: &str| {
            let r = b.items[0].rows.iter().find(|r| r.unit.as_str() == u).unwrap().figures[0].rank;
            (r.place, r.of)
        };
        // Baku's twelve districts: one report each in two, a tie at the top.
        assert_eq!((rank(&taken, "BAK-NSM"), rank(&taken, "BAK-YAS")), ((1, 12), (1, 12)));
        assert_eq!((rank(&current, "BAK-NSM"), rank(&current, "BAK-YAS")), ((2, 12), (1, 12)));
        assert_eq!(taken.unit(&unit("BAK-NSM")).unwrap().tasks, Some(UnitTasks { open: 3, overdue: 1 }));
        assert_eq!(taken.unit(&unit("GNC")).unwrap().tasks, None);
    });
}

#[test]
fn deadlines_kept_count_reports_decided_on_time_over_all_decided() {
    each_backend(|env| {
        // Two decided within three days, one after them; one left undecided.
        let on_time = report_in(env, "BAK-NSM", "2024-01-10T08:00:00Z");
        decide(env, on_time, "2024-01-11T08:00:00Z", false);
        let also = report_in(env, "BAK-NSM", "2024-02-10T08:00:00Z");
        decide(env, also, "2024-02-12T08:00:00Z", false);
        let late = report_in(env, "BAK-NSM", "2024-02-15T08:00:00Z");
        decide(env, late, "2024-02-25T08:00:00Z", true);
        report_in(env, "BAK-NSM", "2024-03-01T08:00:00Z");
        let b = env.registry.briefing(&request(), None).unwrap();
        let kept = b.unit(&unit("BAK-NSM")).unwrap().deadlines_kept;
        assert_eq!(kept, DeadlinesKept::Counted { in_time: 2, decided: 3 }, "on {}", env.db.name);
        assert!((kept.percent().unwrap() - 200.0 / 3.0).abs() < 1e-9);
        let yas = b.unit(&unit("BAK-YAS")).unwrap().deadlines_kept;
        assert_eq!((yas, yas.percent()), (DeadlinesKept::Counted { in_time: 0, decided: 0 }, None));
    });
}

#[test]
fn a_briefing_names_a_bad_indicator_unit_or_position() {
    each_backend(|env| {
        let mut bad = request();
        bad.items[1].indicators.push("no_such".into());
        bad.units.push(unit("XX"));
        let fields = match env.registry.briefing(&bad, None) {
            Err(ServiceError::Rejected(r)) => r.0.into_iter().map(|v| (v.field, v.rule)).collect::<Vec<_>>(),
            other => panic!("expected a rejection, got {other:?}"),
        };
        assert_rule(&fields, "items[1].indicators[1]", "indicator.unknown");
        assert_rule(&fields, "units[3]", "unit.unknown");
        let beyond = env.registry.store().position().unwrap() + 1;
        match env.registry.briefing(&request(), Some(beyond)) {
            Err(ServiceError::Rejected(r)) => assert_eq!(r.0[0].field, "position"),
            other => panic!("expected a rejection, got {other:?}"),
        }
    });
}

mod from_the_task_register {
    use super::*;
    use crimeboard_domain::meeting::{AgendaItem, Rapporteur};
    use crimeboard_domain::task::{Confidence, ControlDecision, ReportKind, TaskControl, TaskReport};
    use crimeboard_stats::briefing::{Briefing, parse_agenda, parse_units};
    use std::sync::atomic::AtomicI64;

    fn issue(env: &Env, meeting: uuid::Uuid, owner: &str, co_executors: &[&str], due_on: &str) -> uuid::Uuid {
        let mut t = new_task(Some(meeting), owner, "nazirlik", due_on);
        t.co_executors = co_executors.iter().map(|u| unit(u)).collect();
        ok(env, Command::IssueTask(t)).entity_id
    }

    fn decide_task(env: &Env, task_id: uuid::Uuid, decision: ControlDecision) {
        ok(env, Command::ControlTask(TaskControl { task_id, decision, confidence: Confidence::OnTrack }));
    }

    fn close(env: &Env, task_id: uuid::Uuid) {
        let text = "İcra olundu".to_string();
        let ask = TaskReport { task_id, kind: ReportKind::AskClosure, text, confidence: Confidence::OnTrack };
        ok(env, Command::ReportOnTask(ask));
        decide_task(env, task_id, ControlDecision::Close { justification: String::new() });
    }

    /// A meeting in January reviewing 2023Q4 whose tasks stand, on 18 April,
    /// as: BAK-NSM one overdue and one it co-executes; BAK-YAS that one and
    /// one extended past the day; GNC one closed in February and one overdue,
    /// closed only after the day. Then the meeting of 18 April reviewing
    /// 2024Q1, its rapporteurs from BAK-NSM and BAK-YAS, its item on GNC, and
    /// a task of its own. Returns the April meeting.
    fn earlier_tasks_and_the_meeting(env: &Env, clock: &AtomicI64) -> uuid::Uuid {
        move_clock(clock, "2024-01-25");
        let mut january = new_meeting("AZ");
        january.held_on = "2024-01-25".parse().unwrap();
        january.period_from = "2023-10-01".parse().unwrap();
        january.period_to = "2023-12-31".parse().unwrap();
        let january = ok(env, Command::ScheduleMeeting(january)).entity_id;
        issue(env, january, "BAK-NSM", &[], "2024-03-31");
        issue(env, january, "BAK-YAS", &["BAK-NSM"], "2024-06-30");
        let closed_in_time = issue(env, january, "GNC", &[], "2024-02-28");
        let extended = issue(env, january, "BAK-YAS", &[], "2024-03-15");
        let closed_late = issue(env, january, "GNC", &[], "2024-03-01");
        move_clock(clock, "2024-02-20");
        close(env, closed_in_time);
        move_clock(clock, "2024-03-10");
        let later = "2024-05-31".parse().unwrap();
        decide_task(env, extended, ControlDecision::Extend { new_due_on: later, reason: "Ekspertiza".into() });

        move_clock(clock, "2024-04-10");
        for (u, day) in [("BAK-NSM", "2024-02-01"), ("BAK-YAS", "2024-02-03"), ("GNC", "2024-03-01")] {
            let id = report_in(env, u, &format!("{day}T08:00:00Z"));
            decide(env, id, &format!("{day}T12:00:00Z"), false);
        }
        let mut april = new_meeting("AZ");
        april.agenda = vec![AgendaItem {
            topic: "Crime reports".into(),
            indicators: vec!["reports_received".into(), "reports_decided".into()],
            units: vec![unit("GNC"), unit("BAK-NSM")],
        }];
        let rapporteur = |u: &str| Rapporteur {
            full_name: "Polkovnik Əliyev".into(),
            position: "Rəis".into(),
            unit: unit(u),
            item: 0,
        };
        april.rapporteurs = vec![rapporteur("BAK-NSM"), rapporteur("BAK-YAS")];
        let april = ok(env, Command::ScheduleMeeting(april)).entity_id;
        move_clock(clock, "2024-04-18");
        issue(env, april, "BAK-NSM", &[], "2024-06-30");
        move_clock(clock, "2024-04-25");
        close(env, closed_late);
        april
    }

    fn tasks_of(b: &Briefing, u: &str) -> Option<UnitTasks> {
        b.unit(&unit(u)).unwrap().tasks
    }

    #[test]
    fn the_tasks_of_earlier_meetings_count_open_and_overdue_per_unit_as_they_stood_on_the_meetings_day() {
        each_backend_with_clock(|env, clock| {
            let april = earlier_tasks_and_the_meeting(env, clock);
            let b = env.registry.briefing_for_meeting(april, None).unwrap();
            let units: Vec<&str> = b.units.iter().map(|u| u.unit.as_str()).collect();
            assert_eq!(units, ["BAK-NSM", "BAK-YAS", "GNC"], "rapporteurs' units, then the items', once each");
            assert_eq!(b.period, Period::parse("2024Q1").unwrap());
            assert_eq!(b.items[0].topic, "Crime reports");
            let kept = |open, overdue| Some(UnitTasks { open, overdue });
            assert_eq!(
                tasks_of(&b, "BAK-NSM"),
                kept(2, 1),
                "on {}: its own overdue and one it co-executes",
                env.db.name
            );
            assert_eq!(tasks_of(&b, "BAK-YAS"), kept(2, 0), "the extension moved one past the day");
            assert_eq!(tasks_of(&b, "GNC"), kept(1, 1), "closed in February gone, closed after the day still due");
            // At a position the register is replayed as it stood there: the same.
            let position = env.registry.store().position().unwrap();
            assert_eq!(env.registry.briefing_for_meeting(april, Some(position)).unwrap(), b);
        });
    }

    #[test]
    fn the_pack_for_a_stored_meeting_equals_the_pack_for_the_same_agenda_typed() {
        each_backend_with_clock(|env, clock| {
            let april = earlier_tasks_and_the_meeting(env, clock);
            let stored = env.registry.briefing_for_meeting(april, None).unwrap();
            let typed = BriefingRequest {
                period: Period::parse("2024Q1").unwrap(),
                items: parse_agenda("Crime reports: reports_received, reports_decided").unwrap(),
                units: parse_units("BAK-NSM, BAK-YAS, GNC").unwrap(),
                tasks: BTreeMap::new(),
            };
            // Typed, the tasks stand as at the period's end: nothing changed between it and the meeting.
            let from_typed = env.registry.briefing_for_period(&typed, None).unwrap();
            assert_eq!(from_typed, stored, "on {}", env.db.name);
            assert!(stored.units.iter().all(|u| u.tasks.is_some()), "no unit's tasks are left not given");
        });
    }
}
