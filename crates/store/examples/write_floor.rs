//! What SQLite alone costs to write what a registration or an import
//! writes, and what it would cost in leaner layouts: the floor under
//! `crimeboard bench register` and `crimeboard import`, without any of our
//! own code on the writer's thread.
//!
//! Reads the journal, act subjects, source identities and records of a
//! database that one of them filled, holds them in memory, and writes them again into a new
//! database act by act, 1,000 acts a transaction, the way the writer thread
//! does: each act's journal row and subjects, the source identities it
//! imported, the records it creates (or the record it updates; a decision
//! leaves a record's search keys as they were, so its document stays), and,
//! before each commit, the transaction's documents into the full-text
//! indexes. Counters are left out: a few rows a transaction. Checkpoints
//! run on a second thread, as in the store. Prints the writer thread's CPU
//! time per case; in the stored layout it also checks that the copy holds
//! the source's rows and bytes.
//!
//! ```sh
//! crimeboard bench register --db /tmp/floor/src.sqlite --cases 100000
//! cargo run --release -p crimeboard-store --example write_floor -- /tmp/floor/src.sqlite /tmp/floor/out.sqlite current
//! cargo run --release -p crimeboard-store --example write_floor -- /tmp/floor/src.sqlite /tmp/floor/out.sqlite blob,noidx,embed,nofts
//! ```
//!
//! Layout options, comma-separated (`current` is none of them):
//! - `blob`: ids as 16-byte blobs and hashes as 32-byte blobs, not text;
//! - `noidx`: no secondary indexes on records (register number, day, parent);
//! - `embed`: persons kept inside their case or report, not as records of
//!   their own (no person rows, subjects or documents);
//! - `nosubj`: no act-subject rows (reports and cases have them; persons
//!   come with theirs);
//! - `nofts`: no full-text indexes;
//! - `oneact`: decisions not journalled as acts of their own (their records
//!   still updated), as if a row's record and outcome were one act;
//! - `nosources`: no source identities (an import's), to price their keys;
//! - `prefix:2+4`: FTS5's prefix indexes (`prefix:` for none) instead of the
//!   store's `2 3 4 5 6 7 8`;
//! - `without:number` (or `kind_unit_day`, `kind_day`, `parent`, `queue`,
//!   `queue_unit`): one of
//!   records' secondary indexes left out.

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Instant;

struct JournalRow {
    position: i64,
    unit: String,
    seq: i64,
    act_id: String,
    kind: String,
    recorded_at: String,
    actor: String,
    legal_ground: String,
    payload: String,
    prev_hash: String,
    hash: String,
}

struct RecordRow {
    id: String,
    kind: String,
    unit: String,
    number: String,
    status: String,
    day: String,
    parent: Option<String>,
    text: String,
    state: String,
    /// A report's statutory deadline while it waits for a decision (the
    /// queue's indexes hold it until then).
    deadline: Option<i64>,
}

#[derive(Clone, Default)]
struct Layout {
    blob: bool,
    noidx: bool,
    embed: bool,
    nosubj: bool,
    nofts: bool,
    /// Decisions not journalled as acts of their own (their records still
    /// updated): what one act a row instead of two would write.
    one_act: bool,
    /// No source identities: what their random keys cost.
    nosources: bool,
    /// FTS5's prefix option, when not the store's.
    prefix: Option<String>,
    /// Secondary indexes on records left out, by name.
    without: Vec<String>,
}

const KINDS: [&str; 3] = ["report", "case", "person"];

