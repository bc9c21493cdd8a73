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

/// How the indexes are asked for records whose keys start with each of the
/// query's keys: an FTS5 query the indexes answer from a single list of
/// records per key, and the keys that must then be checked against
/// `records.text`.
///
/// The indexes keep the prefixes of two, three and six letters (migration
/// 0009). A key of that length is answered as it is; a longer one by its
/// first six letters (four or five: three), since FTS5 answers any other
/// prefix by merging every word that starts so before it returns one record
/// (70 ms for "abasov*" at ten million cases), and then checked whole. A
/// one-letter key is a whole word: a one-letter prefix would match nearly
/// everything. Keys are letters and digits, so quoting them is enough.
pub(crate) struct SearchPlan {
    pub fts: String,
    pub checks: Vec<String>,
}

impl SearchPlan {
    pub fn new(keys: &[String]) -> SearchPlan {
        let mut terms = Vec::new();
        let mut checks = Vec::new();
        for key in keys {
            let served = match key.len() {
                0 => continue,
                1 => {
                    terms.push(format!("\"{key}\""));
                    continue;
                }
                2 | 3 | 6 => key.len(),
                4 | 5 => 3,
                _ => 6,
            };
            // Keys are ASCII (crimeboard_domain::search), so a byte length cuts whole letters.
            let prefix = key.get(..served).unwrap_or(key);
            terms.push(format!("\"{prefix}\"*"));
            if served < key.len() {
                checks.push(key.clone());
            }
        }
        SearchPlan { fts: terms.join(" AND "), checks }
    }
}

#[cfg(test)]
mod tests {
    use super::SearchPlan;

    fn plan(keys: &[&str]) -> (String, Vec<String>) {
        let p = SearchPlan::new(&keys.iter().map(|k| k.to_string()).collect::<Vec<_>>());
        (p.fts, p.checks)
    }

    #[test]
    fn keys_are_asked_by_the_prefixes_the_indexes_keep_and_checked_whole() {
        assert_eq!(plan(&["a"]), ("\"a\"".into(), vec![]));
        assert_eq!(plan(&["ab", "abc"]), ("\"ab\"* AND \"abc\"*".into(), vec![]));
        assert_eq!(plan(&["rawad"]), ("\"raw\"*".into(), vec!["rawad".into()]));
        assert_eq!(plan(&["abasov"]), ("\"abasov\"*".into(), vec![]));
        assert_eq!(plan(&["art177p2z"]), ("\"art177\"*".into(), vec!["art177p2z".into()]));
    }
}
