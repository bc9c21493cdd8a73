//! Territorial units form a tree: the Ministry, main departments, district and
//! city departments. Figures roll up the tree, so every unit knows its parent.
//!
//! The tree changes by acts with an effective date: a unit renamed, moved
//! under another parent, or merged into another ([`UnitChange`]). A
//! [`DatedTree`] holds the tree as loaded and the changes in the order they
//! take effect; [`DatedTree::as_of`] gives the structure in force on a day.
//! A merged unit stays in the tree, below the unit it was merged into and
//! hidden from its children, so figures recorded in it after the merge roll
//! up into the survivor while the counters stay keyed by the unit they were
//! recorded in. A name not given in a language falls back, in the order the
//! caller states: the default language first, then az, ru, en.

use crate::error::{Checks, Violation};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A unit's code, e.g. `BAK-NSM`: upper-case Latin letters, digits and dashes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub struct UnitCode(String);

/// Written as its text, borrowed: every act and state carries a unit code.
impl Serialize for UnitCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl UnitCode {
    pub fn parse(s: &str) -> Result<Self, Violation> {
        let ok = !s.is_empty()
            && s.len() <= 32
            && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if ok { Ok(UnitCode(s.to_string())) } else { Err(Violation::new("unit", "unit.code_format")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UnitCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        UnitCode::parse(&s)
            .map_err(|_| format!("unit code {s:?}: upper-case letters, digits and '-', 1 to 32 characters"))
    }
}

impl From<UnitCode> for String {
    fn from(c: UnitCode) -> String {
        c.0
    }
}

impl std::fmt::Display for UnitCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which body records and investigates: the figures count both together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Agency {
    Mia,
    Prosecutor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// The root: the whole country, where the MIA's and the Prosecutor's figures meet.
    Republic,
    Ministry,
    MainDepartment,
    District,
    City,
    ProsecutorOffice,
}

/// A language a name may be given in, or a text is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Az,
    Ru,
    En,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::Az, Language::Ru, Language::En];

