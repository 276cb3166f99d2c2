//! The planner: its winner against an independent brute force on a tiny hardware list,
//! out-of-reach answers that name the target, and launch commands for known setups.

#[path = "common/chips.rs"]
mod chips;
use chips::{chip, tiny_chips};

use roofline::catalogue::presets::model_preset;
use roofline::model::{decode_step, fits_at, kv_bytes_per_sequence, prefill, shape, StepInputs};
use roofline::planner::launch::{commands, hf_repo};
use roofline::planner::{
    plan, plan_presets, Budget, Chip, ChipKind, Limit, SearchSpace, Setup, Target, Targets,
};
use roofline::scenario::{Parallelism, Precision, Scenario};

fn tiny_space() -> SearchSpace {
    SearchSpace {
        chip_counts: vec![1, 2, 4],
        max_pipeline: 2,
        max_batch_per_replica: 400,
    }
}

fn scenario(model: &str) -> Scenario {
    Scenario {
        model: model_preset(model).expect("preset").spec.clone(),
        ..Scenario::default()
    }
}

fn targets(tps: f64, ttft: f64) -> Targets {
    Targets {
        min_user_tokens_per_second: tps,
        max_ttft_seconds: ttft,
        input_tokens: 2048,
        output_tokens: 512,
        chips: None,
        budget: None,
    }
}

/// (cost, chip id, chips, parallelism, tensor, pipeline, batch) of the cheapest setup,
/// found by trying every batch of every setup; the pipeline formula is written out here.
fn brute_force(
    base: &Scenario,
    t: &Targets,
    chips: &[Chip],
    space: &SearchSpace,
) -> Option<(f64, String, u32, Parallelism, u32, u32, u64)> {
    let mut best: Option<(f64, String, u32, Parallelism, u32, u32, u64)> = None;
    let mut s0 = base.clone();
    s0.workload.input_tokens = t.input_tokens;
    s0.workload.output_tokens = t.output_tokens;
    s0.workload.context_length = None;
    let ctx = t.input_tokens as f64 + t.output_tokens as f64 / 2.0;
    let sh = shape(&s0);
    for c in chips {
        let has = |p| c.spec.peak_flops.contains_key(&p);
        let mut combos = vec![(Precision::Bf16, Precision::Bf16)];
        if has(Precision::Fp8) {
            combos.extend([
                (Precision::Bf16, Precision::Fp8),
                (Precision::Fp8, Precision::Bf16),
                (Precision::Fp8, Precision::Fp8),
            ]);
        }
        for (w, kv) in combos {
            let peak = c.spec.peak_flops[&w];
            for &n in &space.chip_counts {
                let mut layouts = Vec::new();
                for p in [1u32, 2, 4, 8] {
                    if p <= space.max_pipeline
                        && n.is_multiple_of(p)
                        && s0.model.attention_heads.is_multiple_of(n / p)
                    {
                        layouts.push((Parallelism::Tensor, n / p, p));
                    }
                }
                if let Some(moe) = &s0.model.moe {
                    if n > 1 && moe.experts.is_multiple_of(n) {
                        layouts.push((Parallelism::Expert, 1, 1));
                    }
                }
                for (par, tp, pp) in layouts {
                    let mut s = s0.clone();
                    s.hardware = c.spec.clone();
                    s.precision.weights = w;
                    s.precision.compute = w;
                    s.precision.kv_cache = kv;
                    s.parallelism = par;
                    s.chips = n;
                    let group = if par == Parallelism::Expert { n } else { tp };
                    if group > c.domain {
                        s.hardware.interconnect_bandwidth = c.scale_out_bandwidth;
                    }
                    let hop_bw = if n > c.domain {
                        c.scale_out_bandwidth
                    } else {
                        c.spec.interconnect_bandwidth
                    };
                    let kv_seq = kv_bytes_per_sequence(&s, ctx);
                    let replicas = if par == Parallelism::Expert {
                        n as u64
                    } else {
                        1
                    };
                    let cap = space.max_batch_per_replica * replicas;
                    let eff = s.efficiency.clone();
                    let d_model = s.model.hidden_size as f64;
                    // TTFT.
                    let mut sp = s.clone();
                    sp.chips = group;
                    let ttft = prefill(&sp, &sh, peak, t.input_tokens as f64, 1.0).seconds
                        + (pp as f64 - 1.0)
                            * (t.input_tokens as f64 * d_model * 2.0 / hop_bw
                                + eff.collective_latency_seconds);
                    if ttft > t.max_ttft_seconds {
                        continue;
                    }
                    let mut mbs = vec![1u32];
                    if pp > 1 {
                        let mut m = 2;
                        while m <= 4 * pp {
                            mbs.push(m);
                            m *= 2;
                        }
                    }
                    for m in mbs {
                        let mut b = m as u64;
                        while b <= cap {
                            let step = if pp == 1 {
                                decode_step(
                                    &s,
                                    &sh,
                                    peak,
                                    StepInputs {
                                        batch: b as f64,
                                        context: ctx,
                                        chips: group as f64,
                                    },
                                )
                                .step_seconds
                            } else {
                                let micro = b as f64 / m as f64;
                                let d = decode_step(
                                    &s,
                                    &sh,
                                    peak,
                                    StepInputs {
                                        batch: micro,
                                        context: ctx,
                                        chips: tp as f64,
                                    },
                                );
                                // Fixed per pass: step, per-request and per-sequence work.
                                let fixed = eff.pass_fixed_seconds(micro, s.model.layers as f64);
                                let coll = d.latency_seconds - fixed;
                                let stage = (d.memory_seconds.max(d.compute_seconds)
                                    + d.comm_seconds
                                    + coll)
                                    / pp as f64
                                    + micro * d_model * 2.0 / hop_bw
                                    + eff.collective_latency_seconds;
                                (m + pp - 1) as f64 * stage + fixed
                            };
                            let ok = fits_at(&s, &sh, n as f64, b as f64, kv_seq)
                                && 1.0 / step >= t.min_user_tokens_per_second;
                            if ok {
                                let cost = n as f64 * c.spec.price_per_hour / 3600.0 * step
                                    / b as f64
                                    * 1e6;
                                let budget_ok = match t.budget {
                                    None => true,
                                    Some(Budget::PerMillionOutputTokens(v)) => cost <= v,
                                    Some(Budget::PerHour(v)) => {
                                        n as f64 * c.spec.price_per_hour <= v
                                    }
                                };
                                if budget_ok
                                    && best.as_ref().is_none_or(|x| cost < x.0 * (1.0 - 1e-12))
                                {
                                    best = Some((cost, c.id.clone(), n, par, tp, pp, b));
                                }
                            }
                            b += m as u64;
                        }
                    }
                }
            }
        }
    }
    best
}

