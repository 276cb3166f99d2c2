//! Pipeline parallelism: one decode step through P stages with M microbatches in flight,
//! and a prompt's hand-overs between stages.
//!
//! P stages, each a tensor-parallel group of t = N ÷ P chips holding L ÷ P of the layers
//! (and 1 ÷ P of every other weight). The B requests in flight are split into M
//! microbatches of B ÷ M. One stage's time for one microbatch is
//!
//! t_stage = (max(T_mem, T_compute) + T_comm + collective latencies) ÷ P + T_p2p + one
//! collective latency,
//!
//! where T_mem, T_compute, T_comm and the latencies are those of
//! [`decode_step`](crate::model::decode_step) for the whole model on t chips at batch B ÷ M,
//! and T_p2p = (B ÷ M)·d·b_a ÷ link is the hand-over of the microbatch's activations to the
//! next stage. Every decode step runs a synchronous schedule: M microbatches through P
//! stages take (M + P − 1) stage times, of which a fraction (P − 1) ÷ (M + P − 1) is bubble,
//! so
//!
//! step = (M + P − 1) · t_stage + per-step overhead,
//!
//! and each user gets one token per step. With one stage there is no hand-over: the step is
//! the plain decode step. The synchronous schedule is conservative: an asynchronous scheduler
//! with M ≥ P microbatches approaches M · t_stage.
//!
//! A prompt runs through the P stages in turn, so its first token takes the prefill plus
//! P − 1 hand-overs of n_in·d·b_a bytes, each with one collective latency.

use crate::model::{Decode, ACTIVATION_BYTES};

/// Activation bytes one stage hands the next for `tokens` tokens of width `hidden_size`:
/// tokens · d · b_a, bytes.
pub fn handover_bytes(tokens: f64, hidden_size: f64) -> f64 {
    tokens * hidden_size * ACTIVATION_BYTES
}

/// Transfer time of a hand-over of `bytes` over a link of `bandwidth` bytes/s, seconds (its
/// fixed latency not included).
pub fn handover_transfer_seconds(bytes: f64, bandwidth: f64) -> f64 {
    bytes / bandwidth
}

/// Idle share of a synchronous schedule of `microbatches` M through `stages` P:
/// (P − 1) ÷ (M + P − 1), a fraction from 0 to 1.
pub fn bubble_fraction(stages: f64, microbatches: f64) -> f64 {
    (stages - 1.0) / (microbatches + stages - 1.0)
}

/// What a pipelined decode step needs besides the whole model's decode step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PipelineInputs {
    /// Pipeline stages P.
    pub stages: f64,
    /// Microbatches M in flight.
    pub microbatches: f64,
    /// Transfer time of one microbatch's hand-over to the next stage (T_p2p), seconds.
    pub handover_seconds: f64,
    /// Fixed latency of one collective, also paid by each hand-over, seconds.
    pub collective_latency_seconds: f64,
    /// Per-step overhead, paid once per step, seconds.
    pub step_overhead_seconds: f64,
}

/// One decode step through the pipeline and its parts, seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PipelineStep {
    /// The whole step: (M + P − 1)·t_stage + overhead, seconds.
    pub seconds: f64,
    /// Memory time of the M useful stage slots, seconds.
    pub memory_seconds: f64,
    /// Compute time of the M useful stage slots, seconds.
    pub compute_seconds: f64,
    /// Collective transfers and hand-overs of the M useful slots, seconds.
    pub comm_seconds: f64,
    /// Per-step overhead plus the fixed latencies of the M useful slots, seconds.
    pub latency_seconds: f64,
    /// The P − 1 idle stage slots (the bubble), seconds.
    pub bubble_seconds: f64,
}

impl PipelineStep {
    /// The plain (unpipelined) decode step `d`, with no bubble.
    pub fn plain(d: &Decode) -> Self {
        PipelineStep {
            seconds: d.step_seconds,
            memory_seconds: d.memory_seconds,
            compute_seconds: d.compute_seconds,
            comm_seconds: d.comm_seconds,
            latency_seconds: d.latency_seconds,
            bubble_seconds: 0.0,
        }
    }
}

/// The collective latencies inside the decode step `d` (its latency less the per-step
/// overhead), seconds.
fn collective_latencies(d: &Decode, x: &PipelineInputs) -> f64 {
    (d.latency_seconds - x.step_overhead_seconds).max(0.0)
}

/// One stage's time for one microbatch: (max(T_mem, T_compute) + T_comm + collective
/// latencies) ÷ P + T_p2p + one collective latency, seconds; `d` is the whole model's decode
/// step at the microbatch.
pub fn stage_seconds(d: &Decode, x: &PipelineInputs) -> f64 {
    let latencies = collective_latencies(d, x);
    (d.memory_seconds.max(d.compute_seconds) + d.comm_seconds + latencies) / x.stages
        + x.handover_seconds
        + x.collective_latency_seconds
}

/// The decode step of `x.microbatches` microbatches through `x.stages` stages, `d` being the
/// whole model's decode step at one microbatch: (M + P − 1)·t_stage + overhead, seconds; one
/// stage (or fewer) is the plain step `d`.
pub fn pipeline_step(d: &Decode, x: &PipelineInputs) -> PipelineStep {
    if x.stages <= 1.0 {
        return PipelineStep::plain(d);
    }
    let (p, m) = (x.stages, x.microbatches);
    let latencies = collective_latencies(d, x);
    let stage = stage_seconds(d, x);
    let slots = m + p - 1.0;
    let seconds = slots * stage + x.step_overhead_seconds;
    // Busy time of the M useful slots, split in the same proportions as one stage.
    let busy = m / p;
    PipelineStep {
        seconds,
        memory_seconds: d.memory_seconds * busy,
        compute_seconds: d.compute_seconds * busy,
        comm_seconds: (d.comm_seconds / p + x.handover_seconds) * m,
        latency_seconds: x.step_overhead_seconds
            + (latencies / p + x.collective_latency_seconds) * m,
        bubble_seconds: (p - 1.0) * stage,
    }
}

