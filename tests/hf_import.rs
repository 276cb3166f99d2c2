//! Hugging Face config.json import: each fixture in tests/fixtures/hf (written from the
//! values in data/models.json, laid out as the real files are) imports to the same shape as
//! its preset, and derives parameter totals within 2% of the published ones.

use roofline::catalogue::hf::{model_from_hf_config, HfImportError};
use roofline::catalogue::presets::model_preset;
use roofline::model::derived_params;
use roofline::scenario::Scenario;
use std::fs;
use std::path::PathBuf;

fn fixture(id: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/hf/{id}.json"));
    fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const IDS: [&str; 17] = [
    "llama-3.1-8b",
    "llama-3.1-70b",
    "llama-3.1-405b",
    "mistral-7b",
    "mixtral-8x7b",
    "qwen3-235b-a22b",
    "qwen3-30b-a3b",
    "qwen3-32b",
    "deepseek-v3",
    "kimi-k2",
    "kimi-k2-thinking",
    "glm-4.5",
    "glm-4.6",
    "gpt-oss-120b",
    "gpt-oss-20b",
    "gemma-3-27b",
    "llama-4-maverick",
];

#[test]
fn every_fixture_matches_its_preset() {
    for id in IDS {
        let imported =
            model_from_hf_config(&fixture(id), id).unwrap_or_else(|e| panic!("{id}: {e}"));
        let preset = model_preset(id).unwrap_or_else(|| panic!("no preset {id}"));
        let mut want = preset.spec.clone();
        want.name = id.to_string();
        want.total_params = None;
        want.active_params = None;
        assert_eq!(imported, want, "{id}");
        // The import is a valid scenario model, and its derived total is within 2% of the
        // published one.
        let s = Scenario {
            model: imported,
            ..Scenario::default()
        };
        s.validate().unwrap_or_else(|e| panic!("{id}: {e}"));
        let (total, _) = derived_params(&s);
        let published = preset.spec.total_params.unwrap();
        assert!(
            (total / published - 1.0).abs() <= 0.02,
            "{id}: derived {total:e} vs published {published:e}"
        );
    }
}

#[test]
fn incomplete_config_lists_exactly_the_missing_fields() {
    let mut cfg: serde_json::Value = serde_json::from_str(&fixture("deepseek-v3")).unwrap();
    let obj = cfg.as_object_mut().unwrap();
    for key in ["hidden_size", "kv_lora_rank", "n_routed_experts"] {
        obj.remove(key);
    }
    let e = model_from_hf_config(&cfg.to_string(), "x").unwrap_err();
    assert_eq!(
        e,
        HfImportError::MissingFields(vec![
            "hidden_size".into(),
            "kv_lora_rank".into(),
            "n_routed_experts".into()
        ])
    );
}

#[test]
fn gemma_reads_text_config() {
    let m = model_from_hf_config(&fixture("gemma-3-27b"), "g").unwrap();
    assert_eq!(m.layers, 62);
    assert_eq!(m.sliding_window, Some(1024));
    assert_eq!(m.sliding_window_layers, 52);
    assert!(m.tied_embeddings);
}

#[test]
fn incomplete_glm4_moe_config_lists_exactly_the_missing_fields() {
    let mut cfg: serde_json::Value = serde_json::from_str(&fixture("glm-4.6")).unwrap();
    let obj = cfg.as_object_mut().unwrap();
    for key in [
        "moe_intermediate_size",
        "num_hidden_layers",
        "n_routed_experts",
    ] {
        obj.remove(key);
    }
    let e = model_from_hf_config(&cfg.to_string(), "x").unwrap_err();
    assert_eq!(
        e,
        HfImportError::MissingFields(vec![
            "num_hidden_layers".into(),
            "n_routed_experts".into(),
            "moe_intermediate_size".into()
        ])
    );
}

#[test]
fn glm4_moe_reads_gqa_and_the_dense_prefix() {
    let m = model_from_hf_config(&fixture("glm-4.5"), "g").unwrap();
    assert_eq!(m.attention, roofline::scenario::Attention::Gqa);
    assert_eq!((m.attention_heads, m.kv_heads, m.head_dim), (96, 8, 128));
    let moe = m.moe.unwrap();
    assert_eq!(
        (moe.experts, moe.shared_experts, moe.dense_layers),
        (160, 1, 3)
    );
    assert_eq!(m.intermediate_size, 12288);
    assert_eq!(moe.expert_intermediate_size, 1536);
    assert_eq!(m.kv_lora_rank, None);
}

#[test]
fn llama4_reads_text_config_interleaved_moe_and_chunks() {
    let m = model_from_hf_config(&fixture("llama-4-maverick"), "l").unwrap();
    let moe = m.moe.as_ref().unwrap();
    // moe_layers lists the 24 odd layers; the other 24 are dense, of intermediate_size_mlp.
    assert_eq!((moe.experts, moe.experts_per_token), (128, 1));
    assert_eq!((moe.shared_experts, moe.dense_layers), (1, 24));
    assert_eq!(
        (m.intermediate_size, moe.expert_intermediate_size),
        (16384, 8192)
    );
    // no_rope_layers: every 4th layer global, the other 36 chunked at 8192.
    assert_eq!(
        (m.sliding_window, m.sliding_window_layers),
        (Some(8192), 36)
    );
    assert!(!m.tied_embeddings);
    // Without the lists, interleave_moe_layer_step 2 and the default interval 4 give the same.
    let mut cfg: serde_json::Value = serde_json::from_str(&fixture("llama-4-maverick")).unwrap();
    let text = cfg["text_config"].as_object_mut().unwrap();
    text.remove("moe_layers");
    text.remove("no_rope_layers");
    let bare = model_from_hf_config(&cfg.to_string(), "l").unwrap();
    assert_eq!(bare, m);
}

#[test]
fn incomplete_llama4_config_lists_exactly_the_missing_fields() {
    let mut cfg: serde_json::Value = serde_json::from_str(&fixture("llama-4-maverick")).unwrap();
    let text = cfg["text_config"].as_object_mut().unwrap();
    for key in [
        "vocab_size",
        "num_local_experts",
        "intermediate_size_mlp",
        // Defaults exist for these (Llama4TextConfig): 8 kv heads, head_dim 128.
        "num_key_value_heads",
        "head_dim",
    ] {
        text.remove(key);
    }
    let e = model_from_hf_config(&cfg.to_string(), "x").unwrap_err();
    assert_eq!(
        e,
        HfImportError::MissingFields(vec![
            "vocab_size".into(),
            "num_local_experts".into(),
            "intermediate_size_mlp".into()
        ])
    );
}
