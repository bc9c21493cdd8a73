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
    ok(&["init", "--db", &db, "--jurisdiction", super::DEMO_PACK]);

    // No password, or a weak one: no account.
    let out = add_admin(&db, "admin", "");
    assert!(!out.status.success());
    let out = add_admin(&db, "admin", "admin1234567");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("password: A password must not contain the login.").count(), 1, "once, in words: {err}");
    assert!(!err.contains("password.contains_login"), "no rule code: {err}");
    let args = ["user", "add", "--db", &db, "--login", "admin", "--name", "A", "--role", "admin", "--unit", "AZ"];
    let out = with_stdin(&[&args[..], &["--lang", "ru"]].concat(), "admin1234567\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Пароль не должен содержать логин."), "{err}");
    assert!(ok(&["user", "list", "--db", &db]).trim().is_empty());

    let out = add_admin(&db, "admin", PASSWORD);
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{printed}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(printed.contains("otpauth://totp/Crimeboard:admin?secret="), "{printed}");
    let codes = printed.lines().filter(|l| l.starts_with("  ") && l.trim().len() == 19).count();
    assert_eq!(codes, 10, "{printed}");
    assert!(!printed.contains(PASSWORD));

    let out = with_stdin(
        &[
            "user",
            "add",
            "--db",
            &db,
            "--login",
            "duty",
            "--name",
            "Məmmədova Aygün",
            "--role",
            "duty_officer",
            "--unit",
            "BAK-NSM",
            "--enrol-at-sign-in",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list = ok(&["user", "list", "--db", &db]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3, "a header and one line an account: {list}");
    let words = |line: &str| line.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(words(lines[0]), ["LOGIN", "ROLE", "UNIT", "STATE", "NAME"], "{list}");
    assert_eq!(words(lines[1]), ["admin", "administrator", "AZ", "active", "Admin"], "{list}");
    assert_eq!(words(lines[2])[..4], ["duty", "duty_officer", "BAK-NSM", "no-2fa"], "{list}");
    // Each column starts where its header does, on every line.
    let starts = |line: &str| -> Vec<usize> {
        let chars: Vec<char> = line.chars().collect();
        (0..chars.len()).filter(|&i| chars[i] != ' ' && (i == 0 || chars[i - 1] == ' ')).take(5).collect()
    };
    assert_eq!(starts(lines[1]), starts(lines[0]), "{list}");
    assert_eq!(starts(lines[2]), starts(lines[0]), "{list}");

    let err =
        fails(&["user", "token-add", "--db", &db, "--login", "nobody", "--name", "curl", "--scope", "read_figures"]);
    assert!(err.contains("\"nobody\""), "the unknown login is named: {err}");
    assert!(ok(&["audit", "verify", "--db", &db]).contains("intact: 3 records"));
    let found = ok(&["audit", "search", "--db", &db, "--action", "user_add"]);
    assert!(found.contains("role=administrator"), "{found}");

    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute("UPDATE audit SET detail = 'role=investigator unit=AZ' WHERE seq = 1", []).expect("tamper");
    let err = fails(&["audit", "verify", "--db", &db]);
    assert!(err.contains("tampered"), "{err}");
}
