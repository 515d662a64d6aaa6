//! Brand guardrails: the template's `guardrails` section and the [`Report`]
//! every plan and render returns.
//!
//! Checks run in two stages. A **plan** has only the resolved scene, so it
//! checks what needs no layout: required elements present, colours inside
//! the brand palette, the declared size of text that does not auto-fit. A
//! **render** has the layout and the pixels and runs everything: the same
//! checks on final sizes, plus text contrast over the pixels actually behind
//! the text, minimum logo size and clear space, safe zones, clipped,
//! overflowing and unfittable text.
//!
//! **Contrast, measured on pixels.** For each text element the glyph outlines
//! are filled into a coverage mask over its ink box. Pixels of the rendered
//! canvas inside the glyph boxes with zero coverage are the background the
//! text sits on (what a viewer sees around the letters); fully covered pixels
//! give the text colour as painted (opacity included; the style colour when
//! the glyphs are too thin to have any). Each background pixel (composited
//! over white where the canvas is transparent) yields a WCAG 2.1 contrast
//! ratio; the reported value is the 10th percentile — the worst part of the
//! background, robust to a few stray pixels — and is compared with `min`
//! (4.5) or, for large text (≥ 24 px, or ≥ 18.66 px and bold), `minLarge` (3).

use crate::draw::{Command, DisplayList, GlyphOutlines, Rect, Rgba};
use crate::error::{Error, Result};
use crate::layout::Layout;
use crate::scene::{Content, Scene};
use crate::style::{Display, Overflow};
use crate::text::FontBook;
use crate::theme::{contrast, delta_e2000, hex, lab_of, luminance};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// How serious a finding is.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Should be fixed; never fails a render unless `failOn` is `warning`.
    Warning,
    /// Breaks the brand rules; fails the render when `failOn` is `error`.
    #[default]
    Error,
}

/// Which findings fail a render (`Error::Guardrail`, so hosts serve the fallback).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum FailOn {
    /// Only report (default).
    #[default]
    Never,
    /// Fail on error-level findings.
    Error,
    /// Fail on warnings and errors.
    Warning,
}

fn sev_error() -> Severity {
    Severity::Error
}
fn sev_warning() -> Severity {
    Severity::Warning
}
fn yes() -> bool {
    true
}
fn contrast_min() -> f32 {
    4.5
}
fn contrast_min_large() -> f32 {
    3.0
}
fn palette_tolerance() -> f32 {
    10.0
}

/// `contrast`: minimum WCAG 2.1 contrast of text over its rendered background.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContrastRule {
    /// Minimum ratio for normal text. Default 4.5 (WCAG AA).
    #[serde(default = "contrast_min")]
    pub min: f32,
    /// Minimum ratio for large text (≥ 24 px, or ≥ 18.66 px bold). Default 3.
    #[serde(default = "contrast_min_large")]
    pub min_large: f32,
    /// Element ids not checked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt: Vec<String>,
    /// Default `error`.
    #[serde(default = "sev_error")]
    pub severity: Severity,
}

impl Default for ContrastRule {
    fn default() -> Self {
        ContrastRule {
            min: contrast_min(),
            min_large: contrast_min_large(),
            exempt: Vec::new(),
            severity: Severity::Error,
        }
    }
}

/// `textSize`: minimum font size in px, per size class and per element.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TextSizeRule {
    /// Minimum for every text element, px.
    pub min: f32,
    /// Minimum by size (`"728x90"`) or size class (`strip`: shorter side
    /// < 120 px; `social`: longer side ≥ 1000 px; `display`: the rest). An
    /// exact size wins over its class.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_size: BTreeMap<String, f32>,
    /// Minimum by element id (e.g. `{"legal": 9}`); wins over the others.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub elements: BTreeMap<String, f32>,
    /// Default `error`.
    #[serde(default = "sev_error")]
    pub severity: Severity,
}

/// `palette`: brand colours; every colour the creative paints must be
/// within `tolerance` (CIEDE2000) of one of them.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PaletteRule {
    /// Brand colours, CSS syntax (`#0f4c81`, `rgb(…)`, names).
    pub colors: Vec<String>,
    /// Largest ΔE2000 from the nearest brand colour. Default 10.
    #[serde(default = "palette_tolerance")]
    pub tolerance: f32,
    /// Greys, black and white (chroma < 6) always pass. Default true.
    #[serde(default = "yes")]
    pub allow_neutrals: bool,
    /// Element ids not checked (e.g. elements coloured from the product image).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt: Vec<String>,
    /// Default `warning`.
    #[serde(default = "sev_warning")]
    pub severity: Severity,
}

/// One element the creative must show.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RequiredRule {
    /// The element id (e.g. `logo`, `legal`).
    pub id: String,
    /// Smallest rendered width, px.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_width: Option<f32>,
    /// Smallest rendered height, px.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_height: Option<f32>,
    /// Free space around the element no other content may enter, px.
    /// Content is text, images and filled boxes holding text; a backdrop the
    /// element sits on (a box containing the whole clear-space zone, or an
    /// image covering ≥ 40 % of the canvas) does not count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear_space: Option<f32>,
    /// Sizes (`WxH`) or size classes where the element is not required
    /// (e.g. the legal line of a 320x50 strip lives on the landing page).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
    /// Default `error`.
    #[serde(default = "sev_error")]
    pub severity: Severity,
}

