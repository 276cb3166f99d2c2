//! Property tests over random scenarios (proptest, native only).

use proptest::prelude::*;
use roofline::model::sweep::{over_batch, over_chips, over_context};
use roofline::model::{
    decode_step, evaluate, exact_critical_batch, experts_touched, shape, MetricValue, StepInputs,
};
use roofline::scenario::{
    Attention, Efficiency, HardwareSpec, ModelSpec, Moe, Parallelism, Precision, PrecisionSpec,
    Scenario, Workload,
};
use std::collections::BTreeMap;

fn precision() -> impl Strategy<Value = Precision> {
    prop::sample::select(Precision::ALL.to_vec())
}

fn moe() -> impl Strategy<Value = Option<(u32, u32, u32, u64, u32)>> {
    prop::option::weighted(
        0.5,
        (2u32..=512, 1u32..=16, 0u32..=2, 64u64..=20_000, 0u32..=4)
            .prop_map(|(e, k, shared, de, dense)| (e, k.min(e), shared, de, dense)),
    )
}

prop_compose! {
    fn model()(
        layers in 1u32..=128,
        hidden in 1u64..=256,
        heads in 1u32..=128,
        kv_div in 1u32..=128,
        head_dim in prop::sample::select(vec![32u64, 64, 80, 96, 128, 192, 256]),
        ff in 64u64..=60_000,
        vocab in 1_000u64..=300_000,
        tied in any::<bool>(),
        mla in prop::option::weighted(0.3, (16u64..=1024, 16u64..=128)),
        window in prop::option::weighted(0.3, (1u64..=8192, 0.0f64..=1.0)),
        moe in moe(),
        published in prop::option::weighted(0.3, 0.5f64..=2.0),
        linear in prop::option::weighted(0.3, (0.0f64..=1.0, 1u32..=64, 1u32..=64, 16u64..=256, 0u64..=4)),
        sparse in prop::option::weighted(0.3, (1u64..=8192, 1u32..=64, 16u64..=256)),
    ) -> ModelSpec {
        let kv_heads = (heads / kv_div).max(1);
        let (sliding_window, sliding_window_layers) = match window {
            Some((w, frac)) => (Some(w), ((layers as f64) * frac) as u32),
            None => (None, 0),
        };
        let moe = moe.map(|(e, k, shared, de, dense)| Moe {
            experts: e,
            experts_per_token: k,
            shared_experts: shared,
            expert_intermediate_size: de,
            dense_layers: dense.min(layers),
        });
        let mut m = ModelSpec {
            name: "random".into(),
            layers,
            hidden_size: hidden * 64,
            intermediate_size: ff,
            attention_heads: heads,
            kv_heads,
            head_dim,
            vocab_size: vocab,
            tied_embeddings: tied,
            attention: if mla.is_some() { Attention::Mla } else { Attention::Gqa },
            kv_lora_rank: mla.map(|(r, _)| r),
            qk_rope_head_dim: mla.map(|(_, r)| r),
            q_lora_rank: None,
            sliding_window,
            sliding_window_layers,
            moe,
            total_params: None,
            active_params: None,
            layer_kinds: roofline::scenario::LayerKinds::NONE,
        };
        // Some of the layers not windowed use linear attention; the full ones may be sparse.
        if let Some((frac, hk, hv, dim, conv)) = linear {
            let k = &mut m.layer_kinds;
            k.linear_attention_layers = ((layers - sliding_window_layers) as f64 * frac) as u32;
            k.linear_key_heads = Some(hk);
            k.linear_value_heads = Some(hv);
            k.linear_key_head_dim = Some(dim);
            k.linear_value_head_dim = Some(dim);
            k.linear_conv_kernel = (conv > 0).then_some(conv);
        }
        if let Some((top, heads, dim)) = sparse {
            let k = &mut m.layer_kinds;
            k.sparse_top_k = Some(top);
            k.indexer_heads = Some(heads);
            k.indexer_head_dim = Some(dim);
            k.indexer_key_precision = Some(roofline::scenario::Precision::Fp8);
        }
        if let Some(f) = published {
            let s = Scenario { model: m.clone(), ..Scenario::default() };
            let (t, a) = roofline::model::derived_params(&s);
            m.total_params = Some(t * f);
            m.active_params = Some((a * f).min(t * f));
        }
        m
    }
}

