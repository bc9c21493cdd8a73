//! The jurisdiction pack lives in the database: adopted by an act on the
//! journal, read back at every start, counted under from its position on.

use crate::support::*;
use chrono::NaiveDate;
use crimeboard_domain::Command;
use crimeboard_domain::access::{Denied, Role};
use crimeboard_domain::act::Annul;
use crimeboard_domain::jurisdiction::Adoption;
use crimeboard_service::audit::Audited;
use crimeboard_service::{Jurisdiction, PackFiles, Registry, ServiceError, Submission, demo_files};
use crimeboard_stats::Period;
use std::sync::Arc;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/test-pack");

/// The test pack (tests/fixtures/test-pack/README.md): the demo's files
/// with the fixture's own `jurisdiction.toml`, one more indicator and one
/// more unit.
pub fn test_pack() -> PackFiles {
    let fixture = |name: &str| std::fs::read_to_string(format!("{FIXTURE}/{name}")).unwrap();
    let mut files = demo_files();
    files.0.insert("jurisdiction.toml".into(), fixture("jurisdiction.toml"));
    let indicators =
        files.0["indicators.toml"].replacen("version = \"counting-2024.4\"", "version = \"counting-test-1\"", 1);
    files.0.insert("indicators.toml".into(), indicators + "\n" + &fixture("indicators.extra.toml"));
    let units = files.0["units.toml"].clone() + "\n" + &fixture("units.extra.toml");
    files.0.insert("units.toml".into(), units);
    files
}

fn adoption(files: PackFiles) -> Adoption {
    Adoption { files, effective_from: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap() }
}

fn adopt(env: &Env, files: PackFiles) -> crimeboard_service::Adopted {
    let by = as_system(&env.registry);
    env.registry
        .adopt_jurisdiction(&by, "Order No. 1", adoption(files))
        .unwrap_or_else(|e| panic!("adopting on {}: {e}", env.db.name))
}

fn q1() -> Period {
    Period::parse("2024Q1").unwrap()
}

fn figure(report: &crimeboard_stats::board::BoardReport, code: &str) -> Option<i64> {
    report.figure(code).map(|f| f.change.current)
}

#[test]
fn an_adopted_pack_is_in_force_and_read_back_at_the_next_start() {
    each_backend(|env| {
        assert!(env.registry.adoption().unwrap().is_none(), "no pack adopted yet");
        assert_eq!(env.registry.jurisdiction().code, "AZ", "the demo pack before any adoption");
        let adopted = adopt(env, test_pack());
        assert_eq!(adopted.units_added, 1, "the pack's own unit");
        let pack = env.registry.jurisdiction();
        assert_eq!((pack.code.as_str(), pack.institution.en.as_str()), ("XT", "the Testing Police"));
        assert!(env.registry.units().get(&unit("BAK-TST")).is_some(), "the pack's unit is in the tree");
        let (entry, stored) = env.registry.adoption().unwrap().expect("the adoption");
        assert_eq!(
            (entry.kind.as_str(), entry.unit.as_str(), entry.actor.as_str()),
            ("adopt_jurisdiction", "AZ", "tests")
        );
        assert_eq!(entry.legal_ground, "Order No. 1");
        assert_eq!(stored, adoption(test_pack()), "the files come back byte for byte");
        assert!(env.registry.verify().unwrap().ok(), "the adoption is on a hash chain that holds");

        let reopened = Registry::new(env.db.store.clone(), Arc::new(|| at(NOW))).unwrap();
        assert_eq!(reopened.jurisdiction().files, test_pack(), "the store, not the caller, says which pack");
        assert_eq!(reopened.jurisdiction().indicators.version, "counting-test-1");
    });
}

#[test]
fn a_report_is_counted_under_the_pack_in_force() {
    each_backend(|env| {
        report(env, "2024-03-05T08:00:00Z");
        assert_eq!(figure(&env.registry.report(q1(), None).unwrap(), "test_reports_in"), None);
        adopt(env, test_pack());
        report(env, "2024-03-06T08:00:00Z");
        let under_test_pack = env.registry.report(q1(), None).unwrap();
        assert_eq!(under_test_pack.counting_rules, "counting-test-1");
        assert_eq!(under_test_pack.currency.code, "EUR", "amounts in the pack's currency");
        assert_eq!(
            figure(&under_test_pack, "test_reports_in"),
            Some(2),
            "both reports, the one before the adoption too"
        );
        assert_eq!(figure(&under_test_pack, "reports_received"), Some(2));
    });
}

