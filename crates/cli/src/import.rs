//! `crimeboard import FILE --mapping MAP.toml`: brings another system's CSV
//! export in through the registry's write path, with a progress line.

use crate::progress::ProgressLine;
use anyhow::{Context as _, Result};
use crimeboard_import::{Mapping, Progress, import_file};
use crimeboard_service::Registry;
use crimeboard_service::audit::Actor;
use std::path::{Path, PathBuf};

/// Reads and checks a mapping file, before any database is opened.
pub fn load_mapping(path: &Path) -> Result<Mapping> {
    let text = std::fs::read_to_string(path).with_context(|| format!("the mapping {}", path.display()))?;
    Mapping::from_toml(&text).with_context(|| format!("the mapping {}", path.display()))
}

pub fn run(registry: &Registry, file: &Path, mapping: &Mapping, errors: Option<PathBuf>, batch: usize) -> Result<()> {
    let mut line = ProgressLine::new();
    let mut draw = |p: &Progress| {
        let what = format!("rows, {} rejected, {} already imported", p.rejected, p.already_imported);
        line.draw(p.rows, estimated_rows(p), &what);
    };
    let summary = import_file(registry, file, mapping, batch, errors, &Actor::cli(), &mut draw)
        .with_context(|| format!("importing {}", file.display()))?;
    let p = &summary.progress;
    let seconds = summary.elapsed.as_secs_f64();
    eprintln!(
        "crimeboard: {} rows read: {} imported ({} acts), {} already imported, {} rejected, in {:.1} s ({:.0} rows/s)",
        p.rows,
        p.imported,
        p.acts,
        p.already_imported,
        p.rejected,
        seconds,
        p.rows as f64 / seconds.max(1e-9),
    );
    if let Some(path) = &summary.errors {
        eprintln!(
            "crimeboard: rejected rows are in {} (each with its line, column, rule and message): fix them there and import that file",
            path.display()
        );
        std::process::exit(2);
    }
    Ok(())
}

/// The row count to show as the total: exact at the end, before it the rows
/// read so far scaled by the share of the file's bytes they took.
fn estimated_rows(p: &Progress) -> u64 {
    match p.total_bytes {
        Some(total) if p.bytes >= total => p.rows,
        Some(total) if p.bytes > 0 => {
            let estimate = (p.rows as f64 * total as f64 / p.bytes as f64).round() as u64;
            estimate.max(p.rows + 1)
        }
        _ => p.rows + 1,
    }
}
