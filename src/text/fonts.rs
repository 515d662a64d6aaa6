//! Loaded faces: parsing and validation, face info, weight/style matching and
//! lazily cached glyph outlines.

use std::sync::{Arc, OnceLock};

use tiny_skia::{Path, PathBuilder};

use super::{FaceInfo, FontId, TextStyle};
use crate::error::{Error, Result};

/// Files larger than this are refused before parsing.
pub(crate) const MAX_FONT_BYTES: usize = 20 * 1024 * 1024;
/// More faces than this in one collection is not a font anyone meant to load.
const MAX_FACES_PER_FILE: u32 = 256;

/// Where a face's bytes live. Embedded fonts borrow the binary's static data,
/// added files are shared between the faces of a collection.
#[derive(Clone)]
pub(crate) enum FontData {
    #[cfg_attr(not(feature = "embedded-font"), allow(dead_code))]
    Static(&'static [u8]),
    Shared(Arc<[u8]>),
}

impl FontData {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            FontData::Static(b) => b,
            FontData::Shared(b) => b,
        }
    }
}

/// One face with what layout needs from its tables, read once at load.
pub(crate) struct Face {
    pub(crate) info: FaceInfo,
    pub(crate) data: FontData,
    pub(crate) index: u32,
    /// Units per em as f32, to turn font units into ems.
    pub(crate) upem: f32,
    /// Ascender and descender in ems (descender negative), as ttf-parser
    /// reports them (OS/2 typo metrics when USE_TYPO_METRICS is set, else hhea).
    pub(crate) ascender: f32,
    pub(crate) descender: f32,
    /// One slot per glyph, filled on first use; `OnceLock` keeps it lock-free
    /// and lets `outline` hand out `&Path` from `&self`.
    outlines: Box<[OnceLock<Option<Box<Path>>>]>,
    /// The rustybuzz face of a static (embedded) font, parsed once: building
    /// one reads every GSUB/GPOS lookup (~25 µs). Faces of added files borrow
    /// their `Arc` and are parsed per shaping call instead.
    shaper_face: OnceLock<Option<Box<rustybuzz::Face<'static>>>>,
}

impl Face {
    /// Parse the face at `index` of `data`; `None` if ttf-parser refuses it.
    pub(crate) fn parse(&self) -> Option<ttf_parser::Face<'_>> {
        ttf_parser::Face::parse(self.data.bytes(), self.index).ok()
    }

    /// The cached rustybuzz face, for static data only.
    pub(crate) fn static_shaper_face(&self) -> Option<&rustybuzz::Face<'static>> {
        let FontData::Static(bytes) = self.data else {
            return None;
        };
        self.shaper_face
            .get_or_init(|| rustybuzz::Face::from_slice(bytes, self.index).map(Box::new))
            .as_deref()
    }

    /// The glyph's outline in ems, y down, origin on the baseline.
    pub(crate) fn outline(&self, glyph: u16) -> Option<&Path> {
        let slot = self.outlines.get(usize::from(glyph))?;
        slot.get_or_init(|| {
            let face = self.parse()?;
            let mut b = OutlineSink {
                path: PathBuilder::new(),
                scale: 1.0 / self.upem,
            };
            face.outline_glyph(ttf_parser::GlyphId(glyph), &mut b)?;
            b.path.finish().map(Box::new)
        })
        .as_deref()
    }
}

/// Turns ttf-parser's outline callbacks into a tiny-skia path in ems, y flipped.
struct OutlineSink {
    path: PathBuilder,
    scale: f32,
}

impl ttf_parser::OutlineBuilder for OutlineSink {
    fn move_to(&mut self, x: f32, y: f32) {
        self.path.move_to(x * self.scale, -y * self.scale);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.path.line_to(x * self.scale, -y * self.scale);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let s = self.scale;
        self.path.quad_to(x1 * s, -y1 * s, x * s, -y * s);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let s = self.scale;
        self.path
            .cubic_to(x1 * s, -y1 * s, x2 * s, -y2 * s, x * s, -y * s);
    }
    fn close(&mut self) {
        self.path.close();
    }
}

fn font_err(reason: impl Into<String>) -> Error {
    Error::Font {
        reason: reason.into(),
    }
}

