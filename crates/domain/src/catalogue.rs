//! The offence catalogue: what each offence code of the installation's
//! classification is called, its maximum penalty and the gravity class
//! derived from it (optional: Article 15 of the Azerbaijani Criminal Code is
//! one such rule) and the Board's groupings it falls in. It is data with
//! effective dates, loaded from a file, because the classification changes
//! with the law.
//!
//! Codes are written one of two ways, as the catalogue says: `articles`
//! (`177.2.1`: article, part and point of a code, where a point without an
//! entry of its own takes its part's) or `plain` (any code of the
//! installation's own classification, such as `burglary` or `8N`, matched
//! exactly).

use crate::error::Violation;
use crate::units::Names;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest plain code.
pub const MAX_CODE_CHARS: usize = 24;

/// An offence code as a case names it. The type keeps its historical name
/// (every case, command and mapping holds one): it is an article reference
/// (`177.2.1`) when the text has that form, and otherwise a plain code of
/// 1 to 24 characters `[A-Za-z0-9][A-Za-z0-9._/-]*`. On the wire and in the
/// stored JSON it is the text alone; an article is written canonically
/// (`177.02` is `177.2`), so a plain catalogue's codes of digits and dots
/// are compared in that form too. Whether the code is one of the
/// installation's is the catalogue's to say.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ArticleRef {
    text: String,
    article: Option<ArticleNumbers>,
}

/// Article, part and point of a code of law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleNumbers {
    pub article: u16,
    pub part: Option<u16>,
    pub point: Option<u16>,
}

impl ArticleNumbers {
    fn parse(s: &str) -> Option<ArticleNumbers> {
        let mut numbers = s.split('.').map(|p| {
            if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
                None
            } else {
                p.parse::<u16>().ok()
            }
        });
        let article = numbers.next()??;
        let part = numbers.next().map(|p| p.ok_or(())).transpose().ok()?;
        let point = numbers.next().map(|p| p.ok_or(())).transpose().ok()?;
        if numbers.next().is_some() || article == 0 {
            return None;
        }
        Some(ArticleNumbers { article, part, point })
    }

    /// The reference one level up (`177.2.1` -> `177.2` -> `177`).
    fn broader(&self) -> Option<ArticleNumbers> {
        match (self.part, self.point) {
            (_, Some(_)) => Some(ArticleNumbers { point: None, ..*self }),
            (Some(_), None) => Some(ArticleNumbers { part: None, ..*self }),
            (None, None) => None,
        }
    }
}

impl std::fmt::Display for ArticleNumbers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.article)?;
        if let Some(p) = self.part {
            write!(f, ".{p}")?;
        }
        if let Some(p) = self.point {
            write!(f, ".{p}")?;
        }
        Ok(())
    }
}

fn is_plain_code(s: &str) -> bool {
    let mut bytes = s.bytes();
    s.len() <= MAX_CODE_CHARS
        && bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b'-'))
}

impl ArticleRef {
    /// An article reference or a plain code; None for text that is neither.
    pub fn parse(s: &str) -> Option<ArticleRef> {
        let s = s.trim();
        match ArticleNumbers::parse(s) {
            Some(numbers) => Some(ArticleRef::from(numbers)),
            None => is_plain_code(s).then(|| ArticleRef { text: s.to_string(), article: None }),
        }
    }

    /// Article, part and point, when the code is written as an article.
    pub fn numbers(&self) -> Option<ArticleNumbers> {
        self.article
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<ArticleNumbers> for ArticleRef {
    fn from(numbers: ArticleNumbers) -> ArticleRef {
        ArticleRef { text: numbers.to_string(), article: Some(numbers) }
    }
}

/// Articles in the order of their numbers (`99` before `120.1`), then plain
/// codes in the order of their text.
impl Ord for ArticleRef {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self.article, other.article) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => self.text.cmp(&other.text),
        }
    }
}

impl PartialOrd for ArticleRef {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for ArticleRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl TryFrom<String> for ArticleRef {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ArticleRef::parse(&s).ok_or_else(|| {
            format!(
                "offence code {s:?}: expected article[.part[.point]], e.g. 177.2.1, or a code of 1 to \
                 {MAX_CODE_CHARS} letters, digits and . _ / - starting with a letter or digit"
            )
        })
    }
}

impl From<ArticleRef> for String {
    fn from(a: ArticleRef) -> String {
        a.text
    }
}

