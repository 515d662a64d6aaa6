//! Variants and A/B: dimensions of alternatives, deterministic bucketing,
//! a holdout control, and allocation by fixed weights or Thompson sampling.
//!
//! A template's `variants` section lists **dimensions** (headline, image, CTA,
//! palette, layout …), each with **alternatives** that `set` properties like
//! rules do. A **variant** is one alternative per dimension; its id is the
//! combination in the order written, `headline=urgent,cta=shop`. The template
//! as designed (no variant sets) is the **control**, id `control`.
//!
//! Choosing, per plan (see [`Variants::choose`]):
//!
//! 1. The **unit**: `context.viewerId` when present (a string or number), else
//!    a hash of the data and context, so the same inputs always get the same
//!    variant.
//! 2. Two buckets in `0..10000`: `xxh3_64("{template}\x1f{experiment}\x1f{purpose}\x1f{unit}") % 10000`
//!    with purpose `holdout` and `arm`. Independent hashes keep arm
//!    assignments stable when the holdout share changes.
//! 3. **Holdout**: a holdout bucket below `holdout × 10000` gets the control.
//! 4. **Allocation**: the arms' shares, from the weights (mode `fixed`, or
//!    `thompson` before `minImpressions`), or by Thompson sampling over the
//!    Beta posteriors of the outcomes, per segment when the segment has
//!    enough data (see [`crate::bandit`]).
//! 5. The arm bucket's midpoint picks the arm from the cumulative shares.
//!
//! Precedence in evaluation: template → size overrides → variant sets →
//! rules. Rules still react to the chosen variant (`{"var": "variant.headline"}`),
//! and a rule that overrides what a variant set is listed in the decision's
//! `overriddenByRules`, so analysts know which impressions did not show the
//! tested copy.

use crate::bandit::{self, ArmOutcomes, Beta, Counts, Metric, Outcomes};
use crate::error::{Error, Result};
use crate::template::{compile_assignment, Assignment, Limits, NodeIndex, TemplateNode};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

/// Buckets per unit hash: shares resolve to 0.01 %.
pub const BUCKETS: u32 = 10_000;
/// Most dimensions in a `variants` section.
pub const MAX_DIMENSIONS: usize = 8;
/// Most alternatives in one dimension.
pub const MAX_ALTERNATIVES: usize = 32;
/// Most combinations (arms) of all dimensions.
pub const MAX_COMBINATIONS: usize = 256;
/// Most posterior draws per allocation.
pub const MAX_DRAWS: u32 = 20_000;
/// The id of the template as designed, shown to the holdout.
pub const CONTROL: &str = "control";

/// The `variants` section of a template.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VariantsDoc {
    /// Experiment name: part of the bucketing hash, so a new name reshuffles
    /// viewers (default: the template name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<String>,
    /// What the experiment tests, for people reading decisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Dimensions of alternatives; a variant is one alternative of each.
    pub dimensions: Vec<DimensionDoc>,
    /// Share of viewers (0 to <1) held out on the control: the template as
    /// designed, no variant sets. Default 0.
    #[serde(default)]
    pub holdout: f64,
    /// Context keys whose values, joined by `|`, make the segment key
    /// (`["weather", "daypart"]` → `rain|evening`); dotted paths reach into
    /// objects; a missing value is `-`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segment_by: Vec<String>,
    /// How traffic is split between the variants.
    #[serde(default)]
    pub allocation: AllocationDoc,
}

/// One dimension, e.g. `headline`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DimensionDoc {
    /// Dimension id (letters, digits, `-`, `_`; not `id` or `control`).
    pub id: String,
    /// What varies, for people reading decisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The alternatives, at least one.
    pub alternatives: Vec<AlternativeDoc>,
}

/// One alternative of a dimension.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlternativeDoc {
    /// Alternative id (letters, digits, `-`, `_`).
    pub id: String,
    /// Relative weight in its dimension (default 1; 0 pauses it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// `"<nodeId>.<property>": value`, as in rules; empty keeps the template's.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[schemars(with = "HashMap<String, Value>")]
    pub set: Map<String, Value>,
}

