//! The audit trail: who did or looked at what, when and from where. One
//! chain for the whole system, hashed like the journal's, so an altered,
//! removed or reordered record, or a trail cut short, is found by
//! [`crate::journal::ChainWalker`] (whose "unit" is then [`CHAIN`]).

use crate::journal::{Chained, fields_hash, timestamp};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The name the trail's chain goes by in a [`crate::journal::ChainBreak`].
pub const CHAIN: &str = "audit";

/// One audit record as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The login, or empty for someone not signed in.
    pub actor: String,
    /// The address the request came from, or `cli`.
    pub address: String,
    /// What happened, e.g. `sign_in`, `view_person`, `export_report`.
    pub action: String,
    /// What it happened to: an id, a login, a register number, a file.
    pub target: String,
    /// Anything else worth keeping, as short text or JSON.
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The fields of a record before it joins the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub address: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

impl AuditEvent {
    /// The stored record: this event as number `seq` after the record hashed `prev_hash`.
    pub fn chained(self, seq: i64, prev_hash: &str) -> AuditEntry {
        let mut e = AuditEntry {
            seq,
            at: self.at,
            actor: self.actor,
            address: self.address,
            action: self.action,
            target: self.target,
            detail: self.detail,
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        };
        e.hash = Chained::computed_hash(&e);
        e
    }
}

impl Chained for AuditEntry {
    fn seq(&self) -> i64 {
        self.seq
    }
    fn prev_hash(&self) -> &str {
        &self.prev_hash
    }
    fn hash(&self) -> &str {
        &self.hash
    }
    fn computed_hash(&self) -> String {
        let seq = self.seq.to_string();
        let at = timestamp(self.at);
        fields_hash(&[
            &self.prev_hash,
            CHAIN,
            &seq,
            &at,
            &self.actor,
            &self.address,
            &self.action,
            &self.target,
            &self.detail,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{BreakKind, ChainWalker, GENESIS};

    #[test]
    fn a_changed_record_breaks_the_trail() {
        let event = |n: i64| AuditEvent {
            at: DateTime::from_timestamp(1_700_000_000 + n, 0).unwrap(),
            actor: "aliyev".into(),
            address: "127.0.0.1".into(),
            action: "view_person".into(),
            target: format!("p{n}"),
            detail: String::new(),
        };
        let first = event(1).chained(1, GENESIS);
        let second = event(2).chained(2, &first.hash);
        let mut w = ChainWalker::new(CHAIN);
        w.feed(&first).unwrap();
        w.feed(&second).unwrap();
        assert_eq!(w.finish(2, &second.hash), Ok(2));

        let mut forged = second.clone();
        forged.actor = "someone".into();
        let mut w = ChainWalker::new(CHAIN);
        w.feed(&first).unwrap();
        assert_eq!(w.feed(&forged).unwrap_err().problem, BreakKind::Altered);
    }
}
