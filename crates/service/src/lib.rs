//! Use cases. A submission is authorized for the principal who asks for it,
//! checked against the rules, given its ids and register numbers, appended to
//! its unit's journal and projected into the current state, all in one store
//! transaction: it lands whole or not at all.

pub mod accounts;
mod adoption;
pub mod audit;
mod board;
mod figures;
mod identifiers;
mod ids;
mod inspection;
mod jurisdiction;
mod online;
mod open_data;
mod published;
pub mod reception;
pub mod seal;
mod search;
pub mod series;
mod series_figures;
pub mod totp;

pub use adoption::Adopted;
use adoption::{adopted_pack, adoption_alone};
pub use board::{CommitmentsMemo, MAX_TASKS, SheetFilter, TargetProgress, TaskLine, TaskPage, TaskProgress};
pub use figures::{CounterMismatch, DecidedCancellation, MAX_TREND_MONTHS, Structure};
pub use identifiers::{Attachment, Elsewhere, Lookup, MAX_LOOKUP_ROWS, TypedIdentifier};
pub use inspection::SampleView;
pub use online::{Followed, ONLINE_GROUND, OnlineReceipt};
pub use published::{EntryRef, MAX_PUBLICATIONS, RevisedFigure, RevisingAct, Revisions};

pub use jurisdiction::{
    Jurisdiction, LANGUAGES, PACK_FILES, PackFiles, PackProblem, as_one_file_writes, demo_files, demo_units, one_file,
    read_folder, same_in_meaning, split_one_file,
};

use audit::Audited;
use chrono::{DateTime, Datelike, Utc};
use crimeboard_domain::access::{Action, Denied, Principal, Role};
use crimeboard_domain::act::{Creates, replay};
use crimeboard_domain::cancellation;
use crimeboard_domain::error::{Checks, Rejected, Violation};
use crimeboard_domain::identifier::IdentifierChanges;
use crimeboard_domain::journal::JournalEntry;
use crimeboard_domain::late::{self, StatedReason};
use crimeboard_domain::publication::{Publication, Revised};
use crimeboard_domain::records::RowChanges;
use crimeboard_domain::release;
use crimeboard_domain::units::{
    DatedTree, NewUnit, TreeChange, Unit, UnitChange, UnitCode, UnitInForce, UnitLoad, UnitTree,
};
use crimeboard_domain::{Act, Assigned, Command, Context, Entity, EntityKind, Envelope, Loaded};
use crimeboard_stats::Cell;
pub use crimeboard_store::ListSort;
use crimeboard_store::{ChainReport, CountDelta, ListQuery, QueueCount, QueueQuery, Record, Store, StoreError, Tx};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, RwLock};
use uuid::Uuid;

pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("rejected: {0}")]
    Rejected(#[from] Rejected),
    #[error("item {index} of the batch was rejected: {rejected}")]
    BatchItem { index: usize, rejected: Rejected },
    /// The principal may not record this act (or make this change): its
    /// role, its token or its units do not allow it. Nothing was written.
    #[error("denied: {0}")]
    Denied(#[from] Denied),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Violation> for ServiceError {
    fn from(v: Violation) -> Self {
        ServiceError::Rejected(v.into())
    }
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// The acts that follow a submission of a batch, built from its receipt
/// (the decisions on a case an import opens), recorded with it; `None`: none.
pub type Then<'a> = Option<&'a mut dyn FnMut(usize, &Receipt) -> Vec<Submission>>;

/// A command with who asks for it and on what legal ground.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Must not be empty; the journal names the principal who records the
    /// act, whatever this says.
    pub actor: String,
    pub legal_ground: String,
    pub command: Command,
    /// Why the act comes late: a report registered longer after its receipt
    /// than the rules allow, or an act that changes a published figure
    /// (`crimeboard_domain::late`). Required then, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late: Option<StatedReason>,
}

/// What the registry gives back for a recorded act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    pub act_id: Uuid,
    pub act: String,
    pub unit: String,
    pub seq: i64,
    pub position: i64,
    /// The entity created or changed.
    pub entity_id: Uuid,
    /// Its register number, when the act created it.
    pub number: Option<String>,
    pub person_ids: Vec<Uuid>,
}

/// Filters for lists, as a user gives them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListParams {
    pub kind: Option<EntityKind>,
    /// A unit; the list covers it and every unit below it.
    pub unit: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub status: Option<String>,
    pub parent: Option<Uuid>,
    pub number: Option<String>,
    pub q: Option<String>,
    /// Cases with this article (177, 177.2 or 177.2.1), or with a part or
    /// point of it.
    pub article: Option<String>,
    /// Cases with this flag (`it_enabled`, `group`, ...: `search::CASE_FLAGS`).
    pub flag: Option<String>,
    /// Appeals of this kind (`application`, `proposal`, `complaint`).
    pub appeal_kind: Option<String>,
    /// Appeals that came by this channel (`written`, `online`, `email`, `reception`, `telephone`).
    pub appeal_channel: Option<String>,
    /// The order; newest first if not set (with `q`, newest recorded first).
    /// `deadline` and `deadline_desc` are for reports only.
    pub sort: Option<ListSort>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    /// Only these units (the asker's scope), whatever `unit` says; never from the query.
    #[serde(skip)]
    pub within: Option<Vec<String>>,
}

pub const MAX_PER_PAGE: u64 = 200;

/// How often a batch that lost a deadlock is run again before the error is returned.
const TRANSIENT_RETRIES: u64 = 20;
pub const DEFAULT_PER_PAGE: u64 = 50;

#[derive(Debug, Clone)]
pub struct ListPage {
    pub items: Vec<Record>,
    pub page: u64,
    pub per_page: u64,
    pub has_more: bool,
}

/// The queue asked for: a unit (and those below it) within the asker's scope, a page.
#[derive(Debug, Clone, Default)]
pub struct QueueParams {
    /// The register whose entries wait: reports unless asked.
    pub register: Queued,
    pub unit: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    /// Only these units (the asker's scope), whatever `unit` says.
    pub within: Option<Vec<String>>,
}

/// The registers with a unit queue by deadline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Queued {
    /// Reports awaiting a decision.
    #[default]
    Reports,
    /// Open appeals awaiting an answer, a referral or their passing on.
    Appeals,
    /// Freeze requests awaiting the institution's answer.
    Freezes,
    /// Cases whose cancellation request awaits the second approver, the
    /// oldest request first: a case's row is queued by when it was asked.
    Cancellations,
}

