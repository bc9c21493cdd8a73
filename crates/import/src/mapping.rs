//! The mapping file: which column of another system's export is what, and
//! what to assume for what the export lacks. `docs/import.md` is the guide;
//! `data/mappings/police-uk.toml` an example.
//!
//! A mapping is read once (`Mapping::from_toml`, which checks everything that
//! does not depend on the file) and compiled against the file's header
//! (`Mapping::compile`, which resolves column names), then turns each row into
//! a [`Planned`] record or the list of what is wrong with it.

use crate::MappingError;
use crate::identity::{self, Occurrences};
use crate::row::{CellError, ColumnRef, Row};
use crate::template::Template;
use crate::values::{DateFormat, SourceZone, parse_bool, parse_number, parse_offset};
use chrono::{DateTime, NaiveTime, Utc};
use crimeboard_domain::case::{CaseFlags, NewCase, Place, Procedural};
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::person::{PersonInput, PersonRole};
use crimeboard_domain::report::{Channel, NewReport, ReportOutcome};
use crimeboard_domain::rules::{CivilZone, Procedure, Rules};
use crimeboard_domain::source::{MAX_ID, SourceRef};
use crimeboard_domain::units::{Agency, Unit, UnitCode, UnitInForce};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};

// ---- the file as written ----

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    source: SourceSpec,
    #[serde(default)]
    csv: CsvSpec,
    #[serde(default)]
    acts: ActsSpec,
    date: DateSpec,
    occurred: Option<DateSpec>,
    registered: Option<DateSpec>,
    decided: Option<DateSpec>,
    unit: FieldSpec,
    category: Option<LookupSpec<CategorySpec>>,
    outcome: Option<OutcomeSpec>,
    #[serde(default)]
    case: CaseSpec,
    #[serde(default)]
    report: ReportSpec,
    #[serde(default)]
    unit_tree: Vec<Unit>,
    /// When the units of `unit_tree` a registry lacks are in force once
    /// added: "always" (the default: the source's structure, which its
    /// rows' history is recorded in) or their first day, YYYY-MM-DD.
    units_effective_from: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceSpec {
    system: String,
    id: Option<String>,
    #[serde(default)]
    id_when_empty: IdWhenEmpty,
    outcome: Option<String>,
}

/// What identifies a row whose id is empty (or that of every row, when the
/// mapping has no `source.id`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdWhenEmpty {
    /// What the row says, never where it is (`identity`): a hash of its own
    /// cells by column name and its occurrence among the file's rows alike, so
    /// a re-sorted file, or rows fixed in the error file, add nothing twice,
    /// and two incidents recorded alike are both kept.
    #[default]
    Content,
    /// The row is rejected.
    Reject,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CsvSpec {
    #[serde(default = "comma")]
    delimiter: char,
}

impl Default for CsvSpec {
    fn default() -> Self {
        CsvSpec { delimiter: ',' }
    }
}