fn check_against_brute_force(model: &str, t: Targets) {
    let base = scenario(model);
    let space = tiny_space();
    let chips = tiny_chips();
    let p = plan(&base, &t, &chips, &space).expect("plan");
    let allowed: Vec<Chip> = chips
        .iter()
        .filter(|c| t.chips.as_ref().is_none_or(|ids| ids.contains(&c.id)))
        .cloned()
        .collect();
    let bf = brute_force(&base, &t, &allowed, &space);
    match (p.ranked.first(), bf) {
        (Some(w), Some(b)) => {
            println!("{model}: {} ({})", w.setup.label(), w.binding);
            let rel = (w.cost_per_million_output_tokens - b.0).abs() / b.0;
            assert!(
                rel < 1e-9,
                "{model}: planner {} at ${} vs brute force {:?}",
                w.setup.label(),
                w.cost_per_million_output_tokens,
                b
            );
            assert_eq!(
                (
                    w.setup.chip_id.clone(),
                    w.setup.chips,
                    w.setup.parallelism,
                    w.setup.tensor,
                    w.setup.pipeline,
                    w.setup.batch
                ),
                (b.1, b.2, b.3, b.4, b.5, b.6),
                "{model}"
            );
        }
        (w, b) => panic!(
            "{model}: planner {:?} vs brute force {b:?}",
            w.map(|c| c.setup.label())
        ),
    }
}

#[test]
fn winner_matches_brute_force_dense_latency_bound() {
    check_against_brute_force("llama-3.1-8b", targets(60.0, 1.0));
}

#[test]
fn winner_matches_brute_force_dense_memory_bound() {
    // A slow target lets the batch grow until memory (or the cap) stops it.
    check_against_brute_force("llama-3.1-70b", targets(5.0, 5.0));
}

#[test]
fn winner_matches_brute_force_pipeline_on_small_chips() {
    // Only the 40 GB chip without fp8, whose domain is 2: Llama 70B needs 4 of them.
    let mut t = targets(8.0, 3.0);
    t.chips = Some(vec!["cheap".into()]);
    check_against_brute_force("llama-3.1-70b", t);
}

