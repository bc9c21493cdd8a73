//! Inspection of recording (docs/integrity.md, "How an inspector samples and
//! reviews"): an inspector draws a random sample of a unit's decisions of one
//! kind over a period, reviews each decision drawn, and reads the estimated
//! share of wrong decisions among all of them with its confidence interval.
//!
//! A sample is an entry of its own register (`EntityKind::Sample`, `IS-`).
//! What it was drawn from is the unit's journal: every act of the kind the
//! sample names, not annulled, dated within the period ([`population`]). The
//! draw is a seeded shuffle ([`draw`]) whose seed, population size and drawn
//! acts the act keeps (`Assigned::drawn`), so anyone holding the journal can
//! draw again and find the same acts.

use crate::act::{Act, Command};
use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::report::ReportOutcome;
use crate::rules::Rules;
use crate::units::UnitCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most decisions one sample may draw: a review is a person's reading
/// of each of them.
pub const MAX_SIZE: u32 = 500;
/// The largest seed a sample may be drawn with: every seed stays exact in a
/// JSON reader that holds numbers as doubles (2^53 - 1).
pub const MAX_SEED: u64 = (1 << 53) - 1;
/// The longest note a review may carry.
pub const MAX_NOTE: usize = 2000;

/// Which of a unit's decisions a sample is drawn from. A kind is one arm
/// here and one in [`SampleKind::counts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SampleKind {
    /// Crime reports refused (a report's decision `refuse`).
    Refusals,
    /// A case's offence changed (`reclassify`).
    Reclassifications,
    /// Recorded acts annulled (`annul`).
    Annulments,
    /// Cancellations of recorded crimes approved (`decide_cancellation`
    /// approving): the decisions that took a crime out of the figures. A
    /// refused request changed nothing and is not drawn.
    Cancellations,
}

impl SampleKind {
    pub const ALL: [SampleKind; 4] =
        [SampleKind::Refusals, SampleKind::Reclassifications, SampleKind::Annulments, SampleKind::Cancellations];

    pub fn as_str(self) -> &'static str {
        match self {
            SampleKind::Refusals => "refusals",
            SampleKind::Reclassifications => "reclassifications",
            SampleKind::Annulments => "annulments",
            SampleKind::Cancellations => "cancellations",
        }
    }

    pub fn parse(s: &str) -> Option<SampleKind> {
        SampleKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether an act is a decision of this kind, and if so the instant it
    /// dates itself by (an annulment has none of its own: its recording's)
    /// and the record it decided on (none for an annulment, which names an
    /// act).
    fn counts(self, act: &Act, recorded_at: DateTime<Utc>) -> Option<(DateTime<Utc>, Option<Uuid>)> {
        match (self, &act.command) {
            (SampleKind::Refusals, Command::DecideReport(d)) if matches!(d.outcome, ReportOutcome::Refuse { .. }) => {
                Some((d.decided_at, Some(d.report_id)))
            }
            (SampleKind::Reclassifications, Command::Reclassify(r)) => Some((r.decided_at, Some(r.case_id))),
            (SampleKind::Annulments, Command::Annul(_)) => Some((recorded_at, None)),
            (SampleKind::Cancellations, Command::DecideCancellation(d)) if d.approve => {
                Some((d.decided_at, Some(d.case_id)))
            }
            _ => None,
        }
    }
}

/// What is typed to draw a sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DrawSample {
    /// The unit whose own decisions (its journal's) are drawn from.
    pub unit: UnitCode,
    pub kind: SampleKind,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// How many decisions to draw.
    pub size: u32,
    /// The seed to draw with; the system picks one when none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// A review's finding on one decision drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    Correct,
    Wrong,
    Unclear,
}

impl Finding {
    pub const ALL: [Finding; 3] = [Finding::Correct, Finding::Wrong, Finding::Unclear];

    pub fn as_str(self) -> &'static str {
        match self {
            Finding::Correct => "correct",
            Finding::Wrong => "wrong",
            Finding::Unclear => "unclear",
        }
    }

    pub fn parse(s: &str) -> Option<Finding> {
        Finding::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// The review of one decision of a sample, named by its place in the
/// sampled unit's journal. A later review of the same decision replaces
/// the earlier one; the journal keeps both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewSample {
    pub sample_id: Uuid,
    /// The decision's place (`seq`) in the sampled unit's journal.
    pub seq: i64,
    pub finding: Finding,
    /// Why it was found wrong or unclear: required then.
    #[serde(default)]
    pub note: String,
}

