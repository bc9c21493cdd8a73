//! The Board at work: meetings and their minutes, tasks with owners,
//! controllers and due dates, reports back, the controller's decisions, the
//! targets measured against a baseline read from the counters, and the
//! follow-up (the queue's escalation ladder, the sheet, the memo).

use crate::support::*;
use crimeboard_domain::Command;
use crimeboard_domain::access::{Denied, Role};
use crimeboard_domain::meeting::{AgendaItem, Attendee, MeetingMinutes};
use crimeboard_domain::task::{
    Confidence, ControlDecision, EscalationStep, Expected, ReportKind, Target, TaskControl, TaskReport, TaskStatus,
};
use crimeboard_service::audit::Audited;
use crimeboard_service::{ServiceError, SheetFilter, Submission};
use std::sync::atomic::Ordering;
use uuid::Uuid;

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn minutes(meeting_id: Uuid) -> MeetingMinutes {
    MeetingMinutes {
        meeting_id,
        attendance: vec![Attendee {
            full_name: "General Məmmədov".into(),
            position: "Nazir müavini".into(),
            unit: Some(unit("MIA")),
            present: true,
        }],
        minutes: "Rəislərin hesabatları dinlənildi".into(),
    }
}

fn report(task_id: Uuid, kind: ReportKind, confidence: Confidence) -> Command {
    Command::ReportOnTask(TaskReport { task_id, kind, text: "Görülən işlər".into(), confidence })
}

fn control(task_id: Uuid, decision: ControlDecision, confidence: Confidence) -> Command {
    Command::ControlTask(TaskControl { task_id, decision, confidence })
}

fn close(justification: &str) -> ControlDecision {
    ControlDecision::Close { justification: justification.into() }
}

fn task(env: &Env, id: Uuid) -> crimeboard_domain::task::Task {
    env.registry.task(id).unwrap()
}

/// A meeting held on 18 April and a task of it for `owner`, controlled by `controller`.
fn meeting_and_task(env: &Env, owner: &str, controller: &str, due_on: &str) -> (Uuid, Uuid) {
    let meeting = ok(env, Command::ScheduleMeeting(new_meeting("AZ"))).entity_id;
    let task = ok(env, Command::IssueTask(new_task(Some(meeting), owner, controller, due_on))).entity_id;
    (meeting, task)
}

#[test]
fn a_meeting_is_scheduled_with_its_agenda_and_held_with_its_minutes() {
    each_backend(|env| {
        let r = ok(env, Command::ScheduleMeeting(new_meeting("AZ")));
        assert!(r.number.as_deref().unwrap().starts_with("BM-AZ-2024-"), "{:?}", r.number);
        let m = env.registry.meeting(r.entity_id).unwrap();
        assert_eq!((m.status(), m.scheduled.agenda.len()), ("scheduled", 1));
        ok(env, Command::RecordMinutes(minutes(r.entity_id)));
        let m = env.registry.meeting(r.entity_id).unwrap();
        assert_eq!(m.status(), "held");
        assert_eq!(m.minutes.as_ref().unwrap().recorded_on, day("2024-04-19"));
        assert_eq!(env.registry.get(r.entity_id).unwrap().status, "held", "the index row follows");
        // Not twice.
        assert_rule(&rejected(env, Command::RecordMinutes(minutes(r.entity_id))), "meeting_id", "meeting.already_held");
    });
}

#[test]
fn each_rule_of_a_meeting_is_broken_by_a_meeting() {
    each_backend(|env| {
        let mut empty = new_meeting("AZ");
        empty.agenda.clear();
        empty.rapporteurs.clear();
        assert_rule(&rejected(env, Command::ScheduleMeeting(empty)), "agenda", "meeting.agenda_required");

        let mut wrong = new_meeting("AZ");
        wrong.agenda[0].indicators.push("no_such_indicator".into());
        wrong.agenda[0].units.push(unit("XYZ"));
        wrong.rapporteurs[0].item = 1;
        wrong.period_from = day("2024-04-01");
        let found = rejected(env, Command::ScheduleMeeting(wrong));
        assert_rule(&found, "agenda[0].indicators[1]", "indicator.unknown");
        assert_rule(&found, "agenda[0].units[1]", "unit.unknown");
        assert_rule(&found, "rapporteurs[0].item", "meeting.no_such_item");
        assert_rule(&found, "period_from", "date.range_reversed");

        let mut long = new_meeting("AZ");
        long.agenda = vec![AgendaItem { topic: "Mövzu".into(), indicators: vec![], units: vec![] }; 201];
        assert_rule(&rejected(env, Command::ScheduleMeeting(long)), "agenda", "list.too_long");

        // Minutes not before the day the meeting is held.
        let mut later = new_meeting("AZ");
        later.held_on = day("2024-04-25");
        let later = ok(env, Command::ScheduleMeeting(later)).entity_id;
        assert_rule(&rejected(env, Command::RecordMinutes(minutes(later))), "meeting_id", "meeting.not_yet_held");
    });
}

