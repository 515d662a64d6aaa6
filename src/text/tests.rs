//! Tests on the embedded fonts (feature `embedded-font`, on by default).
#![cfg(feature = "embedded-font")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

const INTER: u32 = 0;
const INTER_BOLD: u32 = 1;
const ARABIC: u32 = 2;
const HEBREW: u32 = 3;
const HEBREW_BOLD: u32 = 4;

fn style(size: f32) -> TextStyle {
    TextStyle {
        families: vec!["Inter".into()],
        size,
        weight: 400,
        italic: false,
        line_height: size * 1.2,
        letter_spacing: 0.0,
        align: Align::Start,
        direction: Direction::Auto,
        max_lines: None,
        ellipsis: false,
    }
}

fn book() -> FontBook {
    FontBook::with_embedded()
}

fn face(i: u32) -> ttf_parser::Face<'static> {
    ttf_parser::Face::parse(fonts::EMBEDDED[i as usize], 0).unwrap()
}

fn gid(i: u32, c: char) -> u16 {
    face(i).glyph_index(c).unwrap().0
}

/// Sum of nominal advances in px, no shaping at all.
fn advance_sum(i: u32, text: &str, size: f32) -> f32 {
    let f = face(i);
    let upem = f32::from(f.units_per_em());
    text.chars()
        .map(|c| f32::from(f.glyph_hor_advance(f.glyph_index(c).unwrap()).unwrap()) * size / upem)
        .sum()
}

fn line_texts<'a>(text: &'a str, l: &TextLayout) -> Vec<&'a str> {
    l.lines
        .iter()
        .map(|line| &text[line.range.clone()])
        .collect()
}

fn all_glyphs(line: &Line) -> Vec<PlacedGlyph> {
    line.runs
        .iter()
        .flat_map(|r| r.glyphs.iter().copied())
        .collect()
}

use crate::draw::PlacedGlyph;

#[test]
fn embedded_faces_are_named() {
    let faces = book().faces();
    let got: Vec<(&str, u16, bool)> = faces
        .iter()
        .map(|f| (f.family.as_str(), f.weight, f.italic))
        .collect();
    assert_eq!(
        got,
        [
            ("Inter", 400, false),
            ("Inter", 700, false),
            ("Noto Sans Arabic", 400, false),
            ("Noto Sans Hebrew", 400, false),
            ("Noto Sans Hebrew", 700, false),
        ]
    );
    assert_eq!(faces[2].id, FontId(ARABIC));
    assert!(FontBook::new().faces().is_empty());
}

#[test]
fn book_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<FontBook>();
}

#[test]
fn latin_width_matches_advances() {
    let b = book();
    // Round letters and digits Inter has no kerning pairs for.
    let text = "minimum 1100";
    let l = b.layout(text, &style(20.0), None);
    assert_eq!(l.lines.len(), 1);
    let expected = advance_sum(INTER, text, 20.0);
    assert!(
        (l.width - expected).abs() < 0.5,
        "{} vs {expected}",
        l.width
    );
    assert!((l.lines[0].width - expected).abs() < 0.5);
    // Glyph x positions are the running sum of advances.
    let g = all_glyphs(&l.lines[0]);
    assert_eq!(g.len(), text.chars().count());
    assert_eq!(g[0].id, gid(INTER, 'm'));
    assert!((g[3].x - advance_sum(INTER, "min", 20.0)).abs() < 0.01);
    assert_eq!(l.size, 20.0);
    assert!((l.height - 24.0).abs() < 1e-4);
}

#[test]
fn kerning_is_applied() {
    let b = book();
    let text = "AVATAR";
    let w = b.layout(text, &style(40.0), None).width;
    assert!(w < advance_sum(INTER, text, 40.0) - 2.0, "no kerning: {w}");
}

#[test]
fn baseline_uses_half_leading() {
    let b = book();
    let f = face(INTER);
    let upem = f32::from(f.units_per_em());
    let (asc, desc) = (
        f32::from(f.ascender()) / upem,
        -f32::from(f.descender()) / upem,
    );
    let mut s = style(20.0);
    s.line_height = 40.0;
    let l = b.layout("Hi\nthere", &s, None);
    let first = (40.0 - (asc + desc) * 20.0) / 2.0 + asc * 20.0;
    assert!((l.lines[0].baseline - first).abs() < 1e-3);
    assert!((l.lines[1].baseline - first - 40.0).abs() < 1e-3);
    assert_eq!(l.height, 80.0);
    assert_eq!(l.lines[0].runs[0].glyphs[0].y, l.lines[0].baseline);
}

