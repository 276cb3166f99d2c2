//! One step of chunked prefill: the decode step of the running requests fused with a chunk
//! of a waiting prompt (Sarathi-Serve, vLLM's default scheduler), costed by the engine's own
//! decode and prefill passes.
//!
//! The fused pass reads the weights once and pays one per-step overhead and one set of
//! collective latencies; its math and its KV traffic are both passes' together:
//!
//! - reads: the larger weight read of the two (prefill reads every expert), the decode KV,
//!   the chunk's KV written and the KV of the prompt's earlier chunks read by its attention;
//! - math: the decode GEMMs and attention at η_c (η_a), the chunk's at prefill's η_p, each
//!   padded to whole tiles on its own rows;
//! - busy time: one roofline max(reads, math), or, when attention runs apart, one per phase
//!   (weights against GEMMs, KV against attention), as the decode step does;
//! - then both passes' collective transfers, and the larger fixed latency.
//!
//! At its limits it is the engine exactly: no chunk is [`decode_step`]; no decode and a
//! chunk that is a whole prompt is [`prefill`] of one request.

use super::gemm::attention_rate;
use super::prefix_cache::{prompt_attention_flops, prompt_indexer_flops};
use super::{
    decode_step, kv_bytes_per_sequence, layer_groups, prefill, sparse_top_k, Bound, Shape,
    StepInputs,
};
use crate::scenario::Scenario;

/// A fused step and its two passes on their own, seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MixedStep {
    /// The fused step, seconds.
    pub seconds: f64,
    /// The decode step alone (0 without decodes), seconds.
    pub decode_seconds: f64,
    /// The chunk's prefill pass alone (0 without a chunk), seconds.
    pub chunk_seconds: f64,
    /// Which of reads and math is slower in the fused pass.
    pub bound: Bound,
}

/// Query–key pairs of `c` causal query tokens after `p` cached tokens, each attending over at
/// most `w` keys: ∫₀ᶜ min(p + x, w) dx.
fn pairs(c: f64, p: f64, w: f64) -> f64 {
    let a = p.min(w);
    let b = (p + c).min(w);
    // Part below the window: ∫ (p + x) dx from p to b in key units; above it w per token.
    let below = (b * b - a * a) / 2.0;
    let beyond = (p + c - b.max(p)).max(0.0);
    let above = if beyond > 0.0 { beyond * w } else { 0.0 };
    below + above
}

/// The chunk's attention FLOPs beyond a prefill of the chunk alone: the chunk's queries
/// against the `prefix` tokens already cached, 4·h·d_h per pair per layer (windowed layers
/// attend over at most W keys, a sparse model's full layers over at most k; linear layers
/// add nothing: their cost is per token), plus a sparse model's indexer scoring those
/// pairs, 2·H_I·d_I each per full layer.
pub fn prefix_attention_flops(s: &Scenario, chunk: f64, prefix: f64) -> f64 {
    if chunk <= 0.0 || prefix <= 0.0 {
        return 0.0;
    }
    let m = &s.model;
    let hd = m.attention_heads as f64 * m.head_dim as f64;
    let g = layer_groups(m);
    let extra = |w: f64| pairs(chunk, prefix, w) - pairs(chunk, 0.0, w);
    let w = m.sliding_window.map(|w| w as f64).unwrap_or(f64::INFINITY);
    let indexer = match m.layer_kinds.sparse_top_k {
        Some(_) => {
            let k = &m.layer_kinds;
            let hdi = k.indexer_heads.unwrap_or(0) as f64 * k.indexer_head_dim.unwrap_or(0) as f64;
            2.0 * hdi * chunk * prefix * g.full
        }
        None => 0.0,
    };
    4.0 * hd * (g.full * extra(sparse_top_k(s)) + g.window * extra(w)) + indexer
}

/// The terms of a chunk's prefill pass that the fusion needs, seconds.
struct Chunk {
    seconds: f64,
    weight_read: f64,
    kv: f64,
    gemm: f64,
    attention: f64,
    comm: f64,
    latency: f64,
}

/// A prefill pass of `chunk` prompt tokens after `prefix` cached ones: [`prefill`] of the
/// chunk, plus its attention over the prefix and the prefix's KV read.
fn chunk_pass(s: &Scenario, sh: &Shape, peak: f64, chunk: f64, prefix: f64) -> Chunk {
    prompts_pass(s, sh, peak, chunk, 1.0, prefix)
}

