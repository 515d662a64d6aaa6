//! Line breaking, clamping with an ellipsis, bidi reordering per line,
//! alignment and glyph placement, all from a size-independent [`Shaped`].

use super::fonts::Face;
use super::shape::{Break, Cluster, Glyph, Para, Shaped, HANG, WORD_SEP};
use super::{Align, Line, Run, TextLayout, TextStyle};
use crate::draw::PlacedGlyph;

/// Slack for float noise when comparing widths, px.
pub(crate) const EPS: f32 = 0.01;

/// A line as a range of clusters of one paragraph.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Span {
    pub(crate) para: usize,
    pub(crate) start: usize,
    /// End of the line's content, trailing hanging whitespace excluded.
    pub(crate) end: usize,
    /// Ends its paragraph or a forced break (no justification).
    pub(crate) hard: bool,
    /// A single unbreakable piece is wider than the width.
    pub(crate) overflow: bool,
}

#[inline]
fn width_of(c: &Cluster, size: f32, spacing: f32) -> f32 {
    c.advance * size + spacing
}

/// Greedy line breaking (CSS `white-space: pre-wrap` with hanging trailing
/// spaces, `overflow-wrap: normal`): a word wider than the width gets a line
/// of its own and is flagged, never split.
pub(crate) fn break_lines(
    shaped: &Shaped,
    size: f32,
    spacing: f32,
    max_width: Option<f32>,
) -> Vec<Span> {
    let mut spans = Vec::new();
    for (pi, para) in shaped.paras.iter().enumerate() {
        let cl = &para.clusters;
        let n = cl.len();
        let mut line_start = 0;
        let mut line_w = 0.0f32; // committed segments, trailing spaces included
        let mut content_end = 0; // after the last non-hanging cluster
        let mut overflow = false;
        let mut i = 0;
        while i < n {
            // The segment [i, j) runs to the next break opportunity.
            let mut j = i + 1;
            while j < n && cl[j].brk == Break::None {
                j += 1;
            }
            let mut seg_end = j;
            while seg_end > i && cl[seg_end - 1].flags & HANG != 0 {
                seg_end -= 1;
            }
            let content_w: f32 = cl[i..seg_end]
                .iter()
                .map(|c| width_of(c, size, spacing))
                .sum();
            let hang_w: f32 = cl[seg_end..j]
                .iter()
                .map(|c| width_of(c, size, spacing))
                .sum();
            if let Some(max) = max_width {
                if i > line_start && seg_end > i && line_w + content_w > max + EPS {
                    spans.push(Span {
                        para: pi,
                        start: line_start,
                        end: content_end,
                        hard: false,
                        overflow,
                    });
                    line_start = i;
                    line_w = 0.0;
                    content_end = i;
                    overflow = false;
                }
                if i == line_start && content_w > max + EPS {
                    overflow = true;
                }
            }
            if seg_end > i {
                content_end = seg_end;
            }
            line_w += content_w + hang_w;
            i = j;
            if j < n && cl[j].brk == Break::Mandatory {
                spans.push(Span {
                    para: pi,
                    start: line_start,
                    end: content_end,
                    hard: true,
                    overflow,
                });
                line_start = j;
                line_w = 0.0;
                content_end = j;
                overflow = false;
            }
        }
        spans.push(Span {
            para: pi,
            start: line_start,
            end: content_end.max(line_start),
            hard: true,
            overflow,
        });
    }
    spans
}

/// A cluster placed on a line, with where its glyphs live.
#[derive(Clone, Copy)]
struct Item<'a> {
    c: &'a Cluster,
    glyphs: &'a [Glyph],
    level: u8,
}

/// Indices of `levels` in visual order (rule L2: from the highest level down
/// to the lowest odd one, reverse every run at that level or higher).
fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let max = levels.iter().copied().max().unwrap_or(0);
    let min_odd = levels
        .iter()
        .copied()
        .filter(|l| l % 2 == 1)
        .min()
        .unwrap_or(max + 1);
    let mut lvl = max;
    while lvl >= min_odd && lvl > 0 {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= lvl {
                let mut j = i;
                while j < order.len() && levels[order[j]] >= lvl {
                    j += 1;
                }
                order[i..j].reverse();
                i = j;
            } else {
                i += 1;
            }
        }
        lvl -= 1;
    }
    order
}

/// What `build` needs besides the shaped text.
pub(crate) struct BuildParams<'s> {
    pub(crate) style: &'s TextStyle,
    pub(crate) size: f32,
    pub(crate) line_height: f32,
    pub(crate) max_width: Option<f32>,
    pub(crate) max_lines: Option<u32>,
}

/// A line before alignment.
struct Pending<'a> {
    items: Vec<Item<'a>>,
    width: f32,
    rtl: bool,
    justify: bool,
    range: std::ops::Range<usize>,
}

