//! The PostgreSQL backend, for scale. Same tables as SQLite, with native
//! types (UUID, TIMESTAMPTZ, DATE, JSONB). A write transaction holds its
//! rows back and sends them in one multi-row statement at the commit (each
//! statement is a round trip); writers queue on one journal lock from their
//! first register number or act to their commit, which gives journal
//! positions in commit order (`PgTx::lock_journal`). Reads never wait.

use crate::migrate::{self, LEDGER};
use crate::pool::{Pool, Pooled};
use crate::{
    Backend, ChainHead, ChainReport, CountDelta, CountSum, ENTITY_KINDS, ListQuery, ListSort, Page, QueueCount,
    QueuePage, QueueQuery, Record, Result, SORTED_SEARCH_CAP, Store, StoreError, SumQuery, Tx, enum_text, kind_of,
};
use batch::Batches;
use chrono::NaiveDate;
use crimeboard_domain::audit::{AuditEntry, AuditEvent};
use crimeboard_domain::identifier::{IdentifierChanges, IdentifierKey, IdentifierKind, IdentifierRow};
use crimeboard_domain::journal::{ChainWalker, GENESIS, JournalEntry};
use crimeboard_domain::records::IndexRow;
use crimeboard_domain::series::Linking;
use crimeboard_domain::units::Unit;
use crimeboard_domain::{EntityKind, Envelope};
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, SimpleQueryMessage, Statement};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// A connection with its prepared statements, so each SQL text is parsed once.
pub(crate) struct PgConn {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl PgConn {
    fn prepared(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn query(&mut self, sql: &str, args: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        let s = self.prepared(sql)?;
        Ok(self.client.query(&s, args)?)
    }

    fn query_opt(&mut self, sql: &str, args: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>> {
        let s = self.prepared(sql)?;
        Ok(self.client.query_opt(&s, args)?)
    }

    fn execute(&mut self, sql: &str, args: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let s = self.prepared(sql)?;
        Ok(self.client.execute(&s, args)?)
    }
}

mod accounts;
mod batch;

pub struct PgStore {
    pool: Pool<PgConn>,
    migrations_applied: Vec<&'static str>,
}

impl PgStore {
    pub fn open(url: &str) -> Result<PgStore> {
        let url = url.to_string();
        let pool =
            Pool::new(16, move || Ok(PgConn { client: Client::connect(&url, NoTls)?, statements: HashMap::new() }));
        let mut store = PgStore { pool, migrations_applied: Vec::new() };
        store.migrations_applied = store.migrate()?;
        Ok(store)
    }

    /// Applies the migrations the database lacks; returns their names.
    fn migrate(&self) -> Result<Vec<&'static str>> {
        let mut conn = self.pool.get()?;
        let c = &mut conn.client;
        // One migrator at a time, even with several servers starting together.
        c.batch_execute("SELECT pg_advisory_lock(7357001)")?;
        let result = (|| -> Result<Vec<&'static str>> {
            c.batch_execute(LEDGER)?;
            let mut applied = Vec::new();
            for m in migrate::POSTGRES {
                let done: bool =
                    c.query_one("SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)", &[&m.name])?.get(0);
                if done {
                    continue;
                }
                let mut tx = c.transaction()?;
                tx.batch_execute(m.sql)
                    .map_err(|e| StoreError::Migration { name: m.name.into(), message: e.to_string() })?;
                tx.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, now()::text)", &[&m.name])?;
                tx.commit()?;
                applied.push(m.name);
            }
            Ok(applied)
        })();
        c.batch_execute("SELECT pg_advisory_unlock(7357001)")?;
        result
    }

    /// Runs raw SQL; for tests that tamper with data.
    #[cfg(feature = "test-support")]
    pub fn execute_raw(&self, sql: &str) -> Result<u64> {
        Ok(self.pool.get()?.client.execute(sql, &[])?)
    }
}

const ENTRY_COLUMNS: &str =
    "unit, seq, position, act_id, kind, recorded_at, actor, legal_ground, payload, prev_hash, hash";

/// A read-only transaction that sees one snapshot throughout, for reads
/// whose parts must agree (a page and its counts, sums and their position).
pub(crate) fn snapshot(client: &mut postgres::Client) -> Result<postgres::Transaction<'_>> {
    Ok(client.build_transaction().isolation_level(postgres::IsolationLevel::RepeatableRead).read_only(true).start()?)
}

fn entry_of(r: &Row) -> Result<JournalEntry> {
    Ok(JournalEntry {
        unit: r.try_get(0)?,
        seq: r.try_get(1)?,
        position: r.try_get(2)?,
        act_id: r.try_get(3)?,
        kind: r.try_get(4)?,
        recorded_at: r.try_get(5)?,
        actor: r.try_get(6)?,
        legal_ground: r.try_get(7)?,
        payload: r.try_get(8)?,
        prev_hash: r.try_get(9)?,
        hash: r.try_get(10)?,
    })
}

const RECORD_COLUMNS: &str = "kind, id, unit, number, status, day, parent, state::text";

fn record_of(r: &Row) -> Result<Record> {
    Ok(Record {
        kind: kind_of(r.try_get(0)?)?,
        id: r.try_get(1)?,
        unit: r.try_get(2)?,
        number: r.try_get(3)?,
        status: r.try_get(4)?,
        day: r.try_get(5)?,
        parent: r.try_get(6)?,
        state: r.try_get(7)?,
    })
}

fn prefixed(cols: &str, prefix: &str) -> String {
    cols.split(", ").map(|c| format!("{prefix}.{c}")).collect::<Vec<_>>().join(", ")
}

impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn migrations_applied(&self) -> &[&'static str] {
        &self.migrations_applied
    }

    fn accounts(&self) -> &dyn crate::accounts::Accounts {
        self
    }

    fn begin(&self) -> Result<Box<dyn Tx + '_>> {
        let mut conn = self.pool.get()?;
        conn.client.batch_execute("BEGIN")?;
        Ok(Box::new(PgTx {
            conn: Some(conn),
            position: None,
            heads: HashMap::new(),
            numbers: HashMap::new(),
            counts: HashMap::new(),
            pending: Pending::default(),
            audit_head: None,
            audit: Vec::new(),
        }))
    }

    fn units(&self) -> Result<Vec<Unit>> {
        let rows = self.pool.get()?.query(
            "WITH RECURSIVE tree(code, depth) AS (SELECT code, 0 FROM units WHERE parent IS NULL
               UNION ALL SELECT u.code, t.depth + 1 FROM units u JOIN tree t ON u.parent = t.code)
             SELECT u.code, u.parent, u.kind, u.agency, u.name_az, u.name_ru, u.name_en
             FROM units u JOIN tree t USING (code) ORDER BY t.depth, u.code",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                let col = |i| r.try_get::<_, Option<String>>(i);
                crate::finish_unit([col(0)?, col(1)?, col(2)?, col(3)?, col(4)?, col(5)?, col(6)?])
            })
            .collect()
    }

    fn unit_changes(&self) -> Result<Vec<String>> {
        let rows = self.pool.get()?.query("SELECT command FROM unit_changes ORDER BY position", &[])?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn get(&self, id: Uuid) -> Result<Option<Record>> {
        let row = self.pool.get()?.query_opt(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = $1"), &[&id])?;
        row.as_ref().map(record_of).transpose()
    }

    fn list(&self, q: &ListQuery) -> Result<Page> {
        let searched = !q.words.is_empty();
        // Words and a sort the index cannot give: the newest matches, capped, are sorted.
        let capped = q.sort.filter(|s| searched && !s.by_day());
        let mut sql =
            format!("SELECT {} FROM records WHERE 1 = 1", if capped.is_some() { "id" } else { RECORD_COLUMNS });
        let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let mut arg = |sql: &mut String, clause: &str, v: Box<dyn ToSql + Sync>| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("${}", args.len())));
        };
        if let Some(k) = q.kind {
            arg(&mut sql, " AND kind = ?", Box::new(k.as_str().to_string()));
        }
        if let Some(units) = &q.units {
            arg(&mut sql, " AND unit = ANY(?)", Box::new(units.clone()));
        }
        if let Some(d) = q.day_from {
            arg(&mut sql, " AND day >= ?", Box::new(d));
        }
        if let Some(d) = q.day_to {
            arg(&mut sql, " AND day <= ?", Box::new(d));
        }
        if let Some(s) = &q.status {
            arg(&mut sql, " AND status = ?", Box::new(s.clone()));
        }
        if let Some(p) = q.parent {
            arg(&mut sql, " AND parent = ?", Box::new(p));
        }
        if let Some(n) = &q.number {
            arg(&mut sql, " AND number = ?", Box::new(n.clone()));
        }
        if searched {
            arg(&mut sql, " AND search @@ to_tsquery('simple', ?)", Box::new(tsquery(q.kind, &q.words)));
        }
        match (searched, q.sort) {
            (false, sort) => {
                sql.push_str(" ORDER BY ");
                sql.push_str(sort.unwrap_or_default().order_by());
            }
            // With search words the newest records come first, as on SQLite
            // (ids are time-ordered UUIDv7): recording order stands for the day.
            (true, None | Some(ListSort::Newest)) => sql.push_str(" ORDER BY id DESC"),
            (true, Some(ListSort::Oldest)) => sql.push_str(" ORDER BY id"),
            (true, Some(sort)) => {
                // No index orders matches by number, unit or deadline: sort
                // the newest SORTED_SEARCH_CAP of them (see its note).
                sql.push_str(" ORDER BY id DESC");
                arg(&mut sql, " LIMIT ?", Box::new(SORTED_SEARCH_CAP as i64));
                sql = format!("SELECT {RECORD_COLUMNS} FROM records WHERE id IN ({sql}) ORDER BY {}", sort.order_by());
            }
        }
        arg(&mut sql, " LIMIT ?", Box::new(i64::try_from(q.limit + 1).unwrap_or(i64::MAX)));
        arg(&mut sql, " OFFSET ?", Box::new(i64::try_from(q.offset).unwrap_or(i64::MAX)));
        let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
        let rows = self.pool.get()?.client.query(&sql, &refs)?;
        let mut items = rows.iter().map(record_of).collect::<Result<Vec<_>>>()?;
        let has_more = items.len() as u64 > q.limit;
        items.truncate(usize::try_from(q.limit).unwrap_or(usize::MAX));
        Ok(Page { items, has_more })
    }

    fn journal(&self, unit: Option<&str>, after_position: i64, limit: u64) -> Result<Vec<JournalEntry>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.pool.get()?.query(
            &format!(
                "SELECT {ENTRY_COLUMNS} FROM journal WHERE position > $1 AND ($2::text IS NULL OR unit = $2) ORDER BY position LIMIT $3"
            ),
            &[&after_position, &unit, &limit],
        )?;
        rows.iter().map(entry_of).collect()
    }

    fn history(&self, entity: Uuid) -> Result<Vec<(JournalEntry, bool)>> {
        let rows = self.pool.get()?.query(
            &format!(
                "SELECT {}, EXISTS (SELECT 1 FROM annulments a WHERE a.position = j.position)
                 FROM act_subjects s JOIN journal j ON j.position = s.position
                 WHERE s.entity_id = $1 ORDER BY j.position",
                prefixed(ENTRY_COLUMNS, "j")
            ),
            &[&entity],
        )?;
        rows.iter().map(|r| Ok((entry_of(r)?, r.try_get(11)?))).collect()
    }

    fn position(&self) -> Result<i64> {
        let row = self.pool.get()?.query_opt("SELECT COALESCE(MAX(position), 0)::bigint FROM journal", &[])?;
        Ok(row.map(|r| r.get(0)).unwrap_or(0))
    }

    fn chain_heads(&self) -> Result<Vec<ChainHead>> {
        let rows =
            self.pool.get()?.query("SELECT unit, seq, hash FROM chain_heads WHERE seq > 0 ORDER BY unit", &[])?;
        Ok(rows.iter().map(|r| ChainHead { unit: r.get(0), seq: r.get(1), hash: r.get(2) }).collect())
    }

    fn verify_chain(&self, head: &ChainHead) -> Result<ChainReport> {
        let mut conn = self.pool.get()?;
        let stmt = conn.prepared(&format!("SELECT {ENTRY_COLUMNS} FROM journal WHERE unit = $1 ORDER BY seq"))?;
        let mut walker = ChainWalker::new(&head.unit);
        let args: [&(dyn ToSql + Sync); 1] = [&head.unit];
        let mut rows = conn.client.query_raw(&stmt, args.iter().copied())?;
        use postgres::fallible_iterator::FallibleIterator;
        while let Some(row) = rows.next()? {
            if let Err(brk) = walker.feed(&entry_of(&row)?) {
                return Ok(ChainReport { unit: head.unit.clone(), result: Err(brk) });
            }
        }
        Ok(ChainReport { unit: head.unit.clone(), result: walker.finish(head.seq, &head.hash) })
    }

    fn sum_counts(&self, queries: &[SumQuery]) -> Result<(Vec<Vec<CountSum>>, i64)> {
        let mut conn = self.pool.get()?;
        // One snapshot for the sums and the position they reflect.
        let mut tx = snapshot(&mut conn.client)?;
        let mut all = Vec::with_capacity(queries.len());
        for q in queries {
            let (sql, args) = sum_query(q);
            let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
            let rows = tx.query(&sql, &refs)?;
            all.push(rows.iter().map(|r| CountSum { unit: r.get(0), indicator: r.get(1), value: r.get(2) }).collect());
        }
        let position: i64 = tx.query_one("SELECT COALESCE(MAX(position), 0)::bigint FROM journal", &[])?.get(0);
        tx.commit()?;
        Ok((all, position))
    }

    fn unit_counts(&self, unit: &str) -> Result<Vec<(String, NaiveDate, i64)>> {
        let rows = self
            .pool
            .get()?
            .query("SELECT indicator, day, value FROM counters_day WHERE unit = $1 AND value <> 0", &[&unit])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    fn counted_days(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let row = self.pool.get()?.query_opt(crate::COUNTED_DAYS, &[])?;
        let days = row.map(|r| (r.get::<_, Option<NaiveDate>>(0), r.get::<_, Option<NaiveDate>>(1)));
        Ok(days.and_then(|(first, last)| first.zip(last)))
    }

    fn each_record(&self, unit: &str, f: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
        let mut conn = self.pool.get()?;
        let stmt =
            conn.prepared(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE kind IN {ENTITY_KINDS} AND unit = $1"))?;
        let args: [&(dyn ToSql + Sync); 1] = [&unit];
        let mut rows = conn.client.query_raw(&stmt, args.iter().copied())?;
        use postgres::fallible_iterator::FallibleIterator;
        while let Some(row) = rows.next()? {
            f(record_of(&row)?)?;
        }
        Ok(())
    }

    fn records_after(&self, after: Option<Uuid>, limit: u64) -> Result<Vec<Record>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.pool.get()?.query(
            &format!(
                "SELECT {RECORD_COLUMNS} FROM records WHERE ($1::uuid IS NULL OR id > $1) AND kind IN {ENTITY_KINDS}
                 ORDER BY id LIMIT $2"
            ),
            &[&after, &limit],
        )?;
        rows.iter().map(record_of).collect()
    }

    fn each_entry_until(&self, position: i64, f: &mut dyn FnMut(JournalEntry, bool) -> Result<()>) -> Result<()> {
        let mut conn = self.pool.get()?;
        let stmt = conn.prepared(&format!(
            "SELECT {}, EXISTS (SELECT 1 FROM annulments a WHERE a.position = j.position AND a.by_position <= $1)
             FROM journal j WHERE j.position <= $1 ORDER BY j.position",
            prefixed(ENTRY_COLUMNS, "j")
        ))?;
        let args: [&(dyn ToSql + Sync); 1] = [&position];
        let mut rows = conn.client.query_raw(&stmt, args.iter().copied())?;
        use postgres::fallible_iterator::FallibleIterator;
        while let Some(row) = rows.next()? {
            let annulled: bool = row.try_get(11)?;
            f(entry_of(&row)?, annulled)?;
        }
        Ok(())
    }

    fn search_keys_version(&self) -> Result<i64> {
        Ok(self.pool.get()?.query_opt("SELECT version FROM search_index", &[])?.map(|r| r.get(0)).unwrap_or(0))
    }

    fn last_adoption(&self) -> Result<Option<JournalEntry>> {
        let row = self.pool.get()?.query_opt(
            &format!(
                "SELECT {ENTRY_COLUMNS} FROM journal WHERE kind = 'adopt_jurisdiction' ORDER BY position DESC LIMIT 1"
            ),
            &[],
        )?;
        row.as_ref().map(entry_of).transpose()
    }

    fn heads(&self) -> Result<crate::Heads> {
        let sql = format!(
            "SELECT COALESCE((SELECT MAX(position) FROM journal), 0)::bigint, ({})::bigint",
            crate::LAST_ADOPTION_POSITION
        );
        let row = self.pool.get()?.query_opt(&sql, &[])?;
        Ok(row.map_or(crate::Heads { position: 0, last_adoption: None }, |r| crate::Heads {
            position: r.get(0),
            last_adoption: r.get(1),
        }))
    }

    fn imported(&self, system: &str, ids: &[String]) -> Result<Vec<(String, Uuid)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.pool.get()?.query(
            "SELECT source_id, entity_id FROM sources WHERE system = $1 AND source_id = ANY($2)",
            &[&system, &ids],
        )?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn identifiers(&self, kind: IdentifierKind, key: &str, limit: u64) -> Result<Vec<IdentifierRow>> {
        let sql = "SELECT kind, key, subject_kind, subject_id::text, record_id::text, unit, number, display
             FROM identifiers WHERE kind = $1 AND key = $2 ORDER BY unit, number, subject_id LIMIT $3";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.pool.get()?.query(sql, &[&kind.code(), &key, &limit])?;
        rows.iter()
            .map(|r| {
                let col = |i| r.try_get::<_, String>(i);
                crate::identifier_row([col(0)?, col(1)?, col(2)?, col(3)?, col(4)?, col(5)?, col(6)?, col(7)?])
            })
            .collect()
    }

    fn identifiers_of(&self, record: Uuid) -> Result<Vec<IdentifierRow>> {
        let sql = "SELECT kind, key, subject_kind, subject_id::text, record_id::text, unit, number, display
             FROM identifiers WHERE record_id = $1 ORDER BY kind, key, subject_id";
        let rows = self.pool.get()?.query(sql, &[&record])?;
        rows.iter()
            .map(|r| {
                let col = |i| r.try_get::<_, String>(i);
                crate::identifier_row([col(0)?, col(1)?, col(2)?, col(3)?, col(4)?, col(5)?, col(6)?, col(7)?])
            })
            .collect()
    }

    fn series_members(&self, series: Uuid) -> Result<Vec<crate::SeriesRow>> {
        let rows = self.pool.get()?.query(
            "SELECT series_id, record_id, unit FROM series WHERE series_id = $1 ORDER BY record_id",
            &[&series],
        )?;
        Ok(rows.iter().map(series_row).collect())
    }

    fn series_of(&self, record: Uuid) -> Result<Option<Uuid>> {
        let rows = self.pool.get()?.query("SELECT series_id FROM series WHERE record_id = $1", &[&record])?;
        Ok(rows.first().map(|row| row.get(0)))
    }

    fn series_rows(&self) -> Result<Vec<crate::SeriesRow>> {
        let rows = self
            .pool
            .get()?
            .query("SELECT series_id, record_id, unit FROM series ORDER BY series_id, record_id", &[])?;
        Ok(rows.iter().map(series_row).collect())
    }

    fn series_alerts(&self, unit: &str) -> Result<Vec<Uuid>> {
        let rows = self
            .pool
            .get()?
            .query("SELECT series_id FROM series_alerts WHERE unit = $1 ORDER BY series_id", &[&unit])?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn linkings(&self) -> Result<Vec<(IdentifierKey, Linking)>> {
        let rows = self.pool.get()?.query("SELECT kind, key, linking FROM linking ORDER BY kind, key", &[])?;
        rows.iter().map(|r| Ok((crate::identifier_key(r.get(0), r.get(1))?, crate::linking_of(r.get(2))?))).collect()
    }

    fn holdings(&self) -> Result<Vec<crate::Holding>> {
        let rows = self.pool.get()?.query(crate::HOLDINGS, &[])?;
        rows.iter()
            .map(|r| {
                Ok(crate::Holding { record: r.get(0), unit: r.get(1), key: crate::identifier_key(r.get(2), r.get(3))? })
            })
            .collect()
    }

    fn queue(&self, q: &QueueQuery) -> Result<QueuePage> {
        let mut conn = self.pool.get()?;
        // One snapshot for the page and the counts.
        let mut tx = snapshot(&mut conn.client)?;
        let limit = i64::try_from(q.limit + 1).unwrap_or(i64::MAX);
        let offset = i64::try_from(q.offset).unwrap_or(i64::MAX);
        let units = if q.units.is_some() { "unit = ANY($1)" } else { "$1::text[] IS NULL" };
        let rows = tx.query(
            &format!(
                // The page's ids come from the (unit, deadline, id) index alone,
                // so the rows skipped by the offset are never read.
                "SELECT {RECORD_COLUMNS} FROM records WHERE id IN (
                   SELECT id FROM records WHERE kind = $4 AND deadline IS NOT NULL AND {units}
                   ORDER BY deadline, id LIMIT $2 OFFSET $3)
                 ORDER BY deadline, id"
            ),
            &[&q.units, &limit, &offset, &q.kind.as_str()],
        )?;
        let mut items = rows.iter().map(record_of).collect::<Result<Vec<_>>>()?;
        let has_more = items.len() as u64 > q.limit;
        items.truncate(usize::try_from(q.limit).unwrap_or(usize::MAX));
        let counts = tx.query(
            &format!(
                "SELECT unit, COUNT(*), COUNT(*) FILTER (WHERE deadline <= $2),
                        COUNT(*) FILTER (WHERE deadline > $2 AND deadline <= $3)
                 FROM records WHERE kind = $4 AND deadline IS NOT NULL AND {units} GROUP BY unit ORDER BY unit"
            ),
            &[&q.units, &q.now, &q.due_by, &q.kind.as_str()],
        )?;
        let counts = counts
            .iter()
            .map(|r| QueueCount { unit: r.get(0), waiting: r.get(1), overdue: r.get(2), due_today: r.get(3) })
            .collect();
        tx.commit()?;
        Ok(QueuePage { items, has_more, counts })
    }
}

