#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Creative intelligence: theme colours, guardrails, the aesthetic score and
//! render candidates, on generated images, purpose-built fixtures and the
//! example creatives.

use adloom::engine::{Candidate, Engine, RenderInput};
use adloom::guardrails::{Report, Severity};
use adloom::template::Template;
use adloom::theme::{contrast, delta_e2000, lab_of, luminance};
use adloom::Error;
use image::ImageEncoder;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn png(w: u32, h: u32, f: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba(f(x, y)));
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgba8)
        .unwrap();
    out
}

fn hex_rgb(s: &str) -> [u8; 3] {
    let v = u32::from_str_radix(s.trim_start_matches('#'), 16).unwrap();
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

fn close(hex: &str, rgb: [u8; 3], de: f32) -> bool {
    delta_e2000(lab_of(hex_rgb(hex)), lab_of(rgb)) < de
}

#[test]
fn theme_colours_of_generated_images() {
    let mut engine = Engine::new();
    // A studio shot: white backdrop, a red product with a blue band.
    let studio = png(400, 300, |x, y| {
        if (100..300).contains(&x) && (60..260).contains(&y) {
            if y >= 220 {
                [30, 60, 200, 255]
            } else {
                [200, 30, 40, 255]
            }
        } else {
            [255, 255, 255, 255]
        }
    });
    engine.add_image("studio.png", &studio).unwrap();
    let t = engine.theme_colors("studio.png").unwrap();
    assert!(close(&t.dominant, [200, 30, 40], 3.0), "{t:?}");
    assert!(close(&t.accent, [30, 60, 200], 3.0), "{t:?}");
    assert_eq!(t.studio_background.as_deref(), Some("#ffffff"));
    // 80 % of the product is red; resampled edges blend into small swatches.
    assert!((0.72..=0.84).contains(&t.swatches[0].share), "{t:?}");
    let on = contrast(
        luminance(hex_rgb(&t.text_on)),
        luminance(hex_rgb(&t.dominant)),
    );
    assert!(on >= 4.5, "{on}");
    let on_bg = contrast(
        luminance(hex_rgb(&t.text_on_background)),
        luminance(hex_rgb(&t.background)),
    );
    assert!(on_bg >= 4.5);
    assert!(t.is_dark, "red #c81e28 has L* < 50");
    // The subject box is the product's (x 0.25–0.75, y 0.2–0.87).
    assert!((t.subject[0] - 0.25).abs() < 0.03 && (t.subject[2] - 0.75).abs() < 0.03);

    // A cut-out: transparent around a green disc.
    let cutout = png(200, 200, |x, y| {
        let (dx, dy) = (x as i32 - 100, y as i32 - 100);
        if dx * dx + dy * dy < 60 * 60 {
            [20, 150, 60, 255]
        } else {
            [0, 0, 0, 0]
        }
    });
    engine.add_image("cutout.png", &cutout).unwrap();
    let t = engine.theme_colors("cutout.png").unwrap();
    assert!(close(&t.dominant, [20, 150, 60], 3.0), "{t:?}");
    assert!(t.transparent_share > 0.6, "{t:?}");
    assert!(t.studio_background.is_none());

    // A "photo": sky over sand, no plain backdrop.
    let photo = png(300, 200, |_, y| {
        if y < 120 {
            [90, 160, 230, 255]
        } else {
            [220, 190, 130, 255]
        }
    });
    engine.add_image("photo.png", &photo).unwrap();
    let t = engine.theme_colors("photo.png").unwrap();
    assert!(t.studio_background.is_none(), "{t:?}");
    assert!(close(&t.dominant, [90, 160, 230], 3.0), "{t:?}");
    assert!(close(&t.accent, [220, 190, 130], 3.0), "{t:?}");
    assert!((t.swatches[0].share - 0.6).abs() < 0.03);
    assert!(!t.is_dark);

    // Cached per image content; unknown keys are a clear error.
    let again = engine.theme_colors("photo.png").unwrap();
    assert!(std::sync::Arc::ptr_eq(&t, &again));
    let e = engine.theme_colors("nope.png").unwrap_err();
    assert!(e.to_string().contains("nope.png"), "{e}");
}

#[test]
fn theme_time_for_a_1000px_image() {
    let mut engine = Engine::new();
    // Deterministic noise over a gradient: no shortcut for the clustering.
    let big = png(1000, 1000, |x, y| {
        let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) % 64;
        [(x / 4) as u8, (y / 4) as u8, (n * 3) as u8, 255]
    });
    engine.add_image("big.png", &big).unwrap();
    let start = Instant::now();
    let t = engine.theme_colors("big.png").unwrap();
    let first = start.elapsed();
    let start = Instant::now();
    engine.theme_colors("big.png").unwrap();
    let cached = start.elapsed();
    println!(
        "theme colours of a 1000x1000 image: {:.2} ms (cached: {:.4} ms), {} swatches",
        first.as_secs_f64() * 1e3,
        cached.as_secs_f64() * 1e3,
        t.swatches.len()
    );
    assert!(!t.swatches.is_empty());
}

