//! Theme colours of an image: dominant and accent colours by clustering in
//! CIELAB, with readable text and background colours derived from them.
//!
//! The steps, all deterministic:
//!
//! 1. Downsample to at most [`SAMPLE_SIDE`] px on the longer side by
//!    averaging whole blocks of pixels in integer arithmetic (a box filter:
//!    exact, the same bytes natively and in wasm, and unlike Lanczos it
//!    invents no ringing colours at hard edges).
//! 2. Ignore near-transparent pixels (alpha < 50 %).
//! 3. Detect a plain studio background: when at least 85 % of the opaque
//!    pixels on the image border lie within ΔE 6 (CIE76) of their median
//!    colour, that colour is the backdrop, and every pixel connected to the
//!    border within ΔE 8 of it is flood-filled away. A white product on white
//!    is then mostly removed too; the backdrop is still reported.
//! 4. k-means (k ≤ 5) in CIELAB with Euclidean distance, initialised from the
//!    most populated cells of a coarse Lab histogram (no randomness), at most
//!    24 Lloyd iterations. Clusters closer than ΔE 6 merge.
//! 5. `dominant` is the largest cluster; `accent` the most colourful other
//!    cluster (chroma × √share) at least ΔE2000 12 away from it and holding
//!    ≥ 3 % of the pixels, else the dominant colour itself.
//! 6. `textOn` / `textOnAccent` / `textOnBackground`: a tint of the colour's
//!    own hue (near white or near black) when it reaches WCAG 2.1 contrast
//!    4.5, else plain black or white (one of them always does).
//!
//! Why not `kmeans_colors`: both 0.6 and 0.7 depend on `rand` with its
//! `std`/`thread_rng` features, which pull `getrandom` in and do not build for
//! `wasm32-unknown-unknown`; the clustering below is ~80 lines.
//! Colour conversions use `palette` in `f64` and round to `f32`, so the last
//! bit of a platform's `powf`/`cbrt` cannot change a cluster.

use crate::error::{Error, Result};
use palette::color_difference::Ciede2000;
use palette::{FromColor, IntoColor, Lab, Lch, LinSrgb, Srgb};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use tiny_skia::Pixmap;

/// Longest side of the downsampled copy that is clustered, px.
pub const SAMPLE_SIDE: u32 = 64;
/// Most clusters.
const K: usize = 5;
/// Lloyd iterations at most.
const MAX_ITER: usize = 24;
/// WCAG 2.1 contrast that normal-size body text needs (AA).
pub const MIN_TEXT_CONTRAST: f64 = 4.5;

/// One colour of an image's palette.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Swatch {
    /// `#rrggbb`.
    pub color: String,
    /// CIELAB (D65) L*, a*, b*, rounded to 0.01.
    pub lab: [f32; 3],
    /// CIELCh chroma, rounded to 0.01.
    pub chroma: f32,
    /// Share of the image's counted pixels (opaque, not studio background), 0–1.
    pub share: f32,
}

/// The theme colours of one image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Theme {
    /// The largest colour cluster, `#rrggbb`.
    pub dominant: String,
    /// The most colourful distinct cluster (the dominant colour when there is none).
    pub accent: String,
    /// Readable text colour on `dominant` (WCAG ≥ 4.5).
    pub text_on: String,
    /// Its contrast ratio on `dominant`, rounded to 0.01.
    pub text_on_contrast: f32,
    /// Readable text colour on `accent` (WCAG ≥ 4.5).
    pub text_on_accent: String,
    /// A calm panel colour in the dominant hue: deep when the image is dark,
    /// pale when it is light.
    pub background: String,
    /// Readable text colour on `background` (WCAG ≥ 4.5).
    pub text_on_background: String,
    /// The dominant colour is dark (L* < 50).
    pub is_dark: bool,
    /// The plain studio backdrop that was excluded, if one was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub studio_background: Option<String>,
    /// Every cluster, largest first.
    pub swatches: Vec<Swatch>,
    /// Share of the sampled pixels that were near-transparent, 0–1.
    pub transparent_share: f32,
    /// Share of the opaque sampled pixels that were studio backdrop, 0–1.
    pub background_share: f32,
    /// The image's subject box in source-image fractions `[x0, y0, x1, y1]`:
    /// the pixels that are neither transparent nor backdrop (the whole image
    /// when there is no backdrop). The score uses it to judge crops.
    pub subject: [f32; 4],
}

