//! The exact ideal batch: the smallest batch whose math reaches its reads.

use super::{
    decode_attention_flops_per_token, decode_cache_reads, decode_step, experts_touched,
    indexer_flops_per_token, Shape, StepInputs, CRITICAL_BATCH_SEARCH_LIMIT,
};
use crate::scenario::{Parallelism, Scenario};

/// Smallest whole batch from which on the decode step's compute time (without tile padding,
/// whose steps at tile boundaries would make the crossing jump back and forth) reaches its
/// memory time at context `ctx`, experts touched and KV reads included; `None` if none up
/// to 10^7. (Under expert parallelism a lone batch of a handful of requests can be
/// compute-bound before the crossing, the busiest chip's expert load falling faster than
/// the batch grows; that batch is not the ideal one.)
///
/// compute(B) − memory(B) is convex in B (compute and KV are linear, experts touched is
/// concave) and negative at B = 0, so it crosses zero once. The crossing is estimated in
/// closed form (dense) or by a fixed-point iteration on the experts touched (MoE), then
/// confirmed with [`decode_step`] itself: the answer is exactly the smallest batch whose
/// step has compute ≥ memory, as a plain search would find, in a handful of steps.
pub fn exact_critical_batch(s: &Scenario, sh: &Shape, peak: f64, ctx: f64) -> Option<u64> {
    let n = s.chips as f64;
    let crosses = |b: u64| {
        let d = decode_step(
            s,
            sh,
            peak,
            StepInputs {
                batch: b as f64,
                context: ctx,
                chips: n,
            },
        );
        d.compute_seconds - d.terms.padding_seconds >= d.memory_seconds
    };
    let mut b = critical_batch_estimate(s, sh, peak, ctx).clamp(1, CRITICAL_BATCH_SEARCH_LIMIT);
    // Walk to the exact crossing; fall back to bisection if the estimate was far off.
    const WALK: u32 = 16;
    if crosses(b) {
        for _ in 0..WALK {
            if b == 1 || !crosses(b - 1) {
                return Some(b);
            }
            b -= 1;
        }
        Some(bisect_crossing(0, b, crosses))
    } else {
        for _ in 0..WALK {
            b += 1;
            if crosses(b) {
                return Some(b);
            }
        }
        // A batch that crosses to bisect towards: 256 (where the busiest chip's expert
        // load has settled; a step can turn memory-bound again far above it), else the
        // search limit; none: no crossing.
        let hi = if crosses(SETTLED_BATCH) {
            SETTLED_BATCH
        } else if crosses(CRITICAL_BATCH_SEARCH_LIMIT) {
            CRITICAL_BATCH_SEARCH_LIMIT
        } else {
            return None;
        };
        Some(bisect_crossing(if b < hi { b } else { 0 }, hi, crosses))
    }
}

/// A batch (requests) above which the busiest chip's expert load grows with the batch.
const SETTLED_BATCH: u64 = 256;

/// Smallest b in (lo, hi] with crosses(b), given !crosses(lo) (or lo = 0) and crosses(hi).
fn bisect_crossing(mut lo: u64, mut hi: u64, crosses: impl Fn(u64) -> bool) -> u64 {
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if crosses(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// Estimate of the critical batch: the root of B·k_c = A + C·E_touched(B) + B·K, with k_c
/// the compute seconds per request, A the fixed weight read, C the read per expert touched
/// and K the KV read per request (all seconds, mirroring [`decode_step`]).
fn critical_batch_estimate(s: &Scenario, sh: &Shape, peak: f64, ctx: f64) -> u64 {
    let n = s.chips.max(1) as f64;
    let eff = &s.efficiency;
    let bw = s.hardware.memory_bandwidth * eff.bandwidth;
    let b_w = s.precision.weights.bytes();
    let k_c = (2.0 * sh.active_matmul
        + decode_attention_flops_per_token(s, ctx)
        + indexer_flops_per_token(s, ctx))
        / (n * peak * eff.compute);
    // Cache bytes a step reads per request (KV, index keys, linear state), as decode does.
    let reads = decode_cache_reads(s, ctx);
    let kv = reads.kv + reads.indexer + reads.state;
    let expert_bytes = sh.moe_layers * sh.expert * b_w;
    let (a, c, k) = match s.parallelism {
        Parallelism::Expert if sh.moe_layers > 0.0 => (
            sh.always_read * b_w / bw,
            expert_bytes / (n * bw),
            kv / (n * bw),
        ),
        _ => (
            sh.always_read * b_w / (n * bw),
            expert_bytes / (n * bw),
            kv / (n * bw),
        ),
    };
    let slope = k_c - k;
    if slope.is_nan() || slope <= 0.0 {
        return CRITICAL_BATCH_SEARCH_LIMIT;
    }
    let limit = CRITICAL_BATCH_SEARCH_LIMIT as f64;
    // B ← (A + C·E_touched(B)) ÷ (k_c − K) rises monotonically to the smallest root.
    let mut b = a / slope;
    for _ in 0..64 {
        let next = (a + c * experts_touched(sh.experts, sh.experts_per_token, b.max(1.0))) / slope;
        if !next.is_finite() || next > limit {
            return CRITICAL_BATCH_SEARCH_LIMIT;
        }
        if (next - b).abs() < 0.25 {
            b = next;
            break;
        }
        b = next;
    }
    b.ceil().max(1.0) as u64
}
