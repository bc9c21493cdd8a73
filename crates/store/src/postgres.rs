//! The PostgreSQL backend, for scale. Same tables as SQLite, with native
//! types (UUID, TIMESTAMPTZ, DATE, JSONB). Each unit's chain head is locked
//! with `FOR UPDATE`, so concurrent writers to one unit queue up while
//! writers to different units run side by side.

use crate::migrate::{self, LEDGER};
use crate::pool::{Pool, Pooled};
use crate::{
    Backend, ChainHead, ChainReport, CountDelta, CountSum, ENTITY_KINDS, ListQuery, ListSort, Page, QueueCount,
    QueuePage, QueueQuery, Record, Result, SORTED_SEARCH_CAP, Store, StoreError, SumQuery, Tx, enum_text, kind_of,
};
use chrono::NaiveDate;
use crimeboard_domain::journal::{self, ChainWalker, GENESIS, JournalEntry};
use crimeboard_domain::records::IndexRow;
use crimeboard_domain::units::Unit;
use crimeboard_domain::{EntityKind, Envelope};
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};
use std::collections::HashMap;
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

#[path = "accounts_postgres.rs"]
mod accounts;

pub struct PgStore {
    pool: Pool<PgConn>,
}

impl PgStore {
    pub fn open(url: &str) -> Result<PgStore> {
        let url = url.to_string();
        let pool =
            Pool::new(16, move || Ok(PgConn { client: Client::connect(&url, NoTls)?, statements: HashMap::new() }));
        let store = PgStore { pool };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&self) -> Result<()> {
        let mut conn = self.pool.get()?;
        let c = &mut conn.client;
        // One migrator at a time, even with several servers starting together.
        c.batch_execute("SELECT pg_advisory_lock(7357001)")?;
        let result = (|| -> Result<()> {
            c.batch_execute(LEDGER)?;
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
            }
            Ok(())
        })();
        c.batch_execute("SELECT pg_advisory_unlock(7357001)")?;
        result
    }

    /// Runs raw SQL; for tests that tamper with data.
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

    fn accounts(&self) -> &dyn crate::accounts::Accounts {
        self
    }

    fn begin(&self) -> Result<Box<dyn Tx + '_>> {
        let mut conn = self.pool.get()?;
        conn.client.batch_execute("BEGIN")?;
        Ok(Box::new(PgTx { conn: Some(conn), heads: HashMap::new(), counts: HashMap::new() }))
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
                   SELECT id FROM records WHERE deadline IS NOT NULL AND {units}
                   ORDER BY deadline, id LIMIT $2 OFFSET $3)
                 ORDER BY deadline, id"
            ),
            &[&q.units, &limit, &offset],
        )?;
        let mut items = rows.iter().map(record_of).collect::<Result<Vec<_>>>()?;
        let has_more = items.len() as u64 > q.limit;
        items.truncate(usize::try_from(q.limit).unwrap_or(usize::MAX));
        let counts = tx.query(
            &format!(
                "SELECT unit, COUNT(*), COUNT(*) FILTER (WHERE deadline <= $2),
                        COUNT(*) FILTER (WHERE deadline > $2 AND deadline <= $3)
                 FROM records WHERE deadline IS NOT NULL AND {units} GROUP BY unit ORDER BY unit"
            ),
            &[&q.units, &q.now, &q.due_by],
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

struct PgTx<'a> {
    conn: Option<Pooled<'a, PgConn>>,
    heads: HashMap<String, (i64, String)>,
    counts: HashMap<(String, String, NaiveDate), i64>,
}

impl Drop for PgTx<'_> {
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            if conn.client.batch_execute("ROLLBACK").is_err() {
                conn.discard();
            }
        }
    }
}

