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

const IDS: [&str; 21] = [
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
    "deepseek-v3.2-exp",
    "qwen3-next-80b-a3b",
    "kimi-linear-48b-a3b",
    "minimax-text-01",
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
        // Kimi Linear's card says "48B", rounded down: its routed experts and embeddings
        // alone hold 26·256·3·2304·1024 + 2·163840·2304 = 47.87B, and attention, shared
        // experts and the dense layer add about 1.3B more. It is held to 3% (and to that
        // floor) instead of 2%.
        let tolerance = if id == "kimi-linear-48b-a3b" {
            let floor = 26.0 * 256.0 * 3.0 * 2304.0 * 1024.0 + 2.0 * 163840.0 * 2304.0;
            assert!(total > floor, "{id}: derived {total:e} below {floor:e}");
            0.03
        } else {
            0.02
        };
        assert!(
            (total / published - 1.0).abs() <= tolerance,
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

/// Every required field of a hybrid model's config, removed, is listed exactly (and only
/// the ones removed).
#[test]
fn hybrid_configs_list_exactly_their_missing_fields() {
    let cases: [(&str, &[&str]); 4] = [
        (
            "deepseek-v3.2-exp",
            &["index_topk", "index_n_heads", "index_head_dim"],
        ),
        (
            "qwen3-next-80b-a3b",
            &["linear_num_key_heads", "linear_value_head_dim"],
        ),
        ("minimax-text-01", &["attn_type_list"]),
        ("kimi-linear-48b-a3b", &["num_experts_per_token"]),
    ];
    for (id, keys) in cases {
        let mut cfg: serde_json::Value = serde_json::from_str(&fixture(id)).unwrap();
        let obj = cfg.as_object_mut().unwrap();
        for key in keys {
            assert!(obj.remove(*key).is_some(), "{id}: no {key} in the fixture");
        }
        let e = model_from_hf_config(&cfg.to_string(), "x").unwrap_err();
        let want: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        assert_eq!(e, HfImportError::MissingFields(want), "{id}");
    }
    // Kimi Linear's linear-attention shape is nested: its missing keys are named in full.
    let mut cfg: serde_json::Value = serde_json::from_str(&fixture("kimi-linear-48b-a3b")).unwrap();
    let lin = cfg["linear_attn_config"].as_object_mut().unwrap();
    lin.remove("num_heads");
    lin.remove("kda_layers");
    assert_eq!(
        model_from_hf_config(&cfg.to_string(), "x").unwrap_err(),
        HfImportError::MissingFields(vec![
            "linear_attn_config.num_heads".into(),
            "linear_attn_config.kda_layers".into()
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

#[test]
fn hybrid_layer_groups_are_read() {
    let q = model_from_hf_config(&fixture("qwen3-next-80b-a3b"), "q").unwrap();
    // Every 4th layer full attention: 12 of 48, the other 36 Gated DeltaNet.
    assert_eq!(q.layer_kinds.linear_attention_layers, 36);
    let m = model_from_hf_config(&fixture("minimax-text-01"), "m").unwrap();
    assert_eq!(m.layer_kinds.linear_attention_layers, 70);
    assert_eq!(m.layer_kinds.linear_value_heads, Some(64));
    let k = model_from_hf_config(&fixture("kimi-linear-48b-a3b"), "k").unwrap();
    assert_eq!(k.layer_kinds.linear_attention_layers, 20);
    assert_eq!(k.q_lora_rank, None);
    let d = model_from_hf_config(&fixture("deepseek-v3.2-exp"), "d").unwrap();
    assert_eq!(d.layer_kinds.sparse_top_k, Some(2048));
    assert_eq!(d.layer_kinds.linear_attention_layers, 0);
}
