//! Presets: the required ones exist, each makes a valid scenario, and the parameter counts
//! derived from each model's shape land within 2% of its published total.

use roofline::catalogue::presets::{hardware_presets, model_presets, Mark};
use roofline::model::{derived_params, evaluate};
use roofline::scenario::{Precision, Scenario};

const HARDWARE: [&str; 17] = [
    "a100-sxm-80gb",
    "h100-sxm",
    "h200-sxm",
    "b200-hgx",
    "gb200-per-gpu",
    "b300-hgx",
    "gb300-per-gpu",
    "mi300x",
    "mi325x",
    "mi355x",
    "tpu-v5e",
    "tpu-v5p",
    "tpu-v6e",
    "tpu7x-ironwood",
    "l40s",
    "rtx-4090",
    "rtx-pro-6000-blackwell",
];

const MODELS: [&str; 16] = [
    "llama-3.1-8b",
    "llama-3.1-70b",
    "llama-3.1-405b",
    "mixtral-8x7b",
    "deepseek-v3",
    "kimi-k2",
    "kimi-k2-thinking",
    "qwen3-235b-a22b",
    "qwen3-30b-a3b",
    "qwen3-32b",
    "glm-4.5",
    "glm-4.6",
    "gpt-oss-120b",
    "gpt-oss-20b",
    "gemma-3-27b",
    "llama-4-maverick",
];

#[test]
fn required_presets_exist_with_sources() {
    for id in HARDWARE {
        let p = hardware_presets().iter().find(|p| p.id == id);
        let p = p.unwrap_or_else(|| panic!("hardware preset {id} missing"));
        assert!(
            !p.source().is_empty() && !p.verification().is_empty(),
            "{id}"
        );
        assert!(p.spec.price_per_hour > 0.0, "{id} has no price");
        assert!(
            p.marks()
                .iter()
                .any(|m| m.field == "hardware.price_per_hour"),
            "{id}: price has no mark"
        );
    }
    for id in MODELS {
        let p = model_presets().iter().find(|p| p.id == id);
        let p = p.unwrap_or_else(|| panic!("model preset {id} missing"));
        assert!(
            !p.source().is_empty() && !p.verification().is_empty(),
            "{id}"
        );
        assert!(p.max_context >= 32_768, "{id}");
    }
}

#[test]
fn estimated_prices_are_marked_estimated() {
    let gb200 = hardware_presets()
        .iter()
        .find(|p| p.id == "gb200-per-gpu")
        .unwrap();
    let m = gb200
        .marks()
        .iter()
        .find(|m| m.field == "hardware.price_per_hour")
        .unwrap();
    assert_eq!(m.mark, Mark::Estimated);
}

#[test]
fn every_preset_pair_evaluates() {
    for h in hardware_presets() {
        for m in model_presets() {
            let mut s = Scenario {
                model: m.spec.clone(),
                hardware: h.spec.clone(),
                chips: 8,
                ..Scenario::default()
            };
            if !h.spec.peak_flops.contains_key(&s.precision.compute) {
                s.precision.compute = roofline::scenario::Precision::Fp16;
            }
            let e = evaluate(&s).unwrap_or_else(|e| panic!("{} on {}: {e}", m.id, h.id));
            assert!(e.decode.step_seconds.is_finite() && e.decode.step_seconds > 0.0);
        }
    }
}

