//! The physics of serving an LLM: plain structs in, plain structs out.
//!
//! No leptos, web-sys or plotters here: `cargo test` runs it natively in seconds.
//! Every formula follows `MODEL.md`; the conventions of its reference cases are kept
//! (published totals include embedding and LM head; the embedding lookup is not a read).

pub mod all_to_all;
pub mod calibration;
mod capacity;
mod counts;
mod critical_batch;
mod decode;
pub mod dequant;
pub mod disaggregation;
mod gemm;
pub mod imbalance;
pub mod measurements;
pub mod mixed_step;
pub mod offload;
pub mod padding;
pub mod pipeline;
mod prefill;
pub mod prefix_cache;
pub mod speculative;
pub mod step_parts;
pub mod sweep;
pub mod tiles;
pub mod user_fit;

use capacity::{capacity_at, min_chips_beside};
pub use capacity::{
    fits_at, fits_beside, max_batch_at, max_batch_beside, min_chips_to_fit, stored_weights,
    Resident, MIN_CHIPS_SEARCH_LIMIT,
};
pub use counts::{
    context_kv_bytes, decode_attention_flops_per_token, decode_cache_reads, derived_params,
    experts_touched, indexer_flops_per_token, indexer_key_bytes, kv_bytes_per_layer_token,
    kv_bytes_per_sequence, kv_bytes_per_token, layer_groups, linear_flops_per_token_layer,
    linear_state_bytes_per_layer, linear_state_bytes_per_sequence, linear_state_precision,
    read_bytes_per_context_token, shape, sparse_top_k, CacheReads, LayerGroups, Shape,
};
pub use critical_batch::exact_critical_batch;
pub use decode::{decode_step, decode_step_tokens, links, StepInputs};
pub use gemm::attention_precision;
pub use prefill::{prefill, prefill_after_prefix};
pub use speculative::Speculation;

use crate::scenario::{Precision, Scenario, ScenarioError};

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
    /// Cache bytes read in one step, summed over chips: KV, index keys and the linear
    /// state read and written back (split in `terms`).
    pub kv_bytes: f64,
    /// Of those, the bytes read from host memory over the host link (KV offload), summed
    /// over chips (0 with offload off or when the KV fits in HBM).
    pub kv_host_bytes: f64,
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
    /// Every sequence's fixed work in every layer, t_seq · B · L (part of the step's
    /// `latency_seconds`).
    pub sequence_seconds: f64,
    /// Attention math at its own precision and efficiency (or at η_c when not apart).
    pub attention_compute_seconds: f64,
    /// Weight reads ÷ (BW·η_bw).
    pub weight_read_seconds: f64,
    /// KV reads from HBM ÷ (BW·η_bw).
    pub kv_read_seconds: f64,
    /// KV reads from host memory ÷ (BW_host·η_bw) (KV offload; 0 without it).
    pub kv_host_read_seconds: f64,
    /// The indexer's reads of every cached index key ÷ (BW·η_bw) (0 without one).
    pub indexer_read_seconds: f64,
    /// Reading and writing back the linear layers' state ÷ (BW·η_bw) (0 without them).
    pub linear_state_seconds: f64,
    /// The indexer's scoring math, part of `attention_compute_seconds` (at the index keys'
    /// precision when attention runs apart).
    pub indexer_compute_seconds: f64,
    /// Index key bytes the indexer reads in one step, summed over chips.
    pub indexer_bytes: f64,
    /// Linear-state bytes read and written in one step, summed over chips.
    pub linear_state_bytes: f64,
    /// Whether attention runs as its own phase: step = max(weights, GEMMs) + max(KV,
    /// attention) rather than max(all reads, all math).
    pub attention_apart: bool,
    /// Communication hidden under compute (two-batch overlap).
    pub comm_hidden_seconds: f64,
    /// Busiest chip's expert load ÷ the mean (1 without expert parallelism).
    pub imbalance_factor: f64,
    /// Token rows each touched expert multiplies, B·k ÷ E_touched (0 for dense).
    pub tokens_per_expert: f64,
    /// Other chips each token's hidden vector goes to per MoE layer under expert
    /// parallelism (deduplicated per chip; 0 without an exchange), copies.
    pub exchange_copies: f64,
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
            sequence_seconds: 0.0,
            attention_compute_seconds: 0.0,
            weight_read_seconds: 0.0,
            kv_read_seconds: 0.0,
            kv_host_read_seconds: 0.0,
            indexer_read_seconds: 0.0,
            linear_state_seconds: 0.0,
            indexer_compute_seconds: 0.0,
            indexer_bytes: 0.0,
            linear_state_bytes: 0.0,
            attention_apart: false,
            comm_hidden_seconds: 0.0,
            imbalance_factor: 1.0,
            tokens_per_expert: 0.0,
            exchange_copies: 0.0,
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
    /// KV one sequence holds at the decode context (a shared prefix not counted; a
    /// drafter's KV counted), bytes.
    pub kv_bytes_per_sequence: f64,
    /// 90% of N·M, bytes.
    pub usable_bytes: f64,
    /// Weights, resident bytes (draft, shared prefix) plus the batch's KV, bytes.
    pub used_bytes: f64,
    /// ⌊(usable − weights − resident) ÷ KV per sequence⌋, requests.
    pub max_batch_size: u64,
    /// Weights of a draft model or MTP head, bytes over all chips (0 without speculation).
    pub draft_weight_bytes: f64,
    /// KV of a shared cached prefix, held once (once per chip under expert parallelism),
    /// bytes over all chips (0 when private or none).
    pub shared_prefix_bytes: f64,
    /// Weights + B × KV per sequence ≤ usable (with KV offload: plus 0.9 of the host memory).
    pub fits: bool,
    /// KV held in host memory, bytes over all chips (KV offload; 0 without it or when the
    /// KV fits in HBM).
    pub host_kv_bytes: f64,
    /// 90% of the host memory KV may use, bytes over all chips (0 with offload off).
    pub host_usable_bytes: f64,
    /// Fewest chips (same parallelism) on which the weights and this batch's KV fit.
    pub min_chips: Option<u32>,
}