#[test]
fn an_adoption_that_changes_the_counting_rules_recounts_the_counters_in_its_transaction() {
    each_backend(|env| {
        case_with_suspect(env);
        report(env, "2024-03-05T08:00:00Z");
        let adopted = adopt(env, test_pack());
        assert!(adopted.counters_rebuilt);
        assert_eq!(env.registry.verify_counters().unwrap(), vec![], "on {}", env.db.name);
        let counted: i64 = env
            .db
            .store
            .unit_counts("BAK-NSM")
            .unwrap()
            .into_iter()
            .filter(|(indicator, ..)| indicator == "test_reports_in")
            .map(|(.., value)| value)
            .sum();
        assert_eq!(counted, 2, "the new indicator counted from the registers as they stood");
        // Back to the demo's counting rules: the new indicator's counters go.
        let back = adopt(env, demo_files());
        assert!(back.counters_rebuilt);
        assert_eq!(env.registry.verify_counters().unwrap(), vec![]);
        assert!(env.db.store.unit_counts("BAK-NSM").unwrap().iter().all(|(i, ..)| i != "test_reports_in"));
    });
}

#[test]
fn a_pack_that_counts_the_same_keeps_the_counters() {
    each_backend(|env| {
        report(env, "2024-03-05T08:00:00Z");
        let mut renamed = demo_files();
        let about = renamed.0["jurisdiction.toml"].replace("az-demo-2024.1", "az-demo-2024.2");
        renamed.0.insert("jurisdiction.toml".into(), about);
        assert!(!adopt(env, renamed).counters_rebuilt);
        assert_eq!(env.registry.verify_counters().unwrap(), vec![]);
    });
}

#[test]
fn a_report_at_a_past_position_is_counted_under_the_pack_then_in_force() {
    each_backend(|env| {
        report(env, "2024-03-05T08:00:00Z");
        let before = env.registry.store().position().unwrap();
        adopt(env, test_pack());
        report(env, "2024-03-06T08:00:00Z");
        let after = env.registry.store().position().unwrap();

        let then = env.registry.report_at(q1(), None, before).unwrap();
        assert_eq!(then.counting_rules, "counting-2024.4", "the demo's rules were in force then");
        assert_eq!(figure(&then, "test_reports_in"), None);
        assert_eq!(figure(&then, "reports_received"), Some(1));

        let now = env.registry.report_at(q1(), None, after).unwrap();
        assert_eq!(now.counting_rules, "counting-test-1");
        assert_eq!(figure(&now, "test_reports_in"), Some(2));
        assert_eq!(now.units, env.registry.report(q1(), None).unwrap().units, "the replay agrees with the counters");
    });
}

#[test]
fn an_invalid_pack_writes_nothing_and_names_each_file_and_key() {
    each_backend(|env| {
        let mut broken = test_pack();
        let about = broken.0["jurisdiction.toml"].replace("code = \"EUR\"", "code = \"euro\"");
        broken.0.insert("jurisdiction.toml".into(), about);
        broken.0.insert("indicators.toml".into(), "version = \"x\"\n[[indicator]]\ncode = 1\n".into());
        let before = env.registry.store().position().unwrap();
        let err = env.registry.adopt_jurisdiction(&as_system(&env.registry), "Order", adoption(broken)).unwrap_err();
        let ServiceError::Rejected(rejected) = err else { panic!("expected a rule violation, got {err}") };
        let found: Vec<(&str, &str)> = rejected.0.iter().map(|v| (v.field.as_str(), v.rule.as_str())).collect();
        assert_eq!(
            found,
            [("files.jurisdiction.toml", "jurisdiction.invalid"), ("files.indicators.toml", "jurisdiction.invalid")]
        );
        assert!(rejected.0[0].param("problem").unwrap().starts_with("currency.code:"), "{rejected}");
        assert!(rejected.0[1].param("problem").unwrap().contains("code"), "{rejected}");
        assert_eq!(env.registry.store().position().unwrap(), before, "nothing written on {}", env.db.name);
        assert!(env.registry.units().get(&unit("BAK-TST")).is_none(), "no unit added");
        assert_eq!(env.registry.jurisdiction().code, "AZ");
    });
}

#[test]
fn the_pack_in_force_is_not_adopted_again_and_units_are_only_added() {
    each_backend(|env| {
        adopt(env, test_pack());
        let by = as_system(&env.registry);
        let again = env.registry.adopt_jurisdiction(&by, "Order", adoption(test_pack())).unwrap_err();
        assert!(again.to_string().contains("jurisdiction.unchanged"), "{again}");
        let mut moved = test_pack();
        let units = moved.0["units.toml"]
            .replace("code = \"BAK-TST\"\nparent = \"BAK\"", "code = \"BAK-TST\"\nparent = \"GNC\"");
        moved.0.insert("units.toml".into(), units);
        let moved = env.registry.adopt_jurisdiction(&by, "Order", adoption(moved)).unwrap_err();
        assert!(moved.to_string().contains("files.units.toml: jurisdiction.units_kept unit=BAK-TST"), "{moved}");
    });
}