#[test]
fn each_rule_of_a_new_task_is_broken_by_a_task() {
    each_backend(|env| {
        let (meeting, parent) = meeting_and_task(env, "BAK", "nazirlik", "2024-06-30");

        let mut early = new_task(Some(meeting), "BAK", "nazirlik", "2024-04-10");
        early.co_executors.push(unit("BAK"));
        early.targets.push(Target { indicator: "no_such_indicator".into(), expected: Expected::Decrease });
        let found = rejected(env, Command::IssueTask(early));
        assert_rule(&found, "due_on", "task.due_before_meeting");
        assert_rule(&found, "co_executors[0]", "task.owner_as_co_executor");
        assert_rule(&found, "targets[0].indicator", "indicator.unknown");

        let mut unmeasured = new_task(None, "BAK", "nazirlik", "2024-06-30");
        unmeasured.targets.push(Target { indicator: "crimes_recorded".into(), expected: Expected::Decrease });
        assert_rule(&rejected(env, Command::IssueTask(unmeasured)), "targets", "task.targets_need_meeting");

        // A sub-task: for a unit strictly below the owner, due no later, in the parent's meeting.
        let mut sub = new_task(Some(meeting), "BAK-YAS", "nazirlik", "2024-07-01");
        sub.parent_task_id = Some(parent);
        assert_rule(&rejected(env, Command::IssueTask(sub)), "due_on", "task.due_after_parent");
        let mut unnamed = new_task(None, "BAK-YAS", "nazirlik", "2024-06-01");
        unnamed.parent_task_id = Some(parent);
        assert_rule(&rejected(env, Command::IssueTask(unnamed)), "meeting_id", "task.meeting_of_parent");
        let mut beside = new_task(Some(meeting), "GNC", "nazirlik", "2024-06-01");
        beside.parent_task_id = Some(parent);
        assert_rule(&rejected(env, Command::IssueTask(beside)), "owner", "task.owner_not_below_parent");
        let mut itself = new_task(Some(meeting), "BAK", "nazirlik", "2024-06-01");
        itself.parent_task_id = Some(parent);
        assert_rule(&rejected(env, Command::IssueTask(itself)), "owner", "task.owner_not_below_parent");

        // The parent must be open.
        ok(env, report(parent, ReportKind::AskClosure, Confidence::OnTrack));
        ok(env, control(parent, close(""), Confidence::OnTrack));
        let mut late = new_task(Some(meeting), "BAK-YAS", "nazirlik", "2024-06-01");
        late.parent_task_id = Some(parent);
        assert_rule(&rejected(env, Command::IssueTask(late)), "parent_task_id", "task.closed");
        assert_rule(&rejected(env, report(parent, ReportKind::Interim, Confidence::OnTrack)), "task_id", "task.closed");
    });
}

