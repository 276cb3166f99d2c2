//! All-to-all dispatch and combine under expert parallelism.
//!
//! Each MoE layer sends every token's hidden vector to the chips that hold its k experts
//! (dispatch, at the activation precision of the GEMMs, e.g. fp8) and brings the results
//! back (combine, bf16). The exchange is deduplicated per chip: a token goes once to each
//! other chip that holds at least one of its experts, whatever the number of its experts
//! there, and that chip sums its experts' outputs before sending one vector back (DeepEP's
//! and TensorRT-LLM's MNNVL dispatch; TensorRT-LLM's all-gather and reduce-scatter, its
//! exchange whenever the group has no more chips than k, moves the same bytes within the
//! share of chips a token misses, see [`remote_copies`]). With E experts spread E ÷ N to a
//! chip, a token reaches c = (N − 1)·(1 − C(E − E/N, k) ÷ C(E, k)) other chips on average, and
//! a chip holding B ÷ N tokens sends (B/N)·c·d·(b_dispatch + b_combine) bytes per layer.
//! Inside one scale-up domain (an NVLink island of D chips) it moves at the link's
//! bandwidth; beyond it the share (N − D) ÷ (N − 1) crosses the scale-out network at its
//! bandwidth, and the two run in parallel. Each of the two phases costs one message latency
//! per layer (the scale-out latency once the group spans domains). The busiest chip
//! receives the imbalance factor times the mean, and a fraction of the transfer can hide
//! under compute (two-batch overlap).

/// Other chips one token's hidden vector goes to in one MoE layer when each of the `chips`
/// chips holds `experts` ÷ `chips` of the routed experts and the token picks `k` distinct
/// ones uniformly: c = (N − 1)·(1 − C(E − E/N, k) ÷ C(E, k)), copies per token (the chance
/// that a given other chip holds none of the k is C(E − E/N, k) ÷ C(E, k)). Limits: one chip
/// sends nothing; k = 1, or one expert per chip, gives one copy per remote expert,
/// k·(N − 1)/N (nothing to deduplicate); k > E − E/N reaches every other chip, N − 1 (an
/// all-gather). Without experts (E < 1 or k ≤ 0): k·(N − 1)/N.
pub fn remote_copies(experts: f64, k: f64, chips: f64) -> f64 {
    let n = chips.max(1.0);
    if n <= 1.0 || k <= 0.0 {
        return 0.0;
    }
    let per_expert = k * (n - 1.0) / n;
    if experts.is_nan() || experts < 1.0 || experts.is_infinite() {
        return per_expert;
    }
    let held_elsewhere = experts - experts / n;
    // C(E − E/N, k) ÷ C(E, k) = Π_{i<k} (E − E/N − i) ÷ (E − i); k rounded to whole experts.
    let picks = k.round().clamp(1.0, experts) as u64;
    let mut miss = 1.0;
    for i in 0..picks {
        let i = i as f64;
        miss *= ((held_elsewhere - i) / (experts - i)).max(0.0);
    }
    let c = (n - 1.0) * (1.0 - miss);
    // A fractional k (an average) keeps the per-expert bound.
    c.min(per_expert)
}

/// Where the chips sit and how fast their links go.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Links {
    /// Chips per scale-up (NVLink) domain, D.
    pub domain: f64,
    /// Scale-up bandwidth per chip, one direction, bytes/s.
    pub scale_up_bandwidth: f64,
    /// Scale-out bandwidth per chip, one direction, bytes/s.
    pub scale_out_bandwidth: f64,
    /// Fraction of link bandwidth an all-to-all achieves, η_a2a ∈ (0, 1].
    pub efficiency: f64,
    /// Latency of one all-to-all phase inside a domain, seconds.
    pub latency_seconds: f64,
    /// Latency of one all-to-all phase across domains, seconds.
    pub scale_out_latency_seconds: f64,
}

