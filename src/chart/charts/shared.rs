//! What the chart builders share: the sweeps' x values, the common axes, the bound and
//! infeasible bands, and [`along`], a series over a sweep.

use crate::chart::axis::{format_value, Format, Scale};
use crate::chart::data::{AxisSpec, ChartData, Region, RegionKind};
use crate::model::sweep::{log_space_u64, SweepPoint};
use crate::model::{Bound, Evaluation};
use crate::scenario::Scenario;

/// The points `(p.x, y(p))` of a sweep, in order (`y` in the series' axis units).
pub(super) fn along(pts: &[SweepPoint], y: impl Fn(&SweepPoint) -> f64) -> Vec<(f64, f64)> {
    pts.iter().map(|p| (p.x, y(p))).collect()
}

/// Sorted, deduplicated whole numbers within 1..=max.
pub(super) fn merge(mut v: Vec<u64>, extra: impl IntoIterator<Item = u64>, max: u64) -> Vec<u64> {
    v.extend(extra);
    v.retain(|&x| x >= 1 && x <= max);
    v.sort_unstable();
    v.dedup();
    v
}

/// The largest batch, context or chip count any sweep reaches.
pub(super) const SWEEP_MAX: u64 = 100_000_000;

/// The ideal batch: the exact crossing, or the rule of thumb when it never crosses.
pub(super) fn ideal_batch(e: &Evaluation) -> f64 {
    e.critical_batch
        .exact
        .map(|b| b as f64)
        .unwrap_or(e.critical_batch.rule_of_thumb)
}

/// The batch sizes the batch charts sweep: 1 … max(4096, 4·B, 2·B*), log-spaced, plus the
/// current batch, the exact B* and the memory limit when inside.
pub(super) fn batch_values(s: &Scenario, e: &Evaluation) -> (Vec<u64>, f64) {
    let b = s.workload.batch_size;
    let ideal = ideal_batch(e);
    let hi_f = (4096.0f64)
        .max(4.0 * b as f64)
        .max(2.0 * ideal)
        .min(SWEEP_MAX as f64);
    let hi = hi_f.round() as u64;
    let base = log_space_u64(1, hi, 96);
    let extra = [
        b,
        e.critical_batch.exact.unwrap_or(0),
        e.critical_batch.exact.map_or(0, |x| x.saturating_sub(1)),
        e.capacity.max_batch_size,
        e.capacity.max_batch_size.saturating_add(1),
    ];
    (merge(base, extra, hi), hi as f64)
}

/// A cost as a label: `$1.23/M`.
pub(super) fn cost_label(v: f64) -> String {
    format!("{}/M", format_value(v, Format::Usd))
}

/// Memory-bound and compute-bound bands from a batch sweep.
pub(super) fn bound_regions(d: &mut ChartData, pts: &[SweepPoint], lo: f64, hi: f64) {
    let switch = pts.iter().find(|p| p.bound == Bound::Compute).map(|p| p.x);
    match switch {
        Some(x) if x > lo => {
            d.regions.push(Region {
                x0: lo,
                x1: x,
                kind: RegionKind::MemoryBound,
                label: "memory-bound".into(),
            });
            d.regions.push(Region {
                x0: x,
                x1: hi,
                kind: RegionKind::ComputeBound,
                label: "compute-bound".into(),
            });
        }
        Some(_) => d.regions.push(Region {
            x0: lo,
            x1: hi,
            kind: RegionKind::ComputeBound,
            label: "compute-bound".into(),
        }),
        None => d.regions.push(Region {
            x0: lo,
            x1: hi,
            kind: RegionKind::MemoryBound,
            label: "memory-bound".into(),
        }),
    }
}

