//! The handlers. The store is synchronous (the PostgreSQL client blocks), so
//! every registry call runs on the blocking pool, never on an async worker.

use crate::auth::Caller;
use crate::body::{self, JsonBody};
use crate::dto::*;
use crate::params::{EntityId, decode_query};
use crate::problem::{Nesting, Problem};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use crimeboard_domain::access::Action;
use crimeboard_domain::units::Unit;
use crimeboard_domain::{Command, EntityKind};
use crimeboard_export::Format;
use crimeboard_service::audit::Audited;
use crimeboard_service::{Registry, Submission};
use crimeboard_store::Backend;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;

pub type Shared = State<Arc<Registry>>;
type Created = (StatusCode, Json<ReceiptView>);

/// Runs `f` on the blocking pool. A panic there is a 500, not a dead worker.
pub async fn blocking<T, F>(registry: &Arc<Registry>, f: F) -> Result<T, Problem>
where
    F: FnOnce(&Registry) -> Result<T, Problem> + Send + 'static,
    T: Send + 'static,
{
    let registry = registry.clone();
    tokio::task::spawn_blocking(move || f(&registry))
        .await
        .map_err(|e| Problem::internal(format!("blocking task: {e}")))?
}

/// Records any act.
#[utoipa::path(post, path = "/api/acts", tag = "acts", request_body = SubmissionBody,
    responses((status = 201, description = "Recorded", body = ReceiptView)))]
pub async fn submit_act(
    State(registry): Shared,
    caller: Caller,
    JsonBody(value): JsonBody,
) -> Result<Created, Problem> {
    signed_in(&caller)?;
    let submission = body::submission(value, "")?;
    record(&registry, &caller, submission, Nesting::Command).await
}

/// Records up to 1000 acts in one transaction: all of them, or none.
#[utoipa::path(post, path = "/api/acts/batch", tag = "acts", request_body = BatchBody,
    responses((status = 201, description = "All recorded", body = BatchReceipts)))]
pub async fn submit_batch(
    State(registry): Shared,
    caller: Caller,
    JsonBody(value): JsonBody,
) -> Result<(StatusCode, Json<BatchReceipts>), Problem> {
    signed_in(&caller)?;
    let submissions = body::batch(value)?;
    let receipts = blocking(&registry, move |r| {
        // Each act is authorized by the registry, and its audit record written in the batch's own transaction.
        r.record_batch(&caller.principal, &submissions, None, &Audited::EachAct(&caller.actor()))
            .map_err(|e| Problem::from_submission(e, Nesting::Command))
    })
    .await?;
    Ok((StatusCode::CREATED, Json(BatchReceipts { receipts: receipts.into_iter().map(ReceiptView::from).collect() })))
}

async fn record(
    registry: &Arc<Registry>,
    caller: &Caller,
    submission: Submission,
    nest: Nesting,
) -> Result<Created, Problem> {
    let caller = caller.clone();
    let receipt = blocking(registry, move |r| {
        r.record(&caller.principal, &submission, &Audited::EachAct(&caller.actor()))
            .map_err(|e| Problem::from_submission(e, nest))
    })
    .await?;
    Ok((StatusCode::CREATED, Json(receipt.into())))
}

/// Acts are recorded only by someone signed in: checked before the body is read.
fn signed_in(caller: &Caller) -> Result<(), Problem> {
    if caller.is_signed_in() { Ok(()) } else { Err(crate::auth::unauthenticated()) }
}

/// What is typed for a new entry of a register, and the act that records it.
pub trait NewEntry: DeserializeOwned {
    /// What recording one needs, checked before the body is read.
    const ACTION: Action;
    fn into_command(self) -> Command;
}

macro_rules! new_entries {
    ($($new:ty => $variant:ident, $action:ident),* $(,)?) => {
        $(impl NewEntry for $new {
            const ACTION: Action = Action::$action;
            fn into_command(self) -> Command {
                Command::$variant(self)
            }
        })*
    };
}

new_entries! {
    crimeboard_domain::report::NewReport => RegisterReport, RegisterReport,
    crimeboard_domain::case::NewCase => OpenCase, WorkCase,
    crimeboard_domain::registers::NewSeizure => RecordSeizure, WorkCase,
    crimeboard_domain::registers::NewAccountability => HoldAccountable, WorkCase,
    crimeboard_domain::registers::NewAccident => RecordAccident, RecordAccident,
    crimeboard_domain::registers::NewExamination => RequestExamination, WorkCase,
}

pub async fn create<T: NewEntry>(registry: Arc<Registry>, caller: Caller, value: Value) -> Result<Created, Problem> {
    // The role first: who may not record here learns nothing of the rules.
    caller.require(&registry, T::ACTION, None)?;
    let filing: Filing<T> = body::decode(value, "")?;
    let submission =
        Submission { actor: filing.actor, legal_ground: filing.legal_ground, command: filing.data.into_command() };
    record(&registry, &caller, submission, Nesting::Data).await
}

