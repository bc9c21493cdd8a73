//! `crimeboard user ...` and `crimeboard audit ...`: accounts and the audit
//! trail from the server's own command line, which is how the first
//! administrator comes to exist (there is no default account or password).

use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, Utc};
use clap::Subcommand;
use crimeboard_domain::access::{Action, Role};
use crimeboard_service::Registry;
use crimeboard_service::accounts::{AuthError, Enrolment, NewUser};
use crimeboard_service::audit::AuditSearch;
use std::io::{BufRead as _, IsTerminal as _, Write as _};

#[derive(Subcommand)]
pub enum UserCmd {
    /// Create an account. The password is read from standard input (asked
    /// for twice on a terminal); staff get a second factor at once: scan the
    /// printed otpauth:// URI and keep the recovery codes.
    Add {
        /// The name to sign in with (letters, digits, '.', '_' or '-').
        #[arg(long)]
        login: String,
        /// The name shown to others.
        #[arg(long)]
        name: String,
        /// administrator (admin), hq_analyst (analyst), unit_chief (chief),
        /// investigator, duty_officer, forensic_expert, press_officer,
        /// board_secretary (secretary) or controller.
        #[arg(long)]
        role: String,
        /// The home unit's code: the user acts there and below.
        #[arg(long)]
        unit: String,
        /// A unit (with those below) where the user may also read personal data; repeatable.
        #[arg(long = "grant")]
        grants: Vec<String>,
        /// Give no second factor now: the user enrols one at the first
        /// sign-in, from the secret and QR code the enrolment page shows.
        #[arg(long)]
        enrol_at_sign_in: bool,
    },
    /// Every account.
    List,
    /// Disable an account (its sessions end), or enable it again with --enable.
    Disable {
        /// The account's login.
        #[arg(long)]
        login: String,
        /// Enable the account again instead.
        #[arg(long)]
        enable: bool,
    },
    /// Replace a user's second factor and recovery codes (a lost phone); their sessions end.
    TotpReset {
        /// The account's login.
        #[arg(long)]
        login: String,
    },
    /// Set a new password, read as for `add`; the user's sessions end.
    Password {
        /// The account's login.
        #[arg(long)]
        login: String,
    },
    /// End every session of a user.
    SignOutEverywhere {
        /// The account's login.
        #[arg(long)]
        login: String,
    },
    /// Create an API token for a user's machine client, limited to some actions; printed once.
    TokenAdd {
        /// The login of the user the token acts for.
        #[arg(long)]
        login: String,
        /// A name to tell the token apart by, e.g. the client's.
        #[arg(long)]
        name: String,
        /// Comma-separated actions, e.g. read_figures,export_figures (docs/access.md).
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
    },
    /// Revoke an API token by its id.
    TokenRevoke {
        /// The login of the token's user.
        #[arg(long)]
        login: String,
        /// The token's id, as `token-add` printed it.
        #[arg(long)]
        id: uuid::Uuid,
    },
}

#[derive(Subcommand)]
pub enum AuditCmd {
    /// Walk the audit trail's hash chain; fail naming the first altered, removed or reordered record.
    Verify,
    /// Audit records, newest first.
    Search {
        /// Who acted: a login, or `cli` for this command line.
        #[arg(long)]
        actor: Option<String>,
        /// What was done, e.g. user_add, sign_in or export.report.
        #[arg(long)]
        action: Option<String>,
        /// What it was done to: a login, a unit, a record's id.
        #[arg(long)]
        target: Option<String>,
        /// RFC 3339, inclusive.
        #[arg(long)]
        from: Option<DateTime<Utc>>,
        /// RFC 3339, exclusive.
        #[arg(long)]
        to: Option<DateTime<Utc>>,
        /// The page of results, from 1.
        #[arg(long, default_value_t = 1)]
        page: u64,
        /// Records a page.
        #[arg(long, default_value_t = 50)]
        per_page: u64,
    },
}

impl UserCmd {
    /// The login a command acts on, if it names one.
    fn login(&self) -> Option<&str> {
        match self {
            UserCmd::List => None,
            UserCmd::Add { login, .. }
            | UserCmd::Disable { login, .. }
            | UserCmd::TotpReset { login }
            | UserCmd::Password { login }
            | UserCmd::SignOutEverywhere { login }
            | UserCmd::TokenAdd { login, .. }
            | UserCmd::TokenRevoke { login, .. } => Some(login),
        }
    }
}

/// An unknown login named; a broken rule is left for `messages` to put in words.
fn explain(e: AuthError, login: Option<&str>) -> anyhow::Error {
    match (e, login) {
        (AuthError::NoSuchUser, Some(login)) => {
            anyhow::anyhow!("no account has the login {login:?} (`crimeboard user list` shows them)")
        }
        (other, _) => other.into(),
    }
}

