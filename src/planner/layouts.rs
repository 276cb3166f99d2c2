//! What the search tries for one chip count: precision pairs and parallelism layouts.

use super::SearchSpace;
use crate::scenario::{HardwareSpec, Parallelism, Precision, Scenario};

/// A layout: tensor × pipeline, or expert.
#[derive(Clone, Copy, Debug)]
pub(super) struct Layout {
    /// Tensor (with pipeline stages) or expert parallel.
    pub(super) parallelism: Parallelism,
    /// Tensor-parallel size t (1 under expert parallelism).
    pub(super) tensor: u32,
    /// Pipeline stages P (1 under expert parallelism).
    pub(super) pipeline: u32,
}

/// Precision combinations the chip computes: (weights = compute, KV).
pub(super) fn precisions(spec: &HardwareSpec) -> Vec<(Precision, Precision)> {
    let has = |p: Precision| spec.peak_flops.contains_key(&p);
    let sixteen = if has(Precision::Bf16) {
        Some(Precision::Bf16)
    } else if has(Precision::Fp16) {
        Some(Precision::Fp16)
    } else {
        None
    };
    let Some(sixteen) = sixteen else {
        return Vec::new();
    };
    let mut kvs = vec![sixteen];
    if has(Precision::Fp8) {
        kvs.push(Precision::Fp8);
    }
    let mut out = Vec::new();
    for w in [sixteen, Precision::Fp8, Precision::Fp4] {
        if has(w) {
            for &kv in &kvs {
                out.push((w, kv));
            }
        }
    }
    out
}

/// Layouts of N chips for this model.
pub(super) fn layouts(s: &Scenario, n: u32, space: &SearchSpace) -> Vec<Layout> {
    let m = &s.model;
    let mut out = Vec::new();
    let mut p = 1;
    while p <= n && p <= space.max_pipeline && p <= m.layers {
        if n.is_multiple_of(p) {
            let t = n / p;
            if m.attention_heads.is_multiple_of(t) {
                out.push(Layout {
                    parallelism: Parallelism::Tensor,
                    tensor: t,
                    pipeline: p,
                });
            }
        }
        p *= 2;
    }
    if let Some(moe) = &m.moe {
        if n > 1 && moe.experts.is_multiple_of(n) {
            out.push(Layout {
                parallelism: Parallelism::Expert,
                tensor: 1,
                pipeline: 1,
            });
        }
    }
    out
}
