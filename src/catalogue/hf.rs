//! Import of a Hugging Face `config.json` into a scenario model. Pure: text in, model out.
//!
//! Supported `model_type`s: `llama`, `mistral`, `qwen2`, `qwen3` (dense); `mixtral`,
//! `qwen3_moe`, `qwen2_moe` (MoE); `deepseek_v3`, `kimi_k2` (MoE + MLA); `glm4_moe` (MoE +
//! GQA: GLM-4.5 / 4.6; its partial rotary and MTP layer change no weight shape the engine
//! counts, so they are not read); `gpt_oss`;
//! `gemma3` / `gemma3_text` (multimodal configs nest the decoder under `text_config`);
//! `llama4` / `llama4_text` (Llama 4 Scout / Maverick: MoE on every
//! `interleave_moe_layer_step`-th layer or the listed `moe_layers`, one shared expert per MoE
//! layer, dense layers of width `intermediate_size_mlp`; chunked local attention read as a
//! sliding window of `attention_chunk_size` on the chunked layers);
//! hybrid attention: `deepseek_v32` (MLA + DeepSeek Sparse Attention's indexer),
//! `qwen3_next` (Gated DeltaNet + gated attention, `layer_types` or every
//! `full_attention_interval`-th layer full), `kimi_linear` (Kimi Delta Attention + MLA,
//! `linear_attn_config`), `minimax_text_01` / `minimax_m1` / `minimax` (lightning attention +
//! softmax attention, `attn_type_list` 0 = lightning, or `layer_types`).
//! Fields with a default in the `transformers` config class take that default when absent
//! (e.g. `num_key_value_heads` = `num_attention_heads`, `head_dim` = hidden ÷ heads); fields
//! without one are required, and every missing one is listed in the error.
//! Parameter totals are not in a config, so `total_params`/`active_params` are left `None`
//! (derived from the shape).

use crate::scenario::{Attention, LayerKinds, ModelSpec, Moe, Precision};
use serde_json::{Map, Value};
use std::fmt;

/// Why a config could not be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HfImportError {
    /// Not a JSON object, or not JSON at all.
    Malformed(String),
    /// A `model_type` this importer does not know (or none at all).
    UnknownModelType(String),
    /// Required fields that are absent or not whole numbers, by name.
    MissingFields(Vec<String>),
}

impl fmt::Display for HfImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HfImportError::Malformed(m) => write!(f, "config.json: {m}"),
            HfImportError::UnknownModelType(t) => write!(
                f,
                "model_type: unsupported {t:?} (supported: {})",
                SUPPORTED.join(", ")
            ),
            HfImportError::MissingFields(fields) => write!(
                f,
                "config.json is missing required fields: {}",
                fields.join(", ")
            ),
        }
    }
}

impl std::error::Error for HfImportError {}

/// The `model_type` values this importer reads.
pub const SUPPORTED: &[&str] = &[
    "llama",
    "mistral",
    "qwen2",
    "qwen3",
    "mixtral",
    "qwen2_moe",
    "qwen3_moe",
    "deepseek_v3",
    "kimi_k2",
    "glm4_moe",
    "gpt_oss",
    "gemma3",
    "gemma3_text",
    "llama4",
    "llama4_text",
    "deepseek_v32",
    "qwen3_next",
    "kimi_linear",
    "minimax_text_01",
    "minimax_m1",
    "minimax",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Dense,
    Mistral,
    Qwen,
    Mixtral,
    QwenMoe,
    DeepSeek,
    Glm4Moe,
    GptOss,
    Gemma3,
    Llama4,
    DeepSeekSparse,
    QwenNext,
    KimiLinear,
    MiniMax,
}

fn family(model_type: &str) -> Option<Family> {
    Some(match model_type {
        "llama" => Family::Dense,
        "mistral" => Family::Mistral,
        "qwen2" | "qwen3" => Family::Qwen,
        "mixtral" => Family::Mixtral,
        "qwen2_moe" | "qwen3_moe" => Family::QwenMoe,
        "deepseek_v3" | "kimi_k2" => Family::DeepSeek,
        "glm4_moe" => Family::Glm4Moe,
        "gpt_oss" => Family::GptOss,
        "gemma3" | "gemma3_text" => Family::Gemma3,
        "llama4" | "llama4_text" => Family::Llama4,
        "deepseek_v32" => Family::DeepSeekSparse,
        "qwen3_next" => Family::QwenNext,
        "kimi_linear" => Family::KimiLinear,
        "minimax_text_01" | "minimax_m1" | "minimax" => Family::MiniMax,
        _ => return None,
    })
}