/// Money.
#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    /// N × price/h ÷ 3600 × step ÷ B × 10^6, USD.
    pub per_million_output_tokens: f64,
    /// N × price/h ÷ 3600 × T_prefill(B·n_in) ÷ (B·n_in) × 10^6, USD: over every input
    /// token, cached or new (with a cached prefix prefill computes only the new ones).
    pub per_million_input_tokens: f64,
    /// The new tokens' prefill as prompts of their own ÷ (B·n_new) × 10^6, USD.
    pub per_million_uncached_input_tokens: f64,
    /// The prefill time cached tokens still cause ÷ (B·n_cached) × 10^6, USD; `None`
    /// without cached tokens.
    pub per_million_cached_input_tokens: Option<f64>,
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
    /// Speculative decoding's round (`None` without it). With it, `decode` is the verify
    /// step and its tokens per second count τ tokens per round.
    pub speculative: Option<Speculation>,
    /// Input tokens per request prefill skips (cached) and computes (new).
    pub prefix: prefix_cache::PrefixSplit,
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

/// Context at which a step of `batch` sequences reads as many KV bytes as `weight_read`
/// weight bytes: weights ÷ (B × KV per layer and token × L), tokens (`None` if never below
/// 10^9). The same crossover [`Evaluation::kv_crossover_context`] reports.
pub fn kv_crossover(s: &Scenario, weight_read: f64, batch: f64) -> Option<f64> {
    // Reads that grow with the context, per token of it (windows ignored; a sparse model's
    // full layers read only their index keys past k).
    let kv_per_ctx_token = batch * read_bytes_per_context_token(s);
    if kv_per_ctx_token > 0.0 {
        let c = weight_read / kv_per_ctx_token;
        (c < 1e9).then_some(c)
    } else {
        None
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
    let inputs = StepInputs {
        batch: b,
        context: ctx,
        chips: n,
    };
    let plain = decode_step(s, &sh, peak, inputs);
    let (mut decode, speculative) = match speculative::Drafter::of(s) {
        Some(d) => {
            let (verify, sp) = d.speculate(s, &sh, peak, inputs, &plain);
            (verify, Some(sp))
        }
        None => (plain, None),
    };
    // Seconds per output token of every sequence: the step, or round ÷ τ.
    let token_seconds = match &speculative {
        Some(sp) => {
            decode.tokens_per_second = b / sp.seconds_per_token;
            decode.tokens_per_second_per_user = 1.0 / sp.seconds_per_token;
            sp.seconds_per_token
        }
        None => decode.step_seconds,
    };
    let n_in = s.workload.input_tokens as f64;
    let prefix = prefix_cache::split(s);
    let prefill_one = prefill_after_prefix(s, &sh, peak, prefix.new, 1.0, prefix.cached);
    let prefill_batch = prefill_after_prefix(s, &sh, peak, b * prefix.new, b, prefix.cached);

    let usd_per_second = n * s.hardware.price_per_hour / 3600.0;
    let input = if prefix.cached > 0.0 {
        let alone = prefill(s, &sh, peak, b * prefix.new, b);
        prefix_cache::input_cost(
            usd_per_second,
            b,
            prefix,
            prefill_batch.seconds,
            alone.seconds,
        )
    } else {
        let per_token = usd_per_second * prefill_batch.seconds / (b * n_in) * 1e6;
        prefix_cache::InputCost {
            average: per_token,
            uncached: per_token,
            cached: None,
        }
    };
    let cost = Cost {
        per_million_output_tokens: usd_per_second * token_seconds / b * 1e6,
        per_million_input_tokens: input.average,
        per_million_uncached_input_tokens: input.uncached,
        per_million_cached_input_tokens: input.cached,
    };

    let (prefix_once, kv_private) = prefix_cache::kv_memory(s, ctx);
    let (draft_weight_bytes, draft_kv) = speculative.as_ref().map_or((0.0, 0.0), |sp| {
        (sp.draft_weight_bytes, sp.draft_kv_bytes_per_sequence)
    });
    let kv_seq = kv_private + draft_kv;
    // Under expert parallelism attention is data parallel: each chip keeps its own copy
    // of a shared prefix; under tensor parallelism one copy is split over the chips.
    let extra = if s.parallelism == crate::scenario::Parallelism::Expert && sh.moe_layers > 0.0 {
        Resident {
            spread: draft_weight_bytes,
            per_chip: prefix_once,
        }
    } else {
        Resident {
            spread: draft_weight_bytes + prefix_once,
            per_chip: 0.0,
        }
    };
    let (weight_bytes, max_batch_size, fits) = capacity_at(s, &sh, n, kv_seq, extra);
    let min_chips = min_chips_beside(s, &sh, kv_seq, extra);
    let usable_bytes = USABLE_MEMORY_FRACTION * n * s.hardware.memory_capacity;
    let capacity = Capacity {
        weight_bytes,
        kv_bytes_per_sequence: kv_seq,
        usable_bytes,
        used_bytes: weight_bytes + extra.total(n) + b * kv_seq,
        max_batch_size,
        draft_weight_bytes,
        shared_prefix_bytes: prefix_once * if extra.per_chip > 0.0 { n } else { 1.0 },
        fits,
        host_kv_bytes: offload::host_kv_bytes_total(s, &sh, n, b * kv_seq, extra),
        host_usable_bytes: n * offload::host_room_per_chip(s),
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

    // Per output token: the step's (and the drafts') bytes and FLOPs over the B·τ tokens
    // a round emits.
    let (bytes_moved, flops_done, tokens) = match &speculative {
        Some(sp) => (
            decode.weight_bytes + decode.kv_bytes + sp.draft_bytes,
            decode.flops + sp.draft_flops,
            b * sp.tokens_per_step,
        ),
        None => (decode.weight_bytes + decode.kv_bytes, decode.flops, b),
    };
    let data_movement_joules = bytes_moved * s.energy.joules_per_byte / tokens;
    let arithmetic_joules = flops_done * s.energy.joules_per_flop / tokens;
    let energy = Energy {
        joules_per_output_token: data_movement_joules + arithmetic_joules,
        data_movement_joules,
        arithmetic_joules,
    };

    let kv_crossover_context = kv_crossover(s, decode.weight_bytes, b);

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
        speculative,
        prefix,
    })
}