/// How traffic is split.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum AllocationMode {
    /// By the weights, always (default).
    #[default]
    Fixed,
    /// Thompson sampling over the outcomes once there are `minImpressions`;
    /// the weights before that, or when no outcomes are given.
    Thompson,
}

/// Allocation options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct AllocationDoc {
    /// `fixed` (default) or `thompson`.
    pub mode: AllocationMode,
    /// Least share every active arm keeps under Thompson sampling (default 0.05).
    pub min_explore: f64,
    /// Impressions (over all arms) before Thompson sampling replaces the
    /// weights, and within a segment before its own posteriors replace the
    /// pooled ones (default 1000).
    pub min_impressions: u64,
    /// Posterior draws per allocation (default 1000, at most 20000).
    pub draws: u32,
    /// The rate optimised: `clicks` (default) or `conversions` per impression.
    pub metric: Metric,
}

impl Default for AllocationDoc {
    fn default() -> Self {
        AllocationDoc {
            mode: AllocationMode::Fixed,
            min_explore: 0.05,
            min_impressions: 1000,
            draws: 1000,
            metric: Metric::Clicks,
        }
    }
}

/// A compiled alternative.
#[derive(Clone, Debug)]
pub struct Alternative {
    /// Its id.
    pub id: String,
    /// Its weight as written (default 1).
    pub weight: f64,
    /// What it sets.
    pub set: Vec<Assignment>,
    /// JSON path of its `set`, for messages.
    pub path: String,
}

/// A compiled dimension.
#[derive(Clone, Debug)]
pub struct Dimension {
    /// Its id.
    pub id: String,
    /// Its alternatives.
    pub alternatives: Vec<Alternative>,
}

/// One combination of alternatives.
#[derive(Clone, Debug, PartialEq)]
pub struct Arm {
    /// `dim=alt,dim=alt` in dimension order.
    pub id: String,
    /// Index of the chosen alternative per dimension.
    pub choice: Vec<usize>,
    /// Product of the normalised weights (sums to 1 over all arms).
    pub weight: f64,
}

/// A compiled `variants` section.
#[derive(Clone, Debug)]
pub struct Variants {
    /// Experiment name (bucketing salt).
    pub experiment: String,
    /// Dimensions in order.
    pub dimensions: Vec<Dimension>,
    /// Every combination, last dimension varying fastest.
    pub arms: Vec<Arm>,
    /// Holdout share.
    pub holdout: f64,
    /// Segment keys.
    pub segment_by: Vec<String>,
    /// Allocation options.
    pub allocation: AllocationDoc,
}

/// Where the shares came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Basis {
    /// The weights.
    Weights,
    /// Thompson sampling over the viewer's segment's posteriors.
    Segment,
    /// Thompson sampling over the posteriors of all segments together.
    Pooled,
    /// The input named the variant.
    Forced,
}

/// One arm's line in the decision's allocation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArmAllocation {
    /// Variant id (or `control`).
    pub id: String,
    /// Share of all traffic this arm gets (holdout included; sums to 1).
    pub share: f64,
    /// Its weight (normalised product of its alternatives' weights).
    pub weight: f64,
    /// Share of posterior draws it won (Thompson only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wins: Option<f64>,
    /// Impressions behind its posterior (segment or pooled, as used).
    pub impressions: u64,
    /// Clicks (or conversions) behind its posterior.
    pub successes: u64,
    /// Posterior mean rate (when outcomes were given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posterior_mean: Option<f64>,
    /// 95 % credible interval of the rate (when outcomes were given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci95: Option<[f64; 2]>,
    /// Why it gets this share.
    pub reason: String,
}