/// Reads fields, remembering every required one that is missing.
struct Reader<'a> {
    cfg: &'a Map<String, Value>,
    missing: Vec<String>,
}

impl Reader<'_> {
    fn opt(&self, key: &str) -> Option<u64> {
        self.cfg.get(key).and_then(Value::as_u64)
    }

    fn req(&mut self, key: &str) -> u64 {
        match self.opt(key) {
            Some(v) => v,
            None => {
                self.missing.push(key.to_string());
                0
            }
        }
    }

    fn flag(&self, key: &str) -> Option<bool> {
        self.cfg.get(key).and_then(Value::as_bool)
    }
}

/// Imports a `config.json` text; `name` is used when the config has no `_name_or_path`.
pub fn model_from_hf_config(json: &str, name: &str) -> Result<ModelSpec, HfImportError> {
    let root: Value =
        serde_json::from_str(json).map_err(|e| HfImportError::Malformed(e.to_string()))?;
    let top = root
        .as_object()
        .ok_or_else(|| HfImportError::Malformed("not a JSON object".into()))?;
    let model_type = top
        .get("model_type")
        .and_then(Value::as_str)
        .ok_or_else(|| HfImportError::MissingFields(vec!["model_type".into()]))?;
    let fam =
        family(model_type).ok_or_else(|| HfImportError::UnknownModelType(model_type.into()))?;
    // Multimodal configs (Gemma 3) nest the text decoder under `text_config`.
    let cfg = match top.get("text_config").and_then(Value::as_object) {
        Some(t) => t,
        None => top,
    };
    let mut r = Reader {
        cfg,
        missing: Vec::new(),
    };
    let layers = r.req("num_hidden_layers");
    let hidden = r.req("hidden_size");
    let heads = r.req("num_attention_heads");
    let vocab = r.req("vocab_size");
    // Llama4TextConfig defaults num_key_value_heads to 8 and head_dim to 128; the others
    // to the attention heads and hidden ÷ heads.
    let kv_heads = match (r.opt("num_key_value_heads"), fam) {
        (Some(k), _) => k,
        (None, Family::Llama4) => 8,
        (None, _) => heads,
    };
    let default_tied = fam == Family::Gemma3;
    let tied = r
        .flag("tie_word_embeddings")
        .or_else(|| top.get("tie_word_embeddings").and_then(Value::as_bool))
        .unwrap_or(default_tied);

    let mut attention = Attention::Gqa;
    let (mut kv_lora_rank, mut qk_rope, mut q_lora_rank) = (None, None, None);
    let mla = matches!(
        fam,
        Family::DeepSeek | Family::DeepSeekSparse | Family::KimiLinear
    );
    let head_dim = if mla {
        attention = Attention::Mla;
        kv_lora_rank = Some(r.req("kv_lora_rank"));
        let rope = r.req("qk_rope_head_dim");
        qk_rope = Some(rope);
        q_lora_rank = r.opt("q_lora_rank");
        r.req("qk_nope_head_dim") + rope
    } else {
        match r.opt("head_dim") {
            Some(h) => h,
            None if fam == Family::Llama4 => 128,
            None if heads > 0 => hidden / heads,
            None => 0,
        }
    };

    let (intermediate, moe) = match fam {
        Family::Dense | Family::Mistral | Family::Qwen | Family::Gemma3 => {
            (r.req("intermediate_size"), None)
        }
        Family::Mixtral | Family::GptOss | Family::MiniMax => {
            let experts = r.req("num_local_experts");
            let k = r.req("num_experts_per_tok");
            let width = r.req("intermediate_size");
            (
                width,
                Some(Moe {
                    experts: experts as u32,
                    experts_per_token: k as u32,
                    shared_experts: 0,
                    expert_intermediate_size: width,
                    dense_layers: 0,
                }),
            )
        }
        Family::QwenMoe | Family::QwenNext => {
            let experts = r.req("num_experts");
            let k = r.req("num_experts_per_tok");
            let width = r.req("moe_intermediate_size");
            let dense = cfg
                .get("mlp_only_layers")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            // Qwen2-MoE has one shared expert of its own width: counted in expert widths.
            let shared = match r.opt("shared_expert_intermediate_size") {
                Some(s) if width > 0 => (s as f64 / width as f64).round() as u32,
                _ => 0,
            };
            (
                r.opt("intermediate_size").unwrap_or(width),
                Some(Moe {
                    experts: experts as u32,
                    experts_per_token: k as u32,
                    shared_experts: shared,
                    expert_intermediate_size: width,
                    dense_layers: dense as u32,
                }),
            )
        }
        // GLM-4.5 / 4.6: DeepSeek-V3's layout with GQA attention; Glm4MoeConfig defaults both
        // n_shared_experts and first_k_dense_replace to 1.
        Family::Glm4Moe => dense_prefix_moe(
            &mut r,
            [
                "n_routed_experts",
                "num_experts_per_tok",
                "n_shared_experts",
            ],
            1,
        ),
        // Llama 4: intermediate_size is the experts' (and the shared expert's) width;
        // intermediate_size_mlp the dense layers', needed only when there are dense layers.
        Family::Llama4 => {
            let width = r.req("intermediate_size");
            let experts = r.req("num_local_experts");
            let k = r.req("num_experts_per_tok");
            let dense = llama4_dense_layers(cfg, layers)?;
            let dense_width = if dense > 0 {
                r.req("intermediate_size_mlp")
            } else {
                r.opt("intermediate_size_mlp").unwrap_or(width)
            };
            (
                dense_width,
                Some(Moe {
                    experts: experts as u32,
                    experts_per_token: k as u32,
                    shared_experts: 1,
                    expert_intermediate_size: width,
                    dense_layers: dense,
                }),
            )
        }
        Family::KimiLinear => dense_prefix_moe(
            &mut r,
            ["num_experts", "num_experts_per_token", "num_shared_experts"],
            0,
        ),
        Family::DeepSeek | Family::DeepSeekSparse => dense_prefix_moe(
            &mut r,
            [
                "n_routed_experts",
                "num_experts_per_tok",
                "n_shared_experts",
            ],
            0,
        ),
    };

    let (window, window_layers) = if fam == Family::Llama4 {
        llama4_chunks(cfg, layers)
    } else {
        sliding(&r, fam, layers)
    };
    let layer_kinds = layer_kinds(&mut r, fam, layers, heads, head_dim);
    if !r.missing.is_empty() {
        return Err(HfImportError::MissingFields(r.missing));
    }
    let name = top
        .get("_name_or_path")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or(name);
    Ok(ModelSpec {
        name: name.to_string(),
        layers: layers as u32,
        hidden_size: hidden,
        intermediate_size: intermediate,
        attention_heads: heads as u32,
        kv_heads: kv_heads as u32,
        head_dim,
        vocab_size: vocab,
        tied_embeddings: tied,
        attention,
        kv_lora_rank,
        qk_rope_head_dim: qk_rope,
        q_lora_rank,
        sliding_window: window,
        sliding_window_layers: window_layers,
        moe,
        total_params: None,
        active_params: None,
        layer_kinds,
    })
}

