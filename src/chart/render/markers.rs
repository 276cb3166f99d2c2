//! Markers and every label in the plot: marker dots, vertical lines, then the labels of
//! vertical lines, regions, reference levels and points, each placed (by `layout`) to keep
//! off the other labels and the data.

use super::axes::Axes;
use super::frame::{de, font, Frame};
use super::plot::Drawn;
use crate::chart::data::{ChartData, Ink, Marker, RegionKind};
use crate::chart::layout::{
    inline_candidates, path_obstacles, point_candidates, region_candidates, text_size,
    vline_candidates, PixBox, Placer,
};
use crate::chart::ChartError;
use plotters::element::{Circle, DashedPathElement, Rectangle, Text};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBAColor, RGBColor};

/// Labels in the plot: their font size, padding and row height, and where they are.
struct Labels<'f, 'a, DB: DrawingBackend> {
    f: &'f Frame<'a, DB>,
    placer: Placer,
    /// Padding left and right of a label's text, pixels.
    lpad: i32,
    /// Height of one row of labels, pixels.
    row_h: i32,
}

impl<DB: DrawingBackend> Labels<'_, '_, DB> {
    /// The box (width, height) of label `text`, pixels.
    fn size(&self, text: &str) -> (i32, i32) {
        let (tw, th) = text_size(text, self.f.small_size);
        (tw + 2 * self.lpad, th.max(self.row_h - self.f.px(2.0)))
    }

    /// Draws `text` in `color` on a translucent background filling box `bx`.
    fn draw(&self, text: &str, bx: PixBox, color: RGBColor) -> Result<(), ChartError> {
        let (f, base) = (self.f, self.f.base);
        let bg: RGBAColor = f.pal.background.mix(0.82);
        f.area
            .draw(&Rectangle::new(
                [
                    (bx.0 - base.0, bx.1 - base.1),
                    (bx.2 - base.0, bx.3 - base.1),
                ],
                bg.filled(),
            ))
            .map_err(de)?;
        f.area
            .draw(&Text::new(
                text.to_string(),
                (bx.0 + self.lpad - base.0, (bx.1 + bx.3) / 2 - base.1),
                font(f.small_size, &color).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(de)
    }

    /// Places `text` at the best of `cands` (or, `clear`, only where no label is) and
    /// draws it.
    fn put(
        &mut self,
        text: &str,
        cands: &[PixBox],
        color: RGBColor,
        clear: bool,
    ) -> Result<(), ChartError> {
        let placed = if clear {
            self.placer.place_clear(cands)
        } else {
            self.placer.place(cands)
        };
        match placed {
            Some(bx) => self.draw(text, bx, color),
            None => Ok(()),
        }
    }
}

/// Draws the markers and all labels; `drawn` are the series' lines (transformed units).
pub(super) fn draw_markers<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    d: &ChartData,
    ax: &Axes<'_, DB>,
    drawn: &[Drawn],
) -> Result<(), ChartError> {
    let (tx0, tx1) = ax.tx;
    let (ty0, ty1) = ax.ty;
    let (pl, pt) = ax.pixel((tx0, ty1));
    let (pr, pb) = ax.pixel((tx1, ty0));
    let mut placer = Placer::new((pl.min(pr), pt.min(pb), pl.max(pr), pt.max(pb)));
    // Sample every drawn line every few pixels so labels keep off the data.
    let half = f.px(2.0).max(1);
    for line in drawn {
        let pix: Vec<(i32, i32)> = line.iter().map(|&p| ax.pixel(p)).collect();
        placer.avoid(path_obstacles(&pix, half, f.px(6.0)));
    }
    // Marker dots first, so every label avoids every dot.
    draw_dots(f, d, ax, &mut placer)?;
    let mut labels = Labels {
        f,
        placer,
        lpad: f.px(3.0),
        row_h: (f.small_size * 1.45).round() as i32,
    };
    // Vertical lines first (their labels sit in rows along the top), then the rest.
    draw_vlines(d, ax, &mut labels)?;
    label_regions(d, ax, &mut labels)?;
    label_levels(d, ax, &mut labels)?;
    label_points(d, ax, &mut labels)
}

/// The rings of point markers that have one; each becomes an obstacle for labels.
fn draw_dots<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    d: &ChartData,
    ax: &Axes<'_, DB>,
    placer: &mut Placer,
) -> Result<(), ChartError> {
    let plot = ax.chart.plotting_area();
    for m in &d.markers {
        let Marker::Point {
            x,
            y,
            side,
            ink,
            dot: true,
            ..
        } = m
        else {
            continue;
        };
        let (Some(tx), Some(ty)) = (ax.xr.t(*x), ax.map_y(*side, *y)) else {
            continue;
        };
        plot.draw(&Circle::new(
            (tx, ty),
            f.px(5.0),
            f.ink(*ink).stroke_width(f.px(2.0).max(1) as u32),
        ))
        .map_err(de)?;
        let (cx, cy) = ax.pixel((tx, ty));
        let r = f.px(7.0);
        placer.avoid([(cx - r, cy - r, cx + r, cy + r)]);
    }
    Ok(())
}

