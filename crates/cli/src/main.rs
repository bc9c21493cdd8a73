//! The crimeboard binary: one command per thing a person does with the system.

mod accounts;
mod backup;
mod bench;
mod board;
mod database;
mod generate;
mod import;
mod jurisdiction;
mod memory;
mod messages;
mod progress;
mod receptions;

use anyhow::{Context as _, Result, bail};
use clap::builder::PossibleValue;
use clap::{Parser, Subcommand};
use crimeboard_domain::Command;
use crimeboard_domain::units::UnitInForce;
use crimeboard_export::Format;
use crimeboard_service::audit::{Actor, Audited};
use crimeboard_service::{Registry, Structure, Submission, UnitsAddition};
use database::{Location, Missing};
use std::io::IsTerminal as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// With SQLite's statements on a thread of their own, what the caller's
/// thread allocates is freed on the writer's: mimalloc frees across threads
/// without the arena locks of the system allocator (a fifth more cases a
/// second in `bench register`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "crimeboard",
    version,
    about = "Registers, deadlines and the Board's figures for a police ministry",
    after_help = "Only demo, init, generate and restore create a SQLite database (and its folder); every other \
                  command refuses a --db file that is not there. On PostgreSQL the database must exist: init (or \
                  migrate) creates the schema in it. The database holds its configuration, the jurisdiction pack: \
                  `crimeboard jurisdiction show|diff|apply`."
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
    /// The language of messages and of the report `report` writes (the
    /// jurisdiction pack's default language there); messages otherwise
    /// follow LC_ALL, LC_MESSAGES or LANG, else English.
    #[arg(long, global = true, value_parser = ["az", "ru", "en"])]
    lang: Option<String>,
}

#[derive(clap::Args, Clone)]
struct DbArgs {
    /// A SQLite file path (the default) or a postgres:// URL. The file must
    /// exist unless the command creates a database (see `crimeboard --help`).
    #[arg(long, global = true, env = "CRIMEBOARD_DB", default_value = "crimeboard-data/crimeboard.sqlite")]
    db: String,
    /// Gone: the database holds its catalogue (`crimeboard jurisdiction apply`).
    #[arg(long, global = true, hide = true)]
    catalogue: Option<PathBuf>,
    /// Gone: the database holds its rules (`crimeboard jurisdiction apply`).
    #[arg(long, global = true, hide = true)]
    rules: Option<PathBuf>,
    /// The key file that seals second-factor secrets at rest, created (mode
    /// 0600) on first use; never in the database. Default: secret.key beside
    /// a SQLite database, crimeboard-data/secret.key with PostgreSQL.
    #[arg(long = "secret-key", global = true, env = "CRIMEBOARD_SECRET_KEY_FILE")]
    secret_key: Option<PathBuf>,
    /// The key file of the payment cards' keyed hash (docs/identifiers.md),
    /// created (mode 0600) on first use; never in the database. Losing or
    /// changing it leaves the cards recorded under it unfound. Default:
    /// card.key beside the secret key file.
    #[arg(long = "card-key", global = true, env = "CRIMEBOARD_CARD_KEY_FILE")]
    card_key: Option<PathBuf>,
}

impl DbArgs {
    fn secret_key_file(&self) -> PathBuf {
        if let Some(path) = &self.secret_key {
            return path.clone();
        }
        let folder = match Location::of(&self.db) {
            Location::Sqlite(path) => path.parent().map_or_else(PathBuf::new, Path::to_path_buf),
            Location::Postgres(_) => PathBuf::from("crimeboard-data"),
        };
        folder.join("secret.key")
    }

    /// The key files: the secret key's and the card key's.
    fn key_files(&self) -> database::KeyFiles {
        let secret = self.secret_key_file();
        let card = self.card_key.clone().unwrap_or_else(|| secret.with_file_name("card.key"));
        database::KeyFiles { secret, card }
    }

    /// The registry at `--db`; a missing SQLite file is created only when
    /// `missing` allows it.
    fn open(&self, missing: Missing) -> Result<Arc<Registry>> {
        self.refuse_configuration_flags()?;
        database::open(&self.db, missing, self.key_files())
    }

