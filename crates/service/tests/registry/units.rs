//! The unit tree after it is loaded: a units file loaded again with units
//! added to it adds them, and one that says something else of a loaded unit
//! is refused whole.

use crate::support::*;
use crimeboard_domain::Command;
use crimeboard_domain::act::Annul;
use crimeboard_domain::units::{Agency, MergeUnits, MoveUnit, Names, NewUnit, RenameUnit, Unit, UnitInForce, UnitKind};
use crimeboard_export::{Format, Lang};
use crimeboard_service::audit::Audited;
use crimeboard_service::{Registry, ServiceError, Structure, Submission, UnitsLoaded, demo_units};
use crimeboard_stats::Period;
use crimeboard_stats::board::BoardReport;
use std::sync::Arc;

fn new_unit(code: &str, parent: &str) -> Unit {
    let mut u = demo_units().pop().unwrap();
    u.code = unit(code);
    u.parent = Some(unit(parent));
    u
}

/// The tree as the store holds it, read by a registry opened afresh.
fn stored_tree_len(env: &Env) -> usize {
    reopened(env).units().len()
}

#[test]
fn loading_the_file_again_with_new_units_adds_only_them() {
    each_backend(|env| {
        let before = env.registry.units().len();
        let mut file = demo_units();
        file.push(new_unit("BAK-NSM-X", "BAK-NSM"));
        let loaded =
            env.registry.add_units(&as_system(&env.registry), &file, &env.registry.units_added_today("tests")).unwrap();
        assert_eq!(loaded, UnitsLoaded { added: 1, already_there: before });
        assert!(env.registry.units().get(&unit("BAK-NSM-X")).is_some());
        assert_eq!(stored_tree_len(env), before + 1);

        let again =
            env.registry.add_units(&as_system(&env.registry), &file, &env.registry.units_added_today("tests")).unwrap();
        assert_eq!(again, UnitsLoaded { added: 0, already_there: before + 1 });
    });
}

