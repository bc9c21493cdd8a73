//! The configuration in force: a jurisdiction pack (`data/jurisdictions/*/`)
//! read whole. The journal keeps a pack's files verbatim (`PackFiles`, in an
//! `adopt_jurisdiction` act); everything else here is derived from them.
//! Before any adoption the shipped demo pack is in force.

use crimeboard_domain::catalogue::Catalogue;
use crimeboard_domain::error::Violation;
pub use crimeboard_domain::jurisdiction::{Currency, PackFiles};
use crimeboard_domain::rules::Rules;
use crimeboard_domain::units::{Names, Unit, UnitTree};
use crimeboard_stats::IndicatorSet;
use serde::Deserialize;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Everything an installation is configured for.
#[derive(Debug)]
pub struct Jurisdiction {
    pub code: String,
    pub version: String,
    /// The jurisdiction's own name in each language.
    pub name: Names,
    /// Who records the figures, as the report's narrative names it.
    pub institution: Names,
    /// The languages offered, and the one shown when none is asked for.
    pub languages: Vec<String>,
    pub default_language: String,
    /// The currency amounts are kept in (as whole minor units) and shown in.
    pub currency: Currency,
    pub catalogue: Arc<Catalogue>,
    pub rules: Arc<Rules>,
    pub indicators: Arc<IndicatorSet>,
    /// The unit tree, parents before children.
    pub units: Vec<Unit>,
    /// The files it was read from, as stored.
    pub files: PackFiles,
}

/// One problem of a pack, in the file (and, in its text, the key) it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackProblem {
    pub file: String,
    pub problem: String,
}

impl std::fmt::Display for PackProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.problem)
    }
}

impl PackProblem {
    fn new(file: &str, problem: impl std::fmt::Display) -> PackProblem {
        PackProblem { file: file.to_string(), problem: problem.to_string() }
    }

    /// As a broken rule of an `adopt_jurisdiction` act, on the file's field.
    pub fn violation(&self) -> Violation {
        Violation::new(format!("files.{}", self.file), "jurisdiction.invalid").with("problem", &self.problem)
    }
}

/// The files a pack holds, each exactly once (docs/jurisdiction.md).
pub const PACK_FILES: [&str; 5] = ["jurisdiction.toml", "rules.toml", "articles.toml", "indicators.toml", "units.toml"];

