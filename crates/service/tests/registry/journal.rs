use crate::support::*;
use crimeboard_domain::journal::BreakKind;

fn break_of(env: &Env) -> Option<(String, i64, BreakKind)> {
    let v = env.registry.verify().unwrap();
    v.chains.into_iter().find_map(|c| c.result.err().map(|b| (b.unit, b.seq, b.problem)))
}

fn three_acts(env: &Env) {
    for t in ["2024-04-02T08:00:00Z", "2024-04-02T09:00:00Z", "2024-04-02T10:00:00Z"] {
        report(env, t);
    }
}

#[test]
fn an_intact_journal_verifies() {
    each_backend(|env| {
        three_acts(env);
        let v = env.registry.verify().unwrap();
        assert!(v.ok());
        assert_eq!(v.entries(), 3);
    });
}

#[test]
fn verify_names_an_entry_altered_with_raw_sql() {
    each_backend(|env| {
        three_acts(env);
        env.db
            .tamper("UPDATE journal SET payload = replace(payload, 'Leyla', 'Lale') WHERE unit = 'BAK-NSM' AND seq = 2")
            .unwrap();
        assert_eq!(break_of(env), Some(("BAK-NSM".into(), 2, BreakKind::Altered)));
    });
}

#[test]
fn verify_names_a_removed_entry() {
    each_backend(|env| {
        three_acts(env);
        env.db
            .tamper("DELETE FROM act_subjects WHERE position IN (SELECT position FROM journal WHERE seq = 2)")
            .unwrap();
        env.db.tamper("DELETE FROM journal WHERE unit = 'BAK-NSM' AND seq = 2").unwrap();
        assert_eq!(break_of(env), Some(("BAK-NSM".into(), 2, BreakKind::Removed)));
    });
}

#[test]
fn verify_names_a_removed_newest_entry() {
    each_backend(|env| {
        three_acts(env);
        env.db
            .tamper("DELETE FROM act_subjects WHERE position IN (SELECT position FROM journal WHERE seq = 3)")
            .unwrap();
        env.db.tamper("DELETE FROM journal WHERE unit = 'BAK-NSM' AND seq = 3").unwrap();
        assert_eq!(break_of(env), Some(("BAK-NSM".into(), 3, BreakKind::Truncated)));
    });
}

#[test]
fn verify_names_a_reordered_entry() {
    each_backend(|env| {
        three_acts(env);
        // Swap the numbers of entries 2 and 3, as if history had been rearranged.
        env.db.tamper("UPDATE journal SET seq = -2 WHERE unit = 'BAK-NSM' AND seq = 2").unwrap();
        env.db.tamper("UPDATE journal SET seq = 2 WHERE unit = 'BAK-NSM' AND seq = 3").unwrap();
        env.db.tamper("UPDATE journal SET seq = 3 WHERE unit = 'BAK-NSM' AND seq = -2").unwrap();
        let (unit, seq, _) = break_of(env).expect("a break");
        assert_eq!((unit.as_str(), seq), ("BAK-NSM", 2));
    });
}

#[test]
fn each_unit_has_its_own_chain_and_the_journal_keeps_global_order() {
    each_backend(|env| {
        report(env, "2024-04-02T08:00:00Z");
        let mut other = new_report("2024-04-02T09:00:00Z");
        other.unit = unit("GNC");
        let r = ok(env, crimeboard_domain::Command::RegisterReport(other));
        assert_eq!((r.unit.as_str(), r.seq), ("GNC", 1));
        let all = env.registry.journal(None, 0, 100).unwrap();
        assert_eq!(all.len(), 2);
        assert!(all[0].position < all[1].position);
        assert_eq!(env.registry.journal(Some("GNC"), 0, 100).unwrap().len(), 1);
    });
}

#[test]
fn concurrent_batches_over_the_same_units_in_opposite_orders_all_land() {
    each_backend(|env| {
        let batch = |units: [&str; 2]| -> Vec<crimeboard_service::Submission> {
            units
                .iter()
                .map(|u| {
                    let mut r = new_report("2024-04-02T08:00:00Z");
                    r.unit = unit(u);
                    crimeboard_service::Submission {
                        actor: "officer-1".into(),
                        legal_ground: "CPC art. 207".into(),
                        command: crimeboard_domain::Command::RegisterReport(r),
                        late: None,
                    }
                })
                .collect()
        };
        std::thread::scope(|scope| {
            for order in [["BAK-NSM", "GNC"], ["GNC", "BAK-NSM"]] {
                let registry = &env.registry;
                let b = batch(order);
                scope.spawn(move || {
                    for _ in 0..25 {
                        record_all(registry, &b).expect("a batch that lost a deadlock is retried");
                    }
                });
            }
        });
        assert_eq!(env.registry.journal(None, 0, 1000).unwrap().len(), 100);
        assert!(env.registry.verify().unwrap().ok());
        assert!(env.registry.verify_counters().unwrap().is_empty());
    });
}