    /// Its code as a pack writes it.
    pub fn code(self) -> &'static str {
        match self {
            Language::Az => "az",
            Language::Ru => "ru",
            Language::En => "en",
        }
    }

    /// The language of a code as a pack writes it (`az`, `ru`, `en`).
    pub fn from_code(code: &str) -> Option<Language> {
        match code {
            "az" => Some(Language::Az),
            "ru" => Some(Language::Ru),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// The order in which a name missing in the language asked for is looked
/// for in the others: `first` (the jurisdiction's default language), then
/// the others in the order az, ru, en.
pub fn name_fallback(first: Language) -> [Language; 3] {
    let mut order = [Language::Az, Language::Ru, Language::En];
    let at = order.iter().position(|l| *l == first).unwrap_or(0);
    order[..=at].rotate_right(1);
    order
}

/// A text in the languages of the system, given in any of them: a name not
/// given is empty (and left out when written). A unit needs at least one;
/// [`Names::get`] answers in another language, by a stated order, when the
/// one asked for was not given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Names {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub az: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ru: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl Names {
    /// The name in `lang`, or when it was not given the first given in the
    /// order of `fallback` (the jurisdiction's default language first:
    /// [`name_fallback`]), or empty when none was given.
    pub fn get(&self, lang: Language, fallback: &[Language]) -> &str {
        std::iter::once(lang)
            .chain(fallback.iter().copied())
            .map(|l| self.given(l))
            .find(|n| !n.is_empty())
            .unwrap_or("")
    }

    /// The name as given in `lang`, empty when it was not (blank counts as not given).
    pub fn given(&self, lang: Language) -> &str {
        match lang {
            Language::Az => self.az.trim(),
            Language::Ru => self.ru.trim(),
            Language::En => self.en.trim(),
        }
    }

    /// No name given in any language.
    pub fn is_empty(&self) -> bool {
        [Language::Az, Language::Ru, Language::En].into_iter().all(|l| self.given(l).is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    pub code: UnitCode,
    pub parent: Option<UnitCode>,
    pub kind: UnitKind,
    pub agency: Agency,
    pub names: Names,
}

impl Unit {
    /// The first field in which `other` says something else of the same
    /// unit, by the name a units file gives it.
    fn first_difference(&self, other: &Unit) -> Option<&'static str> {
        let n = (&self.names, &other.names);
        [
            ("parent", self.parent == other.parent),
            ("kind", self.kind == other.kind),
            ("agency", self.agency == other.agency),
            ("names.az", n.0.az == n.1.az),
            ("names.ru", n.0.ru == n.1.ru),
            ("names.en", n.0.en == n.1.en),
        ]
        .into_iter()
        .find(|(_, same)| !same)
        .map(|(field, _)| field)
    }
}

/// What loading a unit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitLoad {
    Added,
    /// The same unit, identical, was there already.
    AlreadyThere,
}

/// The whole tree, checked: one root, every parent known, no cycles.
#[derive(Debug, Clone, Default)]
pub struct UnitTree {
    units: BTreeMap<UnitCode, Unit>,
    /// Units merged into another: absorbed -> survivor.
    merged: BTreeMap<UnitCode, UnitCode>,
    /// How the public reaches each unit, as its latest contacts act says.
    contacts: BTreeMap<UnitCode, Contacts>,
}

impl UnitTree {
    pub fn new(units: Vec<Unit>) -> Result<Self, Violation> {
        let mut tree = UnitTree::default();
        for u in units {
            tree.insert(u)?;
        }
        Ok(tree)
    }

    /// Adds a unit whose parent is already known (or the root).
    pub fn insert(&mut self, unit: Unit) -> Result<(), Violation> {
        if self.units.contains_key(&unit.code) {
            return Err(Violation::new("code", "unit.duplicate").with("code", &unit.code));
        }
        match &unit.parent {
            Some(p) if !self.units.contains_key(p) => {
                return Err(Violation::new("parent", "unit.unknown").with("code", p));
            }
            None if self.units.values().any(|u| u.parent.is_none()) => {
                return Err(Violation::new("parent", "unit.second_root"));
            }
            _ => {}
        }
        self.units.insert(unit.code.clone(), unit);
        Ok(())
    }

    /// Loads a unit from a units file into a tree that may hold it already:
    /// a new code is inserted; a code already there with the same content is
    /// left alone; one with other content is refused, naming the first field
    /// that differs, since loading never changes a unit. A unit loaded needs
    /// a name in one language at least.
    pub fn load(&mut self, unit: Unit) -> Result<UnitLoad, Violation> {
        if unit.names.is_empty() {
            return Err(Violation::new("names", "unit.name_required").with("code", &unit.code));
        }
        let Some(there) = self.units.get(&unit.code) else {
            self.insert(unit)?;
            return Ok(UnitLoad::Added);
        };
        match there.first_difference(&unit) {
            None => Ok(UnitLoad::AlreadyThere),
            Some(field) => Err(Violation::new(field, "unit.differs").with("code", &unit.code)),
        }
    }

    pub fn get(&self, code: &UnitCode) -> Option<&Unit> {
        self.units.get(code)
    }

    pub fn require(&self, field: &str, code: &UnitCode) -> Result<&Unit, Violation> {
        self.get(code).ok_or_else(|| Violation::new(field, "unit.unknown").with("code", code))
    }

    pub fn all(&self) -> impl Iterator<Item = &Unit> {
        self.units.values()
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The unit itself, then its parent, up to the root.
    pub fn ancestors<'a>(&'a self, code: &UnitCode) -> impl Iterator<Item = &'a Unit> + 'a {
        let mut next = self.units.get(code);
        std::iter::from_fn(move || {
            let here = next?;
            next = here.parent.as_ref().and_then(|p| self.units.get(p));
            Some(here)
        })
    }

    /// Whether `unit` is `scope` or lies below it.
    pub fn is_within(&self, unit: &UnitCode, scope: &UnitCode) -> bool {
        self.ancestors(unit).any(|u| &u.code == scope)
    }

    /// The units directly below `code`, less those merged into it.
    pub fn children<'a>(&'a self, code: &'a UnitCode) -> impl Iterator<Item = &'a Unit> + 'a {
        self.units.values().filter(move |u| u.parent.as_ref() == Some(code) && !self.merged.contains_key(&u.code))
    }

    /// The unit `code` was merged into, if it was.
    pub fn merged_into(&self, code: &UnitCode) -> Option<&UnitCode> {
        self.merged.get(code)
    }

    /// Checks a change against this tree: the units it names exist and are
    /// not merged away, the root is neither moved nor merged, a unit moves
    /// under no unit of its own subtree, and a unit is merged into none of
    /// its own subtree.
    /// How the public reaches a unit, if an act has said.
    pub fn contacts(&self, code: &UnitCode) -> Option<&Contacts> {
        self.contacts.get(code)
    }

    pub fn check_change(&self, change: &UnitChange, checks: &mut Checks) {
        let live = |field: &str, code: &UnitCode, checks: &mut Checks| match self.get(code) {
            None => checks.push(Violation::new(field, "unit.unknown").with("code", code)),
            Some(_) if self.merged.contains_key(code) => {
                checks.push(Violation::new(field, "unit.merged").with("code", code).with("into", &self.merged[code]))
            }
            Some(_) => {}
        };
        let is_root = |code: &UnitCode| self.get(code).is_some_and(|u| u.parent.is_none());
        match change {
            UnitChange::Add(unit) => {
                if self.get(&unit.code).is_some() {
                    checks.push(Violation::new("code", "unit.duplicate").with("code", &unit.code));
                }
                match &unit.parent {
                    Some(parent) => live("parent", parent, checks),
                    None => checks.push(Violation::new("parent", "unit.second_root")),
                }
                checks.check(!unit.names.is_empty(), || {
                    Violation::new("names", "unit.name_required").with("code", &unit.code)
                });
            }
            UnitChange::Rename { unit, names } => {
                live("unit", unit, checks);
                checks.check(!names.is_empty(), || Violation::new("names", "unit.name_required").with("code", unit));
            }
            UnitChange::Move { unit, new_parent } => {
                live("unit", unit, checks);
                live("new_parent", new_parent, checks);
                // Every unit is within the root: its own rule says why it stays.
                if is_root(unit) {
                    checks.push(Violation::new("unit", "unit.root_fixed"));
                } else if self.is_within(new_parent, unit) {
                    checks.push(Violation::new("new_parent", "unit.move_into_itself").with("code", unit));
                }
            }
            UnitChange::Contacts { unit, contacts } => {
                live("unit", unit, checks);
                contacts.check(checks);
            }
            UnitChange::Merge { absorbed, into } => {
                live("absorbed", absorbed, checks);
                live("into", into, checks);
                if is_root(absorbed) {
                    checks.push(Violation::new("absorbed", "unit.root_fixed"));
                } else if self.is_within(into, absorbed) {
                    checks.push(Violation::new("into", "unit.merge_into_itself").with("code", absorbed));
                }
            }
        }
    }

    /// Applies a change checked by [`UnitTree::check_change`].
    fn apply(&mut self, change: &UnitChange) {
        match change {
            UnitChange::Add(unit) => {
                self.units.insert(unit.code.clone(), unit.clone());
            }
            UnitChange::Rename { unit, names } => {
                if let Some(u) = self.units.get_mut(unit) {
                    u.names = names.clone();
                }
            }
            UnitChange::Move { unit, new_parent } => {
                if let Some(u) = self.units.get_mut(unit) {
                    u.parent = Some(new_parent.clone());
                }
            }
            UnitChange::Contacts { unit, contacts } => {
                self.contacts.insert(unit.clone(), contacts.clone());
            }
            UnitChange::Merge { absorbed, into } => {
                for u in self.units.values_mut() {
                    if u.parent.as_ref() == Some(absorbed) {
                        u.parent = Some(into.clone());
                    }
                }
                if let Some(u) = self.units.get_mut(absorbed) {
                    u.parent = Some(into.clone());
                }
                self.merged.insert(absorbed.clone(), into.clone());
            }
        }
    }
}

