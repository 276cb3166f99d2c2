//! What the UI needs after drawing: the plot's pixels, the axes' ranges and where each
//! point was drawn, read from plotters' own coordinate translation.

use super::axes::{Axes, Resolved};
use crate::chart::data::{AxisSpec, ChartData, Style};
use crate::chart::{AxisInfo, ChartInfo, PlotRect};
use plotters::prelude::DrawingBackend;

/// The chart's [`ChartInfo`] for the drawn axes `ax`.
pub(super) fn chart_info<DB: DrawingBackend>(d: &ChartData, ax: &Axes<'_, DB>) -> ChartInfo {
    let (tx0, tx1) = ax.tx;
    let (ty0, ty1) = ax.ty;
    let (left, bottom) = ax.pixel((tx0, ty0));
    let (right, top) = ax.pixel((tx1, ty1));
    ChartInfo {
        kind: d.kind,
        title: d.title.clone(),
        plot: PlotRect {
            left: left as f64,
            right: right as f64,
            top: top as f64,
            bottom: bottom as f64,
        },
        x: info_axis(&d.x, &ax.xr),
        y: info_axis(&d.y, &ax.yr),
        y2: match (&d.y2, &ax.y2r) {
            (Some(spec), Some(r)) => Some(info_axis(spec, r)),
            _ => None,
        },
        series: d.series.clone(),
        drawn: drawn_positions(d),
    }
}

/// An axis as drawn: its title, resolved range and scale, format and categories.
fn info_axis(spec: &AxisSpec, r: &Resolved) -> AxisInfo {
    AxisInfo {
        label: spec.label.clone(),
        min: r.lo,
        max: r.hi,
        scale: r.scale,
        format: spec.format,
        categories: spec.categories.clone(),
    }
}

/// Where each series point is drawn, in data units: stacked bands at their tops, bars at
/// their centres, everything else at its value.
pub(super) fn drawn_positions(d: &ChartData) -> Vec<Vec<(f64, f64)>> {
    let mut base: Vec<f64> = Vec::new();
    d.series
        .iter()
        .map(|s| match s.style {
            Style::Stacked => {
                if base.len() != s.points.len() {
                    base = vec![0.0; s.points.len()];
                }
                s.points
                    .iter()
                    .zip(base.iter_mut())
                    .map(|(&(x, y), b)| {
                        *b += if y.is_finite() { y.max(0.0) } else { 0.0 };
                        (x, *b)
                    })
                    .collect()
            }
            Style::Bars { offset, .. } => s.points.iter().map(|&(x, y)| (x + offset, y)).collect(),
            _ => s.points.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::axis::{Format, Scale};
    use crate::chart::data::{Ink, Pen};
    use crate::chart::ChartKind;

    #[test]
    fn stacked_bands_are_drawn_at_their_tops_and_bars_at_their_centres() {
        let axis = || AxisSpec::new("a", "a", Scale::Linear, Format::Number);
        let mut d = ChartData::new(ChartKind::BreakdownTime, axis(), axis());
        let band = Pen::left(Style::Stacked, Ink::Muted);
        d.plot("a", "a", band, vec![(1.0, 2.0), (2.0, f64::NAN)]);
        d.plot("b", "b", band, vec![(1.0, 3.0), (2.0, -1.0)]);
        let bars = Style::Bars {
            offset: 0.25,
            width: 0.5,
        };
        d.plot("c", "c", Pen::left(bars, Ink::Muted), vec![(0.0, 7.0)]);
        d.plot(
            "d",
            "d",
            Pen::left(Style::Line, Ink::Muted),
            vec![(0.0, 9.0)],
        );
        let drawn = drawn_positions(&d);
        assert_eq!(drawn[0], vec![(1.0, 2.0), (2.0, 0.0)]);
        assert_eq!(drawn[1], vec![(1.0, 5.0), (2.0, 0.0)]);
        assert_eq!(drawn[2], vec![(0.25, 7.0)]);
        assert_eq!(drawn[3], vec![(0.0, 9.0)]);
    }
}
