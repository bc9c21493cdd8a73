//! Citizens' appeals on the journal: registered with a number, a receipt and
//! a deadline in working days; extended, referred, answered and rated by the
//! rules of the Law on Citizens' Appeals; a crime report registered from one
//! in the same act; the unit's queue by deadline.

use crate::support::*;
use crimeboard_domain::Entity;
use crimeboard_domain::access::{Denied, Role};
use crimeboard_domain::appeal::{
    Appeal, AppealDecision, AppealExtension, Applicant, Applicants, Delivery, ExtendAppeal, RateAppeal, ReferAppeal,
    Referral, ReportFromAppeal,
};
use crimeboard_domain::{Command, EntityKind};
use crimeboard_service::audit::Audited;
use crimeboard_service::{ListParams, QueueParams, Queued, ServiceError, Submission};
use uuid::Uuid;

fn appeal(env: &Env, id: Uuid) -> Appeal {
    match env.registry.entity(id).unwrap() {
        Entity::Appeal(a) => a,
        other => panic!("not an appeal: {other:?}"),
    }
}

/// The last day an instant's deadline allows, in Baku.
fn last_day(env: &Env, deadline: chrono::DateTime<chrono::Utc>) -> String {
    env.registry.jurisdiction().rules.local_date(deadline - chrono::Duration::seconds(1)).to_string()
}

fn extension(appeal_id: Uuid, granted_at: &str, days: u32) -> Command {
    Command::ExtendAppeal(ExtendAppeal {
        appeal_id,
        granted_at: at(granted_at),
        extension: AppealExtension::Extension { days, reason: "Əlavə sənədlər sorğulanıb".into() },
        granted_by: "Rəis".into(),
        applicant_told: Delivery::Post,
    })
}

fn more_checking(appeal_id: Uuid, granted_at: &str) -> Command {
    Command::ExtendAppeal(ExtendAppeal {
        appeal_id,
        granted_at: at(granted_at),
        extension: AppealExtension::MoreChecking,
        granted_by: "Rəis".into(),
        applicant_told: Delivery::EMail,
    })
}

fn referral(appeal_id: Uuid, referred_at: &str) -> Command {
    Command::ReferAppeal(ReferAppeal {
        appeal_id,
        referred_at: at(referred_at),
        to: Referral::Body { name: "Bakı şəhər Baş Prokurorluğu".into() },
        applicant_told: Delivery::Post,
    })
}

fn rating(appeal_id: Uuid, rated_at: &str, score: i64) -> Command {
    Command::RateAppeal(RateAppeal { appeal_id, rated_at: at(rated_at), score })
}

fn anonymous(received_at: &str, mentions_offence: bool) -> Command {
    Command::RegisterAppeal(crimeboard_domain::appeal::NewAppeal {
        applicants: Applicants::Anonymous,
        mentions_offence,
        ..new_appeal(received_at)
    })
}

#[test]
fn an_appeal_is_numbered_with_a_receipt_and_due_in_fifteen_working_days() {
    each_backend(|env| {
        // Friday 15 March 2024: the Novruz and Ramazan holidays fall inside.
        let receipt = ok(env, Command::RegisterAppeal(new_appeal("2024-03-15T08:00:00Z")));
        let number = receipt.number.clone().unwrap();
        assert!(number.starts_with("AP-"), "{number}");
        let a = appeal(env, receipt.entity_id);
        assert_eq!(a.register_no, number);
        assert!(a.receipt_no.starts_with(&format!("Q-{number}-")), "{}", a.receipt_no);
        assert_eq!(last_day(env, a.deadline), "2024-04-17");
        assert_eq!(a.status(), "open");
        let listed = env.registry.list(&ListParams { kind: Some(EntityKind::Appeal), ..Default::default() }).unwrap();
        assert_eq!(listed.items.len(), 1);
        assert_eq!((listed.items[0].status.as_str(), listed.items[0].number.as_str()), ("open", number.as_str()));
    });
}

#[test]
fn bad_input_is_refused_naming_each_field() {
    each_backend(|env| {
        let mut bad = new_appeal("2024-04-25T08:00:00Z");
        bad.subject = " ".into();
        bad.text = String::new();
        bad.unit = unit("NOWHERE");
        bad.applicants = Applicants::Collective {
            people: vec![Applicant { full_name: "Tək Nəfər".into(), address: String::new() }],
        };
        bad.attachments = vec![String::new()];
        let found = rejected(env, Command::RegisterAppeal(bad));
        assert_rule(&found, "subject", "text.required");
        assert_rule(&found, "text", "text.required");
        assert_rule(&found, "unit", "unit.unknown");
        assert_rule(&found, "received_at", "date.in_future");
        assert_rule(&found, "applicants.people", "appeal.collective_needs_people");
        assert_rule(&found, "attachments[0]", "text.required");
        let nameless = Applicants::Organisation { name: String::new(), representative: None };
        let found = rejected(
            env,
            Command::RegisterAppeal(crimeboard_domain::appeal::NewAppeal {
                applicants: nameless,
                ..new_appeal("2024-04-01T08:00:00Z")
            }),
        );
        assert_rule(&found, "applicants.name", "text.required");
        let unknown = Uuid::new_v4();
        let found = rejected(
            env,
            Command::RegisterAppeal(crimeboard_domain::appeal::NewAppeal {
                repeat_of: Some(unknown),
                ..new_appeal("2024-04-01T08:00:00Z")
            }),
        );
        assert_rule(&found, "repeat_of", "reference.not_found");
        let report = ok(env, Command::RegisterReport(new_report("2024-04-01T08:00:00Z"))).entity_id;
        let found = rejected(
            env,
            Command::RegisterAppeal(crimeboard_domain::appeal::NewAppeal {
                repeat_of: Some(report),
                ..new_appeal("2024-04-01T08:00:00Z")
            }),
        );
        assert_rule(&found, "repeat_of", "reference.wrong_kind");
    });
}

