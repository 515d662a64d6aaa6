//! CSS-style properties: parsing template values and computing inherited styles.
//!
//! Templates use React-style inline styles (`camelCase` names, numbers are px).
//! [`parse_style`] turns one `style` object into a [`StyleDecl`] where every
//! property is optional, reporting errors with the JSON path of the property.
//! [`ComputedStyle::cascade`] then applies a declaration on top of the parent's
//! computed style: inherited properties (colour, font, text) flow down, the rest
//! start from their CSS initial values.

use crate::draw::{ColorStop, Rgba};
use crate::error::{Error, Result};
use crate::text::{Align, Direction};
use serde::Serialize;
use serde_json::{Map, Value};

/// A length that may be a percentage of the containing block, or `auto`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub enum Length {
    /// `auto` (or unset).
    #[default]
    Auto,
    /// Pixels.
    Px(f32),
    /// Percent of the containing block (0..=100 scale).
    Percent(f32),
}

impl Length {
    /// Pixels, with percentages resolved against `base`; `auto` gives `None`.
    pub fn resolve(self, base: f32) -> Option<f32> {
        match self {
            Length::Auto => None,
            Length::Px(v) => Some(v),
            Length::Percent(p) => Some(base * p / 100.0),
        }
    }
}

/// Four sides, clockwise from the top, as in CSS shorthands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Sides<T> {
    /// Top.
    pub top: T,
    /// Right.
    pub right: T,
    /// Bottom.
    pub bottom: T,
    /// Left.
    pub left: T,
}

/// A gradient from `backgroundImage`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Gradient {
    /// `linear-gradient(<angle>, stops)`; angle in degrees, CSS convention
    /// (0 = towards the top, 90 = towards the right).
    Linear {
        /// Direction in degrees.
        angle: f32,
        /// Colour stops.
        stops: Vec<ColorStop>,
    },
    /// `radial-gradient([circle|ellipse] [at x y], stops)`, farthest-corner.
    Radial {
        /// True for `circle`.
        circle: bool,
        /// Centre as fractions of the box (0.5, 0.5 is the middle).
        center: (f32, f32),
        /// Colour stops.
        stops: Vec<ColorStop>,
    },
}

/// One `boxShadow` layer.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Shadow {
    /// Horizontal offset, px.
    pub x: f32,
    /// Vertical offset, px.
    pub y: f32,
    /// Blur radius, px.
    pub blur: f32,
    /// Spread, px.
    pub spread: f32,
    /// Colour.
    pub color: Rgba,
}

/// `fitText`: pick the largest font size in `min..=max` that fits the box.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FitText {
    /// Smallest size allowed, px.
    pub min: f32,
    /// Largest size tried, px.
    pub max: f32,
}

macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
        pub enum $name { #[default] $($(#[$vmeta])* $variant),+ }
        impl $name {
            /// The CSS keywords accepted, in order.
            pub const KEYWORDS: &'static [&'static str] = &[$($text),+];
            fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

keyword_enum!(
    /// `display`.
    Display { /// Flex container (also what `block` maps to).
    Flex = "flex", /// Not rendered and takes no space.
    None = "none", /// Treated as a flex column, as satori does.
    Block = "block" }
);
keyword_enum!(
    /// `position`.
    Position { /// In flow.
    Relative = "relative", /// Out of flow, placed by insets.
    Absolute = "absolute" }
);
keyword_enum!(
    /// `flexDirection`.
    FlexDirection { /// Left to right.
    Row = "row", /// Top to bottom.
    Column = "column", /// Right to left.
    RowReverse = "row-reverse", /// Bottom to top.
    ColumnReverse = "column-reverse" }
);
keyword_enum!(
    /// `flexWrap`.
    FlexWrap { /// One line.
    NoWrap = "nowrap", /// Wrap onto new lines.
    Wrap = "wrap", /// Wrap upwards.
    WrapReverse = "wrap-reverse" }
);
keyword_enum!(
    /// `justifyContent` and `alignContent`.
    Justify { /// Pack at the start.
    FlexStart = "flex-start", /// Pack at the end.
    FlexEnd = "flex-end", /// Centre.
    Center = "center", /// Space between items.
    SpaceBetween = "space-between", /// Space around items.
    SpaceAround = "space-around", /// Equal space everywhere.
    SpaceEvenly = "space-evenly", /// Alias of flex-start.
    Start = "start", /// Alias of flex-end.
    End = "end", /// Stretch lines (alignContent).
    Stretch = "stretch" }
);
keyword_enum!(
    /// `alignItems` and `alignSelf`.
    AlignItems { /// Fill the cross axis.
    Stretch = "stretch", /// Cross start.
    FlexStart = "flex-start", /// Cross end.
    FlexEnd = "flex-end", /// Centre.
    Center = "center", /// First baselines aligned.
    Baseline = "baseline", /// Alias of flex-start.
    Start = "start", /// Alias of flex-end.
    End = "end", /// `alignSelf: auto` — use the parent's alignItems.
    Auto = "auto" }
);
keyword_enum!(
    /// `overflow`.
    Overflow { /// Children may paint outside.
    Visible = "visible", /// Children are clipped to the padding box.
    Hidden = "hidden" }
);
keyword_enum!(
    /// `textTransform`.
    TextTransform { /// As written.
    None = "none", /// ALL CAPS.
    Uppercase = "uppercase", /// all lower.
    Lowercase = "lowercase", /// First Letter Of Each Word.
    Capitalize = "capitalize" }
);
keyword_enum!(
    /// `objectFit`.
    ObjectFit { /// Stretch to the box.
    Fill = "fill", /// Fill the box, cropping.
    Cover = "cover", /// Fit inside the box, letterboxed.
    Contain = "contain", /// Natural size, cropped or letterboxed.
    None = "none", /// `contain` but never upscale.
    ScaleDown = "scale-down" }
);
keyword_enum!(
    /// `whiteSpace`.
    WhiteSpace { /// Wrap at the box width.
    Normal = "normal", /// Never wrap.
    NoWrap = "nowrap" }
);

/// A parsed `style` object: each property present in the template, nothing else.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[allow(missing_docs)] // one field per CSS property of the same name
pub struct StyleDecl {
    pub display: Option<Display>,
    pub position: Option<Position>,
    pub flex_direction: Option<FlexDirection>,
    pub flex_wrap: Option<FlexWrap>,
    pub justify_content: Option<Justify>,
    pub align_content: Option<Justify>,
    pub align_items: Option<AlignItems>,
    pub align_self: Option<AlignItems>,
    pub flex_grow: Option<f32>,
    pub flex_shrink: Option<f32>,
    pub flex_basis: Option<Length>,
    pub row_gap: Option<Length>,
    pub column_gap: Option<Length>,
    pub width: Option<Length>,
    pub height: Option<Length>,
    pub min_width: Option<Length>,
    pub min_height: Option<Length>,
    pub max_width: Option<Length>,
    pub max_height: Option<Length>,
    pub aspect_ratio: Option<f32>,
    pub padding: Sides<Option<Length>>,
    pub margin: Sides<Option<Length>>,
    pub inset: Sides<Option<Length>>,
    pub z_index: Option<i32>,
    pub overflow: Option<Overflow>,
    pub background_color: Option<Rgba>,
    pub background_image: Option<Gradient>,
    pub border_width: Option<f32>,
    pub border_color: Option<Rgba>,
    pub border_radius: Option<[Length; 4]>,
    pub box_shadow: Option<Vec<Shadow>>,
    pub opacity: Option<f32>,
    pub color: Option<Rgba>,
    pub font_family: Option<Vec<String>>,
    pub font_size: Option<f32>,
    pub font_weight: Option<u16>,
    pub italic: Option<bool>,
    pub line_height: Option<LineHeight>,
    pub letter_spacing: Option<LetterSpacing>,
    pub text_align: Option<Align>,
    pub text_transform: Option<TextTransform>,
    pub direction: Option<Direction>,
    pub white_space: Option<WhiteSpace>,
    pub line_clamp: Option<u32>,
    pub ellipsis: Option<bool>,
    pub fit_text: Option<FitText>,
    pub object_fit: Option<ObjectFit>,
    pub object_position: Option<(Length, Length)>,
}

/// `lineHeight`: a multiplier of the font size or a length.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum LineHeight {
    /// `normal` (1.2 × font size).
    Normal,
    /// Unitless multiplier.
    Factor(f32),
    /// Pixels.
    Px(f32),
}

