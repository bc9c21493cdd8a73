//! Storage: one trait, two backends. SQLite is the embedded default;
//! PostgreSQL is one connection string away. Both keep the same tables:
//! the append-only journal with a hash-chain head per unit, the projections
//! (records) written in the same transaction as each act, and the units.
//!
//! The store knows SQL and nothing of the rules: the service decides what to
//! write, the store writes it atomically.

pub mod accounts;
mod migrate;
mod pool;
pub mod postgres;
pub mod sqlite;
#[cfg(feature = "test-support")]
pub mod testing;

use chrono::{DateTime, NaiveDate, Utc};
use crimeboard_domain::audit::{AuditEntry, AuditEvent};
use crimeboard_domain::identifier::{IdentifierChanges, IdentifierKey, IdentifierKind, IdentifierRow};
use crimeboard_domain::journal::{ChainBreak, JournalEntry};
use crimeboard_domain::records::IndexRow;
use crimeboard_domain::series::Linking;
use crimeboard_domain::units::{Names, Unit, UnitCode};
use crimeboard_domain::{EntityKind, Envelope};
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] ::postgres::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("migration {name}: {message}")]
    Migration { name: String, message: String },
    #[error("{0}")]
    Config(String),
    /// The record was imported before: a source identity is recorded once.
    #[error("{system} record {id:?} was already imported")]
    AlreadyImported { system: String, id: String },
    /// A key that must be unique is taken (a login, say).
    #[error("{0:?} exists already")]
    AlreadyExists(String),
}

impl StoreError {
    /// Whether the database gave up on the transaction for a reason that
    /// trying it again may not meet (a deadlock, a serialization failure, a
    /// lock held too long): the transaction wrote nothing and can be retried.
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Postgres(e) => e.code().is_some_and(|c| {
                *c == ::postgres::error::SqlState::T_R_DEADLOCK_DETECTED
                    || *c == ::postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
            }),
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            }
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A stored entity: its index columns and its state as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: EntityKind,
    pub id: Uuid,
    pub unit: String,
    pub number: String,
    pub status: String,
    pub day: NaiveDate,
    pub parent: Option<Uuid>,
    pub state: String,
}

/// Filters for a list of records; every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub kind: Option<EntityKind>,
    /// Only records of these units (the service expands a unit to its subtree).
    pub units: Option<Vec<String>>,
    pub day_from: Option<NaiveDate>,
    pub day_to: Option<NaiveDate>,
    pub status: Option<String>,
    pub parent: Option<Uuid>,
    pub number: Option<String>,
    /// Search keys (`crimeboard_domain::search::query_keys`): a record
    /// matches when each is the start of one of its keys. With keys and no
    /// sort, the newest records come first; without keys, the latest by day.
    pub words: Vec<String>,
    /// The order asked for; `None` is newest first (by day, or with words
    /// by recording).
    pub sort: Option<ListSort>,
    pub offset: u64,
    pub limit: u64,
}

/// The orders a list can be read in. A closed set: each key stands for a
/// fixed `ORDER BY` of the backends, never for text a user typed, and each
/// ends with the id, so the order is total and pages never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListSort {
    /// The latest day first (received, registered, seized, occurred).
    #[default]
    Newest,
    Oldest,
    /// By register number, A to Z: by prefix, unit, year and then the
    /// zero-padded sequence, so numerically within a unit and year.
    Number,
    NumberDesc,
    /// By unit code, each unit's records newest first.
    Unit,
    UnitDesc,
    /// Reports awaiting a decision by statutory deadline, earliest first;
    /// decided reports (no deadline running) after them. Reports only.
    Deadline,
    DeadlineDesc,
}

impl ListSort {
    pub const ALL: [ListSort; 8] = [
        ListSort::Newest,
        ListSort::Oldest,
        ListSort::Number,
        ListSort::NumberDesc,
        ListSort::Unit,
        ListSort::UnitDesc,
        ListSort::Deadline,
        ListSort::DeadlineDesc,
    ];

