//! The display list: what the raster stage draws.
//!
//! Layout turns a [`Scene`](crate::scene::Scene) into a flat list of drawing
//! commands in paint order (z-index and tree order already applied), with every
//! coordinate in canvas pixels. The raster stage only walks this list; it knows
//! nothing about templates, styles or flexbox. Keeping the boundary this small is
//! what lets each side be tested alone.

use crate::text::FontId;

/// A colour with straight (not premultiplied) alpha, 8 bits per channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Rgba {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
    /// Alpha, 255 is opaque.
    pub a: u8,
}

impl Rgba {
    /// Opaque black.
    pub const BLACK: Rgba = Rgba::new(0, 0, 0, 255);
    /// Opaque white.
    pub const WHITE: Rgba = Rgba::new(255, 255, 255, 255);
    /// Fully transparent.
    pub const TRANSPARENT: Rgba = Rgba::new(0, 0, 0, 0);

    /// A colour from its four channels.
    pub const fn new(r: u8, g: u8, b: u8, a: u8) -> Self {
        Rgba { r, g, b, a }
    }
}

/// An axis-aligned rectangle in canvas pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width, never negative.
    pub width: f32,
    /// Height, never negative.
    pub height: f32,
}

impl Rect {
    /// A rectangle from its origin and size.
    pub const fn new(x: f32, y: f32, width: f32, height: f32) -> Self {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.width
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }
}

/// Corner radii in pixels, clockwise from the top-left corner.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Radii {
    /// Top-left.
    pub top_left: f32,
    /// Top-right.
    pub top_right: f32,
    /// Bottom-right.
    pub bottom_right: f32,
    /// Bottom-left.
    pub bottom_left: f32,
}

impl Radii {
    /// The same radius on all four corners.
    pub const fn uniform(r: f32) -> Self {
        Radii {
            top_left: r,
            top_right: r,
            bottom_right: r,
            bottom_left: r,
        }
    }

    /// True when every corner is square.
    pub fn is_zero(&self) -> bool {
        self.top_left <= 0.0
            && self.top_right <= 0.0
            && self.bottom_right <= 0.0
            && self.bottom_left <= 0.0
    }
}

/// A colour stop of a gradient; `offset` is in `0..=1` along the gradient line.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ColorStop {
    /// Position along the gradient, 0 at the start, 1 at the end.
    pub offset: f32,
    /// Colour at that position.
    pub color: Rgba,
}

/// How an area is filled.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Paint {
    /// One colour.
    Solid(Rgba),
    /// A linear gradient between two points in canvas pixels.
    Linear {
        /// Where offset 0 lies.
        start: (f32, f32),
        /// Where offset 1 lies.
        end: (f32, f32),
        /// At least two stops, offsets ascending.
        stops: Vec<ColorStop>,
    },
    /// A radial (elliptical) gradient in canvas pixels.
    Radial {
        /// Centre of the ellipse.
        center: (f32, f32),
        /// Horizontal and vertical radius where offset 1 lies.
        radius: (f32, f32),
        /// At least two stops, offsets ascending.
        stops: Vec<ColorStop>,
    },
}

/// One glyph placed on the canvas: its id in the font and its pen position
/// (the baseline origin), in canvas pixels.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlacedGlyph {
    /// Glyph id inside its font.
    pub id: u16,
    /// Baseline origin, x.
    pub x: f32,
    /// Baseline origin, y.
    pub y: f32,
}

/// A run of glyphs that share a font, size and colour.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GlyphRun {
    /// Font the glyph ids belong to.
    pub font: FontId,
    /// Font size in pixels (the em square's height).
    pub size: f32,
    /// Horizontal skew for synthesised italics (0 for none; ~0.2 is typical).
    pub skew: f32,
    /// Extra stroke width in pixels to synthesise bold (0 for none).
    pub embolden: f32,
    /// Fill colour.
    pub color: Rgba,
    /// The glyphs.
    pub glyphs: Vec<PlacedGlyph>,
}

/// Where the pixels of an image come from and where they go.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImageDraw {
    /// The image's key in the engine (its `src`).
    pub key: String,
    /// The part of the source image to show, in source pixels.
    pub source: Rect,
    /// Where that part lands on the canvas (already fitted by `objectFit`).
    pub dest: Rect,
    /// The element's box: the image is clipped to it (and to `radii`).
    pub clip: Rect,
    /// Rounded corners of the clip.
    pub radii: Radii,
}

/// One drawing command.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Command {
    /// Fill a (rounded) rectangle.
    FillRect {
        /// The rectangle.
        rect: Rect,
        /// Corner radii.
        radii: Radii,
        /// The fill.
        paint: Paint,
    },
    /// Stroke the inside of a (rounded) rectangle's edge, CSS `border` style:
    /// the stroke lies entirely inside `rect`.
    Border {
        /// The element's border box.
        rect: Rect,
        /// Corner radii of the outer edge.
        radii: Radii,
        /// Border width in pixels.
        width: f32,
        /// Border colour.
        color: Rgba,
    },
    /// A CSS box shadow (outer) of a (rounded) rectangle.
    Shadow {
        /// The element's border box.
        rect: Rect,
        /// Corner radii.
        radii: Radii,
        /// Offset of the shadow.
        offset: (f32, f32),
        /// Blur radius in pixels (CSS semantics: standard deviation = blur / 2).
        blur: f32,
        /// Spread in pixels (grows the shadow shape).
        spread: f32,
        /// Shadow colour.
        color: Rgba,
    },
    /// Draw (part of) an image.
    Image(ImageDraw),
    /// Fill glyph outlines.
    Glyphs(GlyphRun),
    /// Start a group: everything until the matching [`Command::PopLayer`] is
    /// composited together with `opacity`, clipped to `clip` if present.
    PushLayer {
        /// Group opacity in `0..=1`.
        opacity: f32,
        /// Optional clip rectangle with rounded corners (`overflow: hidden`).
        clip: Option<(Rect, Radii)>,
    },
    /// End the innermost group.
    PopLayer,
}

/// Everything the raster stage needs to paint one canvas.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DisplayList {
    /// Canvas width in pixels.
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// Commands in paint order.
    pub commands: Vec<Command>,
}

/// Where the raster stage gets glyph outlines from (the engine's font book).
pub trait GlyphOutlines {
    /// The outline of `glyph` in `font`, in em units (1.0 = the font size),
    /// y pointing down, origin on the baseline. `None` for empty glyphs.
    fn outline(&self, font: FontId, glyph: u16) -> Option<&tiny_skia::Path>;

    /// Where rasterised glyphs are kept between renders; `None` (the
    /// default) fills every run's outlines afresh.
    fn mask_cache(&self) -> Option<&crate::raster::GlyphMaskCache> {
        None
    }
}