/// On the wire a code is text (`177.2.1`, `burglary`), so its schema is
/// written by hand: a derived one would describe the struct.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ArticleRef {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "An offence code of the installation's catalogue: article, part and point of a code of law \
                 (e.g. 177.2.1), or a code of its own classification (e.g. burglary)",
            ))
            .pattern(Some(CODE_PATTERN))
            .examples([serde_json::json!("177.2.1"), serde_json::json!("burglary")])
            .into()
    }
}

/// What [`ArticleRef::parse`] accepts, as a regular expression (surrounding
/// blanks aside): every article reference is also of this form.
pub const CODE_PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,23}$";

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ArticleRef {}

/// Criminal Code Article 15: the class follows the maximum penalty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gravity {
    NotGreatPublicDanger,
    LessSerious,
    Serious,
    EspeciallySerious,
}

/// A grouping the Board counts (`property`, `theft`), as the catalogue
/// declares it; an offence falls in any number of them. Stored as its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Tag(String);

impl Tag {
    pub fn new(name: impl Into<String>) -> Tag {
        Tag(name.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Lower-case letters, digits and `_`, 1 to 40 of them: a tag is a key
    /// of the file and a value of counter codes.
    fn is_well_formed(&self) -> bool {
        (1..=40).contains(&self.0.len())
            && self.0.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    }
}

impl std::fmt::Display for Tag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A name in some of the system's languages (a grouping named in English
/// only is shown in English to every reader).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SomeNames {
    pub az: Option<String>,
    pub ru: Option<String>,
    pub en: Option<String>,
}

impl SomeNames {
    /// The name in `lang`, else in English, else in any language given.
    pub fn get(&self, lang: &str) -> Option<&str> {
        let asked = match lang {
            "az" => &self.az,
            "ru" => &self.ru,
            _ => &self.en,
        };
        asked.as_ref().or(self.en.as_ref()).or(self.az.as_ref()).or(self.ru.as_ref()).map(String::as_str)
    }
}

/// The gravity thresholds in months of the maximum penalty, as the code sets them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GravityThresholds {
    pub not_great_public_danger_max_months: u32,
    pub less_serious_max_months: u32,
    pub serious_max_months: u32,
}

impl GravityThresholds {
    pub fn classify(&self, max: MaxPenalty) -> Gravity {
        match max {
            MaxPenalty::Life => Gravity::EspeciallySerious,
            MaxPenalty::Months(m) if m <= self.not_great_public_danger_max_months => Gravity::NotGreatPublicDanger,
            MaxPenalty::Months(m) if m <= self.less_serious_max_months => Gravity::LessSerious,
            MaxPenalty::Months(m) if m <= self.serious_max_months => Gravity::Serious,
            MaxPenalty::Months(_) => Gravity::EspeciallySerious,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaxPenalty {
    Months(u32),
    Life,
}

/// One offence (an article, part or point, or a plain code) as in force over a span of dates.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleEntry {
    pub code: ArticleRef,
    pub title: Names,
    /// Given for every entry when the catalogue has `[gravity]`, for none otherwise.
    #[serde(default)]
    pub max_penalty: Option<MaxPenalty>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// The `[[amount_threshold]]`s whose crossing moves this offence to a
    /// heavier article (theft of "significant damage" and more is 177.2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amount_thresholds: Vec<String>,
    pub effective_from: NaiveDate,
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
}

impl ArticleEntry {
    fn in_force_on(&self, day: NaiveDate) -> bool {
        self.effective_from <= day && self.effective_to.is_none_or(|to| day < to)
    }
}

/// What the catalogue says of one offence on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// None under a catalogue without gravity.
    pub gravity: Option<Gravity>,
    pub tags: Vec<Tag>,
    /// The amounts (qəpik) above which the offence is a heavier one, least first.
    pub amount_thresholds_qepik: Vec<i64>,
}

/// An amount the law sets that moves an offence to a heavier article once
/// exceeded (the notes to the Criminal Code's articles defining "significant
/// damage", "large amount"): the counting rules ask how many recorded amounts
/// lie just below one (`amount_below_threshold_pct`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountThreshold {
    pub code: String,
    pub name: Names,
    /// The amount in qəpik; what exceeds it is the heavier offence.
    pub amount_qepik: i64,
    /// Where the law sets it (article and note).
    pub source: String,
    /// False for a value not checked against the text in force.
    pub verified: bool,
}

