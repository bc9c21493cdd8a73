//! A jurisdiction pack as the journal keeps it: the files' names and texts,
//! verbatim. What they mean (rules, catalogue, counting rules, units) is read
//! by the service, which checks a pack whole before anything is written.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The files of a pack, by name: the canonical form that is stored, hashed
/// and compared. A file is its exact text, so a pack read back is the pack
/// that was adopted, byte for byte.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct PackFiles(pub BTreeMap<String, String>);

impl PackFiles {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// SHA-256 of one file's text, in hex.
    pub fn file_hash(&self, name: &str) -> Option<String> {
        self.get(name).map(|text| hex(&Sha256::digest(text.as_bytes())))
    }

    /// SHA-256 over every file's name and text, each length-prefixed so no
    /// two packs share it by moving bytes from one file to the next.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        for (name, text) in &self.0 {
            for part in [name.as_bytes(), text.as_bytes()] {
                hasher.update((part.len() as u64).to_be_bytes());
                hasher.update(part);
            }
        }
        hex(&hasher.finalize())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Adopts a pack: from the journal position of this act on, the registry
/// works under it. `effective_from` is the legal date it takes effect, kept
/// with the act for whoever reads the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Adoption {
    pub files: PackFiles,
    pub effective_from: NaiveDate,
}

/// The currency amounts are kept in, as a pack's `jurisdiction.toml` names it
/// (`[currency]`). Amounts are stored as whole minor units (qəpik, pence,
/// cents); `minor_units` says how many of them make one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Currency {
    /// ISO 4217: `AZN`, `GBP`, `EUR`.
    pub code: String,
    /// Beside an amount in a table or on a page: `₼`, `£`, `€`.
    pub symbol: String,
    /// Where the symbol stands: after the number (`1 234,50 ₼`, the default)
    /// or before it (`£1,234.50`).
    #[serde(default)]
    pub symbol_position: SymbolPosition,
    /// Whether a space separates the symbol from the number; unsaid, as
    /// CLDR's patterns write it: after a number spaced, before it not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol_spaced: Option<bool>,
    /// Decimal places of the minor unit: 2 for 1/100.
    pub minor_units: u8,
    /// The currency as a table's column of units and a chart's axis name it: "manat".
    pub unit: crate::units::Names,
    /// The currency after an amount in words, in each language with the forms
    /// its plural rules choose for the number ("1 manat", "5 manats").
    pub name: WordForms,
}

/// Where a currency's symbol stands beside an amount.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SymbolPosition {
    Before,
    #[default]
    After,
}

/// The most decimal places a minor unit has (ISO 4217 knows up to 4).
pub const MAX_MINOR_UNITS: u8 = 4;

impl Currency {
    /// One unit in minor units: 100 for two decimal places.
    pub fn minor_per_unit(&self) -> i64 {
        10i64.pow(u32::from(self.minor_units))
    }

    /// Whether a space separates the symbol from the number, said or by default.
    pub fn symbol_is_spaced(&self) -> bool {
        self.symbol_spaced.unwrap_or(self.symbol_position == SymbolPosition::After)
    }

    /// A currency known by its code alone, which stands for every word and
    /// the symbol: how a pack stored in the first packs' one-word form
    /// (`currency = "AZN"`) reads.
    pub fn of_code(code: &str) -> Currency {
        let names = crate::units::Names { az: code.into(), ru: code.into(), en: code.into() };
        let word = || Forms::Same(code.to_string());
        Currency {
            code: code.to_string(),
            symbol: code.to_string(),
            symbol_position: SymbolPosition::After,
            symbol_spaced: None,
            minor_units: 2,
            unit: names,
            name: WordForms { az: word(), ru: word(), en: word() },
        }
    }

    /// What is wrong with it, key by key (`currency.code: ...`), None if nothing.
    pub fn problem(&self) -> Option<String> {
        if self.code.len() != 3 || !self.code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Some(format!("currency.code: {:?} is not an ISO 4217 code (three capital letters)", self.code));
        }
        if self.symbol.trim().is_empty() {
            return Some("currency.symbol: must not be empty".into());
        }
        if self.minor_units > MAX_MINOR_UNITS {
            return Some(format!("currency.minor_units: {} is more than {MAX_MINOR_UNITS}", self.minor_units));
        }
        let units = [("az", &self.unit.az), ("ru", &self.unit.ru), ("en", &self.unit.en)];
        if let Some((lang, _)) = units.iter().find(|(_, n)| n.trim().is_empty()) {
            return Some(format!("currency.unit.{lang}: must not be empty"));
        }
        let names = [("az", &self.name.az), ("ru", &self.name.ru), ("en", &self.name.en)];
        names.into_iter().find_map(|(lang, forms)| forms.problem(lang).map(|p| format!("currency.name.{lang}{p}")))
    }
}

