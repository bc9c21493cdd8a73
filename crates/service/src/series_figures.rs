//! The Board's figures of series (docs/methods.md, "Series figures"), read
//! from the series table at the report's position, from the series as they
//! stood at a past position (worked out again from the replayed records),
//! and proved by `stats verify` against the series worked out afresh from
//! the identifier index.

use crate::figures::CounterMismatch;
use crate::{Registry, Result, stored_entity};
use crimeboard_domain::identifier::IdentifierKey;
use crimeboard_domain::rules::Rules;
use crimeboard_domain::series::Linking;
use crimeboard_domain::{Entity, Loaded};
use crimeboard_stats::board::BoardReport;
use crimeboard_stats::series::{self, SeriesFacts, SeriesMember};
use crimeboard_store::{Holding, SeriesRow, Store};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A record of a series as the figures read it: the day it was registered
/// and whether it is a solved case. Only reports and cases hold identifiers.
fn member(series: Uuid, entity: &Entity, rules: &Rules) -> Option<SeriesMember<Uuid>> {
    let (at, solved) = match entity {
        Entity::Report(r) => (r.received_at, false),
        Entity::Case(c) => (c.registered_at, c.solved_at.is_some()),
        Entity::Seizure(_)
        | Entity::Accountability(_)
        | Entity::Accident(_)
        | Entity::Examination(_)
        | Entity::Meeting(_)
        | Entity::Task(_)
        | Entity::Release(_)
        | Entity::Reception(_)
        | Entity::Appeal(_)
        | Entity::Publication(_)
        | Entity::Freeze(_)
        | Entity::Sample(_) => return None,
    };
    Some(SeriesMember { series, unit: entity.unit().clone(), day: rules.local_date(at), solved })
}

/// The facts of the series the rows form, each record read from the registers.
fn facts_of_rows(store: &dyn Store, rows: &[SeriesRow], rules: &Rules) -> Result<Vec<SeriesFacts>> {
    let mut members = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(record) = store.get(row.record)? else { continue };
        members.extend(member(row.series, &stored_entity(&record)?, rules));
    }
    Ok(series::facts(members))
}

/// The series the replayed records formed under the decisions in force
/// then, each with its facts.
fn facts_of_entities(entities: &Loaded, decided: &BTreeMap<IdentifierKey, Linking>, rules: &Rules) -> Vec<SeriesFacts> {
    let holdings = entities
        .values()
        .flat_map(|e| e.identifier_rows())
        .map(|r| Holding {
            record: r.record_id,
            unit: r.unit.to_string(),
            key: IdentifierKey { kind: r.kind, value: r.key },
        })
        .collect();
    let rows = crate::series::rows_of(holdings, decided, &rules.series);
    let members = rows.iter().filter_map(|row| member(row.series, entities.get(&row.record)?, rules));
    series::facts(members.collect())
}

impl Registry {
    /// Adds the series figures of the counting rules to a report, from the
    /// series table as committed (nothing to add when the rules name none).
    pub(crate) fn add_series_figures(
        &self,
        report: &mut BoardReport,
        pack: &crate::Jurisdiction,
        tree: &crimeboard_domain::units::UnitTree,
    ) -> Result<()> {
        if pack.indicators.series.is_empty() {
            return Ok(());
        }
        let facts = facts_of_rows(self.store.as_ref(), &self.store.series_rows()?, &pack.rules)?;
        series::add_to(report, &pack.indicators.series, &facts, tree);
        Ok(())
    }

    /// Compares the series figures of each unit's own records, by figure
    /// and day found, between the series table and the series worked out
    /// afresh from the identifier index; each difference is a mismatch as a
    /// counter's is (`counter` the table's, `recount` afresh).
    pub(crate) fn verify_series_figures(&self) -> Result<Vec<CounterMismatch>> {
        let pack = self.jurisdiction();
        if pack.indicators.series.is_empty() {
            return Ok(Vec::new());
        }
        let store = self.store.as_ref();
        let kept = facts_of_rows(store, &store.series_rows()?, &pack.rules)?;
        let afresh = facts_of_rows(store, &crate::series::recomputed(store, &pack.rules.series)?, &pack.rules)?;
        let (kept, afresh) = (
            series::by_unit_and_day(&kept, &pack.indicators.series),
            series::by_unit_and_day(&afresh, &pack.indicators.series),
        );
        let mut keys: Vec<_> = kept.keys().chain(afresh.keys()).collect();
        keys.sort();
        keys.dedup();
        Ok(keys
            .into_iter()
            .filter_map(|key| {
                let (counter, recount) = (kept.get(key).copied().unwrap_or(0), afresh.get(key).copied().unwrap_or(0));
                (counter != recount).then(|| CounterMismatch {
                    unit: key.0.to_string(),
                    indicator: key.1.clone(),
                    day: key.2,
                    counter,
                    recount,
                })
            })
            .collect())
    }
}

/// Adds the series figures to a report counted from replayed records.
pub(crate) fn add_replayed(
    report: &mut BoardReport,
    pack: &crate::Jurisdiction,
    tree: &crimeboard_domain::units::UnitTree,
    entities: &Loaded,
    decided: &BTreeMap<IdentifierKey, Linking>,
) {
    if pack.indicators.series.is_empty() {
        return;
    }
    let facts = facts_of_entities(entities, decided, &pack.rules);
    series::add_to(report, &pack.indicators.series, &facts, tree);
}
