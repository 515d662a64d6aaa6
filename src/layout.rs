//! Layout: [`Scene`] → positioned boxes and laid-out text → [`DisplayList`].
//!
//! Flexbox and absolute positioning come from `taffy`; text is measured and
//! broken by the [`FontBook`]. Text with `fitText` is sized inside the measure
//! callback, so the flex algorithm sees the size the text will really have.
//! Painting order follows CSS for the cases templates use: a node's shadow,
//! background, border, then its content, then its children sorted by
//! `zIndex` (stable, so document order breaks ties).

use crate::draw::{Command, DisplayList, GlyphRun, ImageDraw, Paint, Radii, Rect, Rgba};
use crate::error::{Error, Result};
use crate::scene::{Content, FitOutcome, Scene, SceneNode};
use crate::style::{self as css, ComputedStyle, Gradient, Length};
use crate::text::{FontBook, TextLayout, TextStyle};
use std::collections::HashMap;
use taffy::prelude::*;

/// Intrinsic sizes of the images a scene uses.
pub trait ImageSizes {
    /// Width and height in px of the image `key`, if loaded.
    fn image_size(&self, key: &str) -> Option<(u32, u32)>;
}

impl<F: Fn(&str) -> Option<(u32, u32)>> ImageSizes for F {
    fn image_size(&self, key: &str) -> Option<(u32, u32)> {
        self(key)
    }
}

/// A laid-out scene.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// Border box of every scene node, in canvas px (same indices as the scene).
    pub boxes: Vec<Rect>,
    /// Content box (inside padding and border) of every node.
    pub content: Vec<Rect>,
    /// Text layout of every text node.
    pub texts: HashMap<usize, TextLayout>,
    /// Auto-fit results.
    pub fits: Vec<FitOutcome>,
}

enum Leaf {
    Text(usize),
    Image { width: f32, height: f32 },
}

/// Build the text style of a node at its declared size.
pub fn text_style(style: &ComputedStyle) -> TextStyle {
    TextStyle {
        families: style.font_family.clone(),
        size: style.font_size,
        weight: style.font_weight,
        italic: style.italic,
        line_height: style.line_height_px(style.font_size),
        letter_spacing: style.letter_spacing_px(style.font_size),
        align: style.text_align,
        direction: style.direction,
        max_lines: style.line_clamp,
        ellipsis: style.ellipsis || style.line_clamp.is_some(),
    }
}

/// Lay out text of `node` inside `width` (None: no wrapping) and, when it
/// auto-fits, `height`. Returns the layout and, for fitted text, whether it fit.
fn lay_text(
    fonts: &FontBook,
    node: &SceneNode,
    text: &str,
    width: Option<f32>,
    height: Option<f32>,
) -> (TextLayout, Option<bool>) {
    let style = &node.style;
    let ts = text_style(style);
    let wrap = style.white_space == css::WhiteSpace::Normal;
    match (style.fit_text, width) {
        (Some(fit), Some(w)) => {
            let f = fonts.fit(
                text,
                &ts,
                fit.min,
                fit.max,
                if wrap { w } else { f32::MAX / 4.0 },
                height,
            );
            // `nowrap` text fits by width alone: it must stay on one line.
            let fits = f.fits && (wrap || f.layout.width <= w + 0.5);
            (f.layout, Some(fits))
        }
        (Some(fit), None) => {
            let mut s = ts;
            s.size = fit.max;
            s.line_height = style.line_height_px(fit.max);
            s.letter_spacing = style.letter_spacing_px(fit.max);
            (fonts.layout(text, &s, None), Some(true))
        }
        // `nowrap` + `textOverflow: ellipsis`: one line, cut with "…" at the box edge.
        (None, Some(w)) if !wrap && style.ellipsis => {
            let mut one = ts;
            one.max_lines = Some(1);
            (fonts.layout(text, &one, Some(w)), None)
        }
        (None, w) => (fonts.layout(text, &ts, if wrap { w } else { None }), None),
    }
}

fn dim(l: Length) -> Dimension {
    match l {
        Length::Auto => Dimension::auto(),
        Length::Px(v) => Dimension::length(v),
        Length::Percent(p) => Dimension::percent(p / 100.0),
    }
}