impl PgTx<'_> {
    fn c(&mut self) -> &mut PgConn {
        self.conn.as_mut().expect("transaction open until commit or drop")
    }

    fn head(&mut self, unit: &str) -> Result<(i64, String)> {
        if let Some(h) = self.heads.get(unit) {
            return Ok(h.clone());
        }
        let c = self.c();
        c.execute(
            "INSERT INTO chain_heads (unit, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (unit) DO NOTHING",
            &[&unit, &GENESIS],
        )?;
        let row = c
            .query_opt("SELECT seq, hash FROM chain_heads WHERE unit = $1 FOR UPDATE", &[&unit])?
            .ok_or_else(|| StoreError::Corrupt(format!("chain head of {unit} vanished")))?;
        let head = (row.get(0), row.get(1));
        self.heads.insert(unit.to_string(), head.clone());
        Ok(head)
    }
}

impl PgTx<'_> {
    fn write_counts(&mut self) -> Result<()> {
        // Sorted, so concurrent writers lock counter rows in one order and never deadlock.
        let mut counts: Vec<_> = self.counts.drain().filter(|(_, d)| *d != 0).collect();
        counts.sort();
        let mut months: std::collections::BTreeMap<(String, String, String), i64> = Default::default();
        let c = self.c();
        for ((unit, indicator, day), delta) in &counts {
            c.execute(
                "INSERT INTO counters_day (day, unit, indicator, value) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (day, unit, indicator) DO UPDATE SET value = counters_day.value + excluded.value",
                &[day, unit, indicator, delta],
            )?;
            *months.entry((day.format("%Y-%m").to_string(), unit.clone(), indicator.clone())).or_default() += delta;
        }
        for ((month, unit, indicator), delta) in &months {
            c.execute(
                "INSERT INTO counters_month (month, unit, indicator, value) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (month, unit, indicator) DO UPDATE SET value = counters_month.value + excluded.value",
                &[month, unit, indicator, delta],
            )?;
        }
        Ok(())
    }
}

