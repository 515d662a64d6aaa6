#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Variants, A/B bucketing with holdout, and the Thompson-sampling loop.
//!
//! `ADLOOM_UPDATE_VARIANTS=1 cargo test --test variants` rewrites the golden
//! files in `tests/variants/` (the Node test checks the wasm build against
//! the same files).

use adloom::bandit::Outcomes;
use adloom::engine::{Engine, RenderInput};
use adloom::simulate::{self, Scenario, SimOptions};
use adloom::variants::{bucket_of, BUCKETS};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn retail() -> (Engine, adloom::template::Template) {
    let engine = Engine::new();
    let text =
        std::fs::read_to_string(root().join("examples/retail-weather/template.json")).unwrap();
    let t = engine.compile(&text).unwrap();
    (engine, t)
}

fn update() -> bool {
    std::env::var_os("ADLOOM_UPDATE_VARIANTS").is_some()
}

/// Compare `actual` with a committed golden JSON file (or rewrite it).
fn golden(name: &str, actual: &Value) {
    let path = root().join("tests/variants").join(name);
    let text = serde_json::to_string_pretty(actual).unwrap() + "\n";
    if update() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with ADLOOM_UPDATE_VARIANTS=1)",
            path.display()
        )
    });
    let committed: Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(&committed, actual, "{} differs", path.display());
}

/// A small template: one size override, two dimensions, a rule on `variant`.
fn small() -> Value {
    json!({
        "name": "small",
        "sizes": [{ "size": "200x100", "overrides": { "headline": { "color": "#00ff00" } } }],
        "sample": { "data": {}, "context": { "weather": "clear", "daypart": "morning" } },
        "variants": {
            "experiment": "exp-1",
            "dimensions": [
                { "id": "headline", "alternatives": [
                    { "id": "plain" },
                    { "id": "bold", "weight": 3, "set": { "headline.text": "Bold {{context.weather}}", "headline.color": "#ff0000" } } ] },
                { "id": "cta", "alternatives": [
                    { "id": "shop", "set": { "cta.text": "Shop" } },
                    { "id": "buy", "set": { "cta.text": "Buy" } } ] }
            ],
            "holdout": 0.2,
            "segmentBy": ["weather", "daypart"]
        },
        "rules": [
            { "id": "rain", "when": { "==": [{ "var": "context.weather" }, "rain"] }, "set": { "headline.text": "Rain!" } },
            { "id": "bold-bg", "when": { "==": [{ "var": "variant.headline" }, "bold"] }, "set": { "root.backgroundColor": "#222222" } }
        ],
        "root": { "type": "div", "props": { "id": "root", "style": { "backgroundColor": "#ffffff" }, "children": [
            { "type": "div", "props": { "id": "headline", "style": { "color": "#000000" }, "children": ["Hello"] } },
            { "type": "div", "props": { "id": "cta", "children": ["Go"] } } ] } }
    })
}

fn plan_variant(engine: &Engine, t: &adloom::template::Template, input: RenderInput) -> Value {
    let plan = engine.plan(t, &input).unwrap();
    serde_json::to_value(plan.decision.variant.expect("a variant")).unwrap()
}

fn ctx(viewer: &str, weather: &str) -> Option<Value> {
    Some(json!({ "viewerId": viewer, "weather": weather, "daypart": "morning" }))
}

#[test]
fn bucketing_is_stable_golden_list() {
    let ids: Vec<String> = (0..24)
        .map(|i| format!("viewer-{i:03}"))
        .chain(["v-0001", "v-1001", "v-1003", "", "ünïcødé-👀", "12345"].map(String::from))
        .collect();
    let list: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({
                "id": id,
                "arm": bucket_of("retail-weather", "nimbus-copy-2026q4", "arm", id),
                "holdout": bucket_of("retail-weather", "nimbus-copy-2026q4", "holdout", id),
            })
        })
        .collect();
    // Spot-check the hash recipe itself, independent of the golden file.
    let key = "retail-weather\x1fnimbus-copy-2026q4\x1farm\x1fv-0001";
    assert_eq!(
        list[24]["arm"],
        json!((xxhash_rust::xxh3::xxh3_64(key.as_bytes()) % 10_000) as u32)
    );
    golden("buckets.json", &Value::from(list));
}

