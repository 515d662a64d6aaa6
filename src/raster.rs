//! The raster stage: a [`DisplayList`] becomes premultiplied RGBA pixels.
//!
//! Coverage always comes from tiny-skia's anti-aliased path rasteriser, so
//! neighbouring edges (a fill and its border, a clip and an image) match.
//! Solid fills and borders are painted by tiny-skia directly. Glyphs of
//! opaque runs are composited from coverage masks that tiny-skia rasterised
//! once per glyph, size and quarter-pixel offset ([`GlyphMaskCache`], kept
//! by the engine's font book); other runs are filled as one path.
//! Gradients, images, blurred shadows and layers are shaded here, through
//! a coverage mask of just the touched area: a lookup-table gradient was
//! 3–4× faster than tiny-skia's float pipeline on a banner background, and
//! integer compositing gives the same bytes on every platform.
//!
//! Layers (`PushLayer`/`PopLayer`) are kept on an explicit stack, never by
//! recursion. A layer that needs its own buffer (opacity below 1, or a clip
//! that actually cuts something) gets a pixmap covering only the area its
//! contents can touch, found by scanning ahead to the matching `PopLayer`.
//!
//! Determinism: only IEEE `f32` arithmetic (no platform maths functions) and
//! integer compositing; the same list gives byte-identical pixels on native
//! x86_64 and on wasm32 with or without SIMD (checked by hashing a banner
//! with every command built for both).

use tiny_skia::{
    Color, FillRule, LineJoin, Mask, Path, PathBuilder, PathSegment, Pixmap, Point, Shader, Stroke,
    Transform,
};

use crate::draw::{
    Command, DisplayList, GlyphOutlines, GlyphRun, ImageDraw, Paint, Radii, Rect, Rgba,
};
use crate::error::{Error, Result};
use crate::images::ImageStore;

/// Largest canvas side accepted, in pixels.
pub const MAX_CANVAS_DIMENSION: u32 = 16_384;

/// Bézier control-point distance for a quarter circle, as a fraction of the
/// radius: 4/3·(√2 − 1).
const KAPPA: f32 = 0.552_284_8;

/// Paints `list` onto a new transparent pixmap of the list's size.
pub fn paint(
    list: &DisplayList,
    glyphs: &dyn GlyphOutlines,
    images: &ImageStore,
) -> Result<Pixmap> {
    check_canvas(list)?;
    let mut pixmap = new_canvas(list)?;
    paint_commands(&mut pixmap, list, glyphs, images)?;
    Ok(pixmap)
}

/// Paints `list` into `pixmap`, reusing its buffer when the size matches
/// (it is cleared to transparent first) and reallocating it otherwise.
pub fn paint_into(
    pixmap: &mut Pixmap,
    list: &DisplayList,
    glyphs: &dyn GlyphOutlines,
    images: &ImageStore,
) -> Result<()> {
    check_canvas(list)?;
    if pixmap.width() == list.width && pixmap.height() == list.height {
        pixmap.fill(Color::TRANSPARENT);
    } else {
        *pixmap = new_canvas(list)?;
    }
    paint_commands(pixmap, list, glyphs, images)
}

fn new_canvas(list: &DisplayList) -> Result<Pixmap> {
    // Sizes are checked already; failing here means the allocation failed.
    Pixmap::new(list.width, list.height).ok_or_else(|| {
        Error::limit(
            "canvas",
            "maxCanvasSize",
            u64::from(MAX_CANVAS_DIMENSION),
            u64::from(list.width.max(list.height)),
        )
    })
}

fn check_canvas(list: &DisplayList) -> Result<()> {
    for (path, value) in [("canvas.width", list.width), ("canvas.height", list.height)] {
        if value == 0 || value > MAX_CANVAS_DIMENSION {
            return Err(Error::limit(
                path,
                "maxCanvasSize",
                u64::from(MAX_CANVAS_DIMENSION),
                u64::from(value),
            ));
        }
    }
    Ok(())
}

fn paint_commands(
    root: &mut Pixmap,
    list: &DisplayList,
    glyphs: &dyn GlyphOutlines,
    images: &ImageStore,
) -> Result<()> {
    let mut painter = Painter {
        glyphs,
        images,
        layers: Vec::new(),
        skip: 0,
        builder: PathBuilder::new(),
    };
    for (index, command) in list.commands.iter().enumerate() {
        painter.command(root, &list.commands, index, command)?;
    }
    // Unclosed layers are composited as if closed at the end.
    while !painter.layers.is_empty() {
        painter.pop_layer(root);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Geometry helpers

/// A rectangle by its edges, in canvas pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Bounds {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Bounds {
    fn from_rect(r: Rect) -> Self {
        Bounds {
            x0: r.x,
            y0: r.y,
            x1: r.x + r.width,
            y1: r.y + r.height,
        }
    }

    fn is_empty(&self) -> bool {
        // Also true for NaN edges.
        !(self.x1 > self.x0 && self.y1 > self.y0)
    }

    fn union(self, o: Bounds) -> Bounds {
        Bounds {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }

    fn intersect(self, o: Bounds) -> Bounds {
        Bounds {
            x0: self.x0.max(o.x0),
            y0: self.y0.max(o.y0),
            x1: self.x1.min(o.x1),
            y1: self.y1.min(o.y1),
        }
    }

    fn outset(self, d: f32) -> Bounds {
        Bounds {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }

    fn contains(&self, o: &Bounds) -> bool {
        o.x0 >= self.x0 && o.y0 >= self.y0 && o.x1 <= self.x1 && o.y1 <= self.y1
    }

    fn intersects(&self, o: &Bounds) -> bool {
        !self.intersect(*o).is_empty()
    }

    /// The smallest pixel rectangle covering these bounds.
    fn round_out(&self) -> IBounds {
        // `as` saturates (and maps NaN to 0), so absurd coordinates cannot
        // overflow the integer maths that follows.
        IBounds {
            x0: self.x0.floor() as i32,
            y0: self.y0.floor() as i32,
            x1: self.x1.ceil() as i32,
            y1: self.y1.ceil() as i32,
        }
    }
}

/// A pixel rectangle by its edges (exclusive right/bottom), canvas pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct IBounds {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
}

impl IBounds {
    fn is_empty(&self) -> bool {
        self.x1 <= self.x0 || self.y1 <= self.y0
    }

    fn intersect(self, o: IBounds) -> IBounds {
        IBounds {
            x0: self.x0.max(o.x0),
            y0: self.y0.max(o.y0),
            x1: self.x1.min(o.x1),
            y1: self.y1.min(o.y1),
        }
    }

    fn outset(self, d: i32) -> IBounds {
        IBounds {
            x0: self.x0.saturating_sub(d),
            y0: self.y0.saturating_sub(d),
            x1: self.x1.saturating_add(d),
            y1: self.y1.saturating_add(d),
        }
    }

    fn width(&self) -> u32 {
        (i64::from(self.x1) - i64::from(self.x0)).max(0) as u32
    }

    fn height(&self) -> u32 {
        (i64::from(self.y1) - i64::from(self.y0)).max(0) as u32
    }

    fn to_bounds(self) -> Bounds {
        Bounds {
            x0: self.x0 as f32,
            y0: self.y0 as f32,
            x1: self.x1 as f32,
            y1: self.y1 as f32,
        }
    }
}

/// Corner radii made usable: non-finite or negative become 0, then all four
/// are scaled down together until adjacent radii fit their side (CSS
/// Backgrounds §5.5 "overlapping curves"). Order: tl, tr, br, bl.
fn clamp_radii(width: f32, height: f32, radii: &Radii) -> [f32; 4] {
    let fix = |r: f32| if r.is_finite() && r > 0.0 { r } else { 0.0 };
    let r = [
        fix(radii.top_left),
        fix(radii.top_right),
        fix(radii.bottom_right),
        fix(radii.bottom_left),
    ];
    let mut f = 1.0f32;
    for (sum, side) in [
        (r[0] + r[1], width),
        (r[3] + r[2], width),
        (r[0] + r[3], height),
        (r[1] + r[2], height),
    ] {
        if sum > side && sum > 0.0 {
            f = f.min(side.max(0.0) / sum);
        }
    }
    if f < 1.0 {
        r.map(|v| v * f)
    } else {
        r
    }
}

/// Coordinates are clamped to ±this many pixels before they reach
/// tiny-skia, whose fixed-point scan converter misbehaves on astronomically
/// large values. It is 64× the largest canvas, so clamping an edge this far
/// out never changes a visible pixel (beyond the curvature of an equally
/// absurd corner radius).
const COORD_LIMIT: f32 = 1_048_576.0;

/// Appends a closed (rounded) rectangle contour, shifted by `(-ox, -oy)`.
/// `r` must come from [`clamp_radii`].
fn push_round_rect(pb: &mut PathBuilder, b: Bounds, r: [f32; 4], ox: f32, oy: f32) {
    let c = |v: f32| v.clamp(-COORD_LIMIT, COORD_LIMIT);
    let (x0, y0, x1, y1) = (c(b.x0) - ox, c(b.y0) - oy, c(b.x1) - ox, c(b.y1) - oy);
    let r = if c(b.x0) != b.x0 || c(b.y0) != b.y0 || c(b.x1) != b.x1 || c(b.y1) != b.y1 {
        let [tl, tr, br, bl] = r;
        clamp_radii(
            x1 - x0,
            y1 - y0,
            &Radii {
                top_left: tl,
                top_right: tr,
                bottom_right: br,
                bottom_left: bl,
            },
        )
    } else {
        r
    };
    let [tl, tr, br, bl] = r;
    let k = 1.0 - KAPPA;
    pb.move_to(x0 + tl, y0);
    pb.line_to(x1 - tr, y0);
    if tr > 0.0 {
        pb.cubic_to(x1 - tr * k, y0, x1, y0 + tr * k, x1, y0 + tr);
    }
    pb.line_to(x1, y1 - br);
    if br > 0.0 {
        pb.cubic_to(x1, y1 - br * k, x1 - br * k, y1, x1 - br, y1);
    }
    pb.line_to(x0 + bl, y1);
    if bl > 0.0 {
        pb.cubic_to(x0 + bl * k, y1, x0, y1 - bl * k, x0, y1 - bl);
    }
    pb.line_to(x0, y0 + tl);
    if tl > 0.0 {
        pb.cubic_to(x0, y0 + tl * k, x0 + tl * k, y0, x0 + tl, y0);
    }
    pb.close();
}

/// True when the rounded rectangle `clip` certainly covers `content`: inside
/// the rectangle and clear of every rounded corner's square.
fn round_rect_covers(clip: Bounds, r: [f32; 4], content: &Bounds) -> bool {
    if !clip.contains(content) {
        return false;
    }
    let corners = [
        Bounds {
            x0: clip.x0,
            y0: clip.y0,
            x1: clip.x0 + r[0],
            y1: clip.y0 + r[0],
        },
        Bounds {
            x0: clip.x1 - r[1],
            y0: clip.y0,
            x1: clip.x1,
            y1: clip.y0 + r[1],
        },
        Bounds {
            x0: clip.x1 - r[2],
            y0: clip.y1 - r[2],
            x1: clip.x1,
            y1: clip.y1,
        },
        Bounds {
            x0: clip.x0,
            y0: clip.y1 - r[3],
            x1: clip.x0 + r[3],
            y1: clip.y1,
        },
    ];
    corners
        .iter()
        .all(|c| c.is_empty() || !c.intersects(content))
}

fn is_integral(v: f32) -> bool {
    v.fract() == 0.0
}

fn skia_color(c: Rgba) -> Color {
    Color::from_rgba8(c.r, c.g, c.b, c.a)
}

// ---------------------------------------------------------------------------
// Paint

/// Entries of a gradient's colour table. 2048 steps keep hard stops within
/// half a pixel on a 1000 px gradient, and neighbouring entries of any
/// gradient differ by at most one 8-bit level.
const LUT_SIZE: usize = 2048;

/// What a [`Paint`] turns into.
enum Fill {
    /// Nothing visible (transparent colour, no stops).
    None,
    /// One colour (also degenerate gradients, which CSS paints with the
    /// last stop).
    Solid(Rgba),
    /// A real gradient.
    Gradient(Gradient),
}

/// A gradient evaluated here rather than by tiny-skia: its float pipeline
/// took 6–14 ms for a 1200×628 gradient background, a lookup table a small
/// fraction of that. It also interpolates in premultiplied space, as CSS
/// requires (a fade to `transparent` does not go grey).
struct Gradient {
    shape: GradientShape,
    /// Premultiplied RGBA at `t = k / (LUT_SIZE − 1)`.
    lut: Vec<[u8; 4]>,
    /// Every entry is opaque: rows can be copied instead of blended.
    opaque: bool,
}

#[derive(Clone, Copy)]
enum GradientShape {
    /// `t = a·x + b·y + c` at the pixel centre `(x, y)`.
    Linear { a: f32, b: f32, c: f32 },
    /// `t = |((x − cx) / rx, (y − cy) / ry)|`.
    Radial { cx: f32, cy: f32, sx: f32, sy: f32 },
}

fn fill_for(paint: &Paint) -> Fill {
    let (stops, shape) = match paint {
        Paint::Solid(c) if c.a == 0 => return Fill::None,
        Paint::Solid(c) => return Fill::Solid(*c),
        Paint::Linear { start, end, stops } => {
            let (dx, dy) = (end.0 - start.0, end.1 - start.1);
            let len2 = dx * dx + dy * dy;
            let shape = (len2 > 0.0 && len2.is_finite()).then(|| GradientShape::Linear {
                a: dx / len2,
                b: dy / len2,
                c: -(start.0 * dx + start.1 * dy) / len2,
            });
            (stops, shape)
        }
        Paint::Radial {
            center,
            radius,
            stops,
        } => {
            let (rx, ry) = *radius;
            let ok = rx > 0.0 && ry > 0.0 && rx.is_finite() && ry.is_finite();
            let shape = ok.then(|| GradientShape::Radial {
                cx: center.0,
                cy: center.1,
                sx: 1.0 / rx,
                sy: 1.0 / ry,
            });
            (stops, shape)
        }
    };
    let Some(last) = stops.last() else {
        return Fill::None;
    };
    if stops.iter().all(|s| s.color.a == 0) {
        return Fill::None;
    }
    match shape {
        // No direction or no size: like CSS, the last colour.
        None => fill_for(&Paint::Solid(last.color)),
        Some(shape) => {
            let lut = gradient_lut(stops);
            let opaque = lut.iter().all(|c| c[3] == 255);
            Fill::Gradient(Gradient { shape, lut, opaque })
        }
    }
}

/// The colour table of `stops`, interpolated between premultiplied colours.
fn gradient_lut(stops: &[crate::draw::ColorStop]) -> Vec<[u8; 4]> {
    // Offsets are clamped into 0..=1 and made non-decreasing, as CSS does.
    let mut prev = 0.0f32;
    let stops: Vec<(f32, [f32; 4])> = stops
        .iter()
        .map(|s| {
            let offset = if s.offset.is_finite() { s.offset } else { 0.0 };
            prev = offset.clamp(prev, 1.0);
            let a = f32::from(s.color.a) / 255.0;
            let c = s.color;
            (
                prev,
                [
                    f32::from(c.r) * a,
                    f32::from(c.g) * a,
                    f32::from(c.b) * a,
                    f32::from(c.a),
                ],
            )
        })
        .collect();
    let mut lut = Vec::with_capacity(LUT_SIZE);
    let mut seg = 0;
    for k in 0..LUT_SIZE {
        let t = k as f32 / (LUT_SIZE - 1) as f32;
        // The last stop whose offset is <= t (a hard stop jumps at t).
        while seg + 1 < stops.len() && stops[seg + 1].0 <= t {
            seg += 1;
        }
        let (o0, c0) = stops[seg];
        let c = match stops.get(seg + 1) {
            Some(&(o1, c1)) if t > o0 && o1 > o0 => {
                let f = (t - o0) / (o1 - o0);
                [0, 1, 2, 3].map(|i| c0[i] + (c1[i] - c0[i]) * f)
            }
            _ => c0,
        };
        let a = c[3].round().clamp(0.0, 255.0);
        lut.push([
            c[0].round().clamp(0.0, a) as u8,
            c[1].round().clamp(0.0, a) as u8,
            c[2].round().clamp(0.0, a) as u8,
            a as u8,
        ]);
    }
    lut
}

/// Table index of gradient position `t`: `round(clamp(t, 0, 1) · 2047)`.
///
/// Rounds by adding 1.5·2²³, which leaves the integer in the low mantissa
/// bits: exact IEEE arithmetic, identical everywhere, and it vectorises,
/// unlike Rust's saturating float-to-int cast (4× slower here). The clamp
/// is written as compare-and-select, not `f32::max`/`min`: wasm's `f32.max`
/// propagates NaN where Rust's ignores it, so those became a call to
/// `fmaxf` per pixel in the wasm build. NaN fails `v > 0` and maps to 0.
#[inline(always)]
fn lut_index(t: f32) -> usize {
    let last = (LUT_SIZE - 1) as f32;
    let v = t * last;
    let v = if v > 0.0 { v } else { 0.0 };
    let v = if v < last { v } else { last };
    ((v + 12_582_912.0).to_bits() & 0x003f_ffff) as usize
}

impl Gradient {
    /// Premultiplied colours of row `y` at the canvas x centres `xs` into
    /// `out`. Two passes: table indices (vectorised float maths), then the
    /// lookups. `idx` is scratch space.
    fn shade_row(&self, xs: &[f32], y: i32, out: &mut [u8], idx: &mut Vec<usize>) {
        let last = LUT_SIZE - 1;
        let py = y as f32 + 0.5;
        idx.clear();
        match self.shape {
            GradientShape::Linear { a: 0.0, b, c } => {
                // Vertical gradient: one colour per row.
                let color = self.lut[lut_index(b * py + c).min(last)];
                for px in out.chunks_exact_mut(4) {
                    px.copy_from_slice(&color);
                }
                return;
            }
            GradientShape::Linear { a, b, c } => {
                let base = b * py + c;
                idx.extend(xs.iter().map(|&x| lut_index(a * x + base)));
            }
            GradientShape::Radial { cx, cy, sx, sy } => {
                let dy = (py - cy) * sy;
                let dy2 = dy * dy;
                idx.extend(xs.iter().map(|&x| {
                    let dx = (x - cx) * sx;
                    lut_index((dx * dx + dy2).sqrt())
                }));
            }
        }
        for (px, &i) in out.chunks_exact_mut(4).zip(idx.iter()) {
            px.copy_from_slice(&self.lut[i.min(last)]);
        }
    }
}

fn skia_paint(shader: Shader<'_>) -> tiny_skia::Paint<'_> {
    tiny_skia::Paint {
        shader,
        anti_alias: true,
        ..tiny_skia::Paint::default()
    }
}

// ---------------------------------------------------------------------------
// Gaussian blur (three box blurs) on an 8-bit mask

/// Box extents `(left, right)` of the three passes approximating a Gaussian
/// of standard deviation `sigma`, as specified for SVG `feGaussianBlur`
/// (and used by browsers): `d = ⌊σ·3·√(2π)/4 + 0.5⌋`.
fn box_passes(sigma: f32) -> Option<[(usize, usize); 3]> {
    if !(sigma.is_finite() && sigma > 0.0) {
        return None;
    }
    let d = (sigma * 3.0 * (2.0 * std::f32::consts::PI).sqrt() / 4.0 + 0.5).floor();
    // Keep the scratch mask bounded even for absurd blur radii: d = 256
    // (σ ≈ 204, CSS blur ≈ 408 px) is far beyond what a banner uses.
    let d = d.min(256.0) as usize;
    if d < 2 {
        return None; // a 1-pixel box is the identity
    }
    let h = d / 2;
    Some(if d % 2 == 1 {
        [(h, h); 3]
    } else {
        // Two boxes of even size d, offset half a pixel either way, then one
        // of size d + 1 centred: the net result is centred.
        [(h, h - 1), (h - 1, h), (h, h)]
    })
}

/// How far (in pixels) the three passes spread a mask on either side.
fn blur_pad(passes: &[(usize, usize); 3]) -> usize {
    let left: usize = passes.iter().map(|p| p.0).sum();
    let right: usize = passes.iter().map(|p| p.1).sum();
    left.max(right)
}

/// Fixed-point reciprocal so the inner loops multiply instead of divide.
fn reciprocal(size: usize) -> u64 {
    ((1u64 << 24) + size as u64 / 2) / size as u64
}

#[inline]
fn scale_sum(sum: u32, recip: u64) -> u8 {
    ((u64::from(sum) * recip + (1 << 23)) >> 24).min(255) as u8
}

/// One horizontal box pass: `dst[x] = mean(src[x - left ..= x + right])`,
/// treating pixels outside the row as 0.
fn box_blur_rows(src: &[u8], dst: &mut [u8], width: usize, left: usize, right: usize) {
    let size = left + right + 1;
    let recip = reciprocal(size);
    for (row, out) in src.chunks_exact(width).zip(dst.chunks_exact_mut(width)) {
        let mut sum: u32 = row[..(right + 1).min(width)]
            .iter()
            .map(|&v| u32::from(v))
            .sum();
        for x in 0..width {
            out[x] = scale_sum(sum, recip);
            if x + right + 1 < width {
                sum += u32::from(row[x + right + 1]);
            }
            if x >= left {
                sum -= u32::from(row[x - left]);
            }
        }
    }
}

/// One vertical box pass, row by row with a running sum per column so memory
/// is walked in order (much faster than walking columns).
fn box_blur_cols(
    src: &[u8],
    dst: &mut [u8],
    width: usize,
    height: usize,
    left: usize,
    right: usize,
    sums: &mut Vec<u32>,
) {
    let size = left + right + 1;
    let recip = reciprocal(size);
    sums.clear();
    sums.resize(width, 0);
    for y in 0..(right + 1).min(height) {
        for (s, &v) in sums.iter_mut().zip(&src[y * width..(y + 1) * width]) {
            *s += u32::from(v);
        }
    }
    for y in 0..height {
        let out = &mut dst[y * width..(y + 1) * width];
        for (o, &s) in out.iter_mut().zip(sums.iter()) {
            *o = scale_sum(s, recip);
        }
        if y + right + 1 < height {
            let add = &src[(y + right + 1) * width..(y + right + 2) * width];
            for (s, &v) in sums.iter_mut().zip(add) {
                *s += u32::from(v);
            }
        }
        if y >= left {
            let sub = &src[(y - left) * width..(y - left + 1) * width];
            for (s, &v) in sums.iter_mut().zip(sub) {
                *s -= u32::from(v);
            }
        }
    }
}

/// Blurs `data` (`width × height`) in place with the three box passes in
/// each direction.
fn blur_mask(data: &mut Vec<u8>, width: usize, height: usize, passes: &[(usize, usize); 3]) {
    let mut tmp = vec![0u8; data.len()];
    let mut sums = Vec::new();
    for &(l, r) in passes {
        box_blur_rows(data, &mut tmp, width, l, r);
        std::mem::swap(data, &mut tmp);
    }
    for &(l, r) in passes {
        box_blur_cols(data, &mut tmp, width, height, l, r, &mut sums);
        std::mem::swap(data, &mut tmp);
    }
}

// ---------------------------------------------------------------------------
// Integer compositing

/// Where drawing currently goes: a pixmap whose pixel (0, 0) is canvas
/// pixel `(ox, oy)`.
struct Target<'p> {
    pixmap: &'p mut Pixmap,
    ox: i32,
    oy: i32,
}

impl Target<'_> {
    fn bounds(&self) -> IBounds {
        IBounds {
            x0: self.ox,
            y0: self.oy,
            x1: self.ox + self.pixmap.width() as i32,
            y1: self.oy + self.pixmap.height() as i32,
        }
    }

    fn origin(&self) -> (f32, f32) {
        (self.ox as f32, self.oy as f32)
    }
}

/// `round(x / 255)` for `x <= 255 · 255`, exactly, without a division.
#[inline(always)]
fn div255(x: u32) -> u32 {
    let x = x + 128;
    (x + (x >> 8)) >> 8
}

/// Source-over of a premultiplied row `src` onto `dst`, each pixel scaled by
/// `opacity` and by its `mask` coverage if given.
///
/// Written as two simple loops so LLVM vectorises the second one with
/// 16-bit lanes: first the per-pixel factors are spread to every byte, then
/// `dst = src·cover + dst·(1 − src_alpha·cover)` runs byte by byte. This was
/// 3× faster than a per-pixel loop in a measurement. Multiplying by 0 or
/// 255 is exact, so no branches are needed.
fn blend_span(dst: &mut [u8], src: &[u8], mask: Option<&[u8]>, opacity: u8, scratch: &mut Vec<u8>) {
    let n = src.len().min(dst.len());
    scratch.clear();
    scratch.resize(n * 2, 0);
    let (cover, inv) = scratch.split_at_mut(n);
    let o = u16::from(opacity);
    match mask {
        Some(mask) => {
            for (((c4, i4), s), &m) in cover
                .chunks_exact_mut(4)
                .zip(inv.chunks_exact_mut(4))
                .zip(src.chunks_exact(4))
                .zip(mask)
            {
                let c = div255_16(u16::from(m) * o);
                let a = div255_16(u16::from(s[3]) * c);
                c4.copy_from_slice(&[c as u8; 4]);
                i4.copy_from_slice(&[255 - a as u8; 4]);
            }
        }
        None => {
            cover.fill(opacity);
            for (i4, s) in inv.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
                let a = div255_16(u16::from(s[3]) * o);
                i4.copy_from_slice(&[255 - a as u8; 4]);
            }
        }
    }
    for (((d, &s), &c), &i) in dst.iter_mut().zip(src).zip(cover.iter()).zip(inv.iter()) {
        let v = div255_16(u16::from(s) * u16::from(c)) + div255_16(u16::from(*d) * u16::from(i));
        *d = v.min(255) as u8;
    }
}

