//! Share links: round trips, bad links, golden links and properties.

use proptest::prelude::*;
use roofline::catalogue::presets::{hardware_presets, model_presets};
use roofline::model::evaluate;
use roofline::model::MetricValue;
use roofline::scenario::link::{
    decode, encode, encode_with_presets, key_for_field, LinkResult, KEYS, MAX_LINK_CHARS,
    MAX_NAME_BYTES, MAX_PROBLEMS,
};
use roofline::scenario::{
    Attention, Efficiency, EnergyCosts, Moe, Parallelism, Precision, Scenario, FORMAT_VERSION,
};
use std::collections::BTreeMap;

/// Decodes and checks what every decode must give: a valid scenario, a capped problem list.
fn dec(link: &str) -> LinkResult {
    let r = decode(link);
    assert_eq!(r.scenario.validate(), Ok(()), "{link}");
    assert!(r.problems.len() <= MAX_PROBLEMS + 1, "{link}");
    for p in &r.problems {
        assert!(p.key.chars().count() <= 41, "{p}");
        assert!(!p.problem.chars().any(char::is_control), "{p}");
        assert!(p.problem.chars().count() < 400, "{p}");
    }
    r
}

fn has_problem(r: &LinkResult, key: &str, words: &str) -> bool {
    r.problems
        .iter()
        .any(|p| p.key == key && p.problem.contains(words))
}

#[track_caller]
fn assert_problem(r: &LinkResult, key: &str, words: &str) {
    assert!(
        has_problem(r, key, words),
        "expected a problem on “{key}” containing “{words}”, got {:?}",
        r.problems
    );
}

#[track_caller]
fn assert_round_trip(s: &Scenario) -> String {
    let link = encode(s, &[]);
    let r = dec(&link);
    assert_eq!(r.problems, vec![], "{link}");
    assert_eq!(&r.scenario, s, "{link}");
    assert!(link.len() < MAX_LINK_CHARS, "{} chars: {link}", link.len());
    link
}

/// Every model × hardware preset, tensor and (for MoE) expert parallel, bf16 compute.
fn preset_combinations() -> Vec<(String, String, Scenario)> {
    let mut out = Vec::new();
    for m in model_presets() {
        for h in hardware_presets() {
            let mut s = Scenario {
                model: m.spec.clone(),
                hardware: h.spec.clone(),
                ..Scenario::default()
            };
            out.push((m.id.clone(), h.id.clone(), s.clone()));
            if s.model.moe.is_some() {
                s.parallelism = Parallelism::Expert;
                s.chips = 16;
                out.push((m.id.clone(), h.id.clone(), s));
            }
        }
    }
    out
}

#[test]
fn every_preset_combination_round_trips_and_names_its_presets() {
    let combos = preset_combinations();
    assert!(combos.len() > 150);
    for (mid, hid, s) in &combos {
        assert_eq!(s.validate(), Ok(()), "{mid} {hid}");
        let link = assert_round_trip(s);
        assert!(link.starts_with("v=1&"), "{link}");
        assert!(link.contains(&format!("model={mid}")), "{link}");
        assert!(link.contains(&format!("hw={hid}")), "{link}");
        let r = decode(&link);
        assert_eq!(r.model_preset.as_deref(), Some(mid.as_str()));
        assert_eq!(r.hardware_preset.as_deref(), Some(hid.as_str()));
    }
}

#[test]
fn preset_links_are_short_and_readable() {
    let (_, _, s) = preset_combinations()
        .into_iter()
        .find(|(m, h, _)| m == "llama-3.1-70b" && h == "h100-sxm")
        .expect("preset pair");
    assert_eq!(encode(&s, &[]), "v=1&model=llama-3.1-70b&hw=h100-sxm");
    let mut t = s.clone();
    t.workload.batch_size = 128;
    t.workload.input_tokens = 2048;
    t.efficiency.compute = 0.45;
    t.hardware.price_per_hour = 3.1;
    t.model.name = "My Llama <70B>".into();
    assert_eq!(
        assert_round_trip(&t),
        "v=1&model=llama-3.1-70b&hw=h100-sxm&m.name=My+Llama+%3C70B%3E&hw.price=3.1&batch=128&in=2048&eff.c=0.45"
    );
    // The default scenario: its model is the llama-3.1-70b preset, its chip the default.
    assert_eq!(
        assert_round_trip(&Scenario::default()),
        "v=1&model=llama-3.1-70b"
    );
}

