//! The serving lab panel: simulates the page's current scenario under static, contiguous,
//! paged, chunked-prefill and disaggregated serving on one request stream (`crate::sim`), in
//! slices so the page stays responsive, and shows a results table and its charts.
//!
//! The form, its defaults and its parse live in `crate::forms::lab_form`; the table's rows
//! and lines in `crate::panels::lab`. The seed starts from the opened link's `seed`, and a
//! seed other than the default travels in the page's link.

use super::browser::{next_task, now_ms};
use super::field::TextField;
use super::AppState;
use crate::chart::lab::{draw_lab, LabChart};
use crate::chart::ChartStyle;
use crate::forms::lab_form::{b_label, LabField, LabForm, LengthKind, LengthSide};
use crate::forms::FieldErrors;
use crate::panels::lab::{capacity_line, ran_on, timing_line, LAB_METRICS};
use crate::sim::{Scheduler, Sim, SimConfig, SimReport};
use leptos::html::Canvas;
use leptos::prelude::*;

/// Milliseconds of simulation per slice before yielding to the browser.
const SLICE_MS: f64 = 12.0;
/// Work units per `step_until` call inside a slice (then the clock is checked).
const STEP_BUDGET: u64 = 20_000;

/// The lab's form and its parse, shared by the input components.
#[derive(Clone, Copy)]
struct LabInputs {
    form: RwSignal<LabForm>,
    parsed: Memo<Result<SimConfig, FieldErrors>>,
}

impl LabInputs {
    /// The text of one field (notifies only when that text changes).
    fn text(self, f: LabField) -> Signal<String> {
        let form = self.form;
        Memo::new(move |_| form.with(|x| x.text(f).to_string())).into()
    }

    /// Writes the text of one field.
    fn on_text(self, f: LabField) -> Callback<String> {
        let form = self.form;
        Callback::new(move |v: String| form.update(|x| x.set(f, v)))
    }

    /// The message of one field, if its text is wrong.
    fn error(self, f: LabField) -> Signal<Option<String>> {
        let parsed = self.parsed;
        Signal::derive(move || {
            parsed.with(|p| p.as_ref().err().and_then(|m| m.get(f.id()).cloned()))
        })
    }
}

/// One text field of the lab.
#[component]
fn LabText(
    inputs: LabInputs,
    field: LabField,
    #[prop(into)] label: Signal<String>,
    unit: &'static str,
    #[prop(optional, into)] hidden: Option<Signal<bool>>,
) -> impl IntoView {
    let hidden = hidden.unwrap_or_else(|| Signal::derive(|| false));
    view! {
        <TextField
            id=field.id().to_string()
            label
            unit
            text=inputs.text(field)
            on_text=inputs.on_text(field)
            error=inputs.error(field)
            error_for=field.id()
            hidden
            data_lab_field=field.id()
        />
    }
}

/// One length distribution: its kind, then its length (or minimum or median) and maximum.
#[component]
fn LengthFields(inputs: LabInputs, side: LengthSide) -> impl IntoView {
    let form = inputs.form;
    let kind = Memo::new(move |_| form.with(|f| f.length(side).kind));
    let (a, b) = side.fields();
    let (what, kind_id) = (side.what(), side.kind_id());
    view! {
        <div class="field">
            <label for=kind_id>{side.kind_label()}</label>
            <select
                id=kind_id
                data-lab-field=kind_id
                prop:value=move || kind.get().value()
                on:change=move |ev| {
                    let k = LengthKind::from_value(&event_target_value(&ev));
                    form.update(|f| f.length_mut(side).kind = k);
                }
            >
                <option value="fixed">"Fixed"</option>
                <option value="uniform">"Uniform"</option>
                <option value="lognormal">"Long-tailed (lognormal)"</option>
            </select>
        </div>
        <LabText inputs field=a label=Signal::derive(move || kind.get().a_label(what)) unit="tokens" />
        <LabText inputs field=b label=b_label(what) unit="tokens" hidden=Signal::derive(move || !kind.get().has_max()) />
    }
}

/// Every field of the lab.
#[component]
fn LabFields(inputs: LabInputs) -> impl IntoView {
    let form = inputs.form;
    let sigma_hidden = Signal::derive(move || !form.with(LabForm::uses_sigma));
    view! {
        <div class="lab-fields">
            <LabText inputs field=LabField::Rate label="Arrival rate" unit="requests/s" />
            <LabText inputs field=LabField::Requests label="Requests to simulate" unit="requests" />
            <LengthFields inputs side=LengthSide::Input />
            <LengthFields inputs side=LengthSide::Output />
            <LabText inputs field=LabField::Sigma label="Long tail spread σ (log space)" unit="" hidden=sigma_hidden />
            <LabText inputs field=LabField::Block label="KV block size (paged)" unit="tokens" />
            <LabText inputs field=LabField::Chunk label="Chunked prefill: tokens per step" unit="tokens" />
            <LabText inputs field=LabField::Hit label="Prefix-cache hit rate (of prompt tokens)" unit="%" />
            <LabText inputs field=LabField::Seed label="Random seed" unit="" />
        </div>
    }
}

