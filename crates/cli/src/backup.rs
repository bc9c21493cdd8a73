//! `crimeboard backup` and `crimeboard restore` for the embedded SQLite
//! database (docs/operations.md; PostgreSQL uses pg_dump and pg_restore).
//!
//! Both copy with SQLite's online backup API in a single step: the copy is
//! taken inside one read transaction of the source, so it is the database as
//! it stood at one commit, while writers go on (WAL lets them). Both write to
//! a temporary file in the destination's folder, check it (journal chains;
//! for a restore also the counters against a recount), fsync it and rename
//! it into place, so the destination is either the old file or the whole,
//! checked copy.

use anyhow::{Context as _, Result, bail};
use crimeboard_service::{Registry, system_clock};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a backup or restore reads and writes. The copy opens under the
/// jurisdiction pack it holds itself.
pub struct Copy<'a> {
    pub from: &'a Path,
    pub to: &'a Path,
    pub force: bool,
}

/// Copies a (possibly running) database to `to`, then checks every journal chain of the copy.
pub fn backup(c: &Copy) -> Result<()> {
    refuse_postgres(c.from)?;
    if !c.from.is_file() {
        bail!("{}: no such database file", c.from.display());
    }
    refuse_existing(c.to, c.force)?;
    let temp = temp_beside(c.to)?;
    let result = (|| {
        copy_online(c.from, &temp)?;
        let registry = open_checked(&temp)?;
        let entries = check_chains(&registry)?;
        drop(registry);
        settle(&temp)?;
        replace(&temp, c.to)?;
        println!("backup of {} written to {}: journal intact, {entries} entries", c.from.display(), c.to.display());
        Ok(())
    })();
    if result.is_err() {
        remove_with_sidecars(&temp);
    }
    result
}

/// Puts a backup in place of the database at `to` once its chains and counters check.
pub fn restore(c: &Copy) -> Result<()> {
    refuse_postgres(c.to)?;
    if !c.from.is_file() {
        bail!("{}: no such backup file", c.from.display());
    }
    refuse_existing(c.to, c.force)?;
    let temp = temp_beside(c.to)?;
    let result = (|| {
        copy_online(c.from, &temp)?;
        let registry = open_checked(&temp)?;
        let entries = check_chains(&registry)?;
        let mismatches = registry.verify_counters()?;
        if let Some(m) = mismatches.first() {
            bail!(
                "{}: {} counters differ from a recount (first: {} {} {}: counter {}, recount {}); not restored",
                c.from.display(),
                mismatches.len(),
                m.unit,
                m.indicator,
                m.day,
                m.counter,
                m.recount
            );
        }
        drop(registry);
        settle(&temp)?;
        if c.to.exists() {
            retire(c.to);
        }
        replace(&temp, c.to)?;
        println!(
            "{} restored to {}: journal intact ({entries} entries), counters equal a recount",
            c.from.display(),
            c.to.display()
        );
        Ok(())
    })();
    if result.is_err() {
        remove_with_sidecars(&temp);
    }
    result
}

fn refuse_postgres(path: &Path) -> Result<()> {
    let s = path.to_string_lossy();
    if s.starts_with("postgres://") || s.starts_with("postgresql://") {
        bail!(
            "{s}: backup and restore copy SQLite files; for PostgreSQL use pg_dump and pg_restore (docs/operations.md)"
        );
    }
    Ok(())
}

fn refuse_existing(path: &Path, force: bool) -> Result<()> {
    if path.exists() && !force {
        bail!("{} exists; pass --force to replace it", path.display());
    }
    Ok(())
}

/// A fresh name in the destination's folder, so the final rename stays on one file system.
fn temp_beside(to: &Path) -> Result<PathBuf> {
    let dir = parent_of(to);
    std::fs::create_dir_all(&dir).with_context(|| dir.display().to_string())?;
    let name = to.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "crimeboard".into());
    Ok(dir.join(format!(".{name}.{}.partial", uuid::Uuid::now_v7().simple())))
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The online backup API, all pages in one step: one read transaction of the source.
fn copy_online(from: &Path, to: &Path) -> Result<()> {
    let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .with_context(|| from.display().to_string())?;
    src.busy_timeout(std::time::Duration::from_secs(10))?;
    let mut dst = Connection::open(to).with_context(|| to.display().to_string())?;
    {
        use rusqlite::backup::StepResult;
        let copy = rusqlite::backup::Backup::new(&src, &mut dst)?;
        let began = std::time::Instant::now();
        // -1: every page in one step, so one read transaction sees one commit.
        loop {
            match copy.step(-1).with_context(|| format!("copying {}", from.display()))? {
                StepResult::Done => break,
                StepResult::More => continue,
                StepResult::Busy | StepResult::Locked if began.elapsed().as_secs() < 30 => {
                    std::thread::sleep(std::time::Duration::from_millis(50))
                }
                _ => bail!("{}: busy for 30 s; no copy made", from.display()),
            }
        }
    }
    dst.close().map_err(|(_, e)| e)?;
    Ok(())
}

fn open_checked(path: &Path) -> Result<Arc<Registry>> {
    let store = crimeboard_store::open(&path.to_string_lossy())
        .with_context(|| format!("opening the copy {}", path.display()))?;
    Ok(Arc::new(Registry::new(store, system_clock())?))
}

/// Every unit's chain; fails naming the first break.
fn check_chains(registry: &Registry) -> Result<i64> {
    let v = registry.verify()?;
    if let Some(Err(brk)) = v.chains.iter().map(|c| &c.result).find(|r| r.is_err()) {
        bail!("the copy's journal is broken: {brk}");
    }
    Ok(v.entries())
}

/// Folds the copy's write-ahead log (if opening it left one) into the file,
/// so the file alone is the database, and flushes it to disk.
fn settle(path: &Path) -> Result<()> {
    let conn = Connection::open(path)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.close().map_err(|(_, e)| e)?;
    for side in sidecars(path) {
        if side.exists() {
            std::fs::remove_file(&side).with_context(|| side.display().to_string())?;
        }
    }
    std::fs::File::open(path)?.sync_all()?;
    Ok(())
}

/// Before a forced restore: the old database's write-ahead log would be
/// replayed onto the new file, so fold it into the old one and remove it.
fn retire(path: &Path) {
    if let Ok(conn) = Connection::open(path) {
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        let _ = conn.close();
    }
    for side in sidecars(path) {
        let _ = std::fs::remove_file(side);
    }
}

/// Renames into place and makes the rename durable.
fn replace(temp: &Path, to: &Path) -> Result<()> {
    std::fs::rename(temp, to).with_context(|| format!("renaming {} to {}", temp.display(), to.display()))?;
    if let Ok(dir) = std::fs::File::open(parent_of(to)) {
        dir.sync_all()?;
    }
    Ok(())
}

fn sidecars(path: &Path) -> [PathBuf; 2] {
    let s = path.as_os_str().to_os_string();
    let with = |suffix: &str| {
        let mut p = s.clone();
        p.push(suffix);
        PathBuf::from(p)
    };
    [with("-wal"), with("-shm")]
}

fn remove_with_sidecars(path: &Path) {
    let _ = std::fs::remove_file(path);
    for side in sidecars(path) {
        let _ = std::fs::remove_file(side);
    }
}
