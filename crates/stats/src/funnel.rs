//! Funnel plots: every unit's share against the others, with control limits
//! that widen as a unit's denominator shrinks, so that a small unit's chance
//! variation is not read as failure (Spiegelhalter, "Funnel plots for
//! comparing institutional performance", Statistics in Medicine 2005;24:1185,
//! and "Handling over-dispersion of performance indicators", Quality and
//! Safety in Health Care 2005;14:347).
//!
//! What is computed, exactly (docs/methods.md says it in words):
//!
//! - The target is the pooled share of the units compared, `Σx / Σn`.
//! - A unit's z-score is `(y − p₀) / √(p₀(1 − p₀)/n)`, its share `y = x/n`.
//! - The limits without adjustment are exact binomial limits, interpolated
//!   as the paper's appendix A.1.1 does but with each count's probability
//!   spread half a count either side of it: for the probability `p` (0.001,
//!   0.025, 0.975, 0.999), `r` is the smallest count with `P(R ≤ r) ≥ p` for
//!   `R ~ Binomial(n, p₀)`, `α = (P(R ≤ r) − p) / P(R = r)`, and the limit is
//!   `(r − α + ½) / n`. A count then lies beyond a limit exactly when the
//!   one-sided mid-p binomial test rejects it (`P(R > x) + ½P(R = x) < 1 − p`
//!   above, `P(R < x) + ½P(R = x) < p` below), and the limits are symmetric
//!   about p₀ = ½. The
//!   paper's `(r − α) / n` puts a count's whole probability below it, which
//!   flags 2 of 2 against a target of 84 % as beyond the 99.8 % limit though
//!   seven units in ten of that size would show it. Past a denominator of
//!   [`EXACT_UP_TO`] the normal approximation `p₀ ± z √(p₀(1 − p₀)/n)` is
//!   used, which the exact limits have long converged to.
//! - Over-dispersion: `φ` is the mean of the squared z-scores after
//!   Winsorising them at 10 % each tail (a z-score below the 10th percentile
//!   is set to it, one above the 90th to it; percentiles interpolated
//!   linearly between the sorted z-scores, as R's default `quantile` does).
//!   The units are over-dispersed when `Iφ` exceeds the 95th percentile of
//!   χ² with `I − 1` degrees of freedom (Wilson–Hilferty's approximation),
//!   `I` the units compared; with fewer than [`MIN_UNITS_FOR_DISPERSION`]
//!   units nothing is estimated.
//! - When over-dispersed, the additive random-effects adjustment:
//!   `τ² = (Iφ − (I − 1)) / (Σw − Σw²/Σw)`, `w = 1/s²`, `s² = p₀(1 − p₀)/n`;
//!   the limits become `p₀ ± z √(s² + τ²)` and the z-scores
//!   `(y − p₀) / √(s² + τ²)`.
//! - A unit is beyond a limit when its share lies strictly outside the limit
//!   at its own denominator.
//!
//! A unit with a denominator of 0 has no share and is left out (listed in
//! `excluded`), as is a row whose numerator is not within 0 and its
//! denominator. A target of 0 or 1 leaves nothing to vary: there are no
//! limits, every unit shares the target, and the funnel says so.
//!
//! The bands answer "is this unit's difference more than chance would give?",
//! never "which unit is best": a funnel ranks no one.

use serde::Serialize;

/// The two-sided 95 % point of the standard normal.
pub const Z_95: f64 = 1.959_963_984_540_054;
/// The two-sided 99.8 % point of the standard normal.
pub const Z_998: f64 = 3.090_232_306_167_813;
/// The one-sided 95 % point of the standard normal, for the over-dispersion test.
const Z_TEST: f64 = 1.644_853_626_951_472;
/// Units needed for an over-dispersion estimate: fewer leave too few
/// z-scores to Winsorise and test.
pub const MIN_UNITS_FOR_DISPERSION: usize = 5;
/// The share of z-scores Winsorised in each tail.
const WINSOR_TAIL: f64 = 0.1;
/// The largest denominator given exact binomial limits.
pub const EXACT_UP_TO: i64 = 1_000_000;
/// The binomial probabilities of the four limits, lowest first.
const LIMIT_PROBABILITIES: [f64; 4] = [0.001, 0.025, 0.975, 0.999];