#[test]
fn a_loaded_unit_said_otherwise_refuses_the_file_naming_the_code_and_field() {
    each_backend(|env| {
        let before = env.registry.units().len();
        let mut file = vec![new_unit("BAK-NSM-X", "BAK-NSM")];
        let mut moved = demo_units().into_iter().find(|u| u.code == unit("BAK-NSM")).unwrap();
        moved.parent = Some(unit("AZ"));
        file.push(moved);
        let err = env
            .registry
            .add_units(&as_system(&env.registry), &file, &env.registry.units_added_today("tests"))
            .unwrap_err();
        let ServiceError::BatchItem { index, rejected } = err else { panic!("{err}") };
        assert_eq!(index, 1);
        let v = &rejected.0[0];
        assert_eq!((v.field.as_str(), v.rule.as_str()), ("parent", "unit.differs"));
        assert_eq!(v.params, vec![("code".to_string(), "BAK-NSM".to_string())]);
        // Nothing of the file is written, not even the new unit before it.
        assert!(env.registry.units().get(&unit("BAK-NSM-X")).is_none());
        assert_eq!(stored_tree_len(env), before);
    });
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn as_act(env: &Env, command: Command) -> Result<crimeboard_service::Receipt, ServiceError> {
    let s = Submission { actor: "tests".into(), legal_ground: "MIA order No. 12".into(), command, late: None };
    env.registry.record(&as_system(&env.registry), &s, &Audited::No)
}

fn merge_yasamal(from: &str) -> Command {
    Command::MergeUnits(MergeUnits { absorbed: unit("BAK-YAS"), into: unit("BAK-NSM"), effective_from: day(from) })
}

/// Renamed, moved and merged by acts in the journal, with their actor and
/// ground; the tree in force before the day stays as it was, and a registry
/// opened afresh reads the same tree.
#[test]
fn unit_changes_are_acts_in_force_from_their_day() {
    each_backend(|env| {
        let names = Names { en: "Nasimi Police".into(), ..Names::default() };
        let rename = RenameUnit { unit: unit("BAK-NSM"), names: names.clone(), effective_from: day("2024-04-01") };
        let renamed = as_act(env, Command::RenameUnit(rename)).unwrap();
        let moved = as_act(
            env,
            Command::MoveUnit(MoveUnit {
                unit: unit("LNK"),
                new_parent: unit("GNC"),
                effective_from: day("2024-04-01"),
            }),
        )
        .unwrap();
        let merged = as_act(env, merge_yasamal("2024-07-01")).unwrap();
        for (receipt, kind, unit_) in
            [(&renamed, "rename_unit", "BAK-NSM"), (&moved, "move_unit", "LNK"), (&merged, "merge_units", "BAK-YAS")]
        {
            let entry = env.registry.journal(Some(unit_), receipt.position - 1, 1).unwrap().remove(0);
            assert_eq!((entry.kind.as_str(), entry.legal_ground.as_str()), (kind, "MIA order No. 12"));
        }

        for registry in [&env.registry, &reopened(env)] {
            let current = registry.units();
            assert_eq!(current.get(&unit("BAK-NSM")).unwrap().names, names);
            assert!(current.is_within(&unit("LNK"), &unit("GNC")));
            assert_eq!(current.merged_into(&unit("BAK-YAS")), Some(&unit("BAK-NSM")));
            let march = registry.dated_units().as_of(day("2024-03-31"));
            assert!(!march.is_within(&unit("LNK"), &unit("GNC")) && march.merged_into(&unit("BAK-YAS")).is_none());
            assert_ne!(march.get(&unit("BAK-NSM")).unwrap().names, names);
        }
    });
}

#[test]
fn a_unit_change_that_breaks_the_tree_or_its_order_is_refused_and_not_written() {
    each_backend(|env| {
        as_act(env, merge_yasamal("2024-07-01")).unwrap();
        let before = env.registry.store().position().unwrap();
        let earlier = Command::MoveUnit(MoveUnit {
            unit: unit("LNK"),
            new_parent: unit("GNC"),
            effective_from: day("2024-06-30"),
        });
        assert_rule(&rejected_act(env, earlier), "effective_from", "unit.change_before_last");
        let cycle = Command::MoveUnit(MoveUnit {
            unit: unit("BAK"),
            new_parent: unit("BAK-NSM"),
            effective_from: day("2024-08-01"),
        });
        assert_rule(&rejected_act(env, cycle), "new_parent", "unit.move_into_itself");
        assert_rule(&rejected_act(env, merge_yasamal("2024-08-01")), "absorbed", "unit.merged");
        assert_eq!(env.registry.store().position().unwrap(), before, "nothing written");
        assert_eq!(reopened(env).dated_units().as_of(day("2024-12-31")).merged_into(&unit("BAK-NSM")), None);
    });
}

/// A change of the tree is undone by the change that reverses it, not annulled.
#[test]
fn a_unit_change_is_not_annulled() {
    each_backend(|env| {
        let merged = as_act(env, merge_yasamal("2024-07-01")).unwrap();
        let annul = Command::Annul(Annul { unit: unit("BAK-YAS"), seq: merged.seq, reason: "By mistake".into() });
        assert_rule(&rejected_act(env, annul), "seq", "annul.unit_change");
        assert!(env.registry.units().merged_into(&unit("BAK-YAS")).is_some());
    });
}

fn rejected_act(env: &Env, command: Command) -> Vec<(String, String)> {
    match as_act(env, command) {
        Err(ServiceError::Rejected(r)) => r.0.into_iter().map(|v| (v.field, v.rule)).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn reopened(env: &Env) -> Registry {
    let clock = Arc::new(|| at(NOW));
    Registry::new(env.db.store.clone(), clock).unwrap()
}

fn received(env: &Env, unit_: &str, day_: &str) {
    let mut r = new_report(&format!("{day_}T09:00:00Z"));
    r.unit = unit(unit_);
    ok(env, Command::RegisterReport(r));
}

/// Reports received per unit in a report, `None` for a unit it does not list.
fn received_in(report: &BoardReport, code: &str) -> Option<i64> {
    let figures = report.units.iter().find(|u| u.unit.as_str() == code)?;
    Some(figures.figures.iter().find(|f| f.code == "reports_received").map_or(0, |f| f.change.current))
}

/// Yasamal merged into Nasimi and Ganja moved under Baku, both from 1 March:
/// January rolls up under the tree of January unless asked for the current
/// one; March and the quarter ending after the day under the new tree. The
/// counters stay where they were recorded (the recount agrees).
#[test]
fn a_report_rolls_up_under_the_tree_in_force_at_its_end_or_the_current_one() {
    each_backend(|env| {
        received(env, "BAK-YAS", "2024-01-10");
        received(env, "GNC", "2024-01-12");
        received(env, "BAK-YAS", "2024-03-10");
        received(env, "BAK-NSM", "2024-03-11");
        received(env, "GNC", "2024-03-12");
        as_act(env, merge_yasamal("2024-03-01")).unwrap();
        let moved = MoveUnit { unit: unit("GNC"), new_parent: unit("BAK"), effective_from: day("2024-03-01") };
        as_act(env, Command::MoveUnit(moved)).unwrap();

        let report = |period: &str, structure| {
            env.registry.report_under(Period::parse(period).unwrap(), Some("BAK"), structure).unwrap()
        };
        let january = report("2024-01", Structure::InForce);
        assert_eq!(received_in(&january, "BAK-YAS"), Some(1), "before the day, Yasamal is a unit of its own");
        assert_eq!(received_in(&january, "BAK-NSM"), Some(0));
        assert_eq!(received_in(&january, "BAK"), Some(1), "and Ganja not yet below Baku");
        assert_eq!(received_in(&january, "GNC"), None);
        assert_eq!(env.registry.report(Period::parse("2024-01").unwrap(), Some("BAK")).unwrap(), january);

        let january_now = report("2024-01", Structure::Current);
        assert_eq!(received_in(&january_now, "BAK-YAS"), None, "a merged unit is no unit of its own");
        assert_eq!(received_in(&january_now, "BAK-NSM"), Some(1), "Yasamal's January counts for Nasimi");
        assert_eq!(received_in(&january_now, "GNC"), Some(1));
        assert_eq!(received_in(&january_now, "BAK"), Some(2));

        for march in [report("2024-03", Structure::InForce), report("2024-03", Structure::Current)] {
            assert_eq!(received_in(&march, "BAK-NSM"), Some(2));
            assert_eq!(received_in(&march, "BAK"), Some(3));
        }
        // The quarter ends after the day: the new tree, the same as the current one.
        let quarter = report("2024Q1", Structure::InForce);
        assert_eq!(received_in(&quarter, "BAK-NSM"), Some(3));
        assert_eq!(received_in(&quarter, "BAK"), Some(5));
        assert_eq!(quarter, report("2024Q1", Structure::Current));

        // The counters, a recount from the registers and one from the journal agree.
        assert!(env.registry.verify_counters().unwrap().is_empty());
        let period = Period::parse("2024-01").unwrap();
        assert_eq!(env.registry.report_by_scan(period, Some("BAK")).unwrap().units, january.units);
        let position = env.registry.store().position().unwrap();
        assert_eq!(env.registry.report_at(period, Some("BAK"), position).unwrap().units, january.units);
    });
}

fn add_harbour(from: &str) -> Command {
    add_harbour_below("BAK-NEW", "BAK", UnitInForce::From(day(from)))
}

/// A unit added to a loaded tree is an act that opens its own journal, in
/// force from its day: a report of a period before it does not list it, one
/// after does; nothing dated before the day is recorded in it, and no change
/// of it is dated before it. A registry opened afresh reads the same tree.
#[test]
fn a_unit_added_is_an_act_in_force_from_its_day() {
    each_backend(|env| {
        let added = as_act(env, add_harbour("2024-02-01")).unwrap();
        assert_eq!((added.act.as_str(), added.unit.as_str(), added.seq), ("add_unit", "BAK-NEW", 1));
        let entry = env.registry.journal(Some("BAK-NEW"), added.position - 1, 1).unwrap().remove(0);
        assert_eq!(entry.legal_ground, "MIA order No. 12");

        assert_rule(
            &rejected_act(env, {
                let mut r = new_report("2024-01-31T09:00:00Z");
                r.unit = unit("BAK-NEW");
                Command::RegisterReport(r)
            }),
            "unit",
            "unit.not_yet_added",
        );
        received(env, "BAK-NEW", "2024-02-01");
        let renamed = Names { en: "Harbour District Police".into(), ..Names::default() };
        let early = RenameUnit { unit: unit("BAK-NEW"), names: renamed, effective_from: day("2024-01-15") };
        assert_rule(&rejected_act(env, Command::RenameUnit(early)), "unit", "unit.change_before_added");
        assert_rule(&rejected_act(env, add_harbour("2024-03-01")), "code", "unit.duplicate");

        for registry in [&env.registry, &reopened(env)] {
            let report = |period: &str| {
                registry.report_under(Period::parse(period).unwrap(), Some("BAK"), Structure::InForce).unwrap()
            };
            assert_eq!(received_in(&report("2024-01"), "BAK-NEW"), None, "not yet a unit in January");
            assert_eq!(received_in(&report("2024-02"), "BAK-NEW"), Some(1));
            assert!(registry.dated_units().as_of(day("2024-01-31")).get(&unit("BAK-NEW")).is_none());
            assert_eq!(registry.units().get(&unit("BAK-NEW")).unwrap().names.en, "Harbour Police");
        }
        assert!(env.registry.verify().unwrap().chains.iter().all(|c| c.result.is_ok()), "the new chain verifies");
    });
}

/// A units file loaded into a loaded tree records one act per new unit from
/// the day it is given; loaded again, the units are there.
#[test]
fn a_units_file_adds_each_new_unit_by_an_act_from_its_day() {
    each_backend(|env| {
        let from_march = crimeboard_service::UnitsAddition {
            effective_from: UnitInForce::From(day("2024-03-01")),
            legal_ground: "MIA order No. 13".into(),
        };
        let file = [new_unit("BAK-NSM-X", "BAK-NSM"), new_unit("BAK-NSM-X1", "BAK-NSM-X")];
        let position = env.registry.store().position().unwrap();
        let loaded = env.registry.add_units(&as_system(&env.registry), &file, &from_march).unwrap();
        assert_eq!(loaded, UnitsLoaded { added: 2, already_there: 0 });
        let acts = env.registry.journal(None, position, 10).unwrap();
        let kinds: Vec<_> = acts.iter().map(|e| (e.kind.as_str(), e.unit.as_str(), e.seq)).collect();
        assert_eq!(kinds, [("add_unit", "BAK-NSM-X", 1), ("add_unit", "BAK-NSM-X1", 1)]);
        let dated = reopened(env).dated_units();
        assert!(dated.as_of(day("2024-02-29")).get(&unit("BAK-NSM-X1")).is_none());
        assert!(dated.as_of(day("2024-03-01")).is_within(&unit("BAK-NSM-X1"), &unit("BAK-NSM")));
        let again = env.registry.add_units(&as_system(&env.registry), &file, &from_march).unwrap();
        assert_eq!(again, UnitsLoaded { added: 0, already_there: 2 });
    });
}

/// A unit that existed before it was recorded here is added in force on
/// every day: by the same act in its own journal, after a change dated
/// later than anything it holds (no order of dates applies to it), with
/// records of any year in it, in every report's structure, as read again.
#[test]
fn a_unit_added_for_every_day_holds_its_history() {
    each_backend(|env| {
        as_act(env, merge_yasamal("2024-03-01")).unwrap();
        let added = as_act(env, add_harbour_below("BAK-NEW", "BAK", UnitInForce::Always)).unwrap();
        assert_eq!((added.act.as_str(), added.unit.as_str(), added.seq), ("add_unit", "BAK-NEW", 1));
        let entry = env.registry.journal(Some("BAK-NEW"), added.position - 1, 1).unwrap().remove(0);
        assert!(entry.payload.contains(r#""effective_from":"always""#), "{}", entry.payload);
        received(env, "BAK-NEW", "2019-06-03");
        received(env, "BAK-NEW", "2024-01-10");

        for registry in [&env.registry, &reopened(env)] {
            let report = |period: &str| {
                registry.report_under(Period::parse(period).unwrap(), Some("BAK"), Structure::InForce).unwrap()
            };
            assert_eq!(received_in(&report("2019-06"), "BAK-NEW"), Some(1), "a unit of 2019's structure");
            assert_eq!(received_in(&report("2024-01"), "BAK-NEW"), Some(1));
            assert_eq!(registry.dated_units().added_on(&unit("BAK-NEW")), None);
        }
        assert!(env.registry.verify_counters().unwrap().is_empty());
        assert!(env.registry.verify().unwrap().ok());
        // Below a unit in force only from a day, a unit cannot be there on every day.
        as_act(env, add_harbour_below("BAK-NEW2", "BAK", UnitInForce::From(day("2024-04-01")))).unwrap();
        let below = add_harbour_below("BAK-NEW2-1", "BAK-NEW2", UnitInForce::Always);
        assert_rule(&rejected_act(env, below), "parent", "unit.change_before_added");
    });
}

fn add_harbour_below(code: &str, parent: &str, effective_from: UnitInForce) -> Command {
    Command::AddUnit(NewUnit {
        code: unit(code),
        parent: unit(parent),
        kind: UnitKind::District,
        agency: Agency::Mia,
        names: Names { en: "Harbour Police".into(), ..Names::default() },
        effective_from,
    })
}

/// Under a pack whose default language is English, a unit named in English
/// and Russian is named in English in an Azerbaijani report's files, as the
/// pages name it: the registry hands the pack's order to the figures.
#[test]
fn a_reports_files_name_a_unit_in_the_packs_default_language_first() {
    each_backend(|env| {
        let mut files = crimeboard_service::demo_files();
        let about = files.0["jurisdiction.toml"].replace("default_language = \"az\"", "default_language = \"en\"");
        files.0.insert("jurisdiction.toml".into(), about);
        let adoption = crimeboard_domain::jurisdiction::Adoption { files, effective_from: day("2024-01-01") };
        env.registry.adopt_jurisdiction(&as_system(&env.registry), "Order No. 1", adoption).unwrap();
        let mut harbour = new_unit("BAK-NSM-X", "BAK-NSM");
        harbour.names =
            Names { ru: "Портовая полиция".into(), en: "Harbour Police".into(), ..Names::default() };
        let from_january = crimeboard_service::UnitsAddition {
            effective_from: UnitInForce::From(day("2024-01-01")),
            legal_ground: "Order 2".into(),
        };
        env.registry.add_units(&as_system(&env.registry), &[harbour], &from_january).unwrap();
        received(env, "BAK-NSM-X", "2024-02-01");

        let report = env.registry.report(Period::parse("2024Q1").unwrap(), Some("BAK-NSM-X")).unwrap();
        let csv = String::from_utf8(crimeboard_export::render(&report, Lang::Az, Format::Csv)).unwrap();
        assert!(csv.contains("BAK-NSM-X,Harbour Police,") && !csv.contains("Портовая"), "{csv}");
        let text = String::from_utf8(crimeboard_export::render(&report, Lang::Az, Format::Text)).unwrap();
        assert!(text.contains("Harbour Police") && !text.contains("Портовая"), "{text}");
    });
}