impl Queued {
    fn kind(self) -> EntityKind {
        match self {
            Queued::Reports => EntityKind::Report,
            Queued::Appeals => EntityKind::Appeal,
            Queued::Freezes => EntityKind::Freeze,
            Queued::Cancellations => EntityKind::Case,
        }
    }
}

/// A page of the unit queue with the counts over all of it.
#[derive(Debug, Clone)]
pub struct Queue {
    /// Reports awaiting a decision, nearest deadline first.
    pub items: Vec<Record>,
    pub page: u64,
    pub per_page: u64,
    pub has_more: bool,
    /// Over every unit of the queue (`unit` is empty).
    pub total: QueueCount,
    /// Per unit with any report waiting, by unit code.
    pub by_unit: Vec<QueueCount>,
    /// The instant the counts were taken at: a deadline at or before it is overdue.
    pub now: DateTime<Utc>,
    /// A deadline after `now` and at or before this is due today.
    pub due_by: DateTime<Utc>,
}

/// What `verify` found: every chain, and whether all hold.
#[derive(Debug, Clone)]
pub struct Verification {
    pub chains: Vec<ChainReport>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.chains.iter().all(|c| c.result.is_ok())
    }

    pub fn entries(&self) -> i64 {
        self.chains.iter().filter_map(|c| c.result.as_ref().ok()).sum()
    }
}

/// What loading a units file did: units added, and units already in the
/// tree exactly as the file gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitsLoaded {
    pub added: usize,
    pub already_there: usize,
}

/// How units new to a loaded tree are recorded by
/// [`Registry::add_units`]: when they are in force (on every day, or from
/// a day on) and the legal ground of their acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitsAddition {
    pub effective_from: UnitInForce,
    pub legal_ground: String,
}

pub struct Registry {
    pub(crate) store: Arc<dyn Store>,
    /// The jurisdiction pack in force. A write reads it under this lock and
    /// holds it to its commit, so an adoption (which takes it to write)
    /// never lands between an act's counting rules and its counters.
    jurisdiction: RwLock<InForce>,
    /// The units as loaded and the changes recorded on them.
    units: RwLock<Arc<DatedTree>>,
    clock: Clock,
    /// Seals TOTP secrets at rest; none until `with_secret_key*` gives one.
    pub(crate) secret_key: seal::KeySlot,
    /// Keys the hash of payment cards; none until `with_card_key*` gives one,
    /// and until then a card is refused (`identifier.card.key_missing`).
    pub(crate) card_key: identifiers::CardKeySlot,
}

/// The pack a batch records under and the context built from it.
#[derive(Clone, Copy)]
struct Under<'a> {
    pack: &'a Jurisdiction,
    ctx: &'a Context<'a>,
    /// The unit tree with its dated changes as the batch began.
    dated: &'a DatedTree,
    /// The publications as the batch began, whose figures its acts may revise.
    publications: &'a [Publication],
}

impl Registry {
    /// Opens the registry over a store, under the jurisdiction pack the
    /// store last adopted (the shipped demo pack before any adoption).
    pub fn new(store: Arc<dyn Store>, clock: Clock) -> Result<Registry> {
        let units = dated_tree(store.as_ref())?;
        let in_force = InForce::read(store.as_ref())?;
        let registry = Registry {
            store,
            jurisdiction: RwLock::new(in_force),
            units: RwLock::new(Arc::new(units)),
            clock,
            secret_key: Default::default(),
            card_key: Default::default(),
        };
        registry.adopt_current_search_keys()?;
        registry.fill_new_series_table()?;
        Ok(registry)
    }

    /// Seals TOTP secrets at rest with this key.
    pub fn with_secret_key(self, key: seal::SecretKey) -> Registry {
        let slot = seal::KeySlot { file: None, key: std::sync::OnceLock::from(Arc::new(key)) };
        Registry { secret_key: slot, ..self }
    }

