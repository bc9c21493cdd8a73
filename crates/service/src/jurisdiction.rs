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

    /// Whether the figures counted under `self` would count otherwise under
    /// `other`: its counting rules differ, or its calendar (which places an
    /// entity on a day) does.
    pub fn counts_differently(&self, other: &Jurisdiction) -> bool {
        ["indicators.toml", "rules.toml"].iter().any(|f| self.files.get(f) != other.files.get(f))
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
    fn only_the_counting_rules_and_the_calendar_change_the_counts() {
        let demo = Jurisdiction::demo();
        let mut files = demo_files();
        let renamed = files.0["jurisdiction.toml"].replace("az-demo-2024.1", "az-demo-2024.2");
        files.0.insert("jurisdiction.toml".into(), renamed);
        assert!(!Jurisdiction::from_files(&files).unwrap().counts_differently(&demo));
        let recounted = files.0["indicators.toml"].replace("counting-2024.2", "counting-2024.3");
        files.0.insert("indicators.toml".into(), recounted);
        assert!(Jurisdiction::from_files(&files).unwrap().counts_differently(&demo));
    }
}