/// One unit's counts: the numerator is counted within the denominator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelRow {
    pub unit: String,
    pub numerator: i64,
    pub denominator: i64,
}

/// Where a unit's share lies against the limits at its denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Band {
    #[serde(rename = "within")]
    Within,
    #[serde(rename = "beyond_95_high")]
    Beyond95High,
    #[serde(rename = "beyond_998_high")]
    Beyond998High,
    #[serde(rename = "beyond_95_low")]
    Beyond95Low,
    #[serde(rename = "beyond_998_low")]
    Beyond998Low,
}

impl Band {
    /// The band's code, as the files and the stylesheet's classes write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Within => "within",
            Band::Beyond95High => "beyond_95_high",
            Band::Beyond998High => "beyond_998_high",
            Band::Beyond95Low => "beyond_95_low",
            Band::Beyond998Low => "beyond_998_low",
        }
    }

    pub fn is_beyond(self) -> bool {
        self != Band::Within
    }
}

/// A unit on the plot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitPoint {
    pub unit: String,
    pub numerator: i64,
    pub denominator: i64,
    /// `numerator / denominator`, a fraction (not per cent).
    pub share: f64,
    /// Against the target, adjusted for over-dispersion when the limits
    /// are; None when the target is 0 or 1.
    pub z: Option<f64>,
    pub band: Band,
}

/// Why a row is not on the plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// A denominator of 0: no share.
    NoDenominator,
    /// A numerator below 0 or above its denominator: not a share.
    NotAShare,
}

/// A row left off the plot, with its counts as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    pub unit: String,
    pub numerator: i64,
    pub denominator: i64,
    pub why: Exclusion,
}

/// What the over-dispersion estimate found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Dispersion {
    /// Fewer units than [`MIN_UNITS_FOR_DISPERSION`]: no estimate, no adjustment.
    TooFewUnits { units: usize },
    /// A target of 0 or 1: no z-scores, so nothing to estimate.
    NoVariation,
    /// `phi` from the Winsorised z-scores, against the test's `threshold` (the
    /// χ² point divided by the units); `tau2` when `phi` exceeds it and the
    /// limits are adjusted.
    Estimated { phi: f64, threshold: f64, tau2: Option<f64> },
}

/// The four control limits at one denominator, as shares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    pub low_998: f64,
    pub low_95: f64,
    pub high_95: f64,
    pub high_998: f64,
}

impl Limits {
    /// Where a share lies against these limits.
    pub fn band(&self, share: f64) -> Band {
        if share > self.high_998 {
            Band::Beyond998High
        } else if share > self.high_95 {
            Band::Beyond95High
        } else if share < self.low_998 {
            Band::Beyond998Low
        } else if share < self.low_95 {
            Band::Beyond95Low
        } else {
            Band::Within
        }
    }
}

impl From<[f64; 4]> for Limits {
    fn from([low_998, low_95, high_95, high_998]: [f64; 4]) -> Limits {
        Limits { low_998, low_95, high_95, high_998 }
    }
}

/// The funnel of one share over a set of units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Funnel {
    /// The pooled share `Σx / Σn`, or the share it was drawn against
    /// ([`Funnel::against`]); None when neither is known.
    pub target: Option<f64>,
    /// The units on the plot, in the order given.
    pub points: Vec<UnitPoint>,
    pub excluded: Vec<Excluded>,
    pub dispersion: Dispersion,
}

impl Funnel {
    pub fn of(rows: &[FunnelRow]) -> Funnel {
        Funnel::around(rows, None)
    }

