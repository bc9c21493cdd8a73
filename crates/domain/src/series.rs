//! Series of linked records (docs/identifiers.md, "Series"): reports and
//! cases that hold the same identifier are linked, and the connected
//! components of records over those links are the series. Pure: the caller
//! reads who holds which key and says which keys link; this module groups
//! the records, names each series and finds the links that alone hold a
//! series together.

use crate::error::{Checks, Violation};
use crate::identifier::{IdentifierKey, MAX_NOTE};
use crate::units::UnitCode;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// How many records may hold one key before it is a hub, when the rules
/// name no threshold: enough for a ring's numbers, too few for a bank's
/// hotline.
pub const DEFAULT_HUB_THRESHOLD: usize = 20;

/// The rules of linking (`[series]` of the pack's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesRules {
    /// A key held by more records than this is a hub and links nothing
    /// unless an analyst has said it should.
    pub hub_threshold: usize,
}

impl Default for SeriesRules {
    fn default() -> SeriesRules {
        SeriesRules { hub_threshold: DEFAULT_HUB_THRESHOLD }
    }
}

impl SeriesRules {
    /// Whether a key held by `holders` distinct records is a hub.
    pub fn is_hub(&self, holders: usize) -> bool {
        holders > self.hub_threshold
    }

    /// Whether a key held by `holders` records links them, under the
    /// analyst's decision on it (none: by the rules).
    pub fn links(&self, holders: usize, decided: Option<Linking>) -> bool {
        match decided.unwrap_or(Linking::ByRules) {
            Linking::Excluded => false,
            Linking::ByRules => !self.is_hub(holders),
            Linking::Always => true,
        }
    }
}

/// How an identifier links, as an analyst decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Linking {
    /// Excluded from linking: it links nothing, so a series it alone held
    /// together splits (splitting a series is excluding the key that joins
    /// its parts).
    Excluded,
    /// As the rules say: it links unless it is a hub. What undoes an
    /// exclusion or a hub's linking.
    ByRules,
    /// It links even as a hub: the analyst has seen that the number is the
    /// ring's own, however many records hold it.
    Always,
}

impl Linking {
    pub fn as_str(self) -> &'static str {
        match self {
            Linking::Excluded => "excluded",
            Linking::ByRules => "by_rules",
            Linking::Always => "always",
        }
    }

    pub fn parse(s: &str) -> Option<Linking> {
        [Linking::Excluded, Linking::ByRules, Linking::Always].into_iter().find(|l| l.as_str() == s)
    }
}

/// An analyst's decision on how an identifier links: excluded from linking,
/// back to the rules, or linking although a hub. Recorded in the journal of
/// the analyst's `unit`; its subject is the key ([`linking_subject`]), so
/// the decisions on one key are its history and an annulment restores the
/// one before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecideLinking {
    pub unit: UnitCode,
    pub key: IdentifierKey,
    pub linking: Linking,
    pub reason: String,
}

pub(crate) fn check_decision(d: &DecideLinking, checks: &mut Checks) {
    checks.check(!d.reason.trim().is_empty(), || Violation::new("reason", "text.required"));
    checks.check(d.reason.chars().count() <= MAX_NOTE, || {
        Violation::new("reason", "text.too_long").with("max", MAX_NOTE)
    });
    checks.check(!d.key.value.trim().is_empty(), || Violation::new("key.value", "text.required"));
}

/// An analyst confirms a series as it stands: the members and the links
/// it holds are kept in the act (`Assigned::confirmed`), so its page can
/// say later what changed since. Filed under [`confirmation_subject`] of
/// each record confirmed, so the series finds it from any of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmSeries {
    pub unit: UnitCode,
    pub series: Uuid,
    pub note: String,
}

/// An analyst splits a series by cutting the link one identifier makes:
/// the key is excluded from linking (as `DecideLinking` with `excluded`
/// would), named as a split of that series and refused unless the key
/// alone holds two of its parts together. Filed under the key
/// ([`linking_subject`]), among its other decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SplitSeries {
    pub unit: UnitCode,
    pub series: Uuid,
    pub key: IdentifierKey,
    pub reason: String,
}

/// What a confirmation confirmed: the series' records and the keys that
/// linked them, read by the service when the act was recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Confirmed {
    pub members: Vec<Uuid>,
    pub links: Vec<IdentifierKey>,
}

/// What changed in a series since it was confirmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SinceConfirmed {
    pub joined: Vec<Uuid>,
    pub left: Vec<Uuid>,
    pub links_added: Vec<IdentifierKey>,
    pub links_gone: Vec<IdentifierKey>,
}

