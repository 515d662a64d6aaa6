//! Itemization (bidi level, font fallback, script) and shaping with rustybuzz.
//!
//! A text is shaped once, in ems, independent of size and width: line breaking,
//! alignment and auto-fit only scale and rearrange the clusters produced here.

use std::sync::Arc;

use rustybuzz::{BufferFlags, Direction as HbDirection, Feature, ShapePlan, UnicodeBuffer};
use unicode_bidi::{BidiInfo, Level};
use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::fonts::Face;
use super::{Direction, TextStyle};

/// One glyph of a shaped cluster, in ems.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Glyph {
    pub(crate) id: u16,
    pub(crate) advance: f32,
    /// Offset from the pen position (marks, kerning by offset); `dy` is y up.
    pub(crate) dx: f32,
    pub(crate) dy: f32,
}

/// Whitespace that hangs at the end of a line: not drawn, not measured.
pub(crate) const HANG: u8 = 1;
/// A word separator: where `justify` puts extra space.
pub(crate) const WORD_SEP: u8 = 2;

/// A line break opportunity before a cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Break {
    None,
    Allowed,
    Mandatory,
}

/// The unit of breaking, letter spacing and reordering: what rustybuzz
/// reported as one cluster (a grapheme, or a ligature of several).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cluster {
    /// Byte range in the whole text.
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// Range in `Para::glyphs`; the glyphs are in visual (left-to-right) order.
    pub(crate) glyphs: (u32, u32),
    /// Sum of the glyph advances, ems.
    pub(crate) advance: f32,
    /// Index of the face in the book.
    pub(crate) face: u32,
    /// Resolved bidi embedding level.
    pub(crate) level: u8,
    /// `HANG` / `WORD_SEP`.
    pub(crate) flags: u8,
    /// Break opportunity before this cluster.
    pub(crate) brk: Break,
}

/// One paragraph (text between hard line breaks), clusters in logical order.
#[derive(Debug, Default)]
pub(crate) struct Para {
    pub(crate) rtl: bool,
    /// Byte range in the whole text.
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) clusters: Vec<Cluster>,
    pub(crate) glyphs: Vec<Glyph>,
}

impl Para {
    pub(crate) fn glyphs_of(&self, c: &Cluster) -> &[Glyph] {
        self.glyphs
            .get(c.glyphs.0 as usize..c.glyphs.1 as usize)
            .unwrap_or(&[])
    }
}

/// A shaped text: what the cache stores.
#[derive(Debug, Default)]
pub(crate) struct Shaped {
    pub(crate) paras: Vec<Para>,
    /// The face whose ascender/descender place the baseline (the first
    /// candidate, CSS's "first available font").
    pub(crate) primary: Option<u32>,
}

/// Plans are slow to build and depend only on these, so the book keeps them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct PlanKey {
    face: u32,
    rtl: bool,
    script: rustybuzz::Script,
    no_ligatures: bool,
}

/// Optional ligatures and contextual alternates off, as CSS asks when
/// letter-spacing is not zero; required ones (Arabic `rlig`) stay.
fn no_ligature_features() -> [Feature; 5] {
    [b"liga", b"clig", b"dlig", b"hlig", b"calt"]
        .map(|t| Feature::new(ttf_parser::Tag::from_bytes(t), 0, ..))
}

/// Rough script class for run splitting: 0 is Common/Inherited (takes the
/// class of the run it is in), anything else splits runs when it changes.
/// rustybuzz then guesses the exact script of each run from its characters.
fn script_class(c: char) -> u32 {
    let u = c as u32;
    match u {
        0x0300..=0x036F
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x200C..=0x200D
        | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F => 0,
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => 2,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x0870..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            3
        }
        _ if !c.is_alphabetic() => 0,
        0x0000..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xFF21..=0xFF5A => {
            1
        }
        0x0370..=0x03FF | 0x1F00..=0x1FFF => 4,
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => 5,
        // Elsewhere a 256-code-point block is a fair stand-in for a script.
        _ => 0x100 + (u >> 8),
    }
}

