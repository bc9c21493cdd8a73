//! Translation files and the template filler. Every word a reader sees comes
//! from `locales/{az,ru,en}.toml`; code only picks keys and supplies values.
//!
//! A template names its values in braces: `{recorded}` is replaced by the
//! value, `{recorded|crime}` by the form of the word `crime` that goes with
//! that value (`crime.one`, `crime.few`, ... chosen by the CLDR rules of
//! `plural.rs`). Templates hold no literal braces.

use crate::Lang;
use crate::plural::{self, Category, Operand};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const AZ: &str = include_str!("../locales/az.toml");
const RU: &str = include_str!("../locales/ru.toml");
const EN: &str = include_str!("../locales/en.toml");

/// One language's messages, flattened to dotted keys (`headline.share`).
#[derive(Debug)]
pub struct Catalog {
    lang: Lang,
    messages: BTreeMap<String, String>,
}

/// The catalog of a language, parsed once. The files are compiled in and
/// checked by the tests, so a parse failure is a build defect, not a runtime
/// condition.
pub fn catalog(lang: Lang) -> &'static Catalog {
    static CATALOGS: [OnceLock<Catalog>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let (slot, text) = match lang {
        Lang::Az => (&CATALOGS[0], AZ),
        Lang::Ru => (&CATALOGS[1], RU),
        Lang::En => (&CATALOGS[2], EN),
    };
    slot.get_or_init(|| Catalog::parse(lang, text).unwrap_or_else(|e| panic!("locales/{}.toml: {e}", lang.code())))
}

impl Catalog {
    pub fn parse(lang: Lang, text: &str) -> Result<Catalog, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut messages = BTreeMap::new();
        flatten("", &table, &mut messages)?;
        Ok(Catalog { lang, messages })
    }

    #[cfg(test)]
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(String::as_str)
    }

    /// A message as written; a missing key shows itself, so a gap in a
    /// translation is visible in the output rather than silently empty.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.messages.get(key).map_or(key, String::as_str)
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The form of the word at `base` in `category`: `base.few`, else
    /// `base.other`, else `base` itself for a word that never changes.
    pub fn form<'a>(&'a self, base: &'a str, category: Category) -> &'a str {
        let exact = self.messages.get(&format!("{base}.{}", category.key()));
        let other = || self.messages.get(&format!("{base}.other"));
        let plain = || self.messages.get(base);
        exact.or_else(other).or_else(plain).map_or(base, String::as_str)
    }

    /// The template at `key` with its placeholders filled from `args`.
    pub fn fill(&self, key: &str, args: &Args) -> String {
        self.fill_text(self.text(key), args)
    }

    pub fn fill_text(&self, template: &str, args: &Args) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let placeholder = &rest[open + 1..open + close];
            match self.resolve(placeholder, args) {
                Some(value) => out.push_str(&value),
                None => out.push_str(&rest[open..=open + close]),
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn resolve(&self, placeholder: &str, args: &Args) -> Option<String> {
        let (name, word) = match placeholder.split_once('|') {
            Some((name, word)) => (name, Some(word)),
            None => (placeholder, None),
        };
        let value = args.get(name)?;
        match word {
            None => Some(value.text.clone()),
            Some(word) => {
                let category = plural::cardinal(self.lang, value.count?);
                Some(self.form(&format!("word.{word}"), category).to_string())
            }
        }
    }

    /// "a, b and c" with this language's separators.
    pub fn list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{}{}{last}", init.join(self.text("list.separator")), self.text("list.and")),
        }
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) -> Result<(), String> {
    for (key, value) in table {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            toml::Value::String(s) => {
                out.insert(path, s.clone());
            }
            toml::Value::Table(t) => flatten(&path, t, out)?,
            _ => return Err(format!("{path}: a message must be a string")),
        }
    }
    Ok(())
}

