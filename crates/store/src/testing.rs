//! Stores for tests: a fresh SQLite file, and a fresh database on the
//! PostgreSQL server the test command started (`CRIMEBOARD_TEST_PG`, an
//! admin URL). Every test gets its own, so tests never see each other's data.
//!
//! Compiled only with the `test-support` feature, which crates turn on from
//! their `[dev-dependencies]`: the binary never holds these helpers.

use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use crate::{Result, Store, StoreError};
use std::path::PathBuf;
use std::sync::Arc;

pub const PG_ENV: &str = "CRIMEBOARD_TEST_PG";

/// A store for one test, with a way to tamper with it behind the API's back.
pub struct TestStore {
    pub name: &'static str,
    pub store: Arc<dyn Store>,
    raw: Raw,
    cleanup: Cleanup,
    url: Option<String>,
}

enum Raw {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PgStore>),
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

impl TestStore {
    /// Runs SQL straight on the database, as an attacker with file or DB access would.
    pub fn tamper(&self, sql: &str) -> Result<u64> {
        match &self.raw {
            Raw::Sqlite(s) => s.execute_raw(sql).map(|n| n as u64),
            Raw::Postgres(p) => p.execute_raw(sql),
        }
    }

    /// The bytes of every file of a SQLite database (the database, its
    /// write-ahead log and shared memory), for tests that look for what must
    /// never be stored; none for PostgreSQL.
    pub fn file_bytes(&self) -> Vec<u8> {
        let Cleanup::File(dir) = &self.cleanup else { return Vec::new() };
        let mut bytes = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            bytes.extend(std::fs::read(entry.path()).unwrap_or_default());
        }
        bytes
    }

    /// The SQLite database's file, for tests that open it again (none for PostgreSQL).
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let Cleanup::File(dir) = &self.cleanup else { return None };
        Some(dir.join("registry.sqlite"))
    }

    /// The PostgreSQL database's URL, for tests that run tools against it (none for SQLite).
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    pub fn sqlite() -> TestStore {
        let dir = std::env::temp_dir().join(format!("crimeboard-test-{}", uuid::Uuid::now_v7()));
        let path = dir.join("registry.sqlite");
        let store = Arc::new(SqliteStore::open(&path).expect("open test SQLite"));
        TestStore {
            name: "sqlite",
            store: store.clone(),
            raw: Raw::Sqlite(store),
            cleanup: Cleanup::File(dir),
            url: None,
        }
    }

    pub fn postgres(admin_url: &str) -> Result<TestStore> {
        let name = format!("crimeboard_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = ::postgres::Client::connect(admin_url, ::postgres::NoTls)?;
        admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
        let url = with_database(admin_url, &name)?;
        let store = Arc::new(PgStore::open(&url)?);
        Ok(TestStore {
            name: "postgres",
            store: store.clone(),
            raw: Raw::Postgres(store),
            cleanup: Cleanup::Database { admin_url: admin_url.to_string(), name },
            url: Some(url),
        })
    }
}

/// Replaces the database name in a `postgres://...` URL.
fn with_database(url: &str, db: &str) -> Result<String> {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let slash = base
        .rfind('/')
        .filter(|i| *i > "postgres://".len())
        .ok_or_else(|| StoreError::Config(format!("{url}: no database")))?;
    let mut out = format!("{}/{db}", &base[..slash]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    Ok(out)
}

impl Drop for TestStore {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database { admin_url, name } => {
                // FORCE ends the connections the test's store still holds.
                if let Ok(mut admin) = ::postgres::Client::connect(admin_url, ::postgres::NoTls) {
                    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}

/// Every backend a test must pass on: SQLite, and PostgreSQL as [`postgres_admin_url`] says.
pub fn backends() -> Vec<TestStore> {
    let mut all = vec![TestStore::sqlite()];
    if let Some(url) = postgres_admin_url() {
        all.push(TestStore::postgres(&url).expect("create a test database on the PostgreSQL server"));
    }
    all
}

/// The test server's admin URL (`CRIMEBOARD_TEST_PG`). PostgreSQL is required
/// unless `CRIMEBOARD_TEST_SQLITE_ONLY=1` says otherwise (then `None`), so a
/// missing server fails loudly instead of silently testing half the system.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var(PG_ENV) {
        Ok(url) => Some(url),
        Err(_) if std::env::var("CRIMEBOARD_TEST_SQLITE_ONLY").is_ok_and(|v| v == "1") => None,
        Err(_) => panic!("{PG_ENV} is not set: run the tests through ./test.sh, which starts PostgreSQL"),
    }
}
