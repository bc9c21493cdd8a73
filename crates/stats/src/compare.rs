//! A figure against the same period last year: the change in numbers and per
//! cent, and whether chance alone explains it. For two counts a and b from
//! Poisson processes observed over equal spans, a given a + b = n follows
//! Binomial(n, 1/2) when the rates are equal; a two-sided exact test of that
//! (normal approximation past n = 1000) says whether the change is a signal.

use serde::Serialize;

/// The significance level below which a change is called a trend.
pub const ALPHA: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub current: i64,
    pub previous: i64,
    pub absolute: i64,
    /// None when last year's figure is zero.
    pub percent: Option<f64>,
    /// Two-sided p-value of equal rates; None for sums that are not counts.
    pub p_value: Option<f64>,
    /// True when chance alone does not explain the change (p < 0.05).
    pub significant: Option<bool>,
}

impl Change {
    /// A change between two counts of events, with its significance.
    pub fn of_counts(current: i64, previous: i64) -> Change {
        let p = poisson_p_value(current.max(0) as u64, previous.max(0) as u64);
        Change { p_value: Some(p), significant: Some(p < ALPHA), ..Change::of_amounts(current, previous) }
    }

    /// A change between sums (money, weight) where a count test does not apply.
    pub fn of_amounts(current: i64, previous: i64) -> Change {
        let percent = (previous != 0).then(|| (current - previous) as f64 * 100.0 / previous as f64);
        Change { current, previous, absolute: current - previous, percent, p_value: None, significant: None }
    }
}

/// Two-sided p-value that counts a and b come from equal Poisson rates.
pub fn poisson_p_value(a: u64, b: u64) -> f64 {
    let n = a + b;
    if n == 0 {
        return 1.0;
    }
    if n > EXACT_UP_TO {
        let z = ((a as f64 - b as f64).abs() - 1.0).max(0.0) / (n as f64).sqrt();
        return (2.0 * normal_upper_tail(z)).min(1.0);
    }
    let k = a.min(b);
    // P(X <= k) for X ~ Binomial(n, 1/2), doubled for two sides. Each term
    // C(n, i) / 2^n follows from the one before by a multiplication; 2^-n
    // stays a normal f64 for n up to EXACT_UP_TO.
    let mut term = 0.5f64.powi(n as i32);
    let mut tail = term;
    for i in 1..=k {
        term *= (n - i + 1) as f64 / i as f64;
        tail += term;
    }
    (2.0 * tail).min(1.0)
}

/// Past this many events the normal approximation (with continuity
/// correction) is within 0.002 of the exact p-value.
const EXACT_UP_TO: u64 = 1000;

/// Upper tail of the standard normal, by the complementary error function
/// (Numerical Recipes' erfc approximation, relative error below 1.2e-7).
fn normal_upper_tail(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    0.5 * if x >= 0.0 { erfc } else { 2.0 - erfc }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fourteen_deaths_down_from_sixteen_is_chance() {
        let c = Change::of_counts(14, 16);
        assert_eq!(c.absolute, -2);
        assert!((c.percent.unwrap() + 12.5).abs() < 1e-9);
        assert_eq!(c.significant, Some(false));
        assert!(c.p_value.unwrap() > 0.8);
    }

    #[test]
    fn a_large_fall_is_a_trend() {
        assert_eq!(Change::of_counts(8_930, 10_000).significant, Some(true));
        assert_eq!(Change::of_counts(30, 60).significant, Some(true));
    }

    #[test]
    fn exact_values() {
        // P(X <= 0) for n = 1 is 0.5, doubled: 1.
        assert!((poisson_p_value(0, 1) - 1.0).abs() < 1e-12);
        // n = 10, k = 1: (1 + 10) / 1024 * 2
        assert!((poisson_p_value(1, 9) - 22.0 / 1024.0).abs() < 1e-12);
        // The normal approximation agrees with the exact test near n = 1000.
        assert!((poisson_p_value(470, 531) - poisson_p_value(470, 530)).abs() < 0.02);
    }

    #[test]
    fn no_percent_on_a_zero_base() {
        assert_eq!(Change::of_counts(3, 0).percent, None);
    }
}