/// Characters that never choose a face themselves: they stay with the run
/// they are in (joiners, variation selectors, invisible marks).
fn is_ignorable(c: char) -> bool {
    matches!(c as u32, 0x00AD | 0x034F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF | 0xE0100..=0xE01EF)
}

fn cluster_flags(s: &str) -> u8 {
    let mut hang = !s.is_empty();
    let mut sep = !s.is_empty();
    for c in s.chars() {
        let nbsp = matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}');
        hang &= c.is_whitespace() && !nbsp;
        sep &= matches!(c, ' ' | '\u{A0}' | '\t');
    }
    (if hang { HANG } else { 0 }) | (if sep { WORD_SEP } else { 0 })
}

/// A character being itemized.
#[derive(Clone, Copy)]
struct Ch {
    at: usize,
    c: char,
    level: u8,
    class: u32,
    face: Option<u32>,
}

/// A rustybuzz face cached in the book or parsed for this call.
enum HbFace<'a> {
    Cached(&'a rustybuzz::Face<'a>),
    Parsed(Box<rustybuzz::Face<'a>>),
}

/// Per-call shaping state: faces parsed on first use, one buffer reused.
pub(crate) struct Shaper<'a> {
    faces: &'a [Face],
    plans: &'a std::sync::Mutex<std::collections::HashMap<PlanKey, Arc<ShapePlan>>>,
    cands: Vec<u32>,
    parsed: Vec<Option<Option<HbFace<'a>>>>,
    buffer: Option<UnicodeBuffer>,
    no_ligatures: bool,
}

impl<'a> Shaper<'a> {
    pub(crate) fn new(
        faces: &'a [Face],
        plans: &'a std::sync::Mutex<std::collections::HashMap<PlanKey, Arc<ShapePlan>>>,
        style: &TextStyle,
    ) -> Self {
        Shaper {
            faces,
            plans,
            cands: super::fonts::candidates(faces, style),
            parsed: (0..faces.len()).map(|_| None).collect(),
            buffer: None,
            no_ligatures: style.letter_spacing != 0.0,
        }
    }

