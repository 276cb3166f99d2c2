//! Memory capacity: weights stored per chip and in total, the largest batch that fits and
//! the fewest chips that hold a setup.

use super::offload::host_room_per_chip;
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

/// Bytes held beside the weights whatever the batch (a draft model, a shared prefix's KV).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Resident {
    /// Bytes split over the chips (their total does not grow with the chip count).
    pub spread: f64,
    /// Bytes every chip holds a copy of (a shared prefix under data-parallel attention).
    pub per_chip: f64,
}

impl Resident {
    /// Nothing beside the weights.
    pub const NONE: Resident = Resident {
        spread: 0.0,
        per_chip: 0.0,
    };

    /// Total bytes on `chips` chips: spread + chips × per chip.
    pub fn total(&self, chips: f64) -> f64 {
        self.spread + self.per_chip * chips
    }
}

/// Memory capacity at `chips` chips with `extra` resident bytes: (weights stored in total,
/// max batch, fits).
pub(super) fn capacity_at(
    s: &Scenario,
    sh: &Shape,
    chips: f64,
    kv_seq: f64,
    extra: Resident,
) -> (f64, u64, bool) {
    let b = s.workload.batch_size as f64;
    let (_, total) = stored_weights(s, sh, chips);
    let max_batch = max_batch_beside(s, sh, chips, kv_seq, extra);
    (
        total,
        max_batch,
        fits_beside(s, sh, chips, b, kv_seq, extra),
    )
}

/// The most chips [`min_chips_to_fit`] considers.
pub const MIN_CHIPS_SEARCH_LIMIT: u32 = 65_536;

/// Fewest chips (same parallelism, up to 65,536) on which the weights and the batch's KV at
/// `kv_seq` bytes per sequence fit: starts from the lower bound ⌈(weights + B·KV) ÷ 0.9·M⌉
/// (and, expert parallel, ⌈experts ÷ (0.9·M − non-expert weights)⌉), then steps up with
/// [`fits_at`], which is monotone in the chip count.
pub fn min_chips_to_fit(s: &Scenario, sh: &Shape, kv_seq: f64) -> Option<u32> {
    min_chips_beside(s, sh, kv_seq, Resident::NONE)
}

/// [`min_chips_to_fit`] with `extra` resident bytes (the bound without them is still a
/// lower bound; the walk checks with [`fits_beside`]).
pub(super) fn min_chips_beside(
    s: &Scenario,
    sh: &Shape,
    kv_seq: f64,
    extra: Resident,
) -> Option<u32> {
    let usable_one = USABLE_MEMORY_FRACTION * s.hardware.memory_capacity;
    let b = s.workload.batch_size as f64;
    let (_, total_one) = stored_weights(s, sh, 1.0);
    // KV may also sit in host memory (offload on): still a lower bound.
    let mut lower = (total_one + b * kv_seq) / (usable_one + host_room_per_chip(s));
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
    (start..=MIN_CHIPS_SEARCH_LIMIT).find(|&c| fits_beside(s, sh, c as f64, b, kv_seq, extra))
}

/// Largest batch whose KV fits beside the weights: ⌊(0.9·N·M − weights) ÷ KV per sequence⌋
/// (expert parallel: N × ⌊(0.9·M − one chip's weights) ÷ KV per sequence⌋), requests. With
/// KV offload on, the free bytes gain 0.9·H per chip of host memory once the weights fit.
pub fn max_batch_at(s: &Scenario, sh: &Shape, chips: f64, kv_seq: f64) -> u64 {
    max_batch_beside(s, sh, chips, kv_seq, Resident::NONE)
}

/// [`max_batch_at`] with `extra` resident bytes taken from the free memory first.
pub fn max_batch_beside(s: &Scenario, sh: &Shape, chips: f64, kv_seq: f64, extra: Resident) -> u64 {
    let m = s.hardware.memory_capacity;
    let (per_chip, total) = stored_weights(s, sh, chips);
    let free_over = |free: f64| {
        if free > 0.0 && kv_seq > 0.0 {
            (free / kv_seq).floor()
        } else {
            0.0
        }
    };
    // Host memory counts only once the weights are in HBM (they never go to the host).
    let host = host_room_per_chip(s);
    let with_host = |free: f64, host: f64| if free >= 0.0 { free + host } else { free };
    let max = match s.parallelism {
        Parallelism::Expert if sh.moe_layers > 0.0 => {
            chips
                * free_over(with_host(
                    USABLE_MEMORY_FRACTION * m - per_chip - extra.spread / chips - extra.per_chip,
                    host,
                ))
        }
        _ => free_over(with_host(
            USABLE_MEMORY_FRACTION * chips * m - total - extra.total(chips),
            chips * host,
        )),
    };
    max.clamp(0.0, u64::MAX as f64) as u64
}

/// Whether weights + batch × KV per sequence fit in 90% of N·M (expert parallel: per chip);
/// with KV offload on, the weights in 90% of N·M and the KV in what is left plus 0.9·N·H.
pub fn fits_at(s: &Scenario, sh: &Shape, chips: f64, batch: f64, kv_seq: f64) -> bool {
    fits_beside(s, sh, chips, batch, kv_seq, Resident::NONE)
}

/// [`fits_at`] with `extra` resident bytes beside the weights.
pub fn fits_beside(
    s: &Scenario,
    sh: &Shape,
    chips: f64,
    batch: f64,
    kv_seq: f64,
    extra: Resident,
) -> bool {
    let m = s.hardware.memory_capacity;
    let (per_chip, total) = stored_weights(s, sh, chips);
    match s.parallelism {
        Parallelism::Expert if sh.moe_layers > 0.0 => {
            let free =
                USABLE_MEMORY_FRACTION * m - per_chip - extra.spread / chips - extra.per_chip;
            free >= 0.0 && batch <= max_batch_beside(s, sh, chips, kv_seq, extra) as f64
        }
        _ => {
            let hbm = USABLE_MEMORY_FRACTION * chips * m;
            let resident = total + extra.total(chips);
            resident <= hbm && resident + batch * kv_seq <= hbm + chips * host_room_per_chip(s)
        }
    }
}
