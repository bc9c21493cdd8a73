//! Accounts on both backends: sign-in with a second factor, lockout, session
//! expiry by moving the clock, signing out everywhere, token revocation, and
//! the audit trail's chain under tampering.

use crate::support::{NOW, at, person};
use chrono::{DateTime, Duration, Utc};
use crimeboard_domain::access::{Action, Denied, Role};
use crimeboard_domain::journal::BreakKind;
use crimeboard_service::accounts::{AuthError, By, NewUser, Stage};
use crimeboard_service::audit::{Actor, AuditSearch};
use crimeboard_service::seal::SecretKey;
use crimeboard_service::{Registry, demo_units, totp};
use crimeboard_store::testing::{TestStore, backends};
use std::sync::{Arc, Mutex};

pub const PASSWORD: &str = "Xəzər dənizi sahili 2024";
const ADDR: &str = "10.0.0.7";

struct Env {
    db: TestStore,
    registry: Registry,
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl Env {
    fn advance(&self, by: Duration) {
        *self.now.lock().unwrap() += by;
    }

    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap()
    }

    /// A user with a second factor enrolled; returns the TOTP secret.
    fn user(&self, login: &str, role: Role, unit: &str) -> Vec<u8> {
        let new = NewUser {
            login: login.into(),
            display_name: format!("User {login}"),
            role,
            home_unit: unit.into(),
            grants: vec![],
            password: PASSWORD.into(),
        };
        self.registry.add_user(&new, &self.registry.console()).unwrap();
        let enrolment = self.registry.reset_totp(login, &self.registry.console()).unwrap();
        totp::base32_decode(&enrolment.secret).unwrap()
    }

    fn code(&self, secret: &[u8]) -> String {
        totp::code(secret, self.now())
    }

    /// Signs in fully; returns the session token.
    fn sign_in(&self, login: &str, secret: &[u8]) -> String {
        let s = self.registry.sign_in(login, PASSWORD, ADDR).unwrap();
        assert_eq!(s.stage, Stage::Password);
        self.registry.second_factor(&s.token, &self.code(secret), ADDR).unwrap().token
    }
}

fn each_backend(test: impl Fn(&Env)) {
    for db in backends() {
        let now = Arc::new(Mutex::new(at(NOW)));
        let clock_now = now.clone();
        let clock = Arc::new(move || *clock_now.lock().unwrap());
        let registry =
            Registry::new(db.store.clone(), clock).unwrap().with_secret_key(SecretKey::generate("test key").unwrap());
        registry.add_units(&registry.system("tests"), &demo_units(), &registry.units_added_today("tests")).unwrap();
        eprintln!("-- backend: {}", db.name);
        test(&Env { db, registry, now });
    }
}

fn rules(e: AuthError) -> Vec<String> {
    match e {
        AuthError::Rejected(r) => r.rules().map(String::from).collect(),
        other => panic!("expected a rejection, got {other}"),
    }
}

#[test]
fn a_password_that_breaks_the_policy_creates_no_account() {
    each_backend(|env| {
        let new = |login: &str, password: &str, unit: &str| NewUser {
            login: login.into(),
            display_name: "Aliyev".into(),
            role: Role::Investigator,
            home_unit: unit.into(),
            grants: vec![],
            password: password.into(),
        };
        let err = env.registry.add_user(&new("aliyev", "short", "BAK-NSM"), &env.registry.console()).unwrap_err();
        assert_eq!(rules(err), ["password.too_short"]);
        let err =
            env.registry.add_user(&new("aliyev", "aliyev-is-my-name", "NOWHERE"), &env.registry.console()).unwrap_err();
        assert_eq!(rules(err), ["unit.unknown", "password.contains_login"]);
        let err = env.registry.add_user(&new("Ali Yev", PASSWORD, "BAK-NSM"), &env.registry.console()).unwrap_err();
        assert_eq!(rules(err), ["login.format"]);
        let public = NewUser { role: Role::Public, ..new("someone", PASSWORD, "AZ") };
        assert_eq!(rules(env.registry.add_user(&public, &env.registry.console()).unwrap_err()), ["role.no_account"]);
        assert!(env.registry.users().unwrap().is_empty());
        env.registry.add_user(&new("aliyev", PASSWORD, "BAK-NSM"), &env.registry.console()).unwrap();
        let err = env.registry.add_user(&new("aliyev", PASSWORD, "BAK-NSM"), &env.registry.console()).unwrap_err();
        assert_eq!(rules(err), ["login.taken"]);
        // The hash is Argon2id, never the password.
        let row = env.registry.store().accounts().user("aliyev").unwrap().unwrap();
        assert!(row.password_hash.starts_with("$argon2id$"), "{}", row.password_hash);
        assert!(!row.password_hash.contains(PASSWORD));
    });
}