/// A run of the lab: whether it runs, how far, and what it found.
#[derive(Clone, Copy)]
struct LabRun {
    running: RwSignal<bool>,
    progress: RwSignal<f64>,
    report: RwSignal<Option<SimReport>>,
    error: RwSignal<Option<String>>,
    elapsed_ms: RwSignal<Option<f64>>,
    compute_ms: RwSignal<Option<f64>>,
    /// What the last run simulated, and its block size.
    ran: RwSignal<(String, u32)>,
}

impl LabRun {
    fn new() -> LabRun {
        LabRun {
            running: RwSignal::new(false),
            progress: RwSignal::new(0.0),
            report: RwSignal::new(None),
            error: RwSignal::new(None),
            elapsed_ms: RwSignal::new(None),
            compute_ms: RwSignal::new(None),
            ran: RwSignal::new((String::new(), 0)),
        }
    }

    /// `data-lab-state`: running, error, done or idle.
    fn state(self) -> &'static str {
        if self.running.get() {
            "running"
        } else if self.error.with(Option::is_some) {
            "error"
        } else if self.report.with(Option::is_some) {
            "done"
        } else {
            "idle"
        }
    }

    /// Starts a run of `config` on the page's scenario, unless one is running.
    fn start(self, state: AppState, config: Result<SimConfig, FieldErrors>) {
        if self.running.get_untracked() {
            return;
        }
        let Ok(config) = config else {
            self.error
                .set(Some("Fix the fields marked above first.".into()));
            return;
        };
        let scenario = state.scenario.get_untracked();
        let sim = match Sim::new(&scenario, &config) {
            Ok(s) => s,
            Err(e) => {
                self.error.set(Some(e.to_string()));
                return;
            }
        };
        self.error.set(None);
        self.running.set(true);
        self.progress.set(0.0);
        self.ran
            .set((ran_on(&scenario, &config), config.block_size));
        leptos::task::spawn_local(self.simulate(sim));
    }

    /// Runs `sim` in slices of [`SLICE_MS`], yielding to the browser between them.
    async fn simulate(self, mut sim: Sim) {
        let t0 = now_ms();
        // Time spent simulating, without the browser's turns between slices.
        let mut busy = 0.0;
        loop {
            let slice_start = now_ms();
            let mut done = false;
            while !done && now_ms() - slice_start < SLICE_MS {
                done = sim.step_until(STEP_BUDGET);
            }
            busy += now_ms() - slice_start;
            self.progress.set(sim.progress());
            if done {
                break;
            }
            next_task().await;
        }
        let finish_start = now_ms();
        let r = sim.finish();
        busy += now_ms() - finish_start;
        self.compute_ms.set(Some(busy));
        self.elapsed_ms.set(Some(now_ms() - t0));
        self.report.set(Some(r));
        self.progress.set(1.0);
        self.running.set(false);
    }
}

/// The run button, the progress bar and the timing.
#[component]
fn LabRunBar(run: LabRun, inputs: LabInputs) -> impl IntoView {
    let state = expect_context::<AppState>();
    let parsed = inputs.parsed;
    view! {
        <div class="buttons">
            <button
                type="button"
                data-lab-run=""
                disabled=move || run.running.get() || parsed.with(Result::is_err)
                on:click=move |_| run.start(state, parsed.get_untracked())
            >
                {move || if run.running.get() { "Running…" } else { "Run the lab" }}
            </button>
            <progress
                data-lab-progress=""
                max="1"
                prop:value=move || run.progress.get()
                aria-label="Simulation progress"
                hidden=move || !run.running.get() && run.report.with(Option::is_none)
            ></progress>
            <span
                class="hint"
                data-lab-elapsed=move || run.elapsed_ms.get().map(|v| v.to_string()).unwrap_or_default()
                data-lab-compute=move || run.compute_ms.get().map(|v| v.to_string()).unwrap_or_default()
            >
                {move || timing_line(run.elapsed_ms.get(), run.compute_ms.get())}
            </span>
        </div>
        <p class="error" role="alert" data-lab-error="">{move || run.error.get()}</p>
    }
}