    /// The funnel around a share known beforehand (the share the calendar
    /// alone would give, say) instead of the units' pooled share: the
    /// question is then whether a unit differs from it by more than chance.
    /// A target outside 0 and 1 is kept within them.
    pub fn against(rows: &[FunnelRow], target: f64) -> Funnel {
        Funnel::around(rows, Some(target.clamp(0.0, 1.0)))
    }

    fn around(rows: &[FunnelRow], given: Option<f64>) -> Funnel {
        let mut excluded = Vec::new();
        let mut kept = Vec::with_capacity(rows.len());
        for row in rows {
            let why = if row.denominator <= 0 {
                Some(Exclusion::NoDenominator)
            } else if row.numerator < 0 || row.numerator > row.denominator {
                Some(Exclusion::NotAShare)
            } else {
                None
            };
            match why {
                Some(why) => excluded.push(Excluded {
                    unit: row.unit.clone(),
                    numerator: row.numerator,
                    denominator: row.denominator,
                    why,
                }),
                None => kept.push(row),
            }
        }
        let (x, n): (i64, i64) = kept.iter().fold((0, 0), |(x, n), r| (x + r.numerator, n + r.denominator));
        // No unit with a denominator: nothing to draw, against any share.
        let target = (n > 0).then(|| given.unwrap_or(x as f64 / n as f64));
        let mut funnel = Funnel { target, points: Vec::new(), excluded, dispersion: Dispersion::NoVariation };
        let Some(p0) = target.filter(|p| *p > 0.0 && *p < 1.0) else {
            funnel.points = kept.iter().map(|r| point(r, None, Band::Within)).collect();
            return funnel;
        };
        // The units' spread among themselves is estimated around their own
        // pooled share even when drawn against a share given: a shift they
        // all share from it is what the plot shows, not over-dispersion.
        let pooled = (n > 0).then(|| x as f64 / n as f64).filter(|p| *p > 0.0 && *p < 1.0);
        funnel.dispersion = match pooled {
            Some(pooled) => {
                let raw: Vec<f64> =
                    kept.iter().map(|r| (share(r) - pooled) / variance(pooled, r.denominator).sqrt()).collect();
                dispersion(pooled, &kept, &raw)
            }
            None => Dispersion::NoVariation,
        };
        funnel.points = kept
            .iter()
            .map(|r| {
                let y = share(r);
                let z = (y - p0) / (variance(p0, r.denominator) + funnel.tau2().unwrap_or(0.0)).sqrt();
                let band = funnel.limits_at(r.denominator).map_or(Band::Within, |l| l.band(y));
                point(r, Some(z), band)
            })
            .collect();
        funnel
    }

    /// The between-unit variance the limits are widened by, when applied.
    pub fn tau2(&self) -> Option<f64> {
        match self.dispersion {
            Dispersion::Estimated { tau2, .. } => tau2,
            Dispersion::TooFewUnits { .. } | Dispersion::NoVariation => None,
        }
    }

    /// Whether the plot has limits at all: a target strictly between 0 and 1.
    pub fn has_limits(&self) -> bool {
        self.target.is_some_and(|p| p > 0.0 && p < 1.0)
    }

    /// The limits at a denominator (above 0), adjusted when the dispersion
    /// says so; None without a target strictly between 0 and 1.
    pub fn limits_at(&self, denominator: i64) -> Option<Limits> {
        let p0 = self.target.filter(|_| self.has_limits() && denominator > 0)?;
        let limits = match self.tau2() {
            Some(tau2) => normal_limits(p0, variance(p0, denominator) + tau2),
            None if denominator > EXACT_UP_TO => normal_limits(p0, variance(p0, denominator)),
            None => exact_limits(p0, denominator),
        };
        Some(Limits::from(limits))
    }

    /// The limit curves at each of the denominators, for drawing.
    pub fn curve(&self, denominators: &[i64]) -> Vec<(i64, Limits)> {
        denominators.iter().filter_map(|n| self.limits_at(*n).map(|l| (*n, l))).collect()
    }