/// How a catalogue's codes are written and looked up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeForm {
    /// `article[.part[.point]]`; a point without an entry takes its part's.
    #[default]
    Articles,
    /// Any code of [`CODE_PATTERN`], matched exactly.
    Plain,
}

/// A grouping as the catalogue declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagDeclaration {
    pub code: Tag,
    pub name: SomeNames,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    version: String,
    illustrative: bool,
    notice: Names,
    #[serde(default)]
    codes: CodeForm,
    #[serde(default)]
    gravity: Option<GravityThresholds>,
    #[serde(default)]
    tag: Vec<TagDeclaration>,
    #[serde(default)]
    amount_threshold: Vec<AmountThreshold>,
    article: Vec<ArticleEntry>,
}

#[derive(Debug, Clone)]
pub struct Catalogue {
    pub version: String,
    /// True for a catalogue that was not checked against the official code text.
    pub illustrative: bool,
    pub notice: Names,
    pub codes: CodeForm,
    /// None: the classification has no gravity classes.
    pub gravity: Option<GravityThresholds>,
    /// The Board's groupings an entry may fall in, with their names, in the
    /// order the file declares them: a case lists its groupings in it.
    pub tags: Vec<TagDeclaration>,
    /// The amounts that move an offence to a heavier article, as declared.
    pub amount_thresholds: Vec<AmountThreshold>,
    entries: BTreeMap<ArticleRef, Vec<ArticleEntry>>,
}

impl Catalogue {
    pub fn from_toml(text: &str) -> Result<Catalogue, String> {
        let mut file: CatalogueFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if let Some(g) = &file.gravity {
            // Out of order, a longer penalty could make a lighter class.
            if !(g.not_great_public_danger_max_months < g.less_serious_max_months
                && g.less_serious_max_months < g.serious_max_months)
            {
                return Err("gravity: the thresholds must grow from not_great_public_danger to serious".into());
            }
        }
        for (i, t) in file.tag.iter().enumerate() {
            if !t.code.is_well_formed() {
                return Err(format!("tag {}: a tag is 1 to 40 lower-case letters, digits and _", t.code));
            }
            if file.tag[..i].iter().any(|before| before.code == t.code) {
                return Err(format!("tag {}: declared twice", t.code));
            }
        }
        for (i, t) in file.amount_threshold.iter().enumerate() {
            if t.amount_qepik <= 0 {
                return Err(format!("amount_threshold {}: amount_qepik must be above 0", t.code));
            }
            if file.amount_threshold[..i].iter().any(|before| before.code == t.code) {
                return Err(format!("amount_threshold {}: declared twice", t.code));
            }
        }
        let mut entries: BTreeMap<ArticleRef, Vec<ArticleEntry>> = BTreeMap::new();
        for e in std::mem::take(&mut file.article) {
            check_entry(&e, &file)?;
            entries.entry(e.code.clone()).or_default().push(e);
        }
        for (code, spans) in &mut entries {
            spans.sort_by_key(|e| e.effective_from);
            if spans.windows(2).any(|w| w[0].effective_to.is_none_or(|to| to > w[1].effective_from)) {
                return Err(format!("article {code}: effective spans overlap"));
            }
        }
        Ok(Catalogue {
            version: file.version,
            illustrative: file.illustrative,
            notice: file.notice,
            codes: file.codes,
            gravity: file.gravity,
            tags: file.tag,
            amount_thresholds: file.amount_threshold,
            entries,
        })
    }

    /// The entry in force on `day` for `code`; in a catalogue of articles,
    /// else for the nearest broader reference (a point not listed on its own
    /// takes its part's penalty).
    pub fn entry(&self, field: &str, code: &ArticleRef, day: NaiveDate) -> Result<&ArticleEntry, Violation> {
        let mut probe = match self.codes {
            CodeForm::Articles if code.numbers().is_none() => None,
            CodeForm::Articles | CodeForm::Plain => Some(code.clone()),
        };
        while let Some(c) = probe {
            if let Some(spans) = self.entries.get(&c) {
                if let Some(e) = spans.iter().find(|e| e.in_force_on(day)) {
                    return Ok(e);
                }
                let first = &spans[0];
                let rule = if day < first.effective_from { "article.not_yet_effective" } else { "article.repealed" };
                return Err(Violation::new(field, rule).with("article", code).with("date", day));
            }
            probe = match self.codes {
                CodeForm::Articles => c.numbers().and_then(|n| n.broader()).map(ArticleRef::from),
                CodeForm::Plain => None,
            };
        }
        Err(Violation::new(field, "article.unknown").with("article", code))
    }

