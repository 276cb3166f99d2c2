//! Cost per 1M output tokens (left) and tokens/s per user (right) against batch size, with
//! the memory- and compute-bound bands, both B* estimates and where memory runs out.

use super::shared::{
    along, batch_axis, batch_values, bound_regions, cost_axis, cost_label, infeasible_region,
};
use crate::chart::axis::{format_number, Format, Scale};
use crate::chart::data::{AxisSpec, ChartData, Ink, Pen, Side, Style};
use crate::chart::{ChartError, ChartKind};
use crate::model::sweep;
use crate::model::Evaluation;
use crate::scenario::Scenario;

/// The cost-against-batch chart of scenario `s` (evaluated as `e`).
pub(super) fn cost_batch(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let (values, hi) = batch_values(s, e);
    let pts = sweep::over_batch(s, &values)?;
    let mut d = ChartData::new(ChartKind::CostBatch, batch_axis(), cost_axis());
    d.y2 = Some(AxisSpec::new(
        "tokens/s per user",
        "tokens_per_second_per_user",
        Scale::Log,
        Format::Number,
    ));
    d.plot(
        "cost per 1M output tokens",
        "cost_usd_per_million_output_tokens",
        Pen::left(Style::Line, Ink::Series(0)),
        along(&pts, |p| p.cost_per_million_output_tokens),
    );
    d.plot(
        "tokens/s per user (right axis)",
        "tokens_per_second_per_user",
        Pen::right(Style::Line, Ink::Series(1)),
        along(&pts, |p| p.tokens_per_second_per_user),
    );
    bound_regions(&mut d, &pts, 1.0, hi);
    infeasible_region(&mut d, &pts, hi, "KV cache", true);
    let cb = &e.critical_batch;
    d.vline(
        cb.rule_of_thumb,
        format!("rule of thumb B* ≈ {}", format_number(cb.rule_of_thumb)),
        Ink::Muted,
    );
    if let Some(x) = cb.exact {
        d.vline(
            x as f64,
            format!("exact B* = {}", format_number(x as f64)),
            Ink::Series(3),
        );
    }
    let mb = e.capacity.max_batch_size;
    if mb >= 1 && (mb as f64) <= hi {
        d.vline(
            mb as f64,
            format!("memory full at B = {}", format_number(mb as f64)),
            Ink::Series(4),
        );
    }
    let b = s.workload.batch_size as f64;
    d.point(
        b,
        e.cost.per_million_output_tokens,
        Side::Left,
        format!(
            "B = {}: {}",
            format_number(b),
            cost_label(e.cost.per_million_output_tokens)
        ),
        Ink::Series(0),
        true,
    );
    d.notes.push(format!(
        "context {} tokens; exact B* includes KV reads and experts touched",
        format_number(e.context)
    ));
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::data::Marker;
    use crate::model::evaluate;

    #[test]
    fn cost_batch_matches_engine_at_current_batch() {
        // A short context, where the math overtakes the reads and an exact B* exists (at the
        // default 1.5k context Llama 3.1 70B's KV reads grow with the batch as fast as its
        // math at the fitted efficiencies, and it stays memory-bound).
        let mut s = Scenario::default();
        s.workload.input_tokens = 128;
        s.workload.output_tokens = 128;
        let e = evaluate(&s).unwrap();
        let d = cost_batch(&s, &e).unwrap();
        let (_, c) = d.series[0]
            .points
            .iter()
            .find(|(x, _)| *x == 64.0)
            .copied()
            .unwrap();
        let want = e.cost.per_million_output_tokens;
        assert!((c - want).abs() <= 1e-12 * want);
        // Exact B* and rule of thumb are both marked.
        let labels: Vec<String> = d
            .markers
            .iter()
            .filter_map(|m| match m {
                Marker::VLine { label, .. } => Some(label.clone()),
                _ => None,
            })
            .collect();
        assert!(
            labels.iter().any(|l| l.starts_with("exact B*")),
            "{labels:?}"
        );
        assert!(labels.iter().any(|l| l.starts_with("rule of thumb")));
    }

    #[test]
    fn speed_is_on_the_right_axis_and_both_series_share_x() {
        let s = Scenario::default();
        let d = cost_batch(&s, &evaluate(&s).unwrap()).unwrap();
        assert_eq!(d.series[0].side, Side::Left);
        assert_eq!(d.series[1].side, Side::Right);
        let xs = |i: usize| d.series[i].points.iter().map(|p| p.0).collect::<Vec<_>>();
        assert_eq!(xs(0), xs(1));
    }
}
