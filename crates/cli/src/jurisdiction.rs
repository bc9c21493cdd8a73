//! `crimeboard init` and `crimeboard jurisdiction show|diff|apply`: the
//! jurisdiction pack a database holds (docs/jurisdiction.md).

use crate::DbArgs;
use crate::database::{self, Location, Missing};
use anyhow::{Result, bail};
use chrono::NaiveDate;
use crimeboard_domain::jurisdiction::Adoption;
use crimeboard_service::{Jurisdiction, PackFiles, Registry};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The principal the command line adopts packs as: the system, since a
/// pack may bring units, which only the system adds.
const ADOPTER: &str = "jurisdiction";

#[derive(clap::Subcommand)]
pub enum JurisdictionCmd {
    /// The pack in force: its names, version, adoption and each file's
    /// SHA-256; with FILE, that file's text as stored.
    Show {
        #[command(flatten)]
        db: DbArgs,
        /// One of the pack's files, e.g. indicators.toml.
        file: Option<String>,
    },
    /// Compare a pack's folder with the pack in force, file by file; exits 1
    /// when they differ, 0 when they are the same.
    Diff {
        #[command(flatten)]
        db: DbArgs,
        /// The pack's folder.
        dir: PathBuf,
    },
    /// Adopt a pack's folder as an act on the journal; the counters are
    /// recounted in the same transaction when its counting rules or calendar differ.
    Apply {
        #[command(flatten)]
        db: DbArgs,
        /// The pack's folder.
        dir: PathBuf,
        /// The legal ground of the change (an order, a law), recorded with the act.
        #[arg(long)]
        legal_ground: String,
        /// The date the change takes effect in law.
        #[arg(long)]
        effective_from: NaiveDate,
    },
}

/// A pack's folder, read and checked whole before any database is touched.
pub fn read(dir: &Path) -> Result<PackFiles> {
    let files = crimeboard_service::read_folder(dir).map_err(anyhow::Error::msg)?;
    if let Err(problems) = Jurisdiction::from_files(&files) {
        let list: Vec<String> = problems.iter().map(|p| format!("  {}/{p}", dir.display())).collect();
        bail!("{}: not a valid jurisdiction pack:\n{}", dir.display(), list.join("\n"));
    }
    Ok(files)
}

/// Creates a database bound to a pack: its units added and the pack adopted.
pub fn init(
    db: &str,
    secret_key: PathBuf,
    files: PackFiles,
    legal_ground: &str,
    effective_from: Option<NaiveDate>,
) -> Result<()> {
    let registry = database::open(db, Missing::Create, secret_key)?;
    if registry.store().position()? != 0 || !registry.units().is_empty() {
        bail!(
            "{}: the database already holds a registry; `crimeboard jurisdiction apply DIR` changes its pack",
            Location::of(db).shown()
        );
    }
    let effective_from = effective_from.unwrap_or_else(|| registry.jurisdiction().rules.local_date(registry.now()));
    let by = registry.system(ADOPTER);
    let adopted = registry.adopt_jurisdiction(&by, legal_ground, Adoption { files, effective_from })?;
    let pack = registry.jurisdiction();
    eprintln!(
        "crimeboard: created {} for {} ({}, version {}): {} units, the pack adopted at position {}",
        Location::of(db).shown(),
        pack.code,
        pack.name.en,
        pack.version,
        adopted.units_added,
        adopted.receipt.position
    );
    Ok(())
}

pub fn run(command: JurisdictionCmd) -> Result<()> {
    match command {
        JurisdictionCmd::Show { db, file } => {
            let registry = db.open(Missing::Refuse)?;
            match file {
                Some(name) => show_file(&registry, &name),
                None => show(&registry),
            }
        }
        JurisdictionCmd::Diff { db, dir } => {
            let files = crimeboard_service::read_folder(&dir).map_err(anyhow::Error::msg)?;
            let registry = db.open(Missing::Refuse)?;
            let text = diff(&registry.jurisdiction().files, &files, &dir);
            let mut out = std::io::stdout().lock();
            if text.is_empty() {
                writeln!(out, "{}: the same as the pack in force", dir.display())?;
                return Ok(());
            }
            write!(out, "{text}")?;
            out.flush()?;
            // Like diff(1): 1 says "different", which is not an error to print.
            std::process::exit(1);
        }
        JurisdictionCmd::Apply { db, dir, legal_ground, effective_from } => {
            let files = read(&dir)?;
            let registry = db.open(Missing::Refuse)?;
            let by = registry.system(ADOPTER);
            let adopted = registry.adopt_jurisdiction(&by, &legal_ground, Adoption { files, effective_from })?;
            let pack = registry.jurisdiction();
            println!(
                "adopted {} version {} at position {}, in effect from {effective_from}; {} units added",
                pack.code, pack.version, adopted.receipt.position, adopted.units_added
            );
            if adopted.counters_rebuilt {
                println!("counters rebuilt under counting rules {}", pack.indicators.version);
            } else {
                println!("counters kept: the counting rules and the calendar are unchanged");
            }
            Ok(())
        }
    }
}