#[test]
fn edits_of_every_kind_round_trip() {
    let base = Scenario {
        model: roofline::catalogue::presets::model_preset("deepseek-v3")
            .expect("preset")
            .spec
            .clone(),
        hardware: roofline::catalogue::presets::hardware_preset("h200-sxm")
            .expect("preset")
            .spec
            .clone(),
        ..Scenario::default()
    };
    let edits: Vec<fn(&mut Scenario)> = vec![
        |s| s.model.moe = None,
        |s| s.model.moe.as_mut().expect("moe").shared_experts = 0,
        |s| s.model.total_params = None,
        |s| s.model.active_params = Some(1.5e10),
        |s| s.model.attention = Attention::Gqa,
        |s| {
            s.model.attention = Attention::Gqa;
            s.model.kv_lora_rank = None;
            s.model.qk_rope_head_dim = None;
        },
        |s| s.model.q_lora_rank = None,
        |s| {
            s.model.sliding_window = Some(4096);
            s.model.sliding_window_layers = 30;
        },
        |s| s.model.tied_embeddings = true,
        |s| s.model.name = String::new(),
        |s| s.hardware.name = "H200 & friends = “fast”".into(),
        |s| {
            s.hardware.peak_flops.remove(&Precision::Fp8);
            s.hardware.peak_flops.insert(Precision::Fp4, 4e15);
        },
        |s| s.hardware.tile_size = 256,
        |s| s.hardware.power = 0.0,
        |s| s.parallelism = Parallelism::Expert,
        |s| s.precision.compute = Precision::Fp8,
        |s| s.precision.weights = Precision::Int4,
        |s| s.precision.kv_cache = Precision::Fp8,
        |s| s.workload.context_length = Some(131072),
        |s| s.efficiency = roofline::scenario::Efficiency::PURE,
        |s| s.efficiency.step_overhead_seconds = 0.1 + 0.2,
        |s| {
            s.energy = EnergyCosts {
                joules_per_byte: 5e-324,
                joules_per_flop: 1e-6,
            }
        },
    ];
    for (i, edit) in edits.iter().enumerate() {
        let mut s = base.clone();
        edit(&mut s);
        assert_eq!(s.validate(), Ok(()), "edit {i}");
        assert_round_trip(&s);
    }
    // A dense model made MoE by the link.
    let mut s = Scenario::default();
    s.model.moe = Some(Moe {
        experts: 8,
        experts_per_token: 2,
        shared_experts: 0,
        expert_intermediate_size: 14336,
        dense_layers: 0,
    });
    let link = assert_round_trip(&s);
    assert!(
        link.ends_with("m.experts=8&m.topk=2&m.expert_ff=14336"),
        "{link}"
    );
    // A chosen preset is kept as the base even when another is nearer.
    let link = encode_with_presets(&s, Some("mixtral-8x7b"), Some("b200-hgx"), &[]);
    assert!(link.contains("model=mixtral-8x7b&hw=b200-hgx"), "{link}");
    let r = dec(&link);
    assert_eq!(r.problems, vec![]);
    assert_eq!(r.scenario, s);
}

/// The longest names allowed, in 4-byte characters, and the longest value of every field.
fn largest_scenario() -> Scenario {
    let name: String = std::iter::repeat_n('𝄞', MAX_NAME_BYTES / 4).collect();
    let long = |x: f64| x * (1.0 - f64::EPSILON) * (1.0 + 1.23456789e-9);
    let mut flops = BTreeMap::new();
    for (i, p) in Precision::ALL.into_iter().enumerate() {
        flops.insert(p, long(1.2345e19 + i as f64 * 1e17));
    }
    Scenario {
        version: FORMAT_VERSION,
        model: roofline::scenario::ModelSpec {
            name: name.clone(),
            layers: 99_999,
            hidden_size: 9_999_999,
            intermediate_size: 99_999_999,
            attention_heads: 99_999,
            kv_heads: 99_998,
            head_dim: 99_999,
            vocab_size: 99_999_999,
            tied_embeddings: true,
            attention: Attention::Mla,
            kv_lora_rank: Some(999_999),
            qk_rope_head_dim: Some(999_998),
            q_lora_rank: Some(999_997),
            sliding_window: Some(4_294_967_295),
            sliding_window_layers: 99_998,
            moe: Some(Moe {
                experts: 999_999,
                experts_per_token: 999_998,
                shared_experts: 4_000_000_000,
                expert_intermediate_size: 99_999_999,
                dense_layers: 99_997,
            }),
            total_params: Some(long(9.87654e14)),
            active_params: Some(long(1.23456e-300)),
            layer_kinds: roofline::scenario::LayerKinds {
                linear_attention_layers: 1,
                linear_key_heads: Some(99_999),
                linear_value_heads: Some(99_998),
                linear_key_head_dim: Some(99_997),
                linear_value_head_dim: Some(99_996),
                linear_conv_kernel: Some(999_999),
                linear_state_precision: Some(Precision::Fp32),
                sparse_top_k: Some(4_294_967_295),
                indexer_heads: Some(99_997),
                indexer_head_dim: Some(99_995),
                indexer_key_precision: Some(Precision::Fp16),
            },
        },
        hardware: roofline::scenario::HardwareSpec {
            name,
            peak_flops: flops,
            memory_bandwidth: long(9.8765e15),
            memory_capacity: long(9.8765e14),
            interconnect_bandwidth: long(9.8765e15),
            price_per_hour: long(99_999.9),
            power: long(9_999_999.9),
            tile_size: 65_535,
            streaming_multiprocessors: 999_999,
            scale_up_domain: 999_998,
            scale_out_bandwidth: long(1.23456789e14),
            host_memory_capacity: long(9.8765e15),
            host_link_bandwidth: long(1.23456e14),
        },
        chips: 999_999,
        parallelism: Parallelism::Expert,
        precision: roofline::scenario::PrecisionSpec {
            weights: Precision::Int4,
            kv_cache: Precision::Fp32,
            compute: Precision::Int4,
        },
        workload: roofline::scenario::Workload {
            batch_size: 99_999_999,
            input_tokens: 99_999_998,
            output_tokens: 99_999_997,
            context_length: Some(99_999_996),
            cached_input_tokens: 99_999_995,
            prefix_sharing: roofline::scenario::PrefixSharing::Shared,
        },
        efficiency: roofline::scenario::Efficiency {
            compute: long(0.123456789),
            bandwidth: long(0.987654321),
            step_overhead_seconds: long(1.23456789e-300),
            collective_latency_seconds: long(0.00123456789),
            prefill_compute: Some(long(0.555555555)),
            attention_compute: None,
            expert_compute: Some(long(0.333333333)),
            token_tile: 65_536,
            dequantize: false,
            expert_imbalance: Some(long(1.23456789)),
            all_to_all: Some(long(0.777777777)),
            comm_overlap: long(0.123456789),
            scale_out_latency_seconds: long(9.87654321e-5),
            request_overhead_seconds: long(3.21098765e-5),
            sequence_layer_seconds: long(4.56789012e-7),
        },
        energy: EnergyCosts {
            joules_per_byte: long(1.23456789e-300),
            joules_per_flop: long(9.87654321e-7),
        },
        speculative: Some(roofline::scenario::Speculative {
            method: roofline::scenario::SpeculativeMethod::Draft,
            draft_tokens: 64,
            acceptance_rate: long(0.123456789),
            draft_model: Some(roofline::scenario::DraftModel::Shape(
                roofline::scenario::DraftShape {
                    layers: 99_999,
                    hidden_size: 9_999_999,
                    intermediate_size: 99_999_999,
                    attention_heads: 99_999,
                    kv_heads: 99_998,
                    head_dim: 99_999,
                    vocab_size: 99_999_999,
                    tied_embeddings: true,
                },
            )),
        }),
        // Off (a pool's chip need not have this setup's int4 compute), every other field at
        // its longest.
        disaggregation: roofline::scenario::Disaggregation {
            enabled: false,
            prefill: roofline::scenario::Pool {
                instances: 9_999,
                chips: Some(999_998),
                hardware: Some("tpu7x-ironwood".into()),
                parallelism: Some(Parallelism::Expert),
            },
            decode: roofline::scenario::Pool {
                instances: 9_999,
                chips: Some(999_998),
                hardware: Some("tpu7x-ironwood".into()),
                parallelism: Some(Parallelism::Expert),
            },
            link_bandwidth: Some(long(9.87654321e14)),
            link_latency_seconds: long(9.87654321),
            arrival_rate: Some(long(987_654.321)),
        },
        kv_offload: true,
    }
}