#[test]
fn an_interim_report_never_closes_and_an_extension_is_counted_and_moves_the_due_date() {
    each_backend(|env| {
        let (_, t) = meeting_and_task(env, "BAK-NSM", "nazirlik", "2024-06-30");
        ok(env, report(t, ReportKind::Interim, Confidence::AtRisk));
        ok(env, report(t, ReportKind::Interim, Confidence::OnTrack));
        assert_eq!(task(env, t).status, TaskStatus::Open, "an interim report leaves the task open");
        assert_eq!(task(env, t).reports.len(), 2);
        // Closing needs closure asked; returning needs something asked.
        assert_rule(
            &rejected(env, control(t, close("x"), Confidence::OnTrack)),
            "decision.kind",
            "task.closure_not_asked",
        );
        let back = ControlDecision::Return { reason: "Yenidən".into() };
        assert_rule(
            &rejected(env, control(t, back.clone(), Confidence::OnTrack)),
            "decision.kind",
            "task.nothing_to_return",
        );

        let not_later = ReportKind::AskExtension { new_due_on: day("2024-06-30"), reason: " ".into() };
        let found = rejected(env, report(t, not_later, Confidence::AtRisk));
        assert_rule(&found, "kind.new_due_on", "task.extension_not_later");
        assert_rule(&found, "kind.reason", "text.required");
        let ask = ReportKind::AskExtension { new_due_on: day("2024-07-31"), reason: "Ekspertiza gecikir".into() };
        ok(env, report(t, ask, Confidence::AtRisk));
        assert_eq!(task(env, t).status, TaskStatus::ExtensionAsked);
        assert_eq!(env.registry.get(t).unwrap().status, "extension_asked");
        // One request at a time.
        assert_rule(
            &rejected(env, report(t, ReportKind::AskClosure, Confidence::OnTrack)),
            "kind",
            "task.awaits_controller",
        );

        let extend = ControlDecision::Extend { new_due_on: day("2024-07-31"), reason: "Əsaslıdır".into() };
        ok(env, control(t, extend, Confidence::AtRisk));
        let now = task(env, t);
        assert_eq!((now.status, now.due_on, now.extensions), (TaskStatus::Open, day("2024-07-31"), 1));
        assert_eq!(env.registry.get(t).unwrap().day, day("2024-07-31"), "the index row's day is the due date");
        // The controller may extend of their own accord too.
        ok(
            env,
            control(
                t,
                ControlDecision::Extend { new_due_on: day("2024-08-15"), reason: "Nəzarət".into() },
                Confidence::OffTrack,
            ),
        );
        assert_eq!((task(env, t).due_on, task(env, t).extensions), (day("2024-08-15"), 2));
        // Returned after asking for closure: open again.
        ok(env, report(t, ReportKind::AskClosure, Confidence::OnTrack));
        ok(env, control(t, back, Confidence::AtRisk));
        assert_eq!(task(env, t).status, TaskStatus::Open);
    });
}

#[test]
fn only_the_controller_named_decides_and_a_refusal_writes_nothing() {
    each_backend(|env| {
        let (_, t) = meeting_and_task(env, "BAK-NSM", "nazir.muavini", "2024-06-30");
        let chief = person("bak.reis", Role::UnitChief, "BAK-NSM");
        let submit = |by, command| {
            let s =
                Submission { actor: "x".into(), legal_ground: "Kollegiyanın qərarı".into(), command, late: None };
            env.registry.record(by, &s, &Audited::No)
        };
        submit(&chief, report(t, ReportKind::AskClosure, Confidence::OnTrack)).unwrap();
        let before = env.registry.store().position().unwrap();
        let other = person("basqa.nezaretci", Role::Controller, "AZ");
        match submit(&other, control(t, close(""), Confidence::OnTrack)) {
            Err(ServiceError::Denied(Denied::NotController)) => {}
            other => panic!("expected only the controller, got {other:?} on {}", env.db.name),
        }
        assert_eq!(Denied::NotController.rule(), "access.not_controller");
        assert_eq!(env.registry.store().position().unwrap(), before, "nothing written on {}", env.db.name);
        assert_eq!(task(env, t).status, TaskStatus::ClosureAsked);
        // A chief may not decide at all, however named.
        let chief_as_controller = person("nazir.muavini", Role::UnitChief, "BAK-NSM");
        assert!(matches!(
            submit(&chief_as_controller, control(t, close(""), Confidence::OnTrack)),
            Err(ServiceError::Denied(Denied::Role))
        ));
        let controller = person("nazir.muavini", Role::Controller, "AZ");
        submit(&controller, control(t, close(""), Confidence::OnTrack)).unwrap();
        assert_eq!(task(env, t).status, TaskStatus::Closed);
    });
}

