//! Inside the plot: the shaded regions, then every series in its style (lines, dashes,
//! dots, stacked bands, bars with their values).

use super::axes::Axes;
use super::frame::{de, font, Frame};
use crate::chart::axis::{format_value, Scale};
use crate::chart::data::{ChartData, RegionKind, Series, Style};
use crate::chart::layout::text_size;
use crate::chart::ChartError;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBColor};

/// A drawn line, in transformed units (labels keep off it).
pub(super) type Drawn = Vec<(f64, f64)>;

/// Shades each region's band of x values across the plot.
pub(super) fn draw_regions<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    d: &ChartData,
    ax: &Axes<'_, DB>,
) -> Result<(), ChartError> {
    let plot = ax.chart.plotting_area();
    let (ty0, ty1) = ax.ty;
    for r in &d.regions {
        let (Some(a), Some(b)) = (ax.xr.t(r.x0), ax.xr.t(r.x1)) else {
            continue;
        };
        let (a, b) = (ax.clamp_x(a), ax.clamp_x(b));
        if (b - a).abs() <= 0.0 {
            continue;
        }
        let (color, alpha) = match r.kind {
            RegionKind::MemoryBound => (f.pal.memory_bound, 0.07),
            RegionKind::ComputeBound => (f.pal.compute_bound, 0.07),
            RegionKind::Infeasible => (f.pal.infeasible, 0.16),
        };
        plot.draw(&Rectangle::new(
            [(a, ty0), (b, ty1)],
            color.mix(alpha).filled(),
        ))
        .map_err(de)?;
    }
    Ok(())
}

/// Draws every series; returns the lines drawn (a point's own one-point line each).
pub(super) fn draw_series<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    d: &ChartData,
    ax: &Axes<'_, DB>,
) -> Result<Vec<Drawn>, ChartError> {
    let plot = ax.chart.plotting_area();
    let px = |v| f.px(v);
    let stroke = px(2.0).max(1) as u32;
    let mut stack_base: Vec<f64> = Vec::new();
    let mut drawn: Vec<Drawn> = Vec::new();
    for s in &d.series {
        let color = f.ink(s.ink);
        let pts: Vec<(f64, f64)> = s
            .points
            .iter()
            .filter_map(|&(x, y)| Some((ax.xr.t(x)?, ax.map_y(s.side, y)?)))
            .collect();
        match s.style {
            Style::Line => {
                drawn.push(pts.clone());
                plot.draw(&PathElement::new(
                    pts,
                    color.stroke_width(stroke + px(0.5) as u32),
                ))
                .map_err(de)?;
            }
            Style::Dashed => {
                drawn.push(pts.clone());
                plot.draw(&DashedPathElement::new(
                    pts,
                    px(6.0) as u32,
                    px(4.0) as u32,
                    color.stroke_width(stroke),
                ))
                .map_err(de)?;
            }
            Style::Points => {
                for p in pts {
                    drawn.push(vec![p]);
                    plot.draw(&Circle::new(p, px(5.0), color.filled()))
                        .map_err(de)?;
                }
            }
            Style::Stacked => {
                drawn.extend(draw_band(f, ax, s, color, &mut stack_base)?);
            }
            Style::Bars { offset, width } => draw_bars(f, d, ax, s, color, (offset, width))?,
        }
    }
    Ok(drawn)
}

/// One stacked band on top of `stack_base` (the tops of the bands below, raised by this
/// one); returns its top line, if drawn.
fn draw_band<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    ax: &Axes<'_, DB>,
    s: &Series,
    color: RGBColor,
    stack_base: &mut Vec<f64>,
) -> Result<Option<Drawn>, ChartError> {
    if stack_base.len() != s.points.len() {
        *stack_base = vec![0.0; s.points.len()];
    }
    let mut upper = Vec::new();
    let mut lower = Vec::new();
    for (i, &(x, y)) in s.points.iter().enumerate() {
        let y = if y.is_finite() { y.max(0.0) } else { 0.0 };
        let lo = stack_base[i];
        let hi = lo + y;
        stack_base[i] = hi;
        if let (Some(tx), Some(a), Some(b)) = (ax.xr.t(x), ax.yr.t(lo), ax.yr.t(hi)) {
            lower.push((tx, a));
            upper.push((tx, b));
        }
    }
    let mut poly = upper.clone();
    poly.extend(lower.into_iter().rev());
    if poly.len() < 3 {
        return Ok(None);
    }
    let plot = ax.chart.plotting_area();
    plot.draw(&Polygon::new(poly, color.mix(0.55).filled()))
        .map_err(de)?;
    plot.draw(&PathElement::new(
        upper.clone(),
        color.stroke_width(f.px(1.5) as u32),
    ))
    .map_err(de)?;
    Ok(Some(upper))
}

/// A series of bars `width` wide at x + `offset` (x units), from 0 (or the axis bottom on
/// a log scale), each labelled with its value when the label fits.
fn draw_bars<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    d: &ChartData,
    ax: &Axes<'_, DB>,
    s: &Series,
    color: RGBColor,
    (offset, width): (f64, f64),
) -> Result<(), ChartError> {
    let plot = ax.chart.plotting_area();
    let (xr, yr) = (&ax.xr, &ax.yr);
    let ty0 = ax.ty.0;
    let y0 = if yr.scale == Scale::Log {
        ty0
    } else {
        yr.t(0.0).unwrap_or(ty0)
    };
    for &(x, y) in &s.points {
        let (Some(a), Some(b), Some(ty)) = (
            xr.t(x + offset - width / 2.0),
            xr.t(x + offset + width / 2.0),
            yr.t(y),
        ) else {
            continue;
        };
        plot.draw(&Rectangle::new(
            [(a, y0), (b, ty)],
            color.mix(0.85).filled(),
        ))
        .map_err(de)?;
        let label = format_value(y, d.y.format);
        let (left_px, top_px) = ax.pixel((a, ty));
        let (right_px, _) = ax.pixel((b, ty));
        let tw = text_size(&label, f.small_size).0;
        if tw <= right_px - left_px + f.px(6.0) {
            f.area
                .draw(&Text::new(
                    label,
                    (
                        (left_px + right_px) / 2 - f.base.0,
                        top_px - f.px(2.0) - f.base.1,
                    ),
                    font(f.small_size, &f.pal.text).pos(Pos::new(HPos::Center, VPos::Bottom)),
                ))
                .map_err(de)?;
        }
    }
    Ok(())
}
