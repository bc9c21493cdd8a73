//! Digital identifiers (docs/identifiers.md): attaching one as typed,
//! removing one, the lookup across units and the request for access to the
//! records of a unit outside one's scope. Every route takes a JSON body and
//! none a query: what is typed may be a card's clear number, which must not
//! land in an address, an access log or a browser's history. The record
//! views (`GET /api/reports/{id}`, ...) show what a record holds in its state.

use super::acts::Created;
use super::dto::ReceiptView;
use crate::auth::Caller;
use crate::body::{self, JsonBody};
use crate::problem::{Problem, unauthenticated};
use crate::state::{Shared, blocking};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use crimeboard_domain::access::Action;
use crimeboard_domain::identifier::{IdentifierKey, IdentifierKind, Subject, SubjectKind};
use crimeboard_service::audit::Audited;
use crimeboard_service::{Attachment, Lookup, Registry, TypedIdentifier};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// An identifier as typed, in any common form.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TypedBody {
    /// `phone`, `card`, `iban`, `account`, `email`, `url`, `domain`, `ip`, `imei`, `wallet`, `crypto`, `social`.
    #[schema(value_type = String)]
    pub kind: IdentifierKind,
    /// What was typed; never stored, logged or repeated in an error.
    pub input: String,
}

/// An identifier to attach to a report, a case or a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachBody {
    pub subject: Subject,
    pub identifier: TypedBody,
    #[serde(default)]
    pub note: Option<String>,
    pub legal_ground: String,
}

/// An identifier a subject holds, to remove, named by its kind and key.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveBody {
    pub subject: Subject,
    pub key: IdentifierKey,
    pub reason: String,
    pub legal_ground: String,
}

/// What to look up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupBody {
    #[schema(value_type = String)]
    pub kind: IdentifierKind,
    /// The identifier as typed, in any common form.
    pub value: String,
}

/// One report, case or person holding the identifier, in the asker's units.
#[derive(Debug, Serialize, ToSchema)]
pub struct Holder {
    pub subject_kind: SubjectKind,
    pub subject_id: Uuid,
    /// The report or case: the subject, or the one the person belongs to.
    pub record_id: Uuid,
    pub unit: String,
    /// The record's register number.
    pub number: String,
    /// The identifier as recorded (a card masked).
    pub display: String,
    /// The subject's address in the API.
    pub link: String,
}

/// A unit outside the asker's scope holding the identifier: how many, no more.
#[derive(Debug, Serialize, ToSchema)]
pub struct HeldElsewhere {
    pub unit: String,
    pub count: usize,
}

/// What a lookup found.
#[derive(Debug, Serialize, ToSchema)]
pub struct LookupView {
    #[schema(value_type = String)]
    pub kind: IdentifierKind,
    /// The lookup key (a card's keyed hash), which an access request names.
    pub key: String,
    /// The identifier as shown (a card masked).
    pub display: String,
    pub found: Vec<Holder>,
    /// Units outside the asker's scope that hold it: ask for access to see them.
    pub elsewhere: Vec<HeldElsewhere>,
}

impl From<Lookup> for LookupView {
    fn from(l: Lookup) -> Self {
        let found = l
            .visible
            .into_iter()
            .map(|r| Holder {
                subject_kind: r.subject_kind,
                subject_id: r.subject_id,
                record_id: r.record_id,
                unit: r.unit.to_string(),
                number: r.number,
                display: r.display,
                link: format!("/api/{}s/{}", r.subject_kind.as_str(), r.subject_id),
            })
            .collect();
        let elsewhere =
            l.elsewhere.into_iter().map(|e| HeldElsewhere { unit: e.unit.to_string(), count: e.count }).collect();
        LookupView { kind: l.kind, key: l.key, display: l.display, found, elsewhere }
    }
}

/// A request for access to a unit's records holding an identifier.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessRequestBody {
    /// The identifier by its kind and key, as the lookup answered it.
    pub key: IdentifierKey,
    pub unit: String,
    pub reason: String,
}