fn lpa(l: Length) -> LengthPercentageAuto {
    match l {
        Length::Auto => LengthPercentageAuto::auto(),
        Length::Px(v) => LengthPercentageAuto::length(v),
        Length::Percent(p) => LengthPercentageAuto::percent(p / 100.0),
    }
}

fn lp(l: Length) -> LengthPercentage {
    match l {
        Length::Auto => LengthPercentage::length(0.0),
        Length::Px(v) => LengthPercentage::length(v),
        Length::Percent(p) => LengthPercentage::percent(p / 100.0),
    }
}

fn align_items(a: css::AlignItems) -> Option<AlignItems> {
    Some(match a {
        css::AlignItems::Stretch => AlignItems::STRETCH,
        css::AlignItems::FlexStart => AlignItems::FLEX_START,
        css::AlignItems::FlexEnd => AlignItems::FLEX_END,
        css::AlignItems::Center => AlignItems::CENTER,
        css::AlignItems::Baseline => AlignItems::BASELINE,
        css::AlignItems::Start => AlignItems::START,
        css::AlignItems::End => AlignItems::END,
        css::AlignItems::Auto => return None,
    })
}

fn justify(j: css::Justify) -> JustifyContent {
    match j {
        css::Justify::FlexStart => JustifyContent::FLEX_START,
        css::Justify::FlexEnd => JustifyContent::FLEX_END,
        css::Justify::Center => JustifyContent::CENTER,
        css::Justify::SpaceBetween => JustifyContent::SPACE_BETWEEN,
        css::Justify::SpaceAround => JustifyContent::SPACE_AROUND,
        css::Justify::SpaceEvenly => JustifyContent::SPACE_EVENLY,
        css::Justify::Start => JustifyContent::START,
        css::Justify::End => JustifyContent::END,
        css::Justify::Stretch => JustifyContent::STRETCH,
    }
}

/// `start`/`end` on the cross axis of a column run along the inline axis, so a
/// right-to-left column swaps them; rows are mirrored by reversing them.
fn mirror_cross(a: css::AlignItems) -> css::AlignItems {
    match a {
        css::AlignItems::FlexStart => css::AlignItems::FlexEnd,
        css::AlignItems::FlexEnd => css::AlignItems::FlexStart,
        css::AlignItems::Start => css::AlignItems::End,
        css::AlignItems::End => css::AlignItems::Start,
        other => other,
    }
}

fn is_rtl_column(s: &ComputedStyle) -> bool {
    s.direction == crate::text::Direction::Rtl
        && matches!(
            s.flex_direction,
            css::FlexDirection::Column | css::FlexDirection::ColumnReverse
        )
}