    /// Seals TOTP secrets at rest with the key in this file, read (or
    /// created, mode 0600) the first time a secret is sealed or opened.
    pub fn with_secret_key_file(self, path: impl Into<std::path::PathBuf>) -> Registry {
        Registry { secret_key: seal::KeySlot { file: Some(path.into()), key: Default::default() }, ..self }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The jurisdiction pack in force: take it once per request.
    pub fn jurisdiction(&self) -> Arc<Jurisdiction> {
        self.jurisdiction.read().unwrap_or_else(|e| e.into_inner()).pack.clone()
    }

    /// The pack in force for a read, following one another process adopted
    /// (`crimeboard jurisdiction apply` beside a running server), with the
    /// journal position read at the same time: one read of both heads
    /// (`Store::heads`), and the pack read again only when the latest
    /// adoption moved. Writes check the same under their transaction's lock;
    /// the web calls this once per request, before anything is read, and keys
    /// what it keeps per position by the position read here.
    pub fn follow_adoptions(&self) -> Result<(Arc<Jurisdiction>, i64)> {
        let heads = self.store.heads()?;
        let latest = heads.last_adoption;
        {
            let in_force = self.jurisdiction.read().unwrap_or_else(|e| e.into_inner());
            if in_force.position == latest {
                return Ok((in_force.pack.clone(), heads.position));
            }
        }
        let mut in_force = self.jurisdiction.write().unwrap_or_else(|e| e.into_inner());
        if in_force.position != latest {
            self.refresh_jurisdiction(&mut in_force)?;
        }
        Ok((in_force.pack.clone(), heads.position))
    }

    /// Reads the pack in force and the unit tree again from the store: another
    /// process (`crimeboard jurisdiction apply` beside a running server) adopted a pack.
    fn refresh_jurisdiction(&self, in_force: &mut InForce) -> Result<()> {
        *in_force = InForce::read(self.store.as_ref())?;
        let units = dated_tree(self.store.as_ref())?;
        *self.units.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(units);
        Ok(())
    }

    /// The unit tree with every change recorded applied: the structure the
    /// registry works in (scopes, pickers, lists).
    pub fn units(&self) -> Arc<UnitTree> {
        self.dated_units().current()
    }

    /// The unit tree as loaded with its dated changes, for the structure in
    /// force on a day.
    pub fn dated_units(&self) -> Arc<DatedTree> {
        self.units.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The system principal named `name` (`demo`, `generator`, an import's
    /// `acts.actor`): what the system records on its own account.
    pub fn system(&self, name: &str) -> Principal {
        Principal::system(name, self.root_code())
    }

    /// Adds units (parents before children) to the tree, which may hold some
    /// of them already: an identical unit already there (as loaded or as
    /// added) is left alone, one whose content differs refuses the whole
    /// file (`unit.differs`, naming the field), so a units file can be
    /// loaded again with units added to it. Into an empty tree the units are
    /// the tree as loaded, there on every day (a root has no parent to be
    /// added under); into a loaded tree each new unit is an `add_unit` act in
    /// its own journal, in force as `addition.effective_from` says: on every
    /// day (a unit that existed before it was recorded here) or from a day
    /// on. All or none.
    /// The unit tree is the country's structure: only the system changes it
    /// (the CLI's `units`, an import, the demo), as the access matrix says.
    pub fn add_units(&self, by: &Principal, units: &[Unit], addition: &UnitsAddition) -> Result<UnitsLoaded> {
        authorize_in(&self.units(), by, Action::ManageUnits, None)?;
        if self.units().is_empty() {
            return self.load_units(units);
        }
        let tree = self.dated_units();
        let mut loaded = UnitsLoaded::default();
        let (mut submissions, mut lines) = (Vec::new(), Vec::new());
        for (index, u) in units.iter().enumerate() {
            let there = tree.already_there(u).map_err(|v| ServiceError::BatchItem { index, rejected: v.into() })?;
            if there {
                loaded.already_there += 1;
                continue;
            }
            let Some(parent) = u.parent.clone() else {
                let rejected = Violation::new("parent", "unit.second_root").into();
                return Err(ServiceError::BatchItem { index, rejected });
            };
            let new = NewUnit {
                code: u.code.clone(),
                parent,
                kind: u.kind,
                agency: u.agency,
                names: u.names.clone(),
                effective_from: addition.effective_from,
            };
            let command = Command::AddUnit(new);
            submissions.push(Submission {
                actor: by.login.clone(),
                legal_ground: addition.legal_ground.clone(),
                command,
                late: None,
            });
            lines.push(index);
        }
        if !submissions.is_empty() {
            self.record_batch(by, &submissions, None, &Audited::No).map_err(|e| match e {
                ServiceError::BatchItem { index, rejected } => {
                    ServiceError::BatchItem { index: lines[index], rejected }
                }
                other => other,
            })?;
        }
        loaded.added = submissions.len();
        Ok(loaded)
    }

    /// Units added from today, the installation's civil day, on `legal_ground`.
    pub fn units_added_today(&self, legal_ground: &str) -> UnitsAddition {
        let effective_from = UnitInForce::From(self.jurisdiction().rules.local_date(self.now()));
        UnitsAddition { effective_from, legal_ground: legal_ground.to_string() }
    }

    /// Loads the first units of an empty tree as the tree as loaded.
    fn load_units(&self, units: &[Unit]) -> Result<UnitsLoaded> {
        let mut guard = self.units.write().unwrap_or_else(|e| e.into_inner());
        let mut tree = DatedTree::clone(&guard);
        let mut loaded = UnitsLoaded::default();
        let mut tx = self.store.begin()?;
        for (i, u) in units.iter().enumerate() {
            match tree.load(u.clone()).map_err(|v| ServiceError::BatchItem { index: i, rejected: v.into() })? {
                UnitLoad::Added => {
                    tx.add_unit(u)?;
                    loaded.added += 1;
                }
                UnitLoad::AlreadyThere => loaded.already_there += 1,
            }
        }
        tx.commit()?;
        *guard = Arc::new(tree);
        Ok(loaded)
    }

    /// Records one act for `by`, with the audit record(s) `audited` asks
    /// for in the act's own transaction: both land, or neither. The act is
    /// authorized first (see [`Registry::record_batch`]).
    pub fn record(&self, by: &Principal, submission: &Submission, audited: &Audited) -> Result<Receipt> {
        let mut receipts =
            self.record_batch(by, std::slice::from_ref(submission), None, audited).map_err(|e| match e {
                ServiceError::BatchItem { rejected, .. } => ServiceError::Rejected(rejected),
                other => other,
            })?;
        Ok(receipts.remove(0))
    }

    /// Records acts for `by` in one transaction: all of them, or none if any
    /// is denied or rejected. After each submission, the acts `then` builds
    /// from its receipt (the decisions on a case it opened, say) are recorded
    /// too, so that a record and what follows from it land together; a
    /// rejection of a submission or of any act that follows it names the
    /// submission's index. The audit record(s) `audited` asks for are written
    /// in the same transaction. Returns the submissions' receipts (not those
    /// of the acts that followed).
    ///
    /// Each act is authorized before it is checked or written: its action
    /// in the unit it names (a new entry's, an annulment's) and in the unit
    /// of every entry it reads, as the transaction loads them. It is
    /// recorded under `by`'s login.
    pub fn record_batch(
        &self,
        by: &Principal,
        submissions: &[Submission],
        mut then: Then,
        audited: &Audited,
    ) -> Result<Vec<Receipt>> {
        self.retrying(&mut || self.try_batch(by, submissions, &mut then, audited))
    }

    /// Runs a write again when the database gave up on it. Two writers that
    /// lock the same units' chain heads in opposite orders deadlock on
    /// PostgreSQL; the loser's transaction wrote nothing, so it is simply
    /// run again a moment later.
    pub(crate) fn retrying<T>(&self, write: &mut dyn FnMut() -> Result<T>) -> Result<T> {
        let mut attempt = 0u64;
        loop {
            match write() {
                Err(ServiceError::Store(e)) if e.is_transient() && attempt < TRANSIENT_RETRIES => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(5 * attempt));
                }
                result => return result,
            }
        }
    }

    /// One attempt at a batch. Its audit records are appended after the last
    /// act, in the same transaction: the trail's head is then the last lock
    /// taken (PostgreSQL), so writers that queue for it hold nothing the
    /// holder still needs.
    fn try_batch(
        &self,
        by: &Principal,
        submissions: &[Submission],
        then: &mut Then,
        audited: &Audited,
    ) -> Result<Vec<Receipt>> {
        if let Some(index) = submissions.iter().position(|s| matches!(s.command, Command::AdoptJurisdiction(_))) {
            if submissions.len() > 1 || then.is_some() {
                return Err(ServiceError::BatchItem { index, rejected: adoption_alone().into() });
            }
            return Ok(vec![self.adopt(by, &submissions[index], audited)?.receipt]);
        }
        reception::check_batch(submissions)?;
        // The locks in the order every writer takes them: the pack, the units, the store's.
        let in_force = self.jurisdiction.read().unwrap_or_else(|e| e.into_inner());
        // A batch that changes the unit tree holds it from its checks to its
        // commit, so changes are checked in the order they take effect.
        let changes_tree = submissions.iter().any(|s| s.command.unit_change().is_some());
        let mut guard = changes_tree.then(|| self.units.write().unwrap_or_else(|e| e.into_inner()));
        let mut pending: Option<DatedTree> = guard.as_ref().map(|g| DatedTree::clone(g));
        let standing = match &guard {
            Some(g) => Arc::clone(g),
            None => self.dated_units(),
        };
        let units = standing.current();
        let mut tx = self.store.begin()?;
        if tx.last_adoption_position()? != in_force.position {
            // Another process adopted a pack: read it, and record under it.
            drop((tx, guard, in_force));
            self.refresh_jurisdiction(&mut self.jurisdiction.write().unwrap_or_else(|e| e.into_inner()))?;
            return self.try_batch(by, submissions, then, audited);
        }
        let pack = in_force.pack.clone();
        let ctx = Context { catalogue: &pack.catalogue, rules: &pack.rules, units: &units, now: self.now() };
        let publications = self.publications()?;
        let under = Under { pack: &pack, ctx: &ctx, dated: &standing, publications: &publications };
        let at = |index: usize, e: ServiceError| match e {
            ServiceError::Rejected(rejected) => ServiceError::BatchItem { index, rejected },
            e => e,
        };
        let mut receipts = Vec::with_capacity(submissions.len());
        let mut recorded = Vec::new();
        for (index, s) in submissions.iter().enumerate() {
            let mut group = Group::default();
            let receipt =
                self.record_act(tx.as_mut(), by, s, under, &mut group, &mut pending).map_err(|e| at(index, e))?;
            recorded.push(receipt.clone());
            let followers = then.as_mut().map_or_else(Vec::new, |then| then(index, &receipt));
            for next in followers {
                let follower = self.record_act(tx.as_mut(), by, &next, under, &mut group, &mut pending);
                recorded.push(follower.map_err(|e| at(index, e))?);
            }
            self.project_group(tx.as_mut(), &pack, group)?;
            receipts.push(receipt);
        }
        for event in audited.events(by, &recorded, ctx.now) {
            tx.audit_append(event)?;
        }
        tx.commit()?;
        if let (Some(guard), Some(changed)) = (guard.as_mut(), pending) {
            **guard = Arc::new(changed);
        }
        drop(in_force);
        Ok(receipts)
    }

    /// Authorizes an act for `by`, checks it, gives it its ids, applies it
    /// and appends it to its unit's journal. Its projection (index rows,
    /// counters) is written by `project_group` once the acts of its group are
    /// recorded: the projection moves from the state before the group to the
    /// state after.
    fn record_act(
        &self,
        tx: &mut dyn Tx,
        by: &Principal,
        s: &Submission,
        under: Under,
        group: &mut Group,
        tree: &mut Option<DatedTree>,
    ) -> Result<Receipt> {
        let Under { pack, ctx, dated, publications } = under;
        // A batch that changes the tree checks each act against the tree
        // with the batch's earlier changes: a unit it added is there.
        let changed_units = tree.as_ref().map(DatedTree::current);
        let with_changes;
        let ctx = match &changed_units {
            Some(units) => {
                with_changes = Context { catalogue: ctx.catalogue, rules: ctx.rules, units, now: ctx.now };
                &with_changes
            }
            None => ctx,
        };
        let dated = tree.as_ref().unwrap_or(dated);
        let action = Action::for_act(by.role, &s.command);
        // The role first: who may not record here learns nothing of the rules.
        authorize_in(ctx.units, by, action, None)?;
        authorize_in(ctx.units, by, action, s.command.named_unit())?;
        let actor = recorded_actor(by, s);
        // The envelope's problems and the command's are refused together, in one answer.
        let envelope_problems = check_envelope(actor, s).err();
        if let Some(rejected) = envelope_problems.clone().filter(|_| matches!(s.command, Command::Annul(_))) {
            return Err(rejected.into());
        }
        if let Command::Annul(a) = &s.command {
            // An annulment replays from the stored projections: bring them up to date first.
            self.project_group(tx, pack, std::mem::take(group))?;
            return self.annul(tx, actor, s, a, pack, ctx, publications);
        }
        if let Command::AdoptJurisdiction(_) = &s.command {
            // Only an act that follows from another gets here: `try_batch` records an adoption alone.
            return Err(adoption_alone().into());
        }
        let mut loaded = Loaded::new();
        for (id, _) in s.command.reads() {
            if let Some(entity) = group.known.remove(&id) {
                loaded.insert(id, entity);
            } else if let Some(record) = tx.load(id)? {
                loaded.insert(id, entity_of(&record)?);
            }
        }
        // What the act reads is in its units too: a case opened from another
        // district's report needs that district. An entry not found is left
        // for the rules to name.
        for entity in loaded.values() {
            authorize_in(ctx.units, by, action, Some(entity.unit()))?;
        }
        board::authorize_control(by, &s.command, &loaded)?;
        // The Board's acts consult the counting rules and the counters too.
        let (readings, mut board_checks) = board::facts(self, pack, ctx, &s.command, &loaded)?;
        reception::facts(self, &s.command, &mut board_checks)?;
        identifiers::check_normalised(self, &s.command, &mut board_checks)?;
        let confirmed = series::facts(tx, &ctx.rules.series, &s.command, &mut board_checks)?;
        let release = board::release_draft(self, pack, ctx, &s.command, &loaded)?;
        if let Some(draft) = &release {
            release::check_generated(draft, &mut board_checks);
        }
        if let Some(refused) = cancellation_approver(by, &s.command, &loaded, ctx) {
            board_checks.push(refused);
        }
        let late_hours = late_registration(by, &s.command, ctx);
        let late_checks = check_late_registration(s, late_hours, ctx);
        let problems: Vec<Violation> =
            [envelope_problems, s.command.check(&loaded, ctx).err(), board_checks.finish().err(), late_checks.err()]
                .into_iter()
                .flatten()
                .flat_map(|r| r.0)
                .collect();
        if !problems.is_empty() {
            return Err(Rejected(problems).into());
        }
        if let Creates::Entity { unit, at, .. } = s.command.creates() {
            dated.check_in_force(&unit, at.day(ctx)).map_err(Rejected::from)?;
        }
        let mut assigned = assign(tx, &s.command, ctx)?;
        assigned.readings = readings;
        assigned.release = release;
        assigned.matter_answers = s.command.matter_answers(&loaded, ctx.rules);
        assigned.from_case = s.command.from_case(&loaded);
        assigned.recorded_on = board::dates_itself(&s.command).then(|| ctx.today());
        assigned.late = s.late.as_ref().map(|stated| late::kept(stated, late_hours));
        assigned.published = published::stamp(self, publications, &s.command)?;
        assigned.by = names_its_actor(&s.command).then(|| actor.to_string());
        assigned.drawn = inspection::drawn(self, &s.command, ctx.rules)?;
        assigned.confirmed = confirmed;
        let unit = s
            .command
            .unit(&loaded, &assigned)
            .cloned()
            .ok_or_else(|| StoreError::Corrupt("act without a unit".into()))?;
        let subjects = s.command.subjects(&assigned);
        for id in &subjects {
            if group.touched.contains(id) {
                continue;
            }
            if let Some(entity) = loaded.get(id) {
                group.before.insert(*id, entity.clone());
            }
            group.touched.push(*id);
        }
        let was = contributions(pack, subjects.iter().filter_map(|id| loaded.get(id)));
        s.command.apply(&assigned, &mut loaded, ctx);
        let now = contributions(pack, subjects.iter().filter_map(|id| loaded.get(id)));
        assigned.revises = check_revision(s, late_hours.is_some(), &counter_deltas(was, now), publications, ctx.units)?;
        let unit_change = s.command.unit_change().map(|change| check_unit_change(tx, tree, change)).transpose()?;
        let payload = Act::payload(&s.command, &assigned);
        let entry = tx.append(unit.as_str(), &envelope(actor, s, ctx), s.command.name(), &payload, &subjects)?;
        if let Some(source) = s.command.source() {
            tx.add_source(&source.system, &source.id, assigned.id, entry.position)?;
        }
        if let Some(day) = unit_change.flatten() {
            let json = serde_json::to_string(&s.command).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.add_unit_change(entry.position, day, &json)?;
        }
        if let Some((key, linking)) = series::decision_of(&s.command) {
            series::decided(tx, &ctx.rules.series, key, linking, entry.position)?;
        }
        // What the group changed stays at hand for its next act and its projection.
        for (id, entity) in loaded {
            if group.touched.contains(&id) {
                group.known.insert(id, entity);
            }
        }
        let number = (!assigned.number.is_empty()).then(|| assigned.number.clone());
        Ok(receipt(&entry, assigned.id, number, assigned.person_ids))
    }

    /// Writes the projection of a group of acts: from what its subjects were
    /// before the group to what they are after it.
    fn project_group(&self, tx: &mut dyn Tx, pack: &Jurisdiction, group: Group) -> Result<()> {
        if group.touched.is_empty() {
            return Ok(());
        }
        self.project(tx, pack, &group.touched, &group.before, &group.known)
    }

    /// Writes what changed in the subjects' rows from `before` to `after`
    /// (new rows inserted, changed ones updated, vanished ones deleted) and
    /// moves the counters from what the subjects added before to what they
    /// add now. A subject that did not change adds the same, so it is skipped.
    fn project(
        &self,
        tx: &mut dyn Tx,
        pack: &Jurisdiction,
        subjects: &[Uuid],
        before: &Loaded,
        after: &Loaded,
    ) -> Result<()> {
        let (set, rules) = (&pack.indicators, &pack.rules);
        let mut rows = RowChanges::default();
        let mut identifiers = IdentifierChanges::default();
        let (mut was, mut now) = (Vec::new(), Vec::new());
        for id in subjects {
            let (old, new) = (before.get(id), after.get(id));
            if old == new {
                continue;
            }
            rows.add(old, new, rules);
            identifiers.add(old, new);
            was.extend(old.into_iter().flat_map(|e| set.contributions(e, rules)));
            now.extend(new.into_iter().flat_map(|e| set.contributions(e, rules)));
        }
        tx.delete(&rows.gone)?;
        tx.insert(rows.fresh)?;
        tx.update(rows.changed)?;
        let touched = series::Touched::of(&identifiers);
        tx.identifiers(identifiers)?;
        series::update(tx, &rules.series, touched)?;
        tx.add_counts(&counter_deltas(was, now))?;
        Ok(())
    }

    /// Annuls an act: its subjects are rebuilt from their other acts, and the
    /// annulment is refused if the result breaks a rule that must always hold,
    /// or changes a published figure without a reason.
    #[allow(clippy::too_many_arguments)]
    fn annul(
        &self,
        tx: &mut dyn Tx,
        actor: &str,
        s: &Submission,
        a: &crimeboard_domain::act::Annul,
        pack: &Jurisdiction,
        ctx: &Context,
        publications: &[Publication],
    ) -> Result<Receipt> {
        s.command.check(&Loaded::new(), ctx)?;
        check_late_registration(s, None, ctx)?;
        let target = tx
            .entry(a.unit.as_str(), a.seq)?
            .ok_or_else(|| Violation::new("seq", "reference.not_found").with("unit", &a.unit).with("seq", a.seq))?;
        if target.kind == "annul" {
            return Err(Violation::new("seq", "annul.of_annulment").into());
        }
        if target.kind == Command::ADOPT_JURISDICTION {
            // Counters and reports follow the pack in force: another adoption changes it.
            return Err(Violation::new("seq", "annul.of_adoption").into());
        }
        if act_of(&target)?.command.unit_change().is_some() {
            return Err(Violation::new("seq", "annul.unit_change").into());
        }
        if tx.is_annulled(target.position)? {
            return Err(Violation::new("seq", "annul.already_annulled").into());
        }
        let subjects = tx.subjects(target.position)?;
        let mut current = Loaded::new();
        for id in &subjects {
            if let Some(record) = tx.load(*id)? {
                current.insert(*id, entity_of(&record)?);
            }
        }
        let mut rebuilt = Loaded::new();
        let mut checks = Checks::default();
        for id in &subjects {
            let acts = tx
                .acts_in_force(*id)?
                .into_iter()
                .filter(|e| e.act_id != target.act_id)
                .map(|e| act_of(&e))
                .collect::<Result<Vec<_>>>()?;
            if let Some(entity) = replay(&acts, ctx).remove(id) {
                entity.check_invariants(&mut checks);
                rebuilt.insert(*id, entity);
            }
        }
        checks.finish()?;
        let deltas = counter_deltas(contributions(pack, current.values()), contributions(pack, rebuilt.values()));
        let revises = check_revision(s, false, &deltas, publications, ctx.units)?;
        let env = envelope(actor, s, ctx);
        let late = s.late.as_ref().map(|stated| late::kept(stated, None));
        let assigned = Assigned { id: target.act_id, late, revises, ..Assigned::default() };
        let payload = Act::payload(&s.command, &assigned);
        let entry = tx.append(a.unit.as_str(), &env, s.command.name(), &payload, &subjects)?;
        tx.annul(target.position, entry.position, a.reason.trim())?;
        self.project(tx, pack, &subjects, &current, &rebuilt)?;
        series::decision_annulled(tx, &pack.rules.series, &target)?;
        Ok(receipt(&entry, target.act_id, None, vec![]))
    }

    pub fn get(&self, id: Uuid) -> Result<Record> {
        self.store.get(id)?.ok_or(ServiceError::NotFound)
    }

    pub fn entity(&self, id: Uuid) -> Result<Entity> {
        let record = self.get(id)?;
        entity_of(&record)
    }

    pub fn list(&self, p: &ListParams) -> Result<ListPage> {
        self.list_within(p, MAX_PER_PAGE)
    }

    /// The first `max` entries that match, in one read: a list exported as a
    /// file, which pages of [`MAX_PER_PAGE`] would read again and again.
    pub fn list_for_export(&self, p: &ListParams, max: u64) -> Result<ListPage> {
        self.list_within(&ListParams { page: Some(1), per_page: Some(max), ..p.clone() }, max)
    }

    fn list_within(&self, p: &ListParams, max_per_page: u64) -> Result<ListPage> {
        let per_page = p.per_page.unwrap_or(DEFAULT_PER_PAGE);
        let page = p.page.unwrap_or(1);
        let mut checks = Checks::default();
        checks.check((1..=max_per_page).contains(&per_page), || {
            Violation::new("per_page", "number.range").with("min", 1).with("max", max_per_page)
        });
        checks.check((1..=100_000).contains(&page), || {
            Violation::new("page", "number.range").with("min", 1).with("max", 100_000)
        });
        if let (Some(f), Some(t)) = (p.from, p.to) {
            checks.check(f <= t, || Violation::new("from", "date.range_reversed"));
        }
        let units = match &p.unit {
            None => None,
            Some(code) => {
                let code = checks.absorb(UnitCode::parse(code));
                let tree = self.units();
                code.and_then(|c| checks.absorb(tree.require("unit", &c).map(|_| subtree(&tree, &c))))
            }
        };
        let units = match (units, &p.within) {
            (None, within) => within.clone(),
            (Some(asked), None) => Some(asked),
            (Some(asked), Some(within)) => Some(asked.into_iter().filter(|u| within.contains(u)).collect()),
        };
        if let Some(sort) = p.sort {
            let by_deadline = matches!(sort, ListSort::Deadline | ListSort::DeadlineDesc);
            checks.check(!by_deadline || p.kind == Some(EntityKind::Report), || Violation::new("sort", "form.choice"));
        }
        if let Some(q) = &p.q {
            checks.check(q.chars().count() <= 200, || Violation::new("q", "text.too_long").with("max", 200));
        }
        let article = p.article.as_deref().map(str::trim).filter(|a| !a.is_empty()).and_then(|a| {
            let parsed = self.jurisdiction().catalogue.parse_code(a);
            checks.check(parsed.is_some(), || Violation::new("article", "article.format"));
            parsed
        });
        let flag = p.flag.as_deref().filter(|f| !f.is_empty()).and_then(|f| {
            let key = crimeboard_domain::search::flag_key(f);
            checks.check(key.is_some(), || Violation::new("flag", "form.choice"));
            key
        });
        let mut mark = |field: &str, value: &Option<String>| {
            value.as_deref().filter(|m| !m.is_empty()).and_then(|m| {
                let key = crimeboard_domain::search::appeal_mark_key(m);
                checks.check(key.is_some(), || Violation::new(field, "form.choice"));
                key
            })
        };
        let marks = [mark("appeal_kind", &p.appeal_kind), mark("appeal_channel", &p.appeal_channel)];
        checks.finish()?;
        let typed = p.q.as_deref().map(str::trim).unwrap_or("");
        let mut words = crimeboard_domain::search::query_keys(typed);
        if !typed.is_empty() && words.is_empty() {
            // Only punctuation typed: nothing can match it.
            return Ok(ListPage { items: Vec::new(), page, per_page, has_more: false });
        }
        if let Some(article) = &article {
            words.push(crimeboard_domain::search::article_key(article));
        }
        words.extend(flag);
        words.extend(marks.into_iter().flatten());
        let query = ListQuery {
            kind: p.kind,
            units,
            day_from: p.from,
            day_to: p.to,
            status: p.status.clone(),
            parent: p.parent,
            number: p.number.clone(),
            words,
            sort: p.sort,
            offset: (page - 1) * per_page,
            limit: per_page,
        };
        let found = self.store.list(&query)?;
        Ok(ListPage { items: found.items, page, per_page, has_more: found.has_more })
    }

    /// The unit queue: reports awaiting a decision within the asked unit
    /// (and the units below it) and the asker's scope, nearest statutory
    /// deadline first, one page; with the counts over the whole queue, per
    /// unit: waiting, overdue (deadline passed by the registry's clock) and
    /// due today (by the end of today's Baku calendar day).
    pub fn queue(&self, p: &QueueParams) -> Result<Queue> {
        let per_page = p.per_page.unwrap_or(DEFAULT_PER_PAGE);
        let page = p.page.unwrap_or(1);
        let mut checks = Checks::default();
        checks.check((1..=MAX_PER_PAGE).contains(&per_page), || {
            Violation::new("per_page", "number.range").with("min", 1).with("max", MAX_PER_PAGE)
        });
        checks.check((1..=100_000).contains(&page), || {
            Violation::new("page", "number.range").with("min", 1).with("max", 100_000)
        });
        let units = match &p.unit {
            None => None,
            Some(code) => {
                let code = checks.absorb(UnitCode::parse(code));
                let tree = self.units();
                code.and_then(|c| checks.absorb(tree.require("unit", &c).map(|_| subtree(&tree, &c))))
            }
        };
        checks.finish()?;
        let units = match (units, &p.within) {
            (None, within) => within.clone(),
            (Some(asked), None) => Some(asked),
            (Some(asked), Some(within)) => Some(asked.into_iter().filter(|u| within.contains(u)).collect()),
        };
        let now = self.now();
        let rules = &self.jurisdiction().rules;
        // A deadline falls at the start of a day: one at midnight tonight is due today.
        let due_by = rules.local_date(now).succ_opt().map_or(now, |tomorrow| rules.start_of_day(tomorrow));
        let query =
            QueueQuery { kind: p.register.kind(), units, now, due_by, offset: (page - 1) * per_page, limit: per_page };
        let found = self.store.queue(&query)?;
        let total = found.counts.iter().fold(QueueCount::default(), |mut t, c| {
            t.waiting += c.waiting;
            t.overdue += c.overdue;
            t.due_today += c.due_today;
            t
        });
        Ok(Queue {
            items: found.items,
            page,
            per_page,
            has_more: found.has_more,
            total,
            by_unit: found.counts,
            now,
            due_by: query.due_by,
        })
    }

    /// The acts of an entity, oldest first, with whether each was annulled.
    pub fn history(&self, id: Uuid) -> Result<Vec<(JournalEntry, bool)>> {
        Ok(self.store.history(id)?)
    }

    pub fn journal(&self, unit: Option<&str>, after: i64, limit: u64) -> Result<Vec<JournalEntry>> {
        Ok(self.store.journal(unit, after, limit.min(1000))?)
    }

    /// Walks every unit's chain and reports where any breaks.
    pub fn verify(&self) -> Result<Verification> {
        let heads = self.store.chain_heads()?;
        let chains = heads.iter().map(|h| self.store.verify_chain(h)).collect::<Result<Vec<_>, _>>()?;
        Ok(Verification { chains })
    }
}

/// The jurisdiction pack in force, and the position of the act that adopted
/// it (None: no pack adopted, the shipped demo pack in force).
pub(crate) struct InForce {
    pub(crate) pack: Arc<Jurisdiction>,
    pub(crate) position: Option<i64>,
}

impl InForce {
    fn read(store: &dyn Store) -> Result<InForce> {
        Ok(match store.last_adoption()? {
            Some(entry) => InForce { pack: adopted_pack(&entry)?, position: Some(entry.position) },
            None => InForce { pack: Jurisdiction::demo(), position: None },
        })
    }
}

/// Acts recorded together whose projection is written once, at the end: a
/// submission and the acts that follow from it.
#[derive(Default)]
struct Group {
    /// The entities the group's acts changed, as they now stand.
    known: Loaded,
    /// The entities as they were before the group's first act touched them.
    before: Loaded,
    /// The entities the group's acts changed, in the order first touched.
    touched: Vec<Uuid>,
}

/// What entities add to the counters under a pack's counting rules.
fn contributions<'a>(pack: &Jurisdiction, entities: impl Iterator<Item = &'a Entity>) -> Vec<Cell> {
    entities.flat_map(|e| pack.indicators.contributions(e, &pack.rules)).collect()
}

