//! The registry's own access check: whoever calls it (the API, the pages,
//! the CLI, an import) names a principal, and every act is refused to a
//! principal of another unit before anything is checked or written.

use crate::reception::{booking, record_of, session};
use crate::support::*;
use crimeboard_domain::access::{Action, Denied, Principal, Role, allows};
use crimeboard_domain::act::Annul;
use crimeboard_domain::appeal::{
    AppealExtension, Delivery, ExtendAppeal, NewAppeal, RateAppeal, ReferAppeal, Referral, ReportFromAppeal,
};
use crimeboard_domain::cancellation::{DecideCancellation, RequestCancellation};
use crimeboard_domain::case::{AddPerson, CaseDecision, Procedural, Reclassify, RecordDamage, Reimburse};
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::freeze::{FreezeOutcome, ReturnFrozen};
use crimeboard_domain::identifier::{AttachIdentifier, IdentifierKey, RemoveIdentifier, Subject, SubjectKind};
use crimeboard_domain::inspection::{DrawSample, Finding, ReviewSample, SampleKind};
use crimeboard_domain::meeting::{Attendee, MeetingMinutes};
use crimeboard_domain::publication::{NewPublication, PublicationKind};
use crimeboard_domain::reception::{CancelBooking, CancelReception};
use crimeboard_domain::registers::{
    CompleteExamination, ExaminationKind, Liability, NewAccident, NewAccountability, NewExamination, NewSeizure,
};
use crimeboard_domain::release::{
    ApproveRelease, DraftRelease, EditRelease, PublishRelease, Tags, Texts, WriteRelease,
};
use crimeboard_domain::report::{DecideReport, ExtendCheck, RateHandling, ReportOutcome};
use crimeboard_domain::rules::Authority;
use crimeboard_domain::series::{AcknowledgeSeriesAlert, ConfirmSeries, DecideLinking, Linking, SplitSeries};
use crimeboard_domain::task::{Confidence, ControlDecision, ReportKind, TaskControl, TaskReport};
use crimeboard_domain::units::Language;
use crimeboard_domain::units::{
    Agency, Contacts, MergeUnits, MoveUnit, Names, NewUnit, RenameUnit, SetUnitContacts, UnitInForce, UnitKind,
};
use crimeboard_domain::{Command, EntityKind};
use crimeboard_service::audit::Audited;
use crimeboard_service::{ServiceError, Submission};
use uuid::Uuid;

/// The entries of BAK-NSM the commands act on, recorded by the system.
/// The number the two reports of the fixtures share: their series.
const SERIES_PHONE: &str = "+994 55 777 77 77";

struct Fixtures {
    /// The series of the two reports, which share a number.
    series: Uuid,
    /// Received on 15 April, waiting for a decision.
    report: Uuid,
    /// Received on 16 April, for a case to be opened from.
    open_report: Uuid,
    /// A case with a suspect.
    case: Uuid,
    examination: Uuid,
    /// The place in BAK-NSM's journal of an accident, for an annulment.
    accident_seq: i64,
    /// A meeting of the Board held in BAK-NSM, its minutes not yet recorded.
    meeting: Uuid,
    /// A task of BAK-NSM whose controller is `insider`.
    task: Uuid,
    /// A meeting held in BAK-NSM, its release drafted.
    held_meeting: Uuid,
    /// That release, a draft.
    release: Uuid,
    /// Another release of it, approved.
    approved_release: Uuid,
    /// A chief's reception of citizens in BAK-NSM next week, place 1 booked.
    reception: Uuid,
    /// One today, to be recorded.
    reception_today: Uuid,
    /// A citizen's appeal to BAK-NSM mentioning an offence, open.
    appeal: Uuid,
    /// Another, received on 17 April, to be referred.
    referable: Uuid,
    /// A case with an account and a victim, a freeze request on it awaiting
    /// its answer and another answered frozen.
    defrauded: crate::freezes::Defrauded,
    freeze_sent: Uuid,
    freeze_frozen: Uuid,
    /// A sample of BAK-NSM's April refusals, of one refusal.
    sample: Uuid,
    /// That refusal's place in BAK-NSM's journal.
    sampled_seq: i64,
}

