//! Tile and wave efficiency of the model's GEMMs on the chosen chip (MODEL.md claim 6).
//!
//! A GEMM C[M×N] = A[M×K]·B[K×N] runs as ⌈M/t⌉·⌈N/t⌉ output tiles of t×t, each looping
//! over ⌈K/t⌉ steps; a dimension that is not a multiple of t wastes the padded part of its
//! last tile: tile efficiency n ÷ (⌈n/t⌉·t). The T tiles run in waves of S (one per
//! streaming multiprocessor); a last, partial wave idles the rest: wave efficiency
//! T ÷ (⌈T/S⌉·S). The GEMM's efficiency is the product of its three tile efficiencies and its
//! wave efficiency.
//!
//! Shapes are per chip. Under tensor parallelism the column-parallel GEMMs (q/k/v,
//! MLP gate/up, LM head) split N over the chips and the row-parallel ones (o, MLP down)
//! split K, as Megatron-style sharding does; under expert parallelism each expert's GEMMs
//! are whole and see the tokens routed to it.
//!
//! Read with the roofline: at decode batch sizes most GEMMs are memory-bound, so a padded
//! tile or a partial wave wastes compute that is not the bottleneck; these efficiencies
//! bite when a pass is compute-bound (prefill, large batches).

use super::shape;
use crate::scenario::{Attention, Parallelism, Scenario, ScenarioError};

/// One GEMM of a decode or prefill pass, per chip, with its tile and wave efficiency.
#[derive(Clone, Debug, PartialEq)]
pub struct GemmEfficiency {
    /// What the GEMM computes (`q_proj`, `mlp.down`, `expert.up`, `lm_head`, …).
    pub name: &'static str,
    /// Rows: tokens in the pass (routed tokens for an expert).
    pub m: u64,
    /// Output columns on one chip.
    pub n: u64,
    /// Reduction length on one chip.
    pub k: u64,
    /// How many of these GEMMs one pass runs (layers, or layers × experts touched).
    pub count: f64,
    /// m ÷ (⌈m/t⌉·t).
    pub tile_efficiency_m: f64,
    /// n ÷ (⌈n/t⌉·t).
    pub tile_efficiency_n: f64,
    /// k ÷ (⌈k/t⌉·t).
    pub tile_efficiency_k: f64,
    /// Output tiles T = ⌈m/t⌉·⌈n/t⌉.
    pub tiles: u64,
    /// Waves ⌈T/S⌉.
    pub waves: u64,
    /// T ÷ (⌈T/S⌉·S).
    pub wave_efficiency: f64,
    /// Product of the three tile efficiencies and the wave efficiency.
    pub efficiency: f64,
    /// Useful FLOPs of all `count` GEMMs, 2·m·n·k·count.
    pub flops: f64,
}

/// Tile efficiency of a dimension n at tile t: n ÷ (⌈n/t⌉·t), in (0, 1].
pub fn tile_efficiency(n: u64, t: u64) -> f64 {
    if n == 0 || t == 0 {
        return 1.0;
    }
    n as f64 / (n.div_ceil(t) * t) as f64
}

/// Wave efficiency of T tiles on S multiprocessors: T ÷ (⌈T/S⌉·S), in (0, 1].
pub fn wave_efficiency(tiles: u64, sms: u64) -> f64 {
    if tiles == 0 || sms == 0 {
        return 1.0;
    }
    tiles as f64 / (tiles.div_ceil(sms) * sms) as f64
}

fn gemm(
    name: &'static str,
    m: u64,
    n: u64,
    k: u64,
    count: f64,
    t: u64,
    sms: u64,
) -> GemmEfficiency {
    let (m, n, k) = (m.max(1), n.max(1), k.max(1));
    let tiles = m.div_ceil(t) * n.div_ceil(t);
    let (em, en, ek) = (
        tile_efficiency(m, t),
        tile_efficiency(n, t),
        tile_efficiency(k, t),
    );
    let wave = wave_efficiency(tiles, sms);
    GemmEfficiency {
        name,
        m,
        n,
        k,
        count,
        tile_efficiency_m: em,
        tile_efficiency_n: en,
        tile_efficiency_k: ek,
        tiles,
        waves: tiles.div_ceil(sms),
        wave_efficiency: wave,
        efficiency: em * en * ek * wave,
        flops: 2.0 * m as f64 * n as f64 * k as f64 * count,
    }
}

