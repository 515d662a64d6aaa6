//! The long-lived [`Engine`]: fonts and decoded images loaded once, templates
//! compiled once, then plans and renders per request.

use crate::draw::DisplayList;
use crate::encode::{encode, EncodeOptions, Format};
use crate::error::{Error, Result};
use crate::evaluate::{evaluate_variant, EvalOptions};
use crate::guardrails::{check_plan, check_render, measure, Guardrails, Measures};
use crate::images::{ImageInfo, ImageLimits, ImageStore};
use crate::layout::{display_list, layout, ImageSizes, Layout};
use crate::scene::{CandidateOutcome, Content, Decision, Scene};
use crate::score::{score, ScoreInput};
use crate::template::{Assignment, Limits, NodeKind, Template};
use crate::text::{FaceInfo, FontBook};
use crate::theme::{theme_of, Theme};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// An alternative version of the creative to choose from: assignments
/// written like a rule's `set`, applied after the rules.
#[derive(Clone, Debug, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Candidate {
    /// Its name, recorded in the decision.
    pub id: String,
    /// `"<nodeId>.<property>": value`, as in a rule (empty: the template as is).
    #[serde(default)]
    #[schemars(with = "std::collections::HashMap<String, Value>")]
    pub set: Map<String, Value>,
}

/// Inputs of one plan or render. Missing data or context means the
/// template's own sample, so every template renders as designed.
#[derive(Clone, Debug, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RenderInput {
    /// A product-feed row (default: the template's sample data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// The viewer context (default: the template's sample context).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    /// `WxH`, one of the template's sizes (default: its first size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Output format, `png` (default), `jpeg` or `webp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub format: Option<Format>,
    /// JPEG quality 1–100 (default 85).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<u8>,
    /// Alternatives to choose from: plan and render score each and keep the
    /// best one that passes the guardrails (default: none, the template as is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<Candidate>>,
    /// Outcomes so far per variant, for Thompson-sampling allocation:
    /// `{"arms": {"<variantId>": {"impressions", "clicks", "conversions", "segments"?}}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<crate::bandit::Outcomes>,
    /// Show this variant id (or `control`) instead of bucketing: previews and QA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// `false` skips the guardrail checks and the score after painting, for
    /// hot paths that only need the pixels: the decision then has no report
    /// or score. Ignored when the template's guardrails can fail a render
    /// (`failOn` other than `never`). Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<bool>,
}

/// What a plan returns: everything known before any pixel is drawn.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The decision (its `key` identifies the pixels).
    pub decision: Decision,
    /// The resolved scene.
    pub scene: Scene,
    /// The template's guardrails (checked again on the pixels by render).
    pub guardrails: Guardrails,
    /// The candidate's compiled assignments, when one was chosen.
    pub extra: Vec<Assignment>,
}

/// A plan laid out and painted, with what was measured on it.
pub struct Painted {
    /// The canvas, premultiplied RGBA.
    pub pixmap: tiny_skia::Pixmap,
    /// Boxes and text layouts.
    pub layout: Layout,
    /// The drawing commands.
    pub list: DisplayList,
    /// Text ink, contrast and image crops.
    pub measures: Measures,
}

/// An encoded creative.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// Encoded bytes.
    pub bytes: Vec<u8>,
    /// Width in px.
    pub width: u32,
    /// Height in px.
    pub height: u32,
    /// The format of `bytes`.
    pub format: Format,
    /// Why it looks this way.
    pub decision: Decision,
}

/// Fonts, images and limits shared by every render. Build one and reuse it:
/// parsing fonts and decoding images is the expensive part of a cold start.
pub struct Engine {
    fonts: FontBook,
    images: ImageStore,
    limits: Limits,
    /// Theme colours by image content hash.
    themes: Mutex<HashMap<u64, Arc<Theme>>>,
}

/// Themes kept at most; the cache is emptied when full.
const THEME_CACHE_MAX: usize = 512;

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl ImageSizes for ImageStore {
    fn image_size(&self, key: &str) -> Option<(u32, u32)> {
        self.info(key).map(|i| (i.width, i.height))
    }
}

