//! The Board's decisions as tasks: issued with an owner unit, a controller
//! and a due date, reported on by the owner, and closed, extended or
//! returned by the controller alone. A task may target indicators; the
//! figures it is measured by are derived facts (read from the counters by the
//! service and recorded with the act), never typed.

use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::meeting::Meeting;
use crate::units::UnitCode;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most co-executors or targets a task names.
pub const MAX_LIST: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ControlLevel {
    Minister,
    DeputyMinister,
    Department,
}

/// What a targeted indicator is expected to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Expected {
    /// Below the baseline.
    Decrease,
    /// Above the baseline.
    Increase,
    /// At most this value.
    AtMost { value: i64 },
    /// At least this value.
    AtLeast { value: i64 },
}

impl Expected {
    /// Whether `now` meets the expectation against `baseline`.
    pub fn is_met(self, baseline: i64, now: i64) -> bool {
        match self {
            Expected::Decrease => now < baseline,
            Expected::Increase => now > baseline,
            Expected::AtMost { value } => now <= value,
            Expected::AtLeast { value } => now >= value,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// A code of the counting rules in force.
    pub indicator: String,
    pub expected: Expected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    /// The meeting that decided it; a sub-task names its parent's.
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
    /// The task this one is a part of, for a unit below its owner.
    #[serde(default)]
    pub parent_task_id: Option<Uuid>,
    pub text: String,
    /// Who issued it, e.g. the Minister.
    pub authority: String,
    pub owner: UnitCode,
    #[serde(default)]
    pub co_executors: Vec<UnitCode>,
    /// The login of the one who may close, extend or return it.
    pub controller: String,
    pub due_on: NaiveDate,
    pub control_level: ControlLevel,
    #[serde(default)]
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    OnTrack,
    AtRisk,
    OffTrack,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReportKind {
    /// Progress so far: never changes the task's status.
    Interim,
    /// Done: the controller is asked to close it.
    AskClosure,
    /// The controller is asked for a later due date.
    AskExtension { new_due_on: NaiveDate, reason: String },
}

/// The owner's report back on a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskReport {
    pub task_id: Uuid,
    pub kind: ReportKind,
    pub text: String,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ControlDecision {
    /// Closes a task whose closure was asked; a target not met needs a justification.
    Close {
        #[serde(default)]
        justification: String,
    },
    /// Moves the due date: on the owner's request or on the controller's own initiative.
    Extend { new_due_on: NaiveDate, reason: String },
    /// Sends the task back to work.
    Return { reason: String },
}

/// The controller's decision on a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskControl {
    pub task_id: Uuid,
    pub decision: ControlDecision,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    ClosureAsked,
    ExtensionAsked,
    Closed,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] =
        [TaskStatus::Open, TaskStatus::ClosureAsked, TaskStatus::ExtensionAsked, TaskStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::ClosureAsked => "closure_asked",
            TaskStatus::ExtensionAsked => "extension_asked",
            TaskStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// An indicator as the counters held it for a unit and the units below it,
/// over a span of days, at a journal position: a derived fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reading {
    pub indicator: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub value: i64,
    pub position: i64,
}

/// A target with the figure it is measured from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskTarget {
    pub indicator: String,
    pub expected: Expected,
    /// Over the meeting's period under review, as it stood when the task was issued.
    pub baseline: Reading,
}

/// A report back as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportEntry {
    pub on: NaiveDate,
    pub kind: ReportKind,
    pub text: String,
    pub confidence: Confidence,
    /// The targets' indicators when closure was asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Reading>,
}

/// A controller's decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ControlEntry {
    pub on: NaiveDate,
    pub decision: ControlDecision,
    pub confidence: Confidence,
    /// The targets' indicators when the controller decided.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Reading>,
}