    pub fn classify(&self, field: &str, code: &ArticleRef, day: NaiveDate) -> Result<Classification, Violation> {
        let e = self.entry(field, code, day)?;
        let gravity = self.gravity.as_ref().zip(e.max_penalty).map(|(g, max)| g.classify(max));
        let mut amount_thresholds_qepik: Vec<i64> = e
            .amount_thresholds
            .iter()
            .filter_map(|code| self.amount_thresholds.iter().find(|t| t.code == *code))
            .map(|t| t.amount_qepik)
            .collect();
        amount_thresholds_qepik.sort_unstable();
        Ok(Classification { gravity, tags: e.tags.clone(), amount_thresholds_qepik })
    }

    pub fn entries(&self) -> impl Iterator<Item = &ArticleEntry> {
        self.entries.values().flatten()
    }

    /// A code as this catalogue writes them: under `articles`, only an
    /// article reference; under `plain`, any code.
    pub fn parse_code(&self, text: &str) -> Option<ArticleRef> {
        ArticleRef::parse(text).filter(|code| self.codes == CodeForm::Plain || code.numbers().is_some())
    }

    /// Whether the catalogue declares this grouping.
    pub fn has_tag(&self, tag: &Tag) -> bool {
        self.tag_rank(tag).is_some()
    }

    /// Where the catalogue declares a grouping, the order a case lists them in.
    pub fn tag_rank(&self, tag: &Tag) -> Option<usize> {
        self.tags.iter().position(|t| t.code == *tag)
    }
}