/// DeepSeek-V3's MoE layout under a family's key names `[experts, experts per token, shared
/// experts]`: `first_k_dense_replace` dense layers of `intermediate_size`, then routed and
/// shared experts of `moe_intermediate_size`; shared experts and dense layers left out take
/// `default` (the family's config class default). Returns (dense FFN width, MoE shape).
fn dense_prefix_moe(r: &mut Reader<'_>, keys: [&str; 3], default: u64) -> (u64, Option<Moe>) {
    let [experts_key, k_key, shared_key] = keys;
    let experts = r.req(experts_key);
    let k = r.req(k_key);
    let width = r.req("moe_intermediate_size");
    let dense_width = r.req("intermediate_size");
    let moe = Moe {
        experts: experts as u32,
        experts_per_token: k as u32,
        shared_experts: r.opt(shared_key).unwrap_or(default) as u32,
        expert_intermediate_size: width,
        dense_layers: r.opt("first_k_dense_replace").unwrap_or(default) as u32,
    };
    (dense_width, Some(moe))
}

/// Llama 4's dense (non-MoE) layers: `layers` less the MoE layers, which are `moe_layers`
/// where listed, else `range(step − 1, layers, step)` with `interleave_moe_layer_step` (default
/// 1: every layer MoE), ⌊layers ÷ step⌋ of them. The engine counts per-layer sums, so which
/// layers are dense does not matter. A step of 0 is refused (transformers cannot build it).
fn llama4_dense_layers(cfg: &Map<String, Value>, layers: u64) -> Result<u32, HfImportError> {
    let moe = match cfg.get("moe_layers").and_then(Value::as_array) {
        Some(list) => list
            .iter()
            .filter_map(Value::as_u64)
            .filter(|&i| i < layers)
            .collect::<std::collections::BTreeSet<_>>()
            .len() as u64,
        None => {
            let step = match cfg.get("interleave_moe_layer_step") {
                None | Some(Value::Null) => 1,
                Some(v) => v.as_u64().filter(|&s| s > 0).ok_or_else(|| {
                    HfImportError::Malformed(
                        "interleave_moe_layer_step must be a whole number of at least 1".into(),
                    )
                })?,
            };
            layers / step
        }
    };
    Ok(layers.saturating_sub(moe) as u32)
}