/// The model's GEMMs on one chip for a pass of `tokens` tokens (decode: the batch), with
/// the tile size and multiprocessor count of `s.hardware`.
pub fn gemm_efficiencies(s: &Scenario, tokens: u64) -> Result<Vec<GemmEfficiency>, ScenarioError> {
    s.validate()?;
    if tokens == 0 {
        return Err(ScenarioError::new(
            "workload.batch_size",
            "tokens in the pass must be at least 1",
        ));
    }
    let m = &s.model;
    let t = s.hardware.tile_size as u64;
    let sms = s.hardware.streaming_multiprocessors as u64;
    let chips = s.chips as u64;
    let expert_parallel = s.parallelism == Parallelism::Expert && m.moe.is_some();
    // Attention and dense parts: tensor parallel splits them; expert parallel runs
    // data-parallel attention (whole matrices, tokens ÷ N per chip).
    let (tp, tok) = if expert_parallel {
        (1, tokens.div_ceil(chips))
    } else {
        (chips, tokens)
    };
    let split = |x: u64| x.div_ceil(tp);
    let layers = m.layers as f64;
    let d = m.hidden_size;
    let h = m.attention_heads as u64;
    let dh = m.head_dim;
    let mut out = Vec::new();
    let mut g = |name, mm, n, k, count| out.push(gemm(name, mm, n, k, count, t, sms));
    match m.attention {
        Attention::Gqa => {
            let kv = m.kv_heads as u64;
            g("attn.q_proj", tok, split(h * dh), d, layers);
            g("attn.k_proj", tok, split(kv * dh), d, layers);
            g("attn.v_proj", tok, split(kv * dh), d, layers);
            g("attn.o_proj", tok, d, split(h * dh), layers);
        }
        Attention::Mla => {
            let r = m.kv_lora_rank.unwrap_or(0);
            let dr = m.qk_rope_head_dim.unwrap_or(0);
            let dv = dh.saturating_sub(dr);
            match m.q_lora_rank {
                Some(rq) => {
                    g("attn.q_a_proj", tok, rq, d, layers);
                    g("attn.q_b_proj", tok, split(h * dh), rq, layers);
                }
                None => g("attn.q_proj", tok, split(h * dh), d, layers),
            }
            g("attn.kv_a_proj", tok, r + dr, d, layers);
            g("attn.kv_b_proj", tok, split(h * (dh - dr + dv)), r, layers);
            g("attn.o_proj", tok, d, split(h * dv), layers);
        }
    }
    let ff = m.intermediate_size;
    match &m.moe {
        None => {
            g("mlp.gate_up", tok, split(ff), d, 2.0 * layers);
            g("mlp.down", tok, d, split(ff), layers);
        }
        Some(moe) => {
            let dense = moe.dense_layers.min(m.layers) as f64;
            let moe_layers = layers - dense;
            if dense > 0.0 {
                g("mlp.gate_up", tok, split(ff), d, 2.0 * dense);
                g("mlp.down", tok, d, split(ff), dense);
            }
            g("router", tok, moe.experts as u64, d, moe_layers);
            let de = moe.expert_intermediate_size;
            if moe.shared_experts > 0 {
                let shared = moe.shared_experts as f64 * moe_layers;
                g("shared_expert.gate_up", tok, split(de), d, 2.0 * shared);
                g("shared_expert.down", tok, d, split(de), shared);
            }
            // Tokens per touched expert under uniform routing: all tokens' k choices spread
            // over the experts they touch (whole batch; expert GEMMs see every chip's tokens).
            let sh = shape(s);
            let touched =
                super::experts_touched(sh.experts, sh.experts_per_token, tokens as f64).max(1.0);
            let per_expert =
                ((tokens as f64 * moe.experts_per_token as f64 / touched).ceil() as u64).max(1);
            // Expert parallel: a chip runs its 1/N of the touched experts, each whole.
            let (ex_split, ex_count) = if expert_parallel {
                (1, touched / chips as f64)
            } else {
                (chips, touched)
            };
            let de_chip = de.div_ceil(ex_split);
            g(
                "expert.gate_up",
                per_expert,
                de_chip,
                d,
                2.0 * ex_count * moe_layers,
            );
            g("expert.down", per_expert, d, de_chip, ex_count * moe_layers);
        }
    }
    g("lm_head", tok, split(m.vocab_size), d, 1.0);
    Ok(out)
}

