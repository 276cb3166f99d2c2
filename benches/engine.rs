//! Criterion benchmarks: one evaluate() and a 1,000-point sweep.
//! Run: `cargo bench --bench engine`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use roofline::catalogue::presets::model_preset;
use roofline::model::sweep::{over_batch, over_context};
use roofline::model::{decode_step, evaluate, shape, StepInputs};
use roofline::scenario::{Parallelism, Scenario};

fn kimi() -> Scenario {
    Scenario {
        model: model_preset("kimi-k2")
            .map(|p| p.spec.clone())
            .unwrap_or_default(),
        chips: 16,
        parallelism: Parallelism::Expert,
        ..Scenario::default()
    }
}

fn bench(c: &mut Criterion) {
    let dense = Scenario::default();
    let moe = kimi();
    c.bench_function("evaluate llama-3.1-70b 8xH100", |b| {
        b.iter(|| evaluate(black_box(&dense)))
    });
    c.bench_function("evaluate kimi-k2 16xH100 expert-parallel", |b| {
        b.iter(|| evaluate(black_box(&moe)))
    });
    let sh = shape(&dense);
    let peak = dense.peak_flops().unwrap_or(1e15);
    c.bench_function("decode_step alone", |b| {
        b.iter(|| {
            decode_step(
                black_box(&dense),
                &sh,
                peak,
                StepInputs {
                    batch: 64.0,
                    context: 1536.0,
                    chips: 8.0,
                },
            )
        })
    });
    let batches: Vec<u64> = (1..=1000).collect();
    c.bench_function("sweep 1000 batches llama-3.1-70b", |b| {
        b.iter(|| over_batch(black_box(&dense), black_box(&batches)))
    });
    c.bench_function("sweep 1000 batches kimi-k2", |b| {
        b.iter(|| over_batch(black_box(&moe), black_box(&batches)))
    });
    let contexts: Vec<u64> = (1..=1000).map(|i| i * 128).collect();
    c.bench_function("sweep 1000 contexts llama-3.1-70b", |b| {
        b.iter(|| over_context(black_box(&dense), black_box(&contexts)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