#[test]
fn pipeline_wins_over_a_slow_link_and_matches_brute_force() {
    // 16 GB chips without fp8, one per server, 1 GB/s between servers: Llama 3.1 8B in
    // bf16 needs two, and tensor parallel over that link pays two all-reduces per layer.
    let mut c = chip("small", 300e12, None, 1e12, 16e9, 1.0);
    c.domain = 1;
    c.scale_out_bandwidth = 1e9;
    let chips = vec![c];
    let space = tiny_space();
    let base = scenario("llama-3.1-8b");
    let t = targets(20.0, 2.0);
    let p = plan(&base, &t, &chips, &space).unwrap();
    let w = p.ranked.first().expect("a setup");
    assert_eq!(
        (w.setup.tensor, w.setup.pipeline),
        (1, 2),
        "{}",
        w.setup.label()
    );
    assert!(w.bubble_fraction > 0.0 && w.bubble_seconds > 0.0);
    let b = brute_force(&base, &t, &chips, &space).expect("brute force");
    assert!(
        (w.cost_per_million_output_tokens - b.0).abs() / b.0 < 1e-9,
        "{} vs {b:?}",
        w.setup.label()
    );
    assert_eq!(
        (w.setup.chips, w.setup.pipeline, w.setup.batch),
        (b.2, b.5, b.6)
    );
    let tp2 = p.ranked.iter().find(|c| c.setup.tensor == 2);
    if let Some(tp2) = tp2 {
        assert!(tp2.cost_per_million_output_tokens > w.cost_per_million_output_tokens);
    }
}

#[test]
fn winner_matches_brute_force_moe() {
    check_against_brute_force("mixtral-8x7b", targets(40.0, 0.5));
    check_against_brute_force("qwen3-30b-a3b", targets(80.0, 0.3));
}

#[test]
fn winner_matches_brute_force_with_budget_and_chip_filter() {
    let mut t = targets(20.0, 2.0);
    t.chips = Some(vec!["cheap".into(), "mid".into()]);
    t.budget = Some(Budget::PerHour(5.0));
    let base = scenario("llama-3.1-70b");
    let p = plan(&base, &t, &tiny_chips(), &tiny_space()).unwrap();
    assert!(p
        .ranked
        .iter()
        .all(|c| c.setup.chip_id != "big" && c.cost_per_hour <= 5.0));
    let bf = brute_force(&base, &t, &tiny_chips()[1..], &tiny_space());
    let w = p.ranked.first().expect("a setup");
    let b = bf.expect("brute force setup");
    assert!((w.cost_per_million_output_tokens - b.0).abs() / b.0 < 1e-9);
    assert_eq!(
        (w.setup.chip_id.as_str(), w.setup.chips, w.setup.batch),
        (b.1.as_str(), b.2, b.6)
    );
}

#[test]
fn ranked_results_meet_targets_and_are_cheapest_first() {
    let t = targets(30.0, 1.0);
    let p = plan(&scenario("llama-3.1-70b"), &t, &tiny_chips(), &tiny_space()).unwrap();
    assert!(p.ranked.len() >= 2, "{}", p.ranked.len());
    for w in p.ranked.windows(2) {
        assert!(w[0].cost_per_million_output_tokens <= w[1].cost_per_million_output_tokens);
    }
    for c in &p.ranked {
        assert!(
            c.user_tokens_per_second >= 30.0 && c.ttft_seconds <= 1.0,
            "{}",
            c.setup.label()
        );
        assert!(c.memory_used_bytes <= c.memory_usable_bytes * (1.0 + 1e-12));
        assert!(!c.why.is_empty() && !c.binding.is_empty());
        if c.limit == Limit::MemoryCapacity {
            assert!(c.binding == "memory capacity");
        }
    }
    assert!(p.ranked[0].why.contains("Cheapest"));
    assert!(p.ranked[1].why.contains("the cost of #1"));
}

#[test]
fn unreachable_speed_names_the_speed_target_and_the_closest_setup() {
    let p = plan(
        &scenario("llama-3.1-70b"),
        &targets(5000.0, 10.0),
        &tiny_chips(),
        &tiny_space(),
    )
    .unwrap();
    assert!(p.ranked.is_empty());
    let o = p.out_of_reach.expect("out of reach");
    assert_eq!(o.targets, vec![Target::UserSpeed]);
    assert!(
        o.message.starts_with("Out of reach: 5,000 tok/s per user."),
        "{}",
        o.message
    );
    let c = o.closest.expect("closest");
    assert!(c.user_tokens_per_second < 5000.0 && c.user_tokens_per_second > 1.0);
    assert!(o.message.contains(&c.setup.label()), "{}", o.message);
    assert_eq!(c.binding, "tokens per second per user (out of reach)");
    assert!(
        c.why.starts_with("The fastest this setup goes: batch "),
        "{}",
        c.why
    );
}

