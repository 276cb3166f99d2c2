//! Charts: each claim of `MODEL.md` drawn by plotters code generic over `DrawingBackend`,
//! so the same function draws on a `<canvas>` in the browser and into an SVG natively.
//!
//! - [`data`]: what a chart shows, as pure data; `charts`: one builder per chart, filling it
//!   from a scenario ([`chart_data`]); `csv`: its series as CSV ([`to_csv`]).
//! - [`axis`]: ranges, ticks and number formats that never go NaN.
//! - `layout`: text sizes, wrapping, label placement and the compact rule, pure.
//! - `render`: draws a [`ChartData`] and returns a [`ChartInfo`] for hover readouts.
//!
//! Pixel coordinates in [`ChartInfo`] are the backend's pixels (on a canvas: CSS pixels ×
//! `devicePixelRatio`, when the canvas is sized so and `ChartStyle::scale` is that ratio).

pub mod axis;
mod charts;
mod csv;
pub mod data;
pub mod lab;
mod layout;
mod readout;
mod render;
mod style;
pub mod validation;

pub use self::csv::{csv, csv_with, to_csv};
use crate::scenario::{Scenario, ScenarioError};
pub use charts::compare_context;
pub use charts::{
    breakdown_energy_data, breakdown_memory_data, breakdown_time_data, chart_data, chart_data_with,
    compare_context_data, cost_batch_data, cost_context_data, data_fn, frontier_data,
    prefix_cache_data, roofline_data, scale_out_data, speculative_data, tiles_data, DataFn,
};
pub use data::{ChartData, Side};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};
use std::fmt;

/// The context axis ends here by default (tokens): 128k, a common maximum context.
pub const DEFAULT_MAX_CONTEXT_TOKENS: u64 = 131_072;

/// Every chart the app draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    Roofline,
    CostBatch,
    CostContext,
    Frontier,
    ScaleOut,
    BreakdownTime,
    BreakdownMemory,
    BreakdownEnergy,
    Tiles,
    Speculative,
    PrefixCache,
    CompareContext,
}

impl ChartKind {
    /// Every chart, in page order.
    pub const ALL: [ChartKind; 12] = [
        ChartKind::Roofline,
        ChartKind::CostBatch,
        ChartKind::CostContext,
        ChartKind::Frontier,
        ChartKind::ScaleOut,
        ChartKind::BreakdownTime,
        ChartKind::BreakdownMemory,
        ChartKind::BreakdownEnergy,
        ChartKind::Tiles,
        ChartKind::Speculative,
        ChartKind::PrefixCache,
        ChartKind::CompareContext,
    ];

    /// Short slug used in URLs, file names and the CLI (`cost-batch`).
    pub fn id(self) -> &'static str {
        match self {
            ChartKind::Roofline => "roofline",
            ChartKind::CostBatch => "cost-batch",
            ChartKind::CostContext => "cost-context",
            ChartKind::Frontier => "frontier",
            ChartKind::ScaleOut => "scale-out",
            ChartKind::BreakdownTime => "breakdown-time",
            ChartKind::BreakdownMemory => "breakdown-memory",
            ChartKind::BreakdownEnergy => "breakdown-energy",
            ChartKind::Tiles => "tiles",
            ChartKind::Speculative => "speculative",
            ChartKind::PrefixCache => "prefix-cache",
            ChartKind::CompareContext => "compare-context",
        }
    }

    /// The chart's title.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Roofline => "Roofline: which limit binds",
            ChartKind::CostBatch => "Cost and speed against batch size",
            ChartKind::CostContext => "Cost against context length",
            ChartKind::Frontier => "Speed against cost: the frontier",
            ChartKind::ScaleOut => "Scale-out: latency floor and cost against chips",
            ChartKind::BreakdownTime => "Decode step time, by part",
            ChartKind::BreakdownMemory => "Memory: weights, KV cache, free",
            ChartKind::BreakdownEnergy => "Energy per token: data movement against arithmetic",
            ChartKind::Tiles => "Tile and wave efficiency per GEMM dimension",
            ChartKind::Speculative => "Speculative decoding: speed-up and cost against batch",
            ChartKind::PrefixCache => "Input cost against the prefix-cache hit rate",
            ChartKind::CompareContext => "Architectures on long context: cost against context",
        }
    }

    /// Parses an id (`cost-batch`); `None` for anything else.
    pub fn from_id(id: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|k| k.id() == id.trim())
    }
}

impl fmt::Display for ChartKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Why a chart could not be drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartError {
    /// The scenario is invalid; the field is named.
    Scenario(ScenarioError),
    /// The drawing backend failed.
    Drawing(String),
    /// Bundled data (prices) could not be read.
    Data(String),
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::Scenario(e) => write!(f, "{e}"),
            ChartError::Drawing(e) => write!(f, "drawing failed: {e}"),
            ChartError::Data(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ChartError {}

impl From<ScenarioError> for ChartError {
    fn from(e: ScenarioError) -> Self {
        ChartError::Scenario(e)
    }
}

pub use readout::{AxisInfo, ChartInfo, PlotRect, Readout};
pub use style::{ChartStyle, Palette};

/// Draws chart `kind` onto `area`.
pub fn draw<DB: DrawingBackend>(
    kind: ChartKind,
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    style: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    let data = chart_data_with(kind, s, style.max_context_tokens, &style.compare_models)?;
    render::render(area, &data, style)
}

/// Draws chart data `d` (from any chart's [`DataFn`]) onto `area`: the renderer's stages,
/// shared by every chart.
pub fn draw_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &ChartData,
    style: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    render::render(area, d, style)
}

/// Attainable FLOP/s against arithmetic intensity, log-log; ridge, decode and prefill marked.
pub fn draw_roofline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    opts: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    draw(ChartKind::Roofline, area, s, opts)
}