fn round2(v: f64) -> f32 {
    ((v * 100.0).round() / 100.0) as f32
}

/// CIELAB (D65) of an 8-bit sRGB colour, via `palette` in `f64`.
///
/// The sRGB transfer function is per channel, so its values come from the
/// linear-light table the contrast check uses, built with the same
/// `palette` call: the same numbers without three `pow`s per colour. In wasm
/// `pow` is software maths; it was 15 % of a 300x250 render's time with the
/// analysis on (the score converts thousands of canvas samples per render).
pub fn lab_of(rgb: [u8; 3]) -> [f32; 3] {
    let linear = linear_table();
    let [r, g, b] = rgb.map(|v| linear[usize::from(v)]);
    let lab: Lab<palette::white_point::D65, f64> = LinSrgb::new(r, g, b).into_color();
    [lab.l as f32, lab.a as f32, lab.b as f32]
}

/// The 8-bit sRGB colour nearest a CIELAB colour (clamped into the gamut).
pub fn rgb_of_lab(lab: [f32; 3]) -> [u8; 3] {
    let lab = Lab::<palette::white_point::D65, f64>::new(
        f64::from(lab[0]),
        f64::from(lab[1]),
        f64::from(lab[2]),
    );
    let lin: LinSrgb<f64> = lab.into_color();
    let s = Srgb::from_linear(lin);
    let q = |v: f64| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    [q(s.red), q(s.green), q(s.blue)]
}

/// `#rrggbb`.
pub fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

/// CIEDE2000 colour difference of two CIELAB colours.
pub fn delta_e2000(a: [f32; 3], b: [f32; 3]) -> f32 {
    let la = Lab::<palette::white_point::D65, f64>::new(a[0].into(), a[1].into(), a[2].into());
    let lb = Lab::<palette::white_point::D65, f64>::new(b[0].into(), b[1].into(), b[2].into());
    la.difference(lb) as f32
}

fn cie76_sq(a: [f32; 3], b: [f32; 3]) -> f32 {
    let (dl, da, db) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    dl * dl + da * da + db * db
}

/// Linear-light value of every 8-bit sRGB channel value.
fn linear_table() -> &'static [f64; 256] {
    static TABLE: OnceLock<[f64; 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0.0; 256];
        for (i, v) in t.iter_mut().enumerate() {
            let s = Srgb::new(i as u8, 0, 0).into_format::<f64>().into_linear();
            *v = s.red;
        }
        t
    })
}

/// WCAG 2.1 relative luminance of an 8-bit sRGB colour, 0–1.
pub fn luminance(rgb: [u8; 3]) -> f64 {
    let t = linear_table();
    0.2126 * t[rgb[0] as usize] + 0.7152 * t[rgb[1] as usize] + 0.0722 * t[rgb[2] as usize]
}

/// WCAG 2.1 contrast ratio of two relative luminances, 1–21.
pub fn contrast(l1: f64, l2: f64) -> f64 {
    let (hi, lo) = if l1 >= l2 { (l1, l2) } else { (l2, l1) };
    (hi + 0.05) / (lo + 0.05)
}

/// A readable text colour on `bg` and its contrast: a near-white or
/// near-black tint of `bg`'s hue when it reaches 4.5, else black or white.
pub fn readable_on(bg: [u8; 3]) -> ([u8; 3], f64) {
    let lab = lab_of(bg);
    let lch: Lch<palette::white_point::D65, f64> =
        Lab::<palette::white_point::D65, f64>::new(lab[0].into(), lab[1].into(), lab[2].into())
            .into_color();
    let tint = |l: f64, max_c: f64| {
        let t = Lch::<palette::white_point::D65, f64>::new(l, lch.chroma.min(max_c), lch.hue);
        let lab2 = Lab::from_color(t);
        rgb_of_lab([lab2.l as f32, lab2.a as f32, lab2.b as f32])
    };
    let lb = luminance(bg);
    let mut best: Option<([u8; 3], f64)> = None;
    for cand in [tint(97.0, 6.0), tint(16.0, 14.0)] {
        let c = contrast(luminance(cand), lb);
        if c >= MIN_TEXT_CONTRAST && best.is_none_or(|(_, b)| c > b) {
            best = Some((cand, c));
        }
    }
    best.unwrap_or_else(|| {
        let (w, k) = (contrast(1.0, lb), contrast(0.0, lb));
        if w >= k {
            ([255, 255, 255], w)
        } else {
            ([0, 0, 0], k)
        }
    })
}