#[test]
fn buckets_are_uniform_chi_square_over_100k_ids() {
    // 100 bins of 100 buckets each; chi-square with 99 degrees of freedom.
    let n = 100_000u32;
    let mut bins = [0u32; 100];
    for i in 0..n {
        let b = bucket_of(
            "retail-weather",
            "nimbus-copy-2026q4",
            "arm",
            &format!("id-{i}"),
        );
        assert!(b < BUCKETS);
        bins[(b / 100) as usize] += 1;
    }
    let expected = n as f64 / 100.0;
    let chi2: f64 = bins
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum();
    // 99 dof: mean 99; p = 0.001 critical value 148.2. A biased hash (e.g.
    // taking a few low bits of a short string) lands far above.
    assert!(chi2 < 148.2, "chi-square {chi2:.1} over 99 dof");
    assert!(chi2 > 60.0, "suspiciously even: chi-square {chi2:.1}");
}

#[test]
fn variant_split_follows_weights_and_holdout() {
    let engine = Engine::new();
    let t = engine.compile(&small().to_string()).unwrap();
    let v = t.variants.as_ref().unwrap();
    let n = 100_000usize;
    let mut counts = std::collections::HashMap::<String, usize>::new();
    let data = json!({});
    for i in 0..n {
        let c = json!({ "viewerId": format!("u{i}"), "weather": "clear", "daypart": "morning" });
        let chosen = v.choose("small", &data, &c, None, None).unwrap();
        *counts.entry(chosen.decision.id).or_default() += 1;
    }
    // holdout 0.2; headline plain 1 : bold 3; cta 1 : 1.
    let expect = [
        ("control", 0.2),
        ("headline=plain,cta=shop", 0.8 * 0.25 * 0.5),
        ("headline=plain,cta=buy", 0.8 * 0.25 * 0.5),
        ("headline=bold,cta=shop", 0.8 * 0.75 * 0.5),
        ("headline=bold,cta=buy", 0.8 * 0.75 * 0.5),
    ];
    let mut chi2 = 0.0;
    for (id, p) in expect {
        let e = p * n as f64;
        let c = *counts.get(id).unwrap_or(&0) as f64;
        chi2 += (c - e).powi(2) / e;
    }
    // 4 dof: p = 0.001 critical value 18.47.
    assert!(chi2 < 18.47, "chi-square {chi2:.2}: {counts:?}");
    let holdout = counts["control"] as f64 / n as f64;
    assert!((holdout - 0.2).abs() < 0.005, "holdout share {holdout}");
}

