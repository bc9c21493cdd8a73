//! The Board at work: what its acts need beyond the domain's rules (the
//! counting rules in force, the counters, the sub-tasks in the index, who
//! the controller is), and the follow-up reads: a unit's task queue with the
//! escalation ladder, the controller's sheet, a meeting's commitments memo
//! and a task's progress against its targets.
//!
//! Tasks are few (a Board issues tens a quarter), so the reads take every
//! task from the register's index, as the list pages it, and sort and filter
//! them here; the ladder is the domain's pure `EscalationStep::of`.

use crate::audit::Audited;
use crate::figures::sum_query;
use crate::{Jurisdiction, Registry, Result, ServiceError, Submission, entity_of, subtree};
use chrono::NaiveDate;
use crimeboard_domain::access::{Denied, Principal, Role};
use crimeboard_domain::error::{Checks, Violation};
use crimeboard_domain::meeting::{self, Meeting};
use crimeboard_domain::release::{ApproveRelease, Draft, DraftRelease, Figure, Release, ReleaseStatus};
use crimeboard_domain::task::{
    self, Confidence, ControlDecision, EscalationStep, Reading, ReportKind, Task, TaskStatus,
};
use crimeboard_domain::units::{Language, UnitCode, UnitTree};
use crimeboard_domain::{Command, Context, Entity, EntityKind, Loaded};
use crimeboard_stats::Period;
use crimeboard_stats::briefing::{BriefingItem, BriefingRequest, UnitTasks};
use crimeboard_stats::compare::Change;
use crimeboard_store::ListQuery;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The most tasks the follow-up reads take from the index.
pub const MAX_TASKS: u64 = 10_000;

/// Whether the act's state dates itself by the day it is recorded (kept in
/// its `Assigned`, so replay gives the same).
pub(crate) fn dates_itself(command: &Command) -> bool {
    matches!(
        command,
        Command::RecordMinutes(_)
            | Command::IssueTask(_)
            | Command::ReportOnTask(_)
            | Command::ControlTask(_)
            | Command::DraftRelease(_)
            | Command::ApproveRelease(_)
            | Command::PublishRelease(_)
            | Command::BookReception(_)
            | Command::CancelReception(_)
            | Command::RecordReception(_)
            | Command::PublishReport(_)
            | Command::DrawSample(_)
            | Command::ReviewSample(_)
    )
}

fn export_lang(lang: Language) -> crimeboard_export::Lang {
    match lang {
        Language::Az => crimeboard_export::Lang::Az,
        Language::Ru => crimeboard_export::Lang::Ru,
        Language::En => crimeboard_export::Lang::En,
    }
}

/// Only the controller a task names closes, extends or returns it; the
/// system may (the demo, an import).
pub(crate) fn authorize_control(by: &Principal, command: &Command, loaded: &Loaded) -> Result<(), Denied> {
    let Command::ControlTask(c) = command else { return Ok(()) };
    match loaded.get(&c.task_id) {
        Some(Entity::Task(t)) if by.role != Role::System && t.issued.controller.trim() != by.login => {
            Err(Denied::NotController)
        }
        _ => Ok(()),
    }
}

