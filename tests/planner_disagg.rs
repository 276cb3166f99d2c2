//! The planner's disaggregated comparison: its winner against an independent brute force on
//! a tiny chip list, the comparison's pick, and exact launch strings for both pools.

#[path = "common/chips.rs"]
mod chips;
use chips::chip;

use roofline::catalogue::presets::model_preset;
use roofline::model::{
    decode_step, fits_at, kv_bytes_per_sequence, kv_bytes_per_token, prefill, shape, StepInputs,
};
use roofline::planner::disagg::{
    best_disaggregated, co_located_cost, commands, compare, DisaggregatedSetup, PoolEngine, Winner,
};
use roofline::planner::{plan, Chip, SearchSpace, Targets};
use roofline::scenario::{Parallelism, Precision, Scenario};

/// A compute-rich chip, a bandwidth-rich cheap one without fp8, and a middling one: prefill
/// wants the first, decode the second.
fn chips() -> Vec<Chip> {
    vec![
        chip("flops", 2000e12, Some(4000e12), 2e12, 96e9, 3.0),
        chip("bandwidth", 300e12, None, 3e12, 96e9, 1.2),
        chip("mid", 800e12, Some(1600e12), 2e12, 80e9, 2.0),
    ]
}

fn space() -> SearchSpace {
    SearchSpace {
        chip_counts: vec![1, 2, 4],
        max_pipeline: 2,
        max_batch_per_replica: 300,
    }
}

fn targets(tps: f64, ttft: f64, n_in: u64, n_out: u64) -> Targets {
    Targets {
        min_user_tokens_per_second: tps,
        max_ttft_seconds: ttft,
        input_tokens: n_in,
        output_tokens: n_out,
        chips: None,
        budget: None,
    }
}

fn base() -> Scenario {
    Scenario {
        model: model_preset("llama-3.1-70b").unwrap().spec.clone(),
        ..Scenario::default()
    }
}

/// The precision pairs a chip computes, written out: (16-bit, fp8, fp4 weights where it
/// has them) × (16-bit, fp8 KV where it computes fp8).
fn pairs(c: &Chip) -> Vec<(Precision, Precision)> {
    let has = |p| c.spec.peak_flops.contains_key(&p);
    let mut kvs = vec![Precision::Bf16];
    if has(Precision::Fp8) {
        kvs.push(Precision::Fp8);
    }
    let mut out = Vec::new();
    for w in [Precision::Bf16, Precision::Fp8, Precision::Fp4] {
        if has(w) {
            for &kv in &kvs {
                out.push((w, kv));
            }
        }
    }
    out
}

/// One engine, built from scratch.
fn engine(c: &Chip, n: u32, w: Precision, kv: Precision, t: &Targets) -> Scenario {
    let mut s = base();
    s.hardware = c.spec.clone();
    if n > c.domain {
        s.hardware.interconnect_bandwidth = 25e9;
    }
    s.chips = n;
    s.parallelism = Parallelism::Tensor;
    s.precision.weights = w;
    s.precision.compute = w;
    s.precision.kv_cache = kv;
    s.workload.input_tokens = t.input_tokens;
    s.workload.output_tokens = t.output_tokens;
    s.workload.context_length = None;
    s
}

/// (cost, prefill chip, prefill chips, decode chip, decode chips, batch, weights, kv).
type Found = (f64, String, u32, String, u32, u64, Precision, Precision);