#[test]
fn same_viewer_same_variant_and_precedence() {
    let engine = Engine::new();
    let t = engine.compile(&small().to_string()).unwrap();
    // Find viewers in each arm (deterministic: the hash is fixed).
    let mut by_arm = std::collections::BTreeMap::<String, String>::new();
    for i in 0..200 {
        let id = format!("p{i}");
        let v = plan_variant(
            &engine,
            &t,
            RenderInput {
                context: ctx(&id, "clear"),
                ..Default::default()
            },
        );
        by_arm
            .entry(v["id"].as_str().unwrap().to_string())
            .or_insert(id);
    }
    assert_eq!(by_arm.len(), 5, "{by_arm:?}");
    let bold = &by_arm["headline=bold,cta=buy"];
    let input = RenderInput {
        context: ctx(bold, "clear"),
        ..Default::default()
    };
    let a = engine.plan(&t, &input).unwrap();
    let b = engine.plan(&t, &input).unwrap();
    assert_eq!(a.decision, b.decision);
    let v = a.decision.variant.as_ref().unwrap();
    assert_eq!(v.dimensions["headline"], "bold");
    assert_eq!(v.bucketed_by, "viewerId");
    assert!(v.reason.contains(bold.as_str()), "{}", v.reason);
    // Variant sets beat the size override; the rule on `variant` fired.
    let headline = a
        .scene
        .nodes
        .iter()
        .find(|n| n.id.as_deref() == Some("headline"))
        .unwrap();
    assert_eq!(format!("{:?}", headline.content), "Text(\"Bold clear\")");
    assert_eq!(a.decision.fired, ["bold-bg"]);
    assert_eq!(a.decision.read["variant.headline"], "bold");
    // Rendered pixels: the rule's background (#222222) at a corner.
    let out = engine.render(&t, &input).unwrap();
    let img = image::load_from_memory(&out.bytes).unwrap().to_rgba8();
    assert_eq!(img.get_pixel(199, 99).0, [0x22, 0x22, 0x22, 255]);
    // In the rain, the rule overrides the variant's headline text, and says so.
    let rain = RenderInput {
        context: ctx(bold, "rain"),
        ..Default::default()
    };
    let r = engine.plan(&t, &rain).unwrap();
    let rv = r.decision.variant.as_ref().unwrap();
    assert_eq!(rv.id, "headline=bold,cta=buy");
    assert_eq!(rv.overridden_by_rules, ["headline.text"]);
    let headline = r
        .scene
        .nodes
        .iter()
        .find(|n| n.id.as_deref() == Some("headline"))
        .unwrap();
    assert_eq!(format!("{:?}", headline.content), "Text(\"Rain!\")");
    assert_eq!(
        headline.style.color,
        adloom::draw::Rgba {
            r: 255,
            g: 0,
            b: 0,
            a: 255
        }
    );
    // The control is the template as designed (size override applies).
    let control = RenderInput {
        context: ctx(&by_arm["control"], "clear"),
        ..Default::default()
    };
    let c = engine.plan(&t, &control).unwrap();
    let cv = c.decision.variant.as_ref().unwrap();
    assert!(cv.control && cv.dimensions.is_empty());
    assert!(cv.reason.contains("holdout"), "{}", cv.reason);
    let headline = c
        .scene
        .nodes
        .iter()
        .find(|n| n.id.as_deref() == Some("headline"))
        .unwrap();
    assert_eq!(
        headline.style.color,
        adloom::draw::Rgba {
            r: 0,
            g: 255,
            b: 0,
            a: 255
        }
    );
    // Different variants, different keys.
    assert_ne!(a.decision.key, c.decision.key);
}