#[test]
fn signing_in_takes_the_password_then_the_second_factor() {
    each_backend(|env| {
        let secret = env.user("aliyev", Role::Investigator, "BAK-NSM");
        let s = env.registry.sign_in("aliyev", PASSWORD, ADDR).unwrap();
        // Half signed in is not signed in.
        assert_eq!(env.registry.session(&s.token).unwrap().stage, Stage::Password);
        assert!(matches!(env.registry.second_factor(&s.token, "000000", ADDR), Err(AuthError::BadCredentials)));
        let full = env.registry.second_factor(&s.token, &env.code(&secret), ADDR).unwrap();
        let session = env.registry.session(&full.token).unwrap();
        assert_eq!(session.stage, Stage::Full);
        assert_eq!(session.principal.login, "aliyev");
        assert_eq!(session.principal.role, Role::Investigator);
        assert_eq!(session.csrf_token, full.csrf_token);
        // A new id and CSRF token at the gain of privilege; the half-signed-in id is void.
        assert_ne!(full.token, s.token);
        assert_ne!(full.csrf_token, s.csrf_token);
        assert!(matches!(env.registry.session(&s.token), Err(AuthError::SessionEnded)));
        // The store keeps the token's hash, not the token.
        assert!(env.registry.store().accounts().session(&full.token).unwrap().is_none());
        let signed_in =
            env.registry.audit_search(&AuditSearch { action: Some("sign_in".into()), ..Default::default() });
        assert_eq!(signed_in.unwrap().items[0].address, ADDR);
    });
}

#[test]
fn a_user_changes_their_password_with_the_current_one() {
    each_backend(|env| {
        let secret = env.user("aliyev", Role::Investigator, "BAK-NSM");
        let token = env.sign_in("aliyev", &secret);
        let new = "Şəki xan sarayı 1762-ci il";
        let err = env.registry.change_own_password("aliyev", "not the password", new, ADDR).unwrap_err();
        assert!(matches!(err, AuthError::BadCredentials));
        let err = env.registry.change_own_password("aliyev", PASSWORD, "short", ADDR).unwrap_err();
        assert_eq!(rules(err), ["password.too_short"]);
        env.registry.change_own_password("aliyev", PASSWORD, new, ADDR).unwrap();
        assert!(env.registry.session(&token).is_err(), "every session ends");
        assert!(matches!(env.registry.sign_in("aliyev", PASSWORD, ADDR), Err(AuthError::BadCredentials)));
        assert!(env.registry.sign_in("aliyev", new, ADDR).is_ok());
    });
}

#[test]
fn a_code_is_good_once() {
    each_backend(|env| {
        let secret = env.user("aliyev", Role::Investigator, "BAK-NSM");
        let code = env.code(&secret);
        let s = env.registry.sign_in("aliyev", PASSWORD, ADDR).unwrap();
        env.registry.second_factor(&s.token, &code, ADDR).unwrap();
        // Someone who watched it typed cannot use it again, even with the password.
        let s = env.registry.sign_in("aliyev", PASSWORD, ADDR).unwrap();
        assert!(matches!(env.registry.second_factor(&s.token, &code, ADDR), Err(AuthError::BadCredentials)));
        env.advance(Duration::seconds(30));
        env.registry.second_factor(&s.token, &env.code(&secret), ADDR).unwrap();
    });
}