#[test]
fn wraps_at_width() {
    let b = book();
    let text = "The quick brown fox jumps over the lazy dog";
    let s = style(20.0);
    let w = |t: &str| b.layout(t, &s, None).width;
    // Just wide enough for "The quick brown fox" but not "… fox jumps".
    let width = w("The quick brown fox") + 1.0;
    assert!(w("The quick brown fox jumps") > width);
    let l = b.layout(text, &s, Some(width));
    assert_eq!(
        line_texts(text, &l),
        ["The quick brown fox", "jumps over the lazy", "dog"]
    );
    assert!(!l.overflows && !l.truncated);
    assert!(l.lines.iter().all(|line| line.width <= width));
    // Trailing spaces hang: the first line is exactly as wide as its words.
    assert!((l.lines[0].width - w("The quick brown fox")).abs() < 0.01);
    assert!((l.height - 3.0 * 24.0).abs() < 1e-3);
    // Hard breaks always break, and empty paragraphs still take a line.
    let hard = "One\n\nTwo three";
    let l = b.layout(hard, &s, None);
    assert_eq!(line_texts(hard, &l), ["One", "", "Two three"]);
    let crlf = "One\r\nTwo";
    assert_eq!(line_texts(crlf, &b.layout(crlf, &s, None)), ["One", "Two"]);
    assert!(b.layout("", &s, Some(100.0)).lines.len() <= 1);
}

#[test]
fn long_word_overflows_on_its_own_line() {
    let b = book();
    let s = style(20.0);
    let text = "a supercalifragilistic word";
    let l = b.layout(text, &s, Some(80.0));
    assert_eq!(line_texts(text, &l), ["a", "supercalifragilistic", "word"]);
    assert!(l.overflows);
    assert!(l.lines[1].width > 80.0);
    assert!(!b.layout("a b c", &s, Some(80.0)).overflows);
}

#[test]
fn alignment_positions() {
    let b = book();
    let mut s = style(20.0);
    let text = "Big summer sale";
    let natural = b.layout(text, &s, None).width;
    let box_w = 300.0;
    let start = b.layout(text, &s, Some(box_w));
    assert_eq!(start.lines[0].x, 0.0);
    s.align = Align::Center;
    let l = b.layout(text, &s, Some(box_w));
    assert!((l.lines[0].x - (box_w - natural) / 2.0).abs() < 0.01);
    let g0 = l.lines[0].runs[0].glyphs[0];
    assert!((g0.x - l.lines[0].x).abs() < 0.01);
    s.align = Align::Right;
    let l = b.layout(text, &s, Some(box_w));
    assert!((l.lines[0].x - (box_w - natural)).abs() < 0.01);
    s.align = Align::End;
    assert!((b.layout(text, &s, Some(box_w)).lines[0].x - (box_w - natural)).abs() < 0.01);
    // Start in an RTL paragraph is the right edge.
    s.align = Align::Start;
    s.direction = Direction::Rtl;
    let l = b.layout(text, &s, Some(box_w));
    assert!((l.lines[0].x + l.lines[0].width - box_w).abs() < 0.01);
}

#[test]
fn justify_spreads_spaces_except_last_line() {
    let b = book();
    let mut s = style(20.0);
    s.align = Align::Justify;
    let text = "The quick brown fox jumps over the lazy dog";
    let width = b.layout("The quick brown fox", &style(20.0), None).width + 20.0;
    let l = b.layout(text, &s, Some(width));
    assert_eq!(l.lines.len(), 3);
    for line in &l.lines[..2] {
        assert_eq!(line.x, 0.0);
        assert!((line.width - width).abs() < 0.01);
        // The last glyph ends at the right edge.
        let last = *all_glyphs(line).last().unwrap();
        let adv = line.runs.last().unwrap().glyphs.len();
        assert!(adv > 0);
        assert!(last.x < width && last.x > width - 20.0);
    }
    let last = &l.lines[2];
    assert_eq!(last.x, 0.0);
    assert!(last.width < width / 2.0);
    // Extra space lands after "The": "quick" moves right by a third of the
    // slack (three spaces on the line).
    let plain = b.layout("The quick brown fox", &style(20.0), None);
    let slack = width - plain.width;
    let q_plain = plain.lines[0].runs[0].glyphs[4].x;
    let q_just = l.lines[0].runs[0].glyphs[4].x;
    assert!((q_just - q_plain - slack / 3.0).abs() < 0.01);
}