#[test]
fn an_answer_after_the_deadline_is_refused_unless_it_says_why() {
    each_backend(|env| {
        let id = ok(env, Command::RegisterAppeal(new_appeal("2024-03-15T08:00:00Z"))).entity_id;
        // Due by the end of 17 April: the 18th is too late.
        let found = rejected(env, Command::AnswerAppeal(answer_of(id, "2024-04-18T09:00:00Z")));
        assert_rule(&found, "answered_at", "appeal.deadline_passed");
        // A reason for lateness on time is refused too.
        let early = crimeboard_domain::appeal::AnswerAppeal {
            late_reason: Some("Gecikmə".into()),
            ..answer_of(id, "2024-04-17T09:00:00Z")
        };
        assert_rule(&rejected(env, Command::AnswerAppeal(early)), "late_reason", "appeal.not_late");
        let late = crimeboard_domain::appeal::AnswerAppeal {
            late_reason: Some("İcraçı xəstə olub".into()),
            ..answer_of(id, "2024-04-18T09:00:00Z")
        };
        ok(env, Command::AnswerAppeal(late));
        let a = appeal(env, id);
        assert!(a.answer.as_ref().unwrap().late);
        assert!(a.overdue() && !a.closed_on_time());
        assert_eq!(a.status(), "answered");
        let found = rejected(env, Command::AnswerAppeal(answer_of(id, "2024-04-18T10:00:00Z")));
        assert_rule(&found, "appeal_id", "appeal.already_answered");
        let found = rejected(env, Command::AnswerAppeal(answer_of(id, "2024-03-14T10:00:00Z")));
        assert_rule(&found, "appeal_id", "appeal.already_answered");
    });
}

