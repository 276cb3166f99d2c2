//! One decode step: the roofline of its reads and math (one roofline, or one per phase
//! when attention runs apart), its communication and its overheads.

use super::gemm::{attention_rate, gemm_work};
use super::{
    all_to_all, decode_attention_flops_per_token, decode_cache_reads, experts_touched,
    indexer_flops_per_token, kv_bytes_per_token, Bound, Decode, Shape, StepTerms, ACTIVATION_BYTES,
};
use crate::scenario::{Parallelism, Scenario};

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

/// The MoE dispatch and combine of `tokens` tokens (whole system) over `n` expert-parallel
/// chips, every MoE layer, with the busiest chip's load factor `imbalance`: (transfer,
/// latency), seconds. At the all-to-all efficiency η_a2a over the scale-up and scale-out
/// links, each token sent once to each other chip holding one of its experts
/// ([`all_to_all::all_to_all`]); with none, (B/N)·k·d·2 bytes × (N − 1)/N each way per
/// layer (one copy per expert) over the chip's interconnect bandwidth and one collective
/// latency per phase.
pub fn expert_exchange(
    s: &Scenario,
    sh: &Shape,
    tokens: f64,
    n: f64,
    imbalance: f64,
) -> (f64, f64) {
    let eff = &s.efficiency;
    let d = s.model.hidden_size as f64;
    match eff.all_to_all {
        Some(eta) => {
            let (bd, bc) = dispatch_combine_bytes(s);
            let a = all_to_all::all_to_all(
                tokens,
                n,
                sh.moe_layers,
                d,
                sh.experts,
                sh.experts_per_token,
                bd,
                bc,
                imbalance,
                &links(s, eta),
            );
            (a.transfer_seconds, a.latency_seconds)
        }
        None => {
            let bytes = (tokens / n) * sh.experts_per_token * d * ACTIVATION_BYTES * (n - 1.0) / n;
            (
                2.0 * sh.moe_layers * bytes / s.hardware.interconnect_bandwidth,
                2.0 * sh.moe_layers * eff.collective_latency_seconds,
            )
        }
    }
}

/// Other chips each token goes to per MoE layer under expert parallelism over `n` chips,
/// copies: the deduplicated exchange's c ([`all_to_all::remote_copies`]) at an all-to-all
/// efficiency, one copy per remote expert, k·(N − 1)/N, without one; 0 on one chip or
/// without experts.
pub fn exchange_copies(s: &Scenario, sh: &Shape, n: f64) -> f64 {
    if n <= 1.0 || sh.moe_layers <= 0.0 || s.parallelism != Parallelism::Expert {
        return 0.0;
    }
    match s.efficiency.all_to_all {
        Some(_) => all_to_all::remote_copies(sh.experts, sh.experts_per_token, n),
        None => sh.experts_per_token * (n - 1.0) / n,
    }
}

/// One decode step at a given batch, context and chip count.
pub fn decode_step(s: &Scenario, sh: &Shape, peak_flops: f64, x: StepInputs) -> Decode {
    decode_step_tokens(s, sh, peak_flops, x, 1.0)
}