    /// The rules and the catalogue are no longer chosen per command: the
    /// database holds the pack its figures were counted under.
    fn refuse_configuration_flags(&self) -> Result<()> {
        let given = [("--catalogue", &self.catalogue), ("--rules", &self.rules)];
        if let Some((flag, _)) = given.iter().find(|(_, value)| value.is_some()) {
            bail!(
                "{flag}: the database holds its configuration (its jurisdiction pack, with the rules and the \
                 catalogue); change it with `crimeboard jurisdiction apply DIR`, see it with `crimeboard jurisdiction show`"
            );
        }
        Ok(())
    }

    fn plain(db: String) -> DbArgs {
        DbArgs { db, catalogue: None, rules: None, secret_key: None, card_key: None }
    }

    fn sqlite_path(&self) -> &Path {
        Path::new(self.db.strip_prefix("sqlite://").unwrap_or(&self.db))
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Create the embedded database with demo data (first run) and serve it.
    Demo {
        /// Folder for the demo database, its accounts and its key.
        #[arg(long, default_value = "crimeboard-data")]
        data: PathBuf,
        /// The address to serve on; checked free before anything is created.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The address to serve the public site alone on; checked free too.
        #[arg(long, default_value = "127.0.0.1:8081")]
        public_addr: SocketAddr,
    },
    /// Create a database bound to a jurisdiction pack (docs/jurisdiction.md):
    /// its units added and the pack adopted as the journal's first act.
    Init {
        #[command(flatten)]
        db: DbArgs,
        /// The pack's folder, e.g. data/jurisdictions/azerbaijan, or the pack
        /// written as one file (`crimeboard jurisdiction show --one-file`).
        #[arg(long, value_name = "DIR|FILE")]
        jurisdiction: PathBuf,
        /// The legal ground recorded with the adoption.
        #[arg(long, default_value = "Installation of the registry")]
        legal_ground: String,
        /// The date the pack takes effect; today by default.
        #[arg(long)]
        effective_from: Option<chrono::NaiveDate>,
    },
    /// The jurisdiction pack the database holds: `show`, `diff DIR`, `apply DIR`.
    Jurisdiction {
        #[command(subcommand)]
        command: jurisdiction::JurisdictionCmd,
    },
    /// Serve the staff's pages, the public figures and the JSON API.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// The address to serve on (beyond loopback only once an
        /// administrator has a second factor).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// An address to serve the public site alone on (its pages, the
        /// open data), so the staff's address can stay on an internal
        /// network; a staff route asked for there is not found.
        #[arg(long, value_name = "ADDRESS")]
        public_addr: Option<SocketAddr>,
        /// A reverse proxy (ADDRESS or ADDRESS/BITS, repeatable) whose
        /// X-Forwarded-For names the client; other peers' headers are ignored.
        #[arg(long = "trusted-proxy", value_name = "ADDRESS[/BITS]")]
        trusted_proxy: Vec<crimeboard_web::auth::client::TrustedNet>,
        /// The public site's forms (an online report or appeal, a status
        /// looked up, a survey): posts one client address may make at once.
        #[arg(long, value_name = "POSTS", default_value_t = crimeboard_web::load::Limits::default().online_burst)]
        online_burst: u32,
        /// ... and how many more it earns an hour after those.
        #[arg(long, value_name = "POSTS", default_value_t = crimeboard_web::load::Limits::default().online_per_hour)]
        online_per_hour: u32,
    },
    /// Apply pending database migrations to an existing database, say which,
    /// and exit (`init` creates a database).
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Load territorial units from a TOML file ([[unit]] entries, parents
    /// first) into an existing database (`init` loads its pack's units).
    /// Loaded again, it adds the units not yet there and leaves identical
    /// ones alone; a unit the file says otherwise is refused, nothing written.
    /// Into a loaded tree each new unit is an act, in force as
    /// --effective-from says.
    /// `units rename|move|merge` change a loaded unit from a day on, each an
    /// act in the journal (docs/operations.md).
    #[command(subcommand_negates_reqs = true)]
    Units {
        #[command(flatten)]
        db: DbArgs,
        /// The units file, e.g. data/jurisdictions/azerbaijan/units.toml.
        #[arg(required = true)]
        file: Option<PathBuf>,
        /// When the units new to a loaded tree are in force: "always" (the
        /// default: units that already existed, part of the structure on
        /// every day, so their archive can be recorded), or the first day of
        /// a genuinely new unit, YYYY-MM-DD (nothing dated before it is
        /// recorded in it).
        #[arg(long = "effective-from", default_value = "always")]
        effective_from: UnitInForce,
        /// The legal ground of their acts, e.g. the ministry's order.
        #[arg(long, default_value = "Units file")]
        ground: String,
        #[command(subcommand)]
        change: Option<UnitChangeCmd>,
    },
    /// Import a CSV export of another system as acts, as a mapping file says
    /// (docs/import.md), into an existing database (`init` makes one).
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
    /// Walk every unit's journal chain; fail naming the first altered, removed
    /// or reordered entry, or when the journal is empty.
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
        #[arg(long, default_value = "seed", value_parser = ["seed", "large", "lean"])]
        size: String,
        /// Years of data (large and lean), ending with the seed's 2024.
        #[arg(long, default_value_t = 10)]
        years: u32,
        /// Territorial units (large and lean).
        #[arg(long, default_value_t = 80)]
        units: u32,
        /// Cases over all the years (large and lean).
        #[arg(long, default_value_t = 10_000_000)]
        cases: u64,
        /// The random generator's seed: the same seed records the same data.
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
    /// The Board's meetings and tasks: `board briefing` writes the briefing pack before a meeting,
    /// `board memo` a meeting's commitments, `board tasks` a unit's queue, `board sheet` the controller's sheet.
    Board {
        #[command(subcommand)]
        command: board::BoardCmd,
    },
    /// A chief's receptions of citizens: `receptions schedule FILE` records a schedule's sessions.
    Receptions {
        #[command(subcommand)]
        command: receptions::ReceptionsCmd,
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
    /// text (the narrative), json, csv, xlsx or pdf (A4, fonts embedded);
    /// xlsx and pdf need --out or a pipe, never a terminal.
    #[arg(long, default_value = "text", value_parser = report_formats())]
    format: String,
    /// Recount at this journal position, to reproduce a published report.
    #[arg(long)]
    at: Option<i64>,
    /// The unit tree the figures roll up under: `in_force` (the tree on the
    /// period's last day, the default) or `current` (every change of the
    /// tree recorded, whatever its date).
    #[arg(long, default_value = "in_force", value_parser = ["in_force", "current"])]
    structure: String,
    /// Write to this file instead of standard output.
    #[arg(long, short, visible_alias = "out")]
    output: Option<PathBuf>,
}

/// A change of the unit tree, in force from `--from`: reports of periods
/// ending before it roll up under the tree as it was.
#[derive(Subcommand)]
enum UnitChangeCmd {
    /// Rename a unit: its names in any of az, ru and en, one at least.
    Rename {
        /// The unit's code, e.g. BAK-NSM.
        #[arg(long)]
        unit: String,
        /// Its name in Azerbaijani from then on.
        #[arg(long = "name-az")]
        az: Option<String>,
        /// Its name in Russian from then on.
        #[arg(long = "name-ru")]
        ru: Option<String>,
        /// Its name in English from then on.
        #[arg(long = "name-en")]
        en: Option<String>,
        #[command(flatten)]
        act: UnitActArgs,
    },
    /// Move a unit, with the units below it, under another parent.
    Move {
        /// The unit's code, e.g. GNC.
        #[arg(long)]
        unit: String,
        /// The code of the unit it moves under.
        #[arg(long)]
        parent: String,
        #[command(flatten)]
        act: UnitActArgs,
    },
    /// Merge a unit into another: what was below it moves under the other,
    /// and what is recorded in it from then on counts for the other.
    Merge {
        /// The unit that ends.
        #[arg(long)]
        absorbed: String,
        /// The unit that takes it in.
        #[arg(long)]
        into: String,
        #[command(flatten)]
        act: UnitActArgs,
    },
}

#[derive(clap::Args)]
struct UnitActArgs {
    /// The first day the change is in force, e.g. 2024-07-01.
    #[arg(long)]
    from: chrono::NaiveDate,
    /// The legal ground of the change, e.g. the ministry's order.
    #[arg(long)]
    ground: String,
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
        /// The period of the report timed.
        #[arg(long, default_value = "2024Q1")]
        period: String,
        /// Times the report is computed.
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
    /// Latency of the identifier lookup across units, at `--cases` cases' identifiers.
    Lookup {
        #[command(flatten)]
        db: DbArgs,
        /// How many cases' identifiers the index holds (a telephone number and a card each).
        #[arg(long, default_value_t = 10_000_000)]
        cases: u64,
        /// Fill a new database's identifier index with them first (without acts or records).
        #[arg(long)]
        fill: bool,
        /// Index rows per transaction while filling.
        #[arg(long, default_value_t = 100_000)]
        batch: u64,
        /// Identifiers looked up (and as many absent ones).
        #[arg(long, default_value_t = 1000)]
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
        /// The unit tree the figures roll up under: `in_force` (the tree on the
        /// period's last day, the default) or `current` (every change of the
        /// tree recorded, whatever its date).
        #[arg(long, default_value = "in_force", value_parser = ["in_force", "current"])]
        structure: String,
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

/// The report's formats; `txt` is still taken for `text`, unlisted.
fn report_formats() -> [PossibleValue; 6] {
    ["text", "json", "csv", "xlsx", "pdf"]
        .map(PossibleValue::new)
        .into_iter()
        .chain([PossibleValue::new("txt").hide(true)])
        .collect::<Vec<_>>()
        .try_into()
        .expect("six formats")
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = messages::language(cli.lang.as_deref(), |name| std::env::var(name).ok());
    match run(cli.command, cli.lang.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("crimeboard: {}", messages::render(&error, lang));
            ExitCode::FAILURE
        }
    }
}

/// Runs a command. Each checks what was typed (periods, formats, files,
/// the address to serve on) before it opens, let alone creates, a database.
fn run(command: Cmd, lang: Option<&str>) -> Result<()> {
    match command {
        Cmd::Demo { data, addr, public_addr } => demo(&data, Addresses { staff: addr, public: Some(public_addr) }),
        Cmd::Serve { db, addr, public_addr, trusted_proxy, online_burst, online_per_hour } => {
            let addresses = Addresses { staff: addr, public: public_addr };
            drop(addresses.reserve()?);
            let limits = crimeboard_web::load::Limits { online_burst, online_per_hour, ..Default::default() };
            serve(db.open(Missing::Refuse)?, addresses, trusted_proxy, limits, |_| {})
        }
        Cmd::Init { db, jurisdiction, legal_ground, effective_from } => {
            let files = jurisdiction::read(&jurisdiction)?;
            db.refuse_configuration_flags()?;
            jurisdiction::init(&db.db, db.key_files(), files, &legal_ground, effective_from)
        }
        Cmd::Jurisdiction { command } => jurisdiction::run(command),
        Cmd::Migrate { db } => migrate(&db),
        Cmd::Units { db, change: Some(change), .. } => change_unit(&*db.open(Missing::Refuse)?, change),
        Cmd::Units { db, file, change: None, effective_from, ground } => {
            let file = file.context("a units file, or rename, move or merge")?;
            let units = load_units(&file)?;
            let registry = db.open(Missing::Refuse)?;
            let addition = UnitsAddition { effective_from, legal_ground: ground };
            let loaded = registry
                .add_units(&registry.system("units"), &units, &addition)
                .with_context(|| file.display().to_string())?;
            eprintln!("crimeboard: {} units added, {} already there", loaded.added, loaded.already_there);
            Ok(())
        }
        Cmd::Import { db, file, mapping, errors, batch } => {
            let mapping = import::load_mapping(&mapping)?;
            if !file.is_file() {
                bail!("{}: no such file to import", file.display());
            }
            import::run(&*db.open(Missing::Refuse)?, &file, &mapping, errors, batch)
        }
        Cmd::Verify { db } => verify(&*db.open(Missing::Refuse)?, &Location::of(&db.db).shown()),
        Cmd::Backup { db, to, force } => {
            Location::of(&db.db).require(Missing::Refuse)?;
            db.refuse_configuration_flags()?;
            backup::backup(&backup::Copy { from: db.sqlite_path(), to: &to, force })
        }
        Cmd::Restore { from, db, force } => {
            db.refuse_configuration_flags()?;
            backup::restore(&backup::Copy { from: &from, to: db.sqlite_path(), force })
        }
        Cmd::Stats { command: StatsCmd::Verify { db } } => verify_counters(&*db.open(Missing::Refuse)?),
        Cmd::Generate { db, size, years, units, cases, seed } => {
            let size = match size.as_str() {
                "seed" => crimeboard_demo::DemoSize::Seed,
                "large" => crimeboard_demo::DemoSize::Large { years, units, cases },
                _ => return bench::lean(&*db.open(Missing::Create)?, years, units, cases),
            };
            generate(&*db.open(Missing::Create)?, &crimeboard_demo::DemoOptions { seed, size })
        }
        Cmd::Report { db, args } => report(&db, &args, lang),
        Cmd::Board { command } => board::board(command, lang),
        Cmd::Receptions { command } => receptions::receptions(command),
        Cmd::Export { command: ExportCmd::OpenData { db, period, out, threshold, structure } } => {
            let period = crimeboard_stats::Period::parse(&period)?;
            let structure = Structure::parse(&structure).unwrap_or_default();
            export_open_data(&*db.open(Missing::Refuse)?, period, &out, threshold, structure)
        }
        Cmd::User { db, command } => accounts::user(&*db.open(Missing::Refuse)?, command),
        Cmd::Audit { db, command } => accounts::audit(&*db.open(Missing::Refuse)?, command),
        Cmd::Bench { command: BenchCmd::Register { db, cases, batch } } => {
            bench::register(&*db.open(Missing::Refuse)?, cases, batch)
        }
        Cmd::Bench { command: BenchCmd::Search { db, runs } } => bench::search(&*db.open(Missing::Refuse)?, runs),
        Cmd::Bench { command: BenchCmd::Lookup { db, cases, fill, batch, runs } } => {
            let missing = if fill { Missing::Create } else { Missing::Refuse };
            bench::lookup(&*db.open(missing)?, cases, fill, batch, runs)
        }
        Cmd::Bench { command: BenchCmd::Report { db, period, runs, scan, sql_scan } } => {
            let period = crimeboard_stats::Period::parse(&period)?;
            bench::report(&*db.open(Missing::Refuse)?, &period, runs, scan)?;
            if sql_scan {
                bench::plain_sql_scan(&db.db, &period, 1)?;
            }
            Ok(())
        }
    }
}

/// Applies what the database lacks and says what that was.
fn migrate(db: &DbArgs) -> Result<()> {
    let location = Location::of(&db.db);
    let registry = db.open(Missing::Refuse)?;
    let shown = location.shown();
    match registry.store().migrations_applied() {
        [] => println!("{shown} was up to date: no migration to apply"),
        applied => {
            println!("{shown}: applied {} migrations:", applied.len());
            for name in applied {
                println!("  {name}");
            }
        }
    }
    Ok(())
}

/// Records a change of the unit tree as an act of the system, in the
/// journal of the unit it changes.
fn change_unit(registry: &Registry, change: UnitChangeCmd) -> Result<()> {
    use crimeboard_domain::units::{MergeUnits, MoveUnit, Names, RenameUnit, UnitCode};
    // A code typed wrong is named by its option.
    let code = |option: &str, s: &str| {
        UnitCode::parse(s).map_err(|mut v| {
            v.field = option.to_string();
            crimeboard_domain::error::Rejected(vec![v])
        })
    };
    let (command, act) = match change {
        UnitChangeCmd::Rename { unit, az, ru, en, act } => {
            let names = Names { az: az.unwrap_or_default(), ru: ru.unwrap_or_default(), en: en.unwrap_or_default() };
            let rename = RenameUnit { unit: code("--unit", &unit)?, names, effective_from: act.from };
            (Command::RenameUnit(rename), act)
        }
        UnitChangeCmd::Move { unit, parent, act } => {
            let moved = MoveUnit {
                unit: code("--unit", &unit)?,
                new_parent: code("--parent", &parent)?,
                effective_from: act.from,
            };
            (Command::MoveUnit(moved), act)
        }
        UnitChangeCmd::Merge { absorbed, into, act } => {
            let merged = MergeUnits {
                absorbed: code("--absorbed", &absorbed)?,
                into: code("--into", &into)?,
                effective_from: act.from,
            };
            (Command::MergeUnits(merged), act)
        }
    };
    let by = registry.system("units");
    let submission = Submission { actor: by.login.clone(), legal_ground: act.ground, command, late: None };
    let receipt = registry.record(&by, &submission, &Audited::No)?;
    eprintln!(
        "crimeboard: {} recorded in {} (#{}), in force from {}",
        receipt.act, receipt.unit, receipt.seq, act.from
    );
    Ok(())
}

fn load_units(file: &Path) -> Result<Vec<crimeboard_domain::units::Unit>> {
    #[derive(serde::Deserialize)]
    struct UnitsFile {
        unit: Vec<crimeboard_domain::units::Unit>,
    }
    let text = std::fs::read_to_string(file).with_context(|| file.display().to_string())?;
    let parsed: UnitsFile = toml::from_str(&text).with_context(|| file.display().to_string())?;
    Ok(parsed.unit)
}

/// The demo: the address is checked free before the folder, the database
/// or its data are made; once serving it says where to sign in, where the
/// accounts are and where the Board's report for 2024 Q1 is.
fn demo(data: &Path, addresses: Addresses) -> Result<()> {
    let reserved = addresses.reserve()?;
    let path = data.join("crimeboard.sqlite");
    let db = DbArgs::plain(path.display().to_string());
    let registry = db.open(Missing::Create)?;
    let accounts = data.join("demo-accounts.txt");
    if registry.store().position()? == 0 {
        eprintln!("crimeboard: creating the demo database at {}", path.display());
        generate(&registry, &crimeboard_demo::DemoOptions::default())?;
        accounts::demo_accounts(&registry, &accounts)?;
    } else {
        eprintln!("crimeboard: using the demo database at {}", path.display());
    }
    drop(reserved);
    serve(registry, addresses, Vec::new(), Default::default(), |bound| eprint!("{}", demo_welcome(bound, &accounts)))
}

/// What the demo prints once it serves: where to go and with what.
fn demo_welcome(bound: Bound, accounts: &Path) -> String {
    let staff = bound.staff;
    let public = bound.public.map(|p| format!("crimeboard: the public site: http://{p}/\n")).unwrap_or_default();
    format!(
        "crimeboard: sign in at http://{staff}{}\n\
         crimeboard: the accounts, one per staff role, with passwords and second factors, are in {} (readable by you only)\n\
         crimeboard: the Board's report for the first quarter of 2024: http://{staff}/report?period=2024Q1\n\
         {public}",
        crimeboard_web::auth::LOGIN_PATH,
        accounts.display()
    )
}
fn generate(registry: &Registry, options: &crimeboard_demo::DemoOptions) -> Result<()> {
    let mut line = progress::ProgressLine::new();
    let summary = crimeboard_demo::generate(registry, options, &mut |p| line.draw(p.done, p.total, p.what))?;
    eprintln!(
        "crimeboard: recorded {} reports, {} cases, {} persons, {} Board meetings and {} tasks, {} acts",
        summary.reports, summary.cases, summary.persons, summary.meetings, summary.tasks, summary.acts
    );
    Ok(())
}

fn report(db: &DbArgs, args: &ReportArgs, lang: Option<&str>) -> Result<()> {
    let period = crimeboard_stats::Period::parse(&args.period)?;
    let format: Format = args.format.parse()?;
    let asked: Option<crimeboard_export::Lang> = lang.map(str::parse).transpose()?;
    refuse_binary_to_terminal(format, args.output.as_deref(), std::io::stdout().is_terminal())?;
    let registry = db.open(Missing::Refuse)?;
    let structure = Structure::parse(&args.structure).unwrap_or_default();
    let lang = match asked {
        Some(lang) => lang,
        None => registry.jurisdiction().default_language.parse()?,
    };
    let report = match args.at {
        Some(position) => registry.report_at_under(period, args.unit.as_deref(), position, structure)?,
        None => registry.report_under(period, args.unit.as_deref(), structure)?,
    };
    if nothing_recorded(&report) {
        eprintln!(
            "crimeboard: nothing is recorded in {} ({period}) nor in the same period a year before: every figure is zero",
            args.period
        );
    }
    let bytes = crimeboard_export::try_render(&report, lang, format)?;
    let detail = format!("period={} format={} at={:?} structure={}", args.period, args.format, args.at, args.structure);
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

/// A workbook or a PDF written to a terminal is noise that can upset it:
/// refused there, with the way to a file. Through a pipe it is written as asked.
fn refuse_binary_to_terminal(format: Format, out: Option<&Path>, is_terminal: bool) -> Result<()> {
    if matches!(format, Format::Xlsx | Format::Pdf) && out.is_none() && is_terminal {
        let ext = format.extension();
        bail!("--format {ext} is a binary file, not for a terminal: write it with --out report.{ext} (or pipe it)");
    }
    Ok(())
}

/// Whether a report's scope has no figure above zero in either period.
fn nothing_recorded(report: &crimeboard_stats::board::BoardReport) -> bool {
    report.scope().figures.iter().all(|f| f.change.current == 0 && f.change.previous == 0)
}

/// Where to serve: the staff's application, and the public site alone when
/// it has an address of its own.
#[derive(Debug, Clone, Copy)]
struct Addresses {
    staff: SocketAddr,
    public: Option<SocketAddr>,
}

/// The addresses as bound (a port 0 given its number).
#[derive(Debug, Clone, Copy)]
struct Bound {
    staff: SocketAddr,
    public: Option<SocketAddr>,
}

impl Addresses {
    /// Binds each address for a moment, to find a busy port before anything
    /// is written; the server binds them again when it starts.
    fn reserve(&self) -> Result<Vec<std::net::TcpListener>> {
        let mut held = vec![reserve(self.staff)?];
        if let Some(public) = self.public {
            held.push(reserve(public)?);
        }
        Ok(held)
    }
}

/// Binds the address for a moment, to find a busy port before anything is
/// written; the server binds it again when it starts.
fn reserve(addr: SocketAddr) -> Result<std::net::TcpListener> {
    std::net::TcpListener::bind(addr).map_err(|e| bind_error(addr, e))
}

fn bind_error(addr: SocketAddr, e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::AddrInUse {
        anyhow::anyhow!(
            "{addr} is already in use by another program: stop it, or choose another address with --addr (e.g. --addr {}:{})",
            addr.ip(),
            addr.port().wrapping_add(1).max(1024)
        )
    } else {
        anyhow::Error::new(e).context(format!("serving on {addr}"))
    }
}

/// Serves until Ctrl-C; `on_bound` runs once the addresses are bound.
fn serve(
    registry: Arc<Registry>,
    addresses: Addresses,
    trusted: Vec<crimeboard_web::auth::client::TrustedNet>,
    public_limits: crimeboard_web::load::Limits,
    on_bound: impl FnOnce(Bound),
) -> Result<()> {
    memory::return_freed_memory_at_once();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let bind = |addr| {
            let registry = registry.clone();
            async move { crimeboard_web::bind(&registry, addr).await.map_err(|e| bind_error(addr, e)) }
        };
        let staff = bind(addresses.staff).await?;
        let public = match addresses.public {
            Some(addr) => Some(bind(addr).await?),
            None => None,
        };
        let public_bound = public.as_ref().map(|p| p.local_addr()).transpose()?;
        on_bound(Bound { staff: staff.local_addr()?, public: public_bound });
        crimeboard_web::serve_sites(staff, public, registry, trusted, public_limits, ctrl_c()).await?;
        Ok(())
    })
}

async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        // No signal handler: serve until the process is killed.
        std::future::pending::<()>().await;
    }
}

