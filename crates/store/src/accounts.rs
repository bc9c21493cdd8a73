//! What the accounts and the audit trail keep, behind a second trait that
//! both backends implement (`Store::accounts`). Secrets arrive here already
//! hashed: the store never sees a password, a token or a recovery code.

use crate::Result;
use chrono::{DateTime, Utc};
use crimeboard_domain::audit::{AuditEntry, AuditEvent};
use crimeboard_domain::journal::ChainBreak;
use uuid::Uuid;

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub login: String,
    pub display_name: String,
    /// The role's stored name (`Role::as_str`).
    pub role: String,
    pub home_unit: String,
    pub grants: Vec<String>,
    /// Argon2id, as a PHC string.
    pub password_hash: String,
    /// The TOTP secret once enrolment has begun, as the service sealed it
    /// (`sealed:v1:...`; plain base32 in a database from before sealing).
    pub totp_secret: Option<String>,
    pub totp_enrolled: bool,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

/// A session as stored, keyed by the SHA-256 of its cookie's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub token_hash: String,
    pub login: String,
    /// `password` (second factor due), `enrol` (must enrol first) or `full`.
    pub stage: String,
    pub csrf_token: String,
    pub address: String,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// The absolute end, whatever the activity.
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// An API token as stored, keyed by the SHA-256 of the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: Uuid,
    pub token_hash: String,
    pub login: String,
    pub name: String,
    /// The actions' stored names (`Action::as_str`).
    pub scope: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Filters for the audit trail; every filter optional, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub to: Option<DateTime<Utc>>,
    pub offset: u64,
    pub limit: u64,
}

#[derive(Debug, Clone)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub has_more: bool,
}

/// Accounts, sessions, tokens, failed sign-ins and the audit trail.
pub trait Accounts: Send + Sync {
    /// Adds a user; [`crate::StoreError::AlreadyExists`] if the login is taken.
    fn add_user(&self, user: &UserRow) -> Result<()>;
    fn user(&self, login: &str) -> Result<Option<UserRow>>;
    /// Every user, by login.
    fn users(&self) -> Result<Vec<UserRow>>;
    /// Whether a user of that login existed to change.
    fn set_disabled(&self, login: &str, disabled: bool) -> Result<bool>;
    fn set_password(&self, login: &str, password_hash: &str) -> Result<bool>;
    /// Sets (or clears) the TOTP secret and whether it is enrolled; forgets the last step used.
    fn set_totp(&self, login: &str, secret: Option<&str>, enrolled: bool) -> Result<bool>;
    /// Records that a TOTP code of time step `step` was used: false if that
    /// step or a later one was used before (a replayed code).
    fn use_totp_step(&self, login: &str, step: i64) -> Result<bool>;

    /// Replaces the user's recovery codes with these (hashed) ones.
    fn replace_recovery_codes(&self, login: &str, code_hashes: &[String]) -> Result<()>;
    /// Marks an unused recovery code used; false if there was none such.
    fn use_recovery_code(&self, login: &str, code_hash: &str, at: DateTime<Utc>) -> Result<bool>;

    fn add_session(&self, session: &SessionRow) -> Result<()>;
    fn session(&self, token_hash: &str) -> Result<Option<SessionRow>>;
    /// Records activity on a session (its idle expiry runs from here).
    fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()>;
    fn end_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()>;
    /// Ends every open session of a user; how many were open.
    fn end_sessions(&self, login: &str, at: DateTime<Utc>) -> Result<u64>;

    fn add_token(&self, token: &TokenRow) -> Result<()>;
    fn token(&self, token_hash: &str) -> Result<Option<TokenRow>>;
    fn tokens(&self, login: &str) -> Result<Vec<TokenRow>>;
    /// Revokes a token of a user; false if it was not theirs or already revoked.
    fn revoke_token(&self, login: &str, id: Uuid, at: DateTime<Utc>) -> Result<bool>;

    /// Records a failed sign-in, and forgets those before `forget_before`
    /// so that a flood of failures does not fill the disk.
    fn add_login_failure(
        &self,
        login: &str,
        address: &str,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<()>;
    /// Failed sign-ins since a time, for a login and for an address.
    fn login_failures_since(&self, login: &str, address: &str, since: DateTime<Utc>) -> Result<(u64, u64)>;
    /// Forgets a login's failures (after it signs in).
    fn clear_login_failures(&self, login: &str) -> Result<()>;

    /// Appends a record to the trail, after the last one.
    fn audit_append(&self, event: AuditEvent) -> Result<AuditEntry>;
    fn audit_search(&self, query: &AuditQuery) -> Result<AuditPage>;
    /// Walks the trail in constant memory: how many records, or where it breaks.
    fn audit_verify(&self) -> Result<std::result::Result<i64, ChainBreak>>;

    /// Deletes sessions that ended or expired before `sessions_before` and
    /// failed sign-ins before `failures_before`; how many of each.
    fn prune(&self, sessions_before: DateTime<Utc>, failures_before: DateTime<Utc>) -> Result<(u64, u64)>;
}