impl RequiredRule {
    /// Whether the rule applies at a canvas size.
    pub fn applies(&self, width: u32, height: u32) -> bool {
        let name = format!("{width}x{height}");
        let class = size_class(width, height);
        !self.except.iter().any(|e| *e == name || e == class)
    }
}

/// `safeZone`: a margin along the canvas edges that text and required
/// elements must stay out of (platform UI, rounded corners, cropping).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SafeZoneRule {
    /// Margin on every side, px.
    pub inset: f32,
    /// Margin by size or size class (see `textSize.bySize`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_size: BTreeMap<String, f32>,
    /// Element ids checked (default: every text element and every required element).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elements: Option<Vec<String>>,
    /// Default `error`.
    #[serde(default = "sev_error")]
    pub severity: Severity,
}

/// `overflow`: text that auto-fit could not fit, that was cut by a clamp,
/// that spills out of its box or is clipped by the canvas or an
/// `overflow: hidden` ancestor. On required elements these are errors.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OverflowRule {
    /// Default `warning` (required elements: always `error`).
    #[serde(default = "sev_warning")]
    pub severity: Severity,
    /// Report text shortened by `lineClamp`/ellipsis as `info`. Default true.
    #[serde(default = "yes")]
    pub report_truncation: bool,
}

impl Default for OverflowRule {
    fn default() -> Self {
        OverflowRule {
            severity: Severity::Warning,
            report_truncation: true,
        }
    }
}

/// The template's `guardrails` section. Without one, contrast and overflow
/// are still checked with their defaults and nothing fails.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GuardrailsDoc {
    /// `never` (default: only report), `error` or `warning`: findings at or
    /// above this level make `render` fail with a guardrail error, so hosts
    /// serve the fallback creative.
    #[serde(default)]
    pub fail_on: FailOn,
    /// Minimum text contrast (on by default).
    #[serde(default)]
    pub contrast: ContrastRule,
    /// Minimum text size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_size: Option<TextSizeRule>,
    /// Brand palette.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub palette: Option<PaletteRule>,
    /// Elements that must be present, with minimum size and clear space.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<RequiredRule>,
    /// Safe zone along the edges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_zone: Option<SafeZoneRule>,
    /// Overflow and fit (on by default).
    #[serde(default)]
    pub overflow: OverflowRule,
}

/// Guardrails validated against a template, ready to check.
#[derive(Clone, Debug, Default)]
pub struct Guardrails {
    /// The section as written.
    pub doc: GuardrailsDoc,
    /// The palette in CIELAB, with the hex spelling.
    palette: Vec<([f32; 3], String)>,
}

/// The size class of a canvas: `strip`, `social` or `display`.
pub fn size_class(width: u32, height: u32) -> &'static str {
    if width.min(height) < 120 {
        "strip"
    } else if width.max(height) >= 1000 {
        "social"
    } else {
        "display"
    }
}

fn by_size(map: &BTreeMap<String, f32>, width: u32, height: u32) -> Option<f32> {
    map.get(&format!("{width}x{height}"))
        .or_else(|| map.get(size_class(width, height)))
        .copied()
}

fn check_size_keys(map: &BTreeMap<String, f32>, path: &str) -> Result<()> {
    for (k, v) in map {
        let ok_key = matches!(k.as_str(), "strip" | "social" | "display")
            || k.split_once('x').is_some_and(|(w, h)| {
                w.parse::<u32>().is_ok_and(|w| w > 0) && h.parse::<u32>().is_ok_and(|h| h > 0)
            });
        if !ok_key {
            return Err(Error::invalid(
                format!("{path}.{k}"),
                "expected a size `WxH` or a size class: strip, display, social",
            ));
        }
        if !(v.is_finite() && *v >= 0.0) {
            return Err(Error::invalid(
                format!("{path}.{k}"),
                "expected a non-negative number",
            ));
        }
    }
    Ok(())
}

fn positive(v: f32, path: &str) -> Result<()> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(path, "expected a non-negative number"))
    }
}