    /// The units beyond either limit, in the order of the points.
    pub fn beyond(&self) -> impl Iterator<Item = &UnitPoint> {
        self.points.iter().filter(|p| p.band.is_beyond())
    }
}

fn point(r: &FunnelRow, z: Option<f64>, band: Band) -> UnitPoint {
    UnitPoint { unit: r.unit.clone(), numerator: r.numerator, denominator: r.denominator, share: share(r), z, band }
}

fn share(r: &FunnelRow) -> f64 {
    r.numerator as f64 / r.denominator as f64
}

/// The binomial variance of a share at a denominator, `p₀(1 − p₀)/n`.
fn variance(p0: f64, denominator: i64) -> f64 {
    p0 * (1.0 - p0) / denominator as f64
}

fn dispersion(p0: f64, rows: &[&FunnelRow], z: &[f64]) -> Dispersion {
    let units = z.len();
    if units < MIN_UNITS_FOR_DISPERSION {
        return Dispersion::TooFewUnits { units };
    }
    let i = units as f64;
    let phi = winsorised(z).iter().map(|z| z * z).sum::<f64>() / i;
    let threshold = chi_square_95(i - 1.0) / i;
    let tau2 = (phi > threshold).then(|| {
        let w: Vec<f64> = rows.iter().map(|r| 1.0 / variance(p0, r.denominator)).collect();
        let (sum, sum_sq) = (w.iter().sum::<f64>(), w.iter().map(|w| w * w).sum::<f64>());
        ((i * phi - (i - 1.0)) / (sum - sum_sq / sum)).max(0.0)
    });
    Dispersion::Estimated { phi, threshold, tau2 }
}

/// The z-scores with those beyond the 10th and 90th percentiles pulled in to them.
fn winsorised(z: &[f64]) -> Vec<f64> {
    let mut sorted = z.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (low, high) = (percentile(&sorted, WINSOR_TAIL), percentile(&sorted, 1.0 - WINSOR_TAIL));
    z.iter().map(|z| z.clamp(low, high)).collect()
}

/// The `q` percentile of sorted values, interpolated linearly between the
/// two nearest (R's default, type 7: position `(len − 1)·q` from 0).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (below, fraction) = (h.floor() as usize, h - h.floor());
    let above = (below + 1).min(sorted.len() - 1);
    sorted[below] + fraction * (sorted[above] - sorted[below])
}

/// The 95th percentile of χ² with `k` degrees of freedom (Wilson–Hilferty:
/// within 1 % of the exact value from 2 degrees of freedom).
fn chi_square_95(k: f64) -> f64 {
    let a = 2.0 / (9.0 * k);
    k * (1.0 - a + Z_TEST * a.sqrt()).powi(3)
}

fn normal_limits(p0: f64, variance: f64) -> [f64; 4] {
    let sd = variance.sqrt();
    [p0 - Z_998 * sd, p0 - Z_95 * sd, p0 + Z_95 * sd, p0 + Z_998 * sd].map(|l| l.clamp(0.0, 1.0))
}

/// Exact binomial limits with the paper's interpolation, each count's
/// probability spread half a count either side of it (the module's doc).
fn exact_limits(p0: f64, n: i64) -> [f64; 4] {
    let cdf = binomial_cdf(n, p0);
    LIMIT_PROBABILITIES.map(|p| {
        let r = cdf.partition_point(|c| *c < p).min(cdf.len() - 1);
        let below = if r == 0 { 0.0 } else { cdf[r - 1] };
        let alpha = (cdf[r] - p) / (cdf[r] - below);
        ((r as f64 - alpha + 0.5) / n as f64).clamp(0.0, 1.0)
    })
}