fn main() -> rusqlite::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, source, target, layout] = &args[..] else {
        eprintln!("usage: write_floor SOURCE.sqlite TARGET.sqlite current|OPTION,OPTION,... (see the file's header)");
        std::process::exit(2);
    };
    let text_of_layout = layout.as_str();
    let layout = parse_layout(layout);
    let loaded = load(source)?;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{target}{suffix}"));
    }
    let conn = open(target)?;
    create_schema(&conn, &layout)?;
    let cases = loaded.records.iter().filter(|r| r.kind == "case").count();
    let stored_layout = text_of_layout == "current";
    let (cpu, wall, checkpoint_cpu) = replay(conn, target, &loaded, layout)?;
    if stored_layout {
        check_same_rows(source, target)?;
    }
    let size = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    println!(
        "{cases} cases, {} acts: writer {:.1} s CPU ({:.1} µs a case, {:.1} µs an act), wall {:.1} s, checkpoints {:.1} s CPU, file {:.0} MB",
        loaded.journal.len(),
        cpu,
        cpu * 1e6 / cases as f64,
        cpu * 1e6 / loaded.journal.len() as f64,
        wall,
        checkpoint_cpu,
        size as f64 / 1e6
    );
    Ok(())
}

/// In the stored layout the copy must hold what the source holds, row for
/// row and byte for byte, or the floor would be measured on other work.
fn check_same_rows(source: &str, target: &str) -> rusqlite::Result<()> {
    const MEASURES: [&str; 7] = [
        "SELECT count(*) FROM journal",
        "SELECT sum(length(payload)) FROM journal",
        "SELECT count(*) FROM records",
        "SELECT sum(length(state)) + sum(length(text)) FROM records",
        "SELECT count(*) FROM act_subjects",
        "SELECT count(*) FROM sources",
        "SELECT (SELECT count(*) FROM search_report_docsize) + (SELECT count(*) FROM search_case_docsize)
                + (SELECT count(*) FROM search_person_docsize)",
    ];
    let measure = |path: &str| -> rusqlite::Result<Vec<i64>> {
        let conn = Connection::open(path)?;
        MEASURES
            .iter()
            .map(|sql| conn.query_row(sql, [], |r| r.get::<_, Option<i64>>(0)).map(Option::unwrap_or_default))
            .collect()
    };
    let (expected, written) = (measure(source)?, measure(target)?);
    if expected != written {
        eprintln!("the copy differs from the source: {written:?} against {expected:?} ({MEASURES:?})");
        std::process::exit(1);
    }
    println!("the copy holds the source's rows and bytes: {written:?}");
    Ok(())
}

fn parse_layout(text: &str) -> Layout {
    let mut layout = Layout::default();
    for option in text.split(',') {
        match option {
            "current" => {}
            "blob" => layout.blob = true,
            "noidx" => layout.noidx = true,
            "embed" => layout.embed = true,
            "nosubj" => layout.nosubj = true,
            "nofts" => layout.nofts = true,
            "oneact" => layout.one_act = true,
            "nosources" => layout.nosources = true,
            other if other.starts_with("prefix:") => layout.prefix = Some(other["prefix:".len()..].replace('+', " ")),
            other if other.starts_with("without:") => layout.without.push(other["without:".len()..].to_string()),
            other => panic!("unknown layout option {other}"),
        }
    }
    layout
}

/// An imported record's source identity: (system, source id, entity id).
type SourceRow = (String, String, String);

struct Loaded {
    journal: Vec<JournalRow>,
    records: Vec<RecordRow>,
    /// The positions of the acts that changed each record, in order.
    subjects: HashMap<String, Vec<i64>>,
    /// Source identities by the position of the act that imported them.
    sources: HashMap<i64, Vec<SourceRow>>,
}

