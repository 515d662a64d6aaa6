//! A seeded simulator of the closed loop, and its regret chart.
//!
//! A [`Scenario`] is a small template with a `variants` section (four arms:
//! headline × CTA), segments of the context (`weather|daypart`) with their
//! share of traffic, and the **true** click rate of every arm in every
//! segment (the best arm differs by segment). [`run`] plays `rounds`
//! impressions: each draws a segment, hashes a fresh viewer id into a bucket
//! exactly as [`Variants::choose`] does, lets the bucket pick an arm from the
//! allocation, and draws a click from the arm's true rate. Two policies see
//! the same viewers and the same random numbers:
//!
//! - **Thompson**: the template's own allocation ([`Variants::allocate`]) over
//!   the outcomes recorded so far, refreshed every `batch` impressions (as a
//!   worker reloads its outcomes store), per segment once it has data;
//! - **uniform**: the fixed equal split a plain A/B test would use.
//!
//! Regret is the expected clicks lost against always showing the best arm of
//! the segment: `Σ (best rate − chosen arm's rate)`. [`regret_chart`] draws
//! both curves into a PNG with adloom itself (the frame, labels and legend
//! are an adloom template; the curves are tiny-skia paths on its pixels).

use crate::bandit::{self, EventKind, Outcomes};
use crate::encode::{encode, EncodeOptions, Format};
use crate::engine::{Engine, RenderInput};
use crate::error::{Error, Result};
use crate::template::{Limits, Template};
use crate::variants::{bucket_of, Allocation, Variants, BUCKETS};
use rand::Rng;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The template the default scenario tests: the variants of a retail banner.
const SCENARIO_TEMPLATE: &str = r##"{
  "name": "sim-retail",
  "sizes": [{ "size": "300x250" }],
  "variants": {
    "experiment": "sim-copy-test",
    "dimensions": [
      { "id": "headline", "alternatives": [
        { "id": "weather", "set": {} },
        { "id": "deal", "set": { "headline.text": "Save 20% today" } } ] },
      { "id": "cta", "alternatives": [
        { "id": "shop", "set": {} },
        { "id": "save", "set": { "cta.text": "Claim the deal" } } ] }
    ],
    "segmentBy": ["weather", "daypart"],
    "allocation": { "mode": "thompson", "minExplore": 0.02, "minImpressions": 300, "draws": 1000 }
  },
  "root": { "type": "div", "props": { "id": "root", "children": [
    { "type": "div", "props": { "id": "headline", "children": ["Rain again? Stay dry"] } },
    { "type": "div", "props": { "id": "cta", "children": ["Shop now"] } } ] } }
}"##;

/// One segment of the simulated traffic.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentSpec {
    /// The context keys that make the segment (`weather`, `daypart`).
    pub context: Value,
    /// Share of the traffic.
    pub share: f64,
    /// True click rate per arm, in the template's arm order.
    pub ctr: Vec<f64>,
}

/// What is simulated: a template with variants, and the truth per segment.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Template JSON with a `variants` section in `thompson` mode.
    pub template: String,
    /// The segments.
    pub segments: Vec<SegmentSpec>,
}

impl Default for Scenario {
    /// Four arms (`headline=weather|deal` × `cta=shop|save`) in three
    /// segments whose best arms differ, click rates 1.8–3.4 %.
    fn default() -> Self {
        let seg = |weather: &str, daypart: &str, share: f64, ctr: [f64; 4]| SegmentSpec {
            context: json!({ "weather": weather, "daypart": daypart }),
            share,
            ctr: ctr.to_vec(),
        };
        Scenario {
            template: SCENARIO_TEMPLATE.to_string(),
            segments: vec![
                seg("rain", "evening", 0.40, [0.034, 0.030, 0.022, 0.026]),
                seg("clear", "morning", 0.35, [0.018, 0.021, 0.027, 0.033]),
                seg("clouds", "afternoon", 0.25, [0.020, 0.028, 0.024, 0.019]),
            ],
        }
    }
}