/// The variant part of a decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VariantDecision {
    /// `headline=urgent,cta=shop`, or `control`.
    pub id: String,
    /// Chosen alternative per dimension (empty for the control).
    #[schemars(with = "HashMap<String, String>")]
    pub dimensions: Map<String, Value>,
    /// True for the holdout: the template as designed.
    pub control: bool,
    /// The unit's arm bucket, 0 to 9999.
    pub bucket: u32,
    /// The unit's holdout bucket, 0 to 9999 (control when below holdout × 10000).
    pub holdout_bucket: u32,
    /// `viewerId`, `inputs` (no viewer id: a hash of data and context) or `forced`.
    pub bucketed_by: String,
    /// Experiment name.
    pub experiment: String,
    /// The viewer's segment key, when the experiment segments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Allocation mode configured.
    pub mode: AllocationMode,
    /// Where the shares came from.
    pub basis: Basis,
    /// Why this viewer sees this variant.
    pub reason: String,
    /// Why the traffic is split this way.
    pub allocation_reason: String,
    /// Every arm's share, posterior and reason (the control first when held out).
    pub allocation: Vec<ArmAllocation>,
    /// Seed of the posterior draws (hex), when Thompson sampling ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// Variant set keys a fired rule overrode (the viewer did not see them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overridden_by_rules: Vec<String>,
}

/// An allocation: shares over the arms (among viewers outside the holdout).
#[derive(Clone, Debug, PartialEq)]
pub struct Allocation {
    /// Share per arm (same order as [`Variants::arms`]); sums to 1.
    pub shares: Vec<f64>,
    /// Where they came from.
    pub basis: Basis,
    /// Why.
    pub reason: String,
    /// Per-arm lines for the decision (control first when held out).
    pub lines: Vec<ArmAllocation>,
    /// Seed of the draws, when Thompson sampling ran.
    pub seed: Option<u64>,
}

/// The outcome of [`Variants::choose`].
#[derive(Clone, Debug, PartialEq)]
pub struct Chosen {
    /// Index into [`Variants::arms`], or `None` for the control.
    pub arm: Option<usize>,
    /// What the decision records.
    pub decision: VariantDecision,
}

fn check_id(id: &str, path: &str, what: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            path,
            format!("{what} ids are 1 to 64 letters, digits, `-` or `_` (got \"{id}\")"),
        ))
    }
}

fn round_to(x: f64, digits: i32) -> f64 {
    let f = libm::pow(10.0, digits as f64);
    (x * f).round() / f
}