/// The results table: one row per metric, one column per scheduler.
fn results_table(r: &SimReport) -> impl IntoView {
    let head = Scheduler::ALL
        .iter()
        .map(|s| view! { <th scope="col">{s.name()}</th> })
        .collect_view();
    let rows = LAB_METRICS
        .iter()
        .map(|row| {
            let cells = Scheduler::ALL
                .iter()
                .map(|&s| {
                    let c = row.cell(r, s);
                    view! { <td data-metric=c.metric data-value=c.raw>{c.shown}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{row.label}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="compare" data-lab-results="">
            <thead><tr><th scope="col">"Metric"</th>{head}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// What the last run found: its description, its memory line and the table.
#[component]
fn LabReport(run: LabRun) -> impl IntoView {
    move || {
        run.report.with(|r| {
            r.as_ref().map(|r| {
                let (on, block) = run.ran.get_untracked();
                view! {
                    <p class="hint">{on}</p>
                    <p class="hint">
                        <span data-metric="lab.requested_output_tokens" data-value=r.requested_output_tokens.to_string()></span>
                        <span data-metric="lab.digest" data-value=r.digest_hex()></span>
                        {capacity_line(r, &block.to_string())}
                    </p>
                    <div class="compare-panel">{results_table(r)}</div>
                }
            })
        })
    }
}

/// Sizes the canvas to its CSS box × devicePixelRatio and draws lab chart `which`.
fn draw_on(
    canvas: &web_sys::HtmlCanvasElement,
    which: LabChart,
    r: &SimReport,
    style: &ChartStyle,
) -> Result<(), String> {
    let dpr = style.scale;
    let css_w = (canvas.client_width() as f64).max(280.0);
    let css_h = (css_w * 0.62).clamp(320.0, 460.0);
    let area = super::chart_view::canvas_area(canvas, css_w, css_h, dpr, true)?;
    draw_lab(which, &area, r, style).map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())?;
    Ok(())
}

/// One lab chart on a canvas, redrawn when the report or the theme changes.
#[component]
fn LabChartCard(which: LabChart, report: RwSignal<Option<SimReport>>) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);
    super::chart_view::themed_redraw(canvas_ref, error, move |canvas, style| {
        report.with(|r| match r {
            Some(r) => draw_on(canvas, which, r, style).map(|_| true),
            None => Ok(false),
        })
    });
    view! {
        <figure class="card chart" data-chart-card=which.id()>
            <canvas node_ref=canvas_ref data-chart=which.id() role="img" aria-label=which.title()></canvas>
            <p class="error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
        </figure>
    }
}

/// The serving lab.
#[component]
pub fn ServingLab() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = RwSignal::new(
        LabForm::default()
            .with_seed(state.opened_seed)
            .with_chunk(state.opened_chunk)
            .with_hit(state.opened_hit),
    );
    // A seed or chunk budget other than the default travels in the page's link.
    let link_seed = Memo::new(move |_| form.with(LabForm::seed_for_link));
    Effect::new(move |_| state.lab_seed.set(link_seed.get()));
    let link_chunk = Memo::new(move |_| form.with(LabForm::chunk_for_link));
    Effect::new(move |_| state.lab_chunk.set(link_chunk.get()));
    let link_hit = Memo::new(move |_| form.with(LabForm::hit_for_link));
    Effect::new(move |_| state.lab_hit.set(link_hit.get()));
    let parsed = Memo::new(move |_| form.with(LabForm::parse));
    let inputs = LabInputs { form, parsed };
    let run = LabRun::new();
    let has_report = Memo::new(move |_| run.report.with(Option::is_some));
    view! {
        <section class="card lab" aria-labelledby="lab-title" data-lab-state=move || run.state()>
            <h2 id="lab-title">"Serving lab: continuous batching, paged KV, chunked prefill and disaggregation"</h2>
            <p class="hint">
                "Simulates one replica of the scenario above on a stream of requests, five ways: "
                "static batching (a padded batch, nobody joins until all finish), continuous batching "
                "with each request reserving its maximum length, continuous batching with paged "
                "KV (blocks charged as a request grows), the same with chunked prefill (each step a "
                "token budget shared by the running decodes and a chunk of one waiting prompt), and "
                "disaggregated prefill and decode pools (the setup's own pools, or those of the "
                "Disaggregated section above; each prompt's KV crosses the link before its first "
                "token). Each step costs what the engine says at the step's actual batch, contexts "
                "and mix. With a prefix-cache hit rate, prefill computes only each prompt's "
                "uncached tokens (their KV, and the cached tokens', is still held and read); with "
                "speculative decoding set above, a decode step costs the verify step and its drafts "
                "÷ τ, the expected tokens kept per round."
            </p>
            <LabFields inputs />
            <LabRunBar run inputs />
            <LabReport run />
            {move || has_report.get().then(|| view! {
                <div class="charts">
                    {LabChart::ALL.into_iter().map(|which| view! { <LabChartCard which report=run.report /> }).collect_view()}
                </div>
            })}
        </section>
    }
}