/// Cost per 1M output tokens and tokens/s per user against batch; bound regions, B*, memory.
pub fn draw_cost_batch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    opts: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    draw(ChartKind::CostBatch, area, s, opts)
}

/// Cost against context length; KV crossover, largest batch that fits, API price tiers.
pub fn draw_cost_context<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    opts: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    draw(ChartKind::CostContext, area, s, opts)
}

/// Tokens/s per user against cost over batch sizes; fast-tier premiums marked.
pub fn draw_frontier<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    opts: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    draw(ChartKind::Frontier, area, s, opts)
}

/// Step time at batch 1 and cost against chip count.
pub fn draw_scale_out<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    opts: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    draw(ChartKind::ScaleOut, area, s, opts)
}

/// Decode step time stacked by part (weights, KV, compute, communication) against batch.
pub fn draw_breakdown_time<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    opts: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    draw(ChartKind::BreakdownTime, area, s, opts)
}

/// Memory (weights, KV, free) against batch, with usable and total capacity.
pub fn draw_breakdown_memory<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    opts: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    draw(ChartKind::BreakdownMemory, area, s, opts)
}

/// Energy per output token, data movement against arithmetic, against batch.
pub fn draw_breakdown_energy<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    opts: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    draw(ChartKind::BreakdownEnergy, area, s, opts)
}

/// Tile and wave efficiency of each GEMM dimension.
pub fn draw_tiles<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    opts: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    draw(ChartKind::Tiles, area, s, opts)
}

/// Chart `kind` as an SVG document of `width` × `height` pixels.
pub fn svg(
    kind: ChartKind,
    s: &Scenario,
    width: u32,
    height: u32,
    style: &ChartStyle,
) -> Result<String, ChartError> {
    svg_with(width, height, |area| draw(kind, area, s, style).map(|_| ()))
}

/// Chart data `d` as an SVG document of `width` × `height` pixels.
pub fn svg_of_data(
    d: &ChartData,
    width: u32,
    height: u32,
    style: &ChartStyle,
) -> Result<String, ChartError> {
    svg_with(width, height, |area| {
        render::render(area, d, style).map(|_| ())
    })
}

/// An SVG document of `width` × `height` pixels drawn by `paint` (any chart's drawing code).
pub fn svg_with(
    width: u32,
    height: u32,
    paint: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut out = String::new();
    {
        let backend = SVGBackend::with_string(&mut out, (width.max(1), height.max(1)));
        let area = backend.into_drawing_area();
        paint(&area)?;
        area.present()
            .map_err(|e| ChartError::Drawing(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let mut ids: Vec<&str> = ChartKind::ALL.iter().map(|k| k.id()).collect();
        for k in ChartKind::ALL {
            assert_eq!(ChartKind::from_id(k.id()), Some(k));
            assert!(!k.title().is_empty());
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ChartKind::ALL.len());
        assert_eq!(ChartKind::from_id("nope"), None);
    }

    #[test]
    fn pixel_mapping_round_trips() {
        let s = Scenario::default();
        let mut out = String::new();
        let info = {
            let area = SVGBackend::with_string(&mut out, (800, 450)).into_drawing_area();
            draw(ChartKind::CostBatch, &area, &s, &ChartStyle::default()).unwrap()
        };
        let p = info.plot;
        assert!(p.left < p.right && p.top < p.bottom);
        let (x, y, y2) = info
            .data_at((p.left + p.right) / 2.0, (p.top + p.bottom) / 2.0)
            .unwrap();
        assert!(x > info.x.min && x < info.x.max && y > info.y.min && y < info.y.max);
        assert!(y2.is_some());
        let (px, py) = info.to_pixel(x, y, Side::Left).unwrap();
        assert!((px - (p.left + p.right) / 2.0).abs() < 1e-6);
        assert!((py - (p.top + p.bottom) / 2.0).abs() < 1e-6);
        assert!(info.data_at(p.left - 5.0, p.top).is_none());
        // The readout finds the point drawn at the current batch.
        let i = info.series[0]
            .points
            .iter()
            .position(|q| q.0 == 64.0)
            .unwrap();
        let (x, y) = info.series[0].points[i];
        let (px, py) = info.to_pixel(x, y, Side::Left).unwrap();
        let r = info.nearest(px + 1.0, py, 20.0).unwrap();
        assert_eq!((r.series, r.index), (0, i));
        assert!(r.text.contains("batch size"), "{}", r.text);
    }

    #[test]
    fn readout_of_a_stacked_band_reports_its_own_value() {
        let s = Scenario::default();
        let mut out = String::new();
        let info = {
            let area = SVGBackend::with_string(&mut out, (800, 450)).into_drawing_area();
            draw(ChartKind::BreakdownTime, &area, &s, &ChartStyle::default()).unwrap()
        };
        // Series 1 (KV reads) sits on top of series 0 (weights).
        let i = info.series[1].points.len() - 1;
        let (x, top) = info.drawn[1][i];
        let value = info.series[1].points[i].1;
        assert!((top - (info.series[0].points[i].1 + value)).abs() < 1e-9);
        let (px, py) = info.to_pixel(x, top, Side::Left).unwrap();
        let r = info.nearest(px, py, 3.0).unwrap();
        assert_eq!((r.series, r.index), (1, i));
        assert_eq!(r.y, value);
    }
}
