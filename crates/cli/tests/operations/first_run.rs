//! The command line as a new user meets it: a mistyped --db creates
//! nothing, what was typed is checked before anything is written, and the
//! messages say what is wrong and what to do.

use super::{
    DEMO_PACK, POLICE_UK_FILE, POLICE_UK_MAPPING, TempDir, crimeboard, fails, generate_lean, ok, postgres_database,
};
use std::path::Path;

const UNITS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/jurisdictions/azerbaijan/units.toml");

/// Every command that does not create a database refuses a --db file
/// that is not there, names the path, and leaves no file or folder behind.
#[test]
fn a_missing_database_is_named_and_not_created() {
    let dir = TempDir::new("missing");
    let folder = dir.0.join("mistyped");
    let db = folder.join("x.sqlite").display().to_string();
    let out = dir.file("open-data");
    let backup = dir.file("copy.sqlite");
    let commands: [&[&str]; 19] = [
        &["verify"],
        &["stats", "verify"],
        &["audit", "verify"],
        &["audit", "search"],
        &["serve", "--addr", "127.0.0.1:0"],
        &["report", "--period", "2024Q1"],
        &["import", POLICE_UK_FILE, "--mapping", POLICE_UK_MAPPING],
        &["user", "list"],
        &["user", "token-add", "--login", "analyst", "--name", "curl", "--scope", "read_figures"],
        &["export", "open-data", "--period", "2024Q1", "--out", &out],
        &["backup", "--to", &backup],
        &["bench", "report"],
        &["bench", "search"],
        &["bench", "register", "--cases", "10"],
        &["units", UNITS],
        &["migrate"],
        &["jurisdiction", "show"],
        &["jurisdiction", "diff", DEMO_PACK],
        &["jurisdiction", "apply", DEMO_PACK, "--legal-ground", "Order", "--effective-from", "2024-01-01"],
    ];
    for command in commands {
        let err = fails(&[command, &["--db", &db]].concat());
        assert!(err.contains(&db), "{command:?} names the path: {err}");
        assert_eq!(err.lines().count(), 1, "{command:?} says it once: {err}");
        assert!(!folder.exists(), "{command:?} created {}", folder.display());
        assert!(!Path::new(&out).exists() && !Path::new(&backup).exists(), "{command:?} wrote a file");
    }
}

/// A database that holds no act is not reported intact. (No command makes
/// one: `init` adopts a pack as the first act. A store opened by other means does.)
#[test]
fn verify_on_an_empty_registry_fails_and_says_it_is_empty() {
    let dir = TempDir::new("empty");
    let db = dir.file("empty.sqlite");
    drop(crimeboard_store::open(&db).expect("an empty store"));
    let err = fails(&["verify", "--db", &db]);
    assert!(err.contains("empty") && err.contains(&db), "{err}");
}

/// A busy port is found before the demo creates its folder or generates
/// anything, and the message names the address and how to pick another.
#[test]
fn the_demo_refuses_a_busy_port_before_it_writes_anything() {
    let dir = TempDir::new("busy");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = taken.local_addr().expect("its address").to_string();
    let data = dir.0.join("demo");
    let started = std::time::Instant::now();
    let err = fails(&["demo", "--data", &data.display().to_string(), "--addr", &addr]);
    assert!(err.contains(&addr) && err.contains("--addr"), "{err}");
    assert!(!data.exists(), "the demo folder was created before the port was checked");
    assert!(started.elapsed().as_secs() < 10, "refused at once, not after generating");
    let err = fails(&["serve", "--db", &dir.file("none.sqlite"), "--addr", &addr]);
    assert!(err.contains(&addr) && err.contains("--addr"), "{err}");
}

