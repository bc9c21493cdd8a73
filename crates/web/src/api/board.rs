//! The Board's follow-up: its meetings (listed and read as a register), a
//! meeting's commitments memo, the controller's sheet of tasks, a task with
//! its progress, and a unit's queue. Meetings and tasks are recorded through
//! `POST /api/acts` like every act.

use super::dto::{CommitmentsMemoView, TaskPageQuery, TaskPageView, TaskProgressView, TaskSheetQuery};
use crate::auth::Caller;
use crate::params::{EntityId, decode_query};
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use crimeboard_domain::access::Action;
use crimeboard_domain::units::UnitCode;
use crimeboard_domain::{EntityKind, Violation};
use crimeboard_service::SheetFilter;

/// Every task a meeting created, its own and their sub-tasks, with owner,
/// controller and due date, dated the meeting's day.
#[utoipa::path(get, path = "/api/meetings/{id}/commitments", tag = "board",
    params(("id" = uuid::Uuid, Path, description = "The meeting's id")),
    responses((status = 200, description = "The memo of commitments", body = CommitmentsMemoView)))]
pub async fn commitments(
    State(registry): Shared,
    caller: Caller,
    EntityId(id): EntityId,
) -> Result<Json<CommitmentsMemoView>, Problem> {
    blocking(&registry, move |r| {
        caller.require(r, Action::ReadTasks, None)?;
        let record = r.get(id).map_err(Problem::from_service)?;
        if record.kind != EntityKind::Meeting {
            return Err(Problem::not_found());
        }
        caller.require(r, Action::ReadTasks, Some(&record.unit))?;
        Ok(Json(r.commitments_memo(id).map_err(Problem::from_service)?.into()))
    })
    .await
}

/// The controller's sheet: every task within the caller's units by status,
/// unit, meeting, controller and due date, nearest due first, with the
/// owner's and the controller's last confidence side by side.
#[utoipa::path(get, path = "/api/tasks", tag = "board", params(TaskSheetQuery),
    responses((status = 200, description = "A page of tasks", body = TaskPageView)))]
pub async fn sheet(
    State(registry): Shared,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<TaskPageView>, Problem> {
    let q: TaskSheetQuery = decode_query(query.as_deref())?;
    blocking(&registry, move |r| {
        caller.require(r, Action::ReadTasks, q.unit.as_deref())?;
        let filter = SheetFilter {
            status: q.status,
            unit: q.unit,
            meeting_id: q.meeting_id,
            controller: q.controller,
            due_from: q.due_from,
            due_to: q.due_to,
            page: q.page,
            per_page: q.per_page,
            within: r.visible_units(&caller.principal, Action::ReadTasks),
        };
        Ok(Json(r.task_sheet(&filter).map_err(Problem::from_query)?.into()))
    })
    .await
}

/// A task as it stands, its sub-tasks counted by status, and each target's
/// indicator now against its baseline (met or not, with the change and its
/// significance mark). Read in the owner unit's scope or a co-executor's.
#[utoipa::path(get, path = "/api/tasks/{id}", tag = "board",
    params(("id" = uuid::Uuid, Path, description = "The task's id")),
    responses((status = 200, description = "The task and its progress", body = TaskProgressView)))]
pub async fn task(
    State(registry): Shared,
    caller: Caller,
    EntityId(id): EntityId,
) -> Result<Json<TaskProgressView>, Problem> {
    blocking(&registry, move |r| {
        caller.require(r, Action::ReadTasks, None)?;
        let record = r.get(id).map_err(Problem::from_service)?;
        if record.kind != EntityKind::Task {
            return Err(Problem::not_found());
        }
        let progress = r.task_progress(id).map_err(Problem::from_service)?;
        let co_executor = progress
            .task
            .issued
            .co_executors
            .iter()
            .any(|u| caller.require(r, Action::ReadTasks, Some(u.as_str())).is_ok());
        if !co_executor {
            caller.require(r, Action::ReadTasks, Some(&record.unit))?;
        }
        TaskProgressView::of(progress).map(Json).map_err(|e| Problem::from_service(e.into()))
    })
    .await
}

/// A unit's queue: its tasks not closed (as owner or co-executor), nearest
/// due first, each with its step on the ladder, and the tasks of the units
/// below that escalated to it (overdue: the owner's parent; overdue 14
/// days: its grandparent too).
#[utoipa::path(get, path = "/api/units/{code}/tasks", tag = "board",
    params(("code" = String, Path, description = "The unit's code", pattern = "^[A-Z0-9-]{1,32}$"), TaskPageQuery),
    responses((status = 200, description = "A page of the unit's queue", body = TaskPageView)))]
pub async fn queue(
    State(registry): Shared,
    caller: Caller,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<TaskPageView>, Problem> {
    let q: TaskPageQuery = decode_query(query.as_deref())?;
    let unit = UnitCode::parse(&code).map_err(|v| Problem::param(Violation::new("code", &v.rule)))?;
    blocking(&registry, move |r| {
        caller.require(r, Action::ReadTasks, Some(unit.as_str()))?;
        Ok(Json(r.task_queue(unit.as_str(), q.page, q.per_page).map_err(Problem::from_query)?.into()))
    })
    .await
}