impl Engine {
    /// An engine with the embedded default fonts and default limits.
    pub fn new() -> Self {
        Engine {
            fonts: FontBook::with_embedded(),
            images: ImageStore::default(),
            limits: Limits::default(),
            themes: Mutex::new(HashMap::new()),
        }
    }

    /// An engine with no fonts at all (add your own with [`Engine::add_font`]).
    pub fn without_fonts() -> Self {
        Engine {
            fonts: FontBook::new(),
            ..Engine::new()
        }
    }

    /// Replace the limits (the ceiling every template's own limits sit under).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Load a TTF/OTF/TTC font; returns the faces it holds.
    pub fn add_font(&mut self, bytes: Vec<u8>) -> Result<Vec<FaceInfo>> {
        let ids = self.fonts.add(bytes)?;
        Ok(self
            .fonts
            .faces()
            .into_iter()
            .filter(|f| ids.contains(&f.id))
            .collect())
    }

    /// The loaded font faces.
    pub fn faces(&self) -> Vec<FaceInfo> {
        self.fonts.faces()
    }

    /// Decode and keep an image under `key` (the `src` templates use).
    pub fn add_image(&mut self, key: &str, bytes: &[u8]) -> Result<ImageInfo> {
        let limits = ImageLimits {
            max_bytes: usize::try_from(self.limits.max_image_bytes).unwrap_or(usize::MAX),
            max_pixels: self.limits.max_image_pixels,
            ..ImageLimits::default()
        };
        self.images.add(key, bytes, &limits)
    }

    /// True when an image is loaded under `key`.
    pub fn has_image(&self, key: &str) -> bool {
        self.images.contains(key)
    }