/// A calm panel colour in `rgb`'s hue: deep (L* 22) for dark images, pale
/// (L* 95) for light ones, with limited chroma.
fn panel_of(lab: [f32; 3], dark: bool) -> [u8; 3] {
    let lch: Lch<palette::white_point::D65, f64> =
        Lab::<palette::white_point::D65, f64>::new(lab[0].into(), lab[1].into(), lab[2].into())
            .into_color();
    let (l, c) = if dark { (22.0, 30.0) } else { (95.0, 10.0) };
    let t = Lch::<palette::white_point::D65, f64>::new(l, lch.chroma.min(c), lch.hue);
    let lab2 = Lab::from_color(t);
    rgb_of_lab([lab2.l as f32, lab2.a as f32, lab2.b as f32])
}

/// Theme colours of a decoded image (premultiplied RGBA). `key` names the
/// image in errors.
pub fn theme_of(key: &str, image: &Pixmap) -> Result<Theme> {
    let small = box_downsample(image).ok_or_else(|| Error::Image {
        key: key.to_string(),
        reason: "cannot allocate the theme sample".to_string(),
    })?;
    theme_of_sample(&small).ok_or_else(|| Error::Image {
        key: key.to_string(),
        reason: "every pixel is transparent: no theme colours".to_string(),
    })
}

/// Average whole blocks of premultiplied pixels down to at most
/// [`SAMPLE_SIDE`] on the longer side (integer maths only).
fn box_downsample(image: &Pixmap) -> Option<Pixmap> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let side = SAMPLE_SIDE as usize;
    let (sw, sh) = if w.max(h) <= side {
        (w, h)
    } else if w >= h {
        (side, (h * side).div_ceil(w).max(1))
    } else {
        ((w * side).div_ceil(h).max(1), side)
    };
    let data = image.data();
    let mut out = vec![0u8; sw * sh * 4];
    for oy in 0..sh {
        let (y0, y1) = (oy * h / sh, ((oy + 1) * h / sh).max(oy * h / sh + 1));
        for ox in 0..sw {
            let (x0, x1) = (ox * w / sw, ((ox + 1) * w / sw).max(ox * w / sw + 1));
            let mut acc = [0u64; 4];
            for y in y0..y1 {
                let row = &data[(y * w + x0) * 4..(y * w + x1) * 4];
                for p in row.chunks_exact(4) {
                    for c in 0..4 {
                        acc[c] += u64::from(p[c]);
                    }
                }
            }
            let n = ((y1 - y0) * (x1 - x0)) as u64;
            let o = &mut out[(oy * sw + ox) * 4..(oy * sw + ox) * 4 + 4];
            for c in 0..4 {
                o[c] = ((acc[c] + n / 2) / n) as u8;
            }
        }
    }
    Pixmap::from_vec(out, tiny_skia::IntSize::from_wh(sw as u32, sh as u32)?)
}