const THEMED: &str = r##"{
  "name": "themed",
  "sizes": [{ "size": "200x100", "overrides": {
    "root": { "backgroundColor": "{{image.hero.theme.background}}" },
    "headline": { "color": "{{image.hero.theme.textOnBackground}}" } } }],
  "sample": { "data": { "product": { "image": "p.png" } } },
  "rules": [{ "id": "dark-product", "when": { "var": "image.hero.theme.isDark" },
              "set": { "headline.text": "Made for the night" } }],
  "root": { "type": "div", "props": { "id": "root",
    "style": { "display": "flex", "padding": 10, "gap": 10 },
    "children": [
      { "type": "img", "props": { "id": "hero", "src": "{{product.image}}",
        "style": { "width": 80, "height": 80 } } },
      { "type": "div", "props": { "id": "headline",
        "style": { "fontSize": 14 },
        "children": ["Made for the day"] } }
    ] } }
}"##;

#[test]
fn image_themes_in_bindings_and_rules_plan_in_two_phases() {
    let mut engine = Engine::new();
    let t = engine.compile(THEMED).unwrap();
    // Phase 1: the image is not loaded; the plan still lists it.
    let p1 = engine.plan(&t, &RenderInput::default()).unwrap();
    assert_eq!(p1.decision.assets.images, ["p.png"]);
    assert_eq!(p1.decision.pending_images, ["p.png"]);
    assert!(p1.decision.fired.is_empty());
    // Phase 2: the host loads it and plans again.
    engine
        .add_image("p.png", &png(64, 64, |_, _| [15, 30, 80, 255]))
        .unwrap();
    let p2 = engine.plan(&t, &RenderInput::default()).unwrap();
    assert!(p2.decision.pending_images.is_empty());
    assert_eq!(p2.decision.fired, ["dark-product"]);
    assert_ne!(p1.decision.key, p2.decision.key);
    assert_eq!(p2.decision.read["image.hero.theme.isDark"], json!(true));
    let theme = engine.theme_colors("p.png").unwrap();
    assert_eq!(
        p2.decision.read["image.hero.theme.background"],
        json!(theme.background)
    );
    // The pixels use the theme: the root's corner is the derived background.
    let out = engine.render(&t, &RenderInput::default()).unwrap();
    let img = image::load_from_memory(&out.bytes).unwrap().to_rgba8();
    let px = img.get_pixel(2, 2).0;
    assert_eq!([px[0], px[1], px[2]], hex_rgb(&theme.background));
    // Same inputs, same key and bytes.
    let again = engine.render(&t, &RenderInput::default()).unwrap();
    assert_eq!(again.bytes, out.bytes);
    assert_eq!(again.decision.key, p2.decision.key);
}

