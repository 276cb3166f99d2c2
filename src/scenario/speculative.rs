//! Speculative decoding as the scenario states it: the method (the model's own MTP heads or
//! a draft model), draft tokens per step, the acceptance rate, and the draft model.

use super::{Attention, ModelSpec};
use serde::{Deserialize, Serialize};

/// How draft tokens are proposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeculativeMethod {
    /// The model's own multi-token-prediction head (DeepSeek-V3): about one extra layer
    /// and the LM head per draft token.
    Mtp,
    /// A separate small draft model (a preset id or a dense shape).
    Draft,
}

impl SpeculativeMethod {
    /// `"mtp"` or `"draft"`, as in files and links.
    pub fn name(self) -> &'static str {
        match self {
            SpeculativeMethod::Mtp => "mtp",
            SpeculativeMethod::Draft => "draft",
        }
    }
}

/// A dense GQA draft model given by its shape (parameters derived from it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftShape {
    /// Transformer layers, L.
    pub layers: u32,
    /// Hidden size, d.
    pub hidden_size: u64,
    /// FFN width, d_ff (gated: 3 matrices).
    pub intermediate_size: u64,
    /// Query heads, H.
    pub attention_heads: u32,
    /// KV heads, H_kv.
    pub kv_heads: u32,
    /// Head dimension, d_h.
    pub head_dim: u64,
    /// Vocabulary size, V (the target's: draft and target share a tokenizer).
    pub vocab_size: u64,
    /// Whether the LM head shares the embedding table.
    #[serde(default)]
    pub tied_embeddings: bool,
}

impl DraftShape {
    /// The shape as a model (dense, GQA, parameters derived).
    pub fn model(&self) -> ModelSpec {
        ModelSpec {
            name: "draft model".into(),
            layers: self.layers,
            hidden_size: self.hidden_size,
            intermediate_size: self.intermediate_size,
            attention_heads: self.attention_heads,
            kv_heads: self.kv_heads,
            head_dim: self.head_dim,
            vocab_size: self.vocab_size,
            tied_embeddings: self.tied_embeddings,
            attention: Attention::Gqa,
            kv_lora_rank: None,
            qk_rope_head_dim: None,
            q_lora_rank: None,
            sliding_window: None,
            sliding_window_layers: 0,
            moe: None,
            total_params: None,
            active_params: None,
            layer_kinds: super::LayerKinds::NONE,
        }
    }
}

/// The draft model of [`SpeculativeMethod::Draft`]: a model preset id, or a shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DraftModel {
    /// A model preset id (`llama-3.1-8b`).
    Preset(String),
    /// A dense shape.
    Shape(DraftShape),
}

/// Speculative decoding: k draft tokens proposed per step, verified by one target step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speculative {
    /// MTP heads or a draft model.
    pub method: SpeculativeMethod,
    /// Draft tokens proposed per target step, k ≥ 1.
    pub draft_tokens: u32,
    /// Per-position acceptance rate a ∈ [0, 1]: the chance a draft token is accepted given
    /// every earlier one was (Leviathan et al. 2023's α; DeepSeek-V3 reports 0.85–0.9 for
    /// its second token).
    pub acceptance_rate: f64,
    /// The draft model (method `draft` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_model: Option<DraftModel>,
}

impl Speculative {
    /// What switching speculation on starts from: one MTP head at DeepSeek-V3's reported
    /// acceptance (85%, the low end of its 85–90%).
    pub const MTP_START: Speculative = Speculative {
        method: SpeculativeMethod::Mtp,
        draft_tokens: 1,
        acceptance_rate: 0.85,
        draft_model: None,
    };
}
