//! Series of linked records (docs/identifiers.md, "Series"): reports and
//! cases that hold the same identifier are linked, and the connected
//! components of records over those links are the series. Pure: the caller
//! reads who holds which key and says which keys link; this module groups
//! the records, names each series and finds the links that alone hold a
//! series together.

use crate::identifier::IdentifierKey;
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
    fn the_hub_threshold_is_exceeded_not_reached() {
        let rules = SeriesRules { hub_threshold: 3 };
        assert!(!rules.is_hub(3));
        assert!(rules.is_hub(4));
    }
}