impl Variants {
    /// Validate and compile a `variants` section against the template's nodes.
    pub fn compile(
        doc: &VariantsDoc,
        template_name: &str,
        nodes: &[TemplateNode],
        ids: &HashMap<String, NodeIndex>,
        limits: &Limits,
        warnings: &mut Vec<String>,
    ) -> Result<Variants> {
        let experiment = doc
            .experiment
            .clone()
            .unwrap_or_else(|| template_name.to_string());
        if experiment.is_empty() || experiment.len() > 128 {
            return Err(Error::invalid(
                "variants.experiment",
                "expected 1 to 128 bytes",
            ));
        }
        if doc.dimensions.is_empty() {
            return Err(Error::invalid(
                "variants.dimensions",
                "list at least one dimension",
            ));
        }
        if doc.dimensions.len() > MAX_DIMENSIONS {
            return Err(Error::limit(
                "variants.dimensions",
                "maxDimensions",
                MAX_DIMENSIONS as u64,
                doc.dimensions.len() as u64,
            ));
        }
        let mut dimensions = Vec::with_capacity(doc.dimensions.len());
        let mut combinations = 1usize;
        for (d, dim) in doc.dimensions.iter().enumerate() {
            let path = format!("variants.dimensions[{d}]");
            check_id(&dim.id, &format!("{path}.id"), "dimension")?;
            if matches!(dim.id.as_str(), "id" | "control") {
                return Err(Error::invalid(
                    format!("{path}.id"),
                    format!(
                        "`{}` is reserved (rules read `variant.id` and `variant.control`)",
                        dim.id
                    ),
                ));
            }
            if dimensions.iter().any(|o: &Dimension| o.id == dim.id) {
                return Err(Error::invalid(
                    format!("{path}.id"),
                    format!("dimension `{}` is listed twice", dim.id),
                ));
            }
            if dim.alternatives.is_empty() {
                return Err(Error::invalid(
                    format!("{path}.alternatives"),
                    "list at least one alternative",
                ));
            }
            if dim.alternatives.len() > MAX_ALTERNATIVES {
                return Err(Error::limit(
                    format!("{path}.alternatives"),
                    "maxAlternatives",
                    MAX_ALTERNATIVES as u64,
                    dim.alternatives.len() as u64,
                ));
            }
            combinations = combinations.saturating_mul(dim.alternatives.len());
            if combinations > MAX_COMBINATIONS {
                return Err(Error::limit(
                    "variants.dimensions",
                    "maxCombinations",
                    MAX_COMBINATIONS as u64,
                    combinations as u64,
                ));
            }
            let mut alternatives: Vec<Alternative> = Vec::with_capacity(dim.alternatives.len());
            for (a, alt) in dim.alternatives.iter().enumerate() {
                let at = format!("{path}.alternatives[{a}]");
                check_id(&alt.id, &format!("{at}.id"), "alternative")?;
                if alternatives.iter().any(|o| o.id == alt.id) {
                    return Err(Error::invalid(
                        format!("{at}.id"),
                        format!("alternative `{}` is listed twice in `{}`", alt.id, dim.id),
                    ));
                }
                let weight = alt.weight.unwrap_or(1.0);
                if !weight.is_finite() || weight < 0.0 {
                    return Err(Error::invalid(
                        format!("{at}.weight"),
                        format!("expected a number ≥ 0, got {weight}"),
                    ));
                }
                let mut set = Vec::with_capacity(alt.set.len());
                for (key, value) in &alt.set {
                    let kp = format!("{at}.set[\"{key}\"]");
                    let (node_id, prop) = key
                        .split_once('.')
                        .ok_or_else(|| Error::invalid(&kp, "keys are `<nodeId>.<property>`"))?;
                    let node = *ids.get(node_id).ok_or_else(|| {
                        Error::invalid(&kp, format!("no node has id `{node_id}`"))
                    })?;
                    set.push(compile_assignment(
                        nodes, node, prop, value, &kp, limits, warnings,
                    )?);
                }
                alternatives.push(Alternative {
                    id: alt.id.clone(),
                    weight,
                    set,
                    path: format!("{at}.set"),
                });
            }
            if alternatives.iter().all(|a| a.weight == 0.0) {
                return Err(Error::invalid(
                    format!("{path}.alternatives"),
                    "at least one alternative needs a weight above 0",
                ));
            }
            dimensions.push(Dimension {
                id: dim.id.clone(),
                alternatives,
            });
        }
        if !(0.0..1.0).contains(&doc.holdout) || !doc.holdout.is_finite() {
            return Err(Error::invalid(
                "variants.holdout",
                format!("expected a share from 0 to below 1, got {}", doc.holdout),
            ));
        }
        for (i, key) in doc.segment_by.iter().enumerate() {
            if key.is_empty() || key.len() > 64 {
                return Err(Error::invalid(
                    format!("variants.segmentBy[{i}]"),
                    "expected a context key of 1 to 64 bytes",
                ));
            }
        }
        if doc.segment_by.len() > 4 {
            return Err(Error::limit(
                "variants.segmentBy",
                "maxSegmentKeys",
                4,
                doc.segment_by.len() as u64,
            ));
        }
        let arms = combine(&dimensions);
        let active = arms.iter().filter(|a| a.weight > 0.0).count();
        let al = &doc.allocation;
        if !al.min_explore.is_finite() || al.min_explore < 0.0 {
            return Err(Error::invalid(
                "variants.allocation.minExplore",
                format!("expected a share ≥ 0, got {}", al.min_explore),
            ));
        }
        if al.min_explore * active as f64 > 1.0 {
            return Err(Error::invalid(
                "variants.allocation.minExplore",
                format!(
                    "{} arms × {} exceeds the whole traffic; use at most {}",
                    active,
                    al.min_explore,
                    1.0 / active as f64
                ),
            ));
        }
        if al.draws == 0 || al.draws > MAX_DRAWS {
            return Err(Error::invalid(
                "variants.allocation.draws",
                format!("expected 1 to {MAX_DRAWS}, got {}", al.draws),
            ));
        }
        Ok(Variants {
            experiment,
            dimensions,
            arms,
            holdout: doc.holdout,
            segment_by: doc.segment_by.clone(),
            allocation: al.clone(),
        })
    }