/// The counter cells of a span, not summed: the caller adds them up.
fn sum_query(q: &SumQuery) -> (String, Vec<Box<dyn ToSql + Sync>>) {
    let mut parts = vec!["SELECT unit, indicator, value FROM counters_month WHERE month = ANY($1)".to_string()];
    let mut args: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(q.months.clone())];
    for (from, to) in &q.days {
        args.push(Box::new(*from));
        args.push(Box::new(*to));
        parts.push(format!(
            "SELECT unit, indicator, value FROM counters_day WHERE day BETWEEN ${} AND ${}",
            args.len() - 1,
            args.len()
        ));
    }
    (parts.join(" UNION ALL "), args)
}

/// The advisory lock every writer holds from its first register number or
/// act to its commit (`PgTx::lock_journal`).
const JOURNAL_LOCK: i64 = 7_357_002;

/// A write transaction. Its writes wait in memory (`Pending`, plus the chain
/// heads, register numbers and counters) and go to the server as one
/// statement of multi-row inserts and updates at the commit, or earlier when
/// a read in the transaction could see them: each statement is a round trip,
/// and one per row made an act cost about ten of them.
struct PgTx<'a> {
    conn: Option<Pooled<'a, PgConn>>,
    /// The last journal position given, once the journal lock is held.
    position: Option<i64>,
    /// Each unit's chain head as this transaction leaves it.
    heads: HashMap<String, (i64, String)>,
    /// Register numbers by unit, kind and year: the last one the database
    /// gave and the last one given.
    numbers: HashMap<(String, &'static str, i32), (i64, i64)>,
    counts: crate::PendingCounts,
    pending: Pending,
    /// The audit trail's head, once locked, as this transaction leaves it.
    audit_head: Option<(i64, String)>,
    /// Audit records appended in this transaction, written at the commit.
    audit: Vec<AuditEntry>,
}

