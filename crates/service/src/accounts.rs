//! Accounts: users with Argon2id passwords and a TOTP second factor,
//! sessions with idle and absolute expiry, lockout after repeated failures,
//! API tokens scoped to actions, and the one access check everything uses.
//!
//! Secrets leave here once, to the person they belong to: a session token
//! for the cookie, an API token, recovery codes. The store keeps their
//! SHA-256 (passwords: Argon2id), so a copy of the database opens no account.

use crate::totp;
use crate::{Registry, audit::Actor};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use crimeboard_domain::access::{self, Action, Denied, Principal, Role};
use crimeboard_domain::error::{Rejected, Violation};
use crimeboard_domain::units::UnitCode;
use crimeboard_store::StoreError;
use crimeboard_store::accounts::{SessionRow, TokenRow, UserRow};
use sha2::{Digest, Sha256};
use std::fmt::Write;
use uuid::Uuid;

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// A session ends this long after sign-in, however busy.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// Failures of one account within [`FAILURE_WINDOW`] that lock it.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failures from one address within [`FAILURE_WINDOW`] after which it must wait.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);
pub const RECOVERY_CODES: usize = 10;
/// Sessions that ended or expired longer ago than this are deleted, at each
/// sign-in; the audit trail keeps the sign-ins and sign-outs for good.
pub const SESSION_RETENTION: Duration = Duration::days(30);
/// The name authenticator apps show beside the code.
pub const TOTP_ISSUER: &str = "Crimeboard";
/// How stale `last_seen` may get before a request writes it again: a
/// session's idle expiry is exact to within this, and reads write less.
const TOUCH_AFTER: Duration = Duration::seconds(60);
const API_TOKEN_PREFIX: &str = "cbt_";

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The input breaks a rule (password policy, unknown role or unit...).
    #[error("rejected: {0}")]
    Rejected(#[from] Rejected),
    /// Wrong login, password, code or token; which one is not said.
    #[error("wrong credentials")]
    BadCredentials,
    /// Too many failures for the account: wait for the window to pass.
    #[error("the account is locked for a while after repeated failures")]
    LockedOut,
    /// Too many failures from the address.
    #[error("too many failed sign-ins from this address")]
    RateLimited,
    /// No session, or it ended or expired: sign in again.
    #[error("the session has ended")]
    SessionEnded,
    /// The session has not reached the step asked for (second factor, enrolment).
    #[error("the session is at another step of signing in")]
    WrongStep,
    #[error("no such user")]
    NoSuchUser,
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

impl From<Violation> for AuthError {
    fn from(v: Violation) -> Self {
        AuthError::Rejected(v.into())
    }
}

pub type AuthResult<T> = std::result::Result<T, AuthError>;

/// Who makes an administrative change: the principal the access check is
/// made for, and the address the audit trail records beside its login, so
/// the trail names whoever was let in.
#[derive(Debug, Clone)]
pub struct By {
    pub principal: Principal,
    pub address: String,
}

impl By {
    pub fn new(principal: Principal, address: &str) -> By {
        By { principal, address: address.to_string() }
    }

    fn actor(&self) -> Actor {
        Actor::new(&self.principal.login, &self.address)
    }
}

/// What an administrator types to create an account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub home_unit: String,
    pub grants: Vec<String>,
    pub password: String,
}

/// A user as shown: never a secret.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub home_unit: String,
    pub grants: Vec<String>,
    pub totp_enrolled: bool,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

/// A second factor set up: shown once, then only its hash remains.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// Base32, for typing into an app by hand.
    pub secret: String,
    pub uri: String,
    /// Empty until the enrolment is confirmed.
    pub recovery_codes: Vec<String>,
}

/// Where a session stands in signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Password given; the second factor is due.
    Password,
    /// Password given; the user has no second factor and must enrol one.
    Enrol,
    /// Signed in.
    Full,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Password => "password",
            Stage::Enrol => "enrol",
            Stage::Full => "full",
        }
    }

    fn parse(s: &str) -> AuthResult<Stage> {
        match s {
            "password" => Ok(Stage::Password),
            "enrol" => Ok(Stage::Enrol),
            "full" => Ok(Stage::Full),
            _ => Err(AuthError::Store(StoreError::Corrupt(format!("session stage {s:?}")))),
        }
    }
}

