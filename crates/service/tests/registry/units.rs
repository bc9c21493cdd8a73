//! The unit tree after it is loaded: a units file loaded again with units
//! added to it adds them, and one that says something else of a loaded unit
//! is refused whole.

use crate::support::*;
use crimeboard_domain::units::Unit;
use crimeboard_service::{ReferenceData, Registry, ServiceError, UnitsLoaded, demo_units};
use std::sync::Arc;

fn new_unit(code: &str, parent: &str) -> Unit {
    let mut u = demo_units().pop().unwrap();
    u.code = unit(code);
    u.parent = Some(unit(parent));
    u
}

/// The tree as the store holds it, read by a registry opened afresh.
fn stored_tree_len(env: &Env) -> usize {
    let clock = Arc::new(|| at(NOW));
    Registry::new(env.db.store.clone(), ReferenceData::defaults(), clock).unwrap().units().len()
}

#[test]
fn loading_the_file_again_with_new_units_adds_only_them() {
    each_backend(|env| {
        let before = env.registry.units().len();
        let mut file = demo_units();
        file.push(new_unit("BAK-NSM-X", "BAK-NSM"));
        let loaded = env.registry.add_units(&as_system(&env.registry), &file).unwrap();
        assert_eq!(loaded, UnitsLoaded { added: 1, already_there: before });
        assert!(env.registry.units().get(&unit("BAK-NSM-X")).is_some());
        assert_eq!(stored_tree_len(env), before + 1);

        let again = env.registry.add_units(&as_system(&env.registry), &file).unwrap();
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
        let err = env.registry.add_units(&as_system(&env.registry), &file).unwrap_err();
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
