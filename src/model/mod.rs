//! The physics of serving an LLM: plain structs in, plain structs out.
//!
//! No leptos, web-sys or plotters here: `cargo test` runs it natively in seconds.
//! Every formula follows `MODEL.md`; the conventions of its reference cases are kept
//! (published totals include embedding and LM head; the embedding lookup is not a read).

pub mod all_to_all;
pub mod calibration;
pub mod dequant;
pub mod imbalance;
pub mod measurements;
pub mod padding;
pub mod pipeline;
pub mod step_parts;
pub mod sweep;
pub mod tiles;

use crate::scenario::{Attention, Parallelism, Precision, Scenario, ScenarioError};

/// Fraction of N·M usable for weights and KV (the rest is activations and fragmentation).
pub const USABLE_MEMORY_FRACTION: f64 = 0.9;
/// Bytes per activation element in collectives (bf16).
pub const ACTIVATION_BYTES: f64 = 2.0;
/// The largest batch the exact critical-batch search tries.
pub const CRITICAL_BATCH_SEARCH_LIMIT: u64 = 10_000_000;

/// Parameter counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Total parameters, embedding and LM head included.
    pub total: f64,
    /// Parameters used per token.
    pub active: f64,
    /// total ÷ active (1 for a dense model).
    pub sparsity: f64,
}

/// One decode step of the whole batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Decode {
    /// max(memory, compute) + communication + overheads, seconds.
    pub step_seconds: f64,
    /// Bytes read ÷ (N·BW·η_bw) (expert parallel: one chip's bytes ÷ (BW·η_bw)), seconds.
    pub memory_seconds: f64,
    /// FLOPs ÷ (N·F·η_c), seconds.
    pub compute_seconds: f64,
    /// Transfer time of the collectives (their fixed latency is in `latency_seconds`).
    pub comm_seconds: f64,
    /// Per-step overhead plus per-collective latency, seconds.
    pub latency_seconds: f64,
    /// Which of memory and compute is slower.
    pub bound: Bound,
    /// Weight bytes read in one step, summed over chips.
    pub weight_bytes: f64,
    /// KV bytes read in one step, summed over chips.
    pub kv_bytes: f64,
    /// 2·B·(active matmul parameters) + attention FLOPs, summed over chips.
    pub flops: f64,
    /// Routed experts touched per MoE layer (0 for a dense model).
    pub experts_touched: f64,
    /// The terms of the step, each explained in the "why" panel.
    pub terms: StepTerms,
    /// B ÷ step, tokens/s for the whole system.
    pub tokens_per_second: f64,
    /// 1 ÷ step, tokens/s each user sees.
    pub tokens_per_second_per_user: f64,
}

/// What one decode step spends, term by term (seconds unless stated; per chip, on the
/// busiest chip). `compute_seconds` of [`Decode`] is gemm + padding + imbalance + dequant +
/// attention compute.
#[derive(Clone, Debug, PartialEq)]
pub struct StepTerms {
    /// Useful GEMM FLOPs ÷ (F·η_c): the weights' matrix products, no padding.
    pub gemm_seconds: f64,
    /// Extra GEMM time for padding token rows to whole tiles.
    pub padding_seconds: f64,
    /// Extra expert GEMM time on the busiest chip over the mean chip.
    pub imbalance_seconds: f64,
    /// Widening weights stored below the compute precision.
    pub dequant_seconds: f64,
    /// Attention math at its own precision and efficiency (or at η_c when not apart).
    pub attention_compute_seconds: f64,
    /// Weight reads ÷ (BW·η_bw).
    pub weight_read_seconds: f64,
    /// KV reads ÷ (BW·η_bw).
    pub kv_read_seconds: f64,
    /// Whether attention runs as its own phase: step = max(weights, GEMMs) + max(KV,
    /// attention) rather than max(all reads, all math).
    pub attention_apart: bool,
    /// Communication hidden under compute (two-batch overlap).
    pub comm_hidden_seconds: f64,
    /// Busiest chip's expert load ÷ the mean (1 without expert parallelism).
    pub imbalance_factor: f64,
    /// Token rows each touched expert multiplies, B·k ÷ E_touched (0 for dense).
    pub tokens_per_expert: f64,
    /// Precision attention's math runs at.
    pub attention_precision: Precision,
}