impl Guardrails {
    /// Validate a `guardrails` section: element ids must exist (`has_id`),
    /// colours must parse, numbers must be sane. Errors name the JSON path.
    pub fn compile(doc: GuardrailsDoc, has_id: &dyn Fn(&str) -> bool) -> Result<Guardrails> {
        let check_ids = |ids: &[String], path: &str| -> Result<()> {
            for (i, id) in ids.iter().enumerate() {
                if !has_id(id) {
                    return Err(Error::invalid(
                        format!("{path}[{i}]"),
                        format!("no node has id `{id}`"),
                    ));
                }
            }
            Ok(())
        };
        let c = &doc.contrast;
        positive(c.min, "guardrails.contrast.min")?;
        positive(c.min_large, "guardrails.contrast.minLarge")?;
        check_ids(&c.exempt, "guardrails.contrast.exempt")?;
        if let Some(t) = &doc.text_size {
            positive(t.min, "guardrails.textSize.min")?;
            check_size_keys(&t.by_size, "guardrails.textSize.bySize")?;
            for (id, v) in &t.elements {
                let at = format!("guardrails.textSize.elements.{id}");
                if !has_id(id) {
                    return Err(Error::invalid(at, format!("no node has id `{id}`")));
                }
                positive(*v, &at)?;
            }
        }
        let mut palette = Vec::new();
        if let Some(p) = &doc.palette {
            if p.colors.is_empty() {
                return Err(Error::invalid(
                    "guardrails.palette.colors",
                    "list at least one brand colour",
                ));
            }
            positive(p.tolerance, "guardrails.palette.tolerance")?;
            check_ids(&p.exempt, "guardrails.palette.exempt")?;
            for (i, s) in p.colors.iter().enumerate() {
                let c = crate::style::color_str(s)
                    .map_err(|r| Error::invalid(format!("guardrails.palette.colors[{i}]"), r))?;
                let rgb = [c.r, c.g, c.b];
                palette.push((lab_of(rgb), hex(rgb)));
            }
        }
        for (i, r) in doc.required.iter().enumerate() {
            let at = format!("guardrails.required[{i}]");
            if !has_id(&r.id) {
                return Err(Error::invalid(
                    format!("{at}.id"),
                    format!("no node has id `{}`", r.id),
                ));
            }
            for (k, e) in r.except.iter().enumerate() {
                let ok = matches!(e.as_str(), "strip" | "social" | "display")
                    || crate::template::parse_size(e).is_ok();
                if !ok {
                    return Err(Error::invalid(
                        format!("{at}.except[{k}]"),
                        "expected a size `WxH` or a size class: strip, display, social",
                    ));
                }
            }
            for (v, name) in [
                (r.min_width, "minWidth"),
                (r.min_height, "minHeight"),
                (r.clear_space, "clearSpace"),
            ] {
                if let Some(v) = v {
                    positive(v, &format!("{at}.{name}"))?;
                }
            }
        }
        if let Some(s) = &doc.safe_zone {
            positive(s.inset, "guardrails.safeZone.inset")?;
            check_size_keys(&s.by_size, "guardrails.safeZone.bySize")?;
            if let Some(e) = &s.elements {
                check_ids(e, "guardrails.safeZone.elements")?;
            }
        }
        Ok(Guardrails { doc, palette })
    }

    /// Whether `report` must fail the render.
    pub fn fails(&self, report: &Report) -> bool {
        match self.doc.fail_on {
            FailOn::Never => false,
            FailOn::Error => report.errors > 0,
            FailOn::Warning => report.errors + report.warnings > 0,
        }
    }
}

/// A rectangle in canvas px, rounded to 0.1 px.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BoxRect {
    /// Left.
    pub x: f32,
    /// Top.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl From<Rect> for BoxRect {
    fn from(r: Rect) -> Self {
        let q = |v: f32| (v * 10.0).round() / 10.0;
        BoxRect {
            x: q(r.x),
            y: q(r.y),
            width: q(r.width),
            height: q(r.height),
        }
    }
}

/// One guardrail finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// Rule id: `contrast`, `textSize`, `palette`, `required`, `minSize`,
    /// `clearSpace`, `safeZone`, `fit`, `truncated`, `overflow`, `clipped`.
    pub rule: String,
    /// The element's id (`#<n>` for an element without one: scene node n).
    pub element: String,
    /// Its box (the ink box for text), when laid out.
    #[serde(rename = "box", default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BoxRect>,
    /// The measured value (contrast ratio, px, ΔE…), rounded to 0.01.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<f64>,
    /// The threshold it was compared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// A sentence for people.
    pub message: String,
}

/// The guardrail report of one plan or render.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// No error-level finding.
    pub passed: bool,
    /// True after a render (all checks); false after a plan (scene-only checks).
    pub complete: bool,
    /// Number of error findings.
    pub errors: u32,
    /// Number of warnings.
    pub warnings: u32,
    /// The checks that ran.
    pub checks: Vec<String>,
    /// Findings, most severe first, then in element order.
    pub findings: Vec<Finding>,
}

impl Report {
    fn finish(mut findings: Vec<Finding>, checks: Vec<&str>, complete: bool) -> Report {
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        let count = |s| findings.iter().filter(|f| f.severity == s).count() as u32;
        let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
        Report {
            passed: errors == 0,
            complete,
            errors,
            warnings,
            checks: checks.into_iter().map(str::to_string).collect(),
            findings,
        }
    }

    /// The first error as a one-line reason (for `Error::Guardrail`).
    pub fn summary(&self) -> String {
        match self.findings.first() {
            Some(f) => format!(
                "{} finding(s); first: {} on `{}`: {}",
                self.errors + self.warnings,
                f.rule,
                f.element,
                f.message
            ),
            None => "no findings".to_string(),
        }
    }
}