/// A change of the unit tree, recorded as an act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitChange {
    /// A unit new to the tree, below a parent already in it.
    Add(Unit),
    /// The unit's names from then on.
    Rename { unit: UnitCode, names: Names },
    /// The unit, with the units below it, moves under `new_parent`.
    Move { unit: UnitCode, new_parent: UnitCode },
    /// How the public reaches the unit from then on.
    Contacts { unit: UnitCode, contacts: Contacts },
    /// `absorbed` ends: what was below it moves under `into`, and what is
    /// recorded in it counts for `into`.
    Merge { absorbed: UnitCode, into: UnitCode },
}

impl UnitChange {
    /// The units already in the tree that the change names, with their fields.
    fn named(&self) -> Vec<(&'static str, &UnitCode)> {
        match self {
            UnitChange::Add(unit) => unit.parent.iter().map(|p| ("parent", p)).collect(),
            UnitChange::Rename { unit, .. } | UnitChange::Contacts { unit, .. } => vec![("unit", unit)],
            UnitChange::Move { unit, new_parent } => vec![("unit", unit), ("new_parent", new_parent)],
            UnitChange::Merge { absorbed, into } => vec![("absorbed", absorbed), ("into", into)],
        }
    }
}

/// The act adding a unit to a loaded tree, in force from a day on (before
/// it the unit is in no structure and nothing is recorded in it), or on
/// every day: a unit that already existed, added to record its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUnit {
    pub code: UnitCode,
    pub parent: UnitCode,
    pub kind: UnitKind,
    pub agency: Agency,
    pub names: Names,
    /// `"always"` or the first day, `"YYYY-MM-DD"`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "always"))]
    pub effective_from: UnitInForce,
}

/// When a unit added by an act is part of the structure: on every day, as
/// the units loaded into an empty tree are, or from a day on. Written as
/// `"always"` or the day, so an act written with a day reads as before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitInForce {
    Always,
    From(NaiveDate),
}

impl std::str::FromStr for UnitInForce {
    type Err = String;
    fn from_str(s: &str) -> Result<UnitInForce, String> {
        if s == "always" {
            return Ok(UnitInForce::Always);
        }
        s.parse().map(UnitInForce::From).map_err(|_| format!("{s:?}: \"always\" or a day, YYYY-MM-DD"))
    }
}

impl std::fmt::Display for UnitInForce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnitInForce::Always => f.write_str("always"),
            UnitInForce::From(day) => write!(f, "{day}"),
        }
    }
}

impl Serialize for UnitInForce {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            UnitInForce::Always => serializer.serialize_str("always"),
            UnitInForce::From(day) => day.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for UnitInForce {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<UnitInForce, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

impl NewUnit {
    /// The unit as the tree holds it from its first day.
    pub fn unit(&self) -> Unit {
        Unit {
            code: self.code.clone(),
            parent: Some(self.parent.clone()),
            kind: self.kind,
            agency: self.agency,
            names: self.names.clone(),
        }
    }
}

/// The act renaming a unit from a day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RenameUnit {
    pub unit: UnitCode,
    pub names: Names,
    pub effective_from: NaiveDate,
}

/// How the public reaches a unit: its address, its head and its
/// telephone, which the public site shows on the unit's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    /// The address, in one of the languages at least.
    pub address: Names,
    /// The head's full name, as written.
    pub head: String,
    /// The head's position, in one of the languages at least.
    pub head_position: Names,
    /// A telephone number: digits, spaces, `+`, `-` and brackets, 5 to 15 digits.
    pub telephone: String,
}

/// The digits a telephone number may have: E.164 allows 15, and a short
/// local number has 5.
const TELEPHONE_DIGITS: std::ops::RangeInclusive<usize> = 5..=15;

impl Contacts {
    /// Every field given; the telephone a number as it is written.
    pub fn check(&self, checks: &mut Checks) {
        checks.check(!self.address.is_empty(), || Violation::new("contacts.address", "unit.address_required"));
        checks.check(!self.head.trim().is_empty(), || Violation::new("contacts.head", "unit.head_required"));
        checks.check(!self.head_position.is_empty(), || {
            Violation::new("contacts.head_position", "unit.head_position_required")
        });
        let t = self.telephone.trim();
        let digits = t.chars().filter(char::is_ascii_digit).count();
        let written = t.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
            && !t.chars().skip(1).any(|c| c == '+')
            && TELEPHONE_DIGITS.contains(&digits);
        checks.check(written, || {
            Violation::new("contacts.telephone", "unit.telephone_invalid").with("value", &self.telephone)
        });
    }
}

/// The act saying how the public reaches a unit from a day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetUnitContacts {
    pub unit: UnitCode,
    pub contacts: Contacts,
    pub effective_from: NaiveDate,
}

impl From<&SetUnitContacts> for DatedChange {
    fn from(c: &SetUnitContacts) -> DatedChange {
        let change = UnitChange::Contacts { unit: c.unit.clone(), contacts: c.contacts.clone() };
        DatedChange { effective_from: c.effective_from, change }
    }
}

/// The act moving a unit, with the units below it, under another parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MoveUnit {
    pub unit: UnitCode,
    pub new_parent: UnitCode,
    pub effective_from: NaiveDate,
}

/// The act merging `absorbed` into `into`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeUnits {
    pub absorbed: UnitCode,
    pub into: UnitCode,
    pub effective_from: NaiveDate,
}

impl From<&NewUnit> for TreeChange {
    fn from(n: &NewUnit) -> TreeChange {
        match n.effective_from {
            UnitInForce::Always => TreeChange::Always(n.unit()),
            UnitInForce::From(day) => {
                TreeChange::Dated(DatedChange { effective_from: day, change: UnitChange::Add(n.unit()) })
            }
        }
    }
}

