//! `crimeboard units FILE` on a registry that holds units already: the
//! file loaded again with units added adds them and says how many were
//! there; a file that says something else of a loaded unit is refused with
//! the code and the field, and nothing of it is written.

use super::{TempDir, crimeboard, fails, ok, registry};
use crimeboard_domain::units::{Language, name_fallback};

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/jurisdictions/azerbaijan");
const UNITS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/jurisdictions/azerbaijan/units.toml");

/// What a successful run says on its standard error.
fn says(args: &[&str]) -> String {
    let out = crimeboard(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "crimeboard {args:?} failed: {err}");
    err
}

#[test]
fn the_units_file_loaded_again_adds_the_new_units_and_counts_the_rest() {
    let dir = TempDir::new("units-again");
    let db = dir.file("units.sqlite");
    let shipped = std::fs::read_to_string(UNITS).expect("the units file");
    let count = shipped.matches("[[unit]]").count();
    // `init` loads the pack's units; the same file loaded again adds nothing.
    says(&["init", "--db", &db, "--jurisdiction", PACK]);
    assert!(says(&["units", "--db", &db, UNITS]).contains(&format!("0 units added, {count} already there")));

    let grown = dir.file("grown.toml");
    let new_unit = "\n[[unit]]\ncode = \"BAK-NSM-X\"\nparent = \"BAK-NSM\"\nkind = \"district\"\nagency = \"mia\"\n\
                    names = { en = \"Harbour Police\" }\n";
    std::fs::write(&grown, format!("{shipped}{new_unit}")).expect("write");
    let add = ["units", "--db", &db, "--effective-from", "2024-02-01", "--ground", "Order 5", &grown];
    assert!(says(&add).contains(&format!("1 units added, {count} already there")));
    assert!(says(&add).contains(&format!("0 units added, {} already there", count + 1)));
    // The unit is added by an act that opens its own chain, in force from its day.
    let opened = registry(&db);
    let entry = opened.journal(Some("BAK-NSM-X"), 0, 10).unwrap();
    let acts: Vec<_> = entry.iter().map(|e| (e.kind.as_str(), e.seq, e.legal_ground.as_str())).collect();
    assert_eq!(acts, [("add_unit", 1, "Order 5")]);
    let harbour = crimeboard_domain::units::UnitCode::parse("BAK-NSM-X").unwrap();
    assert_eq!(opened.dated_units().added_on(&harbour), Some("2024-02-01".parse().unwrap()));
    drop(opened);
    let verified = ok(&["verify", "--db", &db]);
    assert!(verified.contains("BAK-NSM-X    1 entries") && verified.contains("journal intact"), "{verified}");

    let changed = dir.file("changed.toml");
    let renamed = shipped.replace("en = \"Nasimi District Police Department\"", "en = \"Nasimi Police\"");
    std::fs::write(&changed, format!("{renamed}\n[[unit]]\ncode = \"BAK-NSM-Y\"\nparent = \"BAK-NSM\"\nkind = \"district\"\nagency = \"mia\"\nnames = {{ az = \"Y\", ru = \"Y\", en = \"Y\" }}\n")).expect("write");
    let err = fails(&["units", "--db", &db, "--lang", "en", &changed]);
    assert!(err.contains("names.en") && err.contains("BAK-NSM"), "{err}");
    let tree = registry(&db).units();
    assert_eq!(tree.len(), count + 1, "nothing of the refused file is written");
    let nasimi = tree.get(&crimeboard_domain::units::UnitCode::parse("BAK-NSM").unwrap()).unwrap();
    assert_eq!(nasimi.names.en, "Nasimi District Police Department");
    // A unit may be named in one language: the others fall back to it.
    let harbour = tree.get(&crimeboard_domain::units::UnitCode::parse("BAK-NSM-X").unwrap()).unwrap();
    assert_eq!(harbour.names.get(Language::Az, &name_fallback(Language::Az)), "Harbour Police");
}