/// Llama 4's chunked local attention as (window, layers): a chunk of `attention_chunk_size`
/// tokens (default 8192; null turns chunking off) caches at most that many, so it is read as a
/// sliding window of that size, which overstates a chunk's cache (1 to c tokens) by up to 2×
/// past c. Chunked layers: `layer_types` "chunked_attention" where given, else the layers
/// whose `no_rope_layers` entry is 1, else all but every `no_rope_layer_interval`-th (default 4).
fn llama4_chunks(cfg: &Map<String, Value>, layers: u64) -> (Option<u64>, u32) {
    let chunk = match cfg.get("attention_chunk_size") {
        None => Some(8192),
        Some(v) => v.as_u64().filter(|&c| c > 0),
    };
    let Some(c) = chunk else {
        return (None, 0);
    };
    let count = |key: &str, hit: &dyn Fn(&Value) -> bool| {
        cfg.get(key)
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
            .map(|a| a.iter().take(layers as usize).filter(|v| hit(v)).count() as u64)
    };
    let n = count("layer_types", &|v| v.as_str() == Some("chunked_attention"))
        .or_else(|| count("no_rope_layers", &|v| v.as_u64().is_some_and(|x| x != 0)))
        .unwrap_or_else(|| {
            let interval = match cfg.get("no_rope_layer_interval").and_then(Value::as_u64) {
                Some(i) if i > 0 => i,
                _ => 4,
            };
            layers - layers / interval
        });
    if n == 0 {
        (None, 0)
    } else {
        (Some(c), n as u32)
    }
}