impl From<&RenameUnit> for DatedChange {
    fn from(r: &RenameUnit) -> DatedChange {
        let change = UnitChange::Rename { unit: r.unit.clone(), names: r.names.clone() };
        DatedChange { effective_from: r.effective_from, change }
    }
}

impl From<&MoveUnit> for DatedChange {
    fn from(m: &MoveUnit) -> DatedChange {
        let change = UnitChange::Move { unit: m.unit.clone(), new_parent: m.new_parent.clone() };
        DatedChange { effective_from: m.effective_from, change }
    }
}

impl From<&MergeUnits> for DatedChange {
    fn from(m: &MergeUnits) -> DatedChange {
        let change = UnitChange::Merge { absorbed: m.absorbed.clone(), into: m.into.clone() };
        DatedChange { effective_from: m.effective_from, change }
    }
}

/// A change of the tree as its act makes it: from a day on, or a unit added
/// to the structure of every day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeChange {
    Dated(DatedChange),
    Always(Unit),
}

impl TreeChange {
    /// What changes, whatever its day.
    pub fn change(&self) -> UnitChange {
        match self {
            TreeChange::Dated(dated) => dated.change.clone(),
            TreeChange::Always(unit) => UnitChange::Add(unit.clone()),
        }
    }

    /// The first day it is in force; `None` for every day.
    pub fn effective_from(&self) -> Option<NaiveDate> {
        match self {
            TreeChange::Dated(dated) => Some(dated.effective_from),
            TreeChange::Always(_) => None,
        }
    }
}

/// A unit change and the first day it is in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedChange {
    pub effective_from: NaiveDate,
    pub change: UnitChange,
}

/// The tree as loaded and its changes, in the order they take effect.
#[derive(Debug, Clone, Default)]
pub struct DatedTree {
    loaded: UnitTree,
    changes: Vec<DatedChange>,
    /// The first day of each unit added by an act.
    added: BTreeMap<UnitCode, NaiveDate>,
    current: Arc<UnitTree>,
}

impl DatedTree {
    /// The loaded tree with the changes recorded on it, each checked in turn.
    pub fn new(loaded: UnitTree, changes: Vec<DatedChange>) -> Result<DatedTree, Violation> {
        let mut tree =
            DatedTree { current: Arc::new(loaded.clone()), loaded, changes: Vec::new(), added: BTreeMap::new() };
        for change in changes {
            tree.record(change).map_err(|mut r| r.0.remove(0))?;
        }
        Ok(tree)
    }

    /// The tree with every change applied, whatever its date: the units as
    /// they are now or will be.
    pub fn current(&self) -> Arc<UnitTree> {
        self.current.clone()
    }

    /// The tree as loaded, before any change.
    pub fn loaded(&self) -> &UnitTree {
        &self.loaded
    }

    /// The structure in force on `day`: the changes effective on or before
    /// it. The current tree itself when every change is (no copy is made).
    pub fn as_of(&self, day: NaiveDate) -> Arc<UnitTree> {
        if self.changes.last().is_none_or(|c| c.effective_from <= day) {
            return self.current.clone();
        }
        let mut tree = self.loaded.clone();
        for c in self.changes.iter().take_while(|c| c.effective_from <= day) {
            tree.apply(&c.change);
        }
        Arc::new(tree)
    }

    /// Checks a change against the tree with every earlier change applied and
    /// records it. Changes take effect in the order they are recorded, so
    /// one dated before the last recorded is refused.
    pub fn record(&mut self, change: DatedChange) -> Result<(), crate::error::Rejected> {
        let mut checks = Checks::default();
        // A unit is changed, or has units added below it, only once it is
        // there; that says more than the order of the changes.
        let before_added: Vec<Violation> = change
            .change
            .named()
            .into_iter()
            .filter_map(|(field, code)| {
                let added = *self.added.get(code)?;
                (change.effective_from < added)
                    .then(|| Violation::new(field, "unit.change_before_added").with("code", code).with("added", added))
            })
            .collect();
        if !before_added.is_empty() {
            before_added.into_iter().for_each(|v| checks.push(v));
        } else if let Some(last) = self.changes.last() {
            checks.check(change.effective_from >= last.effective_from, || {
                Violation::new("effective_from", "unit.change_before_last").with("last", last.effective_from)
            });
        }
        self.current.check_change(&change.change, &mut checks);
        checks.finish()?;
        if let UnitChange::Add(unit) = &change.change {
            self.added.insert(unit.code.clone(), change.effective_from);
        }
        Arc::make_mut(&mut self.current).apply(&change.change);
        self.changes.push(change);
        Ok(())
    }

    /// Records a change as its act makes it: a dated one in turn (see
    /// [`DatedTree::record`]); a unit in force on every day joins the tree
    /// as loaded, so no order of dates applies to it, below a parent that
    /// is there on every day too (`unit.change_before_added` otherwise).
    pub fn record_change(&mut self, change: TreeChange) -> Result<(), crate::error::Rejected> {
        let unit = match change {
            TreeChange::Dated(dated) => return self.record(dated),
            TreeChange::Always(unit) => unit,
        };
        let mut checks = Checks::default();
        if let Some((parent, added)) = unit.parent.as_ref().and_then(|p| Some((p, *self.added.get(p)?))) {
            checks.push(Violation::new("parent", "unit.change_before_added").with("code", parent).with("added", added));
        }
        let add = UnitChange::Add(unit.clone());
        self.current.check_change(&add, &mut checks);
        checks.finish()?;
        self.loaded.insert(unit).map_err(crate::error::Rejected::from)?;
        Arc::make_mut(&mut self.current).apply(&add);
        Ok(())
    }