/// [`div255`] in 16 bits (enough for a product of two bytes), which
/// vectorises twice as wide.
#[inline(always)]
fn div255_16(x: u16) -> u16 {
    let x = x + 128;
    (x + (x >> 8)) >> 8
}

/// Buffers [`blend_color_mask`] reuses across calls: a row of one
/// premultiplied colour and the blend's scratch space. A run of glyphs
/// blends one small mask per glyph, so they are allocated once per run.
#[derive(Default)]
struct ColorBlend {
    color: [u8; 4],
    row: Vec<u8>,
    scratch: Vec<u8>,
}

impl ColorBlend {
    /// Makes `row` hold at least `len` pixels of `color`, premultiplied.
    fn prepare(&mut self, color: Rgba, len: usize) {
        let a = u32::from(color.a);
        let pc = [
            div255(u32::from(color.r) * a) as u8,
            div255(u32::from(color.g) * a) as u8,
            div255(u32::from(color.b) * a) as u8,
            color.a,
        ];
        if pc != self.color {
            self.color = pc;
            self.row.clear();
        }
        if self.row.len() < len * 4 {
            self.row.clear();
            self.row.extend(pc.iter().copied().cycle().take(len * 4));
        }
    }
}

/// Source-over of `color` through an 8-bit coverage mask covering canvas
/// pixels `region`.
fn blend_color_mask(
    t: &mut Target,
    region: IBounds,
    mask: &[u8],
    color: Rgba,
    buffers: &mut ColorBlend,
) {
    let area = region.intersect(t.bounds());
    if area.is_empty() || color.a == 0 {
        return;
    }
    let mw = region.width() as usize;
    let tw = t.pixmap.width() as usize;
    let len = (area.x1 - area.x0) as usize;
    buffers.prepare(color, len);
    let ColorBlend { row, scratch, .. } = buffers;
    let data = t.pixmap.data_mut();
    for y in area.y0..area.y1 {
        let m0 = (y - region.y0) as usize * mw + (area.x0 - region.x0) as usize;
        let t0 = ((y - t.oy) as usize * tw + (area.x0 - t.ox) as usize) * 4;
        blend_span(
            &mut data[t0..t0 + len * 4],
            &row[..len * 4],
            Some(&mask[m0..m0 + len]),
            255,
            scratch,
        );
    }
}

/// Source-over of premultiplied `src`, whose pixel (0, 0) sits at canvas
/// `(sx, sy)`, onto the target (only inside `limit` if given), scaled by
/// `opacity` and an optional coverage mask of `src`'s size.
fn blend_pixmap(
    t: &mut Target,
    src: &Pixmap,
    (sx, sy): (i32, i32),
    limit: Option<IBounds>,
    opacity: u8,
    mask: Option<&[u8]>,
) {
    let region = IBounds {
        x0: sx,
        y0: sy,
        x1: sx + src.width() as i32,
        y1: sy + src.height() as i32,
    };
    let mut area = region.intersect(t.bounds());
    if let Some(limit) = limit {
        area = area.intersect(limit);
    }
    if area.is_empty() || opacity == 0 {
        return;
    }
    let sw = src.width() as usize;
    let tw = t.pixmap.width() as usize;
    let sdata = src.data();
    let tdata = t.pixmap.data_mut();
    let len = (area.x1 - area.x0) as usize;
    let mut scratch = Vec::new();
    for y in area.y0..area.y1 {
        let s0 = (y - sy) as usize * sw + (area.x0 - sx) as usize;
        let t0 = (y - t.oy) as usize * tw + (area.x0 - t.ox) as usize;
        let srow = &sdata[s0 * 4..(s0 + len) * 4];
        let trow = &mut tdata[t0 * 4..(t0 + len) * 4];
        let mrow = mask.map(|m| &m[s0..s0 + len]);
        blend_span(trow, srow, mrow, opacity, &mut scratch);
    }
}

// ---------------------------------------------------------------------------
// The painter

/// A group opened by `PushLayer`.
enum Layer {
    /// Draws straight into the parent (opacity 1, no effective clip).
    PassThrough,
    /// Draws into its own pixmap, composited on `PopLayer`.
    Offscreen(Offscreen),
}

struct Offscreen {
    pixmap: Pixmap,
    /// Canvas position of the pixmap's top-left pixel.
    x: i32,
    y: i32,
    opacity: u8,
    /// Rounded clip still to apply when compositing (canvas coordinates).
    clip: Option<(Bounds, [f32; 4])>,
}

struct Painter<'a> {
    glyphs: &'a dyn GlyphOutlines,
    images: &'a ImageStore,
    layers: Vec<Layer>,
    /// Depth of nested layers being skipped (opacity 0 or clipped away).
    skip: usize,
    /// Reused between paths to save allocations.
    builder: PathBuilder,
}

/// The innermost pixmap being drawn into.
fn current_target<'s>(layers: &'s mut [Layer], root: &'s mut Pixmap) -> Target<'s> {
    for layer in layers.iter_mut().rev() {
        if let Layer::Offscreen(o) = layer {
            return Target {
                pixmap: &mut o.pixmap,
                ox: o.x,
                oy: o.y,
            };
        }
    }
    Target {
        pixmap: root,
        ox: 0,
        oy: 0,
    }
}

