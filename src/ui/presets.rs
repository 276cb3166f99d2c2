//! Model and hardware preset pickers. A preset fills every field and stays editable;
//! an edited preset says so ("H100 SXM, edited").

use super::AppState;
use crate::model::presets::{hardware_presets, model_presets};
use leptos::prelude::*;

/// Picks a model preset (or shows that the model is custom or edited).
#[component]
pub fn ModelPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = move || {
        let id = state.model_preset.get();
        let preset = id.as_deref().and_then(crate::model::presets::model_preset);
        state.scenario.with(|s| match preset {
            Some(p) if p.spec == s.model => format!("{} — {}", p.name, p.hf_repo),
            Some(p) => format!("{}, edited", p.name),
            None => format!("{} (custom)", s.model.name),
        })
    };
    view! {
        <div class="field">
            <label for="preset-model">"Model preset"</label>
            <select
                id="preset-model"
                data-field="preset.model"
                prop:value=move || state.model_preset.get().unwrap_or_default()
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    if let Some(p) = crate::model::presets::model_preset(&id) {
                        state.model_preset.set(Some(p.id.clone()));
                        state.scenario.update(|s| {
                            s.model = p.spec.clone();
                            if s.model.moe.is_none() {
                                s.parallelism = crate::scenario::Parallelism::Tensor;
                            }
                        });
                        state.reset.update(|g| *g += 1);
                    }
                }
            >
                <option value="">"Custom"</option>
                {model_presets()
                    .iter()
                    .map(|p| {
                        let id = p.id.clone();
                        view! {
                            <option value=p.id.clone() selected=move || state.model_preset.with(|m| m.as_deref() == Some(id.as_str()))>
                                {p.name.clone()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="preset-status" data-preset-status="model">{status}</p>
        </div>
    }
}

/// Picks a hardware preset (or shows that the chip is custom or edited).
#[component]
pub fn HardwarePicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = move || {
        let id = state.hardware_preset.get();
        let preset = id
            .as_deref()
            .and_then(crate::model::presets::hardware_preset);
        state.scenario.with(|s| match preset {
            Some(p) if p.spec == s.hardware => format!(
                "{} {} ({} data)",
                p.vendor,
                p.name,
                p.verification.split([' ', ';', '(']).next().unwrap_or("")
            ),
            Some(p) => format!("{}, edited", p.name),
            None => format!("{} (custom)", s.hardware.name),
        })
    };
    view! {
        <div class="field">
            <label for="preset-hardware">"Hardware preset"</label>
            <select
                id="preset-hardware"
                data-field="preset.hardware"
                prop:value=move || state.hardware_preset.get().unwrap_or_default()
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    if let Some(p) = crate::model::presets::hardware_preset(&id) {
                        state.hardware_preset.set(Some(p.id.clone()));
                        state.scenario.update(|s| {
                            s.hardware = p.spec.clone();
                            // Keep a compute precision the new chip supports.
                            if !s.hardware.peak_flops.contains_key(&s.precision.compute) {
                                if let Some((&prec, _)) = s.hardware.peak_flops.iter().find(|(p, _)| p.bytes() == 2.0) {
                                    s.precision.compute = prec;
                                } else if let Some((&prec, _)) = s.hardware.peak_flops.iter().next() {
                                    s.precision.compute = prec;
                                }
                            }
                        });
                        state.reset.update(|g| *g += 1);
                    }
                }
            >
                <option value="">"Custom"</option>
                {hardware_presets()
                    .iter()
                    .map(|p| {
                        let id = p.id.clone();
                        view! {
                            <option value=p.id.clone() selected=move || state.hardware_preset.with(|m| m.as_deref() == Some(id.as_str()))>
                                {format!("{} {}", p.vendor, p.name)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="preset-status" data-preset-status="hardware">{status}</p>
        </div>
    }
}
