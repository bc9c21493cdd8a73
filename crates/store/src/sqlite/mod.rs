//! The embedded backend. One writer connection (SQLite has one writer at a
//! time anyway) and a pool of readers, in WAL mode so readers never wait.

use crate::migrate::{self, LEDGER};
use crate::pool::Pool;
use crate::{
    Backend, ChainHead, ChainReport, CountSum, ENTITY_KINDS, ListQuery, ListSort, Page, QueueCount, QueuePage,
    QueueQuery, Record, Result, SORTED_SEARCH_CAP, Store, StoreError, SumQuery, Tx, finish_unit, kind_of, time_of,
    uuid_of,
};
use chrono::NaiveDate;
use crimeboard_domain::EntityKind;
use crimeboard_domain::journal::{ChainWalker, JournalEntry};
use crimeboard_domain::units::Unit;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter, types::Value};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use uuid::Uuid;

mod accounts;
mod search;
mod tx;

pub struct SqliteStore {
    path: PathBuf,
    migrations_applied: Vec<&'static str>,
    writer: Mutex<tx::Writer>,
    readers: Pool<Connection>,
}

fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    // WAL lets readers work while a write is under way; NORMAL sync is safe
    // in WAL (a crash loses at most the last commits, never consistency).
    // Checkpoints are run by the store's checkpoint thread and, when the log
    // has grown too long, by the writer (`tx.rs`); the size limit
    // shrinks the log's file back when it starts over.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA journal_size_limit = 67108864;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 10000;
         PRAGMA cache_size = -65536;
         PRAGMA temp_store = MEMORY;",
    )?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

impl SqliteStore {
    pub fn open(path: &Path) -> Result<SqliteStore> {
        Self::open_with_log_limit(path, tx::LOG_RESTART_PAGES)
    }

    /// Opens with another limit on the log (in pages) before the writer
    /// starts it over: tests use a small one.
    pub fn open_with_log_limit(path: &Path, log_pages: i64) -> Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Config(format!("{}: {e}", dir.display())))?;
        }
        let mut writer = connect(path)?;
        let migrations_applied = migrate_sqlite(&mut writer)?;
        let reader_path = path.to_path_buf();
        Ok(SqliteStore {
            path: path.to_path_buf(),
            migrations_applied,
            writer: Mutex::new(tx::Writer::new(writer, path, log_pages)?),
            readers: Pool::new(8, move || connect(&reader_path)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs raw SQL on the writer connection; for tests that tamper with data.
    #[cfg(feature = "test-support")]
    pub fn execute_raw(&self, sql: &str) -> Result<usize> {
        Ok(self.writer.lock().unwrap_or_else(|e| e.into_inner()).execute(sql, [])?)
    }
}

/// Applies the migrations the database lacks; returns their names.
fn migrate_sqlite(conn: &mut Connection) -> Result<Vec<&'static str>> {
    conn.execute_batch(LEDGER)?;
    let mut applied = Vec::new();
    for m in migrate::SQLITE {
        let done: bool =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = ?1)", [m.name], |r| r.get(0))?;
        if done {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql).map_err(|e| StoreError::Migration { name: m.name.into(), message: e.to_string() })?;
        tx.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?1, datetime('now'))", [m.name])?;
        tx.commit()?;
        applied.push(m.name);
    }
    Ok(applied)
}

const ENTRY_COLUMNS: &str =
    "unit, seq, position, act_id, kind, recorded_at, actor, legal_ground, payload, prev_hash, hash";

fn entry_of(r: &Row) -> rusqlite::Result<(JournalEntry, String, String)> {
    Ok((
        JournalEntry {
            unit: r.get(0)?,
            seq: r.get(1)?,
            position: r.get(2)?,
            act_id: Uuid::nil(),
            kind: r.get(4)?,
            recorded_at: chrono::DateTime::UNIX_EPOCH,
            actor: r.get(6)?,
            legal_ground: r.get(7)?,
            payload: r.get(8)?,
            prev_hash: r.get(9)?,
            hash: r.get(10)?,
        },
        r.get(3)?,
        r.get(5)?,
    ))
}

fn finish_entry((mut e, act_id, recorded_at): (JournalEntry, String, String)) -> Result<JournalEntry> {
    e.act_id = uuid_of(&act_id)?;
    e.recorded_at = time_of(&recorded_at)?;
    Ok(e)
}

