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
mod render;
pub mod validation;

pub use self::csv::{csv, to_csv};
use crate::scenario::{Scenario, ScenarioError};
use axis::{format_value, Format, Scale};
pub use charts::chart_data;
pub use data::{ChartData, Side};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};
use plotters::style::RGBColor;
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
}

impl ChartKind {
    /// Every chart, in page order.
    pub const ALL: [ChartKind; 9] = [
        ChartKind::Roofline,
        ChartKind::CostBatch,
        ChartKind::CostContext,
        ChartKind::Frontier,
        ChartKind::ScaleOut,
        ChartKind::BreakdownTime,
        ChartKind::BreakdownMemory,
        ChartKind::BreakdownEnergy,
        ChartKind::Tiles,
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

/// Colours of one theme.
#[derive(Clone, Debug, PartialEq)]
pub struct Palette {
    pub background: RGBColor,
    /// Titles, tick labels, axis titles.
    pub text: RGBColor,
    /// Notes and reference labels.
    pub muted: RGBColor,
    pub axis: RGBColor,
    pub grid: RGBColor,
    /// Series colours in order (colour-blind safe, Okabe–Ito based).
    pub series: [RGBColor; 8],
    pub memory_bound: RGBColor,
    pub compute_bound: RGBColor,
    pub infeasible: RGBColor,
}

impl Palette {
    /// Dark text on white.
    pub fn light() -> Self {
        Palette {
            background: RGBColor(255, 255, 255),
            text: RGBColor(31, 35, 40),
            muted: RGBColor(101, 109, 118),
            axis: RGBColor(110, 118, 129),
            grid: RGBColor(229, 231, 235),
            series: [
                RGBColor(0, 114, 178),
                RGBColor(213, 94, 0),
                RGBColor(0, 158, 115),
                RGBColor(204, 121, 167),
                RGBColor(86, 180, 233),
                RGBColor(170, 130, 0),
                RGBColor(117, 112, 179),
                RGBColor(166, 54, 3),
            ],
            memory_bound: RGBColor(0, 114, 178),
            compute_bound: RGBColor(213, 94, 0),
            infeasible: RGBColor(110, 110, 110),
        }
    }

    /// Light text on near-black.
    pub fn dark() -> Self {
        Palette {
            background: RGBColor(17, 24, 39),
            text: RGBColor(229, 231, 235),
            muted: RGBColor(156, 163, 175),
            axis: RGBColor(140, 148, 160),
            grid: RGBColor(45, 55, 72),
            series: [
                RGBColor(86, 180, 233),
                RGBColor(240, 150, 60),
                RGBColor(60, 200, 150),
                RGBColor(230, 150, 200),
                RGBColor(150, 210, 255),
                RGBColor(240, 228, 66),
                RGBColor(190, 170, 255),
                RGBColor(255, 120, 90),
            ],
            memory_bound: RGBColor(86, 180, 233),
            compute_bound: RGBColor(240, 150, 60),
            infeasible: RGBColor(200, 200, 200),
        }
    }
}

/// How charts look: theme colours, high-DPI scale and the context axis's end.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartStyle {
    pub palette: Palette,
    /// Multiplies font sizes, line widths and paddings: the canvas's `devicePixelRatio`
    /// (the backend's size is then CSS size × scale). 1 for SVG at CSS size.
    pub scale: f64,
    /// Last context length on the cost-against-context chart, tokens.
    pub max_context_tokens: u64,
}

impl Default for ChartStyle {
    fn default() -> Self {
        ChartStyle::light()
    }
}

impl ChartStyle {
    /// Light theme, scale 1.
    pub fn light() -> Self {
        ChartStyle {
            palette: Palette::light(),
            scale: 1.0,
            max_context_tokens: DEFAULT_MAX_CONTEXT_TOKENS,
        }
    }

    /// Dark theme, scale 1.
    pub fn dark() -> Self {
        ChartStyle {
            palette: Palette::dark(),
            ..ChartStyle::light()
        }
    }

    /// The same style at another scale (e.g. `devicePixelRatio`).
    pub fn with_scale(mut self, scale: f64) -> Self {
        self.scale = scale;
        self
    }
}

/// Pixel positions of the axis ends: `left`/`right` are where x's min/max land,
/// `bottom`/`top` where y's min/max land (backend pixels; top < bottom).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotRect {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl PlotRect {
    /// Whether a pixel lies inside the plot.
    pub fn contains(&self, px: f64, py: f64) -> bool {
        px >= self.left.min(self.right)
            && px <= self.left.max(self.right)
            && py >= self.top.min(self.bottom)
            && py <= self.top.max(self.bottom)
    }
}

/// One drawn axis: its range in values, scale and format.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisInfo {
    /// Axis title with units.
    pub label: String,
    pub min: f64,
    pub max: f64,
    pub scale: Scale,
    pub format: Format,
    /// Category names at integer positions 0, 1, … (empty for a numeric axis).
    pub categories: Vec<String>,
}

