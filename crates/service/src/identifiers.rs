//! Digital identifiers through the registry (docs/identifiers.md): what a
//! user typed is parsed here, under the installation's country and card key,
//! before anything is recorded, so an act holds only the parsed identifier
//! (a card's keyed hash and mask); the lookup parses what is typed the same
//! way and reads the identifier index, showing the records within the
//! asker's scope and only the units and counts of the others.

use crate::audit::Actor;
use crate::seal::SecretKey;
use crate::{Receipt, Registry, Result, ServiceError, Submission, audit::Audited, authorize_in};
use crimeboard_domain::Command;
use crimeboard_domain::access::{Action, Principal};
use crimeboard_domain::error::{Checks, Violation};
use crimeboard_domain::identifier::{
    AttachIdentifier, Identifier, IdentifierKey, IdentifierKind, IdentifierRow, RemoveIdentifier, Subject, SubjectKind,
};
use crimeboard_domain::units::UnitCode;
use crimeboard_identifiers::{IdentifierError, NORMALISER_VERSION, Normalising};
use crimeboard_store::StoreError;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use uuid::Uuid;

/// The most index rows one lookup reads: far more than one identifier is
/// ever attached to, so a lookup is never cut short in practice.
pub const MAX_LOOKUP_ROWS: u64 = 10_000;

/// Where the card key comes from: given, or a file read (or created, mode
/// 0600) on first use, like the key that seals second-factor secrets.
#[derive(Default)]
pub(crate) struct CardKeySlot {
    file: Option<PathBuf>,
    key: OnceLock<Arc<Vec<u8>>>,
}

/// An identifier as a user typed it: a kind and the text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypedIdentifier {
    pub kind: IdentifierKind,
    pub input: String,
}

/// An identifier typed to be attached to a report, a case or a person.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub subject: Subject,
    pub identifier: TypedIdentifier,
    pub note: Option<String>,
    pub legal_ground: String,
}

/// What a lookup found: the records within the asker's scope, and for the
/// other units only how many hold the identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub kind: IdentifierKind,
    /// The lookup key (a card's keyed hash), which an access request names.
    pub key: String,
    /// The identifier as a page shows it (a card masked).
    pub display: String,
    pub visible: Vec<IdentifierRow>,
    pub elsewhere: Vec<Elsewhere>,
}

/// Matches in a unit outside the asker's scope: the unit and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elsewhere {
    pub unit: UnitCode,
    pub count: usize,
}

/// The country whose numbering plan and account form apply: the pack's
/// code, an ISO 3166 code, except England and Wales (`EW`), which numbers
/// its telephones in the United Kingdom's plan.
fn country_of(pack_code: &str) -> &str {
    match pack_code {
        "EW" => "GB",
        code => code,
    }
}

/// A malformed identifier as a violation of `field`, with the rule it broke.
fn violation(field: &str, e: IdentifierError) -> Violation {
    e.params.iter().fold(Violation::new(field, e.rule), |v, (name, value)| v.with(name, value))
}

impl Registry {
    /// Hashes cards under this key (at least `MIN_CARD_KEY_LEN` bytes).
    pub fn with_card_key(self, key: Vec<u8>) -> Registry {
        let slot = CardKeySlot { file: None, key: OnceLock::from(Arc::new(key)) };
        Registry { card_key: slot, ..self }
    }

    /// Hashes cards under the key in this file, read (or created, mode 0600)
    /// the first time a card is parsed.
    pub fn with_card_key_file(self, path: impl Into<PathBuf>) -> Registry {
        Registry { card_key: CardKeySlot { file: Some(path.into()), key: OnceLock::new() }, ..self }
    }

    /// The card key; empty when none was given, so a card is refused.
    fn card_key(&self) -> Result<Arc<Vec<u8>>> {
        if let Some(key) = self.card_key.key.get() {
            return Ok(key.clone());
        }
        let Some(path) = &self.card_key.file else { return Ok(Arc::new(Vec::new())) };
        let loaded = SecretKey::load_or_create(path).map_err(|e| StoreError::Config(format!("card key: {e}")))?;
        Ok(self.card_key.key.get_or_init(|| Arc::new(loaded.bytes().to_vec())).clone())
    }