/// A task as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: Uuid,
    pub number: String,
    pub issued: NewTask,
    pub issued_on: NaiveDate,
    /// The meeting it came from.
    pub meeting_id: Option<Uuid>,
    pub status: TaskStatus,
    /// The due date now in force, moved by each extension.
    pub due_on: NaiveDate,
    pub extensions: u32,
    pub targets: Vec<TaskTarget>,
    pub reports: Vec<ReportEntry>,
    pub controls: Vec<ControlEntry>,
}

impl Task {
    pub fn owner(&self) -> &UnitCode {
        &self.issued.owner
    }

    pub fn owner_confidence(&self) -> Option<Confidence> {
        self.reports.last().map(|r| r.confidence)
    }

    pub fn controller_confidence(&self) -> Option<Confidence> {
        self.controls.last().map(|c| c.confidence)
    }

    /// The task as it stood when `day` began, from its own acts' days: none
    /// if it was not yet issued (issued on `day` or later, such as a task of
    /// a meeting held that day); else whether a decision recorded before
    /// `day` had closed it, and the due date then (the issued one, moved by
    /// each extension decided before `day`).
    pub fn standing_on(&self, day: NaiveDate) -> Option<Standing> {
        if self.issued_on >= day {
            return None;
        }
        let before = self.controls.iter().filter(|c| c.on < day);
        let mut standing = Standing { closed: false, due_on: self.issued.due_on };
        for c in before {
            match &c.decision {
                ControlDecision::Close { .. } => standing.closed = true,
                ControlDecision::Extend { new_due_on, .. } => standing.due_on = *new_due_on,
                ControlDecision::Return { .. } => {}
            }
        }
        Some(standing)
    }
}

/// A task as it stood at the beginning of a day ([`Task::standing_on`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub closed: bool,
    pub due_on: NaiveDate,
}

impl Standing {
    /// Open: not closed.
    pub fn open(self) -> bool {
        !self.closed
    }

    /// Overdue on the day: open and due before it.
    pub fn overdue_on(self, day: NaiveDate) -> bool {
        self.open() && self.due_on < day
    }
}

/// How near or past its due date a task is, as the follow-up escalates it:
/// seven days before, on the day, after it, and fourteen days after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EscalationStep {
    DueIn7,
    Due,
    Overdue,
    Overdue14,
}

impl EscalationStep {
    /// Days past the due date from which a task is `overdue_14`.
    pub const LONG_OVERDUE_DAYS: i64 = 14;
    /// Days before the due date from which a task is `due_in_7`.
    pub const WARNING_DAYS: i64 = 7;

    /// The step of a task due on `due_on`, on `today`; none for a closed
    /// task or one due more than a week ahead.
    pub fn of(due_on: NaiveDate, today: NaiveDate, status: TaskStatus) -> Option<EscalationStep> {
        if status == TaskStatus::Closed {
            return None;
        }
        let late = (today - due_on).num_days();
        match late {
            l if l >= Self::LONG_OVERDUE_DAYS => Some(EscalationStep::Overdue14),
            l if l > 0 => Some(EscalationStep::Overdue),
            0 => Some(EscalationStep::Due),
            l if -l <= Self::WARNING_DAYS => Some(EscalationStep::DueIn7),
            _ => None,
        }
    }

    /// How many units up the tree the task shows beyond its owner's queue:
    /// an overdue task in the parent's, one overdue fourteen days in the
    /// grandparent's too.
    pub fn levels_up(self) -> usize {
        match self {
            EscalationStep::DueIn7 | EscalationStep::Due => 0,
            EscalationStep::Overdue => 1,
            EscalationStep::Overdue14 => 2,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EscalationStep::DueIn7 => "due_in_7",
            EscalationStep::Due => "due",
            EscalationStep::Overdue => "overdue",
            EscalationStep::Overdue14 => "overdue_14",
        }
    }
}

/// The span a target is measured over when it is evaluated on `today`: as
/// many days as the baseline's period, ending on the last whole day before.
pub fn evaluation_span(baseline: &Reading, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let days = (baseline.to - baseline.from).num_days();
    let to = today.pred_opt().unwrap_or(today);
    (to - Duration::days(days), to)
}