#[test]
fn unreachable_ttft_names_the_ttft_target() {
    let p = plan(
        &scenario("llama-3.1-70b"),
        &targets(1.0, 1e-4),
        &tiny_chips(),
        &tiny_space(),
    )
    .unwrap();
    let o = p.out_of_reach.expect("out of reach");
    assert_eq!(o.targets, vec![Target::Ttft]);
    assert!(
        o.message.contains("time to first token of 100 µs"),
        "{}",
        o.message
    );
}

#[test]
fn unreachable_budget_and_memory() {
    let mut t = targets(10.0, 5.0);
    t.budget = Some(Budget::PerMillionOutputTokens(1e-6));
    let p = plan(&scenario("llama-3.1-8b"), &t, &tiny_chips(), &tiny_space()).unwrap();
    let o = p.out_of_reach.expect("out of reach");
    assert_eq!(o.targets, vec![Target::Budget]);
    assert!(o.message.contains("budget"), "{}", o.message);
    // DeepSeek-V3 (671 GB at fp8) does not fit on 4 × 120 GB.
    let p = plan(
        &scenario("deepseek-v3"),
        &targets(1.0, 60.0),
        &tiny_chips(),
        &tiny_space(),
    )
    .unwrap();
    let o = p.out_of_reach.expect("out of reach");
    assert_eq!(o.targets, vec![Target::Memory]);
}

#[test]
fn bad_targets_are_errors_naming_the_field() {
    let e = plan(
        &scenario("llama-3.1-8b"),
        &targets(0.0, 1.0),
        &tiny_chips(),
        &tiny_space(),
    )
    .unwrap_err();
    assert_eq!(e.field, "targets.min_user_tokens_per_second");
    let e = plan(
        &scenario("llama-3.1-8b"),
        &targets(10.0, f64::NAN),
        &tiny_chips(),
        &tiny_space(),
    )
    .unwrap_err();
    assert_eq!(e.field, "targets.max_ttft_seconds");
}

#[test]
fn presets_search_is_tens_of_thousands_of_evaluations() {
    let base = scenario("deepseek-v3");
    // The first call parses the presets; time the second.
    plan_presets(&base, &targets(20.0, 2.0)).unwrap();
    let mut dt = std::time::Duration::MAX;
    let mut p = None;
    for _ in 0..5 {
        let t0 = std::time::Instant::now();
        p = Some(plan_presets(&base, &targets(20.0, 2.0)).unwrap());
        dt = dt.min(t0.elapsed());
    }
    let p = p.unwrap();
    println!(
        "deepseek-v3: {} setups, {} evaluations in {dt:?}",
        p.setups, p.evaluations
    );
    assert!(p.evaluations >= 10_000, "{}", p.evaluations);
    assert!(!p.ranked.is_empty());
    // Expert parallel appears for an MoE model, pipeline layouts for every model.
    assert!(p
        .ranked
        .iter()
        .any(|c| c.setup.parallelism == Parallelism::Expert));
    assert!(p.ranked.iter().any(|c| c.setup.pipeline > 1));
}

fn setup(chip_id: &str, kind: ChipKind, chips: u32, par: Parallelism, tp: u32, pp: u32) -> Setup {
    Setup {
        chip_id: chip_id.into(),
        chip_name: chip_id.into(),
        chip_kind: kind,
        chips,
        parallelism: par,
        tensor: tp,
        pipeline: pp,
        expert: if par == Parallelism::Expert { chips } else { 1 },
        microbatches: if pp > 1 { pp } else { 1 },
        weights: Precision::Fp8,
        kv_cache: Precision::Fp8,
        compute: Precision::Fp8,
        batch: 212,
        max_model_len: 2048,
        domain: 8,
        speculative: None,
    }
}

