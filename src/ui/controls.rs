//! Selects, checkboxes and log sliders bound to the scenario.

use super::field::dom_id;
use super::AppState;
use crate::scenario::{Attention, Moe, Parallelism, Precision, Scenario};
use leptos::prelude::*;

/// A labelled `<select>` over a fixed list of (value, text) choices.
#[component]
pub fn Choice(
    /// Dotted scenario key, for the id and tests.
    key: &'static str,
    /// Visible label.
    label: &'static str,
    /// (value, shown text) pairs.
    options: Vec<(&'static str, &'static str)>,
    /// The current value.
    get: fn(&Scenario) -> &'static str,
    /// Applies a chosen value.
    set: fn(&mut Scenario, &str),
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = dom_id(key);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                data-field=key
                prop:value=move || state.scenario.with(get)
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state.scenario.update(|s| set(s, &v));
                }
            >
                {options
                    .into_iter()
                    .map(|(v, t)| {
                        view! {
                            <option value=v selected=move || state.scenario.with(|s| get(s) == v)>
                                {t}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A labelled checkbox.
#[component]
pub fn Toggle(
    /// Dotted scenario key, for the id and tests.
    key: &'static str,
    /// Visible label.
    label: &'static str,
    /// Whether it is on.
    get: fn(&Scenario) -> bool,
    /// Applies a change.
    set: fn(&mut Scenario, bool),
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = dom_id(key);
    view! {
        <div class="check">
            <input
                type="checkbox"
                id=id.clone()
                data-field=key
                prop:checked=move || state.scenario.with(get)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    state.scenario.update(|s| set(s, on));
                }
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// A log-scale slider beside a number field: position = log2(value) × 8.
#[component]
pub fn LogSlider(
    /// Dotted scenario key, for the id and tests.
    key: &'static str,
    /// Accessible name (the number field beside it carries the visible label).
    label: &'static str,
    /// Largest value reachable by the slider.
    max: u64,
    /// The current value.
    get: fn(&Scenario) -> u64,
    /// Applies a value.
    set: fn(&mut Scenario, u64),
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let steps = ((max as f64).log2() * 8.0).ceil() as u32;
    view! {
        <input
            type="range"
            class="log-slider"
            min="0"
            max=steps.to_string()
            step="1"
            aria-label=label
            data-slider=key
            prop:value=move || {
                let v = state.scenario.with(get).max(1) as f64;
                ((v.log2() * 8.0).round() as u32).min(steps).to_string()
            }
            on:input=move |ev| {
                if let Ok(pos) = event_target_value(&ev).parse::<f64>() {
                    let v = 2f64.powf(pos / 8.0).round().clamp(1.0, max as f64) as u64;
                    state.field_errors.update(|m| {
                        m.remove(key);
                    });
                    state.reset.update(|g| *g += 1);
                    state.scenario.update(|s| set(s, v));
                }
            }
        />
    }
}

/// Precision choices for selects.
pub fn precision_options() -> Vec<(&'static str, &'static str)> {
    Precision::ALL
        .iter()
        .map(|p| (p.name(), p.name()))
        .collect()
}

/// Parses a precision name coming from one of our own selects (unknown keeps bf16).
pub fn precision_of(v: &str) -> Precision {
    Precision::parse(v).unwrap_or(Precision::Bf16)
}

/// "gqa" / "mla".
pub fn attention_name(s: &Scenario) -> &'static str {
    match s.model.attention {
        Attention::Gqa => "gqa",
        Attention::Mla => "mla",
    }
}

/// Sets attention, filling MLA's required fields with DeepSeek-V3's when switching to it.
pub fn set_attention(s: &mut Scenario, v: &str) {
    if v == "mla" {
        s.model.attention = Attention::Mla;
        s.model.kv_lora_rank.get_or_insert(512);
        s.model.qk_rope_head_dim.get_or_insert(64);
    } else {
        s.model.attention = Attention::Gqa;
    }
}

/// "tensor" / "expert".
pub fn parallelism_name(s: &Scenario) -> &'static str {
    match s.parallelism {
        Parallelism::Tensor => "tensor",
        Parallelism::Expert => "expert",
    }
}

/// Sets the parallelism (expert needs an MoE model; validation says so otherwise).
pub fn set_parallelism(s: &mut Scenario, v: &str) {
    s.parallelism = if v == "expert" {
        Parallelism::Expert
    } else {
        Parallelism::Tensor
    };
}

/// Turns MoE on (with Mixtral-like defaults) or off.
pub fn set_moe(s: &mut Scenario, on: bool) {
    if on {
        s.model
            .moe
            .get_or_insert(Moe::switched_on(s.model.intermediate_size));
    } else {
        s.model.moe = None;
        if s.parallelism == Parallelism::Expert {
            s.parallelism = Parallelism::Tensor;
        }
    }
}