fn r2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn name_of(scene: &Scene, i: usize) -> String {
    scene.nodes[i].id.clone().unwrap_or_else(|| format!("#{i}"))
}

struct Ctx<'a> {
    scene: &'a Scene,
    rails: &'a Guardrails,
    /// Scene index by element id.
    ids: HashMap<&'a str, usize>,
    findings: Vec<Finding>,
}

impl Ctx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        severity: Severity,
        rule: &str,
        node: Option<usize>,
        element: Option<&str>,
        bbox: Option<Rect>,
        measured: Option<f64>,
        threshold: Option<f64>,
        message: String,
    ) {
        let element = element
            .map(str::to_string)
            .or_else(|| node.map(|i| name_of(self.scene, i)))
            .unwrap_or_default();
        self.findings.push(Finding {
            severity,
            rule: rule.to_string(),
            element,
            bbox: bbox.map(BoxRect::from),
            measured: measured.map(r2),
            threshold: threshold.map(r2),
            message,
        });
    }

    fn required(&self, i: usize) -> bool {
        self.scene.nodes[i].id.as_deref().is_some_and(|id| {
            self.rails
                .doc
                .required
                .iter()
                .any(|r| r.id == id && r.applies(self.scene.width, self.scene.height))
        })
    }

    fn text_min(&self, i: usize) -> Option<f32> {
        let t = self.rails.doc.text_size.as_ref()?;
        let id = self.scene.nodes[i].id.as_deref();
        id.and_then(|id| t.elements.get(id).copied())
            .or_else(|| by_size(&t.by_size, self.scene.width, self.scene.height))
            .or(Some(t.min))
    }
}

fn new_ctx<'a>(scene: &'a Scene, rails: &'a Guardrails) -> Ctx<'a> {
    let ids = scene
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.id.as_deref().map(|id| (id, i)))
        .collect();
    Ctx {
        scene,
        rails,
        ids,
        findings: Vec::new(),
    }
}

fn is_text(scene: &Scene, i: usize) -> bool {
    matches!(&scene.nodes[i].content, Content::Text(t) if !t.trim().is_empty())
}

/// Checks that need only the scene: required elements present, palette,
/// declared text size of text that does not auto-fit.
pub fn check_plan(scene: &Scene, rails: &Guardrails, loaded: &dyn Fn(&str) -> bool) -> Report {
    let mut cx = new_ctx(scene, rails);
    let mut checks = vec!["required"];
    required_present(&mut cx, None, loaded);
    if rails.doc.palette.is_some() {
        checks.push("palette");
        palette(&mut cx);
    }
    if rails.doc.text_size.is_some() {
        checks.push("textSize");
        for i in 0..scene.nodes.len() {
            let s = &scene.nodes[i].style;
            if !is_text(scene, i) || s.fit_text.is_some() {
                continue;
            }
            text_size(&mut cx, i, s.font_size, None);
        }
    }
    let findings = std::mem::take(&mut cx.findings);
    Report::finish(findings, checks, false)
}

fn text_size(cx: &mut Ctx, i: usize, size: f32, bbox: Option<Rect>) {
    let Some(min) = cx.text_min(i) else { return };
    if size + 0.01 < min {
        let sev = cx
            .rails
            .doc
            .text_size
            .as_ref()
            .map(|t| t.severity)
            .unwrap_or_default();
        cx.push(
            sev,
            "textSize",
            Some(i),
            None,
            bbox,
            Some(size.into()),
            Some(min.into()),
            format!("text is {size} px, smaller than the {min} px minimum"),
        );
    }
}

fn required_present(cx: &mut Ctx, layout: Option<&Layout>, loaded: &dyn Fn(&str) -> bool) {
    let rails = cx.rails;
    let (w, h) = (cx.scene.width, cx.scene.height);
    for r in rails.doc.required.iter().filter(|r| r.applies(w, h)) {
        let Some(&i) = cx.ids.get(r.id.as_str()) else {
            cx.push(
                r.severity,
                "required",
                None,
                Some(&r.id),
                None,
                None,
                None,
                format!("required element `{}` is hidden", r.id),
            );
            continue;
        };
        let node = &cx.scene.nodes[i];
        let missing = match &node.content {
            Content::Image(key) if !loaded(key) => Some(format!("its image `{key}` is not loaded")),
            Content::Text(t) if t.trim().is_empty() => Some("its text is empty".to_string()),
            _ if node.style.opacity <= 0.0 => Some("it is fully transparent".to_string()),
            _ => None,
        };
        let missing = missing.or_else(|| {
            let b = layout?.boxes.get(i)?;
            let (w, h) = (cx.scene.width as f32, cx.scene.height as f32);
            let visible = b.width > 0.5
                && b.height > 0.5
                && b.right() > 0.0
                && b.bottom() > 0.0
                && b.x < w
                && b.y < h;
            (!visible).then(|| "it has no visible area on the canvas".to_string())
        });
        if let Some(why) = missing {
            cx.push(
                r.severity,
                "required",
                Some(i),
                None,
                layout.and_then(|l| l.boxes.get(i).copied()),
                None,
                None,
                format!("required element `{}` is missing: {why}", r.id),
            );
        }
    }
}