#[test]
fn the_largest_scenario_stays_under_the_link_limit() {
    let s = largest_scenario();
    assert_eq!(s.validate(), Ok(()));
    let link = assert_round_trip(&s);
    // Nearly every field is in it (a few equal the nearest preset's).
    let n = KEYS
        .iter()
        .filter(|k| link.contains(&format!("&{}=", k.key)))
        .count();
    assert!(n + 6 >= KEYS.len(), "{n} of {} keys: {link}", KEYS.len());
    assert!(link.len() < MAX_LINK_CHARS, "{}", link.len());
    // A realistic fully custom scenario is far shorter.
    let mut c = Scenario::default();
    c.model.name = "My 30B MoE (custom, 4-bit experts)".into();
    c.model.layers = 48;
    c.model.hidden_size = 4096;
    c.hardware.name = "Next-gen accelerator".into();
    c.hardware.memory_bandwidth = 12.5e12;
    assert!(assert_round_trip(&c).len() < 400);
}

#[test]
fn names_are_cut_to_the_limit() {
    let mut s = Scenario::default();
    s.model.name = "é".repeat(MAX_NAME_BYTES); // twice the byte limit
    let r = dec(&encode(&s, &[]));
    assert_eq!(r.scenario.model.name, "é".repeat(MAX_NAME_BYTES / 2));
    let r = dec(&format!("m.name={}", "x".repeat(100_000)));
    assert_eq!(r.scenario.model.name.len(), MAX_NAME_BYTES);
    assert_problem(&r, "m.name", "shortened");
}

/// Leaf fields of a scenario's JSON, as dotted paths.
fn leaves(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                leaves(x, &p, out);
            }
        }
        _ => out.push(path.to_string()),
    }
}

#[test]
fn every_scenario_field_has_a_key() {
    // Every Option set and every precision present, so every field appears in the JSON.
    let json = serde_json::to_value(largest_scenario()).expect("json");
    let mut paths = Vec::new();
    leaves(&json, "", &mut paths);
    assert!(paths.len() > 45, "{paths:?}");
    for p in &paths {
        assert!(
            key_for_field(p).is_some(),
            "scenario field {p} has no link key: add one to src/scenario/link.rs"
        );
    }
}

#[test]
fn extras_pass_through_in_order() {
    let extras = vec![
        ("embed".to_string(), "chart".to_string()),
        ("chart".to_string(), "cost-batch".to_string()),
        ("theme".to_string(), "dark".to_string()),
        ("seed".to_string(), String::new()),
        ("nonsense".to_string(), "dropped".to_string()),
    ];
    let mut s = Scenario::default();
    s.workload.batch_size = 8;
    let link = encode(&s, &extras);
    assert!(
        link.ends_with("&batch=8&embed=chart&chart=cost-batch&theme=dark&seed"),
        "{link}"
    );
    let r = dec(&link);
    assert_eq!(r.problems, vec![]);
    assert_eq!(r.scenario, s);
    assert_eq!(r.extras, extras[..4].to_vec());
    assert_eq!(r.extra("chart"), Some("cost-batch"));
    assert_eq!(r.extra("tab"), None);
}

