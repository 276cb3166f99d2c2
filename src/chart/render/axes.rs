//! The axes: ranges resolved from the data, ticks, the plotters chart with its mesh, and
//! the right-hand axis.
//!
//! Every chart draws in transformed coordinates (log10 on log axes) with explicit tick
//! positions, so one coordinate type serves linear, log and category axes and no value
//! reaches the backend unless it is finite.

use super::frame::{de, Frame};
use crate::chart::axis::{fit_range, format_value, ticks, Scale};
use crate::chart::data::{AxisSpec, ChartData, Marker, Side, Style};
use crate::chart::layout::text_size;
use crate::chart::{ChartError, PlotRect};
use plotters::chart::{ChartBuilder, DualCoordChartContext};
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::{PathElement, Text};
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, ShapeStyle};

/// A linear f64 coordinate (in transformed units) with explicit tick positions.
pub(super) struct Coord {
    inner: RangedCoordf64,
    major: Vec<f64>,
    minor: Vec<f64>,
}

impl Ranged for Coord {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.minor.clone()
        } else {
            self.major.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// An axis resolved for drawing: effective scale and range in values.
pub(super) struct Resolved {
    /// The scale drawn (linear when a log axis has nothing positive).
    pub scale: Scale,
    /// The range's ends, in values.
    pub lo: f64,
    /// See `lo`.
    pub hi: f64,
}

impl Resolved {
    /// A value in transformed units (log10 on a log axis); `None` if not drawable.
    pub fn t(&self, v: f64) -> Option<f64> {
        self.scale.forward(v)
    }

    /// The range's ends in transformed units.
    pub fn t_range(&self) -> (f64, f64) {
        (
            self.scale.forward(self.lo).unwrap_or(0.0),
            self.scale.forward(self.hi).unwrap_or(1.0),
        )
    }

    /// A coordinate over this range with tick positions `major` and `minor` (transformed).
    fn coord(&self, major: Vec<f64>, minor: Vec<f64>) -> Coord {
        let (a, b) = self.t_range();
        Coord {
            inner: (a..b).into(),
            major,
            minor,
        }
    }
}

/// Picks the scale (a log axis with nothing positive falls back to linear) and range;
/// `tight` ends the range at the data's own extent (x axes end where the sweep ends).
fn resolve(spec: &AxisSpec, values: &[f64], tight: bool) -> Resolved {
    let mut scale = spec.scale;
    let mut include_zero = spec.include_zero;
    if scale == Scale::Log && !values.iter().any(|v| v.is_finite() && *v > 0.0) {
        // Nothing positive to show on a log axis (e.g. a price of 0): a linear axis from 0.
        scale = Scale::Linear;
        include_zero = true;
    }
    let (lo, hi) = match spec.range {
        Some((a, b))
            if a.is_finite()
                && b.is_finite()
                && a < b
                && scale.forward(a).is_some()
                && scale.forward(b).is_some() =>
        {
            (a, b)
        }
        _ => {
            let (nlo, nhi) = fit_range(values.iter().copied(), scale, include_zero);
            if tight {
                let drawable = values.iter().filter(|v| scale.forward(**v).is_some());
                let lo = drawable.clone().copied().fold(f64::INFINITY, f64::min);
                let hi = drawable.copied().fold(f64::NEG_INFINITY, f64::max);
                let lo = if include_zero { lo.min(0.0) } else { lo };
                if lo.is_finite() && hi.is_finite() && hi > lo * (1.0 + 1e-9) && hi - lo > 1e-12 {
                    (lo, hi)
                } else {
                    (nlo, nhi)
                }
            } else {
                (nlo, nhi)
            }
        }
    };
    Resolved { scale, lo, hi }
}

/// Every value each axis must show: (x, left y, right y), from series, markers and the
/// stacked bands' sums.
fn axis_values(d: &ChartData) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    let mut y2s = Vec::new();
    let mut push_y = |side: Side, y: f64| match side {
        Side::Left => ys.push(y),
        Side::Right => y2s.push(y),
    };
    for s in &d.series {
        for &(x, y) in &s.points {
            xs.push(x);
            push_y(s.side, y);
        }
    }
    for m in &d.markers {
        match m {
            Marker::VLine { x, .. } => xs.push(*x),
            Marker::Inline { y, side, .. } => push_y(*side, *y),
            Marker::Point { x, y, side, .. } => {
                xs.push(*x);
                push_y(*side, *y);
            }
        }
    }
    // Stacked bands reach the sum of their parts.
    let stacked: Vec<_> = d
        .series
        .iter()
        .filter(|s| s.style == Style::Stacked)
        .collect();
    let n = stacked.iter().map(|s| s.points.len()).min().unwrap_or(0);
    for i in 0..n {
        ys.push(stacked.iter().map(|s| s.points[i].1).sum());
    }
    (xs, ys, y2s)
}