    /// Loads a unit from a units file into the tree as loaded (see
    /// [`UnitTree::load`]); a new unit is then part of the current tree too,
    /// below a parent that may since have been merged.
    pub fn load(&mut self, unit: Unit) -> Result<UnitLoad, Violation> {
        if self.already_there(&unit)? {
            return Ok(UnitLoad::AlreadyThere);
        }
        let loaded = self.loaded.load(unit)?;
        *self = DatedTree::new(self.loaded.clone(), std::mem::take(&mut self.changes))?;
        Ok(loaded)
    }

    /// Whether a unit a units file gives is in the tree already, as loaded
    /// or as added by an act: `true` when identical, `false` when its code
    /// is new, refused with `unit.differs` naming the first field that
    /// differs (a file never changes a unit; acts do), or with
    /// `unit.name_required` when it has no name.
    pub fn already_there(&self, unit: &Unit) -> Result<bool, Violation> {
        if unit.names.is_empty() {
            return Err(Violation::new("names", "unit.name_required").with("code", &unit.code));
        }
        match self.introduced(&unit.code).map(|there| there.first_difference(unit)) {
            None => Ok(false),
            Some(None) => Ok(true),
            Some(Some(field)) => Err(Violation::new(field, "unit.differs").with("code", &unit.code)),
        }
    }

    /// A unit as it came into the tree: as loaded, or as its act added it.
    pub fn introduced(&self, code: &UnitCode) -> Option<&Unit> {
        self.loaded.get(code).or_else(|| {
            self.changes.iter().find_map(|c| match &c.change {
                UnitChange::Add(unit) if &unit.code == code => Some(unit),
                _ => None,
            })
        })
    }

    /// The first day of a unit added by an act; `None` for a unit loaded
    /// (there on every day) or unknown.
    pub fn added_on(&self, code: &UnitCode) -> Option<NaiveDate> {
        self.added.get(code).copied()
    }

    /// Refuses what would be recorded in `unit` on `day` when the unit was
    /// added after it (`unit.not_yet_added`): no structure before its first
    /// day holds it, so nothing of that day may count in it.
    pub fn check_in_force(&self, unit: &UnitCode, day: NaiveDate) -> Result<(), Violation> {
        match self.added_on(unit) {
            Some(added) if day < added => {
                Err(Violation::new("unit", "unit.not_yet_added").with("code", unit).with("added", added))
            }
            _ => Ok(()),
        }
    }
}

/// A small tree for the domain's tests: the country, the ministry, Baku and
/// two of its districts.
#[cfg(test)]
pub(crate) fn test_tree() -> UnitTree {
    let unit = |code: &str, parent: Option<&str>, kind| Unit {
        code: UnitCode::parse(code).unwrap(),
        parent: parent.map(|p| UnitCode::parse(p).unwrap()),
        kind,
        agency: Agency::Mia,
        names: Names::default(),
    };
    UnitTree::new(vec![
        unit("AZ", None, UnitKind::Republic),
        unit("MIA", Some("AZ"), UnitKind::Ministry),
        unit("BAK", Some("MIA"), UnitKind::MainDepartment),
        unit("BAK-NSM", Some("BAK"), UnitKind::District),
        unit("BAK-YAS", Some("BAK"), UnitKind::District),
    ])
    .unwrap()
}

#[cfg(test)]
mod tests {

    fn contacts() -> Contacts {
        Contacts {
            address: Names { az: "Bakı, S. Vurğun küçəsi 5".into(), ..Names::default() },
            head: "Polkovnik Əliyev Rauf".into(),
            head_position: Names { en: "Head".into(), ..Names::default() },
            telephone: "+994 (12) 590-00-00".into(),
        }
    }

    fn contact_rules(c: &Contacts) -> Vec<(String, String)> {
        let mut checks = Checks::default();
        c.check(&mut checks);
        match checks.finish() {
            Ok(()) => vec![],
            Err(r) => r.0.into_iter().map(|v| (v.field, v.rule)).collect(),
        }
    }

    #[test]
    fn contacts_need_an_address_a_head_and_a_telephone_number() {
        assert_eq!(contact_rules(&contacts()), vec![]);
        let empty = Contacts {
            address: Names::default(),
            head: " ".into(),
            head_position: Names::default(),
            telephone: "call us".into(),
        };
        let rules = contact_rules(&empty);
        let rules: Vec<(&str, &str)> = rules.iter().map(|(f, r)| (f.as_str(), r.as_str())).collect();
        assert_eq!(
            rules,
            [
                ("contacts.address", "unit.address_required"),
                ("contacts.head", "unit.head_required"),
                ("contacts.head_position", "unit.head_position_required"),
                ("contacts.telephone", "unit.telephone_invalid"),
            ]
        );
        for wrong in ["12 34", "+994 12 +590", "1234567890123456", "590-00-00 ext. 3"] {
            let c = Contacts { telephone: wrong.into(), ..contacts() };
            assert_eq!(contact_rules(&c).len(), 1, "{wrong}");
        }
        for right in ["12345", "+994 12 590 00 00", "(012) 590-00-00"] {
            assert_eq!(contact_rules(&Contacts { telephone: right.into(), ..contacts() }), vec![], "{right}");
        }
    }

    #[test]
    fn contacts_are_a_dated_change_of_a_live_unit() {
        let mut tree =
            DatedTree::new(UnitTree::new(vec![unit("AZ", None), unit("NSM", Some("AZ"))]).unwrap(), vec![]).unwrap();
        let set = UnitChange::Contacts { unit: code("NSM"), contacts: contacts() };
        tree.record(change("2024-05-01", set)).unwrap();
        assert_eq!(tree.as_of(day("2024-04-30")).contacts(&code("NSM")), None, "not before its day");
        assert_eq!(tree.as_of(day("2024-05-01")).contacts(&code("NSM")), Some(&contacts()));
        let mut checks = Checks::default();
        tree.current().check_change(&UnitChange::Contacts { unit: code("YAS"), contacts: contacts() }, &mut checks);
        assert!(checks.finish().is_err(), "an unknown unit has no contacts");
    }
    use super::*;