const RECORD_COLUMNS: &str = "kind, id, unit, number, status, day, parent, state";

fn record_of(r: &Row) -> rusqlite::Result<[Option<String>; 8]> {
    Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?])
}

fn finish_record(cols: [Option<String>; 8]) -> Result<Record> {
    let [kind, id, unit, number, status, day, parent, state] = cols;
    let need = |c: Option<String>| c.ok_or_else(|| StoreError::Corrupt("record column is null".into()));
    let day = need(day)?;
    Ok(Record {
        kind: kind_of(&need(kind)?)?,
        id: uuid_of(&need(id)?)?,
        unit: need(unit)?,
        number: need(number)?,
        status: need(status)?,
        day: day.parse::<NaiveDate>().map_err(|e| StoreError::Corrupt(format!("day {day:?}: {e}")))?,
        parent: parent.as_deref().map(uuid_of).transpose()?,
        state: need(state)?,
    })
}

fn unit_of(r: &Row) -> rusqlite::Result<[Option<String>; 7]> {
    Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?])
}

/// Runs reads in one read transaction, so that they see one snapshot (a
/// page and its counts, sums and the position they reflect).
pub(crate) fn in_snapshot<T>(conn: &Connection, reads: impl FnOnce() -> Result<T>) -> Result<T> {
    conn.execute_batch("BEGIN")?;
    let result = reads();
    conn.execute_batch("COMMIT")?;
    result
}

impl SqliteStore {
    fn reader(&self) -> Result<crate::pool::Pooled<'_, Connection>> {
        self.readers.get()
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn migrations_applied(&self) -> &[&'static str] {
        &self.migrations_applied
    }

    fn accounts(&self) -> &dyn crate::accounts::Accounts {
        self
    }