/// One step's dispatch and combine on the busiest chip.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AllToAll {
    /// Bytes the busiest chip exchanges over all MoE layers, bytes.
    pub bytes: f64,
    /// Other chips each token goes to per layer, c ([`remote_copies`]), copies.
    pub copies: f64,
    /// Transfer time over all MoE layers, seconds.
    pub transfer_seconds: f64,
    /// Message latencies (2 per MoE layer), seconds.
    pub latency_seconds: f64,
}

impl AllToAll {
    /// Transfer plus latency, seconds.
    pub fn seconds(&self) -> f64 {
        self.transfer_seconds + self.latency_seconds
    }
}

/// Dispatch and combine of `tokens` tokens (whole system) over `chips` chips for
/// `moe_layers` layers: hidden size d, `experts` routed experts of which each token picks
/// k, bytes per element of the dispatch and combine, and the busiest chip's load factor
/// `imbalance` (≥ 1).
#[allow(clippy::too_many_arguments)]
pub fn all_to_all(
    tokens: f64,
    chips: f64,
    moe_layers: f64,
    hidden: f64,
    experts: f64,
    k: f64,
    dispatch_bytes: f64,
    combine_bytes: f64,
    imbalance: f64,
    links: &Links,
) -> AllToAll {
    if chips <= 1.0 || moe_layers <= 0.0 || tokens <= 0.0 {
        return AllToAll {
            bytes: 0.0,
            copies: 0.0,
            transfer_seconds: 0.0,
            latency_seconds: 0.0,
        };
    }
    let n = chips;
    let copies = remote_copies(experts, k, n);
    let per_layer =
        (tokens / n) * copies * hidden * (dispatch_bytes + combine_bytes) * imbalance.max(1.0);
    let d = links.domain.clamp(1.0, n);
    let outside = (n - d) / (n - 1.0);
    let eta = links.efficiency.max(1e-9);
    let up = per_layer * (1.0 - outside) / (links.scale_up_bandwidth * eta);
    let out = if outside > 0.0 {
        per_layer * outside / (links.scale_out_bandwidth * eta)
    } else {
        0.0
    };
    let latency = if outside > 0.0 {
        links.scale_out_latency_seconds
    } else {
        links.latency_seconds
    };
    AllToAll {
        bytes: per_layer * moe_layers,
        copies,
        transfer_seconds: moe_layers * up.max(out),
        latency_seconds: 2.0 * moe_layers * latency,
    }
}

/// Communication left on the critical path when a fraction `overlap` ∈ [0, 1] of it runs
/// under `compute_seconds` of other work (two-batch overlap), seconds.
pub fn exposed_seconds(comm_seconds: f64, compute_seconds: f64, overlap: f64) -> f64 {
    let hidden = overlap.clamp(0.0, 1.0) * comm_seconds.min(compute_seconds.max(0.0));
    comm_seconds - hidden
}

#[cfg(test)]
mod tests {
    use super::*;

    const NVLINK: Links = Links {
        domain: 8.0,
        scale_up_bandwidth: 450e9,
        scale_out_bandwidth: 50e9,
        efficiency: 1.0,
        latency_seconds: 10e-6,
        scale_out_latency_seconds: 25e-6,
    };

    #[test]
    fn one_chip_sends_nothing() {
        let a = all_to_all(
            1024.0, 1.0, 58.0, 7168.0, 256.0, 8.0, 1.0, 2.0, 1.0, &NVLINK,
        );
        assert_eq!(a.seconds(), 0.0);
        assert_eq!(remote_copies(256.0, 8.0, 1.0), 0.0);
    }