#[test]
fn staff_without_a_second_factor_must_enrol_one() {
    each_backend(|env| {
        let new = NewUser {
            login: "rza".into(),
            display_name: "Rza".into(),
            role: Role::DutyOfficer,
            home_unit: "BAK-NSM".into(),
            grants: vec![],
            password: PASSWORD.into(),
        };
        env.registry.add_user(&new, &env.registry.console()).unwrap();
        let s = env.registry.sign_in("rza", PASSWORD, ADDR).unwrap();
        assert_eq!(s.stage, Stage::Enrol);
        assert!(matches!(env.registry.second_factor(&s.token, "123456", ADDR), Err(AuthError::WrongStep)));
        let enrolment = env.registry.begin_enrolment(&s.token).unwrap();
        assert!(enrolment.uri.starts_with("otpauth://totp/Crimeboard:rza?secret="), "{}", enrolment.uri);
        let secret = totp::base32_decode(&enrolment.secret).unwrap();
        let (full, codes) = env.registry.confirm_enrolment(&s.token, &env.code(&secret), ADDR).unwrap();
        assert_eq!(codes.len(), 10);
        assert_eq!(env.registry.session(&full.token).unwrap().stage, Stage::Full);
        // Enrolling signs in under a new id; the enrolment's id is void.
        assert_ne!(full.token, s.token);
        assert!(matches!(env.registry.session(&s.token), Err(AuthError::SessionEnded)));

        // A recovery code stands in for the app once, and only once.
        let s = env.registry.sign_in("rza", PASSWORD, ADDR).unwrap();
        env.registry.second_factor(&s.token, &codes[3].to_uppercase(), ADDR).unwrap();
        let s = env.registry.sign_in("rza", PASSWORD, ADDR).unwrap();
        assert!(matches!(env.registry.second_factor(&s.token, &codes[3], ADDR), Err(AuthError::BadCredentials)));
    });
}

#[test]
fn five_failures_lock_the_account_for_fifteen_minutes() {
    each_backend(|env| {
        let secret = env.user("aliyev", Role::Investigator, "BAK-NSM");
        for _ in 0..5 {
            assert!(matches!(env.registry.sign_in("aliyev", "wrong password!", ADDR), Err(AuthError::BadCredentials)));
        }
        // Even the right password is refused now, from anywhere.
        assert!(matches!(env.registry.sign_in("aliyev", PASSWORD, "10.9.9.9"), Err(AuthError::LockedOut)));
        env.advance(Duration::minutes(16));
        env.sign_in("aliyev", &secret);
        // Wrong second-factor codes count too.
        let s = env.registry.sign_in("aliyev", PASSWORD, ADDR).unwrap();
        for _ in 0..5 {
            assert!(env.registry.second_factor(&s.token, "000000", ADDR).is_err());
        }
        assert!(matches!(env.registry.second_factor(&s.token, &env.code(&secret), ADDR), Err(AuthError::LockedOut)));
    });
}

#[test]
fn one_address_trying_many_accounts_is_slowed() {
    each_backend(|env| {
        env.user("aliyev", Role::Investigator, "BAK-NSM");
        for i in 0..20 {
            let _ = env.registry.sign_in(&format!("guess{i}"), "wrong password!", "10.6.6.6");
        }
        assert!(matches!(env.registry.sign_in("aliyev", PASSWORD, "10.6.6.6"), Err(AuthError::RateLimited)));
        // Another address is not held back by it.
        assert!(env.registry.sign_in("aliyev", PASSWORD, ADDR).is_ok());
    });
}

