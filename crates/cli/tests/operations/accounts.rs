//! The first administrator is made at the command line, with a password
//! read from standard input and never a default; the audit trail it starts
//! is verified and searched there too, and tampering with it is caught.

use super::{BIN, TempDir, fails, ok};
use std::io::Write as _;
use std::process::{Command, Output, Stdio};

const PASSWORD: &str = "Xəzər dənizi sahili 2024";

fn with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run crimeboard");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write the password");
    child.wait_with_output().expect("wait for crimeboard")
}

fn add_admin(db: &str, login: &str, password: &str) -> Output {
    let args = ["user", "add", "--db", db, "--login", login, "--name", "Admin", "--role", "admin", "--unit", "AZ"];
    with_stdin(&args, &format!("{password}\n"))
}

#[test]
fn the_first_administrator_is_created_at_the_command_line() {
    let dir = TempDir::new("accounts");
    let db = dir.file("accounts.sqlite");
    let units = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/units.toml");
    ok(&["units", "--db", &db, units]);

    // No password, or a weak one: no account.
    let out = add_admin(&db, "admin", "");
    assert!(!out.status.success());
    let out = add_admin(&db, "admin", "admin1234567");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("password.contains_login"), "{err}");
    assert!(ok(&["user", "list", "--db", &db]).trim().is_empty());

    let out = add_admin(&db, "admin", PASSWORD);
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{printed}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(printed.contains("otpauth://totp/Crimeboard:admin?secret="), "{printed}");
    let codes = printed.lines().filter(|l| l.starts_with("  ") && l.trim().len() == 19).count();
    assert_eq!(codes, 10, "{printed}");
    assert!(!printed.contains(PASSWORD));

    let list = ok(&["user", "list", "--db", &db]);
    assert!(list.contains("admin") && list.contains("administrator") && list.contains("active"), "{list}");
    assert!(ok(&["audit", "verify", "--db", &db]).contains("intact: 2 records"));
    let found = ok(&["audit", "search", "--db", &db, "--action", "user_add"]);
    assert!(found.contains("role=administrator"), "{found}");

    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute("UPDATE audit SET detail = 'role=investigator unit=AZ' WHERE seq = 1", []).expect("tamper");
    let err = fails(&["audit", "verify", "--db", &db]);
    assert!(err.contains("tampered"), "{err}");
}