impl Default for StepTerms {
    /// All zero, attention inside the step's one roofline at bf16.
    fn default() -> Self {
        StepTerms {
            gemm_seconds: 0.0,
            padding_seconds: 0.0,
            imbalance_seconds: 0.0,
            dequant_seconds: 0.0,
            attention_compute_seconds: 0.0,
            weight_read_seconds: 0.0,
            kv_read_seconds: 0.0,
            attention_apart: false,
            comm_hidden_seconds: 0.0,
            imbalance_factor: 1.0,
            tokens_per_expert: 0.0,
            attention_precision: Precision::Bf16,
        }
    }
}

/// Which resource limits a pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    Memory,
    Compute,
}

impl Bound {
    /// `"memory"` or `"compute"`.
    pub fn name(self) -> &'static str {
        match self {
            Bound::Memory => "memory",
            Bound::Compute => "compute",
        }
    }
}

/// Prefill of one request (its time to first token).
#[derive(Clone, Debug, PartialEq)]
pub struct Prefill {
    /// max(memory, compute) + communication + latencies + overhead, seconds.
    pub seconds: f64,
    /// Bytes ÷ (N·BW·η_bw), seconds.
    pub memory_seconds: f64,
    /// FLOPs ÷ (N·F·η_c), seconds.
    pub compute_seconds: f64,
    /// Two all-reduces of n·d·b_a bytes per layer, seconds.
    pub comm_seconds: f64,
    /// 2·n·P_active + causal attention FLOPs.
    pub flops: f64,
    /// All weights (embedding lookup excluded) + KV written, bytes.
    pub bytes: f64,
    /// Which of memory and compute is slower.
    pub bound: Bound,
}

/// The ideal batch.
#[derive(Clone, Debug, PartialEq)]
pub struct CriticalBatch {
    /// (F ÷ BW) × (b_w ÷ 2) × (total ÷ active).
    pub rule_of_thumb: f64,
    /// Smallest whole batch whose compute time reaches its memory time; `None` if none
    /// up to 10^7.
    pub exact: Option<u64>,
}

/// Memory capacity.
#[derive(Clone, Debug, PartialEq)]
pub struct Capacity {
    /// Weights stored over all chips, bytes.
    pub weight_bytes: f64,
    /// KV one sequence holds at the decode context, bytes.
    pub kv_bytes_per_sequence: f64,
    /// 90% of N·M, bytes.
    pub usable_bytes: f64,
    /// Weights plus the batch's KV, bytes.
    pub used_bytes: f64,
    /// ⌊(usable − weights) ÷ KV per sequence⌋, requests.
    pub max_batch_size: u64,
    /// Weights + B × KV per sequence ≤ usable.
    pub fits: bool,
    /// Fewest chips (same parallelism) on which the weights and this batch's KV fit.
    pub min_chips: Option<u32>,
}

/// Money.
#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    /// N × price/h ÷ 3600 × step ÷ B × 10^6, USD.
    pub per_million_output_tokens: f64,
    /// N × price/h ÷ 3600 × T_prefill(B·n_in) ÷ (B·n_in) × 10^6, USD.
    pub per_million_input_tokens: f64,
}

/// Energy per generated token.
#[derive(Clone, Debug, PartialEq)]
pub struct Energy {
    /// (FLOPs × J/FLOP + bytes × J/byte) ÷ B, joules.
    pub joules_per_output_token: f64,
    /// Part spent moving bytes from memory.
    pub data_movement_joules: f64,
    /// Part spent on arithmetic.
    pub arithmetic_joules: f64,
}

/// Everything the app shows for one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub params: Params,
    /// KV bytes per token over every layer (windows ignored).
    pub kv_bytes_per_token: f64,
    /// Decode context S, tokens.
    pub context: f64,
    pub decode: Decode,
    pub prefill: Prefill,
    pub critical_batch: CriticalBatch,
    pub capacity: Capacity,
    pub cost: Cost,
    pub energy: Energy,
    /// Capacity ÷ bandwidth of one chip: the step time of a server reading all its memory.
    pub hbm_drain_seconds: f64,
    /// Context at which one step's KV reads equal its weight reads, tokens (`None` if never
    /// below 10^9).
    pub kv_crossover_context: Option<f64>,
}

