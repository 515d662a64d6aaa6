//! An explainable aesthetic score in [0, 1], from the laid-out scene, its
//! pixels and the theme colours of its images.
//!
//! The score is a weighted mean of seven components, each in [0, 1] and each
//! reported with its weight, value and a reason:
//!
//! | component | weight | measures |
//! |---|---|---|
//! | `legibility` | 0.25 | per text element, the 10th-percentile WCAG contrast over its rendered background (1.5 → 0, 7 → 1, on a log scale) times a size factor (7 px → 0, 12 px → 1); mean weighted by √chars |
//! | `balance` | 0.10 | the centre of visual weight (ΔE of each sampled pixel from the canvas's border colour) — 1 at the centre, 0 at a corner |
//! | `whitespace` | 0.15 | share of the canvas that differs from the background: 1 between 25 % and 70 %, falling to 0 at 3 % and 95 %; × a crowding factor for text boxes that overlap other text or touch the canvas edge |
//! | `alignment` | 0.15 | per content box (text ink, images, filled leaf boxes): stacked neighbours (overlapping horizontally) should share a left, centre or right line, side-by-side neighbours a top, middle or bottom line (2.5 px tolerance); the mean share of checks that hold |
//! | `harmony` | 0.10 | hue relation of every chromatic layout colour (solid and gradient fills ≥ 1 % of the canvas, text): the mean of its best relation to the product image's theme colours (else the main layout colour) and its worst relation to the other layout colours; analogous (≤ 30°) or complementary (180° ± 30°) = 1, triadic (120° ± 15°) = 0.8, in between down to 0.1; weighted by area × chroma |
//! | `density` | 0.10 | text ink area ≤ 22 % of the canvas = 1, 50 % = 0; and ≤ 40 words = 1, 90 words = 0 (the lower) |
//! | `crop` | 0.15 | per image, the share of its subject that the crop keeps (subject = the non-backdrop box from the theme; for photos without a backdrop, the central third of the image), area-weighted |
//!
//! It is a heuristic, validated on a labelled set of good vs deliberately
//! broken layouts (`tests/score-set/`, see the README for the accuracy).

use std::collections::HashMap;

use crate::draw::Rect;
use crate::guardrails::Measures;
use crate::layout::Layout;
use crate::scene::{Content, Scene};
use crate::theme::{lab_of, Theme};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One component of the score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    /// `legibility`, `balance`, `whitespace`, `alignment`, `harmony`, `density`, `crop`.
    pub name: String,
    /// Its weight (the weights sum to 1).
    pub weight: f64,
    /// Its value in [0, 1], rounded to 0.001.
    pub value: f64,
    /// Why, for people.
    pub reason: String,
}

/// The aesthetic score of one rendered creative.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    /// Weighted mean of the components, in [0, 1], rounded to 0.001.
    pub value: f64,
    /// The components.
    pub components: Vec<Component>,
}

fn r3(v: f64) -> f64 {
    (v.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}

fn ramp(v: f64, lo: f64, hi: f64) -> f64 {
    ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
}

/// Theme and pixel size of the image loaded under a key.
pub type ImageFacts<'a> = dyn Fn(&str) -> Option<(std::sync::Arc<Theme>, u32, u32)> + 'a;

/// Inputs of the score besides the scene and layout.
pub struct ScoreInput<'a> {
    /// The rendered canvas.
    pub pixmap: &'a tiny_skia::Pixmap,
    /// Measurements shared with the guardrails.
    pub measures: &'a Measures,
    /// Theme and pixel size of the image each image node shows, when loaded.
    pub image: &'a ImageFacts<'a>,
}

/// Score a rendered creative.
pub fn score(scene: &Scene, layout: &Layout, input: &ScoreInput) -> Score {
    let samples = Samples::of(input.pixmap);
    let components = vec![
        legibility(input.measures),
        balance(&samples),
        whitespace(&samples, input.measures, scene),
        alignment(scene, layout, input.measures),
        harmony(scene, layout, input),
        density(scene, input.measures),
        crop(scene, input),
    ];
    let value = components.iter().map(|c| c.weight * c.value).sum::<f64>();
    Score {
        value: r3(value),
        components,
    }
}

