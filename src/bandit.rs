//! Outcomes and Thompson sampling: the closed loop from results to allocation.
//!
//! Hosts feed back what happened to each variant ([`Outcomes`]: impressions,
//! clicks and conversions per variant id, optionally per context segment).
//! Each arm's click (or conversion) rate gets a Beta posterior,
//! `Beta(1 + successes, 1 + impressions − successes)` from a uniform prior;
//! [`thompson_shares`] draws from every posterior many times and gives each
//! arm the share of draws it wins (probability matching), and [`apply_floor`]
//! keeps a minimum exploration share for every arm.
//!
//! Everything here must give the same numbers natively and in wasm, so:
//! the PRNG is `rand_pcg` seeded from the decision inputs (no OS entropy), and
//! all transcendental maths goes through `libm` (pure Rust), not the
//! platform's libm: `std`'s `ln`/`exp` may differ in the last bit between
//! glibc and wasm, and one bit is enough to flip which arm wins a draw. That
//! is also why the Gamma sampler is written here (Marsaglia–Tsang with a
//! polar-method normal) instead of taken from `rand_distr`, whose float
//! maths follows `num-traits`' `std` feature, which other crates enable.

use crate::error::{Error, Result};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most arms (variant ids) an outcomes document may hold.
pub const MAX_ARMS: usize = 1024;
/// Most segments one arm may hold.
pub const MAX_SEGMENTS_PER_ARM: usize = 1024;
/// Most segment entries over all arms.
pub const MAX_SEGMENT_ENTRIES: usize = 65_536;
/// Longest variant id or segment key, in bytes.
pub const MAX_KEY_BYTES: usize = 256;

/// Counts of one arm (or one arm in one segment).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Counts {
    /// Times the variant was shown.
    pub impressions: u64,
    /// Clicks on it.
    pub clicks: u64,
    /// Conversions attributed to it.
    pub conversions: u64,
}

impl Counts {
    /// Add `other` (saturating: counts never wrap).
    pub fn add(&mut self, other: &Counts) {
        self.impressions = self.impressions.saturating_add(other.impressions);
        self.clicks = self.clicks.saturating_add(other.clicks);
        self.conversions = self.conversions.saturating_add(other.conversions);
    }

    /// Successes for `metric`.
    pub fn successes(&self, metric: Metric) -> u64 {
        match metric {
            Metric::Clicks => self.clicks,
            Metric::Conversions => self.conversions,
        }
    }
}

/// What happened to one variant: totals and, optionally, per segment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ArmOutcomes {
    /// Times the variant was shown (all segments).
    #[serde(default)]
    pub impressions: u64,
    /// Clicks (all segments).
    #[serde(default)]
    pub clicks: u64,
    /// Conversions (all segments).
    #[serde(default)]
    pub conversions: u64,
    /// Counts per segment key (context values joined by `|`, e.g. `rain|evening`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub segments: BTreeMap<String, Counts>,
}

impl ArmOutcomes {
    /// The totals as [`Counts`].
    pub fn totals(&self) -> Counts {
        Counts {
            impressions: self.impressions,
            clicks: self.clicks,
            conversions: self.conversions,
        }
    }
}

/// Results fed back per variant id (`headline=urgent,cta=shop`, or `control`):
/// `{"arms": {"<variantId>": {"impressions", "clicks", "conversions", "segments": {…}}}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Outcomes {
    /// Counts by variant id.
    #[serde(default)]
    pub arms: BTreeMap<String, ArmOutcomes>,
}

/// Which outcome a bandit optimises.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Metric {
    /// Click-through rate: clicks per impression (default).
    #[default]
    Clicks,
    /// Conversion rate: conversions per impression.
    Conversions,
}