/// A new session: the token goes into the cookie and nowhere else.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub stage: Stage,
}

/// A session looked up from its cookie.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    pub stage: Stage,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// An API token as shown to its owner (the secret only when created).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub scope: Vec<Action>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// `n` random bytes from the operating system.
fn random_bytes<const N: usize>() -> AuthResult<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| AuthError::Internal(format!("no randomness from the OS: {e}")))?;
    Ok(b)
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The SHA-256 of a secret, as kept in the store.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// A random 256-bit secret from the OS as hex (session tokens, CSRF tokens).
pub fn random_secret() -> AuthResult<String> {
    Ok(hex(&random_bytes::<32>()?))
}

fn hash_password(password: &str) -> AuthResult<String> {
    let salt = random_bytes::<16>()?;
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Internal(format!("argon2: {e}")))
}

fn password_matches(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// A hash of some password nobody has, checked when the login is unknown
/// so an unknown login takes as long to refuse as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no account has this password").unwrap_or_default())
}

/// A recovery code as typed: case, spaces and dashes do not matter.
fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

fn new_recovery_code() -> AuthResult<String> {
    let raw = totp::base32(&random_bytes::<10>()?).to_lowercase();
    Ok(raw.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-"))
}

fn user_of(row: UserRow) -> AuthResult<User> {
    Ok(User {
        role: role_of(&row.role)?,
        login: row.login,
        display_name: row.display_name,
        home_unit: row.home_unit,
        grants: row.grants,
        totp_enrolled: row.totp_enrolled,
        disabled: row.disabled,
        created_at: row.created_at,
    })
}

fn role_of(s: &str) -> AuthResult<Role> {
    Role::parse(s).ok_or_else(|| AuthError::Store(StoreError::Corrupt(format!("role {s:?}"))))
}

fn principal_of(row: &UserRow, token_scope: Option<Vec<Action>>) -> AuthResult<Principal> {
    let unit = |s: &str| UnitCode::parse(s).map_err(|_| StoreError::Corrupt(format!("unit {s:?}")));
    Ok(Principal {
        login: row.login.clone(),
        role: role_of(&row.role)?,
        home: unit(&row.home_unit)?,
        grants: row.grants.iter().map(|g| unit(g)).collect::<Result<_, _>>()?,
        token_scope,
    })
}

fn check_login(login: &str) -> AuthResult<()> {
    let ok = (2..=64).contains(&login.len())
        && login.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    if ok { Ok(()) } else { Err(Violation::new("login", "login.format").into()) }
}

impl Registry {
    fn accounts(&self) -> &dyn crimeboard_store::accounts::Accounts {
        self.store.accounts()
    }

    /// The one access check: may `principal` take `action` on data of
    /// `unit` (`None`: no unit in particular)? A unit that does not exist
    /// holds no data, so only the role is checked and the caller then learns
    /// from the rules that the unit is unknown.
    pub fn authorize(&self, principal: &Principal, action: Action, unit: Option<&str>) -> Result<(), Denied> {
        let code = unit.and_then(|u| UnitCode::parse(u).ok());
        crate::authorize_in(&self.units(), principal, action, code.as_ref())
    }

    /// The units a list may show for an action, `None` for all.
    pub fn visible_units(&self, principal: &Principal, action: Action) -> Option<Vec<String>> {
        access::visible_units(principal, action, &self.units())
    }

    /// The principal of someone not signed in.
    pub fn anonymous(&self) -> Principal {
        Principal::public(self.root_code())
    }

    /// The root of the unit tree (a placeholder before there is one): the
    /// home of principals whose scope is every unit.
    pub(crate) fn root_code(&self) -> UnitCode {
        let tree = self.units();
        let root = tree.all().find(|u| u.parent.is_none()).map(|u| u.code.clone());
        root.unwrap_or_else(|| UnitCode::parse("PUBLIC").expect("a valid code"))
    }

    /// The principal of the machine's owner at the command line (see
    /// [`Principal::console`]), named as [`Actor::cli`] names them.
    pub fn console(&self) -> By {
        let cli = Actor::cli();
        By::new(Principal::console(&cli.login, self.root_code()), &cli.address)
    }

    /// The access check of an administrative change to `login`'s account,
    /// made before anything is checked or written: for the user's home unit,
    /// or no unit in particular if there is no such user (who then learns
    /// that only once let in).
    fn authorize_administering(&self, by: &By, login: &str) -> AuthResult<()> {
        let home = self.accounts().user(login)?.map(|u| u.home_unit);
        Ok(self.authorize(&by.principal, Action::AdministerUsers, home.as_deref())?)
    }

    /// Creates an account. Staff must then enrol a second factor (see
    /// [`Registry::reset_totp`] and [`Registry::begin_enrolment`]).
    pub fn add_user(&self, new: &NewUser, by: &By) -> AuthResult<User> {
        self.authorize(&by.principal, Action::AdministerUsers, Some(&new.home_unit))?;
        let mut problems = Vec::new();
        if let Err(AuthError::Rejected(r)) = check_login(&new.login) {
            problems.extend(r.0);
        }
        if !new.role.is_staff() {
            // The public is whoever brings no credentials.
            problems.push(Violation::new("role", "role.no_account").with("role", new.role));
        }
        if new.display_name.trim().is_empty() || new.display_name.chars().count() > 200 {
            problems.push(Violation::new("display_name", "text.length").with("min", 1).with("max", 200));
        }
        let tree = self.units();
        for (field, code) in
            std::iter::once(("home_unit", &new.home_unit)).chain(new.grants.iter().map(|g| ("grants", g)))
        {
            match UnitCode::parse(code) {
                Ok(c) if tree.get(&c).is_some() => {}
                _ => problems.push(Violation::new(field, "unit.unknown").with("code", code)),
            }
        }
        if let Err(r) = access::check_password(&new.login, &new.password) {
            problems.extend(r.0);
        }
        if !problems.is_empty() {
            return Err(Rejected(problems).into());
        }
        let row = UserRow {
            login: new.login.clone(),
            display_name: new.display_name.trim().to_string(),
            role: new.role.as_str().to_string(),
            home_unit: new.home_unit.clone(),
            grants: new.grants.clone(),
            password_hash: hash_password(&new.password)?,
            totp_secret: None,
            totp_enrolled: false,
            disabled: false,
            created_at: self.now(),
        };
        self.accounts().add_user(&row).map_err(|e| match e {
            StoreError::AlreadyExists(_) => Violation::new("login", "login.taken").with("login", &new.login).into(),
            e => AuthError::Store(e),
        })?;
        let detail = format!("role={} unit={}", row.role, row.home_unit);
        self.audit(&by.actor(), "user_add", &row.login, &detail)?;
        user_of(row)
    }

    pub fn user(&self, login: &str) -> AuthResult<User> {
        user_of(self.accounts().user(login)?.ok_or(AuthError::NoSuchUser)?)
    }

    pub fn users(&self) -> AuthResult<Vec<User>> {
        self.accounts().users()?.into_iter().map(user_of).collect()
    }

    /// Disables (or enables again) an account; disabling ends its sessions.
    pub fn set_disabled(&self, login: &str, disabled: bool, by: &By) -> AuthResult<()> {
        self.authorize_administering(by, login)?;
        if !self.accounts().set_disabled(login, disabled)? {
            return Err(AuthError::NoSuchUser);
        }
        if disabled {
            self.accounts().end_sessions(login, self.now())?;
        }
        self.audit(&by.actor(), if disabled { "user_disable" } else { "user_enable" }, login, "")?;
        Ok(())
    }

    /// Sets someone's password (the policy applies) and ends every session.
    pub fn set_password(&self, login: &str, password: &str, by: &By) -> AuthResult<()> {
        self.authorize_administering(by, login)?;
        self.write_password(login, password, &by.actor())
    }

    /// A password written after whoever changes it was let in.
    fn write_password(&self, login: &str, password: &str, by: &Actor) -> AuthResult<()> {
        access::check_password(login, password)?;
        if !self.accounts().set_password(login, &hash_password(password)?)? {
            return Err(AuthError::NoSuchUser);
        }
        self.accounts().end_sessions(login, self.now())?;
        self.audit(by, "password_change", login, "")?;
        Ok(())
    }

    /// A user changes their own password, proving the current one; a wrong
    /// one counts as a failed sign-in. Every session ends, this one too.
    pub fn change_own_password(&self, login: &str, current: &str, new: &str, address: &str) -> AuthResult<()> {
        let now = self.now();
        self.check_failures(login, address, now)?;
        let row = self.accounts().user(login)?.ok_or(AuthError::NoSuchUser)?;
        if !password_matches(current, &row.password_hash) {
            return Err(self.failed(login, address, now, "password_change"));
        }
        self.write_password(login, new, &Actor::new(login, address))
    }

    /// Gives a user a new second factor, enrolled at once, with new recovery
    /// codes, and ends their sessions: what an administrator does for someone
    /// who lost their phone, and how the first administrator gets one.
    pub fn reset_totp(&self, login: &str, by: &By) -> AuthResult<Enrolment> {
        self.authorize_administering(by, login)?;
        self.accounts().user(login)?.ok_or(AuthError::NoSuchUser)?;
        let secret = random_bytes::<20>()?;
        self.accounts().set_totp(login, Some(&self.seal_totp(login, &secret)?), true)?;
        let codes = self.new_recovery_codes(login)?;
        self.accounts().end_sessions(login, self.now())?;
        self.audit(&by.actor(), "totp_reset", login, "")?;
        Ok(Enrolment {
            secret: totp::base32(&secret),
            uri: totp::uri(TOTP_ISSUER, login, &secret),
            recovery_codes: codes,
        })
    }

    fn new_recovery_codes(&self, login: &str) -> AuthResult<Vec<String>> {
        let codes = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect::<AuthResult<Vec<_>>>()?;
        let hashes: Vec<String> = codes.iter().map(|c| secret_hash(&normalise_code(c))).collect();
        self.accounts().replace_recovery_codes(login, &hashes)?;
        Ok(codes)
    }

    /// Checks a password and opens a session at the step that follows: the
    /// second factor, or its enrolment for staff who have none yet.
    pub fn sign_in(&self, login: &str, password: &str, address: &str) -> AuthResult<NewSession> {
        let now = self.now();
        // A login that cannot exist is not looked up, nor stored as given.
        let login = if check_login(login).is_ok() { login } else { "" };
        self.check_failures(login, address, now)?;
        let row = if login.is_empty() { None } else { self.accounts().user(login)? };
        let matches = match &row {
            Some(u) => password_matches(password, &u.password_hash),
            None => {
                password_matches(password, dummy_hash());
                false
            }
        };
        let row = match row {
            Some(u) if matches && !u.disabled => u,
            _ => return Err(self.failed(login, address, now, "password")),
        };
        let role = role_of(&row.role)?;
        let stage = match (role.is_staff(), row.totp_enrolled) {
            (false, _) => Stage::Full,
            (true, true) => Stage::Password,
            (true, false) => Stage::Enrol,
        };
        let session = self.open_session(&row.login, stage, address, now)?;
        if stage == Stage::Full {
            self.signed_in(&row.login, address)?;
        }
        Ok(session)
    }

    fn open_session(&self, login: &str, stage: Stage, address: &str, now: DateTime<Utc>) -> AuthResult<NewSession> {
        let token = random_secret()?;
        let csrf_token = random_secret()?;
        self.accounts().add_session(&SessionRow {
            token_hash: secret_hash(&token),
            login: login.to_string(),
            stage: stage.as_str().to_string(),
            csrf_token: csrf_token.clone(),
            address: address.to_string(),
            created_at: now,
            last_seen: now,
            expires_at: now + ABSOLUTE_TIMEOUT,
            ended_at: None,
        })?;
        Ok(NewSession { token, csrf_token, stage })
    }

    fn check_failures(&self, login: &str, address: &str, now: DateTime<Utc>) -> AuthResult<()> {
        let (by_login, by_address) = self.accounts().login_failures_since(login, address, now - FAILURE_WINDOW)?;
        if by_address >= MAX_FAILURES_PER_ADDRESS {
            return Err(AuthError::RateLimited);
        }
        if by_login >= MAX_FAILURES_PER_ACCOUNT {
            return Err(AuthError::LockedOut);
        }
        Ok(())
    }

    /// Records a failed step and says so; the answer never says which part was wrong.
    fn failed(&self, login: &str, address: &str, now: DateTime<Utc>, step: &str) -> AuthError {
        let recorded = self
            .accounts()
            .add_login_failure(login, address, now, now - FAILURE_WINDOW)
            .and_then(|_| self.audit(&Actor::new("", address), "sign_in_failed", login, step));
        match recorded.map_err(AuthError::from) {
            Ok(_) => AuthError::BadCredentials,
            Err(e) => e,
        }
    }

    fn signed_in(&self, login: &str, address: &str) -> AuthResult<()> {
        self.accounts().clear_login_failures(login)?;
        // Housekeeping, so dead sessions and stale failures do not pile up.
        let now = self.now();
        self.accounts().prune(now - SESSION_RETENTION, now - FAILURE_WINDOW)?;
        self.audit(&Actor::new(login, address), "sign_in", login, "")?;
        Ok(())
    }

    /// The session of a cookie's token at the step it must be at.
    fn session_row(&self, token: &str, now: DateTime<Utc>) -> AuthResult<(SessionRow, UserRow)> {
        let hash = secret_hash(token);
        let row = self.accounts().session(&hash)?.ok_or(AuthError::SessionEnded)?;
        if row.ended_at.is_some() {
            return Err(AuthError::SessionEnded);
        }
        if now >= row.expires_at || now - row.last_seen >= IDLE_TIMEOUT {
            self.accounts().end_session(&hash, now)?;
            return Err(AuthError::SessionEnded);
        }
        let user = self.accounts().user(&row.login)?.ok_or(AuthError::SessionEnded)?;
        if user.disabled {
            self.accounts().end_session(&hash, now)?;
            return Err(AuthError::SessionEnded);
        }
        Ok((row, user))
    }

    /// The session a cookie names, refreshed: who is asking, at which step,
    /// and the CSRF token their forms must carry.
    pub fn session(&self, token: &str) -> AuthResult<Session> {
        let now = self.now();
        let (row, user) = self.session_row(token, now)?;
        if now - row.last_seen >= TOUCH_AFTER {
            self.accounts().touch_session(&row.token_hash, now)?;
        }
        Ok(Session {
            principal: principal_of(&user, None)?,
            stage: Stage::parse(&row.stage)?,
            csrf_token: row.csrf_token,
            expires_at: row.expires_at.min(now + IDLE_TIMEOUT),
        })
    }

    /// A new session in place of `row`'s, at `stage`: a fresh token and CSRF
    /// token, the old ones void. Called at every gain of privilege, so a token
    /// someone planted or saw before it is worth nothing after.
    fn rotate_session(
        &self,
        row: &SessionRow,
        stage: Stage,
        address: &str,
        now: DateTime<Utc>,
    ) -> AuthResult<NewSession> {
        self.accounts().end_session(&row.token_hash, now)?;
        self.open_session(&row.login, stage, address, now)
    }

    /// The second step: a TOTP code, or one of the recovery codes (each works
    /// once). The session goes on under a new token, which the cookie must take.
    pub fn second_factor(&self, token: &str, code: &str, address: &str) -> AuthResult<NewSession> {
        let now = self.now();
        let (row, user) = self.session_row(token, now)?;
        if Stage::parse(&row.stage)? != Stage::Password {
            return Err(AuthError::WrongStep);
        }
        self.check_failures(&user.login, address, now)?;
        let secret = self.totp_secret(&user)?.unwrap_or_default();
        let by_app = match totp::verify(&secret, code, now).filter(|_| !secret.is_empty()) {
            // A code seen once is refused after: someone who watched it typed cannot reuse it.
            Some(step) => self.accounts().use_totp_step(&user.login, step)?,
            None => false,
        };
        let by_recovery = !by_app
            && code.len() <= 64
            && self.accounts().use_recovery_code(&user.login, &secret_hash(&normalise_code(code)), now)?;
        if !(by_app || by_recovery) {
            return Err(self.failed(&user.login, address, now, "second_factor"));
        }
        let session = self.rotate_session(&row, Stage::Full, address, now)?;
        if by_recovery {
            self.audit(&Actor::new(&user.login, address), "recovery_code_used", &user.login, "")?;
        }
        self.signed_in(&user.login, address)?;
        Ok(session)
    }

    /// Starts enrolling a second factor for a session at the enrolment step:
    /// a new secret, not yet in force.
    pub fn begin_enrolment(&self, token: &str) -> AuthResult<Enrolment> {
        let (row, user) = self.session_row(token, self.now())?;
        if Stage::parse(&row.stage)? != Stage::Enrol {
            return Err(AuthError::WrongStep);
        }
        let secret = random_bytes::<20>()?;
        self.accounts().set_totp(&user.login, Some(&self.seal_totp(&user.login, &secret)?), false)?;
        Ok(Enrolment {
            secret: totp::base32(&secret),
            uri: totp::uri(TOTP_ISSUER, &user.login, &secret),
            recovery_codes: Vec::new(),
        })
    }

    /// Confirms an enrolment with a code from the app: the second factor is
    /// then in force, the session signed in, and the recovery codes returned
    /// (the only time they are shown), with the session's new token.
    pub fn confirm_enrolment(&self, token: &str, code: &str, address: &str) -> AuthResult<(NewSession, Vec<String>)> {
        let now = self.now();
        let (row, user) = self.session_row(token, now)?;
        if Stage::parse(&row.stage)? != Stage::Enrol {
            return Err(AuthError::WrongStep);
        }
        let secret = self.totp_secret(&user)?.ok_or(AuthError::WrongStep)?;
        let fresh = match totp::verify(&secret, code, now) {
            Some(step) => self.accounts().use_totp_step(&user.login, step)?,
            None => false,
        };
        if !fresh {
            return Err(self.failed(&user.login, address, now, "enrolment"));
        }
        self.accounts().set_totp(&user.login, Some(&self.seal_totp(&user.login, &secret)?), true)?;
        let codes = self.new_recovery_codes(&user.login)?;
        let session = self.rotate_session(&row, Stage::Full, address, now)?;
        self.audit(&Actor::new(&user.login, address), "totp_enrol", &user.login, "")?;
        self.signed_in(&user.login, address)?;
        Ok((session, codes))
    }

    /// Ends one session.
    pub fn sign_out(&self, token: &str, address: &str) -> AuthResult<()> {
        let hash = secret_hash(token);
        if let Some(row) = self.accounts().session(&hash)? {
            self.accounts().end_session(&hash, self.now())?;
            self.audit(&Actor::new(&row.login, address), "sign_out", &row.login, "")?;
        }
        Ok(())
    }

    /// Ends every session of a user, wherever they are signed in: a user's
    /// own, or an administrator's doing for someone else.
    pub fn sign_out_everywhere(&self, login: &str, by: &By) -> AuthResult<u64> {
        if by.principal.login != login {
            self.authorize_administering(by, login)?;
        }
        let ended = self.accounts().end_sessions(login, self.now())?;
        self.audit(&by.actor(), "sign_out_everywhere", login, &format!("sessions={ended}"))?;
        Ok(ended)
    }

    /// Creates an API token for a user, limited to some of the actions the
    /// user may take. The secret is returned once.
    pub fn create_token(&self, login: &str, name: &str, scope: &[Action], by: &By) -> AuthResult<(ApiToken, String)> {
        self.authorize_administering(by, login)?;
        let user = self.accounts().user(login)?.ok_or(AuthError::NoSuchUser)?;
        let role = role_of(&user.role)?;
        let mut problems = Vec::new();
        if name.trim().is_empty() || name.chars().count() > 100 {
            problems.push(Violation::new("name", "text.length").with("min", 1).with("max", 100));
        }
        if scope.is_empty() {
            problems.push(Violation::new("scope", "token.scope_empty"));
        }
        for a in scope.iter().filter(|a| !access::allows(role, **a)) {
            problems.push(Violation::new("scope", "token.scope_beyond_role").with("action", a));
        }
        if !problems.is_empty() {
            return Err(Rejected(problems).into());
        }
        let secret = format!("{API_TOKEN_PREFIX}{}", random_secret()?);
        let row = TokenRow {
            id: Uuid::now_v7(),
            token_hash: secret_hash(&secret),
            login: login.to_string(),
            name: name.trim().to_string(),
            scope: scope.iter().map(|a| a.as_str().to_string()).collect(),
            created_at: self.now(),
            revoked_at: None,
        };
        self.accounts().add_token(&row)?;
        self.audit(&by.actor(), "token_create", login, &format!("id={} scope={}", row.id, row.scope.join(",")))?;
        Ok((token_view(row)?, secret))
    }

    pub fn tokens(&self, login: &str) -> AuthResult<Vec<ApiToken>> {
        self.accounts().tokens(login)?.into_iter().map(token_view).collect()
    }

    pub fn revoke_token(&self, login: &str, id: Uuid, by: &By) -> AuthResult<()> {
        self.authorize_administering(by, login)?;
        if !self.accounts().revoke_token(login, id, self.now())? {
            return Err(AuthError::NoSuchUser);
        }
        self.audit(&by.actor(), "token_revoke", login, &format!("id={id}"))?;
        Ok(())
    }

    /// Who an API token speaks for, limited to the token's actions.
    pub fn token_principal(&self, secret: &str) -> AuthResult<Principal> {
        if !secret.starts_with(API_TOKEN_PREFIX) || secret.len() > 128 {
            return Err(AuthError::BadCredentials);
        }
        let row = self.accounts().token(&secret_hash(secret))?.ok_or(AuthError::BadCredentials)?;
        if row.revoked_at.is_some() {
            return Err(AuthError::BadCredentials);
        }
        let user = self.accounts().user(&row.login)?.ok_or(AuthError::BadCredentials)?;
        if user.disabled {
            return Err(AuthError::BadCredentials);
        }
        let scope = row.scope.iter().filter_map(|a| Action::parse(a)).collect();
        principal_of(&user, Some(scope))
    }

    /// A TOTP secret as stored: sealed under the registry's key.
    fn seal_totp(&self, login: &str, secret: &[u8]) -> AuthResult<String> {
        self.secret_key.get()?.seal(login, &totp::base32(secret))
    }

    /// A user's TOTP secret, opened (a plain one from before sealing is read
    /// as it is): `None` if there is none or it is not base32.
    fn totp_secret(&self, user: &UserRow) -> AuthResult<Option<Vec<u8>>> {
        let Some(stored) = user.totp_secret.as_deref() else { return Ok(None) };
        if !crate::seal::is_sealed(stored) {
            return Ok(totp::base32_decode(stored));
        }
        Ok(totp::base32_decode(&self.secret_key.get()?.open(&user.login, stored)?))
    }

    /// Seals every TOTP secret still stored plain (written before secrets
    /// were sealed); how many. The command line runs it whenever it opens a
    /// store, so an upgraded database is sealed at its first start; the key
    /// is only read if there is something to seal. A user's last code is
    /// forgotten with it, as with any change of secret.
    pub fn seal_totp_secrets(&self) -> AuthResult<usize> {
        let mut sealed = 0;
        for user in self.accounts().users()? {
            let Some(plain) = user.totp_secret.as_deref().filter(|s| !crate::seal::is_sealed(s)) else { continue };
            let value = self.secret_key.get()?.seal(&user.login, plain)?;
            self.accounts().set_totp(&user.login, Some(&value), user.totp_enrolled)?;
            sealed += 1;
        }
        Ok(sealed)
    }

    /// Whether the server may face a network: at least one enabled
    /// administrator can sign in with a second factor.
    pub fn may_face_network(&self) -> AuthResult<bool> {
        Ok(self
            .accounts()
            .users()?
            .iter()
            .any(|u| u.role == Role::Administrator.as_str() && !u.disabled && u.totp_enrolled))
    }
}

fn token_view(row: TokenRow) -> AuthResult<ApiToken> {
    Ok(ApiToken {
        id: row.id,
        name: row.name,
        scope: row.scope.iter().filter_map(|a| Action::parse(a)).collect(),
        created_at: row.created_at,
        revoked_at: row.revoked_at,
    })
}