fn load(source: &str) -> rusqlite::Result<Loaded> {
    let conn = Connection::open(source)?;
    let journal = conn
        .prepare("SELECT position, unit, seq, act_id, kind, recorded_at, actor, legal_ground, payload, prev_hash, hash FROM journal ORDER BY position")?
        .query_map([], |r| {
            Ok(JournalRow {
                position: r.get(0)?,
                unit: r.get(1)?,
                seq: r.get(2)?,
                act_id: r.get(3)?,
                kind: r.get(4)?,
                recorded_at: r.get(5)?,
                actor: r.get(6)?,
                legal_ground: r.get(7)?,
                payload: r.get(8)?,
                prev_hash: r.get(9)?,
                hash: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let records = conn
        .prepare(
            "SELECT id, kind, unit, number, status, day, parent, text, state,
                    CAST(strftime('%s', json_extract(state, '$.deadline')) AS INTEGER)
             FROM records ORDER BY rowid",
        )?
        .query_map([], |r| {
            Ok(RecordRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                unit: r.get(2)?,
                number: r.get(3)?,
                status: r.get(4)?,
                day: r.get(5)?,
                parent: r.get(6)?,
                text: r.get(7)?,
                state: r.get(8)?,
                deadline: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut subjects: HashMap<String, Vec<i64>> = HashMap::new();
    let mut rows = conn.prepare("SELECT entity_id, position FROM act_subjects ORDER BY position")?;
    let mut query = rows.query([])?;
    while let Some(row) = query.next()? {
        subjects.entry(row.get(0)?).or_default().push(row.get(1)?);
    }
    let mut sources: HashMap<i64, Vec<SourceRow>> = HashMap::new();
    let mut rows = conn.prepare("SELECT system, source_id, entity_id, position FROM sources")?;
    let mut query = rows.query([])?;
    while let Some(row) = query.next()? {
        sources.entry(row.get(3)?).or_default().push((row.get(0)?, row.get(1)?, row.get(2)?));
    }
    Ok(Loaded { journal, records, subjects, sources })
}

fn open(path: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;
         PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0;",
    )?;
    Ok(conn)
}

fn create_schema(conn: &Connection, layout: &Layout) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE journal (position INTEGER PRIMARY KEY, unit TEXT NOT NULL, seq INTEGER NOT NULL,
             act_id TEXT NOT NULL, kind TEXT NOT NULL, recorded_at TEXT NOT NULL, actor TEXT NOT NULL,
             legal_ground TEXT NOT NULL, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
             UNIQUE (unit, seq));
         CREATE TABLE chain_heads (unit TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL);
         CREATE TABLE act_subjects (entity_id TEXT NOT NULL, position INTEGER NOT NULL,
             PRIMARY KEY (entity_id, position)) WITHOUT ROWID;
         CREATE TABLE sources (system TEXT NOT NULL, source_id TEXT NOT NULL, entity_id TEXT NOT NULL,
             position INTEGER NOT NULL, PRIMARY KEY (system, source_id)) WITHOUT ROWID;
         CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT NOT NULL, unit TEXT NOT NULL, number TEXT NOT NULL,
             status TEXT NOT NULL, day TEXT NOT NULL, parent TEXT, text TEXT NOT NULL, state TEXT NOT NULL,
             deadline INTEGER);",
    )?;
    let indexes = [
        ("kind_unit_day", "(kind, unit, day)"),
        ("kind_day", "(kind, day) WHERE kind <> 'person'"),
        ("number", "(number) WHERE kind <> 'person'"),
        ("parent", "(parent) WHERE parent IS NOT NULL"),
        ("queue", "(deadline, id) WHERE deadline IS NOT NULL"),
        ("queue_unit", "(unit, deadline, id) WHERE deadline IS NOT NULL"),
    ];
    for (name, definition) in indexes {
        if !layout.noidx && !layout.without.iter().any(|w| w == name) {
            conn.execute_batch(&format!("CREATE INDEX records_{name} ON records {definition};"))?;
        }
    }
    if !layout.nofts {
        for kind in KINDS {
            conn.execute_batch(&format!(
                "CREATE VIRTUAL TABLE search_{kind} USING fts5(text, content = '', contentless_delete = 1, detail = none,
                 {}tokenize = 'unicode61 remove_diacritics 0');",
                match layout.prefix.as_deref() {
                    None => "prefix = '2 3 4 5 6 7 8', ".to_string(),
                    Some("") => String::new(),
                    Some(prefix) => format!("prefix = '{prefix}', "),
                }
            ))?;
        }
    }
    Ok(())
}

/// An id or a hash as the layout stores it. Text is bound as it is held,
/// not copied: the writer's thread should do SQLite's work only.
fn key<'a>(layout: &Layout, text: &'a str) -> ToSqlOutput<'a> {
    if !layout.blob {
        return ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes()));
    }
    if let Ok(id) = uuid::Uuid::parse_str(text) {
        return ToSqlOutput::Owned(Value::Blob(id.as_bytes().to_vec()));
    }
    let bytes = (0..text.len() / 2).map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap_or(0)).collect();
    ToSqlOutput::Owned(Value::Blob(bytes))
}