/// The linear-attention layers and sparse attention a hybrid family's config gives (none for
/// the others); required fields missing are remembered in `r`.
fn layer_kinds(
    r: &mut Reader<'_>,
    fam: Family,
    layers: u64,
    heads: u64,
    head_dim: u64,
) -> LayerKinds {
    // Layers a `layer_types` list marks as linear attention, if the config has one.
    let typed_linear = r.cfg.get("layer_types").and_then(Value::as_array).map(|t| {
        t.iter()
            .filter(|t| t.as_str() == Some("linear_attention"))
            .count() as u32
    });
    match fam {
        Family::DeepSeekSparse => LayerKinds {
            sparse_top_k: Some(r.req("index_topk")),
            indexer_heads: Some(r.req("index_n_heads") as u32),
            indexer_head_dim: Some(r.req("index_head_dim")),
            // The published inference code caches each index key in fp8 with a scale.
            indexer_key_precision: Some(Precision::Fp8),
            ..LayerKinds::NONE
        },
        Family::QwenNext => {
            // Without layer_types, every `full_attention_interval`-th layer (default 4) is
            // full attention, the rest Gated DeltaNet.
            let linear = typed_linear.unwrap_or_else(|| {
                let every = r.opt("full_attention_interval").unwrap_or(4).max(1);
                (layers - layers / every) as u32
            });
            LayerKinds {
                linear_attention_layers: linear,
                linear_key_heads: Some(r.req("linear_num_key_heads") as u32),
                linear_value_heads: Some(r.req("linear_num_value_heads") as u32),
                linear_key_head_dim: Some(r.req("linear_key_head_dim")),
                linear_value_head_dim: Some(r.req("linear_value_head_dim")),
                linear_conv_kernel: Some(r.opt("linear_conv_kernel_dim").unwrap_or(4)),
                // vLLM keeps the Gated DeltaNet state in the model's dtype by default.
                linear_state_precision: Some(Precision::Bf16),
                ..LayerKinds::NONE
            }
        }
        Family::KimiLinear => {
            let lin = r.cfg.get("linear_attn_config").and_then(Value::as_object);
            let mut need = |key: &str| match lin.and_then(|l| l.get(key)).and_then(Value::as_u64) {
                Some(v) => v,
                None => {
                    r.missing.push(format!("linear_attn_config.{key}"));
                    0
                }
            };
            let kda_heads = need("num_heads") as u32;
            let kda_dim = need("head_dim");
            let conv = need("short_conv_kernel_size");
            let kda_layers = match lin
                .and_then(|l| l.get("kda_layers"))
                .and_then(Value::as_array)
            {
                Some(a) => a.len() as u32,
                None => {
                    r.missing.push("linear_attn_config.kda_layers".into());
                    0
                }
            };
            LayerKinds {
                linear_attention_layers: kda_layers,
                linear_key_heads: Some(kda_heads),
                linear_value_heads: Some(kda_heads),
                linear_key_head_dim: Some(kda_dim),
                linear_value_head_dim: Some(kda_dim),
                linear_conv_kernel: Some(conv),
                linear_state_precision: Some(Precision::Bf16),
                ..LayerKinds::NONE
            }
        }
        Family::MiniMax => {
            // attn_type_list: 0 = lightning (linear) attention, 1 = softmax attention.
            let listed = r
                .cfg
                .get("attn_type_list")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter(|t| t.as_u64() == Some(0)).count() as u32);
            let linear = match listed.or(typed_linear) {
                Some(n) => n,
                None => {
                    r.missing.push("attn_type_list".into());
                    0
                }
            };
            LayerKinds {
                linear_attention_layers: linear,
                linear_key_heads: Some(heads as u32),
                linear_value_heads: Some(heads as u32),
                linear_key_head_dim: Some(head_dim),
                linear_value_head_dim: Some(head_dim),
                linear_conv_kernel: None,
                // vLLM keeps lightning attention's state in fp32.
                linear_state_precision: Some(Precision::Fp32),
                ..LayerKinds::NONE
            }
        }
        _ => LayerKinds::NONE,
    }
}

