//! Times each native stage of adloom on the benchmark scenes and prints
//! JSON (medians and p95 in milliseconds, PNG sizes per encoder setting):
//!
//!     cargo run --release -- [--iters N] [--scene NAME]
//!
//! `bench/run.mjs` reads this output into the report's per-stage profile.
use std::hint::black_box;
use std::time::Instant;

use adloom::encode::Format;
use adloom_bench_native::{encode, encode_png_direct, Bench, SCENES};
use image::codecs::png::{CompressionType, FilterType};
use serde_json::{json, Map, Value};

fn stats(mut ms: Vec<f64>) -> Value {
    ms.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let pos = (ms.len() - 1) as f64 * p;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        ms[lo] + (ms[hi] - ms[lo]) * (pos - lo as f64)
    };
    json!({ "median": q(0.5), "p95": q(0.95), "n": ms.len() })
}

fn time<T>(iters: usize, mut f: impl FnMut() -> T) -> Value {
    for _ in 0..iters.min(5) {
        black_box(f());
    }
    let samples = (0..iters)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    stats(samples)
}

fn main() {
    let mut iters = 50usize;
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--iters" => {
                iters = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| fail("--iters: expected a positive integer"))
            }
            "--scene" => {
                only = Some(
                    args.next()
                        .unwrap_or_else(|| fail("--scene: expected a name")),
                )
            }
            other => fail(&format!(
                "unknown argument {other:?} (known: --iters N, --scene NAME)"
            )),
        }
    }
    let mut out = Map::new();
    for (name, size) in SCENES {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let b = Bench::load(name, size).unwrap_or_else(|e| fail(&e.to_string()));
        let plan = b.plan();
        let laid = b.layout(&plan);
        let list = b.display_list(&plan, &laid);
        let pixmap = b.raster(&list);
        let mut png = Map::new();
        let settings = [
            (
                "default/adaptive",
                CompressionType::Default,
                FilterType::Adaptive,
            ),
            ("fast/adaptive", CompressionType::Fast, FilterType::Adaptive),
            ("fast/up", CompressionType::Fast, FilterType::Up),
            ("default/up", CompressionType::Default, FilterType::Up),
            ("default/paeth", CompressionType::Default, FilterType::Paeth),
            ("best/adaptive", CompressionType::Best, FilterType::Adaptive),
        ];
        for (label, c, f) in settings {
            let bytes = encode(&pixmap, Format::Png, Some((c, f))).len();
            let t = time(iters, || encode(&pixmap, Format::Png, Some((c, f))));
            png.insert(label.into(), json!({ "ms": t, "bytes": bytes }));
        }
        // The png crate directly: deflate levels and fixed filters adloom does not expose.
        let direct = [
            (
                "png:ultrafast/up",
                png::DeflateCompression::FdeflateUltraFast,
                png::Filter::Up,
            ),
            (
                "png:level1/up",
                png::DeflateCompression::Level(1),
                png::Filter::Up,
            ),
            (
                "png:level1/paeth",
                png::DeflateCompression::Level(1),
                png::Filter::Paeth,
            ),
            (
                "png:level2/paeth",
                png::DeflateCompression::Level(2),
                png::Filter::Paeth,
            ),
            (
                "png:level3/paeth",
                png::DeflateCompression::Level(3),
                png::Filter::Paeth,
            ),
            (
                "png:level3/adaptive",
                png::DeflateCompression::Level(3),
                png::Filter::Adaptive,
            ),
            (
                "png:level6/paeth",
                png::DeflateCompression::Level(6),
                png::Filter::Paeth,
            ),
        ];
        for (label, d, f) in direct {
            let bytes = encode_png_direct(&pixmap, d, f).len();
            let t = time(iters, || encode_png_direct(&pixmap, d, f));
            png.insert(label.into(), json!({ "ms": t, "bytes": bytes }));
        }
        let stages = json!({
            "evaluate": time(iters, || b.plan()),
            "layout": time(iters, || b.layout(&plan)),
            "displayList": time(iters, || b.display_list(&plan, &laid)),
            "raster": time(iters, || b.raster(&list)),
            "encodePng": time(iters, || encode(&pixmap, Format::Png, None)),
            "encodeJpeg": time(iters, || encode(&pixmap, Format::Jpeg, None)),
            "encodeWebp": time(iters, || encode(&pixmap, Format::Webp, None)),
            "render": time(iters, || b.render()),
        });
        out.insert(
            name.into(),
            json!({ "size": size, "stages": stages, "png": png, "pngBytes": b.render().len() }),
        );
    }
    println!("{}", Value::Object(out));
}

fn fail(msg: &str) -> ! {
    eprintln!("adloom-bench-native: {msg}");
    std::process::exit(2)
}