impl Painter<'_> {
    fn command(
        &mut self,
        root: &mut Pixmap,
        commands: &[Command],
        index: usize,
        command: &Command,
    ) -> Result<()> {
        if self.skip > 0 {
            match command {
                Command::PushLayer { .. } => self.skip += 1,
                Command::PopLayer => self.skip -= 1,
                // A missing image is an error even where it would not show,
                // so a template does not fail only for some data.
                Command::Image(draw) => self.check_image(draw)?,
                _ => {}
            }
            return Ok(());
        }
        match command {
            Command::PushLayer { opacity, clip } => {
                self.push_layer(root, commands, index, *opacity, clip.as_ref());
            }
            Command::PopLayer => self.pop_layer(root),
            Command::FillRect { rect, radii, paint } => {
                let mut t = current_target(&mut self.layers, root);
                fill_rect(&mut t, &mut self.builder, *rect, radii, paint);
            }
            Command::Border {
                rect,
                radii,
                width,
                color,
            } => {
                let mut t = current_target(&mut self.layers, root);
                border(&mut t, &mut self.builder, *rect, radii, *width, *color);
            }
            Command::Shadow {
                rect,
                radii,
                offset,
                blur,
                spread,
                color,
            } => {
                let mut t = current_target(&mut self.layers, root);
                let shadow = ShadowSpec {
                    rect: *rect,
                    radii: *radii,
                    offset: *offset,
                    blur: *blur,
                    spread: *spread,
                    color: *color,
                };
                draw_shadow(&mut t, &mut self.builder, &shadow);
            }
            Command::Image(draw) => {
                self.check_image(draw)?;
                let mut t = current_target(&mut self.layers, root);
                draw_image(&mut t, &mut self.builder, self.images, draw)?;
            }
            Command::Glyphs(run) => {
                let mut t = current_target(&mut self.layers, root);
                draw_glyphs(&mut t, &mut self.builder, self.glyphs, run);
            }
        }
        Ok(())
    }

    fn check_image(&self, draw: &ImageDraw) -> Result<()> {
        if self.images.contains(&draw.key) {
            Ok(())
        } else {
            Err(Error::Image {
                key: draw.key.clone(),
                reason: "not loaded".to_owned(),
            })
        }
    }

    fn push_layer(
        &mut self,
        root: &mut Pixmap,
        commands: &[Command],
        index: usize,
        opacity: f32,
        clip: Option<&(Rect, Radii)>,
    ) {
        // NaN opacity is treated as "not set".
        let opacity = if opacity.is_nan() {
            1.0
        } else {
            opacity.clamp(0.0, 1.0)
        };
        let alpha = (opacity * 255.0).round() as u8;
        if alpha == 0 {
            self.skip = 1;
            return;
        }
        let parent = current_target(&mut self.layers, root).bounds();
        let Some(content) = content_bounds(commands, index, self.glyphs) else {
            self.skip = 1; // nothing drawable inside
            return;
        };
        let mut area = content.intersect(parent.to_bounds());
        let mut clip_left = None;
        if let Some((rect, radii)) = clip {
            let cb = Bounds::from_rect(*rect);
            let r = clamp_radii(rect.width, rect.height, radii);
            area = area.intersect(cb);
            if !round_rect_covers(cb, r, &content) {
                clip_left = Some((cb, r));
            }
        }
        if area.is_empty() {
            self.skip = 1;
            return;
        }
        if alpha == 255 && clip_left.is_none() {
            self.layers.push(Layer::PassThrough);
            return;
        }
        let region = area.round_out().intersect(parent);
        // A plain rectangular clip on whole pixels is fully done by the
        // region itself; only fractional edges or round corners need a mask.
        if let Some((cb, r)) = clip_left {
            let aligned = r.iter().all(|&v| v == 0.0)
                && [cb.x0, cb.y0, cb.x1, cb.y1].iter().all(|&v| is_integral(v));
            if aligned {
                clip_left = None;
            }
        }
        let pixmap = match Pixmap::new(region.width(), region.height()) {
            Some(p) if !region.is_empty() => p,
            _ => {
                self.skip = 1;
                return;
            }
        };
        self.layers.push(Layer::Offscreen(Offscreen {
            pixmap,
            x: region.x0,
            y: region.y0,
            opacity: alpha,
            clip: clip_left,
        }));
    }

    fn pop_layer(&mut self, root: &mut Pixmap) {
        let Some(layer) = self.layers.pop() else {
            return; // unbalanced pop: ignored
        };
        let Layer::Offscreen(off) = layer else {
            return;
        };
        let mask = off.clip.and_then(|(cb, r)| {
            let mut mask = Mask::new(off.pixmap.width(), off.pixmap.height())?;
            self.builder.clear();
            push_round_rect(&mut self.builder, cb, r, off.x as f32, off.y as f32);
            let path = std::mem::take(&mut self.builder).finish()?;
            mask.fill_path(&path, FillRule::Winding, true, Transform::identity());
            self.builder = path.clear();
            Some(mask)
        });
        let mut t = current_target(&mut self.layers, root);
        match (&off.clip, &mask) {
            // The clip could not be rasterised (degenerate): it hides all.
            (Some(_), None) => {}
            _ => blend_pixmap(
                &mut t,
                &off.pixmap,
                (off.x, off.y),
                None,
                off.opacity,
                mask.as_ref().map(|m| m.data()),
            ),
        }
    }
}

/// Conservative canvas bounds of everything drawn between the `PushLayer`
/// at `index` and its matching `PopLayer` (or the end), including
/// anti-aliasing fringes and blur. Nested clips narrow their contents.
/// `None` when nothing there can draw.
fn content_bounds(
    commands: &[Command],
    index: usize,
    glyphs: &dyn GlyphOutlines,
) -> Option<Bounds> {
    // One accumulator per nesting level, with that level's clip.
    let mut stack: Vec<(Option<Bounds>, Option<Bounds>)> = vec![(None, None)];
    for command in commands.iter().skip(index + 1) {
        let b = match command {
            Command::PushLayer { clip, .. } => {
                stack.push((None, clip.map(|(r, _)| Bounds::from_rect(r))));
                continue;
            }
            Command::PopLayer => {
                let (inner, clip) = stack.pop().unwrap_or((None, None));
                if stack.is_empty() {
                    return inner;
                }
                match (inner, clip) {
                    (Some(b), Some(c)) => Some(b.intersect(c)),
                    (b, _) => b,
                }
            }
            other => command_bounds(other, glyphs),
        };
        if let (Some(b), Some(top)) = (b, stack.last_mut()) {
            if !b.is_empty() {
                top.0 = Some(top.0.map_or(b, |a| a.union(b)));
            }
        }
    }
    // Unclosed: fold the open levels down.
    let mut acc: Option<Bounds> = None;
    while let Some((inner, clip)) = stack.pop() {
        let merged = match (inner, acc) {
            (Some(a), Some(b)) => Some(a.union(b)),
            (a, b) => a.or(b),
        };
        acc = match (merged, clip) {
            (Some(b), Some(c)) if !stack.is_empty() => Some(b.intersect(c)),
            (b, _) => b,
        };
    }
    acc.filter(|b| !b.is_empty())
}

/// Conservative canvas bounds of one drawing command.
fn command_bounds(command: &Command, glyphs: &dyn GlyphOutlines) -> Option<Bounds> {
    let b = match command {
        Command::FillRect { rect, .. } | Command::Border { rect, .. } => Bounds::from_rect(*rect),
        Command::Shadow {
            rect,
            offset,
            blur,
            spread,
            ..
        } => {
            let pad = box_passes(blur / 2.0).map_or(0, |p| blur_pad(&p)) as f32;
            Bounds::from_rect(*rect)
                .outset(spread.max(0.0) + pad)
                .union(
                    Bounds::from_rect(Rect::new(
                        rect.x + offset.0,
                        rect.y + offset.1,
                        rect.width,
                        rect.height,
                    ))
                    .outset(spread.max(0.0) + pad),
                )
        }
        Command::Image(draw) => {
            Bounds::from_rect(draw.clip).intersect(Bounds::from_rect(image_dest(draw)?))
        }
        Command::Glyphs(run) => glyph_run_bounds(run, glyphs)?,
        Command::PushLayer { .. } | Command::PopLayer => return None,
    };
    let b = b.outset(1.0);
    (!b.is_empty()).then_some(b)
}

// ---------------------------------------------------------------------------
// Commands

fn fill_path(t: &mut Target, path: &Path, shader: Shader<'_>, rule: FillRule) {
    t.pixmap
        .fill_path(path, &skia_paint(shader), rule, Transform::identity(), None);
}

fn fill_rect(t: &mut Target, pb: &mut PathBuilder, rect: Rect, radii: &Radii, paint: &Paint) {
    let b = Bounds::from_rect(rect);
    if b.is_empty() || !b.intersects(&t.bounds().to_bounds()) {
        return;
    }
    let r = clamp_radii(rect.width, rect.height, radii);
    match fill_for(paint) {
        Fill::None => {}
        Fill::Solid(color) => {
            let (ox, oy) = t.origin();
            pb.clear();
            push_round_rect(pb, b, r, ox, oy);
            if let Some(path) = std::mem::take(pb).finish() {
                fill_path(
                    t,
                    &path,
                    Shader::SolidColor(skia_color(color)),
                    FillRule::Winding,
                );
                *pb = path.clear();
            }
        }
        Fill::Gradient(g) => fill_gradient(t, pb, b, r, &g),
    }
}

/// Fills the (rounded) rectangle `b` with a gradient, row by row. Coverage
/// of the edges comes from tiny-skia's anti-aliased rasteriser (into a mask
/// of just this area), so edges match solid fills exactly; a whole-pixel
/// rectangle needs no mask.
fn fill_gradient(t: &mut Target, pb: &mut PathBuilder, b: Bounds, r: [f32; 4], g: &Gradient) {
    let region = b.round_out().intersect(t.bounds());
    if region.is_empty() {
        return;
    }
    let (w, h) = (region.width(), region.height());
    let aligned =
        r.iter().all(|&v| v == 0.0) && [b.x0, b.y0, b.x1, b.y1].iter().all(|&v| is_integral(v));
    let mask = if aligned {
        None
    } else {
        let Some(mut mask) = Mask::new(w, h) else {
            return;
        };
        pb.clear();
        push_round_rect(pb, b, r, region.x0 as f32, region.y0 as f32);
        let Some(path) = std::mem::take(pb).finish() else {
            return;
        };
        mask.fill_path(&path, FillRule::Winding, true, Transform::identity());
        *pb = path.clear();
        Some(mask)
    };
    let w = w as usize;
    let mut row = vec![0u8; w * 4];
    let mut idx = Vec::with_capacity(w);
    let xs: Vec<f32> = (region.x0..region.x1).map(|x| x as f32 + 0.5).collect();
    let mut scratch = Vec::new();
    let tw = t.pixmap.width() as usize;
    let (ox, oy) = (t.ox, t.oy);
    let data = t.pixmap.data_mut();
    // A horizontal gradient has the same colours on every row.
    let same_rows = matches!(g.shape, GradientShape::Linear { b, .. } if b == 0.0);
    for y in region.y0..region.y1 {
        let t0 = ((y - oy) as usize * tw + (region.x0 - ox) as usize) * 4;
        let dst = &mut data[t0..t0 + w * 4];
        if mask.is_none() && g.opaque && !same_rows {
            // Opaque and fully covered: shade straight into the canvas.
            g.shade_row(&xs, y, dst, &mut idx);
            continue;
        }
        if !same_rows || y == region.y0 {
            g.shade_row(&xs, y, &mut row, &mut idx);
        }
        match &mask {
            None if g.opaque => dst.copy_from_slice(&row),
            None => blend_span(dst, &row, None, 255, &mut scratch),
            Some(m) => {
                let m0 = (y - region.y0) as usize * w;
                blend_span(dst, &row, Some(&m.data()[m0..m0 + w]), 255, &mut scratch);
            }
        }
    }
}

fn border(
    t: &mut Target,
    pb: &mut PathBuilder,
    rect: Rect,
    radii: &Radii,
    width: f32,
    color: Rgba,
) {
    let b = Bounds::from_rect(rect);
    if b.is_empty()
        || width.is_nan()
        || width <= 0.0
        || color.a == 0
        || !b.intersects(&t.bounds().to_bounds())
    {
        return;
    }
    let (ox, oy) = t.origin();
    let r = clamp_radii(rect.width, rect.height, radii);
    pb.clear();
    push_round_rect(pb, b, r, ox, oy);
    // The inner edge: the border box shrunk by the width, its radii shrunk
    // by the width too (CSS "padding edge" curves), never below 0.
    let inner = b.outset(-width);
    if !inner.is_empty() {
        let ir = r.map(|v| (v - width).max(0.0));
        push_round_rect(pb, inner, ir, ox, oy);
    }
    if let Some(path) = std::mem::take(pb).finish() {
        fill_path(
            t,
            &path,
            Shader::SolidColor(skia_color(color)),
            FillRule::EvenOdd,
        );
        *pb = path.clear();
    }
}

struct ShadowSpec {
    rect: Rect,
    radii: Radii,
    offset: (f32, f32),
    blur: f32,
    spread: f32,
    color: Rgba,
}

/// CSS outer box-shadow: the spread shape, offset, blurred, drawn only
/// outside the element's own box.
fn draw_shadow(t: &mut Target, pb: &mut PathBuilder, s: &ShadowSpec) {
    draw_shadow_with(t, pb, s, true);
}

/// One axis of the blur-mask compression: a rounded rectangle's straight
/// middle part blurs to identical columns (or rows), so it only needs
/// rasterising and blurring once. Returns `(k, split)`: canvas pixels
/// `split .. split + k` all equal pixel `split`, and pixels from
/// `split + k` on equal the mask's pixels `k` earlier. `k = 0`: no saving.
fn compress_axis(a0: f32, a1: f32, radius: f32, pad: i32) -> (i32, i32) {
    // Pixels of the straight band: [ceil(a0 + r), floor(a1 − r)).
    let band0 = (a0 + radius).ceil();
    let band1 = (a1 - radius).floor();
    let span = band1 - band0;
    if span.is_nan() || span >= 1e7 {
        return (0, 0); // NaN or absurd: no compression
    }
    let split = band0 as i32 + pad;
    // Keep at least `pad + 2` band pixels after `split` in the mask, so
    // `split`'s whole blur window stays inside the band.
    let k = band1 as i32 - split - pad - 2;
    if k > 0 {
        (k, split)
    } else {
        (0, 0)
    }
}

/// The canvas row or column `v` in a mask compressed by [`compress_axis`].
#[inline]
fn uncompress(v: i32, (k, split): (i32, i32)) -> i32 {
    if k == 0 || v < split {
        v
    } else if v < split + k {
        split
    } else {
        v - k
    }
}

/// Fills `out` (canvas columns `x0..`) from a mask row starting at canvas
/// column `mx0` and compressed by `(k, split)`: three plain copies.
fn expand_row(src: &[u8], mx0: i32, x0: i32, (k, split): (i32, i32), out: &mut [u8]) {
    let x1 = x0 + out.len() as i32;
    let (split, k) = if k == 0 { (x1, 0) } else { (split, k) };
    let mut copy = |from: i32, to: i32, src_shift: i32| {
        let (from, to) = (from.max(x0), to.min(x1));
        if from < to {
            let s0 = (from - src_shift - mx0) as usize;
            let o0 = (from - x0) as usize;
            let n = (to - from) as usize;
            out[o0..o0 + n].copy_from_slice(&src[s0..s0 + n]);
        }
    };
    copy(x0, split, 0);
    copy(split + k, x1, k);
    let (from, to) = (split.max(x0), (split + k).min(x1));
    if from < to {
        let v = src[(split - mx0) as usize];
        out[(from - x0) as usize..(to - x0) as usize].fill(v);
    }
}