/// What the Board's acts need checked and recorded beyond the domain's own
/// rules: the counting rules' codes they name, and the figures read from the
/// counters (a task's baselines; its targets' indicators when closure is
/// asked or decided). The violations join the command's; the readings go
/// into the act's `Assigned`.
pub(crate) fn facts(
    registry: &Registry,
    pack: &Jurisdiction,
    ctx: &Context,
    command: &Command,
    loaded: &Loaded,
) -> Result<(Vec<Reading>, Checks)> {
    let mut checks = Checks::default();
    let known = |code: &str| pack.indicators.get(code).is_some_and(|i| !i.is_grouped());
    let readings = match command {
        Command::ScheduleMeeting(m) => {
            meeting::check_indicators(m, &known, &mut checks);
            vec![]
        }
        Command::IssueTask(t) => {
            task::check_targets(t, &known, &mut checks);
            let period = match t.meeting_id.map(|id| loaded.get(&id)) {
                Some(Some(Entity::Meeting(m))) => Some((m.scheduled.period_from, m.scheduled.period_to)),
                _ => None,
            };
            match period {
                Some((from, to)) if checks.is_empty() && from <= to => {
                    let codes: Vec<&str> = t.targets.iter().map(|t| t.indicator.as_str()).collect();
                    read(registry, ctx.units, &t.owner, &codes, from, to)?
                }
                _ => vec![],
            }
        }
        Command::ReportOnTask(r) if matches!(r.kind, ReportKind::AskClosure) => match loaded.get(&r.task_id) {
            Some(Entity::Task(t)) => current_readings(registry, ctx, t)?,
            _ => vec![],
        },
        Command::ControlTask(c) => match loaded.get(&c.task_id) {
            Some(Entity::Task(t)) => {
                let readings = current_readings(registry, ctx, t)?;
                let met: Vec<bool> = t
                    .targets
                    .iter()
                    .zip(&readings)
                    .map(|(g, r)| g.expected.is_met(g.baseline.value, r.value))
                    .collect();
                let open = match c.decision {
                    ControlDecision::Close { .. } => open_subtasks(registry, t.id)?,
                    ControlDecision::Extend { .. } | ControlDecision::Return { .. } => 0,
                };
                task::check_close(c, open, &met, &mut checks);
                readings
            }
            _ => vec![],
        },
        Command::ReportOnTask(_)
        | Command::RecordMinutes(_)
        | Command::RegisterReport(_)
        | Command::ExtendCheck(_)
        | Command::DecideReport(_)
        | Command::RateHandling(_)
        | Command::OpenCase(_)
        | Command::AddPerson(_)
        | Command::Reclassify(_)
        | Command::DecideCase(_)
        | Command::RecordDamage(_)
        | Command::Reimburse(_)
        | Command::RecordSeizure(_)
        | Command::HoldAccountable(_)
        | Command::RecordAccident(_)
        | Command::RequestExamination(_)
        | Command::CompleteExamination(_)
        | Command::Annul(_)
        | Command::AdoptJurisdiction(_)
        | Command::AddUnit(_)
        | Command::RenameUnit(_)
        | Command::MoveUnit(_)
        | Command::MergeUnits(_)
        | Command::SetUnitContacts(_)
        // A release's draft is written by `release_draft`.
        | Command::DraftRelease(_)
        | Command::EditRelease(_)
        | Command::ApproveRelease(_)
        | Command::PublishRelease(_)
        // A session's overlap with the chief's others is `reception::facts`.
        | Command::ScheduleReception(_)
        | Command::BookReception(_)
        | Command::CancelBooking(_)
        | Command::CancelReception(_)
        | Command::RecordReception(_)
        | Command::RegisterAppeal(_)
        | Command::ReferAppeal(_)
        | Command::ExtendAppeal(_)
        | Command::AnswerAppeal(_)
        | Command::RateAppeal(_)
        | Command::ReportFromAppeal(_)
        | Command::PublishReport(_)
        | Command::AttachIdentifier(_)
        | Command::RemoveIdentifier(_)
        | Command::DecideLinking(_)
        | Command::RequestCancellation(_)
        | Command::DecideCancellation(_)
        | Command::RequestFreeze(_)
        | Command::AnswerFreeze(_)
        | Command::ReturnFrozen(_)
        // A sample's draw is `inspection::drawn`.
        | Command::DrawSample(_)
        | Command::ReviewSample(_)
        | Command::ConfirmSeries(_)
        | Command::SplitSeries(_)
        | Command::AcknowledgeSeriesAlert(_)
        | Command::WriteRelease(_) => vec![],
    };
    Ok((readings, checks))
}

/// A press release's draft, written from the meeting the act names (held,
/// in the act's unit: else the rules refuse it and nothing is written): the
/// Board's report of the meeting's period for its unit and below, from the
/// counters as committed, and the tasks the meeting issued.
pub(crate) fn release_draft(
    registry: &Registry,
    pack: &Jurisdiction,
    ctx: &Context,
    command: &Command,
    loaded: &Loaded,
) -> Result<Option<Draft>> {
    let Command::DraftRelease(d) = command else { return Ok(None) };
    let Some(Entity::Meeting(m)) = loaded.get(&d.meeting_id) else { return Ok(None) };
    let Some(period) = Period::new(m.scheduled.period_from, m.scheduled.period_to) else { return Ok(None) };
    if m.minutes.is_none() || m.scheduled.unit != d.unit {
        return Ok(None);
    }
    let report = registry.report_in(pack, ctx.units, &m.scheduled.unit, period)?;
    let mut tasks = tasks_where(registry, Some(m.id))?;
    tasks.sort_by(|a, b| a.number.cmp(&b.number));
    Ok(Some(crimeboard_export::release_draft(&report, m, &tasks)))
}

