//! Digital identifiers held by reports, cases and persons (docs/identifiers.md):
//! the acts that attach and remove them, their rules, and the rows of the
//! identifier index the lookup reads. The identifier itself is parsed and
//! normalised by `crimeboard-identifiers` before an act is built: an act
//! holds only the parsed [`Identifier`] (a card's keyed hash and mask),
//! never what was typed.

use crate::act::{Entity, EntityKind, Loaded};
use crate::error::{Checks, Violation};
use crate::person::Person;
use crate::units::UnitCode;
pub use crimeboard_identifiers::{Identifier, IdentifierKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest note an attached identifier may carry, in characters.
pub const MAX_NOTE: usize = 500;

/// The most identifiers one report, case or person holds: an act's state
/// stays small enough to load and replay.
pub const MAX_PER_SUBJECT: usize = 200;

/// What holds an identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Report,
    Case,
    Person,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 3] = [SubjectKind::Report, SubjectKind::Case, SubjectKind::Person];

    pub fn as_str(self) -> &'static str {
        self.entity_kind().as_str()
    }

    pub fn parse(s: &str) -> Option<SubjectKind> {
        SubjectKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn entity_kind(self) -> EntityKind {
        match self {
            SubjectKind::Report => EntityKind::Report,
            SubjectKind::Case => EntityKind::Case,
            SubjectKind::Person => EntityKind::Person,
        }
    }
}

/// A report, a case or a person, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: Uuid,
}

/// An identifier as a report, case or person holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Held {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub identifier: Identifier,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An identifier named by its kind and key (a card's keyed hash), as a
/// removal and a lookup name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IdentifierKey {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: IdentifierKind,
    pub value: String,
}

impl IdentifierKey {
    pub fn of(identifier: &Identifier) -> IdentifierKey {
        IdentifierKey { kind: identifier.kind(), value: identifier.value().to_string() }
    }
}

/// Attaches a parsed identifier to a report, a case or a person. `record` is
/// the report or case the act changes: the subject itself, or the one the
/// person belongs to (the registry fills it in from the index).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttachIdentifier {
    pub subject: Subject,
    pub record: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub identifier: Identifier,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Removes an identifier a subject holds, naming the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RemoveIdentifier {
    pub subject: Subject,
    pub record: Uuid,
    pub key: IdentifierKey,
    pub reason: String,
}

/// The identifiers a subject within a loaded record holds, if the record
/// is a report or case and holds the subject.
fn held(entity: &Entity, subject: Subject) -> Option<&Vec<Held>> {
    match (entity, subject.kind) {
        (Entity::Report(r), SubjectKind::Report) if r.id == subject.id => Some(&r.identifiers),
        (Entity::Case(c), SubjectKind::Case) if c.id == subject.id => Some(&c.identifiers),
        (Entity::Report(r), SubjectKind::Person) => {
            r.applicant.as_ref().filter(|p| p.id == subject.id).map(|p| &p.identifiers)
        }
        (Entity::Case(c), SubjectKind::Person) => c.persons.iter().find(|p| p.id == subject.id).map(|p| &p.identifiers),
        _ => None,
    }
}

fn held_mut(entity: &mut Entity, subject: Subject) -> Option<&mut Vec<Held>> {
    match (entity, subject.kind) {
        (Entity::Report(r), SubjectKind::Report) => (r.id == subject.id).then_some(&mut r.identifiers),
        (Entity::Case(c), SubjectKind::Case) => (c.id == subject.id).then_some(&mut c.identifiers),
        (Entity::Report(r), SubjectKind::Person) => {
            r.applicant.as_mut().filter(|p| p.id == subject.id).map(|p| &mut p.identifiers)
        }
        (Entity::Case(c), SubjectKind::Person) => {
            c.persons.iter_mut().find(|p| p.id == subject.id).map(|p| &mut p.identifiers)
        }
        _ => None,
    }
}

/// The identifiers the subject holds, after checking that the record is a
/// report or case holding it; `None` (with the violation pushed) otherwise.
fn subject_in<'a>(loaded: &'a Loaded, record: Uuid, subject: Subject, checks: &mut Checks) -> Option<&'a Vec<Held>> {
    let entity = match loaded.get(&record) {
        Some(e @ (Entity::Report(_) | Entity::Case(_))) => e,
        _ => {
            checks.push(Violation::new("record", "reference.wrong_kind").with("expected", "report, case"));
            return None;
        }
    };
    let found = held(entity, subject);
    checks.check(found.is_some(), || {
        Violation::new("subject.id", "identifier.subject_not_in_record")
            .with("kind", subject.kind.as_str())
            .with("record", entity.kind().as_str())
    });
    found
}