#[test]
fn letter_spacing_adds_per_cluster() {
    let b = book();
    let text = "Spacing";
    let plain = b.layout(text, &style(20.0), None);
    let mut s = style(20.0);
    s.letter_spacing = 3.0;
    let spaced = b.layout(text, &s, None);
    let n = text.chars().count() as f32;
    assert!((spaced.width - plain.width - 3.0 * n).abs() < 0.01);
    let g = all_glyphs(&spaced.lines[0]);
    let p = all_glyphs(&plain.lines[0]);
    assert!((g[2].x - p[2].x - 6.0).abs() < 0.01);
}

#[test]
fn clamp_with_ellipsis() {
    let b = book();
    let mut s = style(20.0);
    s.max_lines = Some(2);
    s.ellipsis = true;
    let text = "The quick brown fox jumps over the lazy dog and keeps running far away";
    let width = 180.0;
    let l = b.layout(text, &s, Some(width));
    assert_eq!(l.lines.len(), 2);
    assert!(l.truncated);
    assert!((l.height - 48.0).abs() < 1e-3);
    let last = all_glyphs(&l.lines[1]);
    assert_eq!(last.last().unwrap().id, gid(INTER, '…'));
    assert!(l.lines[1].width <= width + 0.01);
    // Without the ellipsis the lines are cut but end in text.
    s.ellipsis = false;
    let l2 = b.layout(text, &s, Some(width));
    assert!(l2.truncated);
    assert_ne!(all_glyphs(&l2.lines[1]).last().unwrap().id, gid(INTER, '…'));
    // Text that fits is not touched.
    s.ellipsis = true;
    let short = b.layout("Short", &s, Some(width));
    assert!(!short.truncated);
    assert_ne!(
        all_glyphs(&short.lines[0]).last().unwrap().id,
        gid(INTER, '…')
    );
    // A full last line loses clusters to make room for the "…".
    s.max_lines = Some(1);
    let one = b.layout("Supercalifragilistic expialidocious", &s, Some(150.0));
    assert!(one.truncated);
    assert!(one.lines[0].width <= 150.0 + 0.01 || one.overflows);
    assert_eq!(
        all_glyphs(&one.lines[0]).last().unwrap().id,
        gid(INTER, '…')
    );
}

#[test]
fn ellipsis_trims_until_it_fits() {
    let b = book();
    let mut s = style(20.0);
    s.max_lines = Some(1);
    s.ellipsis = true;
    let text = "Deals deals deals deals";
    let width = b.layout("Deals deals deals", &style(20.0), None).width + 2.0;
    let l = b.layout(text, &s, Some(width));
    assert!(l.truncated);
    let line = &l.lines[0];
    assert!(line.width <= width + 0.01, "{} > {width}", line.width);
    // "Deals deals deals…" would not fit: clusters were removed.
    assert!(text[line.range.clone()].len() < "Deals deals deals".len());
    assert!(!text[line.range.clone()].ends_with(' '));
}