    /// The word a query string and a form use.
    pub fn as_str(self) -> &'static str {
        match self {
            ListSort::Newest => "newest",
            ListSort::Oldest => "oldest",
            ListSort::Number => "number",
            ListSort::NumberDesc => "number_desc",
            ListSort::Unit => "unit",
            ListSort::UnitDesc => "unit_desc",
            ListSort::Deadline => "deadline",
            ListSort::DeadlineDesc => "deadline_desc",
        }
    }

    pub fn parse(s: &str) -> Option<ListSort> {
        ListSort::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether this key orders by the day, which the search index's own
    /// (recording) order stands for when words are given.
    pub fn by_day(self) -> bool {
        matches!(self, ListSort::Newest | ListSort::Oldest)
    }

    /// The `ORDER BY` terms, the same on both backends (column names of
    /// `records`, no user text).
    pub(crate) fn order_by(self) -> &'static str {
        match self {
            ListSort::Newest => "day DESC, number DESC, id",
            ListSort::Oldest => "day, number, id",
            ListSort::Number => "number, id",
            ListSort::NumberDesc => "number DESC, id DESC",
            ListSort::Unit => "unit, day DESC, number DESC, id",
            ListSort::UnitDesc => "unit DESC, day DESC, number DESC, id",
            ListSort::Deadline => "deadline NULLS LAST, id",
            ListSort::DeadlineDesc => "deadline DESC NULLS LAST, id DESC",
        }
    }
}

/// With search words, a list sorted by anything but the day sorts at most
/// this many of the newest matches: the search index yields matches in
/// recording order only, so sorting every match of a common word by number,
/// unit or deadline would read them all. A day order needs no cap (the
/// index's order stands for it and stops at the page).
pub const SORTED_SEARCH_CAP: u64 = 10_000;

/// The unit queue asked for: reports awaiting a decision in these units,
/// nearest deadline first, one page, with the counts over all of them.
#[derive(Debug, Clone)]
pub struct QueueQuery {
    /// The register whose entries wait: reports awaiting a decision, or
    /// open appeals.
    pub kind: EntityKind,
    /// Only these units; every unit if `None`.
    pub units: Option<Vec<String>>,
    /// A deadline at or before this instant is overdue.
    pub now: DateTime<Utc>,
    /// A deadline after `now` and at or before this instant (the start of
    /// tomorrow, Baku time) is due today.
    pub due_by: DateTime<Utc>,
    pub offset: u64,
    pub limit: u64,
}

/// How many reports wait in a unit, are overdue and are due today.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueCount {
    pub unit: String,
    pub waiting: i64,
    pub overdue: i64,
    pub due_today: i64,
}

#[derive(Debug, Clone)]
pub struct QueuePage {
    /// The page, nearest deadline first (then by id).
    pub items: Vec<Record>,
    pub has_more: bool,
    /// Per unit with any waiting, by unit code, over the whole queue (not
    /// the page), read in the same snapshot as the page.
    pub counts: Vec<QueueCount>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<Record>,
    /// Whether more records match beyond this page.
    pub has_more: bool,
}

/// What the head of a unit's chain says: its last number and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub unit: String,
    pub seq: i64,
    pub hash: String,
}

/// One unit's chain checked: how many entries, or where it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub unit: String,
    pub result: std::result::Result<i64, ChainBreak>,
}

/// A change to one counter: `delta` added to an indicator on a day in a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountDelta {
    pub unit: String,
    pub indicator: String,
    pub day: NaiveDate,
    pub delta: i64,
}

/// A summed counter: an indicator's total in a unit over a span of days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountSum {
    pub unit: String,
    pub indicator: String,
    pub value: i64,
}

/// A span of days to sum, split into whole months and loose days by the caller.
#[derive(Debug, Clone, Default)]
pub struct SumQuery {
    /// Whole months as `YYYY-MM`.
    pub months: Vec<String>,
    /// Inclusive day ranges outside whole months.
    pub days: Vec<(NaiveDate, NaiveDate)>,
}

/// The first and the last day with a non-zero counter, in one snapshot;
/// each walks the counters' primary key (day first) from one end and stops
/// at the first non-zero cell, so neither reads the table. The same
/// statement on both backends.
pub(crate) const COUNTED_DAYS: &str = "SELECT \
     (SELECT day FROM counters_day WHERE value <> 0 ORDER BY day LIMIT 1), \
     (SELECT day FROM counters_day WHERE value <> 0 ORDER BY day DESC LIMIT 1)";

