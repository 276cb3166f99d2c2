//! Leptos components; the only code that touches the DOM.
//!
//! One `RwSignal<Scenario>` holds the setup; one `Memo` derives every result from it.
//! Fields validate as the user types: a bad value shows a message beside its field and
//! leaves the scenario (and so the results) at its last valid state, marked stale.

// MODULES: one line per panel module.
pub mod bench;
mod chart_view;
mod compare;
mod controls;
mod field;
mod fields;
mod import;
mod lab;
mod planner;
mod presets;
mod results;
mod share;

use crate::model::{evaluate, Evaluation};
use crate::scenario::{Efficiency, Scenario, ScenarioError};
use chart_view::ChartsPanel;
use compare::ComparePanel;
use controls::{
    attention_name, parallelism_name, precision_of, precision_options, set_attention, set_moe,
    set_parallelism, Choice, LogSlider, Toggle,
};
use field::NumberField;
use fields::{ASSUMPTION_FIELDS, HARDWARE_FIELDS, MODEL_FIELDS, WORKLOAD_FIELDS};
use import::HfImport;
use leptos::prelude::*;
use presets::{HardwarePicker, ModelPicker};
use results::{ResultsCard, WhyPanel};
use share::{read_link, sync_address_bar, EmbedView, LinkBanner, SharePanel};
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
    /// The pure roofline bound of the same scenario, shown beside the estimate.
    pub pure_results: Memo<Option<Evaluation>>,
    /// The last valid results, shown (marked stale) while an input is invalid.
    pub last_good: Memo<Option<Evaluation>>,
    /// The chosen model preset's id, if any.
    pub model_preset: RwSignal<Option<String>>,
    /// The chosen hardware preset's id, if any.
    pub hardware_preset: RwSignal<Option<String>>,
    /// Bumped when the scenario is replaced wholesale (preset, import, link): fields drop
    /// stale error text.
    pub reset: RwSignal<u64>,
    /// The setup pinned as A for comparison.
    pub pinned: RwSignal<Option<Scenario>>,
    /// Dark theme (from a link's `theme`, else the system's preference).
    pub dark: RwSignal<bool>,
    /// The serving lab's random seed when it is not the default (kept in the link).
    pub lab_seed: RwSignal<Option<u64>>,
}

/// The model and hardware ids the page opens on.
pub const DEFAULT_MODEL: &str = "llama-3.1-70b";
/// The hardware preset the page opens on.
pub const DEFAULT_HARDWARE: &str = "h100-sxm";

/// The scenario the page opens on: Llama 3.1 70B on 8 × H100 SXM, bf16, from the presets.
pub fn initial_scenario() -> Scenario {
    let mut s = Scenario::default();
    if let Some(p) = crate::model::presets::model_preset(DEFAULT_MODEL) {
        s.model = p.spec.clone();
    }
    if let Some(p) = crate::model::presets::hardware_preset(DEFAULT_HARDWARE) {
        s.hardware = p.spec.clone();
    }
    s
}

/// Whether the system asks for a dark theme.
fn system_prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}