/// Derived total within 2% of the published total for every model that publishes one.
///
/// What the derivation leaves out, and why it still lands within 2%:
/// - Norm weights and biases (a few thousand per layer): under 0.01%.
/// - Gemma 3 27B: the published 27.4B includes the ~0.4B SigLIP vision encoder, which a
///   text decoder's shape cannot know; the text decoder derives to ~27.0B (−1.5%).
/// - DeepSeek-V3 / Kimi K2: MLA's query compression (`q_lora_rank`, a scenario field added
///   for this) is used; the published totals exclude the multi-token-prediction module.
///   Kimi K2's "1.04T" is a rounded figure (the README says "1T"); derived ~1.026T (−1.3%).
/// - GLM-4.5 / 4.6: the published 355B counts the MTP layer but not the embedding and LM
///   head (technical report, Table 1); the shape with both and no MTP layer derives ~352.7B
///   (−0.7%). `glm_totals_count_what_the_report_counts` checks the report's convention.
/// - Qwen3-32B: derived ~32.76B vs the model card's 32.8B.
/// - Llama 4 Maverick: the text decoder derives ~400.7B vs the model card's 400B (+0.2%);
///   the vision encoder is not counted.
/// - Kimi Linear's "48B" is rounded down: its routed experts and embeddings alone hold
///   47.87B; derived ~49.3B (+2.7%), held to 3%. Its and Qwen3-Next's "3B activated" are the
///   names' round "A3B": derived 3.26B / 3.46B without the embedding table (+9% / +15%),
///   held to 20%.
/// - Linear-attention layers count queries, keys, values, an output gate and the output
///   projection (Kimi Delta Attention's low-rank gates as a full-rank gate); Qwen3-Next's
///   gated attention's output gate is left out (12 × 16.8M, 0.25%).
#[test]
fn derived_totals_within_two_percent_of_published() {
    let mut report = Vec::new();
    for m in model_presets() {
        let s = Scenario {
            model: m.spec.clone(),
            ..Scenario::default()
        };
        let (total, active) = derived_params(&s);
        let published = m.spec.total_params.unwrap();
        let err = total / published - 1.0;
        report.push(format!(
            "{}: derived {total:.4e} vs {published:.4e} ({:+.2}%)",
            m.id,
            err * 100.0
        ));
        let (total_tol, active_tol) = match m.id.as_str() {
            "kimi-linear-48b-a3b" => (0.03, 0.20),
            "qwen3-next-80b-a3b" => (0.02, 0.20),
            _ => (0.02, 0.10),
        };
        assert!(err.abs() <= total_tol, "{}", report.join("\n"));
        // Active counts are published more loosely: some include the embedding table
        // (DeepSeek-V3 "37B" = 36.6B + embedding), some leave it out (gpt-oss-120b's 5.1B
        // = 5.13B without the 0.58B table). Held to 10% under either convention.
        let pa = m.spec.active_params.unwrap();
        let embedding = m.spec.vocab_size as f64 * m.spec.hidden_size as f64;
        let without = if m.spec.tied_embeddings {
            active
        } else {
            active - embedding
        };
        let best = [active, without]
            .into_iter()
            .map(|a| (a / pa - 1.0).abs())
            .fold(f64::INFINITY, f64::min);
        report.push(format!(
            "  active: derived {active:.4e} ({without:.4e} less embedding) vs {pa:.4e}"
        ));
        assert!(best <= active_tol, "{}", report.join("\n"));
    }
    println!("{}", report.join("\n"));
}

/// GLM-4.5's technical report (Table 1) counts "the parameters of MTP layers but not word
/// embeddings and the output layer". The same count from the shape: the derived total less
/// the embedding and LM head (2·V·d, untied) plus one MTP layer (one more MoE decoder layer
/// and its 2d → d projection, `num_nextn_predict_layers` 1), within 0.5% of 355B.
#[test]
fn glm_totals_count_what_the_report_counts() {
    for id in ["glm-4.5", "glm-4.6"] {
        let m = model_presets().iter().find(|p| p.id == id).unwrap();
        let spec = &m.spec;
        let s = Scenario {
            model: spec.clone(),
            ..Scenario::default()
        };
        let (total, _) = derived_params(&s);
        let d = spec.hidden_size as f64;
        let embed_and_head = 2.0 * spec.vocab_size as f64 * d;
        let moe = spec.moe.as_ref().unwrap();
        let moe_layers = (spec.layers - moe.dense_layers) as f64;
        let body = total - embed_and_head;
        // Everything but embeddings and the dense prefix, per MoE layer: attention + router +
        // routed and shared experts.
        let dense_layer = {
            let attn = d * spec.attention_heads as f64 * spec.head_dim as f64 * 2.0
                + 2.0 * d * spec.kv_heads as f64 * spec.head_dim as f64;
            attn + 3.0 * d * spec.intermediate_size as f64
        };
        let moe_layer = (body - moe.dense_layers as f64 * dense_layer) / moe_layers;
        let mtp = moe_layer + 2.0 * d * d;
        let report = body + mtp;
        let published = spec.total_params.unwrap();
        assert!(
            (report / published - 1.0).abs() <= 0.005,
            "{id}: {report:e} vs {published:e}"
        );
        // And the plain derived total (embeddings in, MTP out) stays within the usual 2%.
        assert!((total / published - 1.0).abs() <= 0.02, "{id}");
    }
}

