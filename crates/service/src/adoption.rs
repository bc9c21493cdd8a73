//! Adopting a jurisdiction pack: an act on the root unit's journal that
//! carries the pack's files. The pack is checked whole first; the units it
//! adds, the act and (when the counting rules or the calendar change) every
//! counter, recounted from the registers under the new pack, land in one
//! transaction.

use crate::audit::Audited;
use crate::{Jurisdiction, Receipt};
use crate::{
    Registry, Result, Submission, authorize_in, check_envelope, counter_deltas, envelope, receipt, recorded_actor,
    stored_act, stored_entity,
};
use crimeboard_domain::access::{Action, Principal};
use crimeboard_domain::error::{Checks, Rejected, Violation};
use crimeboard_domain::journal::JournalEntry;
use crimeboard_domain::jurisdiction::Adoption;
use crimeboard_domain::units::{DatedTree, Unit, UnitLoad, UnitTree};
use crimeboard_domain::{Act, Assigned, Command, Context};
use crimeboard_store::{StoreError, Tx};
use std::sync::Arc;
use uuid::Uuid;

/// What an adoption did.
#[derive(Debug, Clone)]
pub struct Adopted {
    pub receipt: Receipt,
    /// The counters were recounted under the new pack in the same transaction.
    pub counters_rebuilt: bool,
    /// Units of the pack the tree did not hold, added with it.
    pub units_added: usize,
}

/// A pack adopted in a batch with other acts could change the rules under
/// them halfway: it is recorded alone.
pub(crate) fn adoption_alone() -> Violation {
    Violation::new("act", "jurisdiction.alone")
}

/// The pack an `adopt_jurisdiction` entry carries; unreadable, the data is corrupt.
pub(crate) fn adopted_pack(entry: &JournalEntry) -> Result<Arc<Jurisdiction>, StoreError> {
    let act = stored_act(entry)?;
    let Command::AdoptJurisdiction(adoption) = act.command else {
        return Err(StoreError::Corrupt(format!("act {}/{} is not an adoption", entry.unit, entry.seq)));
    };
    Jurisdiction::from_stored_files(&adoption.files).map(Arc::new).map_err(|problems| {
        let list = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        StoreError::Corrupt(format!("the pack adopted by {}/{}: {list}", entry.unit, entry.seq))
    })
}

impl Registry {
    /// Adopts a jurisdiction pack for `by` on `legal_ground`: from this act
    /// on, the registry works under it.
    pub fn adopt_jurisdiction(&self, by: &Principal, legal_ground: &str, adoption: Adoption) -> Result<Adopted> {
        let submission = Submission {
            actor: by.login.clone(),
            legal_ground: legal_ground.to_string(),
            command: Command::AdoptJurisdiction(adoption),
            late: None,
        };
        self.adopt(by, &submission, &Audited::No)
    }

    /// The latest adoption (who, when, at which position), None while the
    /// shipped demo pack is in force by default.
    pub fn adoption(&self) -> Result<Option<(JournalEntry, Adoption)>> {
        let Some(entry) = self.store.last_adoption()? else { return Ok(None) };
        match stored_act(&entry)?.command {
            Command::AdoptJurisdiction(adoption) => Ok(Some((entry, adoption))),
            _ => Err(StoreError::Corrupt(format!("act {}/{} is not an adoption", entry.unit, entry.seq)).into()),
        }
    }

    pub(crate) fn adopt(&self, by: &Principal, s: &Submission, audited: &Audited) -> Result<Adopted> {
        self.retrying(&mut || self.try_adopt(by, s, audited))
    }