impl SinceConfirmed {
    pub fn is_empty(&self) -> bool {
        self.joined.is_empty() && self.left.is_empty() && self.links_added.is_empty() && self.links_gone.is_empty()
    }
}

impl Confirmed {
    /// The records and links the series holds now that it did not when
    /// confirmed, and those it no longer holds.
    pub fn since(&self, members: &BTreeSet<Uuid>, links: &BTreeSet<IdentifierKey>) -> SinceConfirmed {
        let then: BTreeSet<Uuid> = self.members.iter().copied().collect();
        let linked: BTreeSet<&IdentifierKey> = self.links.iter().collect();
        SinceConfirmed {
            joined: members.difference(&then).copied().collect(),
            left: then.difference(members).copied().collect(),
            links_added: links.iter().filter(|k| !linked.contains(k)).cloned().collect(),
            links_gone: self.links.iter().filter(|k| !links.contains(k)).cloned().collect(),
        }
    }
}

pub(crate) fn check_confirm(c: &ConfirmSeries, checks: &mut Checks) {
    check_text("note", &c.note, checks);
}

pub(crate) fn check_split(s: &SplitSeries, checks: &mut Checks) {
    check_text("reason", &s.reason, checks);
    checks.check(!s.key.value.trim().is_empty(), || Violation::new("key.value", "text.required"));
}

fn check_text(field: &str, text: &str, checks: &mut Checks) {
    checks.check(!text.trim().is_empty(), || Violation::new(field, "text.required"));
    checks.check(text.chars().count() <= MAX_NOTE, || Violation::new(field, "text.too_long").with("max", MAX_NOTE));
}

/// The checks of a confirmation or a split against the series as it
/// stands (its records, none when no series has that id) and, for a split,
/// its weak keys: a split must cut a link that alone holds two parts.
pub fn check_against_series(
    members: &BTreeSet<Uuid>,
    split: Option<(&IdentifierKey, &BTreeSet<IdentifierKey>)>,
) -> Result<(), Violation> {
    if members.is_empty() {
        return Err(Violation::new("series", "series.unknown"));
    }
    match split {
        Some((key, weak)) if !weak.contains(key) => Err(Violation::new("key", "series.split_nothing")),
        _ => Ok(()),
    }
}

/// The id the journal files a series' confirmations under, one per record
/// confirmed: a hash of the record's id, apart from the record's own
/// history.
pub fn confirmation_subject(series: Uuid) -> Uuid {
    let digest = Sha256::new().chain_update(b"series\0").chain_update(series.as_bytes()).finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// A unit marks its alert on a series seen (docs/identifiers.md, "Alerts"):
/// an act, so who saw it and when is in the unit's journal, and the alert
/// leaves the unit's queue for good; the series keeps alerting the units
/// that have not acknowledged it, and a series it merges into alerts anew.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeSeriesAlert {
    /// The unit whose alert it is, whose journal the act goes into.
    pub unit: UnitCode,
    /// The series' id as the alert names it.
    pub series: Uuid,
}