impl Outcomes {
    /// Parse outcomes JSON; errors name the JSON path under `name`.
    pub fn parse(name: &str, json: &str) -> Result<Outcomes> {
        let mut de = serde_json::Deserializer::from_str(json);
        let outcomes: Outcomes = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." {
                name.to_string()
            } else {
                format!("{name}.{path}")
            };
            Error::invalid(path, e.into_inner().to_string())
        })?;
        outcomes.validate(name)?;
        Ok(outcomes)
    }

    /// Check the size bounds (the types are checked by serde).
    pub fn validate(&self, path: &str) -> Result<()> {
        if self.arms.len() > MAX_ARMS {
            return Err(Error::limit(
                format!("{path}.arms"),
                "maxArms",
                MAX_ARMS as u64,
                self.arms.len() as u64,
            ));
        }
        let mut entries = 0usize;
        for (id, arm) in &self.arms {
            let at = format!("{path}.arms[\"{}\"]", short(id));
            if id.is_empty() || id.len() > MAX_KEY_BYTES {
                return Err(Error::invalid(
                    at,
                    format!("variant ids are 1 to {MAX_KEY_BYTES} bytes"),
                ));
            }
            if arm.segments.len() > MAX_SEGMENTS_PER_ARM {
                return Err(Error::limit(
                    format!("{at}.segments"),
                    "maxSegmentsPerArm",
                    MAX_SEGMENTS_PER_ARM as u64,
                    arm.segments.len() as u64,
                ));
            }
            entries += arm.segments.len();
            if entries > MAX_SEGMENT_ENTRIES {
                return Err(Error::limit(
                    format!("{path}.arms"),
                    "maxSegmentEntries",
                    MAX_SEGMENT_ENTRIES as u64,
                    entries as u64,
                ));
            }
            if let Some(key) = arm.segments.keys().find(|k| k.len() > MAX_KEY_BYTES) {
                return Err(Error::invalid(
                    format!("{at}.segments[\"{}\"]", short(key)),
                    format!("segment keys are at most {MAX_KEY_BYTES} bytes"),
                ));
            }
        }
        Ok(())
    }

    /// Add `count` events of `kind` to `arm` (and to its `segment`, if any).
    pub fn record(&mut self, arm: &str, segment: Option<&str>, kind: EventKind, count: u64) {
        let entry = self.arms.entry(arm.to_string()).or_default();
        let bump = |c: &mut u64| *c = c.saturating_add(count);
        match kind {
            EventKind::Impression => bump(&mut entry.impressions),
            EventKind::Click => bump(&mut entry.clicks),
            EventKind::Conversion => bump(&mut entry.conversions),
        }
        if let Some(segment) = segment {
            let seg = entry.segments.entry(segment.to_string()).or_default();
            match kind {
                EventKind::Impression => bump(&mut seg.impressions),
                EventKind::Click => bump(&mut seg.clicks),
                EventKind::Conversion => bump(&mut seg.conversions),
            }
        }
    }
}

fn short(s: &str) -> String {
    if s.len() <= 40 {
        return s.to_string();
    }
    let mut end = 40;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// The kind of an outcome event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    /// The variant was shown.
    Impression,
    /// It was clicked.
    Click,
    /// It led to a conversion.
    Conversion,
}

/// One line of an events log (`adloom learn --events`):
/// `{"template", "variant", "segment"?, "type", "count"?}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Event {
    /// Template name.
    pub template: String,
    /// Variant id, as in the decision (`headline=urgent,cta=shop` or `control`).
    pub variant: String,
    /// Segment key, as in the decision (`rain|evening`), if the experiment segments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// `impression`, `click` or `conversion`.
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// How many such events (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// When it happened (free form; ignored by the counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub ts: Option<serde_json::Value>,
}

/// Largest `count` of one event line.
pub const MAX_EVENT_COUNT: u64 = 1_000_000_000;

/// The learning state: outcomes per template (`adloom learn` keeps it in a file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct State {
    /// Outcomes by template name.
    #[serde(default)]
    pub templates: BTreeMap<String, Outcomes>,
}

impl State {
    /// Apply a JSON-lines events log. All or nothing: on the first bad line
    /// the state is unchanged and the error names the line and field.
    /// Returns the number of events applied.
    pub fn apply_events(&mut self, jsonl: &str) -> Result<u64> {
        let mut next = self.clone();
        let mut applied = 0u64;
        for (i, line) in jsonl.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let name = format!("events line {}", i + 1);
            let mut de = serde_json::Deserializer::from_str(line);
            let event: Event = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let path = e.path().to_string();
                let at = if path == "." {
                    name.clone()
                } else {
                    format!("{name}: {path}")
                };
                Error::invalid(at, e.into_inner().to_string())
            })?;
            let count = event.count.unwrap_or(1);
            if count == 0 || count > MAX_EVENT_COUNT {
                return Err(Error::invalid(
                    format!("{name}: count"),
                    format!("expected 1 to {MAX_EVENT_COUNT}, got {count}"),
                ));
            }
            for (field, value) in [("template", &event.template), ("variant", &event.variant)]
                .into_iter()
                .chain(event.segment.as_ref().map(|s| ("segment", s)))
            {
                if value.is_empty() || value.len() > MAX_KEY_BYTES {
                    return Err(Error::invalid(
                        format!("{name}: {field}"),
                        format!("expected 1 to {MAX_KEY_BYTES} bytes"),
                    ));
                }
            }
            next.templates
                .entry(event.template.clone())
                .or_default()
                .record(&event.variant, event.segment.as_deref(), event.kind, count);
            applied += 1;
        }
        for (name, outcomes) in &next.templates {
            outcomes.validate(&format!("templates[\"{}\"]", short(name)))?;
        }
        *self = next;
        Ok(applied)
    }
}