/// FLOP-weighted efficiency of a set of GEMMs: Σ useful FLOPs ÷ Σ (useful FLOPs ÷ efficiency).
pub fn overall_efficiency(gemms: &[GemmEfficiency]) -> f64 {
    let useful: f64 = gemms.iter().map(|g| g.flops).sum();
    let spent: f64 = gemms
        .iter()
        .filter(|g| g.efficiency > 0.0)
        .map(|g| g.flops / g.efficiency)
        .sum();
    if spent > 0.0 {
        useful / spent
    } else {
        1.0
    }
}

#[cfg(test)]
#[allow(clippy::field_reassign_with_default)]
mod tests {
    use super::*;
    use crate::catalogue::presets::model_preset;

    #[test]
    fn formulas() {
        assert_eq!(tile_efficiency(256, 128), 1.0);
        assert!((tile_efficiency(129, 128) - 129.0 / 256.0).abs() < 1e-12);
        assert!((tile_efficiency(2880, 128) - 2880.0 / 2944.0).abs() < 1e-12);
        assert_eq!(wave_efficiency(132, 132), 1.0);
        assert!((wave_efficiency(133, 132) - 133.0 / 264.0).abs() < 1e-12);
    }

    #[test]
    fn llama_70b_dims_are_powers_of_two_friendly() {
        let mut s = Scenario::default();
        s.chips = 8;
        let gs = gemm_efficiencies(&s, 128).unwrap();
        let q = gs.iter().find(|g| g.name == "attn.q_proj").unwrap();
        assert_eq!((q.m, q.n, q.k), (128, 1024, 8192));
        assert_eq!(q.tile_efficiency_n, 1.0);
        assert_eq!(q.tile_efficiency_k, 1.0);
        // 8 tiles on 132 SMs: one partial wave.
        assert!((q.wave_efficiency - 8.0 / 132.0).abs() < 1e-12);
        let lm = gs.iter().find(|g| g.name == "lm_head").unwrap();
        assert_eq!(lm.n, 16032);
    }

    #[test]
    fn gpt_oss_width_2880_wastes_part_of_a_tile() {
        let mut s = Scenario::default();
        s.model = model_preset("gpt-oss-120b").unwrap().spec.clone();
        s.chips = 1;
        let gs = gemm_efficiencies(&s, 64).unwrap();
        let up = gs.iter().find(|g| g.name == "expert.gate_up").unwrap();
        assert_eq!(up.k, 2880);
        assert!((up.tile_efficiency_k - 2880.0 / 2944.0).abs() < 1e-12);
        let all = overall_efficiency(&gs);
        assert!(all > 0.0 && all < 1.0);
    }

    #[test]
    fn expert_parallel_keeps_experts_whole() {
        let mut s = Scenario::default();
        s.model = model_preset("deepseek-v3").unwrap().spec.clone();
        s.parallelism = Parallelism::Expert;
        s.chips = 8;
        let gs = gemm_efficiencies(&s, 256).unwrap();
        let up = gs.iter().find(|g| g.name == "expert.gate_up").unwrap();
        assert_eq!(up.n, 2048);
        assert!(gs.iter().any(|g| g.name == "attn.q_a_proj"));
        assert!(gemm_efficiencies(&s, 0).is_err());
    }
}
