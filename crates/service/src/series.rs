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

use crate::{Registry, Result, ServiceError, authorize_in};
use crimeboard_domain::Command;
use crimeboard_domain::access::{Action, Principal};
use crimeboard_domain::error::Checks;
use crimeboard_domain::identifier::{IdentifierChanges, IdentifierKey, IdentifierRow};
use crimeboard_domain::journal::JournalEntry;
use crimeboard_domain::series::{self, Confirmed, Linking, SeriesRules};
use crimeboard_domain::units::UnitCode;
use crimeboard_store::{SeriesRow, Store, StoreError, Tx};
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
    /// A key whose linking an analyst decided.
    pub(crate) fn key(key: IdentifierKey) -> Touched {
        Touched { keys: BTreeSet::from([key]), records: BTreeMap::new() }
    }

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
    tx.raise_alerts(&alerts(&rows))?;
    Ok(())
}

/// Each unit's alert on each series that spans two units or more.
fn alerts(rows: &[SeriesRow]) -> Vec<(String, Uuid)> {
    let mut units: BTreeMap<Uuid, BTreeSet<&str>> = BTreeMap::new();
    for row in rows {
        units.entry(row.series).or_default().insert(&row.unit);
    }
    let spanning = units.into_iter().filter(|(_, units)| units.len() > 1);
    spanning.flat_map(|(series, units)| units.into_iter().map(move |u| (u.to_string(), series))).collect()
}

/// Records an analyst's decision on a key (the act at `position`) and
/// works out again the series the key touches.
pub(crate) fn decided(
    tx: &mut dyn Tx,
    rules: &SeriesRules,
    key: &IdentifierKey,
    linking: Linking,
    position: i64,
) -> Result<()> {
    let kept = (linking != Linking::ByRules).then_some((linking, position));
    tx.set_linking(key, kept)?;
    update(tx, rules, Touched::key(key.clone()))
}

/// The decision on a key an act is: a `decide_linking`, or a split, which
/// excludes the key it cuts.
pub(crate) fn decision_of(command: &Command) -> Option<(&IdentifierKey, Linking)> {
    match command {
        Command::DecideLinking(d) => Some((&d.key, d.linking)),
        Command::SplitSeries(s) => Some((&s.key, Linking::Excluded)),
        _ => None,
    }
}

/// After a decision's (or a split's) annulment: the decision in force is
/// the last one on the key still in force (none: the rules), and the series
/// follow it.
pub(crate) fn decision_annulled(tx: &mut dyn Tx, rules: &SeriesRules, annulled: &JournalEntry) -> Result<()> {
    let command = crate::act_of(annulled)?.command;
    let Some((key, _)) = decision_of(&command) else { return Ok(()) };
    let mut in_force = None;
    for entry in tx.acts_in_force(series::linking_subject(key))? {
        if entry.act_id == annulled.act_id {
            continue;
        }
        if let Some((_, linking)) = decision_of(&crate::act_of(&entry)?.command) {
            in_force = (linking != Linking::ByRules).then_some((linking, entry.position));
        }
    }
    tx.set_linking(key, in_force)?;
    update(tx, rules, Touched::key(key.clone()))
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
            let decided = tx.linking_of(&key)?;
            // A key that links whatever its holders is read whole: it is the analyst's to bound.
            let read = if decided == Some(Linking::Always) { u64::MAX } else { holders_read(rules) };
            let holders = tx.holders(&key, read)?;
            if !rules.links(holders.len(), decided) {
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
    let decided: BTreeMap<IdentifierKey, Linking> = store.linkings()?.into_iter().collect();
    Ok(rows_of(store.holdings()?, &decided, rules))
}

/// The series rows the holdings form under `rules` and the analysts'
/// decisions, sorted: of the whole index, or of records replayed to a past
/// position.
pub(crate) fn rows_of(
    holdings: Vec<crimeboard_store::Holding>,
    decided: &BTreeMap<IdentifierKey, Linking>,
    rules: &SeriesRules,
) -> Vec<SeriesRow> {
    let mut units = BTreeMap::new();
    let mut pairs = Vec::with_capacity(holdings.len());
    for h in holdings {
        units.insert(h.record, h.unit);
        pairs.push((h.record, h.key));
    }
    let links: BTreeSet<IdentifierKey> = series::holders_by_key(&pairs)
        .into_iter()
        .filter(|(k, records)| rules.links(records.len(), decided.get(*k).copied()))
        .map(|(k, _)| k.clone())
        .collect();
    let mut rows = series_rows(&pairs, &links, &units);
    rows.sort();
    rows
}

/// Rewrites the whole series table from the identifier index: when the
/// table is new to a database holding identifiers, or the rules of linking
/// change. Call it where no other writer runs (at opening, or under an
/// adoption's locks).
pub(crate) fn rebuild(store: &dyn Store, tx: &mut dyn Tx, rules: &SeriesRules) -> Result<()> {
    let stale: Vec<Uuid> = store.series_rows()?.into_iter().map(|r| r.record).collect();
    let rows = recomputed(store, rules)?;
    tx.set_series(&stale, &rows)?;
    tx.raise_alerts(&alerts(&rows))?;
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

/// A series as an analyst reads it: its records in the asker's scope, the
/// units and counts of the others, each key that links with its reason,
/// the weak links, and the hubs its records hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesView {
    pub id: Uuid,
    /// The records in units where the asker reads personal data, by unit.
    pub visible: Vec<Member>,
    /// The series' records elsewhere: the unit and how many, nothing more.
    pub elsewhere: Vec<crate::Elsewhere>,
    /// The keys that link the series' records, each with its holders.
    pub links: Vec<Link>,
    /// The links only other units' records hold, which the asker may not read.
    pub hidden_links: usize,
    /// Keys a visible record holds that are hubs (held by more records than
    /// the threshold): they link nothing.
    pub hubs: Vec<Hub>,
    /// The last confirmation of the series (or of a series it grew from):
    /// who, when, and what changed since.
    pub confirmation: Option<Confirmation>,
}

/// An analyst's confirmation of a series, as its page states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// The id the series had when confirmed.
    pub series: Uuid,
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub note: String,
    /// Records that joined or left since, in the asker's scope by number,
    /// elsewhere by unit only.
    pub joined: Vec<LinkEnd>,
    pub left: Vec<LinkEnd>,
    pub links_added: usize,
    pub links_gone: usize,
}

