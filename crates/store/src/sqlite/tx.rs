//! The SQLite write transaction, run on two threads.
//!
//! SQLite writes on one thread at a time, and a registration spends about
//! two thirds of its time inside SQLite and a third in our own code
//! (checking acts, JSON, hashes, search keys). So a transaction's statements
//! run on the writer thread while the caller's thread goes on to the next
//! act: a write is queued and answered only by the commit; a read that must
//! see the transaction's own writes (the journal, a record it changed, the
//! audit trail) waits for the queue to drain. Reads of what the transaction
//! cannot have changed go to a reader connection instead, so the queue does
//! not stall on them: the reader sees the last commit, and while this
//! transaction holds SQLite's write lock that is what the writer sees too.
//!
//! Checkpoints (copying the log's pages into the database file, a quarter
//! of the writer's time when the writer did them at its commits) run on a
//! third thread, after each commit, beside the next transaction. Because a
//! log can start over only once it is wholly copied, and the next commit
//! always comes first under a steady load, the writer finishes the copy
//! itself before a transaction when the log has grown past a limit. It
//! knows the log's length from SQLite's log hook at each of its commits,
//! not from the checkpoint thread, which a busy machine may not run in
//! time.
//!
//! Journal positions are given here rather than by SQLite (the largest one
//! plus one, read after the write lock is taken), so appending waits for
//! nothing. The first failing statement fails every read after it and the
//! commit, which then rolls everything back: nothing is half-written.

use super::{RECORD_COLUMNS, entry_of, finish_entry, finish_record, record_of, search};
use crate::pool::Pool;
use crate::{CountDelta, Record, Result, StoreError, Tx, enum_text, kind_of};
use chrono::NaiveDate;
use crimeboard_domain::audit::{AuditEntry, AuditEvent};
use crimeboard_domain::journal::{self, GENESIS, JournalEntry};
use crimeboard_domain::records::IndexRow;
use crimeboard_domain::units::Unit;
use crimeboard_domain::{EntityKind, Envelope};
use rusqlite::{Connection, OptionalExtension, params};
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::ffi::c_int;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, MutexGuard};
use std::time::Duration;
use uuid::Uuid;

/// The writer connection between transactions, and the thread that runs
/// each transaction's statements. Outside a transaction the connection is
/// here, for the statements that are their own transaction (accounts,
/// migrations); during one it is on the writer thread.
pub(super) struct Writer {
    conn: Option<Connection>,
    jobs: Sender<Job>,
    checkpoints: Checkpoints,
}

/// Where the writer asks for a checkpoint, and what the last one saw.
#[derive(Clone)]
struct Checkpoints {
    wanted: SyncSender<()>,
    /// Held while this process checkpoints: SQLite refuses a second
    /// checkpoint at once rather than wait for the first.
    running: Arc<std::sync::Mutex<()>>,
    /// Past this many pages in the log, the writer completes the checkpoint
    /// before its next transaction, so the log starts over.
    restart_pages: i64,
}

/// The log's limit (4 kB pages: 256 MB) before the writer starts it over:
/// above what one import batch writes (about 70 MB for 10,000 rows), so the
/// writer rarely waits for the checkpoint thread.
pub(super) const LOG_RESTART_PAGES: i64 = 65_536;

/// An idle database is checkpointed this often, for the writes that are
/// not transactions of acts (sign-ins, accounts).
const IDLE_CHECKPOINT: Duration = Duration::from_secs(5);

impl Checkpoints {
    fn start(path: &Path, restart_pages: i64) -> Result<Checkpoints> {
        let conn = super::connect(path)?;
        let (wanted, asked) = mpsc::sync_channel(1);
        let checkpoints = Checkpoints { wanted, running: Arc::new(std::sync::Mutex::new(())), restart_pages };
        let mine = checkpoints.clone();
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                while let Ok(()) | Err(mpsc::RecvTimeoutError::Timeout) = asked.recv_timeout(IDLE_CHECKPOINT) {
                    mine.run(&conn);
                }
            })
            .map_err(|e| StoreError::Config(format!("the SQLite checkpoint thread: {e}")))?;
        Ok(checkpoints)
    }

    /// Asks for a checkpoint; one already asked for will do.
    fn ask(&self) {
        let _ = self.wanted.try_send(());
    }

    /// Copies what it can of the log into the database without waiting for
    /// readers, after any checkpoint of this process under way.
    fn run(&self, conn: &Connection) {
        let _running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        // Another process's checkpoint (a backup, say) makes this one busy: the next will do.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(1));
    }

    /// Before a transaction: when the log has outgrown its limit, finishes
    /// the checkpoint, so that SQLite starts the log over at the first write
    /// (it does so only when a transaction begins with the log wholly copied).
    /// Without this a steady writer outruns the checkpoint thread and the
    /// log grows without end.
    fn before_transaction(&self, conn: &Connection) {
        if LOG_PAGES.get() > self.restart_pages {
            self.run(conn);
        }
    }
}