/// A band where the sweep's points do not fit in memory (from the first that does not fit
/// to the end, or from the start to the first that fits).
pub(super) fn infeasible_region(
    d: &mut ChartData,
    pts: &[SweepPoint],
    hi: f64,
    what: &str,
    rising: bool,
) {
    if rising {
        // Fits at small x, stops fitting as x grows.
        if let Some(p) = pts.iter().find(|p| !p.fits) {
            d.regions.push(Region {
                x0: p.x,
                x1: hi,
                kind: RegionKind::Infeasible,
                label: format!("{what} does not fit"),
            });
        }
    } else if let Some(first) = pts.first() {
        if !first.fits {
            let x1 = pts.iter().find(|p| p.fits).map_or(hi, |p| p.x);
            d.regions.push(Region {
                x0: first.x,
                x1,
                kind: RegionKind::Infeasible,
                label: format!("{what} does not fit"),
            });
        }
    }
}

/// The x axis of every batch sweep, log scale.
pub(super) fn batch_axis() -> AxisSpec {
    AxisSpec::new(
        "batch size, concurrent requests",
        "batch",
        Scale::Log,
        Format::Number,
    )
}

/// USD per 1M output tokens, log scale.
pub(super) fn cost_axis() -> AxisSpec {
    AxisSpec::new(
        "USD per 1M output tokens",
        "cost_usd_per_million_output_tokens",
        Scale::Log,
        Format::Usd,
    )
}

/// The log context-length axis (tokens) of the charts against context.
pub(super) fn context_axis() -> AxisSpec {
    AxisSpec::new(
        "context length, tokens",
        "context_tokens",
        Scale::Log,
        Format::Number,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::ChartKind;
    use crate::model::{evaluate, sweep};

    #[test]
    fn merge_sorts_dedups_and_bounds() {
        assert_eq!(merge(vec![5, 1, 3], [3, 0, 9, 2], 5), vec![1, 2, 3, 5]);
    }

    #[test]
    fn batch_values_include_current_batch_and_memory_limit() {
        let s = Scenario::default();
        let e = evaluate(&s).unwrap();
        let (v, hi) = batch_values(&s, &e);
        assert!(hi >= 4096.0);
        assert!(v.contains(&s.workload.batch_size));
        assert!(v.contains(&e.capacity.max_batch_size));
        assert!(v.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(v.first(), Some(&1));
    }

    #[test]
    fn along_pairs_sweep_x_with_the_value() {
        let s = Scenario::default();
        let pts = sweep::over_batch(&s, &[1, 8]).unwrap();
        let xy = along(&pts, |p| p.step_seconds);
        assert_eq!(
            xy,
            vec![(1.0, pts[0].step_seconds), (8.0, pts[1].step_seconds)]
        );
    }

    #[test]
    fn bound_regions_split_at_the_first_compute_bound_point() {
        // A short context: the math overtakes the reads (see cost_batch's test).
        let mut s = Scenario::default();
        s.workload.input_tokens = 128;
        s.workload.output_tokens = 128;
        let pts = sweep::over_batch(&s, &[1, 16384]).unwrap();
        assert_eq!(
            (pts[0].bound, pts[1].bound),
            (Bound::Memory, Bound::Compute)
        );
        let mut d = ChartData::new(ChartKind::CostBatch, batch_axis(), cost_axis());
        bound_regions(&mut d, &pts, 1.0, 16384.0);
        assert_eq!(d.regions.len(), 2);
        assert_eq!(d.regions[0].kind, RegionKind::MemoryBound);
        assert_eq!((d.regions[1].x0, d.regions[1].x1), (16384.0, 16384.0));
    }

    #[test]
    fn infeasible_region_runs_from_the_first_point_that_does_not_fit() {
        let s = Scenario::default();
        let pts = sweep::over_batch(&s, &[1, 100_000_000]).unwrap();
        assert!(pts[0].fits && !pts[1].fits);
        let mut d = ChartData::new(ChartKind::CostBatch, batch_axis(), cost_axis());
        infeasible_region(&mut d, &pts, 1e9, "KV cache", true);
        assert_eq!(d.regions.len(), 1);
        assert_eq!((d.regions[0].x0, d.regions[0].x1), (1e8, 1e9));
        assert_eq!(d.regions[0].label, "KV cache does not fit");
        // Falling: nothing shaded when the first point fits.
        let mut d = ChartData::new(ChartKind::CostBatch, batch_axis(), cost_axis());
        infeasible_region(&mut d, &pts, 1e9, "KV cache", false);
        assert!(d.regions.is_empty());
    }
}