/// `letterSpacing`: pixels or a fraction of the font size (`em`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum LetterSpacing {
    /// Pixels.
    Px(f32),
    /// Multiple of the font size.
    Em(f32),
}

/// The CSS properties a template may use, with the kind of value each takes.
/// The JSON Schema and the error for an unknown property are built from it.
pub const PROPERTIES: &[(&str, &str)] = &[
    ("display", "flex | none | block"),
    ("position", "relative | absolute"),
    (
        "flexDirection",
        "row | column | row-reverse | column-reverse",
    ),
    ("flexWrap", "nowrap | wrap | wrap-reverse"),
    (
        "justifyContent",
        "flex-start | flex-end | center | space-between | space-around | space-evenly",
    ),
    (
        "alignContent",
        "flex-start | flex-end | center | space-between | space-around | stretch",
    ),
    (
        "alignItems",
        "stretch | flex-start | flex-end | center | baseline",
    ),
    (
        "alignSelf",
        "auto | stretch | flex-start | flex-end | center | baseline",
    ),
    ("flex", "number, or \"<grow> [<shrink>] [<basis>]\""),
    ("flexGrow", "number"),
    ("flexShrink", "number"),
    ("flexBasis", "length"),
    ("gap", "length, or \"<row> <column>\""),
    ("rowGap", "length"),
    ("columnGap", "length"),
    ("width", "length"),
    ("height", "length"),
    ("minWidth", "length"),
    ("minHeight", "length"),
    ("maxWidth", "length"),
    ("maxHeight", "length"),
    ("aspectRatio", "number or \"w / h\""),
    ("padding", "1 to 4 lengths"),
    ("paddingTop", "length"),
    ("paddingRight", "length"),
    ("paddingBottom", "length"),
    ("paddingLeft", "length"),
    ("margin", "1 to 4 lengths or auto"),
    ("marginTop", "length or auto"),
    ("marginRight", "length or auto"),
    ("marginBottom", "length or auto"),
    ("marginLeft", "length or auto"),
    ("top", "length"),
    ("right", "length"),
    ("bottom", "length"),
    ("left", "length"),
    ("inset", "1 to 4 lengths"),
    ("zIndex", "integer"),
    ("overflow", "visible | hidden"),
    ("background", "colour or gradient"),
    ("backgroundColor", "colour"),
    (
        "backgroundImage",
        "linear-gradient(...) | radial-gradient(...)",
    ),
    ("border", "\"<width> solid <colour>\""),
    ("borderWidth", "length"),
    ("borderColor", "colour"),
    ("borderStyle", "solid | none"),
    ("borderRadius", "1 to 4 lengths"),
    (
        "boxShadow",
        "\"<x> <y> [<blur> [<spread>]] <colour>\", comma-separated",
    ),
    ("opacity", "number 0..1"),
    ("color", "colour"),
    ("fontFamily", "family names, comma-separated"),
    ("fontSize", "length (px or em)"),
    ("fontWeight", "100..900 | normal | bold"),
    ("fontStyle", "normal | italic | oblique"),
    ("lineHeight", "number (× font size) or length"),
    ("letterSpacing", "length (px or em)"),
    ("textAlign", "start | end | left | right | center | justify"),
    ("textTransform", "none | uppercase | lowercase | capitalize"),
    ("direction", "ltr | rtl"),
    ("whiteSpace", "normal | nowrap"),
    ("lineClamp", "integer"),
    ("textOverflow", "clip | ellipsis"),
    ("fitText", "{ \"min\": px, \"max\": px }"),
    ("objectFit", "fill | cover | contain | none | scale-down"),
    (
        "objectPosition",
        "\"<x> <y>\" (lengths, percentages or keywords)",
    ),
];

/// CSS properties that are real but not supported yet: accepted with a
/// warning so templates written for other renderers still load.
const IGNORED_PROPERTIES: &[&str] = &[
    "transform",
    "transformOrigin",
    "filter",
    "textShadow",
    "textDecoration",
    "backgroundSize",
    "backgroundPosition",
    "backgroundRepeat",
    "backgroundClip",
    "boxSizing",
    "wordBreak",
    "overflowWrap",
    "wordWrap",
    "cursor",
    "transition",
    "fontFeatureSettings",
    "WebkitLineClamp",
    "WebkitBoxOrient",
    "verticalAlign",
];

/// Parse a `style` object. `path` is the JSON path of the object itself;
/// harmless unsupported properties are reported into `warnings`.
pub fn parse_style(
    map: &Map<String, Value>,
    path: &str,
    warnings: &mut Vec<String>,
) -> Result<StyleDecl> {
    let mut decl = StyleDecl::default();
    for (key, value) in map {
        let at = || format!("{path}.{key}");
        apply_property(&mut decl, key, value, warnings)
            .map_err(|reason| Error::invalid(at(), reason))?;
    }
    Ok(decl)
}