/// Simulation settings.
#[derive(Clone, Debug)]
pub struct SimOptions {
    /// PRNG seed (segments, clicks and viewer ids derive from it). Default 7.
    pub seed: u64,
    /// Impressions. Default 20,000.
    pub rounds: u64,
    /// Impressions between outcome refreshes. Default 100.
    pub batch: u64,
    /// Points on the regret curve. Default 200.
    pub points: u64,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            seed: 7,
            rounds: 20_000,
            batch: 100,
            points: 200,
        }
    }
}

/// One point of the regret curves.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CurvePoint {
    /// Impressions so far.
    pub round: u64,
    /// Cumulative expected regret of Thompson sampling (clicks).
    pub thompson: f64,
    /// Cumulative expected regret of the uniform split (clicks).
    pub uniform: f64,
}

/// Per-segment results.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentReport {
    /// Segment key (`rain|evening`).
    pub key: String,
    /// Share of traffic.
    pub share: f64,
    /// The best arm's id.
    pub best: String,
    /// True click rates per arm.
    pub ctr: Vec<f64>,
    /// Impressions Thompson sampling gave each arm.
    pub impressions: Vec<u64>,
    /// The final Thompson allocation (shares per arm).
    pub final_shares: Vec<f64>,
}

/// The simulation's results.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimReport {
    /// Seed used.
    pub seed: u64,
    /// Impressions.
    pub rounds: u64,
    /// Refresh interval.
    pub batch: u64,
    /// Arm ids.
    pub arms: Vec<String>,
    /// Per segment.
    pub segments: Vec<SegmentReport>,
    /// The regret curves.
    pub curve: Vec<CurvePoint>,
    /// Final cumulative regret, Thompson.
    pub regret_thompson: f64,
    /// Final cumulative regret, uniform.
    pub regret_uniform: f64,
    /// `1 − thompson / uniform`.
    pub reduction: f64,
    /// Clicks drawn under Thompson sampling.
    pub clicks_thompson: u64,
    /// Clicks drawn under the uniform split (same random numbers).
    pub clicks_uniform: u64,
    /// Clicks an oracle showing each segment's best arm would expect.
    pub clicks_best_expected: f64,
}

impl SimReport {
    /// A few human lines.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} impressions, seed {}, outcomes refreshed every {}: cumulative regret Thompson {:.1} vs uniform {:.1} clicks ({:.1} % less); clicks {} vs {} (oracle expects {:.0})",
            self.rounds,
            self.seed,
            self.batch,
            self.regret_thompson,
            self.regret_uniform,
            self.reduction * 100.0,
            self.clicks_thompson,
            self.clicks_uniform,
            self.clicks_best_expected
        );
        for seg in &self.segments {
            let shares: Vec<String> = self
                .arms
                .iter()
                .zip(&seg.final_shares)
                .map(|(a, s)| format!("{a} {:.2}", s))
                .collect();
            s.push_str(&format!(
                "\n  {}: best {}; final allocation {}",
                seg.key,
                seg.best,
                shares.join(", ")
            ));
        }
        s
    }
}

