//! A deterministic demo country for crimeboard: its registers recorded
//! through the real write path (`Registry::record_batch`), so the journal,
//! the projections and the counters are exactly what users would produce.
//!
//! Two sizes:
//! - [`DemoSize::Seed`] tells the press release's story
//!   (`shared/seed/mia-collegium-2024-04-19.txt`): 2023 and the first half
//!   of 2024 (after a lead-in quarter), with the Board's report for 2024Q1 against 2023Q1 stating its
//!   figures exactly (see `seed.rs` for how exactness is planned); then on,
//!   in the same manner, to the day it is generated, which leaves work
//!   waiting in every role's queue (`seed/recent.rs`); and the Board's
//!   meeting of that day with its tasks and their follow-up (`board.rs`);
//! - [`DemoSize::Large`] spreads the same kinds of data over many years and
//!   units for benchmarks, streamed in batches.
//!
//! The same options on the same day always give the same data (ids and
//! journal timestamps aside, which the registry assigns).

mod appeals;
mod board;
mod clock;
mod contacts;
mod crimes;
mod emit;
mod fraud;
mod integrity;
mod large;
mod news;
mod people;
mod plan;
mod receptions;
mod rng;
mod seed;
mod units;

pub use appeals::AppealOutline;
pub use fraud::{HOTLINE as FRAUD_HOTLINE, RINGS as FRAUD_RINGS};
pub use integrity::{DOWNGRADES, LATE, QUARTER_END, quarter_before};
pub use rng::Rng;
pub use units::demo_units;

use anyhow::{Result, anyhow, bail};
use crimeboard_service::Registry;

/// Cases recorded together: their acts go in a few rounds of batches.
pub(crate) const CHUNK_CASES: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub seed: u64,
    pub size: DemoSize,
}

impl Default for DemoOptions {
    fn default() -> Self {
        // The day of the Board meeting the seed reports on.
        DemoOptions { seed: 20_240_419, size: DemoSize::Seed }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DemoSize {
    /// The seed's story: 2023 and 2024H1 (after a lead-in quarter, 2022Q4)
    /// in the shipped units (`crimeboard_service::demo_units`), about 66,000
    /// cases; then every quarter up to the registry's clock, about 9,000
    /// cases each.
    #[default]
    Seed,
    /// `cases` cases over the `years` years up to June 2024. `units` is the
    /// size of the tree added when the registry has none ([`demo_units`]).
    Large { years: u32, units: u32, cases: u64 },
}

/// What was recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub reports: u64,
    pub cases: u64,
    /// Every act recorded, of any kind.
    pub acts: u64,
    /// Persons brought in: applicants, victims, suspects.
    pub persons: u64,
    pub case_decisions: u64,
    pub seizures: u64,
    pub accountabilities: u64,
    pub accidents: u64,
    pub examinations: u64,
    pub ratings: u64,
    /// Citizens' appeals and the chiefs' reception sessions (the seed size).
    pub appeals: u64,
    pub receptions: u64,
    /// The Board's meetings and tasks (the seed size's story).
    pub meetings: u64,
    pub tasks: u64,
}

/// How far the generation is: `done` of `total` `what`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    pub what: &'static str,
}