/// Parse one property into `decl` (used for rule and size overrides too).
pub fn apply_property(
    decl: &mut StyleDecl,
    key: &str,
    value: &Value,
    warnings: &mut Vec<String>,
) -> std::result::Result<(), String> {
    let d = decl;
    match key {
        "display" => d.display = Some(keyword(value)?),
        "position" => d.position = Some(keyword(value)?),
        "flexDirection" => d.flex_direction = Some(keyword(value)?),
        "flexWrap" => d.flex_wrap = Some(keyword(value)?),
        "justifyContent" => d.justify_content = Some(keyword(value)?),
        "alignContent" => d.align_content = Some(keyword(value)?),
        "alignItems" => d.align_items = Some(keyword(value)?),
        "alignSelf" => d.align_self = Some(keyword(value)?),
        "flex" => {
            let (grow, shrink, basis) = flex_shorthand(value)?;
            d.flex_grow = Some(grow);
            d.flex_shrink = Some(shrink);
            d.flex_basis = Some(basis);
        }
        "flexGrow" => d.flex_grow = Some(non_negative(value)?),
        "flexShrink" => d.flex_shrink = Some(non_negative(value)?),
        "flexBasis" => d.flex_basis = Some(length(value)?),
        "gap" => {
            let v = lengths(value, 1, 2)?;
            d.row_gap = Some(v[0]);
            d.column_gap = Some(*v.get(1).unwrap_or(&v[0]));
        }
        "rowGap" => d.row_gap = Some(length(value)?),
        "columnGap" => d.column_gap = Some(length(value)?),
        "width" => d.width = Some(length(value)?),
        "height" => d.height = Some(length(value)?),
        "minWidth" => d.min_width = Some(length(value)?),
        "minHeight" => d.min_height = Some(length(value)?),
        "maxWidth" => d.max_width = Some(length(value)?),
        "maxHeight" => d.max_height = Some(length(value)?),
        "aspectRatio" => d.aspect_ratio = Some(aspect_ratio(value)?),
        "padding" => set_sides(&mut d.padding, four(value)?),
        "paddingTop" => d.padding.top = Some(length(value)?),
        "paddingRight" => d.padding.right = Some(length(value)?),
        "paddingBottom" => d.padding.bottom = Some(length(value)?),
        "paddingLeft" => d.padding.left = Some(length(value)?),
        "margin" => set_sides(&mut d.margin, four(value)?),
        "marginTop" => d.margin.top = Some(length(value)?),
        "marginRight" => d.margin.right = Some(length(value)?),
        "marginBottom" => d.margin.bottom = Some(length(value)?),
        "marginLeft" => d.margin.left = Some(length(value)?),
        "top" => d.inset.top = Some(length(value)?),
        "right" => d.inset.right = Some(length(value)?),
        "bottom" => d.inset.bottom = Some(length(value)?),
        "left" => d.inset.left = Some(length(value)?),
        "inset" => set_sides(&mut d.inset, four(value)?),
        "zIndex" => d.z_index = Some(integer(value, -100_000, 100_000)? as i32),
        "overflow" => d.overflow = Some(keyword(value)?),
        "background" => {
            let s = string(value)?;
            if s.contains("gradient(") {
                d.background_image = Some(gradient(s)?);
            } else {
                d.background_color = Some(color_str(s)?);
            }
        }
        "backgroundColor" => d.background_color = Some(color(value)?),
        "backgroundImage" => {
            let s = string(value)?;
            d.background_image = if s.trim() == "none" {
                None
            } else {
                Some(gradient(s)?)
            };
        }
        "border" => {
            let (w, c) = border(value)?;
            d.border_width = Some(w);
            d.border_color = Some(c);
        }
        "borderWidth" => d.border_width = Some(px(value)?),
        "borderColor" => d.border_color = Some(color(value)?),
        "borderStyle" => match string(value)? {
            "solid" => {}
            "none" => d.border_width = Some(0.0),
            other => return Err(format!("expected solid or none, got \"{other}\"")),
        },
        "borderRadius" => {
            let v = four(value)?;
            if v.iter().any(|l| matches!(l, Length::Auto)) {
                return Err("borderRadius cannot be auto".into());
            }
            d.border_radius = Some(v);
        }
        "boxShadow" => d.box_shadow = Some(box_shadow(value)?),
        "opacity" => d.opacity = Some(number(value)?.clamp(0.0, 1.0)),
        "color" => d.color = Some(color(value)?),
        "fontFamily" => d.font_family = Some(font_family(value)?),
        "fontSize" => d.font_size = Some(font_size(value)?),
        "fontWeight" => d.font_weight = Some(font_weight(value)?),
        "fontStyle" => {
            d.italic = Some(match string(value)? {
                "normal" => false,
                "italic" | "oblique" => true,
                other => return Err(format!("expected normal or italic, got \"{other}\"")),
            })
        }
        "lineHeight" => d.line_height = Some(line_height(value)?),
        "letterSpacing" => d.letter_spacing = Some(letter_spacing(value)?),
        "textAlign" => d.text_align = Some(text_align(value)?),
        "textTransform" => d.text_transform = Some(keyword(value)?),
        "direction" => {
            d.direction = Some(match string(value)? {
                "ltr" => Direction::Ltr,
                "rtl" => Direction::Rtl,
                "auto" => Direction::Auto,
                other => return Err(format!("expected ltr, rtl or auto, got \"{other}\"")),
            })
        }
        "whiteSpace" => d.white_space = Some(keyword(value)?),
        "lineClamp" => {
            d.line_clamp = match value {
                Value::String(s) if s == "none" => None,
                _ => Some(integer(value, 1, 1000)? as u32),
            }
        }
        "textOverflow" => {
            d.ellipsis = Some(match string(value)? {
                "ellipsis" => true,
                "clip" => false,
                other => return Err(format!("expected ellipsis or clip, got \"{other}\"")),
            })
        }
        "fitText" => d.fit_text = Some(fit_text(value)?),
        "objectFit" => d.object_fit = Some(keyword(value)?),
        "objectPosition" => d.object_position = Some(position_pair(value)?),
        _ if IGNORED_PROPERTIES.contains(&key) => warnings.push(format!(
            "style property `{key}` is not supported yet and was ignored"
        )),
        _ => {
            let hint = PROPERTIES
                .iter()
                .map(|(n, _)| *n)
                .find(|n| n.eq_ignore_ascii_case(key))
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            return Err(format!("unknown style property `{key}`{hint}"));
        }
    }
    Ok(())
}

type Parsed<T> = std::result::Result<T, String>;