/// An act whose counter changes revise a published period needs a reason;
/// one that neither revises one nor registers late takes none. Returns what
/// it revises, which the act keeps.
fn check_revision(
    s: &Submission,
    registered_late: bool,
    deltas: &[CountDelta],
    publications: &[Publication],
    tree: &UnitTree,
) -> Result<Vec<Revised>, Rejected> {
    let revises = published::revisions(publications, deltas, tree);
    let first = revises.first().and_then(|r| publications.iter().find(|p| p.id == r.publication));
    match (first, &s.late) {
        (Some(publication), None) => Err(published::needs_reason(publication).into()),
        (None, Some(_)) if !registered_late => Err(late::not_needed().into()),
        _ => Ok(revises),
    }
}

/// The difference between two sets of contributions, as counter changes.
pub(crate) fn counter_deltas(before: Vec<Cell>, after: Vec<Cell>) -> Vec<CountDelta> {
    let mut sum: std::collections::BTreeMap<(String, String, chrono::NaiveDate), i64> = Default::default();
    for (cells, sign) in [(before, -1), (after, 1)] {
        for c in cells {
            *sum.entry((c.unit, c.indicator, c.day)).or_default() += sign * c.value;
        }
    }
    sum.into_iter()
        .filter(|(_, d)| *d != 0)
        .map(|((unit, indicator, day), delta)| CountDelta { unit, indicator, day, delta })
        .collect()
}

