//! Prefill of a prompt (the time to first token): its FLOPs and bytes at prefill's
//! efficiency, with the same GEMM terms as decode.

use super::gemm::{attention_rate, gemm_work};
use super::prefix_cache::{new_token_attention_flops, prompt_indexer_flops};
use super::{experts_touched, kv_bytes_per_sequence, Bound, Prefill, Shape, ACTIVATION_BYTES};
use crate::scenario::Scenario;

/// Prefill of `tokens` prompt tokens in one pass (tensor parallel under either mode):
/// FLOPs 2·n·P_active + causal attention (and a sparse model's indexer) at prefill's
/// efficiency η_p (attention at its own
/// precision when apart, padding and widening as in decode); bytes all weights (embedding
/// lookup excluded) + KV written.
pub fn prefill(s: &Scenario, sh: &Shape, peak_flops: f64, tokens: f64, requests: f64) -> Prefill {
    prefill_after_prefix(s, sh, peak_flops, tokens, requests, 0.0)
}

/// Prefill of `tokens` new prompt tokens over `requests` requests, each after `cached`
/// tokens already in the prefix cache: FLOPs 2·n_new·P_active + the new tokens' causal
/// attention over the whole prompt (`prefix_cache::new_token_attention_flops`); bytes all
/// weights + each request's KV up to its prompt's end (the new tokens' KV written, the
/// cached tokens' KV read). At `cached` = 0 this is [`prefill`].
pub fn prefill_after_prefix(
    s: &Scenario,
    sh: &Shape,
    peak_flops: f64,
    tokens: f64,
    requests: f64,
    cached: f64,
) -> Prefill {
    let m = &s.model;
    let hw = &s.hardware;
    let eff = &s.efficiency;
    let n = s.chips.max(1) as f64;
    let per_request = (tokens / requests.max(1.0)).max(1.0);
    let cached = cached.max(0.0);
    let attention = requests.max(1.0) * new_token_attention_flops(s, cached, per_request);
    // A sparse model's indexer scores each new token against every earlier one.
    let indexer = requests.max(1.0)
        * (prompt_indexer_flops(s, cached + per_request) - prompt_indexer_flops(s, cached));
    let flops = 2.0 * tokens * sh.active_matmul + attention + indexer;
    // Every weight is read, all experts included, except an untied embedding table,
    // of which only the prompt's rows are looked up.
    let all_weights = sh.always_read + sh.moe_layers * sh.experts * sh.expert;
    let bytes = all_weights * s.precision.weights.bytes()
        + requests.max(1.0) * kv_bytes_per_sequence(s, cached + per_request);
    let memory_seconds = bytes / (n * hw.memory_bandwidth * eff.bandwidth);
    let eta = eff.prefill();
    let touched = experts_touched(sh.experts, sh.experts_per_token, tokens);
    let work = gemm_work(s, sh, tokens, n, touched);
    let (attn_peak, attn_eta, _) =
        attention_rate(s, peak_flops, eta, eff.attention_compute.map(|_| eta));
    let compute_seconds = (work.useful + work.padding + work.imbalance) / (peak_flops * eta)
        + work.dequant_seconds
        + (attention + indexer) / (n * attn_peak * attn_eta);
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
            + eff.pass_overhead(requests.max(1.0)),
        memory_seconds,
        compute_seconds,
        comm_seconds,
        flops,
        bytes,
        bound,
    }
}
