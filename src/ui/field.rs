//! A labelled number field that validates as the user types.

use super::fields::FieldDef;
use super::AppState;
use crate::format::parse_number;
use leptos::prelude::*;

/// A number input bound to one scenario field (see [`FieldDef`]). Invalid text shows a
/// message beside the field and leaves the scenario unchanged; outside changes (presets,
/// links, imports) rewrite the text unless the field is mid-edit with an error.
#[component]
pub fn NumberField(
    /// The field's definition from the table in `fields.rs`.
    def: &'static FieldDef,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = dom_id(def.key);
    let err_id = format!("{id}-err");
    let error = RwSignal::new(None::<String>);
    let text = RwSignal::new(state.scenario.with_untracked(|s| show(def, (def.get)(s))));
    Effect::new(move |_| {
        let v = state.scenario.with(|s| (def.get)(s));
        if error.get_untracked().is_none() {
            let typed = check(def, &text.get_untracked()).ok();
            if typed != Some(v) {
                text.set(show(def, v));
            }
        }
    });
    // A reset (new preset, link, import) clears errors the user left behind.
    Effect::new(move |prev: Option<u64>| {
        let gen = state.reset.get();
        if prev.is_some() && error.get_untracked().is_some() {
            error.set(None);
            state.field_errors.update(|m| {
                m.remove(def.key);
            });
            text.set(state.scenario.with_untracked(|s| show(def, (def.get)(s))));
        }
        gen
    });
    let on_input = move |ev| {
        let raw = event_target_value(&ev);
        text.set(raw.clone());
        match check(def, &raw) {
            Ok(v) => {
                error.set(None);
                state.field_errors.update(|m| {
                    m.remove(def.key);
                });
                state.scenario.update(|s| (def.set)(s, v));
            }
            Err(msg) => {
                let msg = format!("{} {msg}", def.label);
                error.set(Some(msg.clone()));
                state.field_errors.update(|m| {
                    m.insert(def.key, msg);
                });
            }
        }
    };
    let visible = move || state.scenario.with(|s| (def.visible)(s));
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some) hidden=move || !visible()>
            <label for=id.clone()>{def.label}</label>
            <div class="field-row">
                <input
                    id=id
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    spellcheck="false"
                    data-field=def.key
                    placeholder=def.optional.unwrap_or("")
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=err_id.clone()
                    prop:value=move || text.get()
                    on:input=on_input
                />
                <span class="unit">{def.unit}</span>
            </div>
            <p class="error" id=err_id role="alert" data-error-for=def.key>{move || error.get()}</p>
        </div>
    }
}

/// The element id of a field's input: `f-workload-batch_size`.
pub fn dom_id(key: &str) -> String {
    format!("f-{}", key.replace('.', "-"))
}

/// Validates typed text against a field: the SI value (`None` for an empty optional field).
pub fn check(def: &FieldDef, raw: &str) -> Result<Option<f64>, String> {
    if raw.trim().is_empty() {
        return match def.optional {
            Some(_) => Ok(None),
            None => Err("is empty: enter a number".into()),
        };
    }
    let v = parse_number(raw)?;
    if def.integer && v.fract() != 0.0 {
        return Err(format!("must be a whole number, got {v}"));
    }
    let below = if def.min_inclusive {
        v < def.min
    } else {
        v <= def.min
    };
    if below {
        return Err(match (def.min == 0.0, def.min_inclusive) {
            (true, true) => format!("must not be negative, got {v}"),
            (true, false) => format!("must be above 0, got {v}"),
            (false, _) => format!("must be at least {}, got {v}", def.min),
        });
    }
    if v > def.max {
        return Err(format!(
            "is too large ({v}); at most {}",
            crate::format::sig(def.max, 3)
        ));
    }
    Ok(Some(v * def.scale))
}

/// The text shown for an SI value: value ÷ scale, without float noise.
fn show(def: &FieldDef, v: Option<f64>) -> String {
    match v {
        None => String::new(),
        Some(v) => {
            let x = v / def.scale;
            let r = (x * 1e9).round() / 1e9;
            if r.fract() == 0.0 && r.abs() < 1e15 {
                format!("{}", r as i64)
            } else {
                format!("{r}")
            }
        }
    }
}