/// Load every image a plan asks for from `dir`, planning again until none is missing.
fn load_assets(engine: &mut Engine, t: &Template, input: &RenderInput, dir: &Path) {
    for _ in 0..3 {
        let plan = engine.plan(t, input).unwrap();
        let missing: Vec<String> = plan
            .decision
            .assets
            .images
            .iter()
            .filter(|k| !engine.has_image(k))
            .cloned()
            .collect();
        if missing.is_empty() {
            return;
        }
        for k in missing {
            let bytes = std::fs::read(dir.join(&k)).unwrap();
            engine.add_image(&k, &bytes).unwrap();
        }
    }
}

fn print_report(name: &str, r: &Report) {
    println!("{name}: {} error(s), {} warning(s)", r.errors, r.warnings);
    for f in &r.findings {
        println!(
            "    {:?} {} `{}` measured {:?} threshold {:?}: {}",
            f.severity, f.rule, f.element, f.measured, f.threshold, f.message
        );
    }
}

#[test]
fn guardrail_fixtures_each_break_one_rule() {
    let dir = root().join("tests/fixtures-guardrails");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    assert!(names.len() >= 10);
    let mut failures = Vec::new();
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut engine = Engine::new();
        let t = engine.compile(&doc["template"].to_string()).unwrap();
        let input = RenderInput::default();
        load_assets(&mut engine, &t, &input, &dir);
        let out = engine.render(&t, &input).unwrap();
        let report = out.decision.report.clone().unwrap();
        assert!(report.complete);
        print_report(&name, &report);
        let expect: Vec<(String, String, Severity)> = doc["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["rule"].as_str().unwrap().to_string(),
                    e["element"].as_str().unwrap().to_string(),
                    serde_json::from_value(e["severity"].clone()).unwrap(),
                )
            })
            .collect();
        for (rule, el, sev) in &expect {
            let found = report
                .findings
                .iter()
                .any(|f| &f.rule == rule && &f.element == el && f.severity == *sev);
            if !found {
                failures.push(format!("{name}: expected {sev:?} {rule} on `{el}`"));
            }
        }
        // Nothing else at warning level or above: each fixture breaks one rule.
        for f in &report.findings {
            let expected = expect
                .iter()
                .any(|(r, e, _)| r == &f.rule && e == &f.element);
            if f.severity >= Severity::Warning && !expected {
                failures.push(format!(
                    "{name}: unexpected {:?} {} on `{}`: {}",
                    f.severity, f.rule, f.element, f.message
                ));
            }
        }
        assert_eq!(report.passed, report.errors == 0);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn contrast_is_measured_on_the_pixels_behind_the_text() {
    // The same white text over a white-to-dark gradient: the measured value
    // depends on the pixels behind it, not on the box's declared colour.
    let doc = |bg: &str| {
        format!(
            r##"{{ "name": "c", "sizes": [{{ "size": "200x60" }}],
            "root": {{ "type": "div", "props": {{ "id": "root",
              "style": {{ "display": "flex", "padding": 10, "backgroundImage": "{bg}" }},
              "children": [{{ "type": "div", "props": {{ "id": "t",
                "style": {{ "color": "#ffffff", "fontSize": 16 }}, "children": ["Hello there"] }} }}] }} }} }}"##
        )
    };
    let engine = Engine::new();
    let measured = |bg: &str| {
        let t = engine.compile(&doc(bg)).unwrap();
        let out = engine.render(&t, &RenderInput::default()).unwrap();
        let r = out.decision.report.unwrap();
        r.findings
            .iter()
            .find(|f| f.rule == "contrast")
            .and_then(|f| f.measured)
    };
    // Dark everywhere: passes, no finding.
    assert_eq!(
        measured("linear-gradient(90deg, #101010 0%, #202020 100%)"),
        None
    );
    // Light everywhere: white on #eeeeee ≈ 1.16.
    let light = measured("linear-gradient(90deg, #eeeeee 0%, #eeeeee 100%)").unwrap();
    assert!((light - 1.16).abs() < 0.05, "{light}");
    // Light on the left half only: the worst part still fails.
    let half = measured("linear-gradient(90deg, #f0f0f0 0%, #f0f0f0 40%, #101010 60%)").unwrap();
    assert!(half < 2.0, "{half}");
}