/// One decision of the population: its act in the unit's journal, the day
/// it dates itself by and the record it decided on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Drawable {
    pub seq: i64,
    pub act_id: Uuid,
    pub on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Uuid>,
}

/// What the system kept of a draw: the seed, how many decisions there were
/// to draw from, and the ones drawn, in the unit journal's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Drawn {
    pub seed: u64,
    pub population: u32,
    pub items: Vec<Drawable>,
}

/// A review as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub finding: Finding,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub on: NaiveDate,
}

/// A decision drawn, with its review once made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SampledDecision {
    #[serde(flatten)]
    pub drawn: Drawable,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
}

/// A sample as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sample {
    pub id: Uuid,
    pub number: String,
    pub unit: UnitCode,
    pub kind: SampleKind,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub seed: u64,
    pub population: u32,
    pub drawn_on: NaiveDate,
    pub items: Vec<SampledDecision>,
}

impl Sample {
    /// `reviewed` once every decision drawn has a finding, `open` before.
    pub fn status(&self) -> &'static str {
        if self.items.iter().all(|i| i.review.is_some()) { "reviewed" } else { "open" }
    }

    pub fn estimate(&self) -> Estimate {
        let findings = self.items.iter().filter_map(|i| i.review.as_ref().map(|r| r.finding));
        Estimate::of(findings, self.population)
    }
}

/// The decisions of `kind` in a unit's journal dated within the period, in
/// the journal's order: `entries` is the unit's journal as (seq, act id,
/// recorded at, act), in order. A decision annulled since is not one any
/// more; an annulment is always in the journal it annuls in.
pub fn population<'a>(
    kind: SampleKind,
    entries: impl IntoIterator<Item = (i64, Uuid, DateTime<Utc>, &'a Act)> + Clone,
    from: NaiveDate,
    to: NaiveDate,
    rules: &Rules,
) -> Vec<Drawable> {
    let annulled: std::collections::BTreeSet<i64> = entries
        .clone()
        .into_iter()
        .filter_map(|(_, _, _, act)| match &act.command {
            Command::Annul(a) => Some(a.seq),
            _ => None,
        })
        .collect();
    entries
        .into_iter()
        .filter(|(seq, ..)| !annulled.contains(seq))
        .filter_map(|(seq, act_id, recorded_at, act)| {
            let (at, record) = kind.counts(act, recorded_at)?;
            let on = rules.local_date(at);
            (from..=to).contains(&on).then_some(Drawable { seq, act_id, on, record })
        })
        .collect()
}

/// Draws `size` of the population uniformly without replacement: the first
/// `size` steps of a Fisher–Yates shuffle driven by SplitMix64 from `seed`,
/// the drawn returned in the population's order. Same population and seed,
/// same sample.
pub fn draw(population: &[Drawable], size: u32, seed: u64) -> Vec<Drawable> {
    let mut rng = SplitMix64(seed);
    let mut order: Vec<usize> = (0..population.len()).collect();
    let take = (size as usize).min(order.len());
    for i in 0..take {
        let j = i + rng.below((order.len() - i) as u64) as usize;
        order.swap(i, j);
    }
    let mut chosen = order[..take].to_vec();
    chosen.sort_unstable();
    chosen.into_iter().map(|i| population[i].clone()).collect()
}

/// SplitMix64 (Steele, Lea and Flood 2014): a generator a reader can write
/// again in a few lines to check a draw.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0): values of the last incomplete span of
    /// `n` are drawn again, so no remainder is favoured.
    fn below(&mut self, n: u64) -> u64 {
        let limit = u64::MAX - u64::MAX % n;
        loop {
            let v = self.next();
            if v < limit {
                return v % n;
            }
        }
    }
}

/// The rules a draw's input must satisfy before the population is read.
pub(crate) fn check_draw(d: &DrawSample, ctx: &Context, checks: &mut Checks) {
    checks.absorb(ctx.units.require("unit", &d.unit));
    checks.check(d.period_from <= d.period_to, || Violation::new("period_from", "date.range_reversed"));
    checks.check(d.period_from <= ctx.today(), || {
        Violation::new("period_from", "sample.period_not_begun").with("today", ctx.today())
    });
    checks.check((1..=MAX_SIZE).contains(&d.size), || {
        Violation::new("size", "number.range").with("min", 1).with("max", MAX_SIZE)
    });
    if let Some(seed) = d.seed {
        checks.check(seed <= MAX_SEED, || Violation::new("seed", "number.range").with("min", 0).with("max", MAX_SEED));
    }
}