/// The units listed by a JSON report of BAK for January 2024.
fn units_in_report(db: &str, structure: &[&str]) -> Vec<String> {
    let args =
        [&["report", "--db", db, "--period", "2024-01", "--unit", "BAK", "--format", "json"], structure].concat();
    let out = crimeboard(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    doc["units"].as_array().unwrap().iter().map(|u| u["unit"].as_str().unwrap().to_string()).collect()
}

#[test]
fn units_are_renamed_moved_and_merged_from_a_day_and_reports_choose_the_structure() {
    let dir = TempDir::new("units-change");
    let db = dir.file("units.sqlite");
    says(&["init", "--db", &db, "--jurisdiction", PACK]);
    let said = says(&[
        "units",
        "rename",
        "--db",
        &db,
        "--unit",
        "BAK-NSM",
        "--name-en",
        "Nasimi Police",
        "--from",
        "2024-03-01",
        "--ground",
        "Order 7",
    ]);
    assert!(said.contains("rename_unit recorded in BAK-NSM") && said.contains("2024-03-01"), "{said}");
    says(&[
        "units",
        "move",
        "--db",
        &db,
        "--unit",
        "GNC",
        "--parent",
        "BAK",
        "--from",
        "2024-03-01",
        "--ground",
        "Order 8",
    ]);
    let merge = ["units", "merge", "--db", &db, "--absorbed", "BAK-YAS", "--into", "BAK-NSM", "--from", "2024-03-01"];
    says(&[&merge[..], &["--ground", "Order 9"]].concat());

    let again = fails(&[&merge[..], &["--ground", "Order 9", "--lang", "en"]].concat());
    assert!(again.contains("absorbed") && again.contains("BAK-YAS was merged into BAK-NSM"), "{again}");
    let root = fails(&[
        "units",
        "move",
        "--db",
        &db,
        "--unit",
        "AZ",
        "--parent",
        "BAK",
        "--from",
        "2024-04-01",
        "--ground",
        "x",
        "--lang",
        "en",
    ]);
    assert!(root.contains("unit: The root unit is neither moved nor merged."), "{root}");

    let tree = registry(&db).units();
    let code = |c: &str| crimeboard_domain::units::UnitCode::parse(c).unwrap();
    assert_eq!(tree.merged_into(&code("BAK-YAS")), Some(&code("BAK-NSM")));
    assert!(tree.is_within(&code("GNC"), &code("BAK")));
    assert_eq!(
        tree.get(&code("BAK-NSM")).unwrap().names.get(Language::Az, &name_fallback(Language::Az)),
        "Nasimi Police"
    );

    let in_force = units_in_report(&db, &[]);
    assert!(in_force.contains(&"BAK-YAS".to_string()) && !in_force.contains(&"GNC".to_string()), "{in_force:?}");
    let current = units_in_report(&db, &["--structure", "current"]);
    assert!(!current.contains(&"BAK-YAS".to_string()) && current.contains(&"GNC".to_string()), "{current:?}");
    assert!(fails(&["report", "--db", &db, "--period", "2024-01", "--structure", "today"]).contains("--structure"));
}

/// `units FILE` without --effective-from adds a unit that already existed:
/// in force on every day, after a change dated later than its archive, and
/// in the structure of a report before that change; "always" says so
/// explicitly, and anything but a day or "always" is refused by the option.
#[test]
fn a_units_file_adds_its_new_units_on_every_day_unless_dated() {
    let dir = TempDir::new("units-always");
    let db = dir.file("units.sqlite");
    says(&["init", "--db", &db, "--jurisdiction", PACK]);
    let merge = ["units", "merge", "--db", &db, "--absorbed", "BAK-YAS", "--into", "BAK-NSM", "--from", "2024-03-01"];
    says(&[&merge[..], &["--ground", "Order 9"]].concat());

    let unit = |code: &str| {
        format!(
            "[[unit]]\ncode = \"{code}\"\nparent = \"BAK\"\nkind = \"district\"\nagency = \"mia\"\nnames = {{ en = \"{code}\" }}\n"
        )
    };
    let archive = dir.file("archive.toml");
    std::fs::write(&archive, unit("BAK-OLD")).expect("write");
    assert!(says(&["units", "--db", &db, "--ground", "Order 10", &archive]).contains("1 units added"));
    let older = dir.file("older.toml");
    std::fs::write(&older, unit("BAK-OLDER")).expect("write");
    says(&["units", "--db", &db, "--effective-from", "always", &older]);

    let opened = registry(&db);
    let code = |c: &str| crimeboard_domain::units::UnitCode::parse(c).unwrap();
    for old in ["BAK-OLD", "BAK-OLDER"] {
        assert_eq!(opened.dated_units().added_on(&code(old)), None, "{old}");
        assert_eq!(opened.journal(Some(old), 0, 10).unwrap()[0].kind, "add_unit");
    }
    drop(opened);
    let january = units_in_report(&db, &[]);
    assert!(january.contains(&"BAK-OLD".to_string()) && january.contains(&"BAK-OLDER".to_string()), "{january:?}");

    let soon = dir.file("soon.toml");
    std::fs::write(&soon, unit("BAK-SOON")).expect("write");
    let refused = fails(&["units", "--db", &db, "--effective-from", "soon", &soon]);
    assert!(refused.contains("--effective-from") && refused.contains("always"), "{refused}");
}
