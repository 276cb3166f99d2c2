//! Sweeps: the series a chart needs, one call each.
//!
//! Each sweep validates the scenario once, reduces the model with [`shape`] once, and calls
//! [`decode_step`] per point; it never calls [`evaluate`](super::evaluate) per point (whose
//! exact critical-batch and fewest-chips searches are too slow for a 1,000-point series).
//! Every point is a decode step at the scenario's settings with one input changed.
//!
//! - Cost and throughput against batch: [`over_batch`]; the latency-against-cost frontier is
//!   the same points read as tokens/s/user against cost ([`frontier`] keeps the efficient
//!   ones); energy per token against batch is the `*_joules_per_token` fields of those points.
//! - Against context length: [`over_context`]. Against chip count: [`over_chips`].

use super::{
    decode_step, fits_at, kv_bytes_per_sequence, shape, stored_weights, Bound, Shape, StepInputs,
    USABLE_MEMORY_FRACTION,
};
use crate::scenario::{Scenario, ScenarioError};

/// One point of a sweep: a decode step with one input changed. SI units throughout.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    /// The swept value (batch, context tokens or chips).
    pub x: f64,
    /// Concurrent requests in the system, B.
    pub batch: f64,
    /// Decode context S, tokens.
    pub context: f64,
    /// Chips, N.
    pub chips: f64,
    /// max(memory, compute) + comm + latency, seconds.
    pub step_seconds: f64,
    /// Bytes read ÷ (N·BW·η_bw), seconds.
    pub memory_seconds: f64,
    /// FLOPs ÷ (N·F·η_c), seconds.
    pub compute_seconds: f64,
    /// Collective transfer time, seconds.
    pub comm_seconds: f64,
    /// Per-step overhead plus per-collective latency, seconds.
    pub latency_seconds: f64,
    /// Which of memory and compute binds.
    pub bound: Bound,
    /// B ÷ step, tokens/s for the whole system.
    pub tokens_per_second: f64,
    /// B ÷ step ÷ N, tokens/s per chip.
    pub tokens_per_second_per_chip: f64,
    /// 1 ÷ step, tokens/s each user sees.
    pub tokens_per_second_per_user: f64,
    /// N × price/h ÷ 3600 × step ÷ B × 10^6, USD per million output tokens.
    pub cost_per_million_output_tokens: f64,
    /// (weight + KV bytes read) × J/byte ÷ B, joules per output token.
    pub data_movement_joules_per_token: f64,
    /// FLOPs × J/FLOP ÷ B, joules per output token.
    pub arithmetic_joules_per_token: f64,
    /// Sum of the two energy parts, joules per output token.
    pub joules_per_token: f64,
    /// Weight bytes read in the step, summed over chips.
    pub weight_bytes_read: f64,
    /// KV bytes read in the step, summed over chips.
    pub kv_bytes_read: f64,
    /// Routed experts touched per MoE layer (0 for dense).
    pub experts_touched: f64,
    /// Weights stored over all chips, bytes.
    pub memory_weight_bytes: f64,
    /// KV the batch holds at context S, B × KV per sequence, bytes.
    pub memory_kv_bytes: f64,
    /// 90% of N·M, bytes.
    pub memory_usable_bytes: f64,
    /// Weights and KV fit in usable memory (expert parallel: on every chip).
    pub fits: bool,
    /// The step's parts on the critical path (they sum to `step_seconds`).
    pub parts: super::step_parts::StepParts,
}

/// The input a sweep varies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// `workload.batch_size`, requests.
    BatchSize,
    /// `workload.context_length`, tokens.
    ContextLength,
    /// `chips`.
    Chips,
}

impl Axis {
    /// The scenario field this axis varies (`batch_size`, `context_length`, `chips`).
    pub fn name(self) -> &'static str {
        match self {
            Axis::BatchSize => "batch_size",
            Axis::ContextLength => "context_length",
            Axis::Chips => "chips",
        }
    }

    /// Parses `batch_size`, `context_length` or `chips`; `None` for anything else.
    pub fn parse(s: &str) -> Option<Axis> {
        [Axis::BatchSize, Axis::ContextLength, Axis::Chips]
            .into_iter()
            .find(|a| a.name() == s.trim())
    }

    /// Dotted field path for errors about this axis's values.
    fn field(self) -> &'static str {
        match self {
            Axis::BatchSize => "workload.batch_size",
            Axis::ContextLength => "workload.context_length",
            Axis::Chips => "chips",
        }
    }
}

/// `n` values from `lo` to `hi` evenly spaced in log: lo·(hi/lo)^(i/(n−1)); empty if invalid.
pub fn log_space(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && hi > 0.0) || n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![lo];
    }
    let (a, b) = (lo.ln(), hi.ln());
    (0..n)
        .map(|i| {
            if i == n - 1 {
                hi
            } else {
                (a + (b - a) * i as f64 / (n - 1) as f64).exp()
            }
        })
        .collect()
}

