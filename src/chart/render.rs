//! Draws a [`ChartData`] on any plotters backend and reports the axis mapping.
//!
//! Every chart draws in transformed coordinates (log10 on log axes) with explicit tick
//! positions, so one coordinate type serves linear, log and category axes and no value
//! reaches the backend unless it is finite.

use super::axis::{fit_range, format_value, ticks, Scale};
use super::data::{AxisSpec, ChartData, Ink, Marker, RegionKind, Series, Side, Style};
use super::{AxisInfo, ChartError, ChartInfo, ChartStyle, PlotRect};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{ChartBuilder, DrawingArea, DrawingAreaErrorKind, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, IntoFont, RGBAColor, RGBColor, ShapeStyle, TextStyle};

/// A linear f64 coordinate (in transformed units) with explicit tick positions.
struct Coord {
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

fn de<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> ChartError {
    ChartError::Drawing(e.to_string())
}

/// An axis resolved for drawing: effective scale and range in values.
struct Resolved {
    scale: Scale,
    lo: f64,
    hi: f64,
}

impl Resolved {
    fn t(&self, v: f64) -> Option<f64> {
        self.scale.forward(v)
    }
    fn t_range(&self) -> (f64, f64) {
        (
            self.scale.forward(self.lo).unwrap_or(0.0),
            self.scale.forward(self.hi).unwrap_or(1.0),
        )
    }
}

/// Picks the scale (a log axis with nothing positive falls back to linear) and range.
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
                // The data's own extent (x axes end where the sweep ends).
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

fn ink_color(style: &ChartStyle, ink: Ink) -> RGBColor {
    match ink {
        Ink::Series(i) => style.palette.series[i % style.palette.series.len()],
        Ink::Muted => style.palette.muted,
    }
}

/// Placed label boxes, to keep labels from overlapping each other.
struct Placer {
    boxes: Vec<(i32, i32, i32, i32)>,
    /// Drawn data (line samples, dots): labels avoid them, less strongly than each other.
    obstacles: Vec<(i32, i32, i32, i32)>,
    bounds: (i32, i32, i32, i32),
}

impl Placer {
    fn overlap(&self, b: (i32, i32, i32, i32)) -> i64 {
        let area = |o: &(i32, i32, i32, i32)| {
            let w = (b.2.min(o.2) - b.0.max(o.0)).max(0) as i64;
            let h = (b.3.min(o.3) - b.1.max(o.1)).max(0) as i64;
            w * h
        };
        let total = 4 * self.boxes.iter().map(area).sum::<i64>()
            + self.obstacles.iter().map(area).sum::<i64>();
        let (l, t, r, bt) = self.bounds;
        let outside =
            ((l - b.0).max(0) + (b.2 - r).max(0) + (t - b.1).max(0) + (b.3 - bt).max(0)) as i64;
        total + outside * 1000
    }

    /// The least-overlapping candidate, only if it overlaps no other label; records it.
    fn place_clear(&mut self, candidates: &[(i32, i32, i32, i32)]) -> Option<(i32, i32, i32, i32)> {
        let labels_only = Placer {
            boxes: self.boxes.clone(),
            obstacles: Vec::new(),
            bounds: self.bounds,
        };
        let clear: Vec<_> = candidates
            .iter()
            .copied()
            .filter(|b| labels_only.overlap(*b) == 0)
            .collect();
        self.place(&clear)
    }

