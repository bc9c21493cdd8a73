//! The audit trail: every sign-in, change, export and view of personal data,
//! appended to one hash chain. The interfaces call [`Registry::audit`] with
//! who asked and from where; administrators search it and anyone may verify it.

use crate::Registry;
use chrono::{DateTime, Utc};
use crimeboard_domain::access::Principal;
use crimeboard_domain::audit::{AuditEntry, AuditEvent};
use crimeboard_domain::journal::ChainBreak;
use crimeboard_store::accounts::{AuditPage, AuditQuery};

/// Who did something and from where: a login (empty for someone not signed
/// in) and an address (`cli` for the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub login: String,
    pub address: String,
}

impl Actor {
    pub fn new(login: &str, address: &str) -> Actor {
        Actor { login: login.to_string(), address: address.to_string() }
    }

    /// Someone at the server's own command line.
    pub fn cli() -> Actor {
        let login = std::env::var("USER").unwrap_or_default();
        let login = if login.is_empty() { "cli".to_string() } else { format!("cli:{login}") };
        Actor { login, address: "cli".into() }
    }
}

/// The audit record of a recorded act: `act.<kind>` on the entity it
/// created or changed, with where it stands in the journal.
pub(crate) fn act_event(by: &Actor, r: &crate::Receipt, at: DateTime<Utc>) -> AuditEvent {
    AuditEvent {
        at,
        actor: by.login.clone(),
        address: by.address.clone(),
        action: format!("act.{}", r.act),
        target: r.entity_id.to_string(),
        detail: format!("unit={} seq={} position={}", r.unit, r.seq, r.position),
    }
}

/// What the audit trail records of a batch of acts, in the batch's own
/// transaction.
pub enum Audited<'a> {
    /// Nothing: generated data (the demo, the benchmarks), or tests.
    No,
    /// One record for every act (`act.<kind>`), as a person's changes are.
    EachAct(&'a Actor),
    /// One record for the whole batch, for bulk loads (an import): `action`
    /// on `target`, the caller's `detail`, and how many acts the batch
    /// recorded at which journal positions, under which principal. Each act
    /// names that principal in the journal.
    Batch { by: &'a Actor, action: &'a str, target: &'a str, detail: String },
}

impl Audited<'_> {
    /// The records of acts `principal` recorded.
    pub(crate) fn events(
        &self,
        principal: &Principal,
        recorded: &[crate::Receipt],
        at: DateTime<Utc>,
    ) -> Vec<AuditEvent> {
        match self {
            Audited::No => Vec::new(),
            Audited::EachAct(by) => recorded.iter().map(|r| act_event(by, r, at)).collect(),
            Audited::Batch { by, action, target, detail } => {
                let positions = recorded.iter().map(|r| r.position);
                let (first, last) = (positions.clone().min().unwrap_or(0), positions.max().unwrap_or(0));
                vec![AuditEvent {
                    at,
                    actor: by.login.clone(),
                    address: by.address.clone(),
                    action: action.to_string(),
                    target: target.to_string(),
                    // Who ran it is the record's actor; the principal it ran as, as the journal names it.
                    detail: format!(
                        "{detail} principal={} acts={} positions={first}-{last}",
                        principal.login,
                        recorded.len()
                    ),
                }]
            }
        }
    }
}

/// Filters for a search of the trail, as a user gives them.
#[derive(Debug, Clone, Default)]
pub struct AuditSearch {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

pub const AUDIT_PER_PAGE: u64 = 50;
pub const AUDIT_MAX_PER_PAGE: u64 = 500;

impl Registry {
    /// Appends a record to the trail: `action` is what happened (`sign_in`,
    /// `view_person`, `export_report`...), `target` what it happened to,
    /// `detail` anything else worth keeping.
    pub fn audit(&self, by: &Actor, action: &str, target: &str, detail: &str) -> crimeboard_store::Result<AuditEntry> {
        self.store.accounts().audit_append(AuditEvent {
            at: self.now(),
            actor: by.login.clone(),
            address: by.address.clone(),
            action: action.to_string(),
            target: target.to_string(),
            detail: detail.to_string(),
        })
    }

    /// Records of the trail, newest first, a page at a time.
    pub fn audit_search(&self, s: &AuditSearch) -> crimeboard_store::Result<AuditPage> {
        let per_page = if s.per_page == 0 { AUDIT_PER_PAGE } else { s.per_page.min(AUDIT_MAX_PER_PAGE) };
        self.store.accounts().audit_search(&AuditQuery {
            actor: s.actor.clone(),
            action: s.action.clone(),
            target: s.target.clone(),
            from: s.from,
            to: s.to,
            offset: s.page.saturating_sub(1).saturating_mul(per_page),
            limit: per_page,
        })
    }

    /// Walks the whole trail: how many records, or the first that was
    /// altered, removed or reordered, or where it was cut short.
    pub fn audit_verify(&self) -> crimeboard_store::Result<Result<i64, ChainBreak>> {
        self.store.accounts().audit_verify()
    }
}
