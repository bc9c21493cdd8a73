//! `GET /api/journal`: the acts in the order they were recorded.

use super::dto::{JournalItem, JournalPage, JournalQuery};
use crate::auth::Caller;
use crate::params::decode_query;
use crate::problem::Problem;
use crate::problem::denied;
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::{RawQuery, State};
use crimeboard_domain::Violation;
use crimeboard_domain::access::{Action, Denied};
use crimeboard_domain::units::UnitCode;

/// Journal entries in the order they were recorded, a page at a time.
#[utoipa::path(get, path = "/api/journal", tag = "journal", params(JournalQuery),
    responses((status = 200, description = "Entries after `after`", body = JournalPage)))]
pub async fn journal(
    State(registry): Shared,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<JournalPage>, Problem> {
    let q: JournalQuery = decode_query(query.as_deref())?;
    let after = q.after.unwrap_or(0);
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        let v = Violation::new("limit", "number.range").with("min", 1).with("max", 1000);
        return Err(Problem::param(v));
    }
    if let Some(unit) = &q.unit {
        UnitCode::parse(unit).map_err(|v| Problem::param(Violation::new("unit", &v.rule)))?;
    }
    blocking(&registry, move |r| {
        // Without a unit the journal is every unit's: only for whom sees everywhere.
        caller.require(r, Action::ReadJournal, q.unit.as_deref())?;
        let sees_all =
            r.visible_units(&caller.principal, Action::ReadJournal).is_none_or(|v| v.len() == r.units().len());
        if q.unit.is_none() && !sees_all {
            return Err(denied(Denied::Scope));
        }
        caller.audit(r, "read.journal", q.unit.as_deref().unwrap_or(""), &format!("after={after} limit={limit}"))?;
        let entries = r.journal(q.unit.as_deref(), after, limit).map_err(Problem::from_query)?;
        let next_after = entries.last().map_or(after, |e| e.position);
        let entries = entries.into_iter().map(JournalItem::of).collect::<Result<_, _>>();
        let entries = entries.map_err(|e| Problem::from_service(e.into()))?;
        Ok(Json(JournalPage { entries, next_after }))
    })
    .await
}