/// A sample cannot draw more decisions than there are.
pub fn check_population(size: u32, population: usize) -> Result<(), Violation> {
    if size as usize > population {
        return Err(Violation::new("size", "sample.larger_than_population").with("population", population));
    }
    Ok(())
}

pub(crate) fn check_review(s: &Sample, r: &ReviewSample, checks: &mut Checks) {
    checks.check(s.items.iter().any(|i| i.drawn.seq == r.seq), || {
        Violation::new("seq", "sample.not_in_sample").with("sample", &s.number)
    });
    let explained = r.finding == Finding::Correct || !r.note.trim().is_empty();
    checks.check(explained, || Violation::new("note", "sample.note_required").with("finding", r.finding.as_str()));
    checks.check(r.note.chars().count() <= MAX_NOTE, || Violation::new("note", "text.too_long").with("max", MAX_NOTE));
}

pub(crate) fn open(id: Uuid, number: &str, d: &DrawSample, drawn: &Drawn, on: NaiveDate) -> Sample {
    Sample {
        id,
        number: number.to_string(),
        unit: d.unit.clone(),
        kind: d.kind,
        period_from: d.period_from,
        period_to: d.period_to,
        seed: drawn.seed,
        population: drawn.population,
        drawn_on: on,
        items: drawn.items.iter().map(|d| SampledDecision { drawn: d.clone(), review: None }).collect(),
    }
}

pub(crate) fn review(s: &mut Sample, r: &ReviewSample, on: NaiveDate) {
    if let Some(item) = s.items.iter_mut().find(|i| i.drawn.seq == r.seq) {
        item.review = Some(Review { finding: r.finding, note: r.note.trim().to_string(), on });
    }
}

/// A share with its 95 % confidence interval, all as fractions of one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Share {
    pub rate: f64,
    pub low: f64,
    pub high: f64,
}

/// What a sample's reviews say of the population: the share found wrong,
/// and the pessimistic share counting the unclear ones as wrong too.
/// `None` shares until a decision is reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Estimate {
    pub population: u32,
    pub reviewed: u32,
    pub wrong: u32,
    pub unclear: u32,
    pub wrong_share: Option<Share>,
    pub wrong_or_unclear_share: Option<Share>,
}

/// The normal quantile of a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

impl Estimate {
    pub fn of(findings: impl IntoIterator<Item = Finding>, population: u32) -> Estimate {
        let (mut reviewed, mut wrong, mut unclear) = (0, 0, 0);
        for f in findings {
            reviewed += 1;
            match f {
                Finding::Correct => {}
                Finding::Wrong => wrong += 1,
                Finding::Unclear => unclear += 1,
            }
        }
        Estimate {
            population,
            reviewed,
            wrong,
            unclear,
            wrong_share: share(wrong, reviewed, population),
            wrong_or_unclear_share: share(wrong + unclear, reviewed, population),
        }
    }
}