/// A report or case of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub record: Uuid,
    pub kind: crimeboard_domain::EntityKind,
    pub unit: UnitCode,
    pub number: String,
}

/// A key linking records of a series, and why: who attached it to each
/// record, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub key: IdentifierKey,
    /// As a page shows it (a card masked).
    pub display: String,
    /// Whether it alone holds two parts of the series together.
    pub weak: bool,
    pub ends: Vec<LinkEnd>,
}

/// A record holding a linking key. Of a record outside the asker's scope,
/// only the unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEnd {
    pub unit: UnitCode,
    pub record: Option<Uuid>,
    pub number: Option<String>,
    /// The act that attached it: when and by whom.
    pub attached_at: Option<chrono::DateTime<chrono::Utc>>,
    pub attached_by: Option<String>,
}

/// A key held by too many records to link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hub {
    pub key: IdentifierKey,
    pub display: String,
    /// How many records hold it, counted up to the threshold and one more.
    pub holders: usize,
    /// The analyst's decision on it: `always` lets it link.
    pub decided: Option<Linking>,
}

impl Registry {
    /// A series by its id, for `by`, who must read personal data somewhere;
    /// its records outside `by`'s scope are given by unit and count only, as
    /// the identifier lookup gives them.
    pub fn series(&self, by: &Principal, id: Uuid) -> Result<SeriesView> {
        let units = self.units();
        authorize_in(&units, by, Action::ReadPersonalData, None)?;
        let members = self.store.series_members(id)?;
        if members.is_empty() {
            return Err(ServiceError::NotFound);
        }
        let rules = self.jurisdiction().rules.series;
        let in_scope = |unit: &UnitCode| authorize_in(&units, by, Action::ReadPersonalData, Some(unit)).is_ok();
        let mut rows = Vec::new();
        for m in &members {
            rows.extend(self.store.identifiers_of(m.record)?);
        }
        let mut view = SeriesView {
            id,
            visible: Vec::new(),
            elsewhere: Vec::new(),
            links: Vec::new(),
            hidden_links: 0,
            hubs: Vec::new(),
            confirmation: None,
        };
        for m in &members {
            let Some(row) = rows.iter().find(|r| r.record_id == m.record) else { continue };
            if in_scope(&row.unit) {
                let kind = self.store.get(m.record)?.map(|r| r.kind).unwrap_or(crimeboard_domain::EntityKind::Report);
                view.visible.push(Member {
                    record: m.record,
                    kind,
                    unit: row.unit.clone(),
                    number: row.number.clone(),
                });
            } else {
                match view.elsewhere.iter_mut().find(|e| e.unit == row.unit) {
                    Some(e) => e.count += 1,
                    None => view.elsewhere.push(crate::Elsewhere { unit: row.unit.clone(), count: 1 }),
                }
            }
        }
        view.visible.sort_by(|a, b| (&a.unit, &a.number).cmp(&(&b.unit, &b.number)));
        let holdings: Vec<series::Holding> =
            rows.iter().map(|r| (r.record_id, IdentifierKey { kind: r.kind, value: r.key.clone() })).collect();
        let mut links = BTreeSet::new();
        let decisions: BTreeMap<IdentifierKey, Linking> = self.store.linkings()?.into_iter().collect();
        for (key, holders) in series::holders_by_key(&holdings) {
            let decided = decisions.get(key).copied();
            let held = self.store.identifiers(key.kind, &key.value, holders_read(&rules))?;
            let count = held.iter().map(|r| r.record_id).collect::<BTreeSet<_>>().len();
            let display = held.first().map(|r| r.display.clone()).unwrap_or_default();
            let seen = rows.iter().any(|r| in_scope(&r.unit) && r.kind == key.kind && r.key == key.value);
            if rules.is_hub(count) && seen {
                view.hubs.push(Hub { key: key.clone(), display, holders: count, decided });
            }
            if holders.len() > 1 && rules.links(count, decided) {
                links.insert(key.clone());
            }
        }
        let weak = series::weak_keys(&holdings, |k| links.contains(k));
        for key in &links {
            let holders: Vec<&IdentifierRow> =
                rows.iter().filter(|r| r.kind == key.kind && r.key == key.value).collect();
            if !holders.iter().any(|r| in_scope(&r.unit)) {
                view.hidden_links += 1;
                continue;
            }
            let mut ends = Vec::new();
            let mut seen = BTreeSet::new();
            for r in holders.iter().filter(|r| seen.insert(r.record_id)) {
                ends.push(match in_scope(&r.unit) {
                    true => self.link_end(r, key)?,
                    false => LinkEnd {
                        unit: r.unit.clone(),
                        record: None,
                        number: None,
                        attached_at: None,
                        attached_by: None,
                    },
                });
            }
            let display = holders[0].display.clone();
            view.links.push(Link { key: key.clone(), display, weak: weak.contains(key), ends });
        }
        let members: BTreeSet<Uuid> = members.iter().map(|m| m.record).collect();
        view.confirmation = self.last_confirmation(&members, &links, &in_scope)?;
        Ok(view)
    }

