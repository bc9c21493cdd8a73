//! Series of linked records (docs/identifiers.md, "Series"): records that
//! hold the same identifier are one series, kept up to date by the acts
//! that attach and remove identifiers and by their annulment, a hub links
//! nothing, and the stored series are always the connected components
//! worked out from nothing.

use crate::support::*;
use chrono::NaiveDate;
use crimeboard_domain::Command;
use crimeboard_domain::act::Annul;
use crimeboard_domain::identifier::{AttachIdentifier, IdentifierKey, RemoveIdentifier, Subject, SubjectKind};
use crimeboard_domain::jurisdiction::Adoption;
use crimeboard_domain::series::{ConfirmSeries, DecideLinking, Linking, SplitSeries};
use crimeboard_service::{Receipt, demo_files, series};
use crimeboard_store::SeriesRow;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

const UNITS: [&str; 2] = ["BAK-NSM", "BAK-YAS"];

/// A report registered in a unit.
fn report_in(env: &Env, unit_code: &str, received_at: &str) -> Uuid {
    let mut r = new_report(received_at);
    r.unit = unit(unit_code);
    ok(env, Command::RegisterReport(r)).entity_id
}

fn attach(env: &Env, record: Uuid, number: &str) -> Receipt {
    ok(
        env,
        Command::AttachIdentifier(AttachIdentifier {
            subject: Subject { kind: SubjectKind::Report, id: record },
            record,
            identifier: phone(number),
            note: None,
        }),
    )
}

fn remove(env: &Env, record: Uuid, number: &str) -> Receipt {
    ok(
        env,
        Command::RemoveIdentifier(RemoveIdentifier {
            subject: Subject { kind: SubjectKind::Report, id: record },
            record,
            key: IdentifierKey::of(&phone(number)),
            reason: "Typed into the wrong report".into(),
        }),
    )
}

/// The stored series as sets of records.
fn stored(env: &Env) -> BTreeSet<BTreeSet<Uuid>> {
    let mut by_series: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    for row in env.registry.store().series_rows().unwrap() {
        by_series.entry(row.series).or_default().insert(row.record);
    }
    by_series.into_values().collect()
}

fn set(records: &[Uuid]) -> BTreeSet<Uuid> {
    records.iter().copied().collect()
}

/// Adopts the demo pack with another hub threshold.
fn adopt_hub_threshold(env: &Env, threshold: usize) {
    let mut files = demo_files();
    let rules = files.0["rules.toml"].replace("hub_threshold = 20", &format!("hub_threshold = {threshold}"));
    assert!(rules.contains(&format!("hub_threshold = {threshold}")));
    files.0.insert("rules.toml".into(), rules);
    let adoption = Adoption { files, effective_from: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap() };
    env.registry.adopt_jurisdiction(&as_system(&env.registry), "Order No. 7", adoption).unwrap();
}

#[test]
fn records_sharing_an_identifier_join_one_series_named_by_its_smallest_record_and_split_when_it_goes() {
    each_backend(|env| {
        let a = report_in(env, "BAK-NSM", "2024-04-02T08:00:00Z");
        let b = report_in(env, "BAK-YAS", "2024-04-03T08:00:00Z");
        let c = report_in(env, "BAK-NSM", "2024-04-04T08:00:00Z");
        attach(env, a, "+994 50 111 11 11");
        assert!(stored(env).is_empty(), "one holder links nothing on {}", env.db.name);
        attach(env, b, "+994 50 111 11 11");
        attach(env, b, "+994 55 222 22 22");
        attach(env, c, "+994 55 222 22 22");
        assert_eq!(stored(env), BTreeSet::from([set(&[a, b, c])]), "on {}", env.db.name);
        // Named by its smallest record id: ids are time-ordered to the millisecond.
        let named = *[a, b, c].iter().min().unwrap();
        let rows = env.registry.store().series_members(named).unwrap();
        let mut units: Vec<(Uuid, &str)> = rows.iter().map(|r| (r.record, r.unit.as_str())).collect();
        units.sort();
        let mut expected = vec![(a, "BAK-NSM"), (b, "BAK-YAS"), (c, "BAK-NSM")];
        expected.sort();
        assert_eq!(units, expected, "named by the smallest record id on {}", env.db.name);
        // The number that joined a to b taken off: a falls out, b and c stay, named by the smaller.
        remove(env, a, "+994 50 111 11 11");
        assert_eq!(stored(env), BTreeSet::from([set(&[b, c])]), "on {}", env.db.name);
        assert_eq!(env.registry.store().series_members(b.min(c)).unwrap().len(), 2);
        if named == a {
            assert!(env.registry.store().series_members(a).unwrap().is_empty(), "no series is named by a any more");
        }
    });
}