/// Play the scenario. Deterministic for a seed.
pub fn run(scenario: &Scenario, options: &SimOptions) -> Result<SimReport> {
    let template = Template::parse(&scenario.template, &Limits::default())?;
    let variants: &Variants = template
        .variants
        .as_ref()
        .ok_or_else(|| Error::invalid("variants", "the scenario template has no variants"))?;
    let n = variants.arms.len();
    if scenario.segments.is_empty() {
        return Err(Error::invalid("segments", "the scenario has no segments"));
    }
    for (i, seg) in scenario.segments.iter().enumerate() {
        if seg.ctr.len() != n || seg.ctr.iter().any(|c| !(0.0..=1.0).contains(c)) {
            return Err(Error::invalid(
                format!("segments[{i}].ctr"),
                format!("expected {n} rates from 0 to 1, one per arm"),
            ));
        }
    }
    if options.rounds == 0 || options.rounds > 10_000_000 {
        return Err(Error::invalid("rounds", "expected 1 to 10,000,000"));
    }
    let keys: Vec<String> = scenario
        .segments
        .iter()
        .map(|s| variants.segment_of(&s.context).unwrap_or_default())
        .collect();
    let total_share: f64 = scenario.segments.iter().map(|s| s.share).sum();
    let best: Vec<f64> = scenario
        .segments
        .iter()
        .map(|s| s.ctr.iter().copied().fold(0.0, f64::max))
        .collect();
    let uniform = vec![1.0 / n as f64; n];
    let batch = options.batch.max(1);
    let every = (options.rounds / options.points.max(1)).max(1);

    let mut rng = bandit::rng(options.seed);
    let mut state = Outcomes::default();
    let mut snapshot = Outcomes::default();
    let mut cache: HashMap<usize, Allocation> = HashMap::new();
    let mut impressions = vec![vec![0u64; n]; keys.len()];
    let (mut regret_ts, mut regret_u) = (0.0f64, 0.0f64);
    let (mut clicks_ts, mut clicks_u) = (0u64, 0u64);
    let mut oracle = 0.0f64;
    let mut curve = vec![CurvePoint {
        round: 0,
        thompson: 0.0,
        uniform: 0.0,
    }];
    for round in 0..options.rounds {
        if round % batch == 0 && round > 0 {
            snapshot = state.clone();
            cache.clear();
        }
        // The segment of this impression, by share.
        let r: f64 = rng.random::<f64>() * total_share;
        let mut s = 0;
        let mut acc = 0.0;
        for (i, seg) in scenario.segments.iter().enumerate() {
            acc += seg.share;
            if r < acc {
                s = i;
                break;
            }
            s = i;
        }
        let viewer = format!("sim-{}-{round}", options.seed);
        let bucket = bucket_of(template.name(), &variants.experiment, "arm", &viewer);
        let alloc = cache
            .entry(s)
            .or_insert_with(|| variants.allocate(template.name(), Some(&keys[s]), Some(&snapshot)));
        let arm = bandit::pick(&alloc.shares, bucket, BUCKETS);
        let arm_u = bandit::pick(&uniform, bucket, BUCKETS);
        let ctr = &scenario.segments[s].ctr;
        // Common random numbers: one draw decides both policies' clicks.
        let u: f64 = rng.random::<f64>();
        let click = u < ctr[arm];
        clicks_ts += click as u64;
        clicks_u += (u < ctr[arm_u]) as u64;
        oracle += best[s];
        regret_ts += best[s] - ctr[arm];
        regret_u += best[s] - ctr[arm_u];
        impressions[s][arm] += 1;
        let id = &variants.arms[arm].id;
        state.record(id, Some(&keys[s]), EventKind::Impression, 1);
        if click {
            state.record(id, Some(&keys[s]), EventKind::Click, 1);
        }
        if (round + 1) % every == 0 || round + 1 == options.rounds {
            curve.push(CurvePoint {
                round: round + 1,
                thompson: regret_ts,
                uniform: regret_u,
            });
        }
    }
    let segments = scenario
        .segments
        .iter()
        .enumerate()
        .map(|(i, seg)| {
            let final_alloc = variants.allocate(template.name(), Some(&keys[i]), Some(&state));
            let b = seg
                .ctr
                .iter()
                .enumerate()
                .fold(0, |bi, (j, &c)| if c > seg.ctr[bi] { j } else { bi });
            SegmentReport {
                key: keys[i].clone(),
                share: seg.share,
                best: variants.arms[b].id.clone(),
                ctr: seg.ctr.clone(),
                impressions: impressions[i].clone(),
                final_shares: final_alloc
                    .shares
                    .iter()
                    .map(|x| (x * 1e4).round() / 1e4)
                    .collect(),
            }
        })
        .collect();
    Ok(SimReport {
        seed: options.seed,
        rounds: options.rounds,
        batch,
        arms: variants.arms.iter().map(|a| a.id.clone()).collect(),
        segments,
        curve,
        regret_thompson: regret_ts,
        regret_uniform: regret_u,
        reduction: if regret_u > 0.0 {
            1.0 - regret_ts / regret_u
        } else {
            0.0
        },
        clicks_thompson: clicks_ts,
        clicks_uniform: clicks_u,
        clicks_best_expected: oracle,
    })
}