/// The task's targets' indicators now: over as many days as the baseline,
/// ending on the last whole day before today.
fn current_readings(registry: &Registry, ctx: &Context, t: &Task) -> Result<Vec<Reading>> {
    let Some(first) = t.targets.first() else { return Ok(vec![]) };
    let (from, to) = task::evaluation_span(&first.baseline, ctx.today());
    let codes: Vec<&str> = t.targets.iter().map(|g| g.indicator.as_str()).collect();
    read(registry, ctx.units, t.owner(), &codes, from, to)
}

/// Each indicator summed over `unit` and every unit below it, from the
/// counters as committed, with the journal position they reflect.
fn read(
    registry: &Registry,
    tree: &UnitTree,
    unit: &UnitCode,
    codes: &[&str],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Reading>> {
    let Some(period) = Period::new(from, to) else { return Ok(vec![]) };
    let units = subtree(tree, unit);
    let (sums, position) = registry.store.sum_counts(&[sum_query(&period)])?;
    let sums = sums.into_iter().next().unwrap_or_default();
    Ok(codes
        .iter()
        .map(|code| Reading {
            indicator: code.to_string(),
            from,
            to,
            value: sums.iter().filter(|s| s.indicator == *code && units.contains(&s.unit)).map(|s| s.value).sum(),
            position,
        })
        .collect())
}

fn open_subtasks(registry: &Registry, id: Uuid) -> Result<usize> {
    Ok(tasks_where(registry, Some(id))?.iter().filter(|t| t.status != TaskStatus::Closed).count())
}

/// Every task (or those whose index parent is `parent`), from the index.
fn tasks_where(registry: &Registry, parent: Option<Uuid>) -> Result<Vec<Task>> {
    let mut tasks = Vec::new();
    let per_page = 1000;
    loop {
        let query = ListQuery {
            kind: Some(EntityKind::Task),
            parent,
            offset: tasks.len() as u64,
            limit: per_page,
            ..ListQuery::default()
        };
        let page = registry.store.list(&query)?;
        for record in &page.items {
            if let Entity::Task(t) = entity_of(record)? {
                tasks.push(t);
            }
        }
        if !page.has_more || tasks.len() as u64 >= MAX_TASKS {
            return Ok(tasks);
        }
    }
}

/// Every task in the register, from the index.
pub(crate) fn all_tasks(registry: &Registry) -> Result<Vec<Task>> {
    tasks_where(registry, None)
}

/// Each unit's tasks as the register stood when `day` began, for the
/// briefing pack: a unit's tasks are those it owns or co-executes (as its
/// queue lists them); open counts those issued before `day` and not closed
/// by a decision recorded before it, overdue those of them due before `day`
/// (with the extensions decided before it). A task issued on `day` (the
/// meeting's own) is not yet there. Every unit has an entry, zero included.
pub(crate) fn unit_tasks(tasks: &[Task], units: &[UnitCode], day: NaiveDate) -> BTreeMap<UnitCode, UnitTasks> {
    let mut counted: BTreeMap<UnitCode, UnitTasks> = units.iter().map(|u| (u.clone(), UnitTasks::default())).collect();
    for t in tasks {
        let Some(standing) = t.standing_on(day).filter(|s| s.open()) else { continue };
        let parties = std::iter::once(t.owner()).chain(&t.issued.co_executors);
        for unit in parties {
            if let Some(c) = counted.get_mut(unit) {
                c.open += 1;
                c.overdue += u32::from(standing.overdue_on(day));
            }
        }
    }
    counted
}

/// What a stored meeting asks the briefing pack for: its period under
/// review, its agenda's topics and indicators, and its reporting units (the
/// rapporteurs' units, then the agenda items' units, each once, in that
/// order). The tasks are left to [`unit_tasks`].
pub(crate) fn meeting_request(m: &Meeting) -> Result<BriefingRequest> {
    let s = &m.scheduled;
    let period =
        Period::new(s.period_from, s.period_to).ok_or_else(|| Violation::new("period_from", "date.range_reversed"))?;
    let items =
        s.agenda.iter().map(|i| BriefingItem { topic: i.topic.clone(), indicators: i.indicators.clone() }).collect();
    let mut units: Vec<UnitCode> = Vec::new();
    let named = s.rapporteurs.iter().map(|r| &r.unit).chain(s.agenda.iter().flat_map(|i| &i.units));
    for unit in named {
        if !units.contains(unit) {
            units.push(unit.clone());
        }
    }
    Ok(BriefingRequest { period, items, units, tasks: BTreeMap::new() })
}

/// A target against its baseline, as a page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetProgress {
    pub target: task::TaskTarget,
    /// The indicator now, over as many days ending yesterday.
    pub now: Reading,
    /// The change from the baseline, with its significance mark.
    pub change: Change,
    pub met: bool,
}