    /// The latest confirmation in force filed under the id of any of the
    /// series' records: a series keeps its confirmation when it merges or
    /// its earliest record leaves.
    fn last_confirmation(
        &self,
        members: &BTreeSet<Uuid>,
        links: &BTreeSet<IdentifierKey>,
        in_scope: &dyn Fn(&UnitCode) -> bool,
    ) -> Result<Option<Confirmation>> {
        let mut latest: Option<(JournalEntry, crimeboard_domain::series::ConfirmSeries, Confirmed)> = None;
        for record in members {
            for (entry, annulled) in self.store.history(series::confirmation_subject(*record))? {
                let act = crate::act_of(&entry)?;
                let (Command::ConfirmSeries(c), Some(confirmed)) = (act.command, act.assigned.confirmed) else {
                    continue;
                };
                if !annulled && latest.as_ref().is_none_or(|(e, _, _)| e.position < entry.position) {
                    latest = Some((entry, c, confirmed));
                }
            }
        }
        let Some((entry, c, confirmed)) = latest else { return Ok(None) };
        let since = confirmed.since(members, links);
        let end = |record: &Uuid| -> Result<Option<LinkEnd>> {
            let Some(r) = self.store.get(*record)? else { return Ok(None) };
            let Ok(unit) = UnitCode::parse(&r.unit) else { return Ok(None) };
            let shown = in_scope(&unit);
            Ok(Some(LinkEnd {
                unit,
                record: shown.then_some(r.id),
                number: shown.then_some(r.number),
                attached_at: None,
                attached_by: None,
            }))
        };
        let joined = since.joined.iter().map(end).collect::<Result<Vec<_>>>()?.into_iter().flatten().collect();
        let left = since.left.iter().map(end).collect::<Result<Vec<_>>>()?.into_iter().flatten().collect();
        Ok(Some(Confirmation {
            series: c.series,
            by: entry.actor,
            at: entry.recorded_at,
            note: c.note,
            joined,
            left,
            links_added: since.links_added.len(),
            links_gone: since.links_gone.len(),
        }))
    }