/// [`draw_shadow`] with the mask compression switchable, for a test that
/// proves it changes no pixel.
fn draw_shadow_with(t: &mut Target, pb: &mut PathBuilder, s: &ShadowSpec, compress: bool) {
    if s.color.a == 0 {
        return;
    }
    let spread = if s.spread.is_finite() { s.spread } else { 0.0 };
    let shape = Bounds::from_rect(s.rect).outset(spread);
    let shape = Bounds {
        x0: shape.x0 + s.offset.0,
        y0: shape.y0 + s.offset.1,
        x1: shape.x1 + s.offset.0,
        y1: shape.y1 + s.offset.1,
    };
    if shape.is_empty() {
        return;
    }
    // Radii grow with the spread; square corners stay square.
    let base = clamp_radii(s.rect.width, s.rect.height, &s.radii);
    let grown = base.map(|r| if r > 0.0 { (r + spread).max(0.0) } else { 0.0 });
    let shape_r = clamp_radii(
        shape.x1 - shape.x0,
        shape.y1 - shape.y0,
        &Radii {
            top_left: grown[0],
            top_right: grown[1],
            bottom_right: grown[2],
            bottom_left: grown[3],
        },
    );

    let passes = box_passes(s.blur / 2.0);
    let pad = passes.as_ref().map_or(0, blur_pad) as i32;
    // Everything the blurred shape can touch, and the part of it to paint.
    let full = shape.round_out().outset(pad + 1);
    let area = full.intersect(t.bounds());
    if area.is_empty() {
        return;
    }

    // The mask is either the whole shape with its straight middle parts
    // compressed (cost independent of the box size), or, when that is
    // larger (huge round corners), the shape clipped to the area plus the
    // blur's reach (pixels farther out cannot affect the area).
    let rmax = shape_r.iter().fold(0.0f32, |a, &b| a.max(b));
    let (cx, cy) = if compress {
        (
            compress_axis(shape.x0, shape.x1, rmax, pad),
            compress_axis(shape.y0, shape.y1, rmax, pad),
        )
    } else {
        ((0, 0), (0, 0))
    };
    let compressed = IBounds {
        x0: full.x0,
        y0: full.y0,
        x1: full.x1 - cx.0,
        y1: full.y1 - cy.0,
    };
    let clipped = full.intersect(t.bounds().outset(pad));
    let area_of = |b: &IBounds| u64::from(b.width()) * u64::from(b.height());
    let (mbox, cx, cy, mshape) = if area_of(&compressed) <= area_of(&clipped) {
        let small = Bounds {
            x1: shape.x1 - cx.0 as f32,
            y1: shape.y1 - cy.0 as f32,
            ..shape
        };
        (compressed, cx, cy, small)
    } else {
        (clipped, (0, 0), (0, 0), shape)
    };

    let (mw, mh) = (mbox.width(), mbox.height());
    let Some(mut mask) = Mask::new(mw, mh) else {
        return;
    };
    pb.clear();
    push_round_rect(pb, mshape, shape_r, mbox.x0 as f32, mbox.y0 as f32);
    let Some(path) = std::mem::take(pb).finish() else {
        return;
    };
    mask.fill_path(&path, FillRule::Winding, true, Transform::identity());
    let mut builder = path.clear();
    let mut data = mask.take();
    if let Some(passes) = passes {
        blur_mask(&mut data, mw as usize, mh as usize, &passes);
    }

    // The element's own box is cut out: an outer shadow never shows through
    // a translucent background of its element.
    let element = Bounds::from_rect(s.rect);
    let cut_rows = element.round_out().intersect(area);
    let mut emask = None;
    if !cut_rows.is_empty() {
        if let Some(mut m) = Mask::new(area.width(), area.height()) {
            builder.clear();
            push_round_rect(&mut builder, element, base, area.x0 as f32, area.y0 as f32);
            if let Some(path) = std::mem::take(&mut builder).finish() {
                m.fill_path(&path, FillRule::Winding, true, Transform::identity());
                builder = path.clear();
                emask = Some(m);
            }
        }
    }
    *pb = builder;

    let a = u32::from(s.color.a);
    let c = s.color;
    let pc = [c.r, c.g, c.b].map(|v| div255(u32::from(v) * a) as u8);
    let len = area.width() as usize;
    let color_row: Vec<u8> = [pc[0], pc[1], pc[2], c.a]
        .iter()
        .copied()
        .cycle()
        .take(len * 4)
        .collect();
    let mut row = vec![0u8; len];
    let mut scratch = Vec::new();
    let tw = t.pixmap.width() as usize;
    let (ox, oy) = (t.ox, t.oy);
    let data_out = t.pixmap.data_mut();
    for y in area.y0..area.y1 {
        // Expand the mask row back to canvas columns.
        let my = (uncompress(y, cy) - mbox.y0) as usize;
        let src = &data[my * mw as usize..(my + 1) * mw as usize];
        expand_row(src, mbox.x0, area.x0, cx, &mut row);
        if let Some(e) = &emask {
            if y >= cut_rows.y0 && y < cut_rows.y1 {
                let e0 = (y - area.y0) as usize * len;
                for (v, &e) in row.iter_mut().zip(&e.data()[e0..e0 + len]) {
                    *v = div255(u32::from(*v) * (255 - u32::from(e))) as u8;
                }
            }
        }
        let t0 = ((y - oy) as usize * tw + (area.x0 - ox) as usize) * 4;
        let dst = &mut data_out[t0..t0 + len * 4];
        // Skip stretches with nothing to draw (the cut-out middle).
        const CHUNK: usize = 64;
        for (i, m) in row.chunks(CHUNK).enumerate() {
            if m.iter().all(|&v| v == 0) {
                continue;
            }
            let x0 = i * CHUNK;
            let n = m.len();
            blend_span(
                &mut dst[x0 * 4..(x0 + n) * 4],
                &color_row[x0 * 4..(x0 + n) * 4],
                Some(m),
                255,
                &mut scratch,
            );
        }
    }
}

/// Where an image's pixels land: `dest` snapped to whole pixels (position
/// and size rounded) so the resampled copy is drawn 1:1, never filtered
/// again. `None` when that is empty.
fn image_dest(draw: &ImageDraw) -> Option<Rect> {
    let d = draw.dest;
    let (w, h) = (d.width.round(), d.height.round());
    if !(w >= 1.0 && h >= 1.0 && d.x.is_finite() && d.y.is_finite()) {
        return None;
    }
    Some(Rect::new(d.x.round(), d.y.round(), w, h))
}

fn draw_image(
    t: &mut Target,
    pb: &mut PathBuilder,
    images: &ImageStore,
    draw: &ImageDraw,
) -> Result<()> {
    let Some(dest) = image_dest(draw) else {
        return Ok(());
    };
    let clip = Bounds::from_rect(draw.clip);
    let target = t.bounds();
    let visible = clip
        .intersect(Bounds::from_rect(dest))
        .intersect(target.to_bounds());
    if visible.is_empty() {
        return Ok(());
    }
    let (dx, dy) = (dest.x as i32, dest.y as i32);
    let (dw, dh) = (dest.width as u32, dest.height as u32);

    // Normally the whole destination is resampled (so it caches well across
    // renders). A destination far larger than the canvas (a broken or
    // extreme layout) only gets its visible part resampled, keeping memory
    // bounded by the canvas instead of by the layout.
    let canvas_area = u64::from(target.width()) * u64::from(target.height());
    let huge = dw > crate::images::MAX_RESIZE_DIMENSION
        || dh > crate::images::MAX_RESIZE_DIMENSION
        || u64::from(dw) * u64::from(dh) > 4 * canvas_area + 65_536;
    let (pixmap, px, py) = if huge {
        let v = visible.round_out();
        let (vx0, vy0) = ((v.x0 - dx).max(0), (v.y0 - dy).max(0));
        let (vx1, vy1) = ((v.x1 - dx).min(dw as i32), (v.y1 - dy).min(dh as i32));
        if vx1 <= vx0 || vy1 <= vy0 {
            return Ok(());
        }
        let sx = draw.source.width / dw as f32;
        let sy = draw.source.height / dh as f32;
        let sub = Rect::new(
            draw.source.x + vx0 as f32 * sx,
            draw.source.y + vy0 as f32 * sy,
            (vx1 - vx0) as f32 * sx,
            (vy1 - vy0) as f32 * sy,
        );
        let p = images.resized(&draw.key, sub, (vx1 - vx0) as u32, (vy1 - vy0) as u32)?;
        (p, dx + vx0, dy + vy0)
    } else {
        (images.resized(&draw.key, draw.source, dw, dh)?, dx, dy)
    };

    // The pixels to touch: the image's whole-pixel rectangle ∩ the clip's
    // pixels ∩ the target.
    let image_px = IBounds {
        x0: px,
        y0: py,
        x1: px + pixmap.width() as i32,
        y1: py + pixmap.height() as i32,
    };
    let region = clip.round_out().intersect(image_px).intersect(target);
    if region.is_empty() {
        return Ok(());
    }
    let r = clamp_radii(draw.clip.width, draw.clip.height, &draw.radii);
    let rounded = r.iter().any(|&v| v > 0.0);
    let aligned = [clip.x0, clip.y0, clip.x1, clip.y1]
        .iter()
        .all(|&v| is_integral(v));
    if !rounded && aligned {
        // A whole-pixel rectangle of a 1:1 image: a plain blit.
        blend_pixmap(t, &pixmap, (px, py), Some(region), 255, None);
        return Ok(());
    }

    // Otherwise the clip's anti-aliased coverage, rasterised over just the
    // region, scales the image's pixels. The image's own edges are whole
    // pixels, so the region already cuts them exactly.
    let (w, h) = (region.width(), region.height());
    let Some(mut mask) = Mask::new(w, h) else {
        return Ok(());
    };
    pb.clear();
    push_round_rect(pb, clip, r, region.x0 as f32, region.y0 as f32);
    let Some(path) = std::mem::take(pb).finish() else {
        return Ok(());
    };
    mask.fill_path(&path, FillRule::Winding, true, Transform::identity());
    *pb = path.clear();

    let (w, iw, tw) = (
        w as usize,
        pixmap.width() as usize,
        t.pixmap.width() as usize,
    );
    let (ox, oy) = (t.ox, t.oy);
    let src = pixmap.data();
    let dst = t.pixmap.data_mut();
    let mut scratch = Vec::new();
    for y in region.y0..region.y1 {
        let s0 = ((y - py) as usize * iw + (region.x0 - px) as usize) * 4;
        let d0 = ((y - oy) as usize * tw + (region.x0 - ox) as usize) * 4;
        let m0 = (y - region.y0) as usize * w;
        blend_span(
            &mut dst[d0..d0 + w * 4],
            &src[s0..s0 + w * 4],
            Some(&mask.data()[m0..m0 + w]),
            255,
            &mut scratch,
        );
    }
    Ok(())
}

/// The affine map of one glyph: em units → target pixels. Synthetic italic
/// shears x by `-skew·y` (y points down, so ascenders lean right).
fn glyph_transform(run: &GlyphRun, x: f32, y: f32) -> Transform {
    let s = run.size;
    Transform::from_row(s, 0.0, -run.skew * s, s, x, y)
}

fn map_point(ts: &Transform, p: Point) -> (f32, f32) {
    (
        ts.sx * p.x + ts.kx * p.y + ts.tx,
        ts.ky * p.x + ts.sy * p.y + ts.ty,
    )
}

fn glyph_run_bounds(run: &GlyphRun, glyphs: &dyn GlyphOutlines) -> Option<Bounds> {
    let mut acc: Option<Bounds> = None;
    for g in &run.glyphs {
        let Some(outline) = glyphs.outline(run.font, g.id) else {
            continue;
        };
        let b = transformed_bounds(outline, &glyph_transform(run, g.x, g.y));
        acc = Some(acc.map_or(b, |a| a.union(b)));
    }
    acc.map(|b| b.outset(run.embolden.max(0.0)))
}

/// Bounds of `path`'s bounding box corners mapped through `ts`.
fn transformed_bounds(path: &Path, ts: &Transform) -> Bounds {
    let ob = path.bounds();
    let corners = [
        (ob.left(), ob.top()),
        (ob.right(), ob.top()),
        (ob.left(), ob.bottom()),
        (ob.right(), ob.bottom()),
    ];
    let (x, y) = map_point(ts, Point::from_xy(ob.left(), ob.top()));
    corners.iter().fold(
        Bounds {
            x0: x,
            y0: y,
            x1: x,
            y1: y,
        },
        |acc, &(cx, cy)| {
            let (x, y) = map_point(ts, Point::from_xy(cx, cy));
            acc.union(Bounds {
                x0: x,
                y0: y,
                x1: x,
                y1: y,
            })
        },
    )
}

/// Appends `path` mapped through `ts`, with no intermediate allocation.
fn push_transformed(pb: &mut PathBuilder, path: &Path, ts: &Transform) {
    for segment in path.segments() {
        match segment {
            PathSegment::MoveTo(p) => {
                let (x, y) = map_point(ts, p);
                pb.move_to(x, y);
            }
            PathSegment::LineTo(p) => {
                let (x, y) = map_point(ts, p);
                pb.line_to(x, y);
            }
            PathSegment::QuadTo(p1, p) => {
                let (x1, y1) = map_point(ts, p1);
                let (x, y) = map_point(ts, p);
                pb.quad_to(x1, y1, x, y);
            }
            PathSegment::CubicTo(p1, p2, p) => {
                let (x1, y1) = map_point(ts, p1);
                let (x2, y2) = map_point(ts, p2);
                let (x, y) = map_point(ts, p);
                pb.cubic_to(x1, y1, x2, y2, x, y);
            }
            PathSegment::Close => pb.close(),
        }
    }
}

/// All glyphs of a run as one path, filled once (much faster than a fill
/// per glyph, and overlapping glyphs do not double-blend).
fn draw_glyphs(t: &mut Target, pb: &mut PathBuilder, glyphs: &dyn GlyphOutlines, run: &GlyphRun) {
    if run.color.a == 0 || run.glyphs.is_empty() || run.size.is_nan() || run.size <= 0.0 {
        return;
    }
    if let Some(cache) = glyphs.mask_cache() {
        // Translucent runs keep the one-path fill: glyphs composited one by
        // one would blend twice where they overlap.
        if draws_from_glyph_cache(run.size, run.skew, run.color.a) {
            draw_cached_glyphs(t, glyphs, cache, run);
            return;
        }
    }
    let (ox, oy) = t.origin();
    let target = t.bounds().to_bounds();
    let grow = run.embolden.max(0.0) + 1.0;
    pb.clear();
    for g in &run.glyphs {
        let Some(outline) = glyphs.outline(run.font, g.id) else {
            continue;
        };
        let ts = glyph_transform(run, g.x, g.y);
        // Skip glyphs wholly outside the target (cheap bounds test).
        let gb = Some(transformed_bounds(outline, &ts));
        if let Some(gb) = gb {
            if gb.outset(grow).intersect(target).is_empty() {
                continue;
            }
        }
        let ts = ts.post_translate(-ox, -oy);
        push_transformed(pb, outline, &ts);
    }
    let Some(path) = std::mem::take(pb).finish() else {
        return;
    };
    let color = skia_color(run.color);
    let embolden = run.embolden.is_finite() && run.embolden > 0.0;
    if !embolden {
        fill_path(t, &path, Shader::SolidColor(color), FillRule::Winding);
    } else {
        let stroke = Stroke {
            width: run.embolden,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        if run.color.a == 255 {
            // Opaque: overlapping fill and stroke cannot show a seam.
            fill_path(t, &path, Shader::SolidColor(color), FillRule::Winding);
            t.pixmap.stroke_path(
                &path,
                &skia_paint(Shader::SolidColor(color)),
                &stroke,
                Transform::identity(),
                None,
            );
        } else if let Some(stroked) = path.stroke(&stroke, 1.0) {
            // Translucent: union fill and stroke coverage in one mask first,
            // so the overlap is not blended twice.
            let b = Bounds {
                x0: path.bounds().left() + ox,
                y0: path.bounds().top() + oy,
                x1: path.bounds().right() + ox,
                y1: path.bounds().bottom() + oy,
            };
            let region = b
                .outset(run.embolden + 1.0)
                .round_out()
                .intersect(t.bounds());
            if let Some(mut mask) = Mask::new(region.width(), region.height()) {
                let shift =
                    Transform::from_translate((t.ox - region.x0) as f32, (t.oy - region.y0) as f32);
                mask.fill_path(&path, FillRule::Winding, true, shift);
                mask.fill_path(&stroked, FillRule::Winding, true, shift);
                blend_color_mask(
                    t,
                    region,
                    mask.data(),
                    run.color,
                    &mut ColorBlend::default(),
                );
            }
        }
    }
    *pb = path.clear();
}

// ---------------------------------------------------------------------------
// Glyph coverage masks, kept across renders

/// Subpixel positions per pixel on each axis at which glyphs are rasterised
/// (a quarter pixel, as browsers do): glyph origins snap to the nearest one.
const SUBPIXELS: f32 = 4.0;

/// Runs larger than this (in pixels per em) are filled as one path, not cached.
const MAX_CACHED_GLYPH_SIZE: f32 = 256.0;

/// Bound of a [`GlyphMaskCache`]: past it, the cache starts again empty.
const GLYPH_CACHE_MAX_BYTES: usize = 8 << 20;

/// Coverage masks of glyphs by font, glyph, size, synthetic style and
/// subpixel offset, rasterised once and reused by every later render of the
/// same engine.
///
/// Filling glyph outlines was the largest raster cost after encoding (text
/// was 40 % of a 728x90's raster time in wasm). With the masks cached, a
/// render only composites them. A mask depends on its key alone, so what is
/// cached never changes the pixels.
#[derive(Default)]
pub struct GlyphMaskCache {
    inner: std::sync::Mutex<GlyphMasks>,
}

impl std::fmt::Debug for GlyphMaskCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GlyphMaskCache").finish_non_exhaustive()
    }
}