    /// Parses what a user typed as an identifier of `kind`; a malformed
    /// value is refused at `field` with the rule it broke (never the value).
    pub fn parse_identifier(&self, kind: IdentifierKind, input: &str, field: &str) -> Result<Identifier> {
        let key = self.card_key()?;
        let pack = self.jurisdiction();
        let ctx = Normalising { default_country: country_of(&pack.code), card_key: &key };
        crimeboard_identifiers::parse(kind, input, &ctx).map_err(|e| violation(field, e).into())
    }

    /// The report or case an act on `subject` changes: the subject itself,
    /// or the one a person belongs to (from the index).
    pub fn record_of(&self, subject: Subject) -> Result<Uuid> {
        match subject.kind {
            SubjectKind::Report | SubjectKind::Case => Ok(subject.id),
            SubjectKind::Person => {
                let person = self.store.get(subject.id)?.filter(|r| r.kind == crimeboard_domain::EntityKind::Person);
                let person =
                    person.ok_or_else(|| Violation::new("subject.id", "reference.not_found").with("id", subject.id))?;
                person
                    .parent
                    .ok_or_else(|| StoreError::Corrupt(format!("person {} without a record", subject.id)).into())
            }
        }
    }

    /// Attaches a typed identifier: parsed first (a malformed one is refused
    /// with its rule, nothing written), then recorded as an act holding the
    /// parsed identifier only.
    pub fn attach_identifier(&self, by: &Principal, a: &Attachment, audited: &Audited) -> Result<Receipt> {
        let parsed = self.parse_identifier(a.identifier.kind, &a.identifier.input, "identifier.input");
        let record = self.record_of(a.subject);
        let (identifier, record) = match (parsed, record) {
            (Ok(i), Ok(r)) => (i, r),
            (parsed, record) => return Err(rejected_together([parsed.err(), record.err()])),
        };
        let command = Command::AttachIdentifier(AttachIdentifier {
            subject: a.subject,
            record,
            identifier,
            note: a.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(String::from),
        });
        let submission =
            Submission { actor: by.login.clone(), legal_ground: a.legal_ground.clone(), command, late: None };
        self.record(by, &submission, audited)
    }

    /// Removes an identifier a subject holds, named by its kind and key.
    pub fn remove_identifier(
        &self,
        by: &Principal,
        subject: Subject,
        key: IdentifierKey,
        reason: &str,
        legal_ground: &str,
        audited: &Audited,
    ) -> Result<Receipt> {
        let record = self.record_of(subject)?;
        let command = Command::RemoveIdentifier(RemoveIdentifier { subject, record, key, reason: reason.to_string() });
        let submission =
            Submission { actor: by.login.clone(), legal_ground: legal_ground.to_string(), command, late: None };
        self.record(by, &submission, audited)
    }

    /// Finds every report, case and person holding the identifier typed in
    /// any common form. The records in units where `by` reads personal data
    /// are given whole; of the others, only the unit and how many. The
    /// lookup is written to the audit trail (by its key: a card's hash).
    pub fn lookup_identifier(
        &self,
        by: &Principal,
        actor: &Actor,
        kind: IdentifierKind,
        input: &str,
    ) -> Result<Lookup> {
        authorize_in(&self.units(), by, Action::ReadPersonalData, None)?;
        let identifier = self.parse_identifier(kind, input, "value")?;
        let key = IdentifierKey::of(&identifier);
        self.holders(by, actor, &key, Some(identifier.display()))
    }

    /// Finds every report, case and person holding an identifier named by
    /// its kind and key (a card's keyed hash, never its number), as
    /// [`Registry::lookup_identifier`] does for one typed; the identifier is
    /// shown as a holder within the asker's scope records it (a card masked),
    /// else by its key (none for a card). Audited alike.
    pub fn lookup_identifier_key(&self, by: &Principal, actor: &Actor, key: &IdentifierKey) -> Result<Lookup> {
        authorize_in(&self.units(), by, Action::ReadPersonalData, None)?;
        self.holders(by, actor, key, None)
    }

