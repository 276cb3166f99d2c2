//! A chart on a `<canvas>`, redrawn whenever the scenario changes.

use super::AppState;
use crate::model::{decode_step, shape, StepInputs};
use crate::scenario::Scenario;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// The cost-against-batch chart, sized to its CSS box × devicePixelRatio.
#[component]
pub fn ChartCanvas() -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas_ref = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let result = state.scenario.with(|s| draw(&canvas, s));
        error.set(result.err());
    });
    view! {
        <figure class="card chart">
            <canvas node_ref=canvas_ref data-chart="cost-batch" role="img"
                aria-label="Cost per million output tokens against batch size"></canvas>
            <p class="error" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
        </figure>
    }
}

fn draw(canvas: &web_sys::HtmlCanvasElement, s: &Scenario) -> Result<(), String> {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .max(1.0);
    let css_w = canvas.client_width().max(300) as f64;
    let css_h = (css_w * 0.56).clamp(220.0, 480.0);
    canvas.set_width((css_w * dpr) as u32);
    canvas.set_height((css_h * dpr) as u32);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| "this browser gave no 2D canvas context".to_string())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let peak = s.peak_flops().map_err(|e| e.to_string())?;
    let sh = shape(s);
    let ctx = s.decode_context();
    let pts: Vec<(f64, f64)> = (0..=60)
        .map(|i| 10f64.powf(i as f64 / 60.0 * 4.0).round())
        .map(|b| {
            let d = decode_step(
                s,
                &sh,
                peak,
                StepInputs {
                    batch: b,
                    context: ctx,
                    chips: s.chips as f64,
                },
            );
            (
                b,
                s.chips as f64 * s.hardware.price_per_hour / 3600.0 * d.step_seconds / b * 1e6,
            )
        })
        .collect();
    let ymin = pts
        .iter()
        .map(|p| p.1)
        .fold(f64::INFINITY, f64::min)
        .max(1e-9);
    let ymax = pts.iter().map(|p| p.1).fold(0.0, f64::max).max(ymin * 10.0);
    let f = dpr as i32;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Cost per 1M output tokens vs batch size",
            ("sans-serif", 16 * f),
        )
        .margin(10 * f)
        .x_label_area_size(36 * f)
        .y_label_area_size(56 * f)
        .build_cartesian_2d(
            (1f64..10_000f64).log_scale(),
            (ymin * 0.8..ymax * 1.2).log_scale(),
        )
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("batch size (requests)")
        .y_desc("USD per 1M tokens")
        .label_style(("sans-serif", 12 * f))
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(LineSeries::new(
            pts,
            ShapeStyle::from(&BLUE).stroke_width(2 * f as u32),
        ))
        .map_err(|e| e.to_string())?;
    let b = s.workload.batch_size as f64;
    let d = decode_step(
        s,
        &sh,
        peak,
        StepInputs {
            batch: b,
            context: ctx,
            chips: s.chips as f64,
        },
    );
    let c = s.chips as f64 * s.hardware.price_per_hour / 3600.0 * d.step_seconds / b * 1e6;
    chart
        .draw_series(std::iter::once(Circle::new((b, c), 5 * f, RED.filled())))
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}
