//! Opening the database a command names with `--db`. Only the commands that
//! bring a registry into being may create a SQLite file (and its folder):
//! every other one refuses a file that is not there, naming the path, so a
//! mistyped `--db` is caught instead of answered from an empty database.

use anyhow::{Context as _, Result, bail};
use crimeboard_service::{Registry, system_clock};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a command does when its SQLite file is not there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// `demo`, `init`, `generate`, `restore`: the command is how a registry
    /// comes to exist, bound to its jurisdiction pack.
    Create,
    /// Everything else: a missing file is a mistyped path.
    Refuse,
}

/// The commands that create a database, for the message that refuses a missing one.
pub const CREATING_COMMANDS: &str = "demo, init, generate and restore";

/// Where `--db` points: a SQLite file or a PostgreSQL URL.
pub enum Location<'a> {
    Sqlite(&'a Path),
    Postgres(&'a str),
}

impl<'a> Location<'a> {
    pub fn of(db: &'a str) -> Location<'a> {
        if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            Location::Postgres(db)
        } else {
            Location::Sqlite(Path::new(db.strip_prefix("sqlite://").unwrap_or(db)))
        }
    }

    /// The location as it may be printed: a URL without its password.
    pub fn shown(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => without_password(url),
        }
    }

    /// Refuses a SQLite file that is not there unless the command creates one.
    /// (A PostgreSQL database is created by its server's administrator; the
    /// server refuses one that does not exist, and the store says so.)
    pub fn require(&self, missing: Missing) -> Result<()> {
        if let (Location::Sqlite(path), Missing::Refuse) = (self, missing)
            && !path.is_file()
        {
            bail!(
                "{}: no database there. Check --db (or CRIMEBOARD_DB); only {CREATING_COMMANDS} create a database \
                 (`crimeboard init --jurisdiction DIR --db PATH` makes one bound to a jurisdiction pack)",
                path.display()
            );
        }
        Ok(())
    }
}

/// `postgres://user:secret@host/db` as `postgres://user@host/db`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (authority, tail) = rest.split_once('/').map_or((rest, None), |(a, t)| (a, Some(t)));
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split_once(':').map_or(user, |(name, _)| name)),
        None => authority.to_string(),
    };
    match tail {
        Some(tail) => format!("{scheme}://{authority}/{tail}"),
        None => format!("{scheme}://{authority}"),
    }
}

/// Opens the registry at `db`, after the missing-file check, with the
/// secret key file; rewrites stale search keys and seals plain second-factor
/// secrets, as every start after an upgrade must.
/// The registry works under the jurisdiction pack the database holds.
/// The key files a registry reads outside its database: the one that seals
/// second-factor secrets and the one the payment cards' hash is keyed with.
pub struct KeyFiles {
    pub secret: PathBuf,
    pub card: PathBuf,
}

pub fn open(db: &str, missing: Missing, keys: KeyFiles) -> Result<Arc<Registry>> {
    let KeyFiles { secret: secret_key, card } = keys;
    let location = Location::of(db);
    location.require(missing)?;
    let store = crimeboard_store::open(db).with_context(|| format!("opening {}", location.shown()))?;
    let registry =
        Registry::new(store, system_clock())?.with_secret_key_file(secret_key.clone()).with_card_key_file(card);
    if registry.search_index_stale()? {
        reindex_search(&registry)?;
    }
    // Second-factor secrets stored plain by an earlier version are sealed at the first start.
    let sealed = registry.seal_totp_secrets()?;
    if sealed > 0 {
        eprintln!("crimeboard: sealed {sealed} second-factor secrets with {}", secret_key.display());
    }
    Ok(Arc::new(registry))
}

/// Rewrites search keys written under older rules (once, after an upgrade),
/// showing how far it got.
fn reindex_search(registry: &Registry) -> Result<()> {
    eprintln!("crimeboard: the search keys were written under older rules; rewriting them (safe to interrupt)");
    let started = std::time::Instant::now();
    let mut shown = std::time::Instant::now();
    registry.reindex_search(&mut |done| {
        if shown.elapsed().as_millis() >= 500 {
            shown = std::time::Instant::now();
            let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
            eprint!("\r  {done} records reindexed, {rate:.0}/s   ");
        }
    })?;
    eprintln!("\r  search keys rewritten in {:.0} s                ", started.elapsed().as_secs_f64());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password() {
        let shown = |url| Location::of(url).shown();
        assert_eq!(shown("postgres://cb:s3cret@db.local:5432/registry"), "postgres://cb@db.local:5432/registry");
        assert_eq!(shown("postgresql://cb:p@ss@host/db?sslmode=require"), "postgresql://cb@host/db?sslmode=require");
        assert_eq!(shown("postgres://cb@host/db"), "postgres://cb@host/db");
        assert_eq!(shown("postgres://host"), "postgres://host");
        assert_eq!(shown("sqlite://data/x.sqlite"), "data/x.sqlite");
    }

    #[test]
    fn only_a_creating_command_accepts_a_missing_file() {
        let path = std::env::temp_dir().join(format!("crimeboard-missing-{}/x.sqlite", uuid::Uuid::now_v7().simple()));
        let db = path.display().to_string();
        let err = Location::of(&db).require(Missing::Refuse).unwrap_err().to_string();
        assert!(err.contains(&db) && err.contains("--db"), "{err}");
        Location::of(&db).require(Missing::Create).unwrap();
        Location::of("postgres://cb@host/none").require(Missing::Refuse).unwrap();
        assert!(!path.parent().unwrap().exists(), "the check creates nothing");
    }
}
