//! Text: fonts, shaping, bidi, line breaking, alignment, clamping and auto-fit.
//!
//! INTERFACE ONLY — being implemented (see the brief). The public items below
//! are the contract the layout and raster stages are written against.

use crate::draw::GlyphOutlines;
use crate::error::Result;

/// Index of a font face inside a [`FontBook`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Direction {
    /// From the first strong character (Unicode bidi rules P2/P3).
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

/// The fonts of an engine, parsed once and reused for every render.
#[derive(Default)]
pub struct FontBook {}

impl FontBook {
    /// An empty book.
    pub fn new() -> Self {
        FontBook {}
    }

    /// A book holding the embedded default fonts (feature `embedded-font`).
    pub fn with_embedded() -> Self {
        FontBook {}
    }

    /// Add every face of a TTF/OTF/TTC file; returns their ids.
    pub fn add(&mut self, _bytes: Vec<u8>) -> Result<Vec<FontId>> {
        Ok(Vec::new())
    }

    /// The loaded faces.
    pub fn faces(&self) -> Vec<FaceInfo> {
        Vec::new()
    }

    /// Stable 64-bit fingerprint of the loaded font files, in load order.
    pub fn fingerprint(&self) -> u64 {
        0
    }

    /// Shape and break `text` inside `max_width` (None: a single line per
    /// hard break).
    pub fn layout(&self, _text: &str, style: &TextStyle, _max_width: Option<f32>) -> TextLayout {
        TextLayout {
            size: style.size,
            ..TextLayout::default()
        }
    }

    /// The largest size in `min..=max` whose layout fits `width` × `height`
    /// (and `style.max_lines`).
    pub fn fit(
        &self,
        text: &str,
        style: &TextStyle,
        min: f32,
        _max: f32,
        width: f32,
        _height: Option<f32>,
    ) -> Fit {
        let mut s = style.clone();
        s.size = min;
        Fit {
            layout: self.layout(text, &s, Some(width)),
            fits: true,
        }
    }
}

impl GlyphOutlines for FontBook {
    fn outline(&self, _font: FontId, _glyph: u16) -> Option<&tiny_skia::Path> {
        None
    }
}