/// A task with its sub-tasks' roll-up and its targets' evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskProgress {
    pub task: Task,
    pub step: Option<EscalationStep>,
    /// Sub-tasks by status (every status, zero included).
    pub subtasks: Vec<(TaskStatus, usize)>,
    pub targets: Vec<TargetProgress>,
}

/// One line of a queue or the sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskLine {
    pub id: Uuid,
    pub number: String,
    pub text: String,
    pub owner: UnitCode,
    pub co_executors: Vec<UnitCode>,
    pub controller: String,
    pub meeting_id: Option<Uuid>,
    pub parent_task_id: Option<Uuid>,
    pub status: TaskStatus,
    pub due_on: NaiveDate,
    pub extensions: u32,
    pub step: Option<EscalationStep>,
    /// Shown in this queue because it escalated from a unit below.
    pub escalated: bool,
    pub owner_confidence: Option<Confidence>,
    pub controller_confidence: Option<Confidence>,
}

impl TaskLine {
    fn of(t: &Task, today: NaiveDate, escalated: bool) -> TaskLine {
        TaskLine {
            id: t.id,
            number: t.number.clone(),
            text: t.issued.text.clone(),
            owner: t.owner().clone(),
            co_executors: t.issued.co_executors.clone(),
            controller: t.issued.controller.clone(),
            meeting_id: t.meeting_id,
            parent_task_id: t.issued.parent_task_id,
            status: t.status,
            due_on: t.due_on,
            extensions: t.extensions,
            step: EscalationStep::of(t.due_on, today, t.status),
            escalated,
            owner_confidence: t.owner_confidence(),
            controller_confidence: t.controller_confidence(),
        }
    }
}

/// A page of task lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskPage {
    pub items: Vec<TaskLine>,
    pub page: u64,
    pub per_page: u64,
    pub total: usize,
    pub has_more: bool,
    /// The civil day the steps were counted on.
    pub today: NaiveDate,
}

/// The controller's sheet's filters; each optional.
#[derive(Debug, Clone, Default)]
pub struct SheetFilter {
    pub status: Option<TaskStatus>,
    /// The owner unit and every unit below it.
    pub unit: Option<String>,
    pub meeting_id: Option<Uuid>,
    pub controller: Option<String>,
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    /// Only tasks owned in these units (the asker's scope); never from the query.
    pub within: Option<Vec<String>>,
}

/// Every task a meeting created, for the memo of commitments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitmentsMemo {
    pub meeting: Meeting,
    /// The day the memo is dated: the meeting's.
    pub dated: NaiveDate,
    pub tasks: Vec<TaskLine>,
}

fn page_of(mut lines: Vec<TaskLine>, page: Option<u64>, per_page: Option<u64>, today: NaiveDate) -> Result<TaskPage> {
    let per_page = per_page.unwrap_or(crate::DEFAULT_PER_PAGE);
    let page = page.unwrap_or(1);
    let mut checks = Checks::default();
    checks.check((1..=crate::MAX_PER_PAGE).contains(&per_page), || {
        Violation::new("per_page", "number.range").with("min", 1).with("max", crate::MAX_PER_PAGE)
    });
    checks.check((1..=100_000).contains(&page), || {
        Violation::new("page", "number.range").with("min", 1).with("max", 100_000)
    });
    checks.finish()?;
    let total = lines.len();
    let start = ((page - 1) * per_page) as usize;
    let items: Vec<TaskLine> = lines.drain(start.min(total)..).take(per_page as usize).collect();
    Ok(TaskPage { has_more: start + items.len() < total, items, page, per_page, total, today })
}

