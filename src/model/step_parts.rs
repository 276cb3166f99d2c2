//! The decode step as parts that add up to it: what each named mechanism costs on the
//! critical path, for the breakdown chart, the CLI's JSON and the "why" panel.
//!
//! Reads are on the path in full; math only where it runs beyond the reads it overlaps (the
//! GEMMs beyond the weight reads, attention beyond the KV reads when attention runs as its
//! own phase; otherwise all math beyond all reads). That excess is split between the math's
//! terms (useful GEMMs, tile padding, expert imbalance, widening narrow weights, attention)
//! in proportion to their time.

use super::Decode;

/// One decode step's parts, seconds; they sum to `Decode::step_seconds`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepParts {
    /// Reading the weights.
    pub weights: f64,
    /// Reading the KV cache from HBM.
    pub kv: f64,
    /// Reading the KV cache's host share over the host link (KV offload).
    pub kv_host: f64,
    /// The indexer reading every cached index key (0 without one).
    pub indexer: f64,
    /// Reading and writing back the linear layers' state (0 without them).
    pub linear_state: f64,
    /// Useful GEMM math beyond the reads.
    pub gemm: f64,
    /// Tile padding beyond the reads.
    pub padding: f64,
    /// Expert load imbalance beyond the reads.
    pub imbalance: f64,
    /// Widening narrow weights beyond the reads.
    pub dequant: f64,
    /// Attention math beyond the reads.
    pub attention: f64,
    /// Communication not hidden under compute.
    pub communication: f64,
    /// Every sequence's fixed work in every layer.
    pub sequences: f64,
    /// Step overhead, per-request host work and collective latencies.
    pub overheads: f64,
}

/// Each part's key, for the CLI's JSON (`decode.part.<key>_seconds`) and CSV columns.
pub const PART_KEYS: [&str; 13] = [
    "weights_read",
    "kv_read",
    "kv_host_read",
    "indexer_read",
    "linear_state",
    "gemm",
    "padding",
    "imbalance",
    "dequant",
    "attention",
    "communication",
    "sequence_work",
    "overheads",
];

/// `x` split over `parts` in proportion to them (all 0 when they sum to 0).
fn share(x: f64, parts: [f64; 5]) -> [f64; 5] {
    let total: f64 = parts.iter().sum();
    if total > 0.0 && x > 0.0 {
        parts.map(|p| x * p / total)
    } else {
        [0.0; 5]
    }
}

impl StepParts {
    /// The parts of `d`.
    pub fn of(d: &Decode) -> StepParts {
        let t = &d.terms;
        let (w, kv, kv_host) = (
            t.weight_read_seconds,
            t.kv_read_seconds,
            t.kv_host_read_seconds,
        );
        let (idx, st) = (t.indexer_read_seconds, t.linear_state_seconds);
        // Every cache read: the attention phase's reads.
        let cache = kv + kv_host + idx + st;
        let gemm_terms = [
            t.gemm_seconds,
            t.padding_seconds,
            t.imbalance_seconds,
            t.dequant_seconds,
            0.0,
        ];
        let g_total: f64 = gemm_terms.iter().sum();
        let [gemm, padding, imbalance, dequant, attention] = if t.attention_apart {
            let g = share(g_total - w, gemm_terms);
            let a = (t.attention_compute_seconds - cache).max(0.0);
            [g[0], g[1], g[2], g[3], a]
        } else {
            let mut all = gemm_terms;
            all[4] = t.attention_compute_seconds;
            share(g_total + t.attention_compute_seconds - w - cache, all)
        };
        StepParts {
            weights: w,
            kv,
            kv_host,
            indexer: idx,
            linear_state: st,
            gemm,
            padding,
            imbalance,
            dequant,
            attention,
            communication: d.comm_seconds,
            sequences: t.sequence_seconds,
            overheads: d.latency_seconds - t.sequence_seconds,
        }
    }

    /// The parts in [`PART_KEYS`] order.
    pub fn values(&self) -> [f64; 13] {
        [
            self.weights,
            self.kv,
            self.kv_host,
            self.indexer,
            self.linear_state,
            self.gemm,
            self.padding,
            self.imbalance,
            self.dequant,
            self.attention,
            self.communication,
            self.sequences,
            self.overheads,
        ]
    }

    /// Their sum, seconds (the step time).
    pub fn total(&self) -> f64 {
        self.values().iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::presets::{hardware_preset, model_preset};
    use crate::model::{evaluate, measurements::MEASUREMENTS};
    use crate::scenario::{Efficiency, Parallelism, Precision, Scenario};

    fn check(s: &Scenario) -> StepParts {
        let e = evaluate(s).unwrap();
        let p = StepParts::of(&e.decode);
        let step = e.decode.step_seconds;
        assert!((p.total() - step).abs() <= 1e-9 * step, "{p:?} vs {step}");
        assert!(
            p.values().iter().all(|x| *x >= 0.0 && x.is_finite()),
            "{p:?}"
        );
        p
    }

    /// DeepSeek-V3 on 8 × H200, expert parallel.
    fn deepseek_ep8() -> Scenario {
        Scenario {
            model: model_preset("deepseek-v3").unwrap().spec.clone(),
            hardware: hardware_preset("h200-sxm").unwrap().spec.clone(),
            chips: 8,
            parallelism: Parallelism::Expert,
            ..Scenario::default()
        }
    }

    #[test]
    fn parts_add_up_in_both_modes() {
        let mut s = Scenario::default();
        check(&s);
        s.efficiency = Efficiency::PURE;
        let p = check(&s);
        assert_eq!((p.padding, p.imbalance, p.dequant), (0.0, 0.0, 0.0));
        s.efficiency = Efficiency::REALISTIC;
        s.workload.batch_size = 4096;
        check(&s);
    }

    #[test]
    fn moe_at_scale_shows_its_terms() {
        let mut s = deepseek_ep8();
        s.precision.weights = Precision::Fp8;
        s.precision.compute = Precision::Fp8;
        s.workload.batch_size = 3072;
        let p = check(&s);
        assert!(
            p.padding > 0.0 && p.attention > 0.0 && p.communication > 0.0,
            "{p:?}"
        );
        assert!(p.imbalance > 0.0, "{p:?}");
        // Every public row's step adds up too.
        for m in MEASUREMENTS {
            let s = crate::model::calibration::scenario_for(m, &Efficiency::REALISTIC).unwrap();
            check(&s);
        }
    }

    #[test]
    fn per_sequence_work_is_its_own_part_and_vanishes_at_zero() {
        let mut s = deepseek_ep8();
        s.workload.batch_size = 1024;
        let t_seq = s.efficiency.sequence_layer_seconds;
        assert!(t_seq > 0.0);
        let with = check(&s);
        // Under expert parallelism each rank's process runs B ÷ N sequences.
        let expected = t_seq * 1024.0 / 8.0 * s.model.layers as f64;
        assert!((with.sequences - expected).abs() <= 1e-12, "{with:?}");
        // Switched off, the step is the step without it, less exactly that part.
        s.efficiency.sequence_layer_seconds = 0.0;
        let without = check(&s);
        assert_eq!(without.sequences, 0.0);
        assert!((with.total() - without.total() - expected).abs() <= 1e-12);
        assert_eq!(with.overheads, without.overheads);
        // Tensor parallel: one process runs all B sequences.
        s.parallelism = Parallelism::Tensor;
        s.efficiency.sequence_layer_seconds = t_seq;
        let tp = check(&s);
        assert!((tp.sequences - t_seq * 1024.0 * s.model.layers as f64).abs() <= 1e-12);
    }
}