fn component(name: &str, weight: f64, value: f64, reason: String) -> Component {
    Component {
        name: name.to_string(),
        weight,
        value: r3(value),
        reason,
    }
}

fn legibility(m: &Measures) -> Component {
    let mut num = 0.0;
    let mut den = 0.0;
    let mut worst: Option<(f64, usize)> = None;
    for t in &m.texts {
        let Some(c) = t.contrast else { continue };
        let v = ramp(c.ln(), 1.5f64.ln(), 7.0f64.ln()) * ramp(f64::from(t.size), 7.0, 12.0);
        let w = (t.chars.max(1) as f64).sqrt();
        num += v * w;
        den += w;
        if worst.is_none_or(|(wc, _)| c < wc) {
            worst = Some((c, t.node));
        }
    }
    if den == 0.0 {
        return component("legibility", 0.25, 1.0, "no text".to_string());
    }
    let (wc, _) = worst.unwrap_or((0.0, 0));
    component(
        "legibility",
        0.25,
        num / den,
        format!(
            "{} text element(s); lowest contrast {:.2}:1",
            m.texts.len(),
            wc
        ),
    )
}

/// A coarse grid of canvas samples in Lab with their visual weight.
struct Samples {
    /// (x, y) in [0, 1], weight (ΔE76 from the border colour, ≤ 100).
    points: Vec<(f64, f64, f64)>,
}