    /// The series now holding a record, for an address naming a series by
    /// an id it no longer has (its earliest record left, or the series
    /// merged into an earlier one): the record's series, if it is in one.
    pub fn series_now_holding(&self, by: &Principal, retired: Uuid) -> Result<Option<Uuid>> {
        authorize_in(&self.units(), by, Action::ReadPersonalData, None)?;
        Ok(self.store.series_of(retired)?.filter(|id| *id != retired))
    }

    /// A visible record's end of a link: the act in force that attached the
    /// key to it (or to one of its persons), read from its history.
    fn link_end(&self, row: &IdentifierRow, key: &IdentifierKey) -> Result<LinkEnd> {
        let mut end = LinkEnd {
            unit: row.unit.clone(),
            record: Some(row.record_id),
            number: Some(row.number.clone()),
            attached_at: None,
            attached_by: None,
        };
        for (entry, annulled) in self.store.history(row.record_id)? {
            if annulled || entry.kind != "attach_identifier" {
                continue;
            }
            let act = crimeboard_domain::Act::from_payload(&entry.payload)
                .map_err(|e| StoreError::Corrupt(format!("act {}: {e}", entry.act_id)))?;
            if let Command::AttachIdentifier(a) = act.command
                && IdentifierKey::of(&a.identifier) == *key
            {
                end.attached_at = Some(entry.recorded_at);
                end.attached_by = Some(entry.actor.clone());
            }
        }
        Ok(end)
    }
}

/// A unit's alert: a series holding its records and other units'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesAlert {
    pub series: Uuid,
    /// How many of the series' records are the unit's.
    pub own: usize,
    /// The other units and how many of their records: no more, as the
    /// lookup gives them; the series' read shows what the asker may see.
    pub elsewhere: Vec<crate::Elsewhere>,
}

impl Registry {
    /// The series a unit's queue shows: each raised once, when the series
    /// first held the unit's records and another unit's, until the unit
    /// acknowledges it (`acknowledge_series_alert`). A series since
    /// renamed (its earliest record gone) or dissolved shows no more under
    /// the old id; a series it was merged into alerts anew the units it
    /// had not alerted.
    pub fn series_alerts(&self, by: &Principal, unit: &UnitCode) -> Result<Vec<SeriesAlert>> {
        let units = self.units();
        authorize_in(&units, by, Action::ReadPersonalData, Some(unit))?;
        let mut found = Vec::new();
        for series in self.store.series_alerts(unit.as_str())? {
            let mut alert = SeriesAlert { series, own: 0, elsewhere: Vec::new() };
            for member in self.store.series_members(series)? {
                if member.unit == unit.as_str() {
                    alert.own += 1;
                    continue;
                }
                let Ok(code) = UnitCode::parse(&member.unit) else { continue };
                match alert.elsewhere.iter_mut().find(|e| e.unit == code) {
                    Some(e) => e.count += 1,
                    None => alert.elsewhere.push(crate::Elsewhere { unit: code, count: 1 }),
                }
            }
            if alert.own > 0 && !alert.elsewhere.is_empty() && !self.acknowledged(unit, series)? {
                found.push(alert);
            }
        }
        Ok(found)
    }
}

impl Registry {
    /// Whether the unit acknowledged its alert on the series: an
    /// `acknowledge_series_alert` in force filed under the two.
    fn acknowledged(&self, unit: &UnitCode, series: Uuid) -> Result<bool> {
        let history = self.store.history(series::alert_subject(unit, series))?;
        Ok(history.iter().any(|(entry, annulled)| !annulled && entry.kind == "acknowledge_series_alert"))
    }
}

/// A series as it stands in an act's transaction: its records, the keys
/// they hold and which of those link.
fn standing(tx: &mut dyn Tx, rules: &SeriesRules, id: Uuid) -> Result<Walked> {
    let members: BTreeMap<Uuid, String> =
        tx.series_around(&[id])?.into_iter().filter(|row| row.series == id).map(|r| (r.record, r.unit)).collect();
    if members.is_empty() {
        return Ok(Walked::default());
    }
    walk(tx, rules, members)
}

