#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Reference-image tests: every `tests/fixtures/**/NAME.json` is rendered and
//! compared with `NAME.png` beside it, per channel with a small tolerance.
//!
//! A fixture is `{ "template": {…} | "templatePath": "…", "data"?, "context"?,
//! "size", "format"?, "images"?: { key: path } }`. Images load from the
//! template's folder (or the fixture's) by the keys the plan asks for.
//!
//! - `ADLOOM_UPDATE_REFS=1 cargo test --test reference` rewrites the references.
//! - On a mismatch, `tests/output/<group>/<name>.png` shows expected | diff | actual.
//! - Every render is also written to `target/fixture-out/` so the wasm tests
//!   can check that Node produces the very same bytes.

use adloom::engine::{Engine, RenderInput};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Largest per-channel difference tolerated on a pixel.
const CHANNEL_TOLERANCE: u8 = 3;
/// Share of pixels allowed beyond the tolerance (antialiasing noise).
const PIXEL_SHARE: f64 = 0.001;

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "assets") {
                collect(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// Render one fixture natively; used by this test and by the fixture exporter.
fn render_fixture(path: &Path) -> Result<(Vec<u8>, Value), String> {
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(path).map_err(|e| e.to_string())?)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let (template_text, base) = match (
        spec.get("template"),
        spec.get("templatePath").and_then(Value::as_str),
    ) {
        (Some(t), _) => (t.to_string(), dir.to_path_buf()),
        (None, Some(p)) => {
            let tp = dir.join(p);
            let text =
                std::fs::read_to_string(&tp).map_err(|e| format!("{}: {e}", tp.display()))?;
            (text, tp.parent().unwrap_or(dir).to_path_buf())
        }
        _ => return Err("a fixture needs `template` or `templatePath`".into()),
    };
    let mut engine = Engine::new();
    let template = engine.compile(&template_text).map_err(|e| e.to_string())?;
    let input: RenderInput = serde_json::from_value(serde_json::json!({
        "data": spec.get("data"),
        "context": spec.get("context"),
        "size": spec.get("size"),
        "format": spec.get("format"),
    }))
    .map_err(|e| e.to_string())?;
    if let Some(Value::Object(images)) = spec.get("images") {
        for (key, file) in images {
            let p = dir.join(file.as_str().unwrap_or_default());
            let bytes = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            engine.add_image(key, &bytes).map_err(|e| e.to_string())?;
        }
    }
    let plan = engine.plan(&template, &input).map_err(|e| e.to_string())?;
    for key in &plan.decision.assets.images {
        if !engine.has_image(key) {
            let p = base.join(key);
            let bytes = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            engine.add_image(key, &bytes).map_err(|e| e.to_string())?;
        }
    }
    let out = engine
        .render(&template, &input)
        .map_err(|e| e.to_string())?;
    let decision = serde_json::to_value(&out.decision).map_err(|e| e.to_string())?;
    Ok((out.bytes, decision))
}

fn decode(bytes: &[u8]) -> Result<image::RgbaImage, String> {
    image::load_from_memory(bytes)
        .map(|i| i.to_rgba8())
        .map_err(|e| e.to_string())
}

/// Compare two images; on failure return a reason and a side-by-side picture.
fn compare(
    expected: &image::RgbaImage,
    actual: &image::RgbaImage,
) -> Result<(), (String, Option<image::RgbaImage>)> {
    if expected.dimensions() != actual.dimensions() {
        return Err((
            format!(
                "size {:?} != expected {:?}",
                actual.dimensions(),
                expected.dimensions()
            ),
            None,
        ));
    }
    let (w, h) = expected.dimensions();
    let mut diff = image::RgbaImage::new(w, h);
    let mut bad = 0u64;
    let mut worst = 0u8;
    for (x, y, e) in expected.enumerate_pixels() {
        let a = actual.get_pixel(x, y);
        let d = (0..4).map(|c| e[c].abs_diff(a[c])).max().unwrap_or(0);
        worst = worst.max(d);
        if d > CHANNEL_TOLERANCE {
            bad += 1;
            diff.put_pixel(x, y, image::Rgba([255, 0, 0, 255]));
        } else {
            let g = 255 - (d as u32 * 40).min(255) as u8;
            diff.put_pixel(x, y, image::Rgba([g, g, g, 255]));
        }
    }
    let share = bad as f64 / (w as f64 * h as f64);
    if share <= PIXEL_SHARE {
        return Ok(());
    }
    let mut sheet = image::RgbaImage::new(w * 3, h);
    image::imageops::overlay(&mut sheet, expected, 0, 0);
    image::imageops::overlay(&mut sheet, &diff, w as i64, 0);
    image::imageops::overlay(&mut sheet, actual, 2 * w as i64, 0);
    Err((
        format!(
            "{bad} pixels ({:.3}%) differ by more than {CHANNEL_TOLERANCE} (worst {worst})",
            share * 100.0
        ),
        Some(sheet),
    ))
}

#[test]
fn reference_images() {
    let root = fixtures_root();
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    assert!(
        files.len() >= 40,
        "expected at least 40 fixtures, found {}",
        files.len()
    );
    let update = std::env::var_os("ADLOOM_UPDATE_REFS").is_some();
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let export = manifest_dir.join("target/fixture-out");
    let report = manifest_dir.join("tests/output");
    let mut failures = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap_or(file).with_extension("");
        let name = rel.to_string_lossy().replace('\\', "/");
        let (bytes, decision) = match render_fixture(file) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: render failed: {e}"));
                continue;
            }
        };
        let out = export.join(&rel).with_extension("png");
        let _ = std::fs::create_dir_all(out.parent().unwrap_or(&export));
        let _ = std::fs::write(&out, &bytes);
        let _ = std::fs::write(out.with_extension("decision.json"), decision.to_string());
        let reference = file.with_extension("png");
        if update || !reference.exists() {
            std::fs::write(&reference, &bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", reference.display()));
            if !update {
                failures.push(format!(
                    "{name}: no reference image; wrote one, look at it and commit it"
                ));
            }
            continue;
        }
        let expected = decode(&std::fs::read(&reference).unwrap_or_default());
        let actual = decode(&bytes);
        match (expected, actual) {
            (Ok(e), Ok(a)) => {
                if let Err((reason, sheet)) = compare(&e, &a) {
                    if let Some(sheet) = sheet {
                        let p = report.join(&rel).with_extension("png");
                        let _ = std::fs::create_dir_all(p.parent().unwrap_or(&report));
                        let _ = sheet.save(&p);
                        failures.push(format!("{name}: {reason}; see {}", p.display()));
                    } else {
                        failures.push(format!("{name}: {reason}"));
                    }
                }
            }
            (Err(e), _) | (_, Err(e)) => failures.push(format!("{name}: cannot decode: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