impl Samples {
    fn of(p: &tiny_skia::Pixmap) -> Samples {
        let (w, h) = (p.width() as usize, p.height() as usize);
        let step = (w.max(h) / 96).max(1);
        let px = p.pixels();
        // Creatives repeat colours (flat fills, text on one background), and
        // CIELAB needs a software `cbrt` per channel in wasm: convert each
        // distinct colour once.
        let mut memo: HashMap<[u8; 3], [f32; 3]> = HashMap::new();
        let mut lab_of = |rgb: [u8; 3]| *memo.entry(rgb).or_insert_with(|| lab_of(rgb));
        let rgb = |x: usize, y: usize| {
            let c = px[y * w + x].demultiply();
            let a = f64::from(c.alpha()) / 255.0;
            let f = |v: u8| (f64::from(v) * a + 255.0 * (1.0 - a)).round() as u8;
            [f(c.red()), f(c.green()), f(c.blue())]
        };
        // Background: the median colour of the sampled border ring.
        let mut ring = Vec::new();
        for x in (0..w).step_by(step) {
            ring.push(lab_of(rgb(x, 0)));
            ring.push(lab_of(rgb(x, h - 1)));
        }
        for y in (0..h).step_by(step) {
            ring.push(lab_of(rgb(0, y)));
            ring.push(lab_of(rgb(w - 1, y)));
        }
        let med = |k: usize| {
            let mut v: Vec<f32> = ring.iter().map(|c| c[k]).collect();
            v.sort_by(f32::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(0.0)
        };
        let bg = [med(0), med(1), med(2)];
        let mut points = Vec::new();
        for y in (step / 2..h).step_by(step) {
            for x in (step / 2..w).step_by(step) {
                let l = lab_of(rgb(x, y));
                let d = ((l[0] - bg[0]).powi(2) + (l[1] - bg[1]).powi(2) + (l[2] - bg[2]).powi(2))
                    .sqrt();
                points.push((
                    (x as f64 + 0.5) / w as f64,
                    (y as f64 + 0.5) / h as f64,
                    f64::from(d).min(100.0),
                ));
            }
        }
        Samples { points }
    }
}

fn balance(s: &Samples) -> Component {
    let total: f64 = s.points.iter().map(|p| p.2).sum();
    if total <= 0.0 {
        return component("balance", 0.10, 1.0, "a plain canvas".to_string());
    }
    let cx = s.points.iter().map(|p| p.0 * p.2).sum::<f64>() / total - 0.5;
    let cy = s.points.iter().map(|p| p.1 * p.2).sum::<f64>() / total - 0.5;
    let d = (cx * cx + cy * cy).sqrt() / 0.5f64.hypot(0.5);
    component(
        "balance",
        0.10,
        1.0 - (d * 1.6).min(1.0),
        format!(
            "centre of visual weight at ({:.0} %, {:.0} %) of the canvas",
            (cx + 0.5) * 100.0,
            (cy + 0.5) * 100.0
        ),
    )
}

fn overlap(a: Rect, b: Rect) -> f32 {
    let w = (a.right().min(b.right()) - a.x.max(b.x)).max(0.0);
    let h = (a.bottom().min(b.bottom()) - a.y.max(b.y)).max(0.0);
    w * h
}

fn whitespace(s: &Samples, m: &Measures, scene: &Scene) -> Component {
    let n = s.points.len().max(1) as f64;
    let cover = s.points.iter().filter(|p| p.2 > 12.0).count() as f64 / n;
    let fill = if cover < 0.25 {
        ramp(cover, 0.03, 0.25)
    } else {
        1.0 - ramp(cover, 0.70, 0.95)
    };
    let mut overlaps = 0;
    for (i, a) in m.texts.iter().enumerate() {
        for b in m.texts.iter().skip(i + 1) {
            let o = overlap(a.ink, b.ink);
            if o > 0.1 * a.ink.width.min(b.ink.width) * a.ink.height.min(b.ink.height) {
                overlaps += 1;
            }
        }
    }
    let (w, h) = (scene.width as f32, scene.height as f32);
    let edge = (w.min(h) * 0.02).max(2.0);
    let touching = m
        .texts
        .iter()
        .filter(|t| {
            t.ink.x < edge
                || t.ink.y < edge
                || t.ink.right() > w - edge
                || t.ink.bottom() > h - edge
        })
        .count();
    let crowd = (1.0 - 0.3 * overlaps as f64 - 0.15 * touching as f64).max(0.2);
    component(
        "whitespace",
        0.15,
        fill * crowd,
        format!(
            "{:.0} % of the canvas is content; {overlaps} overlapping text pair(s); {touching} text element(s) at the edge",
            cover * 100.0
        ),
    )
}

fn alignment(scene: &Scene, layout: &Layout, m: &Measures) -> Component {
    let mut boxes: Vec<Rect> = m.texts.iter().map(|t| t.ink).collect();
    boxes.extend(m.images.iter().map(|i| i.1));
    for (i, n) in scene.nodes.iter().enumerate().skip(1) {
        let filled = n.style.background_color.a > 0 || n.style.background_image.is_some();
        if filled && !matches!(n.content, Content::Text(_)) && !n.children.is_empty() {
            continue; // containers: their contents are measured
        }
        if filled {
            boxes.push(layout.boxes[i]);
        }
    }
    boxes.retain(|b| b.width > 1.0 && b.height > 1.0);
    if boxes.len() < 2 {
        return component(
            "alignment",
            0.15,
            1.0,
            "fewer than two elements".to_string(),
        );
    }
    // Stacked neighbours (overlapping horizontally) should share a left,
    // centre or right line; side-by-side neighbours (overlapping vertically)
    // a top, middle or bottom line. Each element scores the share of its
    // applicable checks that hold; elements with no neighbours count as aligned.
    let tol = 2.5;
    let xs = |b: &Rect| [b.x, b.x + b.width / 2.0, b.right()];
    let ys = |b: &Rect| [b.y, b.y + b.height / 2.0, b.bottom()];
    let share = |p: [f32; 3], q: [f32; 3]| (0..3).any(|k| (p[k] - q[k]).abs() <= tol);
    let mut sum = 0.0;
    let mut misaligned = 0;
    for (i, a) in boxes.iter().enumerate() {
        let mut stacked = (false, false); // (has neighbour, aligned with one)
        let mut side = (false, false);
        for (j, b) in boxes.iter().enumerate() {
            if i == j {
                continue;
            }
            let over_x = a.x < b.right() && b.x < a.right();
            let over_y = a.y < b.bottom() && b.y < a.bottom();
            if over_x && over_y {
                continue; // nested or overlapping: a layer, not a neighbour
            }
            if over_x {
                stacked.0 = true;
                stacked.1 |= share(xs(a), xs(b));
            } else if over_y {
                side.0 = true;
                side.1 |= share(ys(a), ys(b));
            }
        }
        let checks = [stacked, side];
        let n = checks.iter().filter(|c| c.0).count();
        let v = if n == 0 {
            1.0
        } else {
            checks.iter().filter(|c| c.0 && c.1).count() as f64 / n as f64
        };
        if v < 1.0 {
            misaligned += 1;
        }
        sum += v;
    }
    component(
        "alignment",
        0.15,
        sum / boxes.len() as f64,
        format!(
            "{misaligned} of {} elements do not line up with their neighbours",
            boxes.len()
        ),
    )
}

fn hue_chroma(rgb: [u8; 3]) -> (f64, f64) {
    let l = lab_of(rgb);
    let (a, b) = (f64::from(l[1]), f64::from(l[2]));
    (b.atan2(a).to_degrees().rem_euclid(360.0), a.hypot(b))
}

fn pair_harmony(h1: f64, h2: f64) -> f64 {
    let d = (h1 - h2).abs() % 360.0;
    let d = d.min(360.0 - d);
    if d <= 30.0 || d >= 150.0 {
        1.0
    } else if (d - 120.0).abs() <= 15.0 {
        0.8
    } else if d < 105.0 {
        // 30° → 1, 65° → 0.1, 105° → 0.8
        if d <= 65.0 {
            1.0 - 0.9 * (d - 30.0) / 35.0
        } else {
            0.1 + 0.7 * (d - 65.0) / 40.0
        }
    } else {
        // 135° → 0.8, 150° → 1
        0.8 + 0.2 * (d - 135.0) / 15.0
    }
}

fn harmony(scene: &Scene, layout: &Layout, input: &ScoreInput) -> Component {
    let area = (scene.width * scene.height) as f64;
    let mut colours: Vec<(f64, f64, f64)> = Vec::new(); // hue, chroma, area weight
    for (i, n) in scene.nodes.iter().enumerate() {
        let b = layout.boxes[i];
        let share = f64::from(b.width * b.height) / area;
        if share < 0.01 {
            continue;
        }
        if n.style.background_color.a > 128 {
            let c = n.style.background_color;
            let (h, ch) = hue_chroma([c.r, c.g, c.b]);
            colours.push((h, ch, share.min(1.0)));
        }
        if let Some(g) = &n.style.background_image {
            let stops = match g {
                crate::style::Gradient::Linear { stops, .. }
                | crate::style::Gradient::Radial { stops, .. } => stops,
            };
            let k = stops.len().max(1) as f64;
            for st in stops.iter().filter(|s| s.color.a > 128) {
                let (h, ch) = hue_chroma([st.color.r, st.color.g, st.color.b]);
                colours.push((h, ch, share.min(1.0) / k));
            }
        }
    }
    for t in &input.measures.texts {
        let c = scene.nodes[t.node].style.color;
        let (h, ch) = hue_chroma([c.r, c.g, c.b]);
        let share = f64::from(t.ink.width * t.ink.height) / area;
        colours.push((h, ch, share.max(0.005)));
    }
    colours.retain(|c| c.1 >= 15.0);
    let mut refs: Vec<(f64, String)> = Vec::new();
    for n in &scene.nodes {
        if let Content::Image(key) = &n.content {
            if let Some((theme, ..)) = (input.image)(key) {
                for s in theme
                    .swatches
                    .iter()
                    .filter(|s| s.chroma >= 15.0 && s.share >= 0.05)
                {
                    let h = f64::from(s.lab[2]).atan2(f64::from(s.lab[1])).to_degrees();
                    refs.push((h.rem_euclid(360.0), s.color.clone()));
                }
            }
        }
    }
    let from_image = !refs.is_empty();
    if refs.is_empty() {
        if let Some(main) = colours
            .iter()
            .max_by(|a, b| (a.2 * a.1).total_cmp(&(b.2 * b.1)))
        {
            refs.push((main.0, "the main layout colour".to_string()));
        }
    }
    if colours.is_empty() || refs.is_empty() {
        return component("harmony", 0.10, 1.0, "a neutral palette".to_string());
    }
    // Each colour: its best relation to a reference colour, averaged with its
    // worst relation to the other layout colours (colours that fight each
    // other clash even when one of them matches the image).
    let mut num = 0.0;
    let mut den = 0.0;
    let mut worst = (1.0f64, 0.0f64);
    for (k, (h, ch, w)) in colours.iter().enumerate() {
        let to_ref = refs
            .iter()
            .map(|(rh, _)| pair_harmony(*h, *rh))
            .fold(0.0, f64::max);
        let to_others = colours
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, o)| pair_harmony(*h, o.0))
            .fold(1.0, f64::min);
        let v = 0.5 * (to_ref + to_others);
        let wt = w * ch;
        num += v * wt;
        den += wt;
        if v < worst.0 {
            worst = (v, *h);
        }
    }
    component(
        "harmony",
        0.10,
        num / den,
        format!(
            "{} chromatic colour(s) against {} and each other; weakest {:.2} (hue {:.0}°)",
            colours.len(),
            if from_image {
                "the image's theme colours"
            } else {
                "the main layout colour"
            },
            worst.0,
            worst.1
        ),
    )
}

