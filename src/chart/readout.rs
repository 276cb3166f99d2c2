//! What a drawn chart reports back for hover readouts: where its axes landed in pixels and
//! how to read a value off a position.

use super::axis::{format_value, Format, Scale};
use super::{data, ChartKind, Side};

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