impl Registry {
    fn today(&self) -> NaiveDate {
        self.jurisdiction().rules.local_date(self.now())
    }

    /// A unit of the tree, or the rule it breaks named at `field`.
    fn known_unit(&self, code: &str, field: &str) -> Result<UnitCode, Violation> {
        let code = UnitCode::parse(code).map_err(|v| Violation::new(field, &v.rule))?;
        self.units().require(field, &code)?;
        Ok(code)
    }

    pub fn meeting(&self, id: Uuid) -> Result<Meeting> {
        match self.entity(id)? {
            Entity::Meeting(m) => Ok(m),
            _ => Err(ServiceError::NotFound),
        }
    }

    /// A held meeting's press release drafted by the system from the figures
    /// and approved as it was drafted, both acts recorded as `by` (the demo
    /// records the system's): the demo's release, which reads as the seed's.
    pub fn approved_release(&self, by: &Principal, meeting_id: Uuid, legal_ground: &str) -> Result<Release> {
        let meeting = self.meeting(meeting_id)?;
        let submit =
            |command| Submission { actor: by.login.clone(), legal_ground: legal_ground.into(), command, late: None };
        let drafted = DraftRelease { meeting_id, unit: meeting.scheduled.unit };
        let id = self.record(by, &submit(Command::DraftRelease(drafted)), &Audited::No)?.entity_id;
        self.record(by, &submit(Command::ApproveRelease(ApproveRelease { release_id: id })), &Audited::No)?;
        self.release(id)
    }

    pub fn release(&self, id: Uuid) -> Result<Release> {
        match self.entity(id)? {
            Entity::Release(r) => Ok(r),
            _ => Err(ServiceError::NotFound),
        }
    }

    /// Every published release, those scheduled for later too, from the
    /// register's index: the public site shows those whose moment has come
    /// (`Release::is_public_at`).
    pub fn published_releases(&self) -> Result<Vec<Release>> {
        let mut releases = Vec::new();
        loop {
            let query = ListQuery {
                kind: Some(EntityKind::Release),
                status: Some(ReleaseStatus::Published.as_str().into()),
                offset: releases.len() as u64,
                limit: 1000,
                ..ListQuery::default()
            };
            let page = self.store.list(&query)?;
            for record in &page.items {
                if let Entity::Release(r) = entity_of(record)? {
                    releases.push(r);
                }
            }
            if !page.has_more {
                return Ok(releases);
            }
        }
    }

    /// A release's text in `lang` with each figure written out as the
    /// language writes it, in the currency of the pack in force.
    pub fn release_text(&self, release: &Release, lang: Language) -> String {
        let pack = self.jurisdiction();
        crimeboard_export::render_release(release.texts.get(lang), &release.figures, &pack.currency, export_lang(lang))
    }

    /// A release's figure as `lang` writes it ("8,930", "77,668,996 manats").
    pub fn figure_text(&self, figure: &Figure, lang: Language) -> String {
        crimeboard_export::figure_value(figure, &self.jurisdiction().currency, export_lang(lang))
    }

    pub fn task(&self, id: Uuid) -> Result<Task> {
        match self.entity(id)? {
            Entity::Task(t) => Ok(t),
            _ => Err(ServiceError::NotFound),
        }
    }

    /// A task with its sub-tasks counted by status and each target's
    /// indicator now against its baseline (`met`, and the change with the
    /// significance mark the Board's report uses).
    pub fn task_progress(&self, id: Uuid) -> Result<TaskProgress> {
        let task = self.task(id)?;
        let today = self.today();
        let units = self.units();
        let pack = self.jurisdiction();
        let ctx = Context { catalogue: &pack.catalogue, rules: &pack.rules, units: &units, now: self.now() };
        let children = tasks_where(self, Some(id))?;
        let subtasks =
            TaskStatus::ALL.into_iter().map(|s| (s, children.iter().filter(|c| c.status == s).count())).collect();
        let readings = current_readings(self, &ctx, &task)?;
        let targets = task
            .targets
            .iter()
            .zip(readings)
            .map(|(target, now)| TargetProgress {
                change: Change::of_counts(now.value, target.baseline.value),
                met: target.expected.is_met(target.baseline.value, now.value),
                target: target.clone(),
                now,
            })
            .collect();
        Ok(TaskProgress { step: EscalationStep::of(task.due_on, today, task.status), task, subtasks, targets })
    }

