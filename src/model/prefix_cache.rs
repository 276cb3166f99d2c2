//! Prefix caching: a request whose first input tokens are already in the KV cache computes
//! only its new tokens in prefill (their attention still spans the whole prompt), reads the
//! cached KV instead of writing it, and holds the prefix in memory: its own copy, or one
//! copy shared by every request.
//!
//! With no cached tokens every function here reduces to the plain prefill and capacity.

use super::{context_kv_bytes, kv_bytes_per_sequence, layer_groups, linear_flops_per_token_layer};
use crate::scenario::{PrefixSharing, Scenario};

/// Causal attention FLOPs of the first `n` prompt tokens of one request, over all layers:
/// token i (1-based) attends min(i, W) positions at 4·H·d_h FLOPs each, summed: 2·H·d_h·n²
/// per full layer, 4·H·d_h·(n·W − W²/2) per windowed layer once n > W (a sparse model's
/// full layers likewise with W = k); each linear layer n × its fixed per-token FLOPs. The
/// indexer's scoring is apart ([`prompt_indexer_flops`]). FLOPs; 0 at n = 0.
pub fn prompt_attention_flops(s: &Scenario, n: f64) -> f64 {
    let m = &s.model;
    let hd = m.attention_heads as f64 * m.head_dim as f64;
    let g = layer_groups(m);
    let attn_full = 2.0 * hd * n * n;
    // Attention of n causal tokens each over at most `w` positions.
    let capped = |w: Option<f64>| match w {
        Some(w) if n > w => 4.0 * hd * (n * w - w * w / 2.0),
        _ => attn_full,
    };
    let attn_window = capped(m.sliding_window.map(|w| w as f64));
    let attn_sparse = capped(m.layer_kinds.sparse_top_k.map(|k| k as f64));
    g.full * attn_sparse + g.window * attn_window + g.linear * n * linear_flops_per_token_layer(s)
}

/// The indexer's FLOPs over the first `n` prompt tokens of one request (0 without one):
/// token i scores its i positions at 2·H_I·d_I FLOPs each on every full layer, H_I·d_I·n²
/// per layer (the quadratic but small part of sparse prefill). FLOPs.
pub fn prompt_indexer_flops(s: &Scenario, n: f64) -> f64 {
    let k = &s.model.layer_kinds;
    if k.sparse_top_k.is_none() {
        return 0.0;
    }
    let hd = k.indexer_heads.unwrap_or(0) as f64 * k.indexer_head_dim.unwrap_or(0) as f64;
    hd * n * n * layer_groups(&s.model).full
}

/// Attention FLOPs of `new` prompt tokens that follow `cached` ones already in the cache:
/// F(cached + new) − F(cached), since a token's attention depends only on its position.
pub fn new_token_attention_flops(s: &Scenario, cached: f64, new: f64) -> f64 {
    prompt_attention_flops(s, cached + new) - prompt_attention_flops(s, cached)
}

/// How one request's input splits between the cache and prefill, tokens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrefixSplit {
    /// Input tokens prefill skips: min(n_cached, n_in − 1) (the last prompt token always
    /// runs, since its logits give the first output token).
    pub cached: f64,
    /// Input tokens prefill computes: n_in − cached ≥ 1.
    pub new: f64,
    /// Tokens the prefix holds in the cache, n_cached.
    pub stored: f64,
}

/// The split of `s`'s requests: cached, new and stored prefix tokens.
pub fn split(s: &Scenario) -> PrefixSplit {
    let n_in = s.workload.input_tokens as f64;
    let stored = (s.workload.cached_input_tokens as f64).min(n_in);
    let new = (n_in - stored).max(1.0);
    PrefixSplit {
        cached: n_in - new,
        new,
        stored,
    }
}

/// KV memory of the prefix at decode context `ctx` (tokens): (bytes held once for all
/// requests, bytes each request holds). Private: (0, KV(ctx)), as without a cache. Shared:
/// (KV(p), KV(ctx) − KV(p)) with p = min(n_cached, ctx), one copy serving every request
/// (the prefix's context KV only: each request keeps its own linear-attention state).
pub fn kv_memory(s: &Scenario, ctx: f64) -> (f64, f64) {
    let all = kv_bytes_per_sequence(s, ctx);
    match s.workload.prefix_sharing {
        PrefixSharing::Private => (0.0, all),
        PrefixSharing::Shared => {
            let p = (s.workload.cached_input_tokens as f64).min(ctx);
            if p <= 0.0 {
                return (0.0, all);
            }
            let prefix = context_kv_bytes(s, p);
            (prefix, (all - prefix).max(0.0))
        }
    }
}

/// What prefill of one batch costs per input token, USD per million tokens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InputCost {
    /// Over every input token, cached or new: usd/s × T_prefill ÷ (B·n_in) × 10⁶.
    pub average: f64,
    /// Per new token, as a prompt of its own: usd/s × T(new alone) ÷ (B·n_new) × 10⁶.
    pub uncached: f64,
    /// Per cached token: the prefill time the cached tokens still cause (the new tokens'
    /// attention over them, reading their KV) ÷ (B·n_cached); `None` without cached tokens.
    pub cached: Option<f64>,
}