    fn unit(code: &str, parent: Option<&str>) -> Unit {
        Unit {
            code: UnitCode::parse(code).unwrap(),
            parent: parent.map(|p| UnitCode::parse(p).unwrap()),
            kind: if parent.is_none() { UnitKind::Republic } else { UnitKind::District },
            agency: Agency::Mia,
            names: Names { az: code.to_string(), ..Names::default() },
        }
    }

    fn refused(units: Vec<Unit>) -> (String, String) {
        let v = UnitTree::new(units).expect_err("the tree should be refused");
        (v.field, v.rule)
    }

    #[test]
    fn a_tree_has_one_root_known_parents_and_each_code_once() {
        assert!(UnitTree::new(vec![unit("AZ", None), unit("BAK", Some("AZ"))]).is_ok());
        assert_eq!(refused(vec![unit("AZ", None), unit("AZ", None)]), ("code".into(), "unit.duplicate".into()));
        assert_eq!(refused(vec![unit("AZ", None), unit("NX", None)]), ("parent".into(), "unit.second_root".into()));
        assert_eq!(refused(vec![unit("AZ", None), unit("BAK", Some("MIA"))]), ("parent".into(), "unit.unknown".into()));
    }

    #[test]
    fn a_unit_needs_a_name_in_one_language_at_least() {
        let mut tree = UnitTree::new(vec![unit("AZ", None)]).unwrap();
        let mut nameless = unit("BAK", Some("AZ"));
        nameless.names = Names { az: " ".into(), ..Names::default() };
        let refused = tree.load(nameless).unwrap_err();
        assert_eq!((refused.field.as_str(), refused.rule.as_str()), ("names", "unit.name_required"));
        let mut english = unit("BAK", Some("AZ"));
        english.names = Names { en: "Baku".into(), ..Names::default() };
        assert_eq!(tree.load(english), Ok(UnitLoad::Added));
    }

    #[test]
    fn a_default_language_comes_first_and_the_others_keep_their_order() {
        use Language::{Az, En, Ru};
        assert_eq!(name_fallback(Az), [Az, Ru, En]);
        assert_eq!(name_fallback(Ru), [Ru, Az, En]);
        assert_eq!(name_fallback(En), [En, Az, Ru]);
    }

    #[test]
    fn a_name_not_given_falls_back_in_the_stated_order() {
        use Language::*;
        let names = Names { az: String::new(), ru: "Баку".into(), en: "Baku".into() };
        assert_eq!(names.get(En, &name_fallback(Az)), "Baku", "the language asked for first");
        assert_eq!(names.get(Az, &name_fallback(Az)), "Баку", "then az, ru, en");
        assert_eq!(names.get(Az, &[En, Az, Ru]), "Baku", "or the order the caller states");
        assert_eq!(Names::default().get(Az, &name_fallback(Az)), "");
    }