/// The taffy style of a node. Taffy has no writing direction, so
/// `direction: rtl` is applied here: a row runs from the right (row and
/// row-reverse swap) and a column's cross-axis start is its right edge.
fn taffy_style(s: &ComputedStyle, parent: Option<&ComputedStyle>) -> Style {
    let is_root = parent.is_none();
    let rtl = s.direction == crate::text::Direction::Rtl;
    let align_self = if parent.is_some_and(is_rtl_column) {
        mirror_cross(s.align_self)
    } else {
        s.align_self
    };
    let align_items_value = if is_rtl_column(s) {
        mirror_cross(s.align_items)
    } else {
        s.align_items
    };
    let sides = |v: &css::Sides<Length>, f: fn(Length) -> LengthPercentage| taffy::Rect {
        left: f(v.left),
        right: f(v.right),
        top: f(v.top),
        bottom: f(v.bottom),
    };
    let auto_sides = |v: &css::Sides<Length>| taffy::Rect {
        left: lpa(v.left),
        right: lpa(v.right),
        top: lpa(v.top),
        bottom: lpa(v.bottom),
    };
    let b = LengthPercentage::length(s.border_width);
    Style {
        display: Display::Flex,
        position: if s.position == css::Position::Absolute && !is_root {
            Position::Absolute
        } else {
            Position::Relative
        },
        flex_direction: match s.flex_direction {
            css::FlexDirection::Row if rtl => FlexDirection::RowReverse,
            css::FlexDirection::RowReverse if rtl => FlexDirection::Row,
            css::FlexDirection::Row => FlexDirection::Row,
            css::FlexDirection::Column => FlexDirection::Column,
            css::FlexDirection::RowReverse => FlexDirection::RowReverse,
            css::FlexDirection::ColumnReverse => FlexDirection::ColumnReverse,
        },
        flex_wrap: match s.flex_wrap {
            css::FlexWrap::NoWrap => FlexWrap::NoWrap,
            css::FlexWrap::Wrap => FlexWrap::Wrap,
            css::FlexWrap::WrapReverse => FlexWrap::WrapReverse,
        },
        justify_content: justify(s.justify_content),
        align_content: justify(s.align_content),
        align_items: align_items(align_items_value).unwrap_or(AlignItems::STRETCH),
        align_self: align_items(align_self),
        flex_grow: s.flex_grow,
        flex_shrink: s.flex_shrink,
        flex_basis: dim(s.flex_basis),
        gap: taffy::Size {
            width: lp(s.column_gap),
            height: lp(s.row_gap),
        },
        size: taffy::Size {
            width: dim(s.width),
            height: dim(s.height),
        },
        min_size: taffy::Size {
            width: lpa(s.min_width),
            height: lpa(s.min_height),
        },
        max_size: taffy::Size {
            width: lpa(s.max_width),
            height: lpa(s.max_height),
        },
        aspect_ratio: s.aspect_ratio,
        padding: sides(&s.padding, lp),
        margin: auto_sides(&s.margin),
        inset: auto_sides(&s.inset),
        border: taffy::Rect {
            left: b,
            right: b,
            top: b,
            bottom: b,
        },
        overflow: taffy::Point {
            x: if s.overflow == css::Overflow::Hidden {
                taffy::Overflow::Hidden
            } else {
                taffy::Overflow::Visible
            },
            y: if s.overflow == css::Overflow::Hidden {
                taffy::Overflow::Hidden
            } else {
                taffy::Overflow::Visible
            },
        },
        ..Style::default()
    }
}