    /// Theme colours of the image loaded under `key` (dominant, accent,
    /// readable text and background colours; see [`crate::theme`]). Cached
    /// per image content.
    pub fn theme_colors(&self, key: &str) -> Result<Arc<Theme>> {
        let img = self.images.get(key).ok_or_else(|| Error::Image {
            key: key.to_string(),
            reason: "not loaded; add it with add_image first".to_string(),
        })?;
        let hash = img.hash();
        if let Some(t) = self
            .themes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&hash)
        {
            return Ok(t.clone());
        }
        let theme = Arc::new(theme_of(key, img.pixmap())?);
        let mut cache = self.themes.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= THEME_CACHE_MAX {
            cache.clear();
        }
        cache.insert(hash, theme.clone());
        Ok(theme)
    }

    /// The engine's fonts.
    pub fn fonts(&self) -> &FontBook {
        &self.fonts
    }

    /// The engine's images.
    pub fn images(&self) -> &ImageStore {
        &self.images
    }

    /// Parse and validate a template.
    pub fn compile(&self, json: &str) -> Result<Template> {
        Template::parse(json, &self.limits)
    }

    /// Evaluate rules and bindings: the decision, its key and the assets
    /// needed, without layout or pixels.
    ///
    /// With `input.candidates`, every candidate is evaluated, painted and
    /// scored (when its images are loaded), and the best one that passes the
    /// guardrails is returned; the decision lists them all.
    pub fn plan(&self, template: &Template, input: &RenderInput) -> Result<Plan> {
        match input.candidates.as_deref() {
            Some(cands) if !cands.is_empty() => self.choose(template, input, cands),
            _ => self.plan_with(template, input, true, Vec::new(), true),
        }
    }

    /// Evaluate with the `image` facts bindings and rules may read: a first
    /// pass resolves which image each img node shows, the next passes give
    /// the theme colours of those images (provisional ones for images not
    /// loaded, listed in `pendingImages`). At most three passes.
    fn plan_with(
        &self,
        template: &Template,
        input: &RenderInput,
        rules: bool,
        extra: Vec<Assignment>,
        variants: bool,
    ) -> Result<Plan> {
        let size = match &input.size {
            Some(s) => template.size(s)?,
            None => template
                .sizes
                .first()
                .ok_or_else(|| Error::invalid("sizes", "no sizes"))?,
        };
        let sample_data;
        let data = match &input.data {
            Some(d) => d,
            None => {
                sample_data = Value::Object(template.doc.sample.data.clone());
                &sample_data
            }
        };
        let sample_context;
        let context = match &input.context {
            Some(c) => c,
            None => {
                sample_context = Value::Object(template.doc.sample.context.clone());
                &sample_context
            }
        };
        self.check_document("data", data)?;
        self.check_document("context", context)?;
        if let Some(outcomes) = &input.outcomes {
            outcomes.validate("outcomes")?;
        }
        // The fallback is the template as designed: no variant.
        let chosen = match (&template.variants, variants) {
            (Some(v), true) => Some(v.choose(
                template.name(),
                data,
                context,
                input.outcomes.as_ref(),
                input.variant.as_deref(),
            )?),
            _ => None,
        };
        let uses_images = reads_images(template, &extra);
        let mut images = if uses_images {
            Some(self.image_facts(template, None))
        } else {
            None
        };
        let mut passes = 0;
        let (scene, mut decision) = loop {
            passes += 1;
            let options = EvalOptions {
                rules,
                extra: &extra,
                images: images.as_ref(),
            };
            let (scene, decision) = evaluate_variant(
                template,
                size,
                data,
                context,
                self.fonts.fingerprint(),
                options,
                chosen.clone(),
            )?;
            let Some(prev) = &images else {
                break (scene, decision);
            };
            let next = self.image_facts(template, Some(&scene));
            if &next == prev || passes >= 3 {
                let mut decision = decision;
                if &next != prev {
                    decision.warnings.push(
                        "image: rules reading image themes changed which image is shown; \
                         stopped after 3 passes"
                            .to_string(),
                    );
                }
                break (scene, decision);
            }
            images = Some(next);
        };
        if let Some(facts) = &images {
            finish_image_reads(&mut decision, facts);
        }
        let guardrails = template.guardrails.clone();
        let loaded = |k: &str| self.images.contains(k);
        decision.report = Some(check_plan(&scene, &guardrails, &loaded));
        Ok(Plan {
            decision,
            scene,
            guardrails,
            extra,
        })
    }

    /// The `image` root: per img node id, `{src, loaded, width, height, theme}`.
    /// Before the first pass (`scene` None) every src is unknown.
    fn image_facts(&self, template: &Template, scene: Option<&Scene>) -> Value {
        let mut out = Map::new();
        for n in &template.nodes {
            let (Some(id), NodeKind::Image(_)) = (&n.id, &n.kind) else {
                continue;
            };
            let src = scene.and_then(|s| {
                s.nodes.iter().find_map(|sn| match (&sn.id, &sn.content) {
                    (Some(sid), Content::Image(k)) if sid == id => Some(k.clone()),
                    _ => None,
                })
            });
            let mut fact = Map::new();
            let theme = src.as_deref().and_then(|k| self.theme_colors(k).ok());
            if let Some(k) = &src {
                fact.insert("src".into(), Value::from(k.clone()));
            }
            fact.insert("loaded".into(), Value::from(theme.is_some()));
            match (&theme, src.as_deref().and_then(|k| self.images.info(k))) {
                (Some(t), Some(info)) => {
                    fact.insert("width".into(), Value::from(info.width));
                    fact.insert("height".into(), Value::from(info.height));
                    fact.insert(
                        "theme".into(),
                        serde_json::to_value(t.as_ref()).unwrap_or(Value::Null),
                    );
                }
                _ => {
                    fact.insert("theme".into(), provisional_theme());
                }
            }
            out.insert(id.clone(), Value::Object(fact));
        }
        Value::Object(out)
    }

    fn check_document(&self, name: &str, value: &Value) -> Result<()> {
        // Rough size bound without serialising: count scalar bytes iteratively.
        let mut bytes = 0u64;
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            bytes += match v {
                Value::String(s) => s.len() as u64 + 2,
                Value::Array(items) => {
                    stack.extend(items);
                    2
                }
                Value::Object(m) => {
                    stack.extend(m.values());
                    m.keys().map(|k| k.len() as u64 + 4).sum::<u64>() + 2
                }
                _ => 8,
            };
            if bytes > self.limits.max_document_bytes {
                return Err(Error::limit(
                    name,
                    "maxDocumentBytes",
                    self.limits.max_document_bytes,
                    bytes,
                ));
            }
        }
        Ok(())
    }

    /// Lay out and paint a plan: premultiplied RGBA pixels.
    pub fn paint(&self, plan: &mut Plan) -> Result<tiny_skia::Pixmap> {
        let laid = layout(&plan.scene, &self.fonts, &self.images)?;
        plan.decision.fit = laid.fits.clone();
        let list = display_list(&plan.scene, &laid, &self.images);
        crate::raster::paint(&list, &self.fonts, &self.images)
    }

    /// Lay out, paint, run every guardrail check on the pixels and score:
    /// fills `decision.report`, `decision.score` and `decision.fit`.
    pub fn analyze(&self, plan: &mut Plan) -> Result<Painted> {
        let laid = layout(&plan.scene, &self.fonts, &self.images)?;
        plan.decision.fit = laid.fits.clone();
        let list = display_list(&plan.scene, &laid, &self.images);
        let pixmap = crate::raster::paint(&list, &self.fonts, &self.images)?;
        let measures = measure(&plan.scene, &laid, &list, &pixmap, &self.fonts);
        let loaded = |k: &str| self.images.contains(k);
        let report = check_render(&plan.scene, &laid, &measures, &plan.guardrails, &loaded);
        let image = |k: &str| {
            let info = self.images.info(k)?;
            let theme = self.theme_colors(k).ok()?;
            Some((theme, info.width, info.height))
        };
        let s = score(
            &plan.scene,
            &laid,
            &ScoreInput {
                pixmap: &pixmap,
                measures: &measures,
                image: &image,
            },
        );
        plan.decision.report = Some(report);
        plan.decision.score = Some(s);
        Ok(Painted {
            pixmap,
            layout: laid,
            list,
            measures,
        })
    }

    /// Plan every candidate, paint and score those whose images are loaded,
    /// and keep the best that passes the guardrails.
    fn choose(
        &self,
        template: &Template,
        input: &RenderInput,
        cands: &[Candidate],
    ) -> Result<Plan> {
        let mut seen = std::collections::HashSet::new();
        let mut plans: Vec<Plan> = Vec::with_capacity(cands.len());
        for (i, c) in cands.iter().enumerate() {
            let at = format!("input.candidates[{i}]");
            if c.id.is_empty() || !seen.insert(c.id.as_str()) {
                return Err(Error::invalid(
                    format!("{at}.id"),
                    format!("candidate ids must be unique and non-empty (`{}`)", c.id),
                ));
            }
            let extra = template.compile_set(&c.set, &format!("{at}.set"))?;
            let mut plan = self.plan_with(template, input, true, extra, true)?;
            let ready = plan.decision.pending_images.is_empty()
                && plan
                    .decision
                    .assets
                    .images
                    .iter()
                    .all(|k| self.images.contains(k));
            if ready {
                self.analyze(&mut plan)?;
            }
            plans.push(plan);
        }
        // Best: passing first, then by score (unscored last), then input order.
        let rank = |p: &Plan| {
            let passed = p.decision.report.as_ref().is_none_or(|r| r.passed);
            let s = p.decision.score.as_ref().map_or(-1.0, |s| s.value);
            (passed, s)
        };
        let mut best = 0;
        for (i, p) in plans.iter().enumerate().skip(1) {
            let (bp, bs) = rank(&plans[best]);
            let (pp, ps) = rank(p);
            if (pp && !bp) || (pp == bp && ps > bs) {
                best = i;
            }
        }
        let (best_passed, best_score) = rank(&plans[best]);
        let outcomes: Vec<CandidateOutcome> = plans
            .iter()
            .zip(cands)
            .enumerate()
            .map(|(i, (p, c))| {
                let report = p.decision.report.as_ref();
                let passed = report.is_none_or(|r| r.passed);
                let score = p.decision.score.as_ref().map(|s| s.value);
                let reason = if i == best {
                    match (score, best_passed) {
                        (None, _) => "images not loaded: chosen unscored, by guardrails and order"
                            .to_string(),
                        (Some(_), true) => {
                            "highest score among candidates that pass the guardrails".to_string()
                        }
                        (Some(_), false) => {
                            "no candidate passes the guardrails: highest score".to_string()
                        }
                    }
                } else if !passed && best_passed {
                    "fails the guardrails".to_string()
                } else {
                    match score {
                        Some(s) => format!("scored {s:.3} < {best_score:.3}"),
                        None => "not scored (images not loaded)".to_string(),
                    }
                };
                CandidateOutcome {
                    id: c.id.clone(),
                    score,
                    passed,
                    errors: report.map_or(0, |r| r.errors),
                    warnings: report.map_or(0, |r| r.warnings),
                    key: p.decision.key.clone(),
                    chosen: i == best,
                    reason,
                }
            })
            .collect();
        let mut plan = plans.swap_remove(best);
        plan.decision.candidate = Some(cands[best].id.clone());
        plan.decision.candidates = outcomes;
        Ok(plan)
    }

    /// Plan, lay out, paint and encode.
    pub fn render(&self, template: &Template, input: &RenderInput) -> Result<Rendered> {
        let plan = self.plan(template, input)?;
        self.render_plan(plan, input)
    }

    /// Lay out, paint and encode a plan made by [`Engine::plan`] for `input`
    /// (hosts that planned first, e.g. to load assets, need not plan again).
    ///
    /// Runs every guardrail check and the score on the pixels (in
    /// `decision.report` and `decision.score`); fails with
    /// [`Error::Guardrail`] when the template's `guardrails.failOn` says so.
    pub fn render_plan(&self, mut plan: Plan, input: &RenderInput) -> Result<Rendered> {
        let skip_analysis = input.analysis == Some(false)
            && plan.guardrails.doc.fail_on == crate::guardrails::FailOn::Never;
        let pixmap = if skip_analysis {
            plan.decision.report = None;
            plan.decision.score = None;
            self.paint(&mut plan)?
        } else {
            self.analyze(&mut plan)?.pixmap
        };
        if let Some(report) = &plan.decision.report {
            if plan.guardrails.fails(report) {
                let n = match plan.guardrails.doc.fail_on {
                    crate::guardrails::FailOn::Warning => report.errors + report.warnings,
                    _ => report.errors,
                };
                return Err(Error::Guardrail {
                    findings: n,
                    reason: report.summary(),
                });
            }
        }
        let format = input.format.unwrap_or(Format::Png);
        let options = EncodeOptions {
            format,
            quality: input
                .quality
                .unwrap_or(EncodeOptions::default().quality)
                .clamp(1, 100),
        };
        let bytes = encode(&pixmap, &options)?;
        Ok(Rendered {
            bytes,
            width: pixmap.width(),
            height: pixmap.height(),
            format,
            decision: plan.decision,
        })
    }

    /// The template's fallback creative at the requested size: its fallback
    /// data and context (else the samples), rules off unless it asks for them.
    /// `reason` is recorded in the decision.
    pub fn render_fallback(
        &self,
        template: &Template,
        input: &RenderInput,
        reason: &str,
    ) -> Result<Rendered> {
        let fb = &template.doc.fallback;
        let size_ok = input
            .size
            .as_deref()
            .map(|s| template.size(s).is_ok())
            .unwrap_or(true);
        let fallback_input = RenderInput {
            data: Some(Value::Object(
                fb.data
                    .clone()
                    .unwrap_or_else(|| template.doc.sample.data.clone()),
            )),
            context: Some(Value::Object(
                fb.context
                    .clone()
                    .unwrap_or_else(|| template.doc.sample.context.clone()),
            )),
            size: if size_ok { input.size.clone() } else { None },
            format: input.format,
            quality: input.quality,
            ..RenderInput::default()
        };
        let mut plan = self.plan_with(template, &fallback_input, fb.rules, Vec::new(), false)?;
        plan.decision.fallback = Some(reason.to_string());
        // The fallback is the last resort: guardrails report but never fail it.
        plan.guardrails.doc.fail_on = crate::guardrails::FailOn::Never;
        self.render_plan(plan, &fallback_input)
    }
}