fn describe(value: &Value) -> String {
    let s = value.to_string();
    if s.len() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

fn string(value: &Value) -> Parsed<&str> {
    value
        .as_str()
        .ok_or_else(|| format!("expected a string, got {}", describe(value)))
}

fn keyword<T: KeywordParse>(value: &Value) -> Parsed<T> {
    let s = string(value)?;
    T::parse_keyword(s.trim())
        .ok_or_else(|| format!("expected one of {}, got \"{s}\"", T::keywords().join(", ")))
}

/// Keyword enums parse through this trait so `keyword()` can be generic.
trait KeywordParse: Sized {
    fn parse_keyword(s: &str) -> Option<Self>;
    fn keywords() -> &'static [&'static str];
}

macro_rules! keyword_parse {
    ($($t:ty),*) => {$(
        impl KeywordParse for $t {
            fn parse_keyword(s: &str) -> Option<Self> { <$t>::parse(s) }
            fn keywords() -> &'static [&'static str] { <$t>::KEYWORDS }
        }
    )*};
}
keyword_parse!(
    Display,
    Position,
    FlexDirection,
    FlexWrap,
    Justify,
    AlignItems,
    Overflow,
    TextTransform,
    ObjectFit,
    WhiteSpace
);

fn number(value: &Value) -> Parsed<f32> {
    let n = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match n {
        Some(n) if n.is_finite() && n.abs() < 1e6 => Ok(n as f32),
        _ => Err(format!("expected a number, got {}", describe(value))),
    }
}

fn non_negative(value: &Value) -> Parsed<f32> {
    let n = number(value)?;
    if n < 0.0 {
        return Err(format!("expected a number ≥ 0, got {n}"));
    }
    Ok(n)
}

fn integer(value: &Value, min: i64, max: i64) -> Parsed<i64> {
    match value.as_i64() {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "expected an integer in {min}..={max}, got {}",
            describe(value)
        )),
    }
}

/// Largest absolute length accepted, px: far beyond any canvas, small enough
/// that layout arithmetic stays finite.
const MAX_PX: f32 = 100_000.0;

fn length_token(token: &str) -> Option<Length> {
    let t = token.trim();
    if t == "auto" {
        return Some(Length::Auto);
    }
    let (num, unit) = split_unit(t);
    let v: f32 = num.parse().ok()?;
    if !v.is_finite() || v.abs() > MAX_PX {
        return None;
    }
    match unit {
        "" | "px" => Some(Length::Px(v)),
        "%" => Some(Length::Percent(v)),
        "rem" | "em" => Some(Length::Px(v * 16.0)),
        _ => None,
    }
}

fn split_unit(t: &str) -> (&str, &str) {
    let idx = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(t.len());
    t.split_at(idx)
}

fn length(value: &Value) -> Parsed<Length> {
    match value {
        Value::Number(_) => number(value).and_then(|v| {
            if v.abs() > MAX_PX {
                Err(format!("length {v} is out of range (±{MAX_PX})"))
            } else {
                Ok(Length::Px(v))
            }
        }),
        Value::String(s) => {
            length_token(s).ok_or_else(|| format!("expected a length, got \"{s}\""))
        }
        _ => Err(format!("expected a length, got {}", describe(value))),
    }
}

fn px(value: &Value) -> Parsed<f32> {
    match length(value)? {
        Length::Px(v) if v >= 0.0 => Ok(v),
        _ => Err(format!(
            "expected a length in px ≥ 0, got {}",
            describe(value)
        )),
    }
}

fn lengths(value: &Value, min: usize, max: usize) -> Parsed<Vec<Length>> {
    let out: Vec<Length> = match value {
        Value::Number(_) => vec![length(value)?],
        Value::String(s) => s
            .split_whitespace()
            .map(|t| length_token(t).ok_or_else(|| format!("expected a length, got \"{t}\"")))
            .collect::<Parsed<_>>()?,
        _ => return Err(format!("expected a length, got {}", describe(value))),
    };
    if out.len() < min || out.len() > max {
        return Err(format!(
            "expected {min} to {max} lengths, got {}",
            out.len()
        ));
    }
    Ok(out)
}

/// CSS 1–4 value shorthand, expanded to top, right, bottom, left.
fn four(value: &Value) -> Parsed<[Length; 4]> {
    let v = lengths(value, 1, 4)?;
    Ok(match v.as_slice() {
        [a] => [*a; 4],
        [a, b] => [*a, *b, *a, *b],
        [a, b, c] => [*a, *b, *c, *b],
        [a, b, c, d] => [*a, *b, *c, *d],
        _ => [Length::Px(0.0); 4],
    })
}

fn set_sides(sides: &mut Sides<Option<Length>>, v: [Length; 4]) {
    sides.top = Some(v[0]);
    sides.right = Some(v[1]);
    sides.bottom = Some(v[2]);
    sides.left = Some(v[3]);
}

fn flex_shorthand(value: &Value) -> Parsed<(f32, f32, Length)> {
    if let Value::Number(_) = value {
        return Ok((non_negative(value)?, 1.0, Length::Px(0.0)));
    }
    let s = string(value)?;
    match s.trim() {
        "none" => return Ok((0.0, 0.0, Length::Auto)),
        "auto" => return Ok((1.0, 1.0, Length::Auto)),
        _ => {}
    }
    let parts: Vec<&str> = s.split_whitespace().collect();
    let num = |t: &str| t.parse::<f32>().ok().filter(|v| v.is_finite() && *v >= 0.0);
    let bad = || format!("expected \"<grow> [<shrink>] [<basis>]\", got \"{s}\"");
    match parts.as_slice() {
        [g] => Ok((num(g).ok_or_else(bad)?, 1.0, Length::Px(0.0))),
        [g, x] => match num(x) {
            Some(sh) => Ok((num(g).ok_or_else(bad)?, sh, Length::Px(0.0))),
            None => Ok((
                num(g).ok_or_else(bad)?,
                1.0,
                length_token(x).ok_or_else(bad)?,
            )),
        },
        [g, sh, b] => Ok((
            num(g).ok_or_else(bad)?,
            num(sh).ok_or_else(bad)?,
            length_token(b).ok_or_else(bad)?,
        )),
        _ => Err(bad()),
    }
}

fn aspect_ratio(value: &Value) -> Parsed<f32> {
    let r = match value {
        Value::String(s) if s.contains('/') => {
            let mut it = s.split('/').map(|p| p.trim().parse::<f32>().ok());
            match (it.next().flatten(), it.next().flatten()) {
                (Some(a), Some(b)) if b > 0.0 => a / b,
                _ => return Err(format!("expected \"w / h\", got \"{s}\"")),
            }
        }
        _ => number(value)?,
    };
    if r > 0.0 && r.is_finite() {
        Ok(r)
    } else {
        Err(format!(
            "expected a positive ratio, got {}",
            describe(value)
        ))
    }
}

