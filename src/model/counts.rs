//! The model's shape reduced to counts: parameters (derived or published), KV bytes per
//! token and per sequence, experts touched, attention FLOPs per decode token.

use crate::scenario::{Attention, ModelSpec, Precision, Scenario};

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
    let groups = layer_groups(m);
    // Attention weights per layer over the layers: softmax attention (and, on the full
    // layers of a sparse model, the indexer) on the attention layers, the linear layers'
    // projections on the rest.
    let attn_all = (groups.full + groups.window) * attn
        + groups.full * indexer_params(m)
        + groups.linear * linear_layer_params(m);
    let dense_mlp = 3.0 * d * m.intermediate_size as f64;
    let embed = m.vocab_size as f64 * d;
    let heads = if m.tied_embeddings {
        embed
    } else {
        2.0 * embed
    };
    match &m.moe {
        None => {
            let t = attn_all + l * dense_mlp + heads;
            (t, t)
        }
        Some(moe) => {
            let dense_l = moe.dense_layers as f64;
            let moe_l = l - dense_l;
            let pe = 3.0 * d * moe.expert_intermediate_size as f64;
            let router = d * moe.experts as f64;
            let base = attn_all
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

/// Weights of one linear-attention layer: d·(2·H_k·d_k + 2·H_v·d_v) (queries, keys, values
/// and the output gate) + 2·d·H_v (per-head decay and β gates) + H_v·d_v·d (output) +
/// K·(2·H_k·d_k + H_v·d_v) (the short convolution), parameters. Kimi Delta Attention's
/// low-rank gates are counted as this full-rank output gate (a few % of the layer).
fn linear_layer_params(m: &ModelSpec) -> f64 {
    let k = &m.layer_kinds;
    let d = m.hidden_size as f64;
    let hk = k.linear_key_heads.unwrap_or(0) as f64 * k.linear_key_head_dim.unwrap_or(0) as f64;
    let hv = k.linear_value_heads.unwrap_or(0) as f64 * k.linear_value_head_dim.unwrap_or(0) as f64;
    let conv = k.linear_conv_kernel.unwrap_or(0) as f64 * (2.0 * hk + hv);
    d * (2.0 * hk + 2.0 * hv) + 2.0 * d * k.linear_value_heads.unwrap_or(0) as f64 + hv * d + conv
}

/// Weights of one layer's indexer (0 without one): queries from the compressed query
/// (r_q·H_I·d_I, or d·H_I·d_I without query compression), one key d·d_I, and the per-head
/// weights d·H_I, parameters.
fn indexer_params(m: &ModelSpec) -> f64 {
    let k = &m.layer_kinds;
    if k.sparse_top_k.is_none() {
        return 0.0;
    }
    let d = m.hidden_size as f64;
    let (hi, di) = (
        k.indexer_heads.unwrap_or(0) as f64,
        k.indexer_head_dim.unwrap_or(0) as f64,
    );
    let q_in = m.q_lora_rank.map_or(d, |r| r as f64);
    q_in * hi * di + d * di + d * hi
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

/// How many layers of each attention kind the model has, layers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerGroups {
    /// Full-attention layers (GQA/MLA; sparse top-k when the model has an indexer):
    /// L − L_window − L_linear.
    pub full: f64,
    /// Sliding-window layers, L_window.
    pub window: f64,
    /// Linear-attention layers (a fixed state per sequence), L_linear.
    pub linear: f64,
}

/// The model's layer groups: windowed min(L_window, L), linear min(L_linear, L − windowed),
/// the rest full, layers.
pub fn layer_groups(m: &ModelSpec) -> LayerGroups {
    let windowed = m.sliding_window_layers.min(m.layers);
    let linear = m
        .layer_kinds
        .linear_attention_layers
        .min(m.layers - windowed);
    LayerGroups {
        full: (m.layers - windowed - linear) as f64,
        window: windowed as f64,
        linear: linear as f64,
    }
}

/// KV bytes per token over all layers, windows ignored: Σ 2·H_kv·d_h·b_kv (GQA) or
/// (r + d_r)·b_kv (MLA) over the attention layers (linear layers hold no KV), plus the
/// indexer's key on each full-attention layer of a sparse model.
pub fn kv_bytes_per_token(s: &Scenario) -> f64 {
    let g = layer_groups(&s.model);
    kv_bytes_per_layer_token(s) * (g.full + g.window) + indexer_key_bytes(s) * g.full
}

/// KV bytes one token occupies in one attention layer.
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

/// Bytes of one cached index key of a sparse model (0 without an indexer): d_I·b_I, plus a
/// 4-byte fp32 scale per 128 elements when b_I ≤ 1 byte (DeepSeek-V3.2: 128 + 4), bytes.
pub fn indexer_key_bytes(s: &Scenario) -> f64 {
    let k = &s.model.layer_kinds;
    if k.sparse_top_k.is_none() {
        return 0.0;
    }
    let dim = k.indexer_head_dim.unwrap_or(0) as f64;
    let b = k
        .indexer_key_precision
        .unwrap_or(s.precision.kv_cache)
        .bytes();
    let scales = if b <= 1.0 {
        (dim / 128.0).ceil() * 4.0
    } else {
        0.0
    };
    dim * b + scales
}

/// The precision of the linear-attention state: its own, else the KV cache's.
pub fn linear_state_precision(s: &Scenario) -> Precision {
    s.model
        .layer_kinds
        .linear_state_precision
        .unwrap_or(s.precision.kv_cache)
}

/// Width of the short convolution's input in one linear layer, 2·H_k·d_k + H_v·d_v
/// (queries, keys and values), elements.
fn linear_conv_width(s: &Scenario) -> f64 {
    let k = &s.model.layer_kinds;
    2.0 * k.linear_key_heads.unwrap_or(0) as f64 * k.linear_key_head_dim.unwrap_or(0) as f64
        + k.linear_value_heads.unwrap_or(0) as f64 * k.linear_value_head_dim.unwrap_or(0) as f64
}

/// State one sequence holds in one linear-attention layer, whatever its context:
/// H_v·d_k·d_v·b_s (the recurrent state) + (K − 1)·(2·H_k·d_k + H_v·d_v)·b_s (the short
/// convolution's last K − 1 inputs), bytes.
pub fn linear_state_bytes_per_layer(s: &Scenario) -> f64 {
    let k = &s.model.layer_kinds;
    let b = linear_state_precision(s).bytes();
    let recurrent = k.linear_value_heads.unwrap_or(0) as f64
        * k.linear_key_head_dim.unwrap_or(0) as f64
        * k.linear_value_head_dim.unwrap_or(0) as f64;
    let conv = k.linear_conv_kernel.unwrap_or(0).saturating_sub(1) as f64 * linear_conv_width(s);
    (recurrent + conv) * b
}

/// State one sequence holds over all linear layers: L_linear × the layer's state, bytes.
pub fn linear_state_bytes_per_sequence(s: &Scenario) -> f64 {
    layer_groups(&s.model).linear * linear_state_bytes_per_layer(s)
}

/// FLOPs of one token in one linear-attention layer, independent of the context:
/// 6·H_v·d_k·d_v (the delta rule's read-out of the state by the key, its rank-one update and
/// the query's read-out, 2·d_k·d_v each; lightning attention has no first term, so this
/// overstates its tiny cost by a third) + 2·K·(2·H_k·d_k + H_v·d_v) (the short convolution).
pub fn linear_flops_per_token_layer(s: &Scenario) -> f64 {
    let k = &s.model.layer_kinds;
    let state = k.linear_value_heads.unwrap_or(0) as f64
        * k.linear_key_head_dim.unwrap_or(0) as f64
        * k.linear_value_head_dim.unwrap_or(0) as f64;
    6.0 * state + 2.0 * k.linear_conv_kernel.unwrap_or(0) as f64 * linear_conv_width(s)
}

/// The top k of a sparse model, tokens (∞ for dense attention).
pub fn sparse_top_k(s: &Scenario) -> f64 {
    s.model
        .layer_kinds
        .sparse_top_k
        .map_or(f64::INFINITY, |k| k as f64)
}

/// Cache bytes that grow with the context, one sequence at context `ctx`: sliding-window
/// layers hold min(ctx, W) tokens, full layers ctx tokens (and their index keys).
pub fn context_kv_bytes(s: &Scenario, ctx: f64) -> f64 {
    let m = &s.model;
    let per_layer = kv_bytes_per_layer_token(s);
    let g = layer_groups(m);
    let w = m.sliding_window.map(|w| w as f64).unwrap_or(ctx);
    per_layer * (g.full * ctx + g.window * ctx.min(w)) + indexer_key_bytes(s) * g.full * ctx
}

/// KV bytes one sequence holds at context `ctx`: the context's KV (sliding-window layers
/// hold min(ctx, W)) and index keys, plus the linear layers' fixed state, bytes.
pub fn kv_bytes_per_sequence(s: &Scenario, ctx: f64) -> f64 {
    context_kv_bytes(s, ctx) + linear_state_bytes_per_sequence(s)
}

/// What one decode step reads from the cache for one sequence at context `ctx`, bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CacheReads {
    /// KV of the attention layers: full layers min(ctx, k) tokens (all ctx when dense),
    /// windowed layers min(ctx, W).
    pub kv: f64,
    /// Index keys the indexer scores: every cached token on each full layer.
    pub indexer: f64,
    /// The linear layers' state, read and written back: 2 × L_linear × the layer's state.
    pub state: f64,
}

/// Bytes a decode step reads per sequence for each further token of context, windows
/// ignored: KV of every attention layer, but of a sparse model only its index keys (its
/// full layers' KV reads stop at k), bytes.
pub fn read_bytes_per_context_token(s: &Scenario) -> f64 {
    let g = layer_groups(&s.model);
    if s.model.layer_kinds.sparse_top_k.is_some() {
        kv_bytes_per_layer_token(s) * g.window + indexer_key_bytes(s) * g.full
    } else {
        kv_bytes_per_token(s)
    }
}

/// The cache reads of one decode step for one sequence at context `ctx` (see
/// [`CacheReads`]), bytes.
pub fn decode_cache_reads(s: &Scenario, ctx: f64) -> CacheReads {
    let m = &s.model;
    let g = layer_groups(m);
    let w = m.sliding_window.map(|w| w as f64).unwrap_or(ctx);
    let k = sparse_top_k(s);
    CacheReads {
        kv: kv_bytes_per_layer_token(s) * (g.full * ctx.min(k) + g.window * ctx.min(w)),
        indexer: indexer_key_bytes(s) * g.full * ctx,
        state: 2.0 * linear_state_bytes_per_sequence(s),
    }
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
/// 4·S·H·d_h per layer (MLA absorbed: 2·S·H·(2r + d_r)); windowed layers see min(S, W),
/// sparse full layers min(S, k); linear layers add their fixed per-token FLOPs. The
/// indexer's scoring is apart ([`indexer_flops_per_token`]).
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
    let g = layer_groups(m);
    let w = m.sliding_window.map(|w| w as f64).unwrap_or(ctx);
    let k = sparse_top_k(s);
    per_ctx * (g.full * ctx.min(k) + g.window * ctx.min(w))
        + g.linear * linear_flops_per_token_layer(s)
}

/// The indexer's FLOPs for one decode token at context `ctx` (0 without one): it scores
/// every cached token on each full layer, 2·S·H_I·d_I per layer.
pub fn indexer_flops_per_token(s: &Scenario, ctx: f64) -> f64 {
    let k = &s.model.layer_kinds;
    if k.sparse_top_k.is_none() {
        return 0.0;
    }
    let hd = k.indexer_heads.unwrap_or(0) as f64 * k.indexer_head_dim.unwrap_or(0) as f64;
    2.0 * ctx * hd * layer_groups(&s.model).full
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::presets::{hardware_preset, model_preset};
    use crate::model::{evaluate, step_parts::StepParts};
    use crate::scenario::{LayerKinds, Precision};

    fn preset(id: &str) -> Scenario {
        Scenario {
            model: model_preset(id).unwrap().spec.clone(),
            ..Scenario::default()
        }
    }

    const CONTEXTS: [f64; 3] = [1024.0, 131_072.0, 1_048_576.0];

    #[test]
    fn gated_deltanet_state_is_fixed_per_sequence() {
        // Qwen3-Next: 12 full layers × 2·2·256·2 B = 24,576 B per token; 36 Gated DeltaNet
        // layers × (32·128·128 + 3·(2·16·128 + 32·128))·2 B = 36 × 1,097,728 B.
        let s = preset("qwen3-next-80b-a3b");
        assert_eq!(kv_bytes_per_token(&s), 24_576.0);
        assert_eq!(linear_state_bytes_per_layer(&s), 1_097_728.0);
        assert_eq!(linear_state_bytes_per_sequence(&s), 39_518_208.0);
        for ctx in CONTEXTS {
            assert_eq!(
                kv_bytes_per_sequence(&s, ctx),
                24_576.0 * ctx + 39_518_208.0
            );
        }
        // A step reads the full layers' KV and reads and writes the state.
        let r = decode_cache_reads(&s, 131_072.0);
        assert_eq!(r.kv, 24_576.0 * 131_072.0);
        assert_eq!((r.indexer, r.state), (0.0, 2.0 * 39_518_208.0));
        // fp8 KV shrinks the KV, not the state, held at its own bf16.
        let mut f = s.clone();
        f.precision.kv_cache = Precision::Fp8;
        assert_eq!(
            kv_bytes_per_sequence(&f, 1024.0),
            12_288.0 * 1024.0 + 39_518_208.0
        );
    }

    #[test]
    fn lightning_attention_state_in_fp32() {
        // MiniMax-Text-01: 10 softmax layers × 2·8·128·2 B = 40,960 B per token; 70 lightning
        // layers × 64·128·128·4 B (fp32, no convolution) = 70 × 4,194,304 B.
        let s = preset("minimax-text-01");
        assert_eq!(kv_bytes_per_token(&s), 40_960.0);
        assert_eq!(linear_state_bytes_per_sequence(&s), 293_601_280.0);
        for ctx in CONTEXTS {
            assert_eq!(
                kv_bytes_per_sequence(&s, ctx),
                40_960.0 * ctx + 293_601_280.0
            );
        }
        // 6·64·128·128 FLOPs per token per lightning layer, whatever the context.
        assert_eq!(linear_flops_per_token_layer(&s), 6_291_456.0);
    }

    #[test]
    fn kda_with_mla_layers() {
        // Kimi Linear: 7 MLA layers × (512 + 64)·2 B = 8,064 B per token; 20 KDA layers ×
        // (32·128·128 + 3·(3·32·128))·2 B = 20 × 1,122,304 B.
        let s = preset("kimi-linear-48b-a3b");
        assert_eq!(kv_bytes_per_token(&s), 8_064.0);
        assert_eq!(linear_state_bytes_per_layer(&s), 1_122_304.0);
        for ctx in CONTEXTS {
            assert_eq!(
                kv_bytes_per_sequence(&s, ctx),
                8_064.0 * ctx + 20.0 * 1_122_304.0
            );
        }
    }

    #[test]
    fn sparse_attention_reads_k_tokens_but_indexes_all() {
        // DeepSeek-V3.2: 61 layers × (512 + 64)·2 B of latent plus a 128-byte fp8 index key
        // and its 4-byte scale per token per layer.
        let s = preset("deepseek-v3.2-exp");
        assert_eq!(indexer_key_bytes(&s), 132.0);
        assert_eq!(kv_bytes_per_token(&s), 61.0 * (1152.0 + 132.0));
        for ctx in CONTEXTS {
            assert_eq!(kv_bytes_per_sequence(&s, ctx), 61.0 * 1284.0 * ctx);
        }
        let mut last = decode_cache_reads(&s, 2048.0);
        assert_eq!(last.kv, 61.0 * 1152.0 * 2048.0);
        for ctx in [4096.0, 131_072.0, 1_048_576.0] {
            let r = decode_cache_reads(&s, ctx);
            // The KV read stops at k; the indexer's keeps growing with the context.
            assert_eq!(r.kv, last.kv);
            assert_eq!(r.indexer, 61.0 * 132.0 * ctx);
            assert!(r.indexer > last.indexer);
            last = r;
        }
        // FLOPs: MLA absorbed over min(S, k) = 2·128·(2·512 + 64) per token; the indexer
        // 2·64·128 per cached token, per layer.
        let ctx = 131_072.0;
        assert_eq!(
            decode_attention_flops_per_token(&s, ctx),
            61.0 * 278_528.0 * 2048.0
        );
        assert_eq!(indexer_flops_per_token(&s, ctx), 61.0 * 16_384.0 * ctx);
    }

    #[test]
    fn kinds_reduce_to_the_simpler_models() {
        let dense = preset("deepseek-v3");
        let mut sparse = dense.clone();
        sparse.model.layer_kinds.sparse_top_k = Some(1 << 20);
        sparse.model.layer_kinds.indexer_heads = Some(64);
        sparse.model.layer_kinds.indexer_head_dim = Some(128);
        // k at or beyond the context: the same KV reads and attention as dense attention.
        for ctx in [1024.0, 1_048_576.0] {
            assert_eq!(
                decode_cache_reads(&sparse, ctx).kv,
                decode_cache_reads(&dense, ctx).kv
            );
            assert_eq!(
                decode_attention_flops_per_token(&sparse, ctx),
                decode_attention_flops_per_token(&dense, ctx)
            );
            assert_eq!(
                decode_cache_reads(&dense, ctx).kv,
                kv_bytes_per_sequence(&dense, ctx)
            );
        }
        // A linear-attention shape on no layers changes nothing.
        let mut none = Scenario::default();
        let q = preset("qwen3-next-80b-a3b").model.layer_kinds;
        none.model.layer_kinds = LayerKinds {
            linear_attention_layers: 0,
            ..q
        };
        let plain = Scenario::default();
        assert_eq!(
            kv_bytes_per_sequence(&none, 4096.0),
            kv_bytes_per_sequence(&plain, 4096.0)
        );
        assert_eq!(derived_params(&none), derived_params(&plain));
    }

    #[test]
    fn a_linear_layer_costs_the_same_at_any_context() {
        // All 48 of Qwen3-Next's layers linear: nothing of the step grows with the context.
        let mut s = preset("qwen3-next-80b-a3b");
        s.model.layer_kinds.linear_attention_layers = s.model.layers;
        let at = |ctx| {
            (
                decode_cache_reads(&s, ctx),
                decode_attention_flops_per_token(&s, ctx),
            )
        };
        assert_eq!(at(1024.0), at(1_048_576.0));
        assert_eq!(at(1024.0).0.kv, 0.0);
        let mut e = |ctx| {
            s.workload.context_length = Some(ctx);
            evaluate(&s).unwrap().decode.step_seconds
        };
        assert_eq!(e(1024), e(1_048_576));
    }

    /// DeepSeek-V3.2 against DeepSeek-V3 at 128k on 8 × H200: the KV-related reads of a
    /// step (KV, plus V3.2's index keys) fall by
    /// 1152·S ÷ (1152·k + 132·S) = 1152·131072 ÷ (1152·2048 + 132·131072) ≈ 7.68.
    #[test]
    fn sparse_attention_cuts_kv_time_by_the_formula() {
        let at = |id: &str| {
            let mut s = preset(id);
            s.hardware = hardware_preset("h200-sxm").unwrap().spec.clone();
            s.chips = 8;
            s.workload.batch_size = 16;
            s.workload.context_length = Some(131_072);
            let p = StepParts::of(&evaluate(&s).unwrap().decode);
            p.kv + p.indexer
        };
        let (v3, v32) = (at("deepseek-v3"), at("deepseek-v3.2-exp"));
        let factor: f64 = 1152.0 * 131_072.0 / (1152.0 * 2048.0 + 132.0 * 131_072.0);
        assert!((factor - 7.68).abs() < 0.01, "{factor}");
        assert!((v3 / v32 / factor - 1.0).abs() < 1e-12, "{v3} / {v32}");
    }
}