#[test]
fn a_session_ends_after_thirty_idle_minutes_or_twelve_hours() {
    each_backend(|env| {
        let secret = env.user("aliyev", Role::Investigator, "BAK-NSM");
        let token = env.sign_in("aliyev", &secret);
        env.advance(Duration::minutes(29));
        assert!(env.registry.session(&token).is_ok());
        env.advance(Duration::minutes(29));
        assert!(env.registry.session(&token).is_ok(), "activity keeps it alive");
        env.advance(Duration::minutes(31));
        assert!(matches!(env.registry.session(&token), Err(AuthError::SessionEnded)));

        let token = env.sign_in("aliyev", &secret);
        for _ in 0..(12 * 3 - 1) {
            env.advance(Duration::minutes(20));
            assert!(env.registry.session(&token).is_ok());
        }
        env.advance(Duration::minutes(20));
        assert!(matches!(env.registry.session(&token), Err(AuthError::SessionEnded)), "busy, but 12 hours passed");
    });
}

#[test]
fn signing_out_everywhere_ends_every_session() {
    each_backend(|env| {
        let secret = env.user("aliyev", Role::Investigator, "BAK-NSM");
        let office = env.sign_in("aliyev", &secret);
        env.advance(Duration::seconds(31));
        let laptop = env.sign_in("aliyev", &secret);
        let other = env.user("rza", Role::DutyOfficer, "BAK-NSM");
        env.advance(Duration::seconds(31));
        let theirs = env.sign_in("rza", &other);
        env.registry.sign_out(&office, ADDR).unwrap();
        assert!(env.registry.session(&office).is_err());
        assert!(env.registry.session(&laptop).is_ok());
        let office = env.sign_in("aliyev", &secret);
        let aliyev = By::new(env.registry.session(&office).unwrap().principal, ADDR);
        assert_eq!(env.registry.sign_out_everywhere("aliyev", &aliyev).unwrap(), 2, "one's own, unadministered");
        assert!(env.registry.session(&office).is_err());
        assert!(env.registry.session(&laptop).is_err());
        assert!(env.registry.session(&theirs).is_ok(), "another user's session stays");
        // Disabling an account ends its sessions too.
        env.registry.set_disabled("rza", true, &env.registry.console()).unwrap();
        assert!(env.registry.session(&theirs).is_err());
        assert!(matches!(env.registry.sign_in("rza", PASSWORD, ADDR), Err(AuthError::BadCredentials)));
    });
}

#[test]
fn a_revoked_token_opens_nothing() {
    each_backend(|env| {
        env.user("chief", Role::UnitChief, "BAK");
        let by = env.registry.console();
        let err = env.registry.create_token("chief", "stats", &[Action::WorkCase], &by).unwrap_err();
        assert_eq!(rules(err), ["token.scope_beyond_role"]);
        let (token, secret) = env.registry.create_token("chief", "stats", &[Action::ReadFigures], &by).unwrap();
        let principal = env.registry.token_principal(&secret).unwrap();
        assert_eq!(principal.token_scope, Some(vec![Action::ReadFigures]));
        assert!(env.registry.authorize(&principal, Action::ReadFigures, Some("BAK-NSM")).is_ok());
        assert!(env.registry.authorize(&principal, Action::ReadPersonalData, Some("BAK-NSM")).is_err());
        env.registry.revoke_token("chief", token.id, &by).unwrap();
        assert!(matches!(env.registry.token_principal(&secret), Err(AuthError::BadCredentials)));
        assert!(env.registry.tokens("chief").unwrap()[0].revoked_at.is_some());
    });
}

/// Every administrative write, made by `by` to `login`'s account (and a new
/// account, `newcomer`, in `login`'s unit), each with what it answered.
fn administer(env: &Env, by: &By, login: &str, token: uuid::Uuid) -> Vec<(&'static str, Result<(), AuthError>)> {
    let r = &env.registry;
    let newcomer = NewUser {
        login: "newcomer".into(),
        display_name: "Newcomer".into(),
        role: Role::Investigator,
        home_unit: "BAK-NSM".into(),
        grants: vec![],
        password: PASSWORD.into(),
    };
    vec![
        ("add_user", r.add_user(&newcomer, by).map(drop)),
        ("set_disabled", r.set_disabled(login, true, by)),
        ("set_password", r.set_password(login, "Another long passphrase 77", by)),
        ("reset_totp", r.reset_totp(login, by).map(drop)),
        ("sign_out_everywhere", r.sign_out_everywhere(login, by).map(drop)),
        ("create_token", r.create_token(login, "more", &[Action::RegisterReport], by).map(drop)),
        ("revoke_token", r.revoke_token(login, token, by)),
    ]
}