/// The id the journal files a unit's acknowledgement of its alert on a
/// series under: a hash of the unit and the series' id.
pub fn alert_subject(unit: &UnitCode, series: Uuid) -> Uuid {
    let digest = Sha256::new()
        .chain_update(b"alert\0")
        .chain_update(unit.as_str())
        .chain_update(b"\0")
        .chain_update(series.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The id the journal files the decisions on one key under: a hash of the
/// kind and key, the same on every installation, no record's id.
pub fn linking_subject(key: &IdentifierKey) -> Uuid {
    let digest = Sha256::new()
        .chain_update(b"linking\0")
        .chain_update(key.kind.code())
        .chain_update(b"\0")
        .chain_update(&key.value)
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// A record holding a key (through itself or one of its persons).
pub type Holding = (Uuid, IdentifierKey);

/// A series is named by its smallest record id: record ids are
/// time-ordered to the millisecond, so it is its earliest record (of those
/// created in one millisecond, any). The name follows from the members
/// alone, so a rebuild of the projection names every series as before; a
/// series whose earliest record leaves it takes the next one's id.
pub fn series_id(members: &BTreeSet<Uuid>) -> Option<Uuid> {
    members.first().copied()
}

/// The keys held, each with its records (deduplicated, in order).
pub fn holders_by_key(holdings: &[Holding]) -> BTreeMap<&IdentifierKey, BTreeSet<Uuid>> {
    let mut by_key: BTreeMap<&IdentifierKey, BTreeSet<Uuid>> = BTreeMap::new();
    for (record, key) in holdings {
        by_key.entry(key).or_default().insert(*record);
    }
    by_key
}

/// The connected components of the records over the keys that link (of
/// two records or more: a record linked to nothing is in no series), each
/// sorted, ordered by their series' id.
pub fn components(holdings: &[Holding], links: impl Fn(&IdentifierKey) -> bool) -> Vec<BTreeSet<Uuid>> {
    let by_key = holders_by_key(holdings);
    let mut sets = DisjointSets::default();
    for (key, records) in &by_key {
        if !links(key) {
            continue;
        }
        let mut each = records.iter();
        if let Some(first) = each.next() {
            for other in each {
                sets.union(*first, *other);
            }
        }
    }
    let mut groups: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    for record in sets.members() {
        let root = sets.find(record);
        groups.entry(root).or_default().insert(record);
    }
    let mut found: Vec<BTreeSet<Uuid>> = groups.into_values().filter(|g| g.len() > 1).collect();
    found.sort_by_key(series_id);
    found
}

/// The keys that alone hold a series together: without one of them (its
/// links gone, the others kept) the series' records fall into two parts or
/// more. `holdings` are the series' own; the cost is a recount of the
/// series per linking key, which a series' size bounds.
pub fn weak_keys(holdings: &[Holding], links: impl Fn(&IdentifierKey) -> bool) -> BTreeSet<IdentifierKey> {
    let whole = components(holdings, &links);
    let linking: BTreeSet<&IdentifierKey> =
        holders_by_key(holdings).into_iter().filter(|(k, r)| r.len() > 1 && links(k)).map(|(k, _)| k).collect();
    linking
        .into_iter()
        .filter(|candidate| {
            let without = components(holdings, |k| k != *candidate && links(k));
            splits(&whole, &without)
        })
        .cloned()
        .collect()
}

/// Whether some component of `whole` is not a component of `parts`.
fn splits(whole: &[BTreeSet<Uuid>], parts: &[BTreeSet<Uuid>]) -> bool {
    whole.iter().any(|w| !parts.contains(w))
}

/// Union-find over record ids, with path halving and union by size.
#[derive(Debug, Default)]
struct DisjointSets {
    parent: BTreeMap<Uuid, Uuid>,
    size: BTreeMap<Uuid, usize>,
}

impl DisjointSets {
    fn find(&mut self, x: Uuid) -> Uuid {
        let mut x = *self.parent.entry(x).or_insert(x);
        loop {
            let p = self.parent[&x];
            if p == x {
                return x;
            }
            let grand = self.parent[&p];
            self.parent.insert(x, grand);
            x = grand;
        }
    }

    fn union(&mut self, a: Uuid, b: Uuid) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let (sa, sb) = (self.size.get(&ra).copied().unwrap_or(1), self.size.get(&rb).copied().unwrap_or(1));
        let (big, small) = if sa >= sb { (ra, rb) } else { (rb, ra) };
        self.parent.insert(small, big);
        self.size.insert(big, sa + sb);
    }

    fn members(&self) -> Vec<Uuid> {
        self.parent.keys().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifier::IdentifierKind;

    fn key(v: &str) -> IdentifierKey {
        IdentifierKey { kind: IdentifierKind::Phone, value: v.into() }
    }

    fn r(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn records_sharing_keys_form_components_named_by_their_earliest_record() {
        let h = vec![(r(3), key("a")), (r(2), key("a")), (r(2), key("b")), (r(5), key("b")), (r(9), key("c"))];
        let found = components(&h, |_| true);
        assert_eq!(found, vec![BTreeSet::from([r(2), r(3), r(5)])]);
        assert_eq!(series_id(&found[0]), Some(r(2)));
    }

    #[test]
    fn a_key_that_does_not_link_joins_nothing() {
        let h = vec![(r(1), key("a")), (r(2), key("a")), (r(2), key("b")), (r(3), key("b"))];
        let found = components(&h, |k| k != &key("b"));
        assert_eq!(found, vec![BTreeSet::from([r(1), r(2)])]);
    }

    #[test]
    fn a_bridge_is_weak_and_a_key_doubled_by_another_is_not() {
        // 1 -a- 2 -b- 3, and 2 -c- 3 doubles b; d alone bridges 3 to 4.
        let h = vec![
            (r(1), key("a")),
            (r(2), key("a")),
            (r(2), key("b")),
            (r(3), key("b")),
            (r(2), key("c")),
            (r(3), key("c")),
            (r(3), key("d")),
            (r(4), key("d")),
        ];
        assert_eq!(weak_keys(&h, |_| true), BTreeSet::from([key("a"), key("d")]));
    }

    #[test]
    fn a_key_three_records_hold_is_weak_only_if_nothing_else_joins_them() {
        let h = vec![(r(1), key("a")), (r(2), key("a")), (r(3), key("a")), (r(1), key("b")), (r(2), key("b"))];
        // Without a, record 3 falls away: a is weak; b is doubled by a.
        assert_eq!(weak_keys(&h, |_| true), BTreeSet::from([key("a")]));
    }

    #[test]
    fn an_analysts_decision_overrides_the_threshold_both_ways() {
        let rules = SeriesRules { hub_threshold: 3 };
        assert!(rules.links(3, None) && rules.links(3, Some(Linking::ByRules)));
        assert!(!rules.links(3, Some(Linking::Excluded)), "an excluded key links nothing");
        assert!(!rules.links(4, None), "a hub links nothing");
        assert!(rules.links(4, Some(Linking::Always)), "unless the analyst says so");
    }

    #[test]
    fn decisions_on_one_key_share_a_subject_and_other_keys_do_not() {
        let email = IdentifierKey { kind: IdentifierKind::Email, value: "a".into() };
        assert_eq!(linking_subject(&key("a")), linking_subject(&key("a")));
        assert_ne!(linking_subject(&key("a")), linking_subject(&key("b")));
        assert_ne!(linking_subject(&key("a")), linking_subject(&email), "the kind is part of the key");
    }

    #[test]
    fn a_decision_names_its_reason() {
        let mut checks = Checks::default();
        let d = DecideLinking {
            unit: UnitCode::parse("MIA").unwrap(),
            key: key("a"),
            linking: Linking::Excluded,
            reason: " ".into(),
        };
        check_decision(&d, &mut checks);
        let found = checks.finish().unwrap_err().0;
        assert_eq!((found[0].field.as_str(), found[0].rule.as_str()), ("reason", "text.required"));
    }

    #[test]
    fn a_confirmation_or_split_of_no_series_is_refused_and_a_split_must_cut_a_weak_link() {
        let none = BTreeSet::new();
        assert_eq!(check_against_series(&none, None).unwrap_err().rule, "series.unknown");
        let members = BTreeSet::from([r(1), r(2), r(3)]);
        let weak = BTreeSet::from([key("a")]);
        assert!(check_against_series(&members, None).is_ok());
        assert!(check_against_series(&members, Some((&key("a"), &weak))).is_ok());
        let doubled = check_against_series(&members, Some((&key("b"), &weak))).unwrap_err();
        assert_eq!((doubled.field.as_str(), doubled.rule.as_str()), ("key", "series.split_nothing"));
    }

    #[test]
    fn what_changed_since_a_confirmation_names_records_and_links_both_ways() {
        let confirmed = Confirmed { members: vec![r(1), r(2), r(3)], links: vec![key("a"), key("b")] };
        let now = BTreeSet::from([r(1), r(2), r(4)]);
        let since = confirmed.since(&now, &BTreeSet::from([key("a"), key("c")]));
        assert_eq!((since.joined, since.left), (vec![r(4)], vec![r(3)]));
        assert_eq!((since.links_added, since.links_gone), (vec![key("c")], vec![key("b")]));
        let same = confirmed.since(&BTreeSet::from([r(1), r(2), r(3)]), &BTreeSet::from([key("a"), key("b")]));
        assert!(same.is_empty());
    }

    #[test]
    fn a_confirmation_names_its_note_and_a_split_its_reason() {
        let mut checks = Checks::default();
        let unit = UnitCode::parse("MIA").unwrap();
        check_confirm(&ConfirmSeries { unit: unit.clone(), series: r(1), note: "".into() }, &mut checks);
        let split = SplitSeries { unit, series: r(1), key: key("a"), reason: "x".repeat(MAX_NOTE + 1) };
        check_split(&split, &mut checks);
        let found = checks.finish().unwrap_err().0;
        let rules: Vec<(&str, &str)> = found.iter().map(|v| (v.field.as_str(), v.rule.as_str())).collect();
        assert_eq!(rules, vec![("note", "text.required"), ("reason", "text.too_long")]);
        assert_ne!(confirmation_subject(r(1)), confirmation_subject(r(2)));
        assert_ne!(confirmation_subject(r(1)), r(1), "not the record's own history");
    }

    #[test]
    fn the_hub_threshold_is_exceeded_not_reached() {
        let rules = SeriesRules { hub_threshold: 3 };
        assert!(!rules.is_hub(3));
        assert!(rules.is_hub(4));
    }
}
