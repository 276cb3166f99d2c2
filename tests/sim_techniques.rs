//! The serving lab with the two techniques that set real prices: a prefix-cache hit rate
//! (prefill covers only the uncached tokens) and speculative decoding (each decode step
//! costs a draft-and-verify round ÷ τ). A lone request still equals the engine; tokens are
//! conserved; speculation lowers TPOT at small batch, a hit rate lowers TTFT.

use roofline::catalogue::presets::{hardware_preset, model_preset};
use roofline::model::speculative::Drafter;
use roofline::model::{decode_step, evaluate, shape, StepInputs};
use roofline::scenario::{DraftModel, Scenario, Speculative, SpeculativeMethod};
use roofline::sim::{cached_tokens, run, stream, LengthDist, Scheduler, SimConfig, SimReport};

/// The page's opening scenario: Llama 3.1 70B and H100 SXM presets on 8 chips.
fn page_scenario() -> Scenario {
    Scenario {
        model: model_preset("llama-3.1-70b").unwrap().spec.clone(),
        hardware: hardware_preset("h100-sxm").unwrap().spec.clone(),
        ..Default::default()
    }
}

/// The page scenario drafting with Llama 3.1 8B: k = 3 tokens at acceptance 0.8.
fn speculating() -> Scenario {
    let mut s = page_scenario();
    s.speculative = Some(Speculative {
        method: SpeculativeMethod::Draft,
        draft_tokens: 3,
        acceptance_rate: 0.8,
        draft_model: Some(DraftModel::Preset("llama-3.1-8b".into())),
    });
    s
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

/// One request of `n_in` tokens in and `n_out` out, alone.
fn lone(n_in: u32, n_out: u32, hit: f64) -> SimConfig {
    SimConfig {
        arrival_rate: 1.0,
        requests: 1,
        input: LengthDist::Fixed(n_in),
        output: LengthDist::Fixed(n_out),
        seed: 5,
        chunk_tokens: n_in,
        prefix_hit_rate: hit,
        ..SimConfig::default()
    }
}

/// A light stream (small running batches): 300 requests at 0.5 per second.
fn light(hit: f64) -> SimConfig {
    SimConfig {
        arrival_rate: 0.5,
        requests: 300,
        input: LengthDist::Uniform {
            min: 1000,
            max: 3000,
        },
        output: LengthDist::Uniform { min: 50, max: 400 },
        prefix_hit_rate: hit,
        ..SimConfig::default()
    }
}

fn check_conservation(r: &SimReport) {
    for x in &r.schedulers {
        assert_eq!(
            x.output_tokens, r.requested_output_tokens,
            "{}",
            x.scheduler
        );
        assert!(
            x.finished_at.iter().all(|t| t.is_finite()),
            "{}",
            x.scheduler
        );
        assert!(x.ttft.p50 > 0.0 && x.tpot.p50 > 0.0, "{}", x.scheduler);
        for (u, w) in x.series.kv_used_bytes.iter().zip(&x.series.kv_wasted_bytes) {
            assert!(
                u + w <= x.kv_capacity_bytes * (1.0 + 1e-12),
                "{}",
                x.scheduler
            );
        }
    }
}

#[test]
fn cached_tokens_at_their_limits() {
    assert_eq!(cached_tokens(1000, 0.0), 0);
    assert_eq!(cached_tokens(1000, 0.5), 500);
    assert_eq!(cached_tokens(1000, 0.9999), 999);
    // The last prompt token always runs.
    assert_eq!(cached_tokens(1000, 1.0), 999);
    assert_eq!(cached_tokens(1, 1.0), 0);
    assert_eq!(cached_tokens(1000, f64::NAN), 0);
    // The hit rate does not move the stream's draws.
    let plain = stream(&light(0.0));
    let hit = stream(&light(0.7));
    for (a, b) in plain.iter().zip(&hit) {
        assert_eq!(
            (a.arrival, a.input, a.output),
            (b.arrival, b.input, b.output)
        );
        assert_eq!(a.cached, 0);
        assert_eq!(b.cached, cached_tokens(b.input, 0.7));
    }
}

/// A lone request with a cached prefix: its TTFT is the engine's prefill with
/// `workload.cached_input_tokens` = the cached tokens (only the new ones computed).
#[test]
fn lone_request_with_a_cached_prefix_equals_the_engine() {
    let (n_in, n_out, hit) = (2000u32, 64u32, 0.75);
    let mut s = page_scenario();
    s.workload.input_tokens = n_in as u64;
    s.workload.output_tokens = n_out as u64;
    s.workload.batch_size = 1;
    s.workload.context_length = None;
    s.workload.cached_input_tokens = cached_tokens(n_in, hit) as u64;
    let e = evaluate(&s).unwrap();
    let r = run(&s, &lone(n_in, n_out, hit)).unwrap();
    let uncached = run(&s, &lone(n_in, n_out, 0.0)).unwrap();
    for sched in Scheduler::ALL {
        let x = r.get(sched).unwrap();
        let plain = uncached.get(sched).unwrap();
        if sched != Scheduler::Disaggregated {
            assert!(
                rel(x.ttft.p50, e.prefill.seconds) < 1e-9,
                "{sched}: TTFT {} vs engine {}",
                x.ttft.p50,
                e.prefill.seconds
            );
        }
        assert!(x.ttft.p50 < 0.5 * plain.ttft.p50, "{sched}");
        // Decoding is untouched: the cached prefix's KV is still read every step.
        assert!(rel(x.tpot.p50, plain.tpot.p50) < 1e-12, "{sched}");
        assert_eq!(x.output_tokens, n_out as u64);
    }
}

/// A lone speculating request: its TPOT is the mean over its contexts of the engine's
/// (verify + drafts) ÷ τ, which at batch 1 (linear in context) is the engine's
/// `speculative.seconds_per_token` at the decode context.
#[test]
fn lone_speculating_request_equals_the_engine() {
    let (n_in, n_out) = (1024u32, 512u32);
    let mut s = speculating();
    s.workload.input_tokens = n_in as u64;
    s.workload.output_tokens = n_out as u64;
    s.workload.batch_size = 1;
    s.workload.context_length = None;
    let e = evaluate(&s).unwrap();
    let sp = e.speculative.clone().unwrap();
    let sh = shape(&s);
    let peak = s.peak_flops().unwrap();
    let d = Drafter::of(&s).unwrap();
    let exact: f64 = (1..n_out)
        .map(|j| {
            let x = StepInputs {
                batch: 1.0,
                context: (n_in + j) as f64,
                chips: s.chips as f64,
            };
            let plain = decode_step(&s, &sh, peak, x);
            d.speculate(&s, &sh, peak, x, &plain).1.seconds_per_token
        })
        .sum::<f64>()
        / (n_out - 1) as f64;
    let r = run(&s, &lone(n_in, n_out, 0.0)).unwrap();
    for sched in Scheduler::ALL {
        let x = r.get(sched).unwrap();
        assert!(
            rel(x.tpot.p50, exact) < 1e-9,
            "{sched}: {} vs {exact}",
            x.tpot.p50
        );
        assert!(
            rel(x.tpot.p50, sp.seconds_per_token) < 1e-9,
            "{sched}: TPOT {} vs engine {}",
            x.tpot.p50,
            sp.seconds_per_token
        );
        if sched != Scheduler::Disaggregated {
            assert!(rel(x.ttft.p50, e.prefill.seconds) < 1e-9, "{sched}");
        }
        assert_eq!(x.output_tokens, n_out as u64);
    }
}

/// At small batch the step is memory-bound: speculation cuts TPOT at every percentile, by
/// about the engine's speed-up at batch 1.
#[test]
fn speculation_lowers_tpot_at_small_batch() {
    let plain = run(&page_scenario(), &light(0.0)).unwrap();
    let spec = run(&speculating(), &light(0.0)).unwrap();
    check_conservation(&plain);
    check_conservation(&spec);
    let mut one = speculating();
    one.workload.batch_size = 1;
    let speedup = evaluate(&one).unwrap().speculative.unwrap().speedup;
    assert!(speedup > 1.5, "engine speed-up at batch 1: {speedup}");
    for sched in Scheduler::ALL {
        let (p, x) = (plain.get(sched).unwrap(), spec.get(sched).unwrap());
        println!(
            "{sched}: TPOT p50 {} → {}, p99 {} → {}",
            p.tpot.p50, x.tpot.p50, p.tpot.p99, x.tpot.p99
        );
        assert!(x.tpot.p50 < p.tpot.p50 / 1.3, "{sched} p50");
        assert!(x.tpot.p99 < p.tpot.p99 / 1.3, "{sched} p99");
        assert!(x.makespan_seconds <= p.makespan_seconds, "{sched}");
    }
}

/// At a large batch (compute-bound steps) speculation's (k + 1)× FLOPs cost more than the
/// tokens it saves: the lab's decode time per token is no better than without.
#[test]
fn speculation_gains_nothing_when_compute_bound() {
    let mut plain = page_scenario();
    plain.chips = 1;
    plain.model = model_preset("llama-3.1-8b").unwrap().spec.clone();
    // Each sequence's fixed work per layer is paid once per round for all its accepted
    // tokens, which speculation amortizes at any batch: off here, the (k + 1)× FLOPs alone.
    plain.efficiency.sequence_layer_seconds = 0.0;
    let mut spec = plain.clone();
    spec.speculative = Some(Speculative {
        method: SpeculativeMethod::Mtp,
        draft_tokens: 3,
        acceptance_rate: 0.8,
        draft_model: None,
    });
    // Every request arrives at once: thousands decode together.
    let c = SimConfig {
        arrival_rate: 1e6,
        requests: 2000,
        input: LengthDist::Fixed(64),
        output: LengthDist::Fixed(64),
        ..SimConfig::default()
    };
    let p = run(&plain, &c).unwrap();
    let x = run(&spec, &c).unwrap();
    check_conservation(&x);
    let (a, b) = (
        p.get(Scheduler::Paged).unwrap(),
        x.get(Scheduler::Paged).unwrap(),
    );
    println!("compute-bound TPOT p50 {} → {}", a.tpot.p50, b.tpot.p50);
    assert!(b.tpot.p50 >= a.tpot.p50, "{} vs {}", b.tpot.p50, a.tpot.p50);
}

/// A hit rate lowers TTFT (prefill of the uncached tokens only) and leaves tokens conserved.
#[test]
fn a_hit_rate_lowers_ttft() {
    let s = page_scenario();
    let plain = run(&s, &light(0.0)).unwrap();
    let hit = run(&s, &light(0.8)).unwrap();
    check_conservation(&hit);
    assert_eq!(hit.requested_output_tokens, plain.requested_output_tokens);
    for sched in Scheduler::ALL {
        let (p, x) = (plain.get(sched).unwrap(), hit.get(sched).unwrap());
        println!("{sched}: TTFT p50 {} → {}", p.ttft.p50, x.ttft.p50);
        // Static batching's TTFT is almost all the wait for the batch ahead to finish
        // decoding (the page's defaults: ~1% of it is the prefill), so it only has to fall.
        let factor = if sched == Scheduler::Static { 1.0 } else { 0.7 };
        assert!(
            x.ttft.p50 < factor * p.ttft.p50,
            "{sched}: {} vs {}",
            x.ttft.p50,
            p.ttft.p50
        );
        assert!(x.ttft.p99 <= p.ttft.p99, "{sched}");
    }
    // Both together: still conserved, and each improves its own percentile.
    let both = run(&speculating(), &light(0.8)).unwrap();
    check_conservation(&both);
    let (p, b) = (
        plain.get(Scheduler::Paged).unwrap(),
        both.get(Scheduler::Paged).unwrap(),
    );
    assert!(b.ttft.p50 < p.ttft.p50 && b.tpot.p50 < p.tpot.p50);
}

/// With neither technique the run is the plain run (same digest); either one changes it.
#[test]
fn off_is_the_plain_run() {
    let c = SimConfig {
        requests: 400,
        ..SimConfig::default()
    };
    let plain = run(&page_scenario(), &c).unwrap();
    let again = run(
        &page_scenario(),
        &SimConfig {
            prefix_hit_rate: 0.0,
            ..c.clone()
        },
    )
    .unwrap();
    assert_eq!(plain.digest, again.digest);
    let hit = run(
        &page_scenario(),
        &SimConfig {
            prefix_hit_rate: 0.5,
            ..c.clone()
        },
    )
    .unwrap();
    assert_ne!(plain.digest, hit.digest);
    assert_ne!(plain.digest, run(&speculating(), &c).unwrap().digest);
}

#[test]
fn a_bad_hit_rate_names_its_field() {
    for bad in [-0.1, 1.01, f64::NAN, f64::INFINITY] {
        let c = SimConfig {
            prefix_hit_rate: bad,
            ..SimConfig::default()
        };
        let err = run(&page_scenario(), &c).unwrap_err().to_string();
        assert!(err.contains("prefix_hit_rate"), "{err}");
    }
}
