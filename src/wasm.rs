//! The JavaScript API (wasm32 only). Everything else in the crate is pure Rust.
//!
//! Inputs cross the boundary as JSON (`JSON.stringify` on the JS side of the
//! call), so numbers parse exactly as they do natively and the same inputs
//! give the same bytes everywhere. Every export returns `Result<_, JsError>`;
//! the message is the engine's `path: reason`.

use crate::engine::{Engine as Core, RenderInput};
use crate::error::Error;
use crate::template::Template as CoreTemplate;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("../schema/adloom-types.d.ts");

fn js_error(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// JS value → JSON text → serde type, via the host's own `JSON.stringify`.
fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return serde_json::from_str("{}").map_err(|e| JsError::new(&format!("{what}: {e}")));
    }
    let text = if let Some(s) = value.as_string() {
        s
    } else {
        js_sys::JSON::stringify(value)
            .map_err(|_| JsError::new(&format!("{what}: cannot be converted to JSON")))?
            .as_string()
            .unwrap_or_default()
    };
    let mut de = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        JsError::new(&format!("{what}.{path}: {}", e.into_inner()))
    })
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("internal: JSON.parse failed"))
}

/// Fonts, images and limits, shared by every template compiled from it.
#[wasm_bindgen]
pub struct Engine {
    core: Rc<RefCell<Core>>,
}

#[wasm_bindgen]
impl Engine {
    /// An engine with the embedded default fonts.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        console_error_panic_hook::set_once();
        Engine {
            core: Rc::new(RefCell::new(Core::new())),
        }
    }

    /// Load a TTF/OTF/TTC font. Returns the faces it holds.
    #[wasm_bindgen(js_name = addFont, unchecked_return_type = "FaceInfo[]")]
    pub fn add_font(&self, bytes: &[u8]) -> Result<JsValue, JsError> {
        let faces = self
            .core
            .borrow_mut()
            .add_font(bytes.to_vec())
            .map_err(js_error)?;
        to_js(&faces)
    }

    /// Decode an image and keep it under `key` (the `src` a template uses).
    #[wasm_bindgen(js_name = addImage, unchecked_return_type = "{ width: number, height: number }")]
    pub fn add_image(&self, key: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
        let info = self
            .core
            .borrow_mut()
            .add_image(key, bytes)
            .map_err(js_error)?;
        to_js(&serde_json::json!({ "width": info.width, "height": info.height }))
    }

    /// Theme colours of the image loaded under `key`: dominant and accent
    /// colours with their shares, readable text and background colours.
    #[wasm_bindgen(js_name = themeColors, unchecked_return_type = "Theme")]
    pub fn theme_colors(&self, key: &str) -> Result<JsValue, JsError> {
        let theme = self.core.borrow().theme_colors(key).map_err(js_error)?;
        to_js(theme.as_ref())
    }

    /// True when an image is loaded under `key`.
    #[wasm_bindgen(js_name = hasImage)]
    pub fn has_image(&self, key: &str) -> bool {
        self.core.borrow().has_image(key)
    }

    /// Parse and validate a template (JSON text or a plain object).
    pub fn compile(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | TemplateDoc")] template: JsValue,
    ) -> Result<Template, JsError> {
        let text = match template.as_string() {
            Some(s) => s,
            None => js_sys::JSON::stringify(&template)
                .map_err(|_| JsError::new("template: cannot be converted to JSON"))?
                .as_string()
                .unwrap_or_default(),
        };
        let compiled = self.core.borrow().compile(&text).map_err(js_error)?;
        Ok(Template {
            core: self.core.clone(),
            template: Rc::new(compiled),
        })
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// A compiled template bound to its engine.
#[wasm_bindgen]
pub struct Template {
    core: Rc<RefCell<Core>>,
    template: Rc<CoreTemplate>,
}

#[wasm_bindgen]
impl Template {
    /// The template's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.template.name().to_string()
    }

    /// The sizes it serves, as `WxH`.
    #[wasm_bindgen(getter)]
    pub fn sizes(&self) -> Vec<String> {
        self.template.sizes.iter().map(|s| s.name()).collect()
    }

    /// Warnings found while compiling (unsupported CSS and the like).
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.template.warnings.clone()
    }

    /// Evaluate rules and bindings without rendering: the decision, its key
    /// and the assets needed.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn plan(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RenderInput")] input: JsValue,
    ) -> Result<JsValue, JsError> {
        let input: RenderInput = from_js(&input, "input")?;
        let plan = self
            .core
            .borrow()
            .plan(&self.template, &input)
            .map_err(js_error)?;
        to_js(&plan.decision)
    }

    /// Plan, lay out, paint and encode.
    #[wasm_bindgen(unchecked_return_type = "RenderResult")]
    pub fn render(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RenderInput")] input: JsValue,
    ) -> Result<JsValue, JsError> {
        let input: RenderInput = from_js(&input, "input")?;
        let out = self
            .core
            .borrow()
            .render(&self.template, &input)
            .map_err(js_error)?;
        rendered_to_js(out)
    }

    /// The fallback creative at the requested size, with `reason` recorded.
    #[wasm_bindgen(js_name = renderFallback, unchecked_return_type = "RenderResult")]
    pub fn render_fallback(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RenderInput")] input: JsValue,
        reason: &str,
    ) -> Result<JsValue, JsError> {
        let input: RenderInput = from_js(&input, "input")?;
        let out = self
            .core
            .borrow()
            .render_fallback(&self.template, &input, reason)
            .map_err(js_error)?;
        rendered_to_js(out)
    }
}

fn rendered_to_js(out: crate::engine::Rendered) -> Result<JsValue, JsError> {
    let obj = js_sys::Object::new();
    let set =
        |k: &str, v: &JsValue| js_sys::Reflect::set(&obj, &JsValue::from_str(k), v).map(|_| ());
    let fail = |_| JsError::new("internal: cannot build the result object");
    set(
        "bytes",
        &js_sys::Uint8Array::from(out.bytes.as_slice()).into(),
    )
    .map_err(fail)?;
    set("width", &JsValue::from(out.width)).map_err(fail)?;
    set("height", &JsValue::from(out.height)).map_err(fail)?;
    set("format", &JsValue::from_str(out.format.extension())).map_err(fail)?;
    set("mime", &JsValue::from_str(out.format.mime())).map_err(fail)?;
    set("decision", &to_js(&out.decision)?).map_err(fail)?;
    // The guardrail report and the score, also at the top level for hosts.
    if let Some(report) = &out.decision.report {
        set("report", &to_js(report)?).map_err(fail)?;
    }
    if let Some(score) = &out.decision.score {
        set("score", &to_js(score)?).map_err(fail)?;
    }
    Ok(obj.into())
}

/// The JSON Schema of the template format.
#[wasm_bindgen(js_name = templateSchema)]
pub fn template_schema() -> String {
    // The committed file, which `tests/schema.rs` keeps equal to what
    // `schema::template_schema_json` generates: embedding the text instead of
    // generating it leaves schemars' code out of the wasm build.
    include_str!("../schema/template.schema.json").to_owned()
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
