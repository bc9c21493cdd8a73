//! The crimeboard binary: one command per thing a person does with the system.

mod accounts;
mod backup;
mod bench;
mod generate;
mod import;
mod progress;

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand};
use crimeboard_service::audit::Actor;
use crimeboard_service::{ReferenceData, Registry, system_clock};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// With SQLite's statements on a thread of their own, what the caller's
/// thread allocates is freed on the writer's: mimalloc frees across threads
/// without the arena locks of the system allocator (a fifth more cases a
/// second in `bench register`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "crimeboard", version, about = "Registers, deadlines and the Board's figures for a police ministry")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(clap::Args, Clone)]
struct DbArgs {
    /// A SQLite file path (the default) or a postgres:// URL.
    #[arg(long, global = true, env = "CRIMEBOARD_DB", default_value = "crimeboard-data/crimeboard.sqlite")]
    db: String,
    /// An article catalogue to use instead of the shipped one.
    #[arg(long, global = true, env = "CRIMEBOARD_CATALOGUE")]
    catalogue: Option<PathBuf>,
    /// Deadline rules to use instead of the shipped ones.
    #[arg(long, global = true, env = "CRIMEBOARD_RULES")]
    rules: Option<PathBuf>,
    /// The key file that seals second-factor secrets at rest, created (mode
    /// 0600) on first use; never in the database. Default: secret.key beside
    /// a SQLite database, crimeboard-data/secret.key with PostgreSQL.
    #[arg(long = "secret-key", global = true, env = "CRIMEBOARD_SECRET_KEY_FILE")]
    secret_key: Option<PathBuf>,
}

impl DbArgs {
    fn secret_key_file(&self) -> PathBuf {
        if let Some(path) = &self.secret_key {
            return path.clone();
        }
        let is_pg = self.db.starts_with("postgres://") || self.db.starts_with("postgresql://");
        let folder = match std::path::Path::new(self.db.strip_prefix("sqlite://").unwrap_or(&self.db)).parent() {
            Some(dir) if !is_pg => dir.to_path_buf(),
            _ => PathBuf::from("crimeboard-data"),
        };
        folder.join("secret.key")
    }
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
        /// A reverse proxy (ADDRESS or ADDRESS/BITS, repeatable) whose
        /// X-Forwarded-For names the client; other peers' headers are ignored.
        #[arg(long = "trusted-proxy", value_name = "ADDRESS[/BITS]")]
        trusted_proxy: Vec<crimeboard_web::auth::client::TrustedNet>,
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
    /// Import a CSV export of another system as acts, as a mapping file says (docs/import.md).
    Import {
        #[command(flatten)]
        db: DbArgs,
        /// The CSV file; its first line names the columns.
        file: PathBuf,
        /// The mapping: which column is what (e.g. data/mappings/police-uk.toml).
        #[arg(long)]
        mapping: PathBuf,
        /// Where rejected rows go; by default NAME.errors.csv beside the file.
        #[arg(long)]
        errors: Option<PathBuf>,
        /// Rows per transaction. Larger transactions write each hot page of
        /// the indexes once for more rows (10,000 rows take under a second to
        /// write; other writers wait that long at most).
        #[arg(long, default_value_t = 10_000)]
        batch: usize,
    },
    /// Walk every unit's journal chain; fail naming the first altered, removed or reordered entry.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Copy a SQLite database, even while it runs, and check the copy's journal (docs/operations.md).
    Backup {
        #[command(flatten)]
        db: DbArgs,
        /// The copy to write.
        #[arg(long)]
        to: PathBuf,
        /// Replace the file at --to if there is one.
        #[arg(long)]
        force: bool,
    },
    /// Put a backup in place as the SQLite database once its journal and counters check.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
        #[command(flatten)]
        db: DbArgs,
        /// Replace an existing database at --db.
        #[arg(long)]
        force: bool,
    },
    /// Statistics: `stats verify` recounts every counter from the registers.
    Stats {
        #[command(subcommand)]
        command: StatsCmd,
    },
    /// Record a generated data set: the seed's story, or a large country for benchmarks.
    Generate {
        #[command(flatten)]
        db: DbArgs,
        /// `seed` tells the press release's story; `large` fills years of a big country;
        /// `lean` does too with about 1.8 acts a case, for benchmarks at ten million cases.
        #[arg(long, default_value = "seed")]
        size: String,
        #[arg(long, default_value_t = 10)]
        years: u32,
        #[arg(long, default_value_t = 80)]
        units: u32,
        #[arg(long, default_value_t = 10_000_000)]
        cases: u64,
        #[arg(long, default_value_t = 20_240_419)]
        seed: u64,
    },
    /// The Board's report for a period against the same period a year before.
    Report {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: ReportArgs,
    },
    /// Export figures for others: `export open-data` writes CSV, JSON and a schema for an open-data portal.
    Export {
        #[command(subcommand)]
        command: ExportCmd,
    },
    /// Accounts: `user add --role admin ...` creates the first administrator.
    User {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        command: accounts::UserCmd,
    },
    /// The audit trail: `audit verify`, `audit search`.
    Audit {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        command: accounts::AuditCmd,
    },
    /// Measure throughput and latency.
    Bench {
        #[command(subcommand)]
        command: BenchCmd,
    },
}