/// The clustering on an already small pixmap; `None` when nothing is opaque.
fn theme_of_sample(px: &Pixmap) -> Option<Theme> {
    let (w, h) = (px.width() as usize, px.height() as usize);
    let n = w * h;
    // Demultiplied colours and Lab of the opaque pixels.
    let mut lab: Vec<Option<[f32; 3]>> = Vec::with_capacity(n);
    let mut transparent = 0usize;
    for p in px.pixels() {
        let c = p.demultiply();
        if c.alpha() < 128 {
            transparent += 1;
            lab.push(None);
        } else {
            lab.push(Some(lab_of([c.red(), c.green(), c.blue()])));
        }
    }
    let opaque = n - transparent;
    if opaque == 0 {
        return None;
    }
    let studio = studio_background(&lab, w, h);
    let mut keep = vec![true; n];
    let mut backdrop = 0usize;
    if let Some(bg) = studio {
        // Flood-fill from the border through pixels close to the backdrop.
        let near = |i: usize| lab[i].is_some_and(|c| cie76_sq(c, bg) <= 64.0);
        let mut stack: Vec<usize> = Vec::new();
        for x in 0..w {
            stack.push(x);
            stack.push((h - 1) * w + x);
        }
        for y in 0..h {
            stack.push(y * w);
            stack.push(y * w + w - 1);
        }
        while let Some(i) = stack.pop() {
            if !keep[i] || !near(i) {
                continue;
            }
            keep[i] = false;
            backdrop += 1;
            let (x, y) = (i % w, i / w);
            if x > 0 {
                stack.push(i - 1);
            }
            if x + 1 < w {
                stack.push(i + 1);
            }
            if y > 0 {
                stack.push(i - w);
            }
            if y + 1 < h {
                stack.push(i + w);
            }
        }
    }
    let mut points: Vec<[f32; 3]> = Vec::with_capacity(opaque);
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0usize, 0usize);
    for (i, c) in lab.iter().enumerate() {
        if let (Some(c), true) = (c, keep[i]) {
            points.push(*c);
            let (x, y) = (i % w, i / w);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x + 1);
            y1 = y1.max(y + 1);
        }
    }
    // A plain image (everything backdrop): its colour is the theme.
    if points.is_empty() {
        if let Some(bg) = studio {
            points.push(bg);
        }
        (x0, y0, x1, y1) = (0, 0, w, h);
    }
    let clusters = kmeans(&points);
    let total: usize = clusters.iter().map(|c| c.1).sum();
    let swatches: Vec<Swatch> = clusters
        .iter()
        .map(|(c, count)| {
            let rgb = rgb_of_lab(*c);
            let lab = lab_of(rgb);
            Swatch {
                color: hex(rgb),
                lab: [
                    round2(lab[0].into()),
                    round2(lab[1].into()),
                    round2(lab[2].into()),
                ],
                chroma: round2(f64::from(lab[1]).hypot(f64::from(lab[2]))),
                share: ((*count as f64 / total.max(1) as f64) * 1000.0).round() as f32 / 1000.0,
            }
        })
        .collect();
    let dominant = swatches.first()?.clone();
    let accent = swatches
        .iter()
        .skip(1)
        .filter(|s| s.share >= 0.03 && delta_e2000(s.lab, dominant.lab) >= 12.0)
        .max_by(|a, b| {
            let ka = a.chroma * a.share.sqrt();
            let kb = b.chroma * b.share.sqrt();
            ka.total_cmp(&kb)
        })
        .unwrap_or(&dominant)
        .clone();
    let rgb = |s: &Swatch| rgb_of_lab(s.lab);
    let is_dark = dominant.lab[0] < 50.0;
    let (text_on, text_on_contrast) = readable_on(rgb(&dominant));
    let (text_on_accent, _) = readable_on(rgb(&accent));
    let background = panel_of(dominant.lab, is_dark);
    let (text_on_background, _) = readable_on(background);
    let frac = |v: usize, of: usize| ((v as f64 / of as f64) * 1000.0).round() as f32 / 1000.0;
    Some(Theme {
        dominant: dominant.color.clone(),
        accent: accent.color.clone(),
        text_on: hex(text_on),
        text_on_contrast: round2(text_on_contrast),
        text_on_accent: hex(text_on_accent),
        background: hex(background),
        text_on_background: hex(text_on_background),
        is_dark,
        studio_background: studio.map(|c| hex(rgb_of_lab(c))),
        swatches,
        transparent_share: frac(transparent, n),
        background_share: frac(backdrop, opaque),
        subject: [frac(x0, w), frac(y0, h), frac(x1, w), frac(y1, h)],
    })
}

