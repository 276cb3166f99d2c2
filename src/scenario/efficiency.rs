//! How close to the roofline a real server gets (the efficiencies and overheads, and which
//! mechanisms below the roofline are modelled), and the energy of bytes and FLOPs.

use serde::{Deserialize, Serialize};

/// How close to the roofline a real server gets, and which of the mechanisms that keep it
/// below the roofline are modelled.
///
/// The fields after the first four were added with the MoE-at-scale mechanisms. In a file
/// or link whose `efficiency` omits them they take their "off" values (the formulas of
/// before), so an efficiency written out in full keeps its meaning; the defaults
/// (`REALISTIC`) switch them on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Efficiency {
    /// Fraction of peak FLOP/s the decode GEMMs reach, η_c ∈ (0, 1].
    pub compute: f64,
    /// Fraction of peak bandwidth reached, η_bw ∈ (0, 1].
    pub bandwidth: f64,
    /// Added to every decode step and prefill pass, seconds.
    pub step_overhead_seconds: f64,
    /// Added once per collective when there is more than one chip, seconds.
    pub collective_latency_seconds: f64,
    /// Fraction of peak FLOP/s prefill reaches, η_p ∈ (0, 1]; `None`: the decode η_c.
    #[serde(default = "legacy_none")]
    pub prefill_compute: Option<f64>,
    /// Fraction of peak FLOP/s attention reaches, η_a ∈ (0, 1], its math at the KV cache's
    /// precision and as its own phase beside the GEMMs; `None`: attention inside the one
    /// roofline of the step, at the GEMMs' precision and η_c.
    #[serde(default = "legacy_none")]
    pub attention_compute: Option<f64>,
    /// Rows of the token-dimension tile GEMMs pad to (grouped-GEMM padding): a GEMM of
    /// t token rows costs ⌈t ÷ this⌉ × this rows of work; 0: no padding.
    #[serde(default)]
    pub token_tile: u32,
    /// Fraction of peak FLOP/s the routed experts' grouped GEMMs reach, ∈ (0, 1]; `None`:
    /// the decode η_c.
    #[serde(default = "legacy_none")]
    pub expert_compute: Option<f64>,
    /// Whether weights stored below the compute precision pay for widening them.
    #[serde(default)]
    pub dequantize: bool,
    /// Busiest chip's expert load ÷ the mean under expert parallelism (≥ 1, measured);
    /// `None`: derived from random top-k routing.
    #[serde(default = "legacy_balanced")]
    pub expert_imbalance: Option<f64>,
    /// Fraction of link bandwidth the expert-parallel all-to-all reaches, ∈ (0, 1], with
    /// scale-up and scale-out links and per-message latencies; `None`: the older
    /// dispatch-and-combine formula at the full scale-up bandwidth.
    #[serde(default = "legacy_none")]
    pub all_to_all: Option<f64>,
    /// Fraction of the all-to-all hidden under compute (two-batch overlap), ∈ [0, 1].
    #[serde(default)]
    pub comm_overlap: f64,
    /// Latency of one all-to-all phase across scale-up domains, seconds.
    #[serde(default = "default_scale_out_latency")]
    pub scale_out_latency_seconds: f64,
    /// Host work per request in a pass (scheduling, sampling, bookkeeping), added to every
    /// decode step and prefill pass for each request one serving process handles, seconds.
    #[serde(default)]
    pub request_overhead_seconds: f64,
    /// GPU work every sequence costs in every layer of a pass, whatever its length
    /// (its attention blocks' launch, page-table walk and split-K reduction, the KV append,
    /// the rotary embedding), added for each sequence one serving process handles, seconds
    /// per sequence per layer.
    #[serde(default)]
    pub sequence_layer_seconds: f64,
}

fn legacy_none() -> Option<f64> {
    None
}

fn legacy_balanced() -> Option<f64> {
    Some(1.0)
}

fn default_scale_out_latency() -> f64 {
    Efficiency::SCALE_OUT_LATENCY_SECONDS
}

impl Efficiency {
    /// One all-to-all phase over RDMA across servers: ~25 µs (an estimate from DeepEP's
    /// published internode low-latency kernels, 100–200 µs for a whole 8-expert layer).
    pub const SCALE_OUT_LATENCY_SECONDS: f64 = 25e-6;

    /// The pure roofline bound: 1, 1, 0, 0, and none of the mechanisms below it.
    pub const PURE: Efficiency = Efficiency {
        compute: 1.0,
        bandwidth: 1.0,
        step_overhead_seconds: 0.0,
        collective_latency_seconds: 0.0,
        prefill_compute: None,
        attention_compute: None,
        token_tile: 0,
        expert_compute: None,
        dequantize: false,
        expert_imbalance: Some(1.0),
        all_to_all: None,
        comm_overlap: 0.0,
        scale_out_latency_seconds: Efficiency::SCALE_OUT_LATENCY_SECONDS,
        request_overhead_seconds: 0.0,
        sequence_layer_seconds: 0.0,
    };

