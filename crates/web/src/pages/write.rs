//! The pages' one write path: a form's submission recorded through the
//! registry, authorized and audited by it as the API's are (an identifier
//! typed is parsed by the registry before its act is built).

use crate::auth::Caller;
use crate::problem::Problem;
use crate::state::blocking;
use crimeboard_domain::Violation;
use crimeboard_domain::identifier::{IdentifierKey, Subject};
use crimeboard_service::audit::Audited;
use crimeboard_service::{Attachment, Receipt, Registry, ServiceError, Submission};
use std::sync::Arc;

/// What became of a form's submission.
pub enum Submitted {
    Recorded(Receipt),
    /// The registry refused it: the rules it broke, for the form.
    Refused(Vec<Violation>),
}

/// Records a submission through the one write path, authorized and audited
/// by the registry as for the API: the act's action in its unit and the units
/// of the entries it reads, recorded as the caller's.
pub async fn submit(registry: &Arc<Registry>, caller: &Caller, submission: Submission) -> Result<Submitted, Problem> {
    let caller = caller.clone();
    blocking(registry, move |r| answered(r.record(&caller.principal, &submission, &Audited::EachAct(&caller.actor()))))
        .await
}

/// Attaches an identifier as typed: the registry parses it first (a
/// malformed one is refused with its rule, nothing written), then records
/// the act as the caller's, authorized and audited as any other.
pub async fn attach(registry: &Arc<Registry>, caller: &Caller, attachment: Attachment) -> Result<Submitted, Problem> {
    let caller = caller.clone();
    blocking(registry, move |r| {
        answered(r.attach_identifier(&caller.principal, &attachment, &Audited::EachAct(&caller.actor())))
    })
    .await
}

/// Removes an identifier a subject holds, named by its kind and key.
pub async fn remove(registry: &Arc<Registry>, caller: &Caller, removal: Removal) -> Result<Submitted, Problem> {
    let caller = caller.clone();
    blocking(registry, move |r| {
        let audited = Audited::EachAct(&caller.actor());
        let Removal { subject, key, reason, legal_ground } = removal;
        answered(r.remove_identifier(&caller.principal, subject, key, &reason, &legal_ground, &audited))
    })
    .await
}

/// An identifier to remove, and why.
pub struct Removal {
    pub subject: Subject,
    pub key: IdentifierKey,
    pub reason: String,
    pub legal_ground: String,
}

/// A recorded act, or the rules it broke for the form.
fn answered(result: Result<Receipt, ServiceError>) -> Result<Submitted, Problem> {
    match result {
        Ok(receipt) => Ok(Submitted::Recorded(receipt)),
        Err(ServiceError::Rejected(rejected)) | Err(ServiceError::BatchItem { rejected, .. }) => {
            Ok(Submitted::Refused(rejected.0))
        }
        Err(other) => Err(Problem::from_service(other)),
    }
}