/// Major and minor tick positions (transformed) of an axis: every category, or at most
/// `max` major ticks.
fn key_points(r: &Resolved, spec: &AxisSpec, max: usize) -> (Vec<f64>, Vec<f64>) {
    if !spec.categories.is_empty() {
        return (
            (0..spec.categories.len()).map(|i| i as f64).collect(),
            vec![],
        );
    }
    let (major, minor) = ticks(r.lo, r.hi, r.scale, max);
    (
        major.into_iter().filter_map(|v| r.t(v)).collect(),
        minor.into_iter().filter_map(|v| r.t(v)).collect(),
    )
}

/// A tick label: the category's name, or the value in the axis's format.
fn fmt_tick(spec: &AxisSpec, r: &Resolved, t: f64) -> String {
    if !spec.categories.is_empty() {
        let i = t.round();
        return if i >= 0.0 && (i as usize) < spec.categories.len() {
            spec.categories[i as usize].clone()
        } else {
            String::new()
        };
    }
    format_value(r.scale.inverse(t), spec.format)
}

/// The chart's cartesian coordinates, left axis and right axis.
type Cart = Cartesian2d<Coord, Coord>;

/// The drawn axes: plotters' chart and the ranges, in values and transformed units.
pub(super) struct Axes<'a, DB: DrawingBackend> {
    /// plotters' chart: left and right coordinates, pixel mapping, plotting area.
    pub chart: DualCoordChartContext<'a, DB, Cart, Cart>,
    /// The x axis as drawn.
    pub xr: Resolved,
    /// The left axis as drawn.
    pub yr: Resolved,
    /// The right axis as drawn, where there is one.
    pub y2r: Option<Resolved>,
    /// The right axis's major ticks (transformed), labelled by [`draw_right_axis`].
    y2_labels: Vec<f64>,
    /// Axis lines and tick marks.
    axis_style: ShapeStyle,
    /// Ends of the x range, transformed: (min, max).
    pub tx: (f64, f64),
    /// Ends of the left y range, transformed: (min, max).
    pub ty: (f64, f64),
}

impl<DB: DrawingBackend> Axes<'_, DB> {
    /// A y value on `side`'s axis in left-axis transformed units; `None` if not drawable.
    pub fn map_y(&self, side: Side, v: f64) -> Option<f64> {
        match side {
            Side::Left => self.yr.t(v),
            Side::Right => {
                let r = self.y2r.as_ref()?;
                let t = r.t(v)?;
                let (a, b) = r.t_range();
                if b == a {
                    return None;
                }
                Some(self.ty.0 + (t - a) / (b - a) * (self.ty.1 - self.ty.0))
            }
        }
    }

    /// An x in transformed units, clamped into the plot.
    pub fn clamp_x(&self, t: f64) -> f64 {
        let (tx0, tx1) = self.tx;
        t.clamp(tx0.min(tx1), tx0.max(tx1))
    }

    /// Backend pixel of a point in transformed units.
    pub fn pixel(&self, p: (f64, f64)) -> (i32, i32) {
        self.chart.backend_coord(&p)
    }
}

