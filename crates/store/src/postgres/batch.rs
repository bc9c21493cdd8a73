//! What a write transaction sends to PostgreSQL in one statement: one batch
//! type per table, holding one vector per column, and `Batches::statement`,
//! which writes them all with multi-row `unnest` parts.
//!
//! A batch names each of its columns once, in `batch!`: its name in the
//! table, the PostgreSQL type its values are sent as and, when the table
//! stores another, the type they are cast to. The column lists, the
//! `unnest(...)` arrays and the `SET` clauses are generated from that list,
//! and each parameter is numbered as it is bound (`Params`), so the text and
//! its parameters cannot fall out of step. Adding a column is one line in its
//! batch's list and one in its `push`, which takes the batch apart field by
//! field and so fails to compile until the new column is filled.

use crimeboard_domain::audit::AuditEntry;
use crimeboard_domain::journal::JournalEntry;
use crimeboard_domain::records::IndexRow;
use postgres::types::ToSql;

type Param<'a> = &'a (dyn ToSql + Sync);

/// A column as a batch sends it.
pub(super) struct Column {
    name: &'static str,
    /// The type of its values as sent; its vector goes as an array of them.
    sent_as: &'static str,
    /// The type the table stores, when the value sent is cast to it.
    stored_as: Option<&'static str>,
}

impl Column {
    /// Its value in the rows named `alias`, as the table stores it.
    fn value(&self, alias: &str) -> String {
        match self.stored_as {
            Some(stored) => format!("{alias}.{}::{stored}", self.name),
            None => format!("{alias}.{}", self.name),
        }
    }
}

/// A table's rows, one vector per column.
pub(super) trait Batch {
    const COLUMNS: &'static [Column];

    /// The column vectors, in `COLUMNS` order.
    fn vectors(&self) -> Vec<Param<'_>>;

    /// How many rows it holds.
    fn len(&self) -> usize;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `a, b, c`: the column list of an `INSERT`.
    fn names() -> String {
        Self::COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
    }

    /// `r.a, r.b, r.c::jsonb`: the values of the rows named `alias`, as stored.
    fn values(alias: &str) -> String {
        Self::COLUMNS.iter().map(|c| c.value(alias)).collect::<Vec<_>>().join(", ")
    }

    /// `b = r.b, c = r.c::jsonb`: every column but the `keys` set from the rows named `alias`.
    fn assignments(alias: &str, keys: &[&str]) -> String {
        let set = Self::COLUMNS.iter().filter(|c| !keys.contains(&c.name));
        set.map(|c| format!("{} = {}", c.name, c.value(alias))).collect::<Vec<_>>().join(", ")
    }

    /// `t.a = r.a AND t.b = r.b`: the `table`'s row that the row named `alias` is for.
    fn key_match(table: &str, alias: &str, keys: &[&str]) -> String {
        keys.iter().map(|k| format!("{table}.{k} = {alias}.{k}")).collect::<Vec<_>>().join(" AND ")
    }
}

/// Declares a batch: a struct with one vector per column and its `Batch`
/// implementation. `name: RustType => "sent_as"` or `... as "stored_as"`.
macro_rules! batch {
    ($(#[$doc:meta])* $batch:ident {
        $($column:ident: $ty:ty => $sent:literal $(as $stored:literal)?),+ $(,)?
    }) => {
        $(#[$doc])*
        #[derive(Default)]
        pub(super) struct $batch {
            $($column: Vec<$ty>),+
        }

        impl Batch for $batch {
            const COLUMNS: &'static [Column] = &[$(Column {
                name: stringify!($column),
                sent_as: $sent,
                stored_as: batch!(@stored $($stored)?),
            }),+];

            fn vectors(&self) -> Vec<Param<'_>> {
                vec![$(&self.$column),+]
            }

            fn len(&self) -> usize {
                let lengths = [$(self.$column.len()),+];
                let unequal = concat!(stringify!($batch), "'s columns are of unequal length");
                debug_assert!(lengths.iter().all(|n| *n == lengths[0]), "{unequal}");
                lengths[0]
            }
        }
    };
    (@stored) => { None };
    (@stored $stored:literal) => { Some($stored) };
}

