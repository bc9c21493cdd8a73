//! Inspection beyond the domain's rules: a sample's draw reads the
//! population from the sampled unit's journal, and the reads: a sample with
//! its findings and estimate (docs/integrity.md, "How an inspector samples
//! and reviews").

use crate::{Registry, Result, ServiceError, act_of};
use crimeboard_domain::inspection::{self, DrawSample, Drawable, Drawn, Estimate, MAX_SEED, Sample};
use crimeboard_domain::rules::Rules;
use crimeboard_domain::{Command, Entity, Rejected};
use serde::Serialize;
use uuid::Uuid;

/// How many journal entries one read of a unit's journal takes.
const JOURNAL_PAGE: u64 = 1000;

/// What a draw keeps in its act: the population read from the unit's
/// journal as it stands, the seed (the one typed, else one from the
/// operating system) and the decisions drawn. A sample larger than its
/// population is refused naming the population.
pub(crate) fn drawn(registry: &Registry, command: &Command, rules: &Rules) -> Result<Option<Drawn>> {
    let Command::DrawSample(d) = command else { return Ok(None) };
    let population = population(registry, d, rules)?;
    inspection::check_population(d.size, population.len()).map_err(Rejected::from)?;
    let seed = d.seed.unwrap_or_else(fresh_seed);
    let items = inspection::draw(&population, d.size, seed);
    let size = u32::try_from(population.len()).unwrap_or(u32::MAX);
    Ok(Some(Drawn { seed, population: size, items }))
}

/// The decisions a draw is made from, read from the unit's journal.
pub fn population(registry: &Registry, d: &DrawSample, rules: &Rules) -> Result<Vec<Drawable>> {
    let mut entries = Vec::new();
    let mut after = 0;
    loop {
        let page = registry.journal(Some(d.unit.as_str()), after, JOURNAL_PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.position;
        let full = page.len() as u64 == JOURNAL_PAGE;
        for e in page {
            entries.push((e.seq, e.act_id, e.recorded_at, act_of(&e)?));
        }
        if !full {
            break;
        }
    }
    let acts = entries.iter().map(|(seq, id, at, act)| (*seq, *id, *at, act));
    Ok(inspection::population(d.kind, acts, d.period_from, d.period_to, rules))
}

/// A seed from the operating system's randomness, as an id is drawn.
fn fresh_seed() -> u64 {
    (Uuid::new_v4().as_u128() as u64) & MAX_SEED
}

/// A sample as its page and the API show it: the sample and its estimate.
#[derive(Debug, Clone, Serialize)]
pub struct SampleView {
    pub sample: Sample,
    pub estimate: Estimate,
}

impl Registry {
    /// A sample with its estimate; `NotFound` for an entry of another register.
    pub fn sample(&self, id: Uuid) -> Result<SampleView> {
        match self.entity(id)? {
            Entity::Sample(sample) => {
                let estimate = sample.estimate();
                Ok(SampleView { sample, estimate })
            }
            _ => Err(ServiceError::NotFound),
        }
    }

    /// Draws again what a recorded sample drew, from its unit's journal as
    /// it stands and the seed kept: the same decisions while none of the
    /// population was annulled or recorded since within the period.
    pub fn redraw(&self, sample: &Sample) -> Result<Vec<Drawable>> {
        let d = DrawSample {
            unit: sample.unit.clone(),
            kind: sample.kind,
            period_from: sample.period_from,
            period_to: sample.period_to,
            size: u32::try_from(sample.items.len()).unwrap_or(u32::MAX),
            seed: Some(sample.seed),
        };
        let population = population(self, &d, &self.jurisdiction().rules)?;
        Ok(inspection::draw(&population, d.size, sample.seed))
    }
}