fn palette(cx: &mut Ctx) {
    let Some(rule) = cx.rails.doc.palette.clone() else {
        return;
    };
    let brand = cx.rails.palette.clone();
    let mut seen: Vec<(usize, &str, Rgba)> = Vec::new();
    for i in 0..cx.scene.nodes.len() {
        let node = &cx.scene.nodes[i];
        if node
            .id
            .as_deref()
            .is_some_and(|id| rule.exempt.iter().any(|e| e == id))
        {
            continue;
        }
        let s = &node.style;
        let mut colours: Vec<(&str, Rgba)> = Vec::new();
        if is_text(cx.scene, i) {
            colours.push(("text", s.color));
        }
        if s.background_color.a > 0 {
            colours.push(("background", s.background_color));
        }
        if s.border_width > 0.0 && s.border_color.a > 0 {
            colours.push(("border", s.border_color));
        }
        if let Some(g) = &s.background_image {
            let stops = match g {
                crate::style::Gradient::Linear { stops, .. } => stops,
                crate::style::Gradient::Radial { stops, .. } => stops,
            };
            for st in stops {
                if st.color.a > 0 {
                    colours.push(("gradient", st.color));
                }
            }
        }
        for (what, c) in colours {
            if seen
                .iter()
                .any(|(n, w, k)| *n == i && *w == what && *k == c)
            {
                continue;
            }
            seen.push((i, what, c));
            let rgb = [c.r, c.g, c.b];
            let lab = lab_of(rgb);
            if rule.allow_neutrals && lab[1].hypot(lab[2]) < 6.0 {
                continue;
            }
            let nearest = brand
                .iter()
                .map(|(b, name)| (delta_e2000(lab, *b), name))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((d, name)) = nearest {
                if d > rule.tolerance {
                    cx.push(
                        rule.severity,
                        "palette",
                        Some(i),
                        None,
                        None,
                        Some(d.into()),
                        Some(rule.tolerance.into()),
                        format!(
                            "{what} colour {} is ΔE2000 {:.1} from the nearest brand colour {name}",
                            hex(rgb),
                            d
                        ),
                    );
                }
            }
        }
    }
}

/// What the render stage measured of one text element (shared with the score).
#[derive(Clone, Debug)]
pub struct TextMeasure {
    /// Scene node index.
    pub node: usize,
    /// Union of the glyph boxes, canvas px.
    pub ink: Rect,
    /// Font size used (after auto-fit), px.
    pub size: f32,
    /// Large text in the WCAG sense.
    pub large: bool,
    /// 10th-percentile contrast over the background pixels (None: none sampled).
    pub contrast: Option<f64>,
    /// Median contrast.
    pub contrast_median: Option<f64>,
    /// Characters shown.
    pub chars: usize,
}

/// Everything measured on a rendered creative.
#[derive(Clone, Debug, Default)]
pub struct Measures {
    /// Text elements.
    pub texts: Vec<TextMeasure>,
    /// Visible image areas: (scene node, visible rect on canvas, source rect in the image).
    pub images: Vec<(usize, Rect, Rect)>,
}

/// One glyph of a text element: its box, outline transform, font, id, colour.
type GlyphBox = (Rect, tiny_skia::Transform, crate::text::FontId, u16, Rgba);

fn glyph_boxes(fonts: &FontBook, layout: &Layout, scene: &Scene) -> HashMap<usize, Vec<GlyphBox>> {
    // From the text layouts (the display list's glyph runs carry no node index).
    let mut out: HashMap<usize, Vec<_>> = HashMap::new();
    for (&i, t) in &layout.texts {
        let content = layout.content[i];
        let mut v = Vec::new();
        for line in &t.lines {
            for run in &line.runs {
                let skew = if run.synthetic_italic { 0.2 } else { 0.0 };
                let alpha = scene.nodes[i].style.color.a;
                for g in &run.glyphs {
                    let Some(path) = fonts.outline(run.font, g.id) else {
                        continue;
                    };
                    let (x, y) = (g.x + content.x, g.y + content.y);
                    let ts = crate::raster::drawn_glyph_transform(t.size, skew, alpha, x, y);
                    let b = path.bounds();
                    let mut xs = [0f32; 4];
                    let mut ys = [0f32; 4];
                    for (k, (px, py)) in [
                        (b.left(), b.top()),
                        (b.right(), b.top()),
                        (b.left(), b.bottom()),
                        (b.right(), b.bottom()),
                    ]
                    .into_iter()
                    .enumerate()
                    {
                        xs[k] = ts.sx * px + ts.kx * py + ts.tx;
                        ys[k] = ts.ky * px + ts.sy * py + ts.ty;
                    }
                    let x0 = xs.iter().copied().fold(f32::INFINITY, f32::min);
                    let x1 = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    let y0 = ys.iter().copied().fold(f32::INFINITY, f32::min);
                    let y1 = ys.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    v.push((
                        Rect::new(x0, y0, x1 - x0, y1 - y0),
                        ts,
                        run.font,
                        g.id,
                        scene.nodes[i].style.color,
                    ));
                }
            }
        }
        out.insert(i, v);
    }
    out
}