fn density(scene: &Scene, m: &Measures) -> Component {
    let area = (scene.width * scene.height) as f64;
    let ink: f64 = m
        .texts
        .iter()
        .map(|t| f64::from(t.ink.width * t.ink.height))
        .sum::<f64>()
        / area;
    let words: usize = m
        .texts
        .iter()
        .filter_map(|t| match &scene.nodes[t.node].content {
            Content::Text(s) => Some(s.split_whitespace().count()),
            _ => None,
        })
        .sum();
    let v = (1.0 - ramp(ink, 0.22, 0.50)).min(1.0 - ramp(words as f64, 40.0, 90.0));
    component(
        "density",
        0.10,
        v,
        format!(
            "text covers {:.0} % of the canvas; {words} words",
            ink * 100.0
        ),
    )
}

fn crop(scene: &Scene, input: &ScoreInput) -> Component {
    let mut num = 0.0;
    let mut den = 0.0;
    let mut worst: Option<(f64, String)> = None;
    for (node, dest, source) in &input.measures.images {
        let Content::Image(key) = &scene.nodes[*node].content else {
            continue;
        };
        let Some((theme, iw, ih)) = (input.image)(key) else {
            continue;
        };
        let (iw, ih) = (iw as f32, ih as f32);
        let s = if theme.studio_background.is_some() || theme.transparent_share > 0.02 {
            theme.subject
        } else {
            [1.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0]
        };
        let subject = Rect::new(s[0] * iw, s[1] * ih, (s[2] - s[0]) * iw, (s[3] - s[1]) * ih);
        let sa = subject.width * subject.height;
        if sa <= 0.0 {
            continue;
        }
        let kept = f64::from(overlap(subject, *source) / sa).min(1.0);
        let v = kept;
        let w = f64::from(dest.width * dest.height).max(1.0);
        num += v * w;
        den += w;
        let name = scene.nodes[*node].id.clone().unwrap_or_else(|| key.clone());
        if worst.as_ref().is_none_or(|(k, _)| kept < *k) {
            worst = Some((kept, name));
        }
    }
    match worst {
        None => component("crop", 0.15, 1.0, "no cropped images".to_string()),
        Some((k, name)) => component(
            "crop",
            0.15,
            num / den,
            format!("`{name}` keeps {:.0} % of its subject", k * 100.0),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hue_relations() {
        assert_eq!(pair_harmony(10.0, 30.0), 1.0);
        assert_eq!(pair_harmony(10.0, 190.0), 1.0);
        assert_eq!(pair_harmony(0.0, 120.0), 0.8);
        assert!(pair_harmony(0.0, 65.0) < 0.15);
        assert!(pair_harmony(0.0, 90.0) < 0.6);
    }
}