/// A value in the flat list of metrics.
#[derive(Clone, Debug, PartialEq)]
pub enum MetricValue {
    Number(f64),
    Text(&'static str),
    Flag(bool),
    Missing,
}

impl Evaluation {
    /// The metrics of `SCENARIO.md`, flat, under their dotted keys (read from the
    /// catalogue, [`crate::metrics::SCENARIO`]).
    pub fn metrics(&self) -> Vec<(&'static str, MetricValue)> {
        crate::metrics::SCENARIO
            .iter()
            .map(|m| (m.key, m.of(self)))
            .collect()
    }
}

/// The model's shape reduced to the counts the formulas need.
#[derive(Clone, Debug)]
pub struct Shape {
    /// Embedding table V·d (not read by decode when untied).
    pub embedding: f64,
    /// Parameters of one routed expert, 3·d·d_e (0 for dense).
    pub expert: f64,
    /// Layers with routed experts.
    pub moe_layers: f64,
    /// Routed experts per MoE layer, E.
    pub experts: f64,
    /// Routed experts per token, k.
    pub experts_per_token: f64,
    /// Parameters read every step whatever the routing, LM head included, embedding
    /// lookup excluded.
    pub always_read: f64,
    /// Total parameters (published or derived).
    pub total: f64,
    /// Active parameters (published or derived).
    pub active: f64,
    /// Parameters multiplied per token (active less an untied embedding table).
    pub active_matmul: f64,
}

/// Parameters derived from the shape alone: (total, active), embedding and LM head included.
pub fn derived_params(s: &Scenario) -> (f64, f64) {
    let m = &s.model;
    let d = m.hidden_size as f64;
    let l = m.layers as f64;
    let h = m.attention_heads as f64;
    let dh = m.head_dim as f64;
    let attn = match m.attention {
        Attention::Gqa => {
            let kv = m.kv_heads as f64;
            d * h * dh + 2.0 * d * kv * dh + h * dh * d
        }
        // MLA: W_q d·H·d_h, or with query compression W_q_a d·r_q + W_q_b r_q·H·d_h;
        // W_kv_a d·(r + d_r), W_kv_b r·H·(d_h − d_r + d_v) with d_v = d_h − d_r,
        // W_o H·d_v·d. (Norm weights, a few thousand per layer, are left out.)
        Attention::Mla => {
            let r = m.kv_lora_rank.unwrap_or(0) as f64;
            let dr = m.qk_rope_head_dim.unwrap_or(0) as f64;
            let dv = (dh - dr).max(0.0);
            let w_q = match m.q_lora_rank {
                Some(rq) => d * rq as f64 + rq as f64 * h * dh,
                None => d * h * dh,
            };
            w_q + d * (r + dr) + r * h * (dh - dr + dv) + h * dv * d
        }
    };
    let dense_mlp = 3.0 * d * m.intermediate_size as f64;
    let embed = m.vocab_size as f64 * d;
    let heads = if m.tied_embeddings {
        embed
    } else {
        2.0 * embed
    };
    match &m.moe {
        None => {
            let t = l * (attn + dense_mlp) + heads;
            (t, t)
        }
        Some(moe) => {
            let dense_l = moe.dense_layers as f64;
            let moe_l = l - dense_l;
            let pe = 3.0 * d * moe.expert_intermediate_size as f64;
            let router = d * moe.experts as f64;
            let base = l * attn
                + dense_l * dense_mlp
                + moe_l * (router + moe.shared_experts as f64 * pe)
                + heads;
            (
                base + moe_l * moe.experts as f64 * pe,
                base + moe_l * moe.experts_per_token as f64 * pe,
            )
        }
    }
}

/// Reduces the scenario's model to the parameter counts the formulas need.
pub fn shape(s: &Scenario) -> Shape {
    let m = &s.model;
    let (dt, da) = derived_params(s);
    let total = m.total_params.unwrap_or(dt);
    let active = m
        .active_params
        .unwrap_or(if m.total_params.is_some() && m.moe.is_none() {
            total
        } else {
            da
        });
    let embedding = m.vocab_size as f64 * m.hidden_size as f64;
    let (expert, moe_layers, experts, k) = match &m.moe {
        Some(moe) => (
            3.0 * m.hidden_size as f64 * moe.expert_intermediate_size as f64,
            (m.layers - moe.dense_layers.min(m.layers)) as f64,
            moe.experts as f64,
            moe.experts_per_token as f64,
        ),
        None => (0.0, 0.0, 0.0, 0.0),
    };
    let lookup_only = if m.tied_embeddings { 0.0 } else { embedding };
    let always_read = (total - moe_layers * experts * expert - lookup_only).max(0.0);
    let active_matmul = (active - lookup_only).max(0.0);
    Shape {
        embedding,
        expert,
        moe_layers,
        experts,
        experts_per_token: k,
        always_read,
        total,
        active,
        active_matmul,
    }
}

/// KV bytes per token over all layers, windows ignored: Σ 2·H_kv·d_h·b_kv (GQA) or
/// (r + d_r)·b_kv (MLA).
pub fn kv_bytes_per_token(s: &Scenario) -> f64 {
    kv_bytes_per_layer_token(s) * s.model.layers as f64
}

/// KV bytes one token occupies in one layer.
pub fn kv_bytes_per_layer_token(s: &Scenario) -> f64 {
    let m = &s.model;
    let b = s.precision.kv_cache.bytes();
    match m.attention {
        Attention::Gqa => 2.0 * m.kv_heads as f64 * m.head_dim as f64 * b,
        Attention::Mla => {
            (m.kv_lora_rank.unwrap_or(0) + m.qk_rope_head_dim.unwrap_or(0)) as f64 * b
        }
    }
}

/// KV bytes one sequence holds at context `ctx`: sliding-window layers hold min(ctx, W).
pub fn kv_bytes_per_sequence(s: &Scenario, ctx: f64) -> f64 {
    let m = &s.model;
    let per_layer = kv_bytes_per_layer_token(s);
    let windowed = m.sliding_window_layers.min(m.layers) as f64;
    let full = m.layers as f64 - windowed;
    let w = m.sliding_window.map(|w| w as f64).unwrap_or(ctx);
    per_layer * (full * ctx + windowed * ctx.min(w))
}

/// Expected routed experts touched per MoE layer by `tokens` tokens: E·(1 − (1 − k/E)^B).
pub fn experts_touched(experts: f64, k: f64, tokens: f64) -> f64 {
    if experts <= 0.0 {
        return 0.0;
    }
    let p_miss = (1.0 - k / experts).max(0.0);
    experts * (1.0 - p_miss.powf(tokens))
}

/// Attention FLOPs of one decode token at context `ctx` over all layers:
/// 4·S·H·d_h per layer (MLA absorbed: 2·S·H·(2r + d_r)); windowed layers see min(S, W).
pub fn decode_attention_flops_per_token(s: &Scenario, ctx: f64) -> f64 {
    let m = &s.model;
    let h = m.attention_heads as f64;
    let per_ctx = match m.attention {
        Attention::Gqa => 4.0 * h * m.head_dim as f64,
        Attention::Mla => {
            let r = m.kv_lora_rank.unwrap_or(0) as f64;
            let dr = m.qk_rope_head_dim.unwrap_or(0) as f64;
            2.0 * h * (2.0 * r + dr)
        }
    };
    let windowed = m.sliding_window_layers.min(m.layers) as f64;
    let full = m.layers as f64 - windowed;
    let w = m.sliding_window.map(|w| w as f64).unwrap_or(ctx);
    per_ctx * (full * ctx + windowed * ctx.min(w))
}

/// Inputs of one decode step that sweeps vary.
#[derive(Clone, Copy, Debug)]
pub struct StepInputs {
    /// Concurrent requests B.
    pub batch: f64,
    /// KV length S, tokens.
    pub context: f64,
    /// Chips N.
    pub chips: f64,
}

/// The precision attention's math runs at when it runs apart: the KV cache's, if the chip
/// has tensor cores for it, else bf16, else the compute precision.
pub fn attention_precision(s: &Scenario) -> Precision {
    let kv = s.precision.kv_cache;
    if s.hardware.peak_at(kv).is_some() {
        kv
    } else if s.hardware.peak_at(Precision::Bf16).is_some() {
        Precision::Bf16
    } else {
        s.precision.compute
    }
}

/// Peak FLOP/s and efficiency of attention's math: (F_attn, η_attn). Apart: the
/// [`attention_precision`]'s peak and η_a; otherwise the GEMMs' peak and `eta`.
fn attention_rate(s: &Scenario, peak: f64, eta: f64, apart: Option<f64>) -> (f64, f64, Precision) {
    match apart {
        Some(eta_a) => {
            let p = attention_precision(s);
            (s.hardware.peak_at(p).unwrap_or(peak), eta_a, p)
        }
        None => (peak, eta, s.precision.compute),
    }
}

/// GEMM work of one pass on the busiest chip, split into the terms of [`StepTerms`].
struct GemmWork {
    /// Useful FLOPs on the mean chip.
    useful: f64,
    /// Of which the routed experts' (padding and imbalance are experts' or dense as below).
    expert_useful: f64,
    /// Padding FLOPs of the experts' GEMMs.
    expert_padding: f64,
    /// Extra FLOPs from padding token rows.
    padding: f64,
    /// Extra expert FLOPs on the busiest chip.
    imbalance: f64,
    /// Seconds widening narrow weights.
    dequant_seconds: f64,
    imbalance_factor: f64,
    tokens_per_expert: f64,
}

/// GEMM FLOPs of a pass of `tokens` tokens on one chip of `n` (busiest chip): dense GEMMs
/// see all tokens (tensor parallel, 1/N of each matrix) or B/N tokens (expert parallel with
/// data-parallel attention, whole matrices); each touched expert B·k ÷ E_touched tokens,
/// padded to whole tiles when `gemm_padding` is on, its chip loaded by the imbalance factor.
fn gemm_work(s: &Scenario, sh: &Shape, tokens: f64, n: f64, touched: f64) -> GemmWork {
    let eff = &s.efficiency;
    let ep = s.parallelism == Parallelism::Expert && sh.moe_layers > 0.0;
    let tile = eff.token_tile.max(1);
    let expert_matmul = sh.moe_layers * sh.experts_per_token * sh.expert;
    let dense_matmul = (sh.active_matmul - expert_matmul).max(0.0);
    let (rows, dense_params) = if ep {
        (tokens / n, dense_matmul)
    } else {
        (tokens, dense_matmul / n)
    };
    let dense_useful = 2.0 * rows * dense_params;
    let dense_padded = 2.0 * padding::padded_rows(rows, tile) * dense_params;
    let t = padding::tokens_per_expert(tokens, sh.experts_per_token, touched);
    let imb = if ep && n > 1.0 {
        eff.expert_imbalance
            .unwrap_or_else(|| {
                imbalance::random_routing_imbalance(tokens, sh.experts, sh.experts_per_token, n)
            })
            .max(1.0)
    } else {
        1.0
    };
    // Experts on one chip: expert parallel, 1/N of those touched, whole; tensor parallel,
    // every touched expert, 1/N of each.
    let expert_useful = 2.0 * sh.moe_layers * touched * t * sh.expert / n;
    let expert_padded = if t > 0.0 {
        expert_useful * padding::padding_factor(t, tile)
    } else {
        0.0
    };
    let bf16 = s.hardware.peak_at(Precision::Bf16).unwrap_or(0.0);
    let dequant_seconds = if eff.dequantize {
        let (w, c) = (s.precision.weights, s.precision.compute);
        let tile_rows = s.hardware.tile_size.max(1) as f64;
        let dense_elements = if ep {
            sh.always_read
        } else {
            sh.always_read / n
        };
        let expert_elements = sh.moe_layers * touched * sh.expert / n;
        // Passes of token tiles over the weights, as a smooth rows ÷ tile (at least one), so
        // that the widening grows steadily with the batch.
        dequant::dequant_seconds(w, c, dense_elements, rows / tile_rows, bf16)
            + dequant::dequant_seconds(w, c, expert_elements, t * imb / tile_rows, bf16)
    } else {
        0.0
    };
    // The busiest chip's expert work, expert_padded × imb, split so that padding stays one
    // term: useful rows × (imb − 1) is the imbalance, padded rows × imb the padding.
    let expert_padding = (expert_padded - expert_useful) * imb;
    GemmWork {
        useful: dense_useful + expert_useful,
        expert_useful,
        expert_padding,
        padding: (dense_padded - dense_useful) + expert_padding,
        imbalance: expert_useful * (imb - 1.0),
        dequant_seconds,
        imbalance_factor: imb,
        tokens_per_expert: t,
    }
}

/// The scale-up and scale-out links of `s` for the all-to-all at efficiency `eta`.
pub fn links(s: &Scenario, eta: f64) -> all_to_all::Links {
    all_to_all::Links {
        domain: s.hardware.scale_up_domain.max(1) as f64,
        scale_up_bandwidth: s.hardware.interconnect_bandwidth,
        scale_out_bandwidth: s.hardware.scale_out_bandwidth,
        efficiency: eta,
        latency_seconds: s.efficiency.collective_latency_seconds,
        scale_out_latency_seconds: s.efficiency.scale_out_latency_seconds,
    }
}

/// Bytes per element the all-to-all dispatches (the GEMMs' input precision, at most bf16)
/// and combines (bf16).
fn dispatch_combine_bytes(s: &Scenario) -> (f64, f64) {
    (
        s.precision.compute.bytes().min(ACTIVATION_BYTES),
        ACTIVATION_BYTES,
    )
}

/// One decode step at a given batch, context and chip count.
pub fn decode_step(s: &Scenario, sh: &Shape, peak_flops: f64, x: StepInputs) -> Decode {
    let m = &s.model;
    let hw = &s.hardware;
    let eff = &s.efficiency;
    let n = x.chips.max(1.0);
    let b = x.batch.max(1.0);
    let bw_w = s.precision.weights.bytes();
    let d = m.hidden_size as f64;
    let kv_seq = kv_bytes_per_sequence(s, x.context);
    let attention_flops = b * decode_attention_flops_per_token(s, x.context);
    let flops = 2.0 * b * sh.active_matmul + attention_flops;
    let kv_bytes = b * kv_seq;
    let touched = experts_touched(sh.experts, sh.experts_per_token, b);
    let work = gemm_work(s, sh, b, n, touched);
    let rate = peak_flops * eff.compute;
    let expert_rate = peak_flops * eff.expert_compute.unwrap_or(eff.compute);
    let (attn_peak, attn_eta, attn_precision) =
        attention_rate(s, peak_flops, eff.compute, eff.attention_compute);
    let attention_compute_seconds = attention_flops / (n * attn_peak * attn_eta);
    let dense_useful = work.useful - work.expert_useful;
    let gemm_seconds = dense_useful / rate + work.expert_useful / expert_rate;
    let padding_seconds =
        (work.padding - work.expert_padding) / rate + work.expert_padding / expert_rate;
    let imbalance_seconds = work.imbalance / expert_rate;
    let gemm_compute = gemm_seconds + padding_seconds + imbalance_seconds + work.dequant_seconds;
    let compute_seconds = gemm_compute + attention_compute_seconds;
    let multi = n > 1.0;
    let bw = hw.memory_bandwidth * eff.bandwidth;
    let ep = s.parallelism == Parallelism::Expert && sh.moe_layers > 0.0;
    let (weight_bytes, chip_weight_bytes) = if ep {
        let non_expert = sh.always_read * bw_w;
        let experts_bytes = sh.moe_layers * touched * sh.expert * bw_w;
        (
            n * non_expert + experts_bytes,
            non_expert + experts_bytes / n,
        )
    } else {
        let w = (sh.always_read + sh.moe_layers * touched * sh.expert) * bw_w;
        (w, w / n)
    };
    let weight_read_seconds = chip_weight_bytes / bw;
    let kv_read_seconds = kv_bytes / n / bw;
    let memory_seconds = weight_read_seconds + kv_read_seconds;
    let apart = eff.attention_compute.is_some();
    let busy = if apart {
        weight_read_seconds.max(gemm_compute) + kv_read_seconds.max(attention_compute_seconds)
    } else {
        memory_seconds.max(compute_seconds)
    };
    let (comm_total, collective_latency) = if !multi {
        (0.0, 0.0)
    } else if ep {
        match eff.all_to_all {
            Some(eta) => {
                let (bd, bc) = dispatch_combine_bytes(s);
                let a = all_to_all::all_to_all(
                    b,
                    n,
                    sh.moe_layers,
                    d,
                    sh.experts_per_token,
                    bd,
                    bc,
                    work.imbalance_factor,
                    &links(s, eta),
                );
                (a.transfer_seconds, a.latency_seconds)
            }
            None => {
                let bytes = (b / n) * sh.experts_per_token * d * ACTIVATION_BYTES * (n - 1.0) / n;
                (
                    2.0 * sh.moe_layers * bytes / hw.interconnect_bandwidth,
                    2.0 * sh.moe_layers * eff.collective_latency_seconds,
                )
            }
        }
    } else {
        let layers = m.layers as f64;
        let bytes = b * d * ACTIVATION_BYTES;
        (
            2.0 * layers * 2.0 * (n - 1.0) / n * bytes / hw.interconnect_bandwidth,
            2.0 * layers * eff.collective_latency_seconds,
        )
    };
    let comm_seconds = all_to_all::exposed_seconds(comm_total, busy, eff.comm_overlap);
    let latency_seconds = eff.step_overhead_seconds + collective_latency;
    let bound = if compute_seconds >= memory_seconds {
        Bound::Compute
    } else {
        Bound::Memory
    };
    let step_seconds = busy + comm_seconds + latency_seconds;
    Decode {
        step_seconds,
        memory_seconds,
        compute_seconds,
        comm_seconds,
        latency_seconds,
        bound,
        weight_bytes,
        kv_bytes,
        flops,
        experts_touched: touched,
        terms: StepTerms {
            gemm_seconds,
            padding_seconds,
            imbalance_seconds,
            dequant_seconds: work.dequant_seconds,
            attention_compute_seconds,
            weight_read_seconds,
            kv_read_seconds,
            attention_apart: apart,
            comm_hidden_seconds: comm_total - comm_seconds,
            imbalance_factor: work.imbalance_factor,
            tokens_per_expert: work.tokens_per_expert,
            attention_precision: attn_precision,
        },
        tokens_per_second: b / step_seconds,
        tokens_per_second_per_user: 1.0 / step_seconds,
    }
}

/// Prefill of `tokens` prompt tokens in one pass (tensor parallel under either mode):
/// FLOPs 2·n·P_active + causal attention at prefill's efficiency η_p (attention at its own
/// precision when apart, padding and widening as in decode); bytes all weights (embedding
/// lookup excluded) + KV written.
pub fn prefill(s: &Scenario, sh: &Shape, peak_flops: f64, tokens: f64, requests: f64) -> Prefill {
    let m = &s.model;
    let hw = &s.hardware;
    let eff = &s.efficiency;
    let n = s.chips.max(1) as f64;
    let per_request = (tokens / requests.max(1.0)).max(1.0);
    let hd = m.attention_heads as f64 * m.head_dim as f64;
    let windowed = m.sliding_window_layers.min(m.layers) as f64;
    let full = m.layers as f64 - windowed;
    let attn_full = 2.0 * hd * per_request * per_request;
    let attn_window = match m.sliding_window {
        Some(w) if per_request > w as f64 => {
            let w = w as f64;
            4.0 * hd * (per_request * w - w * w / 2.0)
        }
        _ => attn_full,
    };
    let attention = requests.max(1.0) * (full * attn_full + windowed * attn_window);
    let flops = 2.0 * tokens * sh.active_matmul + attention;
    // Every weight is read, all experts included, except an untied embedding table,
    // of which only the prompt's rows are looked up.
    let all_weights = sh.always_read + sh.moe_layers * sh.experts * sh.expert;
    let bytes = all_weights * s.precision.weights.bytes()
        + requests.max(1.0) * kv_bytes_per_sequence(s, per_request);
    let memory_seconds = bytes / (n * hw.memory_bandwidth * eff.bandwidth);
    let eta = eff.prefill();
    let touched = experts_touched(sh.experts, sh.experts_per_token, tokens);
    let work = gemm_work(s, sh, tokens, n, touched);
    let (attn_peak, attn_eta, _) =
        attention_rate(s, peak_flops, eta, eff.attention_compute.map(|_| eta));
    let compute_seconds = (work.useful + work.padding + work.imbalance) / (peak_flops * eta)
        + work.dequant_seconds
        + attention / (n * attn_peak * attn_eta);
    let layers = m.layers as f64;
    let (comm_seconds, latency) = if n > 1.0 {
        let b = tokens * m.hidden_size as f64 * ACTIVATION_BYTES;
        (
            2.0 * layers * 2.0 * (n - 1.0) / n * b / hw.interconnect_bandwidth,
            2.0 * layers * eff.collective_latency_seconds,
        )
    } else {
        (0.0, 0.0)
    };
    let bound = if compute_seconds >= memory_seconds {
        Bound::Compute
    } else {
        Bound::Memory
    };
    Prefill {
        seconds: memory_seconds.max(compute_seconds)
            + comm_seconds
            + latency
            + eff.step_overhead_seconds,
        memory_seconds,
        compute_seconds,
        comm_seconds,
        flops,
        bytes,
        bound,
    }
}

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
fn capacity_at(s: &Scenario, sh: &Shape, chips: f64, kv_seq: f64) -> (f64, u64, bool) {
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

/// Evaluates a scenario: every result the app shows. Errors name the field.
pub fn evaluate(s: &Scenario) -> Result<Evaluation, ScenarioError> {
    s.validate()?;
    let peak = s.peak_flops()?;
    let sh = shape(s);
    let ctx = s.decode_context();
    let b = s.workload.batch_size as f64;
    let n = s.chips as f64;
    let decode = decode_step(
        s,
        &sh,
        peak,
        StepInputs {
            batch: b,
            context: ctx,
            chips: n,
        },
    );
    let n_in = s.workload.input_tokens as f64;
    let prefill_one = prefill(s, &sh, peak, n_in, 1.0);
    let prefill_batch = prefill(s, &sh, peak, b * n_in, b);

    let usd_per_second = n * s.hardware.price_per_hour / 3600.0;
    let cost = Cost {
        per_million_output_tokens: usd_per_second * decode.step_seconds / b * 1e6,
        per_million_input_tokens: usd_per_second * prefill_batch.seconds / (b * n_in) * 1e6,
    };

    let kv_seq = kv_bytes_per_sequence(s, ctx);
    let (weight_bytes, max_batch_size, fits) = capacity_at(s, &sh, n, kv_seq);
    let min_chips = min_chips_to_fit(s, &sh, kv_seq);
    let usable_bytes = USABLE_MEMORY_FRACTION * n * s.hardware.memory_capacity;
    let capacity = Capacity {
        weight_bytes,
        kv_bytes_per_sequence: kv_seq,
        usable_bytes,
        used_bytes: weight_bytes + b * kv_seq,
        max_batch_size,
        fits,
        min_chips,
    };

    let params = Params {
        total: sh.total,
        active: sh.active,
        sparsity: sh.total / sh.active,
    };
    let rule_of_thumb =
        peak / s.hardware.memory_bandwidth * (s.precision.weights.bytes() / 2.0) * params.sparsity;
    let critical_batch = CriticalBatch {
        rule_of_thumb,
        exact: exact_critical_batch(s, &sh, peak, ctx),
    };

    let bytes_moved = decode.weight_bytes + decode.kv_bytes;
    let data_movement_joules = bytes_moved * s.energy.joules_per_byte / b;
    let arithmetic_joules = decode.flops * s.energy.joules_per_flop / b;
    let energy = Energy {
        joules_per_output_token: data_movement_joules + arithmetic_joules,
        data_movement_joules,
        arithmetic_joules,
    };

    let weight_read = decode.weight_bytes;
    let kv_per_ctx_token = b * kv_bytes_per_layer_token(s) * s.model.layers as f64;
    let kv_crossover_context = if kv_per_ctx_token > 0.0 {
        let c = weight_read / kv_per_ctx_token;
        (c < 1e9).then_some(c)
    } else {
        None
    };

    Ok(Evaluation {
        params,
        kv_bytes_per_token: kv_bytes_per_token(s),
        context: ctx,
        decode,
        prefill: prefill_one,
        critical_batch,
        capacity,
        cost,
        energy,
        hbm_drain_seconds: s.hardware.memory_capacity / s.hardware.memory_bandwidth,
        kv_crossover_context,
    })
}

/// Smallest whole batch at which the decode step's compute time (without tile padding,
/// whose steps at tile boundaries would make the crossing jump back and forth) reaches its
/// memory time at context `ctx`, experts touched and KV reads included; `None` if none up
/// to 10^7.
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
    if !crosses(CRITICAL_BATCH_SEARCH_LIMIT) {
        return None;
    }
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
        Some(bisect_crossing(b, CRITICAL_BATCH_SEARCH_LIMIT, crosses))
    }
}

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
    let k_c = (2.0 * sh.active_matmul + decode_attention_flops_per_token(s, ctx))
        / (n * peak * eff.compute);
    let kv = kv_bytes_per_sequence(s, ctx);
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
