//! The one labelled text input of the page ([`TextField`]: calculator, lab and planner),
//! and the calculator's number field built on it. Text is checked by
//! [`crate::forms::NumberRule`], the one validator.

use super::fields::FieldDef;
use super::AppState;
pub use crate::forms::dom_id;
use crate::forms::NumberRule;
use leptos::prelude::*;

/// A labelled text input with its unit and its validation message.
#[component]
pub fn TextField(
    /// The input's element id.
    id: String,
    /// The visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The unit shown after the input.
    unit: &'static str,
    /// The text shown.
    #[prop(into)]
    text: Signal<String>,
    /// Called with the text on every keystroke.
    on_text: Callback<String>,
    /// What is wrong with the text, if anything.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// The message's `data-error-for` key.
    error_for: &'static str,
    /// Hides the field while true.
    #[prop(optional, into)]
    hidden: Option<Signal<bool>>,
    /// The input's placeholder (no attribute when `None`).
    #[prop(optional)]
    placeholder: Option<&'static str>,
    /// The input's `data-field` (calculator and planner keys).
    #[prop(optional)]
    data_field: Option<&'static str>,
    /// The input's `data-lab-field` (lab field ids).
    #[prop(optional)]
    data_lab_field: Option<&'static str>,
) -> impl IntoView {
    let err_id = format!("{id}-err");
    let invalid = move || error.with(Option::is_some);
    view! {
        <div class="field" class:invalid=invalid hidden=move || hidden.is_some_and(|h| h.get())>
            <label for=id.clone()>{move || label.get()}</label>
            <div class="field-row">
                <input
                    id=id
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    spellcheck="false"
                    data-field=data_field
                    data-lab-field=data_lab_field
                    placeholder=placeholder
                    aria-invalid=move || if invalid() { "true" } else { "false" }
                    aria-describedby=err_id.clone()
                    prop:value=move || text.get()
                    on:input=move |ev| on_text.run(event_target_value(&ev))
                />
                <span class="unit">{unit}</span>
            </div>
            <p class="error" id=err_id role="alert" data-error-for=error_for>{move || error.get()}</p>
        </div>
    }
    .into_any()
}

/// What a calculator field accepts.
pub fn rule(def: &FieldDef) -> NumberRule {
    NumberRule {
        integer: def.integer,
        min: def.min,
        min_inclusive: def.min_inclusive,
        max: def.max,
        optional: def.optional.is_some(),
        scale: def.scale,
    }
}

/// A number input bound to one scenario field (see [`FieldDef`]). Invalid text shows a
/// message beside the field and leaves the scenario unchanged; outside changes (presets,
/// links, imports) rewrite the text unless the field is mid-edit with an error.
#[component]
pub fn NumberField(
    /// The field's definition from the table in `fields.rs`.
    def: &'static FieldDef,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let rule = rule(def);
    let error = RwSignal::new(None::<String>);
    let text = RwSignal::new(state.scenario.with_untracked(|s| rule.show((def.get)(s))));
    // This field's value and visibility, each set only when it changes (`super::watch`):
    // an edit of another field runs only their getters, not the check of this field's text
    // below or the `hidden` attribute.
    let value = state.watch.value(def.get);
    let visible = state.watch.value(def.visible);
    Effect::new(move |_| {
        let v = value.get();
        if error.get_untracked().is_none() {
            let typed = rule.check(&text.get_untracked()).ok();
            if typed != Some(v) {
                text.set(rule.show(v));
            }
        }
    });
    // A reset (new preset, link, import) clears errors the user left behind.
    Effect::new(move |prev: Option<u64>| {
        let gen = state.reset.get();
        if prev.is_some() && error.get_untracked().is_some() {
            error.set(None);
            state.clear_field_error(def.key);
            text.set(state.scenario.with_untracked(|s| rule.show((def.get)(s))));
        }
        gen
    });
    let on_text = Callback::new(move |raw: String| {
        // The input already shows `raw`: kept without writing it back to the input.
        text.update_untracked(|t| t.clone_from(&raw));
        match rule.check(&raw) {
            Ok(v) => {
                error.set(None);
                state.clear_field_error(def.key);
                state.scenario.update(|s| (def.set)(s, v));
            }
            Err(msg) => {
                let msg = format!("{} {msg}", def.label);
                error.set(Some(msg.clone()));
                state.set_field_error(def.key, msg);
            }
        }
    });
    view! {
        <TextField
            id=dom_id(def.key)
            label=def.label
            unit=def.unit
            text=text
            on_text
            error=error
            error_for=def.key
            hidden=Signal::derive(move || !visible.get())
            placeholder=def.optional.unwrap_or("")
            data_field=def.key
        />
    }
    .into_any()
}