#[test]
fn only_an_administrator_administers_accounts_and_a_refusal_writes_nothing() {
    each_backend(|env| {
        let secret = env.user("aliyev", Role::Investigator, "BAK-NSM");
        let session = env.sign_in("aliyev", &secret);
        let console = env.registry.console();
        let (token, _) = env.registry.create_token("aliyev", "app", &[Action::RegisterReport], &console).unwrap();
        env.user("admin", Role::Administrator, "AZ");
        let (_, audit_only) = env.registry.create_token("admin", "audit", &[Action::ReadAudit], &console).unwrap();
        let refused = [
            (By::new(person("chief", Role::UnitChief, "BAK-NSM"), ADDR), Denied::Role),
            (By::new(env.registry.system("import"), "cli"), Denied::Role),
            (By::new(env.registry.anonymous(), ADDR), Denied::Unauthenticated),
            (By::new(env.registry.token_principal(&audit_only).unwrap(), ADDR), Denied::Token),
        ];
        let user_before = env.registry.store().accounts().user("aliyev").unwrap();
        let tokens_before = env.registry.tokens("aliyev").unwrap().len();
        let audit_before = env.registry.audit_verify().unwrap().unwrap();
        for (by, why) in &refused {
            for (write, answer) in administer(env, by, "aliyev", token.id) {
                match answer {
                    Err(AuthError::Denied(d)) => assert_eq!(d, *why, "{write} by {}", by.principal.login),
                    other => panic!("{write} by {}: expected a denial, got {other:?}", by.principal.login),
                }
            }
        }
        assert_eq!(env.registry.store().accounts().user("aliyev").unwrap(), user_before, "the user is unchanged");
        assert!(env.registry.session(&session).is_ok(), "the user's session goes on");
        assert_eq!(env.registry.tokens("aliyev").unwrap().len(), tokens_before);
        assert!(env.registry.tokens("aliyev").unwrap().iter().all(|t| t.revoked_at.is_none()));
        assert!(matches!(env.registry.user("newcomer"), Err(AuthError::NoSuchUser)));
        assert_eq!(env.registry.audit_verify().unwrap().unwrap(), audit_before, "no audit record was added");

        // The console may, and the trail names it.
        for (write, answer) in administer(env, &console, "aliyev", token.id) {
            assert!(answer.is_ok(), "{write} from the console: {answer:?}");
        }
        assert!(env.registry.user("aliyev").unwrap().disabled);
        let trail = env.registry.audit_search(&AuditSearch { target: Some("aliyev".into()), ..Default::default() });
        let actions: Vec<_> = trail.unwrap().items.into_iter().filter(|e| e.actor == console.principal.login).collect();
        assert_eq!(actions.len(), 6 + 3, "six writes here and three in setting up, all the console's");
    });
}

#[test]
fn an_administrator_signed_in_administers_accounts_in_every_unit() {
    each_backend(|env| {
        env.user("aliyev", Role::Investigator, "BAK-NSM");
        // Accounts are administered for the whole system (docs/access.md):
        // an administrator homed in another district may too.
        let admin = env.user("admin", Role::Administrator, "BAK-PIR");
        let session = env.sign_in("admin", &admin);
        let by = By::new(env.registry.session(&session).unwrap().principal, ADDR);
        env.registry.set_disabled("aliyev", true, &by).unwrap();
        let last = env.registry.audit_search(&AuditSearch::default()).unwrap().items.remove(0);
        assert_eq!((last.actor.as_str(), last.address.as_str(), last.action.as_str()), ("admin", ADDR, "user_disable"));
    });
}