/// A step of 1, 2 or 5 × 10^k giving at most `max_ticks` ticks up to `max`.
fn nice_step(max: f64, max_ticks: u32) -> f64 {
    let raw = (max / max_ticks as f64).max(1e-9);
    let mag = libm::pow(10.0, libm::floor(libm::log10(raw)));
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * mag >= raw {
            return m * mag;
        }
    }
    10.0 * mag
}

const CHART_W: f32 = 900.0;
const CHART_H: f32 = 520.0;
const PLOT_L: f32 = 90.0;
const PLOT_T: f32 = 86.0;
const PLOT_W: f32 = 770.0;
const PLOT_H: f32 = 340.0;
const THOMPSON_COLOR: (u8, u8, u8) = (0x0f, 0x4c, 0x81);
const UNIFORM_COLOR: (u8, u8, u8) = (0xe2, 0x3e, 0x57);

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn abs_text(id: &str, text: &str, left: f32, top: f32, width: f32, style: Value) -> Value {
    let mut s = json!({ "position": "absolute", "left": left, "top": top, "width": width });
    if let (Some(m), Value::Object(extra)) = (s.as_object_mut(), style) {
        m.extend(extra);
    }
    json!({ "type": "div", "props": { "id": id, "style": s, "children": [text] } })
}

fn rule_line(left: f32, top: f32, width: f32, height: f32, color: &str) -> Value {
    json!({ "type": "div", "props": { "style": {
        "position": "absolute", "left": left, "top": top, "width": width, "height": height,
        "backgroundColor": color } } })
}