fn subtree(tree: &UnitTree, root: &UnitCode) -> Vec<String> {
    tree.all().filter(|u| tree.is_within(&u.code, root)).map(|u| u.code.to_string()).collect()
}

/// May `principal` take `action` on data of `unit` (`None`: no unit in
/// particular)? A unit not in the tree holds no data, so only the role is
/// checked and the rules then say the unit is unknown.
pub(crate) fn authorize_in(
    tree: &UnitTree,
    principal: &Principal,
    action: Action,
    unit: Option<&UnitCode>,
) -> Result<(), Denied> {
    let known = unit.filter(|code| tree.get(code).is_some());
    crimeboard_domain::access::authorize(principal, action, known, tree)
}

/// Who the journal names for an act: the principal recording it, whatever
/// the submission says. An empty actor stays empty, for the rules to refuse
/// by name.
pub(crate) fn recorded_actor<'a>(by: &'a Principal, s: &Submission) -> &'a str {
    if s.actor.trim().is_empty() { "" } else { &by.login }
}

/// How many hours after its receipt a report a person registers comes,
/// when beyond the rules' limit. What the system records on its own account
/// (an import, the demo's history, the generator) was registered where and
/// when it says, and is not held to the limit.
fn late_registration(by: &Principal, command: &Command, ctx: &Context) -> Option<i64> {
    match command {
        Command::RegisterReport(r) if by.role != Role::System => late::late_registration(r, ctx),
        _ => None,
    }
}

