//! A labelled number field that validates as the user types.

use super::AppState;
use crate::format::parse_number;
use crate::scenario::Scenario;
use leptos::prelude::*;

/// A number input bound to one scenario field. Invalid text shows a message beside the
/// field and leaves the scenario unchanged.
#[component]
pub fn NumberField(
    /// The scenario field's dotted key, used for the element id and error tracking.
    key: &'static str,
    /// The visible label, in plain words.
    label: &'static str,
    /// The unit shown after the field.
    unit: &'static str,
    /// Whether only whole numbers are accepted.
    integer: bool,
    /// Smallest accepted value (inclusive; 0 for "not negative", 1 for counts).
    min: f64,
    /// Largest accepted value (inclusive).
    max: f64,
    /// Reads the field's value (SI) from the scenario.
    get: impl Fn(&Scenario) -> f64 + Copy + Send + Sync + 'static,
    /// Writes a valid value (SI) into the scenario.
    set: impl Fn(&mut Scenario, f64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = format!("f-{}", key.replace('.', "-"));
    let err_id = format!("{id}-err");
    let error = RwSignal::new(None::<String>);
    let text = RwSignal::new(state.scenario.with_untracked(|s| show(get(s))));
    // Follow outside changes (presets, links) unless the user is mid-edit with an error.
    Effect::new(move |_| {
        let v = state.scenario.with(|s| get(s));
        if error.get_untracked().is_none() {
            let current = text.get_untracked();
            if parse_number(&current).ok() != Some(v) {
                text.set(show(v));
            }
        }
    });
    let on_input = move |ev| {
        let raw = event_target_value(&ev);
        text.set(raw.clone());
        match check(&raw, integer, min, max) {
            Ok(v) => {
                error.set(None);
                state.field_errors.update(|m| {
                    m.remove(key);
                });
                state.scenario.update(|s| set(s, v));
            }
            Err(msg) => {
                let msg = format!("{label} {msg}");
                error.set(Some(msg.clone()));
                state.field_errors.update(|m| {
                    m.insert(key, msg);
                });
            }
        }
    };
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <div class="field-row">
                <input
                    id=id
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    spellcheck="false"
                    data-field=key
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=err_id.clone()
                    prop:value=move || text.get()
                    on:input=on_input
                />
                <span class="unit">{unit}</span>
            </div>
            <p class="error" id=err_id role="alert" data-error-for=key>{move || error.get()}</p>
        </div>
    }
}

/// Validates typed text: a number, whole if `integer`, within [min, max].
pub fn check(raw: &str, integer: bool, min: f64, max: f64) -> Result<f64, String> {
    let v = parse_number(raw)?;
    if integer && v.fract() != 0.0 {
        return Err(format!("must be a whole number, got {v}"));
    }
    if v < min {
        return Err(if min == 0.0 {
            format!("must not be negative, got {v}")
        } else {
            format!("must be at least {min}, got {v}")
        });
    }
    if v > max {
        return Err(format!("is too large ({v}); at most {max:e}"));
    }
    Ok(v)
}

fn show(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}
