//! The GEMM work of a pass on the busiest chip (tile padding, expert imbalance, widening
//! narrow weights) and the rate attention's math runs at.

use super::{dequant, imbalance, padding, Shape};
use crate::scenario::{Parallelism, Precision, Scenario};

/// The precision attention's math runs at when it runs apart: the wider of the KV cache's
/// and the activations' (the queries are bf16 activations, as the collectives'
/// `ACTIVATION_BYTES`), so an fp8 KV cache is widened to bf16 for the math; if the chip has
/// no tensor-core rate for that, bf16, else the compute precision.
pub fn attention_precision(s: &Scenario) -> Precision {
    let kv = s.precision.kv_cache;
    let wanted = if kv.bytes() >= super::ACTIVATION_BYTES {
        kv
    } else {
        Precision::Bf16
    };
    [wanted, Precision::Bf16, Precision::Fp16]
        .into_iter()
        .find(|p| s.hardware.peak_at(*p).is_some())
        .unwrap_or(s.precision.compute)
}

/// Peak FLOP/s and efficiency of attention's math: (F_attn, η_attn). Apart: the
/// [`attention_precision`]'s peak and η_a; otherwise the GEMMs' peak and `eta`.
pub(super) fn attention_rate(
    s: &Scenario,
    peak: f64,
    eta: f64,
    apart: Option<f64>,
) -> (f64, f64, Precision) {
    match apart {
        Some(eta_a) => {
            let p = attention_precision(s);
            (s.hardware.peak_at(p).unwrap_or(peak), eta_a, p)
        }
        None => (peak, eta, s.precision.compute),
    }
}

/// GEMM work of one pass on the busiest chip, split into the terms of [`StepTerms`].
pub(super) struct GemmWork {
    /// Useful FLOPs on the mean chip.
    pub(super) useful: f64,
    /// Of which the routed experts' (padding and imbalance are experts' or dense as below).
    pub(super) expert_useful: f64,
    /// Padding FLOPs of the experts' GEMMs.
    pub(super) expert_padding: f64,
    /// Extra FLOPs from padding token rows.
    pub(super) padding: f64,
    /// Extra expert FLOPs on the busiest chip.
    pub(super) imbalance: f64,
    /// Seconds widening narrow weights.
    pub(super) dequant_seconds: f64,
    pub(super) imbalance_factor: f64,
    pub(super) tokens_per_expert: f64,
}

/// GEMM FLOPs of a pass of `tokens` tokens on one chip of `n` (busiest chip): dense GEMMs
/// see all tokens (tensor parallel, 1/N of each matrix) or B/N tokens (expert parallel with
/// data-parallel attention, whole matrices); each touched expert B·k ÷ E_touched tokens,
/// padded to whole tiles when `gemm_padding` is on, its chip loaded by the imbalance factor.
pub(super) fn gemm_work(s: &Scenario, sh: &Shape, tokens: f64, n: f64, touched: f64) -> GemmWork {
    let eff = &s.efficiency;
    let ep = s.parallelism == Parallelism::Expert && sh.moe_layers > 0.0;
    let tile = eff.token_tile.max(1);
    let expert_matmul = sh.moe_layers * sh.experts_per_token * sh.expert;
    let dense_matmul = (sh.active_matmul - expert_matmul).max(0.0);
    let (rows, dense_params) = if ep {
        (tokens / n, dense_matmul)
    } else {
        (tokens, dense_matmul / n)
    };
    let dense_useful = 2.0 * rows * dense_params;
    let dense_padded = 2.0 * padding::padded_rows(rows, tile) * dense_params;
    let t = padding::tokens_per_expert(tokens, sh.experts_per_token, touched);
    let imb = if ep && n > 1.0 {
        eff.expert_imbalance
            .unwrap_or_else(|| {
                imbalance::random_routing_imbalance(tokens, sh.experts, sh.experts_per_token, n)
            })
            .max(1.0)
    } else {
        1.0
    };
    // Experts on one chip: expert parallel, 1/N of those touched, whole; tensor parallel,
    // every touched expert, 1/N of each.
    let expert_useful = 2.0 * sh.moe_layers * touched * t * sh.expert / n;
    let expert_padded = if t > 0.0 {
        expert_useful * padding::padding_factor(t, tile)
    } else {
        0.0
    };
    let bf16 = s.hardware.peak_at(Precision::Bf16).unwrap_or(0.0);
    let dequant_seconds = if eff.dequantize {
        let (w, c) = (s.precision.weights, s.precision.compute);
        let tile_rows = s.hardware.tile_size.max(1) as f64;
        let dense_elements = if ep {
            sh.always_read
        } else {
            sh.always_read / n
        };
        let expert_elements = sh.moe_layers * touched * sh.expert / n;
        // Passes of token tiles over the weights, as a smooth rows ÷ tile (at least one), so
        // that the widening grows steadily with the batch.
        dequant::dequant_seconds(w, c, dense_elements, rows / tile_rows, bf16)
            + dequant::dequant_seconds(w, c, expert_elements, t * imb / tile_rows, bf16)
    } else {
        0.0
    };
    // The busiest chip's expert work, expert_padded × imb, split so that padding stays one
    // term: useful rows × (imb − 1) is the imbalance, padded rows × imb the padding.
    let expert_padding = (expert_padded - expert_useful) * imb;
    GemmWork {
        useful: dense_useful + expert_useful,
        expert_useful,
        expert_padding,
        padding: (dense_padded - dense_useful) + expert_padding,
        imbalance: expert_useful * (imb - 1.0),
        dequant_seconds,
        imbalance_factor: imb,
        tokens_per_expert: t,
    }
}