/// Vertical line markers, left to right, each labelled in a row along the top.
fn draw_vlines<DB: DrawingBackend>(
    d: &ChartData,
    ax: &Axes<'_, DB>,
    labels: &mut Labels<'_, '_, DB>,
) -> Result<(), ChartError> {
    let f = labels.f;
    let (tx0, tx1) = ax.tx;
    let (ty0, ty1) = ax.ty;
    let mut vlines: Vec<(&f64, &String, &Ink)> = d
        .markers
        .iter()
        .filter_map(|m| match m {
            Marker::VLine { x, label, ink } => Some((x, label, ink)),
            _ => None,
        })
        .collect();
    vlines.sort_by(|a, b| a.0.total_cmp(b.0));
    // Labels keep off every vertical line, not only their own.
    for (x, _, _) in &vlines {
        if let Some(tx) = ax.xr.t(**x) {
            let (lx, _) = ax.pixel((tx, ty1));
            let (_, t, _, b) = labels.placer.bounds();
            labels.placer.avoid([(lx - 1, t, lx + 1, b)]);
        }
    }
    let plot = ax.chart.plotting_area();
    for (x, label, ink) in vlines {
        let Some(tx) = ax.xr.t(*x) else { continue };
        if tx < tx0.min(tx1) || tx > tx0.max(tx1) {
            continue;
        }
        let color = f.ink(*ink);
        plot.draw(&DashedPathElement::new(
            vec![(tx, ty0), (tx, ty1)],
            f.px(5.0) as u32,
            f.px(4.0) as u32,
            color.stroke_width(f.px(1.5).max(1) as u32),
        ))
        .map_err(de)?;
        let (lx, _) = ax.pixel((tx, ty1));
        let top = labels.placer.bounds().1 + f.px(3.0);
        let cands = vline_candidates(lx, top, labels.size(label), labels.row_h, f.px(3.0));
        labels.put(label, &cands, color, false)?;
    }
    Ok(())
}

/// Region labels along the bottom of the plot, inside each band wide enough.
fn label_regions<DB: DrawingBackend>(
    d: &ChartData,
    ax: &Axes<'_, DB>,
    labels: &mut Labels<'_, '_, DB>,
) -> Result<(), ChartError> {
    let f = labels.f;
    let ty0 = ax.ty.0;
    for r in &d.regions {
        let (Some(a), Some(b)) = (ax.xr.t(r.x0), ax.xr.t(r.x1)) else {
            continue;
        };
        let (a, b) = (ax.clamp_x(a), ax.clamp_x(b));
        let (la, _) = ax.pixel((a, ty0));
        let (lb, _) = ax.pixel((b, ty0));
        let size = labels.size(&r.label);
        if lb - la < size.0 + f.px(4.0) {
            continue;
        }
        let bottom = labels.placer.bounds().3 - f.px(3.0);
        let cands = region_candidates(la, lb, bottom, size, f.px(3.0));
        let color = match r.kind {
            RegionKind::MemoryBound => f.pal.memory_bound,
            RegionKind::ComputeBound => f.pal.compute_bound,
            RegionKind::Infeasible => f.pal.muted,
        };
        labels.put(&r.label, &cands, color, false)?;
    }
    Ok(())
}

/// Reference levels' labels, on their lines. They crowd on narrow charts: unlabelled beats
/// unreadable (the readout still names the line), so a label goes only where no label is.
fn label_levels<DB: DrawingBackend>(
    d: &ChartData,
    ax: &Axes<'_, DB>,
    labels: &mut Labels<'_, '_, DB>,
) -> Result<(), ChartError> {
    let f = labels.f;
    for m in &d.markers {
        let Marker::Inline {
            x0,
            x1,
            y,
            side,
            label,
            ink,
        } = m
        else {
            continue;
        };
        let (Some(a), Some(b), Some(ty)) = (ax.xr.t(*x0), ax.xr.t(*x1), ax.map_y(*side, *y)) else {
            continue;
        };
        let (a, b) = (ax.clamp_x(a), ax.clamp_x(b));
        let (pa, cy) = ax.pixel((a, ty));
        let (pb, _) = ax.pixel((b, ty));
        let cands = inline_candidates(pa, pb, cy, labels.size(label), (f.px(4.0), f.px(8.0)));
        labels.put(label, &cands, f.ink(*ink), true)?;
    }
    Ok(())
}

/// Point markers' labels, around their points.
fn label_points<DB: DrawingBackend>(
    d: &ChartData,
    ax: &Axes<'_, DB>,
    labels: &mut Labels<'_, '_, DB>,
) -> Result<(), ChartError> {
    let f = labels.f;
    for m in &d.markers {
        let Marker::Point {
            x,
            y,
            side,
            label,
            ink,
            ..
        } = m
        else {
            continue;
        };
        let (Some(tx), Some(ty)) = (ax.xr.t(*x), ax.map_y(*side, *y)) else {
            continue;
        };
        let c = ax.pixel((tx, ty));
        let cands = point_candidates(c, labels.size(label), f.px(7.0), f.px(4.0));
        labels.put(label, &cands, f.ink(*ink), false)?;
    }
    Ok(())
}