#[derive(Default)]
struct GlyphMasks {
    masks: std::collections::HashMap<GlyphKey, std::sync::Arc<GlyphMask>>,
    bytes: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct GlyphKey {
    font: crate::text::FontId,
    glyph: u16,
    size: u32,
    skew: u32,
    embolden: u32,
    sub_x: u8,
    sub_y: u8,
}

/// A glyph's coverage; pixel (0, 0) sits at (`left`, `top`) from the
/// glyph origin's pixel.
struct GlyphMask {
    left: i32,
    top: i32,
    width: u32,
    height: u32,
    coverage: Vec<u8>,
}

impl GlyphMaskCache {
    fn get(
        &self,
        key: GlyphKey,
        rasterize: impl FnOnce() -> Option<GlyphMask>,
    ) -> Option<std::sync::Arc<GlyphMask>> {
        let lock = || self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(mask) = lock().masks.get(&key) {
            return Some(std::sync::Arc::clone(mask));
        }
        let mask = std::sync::Arc::new(rasterize()?);
        let mut inner = lock();
        let size = mask.coverage.len() + std::mem::size_of::<GlyphMask>();
        if inner.bytes + size > GLYPH_CACHE_MAX_BYTES {
            inner.masks.clear();
            inner.bytes = 0;
        }
        inner.bytes += size;
        inner.masks.insert(key, std::sync::Arc::clone(&mask));
        Some(mask)
    }
}

/// Whether a run of this size, skew and alpha is drawn from cached glyph
/// masks (with snapped origins) when the glyph source has a cache.
fn draws_from_glyph_cache(size: f32, skew: f32, alpha: u8) -> bool {
    alpha == 255 && size <= MAX_CACHED_GLYPH_SIZE && skew.is_finite()
}

/// The outline transform of a glyph whose origin is `(x, y)`, placed where
/// a font book's raster really draws it: runs drawn from cached masks have
/// their origins snapped to the quarter pixel. Checks that measure rendered
/// text (the contrast guardrail) must put their coverage where the ink is.
pub(crate) fn drawn_glyph_transform(size: f32, skew: f32, alpha: u8, x: f32, y: f32) -> Transform {
    let (mut x, mut y) = (x, y);
    if draws_from_glyph_cache(size, skew, alpha) {
        if let (Some((ix, sx)), Some((iy, sy))) = (snap(x), snap(y)) {
            x = ix as f32 + f32::from(sx) / SUBPIXELS;
            y = iy as f32 + f32::from(sy) / SUBPIXELS;
        }
    }
    Transform::from_row(size, 0.0, -skew * size, size, x, y)
}

/// `v` in whole pixels and quarter pixels, or `None` when not finite or
/// far outside any canvas.
fn snap(v: f32) -> Option<(i32, u8)> {
    if !v.is_finite() || v.abs() > 1.0e7 {
        return None;
    }
    let quarters = (v * SUBPIXELS).round() as i64;
    let subpixels = SUBPIXELS as i64;
    Some((
        quarters.div_euclid(subpixels) as i32,
        quarters.rem_euclid(subpixels) as u8,
    ))
}

/// The coverage of `outline` for `run`'s size and style, its origin at
/// `(sub_x, sub_y)` quarter pixels.
fn rasterize_glyph(outline: &Path, run: &GlyphRun, sub_x: u8, sub_y: u8) -> Option<GlyphMask> {
    let ts = glyph_transform(
        run,
        f32::from(sub_x) / SUBPIXELS,
        f32::from(sub_y) / SUBPIXELS,
    );
    let embolden = run.embolden.is_finite() && run.embolden > 0.0;
    let grow = if embolden { run.embolden } else { 0.0 } + 1.0;
    let b = transformed_bounds(outline, &ts).outset(grow).round_out();
    if b.is_empty() {
        return None;
    }
    let mut mask = Mask::new(b.width(), b.height())?;
    let ts = ts.post_translate(-b.x0 as f32, -b.y0 as f32);
    mask.fill_path(outline, FillRule::Winding, true, ts);
    if embolden {
        let stroke = Stroke {
            width: run.embolden,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        if let Some(stroked) = outline
            .clone()
            .transform(ts)
            .and_then(|p| p.stroke(&stroke, 1.0))
        {
            mask.fill_path(&stroked, FillRule::Winding, true, Transform::identity());
        }
    }
    Some(GlyphMask {
        left: b.x0,
        top: b.y0,
        width: b.width(),
        height: b.height(),
        coverage: mask.take(),
    })
}

/// An opaque run, glyph by glyph, from cached coverage masks.
fn draw_cached_glyphs(
    t: &mut Target,
    glyphs: &dyn GlyphOutlines,
    cache: &GlyphMaskCache,
    run: &GlyphRun,
) {
    let target = t.bounds();
    let mut buffers = ColorBlend::default();
    for g in &run.glyphs {
        let (Some((ix, sub_x)), Some((iy, sub_y))) = (snap(g.x), snap(g.y)) else {
            continue;
        };
        let Some(outline) = glyphs.outline(run.font, g.id) else {
            continue;
        };
        let key = GlyphKey {
            font: run.font,
            glyph: g.id,
            size: run.size.to_bits(),
            skew: run.skew.to_bits(),
            embolden: run.embolden.to_bits(),
            sub_x,
            sub_y,
        };
        let Some(mask) = cache.get(key, || rasterize_glyph(outline, run, sub_x, sub_y)) else {
            continue;
        };
        let region = IBounds {
            x0: ix.saturating_add(mask.left),
            y0: iy.saturating_add(mask.top),
            x1: ix
                .saturating_add(mask.left)
                .saturating_add(mask.width as i32),
            y1: iy
                .saturating_add(mask.top)
                .saturating_add(mask.height as i32),
        };
        if region.intersect(target).is_empty() {
            continue;
        }
        blend_color_mask(t, region, &mask.coverage, run.color, &mut buffers);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::draw::{ColorStop, PlacedGlyph};
    use crate::images::ImageLimits;
    use crate::text::FontId;

    /// Outlines for tests: glyph 1 is the unit square above the baseline,
    /// every other id is empty.
    struct Squares(Path);

    impl Squares {
        fn new() -> Self {
            let mut pb = PathBuilder::new();
            pb.move_to(0.0, -1.0);
            pb.line_to(1.0, -1.0);
            pb.line_to(1.0, 0.0);
            pb.line_to(0.0, 0.0);
            pb.close();
            Squares(pb.finish().unwrap())
        }
    }

    impl GlyphOutlines for Squares {
        fn outline(&self, _font: FontId, glyph: u16) -> Option<&Path> {
            (glyph == 1).then_some(&self.0)
        }
    }

    const RED: Rgba = Rgba::new(255, 0, 0, 255);
    const BLUE: Rgba = Rgba::new(0, 0, 255, 255);

    fn list(width: u32, height: u32, commands: Vec<Command>) -> DisplayList {
        DisplayList {
            width,
            height,
            commands,
        }
    }

    fn render(l: &DisplayList) -> Pixmap {
        paint(l, &Squares::new(), &ImageStore::new()).unwrap()
    }

    fn px(p: &Pixmap, x: u32, y: u32) -> [u8; 4] {
        let c = p.pixel(x, y).unwrap();
        [c.red(), c.green(), c.blue(), c.alpha()]
    }

    /// Writes the pixmap for eyeballing: `target/raster-check/<name>.png`.
    fn save(p: &Pixmap, name: &str) {
        if cfg!(target_arch = "wasm32") {
            return; // no file system there
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/raster-check");
        std::fs::create_dir_all(&dir).unwrap();
        let bytes = crate::encode::encode(p, &crate::encode::EncodeOptions::default()).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), bytes).unwrap();
    }

    fn solid(rect: Rect, radii: Radii, color: Rgba) -> Command {
        Command::FillRect {
            rect,
            radii,
            paint: Paint::Solid(color),
        }
    }

    fn stops(a: Rgba, b: Rgba) -> Vec<ColorStop> {
        vec![
            ColorStop {
                offset: 0.0,
                color: a,
            },
            ColorStop {
                offset: 1.0,
                color: b,
            },
        ]
    }

    #[test]
    fn solid_rect_is_exact() {
        let p = render(&list(
            40,
            40,
            vec![solid(
                Rect::new(10.0, 10.0, 20.0, 20.0),
                Radii::default(),
                RED,
            )],
        ));
        assert_eq!(px(&p, 10, 10), [255, 0, 0, 255]);
        assert_eq!(px(&p, 20, 20), [255, 0, 0, 255]);
        assert_eq!(px(&p, 29, 29), [255, 0, 0, 255]);
        assert_eq!(px(&p, 9, 20), [0, 0, 0, 0]);
        assert_eq!(px(&p, 30, 20), [0, 0, 0, 0]);
        assert_eq!(px(&p, 20, 30), [0, 0, 0, 0]);
    }

    #[test]
    fn half_pixel_edges_are_antialiased() {
        let p = render(&list(
            20,
            20,
            vec![solid(
                Rect::new(2.5, 2.0, 10.0, 10.0),
                Radii::default(),
                RED,
            )],
        ));
        let edge = px(&p, 2, 5)[3];
        assert!((100..=155).contains(&edge), "edge alpha {edge}");
        assert_eq!(px(&p, 3, 5)[3], 255);
        let right = px(&p, 12, 5)[3];
        assert!((100..=155).contains(&right), "right alpha {right}");
    }

    #[test]
    fn rounded_corners_cut() {
        let p = render(&list(
            40,
            40,
            vec![solid(
                Rect::new(0.0, 0.0, 40.0, 40.0),
                Radii::uniform(15.0),
                BLUE,
            )],
        ));
        save(&p, "rounded");
        assert_eq!(px(&p, 0, 0)[3], 0);
        assert_eq!(px(&p, 2, 2)[3], 0);
        assert_eq!(px(&p, 39, 39)[3], 0);
        assert_eq!(px(&p, 20, 20), [0, 0, 255, 255]);
        assert_eq!(px(&p, 0, 20), [0, 0, 255, 255]);
        assert_eq!(px(&p, 20, 0), [0, 0, 255, 255]);
        // On the diagonal the arc passes at 15 − 15/√2 ≈ 4.4 from the corner.
        assert_eq!(px(&p, 3, 3)[3], 0);
        assert_eq!(px(&p, 6, 6)[3], 255);
    }

    #[test]
    fn radii_are_clamped_css_style() {
        // 30 + 30 > 40: both scale to 20, a circle-ended pill, no overshoot.
        let r = clamp_radii(40.0, 100.0, &Radii::uniform(30.0));
        assert_eq!(r, [20.0; 4]);
        let r = clamp_radii(
            100.0,
            10.0,
            &Radii {
                top_left: 10.0,
                top_right: 0.0,
                bottom_right: 0.0,
                bottom_left: 30.0,
            },
        );
        assert_eq!(r, [2.5, 0.0, 0.0, 7.5]);
        assert_eq!(clamp_radii(10.0, 10.0, &Radii::uniform(f32::NAN)), [0.0; 4]);
    }

    #[test]
    fn linear_gradient_midpoint() {
        let p = render(&list(
            100,
            10,
            vec![Command::FillRect {
                rect: Rect::new(0.0, 0.0, 100.0, 10.0),
                radii: Radii::default(),
                paint: Paint::Linear {
                    start: (0.0, 0.0),
                    end: (100.0, 0.0),
                    stops: stops(Rgba::BLACK, Rgba::WHITE),
                },
            }],
        ));
        save(&p, "linear");
        for x in [0u32, 25, 50, 75, 99] {
            let expected = 255.0 * (x as f32 + 0.5) / 100.0;
            let got = px(&p, x, 5);
            assert!(
                (got[0] as f32 - expected).abs() <= 2.0,
                "x={x} got {got:?} expected {expected}"
            );
            assert_eq!(got[3], 255);
        }
    }

    #[test]
    fn radial_gradient_is_elliptical() {
        let p = render(&list(
            100,
            50,
            vec![Command::FillRect {
                rect: Rect::new(0.0, 0.0, 100.0, 50.0),
                radii: Radii::default(),
                paint: Paint::Radial {
                    center: (50.0, 25.0),
                    radius: (50.0, 25.0),
                    stops: stops(Rgba::WHITE, Rgba::BLACK),
                },
            }],
        ));
        save(&p, "radial");
        let centre = px(&p, 50, 25)[0];
        assert!(centre >= 245, "centre {centre}");
        assert!(px(&p, 0, 25)[0] <= 8);
        assert!(px(&p, 50, 0)[0] <= 12);
        assert_eq!(px(&p, 0, 0)[0], 0); // beyond the ellipse: last stop
                                        // Half way along each axis gives the same value: an ellipse, not a circle.
        let hx = px(&p, 75, 25)[0] as i32;
        let hy = px(&p, 50, 37)[0] as i32;
        assert!((hx - 128).abs() <= 8, "half x {hx}");
        assert!((hx - hy).abs() <= 8, "x {hx} vs y {hy}");
    }

    #[test]
    fn lut_index_rounds_exactly() {
        for k in 0..200_000 {
            let t = k as f32 / 199_999.0 * 1.4 - 0.2;
            let want = (t * 2047.0).clamp(0.0, 2047.0).round_ties_even() as usize;
            assert_eq!(lut_index(t), want, "t={t}");
        }
        assert_eq!(lut_index(f32::NAN), 0);
        assert_eq!(lut_index(f32::NEG_INFINITY), 0);
        assert_eq!(lut_index(f32::INFINITY), 2047);
    }

    #[test]
    fn gradients_interpolate_premultiplied() {
        // CSS: red → transparent fades red, never through grey/black.
        let p = render(&list(
            100,
            4,
            vec![Command::FillRect {
                rect: Rect::new(0.0, 0.0, 100.0, 4.0),
                radii: Radii::default(),
                paint: Paint::Linear {
                    start: (0.0, 0.0),
                    end: (100.0, 0.0),
                    stops: stops(RED, Rgba::TRANSPARENT),
                },
            }],
        ));
        let mid = px(&p, 50, 2);
        assert!((125..=129).contains(&mid[3]), "{mid:?}");
        assert_eq!(mid[0], mid[3]); // straight red is 255
        assert_eq!((mid[1], mid[2]), (0, 0));
    }

    #[test]
    fn gradient_hard_stop_and_rounded_shape() {
        let hard = vec![
            ColorStop {
                offset: 0.0,
                color: RED,
            },
            ColorStop {
                offset: 0.5,
                color: RED,
            },
            ColorStop {
                offset: 0.5,
                color: BLUE,
            },
            ColorStop {
                offset: 1.0,
                color: BLUE,
            },
        ];
        let p = render(&list(
            40,
            40,
            vec![
                solid(
                    Rect::new(0.0, 0.0, 40.0, 40.0),
                    Radii::default(),
                    Rgba::WHITE,
                ),
                Command::FillRect {
                    rect: Rect::new(0.0, 0.0, 40.0, 40.0),
                    radii: Radii::uniform(12.0),
                    paint: Paint::Linear {
                        start: (0.0, 0.0),
                        end: (0.0, 40.0),
                        stops: hard,
                    },
                },
            ],
        ));
        save(&p, "hard-stop");
        assert_eq!(px(&p, 20, 19), [255, 0, 0, 255]);
        assert_eq!(px(&p, 20, 20), [0, 0, 255, 255]);
        // Rounded corner: the white below shows through.
        assert_eq!(px(&p, 0, 0), [255, 255, 255, 255]);
        assert_eq!(px(&p, 39, 39), [255, 255, 255, 255]);
        let edge = px(&p, 1, 6); // on the arc (y ≈ 6.2): white and red mixed
        assert!(edge[0] == 255 && edge[1] > 0 && edge[1] < 255, "{edge:?}");
    }

    #[test]
    fn degenerate_gradients_paint_last_stop() {
        let p = render(&list(
            10,
            10,
            vec![Command::FillRect {
                rect: Rect::new(0.0, 0.0, 10.0, 10.0),
                radii: Radii::default(),
                paint: Paint::Radial {
                    center: (5.0, 5.0),
                    radius: (0.0, 5.0),
                    stops: stops(Rgba::WHITE, RED),
                },
            }],
        ));
        assert_eq!(px(&p, 5, 5), [255, 0, 0, 255]);
    }

    #[test]
    fn border_ring_leaves_interior() {
        let p = render(&list(
            50,
            50,
            vec![Command::Border {
                rect: Rect::new(10.0, 10.0, 30.0, 30.0),
                radii: Radii::uniform(8.0),
                width: 4.0,
                color: RED,
            }],
        ));
        save(&p, "border");
        for (x, y) in [
            (10, 25),
            (13, 25),
            (36, 25),
            (39, 25),
            (25, 10),
            (25, 13),
            (25, 39),
        ] {
            assert_eq!(px(&p, x, y), [255, 0, 0, 255], "ring at {x},{y}");
        }
        for (x, y) in [(14, 25), (25, 25), (35, 25), (25, 14), (9, 25), (40, 25)] {
            assert_eq!(px(&p, x, y)[3], 0, "not ring at {x},{y}");
        }
        // Rounded outside corner.
        assert_eq!(px(&p, 10, 10)[3], 0);
    }

    #[test]
    fn thick_border_fills_everything() {
        let p = render(&list(
            20,
            20,
            vec![Command::Border {
                rect: Rect::new(0.0, 0.0, 20.0, 20.0),
                radii: Radii::default(),
                width: 12.0,
                color: RED,
            }],
        ));
        assert_eq!(px(&p, 10, 10), [255, 0, 0, 255]);
    }

    fn shadow_cmd(blur: f32, spread: f32) -> Command {
        Command::Shadow {
            rect: Rect::new(40.0, 40.0, 40.0, 40.0),
            radii: Radii::uniform(6.0),
            offset: (0.0, 10.0),
            blur,
            spread,
            color: Rgba::new(0, 0, 0, 200),
        }
    }

    #[test]
    fn shadow_darkens_below_and_fades() {
        let p = render(&list(120, 140, vec![shadow_cmd(16.0, 0.0)]));
        save(&p, "shadow");
        let a = |y| px(&p, 60, y)[3];
        // Under the box's bottom edge (80) plus offset (90): half way-ish.
        assert!(a(84) > 100, "near {}", a(84));
        assert!(a(84) > a(90) && a(90) > a(96) && a(96) > a(104), "fades");
        assert!(a(90) > 40 && a(90) < 160, "edge {}", a(90));
        assert!(a(115) < 5, "far {}", a(115));
        // Clipped out inside the element's own box.
        assert_eq!(a(60), 0);
        // Blur is symmetric horizontally.
        for d in [1u32, 5, 10] {
            let l = px(&p, 40 - d, 70)[3] as i32;
            let r = px(&p, 79 + d, 70)[3] as i32;
            assert!((l - r).abs() <= 2, "d={d}: {l} vs {r}");
        }
    }

    #[test]
    fn shadow_compression_changes_no_pixel() {
        let cases = [
            (
                Rect::new(30.5, 20.25, 300.0, 180.0),
                Radii::uniform(14.0),
                24.0,
                3.0,
            ),
            (
                Rect::new(10.0, 10.0, 400.0, 60.0),
                Radii::default(),
                10.0,
                0.0,
            ),
            (
                Rect::new(-50.0, 40.0, 600.0, 100.0),
                Radii::uniform(8.5),
                40.0,
                -4.0,
            ),
            (
                Rect::new(100.0, 100.0, 120.0, 400.0),
                Radii::uniform(60.0),
                7.0,
                2.0,
            ),
        ];
        for (rect, radii, blur, spread) in cases {
            let spec = ShadowSpec {
                rect,
                radii,
                offset: (3.0, 7.5),
                blur,
                spread,
                color: Rgba::new(20, 30, 40, 180),
            };
            let mut results = Vec::new();
            for compress in [false, true] {
                let mut p = Pixmap::new(460, 320).unwrap();
                p.fill(Color::from_rgba8(250, 240, 230, 255));
                let mut t = Target {
                    pixmap: &mut p,
                    ox: 0,
                    oy: 0,
                };
                draw_shadow_with(&mut t, &mut PathBuilder::new(), &spec, compress);
                results.push(p);
            }
            assert!(results[0].data() == results[1].data(), "{rect:?}");
            assert!(results[0]
                .data()
                .iter()
                .any(|&v| v != 250 && v != 240 && v != 230));
        }
    }

    #[test]
    fn shadow_without_blur_is_the_spread_shape() {
        let p = render(&list(120, 140, vec![shadow_cmd(0.0, 4.0)]));
        // Shape: (36, 46)–(84, 94) after spread 4 and offset 10.
        assert_eq!(px(&p, 60, 92)[3], 200);
        assert_eq!(px(&p, 60, 95)[3], 0);
        assert_eq!(px(&p, 37, 85)[3], 200);
        assert_eq!(px(&p, 60, 60)[3], 0);
    }

    #[test]
    fn blur_preserves_mass() {
        let (w, h) = (64usize, 64usize);
        let mut data = vec![0u8; w * h];
        for y in 24..40 {
            for x in 24..40 {
                data[y * w + x] = 255;
            }
        }
        let before: u32 = data.iter().map(|&v| u32::from(v)).sum();
        for sigma in [1.0f32, 2.5, 4.0] {
            let mut d = data.clone();
            let passes = box_passes(sigma).unwrap();
            blur_mask(&mut d, w, h, &passes);
            let after: u32 = d.iter().map(|&v| u32::from(v)).sum();
            let diff = (after as f64 - before as f64).abs() / before as f64;
            assert!(diff < 0.02, "sigma {sigma}: {before} vs {after}");
        }
    }

    #[test]
    fn opacity_layer_halves_alpha() {
        let p = render(&list(
            20,
            20,
            vec![
                Command::PushLayer {
                    opacity: 0.5,
                    clip: None,
                },
                solid(Rect::new(0.0, 0.0, 10.0, 10.0), Radii::default(), RED),
                solid(Rect::new(5.0, 5.0, 10.0, 10.0), Radii::default(), RED),
                Command::PopLayer,
            ],
        ));
        // The overlap is not darker: the group is flattened first.
        for (x, y) in [(2, 2), (7, 7), (12, 12)] {
            let c = px(&p, x, y);
            assert!((127..=128).contains(&c[3]), "{c:?}");
            assert_eq!(c[0], c[3]);
        }
        assert_eq!(px(&p, 17, 2)[3], 0);
    }

    #[test]
    fn zero_opacity_skips_contents() {
        let p = render(&list(
            10,
            10,
            vec![
                Command::PushLayer {
                    opacity: 0.0,
                    clip: None,
                },
                Command::PushLayer {
                    opacity: 1.0,
                    clip: None,
                },
                solid(Rect::new(0.0, 0.0, 10.0, 10.0), Radii::default(), RED),
                Command::PopLayer,
                Command::PopLayer,
                solid(Rect::new(0.0, 0.0, 5.0, 5.0), Radii::default(), BLUE),
            ],
        ));
        assert_eq!(px(&p, 2, 2), [0, 0, 255, 255]);
        assert_eq!(px(&p, 7, 7)[3], 0);
    }

    #[test]
    fn clip_cuts_children() {
        let p = render(&list(
            60,
            60,
            vec![
                Command::PushLayer {
                    opacity: 1.0,
                    clip: Some((Rect::new(10.0, 10.0, 30.0, 30.0), Radii::uniform(10.0))),
                },
                solid(Rect::new(0.0, 0.0, 60.0, 60.0), Radii::default(), BLUE),
                Command::PopLayer,
                solid(Rect::new(50.0, 50.0, 10.0, 10.0), Radii::default(), RED),
            ],
        ));
        save(&p, "clip");
        assert_eq!(px(&p, 5, 5)[3], 0);
        assert_eq!(px(&p, 45, 25)[3], 0);
        assert_eq!(px(&p, 25, 25), [0, 0, 255, 255]);
        assert_eq!(px(&p, 10, 25), [0, 0, 255, 255]);
        assert_eq!(px(&p, 11, 11)[3], 0); // rounded corner of the clip
        assert_eq!(px(&p, 55, 55), [255, 0, 0, 255]); // after the layer
    }

    #[test]
    fn rect_clip_and_opacity_together() {
        let p = render(&list(
            40,
            40,
            vec![
                Command::PushLayer {
                    opacity: 0.5,
                    clip: Some((Rect::new(10.0, 10.0, 10.5, 20.0), Radii::default())),
                },
                solid(Rect::new(0.0, 0.0, 40.0, 40.0), Radii::default(), RED),
                Command::PopLayer,
            ],
        ));
        assert_eq!(px(&p, 9, 15)[3], 0);
        assert!((127..=128).contains(&px(&p, 15, 15)[3]));
        let edge = px(&p, 20, 15)[3];
        assert!((55..=75).contains(&edge), "half-covered edge {edge}");
        assert_eq!(px(&p, 21, 15)[3], 0);
        assert_eq!(px(&p, 15, 30)[3], 0);
    }

    #[test]
    fn nested_clips_intersect() {
        let p = render(&list(
            40,
            40,
            vec![
                Command::PushLayer {
                    opacity: 1.0,
                    clip: Some((Rect::new(0.0, 0.0, 20.0, 40.0), Radii::default())),
                },
                Command::PushLayer {
                    opacity: 0.999,
                    clip: Some((Rect::new(10.0, 10.0, 30.0, 20.0), Radii::default())),
                },
                solid(Rect::new(0.0, 0.0, 40.0, 40.0), Radii::default(), RED),
                Command::PopLayer,
                Command::PopLayer,
            ],
        ));
        assert_eq!(px(&p, 15, 15)[3], 255);
        assert_eq!(px(&p, 25, 15)[3], 0);
        assert_eq!(px(&p, 5, 15)[3], 0);
        assert_eq!(px(&p, 15, 35)[3], 0);
    }

    #[test]
    fn unbalanced_layers_are_tolerated() {
        let p = render(&list(
            10,
            10,
            vec![
                Command::PopLayer,
                Command::PushLayer {
                    opacity: 0.5,
                    clip: None,
                },
                solid(Rect::new(0.0, 0.0, 10.0, 10.0), Radii::default(), RED),
                // No PopLayer: composited at the end.
            ],
        ));
        assert!((127..=128).contains(&px(&p, 5, 5)[3]));
    }

    #[test]
    fn canvas_size_is_limited() {
        for (w, h) in [(0, 10), (10, 0), (16_385, 10), (10, 100_000)] {
            let err = paint(&list(w, h, vec![]), &Squares::new(), &ImageStore::new()).unwrap_err();
            assert_eq!(err.kind(), "limit", "{w}x{h}: {err}");
        }
        let p = render(&list(16_384, 1, vec![]));
        assert_eq!(p.width(), 16_384);
    }

    #[test]
    fn paint_into_reuses_and_clears() {
        let mut p = Pixmap::new(10, 10).unwrap();
        let l = list(
            10,
            10,
            vec![solid(Rect::new(0.0, 0.0, 5.0, 5.0), Radii::default(), RED)],
        );
        paint_into(&mut p, &l, &Squares::new(), &ImageStore::new()).unwrap();
        assert_eq!(px(&p, 2, 2)[3], 255);
        let l = list(
            10,
            10,
            vec![solid(Rect::new(5.0, 5.0, 5.0, 5.0), Radii::default(), BLUE)],
        );
        paint_into(&mut p, &l, &Squares::new(), &ImageStore::new()).unwrap();
        assert_eq!(px(&p, 2, 2)[3], 0);
        assert_eq!(px(&p, 7, 7), [0, 0, 255, 255]);
        paint_into(
            &mut p,
            &list(20, 5, vec![]),
            &Squares::new(),
            &ImageStore::new(),
        )
        .unwrap();
        assert_eq!((p.width(), p.height()), (20, 5));
    }

    fn glyph_run(skew: f32, embolden: f32, color: Rgba) -> Command {
        Command::Glyphs(GlyphRun {
            font: FontId(0),
            size: 10.0,
            skew,
            embolden,
            color,
            glyphs: vec![
                PlacedGlyph {
                    id: 1,
                    x: 20.0,
                    y: 30.0,
                },
                PlacedGlyph {
                    id: 7, // empty
                    x: 30.0,
                    y: 30.0,
                },
                PlacedGlyph {
                    id: 1,
                    x: 40.0,
                    y: 30.0,
                },
            ],
        })
    }

    #[test]
    fn glyphs_fill_their_outlines() {
        let p = render(&list(60, 40, vec![glyph_run(0.0, 0.0, RED)]));
        save(&p, "glyphs");
        for (x, y) in [(20, 20), (29, 29), (25, 25), (40, 20), (49, 29)] {
            assert_eq!(px(&p, x, y), [255, 0, 0, 255], "{x},{y}");
        }
        for (x, y) in [(19, 25), (30, 25), (35, 25), (25, 30), (25, 19), (50, 25)] {
            assert_eq!(px(&p, x, y)[3], 0, "{x},{y}");
        }
    }

    #[test]
    fn synthetic_italic_and_bold() {
        let p = render(&list(60, 40, vec![glyph_run(0.5, 0.0, RED)]));
        save(&p, "italic");
        // At y = 21.5 the top leans right by 0.5 · 8.5 = 4.25 px.
        assert_eq!(px(&p, 33, 21)[3], 255);
        assert_eq!(px(&p, 21, 21)[3], 0);
        // On the baseline nothing moves.
        assert_eq!(px(&p, 21, 29)[3], 255);

        let p = render(&list(60, 40, vec![glyph_run(0.0, 2.0, RED)]));
        save(&p, "bold");
        assert_eq!(px(&p, 30, 25)[3], 255); // 1 px outside the square
        assert_eq!(px(&p, 19, 25)[3], 255);
        assert_eq!(px(&p, 32, 25)[3], 0);

        // Translucent bold: fill and stroke overlap must not double up.
        let half = Rgba::new(255, 0, 0, 128);
        let p = render(&list(60, 40, vec![glyph_run(0.0, 2.0, half)]));
        assert_eq!(px(&p, 25, 25)[3], 128);
        assert_eq!(px(&p, 29, 25)[3], 128);
        assert_eq!(px(&p, 30, 25)[3], 128);
    }

    fn test_png(width: u32, height: u32, f: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
        use image::ImageEncoder;
        let mut data = Vec::new();
        for y in 0..height {
            for x in 0..width {
                data.extend_from_slice(&f(x, y));
            }
        }
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&data, width, height, image::ExtendedColorType::Rgba8)
            .unwrap();
        out
    }

    fn store_with_halves() -> ImageStore {
        // 40×20: left half red, right half green.
        let png = test_png(40, 20, |x, _| {
            if x < 20 {
                [255, 0, 0, 255]
            } else {
                [0, 255, 0, 255]
            }
        });
        let mut store = ImageStore::new();
        store.add("halves", &png, &ImageLimits::default()).unwrap();
        store
    }

    #[test]
    fn image_cover_crop_lands_where_expected() {
        let store = store_with_halves();
        // object-fit: cover of 40×20 into a 20×20 box at (10, 10): the centre
        // 20×20 of the source, so the box shows red left, green right.
        let draw = |radii| ImageDraw {
            key: "halves".into(),
            source: Rect::new(10.0, 0.0, 20.0, 20.0),
            dest: Rect::new(10.0, 10.0, 20.0, 20.0),
            clip: Rect::new(10.0, 10.0, 20.0, 20.0),
            radii,
        };
        let l = list(40, 40, vec![Command::Image(draw(Radii::default()))]);
        let p = paint(&l, &Squares::new(), &store).unwrap();
        assert_eq!(px(&p, 10, 10), [255, 0, 0, 255]);
        assert_eq!(px(&p, 19, 29), [255, 0, 0, 255]);
        assert_eq!(px(&p, 20, 10), [0, 255, 0, 255]);
        assert_eq!(px(&p, 29, 29), [0, 255, 0, 255]);
        assert_eq!(px(&p, 9, 15)[3], 0);
        assert_eq!(px(&p, 30, 15)[3], 0);

        let l = list(40, 40, vec![Command::Image(draw(Radii::uniform(8.0)))]);
        let p = paint(&l, &Squares::new(), &store).unwrap();
        save(&p, "image-rounded");
        assert_eq!(px(&p, 10, 10)[3], 0);
        assert_eq!(px(&p, 29, 29)[3], 0);
        assert_eq!(px(&p, 10, 20), [255, 0, 0, 255]);
        assert_eq!(px(&p, 15, 15), [255, 0, 0, 255]);
        assert_eq!(px(&p, 25, 25), [0, 255, 0, 255]);
    }

    #[test]
    fn image_contain_with_rounded_clip() {
        let store = store_with_halves();
        // object-fit: contain: 40×20 into a 40×40 box, letterboxed.
        let l = list(
            50,
            50,
            vec![Command::Image(ImageDraw {
                key: "halves".into(),
                source: Rect::new(0.0, 0.0, 40.0, 20.0),
                dest: Rect::new(5.0, 15.0, 40.0, 20.0),
                clip: Rect::new(5.0, 5.0, 40.0, 40.0),
                radii: Radii::uniform(20.0),
            })],
        );
        let p = paint(&l, &Squares::new(), &store).unwrap();
        save(&p, "image-contain");
        assert_eq!(px(&p, 20, 10)[3], 0); // letterbox
        assert_eq!(px(&p, 20, 25), [255, 0, 0, 255]);
        assert_eq!(px(&p, 30, 25), [0, 255, 0, 255]);
        assert_eq!(px(&p, 20, 36)[3], 0);
        // The rounded clip's corner still cuts the image's corner.
        assert_eq!(px(&p, 5, 15)[3], 0);
        assert_eq!(px(&p, 44, 34)[3], 0);
    }

    #[test]
    fn image_scaled_and_fractional_clip() {
        let store = store_with_halves();
        let l = list(
            100,
            60,
            vec![Command::Image(ImageDraw {
                key: "halves".into(),
                source: Rect::new(0.0, 0.0, 40.0, 20.0),
                dest: Rect::new(0.0, 0.0, 80.0, 40.0),
                clip: Rect::new(0.0, 0.0, 60.5, 40.0),
                radii: Radii::default(),
            })],
        );
        let p = paint(&l, &Squares::new(), &store).unwrap();
        assert_eq!(px(&p, 10, 20), [255, 0, 0, 255]);
        assert_eq!(px(&p, 55, 20), [0, 255, 0, 255]);
        let edge = px(&p, 60, 20);
        assert!((100..=155).contains(&edge[3]), "{edge:?}");
        assert_eq!(px(&p, 61, 20)[3], 0);
    }

    #[test]
    fn huge_image_destination_is_bounded() {
        let store = store_with_halves();
        // A 2,000,000 px wide destination: only the visible part is resampled.
        let l = list(
            50,
            50,
            vec![Command::Image(ImageDraw {
                key: "halves".into(),
                source: Rect::new(0.0, 0.0, 40.0, 20.0),
                dest: Rect::new(-999_975.0, 0.0, 2_000_000.0, 50.0),
                clip: Rect::new(0.0, 0.0, 50.0, 50.0),
                radii: Radii::default(),
            })],
        );
        let p = paint(&l, &Squares::new(), &store).unwrap();
        // The source's midpoint (red|green) lands at x = 25, and one source
        // pixel spans 50 000 canvas pixels: everything visible is the
        // interpolation between those two pixel centres, about half-half.
        for x in [0, 25, 49] {
            let c = px(&p, x, 20);
            assert_eq!(c[3], 255);
            assert!((i32::from(c[0]) - i32::from(c[1])).abs() <= 4, "{c:?}");
        }
    }

    #[test]
    fn missing_image_is_an_error() {
        let l = list(
            10,
            10,
            vec![Command::Image(ImageDraw {
                key: "nope".into(),
                source: Rect::new(0.0, 0.0, 1.0, 1.0),
                dest: Rect::new(0.0, 0.0, 10.0, 10.0),
                clip: Rect::new(0.0, 0.0, 10.0, 10.0),
                radii: Radii::default(),
            })],
        );
        match paint(&l, &Squares::new(), &ImageStore::new()) {
            Err(Error::Image { key, reason }) => {
                assert_eq!(key, "nope");
                assert_eq!(reason, "not loaded");
            }
            other => panic!("{other:?}"),
        }
    }

    /// Every command kind in one list, for the pinned-hash test.
    fn everything() -> (DisplayList, ImageStore) {
        let png = test_png(64, 48, |x, y| {
            [
                (x * 4) as u8,
                (y * 5) as u8,
                ((x ^ y) * 3) as u8,
                255 - (x + y) as u8,
            ]
        });
        let mut store = ImageStore::new();
        store.add("img", &png, &ImageLimits::default()).unwrap();
        let l = list(
            160,
            120,
            vec![
                Command::FillRect {
                    rect: Rect::new(0.0, 0.0, 160.0, 120.0),
                    radii: Radii::default(),
                    paint: Paint::Linear {
                        start: (0.0, 0.0),
                        end: (160.0, 90.0),
                        stops: stops(Rgba::new(15, 76, 129, 255), Rgba::new(237, 174, 73, 255)),
                    },
                },
                Command::FillRect {
                    rect: Rect::new(90.5, 5.25, 60.0, 50.0),
                    radii: Radii::uniform(14.0),
                    paint: Paint::Radial {
                        center: (120.0, 30.0),
                        radius: (30.0, 20.0),
                        stops: stops(Rgba::new(255, 255, 255, 200), Rgba::TRANSPARENT),
                    },
                },
                Command::Shadow {
                    rect: Rect::new(10.5, 10.0, 70.0, 60.0),
                    radii: Radii::uniform(8.0),
                    offset: (2.0, 4.5),
                    blur: 9.0,
                    spread: 1.0,
                    color: Rgba::new(0, 0, 0, 120),
                },
                Command::Image(ImageDraw {
                    key: "img".into(),
                    source: Rect::new(4.0, 2.5, 50.0, 40.0),
                    dest: Rect::new(10.5, 10.0, 70.0, 60.0),
                    clip: Rect::new(10.5, 10.0, 70.0, 60.0),
                    radii: Radii::uniform(8.0),
                }),
                Command::Border {
                    rect: Rect::new(10.5, 10.0, 70.0, 60.0),
                    radii: Radii::uniform(8.0),
                    width: 1.5,
                    color: Rgba::WHITE,
                },
                Command::PushLayer {
                    opacity: 0.7,
                    clip: Some((Rect::new(85.0, 60.0, 70.0, 50.0), Radii::uniform(10.0))),
                },
                solid(Rect::new(80.0, 55.0, 80.0, 60.0), Radii::default(), RED),
                Command::Glyphs(GlyphRun {
                    font: FontId(0),
                    size: 16.0,
                    skew: 0.3,
                    embolden: 1.0,
                    color: Rgba::new(255, 255, 255, 220),
                    glyphs: [95.5, 115.0, 134.25]
                        .iter()
                        .map(|&x| PlacedGlyph { id: 1, x, y: 95.0 })
                        .collect(),
                }),
                Command::PopLayer,
                glyph_run(0.0, 0.0, BLUE),
            ],
        );
        (l, store)
    }

    /// The pixels of [`everything`] are pinned: on any platform (x86_64,
    /// aarch64, wasm32 with or without SIMD) the same list must give the
    /// same bytes. A deliberate rendering change updates the hash, and
    /// should be re-checked on wasm32.
    #[test]
    fn render_is_pinned() {
        let (l, store) = everything();
        let p = paint(&l, &Squares::new(), &store).unwrap();
        save(&p, "everything");
        let hash = xxhash_rust::xxh3::xxh3_64(p.data());
        assert_eq!(hash, 0xa4e2_c122_5250_4651, "render hash {hash:#x}");
    }

    #[test]
    fn garbage_coordinates_do_not_panic() {
        let nan = f32::NAN;
        let inf = f32::INFINITY;
        let l = list(
            20,
            20,
            vec![
                solid(Rect::new(nan, 0.0, 10.0, 10.0), Radii::uniform(nan), RED),
                solid(Rect::new(0.0, 0.0, inf, 10.0), Radii::default(), RED),
                solid(
                    Rect::new(-1e30, -1e30, 2e30, 2e30),
                    Radii::uniform(1e30),
                    RED,
                ),
                Command::Border {
                    rect: Rect::new(0.0, 0.0, 10.0, 10.0),
                    radii: Radii::default(),
                    width: nan,
                    color: RED,
                },
                Command::Shadow {
                    rect: Rect::new(0.0, 0.0, 10.0, 10.0),
                    radii: Radii::default(),
                    offset: (nan, inf),
                    blur: 1e9,
                    spread: nan,
                    color: RED,
                },
                Command::PushLayer {
                    opacity: nan,
                    clip: Some((Rect::new(nan, nan, nan, nan), Radii::default())),
                },
                Command::Glyphs(GlyphRun {
                    font: FontId(0),
                    size: nan,
                    skew: inf,
                    embolden: -3.0,
                    color: RED,
                    glyphs: vec![PlacedGlyph {
                        id: 1,
                        x: nan,
                        y: 0.0,
                    }],
                }),
                Command::PopLayer,
            ],
        );
        render(&l);
    }
}

/// Measurements, not assertions: run with
/// `cargo test --release --lib bench_ -- --ignored --nocapture`.
/// Optional: `ADLOOM_BENCH_PHOTO=<jpeg/png>` (default: a synthetic photo) and
/// `ADLOOM_BENCH_FONT=<ttf>` (default: DejaVu Sans if installed, else
/// squares), so the numbers reflect real outlines and a real photo.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod bench {
    use std::collections::HashMap;
    use std::time::{Duration, Instant};