#[test]
fn launch_commands_for_known_setups() {
    let repo = hf_repo(&model_preset("llama-3.1-70b").unwrap().spec);
    assert_eq!(repo, "meta-llama/Llama-3.1-70B");
    let l = commands(
        &setup("h100-sxm", ChipKind::Gpu, 8, Parallelism::Tensor, 8, 1),
        &repo,
    );
    assert_eq!(
        l.vllm.as_deref(),
        Some("vllm serve meta-llama/Llama-3.1-70B --tensor-parallel-size 8 --max-num-seqs 212 --max-model-len 2048 --gpu-memory-utilization 0.9 --kv-cache-dtype fp8 --quantization fp8")
    );
    assert_eq!(
        l.sglang.as_deref(),
        Some("python -m sglang.launch_server --model-path meta-llama/Llama-3.1-70B --tp 8 --max-running-requests 212 --context-length 2048 --mem-fraction-static 0.9 --kv-cache-dtype fp8_e4m3 --quantization fp8")
    );
    assert!(l.notes[0].contains("change between versions"));

    // Pipeline over two servers, bf16.
    let mut s = setup("h100-sxm", ChipKind::Gpu, 16, Parallelism::Tensor, 8, 2);
    s.weights = Precision::Bf16;
    s.compute = Precision::Bf16;
    s.kv_cache = Precision::Bf16;
    let l = commands(&s, "meta-llama/Llama-3.1-405B");
    assert_eq!(
        l.vllm.as_deref(),
        Some("vllm serve meta-llama/Llama-3.1-405B --tensor-parallel-size 8 --pipeline-parallel-size 2 --max-num-seqs 212 --max-model-len 2048 --gpu-memory-utilization 0.9")
    );
    assert_eq!(
        l.sglang.as_deref(),
        Some("python -m sglang.launch_server --model-path meta-llama/Llama-3.1-405B --tp 8 --pp-size 2 --max-running-requests 212 --context-length 2048 --mem-fraction-static 0.9 --nnodes 2 --node-rank 0 --dist-init-addr HEAD_IP:5000")
    );
    assert!(l.notes.iter().any(|n| n.contains("Spans 2 servers")));

    // Expert parallel with data-parallel attention: vLLM's --max-num-seqs is per rank.
    let mut s = setup("h200-sxm", ChipKind::Gpu, 8, Parallelism::Expert, 1, 1);
    s.kv_cache = Precision::Bf16;
    let l = commands(&s, "deepseek-ai/DeepSeek-V3");
    assert_eq!(
        l.vllm.as_deref(),
        Some("vllm serve deepseek-ai/DeepSeek-V3 --tensor-parallel-size 1 --data-parallel-size 8 --enable-expert-parallel --max-num-seqs 27 --max-model-len 2048 --gpu-memory-utilization 0.9 --quantization fp8")
    );
    assert_eq!(
        l.sglang.as_deref(),
        Some("python -m sglang.launch_server --model-path deepseek-ai/DeepSeek-V3 --tp 8 --dp 8 --enable-dp-attention --ep-size 8 --max-running-requests 212 --context-length 2048 --mem-fraction-static 0.9 --quantization fp8")
    );

    // Expert parallel over two servers: the multi-server notes; fp16 weights name the dtype.
    let mut s = setup("mi300x", ChipKind::Gpu, 16, Parallelism::Expert, 1, 1);
    s.weights = Precision::Fp16;
    s.compute = Precision::Fp16;
    s.kv_cache = Precision::Fp16;
    let l = commands(&s, "deepseek-ai/DeepSeek-V3");
    assert_eq!(
        l.vllm.as_deref(),
        Some("vllm serve deepseek-ai/DeepSeek-V3 --tensor-parallel-size 1 --data-parallel-size 16 --enable-expert-parallel --max-num-seqs 14 --max-model-len 2048 --gpu-memory-utilization 0.9 --dtype float16")
    );
    assert_eq!(
        l.sglang.as_deref(),
        Some("python -m sglang.launch_server --model-path deepseek-ai/DeepSeek-V3 --tp 16 --dp 16 --enable-dp-attention --ep-size 16 --max-running-requests 212 --context-length 2048 --mem-fraction-static 0.9 --dtype float16 --nnodes 2 --node-rank 0 --dist-init-addr HEAD_IP:5000")
    );
    assert!(
        l.notes
            .iter()
            .any(|n| n.contains("--data-parallel-start-rank 8·k --headless")),
        "{:?}",
        l.notes
    );

    // TPUs get no GPU command.
    let l = commands(
        &setup("tpu-v6e", ChipKind::Tpu, 8, Parallelism::Tensor, 8, 1),
        &repo,
    );
    assert!(l.vllm.is_none() && l.sglang.is_none());
    assert!(l.notes.iter().any(|n| n.contains("do not apply")));
}