/// Lay out a shaped text. `ellipsis` is the shaped "…" (only needed when the
/// style asks for one and lines get dropped).
pub(crate) fn build(
    faces: &[Face],
    shaped: &Shaped,
    ellipsis: Option<&Shaped>,
    p: &BuildParams<'_>,
) -> TextLayout {
    let style = p.style;
    let size = p.size;
    let spacing = style.letter_spacing;
    let mut spans = break_lines(shaped, size, spacing, p.max_width);
    let mut truncated = false;
    if let Some(n) = p.max_lines {
        let n = n.max(1) as usize;
        if spans.len() > n {
            spans.truncate(n);
            truncated = true;
        }
    }
    let overflows = spans.iter().any(|s| s.overflow);
    let ellipsis = ellipsis
        .filter(|_| truncated && style.ellipsis)
        .and_then(|e| e.paras.first());

    let empty = Para::default();
    let last = spans.len().saturating_sub(1);
    let mut pending = Vec::with_capacity(spans.len());
    for (k, span) in spans.iter().enumerate() {
        let para = shaped.paras.get(span.para).unwrap_or(&empty);
        let mut items: Vec<Item<'_>> = para
            .clusters
            .get(span.start..span.end)
            .unwrap_or(&[])
            .iter()
            .map(|c| Item {
                c,
                glyphs: para.glyphs_of(c),
                level: c.level,
            })
            .collect();
        let mut width: f32 = items.iter().map(|it| width_of(it.c, size, spacing)).sum();
        let mut justify = !span.hard;
        let mut kept = items.len();
        if k == last {
            if let Some(ell) = ellipsis {
                justify = false;
                let ell_w: f32 = ell
                    .clusters
                    .iter()
                    .map(|c| width_of(c, size, spacing))
                    .sum();
                if let Some(max) = p.max_width {
                    while width + ell_w > max + EPS {
                        let Some(it) = items.pop() else { break };
                        width -= width_of(it.c, size, spacing);
                    }
                }
                while items.last().is_some_and(|it| it.c.flags & HANG != 0) {
                    if let Some(it) = items.pop() {
                        width -= width_of(it.c, size, spacing);
                    }
                }
                kept = items.len();
                // A neutral at the end of a paragraph takes its direction.
                let level = u8::from(para.rtl);
                items.extend(ell.clusters.iter().map(|c| Item {
                    c,
                    glyphs: ell.glyphs_of(c),
                    level,
                }));
                width += ell_w;
            }
        }
        let range = match (
            items.first(),
            kept.checked_sub(1).and_then(|e| items.get(e)),
        ) {
            (Some(a), Some(b)) if kept > 0 => a.c.start as usize..b.c.end as usize,
            _ => {
                let at = para
                    .clusters
                    .get(span.start)
                    .map_or(para.start, |c| c.start) as usize;
                at..at
            }
        };
        pending.push(Pending {
            items,
            width: width.max(0.0),
            rtl: para.rtl,
            justify,
            range,
        });
    }

    // Baseline: CSS half-leading around the primary face's ascent + descent.
    let (asc, desc) = shaped
        .primary
        .and_then(|f| faces.get(f as usize))
        .map_or((0.8, 0.2), |f| (f.ascender, -f.descender));
    let half_leading = (p.line_height - (asc + desc) * size) / 2.0;
    let first_baseline = half_leading + asc * size;

    let natural = pending.iter().map(|l| l.width).fold(0.0f32, f32::max);
    let avail = p.max_width.unwrap_or(natural);
    let mut lines = Vec::with_capacity(pending.len());
    let mut layout_width = 0.0f32;
    for (k, pl) in pending.into_iter().enumerate() {
        let baseline = first_baseline + k as f32 * p.line_height;
        let seps = pl
            .items
            .iter()
            .filter(|it| it.c.flags & WORD_SEP != 0)
            .count();
        let extra = if style.align == Align::Justify
            && pl.justify
            && p.max_width.is_some()
            && seps > 0
            && pl.width < avail
        {
            (avail - pl.width) / seps as f32
        } else {
            0.0
        };
        let width = pl.width + extra * seps as f32;
        let x = if width > avail + EPS {
            // Too long: start-aligned, overflowing at the end edge (CSS).
            if pl.rtl {
                avail - width
            } else {
                0.0
            }
        } else {
            let free = avail - width;
            match style.align {
                Align::Left => 0.0,
                Align::Right => free,
                Align::Center => free / 2.0,
                Align::Start | Align::Justify if pl.rtl => free,
                Align::Start | Align::Justify => 0.0,
                Align::End if pl.rtl => 0.0,
                Align::End => free,
            }
        };
        layout_width = layout_width.max(width);
        let runs = place(faces, style, &pl.items, x, baseline, size, spacing, extra);
        lines.push(Line {
            runs,
            x,
            width,
            baseline,
            range: pl.range,
        });
    }
    TextLayout {
        height: lines.len() as f32 * p.line_height,
        lines,
        width: layout_width,
        size,
        truncated,
        overflows,
    }
}

/// Reorder a line's clusters visually and place their glyphs.
#[allow(clippy::too_many_arguments)]
fn place(
    faces: &[Face],
    style: &TextStyle,
    items: &[Item<'_>],
    x: f32,
    baseline: f32,
    size: f32,
    spacing: f32,
    extra: f32,
) -> Vec<Run> {
    let levels: Vec<u8> = items.iter().map(|it| it.level).collect();
    let mut runs: Vec<Run> = Vec::new();
    let mut run_level = u8::MAX;
    let mut pen = x;
    for idx in visual_order(&levels) {
        let it = items[idx];
        let face = it.c.face;
        if runs
            .last()
            .is_none_or(|r| r.font.0 != face || run_level != it.level)
        {
            let info = faces.get(face as usize).map(|f| &f.info);
            runs.push(Run {
                font: super::FontId(face),
                glyphs: Vec::with_capacity(it.glyphs.len()),
                synthetic_bold: info.is_some_and(|i| style.weight >= i.weight.saturating_add(300)),
                synthetic_italic: style.italic && info.is_some_and(|i| !i.italic),
            });
            run_level = it.level;
        }
        if let Some(run) = runs.last_mut() {
            for g in it.glyphs {
                run.glyphs.push(PlacedGlyph {
                    id: g.id,
                    x: pen + g.dx * size,
                    y: baseline - g.dy * size,
                });
                pen += g.advance * size;
            }
        }
        pen += spacing;
        if it.c.flags & WORD_SEP != 0 {
            pen += extra;
        }
    }
    runs
}