/// One entry's own rules against its catalogue: its code's form, its span,
/// its penalty where gravity is derived from one, its groupings declared.
fn check_entry(e: &ArticleEntry, file: &CatalogueFile) -> Result<(), String> {
    let code = &e.code;
    if file.codes == CodeForm::Articles && code.numbers().is_none() {
        return Err(format!(
            "article {code}: codes = \"articles\" takes article[.part[.point]] (e.g. 177.2.1); \
             write codes = \"plain\" for a classification of its own"
        ));
    }
    if e.effective_to.is_some_and(|to| to <= e.effective_from) {
        return Err(format!("article {code}: effective_to is not after effective_from"));
    }
    match (&file.gravity, e.max_penalty) {
        (Some(_), None) => {
            return Err(format!("article {code}: max_penalty is required, as [gravity] derives the class from it"));
        }
        (None, Some(_)) => {
            return Err(format!(
                "article {code}: max_penalty is given but the catalogue has no [gravity] thresholds to class it"
            ));
        }
        (Some(_), Some(_)) | (None, None) => {}
    }
    if let Some(tag) = e.tags.iter().find(|t| !file.tag.iter().any(|d| d.code == **t)) {
        return Err(format!("article {code}: tag \"{tag}\" is not declared in [[tag]]"));
    }
    if let Some(t) = e.amount_thresholds.iter().find(|t| !file.amount_threshold.iter().any(|d| d.code == **t)) {
        return Err(format!("article {code}: amount threshold \"{t}\" is not declared in [[amount_threshold]]"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(article: u16, part: Option<u16>, point: Option<u16>) -> Option<ArticleNumbers> {
        Some(ArticleNumbers { article, part, point })
    }

    #[test]
    fn parses_references() {
        assert_eq!(ArticleRef::parse("177.2.1").and_then(|a| a.numbers()), article(177, Some(2), Some(1)));
        assert_eq!(ArticleRef::parse("126").and_then(|a| a.numbers()), article(126, None, None));
        assert_eq!(ArticleRef::parse(" 0177.02 ").map(String::from).as_deref(), Some("177.2"), "written canonically");
        for plain in ["0", "177.", "a.1", "1.2.3.4", "177..1", "99999", "burglary", "8N", "HO/28-A_1"] {
            let code = ArticleRef::parse(plain).unwrap_or_else(|| panic!("{plain}: a plain code"));
            assert_eq!((code.as_str(), code.numbers()), (plain, None), "{plain}");
        }
        for bad in ["", " ", ".1", "-a", "a b", "ə", "a\u{0}", "aaaaaaaaaaaaaaaaaaaaaaaaa"] {
            assert_eq!(ArticleRef::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_code_is_stored_as_its_text() {
        for text in ["177.2.1", "burglary", "8N"] {
            let code: ArticleRef = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(serde_json::to_value(&code).unwrap(), serde_json::json!(text));
        }
        let bad = serde_json::from_value::<ArticleRef>(serde_json::json!("a b")).unwrap_err();
        assert!(bad.to_string().contains("offence code"), "{bad}");
    }

    #[test]
    fn articles_sort_by_number_before_plain_codes() {
        let mut codes: Vec<ArticleRef> =
            ["burglary", "120.1", "99", "120", "arson"].map(|c| ArticleRef::parse(c).unwrap()).into();
        codes.sort();
        let texts: Vec<&str> = codes.iter().map(ArticleRef::as_str).collect();
        assert_eq!(texts, ["99", "120", "120.1", "arson", "burglary"]);
    }

    #[test]
    fn gravity_follows_article_15() {
        let t = GravityThresholds {
            not_great_public_danger_max_months: 24,
            less_serious_max_months: 84,
            serious_max_months: 144,
        };
        assert_eq!(t.classify(MaxPenalty::Months(24)), Gravity::NotGreatPublicDanger);
        assert_eq!(t.classify(MaxPenalty::Months(25)), Gravity::LessSerious);
        assert_eq!(t.classify(MaxPenalty::Months(84)), Gravity::LessSerious);
        assert_eq!(t.classify(MaxPenalty::Months(144)), Gravity::Serious);
        assert_eq!(t.classify(MaxPenalty::Months(145)), Gravity::EspeciallySerious);
        assert_eq!(t.classify(MaxPenalty::Life), Gravity::EspeciallySerious);
    }

    #[test]
    fn grouping_names_fall_back_to_english() {
        let names = SomeNames { en: Some("Theft".into()), ru: Some("Кража".into()), az: None };
        assert_eq!((names.get("ru"), names.get("az"), names.get("en")), (Some("Кража"), Some("Theft"), Some("Theft")));
    }
}

#[cfg(test)]
mod file_tests {
    use super::*;

    const SPANS: &str = r#"
version = "t"
illustrative = true
notice = { az = "a", ru = "r", en = "e" }
gravity = { not_great_public_danger_max_months = 24, less_serious_max_months = 84, serious_max_months = 144 }
[[tag]]
code = "theft"
name = { en = "Theft" }
[[article]]
code = "177.2"
title = { az = "a", ru = "r", en = "e" }
max_penalty = { months = 84 }
tags = ["theft"]
effective_from = "2000-09-01"
effective_to = "2024-01-01"
[[article]]
code = "177.2"
title = { az = "a", ru = "r", en = "e" }
max_penalty = { months = 96 }
tags = ["theft"]
effective_from = "2024-01-01"
[[article]]
code = "999"
title = { az = "a", ru = "r", en = "e" }
max_penalty = "life"
effective_from = "2030-01-01"
[[article]]
code = "888"
title = { az = "a", ru = "r", en = "e" }
max_penalty = { months = 24 }
effective_from = "2000-09-01"
effective_to = "2020-01-01"
"#;

    /// A classification of its own: plain codes, no gravity, groupings named in English only.
    const PLAIN: &str = r#"
version = "t"
illustrative = false
notice = { az = "a", ru = "r", en = "e" }
codes = "plain"
[[tag]]
code = "violence"
name = { en = "Violence against the person", ru = "Насилие" }
[[tag]]
code = "property"
name = { en = "Property crime" }
[[article]]
code = "burglary"
title = { az = "a", ru = "r", en = "Burglary" }
tags = ["property"]
effective_from = "2010-01-01"
[[article]]
code = "177.2"
title = { az = "a", ru = "r", en = "A code of digits" }
effective_from = "2010-01-01"
"#;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn code(s: &str) -> ArticleRef {
        ArticleRef::parse(s).unwrap()
    }

    #[test]
    fn an_article_takes_the_amount_thresholds_it_names_and_names_only_declared_ones() {
        let c = Catalogue::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/articles.toml")).unwrap();
        let of = |a: &str| c.classify("articles[0]", &code(a), day("2024-01-01")).unwrap().amount_thresholds_qepik;
        assert_eq!((of("177.1"), of("177.2"), of("126.1")), (vec![50_000], vec![500_000], vec![]));
        let threshold = "[[amount_threshold]]\ncode = \"large\"\nname = { az = \"a\", ru = \"r\", en = \"e\" }\n\
                         amount_qepik = 100\nsource = \"s\"\nverified = false\n";
        let named =
            PLAIN.replacen("tags = [\"property\"]\n", "tags = [\"property\"]\namount_thresholds = [\"large\"]\n", 1);
        assert_eq!(
            Catalogue::from_toml(&named).unwrap_err(),
            "article burglary: amount threshold \"large\" is not declared in [[amount_threshold]]"
        );
        assert!(Catalogue::from_toml(&format!("{named}{threshold}")).is_ok());
        let twice = format!("{named}{threshold}{threshold}");
        assert_eq!(Catalogue::from_toml(&twice).unwrap_err(), "amount_threshold large: declared twice");
        let nothing = format!("{named}{}", threshold.replace("100", "0"));
        assert_eq!(Catalogue::from_toml(&nothing).unwrap_err(), "amount_threshold large: amount_qepik must be above 0");
    }

    #[test]
    fn shipped_catalogue_loads_and_says_it_is_illustrative() {
        let c = Catalogue::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/articles.toml")).unwrap();
        assert!(c.illustrative);
        assert_eq!(c.codes, CodeForm::Articles, "codes are articles when the file does not say");
        assert!(c.entries().count() > 20);
        let theft = c.classify("a", &code("177.2.1"), day("2024-02-01")).unwrap();
        assert_eq!(theft.gravity, Some(Gravity::LessSerious));
        assert!(theft.tags.contains(&Tag::new("theft")));
        assert_eq!(c.tags.len(), 11, "the eleven groupings the Board counted before they were data");
    }

    #[test]
    fn the_entry_in_force_on_the_day_applies() {
        let c = Catalogue::from_toml(SPANS).unwrap();
        let a = code("177.2");
        assert_eq!(c.classify("a", &a, day("2023-12-31")).unwrap().gravity, Some(Gravity::LessSerious));
        assert_eq!(c.classify("a", &a, day("2024-01-01")).unwrap().gravity, Some(Gravity::Serious));
    }

    #[test]
    fn a_point_takes_its_parts_entry_among_articles() {
        let c = Catalogue::from_toml(SPANS).unwrap();
        assert_eq!(c.entry("a", &code("177.2.3"), day("2024-02-01")).unwrap().code, code("177.2"));
        let err = c.entry("articles[0]", &code("burglary"), day("2024-02-01")).unwrap_err();
        assert_eq!(err.rule, "article.unknown", "a plain code is no article");
    }

    #[test]
    fn unknown_and_not_yet_effective_articles_are_named() {
        let c = Catalogue::from_toml(SPANS).unwrap();
        let err = c.entry("articles[0]", &code("555"), day("2024-01-01")).unwrap_err();
        assert_eq!((err.field.as_str(), err.rule.as_str()), ("articles[0]", "article.unknown"));
        let err = c.entry("articles[1]", &code("999"), day("2024-01-01")).unwrap_err();
        assert_eq!((err.field.as_str(), err.rule.as_str()), ("articles[1]", "article.not_yet_effective"));
    }

    #[test]
    fn an_article_whose_last_entry_has_ended_is_repealed() {
        let c = Catalogue::from_toml(SPANS).unwrap();
        let repealed = code("888");
        assert!(c.entry("articles[0]", &repealed, day("2019-12-31")).is_ok());
        let err = c.entry("articles[2]", &repealed, day("2020-01-01")).unwrap_err();
        assert_eq!((err.field.as_str(), err.rule.as_str()), ("articles[2]", "article.repealed"));
        assert_eq!(err.param("date"), Some("2020-01-01"));
    }

    #[test]
    fn gravity_thresholds_out_of_order_are_refused() {
        // The article_catalogue fuzz target holds the loader to this: 100 months never class heavier than 120.
        let bad = SPANS.replace(
            "less_serious_max_months = 84, serious_max_months = 144",
            "less_serious_max_months = 144, serious_max_months = 84",
        );
        assert!(Catalogue::from_toml(&bad).unwrap_err().starts_with("gravity:"));
        let equal = SPANS.replace("less_serious_max_months = 84", "less_serious_max_months = 24");
        assert!(Catalogue::from_toml(&equal).is_err());
    }

    #[test]
    fn overlapping_spans_are_refused() {
        let bad = SPANS.replace("effective_to = \"2024-01-01\"", "effective_to = \"2024-06-01\"");
        assert!(Catalogue::from_toml(&bad).unwrap_err().contains("overlap"));
    }

    #[test]
    fn a_catalogue_reads_codes_in_its_own_form() {
        let (articles, plain) = (Catalogue::from_toml(SPANS).unwrap(), Catalogue::from_toml(PLAIN).unwrap());
        assert_eq!(articles.parse_code("177.2"), Some(code("177.2")));
        assert_eq!(articles.parse_code("177-2"), None, "no article");
        assert_eq!(plain.parse_code("177-2"), Some(code("177-2")));
        assert_eq!(plain.parse_code("a b"), None);
    }

    #[test]
    fn plain_codes_are_matched_exactly_without_gravity() {
        let c = Catalogue::from_toml(PLAIN).unwrap();
        assert_eq!((c.codes, c.gravity.is_none()), (CodeForm::Plain, true));
        let burglary = c.classify("articles[0]", &code("burglary"), day("2018-07-15")).unwrap();
        assert_eq!(
            burglary,
            Classification { gravity: None, tags: vec![Tag::new("property")], amount_thresholds_qepik: vec![] }
        );
        assert!(c.entry("a", &code("177.2"), day("2018-07-15")).is_ok(), "a code of digits is a code too");
        for other in ["Burglary", "burglary.1", "177.2.1", "177"] {
            let err = c.entry("articles[0]", &code(other), day("2018-07-15")).unwrap_err();
            assert_eq!((err.rule.as_str(), err.param("article")), ("article.unknown", Some(other)), "{other}");
        }
    }

    #[test]
    fn an_articles_catalogue_refuses_a_plain_code_entry() {
        let bad = SPANS.replace("code = \"888\"", "code = \"burglary\"");
        let err = Catalogue::from_toml(&bad).unwrap_err();
        assert!(err.starts_with("article burglary: codes = \"articles\""), "{err}");
    }

    #[test]
    fn penalties_and_thresholds_come_together() {
        let no_thresholds = SPANS.replace(
            "gravity = { not_great_public_danger_max_months = 24, less_serious_max_months = 84, serious_max_months = 144 }\n",
            "",
        );
        let err = Catalogue::from_toml(&no_thresholds).unwrap_err();
        assert!(err.starts_with("article 177.2: max_penalty is given but the catalogue has no [gravity]"), "{err}");
        let no_penalty = SPANS.replace("max_penalty = \"life\"\n", "");
        let err = Catalogue::from_toml(&no_penalty).unwrap_err();
        assert!(err.starts_with("article 999: max_penalty is required"), "{err}");
        let penalty_in_plain = PLAIN.replace(
            "effective_from = \"2010-01-01\"\n[[article]]",
            "max_penalty = \"life\"\neffective_from = \"2010-01-01\"\n[[article]]",
        );
        assert!(
            Catalogue::from_toml(&penalty_in_plain).unwrap_err().starts_with("article burglary: max_penalty is given")
        );
    }

    #[test]
    fn an_entrys_tags_are_declared_ones() {
        let bad = PLAIN.replace("tags = [\"property\"]", "tags = [\"property\", \"theft\"]");
        assert_eq!(
            Catalogue::from_toml(&bad).unwrap_err(),
            "article burglary: tag \"theft\" is not declared in [[tag]]"
        );
        let undeclared = SPANS.replace("[[tag]]\ncode = \"theft\"\nname = { en = \"Theft\" }\n", "");
        assert!(Catalogue::from_toml(&undeclared).unwrap_err().contains("tag \"theft\" is not declared"));
        let malformed = PLAIN.replace("\"property\"", "\"Property\"");
        assert!(Catalogue::from_toml(&malformed).unwrap_err().starts_with("tag Property:"));
        let twice = PLAIN.replace("code = \"violence\"", "code = \"property\"");
        assert_eq!(Catalogue::from_toml(&twice).unwrap_err(), "tag property: declared twice");
        let unknown_language = PLAIN.replace("{ en = \"Property crime\" }", "{ fr = \"Crime contre les biens\" }");
        assert!(Catalogue::from_toml(&unknown_language).unwrap_err().contains("fr"));
        let c = Catalogue::from_toml(PLAIN).unwrap();
        let ranks = ["violence", "property", "theft"].map(|t| c.tag_rank(&Tag::new(t)));
        assert_eq!(ranks, [Some(0), Some(1), None], "in the order declared");
    }
}
