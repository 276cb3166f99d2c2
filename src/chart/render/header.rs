//! The header above the plot: the title (shrunk to fit), the legend (when more than one
//! series is listed) and the notes, flowed left to right and wrapped.

use super::frame::{de, font, Frame};
use crate::chart::data::{ChartData, Series, Style};
use crate::chart::layout::{text_size, wrap};
use crate::chart::ChartError;
use plotters::element::{Circle, DashedPathElement, PathElement, Rectangle, Text};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::Color;

/// Draws title, legend and notes; returns the first pixel row below them.
pub(super) fn draw_header<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    d: &ChartData,
) -> Result<i32, ChartError> {
    let y = draw_title(f, &d.title)?;
    let y = draw_legend(f, d, y)?;
    let y = draw_notes(f, &d.notes, y)?;
    Ok(y + f.px(2.0))
}

/// The title, top left, its font shrunk in half-pixel steps until it fits the width.
fn draw_title<DB: DrawingBackend>(f: &Frame<'_, DB>, title: &str) -> Result<i32, ChartError> {
    let (pad, sc) = (f.pad, f.sc);
    let mut tsize = f.title_size;
    let mut title_font = font(tsize, &f.pal.text);
    while tsize > 8.0 * sc && text_size(title, tsize).0 > f.w - 2 * pad {
        tsize -= 0.5 * sc;
        title_font = font(tsize, &f.pal.text);
    }
    let title_h = text_size(title, tsize).1;
    f.area
        .draw(&Text::new(
            title.to_string(),
            (pad, pad),
            title_font.pos(Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(de)?;
    Ok(pad + title_h + f.px(6.0))
}

/// The legend from row `y`, items flowed and wrapped; returns the row below it.
fn draw_legend<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    d: &ChartData,
    mut y: i32,
) -> Result<i32, ChartError> {
    let legend: Vec<&Series> = d.series.iter().filter(|s| s.legend).collect();
    if legend.len() <= 1 {
        return Ok(y);
    }
    let line_h = (f.label_size * 1.35).round() as i32;
    let swatch = f.px(18.0);
    let mut x = f.pad;
    for s in &legend {
        let tw = text_size(&s.name, f.label_size).0;
        let item_w = swatch + f.px(5.0) + tw + f.px(14.0);
        if x > f.pad && x + item_w > f.w - f.pad {
            x = f.pad;
            y += line_h;
        }
        let cy = y + line_h / 2;
        draw_swatch(f, s, (x, cy), swatch)?;
        f.area
            .draw(&Text::new(
                s.name.clone(),
                (x + swatch + f.px(5.0), cy),
                f.text_font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(de)?;
        x += item_w;
    }
    Ok(y + line_h)
}

/// A legend swatch `swatch` pixels wide at (x, cy), drawn like the series.
fn draw_swatch<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    s: &Series,
    (x, cy): (i32, i32),
    swatch: i32,
) -> Result<(), ChartError> {
    let color = f.ink(s.ink);
    let px = |v| f.px(v);
    match s.style {
        Style::Stacked | Style::Bars { .. } => f.area.draw(&Rectangle::new(
            [(x, cy - px(5.0)), (x + swatch, cy + px(5.0))],
            color.mix(0.85).filled(),
        )),
        Style::Points => f
            .area
            .draw(&Circle::new((x + swatch / 2, cy), px(4.0), color.filled())),
        Style::Dashed => f.area.draw(&DashedPathElement::new(
            vec![(x, cy), (x + swatch, cy)],
            px(4.0) as u32,
            px(3.0) as u32,
            color.stroke_width(px(2.0) as u32),
        )),
        Style::Line => f.area.draw(&PathElement::new(
            vec![(x, cy), (x + swatch, cy)],
            color.stroke_width(px(2.5) as u32),
        )),
    }
    .map_err(de)
}

/// The notes in small print from row `y`, each wrapped to the width; returns the row below.
fn draw_notes<DB: DrawingBackend>(
    f: &Frame<'_, DB>,
    notes: &[String],
    mut y: i32,
) -> Result<i32, ChartError> {
    let small_line_h = (f.small_size * 1.3).round() as i32;
    for note in notes {
        for line in wrap(note, f.small_size, f.w - 2 * f.pad) {
            f.area
                .draw(&Text::new(
                    line,
                    (f.pad, y + small_line_h / 2),
                    f.small_font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(de)?;
            y += small_line_h;
        }
    }
    Ok(y)
}
