//! Who may record an act: the one check the API's and the pages' writes
//! share before `Registry::submit_as`.

use crate::auth::Caller;
use crate::problem::Problem;
use crimeboard_domain::Command;
use crimeboard_domain::access::Action;
use crimeboard_domain::act::Creates;
use crimeboard_service::{Registry, Submission};

/// May the caller record this act? Its action must be theirs, in the unit
/// it is recorded in and the units of every entry it reads (a case opened
/// from another district's report needs that district too). The act is
/// recorded as the caller's, whatever the body says.
pub fn authorize_submission(r: &Registry, caller: &Caller, s: &mut Submission) -> Result<(), Problem> {
    let action = Action::for_command(&s.command);
    caller.require(r, action, None)?;
    let own_unit = match &s.command {
        Command::Annul(a) => Some(a.unit.to_string()),
        // A new entry is recorded in its own unit; the other acts change
        // entries that exist, whose units are among those read below.
        Command::RegisterReport(_)
        | Command::OpenCase(_)
        | Command::RecordSeizure(_)
        | Command::HoldAccountable(_)
        | Command::RecordAccident(_)
        | Command::RequestExamination(_)
        | Command::ExtendCheck(_)
        | Command::DecideReport(_)
        | Command::RateHandling(_)
        | Command::AddPerson(_)
        | Command::Reclassify(_)
        | Command::DecideCase(_)
        | Command::RecordDamage(_)
        | Command::Reimburse(_)
        | Command::CompleteExamination(_) => match s.command.creates() {
            Creates::Entity { unit, .. } => Some(unit.to_string()),
            Creates::Nothing => None,
        },
    };
    let read_units = s.command.reads().into_iter().filter_map(|(id, _)| r.get(id).ok().map(|rec| rec.unit));
    for unit in own_unit.into_iter().chain(read_units) {
        caller.require(r, action, Some(&unit))?;
    }
    // An empty actor is left for the rules to refuse by name.
    if caller.is_signed_in() && !s.actor.trim().is_empty() {
        s.actor = caller.principal.login.clone();
    }
    Ok(())
}