/// A late registration needs its reason; a reason given is checked against the rules' list.
fn check_late_registration(s: &Submission, late_hours: Option<i64>, ctx: &Context) -> Result<(), Rejected> {
    let mut checks = Checks::default();
    match (&s.late, &s.command) {
        (Some(stated), _) => late::check_stated(stated, ctx, &mut checks),
        (None, Command::RegisterReport(r)) if late_hours.is_some() => {
            checks.push(late::registration_needs_reason(r, ctx))
        }
        (None, _) => {}
    }
    checks.finish()
}

pub(crate) fn check_envelope(actor: &str, s: &Submission) -> Result<(), Rejected> {
    let mut checks = Checks::default();
    checks.check(!actor.trim().is_empty(), || Violation::new("actor", "text.required"));
    checks.check(actor.chars().count() <= 200, || Violation::new("actor", "text.too_long").with("max", 200));
    checks.check(!s.legal_ground.trim().is_empty(), || Violation::new("legal_ground", "text.required"));
    checks.check(s.legal_ground.chars().count() <= 500, || {
        Violation::new("legal_ground", "text.too_long").with("max", 500)
    });
    checks.finish()
}

pub(crate) fn envelope(actor: &str, s: &Submission, ctx: &Context) -> Envelope {
    Envelope {
        act_id: ids::new_id(),
        // The journal keeps microseconds; the hash must see what is stored.
        recorded_at: DateTime::from_timestamp_micros(ctx.now.timestamp_micros()).unwrap_or(ctx.now),
        actor: actor.trim().to_string(),
        legal_ground: s.legal_ground.trim().to_string(),
    }
}

