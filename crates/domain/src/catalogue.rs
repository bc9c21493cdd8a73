//! The article catalogue: what each article of the Criminal Code is called,
//! its maximum penalty, the gravity class derived from it (Article 15) and the
//! categories the Board counts. It is data with effective dates, loaded from a
//! file, because the code changes with the law.

use crate::error::Violation;
use crate::units::Names;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Article, part and point, written `177.2.1` (part and point optional).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ArticleRef {
    pub article: u16,
    pub part: Option<u16>,
    pub point: Option<u16>,
}

impl ArticleRef {
    pub fn parse(s: &str) -> Option<ArticleRef> {
        let mut numbers = s.trim().split('.').map(|p| {
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
        Some(ArticleRef { article, part, point })
    }

    /// The reference one level up (`177.2.1` -> `177.2` -> `177`).
    fn broader(&self) -> Option<ArticleRef> {
        match (self.part, self.point) {
            (_, Some(_)) => Some(ArticleRef { point: None, ..self.clone() }),
            (Some(_), None) => Some(ArticleRef { part: None, ..self.clone() }),
            (None, None) => None,
        }
    }
}

impl std::fmt::Display for ArticleRef {
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

impl TryFrom<String> for ArticleRef {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ArticleRef::parse(&s).ok_or_else(|| format!("article {s:?}: expected article[.part[.point]], e.g. 177.2.1"))
    }
}

impl From<ArticleRef> for String {
    fn from(a: ArticleRef) -> String {
        a.to_string()
    }
}

/// On the wire an article is text (`177.2.1`), not its three numbers, so
/// its schema is written by hand: a derived one would describe the struct.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ArticleRef {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("Article, part and point of the Criminal Code, e.g. 177.2.1"))
            .pattern(Some(r"^[0-9]{1,4}(\.[0-9]{1,4}){0,2}$"))
            .examples([serde_json::json!("177.2.1")])
            .into()
    }
}

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

/// The categories the Board counts; an article carries any number of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Tag {
    AgainstPerson,
    SeriousHarm,
    Property,
    Theft,
    Fraud,
    Robbery,
    Extortion,
    Hooliganism,
    Narcotics,
    It,
    Traffic,
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

/// One article (or part, or point) as in force over a span of dates.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleEntry {
    pub code: ArticleRef,
    pub title: Names,
    pub max_penalty: MaxPenalty,
    #[serde(default)]
    pub tags: Vec<Tag>,
    pub effective_from: NaiveDate,
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
}

impl ArticleEntry {
    fn in_force_on(&self, day: NaiveDate) -> bool {
        self.effective_from <= day && self.effective_to.is_none_or(|to| day < to)
    }
}

/// What the catalogue says of one article on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    pub gravity: Gravity,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Deserialize)]
struct CatalogueFile {
    version: String,
    illustrative: bool,
    notice: Names,
    gravity: GravityThresholds,
    article: Vec<ArticleEntry>,
}

#[derive(Debug, Clone)]
pub struct Catalogue {
    pub version: String,
    /// True for a catalogue that was not checked against the official code text.
    pub illustrative: bool,
    pub notice: Names,
    pub gravity: GravityThresholds,
    entries: BTreeMap<ArticleRef, Vec<ArticleEntry>>,
}