    fn face(&mut self, i: u32) -> Option<&rustybuzz::Face<'a>> {
        let faces = self.faces;
        let slot = self.parsed.get_mut(i as usize)?;
        let face = slot.get_or_insert_with(|| {
            let f = faces.get(i as usize)?;
            match f.static_shaper_face() {
                Some(hb) => Some(HbFace::Cached(hb)),
                None => rustybuzz::Face::from_slice(f.data.bytes(), f.index)
                    .map(|f| HbFace::Parsed(Box::new(f))),
            }
        });
        match face.as_ref()? {
            HbFace::Cached(f) => Some(f),
            HbFace::Parsed(f) => Some(f),
        }
    }

    fn covers(&mut self, i: u32, c: char) -> bool {
        self.face(i).is_some_and(|f| f.glyph_index(c).is_some())
    }

    /// The first candidate face that has a glyph for `c`.
    fn first_covering(&mut self, c: char) -> Option<u32> {
        for k in 0..self.cands.len() {
            let f = self.cands[k];
            if self.covers(f, c) {
                return Some(f);
            }
        }
        None
    }

    /// Shape a whole text: one [`Para`] per `\n`-separated paragraph.
    pub(crate) fn shape(&mut self, text: &str, direction: Direction) -> Shaped {
        let mut out = Shaped {
            paras: Vec::new(),
            primary: self.cands.first().copied(),
        };
        let mut offset = 0usize;
        for piece in text.split('\n') {
            let start = offset;
            offset += piece.len() + 1;
            // CRLF: the CR belongs to the break, not to the line.
            let piece = piece.strip_suffix('\r').unwrap_or(piece);
            out.paras.push(self.shape_para(piece, start, direction));
        }
        out
    }

    fn shape_para(&mut self, p: &str, base: usize, direction: Direction) -> Para {
        let (rtl, levels) = bidi_levels(p, direction);
        let mut para = Para {
            rtl,
            start: base as u32,
            end: (base + p.len()) as u32,
            ..Para::default()
        };
        if p.is_empty() || self.faces.is_empty() {
            return para;
        }

        // Faces, pass 1: letters and symbols of a script pick the first
        // candidate that has them.
        let mut chars: Vec<Ch> = p
            .char_indices()
            .map(|(at, c)| {
                let c = if c == '\t' { ' ' } else { c };
                Ch {
                    at,
                    c,
                    level: levels.get(at).copied().unwrap_or(0),
                    class: script_class(c),
                    face: None,
                }
            })
            .collect();
        for ch in &mut chars {
            if ch.class != 0 && !is_ignorable(ch.c) {
                ch.face = self.first_covering(ch.c);
            }
        }
        // Pass 2: neutrals (spaces, digits, punctuation, marks) follow the
        // text before them at the same level, else the text after them, so
        // "Dubai " in Arabic keeps its space with the Arabic that follows.
        let primary = self.cands.first().copied();
        // next[k]: face of the first lettered character after k in the same
        // stretch of bidi level (one backward pass keeps this linear).
        let mut next_face = vec![None; chars.len()];
        let mut carry = None;
        for k in (0..chars.len()).rev() {
            if chars.get(k + 1).is_some_and(|x| x.level != chars[k].level) {
                carry = None;
            }
            next_face[k] = carry;
            if chars[k].class != 0 && chars[k].face.is_some() {
                carry = chars[k].face;
            }
        }
        for k in 0..chars.len() {
            if chars[k].face.is_some() {
                continue;
            }
            let (c, level) = (chars[k].c, chars[k].level);
            let prev = k
                .checked_sub(1)
                .and_then(|j| chars.get(j))
                .filter(|x| x.level == level)
                .and_then(|x| x.face);
            let next = next_face[k];
            let face = if is_ignorable(c) {
                prev.or(next)
            } else if let Some(f) = prev.filter(|&f| self.covers(f, c)) {
                Some(f)
            } else if let Some(f) = next.filter(|&f| self.covers(f, c)) {
                Some(f)
            } else {
                self.first_covering(c).or(prev)
            };
            chars[k].face = face.or(primary);
        }
        // Nothing has the glyph: .notdef from the primary face.
        for ch in chars.iter_mut() {
            ch.face = ch.face.or(primary);
        }

        // Itemize: split where the face, the level or the script changes.
        let mut run_start = 0usize;
        let mut run: Option<(u32, u8, u32)> = None; // (face, level, script class)
        for ch in &chars {
            let Some(face) = ch.face else { continue };
            match run {
                Some((f, l, s))
                    if f == face && l == ch.level && (ch.class == 0 || s == 0 || s == ch.class) =>
                {
                    if s == 0 {
                        run = Some((f, l, ch.class));
                    }
                }
                prev => {
                    if let Some((f, l, _)) = prev {
                        self.shape_run(p, base, run_start..ch.at, f, l, &mut para);
                    }
                    run_start = ch.at;
                    run = Some((face, ch.level, ch.class));
                }
            }
        }
        if let Some((f, l, _)) = run {
            self.shape_run(p, base, run_start..p.len(), f, l, &mut para);
        }

        // Close the clusters' byte ranges and classify them.
        let n = para.clusters.len();
        for k in 0..n {
            let end = para.clusters.get(k + 1).map_or(para.end, |next| next.start);
            if let Some(c) = para.clusters.get_mut(k) {
                c.end = end.max(c.start);
                let s = p
                    .get(
                        (c.start as usize).saturating_sub(base)
                            ..(c.end as usize).saturating_sub(base),
                    )
                    .unwrap_or("");
                c.flags = cluster_flags(s);
            }
        }

        // Break opportunities that fall on cluster boundaries.
        let mut k = 0usize;
        for (pos, opp) in linebreaks(p) {
            let abs = (base + pos) as u32;
            if pos >= p.len() {
                break;
            }
            while k < n && para.clusters[k].start < abs {
                k += 1;
            }
            if let Some(c) = para.clusters.get_mut(k) {
                if c.start == abs {
                    c.brk = match opp {
                        BreakOpportunity::Mandatory => Break::Mandatory,
                        BreakOpportunity::Allowed => Break::Allowed,
                    };
                }
            }
        }
        para
    }

    fn shape_run(
        &mut self,
        p: &str,
        base: usize,
        range: std::ops::Range<usize>,
        face_idx: u32,
        level: u8,
        para: &mut Para,
    ) {
        let Some(text) = p.get(range.clone()) else {
            return;
        };
        let rtl = level % 2 == 1;
        let no_ligatures = self.no_ligatures;
        let upem = self.faces.get(face_idx as usize).map_or(1000.0, |f| f.upem);
        let mut buf = self.buffer.take().unwrap_or_default();
        for (i, c) in text.char_indices() {
            let c = if c == '\t' { ' ' } else { c };
            buf.add(c, (base + range.start + i) as u32);
        }
        // Context lets joining and contextual lookups see across run edges.
        buf.set_pre_context(p.get(..range.start).unwrap_or(""));
        buf.set_post_context(p.get(range.end..).unwrap_or(""));
        let mut flags = BufferFlags::empty();
        if range.start == 0 {
            flags |= BufferFlags::BEGINNING_OF_TEXT;
        }
        if range.end == p.len() {
            flags |= BufferFlags::END_OF_TEXT;
        }
        buf.set_flags(flags);
        buf.set_direction(if rtl {
            HbDirection::RightToLeft
        } else {
            HbDirection::LeftToRight
        });
        buf.guess_segment_properties();
        let script = buf.script();
        let plans = self.plans;
        let Some(face) = self.face(face_idx) else {
            self.buffer = Some(buf);
            return;
        };
        let key = PlanKey {
            face: face_idx,
            rtl,
            script,
            no_ligatures,
        };
        let plan = {
            let mut map = plans.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(map.entry(key).or_insert_with(|| {
                let off = no_ligature_features();
                let features: &[Feature] = if no_ligatures { &off } else { &[] };
                let script = (script != rustybuzz::script::UNKNOWN).then_some(script);
                Arc::new(ShapePlan::new(
                    face,
                    buf.direction(),
                    script,
                    None,
                    features,
                ))
            }))
        };
        let shaped = rustybuzz::shape_with_plan(face, &plan, buf);

        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        // Group glyphs by cluster in buffer (visual) order, then take the
        // groups in logical order.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < infos.len() {
            let cl = infos[i].cluster;
            let mut j = i + 1;
            while j < infos.len() && infos[j].cluster == cl {
                j += 1;
            }
            groups.push((i, j));
            i = j;
        }
        if rtl {
            groups.reverse();
        }
        for (s, e) in groups {
            let g0 = para.glyphs.len() as u32;
            let mut advance = 0.0;
            for (info, pos) in infos[s..e].iter().zip(&positions[s..e]) {
                let g = Glyph {
                    id: info.glyph_id as u16,
                    advance: pos.x_advance as f32 / upem,
                    dx: pos.x_offset as f32 / upem,
                    dy: pos.y_offset as f32 / upem,
                };
                advance += g.advance;
                para.glyphs.push(g);
            }
            para.clusters.push(Cluster {
                start: infos[s].cluster,
                end: infos[s].cluster,
                glyphs: (g0, para.glyphs.len() as u32),
                advance,
                face: face_idx,
                level,
                flags: 0,
                brk: Break::None,
            });
        }
        self.buffer = Some(shaped.clear());
    }
}

/// Paragraph direction and the resolved embedding level of every byte.
fn bidi_levels(p: &str, direction: Direction) -> (bool, Vec<u8>) {
    // Nothing below U+0590 is strongly right-to-left: skip the algorithm.
    if direction != Direction::Rtl && p.chars().all(|c| (c as u32) < 0x0590) {
        return (false, vec![0; p.len()]);
    }
    let default = match direction {
        Direction::Auto => None,
        Direction::Ltr => Some(Level::ltr()),
        Direction::Rtl => Some(Level::rtl()),
    };
    let info = BidiInfo::new(p, default);
    let rtl = match info.paragraphs.first() {
        Some(para) => para.level.is_rtl(),
        None => direction == Direction::Rtl,
    };
    (rtl, info.levels.iter().map(|l| l.number()).collect())
}