#[test]
fn fail_on_error_fails_the_render_and_the_fallback_still_serves() {
    let dir = root().join("tests/fixtures-guardrails");
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("contrast-low.json")).unwrap())
            .unwrap();
    doc["template"]["guardrails"]["failOn"] = json!("error");
    let mut engine = Engine::new();
    let t = engine.compile(&doc["template"].to_string()).unwrap();
    let input = RenderInput::default();
    load_assets(&mut engine, &t, &input, &dir);
    let e = engine.render(&t, &input).unwrap_err();
    assert!(matches!(e, Error::Guardrail { findings: 1, .. }), "{e}");
    assert_eq!(e.kind(), "guardrail");
    assert!(e.to_string().contains("headline"), "{e}");
    let fb = engine.render_fallback(&t, &input, &e.to_string()).unwrap();
    assert!(fb.decision.fallback.is_some());
    assert!(!fb.decision.report.unwrap().passed);
    // failOn never (the default) only reports.
    doc["template"]["guardrails"]["failOn"] = json!("never");
    let t = engine.compile(&doc["template"].to_string()).unwrap();
    assert!(engine.render(&t, &input).is_ok());
}

#[test]
fn bad_guardrails_name_the_json_path() {
    let engine = Engine::new();
    let base: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures-guardrails/good.json")).unwrap(),
    )
    .unwrap();
    let cases = [
        (
            json!({ "required": [{ "id": "nope" }] }),
            "guardrails.required[0].id",
        ),
        (
            json!({ "palette": { "colors": ["#12345"] } }),
            "guardrails.palette.colors[0]",
        ),
        (
            json!({ "textSize": { "min": 9, "bySize": { "huge": 3 } } }),
            "guardrails.textSize.bySize.huge",
        ),
        (json!({ "contrst": {} }), "guardrails"),
        (json!({ "failOn": "sometimes" }), "guardrails.failOn"),
    ];
    for (g, path) in cases {
        let mut doc = base["template"].clone();
        doc["guardrails"] = g;
        let e = engine.compile(&doc.to_string()).unwrap_err();
        assert!(e.to_string().starts_with(path), "{e} (wanted {path})");
    }
}

fn example(name: &str) -> (PathBuf, String) {
    let dir = root().join("examples").join(name);
    let text = std::fs::read_to_string(dir.join("template.json")).unwrap();
    (dir, text)
}