/// Mounts the app on `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let query = share::current_query();
    let (link, view_params, mut link_problems) = if query.trim_start_matches('?').is_empty() {
        (None, share::View::default(), Vec::new())
    } else {
        let (r, v, p) = read_link(&query);
        (Some(r), v, p)
    };
    let (start, start_model, start_hw) = match link {
        Some(r) => {
            let mut problems = r.problems;
            problems.append(&mut link_problems);
            link_problems = problems;
            (r.scenario, r.model_preset, r.hardware_preset)
        }
        None => (
            initial_scenario(),
            Some(DEFAULT_MODEL.to_string()),
            Some(DEFAULT_HARDWARE.to_string()),
        ),
    };
    if let Some(t) = &view_params.theme {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = el.set_attribute("data-theme", t);
        }
    }
    let dark = match view_params.theme.as_deref() {
        Some("dark") => true,
        Some(_) => false,
        None => system_prefers_dark(),
    };
    let scenario = RwSignal::new(start);
    let results = Memo::new(move |_| scenario.with(evaluate));
    let pure_results = Memo::new(move |_| {
        scenario.with(|s| {
            if s.efficiency.is_pure() {
                None
            } else {
                let mut p = s.clone();
                p.efficiency = Efficiency::PURE;
                evaluate(&p).ok()
            }
        })
    });
    let state = AppState {
        scenario,
        field_errors: RwSignal::new(BTreeMap::new()),
        results,
        pure_results,
        last_good: results::last_good(results),
        model_preset: RwSignal::new(start_model),
        hardware_preset: RwSignal::new(start_hw),
        reset: RwSignal::new(0),
        pinned: RwSignal::new(None),
        dark: RwSignal::new(dark),
        lab_seed: RwSignal::new(None),
    };
    provide_context(state);
    if let Some(embed) = view_params.embed {
        return view! { <EmbedView embed /> }.into_any();
    }
    sync_address_bar(state);

    let fields = |defs: &'static [fields::FieldDef]| {
        defs.iter()
            .map(|def| view! { <NumberField def /> })
            .collect_view()
    };

    view! {
        <header class="top">
            <h1>"Roofline"</h1>
            <p class="tagline">"What an LLM token costs on given hardware, and why."</p>
        </header>
        <LinkBanner problems=link_problems />
        <main class="layout">
            <section class="inputs" aria-label="Inputs">
                <fieldset>
                    <legend>"Model"</legend>
                    <ModelPicker />
                    <details class="more">
                        <summary>"Shape, attention and experts"</summary>
                        <Choice
                            key="model.attention"
                            label="Attention"
                            options=vec![("gqa", "GQA / MHA / MQA"), ("mla", "MLA (latent KV)")]
                            get=attention_name
                            set=set_attention
                        />
                        <Toggle key="model.tied_embeddings" label="Tied embeddings" get=|s| s.model.tied_embeddings set=|s, on| s.model.tied_embeddings = on />
                        <Toggle key="model.moe" label="Mixture of experts" get=|s| s.model.moe.is_some() set=set_moe />
                        {fields(MODEL_FIELDS)}
                    </details>
                    <HfImport />
                </fieldset>
                <fieldset>
                    <legend>"Hardware"</legend>
                    <HardwarePicker />
                    <NumberField def=&HARDWARE_FIELDS[0] />
                    <Choice
                        key="parallelism"
                        label="Parallelism"
                        options=vec![("tensor", "Tensor parallel"), ("expert", "Expert parallel + data-parallel attention")]
                        get=parallelism_name
                        set=set_parallelism
                    />
                    <details class="more">
                        <summary>"Chip specification"</summary>
                        {fields(&HARDWARE_FIELDS[1..])}
                    </details>
                </fieldset>
                <fieldset>
                    <legend>"Workload"</legend>
                    <NumberField def=&WORKLOAD_FIELDS[0] />
                    <LogSlider key="workload.batch_size" label="Batch size (log slider)" max=65536 get=|s| s.workload.batch_size set=|s, v| s.workload.batch_size = v />
                    <NumberField def=&WORKLOAD_FIELDS[1] />
                    <NumberField def=&WORKLOAD_FIELDS[2] />
                    <NumberField def=&WORKLOAD_FIELDS[3] />
                    <LogSlider
                        key="workload.context_length"
                        label="Decode context (log slider)"
                        max=2_097_152
                        get=|s| s.decode_context() as u64
                        set=|s, v| s.workload.context_length = Some(v)
                    />
                </fieldset>
                <fieldset>
                    <legend>"Precision"</legend>
                    <Choice key="precision.weights" label="Weights" options=precision_options() get=|s| s.precision.weights.name() set=|s, v| s.precision.weights = precision_of(v) />
                    <Choice key="precision.kv_cache" label="KV cache" options=precision_options() get=|s| s.precision.kv_cache.name() set=|s, v| s.precision.kv_cache = precision_of(v) />
                    <Choice key="precision.compute" label="Compute" options=precision_options() get=|s| s.precision.compute.name() set=|s, v| s.precision.compute = precision_of(v) />
                </fieldset>
                <fieldset>
                    <legend>"Assumptions"</legend>
                    <Toggle
                        key="efficiency.pure"
                        label="Pure roofline bound (100% efficiency, no overheads)"
                        get=|s| s.efficiency.is_pure()
                        set=|s, on| s.efficiency = if on { Efficiency::PURE } else { Efficiency::REALISTIC }
                    />
                    {fields(ASSUMPTION_FIELDS)}
                </fieldset>
            </section>
            <section class="outputs" aria-label="Results">
                <ResultsCard />
                <ChartsPanel />
                <ComparePanel />
                <SharePanel />
                <WhyPanel />
            </section>
        </main>
        // Further panels (each its own module in src/ui/), full width below the calculator.
        <section class="panels">
            // PANELS
            <lab::ServingLab />
            <planner::Planner />
        </section>
    }
    .into_any()
}