/// The storage every interface and service goes through.
pub trait Store: Send + Sync {
    fn backend(&self) -> Backend;

    /// The migrations applied when this handle opened the database, in
    /// order: none when it was up to date (`crimeboard migrate` says which).
    fn migrations_applied(&self) -> &[&'static str];

    /// Accounts, sessions, tokens and the audit trail.
    fn accounts(&self) -> &dyn accounts::Accounts;

    /// Starts a write transaction; dropped without `commit`, it rolls back.
    fn begin(&self) -> Result<Box<dyn Tx + '_>>;

    /// The units as loaded (`Tx::add_unit`), parents before children.
    fn units(&self) -> Result<Vec<Unit>>;

    /// The commands of the unit tree's changes, as JSON, in the order recorded.
    fn unit_changes(&self) -> Result<Vec<String>>;

    fn get(&self, id: Uuid) -> Result<Option<Record>>;

    fn list(&self, query: &ListQuery) -> Result<Page>;

    /// Journal entries in recording order after `after_position`, optionally of one unit.
    fn journal(&self, unit: Option<&str>, after_position: i64, limit: u64) -> Result<Vec<JournalEntry>>;

    /// The acts that changed an entity, in recording order, with whether each was annulled.
    fn history(&self, entity: Uuid) -> Result<Vec<(JournalEntry, bool)>>;

    /// The last position recorded, the journal position a report is computed at.
    fn position(&self) -> Result<i64>;

    fn chain_heads(&self) -> Result<Vec<ChainHead>>;

    /// Walks a unit's chain in order, in constant memory, and names the first break.
    fn verify_chain(&self, head: &ChainHead) -> Result<ChainReport>;

    /// The counter cells of each query's months and days (several per unit and
    /// indicator: the caller sums them), with the journal position they
    /// reflect, all read in one snapshot.
    fn sum_counts(&self, queries: &[SumQuery]) -> Result<(Vec<Vec<CountSum>>, i64)>;

    /// A unit's daily counters (non-zero), for recounting.
    fn unit_counts(&self, unit: &str) -> Result<Vec<(String, NaiveDate, i64)>>;

    /// The first and the last day any counter is non-zero on, in any unit;
    /// None before anything is counted. Read from the day index's two ends.
    fn counted_days(&self) -> Result<Option<(NaiveDate, NaiveDate)>>;

    /// Every entity (not person) of a unit, one at a time, in constant memory.
    fn each_record(&self, unit: &str, f: &mut dyn FnMut(Record) -> Result<()>) -> Result<()>;

    /// Up to `limit` entities (not persons) in id order after `after`: every
    /// register walked in pages, with no read held open between them. Ids
    /// are time-ordered, so this reads the tables roughly in storage order.
    fn records_after(&self, after: Option<Uuid>, limit: u64) -> Result<Vec<Record>>;

    /// Journal entries up to `position`, in order, one at a time, with whether
    /// an act at or before `position` annulled them.
    fn each_entry_until(&self, position: i64, f: &mut dyn FnMut(JournalEntry, bool) -> Result<()>) -> Result<()>;

    /// Which of these source identities of a system were imported, with the
    /// entity each became (in no particular order).
    fn imported(&self, system: &str, ids: &[String]) -> Result<Vec<(String, Uuid)>>;

    /// The version of the search-key rules the stored keys were written under
    /// (`crimeboard_domain::search::SEARCH_KEYS_VERSION` when current).
    fn search_keys_version(&self) -> Result<i64>;

    /// The latest `adopt_jurisdiction` act, None before any: the pack in force.
    fn last_adoption(&self) -> Result<Option<JournalEntry>>;

    /// The last position recorded and that of the latest `adopt_jurisdiction`
    /// act, in one read of two indexed lookups: what a server reads once per
    /// request, to see whether the pack it holds is still the one in force and
    /// to key what it keeps per journal position.
    fn heads(&self) -> Result<Heads>;

    /// The unit queue: one page of the reports awaiting a decision, by
    /// deadline, and the counts per unit over all of them.
    fn queue(&self, query: &QueueQuery) -> Result<QueuePage>;

    /// The identifier index's rows of one identifier (kind and lookup key),
    /// at most `limit`, by unit, record number and subject: every report,
    /// case and person holding it.
    fn identifiers(&self, kind: IdentifierKind, key: &str, limit: u64) -> Result<Vec<IdentifierRow>>;

    /// The identifier index's rows of one report or case: its own
    /// identifiers and its persons', by kind, key and subject.
    fn identifiers_of(&self, record: Uuid) -> Result<Vec<IdentifierRow>>;

    /// The members of a series, by record id; none when no series has the id.
    fn series_members(&self, series: Uuid) -> Result<Vec<SeriesRow>>;

    /// The id of the series a record is in, if any: where a retired series
    /// id (its record no longer the earliest) leads.
    fn series_of(&self, record: Uuid) -> Result<Option<Uuid>>;

    /// Every series row, by series and record: the list of series, and what
    /// a recount compares with the components it finds afresh.
    fn series_rows(&self) -> Result<Vec<SeriesRow>>;

    /// The series a unit was alerted to, by series id.
    fn series_alerts(&self, unit: &str) -> Result<Vec<Uuid>>;

    /// The analysts' decisions in force, by kind and key.
    fn linkings(&self) -> Result<Vec<(IdentifierKey, Linking)>>;

    /// Every record holding each key (its own or a person's), once per
    /// record and key, with the record's unit: the whole identifier index,
    /// read to work the series out from nothing.
    fn holdings(&self) -> Result<Vec<Holding>>;
}

/// A record in a series, as the series table keeps it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeriesRow {
    pub series: Uuid,
    pub record: Uuid,
    pub unit: String,
}