/// A Beta posterior, `Beta(alpha, beta)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Beta {
    /// 1 + successes.
    pub alpha: f64,
    /// 1 + failures.
    pub beta: f64,
}

impl Beta {
    /// The posterior of a rate after `successes` in `trials` from a uniform
    /// prior. Successes above trials (events that arrived before their
    /// impressions) count as at most `trials`.
    pub fn posterior(successes: u64, trials: u64) -> Beta {
        let s = successes.min(trials);
        Beta {
            alpha: 1.0 + s as f64,
            beta: 1.0 + (trials - s) as f64,
        }
    }

    /// The mean, `alpha / (alpha + beta)`.
    pub fn mean(&self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }

    /// The regularized incomplete beta function `I_x(alpha, beta)`: the CDF.
    pub fn cdf(&self, x: f64) -> f64 {
        regularized_incomplete_beta(x, self.alpha, self.beta)
    }

    /// The `p` quantile (inverse CDF), by bisection to 1e-10.
    pub fn quantile(&self, p: f64) -> f64 {
        let p = p.clamp(0.0, 1.0);
        if p <= 0.0 {
            return 0.0;
        }
        if p >= 1.0 {
            return 1.0;
        }
        // Bisection: the CDF is monotone, and 40 halvings of a bracket
        // around the mean give 1e-12; cheap and robust for any shape.
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for _ in 0..48 {
            let mid = 0.5 * (lo + hi);
            if self.cdf(mid) < p {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo < 1e-12 {
                break;
            }
        }
        0.5 * (lo + hi)
    }

    /// The central 95% credible interval `[q(0.025), q(0.975)]`.
    pub fn credible_interval_95(&self) -> (f64, f64) {
        (self.quantile(0.025), self.quantile(0.975))
    }

    /// One draw, from two Gamma draws: `X / (X + Y)`.
    pub fn sample(&self, rng: &mut Pcg64Mcg) -> f64 {
        let x = gamma(self.alpha, rng);
        let y = gamma(self.beta, rng);
        if x + y <= 0.0 {
            return self.mean();
        }
        x / (x + y)
    }
}

/// `I_x(a, b)` via the continued fraction of the incomplete beta function
/// (modified Lentz), using the symmetry `I_x(a,b) = 1 − I_{1−x}(b,a)` where
/// the fraction converges faster. For very large shapes (both above 5000,
/// i.e. tens of thousands of impressions and clicks) the Beta is normal to
/// well within the printed precision and a normal CDF is used instead.
pub fn regularized_incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    if a > 5000.0 && b > 5000.0 {
        let mean = a / (a + b);
        let var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
        return normal_cdf((x - mean) / libm::sqrt(var));
    }
    let ln_front = libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b)
        + a * libm::log(x)
        + b * libm::log1p(-x);
    let front = libm::exp(ln_front);
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(x, a, b) / a
    } else {
        1.0 - front * beta_continued_fraction(1.0 - x, b, a) / b
    }
}

fn beta_continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-15;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
    let mut f = d;
    // Convergence takes O(sqrt(max(a, b))) terms; 20,000 covers shapes up
    // to the normal-approximation threshold with a wide margin.
    for m in 1..20_000u32 {
        let m = m as f64;
        // Even step.
        let num = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 / guard(1.0 + num * d);
        c = guard(1.0 + num / c);
        f *= c * d;
        // Odd step.
        let num = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 / guard(1.0 + num * d);
        c = guard(1.0 + num / c);
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < EPS {
            break;
        }
    }
    f
}

fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// A standard normal draw (Marsaglia's polar method: only `log` and `sqrt`).
fn standard_normal(rng: &mut Pcg64Mcg) -> f64 {
    loop {
        let u = 2.0 * rng.random::<f64>() - 1.0;
        let v = 2.0 * rng.random::<f64>() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * libm::sqrt(-2.0 * libm::log(s) / s);
        }
    }
}