#[test]
fn fit_shrinks_and_grows_monotonically() {
    let b = book();
    let mut s = style(20.0);
    s.max_lines = Some(2);
    let text = "Summer sale: up to 50% off everything";
    let narrow = b.fit(text, &s, 10.0, 40.0, 150.0, Some(60.0));
    let wide = b.fit(text, &s, 10.0, 40.0, 400.0, Some(120.0));
    assert!(narrow.fits && wide.fits);
    assert!(narrow.layout.size < wide.layout.size);
    assert!(narrow.layout.lines.len() <= 2 && !narrow.layout.truncated);
    assert!(narrow.layout.height <= 60.0 + 0.01);
    // Sizes are on the 0.5 px grid from min (or max itself).
    assert_eq!((narrow.layout.size * 2.0).fract(), 0.0);
    // The next half pixel up does not fit any more.
    let up = b.layout(
        text,
        &TextStyle {
            size: narrow.layout.size + 0.5,
            line_height: (narrow.layout.size + 0.5) * 1.2,
            ..s.clone()
        },
        Some(150.0),
    );
    assert!(up.truncated || up.overflows || up.height > 60.0);
    // Line height scales with the size.
    let lh = narrow.layout.height / narrow.layout.lines.len() as f32;
    assert!((lh - narrow.layout.size * 1.2).abs() < 1e-3);
    // Monotonic in the width.
    let mut last = 0.0;
    for w in [80.0, 120.0, 160.0, 220.0, 300.0, 500.0] {
        let f = b.fit(text, &s, 8.0, 48.0, w, Some(100.0));
        assert!(f.fits);
        assert!(f.layout.size >= last, "{w}: {} < {last}", f.layout.size);
        last = f.layout.size;
    }
    // Plenty of room: the maximum.
    assert_eq!(b.fit("Hi", &s, 10.0, 33.3, 500.0, None).layout.size, 33.3);
}

#[test]
fn fit_reports_failure_at_min() {
    let b = book();
    let mut s = style(20.0);
    s.ellipsis = true;
    let text = "A headline that is far too long for a tiny box";
    let f = b.fit(text, &s, 30.0, 40.0, 100.0, Some(40.0));
    assert!(!f.fits);
    assert_eq!(f.layout.size, 30.0);
    // Clamped to the lines the height holds (40 / 36 → 1), with the ellipsis.
    assert_eq!(f.layout.lines.len(), 1);
    assert!(f.layout.truncated);
    assert_eq!(
        all_glyphs(&f.layout.lines[0]).last().unwrap().id,
        gid(INTER, '…')
    );
}

#[test]
fn fit_shapes_once() {
    let b = book();
    let s = style(20.0);
    let text = "Shaped once, broken many times";
    for w in [50.0, 100.0, 200.0] {
        b.fit(text, &s, 8.0, 40.0, w, None);
    }
    b.layout(text, &s, Some(123.0));
    assert_eq!(b.shaped.lock().unwrap().len(), 1);
}

#[test]
fn arabic_is_rtl_and_joined() {
    let b = book();
    // ب joins the alef, د after an alef stands alone: its nominal glyph.
    let text = "باد";
    let l = b.layout(text, &style(20.0), None);
    let run = &l.lines[0].runs[0];
    assert_eq!(run.font, FontId(ARABIC));
    let xs: Vec<f32> = run.glyphs.iter().map(|g| g.x).collect();
    assert!(xs.windows(2).all(|w| w[0] < w[1]));
    // Drawn leftmost: the last logical character.
    assert_eq!(run.glyphs[0].id, gid(ARABIC, 'د'));
    // Rightmost: the first one, in its initial (joined) form.
    assert_ne!(run.glyphs[2].id, gid(ARABIC, 'ب'));
    // An RTL paragraph with Start alignment hugs the right edge.
    let l = b.layout("مرحبا بكم", &style(20.0), Some(300.0));
    assert!((l.lines[0].x + l.lines[0].width - 300.0).abs() < 0.01);
    assert_eq!(l.lines[0].runs.len(), 1, "spaces stay in the Arabic run");
}

#[test]
fn mixed_bidi_visual_order() {
    let b = book();
    let text = "Flights to دبي from €199";
    let l = b.layout(text, &style(20.0), Some(400.0));
    assert_eq!(l.lines.len(), 1);
    let line = &l.lines[0];
    let fonts: Vec<u32> = line.runs.iter().map(|r| r.font.0).collect();
    assert_eq!(fonts, [INTER, ARABIC, INTER]);
    assert_eq!(line.x, 0.0, "LTR paragraph");
    let (latin, arabic, tail) = (&line.runs[0], &line.runs[1], &line.runs[2]);
    assert_eq!(latin.glyphs[0].id, gid(INTER, 'F'));
    assert_eq!(tail.glyphs.last().unwrap().id, gid(INTER, '9'));
    assert_eq!(tail.glyphs[tail.glyphs.len() - 4].id, gid(INTER, '€'));
    let max_latin = latin.glyphs.iter().map(|g| g.x).fold(f32::MIN, f32::max);
    let min_tail = tail.glyphs.iter().map(|g| g.x).fold(f32::MAX, f32::min);
    assert!(arabic
        .glyphs
        .iter()
        .all(|g| g.x > max_latin && g.x < min_tail));
    // Reversed: د (first logical) is drawn last, at the right.
    assert_eq!(arabic.glyphs.last().unwrap().id, gid(ARABIC, 'د'));
    assert!(arabic.glyphs.windows(2).all(|w| w[0].x < w[1].x));
    // An RTL paragraph puts the Latin after (left of) the Arabic.
    let text = "رحلات إلى Dubai اليوم";
    let l = b.layout(text, &style(20.0), None);
    let fonts: Vec<u32> = l.lines[0].runs.iter().map(|r| r.font.0).collect();
    assert_eq!(fonts, [ARABIC, INTER, ARABIC]);
    assert_eq!(l.lines[0].runs[1].glyphs[0].id, gid(INTER, 'D'));
    // The rightmost run is the first logical word, ending in its first letter.
    let right = &l.lines[0].runs[2];
    assert_eq!(right.glyphs.last().unwrap().id, gid(ARABIC, 'ر'));
}