batch! {
    /// Journal entries (`journal`), in the order they were appended.
    JournalBatch {
        unit: String => "text",
        seq: i64 => "bigint",
        position: i64 => "bigint",
        act_id: uuid::Uuid => "uuid",
        kind: String => "text",
        recorded_at: chrono::DateTime<chrono::Utc> => "timestamptz",
        actor: String => "text",
        legal_ground: String => "text",
        payload: String => "text",
        prev_hash: String => "text",
        hash: String => "text",
    }
}

impl JournalBatch {
    pub(super) fn push(&mut self, e: JournalEntry) {
        let Self { unit, seq, position, act_id, kind, recorded_at, actor, legal_ground, payload, prev_hash, hash } =
            self;
        unit.push(e.unit);
        seq.push(e.seq);
        position.push(e.position);
        act_id.push(e.act_id);
        kind.push(e.kind);
        recorded_at.push(e.recorded_at);
        actor.push(e.actor);
        legal_ground.push(e.legal_ground);
        payload.push(e.payload);
        prev_hash.push(e.prev_hash);
        hash.push(e.hash);
    }

    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        // Positions are given by the transaction, not by the column's identity.
        format!(
            "INSERT INTO journal ({}) OVERRIDING SYSTEM VALUE SELECT {} FROM {}",
            Self::names(),
            Self::values("r"),
            params.unnest(self, "r")
        )
    }
}

batch! {
    /// The entities each act is about (`act_subjects`).
    SubjectBatch {
        entity_id: uuid::Uuid => "uuid",
        position: i64 => "bigint",
    }
}

impl SubjectBatch {
    pub(super) fn push(&mut self, (entity, act_position): (uuid::Uuid, i64)) {
        let Self { entity_id, position } = self;
        entity_id.push(entity);
        position.push(act_position);
    }

    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        format!(
            "INSERT INTO act_subjects ({}) SELECT {} FROM {} ON CONFLICT DO NOTHING",
            Self::names(),
            Self::values("r"),
            params.unnest(self, "r")
        )
    }
}

batch! {
    /// The records deleted, by id.
    RecordDeleteBatch {
        id: uuid::Uuid => "uuid",
    }
}

impl RecordDeleteBatch {
    pub(super) fn push(&mut self, record: uuid::Uuid) {
        let Self { id } = self;
        id.push(record);
    }

    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        // `= ANY` of the one array, so the primary key finds each row.
        format!("DELETE FROM records WHERE id = ANY({})", params.arrays(self).concat())
    }
}

batch! {
    /// New records, with their search keys in `text`.
    RecordBatch {
        id: uuid::Uuid => "uuid",
        kind: &'static str => "text",
        unit: String => "text",
        number: String => "text",
        status: String => "text",
        day: chrono::NaiveDate => "date",
        parent: Option<uuid::Uuid> => "uuid",
        text: String => "text",
        state: String => "text" as "jsonb",
        deadline: Option<chrono::DateTime<chrono::Utc>> => "timestamptz",
    }
}

impl RecordBatch {
    pub(super) fn push(&mut self, r: IndexRow) {
        let Self { id, kind, unit, number, status, day, parent, text, state, deadline } = self;
        id.push(r.id);
        kind.push(r.kind.as_str());
        unit.push(r.unit.into());
        number.push(r.number);
        status.push(r.status);
        day.push(r.day);
        parent.push(r.parent);
        text.push(r.text);
        state.push(r.state);
        deadline.push(r.deadline);
    }

    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        format!(
            "INSERT INTO records ({}) SELECT {} FROM {}",
            Self::names(),
            Self::values("r"),
            params.unnest(self, "r")
        )
    }
}

batch! {
    /// Changed records: what an act can change of one (its kind, number and
    /// parent stay), with the search keys in `text`.
    RecordUpdateBatch {
        id: uuid::Uuid => "uuid",
        status: String => "text",
        text: String => "text",
        state: String => "text" as "jsonb",
        deadline: Option<chrono::DateTime<chrono::Utc>> => "timestamptz",
        // A task's day is its due date, which an extension moves.
        day: chrono::NaiveDate => "date",
        // An appeal referred to another unit is that unit's from then on.
        unit: String => "text",
    }
}

impl RecordUpdateBatch {
    const KEY: &[&str] = &["id"];

