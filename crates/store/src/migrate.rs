//! Migrations: one folder per backend, embedded in the binary, applied in
//! name order at start, each once, each in its own transaction.

pub(crate) struct Migration {
    pub name: &'static str,
    pub sql: &'static str,
}

pub(crate) const SQLITE: &[Migration] = &[
    Migration { name: "0001_registry", sql: include_str!("../migrations/sqlite/0001_registry.sql") },
    Migration { name: "0002_counters", sql: include_str!("../migrations/sqlite/0002_counters.sql") },
    Migration { name: "0003_sources", sql: include_str!("../migrations/sqlite/0003_sources.sql") },
    Migration { name: "0004_search", sql: include_str!("../migrations/sqlite/0004_search.sql") },
    Migration { name: "0005_accounts", sql: include_str!("../migrations/sqlite/0005_accounts.sql") },
    Migration { name: "0006_queue", sql: include_str!("../migrations/sqlite/0006_queue.sql") },
    Migration { name: "0007_search_writes", sql: include_str!("../migrations/sqlite/0007_search_writes.sql") },
    Migration { name: "0008_session_pruning", sql: include_str!("../migrations/sqlite/0008_session_pruning.sql") },
    Migration {
        name: "0009_search_per_register",
        sql: include_str!("../migrations/sqlite/0009_search_per_register.sql"),
    },
    Migration {
        name: "0010_search_without_positions",
        sql: include_str!("../migrations/sqlite/0010_search_without_positions.sql"),
    },
    Migration { name: "0011_adoptions", sql: include_str!("../migrations/sqlite/0011_adoptions.sql") },
    Migration { name: "0012_unit_changes", sql: include_str!("../migrations/sqlite/0012_unit_changes.sql") },
    Migration {
        name: "0013_search_ascii_tokens",
        sql: include_str!("../migrations/sqlite/0013_search_ascii_tokens.sql"),
    },
    Migration { name: "0014_board_search", sql: include_str!("../migrations/sqlite/0014_board_search.sql") },
    Migration { name: "0015_release_search", sql: include_str!("../migrations/sqlite/0015_release_search.sql") },
    Migration { name: "0016_appeals", sql: include_str!("../migrations/sqlite/0016_appeals.sql") },
    Migration { name: "0017_reception_search", sql: include_str!("../migrations/sqlite/0017_reception_search.sql") },
    Migration {
        name: "0018_publication_search",
        sql: include_str!("../migrations/sqlite/0018_publication_search.sql"),
    },
    Migration { name: "0019_identifiers", sql: include_str!("../migrations/sqlite/0019_identifiers.sql") },
    Migration { name: "0020_series", sql: include_str!("../migrations/sqlite/0020_series.sql") },
    Migration { name: "0021_freeze_search", sql: include_str!("../migrations/sqlite/0021_freeze_search.sql") },
    Migration { name: "0022_sample_search", sql: include_str!("../migrations/sqlite/0022_sample_search.sql") },
];

pub(crate) const POSTGRES: &[Migration] = &[
    Migration { name: "0001_registry", sql: include_str!("../migrations/postgres/0001_registry.sql") },
    Migration { name: "0002_counters", sql: include_str!("../migrations/postgres/0002_counters.sql") },
    Migration { name: "0003_sources", sql: include_str!("../migrations/postgres/0003_sources.sql") },
    Migration { name: "0004_search", sql: include_str!("../migrations/postgres/0004_search.sql") },
    Migration { name: "0005_accounts", sql: include_str!("../migrations/postgres/0005_accounts.sql") },
    Migration { name: "0006_queue", sql: include_str!("../migrations/postgres/0006_queue.sql") },
    Migration { name: "0008_session_pruning", sql: include_str!("../migrations/postgres/0008_session_pruning.sql") },
    Migration { name: "0011_adoptions", sql: include_str!("../migrations/postgres/0011_adoptions.sql") },
    Migration { name: "0012_unit_changes", sql: include_str!("../migrations/postgres/0012_unit_changes.sql") },
    Migration { name: "0016_appeals", sql: include_str!("../migrations/postgres/0016_appeals.sql") },
    Migration { name: "0019_identifiers", sql: include_str!("../migrations/postgres/0019_identifiers.sql") },
    Migration { name: "0020_series", sql: include_str!("../migrations/postgres/0020_series.sql") },
];

pub(crate) const LEDGER: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)";