/// The chart's frame as an adloom template: title, axes, grid, tick labels
/// and legend, laid out and painted by the engine like any creative.
fn chart_template(report: &SimReport, y_max: f64, y_step: f64, x_step: f64) -> Value {
    let mut children = vec![
        abs_text(
            "title",
            "Cumulative regret: Thompson sampling vs a fixed uniform split",
            PLOT_L,
            18.0,
            PLOT_W,
            json!({ "fontSize": 22, "fontWeight": 700, "color": "#1d1d1d" }),
        ),
        abs_text(
            "subtitle",
            &format!(
                "{} arms × {} segments, {} impressions, seed {}, outcomes refreshed every {}: regret {:.1} vs {:.1} clicks ({:.0} % less)",
                report.arms.len(),
                report.segments.len(),
                report.rounds,
                report.seed,
                report.batch,
                report.regret_thompson,
                report.regret_uniform,
                report.reduction * 100.0
            ),
            PLOT_L,
            50.0,
            PLOT_W,
            json!({ "fontSize": 13, "color": "#555555" }),
        ),
    ];
    let mut y = 0.0;
    while y <= y_max + 1e-9 {
        let top = PLOT_T + PLOT_H - (y / y_max) as f32 * PLOT_H;
        children.push(rule_line(PLOT_L, top, PLOT_W, 1.0, "#e4e4e4"));
        children.push(abs_text(
            &format!("y{}", y as u64),
            &format!("{}", y as u64),
            0.0,
            top - 8.0,
            PLOT_L - 10.0,
            json!({ "fontSize": 12, "color": "#555555", "textAlign": "right" }),
        ));
        y += y_step;
    }
    let mut x = 0.0;
    let x_max = report.rounds as f64;
    while x <= x_max + 1e-9 {
        let left = PLOT_L + (x / x_max) as f32 * PLOT_W;
        children.push(rule_line(left, PLOT_T + PLOT_H, 1.0, 6.0, "#888888"));
        children.push(abs_text(
            &format!("x{}", x as u64),
            &format!("{}", x as u64),
            left - 40.0,
            PLOT_T + PLOT_H + 10.0,
            80.0,
            json!({ "fontSize": 12, "color": "#555555", "textAlign": "center" }),
        ));
        x += x_step;
    }
    children.push(rule_line(PLOT_L, PLOT_T, 1.0, PLOT_H, "#888888"));
    children.push(rule_line(PLOT_L, PLOT_T + PLOT_H, PLOT_W, 1.0, "#888888"));
    children.push(abs_text(
        "xlabel",
        "impressions",
        PLOT_L,
        PLOT_T + PLOT_H + 32.0,
        PLOT_W,
        json!({ "fontSize": 13, "color": "#333333", "textAlign": "center" }),
    ));
    children.push(abs_text(
        "ylabel",
        "clicks lost",
        8.0,
        PLOT_T - 26.0,
        120.0,
        json!({ "fontSize": 13, "color": "#333333" }),
    ));
    let legend_top = CHART_H - 34.0;
    for (i, (label, color)) in [
        ("uniform split (fixed equal weights)", UNIFORM_COLOR),
        (
            "Thompson sampling per segment (minExplore 0.02)",
            THOMPSON_COLOR,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let left = PLOT_L + i as f32 * 340.0;
        children.push(rule_line(left, legend_top + 7.0, 28.0, 4.0, &hex(color)));
        children.push(abs_text(
            &format!("legend{i}"),
            label,
            left + 36.0,
            legend_top,
            400.0,
            json!({ "fontSize": 13, "color": "#333333" }),
        ));
    }
    json!({
        "name": "regret-chart",
        "sizes": [{ "size": format!("{}x{}", CHART_W as u32, CHART_H as u32) }],
        "root": { "type": "div", "props": { "id": "root",
            "style": { "backgroundColor": "#ffffff", "fontFamily": "Inter" },
            "children": children } }
    })
}

/// The regret curves as a PNG, rendered by adloom.
pub fn regret_chart(engine: &Engine, report: &SimReport) -> Result<Vec<u8>> {
    let top = report.regret_uniform.max(report.regret_thompson).max(1.0);
    let y_step = nice_step(top, 6);
    let y_max = libm::ceil(top / y_step) * y_step;
    let x_step = nice_step(report.rounds as f64, 5);
    let doc = chart_template(report, y_max, y_step, x_step);
    let template = engine.compile(&doc.to_string())?;
    let mut plan = engine.plan(&template, &RenderInput::default())?;
    let mut pixmap = engine.paint(&mut plan)?;
    let x_max = report.rounds as f64;
    for (pick, color) in [(0usize, UNIFORM_COLOR), (1usize, THOMPSON_COLOR)] {
        let mut pb = tiny_skia::PathBuilder::new();
        for (i, p) in report.curve.iter().enumerate() {
            let v = if pick == 0 { p.uniform } else { p.thompson };
            let x = PLOT_L + (p.round as f64 / x_max) as f32 * PLOT_W;
            let y = PLOT_T + PLOT_H - (v / y_max) as f32 * PLOT_H;
            if i == 0 {
                pb.move_to(x, y);
            } else {
                pb.line_to(x, y);
            }
        }
        let path = pb
            .finish()
            .ok_or_else(|| Error::invalid("curve", "fewer than two points"))?;
        let mut paint = tiny_skia::Paint::default();
        paint.set_color_rgba8(color.0, color.1, color.2, 255);
        paint.anti_alias = true;
        let stroke = tiny_skia::Stroke {
            width: 3.0,
            line_join: tiny_skia::LineJoin::Round,
            line_cap: tiny_skia::LineCap::Round,
            ..tiny_skia::Stroke::default()
        };
        pixmap.stroke_path(
            &path,
            &paint,
            &stroke,
            tiny_skia::Transform::identity(),
            None,
        );
    }
    encode(
        &pixmap,
        &EncodeOptions {
            format: Format::Png,
            ..EncodeOptions::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(130.0, 6), 50.0);
        assert_eq!(nice_step(20_000.0, 5), 5000.0);
        assert_eq!(nice_step(9.0, 6), 2.0);
    }
}
