//! Memory capacity: weights stored per chip and in total, the largest batch that fits and
//! the fewest chips that hold a setup.

use super::{Shape, USABLE_MEMORY_FRACTION};
use crate::scenario::{Parallelism, Scenario};

/// Weights stored on one chip and over all chips, bytes: (per chip, total).
pub fn stored_weights(s: &Scenario, sh: &Shape, chips: f64) -> (f64, f64) {
    let bw = s.precision.weights.bytes();
    match s.parallelism {
        Parallelism::Expert if sh.moe_layers > 0.0 => {
            let experts = sh.moe_layers * sh.experts * sh.expert * bw;
            // A published total below the experts alone is inconsistent; hold it at 0.
            let non_expert = (sh.total * bw - experts).max(0.0);
            (non_expert + experts / chips, chips * non_expert + experts)
        }
        _ => (sh.total * bw / chips, sh.total * bw),
    }
}

/// Memory capacity at `chips` chips: (weights stored in total, max batch, fits).
pub(super) fn capacity_at(s: &Scenario, sh: &Shape, chips: f64, kv_seq: f64) -> (f64, u64, bool) {
    let b = s.workload.batch_size as f64;
    let (_, total) = stored_weights(s, sh, chips);
    let max_batch = max_batch_at(s, sh, chips, kv_seq);
    (total, max_batch, fits_at(s, sh, chips, b, kv_seq))
}

/// The most chips [`min_chips_to_fit`] considers.
pub const MIN_CHIPS_SEARCH_LIMIT: u32 = 65_536;

/// Fewest chips (same parallelism, up to 65,536) on which the weights and the batch's KV at
/// `kv_seq` bytes per sequence fit: starts from the lower bound ⌈(weights + B·KV) ÷ 0.9·M⌉
/// (and, expert parallel, ⌈experts ÷ (0.9·M − non-expert weights)⌉), then steps up with
/// [`fits_at`], which is monotone in the chip count.
pub fn min_chips_to_fit(s: &Scenario, sh: &Shape, kv_seq: f64) -> Option<u32> {
    let usable_one = USABLE_MEMORY_FRACTION * s.hardware.memory_capacity;
    let b = s.workload.batch_size as f64;
    let (_, total_one) = stored_weights(s, sh, 1.0);
    let mut lower = (total_one + b * kv_seq) / usable_one;
    if s.parallelism == Parallelism::Expert && sh.moe_layers > 0.0 {
        let bw = s.precision.weights.bytes();
        let experts = sh.moe_layers * sh.experts * sh.expert * bw;
        let non_expert = total_one - experts;
        if non_expert > usable_one {
            return None;
        }
        lower = lower.max(experts / (usable_one - non_expert));
    }
    if !lower.is_finite() || lower > MIN_CHIPS_SEARCH_LIMIT as f64 {
        return None;
    }
    // One below the bound guards against rounding; the walk confirms with fits_at.
    let start = (lower.floor() as u32).saturating_sub(1).max(1);
    (start..=MIN_CHIPS_SEARCH_LIMIT).find(|&c| fits_at(s, sh, c as f64, b, kv_seq))
}

/// Largest batch whose KV fits beside the weights: ⌊(0.9·N·M − weights) ÷ KV per sequence⌋
/// (expert parallel: N × ⌊(0.9·M − one chip's weights) ÷ KV per sequence⌋), requests.
pub fn max_batch_at(s: &Scenario, sh: &Shape, chips: f64, kv_seq: f64) -> u64 {
    let m = s.hardware.memory_capacity;
    let (per_chip, total) = stored_weights(s, sh, chips);
    let free_over = |free: f64| {
        if free > 0.0 && kv_seq > 0.0 {
            (free / kv_seq).floor()
        } else {
            0.0
        }
    };
    let max = match s.parallelism {
        Parallelism::Expert if sh.moe_layers > 0.0 => {
            chips * free_over(USABLE_MEMORY_FRACTION * m - per_chip)
        }
        _ => free_over(USABLE_MEMORY_FRACTION * chips * m - total),
    };
    max.clamp(0.0, u64::MAX as f64) as u64
}

/// Whether weights + batch × KV per sequence fit in 90% of N·M (expert parallel: per chip).
pub fn fits_at(s: &Scenario, sh: &Shape, chips: f64, batch: f64, kv_seq: f64) -> bool {
    let m = s.hardware.memory_capacity;
    let (per_chip, total) = stored_weights(s, sh, chips);
    match s.parallelism {
        Parallelism::Expert if sh.moe_layers > 0.0 => {
            let free = USABLE_MEMORY_FRACTION * m - per_chip;
            free >= 0.0 && batch <= max_batch_at(s, sh, chips, kv_seq) as f64
        }
        _ => total + batch * kv_seq <= USABLE_MEMORY_FRACTION * chips * m,
    }
}
