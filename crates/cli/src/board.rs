//! `board briefing`: the briefing pack before a Board meeting, written as
//! JSON, a workbook or a PDF from the registers at the current or a stated
//! journal position.

use crate::database::Missing;
use crate::{DbArgs, refuse_binary_to_terminal};
use anyhow::{Context as _, Result};
use crimeboard_domain::units::UnitCode;
use crimeboard_export::Format;
use crimeboard_service::audit::Actor;
use crimeboard_stats::briefing::{BriefingItem, BriefingRequest, UnitTasks, parse_agenda, parse_units};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum BoardCmd {
    /// The briefing pack before a meeting: for each agenda item and reporting unit the
    /// item's indicators against the same period a year before (as the Board's report has
    /// them), the unit's rank among its peers, its tasks and its deadlines kept.
    Briefing {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: BriefingArgs,
    },
}

#[derive(clap::Args)]
pub struct BriefingArgs {
    /// The period under review: 2024Q1, 2024H1, 2024-03, 2024, ytd:2024-04-19, ... as for `report`.
    #[arg(long)]
    period: String,
    /// The agenda as a TOML file: `[[item]]` with `topic` and `indicators` (the counting rules'
    /// codes), and optionally each unit's tasks from earlier meetings, `[tasks]` `BAK-NSM = { open = 3, overdue = 1 }`.
    #[arg(long, required_unless_present = "items", conflicts_with = "items")]
    agenda: Option<PathBuf>,
    /// The agenda written out: items between semicolons, each a topic, a colon and the
    /// indicators' codes separated by commas: "Theft: theft, robbery; Roads: traffic_accidents".
    #[arg(long)]
    items: Option<String>,
    /// The reporting units' codes, separated by commas: BAK-NSM,BAK-YAS.
    #[arg(long)]
    units: String,
    /// json, xlsx or pdf (A4, fonts embedded); xlsx and pdf need --out or a pipe, never a terminal.
    #[arg(long, default_value = "json", value_parser = ["json", "xlsx", "pdf"])]
    format: String,
    /// The pack as it read at this journal position, recounted from the journal.
    #[arg(long)]
    at: Option<i64>,
    /// Write to this file instead of standard output.
    #[arg(long, short, visible_alias = "out")]
    output: Option<PathBuf>,
}

/// An agenda file.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AgendaFile {
    item: Vec<BriefingItem>,
    #[serde(default)]
    tasks: BTreeMap<String, UnitTasks>,
}

pub fn board(command: BoardCmd, lang: Option<&str>) -> Result<()> {
    let BoardCmd::Briefing { db, args } = command;
    let period = crimeboard_stats::Period::parse(&args.period)?;
    let format: Format = args.format.parse()?;
    let asked: Option<crimeboard_export::Lang> = lang.map(str::parse).transpose()?;
    refuse_binary_to_terminal(format, args.output.as_deref(), std::io::IsTerminal::is_terminal(&std::io::stdout()))?;
    let (items, tasks) = match (&args.agenda, &args.items) {
        (Some(file), _) => read_agenda(file)?,
        (None, items) => (parse_agenda(items.as_deref().unwrap_or(""))?, BTreeMap::new()),
    };
    let units = parse_units(&args.units)?;
    let request = BriefingRequest { period, items, units, tasks };
    let registry = db.open(Missing::Refuse)?;
    let lang = match asked {
        Some(lang) => lang,
        None => registry.jurisdiction().default_language.parse()?,
    };
    let pack = registry.briefing(&request, args.at)?;
    let bytes = match format {
        Format::Pdf => crimeboard_export::briefing_pdf(&pack, lang)?,
        Format::Xlsx => crimeboard_export::briefing_xlsx(&pack, lang)?,
        _ => crimeboard_export::briefing_json(&pack, lang),
    };
    let detail = format!("period={} units={} format={} at={:?}", args.period, args.units, args.format, args.at);
    registry.audit(&Actor::cli(), "export.briefing", "", &detail)?;
    match &args.output {
        Some(path) => std::fs::write(path, bytes).with_context(|| path.display().to_string())?,
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(())
}

/// The items and the units' tasks of an agenda file, each problem named by
/// the file (and TOML's line and key).
fn read_agenda(file: &Path) -> Result<(Vec<BriefingItem>, BTreeMap<UnitCode, UnitTasks>)> {
    let text = std::fs::read_to_string(file).with_context(|| file.display().to_string())?;
    let agenda: AgendaFile = toml::from_str(&text).with_context(|| file.display().to_string())?;
    let mut tasks = BTreeMap::new();
    for (code, counts) in agenda.tasks {
        let unit = UnitCode::parse(&code).map_err(|mut v| {
            v.field = format!("tasks.{code}");
            crimeboard_domain::error::Rejected(vec![v])
        });
        tasks.insert(unit.with_context(|| file.display().to_string())?, counts);
    }
    Ok((agenda.item, tasks))
}