prop_compose! {
    fn hardware()(
        flops in 1e12f64..=2e16,
        bw in 1e11f64..=2e13,
        cap in 1e9f64..=1e12,
        link in 1e9f64..=2e12,
        price in 0.0f64..=20.0,
        power in 0.0f64..=2000.0,
        tile in prop::sample::select(vec![64u32, 128, 256]),
        sms in 1u32..=512,
    ) -> HardwareSpec {
        let mut peak_flops = BTreeMap::new();
        for p in Precision::ALL {
            peak_flops.insert(p, flops * 2.0 / p.bytes());
        }
        HardwareSpec {
            name: "random".into(),
            peak_flops,
            memory_bandwidth: bw,
            memory_capacity: cap,
            interconnect_bandwidth: link,
            price_per_hour: price,
            power,
            tile_size: tile,
            streaming_multiprocessors: sms,
            scale_up_domain: 8,
            scale_out_bandwidth: link / 4.0,
            host_memory_capacity: cap * 2.0,
            host_link_bandwidth: link / 8.0,
        }
    }
}

prop_compose! {
    fn scenario()(
        model in model(),
        hardware in hardware(),
        chips in 1u32..=64,
        expert in any::<bool>(),
        (w, kv, c) in (precision(), precision(), precision()),
        batch in 1u64..=100_000,
        input in 1u64..=200_000,
        output in 1u64..=200_000,
        context in prop::option::of(1u64..=2_000_000),
        (ec, ebw, over, lat) in (0.05f64..=1.0, 0.05f64..=1.0, 0.0f64..=0.05, 0.0f64..=1e-3),
    ) -> Scenario {
        let parallelism = if expert && model.moe.is_some() {
            Parallelism::Expert
        } else {
            Parallelism::Tensor
        };
        Scenario {
            model,
            hardware,
            chips,
            parallelism,
            precision: PrecisionSpec { weights: w, kv_cache: kv, compute: c },
            workload: Workload {
                batch_size: batch,
                input_tokens: input,
                output_tokens: output,
                context_length: context,
                ..Workload::default()
            },
            efficiency: Efficiency {
                compute: ec,
                bandwidth: ebw,
                step_overhead_seconds: over,
                collective_latency_seconds: lat,
                // The mechanisms below the roofline on, with their own random efficiencies.
                prefill_compute: Some((ec * 1.5).min(1.0)),
                attention_compute: Some((ec * 0.7).max(0.05)),
                expert_compute: Some((ec * 0.8).max(0.05)),
                expert_imbalance: if lat > 5e-4 { None } else { Some(1.0 + lat * 1e3) },
                ..Efficiency::REALISTIC
            },
            ..Scenario::default()
        }
    }
}