/// A report or case holding an identifier's key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Holding {
    pub record: Uuid,
    pub unit: String,
    pub key: IdentifierKey,
}

/// The statement every backend reads the whole index's holdings with.
pub(crate) const HOLDINGS: &str =
    "SELECT DISTINCT record_id, unit, kind, key FROM identifiers ORDER BY record_id, kind, key";

pub(crate) fn linking_of(s: &str) -> Result<Linking> {
    Linking::parse(s).ok_or_else(|| StoreError::Corrupt(format!("linking.linking: {s:?}")))
}

pub(crate) fn identifier_key(kind: &str, value: String) -> Result<IdentifierKey> {
    let kind =
        IdentifierKind::from_code(kind).ok_or_else(|| StoreError::Corrupt(format!("identifiers.kind: {kind:?}")))?;
    Ok(IdentifierKey { kind, value })
}

/// An identifier index row from its stored columns: kind, key, subject
/// kind, subject id, record id, unit, number, display.
pub(crate) fn identifier_row(cols: [String; 8]) -> Result<IdentifierRow> {
    let [kind, key, subject_kind, subject_id, record_id, unit, number, display] = cols;
    let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("identifiers.{what}: {value:?}"));
    Ok(IdentifierRow {
        kind: IdentifierKind::from_code(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        key,
        subject_kind: crimeboard_domain::identifier::SubjectKind::parse(&subject_kind)
            .ok_or_else(|| corrupt("subject_kind", &subject_kind))?,
        subject_id: uuid_of(&subject_id)?,
        record_id: uuid_of(&record_id)?,
        unit: UnitCode::parse(&unit).map_err(|_| corrupt("unit", &unit))?,
        number,
        display,
    })
}

/// The columns an identifier index row is read with, in [`identifier_row`]'s order.
pub(crate) const IDENTIFIER_COLUMNS: &str = "kind, key, subject_kind, subject_id, record_id, unit, number, display";

/// The position of the latest adoption of a jurisdiction pack (by `0011_adoptions`' index).
pub(crate) const LAST_ADOPTION_POSITION: &str =
    "SELECT position FROM journal WHERE kind = 'adopt_jurisdiction' ORDER BY position DESC LIMIT 1";

/// Where the journal stands, read at once ([`Store::heads`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heads {
    /// The last position recorded, 0 for an empty journal.
    pub position: i64,
    /// The position of the latest adoption, None before any.
    pub last_adoption: Option<i64>,
}

/// A write transaction. Everything written through it lands together or not at all.
pub trait Tx {
    /// The current state of an entity (not a person) by id.
    fn load(&mut self, id: Uuid) -> Result<Option<Record>>;