/// The Wilson score interval of `errors` in `n` drawn without replacement
/// from `population`, with the finite population correction: the variance
/// p(1-p)/n shrinks by (N-n)/(N-1), which is Wilson's formula with the
/// effective size n' = n (N-1)/(N-n). A census (n = N) knows the share
/// exactly. docs/methods.md works an example.
pub fn share(errors: u32, n: u32, population: u32) -> Option<Share> {
    if n == 0 {
        return None;
    }
    let p = f64::from(errors) / f64::from(n);
    if n >= population {
        return Some(Share { rate: p, low: p, high: p });
    }
    let (n, big_n) = (f64::from(n), f64::from(population));
    let effective = n * (big_n - 1.0) / (big_n - n);
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / effective;
    let centre = (p + z2 / (2.0 * effective)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / effective + z2 / (4.0 * effective * effective)).sqrt();
    Some(Share { rate: p, low: (centre - half).max(0.0), high: (centre + half).min(1.0) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-5
    }

    /// 3 wrong of 20 reviewed from 240 refusals, by hand:
    /// p = 3/20 = 0.15; n' = 20 * 239 / 220 = 21.7273; z² = 3.8415;
    /// z²/n' = 0.17680, so the denominator is 1.17680;
    /// centre = (0.15 + 0.08840) / 1.17680 = 0.20268;
    /// half = 1.96 / 1.17680 * sqrt(0.1275 / 21.7273 + 3.8415 / (4 * 472.07))
    ///      = 1.66550 * sqrt(0.0058682 + 0.0020344) = 1.66550 * 0.088896 = 0.14806;
    /// interval 0.05453 to 0.35064. Without the correction (n' = 20) it is
    /// the textbook Wilson interval 0.0524 to 0.3604, a little wider.
    #[test]
    fn the_interval_of_three_wrong_in_twenty_of_240_is_the_one_worked_by_hand() {
        let s = share(3, 20, 240).unwrap();
        assert!(close(s.rate, 0.15));
        assert!(close(s.low, 0.05453), "{s:?}");
        assert!(close(s.high, 0.35064), "{s:?}");
        let textbook = share(3, 20, u32::MAX).unwrap();
        assert!(close(textbook.low, 0.05237) && close(textbook.high, 0.36042), "{textbook:?}");
    }

    /// None wrong of 10 from 50: p = 0, n' = 10 * 49 / 40 = 12.25,
    /// z²/n' = 0.31359, centre = 0.15680 / 1.31359 = 0.11937, half the
    /// same (p(1-p) = 0), so 0 to 0.23873.
    #[test]
    fn none_wrong_still_leaves_an_upper_bound() {
        let s = share(0, 10, 50).unwrap();
        assert_eq!(s.low, 0.0);
        assert!(close(s.high, 0.23873), "{s:?}");
    }

    #[test]
    fn a_census_knows_the_share_and_nothing_reviewed_knows_none() {
        assert_eq!(share(2, 4, 4), Some(Share { rate: 0.5, low: 0.5, high: 0.5 }));
        assert_eq!(share(0, 0, 40), None);
    }

    #[test]
    fn unclear_findings_are_apart_and_counted_wrong_in_the_pessimistic_share() {
        use Finding::*;
        let findings = [[Wrong; 3].as_slice(), &[Unclear; 2], &[Correct; 15]].concat();
        let e = Estimate::of(findings, 240);
        assert_eq!((e.reviewed, e.wrong, e.unclear), (20, 3, 2));
        assert_eq!(e.wrong_share, share(3, 20, 240));
        // 5 of 20 from 240, by the same formula: 0.11557 to 0.45955.
        let pessimistic = e.wrong_or_unclear_share.unwrap();
        assert!(close(pessimistic.rate, 0.25) && close(pessimistic.low, 0.11557), "{pessimistic:?}");
        assert!(close(pessimistic.high, 0.45955), "{pessimistic:?}");
    }

    fn population_of(n: i64) -> Vec<Drawable> {
        let on = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        (1..=n).map(|seq| Drawable { seq, act_id: Uuid::from_u128(seq as u128), on, record: None }).collect()
    }

    #[test]
    fn a_draw_is_the_same_from_the_same_population_and_seed_and_another_from_another_seed() {
        let all = population_of(240);
        let first = draw(&all, 20, 42);
        assert_eq!(first, draw(&all, 20, 42));
        assert_eq!(first.len(), 20);
        assert!(first.windows(2).all(|w| w[0].seq < w[1].seq), "drawn in the journal's order, each once");
        assert_ne!(first, draw(&all, 20, 43));
        assert_eq!(draw(&all[..5], 5, 7), all[..5].to_vec(), "a census draws everyone");
    }

    #[test]
    fn every_decision_is_as_likely_to_be_drawn() {
        // 2000 draws of 1 from 4: each about 500 times (a chance of a count
        // outside 400..600 is below one in a million).
        let all = population_of(4);
        let mut counts = [0; 4];
        for seed in 0..2000 {
            counts[(draw(&all, 1, seed)[0].seq - 1) as usize] += 1;
        }
        assert!(counts.iter().all(|c| (400..600).contains(c)), "{counts:?}");
    }

    #[test]
    fn a_sample_larger_than_its_population_is_refused_naming_the_population() {
        let v = check_population(21, 20).unwrap_err();
        assert_eq!((v.field.as_str(), v.rule.as_str()), ("size", "sample.larger_than_population"));
        assert_eq!(v.param("population"), Some("20"));
        assert!(check_population(20, 20).is_ok());
    }
}