#[test]
fn bidi_reorders_per_line() {
    let b = book();
    // Two Arabic words wrapped onto two lines: each line holds its own words
    // (logical line breaking, visual reordering afterwards).
    let text = "مرحبا بكم في دبي";
    let s = style(20.0);
    let full = b.layout(text, &s, None).width;
    let l = b.layout(text, &s, Some(full * 0.6));
    assert_eq!(l.lines.len(), 2);
    assert!(text[l.lines[0].range.clone()].starts_with("مرحبا"));
    assert!(text[l.lines[1].range.clone()].ends_with("دبي"));
}

#[test]
fn hebrew_falls_back_from_inter() {
    let b = book();
    let l = b.layout("שלום", &style(20.0), None);
    let run = &l.lines[0].runs[0];
    assert_eq!(run.font, FontId(HEBREW));
    assert_eq!(run.glyphs[0].id, gid(HEBREW, 'ם'));
    assert!(!run.synthetic_bold);
    let mut s = style(20.0);
    s.weight = 700;
    let l = b.layout("Sale שלום", &s, None);
    let fonts: Vec<u32> = l.lines[0].runs.iter().map(|r| r.font.0).collect();
    assert_eq!(fonts, [INTER_BOLD, HEBREW_BOLD]);
    assert!(l.lines[0].runs.iter().all(|r| !r.synthetic_bold));
}

#[test]
fn synthetic_bold_and_italic() {
    let b = book();
    let mut s = style(20.0);
    s.weight = 700;
    s.italic = true;
    let l = b.layout("سلام", &s, None);
    let run = &l.lines[0].runs[0];
    assert_eq!(run.font, FontId(ARABIC));
    assert!(run.synthetic_bold && run.synthetic_italic);
    // 600 is served by Inter Bold (heavier first above 500): no synthesis.
    s.weight = 600;
    s.italic = false;
    let run = &b.layout("Bold", &s, None).lines[0].runs[0];
    assert_eq!(run.font, FontId(INTER_BOLD));
    assert!(!run.synthetic_bold && !run.synthetic_italic);
    // 300 goes lighter first: Inter Regular.
    s.weight = 300;
    assert_eq!(
        b.layout("Light", &s, None).lines[0].runs[0].font,
        FontId(INTER)
    );
    // Unknown family: fallback to the first loaded face, case-insensitive names.
    s.weight = 400;
    s.families = vec!["Comic Sans".into(), "noto sans hebrew".into()];
    assert_eq!(
        b.layout("ש", &s, None).lines[0].runs[0].font,
        FontId(HEBREW)
    );
    // Latin is not in the Hebrew face: it falls back to Inter.
    assert_eq!(b.layout("A", &s, None).lines[0].runs[0].font, FontId(INTER));
}

#[test]
fn marks_are_positioned() {
    let b = book();
    // Hebrew letter + point: the point is a zero-advance mark with an offset.
    let l = b.layout("בָּ", &style(40.0), None);
    let g = all_glyphs(&l.lines[0]);
    assert!(g.len() >= 2);
    assert!(g
        .iter()
        .any(|x| x.y != l.lines[0].baseline || x.x != g[0].x));
}