    /// The next register number of a kind in a unit and year: 1, 2, 3, ...
    fn next_number(&mut self, kind: EntityKind, unit: &str, year: i32) -> Result<i64>;

    /// Appends an act to its unit's chain and returns the stored entry.
    fn append(
        &mut self,
        unit: &str,
        envelope: &Envelope,
        kind: &str,
        payload: &str,
        subjects: &[Uuid],
    ) -> Result<JournalEntry>;

    fn entry(&mut self, unit: &str, seq: i64) -> Result<Option<JournalEntry>>;

    fn subjects(&mut self, position: i64) -> Result<Vec<Uuid>>;

    /// The acts of an entity still in force (not annulled), in recording order.
    fn acts_in_force(&mut self, entity: Uuid) -> Result<Vec<JournalEntry>>;

    /// Whether the act at `position` was annulled.
    fn is_annulled(&mut self, position: i64) -> Result<bool>;

    fn annul(&mut self, position: i64, by_position: i64, reason: &str) -> Result<()>;

    /// Adds the rows of new entities and persons.
    fn insert(&mut self, rows: Vec<IndexRow>) -> Result<()>;

    /// Rewrites the changing columns (status, search text, state, deadline, day) of
    /// existing rows (a task's day is its due date, which an extension moves); an
    /// entity's kind, unit, number and parent never change.
    fn update(&mut self, rows: Vec<IndexRow>) -> Result<()>;

    /// Rewrites the search keys of existing rows and indexes them afresh,
    /// whatever the index held for them (rows written under older key rules).
    fn reindex(&mut self, rows: Vec<IndexRow>) -> Result<()>;

    /// Removes rows whose entity no longer exists (its creating act was annulled).
    fn delete(&mut self, ids: &[Uuid]) -> Result<()>;

    /// Writes the identifier index's changes: the rows removed first, then
    /// the rows added (a row whose record changed number or unit is both).
    fn identifiers(&mut self, changes: IdentifierChanges) -> Result<()>;

    /// The keys a record holds (its own and its persons'), each once, as
    /// this transaction has left the identifier index.
    fn keys_of(&mut self, record: Uuid) -> Result<Vec<IdentifierKey>>;

    /// Up to `limit` records holding a key, each once, by id, with its unit.
    fn holders(&mut self, key: &IdentifierKey, limit: u64) -> Result<Vec<(Uuid, String)>>;

    /// The series rows of these records and of every other member of
    /// their series.
    fn series_around(&mut self, records: &[Uuid]) -> Result<Vec<SeriesRow>>;

    /// Deletes the series rows of `records`, then writes `rows`.
    fn set_series(&mut self, records: &[Uuid], rows: &[SeriesRow]) -> Result<()>;

    /// Raises each unit's alert on a series, unless it was raised before.
    fn raise_alerts(&mut self, alerts: &[(String, Uuid)]) -> Result<()>;

    /// The analyst's decision on how a key links, if one is in force.
    fn linking_of(&mut self, key: &IdentifierKey) -> Result<Option<Linking>>;

    /// Records the decision in force on a key (the act at `position`), or
    /// that none is (the key links as the rules say).
    fn set_linking(&mut self, key: &IdentifierKey, linking: Option<(Linking, i64)>) -> Result<()>;

    fn add_unit(&mut self, unit: &Unit) -> Result<()>;

    /// Records a change of the unit tree: the command (JSON) of the act at
    /// `position`, in force from `effective_from`.
    fn add_unit_change(&mut self, position: i64, effective_from: NaiveDate, command: &str) -> Result<()>;

    /// Records that the act at `position` imported the source system's record
    /// `id` as `entity`. When that record was imported before, fails with
    /// [`StoreError::AlreadyImported`], here or later in the transaction (at
    /// the latest at its commit), and the transaction writes nothing.
    fn add_source(&mut self, system: &str, id: &str, entity: Uuid, position: i64) -> Result<()>;

    /// Records that every stored key is now written under `version`.
    fn set_search_keys_version(&mut self, version: i64) -> Result<()>;

    /// Adds to the daily and monthly counters, written at commit.
    fn add_counts(&mut self, deltas: &[CountDelta]) -> Result<()>;