    pub(super) fn push(&mut self, r: IndexRow) {
        let Self { id, status, text, state, deadline, day, unit } = self;
        id.push(r.id);
        unit.push(r.unit.into());
        status.push(r.status);
        text.push(r.text);
        state.push(r.state);
        deadline.push(r.deadline);
        day.push(r.day);
    }

    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        format!(
            "UPDATE records SET {} FROM {} WHERE {}",
            Self::assignments("r", Self::KEY),
            params.unnest(self, "r"),
            Self::key_match("records", "r", Self::KEY)
        )
    }
}

batch! {
    /// Source identities of imported records (`sources`).
    SourceBatch {
        system: String => "text",
        source_id: String => "text",
        entity_id: uuid::Uuid => "uuid",
        position: i64 => "bigint",
    }
}

impl SourceBatch {
    pub(super) fn push(&mut self, (source_system, id, entity, act_position): (String, String, uuid::Uuid, i64)) {
        let Self { system, source_id, entity_id, position } = self;
        system.push(source_system);
        source_id.push(id);
        entity_id.push(entity);
        position.push(act_position);
    }

    /// Two parts: `source_input`, the identities sent, and `source_rows`,
    /// those written; an identity imported before is in the first only.
    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        format!(
            "source_input AS (SELECT * FROM {}),
 source_rows AS (
   INSERT INTO sources ({}) SELECT {} FROM source_input r
   ON CONFLICT (system, source_id) DO NOTHING RETURNING system, source_id)",
            params.unnest(self, "r"),
            Self::names(),
            Self::values("r")
        )
    }
}

batch! {
    /// Changes of the daily counters, added to what they hold.
    DayCountBatch {
        day: chrono::NaiveDate => "date",
        unit: String => "text",
        indicator: String => "text",
        value: i64 => "bigint",
    }
}

impl DayCountBatch {
    pub(super) fn push(
        &mut self,
        (counted_day, counted_unit, counted_indicator, delta): (chrono::NaiveDate, String, String, i64),
    ) {
        let Self { day, unit, indicator, value } = self;
        day.push(counted_day);
        unit.push(counted_unit);
        indicator.push(counted_indicator);
        value.push(delta);
    }

    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        format!(
            "INSERT INTO counters_day ({}) SELECT {} FROM {}
   ON CONFLICT (day, unit, indicator) DO UPDATE SET value = counters_day.value + excluded.value",
            Self::names(),
            Self::values("r"),
            params.unnest(self, "r")
        )
    }
}

batch! {
    /// Changes of the monthly counters (`YYYY-MM`), added to what they hold.
    MonthCountBatch {
        month: String => "text",
        unit: String => "text",
        indicator: String => "text",
        value: i64 => "bigint",
    }
}

impl MonthCountBatch {
    pub(super) fn push(
        &mut self,
        ((counted_month, counted_unit, counted_indicator), delta): ((String, String, String), i64),
    ) {
        let Self { month, unit, indicator, value } = self;
        month.push(counted_month);
        unit.push(counted_unit);
        indicator.push(counted_indicator);
        value.push(delta);
    }

    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        format!(
            "INSERT INTO counters_month ({}) SELECT {} FROM {}
   ON CONFLICT (month, unit, indicator) DO UPDATE SET value = counters_month.value + excluded.value",
            Self::names(),
            Self::values("r"),
            params.unnest(self, "r")
        )
    }
}

batch! {
    /// Each unit's chain head as the transaction leaves it.
    ChainHeadBatch {
        unit: String => "text",
        seq: i64 => "bigint",
        hash: String => "text",
    }
}

impl ChainHeadBatch {
    const KEY: &[&str] = &["unit"];

    pub(super) fn push(&mut self, (head_unit, (head_seq, head_hash)): (String, (i64, String))) {
        let Self { unit, seq, hash } = self;
        unit.push(head_unit);
        seq.push(head_seq);
        hash.push(head_hash);
    }

    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        format!(
            "INSERT INTO chain_heads ({}) SELECT {} FROM {} ON CONFLICT ({}) DO UPDATE SET {}",
            Self::names(),
            Self::values("r"),
            params.unnest(self, "r"),
            Self::KEY.join(", "),
            Self::assignments("excluded", Self::KEY)
        )
    }
}

batch! {
    /// The last register number given, for each sequence that gave more
    /// than the database did (its row exists: the first number took it).
    NumberBatch {
        unit: String => "text",
        kind: &'static str => "text",
        year: i32 => "int",
        last: i64 => "bigint",
    }
}