/// Lay out `scene` with `fonts`, asking `images` for intrinsic image sizes.
pub fn layout(scene: &Scene, fonts: &FontBook, images: &dyn ImageSizes) -> Result<Layout> {
    let mut tree: TaffyTree<Leaf> = TaffyTree::with_capacity(scene.nodes.len());
    let mut ids: Vec<NodeId> = vec![NodeId::from(0u64); scene.nodes.len()];
    // Children always have larger indices than their parent (depth-first
    // order), so building from the end creates every child before its parent.
    let mut parents: Vec<Option<usize>> = vec![None; scene.nodes.len()];
    for (i, node) in scene.nodes.iter().enumerate() {
        for &c in &node.children {
            parents[c] = Some(i);
        }
    }
    for i in (0..scene.nodes.len()).rev() {
        let node = &scene.nodes[i];
        let parent = parents[i].map(|p| &scene.nodes[p].style);
        let style = taffy_style(&node.style, parent);
        let id = match &node.content {
            Content::Text(_) => tree.new_leaf_with_context(style, Leaf::Text(i)),
            Content::Image(key) => {
                let (w, h) = images.image_size(key).ok_or_else(|| Error::Image {
                    key: key.clone(),
                    reason: "not loaded: add it to the engine before rendering".into(),
                })?;
                tree.new_leaf_with_context(
                    style,
                    Leaf::Image {
                        width: w as f32,
                        height: h as f32,
                    },
                )
            }
            Content::None => {
                let children: Vec<NodeId> = node.children.iter().map(|&c| ids[c]).collect();
                tree.new_with_children(style, &children)
            }
        }
        .map_err(|e| Error::invalid("layout", e.to_string()))?;
        ids[i] = id;
    }

    let mut measure_cache: HashMap<(usize, u32, u32), (f32, f32)> = HashMap::new();
    let available = taffy::Size {
        width: AvailableSpace::Definite(scene.width as f32),
        height: AvailableSpace::Definite(scene.height as f32),
    };
    tree.compute_layout_with_measure(ids[0], available, |inputs, _id, ctx, style| {
        taffy::compute_leaf_layout(
            inputs,
            style,
            |_, _| 0.0,
            |known, avail| {
                if let (Some(width), Some(height)) = (known.width, known.height) {
                    return taffy::Size { width, height };
                }
                match ctx {
                    None => taffy::Size::ZERO,
                    Some(Leaf::Image { width, height }) => image_measure(known, *width, *height),
                    Some(Leaf::Text(i)) => {
                        let node = &scene.nodes[*i];
                        let Content::Text(text) = &node.content else {
                            return taffy::Size::ZERO;
                        };
                        let width = known.width.or(match avail.width {
                            AvailableSpace::Definite(w) => Some(w),
                            AvailableSpace::MinContent => Some(0.0),
                            AvailableSpace::MaxContent => None,
                        });
                        let height = known.height.or(match avail.height {
                            AvailableSpace::Definite(h) => Some(h),
                            _ => None,
                        });
                        let key = (
                            *i,
                            width.map_or(u32::MAX, f32::to_bits),
                            height.map_or(u32::MAX, f32::to_bits),
                        );
                        let (w, h) = *measure_cache.entry(key).or_insert_with(|| {
                            let fit_height = node.style.fit_text.and(height);
                            let (l, _) = lay_text(fonts, node, text, width, fit_height);
                            (l.width.ceil(), l.height.ceil())
                        });
                        taffy::Size {
                            width: known.width.unwrap_or(w),
                            height: known.height.unwrap_or(h),
                        }
                    }
                }
            },
        )
    })
    .map_err(|e| Error::invalid("layout", e.to_string()))?;

    let n = scene.nodes.len();
    let mut out = Layout {
        boxes: vec![Rect::default(); n],
        content: vec![Rect::default(); n],
        texts: HashMap::new(),
        fits: Vec::new(),
    };
    // Absolute positions: parents come before children in index order.
    let mut origin = vec![(0.0f32, 0.0f32); n];
    for i in 0..n {
        let l = tree
            .layout(ids[i])
            .map_err(|e| Error::invalid("layout", e.to_string()))?;
        let (ox, oy) = origin[i];
        let x = ox + l.location.x;
        let y = oy + l.location.y;
        out.boxes[i] = Rect::new(x, y, l.size.width, l.size.height);
        out.content[i] = Rect::new(
            x + l.border.left + l.padding.left,
            y + l.border.top + l.padding.top,
            (l.size.width - l.border.left - l.border.right - l.padding.left - l.padding.right)
                .max(0.0),
            (l.size.height - l.border.top - l.border.bottom - l.padding.top - l.padding.bottom)
                .max(0.0),
        );
        for &c in &scene.nodes[i].children {
            origin[c] = (x, y);
        }
        let node = &scene.nodes[i];
        if let Content::Text(text) = &node.content {
            let c = out.content[i];
            let (text_layout, fit) = lay_text(
                fonts,
                node,
                text,
                Some(c.width + 0.01),
                Some(c.height + 0.01),
            );
            if let Some(fits) = fit {
                out.fits.push(FitOutcome {
                    id: node.id.clone().unwrap_or_else(|| format!("node{i}")),
                    font_size: text_layout.size,
                    fits,
                });
            }
            out.texts.insert(i, text_layout);
        }
    }
    Ok(out)
}

fn image_measure(known: taffy::Size<Option<f32>>, width: f32, height: f32) -> taffy::Size<f32> {
    // Keep the aspect ratio when one side is known, like a replaced element.
    match (known.width, known.height) {
        (Some(w), None) if width > 0.0 => taffy::Size {
            width: w,
            height: w * height / width,
        },
        (None, Some(h)) if height > 0.0 => taffy::Size {
            width: h * width / height,
            height: h,
        },
        _ => taffy::Size { width, height },
    }
}

fn radii(style: &ComputedStyle, rect: &Rect) -> Radii {
    // Percentages are of the shorter side, so `50%` makes a circle or a pill.
    let base = rect.width.min(rect.height);
    let r = |l: Length| l.resolve(base).unwrap_or(0.0).max(0.0);
    let [tl, tr, br, bl] = style.border_radius;
    Radii {
        top_left: r(tl),
        top_right: r(tr),
        bottom_right: r(br),
        bottom_left: r(bl),
    }
}

