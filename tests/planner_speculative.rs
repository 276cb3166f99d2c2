//! The planner with speculative decoding: it tries the scenario's speculation on and off,
//! its winner equals an independent brute force that does the same, speculation makes a
//! per-user speed reachable that is not without it, and the launch commands carry the
//! speculative flags.

#[path = "common/chips.rs"]
mod chips;
use chips::tiny_chips;

use roofline::catalogue::presets::model_preset;
use roofline::model::speculative::Drafter;
use roofline::model::{
    decode_step, fits_beside, kv_bytes_per_sequence, prefill, shape, Resident, StepInputs,
};
use roofline::planner::launch::{commands, hf_repo, speculative_flags};
use roofline::planner::{plan, Chip, ChipKind, SearchSpace, Setup, Target, Targets};
use roofline::scenario::{
    DraftModel, Parallelism, Precision, Scenario, Speculative, SpeculativeMethod,
};

/// No pipelines (speculation is tried without one), so the brute force below stays short.
fn space() -> SearchSpace {
    SearchSpace {
        chip_counts: vec![1, 2, 4],
        max_pipeline: 1,
        max_batch_per_replica: 300,
    }
}

fn mtp(k: u32, a: f64) -> Speculative {
    Speculative {
        method: SpeculativeMethod::Mtp,
        draft_tokens: k,
        acceptance_rate: a,
        draft_model: None,
    }
}

/// Llama 3.1 8B with a one-layer MTP head, k = 2 at acceptance 0.8 (τ = 2.44).
fn speculating() -> Scenario {
    Scenario {
        model: model_preset("llama-3.1-8b").unwrap().spec.clone(),
        speculative: Some(mtp(2, 0.8)),
        ..Scenario::default()
    }
}

fn targets(tps: f64) -> Targets {
    Targets {
        min_user_tokens_per_second: tps,
        max_ttft_seconds: 10.0,
        input_tokens: 2048,
        output_tokens: 512,
        chips: None,
        budget: None,
    }
}

/// (cost, chip id, chips, parallelism, batch, speculates) of the cheapest setup, trying
/// every batch of every setup with and without the scenario's speculation.
fn brute_force(
    base: &Scenario,
    t: &Targets,
    chips: &[Chip],
) -> Option<(f64, String, u32, Parallelism, u64, bool)> {
    let mut best: Option<(f64, String, u32, Parallelism, u64, bool)> = None;
    let mut s0 = base.clone();
    s0.workload.input_tokens = t.input_tokens;
    s0.workload.output_tokens = t.output_tokens;
    s0.workload.context_length = None;
    let ctx = t.input_tokens as f64 + t.output_tokens as f64 / 2.0;
    let sh = shape(&s0);
    for c in chips {
        let mut combos = vec![(Precision::Bf16, Precision::Bf16)];
        if c.spec.peak_flops.contains_key(&Precision::Fp8) {
            combos.extend([
                (Precision::Bf16, Precision::Fp8),
                (Precision::Fp8, Precision::Bf16),
                (Precision::Fp8, Precision::Fp8),
            ]);
        }
        for (w, kv) in combos {
            let peak = c.spec.peak_flops[&w];
            for &n in &space().chip_counts {
                if !s0.model.attention_heads.is_multiple_of(n) {
                    continue;
                }
                for spec in [None, base.speculative.clone()] {
                    let mut s = s0.clone();
                    s.hardware = c.spec.clone();
                    s.precision.weights = w;
                    s.precision.compute = w;
                    s.precision.kv_cache = kv;
                    s.parallelism = Parallelism::Tensor;
                    s.chips = n;
                    if n > c.domain {
                        s.hardware.interconnect_bandwidth = c.scale_out_bandwidth;
                    }
                    let speculates = spec.is_some();
                    s.speculative = spec;
                    let drafter = Drafter::of(&s);
                    if speculates && drafter.is_none() {
                        continue;
                    }
                    let ttft = prefill(&s, &sh, peak, t.input_tokens as f64, 1.0).seconds;
                    if ttft > t.max_ttft_seconds {
                        continue;
                    }
                    let kv_seq = kv_bytes_per_sequence(&s, ctx)
                        + drafter
                            .as_ref()
                            .map_or(0.0, |d| d.kv_bytes_per_sequence(ctx));
                    let resident = Resident {
                        spread: drafter.as_ref().map_or(0.0, |d| d.weight_bytes),
                        per_chip: 0.0,
                    };
                    for b in 1..=space().max_batch_per_replica {
                        let x = StepInputs {
                            batch: b as f64,
                            context: ctx,
                            chips: n as f64,
                        };
                        let plain = decode_step(&s, &sh, peak, x);
                        let step = match &drafter {
                            Some(d) => d.speculate(&s, &sh, peak, x, &plain).1.seconds_per_token,
                            None => plain.step_seconds,
                        };
                        if !fits_beside(&s, &sh, n as f64, b as f64, kv_seq, resident)
                            || 1.0 / step < t.min_user_tokens_per_second
                        {
                            continue;
                        }
                        let cost =
                            n as f64 * c.spec.price_per_hour / 3600.0 * step / b as f64 * 1e6;
                        if best.as_ref().is_none_or(|x| cost < x.0 * (1.0 - 1e-12)) {
                            best =
                                Some((cost, c.id.clone(), n, Parallelism::Tensor, b, speculates));
                        }
                    }
                }
            }
        }
    }
    best
}