/// The languages the system has texts in.
pub const LANGUAGES: [&str; 3] = ["az", "ru", "en"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JurisdictionFile {
    code: String,
    version: String,
    name: Names,
    institution: Names,
    languages: Vec<String>,
    default_language: String,
    /// Read by [`read_currency`], which says what to write for the old one-word form.
    currency: toml::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    unit: Vec<Unit>,
}

impl Jurisdiction {
    /// The shipped demo pack (`data/jurisdictions/azerbaijan/`), read once.
    pub fn demo() -> Arc<Jurisdiction> {
        static DEMO: OnceLock<Arc<Jurisdiction>> = OnceLock::new();
        DEMO.get_or_init(|| {
            let pack = Jurisdiction::from_files(&demo_files())
                .unwrap_or_else(|problems| panic!("the shipped demo pack is invalid: {problems:?}"));
            Arc::new(pack)
        })
        .clone()
    }

    /// Reads and checks every file of a pack; every problem found in any
    /// file is returned at once, and nothing is adopted from a pack with one.
    pub fn from_files(files: &PackFiles) -> Result<Jurisdiction, Vec<PackProblem>> {
        Jurisdiction::read(files, Era::Now)
    }

    /// A pack as the journal holds it: one adopted before the `[currency]`
    /// table, in the one-word form, is read with its code for every word
    /// and symbol ("1,234.50 AZN"), so the database still opens and a pack in
    /// the new form can be adopted over it.
    pub fn from_stored_files(files: &PackFiles) -> Result<Jurisdiction, Vec<PackProblem>> {
        Jurisdiction::read(files, Era::Stored)
    }

    fn read(files: &PackFiles, era: Era) -> Result<Jurisdiction, Vec<PackProblem>> {
        let mut problems = Vec::new();
        for name in files.0.keys() {
            if !PACK_FILES.contains(&name.as_str()) {
                problems.push(PackProblem::new(name, "not a file of a jurisdiction pack"));
            }
        }
        let mut text = |name: &str| match files.get(name) {
            Some(t) => Some(t),
            None => {
                problems.push(PackProblem::new(name, "missing"));
                None
            }
        };
        let texts = PACK_FILES.map(|n| text(n).map(str::to_owned));
        let [about, rules, articles, indicators, units] = texts;
        let about = about.and_then(|t| keep(&mut problems, "jurisdiction.toml", read_about(&t, era)));
        let rules = rules.and_then(|t| keep(&mut problems, "rules.toml", Rules::from_toml(&t)));
        let catalogue = articles.and_then(|t| keep(&mut problems, "articles.toml", Catalogue::from_toml(&t)));
        let indicators = indicators.and_then(|t| keep(&mut problems, "indicators.toml", IndicatorSet::from_toml(&t)));
        let units = units.and_then(|t| keep(&mut problems, "units.toml", read_units(&t)));
        // The counting rules may name only the gravity and groupings the catalogue has.
        if let (Some(catalogue), Some(indicators)) = (&catalogue, &indicators) {
            keep(&mut problems, "indicators.toml", indicators.check_against(catalogue));
        }
        match (about, rules, catalogue, indicators, units) {
            (Some(about), Some(rules), Some(catalogue), Some(indicators), Some(units)) if problems.is_empty() => {
                let About { file: about, currency } = about;
                Ok(Jurisdiction {
                    code: about.code,
                    version: about.version,
                    name: about.name,
                    institution: about.institution,
                    languages: about.languages,
                    default_language: about.default_language,
                    currency,
                    catalogue: Arc::new(catalogue),
                    rules: Arc::new(rules),
                    indicators: Arc::new(indicators),
                    units,
                    files: files.clone(),
                })
            }
            _ => Err(problems),
        }
    }

    /// A pack written as one file (`name` places its problems), checked
    /// whole like a folder's; a problem in a part is named by the part and
    /// its key (`pack.toml: rules.time_zone: ...`).
    pub fn from_one_file(name: &str, text: &str) -> Result<Jurisdiction, Vec<PackProblem>> {
        let files = split_one_file(name, text)?;
        Jurisdiction::from_files(&files)
            .map_err(|problems| problems.into_iter().map(|p| placed_in_one_file(name, &files, p)).collect())
    }

    /// Whether every file of `other` says what `self`'s does, whatever
    /// their comments and layout.
    pub fn says_the_same_as(&self, other: &Jurisdiction) -> bool {
        self.files.0.len() == other.files.0.len()
            && self.files.0.iter().all(|(name, text)| other.files.get(name).is_some_and(|t| same_in_meaning(text, t)))
    }

    /// Whether the figures counted under `self` would count otherwise under
    /// `other`: its counting rules differ, or its calendar (which places an
    /// entity on a day) does. A file that differs only in comments and
    /// layout (a pack turned into one file and back) counts the same.
    pub fn counts_differently(&self, other: &Jurisdiction) -> bool {
        ["indicators.toml", "rules.toml"].iter().any(|f| {
            let (mine, theirs) = (self.files.get(f).unwrap_or(""), other.files.get(f).unwrap_or(""));
            !same_in_meaning(mine, theirs)
        })
    }
}

/// Whether two texts of a pack's file say the same: equal, or TOML that
/// reads to the same tables whatever its comments and layout.
pub fn same_in_meaning(a: &str, b: &str) -> bool {
    a == b || matches!((a.parse::<toml::Table>(), b.parse::<toml::Table>()), (Ok(a), Ok(b)) if a == b)
}

/// A file's text as a pack written as one file holds it: its TOML as
/// written from the tables, without comments; unparsable text as it is.
pub fn as_one_file_writes(text: &str) -> String {
    text.parse::<toml::Table>().ok().and_then(|t| toml::to_string(&t).ok()).unwrap_or_else(|| text.to_string())
}

/// The part of a pack written as one file that holds a file's content: its
/// name without `.toml` (`[rules]`, `[[rules.deadline]]`).
fn part_name(file: &str) -> &str {
    file.strip_suffix(".toml").unwrap_or(file)
}

/// A pack written as one file, split into its files: each top-level table
/// (`[jurisdiction]`, `[rules]`, `[articles]`, `[indicators]`, `[units]`)
/// becomes the text of the file of its name as TOML writes the table, so
/// each file's parser reads its part unchanged. Only the five parts, each
/// a table, are read.
pub fn split_one_file(name: &str, text: &str) -> Result<PackFiles, Vec<PackProblem>> {
    let whole: toml::Table = text.parse().map_err(|e: toml::de::Error| vec![PackProblem::new(name, e)])?;
    let parts = PACK_FILES.map(part_name);
    let mut problems: Vec<PackProblem> = whole
        .keys()
        .filter(|key| !parts.contains(&key.as_str()))
        .map(|key| {
            PackProblem::new(
                name,
                format!("{key}: not a part of a jurisdiction pack (its parts are {})", parts.join(", ")),
            )
        })
        .collect();
    let mut files = PackFiles::default();
    for (file, part) in PACK_FILES.iter().zip(parts) {
        match whole.get(part) {
            None => problems.push(PackProblem::new(name, format!("{part}: missing; write it as [{part}]"))),
            Some(toml::Value::Table(table)) => match toml::to_string(table) {
                Ok(text) => drop(files.0.insert(file.to_string(), text)),
                Err(e) => problems.push(PackProblem::new(name, format!("{part}: {e}"))),
            },
            Some(_) => problems.push(PackProblem::new(name, format!("{part}: must be a table, written [{part}]"))),
        }
    }
    if problems.is_empty() { Ok(files) } else { Err(problems) }
}

/// A problem its file's parser found in a part of a pack written as one
/// file, placed in that file by part and key. The parser read the part as
/// [`split_one_file`] wrote it, so a line it names is found there and told
/// as the key it holds.
fn placed_in_one_file(name: &str, files: &PackFiles, problem: PackProblem) -> PackProblem {
    let part = part_name(&problem.file);
    let said = match toml_error_line(&problem.problem) {
        Some((line, message)) => {
            let written = files.get(&problem.file).unwrap_or("");
            // A missing field is the table's, not the line's first key.
            let key = key_at_line(written, line, !message.starts_with("missing field"));
            match key {
                Some(key) => format!("{part}.{key}: {message}"),
                None => format!("{part}: {message}"),
            }
        }
        None if starts_with_key(&problem.problem) => format!("{part}.{}", problem.problem),
        None => format!("{part}: {}", problem.problem),
    };
    PackProblem::new(name, said)
}

/// A TOML error's line and its message without the quoted text:
/// `TOML parse error at line 3, column 13` ... `invalid type: ...`.
fn toml_error_line(said: &str) -> Option<(usize, String)> {
    let rest = said.strip_prefix("TOML parse error at line ")?;
    let line = rest.split(',').next()?.trim().parse().ok()?;
    // The message follows the quoted line and its marker (`  |  ^^^`).
    let message: Vec<&str> = said
        .lines()
        .skip(1)
        .skip_while(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit() || c == '|'))
        .collect();
    Some((line, message.join(" ").trim().to_string()))
}