thread_local! {
    /// Pages in the log after the last commit made on this thread, as
    /// SQLite's log hook tells it: on the writer thread, its own commits.
    static LOG_PAGES: Cell<i64> = const { Cell::new(0) };
}

/// The writer connection's log hook: notes the log's length after a commit.
fn note_log_pages(_: &rusqlite::hooks::Wal, pages: c_int) -> rusqlite::Result<()> {
    LOG_PAGES.set(i64::from(pages));
    Ok(())
}

/// A transaction handed to the writer thread: the connection, the queue of
/// its operations, and where the connection goes back when it ends.
struct Job {
    conn: Connection,
    ops: Receiver<Op>,
    done: SyncSender<Connection>,
    checkpoints: Checkpoints,
}

type Write = Box<dyn FnOnce(&mut Work) -> Result<()> + Send>;
type Ask = Box<dyn FnOnce(Result<&mut Work>) + Send>;

enum Op {
    Writes(Vec<Write>),
    /// A read answered through its own channel once the writes before it ran.
    Ask(Ask),
    Commit {
        writes: Pending,
        reply: SyncSender<Result<()>>,
    },
    Rollback,
}

/// Writes go to the writer thread in chunks of this many, so that the two
/// threads wake each other once a chunk rather than once a statement.
const CHUNK: usize = 64;

/// How many chunks may wait for the writer thread before the caller waits
/// too: enough to keep it busy, few enough to bound the memory.
const QUEUE: usize = 16;

impl Writer {
    /// `restart_pages`: the log's limit before the writer starts it over.
    pub(super) fn new(conn: Connection, path: &Path, restart_pages: i64) -> Result<Writer> {
        // Checkpoints are the checkpoint thread's (and `begin`'s) alone.
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0")?;
        // After the pragma, which sets a log hook of its own.
        conn.wal_hook(Some(note_log_pages));
        let checkpoints = Checkpoints::start(path, restart_pages)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                for job in queue {
                    let conn = Work::run(job.conn, job.ops, job.checkpoints);
                    let _ = job.done.send(conn);
                }
            })
            .map_err(|e| StoreError::Config(format!("the SQLite writer thread: {e}")))?;
        Ok(Writer { conn: Some(conn), jobs, checkpoints })
    }
}

impl std::ops::Deref for Writer {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("the writer connection is back after every transaction")
    }
}

impl std::ops::DerefMut for Writer {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().expect("the writer connection is back after every transaction")
    }
}

/// What the writer thread holds for one transaction.
struct Work {
    conn: Connection,
    /// Full-text index changes of this transaction, written at commit.
    search: search::SearchWrites,
    /// The first statement that failed; everything after it is skipped.
    failed: Option<StoreError>,
    checkpoints: Checkpoints,
}

/// What the caller's thread gathered to write at commit: each merged over
/// the transaction, so a hot row is written once.
struct Pending {
    heads: HashMap<String, (i64, String)>,
    numbers: HashMap<(String, EntityKind, i32), i64>,
    counts: crate::PendingCounts,
}

impl Work {
    fn run(conn: Connection, ops: Receiver<Op>, checkpoints: Checkpoints) -> Connection {
        let mut work = Work { conn, search: search::SearchWrites::default(), failed: None, checkpoints };
        for op in &ops {
            match op {
                Op::Writes(writes) => {
                    for write in writes {
                        if work.failed.is_none()
                            && let Err(e) = write(&mut work)
                        {
                            work.failed = Some(e);
                        }
                    }
                }
                Op::Ask(ask) => match work.failure() {
                    Some(e) => ask(Err(e)),
                    None => ask(Ok(&mut work)),
                },
                Op::Commit { writes, reply } => {
                    let result = match work.failure() {
                        Some(e) => Err(e),
                        None => work.commit(writes),
                    };
                    match result {
                        Ok(()) => work.checkpoints.ask(),
                        Err(_) => {
                            let _ = work.conn.execute_batch("ROLLBACK");
                        }
                    }
                    let _ = reply.send(result);
                    return work.conn;
                }
                Op::Rollback => break,
            }
        }
        // Rolled back, or the caller's side is gone.
        let _ = work.conn.execute_batch("ROLLBACK");
        work.conn
    }