    /// Realistic defaults, fitted to the published offline-throughput and first-token rows
    /// (TensorRT-LLM, dense and MoE, tensor and expert parallel, every cell of the newest
    /// perf overview; `model::calibration`, `docs/calibration.md`), the all-to-all
    /// efficiency and the collective latency included, the collective (in-domain) latency
    /// held at or below the scale-out one. The scale-out latency is not fitted (no row spans
    /// two scale-up domains).
    pub const REALISTIC: Efficiency = Efficiency {
        compute: 0.85,
        bandwidth: 0.7,
        step_overhead_seconds: 0.004,
        collective_latency_seconds: 20e-6,
        prefill_compute: Some(0.65),
        attention_compute: Some(0.4),
        token_tile: 64,
        expert_compute: Some(0.25),
        dequantize: true,
        expert_imbalance: None,
        all_to_all: Some(0.14),
        comm_overlap: 0.0,
        scale_out_latency_seconds: Efficiency::SCALE_OUT_LATENCY_SECONDS,
        request_overhead_seconds: 0.0,
        sequence_layer_seconds: 425e-9,
    };

    /// The four numbers of the first calibration with every later mechanism off (what an
    /// efficiency of four fields means).
    pub const LEGACY: Efficiency = Efficiency {
        compute: 0.4,
        bandwidth: 0.65,
        step_overhead_seconds: 0.005,
        collective_latency_seconds: 10e-6,
        ..Efficiency::PURE
    };

    /// True when all are at the pure bound.
    pub fn is_pure(&self) -> bool {
        *self == Efficiency::PURE
    }

    /// Fixed overhead of one pass: the per-step overhead plus the per-request overhead for
    /// the `requests` one serving process handles, seconds.
    pub fn pass_overhead(&self, requests: f64) -> f64 {
        self.step_overhead_seconds + self.request_overhead_seconds * requests.max(0.0)
    }

    /// Fixed cost of one pass over `layers` layers in which each of the `requests` is one
    /// sequence (a prefill, or a decode step of one token each): [`Self::pass_overhead`]
    /// plus [`Self::sequence_seconds`], seconds.
    pub fn pass_fixed_seconds(&self, requests: f64, layers: f64) -> f64 {
        self.pass_overhead(requests) + self.sequence_seconds(requests, layers)
    }

    /// Per-sequence work of one pass over `layers` layers for the `sequences` one serving
    /// process handles: t_seq · sequences · layers, seconds.
    pub fn sequence_seconds(&self, sequences: f64, layers: f64) -> f64 {
        self.sequence_layer_seconds * sequences.max(0.0) * layers.max(0.0)
    }

    /// Prefill's fraction of peak FLOP/s: η_p, or η_c when unset.
    pub fn prefill(&self) -> f64 {
        self.prefill_compute.unwrap_or(self.compute)
    }
}

impl Default for Efficiency {
    fn default() -> Self {
        Efficiency::REALISTIC
    }
}

/// Energy of moving a byte from memory and of one arithmetic operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EnergyCosts {
    /// Joules per byte read from HBM (default 31.2e-12: 3.9 pJ/bit for HBM2,
    /// O'Connor et al., "Fine-Grained DRAM", MICRO 2017).
    pub joules_per_byte: f64,
    /// Joules per FLOP of tensor-core arithmetic (default 0.35e-12: estimated as half of
    /// an H100's 700 W board power ÷ its 989 TFLOP/s dense bf16 peak; an estimate).
    pub joules_per_flop: f64,
}

impl Default for EnergyCosts {
    fn default() -> Self {
        EnergyCosts {
            joules_per_byte: 31.2e-12,
            joules_per_flop: 0.35e-12,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_work_is_linear_and_zero_at_its_limits() {
        let e = Efficiency::REALISTIC;
        let t = e.sequence_layer_seconds;
        assert_eq!(e.sequence_seconds(0.0, 61.0), 0.0);
        assert_eq!(e.sequence_seconds(100.0, 0.0), 0.0);
        assert_eq!(e.sequence_seconds(-3.0, 61.0), 0.0);
        assert!((e.sequence_seconds(100.0, 61.0) - 100.0 * 61.0 * t).abs() < 1e-15);
        assert!(
            (e.sequence_seconds(200.0, 61.0) - 2.0 * e.sequence_seconds(100.0, 61.0)).abs() < 1e-15
        );
        assert_eq!(Efficiency::PURE.sequence_seconds(1e6, 100.0), 0.0);
        // A file's efficiency without the field keeps the formulas of before.
        let old: Efficiency = serde_json::from_str(
            r#"{"compute":0.4,"bandwidth":0.65,"step_overhead_seconds":0.005,"collective_latency_seconds":1e-5}"#,
        )
        .unwrap();
        assert_eq!(old.sequence_layer_seconds, 0.0);
        assert_eq!(old, Efficiency::LEGACY);
    }
}