    /// The first candidate box with no overlap, else the least-overlapping; records it.
    fn place(&mut self, candidates: &[(i32, i32, i32, i32)]) -> Option<(i32, i32, i32, i32)> {
        let best = candidates
            .iter()
            .copied()
            .enumerate()
            .min_by_key(|(i, b)| (self.overlap(*b), *i))?
            .1;
        self.boxes.push(best);
        Some(best)
    }
}

/// Width and height of `text` in pixels, from per-character widths of a typical sans-serif
/// (DejaVu Sans, slightly generous for Helvetica/Arial). No backend measuring: on a canvas
/// plotters would measure each string through the DOM (a layout per call), too slow for
/// redrawing every chart in one frame, and natively it only guesses from byte counts.
fn text_size(text: &str, font: &TextStyle) -> (i32, i32) {
    let size = font.font.get_size();
    let em: f64 = text
        .chars()
        .map(|c| match c {
            ' ' | 'i' | 'l' | 'j' | 'I' | '.' | ',' | ':' | ';' | '|' | '!' | '\'' => 0.3,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '/' | '-' => 0.4,
            'm' | 'w' | 'M' | 'W' | '%' => 0.9,
            '0'..='9' | '$' | '*' | '+' | '=' | '<' | '>' | '≈' | '×' | '→' => 0.64,
            c if c.is_uppercase() => 0.7,
            _ => 0.57,
        })
        .sum();
    ((em * size).round() as i32, size.round() as i32)
}

/// Where each series point is drawn: stacked bands at their tops, bars at their centres.
fn drawn_positions(d: &ChartData) -> Vec<Vec<(f64, f64)>> {
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

/// Splits `text` into lines no wider than `max_w` pixels (by [`text_size`]).
fn wrap(text: &str, font: &TextStyle, max_w: i32) -> Vec<String> {
    let width = |s: &str| text_size(s, font).0;
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if width(&cand) > max_w && !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

pub(super) fn render<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &ChartData,
    st: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    let pal = &st.palette;
    let sc = if st.scale.is_finite() && st.scale > 0.0 {
        st.scale.clamp(0.25, 8.0)
    } else {
        1.0
    };
    let px = |v: f64| (v * sc).round() as i32;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let compact = (w as f64 / sc) < 560.0;
    let title_size = if compact { 14.0 } else { 16.0 } * sc;
    let label_size = if compact { 11.0 } else { 12.5 } * sc;
    let small_size = if compact { 10.0 } else { 11.0 } * sc;
    let font = |size: f64, color: &RGBColor| ("sans-serif", size).into_font().color(color);
    let text_font = font(label_size, &pal.text);
    let small_font = font(small_size, &pal.muted);

    area.fill(&pal.background).map_err(de)?;
    let base = area.get_base_pixel();

    // Title, shrunk until it fits.
    let pad = px(8.0);
    let mut tsize = title_size;
    let mut title_font = font(tsize, &pal.text);
    while tsize > 8.0 * sc && text_size(&d.title, &title_font).0 > w - 2 * pad {
        tsize -= 0.5 * sc;
        title_font = font(tsize, &pal.text);
    }
    let title_h = text_size(&d.title, &title_font).1;
    area.draw(&Text::new(
        d.title.clone(),
        (pad, pad),
        title_font.clone().pos(Pos::new(HPos::Left, VPos::Top)),
    ))
    .map_err(de)?;
    let mut y_cursor = pad + title_h + px(6.0);

    // Legend (when more than one series is listed) and notes, flowed left to right.
    let legend: Vec<&Series> = d.series.iter().filter(|s| s.legend).collect();
    let line_h = (label_size * 1.35).round() as i32;
    let swatch = px(18.0);
    if legend.len() > 1 {
        let mut x = pad;
        for s in &legend {
            let tw = text_size(&s.name, &text_font).0;
            let item_w = swatch + px(5.0) + tw + px(14.0);
            if x > pad && x + item_w > w - pad {
                x = pad;
                y_cursor += line_h;
            }
            let color = ink_color(st, s.ink);
            let cy = y_cursor + line_h / 2;
            match s.style {
                Style::Stacked | Style::Bars { .. } => area
                    .draw(&Rectangle::new(
                        [(x, cy - px(5.0)), (x + swatch, cy + px(5.0))],
                        color.mix(0.85).filled(),
                    ))
                    .map_err(de)?,
                Style::Points => area
                    .draw(&Circle::new((x + swatch / 2, cy), px(4.0), color.filled()))
                    .map_err(de)?,
                Style::Dashed => area
                    .draw(&DashedPathElement::new(
                        vec![(x, cy), (x + swatch, cy)],
                        px(4.0) as u32,
                        px(3.0) as u32,
                        color.stroke_width(px(2.0) as u32),
                    ))
                    .map_err(de)?,
                Style::Line => area
                    .draw(&PathElement::new(
                        vec![(x, cy), (x + swatch, cy)],
                        color.stroke_width(px(2.5) as u32),
                    ))
                    .map_err(de)?,
            }
            area.draw(&Text::new(
                s.name.clone(),
                (x + swatch + px(5.0), cy),
                text_font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(de)?;
            x += item_w;
        }
        y_cursor += line_h;
    }
    let small_line_h = (small_size * 1.3).round() as i32;
    for note in &d.notes {
        for line in wrap(note, &small_font, w - 2 * pad) {
            area.draw(&Text::new(
                line,
                (pad, y_cursor + small_line_h / 2),
                small_font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(de)?;
            y_cursor += small_line_h;
        }
    }
    y_cursor += px(2.0);

    // Axes.
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    let mut y2s = Vec::new();
    for s in &d.series {
        for &(x, y) in &s.points {
            xs.push(x);
            match s.side {
                Side::Left => ys.push(y),
                Side::Right => y2s.push(y),
            }
        }
    }
    for m in &d.markers {
        match m {
            Marker::VLine { x, .. } => xs.push(*x),
            Marker::Inline { y, side, .. } => match side {
                Side::Left => ys.push(*y),
                Side::Right => y2s.push(*y),
            },
            Marker::Point { x, y, side, .. } => {
                xs.push(*x);
                match side {
                    Side::Left => ys.push(*y),
                    Side::Right => y2s.push(*y),
                }
            }
        }
    }
    if d.series.iter().any(|s| s.style == Style::Stacked) {
        // Stacked bands reach the sum of their parts.
        let stacked: Vec<&Series> = d
            .series
            .iter()
            .filter(|s| s.style == Style::Stacked)
            .collect();
        let n = stacked.iter().map(|s| s.points.len()).min().unwrap_or(0);
        for i in 0..n {
            ys.push(stacked.iter().map(|s| s.points[i].1).sum());
        }
    }
    let xr = resolve(&d.x, &xs, true);
    let yr = resolve(&d.y, &ys, false);
    let y2r = d.y2.as_ref().map(|spec| resolve(spec, &y2s, false));
    let max_ticks_x = ((w as f64 / sc) / 80.0).clamp(3.0, 10.0) as usize;
    let plot_h_guess = (h - y_cursor) as f64 / sc;
    let max_ticks_y = (plot_h_guess / 45.0).clamp(3.0, 8.0) as usize;

    let key_points = |r: &Resolved, spec: &AxisSpec, max: usize| -> (Vec<f64>, Vec<f64>) {
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
    };
    let (x_major, x_minor) = key_points(&xr, &d.x, max_ticks_x);
    let (y_major, y_minor) = key_points(&yr, &d.y, max_ticks_y);
    let coord = |r: &Resolved, major: Vec<f64>, minor: Vec<f64>| -> Coord {
        let (a, b) = r.t_range();
        Coord {
            inner: (a..b).into(),
            major,
            minor,
        }
    };
    let fmt_tick = |spec: &AxisSpec, r: &Resolved, t: f64| -> String {
        if !spec.categories.is_empty() {
            let i = t.round();
            return if i >= 0.0 && (i as usize) < spec.categories.len() {
                spec.categories[i as usize].clone()
            } else {
                String::new()
            };
        }
        format_value(r.scale.inverse(t), spec.format)
    };
    let label_w = |spec: &AxisSpec, r: &Resolved, major: &[f64]| -> i32 {
        major
            .iter()
            .map(|&t| text_size(&fmt_tick(spec, r, t), &text_font).0)
            .max()
            .unwrap_or(0)
    };
    let desc_h = (label_size * 1.2).round() as i32;
    let y_area = label_w(&d.y, &yr, &y_major) + desc_h + px(14.0);
    let (y2_major, y2_minor, y2_area) = match (&d.y2, &y2r) {
        (Some(spec), Some(r)) => {
            let (ma, mi) = key_points(r, spec, max_ticks_y);
            let wa = label_w(spec, r, &ma) + desc_h + px(14.0);
            (ma, mi, wa)
        }
        _ => (vec![], vec![], 0),
    };
    let x_area = desc_h * 2 + px(10.0);

    let plot_area = area.margin(y_cursor.max(0) as u32, 0, 0, 0);
    let chart = ChartBuilder::on(&plot_area)
        .margin_top(px(6.0) as u32)
        .margin_left(px(4.0) as u32)
        .margin_bottom(px(4.0) as u32)
        .margin_right(if d.y2.is_some() { px(4.0) } else { px(18.0) } as u32)
        .x_label_area_size(x_area as u32)
        .y_label_area_size(y_area as u32)
        .right_y_label_area_size(y2_area as u32)
        .build_cartesian_2d(
            coord(&xr, x_major.clone(), x_minor),
            coord(&yr, y_major.clone(), y_minor),
        )
        .map_err(de)?;
    // The secondary coordinate takes the right label area before the mesh is drawn, so
    // the primary axis labels only the left side.
    // The right axis's tick labels are drawn below by this code, not by plotters: plotters
    // measures each right-side label (in a browser, through a DOM element and a forced
    // layout), which made every redraw of a two-axis chart several times slower.
    let y2_labels = y2_major.clone();
    let y2_coord = match &y2r {
        Some(r) => coord(r, vec![], y2_minor),
        None => coord(&yr, vec![], vec![]),
    };
    let mut chart = chart.set_secondary_coord(coord(&xr, vec![], vec![]), y2_coord);

    let x_fmt = |t: &f64| fmt_tick(&d.x, &xr, *t);
    let y_fmt = |t: &f64| fmt_tick(&d.y, &yr, *t);
    let axis_style = ShapeStyle::from(pal.axis).stroke_width(px(1.0).max(1) as u32);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(d.x.label.clone())
        .y_desc(d.y.label.clone())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(text_font.clone())
        .axis_desc_style(text_font.clone())
        .bold_line_style(pal.grid.stroke_width(px(1.0).max(1) as u32))
        .light_line_style(pal.grid.mix(0.45).stroke_width(px(1.0).max(1) as u32))
        .axis_style(axis_style)
        .set_all_tick_mark_size(px(4.0));
    if !d.x.categories.is_empty() {
        mesh.disable_x_mesh();
    }
    mesh.draw().map_err(de)?;

    let (tx0, tx1) = xr.t_range();
    let (ty0, ty1) = yr.t_range();
    // Right-axis values drawn in left-axis coordinates.
    let to_left = |v: f64| -> Option<f64> {
        let r = y2r.as_ref()?;
        let t = r.t(v)?;
        let (a, b) = r.t_range();
        if b == a {
            return None;
        }
        Some(ty0 + (t - a) / (b - a) * (ty1 - ty0))
    };
    let map_y = |side: Side, v: f64| -> Option<f64> {
        match side {
            Side::Left => yr.t(v),
            Side::Right => to_left(v),
        }
    };
    let clamp_x = |t: f64| t.clamp(tx0.min(tx1), tx0.max(tx1));

    // Regions.
    let plot = chart.plotting_area();
    for r in &d.regions {
        let (Some(a), Some(b)) = (xr.t(r.x0), xr.t(r.x1)) else {
            continue;
        };
        let (a, b) = (clamp_x(a), clamp_x(b));
        if (b - a).abs() <= 0.0 {
            continue;
        }
        let (color, alpha) = match r.kind {
            RegionKind::MemoryBound => (pal.memory_bound, 0.07),
            RegionKind::ComputeBound => (pal.compute_bound, 0.07),
            RegionKind::Infeasible => (pal.infeasible, 0.16),
        };
        plot.draw(&Rectangle::new(
            [(a, ty0), (b, ty1)],
            color.mix(alpha).filled(),
        ))
        .map_err(de)?;
    }

    // Series.
    let stroke = px(2.0).max(1) as u32;
    let mut stack_base: Vec<f64> = Vec::new();
    let mut drawn: Vec<Vec<(f64, f64)>> = Vec::new();
    for s in &d.series {
        let color = ink_color(st, s.ink);
        let pts: Vec<(f64, f64)> = s
            .points
            .iter()
            .filter_map(|&(x, y)| Some((xr.t(x)?, map_y(s.side, y)?)))
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
                if stack_base.len() != s.points.len() {
                    stack_base = vec![0.0; s.points.len()];
                }
                let mut upper = Vec::new();
                let mut lower = Vec::new();
                for (i, &(x, y)) in s.points.iter().enumerate() {
                    let y = if y.is_finite() { y.max(0.0) } else { 0.0 };
                    let lo = stack_base[i];
                    let hi = lo + y;
                    stack_base[i] = hi;
                    if let (Some(tx), Some(a), Some(b)) = (xr.t(x), yr.t(lo), yr.t(hi)) {
                        lower.push((tx, a));
                        upper.push((tx, b));
                    }
                }
                let mut poly = upper.clone();
                poly.extend(lower.into_iter().rev());
                if poly.len() >= 3 {
                    plot.draw(&Polygon::new(poly, color.mix(0.55).filled()))
                        .map_err(de)?;
                    drawn.push(upper.clone());
                    plot.draw(&PathElement::new(upper, color.stroke_width(px(1.5) as u32)))
                        .map_err(de)?;
                }
            }
            Style::Bars { offset, width } => {
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
                    let (left_px, top_px) = chart.backend_coord(&(a, ty));
                    let (right_px, _) = chart.backend_coord(&(b, ty));
                    let tw = text_size(&label, &small_font).0;
                    if tw <= right_px - left_px + px(6.0) {
                        area.draw(&Text::new(
                            label,
                            ((left_px + right_px) / 2 - base.0, top_px - px(2.0) - base.1),
                            font(small_size, &pal.text).pos(Pos::new(HPos::Center, VPos::Bottom)),
                        ))
                        .map_err(de)?;
                    }
                }
            }
        }
    }

    // Markers, labels placed to avoid each other.
    let (pl, pt) = chart.backend_coord(&(tx0, ty1));
    let (pr, pb) = chart.backend_coord(&(tx1, ty0));
    let mut placer = Placer {
        boxes: Vec::new(),
        obstacles: Vec::new(),
        bounds: (pl.min(pr), pt.min(pb), pl.max(pr), pt.max(pb)),
    };
    // Sample every drawn line every few pixels so labels keep off the data.
    let half = px(2.0).max(1);
    for line in &drawn {
        let pix: Vec<(i32, i32)> = line.iter().map(|p| chart.backend_coord(p)).collect();
        for w2 in pix.windows(2) {
            let (a, b) = (w2[0], w2[1]);
            let len = (((b.0 - a.0) as f64).powi(2) + ((b.1 - a.1) as f64).powi(2)).sqrt();
            let steps = ((len / 4.0).ceil() as i32).clamp(1, 2000);
            for k in 0..=steps {
                let f = k as f64 / steps as f64;
                let x = a.0 + ((b.0 - a.0) as f64 * f).round() as i32;
                let y = a.1 + ((b.1 - a.1) as f64 * f).round() as i32;
                placer
                    .obstacles
                    .push((x - half, y - half, x + half, y + half));
            }
        }
        if let [p] = pix[..] {
            placer
                .obstacles
                .push((p.0 - px(6.0), p.1 - px(6.0), p.0 + px(6.0), p.1 + px(6.0)));
        }
    }
    // Marker dots first, so every label avoids every dot.
    for m in &d.markers {
        if let Marker::Point {
            x,
            y,
            side,
            ink,
            dot: true,
            ..
        } = m
        {
            let (Some(tx), Some(ty)) = (xr.t(*x), map_y(*side, *y)) else {
                continue;
            };
            plot.draw(&Circle::new(
                (tx, ty),
                px(5.0),
                ink_color(st, *ink).stroke_width(px(2.0).max(1) as u32),
            ))
            .map_err(de)?;
            let (cx, cy) = chart.backend_coord(&(tx, ty));
            let r = px(7.0);
            placer.obstacles.push((cx - r, cy - r, cx + r, cy + r));
        }
    }
    let label_font = font(small_size, &pal.text);
    let label_size = |t: &str| text_size(t, &label_font);
    let lpad = px(3.0);
    let draw_label =
        |text: &str, bx: (i32, i32, i32, i32), color: RGBColor| -> Result<(), ChartError> {
            let bg: RGBAColor = pal.background.mix(0.82);
            area.draw(&Rectangle::new(
                [
                    (bx.0 - base.0, bx.1 - base.1),
                    (bx.2 - base.0, bx.3 - base.1),
                ],
                bg.filled(),
            ))
            .map_err(de)?;
            area.draw(&Text::new(
                text.to_string(),
                (bx.0 + lpad - base.0, (bx.1 + bx.3) / 2 - base.1),
                font(small_size, &color).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(de)?;
            Ok(())
        };
    // Vertical lines first (their labels sit in rows along the top), then points.
    let row_h = (small_size * 1.45).round() as i32;
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
        if let Some(tx) = xr.t(**x) {
            let (lx, _) = chart.backend_coord(&(tx, ty1));
            let (_, t, _, b) = placer.bounds;
            placer.obstacles.push((lx - 1, t, lx + 1, b));
        }
    }
    for (x, label, ink) in vlines {
        let Some(tx) = xr.t(*x) else { continue };
        if tx < tx0.min(tx1) || tx > tx0.max(tx1) {
            continue;
        }
        let color = ink_color(st, *ink);
        plot.draw(&DashedPathElement::new(
            vec![(tx, ty0), (tx, ty1)],
            px(5.0) as u32,
            px(4.0) as u32,
            color.stroke_width(px(1.5).max(1) as u32),
        ))
        .map_err(de)?;
        let (lx, _) = chart.backend_coord(&(tx, ty1));
        let (tw, th) = label_size(label);
        let (bw, bh) = (tw + 2 * lpad, th.max(row_h - px(2.0)));
        let mut cands = Vec::new();
        for row in 0..4 {
            let top = placer.bounds.1 + px(3.0) + row * row_h;
            cands.push((lx + px(3.0), top, lx + px(3.0) + bw, top + bh));
            cands.push((lx - px(3.0) - bw, top, lx - px(3.0), top + bh));
        }
        if let Some(bx) = placer.place(&cands) {
            draw_label(label, bx, color)?;
        }
    }
    // Region labels along the bottom of the plot, inside each band.
    for r in &d.regions {
        let (Some(a), Some(b)) = (xr.t(r.x0), xr.t(r.x1)) else {
            continue;
        };
        let (a, b) = (clamp_x(a), clamp_x(b));
        let (la, _) = chart.backend_coord(&(a, ty0));
        let (lb, _) = chart.backend_coord(&(b, ty0));
        let (tw, th) = label_size(&r.label);
        let (bw, bh) = (tw + 2 * lpad, th.max(row_h - px(2.0)));
        if lb - la < bw + px(4.0) {
            continue;
        }
        let bottom = placer.bounds.3 - px(3.0);
        let cands = [
            (la + px(3.0), bottom - bh, la + px(3.0) + bw, bottom),
            (lb - px(3.0) - bw, bottom - bh, lb - px(3.0), bottom),
            (
                la + px(3.0),
                bottom - 2 * bh,
                la + px(3.0) + bw,
                bottom - bh,
            ),
        ];
        if let Some(bx) = placer.place(&cands) {
            let color = match r.kind {
                RegionKind::MemoryBound => pal.memory_bound,
                RegionKind::ComputeBound => pal.compute_bound,
                RegionKind::Infeasible => pal.muted,
            };
            draw_label(&r.label, bx, color)?;
        }
    }
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
        let (Some(a), Some(b), Some(ty)) = (xr.t(*x0), xr.t(*x1), map_y(*side, *y)) else {
            continue;
        };
        let (a, b) = (clamp_x(a), clamp_x(b));
        let (pa, cy) = chart.backend_coord(&(a, ty));
        let (pb, _) = chart.backend_coord(&(b, ty));
        let (tw, th) = label_size(label);
        let (bw, bh) = (tw + 2 * lpad, th.max(row_h - px(2.0)));
        // On the line, at a few places along it.
        let cands: Vec<(i32, i32, i32, i32)> = (0..6)
            .map(|k| {
                let free = (pb - pa - bw - px(8.0)).max(0);
                let left = pa + px(4.0) + free * k / 5;
                (left, cy - bh / 2, left + bw, cy + bh - bh / 2)
            })
            .collect();
        // Reference levels crowd on narrow charts: unlabelled beats unreadable (the
        // readout still names the line).
        if let Some(bx) = placer.place_clear(&cands) {
            draw_label(label, bx, ink_color(st, *ink))?;
        }
    }
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
        let (Some(tx), Some(ty)) = (xr.t(*x), map_y(*side, *y)) else {
            continue;
        };
        let color = ink_color(st, *ink);
        let (cx, cy) = chart.backend_coord(&(tx, ty));
        let (tw, th) = label_size(label);
        let (bw, bh) = (tw + 2 * lpad, th.max(row_h - px(2.0)));
        let g = px(7.0);
        let cands = [
            (cx + g, cy - g - bh, cx + g + bw, cy - g),
            (cx + g, cy + g, cx + g + bw, cy + g + bh),
            (cx - g - bw, cy - g - bh, cx - g, cy - g),
            (cx - g - bw, cy + g, cx - g, cy + g + bh),
            (
                cx - bw / 2,
                cy - g - bh - px(4.0),
                cx + bw / 2,
                cy - g - px(4.0),
            ),
            (
                cx - bw / 2,
                cy + g + px(4.0),
                cx + bw / 2,
                cy + g + bh + px(4.0),
            ),
            (cx + g, cy - g - 2 * bh, cx + g + bw, cy - g - bh),
            (cx + g, cy + g + bh, cx + g + bw, cy + g + 2 * bh),
            (cx - g - bw, cy - g - 2 * bh, cx - g, cy - g - bh),
        ];
        if let Some(bx) = placer.place(&cands) {
            draw_label(label, bx, color)?;
        }
    }

    // The mapping the UI needs, read from plotters' own coordinate translation.
    let (left, bottom) = chart.backend_coord(&(tx0, ty0));
    let (right, top) = chart.backend_coord(&(tx1, ty1));
    let info_axis = |spec: &AxisSpec, r: &Resolved| AxisInfo {
        label: spec.label.clone(),
        min: r.lo,
        max: r.hi,
        scale: r.scale,
        format: spec.format,
        categories: spec.categories.clone(),
    };
    let info = ChartInfo {
        kind: d.kind,
        title: d.title.clone(),
        plot: PlotRect {
            left: left as f64,
            right: right as f64,
            top: top as f64,
            bottom: bottom as f64,
        },
        x: info_axis(&d.x, &xr),
        y: info_axis(&d.y, &yr),
        y2: match (&d.y2, &y2r) {
            (Some(spec), Some(r)) => Some(info_axis(spec, r)),
            _ => None,
        },
        series: d.series.clone(),
        drawn: drawn_positions(d),
    };

    // The right-hand axis, drawn last.
    if let (Some(spec), Some(r)) = (&d.y2, &y2r) {
        chart
            .configure_secondary_axes()
            .y_desc(spec.label.clone())
            .axis_desc_style(text_font.clone())
            .axis_style(axis_style)
            .draw()
            .map_err(de)?;
        let p = &info.plot;
        let tick = px(5.0) as f64;
        for &t in &y2_labels {
            let (a, b) = r.t_range();
            if b == a {
                continue;
            }
            let py = p.bottom + (t - a) / (b - a) * (p.top - p.bottom);
            if !py.is_finite() || py < p.top.min(p.bottom) - 0.5 || py > p.top.max(p.bottom) + 0.5 {
                continue;
            }
            let (x0, y) = (p.right.round() as i32, py.round() as i32);
            area.draw(&PathElement::new(
                vec![(x0, y), (x0 + tick as i32, y)],
                axis_style,
            ))
            .map_err(de)?;
            area.draw(&Text::new(
                format_value(r.scale.inverse(t), spec.format),
                (x0 + (2.0 * tick) as i32, y),
                text_font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(de)?;
        }
    }
    Ok(info)
}