fn union(a: Rect, b: Rect) -> Rect {
    let x0 = a.x.min(b.x);
    let y0 = a.y.min(b.y);
    let x1 = a.right().max(b.right());
    let y1 = a.bottom().max(b.bottom());
    Rect::new(x0, y0, x1 - x0, y1 - y0)
}

/// Measure text ink boxes, contrast over the rendered pixels, and image areas.
pub fn measure(
    scene: &Scene,
    layout: &Layout,
    list: &DisplayList,
    pixmap: &tiny_skia::Pixmap,
    fonts: &FontBook,
) -> Measures {
    let boxes = glyph_boxes(fonts, layout, scene);
    let (cw, ch) = (pixmap.width() as i32, pixmap.height() as i32);
    let pixels = pixmap.pixels();
    let mut texts = Vec::new();
    let mut order: Vec<usize> = boxes.keys().copied().collect();
    order.sort_unstable();
    for i in order {
        let glyphs = &boxes[&i];
        let Some(ink) = glyphs.iter().map(|g| g.0).reduce(union) else {
            continue;
        };
        let t = &layout.texts[&i];
        let style = &scene.nodes[i].style;
        let large = t.size >= 24.0 || (t.size >= 18.66 && style.font_weight >= 700);
        let chars = match &scene.nodes[i].content {
            Content::Text(s) => t
                .lines
                .iter()
                .map(|l| s.get(l.range.clone()).map_or(0, |x| x.chars().count()))
                .sum(),
            _ => 0,
        };
        // Coverage mask over the ink box (clamped to the canvas).
        let x0 = (ink.x.floor() as i32).clamp(0, cw);
        let y0 = (ink.y.floor() as i32).clamp(0, ch);
        let x1 = (ink.right().ceil() as i32).clamp(0, cw);
        let y1 = (ink.bottom().ceil() as i32).clamp(0, ch);
        let (mw, mh) = ((x1 - x0) as u32, (y1 - y0) as u32);
        let mut measured = (None, None);
        if let Some(mut mask) = tiny_skia::Mask::new(mw, mh) {
            for (_, ts, font, gid, _) in glyphs {
                if let Some(path) = fonts.outline(*font, *gid) {
                    let ts = ts.post_translate(-(x0 as f32), -(y0 as f32));
                    mask.fill_path(path, tiny_skia::FillRule::Winding, true, ts);
                }
            }
            let cov = mask.data();
            let at = |x: i32, y: i32| -> [f64; 4] {
                let p = pixels[(y * cw + x) as usize].demultiply();
                [
                    f64::from(p.red()),
                    f64::from(p.green()),
                    f64::from(p.blue()),
                    f64::from(p.alpha()) / 255.0,
                ]
            };
            // Over white where the canvas is transparent, as a page shows it.
            let flatten = |p: [f64; 4]| -> [u8; 3] {
                let f = |c: f64| (c * p[3] + 255.0 * (1.0 - p[3])).round().clamp(0.0, 255.0) as u8;
                [f(p[0]), f(p[1]), f(p[2])]
            };
            let mut ink_px: Vec<[u8; 3]> = Vec::new();
            let mut bg_lum: Vec<f64> = Vec::new();
            for (gb, ..) in glyphs {
                let gx0 = (gb.x.floor() as i32).max(x0);
                let gy0 = (gb.y.floor() as i32).max(y0);
                let gx1 = (gb.right().ceil() as i32).min(x1);
                let gy1 = (gb.bottom().ceil() as i32).min(y1);
                for y in gy0..gy1 {
                    for x in gx0..gx1 {
                        let c = cov[((y - y0) as u32 * mw + (x - x0) as u32) as usize];
                        if c == 0 {
                            bg_lum.push(luminance(flatten(at(x, y))));
                        } else if c == 255 {
                            ink_px.push(flatten(at(x, y)));
                        }
                    }
                }
            }
            let text_lum = if ink_px.len() >= 4 {
                let mut l: Vec<f64> = ink_px.iter().map(|p| luminance(*p)).collect();
                l.sort_by(f64::total_cmp);
                l[l.len() / 2]
            } else {
                let c = style.color;
                luminance([c.r, c.g, c.b])
            };
            if !bg_lum.is_empty() {
                let mut cs: Vec<f64> = bg_lum.iter().map(|b| contrast(text_lum, *b)).collect();
                cs.sort_by(f64::total_cmp);
                measured = (Some(cs[cs.len() / 10]), Some(cs[cs.len() / 2]));
            }
        }
        texts.push(TextMeasure {
            node: i,
            ink,
            size: t.size,
            large,
            contrast: measured.0,
            contrast_median: measured.1,
            chars,
        });
    }
    let mut images = Vec::new();
    // Image commands appear in node order; match them by key and clip box.
    let mut used = vec![false; list.commands.len()];
    for (i, node) in scene.nodes.iter().enumerate() {
        let Content::Image(key) = &node.content else {
            continue;
        };
        let content = layout.content[i];
        for (k, c) in list.commands.iter().enumerate() {
            if let Command::Image(d) = c {
                if !used[k] && &d.key == key && d.clip == content {
                    used[k] = true;
                    images.push((i, d.dest, d.source));
                    break;
                }
            }
        }
    }
    Measures { texts, images }
}

