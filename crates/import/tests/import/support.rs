use chrono::{DateTime, Utc};
use crimeboard_domain::catalogue::Catalogue;
use crimeboard_domain::rules::Rules;
use crimeboard_import::{ImportOptions, ImportSummary, Mapping, import};
use crimeboard_service::{ReferenceData, Registry};
use crimeboard_stats::IndicatorSet;
use crimeboard_store::testing::{TestStore, backends};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// "Now" for every test.
pub const NOW: &str = "2024-04-19T10:00:00Z";

pub struct Env {
    pub db: TestStore,
    pub registry: Registry,
    pub dir: PathBuf,
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One empty registry per backend under the England and Wales pack, which
/// the police.uk mapping is written for (the mapping brings its units), with
/// a folder for the test's files.
pub fn each_backend(test: impl Fn(&Env)) {
    each_backend_with(england_wales, test)
}

/// The same under other reference data (`ReferenceData::defaults`: the demo's Azerbaijan).
pub fn each_backend_with(reference: fn() -> ReferenceData, test: impl Fn(&Env)) {
    for db in backends() {
        let now = DateTime::parse_from_rfc3339(NOW).unwrap().with_timezone(&Utc);
        let registry = Registry::new(db.store.clone(), reference(), Arc::new(move || now)).unwrap();
        let dir = std::env::temp_dir().join(format!("crimeboard-import-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let env = Env { db, registry, dir };
        eprintln!("-- backend: {}", env.db.name);
        test(&env);
    }
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The England and Wales pack's catalogue, rules and counting rules, read
/// from its files and checked against each other as loading a pack does.
///
/// TODO: once a registry adopts a jurisdiction pack (`init --jurisdiction`),
/// load the pack through that instead of its files one by one; once the
/// rules name their zone (`time_zone = "Europe/London"`), read rules.toml as
/// it is, without `with_summer_time`.
pub fn england_wales() -> ReferenceData {
    let dir = repo().join("data/jurisdictions/england-wales");
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).unwrap();
    let catalogue = Catalogue::from_toml(&read("articles.toml")).unwrap();
    let indicators = IndicatorSet::from_toml(&read("indicators.toml")).unwrap();
    indicators.check_against(&catalogue).unwrap();
    let rules = Rules::from_toml(&with_summer_time(&read("rules.toml"))).unwrap();
    ReferenceData { catalogue: Arc::new(catalogue), rules: Arc::new(rules), indicators: Arc::new(indicators) }
}

/// The pack's rules with its named zone written as the one fixed offset the
/// rules can hold today: British Summer Time (UTC+1), which every month
/// these tests import (July) is in.
fn with_summer_time(rules: &str) -> String {
    let zone = "time_zone = \"Europe/London\"\n";
    assert!(rules.contains(zone), "the pack names its zone");
    rules.replace(zone, "") + "\n[[time_zone]]\neffective_from = \"2000-01-01\"\nutc_offset_minutes = 60\n"
}

pub fn police_uk_text() -> String {
    std::fs::read_to_string(repo().join("data/mappings/police-uk.toml")).unwrap()
}

pub fn police_uk() -> Mapping {
    Mapping::from_toml(&police_uk_text()).unwrap()
}

pub fn street_file(month: &str) -> PathBuf {
    repo().join(format!("testdata/police-uk/{month}-west-yorkshire-street.csv"))
}

impl Env {
    /// Imports CSV text, rejected rows going to `errors.csv` in the test's folder.
    pub fn import_text(&self, text: &str, mapping: &Mapping, batch_size: usize) -> ImportSummary {
        self.import_with(text, mapping, batch_size, true)
    }

    pub fn import_with(&self, text: &str, mapping: &Mapping, batch_size: usize, check_first: bool) -> ImportSummary {
        let options = ImportOptions {
            batch_size,
            errors: self.dir.join("errors.csv"),
            total_bytes: None,
            check_first,
            audit_as: None,
        };
        let _ = std::fs::remove_file(&options.errors);
        import(&self.registry, text.as_bytes(), mapping, &options, &mut |_| {})
            .unwrap_or_else(|e| panic!("import on {}: {e}", self.db.name))
    }

    pub fn position(&self) -> i64 {
        self.registry.store().position().unwrap()
    }
}

/// The rows of an error file, as header -> value maps.
pub fn error_rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    error_rows_with(path, b',')
}

pub fn error_rows_with(path: &Path, delimiter: u8) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| header.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}