    /// A unit's queue: its tasks not closed (as owner or co-executor),
    /// nearest due first, each with its step on the ladder; and the tasks of
    /// the units below that escalated to it: `overdue` one level up (the
    /// owner's parent), `overdue_14` two levels (its grandparent too).
    pub fn task_queue(&self, unit: &str, page: Option<u64>, per_page: Option<u64>) -> Result<TaskPage> {
        let unit = self.known_unit(unit, "unit")?;
        let tree = self.units();
        let today = self.today();
        let mut lines: Vec<TaskLine> = tasks_where(self, None)?
            .iter()
            .filter(|t| t.status != TaskStatus::Closed)
            .filter_map(|t| {
                let own = t.owner() == &unit || t.issued.co_executors.contains(&unit);
                let step = EscalationStep::of(t.due_on, today, t.status);
                let up = step.map_or(0, EscalationStep::levels_up);
                // The owner's ancestors, skipping the owner itself, as far as the step reaches.
                let escalated = !own && tree.ancestors(t.owner()).skip(1).take(up).any(|a| a.code == unit);
                (own || escalated).then(|| TaskLine::of(t, today, escalated))
            })
            .collect();
        lines.sort_by(|a, b| a.due_on.cmp(&b.due_on).then_with(|| a.number.cmp(&b.number)));
        page_of(lines, page, per_page, today)
    }

    /// The controller's sheet: every task by status, owner unit (and below),
    /// meeting, controller and due date, with the owner's and the
    /// controller's last confidence side by side; ordered by due date.
    pub fn task_sheet(&self, f: &SheetFilter) -> Result<TaskPage> {
        let mut checks = Checks::default();
        let units = f
            .unit
            .as_deref()
            .and_then(|code| checks.absorb(self.known_unit(code, "unit")).map(|c| subtree(&self.units(), &c)));
        if let (Some(from), Some(to)) = (f.due_from, f.due_to) {
            checks.check(from <= to, || Violation::new("due_from", "date.range_reversed"));
        }
        checks.finish()?;
        let today = self.today();
        let mut lines: Vec<TaskLine> = tasks_where(self, None)?
            .iter()
            .filter(|t| f.status.is_none_or(|s| t.status == s))
            .filter(|t| units.as_ref().is_none_or(|u| u.contains(&t.owner().to_string())))
            .filter(|t| f.within.as_ref().is_none_or(|u| u.contains(&t.owner().to_string())))
            .filter(|t| f.meeting_id.is_none_or(|m| t.meeting_id == Some(m)))
            .filter(|t| f.controller.as_deref().is_none_or(|c| t.issued.controller == c))
            .filter(|t| f.due_from.is_none_or(|d| t.due_on >= d) && f.due_to.is_none_or(|d| t.due_on <= d))
            .map(|t| TaskLine::of(t, today, false))
            .collect();
        lines.sort_by(|a, b| a.due_on.cmp(&b.due_on).then_with(|| a.number.cmp(&b.number)));
        page_of(lines, f.page, f.per_page, today)
    }

    /// Every task the meeting created (its own and their sub-tasks), with
    /// owner, controller and due date, dated the meeting's day.
    pub fn commitments_memo(&self, meeting_id: Uuid) -> Result<CommitmentsMemo> {
        let meeting = self.meeting(meeting_id)?;
        let today = self.today();
        let mut tasks: Vec<TaskLine> = tasks_where(self, None)?
            .iter()
            .filter(|t| t.meeting_id == Some(meeting_id))
            .map(|t| TaskLine::of(t, today, false))
            .collect();
        tasks.sort_by(|a, b| a.number.cmp(&b.number));
        Ok(CommitmentsMemo { dated: meeting.scheduled.held_on, meeting, tasks })
    }
}