fn check(base: &Scenario, t: &Targets) -> roofline::planner::Candidate {
    let p = plan(base, t, &tiny_chips(), &space()).expect("plan");
    let w = p.ranked.first().expect("a winner").clone();
    let b = brute_force(base, t, &tiny_chips()).expect("brute force finds one");
    println!("{} ({}): {}", w.setup.label(), w.binding, w.why);
    let rel = (w.cost_per_million_output_tokens - b.0).abs() / b.0;
    assert!(
        rel < 1e-9,
        "planner {} vs brute force {b:?}",
        w.setup.label()
    );
    assert_eq!(
        (
            w.setup.chip_id.clone(),
            w.setup.chips,
            w.setup.parallelism,
            w.setup.batch,
            w.setup.speculative.is_some()
        ),
        (b.1, b.2, b.3, b.4, b.5)
    );
    w
}

/// A speed target that only speculation reaches: out of reach without it, met with it, and
/// the winner (equal to the brute force) says so and launches with the flags.
#[test]
fn speculation_makes_a_speed_target_reachable() {
    let mut plain = speculating();
    plain.speculative = None;
    // Without speculation no setup goes above 160 tok/s per user (4 × big at batch 1).
    let t = targets(200.0);
    let p = plan(&plain, &t, &tiny_chips(), &space()).unwrap();
    assert!(p.ranked.is_empty());
    let oor = p.out_of_reach.unwrap();
    assert_eq!(oor.targets, vec![Target::UserSpeed], "{}", oor.message);
    let w = check(&speculating(), &t);
    assert_eq!(w.setup.speculative, Some(mtp(2, 0.8)));
    let sp = w.speculation.clone().unwrap();
    assert!((sp.tokens_per_step - 2.44).abs() < 1e-12);
    assert!(sp.speedup > 1.0 && w.user_tokens_per_second >= 200.0);
    assert!(
        w.why.contains("Speculative decoding (mtp, k = 2"),
        "{}",
        w.why
    );
    assert!(
        w.setup.label().ends_with(", MTP k = 2"),
        "{}",
        w.setup.label()
    );
    let l = commands(&w.setup, "meta-llama/Llama-3.1-8B");
    let v = l.vllm.unwrap();
    assert!(
        v.ends_with(r#" --speculative-config '{"method": "mtp", "num_speculative_tokens": 2}'"#),
        "{v}"
    );
    assert!(l
        .notes
        .iter()
        .any(|n| n.contains("Speculative decoding flags")));
}

/// At a modest speed target the planner picks whichever is cheaper, as the brute force does;
/// at a memory-bound small batch speculation costs less per token only if the batch it
/// allows stays small, so both outcomes are checked against the brute force.
#[test]
fn winner_with_speculation_matches_brute_force() {
    for tps in [30.0, 120.0, 300.0] {
        check(&speculating(), &targets(tps));
    }
    // A poor acceptance rate: speculation only costs; the winner never uses it.
    let mut poor = speculating();
    poor.speculative = Some(mtp(3, 0.05));
    let w = check(&poor, &targets(120.0));
    assert!(w.setup.speculative.is_none() && w.speculation.is_none());
    assert!(!w.why.contains("Speculative"));
}

/// Where a speed target forces a small batch, speculation makes the setup cheaper.
#[test]
fn speculation_is_cheaper_at_a_high_speed_target() {
    let t = targets(130.0);
    let mut plain = speculating();
    plain.speculative = None;
    let without = plan(&plain, &t, &tiny_chips(), &space()).unwrap();
    let with = check(&speculating(), &t);
    let w0 = &without.ranked[0];
    println!(
        "130 tok/s/user: ${} without, ${} with speculation",
        w0.cost_per_million_output_tokens, with.cost_per_million_output_tokens
    );
    assert!(with.setup.speculative.is_some());
    assert!(with.cost_per_million_output_tokens < w0.cost_per_million_output_tokens);
}

fn setup(chips: u32, par: Parallelism, speculative: Speculative) -> Setup {
    Setup {
        chip_id: "h200-sxm".into(),
        chip_name: "H200".into(),
        chip_kind: ChipKind::Gpu,
        chips,
        parallelism: par,
        tensor: if par == Parallelism::Expert { 1 } else { chips },
        pipeline: 1,
        expert: if par == Parallelism::Expert { chips } else { 1 },
        microbatches: 1,
        weights: Precision::Fp8,
        kv_cache: Precision::Bf16,
        compute: Precision::Fp8,
        batch: 64,
        max_model_len: 4096,
        domain: 8,
        speculative: Some(speculative),
    }
}

#[test]
fn launch_commands_with_speculation() {
    // DeepSeek-V3's MTP head, one draft token, expert parallel over 8 GPUs.
    let repo = hf_repo(&model_preset("deepseek-v3").unwrap().spec);
    let l = commands(&setup(8, Parallelism::Expert, mtp(1, 0.85)), &repo);
    assert_eq!(
        l.vllm.as_deref(),
        Some(
            r#"vllm serve deepseek-ai/DeepSeek-V3 --tensor-parallel-size 1 --data-parallel-size 8 --enable-expert-parallel --max-num-seqs 8 --max-model-len 4096 --gpu-memory-utilization 0.9 --quantization fp8 --speculative-config '{"method": "deepseek_mtp", "num_speculative_tokens": 1}'"#
        )
    );
    assert_eq!(
        l.sglang.as_deref(),
        Some("python -m sglang.launch_server --model-path deepseek-ai/DeepSeek-V3 --tp 8 --dp 8 --enable-dp-attention --ep-size 8 --max-running-requests 64 --context-length 4096 --mem-fraction-static 0.9 --quantization fp8 --speculative-algorithm EAGLE --speculative-num-steps 1 --speculative-eagle-topk 1 --speculative-num-draft-tokens 2")
    );
    assert!(l
        .notes
        .iter()
        .any(|n| n.contains("vLLM 0.10") && n.contains("SGLang 0.4/0.5")));

    // Llama 3.1 70B drafted by Llama 3.1 8B, four tokens, TP 4.
    let draft = Speculative {
        method: SpeculativeMethod::Draft,
        draft_tokens: 4,
        acceptance_rate: 0.7,
        draft_model: Some(DraftModel::Preset("llama-3.1-8b".into())),
    };
    let l = commands(
        &setup(4, Parallelism::Tensor, draft),
        "meta-llama/Llama-3.1-70B",
    );
    assert_eq!(
        l.vllm.as_deref(),
        Some(
            r#"vllm serve meta-llama/Llama-3.1-70B --tensor-parallel-size 4 --max-num-seqs 64 --max-model-len 4096 --gpu-memory-utilization 0.9 --quantization fp8 --speculative-config '{"model": "meta-llama/Llama-3.1-8B", "num_speculative_tokens": 4}'"#
        )
    );
    assert_eq!(
        l.sglang.as_deref(),
        Some("python -m sglang.launch_server --model-path meta-llama/Llama-3.1-70B --tp 4 --max-running-requests 64 --context-length 4096 --mem-fraction-static 0.9 --quantization fp8 --speculative-algorithm STANDALONE --speculative-draft-model-path meta-llama/Llama-3.1-8B --speculative-num-steps 4 --speculative-eagle-topk 1 --speculative-num-draft-tokens 5")
    );
    // A draft model given by shape has no repository to name.
    let (v, _) = speculative_flags(
        &Speculative {
            draft_model: None,
            ..mtp(2, 0.5)
        },
        "Qwen/Qwen3-32B",
    );
    assert!(v.contains(r#""method": "mtp""#));
}