impl Catalogue {
    pub fn from_toml(text: &str) -> Result<Catalogue, String> {
        let file: CatalogueFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let g = &file.gravity;
        // Out of order, a longer penalty could make a lighter class.
        if !(g.not_great_public_danger_max_months < g.less_serious_max_months
            && g.less_serious_max_months < g.serious_max_months)
        {
            return Err("gravity: the thresholds must grow from not_great_public_danger to serious".into());
        }
        let mut entries: BTreeMap<ArticleRef, Vec<ArticleEntry>> = BTreeMap::new();
        for e in file.article {
            if e.effective_to.is_some_and(|to| to <= e.effective_from) {
                return Err(format!("article {}: effective_to is not after effective_from", e.code));
            }
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
            gravity: file.gravity,
            entries,
        })
    }

    /// The entry in force on `day` for `code`, or for the nearest broader
    /// reference (a point not listed on its own takes its part's penalty).
    pub fn entry(&self, field: &str, code: &ArticleRef, day: NaiveDate) -> Result<&ArticleEntry, Violation> {
        let mut probe = Some(code.clone());
        while let Some(c) = probe {
            if let Some(spans) = self.entries.get(&c) {
                if let Some(e) = spans.iter().find(|e| e.in_force_on(day)) {
                    return Ok(e);
                }
                let first = &spans[0];
                let rule = if day < first.effective_from { "article.not_yet_effective" } else { "article.repealed" };
                return Err(Violation::new(field, rule).with("article", code).with("date", day));
            }
            probe = c.broader();
        }
        Err(Violation::new(field, "article.unknown").with("article", code))
    }

    pub fn classify(&self, field: &str, code: &ArticleRef, day: NaiveDate) -> Result<Classification, Violation> {
        let e = self.entry(field, code, day)?;
        Ok(Classification { gravity: self.gravity.classify(e.max_penalty), tags: e.tags.clone() })
    }

    pub fn entries(&self) -> impl Iterator<Item = &ArticleEntry> {
        self.entries.values().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        assert_eq!(ArticleRef::parse("177.2.1"), Some(ArticleRef { article: 177, part: Some(2), point: Some(1) }));
        assert_eq!(ArticleRef::parse("126"), Some(ArticleRef { article: 126, part: None, point: None }));
        for bad in ["", "0", "177.", "a.1", "1.2.3.4", "177..1", "99999"] {
            assert_eq!(ArticleRef::parse(bad), None, "{bad}");
        }
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
}

#[cfg(test)]
mod file_tests {
    use super::*;

    const SPANS: &str = r#"
version = "t"
illustrative = true
notice = { az = "a", ru = "r", en = "e" }
gravity = { not_great_public_danger_max_months = 24, less_serious_max_months = 84, serious_max_months = 144 }
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

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn shipped_catalogue_loads_and_says_it_is_illustrative() {
        let c = Catalogue::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/articles.toml")).unwrap();
        assert!(c.illustrative);
        assert!(c.entries().count() > 20);
        let theft = c.classify("a", &ArticleRef::parse("177.2.1").unwrap(), day("2024-02-01")).unwrap();
        assert_eq!(theft.gravity, Gravity::LessSerious);
        assert!(theft.tags.contains(&Tag::Theft));
    }

    #[test]
    fn the_entry_in_force_on_the_day_applies() {
        let c = Catalogue::from_toml(SPANS).unwrap();
        let a = ArticleRef::parse("177.2").unwrap();
        assert_eq!(c.classify("a", &a, day("2023-12-31")).unwrap().gravity, Gravity::LessSerious);
        assert_eq!(c.classify("a", &a, day("2024-01-01")).unwrap().gravity, Gravity::Serious);
    }

    #[test]
    fn unknown_and_not_yet_effective_articles_are_named() {
        let c = Catalogue::from_toml(SPANS).unwrap();
        let err = c.entry("articles[0]", &ArticleRef::parse("555").unwrap(), day("2024-01-01")).unwrap_err();
        assert_eq!((err.field.as_str(), err.rule.as_str()), ("articles[0]", "article.unknown"));
        let err = c.entry("articles[1]", &ArticleRef::parse("999").unwrap(), day("2024-01-01")).unwrap_err();
        assert_eq!((err.field.as_str(), err.rule.as_str()), ("articles[1]", "article.not_yet_effective"));
    }

    #[test]
    fn an_article_whose_last_entry_has_ended_is_repealed() {
        let c = Catalogue::from_toml(SPANS).unwrap();
        let repealed = ArticleRef::parse("888").unwrap();
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
}