#[test]
fn only_an_administrator_with_a_second_factor_lets_the_server_face_a_network() {
    each_backend(|env| {
        assert!(!env.registry.may_face_network().unwrap());
        let new = NewUser {
            login: "admin".into(),
            display_name: "Admin".into(),
            role: Role::Administrator,
            home_unit: "AZ".into(),
            grants: vec![],
            password: PASSWORD.into(),
        };
        env.registry.add_user(&new, &env.registry.console()).unwrap();
        assert!(!env.registry.may_face_network().unwrap());
        env.registry.reset_totp("admin", &env.registry.console()).unwrap();
        assert!(env.registry.may_face_network().unwrap());
        env.registry.set_disabled("admin", true, &env.registry.console()).unwrap();
        assert!(!env.registry.may_face_network().unwrap());
    });
}

fn trail(env: &Env) {
    for i in 0..5 {
        env.registry.audit(&Actor::new("aliyev", ADDR), "view_person", &format!("p{i}"), "").unwrap();
    }
}

fn audit_break(env: &Env) -> Option<(i64, BreakKind)> {
    env.registry.audit_verify().unwrap().err().map(|b| (b.seq, b.problem))
}

#[test]
fn the_audit_trail_is_searched_and_verified() {
    each_backend(|env| {
        trail(env);
        env.advance(Duration::hours(1));
        env.registry.audit(&Actor::new("rza", "10.1.1.1"), "export_report", "2024Q1", "csv").unwrap();
        assert_eq!(env.registry.audit_verify().unwrap(), Ok(6));
        let page = env
            .registry
            .audit_search(&AuditSearch { actor: Some("aliyev".into()), per_page: 2, page: 1, ..Default::default() })
            .unwrap();
        assert_eq!(page.items.iter().map(|e| e.target.as_str()).collect::<Vec<_>>(), ["p4", "p3"]);
        assert!(page.has_more);
        let later = AuditSearch { from: Some(at(NOW) + Duration::minutes(30)), ..Default::default() };
        let page = env.registry.audit_search(&later).unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].action, "export_report");
        let target =
            AuditSearch { target: Some("p1".into()), action: Some("view_person".into()), ..Default::default() };
        assert_eq!(env.registry.audit_search(&target).unwrap().items.len(), 1);
    });
}

#[test]
fn audit_verify_names_an_altered_record() {
    each_backend(|env| {
        trail(env);
        env.db.tamper("UPDATE audit SET actor = 'someone' WHERE seq = 3").unwrap();
        assert_eq!(audit_break(env), Some((3, BreakKind::Altered)));
    });
}

#[test]
fn audit_verify_names_a_removed_record() {
    each_backend(|env| {
        trail(env);
        env.db.tamper("DELETE FROM audit WHERE seq = 2").unwrap();
        assert_eq!(audit_break(env), Some((2, BreakKind::Removed)));
    });
}

#[test]
fn audit_verify_names_a_trail_cut_short() {
    each_backend(|env| {
        trail(env);
        env.db.tamper("DELETE FROM audit WHERE seq >= 4").unwrap();
        assert_eq!(audit_break(env), Some((4, BreakKind::Truncated)));
    });
}