fn fixtures(env: &Env) -> Fixtures {
    let report = ok(env, Command::RegisterReport(new_report("2024-04-15T08:00:00Z"))).entity_id;
    let open_report = ok(env, Command::RegisterReport(new_report("2024-04-16T08:00:00Z"))).entity_id;
    let case = case_with_suspect(env).entity_id;
    let examination = ok(env, Command::RequestExamination(examination(case))).entity_id;
    let accident_seq = ok(env, Command::RecordAccident(accident())).seq;
    let meeting = ok(env, Command::ScheduleMeeting(new_meeting("BAK-NSM"))).entity_id;
    let task = ok(env, Command::IssueTask(new_task(Some(meeting), "BAK-NSM", "insider", "2024-06-30"))).entity_id;
    let held_meeting = ok(env, Command::ScheduleMeeting(new_meeting("BAK-NSM"))).entity_id;
    ok(env, Command::RecordMinutes(minutes(held_meeting)));
    let draft = || Command::DraftRelease(DraftRelease { meeting_id: held_meeting, unit: unit("BAK-NSM") });
    let release = ok(env, draft()).entity_id;
    let approved_release = ok(env, draft()).entity_id;
    ok(env, Command::ApproveRelease(ApproveRelease { release_id: approved_release }));
    let reception =
        ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-04-25", "10:00", "12:00", 5))).entity_id;
    ok(env, Command::BookReception(booking(reception, "Məmmədov Elçin")));
    let reception_today =
        ok(env, Command::ScheduleReception(session("BAK-NSM", "2024-04-19", "16:00", "18:00", 5))).entity_id;
    let appeal =
        ok(env, Command::RegisterAppeal(NewAppeal { mentions_offence: true, ..new_appeal("2024-04-15T08:00:00Z") }));
    let referable = ok(env, Command::RegisterAppeal(new_appeal("2024-04-17T08:00:00Z"))).entity_id;
    let defrauded = crate::freezes::defrauded(env);
    let freeze = || Command::RequestFreeze(crate::freezes::new_freeze(defrauded.case, "2024-04-18T08:00:00Z"));
    let freeze_sent = ok(env, freeze()).entity_id;
    let freeze_frozen = ok(env, freeze()).entity_id;
    ok(env, Command::AnswerFreeze(crate::freezes::answer(freeze_frozen, FreezeOutcome::Frozen, 300_000)));
    let refused = ok(env, Command::RegisterReport(new_report("2024-04-14T08:00:00Z"))).entity_id;
    let sampled_seq = ok(
        env,
        Command::DecideReport(DecideReport {
            report_id: refused,
            decided_at: at("2024-04-15T08:00:00Z"),
            outcome: ReportOutcome::Refuse { ground: "CPC art. 39.1.1: no crime".into() },
            late_reason: None,
        }),
    )
    .seq;
    let sample = ok(env, april_refusals()).entity_id;
    for record in [report, open_report] {
        ok(
            env,
            Command::AttachIdentifier(AttachIdentifier {
                subject: Subject { kind: SubjectKind::Report, id: record },
                record,
                identifier: phone(SERIES_PHONE),
                note: None,
            }),
        );
    }
    Fixtures {
        defrauded,
        freeze_sent,
        freeze_frozen,
        sample,
        sampled_seq,
        series: report.min(open_report),
        appeal: appeal.entity_id,
        referable,
        report,
        open_report,
        case,
        examination,
        accident_seq,
        meeting,
        task,
        held_meeting,
        release,
        approved_release,
        reception,
        reception_today,
    }
}

fn april_refusals() -> Command {
    Command::DrawSample(DrawSample {
        unit: unit("BAK-NSM"),
        kind: SampleKind::Refusals,
        period_from: day("2024-04-01"),
        period_to: day("2024-04-19"),
        size: 1,
        seed: Some(1),
    })
}

fn minutes(meeting_id: Uuid) -> MeetingMinutes {
    MeetingMinutes {
        meeting_id,
        attendance: vec![Attendee {
            full_name: "Polkovnik Əliyev".into(),
            position: "Rəis".into(),
            unit: Some(unit("BAK-NSM")),
            present: true,
        }],
        minutes: "Hesabat dinlənildi".into(),
    }
}