impl NumberBatch {
    const KEY: &[&str] = &["unit", "kind", "year"];

    pub(super) fn push(
        &mut self,
        ((sequence_unit, sequence_kind, sequence_year), given): ((String, &'static str, i32), i64),
    ) {
        let Self { unit, kind, year, last } = self;
        unit.push(sequence_unit);
        kind.push(sequence_kind);
        year.push(sequence_year);
        last.push(given);
    }

    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        format!(
            "UPDATE number_sequences SET {} FROM {} WHERE {}",
            Self::assignments("n", Self::KEY),
            params.unnest(self, "n"),
            Self::key_match("number_sequences", "n", Self::KEY)
        )
    }
}

batch! {
    /// Audit records appended in the transaction.
    AuditBatch {
        seq: i64 => "bigint",
        at: chrono::DateTime<chrono::Utc> => "timestamptz",
        actor: String => "text",
        address: String => "text",
        action: String => "text",
        target: String => "text",
        detail: String => "text",
        prev_hash: String => "text",
        hash: String => "text",
    }
}

impl AuditBatch {
    pub(super) fn push(&mut self, e: AuditEntry) {
        let Self { seq, at, actor, address, action, target, detail, prev_hash, hash } = self;
        seq.push(e.seq);
        at.push(e.at);
        actor.push(e.actor);
        address.push(e.address);
        action.push(e.action);
        target.push(e.target);
        detail.push(e.detail);
        prev_hash.push(e.prev_hash);
        hash.push(e.hash);
    }

    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        format!("INSERT INTO audit ({}) SELECT {} FROM {}", Self::names(), Self::values("r"), params.unnest(self, "r"))
    }
}

batch! {
    /// The audit trail's head after the transaction's last record: one row
    /// or, when it appended none, none.
    AuditHeadBatch {
        seq: i64 => "bigint",
        hash: String => "text",
    }
}

impl AuditHeadBatch {
    /// Moves the head to `last`, the transaction's last audit record.
    pub(super) fn set(&mut self, last: &AuditEntry) {
        let Self { seq, hash } = self;
        *seq = vec![last.seq];
        *hash = vec![last.hash.clone()];
    }

    fn write<'a>(&'a self, params: &mut Params<'a>) -> String {
        format!(
            "UPDATE audit_head SET {} FROM {} WHERE audit_head.id = 1",
            Self::assignments("h", &[]),
            params.unnest(self, "h")
        )
    }
}

/// The parameters of one statement, numbered as they are bound.
#[derive(Default)]
pub(super) struct Params<'a> {
    bound: Vec<Param<'a>>,
}

impl<'a> Params<'a> {
    /// Binds each column vector of `batch`: `$1::text[]`, `$2::bigint[]`, ...
    fn arrays<B: Batch>(&mut self, batch: &'a B) -> Vec<String> {
        let vectors = batch.vectors();
        B::COLUMNS
            .iter()
            .zip(vectors)
            .map(|(column, vector)| {
                self.bound.push(vector);
                format!("${}::{}[]", self.bound.len(), column.sent_as)
            })
            .collect()
    }

    /// `unnest($1::text[], $2::bigint[]) AS r(unit, seq)`: the rows of `batch`, named `alias`.
    fn unnest<B: Batch>(&mut self, batch: &'a B, alias: &str) -> String {
        format!("unnest({}) AS {alias}({})", self.arrays(batch).join(", "), B::names())
    }
}

/// Everything a transaction sends at once (or at a read that must see it).
#[derive(Default)]
pub(super) struct Batches {
    pub(super) journal: JournalBatch,
    pub(super) subjects: SubjectBatch,
    pub(super) deletes: RecordDeleteBatch,
    pub(super) inserts: RecordBatch,
    pub(super) updates: RecordUpdateBatch,
    pub(super) sources: SourceBatch,
    pub(super) days: DayCountBatch,
    pub(super) months: MonthCountBatch,
    pub(super) heads: ChainHeadBatch,
    pub(super) numbers: NumberBatch,
    pub(super) audit: AuditBatch,
    pub(super) audit_head: AuditHeadBatch,
}