/// A `Gamma(shape, 1)` draw (Marsaglia & Tsang 2000; boosted for shape < 1).
fn gamma(shape: f64, rng: &mut Pcg64Mcg) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.random::<f64>();
        return gamma(shape + 1.0, rng) * libm::pow(u.max(f64::MIN_POSITIVE), 1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / libm::sqrt(9.0 * d);
    loop {
        let x = standard_normal(rng);
        let t = 1.0 + c * x;
        if t <= 0.0 {
            continue;
        }
        let v = t * t * t;
        let u: f64 = rng.random::<f64>();
        if u < 1.0 - 0.0331 * (x * x) * (x * x) {
            return d * v;
        }
        if u > 0.0 && libm::log(u) < 0.5 * x * x + d * (1.0 - v + libm::log(v)) {
            return d * v;
        }
    }
}

/// A seeded generator (PCG 64-bit MCG, 128-bit state) for `seed`.
pub fn rng(seed: u64) -> Pcg64Mcg {
    Pcg64Mcg::seed_from_u64(seed)
}

/// Thompson sampling by probability matching: `draws` rounds, each drawing
/// once from every posterior; an arm's share is the fraction of rounds it
/// had the highest draw (ties go to the first). Returns shares summing to 1.
pub fn thompson_shares(posteriors: &[Beta], draws: u32, seed: u64) -> Vec<f64> {
    let n = posteriors.len();
    if n == 0 {
        return Vec::new();
    }
    let mut wins = vec![0u32; n];
    let mut rng = rng(seed);
    let draws = draws.max(1);
    for _ in 0..draws {
        let mut best = 0usize;
        let mut best_value = f64::NEG_INFINITY;
        for (i, p) in posteriors.iter().enumerate() {
            let v = p.sample(&mut rng);
            if v > best_value {
                best = i;
                best_value = v;
            }
        }
        wins[best] += 1;
    }
    wins.iter().map(|&w| w as f64 / draws as f64).collect()
}