    /// The failure to report: the first error once, then that one happened.
    fn failure(&mut self) -> Option<StoreError> {
        let first = self.failed.take()?;
        self.failed = Some(StoreError::Config("an earlier statement of this transaction failed".into()));
        Some(first)
    }

    fn commit(&mut self, p: Pending) -> Result<()> {
        self.write_counts(&p.counts)?;
        let mut head = self.conn.prepare_cached(
            "INSERT INTO chain_heads (unit, seq, hash) VALUES (?1, ?2, ?3)
             ON CONFLICT (unit) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        )?;
        for (unit, (seq, hash)) in &p.heads {
            if *seq > 0 {
                head.execute(params![unit, seq, hash])?;
            }
        }
        drop(head);
        let mut number = self.conn.prepare_cached(
            "INSERT INTO number_sequences (unit, kind, year, last) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (unit, kind, year) DO UPDATE SET last = excluded.last",
        )?;
        for ((unit, kind, year), last) in &p.numbers {
            number.execute(params![unit, kind.as_str(), year, last])?;
        }
        drop(number);
        self.search.write(&self.conn)?;
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }

    fn write_counts(&self, counts: &HashMap<(String, String, NaiveDate), i64>) -> Result<()> {
        let mut months: HashMap<(String, String, String), i64> = HashMap::new();
        let mut day = self.conn.prepare_cached(
            "INSERT INTO counters_day (day, unit, indicator, value) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (day, unit, indicator) DO UPDATE SET value = value + excluded.value",
        )?;
        for ((unit, indicator, d), delta) in counts {
            if *delta != 0 {
                day.execute(params![d.to_string(), unit, indicator, delta])?;
                *months.entry((d.format("%Y-%m").to_string(), unit.clone(), indicator.clone())).or_default() += delta;
            }
        }
        let mut month = self.conn.prepare_cached(
            "INSERT INTO counters_month (month, unit, indicator, value) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (month, unit, indicator) DO UPDATE SET value = value + excluded.value",
        )?;
        for ((m, unit, indicator), delta) in &months {
            month.execute(params![m, unit, indicator, delta])?;
        }
        Ok(())
    }

    fn append(&mut self, e: &JournalEntry, subjects: &[Uuid]) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO journal (position, unit, seq, act_id, kind, recorded_at, actor, legal_ground, payload, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                e.position,
                e.unit,
                e.seq,
                e.act_id.to_string(),
                e.kind,
                journal::timestamp(e.recorded_at),
                e.actor,
                e.legal_ground,
                e.payload,
                e.prev_hash,
                e.hash
            ])?;
        let mut subject = self.conn.prepare_cached("INSERT INTO act_subjects (entity_id, position) VALUES (?1, ?2)")?;
        for s in subjects {
            subject.execute(params![s.to_string(), e.position])?;
        }
        Ok(())
    }

    fn insert(&mut self, rows: &[Keyed]) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO records (id, kind, unit, number, status, day, parent, text, state, deadline)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for (r, keys) in rows {
            stmt.execute(params![
                r.id.to_string(),
                r.kind.as_str(),
                r.unit.as_str(),
                r.number,
                r.status,
                r.day.to_string(),
                r.parent.map(|p| p.to_string()),
                keys,
                r.state,
                r.deadline.map(|d| d.timestamp())
            ])?;
            self.search.inserted(self.conn.last_insert_rowid(), r.kind, keys);
        }
        Ok(())
    }

    fn update(&mut self, rows: &[Keyed]) -> Result<()> {
        let mut read = self.conn.prepare_cached("SELECT rowid, text FROM records WHERE id = ?1")?;
        let mut write = self.conn.prepare_cached(
            "UPDATE records SET status = ?2, text = ?3, state = ?4, deadline = ?5, day = ?6, unit = ?7 WHERE rowid = ?1",
        )?;
        for (r, keys) in rows {
            let stored: Option<(i64, String)> =
                read.query_row([r.id.to_string()], |row| Ok((row.get(0)?, row.get(1)?))).optional()?;
            let Some((rowid, text)) = stored else { continue };
            write.execute(params![
                rowid,
                r.status,
                keys,
                r.state,
                r.deadline.map(|d| d.timestamp()),
                r.day.to_string(),
                r.unit.as_str()
            ])?;
            if text != *keys {
                self.search.changed(rowid, r.kind, keys);
            }
        }
        Ok(())
    }

    fn reindex(&mut self, rows: &[Keyed]) -> Result<()> {
        let mut read = self.conn.prepare_cached("SELECT rowid, kind, text FROM records WHERE id = ?1")?;
        let mut set = self.conn.prepare_cached("UPDATE records SET text = ?2 WHERE rowid = ?1")?;
        for (r, keys) in rows {
            let stored: Option<(i64, String, String)> =
                read.query_row([r.id.to_string()], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))).optional()?;
            let Some((rowid, kind, text)) = stored else { continue };
            if text != *keys {
                set.execute(params![rowid, keys])?;
            }
            // Indexed afresh whatever the index held for the row.
            self.search.changed(rowid, kind_of(&kind)?, keys);
        }
        Ok(())
    }

    fn delete(&mut self, ids: &[Uuid]) -> Result<()> {
        let mut stmt = self.conn.prepare_cached("DELETE FROM records WHERE id = ?1 RETURNING rowid, kind")?;
        for id in ids {
            let row: Option<(i64, String)> =
                stmt.query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            if let Some((rowid, kind)) = row {
                self.search.deleted(rowid, kind_of(&kind)?);
            }
        }
        Ok(())
    }
}