#[derive(clap::Args)]
struct ReportArgs {
    /// 2024Q1, 2024H1, 2024-03, 2024, ytd:2024-04-19, 28d:2024-04-19, week:2024-04-15 or 2024-01-01..2024-03-31.
    #[arg(long)]
    period: String,
    /// A unit code; the whole country by default.
    #[arg(long)]
    unit: Option<String>,
    #[arg(long, default_value = "az")]
    lang: String,
    /// text, json, csv, xlsx or pdf (A4, fonts embedded).
    #[arg(long, default_value = "txt")]
    format: String,
    /// Recount at this journal position, to reproduce a published report.
    #[arg(long)]
    at: Option<i64>,
    /// Write to this file instead of standard output.
    #[arg(long, short, visible_alias = "out")]
    output: Option<PathBuf>,
}

#[derive(Subcommand)]
enum BenchCmd {
    /// Registration throughput through the API's write path.
    Register {
        #[command(flatten)]
        db: DbArgs,
        /// How many cases (each with its report, applicant, suspect and victim).
        #[arg(long, default_value_t = 100_000)]
        cases: u64,
        /// Acts per transaction.
        #[arg(long, default_value_t = 1000)]
        batch: usize,
    },
    /// Latency of the full Board report (every indicator, every unit, both periods).
    Report {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, default_value = "2024Q1")]
        period: String,
        #[arg(long, default_value_t = 200)]
        runs: usize,
        /// Also time the same report computed by reading every entity of the registers.
        #[arg(long)]
        scan: bool,
        /// Also time five of the figures computed with plain SQL over the registers (SQLite files only).
        #[arg(long)]
        sql_scan: bool,
    },
    /// Latency of searches by name, word and prefix, across registers, persons and one district.
    Search {
        #[command(flatten)]
        db: DbArgs,
        /// Times each search is run.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

#[derive(Subcommand)]
enum ExportCmd {
    /// Figures per unit, month and indicator, small cells suppressed, no personal data:
    /// figures.csv, figures.json and schema.json (a Frictionless data package).
    OpenData {
        #[command(flatten)]
        db: DbArgs,
        /// Whole months: 2024Q1, 2024H1, 2024-03, 2024 or 2024-01-01..2024-03-31.
        #[arg(long)]
        period: String,
        /// The folder to write the files to (created if missing).
        #[arg(long, default_value = "open-data")]
        out: PathBuf,
        /// Counts above 0 and below this are suppressed.
        #[arg(long, default_value_t = crimeboard_stats::disclosure::DEFAULT_THRESHOLD)]
        threshold: i64,
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
        Cmd::Serve { db, addr, trusted_proxy } => serve(open(&db)?, addr, trusted_proxy),
        Cmd::Migrate { db } => {
            open(&db)?;
            eprintln!("crimeboard: {} is up to date", db.db);
            Ok(())
        }
        Cmd::Units { db, file } => {
            let registry = open(&db)?;
            let units = load_units(&file)?;
            registry
                .add_units(&registry.system("units"), &units)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            eprintln!("crimeboard: {} units added", units.len());
            Ok(())
        }
        Cmd::Import { db, file, mapping, errors, batch } => import::run(&*open(&db)?, &file, &mapping, errors, batch),
        Cmd::Verify { db } => verify(&*open(&db)?),
        Cmd::Backup { db, to, force } => backup::backup(&backup::Copy {
            from: std::path::Path::new(db.db.strip_prefix("sqlite://").unwrap_or(&db.db)),
            to: &to,
            force,
            catalogue: db.catalogue.as_deref(),
            rules: db.rules.as_deref(),
        }),
        Cmd::Restore { from, db, force } => backup::restore(&backup::Copy {
            from: &from,
            to: std::path::Path::new(db.db.strip_prefix("sqlite://").unwrap_or(&db.db)),
            force,
            catalogue: db.catalogue.as_deref(),
            rules: db.rules.as_deref(),
        }),
        Cmd::Stats { command: StatsCmd::Verify { db } } => verify_counters(&*open(&db)?),
        Cmd::Generate { db, size, years, units, cases, seed } => {
            let size = match size.as_str() {
                "seed" => crimeboard_demo::DemoSize::Seed,
                "large" => crimeboard_demo::DemoSize::Large { years, units, cases },
                "lean" => return bench::lean(&*open(&db)?, years, units, cases),
                other => bail!("--size {other:?}: expected seed, large or lean"),
            };
            generate(&*open(&db)?, &crimeboard_demo::DemoOptions { seed, size })
        }
        Cmd::Report { db, args } => report(&*open(&db)?, &args),
        Cmd::Export { command: ExportCmd::OpenData { db, period, out, threshold } } => {
            export_open_data(&*open(&db)?, &period, &out, threshold)
        }
        Cmd::User { db, command } => accounts::user(&*open(&db)?, command),
        Cmd::Audit { db, command } => accounts::audit(&*open(&db)?, command),
        Cmd::Bench { command: BenchCmd::Register { db, cases, batch } } => bench::register(&*open(&db)?, cases, batch),
        Cmd::Bench { command: BenchCmd::Search { db, runs } } => bench::search(&*open(&db)?, runs),
        Cmd::Bench { command: BenchCmd::Report { db, period, runs, scan, sql_scan } } => {
            let period = crimeboard_stats::Period::parse(&period)?;
            bench::report(&*open(&db)?, &period, runs, scan)?;
            if sql_scan {
                bench::plain_sql_scan(&db.db, &period, 1)?;
            }
            Ok(())
        }
    }
}

fn open(db: &DbArgs) -> Result<Arc<Registry>> {
    let reference = ReferenceData::load(db.catalogue.as_deref(), db.rules.as_deref()).map_err(anyhow::Error::msg)?;
    let store = crimeboard_store::open(&db.db).with_context(|| format!("opening {}", db.db))?;
    let registry = Registry::new(store, reference, system_clock())?.with_secret_key_file(db.secret_key_file());
    if registry.search_index_stale()? {
        reindex_search(&registry)?;
    }
    // Second-factor secrets stored plain by an earlier version are sealed at the first start.
    let sealed = registry.seal_totp_secrets()?;
    if sealed > 0 {
        eprintln!("crimeboard: sealed {sealed} second-factor secrets with {}", db.secret_key_file().display());
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
    let db = DbArgs { db: path.display().to_string(), catalogue: None, rules: None, secret_key: None };
    let registry = open(&db)?;
    if registry.store().position()? == 0 {
        eprintln!("crimeboard: creating the demo database at {}", path.display());
        generate(&registry, &crimeboard_demo::DemoOptions::default())?;
        let accounts = accounts::demo_accounts(&registry, data)?;
        eprintln!(
            "crimeboard: one account per staff role, with its password and second factor, is in {} (readable by you only)",
            accounts.display()
        );
    } else {
        eprintln!("crimeboard: using the demo database at {}", path.display());
    }
    serve(registry, addr, Vec::new())
}

fn generate(registry: &Registry, options: &crimeboard_demo::DemoOptions) -> Result<()> {
    let mut line = progress::ProgressLine::new();
    let summary = crimeboard_demo::generate(registry, options, &mut |p| line.draw(p.done, p.total, p.what))?;
    eprintln!(
        "crimeboard: recorded {} reports, {} cases, {} persons, {} acts",
        summary.reports, summary.cases, summary.persons, summary.acts
    );
    Ok(())
}

fn report(registry: &Registry, args: &ReportArgs) -> Result<()> {
    let period = crimeboard_stats::Period::parse(&args.period)?;
    let report = match args.at {
        Some(position) => registry.report_at(period, args.unit.as_deref(), position)?,
        None => registry.report(period, args.unit.as_deref())?,
    };
    let lang: crimeboard_export::Lang = args.lang.parse()?;
    let format: crimeboard_export::Format = args.format.parse()?;
    let bytes = crimeboard_export::try_render(&report, lang, format)?;
    let detail = format!("period={} format={} at={:?}", args.period, args.format, args.at);
    registry.audit(&Actor::cli(), "export.report", args.unit.as_deref().unwrap_or(""), &detail)?;
    match &args.output {
        Some(path) => std::fs::write(path, bytes).with_context(|| path.display().to_string())?,
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(())
}

fn serve(
    registry: Arc<Registry>,
    addr: SocketAddr,
    trusted: Vec<crimeboard_web::auth::client::TrustedNet>,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(crimeboard_web::serve_behind(registry, addr, trusted))?;
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

fn export_open_data(registry: &Registry, period: &str, out: &std::path::Path, threshold: i64) -> Result<()> {
    let period = crimeboard_stats::Period::parse(period)?;
    let data = registry.open_data(period, threshold)?;
    let detail = format!("period={period} threshold={threshold} out={}", out.display());
    registry.audit(&Actor::cli(), "export.open_data", "", &detail)?;
    std::fs::create_dir_all(out).with_context(|| out.display().to_string())?;
    for (name, bytes) in crimeboard_export::open_data::files(&data) {
        let path = out.join(name);
        std::fs::write(&path, bytes).with_context(|| path.display().to_string())?;
    }
    let hidden = data.cells.iter().filter(|c| c.suppressed.is_some()).count();
    eprintln!(
        "crimeboard: {} cells ({hidden} suppressed) written to {} at journal position {}",
        data.cells.len(),
        out.display(),
        data.position
    );
    Ok(())
}