    use super::*;
    use crate::draw::{ColorStop, PlacedGlyph};
    use crate::encode::{encode_png_with, EncodeOptions, Format};
    use crate::images::ImageLimits;
    use crate::text::FontId;
    use image::codecs::png::{CompressionType, FilterType};

    pub(super) struct Font {
        paths: HashMap<u16, Path>,
        advance: HashMap<char, (u16, f32)>,
    }

    struct PathSink(PathBuilder, f32);

    impl ttf_parser::OutlineBuilder for PathSink {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.move_to(x * self.1, -y * self.1);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.line_to(x * self.1, -y * self.1);
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0
                .quad_to(x1 * self.1, -y1 * self.1, x * self.1, -y * self.1);
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            let s = self.1;
            self.0
                .cubic_to(x1 * s, -y1 * s, x2 * s, -y2 * s, x * s, -y * s);
        }
        fn close(&mut self) {
            self.0.close();
        }
    }

    impl Font {
        pub(super) fn load() -> Font {
            let path = std::env::var("ADLOOM_BENCH_FONT")
                .unwrap_or_else(|_| "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf".into());
            let mut font = Font {
                paths: HashMap::new(),
                advance: HashMap::new(),
            };
            let text = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!%€$-*";
            if let Ok(data) = std::fs::read(&path) {
                let face = ttf_parser::Face::parse(&data, 0).unwrap();
                let scale = 1.0 / f32::from(face.units_per_em());
                for ch in text.chars() {
                    let Some(id) = face.glyph_index(ch) else {
                        continue;
                    };
                    let adv = face.glyph_hor_advance(id).unwrap_or(0) as f32 * scale;
                    font.advance.insert(ch, (id.0, adv));
                    let mut sink = PathSink(PathBuilder::new(), scale);
                    if face.outline_glyph(id, &mut sink).is_some() {
                        if let Some(p) = sink.0.finish() {
                            font.paths.insert(id.0, p);
                        }
                    }
                }
                println!("font: {path} ({} glyphs)", font.paths.len());
            } else {
                println!("font: squares (no {path})");
                let mut pb = PathBuilder::new();
                pb.push_rect(tiny_skia::Rect::from_ltrb(0.05, -0.7, 0.55, 0.0).unwrap());
                let square = pb.finish().unwrap();
                for (i, ch) in text.chars().enumerate() {
                    font.advance.insert(ch, (i as u16 + 1, 0.6));
                    if ch != ' ' {
                        font.paths.insert(i as u16 + 1, square.clone());
                    }
                }
            }
            font
        }

        pub(super) fn run(
            &self,
            text: &str,
            x: f32,
            y: f32,
            size: f32,
            color: Rgba,
            bold: bool,
        ) -> Command {
            let mut pen = x;
            let mut glyphs = Vec::new();
            for ch in text.chars() {
                let Some(&(id, adv)) = self.advance.get(&ch) else {
                    continue;
                };
                glyphs.push(PlacedGlyph { id, x: pen, y });
                pen += adv * size;
            }
            Command::Glyphs(GlyphRun {
                font: FontId(0),
                size,
                skew: 0.0,
                embolden: if bold { size / 30.0 } else { 0.0 },
                color,
                glyphs,
            })
        }
    }

    impl GlyphOutlines for Font {
        fn outline(&self, _font: FontId, glyph: u16) -> Option<&Path> {
            self.paths.get(&glyph)
        }
    }

    fn photo_bytes() -> Vec<u8> {
        if let Ok(path) = std::env::var("ADLOOM_BENCH_PHOTO") {
            println!("photo: {path}");
            return std::fs::read(path).unwrap();
        }
        println!("photo: synthetic 800x800");
        // Smooth shapes plus sensor-like noise: compresses like a photo.
        let (w, h) = (800u32, 800u32);
        let mut data = Vec::with_capacity((w * h * 3) as usize);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for y in 0..h {
            for x in 0..w {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let n = (seed % 13) as i32 - 6;
                let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
                let d = ((fx - 0.5).powi(2) + (fy - 0.45).powi(2)).sqrt();
                let base = if d < 0.3 {
                    [220.0 - d * 300.0, 60.0 + fy * 80.0, 40.0]
                } else {
                    [90.0 + fx * 60.0, 140.0 + fy * 40.0, 200.0 - fy * 50.0]
                };
                for c in base {
                    data.push((c as i32 + n).clamp(0, 255) as u8);
                }
            }
        }
        let mut out = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90),
            &data,
            w,
            h,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
        out
    }

    fn stops(list: &[(f32, Rgba)]) -> Vec<ColorStop> {
        list.iter()
            .map(|&(offset, color)| ColorStop { offset, color })
            .collect()
    }

    /// A typical retail banner: gradient background, a card with a shadow,
    /// a rounded product photo (cover crop), headline, price, CTA button
    /// with border, a translucent badge, a clipped decoration, legal line.
    fn banner(w: f32, h: f32, font: &Font, photo: (f32, f32)) -> DisplayList {
        let s = (w.min(h * 1.2) / 300.0).max(0.5);
        let pad = 12.0 * s;
        let card = Rect::new(pad, pad, w * 0.45, h - 2.0 * pad);
        let img_box = Rect::new(
            card.x + 8.0 * s,
            card.y + 8.0 * s,
            card.width - 16.0 * s,
            card.height - 16.0 * s,
        );
        // object-fit: cover.
        let scale = (img_box.width / photo.0).max(img_box.height / photo.1);
        let (sw, sh) = (img_box.width / scale, img_box.height / scale);
        let source = Rect::new((photo.0 - sw) / 2.0, (photo.1 - sh) / 2.0, sw, sh);
        let tx = card.right() + pad;
        // Headline size that fits the text column ("wind-proof, 8 ribs" is
        // about 9 em wide in DejaVu Sans).
        let hs = ((w - tx - pad) / 9.5).min(26.0 * s);
        let white = Rgba::WHITE;
        let mut c = vec![
            Command::FillRect {
                rect: Rect::new(0.0, 0.0, w, h),
                radii: Radii::default(),
                paint: Paint::Linear {
                    start: (0.0, 0.0),
                    end: (w, h),
                    stops: stops(&[
                        (0.0, Rgba::new(15, 76, 129, 255)),
                        (0.6, Rgba::new(27, 153, 139, 255)),
                        (1.0, Rgba::new(237, 174, 73, 255)),
                    ]),
                },
            },
            Command::PushLayer {
                opacity: 1.0,
                clip: Some((Rect::new(0.0, 0.0, w, h), Radii::default())),
            },
            Command::FillRect {
                rect: Rect::new(w * 0.7, -h * 0.3, w * 0.6, w * 0.6),
                radii: Radii::uniform(w * 0.3),
                paint: Paint::Radial {
                    center: (w, 0.0),
                    radius: (w * 0.3, w * 0.3),
                    stops: stops(&[
                        (0.0, Rgba::new(255, 255, 255, 90)),
                        (1.0, Rgba::new(255, 255, 255, 0)),
                    ]),
                },
            },
            Command::PopLayer,
            Command::Shadow {
                rect: card,
                radii: Radii::uniform(12.0 * s),
                offset: (0.0, 6.0 * s),
                blur: 18.0 * s,
                spread: 0.0,
                color: Rgba::new(0, 0, 0, 90),
            },
            Command::FillRect {
                rect: card,
                radii: Radii::uniform(12.0 * s),
                paint: Paint::Solid(white),
            },
            Command::Image(ImageDraw {
                key: "photo".into(),
                source,
                dest: img_box,
                clip: img_box,
                radii: Radii::uniform(8.0 * s),
            }),
            font.run("Storm umbrella", tx, pad + hs * 1.2, hs, white, true),
            font.run("wind-proof, 8 ribs", tx, pad + hs * 2.4, hs, white, true),
            font.run("Now only", tx, pad + hs * 3.6, hs * 0.6, white, false),
            font.run(
                "EUR 49.99",
                tx,
                pad + hs * 5.0,
                hs * 1.3,
                Rgba::new(255, 230, 120, 255),
                true,
            ),
        ];
        let cta = Rect::new(tx, h - pad - 48.0 * s, 110.0 * s, 34.0 * s);
        c.extend([
            Command::FillRect {
                rect: cta,
                radii: Radii::uniform(17.0 * s),
                paint: Paint::Solid(Rgba::new(230, 57, 70, 255)),
            },
            Command::Border {
                rect: cta,
                radii: Radii::uniform(17.0 * s),
                width: 2.0 * s,
                color: white,
            },
            font.run(
                "Shop now",
                cta.x + 22.0 * s,
                cta.y + 22.0 * s,
                15.0 * s,
                white,
                true,
            ),
            Command::PushLayer {
                opacity: 0.85,
                clip: None,
            },
            Command::FillRect {
                rect: Rect::new(card.x + 14.0 * s, card.y + 14.0 * s, 54.0 * s, 54.0 * s),
                radii: Radii::uniform(27.0 * s),
                paint: Paint::Solid(Rgba::new(230, 57, 70, 255)),
            },
            font.run(
                "-30%",
                card.x + 22.0 * s,
                card.y + 46.0 * s,
                16.0 * s,
                white,
                true,
            ),
            Command::PopLayer,
            font.run(
                "Offer valid until 31 Dec. While stocks last. Terms apply.",
                tx,
                h - 5.0 * s,
                ((w - tx - pad) / 30.0).min(10.0 * s),
                Rgba::new(255, 255, 255, 200),
                false,
            ),
        ]);
        DisplayList {
            width: w as u32,
            height: h as u32,
            commands: c,
        }
    }

    fn kind(c: &Command) -> &'static str {
        match c {
            Command::FillRect {
                paint: Paint::Solid(_),
                ..
            } => "FillRect solid",
            Command::FillRect { .. } => "FillRect gradient",
            Command::Border { .. } => "Border",
            Command::Shadow { .. } => "Shadow",
            Command::Image(_) => "Image",
            Command::Glyphs(_) => "Glyphs",
            Command::PushLayer { .. } => "PushLayer",
            Command::PopLayer => "PopLayer",
        }
    }

    /// `paint_commands` with a stopwatch around each command.
    fn timed_paint(
        list: &DisplayList,
        font: &Font,
        images: &ImageStore,
        acc: &mut Vec<(&'static str, Duration)>,
    ) -> Pixmap {
        let mut root = Pixmap::new(list.width, list.height).unwrap();
        let mut painter = Painter {
            glyphs: font,
            images,
            layers: Vec::new(),
            skip: 0,
            builder: PathBuilder::new(),
        };
        for (i, c) in list.commands.iter().enumerate() {
            let t = Instant::now();
            painter.command(&mut root, &list.commands, i, c).unwrap();
            let e = t.elapsed();
            match acc.iter_mut().find(|(k, _)| *k == kind(c)) {
                Some(slot) => slot.1 += e,
                None => acc.push((kind(c), e)),
            }
        }
        root
    }

    fn median(mut v: Vec<Duration>) -> Duration {
        v.sort();
        v[v.len() / 2]
    }

    #[test]
    #[ignore = "measurement; run in release with --nocapture"]
    fn bench_raster_and_png() {
        let font = Font::load();
        let bytes = photo_bytes();
        let mut images = ImageStore::new();
        let info = images
            .add("photo", &bytes, &ImageLimits::default())
            .unwrap();
        let photo = (info.width as f32, info.height as f32);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/raster-check");
        std::fs::create_dir_all(&dir).unwrap();

        let flat = std::env::var("ADLOOM_BENCH_FLAT").is_ok();
        for (w, h, iters) in [(300.0, 250.0, 200u32), (1200.0, 628.0, 40)] {
            let mut list = banner(w, h, &font, photo);
            if flat {
                // A flat design: the photo replaced by a solid panel.
                for c in &mut list.commands {
                    if let Command::Image(d) = c {
                        *c = Command::FillRect {
                            rect: d.clip,
                            radii: d.radii,
                            paint: Paint::Solid(Rgba::new(240, 200, 60, 255)),
                        };
                    }
                }
            }
            // Cold: includes resampling the photo (then cached).
            let t = Instant::now();
            let pixmap = paint(&list, &font, &images).unwrap();
            let cold = t.elapsed();
            let png = crate::encode::encode(&pixmap, &EncodeOptions::default()).unwrap();
            std::fs::write(dir.join(format!("banner-{w}x{h}.png")), &png).unwrap();
            let mut acc = Vec::new();
            let mut totals = Vec::new();
            for _ in 0..iters {
                let t = Instant::now();
                timed_paint(&list, &font, &images, &mut acc);
                totals.push(t.elapsed());
            }
            let mut reuse = Pixmap::new(list.width, list.height).unwrap();
            let t = Instant::now();
            for _ in 0..iters {
                paint_into(&mut reuse, &list, &font, &images).unwrap();
            }
            let warm_reuse = t.elapsed() / iters;
            println!(
                "\n{w}x{h}: {} commands; cold {:.3} ms (incl. photo resample); warm median {:.3} ms; paint_into {:.3} ms",
                list.commands.len(),
                cold.as_secs_f64() * 1e3,
                median(totals).as_secs_f64() * 1e3,
                warm_reuse.as_secs_f64() * 1e3,
            );
            println!("| command | count | µs per render (all of that kind) |");
            println!("|---|---|---|");
            for (k, d) in &acc {
                let n = list.commands.iter().filter(|c| kind(c) == *k).count();
                println!(
                    "| {k} | {n} | {:.1} |",
                    d.as_secs_f64() * 1e6 / iters as f64
                );
            }
            for format in [Format::Jpeg, Format::Webp] {
                let t = Instant::now();
                let b = crate::encode::encode(&pixmap, &EncodeOptions::new(format)).unwrap();
                println!(
                    "{format}: {} bytes, {:.2} ms",
                    b.len(),
                    t.elapsed().as_secs_f64() * 1e3
                );
            }

            println!("\nPNG {w}x{h} (opaque → RGB):");
            println!("| compression | filter | bytes | ms (median of 5) |");
            println!("|---|---|---|---|");
            let opts = EncodeOptions::new(Format::Png);
            let comps: [(&str, CompressionType); 8] = [
                ("Fast", CompressionType::Fast),
                ("Level(1)", CompressionType::Level(1)),
                ("Level(2)", CompressionType::Level(2)),
                ("Level(3)", CompressionType::Level(3)),
                ("Level(4)", CompressionType::Level(4)),
                ("Level(5)", CompressionType::Level(5)),
                ("Default", CompressionType::Default),
                ("Best", CompressionType::Best),
            ];
            let filters: [(&str, FilterType); 6] = [
                ("NoFilter", FilterType::NoFilter),
                ("Sub", FilterType::Sub),
                ("Up", FilterType::Up),
                ("Avg", FilterType::Avg),
                ("Paeth", FilterType::Paeth),
                ("Adaptive", FilterType::Adaptive),
            ];
            for (cn, comp) in comps {
                for (fname, filter) in filters {
                    let all = matches!(cn, "Fast" | "Default" | "Best");
                    if !all && !matches!(fname, "Up" | "Paeth" | "Adaptive") {
                        continue;
                    }
                    let mut times = Vec::new();
                    let mut len = 0;
                    for _ in 0..5 {
                        let t = Instant::now();
                        len = encode_png_with(&pixmap, &opts, comp, filter).unwrap().len();
                        times.push(t.elapsed());
                    }
                    println!(
                        "| {cn} | {fname} | {len} | {:.2} |",
                        median(times).as_secs_f64() * 1e3
                    );
                }
            }
            // What tiny-skia's `encode_png` / resvg write: RGBA, png defaults.
            let rgba = pixmap.clone().take_demultiplied();
            let mut times = Vec::new();
            let mut len = 0;
            for _ in 0..5 {
                let t = Instant::now();
                let mut out = Vec::new();
                image::ImageEncoder::write_image(
                    image::codecs::png::PngEncoder::new_with_quality(
                        &mut out,
                        CompressionType::Default,
                        FilterType::Adaptive,
                    ),
                    &rgba,
                    list.width,
                    list.height,
                    image::ExtendedColorType::Rgba8,
                )
                .unwrap();
                len = out.len();
                times.push(t.elapsed());
            }
            println!(
                "| reference: RGBA, png crate defaults (Balanced + Adaptive) | | {len} | {:.2} |",
                median(times).as_secs_f64() * 1e3
            );
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod microbench {
    use super::*;
    use crate::draw::ColorStop;
    use std::time::Instant;

    fn time(name: &str, list: &DisplayList, glyphs: &dyn GlyphOutlines, images: &ImageStore) {
        let mut p = Pixmap::new(list.width, list.height).unwrap();
        paint_into(&mut p, list, glyphs, images).unwrap();
        let n = 30;
        let mut best = f64::MAX;
        for _ in 0..n {
            let t = Instant::now();
            paint_into(&mut p, list, glyphs, images).unwrap();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{name}: best {:.3} ms", best * 1e3);
    }

    struct NoGlyphs;
    impl GlyphOutlines for NoGlyphs {
        fn outline(&self, _: crate::text::FontId, _: u16) -> Option<&Path> {
            None
        }
    }

    #[test]
    #[ignore = "measurement"]
    fn bench_ops() {
        let (w, h) = (1200u32, 628u32);
        let full = Rect::new(0.0, 0.0, w as f32, h as f32);
        let stops = vec![
            ColorStop {
                offset: 0.0,
                color: Rgba::new(15, 76, 129, 255),
            },
            ColorStop {
                offset: 1.0,
                color: Rgba::new(237, 174, 73, 255),
            },
        ];
        let one = |c: Command| DisplayList {
            width: w,
            height: h,
            commands: vec![c],
        };
        let images = ImageStore::new();
        time(
            "empty (clear only)",
            &DisplayList {
                width: w,
                height: h,
                commands: vec![],
            },
            &NoGlyphs,
            &images,
        );
        time(
            "solid full",
            &one(Command::FillRect {
                rect: full,
                radii: Radii::default(),
                paint: Paint::Solid(Rgba::new(1, 2, 3, 255)),
            }),
            &NoGlyphs,
            &images,
        );
        time(
            "solid full rounded",
            &one(Command::FillRect {
                rect: full,
                radii: Radii::uniform(20.0),
                paint: Paint::Solid(Rgba::new(1, 2, 3, 255)),
            }),
            &NoGlyphs,
            &images,
        );
        time(
            "linear full",
            &one(Command::FillRect {
                rect: full,
                radii: Radii::default(),
                paint: Paint::Linear {
                    start: (0.0, 0.0),
                    end: (1200.0, 628.0),
                    stops: stops.clone(),
                },
            }),
            &NoGlyphs,
            &images,
        );
        time(
            "radial full",
            &one(Command::FillRect {
                rect: full,
                radii: Radii::default(),
                paint: Paint::Radial {
                    center: (600.0, 300.0),
                    radius: (600.0, 300.0),
                    stops: stops.clone(),
                },
            }),
            &NoGlyphs,
            &images,
        );
        let card = Rect::new(12.0, 12.0, 540.0, 604.0);
        for blur in [4.0, 18.0, 36.0] {
            time(
                &format!("shadow card blur {blur}"),
                &one(Command::Shadow {
                    rect: card,
                    radii: Radii::uniform(12.0),
                    offset: (0.0, 6.0),
                    blur,
                    spread: 0.0,
                    color: Rgba::new(0, 0, 0, 90),
                }),
                &NoGlyphs,
                &images,
            );
        }
        time(
            "opacity layer full",
            &DisplayList {
                width: w,
                height: h,
                commands: vec![
                    Command::PushLayer {
                        opacity: 0.5,
                        clip: None,
                    },
                    Command::FillRect {
                        rect: full,
                        radii: Radii::default(),
                        paint: Paint::Solid(Rgba::new(1, 2, 3, 255)),
                    },
                    Command::PopLayer,
                ],
            },
            &NoGlyphs,
            &images,
        );
        let font = super::bench::Font::load();
        for (size, bold) in [(60.0, false), (60.0, true), (16.0, false), (16.0, true)] {
            let line = "Storm umbrella wind-proof";
            let l = one(font.run(line, 20.0, 300.0, size, Rgba::WHITE, bold));
            time(
                &format!("glyphs 25 @ {size}px bold={bold}"),
                &l,
                &font,
                &images,
            );
        }
        time(
            "rounded clip layer full",
            &DisplayList {
                width: w,
                height: h,
                commands: vec![
                    Command::PushLayer {
                        opacity: 1.0,
                        clip: Some((full, Radii::uniform(30.0))),
                    },
                    Command::FillRect {
                        rect: full,
                        radii: Radii::default(),
                        paint: Paint::Solid(Rgba::new(1, 2, 3, 255)),
                    },
                    Command::PopLayer,
                ],
            },
            &NoGlyphs,
            &images,
        );
    }
}