/// Parse a CSS colour string (hex, rgb(), hsl(), named, transparent, …).
pub fn color_str(s: &str) -> Parsed<Rgba> {
    let c =
        csscolorparser::parse(s.trim()).map_err(|_| format!("expected a colour, got \"{s}\""))?;
    let [r, g, b, a] = c.to_rgba8();
    Ok(Rgba::new(r, g, b, a))
}

fn color(value: &Value) -> Parsed<Rgba> {
    color_str(string(value)?)
}

/// Split at commas that are not inside parentheses.
fn split_top_level(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if c == sep && depth == 0 => {
                parts.push(s[start..i].trim());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(s[start..].trim());
    parts
}

/// Split at whitespace that is not inside parentheses.
fn split_words(s: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let (mut depth, mut start) = (0i32, None::<usize>);
    for (i, c) in s.char_indices() {
        match c {
            '(' => {
                depth += 1;
                start.get_or_insert(i);
            }
            ')' => depth -= 1,
            c if c.is_whitespace() && depth == 0 => {
                if let Some(st) = start.take() {
                    words.push(&s[st..i]);
                }
            }
            _ => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(st) = start {
        words.push(&s[st..]);
    }
    words
}

fn gradient(s: &str) -> Parsed<Gradient> {
    let s = s.trim();
    let inner = |prefix: &str| {
        s.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(')'))
            .ok_or_else(|| format!("expected {prefix}…), got \"{s}\""))
    };
    if s.starts_with("linear-gradient(") {
        let args = split_top_level(inner("linear-gradient(")?, ',');
        let (angle, first_stop) = match args.first().map(|a| linear_angle(a)) {
            Some(Some(a)) => (a, 1),
            _ => (180.0, 0),
        };
        Ok(Gradient::Linear {
            angle,
            stops: color_stops(&args[first_stop..])?,
        })
    } else if s.starts_with("radial-gradient(") {
        let args = split_top_level(inner("radial-gradient(")?, ',');
        let mut circle = false;
        let mut center = (0.5, 0.5);
        let mut first_stop = 0;
        if let Some(first) = args.first() {
            let words: Vec<&str> = first.split_whitespace().collect();
            let shape_like = words.first().is_some_and(|w| {
                matches!(
                    *w,
                    "circle"
                        | "ellipse"
                        | "at"
                        | "closest-side"
                        | "farthest-corner"
                        | "closest-corner"
                        | "farthest-side"
                )
            });
            if shape_like {
                first_stop = 1;
                circle = words.contains(&"circle");
                if let Some(at) = words.iter().position(|w| *w == "at") {
                    let pos = words[at + 1..].join(" ");
                    let (x, y) = position_pair(&Value::String(pos))?;
                    let frac = |l: Length| match l {
                        Length::Percent(p) => p / 100.0,
                        _ => 0.5,
                    };
                    center = (frac(x), frac(y));
                }
            }
        }
        Ok(Gradient::Radial {
            circle,
            center,
            stops: color_stops(&args[first_stop..])?,
        })
    } else {
        Err(format!(
            "expected linear-gradient(…) or radial-gradient(…), got \"{s}\""
        ))
    }
}

fn linear_angle(arg: &str) -> Option<f32> {
    let a = arg.trim();
    if let Some(dirs) = a.strip_prefix("to ") {
        let (mut x, mut y) = (0.0f32, 0.0f32);
        for d in dirs.split_whitespace() {
            match d {
                "top" => y = -1.0,
                "bottom" => y = 1.0,
                "left" => x = -1.0,
                "right" => x = 1.0,
                _ => return None,
            }
        }
        // CSS angles: 0deg points up, clockwise. Corners use 45° steps, a
        // simplification of CSS's box-aspect-dependent corner angle.
        return Some(x.atan2(-y).to_degrees().rem_euclid(360.0));
    }
    let (num, unit) = split_unit(a);
    let v: f32 = num.parse().ok()?;
    match unit {
        "deg" => Some(v),
        "turn" => Some(v * 360.0),
        "rad" => Some(v.to_degrees()),
        _ => None,
    }
}

fn color_stops(args: &[&str]) -> Parsed<Vec<ColorStop>> {
    if args.len() < 2 {
        return Err("a gradient needs at least two colour stops".into());
    }
    if args.len() > 32 {
        return Err("a gradient may have at most 32 colour stops".into());
    }
    let mut stops: Vec<(Rgba, Option<f32>)> = Vec::with_capacity(args.len());
    for arg in args {
        let words = split_words(arg);
        let color = color_str(words.first().copied().unwrap_or(""))?;
        let pos = match words.get(1) {
            Some(w) => match length_token(w) {
                Some(Length::Percent(p)) => Some(p / 100.0),
                _ => return Err(format!("expected a stop position in %, got \"{w}\"")),
            },
            None => None,
        };
        stops.push((color, pos));
    }
    // CSS: missing first/last positions are 0 and 1; gaps are spread evenly;
    // positions never go backwards.
    let n = stops.len();
    if stops[0].1.is_none() {
        stops[0].1 = Some(0.0);
    }
    if stops[n - 1].1.is_none() {
        stops[n - 1].1 = Some(1.0);
    }
    let mut i = 0;
    while i < n {
        if stops[i].1.is_none() {
            let start = i - 1;
            let mut end = i;
            while stops[end].1.is_none() {
                end += 1;
            }
            let (a, b) = (stops[start].1.unwrap_or(0.0), stops[end].1.unwrap_or(1.0));
            for (k, stop) in stops.iter_mut().enumerate().take(end).skip(i) {
                stop.1 = Some(a + (b - a) * (k - start) as f32 / (end - start) as f32);
            }
            i = end;
        }
        i += 1;
    }
    let mut last = 0.0f32;
    Ok(stops
        .into_iter()
        .map(|(color, pos)| {
            last = pos.unwrap_or(last).max(last);
            ColorStop {
                offset: last,
                color,
            }
        })
        .collect())
}

fn border(value: &Value) -> Parsed<(f32, Rgba)> {
    if let Value::Number(_) = value {
        return Ok((px(value)?, Rgba::BLACK));
    }
    let s = string(value)?;
    if s.trim() == "none" {
        return Ok((0.0, Rgba::TRANSPARENT));
    }
    let (mut width, mut color) = (None, None);
    for word in split_words(s) {
        match word {
            "solid" => {}
            "none" | "dashed" | "dotted" | "double" => {
                return Err(format!("border style `{word}` is not supported; use solid"))
            }
            w => match length_token(w) {
                Some(Length::Px(v)) if v >= 0.0 => width = Some(v),
                _ => color = Some(color_str(w)?),
            },
        }
    }
    Ok((width.unwrap_or(1.0), color.unwrap_or(Rgba::BLACK)))
}

fn box_shadow(value: &Value) -> Parsed<Vec<Shadow>> {
    let s = string(value)?;
    if s.trim() == "none" {
        return Ok(Vec::new());
    }
    let layers = split_top_level(s, ',');
    if layers.len() > 8 {
        return Err("at most 8 shadows per element".into());
    }
    layers
        .into_iter()
        .map(|layer| {
            let mut nums = Vec::new();
            let mut color = Rgba::new(0, 0, 0, 64);
            for word in split_words(layer) {
                if word == "inset" {
                    return Err("inset shadows are not supported".to_string());
                }
                match length_token(word) {
                    Some(Length::Px(v)) => nums.push(v),
                    _ => color = color_str(word)?,
                }
            }
            if nums.len() < 2 || nums.len() > 4 {
                return Err(format!(
                    "expected \"<x> <y> [<blur> [<spread>]] <colour>\", got \"{layer}\""
                ));
            }
            Ok(Shadow {
                x: nums[0],
                y: nums[1],
                blur: nums.get(2).copied().unwrap_or(0.0).clamp(0.0, 200.0),
                spread: nums.get(3).copied().unwrap_or(0.0),
                color,
            })
        })
        .collect()
}

fn font_family(value: &Value) -> Parsed<Vec<String>> {
    let s = string(value)?;
    let families: Vec<String> = s
        .split(',')
        .map(|f| f.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        .filter(|f| !f.is_empty())
        .collect();
    if families.is_empty() {
        return Err("expected at least one font family".into());
    }
    Ok(families)
}

fn font_size(value: &Value) -> Parsed<f32> {
    let v = match value {
        Value::String(s) => {
            let (num, unit) = split_unit(s.trim());
            let n: f32 = num
                .parse()
                .map_err(|_| format!("expected a font size, got \"{s}\""))?;
            match unit {
                "" | "px" => n,
                "em" | "rem" => n * 16.0,
                "pt" => n * 4.0 / 3.0,
                _ => return Err(format!("expected a font size in px or em, got \"{s}\"")),
            }
        }
        _ => number(value)?,
    };
    if !(1.0..=2000.0).contains(&v) {
        return Err(format!("font size must be in 1..=2000 px, got {v}"));
    }
    Ok(v)
}

fn font_weight(value: &Value) -> Parsed<u16> {
    match value {
        Value::String(s) if s == "normal" => Ok(400),
        Value::String(s) if s == "bold" => Ok(700),
        _ => {
            let w = number(value)?;
            if (1.0..=1000.0).contains(&w) {
                Ok(w.round() as u16)
            } else {
                Err(format!("expected a weight in 1..=1000, got {w}"))
            }
        }
    }
}

fn line_height(value: &Value) -> Parsed<LineHeight> {
    match value {
        Value::Number(_) => Ok(LineHeight::Factor(non_negative(value)?.min(100.0))),
        Value::String(s) if s == "normal" => Ok(LineHeight::Normal),
        Value::String(s) => match s.trim().parse::<f32>() {
            Ok(f) if f.is_finite() && f >= 0.0 => Ok(LineHeight::Factor(f.min(100.0))),
            _ => match length_token(s) {
                Some(Length::Px(v)) if v >= 0.0 => Ok(LineHeight::Px(v)),
                Some(Length::Percent(p)) if p >= 0.0 => Ok(LineHeight::Factor(p / 100.0)),
                _ => Err(format!("expected a line height, got \"{s}\"")),
            },
        },
        _ => Err(format!("expected a line height, got {}", describe(value))),
    }
}

fn letter_spacing(value: &Value) -> Parsed<LetterSpacing> {
    match value {
        Value::String(s) if s.trim().ends_with("em") && !s.trim().ends_with("rem") => {
            let n = s.trim().trim_end_matches("em");
            n.parse::<f32>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= 10.0)
                .map(LetterSpacing::Em)
                .ok_or_else(|| format!("expected a letter spacing, got \"{s}\""))
        }
        Value::String(s) if s == "normal" => Ok(LetterSpacing::Px(0.0)),
        _ => match length(value)? {
            Length::Px(v) if v.abs() <= 1000.0 => Ok(LetterSpacing::Px(v)),
            _ => Err(format!(
                "expected a letter spacing in px or em, got {}",
                describe(value)
            )),
        },
    }
}

fn text_align(value: &Value) -> Parsed<Align> {
    Ok(match string(value)? {
        "start" => Align::Start,
        "end" => Align::End,
        "left" => Align::Left,
        "right" => Align::Right,
        "center" => Align::Center,
        "justify" => Align::Justify,
        other => {
            return Err(format!(
                "expected one of start, end, left, right, center, justify, got \"{other}\""
            ))
        }
    })
}

fn fit_text(value: &Value) -> Parsed<FitText> {
    let obj = value.as_object().ok_or_else(|| {
        format!(
            "expected {{ \"min\": px, \"max\": px }}, got {}",
            describe(value)
        )
    })?;
    let mut min = None;
    let mut max = None;
    for (k, v) in obj {
        match k.as_str() {
            "min" => min = Some(font_size(v)?),
            "max" => max = Some(font_size(v)?),
            other => {
                return Err(format!(
                    "unknown fitText field `{other}`; expected min and max"
                ))
            }
        }
    }
    match (min, max) {
        (Some(min), Some(max)) if min <= max => Ok(FitText { min, max }),
        (Some(_), Some(_)) => Err("fitText.min must not exceed fitText.max".into()),
        _ => Err("fitText needs both min and max".into()),
    }
}

/// `objectPosition` / `at` positions: keywords, lengths or percentages.
fn position_pair(value: &Value) -> Parsed<(Length, Length)> {
    let s = string(value)?;
    let words: Vec<&str> = s.split_whitespace().collect();
    let horizontal = |w: &str| match w {
        "left" => Some(Length::Percent(0.0)),
        "center" => Some(Length::Percent(50.0)),
        "right" => Some(Length::Percent(100.0)),
        _ => length_token(w),
    };
    let vertical = |w: &str| match w {
        "top" => Some(Length::Percent(0.0)),
        "center" => Some(Length::Percent(50.0)),
        "bottom" => Some(Length::Percent(100.0)),
        _ => length_token(w),
    };
    let bad = || format!("expected a position such as \"50% 30%\" or \"center top\", got \"{s}\"");
    match words.as_slice() {
        [w] if matches!(*w, "top" | "bottom") => {
            Ok((Length::Percent(50.0), vertical(w).ok_or_else(bad)?))
        }
        [w] => Ok((horizontal(w).ok_or_else(bad)?, Length::Percent(50.0))),
        [a, b] if matches!(*a, "top" | "bottom") || matches!(*b, "left" | "right") => {
            Ok((horizontal(b).ok_or_else(bad)?, vertical(a).ok_or_else(bad)?))
        }
        [a, b] => Ok((horizontal(a).ok_or_else(bad)?, vertical(b).ok_or_else(bad)?)),
        _ => Err(bad()),
    }
}

/// A style with every property resolved: inherited ones from the parent,
/// the rest from CSS initial values.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[allow(missing_docs)] // one field per CSS property of the same name
pub struct ComputedStyle {
    pub display: Display,
    pub position: Position,
    pub flex_direction: FlexDirection,
    pub flex_wrap: FlexWrap,
    pub justify_content: Justify,
    pub align_content: Justify,
    pub align_items: AlignItems,
    pub align_self: AlignItems,
    pub flex_grow: f32,
    pub flex_shrink: f32,
    pub flex_basis: Length,
    pub row_gap: Length,
    pub column_gap: Length,
    pub width: Length,
    pub height: Length,
    pub min_width: Length,
    pub min_height: Length,
    pub max_width: Length,
    pub max_height: Length,
    pub aspect_ratio: Option<f32>,
    pub padding: Sides<Length>,
    pub margin: Sides<Length>,
    pub inset: Sides<Length>,
    pub z_index: i32,
    pub overflow: Overflow,
    pub background_color: Rgba,
    pub background_image: Option<Gradient>,
    pub border_width: f32,
    pub border_color: Rgba,
    pub border_radius: [Length; 4],
    pub box_shadow: Vec<Shadow>,
    pub opacity: f32,
    // Inherited:
    pub color: Rgba,
    pub font_family: Vec<String>,
    pub font_size: f32,
    pub font_weight: u16,
    pub italic: bool,
    pub line_height: LineHeight,
    pub letter_spacing: LetterSpacing,
    pub text_align: Align,
    pub text_transform: TextTransform,
    pub direction: Direction,
    pub white_space: WhiteSpace,
    // Not inherited text properties:
    pub line_clamp: Option<u32>,
    pub ellipsis: bool,
    pub fit_text: Option<FitText>,
    pub object_fit: ObjectFit,
    pub object_position: (Length, Length),
}

impl Default for ComputedStyle {
    fn default() -> Self {
        let zero = Length::Px(0.0);
        ComputedStyle {
            display: Display::Flex,
            position: Position::Relative,
            flex_direction: FlexDirection::Row,
            flex_wrap: FlexWrap::NoWrap,
            justify_content: Justify::FlexStart,
            align_content: Justify::Stretch,
            align_items: AlignItems::Stretch,
            align_self: AlignItems::Auto,
            flex_grow: 0.0,
            flex_shrink: 1.0,
            flex_basis: Length::Auto,
            row_gap: zero,
            column_gap: zero,
            width: Length::Auto,
            height: Length::Auto,
            min_width: Length::Auto,
            min_height: Length::Auto,
            max_width: Length::Auto,
            max_height: Length::Auto,
            aspect_ratio: None,
            padding: Sides {
                top: zero,
                right: zero,
                bottom: zero,
                left: zero,
            },
            margin: Sides {
                top: zero,
                right: zero,
                bottom: zero,
                left: zero,
            },
            inset: Sides::default(),
            z_index: 0,
            overflow: Overflow::Visible,
            background_color: Rgba::TRANSPARENT,
            background_image: None,
            border_width: 0.0,
            border_color: Rgba::BLACK,
            border_radius: [zero; 4],
            box_shadow: Vec::new(),
            opacity: 1.0,
            color: Rgba::BLACK,
            font_family: Vec::new(),
            font_size: 16.0,
            font_weight: 400,
            italic: false,
            line_height: LineHeight::Normal,
            letter_spacing: LetterSpacing::Px(0.0),
            text_align: Align::Start,
            text_transform: TextTransform::None,
            direction: Direction::Auto,
            white_space: WhiteSpace::Normal,
            line_clamp: None,
            ellipsis: false,
            fit_text: None,
            object_fit: ObjectFit::Fill,
            object_position: (Length::Percent(50.0), Length::Percent(50.0)),
        }
    }
}

impl ComputedStyle {
    /// The style of a child with declaration `decl` under this (parent) style.
    pub fn cascade(&self, decl: &StyleDecl) -> ComputedStyle {
        let initial = ComputedStyle::default();
        let pick = |d: Option<Length>, init: Length| d.unwrap_or(init);
        let sides = |d: &Sides<Option<Length>>, init: &Sides<Length>| Sides {
            top: pick(d.top, init.top),
            right: pick(d.right, init.right),
            bottom: pick(d.bottom, init.bottom),
            left: pick(d.left, init.left),
        };
        ComputedStyle {
            display: decl.display.unwrap_or(initial.display),
            position: decl.position.unwrap_or(initial.position),
            // `display: block` lays out as a column, as satori does.
            flex_direction: decl.flex_direction.unwrap_or(
                if decl.display == Some(Display::Block) {
                    FlexDirection::Column
                } else {
                    initial.flex_direction
                },
            ),
            flex_wrap: decl.flex_wrap.unwrap_or(initial.flex_wrap),
            justify_content: decl.justify_content.unwrap_or(initial.justify_content),
            align_content: decl.align_content.unwrap_or(initial.align_content),
            align_items: decl.align_items.unwrap_or(initial.align_items),
            align_self: decl.align_self.unwrap_or(initial.align_self),
            flex_grow: decl.flex_grow.unwrap_or(initial.flex_grow),
            flex_shrink: decl.flex_shrink.unwrap_or(initial.flex_shrink),
            flex_basis: pick(decl.flex_basis, initial.flex_basis),
            row_gap: pick(decl.row_gap, initial.row_gap),
            column_gap: pick(decl.column_gap, initial.column_gap),
            width: pick(decl.width, initial.width),
            height: pick(decl.height, initial.height),
            min_width: pick(decl.min_width, initial.min_width),
            min_height: pick(decl.min_height, initial.min_height),
            max_width: pick(decl.max_width, initial.max_width),
            max_height: pick(decl.max_height, initial.max_height),
            aspect_ratio: decl.aspect_ratio,
            padding: sides(&decl.padding, &initial.padding),
            margin: sides(&decl.margin, &initial.margin),
            inset: sides(&decl.inset, &initial.inset),
            z_index: decl.z_index.unwrap_or(0),
            overflow: decl.overflow.unwrap_or(initial.overflow),
            background_color: decl.background_color.unwrap_or(initial.background_color),
            background_image: decl.background_image.clone(),
            border_width: decl.border_width.unwrap_or(0.0),
            border_color: decl.border_color.unwrap_or(self.color),
            border_radius: decl.border_radius.unwrap_or(initial.border_radius),
            box_shadow: decl.box_shadow.clone().unwrap_or_default(),
            opacity: decl.opacity.unwrap_or(1.0),
            color: decl.color.unwrap_or(self.color),
            font_family: decl
                .font_family
                .clone()
                .unwrap_or_else(|| self.font_family.clone()),
            font_size: decl.font_size.unwrap_or(self.font_size),
            font_weight: decl.font_weight.unwrap_or(self.font_weight),
            italic: decl.italic.unwrap_or(self.italic),
            line_height: decl.line_height.unwrap_or(self.line_height),
            letter_spacing: decl.letter_spacing.unwrap_or(self.letter_spacing),
            text_align: decl.text_align.unwrap_or(self.text_align),
            text_transform: decl.text_transform.unwrap_or(self.text_transform),
            direction: decl.direction.unwrap_or(self.direction),
            white_space: decl.white_space.unwrap_or(self.white_space),
            line_clamp: decl.line_clamp,
            ellipsis: decl.ellipsis.unwrap_or(false),
            fit_text: decl.fit_text,
            object_fit: decl.object_fit.unwrap_or(initial.object_fit),
            object_position: decl.object_position.unwrap_or(initial.object_position),
        }
    }

    /// Line height in px at font size `size`.
    pub fn line_height_px(&self, size: f32) -> f32 {
        match self.line_height {
            LineHeight::Normal => size * 1.2,
            LineHeight::Factor(f) => size * f,
            // A fixed line height scales with fitted text so fitting stays proportional.
            LineHeight::Px(px) => px * size / self.font_size.max(1.0),
        }
    }

    /// Letter spacing in px at font size `size`.
    pub fn letter_spacing_px(&self, size: f32) -> f32 {
        match self.letter_spacing {
            LetterSpacing::Px(px) => px,
            LetterSpacing::Em(em) => em * size,
        }
    }
}

impl StyleDecl {
    /// Overlay `other` on `self`: every property `other` sets wins.
    pub fn merge(&mut self, other: &StyleDecl) {
        macro_rules! take {
            ($($f:ident),*) => {$( if other.$f.is_some() { self.$f = other.$f.clone(); } )*};
        }
        take!(
            display,
            position,
            flex_direction,
            flex_wrap,
            justify_content,
            align_content,
            align_items,
            align_self,
            flex_grow,
            flex_shrink,
            flex_basis,
            row_gap,
            column_gap,
            width,
            height,
            min_width,
            min_height,
            max_width,
            max_height,
            aspect_ratio,
            z_index,
            overflow,
            background_color,
            background_image,
            border_width,
            border_color,
            border_radius,
            box_shadow,
            opacity,
            color,
            font_family,
            font_size,
            font_weight,
            italic,
            line_height,
            letter_spacing,
            text_align,
            text_transform,
            direction,
            white_space,
            line_clamp,
            ellipsis,
            fit_text,
            object_fit,
            object_position
        );
        for (mine, theirs) in [
            (&mut self.padding, &other.padding),
            (&mut self.margin, &other.margin),
            (&mut self.inset, &other.inset),
        ] {
            for (m, t) in [
                (&mut mine.top, theirs.top),
                (&mut mine.right, theirs.right),
                (&mut mine.bottom, theirs.bottom),
                (&mut mine.left, theirs.left),
            ] {
                if t.is_some() {
                    *m = t;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<StyleDecl> {
        let map = v.as_object().cloned().unwrap_or_default();
        parse_style(&map, "root.props.style", &mut Vec::new())
    }

    #[test]
    fn lengths_and_shorthands() {
        let d =
            parse(json!({"width": "50%", "height": 120, "padding": "8px 16px", "margin": "auto"}))
                .unwrap();
        assert_eq!(d.width, Some(Length::Percent(50.0)));
        assert_eq!(d.height, Some(Length::Px(120.0)));
        assert_eq!(d.padding.left, Some(Length::Px(16.0)));
        assert_eq!(d.padding.bottom, Some(Length::Px(8.0)));
        assert_eq!(d.margin.right, Some(Length::Auto));
    }

    #[test]
    fn errors_name_the_path() {
        let e = parse(json!({"width": "wide"})).unwrap_err().to_string();
        assert_eq!(e, "root.props.style.width: expected a length, got \"wide\"");
        let e = parse(json!({"colour": "red"})).unwrap_err().to_string();
        assert!(e.contains("unknown style property `colour`"), "{e}");
        let e = parse(json!({"justifyContent": "middle"}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected one of flex-start"), "{e}");
    }

    #[test]
    fn gradients_and_shadows() {
        let d = parse(json!({
            "backgroundImage": "linear-gradient(to right, #ff0000, rgba(0,0,255,0.5) 80%, #fff)",
            "boxShadow": "0 4px 12px rgba(0,0,0,0.25), 1px 1px red"
        }))
        .unwrap();
        match d.background_image {
            Some(Gradient::Linear { angle, ref stops }) => {
                assert!((angle - 90.0).abs() < 1e-3);
                assert_eq!(stops.len(), 3);
                assert!((stops[1].offset - 0.8).abs() < 1e-6);
                assert_eq!(stops[1].color, Rgba::new(0, 0, 255, 128));
            }
            ref other => panic!("{other:?}"),
        }
        let shadows = d.box_shadow.unwrap();
        assert_eq!(shadows.len(), 2);
        assert_eq!(shadows[0].blur, 12.0);
        assert_eq!(shadows[1].color, Rgba::new(255, 0, 0, 255));
    }

    #[test]
    fn radial_gradient_position() {
        let d = parse(json!({"backgroundImage": "radial-gradient(circle at 25% 75%, #fff, #000)"}))
            .unwrap();
        assert!(
            matches!(d.background_image, Some(Gradient::Radial { circle: true, center, .. }) if center == (0.25, 0.75))
        );
    }

    #[test]
    fn inheritance() {
        let parent = ComputedStyle::default()
            .cascade(&parse(json!({"color": "#fff", "fontSize": 20, "padding": 10})).unwrap());
        let child = parent.cascade(&StyleDecl::default());
        assert_eq!(child.color, Rgba::WHITE);
        assert_eq!(child.font_size, 20.0);
        assert_eq!(child.padding.top, Length::Px(0.0));
    }

    #[test]
    fn flex_shorthand_forms() {
        let d = parse(json!({"flex": 1})).unwrap();
        assert_eq!(
            (d.flex_grow, d.flex_shrink, d.flex_basis),
            (Some(1.0), Some(1.0), Some(Length::Px(0.0)))
        );
        let d = parse(json!({"flex": "2 0 100px"})).unwrap();
        assert_eq!(
            (d.flex_grow, d.flex_shrink, d.flex_basis),
            (Some(2.0), Some(0.0), Some(Length::Px(100.0)))
        );
    }
}