/// Gives a new entity its id and register number, and new persons their ids.
/// The units as loaded with the changes recorded on them, from the store.
fn dated_tree(store: &dyn Store) -> Result<DatedTree> {
    let corrupt = |e: String| ServiceError::from(StoreError::Corrupt(format!("unit tree: {e}")));
    let mut changes = Vec::new();
    for json in store.unit_changes()? {
        let command: Command = serde_json::from_str(&json).map_err(|e| corrupt(e.to_string()))?;
        match command.unit_change() {
            Some(TreeChange::Dated(change)) => changes.push(change),
            Some(TreeChange::Always(unit)) => return Err(corrupt(format!("{} dated, in force always", unit.code))),
            None => {}
        }
    }
    // `units` holds every unit; those added by an act come in with their act, on its day.
    let added: std::collections::BTreeSet<&UnitCode> = changes
        .iter()
        .filter_map(|c| match &c.change {
            UnitChange::Add(unit) => Some(&unit.code),
            _ => None,
        })
        .collect();
    let as_loaded = store.units()?.into_iter().filter(|u| !added.contains(&u.code)).collect();
    let loaded = UnitTree::new(as_loaded).map_err(|v| corrupt(v.to_string()))?;
    DatedTree::new(loaded, changes).map_err(|v| corrupt(v.to_string()))
}