impl Tx for PgTx<'_> {
    fn load(&mut self, id: Uuid) -> Result<Option<Record>> {
        let row = self
            .c()
            .query_opt(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = $1 AND kind <> 'person'"), &[&id])?;
        row.as_ref().map(record_of).transpose()
    }

    fn next_number(&mut self, kind: EntityKind, unit: &str, year: i32) -> Result<i64> {
        // Taken in the database at once, so concurrent writers never share a number.
        let row = self.c().query_opt(
            "INSERT INTO number_sequences (unit, kind, year, last) VALUES ($1, $2, $3, 1)
             ON CONFLICT (unit, kind, year) DO UPDATE SET last = number_sequences.last + 1 RETURNING last",
            &[&unit, &kind.as_str(), &year],
        )?;
        Ok(row.map(|r| r.get(0)).unwrap_or(1))
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
        let hash = journal::entry_hash(
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
        let c = self.c();
        let row = c.query_opt(
            "INSERT INTO journal (unit, seq, act_id, kind, recorded_at, actor, legal_ground, payload, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING position",
            &[
                &unit,
                &seq,
                &env.act_id,
                &kind,
                &env.recorded_at,
                &env.actor,
                &env.legal_ground,
                &payload,
                &prev_hash,
                &hash,
            ],
        )?;
        let position: i64 =
            row.map(|r| r.get(0)).ok_or_else(|| StoreError::Corrupt("insert returned no position".into()))?;
        for s in subjects {
            c.execute(
                "INSERT INTO act_subjects (entity_id, position) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[s, &position],
            )?;
        }
        self.heads.insert(unit.to_string(), (seq, hash.clone()));
        Ok(JournalEntry {
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
        })
    }

    fn entry(&mut self, unit: &str, seq: i64) -> Result<Option<JournalEntry>> {
        let row = self
            .c()
            .query_opt(&format!("SELECT {ENTRY_COLUMNS} FROM journal WHERE unit = $1 AND seq = $2"), &[&unit, &seq])?;
        row.as_ref().map(entry_of).transpose()
    }

    fn subjects(&mut self, position: i64) -> Result<Vec<Uuid>> {
        let rows = self.c().query("SELECT entity_id FROM act_subjects WHERE position = $1", &[&position])?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn acts_in_force(&mut self, entity: Uuid) -> Result<Vec<JournalEntry>> {
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
        let row = self.c().query_opt("SELECT EXISTS (SELECT 1 FROM annulments WHERE position = $1)", &[&position])?;
        Ok(row.map(|r| r.get(0)).unwrap_or(false))
    }

    fn annul(&mut self, position: i64, by_position: i64, reason: &str) -> Result<()> {
        self.c().execute(
            "INSERT INTO annulments (position, by_position, reason) VALUES ($1, $2, $3)",
            &[&position, &by_position, &reason],
        )?;
        Ok(())
    }

    fn insert(&mut self, rows: &[IndexRow]) -> Result<()> {
        let c = self.c();
        for r in rows {
            let text = crimeboard_domain::search::search_keys(&r.text);
            c.execute(
                "INSERT INTO records (id, kind, unit, number, status, day, parent, text, state, deadline)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10)",
                &[
                    &r.id,
                    &r.kind.as_str(),
                    &r.unit.as_str(),
                    &r.number,
                    &r.status,
                    &r.day,
                    &r.parent,
                    &text,
                    &r.state,
                    &r.deadline,
                ],
            )?;
        }
        Ok(())
    }

    fn update(&mut self, rows: &[IndexRow]) -> Result<()> {
        let c = self.c();
        for r in rows {
            let text = crimeboard_domain::search::search_keys(&r.text);
            c.execute(
                "UPDATE records SET status = $2, text = $3, state = $4::text::jsonb, deadline = $5 WHERE id = $1",
                &[&r.id, &r.status, &text, &r.state, &r.deadline],
            )?;
        }
        Ok(())
    }

    fn reindex(&mut self, rows: &[IndexRow]) -> Result<()> {
        let c = self.c();
        for r in rows {
            let text = crimeboard_domain::search::search_keys(&r.text);
            c.execute("UPDATE records SET text = $2 WHERE id = $1", &[&r.id, &text])?;
        }
        Ok(())
    }

    fn delete(&mut self, ids: &[Uuid]) -> Result<()> {
        let c = self.c();
        for id in ids {
            c.execute("DELETE FROM records WHERE id = $1", &[id])?;
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

    fn set_search_keys_version(&mut self, version: i64) -> Result<()> {
        self.c().execute("UPDATE search_index SET version = $1", &[&version])?;
        Ok(())
    }

    fn add_counts(&mut self, deltas: &[CountDelta]) -> Result<()> {
        for d in deltas {
            *self.counts.entry((d.unit.clone(), d.indicator.clone(), d.day)).or_default() += d.delta;
        }
        Ok(())
    }

    fn add_source(&mut self, system: &str, id: &str, entity: Uuid, position: i64) -> Result<()> {
        let added = self.c().execute(
            "INSERT INTO sources (system, source_id, entity_id, position) VALUES ($1, $2, $3, $4)
             ON CONFLICT (system, source_id) DO NOTHING",
            &[&system, &id, &entity, &position],
        )?;
        if added == 0 {
            return Err(StoreError::AlreadyImported { system: system.to_string(), id: id.to_string() });
        }
        Ok(())
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        self.write_counts()?;
        let heads: Vec<_> = self.heads.drain().collect();
        let c = self.c();
        for (unit, (seq, hash)) in heads {
            if seq > 0 {
                c.execute("UPDATE chain_heads SET seq = $2, hash = $3 WHERE unit = $1", &[&unit, &seq, &hash])?;
            }
        }
        c.client.batch_execute("COMMIT")?;
        self.conn = None;
        Ok(())
    }

    fn audit_append(
        &mut self,
        event: crimeboard_domain::audit::AuditEvent,
    ) -> Result<crimeboard_domain::audit::AuditEntry> {
        accounts::append_audit(&mut self.c().client, event)
    }
}

/// A tsquery: the kind asked for as a whole word (each vector starts with
/// its kind), then every key as the start of a word (a one-letter key as a
/// whole word). Keys are letters and digits, so they need no quoting.
fn tsquery(kind: Option<EntityKind>, words: &[String]) -> String {
    let kind = kind.map(|k| k.as_str().to_string());
    let keys = words.iter().map(|w| if w.chars().count() < 2 { w.clone() } else { format!("{w}:*") });
    kind.into_iter().chain(keys).collect::<Vec<_>>().join(" & ")
}