/// Parse and validate every face of a TTF/OTF/TTC file.
pub(crate) fn load(data: FontData, first_id: u32) -> Result<Vec<Face>> {
    let bytes = data.bytes();
    if bytes.len() > MAX_FONT_BYTES {
        return Err(font_err(format!(
            "file is {} bytes, more than the {} byte limit",
            bytes.len(),
            MAX_FONT_BYTES
        )));
    }
    let count = match ttf_parser::fonts_in_collection(bytes) {
        Some(0) => return Err(font_err("font collection holds no faces")),
        Some(n) if n > MAX_FACES_PER_FILE => {
            return Err(font_err(format!("font collection claims {n} faces")))
        }
        Some(n) => n,
        None => 1,
    };
    let mut faces = Vec::with_capacity(count as usize);
    for index in 0..count {
        let raw = ttf_parser::RawFace::parse(bytes, index)
            .map_err(|e| font_err(format!("face {index}: {e}")))?;
        // ttf-parser silently ignores tables that run past the end of the
        // data; a table directory pointing outside the file means truncation.
        for rec in raw.table_records {
            let end = u64::from(rec.offset) + u64::from(rec.length);
            if end > bytes.len() as u64 {
                return Err(font_err(format!(
                    "face {index}: table {} ends at byte {end}, past the end of the {} byte file (truncated?)",
                    rec.tag,
                    bytes.len()
                )));
            }
        }
        let face = ttf_parser::Face::parse(bytes, index)
            .map_err(|e| font_err(format!("face {index}: {e}")))?;
        let tables = face.tables();
        if tables.cmap.is_none() {
            return Err(font_err(format!("face {index}: no cmap table")));
        }
        if tables.glyf.is_none() && tables.cff.is_none() && tables.cff2.is_none() {
            return Err(font_err(format!(
                "face {index}: no glyf/CFF outlines (bitmap-only fonts are not supported)"
            )));
        }
        let glyphs = face.number_of_glyphs();
        if glyphs == 0 {
            return Err(font_err(format!("face {index}: no glyphs")));
        }
        let upem = f32::from(face.units_per_em());
        let info = FaceInfo {
            id: FontId(first_id + index),
            family: family_name(&face).unwrap_or_else(|| "Unknown".to_owned()),
            weight: face.weight().to_number().clamp(1, 1000),
            italic: face.is_italic() || face.is_oblique(),
        };
        let (mut ascender, mut descender) = (
            f32::from(face.ascender()) / upem,
            f32::from(face.descender()) / upem,
        );
        if !(ascender.is_finite() && descender.is_finite()) || ascender - descender <= 0.0 {
            // Broken vertical metrics: fall back to a typical Latin split.
            (ascender, descender) = (0.8, -0.2);
        }
        faces.push(Face {
            info,
            data: data.clone(),
            index,
            upem,
            ascender,
            descender,
            outlines: (0..glyphs).map(|_| OnceLock::new()).collect(),
            shaper_face: OnceLock::new(),
        });
    }
    Ok(faces)
}

/// Typographic family (name id 16) or else the legacy family (id 1), preferring
/// US English records.
fn family_name(face: &ttf_parser::Face<'_>) -> Option<String> {
    use ttf_parser::name_id::{FAMILY, TYPOGRAPHIC_FAMILY};
    for id in [TYPOGRAPHIC_FAMILY, FAMILY] {
        let mut best: Option<String> = None;
        for name in face.names() {
            if name.name_id != id {
                continue;
            }
            let Some(s) = name.to_string() else { continue };
            let s = s.trim().to_owned();
            if s.is_empty() {
                continue;
            }
            if name.language() == ttf_parser::Language::English_UnitedStates {
                return Some(s);
            }
            best.get_or_insert(s);
        }
        if best.is_some() {
            return best;
        }
    }
    None
}

/// CSS-like matching distance of `face` for a request; smaller is better.
/// Style first (an italic request prefers italic faces), then weight: exact,
/// then for requests of 500 and up heavier faces nearest first, below 500
/// lighter faces nearest first, then the other side.
fn match_key(face: &FaceInfo, weight: u16, italic: bool) -> (bool, u8, u16) {
    let w = face.weight;
    let (side, dist) = if w == weight {
        (0, 0)
    } else if (weight >= 500) == (w > weight) {
        (1, w.abs_diff(weight))
    } else {
        (2, w.abs_diff(weight))
    };
    (face.italic != italic, side, dist)
}

/// Faces in the order they should be tried for `style`: the requested
/// families in order, then every other family in load order; inside a family
/// best match first.
pub(crate) fn candidates(faces: &[Face], style: &TextStyle) -> Vec<u32> {
    let mut order: Vec<u32> = Vec::with_capacity(faces.len());
    let mut taken = vec![false; faces.len()];
    for fam in &style.families {
        let fam = fam.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        push_family(faces, fam, style, &mut taken, &mut order);
    }
    for i in 0..faces.len() {
        if !taken[i] {
            push_family(faces, &faces[i].info.family, style, &mut taken, &mut order);
        }
    }
    order
}

fn push_family(
    faces: &[Face],
    family: &str,
    style: &TextStyle,
    taken: &mut [bool],
    order: &mut Vec<u32>,
) {
    let start = order.len();
    for (i, f) in faces.iter().enumerate() {
        if !taken[i] && f.info.family.eq_ignore_ascii_case(family) {
            taken[i] = true;
            order.push(i as u32);
        }
    }
    order[start..].sort_by_key(|&i| match_key(&faces[i as usize].info, style.weight, style.italic));
}

/// The default fonts compiled into the binary, in load order.
#[cfg(feature = "embedded-font")]
pub(crate) const EMBEDDED: [&[u8]; 5] = [
    include_bytes!("../../assets/fonts/Inter-Regular.ttf"),
    include_bytes!("../../assets/fonts/Inter-Bold.ttf"),
    include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoSansHebrew-Bold.ttf"),
];
