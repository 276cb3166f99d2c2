//! "Calibrate to your measurements": paste points measured on your own servers (CSV), fit
//! the efficiencies and overhead of the setup above to them (`model::user_fit`), read each
//! point's residual before and after, and apply the fit (it then travels in the link).

use super::AppState;
use crate::model::user_fit::{fit_user_points, parse_points_csv, UserFit, CSV_COLUMNS};
use leptos::prelude::*;

/// An example the text box starts with (Llama 3.1 70B on 8 × H100 at bf16, say).
const EXAMPLE: &str = "batch,context,tpot_s,ttft_s\n1,2048,0.0125,0.06\n16,2048,0.0135,\n128,2048,0.022,\n512,2048,0.066,";

/// The residual table of a fit.
fn residual_table(fit: &UserFit) -> impl IntoView {
    let rows = fit
        .residuals
        .iter()
        .map(|(o, before, after)| {
            let ctx = o.context.map_or("setup's".to_string(), |c| c.to_string());
            let r = |x: f64| format!("{:.3}×", x / o.measured);
            view! {
                <tr data-fit-point=(o.point + 1).to_string()>
                    <td>{o.point + 1}</td>
                    <td class="num">{o.batch}</td>
                    <td class="num">{ctx}</td>
                    <td>{o.observed.name()}</td>
                    <td class="num">{format!("{:.4}", o.measured)}</td>
                    <td class="num" data-before=r(*before)>{r(*before)}</td>
                    <td class="num" data-after=r(*after)>{r(*after)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="validation">
                <thead>
                    <tr>
                        <th>"Point"</th><th>"Batch"</th><th>"Context"</th><th>"Measured"</th>
                        <th>"Value"</th><th>"Estimate ÷ measured, before"</th><th>"After"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The panel.
#[component]
pub fn CalibratePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = RwSignal::new(EXAMPLE.to_string());
    let result = RwSignal::new(None::<Result<UserFit, String>>);
    let applied = RwSignal::new(false);
    let fit = move |_| {
        applied.set(false);
        let s = state.scenario.get_untracked();
        let r = parse_points_csv(&text.get_untracked()).and_then(|p| fit_user_points(&s, &p));
        result.set(Some(r));
    };
    let apply = move |_| {
        if let Some(Ok(f)) = result.get_untracked() {
            state
                .scenario
                .update(|s| s.efficiency = f.efficiency.clone());
            state.bump_reset();
            applied.set(true);
        }
    };
    let shown = move || match result.get() {
        None => view! { <p class="muted">"Not fitted yet."</p> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="error" role="alert" data-fit-error="">{e}</p> }.into_any()
        }
        Some(Ok(f)) => {
            let e = &f.efficiency;
            let summary = format!(
                "Fitted {}: compute {:.3}, bandwidth {:.3}, overhead {:.2} ms per step{}. RMS log error {:.3} → {:.3}.",
                f.fitted.join(", "),
                e.compute,
                e.bandwidth,
                e.step_overhead_seconds * 1e3,
                e.prefill_compute.map_or(String::new(), |p| format!(", prefill {p:.3}")),
                f.rms_before,
                f.rms_after
            );
            let table = residual_table(&f);
            view! {
                <div data-fit="ready" data-fit-compute=e.compute.to_string() data-fit-bandwidth=e.bandwidth.to_string()>
                    <p>{summary}</p>
                    {table}
                    <button type="button" id="fit-apply" on:click=apply>"Apply the fit to the setup"</button>
                    <p class="hint" hidden=move || !applied.get() data-fit-applied="">
                        "Applied: the results, charts and the share link now use the fitted numbers."
                    </p>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <section class="card validation-panel" id="calibrate" aria-labelledby="calibrate-title" data-panel="calibrate">
            <h2 id="calibrate-title">"Calibrate to your measurements"</h2>
            <p>
                "Paste points measured on your own servers for the setup above, one per line with a header row ("
                <code>{CSV_COLUMNS.join(",")}</code>
                "; any of the measured columns, empty cells allowed). The fit finds the efficiencies and overhead that make the estimate match them (least squares on the log error, within bounds): TPOT or speed at three or more batch sizes fits compute, bandwidth and overhead; at fewer, bandwidth and overhead only; first-token times fit prefill."
            </p>
            <label for="fit-points">"Your measured points (CSV)"</label>
            <textarea id="fit-points" rows="6" spellcheck="false"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <p><button type="button" id="fit-run" on:click=fit>"Fit to these points"</button></p>
            {shown}
        </section>
    }
}