#[test]
fn one_extension_of_at_most_thirty_working_days_before_the_deadline() {
    each_backend(|env| {
        let id = ok(env, Command::RegisterAppeal(new_appeal("2024-03-15T08:00:00Z"))).entity_id;
        assert_rule(
            &rejected(env, extension(id, "2024-03-20T08:00:00Z", 31)),
            "extension.days",
            "appeal.extension_too_long",
        );
        assert_rule(&rejected(env, extension(id, "2024-03-20T08:00:00Z", 0)), "extension.days", "number.range");
        assert_rule(&rejected(env, extension(id, "2024-04-18T08:00:00Z", 5)), "granted_at", "extension.after_deadline");
        let no_reason = Command::ExtendAppeal(ExtendAppeal {
            appeal_id: id,
            granted_at: at("2024-03-20T08:00:00Z"),
            extension: AppealExtension::Extension { days: 5, reason: " ".into() },
            granted_by: "Rəis".into(),
            applicant_told: Delivery::Post,
        });
        assert_rule(&rejected(env, no_reason), "extension.reason", "text.required");
        ok(env, extension(id, "2024-03-20T08:00:00Z", 30));
        let a = appeal(env, id);
        // Thirty working days after 17 April (1 May works; 9, 28 May are holidays).
        assert_eq!(a.status(), "extended");
        assert_eq!(last_day(env, a.deadline), "2024-05-31");
        assert_eq!(a.extensions.len(), 1);
        assert_eq!(a.deadline, a.extensions[0].new_deadline);
        assert_rule(&rejected(env, extension(id, "2024-03-21T08:00:00Z", 1)), "appeal_id", "appeal.second_extension");
        assert_rule(
            &rejected(env, more_checking(id, "2024-03-21T08:00:00Z")),
            "extension.kind",
            "appeal.more_checking_after_extension",
        );
        // The appeal waits in the queue, not overdue by the first deadline.
        let queue = env.registry.queue(&QueueParams { register: Queued::Appeals, ..Default::default() }).unwrap();
        assert_eq!(queue.items.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
        assert_eq!((queue.total.waiting, queue.total.overdue), (1, 0));
    });
}

#[test]
fn more_checking_moves_the_deadline_to_thirty_working_days_from_receipt_once() {
    each_backend(|env| {
        let id = ok(env, Command::RegisterAppeal(new_appeal("2024-03-15T08:00:00Z"))).entity_id;
        ok(env, more_checking(id, "2024-03-18T08:00:00Z"));
        // 15 working days after 17 April: 9 May is a holiday, 1 May is not.
        assert_eq!(last_day(env, appeal(env, id).deadline), "2024-05-08");
        assert_rule(
            &rejected(env, more_checking(id, "2024-03-19T08:00:00Z")),
            "extension.kind",
            "appeal.more_checking_twice",
        );
        // The one extension may still follow, from the longer deadline.
        ok(env, extension(id, "2024-03-19T08:00:00Z", 2));
        assert_eq!(last_day(env, appeal(env, id).deadline), "2024-05-13");
    });
}

#[test]
fn a_referral_comes_within_three_working_days_holidays_not_counted() {
    each_backend(|env| {
        // Friday 15 March: Monday 18, Tuesday 19, then Novruz to 26 March, then Wednesday 27.
        let late = ok(env, Command::RegisterAppeal(new_appeal("2024-03-15T08:00:00Z"))).entity_id;
        let found = rejected(env, referral(late, "2024-03-28T08:00:00Z"));
        assert_rule(&found, "referred_at", "appeal.referral_late");
        assert_rule(&rejected(env, referral(late, "2024-03-14T08:00:00Z")), "referred_at", "date.before_registration");
        // Eight calendar days later, but the third working day: on time.
        ok(env, referral(late, "2024-03-27T15:00:00Z"));
        let a = appeal(env, late);
        assert_eq!(a.status(), "referred");
        assert!(a.closed_on_time());
        // Closed: no answer, extension or second referral.
        assert_rule(&rejected(env, referral(late, "2024-03-27T16:00:00Z")), "appeal_id", "appeal.closed");
        assert_rule(&rejected(env, extension(late, "2024-03-27T16:00:00Z", 3)), "appeal_id", "appeal.closed");
        assert_rule(
            &rejected(env, Command::AnswerAppeal(answer_of(late, "2024-03-28T08:00:00Z"))),
            "appeal_id",
            "appeal.closed",
        );
        // The referred appeal leaves the queue.
        let queue = env.registry.queue(&QueueParams { register: Queued::Appeals, ..Default::default() }).unwrap();
        assert!(queue.items.is_empty());
    });
}

fn referral_to_unit(appeal_id: Uuid, referred_at: &str, to: &str) -> Command {
    Command::ReferAppeal(ReferAppeal {
        appeal_id,
        referred_at: at(referred_at),
        to: Referral::Unit { unit: unit(to) },
        applicant_told: Delivery::Post,
    })
}

#[test]
fn a_referral_to_another_unit_keeps_it_open_in_that_units_queue_scope_and_counters() {
    each_backend(|env| {
        // Monday 1 April, due 22 April; referred on the 3rd to Yasamal.
        let id = ok(env, Command::RegisterAppeal(new_appeal("2024-04-01T08:00:00Z"))).entity_id;
        let due = appeal(env, id).deadline;
        ok(env, referral_to_unit(id, "2024-04-03T08:00:00Z", "BAK-YAS"));
        let a = appeal(env, id);
        assert_eq!((a.status(), a.handled_by().as_str(), a.unit.as_str()), ("open", "BAK-YAS", "BAK-NSM"));
        assert_eq!(a.deadline, due, "the deadline runs on from receipt");
        assert_eq!(a.referrals[0].from.as_str(), "BAK-NSM");
        let queue = |code: &str| {
            let q = QueueParams { register: Queued::Appeals, unit: Some(code.into()), ..Default::default() };
            env.registry.queue(&q).unwrap().items.iter().map(|r| r.id).collect::<Vec<_>>()
        };
        assert_eq!(queue("BAK-YAS"), [id]);
        assert!(queue("BAK-NSM").is_empty(), "it left the referring unit's queue");
        let listed = |code: &str| {
            let p = ListParams { kind: Some(EntityKind::Appeal), unit: Some(code.into()), ..Default::default() };
            env.registry.list(&p).unwrap().items.len()
        };
        assert_eq!((listed("BAK-YAS"), listed("BAK-NSM")), (1, 0));
        // Yasamal's office answers it now; Nasimi's may no longer.
        let s = |command| Submission {
            actor: "x".into(),
            legal_ground: "Law on Citizens' Appeals".into(),
            command,
            late: None,
        };
        let nsm = person("nsm-appeals", Role::AppealsOfficer, "BAK-NSM");
        let refused =
            env.registry.record(&nsm, &s(Command::AnswerAppeal(answer_of(id, "2024-04-10T08:00:00Z"))), &Audited::No);
        assert!(matches!(refused, Err(ServiceError::Denied(Denied::Scope))));
        let yas = person("yas-appeals", Role::AppealsOfficer, "BAK-YAS");
        env.registry
            .record(&yas, &s(Command::AnswerAppeal(answer_of(id, "2024-04-10T08:00:00Z"))), &Audited::No)
            .unwrap();
        // Counted in the unit that answered it, received and answered alike.
        let q2 = crimeboard_stats::Period::parse("2024Q2").unwrap();
        let figure = |code: &str| {
            let r = env.registry.report(q2, Some(code)).unwrap();
            (r.figure("appeals_received").unwrap().change.current, r.figure("appeals_answered").unwrap().change.current)
        };
        assert_eq!((figure("BAK-YAS"), figure("BAK-NSM")), ((1, 1), (0, 0)));
        assert_eq!(
            env.registry.report_by_scan(q2, Some("BAK-YAS")).unwrap(),
            env.registry.report(q2, Some("BAK-YAS")).unwrap()
        );
        assert!(env.registry.verify_counters().unwrap().is_empty(), "on {}", env.db.name);
    });
}

/// A referral to another unit recorded by mistake is annulled like any act:
/// the appeal is rebuilt without it, so it is the first unit's again, in
/// its queue, its scope and its counters.
#[test]
fn annulling_a_referral_to_a_unit_puts_the_appeal_back_in_the_first_units_queue_scope_and_counters() {
    each_backend(|env| {
        let id = ok(env, Command::RegisterAppeal(new_appeal("2024-04-01T08:00:00Z"))).entity_id;
        let referred = ok(env, referral_to_unit(id, "2024-04-03T08:00:00Z", "BAK-YAS"));
        assert_eq!(appeal(env, id).handled_by().as_str(), "BAK-YAS");
        let annul = crimeboard_domain::act::Annul {
            unit: unit(&referred.unit),
            seq: referred.seq,
            reason: "Referred to the wrong district".into(),
        };
        ok(env, Command::Annul(annul));
        let a = appeal(env, id);
        assert_eq!((a.status(), a.handled_by().as_str()), ("open", "BAK-NSM"));
        assert!(a.referrals.is_empty());
        let queue = |code: &str| {
            let q = QueueParams { register: Queued::Appeals, unit: Some(code.into()), ..Default::default() };
            env.registry.queue(&q).unwrap().items.iter().map(|r| r.id).collect::<Vec<_>>()
        };
        assert_eq!((queue("BAK-NSM"), queue("BAK-YAS")), (vec![id], vec![]));
        let listed = |code: &str| {
            let p = ListParams { kind: Some(EntityKind::Appeal), unit: Some(code.into()), ..Default::default() };
            env.registry.list(&p).unwrap().items.len()
        };
        assert_eq!((listed("BAK-NSM"), listed("BAK-YAS")), (1, 0));
        // Nasimi's office answers it again; Yasamal's may no longer.
        let s = |command| Submission {
            actor: "x".into(),
            legal_ground: "Law on Citizens' Appeals".into(),
            command,
            late: None,
        };
        let yas = person("yas-appeals", Role::AppealsOfficer, "BAK-YAS");
        let refused =
            env.registry.record(&yas, &s(Command::AnswerAppeal(answer_of(id, "2024-04-10T08:00:00Z"))), &Audited::No);
        assert!(matches!(refused, Err(ServiceError::Denied(Denied::Scope))));
        let nsm = person("nsm-appeals", Role::AppealsOfficer, "BAK-NSM");
        env.registry
            .record(&nsm, &s(Command::AnswerAppeal(answer_of(id, "2024-04-10T08:00:00Z"))), &Audited::No)
            .unwrap();
        let q2 = crimeboard_stats::Period::parse("2024Q2").unwrap();
        let figure = |code: &str| {
            let r = env.registry.report(q2, Some(code)).unwrap();
            (r.figure("appeals_received").unwrap().change.current, r.figure("appeals_answered").unwrap().change.current)
        };
        assert_eq!((figure("BAK-NSM"), figure("BAK-YAS")), ((1, 1), (0, 0)));
        assert_eq!(
            env.registry.report_by_scan(q2, Some("BAK-NSM")).unwrap(),
            env.registry.report(q2, Some("BAK-NSM")).unwrap()
        );
        assert!(env.registry.verify_counters().unwrap().is_empty(), "on {}", env.db.name);
    });
}

#[test]
fn a_referral_to_a_unit_is_refused_to_the_handling_one_an_unknown_one_and_late() {
    each_backend(|env| {
        let id = ok(env, Command::RegisterAppeal(new_appeal("2024-04-01T08:00:00Z"))).entity_id;
        assert_rule(
            &rejected(env, referral_to_unit(id, "2024-04-02T08:00:00Z", "BAK-NSM")),
            "to.unit",
            "appeal.referral_same_unit",
        );
        assert_rule(
            &rejected(env, referral_to_unit(id, "2024-04-02T08:00:00Z", "BAK-NOWHERE")),
            "to.unit",
            "unit.unknown",
        );
        // Three working days from Monday 1 April end with Thursday the 4th.
        assert_rule(
            &rejected(env, referral_to_unit(id, "2024-04-05T08:00:00Z", "BAK-YAS")),
            "referred_at",
            "appeal.referral_late",
        );
        let nameless = Command::ReferAppeal(ReferAppeal {
            appeal_id: id,
            referred_at: at("2024-04-02T08:00:00Z"),
            to: Referral::Body { name: " ".into() },
            applicant_told: Delivery::Post,
        });
        assert_rule(&rejected(env, nameless), "to.name", "text.required");
        ok(env, referral_to_unit(id, "2024-04-03T08:00:00Z", "BAK-YAS"));
        // Handled by Yasamal now: not to Yasamal again, back to Nasimi or out may be.
        assert_rule(
            &rejected(env, referral_to_unit(id, "2024-04-03T09:00:00Z", "BAK-YAS")),
            "to.unit",
            "appeal.referral_same_unit",
        );
        ok(env, referral(id, "2024-04-03T10:00:00Z"));
        assert_eq!(appeal(env, id).status(), "referred");
        assert_rule(
            &rejected(env, referral_to_unit(id, "2024-04-03T11:00:00Z", "BAK-NSM")),
            "appeal_id",
            "appeal.closed",
        );
    });
}

#[test]
fn an_anonymous_appeal_is_not_examined_unless_it_tells_of_an_offence() {
    each_backend(|env| {
        let silent = ok(env, anonymous("2024-04-01T08:00:00Z", false)).entity_id;
        let a = appeal(env, silent);
        assert_eq!(a.status(), "not_examined");
        assert!(!a.overdue() && !a.has_deadline());
        assert_rule(
            &rejected(env, Command::AnswerAppeal(answer_of(silent, "2024-04-02T08:00:00Z"))),
            "appeal_id",
            "appeal.closed",
        );
        // One about an offence waits, with the referral's deadline, for its content to be passed on.
        let telling = ok(env, anonymous("2024-04-01T09:00:00Z", true)).entity_id;
        let a = appeal(env, telling);
        assert_eq!(a.status(), "open");
        assert_eq!(last_day(env, a.deadline), "2024-04-04");
        assert_rule(
            &rejected(env, Command::AnswerAppeal(answer_of(telling, "2024-04-02T08:00:00Z"))),
            "appeal_id",
            "appeal.anonymous",
        );
        assert_rule(&rejected(env, extension(telling, "2024-04-02T08:00:00Z", 3)), "appeal_id", "appeal.anonymous");
        assert_rule(&rejected(env, rating(telling, "2024-04-02T08:00:00Z", 3)), "appeal_id", "appeal.anonymous");
        let mut report = new_report("2024-04-02T08:00:00Z");
        report.applicant = None;
        report.channel = crimeboard_domain::report::Channel::Written;
        ok(env, Command::ReportFromAppeal(ReportFromAppeal { appeal_id: telling, report }));
        let a = appeal(env, telling);
        assert_eq!(a.status(), "passed_to_police");
        assert!(a.closed_on_time());
        let queue = env.registry.queue(&QueueParams { register: Queued::Appeals, ..Default::default() }).unwrap();
        assert!(queue.items.is_empty(), "neither waits");
    });
}

#[test]
fn an_appeal_mentioning_an_offence_becomes_a_numbered_report_once_linked_both_ways() {
    each_backend(|env| {
        let plain = ok(env, Command::RegisterAppeal(new_appeal("2024-04-01T08:00:00Z"))).entity_id;
        let from_plain = ReportFromAppeal { appeal_id: plain, report: new_report("2024-04-02T08:00:00Z") };
        assert_rule(&rejected(env, Command::ReportFromAppeal(from_plain)), "appeal_id", "appeal.no_offence_mentioned");
        let telling =
            crimeboard_domain::appeal::NewAppeal { mentions_offence: true, ..new_appeal("2024-04-01T09:00:00Z") };
        let id = ok(env, Command::RegisterAppeal(telling)).entity_id;
        let mut bad = new_report("2024-04-02T08:00:00Z");
        bad.summary = String::new();
        assert_rule(
            &rejected(env, Command::ReportFromAppeal(ReportFromAppeal { appeal_id: id, report: bad })),
            "report.summary",
            "text.required",
        );
        let early = ReportFromAppeal { appeal_id: id, report: new_report("2024-03-31T08:00:00Z") };
        assert_rule(&rejected(env, Command::ReportFromAppeal(early)), "report.received_at", "date.before_registration");
        let receipt = ok(
            env,
            Command::ReportFromAppeal(ReportFromAppeal { appeal_id: id, report: new_report("2024-04-02T08:00:00Z") }),
        );
        let number = receipt.number.clone().unwrap();
        assert!(number.starts_with("M-"), "a crime report's number: {number}");
        assert_eq!(receipt.person_ids.len(), 1, "its applicant is a person of the report");
        let Entity::Report(report) = env.registry.entity(receipt.entity_id).unwrap() else { panic!("a report") };
        assert_eq!(report.appeal_id, Some(id));
        assert_eq!(report.status(), "awaiting_decision");
        let a = appeal(env, id);
        let linked = a.report.as_ref().unwrap();
        assert_eq!((linked.report_id, linked.register_no.as_str()), (receipt.entity_id, number.as_str()));
        // A named appeal is still answered.
        assert_eq!(a.status(), "open");
        let again = ReportFromAppeal { appeal_id: id, report: new_report("2024-04-03T08:00:00Z") };
        assert_rule(&rejected(env, Command::ReportFromAppeal(again)), "appeal_id", "appeal.already_reported");
        // The act is in both the appeal's timeline and the report's.
        let acts = |id| env.registry.history(id).unwrap().into_iter().map(|(e, _)| e.kind).collect::<Vec<_>>();
        assert_eq!(acts(id), ["register_appeal", "report_from_appeal"]);
        assert_eq!(acts(receipt.entity_id), ["report_from_appeal"]);
    });
}

#[test]
fn a_repeat_is_linked_and_left_unconsidered_only_after_three_answers_in_a_year() {
    each_backend(|env| {
        let mut earlier: Option<Uuid> = None;
        let days = ["2024-01-10", "2024-02-12", "2024-03-12", "2024-04-01"];
        let mut ids = Vec::new();
        for (n, day) in days.iter().enumerate() {
            let repeat =
                crimeboard_domain::appeal::NewAppeal { repeat_of: earlier, ..new_appeal(&format!("{day}T08:00:00Z")) };
            let id = ok(env, Command::RegisterAppeal(repeat)).entity_id;
            assert_eq!(appeal(env, id).repeat_of, earlier);
            assert_eq!(appeal(env, id).matter_answers.len(), n, "the answers the matter had before");
            if n < 3 {
                let mut unconsidered = answer_of(id, &format!("{day}T10:00:00Z"));
                unconsidered.decision = AppealDecision::LeftUnconsidered;
                assert_rule(
                    &rejected(env, Command::AnswerAppeal(unconsidered)),
                    "decision",
                    "appeal.not_repeated_enough",
                );
                ok(env, Command::AnswerAppeal(answer_of(id, &format!("{day}T10:00:00Z"))));
            }
            earlier = Some(id);
            ids.push(id);
        }
        let mut unconsidered = answer_of(ids[3], "2024-04-02T10:00:00Z");
        unconsidered.decision = AppealDecision::LeftUnconsidered;
        ok(env, Command::AnswerAppeal(unconsidered));
        // The repeats are listed under the earlier appeal.
        let under = ListParams { kind: Some(EntityKind::Appeal), parent: Some(ids[0]), ..Default::default() };
        assert_eq!(env.registry.list(&under).unwrap().items.len(), 1);
        // A repeat cannot come before the appeal it repeats.
        let backwards =
            crimeboard_domain::appeal::NewAppeal { repeat_of: Some(ids[3]), ..new_appeal("2024-01-01T08:00:00Z") };
        assert_rule(&rejected(env, Command::RegisterAppeal(backwards)), "repeat_of", "appeal.repeat_of_later");
    });
}

#[test]
fn a_rating_comes_once_after_the_reply() {
    each_backend(|env| {
        let id = ok(env, Command::RegisterAppeal(new_appeal("2024-04-01T08:00:00Z"))).entity_id;
        assert_rule(&rejected(env, rating(id, "2024-04-02T08:00:00Z", 4)), "appeal_id", "appeal.not_closed");
        ok(env, Command::AnswerAppeal(answer_of(id, "2024-04-03T08:00:00Z")));
        assert_rule(&rejected(env, rating(id, "2024-04-02T08:00:00Z", 4)), "rated_at", "appeal.rated_before_closure");
        assert_rule(&rejected(env, rating(id, "2024-04-04T08:00:00Z", 6)), "score", "number.range");
        ok(env, rating(id, "2024-04-04T08:00:00Z", 4));
        assert_eq!(appeal(env, id).satisfaction, Some(4));
        assert_rule(&rejected(env, rating(id, "2024-04-05T08:00:00Z", 5)), "appeal_id", "appeal.already_rated");
        // A referred appeal is rated too.
        let referred = ok(env, Command::RegisterAppeal(new_appeal("2024-04-08T08:00:00Z"))).entity_id;
        ok(env, referral(referred, "2024-04-09T08:00:00Z"));
        ok(env, rating(referred, "2024-04-10T08:00:00Z", 2));
    });
}

#[test]
fn the_units_queue_holds_open_appeals_nearest_deadline_first_apart_from_reports() {
    each_backend(|env| {
        let later = ok(env, Command::RegisterAppeal(new_appeal("2024-04-10T08:00:00Z"))).entity_id;
        let sooner = ok(env, Command::RegisterAppeal(new_appeal("2024-03-15T08:00:00Z"))).entity_id;
        let answered = ok(env, Command::RegisterAppeal(new_appeal("2024-03-01T08:00:00Z"))).entity_id;
        ok(env, Command::AnswerAppeal(answer_of(answered, "2024-03-05T08:00:00Z")));
        let mut yas = new_appeal("2024-04-01T08:00:00Z");
        yas.unit = unit("BAK-YAS");
        ok(env, Command::RegisterAppeal(yas));
        ok(env, Command::RegisterReport(new_report("2024-04-18T08:00:00Z")));
        let nsm = QueueParams { register: Queued::Appeals, unit: Some("BAK-NSM".into()), ..Default::default() };
        let queue = env.registry.queue(&nsm).unwrap();
        let ids: Vec<Uuid> = queue.items.iter().map(|r| r.id).collect();
        assert_eq!(ids, [sooner, later], "open appeals only, nearest deadline first");
        // 15 March's 15 working days ended on 17 April: overdue by now (19 April).
        assert_eq!((queue.total.waiting, queue.total.overdue), (2, 1));
        let reports = env.registry.queue(&QueueParams { unit: Some("BAK-NSM".into()), ..Default::default() }).unwrap();
        assert!(reports.items.iter().all(|r| r.kind == EntityKind::Report), "the reports' queue holds no appeal");
        assert_eq!(reports.total.waiting, 1);
    });
}

#[test]
fn the_register_lists_appeals_by_kind_and_channel() {
    each_backend(|env| {
        use crimeboard_domain::appeal::{AppealChannel, AppealKind, NewAppeal};
        let complaint = ok(env, Command::RegisterAppeal(new_appeal("2024-04-01T08:00:00Z"))).entity_id;
        let proposal = NewAppeal {
            kind: AppealKind::Proposal,
            channel: AppealChannel::Telephone,
            ..new_appeal("2024-04-02T08:00:00Z")
        };
        let proposal = ok(env, Command::RegisterAppeal(proposal)).entity_id;
        let listed = |kind: Option<&str>, channel: Option<&str>| -> Vec<Uuid> {
            let params = ListParams {
                kind: Some(EntityKind::Appeal),
                appeal_kind: kind.map(String::from),
                appeal_channel: channel.map(String::from),
                ..Default::default()
            };
            env.registry.list(&params).unwrap().items.iter().map(|r| r.id).collect()
        };
        assert_eq!(listed(Some("complaint"), None), [complaint]);
        assert_eq!(listed(Some("proposal"), Some("telephone")), [proposal]);
        assert_eq!(listed(None, Some("written")), [complaint]);
        assert!(listed(Some("complaint"), Some("telephone")).is_empty());
        let bad =
            ListParams { kind: Some(EntityKind::Appeal), appeal_kind: Some("petition".into()), ..Default::default() };
        match env.registry.list(&bad) {
            Err(ServiceError::Rejected(r)) => assert_rule(
                &r.0.into_iter().map(|v| (v.field, v.rule)).collect::<Vec<_>>(),
                "appeal_kind",
                "form.choice",
            ),
            other => panic!("expected a refusal, got {other:?}"),
        }
    });
}

#[test]
fn an_appeal_is_found_by_its_applicants_name_in_any_script() {
    each_backend(|env| {
        let id = ok(env, Command::RegisterAppeal(new_appeal("2024-04-01T08:00:00Z"))).entity_id;
        for q in ["Məmmədov", "Мамедов", "Mammadov"] {
            let params = ListParams { kind: Some(EntityKind::Appeal), q: Some(q.into()), ..Default::default() };
            let found: Vec<Uuid> = env.registry.list(&params).unwrap().items.iter().map(|r| r.id).collect();
            assert_eq!(found, [id], "{q} on {}", env.db.name);
        }
    });
}

#[test]
fn an_appeals_officer_of_another_unit_is_denied_and_nothing_is_written() {
    each_backend(|env| {
        let id = ok(env, Command::RegisterAppeal(new_appeal("2024-04-01T08:00:00Z"))).entity_id;
        let outsider = person("yas-appeals", Role::AppealsOfficer, "BAK-YAS");
        let submit = |command: Command| {
            let s =
                Submission { actor: "x".into(), legal_ground: "Law on Citizens' Appeals".into(), command, late: None };
            env.registry.record(&outsider, &s, &Audited::No)
        };
        for command in [
            Command::RegisterAppeal(new_appeal("2024-04-02T08:00:00Z")),
            Command::AnswerAppeal(answer_of(id, "2024-04-03T08:00:00Z")),
            extension(id, "2024-04-03T08:00:00Z", 3),
        ] {
            let before = env.registry.store().position().unwrap();
            assert!(matches!(submit(command), Err(ServiceError::Denied(Denied::Scope))));
            assert_eq!(env.registry.store().position().unwrap(), before, "on {}", env.db.name);
        }
        // The unit's own appeals office answers it; an investigator may not at all.
        let insider = person("nsm-appeals", Role::AppealsOfficer, "BAK-NSM");
        let s = |command| Submission {
            actor: "x".into(),
            legal_ground: "Law on Citizens' Appeals".into(),
            command,
            late: None,
        };
        let investigator = person("nsm-inv", Role::Investigator, "BAK-NSM");
        let refused = env.registry.record(
            &investigator,
            &s(Command::AnswerAppeal(answer_of(id, "2024-04-03T08:00:00Z"))),
            &Audited::No,
        );
        assert!(matches!(refused, Err(ServiceError::Denied(Denied::Role))));
        env.registry
            .record(&insider, &s(Command::AnswerAppeal(answer_of(id, "2024-04-03T08:00:00Z"))), &Audited::No)
            .unwrap();
    });
}

/// A small quarter of appeals in BAK-NSM and one a year before, each figure
/// worked out by hand below, against the Board's report from the counters,
/// its recount from the registers and `verify_counters`.
#[test]
fn the_reports_appeal_figures_are_those_counted_by_hand_and_a_recount() {
    each_backend(|env| {
        // 2023Q1: one appeal, answered on time and rated 2.
        let old = ok(env, Command::RegisterAppeal(new_appeal("2023-02-01T08:00:00Z"))).entity_id;
        ok(env, Command::AnswerAppeal(answer_of(old, "2023-02-03T08:00:00Z")));
        ok(env, rating(old, "2023-02-04T08:00:00Z", 2));
        // A: received 15 January, answered on time 20 January, rated 5.
        let a = ok(env, Command::RegisterAppeal(new_appeal("2024-01-15T08:00:00Z"))).entity_id;
        ok(env, Command::AnswerAppeal(answer_of(a, "2024-01-20T08:00:00Z")));
        ok(env, rating(a, "2024-01-22T08:00:00Z", 5));
        // B: received 1 February mentioning an offence, a crime report from it,
        // extended by 10 working days from 22 February to 7 March, answered
        // late on 10 April (outside the quarter), rated 3.
        let b_in =
            crimeboard_domain::appeal::NewAppeal { mentions_offence: true, ..new_appeal("2024-02-01T08:00:00Z") };
        let b = ok(env, Command::RegisterAppeal(b_in)).entity_id;
        ok(
            env,
            Command::ReportFromAppeal(ReportFromAppeal { appeal_id: b, report: new_report("2024-02-02T08:00:00Z") }),
        );
        ok(env, extension(b, "2024-02-05T08:00:00Z", 10));
        let late = crimeboard_domain::appeal::AnswerAppeal {
            late_reason: Some("Ekspertiza gecikdi".into()),
            ..answer_of(b, "2024-04-10T08:00:00Z")
        };
        ok(env, Command::AnswerAppeal(late));
        ok(env, rating(b, "2024-04-11T08:00:00Z", 3));
        // C: received 15 February mentioning an offence, never reported nor
        // answered: due 7 March, overdue.
        let c_in =
            crimeboard_domain::appeal::NewAppeal { mentions_offence: true, ..new_appeal("2024-02-15T08:00:00Z") };
        let c = ok(env, Command::RegisterAppeal(c_in)).entity_id;
        // D: received 15 March, referred on 27 March (the 3rd working day, after
        // Novruz), rated 4; its answer would have been due 17 April.
        let d = ok(env, Command::RegisterAppeal(new_appeal("2024-03-15T08:00:00Z"))).entity_id;
        ok(env, referral(d, "2024-03-27T08:00:00Z"));
        ok(env, rating(d, "2024-03-28T08:00:00Z", 4));
        // E: anonymous, not examined: received, nothing else.
        ok(env, anonymous("2024-03-20T08:00:00Z", false));

        let q1 = crimeboard_stats::Period::parse("2024Q1").unwrap();
        let report = env.registry.report(q1, Some("BAK-NSM")).unwrap();
        let figure = |code: &str| {
            let f = report.figure(code).unwrap_or_else(|| panic!("no figure {code}"));
            (f.change.current, f.change.previous)
        };
        // Received: A, B, C, D, E; a year before: the old one.
        assert_eq!(figure("appeals_received"), (5, 1));
        // Answered or referred within the quarter: A (20 Jan), D (27 Mar); B's answer is in April.
        assert_eq!(figure("appeals_answered"), (2, 1));
        assert_eq!(figure("appeals_answered_on_time"), (2, 1));
        // Extended: B, by its day of receipt.
        assert_eq!(figure("appeals_extended"), (1, 0));
        // Due in the quarter: A (5 February), B (7 March, extended), C (7
        // March); D's deadline (17 April) is outside; E has none.
        let due = |id| last_day(env, appeal(env, id).deadline);
        assert_eq!([due(a), due(b), due(c), due(d)], ["2024-02-05", "2024-03-07", "2024-03-07", "2024-04-17"]);
        assert_eq!(figure("appeals_due"), (3, 1));
        // Overdue on their deadline's day: B (answered late, in April) and C (never answered).
        assert_eq!(figure("appeals_overdue"), (2, 0));
        assert_eq!(figure("appeals_mentioning_offence"), (2, 0));
        assert_eq!(figure("appeals_led_to_report"), (1, 0));
        assert_eq!(figure("appeals_offence_not_reported"), (1, 0));
        // Rated, dated by the reply: A (5) and D (4); B's reply is April's.
        assert_eq!(figure("appeals_rated"), (2, 1));
        assert_eq!(figure("appeals_satisfied"), (2, 0));
        assert_eq!(figure("appeals_score_sum"), (9, 2));
        let share = |code: &str| report.share(code).unwrap().current;
        assert_eq!(share("appeals_on_time_share"), Some(100.0));
        assert_eq!(share("appeals_satisfied_share"), Some(100.0));
        assert_eq!(share("appeals_mean_score_share"), Some(90.0));
        assert_eq!(report.share("appeals_mean_score_share").unwrap().previous, Some(40.0));
        // The second quarter holds B's late answer and its rating.
        let q2 = env.registry.report(crimeboard_stats::Period::parse("2024Q2").unwrap(), Some("BAK-NSM")).unwrap();
        let q2_figure = |code: &str| q2.figure(code).unwrap().change.current;
        assert_eq!((q2_figure("appeals_answered"), q2_figure("appeals_answered_on_time")), (1, 0));
        assert_eq!((q2_figure("appeals_overdue"), q2_figure("appeals_score_sum")), (0, 3));
        // The counters are what the registers recount to.
        assert_eq!(env.registry.report_by_scan(q1, Some("BAK-NSM")).unwrap(), report);
        assert!(env.registry.verify_counters().unwrap().is_empty(), "on {}", env.db.name);
    });
}

fn at_reception(reception_id: Uuid, received_at: &str) -> crimeboard_domain::appeal::NewAppeal {
    crimeboard_domain::appeal::NewAppeal {
        channel: crimeboard_domain::appeal::AppealChannel::Reception,
        reception_id: Some(reception_id),
        ..new_appeal(received_at)
    }
}

#[test]
fn an_appeal_made_at_a_held_reception_is_listed_beside_its_visitors() {
    use crate::reception::{record_of, session};
    use crimeboard_domain::reception::{Heard, Outcome};
    each_backend(|env| {
        let session_id =
            ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-04-19", "12:00", "13:00", 3))).entity_id;
        let found = rejected(env, Command::RegisterAppeal(at_reception(session_id, "2024-04-19T09:30:00Z")));
        assert_rule(&found, "reception_id", "appeal.reception_not_held");
        let visitor = Heard {
            place: None,
            full_name: "Məmmədov Rauf".into(),
            subject: "Sahə müvəkkili".into(),
            outcome: Outcome::AppealToRegister,
            note: String::new(),
        };
        ok(env, Command::RecordReception(record_of(session_id, vec![visitor], vec![])));
        // Each rule of the link broken by an input.
        let written = crimeboard_domain::appeal::NewAppeal {
            channel: crimeboard_domain::appeal::AppealChannel::Written,
            ..at_reception(session_id, "2024-04-19T09:30:00Z")
        };
        assert_rule(&rejected(env, Command::RegisterAppeal(written)), "channel", "appeal.reception_channel");
        let yasamal = crimeboard_domain::appeal::NewAppeal {
            unit: unit("BAK-YAS"),
            ..at_reception(session_id, "2024-04-19T09:30:00Z")
        };
        assert_rule(&rejected(env, Command::RegisterAppeal(yasamal)), "reception_id", "appeal.reception_unit");
        let before = at_reception(session_id, "2024-04-18T09:30:00Z");
        assert_rule(&rejected(env, Command::RegisterAppeal(before)), "received_at", "appeal.before_reception");
        let not_a_session = at_reception(Uuid::new_v4(), "2024-04-19T09:30:00Z");
        let found = rejected(env, Command::RegisterAppeal(not_a_session));
        assert!(found.iter().any(|v| v.0 == "reception_id"), "{found:?}");

        // A plain appeal, then two repeats of it: one written, one made at the reception.
        let first = ok(env, Command::RegisterAppeal(new_appeal("2024-04-01T08:00:00Z"))).entity_id;
        let repeat =
            crimeboard_domain::appeal::NewAppeal { repeat_of: Some(first), ..new_appeal("2024-04-10T08:00:00Z") };
        let repeat = ok(env, Command::RegisterAppeal(repeat)).entity_id;
        let made_there = crimeboard_domain::appeal::NewAppeal {
            repeat_of: Some(first),
            ..at_reception(session_id, "2024-04-19T09:30:00Z")
        };
        let made_there = ok(env, Command::RegisterAppeal(made_there)).entity_id;
        let a = appeal(env, made_there);
        assert_eq!((a.reception_id, a.repeat_of), (Some(session_id), Some(first)), "both links kept in the state");
        // The session's read lists what it produced beside its visitors.
        let view = env.registry.reception(session_id).unwrap();
        assert_eq!(view.produced.iter().map(|r| r.id).collect::<Vec<_>>(), [made_there]);
        assert_eq!(view.reception.appeals_to_register().count(), 1);
        // The repeats of an appeal not made at a reception are its children in the index.
        let children = env
            .registry
            .list(&ListParams { kind: Some(EntityKind::Appeal), parent: Some(first), ..Default::default() })
            .unwrap();
        assert_eq!(children.items.iter().map(|r| r.id).collect::<Vec<_>>(), [repeat]);
    });
}

/// The report of Baku draws the on-time and satisfied shares of the
/// districts below it as funnels, from each district's counts.
#[test]
fn the_report_compares_the_units_on_time_and_satisfied_shares_on_funnels() {
    each_backend(|env| {
        // Nasimi: one answered on time and rated 5, one late and rated 2.
        let on_time = ok(env, Command::RegisterAppeal(new_appeal("2024-01-15T08:00:00Z"))).entity_id;
        ok(env, Command::AnswerAppeal(answer_of(on_time, "2024-01-20T08:00:00Z")));
        ok(env, rating(on_time, "2024-01-22T08:00:00Z", 5));
        let late = ok(env, Command::RegisterAppeal(new_appeal("2024-01-16T08:00:00Z"))).entity_id;
        let answer = crimeboard_domain::appeal::AnswerAppeal {
            late_reason: Some("Ekspertiza gecikdi".into()),
            ..answer_of(late, "2024-02-20T08:00:00Z")
        };
        ok(env, Command::AnswerAppeal(answer));
        ok(env, rating(late, "2024-02-21T08:00:00Z", 2));
        // Yasamal: one answered on time and rated 4.
        let mut yas = new_appeal("2024-02-01T08:00:00Z");
        yas.unit = unit("BAK-YAS");
        let yas = ok(env, Command::RegisterAppeal(yas)).entity_id;
        ok(env, Command::AnswerAppeal(answer_of(yas, "2024-02-05T08:00:00Z")));
        ok(env, rating(yas, "2024-02-06T08:00:00Z", 4));

        let report = env.registry.report(crimeboard_stats::Period::parse("2024Q1").unwrap(), Some("BAK")).unwrap();
        let funnels: Vec<&str> = report.funnel_shares().map(|s| s.code.as_str()).collect();
        assert!(
            funnels.contains(&"appeals_on_time_share") && funnels.contains(&"appeals_satisfied_share"),
            "{funnels:?}"
        );
        let points = |code: &str| {
            let funnel = report.funnel(code).unwrap();
            let mut points: Vec<(String, i64, i64)> =
                funnel.points.iter().map(|p| (p.unit.clone(), p.numerator, p.denominator)).collect();
            points.sort();
            points
        };
        let expected = vec![("BAK-NSM".to_string(), 1, 2), ("BAK-YAS".to_string(), 1, 1)];
        assert_eq!(points("appeals_on_time_share"), expected);
        assert_eq!(points("appeals_satisfied_share"), expected);
    });
}