/// The key a line of TOML as written from tables stands in: its table's
/// header (an array's item numbered from 0, `deadline[2]`), and with
/// `with_own_key` the key the line sets.
fn key_at_line(text: &str, line: usize, with_own_key: bool) -> Option<String> {
    let mut table: Option<String> = None;
    let mut items: std::collections::BTreeMap<String, usize> = Default::default();
    let lines: Vec<&str> = text.lines().take(line).collect();
    for l in &lines {
        let l = l.trim();
        if let Some(header) = l.strip_prefix("[[").and_then(|h| h.strip_suffix("]]")) {
            let n = items.entry(header.to_string()).and_modify(|n| *n += 1).or_insert(0);
            table = Some(format!("{header}[{n}]"));
        } else if let Some(header) = l.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            table = Some(header.to_string());
        }
    }
    let own =
        lines.last().filter(|_| with_own_key).and_then(|l| l.split_once(" = ")).map(|(k, _)| k.trim().to_string());
    match (table, own) {
        (Some(t), Some(k)) => Some(format!("{t}.{k}")),
        (t, k) => t.or(k),
    }
}

/// Whether a parser's message begins with the key it is about (`time_zone: ...`).
fn starts_with_key(said: &str) -> bool {
    said.split_once(':').is_some_and(|(key, _)| {
        !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.[]".contains(c))
    })
}

