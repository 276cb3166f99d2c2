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

const IDS: [&str; 16] = [
    "llama-3.1-8b",
    "llama-3.1-70b",
    "llama-3.1-405b",
    "mistral-7b",
    "mixtral-8x7b",
    "qwen3-235b-a22b",
    "qwen3-30b-a3b",
    "deepseek-v3",
    "kimi-k2",
    "gpt-oss-120b",
    "gpt-oss-20b",
    "gemma-3-27b",
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