#[test]
fn bad_fonts_are_errors() {
    let mut b = FontBook::new();
    let is_font_err = |r: Result<Vec<FontId>>| matches!(r, Err(crate::Error::Font { .. }));
    assert!(is_font_err(b.add(Vec::new())));
    assert!(is_font_err(b.add(b"definitely not a font".to_vec())));
    assert!(is_font_err(b.add(vec![0u8; 4096])));
    let inter = fonts::EMBEDDED[0];
    assert!(is_font_err(b.add(inter[..200].to_vec())));
    assert!(is_font_err(b.add(inter[..inter.len() / 3].to_vec())));
    assert!(is_font_err(b.add(vec![0u8; 20 * 1024 * 1024 + 1])));
    // A TTC header claiming faces that aren't there.
    let mut ttc = b"ttcf\x00\x01\x00\x00\x00\x00\x00\x02".to_vec();
    ttc.extend_from_slice(&[0, 0, 0, 20, 0, 0, 0xFF, 0xFF]);
    assert!(is_font_err(b.add(ttc)));
    assert!(b.faces().is_empty());
    assert_eq!(b.fingerprint(), FontBook::new().fingerprint());
    // A good file still loads.
    assert_eq!(b.add(inter.to_vec()).unwrap(), [FontId(0)]);
}

#[test]
fn corrupted_fonts_never_panic() {
    // Flip bytes all over a real font; whatever loads must lay out and outline.
    let inter = fonts::EMBEDDED[0];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..40 {
        let mut bytes = inter.to_vec();
        let flips = 1 + round % 8;
        for _ in 0..flips {
            let at = (next() as usize)
                % bytes
                    .len()
                    .min(if round % 2 == 0 { 2048 } else { usize::MAX });
            bytes[at] = next() as u8;
        }
        let mut b = FontBook::new();
        if b.add(bytes).is_ok() {
            let l = b.layout("Hello, wörld → 50% off", &style(16.0), Some(60.0));
            for line in &l.lines {
                for run in &line.runs {
                    for g in &run.glyphs {
                        let _ = b.outline(run.font, g.id);
                    }
                }
            }
        }
    }
}

#[test]
fn outline_of_a() {
    let b = book();
    let a = gid(INTER, 'A');
    let path = b.outline(FontId(INTER), a).expect("A has an outline");
    let r = path.bounds();
    assert!(r.left() >= -0.01 && r.right() <= 1.0, "{r:?}");
    assert!(r.top() >= -1.0 && r.bottom() <= 0.2, "{r:?}");
    // Cap height of Inter is ~0.73 em above the baseline; y points down.
    assert!(r.top() < -0.6 && r.bottom().abs() < 0.01, "{r:?}");
    // Cached: the same path comes back.
    assert!(std::ptr::eq(path, b.outline(FontId(INTER), a).unwrap()));
    // Space has no outline; unknown glyphs and faces are None.
    assert!(b.outline(FontId(INTER), gid(INTER, ' ')).is_none());
    assert!(b.outline(FontId(INTER), u16::MAX).is_none());
    assert!(b.outline(FontId(99), a).is_none());
}

#[test]
fn fingerprint_is_stable() {
    let b = book();
    assert_eq!(b.fingerprint(), book().fingerprint());
    assert_eq!(b.fingerprint(), 7523713513887053802);
    let mut other = FontBook::new();
    other.add(fonts::EMBEDDED[1].to_vec()).unwrap();
    assert_ne!(other.fingerprint(), b.fingerprint());
}

#[test]
fn empty_book_lays_out_nothing() {
    let b = FontBook::new();
    let l = b.layout("Hello", &style(20.0), Some(100.0));
    assert_eq!(l.lines.len(), 1);
    assert!(l.lines[0].runs.is_empty());
}

/// Best per-iteration time over several batches (the machine is shared, the
/// minimum is the least noisy estimate). `f` gets a unique counter.
fn bench(mut f: impl FnMut(u32)) -> std::time::Duration {
    let mut best = std::time::Duration::MAX;
    let mut k = 0;
    for _ in 0..15 {
        let t = std::time::Instant::now();
        for _ in 0..20 {
            f(k);
            k += 1;
        }
        best = best.min(t.elapsed() / 20);
    }
    best
}