    #[test]
    fn copies_reduce_to_the_simpler_exchanges_at_their_limits() {
        // One expert per token: nothing to deduplicate, one copy per remote expert.
        assert!((remote_copies(256.0, 1.0, 8.0) - 7.0 / 8.0).abs() < 1e-12);
        // One expert per chip: each of a token's k experts sits on its own chip.
        assert!((remote_copies(8.0, 2.0, 8.0) - 2.0 * 7.0 / 8.0).abs() < 1e-12);
        // More experts per token than the other chips hold between them: every other
        // chip is reached once (an all-gather).
        assert!((remote_copies(16.0, 15.0, 2.0) - 1.0).abs() < 1e-12);
        // Two chips, 8 of 128 experts: nearly always both, so one copy, not k/2 = 4.
        let two = remote_copies(128.0, 8.0, 2.0);
        assert!(two > 0.99 && two < 1.0, "{two}");
        // DeepSeek-V3 over 8 chips: 7·(1 − C(224, 8) ÷ C(256, 8)) ≈ 4.63 of the 7 per-expert copies.
        let miss: f64 = (0..8)
            .map(|i| (224.0 - i as f64) / (256.0 - i as f64))
            .product();
        let c = remote_copies(256.0, 8.0, 8.0);
        assert!((c - 7.0 * (1.0 - miss)).abs() < 1e-12);
        assert!((c - 4.63).abs() < 0.01, "{c}");
        // Never more than one copy per remote expert, nor more than N − 1 chips.
        for (e, k, n) in [(64.0, 6.0, 4.0), (128.0, 4.0, 16.0), (32.0, 4.0, 2.0)] {
            let c = remote_copies(e, k, n);
            assert!(
                c <= k * (n - 1.0) / n + 1e-12 && c <= n - 1.0 + 1e-12,
                "{e} {k} {n}"
            );
        }
        // No experts: the per-expert formula.
        assert!((remote_copies(0.0, 2.0, 4.0) - 1.5).abs() < 1e-12);
    }

    #[test]
    fn inside_one_domain_matches_the_bandwidth_formula() {
        // 8 chips, 1024 tokens: 128 per chip × c copies × 7168 × 3 bytes per layer.
        let a = all_to_all(1024.0, 8.0, 1.0, 7168.0, 256.0, 8.0, 1.0, 2.0, 1.0, &NVLINK);
        let c = remote_copies(256.0, 8.0, 8.0);
        let bytes = 128.0 * c * 7168.0 * 3.0;
        assert!((a.bytes - bytes).abs() < 1e-6);
        assert_eq!(a.copies, c);
        assert!((a.transfer_seconds - bytes / 450e9).abs() < 1e-15);
        assert!((a.latency_seconds - 20e-6).abs() < 1e-15);
        // Imbalance scales the busiest chip's bytes.
        let b = all_to_all(1024.0, 8.0, 1.0, 7168.0, 256.0, 8.0, 1.0, 2.0, 1.5, &NVLINK);
        assert!((b.transfer_seconds / a.transfer_seconds - 1.5).abs() < 1e-12);
        // One expert per chip (E = N): the per-expert formula, (B/N)·k·d·3·(N − 1)/N.
        let p = all_to_all(1024.0, 8.0, 1.0, 7168.0, 8.0, 2.0, 1.0, 2.0, 1.0, &NVLINK);
        let per_expert = 128.0 * 2.0 * 7168.0 * 3.0 * 7.0 / 8.0;
        assert!((p.bytes - per_expert).abs() < 1e-6);
    }

    #[test]
    fn crossing_domains_is_slower() {
        let inside = all_to_all(4096.0, 8.0, 1.0, 7168.0, 256.0, 8.0, 1.0, 2.0, 1.0, &NVLINK);
        let across = all_to_all(
            4096.0, 16.0, 1.0, 7168.0, 256.0, 8.0, 1.0, 2.0, 1.0, &NVLINK,
        );
        // Half the tokens per chip, but over half of them leave the server at 50 GB/s.
        assert!(across.transfer_seconds > 2.0 * inside.transfer_seconds);
        assert!((across.latency_seconds - 50e-6).abs() < 1e-15);
    }

    #[test]
    fn overlap_hides_at_most_the_compute() {
        assert_eq!(exposed_seconds(2.0, 5.0, 0.0), 2.0);
        assert_eq!(exposed_seconds(2.0, 5.0, 1.0), 0.0);
        assert_eq!(exposed_seconds(2.0, 1.0, 1.0), 1.0);
        assert_eq!(exposed_seconds(2.0, 5.0, 0.5), 1.0);
    }
}