#[test]
fn only_administrators_and_the_system_adopt_and_an_adoption_is_not_annulled() {
    each_backend(|env| {
        let chief = person("chief", Role::UnitChief, "BAK-NSM");
        let denied = env.registry.adopt_jurisdiction(&chief, "Order", adoption(test_pack())).unwrap_err();
        assert!(matches!(denied, ServiceError::Denied(Denied::Role)), "{denied}");
        // An administrator may adopt, but not add units: that is the system's.
        let admin = person("admin", Role::Administrator, "AZ");
        let units = env.registry.adopt_jurisdiction(&admin, "Order", adoption(test_pack())).unwrap_err();
        assert!(matches!(units, ServiceError::Denied(Denied::Role)), "{units}");
        let mut same_units = test_pack();
        same_units.0.insert("units.toml".into(), demo_files().0["units.toml"].clone());
        let receipt = env.registry.adopt_jurisdiction(&admin, "Order", adoption(same_units)).unwrap().receipt;
        assert_eq!(receipt.act, "adopt_jurisdiction");

        let annul = Command::Annul(Annul { unit: unit("AZ"), seq: receipt.seq, reason: "Wrong pack".into() });
        assert_rule(&rejected(env, annul), "seq", "annul.of_adoption");
    });
}

#[test]
fn an_adoption_is_recorded_alone_through_the_one_write_path() {
    each_backend(|env| {
        let submission = |command| Submission { actor: "x".into(), legal_ground: "Order".into(), command, late: None };
        let adopt = submission(Command::AdoptJurisdiction(adoption(test_pack())));
        let batch = [submission(Command::RegisterReport(new_report("2024-03-05T08:00:00Z"))), adopt.clone()];
        let err = record_all(&env.registry, &batch).unwrap_err();
        let ServiceError::BatchItem { index, rejected } = err else { panic!("expected a refused item, got {err}") };
        assert_eq!(
            (index, rejected.0[0].field.as_str(), rejected.0[0].rule.as_str()),
            (1, "act", "jurisdiction.alone")
        );
        assert_eq!(env.registry.store().position().unwrap(), 0, "nothing written");
        let receipt = env.registry.record(&as_system(&env.registry), &adopt, &Audited::No).unwrap();
        assert_eq!((receipt.act.as_str(), receipt.unit.as_str()), ("adopt_jurisdiction", "AZ"));
        assert_eq!(env.registry.jurisdiction().code, "XT");
        let _: &Jurisdiction = &env.registry.jurisdiction();
    });
}

/// A pack adopted by another process (`jurisdiction apply` beside a running
/// server) is found by the next write, which records and counts under it.
#[test]
fn a_write_follows_a_pack_another_process_adopted() {
    each_backend(|env| {
        let server = Registry::new(env.db.store.clone(), Arc::new(|| at(NOW))).unwrap();
        report(env, "2024-03-05T08:00:00Z");
        adopt(env, test_pack());
        assert_eq!(server.jurisdiction().code, "AZ", "the server has not written since");
        let s = Submission {
            actor: "officer-1".into(),
            legal_ground: "CPC art. 207".into(),
            command: Command::RegisterReport(new_report("2024-03-06T08:00:00Z")),
            late: None,
        };
        server.record(&as_system(&server), &s, &Audited::No).unwrap();
        assert_eq!(server.jurisdiction().code, "XT", "on {}", env.db.name);
        assert!(server.units().get(&unit("BAK-TST")).is_some(), "and the units it brought");
        assert_eq!(server.verify_counters().unwrap(), vec![], "counted under the new pack on {}", env.db.name);
        assert_eq!(figure(&server.report(q1(), None).unwrap(), "test_reports_in"), Some(2));
        // And an adoption compares with the pack in force, not the one it last saw.
        let again = server.adopt_jurisdiction(&as_system(&server), "Order", adoption(test_pack())).unwrap_err();
        assert!(again.to_string().contains("jurisdiction.unchanged"), "{again}");
    });
}

/// A pack adopted by another process is followed by reads too: a server
/// that has not written since reports under it after one cheap check.
#[test]
fn a_read_follows_a_pack_another_process_adopted() {
    each_backend(|env| {
        let server = Registry::new(env.db.store.clone(), Arc::new(|| at(NOW))).unwrap();
        report(env, "2024-03-05T08:00:00Z");
        assert_eq!(server.follow_adoptions().unwrap().0.code, "AZ", "nothing adopted yet");
        adopt(env, test_pack());
        let position = server.store().position().unwrap();
        assert_eq!(server.jurisdiction().code, "AZ", "not followed before it is asked to");

        let (followed, read_at) = server.follow_adoptions().unwrap();
        assert_eq!(followed.code, "XT", "on {}", env.db.name);
        assert_eq!(read_at, position, "the journal position is read with it");
        let followed = server.report(q1(), None).unwrap();
        assert_eq!(followed.counting_rules, "counting-test-1", "the report uses the new counting rules");
        assert_eq!(figure(&followed, "test_reports_in"), Some(1), "with the new pack's own indicator");
        assert!(server.units().get(&unit("BAK-TST")).is_some(), "and the units it brought");
        assert_eq!(server.store().position().unwrap(), position, "without a write");
    });
}
