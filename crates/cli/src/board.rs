//! `board briefing`: the briefing pack before a Board meeting, written as
//! JSON, a workbook or a PDF from the registers at the current or a stated
//! journal position, for a stored meeting or an agenda typed; `board memo`:
//! a meeting's memo of commitments as text or CSV; `board tasks` and
//! `board sheet`: a unit's follow-up queue and the controller's sheet.

use crate::database::Missing;
use crate::{DbArgs, refuse_binary_to_terminal};
use anyhow::{Context as _, Result};
use crimeboard_domain::task::TaskStatus;
use crimeboard_export::Format;
use crimeboard_service::audit::Actor;
use crimeboard_service::{SheetFilter, TaskPage};
use crimeboard_stats::briefing::{BriefingItem, BriefingRequest, parse_agenda, parse_units};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use uuid::Uuid;

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
    /// The memo of commitments of a meeting: every task it created with its owner,
    /// co-executors, controller, due date and control level as issued, dated the meeting's day.
    Memo {
        #[command(flatten)]
        db: DbArgs,
        /// The meeting's id (as `GET /api/meetings` lists it).
        #[arg(long)]
        meeting: Uuid,
        /// txt (for print or mail) or csv.
        #[arg(long, default_value = "txt", value_parser = ["txt", "csv"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long, short, visible_alias = "out")]
        output: Option<PathBuf>,
    },
    /// A unit's follow-up queue: its tasks not closed (owned or co-executed) and those of
    /// units below that escalated to it, nearest due first, each with its step on the ladder.
    Tasks {
        #[command(flatten)]
        db: DbArgs,
        /// The unit's code.
        #[arg(long)]
        unit: String,
    },
    /// The controller's sheet: every task, nearest due first, filtered.
    Sheet {
        #[command(flatten)]
        db: DbArgs,
        /// open, closure_asked, extension_asked or closed.
        #[arg(long, value_parser = ["open", "closure_asked", "extension_asked", "closed"])]
        status: Option<String>,
        /// Tasks owned by this unit and the units below it.
        #[arg(long)]
        unit: Option<String>,
        /// Tasks this login controls.
        #[arg(long)]
        controller: Option<String>,
        /// Tasks of this meeting.
        #[arg(long)]
        meeting: Option<Uuid>,
    },
}

#[derive(clap::Args)]
pub struct BriefingArgs {
    /// A stored meeting's id: the pack for its period under review, its agenda and its
    /// reporting units, each unit's tasks as they stood on the meeting's day. Instead of
    /// --period, --agenda or --items, and --units.
    #[arg(long, conflicts_with_all = ["period", "agenda", "items", "units"])]
    meeting: Option<Uuid>,
    /// The period under review: 2024Q1, 2024H1, 2024-03, 2024, ytd:2024-04-19, ... as for `report`.
    #[arg(long, required_unless_present = "meeting")]
    period: Option<String>,
    /// The agenda as a TOML file: `[[item]]` with `topic` and `indicators` (the counting rules' codes).
    #[arg(long, required_unless_present_any = ["items", "meeting"], conflicts_with = "items")]
    agenda: Option<PathBuf>,
    /// The agenda written out: items between semicolons, each a topic, a colon and the
    /// indicators' codes separated by commas: "Theft: theft, robbery; Roads: traffic_accidents".
    #[arg(long)]
    items: Option<String>,
    /// The reporting units' codes, separated by commas: BAK-NSM,BAK-YAS.
    #[arg(long, required_unless_present = "meeting")]
    units: Option<String>,
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

/// An agenda file. The units' tasks are the register's, never typed.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AgendaFile {
    item: Vec<BriefingItem>,
}

pub fn board(command: BoardCmd, lang: Option<&str>) -> Result<()> {
    match command {
        BoardCmd::Briefing { db, args } => briefing(&db, &args, lang),
        BoardCmd::Memo { db, meeting, format, output } => memo(&db, meeting, &format, output.as_deref(), lang),
        BoardCmd::Tasks { db, unit } => {
            let registry = db.open(Missing::Refuse)?;
            print_lines(&registry.task_queue(&unit, Some(1), Some(crimeboard_service::MAX_PER_PAGE))?);
            Ok(())
        }
        BoardCmd::Sheet { db, status, unit, controller, meeting } => {
            let registry = db.open(Missing::Refuse)?;
            let filter = SheetFilter {
                status: status.as_deref().and_then(TaskStatus::parse),
                unit,
                controller,
                meeting_id: meeting,
                per_page: Some(crimeboard_service::MAX_PER_PAGE),
                ..SheetFilter::default()
            };
            print_lines(&registry.task_sheet(&filter)?);
            Ok(())
        }
    }
}

