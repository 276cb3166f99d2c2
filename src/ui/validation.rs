//! The Validation panel: every public measurement beside the default estimate and the pure
//! bound (`crate::validate`), dense and MoE apart, each row a link that opens the calculator
//! on that setup. Computed when the panel is opened, not at page load.

use crate::chart::validation::{draw_validation, TITLE};
use crate::chart::ChartStyle;
use crate::validate::{validation_rows, ValidationRow};
use leptos::html::Canvas;
use leptos::prelude::*;

/// Sizes the canvas to its CSS box × devicePixelRatio and draws the validation chart.
fn draw_on(
    canvas: &web_sys::HtmlCanvasElement,
    rows: &[ValidationRow],
    style: &ChartStyle,
) -> Result<(), String> {
    let css_w = (canvas.client_width() as f64).max(280.0);
    let css_h = (css_w * 0.62).clamp(320.0, 560.0);
    let area = super::chart_view::canvas_area(canvas, css_w, css_h, style.scale, true)?;
    draw_validation(&area, rows, style).map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())
}

/// The estimate-against-measurement chart on a canvas, redrawn when the theme changes.
#[component]
fn ValidationChart(rows: Vec<ValidationRow>) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);
    super::chart_view::themed_redraw(canvas_ref, error, move |canvas, style| {
        draw_on(canvas, &rows, style).map(|()| true)
    });
    view! {
        <figure class="card chart" data-chart-card="validation">
            <canvas node_ref=canvas_ref data-chart="validation" role="img" aria-label=TITLE></canvas>
            <p class="error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
        </figure>
    }
}

/// A measured or estimated value in the row's unit.
fn value(r: &ValidationRow, x: f64) -> String {
    if r.metric == "ttft" {
        format!("{:.1} ms", x * 1e3)
    } else {
        format!("{x:.0} tok/s/chip")
    }
}

/// Median |ln(estimate ÷ measured)| of a group, as "within ×1.13".
fn typical(rows: &[&ValidationRow]) -> String {
    let m = crate::model::calibration::median_abs_ln(rows.iter().map(|r| r.ratio));
    format!(
        "{} rows, the typical row within ×{:.2}",
        rows.len(),
        m.exp()
    )
}

/// One group's table.
fn group_table(title: &'static str, rows: Vec<ValidationRow>) -> impl IntoView {
    let refs: Vec<&ValidationRow> = rows.iter().collect();
    let summary = typical(&refs);
    let body = rows
        .into_iter()
        .map(|r| {
            let href = format!("?{}", r.link);
            let ratio = format!("{:.2}×", r.ratio);
            let far = if (r.ratio.ln()).abs() > 1.5f64.ln() {
                "far"
            } else {
                ""
            };
            view! {
                <tr data-validation-row=r.id data-ratio=r.ratio.to_string() class=far>
                    <td><a href=href class="open-row">{r.id}</a></td>
                    <td>{r.label}</td>
                    <td>{r.setup.clone()}</td>
                    <td class="num">{value(&r, r.measured)}</td>
                    <td class="num">{value(&r, r.estimate)}</td>
                    <td class="num">{value(&r, r.pure)}</td>
                    <td class="num">{ratio}</td>
                    <td class="source">{format!("{} ({})", r.source, r.date)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>{title}</h3>
        <p class="muted">{summary}</p>
        <div class="table-scroll">
            <table class="validation">
                <thead>
                    <tr>
                        <th>"Row (opens it)"</th><th>"Model"</th><th>"GPUs"</th>
                        <th>"Measured"</th><th>"Estimate"</th><th>"Pure bound"</th>
                        <th>"Estimate ÷ measured"</th><th>"Source"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// The panel.
#[component]
pub fn Validation() -> impl IntoView {
    let shown = RwSignal::new(false);
    let content = move || {
        if !shown.get() {
            return view! { <p class="muted">"Not computed yet."</p> }.into_any();
        }
        match validation_rows() {
            Ok(rows) => {
                let chart_rows = rows.clone();
                let (moe, dense): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.moe);
                view! {
                    <div data-validation="ready">
                        <ValidationChart rows=chart_rows />
                        {group_table("Dense models", dense)}
                        {group_table("Mixture-of-experts models", moe)}
                    </div>
                }
                .into_any()
            }
            Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
        }
    };
    view! {
        <section class="card validation-panel" id="validation" aria-labelledby="validation-title" data-panel="validation">
            <h2 id="validation-title">"Validation"</h2>
            <p>
                "Every public measurement (TensorRT-LLM offline throughput per GPU and first-token latency) beside this tool's default estimate and the pure roofline bound. Rows beyond ×1.5 are marked; "
                <code>"roofline validate"</code>
                " prints the same table."
            </p>
            <button type="button" id="validation-show" on:click=move |_| shown.set(true)>
                "Show validation"
            </button>
            {content}
        </section>
    }
}
