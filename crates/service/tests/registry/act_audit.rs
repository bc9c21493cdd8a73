//! A change and its audit record land in one transaction: a committed act
//! has exactly one record, with its actor and address; an act whose record
//! cannot be written, or whose transaction fails after the record was
//! appended, leaves neither; the trail's chain holds throughout, also under
//! writers crossing units in opposite orders.

use crate::support::{Env, each_backend, new_report, person, unit};
use crimeboard_domain::Command;
use crimeboard_domain::access::{Principal, Role};
use crimeboard_service::audit::{Actor, AuditSearch, Audited};
use crimeboard_service::{ServiceError, Submission};

const ADDR: &str = "10.20.30.40";

/// A duty officer whose units are all of them, so every test's act is theirs.
fn officer() -> Principal {
    person("officer-1", Role::DutyOfficer, "AZ")
}

fn submission(command: Command) -> Submission {
    Submission { actor: "officer-1".into(), legal_ground: "CPC art. 207".into(), command, late: None }
}

fn acts_audited(env: &Env) -> Vec<crimeboard_domain::audit::AuditEntry> {
    let search = AuditSearch { action: Some("act.register_report".into()), per_page: 500, ..Default::default() };
    env.registry.audit_search(&search).unwrap().items
}

/// Makes every write of a table fail, as a full disk or a constraint would.
fn refuse(env: &Env, table: &str, on: &str) {
    if env.db.name == "postgres" {
        env.db
            .tamper("CREATE OR REPLACE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$")
            .unwrap();
        env.db
            .tamper(&format!(
                "CREATE TRIGGER refuse_{table} BEFORE {on} ON {table} FOR EACH ROW EXECUTE FUNCTION refuse()"
            ))
            .unwrap();
    } else {
        env.db
            .tamper(&format!(
                "CREATE TRIGGER refuse_{table} BEFORE {on} ON {table} BEGIN SELECT RAISE(ABORT, 'refused'); END"
            ))
            .unwrap();
    }
}

fn allow(env: &Env, table: &str) {
    let on = if env.db.name == "postgres" { format!(" ON {table}") } else { String::new() };
    env.db.tamper(&format!("DROP TRIGGER refuse_{table}{on}")).unwrap();
}

#[test]
fn a_committed_act_has_exactly_one_audit_record_with_its_actor_and_address() {
    each_backend(|env| {
        let by = Actor::new("officer-1", ADDR);
        let s = submission(Command::RegisterReport(new_report("2024-04-18T08:00:00Z")));
        let receipt = env.registry.record(&officer(), &s, &Audited::EachAct(&by)).unwrap();
        let records = acts_audited(env);
        assert_eq!(records.len(), 1, "on {}", env.db.name);
        let r = &records[0];
        assert_eq!((r.actor.as_str(), r.address.as_str()), ("officer-1", ADDR));
        assert_eq!(r.target, receipt.entity_id.to_string());
        assert_eq!(r.detail, format!("unit=BAK-NSM seq={} position={}", receipt.seq, receipt.position));
        assert_eq!(env.registry.audit_verify().unwrap(), Ok(1));
    });
}

#[test]
fn a_rejected_act_writes_no_audit_record() {
    each_backend(|env| {
        let mut bad = new_report("2024-04-18T08:00:00Z");
        bad.summary = String::new();
        let by = Actor::new("officer-1", ADDR);
        let err = env.registry.record(&officer(), &submission(Command::RegisterReport(bad)), &Audited::EachAct(&by));
        assert!(matches!(err, Err(ServiceError::Rejected(_))), "{err:?}");
        assert!(acts_audited(env).is_empty());
        assert_eq!(env.registry.audit_verify().unwrap(), Ok(0));
    });
}

/// Were the record written after the act's commit, the act would stay
/// recorded with no trace of who recorded it.
#[test]
fn an_act_whose_audit_record_cannot_be_written_is_not_recorded() {
    each_backend(|env| {
        refuse(env, "audit", "INSERT");
        let by = Actor::new("officer-1", ADDR);
        let s = submission(Command::RegisterReport(new_report("2024-04-18T08:00:00Z")));
        assert!(env.registry.record(&officer(), &s, &Audited::EachAct(&by)).is_err(), "on {}", env.db.name);
        assert_eq!(env.registry.store().position().unwrap(), 0, "the act landed without its record on {}", env.db.name);
        allow(env, "audit");
        assert!(acts_audited(env).is_empty());
        // Nothing was half written: the next act gets number 1 and the first record.
        let receipt = env.registry.record(&officer(), &s, &Audited::EachAct(&by)).unwrap();
        assert_eq!(receipt.seq, 1);
        assert_eq!(acts_audited(env).len(), 1);
        assert_eq!(env.registry.audit_verify().unwrap(), Ok(1));
        assert!(env.registry.verify().unwrap().ok());
    });
}

/// The transaction fails at its commit, after the record was appended: the
/// record goes with the act.
#[test]
fn an_act_whose_transaction_fails_after_its_audit_record_leaves_neither() {
    each_backend(|env| {
        // The chain heads are written last, at commit (both backends insert
        // a new unit's head then).
        refuse(env, "chain_heads", "INSERT");
        let by = Actor::new("officer-1", ADDR);
        let s = submission(Command::RegisterReport(new_report("2024-04-18T08:00:00Z")));
        assert!(env.registry.record(&officer(), &s, &Audited::EachAct(&by)).is_err(), "on {}", env.db.name);
        allow(env, "chain_heads");
        assert_eq!(env.registry.store().position().unwrap(), 0);
        assert!(acts_audited(env).is_empty(), "a rolled-back act left its audit record on {}", env.db.name);
        assert_eq!(env.registry.audit_verify().unwrap(), Ok(0));
    });
}

/// Writers that cross units in opposite orders, each batch with its audit
/// records: the trail's head is taken last, so none waits in a circle
/// (and a deadlock, were there one, is retried whole, records included).
#[test]
fn audited_batches_crossing_units_all_land_with_one_record_each() {
    each_backend(|env| {
        let batch = |units: [&str; 2]| -> Vec<Submission> {
            units
                .iter()
                .map(|u| {
                    let mut r = new_report("2024-04-18T08:00:00Z");
                    r.unit = unit(u);
                    submission(Command::RegisterReport(r))
                })
                .collect()
        };
        std::thread::scope(|scope| {
            for (i, order) in [["BAK-NSM", "GNC"], ["GNC", "BAK-NSM"]].into_iter().enumerate() {
                let registry = &env.registry;
                let b = batch(order);
                scope.spawn(move || {
                    let by = Actor::new("officer-1", &format!("10.0.0.{i}"));
                    for _ in 0..25 {
                        registry
                            .record_batch(&officer(), &b, None, &Audited::EachAct(&by))
                            .expect("a batch that lost a deadlock is retried");
                    }
                });
            }
        });
        assert_eq!(env.registry.journal(None, 0, 1000).unwrap().len(), 100);
        assert_eq!(acts_audited(env).len(), 100);
        assert_eq!(env.registry.audit_verify().unwrap(), Ok(100));
        assert!(env.registry.verify().unwrap().ok());
    });
}