/// Registers whose entries name people: each look at them is audited.
fn has_personal_data(kind: EntityKind) -> bool {
    Action::to_read(kind) == Action::ReadPersonalData
}

pub async fn list(
    registry: Arc<Registry>,
    caller: Caller,
    kind: EntityKind,
    query: Option<String>,
) -> Result<Json<ListView<Value>>, Problem> {
    let mut params = decode_query::<ListQuery>(query.as_deref())?.params(kind);
    blocking(&registry, move |r| {
        let action = Action::to_read(kind);
        caller.require(r, action, params.unit.as_deref())?;
        params.within = r.visible_units(&caller.principal, action);
        let page = r.list(&params).map_err(Problem::from_query)?;
        if has_personal_data(kind) {
            caller.audit(r, &format!("list.{}", kind.as_str()), "", query.as_deref().unwrap_or(""))?;
        }
        ListView::of(page).map(Json).map_err(|e| Problem::from_service(e.into()))
    })
    .await
}

/// One entry with its state and, but for persons, the acts that made it.
/// An id of another register is not found here: the path names the register.
pub async fn get(
    registry: Arc<Registry>,
    caller: Caller,
    kind: EntityKind,
    id: uuid::Uuid,
) -> Result<Json<RecordView<Value>>, Problem> {
    blocking(&registry, move |r| {
        let action = Action::to_read(kind);
        caller.require(r, action, None)?;
        let record = r.get(id).map_err(Problem::from_service)?;
        if record.kind != kind {
            return Err(Problem::not_found());
        }
        caller.require(r, action, Some(&record.unit))?;
        if has_personal_data(kind) {
            caller.audit(r, &format!("view.{}", kind.as_str()), &id.to_string(), &record.number)?;
        }
        let mut view = RecordView::of(record).map_err(|e| Problem::from_service(e.into()))?;
        if kind != EntityKind::Person {
            view.history = Some(history(r, id)?);
        }
        Ok(Json(view))
    })
    .await
}

fn history(r: &Registry, id: uuid::Uuid) -> Result<Vec<HistoryItem>, Problem> {
    let acts = r.history(id).map_err(Problem::from_service)?;
    acts.into_iter()
        .map(|(e, annulled)| HistoryItem::of(e, annulled))
        .collect::<Result<_, _>>()
        .map_err(|e| Problem::from_service(e.into()))
}

/// Per register: create (where the register takes entries of its own),
/// list and read, each with its own OpenAPI operation.
macro_rules! register {
    ($module:ident, $kind:expr, $tag:tt, $list:tt, $item:tt, [$($state:tt)+] $(, create: $new:ty)?) => {
        pub mod $module {
            use super::*;
            #[allow(unused_imports)]
            use crimeboard_domain::{case::*, person::*, registers::*, report::*};

            $(
            /// Records a new entry: `data` is what was typed.
            #[utoipa::path(post, path = $list, tag = $tag, request_body = Filing<$new>,
                responses((status = 201, description = "Recorded", body = ReceiptView)))]
            pub async fn create(State(registry): Shared, caller: Caller, JsonBody(value): JsonBody) -> Result<Created, Problem> {
                super::create::<$new>(registry, caller, value).await
            }
            )?

            /// Lists entries, newest first, filtered.
            #[utoipa::path(get, path = $list, tag = $tag, params(ListQuery),
                responses((status = 200, description = "A page of entries", body = ListView<$($state)+>)))]
            pub async fn list(State(registry): Shared, caller: Caller, RawQuery(query): RawQuery) -> Result<Json<ListView<Value>>, Problem> {
                super::list(registry, caller, $kind, query).await
            }

            /// One entry as it stands, with its history.
            #[utoipa::path(get, path = $item, tag = $tag, params(("id" = uuid::Uuid, Path, description = "The entry's id")),
                responses((status = 200, description = "The entry", body = RecordView<$($state)+>)))]
            pub async fn get(State(registry): Shared, caller: Caller, EntityId(id): EntityId) -> Result<Json<RecordView<Value>>, Problem> {
                super::get(registry, caller, $kind, id).await
            }
        }
    };
}

register!(reports, EntityKind::Report, "reports", "/api/reports", "/api/reports/{id}", [CrimeReport], create: NewReport);
register!(cases, EntityKind::Case, "cases", "/api/cases", "/api/cases/{id}", [CriminalCase], create: NewCase);
register!(seizures, EntityKind::Seizure, "seizures", "/api/seizures", "/api/seizures/{id}", [SeizureState], create: NewSeizure);
register!(accountability, EntityKind::Accountability, "accountability", "/api/accountability", "/api/accountability/{id}",
    [AccountabilityState], create: NewAccountability);
register!(accidents, EntityKind::Accident, "accidents", "/api/accidents", "/api/accidents/{id}", [AccidentState], create: NewAccident);
register!(examinations, EntityKind::Examination, "examinations", "/api/examinations", "/api/examinations/{id}", [Examination],
    create: NewExamination);
