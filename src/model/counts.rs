//! The model's shape reduced to counts: parameters (derived or published), KV bytes per
//! token and per sequence, experts touched, attention FLOPs per decode token.

use crate::scenario::{Attention, Scenario};

/// The model's shape reduced to the counts the formulas need.
#[derive(Clone, Debug)]
pub struct Shape {
    /// Embedding table V·d (not read by decode when untied).
    pub embedding: f64,
    /// Parameters of one routed expert, 3·d·d_e (0 for dense).
    pub expert: f64,
    /// Layers with routed experts.
    pub moe_layers: f64,
    /// Routed experts per MoE layer, E.
    pub experts: f64,
    /// Routed experts per token, k.
    pub experts_per_token: f64,
    /// Parameters read every step whatever the routing, LM head included, embedding
    /// lookup excluded.
    pub always_read: f64,
    /// Total parameters (published or derived).
    pub total: f64,
    /// Active parameters (published or derived).
    pub active: f64,
    /// Parameters multiplied per token (active less an untied embedding table).
    pub active_matmul: f64,
}

/// Parameters derived from the shape alone: (total, active), embedding and LM head included.
pub fn derived_params(s: &Scenario) -> (f64, f64) {
    let m = &s.model;
    let d = m.hidden_size as f64;
    let l = m.layers as f64;
    let h = m.attention_heads as f64;
    let dh = m.head_dim as f64;
    let attn = match m.attention {
        Attention::Gqa => {
            let kv = m.kv_heads as f64;
            d * h * dh + 2.0 * d * kv * dh + h * dh * d
        }
        // MLA: W_q d·H·d_h, or with query compression W_q_a d·r_q + W_q_b r_q·H·d_h;
        // W_kv_a d·(r + d_r), W_kv_b r·H·(d_h − d_r + d_v) with d_v = d_h − d_r,
        // W_o H·d_v·d. (Norm weights, a few thousand per layer, are left out.)
        Attention::Mla => {
            let r = m.kv_lora_rank.unwrap_or(0) as f64;
            let dr = m.qk_rope_head_dim.unwrap_or(0) as f64;
            let dv = (dh - dr).max(0.0);
            let w_q = match m.q_lora_rank {
                Some(rq) => d * rq as f64 + rq as f64 * h * dh,
                None => d * h * dh,
            };
            w_q + d * (r + dr) + r * h * ((dh - dr).max(0.0) + dv) + h * dv * d
        }
    };
    let dense_mlp = 3.0 * d * m.intermediate_size as f64;
    let embed = m.vocab_size as f64 * d;
    let heads = if m.tied_embeddings {
        embed
    } else {
        2.0 * embed
    };
    match &m.moe {
        None => {
            let t = l * (attn + dense_mlp) + heads;
            (t, t)
        }
        Some(moe) => {
            let dense_l = moe.dense_layers as f64;
            let moe_l = l - dense_l;
            let pe = 3.0 * d * moe.expert_intermediate_size as f64;
            let router = d * moe.experts as f64;
            let base = l * attn
                + dense_l * dense_mlp
                + moe_l * (router + moe.shared_experts as f64 * pe)
                + heads;
            (
                base + moe_l * moe.experts as f64 * pe,
                base + moe_l * moe.experts_per_token as f64 * pe,
            )
        }
    }
}

/// Reduces the scenario's model to the parameter counts the formulas need.
pub fn shape(s: &Scenario) -> Shape {
    let m = &s.model;
    let (dt, da) = derived_params(s);
    let total = m.total_params.unwrap_or(dt);
    let active = m
        .active_params
        .unwrap_or(if m.total_params.is_some() && m.moe.is_none() {
            total
        } else {
            da
        });
    let embedding = m.vocab_size as f64 * m.hidden_size as f64;
    let (expert, moe_layers, experts, k) = match &m.moe {
        Some(moe) => (
            3.0 * m.hidden_size as f64 * moe.expert_intermediate_size as f64,
            (m.layers - moe.dense_layers.min(m.layers)) as f64,
            moe.experts as f64,
            moe.experts_per_token as f64,
        ),
        None => (0.0, 0.0, 0.0, 0.0),
    };
    let lookup_only = if m.tied_embeddings { 0.0 } else { embedding };
    let always_read = (total - moe_layers * experts * expert - lookup_only).max(0.0);
    let active_matmul = (active - lookup_only).max(0.0);
    Shape {
        embedding,
        expert,
        moe_layers,
        experts,
        experts_per_token: k,
        always_read,
        total,
        active,
        active_matmul,
    }
}

/// KV bytes per token over all layers, windows ignored: Σ 2·H_kv·d_h·b_kv (GQA) or
/// (r + d_r)·b_kv (MLA).
pub fn kv_bytes_per_token(s: &Scenario) -> f64 {
    kv_bytes_per_layer_token(s) * s.model.layers as f64
}

/// KV bytes one token occupies in one layer.
pub fn kv_bytes_per_layer_token(s: &Scenario) -> f64 {
    let m = &s.model;
    let b = s.precision.kv_cache.bytes();
    match m.attention {
        Attention::Gqa => 2.0 * m.kv_heads as f64 * m.head_dim as f64 * b,
        Attention::Mla => {
            (m.kv_lora_rank.unwrap_or(0) + m.qk_rope_head_dim.unwrap_or(0)) as f64 * b
        }
    }
}

/// KV bytes one sequence holds at context `ctx`: sliding-window layers hold min(ctx, W).
pub fn kv_bytes_per_sequence(s: &Scenario, ctx: f64) -> f64 {
    let m = &s.model;
    let per_layer = kv_bytes_per_layer_token(s);
    let windowed = m.sliding_window_layers.min(m.layers) as f64;
    let full = m.layers as f64 - windowed;
    let w = m.sliding_window.map(|w| w as f64).unwrap_or(ctx);
    per_layer * (full * ctx + windowed * ctx.min(w))
}

/// Expected routed experts touched per MoE layer by `tokens` tokens: E·(1 − (1 − k/E)^B).
pub fn experts_touched(experts: f64, k: f64, tokens: f64) -> f64 {
    if experts <= 0.0 {
        return 0.0;
    }
    let p_miss = (1.0 - k / experts).max(0.0);
    experts * (1.0 - p_miss.powf(tokens))
}

/// Attention FLOPs of one decode token at context `ctx` over all layers:
/// 4·S·H·d_h per layer (MLA absorbed: 2·S·H·(2r + d_r)); windowed layers see min(S, W).
pub fn decode_attention_flops_per_token(s: &Scenario, ctx: f64) -> f64 {
    let m = &s.model;
    let h = m.attention_heads as f64;
    let per_ctx = match m.attention {
        Attention::Gqa => 4.0 * h * m.head_dim as f64,
        Attention::Mla => {
            let r = m.kv_lora_rank.unwrap_or(0) as f64;
            let dr = m.qk_rope_head_dim.unwrap_or(0) as f64;
            2.0 * h * (2.0 * r + dr)
        }
    };
    let windowed = m.sliding_window_layers.min(m.layers) as f64;
    let full = m.layers as f64 - windowed;
    let w = m.sliding_window.map(|w| w as f64).unwrap_or(ctx);
    per_ctx * (full * ctx + windowed * ctx.min(w))
}