fn gradient_paint(g: &Gradient, rect: &Rect) -> Paint {
    match g {
        Gradient::Linear { angle, stops } => {
            let a = angle.to_radians();
            let (dx, dy) = (a.sin(), -a.cos());
            // CSS gradient line: long enough that the corners get the end colours.
            let len = (rect.width * dx).abs() + (rect.height * dy).abs();
            let (cx, cy) = (rect.x + rect.width / 2.0, rect.y + rect.height / 2.0);
            Paint::Linear {
                start: (cx - dx * len / 2.0, cy - dy * len / 2.0),
                end: (cx + dx * len / 2.0, cy + dy * len / 2.0),
                stops: stops.clone(),
            }
        }
        Gradient::Radial {
            circle,
            center,
            stops,
        } => {
            let cx = rect.x + rect.width * center.0;
            let cy = rect.y + rect.height * center.1;
            // farthest-corner, as CSS defaults to.
            let fx = (cx - rect.x).max(rect.right() - cx);
            let fy = (cy - rect.y).max(rect.bottom() - cy);
            let radius = if *circle {
                let r = (fx * fx + fy * fy).sqrt();
                (r, r)
            } else {
                (fx * std::f32::consts::SQRT_2, fy * std::f32::consts::SQRT_2)
            };
            Paint::Radial {
                center: (cx, cy),
                radius: (radius.0.max(0.01), radius.1.max(0.01)),
                stops: stops.clone(),
            }
        }
    }
}

fn image_draw(
    style: &ComputedStyle,
    key: &str,
    content: Rect,
    natural: (f32, f32),
    radii: Radii,
) -> Option<ImageDraw> {
    let (iw, ih) = natural;
    if iw <= 0.0 || ih <= 0.0 || content.width <= 0.0 || content.height <= 0.0 {
        return None;
    }
    let (w, h) = (content.width, content.height);
    let scale = match style.object_fit {
        css::ObjectFit::Fill => None,
        css::ObjectFit::Cover => Some((w / iw).max(h / ih)),
        css::ObjectFit::Contain => Some((w / iw).min(h / ih)),
        css::ObjectFit::None => Some(1.0),
        css::ObjectFit::ScaleDown => Some((w / iw).min(h / ih).min(1.0)),
    };
    let Some(s) = scale else {
        return Some(ImageDraw {
            key: key.to_string(),
            source: Rect::new(0.0, 0.0, iw, ih),
            dest: content,
            clip: content,
            radii,
        });
    };
    let (dw, dh) = (iw * s, ih * s);
    // Percentages place the image within the free space; lengths are offsets.
    let offset = |l: Length, free: f32| match l {
        Length::Px(v) => v,
        Length::Percent(p) => free * p / 100.0,
        Length::Auto => free / 2.0,
    };
    let dest = Rect::new(
        content.x + offset(style.object_position.0, w - dw),
        content.y + offset(style.object_position.1, h - dh),
        dw,
        dh,
    );
    // Crop the source to the visible part so the resampler only works on what shows.
    let vis_x0 = dest.x.max(content.x);
    let vis_y0 = dest.y.max(content.y);
    let vis_x1 = dest.right().min(content.right());
    let vis_y1 = dest.bottom().min(content.bottom());
    if vis_x1 <= vis_x0 || vis_y1 <= vis_y0 {
        return None;
    }
    let source = Rect::new(
        (vis_x0 - dest.x) / s,
        (vis_y0 - dest.y) / s,
        (vis_x1 - vis_x0) / s,
        (vis_y1 - vis_y0) / s,
    );
    Some(ImageDraw {
        key: key.to_string(),
        source,
        dest: Rect::new(vis_x0, vis_y0, vis_x1 - vis_x0, vis_y1 - vis_y0),
        clip: content,
        radii,
    })
}