pub(crate) fn check_attach(a: &AttachIdentifier, loaded: &Loaded, checks: &mut Checks) {
    if let Some(note) = &a.note {
        checks
            .check(note.chars().count() <= MAX_NOTE, || Violation::new("note", "text.too_long").with("max", MAX_NOTE));
    }
    let Some(held) = subject_in(loaded, a.record, a.subject, checks) else { return };
    let key = IdentifierKey::of(&a.identifier);
    checks.check(!held.iter().any(|h| IdentifierKey::of(&h.identifier) == key), || {
        Violation::new("identifier", "identifier.already_attached").with("kind", key.kind)
    });
    checks.check(held.len() < MAX_PER_SUBJECT, || {
        Violation::new("subject.id", "identifier.too_many").with("max", MAX_PER_SUBJECT)
    });
}

pub(crate) fn check_remove(r: &RemoveIdentifier, loaded: &Loaded, checks: &mut Checks) {
    checks.check(!r.reason.trim().is_empty(), || Violation::new("reason", "text.required"));
    checks.check(r.reason.chars().count() <= MAX_NOTE, || {
        Violation::new("reason", "text.too_long").with("max", MAX_NOTE)
    });
    let Some(held) = subject_in(loaded, r.record, r.subject, checks) else { return };
    checks.check(held.iter().any(|h| IdentifierKey::of(&h.identifier) == r.key), || {
        Violation::new("key", "identifier.not_attached").with("kind", r.key.kind)
    });
}

pub(crate) fn attach(a: &AttachIdentifier, loaded: &mut Loaded) {
    if let Some(held) = loaded.get_mut(&a.record).and_then(|e| held_mut(e, a.subject)) {
        held.push(Held { identifier: a.identifier.clone(), note: a.note.as_deref().map(str::trim).map(String::from) });
    }
}

pub(crate) fn remove(r: &RemoveIdentifier, loaded: &mut Loaded) {
    if let Some(held) = loaded.get_mut(&r.record).and_then(|e| held_mut(e, r.subject)) {
        held.retain(|h| IdentifierKey::of(&h.identifier) != r.key);
    }
}

/// One identifier held, as the identifier index keeps it: what the lookup
/// reads, keyed by (kind, key), pointing at its subject and record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IdentifierRow {
    pub kind: IdentifierKind,
    /// The lookup key (a card's keyed hash).
    pub key: String,
    pub subject_kind: SubjectKind,
    pub subject_id: Uuid,
    /// The report or case: the subject, or the person's.
    pub record_id: Uuid,
    pub unit: UnitCode,
    /// The record's register number.
    pub number: String,
    /// The identifier as a page shows it (a card masked).
    pub display: String,
}

impl Entity {
    /// The rows of the identifier index the entity's identifiers give: its
    /// own and its persons'.
    pub fn identifier_rows(&self) -> Vec<IdentifierRow> {
        let (record_kind, number, persons): (SubjectKind, &str, Vec<&Person>) = match self {
            Entity::Report(r) => (SubjectKind::Report, &r.register_no, r.applicant.iter().collect()),
            Entity::Case(c) => (SubjectKind::Case, &c.number, c.persons.iter().collect()),
            Entity::Seizure(_)
            | Entity::Accountability(_)
            | Entity::Accident(_)
            | Entity::Examination(_)
            | Entity::Meeting(_)
            | Entity::Task(_)
            | Entity::Release(_)
            | Entity::Reception(_)
            | Entity::Appeal(_)
            | Entity::Publication(_)
            // A request names its case's identifier: the case holds it.
            | Entity::Freeze(_)
            | Entity::Sample(_) => return Vec::new(),
        };
        let own = held(self, Subject { kind: record_kind, id: self.id() }).into_iter().flatten();
        let row = |subject_kind, subject_id, h: &Held| IdentifierRow {
            kind: h.identifier.kind(),
            key: h.identifier.value().to_string(),
            subject_kind,
            subject_id,
            record_id: self.id(),
            unit: self.unit().clone(),
            number: number.to_string(),
            display: h.identifier.display().to_string(),
        };
        let mut rows: Vec<IdentifierRow> = own.map(|h| row(record_kind, self.id(), h)).collect();
        for p in persons {
            rows.extend(p.identifiers.iter().map(|h| row(SubjectKind::Person, p.id, h)));
        }
        rows
    }
}

/// What the identifier index must write when entities change.
#[derive(Debug, Default, PartialEq)]
pub struct IdentifierChanges {
    pub added: Vec<IdentifierRow>,
    pub removed: Vec<IdentifierRow>,
}

impl IdentifierChanges {
    /// Adds the changes of one entity that went from `before` to `after`.
    pub fn add(&mut self, before: Option<&Entity>, after: Option<&Entity>) {
        let old = before.map(Entity::identifier_rows).unwrap_or_default();
        let new = after.map(Entity::identifier_rows).unwrap_or_default();
        self.removed.extend(old.iter().filter(|was| !new.contains(was)).cloned());
        self.added.extend(new.into_iter().filter(|now| !old.contains(now)));
    }
}
