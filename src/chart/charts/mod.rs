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
    data_fn(kind)(s, max_context_tokens, compare)
}

/// A chart's builder: the scenario, the context axis's end (tokens) and the model preset ids
/// compared, to the chart's data. One per chart, so that the web app can reach each chart's
/// code on its own (the charts below the first screen are loaded on demand).
pub type DataFn = fn(&Scenario, u64, &[String]) -> Result<ChartData, ChartError>;

/// The builder of chart `kind` (every chart's code: for the command line and the tests; the
/// web app names the builders one by one).
pub fn data_fn(kind: ChartKind) -> DataFn {
    match kind {
        ChartKind::Roofline => roofline_data,
        ChartKind::CostBatch => cost_batch_data,
        ChartKind::CostContext => cost_context_data,
        ChartKind::Frontier => frontier_data,
        ChartKind::ScaleOut => scale_out_data,
        ChartKind::BreakdownTime => breakdown_time_data,
        ChartKind::BreakdownMemory => breakdown_memory_data,
        ChartKind::BreakdownEnergy => breakdown_energy_data,
        ChartKind::Tiles => tiles_data,
        ChartKind::Speculative => speculative_data,
        ChartKind::PrefixCache => prefix_cache_data,
        ChartKind::CompareContext => compare_context_data,
    }
}

/// The roofline's data ([`DataFn`]).
pub fn roofline_data(s: &Scenario, _: u64, _: &[String]) -> Result<ChartData, ChartError> {
    roofline::roofline(s, &evaluate(s)?)
}

/// Cost and speed against batch ([`DataFn`]).
pub fn cost_batch_data(s: &Scenario, _: u64, _: &[String]) -> Result<ChartData, ChartError> {
    cost_batch::cost_batch(s, &evaluate(s)?)
}

/// Cost against context up to `max_context_tokens` ([`DataFn`]).
pub fn cost_context_data(
    s: &Scenario,
    max_context_tokens: u64,
    _: &[String],
) -> Result<ChartData, ChartError> {
    cost_context::cost_context(s, &evaluate(s)?, max_context_tokens)
}

/// The speed-against-cost frontier ([`DataFn`]).
pub fn frontier_data(s: &Scenario, _: u64, _: &[String]) -> Result<ChartData, ChartError> {
    frontier::frontier(s, &evaluate(s)?)
}

/// Scale-out over chip count ([`DataFn`]).
pub fn scale_out_data(s: &Scenario, _: u64, _: &[String]) -> Result<ChartData, ChartError> {
    evaluate(s)?;
    scale_out::scale_out(s)
}

/// Step time by part against batch ([`DataFn`]).
pub fn breakdown_time_data(s: &Scenario, _: u64, _: &[String]) -> Result<ChartData, ChartError> {
    breakdown::breakdown_time(s, &evaluate(s)?)
}

/// Memory against batch ([`DataFn`]).
pub fn breakdown_memory_data(s: &Scenario, _: u64, _: &[String]) -> Result<ChartData, ChartError> {
    breakdown::breakdown_memory(s, &evaluate(s)?)
}

/// Energy per token against batch ([`DataFn`]).
pub fn breakdown_energy_data(s: &Scenario, _: u64, _: &[String]) -> Result<ChartData, ChartError> {
    breakdown::breakdown_energy(s, &evaluate(s)?)
}

/// Tile and wave efficiency of each GEMM dimension ([`DataFn`]).
pub fn tiles_data(s: &Scenario, _: u64, _: &[String]) -> Result<ChartData, ChartError> {
    evaluate(s)?;
    tiles::tiles(s)
}

/// Speculative decoding against batch ([`DataFn`]).
pub fn speculative_data(s: &Scenario, _: u64, _: &[String]) -> Result<ChartData, ChartError> {
    speculative::speculative(s, &evaluate(s)?)
}

/// Input cost against the prefix-cache hit rate ([`DataFn`]).
pub fn prefix_cache_data(s: &Scenario, _: u64, _: &[String]) -> Result<ChartData, ChartError> {
    prefix_cache::prefix_cache(s, &evaluate(s)?)
}

/// Architectures compared on long context, with the presets `compare` ([`DataFn`]).
pub fn compare_context_data(
    s: &Scenario,
    _: u64,
    compare: &[String],
) -> Result<ChartData, ChartError> {
    evaluate(s)?;
    compare_context::compare_context(s, compare)
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