#[test]
fn urls_and_leading_question_marks() {
    for link in [
        "https://example.org/tools/roofline/?v=1&batch=8#results",
        "?batch=8",
        "batch=8",
        "  https://example.org/?batch=8&  \n",
        "BATCH=8",
    ] {
        let r = dec(link);
        assert_eq!(r.problems, vec![], "{link}");
        assert_eq!(r.scenario.workload.batch_size, 8, "{link}");
    }
    let r = dec("https://example.org/tools/roofline/");
    assert_eq!(r.problems, vec![]);
    assert_eq!(r.scenario, Scenario::default());
    assert_eq!(dec("").scenario, Scenario::default());
}

#[test]
fn bad_links_name_each_problem_and_keep_the_rest() {
    // Unknown key.
    let r = dec("v=1&batch=32&foo=3");
    assert_problem(&r, "foo", "unknown parameter");
    assert_eq!(r.scenario.workload.batch_size, 32);
    assert_eq!(r.problems.len(), 1);
    // Wrong type.
    let r = dec("batch=lots&in=512&m.tied=maybe&par=pipeline&wprec=fp6&m.attn=sparse");
    assert_problem(&r, "batch", "not a whole number");
    assert_problem(&r, "m.tied", "true or false");
    assert_problem(&r, "par", "tensor or expert");
    assert_problem(&r, "wprec", "must be one of");
    assert_problem(&r, "m.attn", "gqa or mla");
    assert_eq!(r.scenario.workload.batch_size, 64);
    assert_eq!(r.scenario.workload.input_tokens, 512);
    assert_eq!(r.problems.len(), 5);
    let r = dec("batch=1.5&chips=-2&layers=3&m.layers=5000000000&eff.c=inf&out=7");
    assert_problem(&r, "batch", "whole number");
    assert_problem(&r, "chips", "negative");
    assert_problem(&r, "layers", "unknown parameter");
    assert_problem(&r, "m.layers", "too large");
    assert_problem(&r, "eff.c", "finite");
    assert_eq!(r.scenario.workload.output_tokens, 7);
    // Out of range: reset by validation to the preset or default value.
    let r = dec("model=llama-3.1-8b&batch=0&out=100&eff.c=1.5&m.layers=0&hw.bw=-1");
    assert_problem(&r, "batch", "at least 1");
    assert_problem(&r, "eff.c", "fraction");
    assert_problem(&r, "m.layers", "using 32 instead");
    assert_problem(&r, "hw.bw", "above 0");
    assert_eq!(r.scenario.workload.batch_size, 64);
    assert_eq!(r.scenario.workload.output_tokens, 100);
    assert_eq!(r.scenario.efficiency.compute, Efficiency::REALISTIC.compute);
    assert_eq!(r.scenario.model.layers, 32);
    assert_eq!(r.scenario.hardware.memory_bandwidth, 3.35e12);
    // Doubled, truncated and empty parameters.
    let r = dec("batch=1&batch=2&in=");
    assert_problem(&r, "batch", "more than once");
    assert_problem(&r, "in", "is empty");
    assert_eq!(r.scenario.workload.batch_size, 1);
    let r = dec("batch=x&batch=2");
    assert_eq!(r.scenario.workload.batch_size, 2);
    assert_problem(&r, "batch", "not a whole number");
    let r = dec("chips=4&&=5&out");
    assert_problem(&r, "", "empty parameter");
    assert_problem(&r, "", "no name");
    assert_problem(&r, "out", "no value");
    assert_eq!(r.scenario.chips, 4);
    assert_eq!(r.problems.len(), 3);
    let r = dec("&batch=3");
    assert_problem(&r, "", "empty parameter");
    // Unknown presets and versions.
    let r = dec("model=gpt-9&hw=quantum-1&batch=8");
    assert_problem(&r, "model", "unknown model preset “gpt-9”");
    assert_problem(&r, "hw", "unknown hardware preset");
    assert_eq!(r.scenario.workload.batch_size, 8);
    assert_eq!(r.model_preset, None);
    let r = dec("v=2&batch=8");
    assert_problem(&r, "v", "version 2");
    assert_eq!(r.scenario.workload.batch_size, 8);
    let r = dec("v=one&model=mistral-7b&model=llama-3.1-8b");
    assert_problem(&r, "v", "not a whole number");
    assert_problem(&r, "model", "more than once");
    assert_eq!(r.model_preset.as_deref(), Some("mistral-7b"));
    // Percent-encoding.
    let r = dec("m.name=%ZZ&chips=4&hw.name=%FF%FE&%=1&seed=%E2%82");
    assert_problem(&r, "m.name", "invalid percent-encoding “%ZZ”");
    assert_problem(&r, "hw.name", "UTF-8");
    assert_problem(&r, "%", "percent-encoding");
    assert_problem(&r, "seed", "UTF-8");
    assert_eq!(r.scenario.chips, 4);
    assert_eq!(r.scenario.model.name, "Llama 3.1 70B");
}