/// An index row with its search keys, computed on the caller's thread.
type Keyed = (IndexRow, String);

fn keyed(rows: Vec<IndexRow>) -> Vec<Keyed> {
    rows.into_iter()
        .map(|r| {
            let keys = crimeboard_domain::search::search_keys(&r.text);
            (r, keys)
        })
        .collect()
}

fn lost() -> StoreError {
    StoreError::Config("the SQLite writer thread stopped".into())
}

pub(super) struct SqliteTx<'a> {
    writer: MutexGuard<'a, Writer>,
    readers: &'a Pool<Connection>,
    ops: SyncSender<Op>,
    /// Writes not yet sent to the writer thread.
    chunk: Vec<Write>,
    /// Where the connection comes back when the transaction ends.
    done: Receiver<Connection>,
    ended: bool,
    last_position: i64,
    /// Chain heads read or advanced in this transaction, written at commit.
    heads: HashMap<String, (i64, String)>,
    /// Register numbers advanced in this transaction, written at commit.
    numbers: HashMap<(String, EntityKind, i32), i64>,
    /// Counter changes of this transaction, merged and written at commit.
    counts: crate::PendingCounts,
    /// Records this transaction wrote: reading one waits for the writer.
    touched: HashSet<Uuid>,
    /// Source identities this transaction recorded.
    sources: HashSet<(String, String)>,
}

