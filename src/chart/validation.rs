//! The validation chart: each public measurement's estimate against what was measured,
//! log-log, with the y = x line and a ×2 band, dense and MoE rows apart, rows beyond ×1.5
//! labelled. Drawn by the same renderer as every chart; it borrows the frontier's kind (it
//! is not one of the calculator's `ChartKind::ALL`).

use super::axis::{Format, Scale};
use super::data::{AxisSpec, ChartData, Ink, Pen, Side, Style};
use super::{render, ChartError, ChartInfo, ChartKind, ChartStyle};
use crate::validate::ValidationRow;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

/// Title of the validation chart.
pub const TITLE: &str = "Estimate against measurement, every public row";

/// The chart's data for `rows`.
pub fn validation_chart_data(rows: &[ValidationRow]) -> ChartData {
    let x = AxisSpec::new(
        "measured, tokens/s per chip (first-token rows: prompt tokens/s per chip)",
        "measured_tokens_per_second_per_chip",
        Scale::Log,
        Format::Number,
    );
    let y = AxisSpec::new(
        "default estimate, same unit",
        "estimated_tokens_per_second_per_chip",
        Scale::Log,
        Format::Number,
    );
    let mut d = ChartData::new(ChartKind::Frontier, x, y);
    d.title = TITLE.into();
    let rates: Vec<(f64, f64)> = rows.iter().map(ValidationRow::rates).collect();
    let (lo, hi) = rates
        .iter()
        .flat_map(|&(m, e)| [m, e])
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo < hi {
        (lo / 2.0, hi * 2.0)
    } else {
        (1.0, 10.0)
    };
    let diagonal = |k: f64| vec![(lo, lo * k), (hi, hi * k)];
    d.plot(
        "estimate = measured",
        "y_equals_x",
        Pen::left(Style::Line, Ink::Muted),
        diagonal(1.0),
    );
    for (name, k) in [("×2 band", 2.0), ("×½", 0.5)] {
        let s = d.plot(
            name,
            "band",
            Pen::left(Style::Dashed, Ink::Muted),
            diagonal(k),
        );
        s.legend = k > 1.0;
    }
    for (name, moe, ink) in [
        ("dense models", false, Ink::Series(0)),
        ("MoE models", true, Ink::Series(1)),
    ] {
        let pts: Vec<(f64, f64)> = rows
            .iter()
            .zip(&rates)
            .filter(|(r, _)| r.moe == moe)
            .map(|(_, p)| *p)
            .collect();
        let col = if moe {
            "moe_estimate"
        } else {
            "dense_estimate"
        };
        d.plot(name, col, Pen::left(Style::Points, ink), pts);
    }
    for (r, &(m, e)) in rows.iter().zip(&rates) {
        if r.ratio.ln().abs() > 1.5f64.ln() {
            let ink = if r.moe {
                Ink::Series(1)
            } else {
                Ink::Series(0)
            };
            d.point(
                m,
                e,
                Side::Left,
                format!("{} {:.2}×", short(r.id), r.ratio),
                ink,
                true,
            );
        }
    }
    d.notes.push(
        "Above the line the estimate is faster than the real server; the dashed lines are ×2 and ×½."
            .into(),
    );
    d
}

/// A row id short enough to label a point (`DSR1-H200-DEP8`).
fn short(id: &str) -> String {
    let id = id
        .strip_prefix("TRTNEW-")
        .or_else(|| id.strip_prefix("TRT015-"))
        .unwrap_or(id);
    let id = id.strip_prefix("TRT05-").unwrap_or(id);
    id.trim_end_matches("-1k1k").to_string()
}

/// Draws the validation chart of `rows` onto `area`.
pub fn draw_validation<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[ValidationRow],
    style: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    render::render(area, &validation_chart_data(rows), style)
}

/// The validation chart as an SVG document of `width` × `height` pixels.
pub fn validation_svg(
    rows: &[ValidationRow],
    width: u32,
    height: u32,
    style: &ChartStyle,
) -> Result<String, ChartError> {
    super::svg_with(width, height, |area| {
        draw_validation(area, rows, style).map(|_| ())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::validation_rows;

    #[test]
    fn every_row_is_a_point_and_outliers_are_labelled() {
        let rows = validation_rows().unwrap();
        let d = validation_chart_data(&rows);
        let points: usize = d
            .series
            .iter()
            .filter(|s| s.style == Style::Points)
            .map(|s| s.points.len())
            .sum();
        assert_eq!(points, rows.len());
        let far = rows
            .iter()
            .filter(|r| r.ratio.ln().abs() > 1.5f64.ln())
            .count();
        assert_eq!(d.markers.len(), far);
        let svg = validation_svg(&rows, 800, 500, &ChartStyle::light()).unwrap();
        assert!(svg.contains("MoE models") && svg.contains("dense models"));
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn first_token_rows_keep_the_ratio() {
        let rows = validation_rows().unwrap();
        for r in &rows {
            let (m, e) = r.rates();
            let q = if r.metric == "ttft" { m / e } else { e / m };
            assert!((q - r.ratio).abs() < 1e-9 * r.ratio, "{}", r.id);
        }
    }
}
