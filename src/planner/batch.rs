//! The best batch of one setup: the largest that fits and keeps every user at the speed
//! target, found by bisection.

use super::config::{Config, Step};
use super::{Limit, Targets};

/// What one configuration achieves.
pub(super) struct Outcome {
    /// (batch, step, limit) at its best batch, when it fits and meets both speed targets.
    pub(super) best: Option<(u64, Step, Limit)>,
    /// The step at the smallest batch, when that fits (the fastest it goes).
    pub(super) fastest: Option<Step>,
}

/// The best batch of `c` for `targets`, and the fastest it goes.
pub(super) fn explore(c: &Config<'_>, targets: &Targets, evals: &mut usize) -> Outcome {
    let max_step = 1.0 / targets.min_user_tokens_per_second;
    let unit = c.batch_of(1);
    if !c.fits(unit as f64) || unit > c.cap {
        return Outcome {
            best: None,
            fastest: None,
        };
    }
    let ttft = c.ttft;
    let first = c.step(unit as f64, evals);
    let fastest = first;
    if first.seconds > max_step || ttft > targets.max_ttft_seconds {
        return Outcome {
            best: None,
            fastest: Some(fastest),
        };
    }
    // Largest number of units (microbatch-sized groups) that fits and stays under the cap.
    let per_unit = unit.max(1);
    let mem_units = c.max_batch_memory() / per_unit;
    let cap_units = c.cap / per_unit;
    let hi_units = mem_units.min(cap_units).max(1);
    let ok = |u: u64, evals: &mut usize| c.step(c.batch_of(u) as f64, evals).seconds <= max_step;
    let units = if ok(hi_units, evals) {
        hi_units
    } else {
        // ok(lo) and !ok(hi): bisect.
        let (mut lo, mut hi) = (1u64, hi_units);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if ok(mid, evals) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    };
    // With tile padding, a batch a little smaller that ends on a whole tile can cost less
    // per token than the largest that meets the targets.
    let cost = |u: u64, evals: &mut usize| {
        c.step(c.batch_of(u) as f64, evals).seconds / c.batch_of(u) as f64
    };
    let mut units = units;
    let mut best_cost = cost(units, evals);
    for u in c.tile_boundaries(units) {
        let x = cost(u, evals);
        if x < best_cost * (1.0 - 1e-12) && c.fits(c.batch_of(u) as f64) {
            best_cost = x;
            units = u;
        }
    }
    let batch = c.batch_of(units);
    let limit = if units < hi_units {
        Limit::LatencyTarget
    } else if mem_units <= cap_units {
        Limit::MemoryCapacity
    } else {
        Limit::BatchCap
    };
    // The memory bound is confirmed with fits_at (max_batch_at is its closed form).
    if !c.fits(batch as f64) {
        return Outcome {
            best: None,
            fastest: Some(fastest),
        };
    }
    let step = c.step(batch as f64, evals);
    Outcome {
        best: Some((batch, step, limit)),
        fastest: Some(fastest),
    }
}
