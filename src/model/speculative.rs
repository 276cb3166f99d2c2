//! Speculative decoding: a cheap drafter proposes k tokens, one target step verifies all
//! k + 1 positions at once, and on average τ tokens are kept per step.
//!
//! The target's verify step reads its weights once for B·(k + 1) tokens
//! ([`super::decode::decode_step_tokens`]): while the step is memory-bound the extra tokens
//! ride on spare FLOPs and the speed-up approaches τ ÷ (1 + draft share); once it is
//! compute-bound the (k + 1)× FLOPs cost (k + 1)× time and the speed-up falls to at most 1.
//!
//! Acceptance rate a is per position, conditional on every earlier draft token being kept
//! (Leviathan et al. 2023, α; DeepSeek-V3 reports "85–90%" for its second token in this
//! sense). With i.i.d. acceptance the kept tokens per step, the bonus token included, are
//! τ = Σ_{i=0..k} aⁱ = (1 − a^(k+1)) ÷ (1 − a).
//!
//! The drafter is a separate model (a preset or a dense shape) or, for MTP, the model's own
//! prediction head: one layer of the model plus its LM head (DeepSeek-V3's MTP module; its
//! 2d×d projection, under 2% of the head's reads, is left out). Each of the k draft steps
//! is a decode step of the drafter at the same batch, context and chips, without the
//! per-step overhead: a draft-and-verify round is one engine iteration, which pays it once.

use super::decode::decode_step_tokens;
use super::{decode_step, kv_bytes_per_sequence, shape, Decode, Shape, StepInputs};
use crate::catalogue::presets::model_preset;
use crate::scenario::{
    DraftModel, LayerKinds, ModelSpec, Moe, Parallelism, Scenario, Speculative, SpeculativeMethod,
};

