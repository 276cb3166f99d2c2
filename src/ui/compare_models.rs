//! The model presets the architecture comparison chart draws beside the current model: one
//! checkbox per preset, kept in `AppState::compare_models` (and so in the link as `cmp=`).

use super::AppState;
use crate::catalogue::presets::model_presets;
use crate::view_params::toggled;
use leptos::prelude::*;

/// A small multi-select of model presets, beside the comparison chart.
#[component]
pub fn ComparePicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let count = move || state.compare_models.with(Vec::len);
    view! {
        <details class="compare-picker" data-compare-picker="" open=move || { count() > 0 }>
            <summary>
                "Compare with other models "
                <span data-compare-count="">{move || match count() {
                    0 => "(none picked)".to_string(),
                    n => format!("({n} picked)"),
                }}</span>
            </summary>
            <div class="compare-models" role="group" aria-label="Models to compare">
                {model_presets()
                    .iter()
                    .map(|p| {
                        let id = p.id.clone();
                        let id_check = id.clone();
                        let id_set = id.clone();
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    data-cmp=id.clone()
                                    prop:checked=move || state.compare_models.with(|ids| ids.contains(&id_check))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        state.compare_models.update(|ids| *ids = toggled(ids, &id_set, on));
                                    }
                                />
                                {p.name.clone()}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </details>
    }
}