/// Resolves the axes, builds the chart on `plot_area` (the area below the header, whose
/// top is row `top` of the whole area) and draws the mesh with its labels.
pub(super) fn draw_axes<'a, DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    d: &ChartData,
    plot_area: &'a DrawingArea<DB, Shift>,
    top: i32,
) -> Result<Axes<'a, DB>, ChartError> {
    let (xs, ys, y2s) = axis_values(d);
    let xr = resolve(&d.x, &xs, true);
    let yr = resolve(&d.y, &ys, false);
    let y2r = d.y2.as_ref().map(|spec| resolve(spec, &y2s, false));
    let max_ticks_x = ((f.w as f64 / f.sc) / 80.0).clamp(3.0, 10.0) as usize;
    let plot_h_guess = (f.h - top) as f64 / f.sc;
    let max_ticks_y = (plot_h_guess / 45.0).clamp(3.0, 8.0) as usize;
    let (x_major, x_minor) = key_points(&xr, &d.x, max_ticks_x);
    let (y_major, y_minor) = key_points(&yr, &d.y, max_ticks_y);
    let label_w = |spec: &AxisSpec, r: &Resolved, major: &[f64]| -> i32 {
        major
            .iter()
            .map(|&t| text_size(&fmt_tick(spec, r, t), f.label_size).0)
            .max()
            .unwrap_or(0)
    };
    let desc_h = (f.label_size * 1.2).round() as i32;
    let y_area = label_w(&d.y, &yr, &y_major) + desc_h + f.px(14.0);
    let (y2_major, y2_minor, y2_area) = match (&d.y2, &y2r) {
        (Some(spec), Some(r)) => {
            let (ma, mi) = key_points(r, spec, max_ticks_y);
            let wa = label_w(spec, r, &ma) + desc_h + f.px(14.0);
            (ma, mi, wa)
        }
        _ => (vec![], vec![], 0),
    };
    let x_area = desc_h * 2 + f.px(10.0);
    let chart = ChartBuilder::on(plot_area)
        .margin_top(f.px(6.0) as u32)
        .margin_left(f.px(4.0) as u32)
        .margin_bottom(f.px(4.0) as u32)
        .margin_right(if d.y2.is_some() {
            f.px(4.0)
        } else {
            f.px(18.0)
        } as u32)
        .x_label_area_size(x_area as u32)
        .y_label_area_size(y_area as u32)
        .right_y_label_area_size(y2_area as u32)
        .build_cartesian_2d(
            xr.coord(x_major.clone(), x_minor),
            yr.coord(y_major.clone(), y_minor),
        )
        .map_err(de)?;
    // The secondary coordinate takes the right label area before the mesh is drawn, so
    // the primary axis labels only the left side.
    // The right axis's tick labels are drawn by `draw_right_axis`, not by plotters: plotters
    // measures each right-side label (in a browser, through a DOM element and a forced
    // layout), which made every redraw of a two-axis chart several times slower.
    let y2_coord = match &y2r {
        Some(r) => r.coord(vec![], y2_minor),
        None => yr.coord(vec![], vec![]),
    };
    let mut chart = chart.set_secondary_coord(xr.coord(vec![], vec![]), y2_coord);
    let axis_style = ShapeStyle::from(f.pal.axis).stroke_width(f.px(1.0).max(1) as u32);
    draw_mesh(f, d, &mut chart, (&xr, &yr), axis_style)?;
    let (tx, ty) = (xr.t_range(), yr.t_range());
    Ok(Axes {
        chart,
        xr,
        yr,
        y2r,
        y2_labels: y2_major,
        axis_style,
        tx,
        ty,
    })
}

/// The grid, the left and bottom axes, their tick labels and titles.
fn draw_mesh<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    d: &ChartData,
    chart: &mut DualCoordChartContext<'_, DB, Cart, Cart>,
    (xr, yr): (&Resolved, &Resolved),
    axis_style: ShapeStyle,
) -> Result<(), ChartError> {
    let x_fmt = |t: &f64| fmt_tick(&d.x, xr, *t);
    let y_fmt = |t: &f64| fmt_tick(&d.y, yr, *t);
    let pal = f.pal;
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(d.x.label.clone())
        .y_desc(d.y.label.clone())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(f.text_font.clone())
        .axis_desc_style(f.text_font.clone())
        .bold_line_style(pal.grid.stroke_width(f.px(1.0).max(1) as u32))
        .light_line_style(pal.grid.mix(0.45).stroke_width(f.px(1.0).max(1) as u32))
        .axis_style(axis_style)
        .set_all_tick_mark_size(f.px(4.0));
    if !d.x.categories.is_empty() {
        mesh.disable_x_mesh();
    }
    mesh.draw().map_err(de)
}

/// The right-hand axis (drawn last): line and title by plotters, tick marks and labels
/// here, at the pixels of `plot`.
pub(super) fn draw_right_axis<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    d: &ChartData,
    ax: &mut Axes<'_, DB>,
    plot: &PlotRect,
) -> Result<(), ChartError> {
    let (Some(spec), Some(r)) = (&d.y2, &ax.y2r) else {
        return Ok(());
    };
    ax.chart
        .configure_secondary_axes()
        .y_desc(spec.label.clone())
        .axis_desc_style(f.text_font.clone())
        .axis_style(ax.axis_style)
        .draw()
        .map_err(de)?;
    let p = plot;
    let tick = f.px(5.0) as f64;
    for &t in &ax.y2_labels {
        let (a, b) = r.t_range();
        if b == a {
            continue;
        }
        let py = p.bottom + (t - a) / (b - a) * (p.top - p.bottom);
        if !py.is_finite() || py < p.top.min(p.bottom) - 0.5 || py > p.top.max(p.bottom) + 0.5 {
            continue;
        }
        let (x0, y) = (p.right.round() as i32, py.round() as i32);
        f.area
            .draw(&PathElement::new(
                vec![(x0, y), (x0 + tick as i32, y)],
                ax.axis_style,
            ))
            .map_err(de)?;
        f.area
            .draw(&Text::new(
                format_value(r.scale.inverse(t), spec.format),
                (x0 + (2.0 * tick) as i32, y),
                f.text_font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(de)?;
    }
    Ok(())
}