/// Parse a JSON object given as text (`data` / `context` files and arguments).
pub fn parse_object(name: &str, json: &str, limits: &Limits) -> Result<Value> {
    if json.len() as u64 > limits.max_document_bytes {
        return Err(Error::limit(
            name,
            "maxDocumentBytes",
            limits.max_document_bytes,
            json.len() as u64,
        ));
    }
    let v: Value = serde_json::from_str(json)
        .map_err(|e| Error::invalid(name, format!("not valid JSON: {e}")))?;
    match v {
        Value::Object(_) => Ok(v),
        _ => Err(Error::invalid(name, "expected a JSON object")),
    }
}

/// An empty JSON object.
pub fn empty_object() -> Value {
    Value::Object(Map::new())
}

/// Whether any binding, rule or candidate assignment reads the `image` root.
fn reads_images(template: &Template, extra: &[Assignment]) -> bool {
    let text_reads = |t: &crate::bind::TextTemplate| {
        t.paths()
            .any(|p| p == "image" || p.starts_with("image.") || p.starts_with("image["))
    };
    let assign_reads = |a: &Assignment| match &a.assign {
        crate::template::Assign::Text(t) | crate::template::Assign::Src(t) => text_reads(t),
        crate::template::Assign::BoundStyle { value, .. } => text_reads(value),
        crate::template::Assign::Style(_) => false,
    };
    template.nodes.iter().any(|n| match &n.kind {
        NodeKind::Text(t) | NodeKind::Image(t) => text_reads(t),
        NodeKind::Box => false,
    }) || template.rules.iter().any(|r| {
        r.when.reads.iter().any(|p| p.starts_with("image.")) || r.set.iter().any(assign_reads)
    }) || template
        .sizes
        .iter()
        .any(|s| s.overrides.iter().any(assign_reads))
        || extra.iter().any(assign_reads)
}