/// A pack's files written as one file, for an operator to keep or send as
/// one: each file under its part's table, its comments kept, its headers
/// moved under the part (`[[deadline]]` becomes `[[rules.deadline]]`). If
/// a file's text would not survive the move (a line inside a multi-line
/// string looking like a header), the whole pack is written from its tables.
pub fn one_file(files: &PackFiles) -> String {
    let mut out = String::new();
    for (file, text) in PACK_FILES.iter().filter_map(|f| Some((f, files.get(f)?))) {
        let part = part_name(file);
        out.push_str(&format!("[{part}]\n"));
        for line in text.lines() {
            out.push_str(&under_part(part, line));
            out.push('\n');
        }
        out.push('\n');
    }
    match split_one_file("", &out) {
        Ok(split) if files.0.iter().all(|(f, text)| split.get(f).is_some_and(|t| same_in_meaning(text, t))) => {
            out.trim_end().to_string() + "\n"
        }
        _ => {
            let whole: toml::Table = files
                .0
                .iter()
                .filter_map(|(f, text)| Some((part_name(f).to_string(), toml::Value::Table(text.parse().ok()?))))
                .collect();
            toml::to_string(&whole).unwrap_or(out)
        }
    }
}

/// A line of a file moved under its part: a table header gains the part's
/// name; any other line stays as it is.
fn under_part(part: &str, line: &str) -> String {
    let trimmed = line.trim_start();
    let is_header = |inner: &str| !inner.is_empty() && !inner.contains(',') && !inner.contains('=');
    let (open, close) = if trimmed.starts_with("[[") { ("[[", "]]") } else { ("[", "]") };
    match trimmed.strip_prefix(open) {
        Some(rest) if rest.split(close).next().is_some_and(is_header) => format!("{open}{part}.{}", rest.trim_start()),
        _ => line.to_string(),
    }
}

fn keep<T>(problems: &mut Vec<PackProblem>, file: &str, read: Result<T, String>) -> Option<T> {
    read.map_err(|e| problems.push(PackProblem::new(file, e))).ok()
}

/// What `jurisdiction.toml` says, its currency read.
struct About {
    file: JurisdictionFile,
    currency: Currency,
}

/// Whether a pack is adopted now or read back from the journal, where the
/// first packs' forms stay readable.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Era {
    Now,
    Stored,
}

fn read_about(text: &str, era: Era) -> Result<About, String> {
    let about: JurisdictionFile = toml::from_str(text).map_err(|e| e.to_string())?;
    if about.code.trim().is_empty() {
        return Err("code: must not be empty".into());
    }
    if about.version.trim().is_empty() {
        return Err("version: must not be empty".into());
    }
    if about.languages.is_empty() {
        return Err("languages: at least one is needed".into());
    }
    if let Some(l) = about.languages.iter().find(|l| !LANGUAGES.contains(&l.as_str())) {
        return Err(format!("languages: {l:?} is not one of {}", LANGUAGES.join(", ")));
    }
    if !about.languages.contains(&about.default_language) {
        return Err(format!("default_language: {:?} is not one of the languages", about.default_language));
    }
    let currency = match (&about.currency, era) {
        (toml::Value::String(code), Era::Stored) => Currency::of_code(code),
        (value, _) => read_currency(value)?,
    };
    Ok(About { file: about, currency })
}

/// The `[currency]` table. The one-word form of the first packs
/// (`currency = "AZN"`) named no symbol nor words to show amounts in: it is
/// refused with the table to write instead.
fn read_currency(value: &toml::Value) -> Result<Currency, String> {
    if let toml::Value::String(code) = value {
        return Err(format!(
            "currency: the one-word form `currency = {code:?}` is no longer read; write a [currency] table \
             instead: code = {code:?}, symbol, minor_units, unit (az, ru, en) and [currency.name] with the \
             forms of each language (docs/jurisdiction.md)"
        ));
    }
    let currency = Currency::deserialize(value.clone()).map_err(|e| format!("currency: {}", e.message()))?;
    match currency.problem() {
        Some(problem) => Err(problem),
        None => Ok(currency),
    }
}