/// Expected tokens kept per target step with k draft tokens at per-position acceptance
/// `a`: τ = Σ_{i=0..k} aⁱ (1 at a = 0, k + 1 at a = 1), tokens.
pub fn tokens_per_step(acceptance: f64, k: u32) -> f64 {
    let a = if acceptance.is_finite() {
        acceptance.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut term = 1.0;
    let mut sum = 0.0;
    for _ in 0..=k {
        sum += term;
        term *= a;
    }
    sum
}

/// The model's multi-token-prediction head as a model of its own: one layer (a MoE layer
/// for a MoE model) with the model's embedding and LM head, parameters derived.
pub fn mtp_head(m: &ModelSpec) -> ModelSpec {
    ModelSpec {
        name: format!("{} MTP head", m.name),
        layers: 1,
        sliding_window_layers: 0,
        moe: m.moe.as_ref().map(|x| Moe {
            dense_layers: 0,
            ..x.clone()
        }),
        total_params: None,
        active_params: None,
        // The MTP layer attends over the whole context (sparsely where the model does).
        layer_kinds: LayerKinds {
            linear_attention_layers: 0,
            ..m.layer_kinds.clone()
        },
        ..m.clone()
    }
}

/// The drafter of a scenario, prepared once: its scenario (the target's chips, precision,
/// batch and context; no per-step overhead), shape and memory.
#[derive(Clone, Debug)]
pub struct Drafter {
    /// The speculation settings.
    pub spec: Speculative,
    /// The drafter as a scenario of its own.
    pub scenario: Scenario,
    /// Its parameter counts.
    pub shape: Shape,
    /// Weights it adds to memory, bytes over all chips: parameters × bytes per weight (an
    /// MTP head shares the model's embedding and LM head, so only its layer).
    pub weight_bytes: f64,
}

impl Drafter {
    /// The drafter `spec` describes for `s`; `None` when its draft model is missing or
    /// unknown (validation names that).
    pub fn new(s: &Scenario, spec: &Speculative) -> Option<Drafter> {
        let model = match (spec.method, &spec.draft_model) {
            (SpeculativeMethod::Mtp, _) => mtp_head(&s.model),
            (SpeculativeMethod::Draft, Some(DraftModel::Preset(id))) => {
                model_preset(id.trim())?.spec.clone()
            }
            (SpeculativeMethod::Draft, Some(DraftModel::Shape(x))) => x.model(),
            (SpeculativeMethod::Draft, None) => return None,
        };
        let mut d = s.clone();
        d.model = model;
        d.speculative = None;
        d.efficiency.step_overhead_seconds = 0.0;
        if d.model.moe.is_none() {
            d.parallelism = Parallelism::Tensor;
        }
        let sh = shape(&d);
        // One copy of the drafter's weights, split over the chips (a drafter is small; its
        // non-expert part is not replicated per chip as the target's is under expert
        // parallelism). An MTP head shares the model's embedding and LM head.
        let bytes = d.precision.weights.bytes();
        let weight_bytes = match spec.method {
            SpeculativeMethod::Mtp => {
                let tables = if d.model.tied_embeddings { 1.0 } else { 2.0 };
                (sh.total - tables * sh.embedding).max(0.0) * bytes
            }
            SpeculativeMethod::Draft => sh.total * bytes,
        };
        Some(Drafter {
            spec: spec.clone(),
            scenario: d,
            shape: sh,
            weight_bytes,
        })
    }

    /// The drafter of `s`'s own speculation, if it has one.
    pub fn of(s: &Scenario) -> Option<Drafter> {
        s.speculative.as_ref().and_then(|x| Drafter::new(s, x))
    }

    /// The drafter's name.
    pub fn name(&self) -> &str {
        &self.scenario.model.name
    }

    /// KV the drafter holds per sequence at context `ctx`, bytes.
    pub fn kv_bytes_per_sequence(&self, ctx: f64) -> f64 {
        kv_bytes_per_sequence(&self.scenario, ctx)
    }

    /// Speculative decoding of target `s` (shape `sh`, peak FLOP/s `peak`) at `x`, against
    /// the plain step `plain` at the same inputs: the verify step and the round's numbers.
    pub fn speculate(
        &self,
        s: &Scenario,
        sh: &Shape,
        peak: f64,
        x: StepInputs,
        plain: &Decode,
    ) -> (Decode, Speculation) {
        let k = self.spec.draft_tokens.max(1);
        let kf = k as f64;
        let verify = decode_step_tokens(s, sh, peak, x, kf + 1.0);
        let draft = decode_step(&self.scenario, &self.shape, peak, x);
        let tau = tokens_per_step(self.spec.acceptance_rate, k);
        let draft_seconds = kf * draft.step_seconds;
        let round_seconds = verify.step_seconds + draft_seconds;
        let seconds_per_token = round_seconds / tau;
        let sp = Speculation {
            method: self.spec.method,
            draft_tokens: k,
            acceptance_rate: self.spec.acceptance_rate,
            draft_name: self.name().to_string(),
            tokens_per_step: tau,
            plain_step_seconds: plain.step_seconds,
            verify_step_seconds: verify.step_seconds,
            draft_step_seconds: draft.step_seconds,
            draft_seconds,
            round_seconds,
            seconds_per_token,
            speedup: plain.step_seconds / seconds_per_token,
            draft_share: draft_seconds / verify.step_seconds,
            draft_bytes: kf * (draft.weight_bytes + draft.kv_bytes),
            draft_flops: kf * draft.flops,
            draft_weight_bytes: self.weight_bytes,
            draft_kv_bytes_per_sequence: self.kv_bytes_per_sequence(x.context),
            verify_bound: verify.bound,
        };
        (verify, sp)
    }
}

/// One speculative round and what it buys.
#[derive(Clone, Debug, PartialEq)]
pub struct Speculation {
    /// MTP head or draft model.
    pub method: SpeculativeMethod,
    /// Draft tokens per step, k.
    pub draft_tokens: u32,
    /// Per-position acceptance rate, a.
    pub acceptance_rate: f64,
    /// The drafter's name.
    pub draft_name: String,
    /// τ = Σ aⁱ, tokens kept per target step.
    pub tokens_per_step: f64,
    /// The step without speculation, seconds.
    pub plain_step_seconds: f64,
    /// The target step verifying B·(k + 1) tokens, seconds.
    pub verify_step_seconds: f64,
    /// One draft step of B tokens (no per-step overhead), seconds.
    pub draft_step_seconds: f64,
    /// k draft steps, seconds.
    pub draft_seconds: f64,
    /// Verify step + draft steps, seconds.
    pub round_seconds: f64,
    /// Round ÷ τ: time per output token each user sees (TPOT), seconds.
    pub seconds_per_token: f64,
    /// Plain step ÷ TPOT (below 1: speculation slows decoding).
    pub speedup: f64,
    /// Draft time ÷ verify step.
    pub draft_share: f64,
    /// Bytes the k draft steps read, summed over chips.
    pub draft_bytes: f64,
    /// FLOPs of the k draft steps, summed over chips.
    pub draft_flops: f64,
    /// Weights the drafter adds to memory, bytes over all chips.
    pub draft_weight_bytes: f64,
    /// KV the drafter holds per sequence at the decode context, bytes.
    pub draft_kv_bytes_per_sequence: f64,
    /// Which limit binds the verify step.
    pub verify_bound: super::Bound,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::presets::hardware_preset;
    use crate::scenario::{Efficiency, Precision};

    fn spec(method: SpeculativeMethod, k: u32, a: f64) -> Speculative {
        Speculative {
            method,
            draft_tokens: k,
            acceptance_rate: a,
            draft_model: (method == SpeculativeMethod::Draft)
                .then(|| DraftModel::Preset("llama-3.1-8b".into())),
        }
    }

    /// (speculation, plain step) of `s` with `sp` at its own batch.
    fn run(s: &Scenario, sp: &Speculative) -> (Decode, Speculation) {
        let sh = shape(s);
        let peak = s.peak_flops().unwrap();
        let x = StepInputs {
            batch: s.workload.batch_size as f64,
            context: s.decode_context(),
            chips: s.chips as f64,
        };
        let plain = decode_step(s, &sh, peak, x);
        let d = Drafter::new(s, sp).unwrap();
        let (_, r) = d.speculate(s, &sh, peak, x, &plain);
        (plain, r)
    }

    #[test]
    fn tokens_per_step_at_its_limits() {
        for k in [1, 2, 4, 7] {
            assert_eq!(tokens_per_step(0.0, k), 1.0);
            assert_eq!(tokens_per_step(1.0, k), k as f64 + 1.0);
            let near = tokens_per_step(1.0 - 1e-9, k);
            assert!((near - (k as f64 + 1.0)).abs() < 1e-6, "{near}");
            let a: f64 = 0.7;
            let closed = (1.0 - a.powi(k as i32 + 1)) / (1.0 - a);
            assert!((tokens_per_step(a, k) - closed).abs() < 1e-12);
        }
        assert_eq!(tokens_per_step(0.85, 1), 1.85);
        assert_eq!(tokens_per_step(f64::NAN, 3), 1.0);
    }

    #[test]
    fn no_acceptance_is_a_cost_never_a_gain() {
        let s = Scenario::default();
        for m in [SpeculativeMethod::Mtp, SpeculativeMethod::Draft] {
            for b in [1, 64, 4096] {
                let mut t = s.clone();
                t.workload.batch_size = b;
                let (_, r) = run(&t, &spec(m, 3, 0.0));
                assert_eq!(r.tokens_per_step, 1.0);
                assert!(r.speedup < 1.0, "{m:?} at {b}: {}", r.speedup);
            }
        }
    }

    #[test]
    fn memory_bound_speedup_is_tau_over_one_plus_draft_share() {
        // Llama 3.1 70B at batch 1 on 8 × H100, pure bound: deeply memory-bound.
        let s = Scenario {
            efficiency: Efficiency::PURE,
            workload: crate::scenario::Workload {
                batch_size: 1,
                ..Default::default()
            },
            ..Scenario::default()
        };
        for (m, k, a) in [
            (SpeculativeMethod::Draft, 4, 0.7),
            (SpeculativeMethod::Mtp, 1, 0.85),
            (SpeculativeMethod::Mtp, 3, 0.8),
        ] {
            let (plain, r) = run(&s, &spec(m, k, a));
            assert_eq!(r.verify_bound, super::super::Bound::Memory);
            let want = r.tokens_per_step / (1.0 + r.draft_seconds / plain.step_seconds);
            assert!(
                (r.speedup / want - 1.0).abs() < 0.01,
                "{m:?}: {} vs {want}",
                r.speedup
            );
            assert!(r.speedup > 1.0);
        }
    }

    #[test]
    fn compute_bound_speedup_falls_to_at_most_one() {
        // The pure roofline, so no fixed per-step cost for speculation to amortize.
        let mut s = Scenario {
            efficiency: Efficiency::PURE,
            chips: 64,
            ..Scenario::default()
        };
        s.workload.batch_size = 16_384;
        s.workload.context_length = Some(128);
        for (m, k, a) in [
            (SpeculativeMethod::Mtp, 1, 0.9),
            (SpeculativeMethod::Draft, 4, 0.9),
            (SpeculativeMethod::Mtp, 2, 1.0),
        ] {
            let (plain, r) = run(&s, &spec(m, k, a));
            assert_eq!(plain.bound, super::super::Bound::Compute);
            assert!(r.speedup <= 1.0, "{m:?}: {}", r.speedup);
        }
    }

    #[test]
    fn the_mtp_head_is_one_layer_with_the_models_lm_head() {
        let m = model_preset("deepseek-v3").unwrap().spec.clone();
        let head = mtp_head(&m);
        assert_eq!(head.layers, 1);
        assert_eq!(head.moe.as_ref().unwrap().dense_layers, 0);
        let s = Scenario {
            model: m,
            precision: crate::scenario::PrecisionSpec {
                weights: Precision::Fp8,
                ..Default::default()
            },
            ..Scenario::default()
        };
        let d = Drafter::new(&s, &Speculative::MTP_START).unwrap();
        // One MoE layer: 256 experts of 3·7168·2048 plus attention, about 11.5B parameters
        // (DeepSeek-V3's MTP module is 11.5B beyond the shared embedding and head).
        let layer_params = d.weight_bytes / 1.0;
        assert!((10.5e9..12.5e9).contains(&layer_params), "{layer_params:e}");
    }

    #[test]
    fn deepseek_v3_with_one_mtp_head_decodes_about_1_8_times_faster() {
        // DeepSeek-V3 technical report (arXiv:2412.19437, §5.4.3): the second token's
        // acceptance rate is 85–90%, "1.8 times TPS". At small batch on 8 × H200 in fp8,
        // expert parallel, at the realistic efficiencies, the step is memory-bound: the
        // second token's rows sit in the same padded tiles and its extra expert reads and
        // attention math cost little. (At batch 8–512 the model gives 1.4–1.7×: the second
        // token touches more experts, and at large batch attention's math, which doubles,
        // binds.)
        let mut s = Scenario {
            model: model_preset("deepseek-v3").unwrap().spec.clone(),
            hardware: hardware_preset("h200-sxm").unwrap().spec.clone(),
            parallelism: Parallelism::Expert,
            ..Scenario::default()
        };
        s.precision.weights = Precision::Fp8;
        s.precision.compute = Precision::Fp8;
        s.precision.kv_cache = Precision::Fp8;
        s.workload.batch_size = 1;
        for a in [0.85, 0.9] {
            let mut sp = Speculative::MTP_START;
            sp.acceptance_rate = a;
            let (_, r) = run(&s, &sp);
            // The report's 1.8×, within ±8% (its batch and serving setup are not stated).
            assert!((1.65..=1.95).contains(&r.speedup), "a = {a}: {}", r.speedup);
        }
    }
}