    fn try_adopt(&self, by: &Principal, s: &Submission, audited: &Audited) -> Result<Adopted> {
        let Command::AdoptJurisdiction(adoption) = &s.command else {
            return Err(StoreError::Corrupt("not an adoption".into()).into());
        };
        // Writers read the pack under this lock and hold it to their commit.
        // The locks in the order every writer takes them: the pack, the units, the store's.
        let mut in_force = self.jurisdiction.write().unwrap_or_else(|e| e.into_inner());
        let mut units = self.units.write().unwrap_or_else(|e| e.into_inner());
        let mut tx = self.store.begin()?;
        if tx.last_adoption_position()? != in_force.position {
            // Another process adopted a pack: compare with that one.
            drop((tx, units));
            self.refresh_jurisdiction(&mut in_force)?;
            drop(in_force);
            return self.try_adopt(by, s, audited);
        }
        authorize_in(&units.current(), by, Action::ManageJurisdiction, None)?;
        let actor = recorded_actor(by, s);
        let mut checks = Checks::default();
        if let Err(Rejected(problems)) = check_envelope(actor, s) {
            problems.into_iter().for_each(|v| checks.push(v));
        }
        let pack = match Jurisdiction::from_files(&adoption.files) {
            Ok(pack) => Some(pack),
            Err(problems) => {
                problems.iter().for_each(|p| checks.push(p.violation()));
                None
            }
        };
        let mut tree = DatedTree::clone(&units);
        let mut added = Vec::new();
        if let Some(pack) = &pack {
            // The same pack written otherwise (as one file, its comments gone) is no change either.
            let unchanged = pack.says_the_same_as(&in_force.pack) && in_force.position.is_some();
            checks.check(!unchanged, || Violation::new("files", "jurisdiction.unchanged"));
            added = units_to_add(&mut tree, &pack.units, &mut checks);
        }
        checks.finish()?;
        let Some(pack) = pack else { return Err(StoreError::Corrupt("a pack with problems passed".into()).into()) };
        if !added.is_empty() {
            authorize_in(&tree.current(), by, Action::ManageUnits, None)?;
        }
        let current = tree.current();
        let root = current.all().find(|u| u.parent.is_none()).map(|u| u.code.clone());
        let root = root.ok_or_else(|| Violation::new("files.units.toml", "unit.none_defined"))?;
        let ctx = Context { catalogue: &pack.catalogue, rules: &pack.rules, units: &current, now: self.now() };
        for u in &added {
            tx.add_unit(u)?;
        }
        let assigned = Assigned { id: Uuid::nil(), ..Assigned::default() };
        let payload = Act::payload(&s.command, &assigned);
        let entry = tx.append(root.as_str(), &envelope(actor, s, &ctx), s.command.name(), &payload, &[])?;
        let counters_rebuilt = pack.counts_differently(&in_force.pack);
        if counters_rebuilt {
            tx.clear_counts()?;
            self.recount(tx.as_mut(), &pack, &current)?;
        }
        if pack.rules.series != in_force.pack.rules.series {
            // Another hub threshold links other records: the series follow the pack in force.
            crate::series::rebuild(self.store.as_ref(), tx.as_mut(), &pack.rules.series)?;
        }
        let receipt = receipt(&entry, Uuid::nil(), None, vec![]);
        for event in audited.events(by, std::slice::from_ref(&receipt), ctx.now) {
            tx.audit_append(event)?;
        }
        tx.commit()?;
        *in_force = crate::InForce { pack: Arc::new(pack), position: Some(entry.position) };
        *units = Arc::new(tree);
        Ok(Adopted { receipt, counters_rebuilt, units_added: added.len() })
    }

    /// Counts every entity of the registers again under `pack`, into the
    /// transaction's (emptied) counters. Its acts touch no entity, so the
    /// registers read outside it are the ones it commits with: the write
    /// lock it holds keeps every other writer out until then.
    fn recount(&self, tx: &mut dyn Tx, pack: &Jurisdiction, tree: &UnitTree) -> Result<()> {
        for unit in tree.all() {
            let mut cells = Vec::new();
            self.store.each_record(unit.code.as_str(), &mut |record| {
                cells.extend(pack.indicators.contributions(&stored_entity(&record)?, &pack.rules));
                Ok(())
            })?;
            tx.add_counts(&counter_deltas(Vec::new(), cells))?;
        }
        Ok(())
    }
}

/// The pack's units the tree lacks, loaded into it. The tree only grows:
/// a unit the pack describes otherwise than it was loaded is refused (its
/// changes since are acts of their own), and a stored unit the pack leaves
/// out stays (its entries are still there).
fn units_to_add(tree: &mut DatedTree, units: &[Unit], checks: &mut Checks) -> Vec<Unit> {
    let mut added = Vec::new();
    for u in units {
        match tree.loaded().get(&u.code) {
            Some(stored) if stored == u => {}
            Some(_) => checks.push(Violation::new("files.units.toml", "jurisdiction.units_kept").with("unit", &u.code)),
            None => match tree.load(u.clone()) {
                Ok(UnitLoad::Added) => added.push(u.clone()),
                Ok(UnitLoad::AlreadyThere) => {}
                Err(v) => checks.push(Violation::new("files.units.toml", "jurisdiction.invalid").with("problem", v)),
            },
        }
    }
    added
}