#[test]
fn settings_that_do_not_fit_together_fall_back() {
    // Compute precision the chip lacks.
    let r = dec("hw=h100-sxm&cprec=fp4&batch=9");
    assert_problem(&r, "cprec", "using bf16");
    assert_eq!(r.scenario.precision.compute, Precision::Bf16);
    assert_eq!(r.scenario.workload.batch_size, 9);
    // ... and the base precision removed too: the first the chip has.
    let r = dec("hw=h100-sxm&hw.flops.bf16=none");
    assert_problem(&r, "cprec", "using fp16");
    assert!(!r
        .scenario
        .hardware
        .peak_flops
        .contains_key(&Precision::Bf16));
    let r = dec(
        "hw=h100-sxm&hw.flops.bf16=none&hw.flops.fp16=none&hw.flops.fp8=none&hw.flops.int8=none",
    );
    assert_problem(&r, "hw.flops", "at least one");
    assert_eq!(
        r.scenario.hardware,
        roofline::catalogue::presets::hardware_preset("h100-sxm")
            .expect("preset")
            .spec
    );
    // Expert parallelism on a dense model.
    let r = dec("model=llama-3.1-8b&par=expert");
    assert_problem(&r, "par", "MoE");
    assert_eq!(r.scenario.parallelism, Parallelism::Tensor);
    // Half an MoE on a dense model: it stays dense.
    let r = dec("model=llama-3.1-8b&m.experts=8&chips=2");
    assert_problem(&r, "m.topk", "dense");
    assert_eq!(r.scenario.model.moe, None);
    assert_eq!(r.scenario.chips, 2);
    // kv_heads above heads.
    let r = dec("model=llama-3.1-70b&m.kv_heads=100");
    assert_problem(&r, "m.kv_heads", "using 8 instead");
    // MLA without its ranks on a GQA model.
    let r = dec("model=llama-3.1-70b&m.attn=mla&batch=5");
    assert_problem(&r, "m.kv_rank", "required");
    assert_eq!(r.scenario.model.attention, Attention::Gqa);
    assert_eq!(r.scenario.workload.batch_size, 5);
    // A window on more layers than the model has, layers changed too.
    let r = dec("model=gemma-3-27b&m.layers=10&m.window_layers=20");
    assert_problem(&r, "m.window_layers", "must not exceed");
    // Active above total.
    let r = dec("m.active=1e12");
    assert_problem(&r, "m.active", "must not exceed");
    assert_eq!(r.scenario.model.active_params, Some(70.6e9));
    // MoE shape on an MoE preset that does not fit.
    let r = dec("model=deepseek-v3&m.topk=300");
    assert_problem(&r, "m.topk", "using 8 instead");
}

#[test]
fn huge_and_hostile_links() {
    // 100 KB of unknown keys: capped problem list, the valid part kept.
    let mut q = String::from("batch=8&");
    while q.len() < 100_000 {
        q.push_str("x=1&");
    }
    let r = dec(&q);
    assert_eq!(r.scenario.workload.batch_size, 8);
    assert_eq!(r.problems.len(), MAX_PROBLEMS + 1);
    assert_problem(&r, "", "characters long");
    let last = r.problems.last().expect("problems");
    assert!(last.problem.starts_with("and ") && last.problem.ends_with(" more problems"));
    // One 100 KB value.
    let r = dec(&format!("batch={}&in=7", "9".repeat(100_000)));
    assert_problem(&r, "batch", "too large");
    assert_eq!(r.scenario.workload.input_tokens, 7);
    // Script text: a problem wherever it is not valid, kept as plain text in a name.
    let r = dec("%3Cscript%3Ealert(1)%3C%2Fscript%3E=1&batch=<script>alert(1)</script>&chart=<img src=x onerror=alert(1)>&m.name=<b>x</b>");
    assert_problem(&r, "<script>alert(1)</script>", "unknown parameter");
    assert_problem(
        &r,
        "batch",
        "“<script>alert(1)</script>” is not a whole number",
    );
    assert_eq!(r.scenario.workload.batch_size, 64);
    assert_eq!(r.extra("chart"), Some("<img src=x onerror=alert(1)>"));
    assert_eq!(r.scenario.model.name, "<b>x</b>");
    // Control characters never reach a message.
    let r = dec("batch=%0A%1B[31m&%07=1");
    assert_problem(&r, "batch", "not a whole number");
    assert_problem(&r, "\u{FFFD}", "unknown parameter");
    for odd in [
        "%", "%%", "=", "&", "?", "#", "?#", "&&&&", "==", "a==b", "?&=&", "v", "%2", "+",
        "%00=%00",
    ] {
        dec(odd);
    }
}

/// Metric values of an evaluation as JSON.
fn metrics_json(s: &Scenario) -> BTreeMap<String, serde_json::Value> {
    let e = evaluate(s).expect("valid");
    // Every metric of the catalogue (`roofline eval`'s), so golden links may hold any.
    roofline::metrics::all()
        .map(|m| (m.key, m.of(&e)))
        .map(|(k, v)| {
            let j = match v {
                MetricValue::Number(x) => serde_json::json!(x),
                MetricValue::Text(t) => serde_json::json!(t),
                MetricValue::Flag(b) => serde_json::json!(b),
                MetricValue::Missing => serde_json::Value::Null,
            };
            (k.to_string(), j)
        })
        .collect()
}

