//! The SQLite full-text index's writes, held back to the end of the
//! transaction.
//!
//! FTS5 writes every document it is given into an in-memory table and moves
//! that table to disk as a new segment whenever a statement opens a
//! savepoint, which every statement that may fail part way does. Written by
//! triggers on `records`, the index therefore gained a segment of one or two
//! documents per statement and spent more time merging those segments than
//! everything else a registration does. Held back here and written by one
//! statement just before the commit, a transaction's documents become one
//! segment.

use crate::Result;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};

/// What a transaction changes in `records_search`, keyed by records' rowid.
#[derive(Default)]
pub(crate) struct SearchWrites {
    /// Documents to index: the record's kind, then its search keys.
    documents: BTreeMap<i64, String>,
    /// Rows indexed before this transaction whose document goes.
    unindex: BTreeSet<i64>,
    /// Rows inserted by this transaction (not in the index yet).
    fresh: BTreeSet<i64>,
}

impl SearchWrites {
    /// A record inserted by this transaction.
    pub fn inserted(&mut self, rowid: i64, kind: &str, keys: &str) {
        // A rowid freed by a delete in this transaction may be given again:
        // its old document is still unindexed first.
        self.fresh.insert(rowid);
        self.documents.insert(rowid, document(kind, keys));
    }

    /// A record whose search keys changed.
    pub fn changed(&mut self, rowid: i64, kind: &str, keys: &str) {
        if !self.fresh.contains(&rowid) {
            self.unindex.insert(rowid);
        }
        self.documents.insert(rowid, document(kind, keys));
    }

    /// A record deleted by this transaction.
    pub fn deleted(&mut self, rowid: i64) {
        self.documents.remove(&rowid);
        if !self.fresh.remove(&rowid) {
            self.unindex.insert(rowid);
        }
    }

    /// Writes the held-back changes: removals first, then every new document
    /// in one statement. Called last before the commit, so no later
    /// statement splits the documents into segments again.
    pub fn write(&mut self, conn: &Connection) -> Result<()> {
        let mut unindex = conn.prepare_cached("DELETE FROM records_search WHERE rowid = ?1")?;
        for rowid in &self.unindex {
            unindex.execute([rowid])?;
        }
        if !self.documents.is_empty() {
            let batch: Vec<(i64, &str)> = self.documents.iter().map(|(r, d)| (*r, d.as_str())).collect();
            let json = serde_json::to_string(&batch).map_err(|e| crate::StoreError::Config(e.to_string()))?;
            conn.prepare_cached(
                "INSERT INTO records_search (rowid, text) SELECT value ->> 0, value ->> 1 FROM json_each(?1)",
            )?
            .execute([json])?;
        }
        *self = SearchWrites::default();
        Ok(())
    }
}

/// A record's document: its kind first, so a search within one register
/// narrows inside the index (no search key can equal a kind's name).
fn document(kind: &str, keys: &str) -> String {
    format!("{kind} {keys}")
}
