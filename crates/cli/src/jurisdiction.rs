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
    /// SHA-256; with FILE, that file's text as stored; with --one-file, the
    /// whole pack written as one file.
    Show {
        #[command(flatten)]
        db: DbArgs,
        /// One of the pack's files, e.g. indicators.toml.
        file: Option<String>,
        /// Write the whole pack as one file (each file a top-level table:
        /// [jurisdiction], [rules], [articles], [indicators], [units]).
        #[arg(long, conflicts_with = "file")]
        one_file: bool,
    },
    /// Compare a pack's folder, or the pack written as one file, with the
    /// pack in force, file by file; exits 1 when they differ, 0 when they
    /// are the same.
    Diff {
        #[command(flatten)]
        db: DbArgs,
        /// The pack's folder or its one file.
        #[arg(value_name = "DIR|FILE")]
        dir: PathBuf,
    },
    /// Adopt a pack's folder, or the pack written as one file, as an act on
    /// the journal; the counters are recounted in the same transaction when
    /// its counting rules or calendar differ.
    Apply {
        #[command(flatten)]
        db: DbArgs,
        /// The pack's folder or its one file.
        #[arg(value_name = "DIR|FILE")]
        dir: PathBuf,
        /// The legal ground of the change (an order, a law), recorded with the act.
        #[arg(long)]
        legal_ground: String,
        /// The date the change takes effect in law.
        #[arg(long)]
        effective_from: NaiveDate,
    },
}

/// A pack's folder or its one file, read and checked whole before any
/// database is touched.
pub fn read(path: &Path) -> Result<PackFiles> {
    let checked = if path.is_dir() {
        let files = crimeboard_service::read_folder(path).map_err(anyhow::Error::msg)?;
        Jurisdiction::from_files(&files).map_err(|problems| placed(&problems, &format!("{}/", path.display())))
    } else {
        Jurisdiction::from_one_file(&path.display().to_string(), &read_text(path)?).map_err(|p| placed(&p, ""))
    };
    match checked {
        Ok(pack) => Ok(pack.files),
        Err(list) => bail!("{}: not a valid jurisdiction pack:\n{list}", path.display()),
    }
}

/// A pack's problems, one a line, each after `prefix` (the folder).
fn placed(problems: &[crimeboard_service::PackProblem], prefix: &str) -> String {
    problems.iter().map(|p| format!("  {prefix}{p}")).collect::<Vec<_>>().join("\n")
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// A pack's files as given to `diff`, with the stored pack's files to compare
/// them with: a folder's files as they are; the parts of one file as TOML
/// writes them, the stored files written so too, so comments and layout,
/// which one file does not keep, make no difference.
fn to_compare(path: &Path, stored: &PackFiles) -> Result<(PackFiles, PackFiles)> {
    if path.is_dir() {
        return Ok((stored.clone(), crimeboard_service::read_folder(path).map_err(anyhow::Error::msg)?));
    }
    let name = path.display().to_string();
    let given = crimeboard_service::split_one_file(&name, &read_text(path)?)
        .map_err(|p| anyhow::anyhow!("{name}: not a jurisdiction pack written as one file:\n{}", placed(&p, "")))?;
    let written = stored.0.iter().map(|(f, text)| (f.clone(), crimeboard_service::as_one_file_writes(text)));
    Ok((PackFiles(written.collect()), given))
}

/// Creates a database bound to a pack: its units added and the pack adopted.
pub fn init(
    db: &str,
    keys: database::KeyFiles,
    files: PackFiles,
    legal_ground: &str,
    effective_from: Option<NaiveDate>,
) -> Result<()> {
    let registry = database::open(db, Missing::Create, keys)?;
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
        JurisdictionCmd::Show { db, file, one_file } => {
            let registry = db.open(Missing::Refuse)?;
            match file {
                _ if one_file => {
                    let text = crimeboard_service::one_file(&registry.jurisdiction().files);
                    Ok(std::io::stdout().lock().write_all(text.as_bytes())?)
                }
                Some(name) => show_file(&registry, &name),
                None => show(&registry),
            }
        }
        JurisdictionCmd::Diff { db, dir } => {
            let registry = db.open(Missing::Refuse)?;
            let (stored, given) = to_compare(&dir, &registry.jurisdiction().files)?;
            let text = diff(&stored, &given, &dir);
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

/// What differs between the stored pack and a folder's (or one file's),
/// file by file, as lines removed (`-`) and added (`+`) with their line
/// numbers; empty when the two are the same.
pub fn diff(stored: &PackFiles, given: &PackFiles, given_at: &Path) -> String {
    let mut out = String::new();
    let names: std::collections::BTreeSet<&String> = stored.0.keys().chain(given.0.keys()).collect();
    for name in names {
        let (old, new) = (stored.get(name).unwrap_or(""), given.get(name).unwrap_or(""));
        if old == new {
            continue;
        }
        let part = name.strip_suffix(".toml").unwrap_or(name);
        let place = if given_at.is_file() {
            format!("{} [{part}]", given_at.display())
        } else {
            format!("{}/{name}", given_at.display())
        };
        out.push_str(&format!("--- stored/{name}\n+++ {place}\n"));
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