pub(crate) fn check_new(
    t: &NewTask,
    meeting: Option<&Meeting>,
    parent: Option<&Task>,
    ctx: &Context,
    checks: &mut Checks,
) {
    checks.absorb(ctx.units.require("owner", &t.owner));
    ctx.check_text(checks, "text", &t.text, 8000);
    ctx.check_text(checks, "authority", &t.authority, 200);
    ctx.check_text(checks, "controller", &t.controller, 200);
    checks.check(t.co_executors.len() <= MAX_LIST, || {
        Violation::new("co_executors", "list.too_long").with("max", MAX_LIST)
    });
    for (i, unit) in t.co_executors.iter().enumerate() {
        checks.absorb(ctx.units.require(&format!("co_executors[{i}]"), unit));
        checks.check(unit != &t.owner, || Violation::new(format!("co_executors[{i}]"), "task.owner_as_co_executor"));
    }
    if let Some(m) = meeting {
        let held_on = m.scheduled.held_on;
        checks.check(t.due_on >= held_on, || {
            Violation::new("due_on", "task.due_before_meeting").with("held_on", held_on)
        });
    }
    if let Some(p) = parent {
        // Named again, so the sub-task's own acts say which meeting it serves.
        checks.check(t.meeting_id == p.meeting_id, || Violation::new("meeting_id", "task.meeting_of_parent"));
        checks.check(p.status != TaskStatus::Closed, || Violation::new("parent_task_id", "task.closed"));
        let below = &t.owner != p.owner() && ctx.units.is_within(&t.owner, p.owner());
        checks.check(below, || Violation::new("owner", "task.owner_not_below_parent").with("parent", p.owner()));
        checks
            .check(t.due_on <= p.due_on, || Violation::new("due_on", "task.due_after_parent").with("parent", p.due_on));
    }
    checks.check(t.targets.len() <= MAX_LIST, || Violation::new("targets", "list.too_long").with("max", MAX_LIST));
    checks.check(t.targets.is_empty() || meeting.is_some(), || Violation::new("targets", "task.targets_need_meeting"));
}

/// The targeted indicators are codes of the counting rules in force, which
/// the service knows and asks about through `known`.
pub fn check_targets(t: &NewTask, known: &dyn Fn(&str) -> bool, checks: &mut Checks) {
    for (i, target) in t.targets.iter().enumerate() {
        checks.check(known(&target.indicator), || {
            Violation::new(format!("targets[{i}].indicator"), "indicator.unknown").with("code", &target.indicator)
        });
    }
}

pub(crate) fn check_report(task: &Task, r: &TaskReport, ctx: &Context, checks: &mut Checks) {
    checks.check(task.status != TaskStatus::Closed, || Violation::new("task_id", "task.closed"));
    ctx.check_text(checks, "text", &r.text, 8000);
    match &r.kind {
        ReportKind::Interim => {}
        ReportKind::AskClosure | ReportKind::AskExtension { .. } => {
            checks.check(task.status == TaskStatus::Open, || {
                Violation::new("kind", "task.awaits_controller").with("status", task.status.as_str())
            });
        }
    }
    if let ReportKind::AskExtension { new_due_on, reason } = &r.kind {
        check_extension(task, *new_due_on, reason, "kind", checks);
    }
}

fn check_extension(task: &Task, new_due_on: NaiveDate, reason: &str, at: &str, checks: &mut Checks) {
    checks.check(new_due_on > task.due_on, || {
        Violation::new(format!("{at}.new_due_on"), "task.extension_not_later").with("due_on", task.due_on)
    });
    checks.check(!reason.trim().is_empty(), || Violation::new(format!("{at}.reason"), "text.required"));
    checks.check(reason.chars().count() <= 4000, || {
        Violation::new(format!("{at}.reason"), "text.too_long").with("max", 4000)
    });
}

