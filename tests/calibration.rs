//! The realistic defaults are the calibration fit, and docs/calibration.md is current.

use roofline::model::calibration::{
    fit, geometric_mean_ratio, markdown_table, rms_log_error, rows,
};
use roofline::scenario::Efficiency;

#[test]
fn realistic_defaults_are_the_fit() {
    let (best, err) = fit().unwrap();
    let r = Efficiency::REALISTIC;
    println!("fit: {best:?} rms log error {err:.3}");
    let rows = rows(&r).unwrap();
    for row in &rows {
        println!(
            "row {}: measured {:.0} pure {:.0} est {:.0} ratio {:.2}",
            row.measurement.row,
            row.measurement.measured_tokens_per_second_per_chip,
            row.pure,
            row.estimate,
            row.ratio()
        );
    }
    println!(
        "defaults: gm {:.3} rms {:.3}",
        geometric_mean_ratio(&rows),
        rms_log_error(&rows)
    );
    // Within one grid step (0.05, 1 ms) of the fit.
    assert!((best.compute - r.compute).abs() <= 0.05 + 1e-9, "{best:?}");
    assert!(
        (best.bandwidth - r.bandwidth).abs() <= 0.05 + 1e-9,
        "{best:?}"
    );
    assert!(
        (best.step_overhead_seconds - r.step_overhead_seconds).abs() <= 1e-3 + 1e-12,
        "{best:?}"
    );
    // And the defaults are unbiased to within 15% on the geometric mean.
    assert!((geometric_mean_ratio(&rows) - 1.0).abs() <= 0.15);
}

#[test]
fn ttft_rows_at_defaults() {
    use roofline::model::calibration::{ttft_seconds, TTFT_MEASUREMENTS};
    for t in TTFT_MEASUREMENTS {
        let got = ttft_seconds(t, &Efficiency::REALISTIC).unwrap();
        let pure = ttft_seconds(t, &Efficiency::PURE).unwrap();
        println!(
            "ttft {}: measured {} pure {pure} est {got}",
            t.input_tokens, t.measured_seconds
        );
        // The pure bound is below the measurement; the estimate within ×1.6 of it.
        assert!(pure < t.measured_seconds);
        assert!((got / t.measured_seconds).ln().abs() < 1.6f64.ln());
    }
}

#[test]
fn docs_table_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/calibration.md");
    let want = markdown_table().unwrap();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/calibration.md is stale: run `cargo run --bin roofline -- calibrate > docs/calibration.md`"
    );
}
