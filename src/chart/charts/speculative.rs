//! Speculative decoding against batch size: cost per 1M output tokens with and without it
//! (left) and the speed-up each user sees (right), the memory- and compute-bound bands of
//! the plain step, where the gain vanishes, and the current setup.

use super::shared::{
    along, batch_axis, batch_values, bound_regions, cost_axis, cost_label, infeasible_region,
};
use crate::chart::axis::{format_number, Format, Scale};
use crate::chart::data::{AxisSpec, ChartData, Ink, Marker, Pen, Side, Style};
use crate::chart::{ChartError, ChartKind};
use crate::model::speculative::Drafter;
use crate::model::{decode_step, shape, sweep, Evaluation, StepInputs};
use crate::scenario::{Scenario, Speculative};

/// The speculative-decoding chart of `s` (evaluated as `e`). Without speculation in `s` it
/// shows [`Speculative::MTP_START`] (one MTP-style head, DeepSeek-V3's 85%) as an example.
pub(super) fn speculative(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let (values, hi) = batch_values(s, e);
    let pts = sweep::over_batch(s, &values)?;
    let spec = s.speculative.clone().unwrap_or(Speculative::MTP_START);
    let drafter = Drafter::new(s, &spec)
        .ok_or_else(|| ChartError::Data("the draft model is not known".into()))?;
    let sh = shape(s);
    let peak = s.peak_flops()?;
    let usd_per_second = s.chips as f64 * s.hardware.price_per_hour / 3600.0;
    let ctx = e.context;
    let mut with_cost = Vec::with_capacity(pts.len());
    let mut speedup = Vec::with_capacity(pts.len());
    for p in &pts {
        let x = StepInputs {
            batch: p.batch,
            context: ctx,
            chips: s.chips as f64,
        };
        let plain = decode_step(s, &sh, peak, x);
        let (_, sp) = drafter.speculate(s, &sh, peak, x, &plain);
        with_cost.push((p.x, usd_per_second * sp.seconds_per_token / p.batch * 1e6));
        speedup.push((p.x, sp.speedup));
    }
    let mut d = ChartData::new(ChartKind::Speculative, batch_axis(), cost_axis());
    let mut y2 = AxisSpec::new(
        "speed-up per user, × (right)",
        "speedup",
        Scale::Linear,
        Format::Number,
    );
    y2.include_zero = true;
    d.y2 = Some(y2);
    d.plot(
        "cost without speculation",
        "cost_usd_per_million_output_tokens_plain",
        Pen::left(Style::Line, Ink::Series(0)),
        along(&pts, |p| p.cost_per_million_output_tokens),
    );
    d.plot(
        "cost with speculation",
        "cost_usd_per_million_output_tokens_speculative",
        Pen::left(Style::Dashed, Ink::Series(2)),
        with_cost,
    );
    d.plot(
        "speed-up per user (right axis)",
        "speedup",
        Pen::right(Style::Line, Ink::Series(1)),
        speedup.clone(),
    );
    bound_regions(&mut d, &pts, 1.0, hi);
    infeasible_region(&mut d, &pts, hi, "KV cache", true);
    d.markers.push(Marker::Inline {
        x0: 1.0,
        x1: hi,
        y: 1.0,
        side: Side::Right,
        label: "1× (no gain)".into(),
        ink: Ink::Muted,
    });
    if let Some(x) = vanishes_at(&speedup) {
        d.vline(
            x,
            format!("gain vanishes at B ≈ {}", format_number(x)),
            Ink::Series(3),
        );
    }
    let b = s.workload.batch_size as f64;
    if let Some(&(_, g)) = speedup.iter().find(|(x, _)| *x == b) {
        d.point(
            b,
            g,
            Side::Right,
            format!(
                "B = {}: {}× per user, cost × {}",
                format_number(b),
                format_number_sig(g),
                format_number_sig(1.0 / g)
            ),
            Ink::Series(1),
            true,
        );
    }
    if let Some(sp) = &e.speculative {
        d.point(
            b,
            e.cost.per_million_output_tokens,
            Side::Left,
            format!("now: {}", cost_label(e.cost.per_million_output_tokens)),
            Ink::Series(2),
            true,
        );
        d.notes.push(format!(
            "{} draft token{} at {}% acceptance by {}: τ = {} tokens per step",
            sp.draft_tokens,
            if sp.draft_tokens == 1 { "" } else { "s" },
            format_number(sp.acceptance_rate * 100.0),
            sp.draft_name,
            format_number_sig(sp.tokens_per_step)
        ));
    } else {
        d.notes.push(format!(
            "example (speculation is off): one MTP-style head of {} ({} draft token at {}% acceptance, DeepSeek-V3's report)",
            s.model.name,
            spec.draft_tokens,
            format_number(spec.acceptance_rate * 100.0)
        ));
    }
    Ok(d)
}

