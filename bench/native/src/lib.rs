//! Loads the benchmark scenes (`bench/scenes/`) into a warm native adloom
//! engine and runs the pipeline one stage at a time, so each stage can be
//! timed on its own: evaluate (`plan`), layout, display list, raster, encode.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use adloom::draw::DisplayList;
use adloom::encode::{encode_png_with, EncodeOptions, Format};
use adloom::engine::{Engine, Plan, RenderInput};
use adloom::layout::{display_list, layout, Layout};
use adloom::template::Template;
use image::codecs::png::{CompressionType, FilterType};
use tiny_skia::Pixmap;

/// The scenes, as in `bench/scenes/scenes.mjs`: file stem and size.
pub const SCENES: [(&str, &str); 3] = [
    ("medium-rectangle", "300x250"),
    ("leaderboard", "728x90"),
    ("og-card", "1200x628"),
];

/// `bench/scenes/` in this checkout.
pub fn scene_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenes")
}

/// A warm engine holding one scene's template and image, with the render input.
pub struct Bench {
    pub engine: Engine,
    pub template: Template,
    pub input: RenderInput,
}

/// Why a scene could not be loaded.
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|e| LoadError(format!("{}: {e}", path.display())))
}

impl Bench {
    /// Loads `bench/scenes/<name>.template.json` with `data.json` and the product image.
    pub fn load(name: &str, size: &str) -> Result<Self, LoadError> {
        let dir = scene_dir();
        let mut engine = Engine::new();
        let text = String::from_utf8(read(&dir.join(format!("{name}.template.json")))?)
            .map_err(|e| LoadError(format!("{name}.template.json: {e}")))?;
        let template = engine
            .compile(&text)
            .map_err(|e| LoadError(format!("{name}.template.json: {e}")))?;
        let doc: serde_json::Value = serde_json::from_slice(&read(&dir.join("data.json"))?)
            .map_err(|e| LoadError(format!("data.json: {e}")))?;
        let key = doc["data"]["product"]["image"]
            .as_str()
            .ok_or_else(|| LoadError("data.json: data.product.image: expected a string".into()))?
            .to_string();
        let image = read(&dir.join("../../examples/retail-weather").join(&key))?;
        engine
            .add_image(&key, &image)
            .map_err(|e| LoadError(format!("{key}: {e}")))?;
        let input = RenderInput {
            data: Some(doc["data"].clone()),
            context: Some(doc["context"].clone()),
            size: Some(size.to_string()),
            ..RenderInput::default()
        };
        let bench = Self {
            engine,
            template,
            input,
        };
        // Warm every cache a long-lived engine would have warm.
        bench
            .engine
            .render(&bench.template, &bench.input)
            .map_err(|e| LoadError(format!("{name}: first render: {e}")))?;
        Ok(bench)
    }

    /// Evaluate: rules, bindings, the resolved scene and its decision key.
    pub fn plan(&self) -> Plan {
        self.engine
            .plan(&self.template, &self.input)
            .unwrap_or_else(|e| panic!("plan: {e}"))
    }

    /// Layout (taffy + text shaping and line breaking) of a plan's scene.
    pub fn layout(&self, plan: &Plan) -> Layout {
        layout(&plan.scene, self.engine.fonts(), self.engine.images())
            .unwrap_or_else(|e| panic!("layout: {e}"))
    }

    /// The drawing commands for a laid-out plan.
    pub fn display_list(&self, plan: &Plan, laid: &Layout) -> DisplayList {
        display_list(&plan.scene, laid, self.engine.images())
    }

    /// Raster: the display list painted into a pixmap.
    pub fn raster(&self, list: &DisplayList) -> Pixmap {
        adloom::raster::paint(list, self.engine.fonts(), self.engine.images())
            .unwrap_or_else(|e| panic!("raster: {e}"))
    }

    /// The whole render (what the wasm `render` does), PNG.
    pub fn render(&self) -> Vec<u8> {
        self.engine
            .render(&self.template, &self.input)
            .unwrap_or_else(|e| panic!("render: {e}"))
            .bytes
    }
}

/// Encodes with adloom's default PNG settings, or with explicit ones.
pub fn encode(
    pixmap: &Pixmap,
    format: Format,
    png: Option<(CompressionType, FilterType)>,
) -> Vec<u8> {
    let opts = EncodeOptions {
        format,
        ..EncodeOptions::default()
    };
    let result = match png {
        None => adloom::encode::encode(pixmap, &opts),
        Some((c, f)) => encode_png_with(pixmap, &opts, c, f),
    };
    result.unwrap_or_else(|e| panic!("encode: {e}"))
}

/// Encodes `pixmap` with the `png` crate directly: 8-bit RGB when every pixel
/// is opaque (else straight RGBA), the given deflate level and row filter.
/// Used to evaluate settings adloom's encoder does not expose.
pub fn encode_png_direct(
    pixmap: &Pixmap,
    deflate: png::DeflateCompression,
    filter: png::Filter,
) -> Vec<u8> {
    let opaque = pixmap.pixels().iter().all(|p| p.alpha() == 255);
    let mut data = Vec::with_capacity(pixmap.pixels().len() * if opaque { 3 } else { 4 });
    for p in pixmap.pixels() {
        let c = p.demultiply();
        data.extend_from_slice(&[c.red(), c.green(), c.blue()]);
        if !opaque {
            data.push(c.alpha());
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(if opaque {
        png::ColorType::Rgb
    } else {
        png::ColorType::Rgba
    });
    enc.set_depth(png::BitDepth::Eight);
    enc.set_deflate_compression(deflate);
    enc.set_filter(filter);
    let mut writer = enc
        .write_header()
        .unwrap_or_else(|e| panic!("png header: {e}"));
    writer
        .write_image_data(&data)
        .unwrap_or_else(|e| panic!("png data: {e}"));
    writer
        .finish()
        .unwrap_or_else(|e| panic!("png finish: {e}"));
    out
}