/// (window, how many layers use it), from `layer_types` where given, else per family.
fn sliding(r: &Reader<'_>, fam: Family, layers: u64) -> (Option<u64>, u32) {
    let Some(w) = r.opt("sliding_window") else {
        return (None, 0);
    };
    if let Some(types) = r.cfg.get("layer_types").and_then(Value::as_array) {
        let n = types
            .iter()
            .filter(|t| t.as_str() == Some("sliding_attention"))
            .count() as u32;
        return if n > 0 { (Some(w), n) } else { (None, 0) };
    }
    let n = match fam {
        // Mistral v0.1: the window on every layer.
        Family::Mistral | Family::Mixtral => layers,
        // Qwen: only with use_sliding_window, on layers from max_window_layers up.
        Family::Qwen | Family::QwenMoe => {
            if r.flag("use_sliding_window") == Some(true) {
                layers.saturating_sub(r.opt("max_window_layers").unwrap_or(0))
            } else {
                0
            }
        }
        // gpt-oss alternates sliding and full attention, sliding first.
        Family::GptOss => layers.div_ceil(2),
        // Gemma 3: every `sliding_window_pattern`-th layer is global (default 6).
        Family::Gemma3 => {
            let p = r.opt("sliding_window_pattern").unwrap_or(6).max(1);
            layers - layers / p
        }
        Family::Dense
        | Family::DeepSeek
        | Family::Glm4Moe
        | Family::Llama4
        | Family::DeepSeekSparse
        | Family::QwenNext
        | Family::KimiLinear
        | Family::MiniMax => 0,
    };
    if n == 0 {
        (None, 0)
    } else {
        (Some(w), n as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_missing_field() {
        let e = model_from_hf_config(r#"{"model_type": "llama", "hidden_size": 4096}"#, "x")
            .unwrap_err();
        assert_eq!(
            e,
            HfImportError::MissingFields(vec![
                "num_hidden_layers".into(),
                "num_attention_heads".into(),
                "vocab_size".into(),
                "intermediate_size".into(),
            ])
        );
        assert!(e
            .to_string()
            .contains("num_hidden_layers, num_attention_heads"));
    }

    #[test]
    fn unknown_type_and_malformed() {
        assert!(matches!(
            model_from_hf_config(r#"{"model_type": "bert"}"#, "x"),
            Err(HfImportError::UnknownModelType(_))
        ));
        assert_eq!(
            model_from_hf_config(r#"{"hidden_size": 1}"#, "x"),
            Err(HfImportError::MissingFields(vec!["model_type".into()]))
        );
        assert!(matches!(
            model_from_hf_config("[1]", "x"),
            Err(HfImportError::Malformed(_))
        ));
        assert!(matches!(
            model_from_hf_config("{", "x"),
            Err(HfImportError::Malformed(_))
        ));
    }

    #[test]
    fn mha_defaults() {
        let m = model_from_hf_config(
            r#"{"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 64,
                "num_attention_heads": 4, "vocab_size": 100, "intermediate_size": 128}"#,
            "tiny",
        )
        .unwrap();
        assert_eq!(m.kv_heads, 4);
        assert_eq!(m.head_dim, 16);
        assert_eq!(m.name, "tiny");
        assert!(!m.tied_embeddings);
    }

    #[test]
    fn glm4_moe_takes_glm4moeconfig_defaults() {
        // Without n_shared_experts / first_k_dense_replace / head_dim / num_key_value_heads,
        // Glm4MoeConfig's defaults apply: 1 shared expert, 1 dense layer, hidden ÷ heads,
        // kv heads = heads. With them, the config's values.
        let bare = r#"{"model_type": "glm4_moe", "num_hidden_layers": 4, "hidden_size": 64,
            "num_attention_heads": 4, "vocab_size": 100, "intermediate_size": 128,
            "n_routed_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 32}"#;
        let m = model_from_hf_config(bare, "g").unwrap();
        let moe = m.moe.unwrap();
        assert_eq!((moe.shared_experts, moe.dense_layers), (1, 1));
        assert_eq!((m.head_dim, m.kv_heads), (16, 4));
        assert_eq!(m.attention, Attention::Gqa);
        let set = bare.replace(
            r#""moe_intermediate_size": 32"#,
            r#""moe_intermediate_size": 32, "n_shared_experts": 0, "first_k_dense_replace": 3,
               "head_dim": 8, "num_key_value_heads": 2"#,
        );
        let m = model_from_hf_config(&set, "g").unwrap();
        let moe = m.moe.unwrap();
        assert_eq!((moe.shared_experts, moe.dense_layers), (0, 3));
        assert_eq!((m.head_dim, m.kv_heads), (8, 2));
        assert!(SUPPORTED.contains(&"glm4_moe"));
    }

    #[test]
    fn qwen_window_only_when_enabled() {
        let base = r#"{"model_type": "qwen2", "num_hidden_layers": 28, "hidden_size": 64,
            "num_attention_heads": 4, "vocab_size": 100, "intermediate_size": 128,
            "sliding_window": 4096, "max_window_layers": 21, "use_sliding_window": USE}"#;
        let off = model_from_hf_config(&base.replace("USE", "false"), "q").unwrap();
        assert_eq!((off.sliding_window, off.sliding_window_layers), (None, 0));
        let on = model_from_hf_config(&base.replace("USE", "true"), "q").unwrap();
        assert_eq!(
            (on.sliding_window, on.sliding_window_layers),
            (Some(4096), 7)
        );
    }

    fn llama4(extra: &str) -> String {
        format!(
            r#"{{"model_type": "llama4", "text_config": {{"num_hidden_layers": 8,
            "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 100,
            "intermediate_size": 32, "num_local_experts": 4, "num_experts_per_tok": 1{extra}}}}}"#
        )
    }

    #[test]
    fn llama4_defaults_are_scouts_every_layer_moe() {
        // interleave_moe_layer_step defaults to 1: every layer MoE, so intermediate_size_mlp
        // is not needed; chunking defaults to 8192 on all but every 4th layer; kv heads 8 and
        // head_dim 128 are Llama4TextConfig's defaults.
        let m = model_from_hf_config(&llama4(""), "s").unwrap();
        let moe = m.moe.clone().unwrap();
        assert_eq!((moe.dense_layers, moe.shared_experts), (0, 1));
        assert_eq!(m.intermediate_size, 32);
        assert_eq!((m.sliding_window, m.sliding_window_layers), (Some(8192), 6));
        assert_eq!((m.kv_heads, m.head_dim), (8, 128));
        assert!(SUPPORTED.contains(&"llama4") && SUPPORTED.contains(&"llama4_text"));
    }

    #[test]
    fn llama4_interleave_chunks_and_their_limits() {
        // Step 2 needs the dense width; step 4 leaves 8 − 2 = 6 dense layers.
        assert_eq!(
            model_from_hf_config(&llama4(r#", "interleave_moe_layer_step": 2"#), "s"),
            Err(HfImportError::MissingFields(vec![
                "intermediate_size_mlp".into()
            ]))
        );
        let m = model_from_hf_config(
            &llama4(r#", "interleave_moe_layer_step": 4, "intermediate_size_mlp": 96"#),
            "s",
        )
        .unwrap();
        assert_eq!(m.moe.unwrap().dense_layers, 6);
        assert_eq!(m.intermediate_size, 96);
        // A step of 0 is malformed, not a panic.
        assert!(matches!(
            model_from_hf_config(&llama4(r#", "interleave_moe_layer_step": 0"#), "s"),
            Err(HfImportError::Malformed(_))
        ));
        // attention_chunk_size null: no chunking, every layer full attention.
        let full = model_from_hf_config(&llama4(r#", "attention_chunk_size": null"#), "s").unwrap();
        assert_eq!((full.sliding_window, full.sliding_window_layers), (None, 0));
        // layer_types, where given, decide which layers are chunked.
        let typed = model_from_hf_config(
            &llama4(
                r#", "attention_chunk_size": 4096, "layer_types": ["chunked_attention",
                "full_attention", "chunked_attention", "full_attention", "full_attention",
                "full_attention", "full_attention", "full_attention"]"#,
            ),
            "s",
        )
        .unwrap();
        assert_eq!(
            (typed.sliding_window, typed.sliding_window_layers),
            (Some(4096), 2)
        );
        // llama4_text configs carry the fields at the top level.
        let flat = r#"{"model_type": "llama4_text", "num_hidden_layers": 4, "hidden_size": 64,
            "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
            "vocab_size": 100, "intermediate_size": 32, "num_local_experts": 4,
            "num_experts_per_tok": 1, "no_rope_layer_interval": 2}"#;
        let f = model_from_hf_config(flat, "t").unwrap();
        assert_eq!(
            (f.kv_heads, f.head_dim, f.sliding_window_layers),
            (2, 16, 2)
        );
    }

    #[test]
    fn layer_types_give_the_linear_layers() {
        // Qwen3-Next with an explicit layer_types list (the interval is then not used), and
        // MiniMax in the transformers-native form, without attn_type_list.
        let base = r#"{"model_type": "TYPE", "num_hidden_layers": 4, "hidden_size": 64,
            "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "vocab_size": 100,
            "intermediate_size": 128, "moe_intermediate_size": 32, "num_experts": 8,
            "num_local_experts": 8, "num_experts_per_tok": 2, "full_attention_interval": 2,
            "linear_num_key_heads": 2, "linear_num_value_heads": 4, "linear_key_head_dim": 16,
            "linear_value_head_dim": 16,
            "layer_types": ["linear_attention", "linear_attention", "linear_attention", "full_attention"]}"#;
        for t in ["qwen3_next", "minimax"] {
            let m = model_from_hf_config(&base.replace("TYPE", t), "x").unwrap();
            assert_eq!(m.layer_kinds.linear_attention_layers, 3, "{t}");
        }
        let no_list = base.replace("TYPE", "qwen3_next");
        let no_list = no_list
            .split("\"layer_types\"")
            .next()
            .unwrap()
            .trim_end()
            .trim_end_matches(',');
        let m = model_from_hf_config(&format!("{no_list}}}"), "x").unwrap();
        // Every 2nd layer full: 2 of 4 linear.
        assert_eq!(m.layer_kinds.linear_attention_layers, 2);
    }
}
