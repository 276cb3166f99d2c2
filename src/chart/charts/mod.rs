//! The chart builders: one pure function per chart (or chart family) turning a
//! [`Scenario`] into the [`ChartData`] the renderer draws. No drawing here.

mod breakdown;
pub mod compare_context;
mod cost_batch;
mod cost_context;
mod frontier;
mod prefix_cache;
mod roofline;
mod scale_out;
mod shared;
mod speculative;
mod tiles;

use super::data::ChartData;
use super::{ChartError, ChartKind};
use crate::model::evaluate;
use crate::scenario::Scenario;

/// The data of chart `kind`; `max_context_tokens` ends the context axis (the current
/// context is always included).
pub fn chart_data(
    kind: ChartKind,
    s: &Scenario,
    max_context_tokens: u64,
) -> Result<ChartData, ChartError> {
    chart_data_with(kind, s, max_context_tokens, &[])
}

/// [`chart_data`] with the model preset ids the architecture comparison draws beside the
/// current model (`compare`; the other charts ignore it).
pub fn chart_data_with(
    kind: ChartKind,
    s: &Scenario,
    max_context_tokens: u64,
    compare: &[String],
) -> Result<ChartData, ChartError> {
    let e = evaluate(s)?;
    match kind {
        ChartKind::Roofline => roofline::roofline(s, &e),
        ChartKind::CostBatch => cost_batch::cost_batch(s, &e),
        ChartKind::CostContext => cost_context::cost_context(s, &e, max_context_tokens),
        ChartKind::Frontier => frontier::frontier(s, &e),
        ChartKind::ScaleOut => scale_out::scale_out(s),
        ChartKind::BreakdownTime => breakdown::breakdown_time(s, &e),
        ChartKind::BreakdownMemory => breakdown::breakdown_memory(s, &e),
        ChartKind::BreakdownEnergy => breakdown::breakdown_energy(s, &e),
        ChartKind::Tiles => tiles::tiles(s),
        ChartKind::Speculative => speculative::speculative(s, &e),
        ChartKind::PrefixCache => prefix_cache::prefix_cache(s, &e),
        ChartKind::CompareContext => compare_context::compare_context(s, compare),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::DEFAULT_MAX_CONTEXT_TOKENS;

    #[test]
    fn every_chart_has_finite_series() {
        let s = Scenario::default();
        for kind in ChartKind::ALL {
            let d = chart_data(kind, &s, DEFAULT_MAX_CONTEXT_TOKENS).unwrap();
            assert_eq!(d.kind, kind);
            assert_eq!(d.title, kind.title());
            assert!(!d.series.is_empty(), "{kind:?}");
            for series in &d.series {
                assert!(!series.points.is_empty(), "{kind:?} {}", series.name);
                for (x, y) in &series.points {
                    assert!(x.is_finite() && y.is_finite(), "{kind:?} {}", series.name);
                }
            }
        }
    }

    #[test]
    fn an_invalid_scenario_names_its_field() {
        let s = Scenario {
            chips: 0,
            ..Scenario::default()
        };
        for kind in ChartKind::ALL {
            assert!(matches!(
                chart_data(kind, &s, DEFAULT_MAX_CONTEXT_TOKENS),
                Err(ChartError::Scenario(_))
            ));
        }
    }
}
