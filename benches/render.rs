//! Native per-stage timings of the bundled retail example (criterion):
//! evaluate, layout, raster, encode, and the whole render, at 300x250 and 1200x628.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use adloom::engine::{Engine, RenderInput};
use adloom::layout::{display_list, layout};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;

fn retail_engine() -> (Engine, adloom::template::Template) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retail-weather");
    let mut engine = Engine::new();
    let tpl = engine
        .compile(&std::fs::read_to_string(dir.join("template.json")).unwrap())
        .unwrap();
    for entry in std::fs::read_dir(dir.join("img")).unwrap() {
        let p = entry.unwrap().path();
        let key = format!("img/{}", p.file_name().unwrap().to_string_lossy());
        engine.add_image(&key, &std::fs::read(&p).unwrap()).unwrap();
    }
    (engine, tpl)
}

fn stages(c: &mut Criterion) {
    let (engine, tpl) = retail_engine();
    for size in ["300x250", "1200x628"] {
        let input = RenderInput {
            size: Some(size.into()),
            ..RenderInput::default()
        };
        // Warm the caches (shaped text, resized images) as a long-lived engine would be.
        engine.render(&tpl, &input).unwrap();
        let mut group = c.benchmark_group(size);
        group.bench_function("evaluate", |b| {
            b.iter(|| black_box(engine.plan(&tpl, &input).unwrap()))
        });
        let plan = engine.plan(&tpl, &input).unwrap();
        group.bench_function("layout", |b| {
            b.iter(|| black_box(layout(&plan.scene, engine.fonts(), engine.images()).unwrap()))
        });
        let laid = layout(&plan.scene, engine.fonts(), engine.images()).unwrap();
        let list = display_list(&plan.scene, &laid, engine.images());
        group.bench_function("raster", |b| {
            b.iter(|| {
                black_box(adloom::raster::paint(&list, engine.fonts(), engine.images()).unwrap())
            })
        });
        let pixmap = adloom::raster::paint(&list, engine.fonts(), engine.images()).unwrap();
        let options = adloom::encode::EncodeOptions::default();
        group.bench_function("encode-png", |b| {
            b.iter(|| black_box(adloom::encode::encode(&pixmap, &options).unwrap()))
        });
        group.bench_function("render-png", |b| {
            b.iter(|| black_box(engine.render(&tpl, &input).unwrap()))
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500));
    targets = stages
}
criterion_main!(benches);