fn show(registry: &Registry) -> Result<()> {
    let pack = registry.jurisdiction();
    let mut out = std::io::stdout().lock();
    match registry.adoption()? {
        Some((entry, adoption)) => writeln!(
            out,
            "adopted at position {} ({}/{}) on {} by {}, in effect from {}\nlegal ground: {}",
            entry.position,
            entry.unit,
            entry.seq,
            entry.recorded_at.format("%Y-%m-%d %H:%M:%S UTC"),
            entry.actor,
            adoption.effective_from,
            entry.legal_ground
        )?,
        None => writeln!(out, "no pack adopted: the shipped demo pack is in force")?,
    }
    writeln!(out, "jurisdiction {} version {}", pack.code, pack.version)?;
    for (lang, name, institution) in [
        ("az", &pack.name.az, &pack.institution.az),
        ("ru", &pack.name.ru, &pack.institution.ru),
        ("en", &pack.name.en, &pack.institution.en),
    ] {
        writeln!(out, "name ({lang}): {name}; institution: {institution}")?;
    }
    writeln!(
        out,
        "languages: {} (default {}); currency: {} ({}, {} decimal places)",
        pack.languages.join(", "),
        pack.default_language,
        pack.currency.code,
        pack.currency.symbol,
        pack.currency.minor_units
    )?;
    writeln!(
        out,
        "rules {}; catalogue {}; counting rules {}; {} units",
        pack.rules.version,
        pack.catalogue.version,
        pack.indicators.version,
        pack.units.len()
    )?;
    writeln!(out, "fingerprint: {}", pack.files.fingerprint())?;
    for name in pack.files.0.keys() {
        writeln!(out, "  {}  {name}", pack.files.file_hash(name).unwrap_or_default())?;
    }
    Ok(())
}

fn show_file(registry: &Registry, name: &str) -> Result<()> {
    let pack = registry.jurisdiction();
    match pack.files.get(name) {
        Some(text) => Ok(std::io::stdout().lock().write_all(text.as_bytes())?),
        None => bail!("{name}: not a file of the pack; its files are {}", crimeboard_service::PACK_FILES.join(", ")),
    }
}

/// What differs between the stored pack and a folder's, file by file, as
/// lines removed (`-`) and added (`+`) with their line numbers; empty when
/// the two are the same.
pub fn diff(stored: &PackFiles, folder: &PackFiles, dir: &Path) -> String {
    let mut out = String::new();
    let names: std::collections::BTreeSet<&String> = stored.0.keys().chain(folder.0.keys()).collect();
    for name in names {
        let (old, new) = (stored.get(name).unwrap_or(""), folder.get(name).unwrap_or(""));
        if old == new {
            continue;
        }
        out.push_str(&format!("--- stored/{name}\n+++ {}/{name}\n", dir.display()));
        for line in line_diff(old, new) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The lines of `old` not in a longest common subsequence with `new`, and
/// those of `new` not in it, in order, each with its line number.
fn line_diff(old: &str, new: &str) -> Vec<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    // common[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] { common[i + 1][j + 1] + 1 } else { common[i + 1][j].max(common[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut lines) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            (i, j) = (i + 1, j + 1);
        } else if j < b.len() && (i == a.len() || common[i][j + 1] >= common[i + 1][j]) {
            lines.push(format!("+{:>5} {}", j + 1, b[j]));
            j += 1;
        } else {
            lines.push(format!("-{:>5} {}", i + 1, a[i]));
            i += 1;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_diff_names_what_went_and_what_came() {
        let lines = line_diff("a\nb\nc\n", "a\nx\nc\nd\n");
        assert_eq!(lines, ["+    2 x", "-    2 b", "+    4 d"]);
        assert!(line_diff("same\n", "same\n").is_empty());
    }

    #[test]
    fn the_diff_of_a_pack_lists_only_the_files_that_differ() {
        let files = |rules: &str| {
            PackFiles([("rules.toml".to_string(), rules.to_string()), ("units.toml".into(), "u\n".into())].into())
        };
        let text = diff(&files("a\n"), &files("b\n"), Path::new("pack"));
        assert_eq!(text, "--- stored/rules.toml\n+++ pack/rules.toml\n+    1 b\n-    1 a\n");
        assert_eq!(diff(&files("a\n"), &files("a\n"), Path::new("pack")), "");
    }
}
