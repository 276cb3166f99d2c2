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
                "Sparse attention ({} full layers): the indexer ({} heads × {}) reads a {} key of every one of the {} cached tokens and scores it ({} per token, {} of math for the step), then attention reads and computes over the top min(S, k) = {} tokens only: KV read {} per sequence instead of {}, index keys {} per sequence.",
                f::integer(g.full),
                k.indexer_heads.unwrap_or(0),
                k.indexer_head_dim.unwrap_or(0),
                f::bytes(idx),
                f::integer(ctx),
                f::flops(indexer_flops_per_token(s, ctx)),
                f::seconds(t.indexer_compute_seconds),
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

#[cfg(test)]
mod tests {
    use crate::catalogue::presets::model_preset;
    use crate::explain::explain;
    use crate::model::evaluate;
    use crate::scenario::Scenario;

    fn kinds(id: &str, ctx: u64) -> Option<Vec<String>> {
        let mut s = Scenario {
            model: model_preset(id).unwrap().spec.clone(),
            ..Scenario::default()
        };
        s.workload.context_length = Some(ctx);
        let e = evaluate(&s).unwrap();
        explain(&s, &e)
            .into_iter()
            .find(|w| w.title == "Attention kinds")
            .map(|w| w.lines)
    }

    #[test]
    fn each_group_is_one_sentence_with_its_numbers() {
        let v32 = kinds("deepseek-v3.2-exp", 131_072).unwrap();
        assert_eq!(
            v32[0],
            "61 layers = 61 full attention + 0 sliding window + 0 linear attention."
        );
        let sparse = &v32[1];
        assert!(sparse.contains("64 heads × 128"), "{sparse}");
        assert!(sparse.contains("min(S, k) = 2,048 tokens"), "{sparse}");
        assert!(sparse.contains("131,072 cached tokens"), "{sparse}");
        let q = kinds("qwen3-next-80b-a3b", 4096).unwrap();
        assert_eq!(
            q[0],
            "48 layers = 12 full attention + 0 sliding window + 36 linear attention."
        );
        let linear = q.last().unwrap();
        assert!(
            linear.contains("32 value heads × 128 × 128 at bf16"),
            "{linear}"
        );
        assert!(linear.contains("36 layers"), "{linear}");
        // One attention kind (a window included) keeps the panel as it was.
        assert_eq!(kinds("deepseek-v3", 4096), None);
        assert_eq!(kinds("gemma-3-27b", 4096), None);
    }
}
