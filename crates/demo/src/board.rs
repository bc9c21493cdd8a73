//! The seed's Board at work: the Ministry's Collegium of 19 April 2024 on
//! the first quarter (the press release), its agenda, rapporteurs and
//! minutes, the Minister's tasks with their owners, co-executors,
//! controller and due dates, and their follow-up until the story's end:
//! one task and a sub-task closed on time, one extended on its owner's
//! request, one returned and left overdue, a sub-task never reported on,
//! and the next quarter's meeting scheduled, whose briefing pack counts
//! them.
//!
//! A Board's act is dated by the day it is recorded (`Assigned::recorded_on`),
//! so each is recorded through a registry over the same store whose clock
//! stands at ten in the morning of its day in the story, by the system
//! principal `demo` like every act of the demo. Every act is dated on or
//! before the story's last day, which the demo's clock is past, and the
//! due dates are chosen so that on any later day the same tasks are closed,
//! extended or overdue: every role's follow-up has something to show. The
//! acts move no figure: the Board's report is the story's.

use crate::clock::{Local, MovedClock};
use crate::emit::DEMO;
use anyhow::Result;
use chrono::NaiveDate;
use crimeboard_domain::Command;
use crimeboard_domain::meeting::{AgendaItem, Attendee, MeetingKind, MeetingMinutes, NewMeeting, Rapporteur};
use crimeboard_domain::release::PublishRelease;
use crimeboard_domain::task::{
    Confidence, ControlDecision, ControlLevel, Expected, NewTask, ReportKind, Target, TaskControl, TaskReport,
};
use crimeboard_domain::units::UnitCode;
use crimeboard_service::audit::Audited;
use crimeboard_service::{Registry, Submission};
use uuid::Uuid;

/// The demo accounts that keep the Board's work (`crimeboard demo`).
const SECRETARY: &str = "secretary";
const CONTROLLER: &str = "controller";
const GROUND: &str = "Daxili İşlər Nazirliyinin Kollegiyası haqqında Əsasnamə";

/// What the Board's story recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct BoardSummary {
    pub meetings: u64,
    pub tasks: u64,
    pub acts: u64,
    /// The press release on the first quarter's meeting, published.
    pub release: Option<Uuid>,
}

/// Records through a registry on `store`'s data whose clock the story moves.
struct Recorder {
    story: MovedClock,
    summary: BoardSummary,
}

impl Recorder {
    fn new(registry: &Registry) -> Result<Recorder> {
        Ok(Recorder { story: MovedClock::over(registry)?, summary: BoardSummary::default() })
    }

    /// Moves the story's clock to ten in the morning of `on`, Baku time.
    fn set_clock(&self, on: NaiveDate) {
        self.story.set(Local { day: on, minute: 10 * 60 });
    }

    /// Records `command` at ten in the morning of `on`, Baku time.
    fn on(&mut self, on: NaiveDate, actor: &str, command: Command) -> Result<Uuid> {
        self.set_clock(on);
        match &command {
            Command::ScheduleMeeting(_) => self.summary.meetings += 1,
            Command::IssueTask(_) => self.summary.tasks += 1,
            _ => {}
        }
        let submission = Submission { actor: actor.into(), legal_ground: GROUND.into(), command, late: None };
        let receipt = self.story.registry.record(&self.story.registry.system(DEMO), &submission, &Audited::No)?;
        self.summary.acts += 1;
        Ok(receipt.entity_id)
    }

    fn report(
        &mut self,
        on: NaiveDate,
        task_id: Uuid,
        kind: ReportKind,
        text: &str,
        confidence: Confidence,
    ) -> Result<()> {
        let report = TaskReport { task_id, kind, text: text.into(), confidence };
        self.on(on, "chief", Command::ReportOnTask(report)).map(drop)
    }