#[test]
fn a_sub_task_goes_to_a_unit_below_and_its_progress_rolls_up() {
    each_backend(|env| {
        let (meeting, parent) = meeting_and_task(env, "BAK", "nazirlik", "2024-06-30");
        let mut sub = new_task(Some(meeting), "BAK-NSM", "nazirlik", "2024-06-15");
        sub.parent_task_id = Some(parent);
        let sub = ok(env, Command::IssueTask(sub)).entity_id;
        let mut other = new_task(Some(meeting), "BAK-YAS", "nazirlik", "2024-06-15");
        other.parent_task_id = Some(parent);
        let other = ok(env, Command::IssueTask(other)).entity_id;

        ok(env, report(sub, ReportKind::AskClosure, Confidence::OnTrack));
        ok(env, control(sub, close(""), Confidence::OnTrack));
        let counts = |env: &Env| env.registry.task_progress(parent).unwrap().subtasks;
        assert_eq!(
            counts(env),
            vec![
                (TaskStatus::Open, 1),
                (TaskStatus::ClosureAsked, 0),
                (TaskStatus::ExtensionAsked, 0),
                (TaskStatus::Closed, 1)
            ]
        );
        ok(env, report(parent, ReportKind::AskClosure, Confidence::OnTrack));
        assert_rule(
            &rejected(env, control(parent, close("x"), Confidence::OnTrack)),
            "decision.kind",
            "task.subtasks_open",
        );
        ok(env, report(other, ReportKind::AskClosure, Confidence::OnTrack));
        ok(env, control(other, close(""), Confidence::OnTrack));
        ok(env, control(parent, close(""), Confidence::OnTrack));
        assert_eq!(counts(env)[3], (TaskStatus::Closed, 2));
    });
}

/// Three cases registered in BAK-NSM early in 2024Q1, the meeting's period.
fn three_early_cases(env: &Env) {
    for registered in ["2024-01-05T09:00:00Z", "2024-01-10T09:00:00Z", "2024-01-15T09:00:00Z"] {
        let mut c = new_case(vec![], registered);
        c.detected_by_police = true;
        c.occurred_at = at(registered) - chrono::Duration::days(1);
        ok(env, Command::OpenCase(c));
    }
}

#[test]
fn a_closure_against_its_target_needs_a_written_justification() {
    each_backend(|env| {
        three_early_cases(env);
        let meeting = ok(env, Command::ScheduleMeeting(new_meeting("AZ"))).entity_id;
        let mut t = new_task(Some(meeting), "BAK", "nazirlik", "2024-06-30");
        t.targets = vec![
            Target { indicator: "crimes_recorded".into(), expected: Expected::Decrease },
            Target { indicator: "crimes_recorded".into(), expected: Expected::Increase },
        ];
        let receipt = ok(env, Command::IssueTask(t));
        let id = receipt.entity_id;
        let issued = task(env, id);
        let baseline = &issued.targets[0].baseline;
        assert_eq!((baseline.value, baseline.from, baseline.to), (3, day("2024-01-01"), day("2024-03-31")));
        assert_eq!(baseline.position, receipt.position - 1, "read as committed before the act");
        // A case of another main department is not the owner's.
        let mut elsewhere = new_case(vec![], "2024-01-20T09:00:00Z");
        elsewhere.unit = unit("GNC");
        elsewhere.detected_by_police = true;
        elsewhere.occurred_at = at("2024-01-19T09:00:00Z");
        ok(env, Command::OpenCase(elsewhere));

        // Measured over as many days ending yesterday (19 January to 18 April): none since.
        let progress = env.registry.task_progress(id).unwrap();
        assert_eq!(progress.targets.len(), 2);
        let (down, up) = (&progress.targets[0], &progress.targets[1]);
        assert_eq!((down.now.from, down.now.to, down.now.value), (day("2024-01-19"), day("2024-04-18"), 0));
        assert!(down.met && !up.met);
        assert_eq!((down.change.current, down.change.previous, down.change.absolute), (0, 3, -3));
        assert_eq!(down.change.significant, Some(false), "three cases are too few to tell");

        ok(env, report(id, ReportKind::AskClosure, Confidence::OnTrack));
        assert_eq!(task(env, id).reports[0].readings.len(), 2, "the figures when closure was asked");
        let found = rejected(env, control(id, close("  "), Confidence::OnTrack));
        assert_rule(&found, "decision.justification", "task.justification_required");
        ok(env, control(id, close("Artım mövsümi xarakter daşıyır"), Confidence::AtRisk));
        let closed = task(env, id);
        assert_eq!(closed.status, TaskStatus::Closed);
        assert_eq!(closed.controls[0].readings[0].value, 0);
    });
}