/// The cheapest pair of engines: every pair, every batch tried one by one.
fn brute_force(t: &Targets) -> Option<Found> {
    let n_in = t.input_tokens as f64;
    let n_out = t.output_tokens as f64;
    let mut best: Option<Found> = None;
    let cs = chips();
    for cp in &cs {
        for cd in &cs {
            for &(w, kv) in &pairs(cp) {
                if !pairs(cd).contains(&(w, kv)) {
                    continue;
                }
                for &np in &[1u32, 2, 4] {
                    for &nd in &[1u32, 2, 4] {
                        let sp = engine(cp, np, w, kv, t);
                        let shp = shape(&sp);
                        if !fits_at(&sp, &shp, np as f64, 1.0, kv_bytes_per_sequence(&sp, n_in)) {
                            continue;
                        }
                        let tp = prefill(&sp, &shp, cp.spec.peak_flops[&w], n_in, 1.0).seconds;
                        let link = (np as f64 * 25e9).min(nd as f64 * 25e9);
                        let ttft = tp + (25e-6 + n_in * kv_bytes_per_token(&sp) / link);
                        if ttft > t.max_ttft_seconds {
                            continue;
                        }
                        let sd = engine(cd, nd, w, kv, t);
                        let shd = shape(&sd);
                        let ctx = n_in + n_out / 2.0;
                        let mut found = None;
                        for b in 1..=300u64 {
                            if !fits_at(
                                &sd,
                                &shd,
                                nd as f64,
                                b as f64,
                                kv_bytes_per_sequence(&sd, ctx),
                            ) {
                                break;
                            }
                            let step = decode_step(
                                &sd,
                                &shd,
                                cd.spec.peak_flops[&w],
                                StepInputs {
                                    batch: b as f64,
                                    context: ctx,
                                    chips: nd as f64,
                                },
                            )
                            .step_seconds;
                            if step <= 1.0 / t.min_user_tokens_per_second {
                                found = Some((b, step));
                            }
                        }
                        let Some((b, step)) = found else {
                            continue;
                        };
                        let usd = np as f64 * cp.spec.price_per_hour * tp
                            + nd as f64 * cd.spec.price_per_hour * (n_out - 1.0) * step / b as f64;
                        let cost = usd / 3600.0 / n_out * 1e6;
                        let better = match &best {
                            None => true,
                            Some(x) => {
                                cost < x.0
                                    || (cost == x.0
                                        && (np + nd < x.2 + x.4
                                            || (np + nd == x.2 + x.4 && b > x.5)))
                            }
                        };
                        if better {
                            best = Some((cost, cp.id.clone(), np, cd.id.clone(), nd, b, w, kv));
                        }
                    }
                }
            }
        }
    }
    best
}

fn check(t: Targets) -> DisaggregatedSetup {
    let got = best_disaggregated(&base(), &t, &chips(), &space()).expect("a setup");
    let want = brute_force(&t).expect("brute force finds one");
    println!(
        "{} × {} prefill, {} × {} decode batch {}, {} / {}: ${} ({})",
        got.prefill.chips,
        got.prefill.chip_id,
        got.decode.chips,
        got.decode.chip_id,
        got.decode.batch,
        got.weights,
        got.kv_cache,
        got.cost_per_million_output_tokens,
        got.ratio
    );
    assert!(
        (got.cost_per_million_output_tokens - want.0).abs() / want.0 < 1e-9,
        "{} vs {:?}",
        got.cost_per_million_output_tokens,
        want
    );
    assert_eq!(
        (
            got.prefill.chip_id.clone(),
            got.prefill.chips,
            got.decode.chip_id.clone(),
            got.decode.chips,
            got.decode.batch,
            got.weights,
            got.kv_cache
        ),
        (want.1, want.2, want.3, want.4, want.5, want.6, want.7)
    );
    assert!(got.ttft_seconds <= t.max_ttft_seconds);
    assert!(1.0 / got.decode.seconds >= t.min_user_tokens_per_second);
    got
}

#[test]
fn disaggregated_winner_matches_brute_force() {
    check(targets(25.0, 1.0, 2048, 512));
    check(targets(40.0, 0.6, 8192, 256));
    check(targets(15.0, 3.0, 1024, 1024));
}