/// A value put into a template: its text, and the number it shows when a
/// word must agree with it.
#[derive(Debug, Clone)]
pub struct Value {
    pub text: String,
    pub count: Option<Operand>,
}

impl Value {
    pub fn text(text: impl Into<String>) -> Value {
        Value { text: text.into(), count: None }
    }
}

/// The named values of one template.
#[derive(Debug, Clone, Default)]
pub struct Args {
    values: Vec<(&'static str, Value)>,
}

impl Args {
    pub fn new() -> Args {
        Args::default()
    }

    pub fn with(mut self, name: &'static str, value: Value) -> Args {
        self.values.push((name, value));
        self
    }

    pub fn text(self, name: &'static str, text: impl Into<String>) -> Args {
        self.with(name, Value::text(text))
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// The part of a plural key before its category (`crime.few` -> `crime`),
/// or None for a plain message.
#[cfg(test)]
pub fn plural_base(key: &str) -> Option<&str> {
    let (base, last) = key.rsplit_once('.')?;
    Category::from_key(last).map(|_| base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const LANGS: [Lang; 3] = [Lang::Az, Lang::Ru, Lang::En];

    /// The messages of a locale, with every plural word counted once.
    fn message_ids(c: &Catalog) -> BTreeSet<String> {
        c.keys().map(|k| plural_base(k).unwrap_or(k).to_string()).collect()
    }

    #[test]
    fn every_locale_has_the_same_keys() {
        let en = message_ids(catalog(Lang::En));
        for lang in [Lang::Az, Lang::Ru] {
            let other = message_ids(catalog(lang));
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{}: missing {missing:?}, extra {extra:?}", lang.code());
        }
    }

    #[test]
    fn every_plural_word_has_the_forms_its_language_needs() {
        for lang in LANGS {
            let c = catalog(lang);
            let words: BTreeSet<&str> = c.keys().filter_map(plural_base).collect();
            for word in words {
                let needed = forms_needed(lang, word == "grammar.ordinal_suffix");
                for category in needed {
                    let key = format!("{word}.{category}");
                    assert!(c.messages.contains_key(&key), "{}: {key} missing", lang.code());
                }
            }
        }
    }

    /// The categories the rules produce for 0..=1100, with and without a fraction.
    fn forms_needed(lang: Lang, ordinal: bool) -> BTreeSet<&'static str> {
        let mut seen = BTreeSet::new();
        for n in 0..=1100u64 {
            if ordinal {
                seen.insert(plural::ordinal(lang, n).key());
            } else {
                for has_fraction in [false, true] {
                    seen.insert(plural::cardinal(lang, Operand { integer: n, has_fraction }).key());
                }
            }
        }
        seen
    }

    #[test]
    fn fills_values_and_agreeing_words() {
        let c = catalog(Lang::Ru);
        let count = |n: u64| Value { text: n.to_string(), count: Some(Operand::whole(n)) };
        let words: Vec<String> = [1, 2, 5, 11, 21, 22, 25]
            .into_iter()
            .map(|n| c.fill_text("{n} {n|crime}", &Args::new().with("n", count(n))))
            .collect();
        let want = [
            "1 преступление",
            "2 преступления",
            "5 преступлений",
            "11 преступлений",
            "21 преступление",
            "22 преступления",
            "25 преступлений",
        ];
        assert_eq!(words, want);
    }

    #[test]
    fn an_unknown_placeholder_stays_visible() {
        let c = catalog(Lang::En);
        assert_eq!(c.fill_text("a {missing} b", &Args::new()), "a {missing} b");
        assert_eq!(c.text("no.such.key"), "no.such.key");
    }

    #[test]
    fn lists_join_with_the_language_conjunction() {
        let items = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(catalog(Lang::En).list(&items), "a, b and c");
        assert_eq!(catalog(Lang::Az).list(&items), "a, b və c");
        assert_eq!(catalog(Lang::Ru).list(&items[..1]), "a");
    }
}
