//! Weights stored below the arithmetic precision (weight-only quantisation: fp4 weights on
//! a chip without fp4 tensor cores, int4 or fp8 weights with bf16 math).
//!
//! The GEMM reads the narrow weights (the memory term already counts their bytes) but the
//! tensor cores multiply at the compute precision, so every weight element is widened in
//! registers, once per pass of a token tile over the matrix: ⌈rows ÷ t⌉ passes. Widening
//! costs about [`DEQUANT_OPS_PER_WEIGHT`] vector operations per element (scale and
//! convert), which run on the chip's vector units, taken as [`VECTOR_TO_TENSOR_RATIO`] of
//! its dense bf16 tensor rate.

use crate::scenario::Precision;

/// Vector operations to widen one stored weight element: a convert and a scale multiply.
pub const DEQUANT_OPS_PER_WEIGHT: f64 = 2.0;

/// Vector (non-tensor) arithmetic rate ÷ dense bf16 tensor rate: H100 SXM 67 ÷ 989,
/// A100 19.5 ÷ 312 (≈ 1/16, vendor datasheets); an approximation for other chips.
pub const VECTOR_TO_TENSOR_RATIO: f64 = 1.0 / 16.0;

/// Whether weights stored at `weights` must be widened to multiply at `compute`.
pub fn needs_dequant(weights: Precision, compute: Precision) -> bool {
    weights.bytes() < compute.bytes()
}

/// Seconds to widen `elements` weight elements `passes` times on a chip whose dense bf16
/// tensor rate is `bf16_flops` FLOP/s (0 when no widening is needed).
pub fn dequant_seconds(
    weights: Precision,
    compute: Precision,
    elements: f64,
    passes: f64,
    bf16_flops: f64,
) -> f64 {
    if !needs_dequant(weights, compute) || bf16_flops <= 0.0 {
        return 0.0;
    }
    elements * passes.max(1.0) * DEQUANT_OPS_PER_WEIGHT / (bf16_flops * VECTOR_TO_TENSOR_RATIO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Precision::*;

    #[test]
    fn same_or_wider_storage_needs_nothing() {
        assert!(!needs_dequant(Fp8, Fp8));
        assert!(!needs_dequant(Bf16, Fp8));
        assert_eq!(dequant_seconds(Fp8, Fp8, 1e9, 1.0, 989e12), 0.0);
        assert!(needs_dequant(Fp4, Fp8));
        assert!(needs_dequant(Int4, Bf16));
    }

    #[test]
    fn widening_scales_with_elements_and_passes() {
        let one = dequant_seconds(Fp4, Fp8, 1e9, 1.0, 989e12);
        assert!((one - 2e9 / (989e12 / 16.0)).abs() < 1e-15);
        let two = dequant_seconds(Fp4, Fp8, 1e9, 2.0, 989e12);
        assert!((two / one - 2.0).abs() < 1e-12);
    }
}