/// Rows written in the transaction and not yet sent. Records are keyed by
/// id and kept disjoint (an update of a pending insert rewrites the insert, a
/// delete cancels both), so one statement can send them all.
#[derive(Default)]
struct Pending {
    journal: Vec<JournalEntry>,
    subjects: Vec<(Uuid, i64)>,
    /// Index rows with their search keys in `text`.
    inserts: BTreeMap<Uuid, IndexRow>,
    updates: BTreeMap<Uuid, IndexRow>,
    deletes: BTreeSet<Uuid>,
    sources: Vec<(String, String, Uuid, i64)>,
    source_keys: HashSet<(String, String)>,
}

impl Pending {
    fn touches_record(&self, id: &Uuid) -> bool {
        self.inserts.contains_key(id) || self.updates.contains_key(id) || self.deletes.contains(id)
    }
}

impl Drop for PgTx<'_> {
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take()
            && conn.client.batch_execute("ROLLBACK").is_err()
        {
            conn.discard();
        }
    }
}

impl PgTx<'_> {
    fn c(&mut self) -> &mut PgConn {
        self.conn.as_mut().expect("transaction open until commit or drop")
    }

    /// Takes the journal lock, once, and returns the last position given.
    ///
    /// Positions are given here rather than by the column's identity, so an
    /// act's position is known when it is appended and its row can wait for
    /// the commit. One lock for all writers, held to the commit, with the
    /// last position read after it is granted, gives positions in commit
    /// order with no gaps (a rolled-back transaction gives its positions back):
    /// a report stamped with the last position sees every act at or before
    /// it, and an act always follows the acts whose results it read. Writers
    /// queue here from their first register number, act or row, not per
    /// unit: the chain heads, numbers, records and counters they then lock
    /// are never contended, so writers cannot deadlock over them. The audit
    /// trail's head is taken after this lock, never before.
    fn lock_journal(&mut self) -> Result<i64> {
        if let Some(last) = self.position {
            return Ok(last);
        }
        // Two statements in one round trip: the second takes its snapshot
        // once the lock is granted, so it sees every act committed before.
        let messages = self.c().client.simple_query(&format!(
            "SELECT pg_advisory_xact_lock({JOURNAL_LOCK}); SELECT COALESCE(MAX(position), 0) FROM journal"
        ))?;
        let last = messages
            .iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(r) => r.get(0),
                _ => None,
            })
            .next_back()
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(|| StoreError::Corrupt("no last journal position".into()))?;
        self.position = Some(last);
        Ok(last)
    }

    fn next_position(&mut self) -> Result<i64> {
        let next = self.lock_journal()? + 1;
        self.position = Some(next);
        Ok(next)
    }

    /// A unit's chain head, read once under the journal lock: no other
    /// writer moves it before this transaction commits.
    fn head(&mut self, unit: &str) -> Result<(i64, String)> {
        if let Some(h) = self.heads.get(unit) {
            return Ok(h.clone());
        }
        let row = self.c().query_opt("SELECT seq, hash FROM chain_heads WHERE unit = $1", &[&unit])?;
        Ok(row.map(|r| (r.get(0), r.get(1))).unwrap_or_else(|| (0, GENESIS.to_string())))
    }

    /// Sends the pending rows; at the commit also the chain heads, register
    /// numbers, counters and audit records, which nothing reads back within
    /// a transaction. One statement (`Batches::statement`) writes them all.
    fn flush(&mut self, at_commit: bool) -> Result<()> {
        let mut batches = Batches::default();
        let p = std::mem::take(&mut self.pending);
        p.journal.into_iter().for_each(|e| batches.journal.push(e));
        p.subjects.into_iter().for_each(|s| batches.subjects.push(s));
        p.deletes.into_iter().for_each(|id| batches.deletes.push(id));
        p.inserts.into_values().for_each(|r| batches.inserts.push(r));
        p.updates.into_values().for_each(|r| batches.updates.push(r));
        p.sources.into_iter().for_each(|s| batches.sources.push(s));
        if at_commit {
            let (days, months) = self.counter_rows();
            days.into_iter().for_each(|d| batches.days.push(d));
            months.into_iter().for_each(|m| batches.months.push(m));
            std::mem::take(&mut self.heads).into_iter().for_each(|h| batches.heads.push(h));
            // Only the sequences that gave more numbers than the database did.
            let numbers = std::mem::take(&mut self.numbers).into_iter().filter(|(_, (taken, last))| last > taken);
            numbers.for_each(|(sequence, (_, last))| batches.numbers.push((sequence, last)));
            let audit = std::mem::take(&mut self.audit);
            if let Some(last) = audit.last() {
                batches.audit_head.set(last);
            }
            audit.into_iter().for_each(|e| batches.audit.push(e));
        }
        if batches.is_empty() {
            return Ok(());
        }
        let (sql, params) = batches.statement();
        let refused = self.c().query_opt(&sql, &params)?;
        // A source identity imported before this transaction: the statement
        // wrote the rest, and the caller's error rolls it all back.
        match refused {
            Some(row) => Err(StoreError::AlreadyImported { system: row.get(0), id: row.get(1) }),
            None => Ok(()),
        }
    }

    /// The counter changes as daily and monthly rows, zero changes left out.
    #[allow(clippy::type_complexity)]
    fn counter_rows(&mut self) -> (Vec<(NaiveDate, String, String, i64)>, BTreeMap<(String, String, String), i64>) {
        let mut days = Vec::new();
        let mut months: BTreeMap<(String, String, String), i64> = BTreeMap::new();
        for ((unit, indicator, day), delta) in self.counts.drain().filter(|(_, d)| *d != 0) {
            *months.entry((day.format("%Y-%m").to_string(), unit.clone(), indicator.clone())).or_default() += delta;
            days.push((day, unit, indicator, delta));
        }
        months.retain(|_, d| *d != 0);
        (days, months)
    }
}