#[test]
fn examples_have_no_error_findings() {
    let mut failures = Vec::new();
    for name in ["retail-weather", "travel-geo", "app-install"] {
        let (dir, text) = example(name);
        let mut engine = Engine::new();
        let t = engine.compile(&text).unwrap();
        let contexts: Vec<Value> = std::fs::read_to_string(dir.join("contexts.jsonl"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let sizes: Vec<String> = t.sizes.iter().map(|s| s.name()).collect();
        let mut runs: Vec<RenderInput> = sizes
            .iter()
            .map(|s| RenderInput {
                size: Some(s.clone()),
                ..Default::default()
            })
            .collect();
        for c in &contexts {
            let c = c.get("context").cloned().unwrap_or_else(|| c.clone());
            runs.push(RenderInput {
                context: Some(c),
                size: Some("300x250".to_string()),
                ..Default::default()
            });
        }
        for input in runs {
            load_assets(&mut engine, &t, &input, &dir);
            let mut plan = engine.plan(&t, &input).unwrap();
            assert_eq!(plan.decision.report.as_ref().unwrap().errors, 0);
            let label = format!(
                "{name} {} {}",
                input.size.as_deref().unwrap_or_default(),
                input
                    .context
                    .as_ref()
                    .and_then(|c| c.get("label"))
                    .map(|l| l.to_string())
                    .unwrap_or_else(|| "sample".into())
            );
            engine.analyze(&mut plan).unwrap();
            let r = plan.decision.report.clone().unwrap();
            if r.errors > 0 {
                print_report(&label, &r);
                failures.push(label.clone());
                continue;
            }
            // failOn is "error" in the examples: a failing render is an Err.
            let out = engine.render(&t, &input).unwrap();
            let s = out.decision.score.unwrap();
            assert!(s.value > 0.5 && s.value <= 1.0);
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn candidates_choose_the_best_that_passes() {
    let dir = root().join("tests/fixtures-guardrails");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("good.json")).unwrap()).unwrap();
    let mut engine = Engine::new();
    let t = engine.compile(&doc["template"].to_string()).unwrap();
    let cand = |id: &str, set: Value| Candidate {
        id: id.to_string(),
        set: set.as_object().unwrap().clone(),
    };
    let input = RenderInput {
        candidates: Some(vec![
            cand("grey-headline", json!({ "headline.color": "#3d5f88" })),
            cand("as-designed", json!({})),
            cand(
                "shifted",
                json!({ "headline.marginLeft": 19, "cta.marginLeft": 7 }),
            ),
        ]),
        ..Default::default()
    };
    load_assets(&mut engine, &t, &input, &dir);
    let plan = engine.plan(&t, &input).unwrap();
    let d = &plan.decision;
    assert_eq!(d.candidate.as_deref(), Some("as-designed"));
    assert_eq!(d.candidates.len(), 3);
    assert!(!d.candidates[0].passed, "{:#?}", d.candidates);
    assert!(d.candidates[1].chosen && d.candidates[1].passed);
    let s = |i: usize| d.candidates[i].score.unwrap();
    assert!(s(1) > s(2), "{:#?}", d.candidates);
    assert_eq!(d.score.as_ref().unwrap().value, s(1));
    // Render uses the same choice and the same key.
    let out = engine.render(&t, &input).unwrap();
    assert_eq!(out.decision.candidate.as_deref(), Some("as-designed"));
    assert_eq!(out.decision.key, d.key);
    // Bad candidates name their path.
    let bad = RenderInput {
        candidates: Some(vec![cand("x", json!({ "nope.color": "#fff" }))]),
        ..Default::default()
    };
    let e = engine.plan(&t, &bad).unwrap_err();
    assert!(e.to_string().starts_with("input.candidates[0].set"), "{e}");
}

#[test]
fn score_ranks_good_layouts_above_broken_ones() {
    let dir = root().join("tests/score-set");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let (mut right, mut total) = (0, 0);
    let mut wrong = Vec::new();
    let mut by_kind: std::collections::BTreeMap<String, (u32, u32)> = Default::default();
    for f in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let name = doc["example"].as_str().unwrap();
        let (ex_dir, text) = example(name);
        let mut engine = Engine::new();
        let t = engine.compile(&text).unwrap();
        for size in doc["sizes"].as_array().unwrap() {
            let mut cands = vec![Candidate {
                id: "good".to_string(),
                set: Default::default(),
            }];
            for b in doc["broken"].as_array().unwrap() {
                cands.push(Candidate {
                    id: b["kind"].as_str().unwrap().to_string(),
                    set: b["set"].as_object().unwrap().clone(),
                });
            }
            let input = RenderInput {
                size: Some(size.as_str().unwrap().to_string()),
                candidates: Some(cands),
                ..Default::default()
            };
            load_assets(&mut engine, &t, &input, &ex_dir);
            let plan = engine.plan(&t, &input).unwrap();
            let c = &plan.decision.candidates;
            let good = c[0].score.unwrap();
            for b in &c[1..] {
                let s = b.score.unwrap();
                total += 1;
                let e = by_kind.entry(b.id.clone()).or_default();
                e.1 += 1;
                if good > s {
                    right += 1;
                    e.0 += 1;
                } else {
                    wrong.push(format!("{name} {size} {}: good {good} <= broken {s}", b.id));
                }
                println!(
                    "{name:15} {:9} {:17} good {good:.3} broken {s:.3}",
                    size.as_str().unwrap(),
                    b.id
                );
            }
        }
    }
    let accuracy = f64::from(right) / f64::from(total);
    println!("score ranking accuracy: {right}/{total} = {accuracy:.3}");
    for (k, (r, n)) in &by_kind {
        println!("    {k:17} {r}/{n}");
    }
    for w in &wrong {
        println!("    misranked: {w}");
    }
    assert!(total >= 40);
    assert!(accuracy >= 0.85, "accuracy {accuracy:.3}: {wrong:#?}");
}

#[test]
fn guardrail_and_score_time_per_render() {
    // Printed, not asserted: run with `--nocapture` (and `--release` for real numbers).
    let (dir, text) = example("retail-weather");
    let mut engine = Engine::new();
    let t = engine.compile(&text).unwrap();
    for size in ["300x250", "1080x1080"] {
        let input = RenderInput {
            size: Some(size.to_string()),
            ..Default::default()
        };
        load_assets(&mut engine, &t, &input, &dir);
        let mut plan = engine.plan(&t, &input).unwrap();
        engine.paint(&mut plan.clone()).unwrap();
        engine.analyze(&mut plan.clone()).unwrap();
        let n = 5;
        let start = Instant::now();
        for _ in 0..n {
            engine.paint(&mut plan.clone()).unwrap();
        }
        let paint = start.elapsed().as_secs_f64() * 1e3 / f64::from(n);
        let start = Instant::now();
        for _ in 0..n {
            engine.analyze(&mut plan).unwrap();
        }
        let analyze = start.elapsed().as_secs_f64() * 1e3 / f64::from(n);
        println!(
            "{size}: layout+paint {paint:.2} ms; with guardrail checks and score {analyze:.2} ms (+{:.2} ms)",
            analyze - paint
        );
        assert!(plan.decision.report.as_ref().unwrap().complete);
    }
}

#[test]
fn example_image_themes_are_written_for_the_wasm_comparison() {
    // tests/node/wasm.test.mjs checks that `engine.themeColors` in wasm
    // gives exactly these values.
    let mut engine = Engine::new();
    let mut out = serde_json::Map::new();
    for name in ["retail-weather", "travel-geo", "app-install"] {
        let dir = root().join("examples").join(name).join("img");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let key = format!(
                "examples/{name}/img/{}",
                f.file_name().unwrap().to_string_lossy()
            );
            engine.add_image(&key, &std::fs::read(&f).unwrap()).unwrap();
            let theme = engine.theme_colors(&key).unwrap();
            out.insert(key, serde_json::to_value(theme.as_ref()).unwrap());
        }
    }
    assert!(out.len() >= 15);
    let target = root().join("target/fixture-out");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(
        target.join("themes.json"),
        serde_json::to_string_pretty(&Value::Object(out)).unwrap(),
    )
    .unwrap();
}

#[test]
fn analysis_false_skips_report_and_score_but_not_pixels() {
    let (dir, text) = example("retail-weather");
    let mut engine = Engine::new();
    let t = engine.compile(&text).unwrap();
    let full = RenderInput {
        size: Some("300x250".to_string()),
        ..Default::default()
    };
    load_assets(&mut engine, &t, &full, &dir);
    let fast = RenderInput {
        analysis: Some(false),
        ..full.clone()
    };
    let a = engine.render(&t, &full).unwrap();
    let b = engine.render(&t, &fast).unwrap();
    assert_eq!(a.bytes, b.bytes, "the pixels do not depend on the analysis");
    assert_eq!(a.decision.key, b.decision.key);
    assert!(a.decision.report.is_some() && a.decision.score.is_some());
    assert!(b.decision.report.is_none() && b.decision.score.is_none());

    // A template whose guardrails can fail a render is always checked.
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["guardrails"]["failOn"] = json!("error");
    let strict = engine.compile(&doc.to_string()).unwrap();
    let c = engine.render(&strict, &fast).unwrap();
    assert!(c.decision.report.is_some());
}
