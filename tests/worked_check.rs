//! MODEL.md's worked check (H100 SXM, bf16, Llama 3.1 70B) and other figures it states,
//! each within a stated relative tolerance.

use roofline::catalogue::presets::hardware_preset;
use roofline::model::{evaluate, experts_touched};
use roofline::scenario::{Efficiency, Scenario, Workload};

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs()
}

fn llama70b_h100(chips: u32) -> Scenario {
    Scenario {
        chips,
        efficiency: Efficiency::PURE,
        workload: Workload {
            batch_size: 1,
            ..Workload::default()
        },
        ..Scenario::default()
    }
}

#[test]
fn worked_check_h100_llama_70b() {
    let e = evaluate(&llama70b_h100(1)).unwrap();
    // KV per token = 80 × 2 × 8 × 128 × 2 B = 327,680 B (exact).
    assert_eq!(e.kv_bytes_per_token, 327_680.0);
    // F/BW = 989e12 / 3.35e12 ≈ 295; dense, so B* ≈ 295 (1%).
    assert!(close(e.critical_batch.rule_of_thumb, 295.0, 0.01));
    // Weights ≈ 141 GB, read in ≈ 42 ms at batch 1 on one chip (2%).
    assert!(close(e.capacity.weight_bytes, 141e9, 0.01));
    assert!(
        close(e.decode.step_seconds, 42e-3, 0.02),
        "{}",
        e.decode.step_seconds
    );
    // No single-stream decode on one H100 beats ≈ 24 tokens/s.
    assert!(e.decode.tokens_per_second_per_user <= 24.0);
    assert!(e.decode.tokens_per_second_per_user > 23.0);
    // ≈ 5.3 ms on 8 chips (memory time; 2%).
    let e8 = evaluate(&llama70b_h100(8)).unwrap();
    assert!(
        close(e8.decode.memory_seconds, 5.3e-3, 0.02),
        "{}",
        e8.decode.memory_seconds
    );
}

#[test]
fn hbm_drain_time_h200() {
    // H200: 141 GB ÷ 4.8 TB/s ≈ 29 ms (2%).
    let s = Scenario {
        hardware: hardware_preset("h200-sxm").unwrap().spec.clone(),
        ..Scenario::default()
    };
    assert!(close(
        evaluate(&s).unwrap().hbm_drain_seconds,
        29.4e-3,
        0.02
    ));
}

#[test]
fn experts_touched_endpoints() {
    // E·(1 − (1 − k/E)^B): k at B = 1, → E at large B (relative 1e-12 / 1e-9).
    assert!(close(experts_touched(256.0, 8.0, 1.0), 8.0, 1e-12));
    assert!(close(experts_touched(256.0, 8.0, 1e6), 256.0, 1e-9));
}

#[test]
fn batching_amortizes_weight_reads() {
    // Memory-bound and weight-dominated: cost per token at batch 2 is close to half of
    // batch 1's (within 2%, the KV share), and energy per token falls likewise.
    let one = evaluate(&llama70b_h100(1)).unwrap();
    let mut s = llama70b_h100(1);
    s.workload.batch_size = 2;
    let two = evaluate(&s).unwrap();
    let r = two.cost.per_million_output_tokens / one.cost.per_million_output_tokens;
    assert!(close(r, 0.5, 0.02), "{r}");
    assert!(two.energy.data_movement_joules < 0.52 * one.energy.data_movement_joules);
    // Moving data costs far more energy than the arithmetic it feeds at batch 1.
    assert!(one.energy.data_movement_joules > 50.0 * one.energy.arithmetic_joules);
}
