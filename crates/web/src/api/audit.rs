//! `GET /api/audit`: administrators search the audit trail.

use crate::auth::Caller;
use crate::params::decode_query;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::{DateTime, Utc};
use crimeboard_domain::access::Action;
use crimeboard_domain::audit::AuditEntry;
use crimeboard_service::audit::AuditSearch;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    /// Inclusive, RFC 3339.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive, RFC 3339.
    pub to: Option<DateTime<Utc>>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    /// Language of messages: az (default), ru or en.
    #[allow(dead_code)] // read through `Lang::negotiate`
    pub lang: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub page: u64,
    pub has_more: bool,
}

/// Audit records, newest first, filtered by who, what, which target and when. Administrators only.
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, description = "A page of audit records", body = AuditPage)))]
pub async fn search(
    State(registry): Shared,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<AuditPage>, Problem> {
    let q: AuditQuery = decode_query(query.as_deref())?;
    blocking(&registry, move |r| {
        caller.require(r, Action::ReadAudit, None)?;
        let page = q.page.unwrap_or(1).max(1);
        let search = AuditSearch {
            actor: q.actor,
            action: q.action,
            target: q.target,
            from: q.from,
            to: q.to,
            page,
            per_page: q.per_page.unwrap_or(0),
        };
        let found = r.audit_search(&search).map_err(|e| Problem::internal(format!("audit search: {e}")))?;
        Ok(Json(AuditPage { items: found.items, page, has_more: found.has_more }))
    })
    .await
}