/// Prefill on the compute-rich chip and decode on the bandwidth-rich one beats every
/// co-located setup of one chip: the comparison picks disaggregated and says why.
#[test]
fn comparison_picks_the_cheaper_and_explains() {
    let t = targets(25.0, 1.0, 8192, 256);
    let p = plan(&base(), &t, &chips(), &space()).unwrap();
    let c = compare(
        &base(),
        &t,
        &chips(),
        &space(),
        &p,
        "meta-llama/Llama-3.1-70B",
    );
    let (co, co_cost) = c.co_located.clone().expect("co-located");
    let d = c.disaggregated.clone().expect("disaggregated");
    // The co-located basis counts each request's prefill.
    assert_eq!(co_cost, co_located_cost(&co, 256));
    for r in &p.ranked {
        assert!(co_located_cost(r, 256) >= co_cost);
    }
    let want = if d.cost_per_million_output_tokens < co_cost {
        Winner::Disaggregated
    } else {
        Winner::CoLocated
    };
    assert_eq!(c.winner, Some(want));
    println!("{}", c.why);
    assert_eq!(want, Winner::Disaggregated, "{}", c.why);
    assert_ne!(d.prefill.chip_id, d.decode.chip_id, "{}", c.why);
    assert!(c.why.starts_with("Disaggregated wins"));
    assert!(c.why.contains("compute-bound") && c.why.contains("memory-bound"));
    let l = c.launch.expect("commands");
    assert_eq!(l.sglang.len(), 3);
    assert_eq!(l.vllm.len(), 2);
}

#[test]
fn launch_strings_for_both_pools() {
    let engine = |id: &str, chips: u32, batch: u64| PoolEngine {
        chip_id: id.into(),
        chip_name: id.to_uppercase(),
        chips,
        seconds: 0.1,
        bound: roofline::model::Bound::Compute,
        batch,
        requests_per_second: 10.0,
        usd_per_request: 0.001,
        domain: 8,
    };
    let d = DisaggregatedSetup {
        prefill: engine("h100-sxm", 4, 1),
        decode: engine("h200-sxm", 8, 256),
        weights: Precision::Fp8,
        kv_cache: Precision::Fp8,
        transfer_seconds: 0.01,
        ttft_seconds: 0.11,
        prefill_per_decode: 2.5,
        ratio: "5P2D".into(),
        cost_per_million_output_tokens: 0.5,
        max_model_len: 3072,
    };
    let l = commands(&d, "meta-llama/Llama-3.1-70B", &[]);
    assert_eq!(
        l.sglang,
        vec![
            "python -m sglang.launch_server --model-path meta-llama/Llama-3.1-70B --disaggregation-mode prefill --disaggregation-transfer-backend mooncake --tp 4 --context-length 3072 --mem-fraction-static 0.9 --kv-cache-dtype fp8_e4m3 --quantization fp8 --port 30000",
            "python -m sglang.launch_server --model-path meta-llama/Llama-3.1-70B --disaggregation-mode decode --disaggregation-transfer-backend mooncake --tp 8 --max-running-requests 256 --context-length 3072 --mem-fraction-static 0.9 --kv-cache-dtype fp8_e4m3 --quantization fp8 --port 30001",
            "python -m sglang_router.launch_router --pd-disaggregation --prefill http://PREFILL_IP:30000 --decode http://DECODE_IP:30001 --host 0.0.0.0 --port 8000",
        ]
    );
    assert_eq!(
        l.vllm,
        vec![
            r#"vllm serve meta-llama/Llama-3.1-70B --tensor-parallel-size 4 --max-model-len 3072 --gpu-memory-utilization 0.9 --kv-cache-dtype fp8 --quantization fp8 --kv-transfer-config '{"kv_connector":"NixlConnector","kv_role":"kv_both"}' --port 8100"#,
            r#"vllm serve meta-llama/Llama-3.1-70B --tensor-parallel-size 8 --max-num-seqs 256 --max-model-len 3072 --gpu-memory-utilization 0.9 --kv-cache-dtype fp8 --quantization fp8 --kv-transfer-config '{"kv_connector":"NixlConnector","kv_role":"kv_both"}' --port 8200"#,
        ]
    );
    assert!(l.notes[0].contains("vLLM 0.10") && l.notes[0].contains("change"));
    assert!(l.notes[1].contains("SGLang 0.4/0.5") && l.notes[1].contains("flags change"));
    assert!(l.notes[2].contains("5P2D"));
}
