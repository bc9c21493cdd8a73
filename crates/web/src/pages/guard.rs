//! The one gate of the staff pages. Each page route names what it needs
//! ([`Need`]) where it is declared; before its handler runs the guard checks
//! it with `Caller::require`, the check the API uses: the action itself, in
//! the unit `?unit=` asks for (never a silent widening: outside the user's
//! units is a 403 page) and in the unit of the record the address names
//! (`/cases/{id}`, `/reports/{id}/decide`, ...). Someone not signed in is sent
//! to sign in, and back here afterwards. The handler then finds the action
//! units its lists may show in its [`Viewer`] (`Access`).

use super::paths::sign_in_path;
use super::respond::{error_page, see_other};
pub use super::viewer::Need;
use super::viewer::{Access, Viewer, query_value};
use crate::auth::Caller;
use crate::problem::Problem;
use crate::problem::unauthenticated;
use crate::state::blocking;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use axum::routing::MethodRouter;
use crimeboard_domain::access::Action;
use crimeboard_service::Registry;
use std::sync::Arc;

/// A route guarded by what it needs.
pub fn needs(registry: &Arc<Registry>, need: Need, route: MethodRouter<Arc<Registry>>) -> MethodRouter<Arc<Registry>> {
    route.route_layer(from_fn_with_state((registry.clone(), need), guard))
}

async fn guard(State((registry, need)): State<(Arc<Registry>, Need)>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let Ok(viewer) = Viewer::from_request_parts(&mut parts, &()).await;
    let asked = query_value(parts.uri.query(), "unit").map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
    let record = record_id(parts.uri.path());
    let caller = viewer.caller.clone();
    match blocking(&registry, move |r| check(r, caller, need, asked, record)).await {
        Ok(access) => {
            if let Some(access) = access {
                parts.extensions.insert(access);
            }
            next.run(Request::from_parts(parts, body)).await
        }
        Err(p) if p.status == StatusCode::UNAUTHORIZED => see_other(&sign_in_path(&viewer.here)),
        Err(p) => error_page(&viewer, &p),
    }
}

fn check(
    r: &Registry,
    caller: Option<Caller>,
    need: Need,
    asked: Option<String>,
    record: Option<uuid::Uuid>,
) -> Result<Option<Access>, Problem> {
    let caller = caller.ok_or_else(|| Problem::internal("no caller: the authenticate middleware is not installed"))?;
    let action = match need {
        Need::Anyone => return Ok(None),
        Need::SignedIn if caller.is_signed_in() => return Ok(None),
        Need::SignedIn => return Err(unauthenticated()),
        Need::Action(a) => a,
    };
    // The role first: who may not do this learns nothing of which records exist.
    caller.require(r, action, None)?;
    if let Some(unit) = &asked {
        caller.require(r, action, Some(unit))?;
    }
    // A record that does not exist is the handler's 404.
    if let Some(rec) = record.and_then(|id| r.get(id).ok()) {
        let owner = caller.require(r, action, Some(&rec.unit));
        if owner.is_err() && !reads_shared_task(r, &caller, action, &rec) {
            owner?;
        }
    }
    Ok(Some(Access { within: r.visible_units(&caller.principal, action) }))
}

/// A Board's task is read in its owner's units or in a co-executor's, as the
/// API reads it: a co-executor's chief finds it in the unit's queue.
fn reads_shared_task(r: &Registry, caller: &Caller, action: Action, rec: &crimeboard_store::Record) -> bool {
    if action != Action::ReadTasks || rec.kind != crimeboard_domain::EntityKind::Task {
        return false;
    }
    let Ok(task) = r.task(rec.id) else { return false };
    task.issued.co_executors.iter().any(|u| caller.require(r, action, Some(u.as_str())).is_ok())
}

/// The record an address names: its one id segment. A series' id is its
/// earliest record's, but a series is no record of that unit: the registry
/// shows it within the asker's scope (the other units' records by count).
fn record_id(path: &str) -> Option<uuid::Uuid> {
    if path.starts_with("/series/") {
        return None;
    }
    path.split('/').find_map(|seg| uuid::Uuid::parse_str(seg).ok())
}

/// Only a path on this server: no scheme, no host, no `//host`, no backslash tricks.
pub fn is_local(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && !path.chars().any(char::is_control)
}

/// Where to go after signing in: the `next` asked for if it is local, else home.
pub fn next_or_home(next: Option<&str>) -> String {
    next.filter(|n| is_local(n) && !n.starts_with("/auth/")).unwrap_or("/").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to_after_signing_in() {
        assert_eq!(next_or_home(Some("/cases?page=2")), "/cases?page=2");
        for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example", "cases", "/auth/logout", "/a\nb"]
        {
            assert_eq!(next_or_home(Some(hostile)), "/", "{hostile}");
        }
        assert_eq!(next_or_home(None), "/");
    }

    #[test]
    fn the_record_of_an_address_is_its_id_segment() {
        let id = uuid::Uuid::now_v7();
        assert_eq!(record_id(&format!("/cases/{id}/decide")), Some(id));
        assert_eq!(record_id("/cases/new"), None);
    }
}