/// A prefill pass of `requests` prompts of `tokens` tokens in all, each after `prefix`
/// cached tokens of its own.
fn prompts_pass(
    s: &Scenario,
    sh: &Shape,
    peak: f64,
    tokens: f64,
    requests: f64,
    prefix: f64,
) -> Chunk {
    let requests = requests.max(1.0);
    let chunk = tokens / requests;
    let p = prefill(s, sh, peak, tokens, requests);
    let eff = &s.efficiency;
    let n = s.chips.max(1) as f64;
    let bw = n * s.hardware.memory_bandwidth * eff.bandwidth;
    let all_weights = sh.always_read + sh.moe_layers * sh.experts * sh.expert;
    let weight_read = all_weights * s.precision.weights.bytes() / bw;
    let eta = eff.prefill();
    let (attn_peak, attn_eta, _) = attention_rate(s, peak, eta, eff.attention_compute.map(|_| eta));
    let attn_rate = n * attn_peak * attn_eta;
    // The chunk's own causal attention, as prefill counts it (one request of `chunk` tokens).
    let own = requests * own_attention_flops(s, chunk);
    let extra_flops = requests * prefix_attention_flops(s, chunk, prefix);
    let extra_read = if prefix > 0.0 {
        requests * kv_bytes_per_sequence(s, prefix) / bw
    } else {
        0.0
    };
    let memory = p.memory_seconds + extra_read;
    let compute = p.compute_seconds + extra_flops / attn_rate;
    let fixed = p.seconds - p.memory_seconds.max(p.compute_seconds) - p.comm_seconds;
    Chunk {
        // Exactly the prefill's time when nothing is cached.
        seconds: p.seconds + (memory.max(compute) - p.memory_seconds.max(p.compute_seconds)),
        weight_read,
        kv: memory - weight_read,
        attention: (own + extra_flops) / attn_rate,
        gemm: compute - (own + extra_flops) / attn_rate,
        comm: p.comm_seconds,
        latency: fixed,
    }
}

/// Causal attention FLOPs of one prompt of `tokens` tokens, as [`prefill`] counts them:
/// 2·h·d_h·n² per full layer, 4·h·d_h·(n·W − W²/2) per windowed layer past the window (see
/// [`prompt_attention_flops`]), and a sparse model's indexer.
fn own_attention_flops(s: &Scenario, tokens: f64) -> f64 {
    prompt_attention_flops(s, tokens) + prompt_indexer_flops(s, tokens)
}

/// One step of `batch` decoding requests at (effective) context `context` fused with a
/// chunk of `chunk` prompt tokens whose first `prefix` tokens are already cached, on the
/// scenario's chips (see the module documentation). `batch` 0 or `chunk` 0 leave that pass
/// out; both 0 is a step of no time.
pub fn mixed_step(
    s: &Scenario,
    sh: &Shape,
    peak: f64,
    batch: f64,
    context: f64,
    chunk: f64,
    prefix: f64,
) -> MixedStep {
    let decode = decode_pass(s, sh, peak, batch, context);
    let chunk = (chunk >= 1.0).then(|| chunk_pass(s, sh, peak, chunk, prefix.max(0.0)));
    fuse(decode, chunk)
}

/// The decode step `decode` (already evaluated) fused with `prompts` whole prompts of
/// `tokens` tokens in all (nothing cached): the in-flight batching step.
pub fn fused_prompts_step(
    s: &Scenario,
    sh: &Shape,
    peak: f64,
    decode: &super::Decode,
    tokens: f64,
    prompts: f64,
) -> MixedStep {
    let chunk = (tokens >= 1.0).then(|| prompts_pass(s, sh, peak, tokens, prompts, 0.0));
    fuse(Some(decode.clone()), chunk)
}

/// The decode step of `batch` requests at `context` on the scenario's chips (`None` below
/// one request).
fn decode_pass(
    s: &Scenario,
    sh: &Shape,
    peak: f64,
    batch: f64,
    context: f64,
) -> Option<super::Decode> {
    let chips = s.chips.max(1) as f64;
    (batch >= 1.0).then(|| {
        decode_step(
            s,
            sh,
            peak,
            StepInputs {
                batch,
                context,
                chips,
            },
        )
    })
}