register!(persons, EntityKind::Person, "persons", "/api/persons", "/api/persons/{id}", [Person]);

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
        let v = crimeboard_domain::Violation::new("limit", "number.range").with("min", 1).with("max", 1000);
        return Err(Problem::param(v));
    }
    blocking(&registry, move |r| {
        // Without a unit the journal is every unit's: only for whom sees everywhere.
        caller.require(r, Action::ReadJournal, q.unit.as_deref())?;
        let sees_all =
            r.visible_units(&caller.principal, Action::ReadJournal).is_none_or(|v| v.len() == r.units().len());
        if q.unit.is_none() && !sees_all {
            return Err(crate::auth::denied(crimeboard_domain::access::Denied::Scope));
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

/// The Board's report: every indicator for a unit and each unit below it,
/// for a period against the same days a year before, stamped with the
/// journal position it reflects. As JSON (with the narrative), the narrative
/// as text, the figures as CSV or an Excel workbook, or the printable report as
/// PDF (A4, fonts embedded), in the language asked
/// for (`?lang=`, else `Accept-Language`, else Azerbaijani). With `at`, the
/// report as it read at that journal position, to reproduce a published one.
#[utoipa::path(get, path = "/api/report", tag = "figures", params(ReportQuery),
    responses((status = 200, description = "The report, in the format asked for",
        headers(("Content-Disposition" = String,
            description = "For csv, xlsx and pdf only: `attachment; filename=\"crimeboard-report-<period>.<ext>\"`")),
        content(
            (Object = "application/json"),
            (String = "text/plain; charset=utf-8"),
            (String = "text/csv; charset=utf-8"),
            (Download = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (Download = "application/pdf"),
        ))))]
pub async fn report(
    State(registry): Shared,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let q: ReportQuery = decode_query(query.as_deref())?;
    let period = crate::params::period(q.period.as_deref())?;
    let format: Format = q.format.unwrap_or_default().into();
    let lang: crimeboard_export::Lang = crate::i18n::Lang::negotiate(query.as_deref(), &headers).into();
    let (unit, at) = (q.unit, q.at);
    let export = format.is_file();
    let period_text = q.period.clone().unwrap_or_default();
    let bytes = blocking(&registry, move |r| {
        let scope = unit.clone().unwrap_or_else(|| r.anonymous().home.to_string());
        caller.require(r, Action::ReadFigures, Some(&scope))?;
        if export {
            caller.require(r, Action::ExportFigures, Some(&scope))?;
            caller.audit(r, "export.report", &scope, &format!("period={period_text} format={}", format.extension()))?;
        }
        let report = match at {
            Some(position) => r.report_at(period, unit.as_deref(), position),
            None => r.report(period, unit.as_deref()),
        };
        let report = report.map_err(|e| {
            // The service names the position `position`; here it is `at`.
            let mut p = Problem::from_query(e);
            p.errors.iter_mut().filter(|v| v.field == "position").for_each(|v| v.field = "at".into());
            p
        })?;
        // Rendering a workbook takes a while too: keep it off the async workers.
        crimeboard_export::try_render(&report, lang, format).map_err(|e| Problem::internal(format!("report: {e}")))
    })
    .await?;
    let mut response = ([(CONTENT_TYPE, HeaderValue::from_static(format.content_type()))], bytes).into_response();
    if export {
        let name =
            format!("crimeboard-report-{}.{}", file_name_part(q.period.as_deref().unwrap_or("")), format.extension());
        if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            response.headers_mut().insert(CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}

/// The period as typed, made safe for a file name: letters, digits and
/// dashes kept, every other run of characters one underscore
/// (`ytd:2024-04-19` -> `ytd_2024-04-19`, `2024-01-01..2024-03-31` -> `2024-01-01_2024-03-31`).
fn file_name_part(period: &str) -> String {
    let mut out = String::with_capacity(period.len());
    for c in period.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out
}

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

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "system",
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json", body = Object)))]
pub async fn openapi() -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], crate::openapi::document())
}

pub async fn route_not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, crate::problem::kind::ROUTE_NOT_FOUND, vec![])
}

pub async fn method_not_allowed() -> Problem {
    Problem::new(StatusCode::METHOD_NOT_ALLOWED, crate::problem::kind::METHOD_NOT_ALLOWED, vec![])
}

#[cfg(test)]
mod tests {
    use super::file_name_part;

    #[test]
    fn a_period_becomes_part_of_a_file_name() {
        assert_eq!(file_name_part("2024Q1"), "2024Q1");
        assert_eq!(file_name_part(" ytd:2024-04-19 "), "ytd_2024-04-19");
        assert_eq!(file_name_part("2024-01-01..2024-03-31"), "2024-01-01_2024-03-31");
        assert_eq!(file_name_part("week:2024-04-15\"; x=\\"), "week_2024-04-15_x_");
    }
}
