//! The SQLite full-text indexes: one FTS5 table per register
//! (`search_<kind>`, migration 0009), how a search is asked of them, and
//! their writes, held back to the end of the transaction.
//!
//! FTS5 writes every document it is given into an in-memory table and moves
//! that table to disk as a new segment whenever a statement opens a
//! savepoint, which every statement that may fail part way does. Written by
//! triggers on `records`, the index therefore gained a segment of one or two
//! documents per statement and spent more time merging those segments than
//! everything else a registration does. Held back here and written by one
//! statement per register just before the commit, a transaction's documents
//! become one segment.

use crate::Result;
use crimeboard_domain::EntityKind;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};

/// The index of a register's records.
pub(crate) fn table(kind: EntityKind) -> String {
    format!("search_{}", kind.as_str())
}

/// What a transaction changes in the indexes, keyed by records' rowid.
#[derive(Default)]
pub(crate) struct SearchWrites {
    /// Documents to index (the record's search keys), with their register.
    documents: BTreeMap<i64, (EntityKind, String)>,
    /// Rows indexed before this transaction whose document goes, with the
    /// register whose index holds it.
    unindex: BTreeMap<i64, EntityKind>,
    /// Rows inserted by this transaction (not in an index yet).
    fresh: BTreeSet<i64>,
}

impl SearchWrites {
    /// A record inserted by this transaction.
    pub fn inserted(&mut self, rowid: i64, kind: EntityKind, keys: &str) {
        // A rowid freed by a delete in this transaction may be given again:
        // its old document is still unindexed first.
        self.fresh.insert(rowid);
        self.documents.insert(rowid, (kind, keys.to_string()));
    }

    /// A record whose search keys changed.
    pub fn changed(&mut self, rowid: i64, kind: EntityKind, keys: &str) {
        if !self.fresh.contains(&rowid) {
            self.unindex.insert(rowid, kind);
        }
        self.documents.insert(rowid, (kind, keys.to_string()));
    }

    /// A record deleted by this transaction.
    pub fn deleted(&mut self, rowid: i64, kind: EntityKind) {
        self.documents.remove(&rowid);
        if !self.fresh.remove(&rowid) {
            self.unindex.insert(rowid, kind);
        }
    }

    /// Writes the held-back changes: removals first, then each register's
    /// new documents in one statement. Called last before the commit, so no
    /// later statement splits the documents into segments again.
    pub fn write(&mut self, conn: &Connection) -> Result<()> {
        for (rowid, kind) in &self.unindex {
            conn.prepare_cached(&format!("DELETE FROM {} WHERE rowid = ?1", table(*kind)))?.execute([rowid])?;
        }
        for kind in EntityKind::ALL {
            let batch: Vec<(i64, &str)> =
                self.documents.iter().filter(|(_, (k, _))| *k == kind).map(|(r, (_, d))| (*r, d.as_str())).collect();
            if batch.is_empty() {
                continue;
            }
            let json = serde_json::to_string(&batch).map_err(|e| crate::StoreError::Config(e.to_string()))?;
            conn.prepare_cached(&format!(
                "INSERT INTO {} (rowid, text) SELECT value ->> 0, value ->> 1 FROM json_each(?1)",
                table(kind)
            ))?
            .execute([json])?;
        }
        *self = SearchWrites::default();
        Ok(())
    }
}

/// The FTS5 query for records whose keys start with each of the query's
/// keys: every key as a prefix, but a one-letter key as a whole word (a
/// one-letter prefix would match nearly everything), and so the keys of
/// articles and flags, which say where they end. The indexes keep the
/// prefixes of two to eight letters (migration 0009), which FTS5 reads
/// newest first and stops at the page; a longer key is a rare word, whose
/// words FTS5 merges before it answers. Keys are letters and digits, so
/// quoting them is enough.
pub(crate) fn fts5_query(keys: &[String]) -> String {
    let terms = keys.iter().filter(|k| !k.is_empty());
    let whole = |k: &str| k.len() == 1 || crimeboard_domain::search::is_whole_key(k);
    terms.map(|k| if whole(k) { format!("\"{k}\"") } else { format!("\"{k}\"*") }).collect::<Vec<_>>().join(" AND ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_is_a_prefix_but_a_single_letter_and_an_article() {
        let keys = ["a", "abasov", "husainova", "art177p2z"].map(String::from);
        assert_eq!(super::fts5_query(&keys), "\"a\" AND \"abasov\"* AND \"husainova\"* AND \"art177p2z\"");
    }
}