fn all_finite(s: &Scenario) -> Result<(), String> {
    let e = evaluate(s).map_err(|e| format!("valid scenario rejected: {e}"))?;
    for (k, v) in e.metrics() {
        if let MetricValue::Number(x) = v {
            if !x.is_finite() {
                return Err(format!("{k} = {x}"));
            }
        }
    }
    let d = &e.decode;
    let p = &e.prefill;
    let extra = [
        ("decode.latency_seconds", d.latency_seconds),
        ("decode.experts_touched", d.experts_touched),
        ("prefill.memory_seconds", p.memory_seconds),
        ("prefill.compute_seconds", p.compute_seconds),
        ("prefill.comm_seconds", p.comm_seconds),
        ("prefill.bytes", p.bytes),
        ("capacity.usable_bytes", e.capacity.usable_bytes),
        ("capacity.used_bytes", e.capacity.used_bytes),
        (
            "capacity.kv_bytes_per_sequence",
            e.capacity.kv_bytes_per_sequence,
        ),
        ("energy.data_movement", e.energy.data_movement_joules),
        ("energy.arithmetic", e.energy.arithmetic_joules),
        ("hbm_drain_seconds", e.hbm_drain_seconds),
        (
            "kv_crossover_context",
            e.kv_crossover_context.unwrap_or(0.0),
        ),
        ("context", e.context),
    ];
    for (k, x) in extra {
        if !x.is_finite() {
            return Err(format!("{k} = {x}"));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Random valid scenarios evaluate, and no number anywhere is NaN or infinite.
    #[test]
    fn valid_scenarios_give_finite_numbers(s in scenario()) {
        prop_assert_eq!(s.validate(), Ok(()));
        if let Err(e) = all_finite(&s) {
            return Err(TestCaseError::fail(e));
        }
        for p in over_batch(&s, &[1, 7, 1000]).unwrap()
            .into_iter()
            .chain(over_context(&s, &[1, 1000, 1_000_000]).unwrap())
            .chain(over_chips(&s, &[1, 3, 64]).unwrap())
        {
            let row = p.csv_row();
            prop_assert!(!row.contains("NaN") && !row.contains("inf"), "{}", row);
        }
    }

    /// While memory-bound at both batches (each part of the step waits on its reads: with
    /// attention apart, the GEMMs on the weights and attention on the cache, so the busy
    /// time is the memory time) and weights dominate the bytes read, cost per token never
    /// rises with the batch (relative tolerance 1e-9). Memory-bound in total is not enough:
    /// compute-bound GEMMs beside a long cache read step with their token tiles.
    #[test]
    fn cost_per_token_falls_with_batch_while_memory_bound(
        s in scenario(),
        b1 in 1u64..=5_000,
        extra in 1u64..=5_000,
    ) {
        let b2 = b1 + extra;
        let pts = over_batch(&s, &[b1, b2]).unwrap();
        let (p1, p2) = (&pts[0], &pts[1]);
        let waits_on_reads = |p: &roofline::model::sweep::SweepPoint| {
            p.memory_seconds > p.compute_seconds
                && p.step_seconds - p.comm_seconds - p.latency_seconds
                    <= p.memory_seconds * (1.0 + 1e-12)
        };
        let memory_bound = waits_on_reads(p1) && waits_on_reads(p2);
        if memory_bound && p2.weight_bytes_read >= p2.kv_bytes_read {
            prop_assert!(
                p2.cost_per_million_output_tokens
                    <= p1.cost_per_million_output_tokens * (1.0 + 1e-9),
                "batch {} -> {}: {} -> {}", b1, b2,
                p1.cost_per_million_output_tokens, p2.cost_per_million_output_tokens
            );
        }
    }

    /// Step time never falls as the context grows (relative tolerance 1e-12).
    #[test]
    fn step_time_never_falls_with_context(
        s in scenario(),
        c1 in 1u64..=1_000_000,
        extra in 1u64..=1_000_000,
    ) {
        let pts = over_context(&s, &[c1, c1 + extra]).unwrap();
        prop_assert!(pts[1].step_seconds >= pts[0].step_seconds * (1.0 - 1e-12));
    }

    /// Experts touched lie between k and E, equal k at one token (relative 1e-9), and grow
    /// with the batch.
    #[test]
    fn experts_touched_between_k_and_e(
        e in 1u32..=1024,
        k in 1u32..=64,
        b in 1u64..=10_000_000,
    ) {
        let (e, k) = (e as f64, (k as f64).min(e as f64));
        let t = experts_touched(e, k, b as f64);
        prop_assert!(t >= k * (1.0 - 1e-9) && t <= e * (1.0 + 1e-9), "{} not in [{}, {}]", t, k, e);
        let one = experts_touched(e, k, 1.0);
        prop_assert!((one - k).abs() <= 1e-9 * k);
        prop_assert!(experts_touched(e, k, b as f64 + 1.0) >= t * (1.0 - 1e-12));
    }

    /// A scenario with one field made invalid is an error naming that field, never a panic.
    #[test]
    fn invalid_scenarios_are_errors(s in scenario(), which in 0usize..14, bad in prop::sample::select(vec![0.0f64, -1.0, f64::NAN, f64::INFINITY, 1e300])) {
        let mut s = s;
        let field = match which {
            0 => { s.model.layers = 0; "model.layers" }
            1 => { s.model.hidden_size = 0; "model.hidden_size" }
            2 => { s.model.kv_heads = s.model.attention_heads + 1; "model.kv_heads" }
            3 => { s.hardware.memory_bandwidth = bad; "hardware.memory_bandwidth" }
            4 => { s.hardware.memory_capacity = bad; "hardware.memory_capacity" }
            5 => { s.hardware.interconnect_bandwidth = bad; "hardware.interconnect_bandwidth" }
            6 => { s.efficiency.compute = if bad == 0.0 { 1.5 } else { bad }; "efficiency.compute" }
            7 => { s.efficiency.bandwidth = if bad == 0.0 { 0.0 } else { bad }; "efficiency.bandwidth" }
            8 => { s.workload.batch_size = 0; "workload.batch_size" }
            9 => { s.chips = 0; "chips" }
            10 => { s.hardware.peak_flops.clear(); "hardware.peak_flops" }
            11 => { s.model.sliding_window_layers = s.model.layers + 1; "model.sliding_window_layers" }
            12 => {
                s.model.moe = Some(Moe { experts: 4, experts_per_token: 5, shared_experts: 0, expert_intermediate_size: 64, dense_layers: 0 });
                "model.moe.experts_per_token"
            }
            _ => { s.hardware.tile_size = 0; "hardware.tile_size" }
        };
        let err = evaluate(&s).unwrap_err();
        let all = s.problems();
        prop_assert!(all.iter().any(|e| e.field == field), "{}: got {:?}", field, all);
        prop_assert!(!err.field.is_empty() || !err.problem.is_empty());
        prop_assert!(over_batch(&s, &[1, 2]).is_err());
    }

    /// The fast exact critical batch equals a plain doubling-and-bisection search.
    #[test]
    fn exact_critical_batch_matches_plain_search(s in scenario()) {
        let sh = shape(&s);
        let peak = s.peak_flops().unwrap();
        let ctx = s.decode_context();
        let crosses = |b: u64| {
            let d = decode_step(&s, &sh, peak, StepInputs { batch: b as f64, context: ctx, chips: s.chips as f64 });
            d.compute_seconds - d.terms.padding_seconds >= d.memory_seconds
        };
        let limit = 10_000_000u64;
        // The smallest batch from which the step stays compute-bound: batch by batch down
        // from 256 (at a handful of requests the busiest chip's expert load falls faster
        // than the batch grows, so a lone compute-bound batch may come before the crossing),
        // else bisection above 256.
        let plain = if crosses(256) {
            let mut b = 256u64;
            while b > 1 && crosses(b - 1) {
                b -= 1;
            }
            Some(b)
        } else if !crosses(limit) {
            None
        } else {
            let (mut lo, mut hi) = (256u64, limit);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if crosses(mid) { hi = mid } else { lo = mid }
            }
            Some(hi)
        };
        prop_assert_eq!(exact_critical_batch(&s, &sh, peak, ctx), plain);
    }

    /// Arbitrary text and arbitrary JSON never panic the parser.
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = Scenario::from_json(&text);
    }

    /// JSON with random values at real keys is either valid (then evaluates) or an error.
    #[test]
    fn random_values_at_real_keys(
        key in prop::sample::select(vec![
            "chips", "workload.batch_size", "model.layers", "hardware.memory_bandwidth",
            "efficiency.compute", "precision.weights", "parallelism", "model.moe",
            "hardware.peak_flops", "model.sliding_window", "version",
        ]),
        value in prop_oneof![
            Just("null".to_string()), Just("-1".to_string()), Just("0".to_string()),
            Just("1e400".to_string()), Just("\"x\"".to_string()), Just("[]".to_string()),
            Just("{}".to_string()), Just("true".to_string()), Just("3.5".to_string()),
            Just("18446744073709551616".to_string()),
        ],
    ) {
        let json = match key.split_once('.') {
            Some((a, b)) => format!("{{\"{a}\": {{\"{b}\": {value}}}}}"),
            None => format!("{{\"{key}\": {value}}}"),
        };
        if let Ok(s) = Scenario::from_json(&json) {
            if let Err(e) = all_finite(&s) {
                return Err(TestCaseError::fail(e));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The fewest chips that fit equals a plain scan from 1 chip.
    #[test]
    fn min_chips_matches_plain_scan(s in scenario()) {
        let sh = shape(&s);
        let kv = roofline::model::kv_bytes_per_sequence(&s, s.decode_context());
        let b = s.workload.batch_size as f64;
        let plain = (1..=65_536u32).find(|&c| roofline::model::fits_at(&s, &sh, c as f64, b, kv));
        prop_assert_eq!(roofline::model::min_chips_to_fit(&s, &sh, kv), plain);
    }
}
