//! The crimeboard binary: one command per thing a person does with the system.

mod bench;
mod generate;

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand};
use crimeboard_service::{ReferenceData, Registry, demo_units, system_clock};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "crimeboard", version, about = "Registers, deadlines and the Board's figures for a police ministry")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(clap::Args, Clone)]
struct DbArgs {
    /// A SQLite file path (the default) or a postgres:// URL.
    #[arg(long, env = "CRIMEBOARD_DB", default_value = "crimeboard-data/crimeboard.sqlite")]
    db: String,
    /// An article catalogue to use instead of the shipped one.
    #[arg(long, env = "CRIMEBOARD_CATALOGUE")]
    catalogue: Option<PathBuf>,
    /// Deadline rules to use instead of the shipped ones.
    #[arg(long, env = "CRIMEBOARD_RULES")]
    rules: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Create the embedded database with demo data (first run) and serve it.
    Demo {
        /// Folder for the demo database.
        #[arg(long, default_value = "crimeboard-data")]
        data: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Serve the JSON API.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Load territorial units from a TOML file ([[unit]] entries, parents first).
    Units {
        #[command(flatten)]
        db: DbArgs,
        file: PathBuf,
    },
    /// Walk every unit's journal chain; fail naming the first altered, removed or reordered entry.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Statistics: `stats verify` recounts every counter from the registers.
    Stats {
        #[command(subcommand)]
        command: StatsCmd,
    },
    /// Measure registration throughput.
    Bench {
        #[command(flatten)]
        db: DbArgs,
        /// How many cases (each with its report, applicant, suspect and victim).
        #[arg(long, default_value_t = 100_000)]
        cases: u64,
        /// Acts per transaction.
        #[arg(long, default_value_t = 1000)]
        batch: usize,
    },
}

#[derive(Subcommand)]
enum StatsCmd {
    /// Recount every counter from the registers; fail on any difference.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Cmd::Demo { data, addr } => demo(&data, addr),
        Cmd::Serve { db, addr } => serve(open(&db)?, addr),
        Cmd::Migrate { db } => {
            open(&db)?;
            eprintln!("crimeboard: {} is up to date", db.db);
            Ok(())
        }
        Cmd::Units { db, file } => {
            let registry = open(&db)?;
            let units = load_units(&file)?;
            registry.add_units(&units).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            eprintln!("crimeboard: {} units added", units.len());
            Ok(())
        }
        Cmd::Verify { db } => verify(&*open(&db)?),
        Cmd::Stats { command: StatsCmd::Verify { db } } => verify_counters(&*open(&db)?),
        Cmd::Bench { db, cases, batch } => bench::register(&*open(&db)?, cases, batch),
    }
}

fn open(db: &DbArgs) -> Result<Arc<Registry>> {
    let reference = ReferenceData::load(db.catalogue.as_deref(), db.rules.as_deref()).map_err(anyhow::Error::msg)?;
    let store = crimeboard_store::open(&db.db).with_context(|| format!("opening {}", db.db))?;
    Ok(Arc::new(Registry::new(store, reference, system_clock())?))
}

fn load_units(file: &std::path::Path) -> Result<Vec<crimeboard_domain::units::Unit>> {
    #[derive(serde::Deserialize)]
    struct UnitsFile {
        unit: Vec<crimeboard_domain::units::Unit>,
    }
    let text = std::fs::read_to_string(file).with_context(|| file.display().to_string())?;
    let parsed: UnitsFile = toml::from_str(&text).with_context(|| file.display().to_string())?;
    Ok(parsed.unit)
}

fn demo(data: &std::path::Path, addr: SocketAddr) -> Result<()> {
    let path = data.join("crimeboard.sqlite");
    let fresh = !path.exists();
    let db = DbArgs { db: path.display().to_string(), catalogue: None, rules: None };
    let registry = open(&db)?;
    if fresh || registry.units().is_empty() {
        eprintln!("crimeboard: creating the demo database at {}", path.display());
        registry.add_units(&demo_units())?;
        bench::load_demo(&registry)?;
    } else {
        eprintln!("crimeboard: using the demo database at {}", path.display());
    }
    serve(registry, addr)
}

fn serve(registry: Arc<Registry>, addr: SocketAddr) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(crimeboard_web::serve(registry, addr))?;
    Ok(())
}

fn verify(registry: &Registry) -> Result<()> {
    let v = registry.verify()?;
    for chain in &v.chains {
        match &chain.result {
            Ok(n) => println!("ok      {:<12} {n} entries", chain.unit),
            Err(brk) => println!("BROKEN  {brk}"),
        }
    }
    if !v.ok() {
        bail!("the journal has been tampered with: see the BROKEN lines above");
    }
    println!("journal intact: {} units, {} entries", v.chains.len(), v.entries());
    Ok(())
}

fn verify_counters(registry: &Registry) -> Result<()> {
    let mismatches = registry.verify_counters()?;
    for m in mismatches.iter().take(50) {
        println!("MISMATCH {:<12} {:<32} {}  counter {}  recount {}", m.unit, m.indicator, m.day, m.counter, m.recount);
    }
    if !mismatches.is_empty() {
        bail!("{} counters differ from a recount of the registers", mismatches.len());
    }
    println!("counters equal a recount of the registers");
    Ok(())
}
