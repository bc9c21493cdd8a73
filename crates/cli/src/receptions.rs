//! `receptions schedule FILE`: a chief's schedule of receptions of citizens
//! from a TOML file, each `[[session]]` one session as `schedule_reception`
//! takes it, recorded in one batch (every session, or none), under the
//! system's name like the units the machine's owner loads.

use crate::DbArgs;
use crate::database::Missing;
use anyhow::{Context as _, Result};
use crimeboard_domain::Command;
use crimeboard_domain::reception::NewReception;
use crimeboard_service::Submission;
use crimeboard_service::audit::Audited;
use serde::Deserialize;
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum ReceptionsCmd {
    /// Schedules the sessions of a TOML file, each a `[[session]]` with unit, chief
    /// ({ full_name, position }), day, from and to ("10:00", local time), place, capacity
    /// and an optional note: all of them, or none if one breaks a rule.
    Schedule {
        #[command(flatten)]
        db: DbArgs,
        /// The schedule, e.g. schedule.toml.
        file: PathBuf,
        /// The legal ground the acts name.
        #[arg(long, default_value = "Rules on receiving citizens")]
        ground: String,
    },
}

/// A schedule file: its sessions.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Schedule {
    session: Vec<NewReception>,
}

pub fn receptions(command: ReceptionsCmd) -> Result<()> {
    match command {
        ReceptionsCmd::Schedule { db, file, ground } => {
            let text = std::fs::read_to_string(&file).with_context(|| file.display().to_string())?;
            let schedule: Schedule = toml::from_str(&text).with_context(|| file.display().to_string())?;
            let registry = db.open(Missing::Refuse)?;
            let by = registry.system("receptions");
            let submissions: Vec<Submission> = schedule
                .session
                .into_iter()
                .map(|session| Submission {
                    actor: by.login.clone(),
                    legal_ground: ground.clone(),
                    command: Command::ScheduleReception(session),
                    late: None,
                })
                .collect();
            let receipts = registry
                .record_batch(&by, &submissions, None, &Audited::No)
                .with_context(|| file.display().to_string())?;
            for receipt in &receipts {
                println!("{}\t{}", receipt.number.as_deref().unwrap_or_default(), receipt.entity_id);
            }
            eprintln!("crimeboard: {} sessions scheduled", receipts.len());
            Ok(())
        }
    }
}