fn read_units(text: &str) -> Result<Vec<Unit>, String> {
    let file: UnitsFile = toml::from_str(text).map_err(|e| e.to_string())?;
    UnitTree::new(file.unit.clone()).map_err(|v| format!("unit tree: {v}"))?;
    Ok(file.unit)
}

/// The demo pack's files, as shipped in the binary.
pub fn demo_files() -> PackFiles {
    macro_rules! shipped {
        ($($name:literal),*) => {
            PackFiles([$(($name.to_string(), include_str!(concat!("../../../data/jurisdictions/azerbaijan/", $name)).to_string())),*].into())
        };
    }
    shipped!("jurisdiction.toml", "rules.toml", "articles.toml", "indicators.toml", "units.toml")
}

/// The demo's territorial units, parents before children.
pub fn demo_units() -> Vec<Unit> {
    Jurisdiction::demo().units.clone()
}

/// Reads a pack's files from a folder: each file a pack holds, and nothing
/// else (a README beside them is no part of the pack).
pub fn read_folder(dir: &Path) -> Result<PackFiles, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a folder", dir.display()));
    }
    let mut files = PackFiles::default();
    for name in PACK_FILES {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        files.0.insert(name.to_string(), text);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_pack_reads_whole() {
        let demo = Jurisdiction::demo();
        assert_eq!(
            (demo.code.as_str(), demo.currency.code.as_str(), demo.default_language.as_str()),
            ("AZ", "AZN", "az")
        );
        assert_eq!((demo.currency.symbol.as_str(), demo.currency.minor_units), ("₼", 2));
        assert_eq!(demo.currency.name.ru.form("many"), "манатов");
        assert_eq!(demo.institution.en, "the Ministry of Internal Affairs and the Prosecutor's Office");
        assert_eq!(demo.units.first().map(|u| u.code.as_str()), Some("AZ"));
    }

    #[test]
    fn every_problem_of_a_pack_names_its_file() {
        let mut files = demo_files();
        files.0.insert("indicators.toml".into(), "version = 1".into());
        files.0.remove("units.toml");
        files.0.insert("notes.txt".into(), String::new());
        let about = files.0.get("jurisdiction.toml").unwrap().replace("code = \"AZN\"", "code = \"manat\"");
        files.0.insert("jurisdiction.toml".into(), about);
        let problems = Jurisdiction::from_files(&files).unwrap_err();
        let named: Vec<&str> = problems.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(named, ["notes.txt", "units.toml", "jurisdiction.toml", "indicators.toml"], "{problems:?}");
        assert!(problems[2].problem.starts_with("currency.code:"), "{problems:?}");
    }

    #[test]
    fn the_old_one_word_currency_is_refused_saying_what_to_write() {
        let mut files = demo_files();
        let about = files.0["jurisdiction.toml"].split("\n[currency]").next().unwrap().to_string();
        let about = about.replace("code = \"AZ\"\n", "code = \"AZ\"\ncurrency = \"AZN\"\n");
        files.0.insert("jurisdiction.toml".into(), about);
        let problems = Jurisdiction::from_files(&files).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        let said = &problems[0].problem;
        assert!(said.starts_with("currency: the one-word form `currency = \"AZN\"` is no longer read"), "{said}");
        assert!(said.contains("write a [currency] table") && said.contains("minor_units"), "{said}");

        // Adopted so before the table existed, it is still read back from the journal.
        let stored = Jurisdiction::from_stored_files(&files).unwrap().currency;
        assert_eq!((stored.code.as_str(), stored.symbol.as_str(), stored.name.ru.form("many")), ("AZN", "AZN", "AZN"));
    }

    #[test]
    fn a_currency_table_with_a_key_missing_is_refused_naming_it() {
        let mut files = demo_files();
        let about = files.0["jurisdiction.toml"].replace("minor_units = 2\n", "");
        files.0.insert("jurisdiction.toml".into(), about);
        let problems = Jurisdiction::from_files(&files).unwrap_err();
        assert!(
            problems[0].problem.starts_with("currency:") && problems[0].problem.contains("minor_units"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_pack_written_as_one_file_is_the_same_pack() {
        for dir in ["azerbaijan", "england-wales"] {
            let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/jurisdictions").join(dir);
            let files = read_folder(&folder).unwrap();
            let text = one_file(&files);
            assert!(text.contains("[[rules.deadline]]") && text.contains("\n[jurisdiction.currency]\n"), "{text}");
            assert!(text.contains("\n# "), "the comments are kept");
            let from_folder = Jurisdiction::from_files(&files).unwrap();
            let from_file = Jurisdiction::from_one_file("pack.toml", &text).unwrap_or_else(|p| panic!("{p:?}"));
            assert_eq!(
                (&from_file.code, &from_file.version, &from_file.name, &from_file.institution),
                (&from_folder.code, &from_folder.version, &from_folder.name, &from_folder.institution)
            );
            assert_eq!(
                (&from_file.languages, &from_file.default_language, &from_file.currency, &from_file.units),
                (&from_folder.languages, &from_folder.default_language, &from_folder.currency, &from_folder.units)
            );
            assert_eq!(format!("{:?}", from_file.rules), format!("{:?}", from_folder.rules));
            assert_eq!(format!("{:?}", from_file.catalogue), format!("{:?}", from_folder.catalogue));
            assert_eq!(format!("{:?}", from_file.indicators), format!("{:?}", from_folder.indicators));
            assert!(!from_file.counts_differently(&from_folder));
            for name in PACK_FILES {
                assert!(same_in_meaning(&files.0[name], &from_file.files.0[name]), "{dir}/{name}");
            }
        }
    }

    #[test]
    fn a_problem_of_a_pack_written_as_one_file_names_its_part_and_key() {
        let text = one_file(&demo_files());
        let problems = |from: &str, to: &str| {
            assert!(text.contains(from), "{from}");
            let problems = Jurisdiction::from_one_file("pack.toml", &text.replacen(from, to, 1)).unwrap_err();
            problems.iter().map(ToString::to_string).collect::<Vec<_>>()
        };
        let zone = problems("time_zone = \"Asia/Baku\"", "time_zone = \"Mars/Olympus\"");
        assert!(zone.len() == 1 && zone[0].starts_with("pack.toml: rules.time_zone: "), "{zone:?}");
        let hours = problems("detention_max_hours = 48", "detention_max_hours = \"48\"");
        assert!(
            hours.len() == 1 && hours[0].starts_with("pack.toml: rules.detention_max_hours: invalid type"),
            "{hours:?}"
        );
        assert!(!hours[0].contains('|'), "no line of the text as the parser read it: {hours:?}");
        let symbol = problems("symbol = \"₼\"", "symbol = \" \"");
        assert_eq!(symbol, ["pack.toml: jurisdiction.currency.symbol: must not be empty"]);
        let parts = problems("[units]\n", "[notes]\n");
        assert_eq!(
            parts,
            ["pack.toml: notes: not a part of a jurisdiction pack (its parts are jurisdiction, rules, articles, \
              indicators, units)"]
        );
        let without_units = text.replace("[units]\n", "").replace("[[units.", "[[notes.");
        let units = Jurisdiction::from_one_file("pack.toml", &without_units).unwrap_err();
        assert_eq!(
            units.last().map(ToString::to_string).as_deref(),
            Some("pack.toml: units: missing; write it as [units]")
        );
        let syntax = problems("[rules]\n", "[rules\n");
        assert!(syntax[0].starts_with("pack.toml: TOML parse error at line "), "{syntax:?}");
    }

    #[test]
    fn only_the_counting_rules_and_the_calendar_change_the_counts() {
        let demo = Jurisdiction::demo();
        let mut files = demo_files();
        let renamed = files.0["jurisdiction.toml"].replace("az-demo-2024.1", "az-demo-2024.2");
        files.0.insert("jurisdiction.toml".into(), renamed);
        assert!(!Jurisdiction::from_files(&files).unwrap().counts_differently(&demo));
        let recounted = files.0["indicators.toml"].replace("counting-2024.4", "counting-2024.5");
        files.0.insert("indicators.toml".into(), recounted);
        assert!(Jurisdiction::from_files(&files).unwrap().counts_differently(&demo));
    }
}
