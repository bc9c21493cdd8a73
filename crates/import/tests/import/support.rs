use chrono::{DateTime, Utc};
use crimeboard_domain::jurisdiction::Adoption;
use crimeboard_import::{ImportOptions, ImportSummary, Mapping, import};
use crimeboard_service::{PackFiles, Registry};
use crimeboard_store::testing::{TestStore, backends};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// "Now" for every test.
pub const NOW: &str = "2024-04-19T10:00:00Z";

pub struct Env {
    pub db: TestStore,
    pub registry: Registry,
    pub dir: PathBuf,
    /// The journal's entries before the test's own: the pack's adoption, if any.
    pub before: i64,
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One registry per backend that has adopted the England and Wales pack,
/// which the police.uk mapping is written for, with a folder for the test's
/// files.
pub fn each_backend(test: impl Fn(&Env)) {
    each_backend_with(Some(&england_wales()), now(), test);
}

/// The clock of every test: [`NOW`].
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW).unwrap().with_timezone(&Utc)
}

/// The England and Wales pack's files (data/jurisdictions/england-wales).
pub fn england_wales() -> PackFiles {
    crimeboard_service::read_folder(&repo().join("data/jurisdictions/england-wales")).unwrap()
}

/// Like [`each_backend`], for an installation that adopts a pack of its own
/// (its rules' civil zone, say) and whose clock reads `now`.
pub fn each_backend_with(pack: Option<&PackFiles>, now: DateTime<Utc>, test: impl Fn(&Env)) {
    for db in backends() {
        let registry = Registry::new(db.store.clone(), Arc::new(move || now)).unwrap();
        if let Some(files) = pack {
            let by = registry.system("tests");
            let adoption = Adoption { files: files.clone(), effective_from: now.date_naive() };
            registry.adopt_jurisdiction(&by, "tests", adoption).unwrap();
        }
        let dir = std::env::temp_dir().join(format!("crimeboard-import-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let before = registry.verify().unwrap().entries();
        let env = Env { db, registry, dir, before };
        eprintln!("-- backend: {}", env.db.name);
        test(&env);
    }
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
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

    /// The journal's entries the test wrote (the pack's adoption not among them).
    pub fn entries_written(&self) -> i64 {
        self.registry.verify().unwrap().entries() - self.before
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
