//! What every drawing stage shares: the drawing area, theme, scale, font sizes and fonts.

use crate::chart::data::Ink;
use crate::chart::layout::is_compact;
use crate::chart::{ChartError, ChartStyle, Palette};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend};
use plotters::style::{IntoFont, RGBColor, TextStyle};

/// A drawing failure as a [`ChartError`].
pub(super) fn de<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> ChartError {
    ChartError::Drawing(e.to_string())
}

/// One chart's drawing surface and the sizes derived from its width and the style.
pub(super) struct Frame<'a, DB: DrawingBackend> {
    /// The whole chart's area.
    pub area: &'a DrawingArea<DB, Shift>,
    /// The theme.
    pub pal: &'a Palette,
    /// Backend pixels per CSS pixel, clamped to 0.25 … 8.
    pub sc: f64,
    /// The area's width, backend pixels.
    pub w: i32,
    /// The area's height, backend pixels.
    pub h: i32,
    /// The area's top-left corner in backend pixels (labels are placed in those).
    pub base: (i32, i32),
    /// Title font size (before shrinking to fit), backend pixels.
    pub title_size: f64,
    /// Tick label, legend and axis title font size, backend pixels.
    pub label_size: f64,
    /// Notes, marker and bar label font size, backend pixels.
    pub small_size: f64,
    /// Tick labels, legend and axis titles.
    pub text_font: TextStyle<'static>,
    /// Notes and bar values (muted).
    pub small_font: TextStyle<'static>,
    /// Padding around the header, backend pixels.
    pub pad: i32,
}

impl<'a, DB: DrawingBackend> Frame<'a, DB> {
    /// The frame of `area` drawn in `style`; compact (smaller fonts) when narrow.
    pub fn new(area: &'a DrawingArea<DB, Shift>, style: &'a ChartStyle) -> Self {
        let pal = &style.palette;
        let sc = if style.scale.is_finite() && style.scale > 0.0 {
            style.scale.clamp(0.25, 8.0)
        } else {
            1.0
        };
        let (w, h) = area.dim_in_pixel();
        let compact = is_compact(w, sc);
        let title_size = if compact { 14.0 } else { 16.0 } * sc;
        let label_size = if compact { 11.0 } else { 12.5 } * sc;
        let small_size = if compact { 10.0 } else { 11.0 } * sc;
        Frame {
            area,
            pal,
            sc,
            w: w as i32,
            h: h as i32,
            base: area.get_base_pixel(),
            title_size,
            label_size,
            small_size,
            text_font: font(label_size, &pal.text),
            small_font: font(small_size, &pal.muted),
            pad: (8.0 * sc).round() as i32,
        }
    }

    /// `v` CSS pixels in backend pixels, rounded.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.sc).round() as i32
    }

    /// The colour of `ink` in this theme.
    pub fn ink(&self, ink: Ink) -> RGBColor {
        match ink {
            Ink::Series(i) => self.pal.series[i % self.pal.series.len()],
            Ink::Muted => self.pal.muted,
        }
    }
}

/// The sans-serif font at `size` backend pixels in `color`.
pub(super) fn font(size: f64, color: &RGBColor) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(color)
}
