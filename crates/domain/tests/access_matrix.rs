//! `allows` and `authorize` against the matrix written out as data
//! (`expected/access.rs`), every cell, on a small unit tree: a user's own unit, a
//! unit below it, a sibling, its parent and a unit granted elsewhere.

#[path = "expected/access.rs"]
mod expected;

use crimeboard_domain::access::{self, Action, Denied, Principal, Role};
use crimeboard_domain::units::{Agency, Names, Unit, UnitCode, UnitKind, UnitTree};
use expected::{MATRIX, ROLES, Reach, Tree};

/// AZ > MIA > BAK > {NSM > NSM-1, YAS}; MIA > GNC.
const PARENTS: [(&str, &str); 6] =
    [("MIA", "AZ"), ("BAK", "MIA"), ("NSM", "BAK"), ("NSM-1", "NSM"), ("YAS", "BAK"), ("GNC", "MIA")];

fn code(s: &str) -> UnitCode {
    UnitCode::parse(s).unwrap()
}

fn unit_tree() -> UnitTree {
    let unit = |code_: &str, parent: Option<&str>| Unit {
        code: code(code_),
        parent: parent.map(code),
        kind: if parent.is_none() { UnitKind::Republic } else { UnitKind::District },
        agency: Agency::Mia,
        names: Names::default(),
    };
    let mut units = vec![unit("AZ", None)];
    units.extend(PARENTS.iter().map(|(child, parent)| unit(child, Some(parent))));
    UnitTree::new(units).unwrap()
}

fn user(role: Role, home: &str, grants: &[&str]) -> Principal {
    Principal {
        login: "u".into(),
        role,
        home: code(home),
        grants: grants.iter().map(|g| code(g)).collect(),
        token_scope: None,
    }
}

#[test]
fn the_table_has_every_role_and_action_once() {
    assert_eq!(ROLES.to_vec(), Role::ALL.to_vec());
    let actions: Vec<Action> = MATRIX.iter().map(|(a, _)| *a).collect();
    assert_eq!(actions, Action::ALL.to_vec());
}

#[test]
fn allows_is_the_table_cell_by_cell() {
    let mut wrong = Vec::new();
    for (action, row) in MATRIX {
        for (role, cell) in ROLES.iter().zip(row) {
            if access::allows(*role, action) != (cell != Reach::No) {
                wrong.push(format!("{role} × {action}: expected {cell:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "cells that differ:\n  {}", wrong.join("\n  "));
}

#[test]
fn authorize_is_the_table_in_every_unit_for_every_cell() {
    let tree = unit_tree();
    let written = Tree(&PARENTS);
    let probes = [None, Some("NSM"), Some("NSM-1"), Some("YAS"), Some("BAK"), Some("GNC"), Some("AZ")];
    let mut wrong = Vec::new();
    for (action, _) in MATRIX {
        for role in ROLES {
            let principal = user(role, "NSM", &["GNC"]);
            for unit in probes {
                let want = expected::expected(role, "NSM", &["GNC"], action, unit, &written);
                let got = access::authorize(&principal, action, unit.map(code).as_ref(), &tree);
                if got != want {
                    wrong.push(format!("{role} × {action} in {unit:?}: expected {want:?}, got {got:?}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "answers that differ:\n  {}", wrong.join("\n  "));
}

#[test]
fn the_written_tree_is_the_one_built() {
    let (tree, written) = (unit_tree(), Tree(&PARENTS));
    for unit in ["AZ", "MIA", "BAK", "NSM", "NSM-1", "YAS", "GNC"] {
        for root in ["AZ", "MIA", "BAK", "NSM", "NSM-1", "YAS", "GNC"] {
            assert_eq!(tree.is_within(&code(unit), &code(root)), written.within(unit, root), "{unit} in {root}");
        }
    }
}

#[test]
fn scope_on_a_small_tree() {
    let t = unit_tree();
    let at = |p: &Principal, a, u: &str| access::authorize(p, a, Some(&code(u)), &t);
    let investigator = user(Role::Investigator, "NSM", &[]);
    assert_eq!(at(&investigator, Action::WorkCase, "NSM"), Ok(()), "own unit");
    assert_eq!(at(&investigator, Action::WorkCase, "NSM-1"), Ok(()), "a unit below");
    assert_eq!(at(&investigator, Action::WorkCase, "YAS"), Err(Denied::Scope), "a sibling");
    assert_eq!(at(&investigator, Action::WorkCase, "BAK"), Err(Denied::Scope), "the parent");
    assert_eq!(access::authorize(&investigator, Action::WorkCase, None, &t), Ok(()), "no unit in particular");

    let chief = user(Role::UnitChief, "BAK", &[]);
    assert_eq!(at(&chief, Action::AnnulAct, "NSM-1"), Ok(()), "two levels below");
    assert_eq!(at(&chief, Action::ReadFigures, "MIA"), Err(Denied::Scope), "the parent");
    assert_eq!(at(&chief, Action::ReadFigures, "GNC"), Err(Denied::Scope), "another branch");

    // A grant widens who is named to read, nothing else.
    let granted = user(Role::Investigator, "NSM", &["GNC"]);
    assert_eq!(at(&granted, Action::ReadPersonalData, "GNC"), Ok(()));
    assert_eq!(at(&granted, Action::ReadRecords, "GNC"), Err(Denied::Scope));
    assert_eq!(at(&granted, Action::WorkCase, "GNC"), Err(Denied::Scope));

    // An analyst reads figures and records everywhere, names only where granted, not at home.
    let analyst = user(Role::HqAnalyst, "MIA", &["YAS"]);
    assert_eq!(at(&analyst, Action::ReadFigures, "GNC"), Ok(()));
    assert_eq!(at(&analyst, Action::ReadRecords, "NSM-1"), Ok(()));
    assert_eq!(at(&analyst, Action::ReadPersonalData, "YAS"), Ok(()));
    assert_eq!(at(&analyst, Action::ReadPersonalData, "NSM"), Err(Denied::Scope));
    assert_eq!(at(&analyst, Action::ReadPersonalData, "MIA"), Err(Denied::Scope));

    // System-wide actions have no unit to be kept to.
    let admin = user(Role::Administrator, "NSM", &[]);
    assert_eq!(at(&admin, Action::AdministerUsers, "GNC"), Ok(()));
    assert_eq!(at(&admin, Action::ReadRecords, "NSM"), Err(Denied::Role));
}

#[test]
fn a_refusal_names_its_rule() {
    let t = unit_tree();
    let public = Principal::public(code("AZ"));
    let refused = |p: &Principal, a, u: Option<&str>| access::authorize(p, a, u.map(code).as_ref(), &t).unwrap_err();
    assert_eq!(refused(&public, Action::ReadFigures, None).rule(), "access.unauthenticated");
    let press = user(Role::PressOfficer, "NSM", &[]);
    assert_eq!(refused(&press, Action::ReadRecords, Some("NSM")).rule(), "access.role");
    assert_eq!(refused(&press, Action::ReadFigures, Some("YAS")).rule(), "access.scope");
    let mut token = user(Role::UnitChief, "NSM", &[]);
    token.token_scope = Some(vec![Action::ReadFigures]);
    assert_eq!(refused(&token, Action::ReadRecords, Some("NSM")).rule(), "access.token");
}