pub fn user(registry: &Registry, command: UserCmd) -> Result<()> {
    let login = command.login().map(str::to_string);
    let explain = |e: AuthError| explain(e, login.as_deref());
    let by = registry.console();
    match command {
        UserCmd::Add { login, name, role, unit, grants, enrol_at_sign_in } => {
            let Some(role) = Role::parse(&role).filter(|r| r.is_staff()) else {
                bail!("--role {role:?}: expected one of {}", staff_roles());
            };
            let password = read_password()?;
            let new = NewUser { login: login.clone(), display_name: name, role, home_unit: unit, grants, password };
            let user = registry.add_user(&new, &by).map_err(explain)?;
            println!("created {} ({}, {})", user.login, user.role, user.home_unit);
            if enrol_at_sign_in {
                println!("no second factor yet: {login} enrols one at the first sign-in");
            } else {
                print_enrolment(&registry.reset_totp(&login, &by).map_err(explain)?);
            }
        }
        UserCmd::List => {
            let users = registry.users().map_err(explain)?;
            if users.is_empty() {
                eprintln!("crimeboard: no accounts yet; `crimeboard user add --role admin ...` creates the first");
            }
            let rows = users.iter().map(|u| {
                let state = if u.disabled {
                    "disabled"
                } else if u.totp_enrolled {
                    "active"
                } else {
                    "no-2fa"
                };
                [u.login.clone(), u.role.to_string(), u.home_unit.clone(), state.into(), u.display_name.clone()]
            });
            print!("{}", table(["LOGIN", "ROLE", "UNIT", "STATE", "NAME"], rows.collect()));
        }
        UserCmd::Disable { login, enable } => {
            registry.set_disabled(&login, !enable, &by).map_err(explain)?;
            println!("{login} {}", if enable { "enabled" } else { "disabled; their sessions ended" });
        }
        UserCmd::TotpReset { login } => print_enrolment(&registry.reset_totp(&login, &by).map_err(explain)?),
        UserCmd::Password { login } => {
            let password = read_password()?;
            registry.set_password(&login, &password, &by).map_err(explain)?;
            println!("password of {login} changed; their sessions ended");
        }
        UserCmd::SignOutEverywhere { login } => {
            let n = registry.sign_out_everywhere(&login, &by).map_err(explain)?;
            println!("{n} sessions of {login} ended");
        }
        UserCmd::TokenAdd { login, name, scope } => {
            let actions = scope
                .iter()
                .map(|s| Action::parse(s.trim()).with_context(|| format!("--scope: no action {s:?}")))
                .collect::<Result<Vec<_>>>()?;
            let (token, secret) = registry.create_token(&login, &name, &actions, &by).map_err(explain)?;
            println!("token {} for {login}; send it as `Authorization: Bearer <token>`. Shown once:", token.id);
            println!("{secret}");
        }
        UserCmd::TokenRevoke { login, id } => {
            registry.revoke_token(&login, id, &by).map_err(explain)?;
            println!("token {id} revoked");
        }
    }
    Ok(())
}

/// Rows under a header, each column as wide as its widest cell (counted
/// in characters, so Cyrillic and Azerbaijani names line up); nothing
/// without rows.
fn table<const N: usize>(header: [&str; N], rows: Vec<[String; N]>) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(header.to_vec());
    for row in &rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

fn staff_roles() -> String {
    Role::ALL.iter().filter(|r| r.is_staff()).map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
}

fn print_enrolment(e: &Enrolment) {
    println!("second factor: add this to an authenticator app (or type the secret {}):", e.secret);
    println!("{}", e.uri);
    println!("recovery codes, each good once; keep them apart from the phone. They are not shown again:");
    for c in &e.recovery_codes {
        println!("  {c}");
    }
}

/// A password from standard input: its first line, or on a terminal typed
/// twice without echo. There is never a default.
fn read_password() -> Result<String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        let password = line.trim_end_matches(['\r', '\n']).to_string();
        if password.is_empty() {
            bail!("no password on standard input");
        }
        return Ok(password);
    }
    let first = prompt("password: ")?;
    let second = prompt("again: ")?;
    if first != second {
        bail!("the two passwords differ");
    }
    Ok(first)
}

