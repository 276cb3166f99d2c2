//! Prefill of a prompt (the time to first token): its FLOPs and bytes at prefill's
//! efficiency, with the same GEMM terms as decode.

use super::gemm::{attention_rate, gemm_work};
use super::prefix_cache::{new_token_attention_flops, prompt_indexer_flops};
use super::{experts_touched, kv_bytes_per_sequence, Bound, Prefill, Shape, ACTIVATION_BYTES};
use crate::scenario::Scenario;

/// Prefill of `tokens` prompt tokens in one pass: FLOPs 2·n·P_active + causal attention (and
/// a sparse model's indexer) at prefill's efficiency η_p (attention at its own precision when
/// apart, padding and widening as in decode; the routed experts' GEMMs at the expert
/// efficiency η_x when set); bytes all weights (embedding lookup excluded) + KV written;
/// communication two all-reduces per layer under tensor parallelism, and under expert
/// parallelism the MoE dispatch and combine of the prompt tokens (as in decode; attention and
/// dense layers are data parallel, so they exchange nothing).
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
    // Dense GEMM rows at η_p; the routed experts' grouped GEMMs (their padding and the busiest
    // expert's excess too) at the expert efficiency η_x, as in decode (η_p when unset), FLOPs
    // ÷ (FLOP/s × fraction) = s.
    let eta_x = eff.expert_compute.unwrap_or(eta);
    let dense_work = (work.useful - work.expert_useful) + (work.padding - work.expert_padding);
    let expert_work = work.expert_useful + work.expert_padding + work.imbalance;
    let compute_seconds = dense_work / (peak_flops * eta)
        + expert_work / (peak_flops * eta_x)
        + work.dequant_seconds
        + (attention + indexer) / (n * attn_peak * attn_eta);
    let layers = m.layers as f64;
    let ep = s.parallelism == crate::scenario::Parallelism::Expert && sh.moe_layers > 0.0;
    let (comm_seconds, latency) = if n > 1.0 && ep {
        super::decode::expert_exchange(s, sh, tokens, n, work.imbalance_factor)
    } else if n > 1.0 {
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
            // Added term by term (not `pass_fixed_seconds`) to keep the sums bit for bit.
            + eff.pass_overhead(requests.max(1.0))
            + eff.sequence_seconds(requests.max(1.0), s.model.layers as f64),
        memory_seconds,
        compute_seconds,
        comm_seconds,
        flops,
        bytes,
        bound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::presets::{hardware_preset, model_preset};
    use crate::model::decode::expert_exchange;
    use crate::model::shape;
    use crate::scenario::{Efficiency, Parallelism, Precision};

    fn moe(parallelism: Parallelism, chips: u32, eff: Efficiency) -> Scenario {
        let mut s = Scenario {
            model: model_preset("qwen3-235b-a22b").unwrap().spec.clone(),
            hardware: hardware_preset("h200-sxm").unwrap().spec.clone(),
            chips,
            parallelism,
            efficiency: eff,
            ..Scenario::default()
        };
        s.precision.weights = Precision::Fp8;
        s.precision.compute = Precision::Fp8;
        s
    }

    fn run(s: &Scenario, tokens: f64) -> Prefill {
        let sh = shape(s);
        prefill(s, &sh, s.peak_flops().unwrap(), tokens, tokens / 1024.0)
    }

    /// Under expert parallelism prefill exchanges the MoE dispatch and combine of its tokens
    /// (decode's exchange at the same token count), not tensor parallelism's all-reduces;
    /// on one chip it exchanges nothing under either.
    #[test]
    fn expert_parallel_prefill_exchanges_its_tokens() {
        for eff in [Efficiency::REALISTIC, Efficiency::PURE] {
            let tokens = 64.0 * 1024.0;
            let ep = moe(Parallelism::Expert, 8, eff.clone());
            let tp = moe(Parallelism::Tensor, 8, eff.clone());
            let (p_ep, p_tp) = (run(&ep, tokens), run(&tp, tokens));
            let sh = shape(&ep);
            let imb = gemm_work(
                &ep,
                &sh,
                tokens,
                8.0,
                experts_touched(sh.experts, sh.experts_per_token, tokens),
            )
            .imbalance_factor;
            let (transfer, _) = expert_exchange(&ep, &sh, tokens, 8.0, imb);
            assert!(transfer > 0.0);
            assert!((p_ep.comm_seconds - transfer).abs() <= 1e-12 * transfer);
            assert!(p_tp.comm_seconds > 0.0 && p_ep.comm_seconds != p_tp.comm_seconds);
            for par in [Parallelism::Expert, Parallelism::Tensor] {
                assert_eq!(run(&moe(par, 1, eff.clone()), tokens).comm_seconds, 0.0);
            }
        }
        // A dense model under the expert mode keeps tensor parallelism's all-reduces.
        let mut d = moe(Parallelism::Expert, 4, Efficiency::REALISTIC);
        d.model = model_preset("llama-3.1-70b").unwrap().spec.clone();
        let mut t = d.clone();
        t.parallelism = Parallelism::Tensor;
        assert_eq!(run(&d, 8192.0).comm_seconds, run(&t, 8192.0).comm_seconds);
    }

    /// Prefill's expert GEMMs run at the expert efficiency: slower at a lower η_x, the same
    /// as before when η_x is unset or equals η_p, and a dense model does not notice it.
    #[test]
    fn prefill_expert_gemms_at_the_expert_efficiency() {
        let tokens = 32.0 * 1024.0;
        let at = |x: Option<f64>| {
            let eff = Efficiency {
                expert_compute: x,
                prefill_compute: Some(0.6),
                ..Efficiency::REALISTIC
            };
            run(&moe(Parallelism::Tensor, 1, eff), tokens).compute_seconds
        };
        assert!(at(Some(0.3)) > at(Some(0.6)));
        assert_eq!(at(None), at(Some(0.6)));
        let dense = |x: Option<f64>| {
            let mut s = moe(
                Parallelism::Tensor,
                1,
                Efficiency {
                    expert_compute: x,
                    ..Efficiency::REALISTIC
                },
            );
            s.model = model_preset("llama-3.1-8b").unwrap().spec.clone();
            run(&s, tokens).compute_seconds
        };
        assert_eq!(dense(Some(0.3)), dense(Some(0.9)));
    }
}