/// The input cost split of a batch of `requests` requests whose prefill takes `with_cache`
/// seconds, and `alone` seconds for their new tokens as prompts of their own; `usd_per_second`
/// is the whole system's price. average × n_in = uncached × n_new + cached × n_cached.
pub fn input_cost(
    usd_per_second: f64,
    requests: f64,
    p: PrefixSplit,
    with_cache: f64,
    alone: f64,
) -> InputCost {
    let n_in = p.cached + p.new;
    InputCost {
        average: usd_per_second * with_cache / (requests * n_in) * 1e6,
        uncached: usd_per_second * alone / (requests * p.new) * 1e6,
        cached: (p.cached > 0.0)
            .then(|| usd_per_second * (with_cache - alone).max(0.0) / (requests * p.cached) * 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cache(cached: u64, sharing: PrefixSharing) -> Scenario {
        let mut s = Scenario::default();
        s.workload.input_tokens = 4096;
        s.workload.cached_input_tokens = cached;
        s.workload.prefix_sharing = sharing;
        s
    }

    #[test]
    fn attention_of_new_tokens_sums_to_the_whole_prompt() {
        let s = Scenario::default();
        let whole = prompt_attention_flops(&s, 4096.0);
        let parts =
            prompt_attention_flops(&s, 1000.0) + new_token_attention_flops(&s, 1000.0, 3096.0);
        assert!((parts - whole).abs() <= 1e-9 * whole);
        assert_eq!(prompt_attention_flops(&s, 0.0), 0.0);
        assert_eq!(new_token_attention_flops(&s, 0.0, 4096.0), whole);
        // A windowed model: past the window each token costs the same.
        let mut w = Scenario::default();
        w.model.sliding_window = Some(1024);
        w.model.sliding_window_layers = w.model.layers;
        let a = new_token_attention_flops(&w, 5000.0, 1.0);
        let b = new_token_attention_flops(&w, 9000.0, 1.0);
        assert!((a - b).abs() <= 1e-9 * a, "{a} {b}");
    }

    #[test]
    fn no_cache_splits_into_all_new() {
        let s = with_cache(0, PrefixSharing::Shared);
        assert_eq!(
            split(&s),
            PrefixSplit {
                cached: 0.0,
                new: 4096.0,
                stored: 0.0
            }
        );
        let ctx = s.decode_context();
        assert_eq!(kv_memory(&s, ctx), (0.0, kv_bytes_per_sequence(&s, ctx)));
    }

    #[test]
    fn a_fully_cached_input_leaves_the_last_token() {
        let s = with_cache(4096, PrefixSharing::Private);
        assert_eq!(
            split(&s),
            PrefixSplit {
                cached: 4095.0,
                new: 1.0,
                stored: 4096.0
            }
        );
    }

    #[test]
    fn a_shared_prefix_is_held_once() {
        let private = with_cache(2048, PrefixSharing::Private);
        let shared = with_cache(2048, PrefixSharing::Shared);
        let ctx = private.decode_context();
        let (once, each) = kv_memory(&shared, ctx);
        assert_eq!(once, kv_bytes_per_sequence(&shared, 2048.0));
        assert!((once + each - kv_memory(&private, ctx).1).abs() < 1.0);
    }

    #[test]
    fn a_cached_prefix_of_zero_changes_nothing() {
        let plain = crate::model::evaluate(&Scenario::default()).unwrap();
        let mut s = Scenario::default();
        s.workload.prefix_sharing = PrefixSharing::Shared;
        let e = crate::model::evaluate(&s).unwrap();
        assert_eq!(e, plain);
        assert_eq!(e.cost.per_million_cached_input_tokens, None);
        assert_eq!(
            e.cost.per_million_uncached_input_tokens,
            e.cost.per_million_input_tokens
        );
    }

    #[test]
    fn a_fully_cached_input_leaves_only_the_new_tokens_prefill() {
        let s = with_cache(4096, PrefixSharing::Private);
        let e = crate::model::evaluate(&s).unwrap();
        let sh = crate::model::shape(&s);
        // One new token: 2·P_active FLOPs plus its attention over all 4096 positions.
        let want = 2.0 * sh.active_matmul + new_token_attention_flops(&s, 4095.0, 1.0);
        assert!((e.prefill.flops - want).abs() <= 1e-9 * want);
        let none = crate::model::evaluate(&with_cache(0, PrefixSharing::Private)).unwrap();
        assert!(e.prefill.seconds < none.prefill.seconds / 10.0);
        assert!(e.cost.per_million_input_tokens < none.cost.per_million_input_tokens / 10.0);
        // The cached tokens still cost something: the new token reads their KV.
        assert!(e.cost.per_million_cached_input_tokens.unwrap() >= 0.0);
        // Decode is untouched: the prefix's KV is still read every step.
        assert_eq!(e.decode, none.decode);
    }

    #[test]
    fn a_shared_prefix_frees_memory_for_more_requests() {
        let private = crate::model::evaluate(&with_cache(3072, PrefixSharing::Private)).unwrap();
        let shared = crate::model::evaluate(&with_cache(3072, PrefixSharing::Shared)).unwrap();
        assert!(shared.capacity.max_batch_size > 2 * private.capacity.max_batch_size);
        assert!(shared.capacity.used_bytes < private.capacity.used_bytes);
        assert!(shared.capacity.shared_prefix_bytes > 0.0);
        assert_eq!(private.capacity.shared_prefix_bytes, 0.0);
    }

    #[test]
    fn input_cost_parts_add_up() {
        let p = PrefixSplit {
            cached: 3000.0,
            new: 1096.0,
            stored: 3000.0,
        };
        let c = input_cost(0.01, 8.0, p, 2.0, 1.5);
        let sum = c.uncached * p.new + c.cached.unwrap() * p.cached;
        assert!((c.average * 4096.0 - sum).abs() <= 1e-9 * sum);
        let none = input_cost(0.01, 8.0, split(&Scenario::default()), 2.0, 2.0);
        assert_eq!(none.cached, None);
        assert_eq!(none.average, none.uncached);
    }
}