/// Someone signed in whose role may take `action` somewhere: checked
/// before the body is read, so who may not learns nothing of its rules.
fn allowed(registry: &Registry, caller: &Caller, action: Action) -> Result<(), Problem> {
    if !caller.is_signed_in() {
        return Err(unauthenticated());
    }
    caller.require(registry, action, None)
}

/// Attaches an identifier as typed: refused with the rule it breaks (never
/// repeating it) when malformed, nothing written.
#[utoipa::path(post, path = "/api/identifiers/attachments", tag = "identifiers", request_body = AttachBody,
    responses((status = 201, description = "Recorded (act `attach_identifier`)", body = ReceiptView)))]
pub async fn attach(State(registry): Shared, caller: Caller, JsonBody(value): JsonBody) -> Result<Created, Problem> {
    allowed(&registry, &caller, Action::RecordIdentifiers)?;
    let b: AttachBody = body::decode(value, "")?;
    let attachment = Attachment {
        subject: b.subject,
        identifier: TypedIdentifier { kind: b.identifier.kind, input: b.identifier.input },
        note: b.note,
        legal_ground: b.legal_ground,
    };
    let receipt = blocking(&registry, move |r| {
        r.attach_identifier(&caller.principal, &attachment, &Audited::EachAct(&caller.actor()))
            .map_err(Problem::from_service)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(receipt.into())))
}

/// Removes an identifier a subject holds.
#[utoipa::path(post, path = "/api/identifiers/removals", tag = "identifiers", request_body = RemoveBody,
    responses((status = 201, description = "Recorded (act `remove_identifier`)", body = ReceiptView)))]
pub async fn remove(State(registry): Shared, caller: Caller, JsonBody(value): JsonBody) -> Result<Created, Problem> {
    allowed(&registry, &caller, Action::RecordIdentifiers)?;
    let b: RemoveBody = body::decode(value, "")?;
    let receipt = blocking(&registry, move |r| {
        let audited = Audited::EachAct(&caller.actor());
        r.remove_identifier(&caller.principal, b.subject, b.key, &b.reason, &b.legal_ground, &audited)
            .map_err(Problem::from_service)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(receipt.into())))
}

/// Every report, case and person holding an identifier typed in any common
/// form: the records in the caller's units, and elsewhere the units and how
/// many. A POST, so that what is typed stays out of the address.
#[utoipa::path(post, path = "/api/identifiers/lookup", tag = "identifiers", request_body = LookupBody,
    responses((status = 200, description = "What holds it", body = LookupView)))]
pub async fn lookup(
    State(registry): Shared,
    caller: Caller,
    JsonBody(value): JsonBody,
) -> Result<Json<LookupView>, Problem> {
    allowed(&registry, &caller, Action::ReadPersonalData)?;
    let b: LookupBody = body::decode(value, "")?;
    blocking(&registry, move |r| {
        let found = r.lookup_identifier(&caller.principal, &caller.actor(), b.kind, &b.value);
        found.map(|l| Json(l.into())).map_err(Problem::from_service)
    })
    .await
}

/// Asks for access to the records of a unit holding an identifier: written
/// to the audit trail (who, which key, which unit, why) for an administrator.
#[utoipa::path(post, path = "/api/identifiers/access-requests", tag = "identifiers", request_body = AccessRequestBody,
    responses((status = 202, description = "Recorded in the audit trail")))]
pub async fn request_access(
    State(registry): Shared,
    caller: Caller,
    JsonBody(value): JsonBody,
) -> Result<StatusCode, Problem> {
    allowed(&registry, &caller, Action::ReadPersonalData)?;
    let b: AccessRequestBody = body::decode(value, "")?;
    blocking(&registry, move |r| {
        r.request_identifier_access(&caller.principal, &caller.actor(), &b.key, &b.unit, &b.reason)
            .map_err(Problem::from_service)
    })
    .await?;
    Ok(StatusCode::ACCEPTED)
}