/// The controller may close a task only when its closure was asked, extend
/// it whenever it is not closed (on the owner's request or of their own
/// accord), and return it when the owner awaits a decision.
pub(crate) fn check_control(task: &Task, c: &TaskControl, checks: &mut Checks) {
    checks.check(task.status != TaskStatus::Closed, || Violation::new("task_id", "task.closed"));
    match &c.decision {
        ControlDecision::Close { .. } => {
            let asked = task.status == TaskStatus::ClosureAsked;
            checks.check(asked || task.status == TaskStatus::Closed, || {
                Violation::new("decision.kind", "task.closure_not_asked")
            });
        }
        ControlDecision::Extend { new_due_on, reason } => {
            check_extension(task, *new_due_on, reason, "decision", checks)
        }
        ControlDecision::Return { reason } => {
            let waits = matches!(task.status, TaskStatus::ClosureAsked | TaskStatus::ExtensionAsked);
            checks.check(waits || task.status == TaskStatus::Closed, || {
                Violation::new("decision.kind", "task.nothing_to_return")
            });
            checks.check(!reason.trim().is_empty(), || Violation::new("decision.reason", "text.required"));
        }
    }
}

/// What closing a task needs beyond its status, from facts only the
/// service has: no sub-task still open, and a written justification when a
/// target is not met (`met` holds each target's evaluation).
pub fn check_close(c: &TaskControl, open_subtasks: usize, met: &[bool], checks: &mut Checks) {
    let ControlDecision::Close { justification } = &c.decision else { return };
    checks.check(open_subtasks == 0, || {
        Violation::new("decision.kind", "task.subtasks_open").with("open", open_subtasks)
    });
    let missed = met.iter().filter(|m| !**m).count();
    checks.check(missed == 0 || !justification.trim().is_empty(), || {
        Violation::new("decision.justification", "task.justification_required").with("missed", missed)
    });
    checks.check(justification.chars().count() <= 4000, || {
        Violation::new("decision.justification", "text.too_long").with("max", 4000)
    });
}

/// A new task issued on `on`; `baselines` are its targets' readings, in
/// their order. It depends on nothing but the act, so replaying the task's
/// own acts rebuilds it.
pub(crate) fn issue(id: Uuid, number: &str, t: &NewTask, baselines: &[Reading], on: NaiveDate) -> Task {
    let targets = t
        .targets
        .iter()
        .zip(baselines)
        .map(|(target, baseline)| TaskTarget {
            indicator: target.indicator.clone(),
            expected: target.expected,
            baseline: baseline.clone(),
        })
        .collect();
    Task {
        id,
        number: number.to_string(),
        issued: t.clone(),
        issued_on: on,
        meeting_id: t.meeting_id,
        status: TaskStatus::Open,
        due_on: t.due_on,
        extensions: 0,
        targets,
        reports: Vec::new(),
        controls: Vec::new(),
    }
}

pub(crate) fn report(task: &mut Task, r: &TaskReport, readings: &[Reading], on: NaiveDate) {
    match &r.kind {
        ReportKind::Interim => {}
        ReportKind::AskClosure => task.status = TaskStatus::ClosureAsked,
        ReportKind::AskExtension { .. } => task.status = TaskStatus::ExtensionAsked,
    }
    task.reports.push(ReportEntry {
        on,
        kind: r.kind.clone(),
        text: r.text.trim().to_string(),
        confidence: r.confidence,
        readings: readings.to_vec(),
    });
}

