//! Deterministic randomness: SplitMix64, plus the exact-allocation helpers
//! the seed relies on. Randomness only decides *which* entity gets a planned
//! count and *when*; the counts themselves are planned, never sampled.

/// SplitMix64: small, fast, and the same sequence for the same seed everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream for one part of the work (a quarter, a chunk),
    /// so changing one part does not shift the randomness of the others.
    pub fn stream(seed: u64, stream: u64) -> Rng {
        let mut r = Rng::new(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A whole number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A copy of a random item.
    pub fn choice<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick(items)
    }

    /// A log-normal amount: `median` times e to a normal draw of spread `sigma`.
    pub fn log_normal(&mut self, median: f64, sigma: f64) -> f64 {
        // Box-Muller; 1 - unit() keeps the logarithm finite.
        let (u1, u2) = (1.0 - self.unit(), self.unit());
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        median * (sigma * z).exp()
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// Exactly `k` distinct positions out of `0..n`, in random order.
    pub fn choose(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below((n - i) as u64) as usize;
            all.swap(i, j);
        }
        all.truncate(k);
        all
    }
}

/// Picks an index with probability proportional to its weight, in log time.
pub(crate) struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Weighted {
        let mut total = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect();
        Weighted { cumulative }
    }

    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cumulative.partition_point(|c| *c <= x).min(self.cumulative.len().saturating_sub(1))
    }
}

/// Splits `total` into parts proportional to `weights` that add up to
/// `total` exactly (largest remainders get the leftover units).
pub(crate) fn apportion(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w.max(0.0) / sum).collect();
    let mut parts: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let given: u64 = parts.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Ties go to the earlier weight, so the split never depends on float noise order.
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
    for &i in order.iter().cycle().take(total.saturating_sub(given) as usize) {
        parts[i] += 1;
    }
    parts
}

/// Integer amounts proportional to `raw` that add up to `total` exactly,
/// each at least 1 (the registers refuse zero amounts). `total` must be at
/// least the number of amounts.
pub(crate) fn scale_to_total(raw: &[f64], total: i64) -> Vec<i64> {
    let sum: f64 = raw.iter().sum();
    if raw.is_empty() || sum <= 0.0 {
        return vec![1; raw.len()];
    }
    let mut out: Vec<i64> = raw.iter().map(|w| ((total as f64 * w / sum).floor() as i64).max(1)).collect();
    let diff = total - out.iter().sum::<i64>();
    if let Some((largest, _)) = out.iter().enumerate().max_by_key(|(_, v)| **v) {
        out[largest] += diff;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_is_exact() {
        let parts = apportion(8930, &[0.3, 0.2, 0.5, 0.01]);
        assert_eq!(parts.iter().sum::<u64>(), 8930);
        assert_eq!(apportion(0, &[1.0, 2.0]), vec![0, 0]);
    }

    #[test]
    fn scaled_amounts_hit_the_total() {
        let mut rng = Rng::new(7);
        let raw: Vec<f64> = (0..1300).map(|_| rng.log_normal(120.0, 2.0)).collect();
        let grams = scale_to_total(&raw, 1_329_000);
        assert_eq!(grams.iter().sum::<i64>(), 1_329_000);
        assert!(grams.iter().all(|g| *g >= 1));
    }

    #[test]
    fn choose_gives_distinct_positions() {
        let mut rng = Rng::new(1);
        let mut picked = rng.choose(100, 40);
        picked.sort();
        picked.dedup();
        assert_eq!(picked.len(), 40);
    }

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let (mut a, mut b) = (Rng::stream(5, 3), Rng::stream(5, 3));
        assert!((0..100).all(|_| a.next_u64() == b.next_u64()));
    }
}