/// Which records each act creates and which it updates, by position.
#[derive(Default)]
struct Plan {
    created: HashMap<i64, Vec<usize>>,
    updated: HashMap<i64, Vec<usize>>,
}

fn plan(loaded: &Loaded, layout: &Layout) -> Plan {
    let mut plan = Plan::default();
    for (index, record) in loaded.records.iter().enumerate() {
        if layout.embed && record.kind == "person" {
            continue;
        }
        // Persons are no act's subjects: they come with their case or report.
        let Some(positions) = loaded.subjects.get(&record.id) else {
            let parent =
                record.parent.as_ref().and_then(|p| loaded.subjects.get(p)).expect("a person's case or report");
            plan.created.entry(parent[0]).or_default().push(index);
            continue;
        };
        plan.created.entry(positions[0]).or_default().push(index);
        for position in &positions[1..] {
            plan.updated.entry(*position).or_default().push(index);
        }
    }
    plan
}

/// Writes everything, 1,000 acts a transaction, and returns the writer
/// thread's CPU time, the wall clock and the checkpoint thread's CPU time.
fn replay(mut conn: Connection, target: &str, loaded: &Loaded, layout: Layout) -> rusqlite::Result<(f64, f64, f64)> {
    let plan = plan(loaded, &layout);
    let log_pages = Arc::new(AtomicI64::new(0));
    let (wanted, checkpointer) = spawn_checkpointer(target.to_string(), log_pages.clone());
    let start = Instant::now();
    let cpu_before = thread_cpu();
    for batch in loaded.journal.chunks(1000) {
        // As the store's writer does: past 256 MB of log, finish the copy so
        // the log starts over.
        if log_pages.load(Ordering::Relaxed) > 65_536 {
            conn.query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(()))?;
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        write_transaction(&tx, batch, &plan, loaded, &layout)?;
        tx.commit()?;
        let _ = wanted.try_send(());
    }
    let cpu = thread_cpu() - cpu_before;
    let wall = start.elapsed().as_secs_f64();
    drop(wanted);
    let checkpoint_cpu = checkpointer.join().expect("checkpoint thread");
    Ok((cpu, wall, checkpoint_cpu))
}

/// A thread that checkpoints after each commit it is told of, and keeps the
/// log's length where the writer can see it; it returns its CPU time.
fn spawn_checkpointer(path: String, log_pages: Arc<AtomicI64>) -> (mpsc::SyncSender<()>, JoinHandle<f64>) {
    let (wanted, asked) = mpsc::sync_channel::<()>(1);
    let thread = std::thread::spawn(move || {
        let conn = open(&path).expect("checkpoint connection");
        while asked.recv().is_ok() {
            if let Ok(pages) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1)) {
                log_pages.store(pages, Ordering::Relaxed);
            }
        }
        thread_cpu()
    });
    (wanted, thread)
}