pub(crate) fn control(task: &mut Task, c: &TaskControl, readings: &[Reading], on: NaiveDate) {
    match &c.decision {
        ControlDecision::Close { .. } => task.status = TaskStatus::Closed,
        ControlDecision::Extend { new_due_on, .. } => {
            task.due_on = *new_due_on;
            task.extensions += 1;
            task.status = TaskStatus::Open;
        }
        ControlDecision::Return { .. } => task.status = TaskStatus::Open,
    }
    task.controls.push(ControlEntry {
        on,
        decision: c.decision.clone(),
        confidence: c.confidence,
        readings: readings.to_vec(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_ladder_walks_from_a_week_before_to_fourteen_days_after() {
        let due = day("2024-05-20");
        let step = |today| EscalationStep::of(due, day(today), TaskStatus::Open);
        assert_eq!(step("2024-05-12"), None);
        assert_eq!(step("2024-05-13"), Some(EscalationStep::DueIn7));
        assert_eq!(step("2024-05-19"), Some(EscalationStep::DueIn7));
        assert_eq!(step("2024-05-20"), Some(EscalationStep::Due));
        assert_eq!(step("2024-05-21"), Some(EscalationStep::Overdue));
        assert_eq!(step("2024-06-02"), Some(EscalationStep::Overdue));
        assert_eq!(step("2024-06-03"), Some(EscalationStep::Overdue14));
        assert_eq!(EscalationStep::of(due, day("2024-06-03"), TaskStatus::Closed), None);
        assert_eq!(
            EscalationStep::of(due, day("2024-06-03"), TaskStatus::ClosureAsked),
            Some(EscalationStep::Overdue14)
        );
    }

    fn decided(on: &str, decision: ControlDecision) -> ControlEntry {
        ControlEntry { on: day(on), decision, confidence: Confidence::OnTrack, readings: vec![] }
    }

    #[test]
    fn a_task_stands_on_a_day_as_its_acts_before_that_day_left_it() {
        let new = NewTask {
            meeting_id: None,
            parent_task_id: None,
            text: "t".into(),
            authority: "Minister".into(),
            owner: UnitCode::parse("BAK").unwrap(),
            co_executors: vec![],
            controller: "c".into(),
            due_on: day("2024-05-31"),
            control_level: ControlLevel::Minister,
            targets: vec![],
        };
        let mut t = issue(Uuid::nil(), "BT-1", &new, &[], day("2024-04-19"));
        t.controls
            .push(decided("2024-05-30", ControlDecision::Extend { new_due_on: day("2024-06-30"), reason: "r".into() }));
        t.controls.push(decided("2024-07-10", ControlDecision::Close { justification: String::new() }));
        assert_eq!(t.standing_on(day("2024-04-19")), None, "not before the day it was issued");
        let on = |d: &str| t.standing_on(day(d)).unwrap();
        assert_eq!(on("2024-04-20"), Standing { closed: false, due_on: day("2024-05-31") });
        assert!(!on("2024-05-30").overdue_on(day("2024-05-30")), "the extension of the day is not yet in force");
        assert_eq!(on("2024-05-31").due_on, day("2024-06-30"));
        assert!(!on("2024-06-30").overdue_on(day("2024-06-30")), "due that day is not yet overdue");
        assert!(on("2024-07-01").overdue_on(day("2024-07-01")));
        assert!(on("2024-07-10").open(), "closed during the day, still open when it began");
        assert!(!on("2024-07-11").open() && !on("2024-07-11").overdue_on(day("2024-07-11")));
    }

    #[test]
    fn each_expectation_is_met_one_way() {
        assert!(Expected::Decrease.is_met(10, 9) && !Expected::Decrease.is_met(10, 10));
        assert!(Expected::Increase.is_met(10, 11) && !Expected::Increase.is_met(10, 10));
        assert!(Expected::AtMost { value: 5 }.is_met(100, 5) && !Expected::AtMost { value: 5 }.is_met(0, 6));
        assert!(Expected::AtLeast { value: 5 }.is_met(0, 5) && !Expected::AtLeast { value: 5 }.is_met(100, 4));
    }

    #[test]
    fn a_target_is_evaluated_over_as_many_days_ending_yesterday() {
        let baseline =
            Reading { indicator: "x".into(), from: day("2024-01-01"), to: day("2024-03-31"), value: 0, position: 0 };
        assert_eq!(evaluation_span(&baseline, day("2024-07-01")), (day("2024-04-01"), day("2024-06-30")));
    }
}
