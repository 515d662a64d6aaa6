//! Text: fonts, shaping, bidi, line breaking, alignment, clamping and auto-fit.
//!
//! The pipeline, all in this pure core:
//!
//! 1. **Faces** ([`FontBook::add`]) are parsed once with ttf-parser; each keeps
//!    its bytes and a lazily filled, lock-free outline cache.
//! 2. **Shaping** splits a text into paragraphs at `\n`, resolves bidi levels
//!    (unicode-bidi), picks a face per character (requested families first,
//!    nearest weight, then every other face as fallback), cuts runs where face,
//!    level or script change and shapes each run with rustybuzz. The result is
//!    in ems, so it serves every size and width; it is cached in the book.
//! 3. **Lines** are broken greedily at unicode-linebreak opportunities (a word
//!    wider than the box gets its own line and sets `overflows`; it is never
//!    split), clamped to `max_lines` (with "…" when asked), reordered
//!    visually per line (bidi rule L2) and aligned.
//! 4. **Fit** binary-searches the size on the cached shaping.
//!
//! Whitespace is kept as written (CSS `pre-wrap`), except that spaces at the
//! end of a line hang: they are neither drawn nor measured.

mod fonts;
mod lines;
mod shape;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::draw::GlyphOutlines;
use crate::error::Result;
use fonts::{Face, FontData};
use lines::BuildParams;
use shape::{PlanKey, Shaped, Shaper};

/// Index of a font face inside a [`FontBook`].
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct FontId(pub u32);

/// What a loaded face is, as read from its tables.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FaceInfo {
    /// Its id.
    pub id: FontId,
    /// Typographic family name (name id 16, else 1), e.g. `Inter`.
    pub family: String,
    /// Weight class, 100..=900.
    pub weight: u16,
    /// True for italic/oblique faces.
    pub italic: bool,
}

/// Horizontal alignment of lines inside the box.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Align {
    /// `start`: left in LTR paragraphs, right in RTL ones.
    #[default]
    Start,
    /// `end`.
    End,
    /// `left`.
    Left,
    /// `right`.
    Right,
    /// `center`.
    Center,
    /// `justify` (last line start-aligned).
    Justify,
}

/// Paragraph base direction.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Direction {
    /// From the first strong character of each paragraph (Unicode bidi rules
    /// P2/P3); left to right when there is none.
    #[default]
    Auto,
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

/// Everything that decides how a piece of text is shaped and broken.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TextStyle {
    /// Preferred families in order; faces not named are still used as fallback.
    pub families: Vec<String>,
    /// Font size in px.
    pub size: f32,
    /// Weight 100..=900.
    pub weight: u16,
    /// Italic requested.
    pub italic: bool,
    /// Line height in px (already resolved from a multiplier or length).
    pub line_height: f32,
    /// Extra space after every glyph, in px.
    pub letter_spacing: f32,
    /// Alignment.
    pub align: Align,
    /// Base direction.
    pub direction: Direction,
    /// At most this many lines (`lineClamp`); `None` for no limit.
    pub max_lines: Option<u32>,
    /// When text is cut (by `max_lines` or by the height limit), end the last
    /// kept line with an ellipsis "…".
    pub ellipsis: bool,
}

/// A run of glyphs inside a line that share one face.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The face.
    pub font: FontId,
    /// Glyphs with positions relative to the layout's top-left corner (x) and
    /// baseline (y), in px.
    pub glyphs: Vec<crate::draw::PlacedGlyph>,
    /// The face lacks the requested weight: draw with a synthetic bold.
    pub synthetic_bold: bool,
    /// The face lacks italics: draw with a synthetic slant.
    pub synthetic_italic: bool,
}

/// One laid-out line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Runs in visual order, left to right.
    pub runs: Vec<Run>,
    /// Left edge of the line's ink box after alignment, px.
    pub x: f32,
    /// Advance width of the line, px.
    pub width: f32,
    /// Baseline y from the layout's top, px.
    pub baseline: f32,
    /// Byte range of the source text shown on this line (hanging spaces and
    /// clusters cut for an ellipsis excluded).
    pub range: std::ops::Range<usize>,
}

/// A paragraph laid out at one size inside one width.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextLayout {
    /// Lines top to bottom.
    pub lines: Vec<Line>,
    /// Width of the widest line, px.
    pub width: f32,
    /// Total height (lines × line height), px.
    pub height: f32,
    /// Font size used, px.
    pub size: f32,
    /// Some text was dropped by the clamp or the height limit.
    pub truncated: bool,
    /// A single unbreakable word is wider than the available width.
    pub overflows: bool,
}

/// Result of [`FontBook::fit`].
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// The layout at the chosen size.
    pub layout: TextLayout,
    /// False when even the minimum size does not fit (the layout is then at
    /// the minimum size, clamped/ellipsized as the style asks).
    pub fits: bool,
}