#[test]
fn golden_links_keep_their_results() {
    let text = include_str!("fixtures/golden_links.json");
    let golden: serde_json::Value = serde_json::from_str(text).expect("golden_links.json");
    let list = golden["links"].as_array().expect("links array");
    assert!(list.len() >= 10);
    for g in list {
        let link = g["link"].as_str().expect("link");
        let r = dec(link);
        assert_eq!(r.problems, vec![], "golden link {link}");
        let got = metrics_json(&r.scenario);
        let expected = g["expected"].as_object().expect("expected");
        assert!(expected.len() >= 20, "{link}");
        for (k, want) in expected {
            let have = got
                .get(k)
                .unwrap_or_else(|| panic!("{link}: metric {k} is gone"));
            match (want.as_f64(), have.as_f64()) {
                (Some(w), Some(h)) => {
                    let tol = 1e-9 * w.abs().max(h.abs());
                    assert!(
                        (w - h).abs() <= tol,
                        "{link}: {k} was {w}, now {h} (see tests/fixtures/golden_links.README.md)"
                    );
                }
                _ => assert_eq!(want, have, "{link}: {k}"),
            }
        }
    }
}

// --------------------------------------------------------------------------------------
// Properties

fn real(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => lo..=hi,
        1 => Just(hi),
        1 => (1u32..1000).prop_map(move |i| (hi / 1000.0 * i as f64).max(f64::MIN_POSITIVE)),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9 .-]{0,24}",
        prop::collection::vec(any::<char>(), 0..=MAX_NAME_BYTES / 4)
            .prop_map(|v| v.into_iter().collect()),
    ]
}

fn moe() -> impl Strategy<Value = Option<Moe>> {
    prop::option::of(
        (1u32..600, 1u32..10, 0u32..3, 1u64..100_000, 0u32..5).prop_map(|(e, k, sh, ff, dense)| {
            Moe {
                experts: e,
                experts_per_token: k.min(e),
                shared_experts: sh,
                expert_intermediate_size: ff,
                dense_layers: dense,
            }
        }),
    )
}

fn model() -> impl Strategy<Value = roofline::scenario::ModelSpec> {
    (
        (
            name(),
            5u32..200,
            1u64..100_000,
            1u64..1_000_000,
            1u32..200,
            1u32..200,
            1u64..1000,
            1u64..1_000_000,
            any::<bool>(),
        ),
        (
            any::<bool>(),
            prop::option::of(1u64..10_000),
            prop::option::of(1u64..1000),
            prop::option::of(1u64..10_000),
            prop::option::of(1u64..=u32::MAX as u64),
            0u32..5,
            moe(),
            prop::option::of(real(1.0, 1e15)),
            prop::option::of(real(1.0, 1e15)),
        ),
    )
        .prop_map(
            |(
                (name, layers, hidden, ff, heads, kv, hd, vocab, tied),
                (mla, kvr, rope, qr, window, wl, moe, total, active),
            )| {
                let (total, active) = match (total, active) {
                    (Some(t), Some(a)) if a > t => (Some(a), Some(t)),
                    x => x,
                };
                roofline::scenario::ModelSpec {
                    name,
                    layers,
                    hidden_size: hidden,
                    intermediate_size: ff,
                    attention_heads: heads,
                    kv_heads: kv.min(heads),
                    head_dim: hd,
                    vocab_size: vocab,
                    tied_embeddings: tied,
                    attention: if mla { Attention::Mla } else { Attention::Gqa },
                    kv_lora_rank: if mla { Some(kvr.unwrap_or(512)) } else { kvr },
                    qk_rope_head_dim: if mla { Some(rope.unwrap_or(64)) } else { rope },
                    q_lora_rank: qr,
                    sliding_window: window,
                    sliding_window_layers: if window.is_some() { wl } else { 0 },
                    moe,
                    total_params: total,
                    active_params: active,
                    layer_kinds: roofline::scenario::LayerKinds::NONE,
                }
            },
        )
}

fn hardware() -> impl Strategy<Value = roofline::scenario::HardwareSpec> {
    (
        name(),
        prop::collection::vec(prop::option::of(real(1e9, 1e20)), 7),
        real(1e6, 1e16),
        real(1e6, 1e15),
        real(1e6, 1e16),
        prop_oneof![Just(0.0), real(0.0, 1e6)],
        prop_oneof![Just(0.0), real(0.0, 1e7)],
        1u32..=65_536,
        1u32..=1_000_000,
    )
        .prop_map(|(name, flops, bw, mem, link, price, power, tile, sms)| {
            let mut peak_flops: BTreeMap<Precision, f64> = Precision::ALL
                .into_iter()
                .zip(flops)
                .filter_map(|(p, f)| f.map(|f| (p, f)))
                .collect();
            if peak_flops.is_empty() {
                peak_flops.insert(Precision::Bf16, 1e15);
            }
            roofline::scenario::HardwareSpec {
                name,
                peak_flops,
                memory_bandwidth: bw,
                memory_capacity: mem,
                interconnect_bandwidth: link,
                price_per_hour: price,
                power,
                tile_size: tile,
                streaming_multiprocessors: sms,
                scale_up_domain: sms.max(1),
                scale_out_bandwidth: link,
                host_memory_capacity: mem * 2.0,
                host_link_bandwidth: link / 4.0,
            }
        })
}