/// The backdrop colour when the opaque border pixels are near-uniform.
fn studio_background(lab: &[Option<[f32; 3]>], w: usize, h: usize) -> Option<[f32; 3]> {
    if w < 8 || h < 8 {
        return None;
    }
    let mut border: Vec<[f32; 3]> = Vec::with_capacity(2 * (w + h));
    for (i, c) in lab.iter().enumerate() {
        let (x, y) = (i % w, i / w);
        if x == 0 || y == 0 || x + 1 == w || y + 1 == h {
            if let Some(c) = c {
                border.push(*c);
            }
        }
    }
    // Mostly transparent borders: a cut-out, not a studio shot.
    if border.len() < (w + h) {
        return None;
    }
    let median = |ch: usize| {
        let mut v: Vec<f32> = border.iter().map(|c| c[ch]).collect();
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    };
    let m = [median(0), median(1), median(2)];
    let close = border.iter().filter(|c| cie76_sq(**c, m) <= 36.0).count();
    (close * 100 >= border.len() * 85).then_some(m)
}

/// Deterministic k-means in Lab: centroids and their sizes, largest first.
fn kmeans(points: &[[f32; 3]]) -> Vec<([f32; 3], usize)> {
    // Initial centroids: means of the most populated cells of a coarse grid
    // (L* in steps of 12, a*/b* in steps of 16), ties by cell index.
    let cell = |c: &[f32; 3]| {
        let l = (c[0] / 12.0).floor().clamp(0.0, 9.0) as i32;
        let a = ((c[1] + 128.0) / 16.0).floor().clamp(0.0, 15.0) as i32;
        let b = ((c[2] + 128.0) / 16.0).floor().clamp(0.0, 15.0) as i32;
        (l * 16 + a) * 16 + b
    };
    let mut cells: std::collections::BTreeMap<i32, ([f64; 3], usize)> = Default::default();
    for p in points {
        let e = cells.entry(cell(p)).or_insert(([0.0; 3], 0));
        for (s, v) in e.0.iter_mut().zip(p) {
            *s += f64::from(*v);
        }
        e.1 += 1;
    }
    let mut seeds: Vec<(i32, [f64; 3], usize)> =
        cells.into_iter().map(|(k, (s, n))| (k, s, n)).collect();
    seeds.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut centroids: Vec<[f32; 3]> = seeds
        .iter()
        .take(K)
        .map(|(_, s, n)| {
            let n = *n as f64;
            [(s[0] / n) as f32, (s[1] / n) as f32, (s[2] / n) as f32]
        })
        .collect();
    let mut assign = vec![usize::MAX; points.len()];
    for _ in 0..MAX_ITER {
        let mut changed = false;
        for (i, p) in points.iter().enumerate() {
            let mut best = 0;
            let mut best_d = f32::INFINITY;
            for (j, c) in centroids.iter().enumerate() {
                let d = cie76_sq(*p, *c);
                if d < best_d {
                    best_d = d;
                    best = j;
                }
            }
            if assign[i] != best {
                assign[i] = best;
                changed = true;
            }
        }
        let mut sums = vec![([0.0f64; 3], 0usize); centroids.len()];
        for (p, &a) in points.iter().zip(&assign) {
            for (s, v) in sums[a].0.iter_mut().zip(p) {
                *s += f64::from(*v);
            }
            sums[a].1 += 1;
        }
        for (c, (s, n)) in centroids.iter_mut().zip(&sums) {
            if *n > 0 {
                let n = *n as f64;
                *c = [(s[0] / n) as f32, (s[1] / n) as f32, (s[2] / n) as f32];
            }
        }
        if !changed {
            break;
        }
    }
    let mut counts = vec![0usize; centroids.len()];
    for &a in &assign {
        if let Some(c) = counts.get_mut(a) {
            *c += 1;
        }
    }
    let mut out: Vec<([f32; 3], usize)> = centroids
        .into_iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .collect();
    // Merge clusters closer than ΔE 6 into the larger one.
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0[0].total_cmp(&b.0[0])));
    let mut merged: Vec<([f32; 3], usize)> = Vec::new();
    for (c, n) in out {
        if let Some(m) = merged.iter_mut().find(|(m, _)| cie76_sq(*m, c) < 36.0) {
            let t = (m.1 + n) as f32;
            for (mk, ck) in m.0.iter_mut().zip(c) {
                *mk = (*mk * m.1 as f32 + ck * n as f32) / t;
            }
            m.1 += n;
        } else {
            merged.push((c, n));
        }
    }
    merged.sort_by(|a, b| b.1.cmp(&a.1).then(a.0[0].total_cmp(&b.0[0])));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiny_skia::{Color, Paint, PathBuilder, Pixmap, Transform};

    fn solid(w: u32, h: u32, rgb: [u8; 3]) -> Pixmap {
        let mut p = Pixmap::new(w, h).unwrap();
        p.fill(Color::from_rgba8(rgb[0], rgb[1], rgb[2], 255));
        p
    }

    fn rect(p: &mut Pixmap, x: f32, y: f32, w: f32, h: f32, rgb: [u8; 3]) {
        let mut paint = Paint::default();
        paint.set_color_rgba8(rgb[0], rgb[1], rgb[2], 255);
        paint.anti_alias = false;
        let r = tiny_skia::Rect::from_xywh(x, y, w, h).unwrap();
        p.fill_path(
            &PathBuilder::from_rect(r),
            &paint,
            tiny_skia::FillRule::Winding,
            Transform::identity(),
            None,
        );
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        let c = contrast(luminance([255, 255, 255]), luminance([0, 0, 0]));
        assert!((c - 21.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1.
        let c = contrast(luminance([0x76, 0x76, 0x76]), luminance([255, 255, 255]));
        assert!((c - 4.54).abs() < 0.01, "{c}");
    }

    #[test]
    fn studio_backdrop_is_excluded_and_product_colours_found() {
        // White backdrop, a red product with a blue stripe.
        let mut p = solid(200, 200, [255, 255, 255]);
        rect(&mut p, 50.0, 40.0, 100.0, 120.0, [200, 30, 40]);
        rect(&mut p, 50.0, 130.0, 100.0, 30.0, [20, 60, 200]);
        let t = theme_of("t", &p).unwrap();
        assert_eq!(t.studio_background.as_deref(), Some("#ffffff"));
        let dom = lab_of([200, 30, 40]);
        let acc = lab_of([20, 60, 200]);
        let d = &t.swatches[0];
        assert!(delta_e2000(d.lab, dom) < 3.0, "{t:?}");
        assert!(d.share > 0.7 && d.share < 0.85, "{t:?}");
        let a = t.swatches.iter().find(|s| s.color == t.accent).unwrap();
        assert!(delta_e2000(a.lab, acc) < 3.0, "{t:?}");
        assert!(t.background_share > 0.6, "{t:?}");
        // The subject box is the product's, in fractions.
        assert!((t.subject[0] - 0.25).abs() < 0.03 && (t.subject[3] - 0.8).abs() < 0.03);
    }

    #[test]
    fn text_colours_are_readable() {
        for rgb in [[255, 255, 0], [10, 10, 80], [128, 128, 128], [0, 160, 120]] {
            let (t, c) = readable_on(rgb);
            assert!(c >= MIN_TEXT_CONTRAST, "{rgb:?}");
            assert!((contrast(luminance(t), luminance(rgb)) - c).abs() < 1e-9);
        }
        let p = solid(10, 10, [15, 40, 90]);
        let t = theme_of("t", &p).unwrap();
        assert!(t.is_dark);
        assert_eq!(t.dominant, t.accent);
        assert!(t.text_on_contrast >= 4.5);
    }

    #[test]
    fn transparent_pixels_are_ignored_and_all_transparent_is_an_error() {
        let mut p = Pixmap::new(40, 40).unwrap();
        rect(&mut p, 10.0, 10.0, 20.0, 20.0, [0, 128, 0]);
        let t = theme_of("t", &p).unwrap();
        assert!((t.transparent_share - 0.75).abs() < 0.01);
        assert_eq!(t.swatches.len(), 1);
        assert!(delta_e2000(t.swatches[0].lab, lab_of([0, 128, 0])) < 1.0);
        let empty = Pixmap::new(8, 8).unwrap();
        assert!(theme_of("e", &empty).is_err());
    }
}
