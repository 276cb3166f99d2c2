//! Speed against cost: tokens/s per user against USD per 1M output tokens over a batch
//! sweep, powers of 8 labelled, and what published fast-tier premiums buy here.

use super::shared::{batch_values, cost_axis, merge};
use crate::catalogue::pricing::pricing;
use crate::chart::axis::{format_number, Format, Scale};
use crate::chart::data::{AxisSpec, ChartData, Ink, Pen, Side, Style};
use crate::chart::{ChartError, ChartKind};
use crate::model::sweep::{self, SweepPoint};
use crate::model::Evaluation;
use crate::scenario::Scenario;

/// The speed-against-cost chart of scenario `s` (evaluated as `e`).
pub(super) fn frontier(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let (values, hi) = batch_values(s, e);
    let labelled: Vec<u64> = (0..12)
        .map(|k| 8u64.pow(k))
        .take_while(|&b| b as f64 <= hi)
        .collect();
    let values = merge(values, labelled.iter().copied(), hi as u64);
    let pts = sweep::over_batch(s, &values)?;
    let mut d = ChartData::new(
        ChartKind::Frontier,
        cost_axis(),
        AxisSpec::new(
            "tokens/s per user",
            "tokens_per_second_per_user",
            Scale::Log,
            Format::Number,
        ),
    );
    let cost_speed = |fits: bool| -> Vec<(f64, f64)> {
        pts.iter()
            .filter(|p| p.fits == fits)
            .map(|p| {
                (
                    p.cost_per_million_output_tokens,
                    p.tokens_per_second_per_user,
                )
            })
            .collect()
    };
    d.plot(
        "batch 1 … (fits in memory)",
        "fits",
        Pen::left(Style::Line, Ink::Series(0)),
        cost_speed(true),
    );
    let over = cost_speed(false);
    if !over.is_empty() {
        d.plot(
            "larger batches (exceed memory)",
            "exceeds_memory",
            Pen::left(Style::Dashed, Ink::Muted),
            over,
        );
    }
    for p in pts.iter().filter(|p| labelled.contains(&(p.x as u64))) {
        d.point(
            p.cost_per_million_output_tokens,
            p.tokens_per_second_per_user,
            Side::Left,
            format!("B={}", format_number(p.x)),
            Ink::Muted,
            true,
        );
    }
    let b = s.workload.batch_size as f64;
    let c0 = e.cost.per_million_output_tokens;
    let v0 = e.decode.tokens_per_second_per_user;
    d.point(
        c0,
        v0,
        Side::Left,
        format!("now: B={}", format_number(b)),
        Ink::Series(1),
        true,
    );
    fast_tiers(&mut d, &pts, b, (c0, v0))?;
    Ok(d)
}

/// Marks what paying m× the price per token buys on this hardware, for each published
/// fast-tier multiplier m, at current batch `b` whose (cost, tokens/s per user) is `now`.
fn fast_tiers(
    d: &mut ChartData,
    pts: &[SweepPoint],
    b: f64,
    (c0, v0): (f64, f64),
) -> Result<(), ChartError> {
    let prices = pricing().map_err(ChartError::Data)?;
    let fast: Vec<&SweepPoint> = pts.iter().filter(|p| p.fits && p.x <= b).collect();
    let mut shown: Vec<f64> = Vec::new();
    let mut beyond: Vec<f64> = Vec::new();
    for t in &prices.speed_tiers {
        let Some(m) = t.output_multiplier() else {
            continue;
        };
        if m <= 1.0 || shown.iter().any(|s| (s - m).abs() < 0.1) {
            continue;
        }
        if let Some((c, v)) = at_cost(&fast, m * c0) {
            shown.push(m);
            d.point(
                c,
                v,
                Side::Left,
                format!("{}× price ({}): {}× speed", sig2(m), t.model, sig2(v / v0)),
                Ink::Series(2),
                true,
            );
        } else {
            beyond.push(m);
        }
    }
    // Premiums dearer than batch 1 itself: batch 1 is the fastest this hardware goes.
    let smallest = beyond.iter().copied().fold(f64::INFINITY, f64::min);
    if let (Some(one), true) = (fast.first(), smallest.is_finite()) {
        if one.x == 1.0 && c0 > 0.0 && v0 > 0.0 && b > 1.0 {
            d.point(
                one.cost_per_million_output_tokens,
                one.tokens_per_second_per_user,
                Side::Left,
                format!(
                    "B=1: {}× price, {}× speed (a {}× premium pays for it)",
                    sig2(one.cost_per_million_output_tokens / c0),
                    sig2(one.tokens_per_second_per_user / v0),
                    sig2(smallest)
                ),
                Ink::Series(2),
                true,
            );
        }
    }
    d.notes.push(format!(
        "green rings: published fast-tier price multipliers (as of {}) applied to the current cost, and the speed that buys here",
        prices.as_of()
    ));
    Ok(())
}

/// A ratio to two significant figures at most (`2.5`, `3`, `12`).
fn sig2(v: f64) -> String {
    if v >= 10.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.1}");
        s.trim_end_matches(".0").to_string()
    }
}

/// The (cost, tokens/s/user) on a batch sweep at which cost reaches `target`, interpolated
/// in log space between neighbouring batches; `None` if no batch in the sweep is that dear.
fn at_cost(pts: &[&SweepPoint], target: f64) -> Option<(f64, f64)> {
    if !(target.is_finite() && target > 0.0) {
        return None;
    }
    pts.windows(2).find_map(|w| {
        let (a, b) = (w[0], w[1]);
        let (ca, cb) = (
            a.cost_per_million_output_tokens,
            b.cost_per_million_output_tokens,
        );
        if ca >= target && cb <= target && ca > 0.0 && cb > 0.0 && ca > cb {
            let f = (ca / target).ln() / (ca / cb).ln();
            let (va, vb) = (a.tokens_per_second_per_user, b.tokens_per_second_per_user);
            let v = (va.ln() + f * (vb.ln() - va.ln())).exp();
            Some((target, v))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evaluate;

    #[test]
    fn fast_tier_interpolation() {
        let s = Scenario::default();
        let pts = sweep::over_batch(&s, &[1, 2, 4, 8, 16, 32, 64]).unwrap();
        let refs: Vec<&SweepPoint> = pts.iter().collect();
        let c64 = pts[6].cost_per_million_output_tokens;
        let (c, v) = at_cost(&refs, 2.0 * c64).unwrap();
        assert_eq!(c, 2.0 * c64);
        assert!(v > pts[6].tokens_per_second_per_user);
        assert!(at_cost(&refs, 1e9).is_none());
        assert!(at_cost(&refs, f64::NAN).is_none());
    }

    #[test]
    fn sig2_rounds_to_two_figures() {
        assert_eq!(sig2(2.0), "2");
        assert_eq!(sig2(2.46), "2.5");
        assert_eq!(sig2(12.4), "12");
    }

    #[test]
    fn frontier_runs_from_dear_and_fast_to_cheap_and_slow() {
        let s = Scenario::default();
        let d = frontier(&s, &evaluate(&s).unwrap()).unwrap();
        let fits = &d.series[0].points;
        let (first, last) = (fits[0], fits[fits.len() - 1]);
        assert!(first.0 > last.0 && first.1 > last.1, "{first:?} {last:?}");
    }
}
