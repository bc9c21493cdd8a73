//! Published periods: what a publication is stamped with, and which
//! publications an act's counter changes revise. Every act goes through the
//! same check (`Registry::record_act`, and an annulment): the difference of
//! its subjects' contributions before and after it, the counters' own
//! definition, is compared with the publications' scopes and periods, so
//! the rule holds for every register without code per act.
//!
//! Publications are few (a Board publishes a handful a quarter), so a batch
//! reads them once from the index, up to [`MAX_PUBLICATIONS`].

use crate::{Registry, Result, ServiceError, entity_of, stored_act};
use chrono::{DateTime, Utc};
use crimeboard_domain::error::Violation;
use crimeboard_domain::late::Late;
use crimeboard_domain::publication::PublicationKind;
use crimeboard_domain::publication::{Publication, Published, Revised};
use crimeboard_domain::units::{UnitCode, UnitTree};
use crimeboard_domain::{Command, Entity, EntityKind};
use crimeboard_stats::Period;
use crimeboard_stats::board::{BoardReport, RevisedFigure as RevisedCell, Revision as BoardRevision};
use crimeboard_store::StoreError;
use crimeboard_store::{CountDelta, ListQuery};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The most publications the checks and lists read from the index.
pub const MAX_PUBLICATIONS: u64 = 10_000;

impl Registry {
    /// Every publication, oldest period first, then by revision.
    pub fn publications(&self) -> Result<Vec<Publication>> {
        let query = ListQuery {
            kind: Some(EntityKind::Publication),
            units: None,
            day_from: None,
            day_to: None,
            status: None,
            parent: None,
            number: None,
            words: vec![],
            sort: None,
            offset: 0,
            limit: MAX_PUBLICATIONS,
        };
        let mut found = Vec::new();
        for record in self.store.list(&query)?.items {
            if let Entity::Publication(p) = entity_of(&record)? {
                found.push(p);
            }
        }
        found.sort_by_key(|p| (p.period_from, p.period_to, p.revision));
        Ok(found)
    }
}

/// What a `publish_report` act is stamped with: the journal position its
/// figures stand at (the last committed; a publication changes no counter)
/// and its revision, one more than the publications of the same period,
/// scope and kind before it.
pub(crate) fn stamp(registry: &Registry, known: &[Publication], command: &Command) -> Result<Option<Published>> {
    let Command::PublishReport(p) = command else { return Ok(None) };
    let earlier = known
        .iter()
        .filter(|q| q.scope == p.scope && q.period_from == p.period_from && q.period_to == p.period_to)
        .filter(|q| q.kind == p.kind)
        .count();
    let revision = u32::try_from(earlier + 1).unwrap_or(u32::MAX);
    Ok(Some(Published { position: registry.store.position()?, revision }))
}

/// What counter changes revise in the publications: per publication, the
/// change of each unit's indicator over the days of its period, for units
/// in its scope (the scope itself or below it).
pub(crate) fn revisions(known: &[Publication], deltas: &[CountDelta], tree: &UnitTree) -> Vec<Revised> {
    let mut sums: BTreeMap<(usize, UnitCode, &str), i64> = BTreeMap::new();
    for (i, p) in known.iter().enumerate() {
        for d in deltas.iter().filter(|d| p.covers_day(d.day)) {
            let Ok(unit) = UnitCode::parse(&d.unit) else { continue };
            if tree.is_within(&unit, &p.scope) {
                *sums.entry((i, unit, d.indicator.as_str())).or_default() += d.delta;
            }
        }
    }
    sums.into_iter()
        .filter(|(_, delta)| *delta != 0)
        .map(|((i, unit, indicator), delta)| Revised {
            publication: known[i].id,
            unit,
            indicator: indicator.to_string(),
            delta,
        })
        .collect()
}

/// The refusal of an act that changes a published figure without a reason.
pub(crate) fn needs_reason(p: &Publication) -> Violation {
    Violation::new("late.reason", "figures.published_period_changed")
        .with("publication", &p.number)
        .with("from", p.period_from)
        .with("to", p.period_to)
}

/// A publication's figures that changed since it was published: each
/// with its value as published and now, and the acts that changed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revisions {
    pub publication: Publication,
    /// The journal position the current figures were read at.
    pub position: i64,
    /// Every unit's indicator whose value differs, in the report's order.
    pub figures: Vec<RevisedFigure>,
    /// The acts recorded since the publication that changed its figures,
    /// in the order recorded.
    pub acts: Vec<RevisingAct>,
}

/// One figure of a published report that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisedFigure {
    pub unit: UnitCode,
    /// The indicator's code (with its group for a grouped one).
    pub indicator: String,
    pub published: i64,
    pub current: i64,
    pub difference: i64,
    /// The journal positions of the acts that changed it.
    pub acts: Vec<i64>,
}

/// An act that changed a publication's figures, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisingAct {
    pub position: i64,
    pub unit: String,
    pub seq: i64,
    /// The act's name (`register_report`, `annul`, ...).
    pub act: String,
    /// The register number of the entry it created or changed, when it has one.
    pub number: Option<String>,
    /// The register and id of that entry, when the index has it, for a link to its page.
    pub entry: Option<EntryRef>,
    pub actor: String,
    pub recorded_at: DateTime<Utc>,
    pub late: Option<Late>,
    /// What it changed in this publication's figures, per unit and indicator.
    pub changes: Vec<Revised>,
}