fn parents(scene: &Scene) -> Vec<Option<usize>> {
    let mut p = vec![None; scene.nodes.len()];
    for (i, n) in scene.nodes.iter().enumerate() {
        for &c in &n.children {
            p[c] = Some(i);
        }
    }
    p
}

fn gap(a: Rect, b: Rect) -> f32 {
    let dx = (b.x - a.right()).max(a.x - b.right()).max(0.0);
    let dy = (b.y - a.bottom()).max(a.y - b.bottom()).max(0.0);
    dx.max(dy)
}

/// All checks, on a rendered creative.
#[allow(clippy::too_many_arguments)]
pub fn check_render(
    scene: &Scene,
    layout: &Layout,
    measures: &Measures,
    rails: &Guardrails,
    loaded: &dyn Fn(&str) -> bool,
) -> Report {
    let mut cx = new_ctx(scene, rails);
    let mut checks = vec!["required", "contrast", "overflow"];
    required_present(&mut cx, Some(layout), loaded);
    if rails.doc.palette.is_some() {
        checks.push("palette");
        palette(&mut cx);
    }
    let parent = parents(scene);
    let (cw, ch) = (scene.width as f32, scene.height as f32);
    let doc = &rails.doc;
    if doc.text_size.is_some() {
        checks.push("textSize");
    }
    for m in &measures.texts {
        let i = m.node;
        let id = scene.nodes[i].id.as_deref();
        if doc.text_size.is_some() {
            text_size(&mut cx, i, m.size, Some(m.ink));
        }
        // Contrast.
        let exempt = id.is_some_and(|id| doc.contrast.exempt.iter().any(|e| e == id));
        if let (Some(c), false) = (m.contrast, exempt) {
            let min = if m.large {
                doc.contrast.min_large
            } else {
                doc.contrast.min
            };
            if c + 1e-9 < f64::from(min) {
                cx.push(
                    doc.contrast.severity,
                    "contrast",
                    Some(i),
                    None,
                    Some(m.ink),
                    Some(c),
                    Some(min.into()),
                    format!(
                        "text contrast {:.2} < {min} over its rendered background{}",
                        c,
                        if m.large { " (large text)" } else { "" }
                    ),
                );
            }
        }
        // Overflow family.
        let req = cx.required(i);
        let sev = if req {
            Severity::Error
        } else {
            doc.overflow.severity
        };
        let t = &layout.texts[&i];
        let content = layout.content[i];
        if let Some(f) = layout
            .fits
            .iter()
            .find(|f| id == Some(f.id.as_str()) && !f.fits)
        {
            cx.push(
                sev,
                "fit",
                Some(i),
                None,
                Some(m.ink),
                Some(f.font_size.into()),
                scene.nodes[i].style.fit_text.map(|f| f.min.into()),
                format!("auto-fit could not fit the text even at {} px", f.font_size),
            );
        }
        if t.truncated && (req || doc.overflow.report_truncation) {
            cx.push(
                if req { Severity::Error } else { Severity::Info },
                "truncated",
                Some(i),
                None,
                Some(m.ink),
                None,
                None,
                "text was shortened by the line clamp or box height".to_string(),
            );
        }
        if t.overflows || t.height > content.height + 1.0 {
            cx.push(
                sev,
                "overflow",
                Some(i),
                None,
                Some(m.ink),
                Some(t.height.into()),
                Some(content.height.into()),
                if t.overflows {
                    "a word is wider than the box".to_string()
                } else {
                    format!(
                        "text is {:.1} px tall in a {:.1} px box",
                        t.height, content.height
                    )
                },
            );
        }
        // Clipped by the canvas or an overflow:hidden ancestor.
        let mut clip = Rect::new(0.0, 0.0, cw, ch);
        let mut a = parent[i];
        while let Some(p) = a {
            if scene.nodes[p].style.overflow == Overflow::Hidden {
                let b = layout.boxes[p];
                let x0 = clip.x.max(b.x);
                let y0 = clip.y.max(b.y);
                clip = Rect::new(
                    x0,
                    y0,
                    (clip.right().min(b.right()) - x0).max(0.0),
                    (clip.bottom().min(b.bottom()) - y0).max(0.0),
                );
            }
            a = parent[p];
        }
        let out = (clip.x - m.ink.x)
            .max(clip.y - m.ink.y)
            .max(m.ink.right() - clip.right())
            .max(m.ink.bottom() - clip.bottom());
        if out > 1.0 {
            cx.push(
                sev,
                "clipped",
                Some(i),
                None,
                Some(m.ink),
                Some(out.into()),
                Some(0.0),
                format!("{out:.1} px of the text is cut off"),
            );
        }
    }
    // Required: minimum size and clear space. Content that may intrude:
    // text, images that are not backdrops, filled boxes holding text.
    let canvas_area = cw * ch;
    let content_boxes: Vec<(usize, Rect)> = measures
        .texts
        .iter()
        .map(|m| (m.node, m.ink))
        .chain(
            measures
                .images
                .iter()
                .filter(|(_, r, _)| r.width * r.height < 0.4 * canvas_area)
                .map(|(i, r, _)| (*i, *r)),
        )
        .chain(scene.nodes.iter().enumerate().filter_map(|(i, n)| {
            let filled = n.style.background_color.a > 0 || n.style.background_image.is_some();
            (i != 0 && filled && is_text(scene, i)).then(|| (i, layout.boxes[i]))
        }))
        .collect();
    let contains = |outer: Rect, inner: Rect| {
        outer.x <= inner.x + 0.5
            && outer.y <= inner.y + 0.5
            && outer.right() + 0.5 >= inner.right()
            && outer.bottom() + 0.5 >= inner.bottom()
    };
    let ancestor = |a: usize, mut b: usize| {
        while let Some(p) = parent[b] {
            if p == a {
                return true;
            }
            b = p;
        }
        false
    };
    for r in doc
        .required
        .iter()
        .filter(|r| r.applies(scene.width, scene.height))
    {
        let Some(&i) = cx.ids.get(r.id.as_str()) else {
            continue;
        };
        let b = measures
            .texts
            .iter()
            .find(|m| m.node == i)
            .map(|m| m.ink)
            .or_else(|| measures.images.iter().find(|x| x.0 == i).map(|x| x.1))
            .unwrap_or(layout.boxes[i]);
        for (min, got, what) in [
            (r.min_width, b.width, "wide"),
            (r.min_height, b.height, "tall"),
        ] {
            if let Some(min) = min {
                if got + 0.5 < min {
                    cx.push(
                        r.severity,
                        "minSize",
                        Some(i),
                        None,
                        Some(b),
                        Some(got.into()),
                        Some(min.into()),
                        format!(
                            "`{}` is {got:.1} px {what}, under the {min} px minimum",
                            r.id
                        ),
                    );
                }
            }
        }
        if let Some(space) = r.clear_space {
            let zone = Rect::new(
                b.x - space,
                b.y - space,
                b.width + 2.0 * space,
                b.height + 2.0 * space,
            );
            let intruder = content_boxes
                .iter()
                .filter(|(j, rb)| {
                    *j != i && !ancestor(*j, i) && !ancestor(i, *j) && !contains(*rb, zone)
                })
                .map(|(j, rb)| (*j, gap(b, *rb)))
                .filter(|(_, g)| *g + 0.5 < space)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((j, g)) = intruder {
                cx.push(
                    r.severity,
                    "clearSpace",
                    Some(i),
                    None,
                    Some(b),
                    Some(g.into()),
                    Some(space.into()),
                    format!(
                        "`{}` comes within {g:.1} px of `{}` (clear space {space} px)",
                        r.id,
                        name_of(scene, j)
                    ),
                );
            }
        }
    }
    // Safe zone.
    if let Some(sz) = &doc.safe_zone {
        checks.push("safeZone");
        let inset = by_size(&sz.by_size, scene.width, scene.height).unwrap_or(sz.inset);
        let targets: Vec<usize> = match &sz.elements {
            Some(ids) => ids
                .iter()
                .filter_map(|id| cx.ids.get(id.as_str()).copied())
                .collect(),
            None => {
                let mut v: Vec<usize> = measures.texts.iter().map(|m| m.node).collect();
                for r in doc
                    .required
                    .iter()
                    .filter(|r| r.applies(scene.width, scene.height))
                {
                    if let Some(&i) = cx.ids.get(r.id.as_str()) {
                        if !v.contains(&i) {
                            v.push(i);
                        }
                    }
                }
                v
            }
        };
        for i in targets {
            if scene.nodes[i].style.display == Display::None {
                continue;
            }
            let b = measures
                .texts
                .iter()
                .find(|m| m.node == i)
                .map(|m| m.ink)
                .or_else(|| measures.images.iter().find(|x| x.0 == i).map(|x| x.1))
                .unwrap_or(layout.boxes[i]);
            let margin = b.x.min(b.y).min(cw - b.right()).min(ch - b.bottom());
            if margin + 0.5 < inset {
                cx.push(
                    sz.severity,
                    "safeZone",
                    Some(i),
                    None,
                    Some(b),
                    Some(margin.into()),
                    Some(inset.into()),
                    format!(
                        "element is {margin:.1} px from the canvas edge, inside the {inset} px safe zone"
                    ),
                );
            }
        }
    }
    let findings = std::mem::take(&mut cx.findings);
    Report::finish(findings, checks, true)
}