impl<'a> SqliteTx<'a> {
    /// Hands the writer connection to the writer thread and takes SQLite's
    /// write lock there.
    pub(super) fn begin(mut writer: MutexGuard<'a, Writer>, readers: &'a Pool<Connection>) -> Result<SqliteTx<'a>> {
        let conn = writer.conn.take().ok_or_else(lost)?;
        let (ops, queue) = mpsc::sync_channel(QUEUE);
        let (back, done) = mpsc::sync_channel(1);
        let checkpoints = writer.checkpoints.clone();
        if let Err(mpsc::SendError(job)) = writer.jobs.send(Job { conn, ops: queue, done: back, checkpoints }) {
            writer.conn = Some(job.conn);
            return Err(lost());
        }
        let mut tx = SqliteTx {
            writer,
            readers,
            ops,
            chunk: Vec::with_capacity(CHUNK),
            done,
            ended: false,
            last_position: 0,
            heads: HashMap::new(),
            numbers: HashMap::new(),
            counts: HashMap::new(),
            touched: HashSet::new(),
            sources: HashSet::new(),
        };
        tx.last_position = tx.ask(move |w| {
            w.checkpoints.before_transaction(&w.conn);
            w.conn.execute_batch("BEGIN IMMEDIATE")?;
            Ok(w.conn.query_row("SELECT COALESCE(MAX(position), 0) FROM journal", [], |r| r.get(0))?)
        })?;
        Ok(tx)
    }

    /// Sends an operation after the writes queued before it.
    fn send(&mut self, op: Op) -> Result<()> {
        self.flush()?;
        self.ops.send(op).map_err(|_| lost())
    }

    fn flush(&mut self) -> Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let writes = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        self.ops.send(Op::Writes(writes)).map_err(|_| lost())
    }

    fn write(&mut self, write: impl FnOnce(&mut Work) -> Result<()> + Send + 'static) -> Result<()> {
        self.chunk.push(Box::new(write));
        if self.chunk.len() < CHUNK {
            return Ok(());
        }
        self.flush()
    }

    /// Runs a read on the writer thread after the writes before it.
    fn ask<T: Send + 'static>(&mut self, read: impl FnOnce(&mut Work) -> Result<T> + Send + 'static) -> Result<T> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.send(Op::Ask(Box::new(move |work| {
            let _ = reply.send(work.and_then(read));
        })))?;
        answer.recv().map_err(|_| lost())?
    }

    /// Takes the connection back from the writer thread.
    fn end(&mut self) {
        self.ended = true;
        if let Ok(conn) = self.done.recv() {
            self.writer.conn = Some(conn);
        }
    }

    fn head(&mut self, unit: &str) -> Result<(i64, String)> {
        if let Some(h) = self.heads.get(unit) {
            return Ok(h.clone());
        }
        // Written only at commit: the last commit's value is this transaction's.
        let head = self
            .readers
            .get()?
            .prepare_cached("SELECT seq, hash FROM chain_heads WHERE unit = ?1")?
            .query_row([unit], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or((0, GENESIS.to_string()));
        self.heads.insert(unit.to_string(), head.clone());
        Ok(head)
    }
}

impl Drop for SqliteTx<'_> {
    fn drop(&mut self) {
        if !self.ended {
            // What was not sent yet need not be.
            self.chunk.clear();
            let _ = self.ops.send(Op::Rollback);
            self.end();
        }
    }
}

fn load_record(conn: &Connection, id: Uuid) -> Result<Option<Record>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = ?1 AND kind <> 'person'"))?;
    stmt.query_row([id.to_string()], record_of).optional()?.map(finish_record).transpose()
}