/// Rough timings; run with optimizations, e.g.
/// `CARGO_PROFILE_DEV_OPT_LEVEL=2 cargo test --lib text::tests::timing -- --ignored --nocapture`
#[test]
#[ignore]
fn timing() {
    let b = book();
    let mut s = style(24.0);
    s.weight = 700;
    s.max_lines = Some(3);
    s.ellipsis = true;
    // A 12-word headline.
    let text = "Get ready for summer with our biggest sale of the year, {name}!";
    let ar = "رحلات إلى دبي ابتداءً من 199 يورو فقط هذا الأسبوع";
    let mut calt_off = s.clone();
    calt_off.letter_spacing = 0.001;
    // Cold: a text never seen before (personalized copy), so it is shaped.
    let cold = bench(|i| {
        std::hint::black_box(b.layout(&format!("{text} {i}"), &s, Some(300.0)));
    });
    let warm = bench(|_| {
        std::hint::black_box(b.layout(text, &s, Some(300.0)));
    });
    let fit_cold = bench(|i| {
        std::hint::black_box(b.fit(&format!("{text} #{i}"), &s, 14.0, 28.0, 300.0, Some(100.0)));
    });
    let fit_warm = bench(|_| {
        std::hint::black_box(b.fit(text, &s, 14.0, 28.0, 300.0, Some(100.0)));
    });
    let arabic = bench(|i| {
        std::hint::black_box(b.layout(&format!("{ar} {i}"), &s, Some(300.0)));
    });
    let no_liga = bench(|i| {
        std::hint::black_box(b.layout(&format!("{text} ~{i}"), &calt_off, Some(300.0)));
    });
    let rb_face = bench(|_| {
        let f = &b.faces[1];
        std::hint::black_box(rustybuzz::Face::from_slice(f.data.bytes(), f.index));
    });
    let sh = b.shaped(text, &s);
    let brk = bench(|_| {
        std::hint::black_box(lines::break_lines(&sh, 24.0, 0.0, Some(300.0)));
    });
    println!(
        "12-word headline: layout cold {cold:?}, warm {warm:?}; fit 14..28 cold {fit_cold:?}, warm {fit_warm:?}"
    );
    println!(
        "arabic cold {arabic:?}; latin cold without calt/liga {no_liga:?}; rustybuzz::Face parse {rb_face:?}; break_lines {brk:?}"
    );
}

#[test]
fn random_text_never_panics() {
    let pool: Vec<char> = "aZ 9,.!?-\t\n\r€→✓…'\"\u{301}\u{200D}\u{200F}\u{202B}\u{202C}\u{2028}\u{A0}\u{AD}😀漢字دبيمرحبا\u{64E}\u{651}שָׁלוםΩЖ"
        .chars()
        .collect();
    let b = book();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let aligns = [
        Align::Start,
        Align::End,
        Align::Left,
        Align::Right,
        Align::Center,
        Align::Justify,
    ];
    let dirs = [Direction::Auto, Direction::Ltr, Direction::Rtl];
    for _ in 0..300 {
        let len = (next() % 40) as usize;
        let text: String = (0..len)
            .map(|_| pool[(next() % pool.len() as u64) as usize])
            .collect();
        let mut s = style(4.0 + (next() % 40) as f32);
        s.align = aligns[(next() % 6) as usize];
        s.direction = dirs[(next() % 3) as usize];
        s.letter_spacing = (next() % 5) as f32 - 1.0;
        s.max_lines = (next() % 3 > 0).then(|| (next() % 4) as u32);
        s.ellipsis = next() % 2 == 0;
        s.weight = 100 * (1 + (next() % 9) as u16);
        s.italic = next() % 2 == 0;
        let width = (next() % 300) as f32 - 10.0;
        let l = b.layout(&text, &s, Some(width));
        if let Some(m) = s.max_lines {
            assert!(l.lines.len() <= m.max(1) as usize);
        }
        for line in &l.lines {
            assert!(
                text.get(line.range.clone()).is_some(),
                "{text:?} {:?}",
                line.range
            );
            for run in &line.runs {
                for g in &run.glyphs {
                    assert!(g.x.is_finite() && g.y.is_finite());
                    let _ = b.outline(run.font, g.id);
                }
            }
        }
        let f = b.fit(&text, &s, 6.0, 30.0, width, Some(60.0));
        assert!(f.layout.size >= 6.0 && f.layout.size <= 30.0);
    }
}