fn prompt(label: &str) -> Result<String> {
    eprint!("{label}");
    std::io::stderr().flush()?;
    let echo = |on: bool| {
        let _ = std::process::Command::new("stty").arg(if on { "echo" } else { "-echo" }).status();
    };
    echo(false);
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    echo(true);
    eprintln!();
    read?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub fn audit(registry: &Registry, command: AuditCmd) -> Result<()> {
    match command {
        AuditCmd::Verify => match registry.audit_verify()? {
            Ok(n) => println!("audit trail intact: {n} records"),
            Err(brk) => {
                println!("BROKEN  {brk}");
                bail!("the audit trail has been tampered with: see the BROKEN line above");
            }
        },
        AuditCmd::Search { actor, action, target, from, to, page, per_page } => {
            let found = registry.audit_search(&AuditSearch { actor, action, target, from, to, page, per_page })?;
            for e in &found.items {
                let at = crimeboard_domain::journal::timestamp(e.at);
                println!(
                    "{:>8} {at} {:<16} {:<15} {:<20} {} {}",
                    e.seq, e.actor, e.address, e.action, e.target, e.detail
                );
            }
            if found.has_more {
                println!("more: --page {}", page.max(1) + 1);
            }
        }
    }
    Ok(())
}

/// The demo's accounts, one per staff role, each with a random password and
/// a second factor: written once, readable by the owner only, to a file in
/// the demo's folder. Signing in needs the password and then one of the
/// account's recovery codes (each good once) or a code from an
/// authenticator app given the secret. No account has a default password.
pub fn demo_accounts(registry: &Registry, path: &std::path::Path) -> Result<()> {
    const ACCOUNTS: [(&str, Role, &str); 11] = [
        ("duty", Role::DutyOfficer, "BAK-NSM"),
        ("investigator", Role::Investigator, "BAK-NSM"),
        ("chief", Role::UnitChief, "BAK-NSM"),
        ("expert", Role::ForensicExpert, "BAK-NSM"),
        ("analyst", Role::HqAnalyst, "AZ"),
        ("press", Role::PressOfficer, "AZ"),
        ("secretary", Role::BoardSecretary, "AZ"),
        ("controller", Role::Controller, "AZ"),
        ("appeals", Role::AppealsOfficer, "BAK-NSM"),
        ("inspector", Role::Inspector, "AZ"),
        ("admin", Role::Administrator, "AZ"),
    ];
    let by = registry.console();
    let explain = |e: AuthError| explain(e, None);
    let mut text = String::from(
        "# crimeboard demo accounts. Sign in with the password, then one recovery code\n\
         # (each works once) or a code from an authenticator app given the secret.\n",
    );
    for (login, role, unit) in ACCOUNTS {
        let password = crimeboard_service::accounts::random_secret().map_err(explain)?[..20].to_string();
        let new = NewUser {
            login: login.into(),
            display_name: format!("Demo {}", role.as_str()),
            role,
            home_unit: unit.into(),
            grants: vec![],
            password: password.clone(),
        };
        registry.add_user(&new, &by).map_err(explain)?;
        let enrolment = registry.reset_totp(login, &by).map_err(explain)?;
        text.push_str(&format!(
            "\nlogin: {login}\nrole: {}\nunit: {unit}\npassword: {password}\nsecret: {}\nrecovery codes: {}\n",
            role.as_str(),
            enrolment.secret,
            enrolment.recovery_codes.join(" ")
        ));
    }
    write_private(path, &text)
}

/// Writes a file only its owner may read.
fn write_private(path: &std::path::Path, text: &str) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| path.display().to_string())?;
    file.write_all(text.as_bytes()).with_context(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    /// The header names each column and every column starts where its header does.
    #[test]
    fn a_table_aligns_its_columns_under_the_header() {
        let rows = vec![
            ["admin".to_string(), "administrator".into(), "AZ".into()],
            ["məmmədova".to_string(), "duty_officer".into(), "BAK-NSM".into()],
        ];
        let text = super::table(["LOGIN", "ROLE", "UNIT"], rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "LOGIN      ROLE           UNIT");
        assert_eq!(lines[1], "admin      administrator  AZ");
        assert_eq!(lines[2], "məmmədova  duty_officer   BAK-NSM");
        assert_eq!(super::table(["LOGIN"], Vec::new()), "");
    }

    use crimeboard_service::{Registry, demo_units, system_clock};
    use crimeboard_store::testing::TestStore;

    /// Every demo account signs in with the password and a recovery code
    /// from the file, and the file is the owner's alone.
    #[test]
    fn demo_accounts_sign_in_with_what_the_file_says() {
        use std::os::unix::fs::PermissionsExt as _;
        let db = TestStore::sqlite();
        let registry = Registry::new(db.store.clone(), system_clock())
            .unwrap()
            .with_secret_key(crimeboard_service::seal::SecretKey::generate("test").unwrap());
        registry.add_units(&registry.system("tests"), &demo_units(), &registry.units_added_today("tests")).unwrap();
        let folder = std::env::temp_dir().join(format!("crimeboard-demo-accounts-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join("demo-accounts.txt");
        super::demo_accounts(&registry, &path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let text = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_dir_all(&folder);
        let value = |block: &str, key: &str| {
            block.lines().find_map(|l| l.strip_prefix(&format!("{key}: "))).map(str::to_string).unwrap()
        };
        let blocks: Vec<&str> = text.split("\n\n").skip(1).collect();
        assert_eq!(
            blocks.len(),
            super::Role::ALL.iter().filter(|r| r.is_staff()).count(),
            "one per staff role: {text}"
        );
        for block in blocks {
            let (login, password) = (value(block, "login"), value(block, "password"));
            let code = value(block, "recovery codes").split(' ').next().unwrap().to_string();
            let session = registry.sign_in(&login, &password, "127.0.0.1").unwrap();
            registry.second_factor(&session.token, &code, "127.0.0.1").unwrap();
            assert!(registry.sign_in(&login, "not the password", "127.0.0.1").is_err());
        }
    }
}