/// A word in each language, with its plural forms where the language has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordForms {
    pub az: Forms,
    pub ru: Forms,
    pub en: Forms,
}

/// A word that never changes (`"manat"`), or its forms by CLDR plural
/// category (`{ one = "manat", other = "manats" }`), as the locale files
/// write plural words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Forms {
    Same(String),
    ByCount(BTreeMap<String, String>),
}

/// The CLDR plural categories a form may be given for.
pub const PLURAL_CATEGORIES: [&str; 5] = ["one", "two", "few", "many", "other"];

impl Forms {
    /// The form for a plural category (`one`, `few`, ...), else `other`.
    pub fn form(&self, category: &str) -> &str {
        match self {
            Forms::Same(word) => word,
            Forms::ByCount(forms) => forms.get(category).or_else(|| forms.get("other")).map_or("", String::as_str),
        }
    }

    /// The categories a language's numbers fall into, each of which needs a
    /// form unless the word never changes (Azerbaijani keeps a noun after a
    /// numeral singular: one word serves).
    fn needed(lang: &str) -> &'static [&'static str] {
        match lang {
            "ru" => &["one", "few", "many", "other"],
            "en" => &["one", "other"],
            _ => &["other"],
        }
    }

    fn problem(&self, lang: &str) -> Option<String> {
        match self {
            Forms::Same(word) if word.trim().is_empty() => Some(": must not be empty".into()),
            Forms::Same(_) if lang != "az" => {
                Some(format!(": give its forms {{ {} }}", Forms::needed(lang).join(" = ..., ") + " = ..."))
            }
            Forms::Same(_) => None,
            Forms::ByCount(forms) => {
                if let Some(unknown) = forms.keys().find(|k| !PLURAL_CATEGORIES.contains(&k.as_str())) {
                    return Some(format!(".{unknown}: not a plural category ({})", PLURAL_CATEGORIES.join(", ")));
                }
                let missing = Forms::needed(lang).iter().find(|c| forms.get(**c).is_none_or(|w| w.trim().is_empty()));
                missing.map(|c| format!(".{c}: missing"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(files: &[(&str, &str)]) -> PackFiles {
        PackFiles(files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect())
    }

    #[test]
    fn the_fingerprint_tells_apart_bytes_moved_between_files() {
        let a = pack(&[("a.toml", "xy"), ("b.toml", "z")]);
        let b = pack(&[("a.toml", "x"), ("b.toml", "yz")]);
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint(), a.clone().fingerprint());
    }

    #[test]
    fn a_file_hash_is_the_sha256_of_its_text() {
        let p = pack(&[("a.toml", "abc")]);
        assert_eq!(p.file_hash("a.toml").unwrap(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(p.file_hash("b.toml"), None);
    }

    fn currency(text: &str) -> Currency {
        toml::from_str(text).unwrap_or_else(|e| panic!("{e}"))
    }

    const POUNDS: &str = r#"
        code = "GBP"
        symbol = "£"
        minor_units = 2
        unit = { az = "funt sterlinq", ru = "фунт стерлингов", en = "pound sterling" }
        [name]
        az = "funt sterlinq"
        ru = { one = "фунта стерлингов", few = "фунтов стерлингов", many = "фунтов стерлингов", other = "фунта стерлингов" }
        en = { one = "pound", other = "pounds" }
    "#;

    #[test]
    fn a_currency_gives_the_form_its_plural_category_asks_for() {
        let pounds = currency(POUNDS);
        assert_eq!(pounds.problem(), None);
        assert_eq!((pounds.name.en.form("one"), pounds.name.en.form("few")), ("pound", "pounds"));
        assert_eq!(pounds.name.ru.form("few"), "фунтов стерлингов");
        assert_eq!(pounds.name.az.form("one"), "funt sterlinq");
        assert_eq!(pounds.minor_per_unit(), 100);
    }

    #[test]
    fn a_currency_without_the_forms_its_languages_need_is_refused_by_key() {
        let refused = |from: &str, to: &str| currency(&POUNDS.replacen(from, to, 1)).problem().unwrap_or_default();
        assert!(refused("\"GBP\"", "\"pound\"").starts_with("currency.code:"));
        assert!(refused("\"£\"", "\" \"").starts_with("currency.symbol:"));
        assert!(refused("minor_units = 2", "minor_units = 5").starts_with("currency.minor_units:"));
        assert!(refused("en = \"pound sterling\"", "en = \"\"").starts_with("currency.unit.en:"));
        assert_eq!(refused(", many = \"фунтов стерлингов\"", ""), "currency.name.ru.many: missing");
        assert_eq!(
            refused("one = \"pound\"", "single = \"pound\""),
            "currency.name.en.single: not a plural category (one, two, few, many, other)"
        );
        assert_eq!(
            refused("{ one = \"pound\", other = \"pounds\" }", "\"pound\""),
            "currency.name.en: give its forms { one = ..., other = ... }"
        );
    }
}
