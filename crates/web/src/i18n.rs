//! Messages in the user's language. The domain names a rule by a stable code
//! and the values its message needs; here each code becomes a sentence in
//! Azerbaijani, Russian or English, from the files in `locales/`.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use std::collections::BTreeMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Az,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Az, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Az => "az",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// `az`, `ru`, `en`, or a tag with one of them as its primary subtag (`ru-RU`).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The text of a key, or the key itself if a locale lacks it (a test
    /// makes sure none does), so a missing translation never fails a request.
    pub fn text(self, key: &str) -> &str {
        catalogue(self).get(key).map(String::as_str).unwrap_or(key)
    }

    /// The message of a rule with its `{placeholders}` filled: `{field}` and
    /// the violation's params. A param the violation lacks renders empty,
    /// which the templates allow for (an open range reads `1…`). `{name:type}`
    /// is a param holding a shape code, shown in words as `json.type.<code>`.
    pub fn message(self, rule: &str, field: &str, params: &[(String, String)]) -> String {
        let param = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        fill(self.text(rule), |name| match name.split_once(':') {
            _ if name == "field" => Some(field),
            Some((shape, "type")) => {
                param(shape).and_then(|code| catalogue(self).get(&format!("json.type.{code}"))).map(String::as_str)
            }
            _ => param(name),
        })
    }
}

impl From<Lang> for crimeboard_domain::units::Language {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Az => crimeboard_domain::units::Language::Az,
            Lang::Ru => crimeboard_domain::units::Language::Ru,
            Lang::En => crimeboard_domain::units::Language::En,
        }
    }
}

impl From<Lang> for crimeboard_export::Lang {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Az => crimeboard_export::Lang::Az,
            Lang::Ru => crimeboard_export::Lang::Ru,
            Lang::En => crimeboard_export::Lang::En,
        }
    }
}

/// The languages an installation offers (its jurisdiction pack's
/// `languages`) and the one shown when none of them is asked for
/// (`default_language`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub languages: Vec<Lang>,
    pub default: Lang,
}

impl Offer {
    /// What a pack offers, from its codes; a code the system has no texts in
    /// is not offered (the pack's check refuses one), and a default not
    /// offered falls back to the first language offered.
    pub fn of(languages: &[String], default: &str) -> Offer {
        let languages: Vec<Lang> = languages.iter().filter_map(|c| Lang::parse(c)).collect();
        let languages = if languages.is_empty() { Lang::ALL.to_vec() } else { languages };
        let default = Lang::parse(default).filter(|l| languages.contains(l)).unwrap_or(languages[0]);
        Offer { languages, default }
    }

    /// Every language the system has texts in, Azerbaijani first: the
    /// shipped demo pack's offer.
    pub fn every() -> Offer {
        Offer { languages: Lang::ALL.to_vec(), default: Lang::Az }
    }

    pub fn offers(&self, lang: Lang) -> bool {
        self.languages.contains(&lang)
    }

    /// A tag (`ru`, `ru-RU`) naming a language offered.
    pub fn pick(&self, tag: &str) -> Option<Lang> {
        Lang::parse(tag).filter(|l| self.offers(*l))
    }

    /// The language asked for with `?lang=` if it is offered, else the
    /// offered one `Accept-Language` weighs highest, else the default.
    pub fn negotiate(&self, query: Option<&str>, headers: &HeaderMap) -> Lang {
        query
            .and_then(|q| self.pick(&lang_parameter(q)?))
            .or_else(|| headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(|h| self.preferred(h)))
            .unwrap_or(self.default)
    }

    /// The offered language with the highest weight in an `Accept-Language`
    /// header; among equal weights, the one listed first.
    fn preferred(&self, header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(|t| self.pick(t)) else { continue };
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if weight > 0.0 && best.is_none_or(|(_, w)| weight > w) {
                best = Some((lang, weight));
            }
        }
        best.map(|(lang, _)| lang)
    }
}

/// The value of the `lang` query parameter, as typed.
pub fn lang_parameter(query: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "lang").map(|(_, v)| v.into_owned())
}

fn fill<'a>(template: &str, value: impl Fn(&str) -> Option<&'a str>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.push_str(value(&after[..close]).unwrap_or(""));
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

pub type Catalogue = BTreeMap<String, String>;

const SOURCES: [(Lang, &str); 3] = [
    (Lang::Az, include_str!("../locales/az.toml")),
    (Lang::Ru, include_str!("../locales/ru.toml")),
    (Lang::En, include_str!("../locales/en.toml")),
];

static CATALOGUES: LazyLock<Vec<(Lang, Catalogue)>> = LazyLock::new(|| {
    SOURCES.iter().map(|(lang, text)| (*lang, parse_catalogue(text).expect("embedded locale file is valid"))).collect()
});

/// A locale file: flat `"rule.code" = "message"` pairs. Keys must be quoted,
/// or TOML would read the dots as nested tables, which this refuses.
pub fn parse_catalogue(text: &str) -> Result<Catalogue, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

