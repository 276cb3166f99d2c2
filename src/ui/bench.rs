//! Hooks for the benchmark command (`scripts/bench.sh`): the same engine work as the native
//! criterion benchmark, timed inside WebAssembly, and the wasm memory size.

use super::browser::now_ms;
use crate::model::evaluate;
use crate::model::sweep::over_batch;
use crate::scenario::Scenario;
use wasm_bindgen::prelude::wasm_bindgen;

/// Evaluations of the default scenario per second over `iterations` calls of `evaluate`.
#[wasm_bindgen]
pub fn bench_evaluate(iterations: u32) -> f64 {
    let s = Scenario::default();
    let t0 = now_ms();
    let mut sink = 0.0;
    for i in 0..iterations.max(1) {
        let mut x = s.clone();
        x.workload.batch_size = 1 + (i as u64 % 512);
        if let Ok(e) = evaluate(&x) {
            sink += e.decode.step_seconds;
        }
    }
    let dt = (now_ms() - t0).max(1e-3) / 1e3;
    if sink < 0.0 {
        return 0.0;
    }
    iterations.max(1) as f64 / dt
}

/// Sweep points per second over `repeats` 1,000-point batch sweeps of the default scenario.
#[wasm_bindgen]
pub fn bench_sweep(repeats: u32) -> f64 {
    let s = Scenario::default();
    let batches: Vec<u64> = (1..=1000).collect();
    let t0 = now_ms();
    let mut points = 0usize;
    for _ in 0..repeats.max(1) {
        points += over_batch(&s, &batches).map(|v| v.len()).unwrap_or(0);
    }
    let dt = (now_ms() - t0).max(1e-3) / 1e3;
    points as f64 / dt
}

/// Bytes of WebAssembly linear memory.
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map(|b| b.byte_length() as f64)
                .unwrap_or(0.0)
        })
        .unwrap_or(0.0)
}