impl Tx for SqliteTx<'_> {
    fn load(&mut self, id: Uuid) -> Result<Option<Record>> {
        if self.touched.contains(&id) {
            return self.ask(move |w| load_record(&w.conn, id));
        }
        load_record(&*self.readers.get()?, id)
    }

    fn next_number(&mut self, kind: EntityKind, unit: &str, year: i32) -> Result<i64> {
        let key = (unit.to_string(), kind, year);
        let next = match self.numbers.get(&key) {
            Some(n) => n + 1,
            None => {
                // Written only at commit, like the chain heads.
                let last: Option<i64> = self
                    .readers
                    .get()?
                    .prepare_cached("SELECT last FROM number_sequences WHERE unit = ?1 AND kind = ?2 AND year = ?3")?
                    .query_row(params![unit, kind.as_str(), year], |r| r.get(0))
                    .optional()?;
                last.unwrap_or(0) + 1
            }
        };
        self.numbers.insert(key, next);
        Ok(next)
    }

    fn append(
        &mut self,
        unit: &str,
        env: &Envelope,
        kind: &str,
        payload: &str,
        subjects: &[Uuid],
    ) -> Result<JournalEntry> {
        let (last_seq, prev_hash) = self.head(unit)?;
        let seq = last_seq + 1;
        self.last_position += 1;
        let entry = crate::chained_entry(unit, seq, self.last_position, prev_hash, env, kind, payload);
        self.heads.insert(unit.to_string(), (seq, entry.hash.clone()));
        let (stored, subjects) = (entry.clone(), subjects.to_vec());
        self.write(move |w| w.append(&stored, &subjects))?;
        Ok(entry)
    }

    fn entry(&mut self, unit: &str, seq: i64) -> Result<Option<JournalEntry>> {
        let unit = unit.to_string();
        self.ask(move |w| {
            let mut stmt = w.conn.prepare_cached(&format!(
                "SELECT {} FROM journal WHERE unit = ?1 AND seq = ?2",
                super::ENTRY_COLUMNS
            ))?;
            stmt.query_row(params![unit, seq], entry_of).optional()?.map(finish_entry).transpose()
        })
    }

    fn subjects(&mut self, position: i64) -> Result<Vec<Uuid>> {
        self.ask(move |w| {
            let mut stmt = w.conn.prepare_cached("SELECT entity_id FROM act_subjects WHERE position = ?1")?;
            let ids = stmt.query_map([position], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            ids.iter().map(|s| crate::uuid_of(s)).collect()
        })
    }

    fn acts_in_force(&mut self, entity: Uuid) -> Result<Vec<JournalEntry>> {
        self.ask(move |w| {
            let cols = super::ENTRY_COLUMNS.split(", ").map(|c| format!("j.{c}")).collect::<Vec<_>>().join(", ");
            let mut stmt = w.conn.prepare_cached(&format!(
                "SELECT {cols} FROM act_subjects s JOIN journal j ON j.position = s.position
                 WHERE s.entity_id = ?1 AND NOT EXISTS (SELECT 1 FROM annulments a WHERE a.position = j.position)
                 ORDER BY j.position"
            ))?;
            let rows = stmt.query_map([entity.to_string()], entry_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter().map(finish_entry).collect()
        })
    }

    fn is_annulled(&mut self, position: i64) -> Result<bool> {
        self.ask(move |w| {
            let mut stmt = w.conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM annulments WHERE position = ?1)")?;
            Ok(stmt.query_row([position], |r| r.get(0))?)
        })
    }

    fn annul(&mut self, position: i64, by_position: i64, reason: &str) -> Result<()> {
        let reason = reason.to_string();
        self.write(move |w| {
            w.conn
                .prepare_cached("INSERT INTO annulments (position, by_position, reason) VALUES (?1, ?2, ?3)")?
                .execute(params![position, by_position, reason])?;
            Ok(())
        })
    }

    fn insert(&mut self, rows: Vec<IndexRow>) -> Result<()> {
        self.touched.extend(rows.iter().map(|r| r.id));
        let rows = keyed(rows);
        self.write(move |w| w.insert(&rows))
    }

    fn update(&mut self, rows: Vec<IndexRow>) -> Result<()> {
        self.touched.extend(rows.iter().map(|r| r.id));
        let rows = keyed(rows);
        self.write(move |w| w.update(&rows))
    }

    fn reindex(&mut self, rows: Vec<IndexRow>) -> Result<()> {
        self.touched.extend(rows.iter().map(|r| r.id));
        let rows = keyed(rows);
        self.write(move |w| w.reindex(&rows))
    }

    fn delete(&mut self, ids: &[Uuid]) -> Result<()> {
        self.touched.extend(ids.iter().copied());
        let ids = ids.to_vec();
        self.write(move |w| w.delete(&ids))
    }

    fn identifiers(&mut self, changes: crimeboard_domain::identifier::IdentifierChanges) -> Result<()> {
        if changes.added.is_empty() && changes.removed.is_empty() {
            return Ok(());
        }
        self.write(move |w| {
            let mut remove =
                w.conn.prepare_cached("DELETE FROM identifiers WHERE kind = ?1 AND key = ?2 AND subject_id = ?3")?;
            for r in &changes.removed {
                remove.execute(params![r.kind.code(), r.key, r.subject_id.to_string()])?;
            }
            let mut add = w.conn.prepare_cached(
                "INSERT INTO identifiers (kind, key, subject_kind, subject_id, record_id, unit, number, display)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for r in &changes.added {
                add.execute(params![
                    r.kind.code(),
                    r.key,
                    r.subject_kind.as_str(),
                    r.subject_id.to_string(),
                    r.record_id.to_string(),
                    r.unit.as_str(),
                    r.number,
                    r.display
                ])?;
            }
            Ok(())
        })
    }

    fn keys_of(&mut self, record: Uuid) -> Result<Vec<crimeboard_domain::identifier::IdentifierKey>> {
        self.ask(move |w| {
            let mut stmt = w
                .conn
                .prepare_cached("SELECT DISTINCT kind, key FROM identifiers WHERE record_id = ?1 ORDER BY kind, key")?;
            let rows = stmt
                .query_map([record.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter().map(|(kind, key)| crate::identifier_key(&kind, key)).collect()
        })
    }

    fn holders(
        &mut self,
        key: &crimeboard_domain::identifier::IdentifierKey,
        limit: u64,
    ) -> Result<Vec<(Uuid, String)>> {
        let (kind, value) = (key.kind.code(), key.value.clone());
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.ask(move |w| {
            let mut stmt = w.conn.prepare_cached(
                "SELECT record_id, min(unit) FROM identifiers WHERE kind = ?1 AND key = ?2
                 GROUP BY record_id ORDER BY record_id LIMIT ?3",
            )?;
            let rows = stmt
                .query_map(params![kind, value, limit], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter().map(|(id, unit)| Ok((crate::uuid_of(&id)?, unit))).collect()
        })
    }

    fn series_around(&mut self, records: &[Uuid]) -> Result<Vec<crate::SeriesRow>> {
        let ids = serde_json::to_string(&records.iter().map(Uuid::to_string).collect::<Vec<_>>())
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.ask(move |w| {
            let mut stmt = w.conn.prepare_cached(
                "SELECT series_id, record_id, unit FROM series WHERE series_id IN
                 (SELECT series_id FROM series WHERE record_id IN (SELECT value FROM json_each(?1)))
                 ORDER BY series_id, record_id",
            )?;
            let rows = stmt.query_map([ids], super::series_row_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter().map(super::finish_series_row).collect()
        })
    }

    fn set_series(&mut self, records: &[Uuid], rows: &[crate::SeriesRow]) -> Result<()> {
        let (records, rows) = (records.to_vec(), rows.to_vec());
        self.write(move |w| {
            let mut gone = w.conn.prepare_cached("DELETE FROM series WHERE record_id = ?1")?;
            for id in &records {
                gone.execute([id.to_string()])?;
            }
            let mut add =
                w.conn.prepare_cached("INSERT INTO series (record_id, series_id, unit) VALUES (?1, ?2, ?3)")?;
            for r in &rows {
                add.execute(params![r.record.to_string(), r.series.to_string(), r.unit])?;
            }
            Ok(())
        })
    }

    fn raise_alerts(&mut self, alerts: &[(String, Uuid)]) -> Result<()> {
        let alerts = alerts.to_vec();
        self.write(move |w| {
            let mut raise =
                w.conn.prepare_cached("INSERT OR IGNORE INTO series_alerts (unit, series_id) VALUES (?1, ?2)")?;
            for (unit, series) in &alerts {
                raise.execute(params![unit, series.to_string()])?;
            }
            Ok(())
        })
    }

    fn linking_of(
        &mut self,
        key: &crimeboard_domain::identifier::IdentifierKey,
    ) -> Result<Option<crimeboard_domain::series::Linking>> {
        let (kind, value) = (key.kind.code(), key.value.clone());
        self.ask(move |w| {
            let mut stmt = w.conn.prepare_cached("SELECT linking FROM linking WHERE kind = ?1 AND key = ?2")?;
            let found: Option<String> = stmt.query_row(params![kind, value], |r| r.get(0)).optional()?;
            found.as_deref().map(crate::linking_of).transpose()
        })
    }

    fn set_linking(
        &mut self,
        key: &crimeboard_domain::identifier::IdentifierKey,
        linking: Option<(crimeboard_domain::series::Linking, i64)>,
    ) -> Result<()> {
        let (kind, value) = (key.kind.code(), key.value.clone());
        self.write(move |w| {
            w.conn.prepare_cached("DELETE FROM linking WHERE kind = ?1 AND key = ?2")?.execute(params![kind, value])?;
            if let Some((linking, position)) = linking {
                w.conn
                    .prepare_cached("INSERT INTO linking (kind, key, linking, position) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![kind, value, linking.as_str(), position])?;
            }
            Ok(())
        })
    }

    fn add_unit(&mut self, u: &Unit) -> Result<()> {
        let u = u.clone();
        self.write(move |w| {
            w.conn.execute(
                "INSERT INTO units (code, parent, kind, agency, name_az, name_ru, name_en) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    u.code.as_str(),
                    u.parent.as_ref().map(|p| p.as_str()),
                    enum_text(&u.kind),
                    enum_text(&u.agency),
                    u.names.az,
                    u.names.ru,
                    u.names.en
                ],
            )?;
            Ok(())
        })
    }

    fn add_unit_change(&mut self, position: i64, effective_from: NaiveDate, command: &str) -> Result<()> {
        let (day, command) = (effective_from.to_string(), command.to_string());
        self.write(move |w| {
            w.conn.execute(
                "INSERT INTO unit_changes (position, effective_from, command) VALUES (?1, ?2, ?3)",
                params![position, day, command],
            )?;
            Ok(())
        })
    }

    fn set_search_keys_version(&mut self, version: i64) -> Result<()> {
        self.write(move |w| {
            w.conn.execute("UPDATE search_index SET version = ?1", [version])?;
            Ok(())
        })
    }

    fn add_counts(&mut self, deltas: &[CountDelta]) -> Result<()> {
        crate::merge_counts(&mut self.counts, deltas);
        Ok(())
    }

    fn last_adoption_position(&mut self) -> Result<Option<i64>> {
        // On the writer's connection, inside the transaction: after its write lock.
        self.ask(|w| {
            let mut stmt = w.conn.prepare_cached(crate::LAST_ADOPTION_POSITION)?;
            Ok(stmt.query_row([], |r| r.get(0)).optional()?)
        })
    }

    fn clear_counts(&mut self) -> Result<()> {
        // The counts gathered so far are dropped; those added after are
        // written at the commit, after this queued delete.
        self.counts.clear();
        self.write(|w| {
            w.conn.execute_batch("DELETE FROM counters_day; DELETE FROM counters_month")?;
            Ok(())
        })
    }

    fn add_source(&mut self, system: &str, id: &str, entity: Uuid, position: i64) -> Result<()> {
        let key = (system.to_string(), id.to_string());
        if !self.sources.insert(key.clone()) {
            return Err(StoreError::AlreadyImported { system: key.0, id: key.1 });
        }
        // One imported before this transaction fails the statement, and so
        // the commit: rare (the importer leaves out what it finds imported),
        // so not worth a read per record on the caller's thread.
        let (system, id) = key;
        self.write(move |w| {
            let added = w
                .conn
                .prepare_cached(
                    "INSERT INTO sources (system, source_id, entity_id, position) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (system, source_id) DO NOTHING",
                )?
                .execute(params![system, id, entity.to_string(), position])?;
            if added == 0 {
                return Err(StoreError::AlreadyImported { system, id });
            }
            Ok(())
        })
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        let writes = Pending {
            heads: std::mem::take(&mut self.heads),
            numbers: std::mem::take(&mut self.numbers),
            counts: std::mem::take(&mut self.counts),
        };
        let (reply, answer) = mpsc::sync_channel(1);
        self.send(Op::Commit { writes, reply })?;
        let result = answer.recv().map_err(|_| lost());
        self.end();
        result?
    }

    fn audit_append(&mut self, event: AuditEvent) -> Result<AuditEntry> {
        self.ask(move |w| super::accounts::append_audit(&w.conn, event))
    }
}

#[cfg(test)]
mod tests {
    use crate::Store;
    use crate::sqlite::SqliteStore;
    use chrono::NaiveDate;
    use crimeboard_domain::EntityKind;
    use crimeboard_domain::records::IndexRow;
    use crimeboard_domain::units::UnitCode;
    use uuid::Uuid;

    fn rows(n: usize) -> Vec<IndexRow> {
        (0..n)
            .map(|i| IndexRow {
                kind: EntityKind::Report,
                id: Uuid::now_v7(),
                unit: UnitCode::parse("ABS").unwrap(),
                number: format!("M-ABS-2024-{i:06}"),
                status: "pending".into(),
                day: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
                parent: None,
                text: format!("Rəşad Məmmədov {i}"),
                deadline: None,
                state: "x".repeat(4000),
            })
            .collect()
    }

    /// A writer that never pauses still has its log started over once it
    /// outgrows its limit: the log file stays near the limit, where without
    /// the restart it holds every transaction written.
    #[test]
    fn the_log_starts_over_under_a_steady_writer() {
        let dir = std::env::temp_dir().join(format!("crimeboard-log-{}", Uuid::now_v7()));
        let path = dir.join("log.sqlite");
        let store = SqliteStore::open_with_log_limit(&path, 64).unwrap();
        // 40 transactions of about 60 pages each: 2,400 pages, 9.8 MB, without restarts.
        for _ in 0..40 {
            let mut tx = store.begin().unwrap();
            tx.insert(rows(50)).unwrap();
            tx.commit().unwrap();
        }
        let log = std::fs::metadata(dir.join("log.sqlite-wal")).unwrap().len();
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
        assert!(log < 3_000_000, "the log grew to {log} bytes");
    }
}
