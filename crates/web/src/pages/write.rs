//! The pages' one write path: a form's submission recorded through the
//! registry, authorized and audited by it as the API's are.

use crate::auth::Caller;
use crate::problem::Problem;
use crate::state::blocking;
use crimeboard_domain::Violation;
use crimeboard_service::audit::Audited;
use crimeboard_service::{Receipt, Registry, ServiceError, Submission};
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
    blocking(registry, move |r| match r.record(&caller.principal, &submission, &Audited::EachAct(&caller.actor())) {
        Ok(receipt) => Ok(Submitted::Recorded(receipt)),
        Err(ServiceError::Rejected(rejected)) | Err(ServiceError::BatchItem { rejected, .. }) => {
            Ok(Submitted::Refused(rejected.0))
        }
        Err(other) => Err(Problem::from_service(other)),
    })
    .await
}
