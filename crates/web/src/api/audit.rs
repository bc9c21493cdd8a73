//! `GET /api/audit`: administrators search the audit trail.

use super::dto::Language;
use crate::auth::Caller;
use crate::params::decode_query;
use crate::problem::Problem;
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::{DateTime, Utc};
use crimeboard_domain::Violation;
use crimeboard_domain::access::Action;
use crimeboard_domain::audit::AuditEntry;
use crimeboard_service::audit::{AUDIT_MAX_PER_PAGE, AuditSearch};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    #[param(pattern = "^[^\\x00]*$")] // U+0000 is refused in every parameter
    pub actor: Option<String>,
    #[param(pattern = "^[^\\x00]*$")] // U+0000 is refused in every parameter
    pub action: Option<String>,
    #[param(pattern = "^[^\\x00]*$")] // U+0000 is refused in every parameter
    pub target: Option<String>,
    /// Inclusive, RFC 3339.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive, RFC 3339.
    pub to: Option<DateTime<Utc>>,
    /// From 1.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u64>,
    /// 1 to 500; 50 if not given.
    #[param(minimum = 1, maximum = 500)]
    pub per_page: Option<u64>,
    /// Language of messages: az, ru or en, of those the installation's jurisdiction pack offers
    /// (another is refused, 422), its default language if not given.
    #[allow(dead_code)] // read through `Lang::negotiate`; here so it is checked and documented
    #[param(inline)]
    pub lang: Option<Language>,
}

/// The pages of the audit trail a query may ask for, as the document states them.
const MAX_PAGE: u64 = 100_000;

/// A page or page size outside what the document states is refused, not quietly clamped.
fn check_paging(q: &AuditQuery) -> Result<(), Problem> {
    let out_of =
        |field: &str, max: u64| Problem::param(Violation::new(field, "number.range").with("min", 1).with("max", max));
    if q.page.is_some_and(|p| !(1..=MAX_PAGE).contains(&p)) {
        return Err(out_of("page", MAX_PAGE));
    }
    if q.per_page.is_some_and(|p| !(1..=AUDIT_MAX_PER_PAGE).contains(&p)) {
        return Err(out_of("per_page", AUDIT_MAX_PER_PAGE));
    }
    Ok(())
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
    check_paging(&q)?;
    blocking(&registry, move |r| {
        caller.require(r, Action::ReadAudit, None)?;
        let page = q.page.unwrap_or(1);
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