/// Sessions that ended or expired more than [`SESSION_RETENTION`] ago, and
/// failed sign-ins past the lockout window, are deleted at the next sign-in;
/// recent ones stay.
#[test]
fn old_sessions_and_failures_are_pruned_at_sign_in() {
    use crimeboard_service::accounts::{SESSION_RETENTION, secret_hash};
    each_backend(|env| {
        let secret = env.user("aliyev", Role::Investigator, "BAK-NSM");
        let stored = |token: &str| env.registry.store().accounts().session(&secret_hash(token)).unwrap();
        let failures = || {
            let accounts = env.registry.store().accounts();
            accounts.login_failures_since("ghost", "10.9.9.9", DateTime::UNIX_EPOCH).unwrap().1
        };
        let signed_out = env.sign_in("aliyev", &secret);
        env.registry.sign_out(&signed_out, ADDR).unwrap();
        env.advance(Duration::seconds(30)); // a code is good once
        let abandoned = env.sign_in("aliyev", &secret);
        assert!(env.registry.sign_in("ghost", "wrong password", "10.9.9.9").is_err());
        env.advance(SESSION_RETENTION + Duration::hours(13));
        assert!(stored(&signed_out).is_some() && stored(&abandoned).is_some());
        assert_eq!(failures(), 1);
        let recent = env.sign_in("aliyev", &secret);
        assert!(stored(&signed_out).is_none(), "a session ended a month ago stays on {}", env.db.name);
        assert!(stored(&abandoned).is_none(), "a session expired a month ago stays on {}", env.db.name);
        assert_eq!(failures(), 0, "a failure past the window stays on {}", env.db.name);
        assert!(stored(&recent).is_some());
        env.registry.sign_out(&recent, ADDR).unwrap();
        env.advance(Duration::seconds(30));
        let current = env.sign_in("aliyev", &secret);
        assert!(stored(&recent).is_some(), "a session ended a moment ago is kept");
        assert!(stored(&current).is_some());
        // The trail keeps them all.
        let signed = env.registry.audit_search(&AuditSearch { action: Some("sign_out".into()), ..Default::default() });
        assert_eq!(signed.unwrap().items.len(), 2);
    });
}

/// TOTP secrets are sealed at rest under a key outside the database: the
/// column does not hold the secret, signing in with a code still works, a
/// secret stored plain before sealing still works and is sealed on open, and
/// the wrong key is a clear error, not a panic.
#[test]
fn totp_secrets_are_sealed_at_rest() {
    each_backend(|env| {
        let secret = env.user("aliyev", Role::Investigator, "BAK-NSM");
        let plain = totp::base32(&secret);
        let stored = |login: &str| env.registry.store().accounts().user(login).unwrap().unwrap().totp_secret.unwrap();
        let column = stored("aliyev");
        assert!(column.starts_with("sealed:v1:"), "{column}");
        assert!(!column.contains(&plain), "the column holds the secret on {}", env.db.name);
        env.sign_in("aliyev", &secret);

        // A database from before sealing: the secret stored plain.
        env.advance(Duration::seconds(30));
        env.registry.store().accounts().set_totp("aliyev", Some(&plain), true).unwrap();
        env.sign_in("aliyev", &secret);
        assert_eq!(env.registry.seal_totp_secrets().unwrap(), 1);
        assert!(stored("aliyev").starts_with("sealed:v1:"));
        assert_eq!(env.registry.seal_totp_secrets().unwrap(), 0, "sealed once");
        env.advance(Duration::seconds(30));
        env.sign_in("aliyev", &secret);

        // The same database under another key.
        let clock_now = env.now.clone();
        let other = Registry::new(env.db.store.clone(), Arc::new(move || *clock_now.lock().unwrap()))
            .unwrap()
            .with_secret_key(SecretKey::generate("other.key").unwrap());
        env.advance(Duration::seconds(30));
        let s = other.sign_in("aliyev", PASSWORD, ADDR).unwrap();
        match other.second_factor(&s.token, &env.code(&secret), ADDR) {
            Err(AuthError::Internal(m)) => assert!(m.contains("does not open with the secret key other.key"), "{m}"),
            other => panic!("expected a clear error about the key, got {other:?}"),
        }
        // And with none at all.
        let none = Registry::new(env.db.store.clone(), Arc::new(|| at(NOW))).unwrap();
        match none.reset_totp("aliyev", &none.console()) {
            Err(AuthError::Internal(m)) => assert!(m.contains("--secret-key"), "{m}"),
            other => panic!("expected a clear error about the key, got {other:?}"),
        }
    });
}