/// An entry of a register, by its register and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EntryRef {
    pub kind: EntityKind,
    pub id: Uuid,
}

impl Revisions {
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }
}

impl Registry {
    /// A publication's revisions: its report recounted at its position
    /// against the report now, cell by cell, and the acts since its position
    /// that say they changed it (each revising act keeps what it changed,
    /// `Assigned::revises`). Costs a replay of the journal to the position
    /// and a read of every act after it, in pages: an audit, not a dashboard.
    pub fn revisions(&self, publication_id: Uuid) -> Result<Revisions> {
        let Entity::Publication(publication) = self.entity(publication_id)? else {
            return Err(ServiceError::NotFound);
        };
        let period = Period::new(publication.period_from, publication.period_to)
            .ok_or_else(|| StoreError::Corrupt(format!("publication {}: period reversed", publication.number)))?;
        let scope = Some(publication.scope.as_str());
        let then = self.report_at(period, scope, publication.position)?;
        let now = self.counted_report(period, scope, crate::Structure::InForce)?;
        let acts = self.revising_acts(&publication)?;
        let tree = self.units();
        let mut figures = Vec::new();
        for unit in &now.units {
            let before = then.units.iter().find(|u| u.unit == unit.unit);
            for figure in &unit.figures {
                let published = before
                    .and_then(|u| u.figures.iter().find(|f| f.code == figure.code))
                    .map_or(0, |f| f.change.current);
                let current = figure.change.current;
                if published == current {
                    continue;
                }
                let touching = acts.iter().filter(|a| {
                    a.changes.iter().any(|c| c.indicator == figure.code && tree.is_within(&c.unit, &unit.unit))
                });
                figures.push(RevisedFigure {
                    unit: unit.unit.clone(),
                    indicator: figure.code.clone(),
                    published,
                    current,
                    difference: current - published,
                    acts: touching.map(|a| a.position).collect(),
                });
            }
        }
        Ok(Revisions { publication, position: now.position, figures, acts })
    }

    /// The acts after a publication's position that keep a change to it.
    fn revising_acts(&self, publication: &Publication) -> Result<Vec<RevisingAct>> {
        const PAGE: u64 = 1000;
        let mut found = Vec::new();
        let mut after = publication.position;
        loop {
            let page = self.store.journal(None, after, PAGE)?;
            let Some(last) = page.last() else { break };
            after = last.position;
            for entry in page {
                let act = stored_act(&entry)?;
                let changes: Vec<Revised> =
                    act.assigned.revises.into_iter().filter(|r| r.publication == publication.id).collect();
                if changes.is_empty() {
                    continue;
                }
                let indexed = self.store.get(act.assigned.id)?;
                let changed = indexed.as_ref().map(|r| EntryRef { kind: r.kind, id: r.id });
                let number = match act.assigned.number.as_str() {
                    "" => indexed.map(|r| r.number),
                    given => Some(given.to_string()),
                };
                found.push(RevisingAct {
                    position: entry.position,
                    unit: entry.unit,
                    seq: entry.seq,
                    act: entry.kind,
                    number,
                    entry: changed,
                    actor: entry.actor,
                    recorded_at: entry.recorded_at,
                    late: act.assigned.late,
                    changes,
                });
            }
        }
        Ok(found)
    }

    /// What changed in a report's figures since the latest publication of
    /// the Board's report of its period and scope, named as the report names
    /// them; None for a period never published or unchanged since. Costs a
    /// publications read and, for a published period, its revisions.
    pub(crate) fn revision_of(&self, report: &BoardReport) -> Result<Option<BoardRevision>> {
        let scope = &report.scope().unit;
        let latest = self
            .publications_of(report.period, scope)?
            .into_iter()
            .filter(|p| p.kind == PublicationKind::BoardReport)
            .max_by_key(|p| p.revision);
        let Some(latest) = latest else { return Ok(None) };
        let revisions = self.revisions(latest.id)?;
        if revisions.is_empty() {
            return Ok(None);
        }
        let changes = revisions
            .figures
            .iter()
            .filter_map(|f| {
                let unit = report.units.iter().find(|u| u.unit == f.unit)?;
                let figure = unit.figures.iter().find(|g| g.code == f.indicator)?;
                Some(RevisedCell {
                    unit: f.unit.clone(),
                    unit_name: unit.name.clone(),
                    indicator: f.indicator.clone(),
                    name: figure.name.clone(),
                    difference: f.difference,
                })
            })
            .collect();
        Ok(Some(BoardRevision {
            publication: latest.number,
            revision: latest.revision,
            published_on: latest.published_on,
            changes,
        }))
    }

    /// The publications of a period and scope, oldest revision first: the
    /// open data's revision is their count.
    pub fn publications_of(&self, period: Period, scope: &UnitCode) -> Result<Vec<Publication>> {
        let all = self.publications()?;
        Ok(all
            .into_iter()
            .filter(|p| &p.scope == scope && p.period_from == period.from && p.period_to == period.to)
            .collect())
    }
}