    /// The press service's release of `meeting` on `on`: the system's draft,
    /// approved as drafted and published, each an act of its own.
    fn release(&mut self, on: NaiveDate, meeting: Uuid) -> Result<()> {
        self.set_clock(on);
        let by = self.story.registry.system(DEMO);
        let release = self.story.registry.approved_release(&by, meeting, GROUND)?;
        let publish = PublishRelease { release_id: release.id, at: None };
        let submission = Submission {
            actor: DEMO.into(),
            legal_ground: GROUND.into(),
            command: Command::PublishRelease(publish),
            late: None,
        };
        self.story.registry.record(&by, &submission, &Audited::No)?;
        self.summary.acts += 3;
        self.summary.release = Some(release.id);
        Ok(())
    }

    fn control(
        &mut self,
        on: NaiveDate,
        task_id: Uuid,
        decision: ControlDecision,
        confidence: Confidence,
    ) -> Result<()> {
        let control = TaskControl { task_id, decision, confidence };
        self.on(on, CONTROLLER, Command::ControlTask(control)).map(drop)
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a day of the story")
}

fn unit(code: &str) -> UnitCode {
    UnitCode::parse(code).expect("a unit of the demo tree")
}

/// The press release's agenda, each item with the counting rules'
/// indicators that fit it and the units it concerns.
fn agenda() -> Vec<AgendaItem> {
    let item = |topic: &str, indicators: &[&str], units: &[&str]| AgendaItem {
        topic: topic.into(),
        indicators: indicators.iter().map(|c| c.to_string()).collect(),
        units: units.iter().map(|u| unit(u)).collect(),
    };
    vec![
        item(
            "İnformasiya texnologiyalarından istifadə etməklə törədilən cinayətlərlə mübarizənin vəziyyəti",
            &["it_enabled"],
            &["BAK"],
        ),
        item(
            "Cinayət müraciətlərinə baxılmasının vəziyyəti",
            &["reports_received", "reports_decided", "reports_decided_in_time"],
            &["GNC", "SMQ"],
        ),
        item(
            "Cinayətlərin kriminalistik metod və vasitələrlə açılması",
            &["examinations_done", "examinations_identified"],
            &["BAK-NSM"],
        ),
    ]
}

fn rapporteurs() -> Vec<Rapporteur> {
    let r = |name: &str, position: &str, code: &str, item| Rapporteur {
        full_name: name.into(),
        position: position.into(),
        unit: unit(code),
        item,
    };
    vec![
        r("Polis general-mayoru Rauf Həsənov", "Bakı şəhər Baş Polis İdarəsinin rəisi", "BAK", 0),
        r("Polis polkovniki Elçin Quliyev", "Gəncə şəhər Polis İdarəsinin rəisi", "GNC", 1),
        r("Polis polkovniki Azər Məmmədli", "Sumqayıt şəhər Polis İdarəsinin rəisi", "SMQ", 1),
        r("Polis polkovniki Samir Əsgərov", "Nəsimi rayon Polis İdarəsinin rəisi", "BAK-NSM", 2),
    ]
}

fn first_quarter_meeting() -> NewMeeting {
    NewMeeting {
        // The country's Board: its report (crimes the Prosecutor's Office recorded too) is the one the press release states.
        unit: unit("AZ"),
        held_on: day(2024, 4, 19),
        kind: MeetingKind::Quarterly,
        period_from: day(2024, 1, 1),
        period_to: day(2024, 3, 31),
        title: "2024-cü ilin birinci rübünün yekunlarına həsr olunmuş Kollegiya iclası".into(),
        agenda: agenda(),
        rapporteurs: rapporteurs(),
    }
}

fn minutes(meeting_id: Uuid) -> MeetingMinutes {
    let present = |name: &str, position: &str, code: Option<&str>, present| Attendee {
        full_name: name.into(),
        position: position.into(),
        unit: code.map(unit),
        present,
    };
    let mut attendance = vec![
        present("Nazir", "Daxili işlər naziri", Some("MIA"), true),
        present("Nazirin birinci müavini", "Nazirin birinci müavini", Some("MIA"), true),
        present("Nazirin müavini", "Nazirin müavini", Some("MIA"), false),
    ];
    attendance.extend(rapporteurs().into_iter().map(|r| Attendee {
        full_name: r.full_name,
        position: r.position,
        unit: Some(r.unit),
        present: true,
    }));
    MeetingMinutes {
        meeting_id,
        attendance,
        minutes:
            "Birinci rübdə Daxili İşlər Nazirliyi və Prokurorluq tərəfindən qeydə alınmış 8930 cinayətin 85 faizi \
                  açılmışdır. Gündəlik məsələləri üzrə Baş İdarənin, şəhər və rayon polis orqanlarının rəisləri \
                  görülmüş işlər, əldə olunmuş nəticələr və mövcud nöqsanların aradan qaldırılması üçün tədbirlər \
                  barədə məruzə etmişlər. Nazir informasiya texnologiyaları ilə törədilən cinayətlərin profilaktikası, \
                  cinayət müraciətlərinə həssaslıqla baxılması, fiziki şəxslərin qanuni mənafelərinin müdafiəsi və \
                  kriminalistik metodlarla cinayətlərin açılmasında peşəkarlığın artırılması üzrə tapşırıqlar \
                  vermişdir."
                .into(),
    }
}

fn task(meeting_id: Uuid, text: &str, owner: &str, co_executors: &[&str], due_on: NaiveDate) -> NewTask {
    NewTask {
        meeting_id: Some(meeting_id),
        parent_task_id: None,
        text: text.into(),
        authority: "Daxili işlər naziri".into(),
        owner: unit(owner),
        co_executors: co_executors.iter().map(|u| unit(u)).collect(),
        controller: CONTROLLER.into(),
        due_on,
        control_level: ControlLevel::Minister,
        targets: vec![],
    }
}

fn close(justification: &str) -> ControlDecision {
    ControlDecision::Close { justification: justification.into() }
}

/// Records the meeting of 19 April 2024, its tasks and their follow-up to
/// the story's end, and schedules the next quarter's meeting.
pub(crate) fn generate(registry: &Registry) -> Result<BoardSummary> {
    let mut r = Recorder::new(registry)?;
    let meeting = r.on(day(2024, 4, 10), SECRETARY, Command::ScheduleMeeting(first_quarter_meeting()))?;
    let held = day(2024, 4, 19);
    r.on(held, SECRETARY, Command::RecordMinutes(minutes(meeting)))?;

    // Prevention and awareness of IT crime, measured by the crimes committed with IT: closed on time.
    let mut awareness = task(
        meeting,
        "İnformasiya texnologiyaları ilə törədilən cinayətlərin profilaktikası üçün müasir dövrün tələblərinə \
         cavab verən maarifləndirici materiallar hazırlanmaqla əhaliyə çatdırılması, təbliğat işinin \
         effektivliyinin artırılması",
        "BAK",
        &["GNC", "SMQ"],
        day(2024, 6, 30),
    );
    awareness.targets = vec![Target { indicator: "it_enabled".into(), expected: Expected::Decrease }];
    let awareness = r.on(held, SECRETARY, Command::IssueTask(awareness))?;
    let mut leaflets = task(
        meeting,
        "Nəsimi rayonunun təhsil müəssisələrində kiberdələduzluğa qarşı maarifləndirici görüşlərin keçirilməsi",
        "BAK-NSM",
        &[],
        day(2024, 6, 14),
    );
    leaflets.parent_task_id = Some(awareness);
    leaflets.control_level = ControlLevel::Department;
    let leaflets = r.on(held, SECRETARY, Command::IssueTask(leaflets))?;

    // Crime reports handled with care in every territorial body: extended on the owner's request.
    let mut reports = task(
        meeting,
        "Hər bir ərazi polis orqanında cinayət müraciətlərinə həssaslıqla baxılmasının, vətəndaş qəbullarının \
         yüksək səviyyədə təşkilinin təmin edilməsi",
        "BAK",
        &["GNC", "SMQ"],
        day(2024, 6, 30),
    );
    reports.control_level = ControlLevel::DeputyMinister;
    let reports = r.on(held, SECRETARY, Command::IssueTask(reports))?;

    // New ways to protect individuals' legal interests: asked closed too soon, returned, overdue.
    let mut interests = task(
        meeting,
        "Fiziki şəxslərin qanuni mənafelərinin qanunsuz əməllərdən etibarlı müdafiəsinə dair yeni yanaşmaların \
         tətbiqi",
        "GNC",
        &["SMQ"],
        day(2024, 6, 15),
    );
    interests.control_level = ControlLevel::DeputyMinister;
    let interests = r.on(held, SECRETARY, Command::IssueTask(interests))?;

    // Professionalism in solving crimes by forensic methods: due at the year's end, its sub-task overdue.
    let forensics = task(
        meeting,
        "Kriminalistik metod və vasitələrlə cinayətlərin açılması sahəsində qabaqcıl beynəlxalq təcrübə əsasında \
         əməkdaşların peşəkarlıq səviyyəsinin artırılması",
        "BAK",
        &[],
        day(2024, 12, 31),
    );
    let forensics = r.on(held, SECRETARY, Command::IssueTask(forensics))?;
    let mut training = task(
        meeting,
        "Nəsimi rayon Polis İdarəsinin əməliyyat və istintaq əməkdaşları üçün kriminalistika üzrə təlimlərin \
         keçirilməsi",
        "BAK-NSM",
        &[],
        day(2024, 6, 28),
    );
    training.parent_task_id = Some(forensics);
    training.control_level = ControlLevel::Department;
    r.on(held, SECRETARY, Command::IssueTask(training))?;

    // The press release on the meeting, drafted from the figures, approved and published the next working day.
    r.release(day(2024, 4, 22), meeting)?;

    // The follow-up, in the order of its days.
    r.report(day(2024, 5, 15), interests, ReportKind::Interim, "İşçi qrup yaradılıb", Confidence::AtRisk)?;
    r.report(day(2024, 6, 5), forensics, ReportKind::Interim, "Təlim proqramı hazırlanır", Confidence::OnTrack)?;
    r.report(day(2024, 6, 7), interests, ReportKind::AskClosure, "Təkliflər hazırlanıb", Confidence::OnTrack)?;
    r.report(day(2024, 6, 10), leaflets, ReportKind::AskClosure, "22 məktəbdə görüş keçirilib", Confidence::OnTrack)?;
    r.control(day(2024, 6, 12), leaflets, close(""), Confidence::OnTrack)?;
    let returned =
        ControlDecision::Return { reason: "Yeni yanaşmaların tətbiqi barədə sübut təqdim edilməyib".into() };
    r.control(day(2024, 6, 13), interests, returned, Confidence::OffTrack)?;
    let later = ReportKind::AskExtension {
        new_due_on: day(2024, 9, 30),
        reason: "Rayon polis orqanlarında vətəndaş qəbulu otaqlarının təmiri davam edir".into(),
    };
    r.report(day(2024, 6, 20), reports, later, "Qəbul otaqlarının yarısı təmir olunub", Confidence::AtRisk)?;
    let extended = ControlDecision::Extend {
        new_due_on: day(2024, 9, 30),
        reason: "Təmir işlərinin qrafiki nəzərə alınıb".into(),
    };
    r.control(day(2024, 6, 24), reports, extended, Confidence::AtRisk)?;
    r.report(day(2024, 6, 25), awareness, ReportKind::AskClosure, "Materiallar yayılıb", Confidence::OnTrack)?;
    let justified = close(
        "Maarifləndirmə materialları hazırlanıb və yayılıb; ikinci rübdə cinayətlərin mövsümi artımı \
         göstəricinin dəyişməsini izah edir",
    );
    r.control(day(2024, 6, 28), awareness, justified, Confidence::OnTrack)?;

    // The next quarter's meeting, scheduled: its briefing pack counts the tasks above on its day.
    let mut next = first_quarter_meeting();
    next.held_on = day(2024, 7, 19);
    next.period_from = day(2024, 4, 1);
    next.period_to = day(2024, 6, 30);
    next.title = "2024-cü ilin birinci yarımilinin yekunlarına həsr olunmuş Kollegiya iclası".into();
    r.on(day(2024, 6, 28), SECRETARY, Command::ScheduleMeeting(next))?;
    Ok(r.summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crimeboard_domain::task::{EscalationStep, TaskStatus};
    use crimeboard_service::{SheetFilter, demo_units};
    use crimeboard_stats::briefing::UnitTasks;
    use crimeboard_store::testing::TestStore;
    use std::sync::Arc;

    /// The demo's registry on a day in October 2024, with the demo's units
    /// and no registers: the Board's acts need none.
    fn registry_on(now: &str) -> (TestStore, Registry) {
        let db = TestStore::sqlite();
        let now: chrono::DateTime<chrono::Utc> = now.parse().unwrap();
        let registry = Registry::new(db.store.clone(), Arc::new(move || now)).unwrap();
        registry.add_units(&registry.system("tests"), &demo_units(), &registry.units_added_today("tests")).unwrap();
        (db, registry)
    }

    #[test]
    fn the_board_leaves_tasks_closed_extended_and_overdue_in_the_follow_up_and_counted_in_the_next_briefing() {
        let (_db, registry) = registry_on("2024-10-16T08:00:00Z");
        let summary = generate(&registry).unwrap();
        assert_eq!((summary.meetings, summary.tasks, summary.acts), (2, 6, 22));
        let release = registry.release(summary.release.unwrap()).unwrap();
        assert_eq!(release.status, crimeboard_domain::release::ReleaseStatus::Published);
        assert_eq!(release.published_on, Some(day(2024, 4, 22)));
        assert!(!release.figures.is_empty(), "the release states the quarter's figures");

        let sheet = registry.task_sheet(&SheetFilter { per_page: Some(100), ..SheetFilter::default() }).unwrap();
        let mut lines: Vec<(&str, TaskStatus, String, u32, Option<EscalationStep>)> = sheet
            .items
            .iter()
            .map(|l| (l.owner.as_str(), l.status, l.due_on.to_string(), l.extensions, l.step))
            .collect();
        lines.sort_by(|a, b| (a.0, &a.2).cmp(&(b.0, &b.2)));
        use EscalationStep::Overdue14;
        use TaskStatus::{Closed, Open};
        assert_eq!(
            lines,
            vec![
                ("BAK", Closed, "2024-06-30".into(), 0, None),
                ("BAK", Open, "2024-09-30".into(), 1, Some(Overdue14)),
                ("BAK", Open, "2024-12-31".into(), 0, None),
                ("BAK-NSM", Closed, "2024-06-14".into(), 0, None),
                ("BAK-NSM", Open, "2024-06-28".into(), 0, Some(Overdue14)),
                ("GNC", Open, "2024-06-15".into(), 0, Some(Overdue14)),
            ]
        );
        assert!(sheet.items.iter().all(|l| l.controller == CONTROLLER));
        // The demo chief's district has its own overdue sub-task; the Ministry sees the city's escalate.
        let queue = |u: &str| registry.task_queue(u, None, None).unwrap().items;
        assert_eq!(queue("BAK-NSM").len(), 1);
        assert!(queue("MIA").iter().any(|l| l.escalated && l.owner.as_str() == "GNC"));

        let meetings = registry
            .list(&crimeboard_service::ListParams {
                kind: Some(crimeboard_domain::EntityKind::Meeting),
                ..Default::default()
            })
            .unwrap();
        let ids: Vec<Uuid> = meetings.items.iter().map(|m| m.id).collect();
        let (first, next) = {
            let m0 = registry.meeting(ids[0]).unwrap();
            if m0.scheduled.held_on == day(2024, 4, 19) { (ids[0], ids[1]) } else { (ids[1], ids[0]) }
        };
        assert_eq!(registry.meeting(first).unwrap().status(), "held");
        assert_eq!(registry.commitments_memo(first).unwrap().tasks.len(), 6);
        // On 19 July the first quarter's tasks stand: the awareness task closed, the reports extended,
        // the interests returned and overdue, the training overdue.
        let pack = registry.briefing_for_meeting(next, None).unwrap();
        let tasks: Vec<(&str, Option<UnitTasks>)> = pack.units.iter().map(|u| (u.unit.as_str(), u.tasks)).collect();
        let counted = |open, overdue| Some(UnitTasks { open, overdue });
        assert_eq!(
            tasks,
            vec![("BAK", counted(2, 0)), ("GNC", counted(2, 1)), ("SMQ", counted(2, 1)), ("BAK-NSM", counted(1, 1)),]
        );
    }
}
