//! Series of linked records kept up to date (docs/identifiers.md, "Series").
//! The series table is a projection of the identifier index: when an act
//! (or an annulment) changes the identifiers records hold, the series of
//! the records it touched are worked out again inside the act's
//! transaction, from the index as the act leaves it.
//!
//! The cost is bounded by the series touched, not the registers: the walk
//! starts from the records whose identifiers changed, the other holders of
//! the keys that changed and the members of their series as they stood, and
//! follows only keys that link. A key's holders are read up to the hub
//! threshold and one more, so a hub (a bank's hotline held by thousands of
//! records) costs one short read and is not followed.

use crate::{Registry, Result};
use crimeboard_domain::identifier::{IdentifierChanges, IdentifierKey};
use crimeboard_domain::series::{self, SeriesRules};
use crimeboard_store::{SeriesRow, Store, Tx};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// What an act's identifier changes touched: the keys added or removed and
/// the records that held them, with their units.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    keys: BTreeSet<IdentifierKey>,
    records: BTreeMap<Uuid, String>,
}

impl Touched {
    pub(crate) fn of(changes: &IdentifierChanges) -> Touched {
        let mut touched = Touched::default();
        for row in changes.added.iter().chain(&changes.removed) {
            touched.keys.insert(IdentifierKey { kind: row.kind, value: row.key.clone() });
            touched.records.insert(row.record_id, row.unit.to_string());
        }
        touched
    }
}

/// Works out again the series of the records an act touched and rewrites
/// their rows.
pub(crate) fn update(tx: &mut dyn Tx, rules: &SeriesRules, touched: Touched) -> Result<()> {
    if touched.keys.is_empty() {
        return Ok(());
    }
    let mut start = touched.records;
    for key in &touched.keys {
        // Every holder of a changed key: one that became a hub unlinks them
        // all, one that stopped being one links them all.
        start.extend(tx.holders(key, holders_read(rules))?);
    }
    let ids: Vec<Uuid> = start.keys().copied().collect();
    for row in tx.series_around(&ids)? {
        start.insert(row.record, row.unit);
    }
    let walked = walk(tx, rules, start)?;
    let rows = series_rows(&walked.holdings, &walked.links, &walked.units);
    let records: Vec<Uuid> = walked.units.keys().copied().collect();
    tx.set_series(&records, &rows)?;
    Ok(())
}

/// How many holders of a key to read: one more than a hub's threshold,
/// enough to tell whether it is one.
fn holders_read(rules: &SeriesRules) -> u64 {
    rules.hub_threshold as u64 + 1
}

/// The records reached from the start over keys that link, with every key
/// each holds and which of those keys link.
#[derive(Debug, Default)]
struct Walked {
    units: BTreeMap<Uuid, String>,
    holdings: Vec<series::Holding>,
    links: BTreeSet<IdentifierKey>,
}

fn walk(tx: &mut dyn Tx, rules: &SeriesRules, start: BTreeMap<Uuid, String>) -> Result<Walked> {
    let mut walked = Walked::default();
    let mut seen_keys = BTreeSet::new();
    let mut next: Vec<Uuid> = start.keys().copied().collect();
    walked.units = start;
    while let Some(record) = next.pop() {
        for key in tx.keys_of(record)? {
            walked.holdings.push((record, key.clone()));
            if !seen_keys.insert(key.clone()) {
                continue;
            }
            let holders = tx.holders(&key, holders_read(rules))?;
            if rules.is_hub(holders.len()) {
                continue;
            }
            walked.links.insert(key);
            for (holder, unit) in holders {
                if let std::collections::btree_map::Entry::Vacant(place) = walked.units.entry(holder) {
                    place.insert(unit);
                    next.push(holder);
                }
            }
        }
    }
    Ok(walked)
}

/// The series rows of the components the holdings form over the links.
fn series_rows(
    holdings: &[series::Holding],
    links: &BTreeSet<IdentifierKey>,
    units: &BTreeMap<Uuid, String>,
) -> Vec<SeriesRow> {
    let mut rows = Vec::new();
    for members in series::components(holdings, |k| links.contains(k)) {
        let Some(id) = series::series_id(&members) else { continue };
        rows.extend(members.into_iter().map(|record| SeriesRow {
            series: id,
            record,
            unit: units.get(&record).cloned().unwrap_or_default(),
        }));
    }
    rows
}

/// The series the whole identifier index forms under `rules`, worked out
/// from nothing: what the series table must hold.
pub fn recomputed(store: &dyn Store, rules: &SeriesRules) -> Result<Vec<SeriesRow>> {
    let holdings = store.holdings()?;
    let mut units = BTreeMap::new();
    let mut pairs = Vec::with_capacity(holdings.len());
    for h in holdings {
        units.insert(h.record, h.unit);
        pairs.push((h.record, h.key));
    }
    let links: BTreeSet<IdentifierKey> = series::holders_by_key(&pairs)
        .into_iter()
        .filter(|(_, records)| !rules.is_hub(records.len()))
        .map(|(k, _)| k.clone())
        .collect();
    let mut rows = series_rows(&pairs, &links, &units);
    rows.sort();
    Ok(rows)
}

/// Rewrites the whole series table from the identifier index: when the
/// table is new to a database holding identifiers, or the rules of linking
/// change. Call it where no other writer runs (at opening, or under an
/// adoption's locks).
pub(crate) fn rebuild(store: &dyn Store, tx: &mut dyn Tx, rules: &SeriesRules) -> Result<()> {
    let stale: Vec<Uuid> = store.series_rows()?.into_iter().map(|r| r.record).collect();
    let rows = recomputed(store, rules)?;
    tx.set_series(&stale, &rows)?;
    Ok(())
}

impl Registry {
    /// Fills the series table from the identifier index when its migration
    /// was just applied to a database that holds identifiers.
    pub(crate) fn fill_new_series_table(&self) -> Result<()> {
        if !self.store.migrations_applied().contains(&"0020_series") {
            return Ok(());
        }
        let rules = self.jurisdiction().rules.series;
        let mut tx = self.store.begin()?;
        rebuild(self.store.as_ref(), tx.as_mut(), &rules)?;
        tx.commit()?;
        Ok(())
    }
}
