//! All-to-all dispatch and combine under expert parallelism.
//!
//! Each MoE layer sends every token's hidden vector to the chips of its k experts
//! (dispatch, at the activation precision of the GEMMs, e.g. fp8) and brings the k results
//! back (combine, bf16). A chip holding B ÷ N tokens sends (B/N)·k·d·(b_dispatch + b_combine)
//! bytes per layer, of which the share (N − 1) ÷ N leaves the chip. Inside one scale-up
//! domain (an NVLink island of D chips) it moves at the link's bandwidth; beyond it the
//! share (N − D) ÷ (N − 1) crosses the scale-out network at its bandwidth, and the two run
//! in parallel. Each of the two phases costs one message latency per layer (the scale-out
//! latency once the group spans domains). The busiest chip receives the imbalance factor
//! times the mean, and a fraction of the transfer can hide under compute (two-batch overlap).

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
/// `moe_layers` layers: hidden size d, k experts per token, bytes per element of the
/// dispatch and combine, and the busiest chip's load factor `imbalance` (≥ 1).
#[allow(clippy::too_many_arguments)]
pub fn all_to_all(
    tokens: f64,
    chips: f64,
    moe_layers: f64,
    hidden: f64,
    k: f64,
    dispatch_bytes: f64,
    combine_bytes: f64,
    imbalance: f64,
    links: &Links,
) -> AllToAll {
    if chips <= 1.0 || moe_layers <= 0.0 || tokens <= 0.0 {
        return AllToAll {
            bytes: 0.0,
            transfer_seconds: 0.0,
            latency_seconds: 0.0,
        };
    }
    let n = chips;
    let per_layer = (tokens / n) * k * hidden * (dispatch_bytes + combine_bytes) * (n - 1.0) / n
        * imbalance.max(1.0);
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
        let a = all_to_all(1024.0, 1.0, 58.0, 7168.0, 8.0, 1.0, 2.0, 1.0, &NVLINK);
        assert_eq!(a.seconds(), 0.0);
    }

    #[test]
    fn inside_one_domain_matches_the_bandwidth_formula() {
        // 8 chips, 1024 tokens: 128 per chip × 8 copies × 7168 × 3 bytes × 7/8 per layer.
        let a = all_to_all(1024.0, 8.0, 1.0, 7168.0, 8.0, 1.0, 2.0, 1.0, &NVLINK);
        let bytes = 128.0 * 8.0 * 7168.0 * 3.0 * 7.0 / 8.0;
        assert!((a.bytes - bytes).abs() < 1e-6);
        assert!((a.transfer_seconds - bytes / 450e9).abs() < 1e-15);
        assert!((a.latency_seconds - 20e-6).abs() < 1e-15);
        // Imbalance scales the busiest chip's bytes.
        let b = all_to_all(1024.0, 8.0, 1.0, 7168.0, 8.0, 1.0, 2.0, 1.5, &NVLINK);
        assert!((b.transfer_seconds / a.transfer_seconds - 1.5).abs() < 1e-12);
    }

    #[test]
    fn crossing_domains_is_slower() {
        let inside = all_to_all(4096.0, 8.0, 1.0, 7168.0, 8.0, 1.0, 2.0, 1.0, &NVLINK);
        let across = all_to_all(4096.0, 16.0, 1.0, 7168.0, 8.0, 1.0, 2.0, 1.0, &NVLINK);
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
