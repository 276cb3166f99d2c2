//! The "why" of a model's attention kinds: one sentence per layer group (full, sliding
//! window, linear, sparse top-k) with this setup's numbers.

use super::*;
use crate::model::{
    decode_cache_reads, indexer_flops_per_token, indexer_key_bytes, kv_bytes_per_layer_token,
    layer_groups, linear_flops_per_token_layer, linear_state_bytes_per_layer,
    linear_state_precision,
};

/// The layer groups of a model with linear-attention layers or sparse attention (`None`
/// otherwise: full attention and a sliding window are explained as before).
pub(super) fn attention_kinds_why(s: &Scenario, e: &Evaluation) -> Option<Why> {
    let m = &s.model;
    let k = &m.layer_kinds;
    let g = layer_groups(m);
    if g.linear == 0.0 && k.sparse_top_k.is_none() {
        return None;
    }
    let b = s.workload.batch_size as f64;
    let ctx = e.context;
    let per_layer = kv_bytes_per_layer_token(s);
    let reads = decode_cache_reads(s, ctx);
    let t = &e.decode.terms;
    let mut lines = vec![format!(
        "{} layers = {} full attention + {} sliding window + {} linear attention.",
        m.layers,
        f::integer(g.full),
        f::integer(g.window),
        f::integer(g.linear)
    )];
    match k.sparse_top_k {
        None => lines.push(format!(
            "Full attention ({} layers): {} of KV per token per layer, all {} tokens read each step, KV and FLOPs growing with the context.",
            f::integer(g.full),
            f::bytes(per_layer),
            f::integer(ctx)
        )),
        Some(top) => {
            let idx = indexer_key_bytes(s);
            lines.push(format!(
                "Sparse attention ({} full layers): the indexer ({} heads × {}) reads a {} key of every one of the {} cached tokens and scores it ({} per token per step, {} per token of the batch), then attention reads and computes over the top min(S, k) = {} tokens only: KV read {} per sequence instead of {}, index keys {} per sequence.",
                f::integer(g.full),
                k.indexer_heads.unwrap_or(0),
                k.indexer_head_dim.unwrap_or(0),
                f::bytes(idx),
                f::integer(ctx),
                f::flops(indexer_flops_per_token(s, ctx)),
                f::seconds(t.indexer_compute_seconds / b.max(1.0)),
                f::integer(ctx.min(top as f64)),
                f::bytes(reads.kv),
                f::bytes(per_layer * g.full * ctx + per_layer * g.window * ctx.min(m.sliding_window.map_or(ctx, |w| w as f64))),
                f::bytes(reads.indexer)
            ));
        }
    }
    if g.window > 0.0 {
        if let Some(w) = m.sliding_window {
            lines.push(format!(
                "Sliding window ({} layers): at most {} tokens held and read, {} per sequence whatever the context beyond it.",
                f::integer(g.window),
                f::integer(w as f64),
                f::bytes(per_layer * g.window * ctx.min(w as f64))
            ));
        }
    }
    if g.linear > 0.0 {
        let state = linear_state_bytes_per_layer(s);
        lines.push(format!(
            "Linear attention ({} layers): a fixed state of {} value heads × {} × {} at {} (plus the short convolution's last inputs) = {} per sequence per layer, {} per sequence, read and written back each step ({} for the batch, {}); {} per token per layer whatever the context.",
            f::integer(g.linear),
            k.linear_value_heads.unwrap_or(0),
            k.linear_key_head_dim.unwrap_or(0),
            k.linear_value_head_dim.unwrap_or(0),
            linear_state_precision(s),
            f::bytes(state),
            f::bytes(state * g.linear),
            f::bytes(t.linear_state_bytes),
            f::seconds(t.linear_state_seconds),
            f::flops(linear_flops_per_token_layer(s))
        ));
    }
    Some(Why {
        metric: "capacity.kv_bytes_per_sequence",
        title: "Attention kinds",
        lines,
    })
}