/// Three significant figures.
fn format_number_sig(x: f64) -> String {
    crate::format::sig(x, 3)
}

/// The batch past which the speed-up stays below 1 (interpolated on log batch between the
/// last point at or above 1 and the next), if it crosses inside the sweep.
fn vanishes_at(speedup: &[(f64, f64)]) -> Option<f64> {
    let last_gain = speedup.iter().rposition(|p| p.1 >= 1.0)?;
    let (x0, y0) = speedup[last_gain];
    let &(x1, y1) = speedup.get(last_gain + 1)?;
    let t = if y0 > y1 { (y0 - 1.0) / (y0 - y1) } else { 0.0 };
    Some((x0.ln() + t * (x1.ln() - x0.ln())).exp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evaluate;

    #[test]
    fn the_gain_vanishes_where_the_speedup_crosses_one() {
        assert_eq!(vanishes_at(&[(1.0, 1.5), (10.0, 1.2)]), None);
        let x = vanishes_at(&[(1.0, 1.5), (10.0, 1.5), (100.0, 0.5)]).unwrap();
        assert!((x - 10f64.powf(1.5)).abs() < 1e-9, "{x}");
        assert_eq!(vanishes_at(&[(1.0, 0.9)]), None);
    }

    #[test]
    fn speculation_pays_at_small_batch_and_not_at_large() {
        // A short context: the verify step's doubled GEMMs, not the KV reads it shares,
        // decide large batches.
        let mut s = Scenario {
            speculative: Some(Speculative::MTP_START),
            ..Scenario::default()
        };
        s.workload.context_length = Some(128);
        // Each sequence's fixed work per layer is paid once per round, for all its accepted
        // tokens: it keeps speculation paying to larger batches. Without it the doubled GEMMs
        // decide alone.
        let with_sequence_work = {
            let e = evaluate(&s).unwrap();
            speculative(&s, &e).unwrap().series[2].points.clone()
        };
        s.efficiency.sequence_layer_seconds = 0.0;
        let e = evaluate(&s).unwrap();
        let d = speculative(&s, &e).unwrap();
        let g = &d.series[2].points;
        assert!(g[0].1 > 1.2, "{:?}", g[0]);
        assert!(g.last().unwrap().1 < 1.0, "{:?}", g.last());
        let (w, wo) = (with_sequence_work.last().unwrap(), g.last().unwrap());
        assert_eq!(w.0, wo.0);
        assert!(w.1 > wo.1, "{w:?} {wo:?}");
        // The engine's own speed-up at the current batch is the one drawn.
        let at = g.iter().find(|p| p.0 == 64.0).unwrap().1;
        assert!((at - e.speculative.unwrap().speedup).abs() < 1e-12);
        assert!(d.markers.iter().any(
            |m| matches!(m, Marker::VLine { label, .. } if label.starts_with("gain vanishes"))
        ));
    }

    #[test]
    fn without_speculation_an_example_is_drawn_and_said() {
        let s = Scenario::default();
        let d = speculative(&s, &evaluate(&s).unwrap()).unwrap();
        assert!(d.notes.iter().any(|n| n.starts_with("example")));
        // Without speculation the left series equals the cost chart's.
        let c = &d.series[0].points;
        assert!(c.iter().all(|p| p.1.is_finite() && p.1 > 0.0));
    }
}