/// Checks a change of the unit tree against the changes recorded before it
/// (a dated one not before the last one's) and applies it to the batch's
/// tree; a unit added is written to the units before its act opens its
/// journal. Returns the day a dated change takes effect, which its record
/// in the dated changes keeps; a unit in force on every day has none and is
/// read back with the units as loaded.
fn check_unit_change(
    tx: &mut dyn Tx,
    tree: &mut Option<DatedTree>,
    change: TreeChange,
) -> Result<Option<chrono::NaiveDate>> {
    let day = change.effective_from();
    let tree = tree.as_mut().ok_or_else(|| Violation::new("act", "unit.change_alone"))?;
    let added = match change.change() {
        UnitChange::Add(unit) => Some(unit),
        _ => None,
    };
    tree.record_change(change)?;
    if let Some(unit) = added {
        tx.add_unit(&unit)?;
    }
    Ok(day)
}

/// The acts whose state names who recorded them: a cancellation's request
/// and decision, which the second-approver rule and the signals read.
fn names_its_actor(command: &Command) -> bool {
    matches!(command, Command::RequestCancellation(_) | Command::DecideCancellation(_))
}

/// The rules' second approver for an approval of a cancellation request:
/// the request's author is in the case, the rule in the pack. A refusal
/// keeps the crime recorded, so it is not held to the rule.
fn cancellation_approver(by: &Principal, command: &Command, loaded: &Loaded, ctx: &Context) -> Option<Violation> {
    let Command::DecideCancellation(d) = command else { return None };
    if !d.approve {
        return None;
    }
    let Some(Entity::Case(case)) = loaded.get(&d.case_id) else { return None };
    let (rules, pending) = (ctx.rules.cancellation.as_ref()?, case.pending_cancellation()?);
    cancellation::check_approver(rules.second_approver, &pending.requested_by, by, &case.unit, ctx.units).err()
}

fn assign(tx: &mut dyn Tx, command: &Command, ctx: &Context) -> Result<Assigned> {
    match command.creates() {
        Creates::Entity { kind, unit, persons, at } => {
            let year = at.day(ctx).year();
            let n = tx.next_number(kind, unit.as_str(), year)?;
            Ok(Assigned {
                id: ids::new_id(),
                number: format!("{}-{}-{}-{:06}", kind.number_prefix(), unit, year, n),
                person_ids: (0..persons).map(|_| ids::new_id()).collect(),
                ..Assigned::default()
            })
        }
        Creates::Nothing => {
            let person_ids = if matches!(command, Command::AddPerson(_)) { vec![ids::new_id()] } else { vec![] };
            Ok(Assigned {
                id: command.target().unwrap_or_default(),
                number: String::new(),
                person_ids,
                ..Assigned::default()
            })
        }
    }
}

pub(crate) fn receipt(e: &JournalEntry, entity_id: Uuid, number: Option<String>, person_ids: Vec<Uuid>) -> Receipt {
    Receipt {
        act_id: e.act_id,
        act: e.kind.clone(),
        unit: e.unit.clone(),
        seq: e.seq,
        position: e.position,
        entity_id,
        number,
        person_ids,
    }
}

pub fn entity_of(r: &Record) -> Result<Entity> {
    Ok(stored_entity(r)?)
}

/// An entity read back from its stored state; unreadable state is corrupt data.
pub(crate) fn stored_entity(r: &Record) -> Result<Entity, StoreError> {
    Entity::from_state(r.kind, &r.state)
        .map_err(|e| StoreError::Corrupt(format!("state of {} {}: {e}", r.kind.as_str(), r.id)))
}

pub(crate) fn act_of(e: &JournalEntry) -> Result<Act> {
    Ok(stored_act(e)?)
}

/// An act read back from its journal payload; an unreadable one is corrupt data.
pub(crate) fn stored_act(e: &JournalEntry) -> Result<Act, StoreError> {
    Act::from_payload(&e.payload).map_err(|err| StoreError::Corrupt(format!("act {}/{}: {err}", e.unit, e.seq)))
}
