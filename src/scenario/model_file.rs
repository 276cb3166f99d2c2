//! How a model object in a file becomes a [`ModelSpec`]: a field left out takes the default
//! model's value only when nothing it depends on was given, so no field ever describes
//! another model than the one the file gives.
//!
//! - `total_params`, `active_params`: left out, they are the default model's published
//!   counts only if the file gives none of the shape; otherwise derived from the shape
//!   (`None`). A Llama 2 7B shape without counts costs 6.7B parameters, not 70.6B.
//! - `name`: left out, "Custom model" once the file gives any of the shape.
//! - `kv_heads`: left out, equal to `attention_heads` when that is given (multi-head
//!   attention, as in Hugging Face configs).
//! - `head_dim`: left out, `hidden_size ÷ attention_heads` when either is given; refused
//!   when that is not whole.
//! - `sliding_window_layers`: refused when left out while `sliding_window` is given.
//! - `attention`: refused when left out while an MLA rank is given.
//!
//! - `linear_attention_layers`, the linear state's shape, `sparse_top_k` and the indexer's
//!   shape: absent unless given (one attention kind), like the window; validation asks for
//!   the shape once the layers or the top k are given.
//!
//! MLA ranks, the window and the MoE shape have no default of another model's (they are
//! absent unless given), and MoE's `shared_experts` and `dense_layers` default to 0.

use super::{Attention, LayerKinds, ModelSpec, Moe, Precision};
use serde::{Deserialize, Deserializer};

/// The name of a model given by its shape but not named.
pub const CUSTOM_MODEL_NAME: &str = "Custom model";

/// A model object as written in a file: every field may be left out.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ModelFile {
    #[serde(default, deserialize_with = "given")]
    name: Option<String>,
    #[serde(default, deserialize_with = "given")]
    layers: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    hidden_size: Option<u64>,
    #[serde(default, deserialize_with = "given")]
    intermediate_size: Option<u64>,
    #[serde(default, deserialize_with = "given")]
    attention_heads: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    kv_heads: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    head_dim: Option<u64>,
    #[serde(default, deserialize_with = "given")]
    vocab_size: Option<u64>,
    #[serde(default, deserialize_with = "given")]
    tied_embeddings: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    attention: Option<Attention>,
    #[serde(default)]
    kv_lora_rank: Option<u64>,
    #[serde(default)]
    qk_rope_head_dim: Option<u64>,
    #[serde(default)]
    q_lora_rank: Option<u64>,
    #[serde(default)]
    sliding_window: Option<u64>,
    #[serde(default, deserialize_with = "given")]
    sliding_window_layers: Option<u32>,
    #[serde(default)]
    moe: Option<Moe>,
    #[serde(default, deserialize_with = "given")]
    total_params: Option<Option<f64>>,
    #[serde(default, deserialize_with = "given")]
    active_params: Option<Option<f64>>,
    #[serde(default)]
    linear_attention_layers: u32,
    #[serde(default)]
    linear_key_heads: Option<u32>,
    #[serde(default)]
    linear_value_heads: Option<u32>,
    #[serde(default)]
    linear_key_head_dim: Option<u64>,
    #[serde(default)]
    linear_value_head_dim: Option<u64>,
    #[serde(default)]
    linear_conv_kernel: Option<u64>,
    #[serde(default)]
    linear_state_precision: Option<Precision>,
    #[serde(default)]
    sparse_top_k: Option<u64>,
    #[serde(default)]
    indexer_heads: Option<u32>,
    #[serde(default)]
    indexer_head_dim: Option<u64>,
    #[serde(default)]
    indexer_key_precision: Option<Precision>,
}

/// A field that is present: `Some` of its value (`null` stays an error for plain fields).
fn given<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl ModelFile {
    /// Whether the file gives any field the parameter counts depend on.
    fn gives_shape(&self) -> bool {
        self.layers.is_some()
            || self.hidden_size.is_some()
            || self.intermediate_size.is_some()
            || self.attention_heads.is_some()
            || self.kv_heads.is_some()
            || self.head_dim.is_some()
            || self.vocab_size.is_some()
            || self.tied_embeddings.is_some()
            || self.attention.is_some()
            || self.kv_lora_rank.is_some()
            || self.qk_rope_head_dim.is_some()
            || self.q_lora_rank.is_some()
            || self.moe.is_some()
            || self.linear_attention_layers > 0
            || self.linear_key_heads.is_some()
            || self.linear_value_heads.is_some()
            || self.linear_key_head_dim.is_some()
            || self.linear_value_head_dim.is_some()
            || self.linear_conv_kernel.is_some()
            || self.indexer_heads.is_some()
            || self.indexer_head_dim.is_some()
    }
}