/// A period in none of the forms is answered with the forms, before
/// anything is opened.
#[test]
fn a_period_in_no_form_is_answered_with_the_forms() {
    let dir = TempDir::new("period");
    let db = dir.file("none.sqlite");
    for command in [&["report"][..], &["export", "open-data"], &["bench", "report"]] {
        let err = fails(&[command, &["--db", &db, "--period", "Q1 2024"]].concat());
        for form in ["2024Q1", "2024H1", "2024-03", "ytd:2024-04-19", "28d:2024-04-19", "week:2024-04-15"] {
            assert!(err.contains(form), "{command:?}: {err}");
        }
        assert!(err.contains("2024-01-01..2024-03-31") && !err.contains("quarter is 1 to 4"), "{err}");
    }
    let err = fails(&["report", "--db", &db, "--period", "Q1 2024", "--lang", "ru"]);
    assert!(err.contains("Период"), "in the language asked for: {err}");
    assert!(!Path::new(&db).exists());
}

/// A missing mapping file is found before the database is opened.
#[test]
fn a_missing_mapping_is_found_before_the_database_is_created() {
    let dir = TempDir::new("mapping");
    let db = dir.file("x.sqlite");
    ok(&["init", "--db", &db, "--jurisdiction", DEMO_PACK]);
    let before = std::fs::metadata(&db).expect("the database").modified().expect("mtime");
    let mapping = dir.file("no-such-mapping.toml");
    let err = fails(&["import", POLICE_UK_FILE, "--mapping", &mapping, "--db", &db]);
    assert!(err.contains(&mapping), "{err}");
    assert_eq!(std::fs::metadata(&db).expect("the database").modified().expect("mtime"), before);
}

/// A report of a period with nothing recorded says so on standard error,
/// and the report still goes to standard output.
#[test]
fn a_report_of_a_period_without_data_says_so() {
    let dir = TempDir::new("nodata");
    let db = dir.file("x.sqlite");
    ok(&generate_lean(&db, "200"));
    let out = crimeboard(&["report", "--db", &db, "--period", "2030Q1", "--lang", "en"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nothing is recorded in 2030Q1"), "{err}");
    assert!(!out.stdout.is_empty());
    let out = crimeboard(&["report", "--db", &db, "--period", "2024Q1", "--lang", "en"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !err.contains("nothing is recorded"), "{err}");
}

/// Through a pipe a workbook is written as asked (a terminal is refused:
/// the unit test of `refuse_binary_to_terminal`).
#[test]
fn a_workbook_goes_through_a_pipe() {
    let dir = TempDir::new("pipe");
    let db = dir.file("x.sqlite");
    ok(&generate_lean(&db, "200"));
    let out = crimeboard(&["report", "--db", &db, "--period", "2024Q1", "--format", "xlsx"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.starts_with(b"PK"), "a zip container");
}

/// `migrate` creates no database (`init` does, and applies every
/// migration), and says when there was none to apply.
#[test]
fn migrate_says_what_it_applied() {
    let dir = TempDir::new("migrate");
    let db = dir.file("new/x.sqlite");
    let err = fails(&["migrate", "--db", &db]);
    assert!(err.contains(&db) && err.contains("init --jurisdiction"), "{err}");
    assert!(!dir.0.join("new").exists(), "nothing created");
    ok(&["init", "--db", &db, "--jurisdiction", DEMO_PACK]);
    let second = ok(&["migrate", "--db", &db]);
    assert!(second.contains("up to date") && !second.contains("0001_registry"), "{second}");
}

#[test]
fn migrate_on_postgres_says_what_it_applied_and_names_a_missing_database_without_the_password() {
    let Some((_store, url)) = postgres_database() else { return };
    // The test store is migrated when it is made: nothing left to apply.
    let again = ok(&["migrate", "--db", &url]);
    assert!(again.contains("up to date"), "{again}");

    let admin = std::env::var(crimeboard_store::testing::PG_ENV).expect("set");
    let fresh = super::EmptyPgDatabase::create(&admin);
    let applied = ok(&["migrate", "--db", &fresh.url]);
    assert!(applied.contains("0001_registry") && applied.contains("0005_accounts"), "{applied}");

    let missing = super::with_database(&admin, "crimeboard_no_such_database");
    let with_password = missing.replacen("postgres://postgres@", "postgres://postgres:hunter2@", 1);
    assert_ne!(with_password, missing, "the admin URL has the expected user");
    let err = fails(&["verify", "--db", &with_password]);
    assert!(err.contains("crimeboard_no_such_database"), "{err}");
    assert!(!err.contains("hunter2"), "the password is not printed: {err}");
}
