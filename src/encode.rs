//! The encode stage: premultiplied pixels become PNG, JPEG or WebP bytes.
//!
//! Every encoder here is deterministic: the same pixels and options always
//! give the same bytes, on every platform (no timestamps, no threads).

use std::str::FromStr;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder};
use tiny_skia::Pixmap;

use crate::error::{Error, Result};

/// An output image format.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Lossless PNG, with alpha only when the image has transparency.
    #[default]
    Png,
    /// Lossy JPEG; transparency is composited over white.
    Jpeg,
    /// Lossless WebP.
    Webp,
}

impl Format {
    /// The MIME type, e.g. `image/png`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
        }
    }

    /// The usual file extension, without the dot: `png`, `jpg` or `webp`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Webp => "webp",
        }
    }
}

impl FromStr for Format {
    type Err = Error;

    /// Accepts `png`, `jpg`, `jpeg` and `webp`, in any case.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "png" => Ok(Format::Png),
            "jpg" | "jpeg" => Ok(Format::Jpeg),
            "webp" => Ok(Format::Webp),
            _ => Err(Error::invalid(
                "format",
                format!("unknown format `{s}` (expected png, jpeg or webp)"),
            )),
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Png => "png",
            Format::Jpeg => "jpeg",
            Format::Webp => "webp",
        })
    }
}

/// Default JPEG quality.
pub const DEFAULT_JPEG_QUALITY: u8 = 85;

/// How to encode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EncodeOptions {
    /// The output format. Default: PNG.
    pub format: Format,
    /// JPEG quality, 1..=100 (values outside are clamped). Ignored by the
    /// lossless formats. Default: 85.
    pub quality: u8,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            format: Format::Png,
            quality: DEFAULT_JPEG_QUALITY,
        }
    }
}

impl EncodeOptions {
    /// Options for `format` with the default quality.
    pub fn new(format: Format) -> Self {
        EncodeOptions {
            format,
            ..Self::default()
        }
    }
}

/// PNG compression used by [`encode`].
///
/// PLACEHOLDER — replaced by the measured choice.
const PNG_COMPRESSION: CompressionType = CompressionType::Default;
/// PNG row filter used by [`encode`]; see [`PNG_COMPRESSION`].
const PNG_FILTER: FilterType = FilterType::Adaptive;

/// Encodes premultiplied `pixmap` as `opts.format`.
pub fn encode(pixmap: &Pixmap, opts: &EncodeOptions) -> Result<Vec<u8>> {
    encode_png_with(pixmap, opts, PNG_COMPRESSION, PNG_FILTER)
}

/// [`encode`] with explicit PNG settings (used to measure them).
#[doc(hidden)]
pub fn encode_png_with(
    pixmap: &Pixmap,
    opts: &EncodeOptions,
    compression: CompressionType,
    filter: FilterType,
) -> Result<Vec<u8>> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let shape = scan(pixmap.data());
    let mut out = Vec::new();
    let result = match opts.format {
        Format::Png => {
            let (data, color) = straight_pixels(pixmap.data(), shape);
            PngEncoder::new_with_quality(&mut out, compression, filter)
                .write_image(&data, width, height, color)
        }
        Format::Webp => {
            let (data, color) = straight_pixels(pixmap.data(), shape);
            WebPEncoder::new_lossless(&mut out).write_image(&data, width, height, color)
        }
        Format::Jpeg => {
            let (data, color) = over_white(pixmap.data(), shape.grey);
            JpegEncoder::new_with_quality(&mut out, opts.quality.clamp(1, 100))
                .write_image(&data, width, height, color)
        }
    };
    result.map_err(|e| Error::Encode {
        reason: e.to_string(),
    })?;
    Ok(out)
}

/// What one pass over the pixels found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Shape {
    /// Every alpha is 255.
    opaque: bool,
    /// Every pixel has r == g == b (true of premultiplied and straight
    /// values alike, since both channels are scaled the same way).
    grey: bool,
}

fn scan(data: &[u8]) -> Shape {
    let mut opaque = true;
    let mut grey = true;
    for px in data.chunks_exact(4) {
        opaque &= px[3] == 255;
        grey &= px[0] == px[1] && px[1] == px[2];
        if !opaque && !grey {
            break;
        }
    }
    Shape { opaque, grey }
}

/// `round(c · 255 / a)`, the inverse of premultiplication.
#[inline]
fn demultiply(c: u8, a: u8) -> u8 {
    match a {
        0 => 0,
        255 => c,
        _ => ((u32::from(c) * 255 + u32::from(a) / 2) / u32::from(a)).min(255) as u8,
    }
}

/// Straight-alpha pixels in the smallest colour type that holds them
/// exactly: L8, RGB8, LA8 or RGBA8.
fn straight_pixels(data: &[u8], shape: Shape) -> (Vec<u8>, ExtendedColorType) {
    let pixels = data.chunks_exact(4);
    match (shape.opaque, shape.grey) {
        (true, true) => (pixels.map(|px| px[0]).collect(), ExtendedColorType::L8),
        (true, false) => {
            let mut out = Vec::with_capacity(data.len() / 4 * 3);
            for px in pixels {
                out.extend_from_slice(&px[..3]);
            }
            (out, ExtendedColorType::Rgb8)
        }
        (false, true) => {
            let mut out = Vec::with_capacity(data.len() / 2);
            for px in pixels {
                out.push(demultiply(px[0], px[3]));
                out.push(px[3]);
            }
            (out, ExtendedColorType::La8)
        }
        (false, false) => {
            let mut out = Vec::with_capacity(data.len());
            for px in pixels {
                let a = px[3];
                out.extend_from_slice(&[
                    demultiply(px[0], a),
                    demultiply(px[1], a),
                    demultiply(px[2], a),
                    a,
                ]);
            }
            (out, ExtendedColorType::Rgba8)
        }
    }
}

/// Opaque pixels composited over white. With premultiplied colour this is
/// exact integer maths: `c + (255 − a)`.
fn over_white(data: &[u8], grey: bool) -> (Vec<u8>, ExtendedColorType) {
    let pixels = data.chunks_exact(4);
    if grey {
        return (
            pixels.map(|px| px[0].saturating_add(255 - px[3])).collect(),
            ExtendedColorType::L8,
        );
    }
    let mut out = Vec::with_capacity(data.len() / 4 * 3);
    for px in pixels {
        let white = 255 - px[3];
        out.extend_from_slice(&[
            px[0].saturating_add(white),
            px[1].saturating_add(white),
            px[2].saturating_add(white),
        ]);
    }
    (out, ExtendedColorType::Rgb8)
}