#[test]
fn an_overdue_task_climbs_the_ladder_to_the_parent_and_the_grandparent() {
    each_backend_with_clock(|env, clock| {
        let (_, t) = meeting_and_task(env, "BAK-NSM", "nazirlik", "2024-05-20");
        // Another unit's task, due later, never in BAK-NSM's line.
        let (_, calm) = meeting_and_task(env, "BAK-YAS", "nazirlik", "2024-12-31");
        let step_in = |unit: &str| {
            let q = env.registry.task_queue(unit, None, None).unwrap();
            q.items.iter().find(|l| l.id == t).map(|l| (l.step, l.escalated))
        };
        let walk = [
            ("2024-05-12", None, false, false),
            ("2024-05-13", Some(EscalationStep::DueIn7), false, false),
            ("2024-05-20", Some(EscalationStep::Due), false, false),
            ("2024-05-21", Some(EscalationStep::Overdue), true, false),
            ("2024-06-02", Some(EscalationStep::Overdue), true, false),
            ("2024-06-03", Some(EscalationStep::Overdue14), true, true),
        ];
        for (today, step, parent, grandparent) in walk {
            clock.store(at(&format!("{today}T10:00:00Z")).timestamp_micros(), Ordering::SeqCst);
            assert_eq!(step_in("BAK-NSM"), Some((step, false)), "{today}: the owner's queue on {}", env.db.name);
            assert_eq!(step_in("BAK"), parent.then_some((step, true)), "{today}: the parent's queue");
            assert_eq!(step_in("MIA"), grandparent.then_some((step, true)), "{today}: the grandparent's queue");
            assert_eq!(step_in("BAK-YAS"), None, "{today}: a sibling never sees it");
        }
        let yas = env.registry.task_queue("BAK-YAS", None, None).unwrap();
        assert_eq!(yas.items.iter().map(|l| l.id).collect::<Vec<_>>(), vec![calm]);
        // Closed, it leaves every queue.
        ok(env, report(t, ReportKind::AskClosure, Confidence::OnTrack));
        ok(env, control(t, close(""), Confidence::OnTrack));
        assert_eq!(step_in("BAK-NSM"), None);
        assert_eq!(step_in("MIA"), None);
    });
}

#[test]
fn an_annulled_report_back_leaves_the_task_as_its_other_acts_made_it_on_their_days() {
    each_backend_with_clock(|env, clock| {
        let move_to = |day: &str| clock.store(at(&format!("{day}T10:00:00Z")).timestamp_micros(), Ordering::SeqCst);
        let (_, t) = meeting_and_task(env, "BAK-NSM", "nazirlik", "2024-06-30");
        move_to("2024-04-25");
        ok(env, report(t, ReportKind::Interim, Confidence::AtRisk));
        move_to("2024-05-02");
        let asked = ok(env, report(t, ReportKind::AskClosure, Confidence::OnTrack));
        assert_eq!(task(env, t).status, TaskStatus::ClosureAsked);
        move_to("2024-05-10");
        let annul = crimeboard_domain::act::Annul { unit: unit("BAK-NSM"), seq: asked.seq, reason: "Tələsik".into() };
        ok(env, Command::Annul(annul));
        let rebuilt = task(env, t);
        assert_eq!(rebuilt.status, TaskStatus::Open, "the request for closure is gone");
        assert_eq!(rebuilt.issued_on, day("2024-04-19"), "issued on its own day, not the annulment's");
        assert_eq!(rebuilt.reports.iter().map(|r| r.on).collect::<Vec<_>>(), vec![day("2024-04-25")]);
        assert_eq!(env.registry.get(t).unwrap().status, "open");
    });
}

#[test]
fn a_queue_lists_owned_and_co_executed_tasks_nearest_due_first() {
    each_backend(|env| {
        let meeting = ok(env, Command::ScheduleMeeting(new_meeting("AZ"))).entity_id;
        let late = ok(env, Command::IssueTask(new_task(Some(meeting), "BAK-NSM", "nazirlik", "2024-09-30"))).entity_id;
        let mut shared = new_task(Some(meeting), "BAK-YAS", "nazirlik", "2024-05-31");
        shared.co_executors.push(unit("BAK-NSM"));
        let shared = ok(env, Command::IssueTask(shared)).entity_id;
        let q = env.registry.task_queue("BAK-NSM", None, None).unwrap();
        assert_eq!(q.items.iter().map(|l| l.id).collect::<Vec<_>>(), vec![shared, late]);
        assert_eq!((q.total, q.today), (2, day("2024-04-19")));
        let first = env.registry.task_queue("BAK-NSM", Some(1), Some(1)).unwrap();
        assert_eq!((first.items.len(), first.has_more), (1, true));
        assert!(env.registry.task_queue("XYZ", None, None).is_err(), "an unknown unit is refused");
    });
}

