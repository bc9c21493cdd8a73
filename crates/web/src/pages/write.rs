//! The pages' one write path: a form's submission recorded through the
//! registry, checked and audited as the API's.

use crate::auth::Caller;
use crate::problem::Problem;
use crate::state::blocking;
use crimeboard_domain::Violation;
use crimeboard_service::{Receipt, Registry, ServiceError, Submission};
use std::sync::Arc;

/// What became of a form's submission.
pub enum Submitted {
    Recorded(Receipt),
    /// The registry refused it: the rules it broke, for the form.
    Refused(Vec<Violation>),
}

/// Records a submission through the one write path, checked and audited as
/// the API does: the act's action in its unit and the units of the entries
/// it reads, recorded as the caller's.
pub async fn submit(
    registry: &Arc<Registry>,
    caller: &Caller,
    mut submission: Submission,
) -> Result<Submitted, Problem> {
    let caller = caller.clone();
    blocking(registry, move |r| {
        crate::submission::authorize_submission(r, &caller, &mut submission)?;
        match r.submit_as(&caller.actor(), &submission) {
            Ok(receipt) => Ok(Submitted::Recorded(receipt)),
            Err(ServiceError::Rejected(rejected)) | Err(ServiceError::BatchItem { rejected, .. }) => {
                Ok(Submitted::Refused(rejected.0))
            }
            Err(other) => Err(Problem::from_service(other)),
        }
    })
    .await
}
