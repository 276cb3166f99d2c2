//! The decode step's formula and the mechanisms behind each part of it.

use super::*;

/// The step as its formula: one roofline over all reads and math, or (attention apart) a
/// roofline per phase.
pub(super) fn step_line(d: &crate::model::Decode) -> String {
    let t = &d.terms;
    if t.attention_apart {
        let g = t.gemm_seconds + t.padding_seconds + t.imbalance_seconds + t.dequant_seconds;
        format!(
            "step = max(weights {}, GEMMs {}) + max(KV {}, attention {}) + communication {} + overheads {} = {}",
            f::seconds(t.weight_read_seconds),
            f::seconds(g),
            f::seconds(t.kv_read_seconds),
            f::seconds(t.attention_compute_seconds),
            f::seconds(d.comm_seconds),
            f::seconds(d.latency_seconds),
            f::seconds(d.step_seconds)
        )
    } else {
        format!(
            "step = max({}, {}) + communication {} + overheads {} = {}",
            f::seconds(d.memory_seconds),
            f::seconds(d.compute_seconds),
            f::seconds(d.comm_seconds),
            f::seconds(d.latency_seconds),
            f::seconds(d.step_seconds)
        )
    }
}

/// Each part of the step on the critical path with the mechanism behind it, one sentence
/// each (`model::step_parts`); parts that cost nothing here are left out.
pub(super) fn mechanism_lines(s: &Scenario, d: &crate::model::Decode) -> Vec<String> {
    let p = crate::model::step_parts::StepParts::of(d);
    let t = &d.terms;
    let eff = &s.efficiency;
    let total = d.step_seconds.max(1e-300);
    let share = |x: f64| pct(x / total);
    let mut out = vec![format!(
        "reading weights {} ({}) and the KV cache {} ({}).",
        f::seconds(p.weights),
        share(p.weights),
        f::seconds(p.kv),
        share(p.kv)
    )];
    let mut add = |x: f64, text: String| {
        if x > 0.0 {
            out.push(format!("{} ({}): {text}", f::seconds(x), share(x)));
        }
    };
    add(
        p.kv_host,
        format!(
            "KV from host memory: the KV that does not fit in HBM is read over the host link at {} each step.",
            f::bandwidth(s.hardware.host_link_bandwidth)
        ),
    );
    add(
        p.indexer,
        format!(
            "the sparse-attention indexer reading a {} key of every cached token in each full layer.",
            f::bytes(crate::model::indexer_key_bytes(s))
        ),
    );
    add(
        p.linear_state,
        format!(
            "reading and writing back the linear-attention state, {} per sequence, whatever the context.",
            f::bytes(crate::model::linear_state_bytes_per_sequence(s))
        ),
    );
    add(
        p.gemm,
        "the weights' matrix products run beyond the reads they overlap.".into(),
    );
    add(
        p.padding,
        format!(
            "tile padding: each GEMM runs its token rows in whole tiles of {} rows, and each touched expert multiplies only {} tokens.",
            eff.token_tile,
            f::sig(t.tokens_per_expert, 3)
        ),
    );
    add(
        p.imbalance,
        format!(
            "expert imbalance: the busiest chip carries {}× the mean expert load ({}), and the step waits for it.",
            f::sig(t.imbalance_factor, 4),
            if eff.expert_imbalance.is_some() {
                "as measured"
            } else {
                "random top-k routing"
            }
        ),
    );
    add(
        p.dequant,
        format!(
            "widening {} weights to {} for the tensor cores, on the vector units.",
            s.precision.weights, s.precision.compute
        ),
    );
    add(
        p.attention,
        format!(
            "attention math at {} beyond its KV reads.",
            t.attention_precision
        ),
    );
    add(
        p.communication,
        if s.parallelism == Parallelism::Expert && s.model.moe.is_some() {
            let k = s.model.moe.as_ref().map_or(0, |m| m.experts_per_token);
            format!(
                "all-to-all dispatch and combine: each token goes once to each other chip holding one of its {k} experts, {} chips on average (one copy per expert would be {}).",
                f::sig(t.exchange_copies, 3),
                f::sig(k as f64 * (s.chips as f64 - 1.0) / s.chips.max(1) as f64, 3)
            )
        } else {
            "all-reduces between the tensor-parallel chips.".to_string()
        },
    );
    add(
        p.sequences,
        format!(
            "per-sequence work: every sequence costs {} in each of the {} layers (its attention blocks' launch, page-table walk and reduction, the KV append), whatever its length.",
            f::seconds(eff.sequence_layer_seconds),
            s.model.layers
        ),
    );
    add(
        p.overheads,
        "per-step overhead and collective latencies.".into(),
    );
    if t.comm_hidden_seconds > 0.0 {
        out.push(format!(
            "{} of communication hidden under compute (two-batch overlap).",
            f::seconds(t.comm_hidden_seconds)
        ));
    }
    out
}
