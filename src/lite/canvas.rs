//! Drawing a chart on a `<canvas>`: sized to its CSS box × devicePixelRatio, drawn by the
//! renderer shared by every chart, counted in `data-drawn` (read by tests and benchmarks).
//! Used by the Leptos chart cards (`ui::chart_view`) and the light embed.

use super::canvas2d::Canvas2d;
use crate::chart::{self, ChartInfo, ChartStyle, DataFn};
use crate::scenario::Scenario;
use plotters::prelude::*;

/// The window's devicePixelRatio, clamped to 1..=4.
pub fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .clamp(1.0, 4.0)
}

/// Adds one to the canvas's `data-drawn` counter (read by tests and benchmarks).
pub fn count_draw(canvas: &web_sys::HtmlCanvasElement) {
    let n = canvas
        .get_attribute("data-drawn")
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    let _ = canvas.set_attribute("data-drawn", &(n + 1).to_string());
}

/// Sizes the canvas to its CSS box × devicePixelRatio and draws the chart built by `data`
/// on it. `size` is the CSS box as last reported by the ResizeObserver (reading it here would
/// force a layout).
pub fn draw_on(
    canvas: &web_sys::HtmlCanvasElement,
    data: DataFn,
    s: &Scenario,
    style: &ChartStyle,
    fill: bool,
    size: Option<(f64, f64)>,
) -> Result<ChartInfo, String> {
    let dpr = style.scale;
    let (w0, h0) =
        size.unwrap_or_else(|| (canvas.client_width() as f64, canvas.client_height() as f64));
    let (css_w, css_h) = super::chart_css_size(w0, h0, fill);
    let area = canvas_area(canvas, css_w, css_h, dpr, !fill)?;
    let d = data(s, style.max_context_tokens, &style.compare_models).map_err(|e| e.to_string())?;
    let info = chart::draw_data(&area, &d, style).map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())?;
    Ok(info)
}

/// Gives the canvas css_w × css_h CSS pixels at `dpr` device pixels each (setting its CSS
/// height too when `set_css_height`), and a drawing area over it.
pub fn canvas_area(
    canvas: &web_sys::HtmlCanvasElement,
    css_w: f64,
    css_h: f64,
    dpr: f64,
    set_css_height: bool,
) -> Result<DrawingArea<Canvas2d, plotters::coord::Shift>, String> {
    let (w, h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    if set_css_height {
        // Only when it changes: a style write invalidates the page's style for the frame.
        let style = web_sys::HtmlElement::style(canvas);
        let height = format!("{css_h}px");
        if style.get_property_value("height").ok().as_deref() != Some(height.as_str()) {
            let _ = style.set_property("height", &height);
        }
    }
    let backend = Canvas2d::new(canvas).ok_or("this browser gave no 2D canvas context")?;
    Ok(backend.into_drawing_area())
}