fn briefing(db: &DbArgs, args: &BriefingArgs, lang: Option<&str>) -> Result<()> {
    let format: Format = args.format.parse()?;
    let asked: Option<crimeboard_export::Lang> = lang.map(str::parse).transpose()?;
    refuse_binary_to_terminal(format, args.output.as_deref(), std::io::IsTerminal::is_terminal(&std::io::stdout()))?;
    let typed = match args.meeting {
        Some(_) => None,
        None => {
            let period = crimeboard_stats::Period::parse(args.period.as_deref().unwrap_or_default())?;
            let items = match (&args.agenda, &args.items) {
                (Some(file), _) => read_agenda(file)?,
                (None, items) => parse_agenda(items.as_deref().unwrap_or(""))?,
            };
            let units = parse_units(args.units.as_deref().unwrap_or_default())?;
            Some(BriefingRequest { period, items, units, tasks: BTreeMap::new() })
        }
    };
    let registry = db.open(Missing::Refuse)?;
    let lang = match asked {
        Some(lang) => lang,
        None => registry.jurisdiction().default_language.parse()?,
    };
    let (pack, asked) = match (&typed, args.meeting) {
        (Some(request), _) => {
            let units = request.units.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(",");
            (registry.briefing_for_period(request, args.at)?, format!("period={} units={units}", request.period))
        }
        (None, Some(id)) => (registry.briefing_for_meeting(id, args.at)?, format!("meeting={id}")),
        (None, None) => unreachable!("clap asks for a meeting or a period"),
    };
    let bytes = match format {
        Format::Pdf => crimeboard_export::briefing_pdf(&pack, lang)?,
        Format::Xlsx => crimeboard_export::briefing_xlsx(&pack, lang)?,
        _ => crimeboard_export::briefing_json(&pack, lang),
    };
    let detail = format!("{asked} format={} at={:?}", args.format, args.at);
    registry.audit(&Actor::cli(), "export.briefing", "", &detail)?;
    write_out(args.output.as_deref(), &bytes)
}

/// The memo of commitments: the meeting's tasks (its own and their
/// sub-tasks) in their numbers' order, as issued.
fn memo(db: &DbArgs, meeting: Uuid, format: &str, output: Option<&Path>, lang: Option<&str>) -> Result<()> {
    let asked: Option<crimeboard_export::Lang> = lang.map(str::parse).transpose()?;
    let registry = db.open(Missing::Refuse)?;
    let lang = match asked {
        Some(lang) => lang,
        None => registry.jurisdiction().default_language.parse()?,
    };
    let memo = registry.commitments_memo(meeting)?;
    let tasks = memo.tasks.iter().map(|line| registry.task(line.id)).collect::<Result<Vec<_>, _>>()?;
    let bytes = match format {
        "csv" => crimeboard_export::memo_csv(&tasks, lang),
        _ => crimeboard_export::memo_text(&memo.meeting, &tasks, lang).into_bytes(),
    };
    write_out(output, &bytes)
}

fn write_out(output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match output {
        Some(path) => std::fs::write(path, bytes).with_context(|| path.display().to_string())?,
        None => {
            use std::io::Write;
            std::io::stdout().write_all(bytes)?;
        }
    }
    Ok(())
}

/// One line a task: due date, step on the ladder (`-` when none), status,
/// number, owner, `escalated` when it climbed from a unit below, and its text.
fn print_lines(page: &TaskPage) {
    println!("today: {}", page.today);
    for l in &page.items {
        let step = l.step.map_or("-", |s| s.as_str());
        let escalated = if l.escalated { " escalated" } else { "" };
        println!(
            "{} {:<10} {:<15} {} {}{escalated}  {}",
            l.due_on,
            step,
            l.status.as_str(),
            l.number,
            l.owner.as_str(),
            l.text
        );
    }
    if page.has_more {
        println!("more: {} in all", page.total);
    }
}

/// The items of an agenda file, each problem named by the file (and TOML's line and key).
fn read_agenda(file: &Path) -> Result<Vec<BriefingItem>> {
    let text = std::fs::read_to_string(file).with_context(|| file.display().to_string())?;
    let agenda: AgendaFile = toml::from_str(&text).with_context(|| file.display().to_string())?;
    Ok(agenda.item)
}