    /// The segment key of a context, when the experiment segments.
    pub fn segment_of(&self, context: &Value) -> Option<String> {
        if self.segment_by.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .segment_by
            .iter()
            .map(|key| {
                let v = key
                    .split('.')
                    .try_fold(context, |v, seg| v.get(seg))
                    .unwrap_or(&Value::Null);
                match v {
                    Value::String(s) if !s.is_empty() => s.chars().take(64).collect(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => "-".to_string(),
                }
            })
            .collect();
        Some(parts.join("|"))
    }

    /// The traffic shares for a segment, given the outcomes so far.
    pub fn allocate(
        &self,
        template: &str,
        segment: Option<&str>,
        outcomes: Option<&Outcomes>,
    ) -> Allocation {
        let al = &self.allocation;
        let metric = al.metric;
        let empty = ArmOutcomes::default();
        let arm_outcomes: Vec<&ArmOutcomes> = self
            .arms
            .iter()
            .map(|a| outcomes.and_then(|o| o.arms.get(&a.id)).unwrap_or(&empty))
            .collect();
        let active: Vec<bool> = self.arms.iter().map(|a| a.weight > 0.0).collect();
        let pooled: Vec<Counts> = arm_outcomes.iter().map(|o| o.totals()).collect();
        let in_segment: Vec<Counts> = arm_outcomes
            .iter()
            .map(|o| {
                segment
                    .and_then(|s| o.segments.get(s))
                    .copied()
                    .unwrap_or_default()
            })
            .collect();
        let sum = |c: &[Counts]| -> u64 {
            c.iter()
                .zip(&active)
                .filter(|(_, &a)| a)
                .fold(0u64, |t, (c, _)| t.saturating_add(c.impressions))
        };
        let pooled_total = sum(&pooled);
        let segment_total = sum(&in_segment);
        let weights: Vec<f64> = self.arms.iter().map(|a| a.weight).collect();

        let mut basis = Basis::Weights;
        let reason;
        if al.mode == AllocationMode::Fixed {
            reason = "fixed weights (allocation mode `fixed`)".to_string();
        } else if outcomes.is_none() {
            reason = format!(
                "fixed weights: no outcomes given (Thompson sampling starts at {} impressions)",
                al.min_impressions
            );
        } else if pooled_total < al.min_impressions {
            reason = format!(
                "fixed weights until {} impressions; {} so far",
                al.min_impressions, pooled_total
            );
        } else if segment.is_some() && segment_total >= al.min_impressions {
            basis = Basis::Segment;
            reason = format!(
                "Thompson sampling on segment `{}` posteriors ({} impressions ≥ minImpressions {}): {} draws, each arm at least {}",
                segment.unwrap_or_default(),
                segment_total,
                al.min_impressions,
                al.draws,
                al.min_explore
            );
        } else {
            basis = Basis::Pooled;
            let why_pooled = match segment {
                Some(s) => format!(
                    "; segment `{s}` has {segment_total} < {} impressions",
                    al.min_impressions
                ),
                None => String::new(),
            };
            reason = format!(
                "Thompson sampling on pooled posteriors ({} impressions){why_pooled}: {} draws, each arm at least {}",
                pooled_total, al.draws, al.min_explore
            );
        }
        let used: &[Counts] = if basis == Basis::Segment {
            &in_segment
        } else {
            &pooled
        };
        let posteriors: Vec<Beta> = used
            .iter()
            .map(|c| Beta::posterior(c.successes(metric), c.impressions))
            .collect();

        let (shares, wins, seed) = if basis == Basis::Weights {
            (weights.clone(), None, None)
        } else {
            let idx: Vec<usize> = (0..self.arms.len()).filter(|&i| active[i]).collect();
            let active_posteriors: Vec<Beta> = idx.iter().map(|&i| posteriors[i]).collect();
            let seed = self.draw_seed(template, basis, segment, &active_posteriors);
            let won = bandit::thompson_shares(&active_posteriors, al.draws, seed);
            let mut floored = won.clone();
            bandit::apply_floor(&mut floored, al.min_explore);
            let mut shares = vec![0.0; self.arms.len()];
            let mut wins = vec![0.0; self.arms.len()];
            for (k, &i) in idx.iter().enumerate() {
                shares[i] = floored[k];
                wins[i] = won[k];
            }
            (shares, Some(wins), Some(seed))
        };

        let keep = 1.0 - self.holdout;
        let mut lines = Vec::with_capacity(self.arms.len() + 1);
        if self.holdout > 0.0 {
            let c = outcomes.and_then(|o| o.arms.get(CONTROL));
            let counts = c
                .map(|c| {
                    if basis == Basis::Segment {
                        segment
                            .and_then(|s| c.segments.get(s))
                            .copied()
                            .unwrap_or_default()
                    } else {
                        c.totals()
                    }
                })
                .unwrap_or_default();
            let mut line = ArmAllocation {
                id: CONTROL.to_string(),
                share: round_to(self.holdout, 4),
                weight: 0.0,
                wins: None,
                impressions: counts.impressions,
                successes: counts.successes(metric),
                posterior_mean: None,
                ci95: None,
                reason: format!(
                    "holdout: {} % of viewers see the template as designed",
                    round_to(self.holdout * 100.0, 2)
                ),
            };
            if outcomes.is_some() {
                describe_posterior(
                    &mut line,
                    Beta::posterior(counts.successes(metric), counts.impressions),
                );
            }
            lines.push(line);
        }
        for (i, arm) in self.arms.iter().enumerate() {
            let arm_reason = if !active[i] {
                "paused: an alternative has weight 0".to_string()
            } else {
                match &wins {
                    None => format!(
                        "weight {}: its alternatives' weights, normalised and multiplied",
                        round_to(arm.weight, 4)
                    ),
                    Some(w) => {
                        let mut r = format!(
                            "won {} % of {} posterior draws",
                            round_to(w[i] * 100.0, 2),
                            al.draws
                        );
                        if shares[i] > w[i] + 1e-12 && (shares[i] - al.min_explore).abs() < 1e-9 {
                            r.push_str(&format!(
                                "; raised to the minExplore floor {} (of the traffic outside the holdout)",
                                al.min_explore
                            ));
                        } else if shares[i] + 1e-12 < w[i] {
                            r.push_str("; scaled down to fund the other arms' exploration floor");
                        }
                        r
                    }
                }
            };
            let c = used[i];
            let mut line = ArmAllocation {
                id: arm.id.clone(),
                share: round_to(shares[i] * keep, 4),
                weight: round_to(arm.weight, 4),
                wins: wins.as_ref().map(|w| round_to(w[i], 4)),
                impressions: c.impressions,
                successes: c.successes(metric),
                posterior_mean: None,
                ci95: None,
                reason: arm_reason,
            };
            if outcomes.is_some() {
                describe_posterior(&mut line, posteriors[i]);
            }
            lines.push(line);
        }
        Allocation {
            shares,
            basis,
            reason,
            lines,
            seed,
        }
    }

    /// Seed of the posterior draws: a hash of the template, experiment, basis
    /// and every posterior, so the same state gives the same allocation on
    /// every host, and new outcomes give fresh draws.
    fn draw_seed(
        &self,
        template: &str,
        basis: Basis,
        segment: Option<&str>,
        posteriors: &[Beta],
    ) -> u64 {
        let mut h = Xxh3::new();
        h.update(b"adloom-thompson-1\x1f");
        h.update(template.as_bytes());
        h.update(b"\x1f");
        h.update(self.experiment.as_bytes());
        h.update(b"\x1f");
        if basis == Basis::Segment {
            h.update(segment.unwrap_or_default().as_bytes());
        } else {
            h.update(b"*pooled*");
        }
        for p in posteriors {
            h.update(&p.alpha.to_bits().to_le_bytes());
            h.update(&p.beta.to_bits().to_le_bytes());
        }
        h.digest()
    }

    /// Choose the variant for one plan. `forced` names a variant (or
    /// `control`) to show regardless of bucketing, for previews and QA.
    pub fn choose(
        &self,
        template: &str,
        data: &Value,
        context: &Value,
        outcomes: Option<&Outcomes>,
        forced: Option<&str>,
    ) -> Result<Chosen> {
        let viewer = match context.get("viewerId") {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let (unit, bucketed_by, unit_text) = match &viewer {
            Some(v) => (
                v.clone(),
                "viewerId",
                format!("viewer `{}`", v.chars().take(64).collect::<String>()),
            ),
            None => (
                format!("inputs:{:016x}", inputs_hash(data, context)),
                "inputs",
                "no context.viewerId, so the data and context".to_string(),
            ),
        };
        let bucket = bucket_of(template, &self.experiment, "arm", &unit);
        let holdout_bucket = bucket_of(template, &self.experiment, "holdout", &unit);
        let segment = self.segment_of(context);
        let mut allocation = self.allocate(template, segment.as_deref(), outcomes);
        let holdout_limit = (self.holdout * BUCKETS as f64).round() as u32;

        let (arm, reason, bucketed_by) = if let Some(f) = forced {
            let arm = if f == CONTROL {
                None
            } else {
                Some(self.arms.iter().position(|a| a.id == f).ok_or_else(|| {
                    let list: Vec<&str> =
                        self.arms.iter().take(12).map(|a| a.id.as_str()).collect();
                    Error::invalid(
                        "variant",
                        format!(
                            "unknown variant \"{f}\"; this template's variants are control, {}{}",
                            list.join(", "),
                            if self.arms.len() > 12 { ", …" } else { "" }
                        ),
                    )
                })?)
            };
            allocation.basis = Basis::Forced;
            (
                arm,
                format!("forced by the input's `variant` (\"{f}\"); bucketing skipped"),
                "forced",
            )
        } else {
            let hashed = format!(
                "{unit_text} hashed to bucket {bucket} and holdout bucket {holdout_bucket} of {BUCKETS} (xxh3 of template, experiment and unit)"
            );
            if holdout_bucket < holdout_limit {
                (
                    None,
                    format!(
                        "{hashed}; holdout bucket {holdout_bucket} < {holdout_limit} ({} % holdout): the control, the template as designed",
                        round_to(self.holdout * 100.0, 2)
                    ),
                    bucketed_by,
                )
            } else {
                let i = bandit::pick(&allocation.shares, bucket, BUCKETS);
                let start: f64 = allocation.shares[..i].iter().sum();
                let end = start + allocation.shares[i];
                let held = if holdout_limit > 0 {
                    format!(
                        "outside the {} % holdout; ",
                        round_to(self.holdout * 100.0, 2)
                    )
                } else {
                    String::new()
                };
                (
                    Some(i),
                    format!(
                        "{hashed}; {held}bucket {bucket} falls in `{}` (cumulative shares {:.4}–{:.4}, {})",
                        self.arms[i].id,
                        start,
                        end,
                        match allocation.basis {
                            Basis::Weights => "by weight",
                            Basis::Segment => "Thompson sampling on the segment",
                            _ => "Thompson sampling on pooled outcomes",
                        }
                    ),
                    bucketed_by,
                )
            }
        };
        let mut dimensions = Map::new();
        if let Some(i) = arm {
            for (d, &a) in self.dimensions.iter().zip(&self.arms[i].choice) {
                dimensions.insert(d.id.clone(), Value::from(d.alternatives[a].id.clone()));
            }
        }
        let decision = VariantDecision {
            id: arm
                .map(|i| self.arms[i].id.clone())
                .unwrap_or_else(|| CONTROL.to_string()),
            dimensions,
            control: arm.is_none(),
            bucket,
            holdout_bucket,
            bucketed_by: bucketed_by.to_string(),
            experiment: self.experiment.clone(),
            segment,
            mode: self.allocation.mode,
            basis: allocation.basis,
            reason,
            allocation_reason: allocation.reason,
            allocation: allocation.lines,
            seed: allocation.seed.map(|s| format!("{s:016x}")),
            overridden_by_rules: Vec::new(),
        };
        Ok(Chosen { arm, decision })
    }

    /// The assignments the chosen variant applies, in dimension order.
    pub fn assignments(&self, chosen: &Chosen) -> Vec<&Assignment> {
        let Some(i) = chosen.arm else {
            return Vec::new();
        };
        self.dimensions
            .iter()
            .zip(&self.arms[i].choice)
            .flat_map(|(d, &a)| d.alternatives[a].set.iter())
            .collect()
    }

    /// What rules see under `variant`: `{ "id", "control", "<dimension>": "<alternative>" }`.
    pub fn rule_input(chosen: &Chosen) -> Value {
        let mut m = chosen.decision.dimensions.clone();
        m.insert("id".into(), Value::from(chosen.decision.id.clone()));
        m.insert("control".into(), Value::from(chosen.decision.control));
        Value::Object(m)
    }

    /// The JSON path of a variant assignment, for messages.
    pub fn path_of(&self, a: &Assignment) -> Option<String> {
        self.dimensions
            .iter()
            .flat_map(|d| d.alternatives.iter())
            .find(|alt| alt.set.iter().any(|s| std::ptr::eq(s, a)))
            .map(|alt| format!("{}[\"{}\"]", alt.path, a.key))
    }
}

fn describe_posterior(line: &mut ArmAllocation, p: Beta) {
    let (lo, hi) = p.credible_interval_95();
    line.posterior_mean = Some(round_to(p.mean(), 5));
    line.ci95 = Some([round_to(lo, 5), round_to(hi, 5)]);
}

/// Every combination, last dimension fastest; weights normalised per
/// dimension and multiplied.
fn combine(dimensions: &[Dimension]) -> Vec<Arm> {
    let mut arms = vec![Arm {
        id: String::new(),
        choice: Vec::new(),
        weight: 1.0,
    }];
    for d in dimensions {
        let total: f64 = d.alternatives.iter().map(|a| a.weight).sum();
        let mut next = Vec::with_capacity(arms.len() * d.alternatives.len());
        for arm in &arms {
            for (i, alt) in d.alternatives.iter().enumerate() {
                let mut choice = arm.choice.clone();
                choice.push(i);
                let part = format!("{}={}", d.id, alt.id);
                next.push(Arm {
                    id: if arm.id.is_empty() {
                        part
                    } else {
                        format!("{},{part}", arm.id)
                    },
                    choice,
                    weight: arm.weight * alt.weight / total,
                });
            }
        }
        arms = next;
    }
    arms
}

/// The bucket (0 to 9999) of a unit: `xxh3_64` of
/// `"{template}\x1f{experiment}\x1f{purpose}\x1f{unit}"` modulo 10000.
/// Pure integer hashing of UTF-8 bytes: the same on every platform.
pub fn bucket_of(template: &str, experiment: &str, purpose: &str, unit: &str) -> u32 {
    let key = format!("{template}\x1f{experiment}\x1f{purpose}\x1f{unit}");
    (xxh3_64(key.as_bytes()) % BUCKETS as u64) as u32
}

/// A hash of data and context that ignores key order: the bucketing unit
/// when there is no viewer id. Walks iteratively (inputs may be deep).
pub fn inputs_hash(data: &Value, context: &Value) -> u64 {
    enum Item<'a> {
        Value(&'a Value),
        Raw(&'static [u8]),
        Key(&'a str),
    }
    let mut h = Xxh3::new();
    let mut stack = vec![Item::Value(context), Item::Raw(b"|"), Item::Value(data)];
    while let Some(item) = stack.pop() {
        match item {
            Item::Raw(b) => h.update(b),
            Item::Key(k) => {
                h.update(b"k");
                h.update(&(k.len() as u64).to_le_bytes());
                h.update(k.as_bytes());
            }
            Item::Value(v) => match v {
                Value::Null => h.update(b"n"),
                Value::Bool(b) => h.update(if *b { b"t" } else { b"f" }),
                Value::Number(n) => {
                    h.update(b"#");
                    h.update(n.to_string().as_bytes());
                    h.update(b";");
                }
                Value::String(s) => {
                    h.update(b"s");
                    h.update(&(s.len() as u64).to_le_bytes());
                    h.update(s.as_bytes());
                }
                Value::Array(items) => {
                    h.update(b"[");
                    stack.push(Item::Raw(b"]"));
                    for x in items.iter().rev() {
                        stack.push(Item::Value(x));
                    }
                }
                Value::Object(m) => {
                    h.update(b"{");
                    stack.push(Item::Raw(b"}"));
                    let mut entries: Vec<(&String, &Value)> = m.iter().collect();
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                    for (k, v) in entries.into_iter().rev() {
                        stack.push(Item::Value(v));
                        stack.push(Item::Key(k));
                    }
                }
            },
        }
    }
    h.digest()
}
