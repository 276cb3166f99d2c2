//! Leptos components; the only code that touches the DOM.
//!
//! One `RwSignal<Scenario>` holds the setup; one `Memo` derives every result from it.
//! Fields validate as the user types: a bad value shows a message beside its field and
//! leaves the scenario (and so the results) at its last valid state, marked stale.

// MODULES: one line per panel module.
pub mod bench;
mod browser;
mod calibrate;
mod chart_view;
mod compare;
mod compare_models;
mod controls;
mod disagg;
mod field;
mod fields;
mod footer;
mod import;
mod lab;
mod layout_ahead;
mod lazy;
mod lazy_charts;
mod nav;
mod offline;
mod planner;
mod presets;
mod results;
mod saved;
mod share;
mod state;
mod validation;
mod watch;

pub use crate::app_state::{initial_scenario, DEFAULT_HARDWARE, DEFAULT_MODEL};
use crate::forms::choices::{
    attention_name, draft_model_id, draft_model_options, parallelism_name, precision_of,
    precision_options, prefix_sharing_name, set_attention, set_draft_model, set_moe,
    set_parallelism, set_prefix_sharing, set_speculative, speculative_name,
};
use crate::scenario::Efficiency;
use crate::view_params::Opening;
use chart_view::ChartsPanel;
use controls::{disclosure, Choice, LogSlider, Toggle};
use field::NumberField;
use fields::{
    ASSUMPTION_FIELDS, HARDWARE_FIELDS, MODEL_FIELDS, SPECULATIVE_FIELDS, WORKLOAD_FIELDS,
};
use import::HfImport;
use lazy::{LazyPanel, Part};
use leptos::prelude::*;
use presets::{HardwarePicker, ModelPicker};
use results::ResultsCard;
use share::{sync_address_bar, EmbedView, LinkBanner};
pub use state::AppState;

/// Mounts the app on `<body>`. Its code (Leptos, the components) is a part of its own
/// (`app_part`), fetched now: the main module holds only what paints the first screen
/// before it (`crate::lite::first`), which the app takes off once it has drawn a chart.
pub fn mount() {
    wasm_bindgen_futures::spawn_local(app_part());
}

/// The Leptos app, mounted on `<body>`.
#[leptos::lazy]
fn app_part() {
    leptos::mount::mount_to_body(App);
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let opening = Opening::from_query(&browser::current_query());
    if let Some(t) = &opening.view.theme {
        browser::set_root_attribute("data-theme", t);
    }
    let dark = opening.view.dark(browser::system_prefers_dark());
    let state = AppState {
        opened_chunk: opening.view.chunk,
        opened_hit: opening.view.hit,
        ..AppState::new(opening.setup, dark, opening.view.seed)
    };
    state.section.set(opening.view.section);
    state.compare_models.set(opening.view.compare.clone());
    provide_context(state);
    provide_context(lazy::LazyParts::new());
    lazy::keep_lab_link(&state);
    if let Some(embed) = opening.view.embed {
        let fit = offline::fit_requested();
        if fit {
            offline::post_height_to_parent();
        }
        return view! { <EmbedView embed fit /> }.into_any();
    }
    let link_problems = opening.problems;
    // The page beyond its header is a part loaded first thing (src/ui/lazy.rs), so that an
    // embed, which never asks for it, fetches none of its code.
    view! {
        <header class="top">
            <h1>{crate::lite::first::TITLE}</h1>
            <p class="tagline">{crate::lite::first::TAGLINE}</p>
        </header>
        <lazy::FullPage problems=link_problems />
    }
    .into_any()
}

/// The full page below its header (loaded on demand by `lazy::FullPage`): the inputs, the
/// results and charts, the panels; it keeps the address bar in step with the scenario.
fn full_page(link_problems: Vec<crate::scenario::link::LinkProblem>) -> AnyView {
    let state = expect_context::<AppState>();
    offline::register_worker_when_quiet();
    layout_ahead::lay_out_after_edits();
    sync_address_bar(state);
    // The first screen painted before the app goes once a chart is drawn
    // (`chart_view`), and at the latest a moment after the page is built (a link that
    // opens below the charts draws none at first).
    set_timeout(
        crate::lite::first::remove,
        std::time::Duration::from_millis(1500),
    );
    view! {
        <LinkBanner problems=link_problems />
        <nav::Wayfinder />
        // Each section the navigation goes to is a `sec-…` element (view_params::SECTIONS).
        <main class="layout">
            <Inputs />
            <section class="outputs" aria-label="Results">
                <div id="sec-results" class="section-anchor" tabindex="-1"><ResultsCard /></div>
                <div id="sec-charts" class="section-anchor" tabindex="-1"><ChartsPanel /></div>
                // Loaded on demand once the first screen is drawn (src/ui/lazy.rs).
                <div id="sec-compare" class="section-anchor" tabindex="-1"><LazyPanel part=Part::Compare /></div>
                <div id="sec-saved" class="section-anchor" tabindex="-1"><LazyPanel part=Part::Saved /></div>
                <div id="sec-share" class="section-anchor" tabindex="-1"><LazyPanel part=Part::Share /></div>
                <LazyPanel part=Part::Why />
            </section>
        </main>
        // Further panels (each its own module in src/ui/), full width below the calculator.
        <section class="panels">
            // PANELS
            // Each loaded on demand (src/ui/lazy.rs): its code is a chunk of its own.
            <div id="sec-lab" class="section-anchor" tabindex="-1"><LazyPanel part=Part::Lab /></div>
            <div id="sec-planner" class="section-anchor" tabindex="-1"><LazyPanel part=Part::Planner /></div>
            <div id="sec-validation" class="section-anchor" tabindex="-1"><LazyPanel part=Part::Validation /></div>
            <div id="sec-calibrate" class="section-anchor" tabindex="-1"><LazyPanel part=Part::Calibrate /></div>
        </section>
        <footer::Footer />
    }
    .into_any()
}

