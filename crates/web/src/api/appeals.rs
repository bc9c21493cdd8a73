//! Citizens' appeals beyond their register's list and entry: a unit's queue
//! of open appeals by deadline. The appeals are recorded through
//! `POST /api/acts` like every act, and listed and read as a register
//! (`/api/appeals`, `/api/appeals/{id}` with its timeline).

use super::dto::{AppealQueueView, TaskPageQuery};
use crate::auth::Caller;
use crate::params::decode_query;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use crimeboard_domain::Violation;
use crimeboard_domain::access::Action;
use crimeboard_domain::units::UnitCode;
use crimeboard_service::{QueueParams, Queued};

/// A unit's queue: its open appeals and those of the units below it (within
/// the caller's units), nearest deadline first, each marked overdue or due
/// today, with the counts over the whole queue.
#[utoipa::path(get, path = "/api/units/{code}/appeals", tag = "appeals",
    params(("code" = String, Path, description = "The unit's code", pattern = "^[A-Z0-9-]{1,32}$"), TaskPageQuery),
    responses((status = 200, description = "A page of the unit's open appeals", body = AppealQueueView)))]
pub async fn queue(
    State(registry): Shared,
    caller: Caller,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<AppealQueueView>, Problem> {
    let q: TaskPageQuery = decode_query(query.as_deref())?;
    let unit = UnitCode::parse(&code).map_err(|v| Problem::param(Violation::new("code", &v.rule)))?;
    blocking(&registry, move |r| {
        caller.require(r, Action::ReadAppeals, Some(unit.as_str()))?;
        let params = QueueParams {
            register: Queued::Appeals,
            unit: Some(unit.to_string()),
            page: q.page,
            per_page: q.per_page,
            within: r.visible_units(&caller.principal, Action::ReadAppeals),
        };
        let queue = r.queue(&params).map_err(Problem::from_query)?;
        caller.audit(r, "list.appeal_queue", unit.as_str(), query.as_deref().unwrap_or(""))?;
        AppealQueueView::of(queue).map(Json).map_err(|e| Problem::from_service(e.into()))
    })
    .await
}
