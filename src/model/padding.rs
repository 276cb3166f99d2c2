//! Grouped-GEMM padding: kernels run the token dimension of a GEMM in whole tiles.
//!
//! A GEMM whose token dimension is m rows costs ⌈m/t⌉·t rows of tensor-core work on tiles of
//! t rows ([`super::tiles::tile_efficiency`] is m ÷ that). In a mixture-of-experts layer each
//! touched expert multiplies only about B·k ÷ E_touched tokens, so at decode batch sizes most
//! of every expert's last (often only) tile is padding; a dense GEMM pads only its one
//! token dimension, which matters only at small batches.

use super::tiles::tile_efficiency;

/// Rows of work a GEMM with `rows` token rows costs on tiles of `tile` rows: ⌈rows/t⌉·t,
/// rows (a fractional average is rounded up to a whole row first; 0 rows cost 0; a tile of
/// 0 or 1 row pads nothing).
pub fn padded_rows(rows: f64, tile: u32) -> f64 {
    if rows.is_nan() || rows <= 0.0 {
        return 0.0;
    }
    if tile <= 1 {
        return rows;
    }
    let whole = rows.ceil().min(u64::MAX as f64) as u64;
    whole as f64 / tile_efficiency(whole, tile as u64)
}

/// Padding factor of a GEMM: rows of work ÷ useful rows, ≥ 1 (1 when `rows` is a whole
/// number of tiles, or the tile is one row).
pub fn padding_factor(rows: f64, tile: u32) -> f64 {
    if rows.is_nan() || rows <= 0.0 {
        return 1.0;
    }
    padded_rows(rows, tile) / rows
}

/// Token rows each touched expert multiplies: B·k ÷ E_touched, rows (0 without experts).
pub fn tokens_per_expert(tokens: f64, experts_per_token: f64, touched: f64) -> f64 {
    if touched > 0.0 {
        tokens * experts_per_token / touched
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_tiles_and_one_row_tiles_do_not_pad() {
        assert_eq!(padding_factor(256.0, 128), 1.0);
        assert_eq!(padding_factor(37.0, 1), 1.0);
        assert_eq!(padded_rows(0.0, 128), 0.0);
        assert_eq!(padding_factor(0.0, 128), 1.0);
    }

    #[test]
    fn one_token_costs_a_whole_tile() {
        assert_eq!(padded_rows(1.0, 128), 128.0);
        assert_eq!(padding_factor(1.0, 64), 64.0);
        assert_eq!(padded_rows(129.0, 128), 256.0);
        // A fractional average rounds up to a row first.
        assert_eq!(padded_rows(0.3, 128), 128.0);
    }

    #[test]
    fn one_expert_sees_every_token() {
        // E = k = 1: the expert multiplies the whole batch, as a dense FFN does.
        assert_eq!(tokens_per_expert(512.0, 1.0, 1.0), 512.0);
        assert_eq!(tokens_per_expert(8.0, 8.0, 0.0), 0.0);
        // DeepSeek-V3 at B = 64: 64·8 choices over ~222 experts touched: ~2.3 rows each.
        let t = tokens_per_expert(64.0, 8.0, 222.0);
        assert!((t - 2.306).abs() < 1e-3);
        assert!(padding_factor(t, 128) > 40.0);
    }
}