impl Batches {
    pub(super) fn is_empty(&self) -> bool {
        let Self {
            journal,
            subjects,
            deletes,
            inserts,
            updates,
            sources,
            days,
            months,
            heads,
            numbers,
            audit,
            audit_head,
        } = self;
        journal.is_empty()
            && subjects.is_empty()
            && deletes.is_empty()
            && inserts.is_empty()
            && updates.is_empty()
            && sources.is_empty()
            && days.is_empty()
            && months.is_empty()
            && heads.is_empty()
            && numbers.is_empty()
            && audit.is_empty()
            && audit_head.is_empty()
    }

    /// Every batch in one statement, with its parameters: each part reads
    /// its rows from arrays (`unnest`), so the text is the same whatever the
    /// count and is prepared once. The parts touch disjoint rows, as
    /// data-modifying `WITH` parts must (they run on one snapshot, in no set
    /// order); foreign keys are checked at the end of the statement, when the
    /// journal rows are in. The statement returns the first source identity
    /// imported before (the one the insert left out), if any.
    pub(super) fn statement(&self) -> (String, Vec<Param<'_>>) {
        let mut params = Params::default();
        let parts = [
            format!("journal_rows AS ({})", self.journal.write(&mut params)),
            format!("subject_rows AS ({})", self.subjects.write(&mut params)),
            format!("deleted AS ({})", self.deletes.write(&mut params)),
            format!("inserted AS ({})", self.inserts.write(&mut params)),
            format!("updated AS ({})", self.updates.write(&mut params)),
            self.sources.write(&mut params),
            format!("day_counts AS ({})", self.days.write(&mut params)),
            format!("month_counts AS ({})", self.months.write(&mut params)),
            format!("heads AS ({})", self.heads.write(&mut params)),
            format!("numbers AS ({})", self.numbers.write(&mut params)),
            format!("audit_rows AS ({})", self.audit.write(&mut params)),
            format!("audit_tail AS ({})", self.audit_head.write(&mut params)),
        ];
        let sql = format!(
            "WITH\n {}\nSELECT o.system, o.source_id FROM source_input o
WHERE (o.system, o.source_id) NOT IN (SELECT system, source_id FROM source_rows)
LIMIT 1",
            parts.join(",\n ")
        );
        (sql, params.bound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use crimeboard_domain::EntityKind;
    use crimeboard_domain::units::UnitCode;
    use std::collections::BTreeSet;
    use uuid::Uuid;

    fn index_row() -> IndexRow {
        IndexRow {
            kind: EntityKind::Report,
            id: Uuid::now_v7(),
            unit: UnitCode::parse("ABS").unwrap(),
            number: "M-ABS-2024-000001".into(),
            status: "pending".into(),
            day: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
            parent: None,
            text: "memmedov".into(),
            deadline: None,
            state: "{}".into(),
        }
    }

    fn audit_entry() -> AuditEntry {
        AuditEntry {
            seq: 7,
            at: Utc.with_ymd_and_hms(2024, 4, 1, 9, 0, 0).unwrap(),
            actor: "admin".into(),
            address: "cli".into(),
            action: "sign_in".into(),
            target: "admin".into(),
            detail: String::new(),
            prev_hash: "0".repeat(64),
            hash: "1".repeat(64),
        }
    }

    /// One row in every batch.
    fn batches() -> Batches {
        let mut b = Batches::default();
        let at = Utc.with_ymd_and_hms(2024, 4, 1, 9, 0, 0).unwrap();
        b.journal.push(JournalEntry {
            unit: "ABS".into(),
            seq: 1,
            position: 1,
            act_id: Uuid::now_v7(),
            kind: "register_report".into(),
            recorded_at: at,
            actor: "duty".into(),
            legal_ground: "CPC 207".into(),
            payload: "{}".into(),
            prev_hash: "0".repeat(64),
            hash: "1".repeat(64),
        });
        b.subjects.push((Uuid::now_v7(), 1));
        b.deletes.push(Uuid::now_v7());
        b.inserts.push(index_row());
        b.updates.push(index_row());
        b.sources.push(("old".into(), "17".into(), Uuid::now_v7(), 1));
        b.days.push((NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(), "ABS".into(), "reports".into(), 1));
        b.months.push((("2024-04".into(), "ABS".into(), "reports".into()), 1));
        b.heads.push(("ABS".into(), (1, "1".repeat(64))));
        b.numbers.push((("ABS".into(), "report", 2024), 2));
        b.audit.push(audit_entry());
        b.audit_head.set(&audit_entry());
        b
    }

    /// The placeholders in the text are exactly `$1` to `$n` for the `n`
    /// parameters bound, one per column of every batch: a part whose text
    /// and binding went out of step would leave a gap or a stray number.
    #[test]
    fn the_statement_binds_every_column_once_in_the_order_its_text_numbers_them() {
        let b = batches();
        assert!(!b.is_empty());
        let (sql, params) = b.statement();
        let columns = [
            JournalBatch::COLUMNS.len(),
            SubjectBatch::COLUMNS.len(),
            RecordDeleteBatch::COLUMNS.len(),
            RecordBatch::COLUMNS.len(),
            RecordUpdateBatch::COLUMNS.len(),
            SourceBatch::COLUMNS.len(),
            DayCountBatch::COLUMNS.len(),
            MonthCountBatch::COLUMNS.len(),
            ChainHeadBatch::COLUMNS.len(),
            NumberBatch::COLUMNS.len(),
            AuditBatch::COLUMNS.len(),
            AuditHeadBatch::COLUMNS.len(),
        ];
        assert_eq!(params.len(), columns.iter().sum::<usize>());
        let numbers: Vec<usize> = sql
            .split('$')
            .skip(1)
            .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap())
            .collect();
        assert_eq!(numbers, (1..=params.len()).collect::<Vec<_>>(), "{sql}");
    }

    /// A part names each column once, from its batch's list: the insert's
    /// column list, the `unnest` aliases and the values (with the cast to
    /// what the table stores) all follow it.
    #[test]
    fn a_part_is_generated_from_its_batch_columns() {
        let b = batches();
        let mut params = Params::default();
        assert_eq!(
            b.updates.write(&mut params),
            "UPDATE records SET status = r.status, text = r.text, state = r.state::jsonb, deadline = r.deadline, day = r.day, \
             unit = r.unit \
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::date[], $7::text[]) \
             AS r(id, status, text, state, deadline, day, unit) WHERE records.id = r.id"
        );
        assert_eq!(
            b.numbers.write(&mut params),
            "UPDATE number_sequences SET last = n.last \
             FROM unnest($8::text[], $9::text[], $10::int[], $11::bigint[]) AS n(unit, kind, year, last) \
             WHERE number_sequences.unit = n.unit AND number_sequences.kind = n.kind AND number_sequences.year = n.year"
        );
        assert_eq!(
            b.heads.write(&mut params),
            "INSERT INTO chain_heads (unit, seq, hash) SELECT r.unit, r.seq, r.hash \
             FROM unnest($12::text[], $13::bigint[], $14::text[]) AS r(unit, seq, hash) \
             ON CONFLICT (unit) DO UPDATE SET seq = excluded.seq, hash = excluded.hash"
        );
        assert_eq!(b.deletes.write(&mut params), "DELETE FROM records WHERE id = ANY($15::uuid[])");
        assert_eq!(params.bound.len(), 15);
    }

    /// A key names a column of its batch, so the generated `SET` leaves it out
    /// and the match compares it.
    #[test]
    fn keys_are_columns_of_their_batch() {
        fn names<B: Batch>() -> BTreeSet<&'static str> {
            B::COLUMNS.iter().map(|c| c.name).collect()
        }
        for (keys, columns) in [
            (RecordUpdateBatch::KEY, names::<RecordUpdateBatch>()),
            (ChainHeadBatch::KEY, names::<ChainHeadBatch>()),
            (NumberBatch::KEY, names::<NumberBatch>()),
        ] {
            assert!(keys.iter().all(|k| columns.contains(k)), "{keys:?} not all in {columns:?}");
        }
    }

    /// A push fills every column and moves the audit head, rather than adding one.
    #[test]
    fn a_push_fills_every_column() {
        let mut b = batches();
        b.inserts.push(index_row());
        b.audit_head.set(&AuditEntry { seq: 8, ..audit_entry() });
        assert_eq!(b.inserts.len(), 2);
        assert_eq!(b.audit_head.len(), 1);
        assert_eq!(b.audit_head.seq, [8]);
        assert!(Batches::default().is_empty());
    }
}