/// The decode step and the chunk's pass fused (see the module documentation).
fn fuse(decode: Option<super::Decode>, chunk: Option<Chunk>) -> MixedStep {
    match (decode, chunk) {
        (None, None) => MixedStep {
            seconds: 0.0,
            decode_seconds: 0.0,
            chunk_seconds: 0.0,
            bound: Bound::Memory,
        },
        (Some(d), None) => MixedStep {
            seconds: d.step_seconds,
            decode_seconds: d.step_seconds,
            chunk_seconds: 0.0,
            bound: d.bound,
        },
        (None, Some(c)) => MixedStep {
            seconds: c.seconds,
            decode_seconds: 0.0,
            chunk_seconds: c.seconds,
            bound: if c.gemm + c.attention >= c.weight_read + c.kv {
                Bound::Compute
            } else {
                Bound::Memory
            },
        },
        (Some(d), Some(c)) => {
            let t = &d.terms;
            let gemm_d = d.compute_seconds - t.attention_compute_seconds;
            let weights = t.weight_read_seconds.max(c.weight_read);
            let kv = t.kv_read_seconds + t.kv_host_read_seconds + c.kv;
            let gemm = gemm_d + c.gemm;
            let attention = t.attention_compute_seconds + c.attention;
            let busy = if t.attention_apart {
                weights.max(gemm) + kv.max(attention)
            } else {
                (weights + kv).max(gemm + attention)
            };
            let comm = d.comm_seconds + c.comm;
            let latency = d.latency_seconds.max(c.latency);
            MixedStep {
                seconds: busy + comm + latency,
                decode_seconds: d.step_seconds,
                chunk_seconds: c.seconds,
                bound: if gemm + attention >= weights + kv {
                    Bound::Compute
                } else {
                    Bound::Memory
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::presets::model_preset;
    use crate::model::shape;
    use crate::scenario::Efficiency;

    fn at(s: &Scenario, b: f64, ctx: f64, c: f64, p: f64) -> MixedStep {
        mixed_step(s, &shape(s), s.peak_flops().unwrap(), b, ctx, c, p)
    }

    fn decode_alone(s: &Scenario, b: f64, ctx: f64) -> f64 {
        decode_step(
            s,
            &shape(s),
            s.peak_flops().unwrap(),
            StepInputs {
                batch: b,
                context: ctx,
                chips: s.chips as f64,
            },
        )
        .step_seconds
    }

    #[test]
    fn without_a_chunk_it_is_the_decode_step() {
        let s = Scenario::default();
        for b in [1.0, 7.0, 64.0, 500.0] {
            assert_eq!(
                at(&s, b, 1500.0, 0.0, 0.0).seconds,
                decode_alone(&s, b, 1500.0)
            );
        }
        assert_eq!(at(&s, 0.0, 100.0, 0.0, 0.0).seconds, 0.0);
    }

    #[test]
    fn a_whole_prompt_alone_is_the_engines_prefill() {
        for model in ["llama-3.1-70b", "gemma-3-27b", "mixtral-8x7b"] {
            let s = Scenario {
                model: model_preset(model).unwrap().spec.clone(),
                ..Scenario::default()
            };
            for n in [1.0, 300.0, 2048.0, 9000.0] {
                let p = prefill(&s, &shape(&s), s.peak_flops().unwrap(), n, 1.0).seconds;
                assert_eq!(at(&s, 0.0, 0.0, n, 0.0).seconds, p, "{model} {n}");
            }
        }
    }

    #[test]
    fn chunk_attention_over_the_prefix_adds_up_to_the_whole_prompt() {
        // Two chunks' attention (the second over the first) is the whole prompt's.
        for model in ["llama-3.1-70b", "gemma-3-27b"] {
            let s = Scenario {
                model: model_preset(model).unwrap().spec.clone(),
                ..Scenario::default()
            };
            for (a, b) in [(100.0, 200.0), (3000.0, 5000.0), (512.0, 7000.0)] {
                let whole = own_attention_flops(&s, a + b);
                let parts = own_attention_flops(&s, a)
                    + own_attention_flops(&s, b)
                    + prefix_attention_flops(&s, b, a);
                assert!(((whole - parts) / whole).abs() < 1e-12, "{model} {a} {b}");
            }
        }
        assert_eq!(pairs(10.0, 0.0, f64::INFINITY), 50.0);
        assert_eq!(pairs(10.0, 5.0, f64::INFINITY), 100.0);
        assert_eq!(pairs(10.0, 20.0, 8.0), 80.0);
    }

    #[test]
    fn fused_is_between_the_slower_pass_and_both_in_turn() {
        let mut s = Scenario::default();
        for eff in [Efficiency::REALISTIC, Efficiency::LEGACY, Efficiency::PURE] {
            s.efficiency = eff.clone();
            let one_roofline = eff.attention_compute.is_none();
            for (b, c, p) in [(1.0, 1.0, 0.0), (32.0, 512.0, 0.0), (200.0, 2048.0, 4096.0)] {
                let m = at(&s, b, 2000.0, c, p);
                assert!(m.seconds >= m.decode_seconds.max(m.chunk_seconds) * (1.0 - 1e-12));
                if one_roofline {
                    assert!(m.seconds <= (m.decode_seconds + m.chunk_seconds) * (1.0 + 1e-12));
                }
                // A larger chunk never makes the step faster.
                assert!(at(&s, b, 2000.0, c * 2.0, p).seconds >= m.seconds);
                assert!(at(&s, b, 2000.0, c, p + 1000.0).seconds >= m.seconds);
            }
        }
    }

    #[test]
    fn a_small_chunk_hides_under_a_memory_bound_decode() {
        // Batch 8 at 2k context is memory-bound: 32 prompt tokens cost far less than their
        // own prefill pass (which reads all weights again).
        let s = Scenario::default();
        let m = at(&s, 8.0, 2000.0, 32.0, 0.0);
        assert!(
            m.seconds - m.decode_seconds < 0.25 * m.chunk_seconds,
            "{m:?}"
        );
    }
}