fn write_transaction(
    tx: &Connection,
    batch: &[JournalRow],
    plan: &Plan,
    loaded: &Loaded,
    layout: &Layout,
) -> rusqlite::Result<()> {
    let mut documents: Vec<Vec<(i64, &str)>> = vec![Vec::new(); KINDS.len()];
    let mut heads: HashMap<&str, (i64, &str)> = HashMap::new();
    for entry in batch {
        let journalled = !(layout.one_act && entry.kind.starts_with("decide_"));
        if journalled {
            append(tx, entry, layout)?;
            heads.insert(&entry.unit, (entry.seq, &entry.hash));
        }
        for &index in plan.created.get(&entry.position).into_iter().flatten() {
            let record = &loaded.records[index];
            insert_record(tx, record, layout)?;
            documents[kind_index(&record.kind)].push((tx.last_insert_rowid(), &record.text));
        }
        for &index in plan.updated.get(&entry.position).into_iter().flatten() {
            let record = &loaded.records[index];
            // Decided: out of the queue.
            tx.prepare_cached("UPDATE records SET status = ?2, text = ?3, state = ?4, deadline = NULL WHERE id = ?1")?
                .execute(params![key(layout, &record.id), record.status, record.text, record.state])?;
        }
        let sources = loaded.sources.get(&entry.position).filter(|_| !layout.nosources);
        for (system, source_id, entity_id) in sources.into_iter().flatten() {
            tx.prepare_cached("INSERT INTO sources (system, source_id, entity_id, position) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![system, source_id, key(layout, entity_id), entry.position])?;
        }
        if !layout.nosubj && journalled {
            let touched = plan.created.get(&entry.position).into_iter().chain(plan.updated.get(&entry.position));
            for &index in touched.flatten().filter(|&&i| loaded.subjects.contains_key(&loaded.records[i].id)) {
                tx.prepare_cached("INSERT INTO act_subjects (entity_id, position) VALUES (?1, ?2)")?
                    .execute(params![key(layout, &loaded.records[index].id), entry.position])?;
            }
        }
    }
    for (unit, (seq, hash)) in heads {
        tx.prepare_cached(
            "INSERT INTO chain_heads (unit, seq, hash) VALUES (?1, ?2, ?3)
             ON CONFLICT (unit) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        )?
        .execute(params![unit, seq, key(layout, hash)])?;
    }
    if !layout.nofts {
        write_documents(tx, &documents)?;
    }
    Ok(())
}

fn append(tx: &Connection, entry: &JournalRow, layout: &Layout) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO journal (position, unit, seq, act_id, kind, recorded_at, actor, legal_ground, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        entry.position,
        entry.unit,
        entry.seq,
        key(layout, &entry.act_id),
        entry.kind,
        entry.recorded_at,
        entry.actor,
        entry.legal_ground,
        entry.payload,
        key(layout, &entry.prev_hash),
        key(layout, &entry.hash)
    ])?;
    Ok(())
}

fn insert_record(tx: &Connection, record: &RecordRow, layout: &Layout) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO records (id, kind, unit, number, status, day, parent, text, state, deadline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        key(layout, &record.id),
        record.kind,
        record.unit,
        record.number,
        record.status,
        record.day,
        record.parent.as_deref().map(|p| key(layout, p)),
        record.text,
        record.state,
        record.deadline
    ])?;
    Ok(())
}

/// Each register's documents in one statement, as `src/sqlite/search.rs` writes
/// them, so a transaction's documents become one segment.
fn write_documents(tx: &Connection, documents: &[Vec<(i64, &str)>]) -> rusqlite::Result<()> {
    for (kind, batch) in KINDS.iter().zip(documents) {
        if batch.is_empty() {
            continue;
        }
        let json = serde_json::to_string(batch).expect("documents as JSON");
        tx.prepare_cached(&format!(
            "INSERT INTO search_{kind} (rowid, text) SELECT value ->> 0, value ->> 1 FROM json_each(?1)"
        ))?
        .execute([json])?;
    }
    Ok(())
}

fn kind_index(kind: &str) -> usize {
    KINDS.iter().position(|k| *k == kind).expect("a registration writes reports, cases and persons")
}

/// This thread's CPU time (user and system), in seconds.
fn thread_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: f64 = fields.get(11).and_then(|u| u.parse::<f64>().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    ticks / 100.0
}