/// The facts a confirmation or a split is checked against, read in its
/// transaction: the series must be there, a split must cut a weak link;
/// a confirmation keeps the records and links it confirmed.
pub(crate) fn facts(
    tx: &mut dyn Tx,
    rules: &SeriesRules,
    command: &Command,
    checks: &mut Checks,
) -> Result<Option<Confirmed>> {
    let (id, split) = match command {
        Command::ConfirmSeries(c) => (c.series, None),
        Command::SplitSeries(s) => (s.series, Some(&s.key)),
        _ => return Ok(None),
    };
    let walked = standing(tx, rules, id)?;
    let members: BTreeSet<Uuid> = walked.units.keys().copied().collect();
    let weak = series::weak_keys(&walked.holdings, |k| walked.links.contains(k));
    if checks.absorb(series::check_against_series(&members, split.map(|key| (key, &weak)))).is_none() {
        return Ok(None);
    }
    let confirmed = Confirmed { members: members.into_iter().collect(), links: walked.links.into_iter().collect() };
    Ok(matches!(command, Command::ConfirmSeries(_)).then_some(confirmed))
}

/// What the list of series is narrowed to: a unit holding records in it
/// (or in a unit below it),
/// its size, whether it is confirmed, whether it touches a hub or holds a
/// weak link. Each filter left out lets every series through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeriesFilter {
    pub unit: Option<UnitCode>,
    pub min_size: Option<usize>,
    pub max_size: Option<usize>,
    pub confirmed: Option<bool>,
    pub hub: Option<bool>,
    pub weak: Option<bool>,
}

/// A series as its list shows it: how many records, in which units, and
/// what an analyst looks for first. No record's number: a series is listed
/// to whoever reads personal data in one of its units, and its page gives
/// what that reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesSummary {
    pub id: Uuid,
    pub size: usize,
    /// Each unit holding records of the series and how many, by unit code.
    pub units: Vec<crate::Elsewhere>,
    pub confirmed: bool,
    /// Keys its records hold that are held by more records than the threshold.
    pub hubs: usize,
    /// Keys that alone hold two parts of it together.
    pub weak: usize,
}

/// One page of the list of series, and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesPage {
    pub items: Vec<SeriesSummary>,
    pub total: usize,
}

impl Registry {
    /// The series holding a record in a unit where `by` reads personal
    /// data or analyses series (an analyst reads no names without a grant,
    /// and the list names none), narrowed by `filter`: those spanning the most units first (a
    /// series across units is what no single unit sees), then the largest,
    /// then by id; `page` from 1, `per_page` series a page.
    ///
    /// Works from the whole identifier index, as `recomputed` does: the hubs
    /// and weak links of every series at once, in one read.
    pub fn series_list(&self, by: &Principal, filter: &SeriesFilter, page: u64, per_page: u64) -> Result<SeriesPage> {
        let units = self.units();
        authorize_in(&units, by, Action::ReadPersonalData, None)?;
        let in_scope = |unit: &str| {
            UnitCode::parse(unit).is_ok_and(|u| {
                [Action::ReadPersonalData, Action::AnalyseSeries]
                    .into_iter()
                    .any(|action| authorize_in(&units, by, action, Some(&u)).is_ok())
            })
        };
        let mut members: BTreeMap<Uuid, Vec<SeriesRow>> = BTreeMap::new();
        for row in self.store.series_rows()? {
            members.entry(row.series).or_default().push(row);
        }
        members.retain(|_, rows| rows.iter().any(|r| in_scope(&r.unit)));
        let traits = self.series_traits(&members)?;
        let mut found: Vec<SeriesSummary> = members
            .iter()
            .map(|(id, rows)| {
                let (hubs, weak) = traits.get(id).copied().unwrap_or_default();
                SeriesSummary { id: *id, size: rows.len(), units: units_of(rows), confirmed: false, hubs, weak }
            })
            .filter(|s| filter.passes_without_confirmation(s, &units))
            .collect();
        found.sort_by(|a, b| (b.units.len(), b.size, a.id).cmp(&(a.units.len(), a.size, b.id)));
        if let Some(wanted) = filter.confirmed {
            for s in &mut found {
                s.confirmed = self.is_confirmed(&members[&s.id])?;
            }
            found.retain(|s| s.confirmed == wanted);
        }
        let total = found.len();
        let skip = (page.max(1) - 1).saturating_mul(per_page) as usize;
        let mut items: Vec<SeriesSummary> = found.into_iter().skip(skip).take(per_page as usize).collect();
        if filter.confirmed.is_none() {
            for s in &mut items {
                s.confirmed = self.is_confirmed(&members[&s.id])?;
            }
        }
        Ok(SeriesPage { items, total })
    }

