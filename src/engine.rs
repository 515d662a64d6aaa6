//! The long-lived [`Engine`]: fonts and decoded images loaded once, templates
//! compiled once, then plans and renders per request.

use crate::encode::{encode, EncodeOptions, Format};
use crate::error::{Error, Result};
use crate::evaluate::{evaluate_variant, EvalOptions};
use crate::images::{ImageInfo, ImageLimits, ImageStore};
use crate::layout::{display_list, layout, ImageSizes};
use crate::scene::{Decision, Scene};
use crate::template::{Limits, Template};
use crate::text::{FaceInfo, FontBook};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
    /// Outcomes so far per variant, for Thompson-sampling allocation:
    /// `{"arms": {"<variantId>": {"impressions", "clicks", "conversions", "segments"?}}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<crate::bandit::Outcomes>,
    /// Show this variant id (or `control`) instead of bucketing: previews and QA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

/// What a plan returns: everything known before any pixel is drawn.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The decision (its `key` identifies the pixels).
    pub decision: Decision,
    /// The resolved scene.
    pub scene: Scene,
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
}

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
    pub fn plan(&self, template: &Template, input: &RenderInput) -> Result<Plan> {
        self.plan_with(template, input, EvalOptions::default(), true)
    }

    fn plan_with(
        &self,
        template: &Template,
        input: &RenderInput,
        options: EvalOptions,
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
        let (scene, decision) = evaluate_variant(
            template,
            size,
            data,
            context,
            self.fonts.fingerprint(),
            options,
            chosen,
        )?;
        Ok(Plan { decision, scene })
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

    /// Plan, lay out, paint and encode.
    pub fn render(&self, template: &Template, input: &RenderInput) -> Result<Rendered> {
        let plan = self.plan(template, input)?;
        self.render_plan(plan, input)
    }

    /// Lay out, paint and encode a plan made by [`Engine::plan`] for `input`
    /// (hosts that planned first, e.g. to load assets, need not plan again).
    pub fn render_plan(&self, mut plan: Plan, input: &RenderInput) -> Result<Rendered> {
        let pixmap = self.paint(&mut plan)?;
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
        let mut plan = self.plan_with(
            template,
            &fallback_input,
            EvalOptions { rules: fb.rules },
            false,
        )?;
        plan.decision.fallback = Some(reason.to_string());
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
