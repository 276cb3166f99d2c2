//! Import of a Hugging Face `config.json` into a scenario model. Pure: text in, model out.
//!
//! Supported `model_type`s: `llama`, `mistral`, `qwen2`, `qwen3` (dense); `mixtral`,
//! `qwen3_moe`, `qwen2_moe` (MoE); `deepseek_v3`, `kimi_k2` (MoE + MLA); `gpt_oss`;
//! `gemma3` / `gemma3_text` (multimodal configs nest the decoder under `text_config`);
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
    "gpt_oss",
    "gemma3",
    "gemma3_text",
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
    GptOss,
    Gemma3,
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
        "gpt_oss" => Family::GptOss,
        "gemma3" | "gemma3_text" => Family::Gemma3,
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
    let kv_heads = r.opt("num_key_value_heads").unwrap_or(heads);
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
        Family::KimiLinear => {
            let experts = r.req("num_experts");
            let k = r.req("num_experts_per_token");
            let width = r.req("moe_intermediate_size");
            let dense_width = r.req("intermediate_size");
            (
                dense_width,
                Some(Moe {
                    experts: experts as u32,
                    experts_per_token: k as u32,
                    shared_experts: r.opt("num_shared_experts").unwrap_or(0) as u32,
                    expert_intermediate_size: width,
                    dense_layers: r.opt("first_k_dense_replace").unwrap_or(0) as u32,
                }),
            )
        }
        Family::DeepSeek | Family::DeepSeekSparse => {
            let experts = r.req("n_routed_experts");
            let k = r.req("num_experts_per_tok");
            let width = r.req("moe_intermediate_size");
            let dense_width = r.req("intermediate_size");
            (
                dense_width,
                Some(Moe {
                    experts: experts as u32,
                    experts_per_token: k as u32,
                    shared_experts: r.opt("n_shared_experts").unwrap_or(0) as u32,
                    expert_intermediate_size: width,
                    dense_layers: r.opt("first_k_dense_replace").unwrap_or(0) as u32,
                }),
            )
        }
    };

    let (window, window_layers) = sliding(&r, fam, layers);
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