/// A token tile from a random fraction: 0 (off) or a power of two.
fn tile_of(x: f64) -> u32 {
    if x < 0.2 {
        0
    } else {
        1 << ((x * 8.0) as u32)
    }
}

fn precision() -> impl Strategy<Value = Precision> {
    prop::sample::select(Precision::ALL.to_vec())
}

/// Valid scenarios: random models and chips, or a preset pair with a few fields changed.
fn scenario() -> impl Strategy<Value = Scenario> {
    let random = (
        model(),
        hardware(),
        1u32..=1_000_000,
        any::<bool>(),
        (precision(), precision(), any::<prop::sample::Index>()),
        (
            1u64..=100_000_000,
            1u64..=100_000_000,
            1u64..=100_000_000,
            prop::option::of(1u64..=100_000_000),
        ),
        (
            real(1e-9, 1.0),
            real(1e-9, 1.0),
            real(0.0, 60.0),
            real(0.0, 1.0),
        ),
        (real(1e-30, 1e-6), real(1e-30, 1e-6)),
        (
            prop::option::of((0u8..3, 1u32..=64, real(0.0, 1.0), 1u32..=200)),
            real(0.0, 1.0),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(model, hardware, chips, expert, prec, w, eff, en, extra)| {
                use roofline::scenario::{DraftModel, DraftShape, Speculative, SpeculativeMethod};
                let (spec, cached, shared) = extra;
                let speculative = spec.map(|(m, k, a, l)| Speculative {
                    method: if m == 0 {
                        SpeculativeMethod::Mtp
                    } else {
                        SpeculativeMethod::Draft
                    },
                    draft_tokens: k,
                    acceptance_rate: a,
                    draft_model: match m {
                        0 => None,
                        1 => Some(DraftModel::Preset("llama-3.1-8b".into())),
                        _ => Some(DraftModel::Shape(DraftShape {
                            layers: l,
                            hidden_size: 64 * l as u64,
                            intermediate_size: 256 * l as u64,
                            attention_heads: 8,
                            kv_heads: 1 + l % 8,
                            head_dim: 64,
                            vocab_size: 1000 + l as u64,
                            tied_embeddings: l % 2 == 0,
                        })),
                    },
                });
                let keys: Vec<Precision> = hardware.peak_flops.keys().copied().collect();
                let compute = keys[prec.2.index(keys.len())];
                Scenario {
                    version: FORMAT_VERSION,
                    parallelism: if expert && model.moe.is_some() {
                        Parallelism::Expert
                    } else {
                        Parallelism::Tensor
                    },
                    model,
                    hardware,
                    chips,
                    precision: roofline::scenario::PrecisionSpec {
                        weights: prec.0,
                        kv_cache: prec.1,
                        compute,
                    },
                    workload: roofline::scenario::Workload {
                        batch_size: w.0,
                        input_tokens: w.1,
                        output_tokens: w.2,
                        context_length: w.3,
                        cached_input_tokens: (cached * w.1 as f64).floor() as u64,
                        prefix_sharing: if shared {
                            roofline::scenario::PrefixSharing::Shared
                        } else {
                            roofline::scenario::PrefixSharing::Private
                        },
                    },
                    efficiency: roofline::scenario::Efficiency {
                        compute: eff.0,
                        bandwidth: eff.1,
                        step_overhead_seconds: eff.2,
                        collective_latency_seconds: eff.3,
                        token_tile: tile_of(eff.0),
                        expert_imbalance: if eff.1 > 0.5 { None } else { Some(1.0 + eff.1) },
                        comm_overlap: eff.3,
                        ..roofline::scenario::Efficiency::REALISTIC
                    },
                    energy: EnergyCosts {
                        joules_per_byte: en.0,
                        joules_per_flop: en.1,
                    },
                    speculative,
                    disaggregation: Default::default(),
                    kv_offload: en.0 > 1e-11,
                }
            },
        );
    let combos = preset_combinations();
    let edited = (
        prop::sample::select(combos),
        1u32..64,
        1u64..4096,
        prop::option::of(real(1.0, 1e12)),
        any::<bool>(),
    )
        .prop_map(|((_, _, mut s), chips, batch, bw, tied)| {
            s.chips = chips;
            s.workload.batch_size = batch;
            if let Some(bw) = bw {
                s.hardware.memory_bandwidth = bw;
            }
            s.model.tied_embeddings ^= tied;
            s
        });
    prop_oneof![random, edited].prop_filter("valid", |s| s.validate().is_ok())
}

/// Random edits of a link's text.
#[derive(Clone, Debug)]
enum Mutation {
    Insert(usize, char),
    Delete(usize, usize),
    Truncate(usize),
    Duplicate(usize, usize),
    Replace(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (
            any::<usize>(),
            prop_oneof![
                any::<char>(),
                prop::sample::select(vec!['&', '=', '%', '+', '#', '?', '.', '0', '-'])
            ]
        )
            .prop_map(|(i, c)| Mutation::Insert(i, c)),
        (any::<usize>(), 0usize..20).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 0usize..40).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        (
            any::<usize>(),
            "(none|0|-1|1e400|NaN|%|%ZZ|&&|=|[a-z.]{1,8}|[0-9]{1,25}|\\PC{0,6})"
        )
            .prop_map(|(i, s)| Mutation::Replace(i, s)),
    ]
}

