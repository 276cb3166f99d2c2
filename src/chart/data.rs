//! What a chart shows, as plain data: series, shaded regions, labelled markers and axes.
//!
//! No drawing and no model here: the chart builders (`charts`) fill a [`ChartData`], the
//! renderer draws it, the UI's hover readout reads its series, and `csv` writes them.
//! Values are stored in the units their axis label names (ms, GB, USD per million tokens, …).

use super::axis::{Format, Scale};
use super::ChartKind;

/// Which vertical axis a series or marker belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The left axis (`ChartData::y`).
    Left,
    /// The right axis (`ChartData::y2`).
    Right,
}

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Style {
    /// A solid line.
    Line,
    /// A dashed line.
    Dashed,
    /// Dots only.
    Points,
    /// Filled band on top of the previous stacked series (same x values).
    Stacked,
    /// Bars centred at x + offset, `width` in x units, from 0.
    Bars {
        /// From the category's x to the bar's centre, x units.
        offset: f64,
        /// Bar width, x units.
        width: f64,
    },
}

/// A colour role; the palette turns it into a colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ink {
    /// The n-th series colour of the palette.
    Series(usize),
    /// Neutral grey for reference lines.
    Muted,
}

/// How a series is drawn: the axis it reads, its style and its colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pen {
    /// The axis its y values are on.
    pub side: Side,
    /// Line, dashes, dots, band or bars.
    pub style: Style,
    /// Its colour role.
    pub ink: Ink,
}

impl Pen {
    /// A pen on the left axis.
    pub const fn left(style: Style, ink: Ink) -> Self {
        Pen {
            side: Side::Left,
            style,
            ink,
        }
    }

    /// A pen on the right axis.
    pub const fn right(style: Style, ink: Ink) -> Self {
        Pen {
            side: Side::Right,
            style,
            ink,
        }
    }
}

/// One series of (x, y) points, y on `side`'s axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend and readout name.
    pub name: String,
    /// CSV column name, with units (`cost_usd_per_million_output_tokens`).
    pub column: String,
    /// The axis its y values are on.
    pub side: Side,
    /// How it is drawn.
    pub style: Style,
    /// Its colour role.
    pub ink: Ink,
    /// Whether the legend lists it (reference lines labelled in place are not listed).
    pub legend: bool,
    /// (x, y) in the axes' units, in drawing order.
    pub points: Vec<(f64, f64)>,
}

/// What a shaded band of x values means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionKind {
    MemoryBound,
    ComputeBound,
    /// The configuration does not fit in memory there.
    Infeasible,
}

/// A shaded band x0..x1 across the plot, labelled.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// Where the band starts, x units.
    pub x0: f64,
    /// Where the band ends, x units.
    pub x1: f64,
    /// What it means (and so its colour).
    pub kind: RegionKind,
    /// Written along the bottom of the band.
    pub label: String,
}

/// An annotation that carries an insight.
#[derive(Clone, Debug, PartialEq)]
pub enum Marker {
    /// A vertical line at x, labelled near the top of the plot.
    VLine { x: f64, label: String, ink: Ink },
    /// A label written on the horizontal line y between x0 and x1 (a reference level).
    Inline {
        x0: f64,
        x1: f64,
        y: f64,
        side: Side,
        label: String,
        ink: Ink,
    },
    /// A labelled point; `dot` draws a ring at it.
    Point {
        x: f64,
        y: f64,
        side: Side,
        label: String,
        ink: Ink,
        dot: bool,
    },
}

/// One axis: label with units, scale, tick format, optional fixed range or categories.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisSpec {
    /// Axis title with units.
    pub label: String,
    /// CSV column name of this axis's values.
    pub column: String,
    /// Linear or log.
    pub scale: Scale,
    /// How tick labels and readouts print values.
    pub format: Format,
    /// Extend the range to include zero (linear axes).
    pub include_zero: bool,
    /// Fixed range, in values; computed from the data when `None`.
    pub range: Option<(f64, f64)>,
    /// Names of integer x positions 0, 1, 2… (a category axis); empty otherwise.
    pub categories: Vec<String>,
}