    fn begin(&self) -> Result<Box<dyn Tx + '_>> {
        let writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        Ok(Box::new(tx::SqliteTx::begin(writer, &self.readers)?))
    }

    fn units(&self) -> Result<Vec<Unit>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(
            "WITH RECURSIVE tree(code, depth) AS (SELECT code, 0 FROM units WHERE parent IS NULL
               UNION ALL SELECT u.code, t.depth + 1 FROM units u JOIN tree t ON u.parent = t.code)
             SELECT u.code, u.parent, u.kind, u.agency, u.name_az, u.name_ru, u.name_en
             FROM units u JOIN tree t USING (code) ORDER BY t.depth, u.code",
        )?;
        let rows = stmt.query_map([], unit_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish_unit).collect()
    }

    fn unit_changes(&self) -> Result<Vec<String>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached("SELECT command FROM unit_changes ORDER BY position")?;
        let rows = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }

    fn get(&self, id: Uuid) -> Result<Option<Record>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = ?1"))?;
        stmt.query_row([id.to_string()], record_of).optional()?.map(finish_record).transpose()
    }

    fn list(&self, q: &ListQuery) -> Result<Page> {
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |v: Value| {
            args.push(v);
            format!("?{}", args.len())
        };
        // The filters on `records r`, the same with words or without.
        let mut filters = String::new();
        if let Some(units) = &q.units {
            let list = arg(Value::Text(serde_json::to_string(units).unwrap_or_default()));
            filters.push_str(&format!(" AND r.unit IN (SELECT value FROM json_each({list}))"));
        }
        let mut filter = |column: &str, op: &str, v: Value| {
            let at = arg(v);
            filters.push_str(&format!(" AND r.{column} {op} {at}"));
        };
        if let Some(d) = q.day_from {
            filter("day", ">=", Value::Text(d.to_string()));
        }
        if let Some(d) = q.day_to {
            filter("day", "<=", Value::Text(d.to_string()));
        }
        if let Some(s) = &q.status {
            filter("status", "=", Value::Text(s.clone()));
        }
        if let Some(p) = q.parent {
            filter("parent", "=", Value::Text(p.to_string()));
        }
        if let Some(n) = &q.number {
            filter("number", "=", Value::Text(n.clone()));
        }
        let page = |arg: &mut dyn FnMut(Value) -> String| {
            let limit = arg(Value::Integer(i64::try_from(q.limit + 1).unwrap_or(i64::MAX)));
            let offset = arg(Value::Integer(i64::try_from(q.offset).unwrap_or(i64::MAX)));
            format!(" LIMIT {limit} OFFSET {offset}")
        };
        let sql = if q.words.is_empty() {
            if let Some(k) = q.kind {
                filter("kind", "=", Value::Text(k.as_str().into()));
            }
            let order = q.sort.unwrap_or_default().order_by().replace(", ", ", r.");
            let columns = RECORD_COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ");
            format!("SELECT {columns} FROM records r WHERE 1 = 1{filters} ORDER BY r.{order}{}", page(&mut arg))
        } else {
            let fts = arg(Value::Text(search::fts5_query(&q.words)));
            // Words and a sort no index gives: the newest matches, capped, are sorted.
            let capped = q.sort.filter(|s| !s.by_day());
            let oldest = q.sort == Some(ListSort::Oldest);
            let wanted = match capped {
                Some(_) => SORTED_SEARCH_CAP,
                None => q.offset.saturating_add(q.limit).saturating_add(1),
            };
            let wanted = arg(Value::Integer(i64::try_from(wanted).unwrap_or(i64::MAX)));
            let direction = if oldest { "" } else { " DESC" };
            // Each register's index yields its matches in recording order (its
            // rowids) and stops at what the page needs; the registers' matches
            // are then merged. Recording order stands for the day.
            let kinds = q.kind.map_or(EntityKind::ALL.to_vec(), |k| vec![k]);
            let matches = kinds
                .into_iter()
                .map(|kind| {
                    let t = search::table(kind);
                    format!(
                        "SELECT rowid FROM (SELECT r.rowid FROM {t} s JOIN records r ON r.rowid = s.rowid \
                         WHERE {t} MATCH {fts}{filters} ORDER BY s.rowid{direction} LIMIT {wanted})"
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            match capped {
                None => format!(
                    "SELECT {RECORD_COLUMNS} FROM records WHERE rowid IN ({matches}) ORDER BY rowid{direction}{}",
                    page(&mut arg)
                ),
                // No index orders matches by number, unit or deadline: sort
                // the newest SORTED_SEARCH_CAP of them (see its note).
                Some(sort) => format!(
                    "SELECT {RECORD_COLUMNS} FROM records WHERE rowid IN \
                     (SELECT rowid FROM ({matches}) ORDER BY rowid DESC LIMIT {wanted}) ORDER BY {}{}",
                    sort.order_by(),
                    page(&mut arg)
                ),
            }
        };
        let conn = self.reader()?;
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), record_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        let mut items = rows.into_iter().map(finish_record).collect::<Result<Vec<_>>>()?;
        let has_more = items.len() as u64 > q.limit;
        items.truncate(usize::try_from(q.limit).unwrap_or(usize::MAX));
        Ok(Page { items, has_more })
    }

    fn journal(&self, unit: Option<&str>, after_position: i64, limit: u64) -> Result<Vec<JournalEntry>> {
        let conn = self.reader()?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM journal WHERE position > ?1 AND (?2 IS NULL OR unit = ?2) ORDER BY position LIMIT ?3"
        ))?;
        let rows =
            stmt.query_map(params![after_position, unit, limit], entry_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish_entry).collect()
    }

    fn history(&self, entity: Uuid) -> Result<Vec<(JournalEntry, bool)>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {cols}, EXISTS (SELECT 1 FROM annulments a WHERE a.position = j.position)
             FROM act_subjects s JOIN journal j ON j.position = s.position
             WHERE s.entity_id = ?1 ORDER BY j.position",
            cols = ENTRY_COLUMNS.split(", ").map(|c| format!("j.{c}")).collect::<Vec<_>>().join(", ")
        ))?;
        let rows = stmt
            .query_map([entity.to_string()], |r| Ok((entry_of(r)?, r.get::<_, bool>(11)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(|(e, annulled)| Ok((finish_entry(e)?, annulled))).collect()
    }

    fn position(&self) -> Result<i64> {
        let conn = self.reader()?;
        Ok(conn.query_row("SELECT COALESCE(MAX(position), 0) FROM journal", [], |r| r.get(0))?)
    }

    fn chain_heads(&self) -> Result<Vec<ChainHead>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached("SELECT unit, seq, hash FROM chain_heads ORDER BY unit")?;
        let heads = stmt
            .query_map([], |r| Ok(ChainHead { unit: r.get(0)?, seq: r.get(1)?, hash: r.get(2)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(heads)
    }

    fn verify_chain(&self, head: &ChainHead) -> Result<ChainReport> {
        let conn = self.reader()?;
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {ENTRY_COLUMNS} FROM journal WHERE unit = ?1 ORDER BY seq"))?;
        let mut rows = stmt.query([&head.unit])?;
        let mut walker = ChainWalker::new(&head.unit);
        while let Some(row) = rows.next()? {
            let entry = finish_entry(entry_of(row)?)?;
            if let Err(brk) = walker.feed(&entry) {
                return Ok(ChainReport { unit: head.unit.clone(), result: Err(brk) });
            }
        }
        Ok(ChainReport { unit: head.unit.clone(), result: walker.finish(head.seq, &head.hash) })
    }

    fn sum_counts(&self, queries: &[SumQuery]) -> Result<(Vec<Vec<CountSum>>, i64)> {
        let conn = self.reader()?;
        // The sums and the position come from the same snapshot.
        in_snapshot(&conn, || {
            let sums = queries.iter().map(|q| sum_query(&conn, q)).collect::<Result<Vec<_>>>()?;
            let position: i64 = conn.query_row("SELECT COALESCE(MAX(position), 0) FROM journal", [], |r| r.get(0))?;
            Ok((sums, position))
        })
    }

    fn unit_counts(&self, unit: &str) -> Result<Vec<(String, NaiveDate, i64)>> {
        let conn = self.reader()?;
        let mut stmt =
            conn.prepare_cached("SELECT indicator, day, value FROM counters_day WHERE unit = ?1 AND value <> 0")?;
        let rows = stmt
            .query_map([unit], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(i, d, v)| Ok((i, d.parse().map_err(|e| StoreError::Corrupt(format!("day {d:?}: {e}")))?, v)))
            .collect()
    }

    fn counted_days(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let conn = self.reader()?;
        let (first, last): (Option<String>, Option<String>) =
            conn.query_row(crate::COUNTED_DAYS, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let day = |d: String| d.parse::<NaiveDate>().map_err(|e| StoreError::Corrupt(format!("day {d:?}: {e}")));
        match (first, last) {
            (Some(first), Some(last)) => Ok(Some((day(first)?, day(last)?))),
            _ => Ok(None),
        }
    }

    fn each_record(&self, unit: &str, f: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE kind IN {ENTITY_KINDS} AND unit = ?1"
        ))?;
        let mut rows = stmt.query([unit])?;
        while let Some(row) = rows.next()? {
            f(finish_record(record_of(row)?)?)?;
        }
        Ok(())
    }

    fn records_after(&self, after: Option<Uuid>, limit: u64) -> Result<Vec<Record>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!(
            // `+kind`: walk the id index in order; the kind index would sort everything.
            "SELECT {RECORD_COLUMNS} FROM records WHERE id > ?1 AND +kind IN {ENTITY_KINDS} ORDER BY id LIMIT ?2"
        ))?;
        let after = after.map(|id| id.to_string()).unwrap_or_default();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![after, limit], record_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish_record).collect()
    }

    fn each_entry_until(&self, position: i64, f: &mut dyn FnMut(JournalEntry, bool) -> Result<()>) -> Result<()> {
        let conn = self.reader()?;
        let cols = ENTRY_COLUMNS.split(", ").map(|c| format!("j.{c}")).collect::<Vec<_>>().join(", ");
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {cols}, EXISTS (SELECT 1 FROM annulments a WHERE a.position = j.position AND a.by_position <= ?1)
             FROM journal j WHERE j.position <= ?1 ORDER BY j.position"
        ))?;
        let mut rows = stmt.query([position])?;
        while let Some(row) = rows.next()? {
            let annulled: bool = row.get(11)?;
            f(finish_entry(entry_of(row)?)?, annulled)?;
        }
        Ok(())
    }

    fn search_keys_version(&self) -> Result<i64> {
        let conn = self.reader()?;
        Ok(conn.query_row("SELECT version FROM search_index", [], |r| r.get(0)).optional()?.unwrap_or(0))
    }

    fn last_adoption(&self) -> Result<Option<JournalEntry>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM journal WHERE kind = 'adopt_jurisdiction' ORDER BY position DESC LIMIT 1"
        ))?;
        let entry = stmt.query_row([], entry_of).optional()?;
        entry.map(finish_entry).transpose()
    }

    fn heads(&self) -> Result<crate::Heads> {
        let conn = self.reader()?;
        let sql =
            format!("SELECT COALESCE((SELECT MAX(position) FROM journal), 0), ({})", crate::LAST_ADOPTION_POSITION);
        let mut stmt = conn.prepare_cached(&sql)?;
        Ok(stmt.query_row([], |r| Ok(crate::Heads { position: r.get(0)?, last_adoption: r.get(1)? }))?)
    }

    fn imported(&self, system: &str, ids: &[String]) -> Result<Vec<(String, Uuid)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.reader()?;
        imported_sqlite(&conn, system, ids)
    }

    fn identifiers(
        &self,
        kind: crimeboard_domain::identifier::IdentifierKind,
        key: &str,
        limit: u64,
    ) -> Result<Vec<crimeboard_domain::identifier::IdentifierRow>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} FROM identifiers WHERE kind = ?1 AND key = ?2 ORDER BY unit, number, subject_id LIMIT ?3",
            crate::IDENTIFIER_COLUMNS
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![kind.code(), key, limit], |r| {
            Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?])
        })?;
        rows.map(|cols| crate::identifier_row(cols?)).collect()
    }

    fn identifiers_of(&self, record: Uuid) -> Result<Vec<crimeboard_domain::identifier::IdentifierRow>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} FROM identifiers WHERE record_id = ?1 ORDER BY kind, key, subject_id",
            crate::IDENTIFIER_COLUMNS
        ))?;
        let rows = stmt.query_map([record.to_string()], |r| {
            Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?])
        })?;
        rows.map(|cols| crate::identifier_row(cols?)).collect()
    }

    fn series_members(&self, series: Uuid) -> Result<Vec<crate::SeriesRow>> {
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare_cached("SELECT series_id, record_id, unit FROM series WHERE series_id = ?1 ORDER BY record_id")?;
        let rows = stmt.query_map([series.to_string()], series_row_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish_series_row).collect()
    }

    fn series_of(&self, record: Uuid) -> Result<Option<Uuid>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached("SELECT series_id, record_id, unit FROM series WHERE record_id = ?1")?;
        let rows = stmt.query_map([record.to_string()], series_row_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows.into_iter().map(finish_series_row).next().transpose()?.map(|row| row.series))
    }

    fn series_rows(&self) -> Result<Vec<crate::SeriesRow>> {
        let conn = self.reader()?;
        let mut stmt =
            conn.prepare_cached("SELECT series_id, record_id, unit FROM series ORDER BY series_id, record_id")?;
        let rows = stmt.query_map([], series_row_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish_series_row).collect()
    }

    fn series_alerts(&self, unit: &str) -> Result<Vec<Uuid>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached("SELECT series_id FROM series_alerts WHERE unit = ?1 ORDER BY series_id")?;
        let rows = stmt.query_map([unit], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.iter().map(|id| uuid_of(id)).collect()
    }

    fn linkings(
        &self,
    ) -> Result<Vec<(crimeboard_domain::identifier::IdentifierKey, crimeboard_domain::series::Linking)>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached("SELECT kind, key, linking FROM linking ORDER BY kind, key")?;
        let rows = stmt
            .query_map([], |r| Ok([r.get::<_, String>(0)?, r.get(1)?, r.get(2)?]))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|[kind, key, linking]| Ok((crate::identifier_key(&kind, key)?, crate::linking_of(&linking)?)))
            .collect()
    }

    fn holdings(&self) -> Result<Vec<crate::Holding>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(crate::HOLDINGS)?;
        let rows = stmt
            .query_map([], |r| Ok([r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|[record, unit, kind, key]| {
                Ok(crate::Holding { record: uuid_of(&record)?, unit, key: crate::identifier_key(&kind, key)? })
            })
            .collect()
    }

    fn queue(&self, q: &QueueQuery) -> Result<QueuePage> {
        // Deadlines are kept as Unix seconds; a whole-second deadline `d` is
        // at or before an instant exactly when it is at or before its second.
        let (now, due_by) = (q.now.timestamp(), q.due_by.timestamp());
        let units = match &q.units {
            Some(_) => " AND unit IN (SELECT value FROM json_each(?1))",
            None => " AND ?1 IS NULL",
        };
        let list = q.units.as_ref().map(|u| serde_json::to_string(u).unwrap_or_default());
        let conn = self.reader()?;
        // The page and the counts from the same snapshot.
        in_snapshot(&conn, || {
            // The page's rows are picked from the (unit, deadline, id) index
            // alone, so the rows skipped by the offset are never read.
            let mut page = conn.prepare_cached(&format!(
                "SELECT {RECORD_COLUMNS} FROM records WHERE rowid IN (
                   SELECT rowid FROM records WHERE kind = ?4 AND deadline IS NOT NULL{units}
                   ORDER BY deadline, id LIMIT ?2 OFFSET ?3)
                 ORDER BY deadline, id"
            ))?;
            let limit = i64::try_from(q.limit + 1).unwrap_or(i64::MAX);
            let offset = i64::try_from(q.offset).unwrap_or(i64::MAX);
            let rows = page
                .query_map(params![list, limit, offset, q.kind.as_str()], record_of)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut items = rows.into_iter().map(finish_record).collect::<Result<Vec<_>>>()?;
            let has_more = items.len() as u64 > q.limit;
            items.truncate(usize::try_from(q.limit).unwrap_or(usize::MAX));
            // Read from the (unit, deadline) index alone.
            let mut counts = conn.prepare_cached(&format!(
                "SELECT unit, COUNT(*), COALESCE(SUM(deadline <= ?2), 0), COALESCE(SUM(deadline > ?2 AND deadline <= ?3), 0)
                 FROM records WHERE kind = ?4 AND deadline IS NOT NULL{units} GROUP BY unit ORDER BY unit"
            ))?;
            let counts = counts
                .query_map(params![list, now, due_by, q.kind.as_str()], |r| {
                    Ok(QueueCount { unit: r.get(0)?, waiting: r.get(1)?, overdue: r.get(2)?, due_today: r.get(3)? })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(QueuePage { items, has_more, counts })
        })
    }
}

fn imported_sqlite(conn: &Connection, system: &str, ids: &[String]) -> Result<Vec<(String, Uuid)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT source_id, entity_id FROM sources WHERE system = ?1 AND source_id IN (SELECT value FROM json_each(?2))",
    )?;
    let list = serde_json::to_string(ids).map_err(|e| StoreError::Config(e.to_string()))?;
    let rows = stmt
        .query_map(params![system, list], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|(id, entity)| Ok((id, uuid_of(&entity)?))).collect()
}

