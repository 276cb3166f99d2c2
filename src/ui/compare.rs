//! Compare: pin the current setup as A, edit B, and read the results side by side.

use super::AppState;
use crate::format as f;
use crate::metrics::{number, COMPARE};
use crate::model::evaluate;
use leptos::prelude::*;

/// Relative difference of B against A, as text: "+12.3%".
pub fn diff_percent(a: f64, b: f64) -> String {
    if a == 0.0 || !a.is_finite() || !b.is_finite() {
        return f::MISSING.into();
    }
    let d = (b - a) / a * 100.0;
    if d.abs() < 0.05 {
        "0%".into()
    } else {
        format!("{}{}%", if d > 0.0 { "+" } else { "" }, f::sig(d, 3))
    }
}

/// The comparison panel.
#[component]
pub fn ComparePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let a_eval = Memo::new(move |_| {
        state
            .pinned
            .with(|p| p.as_ref().and_then(|s| evaluate(s).ok()))
    });
    let table = move || {
        let a = a_eval.get()?;
        let b = state.results.get().ok()?;
        let (na, nb) = (
            state
                .pinned
                .with(|p| p.as_ref().map(describe).unwrap_or_default()),
            state.scenario.with(describe),
        );
        let rows = COMPARE
            .iter()
            .map(|m| {
                let (va, vb) = (m.of(&a), m.of(&b));
                let (na, nb) = (number(&va), number(&vb));
                view! {
                    <tr data-compare=m.key>
                        <th scope="row">{m.label}</th>
                        <td data-side="a" data-value=na.to_string()>{m.show(&va)}</td>
                        <td data-side="b" data-value=nb.to_string()>{m.show(&vb)}</td>
                        <td data-side="diff">{diff_percent(na, nb)}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <table class="compare">
                <thead>
                    <tr><th scope="col">"Result"</th><th scope="col">"A: "{na}</th><th scope="col">"B: "{nb}</th><th scope="col">"B vs A"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        })
    };
    view! {
        <section class="card compare-panel" aria-label="Compare two setups">
            <h2>"Compare"</h2>
            <div class="buttons">
                <button type="button" on:click=move |_| state.pinned.set(Some(state.scenario.get_untracked()))>
                    {move || if state.pinned.with(Option::is_some) { "Pin current setup as A again" } else { "Pin this setup as A" }}
                </button>
                <button type="button" hidden=move || state.pinned.with(Option::is_none) on:click=move |_| {
                    if let Some(a) = state.pinned.get_untracked() {
                        let b = state.scenario.get_untracked();
                        state.scenario.set(a);
                        state.pinned.set(Some(b));
                        state.model_preset.set(None);
                        state.hardware_preset.set(None);
                        state.reset.update(|g| *g += 1);
                    }
                }>"Swap A and B"</button>
                <button type="button" hidden=move || state.pinned.with(Option::is_none) on:click=move |_| state.pinned.set(None)>"Stop comparing"</button>
            </div>
            <p class="hint" hidden=move || state.pinned.with(Option::is_some)>
                "Pin the current setup as A, then change anything: B is what you edit, and the table shows both with the difference."
            </p>
            {table}
        </section>
    }
}

fn describe(s: &crate::scenario::Scenario) -> String {
    format!(
        "{} on {} × {}, batch {}",
        s.model.name, s.chips, s.hardware.name, s.workload.batch_size
    )
}