impl TryFrom<ModelFile> for ModelSpec {
    type Error = String;

    fn try_from(f: ModelFile) -> Result<ModelSpec, String> {
        let d = ModelSpec::default();
        let own_shape = f.gives_shape();
        let heads = f.attention_heads.unwrap_or(d.attention_heads);
        let hidden = f.hidden_size.unwrap_or(d.hidden_size);
        let kv_heads = match (f.kv_heads, f.attention_heads) {
            (Some(k), _) => k,
            (None, Some(h)) => h,
            (None, None) => d.kv_heads,
        };
        let head_dim = match f.head_dim {
            Some(h) => h,
            None if f.hidden_size.is_none() && f.attention_heads.is_none() => d.head_dim,
            // No heads: validation names attention_heads.
            None if heads == 0 => 0,
            None if hidden.is_multiple_of(heads as u64) => hidden / heads as u64,
            None => {
                return Err(format!(
                    "head_dim is missing and hidden_size ÷ attention_heads ({hidden} ÷ {heads}) is not a whole number; give head_dim"
                ))
            }
        };
        if f.attention.is_none() && (f.kv_lora_rank.is_some() || f.qk_rope_head_dim.is_some()) {
            return Err(
                "attention is missing but an MLA rank is given; give \"attention\": \"mla\" (or \"gqa\" without the ranks)"
                    .into(),
            );
        }
        let sliding_window_layers = match (f.sliding_window_layers, f.sliding_window) {
            (Some(n), _) => n,
            (None, None) => d.sliding_window_layers,
            (None, Some(w)) => {
                return Err(format!(
                    "sliding_window_layers is missing; give how many layers use the {w}-token sliding window"
                ))
            }
        };
        let (total_params, active_params) = if own_shape {
            (f.total_params.flatten(), f.active_params.flatten())
        } else {
            (
                f.total_params.unwrap_or(d.total_params),
                f.active_params.unwrap_or(d.active_params),
            )
        };
        let name = match f.name {
            Some(n) => n,
            None if own_shape => CUSTOM_MODEL_NAME.into(),
            None => d.name,
        };
        Ok(ModelSpec {
            name,
            layers: f.layers.unwrap_or(d.layers),
            hidden_size: hidden,
            intermediate_size: f.intermediate_size.unwrap_or(d.intermediate_size),
            attention_heads: heads,
            kv_heads,
            head_dim,
            vocab_size: f.vocab_size.unwrap_or(d.vocab_size),
            tied_embeddings: f.tied_embeddings.unwrap_or(d.tied_embeddings),
            attention: f.attention.unwrap_or(d.attention),
            kv_lora_rank: f.kv_lora_rank,
            qk_rope_head_dim: f.qk_rope_head_dim,
            q_lora_rank: f.q_lora_rank,
            sliding_window: f.sliding_window,
            sliding_window_layers,
            moe: f.moe,
            total_params,
            active_params,
            layer_kinds: LayerKinds {
                linear_attention_layers: f.linear_attention_layers,
                linear_key_heads: f.linear_key_heads,
                linear_value_heads: f.linear_value_heads,
                linear_key_head_dim: f.linear_key_head_dim,
                linear_value_head_dim: f.linear_value_head_dim,
                linear_conv_kernel: f.linear_conv_kernel,
                linear_state_precision: f.linear_state_precision,
                sparse_top_k: f.sparse_top_k,
                indexer_heads: f.indexer_heads,
                indexer_head_dim: f.indexer_head_dim,
                indexer_key_precision: f.indexer_key_precision,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Scenario;
    use super::*;
    use crate::model::shape;

    fn model(json: &str) -> Result<ModelSpec, String> {
        Scenario::from_json(&format!(r#"{{"model": {json}}}"#))
            .map(|s| s.model)
            .map_err(|e| e.to_string())
    }

    const LLAMA2_7B: &str = r#"{"name": "Llama 2 7B", "layers": 32, "hidden_size": 4096,
        "intermediate_size": 11008, "attention_heads": 32, "kv_heads": 32, "head_dim": 128,
        "vocab_size": 32000}"#;

    #[test]
    fn a_shape_without_counts_derives_them() {
        let m = model(LLAMA2_7B).unwrap();
        assert_eq!((m.total_params, m.active_params), (None, None));
        let s = Scenario {
            model: m,
            ..Scenario::default()
        };
        let sh = shape(&s);
        assert!((sh.total / 1e9 - 6.74).abs() < 0.01, "{}", sh.total);
        assert_eq!(sh.active, sh.total);
    }

    #[test]
    fn no_shape_keeps_the_default_model() {
        assert_eq!(model("{}"), Ok(ModelSpec::default()));
        let m = model(r#"{"name": "mine", "sliding_window_layers": 0}"#).unwrap();
        assert_eq!(m.total_params, ModelSpec::default().total_params);
        assert_eq!(m.name, "mine");
    }

    #[test]
    fn given_counts_are_kept() {
        let m = model(r#"{"layers": 40, "total_params": 5e10, "active_params": null}"#).unwrap();
        assert_eq!((m.total_params, m.active_params), (Some(5e10), None));
        assert_eq!(m.name, CUSTOM_MODEL_NAME);
    }

    #[test]
    fn heads_imply_kv_heads_and_head_dim() {
        let m = model(r#"{"hidden_size": 2048, "attention_heads": 16}"#).unwrap();
        assert_eq!((m.kv_heads, m.head_dim), (16, 128));
        let m = model(r#"{"hidden_size": 3072, "attention_heads": 24, "kv_heads": 8}"#).unwrap();
        assert_eq!((m.kv_heads, m.head_dim), (8, 128));
        let e = model(r#"{"hidden_size": 1000, "attention_heads": 3}"#).unwrap_err();
        assert!(e.contains("head_dim"), "{e}");
        let e = model(r#"{"attention_heads": 0}"#).unwrap_err();
        assert!(e.starts_with("model.attention_heads"), "{e}");
    }

    #[test]
    fn a_window_needs_its_layers_and_ranks_need_mla() {
        let e = model(r#"{"sliding_window": 4096}"#).unwrap_err();
        assert!(e.contains("sliding_window_layers"), "{e}");
        let e = model(r#"{"kv_lora_rank": 512, "qk_rope_head_dim": 64}"#).unwrap_err();
        assert!(e.contains("attention"), "{e}");
        let m = model(r#"{"attention": "mla", "kv_lora_rank": 512, "qk_rope_head_dim": 64}"#);
        assert!(m.is_ok(), "{m:?}");
    }

    #[test]
    fn null_for_a_plain_field_is_still_an_error() {
        let e = model(r#"{"layers": null}"#).unwrap_err();
        assert!(e.starts_with("model.layers"), "{e}");
        let e = model(r#"{"layerz": 3}"#).unwrap_err();
        assert!(e.starts_with("model.layerz"), "{e}");
    }

    #[test]
    fn layer_kinds_are_checked_by_name() {
        // Linear layers beside the window may not exceed the layers.
        let e = model(
            r#"{"layers": 4, "sliding_window": 128, "sliding_window_layers": 2,
                "linear_attention_layers": 3, "linear_key_heads": 2, "linear_value_heads": 2,
                "linear_key_head_dim": 8, "linear_value_head_dim": 8}"#,
        )
        .unwrap_err();
        assert!(e.starts_with("model.linear_attention_layers"), "{e}");
        assert!(e.contains("(4 − 2), got 3"), "{e}");
        // Linear layers need the state's shape; a top k needs the indexer's.
        let e = model(r#"{"linear_attention_layers": 3, "linear_key_heads": 2}"#).unwrap_err();
        assert!(e.starts_with("model.linear_value_heads"), "{e}");
        let e = model(r#"{"sparse_top_k": 2048, "indexer_heads": 64}"#).unwrap_err();
        assert!(e.starts_with("model.indexer_head_dim"), "{e}");
        let e = model(r#"{"sparse_top_k": 0, "indexer_heads": 64, "indexer_head_dim": 128}"#)
            .unwrap_err();
        assert!(e.starts_with("model.sparse_top_k"), "{e}");
        // A complete one reads back as it was written, and an old file has none.
        let m = model(
            r#"{"linear_attention_layers": 3, "linear_key_heads": 2, "linear_value_heads": 4,
                "linear_key_head_dim": 8, "linear_value_head_dim": 16,
                "linear_state_precision": "fp32", "sparse_top_k": 64, "indexer_heads": 4,
                "indexer_head_dim": 32}"#,
        )
        .unwrap();
        assert_eq!(m.layer_kinds.linear_value_heads, Some(4));
        assert_eq!(
            m.layer_kinds.linear_state_precision,
            Some(super::Precision::Fp32)
        );
        let s = Scenario {
            model: m,
            ..Scenario::default()
        };
        assert_eq!(Scenario::from_json(&s.to_json()), Ok(s));
        assert_eq!(model("{}").unwrap().layer_kinds, LayerKinds::NONE);
        assert!(!Scenario::default().to_json().contains("linear"));
    }
}