    /// The index rows holding a key: whole within the asker's scope, counted
    /// per unit outside it; the look is written to the audit trail.
    fn holders(&self, by: &Principal, actor: &Actor, key: &IdentifierKey, display: Option<&str>) -> Result<Lookup> {
        let units = self.units();
        let rows = self.store.identifiers(key.kind, &key.value, MAX_LOOKUP_ROWS)?;
        let (mut visible, mut elsewhere) = (Vec::new(), Vec::<Elsewhere>::new());
        for row in rows {
            if authorize_in(&units, by, Action::ReadPersonalData, Some(&row.unit)).is_ok() {
                visible.push(row);
            } else {
                match elsewhere.iter_mut().find(|e| e.unit == row.unit) {
                    Some(e) => e.count += 1,
                    None => elsewhere.push(Elsewhere { unit: row.unit, count: 1 }),
                }
            }
        }
        let detail = format!("found={} elsewhere={}", visible.len(), elsewhere.iter().map(|e| e.count).sum::<usize>());
        self.audit(actor, "lookup_identifier", &format!("{}:{}", key.kind, key.value), &detail)?;
        let display = match (display, visible.first()) {
            (Some(typed), _) => typed.to_string(),
            (None, Some(row)) => row.display.clone(),
            (None, None) if key.kind == IdentifierKind::Card => String::new(),
            (None, None) => key.value.clone(),
        };
        Ok(Lookup { kind: key.kind, key: key.value.clone(), display, visible, elsewhere })
    }

    /// Asks for access to the records of a unit holding an identifier: a
    /// record in the audit trail naming who asks, for which key (a card's
    /// hash, never its number), in which unit, and why. Nothing is granted
    /// here: an administrator grants the unit as for any other reading.
    pub fn request_identifier_access(
        &self,
        by: &Principal,
        actor: &Actor,
        key: &IdentifierKey,
        unit: &str,
        reason: &str,
    ) -> Result<()> {
        let units = self.units();
        authorize_in(&units, by, Action::ReadPersonalData, None)?;
        let mut checks = Checks::default();
        let reason = reason.trim();
        checks.check(!reason.is_empty(), || Violation::new("reason", "text.required"));
        checks.check(reason.chars().count() <= 500, || Violation::new("reason", "text.too_long").with("max", 500));
        let unit = checks.absorb(UnitCode::parse(unit));
        let unit = unit.and_then(|code| checks.absorb(units.require("unit", &code).map(|_| code.clone())));
        checks.finish()?;
        let Some(unit) = unit else { return Err(ServiceError::NotFound) };
        let held = self.store.identifiers(key.kind, &key.value, MAX_LOOKUP_ROWS)?;
        if !held.iter().any(|r| r.unit == unit) {
            return Err(Violation::new("unit", "identifier.no_match_in_unit").with("unit", &unit).into());
        }
        let detail = format!("kind={} key={} reason={reason}", key.kind, key.value);
        self.audit(actor, "request_identifier_access", unit.as_str(), &detail)?;
        Ok(())
    }
}

/// Every problem of an attachment at once: the identifier's and the subject's.
fn rejected_together(errors: [Option<ServiceError>; 2]) -> ServiceError {
    let mut violations = Vec::new();
    for e in errors.into_iter().flatten() {
        match e {
            ServiceError::Rejected(r) => violations.extend(r.0),
            other => return other,
        }
    }
    ServiceError::Rejected(crimeboard_domain::Rejected(violations))
}

/// An identifier recorded through the journal's form (the API's acts, an
/// import) must be one the parse gives: written under this normaliser's
/// version, and its key the key it normalises to (a card's hash cannot be
/// checked without its number, so a card is taken as its JSON was checked).
pub(crate) fn check_normalised(registry: &Registry, command: &Command, checks: &mut Checks) -> Result<()> {
    let Command::AttachIdentifier(a) = command else { return Ok(()) };
    let identifier = &a.identifier;
    checks.check(identifier.normaliser() == NORMALISER_VERSION, || {
        Violation::new("identifier.normaliser", "identifier.normaliser").with("expected", NORMALISER_VERSION)
    });
    if identifier.kind() == IdentifierKind::Card {
        return Ok(());
    }
    let again = registry.parse_identifier(identifier.kind(), identifier.value(), "identifier.value");
    match again {
        Ok(parsed) if parsed.value() == identifier.value() => {}
        Ok(_) | Err(ServiceError::Rejected(_)) => {
            checks.push(Violation::new("identifier.value", "identifier.not_normalised").with("kind", identifier.kind()))
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