#[test]
fn forced_variant_and_no_viewer_id() {
    let engine = Engine::new();
    let t = engine.compile(&small().to_string()).unwrap();
    let forced = plan_variant(
        &engine,
        &t,
        RenderInput {
            variant: Some("headline=plain,cta=buy".into()),
            ..Default::default()
        },
    );
    assert_eq!(forced["id"], "headline=plain,cta=buy");
    assert_eq!(forced["bucketedBy"], "forced");
    let err = engine
        .plan(
            &t,
            &RenderInput {
                variant: Some("headline=nope".into()),
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("variant: unknown variant \"headline=nope\""),
        "{err}"
    );
    // No viewer id: the inputs decide, the same inputs the same way, and
    // key order does not matter.
    let a = plan_variant(
        &engine,
        &t,
        RenderInput {
            context: Some(json!({ "weather": "clear", "daypart": "morning", "city": "Oslo" })),
            ..Default::default()
        },
    );
    let b = plan_variant(
        &engine,
        &t,
        RenderInput {
            context: Some(json!({ "city": "Oslo", "daypart": "morning", "weather": "clear" })),
            ..Default::default()
        },
    );
    assert_eq!(a["bucketedBy"], "inputs");
    assert_eq!(a, b);
    // The fallback creative never carries a variant.
    let fb = engine
        .render_fallback(&t, &RenderInput::default(), "test")
        .unwrap();
    assert!(fb.decision.variant.is_none());
}

fn outcomes(json: Value) -> Outcomes {
    serde_json::from_value(json).unwrap()
}

#[test]
fn thompson_allocates_per_segment() {
    let mut t = small();
    t["variants"]["holdout"] = json!(0);
    t["variants"]["allocation"] =
        json!({ "mode": "thompson", "minExplore": 0.05, "minImpressions": 400 });
    let engine = Engine::new();
    let t = engine.compile(&t.to_string()).unwrap();
    let v = t.variants.as_ref().unwrap();
    // In the rain the plain/shop arm wins; in clear mornings bold/buy does.
    let arm = |rain_clicks: u64, clear_clicks: u64| {
        json!({ "impressions": 1000, "clicks": rain_clicks + clear_clicks, "segments": {
            "rain|morning": { "impressions": 500, "clicks": rain_clicks },
            "clear|morning": { "impressions": 500, "clicks": clear_clicks } } })
    };
    let o = outcomes(json!({ "arms": {
        "headline=plain,cta=shop": arm(40, 5),
        "headline=plain,cta=buy": arm(10, 10),
        "headline=bold,cta=shop": arm(10, 12),
        "headline=bold,cta=buy": arm(8, 45),
    } }));
    let rain = v.allocate("small", Some("rain|morning"), Some(&o));
    let clear = v.allocate("small", Some("clear|morning"), Some(&o));
    assert_eq!(rain.basis, adloom::variants::Basis::Segment);
    assert!(rain.shares[0] > 0.8, "{:?}", rain.shares);
    assert!(clear.shares[3] > 0.8, "{:?}", clear.shares);
    for s in rain.shares.iter().chain(&clear.shares) {
        assert!(*s >= 0.05 - 1e-12, "floor: {s}");
    }
    // A segment without enough data falls back to the pooled posteriors.
    let snow = v.allocate("small", Some("snow|morning"), Some(&o));
    assert_eq!(snow.basis, adloom::variants::Basis::Pooled);
    assert!(
        snow.reason.contains("segment `snow|morning` has 0 < 400"),
        "{}",
        snow.reason
    );
    // Too little data overall: the weights.
    let few = outcomes(
        json!({ "arms": { "headline=bold,cta=buy": { "impressions": 10, "clicks": 3 } } }),
    );
    let w = v.allocate("small", Some("rain|morning"), Some(&few));
    assert_eq!(w.basis, adloom::variants::Basis::Weights);
    assert!(
        w.reason.contains("until 400 impressions; 10 so far"),
        "{}",
        w.reason
    );
    // The decision carries posterior means and credible intervals.
    let plan = engine
        .plan(
            &t,
            &RenderInput {
                context: ctx("someone", "rain"),
                outcomes: Some(o.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    let d = plan.decision.variant.unwrap();
    let line = d
        .allocation
        .iter()
        .find(|l| l.id == "headline=plain,cta=shop")
        .unwrap();
    assert_eq!((line.impressions, line.successes), (500, 40));
    let mean = line.posterior_mean.unwrap();
    assert!((mean - 41.0 / 502.0).abs() < 1e-5, "{mean}");
    let [lo, hi] = line.ci95.unwrap();
    assert!(
        lo < mean && mean < hi && lo > 0.05 && hi < 0.11,
        "{lo} {hi}"
    );
    assert!(line.reason.starts_with("won "), "{}", line.reason);
    assert!(d.seed.is_some());
    // Mode `fixed` ignores the outcomes for the split but still reports them.
    let mut fixed = small();
    fixed["variants"]["allocation"] = json!({ "mode": "fixed" });
    let tf = engine.compile(&fixed.to_string()).unwrap();
    let df = engine
        .plan(
            &tf,
            &RenderInput {
                context: ctx("someone", "rain"),
                outcomes: Some(o),
                ..Default::default()
            },
        )
        .unwrap()
        .decision
        .variant
        .unwrap();
    assert_eq!(df.basis, adloom::variants::Basis::Weights);
    assert!(df.allocation.iter().all(|l| l.posterior_mean.is_some()));
}

#[test]
fn simulator_thompson_beats_uniform() {
    let report = simulate::run(&Scenario::default(), &SimOptions::default()).unwrap();
    assert_eq!(report.rounds, 20_000);
    assert!(
        report.regret_thompson < 0.8 * report.regret_uniform,
        "{}",
        report.summary()
    );
    // Deterministic for a seed.
    let again = simulate::run(&Scenario::default(), &SimOptions::default()).unwrap();
    assert_eq!(again.curve, report.curve);
    // The chart: a PNG of the right size whose curves are drawn in their colours.
    let png = simulate::regret_chart(&Engine::new(), &report).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_rgba8();
    assert_eq!(img.dimensions(), (900, 520));
    let count = |rgb: [u8; 3]| img.pixels().filter(|p| p.0[..3] == rgb).count();
    assert!(count([0x0f, 0x4c, 0x81]) > 500, "Thompson curve pixels");
    assert!(count([0xe2, 0x3e, 0x57]) > 500, "uniform curve pixels");
}

#[test]
fn simulator_converges_to_each_segments_best_arm() {
    // With enough traffic every segment's allocation favours its own best
    // arm (the best arms differ by segment, so pooled learning alone fails).
    let options = SimOptions {
        rounds: 60_000,
        ..SimOptions::default()
    };
    let report = simulate::run(&Scenario::default(), &options).unwrap();
    assert!(
        report.regret_thompson < 0.6 * report.regret_uniform,
        "{}",
        report.summary()
    );
    for seg in &report.segments {
        let best = report.arms.iter().position(|a| *a == seg.best).unwrap();
        assert!(
            seg.final_shares[best] > 0.5,
            "{}: {}",
            seg.key,
            report.summary()
        );
    }
}

/// Native decisions for a few viewers, with and without outcomes, pinned in
/// a golden file the Node test also checks against the wasm build.
#[test]
fn golden_plans_native() {
    let (engine, t) = retail();
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/variants/plans-input.json")).unwrap(),
    )
    .unwrap();
    let mut results = Vec::new();
    for case in spec["cases"].as_array().unwrap() {
        let input: RenderInput = serde_json::from_value(case["input"].clone()).unwrap();
        let plan = engine.plan(&t, &input).unwrap();
        results.push(json!({
            "name": case["name"],
            "key": plan.decision.key,
            "variant": plan.decision.variant,
        }));
    }
    golden("plans-expected.json", &Value::from(results));
}

#[test]
fn existing_fixture_viewers_keep_their_pixels() {
    // The sample viewer (v-0001, rainy London evening) gets a variant, but
    // the weather and evening rules override its copy: same scene as the
    // template as designed.
    let (engine, t) = retail();
    let plan = engine.plan(&t, &RenderInput::default()).unwrap();
    let forced = engine
        .plan(
            &t,
            &RenderInput {
                variant: Some("control".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(plan.scene, forced.scene);
    let v = plan.decision.variant.unwrap();
    assert_eq!(v.bucketed_by, "viewerId");
}

fn compile_err(t: &Value) -> String {
    match Engine::new().compile(&t.to_string()) {
        Ok(_) => panic!("expected an error for {}", t["variants"]),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_variants_name_the_json_path() {
    let with = |pointer: &str, value: Value| {
        let mut t = small();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        match t.pointer_mut(parent).unwrap() {
            Value::Object(m) => {
                m.insert(key.to_string(), value);
            }
            Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
            other => panic!("cannot set {key} in {other}"),
        }
        t
    };
    let cases = [
        (
            with("/variants/dimensions/0/alternatives/1/set", json!({ "nope.text": "x" })),
            "variants.dimensions[0].alternatives[1].set[\"nope.text\"]: no node has id `nope`",
        ),
        (
            with("/variants/dimensions/0/alternatives/1/set", json!({ "headline.colour": "red" })),
            "variants.dimensions[0].alternatives[1].set[\"headline.colour\"]: unknown style property",
        ),
        (
            with("/variants/dimensions/0/alternatives/0", json!({ "id": "plain", "wieght": 2 })),
            "variants.dimensions[0].alternatives[0]",
        ),
        (
            with("/variants/dimensions/1/id", json!("headline")),
            "variants.dimensions[1].id: dimension `headline` is listed twice",
        ),
        (
            with("/variants/dimensions/1/id", json!("control")),
            "variants.dimensions[1].id: `control` is reserved",
        ),
        (
            with("/variants/dimensions/0/alternatives/0/id", json!("a=b")),
            "variants.dimensions[0].alternatives[0].id: alternative ids are 1 to 64 letters",
        ),
        (
            with("/variants/dimensions/0/alternatives/0/weight", json!(-1)),
            "variants.dimensions[0].alternatives[0].weight: expected a number ≥ 0",
        ),
        (with("/variants/holdout", json!(1.5)), "variants.holdout: expected a share from 0 to below 1"),
        (
            with("/variants/allocation", json!({ "mode": "thompson", "minExplore": 0.3 })),
            "variants.allocation.minExplore: 4 arms × 0.3 exceeds the whole traffic; use at most 0.25",
        ),
        (
            with("/variants/allocation", json!({ "mode": "greedy" })),
            "variants.allocation.mode: unknown variant `greedy`",
        ),
        (with("/variants/dimensions", json!([])), "variants.dimensions: list at least one dimension"),
    ];
    for (t, want) in cases {
        let e = compile_err(&t);
        assert!(e.starts_with(want), "got `{e}`, want `{want}…`");
    }
    let e = compile_err(&with(
        "/variants/dimensions/0/alternatives/0",
        json!({ "id": "plain", "wieght": 2 }),
    ));
    assert!(e.contains("unknown field `wieght`"), "{e}");
    // Too many combinations: 3 dimensions of 7 alternatives is 343 > 256.
    let dim = |id: &str| json!({ "id": id, "alternatives": (0..7).map(|i| json!({ "id": format!("a{i}") })).collect::<Vec<_>>() });
    let t = with(
        "/variants/dimensions",
        json!([dim("x"), dim("y"), dim("z")]),
    );
    let e = compile_err(&t);
    assert!(e.contains("maxCombinations"), "{e}");
    // A bound style value in a variant set that fails names the variant's path.
    let t = with(
        "/variants/dimensions/0/alternatives/1/set",
        json!({ "headline.fontSize": "{{context.size}}" }),
    );
    let engine = Engine::new();
    let tpl = engine.compile(&t.to_string()).unwrap();
    let e = engine
        .plan(
            &tpl,
            &RenderInput {
                variant: Some("headline=bold,cta=shop".into()),
                context: Some(json!({ "size": "huge" })),
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("variants.dimensions[0].alternatives[1].set[\"headline.fontSize\"]"),
        "{e}"
    );
}

#[test]
fn bad_outcomes_name_the_json_path() {
    let parse = |j: Value| -> String {
        let text = j.to_string();
        let mut de = serde_json::Deserializer::from_str(&text);
        match serde_path_to_error::deserialize::<_, RenderInput>(&mut de) {
            Ok(input) => {
                let engine = Engine::new();
                let t = engine.compile(&small().to_string()).unwrap();
                engine.plan(&t, &input).map(|_| ()).unwrap_err().to_string()
            }
            Err(e) => format!("{}: {}", e.path(), e.inner()),
        }
    };
    let e = parse(json!({ "outcomes": { "arms": { "a=b": { "impressions": -1 } } } }));
    assert!(
        e.starts_with("outcomes.arms.a=b.impressions: invalid value"),
        "{e}"
    );
    let e = parse(
        json!({ "outcomes": { "arms": { "a=b": { "segments": { "s": { "clicks": "3" } } } } } }),
    );
    assert!(
        e.starts_with("outcomes.arms.a=b.segments.s.clicks: invalid type"),
        "{e}"
    );
    let e = parse(json!({ "outcomes": { "armz": {} } }));
    assert!(e.starts_with("outcomes.armz: unknown field"), "{e}");
    let many: serde_json::Map<String, Value> =
        (0..1025).map(|i| (format!("arm{i}"), json!({}))).collect();
    let e = parse(json!({ "outcomes": { "arms": many } }));
    assert!(e.contains("outcomes.arms") && e.contains("maxArms"), "{e}");
    let e = Outcomes::parse("outcomes", r#"{"arms":{"x":{"impressions":1.5}}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("outcomes.arms.x.impressions: invalid type"),
        "{e}"
    );
    // Clicks above impressions (events out of order) count as impressions.
    let engine = Engine::new();
    let mut t = small();
    t["variants"]["allocation"] = json!({ "mode": "thompson", "minImpressions": 10 });
    let t = engine.compile(&t.to_string()).unwrap();
    let o = outcomes(
        json!({ "arms": { "headline=plain,cta=shop": { "impressions": 20, "clicks": 50 } } }),
    );
    let d = engine
        .plan(
            &t,
            &RenderInput {
                outcomes: Some(o),
                ..Default::default()
            },
        )
        .unwrap()
        .decision
        .variant
        .unwrap();
    let line = d
        .allocation
        .iter()
        .find(|l| l.id == "headline=plain,cta=shop")
        .unwrap();
    assert!((line.posterior_mean.unwrap() - 21.0 / 22.0).abs() < 1e-5);
}