impl AxisSpec {
    /// An axis from 0 on a linear scale (not on a log one), range from the data.
    pub(crate) fn new(label: &str, column: &str, scale: Scale, format: Format) -> Self {
        AxisSpec {
            label: label.into(),
            column: column.into(),
            scale,
            format,
            include_zero: scale == Scale::Linear,
            range: None,
            categories: Vec::new(),
        }
    }
}

/// Everything one chart shows, before drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    /// Which chart (the lab's charts borrow the kind they resemble).
    pub kind: ChartKind,
    /// Drawn at the top.
    pub title: String,
    /// The horizontal axis.
    pub x: AxisSpec,
    /// The left axis.
    pub y: AxisSpec,
    /// The right axis, where the chart has one.
    pub y2: Option<AxisSpec>,
    /// Drawn in order; stacked bands stack in this order.
    pub series: Vec<Series>,
    /// Shaded bands, drawn under the series.
    pub regions: Vec<Region>,
    /// Annotations, drawn over the series.
    pub markers: Vec<Marker>,
    /// Small print under the legend (sources, dates, assumptions).
    pub notes: Vec<String>,
}

impl ChartData {
    /// An empty chart of `kind` (titled by it) on axes `x` and `y`.
    pub(crate) fn new(kind: ChartKind, x: AxisSpec, y: AxisSpec) -> Self {
        ChartData {
            kind,
            title: kind.title().into(),
            x,
            y,
            y2: None,
            series: Vec::new(),
            regions: Vec::new(),
            markers: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds a series drawn with `pen`, listed in the legend; returns it for adjustments.
    pub(crate) fn plot(
        &mut self,
        name: &str,
        column: &str,
        pen: Pen,
        points: Vec<(f64, f64)>,
    ) -> &mut Series {
        self.series.push(Series {
            name: name.into(),
            column: column.into(),
            side: pen.side,
            style: pen.style,
            ink: pen.ink,
            legend: true,
            points,
        });
        let i = self.series.len() - 1;
        &mut self.series[i]
    }

    /// Adds a vertical line marker at `x` (skipped unless finite).
    pub(crate) fn vline(&mut self, x: f64, label: String, ink: Ink) {
        if x.is_finite() {
            self.markers.push(Marker::VLine { x, label, ink });
        }
    }

    /// Adds a labelled point marker (skipped unless finite); `dot` rings it.
    pub(crate) fn point(&mut self, x: f64, y: f64, side: Side, label: String, ink: Ink, dot: bool) {
        if x.is_finite() && y.is_finite() {
            self.markers.push(Marker::Point {
                x,
                y,
                side,
                label,
                ink,
                dot,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> ChartData {
        ChartData::new(
            ChartKind::Roofline,
            AxisSpec::new("x", "x", Scale::Log, Format::Number),
            AxisSpec::new("y", "y", Scale::Linear, Format::Usd),
        )
    }

    #[test]
    fn new_titles_by_kind_and_axes_start_at_zero_only_when_linear() {
        let d = data();
        assert_eq!(d.title, ChartKind::Roofline.title());
        assert!(!d.x.include_zero && d.y.include_zero);
        assert!(d.series.is_empty() && d.markers.is_empty() && d.y2.is_none());
    }

    #[test]
    fn plot_adds_a_listed_series_with_the_pens_look() {
        let mut d = data();
        let s = d.plot(
            "a",
            "a_col",
            Pen::right(Style::Dashed, Ink::Series(2)),
            vec![(1.0, 2.0)],
        );
        s.legend = false;
        let s = &d.series[0];
        assert_eq!(
            (s.side, s.style, s.ink),
            (Side::Right, Style::Dashed, Ink::Series(2))
        );
        assert_eq!((s.name.as_str(), s.column.as_str()), ("a", "a_col"));
        assert!(!s.legend);
        assert_eq!(Pen::left(Style::Line, Ink::Muted).side, Side::Left);
    }

    #[test]
    fn markers_at_non_finite_positions_are_dropped() {
        let mut d = data();
        d.vline(f64::NAN, "no".into(), Ink::Muted);
        d.point(
            1.0,
            f64::INFINITY,
            Side::Left,
            "no".into(),
            Ink::Muted,
            true,
        );
        assert!(d.markers.is_empty());
        d.vline(3.0, "yes".into(), Ink::Muted);
        d.point(1.0, 2.0, Side::Left, "yes".into(), Ink::Muted, false);
        assert_eq!(d.markers.len(), 2);
    }
}
