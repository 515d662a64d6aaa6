//! Criterion benchmarks of adloom's native stages on the benchmark scenes,
//! so a regression shows per stage: `cargo bench --manifest-path bench/native/Cargo.toml`.
use std::hint::black_box;

use adloom::encode::Format;
use adloom_bench_native::{encode, Bench, SCENES};
use criterion::{criterion_group, criterion_main, Criterion};

fn stages(c: &mut Criterion) {
    for (name, size) in SCENES {
        let b = Bench::load(name, size).unwrap_or_else(|e| panic!("{e}"));
        let plan = b.plan();
        let laid = b.layout(&plan);
        let list = b.display_list(&plan, &laid);
        let pixmap = b.raster(&list);
        let mut g = c.benchmark_group(format!("{name}-{size}"));
        g.bench_function("evaluate", |t| t.iter(|| black_box(b.plan())));
        g.bench_function("layout", |t| t.iter(|| black_box(b.layout(&plan))));
        g.bench_function("display-list", |t| {
            t.iter(|| black_box(b.display_list(&plan, &laid)))
        });
        g.bench_function("raster", |t| t.iter(|| black_box(b.raster(&list))));
        g.bench_function("encode-png", |t| {
            t.iter(|| black_box(encode(&pixmap, Format::Png, None)))
        });
        g.bench_function("render-png", |t| t.iter(|| black_box(b.render())));
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500));
    targets = stages
}
criterion_main!(benches);