#[test]
fn an_annulled_attachment_unlinks_and_an_annulled_removal_links_again() {
    each_backend(|env| {
        let a = report_in(env, "BAK-NSM", "2024-04-02T08:00:00Z");
        let b = report_in(env, "BAK-YAS", "2024-04-03T08:00:00Z");
        attach(env, a, "+994 50 111 11 11");
        let joined = attach(env, b, "+994 50 111 11 11");
        assert_eq!(stored(env), BTreeSet::from([set(&[a, b])]));
        ok(env, Command::Annul(Annul { unit: unit("BAK-YAS"), seq: joined.seq, reason: "Wrong report".into() }));
        assert!(stored(env).is_empty(), "on {}", env.db.name);
        attach(env, b, "+994 50 111 11 11");
        let removed = remove(env, a, "+994 50 111 11 11");
        assert!(stored(env).is_empty());
        ok(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: removed.seq, reason: "Removed by mistake".into() }));
        assert_eq!(stored(env), BTreeSet::from([set(&[a, b])]), "on {}", env.db.name);
    });
}

#[test]
fn a_key_held_by_more_records_than_the_threshold_is_a_hub_and_links_nothing() {
    each_backend(|env| {
        adopt_hub_threshold(env, 3);
        let records: Vec<Uuid> =
            (0..4).map(|i| report_in(env, UNITS[i % 2], &format!("2024-04-0{}T08:00:00Z", i + 2))).collect();
        for r in &records[..3] {
            attach(env, *r, "+994 12 404 04 04");
        }
        assert_eq!(stored(env), BTreeSet::from([set(&records[..3])]), "three holders link on {}", env.db.name);
        let fourth = attach(env, records[3], "+994 12 404 04 04");
        assert!(stored(env).is_empty(), "a fourth makes it a hub on {}", env.db.name);
        ok(env, Command::Annul(Annul { unit: unit("BAK-YAS"), seq: fourth.seq, reason: "Wrong report".into() }));
        assert_eq!(stored(env), BTreeSet::from([set(&records[..3])]), "three again link on {}", env.db.name);
        // A pack with a higher threshold links all four: the series follow the pack adopted.
        attach(env, records[3], "+994 12 404 04 04");
        assert!(stored(env).is_empty());
        adopt_hub_threshold(env, 4);
        assert_eq!(stored(env), BTreeSet::from([set(&records)]), "on {}", env.db.name);
    });
}

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same sequence of acts, so a failure names its seed and step.
struct Steps(u64);