/// Records the demo data set in `registry`, adding the units first if it
/// has none. The seed size needs an empty journal: its figures are exact
/// only when nothing else is counted with them.
pub fn generate(registry: &Registry, opts: &DemoOptions, progress: &mut dyn FnMut(Progress)) -> Result<DemoSummary> {
    ensure_units(registry, opts.size)?;
    ensure_in_the_past(registry)?;
    let tree = registry.units();
    let recorders = units::Recorders::of(&tree)
        .ok_or_else(|| anyhow!("the unit tree has no district or city police department to record crimes in"))?;
    let mut emitter = emit::Emitter::new(registry, opts.seed);
    match opts.size {
        DemoSize::Seed => {
            if registry.store().position()? != 0 {
                bail!("the seed's figures are exact only in an empty registry, and this one has acts already");
            }
            adopt_demo_pack(registry)?;
            let pack = registry.jurisdiction();
            let clock = (pack.rules.as_ref(), registry.now());
            seed::generate(&mut emitter, &recorders, opts.seed, clock, progress)?;
            fraud::record(&mut emitter)?;
            let citizens = Citizens::plan(registry, &recorders, opts.seed)?;
            let sessions = receptions::emit(&mut emitter, &citizens.sessions)?;
            appeals::emit(&mut emitter, &citizens.appeals, &sessions)?;
            let board = board::generate(registry)?;
            emitter.summary.meetings += board.meetings;
            emitter.summary.tasks += board.tasks;
            emitter.summary.acts += board.acts;
            integrity::record(&mut emitter)?;
        }
        DemoSize::Large { years, cases, .. } => {
            large::generate(&mut emitter, &recorders, opts.seed, years, cases, progress)?
        }
    }
    emitter.summary.acts += contacts::record(registry)?;
    emitter.summary.acts += news::record(registry)?;
    Ok(emitter.summary)
}

/// The seed size's chiefs' receptions and citizens' appeals, planned from
/// the registry's units, pack and clock.
struct Citizens {
    sessions: Vec<receptions::SessionPlan>,
    appeals: Vec<appeals::AppealPlan>,
}

impl Citizens {
    fn plan(registry: &Registry, recorders: &units::Recorders, seed: u64) -> Result<Citizens> {
        let rules = registry.jurisdiction().rules.clone();
        let end = seed::last_day(&rules, registry.now());
        let sessions = receptions::plan(recorders, seed, &rules, end);
        let appeals = appeals::plan(recorders, &registry.units(), &sessions, seed, &rules, end)?;
        Ok(Citizens { sessions, appeals })
    }
}

/// The citizens' appeals the seed size records in `registry` (as it stands
/// once the demo is generated: its units, pack and clock), as planned: what
/// the Board's report counts of each, so a test can recount the report's
/// appeal figures from the plan.
pub fn planned_appeals(registry: &Registry, seed: u64) -> Result<Vec<AppealOutline>> {
    let recorders = units::Recorders::of(&registry.units())
        .ok_or_else(|| anyhow!("the unit tree has no district or city police department"))?;
    Ok(Citizens::plan(registry, &recorders, seed)?.appeals.iter().map(appeals::AppealPlan::outline).collect())
}

/// The demo's journal opens with the adoption of the shipped pack, so the
/// database says which rules its figures were counted under. (A large tree
/// is not the pack's: it stays under the demo pack in force by default.)
fn adopt_demo_pack(registry: &Registry) -> Result<()> {
    let adoption = crimeboard_domain::jurisdiction::Adoption {
        files: crimeboard_service::demo_files(),
        effective_from: chrono::NaiveDate::from_ymd_opt(2014, 1, 1).expect("a date"),
    };
    registry.adopt_jurisdiction(&registry.system(emit::DEMO), "Demonstration data set", adoption)?;
    Ok(())
}

fn ensure_units(registry: &Registry, size: DemoSize) -> Result<()> {
    if !registry.units().is_empty() {
        return Ok(());
    }
    let units = match size {
        DemoSize::Seed => crimeboard_service::demo_units(),
        DemoSize::Large { units, .. } => demo_units(units),
    };
    registry.add_units(&registry.system(emit::DEMO), &units, &registry.units_added_today("Demonstration data set"))?;
    Ok(())
}

/// The registry refuses acts dated in the future; the story's acts are
/// dated on or before its last day.
fn ensure_in_the_past(registry: &Registry) -> Result<()> {
    let now = registry.jurisdiction().rules.local_date(registry.now());
    if now <= seed::end() {
        bail!("the demo's story runs to {}: the registry's clock ({now}) must be past it", seed::end());
    }
    Ok(())
}