/// One decode step in which each of the B sequences runs `q` tokens (a speculative verify
/// step: q = k + 1): weights read once, GEMM rows, experts touched, attention FLOPs and
/// communication for B·q tokens, KV reads of the B sequences as at q = 1, and (q − 1)·B
/// more tokens' KV written (bytes). Tokens per second count B per step (the caller scales
/// them by the tokens each step emits).
pub fn decode_step_tokens(
    s: &Scenario,
    sh: &Shape,
    peak_flops: f64,
    x: StepInputs,
    q: f64,
) -> Decode {
    let m = &s.model;
    let hw = &s.hardware;
    let eff = &s.efficiency;
    let n = x.chips.max(1.0);
    let seqs = x.batch.max(1.0);
    let q = q.max(1.0);
    // Token rows of the step's GEMMs and collectives.
    let b = seqs * q;
    let bw_w = s.precision.weights.bytes();
    let d = m.hidden_size as f64;
    // Cache reads per sequence: KV (a sparse model's top k), index keys, linear state.
    let reads = decode_cache_reads(s, x.context);
    let attention_flops = b * decode_attention_flops_per_token(s, x.context);
    let indexer_flops = b * indexer_flops_per_token(s, x.context);
    let flops = 2.0 * b * sh.active_matmul + attention_flops + indexer_flops;
    let kv_only = seqs * reads.kv + (q - 1.0) * seqs * kv_bytes_per_token(s);
    let indexer_bytes = seqs * reads.indexer;
    let linear_state_bytes = seqs * reads.state;
    let kv_bytes = kv_only + indexer_bytes + linear_state_bytes;
    let touched = experts_touched(sh.experts, sh.experts_per_token, b);
    let work = gemm_work(s, sh, b, n, touched);
    let rate = peak_flops * eff.compute;
    let expert_rate = peak_flops * eff.expert_compute.unwrap_or(eff.compute);
    let (attn_peak, attn_eta, attn_precision) =
        attention_rate(s, peak_flops, eff.compute, eff.attention_compute);
    // The indexer scores at its keys' precision when attention runs apart.
    let indexer_peak = match eff.attention_compute {
        Some(_) => s
            .model
            .layer_kinds
            .indexer_key_precision
            .and_then(|p| hw.peak_at(p))
            .unwrap_or(attn_peak),
        None => attn_peak,
    };
    let indexer_compute_seconds = if indexer_flops > 0.0 {
        indexer_flops / (n * indexer_peak * attn_eta)
    } else {
        0.0
    };
    let attention_compute_seconds =
        attention_flops / (n * attn_peak * attn_eta) + indexer_compute_seconds;
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
    // KV offload: the share of the context KV held in host memory is read over the host
    // link (offload.rs); index keys and linear state stay in HBM.
    let (kv_read_seconds, kv_host_read_seconds, kv_host_bytes) = if s.kv_offload {
        let host =
            super::offload::step_host_kv_bytes_per_chip(s, sh, n, seqs, x.context).min(kv_only / n);
        let (hbm, from_host) = super::offload::kv_read_seconds(s, kv_only / n, host);
        (hbm, from_host, host * n)
    } else {
        (kv_only / n / bw, 0.0, 0.0)
    };
    let indexer_read_seconds = indexer_bytes / n / bw;
    let linear_state_seconds = linear_state_bytes / n / bw;
    let cache_seconds =
        kv_read_seconds + kv_host_read_seconds + indexer_read_seconds + linear_state_seconds;
    let memory_seconds = weight_read_seconds + cache_seconds;
    let apart = eff.attention_compute.is_some();
    let busy = if apart {
        weight_read_seconds.max(gemm_compute) + cache_seconds.max(attention_compute_seconds)
    } else {
        memory_seconds.max(compute_seconds)
    };
    let (comm_total, collective_latency) = if !multi {
        (0.0, 0.0)
    } else if ep {
        expert_exchange(s, sh, b, n, work.imbalance_factor)
    } else {
        let layers = m.layers as f64;
        let bytes = b * d * ACTIVATION_BYTES;
        (
            2.0 * layers * 2.0 * (n - 1.0) / n * bytes / hw.interconnect_bandwidth,
            2.0 * layers * eff.collective_latency_seconds,
        )
    };
    let comm_seconds = all_to_all::exposed_seconds(comm_total, busy, eff.comm_overlap);
    // One serving process per data-parallel rank under expert parallelism.
    let per_process = if ep { b / n } else { b };
    // Each sequence's fixed work in every layer (its q tokens share one attention block).
    let sequence_seconds = eff.sequence_seconds(if ep { seqs / n } else { seqs }, m.layers as f64);
    let latency_seconds = eff.pass_overhead(per_process) + sequence_seconds + collective_latency;
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
        kv_host_bytes,
        flops,
        experts_touched: touched,
        terms: StepTerms {
            gemm_seconds,
            padding_seconds,
            imbalance_seconds,
            dequant_seconds: work.dequant_seconds,
            sequence_seconds,
            attention_compute_seconds,
            weight_read_seconds,
            kv_read_seconds,
            kv_host_read_seconds,
            indexer_read_seconds,
            linear_state_seconds,
            indexer_compute_seconds,
            indexer_bytes,
            linear_state_bytes,
            attention_apart: apart,
            comm_hidden_seconds: comm_total - comm_seconds,
            imbalance_factor: work.imbalance_factor,
            tokens_per_expert: work.tokens_per_expert,
            exchange_copies: exchange_copies(s, sh, n),
            attention_precision: attn_precision,
        },
        tokens_per_second: seqs / step_seconds,
        tokens_per_second_per_user: 1.0 / step_seconds,
    }
}