    /// The position of the latest `adopt_jurisdiction` act, read under the
    /// transaction's write lock: no other writer adopts a pack before this
    /// transaction ends, so its acts are counted under the pack read here.
    fn last_adoption_position(&mut self) -> Result<Option<i64>>;

    /// Empties every counter, daily and monthly, and drops the changes this
    /// transaction gathered: the counters are then counted again from
    /// nothing with `add_counts` (a change of counting rules).
    fn clear_counts(&mut self) -> Result<()>;

    fn commit(self: Box<Self>) -> Result<()>;

    /// Appends a record to the audit trail inside this transaction, so that
    /// it lands with the transaction's acts or not at all. Call it after the
    /// last `append`: PostgreSQL holds the trail's head row from here to the
    /// commit, and taking it last keeps writers from locking in a circle.
    fn audit_append(&mut self, event: AuditEvent) -> Result<AuditEntry>;
}

/// Opens a store from a location: a PostgreSQL URL, or a SQLite file path.
pub fn open(location: &str) -> Result<Arc<dyn Store>> {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgStore::open(location)?))
    } else {
        let path = location.strip_prefix("sqlite://").unwrap_or(location);
        Ok(Arc::new(sqlite::SqliteStore::open(std::path::Path::new(path))?))
    }
}

/// The journal entry an act becomes at `seq` of its unit's chain and at
/// `position`, hashed onto the entry before it (`prev_hash`).
pub(crate) fn chained_entry(
    unit: &str,
    seq: i64,
    position: i64,
    prev_hash: String,
    env: &Envelope,
    kind: &str,
    payload: &str,
) -> JournalEntry {
    let hash = crimeboard_domain::journal::entry_hash(
        &prev_hash,
        unit,
        seq,
        env.act_id,
        kind,
        env.recorded_at,
        &env.actor,
        &env.legal_ground,
        payload,
    );
    JournalEntry {
        unit: unit.to_string(),
        seq,
        position,
        act_id: env.act_id,
        kind: kind.to_string(),
        recorded_at: env.recorded_at,
        actor: env.actor.clone(),
        legal_ground: env.legal_ground.clone(),
        payload: payload.to_string(),
        prev_hash,
        hash,
    }
}

/// A transaction's counter changes by (unit, indicator, day), merged so
/// that each cell is written once at the commit.
pub(crate) type PendingCounts = std::collections::HashMap<(String, String, NaiveDate), i64>;

pub(crate) fn merge_counts(counts: &mut PendingCounts, deltas: &[CountDelta]) {
    for d in deltas {
        *counts.entry((d.unit.clone(), d.indicator.clone(), d.day)).or_default() += d.delta;
    }
}

/// The registers the counters count (persons and the Board's own work
/// are not), as an SQL list: naming the kinds lets a query use the (kind,
/// unit, day) index instead of scanning the table.
pub(crate) const ENTITY_KINDS: &str =
    "('report', 'case', 'seizure', 'accountability', 'accident', 'examination', 'appeal', 'freeze')";

/// A unit read back from its seven columns (code, parent, kind, agency, names).
pub(crate) fn finish_unit(cols: [Option<String>; 7]) -> Result<Unit> {
    let [code, parent, kind, agency, az, ru, en] = cols;
    let text = |c: Option<String>| c.unwrap_or_default();
    let corrupt = |e: String| StoreError::Corrupt(e);
    Ok(Unit {
        code: UnitCode::parse(&text(code)).map_err(|e| corrupt(e.to_string()))?,
        parent: parent.map(|p| UnitCode::parse(&p).map_err(|e| corrupt(e.to_string()))).transpose()?,
        kind: enum_of(text(kind))?,
        agency: enum_of(text(agency))?,
        names: Names { az: text(az), ru: text(ru), en: text(en) },
    })
}

pub(crate) fn enum_of<T: serde::de::DeserializeOwned>(s: String) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s)).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn enum_text<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

pub(crate) fn kind_of(s: &str) -> Result<EntityKind> {
    EntityKind::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown record kind {s:?}")))
}

pub(crate) fn uuid_of(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("uuid {s:?}: {e}")))
}

pub(crate) fn time_of(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("time {s:?}: {e}")))
}
