//! Colours and sizes of a chart: the light and dark palettes and the drawing style.

use super::DEFAULT_MAX_CONTEXT_TOKENS;
use plotters::style::RGBColor;

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
    /// Series colours in order (colour-blind safe, Okabe–Ito based; the ninth to eleventh,
    /// for the optional reads of the step breakdown — KV from host memory, the indexer, the
    /// linear state — are Paul Tol's indigo, wine and teal, lighter on dark).
    pub series: [RGBColor; 11],
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
                RGBColor(51, 34, 136),
                RGBColor(136, 34, 85),
                RGBColor(68, 170, 153),
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
                RGBColor(245, 245, 245),
                RGBColor(230, 110, 170),
                RGBColor(120, 220, 200),
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
    /// Model preset ids the architecture comparison chart draws beside the current model.
    pub compare_models: Vec<String>,
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
            compare_models: Vec::new(),
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
