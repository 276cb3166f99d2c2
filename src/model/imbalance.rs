//! Expert load imbalance under expert parallelism: the busiest chip sets the step.
//!
//! With E experts spread evenly over N chips and B tokens each choosing k distinct experts
//! uniformly at random, a chip receives L_j token-expert pairs, with mean μ = B·k ÷ N and
//! variance σ² = B·k·(1/N)·(1 − 1/N)·(E − k)/(E − 1) (each token's k choices are drawn
//! without replacement, which narrows the spread). The busiest chip's load is approximated
//! by the expected maximum of N normal variables, μ + z_N·σ, with z_N from Blom's formula
//! z_N ≈ Φ⁻¹((N − 0.375) ÷ (N + 0.25)); the imbalance factor is that ÷ μ. A test checks it
//! against a simulation of random routing. Real routers are not uniform: a measured factor
//! (`efficiency.expert_imbalance`) replaces the derived one.

/// Expected busiest-chip load ÷ mean load for random top-k routing of `tokens` tokens over
/// `experts` experts on `chips` chips; ≥ 1, and exactly 1 for one chip, no tokens or
/// k = E (every token uses every expert).
pub fn random_routing_imbalance(tokens: f64, experts: f64, k: f64, chips: f64) -> f64 {
    if chips <= 1.0
        || tokens.is_nan()
        || tokens <= 0.0
        || experts <= 1.0
        || k <= 0.0
        || k >= experts
    {
        return 1.0;
    }
    let n = chips;
    let pairs = tokens * k;
    let mean = pairs / n;
    let without_replacement = (experts - k) / (experts - 1.0);
    let sd = (pairs * (1.0 / n) * (1.0 - 1.0 / n) * without_replacement).sqrt();
    let z = expected_max_standard_normal(n);
    // A chip cannot receive more than every token's k choices of its E/N experts.
    let cap = tokens * k.min(experts / n) / mean;
    (1.0 + z * sd / mean).min(cap.max(1.0))
}

/// Expected maximum of n independent standard normal variables (Blom's approximation),
/// dimensionless; 0 for n ≤ 1.
pub fn expected_max_standard_normal(n: f64) -> f64 {
    if n <= 1.0 {
        return 0.0;
    }
    inverse_normal_cdf((n - 0.375) / (n + 0.25))
}

/// Φ⁻¹(p), the standard normal quantile, for p in (0, 1) (Acklam's rational approximation,
/// relative error below 1.2e-9).
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_reduce_to_balanced() {
        assert_eq!(random_routing_imbalance(1000.0, 256.0, 8.0, 1.0), 1.0);
        assert_eq!(random_routing_imbalance(0.0, 256.0, 8.0, 8.0), 1.0);
        assert_eq!(random_routing_imbalance(1000.0, 8.0, 8.0, 8.0), 1.0);
        assert_eq!(random_routing_imbalance(1000.0, 1.0, 1.0, 8.0), 1.0);
        // More tokens: the law of large numbers evens the chips out.
        let small = random_routing_imbalance(16.0, 256.0, 8.0, 8.0);
        let large = random_routing_imbalance(65536.0, 256.0, 8.0, 8.0);
        assert!(small > large && large > 1.0 && large < 1.02);
    }

    #[test]
    fn quantiles() {
        assert!(inverse_normal_cdf(0.5).abs() < 1e-9);
        assert!((inverse_normal_cdf(0.975) - 1.959_964).abs() < 1e-5);
        assert!((inverse_normal_cdf(0.001) + 3.090_232).abs() < 1e-5);
        // Expected max of 2 standard normals is 1/√π = 0.5642; Blom gives 0.55.
        assert!((expected_max_standard_normal(2.0) - 0.5642).abs() < 0.03);
        assert!((expected_max_standard_normal(8.0) - 1.4236).abs() < 0.03);
    }

    /// A small deterministic generator for the simulation (SplitMix64).
    fn next(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Mean over trials of (busiest chip's pairs ÷ mean pairs) for random top-k routing.
    fn simulate(tokens: usize, experts: usize, k: usize, chips: usize, trials: usize) -> f64 {
        let mut state = 42u64;
        let per_chip = experts / chips;
        let mut sum = 0.0;
        for _ in 0..trials {
            let mut load = vec![0u32; chips];
            for _ in 0..tokens {
                let mut chosen: Vec<usize> = Vec::with_capacity(k);
                while chosen.len() < k {
                    let e = (next(&mut state) % experts as u64) as usize;
                    if !chosen.contains(&e) {
                        chosen.push(e);
                    }
                }
                for e in chosen {
                    load[e / per_chip] += 1;
                }
            }
            let max = *load.iter().max().unwrap() as f64;
            sum += max / (tokens * k) as f64 * chips as f64;
        }
        sum / trials as f64
    }

    #[test]
    fn matches_a_simulation_of_random_routing() {
        for &(tokens, experts, k, chips) in &[
            (64usize, 256usize, 8usize, 8usize),
            (256, 256, 8, 8),
            (32, 128, 4, 4),
            (128, 64, 6, 16),
            (1024, 8, 2, 2),
        ] {
            let sim = simulate(tokens, experts, k, chips, 400);
            let est =
                random_routing_imbalance(tokens as f64, experts as f64, k as f64, chips as f64);
            assert!(
                ((est - sim) / (sim - 1.0).max(0.05)).abs() < 0.15,
                "B={tokens} E={experts} k={k} N={chips}: formula {est:.4}, simulated {sim:.4}"
            );
        }
    }
}