impl Steps {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

/// How many numbers each run draws from.
const NUMBERS: usize = 4;

/// The `n`th number of a run: each run has its own, so runs on one
/// database do not link.
fn number(run: u64, n: usize) -> String {
    format!("+994 50 1{run:02} 00 0{n}")
}

/// After every act of a random sequence of attachments, removals,
/// analysts' decisions (exclusions, inclusions, hubs let link), splits and
/// confirmations of series, and annulments of any of them, over a few records and numbers (small pools,
/// so records collide often, and a hub threshold of 3 that keys cross both
/// ways), the stored series are the connected components worked out from
/// nothing from the identifier index, rows and series' ids alike, and the
/// components a plain flood fill over the acts in force finds.
#[test]
fn stored_series_equal_the_components_recomputed_after_any_sequence_of_acts() {
    let runs: u64 = if std::env::var("CRIMEBOARD_TEST_SQLITE_ONLY").is_ok() { 12 } else { 4 };
    let nonempty_seen = std::cell::Cell::new(0);
    let decisions_seen = std::cell::Cell::new(0);
    let (splits_seen, confirmations_seen) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let linkings = [Linking::Excluded, Linking::ByRules, Linking::Always];
    each_backend(|env| {
        adopt_hub_threshold(env, 3);
        for run in 0..runs {
            let seed = 0x5e71e5 + run;
            let mut steps = Steps(seed);
            let records: Vec<Uuid> = (0..6)
                .map(|i| report_in(env, UNITS[i % 2], &format!("2024-04-0{}T0{}:00:00Z", 2 + i % 5, run % 10)))
                .collect();
            let mut held: BTreeSet<(usize, usize)> = BTreeSet::new();
            // The acts that may be annulled, each with the decision it is, if one.
            let mut acts: Vec<(Receipt, Option<(usize, Linking)>)> = Vec::new();
            for step in 0..30 {
                let (r, n) = (steps.below(records.len()), steps.below(NUMBERS));
                let series_of = |r: usize| env.registry.store().series_of(records[r]).unwrap();
                match steps.below(14) {
                    0..=5 if !held.contains(&(r, n)) => acts.push((attach(env, records[r], &number(run, n)), None)),
                    0..=7 if held.contains(&(r, n)) => acts.push((remove(env, records[r], &number(run, n)), None)),
                    8 | 9 if !acts.is_empty() => {
                        let (act, decision) = acts.remove(steps.below(acts.len()));
                        let annul = Annul { unit: unit(&act.unit), seq: act.seq, reason: "Recorded by mistake".into() };
                        // An annulment the rules refuse (an identifier attached twice) changes nothing.
                        if submit(env, Command::Annul(annul)).is_err() && decision.is_some() {
                            panic!("a decision's annulment is never refused");
                        }
                    }
                    10 | 11 => {
                        let linking = linkings[steps.below(linkings.len())];
                        acts.push((decide(env, &number(run, n), linking), Some((n, linking))));
                        decisions_seen.set(decisions_seen.get() + 1);
                    }
                    // A split of the record's series at the number: recorded when the number
                    // alone holds two parts together, refused (and nothing written) otherwise.
                    12 => {
                        if let Some(id) = series_of(r) {
                            match submit(env, split_command(id, &number(run, n))) {
                                Ok(receipt) => {
                                    acts.push((receipt, Some((n, Linking::Excluded))));
                                    splits_seen.set(splits_seen.get() + 1);
                                }
                                Err(e) => assert!(format!("{e:?}").contains("series.split_nothing"), "{e:?}"),
                            }
                        }
                    }
                    13 => {
                        if let Some(id) = series_of(r) {
                            acts.push((ok(env, confirm_command(id)), None));
                            confirmations_seen.set(confirmations_seen.get() + 1);
                        }
                    }
                    _ => {}
                }
                held = holdings_of(env, run, &records);
                let decided: BTreeMap<usize, Linking> = acts.iter().filter_map(|(_, d)| *d).collect();
                let expected =
                    series::recomputed(env.registry.store().as_ref(), &env.registry.jurisdiction().rules.series)
                        .unwrap();
                let found: Vec<SeriesRow> = env.registry.store().series_rows().unwrap();
                assert_eq!(found, expected, "seed {seed:#x}, step {step}, on {}", env.db.name);
                let this_run: Vec<SeriesRow> = found.iter().filter(|r| records.contains(&r.record)).cloned().collect();
                let flooded = flood_fill(&held, &decided, &records, 3);
                assert_eq!(partition(&this_run), flooded, "seed {seed:#x}, step {step}");
                if !found.is_empty() {
                    nonempty_seen.set(nonempty_seen.get() + 1);
                }
            }
        }
    });
    assert!(nonempty_seen.get() > 0, "the sequences formed series");
    assert!(decisions_seen.get() > 0, "the sequences held decisions");
    assert!(splits_seen.get() > 0 && confirmations_seen.get() > 0, "the sequences held splits and confirmations");
}

/// Which (record, number) pairs the index holds, by their places in the pools.
fn holdings_of(env: &Env, run: u64, records: &[Uuid]) -> BTreeSet<(usize, usize)> {
    let keys: Vec<IdentifierKey> = (0..NUMBERS).map(|n| IdentifierKey::of(&phone(&number(run, n)))).collect();
    env.registry
        .store()
        .holdings()
        .unwrap()
        .into_iter()
        .filter_map(|h| Some((records.iter().position(|r| *r == h.record)?, keys.iter().position(|k| *k == h.key)?)))
        .collect()
}

fn partition(rows: &[SeriesRow]) -> BTreeSet<BTreeSet<Uuid>> {
    let mut by_series: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    for row in rows {
        by_series.entry(row.series).or_default().insert(row.record);
    }
    for (id, members) in &by_series {
        assert_eq!(members.first(), Some(id), "a series is named by its earliest record");
    }
    by_series.into_values().collect()
}

/// The components of (record, number) pairs by flooding from each record,
/// written apart from the crate's union-find: a number held by more than
/// `threshold` records links nothing, unless decided otherwise (the last
/// decision in force on each number).
fn flood_fill(
    held: &BTreeSet<(usize, usize)>,
    decided: &BTreeMap<usize, Linking>,
    records: &[Uuid],
    threshold: usize,
) -> BTreeSet<BTreeSet<Uuid>> {
    let holders = |n: usize| held.iter().filter(move |(_, m)| *m == n).map(|(r, _)| *r);
    let linking = |n: usize| match decided.get(&n) {
        Some(Linking::Excluded) => false,
        Some(Linking::Always) => true,
        Some(Linking::ByRules) | None => holders(n).count() <= threshold,
    };
    let mut left: BTreeSet<usize> = held.iter().map(|(r, _)| *r).collect();
    let mut found = BTreeSet::new();
    while let Some(first) = left.pop_first() {
        let mut part = BTreeSet::from([first]);
        let mut next = vec![first];
        while let Some(r) = next.pop() {
            for (_, n) in held.iter().filter(|(h, _)| *h == r) {
                for other in holders(*n).filter(|_| linking(*n)) {
                    if part.insert(other) {
                        left.remove(&other);
                        next.push(other);
                    }
                }
            }
        }
        if part.len() > 1 {
            found.insert(part.into_iter().map(|r| records[r]).collect());
        }
    }
    found
}

#[test]
fn a_series_read_shows_its_links_with_reasons_weak_links_and_hubs_within_the_askers_scope() {
    each_backend(|env| {
        adopt_hub_threshold(env, 3);
        let a = report_in(env, "BAK-NSM", "2024-04-02T08:00:00Z");
        let b = report_in(env, "BAK-YAS", "2024-04-03T08:00:00Z");
        let c = report_in(env, "BAK-NSM", "2024-04-04T08:00:00Z");
        let (x, y, z, hub) = ("+994 50 111 11 11", "+994 55 222 22 22", "+994 70 333 33 33", "+994 12 404 04 04");
        attach(env, a, x);
        attach(env, b, x);
        for r in [b, c] {
            attach(env, r, y);
            attach(env, r, z);
        }
        attach(env, a, hub);
        for i in 0..3 {
            let other = report_in(env, "BAK-YAS", &format!("2024-04-0{}T09:00:00Z", i + 5));
            attach(env, other, hub);
        }
        let id = *[a, b, c].iter().min().unwrap();
        let nasimi = person("investigator", crimeboard_domain::access::Role::Investigator, "BAK-NSM");
        let view = env.registry.series(&nasimi, id).unwrap();
        let visible: BTreeSet<Uuid> = view.visible.iter().map(|m| m.record).collect();
        assert_eq!(visible, set(&[a, c]), "the asker's unit's records on {}", env.db.name);
        let elsewhere: Vec<(&str, usize)> = view.elsewhere.iter().map(|e| (e.unit.as_str(), e.count)).collect();
        assert_eq!(elsewhere, vec![("BAK-YAS", 1)], "of another unit only how many");
        let links: BTreeMap<String, bool> = view.links.iter().map(|l| (l.display.clone(), l.weak)).collect();
        let display = |n: &str| phone(n).display().to_string();
        assert_eq!(
            links,
            BTreeMap::from([(display(x), true), (display(y), false), (display(z), false)]),
            "x alone holds a to the rest; y and z double each other"
        );
        let x_link = view.links.iter().find(|l| l.display == display(x)).unwrap();
        let a_end = x_link.ends.iter().find(|e| e.record == Some(a)).unwrap();
        assert_eq!(a_end.attached_by.as_deref(), Some("tests"), "the login that recorded it");
        assert!(a_end.attached_at.is_some(), "when it was attached");
        let b_end = x_link.ends.iter().find(|e| e.unit.as_str() == "BAK-YAS").unwrap();
        assert_eq!(
            (b_end.record, &b_end.number, &b_end.attached_by),
            (None, &None, &None),
            "another unit's end is its unit only"
        );
        let hubs: Vec<(String, usize)> = view.hubs.iter().map(|h| (h.display.clone(), h.holders)).collect();
        assert_eq!(hubs, vec![(display(hub), 4)], "the hub a holds, which links nothing");
        // Of the Yasamal investigator, the link c and b share is seen, a's is too (b holds it).
        let yasamal = person("investigator", crimeboard_domain::access::Role::Investigator, "BAK-YAS");
        let theirs = env.registry.series(&yasamal, id).unwrap();
        assert_eq!(theirs.visible.iter().map(|m| m.record).collect::<Vec<_>>(), vec![b]);
        assert!(theirs.hubs.is_empty(), "b holds no hub");
        assert!(matches!(env.registry.series(&nasimi, Uuid::nil()), Err(crimeboard_service::ServiceError::NotFound)));
    });
}

fn decide(env: &Env, number: &str, linking: Linking) -> Receipt {
    let by = person("analyst", crimeboard_domain::access::Role::HqAnalyst, "MIA");
    let command = Command::DecideLinking(DecideLinking {
        unit: unit("MIA"),
        key: IdentifierKey::of(&phone(number)),
        linking,
        reason: "Seen in the records".into(),
    });
    let s = crimeboard_service::Submission {
        actor: "analyst".into(),
        legal_ground: "Order 12".into(),
        command,
        late: None,
    };
    env.registry
        .record(&by, &s, &crimeboard_service::audit::Audited::No)
        .unwrap_or_else(|e| panic!("{e} on {}", env.db.name))
}

#[test]
fn an_excluded_identifier_splits_its_series_until_included_and_a_hub_let_link_joins_its_holders() {
    each_backend(|env| {
        adopt_hub_threshold(env, 3);
        let r: Vec<Uuid> =
            (0..5).map(|i| report_in(env, UNITS[i % 2], &format!("2024-04-0{}T08:00:00Z", i + 2))).collect();
        let (x, y, hub) = ("+994 50 111 11 11", "+994 55 222 22 22", "+994 12 404 04 04");
        attach(env, r[0], x);
        attach(env, r[1], x);
        attach(env, r[1], y);
        attach(env, r[2], y);
        assert_eq!(stored(env), BTreeSet::from([set(&r[..3])]));
        // Splitting the series is excluding the key that joins its parts.
        let excluded = decide(env, y, Linking::Excluded);
        assert_eq!(excluded.act, "decide_linking");
        assert_eq!(stored(env), BTreeSet::from([set(&r[..2])]), "r2 falls out on {}", env.db.name);
        // An identifier attached after the exclusion links nothing either.
        attach(env, r[3], y);
        assert_eq!(stored(env), BTreeSet::from([set(&r[..2])]));
        decide(env, y, Linking::ByRules);
        assert_eq!(stored(env), BTreeSet::from([set(&r[..4])]), "included again on {}", env.db.name);
        // A hub links nothing until an analyst lets it.
        for h in [0, 2, 3, 4] {
            attach(env, r[h], hub);
        }
        assert_eq!(stored(env), BTreeSet::from([set(&r[..4])]), "r4 holds only the hub");
        let let_link = decide(env, hub, Linking::Always);
        assert_eq!(stored(env), BTreeSet::from([set(&r)]), "the hub links on {}", env.db.name);
        let id = *r.iter().min().unwrap();
        let analyst = person("investigator", crimeboard_domain::access::Role::Investigator, "BAK-NSM");
        let view = env.registry.series(&analyst, id).unwrap();
        assert_eq!(view.hubs.iter().map(|h| h.decided).collect::<Vec<_>>(), vec![Some(Linking::Always)]);
        // The decision annulled, the hub links nothing again; the exclusion's
        // annulment leaves the inclusion after it in force.
        ok(env, Command::Annul(Annul { unit: unit("MIA"), seq: let_link.seq, reason: "Too hasty".into() }));
        assert_eq!(stored(env), BTreeSet::from([set(&r[..4])]), "on {}", env.db.name);
        ok(env, Command::Annul(Annul { unit: unit("MIA"), seq: excluded.seq, reason: "Wrong key".into() }));
        assert_eq!(stored(env), BTreeSet::from([set(&r[..4])]), "on {}", env.db.name);
        assert_eq!(
            env.registry.store().series_rows().unwrap(),
            series::recomputed(env.registry.store().as_ref(), &env.registry.jurisdiction().rules.series).unwrap()
        );
    });
}

#[test]
fn a_decision_names_its_reason_and_is_the_analysts_in_their_own_unit() {
    each_backend(|env| {
        let key = IdentifierKey::of(&phone("+994 50 111 11 11"));
        let blank = Command::DecideLinking(DecideLinking {
            unit: unit("MIA"),
            key: key.clone(),
            linking: Linking::Excluded,
            reason: "  ".into(),
        });
        assert_rule(&rejected(env, blank), "reason", "text.required");
        let investigator = person("investigator", crimeboard_domain::access::Role::Investigator, "BAK-NSM");
        let command = Command::DecideLinking(DecideLinking {
            unit: unit("BAK-NSM"),
            key,
            linking: Linking::Excluded,
            reason: "A bank's hotline".into(),
        });
        let s = crimeboard_service::Submission { actor: "i".into(), legal_ground: "x".into(), command, late: None };
        let refused = env.registry.record(&investigator, &s, &crimeboard_service::audit::Audited::No);
        assert!(
            matches!(refused, Err(crimeboard_service::ServiceError::Denied(crimeboard_domain::access::Denied::Role))),
            "an investigator decides no linking: {refused:?}"
        );
    });
}

/// An alert as the tests compare it: the series, the unit's own records,
/// and the other units with their counts.
type Alert = (Uuid, usize, Vec<(String, usize)>);

fn alerts(env: &Env, unit_code: &str) -> Vec<Alert> {
    let chief = person("chief", crimeboard_domain::access::Role::UnitChief, unit_code);
    let found = env.registry.series_alerts(&chief, &unit(unit_code)).unwrap();
    found
        .into_iter()
        .map(|a| (a.series, a.own, a.elsewhere.iter().map(|e| (e.unit.to_string(), e.count)).collect()))
        .collect()
}

#[test]
fn a_series_spanning_two_units_alerts_both_once_and_a_units_own_series_alerts_nobody() {
    each_backend(|env| {
        let a = report_in(env, "BAK-NSM", "2024-04-02T08:00:00Z");
        let b = report_in(env, "BAK-NSM", "2024-04-03T08:00:00Z");
        let c = report_in(env, "BAK-YAS", "2024-04-04T08:00:00Z");
        let d = report_in(env, "BAK-YAS", "2024-04-05T08:00:00Z");
        let (x, y) = ("+994 50 111 11 11", "+994 55 222 22 22");
        attach(env, a, x);
        attach(env, b, x);
        assert!(alerts(env, "BAK-NSM").is_empty(), "a unit's own series alerts nobody on {}", env.db.name);
        let id = a.min(b);
        attach(env, c, x);
        assert_eq!(
            alerts(env, "BAK-NSM"),
            vec![(id.min(c), 2, vec![("BAK-YAS".to_string(), 1)])],
            "on {}",
            env.db.name
        );
        assert_eq!(alerts(env, "BAK-YAS"), vec![(id.min(c), 1, vec![("BAK-NSM".to_string(), 2)])]);
        // Another of Yasamal's records joining the same series raises nothing new.
        attach(env, c, y);
        attach(env, d, y);
        assert_eq!(alerts(env, "BAK-NSM").len(), 1, "once, on {}", env.db.name);
        assert_eq!(alerts(env, "BAK-YAS"), vec![(id.min(c), 2, vec![("BAK-NSM".to_string(), 2)])]);
        // A unit that reads nothing there has no queue to read.
        let outsider = person("chief", crimeboard_domain::access::Role::UnitChief, "BAK-SAB");
        assert!(env.registry.series_alerts(&outsider, &unit("BAK-NSM")).is_err());
    });
}

/// A database that held identifiers before the series table existed gets
/// its series from the index when the migration is applied and the
/// registry opens it.
#[test]
fn a_database_with_identifiers_gets_its_series_when_the_table_is_new() {
    each_backend(|env| {
        let Some(path) = env.db.sqlite_path() else { return };
        let a = report_in(env, "BAK-NSM", "2024-04-02T08:00:00Z");
        let b = report_in(env, "BAK-YAS", "2024-04-03T08:00:00Z");
        attach(env, a, "+994 50 111 11 11");
        attach(env, b, "+994 50 111 11 11");
        // The database as it stood before the migration.
        for sql in [
            "DROP TABLE series",
            "DROP TABLE linking",
            "DROP TABLE series_alerts",
            "DROP INDEX identifiers_by_record",
            "DELETE FROM schema_migrations WHERE name = '0020_series'",
        ] {
            env.db.tamper(sql).unwrap();
        }
        let store = crimeboard_store::open(path.to_str().unwrap()).unwrap();
        assert_eq!(store.migrations_applied(), ["0020_series"]);
        let clock = std::sync::Arc::new(|| at(NOW));
        let registry = crimeboard_service::Registry::new(store.clone(), clock).unwrap();
        let members: BTreeSet<Uuid> = registry.store().series_rows().unwrap().into_iter().map(|r| r.record).collect();
        assert_eq!(members, set(&[a, b]));
        let chief = person("chief", crimeboard_domain::access::Role::UnitChief, "BAK-NSM");
        assert_eq!(registry.series_alerts(&chief, &unit("BAK-NSM")).unwrap().len(), 1, "and its alerts");
    });
}

fn confirm_command(series: Uuid) -> Command {
    Command::ConfirmSeries(ConfirmSeries { unit: unit("MIA"), series, note: "One ring, seen in the calls".into() })
}

fn split_command(series: Uuid, number: &str) -> Command {
    Command::SplitSeries(SplitSeries {
        unit: unit("MIA"),
        series,
        key: IdentifierKey::of(&phone(number)),
        reason: "A shared landlord's number, not the ring's".into(),
    })
}

/// Records an act as the headquarters' analyst.
fn as_analyst(env: &Env, command: Command) -> Result<Receipt, crimeboard_service::ServiceError> {
    let by = person("analyst", crimeboard_domain::access::Role::HqAnalyst, "MIA");
    let s = crimeboard_service::Submission {
        actor: "analyst".into(),
        legal_ground: "Order 12".into(),
        command,
        late: None,
    };
    env.registry.record(&by, &s, &crimeboard_service::audit::Audited::No)
}

fn numbers(ends: &[crimeboard_service::series::LinkEnd]) -> Vec<Option<Uuid>> {
    ends.iter().map(|e| e.record).collect()
}

#[test]
fn a_confirmed_series_says_who_confirmed_it_what_changed_since_and_keeps_it_when_its_id_moves() {
    each_backend(|env| {
        let r: Vec<Uuid> =
            (0..4).map(|i| report_in(env, UNITS[i % 2], &format!("2024-04-0{}T08:00:00Z", i + 2))).collect();
        let (x, y) = ("+994 50 111 11 11", "+994 55 222 22 22");
        attach(env, r[0], x);
        attach(env, r[1], x);
        // Nasimi's investigator reads r0 and r2, Yasamal's records by unit only.
        let reader = person("investigator", crimeboard_domain::access::Role::Investigator, "BAK-NSM");
        assert!(env.registry.series(&reader, r[0]).unwrap().confirmation.is_none(), "not confirmed yet");
        let first = r[0].min(r[1]);
        let confirmed = as_analyst(env, confirm_command(first)).unwrap_or_else(|e| panic!("{e} on {}", env.db.name));
        assert_eq!(confirmed.act, "confirm_series");
        let view = env.registry.series(&reader, r[0]).unwrap();
        let c = view.confirmation.expect("confirmed");
        assert_eq!((c.by.as_str(), c.note.as_str(), c.series), ("analyst", "One ring, seen in the calls", first));
        assert!(c.joined.is_empty() && c.left.is_empty() && c.links_added == 0, "nothing changed yet");
        // A record joins through another number: the page says so.
        attach(env, r[1], y);
        attach(env, r[2], y);
        let c = env.registry.series(&reader, r[0]).unwrap().confirmation.unwrap();
        assert_eq!((numbers(&c.joined), c.links_added), (vec![Some(r[2])], 1), "on {}", env.db.name);
        // A record leaves (the earliest, when r0 is): the series is still confirmed, under whatever id it has.
        remove(env, r[0], x);
        let now = r[1].min(r[2]);
        assert_eq!(env.registry.store().series_of(r[1]).unwrap(), Some(now));
        let c = env.registry.series(&reader, now).unwrap().confirmation.expect("kept under its other records");
        assert_eq!((numbers(&c.left), numbers(&c.joined)), (vec![Some(r[0])], vec![Some(r[2])]));
        // Two series merging: the id the later one had leads to the series holding it now.
        attach(env, r[3], "+994 70 333 33 33");
        attach(env, r[0], "+994 70 333 33 33");
        let other = r[0].min(r[3]);
        attach(env, r[0], y);
        let merged = *r.iter().min().unwrap();
        let retired = if merged == now { other } else { now };
        assert_eq!(env.registry.series_now_holding(&reader, retired).unwrap(), Some(merged), "on {}", env.db.name);
        assert_eq!(env.registry.series_now_holding(&reader, merged).unwrap(), None, "its own id retires nothing");
        // The confirmation's annulment leaves the series unconfirmed.
        ok(env, Command::Annul(Annul { unit: unit("MIA"), seq: confirmed.seq, reason: "Too early".into() }));
        assert!(env.registry.series(&reader, merged).unwrap().confirmation.is_none(), "on {}", env.db.name);
    });
}

#[test]
fn a_split_cuts_the_one_link_between_two_parts_and_is_refused_where_it_would_split_nothing() {
    each_backend(|env| {
        let r: Vec<Uuid> =
            (0..3).map(|i| report_in(env, UNITS[i % 2], &format!("2024-04-0{}T08:00:00Z", i + 2))).collect();
        let (x, y, z) = ("+994 50 111 11 11", "+994 55 222 22 22", "+994 70 333 33 33");
        attach(env, r[0], x);
        attach(env, r[1], x);
        attach(env, r[0], z);
        attach(env, r[1], z);
        attach(env, r[1], y);
        attach(env, r[2], y);
        let id = *r.iter().min().unwrap();
        // x is doubled by z: cutting it splits nothing.
        assert_rule(&rejected(env, split_command(id, x)), "key", "series.split_nothing");
        assert_rule(&rejected(env, split_command(Uuid::nil(), y)), "series", "series.unknown");
        let not_first = *r.iter().max().unwrap();
        assert_rule(&rejected(env, confirm_command(not_first)), "series", "series.unknown");
        let investigator = person("investigator", crimeboard_domain::access::Role::Investigator, "BAK-NSM");
        let s = crimeboard_service::Submission {
            actor: "i".into(),
            legal_ground: "x".into(),
            command: split_command(id, y),
            late: None,
        };
        let refused = env.registry.record(&investigator, &s, &crimeboard_service::audit::Audited::No);
        assert!(matches!(refused, Err(crimeboard_service::ServiceError::Denied(_))), "{refused:?}");
        let split = as_analyst(env, split_command(id, y)).unwrap_or_else(|e| panic!("{e} on {}", env.db.name));
        assert_eq!(split.act, "split_series");
        assert_eq!(stored(env), BTreeSet::from([set(&r[..2])]), "r2 split off on {}", env.db.name);
        let decided: Vec<(IdentifierKey, Linking)> = env.registry.store().linkings().unwrap();
        assert_eq!(decided, vec![(IdentifierKey::of(&phone(y)), Linking::Excluded)], "a split is an exclusion");
        // Annulled, the link holds again.
        ok(env, Command::Annul(Annul { unit: unit("MIA"), seq: split.seq, reason: "Wrong number".into() }));
        assert_eq!(stored(env), BTreeSet::from([set(&r)]), "on {}", env.db.name);
        assert!(env.registry.store().linkings().unwrap().is_empty());
    });
}

/// The ids of the series the list shows, in its order.
fn listed(env: &Env, by: &crimeboard_domain::access::Principal, filter: &series::SeriesFilter) -> Vec<Uuid> {
    env.registry.series_list(by, filter, 1, 50).unwrap().items.into_iter().map(|s| s.id).collect()
}

#[test]
fn the_list_of_series_puts_those_across_units_first_and_narrows_by_unit_size_confirmation_hub_and_weak_link() {
    each_backend(|env| {
        adopt_hub_threshold(env, 3);
        // s1: two Nasimi records; s2: Nasimi, Yasamal and Yasamal, one weak link, a hub held.
        let r: Vec<Uuid> = ["BAK-NSM", "BAK-NSM", "BAK-NSM", "BAK-YAS", "BAK-YAS"]
            .iter()
            .enumerate()
            .map(|(i, u)| report_in(env, u, &format!("2024-04-0{}T08:00:00Z", i + 2)))
            .collect();
        let (x, y, z, hub) = ("+994 50 111 11 11", "+994 55 222 22 22", "+994 70 333 33 33", "+994 12 404 04 04");
        attach(env, r[0], x);
        attach(env, r[1], x);
        attach(env, r[2], y);
        attach(env, r[3], y);
        attach(env, r[3], z);
        attach(env, r[4], z);
        for i in 0..4 {
            let other = report_in(env, "BAK-SAB", &format!("2024-04-1{i}T08:00:00Z"));
            if i == 0 {
                attach(env, r[2], hub);
            }
            attach(env, other, hub);
        }
        let (s1, s2) = (r[0].min(r[1]), r[2].min(r[3]).min(r[4]));
        let analyst = person("analyst", crimeboard_domain::access::Role::HqAnalyst, "MIA");
        let all = series::SeriesFilter::default();
        let page = env.registry.series_list(&analyst, &all, 1, 50).unwrap();
        assert_eq!(page.items.iter().map(|s| s.id).collect::<Vec<_>>(), vec![s2, s1], "across units first");
        assert_eq!(page.total, 2);
        let first = &page.items[0];
        let units: Vec<(&str, usize)> = first.units.iter().map(|e| (e.unit.as_str(), e.count)).collect();
        assert_eq!((first.size, units), (3, vec![("BAK-NSM", 1), ("BAK-YAS", 2)]), "on {}", env.db.name);
        assert_eq!((first.hubs, first.weak, first.confirmed), (1, 2, false), "y and z each hold a part alone");
        assert_eq!((page.items[1].hubs, page.items[1].weak), (0, 1));
        let only = |f: series::SeriesFilter| listed(env, &analyst, &f);
        assert_eq!(only(series::SeriesFilter { unit: Some(unit("BAK-YAS")), ..all.clone() }), vec![s2]);
        assert_eq!(only(series::SeriesFilter { min_size: Some(3), ..all.clone() }), vec![s2]);
        assert_eq!(only(series::SeriesFilter { max_size: Some(2), ..all.clone() }), vec![s1]);
        assert_eq!(only(series::SeriesFilter { hub: Some(true), ..all.clone() }), vec![s2]);
        assert_eq!(only(series::SeriesFilter { hub: Some(false), ..all.clone() }), vec![s1]);
        as_analyst(env, confirm_command(s1)).unwrap();
        assert_eq!(only(series::SeriesFilter { confirmed: Some(true), ..all.clone() }), vec![s1], "on {}", env.db.name);
        assert_eq!(only(series::SeriesFilter { confirmed: Some(false), ..all.clone() }), vec![s2]);
        assert!(env.registry.series_list(&analyst, &all, 1, 50).unwrap().items[1].confirmed);
        // Paged: the second page of one a page is the second series.
        let second = env.registry.series_list(&analyst, &all, 2, 1).unwrap();
        assert_eq!((second.items.iter().map(|s| s.id).collect::<Vec<_>>(), second.total), (vec![s1], 2));
        // A reader of Yasamal's records is shown the series holding them only.
        let yasamal = person("investigator", crimeboard_domain::access::Role::Investigator, "BAK-YAS");
        assert_eq!(listed(env, &yasamal, &all), vec![s2]);
    });
}

#[test]
fn an_identifier_states_the_decision_in_force_on_how_it_links_with_who_when_and_why() {
    each_backend(|env| {
        let reader = person("investigator", crimeboard_domain::access::Role::Investigator, "BAK-NSM");
        let number = "+994 50 111 11 11";
        let key = IdentifierKey::of(&phone(number));
        assert_eq!(env.registry.linking_decision(&reader, &key).unwrap(), None, "the rules, undecided");
        decide(env, number, Linking::Excluded);
        let always = decide(env, number, Linking::Always);
        let d = env.registry.linking_decision(&reader, &key).unwrap().expect("decided");
        assert_eq!((d.linking, d.by.as_str(), d.reason.as_str()), (Linking::Always, "analyst", "Seen in the records"));
        ok(env, Command::Annul(Annul { unit: unit("MIA"), seq: always.seq, reason: "Too hasty".into() }));
        let d = env.registry.linking_decision(&reader, &key).unwrap().expect("the one before");
        assert_eq!(d.linking, Linking::Excluded, "the annulled one is not in force on {}", env.db.name);
    });
}

#[test]
fn an_alert_shows_once_per_unit_until_that_unit_acknowledges_it_and_a_new_join_alerts_anew() {
    each_backend(|env| {
        let a = report_in(env, "BAK-NSM", "2024-04-02T08:00:00Z");
        let b = report_in(env, "BAK-YAS", "2024-04-03T08:00:00Z");
        let c = report_in(env, "BAK-SAB", "2024-04-04T08:00:00Z");
        attach(env, a, "+994 50 111 11 11");
        attach(env, b, "+994 50 111 11 11");
        let id = a.min(b);
        let chief = person("chief", crimeboard_domain::access::Role::UnitChief, "BAK-NSM");
        let acknowledge = Command::AcknowledgeSeriesAlert(crimeboard_domain::series::AcknowledgeSeriesAlert {
            unit: unit("BAK-NSM"),
            series: id,
        });
        let s = crimeboard_service::Submission {
            actor: "chief".into(),
            legal_ground: "Order 12".into(),
            command: acknowledge,
            late: None,
        };
        let seen = env.registry.record(&chief, &s, &crimeboard_service::audit::Audited::No).unwrap();
        assert_eq!(seen.act, "acknowledge_series_alert");
        assert!(alerts(env, "BAK-NSM").is_empty(), "acknowledged, gone from Nasimi's queue on {}", env.db.name);
        assert_eq!(alerts(env, "BAK-YAS").len(), 1, "Yasamal's own alert stays until Yasamal acknowledges it");
        // The series growing raises nothing again for Nasimi; a unit joining is alerted once.
        attach(env, c, "+994 50 111 11 11");
        assert!(alerts(env, "BAK-NSM").is_empty(), "on {}", env.db.name);
        assert_eq!(alerts(env, "BAK-SAB").len(), 1);
        // Another unit's chief acknowledges nothing of Nasimi's.
        let sabail = person("chief", crimeboard_domain::access::Role::UnitChief, "BAK-SAB");
        let theirs = crimeboard_service::Submission {
            command: Command::AcknowledgeSeriesAlert(crimeboard_domain::series::AcknowledgeSeriesAlert {
                unit: unit("BAK-YAS"),
                series: id,
            }),
            ..s.clone()
        };
        assert!(env.registry.record(&sabail, &theirs, &crimeboard_service::audit::Audited::No).is_err());
        // Annulled, the acknowledgement no longer hides the alert.
        ok(env, Command::Annul(Annul { unit: unit("BAK-NSM"), seq: seen.seq, reason: "Not yet read".into() }));
        assert_eq!(alerts(env, "BAK-NSM").len(), 1, "on {}", env.db.name);
    });
}