fn comma() -> char {
    ','
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActsSpec {
    #[serde(default = "default_actor")]
    actor: String,
    #[serde(default = "default_ground")]
    legal_ground: String,
}

impl Default for ActsSpec {
    fn default() -> Self {
        ActsSpec { actor: default_actor(), legal_ground: default_ground() }
    }
}

fn default_actor() -> String {
    "import".into()
}

fn default_ground() -> String {
    "Import of records kept in another system".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DateSpec {
    value: String,
    format: String,
    #[serde(default = "first_day")]
    day: u32,
    #[serde(default = "noon")]
    time: String,
    utc_offset: Option<String>,
    time_zone: Option<String>,
}

fn first_day() -> u32 {
    1
}

fn noon() -> String {
    "12:00".into()
}

/// A value: a constant, a template of columns, or a lookup that maps the
/// values a column takes to the values crimeboard knows.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum FieldSpec {
    Bool(bool),
    Text(String),
    Lookup(LookupSpec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LookupSpec<T> {
    value: String,
    #[serde(default = "BTreeMap::new")]
    map: BTreeMap<String, T>,
    #[serde(default, rename = "match")]
    matching: Matching,
    #[serde(default)]
    ignore_case: bool,
    empty: Option<T>,
    otherwise: Option<T>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Matching {
    #[default]
    Exact,
    /// A key matches a value that starts with it; the longest key wins.
    Prefix,
}

/// What a category of the source becomes: articles (a case), or a report.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum CategorySpec {
    Articles(Vec<String>),
    Rule(CategoryRuleSpec),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryRuleSpec {
    #[serde(default)]
    articles: Vec<String>,
    #[serde(default)]
    register: Register,
    #[serde(default)]
    flags: Vec<Flag>,
    refuse: Option<String>,
    transfer: Option<String>,
}

/// Which register a row goes to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Register {
    /// A criminal case, opened as recorded by the police (the source's reports are not imported).
    #[default]
    Case,
    /// A crime report (information that is not, or not yet, a crime).
    Report,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Flag {
    ItEnabled,
    Group,
    FamilyConflict,
    PublicPlace,
    Intoxication,
    NonObvious,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeSpec {
    value: String,
    #[serde(default)]
    map: BTreeMap<String, Vec<DecisionName>>,
    #[serde(default, rename = "match")]
    matching: Matching,
    #[serde(default)]
    ignore_case: bool,
    empty: Option<Vec<DecisionName>>,
    otherwise: Option<Vec<DecisionName>>,
    /// The name of the suspect added to a case whose decisions need one.
    suspect: Option<String>,
}

/// A procedural decision recorded after the case is opened; its text (how it
/// was solved, the ground of termination) is the source's outcome label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionName {
    Solved,
    Suspended,
    Resumed,
    Terminated,
    SentToCourt,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseSpec {
    #[serde(default = "mia")]
    agency: FieldSpec,
    articles: Option<FieldSpec>,
    description: Option<FieldSpec>,
    address: Option<FieldSpec>,
    latitude: Option<FieldSpec>,
    longitude: Option<FieldSpec>,
    #[serde(default)]
    flags: BTreeMap<String, FieldSpec>,
}

impl Default for CaseSpec {
    fn default() -> Self {
        CaseSpec {
            agency: mia(),
            articles: None,
            description: None,
            address: None,
            latitude: None,
            longitude: None,
            flags: BTreeMap::new(),
        }
    }
}

fn mia() -> FieldSpec {
    FieldSpec::Text("mia".into())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportSpec {
    channel: Option<FieldSpec>,
    officer: Option<FieldSpec>,
    summary: Option<FieldSpec>,
}

// ---- the checked mapping ----

/// A mapping, checked in everything that does not depend on the file.
#[derive(Debug, Clone)]
pub struct Mapping {
    file: File,
    categories: BTreeMap<String, CategoryRule>,
    category_empty: Option<CategoryRule>,
    category_otherwise: Option<CategoryRule>,
    dates: Dates<DateFormat>,
    units_in_force: UnitInForce,
}

#[derive(Debug, Clone)]
struct Dates<T> {
    occurred: T,
    registered: T,
    decided: Option<T>,
}

#[derive(Debug, Clone, PartialEq)]
struct CategoryRule {
    register: Register,
    articles: Vec<ArticleRef>,
    flags: Vec<Flag>,
    report_outcome: Option<ReportOutcome>,
}

impl Mapping {
    pub fn from_toml(text: &str) -> Result<Mapping, MappingError> {
        let file: File = toml::from_str(text).map_err(|e| MappingError::new("", e.to_string()))?;
        let mut checks = Vec::new();
        let mut need = |ok: bool, key: &str, message: &str| {
            if !ok {
                checks.push(MappingError::new(key, message));
            }
        };
        need(!file.source.system.trim().is_empty(), "source.system", "name the system the file comes from");
        need(!file.acts.actor.trim().is_empty(), "acts.actor", "name who records the acts");
        need(!file.acts.legal_ground.trim().is_empty(), "acts.legal_ground", "state the legal ground of the acts");
        need(
            file.category.is_some() || file.case.articles.is_some(),
            "category",
            "map categories to articles, or give case.articles",
        );
        if let Some(e) = checks.into_iter().next() {
            return Err(e);
        }
        delimiter_of(file.csv.delimiter)?;
        // A problem of [date] is named there, not in the section that took it over.
        let date = |key: &str, own: &Option<DateSpec>| match own {
            Some(spec) => date_format(key, spec),
            None => date_format("date", &file.date),
        };
        let dates = Dates {
            occurred: date("occurred", &file.occurred)?,
            registered: date("registered", &file.registered)?,
            decided: file.decided.as_ref().map(|d| date_format("decided", d)).transpose()?,
        };
        let has_articles = file.case.articles.is_some();
        let rule = |key: String, spec: &CategorySpec| category_rule(&key, spec, has_articles);
        let (mut categories, mut empty, mut otherwise) = (BTreeMap::new(), None, None);
        if let Some(c) = &file.category {
            for (value, spec) in &c.map {
                categories.insert(value.clone(), rule(format!("category.map.{value:?}"), spec)?);
            }
            empty = c.empty.as_ref().map(|s| rule("category.empty".into(), s)).transpose()?;
            otherwise = c.otherwise.as_ref().map(|s| rule("category.otherwise".into(), s)).transpose()?;
        }
        for name in file.case.flags.keys() {
            flag_of(name).ok_or_else(|| {
                MappingError::new(
                    format!("case.flags.{name}"),
                    "known flags: it_enabled, group, family_conflict, public_place, intoxication, non_obvious",
                )
            })?;
        }
        for u in &file.unit_tree {
            if u.names.is_empty() {
                return Err(MappingError::new(
                    format!("unit_tree.{}", u.code),
                    "give the unit's name in one of az, ru and en at least",
                ));
            }
        }
        let units_in_force = match &file.units_effective_from {
            None => UnitInForce::Always,
            Some(text) => text.parse().map_err(|_| {
                MappingError::new("units_effective_from", "write \"always\" or the units' first day, YYYY-MM-DD")
            })?,
        };
        Ok(Mapping { file, categories, category_empty: empty, category_otherwise: otherwise, dates, units_in_force })
    }

    /// The source system's name: imported identities are unique within it.
    pub fn system(&self) -> &str {
        &self.file.source.system
    }

    pub fn delimiter(&self) -> Result<u8, MappingError> {
        delimiter_of(self.file.csv.delimiter)
    }

    pub fn actor(&self) -> &str {
        &self.file.acts.actor
    }

    pub fn legal_ground(&self) -> &str {
        &self.file.acts.legal_ground
    }

    /// Units the mapping needs, parents first; added when missing.
    pub fn unit_tree(&self) -> &[Unit] {
        &self.file.unit_tree
    }

    /// When the units of [`Mapping::unit_tree`] the registry lacks are in
    /// force once added: on every day unless the mapping dates them.
    pub fn units_in_force(&self) -> UnitInForce {
        self.units_in_force
    }

    /// Resolves the mapping's columns against a file's header.
    pub fn compile(&self, header: &[String]) -> Result<Compiled, MappingError> {
        let f = &self.file;
        let t = |key: &str, text: &str| Template::parse(text, header, key);
        let field = |key: &str, spec: &FieldSpec| Field::compile(key, spec, header);
        let opt = |key: &str, spec: &Option<FieldSpec>, default: &str| match spec {
            Some(s) => field(key, s),
            None => Ok(Field { key: key.to_string(), kind: FieldKind::Template(t(key, default)?) }),
        };
        let dates = |key: &str, spec: &DateSpec| -> Result<Template, MappingError> { t(key, &spec.value) };
        let imported = format!("Imported from {}", escape(&f.source.system));
        let mut flags = Vec::new();
        for (name, spec) in &f.case.flags {
            let flag = flag_of(name).expect("checked when read");
            flags.push((flag, field(&format!("case.flags.{name}"), spec)?));
        }
        let id = f.source.id.as_deref().map(|s| t("source.id", s)).transpose()?;
        if let Some(id) = &id {
            id_fits(id)?;
        }
        Ok(Compiled {
            header: header.to_vec(),
            own_columns: identity::own_columns(header),
            system: f.source.system.clone(),
            id,
            id_when_empty: f.source.id_when_empty,
            outcome_label: f.source.outcome.as_deref().map(|s| t("source.outcome", s)).transpose()?,
            date_templates: Dates {
                occurred: dates("occurred", f.occurred.as_ref().unwrap_or(&f.date))?,
                registered: dates("registered", f.registered.as_ref().unwrap_or(&f.date))?,
                decided: f.decided.as_ref().map(|d| dates("decided", d)).transpose()?,
            },
            dates: self.dates.clone(),
            unit: field("unit", &f.unit)?,
            category: match &f.category {
                None => None,
                Some(c) => Some(Lookup::compile(
                    "category",
                    &c.value,
                    &self.categories,
                    c.matching,
                    c.ignore_case,
                    self.category_empty.clone(),
                    self.category_otherwise.clone(),
                    header,
                )?),
            },
            outcome: match &f.outcome {
                None => None,
                Some(o) => Some(Lookup::compile(
                    "outcome",
                    &o.value,
                    &o.map,
                    o.matching,
                    o.ignore_case,
                    o.empty.clone(),
                    o.otherwise.clone(),
                    header,
                )?),
            },
            suspect: f.outcome.as_ref().and_then(|o| o.suspect.clone()),
            agency: field("case.agency", &f.case.agency)?,
            articles: f.case.articles.as_ref().map(|a| field("case.articles", a)).transpose()?,
            description: opt("case.description", &f.case.description, &imported)?,
            address: f.case.address.as_ref().map(|a| field("case.address", a)).transpose()?,
            latitude: f.case.latitude.as_ref().map(|a| field("case.latitude", a)).transpose()?,
            longitude: f.case.longitude.as_ref().map(|a| field("case.longitude", a)).transpose()?,
            flags,
            channel: opt("report.channel", &f.report.channel, "referral")?,
            officer: opt("report.officer", &f.report.officer, &escape(&f.source.system))?,
            summary: opt("report.summary", &f.report.summary, &imported)?,
        })
    }
}

/// One ASCII character that is not a quote or a line break, which the reader gives their own meaning.
fn delimiter_of(c: char) -> Result<u8, MappingError> {
    u8::try_from(u32::from(c)).ok().filter(|b| b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r')).ok_or_else(|| {
        MappingError::new("csv.delimiter", "the delimiter is one ASCII character, not a quote or a line break")
    })
}

/// An identity the registry cannot keep (over `source::MAX_ID` characters)
/// is refused before any row is read when the template's text and hashes
/// alone pass the limit; a template with raw cells has no bound, so its rows
/// are checked one by one (`Compiled::source_id`).
fn id_fits(template: &Template) -> Result<(), MappingError> {
    let fixed = template.fixed_chars();
    if fixed > MAX_ID {
        return Err(MappingError::new(
            "source.id",
            format!(
                "an identity is at most {MAX_ID} characters, and this template's text and hashes alone make {fixed}: \
                 shorten its text, or hash long columns with {{sha256:...}} (64 characters)"
            ),
        ));
    }
    Ok(())
}

fn escape(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

fn date_format(key: &str, spec: &DateSpec) -> Result<DateFormat, MappingError> {
    let bad_format = spec.format != "rfc3339"
        && chrono::format::StrftimeItems::new(&spec.format).any(|i| matches!(i, chrono::format::Item::Error));
    if bad_format || spec.format.trim().is_empty() {
        return Err(MappingError::new(format!("{key}.format"), format!("{:?} is not a date format", spec.format)));
    }
    if !(1..=28).contains(&spec.day) {
        return Err(MappingError::new(
            format!("{key}.day"),
            "the default day is 1 to 28 (it must exist in every month)",
        ));
    }
    let time = NaiveTime::parse_from_str(&spec.time, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(&spec.time, "%H:%M:%S"))
        .map_err(|_| MappingError::new(format!("{key}.time"), "a time of day is written HH:MM"))?;
    Ok(DateFormat { format: spec.format.clone(), day: spec.day, time, zone: source_zone(key, spec)? })
}

/// The clock the written times are read on, checked once with the mapping.
fn source_zone(key: &str, spec: &DateSpec) -> Result<SourceZone, MappingError> {
    match (&spec.utc_offset, &spec.time_zone) {
        (None, None) => Ok(SourceZone::Civil),
        (Some(o), None) => parse_offset(o)
            .map(SourceZone::Offset)
            .ok_or_else(|| MappingError::new(format!("{key}.utc_offset"), "write it +04:00 or -05:00")),
        (None, Some(name)) => {
            CivilZone::parse(name).map(SourceZone::Named).map_err(|e| MappingError::new(format!("{key}.time_zone"), e))
        }
        (Some(_), Some(_)) => Err(MappingError::new(
            format!("{key}.utc_offset + {key}.time_zone"),
            "give one: time_zone for a zone's local time (daylight saving included), utc_offset for a fixed offset",
        )),
    }
}

fn category_rule(key: &str, spec: &CategorySpec, has_articles: bool) -> Result<CategoryRule, MappingError> {
    let spec = match spec {
        CategorySpec::Articles(a) => CategoryRuleSpec { articles: a.clone(), ..CategoryRuleSpec::default() },
        CategorySpec::Rule(r) => r.clone(),
    };
    let mut articles = Vec::new();
    for a in &spec.articles {
        articles.push(ArticleRef::parse(a).ok_or_else(|| {
            MappingError::new(key, format!("{a:?} is not an offence code: write an article, e.g. 177.2.1, or a code of the catalogue, e.g. burglary"))
        })?);
    }
    let report_outcome = match (&spec.refuse, &spec.transfer) {
        (Some(_), Some(_)) => return Err(MappingError::new(key, "a report is refused or transferred, not both")),
        (Some(ground), None) => Some(ReportOutcome::Refuse { ground: ground.clone() }),
        (None, Some(body)) => Some(ReportOutcome::Transfer { to_body: body.clone() }),
        (None, None) => None,
    };
    match spec.register {
        Register::Case if report_outcome.is_some() => {
            Err(MappingError::new(key, "refuse and transfer decide reports: add register = \"report\""))
        }
        Register::Case if articles.is_empty() && !has_articles => {
            Err(MappingError::new(key, "a case needs articles: list them here, or give case.articles"))
        }
        Register::Report if !articles.is_empty() || !spec.flags.is_empty() => {
            Err(MappingError::new(key, "a report has no articles or flags; they are a case's"))
        }
        register => Ok(CategoryRule { register, articles, flags: spec.flags, report_outcome }),
    }
}

fn flag_of(name: &str) -> Option<Flag> {
    toml::Value::String(name.to_string()).try_into().ok()
}

// ---- compiled against a header ----

#[derive(Debug, Clone)]
struct Field {
    key: String,
    kind: FieldKind,
}

#[derive(Debug, Clone)]
enum FieldKind {
    Template(Template),
    Lookup(Lookup<String>),
}

impl Field {
    fn compile(key: &str, spec: &FieldSpec, header: &[String]) -> Result<Field, MappingError> {
        let kind = match spec {
            FieldSpec::Bool(b) => FieldKind::Template(Template::parse(&b.to_string(), header, key)?),
            FieldSpec::Text(t) => FieldKind::Template(Template::parse(t, header, key)?),
            FieldSpec::Lookup(l) => FieldKind::Lookup(Lookup::compile(
                key,
                &l.value,
                &l.map,
                l.matching,
                l.ignore_case,
                l.empty.clone(),
                l.otherwise.clone(),
                header,
            )?),
        };
        Ok(Field { key: key.to_string(), kind })
    }

    fn columns(&self) -> ColumnRef {
        let t = match &self.kind {
            FieldKind::Template(t) => t,
            FieldKind::Lookup(l) => &l.value,
        };
        if t.is_constant() { ColumnRef::Mapping(self.key.clone()) } else { ColumnRef::Names(t.columns().to_vec()) }
    }

    fn text(&self, row: &Row) -> Result<String, CellError> {
        match &self.kind {
            FieldKind::Template(t) => t.render(row),
            FieldKind::Lookup(l) => {
                let value = l.value.render(row)?;
                match l.find(&value)? {
                    Some(mapped) => Ok(mapped.clone()),
                    None => Ok(value),
                }
            }
        }
    }

    fn error(&self, rule: &'static str, message: String) -> CellError {
        CellError { column: self.columns(), rule, message }
    }

    fn required(&self, row: &Row) -> Result<String, CellError> {
        let v = self.text(row)?;
        if v.is_empty() {
            return Err(self.error("cell.required", format!("{} needs a value", self.key)));
        }
        Ok(v)
    }

    fn parsed<T: DeserializeOwned>(&self, row: &Row, allowed: &str) -> Result<T, CellError> {
        let v = self.required(row)?;
        toml::Value::String(v.clone())
            .try_into()
            .map_err(|_| self.error("value.unknown", format!("{v:?} is not a {}; allowed: {allowed}", self.key)))
    }

    fn number(&self, row: &Row) -> Result<Option<f64>, CellError> {
        let v = self.text(row)?;
        if v.is_empty() {
            return Ok(None);
        }
        parse_number(&v).map(Some).ok_or_else(|| self.error("number.format", format!("{v:?} is not a number")))
    }

    fn boolean(&self, row: &Row) -> Result<bool, CellError> {
        let v = self.text(row)?;
        parse_bool(&v).ok_or_else(|| {
            self.error("bool.format", format!("{v:?} is neither yes nor no (true/false, yes/no, 1/0, y/n, x/empty)"))
        })
    }
}

/// Values of a column mapped to what crimeboard knows.
#[derive(Debug, Clone)]
struct Lookup<T> {
    key: String,
    value: Template,
    exact: HashMap<String, T>,
    /// Keys for prefix matching, longest first.
    prefixes: Vec<(String, T)>,
    ignore_case: bool,
    empty: Option<T>,
    otherwise: Option<T>,
}

impl<T: Clone> Lookup<T> {
    #[allow(clippy::too_many_arguments)]
    fn compile(
        key: &str,
        value: &str,
        map: &BTreeMap<String, T>,
        matching: Matching,
        ignore_case: bool,
        empty: Option<T>,
        otherwise: Option<T>,
        header: &[String],
    ) -> Result<Lookup<T>, MappingError> {
        let fold = |k: &str| if ignore_case { k.to_lowercase() } else { k.to_string() };
        let mut exact = HashMap::new();
        let mut prefixes = Vec::new();
        for (k, v) in map {
            match matching {
                Matching::Exact => {
                    exact.insert(fold(k), v.clone());
                }
                Matching::Prefix => prefixes.push((fold(k), v.clone())),
            }
        }
        prefixes.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        Ok(Lookup {
            key: key.to_string(),
            value: Template::parse(value, header, &format!("{key}.value"))?,
            exact,
            prefixes,
            ignore_case,
            empty,
            otherwise,
        })
    }

    fn has_map(&self) -> bool {
        !self.exact.is_empty() || !self.prefixes.is_empty()
    }

    /// What a value maps to; None when the lookup has no map (the value stands as it is).
    fn find(&self, value: &str) -> Result<Option<&T>, CellError> {
        if value.is_empty()
            && let Some(e) = &self.empty
        {
            return Ok(Some(e));
        }
        if !self.has_map() {
            return Ok(None);
        }
        let folded;
        let v = if self.ignore_case {
            folded = value.to_lowercase();
            folded.as_str()
        } else {
            value
        };
        let found =
            self.exact.get(v).or_else(|| self.prefixes.iter().find(|(k, _)| v.starts_with(k.as_str())).map(|(_, t)| t));
        match found.or(self.otherwise.as_ref()) {
            Some(t) => Ok(Some(t)),
            None => Err(CellError {
                column: if self.value.is_constant() {
                    ColumnRef::Mapping(self.key.clone())
                } else {
                    ColumnRef::Names(self.value.columns().to_vec())
                },
                rule: "mapping.unknown_value",
                message: format!("{value:?} is not in the mapping's {}.map, and it gives no `otherwise`", self.key),
            }),
        }
    }

    fn columns(&self) -> ColumnRef {
        ColumnRef::Names(self.value.columns().to_vec())
    }
}

/// A mapping resolved against one file's header: turns rows into records.
#[derive(Debug, Clone)]
pub struct Compiled {
    header: Vec<String>,
    /// The header's columns that are the rows' own (an error file adds four).
    own_columns: usize,
    system: String,
    id: Option<Template>,
    id_when_empty: IdWhenEmpty,
    outcome_label: Option<Template>,
    date_templates: Dates<Template>,
    dates: Dates<DateFormat>,
    unit: Field,
    category: Option<Lookup<CategoryRule>>,
    outcome: Option<Lookup<Vec<DecisionName>>>,
    suspect: Option<String>,
    agency: Field,
    articles: Option<Field>,
    description: Field,
    address: Option<Field>,
    latitude: Option<Field>,
    longitude: Option<Field>,
    flags: Vec<(Flag, Field)>,
    channel: Field,
    officer: Field,
    summary: Field,
}

/// A row mapped: what to record, and what follows from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub line: u64,
    pub kind: PlannedKind,
    /// For a row known by its content, the identity it had under the rule
    /// before (`identity::line_identity`): imported under it, it is not again.
    pub line_identity: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlannedKind {
    /// A case opened, then the decisions on it, in order, at `decided_at`.
    Case { case: NewCase, decisions: Vec<Procedural>, decided_at: DateTime<Utc> },
    /// A report registered, then decided if the mapping says how.
    Report { report: NewReport, decision: Option<ReportOutcome>, decided_at: DateTime<Utc> },
}

impl Planned {
    pub fn source(&self) -> &SourceRef {
        let s = match &self.kind {
            PlannedKind::Case { case, .. } => case.source.as_ref(),
            PlannedKind::Report { report, .. } => report.source.as_ref(),
        };
        s.expect("a planned row has its source")
    }
}

impl Compiled {
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The columns that are the rows' own: the header less the columns an
    /// error file adds (the error file of an error file has them once).
    pub fn own_header(&self) -> &[String] {
        &self.header[..self.own_columns]
    }

    /// The file's columns that a domain field was filled from, for the error
    /// file: `articles[0]` came from the category column, and so on.
    pub fn columns_of(&self, field: &str) -> ColumnRef {
        let head = field.split(['.', '[']).next().unwrap_or(field);
        let template = |t: &Template, key: &str| {
            if t.is_constant() { ColumnRef::Mapping(key.into()) } else { ColumnRef::Names(t.columns().to_vec()) }
        };
        let dates = &self.date_templates;
        match head {
            "unit" => self.unit.columns(),
            "articles" => match (&self.category, &self.articles) {
                (_, Some(a)) => a.columns(),
                (Some(c), None) => c.columns(),
                (None, None) => ColumnRef::Mapping("category".into()),
            },
            "category" => self.category.as_ref().map_or(ColumnRef::Mapping("category".into()), |c| c.columns()),
            "occurred_at" => template(&dates.occurred, "occurred"),
            "registered_at" | "received_at" => template(&dates.registered, "registered"),
            "decided_at" => match &dates.decided {
                Some(d) => template(d, "decided"),
                None => template(&dates.registered, "registered"),
            },
            "decision" | "outcome" | "persons" => {
                self.outcome.as_ref().map_or(ColumnRef::Mapping("outcome".into()), |o| o.columns())
            }
            "description" => self.description.columns(),
            "summary" => self.summary.columns(),
            "officer" => self.officer.columns(),
            "channel" | "applicant" => self.channel.columns(),
            "agency" => self.agency.columns(),
            "place" => match field {
                "place.latitude" => {
                    self.latitude.as_ref().map_or(ColumnRef::Mapping("case.latitude".into()), Field::columns)
                }
                "place.longitude" => {
                    self.longitude.as_ref().map_or(ColumnRef::Mapping("case.longitude".into()), Field::columns)
                }
                "place.address" => {
                    self.address.as_ref().map_or(ColumnRef::Mapping("case.address".into()), Field::columns)
                }
                _ => {
                    let mut names = Vec::new();
                    for f in [&self.latitude, &self.longitude].into_iter().flatten() {
                        if let ColumnRef::Names(n) = f.columns() {
                            names.extend(n);
                        }
                    }
                    ColumnRef::Names(names)
                }
            },
            "flags" => {
                let name = field.strip_prefix("flags.").unwrap_or("");
                let flag = flag_of(name);
                self.flags
                    .iter()
                    .find(|(f, _)| Some(*f) == flag)
                    .map_or(ColumnRef::Mapping(format!("case.{field}")), |(_, f)| f.columns())
            }
            "source" => match field {
                "source.id" => {
                    self.id.as_ref().map_or(ColumnRef::Mapping("source.id".into()), |t| template(t, "source.id"))
                }
                "source.outcome" => self
                    .outcome_label
                    .as_ref()
                    .map_or(ColumnRef::Mapping("source.outcome".into()), |t| template(t, "source.outcome")),
                _ => ColumnRef::Mapping("source.system".into()),
            },
            other => ColumnRef::Mapping(other.to_string()),
        }
    }

    /// Maps one row, or says everything that is wrong with it.
    /// `seen` counts the contents of the file's rows without an id, for their identities.
    pub fn plan(
        &self,
        row: &Row,
        record: &csv::ByteRecord,
        rules: &Rules,
        seen: &mut Occurrences,
    ) -> Result<Planned, Vec<CellError>> {
        let mut errors = Errors(Vec::new());

        let (id, line_identity) = match errors.take(self.source_id(row, record, seen)) {
            Some((id, line_identity)) => (Some(id), line_identity),
            None => (None, None),
        };
        let outcome_label = match &self.outcome_label {
            Some(t) => errors.take(t.render(row)),
            None => Some(String::new()),
        };
        let occurred = errors.take(self.date(row, &self.date_templates.occurred, &self.dates.occurred, rules));
        let registered = errors.take(self.date(row, &self.date_templates.registered, &self.dates.registered, rules));
        let decided = match (&self.date_templates.decided, &self.dates.decided) {
            (Some(t), Some(f)) => errors.take(self.date(row, t, f, rules)),
            _ => registered,
        };
        let unit = errors.take(self.unit.required(row)).and_then(|u| {
            errors.take(UnitCode::parse(&u).map_err(|_| {
                self.unit
                    .error("unit.code_format", format!("{u:?} is not a unit code (upper-case letters, digits, '-')"))
            }))
        });
        let (category, rule) = match &self.category {
            None => (None, None),
            Some(c) => match errors.take(c.value.render(row)) {
                None => (None, None),
                Some(value) => {
                    let rule = errors.take(c.find(&value)).flatten().cloned();
                    (Some(value).filter(|v| !v.is_empty()), rule)
                }
            },
        };
        let register = rule.as_ref().map_or(Register::Case, |r| r.register);
        let (decision_label, decisions) = match &self.outcome {
            None => (String::new(), Some(Vec::new())),
            Some(o) => match errors.take(o.value.render(row)) {
                None => (String::new(), None),
                Some(value) => {
                    let d = errors.take(o.find(&value)).map(|d| d.cloned().unwrap_or_default());
                    (value, d)
                }
            },
        };
        let source = |id: String, outcome: Option<String>| SourceRef {
            system: self.system.clone(),
            id,
            outcome: self.outcome_label.as_ref().and(outcome),
        };

        let kind = match register {
            Register::Report => {
                if decisions.as_ref().is_some_and(|d| !d.is_empty()) {
                    errors.take::<()>(Err(CellError {
                        column: self.columns_of("decision"),
                        rule: "mapping.decision_for_report",
                        message: format!("{category:?} is registered as a report, which takes no case decisions"),
                    }));
                }
                let channel = errors.take(
                    self.channel
                        .parsed::<Channel>(row, "in_person, line102, written, online, referral, detected_by_police"),
                );
                let officer = errors.take(self.officer.text(row));
                let summary = errors.take(self.summary.text(row));
                if !errors.0.is_empty() {
                    return Err(errors.0);
                }
                let (
                    Some(id),
                    Some(unit),
                    Some(received_at),
                    Some(decided_at),
                    Some(channel),
                    Some(officer),
                    Some(summary),
                ) = (id, unit, registered, decided, channel, officer, summary)
                else {
                    unreachable!("every missing value left an error")
                };
                PlannedKind::Report {
                    report: NewReport {
                        unit,
                        procedure: Procedure::CrimeReport,
                        channel,
                        received_at,
                        officer,
                        applicant: None,
                        summary,
                        category,
                        source: Some(source(id, outcome_label)),
                    },
                    decision: rule.and_then(|r| r.report_outcome),
                    decided_at,
                }
            }
            Register::Case => {
                let agency = errors.take(self.agency.parsed::<Agency>(row, "mia, prosecutor"));
                let mut articles = rule.as_ref().map(|r| r.articles.clone()).unwrap_or_default();
                if articles.is_empty()
                    && let Some(field) = &self.articles
                    && let Some(text) = errors.take(field.required(row))
                {
                    for a in text.split([',', ';', ' ']).filter(|a| !a.is_empty()) {
                        match ArticleRef::parse(a) {
                            Some(a) => articles.push(a),
                            None => errors.0.push(field.error(
                                "article.format",
                                format!("{a:?} is not an offence code: write an article, e.g. 177.2.1, or a code of the catalogue, e.g. burglary"),
                            )),
                        }
                    }
                }
                let description = errors.take(self.description.text(row));
                let address = self.address.as_ref().map(|a| errors.take(a.text(row))).unwrap_or(Some(String::new()));
                let latitude = self.latitude.as_ref().map(|f| errors.take(f.number(row))).unwrap_or(Some(None));
                let longitude = self.longitude.as_ref().map(|f| errors.take(f.number(row))).unwrap_or(Some(None));
                let mut flags = CaseFlags::default();
                for flag in rule.iter().flat_map(|r| r.flags.iter()) {
                    set_flag(&mut flags, *flag, true);
                }
                for (flag, field) in &self.flags {
                    if let Some(true) = errors.take(field.boolean(row)) {
                        set_flag(&mut flags, *flag, true);
                    }
                }
                let decisions = decisions.map(|names| {
                    names
                        .iter()
                        .map(|d| match d {
                            DecisionName::Solved => {
                                Procedural::Solved { how: decision_label.clone(), forensic_methods: vec![] }
                            }
                            DecisionName::Suspended => Procedural::Suspended,
                            DecisionName::Resumed => Procedural::Resumed,
                            DecisionName::Terminated => Procedural::Terminated { ground: decision_label.clone() },
                            DecisionName::SentToCourt => Procedural::SentToCourt,
                        })
                        .collect::<Vec<_>>()
                });
                if !errors.0.is_empty() {
                    return Err(errors.0);
                }
                let (
                    Some(id),
                    Some(unit),
                    Some(occurred_at),
                    Some(registered_at),
                    Some(decided_at),
                    Some(agency),
                    Some(description),
                    Some(address),
                    Some(latitude),
                    Some(longitude),
                    Some(decisions),
                ) = (
                    id,
                    unit,
                    occurred,
                    registered,
                    decided,
                    agency,
                    description,
                    address,
                    latitude,
                    longitude,
                    decisions,
                )
                else {
                    unreachable!("every missing value left an error")
                };
                let needs_suspect =
                    decisions.iter().any(|d| matches!(d, Procedural::Solved { .. } | Procedural::SentToCourt));
                let persons = match (&self.suspect, needs_suspect) {
                    (Some(name), true) => vec![PersonInput {
                        role: PersonRole::Suspect,
                        full_name: name.clone(),
                        fin: None,
                        birth_date: None,
                        sex: None,
                        previously_convicted: false,
                    }],
                    _ => vec![],
                };
                PlannedKind::Case {
                    case: NewCase {
                        unit,
                        agency,
                        report_ids: vec![],
                        detected_by_police: true,
                        articles,
                        occurred_at,
                        registered_at,
                        place: Place { address, latitude, longitude },
                        flags,
                        description,
                        persons,
                        late_reason: None,
                        category,
                        source: Some(source(id, outcome_label)),
                    },
                    decisions,
                    decided_at,
                }
            }
        };
        Ok(Planned { line: row.line, kind, line_identity })
    }

    /// The row's identity, and for one known by its content the identity it had before.
    fn source_id(
        &self,
        row: &Row,
        record: &csv::ByteRecord,
        seen: &mut Occurrences,
    ) -> Result<(String, Option<String>), CellError> {
        let id = match &self.id {
            Some(t) => t.render(row)?,
            None => String::new(),
        };
        if id.is_empty() {
            return match self.id_when_empty {
                IdWhenEmpty::Content => Ok((
                    seen.identity(identity::content_hash(self.own_header(), record)),
                    Some(identity::line_identity(record, row.line)),
                )),
                IdWhenEmpty::Reject => Err(CellError {
                    column: self.columns_of("source.id"),
                    rule: "cell.required",
                    message: "the row has no id, and the mapping says id_when_empty = \"reject\"".into(),
                }),
            };
        }
        let chars = id.chars().count();
        if chars > MAX_ID {
            return Err(CellError {
                column: self.columns_of("source.id"),
                rule: "text.too_long",
                message: format!(
                    "the identity is {chars} characters, over the limit of {MAX_ID}: \
                     hash its long columns with {{sha256:...}} in source.id"
                ),
            });
        }
        Ok((id, None))
    }

    fn date(&self, row: &Row, t: &Template, f: &DateFormat, rules: &Rules) -> Result<DateTime<Utc>, CellError> {
        let column =
            || if t.is_constant() { ColumnRef::Mapping("date".into()) } else { ColumnRef::Names(t.columns().to_vec()) };
        let text = t.render(row)?;
        if text.is_empty() {
            return Err(CellError { column: column(), rule: "cell.required", message: "the date is empty".into() });
        }
        f.parse(&text, rules).map_err(|message| CellError { column: column(), rule: "date.format", message })
    }
}

/// The problems found in a row so far.
struct Errors(Vec<CellError>);

impl Errors {
    fn take<T>(&mut self, r: Result<T, CellError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }
}

fn set_flag(flags: &mut CaseFlags, flag: Flag, on: bool) {
    match flag {
        Flag::ItEnabled => flags.it_enabled |= on,
        Flag::Group => flags.group |= on,
        Flag::FamilyConflict => flags.family_conflict |= on,
        Flag::PublicPlace => flags.public_place |= on,
        Flag::Intoxication => flags.intoxication |= on,
        Flag::NonObvious => flags.non_obvious |= on,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "[source]\nsystem = \"s\"\n[date]\nvalue = \"{d}\"\nformat = \"%Y-%m\"\n[unit]\nvalue = \"U\"\n[case]\narticles = \"{a}\"\n";

    #[test]
    fn a_delimiter_the_reader_cannot_take_is_refused_when_the_mapping_is_read() {
        // The mapping_file fuzz target holds the reader to this: an accepted mapping imports.
        assert_eq!(Mapping::from_toml(MINIMAL).unwrap().delimiter(), Ok(b','));
        for bad in ["é", "\\\"", "\\n"] {
            let text = format!("[csv]\ndelimiter = \"{bad}\"\n{MINIMAL}");
            assert_eq!(Mapping::from_toml(&text).unwrap_err().key, "csv.delimiter", "{bad}");
        }
    }

    #[test]
    fn the_zone_of_the_written_times_is_checked_when_the_mapping_is_read() {
        let with = |keys: &str| Mapping::from_toml(&MINIMAL.replace("[unit]", &format!("{keys}\n[unit]")));
        assert!(with("time_zone = \"Europe/London\"").is_ok());
        assert!(with("utc_offset = \"+01:00\"").is_ok());
        let unknown = with("time_zone = \"Europe/Atlantis\"").unwrap_err();
        assert_eq!(unknown.key, "date.time_zone");
        assert!(unknown.message.contains("not a time zone of the IANA database"), "{unknown:?}");
        let both = with("time_zone = \"Europe/London\"\nutc_offset = \"+01:00\"").unwrap_err();
        assert_eq!(both.key, "date.utc_offset + date.time_zone");
        let occurred =
            MINIMAL.replace("[unit]", "[occurred]\nvalue = \"{d}\"\nformat = \"%Y\"\ntime_zone = \"Nowhere\"\n[unit]");
        assert_eq!(Mapping::from_toml(&occurred).unwrap_err().key, "occurred.time_zone");
    }

    #[test]
    fn an_identity_template_over_the_limit_is_refused_when_compiled() {
        let header: Vec<String> = ["d", "a", "No"].map(String::from).to_vec();
        let with_id = |id: &str| {
            Mapping::from_toml(&MINIMAL.replace("system = \"s\"", &format!("system = \"s\"\nid = \"{id}\"")))
                .unwrap()
                .compile(&header)
        };
        // Text and a hash (64 characters) one over the limit, then at it.
        let over = format!("{}{{sha256:No|a}}", "x".repeat(MAX_ID - 63));
        let e = with_id(&over).unwrap_err();
        assert_eq!(e.key, "source.id");
        assert!(e.message.contains("at most 200 characters") && e.message.contains("make 201"), "{}", e.message);
        assert!(with_id(&format!("{}{{sha256:No|a}}", "x".repeat(MAX_ID - 64))).is_ok());
        // Raw cells have no bound: only their text is checked here, the rest row by row.
        assert!(with_id(&format!("{}{{No}}", "x".repeat(MAX_ID))).is_ok());
        assert_eq!(with_id(&format!("{}{{No}}", "x".repeat(MAX_ID + 1))).unwrap_err().key, "source.id");
    }

    #[test]
    fn the_line_digest_identity_is_no_longer_a_choice() {
        let with =
            |value: &str| MINIMAL.replace("system = \"s\"", &format!("system = \"s\"\nid_when_empty = \"{value}\""));
        let e = Mapping::from_toml(&with("digest")).unwrap_err();
        assert!(e.message.contains("unknown variant `digest`, expected `content` or `reject`"), "{}", e.message);
        assert_eq!(Mapping::from_toml(&with("content")).unwrap().file.source.id_when_empty, IdWhenEmpty::Content);
    }
}
