//! Leptos components; the only code that touches the DOM.
//!
//! One `RwSignal<Scenario>` holds the setup; one `Memo` derives every result from it.
//! Fields validate as the user types: a bad value shows a message beside its field and
//! leaves the scenario (and so the results) at its last valid state, marked stale.

mod chart_view;
mod field;
mod results;

use crate::model::{evaluate, Evaluation};
use crate::scenario::{Efficiency, Scenario, ScenarioError};
use chart_view::ChartCanvas;
use field::NumberField;
use leptos::prelude::*;
use results::ResultsCard;
use std::collections::BTreeMap;

/// Global state shared by the components.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The current (last valid) scenario.
    pub scenario: RwSignal<Scenario>,
    /// Fields whose typed text is invalid, by field key, with the message.
    pub field_errors: RwSignal<BTreeMap<&'static str, String>>,
    /// Every result, derived from the scenario.
    pub results: Memo<Result<Evaluation, ScenarioError>>,
}

/// Mounts the app on `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let scenario = RwSignal::new(Scenario::default());
    let field_errors = RwSignal::new(BTreeMap::new());
    let results = Memo::new(move |_| scenario.with(evaluate));
    let state = AppState {
        scenario,
        field_errors,
        results,
    };
    provide_context(state);

    let pure = Memo::new(move |_| scenario.with(|s| s.efficiency.is_pure()));

    view! {
        <header class="top">
            <h1>"Roofline"</h1>
            <p class="tagline">"What an LLM token costs on given hardware, and why."</p>
        </header>
        <main class="layout">
            <section class="inputs" aria-label="Inputs">
                <fieldset>
                    <legend>"Setup"</legend>
                    <p class="preset-line">
                        {move || scenario.with(|s| format!("{} on {} × {}", s.model.name, s.chips, s.hardware.name))}
                    </p>
                </fieldset>
                <fieldset>
                    <legend>"Workload"</legend>
                    <NumberField
                        key="workload.batch_size"
                        label="Batch size"
                        unit="requests"
                        integer=true
                        min=1.0
                        max=1e8
                        get=move |s: &Scenario| s.workload.batch_size as f64
                        set=move |s: &mut Scenario, v: f64| s.workload.batch_size = v as u64
                    />
                    <NumberField
                        key="workload.input_tokens"
                        label="Input length"
                        unit="tokens"
                        integer=true
                        min=1.0
                        max=1e8
                        get=move |s: &Scenario| s.workload.input_tokens as f64
                        set=move |s: &mut Scenario, v: f64| s.workload.input_tokens = v as u64
                    />
                    <NumberField
                        key="workload.output_tokens"
                        label="Output length"
                        unit="tokens"
                        integer=true
                        min=1.0
                        max=1e8
                        get=move |s: &Scenario| s.workload.output_tokens as f64
                        set=move |s: &mut Scenario, v: f64| s.workload.output_tokens = v as u64
                    />
                </fieldset>
                <fieldset>
                    <legend>"Hardware"</legend>
                    <NumberField
                        key="chips"
                        label="Chips"
                        unit="chips"
                        integer=true
                        min=1.0
                        max=1e6
                        get=move |s: &Scenario| s.chips as f64
                        set=move |s: &mut Scenario, v: f64| s.chips = v as u32
                    />
                    <NumberField
                        key="hardware.price_per_hour"
                        label="Price per chip-hour"
                        unit="USD"
                        integer=false
                        min=0.0
                        max=1e6
                        get=move |s: &Scenario| s.hardware.price_per_hour
                        set=move |s: &mut Scenario, v: f64| s.hardware.price_per_hour = v
                    />
                </fieldset>
                <fieldset>
                    <legend>"Assumptions"</legend>
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || pure.get()
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                scenario.update(|s| {
                                    s.efficiency = if on { Efficiency::PURE } else { Efficiency::REALISTIC };
                                });
                            }
                        />
                        " Pure roofline bound (100% efficiency, no overheads)"
                    </label>
                </fieldset>
            </section>
            <section class="outputs" aria-label="Results">
                <ResultsCard />
                <ChartCanvas />
            </section>
        </main>
    }
}