/// Shaped texts kept at most; the cache is simply emptied when full, which is
/// cheap and keeps the hot entries of a template's next render coming back.
const SHAPE_CACHE_MAX: usize = 512;
/// Font-size resolution of [`FontBook::fit`], px.
const FIT_STEP: f32 = 0.5;

/// The fonts of an engine, parsed once and reused for every render.
///
/// `Send + Sync`: shaping results and glyph outlines are cached inside, behind
/// a mutex (shaped texts) and `OnceLock`s (outlines), so one book can serve
/// renders on many threads.
pub struct FontBook {
    faces: Vec<Face>,
    /// Running xxh3 over every file's bytes in load order.
    hasher: xxhash_rust::xxh3::Xxh3,
    /// Shaped texts by (style key, text); see [`shape_key`].
    shaped: Mutex<HashMap<Box<[u8]>, Arc<Shaped>>>,
    /// rustybuzz shape plans by face, direction, script and features.
    plans: Mutex<HashMap<PlanKey, Arc<rustybuzz::ShapePlan>>>,
    /// Rasterised glyphs (faces are only ever appended, so ids stay valid).
    masks: crate::raster::GlyphMaskCache,
}

impl Default for FontBook {
    fn default() -> Self {
        FontBook {
            faces: Vec::new(),
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            shaped: Mutex::new(HashMap::new()),
            plans: Mutex::new(HashMap::new()),
            masks: crate::raster::GlyphMaskCache::default(),
        }
    }
}

impl std::fmt::Debug for FontBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontBook")
            .field("faces", &self.faces())
            .finish_non_exhaustive()
    }
}

/// The cache key: everything shaping depends on, then the text.
fn shape_key(text: &str, style: &TextStyle) -> Vec<u8> {
    let fams: usize = style.families.iter().map(|f| f.len() + 1).sum();
    let mut k = Vec::with_capacity(8 + fams + text.len());
    k.extend_from_slice(&style.weight.to_le_bytes());
    k.push(u8::from(style.italic));
    k.push(style.direction as u8);
    k.push(u8::from(style.letter_spacing != 0.0));
    for f in &style.families {
        k.extend(f.bytes().map(|b| b.to_ascii_lowercase()));
        k.push(0x1F);
    }
    k.push(0x1E);
    k.extend_from_slice(text.as_bytes());
    k
}

/// Finite and not negative, else 0.
fn sane(v: f32) -> f32 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

impl FontBook {
    /// An empty book.
    pub fn new() -> Self {
        FontBook::default()
    }

    /// A book holding the embedded default fonts (feature `embedded-font`):
    /// Inter Regular and Bold, Noto Sans Arabic Regular, Noto Sans Hebrew
    /// Regular and Bold. Without the feature the book is empty.
    pub fn with_embedded() -> Self {
        #[allow(unused_mut)]
        let mut book = FontBook::new();
        #[cfg(feature = "embedded-font")]
        for bytes in fonts::EMBEDDED {
            // These files are tested; a failure here would only drop a face.
            let _ = book.add_data(FontData::Static(bytes));
        }
        book
    }

    /// Add every face of a TTF/OTF/TTC file; returns their ids.
    ///
    /// Fails with [`Error::Font`](crate::Error::Font) (and adds nothing) when
    /// the file is over 20 MB, is not a font, is truncated, or a face has no
    /// cmap, no glyphs or no outlines (bitmap-only fonts).
    pub fn add(&mut self, bytes: Vec<u8>) -> Result<Vec<FontId>> {
        if bytes.len() > fonts::MAX_FONT_BYTES {
            // Refuse before copying it into shared storage.
            return Err(crate::Error::Font {
                reason: format!(
                    "file is {} bytes, more than the {} byte limit",
                    bytes.len(),
                    fonts::MAX_FONT_BYTES
                ),
            });
        }
        self.add_data(FontData::Shared(Arc::from(bytes)))
    }

    fn add_data(&mut self, data: FontData) -> Result<Vec<FontId>> {
        let first = self.faces.len() as u32;
        let new = fonts::load(data.clone(), first)?;
        self.hasher.update(data.bytes());
        let ids = new.iter().map(|f| f.info.id).collect();
        self.faces.extend(new);
        // Fallback order changed: earlier shaping may now pick other faces.
        self.shaped
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        Ok(ids)
    }

    /// The loaded faces.
    pub fn faces(&self) -> Vec<FaceInfo> {
        self.faces.iter().map(|f| f.info.clone()).collect()
    }

    /// Stable 64-bit fingerprint of the loaded font files, in load order:
    /// xxh3-64 of their bytes concatenated (the same on every platform).
    pub fn fingerprint(&self) -> u64 {
        self.hasher.digest()
    }