#[test]
fn the_sheet_shows_the_owners_and_the_controllers_confidence_side_by_side() {
    each_backend(|env| {
        let (meeting, a) = meeting_and_task(env, "BAK-NSM", "nazirlik", "2024-06-30");
        let b = ok(env, Command::IssueTask(new_task(Some(meeting), "GNC", "nazirlik", "2024-05-31"))).entity_id;
        ok(env, report(a, ReportKind::AskClosure, Confidence::AtRisk));
        ok(env, control(a, ControlDecision::Return { reason: "Natamamdır".into() }, Confidence::OffTrack));
        let all = env.registry.task_sheet(&SheetFilter::default()).unwrap();
        assert_eq!(all.items.iter().map(|l| l.id).collect::<Vec<_>>(), vec![b, a], "by due date");
        let line = &all.items[1];
        assert_eq!(
            (line.owner_confidence, line.controller_confidence),
            (Some(Confidence::AtRisk), Some(Confidence::OffTrack))
        );
        let baku =
            env.registry.task_sheet(&SheetFilter { unit: Some("BAK".into()), ..SheetFilter::default() }).unwrap();
        assert_eq!(baku.items.iter().map(|l| l.id).collect::<Vec<_>>(), vec![a]);
        let open = SheetFilter { status: Some(TaskStatus::Open), meeting_id: Some(meeting), ..SheetFilter::default() };
        assert_eq!(env.registry.task_sheet(&open).unwrap().total, 2);
        let asked = SheetFilter { status: Some(TaskStatus::ClosureAsked), ..SheetFilter::default() };
        assert_eq!(env.registry.task_sheet(&asked).unwrap().total, 0);
        let due = SheetFilter { due_to: Some(day("2024-06-01")), ..SheetFilter::default() };
        assert_eq!(env.registry.task_sheet(&due).unwrap().items.iter().map(|l| l.id).collect::<Vec<_>>(), vec![b]);
        // Filters that cannot hold are refused by name.
        let wrong = SheetFilter {
            unit: Some("XYZ".into()),
            due_from: Some(day("2024-07-01")),
            due_to: Some(day("2024-06-01")),
            ..SheetFilter::default()
        };
        match env.registry.task_sheet(&wrong) {
            Err(ServiceError::Rejected(r)) => {
                let found: Vec<(String, String)> = r.0.into_iter().map(|v| (v.field, v.rule)).collect();
                assert_rule(&found, "unit", "unit.unknown");
                assert_rule(&found, "due_from", "date.range_reversed");
            }
            other => panic!("expected the filters refused, got {other:?}"),
        }
    });
}

#[test]
fn the_commitments_memo_lists_exactly_the_tasks_its_meeting_created() {
    each_backend(|env| {
        let (meeting, a) = meeting_and_task(env, "BAK", "nazirlik", "2024-06-30");
        let b = ok(env, Command::IssueTask(new_task(Some(meeting), "GNC", "nazirlik", "2024-05-31"))).entity_id;
        let mut sub = new_task(Some(meeting), "BAK-NSM", "nazirlik", "2024-06-15");
        sub.parent_task_id = Some(a);
        let sub = ok(env, Command::IssueTask(sub)).entity_id;
        let (_, elsewhere) = meeting_and_task(env, "BAK", "nazirlik", "2024-06-30");
        ok(env, Command::IssueTask(new_task(None, "BAK", "nazirlik", "2024-06-30")));
        let memo = env.registry.commitments_memo(meeting).unwrap();
        assert_eq!(memo.dated, day("2024-04-18"), "dated the meeting's day");
        let mut listed: Vec<Uuid> = memo.tasks.iter().map(|l| l.id).collect();
        let mut created = vec![a, b, sub];
        listed.sort();
        created.sort();
        assert_eq!(listed, created);
        assert!(!listed.contains(&elsewhere));
        assert!(memo.tasks.iter().all(|l| l.controller == "nazirlik"));
    });
}