fn examination(case_id: Uuid) -> NewExamination {
    NewExamination {
        unit: unit("BAK-NSM"),
        case_id,
        kind: ExaminationKind::Dna,
        requested_at: at("2024-04-05T09:00:00Z"),
        question: "Whose traces?".into(),
    }
}

fn accident() -> NewAccident {
    NewAccident {
        unit: unit("BAK-NSM"),
        occurred_at: at("2024-04-10T18:00:00Z"),
        place: Default::default(),
        killed: 0,
        injured: 1,
        cause: "Speeding".into(),
    }
}

/// One valid command of every kind, in an order in which each can be
/// recorded after the ones before it.
fn every_command(fx: &Fixtures) -> Vec<Command> {
    let nsm = || unit("BAK-NSM");
    vec![
        Command::RegisterReport(new_report("2024-04-17T08:00:00Z")),
        Command::ExtendCheck(ExtendCheck {
            report_id: fx.report,
            granted_at: at("2024-04-16T08:00:00Z"),
            granted_by: Authority::UnitChief,
            reference: "Order 17/2024".into(),
        }),
        Command::DecideReport(DecideReport {
            report_id: fx.report,
            decided_at: at("2024-04-17T08:00:00Z"),
            outcome: ReportOutcome::Refuse { ground: "CPC art. 39.1.1: no crime".into() },
            late_reason: None,
        }),
        Command::RateHandling(RateHandling { report_id: fx.report, rated_at: at("2024-04-18T08:00:00Z"), score: 4 }),
        Command::OpenCase(new_case(vec![fx.open_report], "2024-04-17T09:00:00Z")),
        Command::AddPerson(AddPerson { case_id: fx.case, person: suspect("Nicat Rəhimov", "1988-03-03") }),
        Command::Reclassify(Reclassify {
            case_id: fx.case,
            articles: vec![ArticleRef::parse("178.1").unwrap()],
            reason: "Qualification changed after expert opinion".into(),
            decided_at: at("2024-04-08T09:00:00Z"),
        }),
        Command::RecordDamage(RecordDamage {
            case_id: fx.case,
            amount_qepik: 100_000,
            victim_id: None,
            assessed_at: at("2024-04-09T09:00:00Z"),
        }),
        Command::Reimburse(Reimburse {
            case_id: fx.case,
            amount_qepik: 50_000,
            reimbursed_at: at("2024-04-10T09:00:00Z"),
        }),
        Command::DecideCase(CaseDecision {
            case_id: fx.case,
            decided_at: at("2024-04-11T09:00:00Z"),
            decision: Procedural::Solved { how: "Operative measures".into(), forensic_methods: vec![] },
        }),
        Command::RecordSeizure(NewSeizure {
            unit: nsm(),
            case_id: Some(fx.case),
            substance: "heroin".into(),
            net_grams: 120,
            seized_at: at("2024-04-12T09:00:00Z"),
        }),
        Command::HoldAccountable(NewAccountability {
            unit: nsm(),
            full_name: "Tural Abbasov".into(),
            fin: None,
            liability: Liability::Administrative,
            offence: "234.1".into(),
            narcotics: true,
            case_id: None,
            decided_at: at("2024-04-12T10:00:00Z"),
        }),
        Command::RecordAccident(accident()),
        Command::RequestExamination(examination(fx.case)),
        Command::CompleteExamination(CompleteExamination {
            examination_id: fx.examination,
            done_at: at("2024-04-15T09:00:00Z"),
            result: "Match".into(),
            identified_person: true,
        }),
        Command::Annul(Annul { unit: nsm(), seq: fx.accident_seq, reason: "Recorded twice".into() }),
        Command::ScheduleMeeting(new_meeting("BAK-NSM")),
        Command::RecordMinutes(minutes(fx.meeting)),
        Command::IssueTask(new_task(Some(fx.meeting), "BAK-NSM", "insider", "2024-06-30")),
        Command::ReportOnTask(TaskReport {
            task_id: fx.task,
            kind: ReportKind::AskClosure,
            text: "İcra olundu".into(),
            confidence: Confidence::OnTrack,
        }),
        Command::ControlTask(TaskControl {
            task_id: fx.task,
            decision: ControlDecision::Close { justification: String::new() },
            confidence: Confidence::OnTrack,
        }),
        Command::DraftRelease(DraftRelease { meeting_id: fx.held_meeting, unit: nsm() }),
        Command::EditRelease(EditRelease {
            release_id: fx.release,
            lang: Language::En,
            text: "The Board met.".into(),
            title: None,
            tags: None,
        }),
        Command::ApproveRelease(ApproveRelease { release_id: fx.release }),
        Command::PublishRelease(PublishRelease { release_id: fx.approved_release, at: None }),
        Command::ScheduleReception(session("BAK-NSM", "2024-04-26", "10:00", "12:00", 5)),
        Command::BookReception(booking(fx.reception, "Quliyeva Sevinc")),
        Command::CancelBooking(CancelBooking { reception_id: fx.reception, place: 1, reason: "İmtina".into() }),
        Command::RecordReception(record_of(fx.reception_today, vec![], vec![])),
        Command::CancelReception(CancelReception {
            reception_id: fx.reception,
            reason: "Ezamiyyət".into(),
            visitors_told: true,
        }),
        Command::RegisterAppeal(new_appeal("2024-04-18T08:00:00Z")),
        Command::ExtendAppeal(ExtendAppeal {
            appeal_id: fx.appeal,
            granted_at: at("2024-04-16T08:00:00Z"),
            extension: AppealExtension::MoreChecking,
            granted_by: "Rəis".into(),
            applicant_told: Delivery::Post,
        }),
        Command::ReportFromAppeal(ReportFromAppeal {
            appeal_id: fx.appeal,
            report: new_report("2024-04-16T09:00:00Z"),
        }),
        Command::AnswerAppeal(answer_of(fx.appeal, "2024-04-17T08:00:00Z")),
        Command::RateAppeal(RateAppeal { appeal_id: fx.appeal, rated_at: at("2024-04-18T08:00:00Z"), score: 5 }),
        Command::ReferAppeal(ReferAppeal {
            appeal_id: fx.referable,
            referred_at: at("2024-04-18T09:00:00Z"),
            to: Referral::Body { name: "Prokurorluq".into() },
            applicant_told: Delivery::Post,
        }),
        Command::PublishReport(NewPublication {
            scope: nsm(),
            period_from: day("2024-01-01"),
            period_to: day("2024-03-31"),
            kind: PublicationKind::BoardReport,
            note: String::new(),
        }),
        Command::AttachIdentifier(AttachIdentifier {
            subject: Subject { kind: SubjectKind::Case, id: fx.case },
            record: fx.case,
            identifier: phone("+994 50 123 45 67"),
            note: None,
        }),
        Command::RemoveIdentifier(RemoveIdentifier {
            subject: Subject { kind: SubjectKind::Case, id: fx.case },
            record: fx.case,
            key: IdentifierKey::of(&phone("+994501234567")),
            reason: "Typed on the wrong case".into(),
        }),
        Command::DecideLinking(DecideLinking {
            unit: nsm(),
            key: IdentifierKey::of(&phone("+994 12 404 04 04")),
            linking: Linking::Excluded,
            reason: "A bank's hotline".into(),
        }),
        Command::RequestCancellation(RequestCancellation {
            case_id: fx.case,
            ground: "recorded_twice".into(),
            text: "The same burglary".into(),
            evidence: "The other case's file".into(),
            requested_at: at("2024-04-18T10:00:00Z"),
        }),
        Command::DecideCancellation(DecideCancellation {
            case_id: fx.case,
            approve: false,
            note: "Two burglaries".into(),
            victim_told: None,
            decided_at: at("2024-04-18T11:00:00Z"),
        }),
        Command::RequestFreeze(crate::freezes::new_freeze(fx.defrauded.case, "2024-04-19T08:00:00Z")),
        Command::AnswerFreeze(crate::freezes::answer(fx.freeze_sent, FreezeOutcome::Refused, 0)),
        Command::ReturnFrozen(ReturnFrozen {
            case_id: fx.defrauded.case,
            request_id: fx.freeze_frozen,
            victim_id: fx.defrauded.victim,
            amount_qepik: 100_000,
            returned_at: at("2024-04-19T09:00:00Z"),
        }),
        april_refusals(),
        Command::ReviewSample(ReviewSample {
            sample_id: fx.sample,
            seq: fx.sampled_seq,
            finding: Finding::Correct,
            note: String::new(),
        }),
        Command::ConfirmSeries(ConfirmSeries { unit: nsm(), series: fx.series, note: "One ring".into() }),
        Command::SplitSeries(SplitSeries {
            unit: nsm(),
            series: fx.series,
            key: IdentifierKey::of(&phone(SERIES_PHONE)),
            reason: "A shared landlord's number".into(),
        }),
        Command::AcknowledgeSeriesAlert(AcknowledgeSeriesAlert { unit: nsm(), series: fx.series }),
        Command::WriteRelease(WriteRelease {
            unit: nsm(),
            titles: Texts { en: "A traffic check".into(), ..Texts::default() },
            texts: Texts { en: "Nasimi's officers checked drivers.".into(), ..Texts::default() },
            tags: Tags::default(),
        }),
        // The tree's changes last: the merge ends the district.
        Command::RenameUnit(RenameUnit {
            unit: nsm(),
            names: Names { en: "Nasimi Police".into(), ..Names::default() },
            effective_from: day("2024-04-01"),
        }),
        Command::SetUnitContacts(SetUnitContacts {
            unit: nsm(),
            contacts: Contacts {
                address: Names { az: "Bakı, Nəsimi rayonu, S. Vurğun küçəsi 5".into(), ..Names::default() },
                head: "Polkovnik Əliyev Rauf".into(),
                head_position: Names { az: "Rəis".into(), ..Names::default() },
                telephone: "+994 12 590 00 00".into(),
            },
            effective_from: day("2024-04-01"),
        }),
        Command::MoveUnit(MoveUnit { unit: nsm(), new_parent: unit("GNC"), effective_from: day("2024-04-01") }),
        Command::MergeUnits(MergeUnits { absorbed: nsm(), into: unit("BAK-YAS"), effective_from: day("2024-04-01") }),
        Command::AddUnit(NewUnit {
            code: unit("GNC-2"),
            parent: unit("GNC"),
            kind: UnitKind::District,
            agency: Agency::Mia,
            names: Names { en: "Ganja Second".into(), ..Names::default() },
            effective_from: UnitInForce::From(day("2024-04-01")),
        }),
    ]
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// How many kinds of command there are: `kind_index` must name each.
const COMMAND_KINDS: usize = 56;

/// Each kind of command's place in [`every_command`]. No arm is a wildcard:
/// a new command does not compile until it is given a place, and the test
/// then fails until `every_command` holds one of it.
fn kind_index(command: &Command) -> usize {
    match command {
        Command::RegisterReport(_) => 0,
        Command::ExtendCheck(_) => 1,
        Command::DecideReport(_) => 2,
        Command::RateHandling(_) => 3,
        Command::OpenCase(_) => 4,
        Command::AddPerson(_) => 5,
        Command::Reclassify(_) => 6,
        Command::DecideCase(_) => 7,
        Command::RecordDamage(_) => 8,
        Command::Reimburse(_) => 9,
        Command::RecordSeizure(_) => 10,
        Command::HoldAccountable(_) => 11,
        Command::RecordAccident(_) => 12,
        Command::RequestExamination(_) => 13,
        Command::CompleteExamination(_) => 14,
        Command::Annul(_) => 15,
        // System-wide, with no unit to be denied in: jurisdiction.rs shows who may adopt.
        Command::AdoptJurisdiction(_) => usize::MAX,
        Command::RenameUnit(_) => 16,
        Command::MoveUnit(_) => 17,
        Command::MergeUnits(_) => 18,
        Command::AddUnit(_) => 19,
        Command::ScheduleMeeting(_) => 20,
        Command::RecordMinutes(_) => 21,
        Command::IssueTask(_) => 22,
        Command::ReportOnTask(_) => 23,
        Command::ControlTask(_) => 24,
        Command::DraftRelease(_) => 25,
        Command::EditRelease(_) => 26,
        Command::ApproveRelease(_) => 27,
        Command::PublishRelease(_) => 28,
        Command::ScheduleReception(_) => 29,
        Command::BookReception(_) => 30,
        Command::CancelBooking(_) => 31,
        Command::CancelReception(_) => 32,
        Command::RecordReception(_) => 33,
        Command::RegisterAppeal(_) => 34,
        Command::ExtendAppeal(_) => 35,
        Command::ReportFromAppeal(_) => 36,
        Command::AnswerAppeal(_) => 37,
        Command::RateAppeal(_) => 38,
        Command::ReferAppeal(_) => 39,
        Command::PublishReport(_) => 40,
        Command::AttachIdentifier(_) => 41,
        Command::RemoveIdentifier(_) => 42,
        Command::SetUnitContacts(_) => 43,
        Command::DecideLinking(_) => 44,
        Command::RequestCancellation(_) => 45,
        Command::DecideCancellation(_) => 46,
        Command::RequestFreeze(_) => 47,
        Command::AnswerFreeze(_) => 48,
        Command::ReturnFrozen(_) => 49,
        Command::DrawSample(_) => 50,
        Command::ReviewSample(_) => 51,
        Command::ConfirmSeries(_) => 52,
        Command::SplitSeries(_) => 53,
        Command::AcknowledgeSeriesAlert(_) => 54,
        Command::WriteRelease(_) => 55,
    }
}

/// A staff role that may record the command somewhere, so that a refusal
/// elsewhere is about the unit alone; none for a change of the unit tree,
/// which is the system's.
fn role_for(command: &Command) -> Option<Role> {
    let action = Action::for_command(command);
    Role::ALL.into_iter().find(|r| r.is_staff() && allows(*r, action))
}

fn submission(command: Command) -> Submission {
    // The body's actor is not what the journal keeps: the principal is.
    Submission { actor: "someone else".into(), legal_ground: "CPC art. 207".into(), command, late: None }
}

fn record(env: &Env, by: &Principal, command: Command) -> Result<crimeboard_service::Receipt, ServiceError> {
    env.registry.record(by, &submission(command), &Audited::No)
}

fn assert_denied_without_a_trace(env: &Env, by: &Principal, command: Command) {
    let name = command.name();
    let before = env.registry.store().position().unwrap();
    match record(env, by, command) {
        Err(ServiceError::Denied(Denied::Scope)) => {}
        other => panic!("{name} by {} of {}: expected denied, got {other:?} on {}", by.role, by.home, env.db.name),
    }
    assert_eq!(env.registry.store().position().unwrap(), before, "{name} wrote to the journal on {}", env.db.name);
}

#[test]
fn every_command_is_denied_to_another_unit_and_recorded_for_its_own() {
    each_backend(|env| {
        let fx = fixtures(env);
        let commands = every_command(&fx);
        let mut kinds: Vec<usize> = commands.iter().map(kind_index).collect();
        kinds.sort();
        assert_eq!(kinds, (0..COMMAND_KINDS).collect::<Vec<_>>(), "one command of every kind");
        for command in commands {
            let name = command.name();
            let Some(role) = role_for(&command) else {
                assert_eq!(Action::for_command(&command), Action::ManageUnits, "{name}");
                for role in Role::ALL.into_iter().filter(|r| r.is_staff()) {
                    let before = env.registry.store().position().unwrap();
                    let refused = record(env, &person("insider", role, "AZ"), command.clone());
                    assert!(matches!(refused, Err(ServiceError::Denied(Denied::Role))), "{name} by a {role}");
                    assert_eq!(env.registry.store().position().unwrap(), before, "{name} by a {role} wrote");
                }
                let receipt = record(env, &as_system(&env.registry), command)
                    .unwrap_or_else(|e| panic!("{name} by the system: {e} on {}", env.db.name));
                // In the unit it changes, or the one it adds.
                let entry = env.registry.journal(Some(&receipt.unit), receipt.position - 1, 1).unwrap().remove(0);
                assert_eq!((entry.kind.as_str(), entry.actor.as_str()), (name, "tests"), "on {}", env.db.name);
                continue;
            };
            // An inspector inspects every unit: no unit is another's to them.
            if role != Role::Inspector {
                assert_denied_without_a_trace(env, &person("outsider", role, "BAK-YAS"), command.clone());
            }
            // The same role in the entries' own district records it, under its own login.
            let receipt = record(env, &person("insider", role, "BAK-NSM"), command)
                .unwrap_or_else(|e| panic!("{name} by a {role} of BAK-NSM: {e} on {}", env.db.name));
            let entry = env.registry.journal(Some("BAK-NSM"), receipt.position - 1, 1).unwrap().remove(0);
            assert_eq!((entry.kind.as_str(), entry.actor.as_str()), (name, "insider"), "on {}", env.db.name);
        }
    });
}

/// A case opened in one's own district from another district's report: the
/// act's own unit is allowed, the unit of the entry it reads is not.
#[test]
fn an_act_reading_another_units_entry_is_denied() {
    each_backend(|env| {
        let foreign = ok(env, Command::RegisterReport(new_report("2024-04-16T08:00:00Z"))).entity_id;
        let mut case = new_case(vec![foreign], "2024-04-17T09:00:00Z");
        case.unit = unit("BAK-YAS");
        let investigator = person("yas-investigator", Role::Investigator, "BAK-YAS");
        assert_denied_without_a_trace(env, &investigator, Command::OpenCase(case.clone()));
        // Their own district's report, and the case opens.
        let mut own = new_report("2024-04-16T09:00:00Z");
        own.unit = unit("BAK-YAS");
        let own = ok(env, Command::RegisterReport(own)).entity_id;
        case.report_ids = vec![own];
        record(env, &investigator, Command::OpenCase(case)).unwrap();
    });
}

/// In a batch, one act refused refuses the batch: nothing of it is written.
#[test]
fn a_batch_with_one_denied_act_writes_nothing() {
    each_backend(|env| {
        let officer = person("nsm-officer", Role::DutyOfficer, "BAK-NSM");
        let mut elsewhere = new_report("2024-04-18T08:00:00Z");
        elsewhere.unit = unit("BAK-YAS");
        let batch = [
            submission(Command::RegisterReport(new_report("2024-04-18T08:00:00Z"))),
            submission(Command::RegisterReport(elsewhere)),
        ];
        let err = env.registry.record_batch(&officer, &batch, None, &Audited::No).unwrap_err();
        assert!(matches!(err, ServiceError::Denied(Denied::Scope)), "{err}");
        assert_eq!(env.registry.store().position().unwrap(), 0, "on {}", env.db.name);
        assert!(env.registry.list(&Default::default()).unwrap().items.is_empty());
    });
}

/// The role comes before the rules: a role that may not record the act
/// learns nothing of what is wrong with it.
#[test]
fn a_role_that_may_not_record_is_denied_before_the_rules() {
    each_backend(|env| {
        let mut invalid = new_report("2030-01-01T00:00:00Z");
        invalid.summary = String::new();
        let expert = person("expert", Role::ForensicExpert, "BAK-NSM");
        let err = record(env, &expert, Command::RegisterReport(invalid)).unwrap_err();
        assert!(matches!(err, ServiceError::Denied(Denied::Role)), "{err}");
        assert!(env.registry.list(&Default::default()).unwrap().items.iter().all(|r| r.kind != EntityKind::Report));
    });
}

/// The unit tree is the system's to change.
#[test]
fn only_the_system_adds_units() {
    each_backend(|env| {
        let mut unit_ = crimeboard_service::demo_units().pop().unwrap();
        unit_.code = unit("BAK-NSM-X");
        unit_.parent = Some(unit("BAK-NSM"));
        let admin = person("admin", Role::Administrator, "AZ");
        let err = env
            .registry
            .add_units(&admin, std::slice::from_ref(&unit_), &env.registry.units_added_today("tests"))
            .unwrap_err();
        assert!(matches!(err, ServiceError::Denied(Denied::Role)), "{err}");
        assert!(env.registry.units().get(&unit_.code).is_none());
        env.registry
            .add_units(&as_system(&env.registry), &[unit_.clone()], &env.registry.units_added_today("tests"))
            .unwrap();
        assert!(env.registry.units().get(&unit_.code).is_some());
    });
}