/// `P(R ≤ r)` for `r` in 0..=n, `R ~ Binomial(n, p)`, 0 < p < 1: each
/// probability from the one before in logarithms, scaled by the largest
/// before summing so no term underflows at large `n`.
fn binomial_cdf(n: i64, p: f64) -> Vec<f64> {
    let odds = (p / (1.0 - p)).ln();
    let mut logs = Vec::with_capacity(n as usize + 1);
    let mut log = n as f64 * (1.0 - p).ln();
    for r in 0..=n {
        logs.push(log);
        log += ((n - r) as f64 / (r + 1) as f64).ln() + odds;
    }
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    let mut cdf: Vec<f64> = logs
        .iter()
        .map(|l| {
            sum += (l - top).exp();
            sum
        })
        .collect();
    cdf.iter_mut().for_each(|c| *c /= sum);
    cdf
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(counts: &[(i64, i64)]) -> Vec<FunnelRow> {
        counts
            .iter()
            .enumerate()
            .map(|(i, (x, n))| FunnelRow { unit: format!("U{}", i + 1), numerator: *x, denominator: *n })
            .collect()
    }

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    fn bands(f: &Funnel) -> Vec<Band> {
        f.points.iter().map(|p| p.band).collect()
    }

    /// Drawn against a share given beforehand, one half, four units of 10
    /// whose own pooled share is 0.25: the limits at 10 are the exact ones
    /// worked out by hand for a target of one half below (0.05024, 0.18244,
    /// 0.81756, 0.94976), so 1 of 10 lies below the 95 % limit though it is
    /// near the units' own share; the spread among the units is still
    /// estimated around their own share (too few units here to estimate).
    #[test]
    fn against_a_given_share_the_limits_are_drawn_around_it() {
        let f = Funnel::against(&rows(&[(1, 10), (3, 10), (3, 10), (3, 10)]), 0.5);
        assert_eq!(f.target, Some(0.5));
        let l = f.limits_at(10).unwrap();
        for (got, want) in
            [(l.low_998, 0.05024), (l.low_95, 0.182_444_4), (l.high_95, 0.817_555_6), (l.high_998, 0.94976)]
        {
            assert!(close(got, want, 1e-6), "{got} against {want}");
        }
        assert_eq!(bands(&f), [Band::Beyond95Low, Band::Within, Band::Within, Band::Within]);
        assert_eq!(f.dispersion, Dispersion::TooFewUnits { units: 4 });
        let nothing = Funnel::against(&rows(&[(0, 0)]), 0.5);
        assert_eq!((nothing.target, nothing.points.len(), nothing.excluded.len()), (None, 0, 1), "nothing to draw");
    }

    /// Four units of 10 each, 20 of 40 in all: the target is 0.5, and with
    /// fewer than five units nothing is estimated, so the limits are exact.
    ///
    /// Binomial(10, 0.5): P(R ≤ r)·1024 for r = 0..10 is
    /// 1, 11, 56, 176, 386, 638, 848, 968, 1013, 1023, 1024.
    /// - 0.001·1024 = 1.024: r = 1 (11); α = (11 − 1.024)/(11 − 1) = 0.9976;
    ///   limit (1 − 0.9976 + 0.5)/10 = 0.05024.
    /// - 0.025·1024 = 25.6: r = 2 (56); α = (56 − 25.6)/(56 − 11) = 0.675556;
    ///   limit (2 − 0.675556 + 0.5)/10 = 0.1824444.
    /// - 0.975·1024 = 998.4: r = 8 (1013); α = (1013 − 998.4)/(1013 − 968) = 0.324444;
    ///   limit (8 − 0.324444 + 0.5)/10 = 0.8175556.
    /// - 0.999·1024 = 1022.976: r = 9 (1023); α = (1023 − 1022.976)/(1023 − 1013) = 0.0024;
    ///   limit (9 − 0.0024 + 0.5)/10 = 0.94976.
    ///
    /// Symmetric about 0.5 (0.05024 + 0.94976 = 1), and each band is the
    /// mid-p test's, P(R > x) + ½P(R = x): 10 of 10 has 0.5/1024 = 0.0005 < 0.001;
    /// 9 has (1 + 5)/1024 = 0.0059 < 0.025; 8 has (11 + 22.5)/1024 = 0.0327,
    /// within; 1 and 0 mirror 9 and 10.
    #[test]
    fn exact_limits_match_the_hand_computed_binomial_ones() {
        let f = Funnel::of(&rows(&[(10, 10), (9, 10), (1, 10), (0, 10)]));
        assert_eq!(f.target, Some(0.5));
        assert_eq!(f.dispersion, Dispersion::TooFewUnits { units: 4 });
        let l = f.limits_at(10).unwrap();
        assert!(close(l.low_998, 0.05024, 1e-9), "{l:?}");
        assert!(close(l.low_95, 0.182_444_4, 1e-7), "{l:?}");
        assert!(close(l.high_95, 0.817_555_6, 1e-7), "{l:?}");
        assert!(close(l.high_998, 0.94976, 1e-9), "{l:?}");
        assert_eq!(bands(&f), [Band::Beyond998High, Band::Beyond95High, Band::Beyond95Low, Band::Beyond998Low]);
        // z = (y − 0.5)/√(0.25/10) = (y − 0.5)/0.1581139: 1.0 gives 3.1622777.
        assert!(close(f.points[0].z.unwrap(), 3.162_277_7, 1e-6));
        // 0.8 and 0.2 lie inside 0.18244 and 0.81756.
        let f = Funnel::of(&rows(&[(8, 10), (8, 10), (2, 10), (2, 10)]));
        assert_eq!(bands(&f), [Band::Within; 4]);
    }

    /// All of a small unit's cases at a high target is no surprise: 2 of 2
    /// against p₀ = 0.84 happens with probability 0.84² = 0.7.
    #[test]
    fn a_small_unit_at_the_top_is_not_flagged() {
        let f = Funnel::of(&rows(&[(2, 2), (840, 1_000), (1, 1)]));
        assert!(f.target.unwrap() > 0.83);
        assert_eq!(bands(&f), [Band::Within; 3]);
        assert_eq!(f.limits_at(2).unwrap().high_998, 1.0, "the limit reaches 1 at a denominator of 2");
    }

    /// Whatever the denominator and target, a count lies beyond a limit
    /// exactly when the one-sided mid-p test at that limit's level says so.
    #[test]
    fn the_exact_bands_are_the_mid_p_tests() {
        for (n, p0) in [(9, 0.841), (10, 0.5), (23, 0.3), (57, 0.93), (200, 0.62)] {
            let cdf = binomial_cdf(n, p0);
            let limits = Limits::from(exact_limits(p0, n));
            for (x, at_most) in cdf.iter().enumerate() {
                let below = if x == 0 { 0.0 } else { cdf[x - 1] };
                let half = (at_most - below) / 2.0;
                let (low, high) = (below + half, 1.0 - at_most + half);
                let tested = if high < 0.001 {
                    Band::Beyond998High
                } else if high < 0.025 {
                    Band::Beyond95High
                } else if low < 0.001 {
                    Band::Beyond998Low
                } else if low < 0.025 {
                    Band::Beyond95Low
                } else {
                    Band::Within
                };
                assert_eq!(limits.band(x as f64 / n as f64), tested, "{x} of {n} at {p0}: {limits:?}");
            }
        }
    }

    #[test]
    fn the_limits_narrow_as_the_denominator_grows_and_meet_the_normal_ones() {
        let f = Funnel::of(&rows(&[(30, 100), (1_000, 3_000)]));
        let curve = f.curve(&[10, 100, 1_000, 10_000]);
        assert_eq!(curve.len(), 4);
        for pair in curve.windows(2) {
            let ((_, wide), (_, narrow)) = (pair[0], pair[1]);
            assert!(narrow.high_95 < wide.high_95 && narrow.low_95 > wide.low_95, "{curve:?}");
            assert!(narrow.high_998 > narrow.high_95 && narrow.low_998 < narrow.low_95);
        }
        // At 10,000 the exact limits are within a thousandth of p₀ ± 1.96·√(p₀(1 − p₀)/n).
        let p0: f64 = 1_030.0 / 3_100.0;
        let (_, at) = curve[3];
        assert!(close(at.high_95, p0 + Z_95 * (p0 * (1.0 - p0) / 10_000.0).sqrt(), 1e-3), "{at:?}");
        let huge = f.limits_at(EXACT_UP_TO + 1).unwrap();
        assert!(close(huge.high_998, p0 + Z_998 * (p0 * (1.0 - p0) / (EXACT_UP_TO + 1) as f64).sqrt(), 1e-12));
    }

    /// Six units of 100, 300 of 600: p₀ = 0.5, s = √(0.25/100) = 0.05.
    /// z = (y − 0.5)/0.05: 0, 0, 0, 0, 4, −4; unwinsorised φ = 32/6 = 5.3333.
    /// Sorted: −4, 0, 0, 0, 0, 4. The 10th percentile sits at position
    /// 5·0.1 = 0.5, halfway from −4 to 0: −2; the 90th at 4.5: 2. Winsorised:
    /// 0, 0, 0, 0, 2, −2, so φ = 8/6 = 1.3333.
    /// The test: χ²(5 df) 95th percentile by Wilson–Hilferty,
    /// a = 2/45 = 0.0444444, 5·(1 − a + 1.6448536·√a)³ = 5·1.3023211³ = 11.043944;
    /// threshold 11.043944/6 = 1.840657. 1.3333 is below it (5.3333 would not be).
    #[test]
    fn winsorising_pulls_in_the_extremes_and_can_decide_against_adjusting() {
        let f = Funnel::of(&rows(&[(50, 100), (50, 100), (50, 100), (50, 100), (70, 100), (30, 100)]));
        let Dispersion::Estimated { phi, threshold, tau2 } = f.dispersion else { panic!("{:?}", f.dispersion) };
        assert!(close(phi, 8.0 / 6.0, 1e-9), "{phi}");
        assert!(close(threshold, 1.840_657, 1e-6), "{threshold}");
        assert_eq!(tau2, None, "not over-dispersed once Winsorised");
        let raw: f64 = f.points.iter().map(|p| p.z.unwrap().powi(2)).sum::<f64>() / 6.0;
        assert!(close(raw, 32.0 / 6.0, 1e-9) && raw > threshold, "unwinsorised it would be");
        // Unadjusted, the exact limits at 100 hold 0.7 and 0.3 beyond 99.8 %.
        assert_eq!(f.points[4].band, Band::Beyond998High);
        assert_eq!(f.points[5].band, Band::Beyond998Low);
        assert_eq!(f.limits_at(100), Some(Limits::from(exact_limits(0.5, 100))));
    }

    /// Units 30/100, 40/100, 60/100, 70/100, 200/400, 200/400: p₀ = 600/1200 = 0.5.
    /// s² = 0.25/n: 0.0025 at 100, 0.000625 at 400; z = −4, −2, 2, 4, 0, 0.
    /// Sorted −4, −2, 0, 0, 2, 4: percentiles −3 and 3 (halfway at 0.5 and 4.5).
    /// Winsorised −3, −2, 2, 3, 0, 0: φ = (9 + 4 + 4 + 9)/6 = 4.3333; Iφ = 26 > 11.043944.
    /// w = 1/s²: 400 ×4, 1600 ×2; Σw = 4800, Σw² = 4·160000 + 2·2560000 = 5760000,
    /// Σw²/Σw = 1200; τ² = (26 − 5)/(4800 − 1200) = 21/3600 = 0.0058333.
    /// At 100: √(0.0025 + 0.0058333) = 0.0912871; 95 %: 0.5 ± 1.959964·0.0912871 =
    /// 0.5 ± 0.1789194 → 0.3210806, 0.6789194; 99.8 %: 0.5 ± 0.2820983 → 0.2179017, 0.7820983.
    /// 0.7 lies beyond 95 % (z = 0.2/0.0912871 = 2.1908902), 0.6 within.
    /// At 400: √(0.000625 + 0.0058333) = 0.0803638; 95 % upper 0.5 + 0.1575102 = 0.6575102.
    #[test]
    fn over_dispersion_widens_the_limits_by_tau_squared() {
        let f = Funnel::of(&rows(&[(30, 100), (40, 100), (60, 100), (70, 100), (200, 400), (200, 400)]));
        let Dispersion::Estimated { phi, tau2: Some(tau2), .. } = f.dispersion else { panic!("{:?}", f.dispersion) };
        assert!(close(phi, 26.0 / 6.0, 1e-9), "{phi}");
        assert!(close(tau2, 21.0 / 3600.0, 1e-12), "{tau2}");
        let l = f.limits_at(100).unwrap();
        assert!(close(l.low_95, 0.321_080_6, 1e-6) && close(l.high_95, 0.678_919_4, 1e-6), "{l:?}");
        assert!(close(l.low_998, 0.217_901_7, 1e-6) && close(l.high_998, 0.782_098_3, 1e-6), "{l:?}");
        assert!(close(f.limits_at(400).unwrap().high_95, 0.657_510_2, 1e-6));
        assert_eq!(
            bands(&f),
            [Band::Beyond95Low, Band::Within, Band::Within, Band::Beyond95High, Band::Within, Band::Within]
        );
        assert!(close(f.points[3].z.unwrap(), 2.190_890_2, 1e-6));
        assert_eq!(f.beyond().map(|p| p.unit.as_str()).collect::<Vec<_>>(), ["U1", "U4"]);
    }

    #[test]
    fn a_unit_without_a_denominator_is_left_out_and_named() {
        let f = Funnel::of(&rows(&[(3, 10), (0, 0), (5, 10), (4, 3)]));
        assert_eq!(
            f.excluded,
            [
                Excluded { unit: "U2".into(), numerator: 0, denominator: 0, why: Exclusion::NoDenominator },
                Excluded { unit: "U4".into(), numerator: 4, denominator: 3, why: Exclusion::NotAShare }
            ]
        );
        assert_eq!(f.points.iter().map(|p| p.unit.as_str()).collect::<Vec<_>>(), ["U1", "U3"]);
        assert_eq!(f.target, Some(0.4), "8 of 20, the units left out not pooled");
        let none = Funnel::of(&rows(&[(0, 0)]));
        assert_eq!((none.target, none.points.len(), none.has_limits()), (None, 0, false));
        assert_eq!(none.limits_at(10), None);
    }

    #[test]
    fn a_target_of_nought_or_one_has_no_limits() {
        for counts in [[(0, 10), (0, 5), (0, 7), (0, 1), (0, 2)], [(10, 10), (5, 5), (7, 7), (1, 1), (2, 2)]] {
            let f = Funnel::of(&rows(&counts));
            assert!(!f.has_limits());
            assert_eq!(f.limits_at(10), None);
            assert!(f.curve(&[1, 10]).is_empty());
            assert_eq!(f.dispersion, Dispersion::NoVariation);
            assert!(f.points.iter().all(|p| p.band == Band::Within && p.z.is_none()));
        }
    }

    #[test]
    fn the_cdf_holds_at_large_denominators() {
        let cdf = binomial_cdf(200_000, 0.3);
        assert!(close(*cdf.last().unwrap(), 1.0, 1e-12));
        assert!(cdf.windows(2).all(|w| w[0] <= w[1]));
        // The median of Binomial(200000, 0.3) is 60000.
        assert_eq!(cdf.partition_point(|c| *c < 0.5), 60_000);
        // χ² 95th percentiles from the tables: 5.991 (2), 11.070 (5), 18.307 (10).
        for (k, table) in [(2.0, 5.991), (5.0, 11.070), (10.0, 18.307)] {
            assert!(close(chi_square_95(k) / table, 1.0, 0.01), "{k}: {}", chi_square_95(k));
        }
    }
}