#[test]
fn gb300_is_one_72_gpu_nvlink_domain_and_b300_one_server() {
    let find = |id: &str| hardware_presets().iter().find(|p| p.id == id).unwrap();
    let gb300 = find("gb300-per-gpu");
    assert_eq!(gb300.spec.scale_up_domain, 72);
    assert_eq!(gb300.spec.memory_capacity, 288e9);
    let price = gb300
        .marks()
        .iter()
        .find(|m| m.field == "hardware.price_per_hour")
        .unwrap();
    assert_eq!(price.mark, Mark::Estimated);
    let b300 = find("b300-hgx");
    assert_eq!(b300.spec.scale_up_domain, 8);
    // The HGX part's dense FP4 is below GB300's (1.2 vs 1.4 kW); FP8 and BF16 as B200.
    assert!(b300.spec.peak_flops[&Precision::Fp4] < gb300.spec.peak_flops[&Precision::Fp4]);
    assert_eq!(
        b300.spec.peak_flops[&Precision::Fp8],
        find("b200-hgx").spec.peak_flops[&Precision::Fp8]
    );
    // Blackwell Ultra cut INT8: no INT8 peak is claimed.
    assert!(!b300.spec.peak_flops.contains_key(&Precision::Int8));
}

/// Llama 4 Maverick: MoE on every other layer (24 dense layers of width 16384, 24 MoE layers
/// of 128 routed experts + 1 shared, width 8192), chunked attention on 36 of 48 layers as a
/// window of 8192; the derived total within 1% of the published 400B and the active count
/// within 2% of 17B (embedding and LM head included).
#[test]
fn llama_4_maverick_shape_and_totals() {
    let m = model_presets()
        .iter()
        .find(|p| p.id == "llama-4-maverick")
        .unwrap();
    let spec = &m.spec;
    let moe = spec.moe.as_ref().unwrap();
    assert_eq!(
        (moe.experts, moe.experts_per_token, moe.shared_experts),
        (128, 1, 1)
    );
    assert_eq!(moe.dense_layers, 24);
    assert_eq!(
        (spec.intermediate_size, moe.expert_intermediate_size),
        (16384, 8192)
    );
    assert_eq!(spec.sliding_window, Some(8192));
    assert_eq!(spec.sliding_window_layers, 36);
    assert_eq!(
        (spec.attention_heads, spec.kv_heads, spec.head_dim),
        (40, 8, 128)
    );
    for field in ["model.moe.dense_layers", "model.sliding_window_layers"] {
        assert!(
            m.marks().iter().any(|k| k.field == field),
            "{field} unmarked"
        );
    }
    let s = Scenario {
        model: spec.clone(),
        ..Scenario::default()
    };
    let (total, active) = derived_params(&s);
    assert!((total / 400e9 - 1.0).abs() <= 0.01, "total {total:e}");
    assert!((active / 17e9 - 1.0).abs() <= 0.02, "active {active:e}");
}

/// RTX PRO 6000 Blackwell Server Edition: one PCIe Gen5 card (no NVLink), dense peaks half
/// of NVIDIA's sparse 4 / 2 / 1 PFLOPS, 96 GB, 188 SMs, an estimated (marked) price.
#[test]
fn rtx_pro_6000_is_a_pcie_card_with_dense_peaks() {
    let p = hardware_presets()
        .iter()
        .find(|p| p.id == "rtx-pro-6000-blackwell")
        .unwrap();
    let h = &p.spec;
    assert_eq!(h.peak_flops[&Precision::Fp4], 2000e12);
    assert_eq!(h.peak_flops[&Precision::Fp8], 1000e12);
    assert_eq!(h.peak_flops[&Precision::Bf16], 500e12);
    assert_eq!(h.memory_capacity, 96e9);
    // PCIe Gen5 x16: 128 GB/s both ways, 64 GB/s one way.
    assert_eq!(h.interconnect_bandwidth, 64e9);
    assert_eq!(h.streaming_multiprocessors, 188);
    assert_eq!(h.power, 600.0);
    let price = p
        .marks()
        .iter()
        .find(|m| m.field == "hardware.price_per_hour")
        .unwrap();
    assert_eq!(price.mark, Mark::Estimated);
}
