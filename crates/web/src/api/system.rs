//! The routes about the system itself: the units, the chains' verification
//! and health.

use super::dto::{Health, VerificationView};
use crate::auth::Caller;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::State;
use crimeboard_domain::access::Action;
use crimeboard_domain::units::Unit;
use crimeboard_store::Backend;

/// The territorial units, parents before children.
#[utoipa::path(get, path = "/api/units", tag = "system", responses((status = 200, description = "Every unit", body = Vec<Unit>)))]
pub async fn units(State(registry): Shared, caller: Caller) -> Result<Json<Vec<Unit>>, Problem> {
    // `units()` waits on a lock that `add_units` holds across a transaction.
    let tree = blocking(&registry, move |r| {
        caller.require(r, Action::ReadPublicFigures, None)?;
        Ok(r.units())
    })
    .await?;
    Ok(Json(parents_first(tree.all().cloned().collect())))
}

/// Orders units so each comes after its parent, as the tree was built.
fn parents_first(mut rest: Vec<Unit>) -> Vec<Unit> {
    let mut ordered: Vec<Unit> = Vec::with_capacity(rest.len());
    while !rest.is_empty() {
        let before = rest.len();
        let (ready, waiting): (Vec<Unit>, Vec<Unit>) =
            rest.into_iter().partition(|u| u.parent.as_ref().is_none_or(|p| ordered.iter().any(|o| &o.code == p)));
        ordered.extend(ready);
        rest = waiting;
        if rest.len() == before {
            ordered.extend(rest);
            break;
        }
    }
    ordered
}

/// Walks every unit's hash chain and says where any breaks.
#[utoipa::path(get, path = "/api/verify", tag = "system",
    responses((status = 200, description = "Per unit: entries, or where its chain breaks", body = VerificationView)))]
pub async fn verify(State(registry): Shared, caller: Caller) -> Result<Json<VerificationView>, Problem> {
    let verification = blocking(&registry, move |r| {
        caller.require(r, Action::VerifyChains, None)?;
        r.verify().map_err(Problem::from_service)
    })
    .await?;
    Ok(Json(verification.into()))
}

/// Whether the store answers.
#[utoipa::path(get, path = "/api/health", tag = "system", responses((status = 200, description = "The store answers", body = Health)))]
pub async fn health(State(registry): Shared) -> Result<Json<Health>, Problem> {
    blocking(&registry, |r| {
        let position = r.store().position().map_err(|e| Problem::from_service(e.into()))?;
        let backend = match r.store().backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        Ok(Json(Health { status: "ok".into(), backend: backend.into(), position }))
    })
    .await
}
