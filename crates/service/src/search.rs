//! Keeping the search keys current. Keys are written with every record; this
//! rewrites those written under older key rules (or before there were keys),
//! in batches so a large register is reindexed without one huge transaction
//! or a read held open across them.

use crate::{Registry, Result, stored_entity};
use crimeboard_domain::search::SEARCH_KEYS_VERSION;

/// Records rewritten per transaction.
const REINDEX_BATCH: u64 = 2_000;

impl Registry {
    /// Whether stored search keys were written under older rules.
    pub fn search_index_stale(&self) -> Result<bool> {
        Ok(self.store.search_keys_version()? != SEARCH_KEYS_VERSION)
    }

    /// A store with no records yet has no keys written under older rules:
    /// it is marked current, so the first records it gets need no reindex.
    pub(crate) fn adopt_current_search_keys(&self) -> Result<()> {
        if self.store.search_keys_version()? != SEARCH_KEYS_VERSION && self.store.records_after(None, 1)?.is_empty() {
            let mut tx = self.store.begin()?;
            tx.set_search_keys_version(SEARCH_KEYS_VERSION)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Rewrites every record's search keys under the current rules, unit by
    /// unit, reporting the records done so far after each batch. Safe to
    /// interrupt: a batch lands whole, and the version is set only at the end,
    /// so an interrupted run is simply run again.
    pub fn reindex_search(&self, progress: &mut dyn FnMut(u64)) -> Result<()> {
        let rules = self.jurisdiction().rules.clone();
        let mut done = 0u64;
        let mut after = None;
        loop {
            let records = self.store.records_after(after, REINDEX_BATCH)?;
            let Some(last) = records.last() else { break };
            after = Some(last.id);
            let mut rows = Vec::with_capacity(records.len() * 3);
            for record in &records {
                rows.extend(stored_entity(record)?.index_rows(&rules));
            }
            let mut tx = self.store.begin()?;
            tx.reindex(rows)?;
            tx.commit()?;
            done += records.len() as u64;
            progress(done);
        }
        let mut tx = self.store.begin()?;
        tx.set_search_keys_version(SEARCH_KEYS_VERSION)?;
        tx.commit()?;
        Ok(())
    }
}
