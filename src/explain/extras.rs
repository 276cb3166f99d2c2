//! The "why" of speculative decoding and of the prefix cache.

use super::*;

/// Speculative decoding's round: τ, the verify step, the drafts, the time per token and
/// the speed-up, and why it shrinks once the verify step is compute-bound.
pub(super) fn speculation_why(sp: &crate::model::Speculation, b: f64) -> Why {
    let k = sp.draft_tokens as f64;
    let a = sp.acceptance_rate;
    let mut lines = vec![
        format!(
            "τ = 1 + a + … + a^k = (1 − a^(k+1)) ÷ (1 − a) with a = {} per draft position (the chance a draft token is kept when every earlier one was) and k = {}: {} tokens kept per target step",
            pct(a),
            sp.draft_tokens,
            f::sig(sp.tokens_per_step, 3)
        ),
        format!(
            "verify step of {} × {} tokens: weights read once, FLOPs and KV writes × {}, KV reads as for one token = {} ({}-bound), against {} for one token",
            f::integer(b),
            f::integer(k + 1.0),
            f::integer(k + 1.0),
            f::seconds(sp.verify_step_seconds),
            sp.verify_bound.name(),
            f::seconds(sp.plain_step_seconds)
        ),
        format!(
            "drafts: {} × one {} step = {} × {} = {} ({} of the verify step; the per-step overhead is paid once per round)",
            sp.draft_tokens,
            sp.draft_name,
            sp.draft_tokens,
            f::seconds(sp.draft_step_seconds),
            f::seconds(sp.draft_seconds),
            pct(sp.draft_share)
        ),
        format!(
            "time per token = (verify {} + drafts {}) ÷ τ {} = {}; speed-up = {} ÷ {} = {}×",
            f::seconds(sp.verify_step_seconds),
            f::seconds(sp.draft_seconds),
            f::sig(sp.tokens_per_step, 3),
            f::seconds(sp.seconds_per_token),
            f::seconds(sp.plain_step_seconds),
            f::seconds(sp.seconds_per_token),
            f::sig(sp.speedup, 3)
        ),
    ];
    lines.push(if sp.speedup > 1.0 {
        format!(
            "The extra tokens ride on spare FLOPs of a step that waits on reads (and on its fixed costs), so the gain nears τ ÷ (1 + draft share) = {}×; as the batch grows the verify step's {}× GEMM FLOPs turn it compute-bound and the gain shrinks (only the KV reads, once per step, stay shared).",
            f::sig(sp.tokens_per_step / (1.0 + sp.draft_share), 3),
            f::integer(k + 1.0)
        )
    } else {
        format!(
            "Here speculation costs more than it saves: the verify step pays for its {}× FLOPs (or the drafts cost more than the {} extra tokens kept per step save).",
            f::integer(k + 1.0),
            f::sig(sp.tokens_per_step - 1.0, 3)
        )
    });
    Why {
        metric: "speculative.speedup",
        title: "Speculative decoding",
        lines,
    }
}

/// The cached prefix: what prefill still computes, the input cost split and its memory.
pub(super) fn prefix_why(s: &Scenario, e: &Evaluation, chips: &str) -> Why {
    let p = &e.prefix;
    let c = &e.cost;
    let n_in = s.workload.input_tokens as f64;
    let mut lines = vec![format!(
        "{} of each request's {} input tokens are in the prefix cache: prefill computes {} new tokens ({} FLOPs), whose attention still spans all {} positions, and reads the cached tokens' KV instead of writing it",
        f::integer(p.stored),
        f::integer(n_in),
        f::integer(p.new),
        f::flops(e.prefill.flops),
        f::integer(n_in)
    )];
    lines.push(format!(
        "input cost on {} = {} per 1M input tokens over cached and new alike; {} per 1M new tokens (as prompts of their own); {} per 1M cached tokens (the prefill time they still cause)",
        chips,
        f::usd(c.per_million_input_tokens),
        f::usd(c.per_million_uncached_input_tokens),
        c.per_million_cached_input_tokens
            .map_or_else(|| "nothing".to_string(), f::usd)
    ));
    lines.push(match s.workload.prefix_sharing {
        crate::scenario::PrefixSharing::Private => format!(
            "the prefix is private: every request holds its own copy of its KV, so memory and the max batch are as without a cache ({} per sequence)",
            f::bytes(e.capacity.kv_bytes_per_sequence)
        ),
        crate::scenario::PrefixSharing::Shared => format!(
            "the prefix is shared: one copy of its KV ({}) serves every request, each holding only {} beyond it; every step still reads the prefix for every sequence",
            f::bytes(e.capacity.shared_prefix_bytes),
            f::bytes(e.capacity.kv_bytes_per_sequence)
        ),
    });
    Why {
        metric: "cost.per_million_cached_input_tokens",
        title: "Prefix cache",
        lines,
    }
}
