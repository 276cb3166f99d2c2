//! Draws a [`ChartData`] on any plotters backend and reports the axis mapping, in stages
//! over one shared [`Frame`]: background, header (title, legend, notes), axes, regions and
//! series, markers and their labels, the chart info, and the right-hand axis last.
//!
//! The drawing order is the SVG's element order: stages run in the order above.

mod axes;
mod frame;
mod header;
mod info;
mod markers;
mod plot;

use super::data::ChartData;
use super::{ChartError, ChartInfo, ChartStyle};
use frame::{de, Frame};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

/// Draws `d` onto `area` in style `st`; returns where everything landed.
pub(super) fn render<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &ChartData,
    st: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    let f = Frame::new(area, st);
    area.fill(&f.pal.background).map_err(de)?;
    let top = header::draw_header(&f, d)?;
    let plot_area = area.margin(top.max(0) as u32, 0, 0, 0);
    let mut ax = axes::draw_axes(&f, d, &plot_area, top)?;
    plot::draw_regions(&f, d, &ax)?;
    let drawn = plot::draw_series(&f, d, &ax)?;
    markers::draw_markers(&f, d, &ax, &drawn)?;
    let info = info::chart_info(d, &ax);
    axes::draw_right_axis(&f, d, &mut ax, &info.plot)?;
    Ok(info)
}