/// Turn a laid-out scene into drawing commands in paint order.
pub fn display_list(scene: &Scene, layout: &Layout, images: &dyn ImageSizes) -> DisplayList {
    let mut commands = Vec::new();
    enum Step {
        Enter(usize),
        Exit,
    }
    let mut stack = vec![Step::Enter(0)];
    while let Some(step) = stack.pop() {
        let i = match step {
            Step::Exit => {
                commands.push(Command::PopLayer);
                continue;
            }
            Step::Enter(i) => i,
        };
        let node = &scene.nodes[i];
        let style = &node.style;
        let rect = layout.boxes[i];
        let r = radii(style, &rect);
        let layered = style.opacity < 1.0;
        if style.opacity <= 0.0 {
            continue;
        }
        if layered {
            commands.push(Command::PushLayer {
                opacity: style.opacity,
                clip: None,
            });
            stack.push(Step::Exit);
        }
        // CSS paints the first shadow on top: draw them last to first.
        for sh in style.box_shadow.iter().rev() {
            if sh.color.a > 0 {
                commands.push(Command::Shadow {
                    rect,
                    radii: r,
                    offset: (sh.x, sh.y),
                    blur: sh.blur,
                    spread: sh.spread,
                    color: sh.color,
                });
            }
        }
        if style.background_color.a > 0 {
            commands.push(Command::FillRect {
                rect,
                radii: r,
                paint: Paint::Solid(style.background_color),
            });
        }
        if let Some(g) = &style.background_image {
            commands.push(Command::FillRect {
                rect,
                radii: r,
                paint: gradient_paint(g, &rect),
            });
        }
        if style.border_width > 0.0 && style.border_color.a > 0 {
            commands.push(Command::Border {
                rect,
                radii: r,
                width: style.border_width,
                color: style.border_color,
            });
        }
        let content = layout.content[i];
        match &node.content {
            Content::Image(key) => {
                if let Some((w, h)) = images.image_size(key) {
                    let inner = inner_radii(r, style.border_width);
                    if let Some(d) = image_draw(style, key, content, (w as f32, h as f32), inner) {
                        commands.push(Command::Image(d));
                    }
                }
            }
            Content::Text(_) => {
                if let Some(t) = layout.texts.get(&i) {
                    push_text(&mut commands, t, style.color, content);
                }
            }
            Content::None => {}
        }
        if node.children.is_empty() {
            continue;
        }
        let clipped = style.overflow == css::Overflow::Hidden;
        if clipped {
            // CSS clips to the padding box: inside the border, with inner radii.
            let b = style.border_width;
            let inner = Rect::new(
                rect.x + b,
                rect.y + b,
                (rect.width - 2.0 * b).max(0.0),
                (rect.height - 2.0 * b).max(0.0),
            );
            commands.push(Command::PushLayer {
                opacity: 1.0,
                clip: Some((inner, inner_radii(r, b))),
            });
            stack.push(Step::Exit);
        }
        let mut children: Vec<usize> = node.children.clone();
        children.sort_by_key(|&c| scene.nodes[c].style.z_index);
        for &c in children.iter().rev() {
            stack.push(Step::Enter(c));
        }
    }
    DisplayList {
        width: scene.width,
        height: scene.height,
        commands,
    }
}

fn inner_radii(r: Radii, border: f32) -> Radii {
    Radii {
        top_left: (r.top_left - border).max(0.0),
        top_right: (r.top_right - border).max(0.0),
        bottom_right: (r.bottom_right - border).max(0.0),
        bottom_left: (r.bottom_left - border).max(0.0),
    }
}

fn push_text(commands: &mut Vec<Command>, t: &TextLayout, color: Rgba, content: Rect) {
    if color.a == 0 {
        return;
    }
    for line in &t.lines {
        for run in &line.runs {
            commands.push(Command::Glyphs(GlyphRun {
                font: run.font,
                size: t.size,
                skew: if run.synthetic_italic { 0.2 } else { 0.0 },
                embolden: if run.synthetic_bold {
                    t.size / 24.0
                } else {
                    0.0
                },
                color,
                glyphs: run
                    .glyphs
                    .iter()
                    .map(|g| crate::draw::PlacedGlyph {
                        id: g.id,
                        x: g.x + content.x,
                        y: g.y + content.y,
                    })
                    .collect(),
            }));
        }
    }
}