/// The counter cells of a span: whole months from the monthly table, loose
/// days from the daily one. Not summed here: the caller adds them up, which
/// is cheaper than a sort for GROUP BY.
fn sum_query(conn: &Connection, q: &SumQuery) -> Result<Vec<CountSum>> {
    let mut cells = Vec::new();
    let row = |r: &Row| Ok(CountSum { unit: r.get(0)?, indicator: r.get(1)?, value: r.get(2)? });
    let mut months = conn.prepare_cached("SELECT unit, indicator, value FROM counters_month WHERE month = ?1")?;
    for m in &q.months {
        for c in months.query_map([m], row)? {
            cells.push(c?);
        }
    }
    let mut days =
        conn.prepare_cached("SELECT unit, indicator, value FROM counters_day WHERE day BETWEEN ?1 AND ?2")?;
    for (from, to) in &q.days {
        for c in days.query_map([from.to_string(), to.to_string()], row)? {
            cells.push(c?);
        }
    }
    Ok(cells)
}

/// A series row's columns as stored: series, record, unit.
pub(crate) fn series_row_of(r: &rusqlite::Row) -> rusqlite::Result<[String; 3]> {
    Ok([r.get(0)?, r.get(1)?, r.get(2)?])
}

pub(crate) fn finish_series_row([series, record, unit]: [String; 3]) -> Result<crate::SeriesRow> {
    Ok(crate::SeriesRow { series: uuid_of(&series)?, record: uuid_of(&record)?, unit })
}