fn apply(link: &str, m: &Mutation) -> String {
    let chars: Vec<char> = link.chars().collect();
    let n = chars.len().max(1);
    let at = |i: &usize| i % n;
    let s = |a: usize, b: usize| -> String {
        chars[a.min(chars.len())..b.min(chars.len())]
            .iter()
            .collect()
    };
    match m {
        Mutation::Insert(i, c) => format!("{}{c}{}", s(0, at(i)), s(at(i), chars.len())),
        Mutation::Delete(i, k) => format!("{}{}", s(0, at(i)), s(at(i) + k, chars.len())),
        Mutation::Truncate(i) => s(0, at(i)),
        Mutation::Duplicate(i, k) => format!("{}&{}", link, s(at(i), at(i) + k)),
        Mutation::Replace(i, r) => {
            // Replace one value (the text after an '=' up to the next '&').
            let eqs: Vec<usize> = chars
                .iter()
                .enumerate()
                .filter(|(_, c)| **c == '=')
                .map(|(j, _)| j)
                .collect();
            if eqs.is_empty() {
                return format!("{link}{r}");
            }
            let start = eqs[i % eqs.len()] + 1;
            let end = (start..chars.len())
                .find(|&j| chars[j] == '&')
                .unwrap_or(chars.len());
            format!("{}{r}{}", s(0, start), s(end, chars.len()))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn valid_scenarios_round_trip_exactly(s in scenario()) {
        let link = encode(&s, &[]);
        prop_assert!(link.len() < MAX_LINK_CHARS, "{} chars", link.len());
        let r = decode(&link);
        prop_assert_eq!(&r.problems, &vec![], "{}", link);
        prop_assert_eq!(&r.scenario, &s, "{}", link);
        // Encoding is deterministic and stable under a second round.
        prop_assert_eq!(encode(&r.scenario, &[]), link);
    }

    #[test]
    fn random_text_never_panics_and_gives_a_valid_scenario(q in prop_oneof![
        any::<String>(),
        "[a-z.=&%0-9+?#]{0,200}",
        "((v|model|hw|batch|in|out|ctx|chips|par|m\\.[a-z_]{1,12}|hw\\.[a-z.0-9]{1,12}|eff\\.[a-z]{1,4}|embed|chart)=[-a-z0-9.%+e]{0,12}&){0,30}",
    ]) {
        let r = decode(&q);
        prop_assert_eq!(r.scenario.validate(), Ok(()));
        prop_assert!(r.problems.len() <= MAX_PROBLEMS + 1);
    }

    #[test]
    fn mutated_links_never_panic_and_give_a_valid_scenario(
        s in scenario(),
        muts in prop::collection::vec(mutation(), 1..6),
    ) {
        let mut link = encode(&s, &[("chart".into(), "roofline".into())]);
        for m in &muts {
            link = apply(&link, m);
        }
        let r = decode(&link);
        prop_assert_eq!(r.scenario.validate(), Ok(()), "{}", link);
        prop_assert!(r.problems.len() <= MAX_PROBLEMS + 1);
    }
}

/// The layer-kind keys: a dense preset made sparse or hybrid by hand-written keys reads as
/// the hybrid presets' shapes, and each hybrid preset's link names only its id.
#[test]
fn layer_kind_keys_round_trip() {
    let r = dec(
        "v=1&model=deepseek-v3&m.sparse_k=2048&m.index_heads=64&m.index_dim=128&m.index_prec=fp8",
    );
    assert_eq!(r.problems, vec![]);
    let v32 = roofline::catalogue::presets::model_preset("deepseek-v3.2-exp").unwrap();
    assert_eq!(r.scenario.model.layer_kinds, v32.spec.layer_kinds);
    let r = dec("v=1&model=qwen3-30b-a3b&m.linear_layers=36&m.linear_kheads=16&m.linear_vheads=32&m.linear_kdim=128&m.linear_vdim=128&m.linear_conv=4&m.linear_prec=bf16");
    assert_eq!(r.problems, vec![]);
    assert_eq!(r.scenario.model.layer_kinds.linear_attention_layers, 36);
    // Missing shape: the link says which key, and the preset's (no linear layers) is kept.
    let r = dec("v=1&model=qwen3-30b-a3b&m.linear_layers=36");
    assert!(!r.problems.is_empty());
    assert_eq!(r.scenario.model.layer_kinds.linear_attention_layers, 0);
    for id in [
        "deepseek-v3.2-exp",
        "qwen3-next-80b-a3b",
        "kimi-linear-48b-a3b",
        "minimax-text-01",
    ] {
        let s = Scenario {
            model: roofline::catalogue::presets::model_preset(id)
                .unwrap()
                .spec
                .clone(),
            ..Scenario::default()
        };
        let link = encode(&s, &[]);
        assert_eq!(link, format!("v=1&model={id}"));
        let mut t = s.clone();
        t.model.layer_kinds.sparse_top_k = Some(512);
        t.model.layer_kinds.indexer_heads = Some(8);
        t.model.layer_kinds.indexer_head_dim = Some(64);
        let r = dec(&encode(&t, &[]));
        assert_eq!((r.problems, r.scenario), (vec![], t), "{id}");
    }
}
