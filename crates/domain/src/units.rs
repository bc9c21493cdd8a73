//! Territorial units form a tree: the Ministry, main departments, district and
//! city departments. Figures roll up the tree, so every unit knows its parent.

use crate::error::Violation;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// A language a name may be given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Az,
    Ru,
    En,
}

/// The order in which a name missing in the language asked for is looked
/// for in the others until the jurisdiction names its default language
/// (which then comes first): Azerbaijani, Russian, English.
pub const DEFAULT_NAME_FALLBACK: [Language; 3] = [Language::Az, Language::Ru, Language::En];

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
    /// order of `fallback` (the default language first, then az, ru, en:
    /// [`DEFAULT_NAME_FALLBACK`] until the jurisdiction names its own), or
    /// empty when none was given.
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

    pub fn children<'a>(&'a self, code: &'a UnitCode) -> impl Iterator<Item = &'a Unit> + 'a {
        self.units.values().filter(move |u| u.parent.as_ref() == Some(code))
    }
}

#[cfg(test)]
mod tests {
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
    fn a_name_not_given_falls_back_in_the_stated_order() {
        use Language::*;
        let names = Names { az: String::new(), ru: "Баку".into(), en: "Baku".into() };
        assert_eq!(names.get(En, &DEFAULT_NAME_FALLBACK), "Baku", "the language asked for first");
        assert_eq!(names.get(Az, &DEFAULT_NAME_FALLBACK), "Баку", "then az, ru, en");
        assert_eq!(names.get(Az, &[En, Az, Ru]), "Baku", "or the order the caller states");
        assert_eq!(Names::default().get(Az, &DEFAULT_NAME_FALLBACK), "");
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
}
