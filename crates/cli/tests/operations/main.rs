//! Operations, with the real binary: SQLite backup and restore, PostgreSQL
//! pg_dump and pg_restore (docs/operations.md), and a process killed with
//! SIGKILL in the middle of a large registration and of an import, on both
//! backends.
//!
//! The PostgreSQL parts need CRIMEBOARD_TEST_PG (./test.sh sets it) and fail
//! without it, unless CRIMEBOARD_TEST_SQLITE_ONLY=1 asks for SQLite alone.

mod accounts;
mod board;
mod first_run;
mod jurisdiction;
mod receptions;
mod units;

use crimeboard_service::{Registry, system_clock};
use crimeboard_store::testing::{PG_ENV, TestStore, postgres_admin_url};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_crimeboard");

fn crimeboard(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run crimeboard")
}

fn ok(args: &[&str]) -> String {
    let out = crimeboard(args);
    assert!(
        out.status.success(),
        "crimeboard {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(args: &[&str]) -> String {
    let out = crimeboard(args);
    assert!(!out.status.success(), "crimeboard {args:?} should have failed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A folder for one test, removed at the end.
struct TempDir(PathBuf);

impl TempDir {
    fn new(what: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("crimeboard-ops-{what}-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn file(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn registry(db: &str) -> Registry {
    let store = crimeboard_store::open(db).expect("open the database");
    Registry::new(store, system_clock()).expect("registry")
}

/// The journal verifies and every counter equals a recount.
fn assert_sound(db: &str) -> Registry {
    let registry = registry(db);
    let v = registry.verify().expect("verify");
    assert!(v.ok(), "{db}: broken journal: {:?}", v.chains.iter().filter(|c| c.result.is_err()).collect::<Vec<_>>());
    let mismatches = registry.verify_counters().expect("recount");
    assert!(
        mismatches.is_empty(),
        "{db}: {} counters differ from a recount, first {:?}",
        mismatches.len(),
        mismatches[0]
    );
    registry
}

fn report_json(db: &str) -> String {
    ok(&["report", "--db", db, "--period", "2024Q1", "--format", "json", "--lang", "en"])
}

const CASES: &str = "SELECT count(*) FROM records WHERE kind = 'case'";
const SOURCES: &str = "SELECT count(*) FROM sources";

/// A count read straight from either backend's tables, past the registry.
fn count(db: &str, sql: &str) -> i64 {
    if db.starts_with("postgres") {
        let mut client = postgres::Client::connect(db, postgres::NoTls).expect("connect");
        client.query_one(sql, &[]).expect("count").get(0)
    } else {
        let conn = rusqlite::Connection::open(db).expect("open");
        conn.query_row(sql, [], |r| r.get(0)).expect("count")
    }
}

/// A throwaway PostgreSQL database and its URL; None (said on stderr) only
/// when `CRIMEBOARD_TEST_SQLITE_ONLY=1` asks for SQLite alone, and without a
/// server otherwise a failure, as for the store's tests.
fn postgres_database() -> Option<(TestStore, String)> {
    let Some(admin) = postgres_admin_url() else {
        eprintln!("CRIMEBOARD_TEST_SQLITE_ONLY=1: skipping the PostgreSQL part");
        return None;
    };
    let store = TestStore::postgres(&admin).expect("a test database");
    let url = store.url().expect("a URL").to_string();
    Some((store, url))
}

fn generate_lean<'a>(db: &'a str, cases: &'a str) -> Vec<&'a str> {
    vec!["generate", "--db", db, "--size", "lean", "--units", "10", "--years", "2", "--cases", cases]
}

/// The registration benchmark registers what it says, through the API's
/// path (the journal verifies, counters equal a recount), and says where the
/// time went, thread by thread.
#[test]
fn the_registration_benchmark_says_where_the_time_goes() {
    let dir = TempDir::new("bench");
    let db = dir.file("crimeboard.sqlite");
    ok(&["init", "--db", &db, "--jurisdiction", DEMO_PACK]);
    let out = ok(&["bench", "register", "--db", &db, "--cases", "300", "--batch", "100"]);
    assert!(out.contains("cases:         300 (600 acts, 900 persons)"), "{out}");
    assert!(out.contains("CPU by thread:") && out.contains("sqlite-writer"), "{out}");
    let registry = assert_sound(&db);
    assert_eq!(count(&db, CASES), 300);
    drop(registry);
}

/// The Board's report as a printable PDF, written to a file.
#[test]
fn the_report_prints_as_a_pdf() {
    let dir = TempDir::new("pdf");
    let db = dir.file("crimeboard.sqlite");
    ok(&generate_lean(&db, "200"));
    let file = dir.file("report.pdf");
    ok(&["report", "--db", &db, "--period", "2024Q1", "--format", "pdf", "--lang", "az", "--out", &file]);
    let bytes = std::fs::read(&file).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.windows(10).any(|w| w == b"/FontFile2"), "fonts embedded");
    let Ok(text) = Command::new("pdftotext").args(["-enc", "UTF-8", &file, "-"]).output() else {
        eprintln!("pdftotext not installed (Debian poppler-utils): the text of the PDF was not checked");
        return;
    };
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Kollegiya üçün hesabat") && text.contains("Səhifə 1 /"), "{text}");
}

#[test]
fn sqlite_backup_of_a_running_database_and_restore() {
    let dir = TempDir::new("backup");
    let live = dir.file("live.sqlite");
    ok(&generate_lean(&live, "2000"));

    // Back up while another process keeps registering cases.
    let mut writer = Command::new(BIN)
        .args(generate_lean(&live, "1000000"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a writer");
    std::thread::sleep(Duration::from_millis(500));
    let copy = dir.file("copy.sqlite");
    let printed = ok(&["backup", "--db", &live, "--to", &copy]);
    assert!(printed.contains("journal intact"), "{printed}");
    writer.kill().expect("kill the writer");
    writer.wait().expect("reap the writer");
    assert!(!Path::new(&format!("{copy}-wal")).exists(), "the backup is one file");
    let cases = count(&copy, CASES);
    assert!(cases >= 2000, "the copy has {cases} cases");
    assert_sound(&copy);
    let err = fails(&["backup", "--db", &live, "--to", &copy]);
    assert!(err.contains("--force"), "{err}");

    // Restore: refuses an existing database, checks, then puts the copy in place.
    let restored = dir.file("restored/crimeboard.sqlite");
    ok(&["restore", "--from", &copy, "--db", &restored]);
    assert_eq!(count(&restored, CASES), cases);
    assert_sound(&restored);
    assert_eq!(report_json(&restored), report_json(&copy));
    let err = fails(&["restore", "--from", &copy, "--db", &restored]);
    assert!(err.contains("--force"), "{err}");
    ok(&["restore", "--from", &copy, "--db", &restored, "--force"]);
    assert_eq!(count(&restored, CASES), cases);

    // A copy with an altered journal entry, or a counter that lies, is not restored.
    let before = std::fs::read(&restored).expect("read");
    for (name, sql) in [
        ("altered", "UPDATE journal SET actor = 'someone else' WHERE position = 7"),
        (
            "miscounted",
            "UPDATE counters_day SET value = value + 1
              WHERE (day, unit, indicator) = (SELECT day, unit, indicator FROM counters_day ORDER BY day DESC LIMIT 1)",
        ),
    ] {
        let bad = dir.file(&format!("{name}.sqlite"));
        std::fs::copy(&copy, &bad).expect("copy");
        let conn = rusqlite::Connection::open(&bad).expect("open");
        assert_eq!(conn.execute(sql, []).expect("tamper"), 1);
        drop(conn);
        let err = fails(&["restore", "--from", &bad, "--db", &restored, "--force"]);
        assert!(err.contains("not restored") || err.contains("broken"), "{name}: {err}");
        assert_eq!(std::fs::read(&restored).expect("read"), before, "{name}: the database was left as it was");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.0.join("restored"))
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    let err = fails(&["backup", "--db", "postgres://localhost/x", "--to", &dir.file("x.sqlite")]);
    assert!(err.contains("pg_dump"), "{err}");
}

fn pg_bin(tool: &str) -> PathBuf {
    let dir = std::env::var("PGBIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into());
    Path::new(&dir).join(tool)
}

/// Replaces the database name of a postgres:// URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let slash = base.rfind('/').expect("a database in the URL");
    let mut out = format!("{}/{name}", &base[..slash]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// An empty database (no migrations), dropped at the end.
struct EmptyPgDatabase {
    admin: String,
    name: String,
    url: String,
}

impl EmptyPgDatabase {
    fn create(admin: &str) -> EmptyPgDatabase {
        let name = format!("crimeboard_restore_{}", uuid::Uuid::now_v7().simple());
        let mut client = postgres::Client::connect(admin, postgres::NoTls).expect("connect as admin");
        client.batch_execute(&format!("CREATE DATABASE {name}")).expect("create database");
        EmptyPgDatabase { url: with_database(admin, &name), admin: admin.into(), name }
    }
}

impl Drop for EmptyPgDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

fn run_tool(tool: &str, args: &[&str]) {
    let out = Command::new(pg_bin(tool)).args(args).output().unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn postgres_dump_and_restore() {
    let Some((_source, url)) = postgres_database() else { return };
    let admin = std::env::var(PG_ENV).expect("set when there is a database");
    ok(&generate_lean(&url, "2000"));

    let dir = TempDir::new("pgdump");
    let dump = dir.file("crimeboard.dump");
    // The commands of docs/operations.md.
    run_tool("pg_dump", &["--format=custom", "--file", &dump, "--dbname", &url]);
    let target = EmptyPgDatabase::create(&admin);
    run_tool("pg_restore", &["--exit-on-error", "--no-owner", "--dbname", &target.url, &dump]);

    let printed = ok(&["verify", "--db", &target.url]);
    assert!(printed.contains("journal intact"), "{printed}");
    let printed = ok(&["stats", "verify", "--db", &target.url]);
    assert!(printed.contains("counters equal a recount"), "{printed}");
    assert_sound(&target.url);
    assert_eq!(count(&target.url, CASES), count(&url, CASES));
    assert_eq!(report_json(&target.url), report_json(&url));
    // Writing goes on where the source stopped: sequences and chain heads came across.
    ok(&generate_lean(&target.url, "2500"));
    assert_sound(&target.url);
}

/// Runs a large registration, kills it with SIGKILL after a few acknowledged
/// chunks, and checks what the database holds afterwards.
fn kill_during_registration(db: &str) {
    let acknowledged = run_and_kill(&generate_lean(db, "1000000"), "cases", 3000);
    assert!(acknowledged >= 1000, "no chunk was acknowledged in 20 s");
    assert_sound(db);
    let present = count(db, CASES);
    assert!(present >= acknowledged, "{present} cases present, {acknowledged} acknowledged");
    assert_eq!(present % 1000, 0, "chunks are all or nothing: {present} cases");
    eprintln!("killed after {acknowledged} acknowledged cases; {present} present, journal and counters sound");
}

/// Runs a command that draws a progress line ("... 3000/1000000 cases ..."),
/// SIGKILLs it a little after the line passes `threshold` (or after 20 s),
/// and returns the last count it drew.
fn run_and_kill(args: &[&str], counted: &'static str, threshold: i64) -> i64 {
    let mut child =
        Command::new(BIN).args(args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("start crimeboard");
    let acknowledged = Arc::new(Mutex::new(0i64));
    let mut stderr = child.stderr.take().expect("stderr");
    let seen = acknowledged.clone();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            text.push_str(&String::from_utf8_lossy(&buf[..n]));
            // Only whole lines: a segment followed by the next '\r'.
            let mut parts: Vec<&str> = text.split('\r').collect();
            parts.pop();
            if let Some(done) = parts.iter().rev().find_map(|p| acknowledged_in(p, counted)) {
                *seen.lock().unwrap() = done;
            }
            let keep = text.rfind('\r').map_or(0, |i| i);
            text.drain(..keep);
        }
    });
    let began = Instant::now();
    while began.elapsed() < Duration::from_secs(20) {
        if *acknowledged.lock().unwrap() >= threshold && began.elapsed() > Duration::from_secs(2) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // Catch it mid-chunk: a little after the last acknowledgement.
    std::thread::sleep(Duration::from_millis(130));
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("reap");
    assert!(!status.success(), "killed before it finished");
    reader.join().expect("reader");
    *acknowledged.lock().unwrap()
}

const POLICE_UK_FILE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/police-uk/2018-07-west-yorkshire-street.csv");
const POLICE_UK_MAPPING: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/mappings/police-uk.toml");
const POLICE_UK_PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/jurisdictions/england-wales");
const DEMO_PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/jurisdictions/azerbaijan");

/// Kills an import of a real police.uk file part way, checks the database
/// is sound, then runs the same import again: it skips exactly what the
/// killed run committed and records the rest, so every row lands once.
fn kill_during_import(db: &str, dir: &TempDir) {
    let errors = dir.file("rejected.csv");
    // Batches of 1,000 rows, so the kill comes after some have committed.
    let import =
        ["import", POLICE_UK_FILE, "--mapping", POLICE_UK_MAPPING, "--db", db, "--errors", &errors, "--batch", "1000"];
    if !db.starts_with("postgres") {
        // The mapping's own unit tree: the police.uk pack's.
        ok(&["init", "--db", db, "--jurisdiction", POLICE_UK_PACK]);
    }
    let read = run_and_kill(&import, "rows", 3000);
    assert!(read >= 1000, "the import drew no progress in 20 s");
    assert_sound(db);
    let committed = count(db, SOURCES);
    assert!(committed < 31_635, "the import finished before it was killed ({committed} rows imported)");

    let out = crimeboard(&import);
    let printed = String::from_utf8_lossy(&out.stderr);
    let summary = printed.lines().find(|l| l.contains("rows read:")).unwrap_or_else(|| panic!("no summary: {printed}"));
    let said = |label: &str| -> i64 {
        let words: Vec<&str> = summary.split([' ', ',', '(', ')']).filter(|w| !w.is_empty()).collect();
        words
            .windows(2)
            .find(|w| w[1] == label)
            .and_then(|w| w[0].parse().ok())
            .unwrap_or_else(|| panic!("{label} in {summary}"))
    };
    assert_eq!(said("already"), committed, "the second run skips exactly what the killed run committed: {summary}");
    assert_eq!(count(db, SOURCES), committed + said("imported"), "{summary}");
    assert_eq!(said("rows"), said("imported") + said("already") + said("rejected"), "{summary}");
    assert_sound(db);
    eprintln!("import killed after {committed} rows committed; the rerun added {}; {summary}", said("imported"));
}

fn acknowledged_in(segment: &str, counted: &str) -> Option<i64> {
    let words: Vec<&str> = segment.split_whitespace().collect();
    words
        .windows(2)
        .find(|w| w[1].trim_end_matches(',') == counted && w[0].contains('/'))
        .and_then(|w| w[0].split('/').next()?.parse().ok())
}

#[test]
fn killed_mid_registration_sqlite() {
    let dir = TempDir::new("kill");
    kill_during_registration(&dir.file("killed.sqlite"));
}

#[test]
fn killed_mid_registration_postgres() {
    let Some((_store, url)) = postgres_database() else { return };
    kill_during_registration(&url);
}

#[test]
fn killed_mid_import_sqlite() {
    let dir = TempDir::new("kill-import");
    kill_during_import(&dir.file("imported.sqlite"), &dir);
}

#[test]
fn killed_mid_import_postgres() {
    let Some((_store, url)) = postgres_database() else { return };
    kill_during_import(&url, &TempDir::new("kill-import-pg"));
}