fn verify(registry: &Registry, shown: &str) -> Result<()> {
    let v = registry.verify()?;
    if v.entries() == 0 {
        bail!("{shown}: the registry is empty: no act has been recorded, so there is no journal to verify");
    }
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

fn export_open_data(
    registry: &Registry,
    period: crimeboard_stats::Period,
    out: &Path,
    threshold: i64,
    structure: Structure,
) -> Result<()> {
    let data = registry.open_data(period, threshold, structure)?;
    let detail =
        format!("period={period} threshold={threshold} structure={} out={}", structure.as_str(), out.display());
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    /// Every option and argument of every command, however deep, says what
    /// it is for in `--help`.
    #[test]
    fn every_option_of_every_command_is_described() {
        fn walk(command: &clap::Command, path: &str, undescribed: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if id != "help" && id != "version" && arg.get_help().is_none() {
                    undescribed.push(format!("{path} {id}"));
                }
            }
            for sub in command.get_subcommands() {
                if sub.get_about().is_none() && sub.get_name() != "help" {
                    undescribed.push(format!("{path} {} (the command)", sub.get_name()));
                }
                walk(sub, &format!("{path} {}", sub.get_name()), undescribed);
            }
        }
        let mut command = Cli::command();
        command.build();
        let mut undescribed = Vec::new();
        walk(&command, "crimeboard", &mut undescribed);
        assert!(undescribed.is_empty(), "without a description: {undescribed:#?}");
    }

    /// The help shows the defaults and values that are really taken.
    #[test]
    fn the_report_help_shows_its_real_default_and_values() {
        let mut command = Cli::command();
        command.build();
        let help = command.find_subcommand_mut("report").expect("report").render_long_help().to_string();
        assert!(help.contains("[default: text]") && !help.contains("[default: txt]"), "{help}");
        assert!(help.contains("az") && help.contains("ru") && help.contains("en"), "{help}");
        let format = help.split("--format").nth(1).expect("--format");
        assert!(format.contains("xlsx") && format.contains("pdf"), "{help}");
        let serve = Cli::command().find_subcommand("serve").and_then(|c| c.get_about()).map(|a| a.to_string());
        assert!(serve.is_some_and(|about| about.contains("pages")), "serve says it serves the pages too");
    }

    #[test]
    fn a_binary_format_is_refused_on_a_terminal_only() {
        for format in [Format::Xlsx, Format::Pdf] {
            let err = refuse_binary_to_terminal(format, None, true).unwrap_err().to_string();
            assert!(err.contains("--out"), "{err}");
            refuse_binary_to_terminal(format, None, false).expect("a pipe takes it");
            refuse_binary_to_terminal(format, Some(Path::new("r.bin")), true).expect("a file takes it");
        }
        for format in [Format::Text, Format::Json, Format::Csv] {
            refuse_binary_to_terminal(format, None, true).expect("text reads on a terminal");
        }
    }

    #[test]
    fn the_demo_says_where_to_sign_in_and_where_the_report_is() {
        let bound = Bound { staff: "127.0.0.1:8123".parse().unwrap(), public: Some("127.0.0.1:8124".parse().unwrap()) };
        let text = demo_welcome(bound, Path::new("data/demo-accounts.txt"));
        assert!(text.contains("http://127.0.0.1:8123/auth/login"), "{text}");
        assert!(text.contains("data/demo-accounts.txt"), "{text}");
        assert!(text.contains("http://127.0.0.1:8123/report?period=2024Q1"), "{text}");
        assert!(text.contains("the public site: http://127.0.0.1:8124/"), "{text}");
    }

    #[test]
    fn serve_takes_a_public_address_of_its_own() {
        let cli = Cli::try_parse_from(["crimeboard", "serve", "--db", "x.sqlite", "--public-addr", "0.0.0.0:8443"])
            .expect("parses");
        let Cmd::Serve { public_addr, addr, .. } = cli.command else { panic!("serve") };
        assert_eq!(public_addr, Some("0.0.0.0:8443".parse().unwrap()));
        assert_eq!(addr, "127.0.0.1:8080".parse().unwrap());
        let bare = Cli::try_parse_from(["crimeboard", "serve", "--db", "x.sqlite"]).expect("parses");
        assert!(matches!(bare.command, Cmd::Serve { public_addr: None, .. }), "the public site is opt-in");
        let limited = ["crimeboard", "serve", "--db", "x", "--online-burst", "3", "--online-per-hour", "12"];
        let Cmd::Serve { online_burst, online_per_hour, .. } = Cli::try_parse_from(limited).expect("parses").command
        else {
            panic!("serve")
        };
        assert_eq!((online_burst, online_per_hour), (3, 12), "the online forms' limits are the server's settings");
        let demo = Cli::try_parse_from(["crimeboard", "demo"]).expect("parses");
        assert!(
            matches!(demo.command, Cmd::Demo { public_addr, .. } if public_addr.port() == 8081),
            "the demo serves both"
        );
    }
}
