//! Selects, checkboxes and log sliders bound to the scenario (their values and effects are
//! plain functions in `crate::forms::choices`).

use super::AppState;
use crate::forms::choices::LogScale;
use crate::forms::dom_id;
use crate::scenario::Scenario;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

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
    // The option chosen when the select is built (its `value` is set before its options
    // exist); after that the select follows the scenario, so no option subscribes to it.
    // Its `value` is written only when it differs: setting a select's value, even to the
    // one it has, makes Chrome queue a selection-changed task with a forced layout (about
    // 0.3 ms per select, ten selects, on every edit). The effect follows the value, set only
    // when it changes (`super::watch`), so an edit elsewhere does not run it (reading a select's `value` crosses into the
    // browser: 0.16 ms per edit for the page's selects).
    let initial = state.scenario.with_untracked(get);
    let select = NodeRef::<leptos::html::Select>::new();
    let value = state.watch.value(get);
    let show = move |v: &str| {
        if let Some(el) = select.get_untracked() {
            if el.value() != v {
                el.set_value(v);
            }
        }
    };
    Effect::new(move |_| {
        select.track();
        show(value.get());
    });
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                data-field=key
                node_ref=select
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state.scenario.update(|s| set(s, &v));
                    // A choice the scenario does not take leaves the value as it was, so
                    // the select is put back here.
                    show(state.scenario.with_untracked(get));
                }
            >
                {options
                    .into_iter()
                    .map(|(v, t)| {
                        view! {
                            <option value=v selected=v == initial>
                                {t}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
    .into_any()
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
    // Written only when it differs, and checked only when the value does (as `Choice`'s).
    let input = NodeRef::<leptos::html::Input>::new();
    let value = state.watch.value(get);
    let show = move |on: bool| {
        if let Some(el) = input.get_untracked() {
            if el.checked() != on {
                el.set_checked(on);
            }
        }
    };
    Effect::new(move |_| {
        input.track();
        show(value.get());
    });
    view! {
        <div class="check">
            <input
                type="checkbox"
                id=id.clone()
                data-field=key
                node_ref=input
                checked=state.scenario.with_untracked(get)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    state.scenario.update(|s| set(s, on));
                    show(state.scenario.with_untracked(get));
                }
            />
            <label for=id>{label}</label>
        </div>
    }
    .into_any()
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
    let scale = LogScale { max };
    let steps = scale.steps();
    // Written only when it differs, and checked only when the position does (as `Choice`'s
    // value): a range input relays out its thumb on every write.
    let input = NodeRef::<leptos::html::Input>::new();
    let position = state.watch.value(move |s| scale.position(get(s)));
    Effect::new(move |_| {
        let pos = position.get().to_string();
        if let Some(el) = input.get() {
            if el.value() != pos {
                el.set_value(&pos);
            }
        }
    });
    view! {
        <input
            type="range"
            class="log-slider"
            min="0"
            max=steps.to_string()
            step="1"
            aria-label=label
            data-slider=key
            node_ref=input
            value=scale.position(state.scenario.with_untracked(get)).to_string()
            on:input=move |ev| {
                if let Some(pos) = crate::format::parse_f64(&event_target_value(&ev)) {
                    let v = scale.value(pos);
                    state.clear_field_error(key);
                    state.bump_reset();
                    state.scenario.update(|s| set(s, v));
                }
            }
        />
    }
    .into_any()
}

/// Whether the `<details>` an event came from is open.
pub(super) fn details_open(ev: &web_sys::Event) -> bool {
    ev.target()
        .and_then(|t| js_sys::Reflect::get(&t, &"open".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// A `<details>` (classes `class`) whose content is built the first time it opens and kept
/// after: while closed it holds only its summary, so it adds no elements and no reactive work
/// to the page. Opened by a click or key on the summary (built before the content shows) or
/// by script (`open = true`, built on the `toggle` event). The content is built and mounted
/// once, by hand, under the section's owner (so it sees the page's context), rather than
/// through a reactive `Option` of it: a view that is never rebuilt needs no rebuild code.
pub fn disclosure<V>(
    summary: &'static str,
    class: &'static str,
    content: impl Fn() -> V + 'static,
) -> impl IntoView
where
    V: Render + 'static,
{
    let owner = Owner::current();
    // The built content's state, kept for the page's life.
    let built = StoredValue::new_local(None::<V::State>);
    // Nothing is borrowed from the reactive arena while the content is made (it makes
    // signals of its own), so the closure and the owner live in an `Rc`, not a stored value.
    let build = std::rc::Rc::new(move |details: Option<web_sys::Element>| {
        let Some(details) = details else { return };
        if built.with_value(Option::is_some) {
            return;
        }
        let make = || {
            let mut state = content().build();
            state.mount(&details, None);
            state
        };
        let state = match &owner {
            Some(o) => o.with(make),
            None => make(),
        };
        built.set_value(Some(state));
    });
    let on_click = build.clone();
    let element =
        |t: Option<web_sys::EventTarget>| t.and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    view! {
        <details
            class=class
            on:toggle=move |ev| {
                if details_open(&ev) {
                    build(element(ev.current_target()));
                }
            }
        >
            <summary on:click=move |ev| {
                on_click(element(ev.current_target()).and_then(|s| s.parent_element()));
            }>{summary}</summary>
        </details>
    }
}