/// Up to `n` distinct whole numbers from `lo` to `hi`, log-spaced and rounded, ascending.
pub fn log_space_u64(lo: u64, hi: u64, n: usize) -> Vec<u64> {
    let mut out: Vec<u64> = log_space(lo.max(1) as f64, hi.max(1) as f64, n)
        .into_iter()
        .map(|v| v.round().max(1.0) as u64)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The values a chart sweeps by default: batch 1…max(4096, 4·B); context 128…max(1M, 4·S);
/// chips 1…max(64, 4·N); 64 log-spaced whole numbers.
pub fn default_values(s: &Scenario, axis: Axis) -> Vec<u64> {
    match axis {
        Axis::BatchSize => log_space_u64(1, (4 * s.workload.batch_size).max(4096), 64),
        Axis::ContextLength => {
            log_space_u64(128, ((4.0 * s.decode_context()) as u64).max(1 << 20), 64)
        }
        Axis::Chips => log_space_u64(1, (4 * s.chips as u64).max(64), 64),
    }
}

/// What a sweep computes once and reuses at every point.
struct Prepared<'a> {
    s: &'a Scenario,
    sh: Shape,
    peak: f64,
}

impl<'a> Prepared<'a> {
    fn new(s: &'a Scenario) -> Result<Self, ScenarioError> {
        s.validate()?;
        let peak = s.peak_flops()?;
        Ok(Prepared {
            s,
            sh: shape(s),
            peak,
        })
    }

    fn point(&self, x: f64, inputs: StepInputs) -> SweepPoint {
        let s = self.s;
        let d = decode_step(s, &self.sh, self.peak, inputs);
        let b = inputs.batch.max(1.0);
        let n = inputs.chips.max(1.0);
        let kv_seq = kv_bytes_per_sequence(s, inputs.context);
        let (_, weights_stored) = stored_weights(s, &self.sh, n);
        let data = (d.weight_bytes + d.kv_bytes) * s.energy.joules_per_byte / b;
        let arith = d.flops * s.energy.joules_per_flop / b;
        SweepPoint {
            x,
            batch: b,
            context: inputs.context,
            chips: n,
            step_seconds: d.step_seconds,
            memory_seconds: d.memory_seconds,
            compute_seconds: d.compute_seconds,
            comm_seconds: d.comm_seconds,
            latency_seconds: d.latency_seconds,
            bound: d.bound,
            tokens_per_second: d.tokens_per_second,
            tokens_per_second_per_chip: d.tokens_per_second / n,
            tokens_per_second_per_user: d.tokens_per_second_per_user,
            cost_per_million_output_tokens: n * s.hardware.price_per_hour / 3600.0 * d.step_seconds
                / b
                * 1e6,
            data_movement_joules_per_token: data,
            arithmetic_joules_per_token: arith,
            joules_per_token: data + arith,
            weight_bytes_read: d.weight_bytes,
            kv_bytes_read: d.kv_bytes,
            experts_touched: d.experts_touched,
            memory_weight_bytes: weights_stored,
            memory_kv_bytes: b * kv_seq,
            memory_usable_bytes: USABLE_MEMORY_FRACTION * n * s.hardware.memory_capacity,
            fits: fits_at(s, &self.sh, n, b, kv_seq),
            parts: super::step_parts::StepParts::of(&d),
        }
    }

    fn inputs(&self) -> StepInputs {
        StepInputs {
            batch: self.s.workload.batch_size as f64,
            context: self.s.decode_context(),
            chips: self.s.chips as f64,
        }
    }
}

fn check_values(axis: Axis, values: &[u64], max: u64) -> Result<(), ScenarioError> {
    match values.iter().find(|&&v| v == 0 || v > max) {
        Some(&v) => Err(ScenarioError::new(
            axis.field(),
            format!("sweep value {v} is outside 1..={max}"),
        )),
        None => Ok(()),
    }
}

/// Decode at each batch size B (requests), other inputs from the scenario.
pub fn over_batch(s: &Scenario, batches: &[u64]) -> Result<Vec<SweepPoint>, ScenarioError> {
    check_values(Axis::BatchSize, batches, 100_000_000)?;
    let p = Prepared::new(s)?;
    let base = p.inputs();
    Ok(batches
        .iter()
        .map(|&b| {
            let x = b as f64;
            p.point(x, StepInputs { batch: x, ..base })
        })
        .collect())
}