/// The number fields of one table, in order.
fn number_fields(defs: &'static [fields::FieldDef]) -> impl IntoView {
    defs.iter()
        .map(|def| view! { <NumberField def /> })
        .collect_view()
}

/// Speculative decoding: off, the model's MTP head, or a draft model; k and acceptance.
#[component]
fn SpeculativeInputs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let drafting = move || state.scenario.with(|s| speculative_name(s) == "draft");
    view! {
        <fieldset>
            <legend>"Speculative decoding"</legend>
            <Choice
                key="speculative"
                label="Draft tokens from"
                options=vec![("none", "off: one token per step"), ("mtp", "the model's MTP head (about one layer)"), ("draft", "a draft model")]
                get=speculative_name
                set=set_speculative
            />
            <div hidden=move || !drafting()>
                <Choice
                    key="speculative.draft_model"
                    label="Draft model"
                    options=draft_model_options()
                    get=draft_model_id
                    set=set_draft_model
                />
            </div>
            {number_fields(SPECULATIVE_FIELDS)}
        </fieldset>
    }
}

/// The calculator's inputs: model, hardware, workload, precision and assumptions, one
/// component per fieldset. (Erasing each fieldset's view type with `.into_any()` was measured
/// and costs bytes: each type is used once, so erasure only adds its glue; the erased leaf
/// controls, used many times, save bytes.)
#[component]
fn Inputs() -> impl IntoView {
    view! {
        <section class="inputs" aria-label="Inputs">
            <ModelInputs />
            <HardwareInputs />
            <WorkloadInputs />
            <SpeculativeInputs />
            <PrecisionInputs />
            <AssumptionInputs />
            <disagg::DisaggregationInputs />
        </section>
    }
}

/// The model: preset, shape (built on first open) and the Hugging Face import.
#[component]
fn ModelInputs() -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Model"</legend>
            <ModelPicker />
            // Built on first open (a closed section adds no elements and no work per edit).
            {disclosure("Shape, attention and experts", "more", || view! {
                <Choice
                    key="model.attention"
                    label="Attention"
                    options=vec![("gqa", "GQA / MHA / MQA"), ("mla", "MLA (latent KV)")]
                    get=attention_name
                    set=set_attention
                />
                <Toggle key="model.tied_embeddings" label="Tied embeddings" get=|s| s.model.tied_embeddings set=|s, on| s.model.tied_embeddings = on />
                <Toggle key="model.moe" label="Mixture of experts" get=|s| s.model.moe.is_some() set=set_moe />
                {number_fields(MODEL_FIELDS)}
            })}
            <HfImport />
        </fieldset>
    }
}

/// The hardware: preset, chips, parallelism, KV offload and the chip's specification.
#[component]
fn HardwareInputs() -> impl IntoView {
    view! {
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
            <Toggle key="kv_offload" label="KV offload: KV beyond HBM in host memory (read over the host link)" get=|s| s.kv_offload set=|s, on| s.kv_offload = on />
            {disclosure("Chip specification", "more", || number_fields(&HARDWARE_FIELDS[1..]))}
        </fieldset>
    }
}

/// The workload: batch, lengths, context and the cached prefix.
#[component]
fn WorkloadInputs() -> impl IntoView {
    view! {
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
            <NumberField def=&WORKLOAD_FIELDS[4] />
            <Choice
                key="workload.prefix_sharing"
                label="Cached prefix held"
                options=vec![("private", "by each request (its own copy)"), ("shared", "once for all requests (one prompt)")]
                get=prefix_sharing_name
                set=set_prefix_sharing
            />
        </fieldset>
    }
}

/// The precision of weights, KV cache and compute.
#[component]
fn PrecisionInputs() -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Precision"</legend>
            <Choice key="precision.weights" label="Weights" options=precision_options() get=|s| s.precision.weights.name() set=|s, v| s.precision.weights = precision_of(v) />
            <Choice key="precision.kv_cache" label="KV cache" options=precision_options() get=|s| s.precision.kv_cache.name() set=|s, v| s.precision.kv_cache = precision_of(v) />
            <Choice key="precision.compute" label="Compute" options=precision_options() get=|s| s.precision.compute.name() set=|s, v| s.precision.compute = precision_of(v) />
        </fieldset>
    }
}

/// Efficiencies, overheads and energy (or the pure roofline bound).
#[component]
fn AssumptionInputs() -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Assumptions"</legend>
            <Toggle
                key="efficiency.pure"
                label="Pure roofline bound (100% efficiency, no overheads)"
                get=|s| s.efficiency.is_pure()
                set=|s, on| s.efficiency = if on { Efficiency::PURE } else { Efficiency::REALISTIC }
            />
            {number_fields(ASSUMPTION_FIELDS)}
        </fieldset>
    }
}