    #[test]
    fn names_read_with_any_languages_and_write_only_those_given() {
        let stored: Names = serde_json::from_str(r#"{"az":"Bakı","ru":"Баку","en":"Baku"}"#).unwrap();
        assert_eq!(stored, Names { az: "Bakı".into(), ru: "Баку".into(), en: "Baku".into() });
        let english: Names = serde_json::from_str(r#"{"en":"Baku"}"#).unwrap();
        assert_eq!(english, Names { en: "Baku".into(), ..Names::default() });
        assert_eq!(serde_json::to_string(&english).unwrap(), r#"{"en":"Baku"}"#);
    }

    #[test]
    fn loading_adds_a_new_unit_leaves_an_identical_one_and_refuses_a_different_one() {
        let mut tree = UnitTree::new(vec![unit("AZ", None), unit("BAK", Some("AZ"))]).unwrap();
        assert_eq!(tree.load(unit("BAK", Some("AZ"))), Ok(UnitLoad::AlreadyThere));
        assert_eq!(tree.load(unit("GNC", Some("AZ"))), Ok(UnitLoad::Added));
        assert!(tree.get(&UnitCode::parse("GNC").unwrap()).is_some());

        let moved = tree.load(unit("BAK", Some("GNC"))).unwrap_err();
        assert_eq!((moved.field.as_str(), moved.rule.as_str()), ("parent", "unit.differs"));
        assert_eq!(moved.params, vec![("code".to_string(), "BAK".to_string())]);
        type NameIn = fn(&mut Names) -> &mut String;
        let renamings: [(NameIn, &str); 3] =
            [(|n| &mut n.az, "names.az"), (|n| &mut n.ru, "names.ru"), (|n| &mut n.en, "names.en")];
        for (name, field) in renamings {
            let mut renamed = unit("BAK", Some("AZ"));
            *name(&mut renamed.names) = "Bakı".into();
            let refused = tree.load(renamed).unwrap_err();
            assert_eq!((refused.field.as_str(), refused.rule.as_str()), (field, "unit.differs"));
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn code(s: &str) -> UnitCode {
        UnitCode::parse(s).unwrap()
    }

    /// AZ > BAK > (NSM, YAS), AZ > GNC.
    fn dated() -> DatedTree {
        let tree = UnitTree::new(vec![
            unit("AZ", None),
            unit("BAK", Some("AZ")),
            unit("NSM", Some("BAK")),
            unit("YAS", Some("BAK")),
            unit("GNC", Some("AZ")),
        ])
        .unwrap();
        DatedTree::new(tree, vec![]).unwrap()
    }

    fn change(from: &str, change: UnitChange) -> DatedChange {
        DatedChange { effective_from: day(from), change }
    }

    fn rules(result: Result<(), crate::error::Rejected>) -> Vec<(String, String)> {
        result.unwrap_err().0.into_iter().map(|v| (v.field, v.rule)).collect()
    }

    #[test]
    fn a_change_is_in_force_from_its_day_and_the_tree_before_stays_as_it_was() {
        let mut tree = dated();
        let merge = UnitChange::Merge { absorbed: code("YAS"), into: code("NSM") };
        tree.record(change("2024-07-01", merge)).unwrap();
        let move_ = UnitChange::Move { unit: code("NSM"), new_parent: code("GNC") };
        tree.record(change("2024-10-01", move_)).unwrap();
        let renamed = Names { en: "Nasimi-Yasamal".into(), ..Names::default() };
        tree.record(change("2024-10-01", UnitChange::Rename { unit: code("NSM"), names: renamed.clone() })).unwrap();

        let june = tree.as_of(day("2024-06-30"));
        assert!(june.is_within(&code("YAS"), &code("BAK")) && june.merged_into(&code("YAS")).is_none());
        assert_eq!(june.children(&code("BAK")).count(), 2);

        let july = tree.as_of(day("2024-07-01"));
        assert!(july.is_within(&code("YAS"), &code("NSM")), "what YAS records counts for NSM");
        assert_eq!(july.merged_into(&code("YAS")), Some(&code("NSM")));
        assert_eq!(july.children(&code("NSM")).count(), 0, "a merged unit is no child of its own");
        assert!(july.is_within(&code("NSM"), &code("BAK")));

        let october = tree.as_of(day("2024-10-01"));
        assert!(october.is_within(&code("YAS"), &code("GNC")) && !october.is_within(&code("NSM"), &code("BAK")));
        assert_eq!(october.get(&code("NSM")).unwrap().names, renamed);
        assert_eq!(june.get(&code("NSM")).unwrap().names.az, "NSM", "the old name before the day");
        assert!(tree.current().is_within(&code("YAS"), &code("GNC")));
    }

    #[test]
    fn a_change_that_would_break_the_tree_is_refused() {
        let mut tree = dated();
        let at = |c| change("2024-07-01", c);
        let refused = |tree: &mut DatedTree, c| rules(tree.record(at(c)));
        assert_eq!(
            refused(&mut tree, UnitChange::Move { unit: code("BAK"), new_parent: code("NSM") }),
            [("new_parent".to_string(), "unit.move_into_itself".to_string())]
        );
        assert_eq!(
            refused(&mut tree, UnitChange::Move { unit: code("AZ"), new_parent: code("GNC") }),
            [("unit".to_string(), "unit.root_fixed".to_string())]
        );
        assert_eq!(
            refused(&mut tree, UnitChange::Merge { absorbed: code("BAK"), into: code("YAS") }),
            [("into".to_string(), "unit.merge_into_itself".to_string())]
        );
        assert_eq!(
            refused(&mut tree, UnitChange::Merge { absorbed: code("AZ"), into: code("GNC") }),
            [("absorbed".to_string(), "unit.root_fixed".to_string())]
        );
        assert_eq!(
            refused(&mut tree, UnitChange::Rename { unit: code("XX"), names: Names::default() }),
            [("unit".to_string(), "unit.unknown".to_string()), ("names".to_string(), "unit.name_required".to_string())]
        );
        tree.record(at(UnitChange::Merge { absorbed: code("YAS"), into: code("NSM") })).unwrap();
        assert_eq!(
            refused(&mut tree, UnitChange::Move { unit: code("YAS"), new_parent: code("GNC") }),
            [("unit".to_string(), "unit.merged".to_string())]
        );
        let earlier = change("2024-06-30", UnitChange::Move { unit: code("GNC"), new_parent: code("BAK") });
        assert_eq!(
            rules(tree.record(earlier)),
            [("effective_from".to_string(), "unit.change_before_last".to_string())]
        );
    }

    #[test]
    fn a_unit_loaded_below_a_merged_unit_counts_for_the_survivor() {
        let mut tree = dated();
        tree.record(change("2024-07-01", UnitChange::Merge { absorbed: code("YAS"), into: code("NSM") })).unwrap();
        assert_eq!(tree.load(unit("YAS-1", Some("YAS"))), Ok(UnitLoad::Added));
        assert!(tree.current().is_within(&code("YAS-1"), &code("NSM")));
        assert!(tree.as_of(day("2024-01-01")).is_within(&code("YAS-1"), &code("YAS")));
    }

    fn new_unit(code: &str, parent: &str, from: &str) -> DatedChange {
        DatedChange { effective_from: day(from), change: UnitChange::Add(unit(code, Some(parent))) }
    }

    #[test]
    fn a_unit_added_is_in_the_structure_from_its_day_and_nothing_before_it_counts_in_it() {
        let mut tree = dated();
        tree.record(new_unit("BAK-SBL", "BAK", "2024-07-01")).unwrap();
        assert!(tree.as_of(day("2024-06-30")).get(&code("BAK-SBL")).is_none());
        assert!(tree.as_of(day("2024-07-01")).is_within(&code("BAK-SBL"), &code("BAK")));
        assert!(tree.current().get(&code("BAK-SBL")).is_some());
        assert_eq!(tree.added_on(&code("BAK-SBL")), Some(day("2024-07-01")));
        assert_eq!(tree.added_on(&code("NSM")), None, "a unit loaded is there on every day");

        let early = tree.check_in_force(&code("BAK-SBL"), day("2024-06-30")).unwrap_err();
        assert_eq!((early.field.as_str(), early.rule.as_str()), ("unit", "unit.not_yet_added"));
        assert!(tree.check_in_force(&code("BAK-SBL"), day("2024-07-01")).is_ok());
        assert!(tree.check_in_force(&code("NSM"), day("1990-01-01")).is_ok());
    }

    #[test]
    fn a_unit_is_changed_only_from_the_day_it_was_added() {
        let mut tree = dated();
        tree.record(new_unit("BAK-SBL", "BAK", "2024-07-01")).unwrap();
        let renamed = Names { en: "Sabail".into(), ..Names::default() };
        let rename = |from| change(from, UnitChange::Rename { unit: code("BAK-SBL"), names: renamed.clone() });
        assert_eq!(
            rules(tree.record(rename("2024-06-01"))),
            [("unit".to_string(), "unit.change_before_added".to_string())],
            "the specific rule, not the order of the changes"
        );
        assert_eq!(
            rules(tree.record(new_unit("BAK-SBL-1", "BAK-SBL", "2024-06-30"))),
            [("parent".to_string(), "unit.change_before_added".to_string())]
        );
        tree.record(rename("2024-07-01")).unwrap();
        assert_eq!(tree.current().get(&code("BAK-SBL")).unwrap().names, renamed);
    }

    #[test]
    fn a_unit_is_added_once_below_a_live_parent_with_a_name() {
        let mut tree = dated();
        tree.record(change("2024-07-01", UnitChange::Merge { absorbed: code("YAS"), into: code("NSM") })).unwrap();
        assert_eq!(
            rules(tree.record(new_unit("YAS-1", "YAS", "2024-07-01"))),
            [("parent".to_string(), "unit.merged".to_string())]
        );
        assert_eq!(
            rules(tree.record(new_unit("NSM", "BAK", "2024-07-01"))),
            [("code".to_string(), "unit.duplicate".to_string())]
        );
        assert_eq!(
            rules(tree.record(new_unit("X", "NOWHERE", "2024-07-01"))),
            [("parent".to_string(), "unit.unknown".to_string())]
        );
        let mut nameless = unit("X", Some("BAK"));
        nameless.names = Names::default();
        assert_eq!(
            rules(tree.record(change("2024-07-01", UnitChange::Add(nameless)))),
            [("names".to_string(), "unit.name_required".to_string())]
        );
        let mut root = unit("X", None);
        root.kind = UnitKind::District;
        assert_eq!(
            rules(tree.record(change("2024-07-01", UnitChange::Add(root)))),
            [("parent".to_string(), "unit.second_root".to_string())]
        );
    }

    #[test]
    fn a_unit_added_for_every_day_is_in_every_structure_whatever_the_changes_recorded() {
        let mut tree = dated();
        tree.record(change("2024-07-01", UnitChange::Move { unit: code("YAS"), new_parent: code("GNC") })).unwrap();
        tree.record_change(TreeChange::Always(unit("BAK-OLD", Some("BAK")))).unwrap();
        assert!(tree.as_of(day("1990-01-01")).is_within(&code("BAK-OLD"), &code("BAK")), "before every change");
        assert!(tree.as_of(day("2024-07-01")).is_within(&code("BAK-OLD"), &code("BAK")));
        assert_eq!(tree.added_on(&code("BAK-OLD")), None);
        assert!(tree.check_in_force(&code("BAK-OLD"), day("1990-01-01")).is_ok());
        assert_eq!(tree.already_there(&unit("BAK-OLD", Some("BAK"))), Ok(true));
        // The tree rebuilt from the units and the dated changes holds it the same way.
        let rebuilt = DatedTree::new(tree.loaded().clone(), tree.changes.clone()).unwrap();
        assert!(rebuilt.as_of(day("1990-01-01")).get(&code("BAK-OLD")).is_some());
    }

    #[test]
    fn a_unit_for_every_day_stands_below_a_parent_there_on_every_day() {
        let mut tree = dated();
        tree.record(new_unit("BAK-SBL", "BAK", "2024-07-01")).unwrap();
        assert_eq!(
            rules(tree.record_change(TreeChange::Always(unit("BAK-SBL-1", Some("BAK-SBL"))))),
            [("parent".to_string(), "unit.change_before_added".to_string())]
        );
        tree.record(change("2024-08-01", UnitChange::Merge { absorbed: code("YAS"), into: code("NSM") })).unwrap();
        assert_eq!(
            rules(tree.record_change(TreeChange::Always(unit("YAS-1", Some("YAS"))))),
            [("parent".to_string(), "unit.merged".to_string())]
        );
        assert_eq!(
            rules(tree.record_change(TreeChange::Always(unit("NSM", Some("BAK"))))),
            [("code".to_string(), "unit.duplicate".to_string())]
        );
        assert!(tree.as_of(day("1990-01-01")).get(&code("YAS-1")).is_none(), "nothing refused is written");
    }

    #[test]
    fn in_force_reads_and_writes_always_or_a_day() {
        assert_eq!(serde_json::to_string(&UnitInForce::Always).unwrap(), r#""always""#);
        assert_eq!(serde_json::to_string(&UnitInForce::From(day("2024-07-01"))).unwrap(), r#""2024-07-01""#);
        assert_eq!(serde_json::from_str::<UnitInForce>(r#""always""#).unwrap(), UnitInForce::Always);
        assert_eq!(
            serde_json::from_str::<UnitInForce>(r#""2024-07-01""#).unwrap(),
            UnitInForce::From(day("2024-07-01"))
        );
        assert!(serde_json::from_str::<UnitInForce>(r#""soon""#).is_err());
        assert!("2024-13-01".parse::<UnitInForce>().is_err());
    }

    #[test]
    fn a_units_file_finds_a_unit_added_by_an_act_as_there_or_said_otherwise() {
        let mut tree = dated();
        tree.record(new_unit("BAK-SBL", "BAK", "2024-07-01")).unwrap();
        assert_eq!(tree.already_there(&unit("BAK-SBL", Some("BAK"))), Ok(true));
        assert_eq!(tree.load(unit("BAK-SBL", Some("BAK"))), Ok(UnitLoad::AlreadyThere));
        let moved = tree.already_there(&unit("BAK-SBL", Some("GNC"))).unwrap_err();
        assert_eq!((moved.field.as_str(), moved.rule.as_str()), ("parent", "unit.differs"));
        assert_eq!(tree.already_there(&unit("GNC-1", Some("GNC"))), Ok(false));
        assert_eq!(tree.load(unit("GNC-1", Some("GNC"))), Ok(UnitLoad::Added));
        assert!(tree.as_of(day("2024-06-30")).get(&code("BAK-SBL")).is_none(), "the act's unit keeps its day");
    }
}