impl AxisInfo {
    /// Fraction 0 (min) … 1 (max) of a value along the axis; `None` if not drawable.
    pub fn fraction_of(&self, v: f64) -> Option<f64> {
        let t = self.scale.forward(v)?;
        let (a, b) = (self.scale.forward(self.min)?, self.scale.forward(self.max)?);
        (b != a).then(|| (t - a) / (b - a))
    }

    /// The value at fraction `f` (0 = min, 1 = max) along the axis.
    pub fn value_at(&self, f: f64) -> f64 {
        let (a, b) = (
            self.scale.forward(self.min).unwrap_or(0.0),
            self.scale.forward(self.max).unwrap_or(1.0),
        );
        self.scale.inverse(a + f * (b - a))
    }

    /// A value as the axis prints it (a category's name on a category axis).
    pub fn format(&self, v: f64) -> String {
        if !self.categories.is_empty() {
            let i = v.round();
            if i >= 0.0 && (i as usize) < self.categories.len() {
                return self.categories[i as usize].clone();
            }
        }
        format_value(v, self.format)
    }
}

/// The point nearest the pointer, for a readout.
#[derive(Clone, Debug, PartialEq)]
pub struct Readout {
    /// Index into `ChartInfo::series`.
    pub series: usize,
    /// Index of the point in that series.
    pub index: usize,
    pub x: f64,
    pub y: f64,
    /// Distance from the pointer, pixels.
    pub distance_px: f64,
    /// `"series name: x label = …, y label = …"`, formatted.
    pub text: String,
}

/// What the UI needs to turn pointer positions into data values after a chart is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartInfo {
    pub kind: ChartKind,
    pub title: String,
    pub plot: PlotRect,
    pub x: AxisInfo,
    pub y: AxisInfo,
    /// The right-hand axis, where the chart has one.
    pub y2: Option<AxisInfo>,
    /// The series' values (what a readout shows).
    pub series: Vec<data::Series>,
    /// Where each point of each series is drawn, in data units: the value itself, except
    /// a stacked band's top (its value plus those below) and a bar's offset centre.
    pub drawn: Vec<Vec<(f64, f64)>>,
}

impl ChartInfo {
    /// Data values (x, y, y2) under pixel (px, py); `None` outside the plot.
    pub fn data_at(&self, px: f64, py: f64) -> Option<(f64, f64, Option<f64>)> {
        if !self.plot.contains(px, py) {
            return None;
        }
        let p = &self.plot;
        let fx = (px - p.left) / (p.right - p.left);
        let fy = (py - p.bottom) / (p.top - p.bottom);
        if !(fx.is_finite() && fy.is_finite()) {
            return None;
        }
        Some((
            self.x.value_at(fx),
            self.y.value_at(fy),
            self.y2.as_ref().map(|a| a.value_at(fy)),
        ))
    }

    /// Pixel of data point (x, y) on `side`'s axis; `None` if not drawable.
    pub fn to_pixel(&self, x: f64, y: f64, side: Side) -> Option<(f64, f64)> {
        let fx = self.x.fraction_of(x)?;
        let fy = match side {
            Side::Left => self.y.fraction_of(y)?,
            Side::Right => self.y2.as_ref()?.fraction_of(y)?,
        };
        let p = &self.plot;
        Some((
            p.left + fx * (p.right - p.left),
            p.bottom + fy * (p.top - p.bottom),
        ))
    }

    /// The series point nearest pixel (px, py) within `max_px` pixels.
    pub fn nearest(&self, px: f64, py: f64, max_px: f64) -> Option<Readout> {
        let mut best: Option<(f64, usize, usize)> = None;
        for (si, s) in self.series.iter().enumerate() {
            let drawn = self.drawn.get(si).unwrap_or(&s.points);
            for (pi, &(x, y)) in drawn.iter().enumerate() {
                let Some((qx, qy)) = self.to_pixel(x, y, s.side) else {
                    continue;
                };
                let d = ((qx - px).powi(2) + (qy - py).powi(2)).sqrt();
                if d <= max_px && best.is_none_or(|b| d < b.0) {
                    best = Some((d, si, pi));
                }
            }
        }
        let (d, si, pi) = best?;
        let s = &self.series[si];
        let (x, y) = s.points[pi];
        let y_axis = match s.side {
            Side::Right => self.y2.as_ref().unwrap_or(&self.y),
            Side::Left => &self.y,
        };
        Some(Readout {
            series: si,
            index: pi,
            x,
            y,
            distance_px: d,
            text: format!(
                "{}: {} = {}, {} = {}",
                s.name,
                self.x.label,
                self.x.format(x),
                y_axis.label,
                y_axis.format(y)
            ),
        })
    }
}

/// Draws chart `kind` onto `area`.
pub fn draw<DB: DrawingBackend>(
    kind: ChartKind,
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    style: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    let data = chart_data(kind, s, style.max_context_tokens)?;
    render::render(area, &data, style)
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