/// Raise every share below `floor` to it, scaling the others down in
/// proportion so the total stays 1 (water-filling: repeated until no arm
/// falls below the floor). A floor of `1/n` or more gives every arm `1/n`.
pub fn apply_floor(shares: &mut [f64], floor: f64) {
    let n = shares.len();
    if n == 0 || floor <= 0.0 {
        return;
    }
    if floor * n as f64 >= 1.0 {
        shares.iter_mut().for_each(|s| *s = 1.0 / n as f64);
        return;
    }
    let raw: Vec<f64> = shares.to_vec();
    let mut floored = vec![false; n];
    loop {
        let fixed = floored.iter().filter(|&&f| f).count();
        let free_mass = 1.0 - floor * fixed as f64;
        let free_raw: f64 = (0..n).filter(|&i| !floored[i]).map(|i| raw[i]).sum();
        let mut changed = false;
        for i in 0..n {
            if floored[i] {
                shares[i] = floor;
                continue;
            }
            shares[i] = if free_raw > 0.0 {
                raw[i] * free_mass / free_raw
            } else {
                free_mass / (n - fixed) as f64
            };
            if shares[i] < floor {
                floored[i] = true;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// The index whose cumulative share contains `bucket` of `buckets`
/// (the bucket's midpoint, so every bucket maps to exactly one arm).
pub fn pick(shares: &[f64], bucket: u32, buckets: u32) -> usize {
    let u = (bucket as f64 + 0.5) / buckets as f64;
    let mut cumulative = 0.0;
    for (i, s) in shares.iter().enumerate() {
        cumulative += s;
        if u < cumulative {
            return i;
        }
    }
    shares.len().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_cdf_matches_closed_forms() {
        // Beta(1,1) is uniform; Beta(2,1) has CDF x²; Beta(1,3) has 1-(1-x)³.
        for x in [0.01, 0.2, 0.5, 0.77, 0.99] {
            assert!(
                (Beta {
                    alpha: 1.0,
                    beta: 1.0
                }
                .cdf(x)
                    - x)
                    .abs()
                    < 1e-12
            );
            assert!(
                (Beta {
                    alpha: 2.0,
                    beta: 1.0
                }
                .cdf(x)
                    - x * x)
                    .abs()
                    < 1e-12
            );
            let want = 1.0 - (1.0 - x) * (1.0 - x) * (1.0 - x);
            assert!(
                (Beta {
                    alpha: 1.0,
                    beta: 3.0
                }
                .cdf(x)
                    - want)
                    .abs()
                    < 1e-12
            );
        }
        // Beta(3,4) at 0.5: sum_{j=3}^{6} C(6,j)/64 = (20+15+6+1)/64.
        assert!(
            (Beta {
                alpha: 3.0,
                beta: 4.0
            }
            .cdf(0.5)
                - 42.0 / 64.0)
                .abs()
                < 1e-12
        );
    }

    #[test]
    fn beta_quantiles_match_reference_values() {
        // Reference values by bisection on mpmath's betainc at 30 digits.
        let cases = [
            (1.0, 1.0, 0.025, 0.025),
            (11.0, 91.0, 0.025, 0.055_637_223_835_3),
            (11.0, 91.0, 0.975, 0.174_552_826_077_1),
            (3.0, 40.0, 0.025, 0.014_979_691_670_7),
            (201.0, 9801.0, 0.975, 0.022_935_634_653_1),
            (2.0, 2.0, 0.5, 0.5),
        ];
        for (a, b, p, want) in cases {
            let q = Beta { alpha: a, beta: b }.quantile(p);
            assert!(
                (q - want).abs() < 1e-9,
                "Beta({a},{b}).ppf({p}) = {q}, want {want}"
            );
        }
        // Round trip on large shapes (normal branch and fraction branch).
        for (a, b) in [(40.0, 2000.0), (6000.0, 90_000.0), (1.0, 100_000.0)] {
            let d = Beta { alpha: a, beta: b };
            for p in [0.025, 0.5, 0.975] {
                assert!((d.cdf(d.quantile(p)) - p).abs() < 1e-6, "({a},{b}) at {p}");
            }
        }
    }

    #[test]
    fn beta_samples_have_the_right_moments() {
        let d = Beta {
            alpha: 3.0,
            beta: 7.0,
        };
        let mut r = rng(42);
        let n = 100_000;
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut r)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!((mean - 0.3).abs() < 0.003, "mean {mean}");
        let want_var = 3.0 * 7.0 / (100.0 * 11.0);
        assert!((var - want_var).abs() < 0.001, "var {var}");
        // A small shape (the boosted branch) keeps its mean too.
        let g: f64 = (0..50_000).map(|_| gamma(0.5, &mut r)).sum::<f64>() / 50_000.0;
        assert!((g - 0.5).abs() < 0.02, "gamma(0.5) mean {g}");
    }

    #[test]
    fn thompson_prefers_the_better_arm_and_is_seeded() {
        let p = [Beta::posterior(20, 1000), Beta::posterior(40, 1000)];
        let a = thompson_shares(&p, 2000, 7);
        assert_eq!(a, thompson_shares(&p, 2000, 7));
        assert!(a[1] > 0.95, "{a:?}");
        assert!((a.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // Equal evidence: roughly even.
        let even = thompson_shares(&[Beta::posterior(5, 100), Beta::posterior(5, 100)], 4000, 1);
        assert!((even[0] - 0.5).abs() < 0.05, "{even:?}");
    }

    #[test]
    fn floor_keeps_exploring_and_sums_to_one() {
        let mut s = vec![0.97, 0.02, 0.01, 0.0];
        apply_floor(&mut s, 0.05);
        assert!(s.iter().all(|&x| x >= 0.05 - 1e-12), "{s:?}");
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((s[0] - 0.85).abs() < 1e-12, "{s:?}");
        let mut all = vec![1.0, 0.0, 0.0];
        apply_floor(&mut all, 0.5);
        assert_eq!(all, vec![1.0 / 3.0; 3]);
    }

    #[test]
    fn pick_walks_the_cumulative_shares() {
        let s = [0.25, 0.5, 0.25];
        assert_eq!(pick(&s, 0, 10_000), 0);
        assert_eq!(pick(&s, 2499, 10_000), 0);
        assert_eq!(pick(&s, 2500, 10_000), 1);
        assert_eq!(pick(&s, 7499, 10_000), 1);
        assert_eq!(pick(&s, 7500, 10_000), 2);
        assert_eq!(pick(&s, 9999, 10_000), 2);
    }

    #[test]
    fn events_apply_all_or_nothing() {
        let mut state = State::default();
        let n = state
            .apply_events(concat!(
                r#"{"template":"t","variant":"a=x","segment":"rain|evening","type":"impression","count":10}"#,
                "\n",
                r#"{"template":"t","variant":"a=x","segment":"rain|evening","type":"click"}"#,
                "\n\n",
                r#"{"template":"t","variant":"control","type":"impression"}"#,
            ))
            .unwrap();
        assert_eq!(n, 3);
        let arm = &state.templates["t"].arms["a=x"];
        assert_eq!((arm.impressions, arm.clicks), (10, 1));
        assert_eq!(arm.segments["rain|evening"].impressions, 10);
        let before = state.clone();
        let err = state
            .apply_events(concat!(
                r#"{"template":"t","variant":"a=x","type":"impression"}"#,
                "\n",
                r#"{"template":"t","variant":"a=x","type":"view"}"#
            ))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("events line 2: type"), "{err}");
        assert_eq!(state, before);
    }
}