/// The theme assumed for an image that is not loaded yet: a plain white image.
fn provisional_theme() -> Value {
    serde_json::json!({
        "dominant": "#ffffff", "accent": "#ffffff",
        "textOn": "#1a1a1a", "textOnContrast": 17.4, "textOnAccent": "#1a1a1a",
        "background": "#f5f5f5", "textOnBackground": "#1a1a1a",
        "isDark": false, "swatches": [], "transparentShare": 0.0,
        "backgroundShare": 0.0, "subject": [0.0, 0.0, 1.0, 1.0],
        "provisional": true
    })
}

/// Record which images' facts were read while not loaded, and fold the
/// image facts read into the decision key (so a provisional plan and the
/// final one never share a key).
fn finish_image_reads(decision: &mut Decision, facts: &Value) {
    let mut pending = Vec::new();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(decision.key.as_bytes());
    let mut any = false;
    for (path, v) in &decision.read {
        let Some(rest) = path.strip_prefix("image.") else {
            continue;
        };
        any = true;
        hasher.update(path.as_bytes());
        hasher.update(v.to_string().as_bytes());
        let id = rest.split(['.', '[']).next().unwrap_or_default();
        if let Some(fact) = facts.get(id) {
            if fact.get("loaded") == Some(&Value::Bool(false)) {
                if let Some(src) = fact.get("src").and_then(Value::as_str) {
                    if !pending.iter().any(|p| p == src) {
                        pending.push(src.to_string());
                    }
                }
            }
        }
    }
    if any {
        decision.key = format!("{:032x}", hasher.digest128());
    }
    decision.pending_images = pending;
}