    /// Each series' count of hub keys its records hold and of weak links.
    fn series_traits(&self, members: &BTreeMap<Uuid, Vec<SeriesRow>>) -> Result<BTreeMap<Uuid, (usize, usize)>> {
        let rules = self.jurisdiction().rules.series;
        let holdings: Vec<series::Holding> = self.store.holdings()?.into_iter().map(|h| (h.record, h.key)).collect();
        let decided: BTreeMap<IdentifierKey, Linking> = self.store.linkings()?.into_iter().collect();
        let held_by: BTreeMap<IdentifierKey, usize> =
            series::holders_by_key(&holdings).into_iter().map(|(k, r)| (k.clone(), r.len())).collect();
        let series_of: BTreeMap<Uuid, Uuid> =
            members.iter().flat_map(|(id, rows)| rows.iter().map(move |r| (r.record, *id))).collect();
        let mut by_series: BTreeMap<Uuid, Vec<series::Holding>> = BTreeMap::new();
        for (record, key) in holdings {
            if let Some(id) = series_of.get(&record) {
                by_series.entry(*id).or_default().push((record, key));
            }
        }
        let links = |k: &IdentifierKey| rules.links(held_by.get(k).copied().unwrap_or(0), decided.get(k).copied());
        Ok(by_series
            .into_iter()
            .map(|(id, held)| {
                let keys: BTreeSet<&IdentifierKey> = held.iter().map(|(_, k)| k).collect();
                let hubs = keys.iter().filter(|k| rules.is_hub(held_by.get(**k).copied().unwrap_or(0))).count();
                (id, (hubs, series::weak_keys(&held, links).len()))
            })
            .collect())
    }

    /// Whether a confirmation in force is filed under any of the records.
    fn is_confirmed(&self, rows: &[SeriesRow]) -> Result<bool> {
        for row in rows {
            let history = self.store.history(series::confirmation_subject(row.record))?;
            if history.iter().any(|(entry, annulled)| !annulled && entry.kind == "confirm_series") {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl SeriesFilter {
    /// Every filter but the confirmation, which costs a read per record and
    /// is asked last, of the series the others let through.
    fn passes_without_confirmation(&self, s: &SeriesSummary, tree: &crimeboard_domain::units::UnitTree) -> bool {
        let wanted = |filter: Option<bool>, has: bool| filter.is_none_or(|f| f == has);
        self.unit.as_ref().is_none_or(|u| s.units.iter().any(|e| tree.is_within(&e.unit, u)))
            && self.min_size.is_none_or(|n| s.size >= n)
            && self.max_size.is_none_or(|n| s.size <= n)
            && wanted(self.hub, s.hubs > 0)
            && wanted(self.weak, s.weak > 0)
    }
}

/// The units of a series' records and how many each holds, by unit code.
fn units_of(rows: &[SeriesRow]) -> Vec<crate::Elsewhere> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows {
        *counts.entry(&row.unit).or_default() += 1;
    }
    counts
        .into_iter()
        .filter_map(|(unit, count)| UnitCode::parse(unit).ok().map(|unit| crate::Elsewhere { unit, count }))
        .collect()
}

/// The decision in force on how a key links, as its page states it: what,
/// who, when and why. A split is the key's exclusion, with the split's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkingDecision {
    pub linking: Linking,
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub reason: String,
}

impl Registry {
    /// The last decision in force on `key` (none: it links as the rules
    /// say; one giving it back to the rules is stated too), for whoever reads personal data somewhere: the decision names
    /// no record.
    pub fn linking_decision(&self, by: &Principal, key: &IdentifierKey) -> Result<Option<LinkingDecision>> {
        authorize_in(&self.units(), by, Action::ReadPersonalData, None)?;
        let mut last = None;
        for (entry, annulled) in self.store.history(series::linking_subject(key))? {
            if annulled {
                continue;
            }
            let (linking, reason) = match crate::act_of(&entry)?.command {
                Command::DecideLinking(d) => (d.linking, d.reason),
                Command::SplitSeries(s) => (Linking::Excluded, s.reason),
                _ => continue,
            };
            last = Some(LinkingDecision { linking, by: entry.actor, at: entry.recorded_at, reason });
        }
        Ok(last)
    }
}