pub fn catalogue(lang: Lang) -> &'static Catalogue {
    &CATALOGUES.iter().find(|(l, _)| *l == lang).expect("every language has a catalogue").1
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT_LANGUAGE, HeaderValue::from_str(accept).unwrap());
        h
    }

    #[test]
    fn query_wins_then_weights_then_default() {
        let offer = Offer::every();
        assert_eq!(offer.negotiate(Some("lang=en"), &headers("ru")), Lang::En);
        assert_eq!(offer.negotiate(Some("lang=fr"), &headers("ru-RU,ru;q=0.9")), Lang::Ru);
        assert_eq!(offer.negotiate(None, &headers("de, en;q=0.5, ru;q=0.8")), Lang::Ru);
        assert_eq!(offer.negotiate(None, &headers("en;q=0, de")), Lang::Az);
        assert_eq!(offer.negotiate(None, &HeaderMap::new()), Lang::Az);
    }

    #[test]
    fn only_the_languages_offered_are_negotiated_and_the_default_is_the_packs() {
        let offer = Offer::of(&["en".into(), "ru".into()], "en");
        assert_eq!(offer.languages, [Lang::En, Lang::Ru]);
        assert_eq!(offer.negotiate(None, &HeaderMap::new()), Lang::En);
        assert_eq!(offer.negotiate(Some("lang=az"), &HeaderMap::new()), Lang::En);
        assert_eq!(offer.negotiate(Some("lang=az"), &headers("ru")), Lang::Ru);
        assert_eq!(offer.negotiate(None, &headers("az, ru;q=0.5")), Lang::Ru);
        assert_eq!(offer.pick("az"), None);
        assert_eq!(offer.pick("ru-RU"), Some(Lang::Ru));
    }

    #[test]
    fn every_locale_has_every_key_of_the_others() {
        for (lang, text) in SOURCES {
            parse_catalogue(text).unwrap_or_else(|e| panic!("locales/{}.toml: {e}", lang.code()));
        }
        let all: std::collections::BTreeSet<&String> = Lang::ALL.iter().flat_map(|l| catalogue(*l).keys()).collect();
        for lang in Lang::ALL {
            let missing: Vec<_> = all.iter().filter(|k| !catalogue(lang).contains_key(k.as_str())).collect();
            assert!(missing.is_empty(), "locales/{}.toml lacks {missing:?}", lang.code());
        }
    }

    /// Codes picked through a variable, which reading the calls cannot see.
    const INDIRECT_CODES: [&str; 13] = [
        "article.not_yet_effective",
        "article.repealed",
        "fin.format",
        "unit.code_format",
        "article.format",
        "json.invalid_uuid",
        "json.invalid_datetime",
        "param.uuid",
        "param.date",
        "param.integer",
        "param.invalid",
        "form.period",
        "form.period_years",
    ];

    /// Every rule code the domain, the figures, the service and this crate can raise, read
    /// from their source: the second argument of each `Violation::new(..)`.
    fn raised_rule_codes() -> std::collections::BTreeSet<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut codes: std::collections::BTreeSet<String> = INDIRECT_CODES.into_iter().map(String::from).collect();
        for dir in ["domain/src", "stats/src", "service/src", "web/src"] {
            for text in rust_sources(&root.join(dir)) {
                for call in text.split("Violation::new(").skip(1) {
                    if let Some(code) = second_literal(call) {
                        codes.insert(code);
                    }
                }
            }
        }
        // The identifiers' rules reach a form or an API answer as violations
        // too: every `"identifier.…"` literal of that crate is one.
        for text in rust_sources(&root.join("identifiers/src")) {
            for piece in text.split("\"identifier.").skip(1) {
                if let Some((rest, _)) = piece.split_once('"') {
                    codes.insert(format!("identifier.{rest}"));
                }
            }
        }
        codes
    }

    /// The text of every `.rs` file in a folder and the folders below it.
    fn rust_sources(dir: &std::path::Path) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
        let mut texts = Vec::new();
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                texts.extend(rust_sources(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                texts.push(std::fs::read_to_string(&path).unwrap());
            }
        }
        texts
    }

    /// The string literal after the first top-level comma of a call's arguments.
    fn second_literal(args: &str) -> Option<String> {
        let mut depth = 0;
        for (i, c) in args.char_indices() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => return None,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    let rest = args[i + 1..].trim_start().strip_prefix('"')?;
                    return rest.split_once('"').map(|(code, _)| code.to_string());
                }
                _ => {}
            }
        }
        None
    }

    #[test]
    fn every_rule_that_can_be_raised_is_translated() {
        let codes = raised_rule_codes();
        assert!(codes.len() > 40 && codes.contains("article.unknown") && codes.contains("fin.format"), "{codes:?}");
        assert!(
            codes.contains("identifier.card.luhn") && codes.contains("identifier.domain.public_suffix"),
            "{codes:?}"
        );
        for lang in Lang::ALL {
            let missing: Vec<_> = codes.iter().filter(|c| !catalogue(lang).contains_key(c.as_str())).collect();
            assert!(missing.is_empty(), "locales/{}.toml lacks {missing:?}", lang.code());
        }
    }

    #[test]
    fn a_shape_placeholder_is_said_in_each_language() {
        let params = [("found".to_string(), "text".to_string()), ("expected".to_string(), "list".to_string())];
        assert_eq!(
            Lang::Ru.message("json.invalid_type", "a", &params),
            "Неверный тип поля a: дано — текст, ожидается — список."
        );
        assert_eq!(
            Lang::Az.message("json.invalid_type", "a", &params),
            "a sahəsinin tipi yanlışdır: mətn verilib, siyahı gözlənilir."
        );
    }

    #[test]
    fn placeholders_take_params_and_field_and_a_missing_one_renders_empty() {
        // number.range without a maximum reads as an open range, "1…".
        let params = [("min".to_string(), "1".to_string())];
        assert_eq!(Lang::En.message("number.range", "seq", &params), "Allowed values: 1…");
        assert_eq!(Lang::En.message("json.missing_field", "data.summary", &[]), "Field data.summary is required.");
        assert_eq!(fill("a {b", |_| None), "a {b");
    }
}
