//! `POST /api/acts` and `/api/acts/batch`: any act, alone or in an
//! all-or-nothing batch, recorded as the caller's.

use super::dto::{BatchBody, BatchReceipts, ReceiptView, SubmissionBody};
use super::openapi;
use super::required::naming_missing;
use crate::auth::Caller;
use crate::body::{self, JsonBody};
use crate::problem::unauthenticated;
use crate::problem::{Nesting, Problem};
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use crimeboard_service::audit::Audited;
use crimeboard_service::{Registry, Submission};
use std::sync::Arc;

pub(super) type Created = (StatusCode, Json<ReceiptView>);

/// Records any act.
#[utoipa::path(post, path = "/api/acts", tag = "acts", request_body = SubmissionBody,
    responses((status = 201, description = "Recorded", body = ReceiptView)))]
pub async fn submit_act(
    State(registry): Shared,
    caller: Caller,
    JsonBody(value): JsonBody,
) -> Result<Created, Problem> {
    signed_in(&caller)?;
    let missing = openapi::missing_fields("Submission", &value);
    let submission = body::submission(value, "").map_err(naming_missing(missing))?;
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
    let missing = openapi::missing_fields("Batch", &value);
    let submissions = body::batch(value).map_err(naming_missing(missing))?;
    let receipts = blocking(&registry, move |r| {
        // Each act is authorized by the registry, and its audit record written in the batch's own transaction.
        r.record_batch(&caller.principal, &submissions, None, &Audited::EachAct(&caller.actor()))
            .map_err(|e| Problem::from_submission(e, Nesting::Command))
    })
    .await?;
    Ok((StatusCode::CREATED, Json(BatchReceipts { receipts: receipts.into_iter().map(ReceiptView::from).collect() })))
}

pub(super) async fn record(
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
    if caller.is_signed_in() { Ok(()) } else { Err(unauthenticated()) }
}