/// Decode at each context length S (tokens), other inputs from the scenario.
pub fn over_context(s: &Scenario, contexts: &[u64]) -> Result<Vec<SweepPoint>, ScenarioError> {
    check_values(Axis::ContextLength, contexts, 100_000_000)?;
    let p = Prepared::new(s)?;
    let base = p.inputs();
    Ok(contexts
        .iter()
        .map(|&c| {
            let x = c as f64;
            p.point(x, StepInputs { context: x, ..base })
        })
        .collect())
}

/// Decode on each chip count N, other inputs from the scenario.
pub fn over_chips(s: &Scenario, chips: &[u64]) -> Result<Vec<SweepPoint>, ScenarioError> {
    check_values(Axis::Chips, chips, 1_000_000)?;
    let p = Prepared::new(s)?;
    let base = p.inputs();
    Ok(chips
        .iter()
        .map(|&n| {
            let x = n as f64;
            p.point(x, StepInputs { chips: x, ..base })
        })
        .collect())
}

/// The sweep over `axis` at `values` (dispatches to over_batch/over_context/over_chips).
pub fn over(s: &Scenario, axis: Axis, values: &[u64]) -> Result<Vec<SweepPoint>, ScenarioError> {
    match axis {
        Axis::BatchSize => over_batch(s, values),
        Axis::ContextLength => over_context(s, values),
        Axis::Chips => over_chips(s, values),
    }
}

/// Latency-against-cost frontier: the points no other point beats on both tokens/s/user
/// (higher) and USD per million output tokens (lower), sorted by rising cost.
pub fn frontier(points: &[SweepPoint]) -> Vec<SweepPoint> {
    let mut sorted: Vec<&SweepPoint> = points
        .iter()
        .filter(|p| p.cost_per_million_output_tokens.is_finite())
        .collect();
    sorted.sort_by(|a, b| {
        a.cost_per_million_output_tokens
            .total_cmp(&b.cost_per_million_output_tokens)
            .then(
                b.tokens_per_second_per_user
                    .total_cmp(&a.tokens_per_second_per_user),
            )
    });
    let mut out: Vec<SweepPoint> = Vec::new();
    let mut best_speed = f64::NEG_INFINITY;
    for p in sorted {
        if p.tokens_per_second_per_user > best_speed {
            best_speed = p.tokens_per_second_per_user;
            out.push(p.clone());
        }
    }
    out
}

/// CSV column names, in the order [`SweepPoint::csv_row`] writes them.
pub const CSV_HEADER: &str = "x,batch,context,chips,step_seconds,memory_seconds,compute_seconds,comm_seconds,latency_seconds,bound,tokens_per_second,tokens_per_second_per_chip,tokens_per_second_per_user,cost_per_million_output_tokens,data_movement_joules_per_token,arithmetic_joules_per_token,joules_per_token,weight_bytes_read,kv_bytes_read,experts_touched,memory_weight_bytes,memory_kv_bytes,memory_usable_bytes,fits";

impl SweepPoint {
    /// One CSV line (no newline) in the order of [`CSV_HEADER`].
    pub fn csv_row(&self) -> String {
        let nums = [
            self.x,
            self.batch,
            self.context,
            self.chips,
            self.step_seconds,
            self.memory_seconds,
            self.compute_seconds,
            self.comm_seconds,
            self.latency_seconds,
        ];
        let nums2 = [
            self.tokens_per_second,
            self.tokens_per_second_per_chip,
            self.tokens_per_second_per_user,
            self.cost_per_million_output_tokens,
            self.data_movement_joules_per_token,
            self.arithmetic_joules_per_token,
            self.joules_per_token,
            self.weight_bytes_read,
            self.kv_bytes_read,
            self.experts_touched,
            self.memory_weight_bytes,
            self.memory_kv_bytes,
            self.memory_usable_bytes,
        ];
        let mut cols: Vec<String> = nums.iter().map(|v| v.to_string()).collect();
        cols.push(self.bound.name().to_string());
        cols.extend(nums2.iter().map(|v| v.to_string()));
        cols.push(self.fits.to_string());
        cols.join(",")
    }
}