/// One prompt's time to first token through `stages` P: the prefill plus P − 1 hand-overs,
/// each its transfer time plus one collective latency, seconds.
pub fn prefill_through_stages(
    prefill_seconds: f64,
    stages: f64,
    handover_seconds: f64,
    collective_latency_seconds: f64,
) -> f64 {
    let hops = (stages - 1.0).max(0.0);
    let hop = handover_seconds + collective_latency_seconds;
    prefill_seconds + hops * hop
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Bound;

    /// A decode step: memory 4 ms, compute 1 ms, comm 0.5 ms, latency 0.3 ms (0.1 ms of it
    /// per-step overhead).
    fn decode() -> Decode {
        let step = 4e-3 + 0.5e-3 + 0.3e-3;
        Decode {
            step_seconds: step,
            memory_seconds: 4e-3,
            compute_seconds: 1e-3,
            comm_seconds: 0.5e-3,
            latency_seconds: 0.3e-3,
            bound: Bound::Memory,
            weight_bytes: 1e10,
            kv_bytes: 1e9,
            kv_host_bytes: 0.0,
            flops: 1e12,
            experts_touched: 0.0,
            terms: crate::model::StepTerms::default(),
            tokens_per_second: 1.0 / step,
            tokens_per_second_per_user: 1.0 / step,
        }
    }

    fn inputs(stages: f64, microbatches: f64) -> PipelineInputs {
        PipelineInputs {
            stages,
            microbatches,
            handover_seconds: 2e-6,
            collective_latency_seconds: 5e-6,
            step_overhead_seconds: 0.1e-3,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300)
    }

    #[test]
    fn one_stage_is_the_plain_step() {
        let d = decode();
        for m in [1.0, 2.0, 8.0] {
            let s = pipeline_step(&d, &inputs(1.0, m));
            assert_eq!(s, PipelineStep::plain(&d));
            assert_eq!(s.seconds, d.step_seconds);
            assert_eq!(s.bubble_seconds, 0.0);
            assert_eq!(bubble_fraction(1.0, m), 0.0);
        }
        assert_eq!(prefill_through_stages(0.25, 1.0, 1e-3, 5e-6), 0.25);
    }

    #[test]
    fn free_hand_overs_and_one_microbatch_take_the_plain_step() {
        // One microbatch visits the stages in turn: P slots of 1/P of the model each.
        let d = decode();
        for p in [2.0, 4.0, 16.0] {
            let x = PipelineInputs {
                handover_seconds: 0.0,
                collective_latency_seconds: 0.0,
                ..inputs(p, 1.0)
            };
            let s = pipeline_step(&d, &x);
            assert!(close(s.seconds, d.step_seconds), "P = {p}: {}", s.seconds);
        }
    }

    #[test]
    fn bubble_vanishes_with_many_microbatches() {
        assert_eq!(bubble_fraction(4.0, 1.0), 0.75);
        assert_eq!(bubble_fraction(2.0, 2.0), 1.0 / 3.0);
        let many = bubble_fraction(8.0, 1e9);
        assert!(many > 0.0 && many < 1e-8, "{many}");
        // The step per microbatch approaches one stage time.
        let d = decode();
        let x = inputs(8.0, 1e6);
        let s = pipeline_step(&d, &x);
        let per_micro = (s.seconds - x.step_overhead_seconds) / x.microbatches;
        let stage = stage_seconds(&d, &x);
        assert!((per_micro / stage - 1.0).abs() < 1e-5);
        assert!(s.bubble_seconds / s.seconds < 1e-5);
    }

    #[test]
    fn parts_add_up_to_the_step() {
        let d = decode();
        for (p, m) in [(2.0, 1.0), (4.0, 4.0), (8.0, 32.0)] {
            let s = pipeline_step(&d, &inputs(p, m));
            let parts = s.memory_seconds.max(s.compute_seconds)
                + s.comm_seconds
                + s.latency_seconds
                + s.bubble_seconds;
            assert!((parts / s.seconds - 1.0).abs() < 1e-12, "P {p} M {m}");
            assert!(close(
                s.bubble_seconds / (s.seconds - 0.1e-3),
                bubble_fraction(p, m)
            ));
        }
    }

    #[test]
    fn hand_over_is_bytes_over_bandwidth() {
        // 8 tokens × 8,192 wide × 2 bytes = 131,072 bytes over 50 GB/s.
        let bytes = handover_bytes(8.0, 8192.0);
        assert_eq!(bytes, 131_072.0);
        let t = handover_transfer_seconds(bytes, 50e9);
        assert!(close(t, 2.62144e-6));
        // Three hand-overs for four stages, each with one latency.
        let ttft = prefill_through_stages(0.5, 4.0, t, 5e-6);
        assert!(close(ttft, 0.5 + 3.0 * (t + 5e-6)));
        // The stage time carries one hand-over per microbatch.
        let d = decode();
        let mut x = inputs(4.0, 4.0);
        let base = stage_seconds(&d, &x);
        x.handover_seconds += t;
        assert!(close(stage_seconds(&d, &x) - base, t));
    }
}