    /// The shaped form of `text` for `style`, from the cache or shaped now.
    fn shaped(&self, text: &str, style: &TextStyle) -> Arc<Shaped> {
        let key = shape_key(text, style);
        {
            let cache = self.shaped.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(s) = cache.get(key.as_slice()) {
                return Arc::clone(s);
            }
        }
        // Shape without holding the lock: other renders keep going.
        let shaped =
            Arc::new(Shaper::new(&self.faces, &self.plans, style).shape(text, style.direction));
        let mut cache = self.shaped.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= SHAPE_CACHE_MAX {
            cache.clear();
        }
        cache.insert(key.into_boxed_slice(), Arc::clone(&shaped));
        shaped
    }

    /// Lay out a shaped text. The ellipsis is shaped (and cached) like any
    /// text, and only when a clamp could call for it.
    fn build(&self, text: &str, shaped: &Shaped, params: &BuildParams<'_>) -> TextLayout {
        let ellipsis = (params.style.ellipsis && params.max_lines.is_some() && !text.is_empty())
            .then(|| self.shaped("\u{2026}", params.style));
        lines::build(&self.faces, shaped, ellipsis.as_deref(), params)
    }

    /// Shape and break `text` inside `max_width` (None: a single line per
    /// hard break).
    ///
    /// Lines beyond `style.max_lines` are dropped (`truncated`), the last kept
    /// one ending in "…" when `style.ellipsis` is set.
    pub fn layout(&self, text: &str, style: &TextStyle, max_width: Option<f32>) -> TextLayout {
        let shaped = self.shaped(text, style);
        let params = BuildParams {
            style,
            size: sane(style.size),
            line_height: style.line_height,
            max_width,
            max_lines: style.max_lines,
        };
        self.build(text, &shaped, &params)
    }

    /// The largest size in `min..=max` (0.5 px steps from `min`, or `max`
    /// itself) whose layout fits `width` × `height` (and `style.max_lines`)
    /// with no overflowing word and nothing truncated.
    ///
    /// `style.line_height` is taken as given for `style.size` and scaled in
    /// proportion for other sizes; `letter_spacing` is kept in px. The text is
    /// shaped once; each candidate size only re-breaks lines.
    pub fn fit(
        &self,
        text: &str,
        style: &TextStyle,
        min: f32,
        max: f32,
        width: f32,
        height: Option<f32>,
    ) -> Fit {
        let min = sane(min);
        let max = sane(max).max(min);
        let shaped = self.shaped(text, style);
        let base = sane(style.size);
        let line_height = |size: f32| {
            if base > 0.0 {
                style.line_height * size / base
            } else {
                style.line_height
            }
        };
        let fits = |size: f32| {
            let spans = lines::break_lines(&shaped, size, style.letter_spacing, Some(width));
            let n = spans.len();
            !spans.iter().any(|s| s.overflow)
                && style.max_lines.is_none_or(|m| n <= m.max(1) as usize)
                && height.is_none_or(|h| n as f32 * line_height(size) <= h + lines::EPS)
        };
        let best = if fits(max) {
            Some(max)
        } else if !fits(min) {
            None
        } else {
            // Invariant: min + lo*step fits, min + hi*step does not (or is max).
            let steps = ((max - min) / FIT_STEP).floor().min(100_000.0) as u32;
            let (mut lo, mut hi) = (0u32, steps.max(1));
            if min + hi as f32 * FIT_STEP < max && fits(min + hi as f32 * FIT_STEP) {
                lo = hi;
            }
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if fits(min + mid as f32 * FIT_STEP) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            Some(min + lo as f32 * FIT_STEP)
        };
        match best {
            Some(size) => Fit {
                layout: self.build(
                    text,
                    &shaped,
                    &BuildParams {
                        style,
                        size,
                        line_height: line_height(size),
                        max_width: Some(width),
                        max_lines: style.max_lines,
                    },
                ),
                fits: true,
            },
            None => {
                // Clamp to the lines the height holds, too.
                let lh = line_height(min);
                let by_height = height
                    .filter(|_| lh > 0.0)
                    .map(|h| ((h + lines::EPS) / lh).floor().clamp(1.0, u32::MAX as f32) as u32);
                let max_lines = match (style.max_lines, by_height) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                Fit {
                    layout: self.build(
                        text,
                        &shaped,
                        &BuildParams {
                            style,
                            size: min,
                            line_height: lh,
                            max_width: Some(width),
                            max_lines,
                        },
                    ),
                    fits: false,
                }
            }
        }
    }
}

impl GlyphOutlines for FontBook {
    fn outline(&self, font: FontId, glyph: u16) -> Option<&tiny_skia::Path> {
        self.faces.get(font.0 as usize)?.outline(glyph)
    }

    fn mask_cache(&self) -> Option<&crate::raster::GlyphMaskCache> {
        Some(&self.masks)
    }
}