#[cfg(test)]
#[allow(clippy::field_reassign_with_default)]
mod tests {
    use super::*;
    use crate::model::evaluate;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
    }

    #[test]
    fn log_space_ends_and_ratio() {
        let v = log_space(1.0, 1000.0, 4);
        assert_eq!(v.len(), 4);
        for (got, want) in v.iter().zip([1.0, 10.0, 100.0, 1000.0]) {
            assert!(close(*got, want, 1e-12), "{got} vs {want}");
        }
        assert!(log_space(0.0, 10.0, 5).is_empty());
        assert!(log_space(1.0, 10.0, 0).is_empty());
        assert_eq!(log_space(3.0, 10.0, 1), vec![3.0]);
        let u = log_space_u64(1, 4096, 64);
        assert_eq!(u.first(), Some(&1));
        assert_eq!(u.last(), Some(&4096));
        assert!(u.windows(2).all(|w| w[0] < w[1]));
    }

    /// A sweep point at the scenario's own settings equals evaluate()'s numbers (1e-12).
    #[test]
    fn point_matches_evaluate() {
        for s in [Scenario::default(), {
            let mut s = Scenario::default();
            s.chips = 1;
            s.workload.batch_size = 7;
            s
        }] {
            let e = evaluate(&s).unwrap();
            let b = s.workload.batch_size;
            let p = &over_batch(&s, &[b]).unwrap()[0];
            assert!(close(p.step_seconds, e.decode.step_seconds, 1e-12));
            assert!(close(
                p.cost_per_million_output_tokens,
                e.cost.per_million_output_tokens,
                1e-12
            ));
            assert!(close(
                p.joules_per_token,
                e.energy.joules_per_output_token,
                1e-12
            ));
            assert!(close(
                p.data_movement_joules_per_token,
                e.energy.data_movement_joules,
                1e-12
            ));
            assert!(close(p.memory_weight_bytes, e.capacity.weight_bytes, 1e-12));
            assert!(close(
                p.memory_weight_bytes + p.memory_kv_bytes,
                e.capacity.used_bytes,
                1e-12
            ));
            assert_eq!(p.fits, e.capacity.fits);
            assert_eq!(p.bound, e.decode.bound);
        }
    }

    #[test]
    fn batch_sweep_amortizes_weights() {
        let s = Scenario::default();
        let pts = over_batch(&s, &[1, 2, 4, 8, 16, 32]).unwrap();
        for w in pts.windows(2) {
            assert!(w[1].cost_per_million_output_tokens < w[0].cost_per_million_output_tokens);
            assert!(w[1].data_movement_joules_per_token < w[0].data_movement_joules_per_token);
            assert!(w[1].tokens_per_second > w[0].tokens_per_second);
        }
    }

    #[test]
    fn context_sweep_slows_steps_and_fills_memory() {
        let s = Scenario::default();
        let pts = over_context(&s, &log_space_u64(128, 1 << 20, 20)).unwrap();
        for w in pts.windows(2) {
            assert!(w[1].step_seconds >= w[0].step_seconds);
            assert!(w[1].memory_kv_bytes > w[0].memory_kv_bytes);
        }
        assert!(pts.first().unwrap().fits);
        assert!(!pts.last().unwrap().fits);
    }

    #[test]
    fn more_chips_add_bandwidth() {
        let mut s = Scenario::default();
        s.efficiency = crate::scenario::Efficiency::PURE;
        let pts = over_chips(&s, &[1, 2, 4, 8]).unwrap();
        // Memory-bound: memory time falls as 1/N exactly.
        for p in &pts {
            assert!(close(
                p.memory_seconds * p.chips,
                pts[0].memory_seconds,
                1e-12
            ));
        }
        assert_eq!(pts[0].comm_seconds, 0.0);
        assert!(pts[1].comm_seconds > 0.0);
        // 141 GB of weights + 64 × 1,536 × 327,680 B of KV: too much for 2 × 72 GB, fits 4.
        assert!(!pts[1].fits && pts[2].fits);
    }

    #[test]
    fn frontier_is_monotone_and_nonempty() {
        let s = Scenario::default();
        let pts = over_batch(&s, &log_space_u64(1, 4096, 50)).unwrap();
        let f = frontier(&pts);
        assert!(!f.is_empty());
        for w in f.windows(2) {
            assert!(w[1].cost_per_million_output_tokens >= w[0].cost_per_million_output_tokens);
            assert!(w[1].tokens_per_second_per_user > w[0].tokens_per_second_per_user);
        }
    }

    #[test]
    fn bad_values_and_scenarios_are_errors() {
        let s = Scenario::default();
        assert_eq!(
            over_batch(&s, &[1, 0]).unwrap_err().field,
            "workload.batch_size"
        );
        assert_eq!(over_chips(&s, &[0]).unwrap_err().field, "chips");
        let mut bad = Scenario::default();
        bad.model.layers = 0;
        assert_eq!(over_context(&bad, &[10]).unwrap_err().field, "model.layers");
    }

    #[test]
    fn csv_row_has_header_columns() {
        let s = Scenario::default();
        let p = &over(&s, Axis::BatchSize, &[3]).unwrap()[0];
        assert_eq!(
            p.csv_row().split(',').count(),
            CSV_HEADER.split(',').count()
        );
        assert_eq!(Axis::parse("chips"), Some(Axis::Chips));
        assert_eq!(Axis::parse("chip"), None);
    }
}