impl Tx for PgTx<'_> {
    fn load(&mut self, id: Uuid) -> Result<Option<Record>> {
        if self.pending.touches_record(&id) {
            self.flush(false)?;
        }
        let row = self
            .c()
            .query_opt(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = $1 AND kind <> 'person'"), &[&id])?;
        row.as_ref().map(record_of).transpose()
    }

    fn next_number(&mut self, kind: EntityKind, unit: &str, year: i32) -> Result<i64> {
        self.lock_journal()?;
        let key = (unit.to_string(), kind.as_str(), year);
        if let Some((_, last)) = self.numbers.get_mut(&key) {
            *last += 1;
            return Ok(*last);
        }
        // The first number of a sequence is taken in the database, which
        // locks its row to the commit; the rest are counted here.
        let row = self.c().query_opt(
            "INSERT INTO number_sequences (unit, kind, year, last) VALUES ($1, $2, $3, 1)
             ON CONFLICT (unit, kind, year) DO UPDATE SET last = number_sequences.last + 1 RETURNING last",
            &[&unit, &kind.as_str(), &year],
        )?;
        let n = row.map(|r| r.get(0)).unwrap_or(1);
        self.numbers.insert(key, (n, n));
        Ok(n)
    }

    fn append(
        &mut self,
        unit: &str,
        env: &Envelope,
        kind: &str,
        payload: &str,
        subjects: &[Uuid],
    ) -> Result<JournalEntry> {
        self.lock_journal()?;
        let (last_seq, prev_hash) = self.head(unit)?;
        let position = self.next_position()?;
        let seq = last_seq + 1;
        let entry = crate::chained_entry(unit, seq, position, prev_hash, env, kind, payload);
        let mut seen = HashSet::new();
        for s in subjects.iter().filter(|s| seen.insert(**s)) {
            self.pending.subjects.push((*s, position));
        }
        self.pending.journal.push(entry.clone());
        self.heads.insert(unit.to_string(), (seq, entry.hash.clone()));
        Ok(entry)
    }

    fn entry(&mut self, unit: &str, seq: i64) -> Result<Option<JournalEntry>> {
        if self.pending.journal.iter().any(|e| e.unit == unit && e.seq == seq) {
            self.flush(false)?;
        }
        let row = self
            .c()
            .query_opt(&format!("SELECT {ENTRY_COLUMNS} FROM journal WHERE unit = $1 AND seq = $2"), &[&unit, &seq])?;
        row.as_ref().map(entry_of).transpose()
    }

    fn subjects(&mut self, position: i64) -> Result<Vec<Uuid>> {
        if self.pending.subjects.iter().any(|(_, p)| *p == position) {
            self.flush(false)?;
        }
        let rows = self.c().query("SELECT entity_id FROM act_subjects WHERE position = $1", &[&position])?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn acts_in_force(&mut self, entity: Uuid) -> Result<Vec<JournalEntry>> {
        if self.pending.subjects.iter().any(|(e, _)| *e == entity) {
            self.flush(false)?;
        }
        let rows = self.c().query(
            &format!(
                "SELECT {} FROM act_subjects s JOIN journal j ON j.position = s.position
                 WHERE s.entity_id = $1 AND NOT EXISTS (SELECT 1 FROM annulments a WHERE a.position = j.position)
                 ORDER BY j.position",
                prefixed(ENTRY_COLUMNS, "j")
            ),
            &[&entity],
        )?;
        rows.iter().map(entry_of).collect()
    }

    fn is_annulled(&mut self, position: i64) -> Result<bool> {
        // Annulments are written at once (`annul`), never held back.
        let row = self.c().query_opt("SELECT EXISTS (SELECT 1 FROM annulments WHERE position = $1)", &[&position])?;
        Ok(row.map(|r| r.get(0)).unwrap_or(false))
    }

    fn annul(&mut self, position: i64, by_position: i64, reason: &str) -> Result<()> {
        // Rare; the annulling act's journal row must be in first.
        self.flush(false)?;
        self.c().execute(
            "INSERT INTO annulments (position, by_position, reason) VALUES ($1, $2, $3)",
            &[&position, &by_position, &reason],
        )?;
        Ok(())
    }

    fn insert(&mut self, rows: Vec<IndexRow>) -> Result<()> {
        self.lock_journal()?;
        for r in rows {
            if self.pending.deletes.contains(&r.id) || self.pending.inserts.contains_key(&r.id) {
                // A row deleted, or inserted twice, in this transaction: let
                // the database order it (and refuse a second insert).
                self.flush(false)?;
            }
            let keyed = IndexRow { text: crimeboard_domain::search::search_keys(&r.text), ..r };
            self.pending.inserts.insert(keyed.id, keyed);
        }
        Ok(())
    }

    fn update(&mut self, rows: Vec<IndexRow>) -> Result<()> {
        self.lock_journal()?;
        for r in rows {
            let keys = crimeboard_domain::search::search_keys(&r.text);
            if let Some(pending) = self.pending.inserts.get_mut(&r.id) {
                pending.status = r.status;
                pending.text = keys;
                pending.state = r.state;
                pending.deadline = r.deadline;
            } else if !self.pending.deletes.contains(&r.id) {
                // (An update of a row deleted in this transaction changes nothing.)
                self.pending.updates.insert(r.id, IndexRow { text: keys, ..r });
            }
        }
        Ok(())
    }

    fn reindex(&mut self, rows: Vec<IndexRow>) -> Result<()> {
        self.flush(false)?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let keys: Vec<String> = rows.iter().map(|r| crimeboard_domain::search::search_keys(&r.text)).collect();
        self.c().execute(
            "UPDATE records SET text = r.text FROM unnest($1::uuid[], $2::text[]) AS r(id, text) WHERE records.id = r.id",
            &[&ids, &keys],
        )?;
        Ok(())
    }

    fn delete(&mut self, ids: &[Uuid]) -> Result<()> {
        self.lock_journal()?;
        for id in ids {
            self.pending.updates.remove(id);
            // A row inserted in this transaction never reaches the database.
            if self.pending.inserts.remove(id).is_none() {
                self.pending.deletes.insert(*id);
            }
        }
        Ok(())
    }

    fn identifiers(&mut self, changes: IdentifierChanges) -> Result<()> {
        if changes.added.is_empty() && changes.removed.is_empty() {
            return Ok(());
        }
        self.lock_journal()?;
        let text = |rows: &[IdentifierRow], f: fn(&IdentifierRow) -> String| rows.iter().map(f).collect::<Vec<_>>();
        let ids = |rows: &[IdentifierRow], f: fn(&IdentifierRow) -> Uuid| rows.iter().map(f).collect::<Vec<_>>();
        let gone = &changes.removed;
        if !gone.is_empty() {
            self.c().execute(
                "DELETE FROM identifiers i USING unnest($1::text[], $2::text[], $3::uuid[]) AS gone(kind, key, subject_id)
                 WHERE i.kind = gone.kind AND i.key = gone.key AND i.subject_id = gone.subject_id",
                &[&text(gone, |r| r.kind.code().into()), &text(gone, |r| r.key.clone()), &ids(gone, |r| r.subject_id)],
            )?;
        }
        let new = &changes.added;
        if !new.is_empty() {
            self.c().execute(
                "INSERT INTO identifiers (kind, key, subject_kind, subject_id, record_id, unit, number, display)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[])",
                &[
                    &text(new, |r| r.kind.code().into()),
                    &text(new, |r| r.key.clone()),
                    &text(new, |r| r.subject_kind.as_str().into()),
                    &ids(new, |r| r.subject_id),
                    &ids(new, |r| r.record_id),
                    &text(new, |r| r.unit.to_string()),
                    &text(new, |r| r.number.clone()),
                    &text(new, |r| r.display.clone()),
                ],
            )?;
        }
        Ok(())
    }

    fn keys_of(&mut self, record: Uuid) -> Result<Vec<IdentifierKey>> {
        let rows = self
            .c()
            .query("SELECT DISTINCT kind, key FROM identifiers WHERE record_id = $1 ORDER BY kind, key", &[&record])?;
        rows.iter().map(|r| crate::identifier_key(r.get(0), r.get(1))).collect()
    }

    fn holders(&mut self, key: &IdentifierKey, limit: u64) -> Result<Vec<(Uuid, String)>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.c().query(
            "SELECT record_id, min(unit) FROM identifiers WHERE kind = $1 AND key = $2
             GROUP BY record_id ORDER BY record_id LIMIT $3",
            &[&key.kind.code(), &key.value, &limit],
        )?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn series_around(&mut self, records: &[Uuid]) -> Result<Vec<crate::SeriesRow>> {
        let rows = self.c().query(
            "SELECT series_id, record_id, unit FROM series WHERE series_id IN
             (SELECT series_id FROM series WHERE record_id = ANY($1))
             ORDER BY series_id, record_id",
            &[&records],
        )?;
        Ok(rows.iter().map(series_row).collect())
    }

    fn set_series(&mut self, records: &[Uuid], rows: &[crate::SeriesRow]) -> Result<()> {
        if !records.is_empty() {
            self.c().execute("DELETE FROM series WHERE record_id = ANY($1)", &[&records])?;
        }
        if !rows.is_empty() {
            let column = |f: fn(&crate::SeriesRow) -> Uuid| rows.iter().map(f).collect::<Vec<_>>();
            let units: Vec<&str> = rows.iter().map(|r| r.unit.as_str()).collect();
            self.c().execute(
                "INSERT INTO series (record_id, series_id, unit) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])",
                &[&column(|r| r.record), &column(|r| r.series), &units],
            )?;
        }
        Ok(())
    }

    fn raise_alerts(&mut self, alerts: &[(String, Uuid)]) -> Result<()> {
        if alerts.is_empty() {
            return Ok(());
        }
        let units: Vec<&str> = alerts.iter().map(|(u, _)| u.as_str()).collect();
        let series: Vec<Uuid> = alerts.iter().map(|(_, s)| *s).collect();
        self.c().execute(
            "INSERT INTO series_alerts (unit, series_id) SELECT * FROM unnest($1::text[], $2::uuid[])
             ON CONFLICT DO NOTHING",
            &[&units, &series],
        )?;
        Ok(())
    }

    fn linking_of(&mut self, key: &IdentifierKey) -> Result<Option<Linking>> {
        let rows = self
            .c()
            .query("SELECT linking FROM linking WHERE kind = $1 AND key = $2", &[&key.kind.code(), &key.value])?;
        rows.first().map(|r| crate::linking_of(r.get(0))).transpose()
    }

    fn set_linking(&mut self, key: &IdentifierKey, linking: Option<(Linking, i64)>) -> Result<()> {
        self.c().execute("DELETE FROM linking WHERE kind = $1 AND key = $2", &[&key.kind.code(), &key.value])?;
        if let Some((linking, position)) = linking {
            self.c().execute(
                "INSERT INTO linking (kind, key, linking, position) VALUES ($1, $2, $3, $4)",
                &[&key.kind.code(), &key.value, &linking.as_str(), &position],
            )?;
        }
        Ok(())
    }

    fn add_unit(&mut self, u: &Unit) -> Result<()> {
        let parent = u.parent.as_ref().map(|p| p.as_str());
        self.c().execute(
            "INSERT INTO units (code, parent, kind, agency, name_az, name_ru, name_en) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[&u.code.as_str(), &parent, &enum_text(&u.kind), &enum_text(&u.agency), &u.names.az, &u.names.ru, &u.names.en],
        )?;
        Ok(())
    }

    fn add_unit_change(&mut self, position: i64, effective_from: NaiveDate, command: &str) -> Result<()> {
        self.c().execute(
            "INSERT INTO unit_changes (position, effective_from, command) VALUES ($1, $2, $3)",
            &[&position, &effective_from, &command],
        )?;
        Ok(())
    }

    fn set_search_keys_version(&mut self, version: i64) -> Result<()> {
        self.c().execute("UPDATE search_index SET version = $1", &[&version])?;
        Ok(())
    }

    fn add_counts(&mut self, deltas: &[CountDelta]) -> Result<()> {
        crate::merge_counts(&mut self.counts, deltas);
        Ok(())
    }

    fn last_adoption_position(&mut self) -> Result<Option<i64>> {
        // Every writer takes the journal lock before it writes: taken here, no
        // adoption lands before this transaction ends.
        self.lock_journal()?;
        let row = self.c().query_opt(crate::LAST_ADOPTION_POSITION, &[])?;
        Ok(row.map(|r| r.get(0)))
    }

    fn clear_counts(&mut self) -> Result<()> {
        self.counts.clear();
        self.lock_journal()?;
        self.c().client.batch_execute("DELETE FROM counters_day; DELETE FROM counters_month")?;
        Ok(())
    }

    fn add_source(&mut self, system: &str, id: &str, entity: Uuid, position: i64) -> Result<()> {
        let key = (system.to_string(), id.to_string());
        if self.pending.source_keys.contains(&key) {
            return Err(StoreError::AlreadyImported { system: key.0, id: key.1 });
        }
        // One imported before this transaction is found when the rows are
        // sent (`flush`): rare, as the importer leaves out what it finds
        // imported, so not worth a round trip per record.
        self.lock_journal()?;
        self.pending.sources.push((key.0.clone(), key.1.clone(), entity, position));
        self.pending.source_keys.insert(key);
        Ok(())
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        self.flush(true)?;
        self.c().client.batch_execute("COMMIT")?;
        self.conn = None;
        Ok(())
    }

    fn audit_append(&mut self, event: AuditEvent) -> Result<AuditEntry> {
        // The trail's head is locked here and its records written at the
        // commit with the rest. The rows still pending then are locked after
        // it, which cannot close a circle: they are only written under the
        // journal lock, which every other writer of them waits for first.
        let (seq, hash) = match self.audit_head.take() {
            Some(head) => head,
            None => {
                let row = self.c().query_opt("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE", &[])?;
                row.map(|r| (r.get(0), r.get(1))).ok_or_else(|| StoreError::Corrupt("no audit head".into()))?
            }
        };
        let entry = event.chained(seq + 1, &hash);
        self.audit_head = Some((entry.seq, entry.hash.clone()));
        self.audit.push(entry.clone());
        Ok(entry)
    }
}

/// A tsquery: the kind asked for as a whole word (each vector starts with
/// its kind), then every key as the start of a word (a one-letter key, an
/// article's or a flag's as a whole word, as on SQLite). Keys are letters
/// and digits, so they need no quoting.
fn tsquery(kind: Option<EntityKind>, words: &[String]) -> String {
    let kind = kind.map(|k| k.as_str().to_string());
    let whole = |w: &str| w.chars().count() < 2 || crimeboard_domain::search::is_whole_key(w);
    let keys = words.iter().map(|w| if whole(w) { w.clone() } else { format!("{w}:*") });
    kind.into_iter().chain(keys).collect::<Vec<_>>().join(" & ")
}

/// A series row from its columns: series, record, unit.
fn series_row(r: &Row) -> crate::SeriesRow {
    crate::SeriesRow { series: r.get(0), record: r.get(1), unit: r.get(2) }
}
