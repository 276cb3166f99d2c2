//! Model and hardware preset pickers. A preset fills every field and stays editable;
//! an edited preset says so ("H100 SXM, edited"). The rules are in `crate::app_state`.

use super::AppState;
use crate::app_state::{hardware_status, model_status, Replacement};
use crate::catalogue::presets::{hardware_presets, model_presets};
use crate::scenario::Scenario;
use leptos::prelude::*;

/// One preset `<select>` with a status line below it.
#[component]
fn PresetSelect(
    /// Element id, `data-field` and `data-preset-status` value.
    id: &'static str,
    data_field: &'static str,
    status_for: &'static str,
    label: &'static str,
    /// The chosen id.
    chosen: RwSignal<Option<String>>,
    /// (id, shown name) of every preset.
    options: Vec<(String, String)>,
    /// The replacement choosing preset `id` makes.
    choose: fn(&Scenario, &str) -> Option<Replacement>,
    /// The status line for the chosen id.
    status: fn(Option<&str>, &Scenario) -> String,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = move || {
        let id = chosen.get();
        state.scenario.with(|s| status(id.as_deref(), s))
    };
    let initial = chosen.get_untracked();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                data-field=data_field
                prop:value=move || chosen.get().unwrap_or_default()
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    let r = state.scenario.with_untracked(|s| choose(s, &id));
                    if let Some(r) = r {
                        state.apply(r);
                    }
                }
            >
                <option value="">"Custom"</option>
                {options
                    .into_iter()
                    .map(|(id, name)| {
                        // Chosen when built (the select's value is set before its options
                        // exist); after that `prop:value` follows `chosen`.
                        let selected = initial.as_deref() == Some(id.as_str());
                        view! {
                            <option value=id selected=selected>
                                {name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="preset-status" data-preset-status=status_for>{status}</p>
        </div>
    }
}

/// Picks a model preset (or shows that the model is custom or edited).
#[component]
pub fn ModelPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = model_presets()
        .iter()
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect();
    view! {
        <PresetSelect
            id="preset-model"
            data_field="preset.model"
            status_for="model"
            label="Model preset"
            chosen=state.model_preset
            options
            choose=Replacement::model_preset
            status=model_status
        />
    }
}

/// Picks a hardware preset (or shows that the chip is custom or edited).
#[component]
pub fn HardwarePicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = hardware_presets()
        .iter()
        .map(|p| (p.id.clone(), format!("{} {}", p.vendor, p.name)))
        .collect();
    view! {
        <PresetSelect
            id="preset-hardware"
            data_field="preset.hardware"
            status_for="hardware"
            label="Hardware preset"
            chosen=state.hardware_preset
            options
            choose=Replacement::hardware_preset
            status=hardware_status
        />
    }
}
